"""Independent high-precision references (mpmath) and ULP-distance helpers.

Nothing here uses ``shrink``: it is the yardstick the accuracy and parity tests,
``tools/accuracy_table.py`` and ``docs/plot_error_near_zero.py`` measure against.

* Every binary floating-point input (float16 .. x87 longdouble) is converted to an
  ``mpmath.mpf`` *exactly* (longdouble via ``as_integer_ratio``).
* ``x - tanh(x)`` is evaluated at ``PREC`` bits plus the bits lost to
  cancellation, and by its Taylor series where ``|x|`` is tiny (there the direct
  form would need ~2·|log2 x| extra bits; the series has no cancellation).
* The ULP of a value is the ULP of the *true* value in the target dtype:
  ``2**(floor(log2|v|) - p + 1)`` for normal magnitudes, the smallest subnormal
  below the normal range.
"""

from __future__ import annotations

import functools
import math

import mpmath
import numpy as np

PREC = 160  # working precision of every reference (bits); >= 150 as required
mp = mpmath.mp
mp.prec = PREC

REAL_DTYPES = (np.float16, np.float32, np.float64, np.longdouble)
COMPLEX_DTYPES = (np.complex64, np.complex128, np.clongdouble)

# SPEC §5 bounds (ULP) for tanhshrink and tanhshrink_grad.
TANH_BOUNDS = {
    np.dtype(np.float16): 1.0,
    np.dtype(np.float32): 1.0,
    np.dtype(np.float64): 2.0,
    np.dtype(np.longdouble): 8.0,
}


def tanh_bound(dtype) -> float:
    return TANH_BOUNDS[np.dtype(dtype)]


# The float32 kernels' own worst error over every float32 input, by build
# (tools/exhaustive_f32.py; docs/tanhshrink-method.md), rounded up: tighter than
# SPEC §5's 1 ULP, so that a second rounding (up to 0.75 ULP where a result is
# subnormal), a coarser fit, or tanh**2 from a float32 1 - tanh|x| (0.689 ULP)
# fails.
F32_KERNEL_BOUNDS = {
    "tanhshrink": {"baseline": 0.59, "x86-64-v3": 0.59, "x86-64-v4": 0.59},
    "tanhshrink_grad": {"baseline": 0.59, "x86-64-v3": 0.59, "x86-64-v4": 0.59},
}


def f32_kernel_points(seed=20261201):
    """float32 inputs where the float32 kernels are weakest, both signs: results
    near and below the smallest normal (|x| in [2**-51, 2**-40] for tanhshrink,
    [2**-76, 2**-60] for tanh**2), |x| in [1, 2.6] (the kernels' switches at 1.25
    and 2), and the worst inputs tools/exhaustive_f32.py has found."""
    rng = np.random.default_rng(seed)
    parts = [np.exp2(rng.uniform(-51, -40, 600)), np.exp2(rng.uniform(-76, -60, 300)),
             rng.uniform(1.0, 2.6, 1500)]
    worst = [0x2A9F5CE8, 0x20500002, 0x3FDFF080, 0x3F80E54E, 0x2A9F0566, 0x2049CA39,
             0x3FDEF809, 0x4000C04B, 0x400333B0, 0x3FFE511C, 0x3F813264, 0x3F5E3566,
             0x3F5FED55]
    v = np.concatenate([np.concatenate(parts).astype(np.float32),
                        np.array(worst, np.uint32).view(np.float32)])
    v = np.unique(v)
    return np.concatenate([-v[::-1], v])


# --------------------------------------------------------------------------
# dtype parameters
# --------------------------------------------------------------------------
class FloatFormat:
    """Binary format parameters of a NumPy real floating dtype."""

    def __init__(self, dtype):
        self.dtype = np.dtype(dtype)
        fi = np.finfo(self.dtype)
        self.p = int(fi.nmant) + 1  # precision incl. the leading bit (11, 24, 53, 64)
        if self.dtype == np.dtype(np.longdouble) and fi.nmant == 63:
            self.p = 64  # x87: explicit integer bit, 64-bit significand
        self.emin = int(fi.minexp)  # exponent of the smallest normal
        self.emax = int(fi.maxexp) - 1
        self.eps = float(fi.eps)
        self.smallest_subnormal = mpmath.ldexp(mpmath.mpf(1), self.emin - self.p + 1)
        self.smallest_normal = mpmath.ldexp(mpmath.mpf(1), self.emin)
        self.max = (1 - mpmath.ldexp(mpmath.mpf(1), -self.p)) * mpmath.ldexp(
            mpmath.mpf(2), self.emax
        )

    def __repr__(self):
        return f"FloatFormat({self.dtype}, p={self.p}, emin={self.emin})"


