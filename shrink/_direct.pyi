# The compiled direct path of the public functions (_direct.pyx). mypy.stubtest
# checks this file against the compiled module (tests/test_typing.py).
from typing import Any

import numpy as np

def call(ufunc: np.ufunc, out: Any, a: Any, b: Any = None, c: Any = None,
         d: Any = None) -> Any: ...
