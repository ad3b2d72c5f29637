"""LVIS v1 reader: round trip, quirks, federated label sets, bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bigdet.errors import InputError
from bigdet.ingest import ingest
from bigdet.layout import Layout
from bigdet.store import Store

from .conftest import coco_doc, write_json

CATS = [
    {"id": 1, "name": "apple", "synset": "apple.n.01", "synonyms": ["apple"], "def": "fruit", "frequency": "f", "image_count": 2, "instance_count": 3},
    {"id": 2, "name": "bull", "synset": "bull.n.01", "synonyms": ["horned_cow"], "def": "x", "frequency": "r", "image_count": 1, "instance_count": 1},
]


def image(i, url_folder="train2017", **kw):
    return {
        "id": i, "width": 640, "height": 480, "license": 1, "date_captured": "2013-11-14 16:28:13",
        "flickr_url": "http://farm4.staticflickr.com/x.jpg", "coco_url": f"http://images.cocodataset.org/{url_folder}/{i:012d}.jpg",
        "neg_category_ids": [], "not_exhaustive_category_ids": [], **kw,
    }


def ann(i, image_id, cat=1, bbox=(10.5, 20.25, 30.0, 40.0), **kw):
    return {"id": i, "image_id": image_id, "category_id": cat, "bbox": list(bbox), "area": 100.0, "segmentation": [[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]], **kw}


def run(tmp_path, train=None, val=None):
    if train is not None:
        write_json(tmp_path / "data/lvis/lvis_v1_train.json", train)
    if val is not None:
        write_json(tmp_path / "data/lvis/lvis_v1_val.json", val)
    layout = Layout(data_root=tmp_path / "data", store=tmp_path / "store")
    return ingest("lvis", layout), Store(layout.store)


def test_synthetic_lvis_round_trips_exactly(layout, data_root):
    report = ingest("lvis", layout)
    assert report.reconciles
    store = Store(layout.store)
    for split in ("train", "val"):
        doc = json.loads((data_root / f"lvis/lvis_v1_{split}.json").read_text())
        boxes = store.table("lvis", split, "boxes").to_pandas().set_index("box_id")
        assert len(boxes) == len(doc["annotations"])
        for a in doc["annotations"]:
            row = boxes.loc[a["id"]]
            # stored exactly as parsed: far inside the 0.01 px requirement
            assert [row.x, row.y, row.w, row.h] == a["bbox"]
            assert (row.image_id, row.category_id) == (a["image_id"], a["category_id"])
            assert [list(p) for p in row.segmentation] == a["segmentation"]
        images = store.table("lvis", split, "images").to_pandas().set_index("image_id")
        for im in doc["images"]:
            assert images.loc[im["id"], "file_name"] == "/".join(im["coco_url"].split("/")[-2:])
            assert (images.loc[im["id"], "width"], images.loc[im["id"], "height"]) == (im["width"], im["height"])
        labels = store.table("lvis", split, "image_labels").to_pandas()
        neg = sum(len(im["neg_category_ids"]) for im in doc["images"])
        nex = sum(len(im["not_exhaustive_category_ids"]) for im in doc["images"])
        assert (labels.kind == "negative").sum() == neg
        assert (labels.kind == "not_exhaustive").sum() == nex
    cats = store.categories("lvis").to_pandas()
    assert len(cats) == 1203
    assert cats.loc[cats.category_id == 162, "synonyms"].item().tolist() == ["horned_cow"]


def test_val_images_keep_their_coco_train_folder(tmp_path):
    val = coco_doc([image(5, "train2017"), image(6, "val2017")], [ann(1, 5), ann(2, 6)], CATS)
    _, store = run(tmp_path, val=val)
    names = store.table("lvis", "val", "images").column("file_name").to_pylist()
    assert names == ["train2017/000000000005.jpg", "val2017/000000000006.jpg"]


def test_label_lists_become_image_labels(tmp_path):
    doc = coco_doc([image(5, neg_category_ids=[2], not_exhaustive_category_ids=[1])], [ann(1, 5)], CATS)
    _, store = run(tmp_path, train=doc)
    labels = store.table("lvis", "train", "image_labels").to_pylist()
    assert [(r["image_id"], r["category_id"], r["kind"]) for r in labels] == [(5, 2, "negative"), (5, 1, "not_exhaustive")]
    assert {r["source"] for r in labels} == {"lvis"} and {r["split"] for r in labels} == {"train"}


@pytest.mark.parametrize(
    "bad, reason, detail",
    [
        (ann(9, 5, bbox=(1, 2, 0, 4)), "nonpositive_size", "zero or negative size"),
        (ann(9, 5, bbox=(1, 2, -3, 4)), "nonpositive_size", "zero or negative size"),
        (ann(9, 5, bbox=(1, 2, 3)), "bad_bbox", "four finite numbers"),
        (ann(9, 5, bbox=(600, 2, 100, 4)), "outside_image", "outside the 640x480 image"),
        (ann(9, 5, cat=77), "unknown_category", "category_id 77"),
        (ann(9, 404), "missing_image", "image_id 404"),
        (ann(1, 5), "duplicate_box_id", "annotation id 1 appears before"),
        (ann(9, 5, bbox=("a", 2, 3, 4)), "bad_value", "'bbox'"),
        ({"id": 9, "image_id": 5, "category_id": 1, "bbox": None}, "missing_field", "'bbox'"),
    ],
)
def test_each_bad_box_is_rejected_with_its_reason(tmp_path, bad, reason, detail):
    doc = coco_doc([image(5)], [ann(1, 5), bad, ann(3, 5)], CATS)
    report, store = run(tmp_path, train=doc)
    counts = report.counts["train"]["boxes"]
    assert (counts.read, counts.stored, counts.rejected) == (3, 2, {reason: 1})
    (reject,) = store.table("lvis", "train", "rejects").to_pylist()
    assert reject["reason"] == reason and reject["record"] == '"annotations"[1]' and reject["table"] == "boxes"
    assert detail in reject["detail"]
    assert reject["file"].endswith("lvis_v1_train.json")


def test_bad_images_are_rejected_and_their_boxes_follow(tmp_path):
    doc = coco_doc([image(5), image(5), image(6, width=0)], [ann(1, 5), ann(2, 6)], CATS)
    report, store = run(tmp_path, train=doc)
    assert report.counts["train"]["images"].rejected == {"duplicate_image_id": 1, "bad_size": 1}
    assert report.counts["train"]["boxes"].rejected == {"missing_image": 1}
    assert report.reconciles


def test_unknown_category_in_a_label_list_is_rejected(tmp_path):
    doc = coco_doc([image(5, neg_category_ids=[2, 99])], [ann(1, 5)], CATS)
    report, _ = run(tmp_path, train=doc)
    assert report.counts["train"]["image_labels"].as_dict() == {"read": 2, "stored": 1, "rejected": {"unknown_category": 1}}


def test_a_renamed_field_stops_the_run(tmp_path):
    bad = ann(1, 5)
    bad["box"] = bad.pop("bbox")
    with pytest.raises(InputError, match=r"lvis_v1_train.json, \"annotations\"\[0\]: records lack the field 'bbox'"):
        run(tmp_path, train=coco_doc([image(5)], [bad], CATS))


def test_missing_files_say_where_they_were_looked_for(tmp_path):
    with pytest.raises(InputError, match="no LVIS annotation files"):
        run(tmp_path)


def test_a_truncated_file_stops_the_run(tmp_path):
    path = write_json(tmp_path / "data/lvis/lvis_v1_train.json", coco_doc([image(5)], [ann(1, 5)] * 3, CATS))
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(InputError, match="truncated"):
        run(tmp_path)


def test_no_categories_array_stops_the_run(tmp_path):
    doc = coco_doc([image(5)], [ann(1, 5)], CATS)
    del doc["categories"]
    with pytest.raises(InputError, match='no "categories" array'):
        run(tmp_path, train=doc)


def test_boxes_written_in_any_key_order(tmp_path):
    doc = {"categories": CATS, "annotations": [ann(1, 5)], "images": [image(5)]}
    report, store = run(tmp_path, train=doc)
    assert report.counts["train"]["boxes"].stored == 1
    assert np.isclose(store.table("lvis", "train", "boxes").column("x")[0].as_py(), 10.5)
