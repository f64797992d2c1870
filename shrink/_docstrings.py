"""Docstrings of the raw ufuncs (shrink.ufuncs.<name>).

The raw ufuncs take every operand positionally, have no defaults and check
nothing in Python; the functions of the same name in ``shrink`` add the default
``lambd=0.5`` and its checks, and carry the full documentation with examples.
"""

_RAW = """

This is the raw ufunc: operands are positional, there is no default and no
check of lambd. Out of the domain (lambd negative or NaN) the result is NaN.
Use ``shrink.{name}`` for the checked function with the default lambd=0.5."""

_TEXT = {
    "hardshrink": "hardshrink(x, lambd, /, out=None, *, where=True, ...)\n\n"
                  "Hard shrinkage: x where abs(x) > lambd, +0.0 where -lambd <= x <= lambd.\n"
                  "Complex x: z where abs(z) > lambd, else 0.",
    "softshrink": "softshrink(x, lambd, /, out=None, *, where=True, ...)\n\n"
                  "Soft shrinkage: x - lambd where x > lambd, x + lambd where x < -lambd,\n"
                  "+0.0 otherwise (correctly rounded). Complex x: z * (abs(z) - lambd) / abs(z)\n"
                  "where abs(z) > lambd, else 0.",
    "tanhshrink": "tanhshrink(x, /, out=None, *, where=True, ...)\n\n"
                  "x - tanh(x), accurate where the difference cancels (near 0 it is about\n"
                  "x**3 / 3): within 1 ULP in float16/float32, 2 ULP in float64.",
    "hardshrink_grad": "hardshrink_grad(x, lambd, /, out=None, *, where=True, ...)\n\n"
                       "Derivative of hardshrink: 1 where abs(x) > lambd, +0.0 where abs(x) <= lambd,\n"
                       "NaN where x is NaN.",
    "softshrink_grad": "softshrink_grad(x, lambd, /, out=None, *, where=True, ...)\n\n"
                       "Derivative of softshrink: 1 where abs(x) > lambd, +0.0 where abs(x) <= lambd,\n"
                       "NaN where x is NaN.",
    "tanhshrink_grad": "tanhshrink_grad(x, /, out=None, *, where=True, ...)\n\n"
                       "Derivative of tanhshrink: tanh(x)**2, within 1 ULP (float32) / 2 ULP (float64).",
    "hardshrink_backward": "hardshrink_backward(grad_output, x, lambd, /, out=None, *, where=True, ...)\n\n"
                           "Vector-Jacobian product of hardshrink: grad_output where abs(x) > lambd,\n"
                           "+0.0 where abs(x) <= lambd (even for an inf or NaN grad_output), NaN where\n"
                           "x is NaN.",
    "softshrink_backward": "softshrink_backward(grad_output, x, lambd, /, out=None, *, where=True, ...)\n\n"
                           "Vector-Jacobian product of softshrink: grad_output where abs(x) > lambd,\n"
                           "+0.0 where abs(x) <= lambd (even for an inf or NaN grad_output), NaN where\n"
                           "x is NaN.",
    "tanhshrink_backward": "tanhshrink_backward(grad_output, x, /, out=None, *, where=True, ...)\n\n"
                           "Vector-Jacobian product of tanhshrink: grad_output * tanh(x)**2, rounded once.",
}

DOCSTRINGS = {name: text + _RAW.format(name=name) for name, text in _TEXT.items()}
