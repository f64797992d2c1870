# The CPU's features as the CPU and the OS report them (src/cpu_features.h),
# for shrink/_cpu.py to choose a build of the loops. Compiled for the baseline
# instruction set only, so that it imports on every CPU of the platform.

cdef extern from "cpu_features.h":
    enum:
        SHRINK_FEATURE_COUNT
        SHRINK_X86_64
    void shrink_x86_features(int* out)
    void shrink_x86_vendor(char* out)

# In the order of the SHRINK_FEATURE_* enum; the spelling of NumPy's
# __cpu_features__ keys.
FEATURE_NAMES = (
    "SSE3", "SSSE3", "SSE41", "SSE42", "POPCNT", "CX16", "LAHF",
    "AVX", "AVX2", "FMA3", "F16C", "BMI", "BMI2", "LZCNT", "MOVBE",
    "AVX512F", "AVX512CD", "AVX512VL", "AVX512BW", "AVX512DQ",
)


def x86_features():
    """{feature name: usable} on x86-64 (the CPU has it and, for the AVX and
    AVX-512 registers, the OS saves them); an empty dict elsewhere."""
    cdef int flags[SHRINK_FEATURE_COUNT]
    if not SHRINK_X86_64:
        return {}
    assert len(FEATURE_NAMES) == SHRINK_FEATURE_COUNT
    shrink_x86_features(flags)
    return {name: bool(flags[i]) for i, name in enumerate(FEATURE_NAMES)}


def x86_vendor():
    """cpuid's vendor string ("GenuineIntel", "AuthenticAMD", ...); "" off x86-64."""
    cdef char vendor[13]
    shrink_x86_vendor(vendor)
    return vendor.decode("ascii", "replace")
