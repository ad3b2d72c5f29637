"""``bigdet validate OUT``: check merged COCO files as a trainer would meet them.

Every file is re-read with the streaming reader (so a several-GB file is checked in flat memory):
image and annotation ids unique across all files, every annotation's image in the same file,
category ids among the file's categories, boxes with positive size inside their images, label
lists that name known categories, no class both negative and not-exhaustive, no negative class
with a box in the image. Files up to ``pycocotools_limit`` bytes are also loaded with pycocotools
(``COCO(path)``), as detectron2 and mmdetection load them; a bigger file is not, because
pycocotools holds everything as Python objects (23M boxes would need well over 12 GB).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .errors import InputError
from .jsonstream import Value, iter_document
from .sources.cocojson import Fields, parse_on_workers

IMAGE_FIELDS = Fields(
    pa.schema(
        [
            ("id", pa.int64()),
            ("width", pa.int64()),
            ("height", pa.int64()),
            ("neg_category_ids", pa.list_(pa.int64())),
            ("not_exhaustive_category_ids", pa.list_(pa.int64())),
        ]
    ),
    required=("id", "width", "height"),
)
ANN_FIELDS = Fields(
    pa.schema([("id", pa.int64()), ("image_id", pa.int64()), ("category_id", pa.int64()), ("bbox", pa.list_(pa.float64()))]),
    required=("id", "image_id", "category_id", "bbox"),
)
TOLERANCE = 1e-6  # boxes were clipped to the image; allow float rounding only


def validate(out: Path, *, pycocotools_limit: int = 512 << 20) -> list[str]:
    """Every problem found in ``OUT/annotations/*.json`` (empty: valid)."""
    files = sorted((Path(out) / "annotations").glob("*.json"))
    if not files:
        return [f"{out}/annotations: no json files"]
    problems: list[str] = _file_list(Path(out))
    seen_images: list[np.ndarray] = []
    seen_anns: list[np.ndarray] = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for path in files:
            try:
                problems += _check_file(path, seen_images, seen_anns, pool)
            except InputError as e:
                problems.append(str(e))
                continue
            if path.stat().st_size <= pycocotools_limit:
                problems += _pycocotools(path)
    for what, parts in (("image", seen_images), ("annotation", seen_anns)):
        ids = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        if len(np.unique(ids)) != len(ids):
            problems.append(f"{what} ids repeat across the files")
    return problems


def _file_list(out: Path) -> list[str]:
    """The files in ``out`` are exactly those merge_report.json says were written: a missing file or a
    stray one (a temporary of another run) means the output is not what the report describes."""
    import json

    try:
        report = json.loads((out / "merge_report.json").read_text())
        expected = {"merge_report.json", "cas_weights.json"} | {f"annotations/{name}" for name in report["files"]}
    except (OSError, ValueError, KeyError, TypeError) as e:
        return [f"{out}/merge_report.json: missing or unreadable ({e}); is this a complete `bigdet merge` output?"]
    present = {p.relative_to(out).as_posix() for p in out.rglob("*") if not p.is_dir()}
    problems = [f"{out}/{name}: listed in merge_report.json but missing" for name in sorted(expected - present)]
    problems += [f"{out}/{name}: not written by this merge (not in merge_report.json)" for name in sorted(present - expected)]
    return problems


SIZE_FIELDS = Fields(pa.schema([("id", pa.int64()), ("width", pa.int64()), ("height", pa.int64())]), required=("id", "width", "height"))


def _chunks(path: Path, key: str, fields: Fields, pool: ThreadPoolExecutor):
    """Parsed tables of one top-level array, chunk by chunk (the other array is skipped unparsed)."""
    for item in parse_on_workers(path, {key: fields}, pool):
        if not isinstance(item, Value):
            yield item.table


def _categories(path: Path) -> list | None:
    for item in iter_document(path, {"images", "annotations"}):
        if isinstance(item, Value) and item.key == "categories":
            return item.value
    return None


def _check_file(path: Path, seen_images: list, seen_anns: list, pool: ThreadPoolExecutor) -> list[str]:
    """Three streaming passes, so memory holds ids and keys, never the records:
    image sizes; annotations against them; image label lists against the boxes."""
    name = path.name
    problems: list[str] = []
    cats = _categories(path)
    if not isinstance(cats, list) or not cats:
        return [f"{name}: no categories"]
    cat_ids = np.array(sorted(c["id"] for c in cats))

    sizes = [t for t in _chunks(path, "images", SIZE_FIELDS, pool)]
    img_ids = np.concatenate([t.column("id").to_numpy() for t in sizes]) if sizes else np.zeros(0, dtype=np.int64)
    width = np.concatenate([t.column("width").to_numpy() for t in sizes]).astype(np.float64) if sizes else np.zeros(0)
    height = np.concatenate([t.column("height").to_numpy() for t in sizes]).astype(np.float64) if sizes else np.zeros(0)
    del sizes
    seen_images.append(img_ids)
    if len(np.unique(img_ids)) != len(img_ids):
        problems.append(f"{name}: image ids repeat")
    if not ((width > 0) & (height > 0)).all():
        problems.append(f"{name}: images with a zero or negative size")
    order = np.argsort(img_ids)
    sorted_ids = img_ids[order]

    boxed_parts, ann_id_parts = [], []
    missing = unknown = outside = 0
    example = {}
    for t in _chunks(path, "annotations", ANN_FIELDS, pool):
        ann_img = t.column("image_id").to_numpy()
        ann_cat = t.column("category_id").to_numpy()
        ann_id_parts.append(t.column("id").to_numpy())
        pos = np.minimum(np.searchsorted(sorted_ids, ann_img), max(len(sorted_ids) - 1, 0))
        found = sorted_ids[pos] == ann_img if len(sorted_ids) else np.zeros(len(ann_img), dtype=bool)
        if not found.all():
            missing += int((~found).sum())
            example.setdefault("missing", ann_img[~found][0])
        known_cat = np.isin(ann_cat, cat_ids)
        if not known_cat.all():
            unknown += int((~known_cat).sum())
            example.setdefault("unknown", ann_cat[~known_cat][0])
        bbox = t.column("bbox").combine_chunks()
        if not (pc.list_value_length(bbox).to_numpy(zero_copy_only=False) == 4).all():
            problems.append(f"{name}: bbox is not [x, y, w, h]")
            continue
        x, y, w, h = pc.list_flatten(bbox).to_numpy().reshape(-1, 4).T
        W, H = width[order[pos]], height[order[pos]]
        bad = ~((w > 0) & (h > 0) & (x >= -TOLERANCE) & (y >= -TOLERANCE) & (x + w <= W * (1 + TOLERANCE)) & (y + h <= H * (1 + TOLERANCE))) & found
        if bad.any():
            outside += int(bad.sum())
            i = int(np.flatnonzero(bad)[0])
            example.setdefault("outside", f"annotation {t.column('id')[i]}: {[x[i], y[i], w[i], h[i]]} in {W[i]:g}x{H[i]:g}")
        boxed_parts.append(ann_img.astype(np.int64) * 4096 + ann_cat)
    if missing:
        problems.append(f"{name}: {missing} annotations name an image not in the file, e.g. image_id {example['missing']}")
    if unknown:
        problems.append(f"{name}: {unknown} annotations with unknown category ids, e.g. {example['unknown']}")
    if outside:
        problems.append(f"{name}: {outside} boxes with no size or outside their image, e.g. {example['outside']}")
    ann_ids = np.concatenate(ann_id_parts) if ann_id_parts else np.zeros(0, dtype=np.int64)
    seen_anns.append(ann_ids)
    if len(np.unique(ann_ids)) != len(ann_ids):
        problems.append(f"{name}: annotation ids repeat")
    boxed = np.unique(np.concatenate(boxed_parts)) if boxed_parts else np.zeros(0, dtype=np.int64)
    del boxed_parts, ann_id_parts

    for t in _chunks(path, "images", IMAGE_FIELDS, pool):
        problems += _check_label_sets(name, t, cat_ids, boxed)
        if len(problems) > 20:
            break
    return problems


def _check_label_sets(name: str, images: pa.Table, cat_ids, boxed) -> list[str]:
    problems = []
    img_ids = images.column("id").to_numpy()
    lists = {}
    for column in ("neg_category_ids", "not_exhaustive_category_ids"):
        col = images.column(column).combine_chunks()
        parents = pc.list_parent_indices(col).to_numpy()
        values = pc.list_flatten(col).to_numpy()
        if not np.isin(values, cat_ids).all():
            problems.append(f"{name}: {column} names unknown categories")
        lists[column] = img_ids[parents].astype(np.int64) * 4096 + values
    if np.isin(lists["neg_category_ids"], lists["not_exhaustive_category_ids"]).any():
        problems.append(f"{name}: a class is both negative and not-exhaustive in an image")
    neg = lists["neg_category_ids"]
    pos = np.minimum(np.searchsorted(boxed, neg), max(len(boxed) - 1, 0))
    clash = boxed[pos] == neg if len(boxed) else np.zeros(len(neg), dtype=bool)
    if clash.any():
        key = int(neg[clash][0])
        problems.append(f"{name}: image {key // 4096} lists category {key % 4096} as negative but has a box of it")
    return problems


def _pycocotools(path: Path) -> list[str]:
    import contextlib
    import io

    from pycocotools.coco import COCO

    try:
        with contextlib.redirect_stdout(io.StringIO()):
            coco = COCO(str(path))
        coco.getAnnIds()
    except Exception as e:  # whatever pycocotools raises is a problem with the file
        return [f"{path.name}: pycocotools cannot load it: {type(e).__name__}: {e}"]
    return []
