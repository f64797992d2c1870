"""SPEC §1: layer objects Hardshrink / Softshrink / Tanhshrink, and SPEC §7's
Garrote / Firm / Shrink: every layer class of shrink._table, each threshold
parameter checked once when the layer is built (test_section7.py pins the §7
reprs)."""

import pickle

import numpy as np
import pytest

import shrink
import os  # noqa: E402
import sys  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from optional import require, torch_or_skip  # noqa: E402
from spec_cases import (  # noqa: E402
    FUNCS, LAYER_CLASSES as CLASSES, REAL_DTYPES, REAL_IDS, assert_same_bits, bad_only_if_unsigned,
    g_pool, is_signed, param_values, quiet_fp, requirement, value_pool, with_param,
)

# PyTorch's layers with a threshold (its repr and default); LAMBD_CLASSES: every
# layer class with threshold parameters, CLASS_PARAMS: each of its parameters
TORCH_LAMBD_CLASSES = ["Hardshrink", "Softshrink"]
LAMBD_CLASSES = [c for c, f in CLASSES.items() if FUNCS[f].params]
CLASS_PARAMS = [(c, p) for c in LAMBD_CLASSES for p in FUNCS[CLASSES[c]].param_names]


def _build(cls, param, value):
    """The layer cls with `value` as `param`, its other parameters valid."""
    return getattr(shrink, cls)(*with_param(CLASSES[cls], param, value))


def _torch_repr(cls, *args):
    """What PyTorch prints: Module.__repr__ with extra_repr() == str(self.lambd)
    (torch/nn/modules/activation.py; checked against torch 2.13: 'Hardshrink(0.5)').
    Spelled out here rather than importing torch (seconds of import time)."""
    return f"{cls}({', '.join(str(a) for a in args)})" if cls != "Tanhshrink" else "Tanhshrink()"


@pytest.mark.parametrize("cls", TORCH_LAMBD_CLASSES)
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


@pytest.mark.parametrize("cls", TORCH_LAMBD_CLASSES)
def test_lambd_attribute_and_default(cls):
    C = getattr(shrink, cls)
    assert C().lambd == 0.5
    assert C(0.25).lambd == 0.25
    assert C(lambd=2).lambd == 2
    assert C(-0.0).lambd == 0  # -0.0 is >= 0


BAD_VALUES = [(-0.5, "-0.5"), (float("nan"), "nan"), (float("inf"), "inf"), (-1, "-1"),
              (np.float32(-2), "-2.0"), (10**400, str(10**400))]


@pytest.mark.parametrize("cls,param,bad,shown", [
    pytest.param(c, p, b, shown, id=f"{c}-{p}-{shown[:8]}") for c, p in CLASS_PARAMS
    for b, shown in BAD_VALUES if not (is_signed(CLASSES[c], p) and bad_only_if_unsigned(b))])
def test_bad_lambd_value_at_construction(cls, param, bad, shown):
    """The SPEC §2 messages, with the class name."""
    with pytest.raises(ValueError) as e:
        _build(cls, param, bad)
    assert str(e.value) == f"{cls}: {param} must be {requirement(CLASSES[cls], param)}, got {shown}"


@pytest.mark.parametrize("cls,param", CLASS_PARAMS)
@pytest.mark.parametrize("bad,shown", [(True, "True"), (np.bool_(False), "np.False_"), (1j, "1j"),
                                       ("0.5", "'0.5'"), (None, "None"), (object, repr(object))],
                         ids=repr)
def test_bad_lambd_type_at_construction(cls, param, bad, shown):
    with pytest.raises(TypeError) as e:
        _build(cls, param, bad)
    assert str(e.value) == f"{cls}: {param} must be a real number, got {shown}"


@pytest.mark.parametrize("cls,param", CLASS_PARAMS)
@pytest.mark.parametrize("bad", [[0.5], (0.5, 1.0), np.array([0.5, 1.0]), np.array(0.5),
                                 np.array([0.5], dtype=object)], ids=repr)
def test_layer_holds_one_threshold(cls, param, bad):
    """Arrays are per-element thresholds: a function's job, not a layer's (a layer
    is a value, equal and hashed by its parameters)."""
    with pytest.raises(TypeError) as e:
        _build(cls, param, bad)
    msg = str(e.value)
    assert msg.startswith(f"{cls}: {param} must be a real number, got an array")
    # the call names every threshold parameter of the family, in order
    params = {"Hardshrink": "lambd", "Softshrink": "lambd", "Garrote": "lambd",
              "Firm": "lambd_low, lambd_high", "Shrink": "lambd, bias"}[cls]
    assert msg.endswith(f"call shrink.{CLASSES[cls]}(x, {params})")


