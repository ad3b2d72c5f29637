"""The ground truth ``bigdet eval`` scores against, read once into numpy columns.

A merged output folder (its ``annotations/bigdet_val.json``) or any COCO detection json is streamed
on worker threads (``exporters.record.parse_on_workers``, as ``bigdet stats`` does), so a full-size
val set (141K images, ~1.5M boxes, ~25M negative ids) never exists as Python objects.

Label sets per image: ``neg_category_ids`` and ``not_exhaustive_category_ids`` as written by the
merge (or LVIS). An image without these keys (a plain COCO file) is *exhaustive*: every class it has
no box of is verified absent, as COCO assumes.

Frequency buckets (APr / APc / APf): the categories' ``frequency`` field (``r``/``c``/``f``) where
the file has it; else the number of images of each class in the merged train files next to the val
file (rare <= 10, common 11-100, frequent > 100); else (a lone file) the images of each class in the
file itself, and ``frequency_basis`` says so.
"""

from __future__ import annotations

import json
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import InputError
from ..jsonstream import Value
from ..exporters import record
from ..exporters.record import parse_on_workers
from ..sources.registry import NAMES

# The ground truth may be any COCO detection json: less is required, and sizes may be fractional.
IMAGE_FIELDS = record.fields(record.IMAGE, ("id", "width", "height", "source", *record.LABEL_SETS), required=("id",),
                             types={"width": pa.float64(), "height": pa.float64()})
BOX_FIELDS = record.fields(record.ANNOTATION, required=("image_id", "category_id", "bbox"))
TRAIN_FIELDS = record.fields(record.ANNOTATION, ("image_id", "category_id"))
SOURCES = NAMES  # the built-ins' order; users' datasets follow as they appear
FREQUENCIES = ("r", "c", "f")
BUCKET_NAMES = {"r": "rare", "c": "common", "f": "frequent"}


@dataclass
class GroundTruth:
    path: Path
    image_ids: np.ndarray  # sorted unique image ids; everything below indexes into it
    image_size: np.ndarray  # (n, 2) width, height (nan where the file has none)
    image_source: np.ndarray  # int8 code into ``sources`` (-1: none)
    sources: list[str]
    exhaustive: np.ndarray  # bool per image: no label lists (plain COCO)
    neg_keys: np.ndarray  # sorted image_index * K + category_index
    nex_keys: np.ndarray  # sorted image_index * K + category_index
    category_ids: np.ndarray  # sorted
    category_names: list[str]
    frequency: np.ndarray  # per category index: 0 rare, 1 common, 2 frequent
    frequency_basis: str
    train_images: np.ndarray | None  # per category index: train images with the class (None: from the field)
    # boxes, in file order
    box_id: np.ndarray
    box_image: np.ndarray  # image index
    box_cat: np.ndarray  # category index
    box_xywh: np.ndarray  # (n, 4) float64
    box_area: np.ndarray  # the file's area (w * h where absent)
    box_crowd: np.ndarray  # bool

    @property
    def n_images(self) -> int:
        return len(self.image_ids)

    @property
    def n_categories(self) -> int:
        return len(self.category_ids)


def resolve(gt: Path) -> Path:
    """A merged output folder means its val file; a file is itself."""
    gt = Path(gt)
    if gt.is_dir():
        for candidate in (gt / "annotations" / record.VAL_FILE, gt / record.VAL_FILE):
            if candidate.is_file():
                return candidate
        raise InputError(gt, f"no annotations/{record.VAL_FILE} here", hint="give a merged output folder or a COCO json with --gt")
    if not gt.exists():
        raise InputError(gt, "not found")
    return gt


def load(gt: Path, *, pool: ThreadPoolExecutor | None = None, train_files: list[Path] | None = None) -> GroundTruth:
    """Read ``gt`` (a merged output folder or a COCO json); ``train_files`` overrides the search
    for train files next to it (used for frequency buckets when the categories lack ``frequency``)."""
    path = resolve(gt)
    own_pool = pool is None
    pool = pool or ThreadPoolExecutor(2)
    try:
        images, boxes, categories = _read(path, pool)
        cats = _categories(path, categories)
        ground_truth = _assemble(path, images, boxes, cats)
        _frequency(ground_truth, cats, pool, train_files if train_files is not None else _train_files(path))
    finally:
        if own_pool:
            pool.shutdown()
    return ground_truth


