"""``yolo``: the Ultralytics detection layout.

Layout::

    DEST/data.yaml                 train/val image folders (relative to the yaml's folder), names (0-based index -> class name)
    DEST/images/train/<image_id><ext>   symbolic links to the original images (absolute targets)
    DEST/labels/train/<image_id>.txt    one line per box: ``class cx cy w h``, normalized to [0, 1]
    DEST/images/val/..., DEST/labels/val/...

``class`` is the 0-based index of the box's category in the merged ``categories`` sorted by id (the
order of ``names`` in data.yaml). Files are named by the merged image id, which is unique across
sources (original file names are not: COCO and Objects365 both have numeric names). Every image gets
a label file, empty when it has no (exported) box; Ultralytics then treats it as background.

Crowd / group-of boxes (``iscrowd`` 1: Open Images' group-of, LVIS/COCO crowd) are left out, as
Ultralytics' own COCO converter does: YOLO has no crowd flag, and a group box trained as one object
teaches the wrong extent. They are counted in export_report.json (``crowd_left_out``) so that
exported + left out = the boxes of the json. The label sets (negative / not exhaustive) have no YOLO
form either; the parquet export keeps them.

Coordinates are written with Python's shortest round-trip ``repr``, so they convert back to the json's
pixel boxes to within float rounding (not Ultralytics' 6 digits).
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from ..errors import InputError
from . import Merged
from .parquet import image_batches

FORMAT = "yolo"
DESCRIPTION = "Ultralytics layout: images/ as links, labels/*.txt (class cx cy w h), data.yaml"


def write(merged: Merged, staging: Path) -> dict:
    counts: dict[str, dict] = {}
    names: list[str] | None = None
    index_of: np.ndarray | None = None
    splits: list[str] = []
    with ThreadPoolExecutor(2) as pool:
        for path in merged.files:
            split = merged.split_of(path)
            images_dir, labels_dir = staging / "images" / split, staging / "labels" / split
            if split not in splits:
                splits.append(split)
                images_dir.mkdir(parents=True)
                labels_dir.mkdir(parents=True)
            header: dict = {}
            n = {"split": split, "images": 0, "boxes": 0, "crowd_left_out": 0}
            for batch in image_batches(path, pool, split, header):
                if names is None:
                    names, index_of = _names(path, header.get("categories"))
                root = Path(header["image_root"]) if isinstance(header.get("image_root"), str) else path.parent
                n["images"] += batch.num_rows
                _write_batch(batch, root, images_dir, labels_dir, index_of, path, n)
            counts[path.name] = n
    # no "path:" key: Ultralytics then takes the yaml's own folder as the root, so the export can move
    lines = ["# bigdet export --format yolo (Ultralytics layout); pass this file's absolute path as data="]
    for split in splits:
        lines.append(f"{split}: images/{split}")
    lines.append(f"nc: {len(names or [])}")
    lines.append("names:")
    lines += [f"  {k}: {json.dumps(name)}" for k, name in enumerate(names or [])]
    (staging / "data.yaml").write_text("\n".join(lines) + "\n")
    return {
        "files": counts,
        "images": sum(c["images"] for c in counts.values()),
        "boxes": sum(c["boxes"] for c in counts.values()),
        "crowd_left_out": sum(c["crowd_left_out"] for c in counts.values()),
        "names": len(names or []),
    }


def _names(path: Path, categories) -> tuple[list[str], np.ndarray]:
    if not isinstance(categories, list) or not categories:
        raise InputError(path, 'no "categories" array', hint="is this a `bigdet merge` output?")
    cats = sorted(categories, key=lambda c: c["id"])
    index_of = np.full(max(c["id"] for c in cats) + 1, -1, dtype=np.int64)
    index_of[[c["id"] for c in cats]] = np.arange(len(cats))
    return [c["name"] for c in cats], index_of


def _write_batch(batch, root: Path, images_dir: Path, labels_dir: Path, index_of: np.ndarray, path: Path, n: dict) -> None:
    ids = batch.column("image_id").to_numpy()
    names = batch.column("file_name").to_pylist()
    width = batch.column("width").to_numpy().astype(np.float64)
    height = batch.column("height").to_numpy().astype(np.float64)
    offsets = batch.column("category_id").offsets.to_numpy()
    cats = batch.column("category_id").values.to_numpy()
    xywh = batch.column("bbox").values.values.to_numpy().reshape(-1, 4)
    crowd = batch.column("iscrowd").values.to_numpy(zero_copy_only=False)
    if len(cats) and (cats.max() >= len(index_of) or (index_of[cats] < 0).any()):
        bad = int(cats[(cats >= len(index_of)) | (index_of[np.minimum(cats, len(index_of) - 1)] < 0)][0])
        raise InputError(path, f"category_id {bad} is not in \"categories\"")
    per_box_w = np.repeat(width, np.diff(offsets))
    per_box_h = np.repeat(height, np.diff(offsets))
    cx = (xywh[:, 0] + xywh[:, 2] / 2) / per_box_w
    cy = (xywh[:, 1] + xywh[:, 3] / 2) / per_box_h
    nw, nh = xywh[:, 2] / per_box_w, xywh[:, 3] / per_box_h
    cls = index_of[cats].tolist()
    cx, cy, nw, nh = cx.tolist(), cy.tolist(), nw.tolist(), nh.tolist()
    crowd_list = crowd.tolist()
    for i, image_id in enumerate(ids.tolist()):
        name = names[i]
        target = root / name
        os.symlink(os.path.abspath(target), images_dir / f"{image_id}{Path(name).suffix}")
        lines = []
        for k in range(offsets[i], offsets[i + 1]):
            if crowd_list[k]:
                n["crowd_left_out"] += 1
                continue
            lines.append(f"{cls[k]} {cx[k]!r} {cy[k]!r} {nw[k]!r} {nh[k]!r}\n")
        n["boxes"] += len(lines)
        (labels_dir / f"{image_id}.txt").write_text("".join(lines))
