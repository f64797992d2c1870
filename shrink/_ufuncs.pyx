"""The ufuncs of _table.py: the complex loops, and the registration of every loop.

The loops are generated (_generate.py, from _table.py): the real ones into
_real_loops.pxi, compiled once per instruction set (_loops_*.pyx; _cpu.py picks
one at import), the complex ones into _complex_loops.pxi, included here.
"""

from cpython.mem cimport PyMem_Malloc
from cpython.pycapsule cimport PyCapsule_GetPointer
cimport numpy as cnp
import numpy as np

from shrink._complex_tanh cimport SERIES_TERMS, fill_series, z_minus_tanh
from shrink._libm cimport real

from shrink._cpu import choose_loops
from shrink._docstrings import DOCSTRINGS
from shrink._table import UFUNCS

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


def _make_all():
    loops = loop_pointers()
    loops.update(REAL_LOOPS.loop_pointers())
    return {spec.name: _make_ufunc(spec, loops) for spec in UFUNCS}


UFUNC_OBJECTS = _make_all()
