"""scipy.sparse through the Python layer (the function on the stored values, same
format and stored positions), pydata sparse through __array_ufunc__, and SciPy
never imported by shrink itself."""

import os
import subprocess
import sys

import numpy as np
import pytest

import shrink

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from optional import require  # noqa: E402

sp = require("scipy.sparse")

from spec_cases import (  # noqa: E402
    FUNCS, LAMBD_NAMES, NAMES, assert_same_bits, pyfunc, quiet_fp, assert_matches_reference, layers, param_values,
    subprocess_env, ufunc,
)

LAMBD = 0.5
FORMATS = ["csr", "csc", "coo", "bsr", "dia"]
KINDS = ["array", "matrix"]
ONE_ARRAY = [n for n in NAMES if FUNCS[n].kind != "backward"]
BACKWARD = [n for n in NAMES if FUNCS[n].kind == "backward"]


def _dense(seed=0, shape=(6, 8)):
    """Mostly zeros, with the awkward values stored: NaN, inf, +-lambd, -0.0."""
    rng = np.random.default_rng(seed)
    d = rng.standard_normal(shape) * (rng.random(shape) < 0.4)
    d.flat[:6] = [np.nan, np.inf, -LAMBD, LAMBD, 0.3, -np.inf]
    return d


def _sparse(dense, fmt, kind, explicit_zero=True):
    m = getattr(sp, f"{fmt}_{kind}")(dense) if fmt != "bsr" else \
        getattr(sp, f"bsr_{kind}")(dense, blocksize=(2, 2))
    if explicit_zero and fmt in ("csr", "csc", "coo"):
        m.data[np.flatnonzero(m.data == 0.3)] = -0.0  # a stored -0.0
    return m


def _positions(m):
    """The sparsity structure as SciPy stores it, per format."""
    if m.format in ("csr", "csc"):
        return [m.indptr, m.indices]
    if m.format == "bsr":
        return [np.array(m.blocksize), m.indptr, m.indices]
    if m.format == "coo":
        return list(m.coords)
    return [m.offsets, np.array(m.data.shape)]


def _assert_same_structure(r, x):
    assert type(r) is type(x) and r.format == x.format and r.shape == x.shape
    pr, px = _positions(r), _positions(x)
    assert len(pr) == len(px) and all(np.array_equal(a, b) for a, b in zip(pr, px))


def _call(name, x, g=None, lambd=LAMBD, **kw):
    ops = (g, x) if FUNCS[name].kind == "backward" else (x,)
    return pyfunc(name)(*ops, *param_values(name, lambd), **kw)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", ONE_ARRAY)
def test_forward_and_grad_same_format_and_structure(name, fmt, kind):
    dense = _dense()
    x = _sparse(dense, fmt, kind)
    before = x.copy()
    with quiet_fp():
        r = _call(name, x)
        expected = _call(name, x.toarray())
    _assert_same_structure(r, x)
    assert_same_bits(r.toarray(), expected, name)
    if FUNCS[name].has_lambd:  # an oracle independent of shrink
        assert_matches_reference(r.toarray(), name, x.toarray(), LAMBD, msg=name)
    assert_same_bits(x.toarray(), before.toarray())  # input untouched


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", BACKWARD)
def test_backward_with_the_same_structure(name, fmt, kind):
    x = _sparse(_dense(1), fmt, kind)
    g = x.copy()
    g.data = np.random.default_rng(2).standard_normal(g.data.shape)
    g.data.flat[:3] = [np.inf, np.nan, -2.0]
    with quiet_fp():
        r = _call(name, x, g)
        expected = _call(name, x.toarray(), g.toarray())
    _assert_same_structure(r, x)
    assert_same_bits(r.toarray(), expected, name)


@pytest.mark.parametrize("name", BACKWARD)
def test_backward_refuses_mixed_formats_and_positions(name):
    x = sp.csr_array(_dense(3))
    with pytest.raises(TypeError, match=f"{name}: grad_output and x must both be scipy.sparse"):
        _call(name, x, x.toarray())
    with pytest.raises(TypeError, match=f"{name}: grad_output and x must both be scipy.sparse"):
        _call(name, x.toarray(), x)
    with pytest.raises(TypeError, match=f"{name}: grad_output and x must have one sparse format"):
        _call(name, x, x.tocsc())
    other = sp.csr_array(_dense(4))
    with pytest.raises(ValueError, match=f"{name}: grad_output and x must have the same shape"):
        _call(name, x, other)


