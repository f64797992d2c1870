"""SPEC §1/§3/§4: shapes, strides, broadcasting and the ufunc keywords.

Rule pinned throughout: the same input gives the same bits wherever it sits
(first element, SIMD body, tail, strided, unaligned, byte-swapped, ...). The
reference is the result on a contiguous copy, or a table of length-1 calls;
the contiguous results of every family with thresholds are checked against the
reference of spec_cases as well.
"""

import numpy as np
import pytest

import os  # noqa: E402
import sys  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spec_cases import (
    FUNCS, LAMBD_NAMES, NAMES, REAL_DTYPES, REAL_IDS, args_for, arrays_of,
    assert_same_bits, g_pool, pyfunc, quiet_fp, assert_matches_reference, same_bits, ufunc, value_pool,
)

LAYERS = ["ufunc", "function"]


def _f(layer, name):
    return ufunc(name) if layer == "ufunc" else pyfunc(name)


def _table(name, dt, lam, xs, gs):
    """result[j, i] of name(g=gs[j], x=xs[i], lam) from length-1 calls."""
    out = np.empty((gs.size, xs.size), dt)
    for j in range(gs.size):
        for i in range(xs.size):
            with quiet_fp():
                out[j, i] = ufunc(name)(*args_for(name, xs[i:i + 1], lam, gs[j:j + 1]))[0]
    return out


_TABLES = {}


def _cached_table(name, dt):
    key = (name, np.dtype(dt).char)
    if key not in _TABLES:
        xs = value_pool(dt, 0.5)
        gs = g_pool(dt) if FUNCS[name].kind == "backward" else g_pool(dt)[:1]
        _TABLES[key] = (xs, gs, _table(name, dt, dt(0.5), xs, gs))
    return _TABLES[key]


# --------------------------------------------------------------------------
# lengths 0..70 and large: vector body and tail


@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
@pytest.mark.parametrize("name", LAMBD_NAMES)  # tanh family values: §5's business
def test_length1_table_matches_definition(name, dt):
    xs, gs, tab = _cached_table(name, dt)
    assert_matches_reference(tab, name, xs[None, :], 0.5, gs[:, None], dt, msg=name)


