"""Build the Cython ufunc loops.

The real loops are compiled once per x86-64 instruction-set level (baseline
SSE2, x86-64-v3, x86-64-v4) and one build is picked at import (shrink/_cpu.py);
the complex loops and the registration are compiled once, for the baseline.
Never -march=native: the wheel must run on any CPU of its platform.
"""

import glob
import os
import subprocess
import sys
import sysconfig
import tempfile

import numpy as np
from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "shrink"))
import _generate  # noqa: E402

_generate.write_all()


def target_architectures():
    """The CPU architectures this build compiles for: the target, not the build
    machine, decides. sysconfig.get_platform() names the target (cibuildwheel
    sets it through _PYTHON_HOST_PLATFORM when it cross-compiles; a 32-bit
    interpreter on a 64-bit machine says i686). On macOS, ARCHFLAGS ("-arch
    x86_64", as cibuildwheel sets it) overrides the interpreter's own list; a
    universal2 interpreter otherwise builds both architectures in one compiler
    call."""
    platform = sysconfig.get_platform().rsplit("-", 1)[-1].lower()
    if sys.platform == "darwin":
        archflags = os.environ.get("ARCHFLAGS", "").split()
        if archflags:
            return [archflags[i + 1] for i, flag in enumerate(archflags[:-1]) if flag == "-arch"]
        return {"universal2": ["x86_64", "arm64"], "intel": ["x86_64", "i386"]}.get(
            platform, [platform])
    return [platform]


# The x86-64-v3/v4 copies of the loops only for a single-architecture x86-64
# target: in a universal2 build one compiler call serves arm64 too, where the
# x86 flags would break it (such a build keeps the baseline loops only).
IS_X86_64 = target_architectures() in (["x86_64"], ["amd64"])

# Optimization flags for every module, kept when the compiler takes them.
# -fno-tree-sink and -fno-tree-pre (gcc only; clang rejects them): keep gcc from
# moving computations into the arm of a select that uses them, which blocks
# if-conversion (and so vectorization) under the default -ftrapping-math
# (docs/tanhshrink-method.md). Check with -fopt-info-vec.
# -ffp-exception-behavior=maytrap (clang only): clang assumes by default that no
# code reads the FP flags, so it may compute an arm a select discards (inf * 0 in
# a lane that keeps x) and raise 'invalid', which NumPy reports as a
# RuntimeWarning; with it, clang adds no operation that may raise a flag the
# source does not (SPEC §4: no flags). gcc gets the same from its default
# -ftrapping-math.
BASE_FLAGS = {"msvc": ["/O2"], "unix": ["-O3", "-fno-tree-sink", "-fno-tree-pre",
                                        "-ffp-exception-behavior=maytrap"]}

# The builds of the real loops beyond the baseline, best last. Per level:
# "march": one flag for the whole level (gcc >= 11, clang >= 12);
# "features": the same instruction sets one by one, for compilers without it;
# "msvc": MSVC's nearest /arch (it has no finer control);
# "extra": further flags for this level's loops, each kept if the compiler takes it.
_V3_FEATURES = ["-msse3", "-mssse3", "-msse4.1", "-msse4.2", "-mpopcnt", "-mcx16", "-msahf",
                "-mavx", "-mavx2", "-mfma", "-mf16c", "-mbmi", "-mbmi2", "-mlzcnt", "-mmovbe"]
X86_64_LEVELS = {
    "x86_64_v3": {"march": ["-march=x86-64-v3"], "features": _V3_FEATURES,
                  "msvc": ["/arch:AVX2"], "extra": []},
    "x86_64_v4": {"march": ["-march=x86-64-v4"],
                  "features": [*_V3_FEATURES, "-mavx512f", "-mavx512cd", "-mavx512vl",
                               "-mavx512bw", "-mavx512dq"],
                  "msvc": ["/arch:AVX512"], "extra": []},
}

NUMPY_LIB = os.path.join(os.path.dirname(np.get_include()), "lib")


def extension(name, source):
    return Extension(
        f"shrink.{name}",
        [source],
        include_dirs=[np.get_include(), "shrink/src"],
        # the C headers the loops include: an edit to one rebuilds the modules
        depends=sorted(glob.glob("shrink/src/*.h")),
        library_dirs=[NUMPY_LIB],
        libraries=["npymath"],
        # NumPy 2.0's C API (the install requirement): PyUFunc_GiveFloatingpointErrors
        # (_direct.pyx) is declared only from it on
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_2_0_API_VERSION"),
                       ("NPY_TARGET_VERSION", "NPY_2_0_API_VERSION")],
    )


# Modules that run the real loops (OpenMP for large inputs, where available),
# and their instruction-set level (None: the baseline).
LOOP_LEVELS = {"_loops_baseline": None}
if IS_X86_64:
    LOOP_LEVELS.update({f"_loops_{level}": level for level in X86_64_LEVELS})

