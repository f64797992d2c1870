"""libm for every real loop type: one name per function instead of f/-/l suffixes."""

from libc.math cimport (
    copysign, copysignf, copysignl, hypot, hypotf, hypotl, sinh, sinhf, sinhl,
    sqrt, sqrtf, sqrtl, tan, tanf, tanl, fabs, fabsf, fabsl, exp, expf, expl,
    sin, sinf, sinl, cos, cosf, cosl, fma, fmaf, fmal,
)

ctypedef fused real:
    float
    double
    long double


cdef inline real copysign_(real x, real y) noexcept nogil:
    if real is float:
        return copysignf(x, y)
    elif real is double:
        return copysign(x, y)
    else:
        return copysignl(x, y)


cdef inline real hypot_(real x, real y) noexcept nogil:
    if real is float:
        return hypotf(x, y)
    elif real is double:
        return hypot(x, y)
    else:
        return hypotl(x, y)


cdef inline real sinh_(real x) noexcept nogil:
    if real is float:
        return sinhf(x)
    elif real is double:
        return sinh(x)
    else:
        return sinhl(x)


cdef inline real sqrt_(real x) noexcept nogil:
    if real is float:
        return sqrtf(x)
    elif real is double:
        return sqrt(x)
    else:
        return sqrtl(x)


cdef inline real tan_(real x) noexcept nogil:
    if real is float:
        return tanf(x)
    elif real is double:
        return tan(x)
    else:
        return tanl(x)


cdef inline real fabs_(real x) noexcept nogil:
    if real is float:
        return fabsf(x)
    elif real is double:
        return fabs(x)
    else:
        return fabsl(x)


cdef inline real exp_(real x) noexcept nogil:
    if real is float:
        return expf(x)
    elif real is double:
        return exp(x)
    else:
        return expl(x)


cdef inline real sin_(real x) noexcept nogil:
    if real is float:
        return sinf(x)
    elif real is double:
        return sin(x)
    else:
        return sinl(x)


cdef inline real cos_(real x) noexcept nogil:
    if real is float:
        return cosf(x)
    elif real is double:
        return cos(x)
    else:
        return cosl(x)


cdef inline real fma_(real x, real y, real z) noexcept nogil:
    if real is float:
        return fmaf(x, y, z)
    elif real is double:
        return fma(x, y, z)
    else:
        return fmal(x, y, z)
