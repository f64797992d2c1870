"""xarray: dims, coords, name and attrs come out as np.tanh (one operand) or
np.add (two operands) give them, under every keep_attrs setting; lazy through
dask-backed variables and xr.apply_ufunc(dask="parallelized")."""

import os
import re
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from optional import require  # noqa: E402

xr = require("xarray")

from spec_cases import (  # noqa: E402
    FUNCS, NAME_PARAMS, NAMES, args_for, assert_same_bits, bad_only_if_unsigned, is_signed, layers,
    param_values, pyfunc, requirement, ufunc, with_param,
)

LAMBD = 0.25


def _array(seed, name="v", attrs=None):
    rng = np.random.default_rng(seed)
    return xr.DataArray(
        rng.standard_normal((4, 3)), dims=("time", "station"),
        coords={"time": np.arange(4), "station": ["a", "b", "c"],
                "height": ("station", [1.5, 2.0, 2.5])},
        name=name, attrs={"units": "m", "seed": seed} if attrs is None else attrs)


def _call(func, name, *arrays):
    arrays = arrays[-1:] if FUNCS[name].kind != "backward" else arrays
    return func(*arrays, *param_values(name, LAMBD))


def _numpy_twin(name, *arrays):
    """What NumPy does to the same xarray objects: np.tanh for one operand, np.add for two."""
    return np.add(*arrays) if FUNCS[name].kind == "backward" else np.tanh(arrays[-1])


def _assert_like(result, twin):
    assert type(result) is type(twin)
    assert dict(result.sizes) == dict(twin.sizes)
    if isinstance(result, xr.DataArray):
        assert result.dims == twin.dims
    assert result.coords.equals(twin.coords) and list(result.coords) == list(twin.coords)
    assert result.attrs == twin.attrs
    assert getattr(result, "name", None) == getattr(twin, "name", None)


@pytest.mark.parametrize("keep_attrs", ["default", True, False])
@pytest.mark.parametrize("layer", ["ufunc", "function"])
@pytest.mark.parametrize("name", NAMES)
def test_dataarray(name, layer, keep_attrs):
    g, x = _array(1, name="g", attrs={"units": "1/m"}), _array(2)
    func = ufunc(name) if layer == "ufunc" else pyfunc(name)
    with xr.set_options(keep_attrs=keep_attrs):
        r = _call(func, name, g, x)
        _assert_like(r, _numpy_twin(name, g, x))
    assert_same_bits(r.values, _call(func, name, g.values, x.values))


@pytest.mark.parametrize("keep_attrs", ["default", True, False])
@pytest.mark.parametrize("name", NAMES)
def test_dataset(name, keep_attrs):
    x = xr.Dataset({"v": _array(3), "w": _array(4).astype(np.float32)}, attrs={"title": "t"})
    g = xr.Dataset({"v": _array(5), "w": _array(6).astype(np.float32)}, attrs={"title": "g"})
    with xr.set_options(keep_attrs=keep_attrs):
        r = _call(pyfunc(name), name, g, x)
        twin = _numpy_twin(name, g, x)
    _assert_like(r, twin)
    assert list(r.data_vars) == list(twin.data_vars)
    for var in r.data_vars:
        _assert_like(r[var], twin[var])
        assert_same_bits(r[var].values, _call(pyfunc(name), name, g[var].values, x[var].values))


def test_layer_objects_on_a_dataarray():
    x = _array(7)
    for layer in layers(LAMBD):
        r = layer(x)
        _assert_like(r, np.tanh(x))
        assert_same_bits(r.values, layer(x.values))


@pytest.mark.parametrize("name", NAMES)
def test_dask_backed_dataarray_stays_lazy(name):
    require("dask.array")
    g, x = _array(8).chunk({"time": 2}), _array(9).chunk({"time": 2})
    r = _call(pyfunc(name), name, g, x)
    assert r.chunks == x.chunks  # still a dask array
    _assert_like(r, _numpy_twin(name, g, x))
    assert_same_bits(r.compute().values, _call(pyfunc(name), name, g.values, x.values))


@pytest.mark.parametrize("name", NAMES)
def test_apply_ufunc_dask_parallelized(name):
    require("dask.array")
    g, x = _array(10).chunk({"time": 2}), _array(11).chunk({"time": 2})
    kwargs = dict(zip(FUNCS[name].param_names, param_values(name, LAMBD)))
    arrays = (g, x) if FUNCS[name].kind == "backward" else (x,)
    r = xr.apply_ufunc(pyfunc(name), *arrays, kwargs=kwargs, dask="parallelized",
                       output_dtypes=[x.dtype], keep_attrs=True)
    assert r.chunks == x.chunks
    assert r.dims == x.dims and r.coords.equals(x.coords)
    assert r.attrs == arrays[0].attrs  # apply_ufunc keeps the first operand's
    assert_same_bits(r.compute().values, _call(pyfunc(name), name, g.values, x.values))


def _bad_lambd(bad):
    lambd = xr.DataArray(np.full((4, 3), 0.5), dims=("time", "station"))
    lambd[3, 1] = bad
    return lambd


@pytest.mark.parametrize("name,param", NAME_PARAMS)
def test_bad_numpy_backed_lambd_is_refused_before_the_call(name, param):
    x = _array(12)
    for bad in (np.nan, -0.25, -np.inf):
        if is_signed(name, param) and bad_only_if_unsigned(bad):
            continue  # any finite real is a bias
        out = xr.full_like(x, 7.0)
        with pytest.raises(ValueError, match=re.escape(
                f"{name}: {param} must be {requirement(name, param)}, got {bad!r} at index (3, 1)")):
            pyfunc(name)(*args_for(name, x, g=x, params=with_param(name, param, _bad_lambd(bad), 0.5)),
                         out=out.values)
        assert np.all(out.values == 7.0)


@pytest.mark.parametrize("name,param", NAME_PARAMS)
def test_dask_backed_lambd_is_checked_at_compute(name, param):
    da = require("dask.array")
    x = _array(13).chunk({"time": 2})
    ops = args_for(name, x, g=x, params=with_param(name, param, _bad_lambd(np.nan).chunk({"time": 2}), 0.5))
    r = pyfunc(name)(*ops)
    assert isinstance(r.data, da.Array)  # lazy: nothing computed yet
    with pytest.raises(ValueError, match=re.escape(
            f"{name}: {param} must be {requirement(name, param)}, got nan at index (3, 1)")):
        r.compute(scheduler="threads")
    good = _bad_lambd(0.125).chunk({"time": 2})
    good_ops = args_for(name, x, g=x, params=with_param(name, param, good, 0.125))
    r = pyfunc(name)(*good_ops)
    assert_same_bits(r.compute(scheduler="threads").values,
                     pyfunc(name)(*(getattr(o, "values", o) for o in good_ops)))
