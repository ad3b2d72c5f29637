"""``bigdet stats``: describe a merged output or any COCO-format detection json.

Files are streamed (``bigdet.jsonstream``) and reduced chunk by chunk to a few numpy columns, so a
full BigDetection-size set (~39M boxes) is described in flat memory. ``describe`` returns one
JSON-able dict; the CLI renders it as tables, ``--json`` prints it, ``--report DIR`` plots it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .errors import InputError
from .jsonstream import Value, iter_document, parse_chunk
from .sources.cocojson import Fields, make_coercer

IMAGE_FIELDS = Fields(
    pa.schema(
        [
            ("id", pa.int64()),
            ("source", pa.string()),
            ("neg_category_ids", pa.list_(pa.int64())),
            ("not_exhaustive_category_ids", pa.list_(pa.int64())),
        ]
    ),
    required=("id",),
)
ANN_FIELDS = Fields(
    pa.schema([("image_id", pa.int64()), ("category_id", pa.int64()), ("bbox", pa.list_(pa.float64())), ("iscrowd", pa.int64())]),
    required=("image_id", "category_id", "bbox"),
)
SMALL, MEDIUM = 32**2, 96**2  # COCO's area thresholds
BUCKETS = (("rare", 1, 10), ("common", 11, 100), ("frequent", 101, None))  # LVIS, by image count


def json_files(path: Path) -> list[Path]:
    path = Path(path)
    if path.is_dir():
        files = sorted((path / "annotations").glob("*.json")) or sorted(path.glob("*.json"))
        if not files:
            raise InputError(path, "no COCO json files here or in annotations/")
        return files
    if not path.exists():
        raise InputError(path, "not found")
    return [path]


class _File:
    """One COCO file reduced to columns."""

    def __init__(self, path: Path):
        self.path = path
        self.categories: list[dict] = []
        img_id, source, n_neg, n_nex = [], [], [], []
        a_img, a_cat, a_w, a_h, a_crowd = [], [], [], [], []
        index = {"images": 0, "annotations": 0}
        for item in iter_document(path, {"images", "annotations"}):
            if isinstance(item, Value):
                if item.key == "categories" and isinstance(item.value, list):
                    self.categories = item.value
                continue
            fields = IMAGE_FIELDS if item.key == "images" else ANN_FIELDS
            item.first_index = index[item.key]
            table, bad = parse_chunk(item, fields.schema, make_coercer(fields), path)
            if bad:
                raise InputError(path, f"malformed {item.key} record: {bad[0].detail}", record=f'"{item.key}"[{bad[0].index}]')
            index[item.key] += table.num_rows
            if item.key == "images":
                img_id.append(table.column("id").to_numpy())
                source.append(table.column("source").fill_null("").to_numpy(zero_copy_only=False))
                for col, out in (("neg_category_ids", n_neg), ("not_exhaustive_category_ids", n_nex)):
                    out.append(pc.list_value_length(table.column(col)).fill_null(0).to_numpy(zero_copy_only=False))
            else:
                a_img.append(table.column("image_id").to_numpy())
                a_cat.append(table.column("category_id").to_numpy().astype(np.int32))
                flat = pc.list_flatten(table.column("bbox").combine_chunks()).to_numpy()
                if len(flat) != 4 * table.num_rows:
                    raise InputError(path, "a bbox is not [x, y, w, h]")
                xywh = flat.reshape(-1, 4)
                a_w.append(xywh[:, 2].astype(np.float32))
                a_h.append(xywh[:, 3].astype(np.float32))
                a_crowd.append(table.column("iscrowd").fill_null(0).to_numpy().astype(bool))
        cat = lambda parts, dtype: np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)  # noqa: E731
        self.image_id = cat(img_id, np.int64)
        self.source = cat(source, object)
        self.n_neg, self.n_nex = cat(n_neg, np.int64), cat(n_nex, np.int64)
        self.box_image, self.box_cat = cat(a_img, np.int64), cat(a_cat, np.int32)
        self.box_w, self.box_h, self.box_crowd = cat(a_w, np.float32), cat(a_h, np.float32), cat(a_crowd, bool)


def split_of(path: Path) -> str:
    stem = path.stem
    return "val" if stem.endswith("val") else "train" if stem.endswith("train") else stem


def describe(path: Path) -> dict:
    files = [_File(p) for p in json_files(path)]
    categories = next((f.categories for f in files if f.categories), [])
    if not categories:
        raise InputError(path, "no categories in any file")
    names = {c["id"]: c["name"] for c in categories}
    groups = {c["id"]: (c.get("groups") or [c.get("supercategory") or "-"])[0] for c in categories}
    top = max(names) + 1
    sources = sorted({s for f in files for s in f.source.tolist() if s}) or ["-"]
    src_index = {s: i for i, s in enumerate(sources)}

    per_split: dict[str, dict] = {}
    per_source: dict[str, dict] = {}
    instances = np.zeros(top, dtype=np.int64)
    images_with = np.zeros(top, dtype=np.int64)
    by_source = np.zeros((top, len(sources)), dtype=np.int64)
    boxes_per_image, widths, heights, crowd = [], [], [], 0
    with_neg = with_nex = n_images = 0
    for f in files:
        split = split_of(f.path)
        s = per_split.setdefault(split, {"files": [], "images": 0, "boxes": 0})
        s["files"].append(f.path.name)
        s["images"] += len(f.image_id)
        s["boxes"] += len(f.box_cat)
        order = np.argsort(f.image_id)
        raw_pos = np.searchsorted(f.image_id[order], f.box_image)
        pos = np.minimum(raw_pos, max(len(order) - 1, 0))
        # sources as small integer codes per image, then per box by indexing (no per-box Python objects)
        img_code = np.array([src_index.get(x or "-", 0) for x in f.source.tolist()], dtype=np.int64)
        box_code = img_code[order[pos]] if len(order) else np.zeros(0, dtype=np.int64)
        img_per_src = np.bincount(img_code, minlength=len(sources))
        box_per_src = np.bincount(box_code, minlength=len(sources))
        for i, name in enumerate(sources):
            if img_per_src[i] or box_per_src[i]:
                entry = per_source.setdefault(name, {"images": 0, "boxes": 0})
                entry["images"] += int(img_per_src[i])
                entry["boxes"] += int(box_per_src[i])
        valid = (f.box_cat >= 0) & (f.box_cat < top)
        instances += np.bincount(f.box_cat[valid], minlength=top)
        pairs = np.unique(f.box_image[valid].astype(np.int64) * top + f.box_cat[valid])
        images_with += np.bincount((pairs % top).astype(np.int64), minlength=top)
        k = len(sources)
        by_source += np.bincount(f.box_cat[valid].astype(np.int64) * k + box_code[valid], minlength=top * k).reshape(top, k)
        counts = np.bincount(raw_pos, minlength=len(f.image_id)) if len(f.image_id) else np.zeros(0, dtype=np.int64)
        boxes_per_image.append(counts[: len(f.image_id)])
        widths.append(f.box_w)
        heights.append(f.box_h)
        crowd += int(f.box_crowd.sum())
        with_neg += int((f.n_neg > 0).sum())
        with_nex += int((f.n_nex > 0).sum())
        n_images += len(f.image_id)

    bpi = np.concatenate(boxes_per_image) if boxes_per_image else np.zeros(0, dtype=np.int64)
    w = np.concatenate(widths) if widths else np.zeros(0)
    h = np.concatenate(heights) if heights else np.zeros(0)
    area = w.astype(np.float64) * h
    n_boxes = int(len(area))
    with np.errstate(divide="ignore", invalid="ignore"):
        aspect = np.log2(np.where(h > 0, w / h, np.nan))
    cat_rows = []
    for cid in sorted(names):
        cat_rows.append(
            {
                "id": cid,
                "name": names[cid],
                "instances": int(instances[cid]),
                "images": int(images_with[cid]),
                "sources": {s: int(by_source[cid, i]) for i, s in enumerate(sources) if by_source[cid, i]},
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


def _hist(values: np.ndarray, edges: list[float]) -> dict:
    return {"edges": edges, "counts": np.histogram(values, bins=edges)[0].tolist()}
