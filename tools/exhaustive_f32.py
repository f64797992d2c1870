#!/usr/bin/env python3
"""Opt-in exhaustive check of float32 tanhshrink and tanhshrink_grad: every one of
the 2**31 non-negative float32 bit patterns (+0, subnormals, normals, +inf, NaNs).
Both functions are odd/even, so the negative half adds nothing but time
(``--negative`` checks it too).

    python tools/exhaustive_f32.py                       # kernel chosen for this CPU
    SHRINK_CPU_DISPATCH=baseline python tools/exhaustive_f32.py
    python tools/exhaustive_f32.py --jobs 2 --chunk-bits 21

Run time on this machine (2-core EPYC, x87 longdouble reference): 850 s (14 min)
measured with --jobs 1 while the other core was busy; expect 7-8 min with --jobs 2
on an idle machine. Peak memory ~0.3 GB per job.
Exit status 1 if any error exceeds the SPEC §5 bound (1 ULP), a zero is returned
where the exact value is at least the smallest subnormal, or a special value is wrong.

Reference (independent of shrink; its float64 loop is not used):
  x87 80-bit longdouble (64-bit significand, unit roundoff 2**-64) arithmetic
  with glibc's ``tanhl`` through ``np.tanh``:
  * tanhshrink, x >= 2**-4: ``x - tanhl(x)``.  The subtraction cancels at most
    log2((x + tanh x) / (x - tanh x)) < log2(6 / x**2) <= 10.6 bits, so with tanhl
    good to a few longdouble ULPs the relative error is below ~2**-50;
  * tanhshrink, x < 2**-4: the Taylor series x**3/3 - 2x**5/15 + ... (11 terms,
    Horner in longdouble): truncation < 2**-90, rounding < 2**-60 relative; no
    underflow, since x**3 >= 2.7e-135 is far inside the longdouble range;
  * tanhshrink_grad: ``tanhl(x)**2`` (no cancellation), relative error ~2**-61.
  All are far below the 2**-24 relative size of a float32 ULP (the error adds at most
  ~2**-26 ULP to a measured error), so the worst error printed is the kernel's own to
  about 7 digits.  ``--selfcheck N`` (run by default with N = 2000) compares this
  reference with mpmath (tests/mp_oracle.py) on N log-uniform random inputs first.
"""

import argparse
import math
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
LD = np.longdouble
SERIES_CUT = LD(2.0**-4)


def _series_coeffs():
    """c_n of x - tanh x = sum c_n x^(2n-1), n >= 2, as exact fractions -> longdouble."""
    from fractions import Fraction
    from math import comb, factorial

    # Bernoulli numbers B_0..B_30 by the standard recurrence (exact rationals)
    B = [Fraction(1)]
    for m in range(1, 31):
        B.append(-sum(comb(m + 1, k) * B[k] for k in range(m)) / Fraction(m + 1))
    cs = []
    for n in range(2, 13):
        c = -Fraction(2 ** (2 * n) * (2 ** (2 * n) - 1)) * B[2 * n] / factorial(2 * n)
        # longdouble from an exact fraction: numerator / denominator, both < 2**64
        # would be ideal; split to keep it exact enough (error ~2**-64 relative)
        cs.append(LD(c.numerator) / LD(c.denominator))
    return cs


COEFFS = _series_coeffs()  # 1/3, -2/15, 17/315, -62/2835, ...


def ref_tanhshrink(xl, t=None):
    """x - tanh(x) in longdouble for x >= 0 (array of longdouble); t = tanh(xl) if known."""
    out = np.empty_like(xl)
    small = xl < SERIES_CUT
    xs = xl[small]
    x2 = xs * xs
    s = np.full_like(xs, COEFFS[-1])
    for c in COEFFS[-2::-1]:
        s = s * x2 + c
    out[small] = s * x2 * xs
    big = ~small
    out[big] = xl[big] - (np.tanh(xl[big]) if t is None else t[big])
    return out


def ref_grad(xl, t=None):
    t = np.tanh(xl) if t is None else t
    return t * t


def ulp_f32(ref):
    """ULP of the true value in float32 (subnormal aware), as float64.  The exponent
    is taken from ref rounded to float64, which can only differ within 2**-53 of a
    power of two (and then reports half the error: irrelevant at the 1-ULP scale)."""
    _, e = np.frexp(np.abs(ref).astype(np.float64))  # = m * 2**e, 0.5 <= m < 1
    e = np.where(ref == 0, -148, e)
    return np.ldexp(1.0, np.maximum(e - 1, -126) - 23)


