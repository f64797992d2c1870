"""The public functions' direct path (shrink/_direct.pyx): which calls take it,
and that taking it changes nothing a user can see but the time.

Whether a call takes it is read from a spy on ``shrink._functions._direct_call``
(the template looks the name up at every call): it records whether the direct
path gave the result (anything but None) or handed the call back to the ufunc.
The reference is the raw ufunc, called through NumPy's own machinery on
copies of the same operands: same bits, dtype, shape, strides, FP-flag
behaviour.
"""

import os
import sys
import warnings

import numpy as np
import pytest

import shrink
import shrink._functions
from shrink._table import EXAMPLES, UFUNCS

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spec_cases import assert_same_bits  # noqa: E402

NAMES = [u.name for u in UFUNCS]
DECLARED = {u.name: u for u in UFUNCS}


@pytest.fixture
def spy(monkeypatch):
    """A list that receives True for each call the direct path answered (or
    raised from), False for each it handed back."""
    taken = []
    real = shrink._functions._direct_call

    def recording(*args):
        try:
            result = real(*args)
        except BaseException:  # an FP flag under np.errstate(all="raise")
            taken.append(True)
            raise
        taken.append(result is not None)
        return result

    monkeypatch.setattr(shrink._functions, "_direct_call", recording)
    return taken


def values(dtype, n, seed=0):
    """n values with the cases that tell loops apart: NaN, infinities, signed
    zeros, the band edges of every threshold's example, and noise."""
    special = [np.nan, np.inf, -np.inf, 0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 0.25, -0.25,
               1e-30, -3.0]
    rng = np.random.default_rng(seed)
    v = np.concatenate([special, rng.standard_normal(max(n - len(special), 0)) * 1.5])[:n]
    return v.astype(dtype)


def thresholds(name):
    return tuple(EXAMPLES[p.name] for p in DECLARED[name].params)


def arrays(name, dtype, layout):
    """The array operands ((x,) or (g, x)) in one layout."""
    shape = {"C": (3, 5), "F": (3, 5), "1-D": (15,), "empty": (0, 4)}[layout]
    n = int(np.prod(shape))
    out = []
    for k in range(len(DECLARED[name].arrays)):
        a = values(dtype, n, seed=k).reshape(shape)
        out.append(np.asfortranarray(a) if layout == "F" else np.ascontiguousarray(a))
    if layout == "F":
        assert all(a.flags.f_contiguous and not a.flags.c_contiguous for a in out)
    return tuple(out)


LAYOUTS = ["C", "F", "1-D", "empty"]


def assert_direct_with_out(spy, function, ops, params, out, expected, where):
    """function(*ops, *params, out=out), then in place on a copy of x (whatever
    its layout beside the others'): the direct path answers both, returns the
    very out object, with the expected bits."""
    spy.clear()
    assert function(*ops, *params, out=out) is out
    assert spy == [True], where
    assert_same_bits(out, expected, where + " out=")

    copies = tuple(a.copy(order="K") for a in ops)
    x = copies[-1]
    spy.clear()
    assert function(*copies, *params, out=x) is x
    assert spy == [True], where
    assert_same_bits(x, expected, where + " out=x")


@pytest.mark.parametrize("name", NAMES)
def test_same_bits_as_the_ufunc(spy, name):
    """Every ufunc x float32/float64 x layout x {out given, in place, absent}:
    the direct path answers, with the raw ufunc's bits, dtype and strides; out=
    comes back as the very object."""
    ufunc = getattr(shrink.ufuncs, name)
    function = getattr(shrink, name)
    params = thresholds(name)
    for dtype in (np.float32, np.float64):
        for layout in LAYOUTS:
            ops = arrays(name, dtype, layout)
            expected = ufunc(*ops, *params)
            where = f"{name} {np.dtype(dtype)} {layout}"

            spy.clear()
            got = function(*ops, *params)
            assert spy == [True], where
            assert type(got) is np.ndarray
            assert got.strides == expected.strides, where
            assert_same_bits(got, expected, where)

            # zeros_like keeps the layout
            assert_direct_with_out(spy, function, ops, params, np.zeros_like(ops[0]),
                                   expected, where)


