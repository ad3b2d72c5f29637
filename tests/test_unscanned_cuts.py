"""``read_document`` cuts most of an array without scanning it (``iter_document(speculate=True)``) and
proves each cut by parsing it (``jsonstream.parse_cut``): a cut inside a string or a nested object is
refused and the walk scans from that chunk's start. Whatever happens to the cuts, the records, their
indices, the rejects and the errors are those of a read that scans everything."""

from __future__ import annotations

import json
import random

import pytest

from bigdet.errors import InputError
from bigdet.sources import cocojson, objects365


def annotation(i: int, rnd: random.Random) -> dict:
    record = {"id": i + 1, "image_id": 1, "category_id": 1 + i % 3, "bbox": [1.0, 2.0, 3.5, 4.0], "area": 14.0, "iscrowd": 0}
    if rnd.random() < 0.02:  # text that looks like an element end: a cut may land inside this string
        record["note"] = rnd.choice(["x}, {y", '"}, {"id": 7', "}\n,\n{", "a},{b"])
    if rnd.random() < 0.02:  # a nested object: a cut may land inside it
        record["extra"] = {"inner": {"k": "v"}, "n": 1}
    return record


def document(n: int, seed: int, damage: str | None = None, at: int = 0) -> bytes:
    rnd = random.Random(seed)
    doc = {
        "images": [{"id": 1, "width": 100, "height": 100, "file_name": "a/b.jpg"}],
        "annotations": [annotation(i, rnd) for i in range(n)],
        "categories": [{"id": c, "name": f"c{c}"} for c in (1, 2, 3)],
    }
    if damage == "wrong type":
        doc["annotations"][at]["category_id"] = "2"
    if damage in ("null element", "number element"):
        doc["annotations"][at] = None if damage == "null element" else 5
    text = json.dumps(doc).encode()
    if damage == "invalid json":
        marker = f'"id": {at + 1}, '.encode()
        text = text.replace(marker, marker + b", ", 1)
    return text


@pytest.fixture
def cuts(monkeypatch):
    """How many unscanned cuts parse_cut accepted and refused during the test."""
    seen = {"accepted": 0, "refused": 0}
    original = cocojson.parse_cut

    def counted(chunk, schema):
        table = original(chunk, schema)
        seen["accepted" if table is not None else "refused"] += 1
        return table

    monkeypatch.setattr(cocojson, "parse_cut", counted)
    return seen


def scanned_read(monkeypatch, *args, **kwargs):
    """``read_document`` with every chunk scanned (the reference)."""
    with monkeypatch.context() as m:
        original = cocojson.iter_document
        m.setattr(cocojson, "iter_document", lambda *a, **k: original(*a, **{**k, "speculate": False}))
        return cocojson.read_document(*args, **kwargs)


@pytest.mark.parametrize("chunk_bytes", [60, 150, 333])
@pytest.mark.parametrize("workers", [1, 3])
def test_unscanned_cuts_read_what_json_loads_reads_and_refused_cuts_are_scanned(tmp_path, monkeypatch, cuts, chunk_bytes, workers):
    path = tmp_path / "o365.json"
    path.write_bytes(document(400, seed=chunk_bytes))
    read = cocojson.read_document(path, objects365.IMAGE_FIELDS, objects365.BOX_FIELDS, chunk_bytes, workers=workers)
    want = json.loads(path.read_bytes())["annotations"]
    assert read.boxes.column("id").to_pylist() == [a["id"] for a in want]
    assert read.boxes.column("category_id").to_pylist() == [a["category_id"] for a in want]
    assert read.boxes.column("w").to_pylist() == [a["bbox"][2] for a in want]
    assert read.boxes.column("_index").to_pylist() == list(range(len(want)))
    assert cuts["accepted"] > 0 and cuts["refused"] > 0  # both ways were taken
    reference = scanned_read(monkeypatch, path, objects365.IMAGE_FIELDS, objects365.BOX_FIELDS, chunk_bytes, workers=workers)
    assert read.boxes.equals(reference.boxes) and read.images.equals(reference.images)


@pytest.mark.parametrize("at", [3, 250, 399])
def test_a_wrongly_typed_record_in_an_unscanned_region_is_rejected_as_when_scanned(tmp_path, monkeypatch, at):
    path = tmp_path / "o365.json"
    path.write_bytes(document(400, seed=1, damage="wrong type", at=at))
    read = cocojson.read_document(path, objects365.IMAGE_FIELDS, objects365.BOX_FIELDS, 500, workers=2)
    assert [(b.index, b.reason) for b in read.bad_boxes] == [(at, "bad_value")] or [b.index for b in read.bad_boxes] == [at]
    assert at not in read.boxes.column("_index").to_pylist() and read.boxes.num_rows == 399
    reference = scanned_read(monkeypatch, path, objects365.IMAGE_FIELDS, objects365.BOX_FIELDS, 500, workers=2)
    assert read.bad_boxes == reference.bad_boxes and read.boxes.equals(reference.boxes)


@pytest.mark.parametrize("at", [3, 250, 399])
def test_damage_in_an_unscanned_region_stops_with_the_message_of_a_scanned_read(tmp_path, monkeypatch, at):
    path = tmp_path / "o365.json"
    path.write_bytes(document(400, seed=2, damage="invalid json", at=at))
    with pytest.raises(InputError) as reference:
        scanned_read(monkeypatch, path, objects365.IMAGE_FIELDS, objects365.BOX_FIELDS, 500, workers=2)
    with pytest.raises(InputError) as got:
        cocojson.read_document(path, objects365.IMAGE_FIELDS, objects365.BOX_FIELDS, 500, workers=2)
    assert str(got.value) == str(reference.value) and f'"annotations"[{at}]' in str(got.value)


def test_a_cut_never_spans_the_end_of_an_array(tmp_path, cuts):
    """A long "images" array followed by "annotations": a cut across the two would parse (``...}],
    "annotations": [{...`` is JSON), so the walk never hands over a chunk holding ``}]``."""
    doc = {
        "images": [{"id": i, "width": 10, "height": 10, "file_name": f"{i}.jpg"} for i in range(1, 300)],
        "annotations": [{"id": i, "image_id": 1, "category_id": 1, "bbox": [0, 0, 1, 1], "area": 1.0, "iscrowd": 0} for i in range(1, 300)],
        "categories": [{"id": 1, "name": "c"}],
    }
    path = tmp_path / "o365.json"
    path.write_bytes(json.dumps(doc).encode())
    read = cocojson.read_document(path, objects365.IMAGE_FIELDS, objects365.BOX_FIELDS, 700, workers=2)
    assert read.images.column("id").to_pylist() == list(range(1, 300))
    assert read.boxes.column("id").to_pylist() == list(range(1, 300))
    assert cuts["accepted"] > 0 and cuts["refused"] == 0


@pytest.mark.parametrize("damage", ["null element", "number element"])
def test_an_element_that_is_not_an_object_stops_the_read_naming_it_whether_scanned_or_not(tmp_path, monkeypatch, damage):
    path = tmp_path / "o365.json"
    path.write_bytes(document(400, seed=3, damage=damage, at=250))
    with pytest.raises(InputError) as reference:
        scanned_read(monkeypatch, path, objects365.IMAGE_FIELDS, objects365.BOX_FIELDS, 500, workers=2)
    with pytest.raises(InputError) as got:
        cocojson.read_document(path, objects365.IMAGE_FIELDS, objects365.BOX_FIELDS, 500, workers=2)
    assert str(got.value) == str(reference.value)
    assert 'elements of "annotations" must be objects' in str(got.value) and '"annotations"[250]' in str(got.value)
