"""scipy.sparse input for the Python layer: the function applied to the stored values.

SciPy's sparse containers do not implement ``__array_ufunc__``: NumPy sees one
as a 0-d object array, for which the ufuncs have no loop, so the ufunc call
raises TypeError before computing anything. Only then do the functions in
``_functions.py`` ask :func:`any_sparse`, so dense calls never pay for this
module, and SciPy is never imported here: an object can only be a SciPy sparse
container if ``scipy.sparse`` is already in ``sys.modules``.

Every function maps an implicit zero to zero (0 lies in every thresholding
band, tanhshrink(0) = 0, the gradients are 0 at 0 since abs(0) <= lambd, and a
backward with g = 0 and x = 0 is 0), so applying it to ``.data`` is exact. The
result has x's format, shape and stored positions: values that become 0 stay
stored (explicit zeros), as with SciPy's own element-wise methods
(``.floor()``, ``.sign()``); ``.eliminate_zeros()`` drops them. Duplicate
entries are summed first (on a copy), since f(a) + f(b) is not f(a + b).

Decisions, each raising a clear error naming the function:
- lil and dok (construction formats, no ``.data`` of values): TypeError, convert
  with ``.tocsr()``.
- backwards: grad_output and x both sparse, of one format, with the same shape
  and stored positions (as a forward result keeps them); a mix of sparse and
  dense is a TypeError (``tanhshrink_backward(inf, 0)`` is NaN, not 0, so a
  dense g does not keep x's zeros), different positions a ValueError.
- an array threshold (lambd, bias, ...) is taken at the stored positions; it
  must broadcast to x's shape without enlarging it (ValueError otherwise).
- out= and where=: TypeError (the result is a new container; where= would leave
  stored values undefined). dtype=, casting=, order= and subok= apply to the
  values.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from shrink._table import DECLARED

_FORMATS = ("csr", "csc", "coo", "bsr", "dia")


def any_sparse(*operands: object) -> bool:
    """True if an operand is a SciPy sparse array or matrix."""
    sparse = sys.modules.get("scipy.sparse")
    return sparse is not None and any(sparse.issparse(op) for op in operands)


def apply(ufunc: np.ufunc, operands: tuple[Any, ...],
          keywords: dict[str, Any] | None = None) -> Any:
    """The ufunc on sparse operands: operands in ufunc order, (g,) x, then the
    thresholds (_table.py)."""
    name = ufunc.__name__
    keywords = dict(keywords or {})
    if keywords.pop("out", None) is not None:
        raise TypeError(f"{name}: out= is not supported with scipy.sparse input "
                        "(the result is a new sparse container)")
    if keywords.pop("where", True) is not True:
        raise TypeError(f"{name}: where= is not supported with scipy.sparse input")
    declared = DECLARED[name]
    arrays = operands[:len(declared.arrays)]
    for op in arrays:
        _check_format(name, op)
    x = _canonical(arrays[-1])
    if len(arrays) == 2:
        g = _canonical(arrays[0])
        _check_same_positions(name, g, x)
        values: tuple[Any, ...] = (g.data, x.data)
    else:
        values = (x.data,)
    values += tuple(_lambd_at_stored(name, param.name, value, x)
                    for param, value in zip(declared.params, operands[len(arrays):]))
    return _with_data(x, ufunc(*values, **keywords))


def _check_format(name: str, op: Any) -> None:
    sparse = sys.modules.get("scipy.sparse")
    if sparse is None or not sparse.issparse(op):
        raise TypeError(
            f"{name}: grad_output and x must both be scipy.sparse with the same stored "
            f"positions, or neither; got {type(op).__name__}")
    if op.format not in _FORMATS:
        raise TypeError(f"{name}: scipy.sparse format {op.format!r} is not supported; "
                        f"convert it with .tocsr() (supported: {', '.join(_FORMATS)})")


def _canonical(x: Any) -> Any:
    """x with duplicate entries summed (on a copy), or x itself if it has none:
    unsorted indices alone keep x's stored positions and their order."""
    if getattr(x, "has_canonical_format", True):
        return x
    summed = x.copy()
    summed.sum_duplicates()
    return x if summed.nnz == x.nnz else summed


def _positions(x: Any) -> tuple[Any, ...]:
    """What fixes the stored positions of x, in the order of x.data."""
    if x.format in ("csr", "csc"):
        return x.indptr, x.indices
    if x.format == "bsr":
        return x.blocksize, x.indptr, x.indices
    if x.format == "coo":
        return tuple(x.coords)
    return x.offsets, x.data.shape  # dia


def _check_same_positions(name: str, g: Any, x: Any) -> None:
    if g.format != x.format:
        raise TypeError(f"{name}: grad_output and x must have one sparse format, "
                        f"got {g.format!r} and {x.format!r}")
    same = g.shape == x.shape and all(
        np.array_equal(a, b) for a, b in zip(_positions(g), _positions(x), strict=True))
    if not same:
        raise ValueError(f"{name}: grad_output and x must have the same shape and stored "
                         f"positions, got shapes {g.shape} and {x.shape} with "
                         f"{g.nnz} and {x.nnz} stored values")


def _lambd_at_stored(name: str, param: str, lambd: Any, x: Any) -> Any:
    """A threshold, or for an array threshold its values at x's stored positions."""
    if np.ndim(lambd) == 0:
        return lambd
    lambd = np.asarray(lambd)
    if np.broadcast_shapes(lambd.shape, x.shape) != x.shape:
        raise ValueError(f"{name}: {param} of shape {lambd.shape} must broadcast to the "
                         f"shape of the sparse x {x.shape}")
    return np.broadcast_to(lambd, x.shape)[_coords(x)]


def _coords(x: Any) -> tuple[Any, ...]:
    """Index arrays shaped like x.data: where each stored value sits."""
    if x.format == "dia":
        rows, cols = x.shape
        col = np.arange(x.data.shape[1])[None, :]
        row = col - x.offsets[:, None]
        # the padding outside the matrix holds ignored values: any index does
        inside = (row >= 0) & (row < rows) & (col < cols)
        return np.where(inside, row, 0), np.where(inside, col, 0)
    coords = x.coords if x.format == "coo" else x.tocoo(copy=False).coords
    return tuple(c.reshape(x.data.shape) for c in coords)


def _with_data(x: Any, data: Any) -> Any:
    """x's format, shape and stored positions (copied) holding data."""
    if x.format in ("csr", "csc", "bsr"):
        parts: tuple[Any, ...] = (data, x.indices.copy(), x.indptr.copy())
    elif x.format == "coo":
        parts = (data, tuple(c.copy() for c in x.coords))
    else:
        parts = (data, x.offsets.copy())
    result = type(x)(parts, shape=x.shape)
    if getattr(x, "has_canonical_format", False):
        result.has_canonical_format = True  # spares SciPy checking it again
    return result
