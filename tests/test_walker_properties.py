"""Property tests of the streaming JSON walker and every reader built on it, against ``json.loads``.

Documents are generated with hostile strings (``}]``, ``}, {``, quotes, backslashes, escapes,
unicode), nested fields the readers do not ask for, any valid whitespace between tokens, any key
order, and read with chunk sizes from one byte up. A valid file must never be refused, and the
records must be exactly the ones ``json.loads`` reads.
"""

from __future__ import annotations

import json
import random
from concurrent.futures import ThreadPoolExecutor

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bigdet import browse, stats, validate
from bigdet.exporters.record import parse_on_workers
from bigdet.jsonstream import ArrayChunk, Fields, Value, iter_document, make_coercer, parse_chunk, parse_chunk_whole
from bigdet.sources import lvis, objects365
from bigdet.sources.cocojson import read_document

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

HOSTILE = ["}]", "}, {", "},{", "} ]", '"', "\\", '\\"', "\\\\", '"}, {"id": 1}]', "[{", "]}", "\n", "\r", "\t", "\u2028", "é", "😀", "\x00", "/"]
TEXT = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=8),
    st.lists(st.sampled_from(HOSTILE) | st.text(st.characters(exclude_categories=["Cs"]), max_size=3), max_size=5).map("".join),
)
FLOAT = st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(10**6), 10**6)
INT = st.integers(-(2**63), 2**63 - 1)
JUNK = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**9), 10**9) | st.floats(allow_nan=False, allow_infinity=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)


def value_of(arrow_type: pa.DataType):
    if pa.types.is_integer(arrow_type):  # what the column holds; a wider value is a bad_value reject (test_hostile_values)
        half = 1 << (arrow_type.bit_width - 1)
        return INT if half == 1 << 63 else st.integers(-half, half - 1)
    if pa.types.is_floating(arrow_type):
        return FLOAT
    if pa.types.is_boolean(arrow_type):
        return st.booleans()
    if pa.types.is_string(arrow_type):
        return TEXT
    if pa.types.is_list(arrow_type):
        return st.lists(st.none() | value_of(arrow_type.value_type), max_size=4)
    raise NotImplementedError(arrow_type)


@st.composite
def records(draw, fields: Fields, *, bbox4: bool = False, max_size: int = 4):
    """Records of ``fields``: required fields always there, the others there, null or absent,
    plus fields no reader asks for (nested, hostile) and any key order."""
    out = []
    for _ in range(draw(st.integers(0, max_size))):
        record = {}
        for field in fields.schema:
            if field.name == "bbox" and bbox4:
                record["bbox"] = draw(st.lists(FLOAT, min_size=4, max_size=4))
            elif field.name in fields.required:
                record[field.name] = draw(value_of(field.type))
            else:
                choice = draw(st.sampled_from(["value", "null", "absent"]))
                if choice != "absent":
                    record[field.name] = None if choice == "null" else draw(value_of(field.type))
        for i, junk in enumerate(draw(st.lists(JUNK, max_size=2))):
            record[f"x{i}"] = junk
        keys = draw(st.permutations(list(record)))
        out.append({k: record[k] for k in keys})
    return out


def dump(value, rnd: random.Random, ascii: bool) -> str:
    """JSON text of ``value`` with random (valid) whitespace between all tokens."""

    def ws() -> str:
        return "".join(rnd.choice(" \t\r\n") for _ in range(rnd.choice([0, 0, 0, 1, 1, 2, 7])))

    if isinstance(value, dict):
        parts = [ws() + json.dumps(k, ensure_ascii=ascii) + ws() + ":" + ws() + dump(v, rnd, ascii) + ws() for k, v in value.items()]
        return "{" + (",".join(parts) if parts else ws()) + "}"
    if isinstance(value, list):
        parts = [ws() + dump(v, rnd, ascii) + ws() for v in value]
        return "[" + (",".join(parts) if parts else ws()) + "]"
    return json.dumps(value, ensure_ascii=ascii)


@st.composite
def documents(draw, image_fields: Fields, box_fields: Fields, *, bbox4: bool = False):
    """(file bytes, the document as json.loads reads it): images, annotations, categories, info, in any order."""
    doc = {
        "images": draw(records(image_fields)),
        "annotations": draw(records(box_fields, bbox4=bbox4)),
        "categories": [{"id": 1, "name": draw(TEXT)}],
        "info": draw(JUNK),
    }
    keys = draw(st.permutations(list(doc)))
    doc = {k: doc[k] for k in keys}
    rnd = draw(st.randoms(use_true_random=False))
    text = dump(doc, rnd, ascii=draw(st.booleans())).encode()
    if draw(st.booleans()):  # as json.dump writes it, the usual layout of released files
        text = json.dumps(doc).encode()
    assert json.loads(text) == doc
    return text, json.loads(text)


CHUNK = st.integers(1, 300) | st.just(32 << 20)
ANY_FIELDS = Fields(pa.schema([("id", pa.int64()), ("name", pa.string()), ("bbox", pa.list_(pa.float64()))]), required=("id",))


