"""The public functions: the raw ufuncs with their defaults and parameter checks.

Every function is built at import from one template (``_TEMPLATE``) and the
entry of _table.py that declares it: the operands, then the threshold
parameters with their defaults. Each checks its parameters (``_lambd.py``),
then calls its ufunc with the keywords passed through, so out=, where=,
casting=, order=, dtype= and subok= keep their ufunc meaning, and containers
that implement ``__array_ufunc__`` (dask, xarray, pandas, ...) receive the
call: x is never converted here.

The template is source text, compiled once per function, rather than a
closure over ``*args, **kwargs``: on a 1-element array a helper call or a
parsed keyword costs as much as a third of the ufunc call itself, so the common
calls are spelled out inline: Python float parameters in range cost two
comparisons each. With the default keywords, ``_direct.call`` is asked first:
for exact float32/float64 ndarrays of one shape and layout (and ``out=`` of
the same, or none) it runs the ufunc's own inner loop without NumPy's dispatch,
which at N = 1000 costs as much as the loop; otherwise it returns None and the
ufunc is called with ``out=`` alone (or nothing), without building a keyword
dict.

When the ufunc refuses x or grad_output, ``_operands.py`` says which and why.
scipy.sparse input makes the ufunc raise TypeError (no __array_ufunc__, no
object loop); only then is ``_sparse`` asked, so the hook costs a dense call
nothing (a try block is free until something raises).
"""

from shrink import _sparse, ufuncs as _u
from shrink._direct import call as _direct_call
from shrink._docstrings import public
from shrink._lambd import (
    ALWAYS_FINITE, bfloat16_dtype, bfloat16_result, check_lambd, check_order, to_bfloat16,
)
from shrink._operands import raise_operand_error
from shrink._table import DECLARED, FAMILY, NAMES, Ufunc

__all__ = list(NAMES)  # what ``from shrink._functions import *`` (``__init__.py``) takes


def _keywords(out, where, casting, order, dtype, subok):
    """The ufunc keywords; out only when given, so that NumPy still warns about
    where= without out= (the result would be uninitialised)."""
    keywords = {"where": where, "casting": casting, "order": order, "dtype": dtype, "subok": subok}
    if out is not None:
        keywords["out"] = out
    return keywords


def _with_keywords(ufunc, operands, out, where, casting, order, dtype, subok):
    return ufunc(*operands, **_keywords(out, where, casting, order, dtype, subok))


def _recover(error, ufunc, operands, out, where, casting, order, dtype, subok):
    """The ufunc raised (called inside the except block, so that no exception
    outlives it in a local and ties it to a frame in a reference cycle). scipy.sparse
    operands, which NumPy cannot take, go to _sparse; any other failure is raised
    again naming the function and, when it is an operand's fault, the operand
    and its value (names and complex support as _table.py declares them)."""
    if _sparse.any_sparse(*operands):
        keywords = _keywords(out, where, casting, order, dtype, subok)
        try:
            return _sparse.apply(ufunc, operands, keywords)
        except (TypeError, ValueError) as refusal:
            raise refusal from None  # NumPy's refusal of a sparse operand is not the story
    try:
        declared = DECLARED[ufunc.__name__]
        arrays = list(zip(declared.arrays, operands))
        raise_operand_error(ufunc.__name__, error, declared.has_complex, arrays)
        raise error
    finally:
        del error  # the traceback holds this frame: no cycle through this local


_TEMPLATE = '''\
def {name}({signature}*, out=None, where=True, casting="same_kind", order="K",
        dtype=None, subok=True):
    if {slow}:
{checks}
{bfloat16}    try:
        if where is True and casting == "same_kind" and order == "K" and dtype is None \\
                and subok is True:
            result = _direct_call(_ufunc_{name}, out, {operands})
            if result is not None:
                return result
            if out is None:
                return _ufunc_{name}({operands})
            return _ufunc_{name}({operands}, out=out)
        return _with_keywords(_ufunc_{name}, ({operands},),
                              out, where, casting, order, dtype, subok)
    except (TypeError, ValueError) as error:
        return _recover(error, _ufunc_{name}, ({operands},),
                        out, where, casting, order, dtype, subok)
'''


def _source(u: Ufunc) -> str:
    """The source text of the public function for the ufunc u."""
    signature = "".join(f"{a}, " for a in u.arrays)
    signature += "".join(f"{p.name}, " if p.default is None else f"{p.name}={p.default!r}, "
                         for p in u.params)
    # The fast test: every parameter a Python float inside its range; the ordered
    # ones (firm's lambd_low <= lambd_high) in one chained comparison.
    ordered = FAMILY[u.family].ordered
    slow = [f"type({p.name}) is not float" for p in u.params]
    ranges = []
    if ordered:
        ranges.append(" <= ".join(("0.0", *ordered, "ALWAYS_FINITE")))
    for p in u.params:
        if p.name not in ordered:
            low = "-ALWAYS_FINITE" if p.signed else "0.0"
            ranges.append(f"{low} <= {p.name} <= ALWAYS_FINITE")
    slow += [f"not {r}" for r in ranges]
    checks = []
    for p in u.params:
        others = (*u.arrays, *(q.name for q in u.params if q is not p))
        checks.append(f"        {p.name} = check_lambd({u.name!r}, {p.name}, ({', '.join(others)},), "
                      f"dtype, {p.name!r}, {p.signed})")
    if ordered:
        low, high = ordered
        checks.append(f"        check_order({u.name!r}, {low!r}, {low}, {high!r}, {high})")
    # the bound as a literal: a constant costs less than a global lookup
    slow = [test.replace("ALWAYS_FINITE", repr(ALWAYS_FINITE)) for test in slow]
    # bfloat16 (ml_dtypes installed): Python-number thresholds are rounded to
    # bfloat16 where the arrays are bfloat16 (the raw ufunc would compute in
    # float32). One identity test per array on the common path; none without ml_dtypes.
    bfloat16 = ""
    if u.params and bfloat16_dtype() is not None:
        test = " or ".join(f'getattr({a}, "dtype", None) is _BFLOAT16' for a in u.arrays)
        bfloat16 = (f"    if ({test}) and bfloat16_result(({', '.join(u.arrays)},)):\n"
                    + "".join(f"        {p.name} = to_bfloat16({p.name})\n" for p in u.params))
    return _TEMPLATE.format(name=u.name, signature=signature, bfloat16=bfloat16,
                            slow=" or ".join(slow) if slow else "False",
                            checks="\n".join(checks) or "        pass",
                            operands=", ".join(u.operands))


def _define(u: Ufunc) -> None:
    """Compile the function for u into this module, its ufunc beside it."""
    globals()[f"_ufunc_{u.name}"] = getattr(_u, u.name)
    code = compile(_source(u), f"<shrink._functions template: {u.name}>", "exec")
    exec(code, globals())  # defines u.name here: its __module__ and __globals__ are this module's
    globals()[u.name].__doc__ = public(u.name)


_BFLOAT16 = bfloat16_dtype()
for _declared in DECLARED.values():
    _define(_declared)
del _declared
