/* float32 firm in float32 arithmetic with FMA.
 *
 * Used by the float32 firm kernel in _kernels.pxd (and so by the float16 and
 * bfloat16 loops, which call it) where the compiler has a fused multiply-add
 * instruction (SHRINK_FIRM_F32, the condition of SHRINK_GARROTE_F32: the
 * x86-64-v3 and x86-64-v4 builds and aarch64, one method for all of them);
 * elsewhere fmaf would be a libm call and the kernel computes in double
 * instead. Plain scalar C without branches or libm calls, so that gcc
 * vectorizes it (x86-64 and aarch64); everything that depends on the
 * thresholds alone (including the one division, in double) is loop-invariant
 * for broadcast thresholds and is hoisted out of the loop. Per vector: 3
 * integer operations to clamp |x|, 3 subtractions, 1 multiplication, 2 FMAs
 * and 1 multiplication (the scaling of step 1), 5 integer operations for the
 * zones and the sign, 1 addition: 16 operations besides the load and store,
 * no double conversion, no blend (gcc 12: 21 instructions per 8 floats in
 * the contiguous AVX2 loop, loop control included; 20 per 16 with AVX-512).
 * clang 14 with -ffp-exception-behavior=maytrap builds it but keeps the loop
 * scalar, as it did the double kernel: its strict-FP conversions are neither
 * hoisted nor vectorized.
 *
 * Inputs: x and the usable thresholds lo, hi (usable_lambd: -1 when out of
 * the domain); the result is NaN unless 0 <= lo <= hi. Below lc = lo,
 * hc = hi, a = |x|, m_e the exact value, u = 2**-24, RN() rounding to
 * nearest float32 (to double: RN_d()), ULP the float32 spacing at m_e
 * (2**-149 below 2**-126). The middle zone is lc < a <= hc, where firm is
 * m_e = S * (a - lc) with S = hc / (hc - lc) >= 1, at most hc. Every lane
 * computes with a = |x| clamped to [lc, hc] (integer min and max on the bit
 * patterns; NaN's bits exceed inf's and clamp to hc), so band lanes (a = lc)
 * compute an exact +0.0 and lanes beyond hc (NaN included) compute the value
 * at a = hc, which is hc (step 4): there an integer max with the bits of |x|
 * (|x| > hc) takes |x| instead. x's sign bit is or'ed in, and + bz (+0.0, or
 * NaN out of the domain) turns the band's -0.0 into +0.0.
 *
 * Method.
 *  1. Per call, in double: S_d = RN_d(hc / RN_d(hc - lc)), |S_d - S| <=
 *     2**-51.9 S (1 for an empty middle zone, lc == hc, where no lane uses
 *     it); S <= 2**25 (hc - lc is at least the spacing of floats below hc).
 *     Split sh = RN(S_d) >= 1 and sl = RN(S_d - sh) (S_d - sh is exact in
 *     double): |sl| <= u sh; sl is 0 or at least 2**-52 (a multiple of S_d's
 *     double spacing); sigma = S - sh - sl has |sigma| <= 2**-51.9 S + u**2 sh
 *     <= 2**-47.9 S. Scale K = 2**100 where hc < 2**8, else K = 1: the FMAs
 *     use shk = K sh and slk = K sl (exact) and the result is multiplied by
 *     1 / K.
 *  2. d = RN(a - lc), derr = RN(RN(a - d) - lc): Fast2Sum (a >= lc >= 0), so
 *     d + derr = a - lc exactly, |derr| <= u d, derr = 0 where d is
 *     subnormal (such a difference is exact) and where a <= 2 lc (Sterbenz),
 *     and derr is a multiple of the spacing of floats at lc.
 *  3. q = RN(d * slk), c = RN(derr * shk + q) (FMA), y = d * shk + c (exact
 *     inside the second FMA), m1 = RN(y), m = RN(m1 / K). From
 *     K m_e = K (sh + sl + sigma)(d + derr):
 *       y - K m_e = e_q + e_c - K derr sl - K sigma (a - lc),
 *     e_q and e_c the roundings of q and c. When each rounding is exact or
 *     of a normal value (step 4): |e_q| <= u**2 K d sh, |e_c| <= u |K derr sh
 *     + q| <= (2 + u) u**2 K d sh, |K derr sl| <= u**2 K d sh and
 *     |K sigma (a - lc)| <= 2**-47.9 K m_e; with d sh <= (1 + 2**-22) m_e
 *     (m_e >= S d (1 - u), sh <= S (1 + u)(1 + 2**-51.9)) this is
 *     |y - K m_e| <= 2**-45.6 K m_e, below 2**-21.6 ULP of K m_e (24 bits:
 *     K m_e < 2**24 of its ULPs). So m1, rounded once, is within
 *     0.5 + 2**-21.6 ULP of K m_e (y is too close to K m_e for a rounding
 *     boundary of another binade to lie between them).
 *  4. No underflow or overflow before the last rounding, so step 3 holds:
 *     - K = 2**100 (hc < 2**8): for d > 0, K d >= 2**-49, so q is 0 or
 *       |K d sl| >= 2**-101; K derr sh is a multiple of 2**-72 (shk of
 *       2**77) and q, normal, of 2**-124, so c's exact value is 0 or
 *       normal; y >= K d sh >= 2**-49. At most y <= K hc (1 + 2**-45) <
 *       2**109 and shk <= 2**125.
 *     - K = 1 (hc >= 2**8): where S_d = 1 (sh = 1, sl = 0), q = 0, c = derr
 *       and y = a - lc: exact but for the last rounding, of a - lc (exact
 *       where subnormal). Otherwise RN_d(hc - lc) != hc, which needs
 *       lc >= 2**-54 hc >= 2**-46: then d >= 2**-69 (the spacing at lc),
 *       |d sl| >= 2**-121, c's exact value is a multiple of 2**-144 (exact
 *       where below 2**-126) and y >= 2**-69.
 *     - m_e <= hc and y is within 2**-21.6 ULP of K m_e: m1 <= K hc, a
 *       float, also for hc = FLT_MAX (y rounds to it, never to inf; the
 *       FMA does not round d * shk on its own, so no scaling is needed at
 *       the top of the range). At a = hc, m_e = hc and m = hc exactly.
 *       Band lanes: d = 0, every value an exact +0.0. No FP flag in band
 *       and beyond lanes, and none in middle lanes but step 5's underflow.
 *  5. m = RN(m1 / K) is exact where K = 1 and where m_e >= 2**-126 (then
 *     m1 >= 2**-126 K): normal results are within 0.5 + 2**-21.6 ULP, as are
 *     the subnormal results of K = 1 (a - lc rounded once). A subnormal
 *     result of K = 2**100 is rounded a second time: m1 / K is within
 *     (0.5 + 2**-21.6) 2**-150, i.e. 0.25 + 2**-22.6 ULP (the 24-bit spacing
 *     below 2**-126 is at most half the subnormal one), then half an ULP:
 *     within 0.75 + 2**-22.6 ULP, with the underflow flag of that inexact
 *     subnormal result (np.multiply's).
 *     lc == hc: no middle lane, band and beyond lanes as above, the result
 *     is hardshrink's bits (SPEC section 7).
 *
 * Bound: float32 firm within 0.5 + 2**-21.6 ULP of the exact value where it
 * is normal and 0.75 + 2**-22.6 ULP where it is subnormal, so within 1 ULP
 * (SPEC section 7); tests/test_section7.py checks 0.5 + 2**-21 and
 * 0.75 + 2**-22. float16 and bfloat16 (rounded from this float32 result r):
 * every rounding boundary B of float16 and of bfloat16 (the midpoint of two
 * neighbours) is a float32 value. Where the exact value v is more than one
 * float32 ULP (at v) from every B, |r - v| <= 0.75 + 2**-22.6 ULP < |B - v|:
 * r lies strictly on v's side of each boundary and rounds to the float16 /
 * bfloat16 value v rounds to. So those are correctly rounded except within
 * 1 float32 ULP of a boundary (SPEC section 7 allows 4).
 *
 * The same element gives the same bits in every layout: the kernel is
 * elementwise and its loop-invariants depend on the thresholds alone.
 * tests/test_section7.py checks the bound on the weak points (d tiny and
 * huge relative to lc, a near 2 lc, S_d just above 1 and sl near 2**-52,
 * hc on both sides of 2**8, subnormal thresholds and results, hc near
 * FLT_MAX, results near hc) and the absence of FP flags.
 */
