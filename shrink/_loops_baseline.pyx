# The real inner loops for any CPU of the platform (on x86-64: SSE2 only).
# setup.py compiles the same loops with other -march flags as _loops_x86_64_v3
# and _loops_x86_64_v4; shrink/_cpu.py picks one at import.
from shrink._kernels cimport (
    usable_lambd, hardshrink, softshrink, hardshrink_grad, softshrink_grad,
    hardshrink_backward, softshrink_backward,
)
from shrink._tanh_kernels cimport (
    tanhshrink, tanhshrink_grad, tanhshrink_backward, tanhshrink_backward_exact_f,
)

include "_real_loops.pxi"
