"""Why a ufunc refused x or grad_output, said in the caller's terms (SPEC §3).

The public functions hand x and grad_output to their ufunc unconverted (so that
containers with ``__array_ufunc__`` receive the call). When NumPy refuses one of
them, its message names the ufunc but not the parameter or the value ("ufunc
'hardshrink' not supported for the input types", or, for a ragged list, "setting
an array element with a sequence"). This runs only on that error path, after the
ufunc has raised, so the successful call pays nothing for it.
"""

from __future__ import annotations

import reprlib
from collections.abc import Iterable
from typing import Any

import numpy as np

from shrink._lambd import _is_container, is_bfloat16

# dtype kinds no loop accepts: bool, ints and floats promote; complex only for
# the forward functions.
_NEVER = {"O": "object", "U": "str", "S": "bytes", "M": "datetime64",
          "m": "timedelta64", "V": "void", "T": "str"}

_short = reprlib.Repr()
_short.maxstring = 40
_short.maxother = 40
_short.maxlist = 6


def raise_operand_error(func: str, error: Exception, complex_ok: bool,
                        operands: Iterable[tuple[str, Any]]) -> None:
    """Raise a TypeError/ValueError naming func, the operand and its value if one
    of ``operands`` ((name, value) pairs) is what NumPy refused; else return, and
    the caller re-raises NumPy's own error (out=, where=, casting=, dtype=)."""
    for name, value in operands:
        problem = _problem(value, complex_ok)
        if problem is not None:
            kind, what = problem
            wanted = "real or complex numbers" if complex_ok else "real numbers"
            raise kind(f"{func}: {name} must be an array of {wanted}, got {what}") from error


def _problem(value: Any, complex_ok: bool) -> tuple[type[Exception], str] | None:
    if _is_container(value):
        return None  # its own __array_ufunc__ raised: its message stands
    if isinstance(value, (np.ndarray, np.generic)):
        dtype = value.dtype
    else:
        try:
            dtype = np.asarray(value).dtype
        except (ValueError, TypeError):  # a ragged nested sequence, most often
            return ValueError, f"a sequence NumPy cannot make an array of: {_short.repr(value)}"
    if is_bfloat16(dtype):
        return None  # ml_dtypes.bfloat16: a real floating type with loops of its own
    if dtype.kind in _NEVER or (dtype.kind == "c" and not complex_ok):
        if isinstance(value, np.ndarray) and value.ndim:
            return TypeError, f"an array of dtype {dtype}"
        return TypeError, _short.repr(value)
    return None
