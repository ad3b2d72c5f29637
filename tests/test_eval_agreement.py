"""bigdet eval agrees with the reference implementations: pycocotools' COCOeval (coco) and lvis-api's
LVISEval (federated), to 1e-4, on a merged synthetic val set scored with the fake detector's output,
and on a hand-rolled set built to hit the corner cases (tied scores and IoUs, crowd boxes, more than
100 detections per image and class and 300 per image)."""

from __future__ import annotations

import contextlib
import io
import json
import logging

import numpy as np
import pytest

from bigdet.build import run
from bigdet.eval import evaluate
from bigdet.layout import Layout
from bigdet.synth.predictions import generate

pycocotools = pytest.importorskip("pycocotools")
np.float = float  # lvis-api 0.5.3 still uses np.float, removed from numpy
lvis = pytest.importorskip("lvis")

from lvis import LVIS, LVISEval, LVISResults  # noqa: E402
from pycocotools.coco import COCO  # noqa: E402
from pycocotools.cocoeval import COCOeval  # noqa: E402

TOLERANCE = 1e-4


def pycocotools_stats(gt_path, pred_path, img_ids=None) -> np.ndarray:
    with contextlib.redirect_stdout(io.StringIO()):
        gt = COCO(str(gt_path))
        e = COCOeval(gt, gt.loadRes(str(pred_path)), "bbox")
        if img_ids is not None:
            e.params.imgIds = img_ids
        e.evaluate()
        e.accumulate()
        e.summarize()
    return e.stats


def lvis_results(gt_path, pred_path) -> dict:
    logging.getLogger("lvis").setLevel(logging.ERROR)
    gt = LVIS(str(gt_path))
    e = LVISEval(gt, LVISResults(gt, str(pred_path)), "bbox")
    e.run()
    return dict(e.get_results())


def for_lvis_api(gt_path, out_path, frequency: np.ndarray) -> None:
    """The same ground truth as lvis-api needs it: no crowd boxes (it has no crowd rule), label
    lists on every image, and a frequency on every category (ours, so APr/APc/APf compare)."""
    doc = json.loads(gt_path.read_text())
    doc["annotations"] = [a for a in doc["annotations"] if not a.get("iscrowd")]
    for im in doc["images"]:
        im.setdefault("neg_category_ids", [])
        im.setdefault("not_exhaustive_category_ids", [])
    for c, f in zip(sorted(doc["categories"], key=lambda c: c["id"]), frequency):
        c["frequency"] = "rcf"[f]
    out_path.write_text(json.dumps(doc))


def assert_close(ours: dict, reference: dict) -> None:
    assert list(ours) == list(reference)
    worst = max(abs(ours[k] - reference[k]) for k in ours)
    assert worst <= TOLERANCE, {k: (ours[k], reference[k]) for k in ours if abs(ours[k] - reference[k]) > TOLERANCE}


@pytest.fixture(scope="module")
def merged_val(tmp_path_factory, synth_root):
    tmp = tmp_path_factory.mktemp("eval")
    out = run(Layout(data_root=synth_root, store=tmp / "store"), ["lvis", "oi", "o365"], tmp / "out").out
    pred = tmp / "pred.json"
    generate(out, pred, quality=0.5, seed=3, per_image=100)
    return out, pred


def test_coco_protocol_equals_pycocotools_on_a_merged_val_set(merged_val):
    out, pred = merged_val
    result = evaluate(pred, out, "coco")
    gt_path = out / "annotations" / "bigdet_val.json"
    reference = pycocotools_stats(gt_path, pred)
    assert_close(result.as_json()["coco"], dict(zip(result.as_json()["coco"], reference)))
    # per source = COCOeval restricted to that source's images
    doc = json.loads(gt_path.read_text())
    for source, numbers in result.as_json()["per_source"].items():
        ids = [im["id"] for im in doc["images"] if im["source"] == source]
        assert_close(numbers["coco"], dict(zip(numbers["coco"], pycocotools_stats(gt_path, pred, ids))))
    assert set(result.as_json()["per_source"]) == {"lvis", "openimages", "objects365"}


