"""SPEC §4: special values (real dtypes), signed zeros, NaN anywhere, no FP flags."""

import functools

import numpy as np
import pytest

import os  # noqa: E402
import sys  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spec_cases import (
    BACKWARD_NAMES, FRACTION_REFS, FUNCS, GRAD_NAMES, LAMBD_NAMES, NAMES, REAL_DTYPES, REAL_IDS, args_for,
    assert_same_bits, call, same_bits, g_pool, quiet_fp, assert_matches_reference, strict_fp, ufunc, value_pool,
)

NAN = float("nan")
INF = float("inf")
LAYERS = ["ufunc", "function", "class"]


# --------------------------------------------------------------------------
# The §4 table, row by row.  Expected values written from the table itself.

def _expected(name, xkind, g):
    """Value the §4 table / §1 definitions give; g is the grad_output (float)."""
    f = FUNCS[name]
    sign = -1.0 if xkind in ("-inf",) else 1.0
    if xkind == "nan":
        return NAN
    if xkind in ("+inf", "-inf"):
        if f.kind == "forward":
            return sign * INF
        if f.kind == "grad":
            return 1.0
        return g  # g * 1 (tanh: g * tanh(±inf)**2 == g)
    if xkind in ("+lam", "-lam"):  # hard/soft only
        return 0.0
    if xkind in ("-0", "+0"):
        if f.kind == "forward":
            if f.family == "tanhshrink":
                return -0.0 if xkind == "-0" else 0.0
            return 0.0
        if f.kind == "grad":
            return 0.0
        # backward
        if f.family == "tanhshrink":
            if np.isnan(g) or np.isinf(g):
                return NAN  # g * 0 (the IEEE exception of §4)
            return 0.0
        return 0.0  # hard/soft: 0 even for inf / NaN g
    raise AssertionError(xkind)


XKINDS = ["nan", "+inf", "-inf", "+lam", "-lam", "-0", "+0"]
GS = [1.0, -1.0, -2.5, INF, -INF, NAN]


def _xval(xkind, lam):
    return {"nan": NAN, "+inf": INF, "-inf": -INF, "+lam": lam, "-lam": -lam,
            "-0": -0.0, "+0": 0.0}[xkind]


def _cases():
    for name in NAMES:
        f = FUNCS[name]
        for xkind in XKINDS:
            if xkind.endswith("lam") and not f.has_lambd:
                continue
            for g in (GS if f.kind == "backward" else [1.0]):
                yield pytest.param(name, xkind, g, id=f"{name}-{xkind}-g={g}")


@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
@pytest.mark.parametrize("name,xkind,g", list(_cases()))
def test_special_value_table(name, xkind, g, dt):
    for lam in (0.5, 0.0, 1.75, 3.0):
        x = _xval(xkind, lam)
        expected = np.array(_expected(name, xkind, g), dtype=dt)
        for n in (1, 37):  # scalar tail and vector body
            xa = np.full(n, x, dtype=dt)
            ga = np.full(n, g, dtype=dt)
            with quiet_fp():
                got = ufunc(name)(*args_for(name, xa, dt(lam), ga))
            assert_same_bits(got, np.full(n, expected), f"{name}(x={xkind}, lam={lam}, g={g}) n={n}")


@pytest.mark.parametrize("layer", ["function", "class"])
@pytest.mark.parametrize("name,xkind,g", [c for c in _cases()
                                           if not (c.values[0] == "tanhshrink_backward"
                                                   and np.isinf(c.values[2]) and "0" in c.values[1])])
def test_special_value_table_python_layers(layer, name, xkind, g):
    dt = np.float32
    x = _xval(xkind, 0.5)
    expected = np.array(_expected(name, xkind, g), dtype=dt)
    xa = np.full(5, x, dtype=dt)
    ga = np.full(5, g, dtype=dt)
    with strict_fp():
        got = call(layer, name, xa, 0.5, ga)
    assert_same_bits(got, np.full(5, expected), f"{layer} {name}(x={xkind}, g={g})")


