"""Print the SPEC section 6 speed and memory table, measured in one process.

Usage::

    python benchmarks/ratios.py [--quick] [--check] [--only NAME] [--case CASE ...]
                                [--threads N] [--markdown]

Every speed row times a public function as users call it,
``shrink.<name>(x, 0.5, out=y)`` (SPEC section 6), and its reference on the
same inputs (same view, same ``out=``), interleaved (reference and candidate
alternate, the order flipping every repeat), single thread, and reports the
minimum over the repeats in ns per element. References (SPEC section 6): ``np.negative(x,
out=y)`` for hard/soft forward and gradients, ``np.add(g, x, out=y)`` for their
backwards, ``np.tanh(x, out=y)`` for the three tanhshrink functions. lambd is
the Python float 0.5.

Cases: N = 10**7 contiguous; N = 1000 contiguous; a step-2 strided view
(10**6 elements of a 2*10**6 array, ``out=`` strided the same way); a
transposed 2-D view (``a.T`` of a C-ordered 1000 x 1000 array, ``out=`` a new
C-ordered array). "N=1000 ufunc" rows time the raw ufunc ``shrink.ufuncs.<name>``
instead, for information: the public function's cost beyond them is the
Python layer's.

bfloat16 rows (when ml_dtypes is installed): every hard/soft and section 7 function
on ``ml_dtypes.bfloat16`` at N = 10**7, every operand bfloat16, against
``np.negative`` on a float16 array of the same length.

Memory rows use tracemalloc (NumPy reports its data buffers to it): the peak
of extra traced memory during a call of ``shrink.<name>``, at N minus at N = 1
(the Python layer's own ~1 KB of objects does not grow with N): with ``out=``
below 1 KB; without ``out=`` the result's nbytes plus less than 1 KB. Also
with an array lambd (the layer checks every element: any temporary shows).

``--threads N`` adds the rows of SPEC section 6 "beyond single-thread", at
N = 10**7 contiguous with ``shrink.set_num_threads(N)``: hard/soft against
their references (target 0.6), the tanhshrink family against the same call on
one thread (target 0.6), and PyTorch with ``torch.set_num_threads(N)`` beside
them (for scale). They need N idle cores: on a busy machine they say nothing.

The header names the CPU (model, whether it has AVX-512, which build
``shrink.CPU_DISPATCH`` chose, ``NPY_DISABLE_CPU_FEATURES``) and NumPy: the
targets hold on every CPU kind the package dispatches for, so a table is only
meaningful with the CPU it was measured on. ``--markdown`` also prints the
README's summary table (the range over each family's functions) with that line.

``--case CASE`` (repeatable) times only those cases of the speed rows, plus
the 1-element row (e.g. ``--case N=1000 --case "N=1000 ufunc"`` for the
Python layer's cost); the other rows are then left out.

The exit status is 0 (this is a report) unless ``--check`` is given; then it
is 1 when any row FAILs.
"""
import os

if __name__ == "__main__":
    # single thread, before NumPy / shrink / torch start their thread pools
    # (not when asv imports this module while discovering benchmarks); OpenMP
    # may use --threads N (shrink itself stays on one thread unless asked)
    for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_var] = "1"
    import sys as _sys
    for _i, _arg in enumerate(_sys.argv):
        if _arg == "--threads" and _i + 1 < len(_sys.argv):
            os.environ["OMP_NUM_THREADS"] = _sys.argv[_i + 1]
        elif _arg.startswith("--threads="):
            os.environ["OMP_NUM_THREADS"] = _arg.split("=", 1)[1]

import argparse  # noqa: E402
import datetime  # noqa: E402
import gc  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import timeit  # noqa: E402
import tracemalloc  # noqa: E402

import numpy as np  # noqa: E402

try:
    import shrink  # noqa: E402
except ImportError:  # an in-place build in this checkout
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import shrink  # noqa: E402
import shrink.ufuncs as su  # noqa: E402

LAMBD = 0.5
SEED = 20261123

from shrink._table import DECLARED, EXAMPLES, UFUNCS  # noqa: E402

try:  # asv imports this file as benchmarks.ratios
    from .common import cpu_name  # noqa: E402
