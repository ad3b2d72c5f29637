"""Training-side access to a ``bigdet export --format parquet`` folder, memory-mapped, without json.

``BigDetDataset(folder, split)`` behaves like a list of detectron2-style dicts::

    {"file_name": "/abs/path/img.jpg", "height": 480, "width": 640, "image_id": 17,
     "annotations": [{"bbox": [x, y, w, h], "bbox_mode": 1, "category_id": 5, "iscrowd": 0}, ...],
     "neg_category_ids": [...], "not_exhaustive_category_ids": [...], "source": "lvis"}

``bbox_mode`` 1 is detectron2's ``BoxMode.XYWH_ABS`` (absolute pixels, as in the json). Category ids
are the merged json's ids, or with ``contiguous_ids=True`` 0-based indices into the categories sorted
by id (what detectron2 and MMDetection models expect; the label-set lists are mapped the same way).

Why not the json: ``json.load`` of the full Objects365 train file takes tens of GB, and each dataloader
worker holds its own copy of the Python objects. Here the split's Parquet shards are converted once
into an uncompressed Arrow IPC file (``FOLDER/.cache/<split>.arrow``, rebuilt when the shards change)
and memory-mapped: items are built on access from the mapped buffers, pickling the dataset pickles
only its arguments, and worker processes map the same file, so they share its pages through the
page cache instead of each holding a copy.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .errors import InputError

XYWH_ABS = 1  # detectron2.structures.BoxMode.XYWH_ABS, without importing detectron2
CACHE_DIR = ".cache"
CACHE_BATCH_ROWS = 1 << 20  # rows per IPC record batch: keeps every list's int32 offsets far from overflow


def _export_report(folder: Path) -> dict:
    path = folder / "export_report.json"
    if not path.exists():
        raise InputError(folder, "no export_report.json", hint="give a folder written by `bigdet export OUT --format parquet`")
    report = json.loads(path.read_text())
    if report.get("format") != "parquet":
        raise InputError(path, f"this is a {report.get('format')!r} export, not parquet", hint="run `bigdet export OUT --format parquet`")
    return report


def categories(folder: str | Path) -> list[dict]:
    """The merged categories (id, name, ...) of a parquet export, sorted by id."""
    return sorted(json.loads((Path(folder) / "categories.json").read_text()), key=lambda c: c["id"])


def _shards(folder: Path, split: str, report: dict) -> list[Path]:
    names = report.get("shards", {}).get(split)
    if not names:
        raise InputError(folder, f"no {split!r} split", hint=f"splits here: {', '.join(report.get('shards', {})) or 'none'}")
    return [folder / "data" / n for n in names]


def _cache(folder: Path, split: str, shards: list[Path], cache_dir: Path | None) -> Path:
    """The split as one uncompressed Arrow IPC file, (re)built from the shards when they changed."""
    where = Path(cache_dir) if cache_dir is not None else folder / CACHE_DIR
    path = where / f"{split}.arrow"
    key = json.dumps([[p.name, p.stat().st_size, p.stat().st_mtime_ns] for p in shards])
    key_file = path.with_name(path.name + ".key")
    if path.exists() and key_file.exists() and key_file.read_text() == key:
        return path
    where.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    schema = pq.read_schema(shards[0])
    with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, schema) as writer:
        for shard in shards:
            for batch in pq.ParquetFile(shard).iter_batches(batch_size=CACHE_BATCH_ROWS):
                writer.write_batch(batch)
    os.replace(tmp, path)
    key_file.write_text(key)
    return path


def _view(array: np.ndarray) -> memoryview:
    """A typed memoryview of a (mapped) numpy array: indexing and ``[a:b].tolist()`` on it give Python
    values several times faster than numpy's scalar and slice machinery, which dominates an item."""
    return memoryview(np.ascontiguousarray(array))


class _Strings:
    """Zero-copy view of a string column: offsets and bytes straight from the mapped buffers."""

    def __init__(self, array: pa.Array):
        validity, offsets, data = array.buffers()
        self.offsets = _view(np.frombuffer(offsets, dtype=np.int32)[array.offset : array.offset + len(array) + 1])
        self.data = memoryview(data) if data is not None else memoryview(b"")
        self.valid = None if array.null_count == 0 else array.is_valid().to_numpy(zero_copy_only=False)

    def get(self, i: int) -> str | None:
        if self.valid is not None and not self.valid[i]:
            return None
        return str(self.data[self.offsets[i] : self.offsets[i + 1]], "utf-8")


def _list(array: pa.Array) -> tuple[memoryview, pa.Array]:
    """Offsets and values of a list column (a null list reads as empty: the export writes none)."""
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)[array.offset : array.offset + len(array) + 1]
    return _view(offsets), array.values