@functools.lru_cache(maxsize=None)
def _fmt(dtype_str: str) -> FloatFormat:
    return FloatFormat(np.dtype(dtype_str))


def fmt(dtype) -> FloatFormat:
    return _fmt(np.dtype(dtype).str)


def real_dtype_of(dtype) -> np.dtype:
    """float32 for complex64 etc."""
    d = np.dtype(dtype)
    if d.kind == "c":
        return np.empty(0, d).real.dtype
    return d


# --------------------------------------------------------------------------
# exact conversions
# --------------------------------------------------------------------------
def to_mpf(v) -> mpmath.mpf:
    """Exact mpf of a NumPy / Python real float (NaN and inf preserved)."""
    if isinstance(v, np.floating) and v.dtype == np.dtype(np.longdouble):
        if np.isnan(v):
            return mpmath.mpf("nan")
        if np.isinf(v):
            return mpmath.mpf("inf") if v > 0 else mpmath.mpf("-inf")
        n, d = v.as_integer_ratio()
        k = d.bit_length() - 1
        assert d == 1 << k
        r = mpmath.ldexp(mpmath.mpf(n), -k)  # exact: mpf(int) is exact at any size
        if r == 0 and np.signbit(v):
            return mpmath.mpf("-0")
        return r
    f = float(v)  # exact for float16/32/64
    return mpmath.mpf(f)


def to_mpc(z) -> mpmath.mpc:
    z = np.asarray(z)[()]
    return mpmath.mpc(to_mpf(z.real), to_mpf(z.imag))


def mpf_list(a) -> list:
    a = np.asarray(a)
    return [to_mpf(v) for v in a.ravel()]


def round_mpf(v, dtype):
    """Correctly rounded (nearest, ties to even) value of mpf ``v`` in ``dtype``.

    Returns a NumPy scalar of ``dtype``.  Handles subnormals, overflow, signed zero.
    """
    f = fmt(dtype)
    dt = f.dtype
    if mpmath.isnan(v):
        return dt.type("nan")
    if mpmath.isinf(v):
        return dt.type("inf") if v > 0 else dt.type("-inf")
    if v == 0:
        return dt.type(0.0)
    neg = v < 0
    a = -v if neg else v
    _, e2 = mpmath.frexp(a)  # a = m * 2**e2, 0.5 <= m < 1
    e = int(e2) - 1  # floor(log2 a)
    q = max(e, f.emin) - f.p + 1  # exponent of the quantum
    n = int(mpmath.nint(mpmath.ldexp(a, -q)))  # ldexp is exact; nint is half-even
    if n == 0:
        out = dt.type(0.0)
    else:
        # exact rebuild: n < 2**(p+1), split into exact pieces
        if n.bit_length() > f.p + 1 or (q + n.bit_length() - 1) > f.emax:
            out = dt.type("inf")
        else:
            hi, lo = n >> 32, n & 0xFFFFFFFF
            with np.errstate(over="ignore", under="ignore"):
                m = dt.type(hi) * dt.type(2.0**32) + dt.type(lo) if hi else dt.type(lo)
                out = np.ldexp(m, q) if dt != np.dtype(np.float16) else dt.type(
                    np.ldexp(np.float64(m), q)
                )
            if to_mpf(out) != mpmath.ldexp(mpmath.mpf(n), q):
                if (q + n.bit_length() - 1) > f.emax:
                    out = dt.type("inf")
                else:  # pragma: no cover - would be a bug in this helper
                    raise AssertionError(f"round_mpf rebuild failed for {v} -> {dt}")
    return -out if neg else out


