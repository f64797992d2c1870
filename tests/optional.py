"""Imports of the packages the tests need from the ``test`` extras.

``require(module)`` imports a module that ``pip install ".[test]"`` installs.
Outside CI a missing one skips the test (or the module) that needs it, as
``pytest.importorskip`` does; under CI (``CI=true`` in the environment, as
GitHub Actions and .ci/run set it) it fails instead, so that a broken install
cannot turn a test run green by skipping. PyTorch is not in the test extras
(a 1 GB install, and never a requirement of shrink): ``torch_or_skip()``
skips, with that reason, the live comparisons that need it; the same values
are checked without it against tests/data/torch_golden.npz and NumPy references.
"""

import importlib
import os

import pytest

# top-level module -> the requirement of pyproject.toml's test extras that
# installs it (tests/test_optional.py checks this against pyproject.toml)
TEST_EXTRAS = {
    "pytest": "pytest",
    "mpmath": "mpmath",
    "threadpoolctl": "threadpoolctl",
    "mypy": "mypy",
    "hypothesis": "hypothesis",
    "dask": "dask",
    "distributed": "dask",  # dask[distributed]
    "cloudpickle": "dask",  # a dependency of dask
    "xarray": "xarray",
    "pandas": "pandas",
    "scipy": "scipy",
    "sparse": "sparse",
    "sklearn": "scikit-learn",
    "pywt": "PyWavelets",
    "onnx": "onnx",
    "onnxruntime": "onnxruntime",
    "ml_dtypes": "ml_dtypes",
}


def under_ci():
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(module):
    """The imported module; a skip where it is missing, or under CI a failure."""
    top = module.partition(".")[0]
    if top not in TEST_EXTRAS:
        raise ValueError(f"require({module!r}): {top} is not in the test extras; "
                         f"use pytest.importorskip for optional packages")
    try:
        return importlib.import_module(module)
    except ImportError as error:
        message = (f"{module} (from the test extras: {TEST_EXTRAS[top]}) cannot be "
                   f"imported: {error}")
        if under_ci():
            pytest.fail(f"{message}; under CI a missing test extra fails", pytrace=False)
        pytest.skip(message, allow_module_level=True)


def torch_or_skip():
    """PyTorch, or a skip that says why it may be missing."""
    return pytest.importorskip(
        "torch", reason="PyTorch is not in the test extras (pip install torch==2.13.0 "
                        "to run this live comparison)")
