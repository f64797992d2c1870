"""shrink's types: `mypy --strict` accepts ordinary user code and rejects misuse.

Runs mypy on examples/typed_usage.py, on probes of the revealed types and on
misuse that must be flagged, on the package itself, and mypy.stubtest on the
stubs of the compiled modules and of _functions.py against the runtime objects.
Against the checkout when shrink is imported from it, otherwise against the
installed package (which then must ship py.typed and the .pyi files).
mypy is in the test extras (tests/optional.py: a skip without it, a failure under CI).
"""

import importlib.util
import os
import pathlib
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from optional import require  # noqa: E402

require("mypy")

import shrink  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "typed_usage.py"
CONFIG = ROOT / "pyproject.toml"  # [tool.mypy]: strict, and what is not checked yet
PACKAGE = pathlib.Path(shrink.__file__).resolve().parent
FROM_CHECKOUT = PACKAGE == ROOT / "shrink"

# Each line is `expression  # expected revealed type` (a regular expression).
PROBES = """\
import numpy as np
from numpy.typing import NDArray
import shrink
from shrink import ufuncs

x64: NDArray[np.float64] = np.linspace(-3.0, 3.0, 7, dtype=np.float64)
x32: NDArray[np.float32] = x64.astype(np.float32)
out32: NDArray[np.float32] = np.empty_like(x32)
container: object = object()
reveal_type(shrink.softshrink(x64))  # numpy.ndarray\\[.*numpy.dtype\\[numpy.float64\\]\\]$
reveal_type(shrink.hardshrink_backward(x64, x64, 0.1))  # numpy.ndarray\\[.*numpy.dtype\\[numpy.float64\\]\\]$
reveal_type(shrink.tanhshrink_grad(x64))  # numpy.ndarray\\[.*numpy.dtype\\[numpy.float64\\]\\]$
reveal_type(shrink.softshrink(x32, 0.5))  # numpy.ndarray\\[.*numpy.dtype\\[Any\\]\\]$
reveal_type(shrink.softshrink(x64, np.float32(0.5)))  # numpy.ndarray\\[.*numpy.dtype\\[Any\\]\\]$
reveal_type(shrink.softshrink(x64, dtype=np.float32))  # numpy.ndarray\\[.*numpy.dtype\\[Any\\]\\]$
reveal_type(shrink.softshrink([1.0, 2.0], [0.5, 3.0]))  # numpy.ndarray\\[.*numpy.dtype\\[Any\\]\\]$
reveal_type(shrink.softshrink(2.0, [0.5, 3.0]))  # numpy.ndarray\\[.*numpy.dtype\\[Any\\]\\]$
reveal_type(shrink.softshrink(x32, 0.5, out=out32))  # numpy.ndarray\\[.*numpy.dtype\\[numpy.float(32|ing\\[.*32Bit\\])\\]\\]$
reveal_type(shrink.softshrink(x32, 0.5, out=(out32,)))  # numpy.ndarray\\[.*numpy.dtype\\[numpy.float(32|ing\\[.*32Bit\\])\\]\\]$
reveal_type(shrink.softshrink(2.0))  # numpy.float64$
reveal_type(shrink.softshrink(2, 1))  # numpy.float64$
reveal_type(shrink.softshrink(2.0, where=x64 > 0))  # Any$
reveal_type(shrink.softshrink(np.float32(2.0), 0.5))  # numpy.floating\\[Any\\]$
reveal_type(shrink.hardshrink_grad(np.float16(2.0)))  # numpy.floating\\[Any\\]$
reveal_type(shrink.tanhshrink(np.complex64(2.0)))  # numpy.inexact\\[Any
reveal_type(shrink.softshrink(2.0 + 1.0j))  # Union\\[numpy.float64, numpy.complex128\\]$|numpy.float64 \\| numpy.complex128$
reveal_type(shrink.softshrink_backward(1.0, 2.0))  # numpy.float64$
reveal_type(shrink.hardshrink(x64.tolist()))  # Any$
reveal_type(ufuncs.softshrink)  # numpy.ufunc$
reveal_type(ufuncs.tanhshrink_backward)  # numpy.ufunc$
reveal_type(ufuncs.softshrink.outer)  # def
reveal_type(shrink.CPU_DISPATCH)  # Literal\\['x86-64-v4'\\]
reveal_type(shrink.set_num_threads(2))  # ^(builtins\\.)?int$
"""

# Each line must be flagged by mypy with an error code matching the one after `#`
# (mypy names the mismatched argument when one overload is the clear candidate).
MISUSE = """\
import numpy as np
from numpy.typing import NDArray
import shrink
from shrink import ufuncs

x: NDArray[np.float64] = np.zeros(3)
shrink.softshrink(x, "0.5")  # call-overload|arg-type
shrink.hardshrink(x, lambd=None)  # call-overload
shrink.softshrink_grad(x, 1 + 2j)  # call-overload
shrink.softshrink(x, 0.5, outt=x)  # call-overload
shrink.softshrink(x, 0.5, casting="sometimes")  # call-overload
shrink.tanhshrink(x, 0.5)  # call-overload
shrink.hardshrink_backward(x)  # call-overload
not_text: str = shrink.softshrink(x)  # assignment
ufuncs.softshrink.not_a_ufunc_attribute  # attr-defined
shrink.set_num_threads("2")  # arg-type
"""


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    """A directory for the files and the cache of every mypy run here: a cold run
    costs seconds, mostly in numpy's stubs; the later runs reuse the cache."""
    return tmp_path_factory.mktemp("typing")


