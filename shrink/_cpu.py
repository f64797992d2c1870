"""Pick, at import, the build of the real inner loops that this CPU can run.

setup.py compiles the same loops three times on x86-64: for the baseline
instruction set (SSE2), for x86-64-v3 (AVX2, FMA) and for x86-64-v4 (AVX-512);
elsewhere only the baseline. The features come from the CPU itself (cpuid, and
xgetbv for the registers the OS saves), read by the baseline-compiled module
shrink._cpuid: NumPy's __cpu_features__ names differ between releases (BMI, BMI2,
LZCNT and MOVBE appear only in 2.4), and the choice must be the same on every
NumPy.

The environment variable SHRINK_CPU_DISPATCH=baseline|x86-64-v3|x86-64-v4 caps the
choice (a level the CPU lacks is never used): for tests that compare the builds,
and for users who want the same code path on every machine.

Within a build, one choice depends on the CPU's maker rather than its features
(read_blocks): how the compute-bound loops read large inputs.

A build that the CPU supports and that is installed but fails to import is a
RuntimeWarning (with the loader's message), then the next level is tried. A build
that is not installed at all (a platform or compiler without it, e.g. a
universal2 macOS wheel) is skipped without a word.
"""

import importlib
import importlib.util
import os
import warnings
from types import ModuleType

# x86-64 micro-architecture levels as the psABI defines them
# (https://gitlab.com/x86-psABIs/x86-64-ABI): each level includes the ones below.
_X86_64_V2 = ("SSE3", "SSSE3", "SSE41", "SSE42", "POPCNT", "CX16", "LAHF")
_X86_64_V3 = _X86_64_V2 + ("AVX", "AVX2", "FMA3", "F16C", "BMI", "BMI2", "LZCNT", "MOVBE")
_X86_64_V4 = _X86_64_V3 + ("AVX512F", "AVX512CD", "AVX512VL", "AVX512BW", "AVX512DQ")
# Best first: (level, module, features it needs).
LEVELS = (
    ("x86-64-v4", "_loops_x86_64_v4", _X86_64_V4),
    ("x86-64-v3", "_loops_x86_64_v3", _X86_64_V3),
    ("baseline", "_loops_baseline", ()),
)
ENV_VAR = "SHRINK_CPU_DISPATCH"


def cpu_features() -> dict[str, bool]:
    """{feature: usable} as this CPU and OS report them; empty off x86-64."""
    from shrink._cpuid import x86_features

    return x86_features()


def best_level(features: dict[str, bool]) -> str:
    """The best level whose features are all present."""
    for name, _, required in LEVELS:
        if all(features.get(f, False) for f in required):
            return name
    return LEVELS[-1][0]


def choose_loops() -> tuple[str, ModuleType]:
    """(level name, imported module) of the best usable build."""
    names = [name for name, _, _ in LEVELS]
    cap = os.environ.get(ENV_VAR, names[0])
    if cap not in names:
        raise ValueError(f"{ENV_VAR} must be one of {', '.join(names)}, got {cap!r}")
    features = cpu_features()
    for name, module, required in LEVELS[names.index(cap):]:
        if not all(features.get(f, False) for f in required):
            continue
        qualified = f"shrink.{module}"
        if importlib.util.find_spec(qualified) is None:
            continue  # not built for this platform or compiler
        try:
            loops = importlib.import_module(qualified)
        except ImportError as error:
            warnings.warn(f"shrink: the {name} build of the loops ({qualified}) is installed "
                          f"and this CPU supports it, but it failed to import: {error}; "
                          f"falling back to a lower level", RuntimeWarning, stacklevel=2)
            continue
        loops.set_read_blocks(read_blocks(cpu_vendor()))
        return name, loops
    raise ImportError("shrink: no build of the inner loops can be imported")


def cpu_vendor() -> str:
    """cpuid's vendor string ("GenuineIntel", "AuthenticAMD"); "" off x86-64."""
    from shrink._cpuid import x86_vendor

    return x86_vendor()


def read_blocks(vendor: str) -> bool:
    """Whether the compute-bound loops should copy large contiguous inputs
    through stack blocks before their kernel loop (shrink/_generate.py,
    blocked_body): on Intel Sapphire Rapids that is 2.5x faster for float64
    tanhshrink_grad at N = 10**7, on AMD Zen 4 the plain loop is 1.2x faster.
    Both paths run the same kernel, so the results are the same bits."""
    return vendor != "AuthenticAMD"
