"""Every build of the loops that this CPU can run: baseline (SSE2), x86-64-v3, x86-64-v4.

Only the best build is used in-process; each other one is loaded in a subprocess
with SHRINK_CPU_DISPATCH and must agree with the contract on its own: the
hard/soft family bit for bit with the in-process results (it is exact), the
tanhshrink family within SPEC §5 of mpmath. So the baseline path that users
without AVX2 run is tested here too.
"""

import os
import subprocess
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mp_oracle as O  # noqa: E402

import shrink  # noqa: E402
from shrink import _cpu  # noqa: E402

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
out = {"level": np.array(shrink.CPU_DISPATCH)}
for name in %(dtypes)r:
    dt = np.dtype(name)
    x = O.accuracy_points(dt)
    edges = np.array([0.5, -0.5, 0.0, -0.0, np.nan, np.inf, -np.inf, 0.25, 2.0], dt)
    xe = np.concatenate([edges, x[:: max(1, len(x) // 2000)]])
    g = np.linspace(-3, 3, len(xe)).astype(dt)
    res = {
        "tanhshrink": U.tanhshrink(x), "tanhshrink_grad": U.tanhshrink_grad(x),
        "hardshrink": U.hardshrink(xe, 0.5), "softshrink": U.softshrink(xe, 0.5),
        "hardshrink_grad": U.hardshrink_grad(xe, 0.5), "softshrink_grad": U.softshrink_grad(xe, 0.5),
        "hardshrink_backward": U.hardshrink_backward(g, xe, 0.5),
        "softshrink_backward": U.softshrink_backward(g, xe, 0.5),
    }
    out.update({name + "/" + k: v for k, v in res.items()})
np.savez(sys.argv[1], **out)
""" % {"dtypes": DTYPES}

HERE = os.path.dirname(os.path.abspath(__file__))


def supported_levels():
    features = _cpu._numpy_cpu_features()
    return [name for name, _, required in _cpu.LEVELS
            if all(features.get(f, False) for f in required)]


@pytest.fixture(scope="module", params=supported_levels())
def build(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("dispatch") / "results.npz"
    env = dict(os.environ, SHRINK_CPU_DISPATCH=request.param)
    subprocess.run([sys.executable, "-c", SCRIPT, str(path), HERE], env=env, check=True)
    with np.load(path) as results:
        return {key: results[key] for key in results.files}


def test_the_requested_build_is_used(build):
    assert str(build["level"]) in supported_levels()


@pytest.mark.parametrize("name", ["hardshrink", "softshrink", "hardshrink_grad",
                                  "softshrink_grad", "hardshrink_backward",
                                  "softshrink_backward"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_hard_soft_family_identical_in_every_build(build, name, dtype):
    dt = np.dtype(dtype)
    theirs = build[dtype + "/" + name]
    x = O.accuracy_points(dt)
    xe = np.concatenate([np.array([0.5, -0.5, 0.0, -0.0, np.nan, np.inf, -np.inf, 0.25, 2.0], dt),
                         x[:: max(1, len(x) // 2000)]])
    g = np.linspace(-3, 3, len(xe)).astype(dt)
    args = (g, xe, 0.5) if name.endswith("backward") else (xe, 0.5)
    ours = getattr(shrink.ufuncs, name)(*args)
    assert O.same_bits(theirs, ours), f"{build['level']} differs from {shrink.CPU_DISPATCH}"


@pytest.mark.parametrize("name", ["tanhshrink", "tanhshrink_grad"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_tanhshrink_family_accurate_in_every_build(build, name, dtype):
    dt = np.dtype(dtype)
    x = O.accuracy_points(dt)
    theirs = build[dtype + "/" + name]
    assert theirs.dtype == dt
    refs = O.tanhshrink_refs(x) if name == "tanhshrink" else O.tanhshrink_grad_refs(x)
    worst = float(np.max(O.ulp_errors(theirs, refs, dt)))
    assert worst <= O.tanh_bound(dt), f"{build['level']}: {name} {dtype} worst {worst:.3f} ULP"


def test_an_unknown_level_is_refused():
    env = dict(os.environ, SHRINK_CPU_DISPATCH="x86-64-v9")
    run = subprocess.run([sys.executable, "-c", "import shrink"], env=env,
                         capture_output=True, text=True)
    assert run.returncode != 0 and "SHRINK_CPU_DISPATCH must be one of" in run.stderr