@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
@pytest.mark.parametrize("name", NAMES)
def test_python_scalar_special_values(name, dt):
    """0-d inputs give the same bits as arrays."""
    for xkind in XKINDS:
        if xkind.endswith("lam") and not FUNCS[name].has_lambd:
            continue
        x = dt(_xval(xkind, 0.5))
        with quiet_fp():
            got = ufunc(name)(*args_for(name, x, dt(0.5), dt(-1.0)))
        expected = dt(_expected(name, xkind, -1.0))
        assert_same_bits(np.asarray(got), np.asarray(expected), f"{name}({xkind})")


# --------------------------------------------------------------------------
# Edges of the hard/soft definitions


@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
@pytest.mark.parametrize("name", LAMBD_NAMES)
@pytest.mark.parametrize("lam", [0.0, 0.5, 1.0, "tiny", "max"])
def test_pool_against_definition(name, dt, lam):
    """Every pool value (NaN, inf, ±0, band edges and their neighbours, extremes,
    subnormals) against every g of the g pool, for several λ."""
    fi = np.finfo(dt)
    lam = {"tiny": fi.smallest_subnormal, "max": fi.max}.get(lam, lam)
    lam = dt(lam)
    x = value_pool(dt, lam)[None, :]
    g = g_pool(dt)[:, None]
    with quiet_fp():
        got = ufunc(name)(*args_for(name, x, lam, g))
    assert_matches_reference(got, name, x, lam, g, dt, msg=name)


@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
def test_edges_explicit(dt):
    fi = np.finfo(dt)
    sh = __import__("shrink")
    tiny, big = fi.smallest_subnormal, fi.max
    lam = dt(0.5)
    up = np.nextafter(lam, dt(np.inf))
    cases = [
        ("hardshrink", tiny, dt(0), tiny),
        ("hardshrink", -tiny, dt(0), -tiny),
        ("hardshrink", big, big, dt(0)),
        ("hardshrink", -big, big, dt(0)),
        ("softshrink", big, tiny, big),  # max - tiny rounds back to max
        ("softshrink", -big, big, dt(0)),
        ("softshrink", up, lam, up - lam),  # exact (Sterbenz)
        ("softshrink", -up, lam, -(up - lam)),
        ("softshrink", dt(np.inf), big, dt(np.inf)),
        ("softshrink", dt(-np.inf), big, dt(-np.inf)),
        ("softshrink", tiny, dt(0), tiny),
        ("hardshrink_grad", up, lam, dt(1)),
        ("softshrink_grad", -up, lam, dt(1)),
        ("hardshrink_grad", tiny, tiny, dt(0)),
    ]
    for name, x, lamb, exp in cases:
        got = getattr(sh.ufuncs, name)(np.array([x]), lamb)
        assert_same_bits(got, np.array([exp], dtype=dt), f"{name}({x!r}, {lamb!r})")


# --------------------------------------------------------------------------
# Zeros from grads and backwards are +0.0 whatever g is; NaN x -> NaN


@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
@pytest.mark.parametrize("name", [n for n in BACKWARD_NAMES if FUNCS[n].has_lambd])
@pytest.mark.parametrize("g", [-1.0, -INF, INF, NAN, -0.0, 0.0, -1e30], ids=repr)
def test_backward_in_band_is_plus_zero(name, dt, g):
    lam = dt(0.5)
    x = np.array([0.0, -0.0, 0.5, -0.5, 0.25, -0.25, np.nextafter(lam, dt(0))] * 6, dtype=dt)
    with quiet_fp():
        ga = np.full(x.shape, g, dtype=dt)  # -1e30 is -inf in float16
    with strict_fp():
        got = ufunc(name)(*args_for(name, x, lam, ga))
    assert_same_bits(got, np.zeros(x.shape, dt), f"{name}(g={g})")


