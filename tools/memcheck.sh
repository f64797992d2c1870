#!/usr/bin/env bash
# Run tests under AddressSanitizer (default) or valgrind memcheck.
#
#   tools/memcheck.sh asan     [pytest args]   # ASan build in a scratch copy; ~4 min build
#   tools/memcheck.sh valgrind [pytest args]   # the in-place build under memcheck; slow
#
# Default pytest args: under ASan, the tests that drive the loops through every
# dtype, layout, overlap, thread and error path (about 7 minutes on 2 cores,
# plus 3 for the build); under valgrind, which is some 50 times slower, the
# error, overlap and leak tests.
#
# ASan: the loops are rebuilt with -fsanitize=address in a copy of the checkout
# (the in-place build stays untouched) and libasan is preloaded into an
# uninstrumented Python; PYTHONMALLOC=malloc makes Python's own allocations
# visible to it. Leak detection is off: CPython and NumPy keep interned objects
# alive at exit, which would drown any real report; tests/test_leaks.py checks
# our leaks by counting references and RSS instead.
#
# valgrind: PYTHONMALLOC=malloc for the same reason (pymalloc's arenas confuse
# memcheck); leak checking off as above. Any invalid read or write, or a jump on
# uninitialised memory, fails the run (--error-exitcode).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-asan}"
shift || true
if [ "$#" -eq 0 ] && [ "$mode" = valgrind ]; then
    # valgrind computes long double in 64 bits, not x87's 80: those tests fail
    # for valgrind's reasons. Pass the same -k with a selection of your own.
    set -- tests/test_bad_input.py tests/test_overlap.py tests/test_leaks.py -k "not longdouble"
elif [ "$#" -eq 0 ]; then
    set -- tests/test_bad_input.py tests/test_layouts.py tests/test_overlap.py \
        tests/test_threads.py tests/test_concurrency.py tests/test_special_values.py \
        tests/test_dtypes.py tests/test_leaks.py
fi
pytest_args=(-q -p no:cacheprovider -x "$@")
export SHRINK_MEMCHECK=1  # tests/test_leaks.py: quarantined memory is no leak

case "$mode" in
asan)
    scratch="$(mktemp -d)"
    trap 'rm -rf "$scratch"' EXIT
    git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$scratch"
    libasan="$(${CC:-gcc} -print-file-name=libasan.so)"
    [ -e "$libasan" ] || { echo "no libasan.so for ${CC:-gcc}" >&2; exit 2; }
    (cd "$scratch" &&
        CFLAGS="-fsanitize=address -fno-omit-frame-pointer -g" \
        LDFLAGS="-fsanitize=address" \
        python3 setup.py -q build_ext --inplace >build.log 2>&1) ||
        { tail -30 "$scratch/build.log" >&2; exit 2; }
    cd "$scratch"
    # halt_on_error: the first bad access fails the run, with its stack
    LD_PRELOAD="$libasan" PYTHONMALLOC=malloc \
        ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:abort_on_error=1:allocator_may_return_null=1" \
        python3 -m pytest "${pytest_args[@]}"
    ;;
valgrind)
    command -v valgrind >/dev/null || { echo "valgrind not installed" >&2; exit 2; }
    # the interpreter itself, not a shim script (pyenv) valgrind would stop at
    python="$(python3 -c 'import sys; print(sys.executable)')"
    log="$(mktemp)"
    status=0
    PYTHONMALLOC=malloc valgrind --tool=memcheck --log-file="$log" \
        --leak-check=no --num-callers=40 \
        "$python" -m pytest "${pytest_args[@]}" || status=$?
    # The interpreter and the dynamic loader report errors of their own
    # (uninitialised hash seeds, over-reads in vectorized string compares):
    # only errors with one of shrink's frames in their stack count.
    if "$python" - "$log" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
blocks = re.split(r"\n==\d+== \n", text)
errors = [b for b in blocks if re.search(r"== (Invalid|Conditional|Use of|Syscall|Mismatched)", b)]
ours = [b for b in errors if re.search(r"shrink[/.]|_loops_|_ufuncs", b)]
print(f"valgrind: {len(errors)} error reports, {len(ours)} in shrink's code")
for b in ours:
    print(b)
sys.exit(1 if ours else 0)
PY
    then :; else status=1; fi
    rm -f "$log"
    exit "$status"
    ;;
*)
    echo "usage: $0 [asan|valgrind] [pytest args]" >&2
    exit 2
    ;;
esac
