"""Complex tanhshrink, z - tanh(z).

Near 0 the difference cancels, so |z| < 1/2 sums the Taylor series
z**3 * (1/3 - 2/15 z**2 + 17/315 z**4 - ...), whose terms shrink by
|z|**2 / (pi/2)**2 < 0.11 each; beyond, z - tanh(z) loses at most a few bits.
"""

from shrink._libm cimport real, copysign_, cos_, exp_, fabs_, hypot_, sin_, sinh_, sqrt_, tan_

cdef enum:
    # 36 terms reach 2**-113 (IEEE quad long double) at |z| = 1/2.
    SERIES_TERMS = 36


cdef inline void fill_series(long double* coef) noexcept nogil:
    """coef[k] is the coefficient of z**(2k+3) in z - tanh(z).

    From tanh' = 1 - tanh**2: the Taylor coefficients t_m of tanh satisfy
    m * t_m = -sum(t_i * t_j for odd i + j == m - 1), and every product in one sum
    has the same sign, so the recurrence loses no accuracy.
    """
    cdef long double t[2 * SERIES_TERMS + 4]
    cdef int m, i
    cdef long double acc
    t[1] = 1
    for m in range(3, 2 * SERIES_TERMS + 4, 2):
        acc = 0
        for i in range(1, m - 1, 2):
            acc += t[i] * t[m - 1 - i]
        t[m] = -acc / m
    for i in range(SERIES_TERMS):
        coef[i] = -t[2 * i + 3]


cdef inline void tanh_complex(real x, real y, real* out) noexcept nogil:
    """tanh(x + iy) by Kahan's formula (as FreeBSD's ctanh)."""
    cdef real t, beta, s, rho, denom, e
    # Beyond this |x|, tanh(x) rounds to +-1 in the type (2 exp(-2|x|) < eps / 2
    # up to IEEE quad), and below it beta * s * s cannot overflow.
    cdef real saturation
    if real is float:
        saturation = 9.5
    elif real is double:
        saturation = 22
    else:
        saturation = 40
    if fabs_(x) >= saturation:
        e = exp_(-fabs_(x))
        out[0] = copysign_(<real>1, x)
        out[1] = 4 * sin_(y) * cos_(y) * e * e
        return
    t = tan_(y)
    beta = 1 + t * t
    s = sinh_(x)
    rho = sqrt_(1 + s * s)
    denom = 1 + beta * s * s
    out[0] = beta * rho * s / denom
    out[1] = t / denom


cdef inline void z_minus_tanh(real x, real y, const real* coef, real* out) noexcept nogil:
    cdef real wr, wi, pr, pi_, tr
    cdef real th[2]
    cdef int k
    cdef real modulus = hypot_(x, y)
    if modulus == modulus and modulus < 0.5:
        wr = x * x - y * y
        wi = 2 * x * y
        pr = coef[SERIES_TERMS - 1]
        pi_ = 0
        for k in range(SERIES_TERMS - 2, -1, -1):
            tr = pr * wr - pi_ * wi + coef[k]
            pi_ = pr * wi + pi_ * wr
            pr = tr
        # p * w * z
        tr = pr * wr - pi_ * wi
        pi_ = pr * wi + pi_ * wr
        pr = tr
        out[0] = pr * x - pi_ * y
        out[1] = pr * y + pi_ * x
    else:
        tanh_complex(x, y, th)
        out[0] = x - th[0]
        out[1] = y - th[1]
