"""Which real loops gcc vectorizes for aarch64 (NEON), by cross-compiling the
baseline loops and reading gcc's -fopt-info-vec report.

    python tools/neon_vectorization.py [--cc aarch64-linux-gnu-gcc] [--keep DIR]

Needs Cython, NumPy and Debian's gcc-aarch64-linux-gnu (apt-get install
gcc-aarch64-linux-gnu). A compile-only check: it uses the host's Python and
NumPy headers, which serve any LP64 Linux target; nothing is linked or run.
The flags are setup.py's for the baseline loops (-O3 -fno-tree-sink
-fno-tree-pre -fopenmp); aarch64's baseline includes NEON (Advanced SIMD), so
no -m flag is needed. Prints, per loop function of _real_loops.pxi, how many of
its loops gcc vectorized and with which vector size; docs/aarch64-neon.md keeps
the output of one run.
"""

import argparse
import collections
import os
import re
import subprocess
import sys
import sysconfig
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FLAGS = ["-O3", "-fno-tree-sink", "-fno-tree-pre", "-fopenmp", "-fPIC"]
# The Cython function that holds a line of the generated C, by its definition.
FUNCTION = re.compile(r"^static [^;(]*\b__pyx_f_\w*?_loops_baseline_(loop_\w+)\(")
# A C function of a header under shrink/src (block kernels that loops call).
HEADER_FUNCTION = re.compile(r"^static [^;(=]*?\b(shrink_\w+)\(")
REPORT = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):\d+: optimized: (?P<what>.*)$")


def cythonize(work):
    sys.path.insert(0, os.path.join(ROOT, "shrink"))
    import _generate  # writes _real_loops.pxi beside the .pyx, as setup.py does

    _generate.write_all()
    c_file = os.path.join(work, "_loops_baseline.c")
    subprocess.run([sys.executable, "-m", "cython", "-3", "--module-name",
                    "shrink._loops_baseline", "-X", "boundscheck=False", "-X", "wraparound=False",
                    "-X", "cdivision=True", "-X", "initializedcheck=False",
                    "-I", ROOT, os.path.join(ROOT, "shrink", "_loops_baseline.pyx"),
                    "-o", c_file], check=True)
    return c_file


def functions_by_line(c_file, pattern=FUNCTION):
    owner, current = {}, None
    with open(c_file) as f:
        for number, line in enumerate(f, 1):
            match = pattern.match(line)
            if match:
                current = match.group(1)
            elif line.startswith("}"):
                owner[number] = current
                current = None
            owner[number] = current
    return owner


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cc", default="aarch64-linux-gnu-gcc")
    parser.add_argument("--keep", help="keep the generated C and gcc's report here")
    args = parser.parse_args()
    import numpy as np

    work = args.keep or tempfile.mkdtemp()
    os.makedirs(work, exist_ok=True)
    c_file = cythonize(work)
    version = subprocess.run([args.cc, "--version"], capture_output=True, text=True,
                             check=True).stdout.splitlines()[0]
    compile_ = subprocess.run(
        [args.cc, *FLAGS, "-fopt-info-vec-optimized", "-c", c_file, "-o",
         os.path.join(work, "loops.o"), "-I", sysconfig.get_paths()["include"],
         "-I", np.get_include(), "-I", os.path.join(ROOT, "shrink", "src"),
         "-DNPY_NO_DEPRECATED_API=NPY_2_0_API_VERSION"],
        capture_output=True, text=True)
    if compile_.returncode != 0:
        sys.exit(f"{args.cc} failed:\n{compile_.stderr[-3000:]}")
    with open(os.path.join(work, "opt-info.txt"), "w") as f:
        f.write(compile_.stderr)
    # loops written in the C file, and loops of the headers' block kernels
    # (gcc reports those at the header's line, once per place they are inlined)
    owners = {os.path.basename(c_file): functions_by_line(c_file)}
    src = os.path.join(ROOT, "shrink", "src")
    for header in sorted(os.listdir(src)):
        if header.endswith(".h"):
            owners[header] = functions_by_line(os.path.join(src, header), HEADER_FUNCTION)
    found = collections.defaultdict(list)
    for line in compile_.stderr.splitlines():
        match = REPORT.match(line)
        owner = match and owners.get(os.path.basename(match["file"]))
        if owner:
            function = owner.get(int(match["line"]))
            if function and match["what"].startswith("loop vectorized"):
                size = re.search(r"using (\d+ byte vectors)", match["what"])
                found[function].append(size.group(1) if size else match["what"])
    print(f"{version}; flags: {' '.join(FLAGS)}")
    for title, owner in owners.items():
        functions = sorted({f for f in owner.values() if f})
        if title != os.path.basename(c_file):
            # a header's kernels: only those this build compiles a loop for
            functions = [f for f in functions if f in found]
            if not functions:
                continue
        print(f"\n{'function (' + title + ')':40} vectorized loops (vector size)")
        for function in functions:
            sizes = collections.Counter(found.get(function, []))
            text = ", ".join(f"{n} x {s}" for s, n in sorted(sizes.items())) or "none"
            print(f"{function:40} {text}")
        if title == os.path.basename(c_file):
            print(f"{sum(1 for f in functions if f in found)} of {len(functions)} loop "
                  f"functions have at least one vectorized loop")


if __name__ == "__main__":
    main()
