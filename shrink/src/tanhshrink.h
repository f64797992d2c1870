/*
 * tanhshrink.h -- scalar kernels for tanhshrink(x) = x - tanh(x) and its
 * gradient tanh(x)^2.  C99, header only, all functions `static inline`.
 *
 * Written to be inlined (always_inline) into plain loops `y[i] = f(x[i])` and
 * auto-vectorized by gcc.  Required flags: -O3 -fno-tree-sink -fno-tree-pre
 * (keep the default -ftrapping-math); see docs/tanhshrink-method.md.
 * Rules the code follows so that vectorized loops raise no spurious FP flags
 * (NumPy checks them): every branch is computed for every input and the result
 * is selected; arguments are clamped (integer min/compare on the bit patterns,
 * never an ordered FP compare on a possible NaN) so that discarded lanes never
 * overflow or go invalid; NaN propagates arithmetically or is selected back
 * with a quiet `x == x`.  Odd symmetry is exact: the kernels work on |x| and
 * copy the sign of x at the end.
 *
 * Accuracy (vs mpmath): float32 <= 1 ulp, float64 <= 2 ulp, long double <= 8 ulp.
 */
#ifndef SHRINK_TANHSHRINK_H
#define SHRINK_TANHSHRINK_H

#include <math.h>
#include <float.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "tanhshrink_coeffs.h"

/* Force inlining: the kernels are large, and a loop that calls them out of
 * line is not vectorized (gcc stops inlining a big static function that is
 * used in several loops of one module). */
#if defined(__GNUC__) || defined(__clang__)
#define SHRINK_TS_INLINE static inline __attribute__((always_inline))
#elif defined(_MSC_VER)
#define SHRINK_TS_INLINE static __forceinline
#else
#define SHRINK_TS_INLINE static inline
#endif

/* Out of line: the AVX-512 step-2 copies (one call per 1024 elements). Inlined
 * with a constant count, gcc 12 warns of undefined behaviour in their scalar
 * tails, which that count never reaches (-Waggressive-loop-optimizations). */
#if defined(__GNUC__) || defined(__clang__)
#define SHRINK_TS_NOINLINE static __attribute__((noinline))
#elif defined(_MSC_VER)
#define SHRINK_TS_NOINLINE static __declspec(noinline)
#else
#define SHRINK_TS_NOINLINE static
#endif

/* Exact products: hardware FMA where the compiler has it inline, Dekker
 * splitting otherwise (baseline x86-64 / SSE2, MSVC without /arch:AVX2). */
#if defined(__FMA__) || defined(__FP_FAST_FMA) || defined(__aarch64__) || \
    defined(__ARM_FEATURE_FMA)
#define SHRINK_TS_HAVE_FMA 1
#else
#define SHRINK_TS_HAVE_FMA 0
#endif

/* a*b - p exactly, where p = a*b rounded. */
SHRINK_TS_INLINE double shrink__ts_prod_err(double a, double b, double p)
{
#if SHRINK_TS_HAVE_FMA
    return fma(a, b, -p);
#else
    const double c = 134217729.0; /* 2^27 + 1 */
    double ac = a * c, ah = ac - (ac - a), al = a - ah;
    double bc = b * c, bh = bc - (bc - b), bl = b - bh;
    return (((ah * bh - p) + ah * bl) + al * bh) + al * bl;
#endif
}

/* a*b + c with (almost) one rounding; |c| << |a*b| */
SHRINK_TS_INLINE double shrink__ts_mul_add(double a, double b, double c)
{
#if SHRINK_TS_HAVE_FMA
    return fma(a, b, c);
#else
    double p = a * b;
    return p + (shrink__ts_prod_err(a, b, p) + c);
#endif
}

/* n - q*d exactly (the residual of a correctly rounded division q = n/d). */
SHRINK_TS_INLINE double shrink__ts_residual(double n, double q, double d)
{
#if SHRINK_TS_HAVE_FMA
    return fma(-q, d, n);
#else
    double p = q * d;
    return (n - p) - shrink__ts_prod_err(q, d, p);
#endif
}

/* High 32 bits of |x| as a signed int: ordered like |x| for the thresholds
 * used here (1.0, 22.0: low words zero); NaN/inf map above them.  Integer
 * compares never raise FP flags (ordered FP compares on NaN raise 'invalid',
 * and gcc's vectorizer turns isless() into a signaling compare). */
SHRINK_TS_INLINE int32_t shrink__ts_hi_abs(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return (int32_t)((u >> 32) & 0x7fffffffu);
}

SHRINK_TS_INLINE int32_t shrink__ts_bits_absf(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return (int32_t)(u & 0x7fffffffu);
}

/* Round-to-nearest integer trick: kd = v + SHRINK__TS_SHIFT holds k + 1023
 * (k = nearest integer to v, |k| < 1000) in its low mantissa bits. */
#define SHRINK__TS_SHIFT (0x1.8p52 + 1023.0)

/* min(|x|, c) for double, NaN -> c.  Where 64-bit integer vector compares
 * exist (x86 SSE4.2+, i.e. the x86-64-v3/v4 builds; aarch64; others) an
 * integer min on the bit patterns (branch-free, never a FP compare).  On
 * plain SSE2 (no 64-bit compare) a select on the high-word test, which gcc
 * vectorizes only with -fno-tree-pre (correct either way). */
