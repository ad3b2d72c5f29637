"""Ingest: fingerprints, atomic replacement, reconciliation, the store's metadata."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from bigdet import ingest as ingest_module
from bigdet.errors import BigdetError, InputError, StoreError
from bigdet.ingest import ingest
from bigdet.sources import objects365
from bigdet.schema import BOXES, IMAGE_LABELS, IMAGES, REJECTS, SCHEMA_VERSION
from bigdet.store import Store


def test_unchanged_inputs_are_not_read_again(layout, monkeypatch):
    first = ingest("lvis", layout)
    assert not first.up_to_date

    def boom(*a, **k):
        raise AssertionError("read again")

    monkeypatch.setattr(ingest_module.reader("lvis"), "read", boom)
    second = ingest("lvis", layout)
    assert second.up_to_date
    assert {s: {t: c.as_dict() for t, c in ts.items()} for s, ts in second.counts.items()} == {
        s: {t: c.as_dict() for t, c in ts.items()} for s, ts in first.counts.items()
    }


def test_a_changed_input_or_force_reads_again(layout, data_root):
    ingest("lvis", layout)
    assert not ingest("lvis", layout, force=True).up_to_date
    path = data_root / "lvis/lvis_v1_val.json"
    path.write_bytes(path.read_bytes() + b"\n")
    assert not ingest("lvis", layout).up_to_date


def test_a_store_of_schema_version_1_is_read_again(layout):
    """Version 1 rejects had no image_id / category_id: such a store is refused, and ingest re-reads it."""
    ingest("lvis", layout)
    path = layout.store / "lvis/manifest.json"
    manifest = json.loads(path.read_text())
    manifest["schema_version"] = "1"
    path.write_text(json.dumps(manifest))
    rejects = layout.store / "lvis/train/rejects.parquet"
    pq.write_table(pq.read_table(rejects).drop_columns(["image_id", "category_id"]), rejects)
    with pytest.raises(StoreError, match="schema version '1'"):
        Store(layout.store).table("lvis", "train", "rejects")
    assert not ingest("lvis", layout).up_to_date
    assert Store(layout.store).table("lvis", "train", "rejects").schema.remove_metadata().equals(REJECTS)


def test_a_failed_ingest_leaves_the_previous_store(layout, data_root):
    ingest("o365", layout)
    store = Store(layout.store)
    before = store.table("objects365", "train", "boxes").num_rows
    (data_root / "objects365/zhiyuan_objv2_val.json").write_text('{"images": [')
    with pytest.raises(InputError, match="truncated"):
        ingest("o365", layout)
    assert store.table("objects365", "train", "boxes").num_rows == before
    assert not [p for p in (layout.store / "objects365.bigdet").iterdir() if p.name.endswith(".incomplete")]  # its staging folder is gone


def _writing(monkeypatch, each_table):
    """Calls ``each_table(file path)`` in the store's writer thread before it writes each table."""
    write_table = pq.ParquetWriter.write_table

    def write(self, table, *args, **kwargs):
        each_table(Path(self.where))
        return write_table(self, table, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetWriter, "write_table", write)


def test_a_split_s_files_are_finished_beside_the_next_split_s_read(layout, monkeypatch):
    """Objects365's train Parquet files are still being written while its val file is read: the
    train writers wait until the val read has begun (before, the read waited for them)."""
    val_read = threading.Event()
    seen_while_writing: list[bool] = []
    read_document = objects365.read_document

    def read(path, *args, **kwargs):
        if "val" in path.name:
            val_read.set()
        return read_document(path, *args, **kwargs)

    def each_table(path):
        if path.parent.name == "train" and path.name == "boxes.parquet":
            seen_while_writing.append(val_read.wait(timeout=20))

    monkeypatch.setattr(objects365, "read_document", read)
    _writing(monkeypatch, each_table)
    report = ingest("o365", layout)
    assert seen_while_writing and all(seen_while_writing)
    boxes = Store(layout.store).table("objects365", "train", "boxes")
    assert boxes.num_rows == report.counts["train"]["boxes"].stored > 0  # the whole file, written before the switch


def test_a_store_writer_s_failure_stops_the_ingest_and_keeps_the_previous_store(layout, monkeypatch):
    ingest("o365", layout, force=True)
    before = Store(layout.store).table("objects365", "train", "boxes")

    def each_table(path):
        if path.parent.name == "train" and path.name == "boxes.parquet":
            raise OSError(28, "No space left on device", str(path))

    _writing(monkeypatch, each_table)
    with pytest.raises(BigdetError, match="boxes.parquet: No space left on device"):
        ingest("o365", layout, force=True)
    assert Store(layout.store).table("objects365", "train", "boxes").equals(before)
    assert not [t for t in threading.enumerate() if t.name.startswith("write ")]  # no writer left behind


def test_a_failed_read_leaves_no_writer_of_an_earlier_split_behind(layout, data_root):
    (data_root / "objects365/zhiyuan_objv2_val.json").write_text('{"images": [')
    with pytest.raises(InputError, match="truncated"):
        ingest("o365", layout)
    assert not [t for t in threading.enumerate() if t.name.startswith("write ")]
    assert not (layout.store / "objects365").exists()


def test_store_files_carry_schema_and_provenance(layout):
    ingest("oi", layout)
    store = Store(layout.store)
    for name, schema in (("images", IMAGES), ("boxes", BOXES), ("image_labels", IMAGE_LABELS), ("rejects", REJECTS)):
        path = layout.store / "openimages/val" / f"{name}.parquet"
        meta = pq.read_schema(path).metadata
        assert meta[b"bigdet.schema_version"] == SCHEMA_VERSION.encode()
        assert meta[b"bigdet.source"] == b"openimages" and meta[b"bigdet.split"] == b"val"
        assert json.loads(meta[b"bigdet.files"])[0].endswith("validation-annotations-bbox.csv")
        assert store.table("openimages", "val", name).schema.remove_metadata().equals(schema)
    manifest = store.manifest("openimages")
    assert manifest["splits"]["train"]["boxes"]["read"] == manifest["splits"]["train"]["boxes"]["stored"]


def test_every_source_reconciles_on_synthetic_data(layout):
    for source in ("lvis", "oi", "o365"):
        report = ingest(source, layout)
        assert report.reconciles
        for tables in report.counts.values():
            for counts in tables.values():
                assert counts.read == counts.stored + sum(counts.rejected.values())


def test_the_store_refuses_an_unknown_version(layout):
    ingest("lvis", layout)
    path = layout.store / "lvis/manifest.json"
    manifest = json.loads(path.read_text())
    manifest["schema_version"] = "0"
    path.write_text(json.dumps(manifest))
    with pytest.raises(StoreError, match="re-run `bigdet ingest lvis --force`"):
        Store(layout.store).table("lvis", "train", "boxes")


def test_reading_a_source_not_ingested_says_what_to_run(tmp_path):
    with pytest.raises(StoreError, match="run `bigdet ingest lvis` first"):
        Store(tmp_path).categories("lvis")
