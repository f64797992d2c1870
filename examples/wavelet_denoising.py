"""Wavelet denoising with PyWavelets, thresholding by shrink.softshrink.

The classic recipe (Donoho & Johnstone): decompose, soft-threshold the detail
coefficients at the universal threshold sigma * sqrt(2 log n), with sigma
estimated from the finest details, reconstruct. shrink.softshrink takes the
place of pywt.threshold(c, lambd, mode="soft"); the two differ in the last bits
only, and only in two documented ways:

- inside the band pywt gives -0.0 for negative coefficients (it computes
  x * 0); softshrink always gives +0.0;
- outside the band pywt computes x * (1 - lambd / |x|), rounded three times
  (an error up to about eps * |x|, large relative to x - lambd near the
  threshold); softshrink gives x - lambd correctly rounded.

    python examples/wavelet_denoising.py    # needs PyWavelets
"""

import numpy as np
import pywt

import shrink


def denoise(noisy, wavelet, level, threshold):
    """Reconstruct from the coefficients with the details thresholded by
    `threshold(coefficients, lambd)`; returns the signal, the thresholded
    details, the raw details and lambd."""
    coeffs = pywt.wavedec(noisy, wavelet, level=level)
    sigma = np.median(np.abs(coeffs[-1])) / 0.6745  # robust noise estimate
    lambd = sigma * np.sqrt(2.0 * np.log(noisy.size))
    details = [threshold(c, lambd) for c in coeffs[1:]]
    signal = pywt.waverec([coeffs[0]] + details, wavelet)[: noisy.size]
    return signal, np.concatenate(details), np.concatenate(coeffs[1:]), lambd


def main(n=2048, noise=0.5, wavelet="db4", level=5, seed=0, signal="Doppler"):
    rng = np.random.default_rng(seed)
    clean = pywt.data.demo_signal(signal, n)
    clean = clean / np.std(clean)
    noisy = clean + noise * rng.standard_normal(n)
    ours, d_ours, raw, lambd = denoise(noisy, wavelet, level, shrink.softshrink)
    theirs, d_theirs, _, _ = denoise(
        noisy, wavelet, level, lambda c, t: pywt.threshold(c, t, mode="soft"))
    band = np.abs(raw) <= lambd
    differ = d_ours != d_theirs  # as numbers: signed zeros compare equal
    return {
        "lambd": lambd,
        "raw_details": raw, "details_shrink": d_ours, "details_pywt": d_theirs,
        "in_band": int(band.sum()),
        # -0.0 from pywt where a negative coefficient falls in the band
        "signed_zero_differences": int(np.sum(np.signbit(d_ours) != np.signbit(d_theirs))),
        "value_differences": int(differ.sum()),
        "max_difference_over_eps_x": float(np.max(
            np.abs(d_ours - d_theirs) / (np.finfo(float).eps * np.abs(raw)), initial=0.0)),
        "max_reconstruction_difference": float(np.max(np.abs(ours - theirs))),
        "rmse_noisy": float(np.sqrt(np.mean((noisy - clean) ** 2))),
        "rmse_denoised": float(np.sqrt(np.mean((ours - clean) ** 2))),
    }


if __name__ == "__main__":
    r = main()
    print(f"universal threshold {r['lambd']:.4f}; {r['in_band']} of "
          f"{r['raw_details'].size} detail coefficients set to 0")
    print(f"RMSE: noisy {r['rmse_noisy']:.4f} -> denoised {r['rmse_denoised']:.4f}")
    print(f"vs pywt.threshold: {r['signed_zero_differences']} signed zeros (pywt's -0.0), "
          f"{r['value_differences']} values differing by at most "
          f"{r['max_difference_over_eps_x']:.2f} eps*|x|; reconstructions differ by "
          f"{r['max_reconstruction_difference']:.1e}")