#if (defined(__x86_64__) || defined(_M_X64) || defined(__i386__) || defined(_M_IX86)) && \
    !defined(__SSE4_2__) && !defined(__AVX__)
#define SHRINK__TS_CLAMP(x, a, cond, cbits, c) ((cond) ? (a) : (c))
#else
#define SHRINK__TS_CLAMP(x, a, cond, cbits, c) shrink__ts_min_bits((x), (cbits))
#endif

SHRINK_TS_INLINE double shrink__ts_min_bits(double x, int64_t cb)
{
    uint64_t u;
    int64_t m;
    double r;
    memcpy(&u, &x, sizeof u);
    m = (int64_t)(u & 0x7fffffffffffffffu);
    m = m < cb ? m : cb;
    memcpy(&r, &m, sizeof r);
    return r;
}

SHRINK_TS_INLINE double shrink__ts_pow2(double kd)
{
    /* kd = k + SHRINK__TS_SHIFT  ->  2^k */
    uint64_t u;
    double r;
    memcpy(&u, &kd, sizeof u);
    u = u << 52;
    memcpy(&r, &u, sizeof r);
    return r;
}

/* ---------------------------------------------------------------- float64 --
 * a = |x|.  a < 1:   x - tanh x = a^3 (1/3 + z(-2/15 + z T(z))), z = a^2, with
 *                    a^2 and the leading terms carried in double-double.
 *           a >= 1:  x - tanh x = (a - 1) + 2/(1 + e^{2a}), with 1 + e^{2a}
 *                    kept as a double-double and the division corrected by
 *                    its residual.  e^{2a}: 2a = k ln2 + r, e^{2a} = 2^k(1 + expm1(r)).
 *                    a is clamped to 22 there (2/(1+e^44) < ulp(21)/20000).
 */
#define SHRINK__TSD_BODY                                                     \
    const double a = fabs(x);                                                \
    const int32_t hi = shrink__ts_hi_abs(x);                                 \
    const int small = hi < 0x3ff00000;  /* |x| < 1, false for NaN */         \
    /* --- polynomial part, a < 1 --- */                                    \
    const double ap = SHRINK__TS_CLAMP(x, a, small, 0x3ff0000000000000, 1.0); \
    const double zh = ap * ap;                                               \
    const double zl = shrink__ts_prod_err(ap, ap, zh);                       \
    const double z2 = zh * zh, z4 = z2 * z2, z8 = z4 * z4;                   \
    const double u = SHRINK_TSD_S0L + zh * SHRINK_TSD_T(zh, z2, z4, z8);     \
    const double sv = SHRINK_TSD_S0H + u;   /* S = sv + svl */               \
    const double svl = (SHRINK_TSD_S0H - sv) + u;                            \
    const double zs = zh * sv;              /* z S = zs + zsl */             \
    const double zsl = shrink__ts_prod_err(zh, sv, zs) + (zh * svl + zl * sv); \
    const double Ph = SHRINK_TSD_P0H + zs;  /* P = Ph + Pl */                \
    const double Pl = ((SHRINK_TSD_P0H - Ph) + zs) + (SHRINK_TSD_P0L + zsl); \
    const double wh = zh * Ph;                                               \
    const double wl = shrink__ts_prod_err(zh, Ph, wh) + (zh * Pl + zl * Ph); \
    /* --- exponential part, a >= 1 --- */                                  \
    const double ae = SHRINK__TS_CLAMP(x, a, hi < 0x40360000, 0x4036000000000000, 22.0); \
    const double v = ae + ae;                                                \
    const double kd = v * 0x1.71547652b82fep0 + SHRINK__TS_SHIFT;           \
    const double kf = kd - SHRINK__TS_SHIFT;                                 \
    const double r = (v - kf * 0x1.62e42fee00000p-1) - kf * 0x1.a39ef35793c76p-33; \
    const double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;                     \
    const double em = r + r2 * SHRINK_EXPM1_Q(r, r2, r4, r8);                \
    const double tk = shrink__ts_pow2(kd);                                   \
    const double A = 1.0 + tk;                                               \
    const double B = tk * em;                                                \
    const double dh = A + B;                                                 \
    const double dl = (A - dh) + B;                                          \
    const double q = 2.0 / dh;                                               \
    const double rho = shrink__ts_residual(2.0, q, dh);                      \
    const double tc = (rho - q * dl) * (0.5 * q);

SHRINK_TS_INLINE double shrink_tanhshrink_d(double x)
{
    SHRINK__TSD_BODY
    const double yp = shrink__ts_mul_add(ap, wh, ap * wl);
    const double ye = (a - 1.0) + (q + tc); /* NaN propagates here */
    const double y = small ? yp : ye;
    return copysign(y, x);
}

/* tanh^2, one branch-free evaluation for every a (no polynomial part):
 * tanh a = N/D with N = e^{2a} - 1, D = e^{2a} + 1, e^{2a} = 2^k (1 + em),
 * em = expm1(r) = r + r^2/2 + r^3 Q1(r), 2a = k ln2 + r.  r, em, N and D are
 * double-doubles (N = expm1(2a) keeps full relative accuracy for small a),
 * 1/D is one division corrected by its residual, tanh = th + tl, and
 * tanh^2 = th^2 + 2 th tl is rounded once.  a is clamped to 22 (tanh^2 rounds
 * to 1 beyond 19.4); NaN is selected back with a quiet x == x. */
