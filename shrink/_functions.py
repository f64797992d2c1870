"""The public functions: the raw ufuncs with the default lambd=0.5 and its checks.

Each function checks lambd (``_lambd.py``), then calls its ufunc with the
keywords passed through, so out=, where=, casting=, order=, dtype= and subok= keep
their ufunc meaning, and containers that implement ``__array_ufunc__`` (dask,
xarray, pandas, ...) receive the call: x is never converted here.

When the ufunc refuses x or grad_output, ``_operands.py`` says which and why.

The common call, a Python float lambd and no keywords, is spelled out inline in
each function: on a 1-element array a helper call or a parsed keyword costs as
much as a third of the ufunc call itself.

scipy.sparse input makes the ufunc raise TypeError (no __array_ufunc__, no
object loop); only then is ``_sparse`` asked, so the hook costs a dense call
nothing (a try block is free until something raises).
"""

from shrink import _sparse, ufuncs as _u
from shrink._lambd import ALWAYS_FINITE, check_lambd
from shrink._operands import raise_operand_error
from shrink._table import DECLARED

_KEYWORDS = """\
out : ndarray or tuple of ndarray, optional
    Where to write the result (``out=x`` works in place). Nothing is written
    when lambd is rejected.
where, casting, order, dtype, subok
    As for any ufunc (see ``numpy.ufunc``)."""

_LAMBD = """\
lambd : float or array_like, default 0.5
    The threshold: a real number >= 0, finite in the result dtype, or an array
    of them that broadcasts against x (per-element thresholds)."""

_RAISES = """\
Raises
------
TypeError
    lambd is bool, complex, str, None or an array of those; x has no loop
    (object, str, datetime, void, None).
ValueError
    lambd is negative, NaN, infinite, or not finite in the result dtype; the
    message names the first bad value (and its index for an array). x is a
    ragged nested sequence."""


def _keywords(out, where, casting, order, dtype, subok):
    """The ufunc keywords; out only when given, so that NumPy still warns about
    where= without out= (the result would be uninitialised)."""
    keywords = {"where": where, "casting": casting, "order": order, "dtype": dtype, "subok": subok}
    if out is not None:
        keywords["out"] = out
    return keywords


def _with_keywords(ufunc, operands, out, where, casting, order, dtype, subok):
    return ufunc(*operands, **_keywords(out, where, casting, order, dtype, subok))


def _recover(error, ufunc, operands, out, where, casting, order, dtype, subok):
    """The ufunc raised (called inside the except block, so that no exception
    outlives it in a local and ties it to a frame in a reference cycle). scipy.sparse
    operands, which NumPy cannot take, go to _sparse; any other failure is raised
    again naming the function and, when it is an operand's fault, the operand
    and its value (names and complex support as _table.py declares them)."""
    if _sparse.any_sparse(*operands):
        keywords = _keywords(out, where, casting, order, dtype, subok)
        try:
            return _sparse.apply(ufunc, operands, keywords)
        except (TypeError, ValueError) as refusal:
            raise refusal from None  # NumPy's refusal of a sparse operand is not the story
    try:
        declared = DECLARED[ufunc.__name__]
        arrays = [(name, value) for name, value in zip(declared.operands, operands, strict=True)
                  if name != "lambd"]
        raise_operand_error(ufunc.__name__, error, declared.has_complex, arrays)
        raise error
    finally:
        del error  # the traceback holds this frame: no cycle through this local


def _doc(text):
    """Fill the shared parameter descriptions into a docstring."""
    def decorate(func):
        func.__doc__ = text.format(keywords=_KEYWORDS, lambd=_LAMBD, raises=_RAISES)
        return func
    return decorate


