"""Scalar kernels of hardshrink, softshrink and their derivatives.

Each kernel is written branch-free (values are computed, then selected) so that
the loops around it vectorize, and it raises no floating-point flag on NaN or
inf: an ordered compare (<, >=) on a NaN raises FE_INVALID, which NumPy turns
into a RuntimeWarning, while == is quiet. So NaN is masked out with `v == v`
before any ordered compare; masking costs nothing measurable.

The kernels take lambd through usable_lambd(), which the loops apply once per
call when lambd is a broadcast scalar: out of the domain (lambd negative, NaN or
infinite) it gives -1, and every kernel then returns NaN, never a plausible
number (the scipy.special convention). The Python layer rejects such lambd
before it gets here.
"""

from libc.math cimport INFINITY, NAN, isinf, isnan

from shrink._libm cimport real, copysign_, fabs_, fma_, hypot_, sqrt_

cdef extern from *:
    """
    /* 1 where the loops are compiled for AVX-512 (masked vector operations) */
    #if defined(__AVX512F__)
    #define SHRINK_AVX512 1
    #else
    #define SHRINK_AVX512 0
    #endif
    """
    const bint SHRINK_AVX512

cdef extern from "garrote_f32.h" nogil:
    # 1 where the loops have a fused multiply-add (x86-64-v3/v4 builds, aarch64):
    # the float32 garrote kernels compute in float32 there (src/garrote_f32.h)
    const bint SHRINK_GARROTE_F32
    float shrink_garrote_f32(float x, float lq)
    float shrink_garrote_grad_f32(float x, float lq)
    float shrink_garrote_backward_f32(float g, float x, float lq)

cdef extern from "firm_f32.h" nogil:
    # the same builds: the float32 firm kernel computes in float32 there
    # (src/firm_f32.h)
    const bint SHRINK_FIRM_F32
    float shrink_firm_f32(float x, float lo, float hi)
    # 1 in the AVX2 build without AVX-512: firm_gradient for float in C there
    const bint SHRINK_FIRM_GRAD_F32
    float shrink_firm_gradient_f32(float x, float lo, float hi, float g)

cdef extern from "firm_f64.h" nogil:
    # 1 in the AVX2 build without AVX-512 (x86-64-v3): the double firm kernel
    # is written in C there, for the same bits in fewer vector instructions
    # (src/firm_f64.h)
    const bint SHRINK_FIRM_F64
    double shrink_firm_f64(double x, double lo, double hi)

cdef extern from "garrote_f64.h" nogil:
    # the same build: the double garrote kernels are written in C there, for
    # the same bits with integer compares and one select (src/garrote_f64.h)
    const bint SHRINK_GARROTE_F64
    double shrink_garrote_f64(double x, double lq)
    double shrink_garrote_grad_f64(double x, double lq)
    double shrink_garrote_backward_f64(double g, double x, double lq)

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


# SPEC §7 families: garrote, firm and shrink (the ONNX operator). Real kernels
# are branch-free like the ones above; every intermediate is computed from
# operands selected first, so that no lane divides by 0 or overflows where the
# result is +0.0 or x (no FP flag, as the module docstring says). float32
# kernels that round more than once compute in double and round once (the
# float16 and bfloat16 loops call them with float, so they do too); garrote's
# and firm's compute in float32 with FMA where the build has it
# (src/garrote_f32.h: one division and one FMA per vector, within 5/6 ULP, the
# slope within 1 ULP; src/firm_f32.h: the slope split in two floats once per
# call, Fast2Sum and two FMAs, within 0.5 + 2**-21.6 ULP for normal results,
# 0.75 + 2**-22.6 for subnormal ones).

cdef inline real garrote_magnitude(real a, real lc) noexcept nogil:
    """a - lc**2 / a for a > lc >= 0, as (a - lc) * (1 + lc / a): a - lc is exact
    near the band edge (Sterbenz, a <= 2 lc), where a - lc**2/a cancels, and
    no intermediate overflows (lc / a <= 1) or underflows harmfully."""
    return (a - lc) * (1 + lc / a)


cdef inline real garrote(real x, real lq) noexcept nogil:
    # The band is applied by multiplying with keep (0 or 1) rather than by a
    # select after the division: gcc (-ftrapping-math) would not if-convert a
    # select whose arm divides, and left the loop scalar. Band lanes divide by
    # lc (or 1), so m is finite there and m * 0 is a zero, made +0.0 by + 0.
    if real is float:
        if SHRINK_GARROTE_F32:
            return shrink_garrote_f32(x, lq)
    if real is double:
        if SHRINK_GARROTE_F64:
            return shrink_garrote_f64(x, lq)
    cdef real lc = domain_lambd(lq)
    cdef bint band = in_band(x, lc)
    cdef real keep = 0 if band else 1
    cdef real inside = lc if lc > 0 else 1
    cdef real a = inside if band else fabs_(x)  # NaN stays NaN
    cdef real m
    if real is float:
        m = <float>garrote_magnitude(<double>a, <double>lc)
    else:
        m = garrote_magnitude(a, lc)
    cdef real y = copysign_(m, x) * keep + 0
    return y if lq >= 0 else NAN


