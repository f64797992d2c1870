"""The nine ufuncs, declared once.

Each entry says how a ufunc is called, which scalar kernel its loops apply and
which dtypes it has loops for. ``_generate.py`` turns this table into the Cython
inner loops and their registration; ``_docstrings.py`` holds the documentation.
Adding a function is one entry here, one kernel and one docstring.
"""

from typing import NamedTuple

# Loop type characters, in the order NumPy tries them when it resolves types.
# float16 loops compute in float32 and round once.
REAL_TYPES = ("e", "f", "d", "g")
# Complex loops take x complex and lambd real, e.g. "Ff->F".
COMPLEX_TYPES = ("F", "D", "G")
REAL_OF_COMPLEX = {"F": "f", "D": "d", "G": "g"}


class Ufunc(NamedTuple):
    name: str
    operands: tuple[str, ...]  # input names, in call order
    has_complex: bool  # complex loops (the forward functions only)
    # the kernel, not memory, limits the speed: strided data is worth copying
    # through contiguous blocks where the kernel runs vectorized
    compute_bound: bool = False
    # float16 loops whose float32 kernel would round twice compute in float64:
    # the kernel named here returns the exact double, rounded once to half.
    half_kernel: str = ""

    @property
    def nin(self) -> int:
        return len(self.operands)

    def types(self) -> list[str]:
        """NumPy type signatures, e.g. ["ee->e", "ff->f", ..., "Ff->F"]."""
        sigs = [t * self.nin + "->" + t for t in REAL_TYPES]
        if self.has_complex:
            for c in COMPLEX_TYPES:
                r = REAL_OF_COMPLEX[c]
                sigs.append(c + r * (self.nin - 1) + "->" + c)
        return sigs


UFUNCS = (
    Ufunc("hardshrink", ("x", "lambd"), True),
    Ufunc("softshrink", ("x", "lambd"), True),
    Ufunc("tanhshrink", ("x",), True, compute_bound=True),
    Ufunc("hardshrink_grad", ("x", "lambd"), False),
    Ufunc("softshrink_grad", ("x", "lambd"), False),
    Ufunc("tanhshrink_grad", ("x",), False, compute_bound=True),
    Ufunc("hardshrink_backward", ("grad_output", "x", "lambd"), False),
    Ufunc("softshrink_backward", ("grad_output", "x", "lambd"), False),
    Ufunc("tanhshrink_backward", ("grad_output", "x"), False, compute_bound=True,
          half_kernel="tanhshrink_backward_exact_f"),
)

NAMES = tuple(u.name for u in UFUNCS)
DECLARED = {u.name: u for u in UFUNCS}
