"""Objects365 reader: v1 and v2, names as released, ids per file, paths, flags."""

from __future__ import annotations

import json

import pytest

from bigdet.errors import InputError
from bigdet.ingest import ingest
from bigdet.layout import Layout
from bigdet.store import Store
from bigdet.synth import synthesize

from .conftest import coco_doc, write_json


def v2_image(i, patch=8):
    return {"id": i, "file_name": f"images/v1/patch{patch}/objects365_v1_{i:08d}.jpg", "height": 480, "width": 640, "license": 1, "url": ""}


def v2_ann(i, image_id, cat=1, bbox=(1.25, 2.5, 30.125, 40.0), **kw):
    return {"id": i, "image_id": image_id, "category_id": cat, "bbox": list(bbox), "area": 5.0, "iscrowd": 0, "isfake": 0, "isreflected": 0, **kw}


V2_CATS = [{"id": 1, "name": "Person"}, {"id": 2, "name": "Moniter/TV"}, {"id": 3, "name": "Cigar/Cigarette "}]


def run(tmp_path, files: dict):
    for name, doc in files.items():
        write_json(tmp_path / "data/objects365" / name, doc)
    layout = Layout(data_root=tmp_path / "data", store=tmp_path / "store")
    return ingest("o365", layout), Store(layout.store)


def test_synthetic_v2_round_trips_exactly(layout, data_root):
    report = ingest("objects365", layout)
    assert report.reconciles and report.version == "v2"
    store = Store(layout.store)
    doc = json.loads((data_root / "objects365/zhiyuan_objv2_train.json").read_text())
    boxes = store.table("objects365", "train", "boxes").to_pandas().set_index("box_id")
    assert len(boxes) == len(doc["annotations"])
    for a in doc["annotations"]:
        row = boxes.loc[a["id"]]
        assert [row.x, row.y, row.w, row.h] == a["bbox"]
        assert (row.iscrowd, row.is_fake, row.is_reflected) == (bool(a["iscrowd"]), bool(a["isfake"]), bool(a["isreflected"]))
    cats = store.categories("objects365").to_pandas().set_index("category_id")
    assert len(cats) == 365
    # names kept exactly as released, cleaned beside them
    assert cats.loc[cats.name == "Cigar/Cigarette ", "clean_name"].item() == "Cigar/Cigarette"
    assert cats.loc[cats.name == "Moniter/TV", "clean_name"].item() == "Monitor/TV"
    images = store.table("objects365", "train", "images").to_pandas()
    assert images.file_name.str.match(r"^train/patch\d+/objects365_v[12]_\d{8}\.jpg$").all()
    assert "train/patch16/objects365_v2_00908726.jpg" in set(images.file_name)  # listed though never shipped


def test_v1_and_v2_ids_are_taken_from_each_file(tmp_path):
    root = tmp_path / "v1data"
    synthesize(root, 0.0002, seed=3, sources=("objects365",), objects365_version="v1")
    layout = Layout(data_root=root, store=tmp_path / "store")
    report = ingest("o365", layout)
    assert report.version == "v1" and report.reconciles
    cats = Store(layout.store).categories("objects365").to_pandas().set_index("category_id")
    assert cats.loc[24, "name"] == "tv"  # v1 24 = tv (v2 24 = Flower)
    assert cats.loc[cats.name == "tissue ", "clean_name"].item() == "tissue"
    assert list(cats.index) == list(range(1, 366))  # sorted although the file's list is not
    boxes = Store(layout.store).table("objects365", "train", "boxes")
    assert boxes.column("is_fake").null_count == boxes.num_rows  # v1 has no isfake


def test_v2_paths_use_the_last_two_parts_under_the_split(tmp_path):
    doc = coco_doc([v2_image(7, patch=3)], [v2_ann(1, 7)], V2_CATS)
    _, store = run(tmp_path, {"zhiyuan_objv2_val.json": doc})
    assert store.table("objects365", "val", "images").column("file_name").to_pylist() == ["val/patch3/objects365_v1_00000007.jpg"]