#ifndef SHRINK_FIRM_F32_H
#define SHRINK_FIRM_F32_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "garrote_f32.h" /* shrink_gf32_bits, _float; SHRINK_GARROTE_F32 */

#define SHRINK_FIRM_F32 SHRINK_GARROTE_F32

/* The thresholds' bit patterns, in integer operations (no float compare or
 * select for gcc to leave unconverted inside the loop). lo and hi come from
 * usable_lambd: a float >= 0 or -1. The pair is out of the domain (nan_pair
 * all ones, il = ih = 0) when either is -1 or lo > hi; -0.0 is a threshold of
 * +0.0. Loop-invariant for broadcast thresholds. */
typedef struct { int32_t nan_pair, il, ih; } shrink_ff32_pair;

static inline __attribute__((always_inline)) shrink_ff32_pair
shrink_ff32_thresholds(float lo, float hi) {
    shrink_ff32_pair q;
    int32_t ilo = shrink_gf32_bits(lo), ihi = shrink_gf32_bits(hi);
    ilo = ilo == INT32_MIN ? 0 : ilo;
    ihi = ihi == INT32_MIN ? 0 : ihi;
    q.nan_pair = ((ilo | ihi) >> 31) | -(ihi < ilo);
    q.il = ilo & ~q.nan_pair;
    q.ih = ihi & ~q.nan_pair;
    return q;
}

