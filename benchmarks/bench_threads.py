"""The parallel path: shrink.set_num_threads(n) on large contiguous inputs.

SPEC section 6, "beyond single-thread": PyTorch's two threads run hard/soft at
0.57 x (float32) / 0.70 x (float64) np.negative. Compare ``time_ufunc`` at
threads=2 with ``bench_hardsoft.Reference`` / ``bench_tanhshrink.Reference``.
On a busy machine two threads gain nothing: treat such runs as noise.
"""
import shrink

from .common import check_size, make_case

FUNCS = ["hardshrink", "softshrink", "hardshrink_backward", "tanhshrink"]


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
