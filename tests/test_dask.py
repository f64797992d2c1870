"""dask.array: every function stays lazy, keeps the chunks and gives NumPy's values,
with the threaded scheduler and on a dask.distributed cluster of two worker
processes (which receive the functions by pickle)."""

import os
import re
import sys

import numpy as np
import pytest

import shrink

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from optional import require  # noqa: E402

da = require("dask.array")

from spec_cases import (  # noqa: E402
    FUNCS, LAMBD_NAMES, NAME_PARAMS, NAMES, args_for, assert_matches_reference, assert_same_bits,
    bad_cases, layers, param_values, pyfunc, requirement, ufunc, with_param,
)

LAMBD = 0.1
LAYERS = layers(LAMBD)


def _data(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((13, 7)) * 0.3
    x[0, :4] = [np.nan, np.inf, -LAMBD, LAMBD]
    g = rng.standard_normal((13, 7))
    return g, x


def _operands(name, g, x, lambd=LAMBD):
    ops = (g, x) if FUNCS[name].kind == "backward" else (x,)
    return ops + param_values(name, lambd)


class CountingArray:
    """An array-like that counts reads, to see whether dask computed anything."""

    def __init__(self, array):
        self.array, self.reads = array, 0
        self.shape, self.dtype, self.ndim = array.shape, array.dtype, array.ndim

    def __getitem__(self, key):
        self.reads += 1
        return self.array[key]


@pytest.mark.parametrize("layer", ["ufunc", "function"])
@pytest.mark.parametrize("name", NAMES)
def test_lazy_same_chunks_numpy_values_threaded(layer, name):
    g, x = _data()
    source = CountingArray(x)
    dx = da.from_array(source, chunks=(5, 4))
    dg = da.from_array(g, chunks=(5, 4))
    reads = source.reads  # dask reads an empty slice for its meta
    func = ufunc(name) if layer == "ufunc" else pyfunc(name)
    r = func(*_operands(name, dg, dx))
    assert isinstance(r, da.Array)
    assert source.reads == reads  # lazy
    assert r.chunks == dx.chunks
    expected = func(*_operands(name, g, x))
    assert r.dtype == expected.dtype
    assert_same_bits(r.compute(scheduler="threads"), expected, name)
    if FUNCS[name].has_lambd:  # and an independent oracle
        assert_matches_reference(expected, name, x, LAMBD, g, msg=name)


@pytest.mark.parametrize("layer", LAYERS, ids=repr)
def test_layer_objects_threaded(layer):
    g, x = _data(1)
    dg, dx = da.from_array(g, chunks=4), da.from_array(x, chunks=4)
    for method in ("forward", "grad"):
        r = getattr(layer, method)(dx)
        assert isinstance(r, da.Array) and r.chunks == dx.chunks
        assert_same_bits(r.compute(scheduler="threads"), getattr(layer, method)(x))
    r = layer.backward(dg, dx)
    assert r.chunks == dx.chunks
    assert_same_bits(r.compute(scheduler="threads"), layer.backward(g, x))


@pytest.mark.parametrize("name", LAMBD_NAMES)
def test_per_element_dask_lambd(name):
    g, x = _data(2)
    lambd = np.abs(np.random.default_rng(3).standard_normal(x.shape[1])) * 0.3
    params = param_values(name, lambd)  # every threshold an array, in dask chunks
    lazy = [da.from_array(p, chunks=3) if np.ndim(p) else p for p in params]
    r = pyfunc(name)(*args_for(name, da.from_array(x, chunks=5), g=da.from_array(g, chunks=5),
                               params=lazy))
    assert isinstance(r, da.Array)
    assert_matches_reference(r.compute(scheduler="threads"), name, x, g=g, params=params)


def test_bad_lambd_is_refused_before_dask_builds_a_graph():
    dx = da.from_array(np.ones(4), chunks=2)
    with pytest.raises(ValueError, match="softshrink: lambd must be finite and >= 0, got -0.5"):
        shrink.softshrink(dx, -0.5)


def _bad_dask_lambd(bad):
    """A (3, 7) lambd in (2, 3) chunks, bad at (2, 4): in the chunk starting at
    (2, 3), where it sits at (0, 1)."""
    lambd = np.full((3, 7), 0.25)
    lambd[2, 4] = bad
    return lambd, da.from_array(lambd, chunks=(2, 3))


@pytest.mark.parametrize("x_kind", ["numpy", "dask"])
@pytest.mark.parametrize("name,param,bad", bad_cases(NAME_PARAMS, [np.nan, -0.5, np.inf]))
def test_dask_lambd_is_checked_chunk_by_chunk_at_compute(name, param, bad, x_kind):
    _, x = _data(5)
    x, g = x[:3], np.ones((3, 7))
    lambd, dlambd = _bad_dask_lambd(bad)
    if x_kind == "dask":
        x, g = da.from_array(x, chunks=2), da.from_array(g, chunks=2)
    # lazy: nothing is computed yet
    r = pyfunc(name)(*args_for(name, x, g=g, params=with_param(name, param, dlambd, 0.25)))
    assert isinstance(r, da.Array)
    message = f"{name}: {param} must be {requirement(name, param)}, got {bad!r} at index (2, 4)"
    with pytest.raises(ValueError, match=re.escape(message)):
        r.compute(scheduler="threads")
    # the same values as a NumPy lambd: the same message, before any call
    with pytest.raises(ValueError, match=re.escape(message)):
        pyfunc(name)(*args_for(name, np.asarray(x), g=np.asarray(g),
                               params=with_param(name, param, lambd, 0.25)))


def test_dask_lambd_chunks_that_are_not_computed_are_not_checked():
    lambd, dlambd = _bad_dask_lambd(np.nan)
    r = shrink.softshrink(np.ones((3, 7)), dlambd)
    assert_same_bits(r[:2].compute(scheduler="threads"), shrink.softshrink(np.ones((2, 7)), 0.25))


def test_dask_lambd_of_a_wrong_dtype_is_refused_at_the_call():
    dx = da.from_array(np.ones(4), chunks=2)
    for dtype in (bool, complex):
        with pytest.raises(TypeError, match=f"hardshrink: lambd must be a real number or an "
                                            f"array of real numbers, got an array of dtype "
                                            f"{np.dtype(dtype)}"):
            shrink.hardshrink(dx, da.ones(4, dtype=dtype, chunks=2))


def test_dask_lambd_too_large_for_the_result_dtype_is_checked_at_compute():
    # dask refuses dtype= with the other keywords, so the check is asked directly:
    # 70000 is finite in float64, the lambd's dtype, but not in float16
    from shrink._lambd import check_lambd

    lambd = da.from_array(np.array([1.0, 3.0, 7e4, 2.0]), chunks=2)
    checked = check_lambd("softshrink", lambd, (np.ones(4, np.float16),), np.float16)
    with pytest.raises(ValueError, match=re.escape(
            "softshrink: lambd must be finite in the result dtype float16, got 70000.0 "
            "at index (2,)")):
        checked.compute(scheduler="threads")
    assert_same_bits(check_lambd("softshrink", lambd, (np.ones(4),), None).compute(),
                     np.array([1.0, 3.0, 7e4, 2.0]))


# --------------------------------------------------------------------------
# dask.distributed: two worker processes on the loopback interface


@pytest.fixture(scope="module")
def client():
    distributed = require("distributed")
    environ = dict(os.environ)  # LocalCluster sets OMP_NUM_THREADS=1 and more in it
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None, silence_logs=40)
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()
        os.environ.clear()
        os.environ.update(environ)


