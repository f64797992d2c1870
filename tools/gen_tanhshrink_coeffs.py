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
float32, AVX-512 builds (float arithmetic, one polynomial per lane, its
    coefficients looked up by interval): a = |x| in [0, 1/4) is one interval
    (variable v = a^2), [1/4, 10) is cut into quarter octaves (4 per power of
    two, v = a - centre). Per interval F = c0 + v S(v), S of degree LUT_DEG,
    fitted by least squares weighted to F's relative error, coefficients
    rounded to float32, c0 = F(centre) as a float32 pair (hi + lo).
    tanhshrink: F = (x - tanh x)/a^3 below 2, (x - tanh x)/a above, stored
    times 2^LUT_TSF_SCALE: the kernel's last product then stays normal where the
    result is subnormal, and one exact scaling rounds it once.
    tanhshrink_grad: F = tanh(a)^2/a^2 below 1.25, tanh(a)^2 above.
long double (x87 / IEEE quad; LDBL_MANT_DIG==53 uses the double kernel): the
    Taylor series of P(z), LDT_N terms, exact rational coefficients printed with
    45 significant digits (the compiler rounds them to the long double format).
The script prints the max fit error of every approximation on stderr.
"""
import struct
import sys

import mpmath as mp

mp.mp.prec = 320

TSD_DEG = 16     # degree of P (double): T has degree TSD_DEG - 1
EXPD_DEG = 10    # degree of Q (double expm1)
TSF_DEG = 13     # degree of P_f (float, on |x| < 2)
EXPF_DEG = 6     # degree of Ef (float32 arithmetic, exp(2s))
LDT_N = 100      # Taylor terms for long double
LUT_DEG = 5      # degree of S in the AVX-512 float32 kernels (per interval)
LUT_N = 23       # intervals: [0, 1/4) and the quarter octaves of [1/4, 12)
LUT_TSF_SCALE = 24  # tanhshrink's F is stored times 2^24 (see gen_lut)
# where each family's F switches from its small-|x| form to the direct one
# (a quarter-octave edge): tanhshrink's at 2, tanh^2's at 1.25, where tanh(a)^2
# varies less across a quarter octave than (tanh(a)/a)^2 does (+-6 % against +-12 %
# on [1.25, 1.5)), so S's float rounding costs less of an ulp
LUT_SWITCH = {"TSF": mp.mpf(2), "TSQ": mp.mpf(5) / 4}


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


def lut_intervals():
    """(lo, hi, centre) of each interval of a = |x|; the kernel's index is
    max((bits(a) >> 21) - 499, 0): exponent and the top two mantissa bits."""
    out = [(mp.mpf(0), mp.mpf(1) / 4, mp.mpf(0))]
    for idx in range(1, LUT_N):
        code = idx + 499
        e, m2 = code >> 2, code & 3
        lo = mp.mpf(2) ** (e - 127) * (1 + mp.mpf(m2) / 4)
        hi = mp.mpf(2) ** (e - 127) * (1 + mp.mpf(m2 + 1) / 4)
        out.append((lo, hi, (lo + hi) / 2))
    return out


def lut_fit(F, c, lo, hi, nodes=80):
    """F(c + v) = c0 + v S(v) on v in [lo - c, hi - c]: S by least squares on
    Chebyshev nodes, weighted by |v| / F (F's relative error); coefficients
    rounded to float32. Returns c0 hi/lo, S's coefficients, max relative error."""
    c0 = F(c)
    vs = [lo - c + (hi - lo) * (1 - mp.cos(mp.pi * (k + mp.mpf(1) / 2) / nodes)) / 2
          for k in range(nodes)]
    A = mp.matrix(len(vs), LUT_DEG + 1)
    b = mp.matrix(len(vs), 1)
    for i, v in enumerate(vs):
        Fv = F(c + v)
        w = abs(v) / Fv
        for j in range(LUT_DEG + 1):
            A[i, j] = w * v ** j
        b[i] = w * (Fv - c0) / v
    sol, _ = mp.qr_solve(A, b)
    coef = [to_float32(sol[j]) for j in range(LUT_DEG + 1)]
    err = mp.mpf(0)
    for k in range(401):
        v = lo - c + (hi - lo) * mp.mpf(k) / 400
        Sv = mp.mpf(0)
        for cj in reversed(coef):
            Sv = Sv * v + mp.mpf(cj)
        Fv = F(c + v)
        err = max(err, abs(c0 + v * Sv - Fv) / Fv)
    c0h = to_float32(c0)
    return c0h, to_float32(c0 - mp.mpf(c0h)), coef, err


def gen_lut():
    """Tables (one float per interval) for the AVX-512 float32 kernels."""
    def y(a):
        return a - mp.tanh(a) if a > mp.mpf('1e-10') else a ** 3 / 3
    funcs = {
        "TSF": (lambda z: P_exact(z),
                lambda a: y(a) / a ** 3, lambda a: y(a) / a),
        "TSQ": (lambda z: (mp.tanh(mp.sqrt(z)) ** 2 / z) if z else mp.mpf(1),
                lambda a: (mp.tanh(a) / a) ** 2, lambda a: mp.tanh(a) ** 2),
    }
    tables = {}
    scale = {"TSF": mp.mpf(2) ** LUT_TSF_SCALE, "TSQ": mp.mpf(1)}
    for name, (f_small, f_below, f_direct) in funcs.items():
        cols = {"C0H": [], "C0L": []}
        cols.update({f"S{j}": [] for j in range(LUT_DEG + 1)})
        worst = mp.mpf(0)
        for idx, (lo, hi, c) in enumerate(lut_intervals()):
            if idx == 0:  # v = a^2 on [0, 1/16]
                c0h, c0l, coef, err = lut_fit(f_small, mp.mpf(0), mp.mpf(0), hi ** 2)
            else:
                c0h, c0l, coef, err = lut_fit(f_below if lo < LUT_SWITCH[name] else f_direct,
                                              c, lo, hi)
            worst = max(worst, err)
            cols["C0H"].append(to_float32(c0h * scale[name]))  # exact: a power of two
            cols["C0L"].append(to_float32(c0l * scale[name]))
            for j in range(LUT_DEG + 1):
                cols[f"S{j}"].append(to_float32(coef[j] * scale[name]))
        print(f"{name} lookup tables: {LUT_N} intervals, degree {LUT_DEG + 1}, max rel err "
              f"2^{mp.nstr(mp.log(worst, 2), 4)}", file=sys.stderr)
        tables[name] = cols
    tables["CEN"] = [to_float32(c) for _, _, c in lut_intervals()]
    return tables


def lut_array(name, values):
    padded = list(values) + [0.0] * (32 - len(values))  # two 16-float registers
    body = ", ".join(hexf(v) for v in padded)
    return f"static const float {name}[32] = {{{body}}};\n"


def horner_macro(name, coeffs, var='z', fmt=None):
    fmt = fmt or hexd
    expr = fmt(coeffs[-1])
    for c in reversed(coeffs[:-1]):
        expr = f"{fmt(c)} + ({var}) * ({expr})"
    return f"#define {name}({var}) ({expr})\n"


def estrin_macro(name, coeffs, var):
    """Estrin's scheme: pairs c[2i] + v c[2i+1], then pairs of those joined by v^2,
    v^4, v^8. The macro takes the powers as arguments (the kernel computes them
    once): its dependency chain is four multiply-adds deep where Horner's is
    len(coeffs) - 1, which is what limits the float64 kernels' speed (the loop
    is latency-bound: one vector's chain is longer than the core can overlap)."""
    powers = [var, f"{var}2", f"{var}4", f"{var}8"]
    terms = [hexd(c) for c in coeffs]
    for p in powers:
        if len(terms) == 1:
            break
        terms = [f"({terms[i]} + ({p}) * {terms[i + 1]})" if i + 1 < len(terms) else terms[i]
                 for i in range(0, len(terms), 2)]
    assert len(terms) == 1, "more coefficients than v^8 can join"
    return f"#define {name}({', '.join(powers)}) {terms[0]}\n"


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
    out.append(estrin_macro("SHRINK_TSD_T", T, 'z'))
    out.append("/* float64: expm1(r) = r + r^2 Q(r), |r| <= ln2/2 */\n")
    out.append(estrin_macro("SHRINK_EXPM1_Q", Qd, 'r'))
    out.append("/* float64: the same, Q(r) = 1/2 + r Q1(r) */\n")
    out.append(estrin_macro("SHRINK_EXPM1_Q1", Qd[1:], 'r'))
    out.append("/* float64: the same Q by Horner's rule, for the float32 kernels that evaluate it\n"
               " * in double (their bits are checked over every float32: tools/exhaustive_f32.py) */\n")
    out.append(horner_macro("SHRINK_EXPM1_Q_HORNER", Qd, 'r'))
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
    lut = gen_lut()
    out.append("\n/* float32, AVX-512 builds: per-interval F = C0H + C0L + v S(v), S = S0 + v (S1 + ...);\n"
               " * interval index max((bits(|x|) >> 21) - 499, 0), v = |x|^2 in interval 0,\n"
               " * |x| - CEN above (see docs/tanhshrink-method.md) */\n")
    out.append("#if defined(__AVX512F__)\n")
    out.append(f"#define SHRINK_LUT_DEG {LUT_DEG}\n")
    out.append(f"#define SHRINK_LUT_TSF_UNSCALE 0x1p-{LUT_TSF_SCALE}f\n")
    for fam, a in LUT_SWITCH.items():  # bits of the float32 where F's form switches
        bits = struct.unpack("<I", struct.pack("<f", float(a)))[0]
        out.append(f"#define SHRINK_LUT_{fam}_SWITCH 0x{bits:08x} /* {mp.nstr(a, 4)}f */\n")
    out.append(lut_array("SHRINK_LUT_CEN", lut["CEN"]))
    for fam in ("TSF", "TSQ"):
        for col, values in lut[fam].items():
            out.append(lut_array(f"SHRINK_LUT_{fam}_{col}", values))
    out.append("#endif\n")
    out.append("\n#endif\n")
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