def test_zeros_made_by_hardshrink_stay_stored():
    x = sp.csr_array(np.array([[0.0, 0.3, -2.0], [0.0, 0.0, 0.4]]))
    r = shrink.hardshrink(x, LAMBD)
    assert r.nnz == x.nnz == 3
    assert_same_bits(r.data, np.array([0.0, -2.0, 0.0]))
    assert x.floor().nnz == x.nnz  # SciPy's own element-wise methods keep them too
    r.eliminate_zeros()
    assert r.nnz == 1
    assert_same_bits(r.toarray(), np.array([[0.0, 0.0, -2.0], [0.0, 0.0, 0.0]]))


@pytest.mark.parametrize("fmt", ["csr", "coo"])
def test_duplicate_entries_are_summed_first_on_a_copy(fmt):
    # 0.3 + 0.3 = 0.6 is outside the band although each entry is inside it
    data = np.array([0.3, 0.3, 2.0])
    if fmt == "csr":
        x = sp.csr_array((data, np.array([1, 1, 0]), np.array([0, 2, 3])), shape=(2, 2))
    else:
        x = sp.coo_array((data, (np.array([0, 0, 1]), np.array([1, 1, 0]))), shape=(2, 2))
    assert x.nnz == 3  # the duplicate is stored
    r = shrink.hardshrink(x, LAMBD)
    assert_same_bits(r.toarray(), np.array([[0.0, 0.6], [2.0, 0.0]]))
    assert r.format == fmt and r.nnz == 2
    assert x.nnz == 3 and not x.has_canonical_format  # the input keeps its duplicates
    assert_same_bits(x.data, data)


def test_unsorted_indices_without_duplicates_keep_their_order():
    x = sp.csr_array((np.array([3.0, 0.2, -1.0]), np.array([2, 0, 1]), np.array([0, 3])),
                     shape=(1, 3))
    r = shrink.softshrink(x, LAMBD)
    _assert_same_structure(r, x)
    assert_same_bits(r.data, np.array([2.5, 0.0, -0.5]))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", LAMBD_NAMES)
def test_per_element_lambd(name, fmt, kind):
    dense = _dense(5)
    x = _sparse(dense, fmt, kind)
    rng = np.random.default_rng(6)
    for lambd in (rng.random(dense.shape[1]), rng.random(dense.shape), rng.random((6, 1))):
        g = x.copy() if FUNCS[name].kind == "backward" else None
        with quiet_fp():
            r = _call(name, x, g, lambd)
        _assert_same_structure(r, x)
        assert_matches_reference(r.toarray(), name, x.toarray(), lambd,
                                 None if g is None else g.toarray(), msg=name)


def test_lambd_that_would_enlarge_the_sparse_x_is_refused():
    x = sp.csr_array(np.eye(3))
    with pytest.raises(ValueError, match=r"softshrink: lambd of shape \(2, 3, 3\)"):
        shrink.softshrink(x, np.ones((2, 3, 3)))


def test_bad_lambd_is_checked_before_the_sparse_path():
    with pytest.raises(ValueError, match="softshrink: lambd must be finite and >= 0, got -1.0"):
        shrink.softshrink(sp.csr_array(np.eye(2)), -1.0)
    with pytest.raises(TypeError, match="softshrink: lambd must be a real number"):
        shrink.softshrink(np.eye(2), sp.csr_array(np.eye(2)))


@pytest.mark.parametrize("fmt", ["lil", "dok"])
@pytest.mark.parametrize("kind", KINDS)
def test_lil_and_dok_are_refused(fmt, kind):
    x = getattr(sp, f"{fmt}_{kind}")(np.eye(3))
    with pytest.raises(TypeError, match=f"hardshrink: scipy.sparse format '{fmt}' is not "
                                        r"supported; convert it with \.tocsr\(\)"):
        shrink.hardshrink(x)


@pytest.mark.filterwarnings("ignore:'where' used without 'out'")  # NumPy's, before ours
def test_out_and_where_are_refused_and_nothing_is_written():
    x = sp.csr_array(_dense(7))
    out = np.full(x.shape, 7.0)
    with pytest.raises(TypeError, match="softshrink: out= is not supported with scipy.sparse"):
        shrink.softshrink(x, out=out)
    assert (out == 7.0).all()
    with pytest.raises(TypeError, match="tanhshrink: where= is not supported"):
        shrink.tanhshrink(x, where=np.ones(x.shape, bool))


