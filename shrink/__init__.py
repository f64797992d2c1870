"""shrink: hardshrink, softshrink, tanhshrink and their gradients as NumPy ufuncs.

``shrink.<name>`` are checked functions with ``lambd=0.5`` by default;
``shrink.ufuncs.<name>`` are the raw ufuncs. ``shrink.Hardshrink`` and friends
are layer objects in the style of torch.nn. See the README for the contract.
"""

from shrink import _ufuncs, ufuncs
from shrink._functions import (
    hardshrink, hardshrink_backward, hardshrink_grad,
    softshrink, softshrink_backward, softshrink_grad,
    tanhshrink, tanhshrink_backward, tanhshrink_grad,
)
from shrink._layers import Hardshrink, Softshrink, Tanhshrink

#: The build of the loops chosen for this CPU at import:
#: "x86-64-v4" (AVX-512), "x86-64-v3" (AVX2, FMA) or "baseline".
CPU_DISPATCH = _ufuncs.CPU_DISPATCH

set_num_threads = _ufuncs.REAL_LOOPS.set_num_threads
get_num_threads = _ufuncs.REAL_LOOPS.get_num_threads

__version__ = "0.1.0"

__all__ = [
    "hardshrink", "softshrink", "tanhshrink",
    "hardshrink_grad", "softshrink_grad", "tanhshrink_grad",
    "hardshrink_backward", "softshrink_backward", "tanhshrink_backward",
    "Hardshrink", "Softshrink", "Tanhshrink", "ufuncs", "CPU_DISPATCH",
    "set_num_threads", "get_num_threads",
]
