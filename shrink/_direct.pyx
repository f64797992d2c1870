"""The direct path of the public functions: a ufunc's own inner loop, called
without the ufunc machinery, for the call that is made most often.

At N = 1000 NumPy's dispatch (argument parsing, type resolution, the iterator
set-up, the keyword ``out=``) costs as much as the loop itself; the public
functions would pay it on top of their own checks (SPEC §6 gives them 2 x
``np.negative(x, out=y)``). ``call`` takes the common call and runs the loop
NumPy would run, with the arguments NumPy would give it:

- every array operand an exact ``np.ndarray`` (no subclass, hence no
  ``__array_ufunc__`` override), float32 or float64 in native byte order, all
  of one dtype and one shape (ndim >= 1: a 0-d result must stay a NumPy scalar
  as the ufunc returns it), aligned, all C-contiguous or all F-contiguous --
  or, for ndim == 2, each C- or F-contiguous but not all alike (a transposed
  view beside a C array: see "Mixed layouts" below);
- every other operand a Python float, finite in that dtype: NEP 50 makes it
  weak, so NumPy casts it to the arrays' dtype and passes it with stride 0;
- ``out`` None (a new array, laid out as NumPy's order="K" lays it out) or an
  exact ndarray of that dtype, shape and contiguity, writeable and aligned,
  that either is an input's very memory (same data pointer and strides: in
  place) or meets none of its bytes.

The loop is the one NumPy would pick (``functions[i]`` and ``data[i]`` of the
ufunc object, found by ``types``), called once over all elements with
contiguous steps, as NumPy's trivial-loop path calls it; the same loop gives
the same bits and threads as set_num_threads says. As NumPy does, the GIL is
released above 500 elements, and the FP flags are cleared before the loop and
read after it; a raised flag goes to NumPy's own handler
(``PyUFunc_GiveFloatingpointErrors``), which acts as np.errstate / np.seterrcall
say, naming the ufunc. Flags raised on OpenMP worker threads are not seen by
this thread, exactly as NumPy does not see them either.

Mixed layouts (ndim == 2): NumPy's iterator would hand the loop 1-D lines
along one axis, on which every element of an operand laid out the other way
sits on its own cache line and page (cache and TLB misses on every element).
``run_tiled`` visits the index space in tiles instead: the loop is called
along the axis where most array operands (out among them; out's axis on a
tie) are contiguous, TILE_LEN elements at a time, on the few neighbouring
lines of a tile one after another. An operand laid out the other way (not
contiguous along that axis) goes through a scratch block per tile: an
input's block is copied in before the tile's calls, out's block copied out
after them, each a blocked transpose that reads or writes the far-strided
memory along its own contiguous axis (TILE_COLUMN_BYTES at each position:
shrink/src/tile_copy.h). The loop then sees only contiguous operands (its
fast, vectorized path) instead of gathering or scattering one element per
cache line. The copies are integer moves: they raise no FP flag and keep
every bit, and the same loop and kernel give the same bits for every element
as any other visiting order. The FP flags are cleared before the whole tiled
run and read after it. Without ``out`` the result is C-ordered, as NumPy's
order="K" makes it when the inputs disagree (its iterator lets C order win a
conflict). Each call covers at most TILE_LEN elements, below the loops'
threshold for threads: a mixed-layout run is single-threaded whatever
set_num_threads says.

Anything else returns None: the caller then calls the ufunc itself.
"""

cimport cython
cimport numpy as cnp
from cpython.object cimport PyObject
from libc.float cimport DBL_MAX, FLT_MAX
from cpython.mem cimport PyMem_RawFree, PyMem_RawMalloc

cdef extern from "tile_copy.h" nogil:
    void shrink_tile_copy(const char* src, cnp.npy_intp sa, cnp.npy_intp sb, char* dst,
                          cnp.npy_intp da, cnp.npy_intp db, cnp.npy_intp na, cnp.npy_intp nb,
                          int itemsize)

cnp.import_array()
cnp.import_ufunc()

cdef extern from "numpy/npy_math.h" nogil:
    int npy_clear_floatstatus_barrier(char*)
    int npy_get_floatstatus_barrier(char*)

cdef extern from "numpy/arrayobject.h":
    # declared here with raw references: PyArray_NewLikeArray steals descr
    cnp.PyArray_Descr* descr_from_type "PyArray_DescrFromType"(int type_num) except NULL
    object PyArray_NewLikeArray(cnp.ndarray prototype, cnp.NPY_ORDER order,
                                cnp.PyArray_Descr* descr, int subok)

cdef extern from "numpy/ufuncobject.h":
    int PyUFunc_GiveFloatingpointErrors(const char* name, int fpe_errors) except -1

ctypedef void (*loop_function)(char**, const cnp.npy_intp*, const cnp.npy_intp*,
                               void*) noexcept nogil

