"""Checks of the threshold parameters before any ufunc runs (SPEC §2, §7).

A threshold (lambd, lambd_low, lambd_high) is valid when it is a real number (or
an array of them) that is >= 0 and finite, also once cast to the dtype the ufunc
computes in; a signed parameter (bias) may also be negative. The common case, a
Python or NumPy real scalar in [0, 65504], is finite in every float dtype (65504
is the float16 maximum) and costs two comparisons; everything else takes the
slow path. Every message names the function, the parameter and the bad value.
"""

from __future__ import annotations  # annotations stay strings: no cost at import

import reprlib
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import DTypeLike, NDArray

ALWAYS_FINITE = float(np.finfo(np.float16).max)  # finite in every float dtype

# Real scalar types whose value two comparisons fully check (NaN fails them);
# a NumPy scalar is what a layer object or a loop over thresholds passes.
_REAL_SCALARS = frozenset({float, int, np.float16, np.float32, np.float64, np.longdouble,
                           np.int8, np.int16, np.int32, np.int64,
                           np.uint8, np.uint16, np.uint32, np.uint64})


def check_lambd(func: str, lambd: Any, operands: tuple[object, ...],
                dtype: DTypeLike | None = None, name: str = "lambd",
                signed: bool = False) -> None:
    """Raise TypeError/ValueError naming func, the parameter and the bad value.

    func: the public name ("softshrink"); operands: the other operands in ufunc
    order (x, or grad_output and x, then the other parameters) and dtype: the
    caller's dtype=, used only to find the result dtype when the value is too
    large to be finite in every float dtype. name: the parameter ("lambd",
    "bias", ...); signed: any finite real is valid (bias), not only >= 0.

    lambd is Any: the fast path compares it before its type is known to be real.
    """
    if type(lambd) in _REAL_SCALARS and (-ALWAYS_FINITE if signed else 0) <= lambd <= ALWAYS_FINITE:
        return
    _check_slowly(func, lambd, operands, dtype, name, signed)


def check_lambd_alone(func: str, lambd: object, name: str = "lambd",
                      signed: bool = False) -> None:
    """The checks that need no x: for layer objects, which check lambd once."""
    _check_slowly(func, lambd, None, None, name, signed)


def check_order(func: str, low_name: str, low: Any, high_name: str, high: Any) -> None:
    """ValueError naming both parameters where low > high (each already checked:
    real, finite, >= 0). Arrays are compared element by element, broadcast."""
    if _is_container(low) or _is_container(high):
        return  # checked where its values are read; the raw ufunc gives NaN there
    lows, highs = np.asarray(low), np.asarray(high)
    if lows.ndim == 0 and highs.ndim == 0:
        if low > high:
            raise ValueError(f"{func}: {low_name} must be <= {high_name}, got "
                             f"{low_name}={_shown(low)} > {high_name}={_shown(high)}")
        return
    lows, highs = np.broadcast_arrays(lows, highs)
    bad = lows > highs
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"{func}: {low_name} must be <= {high_name}, got "
                         f"{low_name}={_shown(lows[index])} > "
                         f"{high_name}={_shown(highs[index])} at index {index}")


def _shown(value: Any) -> object:
    """A NumPy scalar shown as Python shows the number (0.5, not np.float64(0.5))."""
    return value.item() if isinstance(value, np.generic) else value


def _type_error(func: str, what: str, name: str = "lambd") -> TypeError:
    return TypeError(f"{func}: {name} must be a real number or an array of real numbers, "
                     f"got {what}")


def _value_error(func: str, value: object, index: tuple[int, ...] | None = None,
                 dtype: np.dtype[Any] | None = None, name: str = "lambd",
                 signed: bool = False) -> ValueError:
    where = f" at index {index}" if index is not None else ""
    if dtype is None:
        rule = "finite" if signed else "finite and >= 0"
        return ValueError(f"{func}: {name} must be {rule}, got {value!r}{where}")
    return ValueError(f"{func}: {name} must be finite in the result dtype {dtype}, "
                      f"got {value!r}{where}")