def test_cluster_has_two_worker_processes(client):
    workers = client.scheduler_info()["workers"]
    assert len(workers) == 2
    pids = client.run(os.getpid)
    assert len(set(pids.values())) == 2 and os.getpid() not in pids.values()


@pytest.mark.parametrize("layer", ["ufunc", "function"])
def test_every_function_on_the_cluster(client, layer):
    g, x = _data(4)
    dg, dx = da.from_array(g, chunks=(7, 4)), da.from_array(x, chunks=(7, 4))
    funcs = [ufunc(n) if layer == "ufunc" else pyfunc(n) for n in NAMES]
    lazy = [f(*_operands(n, dg, dx)) for f, n in zip(funcs, NAMES)]
    assert all(r.chunks == dx.chunks for r in lazy)
    results = client.gather(client.compute(lazy))
    for f, n, r in zip(funcs, NAMES, results):
        assert_same_bits(r, f(*_operands(n, g, x)), n)


def test_functions_and_layers_shipped_to_workers(client):
    """client.submit pickles the callable itself: by reference, the same object there."""
    g, x = _data(5)
    for layer in LAYERS:
        assert_same_bits(client.submit(layer, x).result(), layer(x))
        assert_same_bits(client.submit(layer.backward, g, x).result(), layer.backward(g, x))
    for name in NAMES:
        future = client.submit(pyfunc(name), *_operands(name, g, x), pure=False)
        assert_same_bits(future.result(), pyfunc(name)(*_operands(name, g, x)), name)
    # the worker's function is the module-level object, looked up by name
    same = client.submit(lambda f: f is shrink.ufuncs.softshrink, shrink.ufuncs.softshrink)
    assert same.result() is True


def test_lambd_error_raised_on_the_client_not_the_worker(client):
    dx = da.from_array(np.ones(4), chunks=2)
    with pytest.raises(ValueError, match="hardshrink: lambd"):
        shrink.hardshrink(dx, float("nan"))


def test_dask_lambd_checked_on_the_workers(client):
    lambd, dlambd = _bad_dask_lambd(-0.5)
    r = shrink.hardshrink(da.ones((3, 7), chunks=2), dlambd)
    with pytest.raises(ValueError, match=re.escape(
            "hardshrink: lambd must be finite and >= 0, got -0.5 at index (2, 4)")):
        client.compute(r).result()
    good = shrink.hardshrink(da.ones((3, 7), chunks=2), da.from_array(np.full((3, 7), 0.25), 2))
    assert_same_bits(client.compute(good).result(), np.ones((3, 7)))
