"""Synthetic LVIS v1 files: real categories and frequencies, COCO-style ids and URLs, federated lists.

Quirks reproduced: no ``file_name`` (paths only in ``coco_url``); val images partly from COCO
train2017; ``annotations`` before ``images`` in the document; polygons in ``segmentation``;
``neg_category_ids`` and ``not_exhaustive_category_ids`` on every image.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import orjson

from bigdet.taxonomy.reference import lvis_categories

from .common import atomic_open, boxes_in_images, boxes_per_image, clustered_classes, group_boxes, image_of_box, pick_sizes, scaled, write_jpegs

SIZES = {"train": (100_170, 1_270_141), "val": (19_809, 244_707)}
COCO_SIZES = [(640, 480), (640, 427), (480, 640), (640, 426), (427, 640), (640, 424), (500, 375), (612, 612)]
COCO_SIZE_P = [30, 20, 10, 8, 6, 6, 4, 2]

ANN_FMT = '{"area": %.2f, "id": %d, "segmentation": [[%s]], "image_id": %d, "bbox": [%.2f, %.2f, %.2f, %.2f], "category_id": %d}'
#: Vertices per polygon: LVIS outlines are fine (the real train file is ~1.1 GB for 1.27M boxes).
MEAN_VERTICES = 45
IMG_FMT = (
    '{"date_captured": "2013-11-%02d %02d:%02d:%02d", "neg_category_ids": %s, "id": %d, "license": %d, "height": %d, "width": %d, '
    '"flickr_url": "http://farm%d.staticflickr.com/%d/%d_%s_z.jpg", "coco_url": "http://images.cocodataset.org/%s/%012d.jpg", '
    '"not_exhaustive_category_ids": %s}'
)
CHUNK = 200_000


def generate(root: Path, scale: float, seed: int, images: bool, coco_root: Path) -> dict:
    cats = lvis_categories()
    weights = np.array([c["instance_count"] for c in cats], dtype=np.float64)
    weights /= weights.sum()
    rng = np.random.default_rng(seed)
    n_train, n_val = scaled(SIZES["train"][0], scale), scaled(SIZES["val"][0], scale)
    coco_ids = rng.choice(581_929, size=n_train + n_val, replace=False) + 1
    next_box_id = 1
    summary = {}
    for split, ids in (("train", coco_ids[:n_train]), ("val", coco_ids[n_train:])):
        n_boxes = scaled(SIZES[split][1], scale)
        path = root / f"lvis_v1_{split}.json"
        info = _write_split(path, rng, split, ids, n_boxes, weights, cats, next_box_id, images, coco_root, seed)
        next_box_id += info["boxes"]
        summary[split] = info
    return summary


def _polygons(rng, x, y, w, h) -> list[str]:
    """One outline per box, as the text of its coordinate list: a jittered ellipse inside the box."""
    k = np.clip(rng.gamma(3.0, MEAN_VERTICES / 3.0, size=len(x)).astype(np.int64), 6, 300)
    box = np.repeat(np.arange(len(x)), k)
    start = np.repeat(np.cumsum(k) - k, k)
    angle = 2 * np.pi * (np.arange(len(box)) - start) / k[box]
    radius = 0.5 * (0.8 + 0.2 * rng.random(len(box)))
    px = x[box] + w[box] * (0.5 + radius * np.cos(angle))
    py = y[box] + h[box] * (0.5 + radius * np.sin(angle))
    numbers = np.char.mod("%.2f", np.stack([px, py], axis=1).ravel()).tolist()
    ends = np.cumsum(2 * k).tolist()
    out, begin = [], 0
    for end in ends:
        out.append(", ".join(numbers[begin:end]))
        begin = end
    return out


def _write_split(path, rng, split, ids, n_boxes, weights, cats, first_box_id, images, coco_root, seed) -> dict:
    n = len(ids)
    width, height = pick_sizes(rng, n, COCO_SIZES, COCO_SIZE_P)
    counts = boxes_per_image(rng, n, n_boxes, dispersion=0.8)
    img = image_of_box(counts)
    cls = clustered_classes(rng, counts, weights)
    xywh = np.round(boxes_in_images(rng, width[img].astype(float), height[img].astype(float)), 2)
    xywh[:, 2:] = np.maximum(xywh[:, 2:], 0.01)
    cat_ids = np.array([c["id"] for c in cats])[cls]
    # COCO train2017 or val2017: LVIS val holds both, so the folder is not the split.
    folder = np.where(rng.random(n) < (0.25 if split == "val" else 0.0), "val2017", "train2017")
    present = {}
    for i, c in zip(img.tolist(), cat_ids.tolist()):
        present.setdefault(i, set()).add(c)

    with atomic_open(path) as f:
        f.write('{"info": {"description": "LVIS v1 (synthetic, bigdet synth)", "year": 2020, "version": "1.0"}, "annotations": [')
        ann_ids = np.arange(first_box_id, first_box_id + len(img))
        for start in range(0, len(img), CHUNK):
            sl = slice(start, start + CHUNK)
            x, y, w, h = (xywh[sl, k] for k in range(4))
            area = np.round(w * h * 0.75, 2)
            polygons = _polygons(rng, x, y, w, h)
            cols = [area, ann_ids[sl], polygons, ids[img[sl]], x, y, w, h, cat_ids[sl]]
            rows = zip(*(c if isinstance(c, list) else c.tolist() for c in cols))
            if start:
                f.write(", ")
            f.write(", ".join(ANN_FMT % r for r in rows))
        f.write('], "images": [')
        cat_array = np.array([c["id"] for c in cats])
        parts = []
        for i in range(n):
            here = present.get(i, set())
            neg = [int(c) for c in rng.choice(cat_array, size=rng.poisson(4), p=weights) if c not in here]
            not_exh = [c for c in sorted(here) if rng.random() < 0.08]
            secs = rng.integers(0, 60, 4).tolist()
            parts.append(
                IMG_FMT
                % (
                    1 + secs[0] % 28, secs[1] % 24, secs[2], secs[3],
                    orjson.dumps(sorted(set(neg))).decode().replace(",", ", "),
                    ids[i], 1 + (ids[i] % 8), height[i], width[i],
                    1 + ids[i] % 9, 1000 + ids[i] % 9000, ids[i], "abcdef0123",
                    folder[i], ids[i],
                    orjson.dumps(not_exh).decode().replace(",", ", "),
                )
            )
        f.write(", ".join(parts))
        f.write('], "licenses": [{"url": "http://creativecommons.org/licenses/by-nc-sa/2.0/", "id": 1, "name": "Attribution-NonCommercial-ShareAlike License"}], "categories": ')
        f.write(orjson.dumps(list(cats)).decode())
        f.write("}")
    if images:
        paths = [coco_root / folder[i] / f"{ids[i]:012d}.jpg" for i in range(n)]
        write_jpegs(paths, width, height, group_boxes(img, xywh), seed)
        return {"images": n, "boxes": int(len(img)), "image_files": paths}
    return {"images": n, "boxes": int(len(img))}
