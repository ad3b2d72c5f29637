"""``cocojson.last_two_parts`` (the image path the LVIS and Objects365 readers store) against the regular
expressions it replaces, on arbitrary names (hypothesis)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from bigdet.sources.cocojson import LAST_TWO_PARTS, last_two_parts

# path-like text: mostly "/" and short parts, sometimes anything (multi-byte characters, newlines)
parts = st.text(alphabet=st.sampled_from("ab/é.\n"), max_size=12) | st.text(max_size=6)
names = st.lists(st.one_of(parts, st.builds(lambda a, b, c: f"{a}/{b}/{c}", parts, parts, parts)), max_size=40)


def regex_reference(array, need_parent):
    return pc.replace_substring_regex(array, LAST_TWO_PARTS[need_parent], r"\1").to_pylist()


@settings(max_examples=300, deadline=None)
@given(names, st.booleans(), st.integers(0, 3))
def test_last_two_parts_equals_the_regex_replacement(values, need_parent, skip):
    array = pa.array(values, pa.string())[skip:]  # a slice: the array's offset is honoured
    assert last_two_parts(array, need_parent=need_parent).to_pylist() == regex_reference(array, need_parent)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("ab/é."), max_size=14), max_size=40), st.booleans())
def test_last_two_parts_without_newlines_takes_the_numpy_path_and_equals_the_regex(values, need_parent):
    array = pa.array(values, pa.string())
    assert last_two_parts(array, need_parent=need_parent).to_pylist() == regex_reference(array, need_parent)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["a/b/c.jpg", "images/v1/patch8/x.jpg", "x", "/y", "d/", "p/q"]), max_size=30), st.booleans())
def test_last_two_parts_of_chunked_columns_with_nulls(values, need_parent):
    column = pa.chunked_array([pa.array(values, pa.string()), pa.array([None, "u/v/w"], pa.string())])
    assert last_two_parts(column, need_parent=need_parent).to_pylist() == regex_reference(column.combine_chunks(), need_parent)


def test_last_two_parts_of_objects365_and_coco_paths():
    o365 = pa.array(["images/v1/patch8/objects365_v1_00420917.jpg", "images/v2/patch50/objects365_v2_01000001.jpg", "patch0/a.jpg"])
    assert last_two_parts(o365).to_pylist() == ["patch8/objects365_v1_00420917.jpg", "patch50/objects365_v2_01000001.jpg", "patch0/a.jpg"]
    url = pa.array(["http://images.cocodataset.org/train2017/000000391895.jpg", "train2017/1.jpg"])
    assert last_two_parts(url, need_parent=True).to_pylist() == ["train2017/000000391895.jpg", "train2017/1.jpg"]
