"""bfloat16 (ml_dtypes, SPEC section 7): hard/soft and section 7 families at
N = 10**7, every operand bfloat16, against ``np.negative`` on a float16 array of
the same length (SPEC section 6: <= 1.25x). Compare ``BFloat16.time_ufunc`` with
``BFloat16Reference.time_negative_float16``. Skipped without ml_dtypes.
"""
import numpy as np

from .common import (
    BIG, HARDSOFT_BACKWARD, HARDSOFT_FORWARD, HARDSOFT_GRAD, TAKES_GRAD, make_array,
    param_values, skip_unless,
)

SIZES = [10**3, BIG]  # the SPEC row is at 10**7; 10**3 for the per-call cost


def bfloat16():
    """ml_dtypes.bfloat16's dtype, or a skip where ml_dtypes is not installed."""
    try:
        import ml_dtypes
    except ImportError:
        skip_unless(False, "ml_dtypes is not installed")
    return np.dtype(ml_dtypes.bfloat16)


class BFloat16:
    """Each hard/soft and section 7 ufunc on bfloat16, thresholds bfloat16 scalars."""
    timeout = 120
    repeat = (3, 20, 10.0)
    params = [HARDSOFT_FORWARD + HARDSOFT_GRAD + HARDSOFT_BACKWARD, SIZES]
    param_names = ["func", "N"]

    def setup(self, func, n):
        import shrink.ufuncs as su

        dt = bfloat16()
        x = make_array("float32", n, "contiguous").astype(dt)
        args = [x]
        if func in TAKES_GRAD:
            args = [make_array("float32", n, "contiguous", seed_offset=1,
                               scale=1.0).astype(dt), x]
        args += [dt.type(v) for v in param_values(func)]
        self.ufunc, self.args, self.out = getattr(su, func), tuple(args), np.empty(n, dt)

    def time_ufunc(self, func, n):
        self.ufunc(*self.args, out=self.out)


class BFloat16Reference:
    """SPEC section 6's reference for bfloat16: np.negative on float16, same length."""
    timeout = 120
    repeat = (3, 20, 10.0)

    params = [SIZES]
    param_names = ["N"]

    def setup(self, n):
        bfloat16()  # the same skip as the rows it is the reference of
        self.x = make_array("float16", n, "contiguous")
        self.out = np.empty(n, np.float16)

    def time_negative_float16(self, n):
        np.negative(self.x, out=self.out)