def _read(path: Path, pool: ThreadPoolExecutor):
    parts: dict[str, list[pa.Table]] = {"images": [], "annotations": []}
    categories = None
    seen: set[str] = set()
    try:
        for item in parse_on_workers(path, {"images": IMAGE_FIELDS, "annotations": BOX_FIELDS}, pool, finish=_compact):
            seen.add(item.key)
            if isinstance(item, Value):
                if item.key == "categories":
                    categories = item.value
                continue
            parts[item.key].append(item.extra)
    except _RecordProblem as e:
        raise InputError(path, e.what, record=f'"{e.key}"[{e.index}]') from None
    for key in ("images", "annotations", "categories"):
        if key not in seen:
            raise InputError(path, f'the top-level object has no "{key}" array', hint="is this a COCO detection file?")
    if not isinstance(categories, list) or not categories:
        raise InputError(path, '"categories" is not a non-empty array')
    return parts["images"], parts["annotations"], categories


def _compact(chunk, table: pa.Table):
    """On a worker: a parsed chunk to numpy columns (required fields checked, the index kept)."""
    index = table.column("_index").to_numpy()
    if chunk.key == "images":
        _require(table, ("id",), index, "images")
        out = {"id": table.column("id").to_numpy(), "index": index}
        for name in ("width", "height"):
            out[name] = table.column(name).to_numpy(zero_copy_only=False).astype(np.float64)
        out["source"] = table.column("source")
        for name in record.LABEL_SETS:
            column = table.column(name).combine_chunks()
            out[name + "_present"] = column.is_valid().to_numpy(zero_copy_only=False)
            lengths = column.value_lengths().fill_null(0).to_numpy(zero_copy_only=False)
            out[name] = (np.repeat(np.arange(len(lengths)), lengths), pc.list_flatten(column).to_numpy(zero_copy_only=False))
        return out
    _require(table, ("image_id", "category_id", "bbox"), index, "annotations")
    bbox = table.column("bbox").combine_chunks()
    lengths = bbox.value_lengths().to_numpy(zero_copy_only=False)
    if (lengths != 4).any():
        bad = int(np.flatnonzero(lengths != 4)[0])
        return {"error": (index[bad], f"bbox has {lengths[bad]} numbers, not [x, y, w, h]")}
    xywh = pc.list_flatten(bbox).to_numpy(zero_copy_only=False).astype(np.float64).reshape(-1, 4)
    area = table.column("area").to_numpy(zero_copy_only=False).astype(np.float64)
    return {
        "id": table.column("id").fill_null(0).to_numpy(),
        "image_id": table.column("image_id").to_numpy(),
        "category_id": table.column("category_id").to_numpy(),
        "xywh": xywh,
        "area": np.where(np.isnan(area), xywh[:, 2] * xywh[:, 3], area),
        "crowd": table.column("iscrowd").fill_null(0).to_numpy() != 0,
        "index": index,
    }


def _require(table: pa.Table, names: tuple[str, ...], index: np.ndarray, key: str) -> None:
    for name in names:
        column = table.column(name)
        if column.null_count:
            row = int(np.flatnonzero(column.is_null().to_numpy(zero_copy_only=False))[0])
            raise _RecordProblem(key, int(index[row]), f"field {name!r} is absent or null")


class _RecordProblem(Exception):
    def __init__(self, key: str, index: int, what: str):
        super().__init__(what)
        self.key, self.index, self.what = key, index, what


def _categories(path: Path, categories: list) -> list[dict]:
    for i, c in enumerate(categories):
        if not isinstance(c, dict) or not isinstance(c.get("id"), int):
            raise InputError(path, "a category without an integer id", record=f'"categories"[{i}]')
    return sorted(categories, key=lambda c: c["id"])


