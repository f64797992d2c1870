/* float64 firm for the AVX2 build without AVX-512 (x86-64-v3).
 *
 * The double kernel of _kernels.pxd (firm with firm_middle) computes the same
 * value; written with Cython's bint zones and double selects, gcc compiles
 * it for AVX2 into 32-bit masks that are narrowed and widened again
 * (vperm2i128, vpshufd, vpmovsxdq) and five vblendvpd per vector. This form
 * keeps every mask 64 bits wide and needs one blend: where the AVX-512 build
 * has masked moves (and the baseline SSE2 build has no 64-bit integer
 * compare) the Cython form stays (SHRINK_FIRM_F64 is 0 there).
 *
 * Inputs: x and the usable thresholds lo, hi (usable_lambd: -1 when out of
 * the domain); the result is NaN unless 0 <= lo <= hi. Below lc = lo,
 * hc = hi (-0.0 taken as +0.0), S = hc / (hc - lc) (hc for an empty middle
 * zone, as firm_slope), a = |x| clamped to [lc, hc] and
 * m = min(S * (a - lc), hc): the arithmetic of firm_slope and firm_middle,
 * so the bits are those of the Cython kernel (tests/test_section7.py and
 * tests/spec_cases.py check them against Fraction references).
 *  - band (|x| <= lc): a = lc, m = 0, and the result m with x's sign plus
 *    0.0 is +0.0;
 *  - middle (lc < |x| <= hc): m with x's sign (m > 0, so + 0.0 keeps it);
 *  - beyond (|x| > hc, NaN included: its bits exceed every finite
 *    threshold's as integers): x + 0.0 (x != 0 there).
 * Out of the domain lc = hc = 0 and the 0.0 added is a NaN instead: every
 * lane NaN. NaN lanes are clamped from 0.0 (x == x is a quiet compare), so
 * vmaxpd/vminpd and the ordered compare see no NaN: no FP flag. */
#ifndef SHRINK_FIRM_F64_H
#define SHRINK_FIRM_F64_H

#include <stdint.h>
#include <string.h>

#include "garrote_f64.h" /* shrink_gf64_bits, shrink_gf64_double */

#if defined(__AVX2__) && !defined(__AVX512F__)
#define SHRINK_FIRM_F64 1
#else
#define SHRINK_FIRM_F64 0
#endif

static inline __attribute__((always_inline)) double
shrink_firm_f64(double x, double lo, double hi) {
    /* thresholds alone (loop-invariant for broadcast thresholds), in integer
     * operations as src/firm_f32.h does (no float select for gcc to leave
     * inside the loop) */
    int64_t ilo = shrink_gf64_bits(lo), ihi = shrink_gf64_bits(hi);
    ilo = ilo == INT64_MIN ? 0 : ilo;
    ihi = ihi == INT64_MIN ? 0 : ihi;
    int64_t nan_pair = ((ilo | ihi) >> 63) | -(int64_t)(ihi < ilo);
    int64_t il = ilo & ~nan_pair;
    int64_t ih = ihi & ~nan_pair;
    double lc = shrink_gf64_double(il), hc = shrink_gf64_double(ih);
    double z = il == ih ? 1.0 : 0.0;
    double s = hc / ((hc - lc) + z);
    double bz = shrink_gf64_double(nan_pair & 0x7ff8000000000000LL);

    /* per element */
    int64_t ixs = shrink_gf64_bits(x);
    int64_t ix = ixs & INT64_MAX;
    double ax = shrink_gf64_double(ix);
    double xq = x == x ? ax : 0.0;
    double a = xq > lc ? xq : lc;   /* vmaxpd */
    a = a < hc ? a : hc;            /* vminpd */
    double m = s * (a - lc);
    m = m < hc ? m : hc;
    int64_t ims = shrink_gf64_bits(m) | (ixs & INT64_MIN);
    int64_t iy = ix > ih ? ixs : ims;
    return shrink_gf64_double(iy) + bz;
}

#endif
