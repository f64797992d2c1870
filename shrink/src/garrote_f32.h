/* float32 garrote magnitude and slope in float32 arithmetic with FMA.
 *
 * Used by the float32 kernels in _kernels.pxd (and so by the float16 and
 * bfloat16 loops, which call them) where the compiler has a fused multiply-add
 * instruction (SHRINK_GARROTE_F32); elsewhere fmaf would be a libm call and
 * those kernels compute in double instead. Plain scalar C: gcc and clang
 * vectorize it in the loops (no libm call, no branch), one vdivps per vector;
 * everything that depends on lambd alone is loop-invariant for a scalar lambd
 * and is hoisted out of the loop. The loops are bound by the number of vector
 * operations (about 25 per vector on AVX2, the division one of them), not by
 * the divider: the selects are integer max/and/or rather than blends (a blend
 * is 2 or 3 micro-operations on Intel), and out of the domain the NaN comes
 * through the arithmetic (a NaN t), not a select.
 *
 * Inputs: x and the usable lambd lq (usable_lambd in _kernels.pxd: -1 when
 * out of the domain, then the result is NaN). Below a = |x|, lc = lambd;
 * band lanes compute with a = lc (a = 2**-149 when lc = 0) and are zeroed.
 *
 * Method. U = lc / a; wanted m = (a - lc) * (1 + U) and G = 1 + U**2.
 *  1. Lanes with a above cap ~ lc * 2**30 (bit patterns: bits(lc) + (30 << 23),
 *     at most FLT_MAX; inf and NaN included) have U < 2**-30, so U**2 < 2**-60
 *     and the rounded m is a, the rounded G is 1 (a - a*U**2 is within a
 *     quarter ULP of a). Their arithmetic below runs on a = cap, and the
 *     magnitude is then replaced by a (an integer max on the bit patterns);
 *     for the slope they divide 0 instead of lc (U = 0 there, G = 1 exactly,
 *     also for a = inf when cap is FLT_MAX).
 *  2. Scaling by S = 2**(127 - e), e = max(exponent field of lc, 1), an exact
 *     power of two: lc' = lc * S is in [1, 2) (in [2**-23, 1) for subnormal lc)
 *     and a' = a * S in [lc', 2**32). In that range nothing overflows and no
 *     nonzero intermediate below falls under 2**-110 (each is a multiple of
 *     2**(e_u + e_a' - 47) or a product of such with 1/a' >= 2**-32), so every
 *     FMA error term used is exact or correct to 2**-24 relative and no FP
 *     flag is raised.
 *  3. u = lc' / a' (correctly rounded), its remainder rho = fma(-u, a', lc')
 *     is exact, and U = u + t with t = rho / a' = rho * (u * (1 / lc')) up to
 *     2**-22 relative (1 / lc' is loop-invariant); |t| <= 2**-24 * u.
 *  4. d = a' - lc' with its exact Fast2Sum error derr (a' >= lc'), so
 *     m' = (d + derr)(1 + u + t) = p + e1 + d*t + derr*(1 + u) + derr*t where
 *     p = fma(d, u, d) and e1 = fma(d, u, d - p) (d - p is exact: p is in
 *     [d, 2d], Sterbenz). The correction c = e1 + d*t + derr*(1 + u) is below
 *     3 * 2**-24 * p and is computed with relative error below 2**-22; derr*t
 *     (below 2**-47 p) is dropped: p + c is m' to 2**-44 relative, and the
 *     single rounding of p + c is within 0.5 + 2**-20 ULP of m'.
 *     m = m' / S, exact unless m is subnormal (then rounded once more: within
 *     1 ULP, and the exact result is itself that tiny).
 *  5. G = 1 + U**2 = q + (eq + 2 u t) + t**2 with q = fma(u, u, 1) and its
 *     exact error eq = fma(u, u, 1 - q) (1 - q exact, q in [1, 2]); t**2 is
 *     below 2**-48 and dropped: one rounding, within 0.5 + 2**-20 ULP.
 *
 * tests/test_section7.py checks these bounds against exact references on the
 * weak points (u near 0.5 and 1, x just above lambd, the 2**-30 cut, extremes,
 * random exponents).
 */
