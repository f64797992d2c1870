# The tanhshrink loops built for x86-64-v4 (AVX-512); see _tanh_baseline.pyx.
from shrink._tanh_kernels cimport tanhshrink, tanhshrink_grad, tanhshrink_backward, tanhshrink_backward_exact_f

include "_tanh_loops.pxi"