SHRINK_TS_INLINE double shrink_tanhsq_d(double x)
{
    const double a = fabs(x);
    const int32_t hi = shrink__ts_hi_abs(x);
    const double ae = SHRINK__TS_CLAMP(x, a, hi < 0x40360000, 0x4036000000000000, 22.0);
    (void)a; (void)hi;  /* the other SHRINK__TS_CLAMP form reads only x */
    const double v = ae + ae;
    const double kd = v * 0x1.71547652b82fep0 + SHRINK__TS_SHIFT;
    const double kf = kd - SHRINK__TS_SHIFT;
    const double r1 = v - kf * 0x1.62e42fee00000p-1;  /* exact (k <= 64) */
    const double p2 = kf * 0x1.a39ef35793c76p-33;
    const double rh = r1 - p2;
    const double rl = (r1 - rh) - p2;                  /* r = rh + rl */
    /* em = emh + eml; each partial sum is at most half the one before */
    const double rr = rh * rh;
    const double rre = shrink__ts_prod_err(rh, rh, rr);
    const double h = 0.5 * rr;
    const double r4 = rr * rr, r8 = r4 * r4;
    const double c = (rr * rh) * SHRINK_EXPM1_Q1(rh, rr, r4, r8);
    const double e1 = rh + h;
    const double e1l = (rh - e1) + h;
    const double emh = e1 + c;
    const double e2l = (e1 - emh) + c;
    const double eml = (e1l + e2l) + (0.5 * rre + rl * (1.0 + emh));
    /* N and D as double-doubles; 2^k -+ 1 are inexact for k > 53 */
    const double tk = shrink__ts_pow2(kd);
    const double B = tk * emh;
    const double Bl = tk * eml;
    const double Anh = tk - 1.0;
    const double Anl = (tk - Anh) - 1.0;
    const double Adh = tk + 1.0;
    const double Adl = 1.0 - (Adh - tk);
    const double Nh = Anh + B;                         /* |Anh| >= |B| or Anh = 0 */
    const double Nl = ((Anh - Nh) + B) + (Bl + Anl);
    const double Dh = Adh + B;
    const double Dl = ((Adh - Dh) + B) + (Bl + Adl);
    /* 1/D = q + ql, tanh = N/D = th + tl */
    const double q = 1.0 / Dh;
    const double rho = shrink__ts_residual(1.0, q, Dh);
    const double ql = q * (rho - q * Dl);
    const double th = Nh * q;
    const double tl = shrink__ts_prod_err(Nh, q, th) + (Nh * ql + Nl * q);
    const double s = shrink__ts_mul_add(th, th, (th + th) * tl);
    return (x == x) ? s : x;
}

/* ---------------------------------------------------------------- float32 --
 * |x| < 2:  |x|^3 Pf(x^2) evaluated in double (needs ~2^-27 relative accuracy)
 *           and rounded once.
 * |x| >= 2: (|x| - 1) + t in float32 arithmetic, t = 1 - tanh|x| = 2/(1 + e^{2a})
 *           (a = min(|x|, 9.5)); t <= 0.036 * result there, so t's few-ulp
 *           float32 error costs < 0.1 ulp of the result.
 */
SHRINK_TS_INLINE float shrink__ts_pow2f(float kd)
{
    /* kd = k + 0x1.8p23 + 127 (k small integer) -> 2^k */
    uint32_t u;
    float r;
    memcpy(&u, &kd, sizeof u);
    u = u << 23;
    memcpy(&r, &u, sizeof r);
    return r;
}

/* min(|x|, c) on the bit patterns (integer min: no FP compare, no branch;
 * NaN maps to c) */
SHRINK_TS_INLINE float shrink__ts_minf_bits(int32_t ab, int32_t cb)
{
    int32_t m = ab < cb ? ab : cb;
    float r;
    memcpy(&r, &m, sizeof r);
    return r;
}

#define SHRINK__TSF_BODY                                                     \
    const float af = fabsf(xf);                                              \
    const int32_t ab = shrink__ts_bits_absf(xf);                             \
    const int small = ab < 0x40000000;    /* |x| < 2, false for NaN */       \
    /* polynomial part (double); clamped so that it stays finite */         \
    const double ap = (double)shrink__ts_minf_bits(ab, 0x40000000); /* 2.0f */ \
    const double z = ap * ap;                                                \
    const double yp = (ap * z) * SHRINK_TSF_P(z);                            \
    /* exponential part (float32): e^{2a} = 2^k e^{2s}, |s| <= ln2/4 */     \
    const float ae = shrink__ts_minf_bits(ab, 0x41180000); /* min(|x|, 9.5f) */ \
    const float kd = ae * 0x1.715476p+1f + (0x1.8p23f + 127.0f);             \
    const float kf = kd - (0x1.8p23f + 127.0f);                              \
    const float s = (ae - kf * 0x1.62e4p-2f) - kf * 0x1.7f7d1cp-21f;        \
    const float E = shrink__ts_pow2f(kd) * SHRINK_EXPF_E(s);                 \
    const float t = 2.0f / (1.0f + E);    /* 1 - tanh a */

