"""SPEC §1/§3: __array_ufunc__ dispatch, subclasses, pickling, ufunc methods,
scalar in -> NumPy scalar out."""

import pickle

import numpy as np
import pytest

import shrink
import os  # noqa: E402
import sys  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from optional import require  # noqa: E402
from spec_cases import (
    FUNCS, LAMBD_NAMES, LAYER_CLASSES, NAMES, args_for, assert_same_bits, call, param_values,
    pyfunc, quiet_fp,
    assert_matches_reference, ufunc,
)

LAYERS = ["ufunc", "function"]


def _f(layer, name):
    return ufunc(name) if layer == "ufunc" else pyfunc(name)


class Duck:
    """Minimal container implementing only __array_ufunc__ (no __array__, no dtype)."""

    def __init__(self):
        self.calls = []

    def __array_ufunc__(self, uf, method, *inputs, **kwargs):
        self.calls.append((uf, method, inputs, kwargs))
        return "dispatched"


class DtypedDuck(Duck):
    """Like dask/xarray: has dtype and shape, still not an ndarray."""

    dtype = np.dtype(np.float32)
    shape = (3,)
    ndim = 1

    def __array__(self, dtype=None, copy=None):  # pragma: no cover - must not be used
        raise AssertionError("np.asarray was called on the container")


class ArrayDuck(Duck):
    """A container with __array__ (which must not be used) but no dtype attribute."""

    def __array__(self, dtype=None, copy=None):  # pragma: no cover - must not be used
        raise AssertionError("np.asarray was called on the container")


DUCKS = [Duck, DtypedDuck, ArrayDuck]


def _duck_positions(name):
    return ["x", "g"] if FUNCS[name].kind == "backward" else ["x"]


def _cases():
    for name in NAMES:
        for pos in _duck_positions(name):
            for duck in DUCKS:
                yield pytest.param(name, pos, duck, id=f"{name}-{pos}-{duck.__name__}")


@pytest.mark.parametrize("layer", ["ufunc", "function", "class"])
@pytest.mark.parametrize("lam", [0.25, 1e5], ids=["lam=0.25", "lam=1e5"])  # 1e5: not finite in float16
@pytest.mark.parametrize("name,pos,duck_cls", list(_cases()))
def test_array_ufunc_dispatch(layer, name, pos, duck_cls, lam):
    if lam != 0.25 and not FUNCS[name].has_lambd:
        lam = 0.25
    d = duck_cls()
    plain = np.linspace(-1, 1, 3).astype(np.float32)
    x, g = (d, plain) if pos == "x" else (plain, d)
    res = call(layer, name, x, lam, g)
    assert res == "dispatched"
    assert len(d.calls) == 1
    uf, method, inputs, kwargs = d.calls[0]
    assert uf is ufunc(name)
    assert method == "__call__"
    expected = args_for(name, x, lam, g)
    assert len(inputs) == len(expected)
    for got_in, exp_in in zip(inputs, expected):
        if exp_in is d:
            assert got_in is d
        elif isinstance(exp_in, np.ndarray):
            assert np.array_equal(got_in, exp_in)
        else:
            assert got_in == exp_in  # λ
    # no non-default keyword invented by the Python layer
    assert kwargs.get("out") in (None, (None,))
    assert kwargs.get("where", True) is True
    assert kwargs.get("casting", "same_kind") == "same_kind"
    assert kwargs.get("order", "K") == "K"
    assert kwargs.get("dtype") is None
    assert kwargs.get("subok", True) is True


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("name", NAMES)
def test_dispatch_forwards_keywords(layer, name):
    d = Duck()
    out = np.full(3, 7.0)
    mask = np.array([True, False, True])
    res = _f(layer, name)(*args_for(name, d, 0.25, np.ones(3)), out=out, where=mask,
                          casting="unsafe", order="C", dtype=np.float64)
    assert res == "dispatched"
    (uf, method, inputs, kwargs), = d.calls
    assert kwargs["out"] == (out,) and kwargs["out"][0] is out
    assert kwargs["where"] is mask
    assert kwargs["casting"] == "unsafe"
    assert kwargs["order"] == "C"
    assert np.dtype(kwargs["dtype"]) == np.float64 or kwargs.get("signature") is not None
    assert np.all(out == 7.0)


@pytest.mark.parametrize("name", LAMBD_NAMES)
def test_dispatch_still_checks_lambd(name):
    d = Duck()
    with pytest.raises(ValueError, match=rf"^{name}: lambd"):
        pyfunc(name)(*args_for(name, d, -1.0, np.ones(3)))
    assert d.calls == []


# --------------------------------------------------------------------------
# ndarray subclasses


class Sub(np.ndarray):
    pass


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("name", NAMES)
def test_subclass_kept(layer, name):
    x = np.linspace(-2, 2, 9).view(Sub)
    g = np.linspace(1, -1, 9)
    r = _f(layer, name)(*args_for(name, x, 0.5, g))
    assert type(r) is Sub
    assert_same_bits(np.asarray(r), ufunc(name)(*args_for(name, np.asarray(x), 0.5, g)))
    r = _f(layer, name)(*args_for(name, x, 0.5, g), subok=False)
    assert type(r) is np.ndarray
    if FUNCS[name].kind == "backward":
        r = _f(layer, name)(*args_for(name, np.asarray(x), 0.5, g.view(Sub)))
        assert type(r) is Sub


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("name", NAMES)
def test_masked_array(layer, name):
    data = np.linspace(-2, 2, 9)
    mask = np.array([0, 1, 0, 0, 1, 0, 0, 0, 1], bool)
    x = np.ma.array(data, mask=mask)
    r = _f(layer, name)(*args_for(name, x, 0.5, np.ones(9)))
    assert isinstance(r, np.ma.MaskedArray)
    assert np.array_equal(np.ma.getmaskarray(r), mask)
    expected = ufunc(name)(*args_for(name, data, 0.5, np.ones(9)))
    assert_same_bits(r.data[~mask], expected[~mask])


