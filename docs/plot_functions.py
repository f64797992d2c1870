#!/usr/bin/env python3
"""Plot hardshrink, softshrink and tanhshrink and their derivatives, computed with
shrink itself (lambd = 0.5, x in [-3, 3]). Writes docs/functions.png.

    python -m pip install ".[docs]"
    python docs/plot_functions.py [--out docs/functions.png]
"""

import argparse
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
LAMBD = 0.5
COLORS = {"hardshrink": "#1f77b4", "softshrink": "#d62728", "tanhshrink": "#2ca02c"}


def curves(x):
    """{name: (values, derivatives)}; the step functions split at their jumps."""
    import shrink

    return {
        "hardshrink": (shrink.hardshrink(x, LAMBD), shrink.hardshrink_grad(x, LAMBD)),
        "softshrink": (shrink.softshrink(x, LAMBD), shrink.softshrink_grad(x, LAMBD)),
        "tanhshrink": (shrink.tanhshrink(x), shrink.tanhshrink_grad(x)),
    }


def with_breaks(x, y):
    """NaN between neighbours where y jumps, so the jump is not drawn as a slope."""
    jumps = np.flatnonzero(np.abs(np.diff(y)) > 0.25)
    return np.insert(x, jumps + 1, np.nan), np.insert(y, jumps + 1, np.nan)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(HERE, "functions.png"))
    args = ap.parse_args(argv)

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # An odd count puts 0 on the grid; both band edges +-0.5 are on it too.
    x = np.linspace(-3.0, 3.0, 1201)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4), sharex=True)
    for name, (value, derivative) in curves(x).items():
        left.plot(*with_breaks(x, value), color=COLORS[name], lw=2, label=f"{name}(x)")
        right.plot(*with_breaks(x, derivative), color=COLORS[name], lw=2,
                   label=f"{name}_grad(x)", ls="--" if name == "softshrink" else "-")
    for ax, title in ((left, f"the functions (lambd = {LAMBD})"),
                      (right, "their derivatives")):
        ax.axvspan(-LAMBD, LAMBD, color="0.92", zorder=0)
        ax.axhline(0, color="0.6", lw=0.8)
        ax.axvline(0, color="0.6", lw=0.8)
        ax.set_title(title)
        ax.set_xlabel("x")
        ax.set_xlim(-3, 3)
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left" if ax is left else "lower left", fontsize=9, framealpha=0.9)
    right.set_ylim(-0.1, 1.15)
    left.text(0, -2.2, "band\n|x| <= lambd", ha="center", fontsize=8, color="0.35")
    fig.tight_layout()
    fig.savefig(args.out, dpi=110)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