def test_float32_gets_the_threshold_rounded_to_float32(spy):
    """NEP 50: a Python float threshold is cast to float32 first (SPEC §2:
    softshrink(float32(0.1), 0.1) is exactly 0). float32(0.1) is above 0.1: on
    the band's edge of the rounded threshold, outside that of the unrounded one."""
    x = np.full(4, 0.1, np.float32)
    assert float(x[0]) > 0.1
    result = shrink.softshrink(x, 0.1)
    assert spy == [True]
    assert result.dtype == np.float32
    np.testing.assert_array_equal(result, 0.0)  # unrounded: x - 0.1 > 0


class Sub(np.ndarray):
    pass


def _fresh():
    """New operands for each call: the overlapping cases write into theirs."""
    d = {"x": values(np.float64, 12).reshape(3, 4),
         "g": values(np.float64, 12, seed=1).reshape(3, 4),
         "buf": values(np.float64, 13)}
    raw = np.zeros(12 * 8 + 1, np.uint8)
    d["misaligned"] = raw[1:].view(np.float64)
    d["misaligned"][:] = values(np.float64, 12)
    assert not d["misaligned"].flags.aligned
    d["readonly"] = np.zeros(12)
    d["readonly"].flags.writeable = False
    return d


# (id, name, make): make(_fresh()) gives (args, kwargs) of a call that the
# direct path must hand back to the ufunc (or that the template never offers it)
NOT_TAKEN = [
    ("subclass", "hardshrink", lambda d: ((d["x"].view(Sub), 0.5), {})),
    ("subclass out", "hardshrink",
     lambda d: ((d["x"], 0.5), {"out": np.empty((3, 4)).view(Sub)})),
    ("overlapping out", "softshrink", lambda d: ((d["buf"][:-1], 0.5), {"out": d["buf"][1:]})),
    ("out overlaps g", "softshrink_backward",
     lambda d: ((d["buf"][1:], d["buf"][:-1].copy(), 0.5), {"out": d["buf"][:-1]})),
    ("where=", "hardshrink",
     lambda d: ((d["x"], 0.5), {"out": np.zeros((3, 4)), "where": d["x"] > 0})),
    ("casting=", "hardshrink", lambda d: ((d["x"], 0.5), {"casting": "unsafe"})),
    ("order=", "hardshrink", lambda d: ((d["x"], 0.5), {"order": "C"})),
    ("dtype=", "hardshrink", lambda d: ((d["x"], 0.5), {"dtype": np.float64})),
    ("subok=", "hardshrink", lambda d: ((d["x"], 0.5), {"subok": False})),
    ("float16", "hardshrink", lambda d: ((d["x"].astype(np.float16), 0.5), {})),
    ("longdouble", "hardshrink", lambda d: ((d["x"].astype(np.longdouble), 0.5), {})),
    ("complex", "softshrink", lambda d: ((d["x"].astype(np.complex128), 0.5), {})),
    ("int threshold", "hardshrink", lambda d: ((d["x"], 1), {})),
    ("NumPy scalar threshold", "hardshrink", lambda d: ((d["x"], np.float64(0.5)), {})),
    ("broadcast threshold", "hardshrink", lambda d: ((d["x"], np.full(4, 0.5)), {})),
    ("broadcast", "hardshrink_backward", lambda d: ((d["g"][:, :1], d["x"], 0.5), {})),
    ("mixed dtypes", "tanhshrink_backward",
     lambda d: ((d["g"].astype(np.float32), d["x"]), {})),
    ("0-d", "hardshrink", lambda d: ((np.array(0.75), 0.5), {})),
    ("0-d out", "hardshrink", lambda d: ((np.array(0.75), 0.5), {"out": np.array(0.0)})),
    ("non-contiguous", "hardshrink", lambda d: ((d["x"][:, ::2], 0.5), {})),
    ("3-D C and F", "tanhshrink_backward",
     lambda d: ((d["g"].reshape(3, 2, 2), np.asfortranarray(d["x"].reshape(3, 2, 2))), {})),
    ("3-D F out of C", "hardshrink",
     lambda d: ((d["x"].reshape(3, 2, 2), 0.5), {"out": np.zeros((2, 2, 3)).T})),
    ("out is x transposed", "hardshrink",  # same data pointer, other strides
     lambda d: ((d["buf"][:9].reshape(3, 3), 0.5), {"out": d["buf"][:9].reshape(3, 3).T})),
    ("C and F, out overlaps x", "hardshrink_backward",
     lambda d: ((d["g"], d["buf"][:12].reshape(4, 3).T, 0.5),
                {"out": d["buf"][1:].reshape(3, 4)})),
    ("misaligned", "hardshrink", lambda d: ((d["misaligned"], 0.5), {})),
    ("byte-swapped", "hardshrink",
     lambda d: ((d["x"].astype(d["x"].dtype.newbyteorder()), 0.5), {})),
    ("byte-swapped out", "hardshrink",
     lambda d: ((d["x"], 0.5), {"out": np.zeros((3, 4), d["x"].dtype.newbyteorder())})),
    ("out of another dtype", "hardshrink",
     lambda d: ((d["x"], 0.5), {"out": np.zeros((3, 4), np.float32)})),
    ("list", "hardshrink", lambda d: ((d["x"].tolist(), 0.5), {})),
    ("out tuple", "hardshrink", lambda d: ((d["x"], 0.5), {"out": (np.zeros((3, 4)),)})),
]


