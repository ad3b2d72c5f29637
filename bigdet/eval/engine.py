"""COCOeval's per-image matching and accumulation, as array operations over all images at once.

pycocotools and lvis-api run a Python loop per (image, class, area range) and per detection; at
full BigDetection val size (14M detections) that is hours and tens of GB of Python objects. The
same decisions are made here on numpy columns, reproducing the references' rules exactly:

* Detections are ranked within their (image, class) group by score, ties in file order (the
  references' stable ``mergesort``); ``cap`` keeps the first ones (COCO's maxDets[-1] = 100).
* Greedy matching per IoU threshold and area range, best-scored detection first: a detection takes
  the unmatched ground-truth box of highest IoU >= the threshold, preferring boxes that are not
  ignored (crowd, or outside the area range); among equal IoUs the later box in file order (the
  references scan with ``>=``). A crowd box can be matched any number of times and its IoU is
  intersection / detection area. The greedy order is kept by processing *rounds*: round ``r``
  matches the ``r``-th detection of every group at once (groups share no boxes).
* A detection matched to an ignored box is ignored; an unmatched one is ignored when its area is
  outside the range or (federated) its class is not exhaustively labelled in the image.
* Accumulation per class: detections of all images sorted by score (ties: image order, then rank),
  cumulative TP/FP, precision made monotone, sampled at 101 recall points with ``searchsorted``,
  the same float operations in the same order as the references.

Classes are processed in batches (contiguous in (class, image) order) so memory stays bounded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

IOU_THRS = np.linspace(0.5, 0.95, int(np.round((0.95 - 0.5) / 0.05)) + 1, endpoint=True)
REC_THRS = np.linspace(0.0, 1.00, int(np.round((1.00 - 0.0) / 0.01)) + 1, endpoint=True)
AREA_RANGES = ((0.0, 1e10), (0.0, 32.0**2), (32.0**2, 96.0**2), (96.0**2, 1e10))
AREA_NAMES = ("all", "small", "medium", "large")
PAIR_CHUNK = 4_000_000  # candidate (detection, box) pairs whose IoU is computed at once
BATCH_DETECTIONS = 3_000_000  # detections matched per class batch


@dataclass
class Boxes:
    """Boxes or detections as columns; ``group`` = category index * n_images + image index."""

    group: np.ndarray  # int64
    xywh: np.ndarray  # (n, 4) float64
    area: np.ndarray  # float64
    order: np.ndarray  # position in the file (ties are broken by it)


@dataclass
class Accumulated:
    """COCOeval's ``eval`` arrays, per image subset: precision (T, R, K, A, M), recall (T, K, A, M)."""

    precision: np.ndarray
    recall: np.ndarray


def iou(d: np.ndarray, g: np.ndarray, crowd: np.ndarray) -> np.ndarray:
    """pycocotools' bbIou for paired rows of xywh (the same float operations in the same order)."""
    dx, dy, dw, dh = d[:, 0], d[:, 1], d[:, 2], d[:, 3]
    gx, gy, gw, gh = g[:, 0], g[:, 1], g[:, 2], g[:, 3]
    w = np.minimum(dw + dx, gw + gx) - np.maximum(dx, gx)
    h = np.minimum(dh + dy, gh + gy) - np.maximum(dy, gy)
    da, ga = dw * dh, gw * gh
    inter = w * h
    union = np.where(crowd, da, da + ga - inter)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = inter / union
    return np.where((w > 0) & (h > 0), out, 0.0)


def rank_in_groups(keys: np.ndarray) -> np.ndarray:
    """For rows sorted by ``keys``: each row's position within its run of equal keys."""
    n = len(keys)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    first = np.repeat(starts, np.diff(np.r_[starts, n]))
    return np.arange(n) - first