static inline __attribute__((always_inline)) float
shrink_firm_f32(float x, float lo, float hi) {
    /* the thresholds alone: loop-invariant for broadcast thresholds */
    shrink_ff32_pair q = shrink_ff32_thresholds(lo, hi);
    int32_t il = q.il, ih = q.ih;
    float lc = shrink_gf32_float(il), hc = shrink_gf32_float(ih);
    double z = il == ih ? 1.0 : 0.0;
    double s = ((double)hc * (1 - z) + z) / ((double)hc - (double)lc + z);
    float sh = (float)s;
    float sl = (float)(s - (double)sh);
    /* step 1's scale: hc < 2**8 (on the bits), sh and sl times K = 2**100
     * (sh >= 1 by an exponent addition; sl may be 0: multiplied), the result
     * times 2**-100 */
    int32_t k = -(ih < 0x43800000) & (100 << 23);
    float shk = shrink_gf32_float(shrink_gf32_bits(sh) + k);
    float slk = sl * shrink_gf32_float(0x3f800000 + k);
    float unk = shrink_gf32_float(0x3f800000 - k);
    float bz = shrink_gf32_float(q.nan_pair & 0x7fc00000);

    /* per element: a = |x| clamped to [lc, hc] on the bit patterns */
    int32_t ixs = shrink_gf32_bits(x);
    int32_t ixa = ixs & 0x7fffffff;
    int32_t ia = ixa < ih ? ixa : ih;
    ia = ia > il ? ia : il;
    float a = shrink_gf32_float(ia);
    float d = a - lc;  /* step 2 */
    float derr = (a - d) - lc;
    float c = fmaf(derr, shk, d * slk);  /* step 3 */
    float m = fmaf(d, shk, c) * unk;
    /* beyond hc (NaN included): |x| > hc = m there; sign of x; band +0.0 */
    int32_t ib = -(ixa > ih) & ixa;
    int32_t im = shrink_gf32_bits(m);
    im = im > ib ? im : ib;
    return shrink_gf32_float(im | (ixs ^ ixa)) + bz;
}

/* firm's gradient times g (g = 1 for the gradient itself) for the AVX2 build
 * without AVX-512 (SHRINK_FIRM_GRAD_F32): the value of firm_gradient in
 * _kernels.pxd (slope s = (float)(hc / (hc - lc)) in the middle zone, 1
 * beyond, g zeroed in the band, NaN at NaN x and out of the domain), with
 * the zones taken on the bit patterns of |x| (integer compares: no float
 * compare to mask NaN for, no select of the out-of-domain NaN per vector).
 * g * slope is rounded once in float, as the Cython kernel's double product
 * (exact: 24 + 24 bits) rounded to float is: the same bits. A NaN x is
 * added (its bits, else +0.0; the out-of-domain NaN's bits or'ed in): g * 1
 * + x is g's NaN or x's, as g * x is, and + 0.0 turns -0.0 into +0.0. */
#if defined(__AVX2__) && !defined(__AVX512F__)
#define SHRINK_FIRM_GRAD_F32 1
#else
#define SHRINK_FIRM_GRAD_F32 0
#endif

static inline __attribute__((always_inline)) float
shrink_firm_gradient_f32(float x, float lo, float hi, float g) {
    shrink_ff32_pair q = shrink_ff32_thresholds(lo, hi);
    int32_t nan_pair = q.nan_pair, il = q.il, ih = q.ih;
    float lc = shrink_gf32_float(il), hc = shrink_gf32_float(ih);
    double zd = il == ih ? 1.0 : 0.0;
    float s = (float)((double)hc / (((double)hc - (double)lc) + zd));
    int32_t ibz = nan_pair & 0x7fc00000;

    int32_t ixs = shrink_gf32_bits(x);
    int32_t ix = ixs & 0x7fffffff;
    float slope = shrink_gf32_float(ix > ih ? 0x3f800000 : shrink_gf32_bits(s));
    float gb = shrink_gf32_float(ix <= il ? 0 : shrink_gf32_bits(g));
    float zb = shrink_gf32_float((ixs & -(ix > 0x7f800000)) | ibz);
    return gb * slope + zb;
}

#endif
