"""Scalar kernels of hardshrink, softshrink and their derivatives.

Each kernel is written branch-free (values are computed, then selected) so that
the loops around it vectorize, and it raises no floating-point flag on NaN or
inf: an ordered compare (<, >=) on a NaN raises FE_INVALID, which NumPy turns
into a RuntimeWarning, while == is quiet. So NaN is masked out with `v == v`
before any ordered compare (NOTES.md).

Out of the domain (lambd negative or NaN) every kernel returns NaN, never a
plausible number (the scipy.special convention); the Python layer rejects such
lambd before it gets here.
"""

from libc.math cimport NAN

from shrink._libm cimport real, copysign_, hypot_


cdef inline real nan_to(real v, real fill) noexcept nogil:
    return v if v == v else fill


cdef inline real usable_lambd(real lambd) noexcept nogil:
    """lambd itself when it is in the domain, else -1 (an empty band)."""
    cdef real lq = nan_to(lambd, -1)
    return lq if lq >= 0 else -1


cdef inline bint in_band(real x, real lq) noexcept nogil:
    """-lq <= x <= lq, False for NaN x, without a flag."""
    cdef real xq = nan_to(x, 0)
    return (x == x) & (xq >= -lq) & (xq <= lq)


cdef inline real hardshrink(real x, real lambd) noexcept nogil:
    cdef real lq = usable_lambd(lambd)
    cdef real y = 0 if in_band(x, lq) else x
    return y if lq >= 0 else NAN


cdef inline real softshrink(real x, real lambd) noexcept nogil:
    cdef real lq = usable_lambd(lambd)
    cdef real lc = lq if lq >= 0 else 0
    cdef bint band = in_band(x, lc)
    # Inside the band x is replaced by 0 before the subtraction, so that an
    # infinite lambd never meets an infinite x (inf - inf raises FE_INVALID).
    cdef real xs = 0 if band else x
    # x - lambd above the band, x + lambd below it: one correctly rounded
    # operation, and no select between two computed arms (which gcc will not
    # if-convert under -ftrapping-math).
    cdef real shifted = xs - copysign_(lc, nan_to(x, 0))
    cdef real y = 0 if band else shifted
    return y if lq >= 0 else NAN


cdef inline real hardshrink_grad(real x, real lambd) noexcept nogil:
    cdef real lq = usable_lambd(lambd)
    cdef real y = 0 if in_band(x, lq) else 1
    y = y if x == x else x
    return y if lq >= 0 else NAN


cdef inline real softshrink_grad(real x, real lambd) noexcept nogil:
    # Both functions have slope 1 outside the band and 0 inside it.
    return hardshrink_grad(x, lambd)


cdef inline real hardshrink_backward(real g, real x, real lambd) noexcept nogil:
    cdef real lq = usable_lambd(lambd)
    cdef real y = 0 if in_band(x, lq) else g
    y = y if x == x else x
    # + 0 turns a -0.0 gradient into +0.0: every zero a gradient produces is +0.0.
    y = y + 0
    return y if lq >= 0 else NAN


cdef inline real softshrink_backward(real g, real x, real lambd) noexcept nogil:
    return hardshrink_backward(g, x, lambd)


# Complex forward kernels: |z| as np.abs computes it (hypot). Complex loops are
# scalar code, so plain branches are fine here.

cdef inline void hardshrink_complex(real re, real im, real lambd, real* out) noexcept nogil:
    cdef real lq = usable_lambd(lambd)
    cdef real a = hypot_(re, im)
    if lq < 0:
        out[0] = NAN
        out[1] = NAN
    elif a != a or a > lq:
        out[0] = re
        out[1] = im
    else:
        out[0] = 0
        out[1] = 0


cdef inline void softshrink_complex(real re, real im, real lambd, real* out) noexcept nogil:
    """z * (|z| - lambd) / |z| outside the band, written as z * (1 - lambd/|z|)
    so that an |z| that overflows to inf still gives z, not NaN."""
    cdef real lq = usable_lambd(lambd)
    cdef real a = hypot_(re, im)
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
