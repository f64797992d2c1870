"""asv benchmarks for shrink (``asv run``; see ``asv.conf.json`` at the repo top).

With ``asv run --python=same`` the benchmarks import the ``shrink`` that the
current interpreter sees (``python -m pip install .`` or an editable install).
When it is not installed but has been built in place in this checkout, fall back
to the checkout so that an in-place build can be benchmarked too.
"""
import os
import sys

try:
    import shrink  # noqa: F401
except ImportError:
    _root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if os.path.isfile(os.path.join(_root, "shrink", "__init__.py")):
        sys.path.insert(0, _root)
