"""Checks of the threshold parameters before any ufunc runs (SPEC §2, §7).

A threshold (lambd, lambd_low, lambd_high) is valid when it is a real number (or
an array of them) that is >= 0 and finite, also once cast to the dtype the ufunc
computes in; a signed parameter (bias) may also be negative. The common case, a
Python or NumPy real scalar in [0, 65504], is finite in every float dtype (65504
is the float16 maximum) and costs two comparisons; everything else takes the
slow path. Every message names the function, the parameter and the bad value.

A lambd held in a container is checked as well. pandas, xarray and anything else
NumPy can read without computing are read with np.asarray and checked as an
array. A lazy one (a dask array, or an xarray object holding one) cannot be read
without computing it, so the check runs inside its graph, chunk by chunk:
check_lambd returns the lambd to call the ufunc with, and for a lazy lambd that is
a checked copy whose chunks raise the same ValueError when they are computed.

The checks take the parameter's name and its value rule (a _Rule) as arguments,
so that any threshold parameter can use them.

ml_dtypes.bfloat16 is a real floating type here (SPEC §7), although NumPy
reports its kind as 'V': ``is_real_dtype`` says which dtypes a threshold may have.
"""

from __future__ import annotations  # annotations stay strings: no cost at import

import reprlib
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import DTypeLike, NDArray

ALWAYS_FINITE = float(np.finfo(np.float16).max)  # finite in every float dtype

# Real scalar types whose value two comparisons fully check (NaN fails them);
# a NumPy scalar is what a layer object or a loop over thresholds passes.
_REAL_SCALARS = frozenset({float, int, np.float16, np.float32, np.float64, np.longdouble,
                           np.int8, np.int16, np.int32, np.int64,
                           np.uint8, np.uint16, np.uint32, np.uint64})


def bfloat16_dtype() -> np.dtype[Any] | None:
    """np.dtype(ml_dtypes.bfloat16) when ml_dtypes is installed (the loops are
    registered for it), else None."""
    from shrink._ufuncs import BFLOAT16_DTYPE  # late: the ufuncs module imports the loops

    found: np.dtype[Any] | None = BFLOAT16_DTYPE
    return found


def is_bfloat16(dtype: np.dtype[Any]) -> bool:
    bfloat16 = bfloat16_dtype()
    return bfloat16 is not None and dtype.kind == "V" and dtype == bfloat16


def is_real_dtype(dtype: np.dtype[Any]) -> bool:
    """Integers and real floats, bfloat16 included."""
    return dtype.kind in "iuf" or is_bfloat16(dtype)


class _Rule(NamedTuple):
    """What a threshold parameter must be: its name in messages, and whether it
    must be >= 0 as well as finite."""
    param: str
    nonnegative: bool

    def requirement(self) -> str:
        return "finite and >= 0" if self.nonnegative else "finite"


def check_lambd(func: str, lambd: Any, operands: tuple[object, ...],
                dtype: DTypeLike | None = None, name: str = "lambd",
                signed: bool = False) -> Any:
    """Raise TypeError/ValueError naming func, the parameter and the bad value;
    return the value to call the ufunc with (the value itself, or for a lazy dask
    value a copy whose chunks check themselves when computed).

    func: the public name ("softshrink"); operands: the other operands in ufunc
    order (x, or grad_output and x, then the other parameters) and dtype: the
    caller's dtype=, used only to find the result dtype when the value is too
    large to be finite in every float dtype. name: the parameter ("lambd",
    "bias", ...); signed: any finite real is valid (bias), not only >= 0.

    lambd is Any: the fast path compares it before its type is known to be real.
    """
    if type(lambd) in _REAL_SCALARS and (-ALWAYS_FINITE if signed else 0) <= lambd <= ALWAYS_FINITE:
        return lambd
    return check_threshold(func, _Rule(name, not signed), lambd, operands, dtype)


def check_lambd_alone(func: str, lambd: object, name: str = "lambd",
                      signed: bool = False) -> None:
    """The checks that need no x: for layer objects, which check lambd once."""
    check_threshold(func, _Rule(name, not signed), lambd, None, None)


