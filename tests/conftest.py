"""Every test leaves the process as it found it: mpmath's precision, NumPy's
floating-point error state and print options, shrink's thread count and the
interpreter's thread switch interval are what the next test expects, whatever
order the tests run in."""

import sys

import numpy as np
import pytest

import shrink

try:  # a test extra: tests/optional.py reports it missing where a test needs it
    import mpmath
except ImportError:
    mpmath = None


def _global_state():
    return {
        "mpmath.mp.prec": mpmath and mpmath.mp.prec,
        "numpy.geterr()": np.geterr(),
        "numpy.get_printoptions()": np.get_printoptions(),
        "shrink.get_num_threads()": shrink.get_num_threads(),
        "sys.getswitchinterval()": sys.getswitchinterval(),
    }


@pytest.fixture(autouse=True)
def _no_global_state_leaks():
    before = _global_state()
    yield
    after = _global_state()
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    assert not changed, f"the test changed global state (before, after): {changed}"