def _assemble(path: Path, images: list[dict], boxes: list[dict], cats: list[dict]) -> GroundTruth:
    for part in boxes:
        if "error" in part:
            index, what = part["error"]
            raise InputError(path, what, record=f'"annotations"[{index}]')
    cat_ids = np.array([c["id"] for c in cats], dtype=np.int64)
    if len(np.unique(cat_ids)) != len(cat_ids):
        raise InputError(path, "category ids repeat in \"categories\"")
    n_cats = len(cat_ids)
    cat0 = lambda key, dtype: np.concatenate([p[key] for p in images]) if images else np.zeros(0, dtype)  # noqa: E731
    img_ids = cat0("id", np.int64)
    order = np.argsort(img_ids, kind="stable")
    sorted_ids = img_ids[order]
    if len(sorted_ids) > 1 and (dup := np.flatnonzero(sorted_ids[1:] == sorted_ids[:-1])).size:
        raise InputError(path, f"image id {sorted_ids[dup[0]]} appears twice ({dup.size:,} repeated ids)")
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))  # file row -> sorted image index

    names: list[str] = []
    codes = []
    for p in images:
        encoded = p["source"].fill_null("").combine_chunks().dictionary_encode() if len(p["source"]) else None
        if encoded is None:
            continue
        local = np.array([_code(names, n) for n in encoded.dictionary.to_pylist()], dtype=np.int8)
        codes.append(local[encoded.indices.to_numpy(zero_copy_only=False)] if len(local) else np.zeros(0, np.int8))
    raw_source = np.concatenate(codes) if codes else np.zeros(len(img_ids), np.int8)
    sources = [n for n in names]
    image_source = np.full(len(img_ids), -1, dtype=np.int8)
    image_source[position] = np.where(raw_source >= 0, raw_source, -1)
    if "" in sources:  # images without a source field
        image_source[image_source == sources.index("")] = -1

    exhaustive = np.zeros(len(img_ids), dtype=bool)
    exhaustive[position] = ~cat0("neg_category_ids_present", bool)
    label_keys = {}
    offset = 0
    for name in record.LABEL_SETS:
        rows, values, offset = [], [], 0
        for p in images:
            r, v = p[name]
            rows.append(position[r + offset])
            values.append(v)
            offset += len(p["id"])
        rows = np.concatenate(rows) if rows else np.zeros(0, np.int64)
        values = np.concatenate(values) if values else np.zeros(0, np.int64)
        cat_index, found = _lookup(cat_ids, values)
        if not found.all():
            bad = int(np.flatnonzero(~found)[0])
            raise InputError(path, f"{name} names category {values[bad]}, which is not in \"categories\" ({int((~found).sum()):,} such ids)",
                             record=f'image {sorted_ids[rows[bad]]}')
        label_keys[name] = sorted_unique(rows * n_cats + cat_index)

    cat1 = lambda key, dtype, shape=(0,): np.concatenate([p[key] for p in boxes]) if boxes else np.zeros(shape, dtype)  # noqa: E731
    box_image_id = cat1("image_id", np.int64)
    box_index = cat1("index", np.int64)
    image_index, found = _lookup(sorted_ids, box_image_id)
    if not found.all():
        bad = int(np.flatnonzero(~found)[0])
        raise InputError(path, f"image_id {box_image_id[bad]} is not in \"images\" ({int((~found).sum()):,} such boxes)", record=f'"annotations"[{box_index[bad]}]')
    box_cat_id = cat1("category_id", np.int64)
    cat_index, found = _lookup(cat_ids, box_cat_id)
    if not found.all():
        bad = int(np.flatnonzero(~found)[0])
        raise InputError(path, f"category_id {box_cat_id[bad]} is not in \"categories\" ({int((~found).sum()):,} such boxes)", record=f'"annotations"[{box_index[bad]}]')
    xywh = cat1("xywh", np.float64, (0, 4))
    return GroundTruth(
        path=path,
        image_ids=sorted_ids,
        image_size=np.stack([cat0("width", np.float64), cat0("height", np.float64)], 1)[order] if len(order) else np.zeros((0, 2)),
        image_source=image_source,
        sources=sources,
        exhaustive=exhaustive,
        neg_keys=label_keys["neg_category_ids"],
        nex_keys=label_keys["not_exhaustive_category_ids"],
        category_ids=cat_ids,
        category_names=[str(c.get("name", c["id"])) for c in cats],
        frequency=np.zeros(n_cats, dtype=np.int8),
        frequency_basis="",
        train_images=None,
        box_id=cat1("id", np.int64),
        box_image=image_index,
        box_cat=cat_index,
        box_xywh=xywh,
        box_area=cat1("area", np.float64),
        box_crowd=cat1("crowd", bool),
    )


def _code(names: list[str], name: str) -> int:
    if name not in names:
        names.append(name)
    return names.index(name)


def sorted_unique(keys: np.ndarray) -> np.ndarray:
    """np.unique of int64 keys by one sort: numpy 2.4's np.unique takes a hash path that is many
    times slower on millions of keys (the negative label keys were ~9% of a --scale 0.05 run)."""
    keys = np.sort(keys)
    return keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys


