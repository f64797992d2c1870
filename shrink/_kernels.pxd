"""Scalar kernels of hardshrink, softshrink and their derivatives.

Each kernel is written branch-free (values are computed, then selected) so that
the loops around it vectorize, and it raises no floating-point flag on NaN or
inf: an ordered compare (<, >=) on a NaN raises FE_INVALID, which NumPy turns
into a RuntimeWarning, while == is quiet. So NaN is masked out with `v == v`
before any ordered compare (NOTES.md).

The kernels take lambd through usable_lambd(), which the loops apply once per
call when lambd is a broadcast scalar: out of the domain (lambd negative, NaN or
infinite) it gives -1, and every kernel then returns NaN, never a plausible
number (the scipy.special convention). The Python layer rejects such lambd
before it gets here.
"""

from libc.math cimport INFINITY, NAN, isinf, isnan

from shrink._libm cimport real, fabs_, fma_, hypot_, sqrt_

# gcc if-converts (and so vectorizes) these exact shapes under its default
# -ftrapping-math; small rewrites (an `&` of the compares, an addition after a
# select, a select between two computed arms) leave "control flow in loop".
# Check with -fopt-info-vec before changing one.


cdef inline real nan_to(real v, real fill) noexcept nogil:
    return v if v == v else fill


cdef inline real usable_lambd(real lambd) noexcept nogil:
    """lambd itself when it is in the domain [0, inf), else -1."""
    cdef real lq = nan_to(lambd, -1)
    return lq if (lq >= 0 and lq < INFINITY) else -1


cdef inline real usable_bias(real bias) noexcept nogil:
    """bias itself when it is finite, else NaN (a kernel's result is NaN then)."""
    return bias if fabs_(nan_to(bias, INFINITY)) < INFINITY else NAN


cdef inline real clamp_to_band(real x, real lc) noexcept nogil:
    """x clamped to [-lc, lc] (NaN becomes 0)."""
    cdef real c = nan_to(x, 0)
    c = -lc if c < -lc else c
    return lc if c > lc else c


cdef inline real domain_lambd(real lq) noexcept nogil:
    """The usable lambd, or 0 when out of the domain (the result is NaN then)."""
    return lq if lq >= 0 else 0


cdef inline bint in_band(real x, real lc) noexcept nogil:
    """-lc <= x <= lc, quietly False for NaN (masked to inf: lc is finite)."""
    return fabs_(nan_to(x, INFINITY)) <= lc


cdef inline real hardshrink(real x, real lq) noexcept nogil:
    # x + 0 is x outside the band (x != 0 there); selecting x itself made gcc
    # give up on vectorizing the strided loop ("no vectype" for the load).
    cdef real passed = x + 0
    cdef real y = 0 if in_band(x, domain_lambd(lq)) else passed
    return y if lq >= 0 else NAN


cdef inline real softshrink(real x, real lq) noexcept nogil:
    """x - clamp(x, -lambd, lambd): x - lambd above the band and x + lambd below
    it, each one correctly rounded operation; x - x = +0.0 inside it (also for
    x = -0.0); NaN - 0 = NaN. lambd is finite, so inf - lambd never meets inf."""
    cdef real y = x - clamp_to_band(x, domain_lambd(lq))
    return y if lq >= 0 else NAN


cdef inline real hardshrink_grad(real x, real lq) noexcept nogil:
    cdef real one = 1 if x == x else x
    cdef real y = 0 if in_band(x, domain_lambd(lq)) else one
    return y if lq >= 0 else NAN


cdef inline real softshrink_grad(real x, real lq) noexcept nogil:
    # Both functions have slope 1 outside the band and 0 inside it.
    return hardshrink_grad(x, lq)


cdef inline real hardshrink_backward(real g, real x, real lq) noexcept nogil:
    # g + 0 turns a -0.0 gradient into +0.0: every zero a gradient produces is +0.0.
    cdef real g0 = g + 0
    cdef real passed = g0 if x == x else x
    cdef real y = 0 if in_band(x, domain_lambd(lq)) else passed
    return y if lq >= 0 else NAN


cdef inline real softshrink_backward(real g, real x, real lq) noexcept nogil:
    return hardshrink_backward(g, x, lq)


# Complex forward kernels. Complex loops are scalar code, so plain branches are
# fine here.

cdef inline real modulus(real re, real im) noexcept nogil:
    """|z| exactly as np.abs computes it, so that the band edge agrees with it.

    NumPy's complex64/complex128 absolute is not libm's hypot but
    max * sqrt(fma(r, r, 1)) with r = min / max (its SIMD loop, FMA on every
    x86-64-v3 or ARM64 CPU); clongdouble uses hypotl.
    """
    cdef real big, small, ratio
    if real is float or real is double:
        re = fabs_(re)
        im = fabs_(im)
        if isinf(re) or isinf(im):
            return INFINITY
        if isnan(re) or isnan(im):
            return NAN
        big = re if re > im else im
        small = im if re > im else re
        if big == 0:
            return 0
        ratio = small / big
        return big * sqrt_(fma_(ratio, ratio, <real>1))
    else:
        return hypot_(re, im)


cdef inline void hardshrink_complex(real re, real im, real lq, real* out) noexcept nogil:
    cdef real a = modulus(re, im)
    if lq < 0:
        out[0] = NAN
        out[1] = NAN
    elif a != a or a > lq:
        out[0] = re
        out[1] = im
    else:
        out[0] = 0
        out[1] = 0


cdef inline void softshrink_complex(real re, real im, real lq, real* out) noexcept nogil:
    """z * (|z| - lambd) / |z| outside the band, written as z * (1 - lambd/|z|)
    so that an |z| that overflows to inf still gives z, not NaN."""
    cdef real a = modulus(re, im)
    cdef real scale
    if lq < 0:
        out[0] = NAN
        out[1] = NAN
    elif a != a or a > lq:
        scale = 1 - lq / a
        out[0] = re * scale
        out[1] = im * scale
    else:
        out[0] = 0
        out[1] = 0