#ifndef SHRINK_GARROTE_F32_H
#define SHRINK_GARROTE_F32_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__FMA__) || defined(__aarch64__)
#define SHRINK_GARROTE_F32 1
#else
#define SHRINK_GARROTE_F32 0
#endif

static inline int32_t shrink_gf32_bits(float v) {
    int32_t i;
    memcpy(&i, &v, sizeof i);
    return i;
}

static inline float shrink_gf32_float(int32_t i) {
    float v;
    memcpy(&v, &i, sizeof v);
    return v;
}

/* mask ? t : f for an all-ones or all-zero mask, on the bit patterns (no
 * float compare: nothing to raise a flag, and gcc if-converts it everywhere). */
static inline float shrink_gf32_select(int32_t mask, float t, float f) {
    return shrink_gf32_float((mask & shrink_gf32_bits(t)) | (~mask & shrink_gf32_bits(f)));
}

/* Everything the kernels need, for x and the usable lambd lq (lq < 0: out of
 * the domain). On the bit patterns of |x| and lc (non-negative floats order as
 * their patterns, NaN above inf): band = |x| <= lc (NaN is not in the band),
 * big = |x| > cap (step 1; NaN and inf included; no lane when lq < 0), ix
 * the bit pattern of |x|. The lambd-only part is
 * loop-invariant for a scalar lambd. */
typedef struct {
    int32_t ix, band, big;
    float u, t, d, derr, unscale;
} shrink_gf32_parts;

/* slope: for the slope (step 5): lanes above cap divide 0 instead of lc', so
 * that u = t = 0 there and G = 1 exactly (no select), and t is returned times
 * 2 (the factor folded into the loop-invariant 1 / lc'). d and derr are then
 * unused. */
static inline __attribute__((always_inline)) shrink_gf32_parts
shrink_gf32_split(float x, float lq, int slope) {
    shrink_gf32_parts r;
    /* lambd alone, in integer operations (no float compare: gcc if-converts
     * these in the x86-64-v3 loops too) */
    /* + 0.0f: lambd = -0.0 is a valid threshold (SPEC: >= 0), +0.0 here */
    int32_t iq = shrink_gf32_bits(lq + 0.0f);
    int32_t il = iq & ~(iq >> 31);  /* lq < 0 (out of the domain): lc = 0 */
    int32_t icap = il <= 0x707fffff ? il + (30 << 23) : 0x7f7fffff;
    int32_t e = il >> 23;
    e = e < 1 ? 1 : e;
    float s = shrink_gf32_float(e < 254 ? (254 - e) << 23 : 0x00400000);
    float l1 = shrink_gf32_float(il) * s;
    /* 1 / l1 (times 2 for the slope), or 1 / 1 for lc = 0 (l1 = +0.0, all
     * bits zero). Out of the domain (lq < 0): no lane is in the band or above
     * cap, and 1 / l1 is NaN (a quiet NaN OR-ed into the divisor's bits),
     * hence t in every lane and every result is NaN through the arithmetic
     * (quiet NaN operands raise no flag), no select */
    int32_t nan_bits = (iq >> 31) & 0x7fc00000;
    int32_t il_band = il | (iq >> 31);
    int32_t ibig = icap | ((iq >> 31) & 0x7fffffff);  /* lq < 0: no lane above */
    float inv = (slope ? 2.0f : 1.0f)
                / shrink_gf32_float(shrink_gf32_bits(l1) | (-(il == 0) & 0x3f800000) | nan_bits);
    int32_t ilow = il > 1 ? il : 1;  /* lc = 0: band lanes divide by 2**-149 * s */
    r.unscale = shrink_gf32_float(e << 23);
    /* per element */
    int32_t ix = shrink_gf32_bits(x) & 0x7fffffff;
    r.ix = ix;
    r.band = -(ix <= il_band);
    r.big = -(ix > ibig);
    int32_t ia = ix < icap ? ix : icap;
    ia = ia > ilow ? ia : ilow;
    float a1 = shrink_gf32_float(ia) * s;
    float n1 = slope ? shrink_gf32_float(shrink_gf32_bits(l1) & ~r.big) : l1;
    float u = n1 / a1;
    r.t = fmaf(-u, a1, n1) * (u * inv);
    r.u = u;
    r.d = a1 - l1;
    r.derr = (a1 - r.d) - l1;
    return r;
}

