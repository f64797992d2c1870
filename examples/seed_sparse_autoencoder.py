"""The TypeScript port's seed examples, in NumPy with shrink's layer objects.

1. A sparse autoencoder whose hidden layer is hard-thresholded by
   ``Hardshrink(0.1)``: the port's ``SparseAutoencoder`` class, line for line,
   with a small NumPy ``Linear`` standing in for ``torch.nn.Linear``.
2. Denoising with hard thresholding: ``Hardshrink(0.5)`` applied to noisy data.

Run it: ``python examples/seed_sparse_autoencoder.py``.
"""

import numpy as np

import shrink


class Linear:
    """``x @ weight.T + bias``, initialised as torch.nn.Linear does:
    uniform on [-1/sqrt(in_features), 1/sqrt(in_features)]."""

    def __init__(self, in_features, out_features, rng):
        bound = 1.0 / np.sqrt(in_features)
        self.weight = rng.uniform(-bound, bound, (out_features, in_features))
        self.bias = rng.uniform(-bound, bound, out_features)

    def forward(self, x):
        return x @ self.weight.T + self.bias


class SparseAutoencoder:
    """784 -> 256 -> Hardshrink(0.1) -> 64 -> 784, as in the seed."""

    def __init__(self, rng):
        self.encode1 = Linear(784, 256, rng)
        self.hardshrink = shrink.Hardshrink(0.1)  # λ = 0.1, threshold small values
        self.encode2 = Linear(256, 64, rng)
        self.decode = Linear(64, 784, rng)

    def forward(self, x):
        x = self.encode1.forward(x)
        x = self.hardshrink.forward(x)  # hard threshold for sparsity
        x = self.encode2.forward(x)
        return self.decode.forward(x)


def denoise(rng):
    """The seed's denoising example: returns (noisy_data, denoised)."""
    noisy_data = rng.standard_normal((100, 50)) + rng.standard_normal((100, 50)) * 0.5
    hardshrink = shrink.Hardshrink(0.5)  # remove small values
    denoised = hardshrink.forward(noisy_data)  # hard threshold removes noise
    return noisy_data, denoised


def main(batch=16, seed=0):
    rng = np.random.default_rng(seed)
    model = SparseAutoencoder(rng)
    images = rng.random((batch, 784))
    hidden = model.hardshrink(model.encode1.forward(images))
    reconstruction = model.forward(images)
    noisy, denoised = denoise(rng)
    print(f"autoencoder: {images.shape} -> {reconstruction.shape}, "
          f"{np.mean(hidden == 0):.0%} of the 256 hidden units are zero after {model.hardshrink}")
    print(f"denoising: {np.mean(denoised == 0):.0%} of the {noisy.size} values zeroed by "
          f"Hardshrink(0.5); the rest kept exactly: {np.array_equal(denoised[denoised != 0], noisy[denoised != 0])}")
    return model, images, reconstruction, noisy, denoised


if __name__ == "__main__":
    main()
