"""Memory: no temporaries with ``out=``, only the result without it (SPEC 6).

``peakmem_*`` is the process's peak RSS (asv counts setup's inputs and the
``out=`` array, which setup touches, so the with/without-``out=`` pair differs by
the result array, 40 MB float32 / 80 MB float64 at N = 10**7, when shrink
allocates nothing else; ``Reference`` gives np.negative's pair).
``track_extra_bytes_*`` is the exact peak of extra traced allocations during one
call (NumPy reports its data buffers to tracemalloc): 0 with ``out=``, the
result's nbytes without.
"""
import tracemalloc

import numpy as np

import shrink

from .common import ALL_UFUNCS, TAKES_GRAD, make_array, param_values

N = 10**7


class _Setup:
    timeout = 180
    params = [ALL_UFUNCS, ["float32", "float64"]]
    param_names = ["func", "dtype"]

    def setup(self, name, dtype):
        x = make_array(dtype, N, "contiguous")
        args = (make_array(dtype, N, "contiguous", seed_offset=1), x) if name in TAKES_GRAD else (x,)
        self.args = args + param_values(name)
        self.out = np.zeros(N, dtype)
        self.out.fill(0)  # resident in both variants: they differ by the result only
        self.function = getattr(shrink, name)


class PeakMem(_Setup):
    def peakmem_with_out(self, name, dtype):
        self.function(*self.args, out=self.out)

    def peakmem_without_out(self, name, dtype):
        self.function(*self.args)


class TracedExtra(_Setup):
    unit = "bytes"

    def _extra(self, **kw):
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            result = self.function(*self.args, **kw)  # kept alive until the peak is read
            peak = tracemalloc.get_traced_memory()[1]
            del result
        finally:
            tracemalloc.stop()
        return peak - before

    def track_extra_bytes_with_out(self, name, dtype):
        return self._extra(out=self.out)

    def track_extra_bytes_without_out(self, name, dtype):
        return self._extra()


class Reference:
    """``np.negative`` with and without ``out=`` for the same RSS baseline."""
    timeout = 180
    params = [["float32", "float64"]]
    param_names = ["dtype"]

    def setup(self, dtype):
        self.x = make_array(dtype, N, "contiguous")
        self.out = np.zeros(N, dtype)
        self.out.fill(0)

    def peakmem_negative_with_out(self, dtype):
        np.negative(self.x, out=self.out)

    def peakmem_negative_without_out(self, dtype):
        np.negative(self.x)
