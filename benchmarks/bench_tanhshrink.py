"""tanhshrink family: the raw ufuncs against ``np.tanh(x, out=y)``."""
import numpy as np

from .common import (
    COMPLEX, LAYOUTS, REAL, SIZES, TANH_BACKWARD, TANH_FORWARD, TANH_GRAD,
    ReferenceInputs, check_size, make_case,
)


class _Base:
    timeout = 120
    repeat = (3, 20, 10.0)
    param_names = ["func", "dtype", "N", "layout"]

    def setup(self, func, dtype, n, layout):
        check_size(n, dtype, layout)
        self.ufunc, self.args, self.out = make_case(func, dtype, n, layout)

    def time_ufunc(self, func, dtype, n, layout):
        self.ufunc(*self.args, out=self.out)


class Forward(_Base):
    """tanhshrink(x) = x - tanh(x), real and complex."""
    params = [TANH_FORWARD, REAL + COMPLEX, SIZES, LAYOUTS]


class Grad(_Base):
    """tanhshrink_grad(x) = tanh(x)**2."""
    params = [TANH_GRAD, REAL, SIZES, LAYOUTS]


class Backward(_Base):
    """tanhshrink_backward(g, x) = g * tanh(x)**2."""
    params = [TANH_BACKWARD, REAL, SIZES, LAYOUTS]


class Reference(ReferenceInputs):
    """``np.tanh(x, out=y)`` on the same inputs and layouts."""

    def time_tanh(self, dtype, n, layout):
        np.tanh(self.x, out=self.out)
