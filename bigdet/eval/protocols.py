"""The two protocols of ``bigdet eval``: which detections and boxes each scores, and its numbers.

``coco``: pycocotools' ``COCOeval`` for boxes. Every class is scored on every image; a group's
best 100 detections per (image, class) are kept; crowd boxes are ignored regions; 12 numbers.

``federated``: lvis-api's ``LVISEval``. Per image at most 300 detections (the best, over all
classes); a class is scored on an image only if the image has a box of it (present) or lists it in
``neg_category_ids`` (verified absent); other detections are left out, neither right nor wrong. An
unmatched detection of a class in the image's ``not_exhaustive_category_ids`` is ignored. Images
without label lists are exhaustively labelled (every class is scored). Added to lvis-api: crowd boxes
(``iscrowd`` 1) are crowd regions as in COCO. APr / APc / APf by frequency bucket.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import engine
from .detections import Scored
from .ground_truth import BUCKET_NAMES, FREQUENCIES, GroundTruth

COCO_KEYS = ("AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "ARs", "ARm", "ARl")
FEDERATED_KEYS = ("AP", "AP50", "AP75", "APs", "APm", "APl", "APr", "APc", "APf", "AR@300", "ARs@300", "ARm@300", "ARl@300")
COCO_MAX_DETS = (1, 10, 100)
LVIS_MAX_DETS = 300
PROTOCOLS = ("coco", "federated")


@dataclass
class ProtocolResult:
    name: str
    overall: dict
    per_source: dict[str, dict]
    per_bucket: dict[str, float]  # bucket name -> AP over its classes (overall subset)
    per_class_ap: np.ndarray  # per category index; -1 where undefined
    precision: np.ndarray  # overall subset: (T, R, K, A, M)
    recall: np.ndarray
    counts: dict = field(default_factory=dict)  # detections scored / left out, and why


def _rank_within(keys: np.ndarray, score: np.ndarray, order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sort order by (key, -score, file order) and each row's rank within its key."""
    sort = np.lexsort((order, -score, keys))
    rank = np.empty(len(keys), dtype=np.int64)
    rank[sort] = engine.rank_in_groups(keys[sort])
    return sort, rank


def _subsets(gt: GroundTruth) -> tuple[list[str], list[np.ndarray]]:
    names, masks = ["all"], [np.ones(gt.n_images, dtype=bool)]
    for code, source in enumerate(gt.sources):
        if source and (gt.image_source == code).any():
            names.append(source)
            masks.append(gt.image_source == code)
    return names, masks


def _in_sorted(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    if len(sorted_keys) == 0:
        return np.zeros(len(keys), dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return sorted_keys[pos] == keys


def run(protocol: str, gt: GroundTruth, dt: Scored) -> ProtocolResult:
    n_img, n_cat = gt.n_images, gt.n_categories
    order = np.arange(len(dt), dtype=np.int64)
    image_class = dt.image.astype(np.int64) * n_cat + dt.cat
    counts = {"detections": len(dt)}
    if protocol == "coco":
        _, rank = _rank_within(image_class, dt.score, order)
        keep = rank < COCO_MAX_DETS[-1]
        counts["beyond 100 per image and class (not scored)"] = int((~keep).sum())
        not_exhaustive = None
        max_dets = COCO_MAX_DETS
    elif protocol == "federated":
        _, rank = _rank_within(dt.image.astype(np.int64), dt.score, order)
        keep = rank < LVIS_MAX_DETS
        counts["beyond 300 per image (not scored)"] = int((~keep).sum())
        present = np.unique(gt.box_image.astype(np.int64) * n_cat + gt.box_cat)
        scored = gt.exhaustive[dt.image] | _in_sorted(present, image_class) | _in_sorted(gt.neg_keys, image_class)
        counts["on classes the image does not label (ignored)"] = int((keep & ~scored).sum())
        keep &= scored
        not_exhaustive = _in_sorted(gt.nex_keys, image_class[keep])
        max_dets = (LVIS_MAX_DETS,)
    else:
        raise ValueError(protocol)
    counts["scored"] = int(keep.sum())
    kept = np.flatnonzero(keep)
    d = engine.Boxes(
        group=dt.cat[kept].astype(np.int64) * n_img + dt.image[kept],
        xywh=dt.xywh[kept],
        area=dt.xywh[kept, 2] * dt.xywh[kept, 3],
        order=kept,
    )
    g = engine.Boxes(
        group=gt.box_cat.astype(np.int64) * n_img + gt.box_image,
        xywh=gt.box_xywh,
        area=gt.box_area,
        order=np.arange(len(gt.box_cat), dtype=np.int64),
    )
    names, masks = _subsets(gt)
    acc = engine.evaluate(g, gt.box_crowd, d, dt.score[kept], not_exhaustive, n_img, n_cat, max_dets, masks)
    overall = {}
    per_source = {}
    for name, a in zip(names, acc):
        numbers = _coco_numbers(a) if protocol == "coco" else _federated_numbers(a, gt)
        if name == "all":
            overall = numbers
        else:
            per_source[name] = numbers
    top = acc[0]
    per_class = _per_class_ap(top.precision)
    per_bucket = {
        BUCKET_NAMES[f]: engine.summarize(top.precision, top.recall, categories=np.flatnonzero(gt.frequency == i))
        for i, f in enumerate(FREQUENCIES)
    }
    return ProtocolResult(protocol, overall, per_source, per_bucket, per_class, top.precision, top.recall, counts)


def _coco_numbers(a: engine.Accumulated) -> dict:
    s = lambda **kw: engine.summarize(a.precision, a.recall, **kw)  # noqa: E731
    values = [
        s(), s(iou=0.5), s(iou=0.75), s(area="small"), s(area="medium"), s(area="large"),
        s(kind="ar", max_det_index=0), s(kind="ar", max_det_index=1), s(kind="ar", max_det_index=2),
        s(kind="ar", area="small"), s(kind="ar", area="medium"), s(kind="ar", area="large"),
    ]
    return dict(zip(COCO_KEYS, values))


def _federated_numbers(a: engine.Accumulated, gt: GroundTruth) -> dict:
    s = lambda **kw: engine.summarize(a.precision, a.recall, **kw)  # noqa: E731
    values = [
        s(), s(iou=0.5), s(iou=0.75), s(area="small"), s(area="medium"), s(area="large"),
        *(s(categories=np.flatnonzero(gt.frequency == i)) for i in range(3)),
        s(kind="ar"), s(kind="ar", area="small"), s(kind="ar", area="medium"), s(kind="ar", area="large"),
    ]
    return dict(zip(FEDERATED_KEYS, values))


def _per_class_ap(precision: np.ndarray) -> np.ndarray:
    p = precision[:, :, :, 0, -1]  # (T, R, K), area all, the largest maxDet
    defined = p > -1
    n = defined.sum(axis=(0, 1))
    total = np.where(defined, p, 0).sum(axis=(0, 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, total / np.maximum(n, 1), -1.0)