class _Batch:
    """The views of one mapped record batch that items are built from (no copies)."""

    def __init__(self, batch: pa.RecordBatch):
        col = batch.column
        self.size = batch.num_rows
        self.image_id = _view(col("image_id").to_numpy())
        self.width = _view(col("width").to_numpy())
        self.height = _view(col("height").to_numpy())
        self.file_name = _Strings(col("file_name"))
        self.source = _Strings(col("source"))
        self.neg_off, neg = _list(col("neg_category_ids"))
        self.neg = _view(neg.to_numpy())
        self.nex_off, nex = _list(col("not_exhaustive_category_ids"))
        self.nex = _view(nex.to_numpy())
        self.box_off, cats = _list(col("category_id"))
        self.category_id = _view(cats.to_numpy())
        _, bbox = _list(col("bbox"))
        self.bbox = _view(bbox.values.to_numpy().reshape(-1, 4))
        _, crowd = _list(col("iscrowd"))
        self.iscrowd = _view(crowd.to_numpy())


class BigDetDataset:
    """A split of a parquet export as a sequence of detectron2-style dicts (see the module docstring).

    ``image_root`` overrides the root the merge recorded (images moved); ``keep_empty=False`` drops
    images without boxes and ``min_size`` images whose shorter side is under that many pixels (the
    filter BigDetection's trainer applies before its sampler: ``keep_empty=False, min_size=32``).
    """

    def __init__(
        self,
        folder: str | Path,
        split: str = "train",
        *,
        image_root: str | Path | None = None,
        cache_dir: str | Path | None = None,
        contiguous_ids: bool = False,
        keep_empty: bool = True,
        min_size: int = 0,
    ):
        self._args = dict(folder=str(folder), split=split, image_root=None if image_root is None else str(image_root),
                          cache_dir=None if cache_dir is None else str(cache_dir), contiguous_ids=contiguous_ids, keep_empty=keep_empty, min_size=min_size)
        self.folder = Path(folder)
        self.split = split
        report = _export_report(self.folder)
        root = image_root if image_root is not None else report.get("image_root") or str(self.folder)
        self._root = str(root).rstrip("/") + "/"
        self.categories = categories(self.folder)
        self._lut: list[int] | None = None
        if contiguous_ids:
            lut = [-1] * (max((c["id"] for c in self.categories), default=0) + 1)
            for k, c in enumerate(self.categories):
                lut[c["id"]] = k
            self._lut = lut
        self.path = _cache(self.folder, split, _shards(self.folder, split, report), cache_dir)
        self._open()
        self._rows = None
        if not keep_empty or min_size > 0:
            keep = np.ones(self._n, dtype=bool)
            for start, b in zip(self._starts, self._batches):
                part = keep[start : start + b.size]
                if not keep_empty:
                    part &= np.diff(np.asarray(b.box_off)) > 0
                if min_size > 0:
                    part &= np.minimum(np.asarray(b.width), np.asarray(b.height)) >= min_size
            self._rows = np.flatnonzero(keep).astype(np.int64)

    def _open(self) -> None:
        self._reader = pa.ipc.open_file(pa.memory_map(str(self.path), "r"))
        self._batches = [_Batch(self._reader.get_batch(k)) for k in range(self._reader.num_record_batches)]
        sizes = [b.size for b in self._batches]
        self._starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        self._n = int(self._starts[-1])

    # -- pickling: the arguments only; the worker maps the same file -----------------------------

    def __getstate__(self) -> dict:
        return self._args

    def __setstate__(self, args: dict) -> None:
        args = dict(args)
        self.__init__(args.pop("folder"), args.pop("split"), **args)

    # -- the sequence ----------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._n if self._rows is None else len(self._rows)

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __getitem__(self, i: int) -> dict:
        n = len(self)
        if not isinstance(i, (int, np.integer)):
            raise TypeError(f"BigDetDataset indices must be integers, not {type(i).__name__}")
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(f"index {i} out of range for {n} images")
        row = int(i) if self._rows is None else int(self._rows[i])
        if len(self._batches) > 1:
            k = int(np.searchsorted(self._starts, row, "right")) - 1
            b, j = self._batches[k], row - int(self._starts[k])
        else:
            b, j = self._batches[0], row
        lo, hi = b.box_off[j], b.box_off[j + 1]
        cats = b.category_id[lo:hi].tolist()
        neg = b.neg[b.neg_off[j] : b.neg_off[j + 1]].tolist()
        nex = b.nex[b.nex_off[j] : b.nex_off[j + 1]].tolist()
        lut = self._lut
        if lut is not None:
            cats, neg, nex = [lut[c] for c in cats], [lut[c] for c in neg], [lut[c] for c in nex]
        return {
            "file_name": self._root + b.file_name.get(j),
            "height": b.height[j],
            "width": b.width[j],
            "image_id": b.image_id[j],
            "annotations": [
                {"bbox": box, "bbox_mode": XYWH_ABS, "category_id": c, "iscrowd": z}
                for box, c, z in zip(b.bbox[lo:hi].tolist(), cats, b.iscrowd[lo:hi].tolist())
            ],
            "neg_category_ids": neg,
            "not_exhaustive_category_ids": nex,
            "source": b.source.get(j),
        }


