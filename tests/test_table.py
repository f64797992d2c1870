"""Everything follows from shrink/_table.py (issue 14): each declared function
has its loops, both docstrings, its stub overloads, its layer object, a
benchmark and a README row; the generated files are up to date."""

import ast
import inspect
import os
import pathlib
import pickle
import re
import sys

import numpy as np
import pytest

import shrink
from shrink import _table, ufuncs

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = pathlib.Path(shrink.__file__).resolve().parent
FROM_CHECKOUT = PACKAGE == ROOT / "shrink"
NAMES = [u.name for u in _table.UFUNCS]


def _signature_text(u):
    """How the README and the docs write the call: name(x, lambd=0.5)."""
    args = list(u.arrays) + [p.name if p.default is None else f"{p.name}={p.default!r}"
                             for p in u.params]
    return f"{u.name}({', '.join(args)})"


def test_families_make_three_functions_each():
    assert len(NAMES) == 3 * len(_table.FAMILIES) == len(set(NAMES))
    for f in _table.FAMILIES:
        assert [f"{f.name}", f"{f.name}_grad", f"{f.name}_backward"] == [
            f.ufunc(k).name for k in _table.KINDS]


@pytest.mark.parametrize("name", NAMES)
def test_loops(name):
    u = _table.DECLARED[name]
    raw = getattr(ufuncs, name)
    assert isinstance(raw, np.ufunc) and raw.__name__ == name
    assert raw.nin == len(u.operands) and raw.nout == 1
    assert raw.types == u.types()
    # named by shrink.ufuncs: its __module__ from NumPy 2.2, before that the
    # reducer shrink.ufuncs registers (tests/test_pickle.py)
    assert getattr(raw, "__module__", "shrink.ufuncs") == "shrink.ufuncs"
    assert pickle.loads(pickle.dumps(raw)) is raw


@pytest.mark.parametrize("name", NAMES)
def test_public_function(name):
    u = _table.DECLARED[name]
    f = getattr(shrink, name)
    assert name in shrink.__all__ and name in ufuncs.__all__
    params = inspect.signature(f).parameters
    assert list(params)[:u.nin] == list(u.operands)
    for p in u.params:
        expected = inspect.Parameter.empty if p.default is None else p.default
        assert params[p.name].default == expected
    assert list(params)[u.nin:] == ["out", "where", "casting", "order", "dtype", "subok"]
    assert f.__module__ == "shrink._functions"


@pytest.mark.parametrize("name", NAMES)
def test_docstrings(name):
    u = _table.DECLARED[name]
    doc = getattr(shrink, name).__doc__
    assert "{" not in doc.split("Examples")[0], "a placeholder was left unfilled"
    assert "\nExamples\n--------\n>>> " in doc
    for p in u.params:
        assert f"\n{p.name} : " in doc, f"{name}'s docstring does not describe {p.name}"
    raw = getattr(ufuncs, name).__doc__
    assert f"{name}({', '.join(u.operands)}, /" in raw


@pytest.mark.skipif(not FROM_CHECKOUT, reason="the generator runs from the checkout")
def test_generated_files_are_up_to_date():
    sys.path.insert(0, str(ROOT / "shrink"))
    try:
        import _generate
    finally:
        sys.path.remove(str(ROOT / "shrink"))
    for filename, text in _generate.generated_files().items():
        on_disk = (ROOT / "shrink" / filename).read_text()
        assert on_disk == text, f"shrink/{filename} is stale: run python shrink/_generate.py"


@pytest.mark.parametrize("name", NAMES)
def test_stub(name):
    stub = (PACKAGE / "_functions.pyi").read_text()
    u = _table.DECLARED[name]
    overloads = re.findall(rf"@overload\ndef {name}\(\n((?:    .*\n)+?)\) ->", stub)
    assert len(overloads) >= 5
    for body in overloads:
        names = re.findall(r"^    (\w+):", body.split("    *,")[0], re.M)
        assert names == list(u.operands), body
    assert f"{name}: np.ufunc" in (PACKAGE / "ufuncs.pyi").read_text()


@pytest.mark.parametrize("family", _table.FAMILIES, ids=lambda f: f.name)
def test_layer_object(family):
    cls = getattr(shrink, family.layer)
    assert family.layer in shrink.__all__
    params = inspect.signature(cls).parameters
    assert list(params) == list(family.param_names)
    values = [0.25 * (i + 1) for i in range(len(family.params))]
    layer = cls(*values)
    for p, v in zip(family.params, values):
        assert getattr(layer, p.name) == v
    x = np.linspace(-2.0, 2.0, 9)
    g = np.linspace(1.0, 3.0, 9)
    np.testing.assert_array_equal(layer(x), getattr(shrink, family.name)(x, *values))
    np.testing.assert_array_equal(layer.grad(x), getattr(shrink, family.name + "_grad")(x, *values))
    np.testing.assert_array_equal(layer.backward(g, x),
                                  getattr(shrink, family.name + "_backward")(g, x, *values))
    assert eval(repr(layer), {family.layer: cls}) == layer
    assert f"class {family.layer}(_Layer)" in (PACKAGE / "_layers.pyi").read_text()


BENCH = ROOT / "benchmarks"


def _benchmarked():
    """Every string that is a parameter value of a benchmark class."""
    sys.path.insert(0, str(ROOT))
    try:
        import importlib
        found = set()
        for path in BENCH.glob("bench_*.py"):
            mod = importlib.import_module(f"benchmarks.{path.stem}")
            for _, cls in inspect.getmembers(mod, inspect.isclass):
                for values in getattr(cls, "params", None) or []:
                    found.update(v for v in values if isinstance(v, str))
        return found
    finally:
        sys.path.remove(str(ROOT))


@pytest.mark.skipif(not BENCH.is_dir(), reason="benchmarks/ not in this tree")
def test_every_function_is_benchmarked():
    benchmarked = _benchmarked()
    missing = [n for n in NAMES if n not in benchmarked]
    assert not missing, f"no benchmark class has these as a parameter value: {missing}"
    assert {f.layer for f in _table.FAMILIES} <= benchmarked


@pytest.mark.skipif(not (ROOT / "README.md").is_file(), reason="README.md not in this tree")
@pytest.mark.parametrize("name", NAMES)
def test_readme_row(name):
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## The functions\n", 1)[1].split("\n#", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    first_cells = [row.split(" | ")[0] for row in rows]
    assert any(f"`{_signature_text(_table.DECLARED[name])}`" in cell for cell in first_cells), (
        f"README's function table has no row for `{_signature_text(_table.DECLARED[name])}`")
