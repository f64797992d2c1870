"""hard/soft family: the raw ufuncs against their SPEC section 6 references.

References (same inputs, same ``out=`` layout): ``np.negative(x, out=y)`` for
hardshrink, softshrink and their gradients, ``np.add(g, x, out=y)`` for the
backwards. Compare e.g. ``Forward.time_ufunc`` with ``Reference.time_negative``.
"""
import numpy as np

from .common import (
    COMPLEX, HARDSOFT_BACKWARD, HARDSOFT_FORWARD, HARDSOFT_GRAD, LAMBDAS, LAYOUTS,
    REAL, SIZES, ReferenceInputs, check_size, make_case,
)


class _Base:
    timeout = 120
    # asv picks ``number``; at 10**7 one call is ~5-10 ms, so this caps a row
    # at about 10 s; ``--quick`` runs one sample
    repeat = (3, 20, 10.0)
    param_names = ["func", "dtype", "N", "layout", "lambd"]

    def setup(self, func, dtype, n, layout, lambd):
        check_size(n, dtype, layout)
        self.ufunc, self.args, self.out = make_case(func, dtype, n, layout, lambd)

    def time_ufunc(self, func, dtype, n, layout, lambd):
        self.ufunc(*self.args, out=self.out)


class Forward(_Base):
    """hardshrink(x, lambd) / softshrink(x, lambd), real and complex."""
    params = [HARDSOFT_FORWARD, REAL + COMPLEX, SIZES, LAYOUTS, LAMBDAS]


class Grad(_Base):
    """hardshrink_grad(x, lambd) / softshrink_grad(x, lambd)."""
    params = [HARDSOFT_GRAD, REAL, SIZES, LAYOUTS, LAMBDAS]


class Backward(_Base):
    """hardshrink_backward(g, x, lambd) / softshrink_backward(g, x, lambd)."""
    params = [HARDSOFT_BACKWARD, REAL, SIZES, LAYOUTS, LAMBDAS]


class Reference(ReferenceInputs):
    """The SPEC section 6 references on the same inputs and layouts."""

    def time_negative(self, dtype, n, layout):
        np.negative(self.x, out=self.out)

    def time_add(self, dtype, n, layout):
        np.add(self.g, self.x, out=self.out)


class Alignment:
    """Contiguous calls whose operands start at a 64-byte boundary or 16 bytes
    past one (where NumPy's large allocations start): the loops first run up to
    the output's next boundary, so both should time alike. Reference:
    ``Reference.time_negative`` / ``time_add`` (contiguous)."""
    timeout = 120
    repeat = (3, 20, 10.0)
    params = [HARDSOFT_FORWARD + HARDSOFT_GRAD + HARDSOFT_BACKWARD, ["float32", "float64"],
              [10**5, 10**7], [0, 16]]
    param_names = ["func", "dtype", "N", "offset"]

    def setup(self, func, dtype, n, offset):
        self.ufunc, args, out = make_case(func, dtype, n, "contiguous")
        self.args = tuple(_at_offset(a, offset) if isinstance(a, np.ndarray) else a for a in args)
        self.out = _at_offset(out, offset)

    def time_ufunc(self, func, dtype, n, offset):
        self.ufunc(*self.args, out=self.out)


def _at_offset(a, offset):
    """A copy of ``a`` that starts ``offset`` bytes past a 64-byte boundary."""
    raw = np.empty(a.nbytes + 128, np.uint8)
    start = (-raw.ctypes.data) % 64 + offset
    v = raw[start:start + a.nbytes].view(a.dtype)
    v[...] = a
    return v