def evaluate(
    gt: Boxes,
    gt_crowd: np.ndarray,
    dt: Boxes,
    dt_score: np.ndarray,
    dt_not_exhaustive: np.ndarray | None,
    n_images: int,
    n_categories: int,
    max_dets: tuple[int, ...],
    subsets: list[np.ndarray],
) -> list[Accumulated]:
    """Match ``dt`` to ``gt`` and accumulate precision and recall for each image subset (a bool
    mask over images; the first is usually all images). ``dt`` must already be capped as the
    protocol wants (COCO: 100 per image and class; federated: 300 per image, scored classes only).
    ``max_dets`` are COCO's (1, 10, 100) or LVIS's (300,): each keeps a group's best ``m``."""
    T, R, A, M = len(IOU_THRS), len(REC_THRS), len(AREA_RANGES), len(max_dets)
    results = [Accumulated(-np.ones((T, R, n_categories, A, M)), -np.ones((T, n_categories, A, M))) for _ in subsets]
    if dt_not_exhaustive is None:
        dt_not_exhaustive = np.zeros(len(dt.group), dtype=bool)

    g_sort = np.lexsort((gt.order, gt.group))
    d_sort = np.lexsort((dt.order, -dt_score, dt.group))
    g_group, d_group = gt.group[g_sort], dt.group[d_sort]
    g_cat, d_cat = g_group // n_images, d_group // n_images
    d_rank = rank_in_groups(d_group)
    subset_masks = np.stack(subsets) if subsets else np.zeros((0, n_images), bool)

    # class batches: contiguous ranges of classes with about BATCH_DETECTIONS detections
    d_cat_bounds = np.searchsorted(d_cat, np.arange(n_categories + 1))
    g_cat_bounds = np.searchsorted(g_cat, np.arange(n_categories + 1))
    k0 = 0
    while k0 < n_categories:
        k1 = k0 + 1
        while k1 < n_categories and d_cat_bounds[k1 + 1] - d_cat_bounds[k0] <= BATCH_DETECTIONS:
            k1 += 1
        dsl = slice(d_cat_bounds[k0], d_cat_bounds[k1])
        gsl = slice(g_cat_bounds[k0], g_cat_bounds[k1])
        d_idx, g_idx = d_sort[dsl], g_sort[gsl]
        tp, fp, g_ignore = _match_batch(
            d_group[dsl], d_rank[dsl], dt.xywh[d_idx], dt.area[d_idx], dt_not_exhaustive[d_idx],
            g_group[gsl], gt.xywh[g_idx], gt.area[g_idx], gt_crowd[g_idx],
        )
        _accumulate_batch(
            results, subset_masks, k0, k1, n_images, max_dets,
            d_group[dsl], d_rank[dsl], dt_score[d_idx], dt.order[d_idx], tp, fp, g_group[gsl], g_ignore,
        )
        k0 = k1
    return results


def _area_out(area: np.ndarray) -> np.ndarray:
    return np.stack([(area < lo) | (area > hi) for lo, hi in AREA_RANGES])


def _match_batch(d_group, d_rank, d_xywh, d_area, d_nex, g_group, g_xywh, g_area, g_crowd):
    """Greedy matching of one class batch (detections sorted by group, then score; boxes by group,
    then file order). Returns tp, fp as (A, T, n_dt) bool and each box's ignore flag (A, n_gt)."""
    T, A = len(IOU_THRS), len(AREA_RANGES)
    nd, ng = len(d_group), len(g_group)
    g_ignore = _area_out(g_area) | g_crowd[None, :]  # (A, ng)
    matched = np.zeros((A, T, nd), dtype=bool)
    matched_ignored = np.zeros((A, T, nd), dtype=bool)

    # candidate pairs: same group, IoU >= the lowest threshold
    lo = np.searchsorted(g_group, d_group, "left")
    hi = np.searchsorted(g_group, d_group, "right")
    counts = hi - lo
    cand_d, cand_g, cand_iou = [], [], []
    ends = np.cumsum(counts)
    start = 0
    while start < nd:
        stop = int(np.searchsorted(ends, (ends[start - 1] if start else 0) + PAIR_CHUNK, "right"))
        stop = max(stop, start + 1)
        c = counts[start:stop]
        n_pairs = int(c.sum())
        if n_pairs:
            pd = np.repeat(np.arange(start, stop), c)
            first = np.repeat(lo[start:stop], c)
            within = np.arange(n_pairs) - np.repeat(np.cumsum(c) - c, c)
            pg = first + within
            o = iou(d_xywh[pd], g_xywh[pg], g_crowd[pg])
            keep = o >= IOU_THRS[0]
            cand_d.append(pd[keep])
            cand_g.append(pg[keep])
            cand_iou.append(o[keep])
        start = stop
    if cand_d:
        cd, cg, ci = np.concatenate(cand_d), np.concatenate(cand_g), np.concatenate(cand_iou)
    else:
        cd = cg = np.zeros(0, np.int64)
        ci = np.zeros(0)
    thresholds = np.minimum(IOU_THRS, 1 - 1e-10)[:, None]
    cr = d_rank[cd]
    for a in range(A):
        ig = g_ignore[a]
        # per detection, candidates in the order the reference's scan would settle on them
        order = np.lexsort((-cg, -ci, ig[cg], cd, cr))
        d, g, o, r = cd[order], cg[order], ci[order], cr[order]
        bounds = np.searchsorted(r, np.arange((r.max() + 2) if len(r) else 1))
        taken = np.zeros((T, ng), dtype=bool)
        for k in range(len(bounds) - 1):
            s, e = bounds[k], bounds[k + 1]
            if s == e:
                continue
            rd, rg = d[s:e], g[s:e]
            valid = (o[s:e][None, :] >= thresholds) & (g_crowd[rg][None, :] | ~taken[:, rg])
            flat = np.flatnonzero(valid.ravel())
            if not len(flat):
                continue
            t, p = np.divmod(flat, e - s)
            seg = t * nd + rd[p]
            first = np.r_[True, seg[1:] != seg[:-1]]
            t, p = t[first], p[first]
            taken[t, rg[p]] = True
            matched[a, t, rd[p]] = True
            matched_ignored[a, t, rd[p]] = ig[rg[p]]
    unmatched_ignored = _area_out(d_area) | d_nex[None, :]  # (A, nd)
    tp = matched & ~matched_ignored
    fp = ~matched & ~unmatched_ignored[:, None, :]
    return tp, fp, g_ignore