cdef inline real garrote_slope(real a, real lc) noexcept nogil:
    """1 + lc**2 / a**2 = 1 + (lc / a)**2, lc / a <= 1: no overflow."""
    cdef real q = lc / a
    return 1 + q * q


cdef inline real garrote_grad(real x, real lq) noexcept nogil:
    # keep as in garrote: no select after the division
    if real is float:
        if SHRINK_GARROTE_F32:
            return shrink_garrote_grad_f32(x, lq)
    if real is double:
        if SHRINK_GARROTE_F64:
            return shrink_garrote_grad_f64(x, lq)
    cdef real lc = domain_lambd(lq)
    cdef bint band = in_band(x, lc)
    cdef real keep = 0 if band else 1
    cdef real inside = lc if lc > 0 else 1
    cdef real a = inside if band else fabs_(x)  # band lanes: lc / a <= 1, no overflow
    cdef real s
    if real is float:
        s = <float>garrote_slope(<double>a, <double>lc)
    else:
        s = garrote_slope(a, lc)
    cdef real y = s * keep + 0
    return y if lq >= 0 else NAN


cdef inline real garrote_backward(real g, real x, real lq) noexcept nogil:
    # g is zeroed in the band before the product (inf * 0 would be NaN); + 0
    # turns a -0.0 product into +0.0.
    if real is float:
        if SHRINK_GARROTE_F32:
            return shrink_garrote_backward_f32(g, x, lq)
    if real is double:
        if SHRINK_GARROTE_F64:
            return shrink_garrote_backward_f64(g, x, lq)
    cdef real lc = domain_lambd(lq)
    cdef bint band = in_band(x, lc)
    cdef real inside = lc if lc > 0 else 1
    cdef real a = inside if band else fabs_(x)  # band lanes: lc / a <= 1, no overflow
    cdef real gb = 0 if band else g
    cdef real y
    if real is float:
        y = <float>(<double>gb * garrote_slope(<double>a, <double>lc)) + 0
    else:
        y = gb * garrote_slope(a, lc) + 0
    return y if lq >= 0 else NAN


cdef inline real usable_pair_low(real lo, real hi) noexcept nogil:
    """lo when 0 <= lo <= hi (both usable), else -1: the firm kernels then give NaN."""
    # thresholds reach the kernels through usable_lambd (no NaN: these ordered
    # compares raise no flag); & rather than `and`: gcc does not if-convert the
    # short-circuit's conditional compare (it "could trap")
    cdef bint ok = (lo >= 0) & (hi >= 0) & (lo <= hi)
    return lo if ok else -1


cdef inline real firm_middle(real a, real lo, real hi, real slope) noexcept nogil:
    """hi * (a - lo) / (hi - lo) for lo < a <= hi, as slope * (a - lo) with
    slope = firm_slope(...) = hi / (hi - lo), at most hi: the slope >= 1 cannot
    underflow (hi * ((a - lo) / d) did, for hi near the largest float), and
    the product is at most hi where hi * (a - lo) could overflow. The slope
    depends on the thresholds only: with broadcast thresholds gcc computes it
    once, before the loop."""
    cdef real y = slope * (a - lo)
    return y if y < hi else hi


cdef inline real firm_slope(real lc, real hc) noexcept nogil:
    """hc / (hc - lc); hc for an empty middle zone (hc == lc), where no lane
    uses it. d + (d == 0) rather than a select of 1: no select arm for gcc to
    move the division into (hc - lc >= 0: lc <= hc once sanitised)."""
    cdef real d = hc - lc
    return hc / (d + <real>(d == 0))


cdef inline double firm_slope_f32(float lc, float hc) noexcept nogil:
    """firm_slope in double for float32 thresholds, hc - lc exact in double (in
    float32 it may round: lambd_high = 3e38, lambd_low = 0.1)."""
    cdef double d = <double>hc - <double>lc
    return <double>hc / (d + <double>(d == 0))


cdef inline real firm(real x, real lo, real hi) noexcept nogil:
    if real is float:
        if SHRINK_FIRM_F32:
            return shrink_firm_f32(x, lo, hi)
    if real is double:
        if SHRINK_FIRM_F64:
            return shrink_firm_f64(x, lo, hi)
    cdef real lq = usable_pair_low(lo, hi)
    cdef real lc = domain_lambd(lq)
    cdef real hc = hi if lq >= 0 else 0
    cdef bint band = in_band(x, lc)
    cdef bint middle = (not band) and in_band(x, hc)
    cdef real a = fabs_(x) if middle else hc  # middle lanes only: no 0/0 elsewhere
    cdef real m
    if real is float:
        m = <float>firm_middle(<double>a, <double>lc, <double>hc, firm_slope_f32(lc, hc))
    else:
        m = firm_middle(a, lc, hc, firm_slope(lc, hc))
    cdef real passed = x + 0  # x outside both zones (x != 0 there)
    cdef real y = 0 if band else (copysign_(m, x) if middle else passed)
    return y if lq >= 0 else NAN


