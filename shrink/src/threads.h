/* OpenMP when the compiler has it (setup.py asks), one thread otherwise. */
#ifndef SHRINK_THREADS_H
#define SHRINK_THREADS_H
#ifdef _OPENMP
#include <omp.h>
#define SHRINK_HAVE_OPENMP 1
#else
#define SHRINK_HAVE_OPENMP 0
static inline int omp_get_max_threads(void) { return 1; }
#endif
#endif
