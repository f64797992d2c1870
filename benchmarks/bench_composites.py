"""What users write without shrink: the NumPy composites (SPEC section 6).

They allocate 1-3 temporaries each; compare with ``bench_hardsoft`` /
``bench_tanhshrink`` (``time_ufunc``) on the same dtype and N.
"""
import numpy as np

from .common import LAMBD, check_size, make_array


class Composites:
    timeout = 120
    repeat = (3, 20, 10.0)
    params = [["hardshrink", "softshrink", "tanhshrink"],
              ["float32", "float64"], [10**3, 10**5, 10**7]]
    param_names = ["func", "dtype", "N"]

    def setup(self, func, dtype, n):
        check_size(n, dtype, "contiguous")
        self.x = make_array(dtype, n, "contiguous")
        self.l = LAMBD

    def time_composite(self, func, dtype, n):
        x, l = self.x, self.l
        if func == "hardshrink":
            np.where(np.abs(x) > l, x, 0)
        elif func == "softshrink":
            np.sign(x) * np.maximum(np.abs(x) - l, 0)
        else:
            x - np.tanh(x)
