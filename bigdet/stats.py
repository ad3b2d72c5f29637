"""``bigdet stats``: describe a merged output or any COCO-format detection json.

Files are streamed (``bigdet.jsonstream``) and reduced chunk by chunk to a few numpy columns, so a
full BigDetection-size set (~39M boxes) is described in flat memory. ``describe`` returns one
JSON-able dict; the CLI renders it as tables, ``--json`` prints it, ``--report DIR`` plots it.
"""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .checks import INT64_IDS, category_problem
from .errors import InputError
from .jsonstream import Value
from .outputs import annotation_files
from .exporters import record
from .exporters.record import parse_on_workers, split_of  # noqa: F401  (split_of: stats' API, browse uses it)
from .workers import resolve

IMAGE_FIELDS = record.fields(record.IMAGE, ("id", "source"), required=("id",))  # any COCO file: only ids are required
#: The label lists are only counted (images with a non-empty list), straight from the text:
#: parsing them would build ~300 ids per Objects365 image (half the time of a full-size run).
#: Exact for valid JSON: an unescaped '"key"' cannot occur inside a string value.
LABEL_LISTS = record.LABEL_SETS
_LIST_KEY = {k: re.compile(rb'"%s"\s*:' % k.encode()) for k in LABEL_LISTS}
_LIST_EMPTY = {k: re.compile(rb'"%s"\s*:\s*(?:\[\s*\]|null)' % k.encode()) for k in LABEL_LISTS}
ANN_FIELDS = record.fields(record.ANNOTATION, ("image_id", "category_id", "bbox", "iscrowd"), required=("image_id", "category_id", "bbox"))
SMALL, MEDIUM = 32**2, 96**2  # COCO's area thresholds
BUCKETS = (("rare", 1, 10), ("common", 11, 100), ("frequent", 101, None))  # LVIS, by image count


def json_files(path: Path) -> list[Path]:
    path = Path(path)
    if path.is_dir():
        files = annotation_files(path / "annotations") or annotation_files(path)
        if not files:
            raise InputError(path, "no COCO json files here or in annotations/")
        return files
    if not path.exists():
        raise InputError(path, "not found")
    return [path]


class _File:
    """One COCO file reduced to columns (parsed on the pool's workers: ``parse_on_workers``)."""

    def __init__(self, path: Path, pool: ThreadPoolExecutor):
        self.path = path
        self.categories: list[dict] = []
        self.with_list = dict.fromkeys(LABEL_LISTS, 0)  # images with a non-empty list
        self.sources: list[str] = []  # the source names met in this file; images carry codes into it
        parts: dict[str, list] = {"images": [], "annotations": []}
        fields = {"images": IMAGE_FIELDS, "annotations": ANN_FIELDS}
        for item in parse_on_workers(path, fields, pool, finish=self._columns):
            if isinstance(item, Value):
                if item.key in ("categories", "images", "annotations") and not isinstance(item.value, list):
                    what = "null" if item.value is None else type(item.value).__name__
                    raise InputError(path, f'"{item.key}" is {what}, not an array')
                if item.key == "categories":
                    self.categories = item.value
                    for i, record in enumerate(item.value):
                        problem = category_problem(record, id_range=INT64_IDS, name_types=(str, int, float))
                        if problem:
                            raise InputError(path, problem, record=f'"categories"[{i}]')
                continue
            columns = item.extra
            if item.key == "images":
                ids, codes, names, lists = columns
                remap = np.array([self._source_code(n) for n in names], dtype=np.int64)
                columns = (ids, remap[codes] if len(remap) else codes.astype(np.int64))
                for k, n in lists.items():
                    self.with_list[k] += n
            parts[item.key].append(columns)
        images, boxes = parts["images"], parts["annotations"]
        cat = lambda parts, dtype: np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)  # noqa: E731
        self.image_id = cat([p[0] for p in images], np.int64)
        self.source_code = cat([p[1] for p in images], np.int64)
        self.box_image, self.box_cat = cat([p[0] for p in boxes], np.int64), cat([p[1] for p in boxes], np.int32)
        self.box_w, self.box_h = cat([p[2] for p in boxes], np.float32), cat([p[3] for p in boxes], np.float32)
        self.box_crowd = cat([p[4] for p in boxes], bool)

    def _columns(self, chunk, table: pa.Table):
        """On a worker: one parsed chunk to numpy columns (the label lists counted from its text)."""
        if chunk.key == "images":
            encoded = table.column("source").fill_null("").combine_chunks().dictionary_encode()
            lists = {k: len(_LIST_KEY[k].findall(chunk.text)) - len(_LIST_EMPTY[k].findall(chunk.text)) for k in LABEL_LISTS}
            return table.column("id").to_numpy(), encoded.indices.to_numpy(zero_copy_only=False), encoded.dictionary.to_pylist(), lists
        flat = pc.list_flatten(table.column("bbox").combine_chunks()).to_numpy()
        if len(flat) != 4 * table.num_rows:
            raise InputError(self.path, "a bbox is not [x, y, w, h]")
        xywh = flat.reshape(-1, 4)
        return (
            table.column("image_id").to_numpy(),
            _narrow(table.column("category_id").to_numpy()),
            xywh[:, 2].astype(np.float32),
            xywh[:, 3].astype(np.float32),
            table.column("iscrowd").fill_null(0).to_numpy().astype(bool),
        )

    def _source_code(self, name: str) -> int:
        if name not in self.sources:
            self.sources.append(name)
        return self.sources.index(name)


