/* float64 garrote, its gradient and backward for the AVX2 build without
 * AVX-512 (x86-64-v3).
 *
 * The double kernels of _kernels.pxd (garrote, garrote_grad, garrote_backward
 * with garrote_magnitude and garrote_slope) compute the same values; written
 * with Cython's bint band and double selects, gcc compiles them for AVX2 into
 * three vblendvpd per vector around the division. This form compares the bit
 * patterns as 64-bit integers and clears lanes with and/and-not, leaving one
 * select (the divisor a); where the AVX-512 build has masked moves (and the
 * baseline SSE2 build has no 64-bit integer compare) the Cython form stays
 * (SHRINK_GARROTE_F64 is 0 there).
 *
 * Input: x (and g) and the usable threshold lq (usable_lambd: -1 when out of
 * the domain). With lc = lq (-0.0 taken as +0.0: the arithmetic below gives
 * the same bits for either) and inside = lc if lc > 0 else 1:
 *  - band (|x| <= lc; never NaN: its bits, sign cleared, exceed every finite
 *    threshold's as integers): a = inside, so lc / a <= 1 (no overflow, no
 *    0 / 0), and the lane's result is cleared to +0.0 (backward: g is
 *    cleared before the product, as in the Cython kernel, so inf * 0 and an
 *    overflowing g * 2 never happen);
 *  - outside: a = |x| and the arithmetic of garrote_magnitude and
 *    garrote_slope, so the bits are those of the Cython kernels
 *    (tests/test_section7.py and tests/spec_cases.py check them against
 *    Fraction references); garrote takes x's sign by or-ing the sign bit
 *    into m >= 0 (copysign; a NaN m comes from a = |x|, so it is x's NaN).
 * Out of the domain every lane is treated as band (the integer threshold is
 * INT64_MAX) and the result is or-ed with the bits of NAN: exactly the NAN
 * the Cython kernels return. No ordered float compare sees x: no FP flag. */
#ifndef SHRINK_GARROTE_F64_H
#define SHRINK_GARROTE_F64_H

#include <stdint.h>
#include <string.h>

#if defined(__AVX2__) && !defined(__AVX512F__)
#define SHRINK_GARROTE_F64 1
#else
#define SHRINK_GARROTE_F64 0
#endif

static inline __attribute__((always_inline)) int64_t shrink_gf64_bits(double v) {
    int64_t i;
    memcpy(&i, &v, sizeof i);
    return i;
}

static inline __attribute__((always_inline)) double shrink_gf64_double(int64_t i) {
    double v;
    memcpy(&v, &i, sizeof v);
    return v;
}

/* The threshold's parts (loop-invariant for a broadcast lambd): the band's
 * integer bound, lc, the band lanes' divisor and the bits or-ed into every
 * result (NAN out of the domain, else 0). */
typedef struct {
    int64_t ibound;
    double lc;
    int64_t iinside;
    int64_t inan;
} shrink_gf64_lambd;

static inline __attribute__((always_inline)) shrink_gf64_lambd
shrink_gf64_split(double lq) {
    shrink_gf64_lambd t;
    int64_t il = shrink_gf64_bits(lq);
    il = il == INT64_MIN ? 0 : il;
    int64_t out = il >> 63;  /* -1 when lq < 0 (out of the domain) */
    int64_t ilc = il & ~out;
    t.ibound = ilc | (out & INT64_MAX);
    t.lc = shrink_gf64_double(ilc);
    t.iinside = ilc > 0 ? ilc : 0x3ff0000000000000LL;  /* 1.0 */
    t.inan = out & 0x7ff8000000000000LL;
    return t;
}

/* Per element: the band mask (all ones in the band) and the divisor a
 * (|x| outside the band, inside in it), from |x|'s bit pattern ix. */
typedef struct {
    int64_t band;
    double a;
} shrink_gf64_lane;

static inline __attribute__((always_inline)) shrink_gf64_lane
shrink_gf64_divisor(int64_t ix, shrink_gf64_lambd t) {
    shrink_gf64_lane r;
    r.band = -(int64_t)(ix <= t.ibound);
    r.a = shrink_gf64_double(r.band ? t.iinside : ix);
    return r;
}

static inline __attribute__((always_inline)) double
shrink_garrote_f64(double x, double lq) {
    shrink_gf64_lambd t = shrink_gf64_split(lq);
    int64_t ixs = shrink_gf64_bits(x);
    shrink_gf64_lane v = shrink_gf64_divisor(ixs & INT64_MAX, t);
    double m = (v.a - t.lc) * (1 + t.lc / v.a);  /* garrote_magnitude */
    int64_t ims = shrink_gf64_bits(m) | (ixs & INT64_MIN);
    return shrink_gf64_double((ims & ~v.band) | t.inan);
}

/* garrote_slope: 1 + (lc / a)**2 */
static inline __attribute__((always_inline)) double
shrink_gf64_slope(shrink_gf64_lane v, shrink_gf64_lambd t) {
    double q = t.lc / v.a;
    return 1 + q * q;
}

static inline __attribute__((always_inline)) double
shrink_garrote_grad_f64(double x, double lq) {
    shrink_gf64_lambd t = shrink_gf64_split(lq);
    shrink_gf64_lane v = shrink_gf64_divisor(shrink_gf64_bits(x) & INT64_MAX, t);
    return shrink_gf64_double((shrink_gf64_bits(shrink_gf64_slope(v, t)) & ~v.band) | t.inan);
}

static inline __attribute__((always_inline)) double
shrink_garrote_backward_f64(double g, double x, double lq) {
    shrink_gf64_lambd t = shrink_gf64_split(lq);
    shrink_gf64_lane v = shrink_gf64_divisor(shrink_gf64_bits(x) & INT64_MAX, t);
    double gb = shrink_gf64_double(shrink_gf64_bits(g) & ~v.band);
    double y = gb * shrink_gf64_slope(v, t) + 0;  /* + 0: a -0.0 product becomes +0.0 */
    return shrink_gf64_double(shrink_gf64_bits(y) | t.inan);
}

#endif