def round_list(vals, dtype) -> np.ndarray:
    return np.array([round_mpf(v, dtype) for v in vals], dtype=dtype)


def same_bits(a, b) -> bool:
    """Bitwise equality of two float arrays of one dtype, ignoring the padding bytes
    of x87 longdouble (only the 10 value bytes are compared)."""
    a, b = np.ascontiguousarray(a), np.ascontiguousarray(b)
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    real = real_dtype_of(a.dtype)
    n = real.itemsize
    if real == np.dtype(np.longdouble) and np.finfo(real).nmant == 63:
        n = 10
    ua = a.view(np.uint8).reshape(-1, real.itemsize)[:, :n]
    ub = b.view(np.uint8).reshape(-1, real.itemsize)[:, :n]
    return bool(np.array_equal(ua, ub))


# --------------------------------------------------------------------------
# ULP helpers
# --------------------------------------------------------------------------
def ulp(v, dtype) -> mpmath.mpf:
    """ULP of the true value ``v`` (mpf) in ``dtype`` (subnormal-aware)."""
    f = fmt(dtype)
    if v == 0 or not mpmath.isfinite(v):
        return f.smallest_subnormal
    _, e2 = mpmath.frexp(abs(v))
    e = int(e2) - 1
    return mpmath.ldexp(mpmath.mpf(1), max(e, f.emin) - f.p + 1)


def ulp_error_one(computed, ref, dtype) -> float:
    """|computed - ref| in ULPs of ref in ``dtype``; inf for NaN/inf mismatches."""
    c = to_mpf(computed)
    if mpmath.isnan(ref):
        return 0.0 if mpmath.isnan(c) else math.inf
    if mpmath.isnan(c):
        return math.inf
    if mpmath.isinf(ref) or mpmath.isinf(c):
        return 0.0 if c == ref else math.inf
    return float(abs(c - ref) / ulp(ref, dtype))


def ulp_errors(computed, refs, dtype=None) -> np.ndarray:
    """Vector of ULP errors of ``computed`` (array) against the list ``refs``."""
    computed = np.asarray(computed)
    if dtype is None:
        dtype = computed.dtype
    flat = computed.ravel()
    assert len(flat) == len(refs)
    return np.array([ulp_error_one(c, r, dtype) for c, r in zip(flat, refs)], float)


def distance_in_ulps(a, b, ref_ulp_of) -> np.ndarray:
    """|a - b| measured in ULPs of ``ref_ulp_of`` (list of mpf true values)."""
    dt = np.asarray(a).dtype
    out = []
    for x, y, r in zip(np.asarray(a).ravel(), np.asarray(b).ravel(), ref_ulp_of):
        mx, my = to_mpf(x), to_mpf(y)
        if mpmath.isnan(mx) or mpmath.isnan(my):
            out.append(0.0 if (mpmath.isnan(mx) and mpmath.isnan(my)) else math.inf)
        elif mpmath.isinf(mx) or mpmath.isinf(my):
            out.append(0.0 if mx == my else math.inf)
        else:
            out.append(float(abs(mx - my) / ulp(r, dt)))
    return np.array(out, float)


def backward_allowed(g_mp, T_mp, exact_mp, dtype) -> np.ndarray:
    """Per-point ULP allowance of g*G rounded once, G within the gradient bound of
    T = tanh(x)**2: 0.5 + bound * max(1, |g| ulp(T) / ulp(g T)) ULP of g*T."""
    bound = tanh_bound(dtype)
    out = []
    for a, t, e in zip(g_mp, T_mp, exact_mp):
        if e == 0 or not mpmath.isfinite(e):
            out.append(0.5 + bound)
        else:
            out.append(0.5 + bound * max(1.0, float(abs(a) * ulp(t, dtype) / ulp(e, dtype))))
    return np.array(out)


# --------------------------------------------------------------------------
# reference functions
# --------------------------------------------------------------------------
# x - tanh(x) = sum_{n>=2} c_n x^(2n-1),  c_n = -2^(2n)(2^(2n)-1) B_(2n) / (2n)!
def _tanh_series_coeffs(nterms: int):
    cs = []
    for n in range(2, 2 + nterms):
        b = mpmath.bernoulli(2 * n)
        c = -(mpmath.mpf(2) ** (2 * n)) * (mpmath.mpf(2) ** (2 * n) - 1) * b / mpmath.factorial(2 * n)
        cs.append(c)
    return cs


