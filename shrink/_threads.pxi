# Threads for large inputs: the loops split an array of at least
# PARALLEL_MIN_ELEMENTS elements into one contiguous chunk per thread and run
# themselves on each chunk. Elements are computed independently, by the same
# kernel, so the result is bit-identical to one thread.
#
# One thread unless asked (set_num_threads), as NumPy; never more than OpenMP
# allows this thread: omp_get_max_threads() honours OMP_NUM_THREADS and the
# limits threadpoolctl sets.

from cython.parallel cimport prange
from libc.limits cimport INT_MAX

ctypedef void (*inner_loop)(char**, npy_intp*, npy_intp*, void*) noexcept nogil

cdef extern from "threads.h" nogil:
    int omp_get_max_threads()
    const int SHRINK_HAVE_OPENMP
    int shrink_exchange_threads(int n)
    int shrink_load_threads()

cdef enum:
    # Below this, starting threads costs more than it saves (about 2**16
    # float64 elements of memory traffic take as long as waking a thread).
    PARALLEL_MIN_ELEMENTS = 1 << 16
    # Operands and output of the widest loop (firm_backward: g, x, lambd_low,
    # lambd_high, out), with room to spare; split_across_threads refuses more.
    MAX_ARGS = 8
    # Chunk boundaries on whole 64-byte cache lines for every dtype.
    CHUNK_ALIGN = 64

# `data` of a loop called on one chunk: anything but NULL (what NumPy passes).
cdef void* ONE_CHUNK = <void*>1


def set_num_threads(n):
    """Let the real loops use up to n threads on inputs of 65536 elements or more.

    Returns the previous setting (1 by default, as NumPy). Fewer threads are used
    when OpenMP allows fewer (OMP_NUM_THREADS, threadpoolctl limits) or when
    shrink was built without OpenMP. Results are bit-identical to one thread.
    """
    if type(n) is not int or n < 1:
        raise ValueError(f"set_num_threads: n must be an int >= 1, got {n!r}")
    return shrink_exchange_threads(min(n, INT_MAX))


def get_num_threads():
    """The setting of set_num_threads (the most threads a loop may use)."""
    return shrink_load_threads()


def threads_for_size(npy_intp n):
    """How many threads a loop over n elements would use now."""
    return threads_for(n, NULL)


def openmp_available():
    """Whether this build can run loops on several threads."""
    return bool(SHRINK_HAVE_OPENMP)


cdef inline int threads_for(npy_intp n, void* data) noexcept nogil:
    cdef int requested = shrink_load_threads()
    if requested <= 1 or n < PARALLEL_MIN_ELEMENTS or data != NULL:
        return 1
    return min(requested, omp_get_max_threads())


cdef void run_chunk(inner_loop loop, char** args, npy_intp* steps, int nargs,
                    npy_intp start, npy_intp length) noexcept nogil:
    cdef char* chunk_args[MAX_ARGS]
    cdef int k
    for k in range(nargs):
        chunk_args[k] = args[k] + start * steps[k]
    loop(chunk_args, &length, steps, ONE_CHUNK)


cdef inline bint shares_memory_with_output(char** args, npy_intp* steps, int nargs,
                                          npy_intp n) noexcept nogil:
    """Whether an input's span of memory meets the output's, other than as the
    very same elements (out=x, in place).

    NumPy hands a loop overlapping operands without copying them when the input
    runs ahead of the output (out = b[:-1], x = b[1:]): that is safe only if the
    elements are processed in order, which chunks on several threads are not.
    Spans are widened by the largest itemsize (16), so this errs on the side of
    one thread."""
    cdef int k, o = nargs - 1
    cdef char* out_lo = args[o] + min(<npy_intp>0, (n - 1) * steps[o])
    cdef char* out_hi = args[o] + max(<npy_intp>0, (n - 1) * steps[o]) + 16
    cdef char* lo
    cdef char* hi
    for k in range(o):
        if args[k] == args[o] and steps[k] == steps[o]:
            continue
        lo = args[k] + min(<npy_intp>0, (n - 1) * steps[k])
        hi = args[k] + max(<npy_intp>0, (n - 1) * steps[k]) + 16
        if lo < out_hi and out_lo < hi:
            return True
    return False


cdef void split_across_threads(inner_loop loop, char** args, npy_intp* dims,
                               npy_intp* steps, int nargs, int nthreads) noexcept nogil:
    cdef npy_intp n = dims[0]
    if nargs > MAX_ARGS or shares_memory_with_output(args, steps, nargs, n):
        loop(args, dims, steps, ONE_CHUNK)  # in order, on this thread
        return
    cdef npy_intp chunk = ((n + nthreads - 1) // nthreads + CHUNK_ALIGN - 1) // CHUNK_ALIGN * CHUNK_ALIGN
    cdef npy_intp start
    cdef int t
    for t in prange(nthreads, num_threads=nthreads, schedule="static"):
        start = t * chunk
        if start < n:
            run_chunk(loop, args, steps, nargs, start, min(chunk, n - start))