def _same(got, expected, msg):
    if np.iscomplexobj(expected):  # same_bits is for real arrays
        assert_same_bits(np.real(got), np.real(expected), msg)
        assert_same_bits(np.imag(got), np.imag(expected), msg)
    else:
        assert_same_bits(got, expected, msg)


@pytest.mark.parametrize("case", NOT_TAKEN, ids=lambda c: c[0])
def test_not_taken(spy, case):
    """Every call outside the common one goes to the ufunc, and gives what the
    ufunc gives."""
    _, name, make = case
    args, kwargs = make(_fresh())
    expected = getattr(shrink.ufuncs, name)(*args, **kwargs)
    args, kwargs = make(_fresh())
    got = getattr(shrink, name)(*args, **kwargs)
    assert not any(spy), spy
    assert type(got) is type(expected)
    if "out" in kwargs and not isinstance(kwargs["out"], tuple):
        assert got is kwargs["out"]
    _same(got, expected, name)


def test_read_only_out_gets_numpys_error(spy):
    x = np.linspace(-1.0, 1.0, 12)
    out = np.zeros(12)
    out.flags.writeable = False
    with pytest.raises(ValueError) as expected:
        shrink.ufuncs.hardshrink(x, 0.5, out=out)
    with pytest.raises(ValueError) as got:
        shrink.hardshrink(x, 0.5, out=out)
    assert str(got.value) == str(expected.value)
    assert spy == [False]
    np.testing.assert_array_equal(out, 0.0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_array_thresholds_of_the_same_shape(spy, dtype):
    """Threshold arrays of x's dtype, shape and layout are operands like x: the
    direct path runs the loop on them with the ufunc's bits."""
    x = values(dtype, 12).reshape(3, 4)
    low = np.full((3, 4), 0.25, dtype)
    high = np.linspace(0.3, 1.7, 12).astype(dtype).reshape(3, 4)
    expected = shrink.ufuncs.firm(x, low, high)
    got = shrink.firm(x, low, high)
    assert spy == [True]
    assert_same_bits(got, expected, "firm")


def test_zero_dim_gives_a_numpy_scalar(spy):
    got = shrink.hardshrink(np.array(0.75), 0.5)
    assert type(got) is np.float64 and got == 0.75
    assert spy == [False]


def _fp_cases():
    big = float(np.finfo(np.float64).max)
    return [
        # inf * tanh(0)**2 = inf * 0: 'invalid', as np.multiply reports it
        ("tanhshrink_backward", (np.array([np.inf, 1.0]), np.array([0.0, 1.0]))),
        # max - (-max) overflows: 'overflow', as np.subtract reports it
        ("shrink", (np.array([big, 1.0]), 0.5, -big)),
    ]


def _behaviour(call, mode):
    """What a call does under np.errstate(all=mode): ('raise', type, message),
    ('warn', [messages]) or ('call', [(kind, flag)])."""
    if mode == "call":
        seen = []
        with np.errstate(all="call", call=lambda kind, flag: seen.append((kind, flag))):
            call()
        return ("call", seen)
    with warnings.catch_warnings(record=True) as caught, np.errstate(all=mode):
        warnings.simplefilter("always")
        try:
            call()
        except FloatingPointError as error:
            return ("raise", str(error))
    return (mode, [str(w.message) for w in caught])


@pytest.mark.parametrize("mode", ["raise", "warn", "call", "ignore"])
@pytest.mark.parametrize("name, args", _fp_cases(), ids=lambda v: v if isinstance(v, str) else "")
def test_fp_flags_as_numpy_reports_them(spy, mode, name, args):
    """The direct path reports a flag the loop raises as the ufunc machinery does
    (np.errstate: raise, warn, call, ignore), naming the ufunc; out= and not."""
    ufunc = getattr(shrink.ufuncs, name)
    function = getattr(shrink, name)
    expected = _behaviour(lambda: ufunc(*args), mode)
    assert _behaviour(lambda: function(*args), mode) == expected
    out = np.empty_like(args[0])
    assert _behaviour(lambda: function(*args, out=out), mode) == expected
    assert spy == [True, True]
    if mode != "ignore":
        assert expected[1], "the case raises no flag: it tests nothing"
        if mode in ("raise", "warn"):
            assert f"encountered in {name}" in str(expected[1])


def test_no_stale_flag_is_reported(spy):
    """Flags raised before the call (here by NumPy itself, under 'ignore') are
    cleared before the loop runs: the call reports only its own."""
    x = np.linspace(-1.0, 1.0, 8)
    with np.errstate(all="ignore"):
        np.divide(np.ones(2), np.zeros(2))
    with np.errstate(all="raise"):
        shrink.hardshrink(x, 0.5)
    assert spy == [True]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_threads_give_the_same_bits(spy, dtype):
    """With set_num_threads(2) the loop splits the direct call across threads
    (when OpenMP is there): the same bits as one thread."""
    n = 3 * 2**16 + 5
    x = values(dtype, n)
    expected = shrink.ufuncs.softshrink(x, 0.5)
    previous = shrink.set_num_threads(2)
    try:
        got = shrink.softshrink(x, 0.5)
    finally:
        shrink.set_num_threads(previous)
    assert spy == [True]
    assert_same_bits(got, expected, "2 threads")


@pytest.mark.parametrize("name", ["hardshrink", "firm_backward", "shrink"])
def test_bad_thresholds_raise_before_anything_is_written(spy, name):
    params = {"hardshrink": (-0.5,), "firm_backward": (1.5, 0.5), "shrink": (0.5, np.nan)}[name]
    ops = arrays(name, np.float64, "C")
    out = np.full_like(ops[0], 7.0)
    with pytest.raises(ValueError, match=name):
        getattr(shrink, name)(*ops, *params, out=out)
    assert spy == []  # refused before the call is even tried
    np.testing.assert_array_equal(out, 7.0)


@pytest.mark.parametrize("where", ["first chunk", "last chunk"])
def test_fp_flags_on_threads_as_the_ufunc(spy, where):
    """With 2 threads the loop runs its chunks on OpenMP threads; a flag raised
    on another thread than the caller's is not seen by NumPy's check either.
    Whatever the ufunc machinery reports (or not), the direct path reports the
    same, wherever the flag is raised."""
    n = 2**18
    g = np.ones(n)
    g[0 if where == "first chunk" else -1] = np.inf
    x = np.zeros(n)
    previous = shrink.set_num_threads(2)
    try:
        expected = _behaviour(lambda: shrink.ufuncs.tanhshrink_backward(g, x), "warn")
        got = _behaviour(lambda: shrink.tanhshrink_backward(g, x), "warn")
    finally:
        shrink.set_num_threads(previous)
    assert spy == [True]
    assert got == expected
    if where == "first chunk":  # the caller's own chunk: always seen
        assert expected[1]


# mixed layouts in 2-D (the tiled run of run_tiled): per case, the layout of each
# array operand in order and of out ("C", or "F": a transposed C array)
MIXED = {
    1: [("F", "C"), ("C", "F")],
    2: [("F", "F", "C"), ("C", "C", "F"), ("C", "F", "C"), ("C", "F", "F"),
        ("F", "C", "C"), ("F", "C", "F")],
}
# odd shapes: lines shorter and longer than a tile (TILE_LEN = 256 elements,
# 8 float32 or 4 float64 lines) on either axis and not multiples of it, or of
# the 4 x 4 / 2 x 2 blocks of the buffered copies (shrink/src/tile_copy.h);
# a length-1 axis (every array is C and F then), empty
MIXED_SHAPES = [(1, 7), (7, 1), (2, 3), (1000, 3), (3, 1000), (11, 262), (37, 1029),
                (0, 5)]


def laid_out(a, layout):
    """a's values in a C array, or in the transpose of a C array."""
    return np.ascontiguousarray(a) if layout == "C" else np.ascontiguousarray(a.T).T


@pytest.mark.parametrize("name", NAMES)
def test_mixed_layouts_same_bits_as_the_ufunc(spy, name):
    """Every ufunc x float32/float64 x mix of C and transposed operands x odd
    shapes x {out given, absent, in place}: the direct path answers, with the raw
    ufunc's bits, dtype, shape and strides."""
    ufunc = getattr(shrink.ufuncs, name)
    function = getattr(shrink, name)
    params = thresholds(name)
    nargs = len(DECLARED[name].arrays)
    for dtype in (np.float32, np.float64):
        for shape in MIXED_SHAPES:
            n = int(np.prod(shape))
            for layouts in MIXED[nargs]:
                where = f"{name} {np.dtype(dtype)} {shape} {layouts}"
                ops = tuple(laid_out(values(dtype, n, seed=k).reshape(shape), lay)
                            for k, lay in enumerate(layouts[:-1]))
                if 1 not in shape and 0 not in shape:
                    assert [a.flags.c_contiguous for a in ops] == [
                        lay == "C" for lay in layouts[:-1]], where
                expected = ufunc(*ops, *params)

                spy.clear()
                got = function(*ops, *params)
                assert spy == [True], where
                assert type(got) is np.ndarray and got.dtype == dtype, where
                assert got.shape == expected.shape, where
                assert got.strides == expected.strides, where
                assert_same_bits(got, expected, where)

                assert_direct_with_out(spy, function, ops, params,
                                       laid_out(np.zeros(shape, dtype), layouts[-1]),
                                       expected, where)


def test_mixed_layouts_result_layout_as_numpy():
    """Without out=, NumPy's order="K" for inputs that disagree: C order (the
    reference for the strides checked above)."""
    a = np.zeros((3, 5))
    b = np.zeros((5, 3)).T
    assert np.add(a, b).flags.c_contiguous and np.add(b, a).flags.c_contiguous
    assert np.add(b, b).flags.f_contiguous


def _mixed_thresholds(dtype, shape, seed):
    """Array thresholds of every kind (lambd, bias, lambd_low <= lambd_high),
    of x's shape, varying per element."""
    rng = np.random.default_rng(seed)
    low = rng.uniform(0.0, 0.75, shape).astype(dtype)
    return {"lambd": rng.uniform(0.0, 1.5, shape).astype(dtype),
            "bias": rng.uniform(-0.5, 0.5, shape).astype(dtype),
            "lambd_low": low, "lambd_high": (low + rng.uniform(0.0, 1.0, shape)).astype(dtype)}


@pytest.mark.parametrize("name", ["hardshrink", "softshrink_backward", "firm_backward"])
def test_mixed_layouts_of_array_thresholds(spy, name):
    """Threshold arrays are operands too: every mix of C and transposed over all
    array operands and out (the run goes along the majority's contiguous axis:
    up to two operands against it, each copied through its own scratch block),
    partial tiles on both axes, out= apart or in place on any operand: the
    ufunc's bits."""
    ufunc = getattr(shrink.ufuncs, name)
    function = getattr(shrink, name)
    shape = (19, 261)
    n = int(np.prod(shape))
    nargs = len(DECLARED[name].arrays)
    for dtype in (np.float32, np.float64):
        thresholds = _mixed_thresholds(dtype, shape, seed=7)
        values_ = [values(dtype, n, seed=k).reshape(shape) for k in range(nargs)]
        values_ += [thresholds[p.name] for p in DECLARED[name].params]
        for code in range(2 ** (len(values_) + 1)):
            layouts = ["F" if code >> k & 1 else "C" for k in range(len(values_) + 1)]
            ops = tuple(laid_out(v, lay) for v, lay in zip(values_, layouts))
            where = f"{name} {np.dtype(dtype)} {layouts}"
            expected = ufunc(*ops)
            out = laid_out(np.zeros(shape, dtype), layouts[-1])
            spy.clear()
            assert function(*ops, out=out) is out
            assert spy == [True], where
            assert_same_bits(out, expected, where)
            # in place on each operand (out then goes through scratch with it
            # whenever that operand does)
            for k in range(len(ops)):
                copies = [a.copy(order="K") for a in ops]
                spy.clear()
                assert function(*copies, out=copies[k]) is copies[k]
                assert spy == [True], where
                assert_same_bits(copies[k], expected, f"{where} out=operand {k}")


@pytest.mark.parametrize("buffered", ["grad_output", "out"])
@pytest.mark.parametrize("mode", ["raise", "warn", "ignore"])
def test_mixed_layouts_fp_flags_inside_a_buffered_tile(spy, buffered, mode):
    """An invalid element (inf * 0 in tanhshrink_backward) inside a tile whose
    operand goes through scratch: the flag is reported as the ufunc reports it.
    grad_output transposed beside x and out in C: grad_output is copied in;
    grad_output and x in C beside a transposed out: out is copied out."""
    shape = (37, 1029)
    g = np.ones(shape)
    g[21, 300] = np.inf  # inside a tile on both axes, off the 2 x 2 blocks' edges
    x = np.zeros(shape)
    if buffered == "grad_output":
        g = laid_out(g, "F")
        out = np.zeros(shape)
    else:
        out = laid_out(np.zeros(shape), "F")
    expected = _behaviour(lambda: shrink.ufuncs.tanhshrink_backward(g, x), mode)
    got = _behaviour(lambda: shrink.tanhshrink_backward(g, x, out=out), mode)
    assert spy == [True]
    assert got == expected
    if mode != "ignore":
        assert expected[1], "the case raises no flag: it tests nothing"
    with np.errstate(invalid="ignore"):
        assert_same_bits(out, shrink.ufuncs.tanhshrink_backward(g, x), "after the flag")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_mixed_layouts_copies_raise_no_flag(spy, dtype):
    """NaN and infinities in buffered tiles, in and out, under
    np.errstate(all="raise"): the copies are integer moves and raise nothing;
    hardshrink's loop raises nothing on them either (as the ufunc shows)."""
    shape = (37, 1029)
    x = values(dtype, int(np.prod(shape))).reshape(shape)
    x[5::7, 3::11] = np.nan
    x[2::9, 1::13] = -np.inf
    with np.errstate(all="raise"):
        expected = shrink.ufuncs.hardshrink(x, 0.5)
        for x_layout, out_layout in [("F", "C"), ("C", "F")]:
            out = laid_out(np.zeros(shape, dtype), out_layout)
            spy.clear()
            shrink.hardshrink(laid_out(x, x_layout), 0.5, out=out)
            assert spy == [True]
            assert_same_bits(out, expected, f"x {x_layout}, out {out_layout}")


def test_mixed_layouts_with_two_threads(spy):
    """set_num_threads(2) on transposed views: the tiled run calls the loop on
    at most TILE_LEN elements at a time, below the loops' threshold for
    threads, and gives the one-thread bits (in both directions of copy)."""
    shape = (301, 299)
    x = laid_out(values(np.float64, 301 * 299).reshape(shape), "F")
    g = values(np.float64, 301 * 299, seed=1).reshape(shape)
    expected = (shrink.ufuncs.tanhshrink(x), shrink.ufuncs.tanhshrink_backward(g, x))
    previous = shrink.set_num_threads(2)
    try:
        # x copied in; g copied in (run along axis 0, where x and out are contiguous)
        got = (shrink.tanhshrink(x, out=np.zeros(shape)),
               shrink.tanhshrink_backward(g, x, out=laid_out(np.zeros(shape), "F")))
    finally:
        shrink.set_num_threads(previous)
    assert spy == [True, True]
    assert_same_bits(got[0], expected[0], "tanhshrink")
    assert_same_bits(got[1], expected[1], "tanhshrink_backward")
