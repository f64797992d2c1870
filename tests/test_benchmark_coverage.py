"""Every public ufunc and function of shrink has an asv benchmark.

The benchmark suite lives in ``benchmarks/`` (asv, configured by
``asv.conf.json`` at the repository top). The coverage tests import the
benchmark modules (no asv needed), run every timed method of every benchmark
class once for each value of each parameter (sizes up to 10^5; the other
parameters at their smallest), and record which of shrink's ufuncs, functions and layer objects the
timed methods really call; a name that only appears in a list or a string does
not count. The last test runs each benchmark once, so a broken benchmark fails
here, not only in ``asv run --quick``.
"""
import functools
import importlib
import inspect
import itertools
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import shrink
import shrink._layers
import shrink.ufuncs

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spec_cases import subprocess_env  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_DIR = os.path.join(ROOT, "benchmarks")
ASV_CONF = os.path.join(ROOT, "asv.conf.json")

pytestmark = pytest.mark.skipif(
    not os.path.isdir(BENCH_DIR), reason="benchmarks/ not in this tree (installed package?)")

PREFIXES = ("time_", "peakmem_", "track_", "mem_")
LAYERS = tuple(shrink._layers.LAYERS)  # one layer class per family of the table
LAYER_METHODS = ("__call__", "forward", "grad", "backward")
# Public callables that compute nothing, so there is nothing to time:
# get_num_threads reads a setting. (set_num_threads counts as benchmarked when a
# timed call runs with more than one thread.)
NOT_TIMED = {"get_num_threads"}


def bench_files():
    """The benchmark modules: bench_*.py plus common.py, which holds the name lists."""
    names = sorted(f for f in os.listdir(BENCH_DIR)
                   if f.endswith(".py") and (f.startswith("bench_") or f == "common.py"))
    return [os.path.join(BENCH_DIR, f) for f in names]


def public_ufuncs():
    return sorted(n for n in dir(shrink.ufuncs)
                  if not n.startswith("_") and isinstance(getattr(shrink.ufuncs, n), np.ufunc))


def public_functions():
    names = getattr(shrink, "__all__", None) or [n for n in dir(shrink) if not n.startswith("_")]
    out = []
    for n in names:
        obj = getattr(shrink, n)
        if inspect.ismodule(obj) or isinstance(obj, np.ufunc) or not callable(obj):
            continue
        out.append(n)
    return sorted(out)


def _benchmark_modules():
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    mods = []
    for path in bench_files():
        name = os.path.splitext(os.path.basename(path))[0]
        if name.startswith("bench_"):
            mods.append(importlib.import_module(f"benchmarks.{name}"))
    return mods


def _benchmark_classes():
    for mod in _benchmark_modules():
        for cname, cls in inspect.getmembers(mod, inspect.isclass):
            if cls.__module__ != mod.__name__ or cname.startswith("_"):
                continue
            methods = [m for m in dir(cls) if m.startswith(PREFIXES)]
            if methods:
                yield cls, methods


def _smallest(params):
    """First value of each parameter list, smallest number where there are numbers."""
    return tuple(min(p) if all(isinstance(v, int) for v in p) else p[0] for p in params)


LARGEST_RUN = 10**5  # larger sizes run the same calls on more data: asv's business


def _combinations_per_value(params):
    """For each value of each parameter, the parameter combinations holding it,
    the other parameters' smallest values first: running the first one that
    asv would not skip exercises every value of every parameter once (numbers
    up to LARGEST_RUN)."""
    ordered = [sorted(p) if all(isinstance(v, int) for v in p) else list(p) for p in params]
    for k, values in enumerate(ordered):
        for value in values:
            if isinstance(value, int) and value > LARGEST_RUN and value != values[0]:
                continue
            yield itertools.product(*(ordered[:k] + [[value]] + ordered[k + 1:]))


class _Recorder:
    """Replaces shrink's ufuncs, public functions and layer methods with
    wrappers that note each call made while ``timing`` is on, with the thread
    count it ran with."""

    def __init__(self, monkeypatch):
        self.get_num_threads = shrink.get_num_threads  # before it is replaced
        self.timing = False
        self.called = set()
        self.threads = {}
        for name in public_ufuncs():
            monkeypatch.setattr(shrink.ufuncs, name, self._wrap(name, getattr(shrink.ufuncs, name)))
        for name in public_functions():
            obj = getattr(shrink, name)
            if name in LAYERS:
                for method in LAYER_METHODS:
                    monkeypatch.setattr(obj, method, self._wrap(name, getattr(obj, method)))
            elif not inspect.isclass(obj):
                monkeypatch.setattr(shrink, name, self._wrap(name, obj))

    def _wrap(self, name, target):
        @functools.wraps(target)
        def wrapper(*args, **kwargs):
            if self.timing:
                self.called.add(name)
                threads = self.get_num_threads()
                self.threads[name] = max(self.threads.get(name, 1), threads)
            return target(*args, **kwargs)
        return wrapper