# -- detectron2 --------------------------------------------------------------------------------


def _torch_class():
    from torch.utils.data import Dataset

    cls = globals().get("_TORCH_CLASS")
    if cls is None:
        cls = type("TorchBigDetDataset", (BigDetDataset, Dataset), {"__module__": __name__})
        globals()["_TORCH_CLASS"] = cls
    return cls


def __getattr__(name: str):
    # created on first use (torch is not a dependency); a name pickle can find in a spawned worker
    if name == "TorchBigDetDataset":
        return _torch_class()
    raise AttributeError(name)


def _as_torch_dataset(dataset: BigDetDataset):
    """The same object as a ``torch.utils.data.Dataset`` when torch is there: detectron2's
    ``get_detection_dataset_dicts`` then uses it as it is instead of copying it into a list."""
    try:
        dataset.__class__ = _torch_class()
    except ImportError:
        pass
    return dataset


def register_detectron2(name: str, folder: str | Path, split: str = "train", **options) -> None:
    """Register a split with detectron2's ``DatasetCatalog`` (and its ``MetadataCatalog``).

    Category ids are made contiguous (``thing_dataset_id_to_contiguous_id`` holds the map, as for
    detectron2's own COCO datasets). detectron2 is imported here, not at bigdet's import.
    """
    from detectron2.data import DatasetCatalog, MetadataCatalog

    options = {**options, "contiguous_ids": True}
    DatasetCatalog.register(name, lambda: _as_torch_dataset(BigDetDataset(folder, split, **options)))
    cats = categories(folder)
    report = _export_report(Path(folder))
    MetadataCatalog.get(name).set(
        thing_classes=[c["name"] for c in cats],
        thing_dataset_id_to_contiguous_id={c["id"]: k for k, c in enumerate(cats)},
        image_root=str(options.get("image_root") or report.get("image_root") or folder),
    )


# -- MMDetection -------------------------------------------------------------------------------


def to_mmdet(record: dict, index: int | None = None) -> dict:
    """One item (with contiguous ids) as an MMDetection 3.x data info: ``instances`` with xyxy
    ``bbox``, ``bbox_label`` and ``ignore_flag`` (1 for crowd boxes, as mmdet's CocoDataset does)."""
    info = {
        "img_path": record["file_name"],
        "img_id": record["image_id"],
        "height": record["height"],
        "width": record["width"],
        "instances": [
            {"bbox": [x, y, x + w, y + h], "bbox_label": a["category_id"], "ignore_flag": int(a["iscrowd"])}
            for a in record["annotations"]
            for x, y, w, h in (a["bbox"],)
        ],
        "neg_category_ids": record["neg_category_ids"],
        "not_exhaustive_category_ids": record["not_exhaustive_category_ids"],
        "source": record["source"],
    }
    if index is not None:
        info["sample_idx"] = index
    return info


def register_mmdet(type_name: str = "BigDetParquetDataset"):
    """Define and register (in mmdet's ``DATASETS``) a dataset type reading a parquet export.

    Config use: ``dict(type="BigDetParquetDataset", ann_file="/path/to/parquet_export", split="train",
    pipeline=[...])``. It subclasses ``mmdet.datasets.BaseDetDataset`` and replaces its data list by
    this module's memory-mapped dataset (``full_init``, ``get_data_info``, ``__len__``), so mmengine's
    serialization of the whole list into every worker is not needed. Returns the class.
    """
    from mmdet.datasets import BaseDetDataset
    from mmdet.registry import DATASETS

    class BigDetParquetDataset(BaseDetDataset):
        def __init__(self, *args, split: str = "train", bigdet_options: dict | None = None, **kwargs):
            self._split = split
            self._bigdet_options = {**(bigdet_options or {}), "contiguous_ids": True}
            self._source = None
            kwargs.setdefault("serialize_data", False)
            super().__init__(*args, **kwargs)

        def full_init(self) -> None:
            if self._fully_initialized:
                return
            self._source = BigDetDataset(self.ann_file, self._split, **self._bigdet_options)
            self._metainfo["classes"] = tuple(c["name"] for c in self._source.categories)
            self._fully_initialized = True

        def load_data_list(self) -> list:
            return []  # not used: items come from the mapped dataset (full_init)

        def __len__(self) -> int:
            self.full_init()
            return len(self._source)

        def get_data_info(self, idx: int) -> dict:
            self.full_init()
            return to_mmdet(self._source[idx], idx)

    BigDetParquetDataset.__name__ = BigDetParquetDataset.__qualname__ = type_name
    DATASETS.register_module(name=type_name, module=BigDetParquetDataset, force=True)
    return BigDetParquetDataset