SHRINK_TS_INLINE float shrink__tsf_poly(float xf)
{
    SHRINK__TSF_BODY
    const float ypf = (float)yp;
    const float ye = (af - 1.0f) + t;     /* NaN and inf propagate here */
    const float y = small ? ypf : ye;
    return copysignf(y, xf);
}

/* tanh^2 in float32 (the builds without AVX-512): tanh a in double, squared
 * and rounded once.  a < 1: tanh a = a - a^3 Pf(a^2) (Pf's 2^-28 relative error
 * is at most 0.31 of tanh a there: <= 0.04 ulp after squaring).  a >= 1:
 * tanh a = (E - 1)/(E + 1), E = e^{2a} = 2^k (1 + expm1(r)), 2a = k ln2 + r, with
 * the float64 kernel's reduction and expm1 (2^-58); no cancellation (E >= 7.3).
 * a is clamped to 9.5 there (tanh^2 rounds to 1 beyond 9.01).  A float32
 * 1 - t(2 - t) with t = 2/(1 + e^{2a}) (2-3 ulp in t) reached 0.689 ulp at
 * a ~ 2; the double form <= ~0.54. */
SHRINK_TS_INLINE float shrink__tsq_poly(float xf)
{
    const int32_t ab = shrink__ts_bits_absf(xf);
    const int small = ab < 0x3f800000;    /* |x| < 1, false for NaN */
    const double ap = (double)shrink__ts_minf_bits(ab, 0x3f800000); /* 1.0f */
    const double z = ap * ap;
    const double Tp = ap - (ap * z) * SHRINK_TSF_P(z);
    const double ae = (double)shrink__ts_minf_bits(ab, 0x41180000); /* min(|x|, 9.5f) */
    const double v = ae + ae;
    const double kd = v * 0x1.71547652b82fep0 + SHRINK__TS_SHIFT;
    const double kf = kd - SHRINK__TS_SHIFT;
    const double r = (v - kf * 0x1.62e42fee00000p-1) - kf * 0x1.a39ef35793c76p-33;
    const double E = shrink__ts_pow2(kd) * (1.0 + (r + (r * r) * SHRINK_EXPM1_Q_HORNER(r)));
    const double Te = (E - 1.0) / (E + 1.0);
    const double T = small ? Tp : Te;
    const float sq = (float)(T * T);
    return (xf == xf) ? sq : xf;
}

/* ------------------------------------------- float32, AVX-512 (x86-64-v4) --
 * One polynomial per lane, its coefficients looked up by interval with a
 * two-register permute (vpermt2ps, 32 floats): a = |x| in [0, 1/4) is interval
 * 0, [1/4, 10) is cut into quarter octaves, index max((bits(a) >> 21) - 499, 0)
 * (exponent and top two mantissa bits).  Per interval F = c0 + v S(v), S of
 * degree 5, c0 a float pair (hi + lo), v = a^2 in interval 0 and a - centre
 * above (exact).  F varies by less than +-16 % in an interval, so S's float
 * rounding costs little; the rest is a float pair up to one final rounding:
 *   tanhshrink:  a < 2: y = a (z F), z F with z = a^2 exact as zh + zl;
 *                a >= 2: y = a F (F = 1 - tanh(a)/a); a >= 9.5: y = a - 1.
 *   tanh^2:      a < 1.25: y = z F (F = (tanh a / a)^2);  a >= 1.25: y = F
 *                (tanh^2 varies less than (tanh a / a)^2 there: S costs less);
 *                a < 2^-40: y = a * a (tanh^2 a = a^2 to 2^-80).
 * a is clamped to 9.5 (integer min on the bits, NaN -> 9.5), so every lane stays
 * finite; NaN and inf come back through a - 1 or a quiet x == x.  No division, no
 * exp, no double.  Every element of a v4 loop goes through this code (whole
 * vectors, a masked tail, or one lane for a scalar call), so its bits do not
 * depend on where it sits; they differ from the other builds' in the last bit.
 */
#if defined(__AVX512F__)
#include <immintrin.h>
#define SHRINK_TSF_LOOKUP 1

#define SHRINK__LUT(T, k) _mm512_permutex2var_ps(_mm512_loadu_ps(T), (k), _mm512_loadu_ps((T) + 16))

