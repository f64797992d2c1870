"""Pick, at import, the build of the real inner loops that this CPU can run.

setup.py compiles the same loops three times on x86-64: for the baseline
instruction set (SSE2), for x86-64-v3 (AVX2, FMA) and for x86-64-v4 (AVX-512);
elsewhere only the baseline. NumPy has already asked the CPU (and the OS, for the
AVX register state) what it supports; we read its answer rather than ask again.

The environment variable SHRINK_CPU_DISPATCH=baseline|x86-64-v3|x86-64-v4 caps the
choice (a level the CPU lacks is never used): for tests that compare the builds,
and for users who want the same code path on every machine.
"""

import importlib
import os
from types import ModuleType

# Best first. Feature names as numpy's __cpu_features__ spells them.
_X86_64_V3 = ("AVX", "AVX2", "FMA3", "F16C", "BMI", "BMI2", "LZCNT", "MOVBE")
LEVELS = (
    ("x86-64-v4", "_loops_x86_64_v4", _X86_64_V3 + ("AVX512F", "AVX512CD", "AVX512VL",
                                                     "AVX512BW", "AVX512DQ")),
    ("x86-64-v3", "_loops_x86_64_v3", _X86_64_V3),
    ("baseline", "_loops_baseline", ()),
)
ENV_VAR = "SHRINK_CPU_DISPATCH"


def _numpy_cpu_features() -> dict[str, bool]:
    try:
        # NumPy ships no stub for this module (hence the ignore)
        from numpy._core._multiarray_umath import (  # type: ignore[import-not-found, unused-ignore]
            __cpu_features__,
        )
    except ImportError:  # a future NumPy may move it: fall back to the baseline
        return {}
    features: dict[str, bool] = __cpu_features__
    return features


def choose_loops() -> tuple[str, ModuleType]:
    """(level name, imported module) of the best usable build."""
    names = [name for name, _, _ in LEVELS]
    cap = os.environ.get(ENV_VAR, names[0])
    if cap not in names:
        raise ValueError(f"{ENV_VAR} must be one of {', '.join(names)}, got {cap!r}")
    features = _numpy_cpu_features()
    for name, module, required in LEVELS[names.index(cap):]:
        if not all(features.get(f, False) for f in required):
            continue
        try:
            return name, importlib.import_module(f"shrink.{module}")
        except ImportError:  # not built on this platform
            continue
    raise ImportError("shrink: no build of the inner loops can be imported")
