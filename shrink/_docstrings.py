"""Docstrings of the public functions (shrink.<name>) and of the raw ufuncs.

``PUBLIC`` holds one docstring per function, with placeholders for what every
function shares and the table (_table.py) decides: ``{params}`` (one entry per
threshold parameter, from ``PARAMS``), ``{keywords}`` and ``{raises}``. The raw
ufunc's docstring (shrink.ufuncs.<name>) is derived from it: its positional
signature, the summary before "Parameters", and a note that it checks nothing.
"""

from shrink._table import DECLARED, FAMILY

PARAMS = {
    "lambd": """\
lambd : float or array_like, default 0.5
    The threshold: a real number >= 0, finite in the result dtype, or an array
    of them that broadcasts against x (per-element thresholds).""",
    "lambd_low": """\
lambd_low : float or array_like
    The lower threshold (required): a real number >= 0 and <= lambd_high,
    finite in the result dtype, or an array of them broadcasting against x.""",
    "lambd_high": """\
lambd_high : float or array_like
    The upper threshold (required): a real number >= lambd_low, finite in the
    result dtype, or an array of them broadcasting against x.""",
    "bias": """\
bias : float or array_like, default 0.0
    Subtracted above the band, added below it: any finite real number (in
    the result dtype), or an array of them broadcasting against x.""",
}

_KEYWORDS = """\
out : ndarray or tuple of ndarray, optional
    Where to write the result (``out=x`` works in place). Nothing is written
    when a parameter is rejected.
where, casting, order, dtype, subok
    As for any ufunc (see ``numpy.ufunc``)."""

_RAISES = """\
Raises
------
TypeError
    {names} is bool, complex, str, None or an array of those; x has no loop
    (object, str, datetime, void, None).
ValueError
    {names} is {rule}, or not finite in the result dtype; the
    message names the parameter and the first bad value (and its index for an
    array). x is a ragged nested sequence."""

_RAW = """

This is the raw ufunc: operands are positional, there are no defaults and no
checks in Python. Out of the domain (a threshold negative or NaN{order}) the
result is NaN. Use ``shrink.{name}`` for the checked function{defaults}."""