except ImportError:  # run as a script: benchmarks/ is sys.path[0]
    from common import cpu_name  # noqa: E402

# From the table: the families memory limits (hard/soft and SPEC section 7's,
# references np.negative / np.add) and the one the kernel limits (tanhshrink).
HARDSOFT = [u.name for u in UFUNCS if not u.compute_bound]
TANH = [u.name for u in UFUNCS if u.compute_bound]
FUNCS = HARDSOFT + TANH
BACKWARDS = {u.name for u in UFUNCS if u.kind == "backward"}
TAKES_LAMBD = {u.name for u in UFUNCS if u.params}
# SPEC section 7's families (everything beyond PyTorch's nine) have their own row
SECTION7 = {u.name for u in UFUNCS if u.family not in ("hardshrink", "softshrink", "tanhshrink")}
# The value each threshold parameter is timed with: its example in the table.
PARAM_VALUES = EXAMPLES
CASES = ["N=1e7 contig", "N=1000", "N=1000 ufunc", "strided x2", "transposed"]


def cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def cpu_line():
    """One line naming where a table was measured (the README quotes it)."""
    flags = cpu_flags()
    kind = ("AVX-512" if "avx512f" in flags else "AVX2, no AVX-512" if "avx2" in flags
            else platform.machine())
    disabled = os.environ.get("NPY_DISABLE_CPU_FEATURES")
    return (f"{cpu_name()} ({kind}, {os.cpu_count()} logical CPUs), NumPy {np.__version__}"
            + (f" with NPY_DISABLE_CPU_FEATURES=\"{disabled}\"" if disabled else "")
            + f", shrink.CPU_DISPATCH == \"{getattr(shrink, 'CPU_DISPATCH', '?')}\"")