def _check_slowly(func: str, lambd: object, operands: tuple[object, ...] | None,
                  dtype: DTypeLike | None, name: str = "lambd", signed: bool = False) -> None:
    if lambd is None or isinstance(lambd, (bool, np.bool_, complex, np.complexfloating,
                                           str, bytes)):
        raise _type_error(func, repr(lambd), name)
    if isinstance(lambd, int):  # a Python int may be too large for any NumPy dtype
        if lambd < 0 and not signed:
            raise _value_error(func, lambd, name=name)  # shown as given: -1, not -1.0
        try:
            values = np.asarray(float(lambd))
        except OverflowError:
            raise _value_error(func, lambd, name=name, signed=signed) from None
    elif _is_container(lambd):
        # dask, xarray, ...: reading its values would compute or copy it. The
        # ufunc receives it as it is and gives NaN where it is invalid.
        return
    else:
        try:
            values = np.asarray(lambd)
        except (ValueError, TypeError):  # a ragged nested sequence, most often
            raise ValueError(f"{func}: {name} must be a real number or an array of real "
                             f"numbers, got a sequence NumPy cannot make an array of: "
                             f"{reprlib.repr(lambd)}") from None
    if values.dtype.kind not in "iuf":
        raise _type_error(func, f"an array of dtype {values.dtype}" if values.ndim
                          else repr(lambd), name)
    # min and max reduce without temporaries (SPEC: no extra memory with out=);
    # NaN propagates through both. Only a failure pays for locating the value.
    if values.size and not ((np.isfinite(values.min()) if signed else values.min() >= 0)
                            and np.isfinite(values.max())):
        with np.errstate(invalid="ignore"):
            bad = ~np.isfinite(values) if signed else ~((values >= 0) & np.isfinite(values))
            raise _first_bad(func, values, bad, name=name, signed=signed)
    if operands is not None and values.size and (
            values.max() > ALWAYS_FINITE or (signed and values.min() < -ALWAYS_FINITE)):
        _check_finite_in_result_dtype(func, lambd, values, operands, dtype, name)


def _is_container(obj: object) -> bool:
    return hasattr(obj, "__array_ufunc__") and not isinstance(obj, (np.ndarray, np.generic))


def _first_bad(func: str, values: NDArray[Any], bad: NDArray[np.bool],
               dtype: np.dtype[Any] | None = None, name: str = "lambd",
               signed: bool = False) -> ValueError:
    index = tuple(int(i) for i in np.argwhere(bad)[0]) if values.ndim else None
    value = values[index or ()].item()
    if isinstance(value, np.floating):  # longdouble: show it as Python shows a float
        value = float(value)
    return _value_error(func, value, index, dtype, name, signed)


def _check_finite_in_result_dtype(func: str, lambd: object, values: NDArray[Any],
                                  operands: tuple[object, ...], dtype: DTypeLike | None,
                                  name: str = "lambd") -> None:
    dtype = _result_dtype(func, lambd, values, operands, dtype)
    if dtype is None or dtype.kind not in "fc":
        return
    real = np.finfo(dtype).dtype  # float32 for complex64
    with np.errstate(over="ignore"):
        bad = ~np.isfinite(values.astype(real))
    if bad.any():
        raise _first_bad(func, values, bad, real, name)


def _result_dtype(func: str, lambd: object, values: NDArray[Any], operands: tuple[object, ...],
                  dtype: DTypeLike | None) -> np.dtype[Any] | None:
    """The dtype the ufunc will compute in, by NumPy's own type resolution."""
    from shrink import ufuncs  # late: the ufuncs module imports the loops

    if dtype is not None:
        return np.dtype(dtype)
    dtypes = [_dtype_or_weak_type(op) for op in operands]
    dtypes.append(type(lambd) if type(lambd) in (int, float) else values.dtype)
    if None in dtypes:
        return None  # a container without a dtype: its own __array_ufunc__ decides
    try:
        resolved: np.dtype[Any] = getattr(ufuncs, func).resolve_dtypes(tuple(dtypes) + (None,))[-1]
    except (TypeError, ValueError):
        return None  # the ufunc call itself will raise NumPy's error
    return resolved


def _dtype_or_weak_type(operand: object) -> np.dtype[Any] | type | None:
    if type(operand) in (int, float, complex):
        return type(operand)  # NEP 50: Python scalars are weakly typed
    dtype = getattr(operand, "dtype", None)
    if dtype is not None:
        found: np.dtype[Any] = np.dtype(dtype)
        return found
    if _is_container(operand):
        return None
    try:
        array: NDArray[Any] = np.asarray(operand)
    except (ValueError, TypeError):
        return None  # a ragged list: the ufunc call raises, and says which operand
    return array.dtype
