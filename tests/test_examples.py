"""The examples in examples/ run, at small sizes, and give the right numbers
against their independent references (scikit-learn, PyWavelets, exact
arithmetic, finite differences)."""

import importlib.util
import os
import pathlib
import sys
from fractions import Fraction

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from optional import require  # noqa: E402

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples"


def _load(name):
    spec = importlib.util.spec_from_file_location(f"shrink_example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_lasso_ista_fista_match_scikit_learn():
    require("scipy.sparse")
    require("sklearn")
    r = _load("lasso_fista").main(n_samples=120, n_features=40, density=0.25, alpha=0.02,
                                  seed=1)
    assert np.count_nonzero(r["sklearn"]) > 0
    for method in ("fista", "ista"):
        np.testing.assert_allclose(r[method], r["sklearn"], rtol=0, atol=1e-8)
        # the same support: softshrink gives exact zeros off it, as coordinate descent
        assert np.array_equal(r[method] != 0, r["sklearn"] != 0), method
        assert r[f"objective_{method}"] <= r["objective_sklearn"] + 1e-12
        assert r[f"iterations_{method}"] < 20000  # converged, not stopped


def test_wavelet_denoising_matches_pywt_threshold_up_to_the_documented_differences():
    require("pywt")
    r = _load("wavelet_denoising").main(n=1024, noise=0.5, seed=2)
    raw, ours, theirs, lambd = r["raw_details"], r["details_shrink"], r["details_pywt"], r["lambd"]
    band = np.abs(raw) <= lambd
    assert 0 < band.sum() < raw.size
    # in the band: both zero, pywt's sign follows x, ours is +0.0
    assert np.all(ours[band] == 0) and not np.signbit(ours[band]).any()
    assert np.array_equal(np.signbit(theirs[band]), np.signbit(raw[band]))
    assert r["signed_zero_differences"] == int(np.sum(band & np.signbit(raw)))
    # outside: ours is x -+ lambd correctly rounded, pywt within a few eps * |x|
    for x, got in zip(raw[~band], ours[~band]):
        exact = Fraction(float(x)) - Fraction(float(lambd)) * (1 if x > 0 else -1)
        assert got == float(exact)
    assert r["max_difference_over_eps_x"] <= 4
    assert r["max_reconstruction_difference"] < 1e-12
    assert r["rmse_denoised"] < 0.6 * r["rmse_noisy"]


def test_softshrink_and_pywt_threshold_at_special_values():
    """The example's explanation at the edges: NaN and inf agree, the band edge
    and the inside of the band differ only in the sign of zero."""
    pywt = require("pywt")
    import shrink
    x = np.array([np.nan, np.inf, -np.inf, 0.5, -0.5, -0.25, 0.25, -0.0, 0.0, 2.0, -2.0])
    with np.errstate(all="ignore"):
        theirs = pywt.threshold(x, 0.5, mode="soft")
    ours = shrink.softshrink(x, 0.5)
    same_value = (ours == theirs) | (np.isnan(ours) & np.isnan(theirs))
    assert same_value.all()
    in_band = np.abs(x) <= 0.5
    assert not np.signbit(ours[in_band]).any()
    assert np.array_equal(np.signbit(theirs[in_band]), np.signbit(x[in_band]))


@pytest.mark.parametrize("activation", ["softshrink", "hardshrink", "tanhshrink"])
def test_two_layer_network_gradient_check_and_training(activation):
    r = _load("two_layer_network").main(n=64, hidden=8, steps=150, activation=activation,
                                        seed=3)
    assert r["gradient_relative_error"] < 1e-7
    losses = r["losses"]
    assert np.all(np.isfinite(losses))
    assert losses[-1] < 0.5 * losses[0]


def test_the_network_gradient_check_catches_a_wrong_backward():
    """The check can fail: with the derivative left out of the backward it does."""
    net = _load("two_layer_network")
    forward, _ = net.ACTIVATIONS["tanhshrink"]
    net.ACTIVATIONS["wrong"] = (forward, lambda da, h, lam: da)
    r = net.main(n=32, hidden=4, steps=1, activation="wrong", seed=4)
    assert r["gradient_relative_error"] > 1e-2