PUBLIC = {
    "hardshrink": """Hard shrinkage: keep x where abs(x) > lambd, zero the band -lambd <= x <= lambd.

Parameters
----------
x : array_like
    Real or complex input. Complex z is kept where ``abs(z) > lambd``.
{params}
{keywords}

Returns
-------
ndarray or scalar
    x's own bits outside the band, +0.0 inside it (the band is closed). NaN
    stays NaN.

{raises}

See Also
--------
softshrink, hardshrink_grad, hardshrink_backward, Hardshrink

Examples
--------
>>> import numpy as np, shrink
>>> shrink.hardshrink(np.array([-1.5, -0.5, 0.25, 0.5, 2.0]))
array([-1.5,  0. ,  0. ,  0. ,  2. ])
>>> shrink.hardshrink(np.array([-1.5, 0.25, 2.0]), lambd=[2.0, 0.0, 1.0])
array([0.  , 0.25, 2.  ])
""",
    "softshrink": """Soft shrinkage (soft thresholding), the proximal operator of lambd * abs(x).

x - lambd where x > lambd, x + lambd where x < -lambd, +0.0 in between.

Parameters
----------
x : array_like
    Real or complex input. Complex z becomes ``z * (abs(z) - lambd) / abs(z)``
    where ``abs(z) > lambd`` and 0 elsewhere.
{params}
{keywords}

Returns
-------
ndarray or scalar
    Outside the band, the correctly rounded x - lambd or x + lambd in the
    result dtype; +0.0 inside the closed band; NaN where x is NaN.

{raises}

See Also
--------
hardshrink, softshrink_grad, softshrink_backward, Softshrink

Examples
--------
>>> import numpy as np, shrink
>>> shrink.softshrink(np.array([-1.5, -0.5, 0.25, 2.0]))
array([-1. ,  0. ,  0. ,  1.5])

A Python float lambd keeps float32 data float32 (NEP 50):

>>> shrink.softshrink(np.float32(0.1), 0.1)
np.float32(0.0)
""",
    "tanhshrink": """tanhshrink(x) = x - tanh(x), accurate where the difference cancels.

Near 0 the value is about x**3 / 3, which ``x - np.tanh(x)`` loses entirely;
this function stays within 1 ULP (float16, float32), 2 ULP (float64) and 8 ULP
(longdouble) everywhere.

Parameters
----------
x : array_like
    Real or complex input (complex: at least as accurate as z - np.tanh(z),
    and right near 0).
{keywords}

Returns
-------
ndarray or scalar

See Also
--------
tanhshrink_grad, tanhshrink_backward, Tanhshrink

Examples
--------
>>> import numpy as np, shrink
>>> float(shrink.tanhshrink(2.0))  # 2 - tanh(2)
1.035972419924183
>>> shrink.tanhshrink(np.float32(1e-4))  # x - tanh(x) would give 0
np.float32(3.333333e-13)
""",
    "hardshrink_grad": """Derivative of hardshrink: 1 where abs(x) > lambd, 0 where abs(x) <= lambd.

Parameters
----------
x : array_like
    Real input.
{params}
{keywords}

Returns
-------
ndarray or scalar
    1 or +0.0; NaN where x is NaN.

{raises}

Examples
--------
>>> import numpy as np, shrink
>>> shrink.hardshrink_grad(np.array([-1.0, 0.5, 0.75]))
array([1., 0., 1.])
""",
    "softshrink_grad": """Derivative of softshrink: 1 where abs(x) > lambd, 0 where abs(x) <= lambd.

Parameters
----------
x : array_like
    Real input.
{params}
{keywords}

Returns
-------
ndarray or scalar
    1 or +0.0; NaN where x is NaN.

{raises}

Examples
--------
>>> import numpy as np, shrink
>>> shrink.softshrink_grad(np.array([-1.0, 0.5, 0.75]))
array([1., 0., 1.])
""",
    "tanhshrink_grad": """Derivative of tanhshrink: tanh(x)**2.

Parameters
----------
x : array_like
    Real input.
{keywords}

Returns
-------
ndarray or scalar
    Within 1 ULP (float32), 2 ULP (float64) of tanh(x)**2.

Examples
--------
>>> import numpy as np, shrink
>>> shrink.tanhshrink_grad(np.array([0.0, 1e-3, 20.0]))
array([0.00000000e+00, 9.99999333e-07, 1.00000000e+00])
""",
    "hardshrink_backward": """Backward pass of hardshrink: grad_output where abs(x) > lambd, else 0.

The vector-Jacobian product, fused: ``grad_output * hardshrink_grad(x, lambd)``
without the intermediate array, and without letting an inf or NaN grad_output
leak into the band (inf * 0 would be NaN).

Parameters
----------
grad_output : array_like
    The gradient flowing back, broadcast against x.
x : array_like
    The forward input.
{params}
{keywords}

Returns
-------
ndarray or scalar
    grad_output where abs(x) > lambd, +0.0 where abs(x) <= lambd, NaN where x
    is NaN.

{raises}

Examples
--------
>>> import numpy as np, shrink
>>> shrink.hardshrink_backward(np.array([3.0, np.inf, 3.0]), np.array([1.0, 0.1, -2.0]))
array([3., 0., 3.])
""",
    "softshrink_backward": """Backward pass of softshrink: grad_output where abs(x) > lambd, else 0.

Parameters
----------
grad_output : array_like
    The gradient flowing back, broadcast against x.
x : array_like
    The forward input.
{params}
{keywords}

Returns
-------
ndarray or scalar
    grad_output where abs(x) > lambd, +0.0 where abs(x) <= lambd, NaN where x
    is NaN.

{raises}

Examples
--------
>>> import numpy as np, shrink
>>> shrink.softshrink_backward(np.array([3.0, np.nan, 3.0]), np.array([1.0, 0.1, -2.0]))
array([3., 0., 3.])
""",
    "tanhshrink_backward": """Backward pass of tanhshrink: grad_output * tanh(x)**2, rounded once.

Parameters
----------
grad_output : array_like
    The gradient flowing back, broadcast against x.
x : array_like
    The forward input.
{keywords}

Returns
-------
ndarray or scalar
    A zero product is +0.0.

Examples
--------
>>> import numpy as np, shrink
>>> shrink.tanhshrink_backward(np.array([2.0, -1.0]), np.array([20.0, 0.0]))
array([2., 0.])
""",
    "garrote": """The non-negative garrote: x - lambd**2 / x where abs(x) > lambd, +0.0 in the band.

Between hard and soft thresholding: large values are nearly kept, values near
the threshold shrink towards 0 (``pywt.threshold(x, lambd, "garrote")``).
Computed as ``(abs(x) - lambd) * (1 + lambd / abs(x))``, so that the band edge,
where ``x - lambd**2 / x`` cancels, is accurate (1 ULP in float16/float32, 2 in
float64) and no intermediate overflows.

Parameters
----------
x : array_like
    Real or complex input. Complex z becomes ``z * (1 - lambd**2 / abs(z)**2)``
    where ``abs(z) > lambd`` and 0 elsewhere.
{params}
{keywords}

Returns
-------
ndarray or scalar
    +0.0 inside the closed band -lambd <= x <= lambd; NaN where x is NaN.

{raises}

See Also
--------
garrote_grad, garrote_backward, Garrote, softshrink, hardshrink

Examples
--------
>>> import numpy as np, shrink
>>> shrink.garrote(np.array([-2.0, -0.5, 0.25, 1.0, 4.0]), 1.0)
array([-1.5 ,  0.  ,  0.  ,  0.  ,  3.75])
""",
    "firm": """Firm shrinkage (Gao and Bruce): 0 up to lambd_low, x beyond lambd_high, linear between.

``sign(x) * lambd_high * (abs(x) - lambd_low) / (lambd_high - lambd_low)`` where
``lambd_low < abs(x) <= lambd_high``, x where ``abs(x) > lambd_high``, +0.0
where ``abs(x) <= lambd_low`` (``pywt.threshold_firm``). With lambd_low ==
lambd_high it is hardshrink(x, lambd_low), bit for bit.

Parameters
----------
x : array_like
    Real or complex input (complex: ``z / abs(z)`` in place of sign(x)).
{params}
{keywords}

Returns
-------
ndarray or scalar
    +0.0 inside the closed band; NaN where x is NaN.

{raises}

See Also
--------
firm_grad, firm_backward, Firm, hardshrink, softshrink

Examples
--------
>>> import numpy as np, shrink
>>> shrink.firm(np.array([-3.0, -1.5, 0.5, 1.0, 2.0]), 1.0, 2.0)
array([-3., -1.,  0.,  0.,  2.])
""",
    "shrink": """The ONNX Shrink operator: x - bias where x > lambd, x + bias where x < -lambd, +0.0 between.

``bias=0`` gives hardshrink's bits, ``bias=lambd`` softshrink's; outside the
band the result is the correctly rounded ``x - bias`` / ``x + bias``.

Parameters
----------
x : array_like
    Real or complex input. Complex z becomes ``z * (abs(z) - bias) / abs(z)``
    where ``abs(z) > lambd`` and 0 elsewhere.
{params}
{keywords}

Returns
-------
ndarray or scalar
    +0.0 inside the closed band; NaN where x is NaN.

{raises}

See Also
--------
shrink_grad, shrink_backward, Shrink, hardshrink, softshrink

Examples
--------
>>> import numpy as np, shrink
>>> shrink.shrink(np.array([-2.0, 0.25, 3.0]), lambd=0.5, bias=1.5)
array([-0.5,  0. ,  1.5])
""",
    "garrote_grad": """Derivative of garrote: 1 + lambd**2 / x**2 where abs(x) > lambd, +0.0 in the band.

Parameters
----------
x : array_like
    Real input.
{params}
{keywords}

Returns
-------
ndarray or scalar
    Between 1 and 2 outside the band, +0.0 inside it, NaN where x is NaN.

{raises}

Examples
--------
>>> import numpy as np, shrink
>>> shrink.garrote_grad(np.array([-2.0, 0.5, 1.0, np.inf]), 1.0)
array([1.25, 0.  , 0.  , 1.  ])
""",
    "firm_grad": """Derivative of firm: lambd_high / (lambd_high - lambd_low) in the middle zone, 1 beyond, 0 in the band.

The middle zone is closed at lambd_high (the slope there), the band at
lambd_low.

Parameters
----------
x : array_like
    Real input.
{params}
{keywords}

Returns
-------
ndarray or scalar
    +0.0 in the band, NaN where x is NaN.

{raises}

Examples
--------
>>> import numpy as np, shrink
>>> shrink.firm_grad(np.array([0.5, 1.5, 2.0, 3.0]), 1.0, 2.0)
array([0., 2., 2., 1.])
""",
    "shrink_grad": """Derivative of shrink: 1 where abs(x) > lambd, +0.0 where abs(x) <= lambd.

bias moves the value, not the slope; it is checked all the same.

Parameters
----------
x : array_like
    Real input.
{params}
{keywords}

Returns
-------
ndarray or scalar
    1 or +0.0; NaN where x is NaN.

{raises}

Examples
--------
>>> import numpy as np, shrink
>>> shrink.shrink_grad(np.array([-1.0, 0.5, 0.75]), 0.5, bias=0.25)
array([1., 0., 1.])
""",
    "garrote_backward": """Backward pass of garrote: grad_output * garrote_grad(x, lambd), fused; +0.0 in the band.

An inf or NaN grad_output does not leak into the band (inf * 0 would be NaN).

Parameters
----------
grad_output : array_like
    The gradient flowing back, broadcast against x.
x : array_like
    The forward input.
{params}
{keywords}

Returns
-------
ndarray or scalar
    NaN where x is NaN; every zero is +0.0.

{raises}

Examples
--------
>>> import numpy as np, shrink
>>> shrink.garrote_backward(np.array([2.0, np.inf]), np.array([-2.0, 0.5]), 1.0)
array([2.5, 0. ])
""",
    "firm_backward": """Backward pass of firm: grad_output * firm_grad(x, lambd_low, lambd_high), fused.

Parameters
----------
grad_output : array_like
    The gradient flowing back, broadcast against x.
x : array_like
    The forward input.
{params}
{keywords}

Returns
-------
ndarray or scalar
    +0.0 in the band (whatever grad_output is), NaN where x is NaN.

{raises}

Examples
--------
>>> import numpy as np, shrink
>>> shrink.firm_backward(np.array([3.0, 3.0, np.nan]), np.array([1.5, 3.0, 0.5]), 1.0, 2.0)
array([6., 3., 0.])
""",
    "shrink_backward": """Backward pass of shrink: grad_output where abs(x) > lambd, +0.0 where abs(x) <= lambd.

Parameters
----------
grad_output : array_like
    The gradient flowing back, broadcast against x.
x : array_like
    The forward input.
{params}
{keywords}

Returns
-------
ndarray or scalar
    NaN where x is NaN; every zero is +0.0.

{raises}

Examples
--------
>>> import numpy as np, shrink
>>> shrink.shrink_backward(np.array([3.0, 3.0]), np.array([1.0, 0.1]), 0.5, 0.25)
array([3., 0.])
""",
}


