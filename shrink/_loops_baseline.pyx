# The real inner loops for any CPU of the platform (on x86-64: SSE2 only).
# setup.py compiles the same loops with other -march flags as _loops_x86_64_v3
# and _loops_x86_64_v4; shrink/_cpu.py picks one at import.

include "_real_loops.pxi"
