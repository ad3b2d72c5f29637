"""``coco``: the merged COCO json itself (written by the merge, ``coco.write_file``), hard-linked (or copied),
plus the class-aware sampling weights in the form BigDetection's training code reads.

Layout (BigDetection's ``configs/_base_/datasets/bigdet_detection.py`` reads ``annotations/``)::

    DEST/annotations/bigdet_*.json      the merged files (hard links: no second copy on one file system)
    DEST/annotations/cas_weights.json   {"<image id>": weight, ...}: one weight per image, in sampler order
    DEST/cas_weights.json               the merge's own file (weights per file, with the image ids)

BigDetection's ``DistributedClassAwareSampler`` takes ``list(json.load(f).values())`` as the weight of
dataset index 0, 1, 2, ... of its training set, which is mmdet's concatenation of
``bigdet_obj_train.json``, ``bigdet_oid_train.json``, ``bigdet_lvis_train.json`` (in that order: Objects365,
Open Images, LVIS) after each ``CocoDataset`` dropped the images without annotations and those whose
shorter side is under 32 px (mmdet 2.x ``_filter_imgs``, ``filter_empty_gt=True``, ``min_size=32``).
So the weights are written in that order, after that filter (``cas_filter=False`` keeps every image,
for a trainer that does not filter). A merge with ``--combined`` has one ``bigdet_train.json``: its order.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..jsonstream import Value
from ..sources import registry
from . import Merged, link_or_copy, record
from .record import parse_on_workers

FORMAT = "coco"
DESCRIPTION = "the merged COCO json files (hard links, or copies across file systems) and BigDetection's cas_weights.json"
MERGE_FILES = ("cas_weights.json",)
#: The training set order of BigDetection's config: Objects365, Open Images, LVIS.
SAMPLER_ORDER = tuple(record.sampler_order(s.train_file for s in registry.BUILTIN))  # then users' datasets, by name
COMBINED = record.COMBINED_TRAIN_FILE
MIN_SIZE = 32  # mmdet 2.x CocoDataset._filter_imgs default

_IMAGES = record.fields(record.IMAGE, ("id", "width", "height"))
_BOXES = record.fields(record.ANNOTATION, ("image_id",))


def write(merged: Merged, staging: Path, *, cas_filter: bool = True) -> dict:
    (staging / "annotations").mkdir()
    for path in merged.files:
        link_or_copy(path, staging / "annotations" / path.name)
    extra = [name for name in MERGE_FILES if (merged.root / name).exists()]
    for name in extra:
        link_or_copy(merged.root / name, staging / name)
    report = {"files": [p.name for p in merged.files] + extra}
    if "cas_weights.json" in extra:
        weights, counts = sampler_weights(merged, cas_filter)
        (staging / "annotations" / "cas_weights.json").write_text(json.dumps(weights))
        report["sampler_weights"] = {"order": list(counts), "filter": f"images with boxes and min(width, height) >= {MIN_SIZE}" if cas_filter else "none", "images": counts}
    return report


def sampler_weights(merged: Merged, cas_filter: bool = True) -> tuple[dict[str, float], dict[str, int]]:
    """{str(image id): weight} in BigDetection's sampler order, and the images kept per file."""
    doc = json.loads((merged.root / "cas_weights.json").read_text())
    per_file = doc.get("files", {})
    names = record.sampler_order(per_file) or [n for n in (COMBINED,) if n in per_file]
    if not names:
        raise InputError(merged.root / "cas_weights.json", f"no train file named; expected {', '.join(SAMPLER_ORDER)} or {COMBINED}")
    out: dict[str, float] = {}
    counts: dict[str, int] = {}
    with ThreadPoolExecutor(2) as pool:
        for name in names:
            ids = np.asarray(per_file[name]["image_ids"], dtype=np.int64)
            w = per_file[name]["weights"]
            if cas_filter:
                keep_ids = _kept_images(merged.root / "annotations" / name, pool)
                if not np.isin(keep_ids, ids).all():
                    raise InputError(merged.root / "cas_weights.json", f"its {name} image ids differ from the json's", hint="the folder mixes files of two merges")
                keep = np.isin(ids, keep_ids)  # in cas_weights' order, which is the json's
            else:
                keep = np.ones(len(ids), dtype=bool)
            for i in np.flatnonzero(keep).tolist():
                out[str(int(ids[i]))] = w[i]
            counts[name] = int(keep.sum())
    return out, counts


def _kept_images(path: Path, pool: ThreadPoolExecutor) -> np.ndarray:
    """Ids of the images mmdet's CocoDataset keeps: with at least one annotation, shorter side >= 32."""
    ids, small, with_boxes = [], [], []
    for item in parse_on_workers(path, {"images": _IMAGES, "annotations": _BOXES}, pool):
        if isinstance(item, Value):
            continue
        t = item.table
        if item.key == "images":
            ids.append(t.column("id").to_numpy())
            small.append(np.minimum(t.column("width").to_numpy(), t.column("height").to_numpy()) < MIN_SIZE)
        else:
            with_boxes.append(np.unique(t.column("image_id").to_numpy()))
    if not ids:
        return np.zeros(0, dtype=np.int64)
    ids_all, small_all = np.concatenate(ids), np.concatenate(small)
    boxed = np.unique(np.concatenate(with_boxes)) if with_boxes else np.zeros(0, dtype=np.int64)
    return np.sort(ids_all[~small_all & np.isin(ids_all, boxed)])
