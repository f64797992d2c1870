"""The function families, declared once.

Each family is a forward function with its derivative (``_grad``) and fused
vector-Jacobian product (``_backward``), sharing named threshold parameters.
Everything else follows from this table: ``_generate.py`` writes the Cython
inner loops and their registration and the type stubs (``_functions.pyi``);
``_functions.py`` builds the public functions from one template; ``_layers.py``
the layer objects; ``ufuncs.py`` and ``__init__.py`` the names they export;
``_sparse.py``, the benchmarks and the README's function list read it too.

Adding a family is one entry here, one kernel per ufunc (``<name>``,
``<name>_grad``, ``<name>_backward`` and, with complex loops,
``<name>_complex``, in the .pxd named by ``kernels``) and one docstring per
function (``_docstrings.py``).
"""

from typing import NamedTuple

# Loop type characters, in the order NumPy tries them when it resolves types.
# float16 loops compute in float32 and round once.
REAL_TYPES = ("e", "f", "d", "g")
# ml_dtypes.bfloat16 (SPEC §7): every real loop has a bfloat16 twin, all operands
# bfloat16, computed in float32 and rounded once; "E" names it in the generated
# loops (it is no NumPy type character: _ufuncs.pyx registers these loops for
# np.dtype(ml_dtypes.bfloat16) when ml_dtypes is installed).
BFLOAT16 = "E"
# Complex loops take x complex and the thresholds real, e.g. "Ff->F".
COMPLEX_TYPES = ("F", "D", "G")
REAL_OF_COMPLEX = {"F": "f", "D": "d", "G": "g"}

KINDS = ("forward", "grad", "backward")


class Param(NamedTuple):
    """A threshold parameter: a real number, or an array of them, checked by
    the Python layer (SPEC §2) before any ufunc runs."""
    name: str
    default: float | None = 0.5  # None: the caller must give it
    # False: finite and >= 0 (a threshold); True: any finite real (a bias)
    signed: bool = False
    # a typical value: what the benchmarks time and docs/plot_functions.py draws
    example: float = 0.5

    @property
    def usable(self) -> str:
        """The kernel-side sanitiser (_kernels.pxd) a loop applies to this
        parameter: out of the domain it gives a value the kernels turn into NaN."""
        return "usable_bias" if self.signed else "usable_lambd"


LAMBD = Param("lambd")
LAMBD_LOW = Param("lambd_low", None)
LAMBD_HIGH = Param("lambd_high", None, example=1.5)
BIAS = Param("bias", 0.0, signed=True, example=0.25)


class Family(NamedTuple):
    name: str  # the forward function; the others are name_grad and name_backward
    layer: str  # the layer object's class name
    params: tuple[Param, ...]  # threshold parameters, in call order after x
    # parameters that must not decrease left to right (firm: lambd_low <= lambd_high)
    ordered: tuple[str, ...] = ()
    kernels: str = "shrink._kernels"  # the .pxd that holds the real kernels
    # where <name>_complex is: a .pxd, or "" when _ufuncs.pyx defines it
    complex_kernels: str = "shrink._kernels"
    # the kernel, not memory, limits the speed: strided data is worth copying
    # through contiguous blocks where the kernel runs vectorized
    compute_bound: bool = False
    # float16 backward whose float32 kernel would round twice computes in
    # float64: the kernel named here returns the exact double, rounded once.
    backward_half_kernel: str = ""

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    def ufunc(self, kind: str) -> "Ufunc":
        name = self.name if kind == "forward" else f"{self.name}_{kind}"
        arrays = ("grad_output", "x") if kind == "backward" else ("x",)
        return Ufunc(name, arrays + self.param_names, kind == "forward",
                     compute_bound=self.compute_bound,
                     half_kernel=self.backward_half_kernel if kind == "backward" else "",
                     params=self.params, family=self.name, kind=kind)


class Ufunc(NamedTuple):
    name: str
    operands: tuple[str, ...]  # input names, in call order: arrays, then thresholds
    has_complex: bool  # complex loops (the forward functions only)
    compute_bound: bool = False
    half_kernel: str = ""
    params: tuple[Param, ...] = ()
    family: str = ""  # the forward function's name
    kind: str = "forward"

    @property
    def nin(self) -> int:
        return len(self.operands)

    @property
    def arrays(self) -> tuple[str, ...]:
        """The operands that are not threshold parameters: (x,) or (grad_output, x)."""
        return self.operands[:self.nin - len(self.params)]

    def types(self) -> list[str]:
        """NumPy type signatures, e.g. ["ee->e", "ff->f", ..., "Ff->F"]."""
        sigs = [t * self.nin + "->" + t for t in REAL_TYPES]
        if self.has_complex:
            for c in COMPLEX_TYPES:
                r = REAL_OF_COMPLEX[c]
                sigs.append(c + r * (self.nin - 1) + "->" + c)
        return sigs


FAMILIES = (
    Family("hardshrink", "Hardshrink", (LAMBD,)),
    Family("softshrink", "Softshrink", (LAMBD,)),
    Family("tanhshrink", "Tanhshrink", (), kernels="shrink._tanh_kernels",
           complex_kernels="", compute_bound=True,
           backward_half_kernel="tanhshrink_backward_exact_f"),
    # SPEC §7: the non-negative garrote, Gao-Bruce firm shrinkage, ONNX Shrink
    Family("garrote", "Garrote", (LAMBD,)),
    Family("firm", "Firm", (LAMBD_LOW, LAMBD_HIGH), ordered=("lambd_low", "lambd_high")),
    Family("shrink", "Shrink", (LAMBD, BIAS)),
)

# Forwards first, then gradients, then backwards (the SPEC §1 order).
UFUNCS = tuple(f.ufunc(kind) for kind in KINDS for f in FAMILIES)

NAMES = tuple(u.name for u in UFUNCS)
EXAMPLES = {p.name: p.example for f in FAMILIES for p in f.params}
DECLARED = {u.name: u for u in UFUNCS}
FAMILY = {f.name: f for f in FAMILIES}
