#!/usr/bin/env python3
"""Plot every family of shrink/_table.py and its derivative, computed with shrink
itself (lambd = 0.5; firm 0.5 and 1.5; shrink's bias 0.25; x in [-3, 3]).
Writes docs/functions.png.

    python -m pip install ".[docs]"
    python docs/plot_functions.py [--out docs/functions.png]
"""

import argparse
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
LAMBD = 0.5  # the band drawn: lambd's example value in shrink/_table.py


def curves(x):
    """{label: (values, derivatives)}, one per family of the table."""
    import shrink
    from shrink._table import FAMILIES

    out = {}
    for family in FAMILIES:
        values = [p.example for p in family.params]
        shown = ", ".join(["x", *(f"{v:g}" for v in values)])
        out[f"{family.name}({shown})"] = (getattr(shrink, family.name)(x, *values),
                                          getattr(shrink, family.name + "_grad")(x, *values))
    return out


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
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 5), sharex=True)
    for i, (label, (value, derivative)) in enumerate(curves(x).items()):
        color = f"C{i}"
        left.plot(*with_breaks(x, value), color=color, lw=2, label=label)
        right.plot(*with_breaks(x, derivative), color=color, lw=2, ls=("-", "--", ":")[i % 3],
                   label=label.replace("(", "_grad(", 1))
    for ax, title in ((left, f"the functions (lambd = {LAMBD})"),
                      (right, "their derivatives")):
        ax.axvspan(-LAMBD, LAMBD, color="0.92", zorder=0)
        ax.axhline(0, color="0.6", lw=0.8)
        ax.axvline(0, color="0.6", lw=0.8)
        ax.set_title(title)
        ax.set_xlabel("x")
        ax.set_xlim(-3, 3)
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", fontsize=7, framealpha=0.9)
    right.set_ylim(-0.1, 2.15)
    left.text(0, -2.2, "band\n|x| <= lambd", ha="center", fontsize=8, color="0.35")
    fig.tight_layout()
    fig.savefig(args.out, dpi=110)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