def public(name: str) -> str:
    """The docstring of shrink.<name>, placeholders filled from the table."""
    u = DECLARED[name]
    names = " or ".join(p.name for p in u.params)
    rule = "negative, NaN, infinite"
    if any(p.signed for p in u.params):
        signed = " or ".join(p.name for p in u.params if p.signed)
        rule = f"NaN, infinite (or, except {signed}, negative)"
    return PUBLIC[name].format(params="\n".join(PARAMS[p.name] for p in u.params),
                               keywords=_KEYWORDS,
                               raises=_RAISES.format(names=names, rule=rule))


def raw(name: str) -> str:
    """The docstring of the raw ufunc shrink.ufuncs.<name>."""
    u = DECLARED[name]
    summary = PUBLIC[name].split("\nParameters\n")[0].strip()
    signature = f"{name}({', '.join(u.operands)}, /, out=None, *, where=True, ...)"
    defaults = ", ".join(f"{p.name}={p.default}" for p in u.params if p.default is not None)
    ordered = FAMILY[u.family].ordered
    order = ", or " + " > ".join(ordered) if ordered else ""
    return signature + "\n\n" + summary + _RAW.format(
        name=name, order=order, defaults=f" with the defaults {defaults}" if defaults else "")


DOCSTRINGS = {name: raw(name) for name in DECLARED}