with mpmath.workprec(PREC + 40):
    _SERIES = _tanh_series_coeffs(14)  # 1/3, -2/15, 17/315, -62/2835, ...

_SERIES_CUTOFF = mpmath.ldexp(mpmath.mpf(1), -12)  # |x| < 2^-12: 14 terms give < 2^-300 rel.


def tanhshrink_mp(x) -> mpmath.mpf:
    """x - tanh(x) to ~PREC bits for any real mpf (NaN/inf/±0 handled)."""
    if mpmath.isnan(x):
        return x
    if mpmath.isinf(x):
        return x
    if x == 0:
        return x  # keeps the sign of zero
    ax = abs(x)
    if ax < _SERIES_CUTOFF:
        with mpmath.workprec(PREC + 20):
            x2 = x * x
            s = mpmath.mpf(0)
            for c in reversed(_SERIES):
                s = s * x2 + c
            r = s * x2 * x
        return +r
    # cancellation loses about log2(3/x^2) bits for small x: add them (+ margin)
    _, e2 = mpmath.frexp(ax)
    extra = max(0, -2 * int(e2)) + 24
    with mpmath.workprec(PREC + extra):
        r = x - mpmath.tanh(x)
    return +r


def tanhshrink_grad_mp(x) -> mpmath.mpf:
    """tanh(x)**2 (no cancellation anywhere)."""
    if mpmath.isnan(x):
        return x
    if mpmath.isinf(x):
        return mpmath.mpf(1)
    with mpmath.workprec(PREC + 10):
        t = mpmath.tanh(x)
        r = t * t
    return +r


def tanhshrink_complex_mp(z) -> mpmath.mpc:
    """z - tanh(z) for complex mpc (series near 0, extra precision elsewhere)."""
    az = abs(z)
    if az == 0:
        return z
    if az < _SERIES_CUTOFF:
        with mpmath.workprec(PREC + 20):
            z2 = z * z
            s = mpmath.mpc(0)
            for c in reversed(_SERIES):
                s = s * z2 + c
            r = s * z2 * z
        return +r
    _, e2 = mpmath.frexp(az)
    # extra bits: cancellation near 0 and near the non-trivial fixed points of tanh
    extra = max(0, -2 * int(e2)) + 64
    with mpmath.workprec(PREC + extra):
        r = z - mpmath.tanh(z)
    return +r


def softshrink_complex_mp(z, lambd) -> mpmath.mpc:
    a = abs(z)
    lam = mpmath.mpf(lambd)
    if a <= lam:
        return mpmath.mpc(0)
    with mpmath.workprec(PREC + 20):
        r = z * (a - lam) / a
    return +r


def tanhshrink_refs(x) -> list:
    """List of mpf references of x - tanh(x) for a real array (odd symmetry used)."""
    return [_tanhshrink_cached(v) for v in mpf_list(x)]


def tanhshrink_grad_refs(x) -> list:
    return [_grad_cached(v) for v in mpf_list(x)]


@functools.lru_cache(maxsize=200_000)
def _tanhshrink_cached(v):
    if mpmath.isfinite(v) and v < 0:
        return -_tanhshrink_cached(-v)
    return tanhshrink_mp(v)


@functools.lru_cache(maxsize=200_000)
def _grad_cached(v):
    if mpmath.isfinite(v) and v < 0:
        return _grad_cached(-v)
    return tanhshrink_grad_mp(v)


# --------------------------------------------------------------------------
# point sets (shared by tests/test_accuracy.py and the tools)
# --------------------------------------------------------------------------
def _decade_range(dtype):
    """Decades k with [10^k, 10^(k+1)) intersecting [smallest subnormal, 40]."""
    ss = np.finfo(dtype).smallest_subnormal
    lo = int(math.floor(float(mpmath.log10(to_mpf(ss)))))
    return list(range(lo, 2))  # 10^1 .. 40 is the last (partial) decade


