#!/usr/bin/env python3
"""Regenerate shrink/src/tanhshrink_coeffs.h (coefficients of the tanhshrink kernels).

Run:  python tools/gen_tanhshrink_coeffs.py > shrink/src/tanhshrink_coeffs.h
Deterministic (mpmath only, mp.prec = 320); the output is committed.

Approximations (a = |x|, z = a*a); see docs/tanhshrink-method.md.

float64, a in [0, 1):  x - tanh(x) = x^3 * P(z),  P(z) = 1/3 + z*(-2/15 + z*T(z)).
    1/3 and -2/15 (the exact Taylor coefficients) are stored as double-doubles
    (P0H+P0L, S0H+S0L); T (degree TSD_DEG-1) is a Chebyshev fit (mpmath.chebyfit,
    near-minimax) of the exact remainder ((P(z)-1/3)/z + 2/15)/z on z in [0, 1].
float64, a in [1, 22]:  uses expm1 on the reduced argument
    r in [-ln2/2, ln2/2]:  expm1(r) = r + r^2 * Q(r), Q a Chebyshev fit of
    degree EXPD_DEG, first coefficient 1/2 exact.
float32, |x| < 2 (evaluated in double, needs only ~2^-27 relative accuracy
    before the final rounding):  P_f(z) fit of (x - tanh x)/x^3 on z in [0, 4]
    (degree TSF_DEG, Chebyshev fit, rel. err 2^-28).
float32, |x| >= 2 (float32 arithmetic; here 1 - tanh|x| <= 0.036 of the
    result, so its few-ulp error costs < 0.1 ulp):  exp(2s) = Ef(s) on
    [-ln2/4, ln2/4] (degree EXPF_DEG, coefficients rounded to float32).
long double (x87 / IEEE quad; LDBL_MANT_DIG==53 uses the double kernel): the
    Taylor series of P(z), LDT_N terms, exact rational coefficients printed with
    45 significant digits (the compiler rounds them to the long double format).
The script prints the max fit error of every approximation on stderr.
"""
import sys
import mpmath as mp

mp.mp.prec = 320

TSD_DEG = 16     # degree of P (double): T has degree TSD_DEG - 1
EXPD_DEG = 10    # degree of Q (double expm1)
TSF_DEG = 13     # degree of P_f (float, on |x| < 2)
EXPF_DEG = 6     # degree of Ef (float32 arithmetic, exp(2s))
LDT_N = 100      # Taylor terms for long double


def P_exact(z):
    """(x - tanh x)/x^3 with z = x^2, via the Taylor series near 0."""
    z = mp.mpf(z)
    if z < mp.mpf('1e-6'):
        return sum(taylor_P(k) * z**k for k in range(40))
    x = mp.sqrt(z)
    return (x - mp.tanh(x)) / (x**3)


_tay = {}


def taylor_P(k):
    # x - tanh x = -sum_{n>=2} 2^{2n}(2^{2n}-1) B_{2n} x^{2n-1}/(2n)!
    # coefficient of z^k in P is the x^{2k+3} coefficient, n = k+2
    if k not in _tay:
        n = k + 2
        _tay[k] = -mp.mpf(2)**(2*n) * (mp.mpf(2)**(2*n) - 1) * mp.bernoulli(2*n) / mp.factorial(2*n)
    return _tay[k]


def to_double(v):
    return float(mp.mpf(v))


def to_float32(v):
    import numpy as np
    return float(np.float32(float(mp.mpf(v))))


def hexf(v):
    return float(v).hex() + 'f'


def hexd(v):
    return float(v).hex()


def fit(f, a, b, deg):
    poly, err = mp.chebyfit(f, [a, b], deg + 1, error=True)
    return [c for c in reversed(poly)], err   # lowest order first


def maxerr(f, coeffs, a, b, rel, n=2000):
    worst = mp.mpf(0)
    for i in range(n + 1):
        t = a + (b - a) * mp.mpf(i) / n
        p = mp.mpf(0)
        for c in reversed(coeffs):
            p = p * t + mp.mpf(c)
        e = abs(p - f(t))
        if rel:
            e /= abs(rel(t))
        worst = max(worst, e)
    return worst


def gen_double_P():
    p0h = to_double(mp.mpf(1) / 3)
    p0l = to_double(mp.mpf(1) / 3 - mp.mpf(p0h))
    s0 = taylor_P(1)                      # -2/15
    s0h = to_double(s0)
    s0l = to_double(s0 - mp.mpf(s0h))

    def T(z):
        z = mp.mpf(z)
        if z < mp.mpf('1e-20'):
            return sum(taylor_P(k + 2) * z**k for k in range(30))
        return ((P_exact(z) - mp.mpf(1) / 3) / z - s0) / z
    tail, err = fit(T, 0, 1, TSD_DEG - 1)
    coeffs = [to_double(c) for c in tail]
    e = maxerr(lambda z: P_exact(z) - mp.mpf(1) / 3 - s0 * z, [0.0, 0.0] + coeffs,
               mp.mpf('1e-30'), 1, lambda z: P_exact(z), n=1000)
    print(f"double P: degree {TSD_DEG}, max rel err 2^{mp.nstr(mp.log(e, 2), 4)}", file=sys.stderr)
    return p0h, p0l, s0h, s0l, coeffs


