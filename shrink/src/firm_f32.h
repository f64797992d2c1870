/* float32 firm in float32 arithmetic with FMA.
 *
 * Used by the float32 firm kernel in _kernels.pxd (and so by the float16 and
 * bfloat16 loops, which call it) where the compiler has a fused multiply-add
 * instruction (SHRINK_FIRM_F32, the condition of SHRINK_GARROTE_F32);
 * elsewhere fmaf would be a libm call and the kernel computes in double
 * instead. Plain scalar C without branches or libm calls, so that gcc
 * vectorizes it (x86-64 and aarch64); everything that depends on the
 * thresholds alone (including the one division, in double) is loop-invariant
 * for broadcast thresholds and is hoisted out of the loop. clang 14 with
 * -ffp-exception-behavior=maytrap builds it but keeps the loop scalar, as
 * it did the double kernel: its strict-FP conversions are neither hoisted nor
 * vectorized.
 *
 * Inputs: x and the usable thresholds lo, hi (usable_lambd: -1 when out of
 * the domain); the result is NaN unless 0 <= lo <= hi. Below lc = lo,
 * hc = hi, a = |x|;
 * the middle zone is lc < a <= hc, where firm is m = S * (a - lc) with
 * S = hc / (hc - lc) >= 1, at most hc. Every lane computes with a = |x|
 * clamped to [lc, hc] and lanes outside the middle zone discard the value:
 * band lanes have a = lc, so every term below is an exact 0, and lanes
 * beyond (NaN included) compute the middle-zone value at a = hc; no FP flag.
 *
 * Method (the AVX2 build without AVX-512 computes in double instead: see
 * the block at the top of shrink_firm_f32).
 *  1. S in double, once per call: S = Sd (1 + e), |e| <= 2**-52 (hc - lc and
 *     the quotient each rounded once). S < 2**25: hc - lc is at least
 *     2**-24 times 2**floor(log2(hc)) for lc < hc (the spacing of floats
 *     below hc), or 2**-149. An empty middle zone (lc == hc) takes S = 1;
 *     no lane uses it. Split sh = (float)S, sl = (float)(S - sh) (S - sh is
 *     exact in double): |S - sh - sl| <= 2**-48 S, sh >= 1, and sl is 0 or
 *     at least 2**-52 (S - sh is a multiple of S's double spacing).
 *  2. d = a - lc rounded, derr = (a - d) - lc its exact error (Fast2Sum,
 *     a > lc >= 0; exact in the subnormal range too), |derr| <= 2**-24 d.
 *  3. p = d * sh, e1 = fma(d, sh, -p) (its exact error),
 *     c = fma(d, sl, fma(derr, sh, e1)) and m = p + c rounded once:
 *     m_exact = (d + derr)(sh + sl + sigma), |sigma| <= 2**-47.9 S, so
 *     m_exact - (p + c) = r1 + r2 + derr * sl + (d + derr) * sigma with r1,
 *     r2 the roundings of the two FMAs (|r1| <= 2**-47 p, |r2| <= 3 * 2**-48 p):
 *     below 2**-45 m_exact in all, 2**-21 ULP. The rounded m is within
 *     0.5 + 2**-21 ULP of the exact value (and at most hc, which is a float:
 *     the clamp to hc below only guards that).
 *  4. Exponent extremes, by two power-of-two factors that keep step 3 in
 *     the range where every FMA result is exact or normal:
 *     - lanes with d < 2**-50 (T) use sh and sl times K = 2**100 and scale
 *       the result back by 2**-100 (per lane: a select between
 *       loop-invariant constants, or an exponent addition). Then p >= 2**-51 in every lane, so e1 is
 *       exact (p >= 2**-101 suffices), and every term of c is a multiple of
 *       2**-149: d * sl is one (d >= 2**-50 or d * K with K = 2**100, sl >=
 *       2**-53), derr * sh is one (derr is a multiple of lc's spacing; a
 *       nonzero derr needs a > 2 lc, so S < 2, and sh != 1, 2 then needs
 *       lc > 2**-25 d, i.e. lc >= 2**-75 in an unscaled lane); so an FMA
 *       result below 2**-126 is exact and none raises underflow. m is
 *       normal before the scaling back; a result below 2**-126 is then
 *       rounded a second time: within 0.75 + 2**-22 ULP (half an ULP of the
 *       24-bit value is a quarter of the subnormal ULP), and that lane's exact
 *       result is itself that tiny (the flag is np.multiply's).
 *     - d <= hc, so p = RN(d * sh) <= RN(hc * sh): p can overflow
 *       only if hc * sh >= 2**128 - 2**103 (hc within a few ULP of FLT_MAX
 *       and S > 1). Then sh and sl are halved (exact: sh >= 1, sl >= 2**-52)
 *       and the result doubled: p + c rounds to at most hc / 2, so nothing
 *       overflows. Such S > 1 needs lc >= 2**102, so derr * sh / 2 keeps
 *       its terms multiples of 2**-149 (step 4's first point).
 *     lc = 0: S = 1, sl = 0, m = a exactly. lc == hc: no middle lane, the
 *     result is hardshrink's bits (SPEC section 7).
 *
 * The same element gives the same bits in every layout: the kernel is
 * elementwise and its loop-invariants depend on the thresholds alone.
 * tests/test_section7.py checks the bound on the weak points (d tiny and
 * huge relative to lc, S with a nonzero sl, subnormal thresholds, hc near
 * FLT_MAX, results near hc) and the absence of FP flags.
 */
