"""The exported record is declared once (bigdet.exporters.record): the files the merge writes, the parquet
export's columns and every reader's fields are the declaration's, and the writer follows a changed one."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bigdet import browse, stats, validate
from bigdet.eval import ground_truth
from bigdet.exporters import coco, coco_files, export, parquet, record

from .test_export_formats import merged_output


@pytest.fixture(scope="module")
def merged(tmp_path_factory, synth_root) -> Path:
    return merged_output(tmp_path_factory, synth_root)


def test_merged_files_hold_exactly_the_declared_fields_in_order(merged):
    files = sorted((merged / "annotations").glob("*.json"))
    assert record.VAL_FILE in [p.name for p in files]
    seen_attributes = set()
    for path in files:
        doc = json.loads(path.read_text())
        for im in doc["images"][:50]:
            assert list(im) == list(record.names(record.IMAGE))
            assert all(im[name] is not None for name in record.names(record.IMAGE))  # every image field is required
        for a in doc["annotations"][:500]:
            core = list(a)[: len(record.ANNOTATION)]
            assert core == list(record.names(record.ANNOTATION))
            assert set(a) - set(core) <= set(record.ATTRIBUTE_TYPES)  # after the core: source attributes only
            seen_attributes |= set(a) - set(core)
        for c in doc["categories"]:
            assert set(c) <= set(record.names(record.CATEGORY))
            assert {f.name for f in record.CATEGORY if f.required} <= set(c)
    assert seen_attributes  # the synthetic sources do carry attributes: the check above was not vacuous


def test_parquet_columns_are_the_declared_columns(merged, tmp_path):
    dest = export(merged, "parquet", tmp_path / "pq").dest
    schema = pq.read_schema(next((dest / "data").glob("train-*.parquet")))
    declared = {f.column: f.column_type for f in record.IMAGE if f.column} | {f.column: pa.list_(f.column_type) for f in record.ANNOTATION if f.column}
    assert {n: schema.field(n).type for n in schema.names if n != "split"} == declared
    assert parquet.SCHEMA.names == schema.names


@pytest.mark.parametrize(
    "fields, any_coco_file",
    [
        (validate.IMAGE_FIELDS, False), (validate.ANN_FIELDS, False), (validate.SIZE_FIELDS, False),
        (stats.IMAGE_FIELDS, True), (stats.ANN_FIELDS, True),
        (browse.IMAGE_FIELDS, True), (browse.ANN_FIELDS, True),
        (ground_truth.IMAGE_FIELDS, True), (ground_truth.BOX_FIELDS, True), (ground_truth.TRAIN_FIELDS, True),
        (parquet.IMAGE_FIELDS, False), (parquet.ANN_FIELDS, False),
        (coco_files._IMAGES, False), (coco_files._BOXES, False),
    ],
)
def test_every_reader_asks_for_declared_fields_with_declared_types(fields, any_coco_file):
    declared = {f.name: f.type for f in record.IMAGE + record.ANNOTATION} | record.ATTRIBUTE_TYPES
    both = {f.name for f in record.IMAGE} & {f.name for f in record.ANNOTATION}
    for f in fields.schema:
        assert f.name in declared, f"{f.name} is not a declared field"
        if f.name not in both and not (any_coco_file and f.name in ("width", "height")):  # eval reads fractional sizes
            assert f.type == declared[f.name], f.name
    required = {f.name for f in record.IMAGE + record.ANNOTATION if f.required}
    assert set(fields.required) <= required  # nothing a merged file may leave out is demanded


def test_the_writer_writes_what_the_declaration_says_in_its_order():
    fields = (
        record.Field("id", pa.int64(), True),
        record.Field("extra_score", pa.float64(), True),  # a field that is not in today's record
        record.Field("file_name", pa.string(), True),
        record.Field("neg_category_ids", pa.list_(pa.int64()), True),
        record.Field("bbox", pa.list_(pa.float64()), True),
        record.Field("source", pa.string(), True),
    )
    columns = {
        "id": np.array([7, 8]),
        "extra_score": np.array([0.5, 1e-05]),
        "file_name": pa.array(['a/"b".jpg', "c.jpg"]),
        "neg_category_ids": np.array([[False, True, True], [False, False, False]]),
        "bbox": (np.array([1.0, 2.5]), np.array([0.0, 3.0]), np.array([10.0, 4.25]), np.array([2.0, 1.0])),
        "source": "lvis",
    }
    text = bytes(coco.joined(coco.record_texts(fields, columns)))
    got = orjson.loads(b"[" + text + b"]")
    assert [list(r) for r in got] == [[f.name for f in fields]] * 2
    assert got == [
        {"id": 7, "extra_score": 0.5, "file_name": 'a/"b".jpg', "neg_category_ids": [1, 2], "bbox": [1.0, 0.0, 10.0, 2.0], "source": "lvis"},
        {"id": 8, "extra_score": 1e-05, "file_name": "c.jpg", "neg_category_ids": [], "bbox": [2.5, 3.0, 4.25, 1.0], "source": "lvis"},
    ]
    with pytest.raises(KeyError):  # a declared field the writer has no values for stops it
        coco.record_texts(fields + (record.Field("missing", pa.int64(), True),), columns)


def test_record_helpers_follow_a_removed_field(monkeypatch):
    without = tuple(f for f in record.IMAGE if f.name != "source_image_id")
    monkeypatch.setattr(record, "IMAGE", without)
    assert "source_image_id" not in record.fields(record.IMAGE).schema.names
    assert "source_image_id" not in record.json_schema(record.IMAGE).names
    assert "source_image_id" not in [c.name for c in record.columns(record.IMAGE)]
    with pytest.raises(KeyError):
        record.fields(record.IMAGE, ("id", "source_image_id"))


# the declaration without "source_image_id", then the modules whose readers are built at import
_READERS_UNDER_A_CHANGED_DECLARATION = """
import json
from bigdet.exporters import record
record.IMAGE = tuple(f for f in record.IMAGE if f.name != "source_image_id")
from bigdet import browse
from bigdet.exporters import parquet
print(json.dumps({"browse": browse.IMAGE_FIELDS.schema.names, "parquet": parquet.IMAGE_FIELDS.schema.names,
                  "parquet columns": [c.name for c in parquet._IMAGE_COLUMNS]}))
"""


def test_readers_built_at_import_follow_a_declaration_changed_before_import():
    import subprocess
    import sys

    today = {"browse": browse.IMAGE_FIELDS.schema.names, "parquet": parquet.IMAGE_FIELDS.schema.names,
             "parquet columns": [c.name for c in parquet._IMAGE_COLUMNS]}
    assert all("source_image_id" in names for names in today.values())
    run = subprocess.run([sys.executable, "-c", _READERS_UNDER_A_CHANGED_DECLARATION], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    changed = json.loads(run.stdout)
    assert changed == {k: [n for n in names if n != "source_image_id"] for k, names in today.items()}


def test_file_names_and_splits_come_from_the_record():
    assert record.split_of(record.VAL_FILE) == "val"
    assert record.split_of(record.COMBINED_TRAIN_FILE) == "train"
    assert record.split_of("bigdet_obj_train.json") == "train"
    assert coco_files.COMBINED == record.COMBINED_TRAIN_FILE
