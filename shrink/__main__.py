"""python -m shrink: what the package does, on a real small problem, in seconds.

1. Recover a sparse signal from few noisy measurements with FISTA, softshrink
   being the proximal step of the L1 penalty (the Lasso).
2. The functions at telling values: band edges, signed zero, NaN, inf, and
   tanhshrink where x - tanh(x) cancels.
3. Their speed next to the NumPy composites users write by hand.
"""

import time
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

import shrink


def fista_lasso(A: NDArray[np.float64], y: NDArray[np.float64], alpha: float,
                iterations: int) -> NDArray[np.float64]:
    """argmin_x 0.5 * ||A x - y||^2 + alpha * ||x||_1 by FISTA (Beck & Teboulle)."""
    step = 1.0 / np.linalg.norm(A, 2) ** 2  # 1 / Lipschitz constant of the gradient
    # typed as any NDArray: NumPy 2.2's stubs give np.zeros a 1-d shape type that
    # the updates below (of unknown shape) could not be assigned to
    x: NDArray[np.float64] = np.zeros(A.shape[1])
    z, t = x.copy(), 1.0
    for _ in range(iterations):
        x_next = shrink.softshrink(z - step * (A.T @ (A @ z - y)), step * alpha)
        t_next = (1 + np.sqrt(1 + 4 * t * t)) / 2
        z = x_next + ((t - 1) / t_next) * (x_next - x)
        x, t = x_next, t_next
    return x


def sparse_recovery() -> None:
    rng = np.random.default_rng(2026)
    m, n, k = 80, 256, 8
    A = rng.standard_normal((m, n)) / np.sqrt(m)
    truth = np.zeros(n)
    support = rng.choice(n, k, replace=False)
    truth[support] = rng.choice([-1.0, 1.0], k) * rng.uniform(1.0, 2.0, k)
    y = A @ truth + 0.01 * rng.standard_normal(m)

    start = time.perf_counter()
    estimate = fista_lasso(A, y, alpha=0.05, iterations=300)
    seconds = time.perf_counter() - start

    true_set = set(support.tolist())
    found = np.flatnonzero(estimate)
    spurious = [i for i in found if i not in true_set]
    # The Lasso keeps a few tiny spurious entries and shrinks what it keeps:
    # a hard threshold drops the former, least squares on the support undoes the latter.
    kept = np.flatnonzero(shrink.hardshrink(estimate, 0.1))
    debiased = np.zeros(n)
    debiased[kept] = np.linalg.lstsq(A[:, kept], y, rcond=None)[0]
    largest_spurious = max((abs(estimate[i]) for i in spurious), default=0.0)
    print("1. Sparse recovery: Lasso by FISTA, softshrink as the proximal step")
    print(f"   {k} nonzeros among {n} unknowns, {m} measurements with noise 0.01")
    print(f"   300 iterations in {seconds * 1e3:.0f} ms: {len(true_set & set(found))} of {k} "
          f"true nonzeros found, {len(spurious)} spurious (largest {largest_spurious:.3f})")
    print(f"   hardshrink(estimate, 0.1) keeps {kept.size}: the true support is "
          f"{'recovered exactly' if set(kept.tolist()) == true_set else 'NOT recovered'}")
    print(f"   relative error: Lasso {np.linalg.norm(estimate - truth) / np.linalg.norm(truth):.3f}, "
          f"after debiasing {np.linalg.norm(debiased - truth) / np.linalg.norm(truth):.4f}")


def telling_values() -> None:
    x = np.array([-np.inf, -1.0, -0.5, -0.0, 0.25, 0.5, 0.5000001, 2.0, np.inf, np.nan])
    print("\n2. At telling values (lambd = 0.5; the band -0.5 <= x <= 0.5 is closed)")
    print(f"   {'x':>12} {'hardshrink':>12} {'softshrink':>12} {'hard_grad':>10} {'tanhshrink':>12}")
    rows = zip(x, shrink.hardshrink(x), shrink.softshrink(x), shrink.hardshrink_grad(x),
               shrink.tanhshrink(x))
    for row in rows:
        print("   " + " ".join(f"{v:>12.7g}" if i != 3 else f"{v:>10.3g}" for i, v in enumerate(row)))
    tiny = np.float32(1e-4)
    print(f"   tanhshrink(float32 1e-4) = {shrink.tanhshrink(tiny):.7g}; "
          f"x - np.tanh(x) = {tiny - np.tanh(tiny):.7g}; exact x**3/3 - 2x**5/15 = "
          f"{float(tiny) ** 3 / 3 - 2 * float(tiny) ** 5 / 15:.7g}")


def _best_of(func: Callable[[], Any], repeats: int = 7) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def speed() -> None:
    n = 1_000_000
    x = np.random.default_rng(0).standard_normal(n)
    out = np.empty_like(x)
    lambd = 0.5
    cases = [
        ("softshrink", lambda: shrink.softshrink(x, lambd, out=out),
         "np.sign(x) * np.maximum(np.abs(x) - l, 0)",
         lambda: np.sign(x) * np.maximum(np.abs(x) - lambd, 0)),
        ("hardshrink", lambda: shrink.hardshrink(x, lambd, out=out),
         "np.where(np.abs(x) > l, x, 0)", lambda: np.where(np.abs(x) > lambd, x, 0)),
        ("tanhshrink", lambda: shrink.tanhshrink(x, out=out),
         "x - np.tanh(x)", lambda: x - np.tanh(x)),
    ]
    print(f"\n3. Speed, float64, N = {n:,} (best of 7; shrink.CPU_DISPATCH = "
          f"{shrink.CPU_DISPATCH!r})")
    for name, ours, composite_name, composite in cases:
        a, b = _best_of(ours), _best_of(composite)
        print(f"   {name:<11} {a * 1e3:6.2f} ms   {composite_name:<42} {b * 1e3:6.2f} ms"
              f"   ({b / a:.1f}x)")


def main() -> None:
    sparse_recovery()
    telling_values()
    speed()


if __name__ == "__main__":
    main()
