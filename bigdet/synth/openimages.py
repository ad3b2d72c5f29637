"""Synthetic Open Images files: the real 601 classes and hierarchy, hex ImageIDs, normalized boxes.

Quirks reproduced: train boxes in 21 columns (XClick points, -1 for non-xclick boxes, values as
``%.6f``), val/test boxes in 13 columns (values in shortest form); no image sizes anywhere but
``image_sizes.csv`` (which real downloads lack; delete it to make bigdet read image headers);
image-level labels with verified negatives and positives that have no box; a metadata file with
``Rotation`` mostly empty or ``0.0``; the class file without header (V6 style).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from bigdet.taxonomy.reference import openimages_classes

from .common import atomic_open, boxes_in_images, boxes_per_image, clustered_classes, group_boxes, image_of_box, pick_sizes, scaled, write_jpegs, zipf_weights

SIZES = {"train": (1_743_042, 14_610_229), "val": (41_620, 303_980), "test": (125_436, 937_327)}
BOX_FILE = {"train": "oidv6-train-annotations-bbox.csv", "val": "validation-annotations-bbox.csv", "test": "test-annotations-bbox.csv"}
LABEL_FILE = {
    "train": "oidv6-train-annotations-human-imagelabels-boxable.csv",
    "val": "validation-annotations-human-imagelabels-boxable.csv",
    "test": "test-annotations-human-imagelabels-boxable.csv",
}
META_FILE = {"train": "train-images-boxable-with-rotation.csv", "val": "validation-images-with-rotation.csv", "test": "test-images-with-rotation.csv"}
FOLDER = {"train": "train", "val": "validation", "test": "test"}
HEADER13 = "ImageID,Source,LabelName,Confidence,XMin,XMax,YMin,YMax,IsOccluded,IsTruncated,IsGroupOf,IsDepiction,IsInside"
XCLICK = "XClick1X,XClick2X,XClick3X,XClick4X,XClick1Y,XClick2Y,XClick3Y,XClick4Y"
META_HEADER = "ImageID,Subset,OriginalURL,OriginalLandingURL,License,AuthorProfileURL,Author,Title,OriginalSize,OriginalMD5,Thumbnail300KURL,Rotation"
#: The most frequent Open Images box classes, roughly in order; the rest follow a Zipf tail.
FREQUENT = ["Man", "Woman", "Person", "Clothing", "Human face", "Tree", "Footwear", "Human hair", "Window", "Car", "Wheel",
            "Building", "Human arm", "Girl", "Human head", "Plant", "Boy", "Flower", "Human nose", "Land vehicle"]
SIZES_WH = [(1024, 768), (1024, 683), (768, 1024), (1024, 576), (683, 1024), (1024, 1024), (1024, 678)]
SIZES_P = [35, 25, 12, 10, 8, 5, 5]
CHUNK = 500_000


def class_weights(names: list[str], rng: np.random.Generator) -> np.ndarray:
    order = [names.index(n) for n in FREQUENT if n in names]
    rest = [i for i in rng.permutation(len(names)).tolist() if i not in order]
    ranked = order + rest
    weights = np.empty(len(names))
    weights[ranked] = zipf_weights(len(names), 1.05)
    return weights


def generate(root: Path, scale: float, seed: int, images: bool, reference_hierarchy: Path) -> dict:
    rng = np.random.default_rng(seed + 600)
    classes = openimages_classes()
    mids = np.array([m for m, _ in classes])
    weights = class_weights([n for _, n in classes], rng)
    root.mkdir(parents=True, exist_ok=True)
    with atomic_open(root / "class-descriptions-boxable.csv") as f:
        f.write("".join(f"{m},{_csv(n)}\n" for m, n in classes))
    shutil.copyfile(reference_hierarchy, root / "bbox_labels_600_hierarchy.json")
    summary = {}
    size_rows = []
    for split in ("train", "val", "test"):
        info, sizes = _write_split(root, rng, split, scale, mids, weights, images, seed)
        summary[split] = info
        size_rows.append(sizes)
    with atomic_open(root / "image_sizes.csv") as f:
        f.write("ImageID,width,height\n")
        for keys, w, h in size_rows:
            f.write("".join(f"{k},{a},{b}\n" for k, a, b in zip(keys, w.tolist(), h.tolist())))
    return summary


def _csv(text: str) -> str:
    return f'"{text}"' if "," in text or '"' in text else text


def _write_split(root, rng, split, scale, mids, weights, images, seed):
    n = scaled(SIZES[split][0], scale)
    n_boxes = scaled(SIZES[split][1], scale)
    keys = np.array([f"{v:016x}" for v in rng.integers(0, 2**63, size=n, dtype=np.int64).tolist()])
    width, height = pick_sizes(rng, n, SIZES_WH, SIZES_P)
    counts = boxes_per_image(rng, n, n_boxes, dispersion=0.7)
    img = image_of_box(counts)
    cls = clustered_classes(rng, counts, weights)
    xywh = boxes_in_images(rng, width[img].astype(float), height[img].astype(float))
    m = len(img)
    xmin, ymin = xywh[:, 0] / width[img], xywh[:, 1] / height[img]
    xmax, ymax = np.minimum(xmin + xywh[:, 2] / width[img], 1.0), np.minimum(ymin + xywh[:, 3] / height[img], 1.0)
    train = split == "train"
    source = np.where(rng.random(m) < (0.1 if train else 0.0), "activemil", "xclick")
    attrs = [(rng.random(m) < p).astype(int) for p in (0.45, 0.3, 0.06, 0.05, 0.01)]
    unknown = (source == "activemil") & (rng.random(m) < 0.5)
    for a in (attrs[0], attrs[1], attrs[3], attrs[4]):
        a[unknown] = -1
    with atomic_open(root / BOX_FILE[split]) as f:
        f.write(HEADER13 + ("," + XCLICK if train else "") + "\n")
        for start in range(0, m, CHUNK):
            sl = slice(start, start + CHUNK)
            base = [keys[img[sl]].tolist(), source[sl].tolist(), mids[cls[sl]].tolist()]
            coords = [xmin[sl], xmax[sl], ymin[sl], ymax[sl]]
            flags = [a[sl].tolist() for a in attrs]
            if train:
                clicks = _xclicks(rng, *coords, source[sl] == "xclick")
                fmt = "%s,%s,%s,1," + ",".join(["%.6f"] * 4) + ",%d,%d,%d,%d,%d," + ",".join(["%s"] * 8) + "\n"
                rows = zip(*base, *(c.tolist() for c in coords), *flags, *clicks)
            else:
                fmt = "%s,%s,%s,1,%s,%s,%s,%s,%d,%d,%d,%d,%d\n"
                rows = zip(*base, *(np.char.mod('%s', c.astype(np.float32)).tolist() for c in coords), *flags)
            f.write("".join(fmt % r for r in rows))
    _write_labels(root / LABEL_FILE[split], rng, keys, img, cls, mids, weights)
    _write_metadata(root / META_FILE[split], rng, keys, FOLDER[split])
    if images:
        paths = [root / FOLDER[split] / f"{k}.jpg" for k in keys.tolist()]
        write_jpegs(paths, width, height, group_boxes(img, xywh), seed)
        return {"images": n, "boxes": int(m), "image_files": paths}, (keys.tolist(), width, height)
    return {"images": n, "boxes": int(m)}, (keys.tolist(), width, height)


def _xclicks(rng, xmin, xmax, ymin, ymax, is_xclick) -> list[list[str]]:
    """Extreme points of each box: one on each side, in shuffled order; -1 for non-xclick boxes."""
    n = len(xmin)
    xs = np.stack([xmin, xmax, xmin + (xmax - xmin) * rng.random(n), xmin + (xmax - xmin) * rng.random(n)], axis=1)
    ys = np.stack([ymin + (ymax - ymin) * rng.random(n), ymin + (ymax - ymin) * rng.random(n), ymin, ymax], axis=1)
    order = np.argsort(rng.random((n, 4)), axis=1)
    xs = np.take_along_axis(xs, order, 1)
    ys = np.take_along_axis(ys, order, 1)
    text = np.char.mod("%.6f", np.concatenate([xs, ys], axis=1))
    text[~is_xclick] = "-1"
    return [text[:, k].tolist() for k in range(8)]


def _write_labels(path, rng, keys, img, cls, mids, weights):
    """Verified positives for the boxed classes (plus some without boxes) and verified negatives."""
    pairs = np.unique(img.astype(np.int64) * 1000 + cls)
    pos_img, pos_cls = pairs // 1000, pairs % 1000
    n = len(keys)
    extra_pos = rng.random(n) < 0.3
    neg_count = rng.poisson(2.5, size=n)
    neg_img = np.repeat(np.arange(n), neg_count)
    neg_cls = rng.choice(len(mids), size=len(neg_img), p=weights)
    present = set(pairs.tolist())
    keep = np.array([i * 1000 + c not in present for i, c in zip(neg_img.tolist(), neg_cls.tolist())], dtype=bool)
    neg_img, neg_cls = neg_img[keep], neg_cls[keep]
    extra_img = np.flatnonzero(extra_pos)
    extra_cls = rng.choice(len(mids), size=len(extra_img), p=weights)
    rows = np.concatenate(
        [
            np.stack([pos_img, pos_cls, np.ones_like(pos_img)], 1),
            np.stack([extra_img, extra_cls, np.ones_like(extra_img)], 1),
            np.stack([neg_img, neg_cls, np.zeros_like(neg_img)], 1),
        ]
    )
    rows = rows[np.lexsort((rows[:, 1], rows[:, 0]))]
    source = np.where(rng.random(len(rows)) < 0.8, "verification", "crowdsource-verification")
    with atomic_open(path) as f:
        f.write("ImageID,Source,LabelName,Confidence\n")
        f.write("".join(f"{k},{s},{m},{c}\n" for k, s, m, c in zip(keys[rows[:, 0]].tolist(), source.tolist(), mids[rows[:, 1]].tolist(), rows[:, 2].tolist())))


def _write_metadata(path, rng, keys, subset):
    rotation = rng.choice(["", "0.0", "90.0", "180.0", "270.0"], size=len(keys), p=[0.55, 0.43, 0.01, 0.005, 0.005])
    sizes = rng.integers(100_000, 5_000_000, size=len(keys))
    with atomic_open(path) as f:
        f.write(META_HEADER + "\n")
        f.write(
            "".join(
                f"{k},{subset},https://farm{1 + i % 9}.staticflickr.com/{k[:4]}/{k}_o.jpg,https://www.flickr.com/photos/x/{k},"
                f"https://creativecommons.org/licenses/by/2.0/,https://www.flickr.com/people/x/,Author,Title,{s},,,{r}\n"
                for i, (k, s, r) in enumerate(zip(keys.tolist(), sizes.tolist(), rotation.tolist()))
            )
        )