#ifndef SHRINK_FIRM_F32_H
#define SHRINK_FIRM_F32_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "garrote_f32.h" /* shrink_gf32_bits, _float, _select; SHRINK_GARROTE_F32 */

#define SHRINK_FIRM_F32 SHRINK_GARROTE_F32

/* Step 1 and step 4's halving, from the thresholds alone: sh + sl =
 * hc / (hc - lc) (1 for an empty middle zone, where no lane uses it);
 * h = 1/2 where hc * sh (exact in double) could round to inf, else 1. */
static inline __attribute__((always_inline)) void
shrink_firm_f32_slope(float lc, float hc, int empty, float *sh, float *sl, float *h) {
    double z = empty ? 1.0 : 0.0;
    double s = ((double)hc * (1 - z) + z) / ((double)hc - (double)lc + z);
    *sh = (float)s;
    *sl = (float)(s - (double)*sh);
    /* compared on the bit patterns (non-negative doubles order as them) */
    double top = (double)hc * (double)*sh;
    int64_t itop;
    memcpy(&itop, &top, sizeof itop);
    *h = shrink_gf32_float(itop >= 0x47effffff0000000LL ? 0x3f000000 : 0x3f800000);
}

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
    /* thresholds alone in integer operations (shrink_ff32_thresholds): a
     * float select before `+ 0.0f` became a conditional add that kept the
     * threshold part inside the loop */
    shrink_ff32_pair q = shrink_ff32_thresholds(lo, hi);
    int32_t nan_pair = q.nan_pair, il = q.il, ih = q.ih;
    float lc = shrink_gf32_float(il), hc = shrink_gf32_float(ih);
#if defined(__AVX2__) && !defined(__AVX512F__)
    /* The AVX2 build (x86-64-v3): firm_middle in double for 8 lanes at a
     * time (2 x 4 doubles), the method of the Cython kernel without FMA,
     * in fewer vector instructions than steps 2-4 below (which need no
     * conversion and win where a vector holds 16 floats). Every lane's
     * a = |x| clamped to [lc, hc] (on the bit patterns: NaN, above inf's
     * bits, clamps to hc) is exact in float; in double d = a - lc, the slope
     * S (as firm_slope_f32) and S * d each round once, by at most 2**-53:
     * md is within 2**-51 of hc (a - lc) / (hc - lc), 2**-27 ULP of the
     * float result, which is so within 0.5 + 2**-27 ULP after its rounding
     * (a subnormal result too: md is a normal double, its error below
     * 2**-27 of the float spacing there). md <= hc (1 + 2**-51) rounds to at
     * most hc (a float; the next is hc (1 + 2**-23) away, FLT_MAX's overflow
     * threshold 2**-24): no clamp needed. d and S * d are normal doubles:
     * no FP flag before the final rounding, which is the result's own. */
    {
        double zd = il == ih ? 1.0 : 0.0;
        double sd = (double)hc / (((double)hc - (double)lc) + zd);
        float bzd = shrink_gf32_float(nan_pair & 0x7fc00000);
        int32_t ixs = shrink_gf32_bits(x);
        int32_t ixa = ixs & 0x7fffffff;
        int32_t iac = ixa < il ? il : ixa;   /* vpmaxsd */
        iac = iac < ih ? iac : ih;           /* vpminsd */
        double md = sd * ((double)shrink_gf32_float(iac) - (double)lc);
        /* band lanes: a = lc, md = 0, and 0 with x's sign + 0 is +0.0;
         * beyond (NaN included, whose bits exceed inf's): x + 0 */
        int32_t ims = shrink_gf32_bits((float)md) | (ixs & INT32_MIN);
        int32_t iy = ixa > ih ? ixs : ims;
        return shrink_gf32_float(iy) + bzd;
    }
