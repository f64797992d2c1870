"""Every public ufunc and function of shrink has an asv benchmark.

The benchmark suite lives in ``benchmarks/`` (asv, configured by
``asv.conf.json`` at the repository top). These tests read the benchmark files
as text (ast), so they need no asv; the last one also runs each benchmark once
on its smallest parameters, so a broken benchmark fails here, not only in
``asv run --quick``.
"""
import ast
import importlib
import inspect
import itertools
import json
import os
import sys

import numpy as np
import pytest

import shrink
import shrink.ufuncs

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_DIR = os.path.join(ROOT, "benchmarks")
ASV_CONF = os.path.join(ROOT, "asv.conf.json")

pytestmark = pytest.mark.skipif(
    not os.path.isdir(BENCH_DIR), reason="benchmarks/ not in this tree (installed package?)")


def bench_files():
    """The benchmark modules: bench_*.py plus common.py, which holds the name lists."""
    names = sorted(f for f in os.listdir(BENCH_DIR)
                   if f.endswith(".py") and (f.startswith("bench_") or f == "common.py"))
    return [os.path.join(BENCH_DIR, f) for f in names]


def names_in_benchmarks():
    """Every identifier, attribute name and string constant in the benchmark files,
    and every string parameter value of a benchmark class (the lists of names
    that benchmarks/common.py takes from shrink/_table.py)."""
    found = set()
    for mod in _benchmark_modules():
        for _, cls in inspect.getmembers(mod, inspect.isclass):
            for values in getattr(cls, "params", None) or []:
                found.update(v for v in values if isinstance(v, str))
    for path in bench_files():
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read(), filename=path)
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                found.add(node.id)
            elif isinstance(node, ast.Attribute):
                found.add(node.attr)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


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


def test_there_are_benchmark_modules():
    assert any(os.path.basename(p).startswith("bench_") for p in bench_files())


def test_nine_ufuncs_found():
    # guards the two coverage tests below against an empty list
    assert len(public_ufuncs()) >= 9
    assert {"hardshrink", "softshrink", "tanhshrink"} <= set(public_functions())


@pytest.mark.parametrize("name", public_ufuncs())
def test_every_ufunc_is_benchmarked(name):
    assert name in names_in_benchmarks(), (
        f"shrink.ufuncs.{name} is named in no benchmark module under benchmarks/")


@pytest.mark.parametrize("name", public_functions())
def test_every_public_function_is_benchmarked(name):
    assert name in names_in_benchmarks(), (
        f"shrink.{name} is named in no benchmark module under benchmarks/")


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


def _benchmark_modules():
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    mods = []
    for path in bench_files():
        name = os.path.splitext(os.path.basename(path))[0]
        if name.startswith("bench_"):
            mods.append(importlib.import_module(f"benchmarks.{name}"))
    return mods


def _smallest(params):
    """First value of each parameter list, smallest number where there are numbers."""
    return tuple(min(p) if all(isinstance(v, int) for v in p) else p[0] for p in params)


PREFIXES = ("time_", "peakmem_", "track_", "mem_")


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
