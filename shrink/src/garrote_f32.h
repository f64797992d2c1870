/* float32 garrote magnitude and slope in float32 arithmetic with FMA.
 *
 * Used by the float32 kernels in _kernels.pxd (and so by the float16 and
 * bfloat16 loops, which call them) where the compiler has a fused multiply-add
 * instruction (SHRINK_GARROTE_F32: the x86-64-v3, x86-64-v4 and aarch64
 * builds, one method); elsewhere fmaf would be a libm call and those kernels
 * compute in double instead. Plain scalar C: gcc and clang vectorize it in the
 * loops (no libm call, no branch), one vdivps per vector; everything that
 * depends on lambd alone is loop-invariant for a scalar lambd and is hoisted
 * out of the loop. The loops are bound by the number of vector operations, so
 * there are few: in the contiguous loops of the x86-64-v3 build (gcc 12),
 * 13 per 8 floats for garrote, 9 for garrote_grad, 10 for garrote_backward,
 * the division one of them. Selects are integer and/max on the bit patterns
 * (a blend is 2 or 3 micro-operations on Intel); the band, the lanes above
 * cap and NaN out of the domain come out of the arithmetic.
 *
 * Inputs: x and the usable lambd lq (usable_lambd in _kernels.pxd: -1 when
 * out of the domain, then the result is NaN). Below a = |x|, lc = lambd,
 * U = lc / a, u the float32 division lc / a (correctly rounded), ulp(v) the
 * float32 spacing at v. Band lanes compute with a = lc (a = 2**-149 when
 * lc = 0, so no lane divides by 0).
 *
 * Method and error bounds.
 *  1. The divisor is a lowered to cap: the bit pattern bits(lc) + (30 << 23),
 *     at most FLT_MAX, a float >= lc * 2**30 (for subnormal lc too). Below
 *     cap, u is a normal float in [2**-52, 1] (in [2**-30, 1] for normal lc),
 *     or 0 for lc = 0: the division neither underflows nor overflows, and
 *     |u - U| <= ulp(U) / 2. Every other operation is exact (d below, the
 *     masked operands) or the final FMA, so nothing is scaled: no
 *     intermediate underflows or overflows, and the only FP flag is the
 *     underflow of a result that is itself subnormal.
 *  2. m = a - lc**2 / a = (a - lc)(1 + U) by one FMA whose operands are
 *     chosen with an and-mask on |x| <= 2 lc (an integer compare with the
 *     pattern of 2 lc):
 *     a <= 2 lc: d = a - lc is exact (Sterbenz) and m = fma(d, u, d).
 *       U is in [1/2, 1), |u - U| <= 2**-25, so the FMA's exact sum is off by
 *       at most d * 2**-25 = m * 2**-25 / (1 + U) < ulp(m) / 3 (ulp(m) >
 *       m * 2**-24 for normal m).
 *     a > 2 lc: m = fma(-lc, u, a). With U in [2**j, 2**(j+1)), j <= -2:
 *       off by at most lc * 2**(j-24) < a * 2**(2j-23), and m >= 3a/4, so
 *       below (4/3) * 2**(2j+1) ulp(m) <= ulp(m) / 6.
 *     Rounded once: within 0.5 + 1/3 = 5/6 ULP (approached at a = 2 lc, where
 *     both bounds are 1/3; 0.79 measured). A subnormal m is rounded once to
 *     the subnormal spacing 2**-149, and the offsets above are below
 *     2**-151 / 1.5 there: within 0.5 + 1/6 = 2/3 ULP.
 *     Band lanes (a = lc): d = 0, m = +0.0, then x's sign and + 0: +0.0.
 *     Above cap (U < 2**-30, inf and NaN included): lc * u <= 2**-59 a, so
 *     the FMA rounds to a itself, the rounded exact value (inf stays inf;
 *     NaN comes through the addend). lc = 0: u = 0 and m = |x| (x = 0 is
 *     a band lane).
 *  3. G = 1 + U**2 = fma(u, u, 1), rounded once. |u**2 - U**2| = |u - U|
 *     (u + U) <= ulp(U)/2 * (2U + ulp(U)/2), and U <= 1 - 2**-24 (a > lc, both
 *     floats): for U in [1/2, 1) at most 2**-25 (2 - 3 * 2**-25) =
 *     (1/2 - 3 * 2**-27) ulp(G) (ulp(G) = 2**-23 on [1, 2)), for smaller U
 *     below ulp(G) / 8. So G is within 1 - 3 * 2**-27 ULP: faithful (one of
 *     the two floats around G), not always correctly rounded. Lanes above
 *     cap divide by inf instead (by |x| itself when it is NaN: an integer max
 *     on the patterns): u = 0, G = 1 exactly, the rounded value there.
 *  4. The backward is g times the rounded G, rounded once: within 0.5 ULP
 *     of that product, so within SPEC section 7's 1 ULP of g*G plus abs(g)
 *     times the slope's bound.
 *  Out of the domain (lq < 0) no lane is in the band or above cap and the
 *  dividend is a quiet NaN: u, and every result, is NaN (quiet NaN operands
 *  raise no flag).
 *
 * tests/test_section7.py (test_garrote_float32_weak_points) checks these
 * bounds against float64 references on the weak points: a near 2 lc on both
 * sides, x just above lambd (u just below 1), u around the 2**-30 cut,
 * extremes, subnormal results and random exponents.
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

/* What depends on the usable lambd lq alone (loop-invariant for a scalar
 * lambd): bit patterns (non-negative floats order as their patterns, NaN
 * above inf) and floats. */