/* F = Fh + Fl on the interval of each lane; ab = bits of |x|, ap = min(|x|, 9.5) */
#define SHRINK__LUT_EVAL(FAM, x, ab, ap, Fh, Fl)                                         \
    const __m512i ab = _mm512_and_si512(_mm512_castps_si512(x), _mm512_set1_epi32(0x7fffffff)); \
    const __m512i abp = _mm512_min_epi32(ab, _mm512_set1_epi32(0x41180000));             \
    const __m512 ap = _mm512_castsi512_ps(abp);                                          \
    const __m512i k = _mm512_max_epi32(                                                  \
        _mm512_sub_epi32(_mm512_srli_epi32(abp, 21), _mm512_set1_epi32(499)),            \
        _mm512_setzero_si512());                                                         \
    const __mmask16 first = _mm512_cmplt_epi32_mask(ab, _mm512_set1_epi32(0x3e800000));  \
    const __m512 vm = _mm512_mask_blend_ps(first, _mm512_set1_ps(1.0f), ap);             \
    const __m512 v = _mm512_fmsub_ps(ap, vm, SHRINK__LUT(SHRINK_LUT_CEN, k));            \
    __m512 S = SHRINK__LUT(SHRINK_LUT_##FAM##_S5, k);                                    \
    S = _mm512_fmadd_ps(S, v, SHRINK__LUT(SHRINK_LUT_##FAM##_S4, k));                    \
    S = _mm512_fmadd_ps(S, v, SHRINK__LUT(SHRINK_LUT_##FAM##_S3, k));                    \
    S = _mm512_fmadd_ps(S, v, SHRINK__LUT(SHRINK_LUT_##FAM##_S2, k));                    \
    S = _mm512_fmadd_ps(S, v, SHRINK__LUT(SHRINK_LUT_##FAM##_S1, k));                    \
    S = _mm512_fmadd_ps(S, v, SHRINK__LUT(SHRINK_LUT_##FAM##_S0, k));                    \
    const __m512 c0h = SHRINK__LUT(SHRINK_LUT_##FAM##_C0H, k);                           \
    /* Fh + Fl = c0h + v S + c0l: c0h - Fh is exact (|v S| <= c0h / 4) */               \
    const __m512 Fh = _mm512_fmadd_ps(v, S, c0h);                                        \
    const __m512 Fl = _mm512_add_ps(_mm512_fmadd_ps(v, S, _mm512_sub_ps(c0h, Fh)),        \
                                    SHRINK__LUT(SHRINK_LUT_##FAM##_C0L, k));

static inline __m512 shrink__tsf_vec(__m512 x)
{
    SHRINK__LUT_EVAL(TSF, x, ab, ap, Fh, Fl)
    const __m512 zh = _mm512_mul_ps(ap, ap);
    const __m512 zl = _mm512_fmsub_ps(ap, ap, zh);
    /* w = z F as wh + wl (a < 2), F itself above */
    const __m512 wh = _mm512_mul_ps(zh, Fh);
    const __m512 wl = _mm512_add_ps(_mm512_fmsub_ps(zh, Fh, wh),
                                    _mm512_fmadd_ps(zh, Fl, _mm512_mul_ps(zl, Fh)));
    const __mmask16 below2 = _mm512_cmplt_epi32_mask(ab, _mm512_set1_epi32(SHRINK_LUT_TSF_SWITCH));
    const __m512 Wh = _mm512_mask_blend_ps(below2, Fh, wh);
    const __m512 Wl = _mm512_mask_blend_ps(below2, Fl, wl);
    /* F is tabulated times 2^24, so that Y = y * 2^24 is normal even where y is
     * subnormal (y >= 2^-150 needs Y >= 2^-126): Y is rounded once here, and
     * scaling it back is exact where y is normal (Y >= 2^-102) */
    const __m512 L = _mm512_mul_ps(ap, Wl);
    const __m512 Y = _mm512_fmadd_ps(ap, Wh, L);
    __m512 y = _mm512_mul_ps(Y, _mm512_set1_ps(SHRINK_LUT_TSF_UNSCALE));
    /* Where y is subnormal, Y * 2^-24 would round a second time. There Y is
     * rounded straight to the subnormal grid, 2^-125 in Y's scale, by adding
     * M = 2^-102 (ulp 2^-125, and Y + M stays in [M, 2M]): s = M + ap Wh rounded,
     * r1 = s - M exact, e = ap Wh - r1 (exact to 2^-24 of the grid step), and
     * s2 = s + (e + L) rounds the whole sum once; s2 - M is y * 2^24 exactly.
     * Lanes with |x| < 2^-51 are left out (y rounds to 0 either way, zeros too):
     * the branch is taken only for vectors that hold a subnormal result. */
    const __mmask16 sub = _mm512_mask_cmp_ps_mask(
        _mm512_cmpge_epi32_mask(ab, _mm512_set1_epi32(0x26000000)), /* 2^-51 */
        Y, _mm512_set1_ps(0x1p-102f), _CMP_LT_OQ);
    if (sub) {
        const __m512 M = _mm512_set1_ps(0x1p-102f);
        const __m512 s = _mm512_fmadd_ps(ap, Wh, M);
        const __m512 r1 = _mm512_sub_ps(s, M);
        const __m512 e = _mm512_fmsub_ps(ap, Wh, r1);
        const __m512 s2 = _mm512_add_ps(s, _mm512_add_ps(e, L));
        y = _mm512_mask_mul_ps(y, sub, _mm512_sub_ps(s2, M), _mm512_set1_ps(SHRINK_LUT_TSF_UNSCALE));
    }
    /* a >= 9.5, inf, NaN: a - 1 (tanh a rounds to 1, 1 - tanh a < ulp(a - 1) / 40) */
    const __mmask16 big = _mm512_cmpge_epi32_mask(ab, _mm512_set1_epi32(0x41180000));
    y = _mm512_mask_sub_ps(y, big, _mm512_castsi512_ps(ab), _mm512_set1_ps(1.0f));
    /* y | sign(x): odd */
    return _mm512_castsi512_ps(_mm512_ternarylogic_epi32(
        _mm512_castps_si512(y), _mm512_castps_si512(x), _mm512_set1_epi32((int)0x80000000u), 0xf8));
}

static inline __m512 shrink__tsq_vec(__m512 x)
{
    SHRINK__LUT_EVAL(TSQ, x, ab, ap, Fh, Fl)
    const __m512 zh = _mm512_mul_ps(ap, ap);
    const __m512 zl = _mm512_fmsub_ps(ap, ap, zh);
    const __m512 ys = _mm512_fmadd_ps(zh, Fh, _mm512_fmadd_ps(zh, Fl, _mm512_mul_ps(zl, Fh)));
    const __mmask16 below = _mm512_cmplt_epi32_mask(ab, _mm512_set1_epi32(SHRINK_LUT_TSQ_SWITCH));
    __m512 y = _mm512_mask_blend_ps(below, _mm512_add_ps(Fh, Fl), ys);
    /* |x| < 2^-40: tanh^2 x = x^2 (1 - 2x^2/3 + ...) is x^2 to 2^-80, so y = x * x
     * rounded once. It keeps subnormal results (|x| < 2^-63) from rounding twice
     * (z, then z F), and z's low part from underflowing where y is just normal. */
    y = _mm512_mask_mul_ps(y, _mm512_cmplt_epi32_mask(ab, _mm512_set1_epi32(0x2b800000)), ap, ap);
    return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, x, _CMP_EQ_OQ), x, y);  /* NaN back */
}

SHRINK_TS_INLINE float shrink_tanhshrink_f(float x)
{
    return _mm512_cvtss_f32(shrink__tsf_vec(_mm512_set1_ps(x)));
}

SHRINK_TS_INLINE float shrink_tanhsq_f(float x)
{
    return _mm512_cvtss_f32(shrink__tsq_vec(_mm512_set1_ps(x)));
}

#define SHRINK__LUT_LOOP(VEC, in, out, n)                                                \
    ptrdiff_t i = 0;                                                                     \
    for (; i + 16 <= (n); i += 16)                                                       \
        _mm512_storeu_ps((out) + i, VEC(_mm512_loadu_ps((in) + i)));                     \
    if (i < (n)) {                                                                       \
        const __mmask16 tail = (__mmask16)((1u << ((n) - i)) - 1u);                      \
        _mm512_mask_storeu_ps((out) + i, tail, VEC(_mm512_maskz_loadu_ps(tail, (in) + i))); \
    }

/* out[i] = f(in[i]) for n elements (in == out allowed) */
static void shrink_tanhshrink_f_n(const float *in, float *out, ptrdiff_t n)
{
    SHRINK__LUT_LOOP(shrink__tsf_vec, in, out, n)
}

static void shrink_tanhsq_f_n(const float *in, float *out, ptrdiff_t n)
{
    SHRINK__LUT_LOOP(shrink__tsq_vec, in, out, n)
}

/* out[i] = g[i] * tanh(x[i])^2 for n elements (out may be g or x): the product of
 * two floats rounded once, in the kernel's own vector loop, so that the gradient
 * never makes a round trip through memory; a zero product is +0.0 (NEQ_UQ keeps
 * NaN). inf * 0 raises 'invalid', as np.multiply does. */
static inline __m512 shrink__tsb_vec(__m512 g, __m512 x)
{
    const __m512 p = _mm512_mul_ps(g, shrink__tsq_vec(x));
    return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(p, _mm512_setzero_ps(), _CMP_NEQ_UQ), p);
}

static void shrink_tanhshrink_backward_f_n(const float *g, const float *x, float *out, ptrdiff_t n)
{
    ptrdiff_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(out + i, shrink__tsb_vec(_mm512_loadu_ps(g + i), _mm512_loadu_ps(x + i)));
    if (i < n) {
        const __mmask16 tail = (__mmask16)((1u << (n - i)) - 1u);
        _mm512_mask_storeu_ps(out + i, tail, shrink__tsb_vec(_mm512_maskz_loadu_ps(tail, g + i),
                                                             _mm512_maskz_loadu_ps(tail, x + i)));
    }
}

/* float32 step-2 views go through stack blocks of this many elements (at most
 * BLOCK of _real_loops.pxi): masked copies, then the contiguous kernel loop */
#define SHRINK_STEP2_CHUNK 1024

/* Step-2 float32 views to and from a stack block: dst[i] = src[2i] and
 * dst[2i] = src[i], i < n. Masked loads and stores (mask 0x5555) touch only the
 * view's own elements, one permute per 16 of them; gcc's own loops for a
 * stride of two move one element per instruction. */
SHRINK_TS_NOINLINE void shrink_f32_from_step2(const float *src, float *dst, ptrdiff_t n)
{
    const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    ptrdiff_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m512 lo = _mm512_maskz_loadu_ps(0x5555, src + 2 * i);
        const __m512 hi = _mm512_maskz_loadu_ps(0x5555, src + 2 * i + 16);
        _mm512_storeu_ps(dst + i, _mm512_permutex2var_ps(lo, even, hi));
    }
    for (; i < n; i++)
        dst[i] = src[2 * i];
}

SHRINK_TS_NOINLINE void shrink_f32_to_step2(const float *src, float *dst, ptrdiff_t n)
{
    const __m512i lo = _mm512_setr_epi32(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
    const __m512i hi = _mm512_setr_epi32(8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15);
    ptrdiff_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m512 v = _mm512_loadu_ps(src + i);
        _mm512_mask_storeu_ps(dst + 2 * i, 0x5555, _mm512_permutexvar_ps(lo, v));
        _mm512_mask_storeu_ps(dst + 2 * i + 16, 0x5555, _mm512_permutexvar_ps(hi, v));
    }
    for (; i < n; i++)
        dst[2 * i] = src[i];
}

/* a whole chunk of a view that goes on after it */
static void shrink_f32_from_step2_chunk(const float *src, float *dst)
{
    shrink_f32_from_step2(src, dst, SHRINK_STEP2_CHUNK);
}

/* shrink_tanhshrink_backward_f_n with g and out step-2 views (g[2i], out[2i]) and
 * x contiguous (a block): g is deinterleaved and the product interleaved in
 * registers (the permutes and masked loads/stores of the copies above), so that
 * neither g nor the result makes a round trip through a block. shrink__tsb_vec
 * computes every product: the bits of the contiguous kernel. */
static void shrink_tanhshrink_backward_f_n_step2(const float *g, const float *x, float *out, ptrdiff_t n)
{
    const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i lo = _mm512_setr_epi32(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
    const __m512i hi = _mm512_setr_epi32(8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15);
    ptrdiff_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m512 gv = _mm512_permutex2var_ps(_mm512_maskz_loadu_ps(0x5555, g + 2 * i), even,
                                                 _mm512_maskz_loadu_ps(0x5555, g + 2 * i + 16));
        const __m512 p = shrink__tsb_vec(gv, _mm512_loadu_ps(x + i));
        _mm512_mask_storeu_ps(out + 2 * i, 0x5555, _mm512_permutexvar_ps(lo, p));
        _mm512_mask_storeu_ps(out + 2 * i + 16, 0x5555, _mm512_permutexvar_ps(hi, p));
    }
    if (i < n) {  /* the last 1..15: through the contiguous kernel's masked tail */
        float gb[16], pb[16];
        ptrdiff_t j, m = n - i;
        for (j = 0; j < m; j++)
            gb[j] = g[2 * (i + j)];
        shrink_tanhshrink_backward_f_n(gb, x + i, pb, m);
        for (j = 0; j < m; j++)
            out[2 * (i + j)] = pb[j];
    }
}

#else /* other builds: the polynomial-in-double kernels above, vectorized by gcc */
#define SHRINK_TSF_LOOKUP 0

SHRINK_TS_INLINE float shrink_tanhshrink_f(float x) { return shrink__tsf_poly(x); }
SHRINK_TS_INLINE float shrink_tanhsq_f(float x) { return shrink__tsq_poly(x); }

static void shrink_tanhshrink_f_n(const float *in, float *out, ptrdiff_t n)
{
    ptrdiff_t i;
    for (i = 0; i < n; i++)
        out[i] = shrink__tsf_poly(in[i]);
}

static void shrink_tanhsq_f_n(const float *in, float *out, ptrdiff_t n)
{
    ptrdiff_t i;
    for (i = 0; i < n; i++)
        out[i] = shrink__tsq_poly(in[i]);
}

#if defined(__AVX2__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

/* float32 step-2 views (the x86-64-v3 build) go through chunks of 16 elements:
 * copied in, the kernel's vector loop on a fixed count (two vectors, kept in
 * registers), copied out. Every element needs a store of its own (the odd
 * elements between the view's own are never written: another thread may own
 * them), and on AMD Zen 3 the stores of gcc's own step-2 loop (vmovss and
 * vextractps, from vector registers) add the kernel's time to theirs instead
 * of overlapping it: float32 garrote ran 1.5-1.75x np.negative's loop shape on
 * a step-2 view there, 1.2-1.4x on chunks of 16 stored from general registers
 * (tools/step2_stores.c measures the variants; larger chunks and vmaskmovps
 * were slower). */
#define SHRINK_STEP2_CHUNK 16

/* dst[i] = src[2i], i < n: whole-vector loads (the odd elements are read and
 * dropped), one shuffle and one permute per 8, only while the second vector
 * ends before the view's last element, so nothing past it is read. */
static inline void shrink_f32_from_step2(const float *src, float *dst, ptrdiff_t n)
{
    ptrdiff_t i = 0;
    for (; i + 8 < n; i += 8) {
        const __m256 a = _mm256_loadu_ps(src + 2 * i), b = _mm256_loadu_ps(src + 2 * i + 8);
        const __m256 even = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0));
        _mm256_storeu_ps(dst + i, _mm256_castpd_ps(
            _mm256_permute4x64_pd(_mm256_castps_pd(even), _MM_SHUFFLE(3, 1, 2, 0))));
    }
    for (; i < n; i++)
        dst[i] = src[2 * i];
}

/* the same for a whole chunk, where the view goes on after it: the second
 * vector's last element is the odd one before the view's next, so all of it is
 * loaded */
static inline void shrink_f32_from_step2_chunk(const float *src, float *dst)
{
    ptrdiff_t i;
    for (i = 0; i < SHRINK_STEP2_CHUNK; i += 8) {
        const __m256 a = _mm256_loadu_ps(src + 2 * i), b = _mm256_loadu_ps(src + 2 * i + 8);
        const __m256 even = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0));
        _mm256_storeu_ps(dst + i, _mm256_castpd_ps(
            _mm256_permute4x64_pd(_mm256_castps_pd(even), _MM_SHUFFLE(3, 1, 2, 0))));
    }
}

/* dst[2i] = src[i], i < n: two 4-byte stores per 8-byte load, from a general
 * register (the empty asm keeps the compiler from vectorizing it back into
 * vextractps stores). */
static inline void shrink_f32_to_step2(const float *src, float *dst, ptrdiff_t n)
{
    ptrdiff_t i = 0;
    for (; i + 2 <= n; i += 2) {
        uint64_t pair;
        uint32_t lo, hi;
        memcpy(&pair, src + i, sizeof pair);
        __asm__("" : "+r"(pair));
        lo = (uint32_t)pair;
        hi = (uint32_t)(pair >> 32);
        memcpy(dst + 2 * i, &lo, sizeof lo);
        memcpy(dst + 2 * i + 2, &hi, sizeof hi);
    }
    if (i < n)
        dst[2 * i] = src[i];
}
#else
/* step-2 views to and from a stack block: dst[i] = src[2i], dst[2i] = src[i]
 * (one element at a time: the memory-bound loops keep their own step-2 loops) */
#define SHRINK_STEP2_CHUNK 0 /* no chunks: the loops keep their own step-2 loops */
static void shrink_f32_from_step2(const float *src, float *dst, ptrdiff_t n)
{
    ptrdiff_t i;
    for (i = 0; i < n; i++)
        dst[i] = src[2 * i];
}

/* a whole chunk (SHRINK_STEP2_CHUNK is 0 here: the loops do not call it) */
static void shrink_f32_from_step2_chunk(const float *src, float *dst)
{
    shrink_f32_from_step2(src, dst, SHRINK_STEP2_CHUNK);
}

static void shrink_f32_to_step2(const float *src, float *dst, ptrdiff_t n)
{
    ptrdiff_t i;
    for (i = 0; i < n; i++)
        dst[2 * i] = src[i];
}
#endif

/* out[i] = g[i] * tanh(x[i])^2 rounded once, a zero product as +0.0 (a select:
 * `+ 0.0f` could be fused with the product into an FMA that keeps -0.0) */
static void shrink_tanhshrink_backward_f_n(const float *g, const float *x, float *out, ptrdiff_t n)
{
    ptrdiff_t i;
    for (i = 0; i < n; i++) {
        const float p = g[i] * shrink__tsq_poly(x[i]);
        out[i] = p == 0.0f ? 0.0f : p;
    }
}

/* the same with g and out step-2 views: g[2i], out[2i] */
static void shrink_tanhshrink_backward_f_n_step2(const float *g, const float *x, float *out, ptrdiff_t n)
{
    ptrdiff_t i;
    for (i = 0; i < n; i++) {
        const float p = g[2 * i] * shrink__tsq_poly(x[i]);
        out[2 * i] = p == 0.0f ? 0.0f : p;
    }
}
#endif

/* ------------------------------------------------------------ long double --
 * Not vectorized; uses scalar libm expl.  LDBL_MANT_DIG == 53 (MSVC, Apple
 * arm64): the double kernels.  Otherwise (x87 80-bit, IEEE quad, ...):
 * a < 1: Taylor series of (x - tanh x)/x^3 in z (enough terms for the format);
 * a >= 1: (a - 1) + 2/(1 + expl(2a)), a clamped to 50.
 */
#if LDBL_MANT_DIG <= 53
SHRINK_TS_INLINE long double shrink_tanhshrink_l(long double x)
{
    return (long double)shrink_tanhshrink_d((double)x);
}
SHRINK_TS_INLINE long double shrink_tanhsq_l(long double x)
{
    return (long double)shrink_tanhsq_d((double)x);
}
#else
#if LDBL_MANT_DIG <= 64
#define SHRINK__TSL_N 60
#else
#define SHRINK__TSL_N SHRINK_TSL_NTERMS
#endif

/* returns y = |x| - tanh|x| (a < 1: also *w = y / a) and t = 1 - tanh|x| */
SHRINK_TS_INLINE long double shrink__tsl_core(long double a, long double *t_out)
{
    static const long double c[SHRINK_TSL_NTERMS] = {SHRINK_TSL_COEFFS};
    if (isless(a, 1.0L)) {
        long double z = a * a, p = c[SHRINK__TSL_N - 1];
        int k;
        for (k = SHRINK__TSL_N - 2; k >= 0; k--)
            p = p * z + c[k];
        *t_out = -1.0L; /* unused */
        return a * (z * p);
    }
    else {
        long double ae = isless(a, 50.0L) ? a : 50.0L;
        long double t = 2.0L / (1.0L + expl(ae + ae));
        *t_out = t;
        return (a - 1.0L) + t;
    }
}

SHRINK_TS_INLINE long double shrink_tanhshrink_l(long double x)
{
    long double t;
    if (isnan(x))
        return x;
    return copysignl(shrink__tsl_core(fabsl(x), &t), x);
}

SHRINK_TS_INLINE long double shrink_tanhsq_l(long double x)
{
    long double a, y, t, th;
    int small;
    if (isnan(x))
        return x;
    a = fabsl(x);
    y = shrink__tsl_core(a, &t);
    /* The operands are selected, then subtracted once: for a = inf, a - y is
     * inf - inf (invalid flag), and a compiler that ignores FP exceptions
     * (clang by default) may compute both arms of a select. */
    small = isless(a, 1.0L);
    th = (small ? a : 1.0L) - (small ? y : t);
    return th * th;
}
#endif /* LDBL_MANT_DIG */

#endif /* SHRINK_TANHSHRINK_H */
