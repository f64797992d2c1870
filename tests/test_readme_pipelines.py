"""The README's "Pipelines" blocks run as written (they need the optional
libraries, so they are plain code blocks rather than doctests); the cluster one
runs as a script, at a small size, on two local worker processes."""

import math
import os
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest

import shrink

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from optional import require  # noqa: E402
from spec_cases import subprocess_env  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _blocks():
    text = (ROOT / "README.md").read_text()
    start = text.index("\n## Pipelines\n")
    end = text.find("\n## ", start + 1)
    section = text[start:end if end != -1 else len(text)]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


BLOCKS = _blocks()


def _imports(code):
    return sorted({m.group(1) or m.group(2) for m in
                   re.finditer(r"^(?:import (\S+)|from (\S+) import)", code, flags=re.M)}
                  - {"numpy", "shrink"})


def test_the_section_has_its_blocks():
    assert len(BLOCKS) >= 7
    assert sum("LocalCluster" in b for b in BLOCKS) == 1


@pytest.mark.parametrize("code", [b for b in BLOCKS if "LocalCluster" not in b],
                         ids=lambda b: (_imports(b) or ["numpy.ma"])[0])
def test_block_runs(code):
    for module in _imports(code):
        require(module)
    exec(compile(code, "README.md", "exec"), {"np": np, "shrink": shrink})


def test_cluster_block_runs_on_two_local_workers(tmp_path):
    require("dask.array")
    require("distributed")
    (code,) = [b for b in BLOCKS if "LocalCluster" in b]
    small, count = re.subn(r"^n = 40_000 .*$", "n = 2_000", code, flags=re.M)
    assert count == 1
    script = tmp_path / "cluster_example.py"
    # the workers are processes of their own: each says which shrink it imported
    small, count = re.subn(
        r"^( +)(print\(f\"\{kept:.3f\}\"\).*)$",
        r"\1\2\n\1print(sorted(set(client.run(lambda: shrink.__file__).values())))",
        small, flags=re.M)
    assert count == 1
    script.write_text(small)
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         env=subprocess_env(), timeout=300, check=True).stdout
    result, imported = out.splitlines()
    assert imported == repr([shrink.__file__])  # the shrink under test, on every worker
    # 4e6 standard normal samples: P(|N(0, 1)| > 1) = erfc(1 / sqrt(2)) within 0.002
    assert abs(float(result) - math.erfc(1 / math.sqrt(2))) < 0.002
