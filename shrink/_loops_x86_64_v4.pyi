# The same loops as _loops_baseline, compiled for another x86-64 level.
from shrink._loops_baseline import (
    get_num_threads as get_num_threads,
    loop_pointers as loop_pointers,
    openmp_available as openmp_available,
    set_num_threads as set_num_threads,
    set_read_blocks as set_read_blocks,
    stream_min_bytes as stream_min_bytes,
    threads_for_size as threads_for_size,
)
