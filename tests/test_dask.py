"""dask.array: every function stays lazy, keeps the chunks and gives NumPy's values,
with the threaded scheduler and on a dask.distributed cluster of two worker
processes (which receive the functions by pickle)."""

import os
import sys

import numpy as np
import pytest

import shrink

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from optional import require  # noqa: E402

da = require("dask.array")

from spec_cases import (  # noqa: E402
    FUNCS, LAMBD_NAMES, NAMES, assert_same_bits, pyfunc, ref_hardsoft, ufunc,
)

LAMBD = 0.1
LAYERS = [shrink.Hardshrink(LAMBD), shrink.Softshrink(LAMBD), shrink.Tanhshrink()]


def _data(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((13, 7)) * 0.3
    x[0, :4] = [np.nan, np.inf, -LAMBD, LAMBD]
    g = rng.standard_normal((13, 7))
    return g, x


def _operands(name, g, x, lambd=LAMBD):
    ops = (g, x) if FUNCS[name].kind == "backward" else (x,)
    return ops + ((lambd,) if FUNCS[name].has_lambd else ())


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
    if FUNCS[name].has_lambd:  # and an independent oracle for the exact ones
        assert_same_bits(expected, ref_hardsoft(name, x, LAMBD, g), name)


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
    r = pyfunc(name)(*_operands(name, da.from_array(g, chunks=5), da.from_array(x, chunks=5),
                                da.from_array(lambd, chunks=3)))
    assert isinstance(r, da.Array)
    assert_same_bits(r.compute(scheduler="threads"), ref_hardsoft(name, x, lambd, g))


def test_bad_lambd_is_refused_before_dask_builds_a_graph():
    dx = da.from_array(np.ones(4), chunks=2)
    with pytest.raises(ValueError, match="softshrink: lambd must be finite and >= 0, got -0.5"):
        shrink.softshrink(dx, -0.5)


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