def check_order(func: str, low_name: str, low: Any, high_name: str, high: Any) -> None:
    """ValueError naming both parameters where low > high (each already checked:
    real, finite, >= 0). Arrays are compared element by element, broadcast. A lazy
    (dask) parameter is not read: the raw ufunc gives NaN where the order fails."""
    if _lazy_array(low) is not None or _lazy_array(high) is not None:
        return
    lows, highs = np.asarray(low), np.asarray(high)
    if lows.ndim == 0 and highs.ndim == 0:
        if lows > highs:
            raise ValueError(f"{func}: {low_name} must be <= {high_name}, got "
                             f"{low_name}={_shown(low)} > {high_name}={_shown(high)}")
        return
    # min and max reduce without temporaries, and broadcasting changes no
    # value: every low below every high settles the common case at no cost
    if not lows.size or not highs.size or lows.max() <= highs.min():
        return
    if _ordered(lows, highs):
        return
    lows, highs = np.broadcast_arrays(lows, highs)  # only a failure pays for locating the value
    with np.errstate(invalid="ignore"):
        bad = lows > highs
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"{func}: {low_name} must be <= {high_name}, got "
                         f"{low_name}={_shown(lows[index])} > "
                         f"{high_name}={_shown(highs[index])} at index {index}")


# elements compared at a time where the ranges of low and high overlap: the
# temporary stays a few kB (SPEC §6: no extra memory with out=, an array
# threshold included)
_ORDER_BLOCK = 1024


def _ordered(lows: NDArray[Any], highs: NDArray[Any]) -> bool:
    """Whether lows <= highs everywhere (broadcast against each other), without
    a temporary of their size: the pairs are compared in blocks of _ORDER_BLOCK."""
    blocks = np.nditer([lows, highs], flags=["external_loop", "buffered", "zerosize_ok"],
                       op_flags=[["readonly"], ["readonly"]], buffersize=_ORDER_BLOCK)
    return not any((low > high).any() for low, high in blocks)


def _shown(value: Any) -> object:
    """A NumPy scalar shown as Python shows the number (0.5, not np.float64(0.5))."""
    return value.item() if isinstance(value, np.generic) else value


def _type_error(func: str, rule: _Rule, what: str) -> TypeError:
    return TypeError(f"{func}: {rule.param} must be a real number or an array of real "
                     f"numbers, got {what}")


def _value_error(func: str, rule: _Rule, value: object, index: tuple[int, ...] | None = None,
                 dtype: np.dtype[Any] | None = None) -> ValueError:
    where = f" at index {index}" if index is not None else ""
    if dtype is None:
        return ValueError(f"{func}: {rule.param} must be {rule.requirement()}, "
                          f"got {value!r}{where}")
    return ValueError(f"{func}: {rule.param} must be finite in the result dtype {dtype}, "
                      f"got {value!r}{where}")


def check_threshold(func: str, rule: _Rule, value: object,
                    operands: tuple[object, ...] | None, dtype: DTypeLike | None) -> Any:
    """The full check of one threshold parameter (check_lambd's slow path);
    returns the value to call the ufunc with. operands is None for a layer
    object, which has no x yet: then the result dtype is not checked."""
    if value is None or isinstance(value, (bool, np.bool_, complex, np.complexfloating,
                                           str, bytes)):
        raise _type_error(func, rule, repr(value))
    if isinstance(value, int):  # a Python int may be too large for any NumPy dtype
        if rule.nonnegative and value < 0:
            raise _value_error(func, rule, value)  # shown as given: -1, not -1.0
        try:
            values = np.asarray(float(value))
        except OverflowError:
            raise _value_error(func, rule, value) from None
    elif _is_container(value):
        lazy = _lazy_array(value)
        if lazy is not None:
            return _checked_lazily(func, rule, value, lazy, operands, dtype)
        values = _read_container(func, rule, value)
    else:
        try:
            values = np.asarray(value)
        except (ValueError, TypeError):  # a ragged nested sequence, most often
            raise ValueError(f"{func}: {rule.param} must be a real number or an array of "
                             f"real numbers, got a sequence NumPy cannot make an array of: "
                             f"{reprlib.repr(value)}") from None
    if not is_real_dtype(values.dtype):
        raise _type_error(func, rule, f"an array of dtype {values.dtype}" if values.ndim
                          else repr(value))
    _check_values(func, rule, values)
    if operands is not None and _beyond_always_finite(values):
        result = _result_dtype(func, value, values.dtype, operands, dtype)
        _check_finite_in(func, rule, values, result)
    return value