def _accumulate_batch(results, subset_masks, k0, k1, n_images, max_dets, d_group, d_rank, d_score, d_order, tp, fp, g_group, g_ignore):
    """precision / recall of classes k0..k1-1 for every subset, area range and maxDet."""
    d_cat, d_img = d_group // n_images, d_group % n_images
    g_cat, g_img = g_group // n_images, g_group % n_images
    # across images: score, then image order, then rank in the image (= file order among ties)
    order = np.lexsort((d_order, d_img, -d_score, d_cat))
    d_cat, d_img, d_rank = d_cat[order], d_img[order], d_rank[order]
    tp, fp = tp[:, :, order], fp[:, :, order]
    d_bounds = np.searchsorted(d_cat, np.arange(k0, k1 + 1))
    g_bounds = np.searchsorted(g_cat, np.arange(k0, k1 + 1))
    A = len(AREA_RANGES)
    for k in range(k0, k1):
        ds, de = d_bounds[k - k0], d_bounds[k - k0 + 1]
        gs, ge = g_bounds[k - k0], g_bounds[k - k0 + 1]
        if ds == de and gs == ge:
            continue
        img_d, rank_d = d_img[ds:de], d_rank[ds:de]
        img_g = g_img[gs:ge]
        for si, res in enumerate(results):
            in_d = subset_masks[si][img_d]
            in_g = subset_masks[si][img_g]
            for a in range(A):
                npig = int(np.count_nonzero(in_g & ~g_ignore[a, gs:ge]))
                if npig == 0:
                    continue
                for m, cap in enumerate(max_dets):
                    sel = in_d & (rank_d < cap)
                    tps, fps = tp[a, :, ds:de][:, sel], fp[a, :, ds:de][:, sel]
                    _precision_recall(tps, fps, npig, res.precision[:, :, k, a, m], res.recall[:, k, a, m])


def _precision_recall(tps: np.ndarray, fps: np.ndarray, npig: int, precision_out: np.ndarray, recall_out: np.ndarray) -> None:
    nd = tps.shape[1]
    if nd == 0:
        precision_out[:] = 0.0
        recall_out[:] = 0.0
        return
    tp_sum = np.cumsum(tps, axis=1).astype(np.float64)
    fp_sum = np.cumsum(fps, axis=1).astype(np.float64)
    rc = tp_sum / npig
    pr = tp_sum / (fp_sum + tp_sum + np.spacing(1))
    pr = np.maximum.accumulate(pr[:, ::-1], axis=1)[:, ::-1]  # the reference's right-to-left max
    recall_out[:] = rc[:, -1]
    for t in range(tps.shape[0]):
        inds = np.searchsorted(rc[t], REC_THRS, side="left")
        ok = inds < nd
        row = np.zeros(len(REC_THRS))
        row[ok] = pr[t, inds[ok]]
        precision_out[t] = row


def summarize(precision: np.ndarray, recall: np.ndarray, *, iou: float | None = None, area: str = "all", max_det_index: int = -1,
              categories: np.ndarray | None = None, kind: str = "ap") -> float:
    """COCOeval._summarize / LVISEval._summarize: the mean over defined (> -1) entries, else -1."""
    a = AREA_NAMES.index(area)
    if kind == "ap":
        s = precision[..., a, max_det_index]  # (T, R, K)
        if iou is not None:
            s = s[np.where(iou == IOU_THRS)[0]]
        if categories is not None:
            s = s[:, :, categories]
    else:
        s = recall[..., a, max_det_index]  # (T, K)
        if iou is not None:
            s = s[np.where(iou == IOU_THRS)[0]]
    defined = s[s > -1]
    return float(np.mean(defined)) if defined.size else -1.0
