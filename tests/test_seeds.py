"""The seed texts' own examples (tests/data/seeds/), run in NumPy form.

References are independent of shrink: PyTorch itself when installed, plain NumPy
selections (``np.where``), and mpmath for tanhshrink's values.
"""

import importlib.util
import os
import sys

import numpy as np
import pytest

import shrink

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from optional import require, torch_or_skip  # noqa: E402

mpmath = require("mpmath")

EXAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples",
                       "seed_sparse_autoencoder.py")
SEEDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "seeds")


def _seed(name):
    with open(os.path.join(SEEDS, name), encoding="utf-8") as f:
        return " ".join(f.read().split())  # whitespace as one space


@pytest.mark.parametrize("name,quoted", [
    ("torch-2.8-nn.Hardshrink.txt", ">>> m = nn.Hardshrink() >>> input = torch.randn(2) "
                                    ">>> output = m(input)"),
    ("torch-2.8-nn.Softshrink.txt", ">>> m = nn.Softshrink() >>> input = torch.randn(2) "
                                    ">>> output = m(input)"),
    ("ts-port-Tensor.tanhshrink.txt", "const x = torch.tensor([-2, -1, 0, 1, 2]);"),
    ("ts-port-Tensor.tanhshrink.txt", "f(10) ≈ 10 - 1 ≈ 9"),
    ("ts-port-Tensor.tanhshrink.txt", "At x=±4: output≈±3.93"),
    ("ts-port-HardshrinkOptions.txt", "this.encode1 = new torch.nn.Linear(784, 256);"),
    ("ts-port-HardshrinkOptions.txt", "const denoised = hardshrink.forward(noisy_data);"),
])
def test_the_examples_below_are_the_seeds_own(name, quoted):
    assert quoted in _seed(name)


def _load_example():
    spec = importlib.util.spec_from_file_location("seed_sparse_autoencoder", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _hard_reference(x, lambd):
    return np.where(np.abs(x) > lambd, x, 0.0)


def _soft_reference(x, lambd):
    return np.where(x > lambd, x - lambd, np.where(x < -lambd, x + lambd, 0.0))


@pytest.mark.parametrize("cls,reference", [("Hardshrink", _hard_reference),
                                           ("Softshrink", _soft_reference)])
def test_pytorch_doc_examples(cls, reference):
    """``m = nn.Hardshrink(); input = torch.randn(2); output = m(input)``."""
    rng = np.random.default_rng(2)
    for _ in range(50):
        m = getattr(shrink, cls)()
        input = rng.standard_normal(2)
        output = m(input)
        assert output.shape == input.shape
        assert np.array_equal(output, reference(input, 0.5))


@pytest.mark.parametrize("cls", ["Hardshrink", "Softshrink"])
def test_pytorch_doc_examples_against_torch(cls):
    torch = torch_or_skip()
    input = torch.randn(1000, dtype=torch.float64)
    expected = getattr(torch.nn, cls)()(input).numpy()
    assert np.array_equal(getattr(shrink, cls)()(input.numpy()), expected)


def test_tanhshrink_values_from_the_port():
    """The port's ``torch.tensor([-2, -1, 0, 1, 2]).tanhshrink()``. Its comment says
    ±2 at ±2; the true values are ±(2 - tanh 2) = ±1.0360 and ±0.2384 at ±1."""
    x = np.array([-2, -1, 0, 1, 2])
    got = shrink.Tanhshrink()(x)
    assert got.dtype == np.float64  # int64 promotes as np.tanh promotes it
    with mpmath.workprec(200):
        exact = [float(mpmath.mpf(int(v)) - mpmath.tanh(int(v))) for v in x]
    assert got.tolist() == exact  # correctly rounded at these five points
    assert np.round(got, 4).tolist() == [-1.036, -0.2384, 0.0, 0.2384, 1.036]
    assert not np.any(np.abs(got[[0, 4]]) == 2)  # the seed comment's value is wrong


def test_tanhshrink_described_properties_from_the_port():
    """The port's prose: f(10) ≈ 9, zero gradient at 0, shrinkage everywhere.
    It also says f(±4) ≈ ±3.93, another slip: 4 - tanh(4) = 3.00067 (mpmath)."""
    layer = shrink.Tanhshrink()
    with mpmath.workprec(200):
        four = float(4 - mpmath.tanh(4))
    assert round(four, 5) == 3.00067
    assert layer(np.array([-4.0, 4.0])).tolist() == [-four, four]
    assert abs(float(layer(10.0)) - 9.0) < 1e-8
    assert float(layer.grad(0.0)) == 0.0 and not np.signbit(layer.grad(0.0))
    r = np.linspace(-4, 4, 100)
    assert np.all(np.abs(layer(r)) < np.abs(r) + (r == 0))  # shrinks everywhere but 0


def _sparse_autoencoder_by_hand(model, x):
    h = x @ model.encode1.weight.T + model.encode1.bias
    h = _hard_reference(h, 0.1)
    h = h @ model.encode2.weight.T + model.encode2.bias
    return h @ model.decode.weight.T + model.decode.bias


def test_sparse_autoencoder_forward():
    example = _load_example()
    rng = np.random.default_rng(3)
    model = example.SparseAutoencoder(rng)
    assert model.hardshrink == shrink.Hardshrink(0.1)
    x = rng.random((8, 784))
    y = model.forward(x)
    assert y.shape == (8, 784)
    assert np.array_equal(y, _sparse_autoencoder_by_hand(model, x))
    hidden = model.hardshrink(model.encode1.forward(x))
    pre = model.encode1.forward(x)
    assert np.array_equal(hidden == 0, np.abs(pre) <= 0.1)  # sparsity where the band is


def test_sparse_autoencoder_against_torch():
    """The same weights in torch.nn.Linear / torch.nn.Hardshrink give the same output."""
    torch = torch_or_skip()
    example = _load_example()
    rng = np.random.default_rng(4)
    model = example.SparseAutoencoder(rng)
    layers = []
    for ours in (model.encode1, None, model.encode2, model.decode):
        if ours is None:
            layers.append(torch.nn.Hardshrink(0.1))
            continue
        lin = torch.nn.Linear(*ours.weight.shape[::-1], dtype=torch.float64)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(ours.weight))
            lin.bias.copy_(torch.from_numpy(ours.bias))
        layers.append(lin)
    x = rng.random((8, 784))
    with torch.no_grad():
        expected = torch.nn.Sequential(*layers)(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(model.forward(x), expected, rtol=1e-12, atol=1e-12)


def test_denoising_example():
    example = _load_example()
    noisy, denoised = example.denoise(np.random.default_rng(5))
    assert noisy.shape == denoised.shape == (100, 50)
    assert np.array_equal(denoised, _hard_reference(noisy, 0.5))
    kept = denoised != 0
    assert kept.any() and (~kept).any()


def test_example_main_runs_and_reports(capsys):
    example = _load_example()
    model, images, reconstruction, noisy, denoised = example.main(batch=4, seed=1)
    out = capsys.readouterr().out
    zero_fraction = np.mean(model.hardshrink(model.encode1.forward(images)) == 0)
    assert f"{zero_fraction:.0%} of the 256 hidden units are zero after Hardshrink(0.1)" in out
    assert f"{np.mean(denoised == 0):.0%} of the 5000 values zeroed" in out
    assert "kept exactly: True" in out
