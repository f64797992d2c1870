# The compiled registration module (_ufuncs.pyx): the nine ufuncs and the build of
# the real loops chosen for this CPU. mypy.stubtest checks this file against the
# compiled module (tests/test_typing.py).
from typing import Any, Literal, Protocol

import numpy as np

from shrink._table import Ufunc

class _RealLoops(Protocol):
    """One build of the real loops (_loops_baseline, _loops_x86_64_v3, ...)."""

    def set_num_threads(self, n: int) -> int: ...
    def get_num_threads(self) -> int: ...
    def threads_for_size(self, n: int) -> int: ...
    def openmp_available(self) -> bool: ...
    def loop_pointers(self) -> dict[tuple[str, str], object]: ...

CPU_DISPATCH: Literal["x86-64-v4", "x86-64-v3", "baseline"]
REAL_LOOPS: _RealLoops
UFUNC_OBJECTS: dict[str, np.ufunc]
UFUNCS: tuple[Ufunc, ...]  # imported from _table, as at run time
BFLOAT16: str  # imported from _table: the type character of the bfloat16 loops
# np.dtype(ml_dtypes.bfloat16) when ml_dtypes is installed (its loops are registered)
BFLOAT16_DTYPE: np.dtype[Any] | None
DOCSTRINGS: dict[str, str]  # imported from _docstrings

def loop_pointers() -> dict[tuple[str, str], object]: ...