@_doc("""Hard shrinkage: keep x where abs(x) > lambd, zero the band -lambd <= x <= lambd.

Parameters
----------
x : array_like
    Real or complex input. Complex z is kept where ``abs(z) > lambd``.
{lambd}
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
""")
def hardshrink(x, lambd=0.5, *, out=None, where=True, casting="same_kind", order="K",
               dtype=None, subok=True):
    if type(lambd) is not float or not 0.0 <= lambd <= ALWAYS_FINITE:
        lambd = check_lambd("hardshrink", lambd, (x,), dtype)
    try:
        if out is None and where is True and casting == "same_kind" and order == "K" \
                and dtype is None and subok is True:
            return _u.hardshrink(x, lambd)
        return _with_keywords(_u.hardshrink, (x, lambd),
                              out, where, casting, order, dtype, subok)
    except (TypeError, ValueError) as error:
        return _recover(error, _u.hardshrink, (x, lambd),
                        out, where, casting, order, dtype, subok)


@_doc("""Soft shrinkage (soft thresholding), the proximal operator of lambd * abs(x).

x - lambd where x > lambd, x + lambd where x < -lambd, +0.0 in between.

Parameters
----------
x : array_like
    Real or complex input. Complex z becomes ``z * (abs(z) - lambd) / abs(z)``
    where ``abs(z) > lambd`` and 0 elsewhere.
{lambd}
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
""")
def softshrink(x, lambd=0.5, *, out=None, where=True, casting="same_kind", order="K",
               dtype=None, subok=True):
    if type(lambd) is not float or not 0.0 <= lambd <= ALWAYS_FINITE:
        lambd = check_lambd("softshrink", lambd, (x,), dtype)
    try:
        if out is None and where is True and casting == "same_kind" and order == "K" \
                and dtype is None and subok is True:
            return _u.softshrink(x, lambd)
        return _with_keywords(_u.softshrink, (x, lambd),
                              out, where, casting, order, dtype, subok)
    except (TypeError, ValueError) as error:
        return _recover(error, _u.softshrink, (x, lambd),
                        out, where, casting, order, dtype, subok)


@_doc("""tanhshrink(x) = x - tanh(x), accurate where the difference cancels.

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
""")
def tanhshrink(x, *, out=None, where=True, casting="same_kind", order="K", dtype=None,
               subok=True):
    try:
        if out is None and where is True and casting == "same_kind" and order == "K" \
                and dtype is None and subok is True:
            return _u.tanhshrink(x)
        return _with_keywords(_u.tanhshrink, (x,),
                              out, where, casting, order, dtype, subok)
    except (TypeError, ValueError) as error:
        return _recover(error, _u.tanhshrink, (x,),
                        out, where, casting, order, dtype, subok)


@_doc("""Derivative of hardshrink: 1 where abs(x) > lambd, 0 where abs(x) <= lambd.

Parameters
----------
x : array_like
    Real input.
{lambd}
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
""")
def hardshrink_grad(x, lambd=0.5, *, out=None, where=True, casting="same_kind", order="K",
                    dtype=None, subok=True):
    if type(lambd) is not float or not 0.0 <= lambd <= ALWAYS_FINITE:
        lambd = check_lambd("hardshrink_grad", lambd, (x,), dtype)
    try:
        if out is None and where is True and casting == "same_kind" and order == "K" \
                and dtype is None and subok is True:
            return _u.hardshrink_grad(x, lambd)
        return _with_keywords(_u.hardshrink_grad, (x, lambd),
                              out, where, casting, order, dtype, subok)
    except (TypeError, ValueError) as error:
        return _recover(error, _u.hardshrink_grad, (x, lambd),
                        out, where, casting, order, dtype, subok)


@_doc("""Derivative of softshrink: 1 where abs(x) > lambd, 0 where abs(x) <= lambd.

Parameters
----------
x : array_like
    Real input.
{lambd}
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
""")
def softshrink_grad(x, lambd=0.5, *, out=None, where=True, casting="same_kind", order="K",
                    dtype=None, subok=True):
    if type(lambd) is not float or not 0.0 <= lambd <= ALWAYS_FINITE:
        lambd = check_lambd("softshrink_grad", lambd, (x,), dtype)
    try:
        if out is None and where is True and casting == "same_kind" and order == "K" \
                and dtype is None and subok is True:
            return _u.softshrink_grad(x, lambd)
        return _with_keywords(_u.softshrink_grad, (x, lambd),
                              out, where, casting, order, dtype, subok)
    except (TypeError, ValueError) as error:
        return _recover(error, _u.softshrink_grad, (x, lambd),
                        out, where, casting, order, dtype, subok)