def _check_values(func: str, rule: _Rule, values: NDArray[Any],
                  offset: tuple[int, ...] | None = None) -> None:
    """Raise for the first value that breaks the rule; offset: where values
    (a chunk) starts in the whole array, for the index in the message."""
    # min and max reduce without temporaries (SPEC: no extra memory with out=);
    # NaN propagates through both. Only a failure pays for locating the value.
    if not values.size:
        return
    if values.dtype.kind == "V":  # bfloat16: ml_dtypes' min/max flag a NaN as invalid
        with np.errstate(invalid="ignore"):
            return _check_values_now(func, rule, values, offset)
    _check_values_now(func, rule, values, offset)


def _check_values_now(func: str, rule: _Rule, values: NDArray[Any],
                      offset: tuple[int, ...] | None) -> None:
    if rule.nonnegative:
        if values.min() >= 0 and np.isfinite(values.max()):
            return
    elif np.isfinite(values.min()) and np.isfinite(values.max()):
        return
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(values)
        if rule.nonnegative:
            bad |= values < 0
    raise _first_bad(func, rule, values, bad, offset=offset)


def _beyond_always_finite(values: NDArray[Any]) -> bool:
    """Whether some value is too large to be finite in every float dtype."""
    return bool(values.size) and bool(values.max() > ALWAYS_FINITE
                                      or values.min() < -ALWAYS_FINITE)


def _is_container(obj: object) -> bool:
    return hasattr(obj, "__array_ufunc__") and not isinstance(obj, (np.ndarray, np.generic))


def _lazy_array(obj: object) -> Any:
    """The dask array behind obj (obj itself, or an xarray object's data), or
    None when NumPy can read obj without computing anything."""
    if isinstance(obj, (np.ndarray, np.generic)):
        return None  # (a bfloat16 scalar's .data raises TypeError)
    if hasattr(obj, "__dask_graph__") and hasattr(obj, "map_blocks") and hasattr(obj, "chunks"):
        if not hasattr(obj, "dims"):  # a dask array
            return obj
    data = getattr(obj, "data", None)
    if hasattr(obj, "dims") and hasattr(data, "__dask_graph__") and hasattr(data, "map_blocks"):
        return data  # an xarray DataArray or Variable holding a dask array
    return None


def _read_container(func: str, rule: _Rule, obj: object) -> NDArray[Any]:
    """The values of a container NumPy can read (pandas, xarray, ...)."""
    try:
        values: NDArray[Any] = np.asarray(obj)
    except Exception as error:  # e.g. pydata sparse refuses to densify itself
        raise TypeError(f"{func}: {rule.param} must be a real number or an array of real "
                        f"numbers NumPy can read, got {type(obj).__name__} that NumPy "
                        f"cannot read ({error})") from None
    return values


def _checked_lazily(func: str, rule: _Rule, value: Any, lazy: Any,
                    operands: tuple[object, ...] | None, dtype: DTypeLike | None) -> Any:
    """value with its dask array replaced by one whose chunks are checked as
    they are computed. The dtype is known without computing: it is checked now."""
    if not is_real_dtype(np.dtype(lazy.dtype)):
        raise _type_error(func, rule, f"an array of dtype {lazy.dtype}")
    # the maximum is not known before computing: each chunk checks its own
    # against the result dtype
    result = None if operands is None else _result_dtype(func, value, lazy.dtype, operands, dtype)
    check = _ChunkCheck(func, rule, None if result is None else str(result))
    checked = lazy.map_blocks(check, dtype=lazy.dtype,
                              meta=np.empty((0,) * lazy.ndim, lazy.dtype))
    if lazy is value:
        return checked
    return value.copy(data=checked)  # xarray: same dims, coordinates and attributes