def _lookup(sorted_values: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of each value in ``sorted_values`` and whether it is there."""
    if len(sorted_values) == 0:
        return np.zeros(len(values), dtype=np.int64), np.zeros(len(values), dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_values, values), len(sorted_values) - 1)
    return pos, sorted_values[pos] == values


def bucket_of_image_counts(counts: np.ndarray) -> np.ndarray:
    """LVIS buckets by images per class: rare <= 10, common 11-100, frequent > 100."""
    return np.where(counts <= 10, 0, np.where(counts <= 100, 1, 2)).astype(np.int8)


def _train_files(val: Path) -> list[Path]:
    return sorted(p for p in val.parent.glob("*_train.json") if p != val)


def _frequency(gt: GroundTruth, cats: list[dict], pool: ThreadPoolExecutor, train_files: list[Path]) -> None:
    given = [c.get("frequency") for c in cats]
    if all(f in FREQUENCIES for f in given):
        gt.frequency = np.array([FREQUENCIES.index(f) for f in given], dtype=np.int8)
        gt.frequency_basis = "the categories' frequency field"
        return
    if train_files:
        counts = _cached_train_counts(gt.path, train_files, gt.category_ids)
        if counts is None:
            counts = np.zeros(gt.n_categories, dtype=np.int64)
            for f in train_files:
                counts += _images_per_class(f, gt.category_ids, pool)
            _cache_train_counts(gt.path, train_files, gt.category_ids, counts)
        gt.frequency_basis = "images per class in " + ", ".join(p.name for p in train_files)
    else:
        keys = sorted_unique(gt.box_image * gt.n_categories + gt.box_cat)
        counts = np.bincount(keys % gt.n_categories, minlength=gt.n_categories) if len(keys) else np.zeros(gt.n_categories, np.int64)
        gt.frequency_basis = f"images per class in {gt.path.name} itself (no train files next to it)"
    gt.train_images = counts
    gt.frequency = bucket_of_image_counts(counts)


TRAIN_COUNTS_CACHE = ".bigdet_eval_train_counts"  # not *.json: stats and validate read every *.json there


def _train_key(train_files: list[Path], cat_ids: np.ndarray) -> dict:
    files = []
    for f in train_files:
        st = f.stat()
        files.append([str(f.resolve()), st.st_size, st.st_mtime_ns])
    return {"files": files, "category_ids": cat_ids.tolist()}


def _cached_train_counts(val: Path, train_files: list[Path], cat_ids: np.ndarray) -> np.ndarray | None:
    """Images per class of the train files, as counted on an earlier run over the same files
    (path, size and modification time) and categories: reading GBs of train files again is most
    of a full-size evaluation's time. None if there is no such count."""
    try:
        cached = json.loads((val.parent / TRAIN_COUNTS_CACHE).read_text())
        if cached.get("key") == _train_key(train_files, cat_ids):
            return np.asarray(cached["counts"], dtype=np.int64)
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    return None


def _cache_train_counts(val: Path, train_files: list[Path], cat_ids: np.ndarray, counts: np.ndarray) -> None:
    """Keep the counts next to the val file (atomically; skipped where the folder is read-only)."""
    text = json.dumps({"key": _train_key(train_files, cat_ids), "counts": counts.tolist()})
    try:
        fd, tmp = tempfile.mkstemp(dir=val.parent, prefix=TRAIN_COUNTS_CACHE, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.replace(tmp, val.parent / TRAIN_COUNTS_CACHE)
    except OSError:
        Path(tmp).unlink(missing_ok=True)


def _images_per_class(path: Path, cat_ids: np.ndarray, pool: ThreadPoolExecutor) -> np.ndarray:
    """Distinct (image, class) pairs per class of a train file: only two fields are parsed."""

    def pairs(chunk, table):
        cat, found = _lookup(cat_ids, table.column("category_id").fill_null(-1).to_numpy())
        keys = table.column("image_id").fill_null(-1).to_numpy()[found] * len(cat_ids) + cat[found]
        return sorted_unique(keys)

    parts = [item.extra for item in parse_on_workers(path, {"annotations": TRAIN_FIELDS}, pool, finish=pairs) if not isinstance(item, Value)]
    keys = sorted_unique(np.concatenate(parts)) if parts else np.zeros(0, np.int64)
    return np.bincount(keys % len(cat_ids), minlength=len(cat_ids))