cdef inline real firm_gradient(real x, real lo, real hi, real g) noexcept nogil:
    """g times firm's gradient (g = 1 for the gradient itself): the slope in
    the middle zone, 1 beyond, +0.0 in the band, NaN at NaN x. The band is
    applied to g before the product (inf * 0 would be NaN) and the zones are
    one select between two loop-invariant slopes, so the loop vectorizes."""
    if real is float:
        if SHRINK_FIRM_GRAD_F32:
            return shrink_firm_gradient_f32(x, lo, hi, g)
    cdef real lq = usable_pair_low(lo, hi)
    cdef real lc = domain_lambd(lq)
    cdef real hc = hi if lq >= 0 else 0
    cdef bint band = in_band(x, lc)
    cdef bint beyond = not in_band(x, hc)
    cdef real s
    if real is float:
        s = <float>firm_slope_f32(lc, hc)
    else:
        s = firm_slope(lc, hc)
    cdef real slope, b
    if real is float:
        slope = 1 if beyond else s
    else:
        if SHRINK_AVX512:
            # 1 beyond, s in the middle zone, by arithmetic (s is finite, so
            # both products are exact): with a select, gcc moved the slope's
            # division into the select's arm, and the AVX-512 loop kept it (a
            # masked vdivpd per vector instead of one division before the
            # loop). Elsewhere the select is hoisted and two instructions shorter.
            b = 1 if beyond else 0
            slope = s * (1 - b) + b
        else:
            slope = 1 if beyond else s
    slope = slope if x == x else x
    cdef real gb = 0 if band else g
    cdef real y
    if real is float:
        y = <float>(<double>gb * <double>slope) + 0
    else:
        y = gb * slope + 0
    return y if lq >= 0 else NAN


cdef inline real firm_grad(real x, real lo, real hi) noexcept nogil:
    return firm_gradient(x, lo, hi, 1)


cdef inline real firm_backward(real g, real x, real lo, real hi) noexcept nogil:
    return firm_gradient(x, lo, hi, g)


cdef inline real shrink(real x, real lq, real b) noexcept nogil:
    """x - b above the band, x + b below it (one correctly rounded operation),
    +0.0 inside: the operands are selected first, so the band computes 0 - 0."""
    cdef real lc = domain_lambd(lq)
    cdef bint band = in_band(x, lc)
    cdef real xb = 0 if band else x
    cdef real bb = 0 if (band or b != b) else b
    # +b above the band, -b below it: sign(x) * b is exact; no ordered compare
    # on x (NaN is quiet here)
    cdef real y = xb - copysign_(<real>1, x) * bb
    return y if (lq >= 0 and b == b) else NAN


cdef inline real shrink_grad(real x, real lq, real b) noexcept nogil:
    # bias moves the value, not the slope: hardshrink's gradient.
    cdef real y = hardshrink_grad(x, lq)
    return y if b == b else NAN


cdef inline real shrink_backward(real g, real x, real lq, real b) noexcept nogil:
    cdef real y = hardshrink_backward(g, x, lq)
    return y if b == b else NAN


# Complex §7 forward kernels (scalar code; |z| as np.abs computes it). The scale
# factors are written so that an |z| that overflows to inf gives z, not NaN.

cdef inline void garrote_complex(real re, real im, real lq, real* out) noexcept nogil:
    """z * (1 - lambd**2 / |z|**2) = z * (1 - q) * (1 + q), q = lambd / |z|."""
    cdef real a = modulus(re, im)
    cdef real q, scale
    if lq < 0:
        out[0] = NAN
        out[1] = NAN
    elif a != a or a > lq:
        q = lq / a
        scale = (1 - q) * (1 + q)
        out[0] = re * scale
        out[1] = im * scale
    else:
        out[0] = 0
        out[1] = 0


cdef inline void firm_complex(real re, real im, real lo, real hi, real* out) noexcept nogil:
    """z / |z| * hi * (|z| - lo) / (hi - lo) where lo < |z| <= hi, z beyond."""
    cdef real lq = usable_pair_low(lo, hi)
    cdef real a = modulus(re, im)
    cdef real scale
    if lq < 0:
        out[0] = NAN
        out[1] = NAN
    elif a != a or a > hi:
        out[0] = re
        out[1] = im
    elif a > lq:
        scale = hi * ((a - lq) / a) / (hi - lq)
        out[0] = re * scale
        out[1] = im * scale
    else:
        out[0] = 0
        out[1] = 0


cdef inline void shrink_complex(real re, real im, real lq, real b, real* out) noexcept nogil:
    """z * (|z| - bias) / |z| = z * (1 - bias / |z|) outside the band."""
    cdef real a = modulus(re, im)
    cdef real scale
    if lq < 0 or b != b:
        out[0] = NAN
        out[1] = NAN
    elif a != a or a > lq:
        scale = 1 - b / a
        out[0] = re * scale
        out[1] = im * scale
    else:
        out[0] = 0
        out[1] = 0
