#!/usr/bin/env python3
"""Generate tests/data/torch_golden.npz: PyTorch's results for the nine shrink
functions, used by tests/test_torch_parity.py (which never needs torch itself for the
golden part).

    pip install torch==2.13.0        # CPU build; do not install an unpinned torch
    python tools/make_torch_golden.py [--out tests/data/torch_golden.npz]

What is stored (float32 and float64, lambd in {0, 0.5, 1.5}):

* ``x_<dt>``, ``g_<dt>``: inputs (band edges ±λ and their neighbours, ±0, NaN,
  ±inf, tiny and subnormal values, large values, random normals at several scales)
  and a grad_output per element (random normals, ones, and a few ±inf/NaN).
* forward: ``torch.nn.functional.hardshrink / softshrink / tanhshrink``;
* ``hardshrink_grad``/``softshrink_grad``: autograd of the forward with
  grad_output = ones;
* ``hardshrink_backward``/``softshrink_backward``: ``torch.ops.aten.*_backward(g, x, λ)``;
* ``tanhshrink_grad``: autograd of tanhshrink with grad_output = ones;
  ``tanhshrink_backward``: autograd of tanhshrink with grad_output = g.
* ``torch_version``, ``lambdas``.

Keys: ``<fn>_<dt>_l<i>`` (i indexes ``lambdas``) for the λ-taking functions,
``<fn>_<dt>`` for the tanhshrink family.  One thread, deterministic seed.
"""

import argparse
import os
import sys

import numpy as np

LAMBDAS = (0.0, 0.5, 1.5)
DTYPES = ("float32", "float64")
LAMBDA_FUNCS = (
    "hardshrink",
    "softshrink",
    "hardshrink_grad",
    "softshrink_grad",
    "hardshrink_backward",
    "softshrink_backward",
)
TANH_FUNCS = ("tanhshrink", "tanhshrink_grad", "tanhshrink_backward")


def golden_inputs(dtype, seed=20261123, n_random=160):
    """(x, g) arrays of ``dtype`` covering the interesting cases."""
    dt = np.dtype(dtype)
    rng = np.random.default_rng([seed, dt.itemsize])
    fi = np.finfo(dt)
    xs = [0.0, -0.0, np.nan, np.inf, -np.inf]
    for lam in LAMBDAS:
        lam_t = dt.type(lam)
        for s in (1, -1):
            v = dt.type(s) * lam_t
            xs += [v, np.nextafter(v, dt.type(np.inf)), np.nextafter(v, dt.type(-np.inf))]
    tiny = [fi.smallest_subnormal, 3 * fi.smallest_subnormal, fi.smallest_normal,
            1e-30, 1e-20, 1e-12, 1e-8, 2.0**-12, 1e-4, 1e-3, 0.01, 0.1]
    xs += tiny + [-t for t in tiny]
    big = [2.0, 3.0, 9.0, 10.0, 20.0, 40.0, 100.0, 1e10, 1e30, float(fi.max)]
    xs += big + [-b for b in big]
    xs = np.array(xs, dt)
    r = [rng.standard_normal(n_random), 3 * rng.standard_normal(40),
         rng.standard_normal(40) * 1e-3, rng.uniform(-20, 20, 40),
         np.exp(rng.uniform(np.log(1e-9), np.log(1.0), 40)) * rng.choice([-1, 1], 40)]
    x = np.concatenate([xs, np.concatenate(r).astype(dt)])
    g = rng.standard_normal(len(x)).astype(dt)
    g[::7] = 1
    # a few special grad_outputs at in-band and out-of-band x
    spec = np.array([np.inf, -np.inf, np.nan], dt)
    g[5:8] = spec  # next to x = ±λ(0) neighbours
    g[-3:] = spec
    return x, g


def compute_torch(x, g, lambdas=LAMBDAS):
    """dict name -> numpy array of PyTorch's results for arrays x, g (same dtype)."""
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(1)
    dt = np.dtype(x.dtype).name
    out = {}
    xt = torch.from_numpy(np.ascontiguousarray(x))
    gt = torch.from_numpy(np.ascontiguousarray(g))

    def autograd(fn, go):
        xr = xt.clone().requires_grad_(True)
        y = fn(xr)
        y.backward(go)
        return xr.grad.detach().numpy().copy()

    for i, lam in enumerate(lambdas):
        sfx = f"{dt}_l{i}"
        out[f"hardshrink_{sfx}"] = F.hardshrink(xt, lam).numpy().copy()
        out[f"softshrink_{sfx}"] = F.softshrink(xt, lam).numpy().copy()
        ones = torch.ones_like(xt)
        out[f"hardshrink_grad_{sfx}"] = autograd(lambda t: F.hardshrink(t, lam), ones)
        out[f"softshrink_grad_{sfx}"] = autograd(lambda t: F.softshrink(t, lam), ones)
        out[f"hardshrink_backward_{sfx}"] = torch.ops.aten.hardshrink_backward(gt, xt, lam).numpy().copy()
        out[f"softshrink_backward_{sfx}"] = torch.ops.aten.softshrink_backward(gt, xt, lam).numpy().copy()
    out[f"tanhshrink_{dt}"] = F.tanhshrink(xt).numpy().copy()
    out[f"tanhshrink_grad_{dt}"] = autograd(F.tanhshrink, torch.ones_like(xt))
    out[f"tanhshrink_backward_{dt}"] = autograd(F.tanhshrink, gt)
    return out


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(here, "..", "tests", "data", "torch_golden.npz"))
    args = ap.parse_args(argv)
    import torch

    data = {"torch_version": np.array(torch.__version__), "lambdas": np.array(LAMBDAS)}
    for dt in DTYPES:
        x, g = golden_inputs(dt)
        data[f"x_{dt}"] = x
        data[f"g_{dt}"] = g
        data.update(compute_torch(x, g))
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    np.savez_compressed(args.out, **data)
    size = os.path.getsize(args.out)
    print(f"wrote {args.out}: {len(data)} arrays, {size} bytes, torch {torch.__version__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
