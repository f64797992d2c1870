"""Cost of the Python layer (``shrink.<name>``) over the raw ufunc.

SPEC section 6: ``shrink.hardshrink(x1, 0.5)`` on a 1-element array within
1.5 x ``np.add(x1, 0.5)``. ``np.negative(x1)`` is the bare one-operand call.
``DirectPath``: N = 1000 through the public functions' direct path
(shrink/_direct.pyx), with and without out=, against the raw ufunc.
``DirectPathTransposed``: transposed 1000 x 1000 views into a C out=, the
direct path's tiled run for mixed layouts, with its buffered tiles: the
transposed input of a one-array function is copied in, the C out= of a
backward (whose two inputs are transposed) copied out.
"""
import numpy as np

import shrink
import shrink.ufuncs as su

from shrink._table import FAMILIES

from .common import ALL_UFUNCS, PARAM_VALUES, TAKES_GRAD, make_array, param_values


def _args(name, x, g):
    args = (g, x) if name in TAKES_GRAD else (x,)
    return args + param_values(name)


class OneElement:
    """Every public function, raw ufunc and reference on a 1-element array."""
    params = [ALL_UFUNCS]
    param_names = ["func"]

    def setup(self, name):
        self.x1 = np.array([0.75])
        self.g1 = np.array([1.25])
        self.y1 = np.empty(1)
        self.args = _args(name, self.x1, self.g1)
        self.function = getattr(shrink, name)
        self.ufunc = getattr(su, name)

    def time_python_layer(self, name):
        self.function(*self.args)

    def time_python_layer_out(self, name):
        self.function(*self.args, out=self.y1)

    def time_ufunc(self, name):
        self.ufunc(*self.args)


class OneElementReference:
    def setup(self):
        self.x1 = np.array([0.75])

    def time_np_add_scalar(self):
        np.add(self.x1, 0.5)

    def time_np_negative(self):
        np.negative(self.x1)

    def time_hardshrink(self):
        # the SPEC row itself, kept beside its reference
        shrink.hardshrink(self.x1, 0.5)

    def time_hardshrink_default_lambd(self):
        shrink.hardshrink(self.x1)


class Modules:
    """The layer objects, one per family: shrink.Hardshrink, ..."""
    params = [[f.layer for f in FAMILIES], [1, 10**5]]
    param_names = ["module", "N"]

    def setup(self, module, n):
        family = next(f for f in FAMILIES if f.layer == module)
        self.m = getattr(shrink, module)(*(PARAM_VALUES[p] for p in family.param_names))
        self.x = make_array("float64", n, "contiguous")
        self.g = make_array("float64", n, "contiguous", seed_offset=1)

    def time_forward(self, module, n):
        self.m(self.x)

    def time_grad(self, module, n):
        self.m.grad(self.x)

    def time_backward(self, module, n):
        self.m.backward(self.g, self.x)


class ArrayLambd:
    """Per-element lambd: the Python layer validates every element."""
    timeout = 120
    params = [["hardshrink", "softshrink_backward"], ["float32", "float64"], [10**3, 10**5]]
    param_names = ["func", "dtype", "N"]

    def setup(self, name, dtype, n):
        x = make_array(dtype, n, "contiguous")
        g = make_array(dtype, n, "contiguous", seed_offset=1)
        self.lam = np.random.default_rng(1).uniform(0.25, 0.75, n).astype(dtype)
        self.arrays = (g, x) if name in TAKES_GRAD else (x,)
        self.out = np.empty(n, dtype)
        self.function = getattr(shrink, name)
        self.ufunc = getattr(su, name)

    def time_python_layer(self, name, dtype, n):
        self.function(*self.arrays, self.lam, out=self.out)

    def time_ufunc(self, name, dtype, n):
        self.ufunc(*self.arrays, self.lam, out=self.out)


class _PublicAndRaw:
    """The timers the direct-path benchmarks share: the public function with
    and without out=, and the raw ufunc; setup gives args, y, function, ufunc."""
    param_names = ["func", "dtype"]

    def time_function_out(self, name, dtype):
        self.function(*self.args, out=self.y)

    def time_function(self, name, dtype):
        self.function(*self.args)

    def time_ufunc_out(self, name, dtype):
        self.ufunc(*self.args, out=self.y)


class DirectPath(_PublicAndRaw):
    """SPEC section 6 at N = 1000 as users call the functions: exact float32 /
    float64 ndarrays take the direct path (shrink/_direct.pyx: the ufunc's own
    loop without NumPy's dispatch), with out= and without, beside the raw
    ufunc and the call that falls through to it (a step-2 view of the same
    length). A forward, a backward, the compute-bound family and a section 7
    function with two thresholds."""
    params = [["hardshrink", "softshrink_backward", "tanhshrink", "firm"],
              ["float32", "float64"]]

    def setup(self, name, dtype):
        x = make_array(dtype, 1000, "contiguous")
        g = make_array(dtype, 1000, "contiguous", seed_offset=1)
        self.args = _args(name, x, g)
        self.y = np.empty(1000, dtype)
        self.strided = _args(name, make_array(dtype, 1000, "strided"),
                             make_array(dtype, 1000, "strided", seed_offset=1))
        self.function = getattr(shrink, name)
        self.ufunc = getattr(su, name)

    def time_function_strided_out(self, name, dtype):
        # not the direct path: the ufunc machinery handles the strides
        self.function(*self.strided, out=self.y)


class DirectPathTransposed(_PublicAndRaw):
    """SPEC section 6 "transposed 2-D view" as benchmarks/ratios.py times it:
    inputs a.T of C-ordered 1000 x 1000 arrays, out= a C array. Operands of
    mixed layouts take the direct path's tiled run (shrink/_direct.pyx
    run_tiled): the forward functions copy x's tiles in, the backwards copy
    out's tiles out (shrink/src/tile_copy.h); beside it the raw ufunc (NumPy's
    iterator, 1-D columns) and the reference of each family on the same
    views."""
    params = [["hardshrink", "softshrink_backward", "tanhshrink", "tanhshrink_backward",
               "firm"], ["float32", "float64"]]

    def setup(self, name, dtype):
        x = make_array(dtype, 10**6, "transposed")
        g = make_array(dtype, 10**6, "transposed", seed_offset=1)
        self.x, self.g = x, g
        self.args = _args(name, x, g)
        self.y = np.empty(x.shape, dtype)
        self.function = getattr(shrink, name)
        self.ufunc = getattr(su, name)

    def time_reference_out(self, name, dtype):
        # SPEC section 6's reference of the family, on the same views
        if "tanh" in name:
            np.tanh(self.x, out=self.y)
        elif name in TAKES_GRAD:
            np.add(self.g, self.x, out=self.y)
        else:
            np.negative(self.x, out=self.y)