def test_tanhshrink_takes_no_lambd():
    with pytest.raises(TypeError):
        shrink.Tanhshrink(0.5)


def _objs(cls, lam):
    return getattr(shrink, cls)(*param_values(CLASSES[cls], lam))


@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
@pytest.mark.parametrize("cls", list(CLASSES))
@pytest.mark.parametrize("lam", [0.5, 0.0, 1.5])
def test_methods_equal_functions(cls, dt, lam):
    fname = CLASSES[cls]
    obj = _objs(cls, lam)
    x = value_pool(dt, lam)[None, :]
    g = g_pool(dt)[:, None]
    la = param_values(fname, lam)
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
    assert_same_bits(np.asarray(r), np.asarray(getattr(shrink, fname)(1.5, *param_values(fname, 0.5))))
    r = obj([1.0, -0.2, 3.0])
    assert isinstance(r, np.ndarray)


@pytest.mark.parametrize("cls", list(CLASSES))
@pytest.mark.parametrize("lam", [0.5, 0.125, 2])
def test_pickle_layer(cls, lam):
    obj = _objs(cls, lam)
    obj2 = pickle.loads(pickle.dumps(obj))
    assert type(obj2) is type(obj)
    assert repr(obj2) == repr(obj)
    for param in FUNCS[CLASSES[cls]].param_names:
        assert getattr(obj2, param) == getattr(obj, param)
    x = np.linspace(-3, 3, 25)
    assert_same_bits(obj2(x), obj(x))
    assert_same_bits(obj2.backward(x[::-1], x), obj.backward(x[::-1], x))


@pytest.mark.parametrize("cls", LAMBD_CLASSES)
def test_float32_stays_float32(cls):
    obj = _objs(cls, 0.1)
    x = np.array([0.1, -0.1, 0.3], np.float32)
    r = obj(x)
    assert r.dtype == np.float32
    assert r[0] == 0 and r[1] == 0 and not np.signbit(r[1])
    assert obj.grad(x).dtype == np.float32
    assert obj.backward(x, x).dtype == np.float32


@pytest.mark.parametrize("cls,param", CLASS_PARAMS)
def test_lambd_is_read_only(cls, param):
    layer = _build(cls, param, 0.75)
    with pytest.raises(AttributeError):
        setattr(layer, param, 1.0)
    with pytest.raises(AttributeError):
        layer.threshold = 1.0  # no stray attributes either: a typo must not pass silently
    assert getattr(layer, param) == 0.75


def test_equality_and_hash_by_lambd():
    H, S, T = shrink.Hardshrink, shrink.Softshrink, shrink.Tanhshrink
    assert H(0.5) == H(0.5) == H() and hash(H(0.5)) == hash(H())
    assert H(1) == H(1.0) and hash(H(1)) == hash(H(1.0))  # as 1 == 1.0 in Python
    assert H(0.0) == H(-0.0) and hash(H(0.0)) == hash(H(-0.0))
    assert H(0.5) != H(0.25)
    assert H(0.5) != S(0.5) and S(0.5) != H(0.5)  # same lambd, other function
    assert T() == T() and hash(T()) == hash(T())
    assert T() != H(0.5) and H(0.5) != T()
    assert H(0.5) != 0.5 and T() != "Tanhshrink()"
    assert len({H(0.5), H(0.5), S(0.5), T(), T(), H(0.25)}) == 4
    assert {H(0.5): "a"}[H(0.5)] == "a"


@pytest.mark.parametrize("cls", list(CLASSES))
@pytest.mark.parametrize("how", ["pickle", "copy", "deepcopy"])
def test_round_trip_keeps_value(cls, how):
    import copy

    obj = _objs(cls, 0.375)
    clone = {"pickle": lambda o: pickle.loads(pickle.dumps(o, protocol=pickle.HIGHEST_PROTOCOL)),
             "copy": copy.copy, "deepcopy": copy.deepcopy}[how](obj)
    assert type(clone) is type(obj) and clone == obj and hash(clone) == hash(obj)
    x = np.linspace(-2, 2, 17)
    assert_same_bits(clone(x), obj(x))


@pytest.mark.parametrize("cls", list(CLASSES))
def test_forward_out_and_keywords(cls):
    """forward(x, out=...) writes through the same ufunc path as the function."""
    obj = _objs(cls, 0.5)
    fname = CLASSES[cls]
    la = param_values(CLASSES[cls], 0.5)
    x = np.linspace(-2, 2, 9)
    out = np.full_like(x, 7.0)
    assert obj.forward(x, out=out) is out
    assert_same_bits(out, getattr(shrink, fname)(x, *la))
    mask = x > 0
    out2 = np.full_like(x, 7.0)
    obj(x, out=out2, where=mask)
    assert (out2[~mask] == 7.0).all()
    assert obj.grad(x, dtype=np.float32).dtype == np.float32
    g = np.ones_like(x)
    out3 = np.empty_like(x)
    assert obj.backward(g, x, out=out3) is out3
    assert_same_bits(out3, getattr(shrink, fname + "_backward")(g, x, *la))
    y = x.copy()
    obj(y, out=y)  # in place
    assert_same_bits(y, getattr(shrink, fname)(x, *la))


