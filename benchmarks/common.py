"""Shared inputs and parameter lists for the shrink benchmarks.

Every benchmark builds its inputs in ``setup`` through :func:`make_case`, from a
seeded generator, so all modules time the same data. The conventions follow
numpy's ``benchmarks/benchmarks/bench_ufunc*.py``: classes parametrized over
function x dtype x size x layout (x lambda), one call per ``time_*`` method,
results written with ``out=``.

Skipped combinations raise ``NotImplementedError`` in ``setup`` (asv's skip).
"""
import platform

import numpy as np

import shrink.ufuncs as su
from shrink._table import DECLARED, EXAMPLES, UFUNCS

SEED = 20261123
LAMBD = 0.5
# The value each threshold parameter is benchmarked with: its example in the table.
PARAM_VALUES = EXAMPLES

# ufunc names by kind, from the table (shrink/_table.py): the families that
# memory limits (hard/soft and the SPEC section 7 ones; reference np.negative /
# np.add) and those the kernel limits (tanhshrink; reference np.tanh).
def _names(kind, compute_bound):
    return [u.name for u in UFUNCS if u.kind == kind and u.compute_bound == compute_bound]


HARDSOFT_FORWARD = _names("forward", False)
HARDSOFT_GRAD = _names("grad", False)
HARDSOFT_BACKWARD = _names("backward", False)
TANH_FORWARD = _names("forward", True)
TANH_GRAD = _names("grad", True)
TANH_BACKWARD = _names("backward", True)
ALL_UFUNCS = [u.name for u in UFUNCS]
TAKES_LAMBD = {u.name for u in UFUNCS if u.params}  # any threshold parameter
TAKES_GRAD = {u.name for u in UFUNCS if u.kind == "backward"}


def param_values(name):
    """The threshold arguments of ``name``, in call order (Python floats)."""
    return tuple(PARAM_VALUES[p.name] for p in DECLARED[name].params)

REAL = ["float16", "float32", "float64"]
COMPLEX = ["complex64", "complex128"]
SIZES = [10**3, 10**5, 10**7]
LAYOUTS = ["contiguous", "strided", "transposed"]
LAMBDAS = ["scalar", "array"]

BIG = 10**7
BIG_DTYPES = ("float32", "float64")


def skip_unless(cond, why="combination not benchmarked"):
    if not cond:
        raise NotImplementedError(why)


def check_size(n, dtype, layout):
    """10**7 only for contiguous float32/float64 (keeps ``--quick`` short)."""
    if n >= BIG:
        skip_unless(layout == "contiguous" and dtype in BIG_DTYPES,
                    "10**7 only for contiguous float32/float64")


def _random(rng, dtype, shape, scale=1.5):
    """Normal(0, scale) samples of ``dtype``, without temporaries of another
    dtype for float32/float64 (so that peakmem measures the call, not setup)."""
    dt = np.dtype(dtype)
    if dt.kind == "c":
        a = np.empty(shape, dt)
        a.real = _random(rng, a.real.dtype, shape, scale)
        a.imag = _random(rng, a.real.dtype, shape, scale)
        return a
    if dt in (np.float32, np.float64):
        a = np.empty(shape, dt)
        rng.standard_normal(dtype=dt, out=a)
        a *= scale
        return a
    return _random(rng, np.float32, shape, scale).astype(dt)


def _view(a_full, layout, n):
    """Return an n-element view of ``a_full`` (2n elements) in ``layout``."""
    if layout == "contiguous":
        return a_full[:n]
    if layout == "strided":
        return a_full[: 2 * n : 2]
    if layout == "transposed":
        # a transposed 2-D view (Fortran-ordered); the output stays C-ordered,
        # so the inner loop really sees a non-unit stride on one operand
        rows = 1 << (int(np.log2(n)) // 2)
        cols = n // rows
        return a_full[: rows * cols].reshape(rows, cols).T
    raise ValueError(layout)


def make_array(dtype, n, layout, seed_offset=0, scale=1.5):
    rng = np.random.default_rng(SEED + seed_offset)
    full = _random(rng, dtype, 2 * n if layout == "strided" else n, scale)
    return _view(full, layout, n)


def make_out(dtype, like, layout):
    if layout == "strided":
        return np.empty(2 * like.shape[0], dtype=dtype)[::2]
    return np.empty(like.shape, dtype=dtype)  # C order (also for "transposed")


def make_lambd(dtype, like, kind):
    """A Python float, or a per-element real array broadcasting like ``like``."""
    if kind == "scalar":
        return LAMBD
    rng = np.random.default_rng(SEED + 7)
    real = np.empty(0, dtype=dtype).real.dtype
    lam = rng.uniform(0.25, 0.75, size=like.shape).astype(real)
    return lam


def make_case(name, dtype, n, layout, lambd="scalar"):
    """Inputs, ``out`` and the ufunc for one benchmark row.

    Returns ``(ufunc, args, out)`` where ``ufunc(*args, out=out)`` is the call.
    """
    x = make_array(dtype, n, layout)
    args = [x]
    if name in TAKES_GRAD:
        g = make_array(dtype, n, layout, seed_offset=1, scale=1.0)
        args = [g, x]
    for value in param_values(name):
        # an array of thresholds: the benchmarked value, varied per element
        args.append(value if lambd == "scalar" else make_lambd(dtype, x, lambd) * (value / LAMBD))
    out = make_out(dtype, x, layout)
    return getattr(su, name), tuple(args), out


class ReferenceInputs:
    """What the SPEC section 6 reference benchmarks time on: x (and g, for
    the backwards' ``np.add(g, x)``) and an ``out=`` of each dtype, size and
    layout, as the shrink benchmarks have them."""
    timeout = 120
    repeat = (3, 20, 10.0)
    params = [REAL + COMPLEX, SIZES, LAYOUTS]
    param_names = ["dtype", "N", "layout"]

    def setup(self, dtype, n, layout):
        check_size(n, dtype, layout)
        self.x = make_array(dtype, n, layout)
        self.g = make_array(dtype, n, layout, seed_offset=1, scale=1.0)
        self.out = make_out(dtype, self.x, layout)


def cpu_name():
    """The CPU's model name (/proc/cpuinfo), or what platform knows of it: the
    scripts print it beside every figure they measure."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()
