"""The generator: deterministic, real classes, realistic shapes, the documented quirks."""

from __future__ import annotations

import csv
import hashlib
import json

import numpy as np

from bigdet.synth import synthesize
from bigdet.taxonomy.reference import lvis_categories


def digest(root):
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    synthesize(tmp_path / "a", 0.0002, seed=1)
    synthesize(tmp_path / "b", 0.0002, seed=1)
    synthesize(tmp_path / "c", 0.0002, seed=2)
    a, b, c = digest(tmp_path / "a"), digest(tmp_path / "b"), digest(tmp_path / "c")
    assert a == b
    assert a["lvis/lvis_v1_train.json"] != c["lvis/lvis_v1_train.json"]


def test_counts_follow_the_scale(synth_root):
    lvis = json.loads((synth_root / "lvis/lvis_v1_train.json").read_text())
    assert len(lvis["images"]) == round(100_170 * 0.0005)
    assert len(lvis["annotations"]) == round(1_270_141 * 0.0005)
    with open(synth_root / "openimages/oidv6-train-annotations-bbox.csv") as f:
        assert sum(1 for _ in f) - 1 == round(14_610_229 * 0.0005)
    o365 = json.loads((synth_root / "objects365/zhiyuan_objv2_train.json").read_text())
    assert len(o365["annotations"]) == round(22_900_000 * 0.0005)


def test_lvis_quirks(synth_root):
    doc = json.loads((synth_root / "lvis/lvis_v1_train.json").read_text())
    assert all("file_name" not in im for im in doc["images"])
    assert doc["categories"] == list(lvis_categories())
    assert any(im["neg_category_ids"] for im in doc["images"])
    val = json.loads((synth_root / "lvis/lvis_v1_val.json").read_text())
    assert {im["coco_url"].split("/")[-2] for im in val["images"]} == {"train2017", "val2017"}
    counts = np.bincount([a["image_id"] for a in doc["annotations"]])
    counts = counts[counts > 0]
    assert counts.min() >= 1 and counts.max() > 3 * counts.mean()  # long tail of boxes per image


def test_open_images_quirks(synth_root):
    with open(synth_root / "openimages/oidv6-train-annotations-bbox.csv") as f:
        rows = list(csv.reader(f))
    assert len(rows[0]) == 21 and all(len(r) == 21 for r in rows)
    assert any(r[1] == "activemil" and r[13] == "-1" for r in rows[1:])
    with open(synth_root / "openimages/validation-annotations-bbox.csv") as f:
        assert len(next(csv.reader(f))) == 13
    labels = (synth_root / "openimages/oidv6-train-annotations-human-imagelabels-boxable.csv").read_text()
    assert ",0\n" in labels and ",1\n" in labels


def test_objects365_quirks(synth_root):
    doc = json.loads((synth_root / "objects365/zhiyuan_objv2_train.json").read_text())
    names = {c["name"] for c in doc["categories"]}
    assert {"Cigar/Cigarette ", "Formula 1 ", "Moniter/TV", "Bakset"} <= names
    assert doc["images"][0]["file_name"] == "images/v2/patch16/objects365_v2_00908726.jpg"
    boxes = [(a["image_id"], a["category_id"], tuple(a["bbox"])) for a in doc["annotations"]]
    assert len(set(boxes)) < len(boxes)  # some exact duplicate boxes


def test_images_have_the_declared_sizes(tmp_path):
    from PIL import Image

    synthesize(tmp_path, 0.0001, seed=0, images=True, sources=("objects365",))
    doc = json.loads((tmp_path / "objects365/zhiyuan_objv2_val.json").read_text())
    for im in doc["images"][:5]:
        tail = "/".join(im["file_name"].split("/")[-2:])
        with Image.open(tmp_path / "objects365/val" / tail) as f:
            assert f.size == (im["width"], im["height"])
    train = json.loads((tmp_path / "objects365/zhiyuan_objv2_train.json").read_text())
    missing = "/".join(train["images"][0]["file_name"].split("/")[-2:])
    assert not (tmp_path / "objects365/train" / missing).exists()  # a known-missing image stays missing
