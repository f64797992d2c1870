"""shrink: hardshrink, softshrink, tanhshrink and their gradients as NumPy ufuncs.

``shrink.<name>`` are checked functions with ``lambd=0.5`` by default;
``shrink.ufuncs.<name>`` are the raw ufuncs. ``shrink.Hardshrink`` and friends
are layer objects in the style of torch.nn. See the README for the contract.
The names come from the table of families, ``shrink/_table.py``.
"""

from shrink import _functions, _layers, _ufuncs, ufuncs
from shrink._functions import *  # noqa: F403  # every function of _table.py
from shrink._layers import *  # noqa: F403  # one layer class per family

#: The build of the loops chosen for this CPU at import:
#: "x86-64-v4" (AVX-512), "x86-64-v3" (AVX2, FMA) or "baseline".
CPU_DISPATCH = _ufuncs.CPU_DISPATCH

set_num_threads = _ufuncs.REAL_LOOPS.set_num_threads
get_num_threads = _ufuncs.REAL_LOOPS.get_num_threads

__version__ = "0.1.0"

__all__ = ["ufuncs", "CPU_DISPATCH", "set_num_threads", "get_num_threads"]
__all__ += _functions.__all__
__all__ += _layers.__all__
