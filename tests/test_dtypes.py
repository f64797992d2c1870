"""SPEC §1/§3: the loop table, result dtypes, promotion of ints/bools, float16
computed in float32 and rounded once, rejected input types."""

import re

import numpy as np
import pytest

import os  # noqa: E402
import sys  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spec_cases import (
    BACKWARD_NAMES, FUNCS, FORWARD_NAMES, LAMBD_NAMES, NAMES, NONFORWARD_NAMES, ONE_INPUT_NAMES, REAL_DTYPES,
    REAL_IDS, args_for, param_values, assert_same_bits, g_pool, pyfunc, quiet_fp, assert_matches_reference, ufunc, value_pool,
)

LAYERS = ["ufunc", "function"]


def _f(layer, name):
    return ufunc(name) if layer == "ufunc" else pyfunc(name)


# --------------------------------------------------------------------------
# The ufunc objects and their type table


@pytest.mark.parametrize("name", NAMES)
def test_is_ufunc(name):
    u = ufunc(name)
    assert isinstance(u, np.ufunc)
    assert u.__name__ == name
    assert u.nin == FUNCS[name].nin
    assert u.nout == 1
    assert u.ntypes == len(u.types)


@pytest.mark.parametrize("name", NAMES)
def test_types_table(name):
    types = ufunc(name).types
    outs = []
    for sig in types:
        ins, out = sig.split("->")
        assert len(ins) == FUNCS[name].nin, sig
        outs.append(out)
    # real loops: one per real dtype, all operands of that dtype
    for c in "efdg":
        assert c * FUNCS[name].nin + "->" + c in types, f"{name}: no {c} loop in {types}"
    complex_outs = {o for o in outs if o in "FDG"}
    if FUNCS[name].complex_ok:
        assert complex_outs == set("FDG"), types
        for sig in types:
            ins, out = sig.split("->")
            if out in "FDG":
                assert ins[0] == out, sig  # x complex
                # other operands: the complex dtype or its real counterpart
                real = {"F": "f", "D": "d", "G": "g"}[out]
                assert set(ins[1:]) <= {out, real}, sig
    else:
        assert not complex_outs, f"{name} has complex loops: {types}"
    # nothing but floating loops
    assert set(outs) <= set("efdgFDG"), types
    assert not any(c in sig for sig in types for c in "O?bBhHiIlLqQmMSUV"), types


# --------------------------------------------------------------------------
# result dtype


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
@pytest.mark.parametrize("name", NAMES)
def test_result_dtype_is_x_dtype(layer, name, dt):
    x = np.linspace(-2, 2, 9).astype(dt)
    r = _f(layer, name)(*args_for(name, x, 0.5, x))
    assert r.dtype == dt
    r = _f(layer, name)(*args_for(name, dt(1.5), 0.5, dt(-1)))
    assert type(r) is dt


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("name", ONE_INPUT_NAMES)
@pytest.mark.parametrize("idt", [np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32,
                                 np.int64, np.uint64, np.bool_], ids=lambda d: np.dtype(d).name)