@pytest.mark.parametrize("cls", LAMBD_CLASSES)
def test_lambd_too_large_for_the_dtype_is_caught_at_the_call(cls):
    """1e5 is a fine threshold for float32/float64, not for float16 (max 65504):
    the layer accepts it, and the call on float16 data raises, writing nothing."""
    layer = _objs(cls, 1e5)
    assert layer(np.float32(3.0)) == 0
    out = np.full(3, 9, np.float16)
    with pytest.raises(ValueError, match=f"^{CLASSES[cls]}: lambd(_low)? must be finite in the result dtype float16"):
        layer(np.ones(3, np.float16), out=out)
    assert (out == 9).all()


def test_repr_as_live_pytorch():
    """The reprs, checked against torch itself when it is installed. (For a NumPy
    float32 lambd torch's two classes disagree: Softshrink prints str(lambd) =
    0.1, Hardshrink format(lambd) = 0.10000000149011612; ours print str.)"""
    torch = torch_or_skip()
    assert repr(shrink.Hardshrink(np.float32(0.1))) == repr(torch.nn.Softshrink(np.float32(0.1))
                                                            ).replace("Soft", "Hard")
    for lam in (0.5, 0.25, 1, 1e-3, 2.0):
        assert repr(shrink.Hardshrink(lam)) == repr(torch.nn.Hardshrink(lam))
        assert repr(shrink.Softshrink(lam)) == repr(torch.nn.Softshrink(lam))
    assert repr(shrink.Hardshrink()) == repr(torch.nn.Hardshrink())
    assert repr(shrink.Tanhshrink()) == repr(torch.nn.Tanhshrink())


def test_layers_match_torch_modules():
    """The same inputs through torch.nn modules and through our layers, forward
    and autograd backward (no NaN or band-edge inputs here: there SPEC differs)."""
    torch = torch_or_skip()
    rng = np.random.default_rng(8)
    x = rng.standard_normal((4, 33)) * 2
    for ours, theirs in [(shrink.Hardshrink(0.3), torch.nn.Hardshrink(0.3)),
                         (shrink.Softshrink(0.3), torch.nn.Softshrink(0.3)),
                         (shrink.Hardshrink(), torch.nn.Hardshrink())]:
        assert np.array_equal(ours(x), theirs(torch.from_numpy(x)).numpy())
        t = torch.from_numpy(x).requires_grad_()
        g = rng.standard_normal(x.shape)
        theirs(t).backward(torch.from_numpy(g))
        assert np.array_equal(ours.backward(g, x), t.grad.numpy())
    far = x[np.abs(x) > 2]  # where x - tanh(x) does not cancel, PyTorch is accurate
    assert np.allclose(shrink.Tanhshrink()(far), torch.nn.Tanhshrink()(torch.from_numpy(far)).numpy(),
                       rtol=4e-16, atol=0)


@pytest.mark.parametrize("cls", list(CLASSES))
def test_layers_accept_what_the_functions_accept(cls):
    """A layer goes through the public function, so pandas, xarray and
    scipy.sparse inputs come back as their own type, with the function's values."""
    pd = require("pandas")
    xr = require("xarray")
    sp = require("scipy.sparse")
    obj = _objs(cls, 0.5)
    func = getattr(shrink, CLASSES[cls])
    la = param_values(CLASSES[cls], 0.5)
    values = np.array([-2.0, -0.5, 0.25, 0.75, 3.0])
    series = pd.Series(values, index=list("abcde"), name="s")
    got = obj(series)
    assert isinstance(got, pd.Series) and list(got.index) == list("abcde") and got.name == "s"
    assert_same_bits(got.to_numpy(), func(values, *la))
    da = xr.DataArray(values, dims="t", coords={"t": np.arange(5)})
    got = obj.backward(da, da)
    assert isinstance(got, xr.DataArray) and got.dims == ("t",)
    assert_same_bits(got.values, getattr(shrink, CLASSES[cls] + "_backward")(values, values, *la))
    m = sp.csr_array(np.array([[0.0, -2.0, 0.0], [0.25, 0.0, 3.0]]))
    got = obj(m)
    assert isinstance(got, sp.csr_array)
    assert_same_bits(got.toarray(), func(m.toarray(), *la))
