"""tests/optional.py: the packages of the test extras skip a test outside CI
and fail it under CI, and its list is pyproject.toml's."""

import os
import pathlib
import re
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from optional import TEST_EXTRAS, require  # noqa: E402

PYPROJECT = pathlib.Path(__file__).resolve().parent.parent / "pyproject.toml"


def _test_extras():
    """The distribution names in pyproject.toml's `test = [...]` extras."""
    text = PYPROJECT.read_text()
    block = re.search(r"^test = \[(.*?)^\]", text, flags=re.S | re.M).group(1)
    block = re.sub(r"#.*", "", block)
    return {re.match(r"[A-Za-z0-9_.-]+", r).group(0)
            for r in re.findall(r'"([^"]+)"', block)}


def test_the_list_is_the_test_extras():
    assert set(TEST_EXTRAS.values()) == _test_extras()


@pytest.mark.parametrize("module", sorted(TEST_EXTRAS))
def test_every_test_extra_imports(module):
    assert require(module).__name__ == module


def test_a_missing_extra_skips_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="sklearn.no_such_module"):
        require("sklearn.no_such_module")


@pytest.mark.parametrize("value", ["true", "1", "True"])
def test_a_missing_extra_fails_under_ci(monkeypatch, value):
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match="under CI a missing test extra fails"):
        require("sklearn.no_such_module")


def test_packages_outside_the_extras_are_refused():
    with pytest.raises(ValueError, match="torch is not in the test extras"):
        require("torch")