cdef enum:
    MAX_ARGS = 8  # operands and out; the table's ufuncs have at most 5
    # NumPy releases the GIL for a loop over more elements than this
    # (NPY_BEGIN_THREADS_THRESHOLDED)
    GIL_THRESHOLD = 500
    C_ORDER = 1
    F_ORDER = 2
    # mixed layouts (run_tiled): elements per loop call along the run's axis,
    # and the bytes of neighbouring lines per tile (tile_lines: 8 float32 or
    # 4 float64 lines), which is also how much of a far-strided operand's
    # contiguous axis one position of a tile reads or writes. Picked by
    # measurement (1000 x 1000 transposed views, all 18 functions, float32 and
    # float64, Intel Xeon Sapphire Rapids, buffered tiles): 32 bytes as fast
    # as 64 in float32 and faster in float64, where with 64 the memory-bound
    # hard/soft rows took 0.75-0.85 x np.negative (0.68-0.72 with 32, as
    # without buffering); 128 and 256 elements within noise of each other.
    TILE_LEN = 256
    TILE_COLUMN_BYTES = 32


cdef inline cnp.npy_intp tile_lines(cnp.npy_intp itemsize) noexcept nogil:
    """Lines per tile: TILE_COLUMN_BYTES of a far-strided operand (8 float32,
    4 float64)."""
    return TILE_COLUMN_BYTES // itemsize


cdef inline int layout(cnp.ndarray a) noexcept:
    """C_ORDER | F_ORDER as a's flags say (both for 1-D); 0 when it is neither,
    or not aligned."""
    cdef int flags = cnp.PyArray_FLAGS(a)
    if not flags & cnp.NPY_ARRAY_ALIGNED:
        return 0
    return ((C_ORDER if flags & cnp.NPY_ARRAY_C_CONTIGUOUS else 0)
            | (F_ORDER if flags & cnp.NPY_ARRAY_F_CONTIGUOUS else 0))


cdef inline bint same_shape(cnp.ndarray a, cnp.ndarray b) noexcept:
    cdef int k, nd = cnp.PyArray_NDIM(a)
    if cnp.PyArray_NDIM(b) != nd:
        return False
    for k in range(nd):
        if cnp.PyArray_DIMS(a)[k] != cnp.PyArray_DIMS(b)[k]:
            return False
    return True


cdef inline bint native_type(cnp.ndarray a, int type_num) noexcept:
    return cnp.PyArray_TYPE(a) == type_num and cnp.PyArray_ISNOTSWAPPED(a)


cdef inline bint same_strides(cnp.ndarray a, cnp.ndarray b) noexcept:
    """Whether a and b (of one shape) step alike on every axis longer than 1."""
    cdef int k
    for k in range(cnp.PyArray_NDIM(a)):
        if (cnp.PyArray_DIMS(a)[k] > 1
                and cnp.PyArray_STRIDES(a)[k] != cnp.PyArray_STRIDES(b)[k]):
            return False
    return True


cdef int find_loop(cnp.ufunc ufunc, int type_num) noexcept:
    """The index of the loop whose every operand is type_num, or -1."""
    cdef int i, k, nargs = ufunc.nargs
    for i in range(ufunc.ntypes):
        for k in range(nargs):
            if ufunc.types[i * nargs + k] != type_num:
                break
        else:
            return i
    return -1


cdef inline bint buffered(cnp.npy_intp step_in, cnp.npy_intp itemsize) noexcept nogil:
    """Whether run_tiled copies an operand through scratch: an array operand
    that is not contiguous along the run's axis (a Python float's step is 0)."""
    return step_in != 0 and step_in != itemsize