def gen_expm1_d():
    h = mp.log(2) / 2 * (1 + mp.mpf('1e-9'))

    def Q(r):
        r = mp.mpf(r)
        if abs(r) < mp.mpf('1e-30'):
            return mp.mpf(1) / 2
        return (mp.expm1(r) - r) / r**2
    tail, err = fit(lambda r: (Q(r) - mp.mpf(1) / 2) / r if abs(r) > mp.mpf('1e-30') else mp.mpf(1) / 6,
                    -h, h, EXPD_DEG - 1)
    coeffs = [0.5] + [to_double(c) for c in tail]
    e = maxerr(lambda r: mp.expm1(r), [0.0, 1.0] + coeffs, -h, h,
               lambda r: mp.expm1(r) if r != 0 else 1, n=1000)
    print(f"double expm1: degree {EXPD_DEG}, max rel err {mp.nstr(e, 5)} = 2^{mp.nstr(mp.log(e, 2), 4)}",
          file=sys.stderr)
    return coeffs


def gen_float_P():
    c, err = fit(P_exact, 0, 4, TSF_DEG)
    coeffs = [to_double(v) for v in c]
    e = maxerr(P_exact, coeffs, 0, 4, P_exact, n=1000)
    print(f"float P: degree {TSF_DEG}, max rel err 2^{mp.nstr(mp.log(e, 2), 4)}", file=sys.stderr)
    return coeffs


def gen_exp_f():
    h = mp.log(2) / 4 * (1 + mp.mpf('1e-6'))
    f = lambda s: mp.exp(2 * s)
    c, err = fit(f, -h, h, EXPF_DEG)
    coeffs = [to_float32(v) for v in c]
    e = maxerr(f, coeffs, -h, h, f, n=1000)
    print(f"float exp: degree {EXPF_DEG}, max rel err 2^{mp.nstr(mp.log(e, 2), 4)}", file=sys.stderr)
    return coeffs


def horner_macro(name, coeffs, var='z', fmt=None):
    fmt = fmt or hexd
    expr = fmt(coeffs[-1])
    for c in reversed(coeffs[:-1]):
        expr = f"{fmt(c)} + ({var}) * ({expr})"
    return f"#define {name}({var}) ({expr})\n"


def main():
    p0h, p0l, s0h, s0l, T = gen_double_P()
    Qd = gen_expm1_d()
    Pf = gen_float_P()
    Qf = gen_exp_f()
    out = []
    out.append("/* Generated by tools/gen_tanhshrink_coeffs.py -- do not edit. */\n")
    out.append("#ifndef SHRINK_TANHSHRINK_COEFFS_H\n#define SHRINK_TANHSHRINK_COEFFS_H\n\n")
    out.append("/* float64: x - tanh x = x^3 (P0H + P0L + z (S0H + S0L + z T(z))), z = x^2, |x| < 1 */\n")
    out.append(f"#define SHRINK_TSD_P0H {hexd(p0h)}\n#define SHRINK_TSD_P0L {hexd(p0l)}\n")
    out.append(f"#define SHRINK_TSD_S0H {hexd(s0h)}\n#define SHRINK_TSD_S0L {hexd(s0l)}\n")
    out.append(horner_macro("SHRINK_TSD_T", T))
    out.append("/* float64: expm1(r) = r + r^2 Q(r), |r| <= ln2/2 */\n")
    out.append(horner_macro("SHRINK_EXPM1_Q", Qd, 'r'))
    out.append("/* float64: the same, Q(r) = 1/2 + r Q1(r) */\n")
    out.append(horner_macro("SHRINK_EXPM1_Q1", Qd[1:], 'r'))
    out.append("/* float32 (in double): (x - tanh x)/x^3 = Pf(z), |x| < 2 */\n")
    out.append(horner_macro("SHRINK_TSF_P", Pf))
    out.append("/* float32 (float arithmetic): exp(2s) = Ef(s), |s| <= ln2/4 */\n")
    out.append(horner_macro("SHRINK_EXPF_E", Qf, 's', hexf))
    out.append(f"/* long double: Taylor coefficients of (x - tanh x)/x^3 in z = x^2 */\n")
    out.append(f"#define SHRINK_TSL_NTERMS {LDT_N}\n")
    out.append("#define SHRINK_TSL_COEFFS \\\n")
    for k in range(LDT_N):
        s = mp.nstr(taylor_P(k), 45, min_fixed=1, max_fixed=0)
        s = s.replace('e', 'e') + 'L'
        out.append(f"    {s}{',' if k < LDT_N - 1 else ''} \\\n")
    out.append("\n\n#endif\n")
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
