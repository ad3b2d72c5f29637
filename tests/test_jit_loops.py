"""The compiled loops (``bigdet.jit``) against the numpy routes they stand beside, on arbitrary input:
the walker's scan of an array's bytes, cut into windows of every size, and the id-list texts."""

from __future__ import annotations

import mmap

import numpy as np
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bigdet import jit
from bigdet.exporters import coco
from bigdet.jsonstream import _Scanner

pytestmark = pytest.mark.skipif(not jit.ENABLED, reason="numba is not installed or BIGDET_JIT=0")
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# bytes the scanner cares about, often, and any other byte
BYTES = st.lists(st.sampled_from(list(b'{}[]"\\,: a')) | st.integers(0, 255), max_size=300).map(bytes)


def scan_all(text: bytes, window: int, compiled: bool):
    with mmap.mmap(-1, max(len(text), 1)) as buf:
        buf[: len(text)] = text
        scanner = _Scanner(buf, compiled)
        ends, lo = [], 0
        while lo < len(text):
            hi = min(len(text), lo + window)
            found, close, stray = scanner.scan(lo, hi)
            ends += found.tolist()
            if close is not None or stray is not None:
                return ends, close, stray
            lo = hi
        state = scanner._state.tolist() if compiled else [scanner.in_string, scanner.depth, scanner.backslashes]
        return ends, None, None, state


@SETTINGS
@given(BYTES, st.integers(1, 310))
def test_compiled_scan_is_the_vectorized_scan(text, window):
    """Any bytes (valid JSON or not), any window: the same element ends, the same ']' or stray closer,
    the same state carried to the next window."""
    assert scan_all(text, window, True) == scan_all(text, window, False)


@SETTINGS
@given(st.lists(st.dictionaries(st.text(max_size=4), st.text(alphabet='{}[]"\\, é', max_size=6), max_size=3), min_size=1, max_size=8), st.integers(1, 200))
def test_compiled_scan_finds_every_element_of_valid_json(records, window):
    text = orjson.dumps(records)[1:]  # the array's bytes after its '['
    ends, close, stray = scan_all(text, window, True)
    assert stray is None and close == len(text) - 1 and len(ends) == len(records)
    assert all(text[e] == ord("}") for e in ends)


@SETTINGS
@given(st.integers(0, 40), st.integers(0, 700), st.floats(0, 1), st.randoms(use_true_random=False))
def test_compiled_id_lists_are_the_cut_lists(rows, width, density, rnd):
    mask = np.array([[rnd.random() < density for _ in range(width)] for _ in range(rows)], bool).reshape(rows, width)
    jit.ENABLED = False
    try:
        expected = coco.cut_id_list_text(mask)
    finally:
        jit.ENABLED = True
    got = coco.cut_id_list_text(mask)
    assert got.equals(expected)
    assert got.to_pylist() == [orjson.dumps(np.flatnonzero(row).tolist()).decode() for row in mask]
