"""The tanhshrink family's scalar kernels, for every real loop type.

The math lives in src/tanhshrink.h (C, so that one source is compiled once per
instruction set; docs/tanhshrink-method.md explains the method and its error
bounds). These wrappers give the loops one name per function.
"""

cdef extern from "tanhshrink.h" nogil:
    float shrink_tanhshrink_f(float x)
    double shrink_tanhshrink_d(double x)
    long double shrink_tanhshrink_l(long double x)
    float shrink_tanhsq_f(float x)
    double shrink_tanhsq_d(double x)
    long double shrink_tanhsq_l(long double x)
    # f over n floats at once (in == out allowed): the loops' path for float16/32
    void shrink_tanhshrink_f_n(const float* x, float* out, Py_ssize_t n)
    void shrink_tanhsq_f_n(const float* x, float* out, Py_ssize_t n)
    # g * tanhsq(x) over n floats, rounded once, zeros +0.0 (out == g or x allowed)
    void shrink_tanhshrink_backward_f_n(const float* g, const float* x, float* out, Py_ssize_t n)
    # the same with g and out step-2 views (g[2i], out[2i]), x contiguous
    void shrink_tanhshrink_backward_f_n_step2(const float* g, const float* x, float* out, Py_ssize_t n)
    # float32 step-2 views to and from a block: dst[i] = src[2i], dst[2i] = src[i];
    # SHRINK_STEP2_CHUNK: the elements per chunk where float32 step-2 views of
    # the functions of x go through these copies (0: they do not)
    const int SHRINK_STEP2_CHUNK
    void shrink_f32_from_step2(const float* src, float* dst, Py_ssize_t n)
    void shrink_f32_to_step2(const float* src, float* dst, Py_ssize_t n)
    # from_step2 of SHRINK_STEP2_CHUNK elements where the view goes on after them
    void shrink_f32_from_step2_chunk(const float* src, float* dst)

from shrink._libm cimport real


cdef inline real tanhshrink(real x) noexcept nogil:
    if real is float:
        return shrink_tanhshrink_f(x)
    elif real is double:
        return shrink_tanhshrink_d(x)
    else:
        return shrink_tanhshrink_l(x)


cdef inline real tanhshrink_grad(real x) noexcept nogil:
    if real is float:
        return shrink_tanhsq_f(x)
    elif real is double:
        return shrink_tanhsq_d(x)
    else:
        return shrink_tanhsq_l(x)


cdef inline double tanhshrink_backward_exact_f(float g, float x) noexcept nogil:
    """g * tanhshrink_grad(x), exact in double (24 + 24 bits < 53): the float16
    loops round it once (a float product would round twice on the way)."""
    return <double>g * <double>shrink_tanhsq_f(x)


cdef inline real positive_zero(real v) noexcept nogil:
    """-0.0 -> +0.0: every zero a gradient produces is +0.0. A select, not v + 0,
    which a compiler may contract with a preceding multiply into one FMA."""
    return 0 if v == 0 else v


cdef inline real tanhshrink_backward(real g, real x) noexcept nogil:
    """g * tanhshrink_grad(x), rounded once."""
    return positive_zero(g * tanhshrink_grad(x))


cdef inline float tanhshrink_backward_from_grad(float g, float sq) noexcept nogil:
    """g * sq rounded once, zeros +0.0, sq = tanhshrink_grad(x): the float32 loops'
    tanhshrink_backward when grad_output is not contiguous (the same bits as
    shrink_tanhshrink_backward_f_n)."""
    return positive_zero(g * sq)


cdef inline double tanhshrink_backward_exact_from_grad(float g, float sq) noexcept nogil:
    """g * sq exact in double: tanhshrink_backward_exact_f from the gradient."""
    return <double>g * <double>sq
