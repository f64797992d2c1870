# Types of the checked functions (_functions.py). A stub, not inline annotations:
# the overloads would bury the documented function bodies. tests/test_typing.py runs mypy.stubtest, so a
# signature here that disagrees with _functions.py fails the suite.
#
# What the overloads promise (only what is true at run time):
# - an ndarray or a list in, no out=: an ndarray out (NDArray[Any]: the dtype
#   depends on lambd, e.g. a float32 x with a np.float64 lambd gives float64);
#   a float64 ndarray with a Python float lambd: NDArray[np.float64]. As in
#   NumPy's own stubs, a 0-d array is typed as an ndarray though the ufunc
#   returns a NumPy scalar for it.
# - Python or NumPy scalars in: a NumPy scalar out (np.float64 for Python floats).
# - out=array (or out=(array,)): that array, with its type.
# - anything else (dask, xarray, pandas, pydata sparse, ... through
#   __array_ufunc__, whose result is theirs to choose): Any.
# Errors mypy catches: a str, complex or None lambd; a complex x in the
# real-only gradients and backwards when it is a scalar or list; an unknown keyword.
from collections.abc import Sequence
from typing import Any, Literal, Protocol, TypeAlias, TypeVar, overload

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

class _ArrayUFuncContainer(Protocol):
    """dask, xarray, pandas, pydata sparse, ...: the call is dispatched to them."""

    def __array_ufunc__(self, ufunc: Any, method: Any, /, *inputs: Any, **kwargs: Any) -> Any: ...

_ArrayT = TypeVar("_ArrayT", bound=np.ndarray[Any, Any])

_RealScalar: TypeAlias = float | np.floating[Any] | np.integer[Any] | np.bool
_ComplexScalar: TypeAlias = complex | np.number[Any] | np.bool
_RealArray: TypeAlias = NDArray[Any] | Sequence[float] | Sequence[Sequence[float]]
_ComplexArray: TypeAlias = NDArray[Any] | Sequence[complex] | Sequence[Sequence[complex]]
_XLike: TypeAlias = ArrayLike | _ArrayUFuncContainer

_LambdScalar: TypeAlias = float | np.floating[Any] | np.integer[Any]
_LambdArray: TypeAlias = (
    NDArray[np.floating[Any] | np.integer[Any]] | Sequence[float] | Sequence[Sequence[float]]
)
_Lambd: TypeAlias = _LambdScalar | _LambdArray
_LambdLike: TypeAlias = _Lambd | _ArrayUFuncContainer

_Where: TypeAlias = bool | np.bool | NDArray[np.bool] | Sequence[bool]
_WhereLike: TypeAlias = ArrayLike | _ArrayUFuncContainer
_Casting: TypeAlias = Literal["no", "equiv", "safe", "same_kind", "unsafe"]
_Order: TypeAlias = Literal["K", "A", "C", "F"] | None
_OutLike: TypeAlias = (
    NDArray[Any] | tuple[NDArray[Any]] | _ArrayUFuncContainer | tuple[_ArrayUFuncContainer] | None
)

