# The real inner loops built for x86-64-v4 (AVX-512); see _loops_baseline.pyx.

include "_real_loops.pxi"