def _narrow(ids: np.ndarray) -> np.ndarray:
    """Category ids as int32 (half the memory) unless one does not fit: ids are not positions."""
    info = np.iinfo(np.int32)
    return ids.astype(np.int32) if not len(ids) or (info.min <= ids.min() and ids.max() <= info.max) else ids


@dataclass
class _Summary:
    """One file's counts (sources as the file's own codes, ``_File.sources``)."""

    images: int
    boxes: int
    images_per_source: np.ndarray
    boxes_per_source: np.ndarray
    instances: np.ndarray  # per category id
    images_with: np.ndarray  # per category id: images with at least one box of it
    by_source: np.ndarray  # (category id, source code) -> boxes
    boxes_per_image: np.ndarray


def _summarize(f: _File, cat_ids: np.ndarray) -> _Summary:
    """Runs on a worker while the next file is read (numpy's sorts and bincounts release the GIL).

    Classes are counted by their position in the sorted ``cat_ids``, never by the id itself: one
    category id of 10**12 would otherwise size every array by it."""
    top = len(cat_ids)
    k = max(len(f.sources), 1)
    order = np.argsort(f.image_id, kind="stable")
    raw_pos = np.searchsorted(f.image_id[order], f.box_image)
    pos = np.minimum(raw_pos, max(len(order) - 1, 0))
    # sources as small integer codes per image, then per box by indexing (no per-box Python objects)
    img_code = f.source_code if len(f.source_code) else np.zeros(len(f.image_id), dtype=np.int64)
    box_code = img_code[order[pos]] if len(order) else np.zeros(0, dtype=np.int64)
    cat_pos = np.minimum(np.searchsorted(cat_ids, f.box_cat), max(top - 1, 0))
    valid = cat_ids[cat_pos] == f.box_cat if top else np.zeros(len(f.box_cat), dtype=bool)
    cats = cat_pos[valid].astype(np.int64)
    # images per class: distinct (image position, class position) pairs, by sorting one int64 key
    # (faster here than np.unique's hash); both factors are counts of records, so the key fits
    pairs = pos[valid].astype(np.int64) * top + cats
    pairs.sort()
    distinct = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))] if len(pairs) else pairs
    counts = np.bincount(raw_pos, minlength=len(f.image_id)) if len(f.image_id) else np.zeros(0, dtype=np.int64)
    return _Summary(
        images=len(f.image_id),
        boxes=len(f.box_cat),
        images_per_source=np.bincount(img_code, minlength=k),
        boxes_per_source=np.bincount(box_code, minlength=k),
        instances=np.bincount(cats, minlength=top),
        images_with=np.bincount(distinct % top, minlength=top) if top else np.zeros(0, dtype=np.int64),
        by_source=np.bincount(cats * k + box_code[valid], minlength=top * k).reshape(top, k),
        boxes_per_image=counts[: len(f.image_id)],
    )


