"""bigdet eval: each protocol rule on a hand-made image with its expected score, and bad input."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from bigdet.errors import InputError
from bigdet.eval import evaluate
from bigdet.eval.ground_truth import TRAIN_COUNTS_CACHE, bucket_of_image_counts
from bigdet.cli.main import app

from .conftest import coco_doc, write_json

CATS = [{"id": 1, "name": "cup"}, {"id": 2, "name": "dog"}, {"id": 3, "name": "car"}]
HALF = 1 / (2 + np.spacing(1))  # COCO's precision with 1 TP after 1 FP: tp / (tp + fp + eps)


def image(i, neg=None, nex=None, **extra):
    im = {"id": i, "width": 640, "height": 480, **extra}
    if neg is not None:
        im["neg_category_ids"] = neg
    if nex is not None:
        im["not_exhaustive_category_ids"] = nex
    return im


def box(i, image_id, cat, xywh, crowd=0):
    return {"id": i, "image_id": image_id, "category_id": cat, "bbox": list(xywh), "area": xywh[2] * xywh[3], "iscrowd": crowd}


def det(image_id, cat, xywh, score):
    return {"image_id": image_id, "category_id": cat, "bbox": list(xywh), "score": score}


def score(tmp_path, images, boxes, dets, protocol="all", cats=CATS):
    gt = write_json(tmp_path / "gt.json", coco_doc(images, boxes, cats))
    pred = write_json(tmp_path / "pred.json", dets)
    return evaluate(pred, gt, protocol)


def class_ap(result, protocol, cat_id):
    return result.results[protocol].per_class_ap[[c["id"] for c in CATS].index(cat_id)]


# Two images: image 1 has a dog, image 2 a car. The car detector also fires, higher-scored, on image 1.
CAR_ON_IMAGE_1 = det(1, 3, (300, 300, 50, 50), 0.9)
BASE_BOXES = [box(1, 1, 2, (10, 10, 100, 100)), box(2, 2, 3, (50, 50, 80, 80))]
BASE_DETS = [det(1, 2, (10, 10, 100, 100), 0.8), det(2, 3, (50, 50, 80, 80), 0.8)]


def test_a_detection_of_a_class_the_image_does_not_label_is_ignored(tmp_path):
    r = score(tmp_path, [image(1, neg=[], nex=[]), image(2, neg=[], nex=[])], BASE_BOXES, BASE_DETS + [CAR_ON_IMAGE_1])
    assert class_ap(r, "federated", 3) == pytest.approx(1.0)
    assert class_ap(r, "coco", 3) == pytest.approx(HALF)  # COCO scores every class everywhere
    assert r.results["federated"].counts["on classes the image does not label (ignored)"] == 1


def test_a_detection_of_a_negative_class_is_a_false_positive(tmp_path):
    r = score(tmp_path, [image(1, neg=[3], nex=[]), image(2, neg=[], nex=[])], BASE_BOXES, BASE_DETS + [CAR_ON_IMAGE_1])
    assert class_ap(r, "federated", 3) == pytest.approx(HALF)


def test_an_image_without_label_lists_is_exhaustive(tmp_path):
    r = score(tmp_path, [image(1), image(2)], BASE_BOXES, BASE_DETS + [CAR_ON_IMAGE_1])
    assert class_ap(r, "federated", 3) == pytest.approx(HALF)
    assert r.results["federated"].overall == pytest.approx(r.results["federated"].overall)


@pytest.mark.parametrize("listed, expected", [([2], 1.0), ([], HALF)])
def test_an_unmatched_detection_of_a_not_exhaustive_class_is_ignored(tmp_path, listed, expected):
    extra_dog = det(1, 2, (400, 300, 60, 60), 0.95)  # no dog box there: maybe an unboxed dog
    r = score(tmp_path, [image(1, neg=[], nex=listed), image(2, neg=[], nex=[])], BASE_BOXES, BASE_DETS + [extra_dog])
    assert class_ap(r, "federated", 2) == pytest.approx(expected)
    assert class_ap(r, "coco", 2) == pytest.approx(HALF)


def test_a_not_exhaustive_class_still_counts_its_boxes(tmp_path):
    # the dog box is not found: recall 0 even though dogs are not exhaustively boxed
    r = score(tmp_path, [image(1, neg=[], nex=[2]), image(2, neg=[], nex=[])], BASE_BOXES, [BASE_DETS[1], det(1, 2, (400, 300, 60, 60), 0.95)])
    assert class_ap(r, "federated", 2) == pytest.approx(0.0)


@pytest.mark.parametrize("protocol", ["coco", "federated"])
def test_detections_matched_to_a_crowd_region_are_ignored(tmp_path, protocol):
    crowd = box(3, 1, 2, (200, 200, 300, 200), crowd=1)
    # small detections inside the crowd box: IoU with it is intersection / detection area = 1
    inside = [det(1, 2, (210 + 40 * k, 220, 30, 40), 0.99 - k * 0.01) for k in range(5)]
    r = score(tmp_path, [image(1, neg=[], nex=[]), image(2, neg=[], nex=[])], BASE_BOXES + [crowd], BASE_DETS + inside)
    assert class_ap(r, protocol, 2) == pytest.approx(1.0)
    # the same detections without the crowd region are false positives ranked above the true one
    r = score(tmp_path, [image(1, neg=[], nex=[]), image(2, neg=[], nex=[])], BASE_BOXES, BASE_DETS + inside)
    assert class_ap(r, protocol, 2) == pytest.approx(1 / (6 + np.spacing(1)))


@pytest.mark.parametrize("false_positives, recall", [(299, 1.0), (300, 0.0)])
def test_federated_keeps_the_best_300_detections_per_image(tmp_path, false_positives, recall):
    fps = [det(1, 3, (5 + (k % 20) * 30, 5 + (k // 20) * 30, 20, 20), 0.9) for k in range(false_positives)]
    dets = fps + [det(1, 2, (10, 10, 100, 100), 0.5), BASE_DETS[1]]
    r = score(tmp_path, [image(1, neg=[3], nex=[]), image(2, neg=[], nex=[])], BASE_BOXES, dets, "federated")
    dog_recall = r.results["federated"].recall[:, 1, 0, 0]
    assert dog_recall == pytest.approx(np.full(10, recall))
    kept = 300 if false_positives + 1 > 300 else false_positives + 1
    assert r.results["federated"].counts["beyond 300 per image (not scored)"] == false_positives + 1 - kept


@pytest.mark.parametrize("false_positives, found", [(99, True), (100, False)])
def test_coco_keeps_the_best_100_detections_per_image_and_class(tmp_path, false_positives, found):
    fps = [det(1, 2, (300 + (k % 10) * 30, 200 + (k // 10) * 25, 20, 20), 0.9) for k in range(false_positives)]
    r = score(tmp_path, [image(1), image(2)], BASE_BOXES, fps + BASE_DETS, "coco")
    assert (r.results["coco"].overall["AR100"] == 1.0) is found
    assert r.results["coco"].recall[0, 1, 0, 2] == (1.0 if found else 0.0)  # dog, IoU .5, all, maxDets 100


def test_json_has_exactly_the_documented_keys(tmp_path):
    images = [image(1, neg=[], nex=[], source="lvis"), image(2, neg=[], nex=[], source="objects365")]
    r = score(tmp_path, images, BASE_BOXES, BASE_DETS)
    out = r.as_json()
    assert list(out) == ["coco", "federated", "per_source"]
    assert list(out["coco"]) == ["AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "ARs", "ARm", "ARl"]
    assert list(out["federated"]) == ["AP", "AP50", "AP75", "APs", "APm", "APl", "APr", "APc", "APf", "AR@300", "ARs@300", "ARm@300", "ARl@300"]
    assert list(out["per_source"]) == ["lvis", "objects365"]
    assert list(out["per_source"]["lvis"]) == ["coco", "federated"]
    assert out["coco"]["AP"] == pytest.approx(1.0)
    assert out["coco"]["APs"] == -1  # no small boxes: undefined, as in pycocotools
    only = score(tmp_path, images, BASE_BOXES, BASE_DETS, "coco").as_json()
    assert list(only) == ["coco", "per_source"] and list(only["per_source"]["lvis"]) == ["coco"]


def merged_out(tmp_path, cup_images=10):
    """A merged output folder: a train file (cup in ``cup_images`` images, dog in 11, car in 101) and a val file."""
    out = tmp_path / "out" / "annotations"
    images = [image(i) for i in range(1, 102)]
    train = [box(i, i, 1, (0, 0, 5, 5)) for i in range(1, cup_images + 1)]
    train += [box(100 + i, i, 2, (0, 0, 5, 5)) for i in range(1, 12)]  # dog: 11 images -> common
    train += [box(200 + i, i, 3, (0, 0, 5, 5)) for i in range(1, 102)]  # car: 101 images -> frequent
    train += [box(400 + i, 1, 3, (0, 0, 6, 6)) for i in range(5)]  # more boxes in one image do not count
    write_json(out / "bigdet_lvis_train.json", coco_doc(images, train, CATS))
    write_json(out / "bigdet_val.json", coco_doc([image(1, neg=[], nex=[]), image(2, neg=[], nex=[])], BASE_BOXES, CATS))
    write_json(tmp_path / "pred.json", BASE_DETS)
    return tmp_path / "out"


def test_frequency_buckets_come_from_train_image_counts(tmp_path):
    assert bucket_of_image_counts(np.array([0, 1, 10, 11, 100, 101])).tolist() == [0, 0, 0, 1, 1, 2]
    r = evaluate(tmp_path / "pred.json", merged_out(tmp_path))  # cup: 10 images -> rare
    assert r.gt.train_images.tolist() == [10, 11, 101]
    assert r.gt.frequency.tolist() == [0, 1, 2]
    assert "bigdet_lvis_train.json" in r.gt.frequency_basis
    assert r.as_json()["federated"]["APr"] == -1  # the cup has no val box
    assert r.as_json()["federated"]["APc"] == pytest.approx(1.0)


def test_train_image_counts_are_reused_until_a_train_file_changes(tmp_path):
    out = merged_out(tmp_path)
    assert evaluate(tmp_path / "pred.json", out).gt.train_images.tolist() == [10, 11, 101]
    cache = out / "annotations" / TRAIN_COUNTS_CACHE
    assert cache.is_file()
    # stats and validate read every *.json of the folder: the kept counts must not look like one
    assert sorted(p.name for p in (out / "annotations").glob("*.json")) == ["bigdet_lvis_train.json", "bigdet_val.json"]
    doc = json.loads(cache.read_text())
    doc["counts"] = [50, 60, 70]  # what the next run reads instead of the train file
    cache.write_text(json.dumps(doc))
    assert evaluate(tmp_path / "pred.json", out).gt.train_images.tolist() == [50, 60, 70]
    merged_out(tmp_path, cup_images=12)  # the train file changes: counted again
    assert evaluate(tmp_path / "pred.json", out).gt.train_images.tolist() == [12, 11, 101]


def test_parquet_predictions_score_like_json(tmp_path):
    dets = BASE_DETS + [CAR_ON_IMAGE_1]
    images = [image(1, neg=[3], nex=[]), image(2, neg=[], nex=[])]
    from_json = score(tmp_path, images, BASE_BOXES, dets).as_json()
    table = pa.table({k: [d[k] for d in dets] for k in ("image_id", "category_id", "bbox", "score")})
    pq.write_table(table, tmp_path / "pred.parquet")
    assert evaluate(tmp_path / "pred.parquet", tmp_path / "gt.json").as_json() == from_json


BAD = [
    ([det(1, 2, (10, 10, 100, 100), 0.8), det(7, 2, (1, 1, 5, 5), 0.5)], "1 of 2 detections are bad (1 unknown image_id)", "[1]"),
    ([det(1, 9, (10, 10, 100, 100), 0.8)], "(1 unknown category_id)", "[0]"),
    ([det(1, 2, (10, 10, 0, 100), 0.8), det(1, 2, (10, 10, -4, 100), 0.8)], "2 of 2 detections are bad (2 zero or negative box size)", "[0]"),
    ([det(1, 2, (10, 10, 100, 100), 0.8), det(1, 2, (10, 10, 100, 100), 1.5)], "(1 score outside [0, 1])", "[1]"),
    ([det(1, 2, (10, 10, 100, 100), 0.8), {"image_id": 1, "category_id": 2, "score": 0.5}], "(1 missing key)", "[1]"),
    ([det(1, 2, (10, 10, 100, 100), 0.8), det(1, 2, (1, 2, 3), 0.8)], "(1 bbox not 4 numbers)", "[1]"),
    ([det(1, 2, (10, 10, 100, 100), 0.8), det(1, 2, (10, 10, 100, 100), "high")], "(1 not a number)", "[1]"),
]


@pytest.mark.parametrize("dets, what, record", BAD)
def test_bad_detections_stop_with_counts_and_the_first(tmp_path, dets, what, record):
    with pytest.raises(InputError) as e:
        score(tmp_path, [image(1), image(2)], BASE_BOXES, dets)
    assert what in str(e.value) and e.value.record == record


def test_nan_boxes_are_bad(tmp_path):
    write_json(tmp_path / "gt.json", coco_doc([image(1)], BASE_BOXES[:1], CATS))
    (tmp_path / "pred.json").write_text('[{"image_id": 1, "category_id": 2, "bbox": [1, 2, NaN, 4], "score": 0.5}]')
    with pytest.raises(InputError, match=r"1 of 1 detections are bad \(1 (bbox not finite|not a number)\)"):
        evaluate(tmp_path / "pred.json", tmp_path / "gt.json")


@pytest.mark.parametrize("text, what", [
    ("[]", "the list is empty"),
    ("  ", "the file is empty"),
    ('[{"image_id": 1, "category_id": 2, "bbox": [1, 2, 3, 4], "score": 0.5}, {"image_id": 1, "cat', "truncated"),
    ('{"images": []}', "a results file is a list of detections"),
])
def test_damaged_results_files_are_named(tmp_path, text, what):
    write_json(tmp_path / "gt.json", coco_doc([image(1)], BASE_BOXES[:1], CATS))
    (tmp_path / "pred.json").write_text(text)
    with pytest.raises(InputError, match=what):
        evaluate(tmp_path / "pred.json", tmp_path / "gt.json")


def test_cli_prints_tables_json_and_report_and_one_line_errors(tmp_path):
    images = [image(1, neg=[3], nex=[], source="lvis"), image(2, neg=[], nex=[], source="openimages")]
    score(tmp_path, images, BASE_BOXES, BASE_DETS + [CAR_ON_IMAGE_1])
    runner = CliRunner()
    res = runner.invoke(app, ["eval", str(tmp_path / "pred.json"), "--gt", str(tmp_path / "gt.json"), "--per-class", "--report", str(tmp_path / "rep")])
    assert res.exit_code == 0, res.output
    assert "federated protocol" in res.output and "openimages" in res.output and "car" in res.output
    assert {p.name for p in (tmp_path / "rep").iterdir()} >= {"index.html", "pr_coco.png", "pr_federated.png", "per_class_ap.png"}
    res = runner.invoke(app, ["eval", str(tmp_path / "pred.json"), "--gt", str(tmp_path / "gt.json"), "--json"])
    assert json.loads(res.output)["coco"]["AP"] == pytest.approx(evaluate(tmp_path / "pred.json", tmp_path / "gt.json").as_json()["coco"]["AP"])
    write_json(tmp_path / "bad.json", [det(5, 2, (1, 1, 5, 5), 0.5)])
    res = runner.invoke(app, ["eval", str(tmp_path / "bad.json"), "--gt", str(tmp_path / "gt.json")])
    assert res.exit_code == 1 and "unknown image_id" in res.output and "Traceback" not in res.output


def test_the_readme_worked_example(tmp_path):
    cats = [{"id": 1, "name": "cup"}, {"id": 2, "name": "dog"}, {"id": 3, "name": "car"}]
    images = [image(1, neg=[3], nex=[2], source="openimages"), image(2, neg=[], nex=[], source="lvis")]
    dog, car = (10, 10, 100, 100), (50, 50, 80, 80)
    boxes = [box(1, 1, 2, dog), box(2, 2, 3, car)]
    dets = [det(1, 2, dog, 0.8), det(1, 2, (400, 300, 60, 60), 0.95), det(1, 3, (300, 200, 50, 50), 0.9),
            det(1, 1, (200, 300, 40, 40), 0.9), det(2, 3, car, 0.8)]
    r = score(tmp_path, images, boxes, dets, cats=cats)
    assert class_ap(r, "coco", 2) == pytest.approx(HALF) and class_ap(r, "federated", 2) == pytest.approx(1.0)
    assert class_ap(r, "coco", 3) == pytest.approx(HALF) and class_ap(r, "federated", 3) == pytest.approx(HALF)
    assert class_ap(r, "coco", 1) == -1 and class_ap(r, "federated", 1) == -1
    assert r.results["federated"].counts["on classes the image does not label (ignored)"] == 1