@pytest.fixture(scope="module")
def timed_calls():
    """What the benchmarks' timed methods call: (names called, the most threads
    any timed call ran with)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        recorder = _Recorder(monkeypatch)
        for cls, methods in _benchmark_classes():
            params = getattr(cls, "params", None)
            if not params:
                _run(cls, methods, [()], recorder)
                continue
            if not isinstance(params[0], list):
                params = [params]
            for combos in _combinations_per_value(params):
                _run(cls, methods, combos, recorder)
    return recorder.called, max(recorder.threads.values(), default=1)


def _run(cls, methods, combos, recorder):
    for combo in combos:
        bench = cls()
        if hasattr(bench, "setup"):
            try:
                bench.setup(*combo)
            except NotImplementedError:
                continue  # asv's skip: an optional peer or a skipped size
        try:
            for m in methods:
                recorder.timing = True
                try:
                    getattr(bench, m)(*combo)
                finally:
                    recorder.timing = False
        finally:
            if hasattr(bench, "teardown"):
                bench.teardown(*combo)
        return


def test_every_benchmarks_module_imports_as_asv_imports_it():
    """asv discovers benchmarks by importing every module of benchmarks/ as a
    package module (benchmarks.ratios, benchmarks.pywt_compare): the scripts
    there must import that way too, not only as scripts. In a subprocess, as
    pywt_compare.py sets OMP_NUM_THREADS when imported."""
    names = sorted(f[:-3] for f in os.listdir(BENCH_DIR) if f.endswith(".py") and f != "__init__.py")
    assert {"ratios", "pywt_compare"} <= set(names)
    code = "".join(f"import benchmarks.{n}\n" for n in names)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=subprocess_env(),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_there_are_benchmark_modules():
    assert any(os.path.basename(p).startswith("bench_") for p in bench_files())


def test_nine_ufuncs_found():
    # guards the two coverage tests below against an empty list
    assert len(public_ufuncs()) >= 9
    assert {"hardshrink", "softshrink", "tanhshrink"} <= set(public_functions())
    assert set(LAYERS) <= set(public_functions())
    assert NOT_TIMED <= set(public_functions())


@pytest.mark.parametrize("name", public_ufuncs())
def test_every_ufunc_is_benchmarked(name, timed_calls):
    called, _ = timed_calls
    assert name in called, (
        f"no timed benchmark method under benchmarks/ calls shrink.ufuncs.{name}")


@pytest.mark.parametrize("name", sorted(set(public_functions()) - NOT_TIMED))
def test_every_public_function_is_benchmarked(name, timed_calls):
    called, threads = timed_calls
    if name == "set_num_threads":
        assert threads > 1, "no timed benchmark call runs with shrink.set_num_threads(n > 1)"
    else:
        assert name in called, f"no timed benchmark method under benchmarks/ calls shrink.{name}"


def test_asv_conf():
    with open(ASV_CONF, encoding="utf-8") as f:
        conf = json.load(f)  # plain JSON: no comments, no trailing commas
    assert conf["version"] == 1
    assert conf["project"] == "shrink"
    assert conf["repo"] == "."
    assert conf["benchmark_dir"] == "benchmarks"
    assert os.path.isfile(os.path.join(ROOT, conf["benchmark_dir"], "__init__.py"))
    for key in ("results_dir", "html_dir", "env_dir"):
        assert conf[key].startswith(".asv"), key
    assert conf["environment_type"] == "virtualenv"


def test_each_benchmark_runs_once():
    ran = 0
    for mod in _benchmark_modules():
        for cname, cls in inspect.getmembers(mod, inspect.isclass):
            if cls.__module__ != mod.__name__ or cname.startswith("_"):
                continue
            methods = [m for m in dir(cls) if m.startswith(PREFIXES)]
            if not methods:
                continue
            params = getattr(cls, "params", None)
            combos = [_smallest(params)] if params else [()]
            # also the first combination that asv would not skip, if the smallest one is skipped
            if params:
                combos += list(itertools.islice(itertools.product(*params), 50))
            for combo in combos:
                bench = cls()
                try:
                    if hasattr(bench, "setup"):
                        bench.setup(*combo)
                except NotImplementedError:
                    continue  # asv's skip: an optional peer or a skipped size
                for m in methods:
                    getattr(bench, m)(*combo)
                    ran += 1
                break
    assert ran > 0
