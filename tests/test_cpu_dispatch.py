"""Every build of the loops that this CPU can run: baseline (SSE2), x86-64-v3, x86-64-v4.

Only the best build is used in-process; each other one is loaded in a subprocess
with SHRINK_CPU_DISPATCH and must agree with the contract on its own: the
exact families (hard/soft, shrink) bit for bit with the in-process results,
garrote and firm within SPEC §7 of their exact Fraction values, the
tanhshrink family within SPEC §5 of mpmath. So the baseline path that users
without AVX2 run is tested here too.

Which levels this CPU has is read from /proc/cpuinfo (Linux), independently of
the package's own cpuid code; off Linux x86-64 the tests that need it skip.
"""

import importlib.util
import os
import platform
import shutil
import subprocess
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mp_oracle as O  # noqa: E402
from spec_cases import EXACT_NAMES, LAMBD_NAMES, args_for, assert_matches_reference  # noqa: E402

import shrink  # noqa: E402
from shrink import _cpu, _cpuid, _table, _ufuncs  # noqa: E402

DTYPES = ("float16", "float32", "float64", "longdouble")

# Computed in the subprocess: every ufunc on inputs mixing the band edges,
# specials and the tanhshrink accuracy points.
SCRIPT = r"""
import sys
import numpy as np
import shrink
from shrink import ufuncs as U
sys.path.insert(0, sys.argv[2])
import mp_oracle as O
from spec_cases import LAMBD_NAMES, args_for
out = {"level": np.array(shrink.CPU_DISPATCH)}
for name in %(dtypes)r:
    dt = np.dtype(name)
    x = O.accuracy_points(dt)
    edges = np.array([0.5, -0.5, 0.0, -0.0, np.nan, np.inf, -np.inf, 0.25, 2.0], dt)
    xe = np.concatenate([edges, x[:: max(1, len(x) // 2000)]])
    g = np.linspace(-3, 3, len(xe)).astype(dt)
    if name == "float32":  # and where the float32 kernels are weakest
        x = np.concatenate([x, O.f32_kernel_points()])
    res = {"tanhshrink": U.tanhshrink(x), "tanhshrink_grad": U.tanhshrink_grad(x)}
    res.update({n: getattr(U, n)(*args_for(n, xe, 0.5, g)) for n in LAMBD_NAMES})
    out.update({name + "/" + k: v for k, v in res.items()})
np.savez(sys.argv[1], **out)
""" % {"dtypes": DTYPES}

HERE = os.path.dirname(os.path.abspath(__file__))


# The x86-64 micro-architecture levels (x86-64 psABI) in Linux's names for the
# CPU flags; each level includes the one before.
CPUINFO_FLAGS = {
    "x86-64-v2": {"pni", "ssse3", "sse4_1", "sse4_2", "popcnt", "cx16", "lahf_lm"},
    "x86-64-v3": {"avx", "avx2", "fma", "f16c", "bmi1", "bmi2", "abm", "movbe"},
    "x86-64-v4": {"avx512f", "avx512cd", "avx512vl", "avx512bw", "avx512dq"},
}
ON_LINUX_X86_64 = sys.platform == "linux" and platform.machine() in ("x86_64", "AMD64")
needs_cpuinfo = pytest.mark.skipif(not ON_LINUX_X86_64,
                                   reason="/proc/cpuinfo flags: Linux on x86-64 only")


def cpuinfo_levels():
    """The levels this CPU supports by /proc/cpuinfo, best first ("baseline" last).
    The kernel lists AVX and AVX-512 only when it saves their registers."""
    with open("/proc/cpuinfo") as f:
        flags = next(line for line in f if line.startswith("flags")).split(":", 1)[1].split()
    have, needed = set(flags), set()
    if "lzcnt" in have:  # some kernels name LZCNT on its own
        have.add("abm")
    levels = ["baseline"]
    for level, more in CPUINFO_FLAGS.items():
        needed |= more
        if not needed <= have:
            break
        if level != "x86-64-v2":  # no build of its own: v2 is part of v3
            levels.insert(0, level)
    return levels


