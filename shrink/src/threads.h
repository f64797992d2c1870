/* OpenMP when the compiler has it (setup.py asks), one thread otherwise; and
 * the thread setting of set_num_threads, read and written atomically so that
 * it is safe without the GIL (free-threaded CPython). */
#ifndef SHRINK_THREADS_H
#define SHRINK_THREADS_H
#ifdef _OPENMP
#include <omp.h>
#define SHRINK_HAVE_OPENMP 1
#else
#define SHRINK_HAVE_OPENMP 0
static inline int omp_get_max_threads(void) { return 1; }
#endif

/* One per loops module: only the module chosen at import is used. */
#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
static volatile long shrink_requested_threads = 1;
static inline int shrink_exchange_threads(int n) {
    return (int)_InterlockedExchange(&shrink_requested_threads, (long)n);
}
static inline int shrink_load_threads(void) {
    return (int)_InterlockedOr(&shrink_requested_threads, 0);
}
#else
static int shrink_requested_threads = 1;
static inline int shrink_exchange_threads(int n) {
    return __atomic_exchange_n(&shrink_requested_threads, n, __ATOMIC_SEQ_CST);
}
static inline int shrink_load_threads(void) {
    return __atomic_load_n(&shrink_requested_threads, __ATOMIC_RELAXED);
}
#endif
#endif
