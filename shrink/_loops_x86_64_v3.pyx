# The real inner loops built for x86-64-v3 (AVX2, FMA); see _loops_baseline.pyx.

include "_real_loops.pxi"