def test_pandas_series():
    pd = require("pandas")
    s = pd.Series([-2.0, 0.25, 1.0], index=["a", "b", "c"])
    r = shrink.hardshrink(s, 0.5)
    assert isinstance(r, pd.Series)
    assert list(r.index) == ["a", "b", "c"]
    assert r.tolist() == [-2.0, 0.0, 1.0]


def test_xarray():
    xr = require("xarray")
    a = xr.DataArray(np.array([-2.0, 0.25, 1.0]), dims=["t"])
    r = shrink.softshrink(a, 0.5)
    assert isinstance(r, xr.DataArray)
    assert r.values.tolist() == [-1.5, 0.0, 0.5]


def test_dask():
    da = require("dask.array")
    a = da.from_array(np.array([-2.0, 0.25, 1.0]), chunks=2)
    r = shrink.hardshrink(a, 0.5)
    assert isinstance(r, da.Array)
    assert r.compute().tolist() == [-2.0, 0.0, 1.0]


# --------------------------------------------------------------------------
# pickle, ufunc methods


@pytest.mark.parametrize("name", NAMES)
def test_pickle_ufunc_and_function(name):
    assert pickle.loads(pickle.dumps(ufunc(name))) is ufunc(name)
    assert pickle.loads(pickle.dumps(pyfunc(name))) is pyfunc(name)


@pytest.mark.parametrize("name", [n for n in NAMES if FUNCS[n].nin == 2])
def test_outer(name):
    u = ufunc(name)
    if FUNCS[name].has_lambd:
        a = np.array([-3.0, -0.5, 0.0, 0.3, 0.7, np.nan, np.inf])
        b = np.array([0.0, 0.5, 1.0, 5.0])
    else:  # tanhshrink_backward(g, x)
        a = np.array([1.0, -2.0, 0.5])
        b = np.array([-3.0, -0.5, 0.0, 0.3, 0.7, np.inf])
    with quiet_fp():
        r = u.outer(a, b)
        loop = np.array([[u(ai, bj) for bj in b] for ai in a])
    assert r.shape == (a.size, b.size)
    assert_same_bits(r, loop)
    if FUNCS[name].has_lambd:
        assert_matches_reference(r, name, a[:, None], b[None, :], dtype=np.float64)


@pytest.mark.parametrize("name", [n for n in NAMES if FUNCS[n].nin <= 2])
def test_at(name):
    u = ufunc(name)
    a = np.array([-3.0, -0.4, 0.0, 0.7, 2.0, -1.0])
    idx = np.array([0, 2, 2, 5, 4])
    expected = a.copy()
    b = 0.5 if FUNCS[name].nin == 2 else None
    for i in idx:
        expected[i] = u(expected[i], b) if b is not None else u(expected[i])
    if b is not None:
        u.at(a, idx, b)
    else:
        u.at(a, idx)
    assert_same_bits(a, expected)


# --------------------------------------------------------------------------
# scalars in, scalars out


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("xval", [1.5, 0.25, 2, -0.0], ids=repr)
def test_python_scalar_gives_numpy_scalar(layer, name, xval):
    r = _f(layer, name)(*args_for(name, xval, 0.5, 1.0))
    assert type(r) is np.float64
    expected = ufunc(name)(*args_for(name, np.array([xval], dtype=np.float64), 0.5, np.ones(1)))[0]
    assert_same_bits(np.asarray(r), np.asarray(expected))


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dt", [np.float16, np.float32, np.float64, np.longdouble],
                         ids=["float16", "float32", "float64", "longdouble"])
def test_zero_dim_array_gives_scalar(layer, name, dt):
    x = np.array(1.25, dt)
    r = _f(layer, name)(*args_for(name, x, 0.5, np.array(-2.0, dt)))
    assert type(r) is dt
    out = np.empty((), dt)
    r2 = _f(layer, name)(*args_for(name, x, 0.5, np.array(-2.0, dt)), out=out)
    assert r2 is out
    assert_same_bits(out, np.asarray(r))


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("name", NAMES)
def test_list_input(layer, name):
    r = _f(layer, name)(*args_for(name, [-1.0, 0.25, 3.0], 0.5, [1.0, 2.0, 3.0]))
    assert type(r) is np.ndarray and r.dtype == np.float64
    assert_same_bits(r, ufunc(name)(*args_for(name, np.array([-1.0, 0.25, 3.0]), 0.5, np.array([1.0, 2.0, 3.0]))))


def test_namespaces():
    for name in NAMES:
        assert isinstance(getattr(shrink.ufuncs, name), np.ufunc)
        assert callable(getattr(shrink, name))
    for cls in LAYER_CLASSES:
        assert isinstance(getattr(shrink, cls), type)


@pytest.mark.parametrize("name", LAMBD_NAMES)
def test_python_layer_passes_weak_python_float(name):
    """A Python float λ reaches the ufunc so that NEP 50 keeps x's dtype even for
    float16 (a float64 0-d array or np.float64 would promote)."""
    d = Duck()
    pyfunc(name)(*args_for(name, d, 0.5, np.ones(3)))
    params = FUNCS[name].params
    for lam, want in zip(d.calls[0][2][-len(params):], param_values(name, 0.5)):
        with quiet_fp():
            assert np.result_type(np.float16(1), lam) == np.float16
        assert type(lam) is float and lam == want