def test_federated_protocol_equals_lvis_api_on_a_merged_val_set(merged_val, tmp_path):
    out, pred = merged_val
    gt_path = out / "annotations" / "bigdet_val.json"
    result = evaluate(pred, out, "federated")
    assert "bigdet_lvis_train.json" in result.gt.frequency_basis  # buckets from the merged train files
    for_lvis_api(gt_path, tmp_path / "gt.json", result.gt.frequency)
    ours = evaluate(pred, tmp_path / "gt.json", "federated").as_json()["federated"]
    assert_close(ours, lvis_results(tmp_path / "gt.json", pred))
    # the merged set's negatives make a difference: the federated score is not the COCO one
    assert ours["AP"] != pytest.approx(evaluate(pred, tmp_path / "gt.json", "coco").as_json()["coco"]["AP"], abs=1e-3)


def corner_case_set(tmp_path, seed: int):
    """Random images with crowd boxes, many detections per class, tied scores and tied IoUs."""
    rng = np.random.default_rng(seed)
    cats = [{"id": 10 + 3 * k, "name": f"c{k}", "frequency": "rcf"[k % 3]} for k in range(12)]
    images, anns = [], []
    for i in range(30):
        im = {"id": 1000 + 7 * i, "width": 640, "height": 480}
        present = set()
        for _ in range(rng.integers(0, 15)):
            c = cats[rng.integers(0, 12)]["id"]
            w, h = rng.uniform(2, 300, 2)
            x, y = rng.uniform(0, 640 - w), rng.uniform(0, 480 - h)
            anns.append({"id": len(anns) + 1, "image_id": im["id"], "category_id": c, "bbox": [round(v, 2) for v in (x, y, w, h)],
                         "area": round(w * h * rng.uniform(0.5, 1), 2), "iscrowd": int(rng.random() < 0.08)})
            present.add(c)
        others = [c["id"] for c in cats if c["id"] not in present]
        rng.shuffle(others)
        im["neg_category_ids"] = others[: rng.integers(0, len(others) + 1)]
        im["not_exhaustive_category_ids"] = [c for c in sorted(present) if rng.random() < 0.3]
        images.append(im)
    gt = tmp_path / f"gt{seed}.json"
    gt.write_text(json.dumps({"images": images, "annotations": anns, "categories": cats}))
    pred = tmp_path / f"pred{seed}.json"
    generate(gt, pred, per_image=320, seed=seed, quality=0.8 * seed)
    dets = json.loads(pred.read_text())
    for d in dets[::2]:
        d["score"] = round(d["score"], 1)  # many ties
    for a in anns[:60]:  # two identical detections of a box: tied scores and tied IoUs
        dets += [{"image_id": a["image_id"], "category_id": a["category_id"], "bbox": a["bbox"], "score": 0.5}] * 2
    for k in range(130):  # more than 100 detections of one class in one image
        x, y = rng.uniform(0, 500, 2)
        dets.append({"image_id": 1000, "category_id": 10, "bbox": [x, y, 60.0, 50.0], "score": round(float(rng.random()), 2)})
    pred.write_text(json.dumps(dets))
    return gt, pred


@pytest.mark.parametrize("seed", [0, 1])
def test_both_protocols_equal_the_references_on_corner_cases(tmp_path, seed):
    gt, pred = corner_case_set(tmp_path, seed)
    result = evaluate(pred, gt).as_json()
    assert_close(result["coco"], dict(zip(result["coco"], pycocotools_stats(gt, pred))))
    for_lvis_api(gt, tmp_path / "nocrowd.json", np.array([k % 3 for k in range(12)]))
    ours = evaluate(pred, tmp_path / "nocrowd.json", "federated").as_json()["federated"]
    assert_close(ours, lvis_results(tmp_path / "nocrowd.json", pred))
