"""``parquet``: one row per image, boxes as list columns, in shards of about 1 GB.

Layout::

    DEST/data/train-00000-of-00003.parquet, ...   (Hugging Face's shard naming: ``datasets`` finds the splits)
    DEST/data/val-00000-of-00001.parquet
    DEST/categories.json                          the merged files' "categories" (id, name, ...)
    DEST/export_report.json                       counts, image_root, schema version

One row (``SCHEMA``): image fields (``image_id``, ``file_name`` relative to ``image_root``, ``width``,
``height``), ``source``, ``source_image_id``, ``split``, the label sets (``neg_category_ids``,
``not_exhaustive_category_ids``) and the image's boxes in parallel list columns (``box_id``,
``category_id``, ``bbox`` = [x, y, w, h] in absolute pixels as in the json, ``area``, ``iscrowd``).
Every box of the json is in exactly one row; rows keep the merge's order (image ids ascending).
Source box attributes (Open Images' is_occluded, ...) stay in the json only.

Readable as they are by pandas, polars, duckdb and ``datasets.load_dataset("parquet", data_dir=DEST)``;
``bigdet.data.BigDetDataset`` reads them memory-mapped for training.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import InputError
from ..jsonstream import Value
from . import Merged, record
from .record import parse_on_workers

FORMAT = "parquet"
DESCRIPTION = "one row per image, boxes as list columns (pandas, polars, duckdb, datasets; bigdet.data)"
SCHEMA_VERSION = 1
SHARD_BYTES = 1 << 30  # about 1 GB per shard
ROW_GROUP_IMAGES = 20_000  # images per row group: bounds the writer's memory, fine-grained enough for readers
DATA_DIR = "data"

BBOX = record.BBOX_COLUMN
SPLIT = pa.field("split", pa.string())
#: One row: the image fields that have a column (``record.IMAGE``), ``split`` before the label sets, and
#: a list column per annotation field that has one (``record.ANNOTATION``), in declaration order.
_IMAGE_COLUMNS = record.columns(record.IMAGE)
SCHEMA = pa.schema(
    [c for c in _IMAGE_COLUMNS if c.name not in record.LABEL_SETS]
    + [SPLIT]
    + [c for c in _IMAGE_COLUMNS if c.name in record.LABEL_SETS]
    + [pa.field(c.name, pa.list_(c.type)) for c in record.columns(record.ANNOTATION)]
)
BOX_COUNT_COLUMN = record.field(record.ANNOTATION, "id").column  # one entry per box

# Merged files always have every field; these are what a row cannot be made without.
IMAGE_FIELDS = record.fields(record.IMAGE, required=("id", "file_name", "width", "height"))
ANN_FIELDS = record.fields(record.ANNOTATION, required=("id", "image_id", "category_id", "bbox"))


class FileBoxes:
    """One file's boxes as flat columns, sorted by image id (stable: file order within an image)."""

    def __init__(self, path: Path, pool: ThreadPoolExecutor):
        parts: dict[str, list[np.ndarray]] = {}
        self.header: dict[str, object] = {}
        for item in parse_on_workers(path, {"annotations": ANN_FIELDS}, pool, finish=_box_columns):
            if isinstance(item, Value):
                self.header[item.key] = item.value
                continue
            bad = item.extra.pop("_bad")
            if bad is not None:
                raise InputError(path, f"bbox {bad[1]} is not four finite numbers", record=f'"annotations"[{int(item.table.column("_index")[bad[0]].as_py())}]')
            for k, v in item.extra.items():
                parts.setdefault(k, []).append(v)
        cols = {k: np.concatenate(v) for k, v in parts.items()} or {k: np.zeros(0) for k in _box_column_names()}
        order = np.argsort(cols["image_id"], kind="stable")
        self.columns = {k: v[order] for k, v in cols.items()}
        self.n = len(order)
        self.used = 0  # boxes handed to an image so far

    def for_images(self, image_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """List offsets and box indices (into ``columns``) of the boxes of ``image_ids``."""
        sorted_ids = self.columns["image_id"]
        starts = np.searchsorted(sorted_ids, image_ids, "left")
        ends = np.searchsorted(sorted_ids, image_ids, "right")
        lengths = ends - starts
        offsets = np.zeros(len(image_ids) + 1, dtype=np.int32)
        np.cumsum(lengths, out=offsets[1:])
        index = np.repeat(starts - offsets[:-1], lengths) + np.arange(offsets[-1])
        self.used += int(offsets[-1])
        return offsets, index


def _box_columns(chunk, table: pa.Table) -> dict:
    """On the worker: the chunk's boxes as numpy columns (bbox split into x, y, w, h)."""
    bbox = table.column("bbox").combine_chunks()
    lengths = bbox.value_lengths().fill_null(-1).to_numpy()
    values = bbox.flatten().fill_null(np.nan).to_numpy()
    wrong = np.flatnonzero(lengths != 4)
    if len(wrong) == 0 and len(values) and not np.isfinite(values).all():
        wrong = np.flatnonzero(~np.isfinite(values.reshape(-1, 4)).all(1))
    if len(wrong):
        return {"_bad": (int(wrong[0]), bbox[int(wrong[0])].as_py())}
    xywh = values.reshape(-1, 4)

    def col(name, dtype, fill=0):
        c = table.column(name)
        return c.fill_null(fill).to_numpy().astype(dtype) if c.null_count else c.to_numpy().astype(dtype)

    out = {"x": xywh[:, 0].copy(), "y": xywh[:, 1].copy(), "w": xywh[:, 2].copy(), "h": xywh[:, 3].copy(), "_bad": None}
    for f in record.ANNOTATION:
        if f.name != "bbox":
            out[f.name] = col(f.name, f.column_type.to_pandas_dtype() if f.column_type is not None else np.int64)
    # COCO's own rule for a missing area is w * h; a missing iscrowd is 0
    out["area"] = np.where(table.column("area").is_null().to_numpy(zero_copy_only=False), xywh[:, 2] * xywh[:, 3], out["area"])
    out["iscrowd"] = (col("iscrowd", np.int64) != 0).astype(np.int8)
    return out


def _box_column_names() -> list[str]:
    return ["x", "y", "w", "h"] + [f.name for f in record.ANNOTATION if f.name != "bbox"]


def image_batches(path: Path, pool: ThreadPoolExecutor, split: str, header: dict | None = None) -> Iterator[pa.RecordBatch]:
    """The rows (``SCHEMA``) of one merged json file, a batch per parsed chunk of images; ``header``
    receives the file's other top-level values ("categories", "image_root", ...).

    Two walks of the file: the boxes first (flat columns, sorted by image), then the images, whose
    chunks are joined with their boxes and yielded; memory holds the boxes and one images chunk.
    """
    boxes = FileBoxes(path, pool)
    if header is not None:  # known now: the walk over the boxes met every other top-level value
        header.update(boxes.header)
    c = boxes.columns
    for item in parse_on_workers(path, {"images": IMAGE_FIELDS}, pool):
        if isinstance(item, Value):
            continue
        t = item.table
        ids = t.column("id").to_numpy()
        offsets, index = boxes.for_images(ids)
        off = pa.array(offsets, pa.int32())
        xywh = np.stack([c["x"][index], c["y"][index], c["w"][index], c["h"][index]], 1).reshape(-1)
        values = {f.column: t.column(f.name).combine_chunks().cast(f.column_type) for f in record.IMAGE if f.column is not None}
        values[SPLIT.name] = pa.array([split] * t.num_rows, pa.string())
        for f in record.ANNOTATION:
            if f.name == "bbox":
                flat = pa.FixedSizeListArray.from_arrays(pa.array(xywh, pa.float64()), 4)
            elif f.column is not None:
                flat = pa.array(c[f.name][index], f.column_type)
            else:
                continue
            values[f.column] = pa.ListArray.from_arrays(off, flat)
        arrays = [values[name] for name in SCHEMA.names]
        yield pa.RecordBatch.from_arrays(arrays, schema=SCHEMA)
    if boxes.used != boxes.n:
        raise InputError(path, f"{boxes.n - boxes.used} of {boxes.n} annotations name an image_id that is not in \"images\"", hint="run `bigdet validate` on the merged folder")


class ShardWriter:
    """Writes ``<split>-NNNNN.parquet`` files of about ``shard_bytes``; ``close`` names them ``-of-N``."""

    def __init__(self, folder: Path, split: str, shard_bytes: int, row_group: int):
        self.folder, self.split, self.shard_bytes, self.row_group = folder, split, shard_bytes, row_group
        self.paths: list[Path] = []
        self.writer: pq.ParquetWriter | None = None
        self.sink = None
        self.rows = 0
        self.pending: list[pa.RecordBatch] = []
        self.pending_rows = 0

    def write(self, batch: pa.RecordBatch) -> None:
        self.pending.append(batch)
        self.pending_rows += batch.num_rows
        self.rows += batch.num_rows
        while self.pending_rows >= self.row_group:
            self._flush(self.row_group)

    def _flush(self, rows: int) -> None:
        table = pa.Table.from_batches(self.pending, schema=SCHEMA)
        head, rest = table.slice(0, rows), table.slice(rows)
        self.pending = rest.to_batches()
        self.pending_rows = rest.num_rows
        if self.writer is None:
            path = self.folder / f"{self.split}-{len(self.paths):05d}.parquet"
            self.paths.append(path)
            self.sink = pa.OSFile(str(path), "wb")
            self.writer = pq.ParquetWriter(self.sink, SCHEMA, compression="zstd")
        self.writer.write_table(head, row_group_size=rows)
        if self.sink.tell() >= self.shard_bytes:
            self._close_shard()

    def _close_shard(self) -> None:
        self.writer.close()
        self.sink.close()
        self.writer = self.sink = None

    def close(self) -> list[Path]:
        if self.pending_rows:
            self._flush(self.pending_rows)
        if self.writer is not None:
            self._close_shard()
        if not self.paths and self.rows == 0:
            return []
        final = []
        for k, path in enumerate(self.paths):
            named = path.with_name(f"{self.split}-{k:05d}-of-{len(self.paths):05d}.parquet")
            path.rename(named)
            final.append(named)
        return final


def write(merged: Merged, staging: Path, *, shard_bytes: int = SHARD_BYTES, row_group: int = ROW_GROUP_IMAGES) -> dict:
    folder = staging / DATA_DIR
    folder.mkdir()
    writers: dict[str, ShardWriter] = {}
    counts: dict[str, dict] = {}
    categories = None
    image_root = None
    with ThreadPoolExecutor(2) as pool:
        for path in merged.files:
            split = merged.split_of(path)
            writer = writers.setdefault(split, ShardWriter(folder, split, shard_bytes, row_group))
            n_images = n_boxes = 0
            header: dict = {}
            for batch in image_batches(path, pool, split, header):
                writer.write(batch)
                n_images += batch.num_rows
                n_boxes += len(batch.column(BOX_COUNT_COLUMN).flatten())
            if categories is None:
                categories = header.get("categories")
            elif header.get("categories") != categories:
                raise InputError(path, "its categories differ from those of the other files", hint="export one merge's output at a time")
            root = header.get("image_root")
            if isinstance(root, str):
                image_root = image_root or root
            counts[path.name] = {"split": split, "images": n_images, "boxes": n_boxes}
    shards = {split: [p.name for p in w.close()] for split, w in writers.items()}
    (staging / "categories.json").write_text(json.dumps(categories or [], indent=1, sort_keys=True) + "\n")
    return {
        "schema_version": SCHEMA_VERSION,
        "image_root": image_root,
        "files": counts,
        "shards": shards,
        "images": sum(c["images"] for c in counts.values()),
        "boxes": sum(c["boxes"] for c in counts.values()),
    }
