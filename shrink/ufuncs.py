"""The raw NumPy ufuncs: typed inner loops, no defaults, no Python-side checks.

Use them for ufunc machinery (``.outer``, ``.at``, ``.types``, ``__array_ufunc__``
dispatch) or in the hottest loops; ``shrink.<name>`` adds ``lambd=0.5`` and its
checks. Out of the domain (negative or NaN lambd) they return NaN.

>>> import numpy as np
>>> from shrink import ufuncs
>>> ufuncs.softshrink(np.array([-2.0, 0.25, 3.0]), 1.0)
array([-1.,  0.,  2.])
"""

from shrink._ufuncs import CPU_DISPATCH, REAL_LOOPS as _REAL_LOOPS, UFUNC_OBJECTS as _UFUNCS

from shrink._table import NAMES as _NAMES

# One module attribute per ufunc of _table.py (ufuncs.pyi, generated from the
# same table, declares them for type checkers).
globals().update(_UFUNCS)

# Pickle (and so dask.distributed, multiprocessing) stores a ufunc as a global
# found by name. Without __module__ it scans every module in sys.modules and
# takes the first one holding the object, which may be a user module that a
# worker process cannot import.
# NumPy names its own ufuncs the same way (np.add.__module__ == "numpy").
for _name, _ufunc in _UFUNCS.items():
    _ufunc.__module__ = __name__
    _ufunc.__qualname__ = _name  # type: ignore[misc]  # read-only in the stubs only
del _name, _ufunc

__all__ = list(_NAMES)
