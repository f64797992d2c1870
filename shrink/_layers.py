"""Layer objects in the style of torch.nn: Hardshrink, Softshrink, Tanhshrink.

A layer holds one threshold, checked once when it is built (the messages name
the class). Calling it, or .forward, applies the function; .backward(grad_output,
x) is the fused vector-Jacobian product and .grad(x) the derivative. Every
method goes through the public function, so containers (dask, xarray, ...) and
the ufunc keywords (out=, where=, dtype=, ...) work exactly as there.

Layers are values: read-only lambd, equal and hashed by type and lambd, and
pickled by reference to the class.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any, ClassVar, NamedTuple

import numpy as np

from shrink import _functions as _f
from shrink._lambd import check_lambd_alone


def _check_layer_lambd(cls_name: str, lambd: object) -> None:
    # One threshold per layer, as in torch.nn: it keeps equality and hashing
    # meaningful. Per-element thresholds belong to the functions.
    if not isinstance(lambd, numbers.Real) or isinstance(lambd, (bool, np.bool_)):
        if isinstance(lambd, (list, tuple)) or (
                hasattr(lambd, "__array__") and not isinstance(lambd, np.generic)):
            raise TypeError(f"{cls_name}: lambd must be a real number, got an array "
                            f"{lambd!r}; for per-element thresholds call "
                            f"shrink.{cls_name.lower()}(x, lambd)")
        raise TypeError(f"{cls_name}: lambd must be a real number, got {lambd!r}")
    check_lambd_alone(cls_name, lambd)


class _Functions(NamedTuple):
    """The public functions a layer applies."""
    forward: Callable[..., Any]
    grad: Callable[..., Any]
    backward: Callable[..., Any]


class _ThresholdLayer:
    __slots__ = ("_lambd",)
    # Results are Any: out= may be any array, and containers return their own type.
    _functions: ClassVar[_Functions]

    def __init__(self, lambd: float | np.floating[Any] | np.integer[Any] = 0.5) -> None:
        _check_layer_lambd(type(self).__name__, lambd)
        self._lambd = lambd

    @property
    def lambd(self) -> float | np.floating[Any] | np.integer[Any]:
        """The threshold (read-only: build a new layer for another one)."""
        return self._lambd

    def __call__(self, x: Any, **keywords: Any) -> Any:
        return self.forward(x, **keywords)

    def forward(self, x: Any, **keywords: Any) -> Any:
        """The function applied to x; keywords as for the function (out=, ...)."""
        return self._functions.forward(x, self._lambd, **keywords)

    def grad(self, x: Any, **keywords: Any) -> Any:
        """The derivative at x: 1 outside the band, +0.0 inside, NaN at NaN."""
        return self._functions.grad(x, self._lambd, **keywords)

    def backward(self, grad_output: Any, x: Any, **keywords: Any) -> Any:
        """grad_output times the derivative at x, fused (no temporary)."""
        return self._functions.backward(grad_output, x, self._lambd, **keywords)

    def __repr__(self) -> str:  # as torch.nn.Softshrink prints itself: str(lambd)
        return f"{type(self).__name__}({self._lambd!s})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _ThresholdLayer):
            return NotImplemented
        return type(self) is type(other) and self._lambd == other._lambd

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._lambd))

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return type(self), (self._lambd,)


class Hardshrink(_ThresholdLayer):
    """Hard shrinkage layer: ``Hardshrink(lambd)(x) == hardshrink(x, lambd)``.

    >>> import numpy as np, shrink
    >>> layer = shrink.Hardshrink(0.5)
    >>> layer
    Hardshrink(0.5)
    >>> x = np.array([-1.0, 0.25, 2.0])
    >>> layer(x)
    array([-1.,  0.,  2.])
    >>> layer.backward(np.ones(3), x)
    array([1., 0., 1.])
    """

    __slots__ = ()
    _functions = _Functions(_f.hardshrink, _f.hardshrink_grad, _f.hardshrink_backward)


class Softshrink(_ThresholdLayer):
    """Soft shrinkage layer: ``Softshrink(lambd)(x) == softshrink(x, lambd)``.

    >>> import numpy as np, shrink
    >>> layer = shrink.Softshrink(0.5)
    >>> layer
    Softshrink(0.5)
    >>> layer(np.array([-1.0, 0.25, 2.0]))
    array([-0.5,  0. ,  1.5])
    """

    __slots__ = ()
    _functions = _Functions(_f.softshrink, _f.softshrink_grad, _f.softshrink_backward)


class Tanhshrink:
    """tanhshrink layer: ``Tanhshrink()(x) == tanhshrink(x)``.

    >>> import numpy as np, shrink
    >>> layer = shrink.Tanhshrink()
    >>> layer
    Tanhshrink()
    >>> layer.backward(np.array([2.0]), np.array([0.0]))
    array([0.])
    """

    __slots__ = ()

    def __call__(self, x: Any, **keywords: Any) -> Any:
        return self.forward(x, **keywords)

    def forward(self, x: Any, **keywords: Any) -> Any:
        """x - tanh(x); keywords as for the function (out=, ...)."""
        return _f.tanhshrink(x, **keywords)

    def grad(self, x: Any, **keywords: Any) -> Any:
        """The derivative at x: tanh(x)**2."""
        return _f.tanhshrink_grad(x, **keywords)

    def backward(self, grad_output: Any, x: Any, **keywords: Any) -> Any:
        """grad_output * tanh(x)**2, rounded once."""
        return _f.tanhshrink_backward(grad_output, x, **keywords)

    def __repr__(self) -> str:
        return "Tanhshrink()"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (Tanhshrink, _ThresholdLayer)):
            return NotImplemented
        return type(other) is Tanhshrink

    def __hash__(self) -> int:
        return hash("Tanhshrink")

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return Tanhshrink, ()
