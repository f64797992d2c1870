"""Build the Cython ufunc loops.

The real loops are compiled once per x86-64 instruction-set level (baseline
SSE2, x86-64-v3, x86-64-v4) and one build is picked at import (shrink/_cpu.py);
the complex loops and the registration are compiled once, for the baseline.
Never -march=native: the wheel must run on any CPU of its platform.
"""

import os
import sys
import sysconfig

import numpy as np
from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "shrink"))
import _generate  # noqa: E402

_generate.write_all()

IS_MSVC = sys.platform == "win32"


def builds_for_x86_64():
    """Whether to build the x86-64-v3/v4 copies of the loops: the target, not the
    build machine, decides. sysconfig.get_platform() names the target (cibuildwheel
    sets it through _PYTHON_HOST_PLATFORM when it cross-compiles; a 32-bit
    interpreter on a 64-bit machine says i686). macOS takes the baseline path: its
    interpreter may be universal2, building both architectures in one compiler call,
    where an -march flag would break the arm64 half."""
    if sys.platform == "darwin":
        return False
    return sysconfig.get_platform().rsplit("-", 1)[-1].lower() in ("x86_64", "amd64")


IS_X86_64 = builds_for_x86_64()

if IS_MSVC:
    BASE_FLAGS = ["/O2"]
else:
    # -fno-tree-sink and -fno-tree-pre: keep gcc from moving computations into
    # the arm of a select that uses them, which blocks if-conversion (and so
    # vectorization) under the default -ftrapping-math (NOTES.md,
    # docs/tanhshrink-method.md). Check with -fopt-info-vec.
    BASE_FLAGS = ["-O3", "-fno-tree-sink", "-fno-tree-pre"]

NUMPY_LIB = os.path.join(os.path.dirname(np.get_include()), "lib")


def openmp_flags():
    """The compiler's OpenMP flags, or none if it has no OpenMP (the loops then
    run on one thread; shrink.openmp_available() says which)."""
    import shutil
    import subprocess
    import tempfile

    if IS_MSVC:
        return ["/openmp"], []
    compiler = (os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc").split()
    if not shutil.which(compiler[0]):
        return [], []
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "omp.c")
        with open(source, "w") as f:
            f.write("#include <omp.h>\nint main(void) { return omp_get_max_threads() < 1; }\n")
        probe = subprocess.run([*compiler, "-fopenmp", source, "-o", os.path.join(tmp, "omp")],
                               capture_output=True)
    return (["-fopenmp"], ["-fopenmp"]) if probe.returncode == 0 else ([], [])


OPENMP_COMPILE, OPENMP_LINK = openmp_flags()


def extension(name, source, flags=(), link_flags=()):
    return Extension(
        f"shrink.{name}",
        [source],
        include_dirs=[np.get_include(), "shrink/src"],
        library_dirs=[NUMPY_LIB],
        libraries=["npymath"],
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_2_0_API_VERSION")],
        extra_compile_args=[*BASE_FLAGS, *flags],
        extra_link_args=list(link_flags),
    )


def loops(name, source, flags=()):
    """A build of the real loops: OpenMP for large inputs, when available."""
    return extension(name, source, [*flags, *OPENMP_COMPILE], OPENMP_LINK)


extensions = [
    extension("_ufuncs", "shrink/_ufuncs.pyx"),
    loops("_loops_baseline", "shrink/_loops_baseline.pyx"),
]
if IS_X86_64 and not IS_MSVC:
    extensions += [
        loops("_loops_x86_64_v3", "shrink/_loops_x86_64_v3.pyx", ["-march=x86-64-v3"]),
        loops("_loops_x86_64_v4", "shrink/_loops_x86_64_v4.pyx", ["-march=x86-64-v4"]),
    ]



class BuildExtAlsoInPlace(build_ext):
    """Build the extensions, and also put a copy beside their sources.

    `python -m shrink` and `python -m pytest` run from the checkout import shrink
    from the working directory (it comes first on sys.path), not from
    site-packages. With the compiled modules in place, both work right after
    `pip install .`, as after an editable install. The copies are git-ignored.
    """

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
    cmdclass={"build_ext": BuildExtAlsoInPlace},
    ext_modules=cythonize(
        extensions,
        language_level=3,
        compiler_directives={
            "boundscheck": False,
            "wraparound": False,
            "cdivision": True,
            "initializedcheck": False,
        },
    ),
)
