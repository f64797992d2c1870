"""The parallel path: shrink.set_num_threads(n) on large contiguous inputs.

SPEC section 6, "beyond single-thread": with two threads, hard/soft <= 0.6 x
their references and the tanhshrink family <= 0.6 x its own one-thread time.
Compare ``time_ufunc`` at threads=2 with ``bench_hardsoft.Reference`` and with
threads=1 (``benchmarks/ratios.py --threads 2`` prints these rows).
On a busy machine two threads gain nothing: treat such runs as noise.
"""
import shrink

from .common import check_size, make_case

FUNCS = ["hardshrink", "softshrink", "hardshrink_grad", "hardshrink_backward",
         "tanhshrink", "tanhshrink_grad", "tanhshrink_backward"]


class Threads:
    timeout = 120
    repeat = (3, 20, 10.0)
    params = [FUNCS, ["float32", "float64"], [10**5, 10**7], [1, 2]]
    param_names = ["func", "dtype", "N", "threads"]

    def setup(self, func, dtype, n, threads):
        check_size(n, dtype, "contiguous")
        self.ufunc, self.args, self.out = make_case(func, dtype, n, "contiguous")
        self.previous = shrink.get_num_threads()
        shrink.set_num_threads(threads)
        self.ufunc(*self.args, out=self.out)  # start the thread pool outside the timing

    def teardown(self, func, dtype, n, threads):
        shrink.set_num_threads(self.previous)

    def time_ufunc(self, func, dtype, n, threads):
        self.ufunc(*self.args, out=self.out)