@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
@pytest.mark.parametrize("name", GRAD_NAMES)
def test_grad_zeros_are_plus_zero(name, dt):
    fi = np.finfo(dt)
    xs = [0.0, -0.0, -fi.smallest_subnormal] + ([-0.5, -0.25] if FUNCS[name].has_lambd else [])
    x = np.array(xs * 7, dtype=dt)
    with strict_fp():
        got = ufunc(name)(*args_for(name, x, dt(0.5)))
    assert np.all(got == 0), got
    assert not np.any(np.signbit(got)), f"{name}: -0.0 produced at {x[np.signbit(got)]}"


TANH_BACKWARD_ZERO_CASES = [
    pytest.param(-1.0, 0.0, id="g=-1,x=+0"),
    pytest.param(-1.0, -0.0, id="g=-1,x=-0"),
    pytest.param(1.0, -0.0, id="g=1,x=-0"),
    pytest.param(-3.0, "-tiny", id="g=-3,x=-subnormal(tanh^2 underflows)"),
    pytest.param(-3.0, "tiny", id="g=-3,x=subnormal(tanh^2 underflows)"),
    pytest.param(-0.0, 1.0, id="g=-0,x=1"),
    pytest.param(-0.0, -2.0, id="g=-0,x=-2"),
    pytest.param("-tiny", 0.25, id="g=-subnormal,x=0.25(product underflows)"),
]


@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
@pytest.mark.parametrize("g,x", TANH_BACKWARD_ZERO_CASES)
def test_tanhshrink_backward_zero_is_plus_zero(dt, g, x):
    tiny = np.finfo(dt).smallest_subnormal
    conv = {"tiny": tiny, "-tiny": -tiny}
    g = dt(conv.get(g, g))
    x = dt(conv.get(x, x))
    for n in (1, 33):
        with strict_fp():
            got = ufunc("tanhshrink_backward")(np.full(n, g, dt), np.full(n, x, dt))
        assert np.all(got == 0), got
        assert not np.any(np.signbit(got)), f"tanhshrink_backward({g!r}, {x!r}) gave -0.0 (n={n})"


@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
@pytest.mark.parametrize("name", BACKWARD_NAMES)
def test_backward_nan_x_is_nan(name, dt):
    g = g_pool(dt)
    g = np.concatenate([g, np.array([-0.0], dt)])
    for n in (1, 40):
        ga = np.resize(g, (n, g.size)).T.copy()
        x = np.full(ga.shape, np.nan, dt)
        with quiet_fp():
            got = ufunc(name)(*args_for(name, x, dt(0.5), ga))
        assert np.all(np.isnan(got)), f"{name}: backward at NaN x not NaN for g={ga[~np.isnan(got)]}"


# --------------------------------------------------------------------------
# NaN (and every other value) at every position of an array


POSITIONS_LENGTHS = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 70, 129]


@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
@pytest.mark.parametrize("name", NAMES)
def test_nan_at_every_position(name, dt):
    lam = dt(0.5)
    failures = []
    for n in POSITIONS_LENGTHS:
        base_x = np.linspace(-3, 3, n).astype(dt)
        base_g = np.linspace(2, -1, n).astype(dt)
        clean = ufunc(name)(*args_for(name, base_x, lam, base_g))
        for pos in range(n):
            for which in (("x",) if FUNCS[name].kind != "backward" else ("x", "g")):
                x, g = base_x.copy(), base_g.copy()
                (x if which == "x" else g)[pos] = np.nan
                with quiet_fp():
                    got = ufunc(name)(*args_for(name, x, lam, g))
                exp = clean.copy()
                in_band = abs(float(base_x[pos])) <= 0.5
                if not (which == "g" and FUNCS[name].has_lambd and in_band):
                    exp[pos] = np.nan
                else:
                    exp[pos] = 0.0
                ok = same_bits(got, exp)
                if not np.all(ok):
                    failures.append((n, pos, which, np.flatnonzero(~ok), got[~ok]))
    assert not failures, f"{len(failures)} failures, first: {failures[:5]}"


# --------------------------------------------------------------------------
# No FloatingPointError, no RuntimeWarning