@overload
def hardshrink(
    x: NDArray[np.float64],
    lambd: float = 0.5,
    *, out: None = None, where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> NDArray[np.float64]: ...

@overload
def hardshrink(
    x: _ComplexArray,
    lambd: _Lambd = 0.5,
    *, out: None = None, where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> NDArray[Any]: ...

@overload
def hardshrink(
    x: _ComplexScalar,
    lambd: _LambdArray,
    *, out: None = None, where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> NDArray[Any]: ...

@overload
def hardshrink(
    x: float,
    lambd: float = 0.5,
    *, out: None = None, where: bool | np.bool = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> np.float64: ...

@overload
def hardshrink(
    x: complex,
    lambd: float = 0.5,
    *, out: None = None, where: bool | np.bool = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> np.float64 | np.complex128: ...

@overload
def hardshrink(
    x: _RealScalar,
    lambd: _LambdScalar = 0.5,
    *, out: None = None, where: bool | np.bool = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> np.floating[Any]: ...

@overload
def hardshrink(
    x: _ComplexScalar,
    lambd: _LambdScalar = 0.5,
    *, out: None = None, where: bool | np.bool = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> np.inexact[Any]: ...

@overload
def hardshrink(
    x: _ComplexArray | _ComplexScalar,
    lambd: _Lambd = 0.5,
    *, out: _ArrayT | tuple[_ArrayT], where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> _ArrayT: ...

@overload
def hardshrink(
    x: _XLike,
    lambd: _LambdLike = 0.5,
    *, out: _OutLike = None, where: _WhereLike = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> Any: ...

@overload
def softshrink(
    x: NDArray[np.float64],
    lambd: float = 0.5,
    *, out: None = None, where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> NDArray[np.float64]: ...

@overload
def softshrink(
    x: _ComplexArray,
    lambd: _Lambd = 0.5,
    *, out: None = None, where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> NDArray[Any]: ...

@overload
def softshrink(
    x: _ComplexScalar,
    lambd: _LambdArray,
    *, out: None = None, where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> NDArray[Any]: ...

@overload
def softshrink(
    x: float,
    lambd: float = 0.5,
    *, out: None = None, where: bool | np.bool = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> np.float64: ...

@overload
def softshrink(
    x: complex,
    lambd: float = 0.5,
    *, out: None = None, where: bool | np.bool = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> np.float64 | np.complex128: ...

@overload
def softshrink(
    x: _RealScalar,
    lambd: _LambdScalar = 0.5,
    *, out: None = None, where: bool | np.bool = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> np.floating[Any]: ...

@overload
def softshrink(
    x: _ComplexScalar,
    lambd: _LambdScalar = 0.5,
    *, out: None = None, where: bool | np.bool = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> np.inexact[Any]: ...

@overload
def softshrink(
    x: _ComplexArray | _ComplexScalar,
    lambd: _Lambd = 0.5,
    *, out: _ArrayT | tuple[_ArrayT], where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> _ArrayT: ...

@overload
def softshrink(
    x: _XLike,
    lambd: _LambdLike = 0.5,
    *, out: _OutLike = None, where: _WhereLike = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> Any: ...

@overload
def tanhshrink(
    x: NDArray[np.float64],
    *, out: None = None, where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> NDArray[np.float64]: ...

@overload
def tanhshrink(
    x: _ComplexArray,
    *, out: None = None, where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> NDArray[Any]: ...

@overload
def tanhshrink(
    x: float,
    *, out: None = None, where: bool | np.bool = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> np.float64: ...

@overload
def tanhshrink(
    x: complex,
    *, out: None = None, where: bool | np.bool = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> np.float64 | np.complex128: ...

@overload
def tanhshrink(
    x: _RealScalar,
    *, out: None = None, where: bool | np.bool = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> np.floating[Any]: ...

@overload
def tanhshrink(
    x: _ComplexScalar,
    *, out: None = None, where: bool | np.bool = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> np.inexact[Any]: ...

@overload
def tanhshrink(
    x: _ComplexArray | _ComplexScalar,
    *, out: _ArrayT | tuple[_ArrayT], where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> _ArrayT: ...

@overload
def tanhshrink(
    x: _XLike,
    *, out: _OutLike = None, where: _WhereLike = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> Any: ...

@overload
def hardshrink_grad(
    x: NDArray[np.float64],
    lambd: float = 0.5,
    *, out: None = None, where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> NDArray[np.float64]: ...

@overload
def hardshrink_grad(
    x: _RealArray,
    lambd: _Lambd = 0.5,
    *, out: None = None, where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> NDArray[Any]: ...

@overload
def hardshrink_grad(
    x: _RealScalar,
    lambd: _LambdArray,
    *, out: None = None, where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> NDArray[Any]: ...

@overload
def hardshrink_grad(
    x: float,
    lambd: float = 0.5,
    *, out: None = None, where: bool | np.bool = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> np.float64: ...

@overload
def hardshrink_grad(
    x: _RealScalar,
    lambd: _LambdScalar = 0.5,
    *, out: None = None, where: bool | np.bool = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> np.floating[Any]: ...

@overload
def hardshrink_grad(
    x: _RealArray | _RealScalar,
    lambd: _Lambd = 0.5,
    *, out: _ArrayT | tuple[_ArrayT], where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> _ArrayT: ...

@overload
def hardshrink_grad(
    x: _XLike,
    lambd: _LambdLike = 0.5,
    *, out: _OutLike = None, where: _WhereLike = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> Any: ...

@overload
def softshrink_grad(
    x: NDArray[np.float64],
    lambd: float = 0.5,
    *, out: None = None, where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> NDArray[np.float64]: ...

@overload
def softshrink_grad(
    x: _RealArray,
    lambd: _Lambd = 0.5,
    *, out: None = None, where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> NDArray[Any]: ...

@overload
def softshrink_grad(
    x: _RealScalar,
    lambd: _LambdArray,
    *, out: None = None, where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> NDArray[Any]: ...

@overload
def softshrink_grad(
    x: float,
    lambd: float = 0.5,
    *, out: None = None, where: bool | np.bool = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> np.float64: ...

@overload
def softshrink_grad(
    x: _RealScalar,
    lambd: _LambdScalar = 0.5,
    *, out: None = None, where: bool | np.bool = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> np.floating[Any]: ...

@overload
def softshrink_grad(
    x: _RealArray | _RealScalar,
    lambd: _Lambd = 0.5,
    *, out: _ArrayT | tuple[_ArrayT], where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> _ArrayT: ...

@overload
def softshrink_grad(
    x: _XLike,
    lambd: _LambdLike = 0.5,
    *, out: _OutLike = None, where: _WhereLike = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> Any: ...

@overload
def tanhshrink_grad(
    x: NDArray[np.float64],
    *, out: None = None, where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> NDArray[np.float64]: ...

@overload
def tanhshrink_grad(
    x: _RealArray,
    *, out: None = None, where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> NDArray[Any]: ...

@overload
def tanhshrink_grad(
    x: float,
    *, out: None = None, where: bool | np.bool = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> np.float64: ...

@overload
def tanhshrink_grad(
    x: _RealScalar,
    *, out: None = None, where: bool | np.bool = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> np.floating[Any]: ...

@overload
def tanhshrink_grad(
    x: _RealArray | _RealScalar,
    *, out: _ArrayT | tuple[_ArrayT], where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> _ArrayT: ...

@overload
def tanhshrink_grad(
    x: _XLike,
    *, out: _OutLike = None, where: _WhereLike = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> Any: ...

@overload
def hardshrink_backward(
    grad_output: NDArray[np.float64],
    x: NDArray[np.float64],
    lambd: float = 0.5,
    *, out: None = None, where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> NDArray[np.float64]: ...

@overload
def hardshrink_backward(
    grad_output: _RealArray,
    x: _RealArray | _RealScalar,
    lambd: _Lambd = 0.5,
    *, out: None = None, where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> NDArray[Any]: ...

@overload
def hardshrink_backward(
    grad_output: _RealScalar,
    x: _RealArray,
    lambd: _Lambd = 0.5,
    *, out: None = None, where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> NDArray[Any]: ...

@overload
def hardshrink_backward(
    grad_output: _RealScalar,
    x: _RealScalar,
    lambd: _LambdArray,
    *, out: None = None, where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> NDArray[Any]: ...

@overload
def hardshrink_backward(
    grad_output: float,
    x: float,
    lambd: float = 0.5,
    *, out: None = None, where: bool | np.bool = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> np.float64: ...

@overload
def hardshrink_backward(
    grad_output: _RealScalar,
    x: _RealScalar,
    lambd: _LambdScalar = 0.5,
    *, out: None = None, where: bool | np.bool = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> np.floating[Any]: ...

@overload
def hardshrink_backward(
    grad_output: _RealArray | _RealScalar,
    x: _RealArray | _RealScalar,
    lambd: _Lambd = 0.5,
    *, out: _ArrayT | tuple[_ArrayT], where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> _ArrayT: ...

@overload
def hardshrink_backward(
    grad_output: _XLike,
    x: _XLike,
    lambd: _LambdLike = 0.5,
    *, out: _OutLike = None, where: _WhereLike = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> Any: ...

@overload
def softshrink_backward(
    grad_output: NDArray[np.float64],
    x: NDArray[np.float64],
    lambd: float = 0.5,
    *, out: None = None, where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> NDArray[np.float64]: ...

@overload
def softshrink_backward(
    grad_output: _RealArray,
    x: _RealArray | _RealScalar,
    lambd: _Lambd = 0.5,
    *, out: None = None, where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> NDArray[Any]: ...

@overload
def softshrink_backward(
    grad_output: _RealScalar,
    x: _RealArray,
    lambd: _Lambd = 0.5,
    *, out: None = None, where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> NDArray[Any]: ...

@overload
def softshrink_backward(
    grad_output: _RealScalar,
    x: _RealScalar,
    lambd: _LambdArray,
    *, out: None = None, where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> NDArray[Any]: ...

@overload
def softshrink_backward(
    grad_output: float,
    x: float,
    lambd: float = 0.5,
    *, out: None = None, where: bool | np.bool = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> np.float64: ...

@overload
def softshrink_backward(
    grad_output: _RealScalar,
    x: _RealScalar,
    lambd: _LambdScalar = 0.5,
    *, out: None = None, where: bool | np.bool = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> np.floating[Any]: ...

@overload
def softshrink_backward(
    grad_output: _RealArray | _RealScalar,
    x: _RealArray | _RealScalar,
    lambd: _Lambd = 0.5,
    *, out: _ArrayT | tuple[_ArrayT], where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> _ArrayT: ...

@overload
def softshrink_backward(
    grad_output: _XLike,
    x: _XLike,
    lambd: _LambdLike = 0.5,
    *, out: _OutLike = None, where: _WhereLike = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> Any: ...

@overload
def tanhshrink_backward(
    grad_output: NDArray[np.float64],
    x: NDArray[np.float64],
    *, out: None = None, where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> NDArray[np.float64]: ...

@overload
def tanhshrink_backward(
    grad_output: _RealArray,
    x: _RealArray | _RealScalar,
    *, out: None = None, where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> NDArray[Any]: ...

@overload
def tanhshrink_backward(
    grad_output: _RealScalar,
    x: _RealArray,
    *, out: None = None, where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> NDArray[Any]: ...

@overload
def tanhshrink_backward(
    grad_output: float,
    x: float,
    *, out: None = None, where: bool | np.bool = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> np.float64: ...

@overload
def tanhshrink_backward(
    grad_output: _RealScalar,
    x: _RealScalar,
    *, out: None = None, where: bool | np.bool = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: None = None, subok: bool = True,
) -> np.floating[Any]: ...

@overload
def tanhshrink_backward(
    grad_output: _RealArray | _RealScalar,
    x: _RealArray | _RealScalar,
    *, out: _ArrayT | tuple[_ArrayT], where: _Where = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> _ArrayT: ...

@overload
def tanhshrink_backward(
    grad_output: _XLike,
    x: _XLike,
    *, out: _OutLike = None, where: _WhereLike = True,
    casting: _Casting = "same_kind", order: _Order = "K", dtype: DTypeLike | None = None, subok: bool = True,
) -> Any: ...
