"""The raw NumPy ufuncs: typed inner loops, no defaults, no Python-side checks.

Use them for ufunc machinery (``.outer``, ``.at``, ``.types``, ``__array_ufunc__``
dispatch) or in the hottest loops; ``shrink.<name>`` adds ``lambd=0.5`` and its
checks. Out of the domain (negative or NaN lambd) they return NaN.

>>> import numpy as np
>>> from shrink import ufuncs
>>> ufuncs.softshrink(np.array([-2.0, 0.25, 3.0]), 1.0)
array([-1.,  0.,  2.])
"""

import copyreg as _copyreg
from typing import Any as _Any

import numpy as _np

from shrink._ufuncs import CPU_DISPATCH, REAL_LOOPS as _REAL_LOOPS, UFUNC_OBJECTS as _UFUNCS

from shrink._table import NAMES as _NAMES

# One module attribute per ufunc of _table.py (ufuncs.pyi, generated from the
# same table, declares them for type checkers).
globals().update(_UFUNCS)

# Pickle (and so dask.distributed, multiprocessing) stores a ufunc as a global
# found by name: NumPy's reducer for ufuncs returns the bare __name__ and pickle
# looks for the module. Without __module__ it scans every module in sys.modules
# and takes the first one holding the object, which may be a user module that a
# worker process cannot import.
# NumPy names its own ufuncs the same way (np.add.__module__ == "numpy").
# Ufuncs take __module__ and __qualname__ only from NumPy 2.2; before that, a
# reducer for the ufunc type names shrink's ufuncs by this module explicitly
# and hands every other ufunc to NumPy's own reducer.


def _ufunc_by_name(name: str) -> _np.ufunc:
    """The ufunc called name: what a pickle made on NumPy < 2.2 unpickles with."""
    return _UFUNCS[name]


def _install_reducer() -> None:
    numpy_reduce = _copyreg.dispatch_table.get(_np.ufunc)

    def reduce_ufunc(ufunc: _np.ufunc) -> _Any:
        if _UFUNCS.get(ufunc.__name__) is ufunc:
            return _ufunc_by_name, (ufunc.__name__,)
        return numpy_reduce(ufunc) if numpy_reduce is not None else ufunc.__name__

    _copyreg.pickle(_np.ufunc, reduce_ufunc)


try:
    for _name, _ufunc in _UFUNCS.items():
        _ufunc.__module__ = __name__
        # read-only in NumPy's stubs, and absent from them before 2.2
        _ufunc.__qualname__ = _name  # type: ignore[misc, attr-defined, unused-ignore]
    del _name, _ufunc
except (AttributeError, TypeError):  # NumPy < 2.2: a ufunc takes no __module__
    _install_reducer()

__all__ = list(_NAMES)
