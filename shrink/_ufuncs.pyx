"""The ufuncs of _table.py: the complex loops, and the registration of every loop.

The loops are generated (_generate.py, from _table.py): the real ones into
_real_loops.pxi, compiled once per instruction set (_loops_*.pyx; _cpu.py picks
one at import), the complex ones into _complex_loops.pxi, included here.

When ml_dtypes is installed, every real loop also gets its bfloat16 twin (SPEC
§7), registered for np.dtype(ml_dtypes.bfloat16), a user dtype with no type
character. ml_dtypes is imported only when it is installed, so that without it
nothing changes and import pays only for looking it up.
"""

from importlib.util import find_spec as _find_spec

from cpython.mem cimport PyMem_Free, PyMem_Malloc
from cpython.pycapsule cimport PyCapsule_GetPointer
cimport numpy as cnp
import numpy as np

from shrink._complex_tanh cimport SERIES_TERMS, fill_series, z_minus_tanh
from shrink._libm cimport real

from shrink._cpu import choose_loops
from shrink._docstrings import DOCSTRINGS
from shrink._table import BFLOAT16, UFUNCS

cnp.import_array()
cnp.import_ufunc()

cdef float TANH_SERIES_F[SERIES_TERMS]
cdef double TANH_SERIES_D[SERIES_TERMS]
cdef long double TANH_SERIES_L[SERIES_TERMS]


cdef void _fill_tanh_series() noexcept:
    fill_series(TANH_SERIES_L)
    for k in range(SERIES_TERMS):
        TANH_SERIES_D[k] = <double>TANH_SERIES_L[k]
        TANH_SERIES_F[k] = <float>TANH_SERIES_L[k]


_fill_tanh_series()


cdef inline void tanhshrink_complex(real x, real y, real* out) noexcept nogil:
    if real is float:
        z_minus_tanh(x, y, TANH_SERIES_F, out)
    elif real is double:
        z_minus_tanh(x, y, TANH_SERIES_D, out)
    else:
        z_minus_tanh(x, y, TANH_SERIES_L, out)


include "_complex_loops.pxi"

CPU_DISPATCH, REAL_LOOPS = choose_loops()

# NumPy keeps pointers to the names, docstrings and type arrays for the life of
# the ufuncs: these references keep them alive.
_keep_alive = []


cdef object _make_ufunc(spec, dict loops):
    cdef int ntypes = len(spec.types())
    cdef cnp.PyUFuncGenericFunction* functions = <cnp.PyUFuncGenericFunction*>PyMem_Malloc(
        ntypes * sizeof(cnp.PyUFuncGenericFunction))
    cdef void** data = <void**>PyMem_Malloc(ntypes * sizeof(void*))
    if functions == NULL or data == NULL:
        raise MemoryError()
    type_nums = bytearray()
    for i, signature in enumerate(spec.types()):
        functions[i] = <cnp.PyUFuncGenericFunction>PyCapsule_GetPointer(
            loops[spec.name, signature[0]], b"shrink.loop")
        data[i] = NULL
        type_nums += bytes(np.dtype(c).num for c in signature.replace("->", ""))
    name = spec.name.encode()
    doc = DOCSTRINGS[spec.name].encode()
    types = bytes(type_nums)
    _keep_alive.extend((name, doc, types))
    return cnp.PyUFunc_FromFuncAndData(
        functions, data, types, ntypes, spec.nin, 1, cnp.PyUFunc_None,
        name, doc, 0)


cdef void _register_bfloat16(cnp.ufunc ufunc, spec, dict loops, int type_num) except *:
    """All operands bfloat16 -> bfloat16, beside the loops NumPy knows by character."""
    cdef int* arg_types = <int*>PyMem_Malloc((spec.nin + 1) * sizeof(int))
    if arg_types == NULL:
        raise MemoryError()
    for k in range(spec.nin + 1):
        arg_types[k] = type_num
    try:
        cnp.PyUFunc_RegisterLoopForType(
            ufunc, type_num,
            <cnp.PyUFuncGenericFunction>PyCapsule_GetPointer(
                loops[spec.name, BFLOAT16], b"shrink.loop"),
            arg_types, NULL)
    finally:
        PyMem_Free(arg_types)  # NumPy copies the type numbers


def _bfloat16_dtype():
    """np.dtype(ml_dtypes.bfloat16), or None when ml_dtypes is not installed."""
    try:
        if _find_spec("ml_dtypes") is None:
            return None
        import ml_dtypes
    except ImportError:  # installed but broken (or hidden): as if absent
        return None
    return np.dtype(ml_dtypes.bfloat16)


def _make_all():
    loops = loop_pointers()
    loops.update(REAL_LOOPS.loop_pointers())
    ufuncs = {spec.name: _make_ufunc(spec, loops) for spec in UFUNCS}
    if BFLOAT16_DTYPE is not None:
        for spec in UFUNCS:
            _register_bfloat16(ufuncs[spec.name], spec, loops, BFLOAT16_DTYPE.num)
    return ufuncs


BFLOAT16_DTYPE = _bfloat16_dtype()
UFUNC_OBJECTS = _make_all()