def check_chunk(args):
    start, stop, negative = args
    import shrink.ufuncs as U

    bits = np.arange(start, stop, dtype=np.uint64).astype(np.uint32)
    if negative:
        bits |= np.uint32(0x80000000)
    x = bits.view(np.float32)
    res = {}
    # SPEC §4: no FP exception on real input, quiet NaN and inf included; a
    # signalling NaN (exponent all ones, quiet bit 22 clear, mantissa != 0) may raise
    snan = ((bits & 0x7FC00000) == 0x7F800000) & ((bits & 0x003FFFFF) != 0)
    y = np.empty_like(x)
    g = np.empty_like(x)
    q = ~snan
    with np.errstate(invalid="raise", divide="raise", over="raise"):
        y[q] = U.tanhshrink(x[q])
        g[q] = U.tanhshrink_grad(x[q])
    if snan.any():
        with np.errstate(all="ignore"):
            y[snan] = U.tanhshrink(x[snan])
            g[snan] = U.tanhshrink_grad(x[snan])
    finite = np.isfinite(x)
    bad_special = 0
    nan = np.isnan(x)
    bad_special += int((~np.isnan(y[nan])).sum() + (~np.isnan(g[nan])).sum())
    inf = np.isinf(x)
    bad_special += int((y[inf] != x[inf]).sum() + (g[inf] != 1).sum())
    xf = x[finite]
    ax = np.abs(xf).astype(LD)
    t = np.tanh(ax)
    ss = np.finfo(np.float32).smallest_subnormal
    neg = np.signbit(xf)
    for name, out, ref in (
        ("tanhshrink", np.abs(y[finite]), ref_tanhshrink(ax, t)),  # odd: compare |.|
        ("tanhshrink_grad", g[finite], ref_grad(ax, t)),
    ):
        if name == "tanhshrink":
            # odd function: sign of the result (zero included) follows x
            yo = y[finite]
            bad_special += int((np.signbit(yo) != neg).sum())
        if not len(out):
            res[name] = (0.0, float("nan"), 0, 0, 0)
            continue
        err = np.abs((out.astype(LD) - ref).astype(np.float64)) / ulp_f32(ref)
        i = int(np.argmax(err))
        zero_bad = int(((out == 0) & (ref >= ss)).sum())
        res[name] = (float(err[i]), float(xf[i]), int((err > 1).sum()), int((err > 0.5).sum()), zero_bad)
    res["special"] = bad_special
    res["n"] = len(x)
    return res


def selfcheck(n):
    sys.path.insert(0, os.path.join(HERE, "..", "tests"))
    import mpmath

    import mp_oracle as O

    rng = np.random.default_rng(5)
    x = np.exp(rng.uniform(math.log(1.5e-45), math.log(100.0), n)).astype(np.float32)
    x = np.concatenate([x, np.float32([2.0**-4, np.nextafter(np.float32(2.0**-4), np.float32(0)), 1.0, 40.0])])
    xl = x.astype(LD)
    worst = 0.0
    for fname, refl, mpf in (("tanhshrink", ref_tanhshrink(xl), O.tanhshrink_mp),
                             ("tanhshrink_grad", ref_grad(xl), O.tanhshrink_grad_mp)):
        w = 0.0
        for xi, r in zip(x, refl):
            m = mpf(mpmath.mpf(float(xi)))
            w = max(w, float(abs(O.to_mpf(r) - m) / abs(m)))
        print(f"selfcheck: reference {fname} vs mpmath on {len(x)} points: max relative error "
              f"{w:.3g} = 2**{math.log2(w) if w else -math.inf:.1f}")
        worst = max(worst, w)
    if worst > 2.0**-40:
        print("selfcheck FAILED: the reference is not accurate enough")
        sys.exit(2)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--chunk-bits", type=int, default=21)
    ap.add_argument("--selfcheck", type=int, default=2000, help="points (0 to skip)")
    ap.add_argument("--negative", action="store_true", help="also the 2**31 negative patterns")
    ap.add_argument("--start", type=lambda v: int(v, 0), default=0, help="first bit pattern (e.g. 0x39000000)")
    ap.add_argument("--limit", type=lambda v: int(v, 0), default=1 << 31, help="check bit patterns [start, limit) only")
    args = ap.parse_args(argv)
    sys.path.insert(0, os.path.join(HERE, ".."))
    import shrink  # noqa: F401

    import shrink.ufuncs

    level = getattr(shrink.ufuncs, "CPU_DISPATCH", "?")
    print(f"shrink tanhshrink kernel: {level} (SHRINK_CPU_DISPATCH={os.environ.get('SHRINK_CPU_DISPATCH', '')})")
    if args.selfcheck:
        selfcheck(args.selfcheck)
    ch = 1 << args.chunk_bits
    tasks = [(s, min(s + ch, args.limit), neg) for neg in ([False, True] if args.negative else [False])
             for s in range(args.start, args.limit, ch)]
    t0 = time.time()
    agg = {k: [-1.0, 0.0, 0, 0, 0] for k in ("tanhshrink", "tanhshrink_grad")}
    special = n = 0
    with ProcessPoolExecutor(max_workers=args.jobs) as ex:
        for k, r in enumerate(ex.map(check_chunk, tasks)):
            n += r["n"]
            special += r["special"]
            for name in agg:
                e, xw, over1, over_half, zb = r[name]
                a = agg[name]
                if e > a[0]:
                    a[0], a[1] = e, xw
                a[2] += over1
                a[3] += over_half
                a[4] += zb
            if (k + 1) % 64 == 0:
                print(f"  {n} inputs, {time.time() - t0:.0f} s: worst so far "
                      + ", ".join(f"{nm} {a[0]:.4f} ULP" for nm, a in agg.items()), flush=True)
    print(f"checked {n} float32 inputs in {time.time() - t0:.0f} s")
    ok = special == 0
    for name, (e, xw, over1, over_half, zb) in agg.items():
        print(f"{name}: worst {e:.6f} ULP at x = {xw!r} ({np.float32(xw).view(np.uint32):#010x}); "
              f"{over_half} inputs > 0.5 ULP, {over1} > 1 ULP; {zb} zero results where |exact| >= "
              f"smallest subnormal")
        ok &= over1 == 0 and zb == 0
    print(f"special values (NaN, inf, sign of zero) wrong: {special}")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
