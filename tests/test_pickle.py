"""pickle, copy, deepcopy and multiprocessing of every ufunc, function and layer.

Ufuncs and functions must pickle by reference (a module and a name), so that a
worker process (multiprocessing, dask.distributed) gets the very same object.
"""

import copy
import multiprocessing
import os
import pickle
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import shrink

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from optional import require  # noqa: E402
from spec_cases import (  # noqa: E402
    FUNCS, LAYER_CLASSES as FAMILY_OF_LAYER, NAMES, args_for, layers, pyfunc, ref_exact, subprocess_env, ufunc,
)

LAYERS = layers(0.1) + [shrink.Softshrink(np.float32(0.25))]
OBJECTS = ([ufunc(n) for n in NAMES] + [pyfunc(n) for n in NAMES])


def _id(obj):
    return getattr(obj, "__module__", "") + "." + getattr(obj, "__name__", repr(obj))


@pytest.mark.parametrize("obj", OBJECTS, ids=_id)
@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickle_is_by_reference(obj, protocol):
    data = pickle.dumps(obj, protocol)
    assert pickle.loads(data) is obj
    assert b"shrink" in data and len(data) < 100  # a module and a name, no code


@pytest.mark.parametrize("obj", OBJECTS, ids=_id)
def test_cloudpickle_is_by_reference(obj):
    # what dask.distributed uses for callables: by reference too, not by value
    cloudpickle = require("cloudpickle")
    data = cloudpickle.dumps(obj)
    assert cloudpickle.loads(data) is obj and len(data) < 100


@pytest.mark.parametrize("obj", OBJECTS, ids=_id)
def test_copy_and_deepcopy_are_the_same_object(obj):
    # like functions and np.add: immutable, copying returns the object itself
    assert copy.copy(obj) is obj
    assert copy.deepcopy(obj) is obj


# Ufuncs take a __module__ only from NumPy 2.2; before that shrink.ufuncs
# registers a reducer that names the module itself.
UFUNC_TAKES_MODULE = tuple(int(v) for v in np.__version__.split(".")[:2]) >= (2, 2)


@pytest.mark.skipif(not UFUNC_TAKES_MODULE, reason="a ufunc takes __module__ from NumPy 2.2")
@pytest.mark.parametrize("name", NAMES)
def test_ufunc_names_its_module(name):
    u = ufunc(name)
    assert (u.__module__, u.__qualname__, u.__name__) == ("shrink.ufuncs", name, name)
    assert pickle.whichmodule(u, u.__name__) == "shrink.ufuncs"


@pytest.mark.parametrize("protocol", [0, 2, pickle.HIGHEST_PROTOCOL])
@pytest.mark.parametrize("ufunc", [np.add, np.tanh, np.divmod, np.matmul], ids=str)
def test_numpy_ufuncs_still_pickle_as_numpy_does(ufunc, protocol):
    # shrink's reducer (NumPy < 2.2) hands other ufuncs to NumPy's own; with
    # __module__ (NumPy >= 2.2) NumPy's reducer is untouched anyway.
    data = pickle.dumps(ufunc, protocol)
    assert pickle.loads(data) is ufunc
    assert b"numpy" in data and b"shrink" not in data


def test_pickle_does_not_pick_a_user_module_that_reexports_the_ufunc(tmp_path):
    # Without __module__, pickle scans sys.modules and takes the first holder of
    # the object: here `mylib`, loaded before shrink and given the ufunc later
    # (a registry of activations), which a worker process may not be able to import.
    (tmp_path / "mylib.py").write_text("ACTIVATIONS = {}\n")
    script = textwrap.dedent("""
        import pickle, sys
        import mylib
        import shrink.ufuncs
        mylib.hardshrink = shrink.ufuncs.hardshrink
        print(shrink.__file__)
        sys.stdout.write(repr(pickle.dumps(shrink.ufuncs.hardshrink)))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env=subprocess_env(tmp_path), check=True).stdout
    imported, pickled = out.split("\n", 1)
    assert imported == shrink.__file__  # the shrink under test
    assert "shrink.ufuncs" in pickled and "mylib" not in pickled


@pytest.mark.parametrize("layer", LAYERS, ids=repr)
def test_layer_pickle_copy_deepcopy(layer):
    for clone in (pickle.loads(pickle.dumps(layer)), copy.copy(layer), copy.deepcopy(layer)):
        assert type(clone) is type(layer)
        assert repr(clone) == repr(layer)
        x = np.array([-2.0, 0.3, 0.4, 1.0])
        assert np.array_equal(clone(x), layer(x))
        assert np.array_equal(clone.backward(x, x), layer.backward(x, x))
        assert clone == layer and hash(clone) == hash(layer)
        for param in FUNCS[FAMILY_OF_LAYER[type(layer).__name__]].param_names:
            # np.float32 stays np.float32
            assert type(getattr(clone, param)) is type(getattr(layer, param))


def _apply(args):
    """Runs in a spawned worker: imports shrink afresh, unpickles the callable."""
    func, operands = args
    return func(*operands)


def _worker_cases():
    x = np.linspace(-2.0, 2.0, 11)
    g = np.linspace(3.0, -1.0, 11)
    cases = []
    for name in NAMES:
        operands = tuple(args_for(name, x, 0.5, g))
        cases.append((name, ufunc(name), operands))
        cases.append((name, pyfunc(name), operands))
    for layer in LAYERS[:-1]:
        name = FAMILY_OF_LAYER[type(layer).__name__]
        cases.append((name, layer, (x,)))
        cases.append((name + "_grad", layer.grad, (x,)))
        cases.append((name + "_backward", layer.backward, (g, x)))
    return cases


def test_spawn_pool_of_two():
    cases = _worker_cases()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        results = pool.map(_apply, [(func, ops) for _, func, ops in cases])
    for (name, func, operands), result in zip(cases, results):
        expected = func(*operands)  # the same object in this process
        assert result.dtype == expected.dtype, name
        assert np.array_equal(result, expected, equal_nan=True), name
    # and an independent check that the workers ran the right functions
    x = np.linspace(-2.0, 2.0, 11)
    hard = results[[c[0] for c in cases].index("hardshrink")]
    assert np.array_equal(hard, ref_exact("hardshrink", x, 0.5))
