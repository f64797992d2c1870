"""shrink in type-checked code: `mypy --strict` accepts this file as it is.

tests/test_typing.py runs mypy --strict on it (and runs it). What the checker
sees: an ndarray in gives an ndarray out (a float64 one for float64 data and a
Python float lambd), out= gives back the array passed, Python floats give
np.float64, and shrink.ufuncs.<name> are numpy.ufunc objects.

    python examples/typed_usage.py
"""

import numpy as np
from numpy.typing import NDArray

import shrink
from shrink import ufuncs


def denoise(signal: NDArray[np.float64], threshold: float) -> NDArray[np.float64]:
    """Soft thresholding: the proximal step of an L1 penalty."""
    return shrink.softshrink(signal, threshold)


def keep_large(x: NDArray[np.float32], thresholds: NDArray[np.float32],
               out: NDArray[np.float32]) -> NDArray[np.float32]:
    """Per-element thresholds, written into a preallocated float32 array."""
    return shrink.hardshrink(x, thresholds, out=out)


def backward(grad_output: NDArray[np.float64], x: NDArray[np.float64],
             lambd: float = 0.5) -> NDArray[np.float64]:
    """The gradient of a softshrink layer, fused."""
    return shrink.softshrink_backward(grad_output, x, lambd)


def energy_kept(x: NDArray[np.float64], lambd: float) -> float:
    kept = shrink.hardshrink(x, lambd)
    return float(np.sum(kept**2) / np.sum(x**2))


def tanhshrink_at(x: float) -> float:
    value: np.float64 = shrink.tanhshrink(x)  # a Python float gives a NumPy scalar
    return float(value)


def main() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal(1000)

    y = denoise(x, 0.5)
    assert np.array_equal(y, np.sign(x) * np.maximum(np.abs(x) - 0.5, 0.0))

    x32 = x.astype(np.float32)
    out = np.empty_like(x32)
    kept = keep_large(x32, np.full_like(x32, 1.0), out)
    assert kept is out and np.array_equal(kept, np.where(np.abs(x32) > 1, x32, 0))

    grad = backward(np.ones_like(x), x)
    assert np.array_equal(grad, (np.abs(x) > 0.5).astype(np.float64))

    # lists, dtype=, where= and the keywords of any ufunc
    from_list = shrink.softshrink([-2.0, 0.25, 3.0], lambd=1.0, dtype=np.float32)
    assert from_list.dtype == np.float32 and from_list.tolist() == [-1.0, 0.0, 2.0]
    masked = np.zeros_like(x)
    shrink.tanhshrink(x, out=masked, where=x > 0)
    assert np.all(masked[x <= 0] == 0)

    print(f"energy kept by hardshrink(x, 1.0): {energy_kept(x, 1.0):.3f}")
    print(f"tanhshrink(2.0) = {tanhshrink_at(2.0):.15f}")

    # The raw ufuncs are numpy.ufunc objects, with the ufunc methods.
    raw: np.ufunc = ufuncs.softshrink
    table = raw.outer(np.array([-2.0, 0.0, 2.0]), np.array([0.5, 1.0]))
    assert table.shape == (3, 2) and raw.nin == 2
    print(f"ufuncs.softshrink: {raw.ntypes} loops; CPU_DISPATCH = {shrink.CPU_DISPATCH}")

    # Layer objects: one threshold, checked once; values, so they can be dict keys.
    layers: dict[shrink.Softshrink | shrink.Hardshrink, str] = {
        shrink.Softshrink(0.5): "soft", shrink.Hardshrink(np.float32(0.25)): "hard"}
    for layer in layers:
        forward: NDArray[np.float64] = layer(x)
        backward_pass: NDArray[np.float64] = layer.backward(np.ones_like(x), x)
        assert forward.shape == backward_pass.shape == x.shape
    threshold: float = float(shrink.Softshrink(0.5).lambd)
    assert threshold == 0.5


if __name__ == "__main__":
    main()