@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
@pytest.mark.parametrize("name", NAMES)
def test_every_length_every_position(name, dt):
    xs, gs, tab = _cached_table(name, dt)
    kx, kg = xs.size, gs.size
    failures = []
    for n in list(range(0, 71)) + [127, 128, 129, 255, 257, 1000, 1031, 4099]:
        for off in range(0, kx, 5):
            ix = (off + np.arange(n)) % kx
            jg = (off // 5 + 3 * np.arange(n)) % kg
            with quiet_fp():
                got = ufunc(name)(*args_for(name, xs[ix], dt(0.5), gs[jg]))
            ok = same_bits(got, tab[jg, ix])
            if got.shape != (n,) or not np.all(ok):
                failures.append((n, off, np.flatnonzero(~ok)[:5]))
    assert not failures, f"{len(failures)} (length, offset, bad positions): {failures[:6]}"


LAM_POOL = [0.0, 0.5, 1.0, 2.0, 0.3, "tiny"]


def _lam_pool(dt):
    tiny = np.finfo(dt).smallest_subnormal
    return np.array([tiny if v == "tiny" else v for v in LAM_POOL], dt)


_TABLES3 = {}


def _cached_table3(name, dt):
    """result[j, i, l] of name(g=gs[j], x=xs[i], lam=ls[l]) from length-1 calls."""
    key = (name, np.dtype(dt).char)
    if key not in _TABLES3:
        xs = value_pool(dt, 0.5)
        gs = g_pool(dt) if FUNCS[name].kind == "backward" else g_pool(dt)[:1]
        ls = _lam_pool(dt)
        tab = np.empty((gs.size, xs.size, ls.size), dt)
        for l in range(ls.size):
            tab[:, :, l] = _table(name, dt, ls[l:l + 1], xs, gs)
        _TABLES3[key] = (xs, gs, ls, tab)
    return _TABLES3[key]


# Every function through a per-element λ; the forwards also through a stride-0
# and a reversed λ (the loops pick their path by the steps, as for the others).
ARRAY_LAMBD_CASES = [(n, k) for n in LAMBD_NAMES
                     for k in (["array", "stride0", "reversed-array"]
                               if FUNCS[n].kind == "forward" else ["array"])]


@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
@pytest.mark.parametrize("name,lam_kind", ARRAY_LAMBD_CASES)
def test_every_length_every_position_array_lambd(name, dt, lam_kind):
    """Per-element λ (its own loop path): still the same bits at every position."""
    xs, gs, ls, tab = _cached_table3(name, dt)
    kx, kg, kl = xs.size, gs.size, ls.size
    failures = []
    for n in list(range(1, 71)) + [255, 1031]:
        for off in range(0, kx, 7):
            ix = (off + np.arange(n)) % kx
            jg = (off + 5 * np.arange(n)) % kg
            if lam_kind == "stride0":
                il = np.full(n, off % kl)
                lam = np.broadcast_to(ls[off % kl], (n,))
            else:
                il = (off + 3 * np.arange(n)) % kl
                lam = ls[il]
                if lam_kind == "reversed-array":
                    lam = lam[::-1].copy()[::-1]
            with quiet_fp():
                got = ufunc(name)(*args_for(name, xs[ix], lam, gs[jg]))
            ok = same_bits(got, tab[jg, ix, il])
            if not np.all(ok):
                failures.append((n, off, np.flatnonzero(~ok)[:5]))
    assert not failures, f"{len(failures)} (length, offset, bad positions): {failures[:6]}"


@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
@pytest.mark.parametrize("name", NAMES)
def test_stride0_x(name, dt):
    """x broadcast with stride 0 (every pool value) against a varying g / λ."""
    xs, gs, tab = _cached_table(name, dt)
    n = 67
    for i in range(xs.size):
        x = np.broadcast_to(xs[i], (n,))
        jg = np.arange(n) % gs.size
        with quiet_fp():
            got = ufunc(name)(*args_for(name, x, dt(0.5), gs[jg]))
        assert_same_bits(got, tab[jg, i], f"{name} x={xs[i]!r} (stride 0)")


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("dt", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("name", NAMES)
def test_large_strided_where_out(layer, name, dt):
    """Large inputs (any parallel path) with step 2, reversed and where=."""
    xs, gs, tab = _cached_table(name, dt)
    n = 2**17 + 3
    ix = (np.arange(2 * n) * 7) % xs.size
    jg = (np.arange(2 * n) // 3) % gs.size
    xb, gb = xs[ix], gs[jg]
    expected_full = tab[jg, ix]
    with quiet_fp():
        got = _f(layer, name)(*args_for(name, xb[::2], 0.5, gb[::2]))
        assert_same_bits(got, expected_full[::2], "step 2")
        got = _f(layer, name)(*args_for(name, xb[::-1], 0.5, gb[::-1]))
        assert_same_bits(got, expected_full[::-1], "reversed")
        mask = (np.arange(2 * n) % 5) != 0
        out = np.full(2 * n, -7.25, dt)
        _f(layer, name)(*args_for(name, xb, 0.5, gb), out=out, where=mask)
    assert_same_bits(out[mask], expected_full[mask], "where")
    assert np.all(out[~mask] == -7.25)


@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("n", [2**16 + 37, 300_001])
def test_large_arrays(name, dt, n):
    # large enough for any parallel path: results must match one-element calls
    xs, gs, tab = _cached_table(name, dt)
    ix = np.arange(n) % xs.size
    jg = (np.arange(n) // 7) % gs.size
    with quiet_fp():
        got = ufunc(name)(*args_for(name, xs[ix], dt(0.5), gs[jg]))
    assert_same_bits(got, tab[jg, ix], f"{name} n={n}")


def _at_offset(a, offset_bytes):
    """A copy of 1-D `a` starting `offset_bytes` past a 64-byte boundary."""
    raw = np.empty(a.nbytes + 128, np.uint8)
    start = (-raw.ctypes.data) % 64 + offset_bytes
    v = raw[start:start + a.nbytes].view(a.dtype)
    v[...] = a
    return v


@pytest.mark.parametrize("name", NAMES)
def test_step2_view_ending_at_its_buffer(name):
    """float32 step-2 views are deinterleaved by whole vectors (the x86-64-v3 and
    x86-64-v4 builds, src/tanhshrink.h): a view of a buffer of odd length ends at
    the buffer's last element, and nothing past it is read (tools/memcheck.sh
    runs this under ASan) nor any element between the view's own written, for
    every count around the vector and chunk sizes, with the bits of the same
    values contiguous."""
    rng = np.random.default_rng(3)
    half = np.float32(0.5)
    for n in [*range(1, 50), 1023, 1024, 1025, 1041, 2049]:
        x = (rng.standard_normal(2 * n - 1) * 1.5).astype(np.float32)[::2]
        g = rng.standard_normal(2 * n - 1).astype(np.float32)[::2]
        out = np.full(2 * n - 1, -7.25, np.float32)
        with quiet_fp():
            expected = ufunc(name)(*args_for(name, x.copy(), half, g.copy()))
            ufunc(name)(*args_for(name, x, half, g), out=out[::2])
        assert_same_bits(out[::2], expected, f"n = {n}")
        assert np.all(out[1::2] == -7.25), f"n = {n}: an element between the view's own written"


@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
@pytest.mark.parametrize("name", NAMES)
def test_out_offset_within_cache_line_and_step2_out(name, dt):
    """Large contiguous loops first run up to the output's next 64-byte boundary,
    and float16/float32 have a loop for step-2 operands with a step-2 out=: every
    offset of the operands within a cache line (the same for all, and the output's
    alone), and x[::2] with out=y[::2], give the bits of one element at a time."""
    xs, gs, tab = _cached_table(name, dt)
    n = 5000 + 13  # above the size from which the loops align their stores
    ix = (np.arange(2 * n) * 7) % xs.size
    jg = (np.arange(2 * n) // 3) % gs.size
    expected = tab[jg, ix]
    item = np.dtype(dt).itemsize
    for x_off, out_off in [(k * item, k * item) for k in range(64 // item)] + [(0, 4 * item), (2 * item, 0)]:
        x = _at_offset(xs[ix[:n]], x_off)
        g = _at_offset(gs[jg[:n]], x_off)
        out = _at_offset(np.zeros(n, dt), out_off)
        with quiet_fp():
            ufunc(name)(*args_for(name, x, dt(0.5), g), out=out)
        assert_same_bits(out, expected[:n], f"offsets {x_off}, {out_off}")
    out = np.full(2 * n, -7.25, dt)
    with quiet_fp():
        ufunc(name)(*args_for(name, xs[ix][::2], dt(0.5), gs[jg][::2]), out=out[::2])
    assert_same_bits(out[::2], expected[::2], "step 2 with a step-2 out=")
    assert np.all(out[1::2] == -7.25)


@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
@pytest.mark.parametrize("name", NAMES)
def test_zero_dim(name, dt):
    xs, gs, tab = _cached_table(name, dt)
    for j in range(gs.size):
        for i in range(xs.size):
            with quiet_fp():
                r = ufunc(name)(*args_for(name, np.array(xs[i]), np.array(dt(0.5)), np.array(gs[j])))
            assert np.ndim(r) == 0
            assert_same_bits(np.asarray(r), np.asarray(tab[j, i]), f"{name} 0-d x={xs[i]!r} g={gs[j]!r}")


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("shape", [(0,), (3, 0), (0, 5), (2, 0, 3)], ids=str)
def test_empty(layer, name, dt, shape):
    x = np.empty(shape, dt)
    r = _f(layer, name)(*args_for(name, x, 0.5, np.ones(shape[-1:], dt)))
    assert r.shape == shape and r.dtype == dt
    out = np.empty(shape, dt)
    r = _f(layer, name)(*args_for(name, x, 0.5, np.ones(shape, dt)), out=out)
    assert r is out


# --------------------------------------------------------------------------
# strides / alignment / byte order


def _base(dt, shape=(7, 11), seed=0):
    xs = value_pool(dt, 0.5)
    rng = np.random.default_rng(seed)
    return xs[rng.integers(0, xs.size, size=shape)]


def _gbase(dt, shape=(7, 11), seed=1):
    gs = g_pool(dt)
    rng = np.random.default_rng(seed)
    return gs[rng.integers(0, gs.size, size=shape)]


def _lbase(dt, shape=(7, 11), seed=2):
    rng = np.random.default_rng(seed)
    return rng.choice(np.array([0.0, 0.5, 1.0, 2.0, 0.1, 20.0], dt), size=shape)


def _lay(c, layout):
    """A view holding the same values as contiguous `c` with another memory layout."""
    dt = c.dtype
    if layout == "contiguous":
        return c.copy()
    if layout == "reversed":
        return c.ravel()[::-1].copy()[::-1].reshape(c.shape) if c.ndim == 1 else c[::-1, ::-1].copy()[::-1, ::-1]
    if layout in ("step2", "step3", "step-2"):
        k = {"step2": 2, "step3": 3, "step-2": -2}[layout]
        buf = np.full(c.shape[:-1] + (abs(k) * c.shape[-1],), np.nan, dt)
        if k > 0:
            buf[..., ::k] = c
            return buf[..., ::k]
        buf[..., ::k] = c
        return buf[..., ::k]
    if layout == "transposed":
        return np.ascontiguousarray(c.T).T
    if layout == "unaligned":
        raw = np.zeros(c.nbytes + dt.itemsize + 1, np.uint8)
        v = raw[1:1 + c.nbytes].view(dt).reshape(c.shape)
        v[...] = c
        assert not v.flags.aligned
        return v
    if layout == "byteswapped":
        v = c.astype(dt.newbyteorder())
        return v
    if layout == "column":  # 2-D with a big leading stride
        buf = np.full((c.shape[0], c.shape[1] + 5), np.nan, dt)
        buf[:, 2:2 + c.shape[1]] = c
        return buf[:, 2:2 + c.shape[1]]
    raise AssertionError(layout)


LAYOUTS = ["reversed", "step2", "step3", "step-2", "transposed", "unaligned", "byteswapped", "column"]


def _operands(name, dt, which, layout, lam_array):
    x = _base(dt)
    g = _gbase(dt)
    lam = _lbase(dt) if lam_array else 0.5
    cont = args_for(name, x, lam, g)
    laid = args_for(
        name,
        _lay(x, layout) if which in ("all", "x") else x,
        (_lay(lam, layout) if which in ("all", "lambd") else lam) if lam_array else lam,
        _lay(g, layout) if which in ("all", "g") else g,
    )
    return cont, laid


def _which(name):
    f = FUNCS[name]
    w = ["all", "x"]
    if f.kind == "backward":
        w.append("g")
    if f.has_lambd:
        w.append("lambd")
    return w


def _layout_cases():
    for name in NAMES:
        for which in _which(name):
            yield pytest.param(name, which, id=f"{name}-{which}")


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
@pytest.mark.parametrize("name,which", list(_layout_cases()))
def test_layout_same_bits_as_contiguous(name, which, dt, layout):
    lam_array = FUNCS[name].has_lambd
    cont, laid = _operands(name, dt, which, layout, lam_array)
    with quiet_fp():
        expected = ufunc(name)(*cont)
        got = ufunc(name)(*laid)
    assert got.dtype == np.dtype(dt).newbyteorder("=")
    assert_same_bits(got, expected, f"{name} {layout} ({which})")
    if FUNCS[name].has_lambd and layout == LAYOUTS[0]:  # the contiguous result: once
        x, g = arrays_of(name, cont)
        assert_matches_reference(expected, name, x, g=g, dtype=dt, msg=name,
                                 params=cont[FUNCS[name].nin - len(FUNCS[name].params):])


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", NAMES)
def test_layout_python_layer(name, layout):
    dt = np.float32
    cont, laid = _operands(name, dt, "all", layout, False)
    with quiet_fp():
        expected = ufunc(name)(*cont)
        got = pyfunc(name)(*laid)
    assert_same_bits(got, expected, f"{name} {layout}")


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
@pytest.mark.parametrize("name", NAMES)
def test_layout_of_out(name, dt, layout):
    cont, _ = _operands(name, dt, "all", "contiguous", FUNCS[name].has_lambd)
    with quiet_fp():
        expected = ufunc(name)(*cont)
        out = _lay(np.full(expected.shape, 9.0, dt), layout)
        r = ufunc(name)(*cont, out=out)
    assert r is out
    assert_same_bits(np.asarray(out).astype(dt), expected, f"{name} out {layout}")


# --------------------------------------------------------------------------
# broadcasting between all operands


BCAST = [
    # x shape, lambd shape (None: scalar), g shape
    ((5, 1), (1, 4), (5, 4)),
    ((5, 4), (4,), (1,)),
    ((4,), (5, 1), (3, 1, 1)),
    ((1,), (6,), (6,)),
    ((3, 1, 4), None, (2, 1)),
    ((), (3, 2), (2,)),
    ((2, 3), (), ()),
]


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("dt", [np.float16, np.float64], ids=["float16", "float64"])
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("shapes", BCAST, ids=str)
def test_broadcasting(layer, name, dt, shapes):
    xsh, lsh, gsh = shapes
    rng = np.random.default_rng(3)
    pool = value_pool(dt, 0.5)
    x = pool[rng.integers(0, pool.size, size=xsh)]
    g = g_pool(dt)[rng.integers(0, g_pool(dt).size, size=gsh)]
    lam = 0.5 if lsh is None else np.array([0.0, 0.5, 1.0, 2.0], dt)[rng.integers(0, 4, size=lsh)]
    if not FUNCS[name].has_lambd:
        lam = 0.5
    ops = args_for(name, x, lam, g)
    shape = np.broadcast_shapes(*[np.shape(o) for o in ops])
    full = [np.ascontiguousarray(np.broadcast_to(o, shape)) if np.ndim(o) else o for o in ops]
    with quiet_fp():
        got = _f(layer, name)(*ops)
        expected = ufunc(name)(*full)
    assert np.shape(got) == shape
    assert_same_bits(np.asarray(got), np.asarray(expected), f"{name} {shapes}")
    if FUNCS[name].has_lambd:
        assert_matches_reference(np.asarray(got), name, x, lam, g, dt, msg=name)


# --------------------------------------------------------------------------
# out=, in place, where=, order=, dtype=, casting=


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
@pytest.mark.parametrize("name,target", [(n, t) for n in NAMES for t in ("x", "g")
                                         if t == "x" or FUNCS[n].kind == "backward"])
def test_in_place(layer, name, dt, target):
    x = _base(dt).ravel()
    g = _gbase(dt).ravel()
    with quiet_fp():
        expected = ufunc(name)(*args_for(name, x.copy(), 0.5, g.copy()))
        buf = x if target == "x" else g
        r = _f(layer, name)(*args_for(name, x, 0.5, g), out=buf)
    assert r is buf
    assert_same_bits(buf, expected, f"{name} out={target}")


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("name", NAMES)
def test_out_tuple_and_overlap(layer, name):
    dt = np.float64
    a = _base(dt).ravel()
    g = _gbase(dt).ravel()
    with quiet_fp():
        expected = ufunc(name)(*args_for(name, a[:-1].copy(), 0.5, g[:-1].copy()))
        out = np.empty_like(expected)
        r = _f(layer, name)(*args_for(name, a[:-1], 0.5, g[:-1]), out=(out,))
        assert r is out
        assert_same_bits(out, expected, "out=(o,)")
        # partially overlapping out (NumPy must copy as needed)
        r = _f(layer, name)(*args_for(name, a[:-1], 0.5, g[:-1]), out=a[1:])
    assert_same_bits(a[1:], expected, "overlap")


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("mask_kind", ["full", "broadcast", "scalar-false"])
def test_where(layer, name, dt, mask_kind):
    x = _base(dt)
    g = _gbase(dt)
    rng = np.random.default_rng(5)
    mask = {"full": rng.random(x.shape) < 0.5,
            "broadcast": rng.random((1, x.shape[1])) < 0.5,
            "scalar-false": np.False_}[mask_kind]
    sentinel = dt(-7.25)
    out = np.full(x.shape, sentinel, dt)
    with quiet_fp():
        expected = ufunc(name)(*args_for(name, x, 0.5, g))
        r = _f(layer, name)(*args_for(name, x, 0.5, g), out=out, where=mask)
    assert r is out
    m = np.broadcast_to(mask, x.shape)
    assert_same_bits(out[m], expected[m], "where=True entries")
    assert np.all(out[~m] == sentinel), "where=False entries were written"


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("order,src,flag", [("F", "C", "F_CONTIGUOUS"), ("C", "F", "C_CONTIGUOUS"),
                                            ("K", "F", "F_CONTIGUOUS"), ("A", "F", "F_CONTIGUOUS"),
                                            ("K", "C", "C_CONTIGUOUS")])
def test_order(layer, name, order, src, flag):
    dt = np.float32
    x = np.asarray(_base(dt), order=src)
    g = np.asarray(_gbase(dt), order=src)
    with quiet_fp():
        expected = ufunc(name)(*args_for(name, np.ascontiguousarray(x), 0.5, np.ascontiguousarray(g)))
        r = _f(layer, name)(*args_for(name, x, 0.5, g), order=order)
    assert r.flags[flag]
    assert_same_bits(r, expected, f"order={order}")


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("src,target", [(np.float32, np.float64), (np.float16, np.float32),
                                        (np.float64, np.float32), (np.float64, np.longdouble),
                                        (np.int16, np.float64)],
                         ids=lambda d: np.dtype(d).name)
def test_dtype_keyword(layer, name, src, target):
    x = np.array([-3.0, -0.5, -0.3, 0.0, 0.1, 0.5, 0.7, 2.0, 100.0]).astype(src)
    g = np.linspace(-2, 2, x.size).astype(src)
    with quiet_fp():
        r = _f(layer, name)(*args_for(name, x, 0.5, g), dtype=target)
        expected = ufunc(name)(*args_for(name, x.astype(target), 0.5, g.astype(target)))
    assert r.dtype == target
    assert_same_bits(r, expected, f"dtype={np.dtype(target).name}")


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("name", NAMES)
def test_casting_errors(layer, name):
    f = _f(layer, name)
    x32 = np.linspace(-2, 2, 9).astype(np.float32)
    x64 = x32.astype(np.float64)
    # out of a different kind: same_kind refuses
    with pytest.raises(TypeError):
        f(*args_for(name, x64, 0.5, x64), out=np.zeros(9, np.int32))
    # 'no' casting with a dtype change
    with pytest.raises(TypeError):
        f(*args_for(name, x32, 0.5, x32), dtype=np.float64, casting="no")
    # 'safe' refuses float64 -> float32
    with pytest.raises(TypeError):
        f(*args_for(name, x64, 0.5, x64), dtype=np.float32, casting="safe")
    # a bad casting name is NumPy's ValueError
    with pytest.raises(ValueError):
        f(*args_for(name, x64, 0.5, x64), casting="sideways")
    # a wrong out shape is NumPy's ValueError
    with pytest.raises(ValueError):
        f(*args_for(name, x64, 0.5, x64), out=np.zeros(8))
    # a where= that does not broadcast is NumPy's ValueError
    with pytest.raises(ValueError):
        f(*args_for(name, x64, 0.5, x64), where=np.ones(5, bool), out=np.empty(9))
    # 'unsafe' allows an int out
    out = np.zeros(9, np.int32)
    with quiet_fp():
        f(*args_for(name, x64, 0.5, x64), out=out, casting="unsafe")
        expected = ufunc(name)(*args_for(name, x64, 0.5, x64)).astype(np.int32)
    assert np.array_equal(out, expected)


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("name", NAMES)
def test_out_of_wider_dtype(layer, name):
    # float32 loop result cast to a float64 out
    x = np.linspace(-2, 2, 17).astype(np.float32)
    out = np.empty(17, np.float64)
    with quiet_fp():
        _f(layer, name)(*args_for(name, x, 0.5, x), out=out)
        expected = ufunc(name)(*args_for(name, x, 0.5, x))
    assert expected.dtype == np.float32
    assert_same_bits(out, expected.astype(np.float64))