def supported_levels():
    """The builds to compare: from /proc/cpuinfo on Linux x86-64; elsewhere the
    package's own reading, which only chooses what to run here, asserts nothing."""
    if ON_LINUX_X86_64:
        return cpuinfo_levels()
    features = _cpu.cpu_features()
    return [name for name, _, required in _cpu.LEVELS
            if all(features.get(f, False) for f in required)]


def _import_shrink(env_changes=(), path=None, code="import shrink; print(shrink.CPU_DISPATCH)"):
    """Run `code` in a fresh interpreter, with SHRINK_CPU_DISPATCH unset unless given."""
    env = {k: v for k, v in os.environ.items() if k != "SHRINK_CPU_DISPATCH"}
    env.update(env_changes)
    if path is not None:
        env["PYTHONPATH"] = path
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, cwd=path)


@pytest.fixture(scope="module", params=supported_levels())
def build(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("dispatch") / "results.npz"
    env = dict(os.environ, SHRINK_CPU_DISPATCH=request.param)
    subprocess.run([sys.executable, "-c", SCRIPT, str(path), HERE], env=env, check=True)
    with np.load(path) as results:
        out = {key: results[key] for key in results.files}
    out["requested"] = request.param
    return out


def test_the_requested_build_is_used(build):
    assert str(build["level"]) == build["requested"]


@needs_cpuinfo
def test_cpu_dispatch_is_the_best_level_of_the_cpu():
    # The same on every NumPy: the package asks the CPU, not NumPy's feature
    # list (whose names differ between releases).
    run = _import_shrink()
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == cpuinfo_levels()[0], run.stderr
    assert "Warning" not in run.stderr


@needs_cpuinfo
def test_a_supported_build_that_fails_to_import_is_a_runtime_warning(tmp_path):
    # A copy of the installed package with the best build's module replaced by
    # a file the loader rejects: the import goes on with the next level, loudly.
    levels = cpuinfo_levels()
    if len(levels) < 2:
        pytest.skip("this CPU has only the baseline level: nothing to fall back to")
    package = os.path.dirname(shrink.__file__)
    shutil.copytree(package, tmp_path / "shrink",
                    ignore=shutil.ignore_patterns("__pycache__"))
    module = "shrink." + dict((n, m) for n, m, _ in _cpu.LEVELS)[levels[0]]
    broken = tmp_path / os.path.relpath(importlib.util.find_spec(module).origin,
                                        os.path.dirname(package))
    broken.write_bytes(b"not a shared object\n")
    run = _import_shrink(path=str(tmp_path), code="import shrink; print(shrink.__file__); "
                                                  "print(shrink.CPU_DISPATCH)")
    assert run.returncode == 0, run.stderr
    where, level = run.stdout.split()
    assert where.startswith(str(tmp_path)) and level == levels[1]
    assert "RuntimeWarning" in run.stderr and module in run.stderr
    # the loader's own message names the file it could not load
    assert str(broken) in run.stderr, run.stderr


@pytest.mark.parametrize("name", EXACT_NAMES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_exact_families_identical_in_every_build(build, name, dtype):
    theirs, xe, g = _threshold_results(build, name, dtype)
    ours = getattr(shrink.ufuncs, name)(*args_for(name, xe, 0.5, g))
    assert O.same_bits(theirs, ours), f"{build['level']} differs from {shrink.CPU_DISPATCH}"


@pytest.mark.parametrize("name", [n for n in LAMBD_NAMES if n not in EXACT_NAMES])
@pytest.mark.parametrize("dtype", DTYPES)
def test_garrote_firm_within_their_bound_in_every_build(build, name, dtype):
    """Not one rounded operation: each build within SPEC §7 of the exact value
    (the edges and every 10th point)."""
    theirs, xe, g = _threshold_results(build, name, dtype)
    some = np.r_[:9, 9:xe.size:10]
    assert_matches_reference(theirs[some], name, xe[some], 0.5, g[some], np.dtype(dtype),
                             msg=f"{build['level']} {name}")


def _threshold_results(build, name, dtype):
    """The build's result for name and the operands the script gave it."""
    dt = np.dtype(dtype)
    x = O.accuracy_points(dt)
    xe = np.concatenate([np.array([0.5, -0.5, 0.0, -0.0, np.nan, np.inf, -np.inf, 0.25, 2.0], dt),
                         x[:: max(1, len(x) // 2000)]])
    g = np.linspace(-3, 3, len(xe)).astype(dt)
    return build[dtype + "/" + name], xe, g


@pytest.mark.parametrize("name", ["tanhshrink", "tanhshrink_grad"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_tanhshrink_family_accurate_in_every_build(build, name, dtype):
    dt = np.dtype(dtype)
    x = O.accuracy_points(dt)
    if dtype == "float32":
        x = np.concatenate([x, O.f32_kernel_points()])
    theirs = build[dtype + "/" + name]
    assert theirs.dtype == dt
    refs = O.tanhshrink_refs(x) if name == "tanhshrink" else O.tanhshrink_grad_refs(x)
    worst = float(np.max(O.ulp_errors(theirs, refs, dt)))
    # float32: the build's own exhaustively measured worst, below SPEC §5's bound
    bound = O.F32_KERNEL_BOUNDS[name][str(build["level"])] if dtype == "float32" else O.tanh_bound(dt)
    assert worst <= bound, f"{build['level']}: {name} {dtype} worst {worst:.3f} ULP"


def test_an_unknown_level_is_refused():
    env = dict(os.environ, SHRINK_CPU_DISPATCH="x86-64-v9")
    run = subprocess.run([sys.executable, "-c", "import shrink"], env=env,
                         capture_output=True, text=True)
    assert run.returncode != 0 and "SHRINK_CPU_DISPATCH must be one of" in run.stderr


def cpuinfo_vendor():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("vendor_id"):
                return line.split(":", 1)[1].strip()
    return ""


@needs_cpuinfo
def test_the_cpu_vendor_comes_from_cpuid():
    assert _cpuid.x86_vendor() == cpuinfo_vendor()


def test_the_read_blocks_setting_is_chosen_for_the_cpu():
    # Intel: large contiguous inputs of the compute-bound loops are copied
    # through stack blocks; AMD: read in the kernel loop (shrink/_cpu.py).
    loops = _ufuncs.REAL_LOOPS
    chosen = loops.set_read_blocks(True)
    loops.set_read_blocks(chosen)
    assert chosen == (_cpu.cpu_vendor() != "AuthenticAMD")


COMPUTE_BOUND = [u.name for u in _table.UFUNCS if u.compute_bound]


@pytest.mark.parametrize("name", COMPUTE_BOUND)
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_reading_through_blocks_or_not_gives_the_same_bits(name, dtype):
    # Both ways of reading a large contiguous input (several 1024-element blocks
    # and a partial one) run the same kernel on every element.
    dt = np.dtype(dtype)
    points = O.accuracy_points(dt)
    specials = np.array([0.0, -0.0, np.nan, np.inf, -np.inf, 1.0, -1.0], dt)
    x = np.resize(np.concatenate([specials, points, -points]), 3 * 8192 + 5)
    g = np.resize(np.linspace(-3, 3, 1001).astype(dt), x.size)
    f = getattr(shrink.ufuncs, name)
    loops = _ufuncs.REAL_LOOPS
    previous = loops.set_read_blocks(True)
    try:
        with np.errstate(all="raise", under="ignore"):  # x**3 underflows near 0
            blocked = f(*args_for(name, x, 0.5, g))
        loops.set_read_blocks(False)
        with np.errstate(all="raise", under="ignore"):  # x**3 underflows near 0
            plain = f(*args_for(name, x, 0.5, g))
    finally:
        loops.set_read_blocks(previous)
    assert blocked.dtype == dt
    np.testing.assert_array_equal(blocked.view(f"u{dt.itemsize}"), plain.view(f"u{dt.itemsize}"))
