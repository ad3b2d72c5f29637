"""Synthetic Objects365 files, v2 (default) or v1: real category lists, Zipf frequencies by id.

Quirks reproduced (v2): Title-case names with the released typos and trailing spaces;
``file_name`` like ``images/v1/patch8/objects365_v1_00420917.jpg`` (patch0-15 v1, patch16-50 v2);
the three known-missing images listed but never written; some exact duplicate boxes;
``iscrowd`` / ``isfake`` / ``isreflected`` flags. v1: lowercase names, ``categories`` unsorted,
ids different from v2, no ``isfake`` / ``isreflected``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import orjson

from bigdet.taxonomy.reference import objects365_v1_categories, objects365_v2_categories

from .common import atomic_open, boxes_in_images, boxes_per_image, clustered_classes, group_boxes, image_of_box, pick_sizes, scaled, write_jpegs, zipf_weights

SIZES = {"train": (1_742_292, 22_900_000), "val": (80_000, 1_060_000)}
#: v2 names that carry a trailing space in the released json (the fix table strips them).
TRAILING_SPACE = {"Cigar/Cigarette", "Formula 1", "Table Tennis"}
KNOWN_MISSING = ["patch16/objects365_v2_00908726.jpg", "patch6/objects365_v1_00320532.jpg", "patch6/objects365_v1_00320534.jpg"]
SIZES_WH = [(1024, 768), (768, 1024), (1024, 683), (800, 600), (1280, 720), (683, 1024), (640, 480), (1024, 576)]
SIZES_P = [25, 10, 15, 12, 12, 6, 12, 8]
CHUNK = 250_000


def categories(version: str) -> list[dict]:
    if version == "v1":
        return [dict(c) for c in objects365_v1_categories()]
    return [{"id": i, "name": orig + (" " if orig in TRAILING_SPACE else "")} for i, orig, _ in objects365_v2_categories()]


def generate(root: Path, scale: float, seed: int, images: bool, version: str = "v2") -> dict:
    rng = np.random.default_rng(seed + 365)
    cats = categories(version)
    ids_by_rank = np.arange(1, 366)  # Objects365 ids are roughly ordered by frequency (1 = Person)
    weights = zipf_weights(365, 0.9)
    next_image, next_box = 1, 1
    summary = {}
    for split in ("train", "val"):
        n = scaled(SIZES[split][0], scale)
        n_boxes = scaled(SIZES[split][1], scale)
        name = f"zhiyuan_objv2_{split}.json" if version == "v2" else f"objects365_{split}.json"
        info = _write_split(root / name, root / split, rng, split, version, n, n_boxes, cats, ids_by_rank, weights, next_image, next_box, images, seed)
        next_image += n
        next_box += info["boxes"]
        summary[split] = info
    return summary


def _file_names(version: str, split: str, image_ids: np.ndarray, rng) -> list[str]:
    if version == "v1":
        return [f"obj365_{split}_{i:012d}.jpg" for i in image_ids.tolist()]
    patch = rng.integers(0, 51, size=len(image_ids))
    names = [
        f"images/v{1 if p < 16 else 2}/patch{p}/objects365_v{1 if p < 16 else 2}_{i:08d}.jpg" for p, i in zip(patch.tolist(), image_ids.tolist())
    ]
    if split == "train":  # the released train file lists three images that were never shipped
        for k, missing in enumerate(KNOWN_MISSING[: max(0, len(names) - 1)]):
            patch_name, base = missing.split("/")
            names[k] = f"images/{base.split('_')[1]}/{patch_name}/{base}"
    return names


def _write_split(path, image_dir, rng, split, version, n, n_boxes, cats, ids_by_rank, weights, first_image, first_box, images, seed) -> dict:
    image_ids = np.arange(first_image, first_image + n)
    width, height = pick_sizes(rng, n, SIZES_WH, SIZES_P)
    counts = boxes_per_image(rng, n, n_boxes, dispersion=1.0)
    img = image_of_box(counts)
    cat_ids = ids_by_rank[clustered_classes(rng, counts, weights)]
    xywh = boxes_in_images(rng, width[img].astype(float), height[img].astype(float))
    # Some images carry exact duplicate boxes: copy ~0.1% of boxes onto their predecessor.
    dup = np.flatnonzero(rng.random(len(img)) < 0.001)
    dup = dup[(dup > 0) & (img[dup] == img[dup - 1])]
    xywh[dup] = xywh[dup - 1]
    cat_ids[dup] = cat_ids[dup - 1]
    box_ids = np.arange(first_box, first_box + len(img))
    names = _file_names(version, split, image_ids, rng)
    with atomic_open(path) as f:
        f.write('{"images": [')
        if version == "v2":
            fmt = '{"height": %d, "id": %d, "license": %d, "width": %d, "file_name": "%s", "url": ""}'
            rows = zip(height.tolist(), image_ids.tolist(), (1 + image_ids % 8).tolist(), width.tolist(), names)
        else:
            fmt = '{"width": %d, "height": %d, "file_name": "%s", "id": %d}'
            rows = zip(width.tolist(), height.tolist(), names, image_ids.tolist())
        f.write(", ".join(fmt % r for r in rows))
        f.write('], "annotations": [')
        crowd = (rng.random(len(img)) < 0.005).astype(int)
        fake = (rng.random(len(img)) < 0.01).astype(int)
        reflected = (rng.random(len(img)) < 0.005).astype(int)
        if version == "v2":
            fmt = '{"id": %d, "iscrowd": %d, "isfake": %d, "area": %.4f, "isreflected": %d, "bbox": [%.4f, %.4f, %.4f, %.4f], "image_id": %d, "category_id": %d}'
        else:
            fmt = '{"id": %d, "iscrowd": %d, "area": %.4f, "bbox": [%.4f, %.4f, %.4f, %.4f], "image_id": %d, "category_id": %d}'
        for start in range(0, len(img), CHUNK):
            sl = slice(start, start + CHUNK)
            x, y, w, h = (xywh[sl, k] for k in range(4))
            if version == "v2":
                cols = [box_ids[sl], crowd[sl], fake[sl], w * h, reflected[sl], x, y, w, h, image_ids[img[sl]], cat_ids[sl]]
            else:
                cols = [box_ids[sl], crowd[sl], w * h, x, y, w, h, image_ids[img[sl]], cat_ids[sl]]
            if start:
                f.write(", ")
            f.write(", ".join(fmt % r for r in zip(*(c.tolist() for c in cols))))
        f.write('], "categories": ')
        f.write(orjson.dumps(cats).decode().replace('},{', '}, {'))
        f.write(', "licenses": [{"id": 1, "name": "", "url": ""}]}')
    if images:
        keep = [i for i, name in enumerate(names) if "/".join(name.split("/")[-2:]) not in KNOWN_MISSING]
        tails = ["/".join(name.split("/")[-2:]) for name in names]
        boxes = group_boxes(img, xywh)
        paths = [image_dir / tails[i] for i in keep]
        write_jpegs(paths, width[keep], height[keep], {k: boxes.get(i, np.empty((0, 4))) for k, i in enumerate(keep)}, seed)
        return {"images": n, "boxes": int(len(img)), "version": version, "image_files": paths}
    return {"images": n, "boxes": int(len(img)), "version": version}