def test_exact_duplicate_boxes_are_kept_at_ingest(tmp_path):
    doc = coco_doc([v2_image(7)], [v2_ann(1, 7), v2_ann(2, 7)], V2_CATS)
    report, _ = run(tmp_path, {"zhiyuan_objv2_train.json": doc})
    assert report.counts["train"]["boxes"].stored == 2  # merge decides what to do with them


def test_crowd_flag(tmp_path):
    doc = coco_doc([v2_image(7)], [v2_ann(1, 7, iscrowd=1), v2_ann(2, 7)], V2_CATS)
    _, store = run(tmp_path, {"zhiyuan_objv2_train.json": doc})
    assert store.table("objects365", "train", "boxes").column("iscrowd").to_pylist() == [True, False]


def test_both_versions_in_one_folder_is_an_error(tmp_path):
    doc = coco_doc([v2_image(7)], [v2_ann(1, 7)], V2_CATS)
    with pytest.raises(InputError, match="both Objects365 v1 and v2"):
        run(tmp_path, {"zhiyuan_objv2_train.json": doc, "objects365_train.json": doc})


def test_splits_with_different_categories_are_an_error(tmp_path):
    a = coco_doc([v2_image(7)], [v2_ann(1, 7)], V2_CATS)
    b = coco_doc([v2_image(8)], [v2_ann(2, 8)], V2_CATS[:2])
    with pytest.raises(InputError, match="category list differs"):
        run(tmp_path, {"zhiyuan_objv2_train.json": a, "zhiyuan_objv2_val.json": b})


def test_an_empty_file_stops_the_run(tmp_path):
    (tmp_path / "data/objects365").mkdir(parents=True)
    (tmp_path / "data/objects365/zhiyuan_objv2_train.json").write_text("")
    layout = Layout(data_root=tmp_path / "data", store=tmp_path / "store")
    with pytest.raises(InputError, match="zhiyuan_objv2_train.json: the file is empty"):
        ingest("o365", layout)


def test_non_numeric_id_is_rejected_not_fatal(tmp_path):
    doc = coco_doc([v2_image(7)], [v2_ann(1, 7), v2_ann("x", 7), v2_ann(3, 7)], V2_CATS)
    report, store = run(tmp_path, {"zhiyuan_objv2_train.json": doc})
    assert report.counts["train"]["boxes"].rejected == {"bad_value": 1}
    (reject,) = store.table("objects365", "train", "rejects").to_pylist()
    assert reject["record"] == '"annotations"[1]' and reject["detail"] == "field 'id' has the bad value \"x\""


def test_rejected_boxes_keep_their_image_and_category_where_the_file_lists_them(tmp_path):
    anns = [v2_ann(1, 7, cat=2, bbox=(1.0, 1.0, 0.0, 5.0)),  # zero width: image and category known
            v2_ann(2, 7, cat=3, bbox=(630.0, 1.0, 50.0, 5.0)),  # outside the 640x480 image
            v2_ann(3, 99, cat=2),  # no image 99
            v2_ann(4, 7, cat=42)]  # no category 42
    _, store = run(tmp_path, {"zhiyuan_objv2_train.json": coco_doc([v2_image(7)], anns, V2_CATS)})
    rows = store.table("objects365", "train", "rejects").to_pylist()
    assert sorted((r["source_id"], r["reason"], r["image_id"], r["category_id"]) for r in rows) == [
        ("1", "nonpositive_size", 7, 2), ("2", "outside_image", 7, 3), ("3", "missing_image", None, 2), ("4", "unknown_category", 7, None)]


@pytest.mark.parametrize("images", [[], [{**v2_image(7), "width": 0}]])
def test_boxes_of_a_file_without_a_kept_image_are_missing_image_rejects(tmp_path, images):
    """No image in the file, or every image rejected: each box is rejected as missing_image (the
    box -> image lookup over no images must not fail)."""
    report, store = run(tmp_path, {"zhiyuan_objv2_train.json": coco_doc(images, [v2_ann(1, 7), v2_ann(2, 7)], V2_CATS)})
    assert report.counts["train"]["boxes"].rejected == {"missing_image": 2}
    assert store.table("objects365", "train", "boxes").num_rows == 0