def accuracy_points(dtype, seed=20261123, n_log=3000, per_decade=None):
    """Sorted unique points of ``dtype``: ±(log-spaced smallest-subnormal..40) and
    random log-uniform points in every decade, plus exact powers of two and their
    neighbours.  float16: every value in ±[smallest subnormal, 40].
    Deterministic for a given seed."""
    dt = np.dtype(dtype)
    if dt == np.dtype(np.float16):
        # float16 is small enough to take every value in [smallest subnormal, 40]
        v = np.arange(1, 0x7C00, dtype=np.uint16).view(np.float16)
        v = v[v <= np.float16(40)]
        return np.concatenate([-v[::-1], v])
    f = fmt(dt)
    rng = np.random.default_rng([seed, dt.num])
    ss = np.finfo(dt).smallest_subnormal
    decades = _decade_range(dt)
    if per_decade is None:
        per_decade = max(2, min(100, 6000 // len(decades)))
    lg_lo = float(mpmath.log10(to_mpf(ss)))
    lg_hi = math.log10(40.0)
    # log-spaced exponents; evaluate 10**e in longdouble to reach the x87 range
    exps = np.linspace(lg_lo, lg_hi, n_log)
    rnd = []
    for k in decades:
        u = rng.random(per_decade)
        rnd.append(k + u)
    # denser where the kernels switch formulas: log-uniform in [1e-20, 40]
    rnd.append(rng.uniform(-20.0, lg_hi, 2000))
    exps = np.concatenate([exps] + rnd).astype(np.longdouble)
    with np.errstate(under="ignore", over="ignore"):
        vals = np.power(np.longdouble(10), exps)
        # a random tail of low bits so that longdouble values use all 64 bits
        if dt == np.dtype(np.longdouble):
            vals = vals * (1 + np.longdouble(rng.random(len(vals))) * np.longdouble(2.0**-52))
        v = vals.astype(dt)
    # exact powers of two and their neighbours: all binades near 1, a sample below
    e_lo = f.emin - f.p + 1
    es = sorted(set(range(max(e_lo, -60), 6)) | set(np.linspace(e_lo, 5, 120).astype(int).tolist()))
    extra = []
    for e in es:
        p2 = dt.type(np.ldexp(np.longdouble(1), e))
        extra += [p2, np.nextafter(p2, dt.type(0)), np.nextafter(p2, dt.type(50))]
    lin = rng.uniform(0.0, 40.0, 1000).astype(dt)  # linear: the well-conditioned range
    v = np.concatenate([v, lin, np.array(extra, dt), np.array([ss, 40.0, 1.0, 0.5, 0.75], dt)])
    v = v[(v >= ss) & (v <= dt.type(40.0)) & np.isfinite(v)]
    v = np.unique(v)
    return np.concatenate([-v[::-1], v])


def decade_of(x) -> np.ndarray:
    """floor(log10|x|) computed exactly enough for binning (longdouble aware)."""
    ax = np.abs(np.asarray(x)).astype(np.longdouble)
    with np.errstate(divide="ignore"):
        return np.floor(np.log10(ax)).astype(int)


def per_decade_report(x, err, max_rows=48) -> str:
    """Worst error per decade of |x| as text (decades merged if there are many)."""
    d = decade_of(x)
    lo, hi = int(d.min()), int(d.max())
    n = hi - lo + 1
    width = max(1, int(math.ceil(n / max_rows)))
    # merge from the bottom so that the top decades stay individual
    rows = []
    top_individual = 40 if width > 1 else n
    start = hi - top_individual + 1
    groups = []
    for k in range(hi, max(lo, start) - 1, -1):
        groups.append((k, k))
    if start > lo:
        w = max(1, int(math.ceil((start - lo) / max(1, max_rows - top_individual))))
        k = start - 1
        while k >= lo:
            groups.append((max(lo, k - w + 1), k))
            k -= w
    for a, b in sorted(groups):
        m = (d >= a) & (d <= b)
        if not m.any():
            continue
        lab = f"1e{a}" if a == b else f"1e{a}..1e{b}"
        rows.append(f"  |x| in [{lab:>16}, ...): worst {err[m].max():10.4g} ULP  (n={int(m.sum())})")
    return "\n".join(rows)