def limit_threads(openmp=True):
    """One thread for OpenMP / BLAS pools that are already up (threadpoolctl);
    BLAS only when --threads lets OpenMP (shrink's loops) use more."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return None
    return threadpool_limits(limits=1, user_api=None if openmp else "blas")


def family(name):
    if name in TANH:
        return "tanhshrink"
    return "garrote/firm/shrink" if name in SECTION7 else "hard/soft"


def reference(name):
    if name in TANH:
        return "np.tanh(x, out=y)"
    if name in BACKWARDS:
        return "np.add(g, x, out=y)"
    return "np.negative(x, out=y)"


def target(name, dtype, case):
    if case == "N=1000 ufunc":
        return None  # information only: SPEC section 6 times the public functions
    if name in TANH:
        return 2.0 if dtype == "float32" else 1.5
    if name in SECTION7:
        return {"N=1e7 contig": 1.25, "N=1000": 2.5}.get(case, 1.5)
    if case == "N=1e7 contig":
        return 1.10
    if case == "N=1000":
        return 2.0
    return 1.5  # strided, transposed


def operands(dtype, case, rng):
    """(x, g, y): inputs and ``out=`` for one case; all with the same layout."""
    def draw(n, scale):
        return (rng.standard_normal(n) * scale).astype(dtype)

    if case == "N=1e7 contig":
        n = 10**7
        return draw(n, 1.5), draw(n, 1.0), np.empty(n, dtype)
    if case.startswith("N=1000"):
        n = 1000
        return draw(n, 1.5), draw(n, 1.0), np.empty(n, dtype)
    if case == "strided x2":
        n = 10**6
        return (draw(2 * n, 1.5)[::2], draw(2 * n, 1.0)[::2],
                np.empty(2 * n, dtype)[::2])
    if case == "transposed":
        x = draw(10**6, 1.5).reshape(1000, 1000).T
        g = draw(10**6, 1.0).reshape(1000, 1000).T
        return x, g, np.empty((1000, 1000), dtype)
    raise ValueError(case)


def statements(name, case):
    """The candidate and reference statements, as timeit source."""
    args = "g, x" if name in BACKWARDS else "x"
    for param in DECLARED[name].params:  # lambd is the variable lam, others literal
        args += ", lam" if param.name == "lambd" else f", {PARAM_VALUES[param.name]!r}"
    fn = "ufunc" if case == "N=1000 ufunc" else "layer"
    cand = f"{fn}({args}, out=y)"
    if name in TANH:
        ref = "np.tanh(x, out=y)"
    elif name in BACKWARDS:
        ref = "np.add(g, x, out=y)"
    else:
        ref = "np.negative(x, out=y)"
    return cand, ref


def calibrate(timer, min_time):
    number = 1
    while True:
        t = timer.timeit(number)
        if t >= min_time or number >= 10**6:
            return number
        number = max(number * 2, int(number * min_time / max(t, 1e-9)) + 1)


def interleaved(stmt_a, stmt_b, ns, repeat, min_time):
    """Min seconds per call of stmt_a and stmt_b, timed alternately."""
    ta = timeit.Timer(stmt_a, globals=ns)
    tb = timeit.Timer(stmt_b, globals=ns)
    ta.timeit(1)  # warm up: first touch of out= pages, caches, dispatch
    tb.timeit(1)
    number = max(calibrate(ta, min_time), calibrate(tb, min_time))
    best_a = best_b = float("inf")
    for i in range(repeat):
        first, second = (ta, tb) if i % 2 == 0 else (tb, ta)
        t1 = first.timeit(number)
        t2 = second.timeit(number)
        if i % 2 == 0:
            best_a, best_b = min(best_a, t1), min(best_b, t2)
        else:
            best_b, best_a = min(best_b, t1), min(best_a, t2)
    return best_a / number, best_b / number


def speed_rows(opts):
    rows = []
    rng = np.random.default_rng(SEED)
    for dtype in ("float32", "float64"):
        for case in CASES:
            if opts.case and case not in opts.case:
                continue
            x, g, y = operands(dtype, case, rng)
            n = x.size
            big = case == "N=1e7 contig"
            repeat = (3 if big else 7) if opts.quick else (15 if big else 41)
            min_time = 0.002 if big else (0.001 if opts.quick else 0.003)
            for name in FUNCS:
                if opts.only and opts.only not in name:
                    continue
                ns = {"np": np, "x": x, "g": g, "y": y, "lam": LAMBD,
                      "ufunc": getattr(su, name), "layer": getattr(shrink, name)}
                cand, ref = statements(name, case)
                t_c, t_r = interleaved(cand, ref, ns, repeat, min_time)
                rows.append(dict(family=family(name), func=name, dtype=dtype, case=case,
                                 shrink=t_c / n * 1e9, ref=t_r / n * 1e9,
                                 ref_name=reference(name),
                                 target=target(name, dtype, case)))
            del x, g, y
            gc.collect()
    return rows


def bfloat16_rows(opts):
    """SPEC section 6 (section 7's bfloat16): every hard/soft and section 7 function
    on bfloat16 (ml_dtypes) at N = 10**7 against np.negative on float16 of the same
    length; None when ml_dtypes is not installed. The public functions, with
    Python float thresholds as users pass them (rounded to bfloat16 by the layer:
    every loop operand is bfloat16)."""
    try:
        import ml_dtypes
    except ImportError:
        return None
    rows = []
    rng = np.random.default_rng(SEED)
    n = 10**7
    x = (rng.standard_normal(n) * 1.5).astype(np.float32).astype(ml_dtypes.bfloat16)
    g = rng.standard_normal(n).astype(np.float32).astype(ml_dtypes.bfloat16)
    y = np.empty(n, ml_dtypes.bfloat16)
    x16, y16 = x.astype(np.float16), np.empty(n, np.float16)
    for name in HARDSOFT:
        if opts.only and opts.only not in name:
            continue
        args = "g, x" if name in BACKWARDS else "x"
        args += "".join(", lam" if p.name == "lambd" else f", {p.name}"
                        for p in DECLARED[name].params)
        ns = {"np": np, "x": x, "g": g, "y": y, "x16": x16, "y16": y16, "lam": LAMBD,
              "layer": getattr(shrink, name), **PARAM_VALUES}
        t_c, t_r = interleaved(f"layer({args}, out=y)", "np.negative(x16, out=y16)", ns,
                               3 if opts.quick else 15, 0.002)
        rows.append(dict(family=family(name), func=name, dtype="bfloat16",
                         case="N=1e7 contig", shrink=t_c / n * 1e9, ref=t_r / n * 1e9,
                         ref_name="np.negative(x16, out=y16), float16", target=1.25))
    return rows


def python_layer_row(opts):
    x1 = np.array([0.75])
    ns = {"np": np, "x1": x1, "hardshrink": shrink.hardshrink}
    repeat = 9 if opts.quick else 41
    t_c, t_r = interleaved("hardshrink(x1, 0.5)", "np.add(x1, 0.5)", ns, repeat, 0.003)
    return dict(family="python layer", func="shrink.hardshrink(x1, 0.5)", dtype="float64",
                case="1 element", shrink=t_c * 1e9, ref=t_r * 1e9,
                ref_name="np.add(x1, 0.5)", target=1.5)


def torch_rows(opts, threads=1, dtypes=("float32", "float64"), data=None):
    """PyTorch against the same references (for scale), on ``threads`` threads;
    with more than one, its tanhshrink family against its own one-thread time."""
    try:
        import torch
    except Exception:
        return None
    F = torch.nn.functional
    aten = torch.ops.aten
    rows = []
    rng = np.random.default_rng(SEED)
    calls = {
        "hardshrink": "F.hardshrink(tx, 0.5)",
        "softshrink": "F.softshrink(tx, 0.5)",
        "tanhshrink": "F.tanhshrink(tx)",
        "hardshrink_backward": "aten.hardshrink_backward(tg, tx, 0.5)",
        "softshrink_backward": "aten.softshrink_backward(tg, tx, 0.5)",
        "tanhshrink_backward": "tg * torch.tanh(tx) ** 2",
    }
    for dtype in dtypes:
        x, g, y = data if data is not None else operands(dtype, "N=1e7 contig", rng)
        ns = {"np": np, "torch": torch, "F": F, "aten": aten, "x": x, "g": g, "y": y,
              "tx": torch.from_numpy(x), "tg": torch.from_numpy(g)}
        for name, stmt in calls.items():
            if opts.only and opts.only not in name:
                continue
            _, ref = statements(name, "N=1e7 contig")
            if threads > 1 and name in TANH:
                ref = f"torch.set_num_threads(1); {stmt}"
            try:
                t_c, t_r = interleaved(f"torch.set_num_threads({threads}); {stmt}", ref, ns,
                                       3 if opts.quick else 9, 0.002)
            except Exception as exc:  # an op this torch lacks
                print(f"  torch {name}: {exc}")
                continue
            rows.append(dict(family=f"torch {threads} thread" + "s" * (threads > 1),
                             func=name, dtype=dtype,
                             case="N=1e7 (allocates)", shrink=t_c / x.size * 1e9,
                             ref=t_r / x.size * 1e9, ref_name=reference(name), target=None))
    torch.set_num_threads(1)
    return rows


def thread_rows(opts):
    """SPEC section 6 "beyond single-thread", N = 10**7 contiguous: shrink with
    set_num_threads(opts.threads) against the one-thread references (hard/soft)
    or against itself on one thread (tanhshrink family); PyTorch with as many
    threads beside it. set_num_threads is part of each timed statement (a
    Python call, nothing next to 10**7 elements), so the two settings alternate."""
    threads = opts.threads
    rows = []
    rng = np.random.default_rng(SEED)
    for dtype in ("float32", "float64"):
        x, g, y = operands(dtype, "N=1e7 contig", rng)
        for name in FUNCS:
            if opts.only and opts.only not in name:
                continue
            ns = {"np": np, "x": x, "g": g, "y": y, "lam": LAMBD,
                  "layer": getattr(shrink, name), "threads": shrink.set_num_threads}
            cand, ref = statements(name, "N=1e7 contig")
            if name in TANH:
                ref, ref_name = f"threads(1); {cand}", "the same, 1 thread"
            else:
                ref_name = reference(name)
            t_c, t_r = interleaved(f"threads({threads}); {cand}", ref, ns,
                                   3 if opts.quick else 9, 0.002)
            rows.append(dict(family=f"{threads} threads", func=name, dtype=dtype,
                             case="N=1e7 contig", shrink=t_c / x.size * 1e9,
                             ref=t_r / x.size * 1e9, ref_name=ref_name, target=0.6))
        shrink.set_num_threads(1)
        del x, g, y
        gc.collect()
    # PyTorch after every shrink row: torch.set_num_threads(1) also caps the
    # OpenMP runtime that shrink's loops share, and its idle pool spins on the
    # other core for a while
    for r in torch_rows(opts, threads=threads) or ():
        if r["func"] in TANH:  # against torch's own one-thread time, as shrink's
            r["ref_name"] = "torch, 1 thread"
        rows.append(r)
    return rows


def traffic_lines(rows):
    """What the memory-bound thread rows can reach, from the bytes each side moves.

    Per element, the references (np.negative, np.add) read their inputs, read
    the output's line before writing it (read for ownership) and write it: 3
    or 4 itemsizes. shrink's large outputs are streamed (no read for
    ownership): 2 or 3 itemsizes. Where the memory moves no faster for N
    threads than for the reference's one, the ratio cannot go below (shrink's
    bytes / the reference's) x (the reference's rate / the best rate of shrink
    on N threads)."""
    lines = []
    for dtype in ("float32", "float64"):
        size = np.dtype(dtype).itemsize
        mine = [r for r in rows if r["family"].endswith(" threads") and r["dtype"] == dtype
                and r["func"] in HARDSOFT]
        if not mine:
            continue

        def moved(r):  # bytes per element: (reference, shrink)
            arrays = 2 if r["func"] in BACKWARDS else 1
            return (arrays + 2) * size, (arrays + 1) * size

        ref_rates = [moved(r)[0] / r["ref"] for r in mine]  # bytes per ns = GB/s
        best = max(moved(r)[1] / r["shrink"] for r in mine)
        floors = {False: [], True: []}
        for r, rate in zip(mine, ref_rates):
            ref_bytes, own_bytes = moved(r)
            floors[r["func"] in BACKWARDS].append(own_bytes / ref_bytes * rate / best)
        lines.append(
            f"{dtype}: the references on one thread moved {min(ref_rates):.0f}-"
            f"{max(ref_rates):.0f} GB/s, shrink on {mine[0]['family']} at most {best:.0f} GB/s; "
            f"at that rate the ratio cannot go below {min(floors[False]):.2f}-"
            f"{max(floors[False]):.2f} for functions of x, {min(floors[True]):.2f}-"
            f"{max(floors[True]):.2f} for the backwards")
    return lines


def traced_extra(call, tries=3):
    """Least peak of extra traced memory over a few calls (bytes)."""
    best = None
    for _ in range(tries):
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            result = call()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        del result
        best = peak - before if best is None else min(best, peak - before)
    return best


def memory_rows(opts):
    """Extra traced memory of shrink.<name> per call, with and without out=.

    The Python layer's own objects (frames, keyword dicts: about 1 KB) do not
    depend on N; arrays and NumPy's iteration buffers do. So each call is
    measured at N and at N = 1, and the difference is what the call allocates
    in proportion to N: with ``out=`` it must be < 1 KB, without ``out=`` the
    result's nbytes (+ < 1 KB).
    """
    n = 10**5 if opts.quick else 10**6
    rng = np.random.default_rng(SEED)
    rows = []
    for name in FUNCS:
        if opts.only and opts.only not in name:
            continue
        f = getattr(shrink, name)
        worst = {}
        for dtype in ("float16", "float32", "float64"):
            measured = {}
            for size in (1, n):
                x = (rng.standard_normal(size) * 1.5).astype(dtype)
                g = rng.standard_normal(size).astype(dtype)
                y = np.empty(size, dtype)
                args = (g, x) if name in BACKWARDS else (x,)
                lam_arr = rng.uniform(0.25, 0.75, size).astype(dtype)
                values = tuple(PARAM_VALUES[p.name] for p in DECLARED[name].params)
                # per-element thresholds, each scaled to its parameter's value
                # (firm's lambd_low stays below lambd_high)
                arrays = tuple((lam_arr * (v / LAMBD)).astype(dtype) for v in values)
                checks = {
                    "with out=": lambda: f(*args, *values, out=y),
                    "without out=": lambda: f(*args, *values),
                }
                if name in TAKES_LAMBD:
                    checks["with out=, array lambd"] = lambda: f(*args, *arrays, out=y)
                for what, call in checks.items():
                    call()  # warm up (first-call caches)
                    measured[what, size] = (traced_extra(call), y.nbytes)
            for what in checks:
                extra_n, nbytes_n = measured[what, n]
                extra_1, nbytes_1 = measured[what, 1]
                grows = extra_n - extra_1
                expected = 0 if "with out=" in what else nbytes_n - nbytes_1
                # small arrays' allocations are rounded up: allow a few bytes under
                ok = expected - 64 <= grows < expected + 1024
                w = worst.setdefault(what, [None, True, []])
                w[0] = grows - expected if w[0] is None else max(w[0], grows - expected)
                w[1] = w[1] and ok
                if not ok:
                    w[2].append(f"{dtype}: {grows} B")
        for what, (extra, ok, bad) in worst.items():
            rows.append(dict(func=name, what=what, extra=extra, ok=ok, bad=bad))
    return rows, n


def fmt_ratio_rows(rows):
    # Family and function columns as wide as their longest entry (plus a space):
    # "garrote/firm/shrink" and "tanhshrink_backward" must not run into the next.
    fw = max([len("family")] + [len(r["family"]) for r in rows]) + 1
    nw = max([len("function")] + [len(r["func"]) for r in rows]) + 1
    head = (f"{'family':<{fw}}{'function':<{nw}}{'dtype':<9}{'case':<19}"
            f"{'shrink ns/el':>13}{'ref ns/el':>11}{'ratio':>8}{'target':>8}  status  reference")
    out = [head, "-" * len(head)]
    for r in rows:
        ratio = r["shrink"] / r["ref"] if r["ref"] > 0 else float("inf")
        r["ratio"] = ratio
        if r["target"] is None:
            status, tgt = "info", "-"
        else:
            status = "PASS" if ratio <= r["target"] else "FAIL"
            tgt = f"{r['target']:.2f}"
        r["status"] = status
        out.append(f"{r['family']:<{fw}}{r['func']:<{nw}}{r['dtype']:<9}{r['case']:<19}"
                   f"{r['shrink']:>13.4g}{r['ref']:>11.4g}{ratio:>8.2f}{tgt:>8}  {status:<6}  "
                   f"{r['ref_name']}")
    return out


CASE_TEXT = {"N=1e7 contig": "N = 10^7, contiguous, `out=`", "N=1000": "N = 1000",
             "N=1000 ufunc": "N = 1000, raw `shrink.ufuncs.<name>(..., out=y)`",
             "strided x2": "step 2", "transposed": "transposed 2-D",
             "1 element": "`shrink.hardshrink(x1, 0.5)` vs `np.add(x1, 0.5)`",
             "N=1e7 (allocates)": "N = 10^7 (allocates)"}


def short_cpu():
    """'Xeon, AVX-512, x86-64-v4': the README's "measured on" cell."""
    name = " ".join(w for w in cpu_name().replace("(R)", "").replace("(TM)", "").split()
                    if w not in ("Intel", "Processor", "CPU"))
    flags = cpu_flags()
    kind = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else platform.machine()
    numpy_off = ", NumPy's AVX-512 off" if os.environ.get("NPY_DISABLE_CPU_FEATURES") else ""
    return f"{name}, {kind}{numpy_off}, {getattr(shrink, 'CPU_DISPATCH', '?')}"