def _run_mypy(scratch, *targets):
    cwd = ROOT if FROM_CHECKOUT else scratch  # from scratch, mypy finds the installed one
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(CONFIG),
         "--cache-dir", str(scratch / "mypy_cache"), "--show-error-codes",
         "--no-error-summary", "--no-pretty", "--hide-error-context", *targets],
        cwd=cwd, capture_output=True, text=True)


def _messages(output, path):
    """(line, severity, text) of each mypy message about path."""
    found = []
    for line in output.splitlines():
        m = re.match(r"(.+?):(\d+): (error|note): (.*)$", line)
        if m and pathlib.Path(m[1]).name == path.name:
            found.append((int(m[2]), m[3], m[4]))
    return found


@pytest.fixture(scope="module")
def mypy_run(scratch):
    """One mypy run over the user code: the example, the probes and the misuse."""
    probes, misuse = scratch / "probes.py", scratch / "misuse.py"
    probes.write_text(PROBES)
    misuse.write_text(MISUSE)
    run = _run_mypy(scratch, str(EXAMPLE), str(probes), str(misuse))
    # 1: errors found (the misuse); 2 would be a crash or a bad command line
    assert run.returncode == 1 and not run.stderr, run.stdout + run.stderr
    return run.stdout + run.stderr, probes, misuse


def test_typed_example_passes_mypy_strict(mypy_run):
    output, _, _ = mypy_run
    assert _messages(output, EXAMPLE) == []


def test_the_package_passes_mypy_strict(scratch):
    # -p, not a path: a path into site-packages would make it a source root
    run = _run_mypy(scratch, "-p", "shrink")
    assert run.returncode == 0, run.stdout + run.stderr


def test_revealed_types_are_as_documented(mypy_run):
    output, probes, _ = mypy_run
    revealed = {line: text for line, severity, text in _messages(output, probes)}
    errors = [m for m in _messages(output, probes) if m[1] == "error"]
    assert errors == []
    for number, source in enumerate(PROBES.splitlines(), start=1):
        if not source.startswith("reveal_type("):
            continue
        expected = source.split("  # ", 1)[1]
        if ".outer" in source and not NUMPY_2_2:
            expected = "^Any$"  # NumPy < 2.2's stubs type ufunc.outer as Any
        text = revealed.get(number, "")
        assert text.startswith("Revealed type is "), (source, text)
        assert re.search(expected, _numpy_2_2_spelling(
            text.removeprefix("Revealed type is ").strip('"'))), (source, text)


NUMPY_2_2 = tuple(int(v) for v in np.__version__.split(".")[:2]) >= (2, 2)


def _numpy_2_2_spelling(revealed):
    """NumPy < 2.2's stubs spell float64 as floating[_64Bit] (an alias of the same
    type, as mypy shows it); the documented types use the newer names."""
    return (revealed
            .replace("numpy.complexfloating[numpy._typing._64Bit, numpy._typing._64Bit]",
                     "numpy.complex128")
            .replace("numpy.floating[numpy._typing._64Bit]", "numpy.float64"))


def test_misuse_is_flagged(mypy_run):
    output, _, misuse = mypy_run
    codes = {line: re.search(r"\[([a-z-]+)\]$", text)[1]
             for line, severity, text in _messages(output, misuse) if severity == "error"}
    expected = {number: source.split("  # ", 1)[1]
                for number, source in enumerate(MISUSE.splitlines(), start=1) if "  # " in source}
    assert codes.keys() == expected.keys()
    for number, code in codes.items():
        assert re.fullmatch(expected[number], code), (MISUSE.splitlines()[number - 1], code)


def test_stubs_match_the_runtime(scratch):
    """mypy.stubtest: every name, parameter and default of the stubs (the compiled
    modules' and _functions.pyi) exists at run time, and nothing public is missing."""
    allowlist = scratch / "allowlist.txt"
    allowlist.write_text("shrink\\.[a-z0-9_]+\\.__test__\n")  # Cython's doctest table
    env = dict(os.environ, MYPY_CACHE_DIR=str(scratch / "mypy_cache"))
    run = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "--mypy-config-file", str(CONFIG),
         "--allowlist", str(allowlist), "shrink"],
        cwd=ROOT if FROM_CHECKOUT else scratch, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_package_ships_its_types():
    for name in ("py.typed", "_functions.pyi", "_ufuncs.pyi", "_loops_baseline.pyi"):
        assert (PACKAGE / name).is_file(), name


def test_typed_example_runs():
    spec = importlib.util.spec_from_file_location("typed_usage", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main()
