"""Compiled byte loops (numba), where one fused pass replaces several numpy passes.

``ENABLED`` is decided once, at import: numba is importable and ``BIGDET_JIT`` is not ``0``. Each
caller keeps its numpy route and uses the compiled one only when ``ENABLED``; the two are
property-tested against each other. Compiled code is cached on disk (``NUMBA_CACHE_DIR``, by default
``$XDG_CACHE_HOME/bigdet/numba`` or ``~/.cache/bigdet/numba``), so only a first run pays the compile.
"""

from __future__ import annotations

import os
from pathlib import Path

ENABLED = os.environ.get("BIGDET_JIT", "1") != "0"

if ENABLED:
    if not os.environ.get("NUMBA_CACHE_DIR"):
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        os.environ["NUMBA_CACHE_DIR"] = str(Path(base) / "bigdet" / "numba")
    try:
        import numba
    except ImportError:  # pragma: no cover - numba is a dependency; without it the numpy routes run
        ENABLED = False


def njit(function):
    """``numba.njit`` (cached, GIL released) when ``ENABLED``; otherwise the plain Python function
    (callers do not call it then: they take their numpy route)."""
    if not ENABLED:
        return function
    return numba.njit(cache=True, nogil=True)(function)
