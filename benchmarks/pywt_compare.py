"""Every PyWavelets thresholding call beside its shrink equivalent: speed and agreement.

Usage::

    python benchmarks/pywt_compare.py [--n N]

Prints the README's "Coming from PyWavelets" table (markdown): for each
``pywt.threshold`` mode and ``pywt.threshold_firm``, the shrink call that gives
the same values, the time of both per element (one thread, min of interleaved
repeats, float64 and float32, N = 10**6 by default) and their ratio. Before
timing it checks that the two agree on the same data (values equal up to the
sign of zero, or within the ULPs pywt's own rounding costs for garrote/firm).
"""
import argparse
import os
import sys
import timeit

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pywt  # noqa: E402

try:
    import shrink  # noqa: E402
except ImportError:  # an in-place build in this checkout
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import shrink  # noqa: E402

try:  # asv imports this file as benchmarks.pywt_compare
    from .common import cpu_name
except ImportError:  # run as a script: benchmarks/ is sys.path[0]
    from common import cpu_name  # noqa: E402

LAMBD, LOW, HIGH = 0.5, 0.5, 1.5


def open_band(x, lambd):
    """pywt's hard mode keeps abs(x) == lambd: hardshrink just below lambd, in x's dtype."""
    return np.nextafter(np.asarray(lambd, x.dtype), 0)


ROWS = [
    ('pywt.threshold(x, v, "soft")', "shrink.softshrink(x, v)",
     lambda x: pywt.threshold(x, LAMBD, "soft"), lambda x: shrink.softshrink(x, LAMBD)),
    ('pywt.threshold(x, v, "hard")', "shrink.hardshrink(x, np.nextafter(np.asarray(v, x.dtype), 0))",
     lambda x: pywt.threshold(x, LAMBD, "hard"), lambda x: shrink.hardshrink(x, open_band(x, LAMBD))),
    ('pywt.threshold(x, v, "garrote")', "shrink.garrote(x, v)",
     lambda x: pywt.threshold(x, LAMBD, "garrote"), lambda x: shrink.garrote(x, LAMBD)),
    ('pywt.threshold(x, v, "greater")', "np.where(x < v, 0, x) (no shrinkage: plain NumPy)",
     lambda x: pywt.threshold(x, LAMBD, "greater"), lambda x: np.where(x < LAMBD, 0, x)),
    ('pywt.threshold(x, v, "less")', "np.where(x > v, 0, x) (plain NumPy)",
     lambda x: pywt.threshold(x, LAMBD, "less"), lambda x: np.where(x > LAMBD, 0, x)),
    ("pywt.threshold_firm(x, lo, hi)", "shrink.firm(x, lo, hi)",
     lambda x: pywt.threshold_firm(x, LOW, HIGH), lambda x: shrink.firm(x, LOW, HIGH)),
]


def agree(ours, theirs, dtype):
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.dtype == theirs.dtype == dtype, (ours.dtype, theirs.dtype)
    tol = 64 * np.finfo(dtype).eps  # pywt's garrote/firm cancel near the band edge
    assert np.allclose(ours, theirs, rtol=tol, atol=tol, equal_nan=True)


def best(f, number, repeat):
    return min(timeit.repeat(f, number=number, repeat=repeat)) / number


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=10**6)
    opts = p.parse_args(argv)
    rng = np.random.default_rng(20261130)
    print(f"CPU: {cpu_name()}; NumPy {np.__version__}, PyWavelets {pywt.__version__}, "
          f"shrink {shrink.__version__} ({shrink.CPU_DISPATCH}); N = {opts.n}, one thread\n")
    print("| PyWavelets | shrink | float64: pywt / shrink ns per element | float32 |")
    print("|---|---|---|---|")
    for pywt_call, shrink_call, theirs, ours in ROWS:
        cells = []
        for dtype in (np.float64, np.float32):
            x = (rng.standard_normal(opts.n) * 1.5).astype(dtype)
            with np.errstate(all="ignore"):
                agree(ours(x), theirs(x), dtype)
                t_pywt, t_ours = [], []
                for _ in range(7):  # interleaved: both see the same machine state
                    t_pywt.append(best(lambda: theirs(x), 3, 3))
                    t_ours.append(best(lambda: ours(x), 3, 3))
            a, b = min(t_pywt) / opts.n * 1e9, min(t_ours) / opts.n * 1e9
            cells.append(f"{a:.2f} / {b:.2f} ({a / b:.1f}x)")
        print(f"| `{pywt_call}` | `{shrink_call}` | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