typedef struct {
    int32_t band;  /* |x| <= band: in the band (out of the domain -1: no lane) */
    int32_t low;   /* |x| raised to low: lc (band lanes compute with a = lc), 2**-149 for lc = 0 */
    int32_t cap;   /* a lowered to cap ~ lc * 2**30, at most FLT_MAX */
    int32_t big;   /* |x| > big: above cap (out of the domain: no lane) */
    int32_t near;  /* |x| < near: |x| <= 2 lc */
    float num;     /* lc, or a quiet NaN out of the domain */
    float lb;      /* the float of low */
} shrink_gf32_lambd;

static inline __attribute__((always_inline)) shrink_gf32_lambd
shrink_gf32_lambd_parts(float lq) {
    shrink_gf32_lambd r;
    /* + 0.0f: lambd = -0.0 is a valid threshold (SPEC: >= 0), +0.0 here */
    int32_t iq = shrink_gf32_bits(lq + 0.0f);
    int32_t out = iq >> 31;  /* -1 when lq < 0 (out of the domain) */
    int32_t il = iq & ~out;  /* lc; 0 out of the domain */
    r.band = il | out;
    r.low = il > 1 ? il : 1;
    r.cap = il <= 0x707fffff ? il + (30 << 23) : 0x7f7fffff;
    r.big = r.cap | (out & 0x7fffffff);
    /* the pattern of 2 lc, exact (the exponent field + 1, or the pattern
     * doubled for subnormal lc; 0 for lc = 0), at most FLT_MAX's: every
     * finite |x| is below 2 lc when 2 lc overflows */
    int32_t i2 = il < 0x00800000 ? il * 2 : il + 0x00800000;
    r.near = (i2 < 0x7f7fffff ? i2 : 0x7f7fffff) + 1;
    r.num = shrink_gf32_float(il | (out & 0x7fc00000));
    r.lb = shrink_gf32_float(r.low);
    return r;
}

/* garrote(x, lq): +0.0 in the band, NaN for NaN x or lq < 0. */
static inline __attribute__((always_inline)) float shrink_garrote_f32(float x, float lq) {
    shrink_gf32_lambd l = shrink_gf32_lambd_parts(lq);
    int32_t ix = shrink_gf32_bits(x) & 0x7fffffff;
    int32_t ia = ix > l.low ? ix : l.low;  /* a: |x|, lc in the band */
    int32_t ib = ia < l.cap ? ia : l.cap;
    float u = l.num / shrink_gf32_float(ib);
    /* one FMA of operands chosen with and-masks (no blend): fma(d, u, d)
     * with d = a - lc where |x| <= 2 lc (0 in the band), else fma(-lc, u, a) */
    int32_t near = -(l.near > ix);
    float fa = shrink_gf32_float(ib & near) - l.lb;
    float fb = shrink_gf32_float(ia) - shrink_gf32_float(shrink_gf32_bits(l.lb) & near);
    float m = fmaf(fa, u, fb);
    /* x's sign; + 0 makes the -0.0 of negative band lanes +0.0 */
    return shrink_gf32_float(shrink_gf32_bits(m) | (shrink_gf32_bits(x) ^ ix)) + 0.0f;
}

/* 1 + lc**2 / x**2; 2 or 1 in band lanes (zeroed by the callers). Lanes
 * above cap divide by inf (by |x| itself when it is NaN: an integer max on the
 * patterns), so u = 0 and G = 1 exactly there, NaN for NaN x. */
static inline __attribute__((always_inline)) float
shrink_gf32_slope(int32_t ix, shrink_gf32_lambd l) {
    int32_t ia = ix > l.low ? ix : l.low;
    int32_t inf = 0x7f800000 & -(ix > l.big);
    float u = l.num / shrink_gf32_float(ia > inf ? ia : inf);
    return fmaf(u, u, 1.0f);
}

static inline __attribute__((always_inline)) float shrink_garrote_grad_f32(float x, float lq) {
    shrink_gf32_lambd l = shrink_gf32_lambd_parts(lq);
    int32_t ix = shrink_gf32_bits(x) & 0x7fffffff;
    return shrink_gf32_float(shrink_gf32_bits(shrink_gf32_slope(ix, l)) & -(ix > l.band));
}

/* g times the rounded slope, rounded once (SPEC section 7: within 1 ULP of
 * g*G plus abs(g) times the slope's bound). g is zeroed in the band before
 * the product (inf * 0 would be NaN); + 0 turns a -0.0 product into +0.0. */
static inline __attribute__((always_inline)) float
shrink_garrote_backward_f32(float g, float x, float lq) {
    shrink_gf32_lambd l = shrink_gf32_lambd_parts(lq);
    int32_t ix = shrink_gf32_bits(x) & 0x7fffffff;
    float gb = shrink_gf32_float(shrink_gf32_bits(g) & -(ix > l.band));
    return gb * shrink_gf32_slope(ix, l) + 0.0f;
}

#endif