@cython.cdivision(True)
cdef void run_tiled(loop_function loop, void* data, int nargs, char** base,
                    const cnp.npy_intp* step_in, const cnp.npy_intp* step_out,
                    cnp.npy_intp length, cnp.npy_intp lines, cnp.npy_intp itemsize,
                    char* scratch) noexcept nogil:
    """The loop over a 2-D index space of `lines` lines of `length` elements:
    operand k's element (line j, position i) at base[k] + j * step_out[k] +
    i * step_in[k] (out last). Tiles of tile_lines(itemsize) lines x TILE_LEN
    elements (the last tile on each axis partial), one loop call per line of a
    tile. Operands that are not contiguous along the run's axis (buffered())
    go through `scratch`, one tile each in operand order, lines TILE_LEN
    elements apart: an input's tile is copied in before the tile's calls,
    out's copied out after them (shrink_tile_copy, a blocked transpose)."""
    cdef char* args[MAX_ARGS]
    cdef char* buf[MAX_ARGS]
    cdef cnp.npy_intp steps[MAX_ARGS]
    cdef cnp.npy_intp i0, j0, j, j_end, n
    cdef cnp.npy_intp pitch = TILE_LEN * itemsize
    cdef cnp.npy_intp tl = tile_lines(itemsize)
    cdef int k, out = nargs - 1
    cdef char* next_block = scratch
    for k in range(nargs):
        if buffered(step_in[k], itemsize):
            buf[k] = next_block
            next_block += tl * pitch
            steps[k] = itemsize
        else:
            buf[k] = NULL
            steps[k] = step_in[k]
    j0 = 0
    while j0 < lines:
        j_end = j0 + tl if lines - j0 > tl else lines
        i0 = 0
        while i0 < length:
            n = TILE_LEN if length - i0 > TILE_LEN else length - i0
            for k in range(out):
                if buf[k] != NULL:
                    # element (position i, line j) to buf[k] + j * pitch + i * itemsize
                    shrink_tile_copy(base[k] + j0 * step_out[k] + i0 * step_in[k],
                                     step_in[k], step_out[k], buf[k], itemsize, pitch,
                                     n, j_end - j0, itemsize)
            for j in range(j0, j_end):
                for k in range(nargs):
                    if buf[k] != NULL:
                        args[k] = buf[k] + (j - j0) * pitch
                    else:
                        args[k] = base[k] + j * step_out[k] + i0 * step_in[k]
                loop(args, &n, steps, data)
            if buf[out] != NULL:
                # element (line j, position i) from buf[out] + j * pitch + i * itemsize
                shrink_tile_copy(buf[out], pitch, itemsize,
                                 base[out] + j0 * step_out[out] + i0 * step_in[out],
                                 step_out[out], step_in[out], j_end - j0, n, itemsize)
            i0 += TILE_LEN
        j0 = j_end


cdef int run(loop_function loop, void* data, int nargs, char** args,
            const cnp.npy_intp* steps, const cnp.npy_intp* steps_out, cnp.npy_intp n,
            int order, cnp.npy_intp length, cnp.npy_intp lines, cnp.npy_intp itemsize,
            char* scratch) noexcept nogil:
    """The loop over all n elements (one call when the operands share a layout,
    else tiled), between clearing and reading the FP flags; returns the flags."""
    npy_clear_floatstatus_barrier(<char*>&n)
    if order:
        loop(args, &n, steps, data)
    else:
        run_tiled(loop, data, nargs, args, steps, steps_out, length, lines, itemsize,
                  scratch)
    return npy_get_floatstatus_barrier(<char*>&n)


