"""``bigdet synth-predictions``: realistic detector output for a ground-truth file.

For tests and benchmarks of ``bigdet eval``. Like a real detector run with a low score threshold:

* most boxes are found (fewer of the small ones), with position and size jitter; the score rises
  with the overlap between the detection and the box it came from;
* some detections get a wrong class (another class of the image, or any class), some boxes are
  detected twice (a looser, lower-scored duplicate), some are missed;
* each image is filled up to ``per_image`` detections with low-scored false positives: boxes near
  real ones (poor localisation) and background boxes of common classes, many of them classes the
  image does not label at all (what the federated protocol leaves out);
* capped at the best ``per_image`` per image. ``quality`` in [0, 1] moves all of this from a weak
  to a strong detector. The same seed gives the same bytes.

Written as a COCO results json (one list), streamed chunk by chunk; boxes rounded to 0.01 px,
scores to 4 decimals (so tied scores occur, as they do in real results files).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..eval import ground_truth
from ..eval.engine import rank_in_groups

CHUNK = 200_000


def generate(gt_path: Path, out: Path, *, quality: float = 0.6, seed: int = 0, per_image: int = 100) -> dict:
    """Write fake detections for the ground truth ``gt_path`` (a merged output folder or a COCO json) to ``out``."""
    if not 0 <= quality <= 1:
        raise ValueError("quality must be in [0, 1]")
    if per_image < 1:
        raise ValueError("per_image must be at least 1")
    gt = ground_truth.load(gt_path, train_files=[])
    rng = np.random.default_rng(seed)
    n_img, n_cat = gt.n_images, gt.n_categories
    size = gt.image_size.copy()
    # images without a size: the extent of their boxes (or 640 x 480)
    extent = np.zeros((n_img, 2))
    if len(gt.box_image):
        np.maximum.at(extent, gt.box_image, gt.box_xywh[:, :2] + gt.box_xywh[:, 2:])
    size = np.where(np.isfinite(size) & (size > 0), size, np.where(extent > 0, extent, [640.0, 480.0]))

    # 1. true detections: found boxes with jitter, some with a wrong class
    b_img, b_cat, b_xywh = gt.box_image, gt.box_cat.astype(np.int64), gt.box_xywh
    side = np.sqrt(np.maximum(b_xywh[:, 2] * b_xywh[:, 3], 1.0))
    p_find = (0.35 + 0.55 * quality) * np.clip(side / 40.0, 0.35, 1.0)
    found = rng.random(len(b_img)) < p_find
    dup = found & (rng.random(len(b_img)) < 0.15)
    src = np.concatenate([np.flatnonzero(found), np.flatnonzero(dup)])
    loose = np.concatenate([np.ones(found.sum()), np.full(dup.sum(), 2.5)])
    sigma = (0.03 + 0.22 * (1 - quality)) * rng.exponential(1.0, len(src)) * loose
    xywh = _jitter(rng, b_xywh[src], sigma)
    cat = b_cat[src].copy()
    wrong = rng.random(len(src)) < 0.04 + 0.16 * (1 - quality)
    popular = np.bincount(b_cat, minlength=n_cat).astype(np.float64) + 1.0
    cat[wrong] = rng.choice(n_cat, size=int(wrong.sum()), p=popular / popular.sum())
    overlap = _iou(xywh, b_xywh[src])
    noise = rng.normal(0, 0.4 + 0.8 * (1 - quality), len(src))
    score = 1 / (1 + np.exp(-(7.0 * (overlap - 0.55) + 1.5 * quality + noise)))
    score = np.where(wrong, score * 0.5, score) / loose
    img = b_img[src]

    # 2. false positives up to per_image: near real boxes, or background boxes of common classes
    have = np.bincount(img, minlength=n_img)
    fill = np.maximum(per_image - have, 0)
    f_img = np.repeat(np.arange(n_img), fill)
    n_fp = len(f_img)
    near = rng.random(n_fp) < 0.4
    boxes_of = np.bincount(b_img, minlength=n_img)
    near &= boxes_of[f_img] > 0
    f_xywh = np.empty((n_fp, 4))
    f_cat = rng.choice(n_cat, size=n_fp, p=popular / popular.sum())
    if near.any():
        first = np.r_[0, np.cumsum(boxes_of)[:-1]]
        by_image = np.argsort(b_img, kind="stable")
        pick = by_image[first[f_img[near]] + (rng.random(near.sum()) * boxes_of[f_img[near]]).astype(np.int64)]
        f_xywh[near] = _jitter(rng, b_xywh[pick], rng.uniform(0.3, 0.8, near.sum()))
        same = rng.random(near.sum()) < 0.5
        f_cat[np.flatnonzero(near)[same]] = b_cat[pick[same]]
    bg = ~near
    wh = size[f_img[bg]] * np.exp(rng.uniform(np.log(0.03), np.log(0.6), (bg.sum(), 2)))
    f_xywh[bg, 2:] = wh
    f_xywh[bg, :2] = rng.random((bg.sum(), 2)) * np.maximum(size[f_img[bg]] - wh, 1.0)
    f_score = rng.beta(1.0, 6.0, n_fp) * (0.7 - 0.3 * quality)

    img = np.concatenate([img, f_img])
    cat = np.concatenate([cat, f_cat])
    xywh = np.concatenate([xywh, f_xywh])
    score = np.round(np.clip(np.concatenate([score, f_score]), 0.0001, 1.0), 4)
    xywh = _clip(xywh, size[img])

    # 3. the best per_image per image, written image by image (best first, as detectors do)
    order = np.lexsort((-score, img))
    order = order[rank_in_groups(img[order]) < per_image]
    written = _write(out, gt.image_ids[img[order]], gt.category_ids[cat[order]], xywh[order], score[order])
    return {"images": n_img, "boxes": len(b_img), "detections": written}


def _jitter(rng: np.random.Generator, xywh: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    out = np.empty_like(xywh)
    w, h = xywh[:, 2], xywh[:, 3]
    out[:, 0] = xywh[:, 0] + rng.normal(0, 1, len(w)) * sigma * w
    out[:, 1] = xywh[:, 1] + rng.normal(0, 1, len(w)) * sigma * h
    out[:, 2] = w * np.exp(rng.normal(0, 1, len(w)) * sigma)
    out[:, 3] = h * np.exp(rng.normal(0, 1, len(w)) * sigma)
    return out


def _clip(xywh: np.ndarray, size: np.ndarray) -> np.ndarray:
    x0 = np.clip(xywh[:, 0], 0, size[:, 0] - 1)
    y0 = np.clip(xywh[:, 1], 0, size[:, 1] - 1)
    x1 = np.clip(xywh[:, 0] + xywh[:, 2], x0 + 1, size[:, 0])
    y1 = np.clip(xywh[:, 1] + xywh[:, 3], y0 + 1, size[:, 1])
    out = np.round(np.stack([x0, y0, x1 - x0, y1 - y0], 1), 2)
    out[:, 2:] = np.maximum(out[:, 2:], 0.01)
    return out


def _iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    w = np.minimum(a[:, 0] + a[:, 2], b[:, 0] + b[:, 2]) - np.maximum(a[:, 0], b[:, 0])
    h = np.minimum(a[:, 1] + a[:, 3], b[:, 1] + b[:, 3]) - np.maximum(a[:, 1], b[:, 1])
    inter = np.clip(w, 0, None) * np.clip(h, 0, None)
    return inter / (a[:, 2] * a[:, 3] + b[:, 2] * b[:, 3] - inter)


def _write(out: Path, image_id: np.ndarray, category_id: np.ndarray, xywh: np.ndarray, score: np.ndarray) -> int:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    fmt = '{"image_id": %d, "category_id": %d, "bbox": [%.2f, %.2f, %.2f, %.2f], "score": %.4f}'
    n = len(score)
    with open(tmp, "w") as f:
        f.write("[")
        for lo in range(0, n, CHUNK):
            hi = min(n, lo + CHUNK)
            rows = zip(image_id[lo:hi].tolist(), category_id[lo:hi].tolist(), *xywh[lo:hi].T.tolist(), score[lo:hi].tolist())
            f.write((", " if lo else "") + ", ".join(fmt % r for r in rows))
        f.write("]")
    os.replace(tmp, out)
    return n
