"""Lasso on a scipy.sparse design matrix by ISTA and FISTA, checked against scikit-learn.

softshrink(v, t * alpha) is the proximal operator of t * alpha * ||w||_1, so one
proximal-gradient step for the Lasso is a gradient step on the smooth part
followed by softshrink. The objective is scikit-learn's:

    1 / (2 * n_samples) * ||y - X w||^2 + alpha * ||w||_1

    python examples/lasso_fista.py          # needs scipy; scikit-learn to compare
"""

import numpy as np
import scipy.sparse

import shrink


def lipschitz(X, seed=0, iterations=200):
    """||X||_2^2 / n_samples (the gradient's Lipschitz constant) by power iteration,
    enlarged by 1% since the iteration approaches it from below."""
    v = np.random.default_rng(seed).standard_normal(X.shape[1])
    for _ in range(iterations):
        v = X.T @ (X @ v)
        v /= np.linalg.norm(v)
    return 1.01 * np.linalg.norm(X @ v) ** 2 / X.shape[0]


def objective(X, y, w, alpha):
    return 0.5 / X.shape[0] * np.sum((y - X @ w) ** 2) + alpha * np.sum(np.abs(w))


def lasso(X, y, alpha, accelerated=True, max_iter=20000, tol=1e-13):
    """ISTA (accelerated=False) or FISTA (Beck & Teboulle 2009) for the Lasso.

    Returns the coefficients and the number of iterations; stops when a step
    moves no coefficient by more than tol.
    """
    n = X.shape[0]
    step = 1.0 / lipschitz(X)
    w = np.zeros(X.shape[1])
    z, t = w.copy(), 1.0
    for iteration in range(1, max_iter + 1):
        gradient = X.T @ (X @ z - y) / n
        w_next = shrink.softshrink(z - step * gradient, step * alpha)
        if accelerated:
            t_next = (1.0 + np.sqrt(1.0 + 4.0 * t * t)) / 2.0
            z = w_next + ((t - 1.0) / t_next) * (w_next - w)
            t = t_next
        else:
            z = w_next
        done = np.max(np.abs(w_next - w)) <= tol
        w = w_next
        if done:
            break
    return w, iteration


def problem(n_samples, n_features, density, seed):
    """A sparse design, a sparse truth, a little noise."""
    rng = np.random.default_rng(seed)
    X = scipy.sparse.random_array((n_samples, n_features), density=density, format="csr",
                                  rng=rng, data_sampler=rng.standard_normal)
    truth = np.zeros(n_features)
    support = rng.choice(n_features, max(1, n_features // 8), replace=False)
    truth[support] = rng.choice([-1.0, 1.0], support.size) * rng.uniform(1.0, 3.0, support.size)
    y = X @ truth + 0.05 * rng.standard_normal(n_samples)
    return X, y, truth


def main(n_samples=200, n_features=60, density=0.2, alpha=0.02, seed=0):
    X, y, truth = problem(n_samples, n_features, density, seed)
    w_fista, it_fista = lasso(X, y, alpha, accelerated=True)
    w_ista, it_ista = lasso(X, y, alpha, accelerated=False)
    result = {
        "fista": w_fista, "ista": w_ista, "truth": truth,
        "iterations_fista": it_fista, "iterations_ista": it_ista,
        "objective_fista": objective(X, y, w_fista, alpha),
        "objective_ista": objective(X, y, w_ista, alpha),
    }
    try:
        from sklearn.linear_model import Lasso
    except ImportError:
        return result
    model = Lasso(alpha=alpha, fit_intercept=False, tol=1e-12, max_iter=100000).fit(X, y)
    result["sklearn"] = model.coef_
    result["objective_sklearn"] = objective(X, y, model.coef_, alpha)
    return result


if __name__ == "__main__":
    r = main(n_samples=2000, n_features=500, density=0.02)
    print(f"FISTA: {r['iterations_fista']} iterations, objective {r['objective_fista']:.12g}")
    print(f"ISTA:  {r['iterations_ista']} iterations, objective {r['objective_ista']:.12g}")
    if "sklearn" in r:
        print(f"scikit-learn Lasso: objective {r['objective_sklearn']:.12g}, "
              f"max |w_fista - w_sklearn| = {np.max(np.abs(r['fista'] - r['sklearn'])):.2e}")
    print(f"nonzeros: {np.count_nonzero(r['fista'])} (truth {np.count_nonzero(r['truth'])})")