/* garrote(x, lq) (steps 1-4): +0.0 in the band, NaN for NaN x or lq < 0. */
static inline __attribute__((always_inline)) float shrink_garrote_f32(float x, float lq) {
    shrink_gf32_parts q = shrink_gf32_split(x, lq, 0);
    float p = fmaf(q.d, q.u, q.d);
    float e1 = fmaf(q.d, q.u, q.d - p);
    float c = e1 + fmaf(q.d, q.t, fmaf(q.derr, q.u, q.derr));
    /* above cap: |x| itself. The computed magnitude is a non-negative float
     * below |x| there (it is computed with a = cap < |x|), so a signed integer
     * max on the bit patterns picks |x| (inf and NaN included), and picks the
     * computed one where |x| is masked to 0: two operations, no blend. */
    float mm = (p + c) * q.unscale;
    int32_t sign = shrink_gf32_bits(x) & (int32_t)0x80000000;
#if defined(__AVX512F__) || defined(__clang__)
    /* with AVX-512 a select is one masked move: fewer operations there; clang
     * (which keeps these loops scalar under -ffp-exception-behavior=maytrap)
     * turns the integer max below into a data-dependent branch */
    float m = shrink_gf32_select(q.big, shrink_gf32_float(q.ix), mm);
    return shrink_gf32_float(q.band ? 0 : shrink_gf32_bits(m) | sign);
#else
    int32_t im = shrink_gf32_bits(mm);
    int32_t big = q.ix & q.big;
    im = im > big ? im : big;
    /* x's sign; band lanes +0.0 */
    return shrink_gf32_float((im | sign) & ~q.band);
#endif
}

/* 1 + lc**2 / x**2 (steps 1-3 and 5); 2 or 1 in band lanes (zeroed by the
 * callers). Lanes above cap have u = t = 0 (shrink_gf32_split), so G = 1
 * exactly: the rounded value there (inf included), where U < 2**-30 or |x| is
 * inf. NaN |x| is taken by a signed integer max on the bit patterns (NaN
 * patterns lie above G's, and the masked 0 below). */
static inline __attribute__((always_inline)) float
shrink_gf32_slope(shrink_gf32_parts q) {
    float qq = fmaf(q.u, q.u, 1.0f);
    float eq = fmaf(q.u, q.u, 1.0f - qq);
    int32_t ig = shrink_gf32_bits(qq + fmaf(q.u, q.t, eq));  /* q.t is 2 t here */
    int32_t nan = q.ix & -(q.ix > 0x7f800000);
    return shrink_gf32_float(ig > nan ? ig : nan);
}

static inline __attribute__((always_inline)) float shrink_garrote_grad_f32(float x, float lq) {
    shrink_gf32_parts q = shrink_gf32_split(x, lq, 1);
    return shrink_gf32_float(shrink_gf32_bits(shrink_gf32_slope(q)) & ~q.band);
}

/* g times the rounded slope: within 0.5 ULP of g*G plus abs(g) times the
 * slope's bound (SPEC section 7). g is zeroed in the band before the product
 * (inf * 0 would be NaN); + 0 turns a -0.0 product into +0.0. */
static inline __attribute__((always_inline)) float
shrink_garrote_backward_f32(float g, float x, float lq) {
    shrink_gf32_parts q = shrink_gf32_split(x, lq, 1);
    float gb = shrink_gf32_float(shrink_gf32_bits(g) & ~q.band);
    return gb * shrink_gf32_slope(q) + 0.0f;
}

#endif
