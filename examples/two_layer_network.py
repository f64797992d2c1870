"""A two-layer network in plain NumPy with a shrink activation, trained by
gradient descent with the fused *_backward ufuncs, and its gradient checked
against finite differences.

    x -> h = x W1 + b1 -> a = act(h) -> out = a W2 + b2,  loss = mean((out - y)^2) / 2

The activation's backward is one call: ``shrink.ufuncs.softshrink_backward(da, h,
lambd)`` is da where |h| > lambd and 0 elsewhere, without forming the gradient
array and multiplying.

    python examples/two_layer_network.py
"""

import numpy as np

from shrink import ufuncs

ACTIVATIONS = {  # name: (forward, backward), lambd bound where the function takes one
    "softshrink": (lambda h, lam: ufuncs.softshrink(h, lam),
                   lambda da, h, lam: ufuncs.softshrink_backward(da, h, lam)),
    "hardshrink": (lambda h, lam: ufuncs.hardshrink(h, lam),
                   lambda da, h, lam: ufuncs.hardshrink_backward(da, h, lam)),
    "tanhshrink": (lambda h, lam: ufuncs.tanhshrink(h),
                   lambda da, h, lam: ufuncs.tanhshrink_backward(da, h)),
}


def init(n_in, hidden, n_out, rng):
    return {"W1": rng.standard_normal((n_in, hidden)) / np.sqrt(n_in),
            "b1": 0.1 * rng.standard_normal(hidden),
            "W2": rng.standard_normal((hidden, n_out)) / np.sqrt(hidden),
            "b2": np.zeros(n_out)}


def loss_and_grads(params, x, y, activation, lambd):
    forward, backward = ACTIVATIONS[activation]
    h = x @ params["W1"] + params["b1"]
    a = forward(h, lambd)
    out = a @ params["W2"] + params["b2"]
    residual = out - y
    loss = 0.5 * np.mean(residual ** 2)
    d_out = residual / residual.size
    d_a = d_out @ params["W2"].T
    d_h = backward(d_a, h, lambd)  # the fused vector-Jacobian product
    grads = {"W2": a.T @ d_out, "b2": d_out.sum(axis=0),
             "W1": x.T @ d_h, "b1": d_h.sum(axis=0)}
    return loss, grads


def gradient_check(params, x, y, activation, lambd, step=1e-6):
    """Relative error ||numeric - analytic|| / (||numeric|| + ||analytic||) over all
    parameters, the numeric gradient by central differences."""
    _, grads = loss_and_grads(params, x, y, activation, lambd)
    numeric, analytic = [], []
    for name, p in params.items():
        for i in np.ndindex(p.shape):
            saved = p[i]
            p[i] = saved + step
            up, _ = loss_and_grads(params, x, y, activation, lambd)
            p[i] = saved - step
            down, _ = loss_and_grads(params, x, y, activation, lambd)
            p[i] = saved
            numeric.append((up - down) / (2 * step))
            analytic.append(grads[name][i])
    numeric, analytic = np.array(numeric), np.array(analytic)
    return float(np.linalg.norm(numeric - analytic)
                 / (np.linalg.norm(numeric) + np.linalg.norm(analytic)))


def main(n=256, hidden=32, steps=300, learning_rate=0.2, activation="softshrink",
         lambd=0.25, seed=0):
    """Fit y = sin(3 x0) + x1^2 / 2; returns the losses and the gradient check."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, (n, 2))
    y = (np.sin(3.0 * x[:, 0]) + 0.5 * x[:, 1] ** 2)[:, None]
    params = init(2, hidden, 1, rng)
    # checked on a few samples and the untrained weights
    check = gradient_check(params, x[:16], y[:16], activation, lambd)
    losses = []
    for _ in range(steps):
        loss, grads = loss_and_grads(params, x, y, activation, lambd)
        losses.append(loss)
        for name in params:
            params[name] -= learning_rate * grads[name]
    return {"losses": np.array(losses), "gradient_relative_error": check}


if __name__ == "__main__":
    for activation in ACTIVATIONS:
        r = main(activation=activation, steps=2000)
        print(f"{activation}: loss {r['losses'][0]:.4f} -> {r['losses'][-1]:.4f}, "
              f"gradient check relative error {r['gradient_relative_error']:.1e}")
