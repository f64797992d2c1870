"""Layer objects in the style of torch.nn: Hardshrink, Softshrink, Tanhshrink.

They check lambd once, when built; calling one (or .forward) applies the
function, .backward(grad_output, x) the fused vector-Jacobian product, .grad(x)
the derivative. Pure NumPy: the forward and backward of a layer in a
hand-written network.
"""

from shrink import _functions as _f
from shrink._lambd import check_lambd_alone


class _ThresholdLayer:
    _name = ""  # the function the layer applies

    def __init__(self, lambd=0.5):
        check_lambd_alone(self._name, lambd)
        self.lambd = lambd

    def __call__(self, x, **kwargs):
        return self.forward(x, **kwargs)

    def forward(self, x, **kwargs):
        return getattr(_f, self._name)(x, self.lambd, **kwargs)

    def grad(self, x, **kwargs):
        return getattr(_f, self._name + "_grad")(x, self.lambd, **kwargs)

    def backward(self, grad_output, x, **kwargs):
        return getattr(_f, self._name + "_backward")(grad_output, x, self.lambd, **kwargs)

    def __repr__(self):  # as torch.nn prints them
        return f"{type(self).__name__}({self.lambd})"

    def __eq__(self, other):
        return type(self) is type(other) and self.lambd == other.lambd

    __hash__ = None


class Hardshrink(_ThresholdLayer):
    """Hard shrinkage layer: ``Hardshrink(lambd)(x) == hardshrink(x, lambd)``.

    >>> import numpy as np, shrink
    >>> layer = shrink.Hardshrink(0.5)
    >>> layer
    Hardshrink(0.5)
    >>> x = np.array([-1.0, 0.25, 2.0])
    >>> layer(x)
    array([-1.,  0.,  2.])
    >>> layer.backward(np.ones(3), x)
    array([1., 0., 1.])
    """

    _name = "hardshrink"


class Softshrink(_ThresholdLayer):
    """Soft shrinkage layer: ``Softshrink(lambd)(x) == softshrink(x, lambd)``.

    >>> import numpy as np, shrink
    >>> layer = shrink.Softshrink(0.5)
    >>> layer
    Softshrink(0.5)
    >>> layer(np.array([-1.0, 0.25, 2.0]))
    array([-0.5,  0. ,  1.5])
    """

    _name = "softshrink"


class Tanhshrink:
    """tanhshrink layer: ``Tanhshrink()(x) == tanhshrink(x)``.

    >>> import numpy as np, shrink
    >>> layer = shrink.Tanhshrink()
    >>> layer
    Tanhshrink()
    >>> layer.backward(np.array([2.0]), np.array([0.0]))
    array([0.])
    """

    def __call__(self, x, **kwargs):
        return self.forward(x, **kwargs)

    def forward(self, x, **kwargs):
        return _f.tanhshrink(x, **kwargs)

    def grad(self, x, **kwargs):
        return _f.tanhshrink_grad(x, **kwargs)

    def backward(self, grad_output, x, **kwargs):
        return _f.tanhshrink_backward(grad_output, x, **kwargs)

    def __repr__(self):
        return "Tanhshrink()"

    def __eq__(self, other):
        return type(other) is Tanhshrink

    __hash__ = None