def expected(records: list[dict], schema: pa.Schema) -> list[dict]:
    """What a table of ``schema`` must hold for ``records``: absent fields null, numbers as typed."""
    return pa.Table.from_pylist([{f.name: r.get(f.name) for f in schema} for r in records], schema=schema).to_pylist()


@pytest.mark.parametrize("parse", [parse_chunk, parse_chunk_whole], ids=["lines", "whole"])
@SETTINGS
@given(data=documents(ANY_FIELDS, ANY_FIELDS), chunk_bytes=CHUNK)
def test_walker_reads_every_valid_document_as_json_loads(tmp_path_factory, parse, data, chunk_bytes):
    text, doc = data
    path = tmp_path_factory.mktemp("doc") / "a.json"
    path.write_bytes(text)
    rows: dict[str, list] = {"images": [], "annotations": []}
    values = {}
    coerce = make_coercer(ANY_FIELDS)
    for item in iter_document(path, {"images", "annotations"}, chunk_bytes):
        if isinstance(item, Value):
            values[item.key] = item.value
            continue
        assert isinstance(item, ArrayChunk)
        assert item.text.startswith(b"{") and item.text.endswith(b"}")
        item.first_index = len(rows[item.key])
        table, bad = parse(item, ANY_FIELDS.schema, coerce, path)
        assert bad == []
        assert table.column("_index").to_pylist() == list(range(item.first_index, item.first_index + table.num_rows))
        rows[item.key] += table.drop_columns(["_index"]).to_pylist()
    for key in ("images", "annotations"):
        assert rows[key] == expected(doc[key], ANY_FIELDS.schema)
        if not doc[key]:
            assert values.pop(key) == []
    assert values == {k: v for k, v in doc.items() if k not in ("images", "annotations")}


READERS = {"lvis": lvis, "objects365": objects365}


@pytest.mark.parametrize("source", sorted(READERS))
@SETTINGS
@given(data=st.data(), chunk_bytes=CHUNK, workers=st.integers(1, 3))
def test_source_readers_read_every_valid_document_as_json_loads(tmp_path_factory, source, data, chunk_bytes, workers):
    module = READERS[source]
    text, doc = data.draw(documents(module.IMAGE_FIELDS, module.BOX_FIELDS, bbox4=True))
    path = tmp_path_factory.mktemp("doc") / "a.json"
    path.write_bytes(text)
    read = read_document(path, module.IMAGE_FIELDS, module.BOX_FIELDS, chunk_bytes, workers=workers)
    assert read.bad_images == [] and read.bad_boxes == []
    assert read.categories == doc["categories"] and read.other == {"info": doc["info"]}
    names = module.IMAGE_FIELDS.schema.names
    assert read.images.select(names).to_pylist() == expected(doc["images"], module.IMAGE_FIELDS.schema)
    assert read.images.column("_index").to_pylist() == list(range(len(doc["images"])))
    boxes = read.boxes.to_pylist()
    want = expected(doc["annotations"], module.BOX_FIELDS.schema)
    assert [[b["x"], b["y"], b["w"], b["h"]] for b in boxes] == [w["bbox"] for w in want]
    assert [{k: b[k] for k in w if k != "bbox"} for b, w in zip(boxes, want)] == [{k: v for k, v in w.items() if k != "bbox"} for w in want]


VIEWERS = {
    "stats": ({"images": stats.IMAGE_FIELDS, "annotations": stats.ANN_FIELDS}, frozenset()),
    "validate-images": ({"images": validate.SIZE_FIELDS}, frozenset()),
    "validate-annotations": ({"annotations": validate.ANN_FIELDS}, frozenset()),
    "browse": ({"images": browse.IMAGE_FIELDS, "annotations": browse.ANN_FIELDS}, frozenset({"annotations"})),
}


@pytest.mark.parametrize("viewer", sorted(VIEWERS))
@SETTINGS
@given(data=st.data(), chunk_bytes=CHUNK)
def test_parse_on_workers_reads_every_valid_document_as_json_loads(tmp_path_factory, viewer, data, chunk_bytes):
    """The pipeline of stats, validate (one array per pass, the other skipped) and browse."""
    fields, infer = VIEWERS[viewer]
    empty = Fields(pa.schema([("id", pa.int64())]), required=())
    text, doc = data.draw(documents(fields.get("images", empty), fields.get("annotations", empty)))
    path = tmp_path_factory.mktemp("doc") / "a.json"
    path.write_bytes(text)
    tables: dict[str, list] = {"images": [], "annotations": []}
    values = {}
    with ThreadPoolExecutor(2) as pool:
        for item in parse_on_workers(path, fields, pool, chunk_bytes=chunk_bytes, infer_others=infer):
            if isinstance(item, Value):
                values[item.key] = item.value
            else:
                tables[item.key].append(item.table)
    for key, f in fields.items():
        got = [row for t in tables[key] for row in t.select(f.schema.names + ["_index"]).to_pylist()]
        assert [{k: v for k, v in r.items() if k != "_index"} for r in got] == expected(doc[key], f.schema)
        assert [r["_index"] for r in got] == list(range(len(doc[key])))
    arrays = ("images", "annotations")
    assert {k: v for k, v in values.items() if k not in arrays} == {k: v for k, v in doc.items() if k not in arrays}
