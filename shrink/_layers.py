"""Layer objects in the style of torch.nn, one per family of _table.py.

A layer holds its threshold parameters (Hardshrink: lambd; Tanhshrink: none),
checked once when it is built (the messages name the class). Calling it, or
.forward, applies the function; .backward(grad_output, x) is the fused
vector-Jacobian product and .grad(x) the derivative. Every method goes through
the public function, so containers (dask, xarray, ...) and the ufunc keywords
(out=, where=, dtype=, ...) work exactly as there.

Layers are values: read-only parameters, equal and hashed by type and
parameters, and pickled by reference to the class. The classes are made from
the table at import; ``_layers.pyi`` (generated from the same table) declares
them for type checkers.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any, ClassVar, NamedTuple

import numpy as np

from shrink import _functions as _f
from shrink._lambd import check_lambd_alone, check_order, is_bfloat16
from shrink._table import FAMILIES, Family, Param


def _check_layer_param(cls_name: str, param: Param, value: object) -> None:
    # One value per parameter, as in torch.nn: it keeps equality and hashing
    # meaningful. Per-element thresholds belong to the functions.
    name = param.name
    family = _FAMILY_OF[cls_name]
    # a bfloat16 scalar (ml_dtypes) is a real number that numbers.Real does not know
    real = isinstance(value, numbers.Real) or (isinstance(value, np.generic)
                                               and is_bfloat16(value.dtype))
    if not real or isinstance(value, (bool, np.bool_)):
        if isinstance(value, (list, tuple)) or (
                hasattr(value, "__array__") and not isinstance(value, np.generic)):
            raise TypeError(f"{cls_name}: {name} must be a real number, got an array "
                            f"{value!r}; for per-element thresholds call "
                            f"shrink.{family.name}(x, {', '.join(family.param_names)})")
        raise TypeError(f"{cls_name}: {name} must be a real number, got {value!r}")
    check_lambd_alone(cls_name, value, param.name, param.signed)


class _Functions(NamedTuple):
    """The public functions a layer applies."""
    forward: Callable[..., Any]
    grad: Callable[..., Any]
    backward: Callable[..., Any]


class _Layer:
    """What every layer does; the subclasses (made from the table) say which
    functions and which parameters."""
    __slots__ = ("_values",)
    # Results are Any: out= may be any array, and containers return their own type.
    _functions: ClassVar[_Functions]
    _family: ClassVar[Family]

    def _set(self, *values: Any) -> None:
        """Check and hold the parameters (each class's __init__ passes them in
        the table's order)."""
        family = self._family
        for param, value in zip(family.params, values):
            _check_layer_param(type(self).__name__, param, value)
        if family.ordered:
            low, high = (values[family.param_names.index(n)] for n in family.ordered)
            check_order(type(self).__name__, family.ordered[0], low, family.ordered[1], high)
        self._values = values

    def __call__(self, x: Any, **keywords: Any) -> Any:
        return self.forward(x, **keywords)

    def forward(self, x: Any, **keywords: Any) -> Any:
        """The function applied to x; keywords as for the function (out=, ...)."""
        return self._functions.forward(x, *self._values, **keywords)

    def grad(self, x: Any, **keywords: Any) -> Any:
        """The derivative at x."""
        return self._functions.grad(x, *self._values, **keywords)

    def backward(self, grad_output: Any, x: Any, **keywords: Any) -> Any:
        """grad_output times the derivative at x, fused (no temporary)."""
        return self._functions.backward(grad_output, x, *self._values, **keywords)

    def __repr__(self) -> str:
        # As torch.nn prints its layers: Softshrink(0.5), Tanhshrink(); with
        # more than one parameter, by keyword, so that it reads back unambiguously.
        params = self._family.params
        if len(params) == 1:
            return f"{type(self).__name__}({self._values[0]!s})"
        shown = ", ".join(f"{p.name}={v!s}" for p, v in zip(params, self._values))
        return f"{type(self).__name__}({shown})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Layer):
            return NotImplemented
        return type(self) is type(other) and self._values == other._values

    def __hash__(self) -> int:
        return hash((type(self).__name__, *self._values))

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return type(self), self._values


def _parameter(index: int, param: Param) -> property:
    def get(self: _Layer) -> Any:
        return self._values[index]
    return property(get, doc=f"{param.name} (read-only: build a new layer for another value)")


def _init(family: Family) -> Callable[..., None]:
    """The class's __init__ with the family's parameters and defaults in its
    signature (help(), inspect and stubtest see them, not *args)."""
    signature = "".join(f", {p.name}" if p.default is None else f", {p.name}={p.default!r}"
                        for p in family.params)
    values = "".join(f", {p.name}" for p in family.params)
    namespace: dict[str, Any] = {}
    exec(f"def __init__(self{signature}):\n    self._set({values.lstrip(', ')})\n", namespace)
    init: Callable[..., None] = namespace["__init__"]
    init.__qualname__ = f"{family.layer}.__init__"
    init.__module__ = __name__
    return init


def _make_layer(family: Family) -> type[_Layer]:
    forward = family.name
    names = [p.name for p in family.params]
    shown = ", ".join(names)
    call = ", ".join(["x", *names])
    namespace: dict[str, Any] = {
        "__slots__": (),
        "__module__": __name__,
        "__qualname__": family.layer,
        "__doc__": f"{family.layer} layer: ``{family.layer}({shown})(x) == "
                   f"{forward}({call})``.\n\n.grad(x) is {forward}_grad, "
                   f".backward(grad_output, x) {forward}_backward.",
        "__init__": _init(family),
        "_family": family,
        "_functions": _Functions(getattr(_f, forward), getattr(_f, f"{forward}_grad"),
                                 getattr(_f, f"{forward}_backward")),
    }
    namespace.update({p.name: _parameter(i, p) for i, p in enumerate(family.params)})
    return type(family.layer, (_Layer,), namespace)


_FAMILY_OF = {f.layer: f for f in FAMILIES}
LAYERS = {f.layer: _make_layer(f) for f in FAMILIES}
globals().update(LAYERS)
__all__ = list(LAYERS)
