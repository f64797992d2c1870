"""Peers for scale: PyTorch (one thread) and PyWavelets' ``pywt.threshold``.

Skipped (``NotImplementedError`` in setup, asv's convention) when the library
is not importable. shrink's own rows are in ``bench_hardsoft`` and
``bench_tanhshrink`` (``time_ufunc``, contiguous, scalar lambd).
"""
from .common import LAMBD, check_size, make_array

FUNCS = ["hardshrink", "softshrink", "tanhshrink",
         "hardshrink_backward", "softshrink_backward", "tanhshrink_backward"]


def _torch():
    try:
        import torch
    except Exception as exc:  # not installed, or broken install
        raise NotImplementedError(f"torch not importable: {exc}")
    torch.set_num_threads(1)
    return torch


class Torch:
    timeout = 120
    repeat = (3, 20, 10.0)
    params = [FUNCS, ["float32", "float64"], [10**3, 10**5, 10**7]]
    param_names = ["func", "dtype", "N"]

    def setup(self, func, dtype, n):
        check_size(n, dtype, "contiguous")
        torch = _torch()
        F = torch.nn.functional
        aten = torch.ops.aten
        x = torch.from_numpy(make_array(dtype, n, "contiguous"))
        g = torch.from_numpy(make_array(dtype, n, "contiguous", seed_offset=1, scale=1.0))
        calls = {
            "hardshrink": lambda: F.hardshrink(x, LAMBD),
            "softshrink": lambda: F.softshrink(x, LAMBD),
            "tanhshrink": lambda: F.tanhshrink(x),
            "hardshrink_backward": lambda: aten.hardshrink_backward(g, x, LAMBD),
            "softshrink_backward": lambda: aten.softshrink_backward(g, x, LAMBD),
            # what autograd runs for Tanhshrink: g * tanh(x)**2
            "tanhshrink_backward": lambda: g * torch.tanh(x) ** 2,
        }
        self.call = calls[func]
        try:
            self.call()
        except Exception as exc:
            raise NotImplementedError(f"torch has no usable {func}: {exc}")

    def time_torch(self, func, dtype, n):
        self.call()


class PyWavelets:
    timeout = 120
    repeat = (3, 20, 10.0)
    params = [["hard", "soft", "garrote"], ["float32", "float64"], [10**3, 10**5, 10**7]]
    param_names = ["mode", "dtype", "N"]

    def setup(self, mode, dtype, n):
        check_size(n, dtype, "contiguous")
        try:
            import pywt
        except Exception as exc:
            raise NotImplementedError(f"pywt not importable: {exc}")
        self.threshold = pywt.threshold
        self.x = make_array(dtype, n, "contiguous")

    def time_pywt_threshold(self, mode, dtype, n):
        self.threshold(self.x, LAMBD, mode=mode)
