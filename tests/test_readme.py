"""CI runs the README's two commands verbatim, and they are the documented ones.

The README's Python examples themselves run as doctests (pyproject.toml:
--doctest-glob=README.md).
"""

import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_ci_extracts_the_two_readme_commands():
    printed = subprocess.run([str(ROOT / ".ci" / "readme-commands")], check=True,
                             capture_output=True, text=True).stdout.splitlines()
    assert printed == [
        "python -m pip install . && python -m shrink",
        'python -m pip install ".[test]" && python -m pytest',
    ]


def test_the_commands_open_the_readme():
    readme = (ROOT / "README.md").read_text()
    assert readme.index('python -m pip install ".[test]" && python -m pytest') < readme.index("\n## ")
