# The tanhshrink loops built for x86-64-v3 (AVX2, FMA); see _tanh_baseline.pyx.
from shrink._tanh_kernels cimport tanhshrink, tanhshrink_grad, tanhshrink_backward, tanhshrink_backward_exact_f

include "_tanh_loops.pxi"