extensions = [
    extension("_ufuncs", "shrink/_ufuncs.pyx"),
    extension("_cpuid", "shrink/_cpuid.pyx"),
    # the public functions' direct path: it calls the loops of whichever level
    # _cpu.py chose through the ufunc objects, so one build serves every level
    extension("_direct", "shrink/_direct.pyx"),
    *(extension(module, f"shrink/{module}.pyx") for module in LOOP_LEVELS),
]


class CompilerProbe:
    """Asks the compiler setuptools chose (CC, CFLAGS and all) which flags it takes."""

    def __init__(self, compiler):
        self.compiler = compiler
        self.tmp = tempfile.mkdtemp()
        self.cache = {}

    def _run(self, flags, source, link):
        command = list(self.compiler.compiler_so)
        path = os.path.join(self.tmp, "probe.c")
        with open(path, "w") as f:
            f.write(source)
        output = os.path.join(self.tmp, "probe" if link else "probe.o")
        args = [*command, *flags, path, "-o", output] if link else [*command, *flags, "-c", path, "-o", output]
        run = subprocess.run(args, capture_output=True, text=True)
        # clang only warns about some unknown or unused flags: a flag named in
        # the diagnostics is not taken either.
        return run.returncode == 0 and not any(flag in run.stderr for flag in flags)

    def takes(self, *flags, source="int main(void) { return 0; }\n", link=False):
        key = (flags, source, link)
        if key not in self.cache:
            self.cache[key] = self._run(list(flags), source, link)
        return self.cache[key]

    def keep(self, flags):
        return [flag for flag in flags if self.takes(flag)]

    def level_flags(self, level):
        spec = X86_64_LEVELS[level]
        if self.takes(*spec["march"]):
            return [*spec["march"], *self.keep(spec["extra"])]
        if self.takes(*spec["features"]):
            return [*spec["features"], *self.keep(spec["extra"])]
        raise RuntimeError(f"the C compiler takes neither {spec['march']} nor the feature "
                           f"flags {spec['features']}: it cannot build the {level} loops")

    def openmp(self):
        """OpenMP flags (compile, link), or none: the loops then run on one thread
        (shrink._ufuncs.REAL_LOOPS.openmp_available() says which)."""
        source = "#include <omp.h>\nint main(void) { return omp_get_max_threads() < 1; }\n"
        if self.takes("-fopenmp", source=source, link=True):
            return ["-fopenmp"], ["-fopenmp"]
        return [], []


class BuildExt(build_ext):
    """Flags per module, from what the compiler takes; then a copy of each
    module beside its source.

    `python -m shrink` and `python -m pytest` run from the checkout import shrink
    from the working directory (it comes first on sys.path), not from
    site-packages. With the compiled modules in place, both work right after
    `pip install .`, as after an editable install. The copies are git-ignored.
    """

    def build_extensions(self):
        if self.compiler.compiler_type == "msvc":
            base, (omp_compile, omp_link) = BASE_FLAGS["msvc"], (["/openmp"], [])
            level_flags = {level: spec["msvc"] for level, spec in X86_64_LEVELS.items()}
        else:
            probe = CompilerProbe(self.compiler)
            base, (omp_compile, omp_link) = probe.keep(BASE_FLAGS["unix"]), probe.openmp()
            level_flags = {level: probe.level_flags(level) for level in X86_64_LEVELS
                           if f"_loops_{level}" in LOOP_LEVELS}
        for ext in self.extensions:
            module = ext.name.rsplit(".", 1)[-1]
            flags, link = list(base), []
            if module in LOOP_LEVELS:
                level = LOOP_LEVELS[module]
                flags += [*(level_flags[level] if level else []), *omp_compile]
                link += omp_link
            ext.extra_compile_args = flags
            ext.extra_link_args = link
            print(f"shrink: {ext.name}: compile {flags}, link {link}")
        super().build_extensions()

    def run(self):
        super().run()
        if self.inplace:
            return
        for ext in self.extensions:
            built = self.get_ext_fullpath(ext.name)
            self.inplace = True
            in_place = self.get_ext_fullpath(ext.name)
            self.inplace = False
            if os.path.exists(built) and os.path.abspath(built) != os.path.abspath(in_place):
                self.copy_file(built, in_place)


setup(
    cmdclass={"build_ext": BuildExt},
    ext_modules=cythonize(
        extensions,
        language_level=3,
        compiler_directives={
            "boundscheck": False,
            "wraparound": False,
            "cdivision": True,
            "initializedcheck": False,
            # The loops keep no Python state and the thread setting is atomic
            # (src/threads.h): safe on a free-threaded CPython, without the GIL.
            "freethreading_compatible": True,
        },
    ),
)