def _flag_inputs(name, dt):
    """Pairs (g, x) over the pools; tanhshrink_backward skips inf g where tanh(x)**2
    may be 0 (the IEEE exception of §4)."""
    x = value_pool(dt, 0.5)
    g = g_pool(dt)
    G, X = np.meshgrid(g, x, indexing="ij")
    G, X = G.ravel(), X.ravel()
    if name == "tanhshrink_backward":
        # drop inf g where tanh(x)**2 may round to 0 (in x's dtype; float16: float32)
        wdt = np.float32 if dt is np.float16 else dt
        with quiet_fp():
            t2 = np.tanh(X.astype(wdt)) ** 2
        keep = ~(np.isinf(G) & (t2 < 4 * np.finfo(wdt).smallest_normal))
        G, X = G[keep], X[keep]
    if name in BACKWARD_NAMES and FUNCS[name].family in FRACTION_REFS:
        # SPEC §7: garrote's and firm's gradient exceeds 1 next to the band, so
        # g * G with g = ±max overflows as the exact value does (and may warn
        # as np.multiply does)
        keep = np.abs(G) != np.finfo(dt).max
        G, X = G[keep], X[keep]
    return G, X


@functools.lru_cache(maxsize=None)
def _checked_result(name, dt, lam):
    """The raw ufunc on the _flag_inputs pairs, checked against the reference
    once for all the layers and orders that must give these bits."""
    G, X = _flag_inputs(name, dt.type)
    with quiet_fp():
        got = ufunc(name)(*args_for(name, X, lam, G))
        assert_matches_reference(got, name, X, lam, G, dt, msg=name)
    return got


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
@pytest.mark.parametrize("name", NAMES)
def test_no_fp_flags_no_warnings(name, dt, layer):
    G, X = _flag_inputs(name, dt)
    lams = [0.5, 0.0, 1.0] if layer == "class" else [0.5, 0.0, 1.0, dt(np.finfo(dt).max),
                                                    dt(np.finfo(dt).smallest_subnormal)]
    for lam in lams:
        for sl in (slice(None), slice(None, None, -1), slice(1, None, 3)):
            with strict_fp():
                got = call(layer, name, X[sl], lam, G[sl])
            assert got.dtype == dt
            if FUNCS[name].has_lambd:  # the values too: every layer gives the checked bits
                assert_same_bits(got, _checked_result(name, np.dtype(dt), lam)[sl], f"{name} {sl}")
            elif sl != slice(None):  # the same elements reordered: the same bits
                assert_same_bits(got, whole[sl], f"{name} {sl}")
            else:
                whole = got
    # scalars too
    for xv, gv in zip(X[:: max(1, X.size // 40)], G[:: max(1, X.size // 40)]):
        with strict_fp():
            call(layer, name, dt(xv), 0.5, dt(gv))


@pytest.mark.parametrize("dt", [np.float16, np.float32, np.float64], ids=["float16", "float32", "float64"])
@pytest.mark.parametrize("name", NAMES)
def test_signalling_nan_gives_nan(name, dt):
    """§4: a signalling NaN may raise 'invalid', but the result is still NaN."""
    u = {2: np.uint16, 4: np.uint32, 8: np.uint64}[np.dtype(dt).itemsize]
    nmant = np.finfo(dt).nmant
    exp_bits = u((1 << (8 * np.dtype(dt).itemsize - 1)) - (1 << nmant))  # all-ones exponent
    snan = np.array([exp_bits | u(1), exp_bits | u(3), exp_bits | u(1 << (nmant - 2))], u).view(dt)
    assert np.all(np.isnan(snan))
    for n in (1, 40):
        x = np.resize(snan, n)
        with quiet_fp():
            got = ufunc(name)(*args_for(name, x, dt(0.5), np.ones(n, dt)))
            got_g = ufunc(name)(*args_for(name, np.full(n, 2.0, dt), dt(0.5), x))
        assert np.all(np.isnan(got)), got
        if FUNCS[name].kind == "backward":
            # g is a NaN: NaN outside the band (x = 2)
            assert np.all(np.isnan(got_g)), got_g
