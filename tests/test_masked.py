"""numpy.ma masked arrays through both layers: the mask, the fill value and the
data under the mask come out as NumPy's own ufuncs give them (np.tanh for one
operand, np.add for two), and the inputs are left untouched."""

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spec_cases import FUNCS, NAMES, args_for, assert_same_bits, pyfunc, quiet_fp, ufunc  # noqa: E402

import shrink  # noqa: E402

LAMBD = 0.5


def _masked():
    x = np.ma.array([-2.0, 0.3, np.nan, 5.0, -0.5, np.inf, 1.0],
                    mask=[0, 1, 1, 0, 0, 1, 0], fill_value=-7.0)
    g = np.ma.array([1.0, 2.0, 3.0, np.inf, 5.0, 6.0, -1.0],
                    mask=[1, 0, 0, 0, 0, 1, 0], fill_value=3.0)
    return g, x


def _call(func, name, g, x):
    return func(*args_for(name, x, LAMBD, g))


@pytest.mark.parametrize("layer", ["ufunc", "function"])
@pytest.mark.parametrize("name", NAMES)
def test_mask_fill_value_and_masked_data_as_numpy(name, layer):
    g, x = _masked()
    g0, x0 = g.copy(), x.copy()
    func = ufunc(name) if layer == "ufunc" else pyfunc(name)
    with quiet_fp():
        r = _call(func, name, g, x)
        twin = np.add(g, x) if FUNCS[name].kind == "backward" else np.tanh(x)
    assert isinstance(r, np.ma.MaskedArray)
    assert np.array_equal(np.ma.getmaskarray(r), np.ma.getmaskarray(twin))
    assert r.fill_value == twin.fill_value
    # NumPy computes under the mask too (np.tanh does): the same here
    with quiet_fp():
        assert_same_bits(r.data, _call(func, name, g.data, x.data))
    for before, after in ((g0, g), (x0, x)):  # inputs untouched
        assert_same_bits(after.data, before.data)
        assert np.array_equal(after.mask, before.mask)


def test_out_masked_array_in_place():
    _, x = _masked()
    data = x.data.copy()
    r = shrink.softshrink(x, LAMBD, out=x)
    assert r is x
    assert np.array_equal(x.mask, [0, 1, 1, 0, 0, 1, 0])
    with quiet_fp():
        assert_same_bits(x.data, shrink.softshrink(data, LAMBD))


@pytest.mark.parametrize("name", NAMES)
def test_no_mask_as_numpy(name):
    # NumPy gives nomask for two operands and an all-False mask for one
    x = np.ma.array([-2.0, 0.3, 1.0])
    r = _call(pyfunc(name), name, x, x)
    twin = np.add(x, x) if FUNCS[name].nin > 1 else np.tanh(x)
    assert isinstance(r, np.ma.MaskedArray)
    assert (r.mask is np.ma.nomask) == (twin.mask is np.ma.nomask)
    assert not np.ma.getmaskarray(r).any()
