"""The merge's array kernels against plain references (hypothesis): duplicate rows, the row of an image id, and the sort of pair keys."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bigdet.checks import IndexOf, lookup
from bigdet.merge import _repeats, _repeats_among, _row_hashes, sorted_keys


def repeats_reference(columns):
    seen, out = set(), []
    for row in zip(*(c.tolist() for c in columns)):
        out.append(row in seen)
        seen.add(row)
    return np.array(out, dtype=bool)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.sampled_from([0.0, 0.5, 1e-300, 2.5, -0.0])), max_size=120))
def test_repeats_marks_exactly_the_rows_equal_to_an_earlier_row(rows):
    check_repeats(rows, None)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.sampled_from([0.0, 0.5, 1e-300, 2.5, -0.0])), max_size=120), st.integers(50, 63))
def test_repeats_with_shortened_hashes_colliding_marks_the_same_rows(rows, index_bits):
    """With most hash bits given to the row number, shortened hashes of different rows collide: the
    rows in colliding groups are settled exactly, so the marks are those of the full hashes."""
    check_repeats(rows, index_bits)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.sampled_from([0.0, 0.5, 2.5])), max_size=80), st.data())
def test_repeats_over_some_rows_equals_repeats_of_those_rows_gathered(rows, data):
    """merge passes the rows to look at instead of gathering the columns: same marks as on the gathered columns."""
    columns = [np.array([r[k] for r in rows], dtype=np.float64 if k == 2 else np.int64) for k in range(3)]
    picked = np.array(sorted(data.draw(st.sets(st.integers(0, max(len(rows) - 1, 0)), max_size=len(rows)))) if rows else [], dtype=np.int64)
    got = _repeats(columns, rows=picked)
    assert np.array_equal(got, _repeats([c[picked] for c in columns]))


def check_repeats(rows, index_bits):
    image = np.array([r[0] for r in rows], dtype=np.int64)
    cls = np.array([r[1] for r in rows], dtype=np.int64)
    x = np.array([r[2] for r in rows], dtype=np.float64)
    got = _repeats([image, cls, x], index_bits=index_bits)
    # exactly what a stable argsort of the full hashes over all rows marks (the kernel before the packed sort)
    assert np.array_equal(got, _repeats_among([image, cls, x], _row_hashes([image, cls, x]), np.arange(len(rows))))
    # -0.0 == 0.0 as numbers, but hashes differ by bits: the kernel may keep both; the reference by value
    # would call the second a repeat. Compare on inputs without -0.0, and check -0.0 rows are never wrongly marked.
    want = repeats_reference([image, cls, x])
    signed_zero = np.signbit(x) & (x == 0)
    assert (got <= want).all()
    if not signed_zero.any():
        assert np.array_equal(got, want)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 300), unique=True, max_size=60), st.lists(st.integers(-5, 400), max_size=80), st.booleans())
def test_index_of_gives_each_ids_row_or_none_like_a_binary_search(image_ids, lookups, spread):
    image_ids = np.array(image_ids, dtype=np.int64) * (10**9 if spread else 1)  # spread: no table, the search
    lookups = np.array(lookups, dtype=np.int64) * (10**9 if spread else 1)
    order = np.argsort(image_ids, kind="stable")
    where = IndexOf(image_ids[order], order)
    dense = len(image_ids) > 0 and image_ids.max() < 4 * len(image_ids) + (1 << 16)
    assert (where.table is not None) == dense  # both paths are exercised: spread ids take the search
    got = where(lookups)
    row = {int(v): k for k, v in enumerate(image_ids)}
    rows, found = where.lookup(lookups)  # per id, as rejected_boxes uses it
    assert found.tolist() == [int(v) in row for v in lookups]
    assert rows[found].tolist() == [row[int(v)] for v in lookups if int(v) in row]
    if all(int(v) in row for v in lookups) and (len(image_ids) or not len(lookups)):
        assert got is not None and got.tolist() == [row[int(v)] for v in lookups]
    else:
        assert got is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.floats(allow_nan=False, allow_infinity=False, min_value=0, max_value=1e6),
                          st.integers(0, 10**12).map(lambda k: (k + 0.5) / 1e9),  # halves of the 9th decimal
                          st.integers(0, 10**12).map(lambda k: k / 1e9),
                          st.sampled_from([0.0, -0.0, 1 / 3, 2.5e-10, 5e-10, 1.5e-9, 1e300, float("inf"), float("nan")])), max_size=60))
def test_round9_is_python_round_to_9_decimals_bit_for_bit(values):
    from bigdet.build import round9

    got = round9(np.array(values, dtype=np.float64))
    want = [round(v, 9) for v in values]
    assert [np.float64(v).tobytes() if v == v else b"nan" for v in got] == [np.float64(v).tobytes() if v == v else b"nan" for v in want]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False, width=64), max_size=50), st.lists(st.integers(-(2**63), 2**63 - 1), max_size=50))
def test_numpy_arrays_are_written_as_their_lists_are(floats, ints):
    """cas_weights.json writes its id and weight arrays through orjson's numpy support: the text must be
    that of the Python lists (what it wrote before)."""
    from bigdet.build import orjson_dumps

    doc = {"w": np.array(floats, dtype=np.float64), "ids": np.array(ints, dtype=np.int64)}
    assert orjson_dumps(doc) == orjson_dumps({"w": [float(v) for v in floats], "ids": list(ints)})


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(-(2**62), 2**62), max_size=3000), st.sampled_from(["as drawn", "grouped", "sorted", "reversed"]))
def test_sorted_keys_is_np_sort_whichever_algorithm_the_order_picks(keys, order):
    """The key order only chooses the algorithm (stable for runs grouped by image, quicksort else): the
    keys come back exactly as np.sort gives them."""
    keys = np.array(keys, dtype=np.int64)
    if order == "grouped":  # ascending blocks of ~13 (an image's pairs), each in no order
        keys = np.concatenate([np.random.default_rng(len(keys)).permutation(b) for b in np.array_split(np.sort(keys), max(1, len(keys) // 13))]) if len(keys) else keys
    elif order != "as drawn":
        keys = np.sort(keys)[:: 1 if order == "sorted" else -1]
    assert np.array_equal(sorted_keys(keys), np.sort(keys))


def test_sorted_keys_takes_the_stable_sort_only_for_keys_grouped_in_order(monkeypatch):
    kinds = []
    real = np.sort
    monkeypatch.setattr(np, "sort", lambda a, kind=None: kinds.append(kind) or real(a, kind=kind))
    grouped = np.arange(100_000) // 13 * 601 + np.random.default_rng(0).integers(0, 601, 100_000)
    sorted_keys(grouped)
    sorted_keys(np.random.default_rng(1).permutation(grouped))
    assert kinds == ["stable", "quicksort"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(-5, 40), unique=True, max_size=30), st.lists(st.tuples(st.integers(-8, 45), st.integers(1, 12)), max_size=40))
def test_lookup_of_keys_in_runs_is_a_binary_search_of_each(table, runs):
    """Keys in runs of one value (rows grouped by image) are searched once per run: positions and
    found marks exactly those of a binary search of every key."""
    table = np.array(sorted(table), dtype=np.int64)
    keys = np.repeat([k for k, _ in runs], [n for _, n in runs]).astype(np.int64)
    pos, found = lookup(table, keys)
    if len(table):
        want = np.minimum(np.searchsorted(table, keys), len(table) - 1)
        assert np.array_equal(pos, want) and np.array_equal(found, table[want] == keys)
    else:
        assert not found.any() and len(pos) == len(keys)


def test_lookup_of_many_keys_in_no_order_is_a_binary_search_of_each():
    """Keys in no order (100,000 or more) are sorted before they are searched: same positions and marks."""
    rng = np.random.default_rng(5)
    table = np.unique(rng.integers(-(2**62), 2**62, 50_000))
    keys = np.concatenate([rng.choice(table, 150_000), rng.integers(-(2**62), 2**62, 50_000)])
    rng.shuffle(keys)
    pos, found = lookup(table, keys)
    want = np.minimum(np.searchsorted(table, keys), len(table) - 1)
    assert np.array_equal(pos, want) and np.array_equal(found, table[want] == keys) and found.sum() >= 150_000