def describe(path: Path, workers: int | None = None) -> dict:
    files: list[_File] = []
    summaries: list = []
    categories: list[dict] = []
    with ThreadPoolExecutor(max_workers=resolve(workers)) as pool:
        for p in json_files(path):
            f = _File(p, pool)
            files.append(f)
            categories = categories or f.categories
            if categories:  # each file's counts are taken while the next one is read
                cat_ids = np.unique(np.array([c["id"] for c in categories], dtype=np.int64))
                summaries += [pool.submit(_summarize, g, cat_ids) for g in files[len(summaries) :]]
        summaries = [s.result() for s in summaries]
    if not categories:
        raise InputError(path, "no categories in any file")
    top = len(cat_ids)
    row_of = {int(c): i for i, c in enumerate(cat_ids)}  # category id -> its position in the arrays
    names = {c["id"]: _text(c["name"]) for c in categories}
    groups = {c["id"]: _text((c.get("groups") or [c.get("supercategory") or "-"])[0]) for c in categories}
    sources = sorted({s for f in files for s in f.sources if s}) or ["-"]
    src_index = {s: i for i, s in enumerate(sources)}

    per_split: dict[str, dict] = {}
    per_source: dict[str, dict] = {}
    instances = np.zeros(top, dtype=np.int64)
    images_with = np.zeros(top, dtype=np.int64)
    by_source = np.zeros((top, len(sources)), dtype=np.int64)
    boxes_per_image, widths, heights, crowd = [], [], [], 0
    with_neg = with_nex = n_images = 0
    for f, m in zip(files, summaries):
        split = split_of(f.path)
        s = per_split.setdefault(split, {"files": [], "images": 0, "boxes": 0})
        s["files"].append(f.path.name)
        s["images"] += m.images
        s["boxes"] += m.boxes
        to_global = [src_index.get(x or "-", 0) for x in f.sources] or [0]
        for local, g in enumerate(to_global):
            name = sources[g]
            if m.images_per_source[local] or m.boxes_per_source[local]:
                entry = per_source.setdefault(name, {"images": 0, "boxes": 0})
                entry["images"] += int(m.images_per_source[local])
                entry["boxes"] += int(m.boxes_per_source[local])
            by_source[:, g] += m.by_source[:, local]
        instances += m.instances
        images_with += m.images_with
        boxes_per_image.append(m.boxes_per_image)
        widths.append(f.box_w)
        heights.append(f.box_h)
        crowd += int(f.box_crowd.sum())
        with_neg += f.with_list["neg_category_ids"]
        with_nex += f.with_list["not_exhaustive_category_ids"]
        n_images += m.images

    bpi = np.concatenate(boxes_per_image) if boxes_per_image else np.zeros(0, dtype=np.int64)
    w = np.concatenate(widths) if widths else np.zeros(0)
    h = np.concatenate(heights) if heights else np.zeros(0)
    area = w.astype(np.float64) * h
    n_boxes = int(len(area))
    with np.errstate(divide="ignore", invalid="ignore"):
        aspect = np.log2(np.where(h > 0, w / h, np.nan))
    cat_rows = []
    for cid in sorted(names):
        r = row_of[cid]
        cat_rows.append(
            {
                "id": cid,
                "name": names[cid],
                "instances": int(instances[r]),
                "images": int(images_with[r]),
                "sources": {s: int(by_source[r, i]) for i, s in enumerate(sources) if by_source[r, i]},
                "group": groups[cid],
            }
        )
    buckets = {}
    for name, lo, hi in BUCKETS:
        sel = [c for c in cat_rows if c["images"] >= lo and (hi is None or c["images"] <= hi)]
        buckets[name] = {"classes": len(sel), "instances": sum(c["instances"] for c in sel)}
    buckets["absent"] = {"classes": sum(1 for c in cat_rows if c["images"] == 0), "instances": 0}
    rollup: dict[str, int] = {}
    for c in cat_rows:
        rollup[c["group"]] = rollup.get(c["group"], 0) + c["instances"]
    hist_edges = [0, 1, 2, 3, 5, 10, 20, 50, 100, 1_000_000]
    return {
        "path": str(path),
        "images": n_images,
        "boxes": n_boxes,
        "splits": per_split,
        "sources": per_source,
        "categories": cat_rows,
        "frequency_buckets": buckets,
        "boxes_per_image": {
            "mean": float(bpi.mean()) if len(bpi) else 0.0,
            "median": float(np.median(bpi)) if len(bpi) else 0.0,
            "p99": float(np.percentile(bpi, 99)) if len(bpi) else 0.0,
            "max": int(bpi.max()) if len(bpi) else 0,
            "without_boxes": int((bpi == 0).sum()),
            "histogram": {"edges": hist_edges, "counts": np.histogram(bpi, bins=hist_edges)[0].tolist()},
        },
        "box_sizes": {
            "small": int((area < SMALL).sum()),
            "medium": int(((area >= SMALL) & (area < MEDIUM)).sum()),
            "large": int((area >= MEDIUM).sum()),
            "sqrt_area_histogram": _hist(np.sqrt(area), [0, 8, 16, 32, 64, 96, 128, 256, 512, 1024, 1e9]),
        },
        "aspect_ratio": {
            "median_w_over_h": float(2 ** np.nanmedian(aspect)) if n_boxes else 0.0,
            "log2_histogram": _hist(aspect[np.isfinite(aspect)], [-10, -3, -2, -1, -0.5, 0, 0.5, 1, 2, 3, 10]),
        },
        "crowd": {"boxes": crowd, "share": crowd / n_boxes if n_boxes else 0.0},
        "label_sets": {"images_with_negatives": with_neg, "images_with_not_exhaustive": with_nex, "images": n_images},
        "hierarchy_rollup": dict(sorted(rollup.items(), key=lambda kv: -kv[1])),
    }


def _text(value) -> str:
    """A name or group as text: COCO files from elsewhere may give a number (or anything)."""
    return value if isinstance(value, str) else json.dumps(value)


def _hist(values: np.ndarray, edges: list[float]) -> dict:
    return {"edges": edges, "counts": np.histogram(values, bins=edges)[0].tolist()}
