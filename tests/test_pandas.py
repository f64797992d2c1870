"""pandas: Series and DataFrame keep their index, columns, name and per-column
dtype, with NumPy's values; two operands align on the index as np.add does."""

import os
import re
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from optional import require  # noqa: E402

pd = require("pandas")

from spec_cases import (  # noqa: E402
    FAMILY, FUNCS, NAME_PARAMS, NAMES, args_for, assert_same_bits, bad_only_if_unsigned, is_signed, layers,
    param_values, pyfunc, requirement, ufunc, with_param,
)

import shrink  # noqa: E402

LAMBD = 0.25


def _call(func, name, g, x):
    ops = (g, x) if FUNCS[name].kind == "backward" else (x,)
    return func(*ops, *param_values(name, LAMBD))


def _frame(seed, index):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"f64": rng.standard_normal(len(index)),
                         "f32": rng.standard_normal(len(index)).astype(np.float32)},
                        index=index)


@pytest.mark.parametrize("layer", ["ufunc", "function"])
@pytest.mark.parametrize("name", NAMES)
def test_series(name, layer):
    index = pd.Index(["a", "b", "c", "d", "e"], name="key")
    x = pd.Series([-2.0, -LAMBD, 0.1, np.nan, 3.0], index=index, name="x")
    g = pd.Series([1.0, np.inf, 2.0, 1.0, -1.0], index=index, name="x")
    func = ufunc(name) if layer == "ufunc" else pyfunc(name)
    r = _call(func, name, g, x)
    assert isinstance(r, pd.Series)
    assert r.index.equals(index) and r.index.name == "key" and r.name == "x"
    assert_same_bits(r.to_numpy(), _call(func, name, g.to_numpy(), x.to_numpy()))


def _numpy_twin(name, g, x):
    """A NumPy ufunc with as many operands: pandas applies a one-operand ufunc
    block by block (a float32 column stays float32) and a ufunc of two or more
    operands to the frame's common dtype."""
    return np.tanh(x) if FUNCS[name].nin == 1 else np.arctan2(g if FUNCS[name].kind == "backward" else x, x)


@pytest.mark.parametrize("name", NAMES)
def test_dataframe_keeps_index_columns_and_column_dtypes(name):
    index = pd.date_range("2026-01-01", periods=6, freq="D")
    g, x = _frame(1, index), _frame(2, index)
    r = _call(pyfunc(name), name, g, x)
    assert isinstance(r, pd.DataFrame)
    assert r.index.equals(index) and list(r.columns) == ["f64", "f32"]
    assert r.dtypes.tolist() == _numpy_twin(name, g, x).dtypes.tolist()
    for col in r.columns:
        dtype = r[col].dtype
        expected = _call(pyfunc(name), name, g[col].to_numpy(dtype), x[col].to_numpy(dtype))
        assert_same_bits(r[col].to_numpy(), expected, col)


@pytest.mark.parametrize("name", [n for n in NAMES if FUNCS[n].kind == "backward"])
def test_two_series_align_on_the_index_as_np_add_does(name):
    x = pd.Series([-2.0, 0.1, 3.0, 0.7], index=[0, 1, 2, 3])
    g = pd.Series([5.0, 6.0, 7.0, 8.0], index=[3, 2, 1, 9])  # shuffled, 9 not in x
    r = _call(pyfunc(name), name, g, x)
    twin = np.add(g, x)
    assert r.index.equals(twin.index)
    ga, xa = g.reindex(twin.index).to_numpy(), x.reindex(twin.index).to_numpy()
    assert_same_bits(r.to_numpy(), _call(pyfunc(name), name, ga, xa))


def test_layer_objects_on_a_dataframe():
    x = _frame(3, pd.RangeIndex(5))
    for layer in layers(LAMBD):
        r = layer(x)
        assert isinstance(r, pd.DataFrame) and r.index.equals(x.index)
        assert list(r.columns) == list(x.columns)
        assert_same_bits(r["f64"].to_numpy(), layer(x["f64"].to_numpy()))


def _with_lambd(name, x, lambd, param=None, **keywords):
    """name(x) with `lambd` as `param` (default: the first), the others valid
    (above it where the parameters are ordered: firm's lambd_high)."""
    param = param or FUNCS[name].param_names[0]
    below = param in FAMILY[FUNCS[name].family].ordered[:-1]
    params = with_param(name, param, lambd, 10.0 if below else 0.0)
    return pyfunc(name)(*args_for(name, x, g=np.ones_like(x), params=params), **keywords)


@pytest.mark.parametrize("name,param", NAME_PARAMS)
def test_bad_lambd_in_a_series_or_frame_is_refused_and_nothing_written(name, param):
    """A pandas lambd is read as NumPy reads it (by position) and checked before
    the call: the message of an array lambd, and out= untouched."""
    x = np.array([[-2.0, 0.1], [3.0, 0.7], [0.2, -0.3]])
    cases = [
        (pd.Series([0.5, np.nan, 0.2], index=[7, 8, 9]), x[:, 0], "nan at index (1,)"),
        (pd.Series([0.5, 0.1, -1.0]), x[:, 0], "-1.0 at index (2,)"),
        (pd.Series([0.5, 0.1, 2.0, np.inf]).iloc[1:], x[:, 0], "inf at index (2,)"),
        (pd.DataFrame({"a": [0.1, 0.2, 0.3], "b": [0.3, -0.0, -2]}), x,
         "-2.0 at index (2, 1)"),
        (pd.Series([0.5, None, 0.2], dtype="Float64"), x[:, 0], "nan at index (1,)"),
    ]
    for lambd, data, shown in cases:
        if is_signed(name, param) and bad_only_if_unsigned(lambd):
            continue  # any finite real is a bias
        out = np.full(data.shape, 7.0)
        with pytest.raises(ValueError, match=re.escape(
                f"{name}: {param} must be {requirement(name, param)}, got {shown}")):
            _with_lambd(name, data, lambd, param, out=out)
        assert np.all(out == 7.0), "out= written although lambd was refused"


@pytest.mark.parametrize("name,param", NAME_PARAMS)
def test_good_lambd_in_a_series_gives_the_array_result(name, param):
    x = np.array([-2.0, 0.1, 3.0, -0.7])
    lambd = pd.Series([0.5, 0.0, 3.0, 0.2], name="lambd")
    assert_same_bits(_with_lambd(name, x, lambd, param), _with_lambd(name, x, lambd.to_numpy(), param))


def test_lambd_series_of_strings_or_bools_is_a_type_error():
    for lambd, dtype in ((pd.Series(["a", "b"]), "object"), (pd.Series([True, False]), "bool")):
        with pytest.raises(TypeError, match=f"softshrink: lambd must be a real number or an "
                                            f"array of real numbers, got an array of dtype {dtype}"):
            shrink.softshrink(np.ones(2), lambd)
