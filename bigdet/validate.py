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

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .errors import InputError
from .jsonstream import ArrayChunk, Value, iter_document, parse_chunk
from .sources.cocojson import Fields, make_coercer

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
    problems: list[str] = []
    seen_images: list[np.ndarray] = []
    seen_anns: list[np.ndarray] = []
    for path in files:
        try:
            problems += _check_file(path, seen_images, seen_anns)
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


def _read(path: Path):
    images, anns, values = [], [], {}
    fields = {"images": IMAGE_FIELDS, "annotations": ANN_FIELDS}
    next_index = {"images": 0, "annotations": 0}
    for item in iter_document(path, {"images", "annotations"}):
        if isinstance(item, Value):
            values[item.key] = item.value
            continue
        assert isinstance(item, ArrayChunk)
        item.first_index = next_index[item.key]
        table, bad = parse_chunk(item, fields[item.key].schema, make_coercer(fields[item.key]), path)
        if bad:
            raise InputError(path, f"{len(bad)} malformed {item.key} records, the first at index {bad[0].index}: {bad[0].detail}")
        next_index[item.key] += table.num_rows
        (images if item.key == "images" else anns).append(table)
    cat = lambda parts, schema: pa.concat_tables(parts) if parts else pa.Table.from_pylist([], schema=schema.append(pa.field("_index", pa.int64())))  # noqa: E731
    return cat(images, IMAGE_FIELDS.schema), cat(anns, ANN_FIELDS.schema), values


def _check_file(path: Path, seen_images: list, seen_anns: list) -> list[str]:
    name = path.name
    images, anns, values = _read(path)
    problems = []
    cats = values.get("categories")
    if not isinstance(cats, list) or not cats:
        return [f"{name}: no categories"]
    cat_ids = np.array(sorted(c["id"] for c in cats))
    img_ids = images.column("id").to_numpy()
    seen_images.append(img_ids)
    seen_anns.append(anns.column("id").to_numpy())
    if len(np.unique(img_ids)) != len(img_ids):
        problems.append(f"{name}: image ids repeat")
    width = images.column("width").to_numpy().astype(np.float64)
    height = images.column("height").to_numpy().astype(np.float64)
    if not ((width > 0) & (height > 0)).all():
        problems.append(f"{name}: images with a zero or negative size")
    order = np.argsort(img_ids)
    ann_img = anns.column("image_id").to_numpy()
    pos = np.minimum(np.searchsorted(img_ids[order], ann_img), max(len(img_ids) - 1, 0))
    found = img_ids[order][pos] == ann_img if len(img_ids) else np.zeros(len(ann_img), dtype=bool)
    if not found.all():
        problems.append(f"{name}: {int((~found).sum())} annotations name an image not in the file, e.g. image_id {ann_img[~found][0]}")
    row = order[pos]
    ann_cat = anns.column("category_id").to_numpy()
    if not np.isin(ann_cat, cat_ids).all():
        problems.append(f"{name}: annotations with unknown category ids, e.g. {ann_cat[~np.isin(ann_cat, cat_ids)][0]}")
    bbox = anns.column("bbox").combine_chunks() if anns.num_rows else pa.array([], pa.list_(pa.float64()))
    if anns.num_rows:
        lengths = pc.list_value_length(bbox).to_numpy(zero_copy_only=False)
        if not (lengths == 4).all():
            problems.append(f"{name}: bbox is not [x, y, w, h]")
        else:
            x, y, w, h = pc.list_flatten(bbox).to_numpy().reshape(-1, 4).T
            W, H = width[row], height[row]
            bad = ~((w > 0) & (h > 0) & (x >= -TOLERANCE) & (y >= -TOLERANCE) & (x + w <= W * (1 + TOLERANCE)) & (y + h <= H * (1 + TOLERANCE))) & found
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                problems.append(f"{name}: {int(bad.sum())} boxes with no size or outside their image, e.g. annotation {anns.column('id')[i]}: {[x[i], y[i], w[i], h[i]]} in {W[i]:g}x{H[i]:g}")
    problems += _check_label_sets(name, images, img_ids, ann_img, ann_cat, cat_ids)
    return problems


def _check_label_sets(name: str, images: pa.Table, img_ids, ann_img, ann_cat, cat_ids) -> list[str]:
    problems = []
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
    boxed = ann_img.astype(np.int64) * 4096 + ann_cat
    clash = np.isin(lists["neg_category_ids"], boxed)
    if clash.any():
        key = int(lists["neg_category_ids"][clash][0])
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
