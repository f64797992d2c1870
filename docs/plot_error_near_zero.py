#!/usr/bin/env python3
"""Plot ULP error of tanhshrink against |x| (1e-10 .. 10, log axis) for shrink,
PyTorch (if importable) and the NumPy composite ``x - np.tanh(x)``, in float32 and
float64, measured against mpmath (tests/mp_oracle.py).  Writes
docs/error_near_zero.png.

    pip install matplotlib        # dev-only; not a dependency of shrink
    python docs/plot_error_near_zero.py [--out docs/error_near_zero.png]
"""

import argparse
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
sys.path.insert(0, os.path.join(HERE, ".."))
import mp_oracle as O  # noqa: E402

FLOOR = 1e-3  # errors below this are drawn at the floor (log axis)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(HERE, "error_near_zero.png"))
    ap.add_argument("--n", type=int, default=1500)
    args = ap.parse_args(argv)

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import shrink

    try:
        import torch
        import torch.nn.functional as F

        torch.set_num_threads(1)
    except Exception:
        torch = None

    rng = np.random.default_rng(20261123)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    for ax, dt in zip(axes, (np.float32, np.float64)):
        x = np.sort(np.exp(rng.uniform(np.log(1e-10), np.log(10.0), args.n))).astype(dt)
        refs = O.tanhshrink_refs(x)
        curves = [("shrink", shrink.ufuncs.tanhshrink(x), "C0", 3.0)]
        if torch is not None:
            curves.append((f"PyTorch {torch.__version__.split('+')[0]}",
                           F.tanhshrink(torch.from_numpy(x)).numpy(), "C3", 1.5))
        curves.append(("x - np.tanh(x)", x - np.tanh(x), "C2", 1.0))
        for label, y, color, size in curves:
            e = np.maximum(O.ulp_errors(y, refs, np.dtype(dt)), FLOOR)
            ax.scatter(x, e, s=size, color=color, label=f"{label} (max {e.max():.3g})", alpha=0.7)
        bound = O.tanh_bound(dt)
        ax.axhline(bound, color="k", lw=0.8, ls="--", label=f"SPEC bound {bound:g} ULP")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(1e-10, 10)
        ax.set_title(f"tanhshrink, {np.dtype(dt).name}")
        ax.set_xlabel("|x|")
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=8, loc="upper right", markerscale=4)
    axes[0].set_ylabel(f"error in ULP vs mpmath (floor {FLOOR:g})")
    fig.suptitle("tanhshrink error near 0: x - tanh(x) cancels, the true value is ~x**3/3")
    fig.tight_layout()
    fig.savefig(args.out, dpi=110)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