#endif
    float sh, sl, h;
    shrink_firm_f32_slope(lc, hc, il == ih, &sh, &sl, &h);
    float sh_n = sh * h, sl_n = sl * h, u_n = 1.0f / h;
#if defined(__AVX512F__)
    float sh_t = sh_n * 0x1p100f, sl_t = sl_n * 0x1p100f, u_t = u_n * 0x1p-100f;
#endif

    /* out of the domain: every lane NaN, by adding NaN to x beyond the
     * middle zone (there is no middle zone then: lc = hc = 0) and by a NaN
     * band value; NaN + x raises nothing for a quiet NaN x */
    float bz = shrink_gf32_float(nan_pair & 0x7fc00000);

    /* per element; selects between computed values on integer conditions
     * and bit patterns (gcc if-converts them into masked moves or blends on
     * x86-64 and aarch64, clang too) */
    int32_t ix = shrink_gf32_bits(x) & 0x7fffffff;
    int below_hc = ix <= ih;             /* NaN: ix > inf's bits */
    /* a in [lc, hc] for every lane: lc in the band, hc beyond (and for NaN) */
    int32_t ia = ix < il ? il : ix;
    ia = ia < ih ? ia : ih;
    float a = shrink_gf32_float(ia);
    float d = a - lc;
    float derr = (a - d) - lc;
    /* d < 2**-50 (d >= 0): sh, sl times 2**100 and the result times 2**-100.
     * Two forms of the same values: AVX-512 selects them with masked moves;
     * AVX2 and NEON blends cost more than the exponent additions (sh and us
     * are normal, far from the ends of the range; sl may be 0: multiplied) */
#if defined(__AVX512F__)
    int tiny = shrink_gf32_bits(d) < 0x26800000;
    float shs = shrink_gf32_float(tiny ? shrink_gf32_bits(sh_t) : shrink_gf32_bits(sh_n));
    float sls = shrink_gf32_float(tiny ? shrink_gf32_bits(sl_t) : shrink_gf32_bits(sl_n));
    float us = shrink_gf32_float(tiny ? shrink_gf32_bits(u_t) : shrink_gf32_bits(u_n));
#else
    int32_t t = -(shrink_gf32_bits(d) < 0x26800000) & (100 << 23);
    float shs = shrink_gf32_float(shrink_gf32_bits(sh_n) + t);
    float sls = sl_n * shrink_gf32_float(0x3f800000 + t);
    float us = shrink_gf32_float(shrink_gf32_bits(u_n) - t);
#endif
    float p = d * shs;
    float e1 = fmaf(d, shs, -p);
    float c = fmaf(d, sls, fmaf(derr, shs, e1));
    int32_t im = shrink_gf32_bits((p + c) * us);  /* >= +0.0 */
    im = im < ih ? im : ih;
#if defined(__AVX512F__)
    int32_t ims = im | (shrink_gf32_bits(x) & INT32_MIN);
    /* beyond the middle zone: x (+ 0 as the other kernels: x != 0 there) */
    int32_t ixb = shrink_gf32_bits(x + bz);
    int32_t iy = below_hc ? ims : ixb;
    return shrink_gf32_float(ix <= il ? shrink_gf32_bits(bz) : iy);  /* the band */
#else
    /* one blend fewer: band lanes have im = 0, so dropping the sign of x
     * there gives +0.0 (NaN out of the domain) without a select */
    int32_t ims = im | (shrink_gf32_bits(x) & INT32_MIN & -(ix > il)) | shrink_gf32_bits(bz);
    /* beyond the middle zone: x (+ 0 as the other kernels: x != 0 there) */
    int32_t ixb = shrink_gf32_bits(x + bz);
    return shrink_gf32_float(below_hc ? ims : ixb);
#endif
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
