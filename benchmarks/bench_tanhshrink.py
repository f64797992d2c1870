"""tanhshrink family: the raw ufuncs against ``np.tanh(x, out=y)``."""
import numpy as np

import shrink.ufuncs

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


class Float32Paths:
    """float32 paths of the block kernels (src/tanhshrink.h) that the layouts above
    miss: results below the smallest normal (in the AVX-512 build every vector then
    takes tanhshrink's subnormal rounding branch), and an ``out=`` that is a
    transposed view (the kernel writes a stack block, a strided loop stores it)."""
    timeout = 120
    repeat = (3, 20, 10.0)
    params = [TANH_FORWARD + TANH_GRAD + TANH_BACKWARD, ["tiny", "out_transposed"]]
    param_names = ["func", "case"]

    def setup(self, func, case):
        rng = np.random.default_rng(5)
        n = 10**6
        if case == "tiny":  # |x| in [2**-50, 2**-41]: subnormal tanhshrink(x)
            x = (np.exp2(rng.uniform(-50, -41, n)) * rng.choice([-1, 1], n)).astype(np.float32)
            self.out = np.empty_like(x)
        else:
            x = (rng.standard_normal(n) * 1.5).astype(np.float32).reshape(1000, 1000)
            self.out = np.empty((1000, 1000), np.float32).T
        g = rng.standard_normal(x.shape).astype(np.float32)
        self.ufunc = getattr(shrink.ufuncs, func)
        self.args = (g, x) if func in TANH_BACKWARD else (x,)

    def time_ufunc(self, func, case):
        self.ufunc(*self.args, out=self.out)
