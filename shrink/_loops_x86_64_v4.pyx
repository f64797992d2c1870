# The real inner loops built for x86-64-v4 (AVX-512); see _loops_baseline.pyx.
from shrink._kernels cimport (
    usable_lambd, hardshrink, softshrink, hardshrink_grad, softshrink_grad,
    hardshrink_backward, softshrink_backward,
)
from shrink._tanh_kernels cimport (
    tanhshrink, tanhshrink_grad, tanhshrink_backward, tanhshrink_backward_exact_f,
)

include "_real_loops.pxi"