def test_one_input_int_promotion_like_tanh(layer, name, idt):
    x = np.array([0, 1, 2, 3, 1, 0, 2]).astype(idt)
    r = _f(layer, name)(x)
    expected_dt = np.tanh(x).dtype
    assert r.dtype == expected_dt
    assert_same_bits(r, ufunc(name)(x.astype(expected_dt)))


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("gdt,xdt", [(np.float16, np.float32), (np.float32, np.float16),
                                     (np.float64, np.float32), (np.float16, np.longdouble),
                                     (np.int8, np.float16), (np.float32, np.int16),
                                     (np.int32, np.float32)],
                         ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", BACKWARD_NAMES)
def test_backward_promotion(layer, name, gdt, xdt):
    g = np.array([1, -2, 3, 0, 2]).astype(gdt)
    x = np.array([2, 0, -1, 3, 0]).astype(xdt)
    r = _f(layer, name)(*args_for(name, x, 0.5, g))
    with quiet_fp():
        expected_dt = np.arctan2(np.arctan2(g, x), 0.5).dtype if FUNCS[name].has_lambd else np.arctan2(g, x).dtype
    assert r.dtype == expected_dt
    assert_same_bits(r, ufunc(name)(*args_for(name, x.astype(expected_dt), 0.5, g.astype(expected_dt))))


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("name", LAMBD_NAMES)
@pytest.mark.parametrize("idt", [np.int8, np.int16, np.int32, np.int64, np.uint8, np.bool_],
                         ids=lambda d: np.dtype(d).name)
def test_int_x_with_float_lambd_like_arctan2(layer, name, idt):
    x = np.array([-3, -1, 0, 1, 2, 5]).astype(idt)
    r = _f(layer, name)(*args_for(name, x, 0.5, x))
    expected_dt = np.arctan2(x, 0.5).dtype
    assert expected_dt == np.float64  # NEP 50: int array with a Python float
    assert r.dtype == expected_dt
    assert_matches_reference(r, name, x, 0.5, x, expected_dt)


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("name", LAMBD_NAMES)
def test_bool_x(layer, name):
    x = np.array([True, False, True])
    for lam in (0.5, 1, np.float16(0.5), np.float32(1.5)):
        r = _f(layer, name)(*args_for(name, x, lam, x))
        assert r.dtype == np.arctan2(x, lam).dtype
        assert_matches_reference(r, name, x, lam, x, r.dtype)


# --------------------------------------------------------------------------
# longdouble loop really is longdouble


@pytest.mark.parametrize("layer", LAYERS)
def test_longdouble_precision_kept(layer):
    ld = np.longdouble
    if np.finfo(ld).nmant <= np.finfo(np.float64).nmant:
        pytest.skip("longdouble is double here")
    eps = np.finfo(ld).eps
    x = np.array([ld(1) + eps, -(ld(1) + eps), ld(1)], ld)
    r = _f(layer, "hardshrink")(x, ld(1))
    assert_same_bits(r, np.array([x[0], x[1], 0], ld))
    r = _f(layer, "softshrink")(x, 1)
    assert_same_bits(r, np.array([eps, -eps, 0], ld))
    r = _f(layer, "hardshrink_grad")(x, 1.0)
    assert_same_bits(r, np.array([1, 1, 0], ld))


# --------------------------------------------------------------------------
# float16: computed in float32, rounded once


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("name", LAMBD_NAMES)
@pytest.mark.parametrize("lam", [0.0, 0.5, 0.1, 3.0, 1000.0, 6e-8])
def test_float16_equals_float32_rounded(layer, name, lam):
    allx = np.arange(65536, dtype=np.uint16).view(np.float16)
    g = np.resize(np.array([1.0, -2.5, 0.1, 3e4, -6e-8], np.float16), allx.shape)
    lam16 = np.float16(lam)
    with quiet_fp():
        r16 = _f(layer, name)(*args_for(name, allx, lam16, g))
        params32 = [np.float32(p) for p in param_values(name, lam16)]  # the same values
        r32 = ufunc(name)(*args_for(name, allx.astype(np.float32), g=g.astype(np.float32), params=params32))
        expected = r32.astype(np.float16)
    assert r16.dtype == np.float16
    assert_same_bits(r16, expected, f"{name} lam={lam}")


# --------------------------------------------------------------------------
# complex: forward only; rejected input types


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("cdt", [np.complex64, np.complex128, np.clongdouble],
                         ids=["complex64", "complex128", "clongdouble"])
@pytest.mark.parametrize("name", FORWARD_NAMES)
def test_complex_forward_dtype(layer, name, cdt):
    z = np.array([1 + 1j, 0.1j, 0, -3 + 0.2j], cdt)
    r = _f(layer, name)(*args_for(name, z, 0.5))
    assert r.dtype == cdt
    r = _f(layer, name)(*args_for(name, cdt(2 + 1j), 0.5))
    assert type(r) is cdt


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("cdt", [np.complex64, np.complex128, np.clongdouble],
                         ids=["complex64", "complex128", "clongdouble"])
@pytest.mark.parametrize("name,operand", [(n, o) for n in NONFORWARD_NAMES for o in ("x", "g")
                                           if o == "x" or FUNCS[n].kind == "backward"])
def test_complex_grads_backwards_type_error(layer, name, cdt, operand):
    z = np.array([1 + 1j, 0.1j, 0, -3 + 0.2j], cdt)
    r = np.ones(4)
    x, g = (z, r) if operand == "x" else (r, z)
    with pytest.raises(TypeError) as e:
        _f(layer, name)(*args_for(name, x, 0.5, g))
    if layer == "function":
        assert re.search(rf"\b{name}\b", str(e.value)), str(e.value)
    # python complex scalar too
    with pytest.raises(TypeError):
        _f(layer, name)(*args_for(name, 1 + 2j if operand == "x" else 1.0, 0.5,
                                  1 + 2j if operand == "g" else 1.0))


BAD_X = [
    pytest.param(lambda: np.array([1.0, 2.0], dtype=object), id="object"),
    pytest.param(lambda: np.array(["1.0", "2"]), id="str"),
    pytest.param(lambda: np.array([b"1", b"2"]), id="bytes"),
    pytest.param(lambda: np.array(["2020-01-01", "2021-01-01"], dtype="datetime64[D]"), id="datetime64"),
    pytest.param(lambda: np.array([1, 2], dtype="timedelta64[s]"), id="timedelta64"),
    pytest.param(lambda: np.zeros(2, dtype="V8"), id="void"),
    pytest.param(lambda: np.zeros(2, dtype=[("a", "f8")]), id="structured"),
    pytest.param(lambda: "abc", id="python-str"),
]


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("make", BAD_X)
def test_bad_x_type_error(layer, name, make):
    x = make()
    with pytest.raises(TypeError) as e:
        _f(layer, name)(*args_for(name, x, 0.5, np.ones(2)))
    if layer == "function":
        assert re.search(rf"\b{name}\b", str(e.value)), str(e.value)


@pytest.mark.parametrize("name", [n for n in NAMES if FUNCS[n].kind == "backward"])
@pytest.mark.parametrize("make", BAD_X[:4])
def test_bad_g_type_error(name, make):
    g = make()
    with pytest.raises(TypeError) as e:
        pyfunc(name)(*args_for(name, np.ones(2), 0.5, g))
    assert re.search(rf"\b{name}\b", str(e.value)), str(e.value)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
def test_values_independent_of_layer(name, dt):
    """The Python layer forwards to the ufunc: same bits, every pool value."""
    x = value_pool(dt)[None, :]
    g = g_pool(dt)[:, None]
    with quiet_fp():
        a = ufunc(name)(*args_for(name, x, 0.5, g))
        b = pyfunc(name)(*args_for(name, x, 0.5, g))
    assert_same_bits(b, a, name)


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("name", BACKWARD_NAMES)
@pytest.mark.parametrize("dt", [np.float16, np.float32], ids=["float16", "float32"])
def test_backward_python_scalar_g_is_weak(layer, name, dt):
    """g takes part in promotion like any operand (NEP 50): a Python float g keeps
    x's dtype, a np.float64 g promotes."""
    x = np.array([-2.0, 0.25, 3.0], dt)
    r = _f(layer, name)(*args_for(name, x, 0.5, 1.5))
    assert r.dtype == dt
    assert_same_bits(r, ufunc(name)(*args_for(name, x, 0.5, np.full(3, 1.5, dt))))
    r = _f(layer, name)(*args_for(name, x, 0.5, np.float64(1.5)))
    assert r.dtype == np.float64
