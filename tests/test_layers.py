"""SPEC §1: layer objects Hardshrink / Softshrink / Tanhshrink."""

import pickle

import numpy as np
import pytest

import shrink
import os  # noqa: E402
import sys  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spec_cases import REAL_DTYPES, REAL_IDS, assert_same_bits, g_pool, quiet_fp, value_pool

CLASSES = {"Hardshrink": "hardshrink", "Softshrink": "softshrink", "Tanhshrink": "tanhshrink"}
LAMBD_CLASSES = ["Hardshrink", "Softshrink"]


def _torch_repr(cls, *args):
    """What PyTorch prints: Module.__repr__ with extra_repr() == str(self.lambd)
    (torch/nn/modules/activation.py; checked against torch 2.13: 'Hardshrink(0.5)').
    Spelled out here rather than importing torch (seconds of import time)."""
    return f"{cls}({', '.join(str(a) for a in args)})" if cls != "Tanhshrink" else "Tanhshrink()"


@pytest.mark.parametrize("cls", LAMBD_CLASSES)
@pytest.mark.parametrize("lam", [None, 0.25, 1, 1e-3])
def test_repr_as_pytorch(cls, lam):
    """SPEC §1: repr as PyTorch prints them (PyTorch prints str(lambd): 'Hardshrink(0.5)')."""
    obj = getattr(shrink, cls)() if lam is None else getattr(shrink, cls)(lam)
    shown = 0.5 if lam is None else lam
    assert repr(obj) == f"{cls}({shown})"
    assert repr(obj) == (_torch_repr(cls, 0.5) if lam is None else _torch_repr(cls, lam))


def test_repr_tanhshrink():
    assert repr(shrink.Tanhshrink()) == "Tanhshrink()"
    assert repr(shrink.Tanhshrink()) == _torch_repr("Tanhshrink")


@pytest.mark.parametrize("cls", LAMBD_CLASSES)
def test_lambd_attribute_and_default(cls):
    C = getattr(shrink, cls)
    assert C().lambd == 0.5
    assert C(0.25).lambd == 0.25
    assert C(lambd=2).lambd == 2
    assert C(-0.0).lambd == 0  # -0.0 is >= 0


@pytest.mark.parametrize("cls", LAMBD_CLASSES)
@pytest.mark.parametrize("bad,shown", [(-0.5, "-0.5"), (float("nan"), "nan"), (float("inf"), "inf"),
                                       (-1, "-1")], ids=repr)
def test_bad_lambd_value_at_construction(cls, bad, shown):
    fname = CLASSES[cls]
    with pytest.raises(ValueError) as e:
        getattr(shrink, cls)(bad)
    msg = str(e.value)
    assert msg.startswith(f"{fname}: lambd must be finite and >= 0, got {shown}"), msg


@pytest.mark.parametrize("cls", LAMBD_CLASSES)
@pytest.mark.parametrize("bad", [True, 1j, "0.5", None, np.array([0.5], dtype=object)], ids=repr)
def test_bad_lambd_type_at_construction(cls, bad):
    fname = CLASSES[cls]
    with pytest.raises(TypeError) as e:
        getattr(shrink, cls)(bad)
    msg = str(e.value)
    assert fname in msg and "lambd" in msg, msg


def test_tanhshrink_takes_no_lambd():
    with pytest.raises(TypeError):
        shrink.Tanhshrink(0.5)


def _objs(cls, lam):
    C = getattr(shrink, cls)
    return C(lam) if cls in LAMBD_CLASSES else C()


@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
@pytest.mark.parametrize("cls", list(CLASSES))
@pytest.mark.parametrize("lam", [0.5, 0.0, 1.5])
def test_methods_equal_functions(cls, dt, lam):
    fname = CLASSES[cls]
    obj = _objs(cls, lam)
    x = value_pool(dt, lam)[None, :]
    g = g_pool(dt)[:, None]
    la = (lam,) if cls in LAMBD_CLASSES else ()
    with quiet_fp():
        fwd = getattr(shrink, fname)(x, *la)
        grd = getattr(shrink, fname + "_grad")(x, *la)
        bwd = getattr(shrink, fname + "_backward")(g, x, *la)
        assert_same_bits(obj(x), fwd, "__call__")
        assert_same_bits(obj.forward(x), fwd, "forward")
        assert_same_bits(obj.grad(x), grd, "grad")
        assert_same_bits(obj.backward(g, x), bwd, "backward")
        assert_same_bits(obj.backward(grad_output=g, x=x), bwd, "backward by keyword")


@pytest.mark.parametrize("cls", list(CLASSES))
def test_scalars_and_lists(cls):
    obj = _objs(cls, 0.5)
    fname = CLASSES[cls]
    r = obj(1.5)
    assert type(r) is np.float64
    assert_same_bits(np.asarray(r), np.asarray(getattr(shrink, fname)(1.5)))
    r = obj([1.0, -0.2, 3.0])
    assert isinstance(r, np.ndarray)


@pytest.mark.parametrize("cls", list(CLASSES))
@pytest.mark.parametrize("lam", [0.5, 0.125, 2])
def test_pickle_layer(cls, lam):
    obj = _objs(cls, lam)
    obj2 = pickle.loads(pickle.dumps(obj))
    assert type(obj2) is type(obj)
    assert repr(obj2) == repr(obj)
    if cls in LAMBD_CLASSES:
        assert obj2.lambd == obj.lambd
    x = np.linspace(-3, 3, 25)
    assert_same_bits(obj2(x), obj(x))
    assert_same_bits(obj2.backward(x[::-1], x), obj.backward(x[::-1], x))


@pytest.mark.parametrize("cls", LAMBD_CLASSES)
def test_float32_stays_float32(cls):
    obj = getattr(shrink, cls)(0.1)
    x = np.array([0.1, -0.1, 0.3], np.float32)
    r = obj(x)
    assert r.dtype == np.float32
    assert r[0] == 0 and r[1] == 0 and not np.signbit(r[1])
    assert obj.grad(x).dtype == np.float32
    assert obj.backward(x, x).dtype == np.float32
