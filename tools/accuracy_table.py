#!/usr/bin/env python3
"""Print a Markdown table of the worst ULP error of tanhshrink and tanhshrink_grad
per dtype, for shrink, PyTorch (if importable) and the NumPy composites
``x - np.tanh(x)`` / ``np.tanh(x)**2``, measured against mpmath.

    python tools/accuracy_table.py            # ~10 s

The point set is the one tests/test_accuracy.py uses (tests/mp_oracle.py,
``accuracy_points``, fixed seed): ± log-spaced points from the smallest subnormal
to 40, random points in every decade, powers of two and their neighbours; every
float16 value in that range.  PyTorch's gradient is autograd of
``torch.nn.functional.tanhshrink`` with grad_output = ones (what a PyTorch user gets).
"""

import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
import mp_oracle as O  # noqa: E402


def _shrink():
    try:
        sys.path.insert(0, os.path.join(HERE, ".."))
        import shrink.ufuncs  # noqa: F401
        import shrink

        return shrink
    except Exception as e:  # pragma: no cover - reported in the table
        print(f"<!-- shrink not importable: {e!r} -->")
        return None


def _torch():
    try:
        import torch

        torch.set_num_threads(1)
        return torch
    except Exception:
        return None


def torch_results(torch, x):
    """(tanhshrink, grad) from PyTorch or None where the dtype is not supported."""
    if x.dtype == np.longdouble:
        return None
    import torch.nn.functional as F

    try:
        xt = torch.from_numpy(x.copy()).requires_grad_(True)
        y = F.tanhshrink(xt)
        y.backward(torch.ones_like(y))
        return y.detach().numpy().copy(), xt.grad.numpy().copy()
    except Exception:
        return None


def fmt_err(e):
    if e is None:
        return "n/a"
    if e >= 1e4:
        return f"{e:.2g}"
    return f"{e:.3g}"


def main():
    shrink = _shrink()
    torch = _torch()
    rows = []
    for dt in O.REAL_DTYPES:
        dt = np.dtype(dt)
        x = O.accuracy_points(dt)
        rt = O.tanhshrink_refs(x)
        rg = O.tanhshrink_grad_refs(x)
        res = {}
        with np.errstate(all="ignore"):
            res["composite"] = (x - np.tanh(x), np.tanh(x) ** 2)
        if shrink is not None:
            res["shrink"] = (shrink.ufuncs.tanhshrink(x), shrink.ufuncs.tanhshrink_grad(x))
        if torch is not None:
            tr = torch_results(torch, x)
            if tr is not None:
                res["torch"] = tr
        errs = {}
        for k, (a, b) in res.items():
            errs[k] = (O.ulp_errors(a, rt, dt).max(), O.ulp_errors(b, rg, dt).max())
        rows.append((dt, len(x), errs))

    cols = ["shrink", "torch", "composite"]
    print(f"Worst error in ULP against mpmath (tests/mp_oracle.py point set); "
          f"torch {getattr(torch, '__version__', 'not installed')}, NumPy {np.__version__}.\n")
    print("| dtype | points | SPEC bound | tanhshrink: shrink | PyTorch | `x - np.tanh(x)` "
          "| tanhshrink_grad: shrink | PyTorch | `np.tanh(x)**2` |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for dt, n, errs in rows:
        f = [fmt_err(errs[c][0]) if c in errs else "n/a" for c in cols]
        g = [fmt_err(errs[c][1]) if c in errs else "n/a" for c in cols]
        name = "longdouble (x87)" if dt == np.longdouble else dt.name
        print(f"| {name} | {n} | {O.tanh_bound(dt):g} | " + " | ".join(f) + " | " + " | ".join(g) + " |")


if __name__ == "__main__":
    main()