def markdown(rows, header):
    """The README's table: one line per family, dtype and case, the range of the
    ratio over the family's functions, the target, how many rows pass, and
    where and when it was measured."""
    groups = {}
    for r in rows:
        groups.setdefault((r["family"], r["dtype"], r["case"]), []).append(r)
    where = f"{short_cpu()}, {datetime.date.today()}"
    out = [f"Measured on {header}, on {datetime.date.today()}, with "
           "`python benchmarks/ratios.py`; each cell is the range over the functions of "
           "the family (forward, grad, backward):", "",
           "| family | dtype | case | shrink / reference | target | passing | measured on |",
           "|---|---|---|---:|---:|---:|---|"]
    for (fam, dtype, case), rs in groups.items():
        lo, hi = min(r["ratio"] for r in rs), max(r["ratio"] for r in rs)
        cell = f"{lo:.2f}" if f"{lo:.2f}" == f"{hi:.2f}" else f"{lo:.2f}–{hi:.2f}"
        tgt = rs[0]["target"]
        checked = [r for r in rs if r["status"] != "info"]
        passing = f"{sum(r['status'] == 'PASS' for r in checked)} of {len(checked)}" if checked else "info"
        out.append(f"| {fam} | {dtype} | {CASE_TEXT.get(case, case)} | {cell} | "
                   f"{'-' if tgt is None else f'{tgt:g}'} | {passing} | {where} |")
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="fewer repeats, smaller memory check")
    p.add_argument("--check", action="store_true", help="exit 1 if any row FAILs")
    p.add_argument("--only", default="", help="only functions whose name contains this")
    p.add_argument("--case", action="append", choices=CASES, default=[],
                   help="only this case of the speed rows (repeat for several); with it, "
                        "no bfloat16, thread, PyTorch or memory rows")
    p.add_argument("--threads", type=int, default=1,
                   help="also the rows with shrink.set_num_threads(N) (N >= 2)")
    p.add_argument("--markdown", action="store_true", help="also print the README table")
    p.add_argument("--skip-single", action="store_true",
                   help="skip the single-thread speed rows (with --threads)")
    opts = p.parse_args(argv)

    limiter = limit_threads(openmp=opts.threads <= 1)  # noqa: F841 (kept for the whole run)
    header = cpu_line()
    print(f"CPU: {header}")
    print(f"Python {platform.python_version()}, "
          f"shrink {getattr(shrink, '__version__', '?')} from {os.path.dirname(shrink.__file__)}, "
          f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}")
    print("min of interleaved repeats, one process, single thread unless said; "
          "lambd = 0.5 (Python float)")
    print()

    rows = [] if opts.skip_single else speed_rows(opts)
    if not opts.skip_single and not opts.case:
        brows = bfloat16_rows(opts)
        if brows is None:
            print("bfloat16: ml_dtypes not importable (rows skipped)")
        else:
            rows += brows
    if not opts.skip_single and (not opts.only or opts.only in "hardshrink"):
        rows.append(python_layer_row(opts))
    if opts.threads > 1 and not opts.case:
        rows += thread_rows(opts)
    lines = fmt_ratio_rows(rows)
    print("\n".join(lines))
    traffic = traffic_lines(rows)
    if traffic:
        print()
        print("Memory traffic of the thread rows (see traffic_lines):")
        print("\n".join(traffic))
    failed = [r for r in rows if r["status"] == "FAIL"]
    if opts.case:  # the speed rows of these cases (and the 1-element row) only
        print()
        n_rows = sum(r["status"] != "info" for r in rows)
        print(f"{len(failed)} of {n_rows} checked rows FAIL")
        if opts.markdown:
            print()
            print("\n".join(markdown(rows, header)))
        return 1 if (opts.check and failed) else 0

    trows = torch_rows(opts)
    print()
    if trows is None:
        print("torch: not importable (skipped)")
    else:
        print("PyTorch, torch.set_num_threads(1), for scale (no out=; torch allocates):")
        print("\n".join(fmt_ratio_rows(trows)))

    mrows, n = memory_rows(opts)
    print()
    print(f"Extra memory per call of shrink.<name> (tracemalloc, N = {n}, float16/32/64; "
          "growth from N = 1 to N; with out=: < 1 KB; without: result nbytes + < 1 KB):")
    for m in mrows:
        status = "PASS" if m["ok"] else "FAIL"
        detail = f"  ({'; '.join(m['bad'])})" if m["bad"] else ""
        print(f"  {m['func']:<22}{m['what']:<24}excess {m['extra']:>9} B  {status}{detail}")
        if not m["ok"]:
            failed.append(m)

    print()
    n_rows = sum(r["status"] != "info" for r in rows) + len(mrows)
    print(f"{len(failed)} of {n_rows} checked rows FAIL")
    if opts.markdown:
        print()
        print("\n".join(markdown(rows + (trows or []), header)))
    return 1 if (opts.check and failed) else 0


if __name__ == "__main__":
    sys.exit(main())