def test_dtype_and_casting_apply_to_the_values():
    x = sp.csr_array(_dense(8))
    r = shrink.softshrink(x, 0.25, dtype=np.float32)
    assert r.dtype == np.float32
    assert_same_bits(r.toarray(), shrink.softshrink(x.toarray(), 0.25, dtype=np.float32))
    with pytest.raises(TypeError):  # float64 -> int64 is not same_kind: NumPy's error
        shrink.softshrink(x, 0.25, dtype=np.int64)


def test_integer_and_complex_values_promote_as_dense():
    xi = sp.coo_array(np.array([[0, 3, -1], [2, 0, 0]], dtype=np.int16))
    r = shrink.tanhshrink(xi)
    assert r.dtype == np.float32  # int16 -> float32, as np.tanh
    assert_same_bits(r.toarray(), shrink.tanhshrink(xi.toarray()))
    xc = sp.csr_array(np.array([[0, 0.3 + 0.3j, 2 - 1j]]))
    r = shrink.softshrink(xc, LAMBD)
    assert r.dtype == np.complex128
    expected = shrink.softshrink(xc.toarray(), LAMBD)
    assert_same_bits(r.toarray().real, expected.real)
    assert_same_bits(r.toarray().imag, expected.imag)
    with pytest.raises(TypeError):  # gradients are real only, as for dense input
        shrink.softshrink_grad(xc)


def test_one_and_n_dimensional_sparse_arrays():
    d1 = np.array([0.0, 0.7, 0.0, -0.2, 3.0])
    r = shrink.softshrink(sp.csr_array(d1), LAMBD)
    assert r.format == "csr" and r.shape == (5,)
    assert_matches_reference(r.toarray(), "softshrink", d1, LAMBD)
    d3 = np.linspace(-2, 2, 24).reshape(2, 3, 4)
    x3 = sp.coo_array(d3)
    lambd = np.linspace(0.1, 1.0, 4)
    r = shrink.hardshrink(x3, lambd)
    assert r.shape == (2, 3, 4)
    assert_matches_reference(r.toarray(), "hardshrink", d3, lambd)


def test_layer_objects_on_sparse():
    x = sp.csc_matrix(_dense(10))
    for layer in layers(LAMBD):
        with quiet_fp():
            for method in ("forward", "grad"):
                r = getattr(layer, method)(x)
                _assert_same_structure(r, x)
                assert_same_bits(r.toarray(), getattr(layer, method)(x.toarray()))
            r = layer.backward(x, x)
            _assert_same_structure(r, x)
            assert_same_bits(r.toarray(), layer.backward(x.toarray(), x.toarray()))


@pytest.mark.parametrize("name", NAMES)
def test_raw_ufuncs_refuse_scipy_sparse(name):
    # scipy.sparse has no __array_ufunc__: NumPy's TypeError, as for np.add
    x = sp.csr_array(np.eye(2))
    ops = (x, x) if FUNCS[name].kind == "backward" else (x,)
    with pytest.raises(TypeError, match=name):
        ufunc(name)(*ops, *param_values(name, LAMBD))


def test_import_shrink_imports_no_scipy_or_pydata_library():
    code = ("import sys, shrink; shrink.softshrink(1.0); print(shrink.__file__); "
            "print(sorted(m for m in ('scipy', 'dask', 'xarray', 'pandas', 'sparse') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=subprocess_env(), check=True).stdout
    assert out.splitlines() == [shrink.__file__, "[]"]  # the shrink under test


# --------------------------------------------------------------------------
# pydata sparse: __array_ufunc__ does it


@pytest.mark.parametrize("layer", ["ufunc", "function"])
@pytest.mark.parametrize("name", NAMES)
def test_pydata_sparse_stays_sparse(name, layer):
    sparse = require("sparse")
    dense = _dense(11, (4, 5, 3))
    x = sparse.COO.from_numpy(dense)
    g = sparse.COO.from_numpy(_dense(12, (4, 5, 3)))
    func = ufunc(name) if layer == "ufunc" else pyfunc(name)
    ops = (g, x) if FUNCS[name].kind == "backward" else (x,)
    with quiet_fp():
        r = func(*ops, *param_values(name, LAMBD))
        expected = func(*(o.todense() for o in ops), *param_values(name, LAMBD))
    assert isinstance(r, sparse.COO)
    assert r.fill_value == 0 and r.nnz < r.size
    assert_same_bits(r.todense(), expected, name)
