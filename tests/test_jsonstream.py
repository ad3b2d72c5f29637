"""The streaming reader of single-document JSON files: chunking, key order, damage."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest

from bigdet.errors import InputError
from bigdet.jsonstream import ArrayChunk, Value, iter_document, parse_chunk
from bigdet.jsonstream import Fields, make_coercer
from bigdet.sources import cocojson, objects365

SCHEMA = pa.schema([("id", pa.int64()), ("name", pa.string()), ("bbox", pa.list_(pa.float64()))])
FIELDS = Fields(SCHEMA, required=("id",))


def read_all(path, chunk_bytes=64):
    rows, values, next_index = [], {}, {}
    for item in iter_document(path, {"images", "annotations"}, chunk_bytes):
        if isinstance(item, Value):
            values[item.key] = item.value
        else:
            item.first_index = next_index.get(item.key, 0)
            table, bad = parse_chunk(item, SCHEMA, make_coercer(FIELDS), path)
            next_index[item.key] = item.first_index + table.num_rows
            assert not bad
            rows += [(item.key, r) for r in table.to_pylist()]
    return rows, values


@pytest.mark.parametrize("indent", [None, 1, 4])
@pytest.mark.parametrize("chunk_bytes", [1, 50, 1 << 20])
def test_every_element_comes_back_once_in_order(tmp_path, indent, chunk_bytes):
    anns = [{"id": i, "name": f"n{i}", "bbox": [i, 1.5, 2.25, 3]} for i in range(200)]
    doc = {"categories": [{"id": 1}], "annotations": anns, "info": {"x": "}, {"}, "images": [{"id": 5}]}
    path = tmp_path / "a.json"
    path.write_text(json.dumps(doc, indent=indent))
    rows, values = read_all(path, chunk_bytes)
    got = [r for k, r in rows if k == "annotations"]
    assert [r["id"] for r in got] == list(range(200))
    assert [r["_index"] for r in got] == list(range(200))
    assert got[7]["bbox"] == [7.0, 1.5, 2.25, 3.0]
    assert values == {"categories": [{"id": 1}], "info": {"x": "}, {"}}
    assert [r["id"] for k, r in rows if k == "images"] == [5]


def test_separator_inside_a_string_is_parsed_correctly(tmp_path):
    anns = [{"id": i, "name": "a}, {b" if i == 3 else "plain"} for i in range(10)]
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"annotations": anns}))
    rows, _ = read_all(path, chunk_bytes=1 << 20)
    assert [r["name"] for _, r in rows] == [a["name"] for a in anns]


def test_empty_arrays_are_values(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{"images": [], "annotations": [ ], "categories": []}')
    items = list(iter_document(path, {"images", "annotations"}))
    assert [(i.key, i.value) for i in items] == [("images", []), ("annotations", []), ("categories", [])]


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "the file is empty"),
        ('{"images": [{"id": 1}, {"id": 2}', 'the file ends inside the "images" array: it is truncated'),
        ('{"images": [{"id": 1}], "categories": [1, 2', 'the file ends inside the "categories" value: it is truncated'),
        ("[1, 2]", "expected '{' in the top-level object"),
        ('{"images": [1, 2]}', 'elements of the "images" array must be objects'),
    ],
)
def test_structural_damage_stops_with_the_file_and_place(tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(InputError) as e:
        list(iter_document(path, {"images"}))
    assert str(path) in str(e.value)
    assert message in str(e.value)


def test_invalid_json_inside_an_array_names_the_record(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"images": [{"id": 1}, {"id": 2}, {"id": 3,, "x": 1}, {"id": 4}]}')
    with pytest.raises(InputError) as e:
        for item in iter_document(path, {"images"}):
            if isinstance(item, ArrayChunk):
                parse_chunk(item, SCHEMA, make_coercer(FIELDS), path)
    assert '"images"[2]' in str(e.value)
    assert "invalid JSON" in str(e.value)


def test_a_wrongly_typed_value_rejects_only_its_record(tmp_path):
    path = tmp_path / "a.json"
    anns = [{"id": i, "bbox": [1, 2, 3, 4]} for i in range(5)]
    anns[2]["bbox"] = ["x", 2, 3, 4]
    anns[3]["id"] = 1.5
    path.write_text(json.dumps({"annotations": anns}))
    (chunk,) = [i for i in iter_document(path, {"annotations"}) if isinstance(i, ArrayChunk)]
    table, bad = parse_chunk(chunk, SCHEMA, make_coercer(FIELDS), path)
    assert table.column("id").to_pylist() == [0, 1, 4]
    assert [(b.index, b.reason) for b in bad] == [(2, "bad_value"), (3, "bad_value")]
    assert "'bbox'" in bad[0].detail and "'id'" in bad[1].detail


@pytest.mark.parametrize("damaged", [False, True])
def test_a_parsed_chunk_keeps_its_text_and_a_chunk_of_bytes_is_read_alike(tmp_path, damaged):
    """The walker's chunk text is read with its separating commas as newlines, changed in place: after the
    read (and after a read that fails, before the slower path reads the text again) it is as it was. A
    chunk whose text is immutable bytes parses to the same table."""
    path = tmp_path / "a.json"
    anns = [{"id": i, "bbox": [1, 2, 3, 4]} for i in range(6)]
    if damaged:
        anns[4]["bbox"] = ["x", 2, 3, 4]
    path.write_text(json.dumps({"annotations": anns}))
    (chunk,) = [i for i in iter_document(path, {"annotations"}) if isinstance(i, ArrayChunk)]
    assert isinstance(chunk.text, bytearray)
    before = bytes(chunk.text)
    table, bad = parse_chunk(chunk, SCHEMA, make_coercer(FIELDS), path)
    assert bytes(chunk.text) == before and json.loads(b"[" + before + b"]") == anns
    frozen = ArrayChunk(chunk.key, before, chunk.ends, chunk.first_index)
    again, bad_again = parse_chunk(frozen, SCHEMA, make_coercer(FIELDS), path)
    assert again.equals(table) and [(b.index, b.reason) for b in bad_again] == [(b.index, b.reason) for b in bad]
    assert table.column("id").to_pylist() == ([0, 1, 2, 3, 5] if damaged else list(range(6)))


def test_pretty_printed_array_end_is_found(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{"images": [\n  {"id": 1},\n  {"id": 2}\n ]\n, "x": 1}')
    rows, values = read_all(path, chunk_bytes=1)
    assert [r["id"] for _, r in rows] == [1, 2] and values == {"x": 1}


def _doc_with_bad_box(tmp_path, bad_at: int):
    images = [{"id": i, "source": "x"} for i in range(40)]
    anns = [{"id": i, "image_id": i % 40, "category_id": 1, "bbox": [1, 2, 3, 4], "is_fake": i % 2 == 0} for i in range(300)]
    if bad_at is not None:
        anns[bad_at]["bbox"] = "wide"
    doc = {"categories": [{"id": 1, "name": "a"}], "images": images, "annotations": anns, "licenses": []}
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc))
    return path


def test_parse_on_workers_keeps_order_and_global_indices(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from bigdet.exporters.record import parse_on_workers

    path = _doc_with_bad_box(tmp_path, None)
    fields = {
        "images": Fields(pa.schema([("id", pa.int64())]), required=("id",)),
        "annotations": Fields(pa.schema([("id", pa.int64()), ("bbox", pa.list_(pa.float64()))]), required=("id",)),
    }
    with ThreadPoolExecutor(2) as pool:
        items = list(parse_on_workers(path, fields, pool, chunk_bytes=500, infer_others=frozenset({"annotations"}),
                                      finish=lambda chunk, table: (chunk.key, table.num_rows)))
        only_boxes = [i for i in parse_on_workers(path, {"annotations": fields["annotations"]}, pool, chunk_bytes=500) if not isinstance(i, Value)]
    chunks = [i for i in items if not isinstance(i, Value)]
    assert [i.key for i in items if isinstance(i, Value)] == ["categories", "licenses"]
    assert len(chunks) > 10  # many chunks in flight, taken back in file order
    assert [i.key for i in chunks] == sorted((i.key for i in chunks), key=["images", "annotations"].index)
    boxes = pa.concat_tables([c.table for c in chunks if c.key == "annotations"])
    assert boxes.column("id").to_pylist() == list(range(300)) == boxes.column("_index").to_pylist()
    assert boxes.column("is_fake").to_pylist() == [i % 2 == 0 for i in range(300)]  # inferred field kept
    assert all(c.extra == (c.key, c.table.num_rows) for c in chunks)  # finish ran for every chunk
    assert {c.key for c in only_boxes} == {"annotations"} and sum(c.table.num_rows for c in only_boxes) == 300


def test_parse_on_workers_names_a_malformed_record_by_its_array_index(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from bigdet.exporters.record import parse_on_workers

    path = _doc_with_bad_box(tmp_path, 257)
    fields = {"annotations": Fields(pa.schema([("id", pa.int64()), ("bbox", pa.list_(pa.float64()))]), required=("id",))}
    with ThreadPoolExecutor(2) as pool, pytest.raises(InputError, match=r'"annotations"\[257\]: malformed annotations record'):
        list(parse_on_workers(path, fields, pool, chunk_bytes=500))


@pytest.mark.parametrize(
    "text",
    [
        '{"images": [{"id": 1, "name": "a}]"}, {"id": 2, "name": "b"}], "x": 1}',
        '{"images": [{"id": 1, "name": "a}, {b"}, {"id": 2, "name": "}, {\\"id\\": 9}]"}], "x": 1}',
        '{"images": [{"id": 1}, {"id": 2} ], "x": 1}',
        '{"images": [{"id": 1, "z": [{"a": 1}, {"b": 2}]}, {"id": 2, "z": [{}]}], "x": 1}',
        '{"images":\r[{"id":\r1},\r{"id":\r2}\r],\r"x":\r1}',
        '{"images": [{"id": 1, "name": "\\\\"}, {"id": 2, "name": "\\\\\\"}]"}], "x": 1}',
    ],
    ids=["close-in-string", "separator-in-string", "space-before-close", "nested-objects", "cr-only", "backslashes"],
)
@pytest.mark.parametrize("chunk_bytes", [1, 20, 1 << 20])
def test_valid_layouts_are_read_as_json_loads_reads_them(tmp_path, text, chunk_bytes):
    path = tmp_path / "a.json"
    path.write_text(text)
    rows, values = read_all(path, chunk_bytes)
    want = json.loads(text)
    assert [(r["id"], r["name"]) for _, r in rows] == [(i["id"], i.get("name")) for i in want["images"]]
    assert values == {"x": 1}


def test_a_key_repeated_in_a_record_follows_json_loads_the_last_wins(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{"images": [{"id": 1, "name": "first", "name": "last"}, {"id": 2, "id": 3}]}')
    rows, _ = read_all(path, 1 << 20)
    assert [(r["id"], r["name"]) for _, r in rows] == [(1, "last"), (3, None)]


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"images": [{"id": 1}], "images": [{"id": 2}]}', 'the key "images" appears twice in the top-level object'),
        ('{"info": 1, "info": 2}', 'the key "info" appears twice in the top-level object'),
        ('{"images": [{"id": 1}]} {"x": 1}', "text after the end of the JSON document"),
        ('{"images": [{"id": 1}]}]', "text after the end of the JSON document"),
        ('{"images": [{"id": 1}}]}', "unbalanced '}'"),
        ('{"images": [{"id": 1},]}', "elements of the \"images\" array must be objects, found b']}'"),
    ],
)
def test_duplicate_keys_and_trailing_text_are_refused(tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(InputError) as e:
        list(iter_document(path, {"images"}))
    assert str(path) in str(e.value) and message in str(e.value)


@pytest.mark.parametrize("where", ["record", "ignored-field", "value", "key"])
def test_invalid_utf8_is_one_clear_line_with_the_place(tmp_path, where):
    bad = b"caf\xe9"
    docs = {
        "record": b'{"images": [{"id": 1, "name": "ok"}, {"id": 2, "name": "' + bad + b'"}]}',
        "ignored-field": b'{"images": [{"id": 1, "other": "' + bad + b'"}]}',
        "value": b'{"images": [], "info": "' + bad + b'"}',
        "key": b'{"images": [], "' + bad + b'": 1}',
    }
    path = tmp_path / "bad.json"
    path.write_bytes(docs[where])
    with pytest.raises(InputError) as e:
        for item in iter_document(path, {"images"}, 8):
            if isinstance(item, ArrayChunk):
                parse_chunk(item, SCHEMA, make_coercer(FIELDS), path)
    text = str(e.value)
    assert str(path) in text and "\n" not in text
    assert f"byte {docs[where].index(bad) + 3}" in text  # the 0xe9 byte
    assert "UTF-8" in text


def test_an_id_beyond_int64_is_a_rejected_record_not_a_crash(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{"annotations": [{"id": 1}, {"id": 9223372036854775808}, {"id": 18446744073709551615}]}')
    (chunk,) = [i for i in iter_document(path, {"annotations"}) if isinstance(i, ArrayChunk)]
    table, bad = parse_chunk(chunk, SCHEMA, make_coercer(FIELDS), path)
    assert table.column("id").to_pylist() == [1]
    assert [(b.index, b.reason) for b in bad] == [(1, "bad_value"), (2, "bad_value")]


def test_error_messages_quoting_file_text_are_one_short_line():
    what = "expected 13 columns, got 1: " + "a,b\r" * 20000 + "\x1b[31m"
    text = str(InputError("data/x.csv", what, record="line\r1", hint="fix\nit"))
    assert "\n" not in text and "\r" not in text and "\x1b" not in text
    assert len(text) < 1000 and "a,b\\r" in text and "more)" in text


@pytest.mark.parametrize("chunk_bytes", [1, 20, 1 << 20])
def test_walk_list_cuts_a_top_level_list_exactly(tmp_path, chunk_bytes):
    """A results file (a top-level list): strings holding '}, {' and ']' and odd whitespace are
    cut only between elements, as iter_document cuts arrays; text after the list is refused."""
    import mmap

    from bigdet.jsonstream import walk_list

    records = [{"image_id": i, "note": "}, {\"x\": ]" * (i % 3), "bbox": [i, 2.5, 3, 4]} for i in range(7)]
    text = "\n [ " + " ,\n\t".join(json.dumps(r) for r in records) + " ] \n"
    path = tmp_path / "pred.json"
    path.write_text(text)
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as buf:
        chunks = list(walk_list(path, buf, "detections", chunk_bytes))
        got = [json.loads(b"[" + c.text + b"]") for c in chunks]
    assert [r for part in got for r in part] == records
    path.write_text(text + "x")
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as buf:
        with pytest.raises(InputError, match="text after the end"):
            list(walk_list(path, buf, "detections", chunk_bytes))


@pytest.mark.parametrize("element", ["null", "5", '"text"'])
@pytest.mark.parametrize("workers", [1, 2])
def test_an_array_element_that_is_not_an_object_stops_the_read_naming_it(tmp_path, element, workers):
    """The scan counts elements by their closing braces: an element that is no object inside a chunk
    was an internal error ("4 elements gave 4 rows and 1 bad records"); it is one line naming it."""
    annotations = [json.dumps({"id": i + 1, "image_id": 1, "category_id": 1, "bbox": [0, 0, 1, 1], "area": 1.0, "iscrowd": 0}) for i in range(40)]
    annotations[25] = element
    text = '{"images": [{"id": 1, "width": 10, "height": 10, "file_name": "a.jpg"}], "annotations": [' + ", ".join(annotations) + '], "categories": []}'
    path = tmp_path / "o365.json"
    path.write_text(text)
    with pytest.raises(InputError, match=r'elements of "annotations" must be objects') as e:
        cocojson.read_document(path, objects365.IMAGE_FIELDS, objects365.BOX_FIELDS, 1 << 20, workers=workers)  # one chunk
    assert '"annotations"[25]' in str(e.value) and "\n" not in str(e.value)