@cython.boundscheck(False)
@cython.wraparound(False)
def call(cnp.ufunc ufunc, out, a, b=None, c=None, d=None):
    """ufunc(a, b, c, d, out=out) with the ufunc's operands among a..d (ufunc.nin of
    them, in order) by a direct call of its inner loop, or None when the call is
    not the common one described above (the caller then calls the ufunc)."""
    cdef int nin = ufunc.nin
    cdef int k, type_num = -1, order = C_ORDER | F_ORDER, i, fp, lay, inner
    # array operands (out too) contiguous along axis 1 minus those along axis 0
    cdef int by_rows = 0
    cdef cnp.ndarray first = None, arr, result
    cdef cnp.npy_intp n, itemsize, nbytes, length = 0, lines = 0
    cdef cnp.npy_intp steps_out[MAX_ARGS]
    cdef char* args[MAX_ARGS]
    cdef cnp.npy_intp steps[MAX_ARGS]
    cdef double scalars_d[MAX_ARGS]
    cdef float scalars_f[MAX_ARGS]
    cdef double value
    cdef char* lo
    cdef char* out_lo
    cdef loop_function loop
    cdef void* data
    cdef PyObject* operands[4]
    cdef char* scratch = NULL
    cdef int nbuf = 0
    if nin > 4 or ufunc.nout != 1:
        return None
    operands[0] = <PyObject*>a  # borrowed: a..d hold them
    operands[1] = <PyObject*>b
    operands[2] = <PyObject*>c
    operands[3] = <PyObject*>d
    # the arrays: one exact ndarray type, dtype, shape and layout
    for k in range(nin):
        op = <object>operands[k]
        if type(op) is cnp.ndarray:
            arr = <cnp.ndarray>op
            if first is None:
                first = arr
                type_num = cnp.PyArray_TYPE(arr)
                if type_num != cnp.NPY_FLOAT and type_num != cnp.NPY_DOUBLE:
                    return None
                if cnp.PyArray_NDIM(arr) == 0:
                    return None
            elif not same_shape(arr, first):
                return None
            if not native_type(arr, type_num):
                return None
            lay = layout(arr)
            if not lay:
                return None
            order &= lay
            by_rows += (lay == C_ORDER) - (lay == F_ORDER)
        elif type(op) is not float:
            return None
    if first is None:
        return None
    if out is not None:
        if type(out) is not cnp.ndarray:
            return None
        result = <cnp.ndarray>out
        if not (native_type(result, type_num) and same_shape(result, first)
                and cnp.PyArray_FLAGS(result) & cnp.NPY_ARRAY_WRITEABLE):
            return None
        lay = layout(result)
        if not lay:
            return None
        order &= lay
        by_rows += (lay == C_ORDER) - (lay == F_ORDER)
        # in place on an input's very memory, or apart from every input
        nbytes = cnp.PyArray_NBYTES(result)
        out_lo = cnp.PyArray_BYTES(result)
        for k in range(nin):
            op = <object>operands[k]
            if type(op) is cnp.ndarray:
                lo = cnp.PyArray_BYTES(<cnp.ndarray>op)
                if lo == out_lo:
                    if not same_strides(<cnp.ndarray>op, result):
                        return None
                elif lo < out_lo + nbytes and out_lo < lo + nbytes:
                    return None
    # mixed layouts (out's included) only in 2-D (see run_tiled)
    if not order and cnp.PyArray_NDIM(first) != 2:
        return None
    i = find_loop(ufunc, type_num)
    if i < 0:
        return None
    itemsize = 4 if type_num == cnp.NPY_FLOAT else 8
    for k in range(nin):
        op = <object>operands[k]
        if type(op) is float:
            value = <double>op
            if type_num == cnp.NPY_FLOAT:
                if not -FLT_MAX <= value <= FLT_MAX:  # NaN too: NumPy's cast may warn
                    return None
                scalars_f[k] = <float>value  # NEP 50: rounded to float32
                args[k] = <char*>&scalars_f[k]
            else:
                if not -DBL_MAX <= value <= DBL_MAX:
                    return None
                scalars_d[k] = value
                args[k] = <char*>&scalars_d[k]
            steps[k] = 0
        else:
            args[k] = cnp.PyArray_BYTES(<cnp.ndarray>op)
            steps[k] = itemsize
    if out is None:
        # NumPy's order="K" result: the inputs' layout; C order where they
        # disagree
        result = PyArray_NewLikeArray(first, cnp.NPY_KEEPORDER if order else cnp.NPY_CORDER,
                                      descr_from_type(type_num), 0)
    args[nin] = cnp.PyArray_BYTES(result)
    steps[nin] = itemsize
    n = cnp.PyArray_SIZE(result)
    if n == 0:
        return result
    loop = <loop_function><void*>ufunc.functions[i]
    data = ufunc.data[i]
    if not order:
        # 2-D, no axis of length 0 or 1 (an array with one is both C and F
        # contiguous): run along the axis where most array operands are
        # contiguous, the output's on a tie (out given: counted above)
        if out is None:
            by_rows += 1  # the new result is C-ordered
        if by_rows == 0:
            by_rows = 1 if cnp.PyArray_FLAGS(result) & cnp.NPY_ARRAY_C_CONTIGUOUS else -1
        inner = 1 if by_rows > 0 else 0
        length = cnp.PyArray_DIMS(result)[inner]
        lines = cnp.PyArray_DIMS(result)[1 - inner]
        for k in range(nin + 1):
            op = <object>operands[k] if k < nin else result
            if type(op) is float:
                steps_out[k] = 0
            else:
                steps[k] = cnp.PyArray_STRIDES(<cnp.ndarray>op)[inner]
                steps_out[k] = cnp.PyArray_STRIDES(<cnp.ndarray>op)[1 - inner]
            nbuf += buffered(steps[k], itemsize)
        if nbuf:
            # run_tiled's scratch: one tile (TILE_COLUMN_BYTES x TILE_LEN =
            # 8 KiB) per buffered operand, whatever the array's size: a fixed
            # block like the buffers of NumPy's own iterator, not a temporary
            # array (tracemalloc sees it: tests/test_memory.py bounds it)
            scratch = <char*>PyMem_RawMalloc(nbuf * TILE_COLUMN_BYTES * TILE_LEN)
            if scratch == NULL:
                raise MemoryError(f"{ufunc.__name__}: no {nbuf * TILE_COLUMN_BYTES * TILE_LEN}"
                                  " bytes of scratch for a mixed-layout run")
    try:
        if n > GIL_THRESHOLD:
            with nogil:
                fp = run(loop, data, nin + 1, args, steps, steps_out, n, order, length, lines,
                         itemsize, scratch)
        else:
            fp = run(loop, data, nin + 1, args, steps, steps_out, n, order, length, lines,
                     itemsize, scratch)
    finally:
        PyMem_RawFree(scratch)
    if fp:
        PyUFunc_GiveFloatingpointErrors(ufunc.name, fp)
    return result