class _ChunkCheck(NamedTuple):
    """Checks one chunk of a dask lambd when the graph computes it, and passes it
    on unchanged. Module-level and made of strings, so it pickles to the workers
    of a dask.distributed cluster."""
    func: str
    rule: _Rule
    result_dtype: str | None

    def __call__(self, block: Any, block_info: dict[Any, Any] | None = None) -> Any:
        values = np.asarray(block)
        offset = None
        if block_info is not None and values.ndim:
            offset = tuple(start for start, _ in block_info[0]["array-location"])
        _check_values(self.func, self.rule, values, offset)
        if self.result_dtype is not None and _beyond_always_finite(values):
            _check_finite_in(self.func, self.rule, values, np.dtype(self.result_dtype), offset)
        return block


def _first_bad(func: str, rule: _Rule, values: NDArray[Any], bad: NDArray[np.bool],
               dtype: np.dtype[Any] | None = None,
               offset: tuple[int, ...] | None = None) -> ValueError:
    at = tuple(int(i) for i in np.argwhere(bad)[0]) if values.ndim else None
    value = values[at or ()].item()
    if isinstance(value, np.generic):  # longdouble, bfloat16: shown as Python shows a float
        value = float(value)  # type: ignore[arg-type, unused-ignore]  # NumPy 2.0's stubs: generic
    index = at if at is None or offset is None else tuple(
        i + o for i, o in zip(at, offset, strict=True))
    return _value_error(func, rule, value, index, dtype)


def _check_finite_in(func: str, rule: _Rule, values: NDArray[Any],
                     result: np.dtype[Any] | None,
                     offset: tuple[int, ...] | None = None) -> None:
    """Raise for the first value that is not finite once cast to the result dtype.

    Only the extremes are cast (scalars: no temporary array, SPEC: no extra
    memory with out=); a cast that rounds to a finite value is accepted, as the
    loop will see it. Only a failure pays for locating the value."""
    if result is None or not (result.kind in "fc" or is_bfloat16(result)):
        return
    # float32 for complex64; bfloat16 (unknown to np.finfo) is its own
    real = result if result.kind == "V" else np.finfo(result).dtype
    with np.errstate(over="ignore"):
        if np.isfinite(real.type(values.max())) and np.isfinite(real.type(values.min())):
            return
        bad = ~np.isfinite(values.astype(real))
    raise _first_bad(func, rule, values, bad, real, offset)


def _result_dtype(func: str, value: object, value_dtype: np.dtype[Any],
                  operands: tuple[object, ...],
                  dtype: DTypeLike | None) -> np.dtype[Any] | None:
    """The dtype the ufunc will compute in, by NumPy's own type resolution."""
    from shrink import ufuncs  # late: the ufuncs module imports the loops

    if dtype is not None:
        return np.dtype(dtype)
    dtypes = [_dtype_or_weak_type(op) for op in operands]
    dtypes.append(type(value) if type(value) in (int, float) else value_dtype)
    if None in dtypes:
        return None  # a container without a dtype: its own __array_ufunc__ decides
    if _weak_and_bfloat16(dtypes):
        return bfloat16_dtype()  # the public functions round Python numbers to bfloat16
    try:
        resolved: np.dtype[Any] = getattr(ufuncs, func).resolve_dtypes(tuple(dtypes) + (None,))[-1]
    except (TypeError, ValueError):
        return None  # the ufunc call itself will raise NumPy's error
    return resolved


def _weak_and_bfloat16(dtypes: list[Any]) -> bool:
    """Whether every dtype is bfloat16 or a Python int/float type, one at least
    bfloat16: the public functions then round the Python numbers to bfloat16
    (NEP 50: a Python number is weak), where the raw ufuncs, as np.add does
    with ml_dtypes, would compute in float32."""
    bfloat16 = bfloat16_dtype()
    if bfloat16 is None:
        return False
    found = False
    for d in dtypes:
        if d is int or d is float:
            continue
        if not (isinstance(d, np.dtype) and is_bfloat16(d)):
            return False
        found = True
    return found


def bfloat16_result(arrays: tuple[object, ...]) -> bool:
    """Whether the array operands (x, or grad_output and x) make the result
    bfloat16 in the public functions, so that their Python-number thresholds are
    rounded to bfloat16 first."""
    return _weak_and_bfloat16([_dtype_or_weak_type(a) for a in arrays])


def to_bfloat16(value: Any) -> Any:
    """A Python number as a bfloat16 scalar; anything else unchanged."""
    if type(value) is float or type(value) is int:
        return bfloat16_dtype().type(value)  # type: ignore[union-attr]
    return value


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