@_doc("""Derivative of tanhshrink: tanh(x)**2.

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
""")
def tanhshrink_grad(x, *, out=None, where=True, casting="same_kind", order="K", dtype=None,
                    subok=True):
    try:
        if out is None and where is True and casting == "same_kind" and order == "K" \
                and dtype is None and subok is True:
            return _u.tanhshrink_grad(x)
        return _with_keywords(_u.tanhshrink_grad, (x,),
                              out, where, casting, order, dtype, subok)
    except (TypeError, ValueError) as error:
        return _recover(error, _u.tanhshrink_grad, (x,),
                        out, where, casting, order, dtype, subok)


@_doc("""Backward pass of hardshrink: grad_output where abs(x) > lambd, else 0.

The vector-Jacobian product, fused: ``grad_output * hardshrink_grad(x, lambd)``
without the intermediate array, and without letting an inf or NaN grad_output
leak into the band (inf * 0 would be NaN).

Parameters
----------
grad_output : array_like
    The gradient flowing back, broadcast against x.
x : array_like
    The forward input.
{lambd}
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
""")
def hardshrink_backward(grad_output, x, lambd=0.5, *, out=None, where=True, casting="same_kind",
                        order="K", dtype=None, subok=True):
    if type(lambd) is not float or not 0.0 <= lambd <= ALWAYS_FINITE:
        lambd = check_lambd("hardshrink_backward", lambd, (grad_output, x), dtype)
    try:
        if out is None and where is True and casting == "same_kind" and order == "K" \
                and dtype is None and subok is True:
            return _u.hardshrink_backward(grad_output, x, lambd)
        return _with_keywords(_u.hardshrink_backward, (grad_output, x, lambd),
                              out, where, casting, order, dtype, subok)
    except (TypeError, ValueError) as error:
        return _recover(error, _u.hardshrink_backward, (grad_output, x, lambd),
                        out, where, casting, order, dtype, subok)


@_doc("""Backward pass of softshrink: grad_output where abs(x) > lambd, else 0.

Parameters
----------
grad_output : array_like
    The gradient flowing back, broadcast against x.
x : array_like
    The forward input.
{lambd}
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
""")
def softshrink_backward(grad_output, x, lambd=0.5, *, out=None, where=True, casting="same_kind",
                        order="K", dtype=None, subok=True):
    if type(lambd) is not float or not 0.0 <= lambd <= ALWAYS_FINITE:
        lambd = check_lambd("softshrink_backward", lambd, (grad_output, x), dtype)
    try:
        if out is None and where is True and casting == "same_kind" and order == "K" \
                and dtype is None and subok is True:
            return _u.softshrink_backward(grad_output, x, lambd)
        return _with_keywords(_u.softshrink_backward, (grad_output, x, lambd),
                              out, where, casting, order, dtype, subok)
    except (TypeError, ValueError) as error:
        return _recover(error, _u.softshrink_backward, (grad_output, x, lambd),
                        out, where, casting, order, dtype, subok)


@_doc("""Backward pass of tanhshrink: grad_output * tanh(x)**2, rounded once.

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
""")
def tanhshrink_backward(grad_output, x, *, out=None, where=True, casting="same_kind", order="K",
                        dtype=None, subok=True):
    try:
        if out is None and where is True and casting == "same_kind" and order == "K" \
                and dtype is None and subok is True:
            return _u.tanhshrink_backward(grad_output, x)
        return _with_keywords(_u.tanhshrink_backward, (grad_output, x),
                              out, where, casting, order, dtype, subok)
    except (TypeError, ValueError) as error:
        return _recover(error, _u.tanhshrink_backward, (grad_output, x),
                        out, where, casting, order, dtype, subok)
