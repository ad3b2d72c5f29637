"""Merge and COCO export: accounting, determinism, atomicity, label-set rules, loading with pycocotools."""

from __future__ import annotations

import json
import shutil

import pytest
from pycocotools.coco import COCO

from bigdet import build
from bigdet.build import run
from bigdet.errors import BigdetError
from bigdet.layout import Layout
from bigdet.taxonomy import reference
from bigdet.taxonomy.targets import bigdet600

from .conftest import coco_doc, write_json

T = bigdet600().by_name


def files(out):
    return {p.name: p.read_bytes() for p in sorted((out / "annotations").glob("*.json"))} | {
        "cas_weights.json": (out / "cas_weights.json").read_bytes(),
        "merge_report.json": (out / "merge_report.json").read_bytes(),
    }


@pytest.fixture(scope="module")
def merged(tmp_path_factory, synth_root):
    tmp = tmp_path_factory.mktemp("merge")
    layout = Layout(data_root=synth_root, store=tmp / "store")
    result = run(layout, ["lvis", "oi", "o365"], tmp / "out")
    return layout, result


def test_every_box_is_exported_or_counted(merged):
    layout, result = merged
    report = result.report
    assert report["reconciles"]
    for source in ("lvis", "openimages", "objects365"):
        manifest = json.loads((layout.store / source / "manifest.json").read_text())
        for split, e in report["sources"][source].items():
            ingest_counts = manifest["splits"][split]["boxes"]
            assert e["read"] == ingest_counts["read"]
            assert e["ingest_rejected"] == ingest_counts["rejected"]
            assert e["read"] == sum(e["ingest_rejected"].values()) + sum(e["merge_dropped"].values()) + e["exported"]
    exported = sum(e["exported"] for s in report["sources"].values() for e in s.values())
    in_files = 0
    for name in report["files"]:
        coco = COCO(str(result.out / "annotations" / name))
        in_files += len(coco.getAnnIds())
    assert exported == in_files


def test_output_files_and_categories(merged):
    _, result = merged
    names = sorted(p.name for p in (result.out / "annotations").iterdir())
    assert names == ["bigdet_lvis_train.json", "bigdet_obj_train.json", "bigdet_oid_train.json", "bigdet_val.json"]
    doc = json.loads((result.out / "annotations" / "bigdet_val.json").read_text())
    assert [c["id"] for c in doc["categories"]] == list(range(1, 601))
    sneakers = doc["categories"][T["sneakers"].id - 1]
    assert sneakers["name"] == "sneakers" and sneakers["parent_ids"] == [T["shoe"].id] and sneakers["synset"] == "gym_shoe.n.01"
    assert {im["source"] for im in doc["images"]} == {"lvis", "openimages", "objects365"}
    ids = [im["id"] for im in doc["images"]]
    assert len(set(ids)) == len(ids)
    weights = json.loads((result.out / "cas_weights.json").read_text())
    assert set(weights["files"]) == {"bigdet_lvis_train.json", "bigdet_oid_train.json", "bigdet_obj_train.json"}


def test_lvis_and_objects365_boxes_are_exported_exactly(merged, synth_root):
    _, result = merged
    out = json.loads((result.out / "annotations" / "bigdet_obj_train.json").read_text())
    src = json.loads((synth_root / "objects365/zhiyuan_objv2_train.json").read_text())
    source_boxes = {(a["image_id"], tuple(a["bbox"])) for a in src["annotations"]}
    image_of = {im["id"]: int(im["source_image_id"]) for im in out["images"]}
    for a in out["annotations"][:500]:
        assert (image_of[a["image_id"]], tuple(a["bbox"])) in source_boxes


def test_same_inputs_any_order_same_bytes(tmp_path, merged, synth_root):
    layout, result = merged
    again = run(layout, ["o365", "lvis", "oi"], tmp_path / "out2")
    assert files(again.out) == files(result.out)


def test_any_subset_works(tmp_path, merged):
    layout, _ = merged
    result = run(layout, ["oi"], tmp_path / "oi_only")
    assert sorted(p.name for p in (result.out / "annotations").iterdir()) == ["bigdet_oid_train.json", "bigdet_val.json"]
    assert list(result.report["sources"]) == ["openimages"]


def test_a_failed_merge_keeps_the_previous_output(tmp_path, merged, monkeypatch):
    layout, _ = merged
    out = tmp_path / "out"
    first = run(layout, ["lvis"], out)
    before = files(first.out)
    monkeypatch.setattr(build.WrittenChecks, "finish", lambda self: ["something is off"])  # the checks made while writing
    with pytest.raises(BigdetError, match="validation failed, output not written"):
        run(layout, ["lvis", "oi"], out)
    assert files(out) == before
    monkeypatch.undo()
    monkeypatch.setattr(build, "validate", lambda *a, **k: ["something is off"])  # --deep-validate's re-read
    with pytest.raises(BigdetError, match="validation failed, output not written"):
        run(layout, ["lvis", "oi"], out, deep_validate=True)
    assert files(out) == before
    assert not [p for p in (tmp_path / "out.bigdet").iterdir() if p.name.endswith(".incomplete")]  # its staging folder is gone


def test_holdout_is_deterministic_and_keeps_rare_classes(tmp_path, merged):
    layout, _ = merged
    a = run(layout, ["lvis", "oi", "o365"], tmp_path / "a", holdout_size=60)
    b = run(layout, ["lvis", "oi", "o365"], tmp_path / "b", holdout_size=60)
    assert files(a.out) == files(b.out)
    val = json.loads((a.out / "annotations" / "bigdet_val.json").read_text())
    train_imgs = sum(f["images"] for n, f in a.report["files"].items() if n != "bigdet_val.json")
    base = run(layout, ["lvis", "oi", "o365"], tmp_path / "c")
    base_train = sum(f["images"] for n, f in base.report["files"].items() if n != "bigdet_val.json")
    assert base_train - train_imgs == 60
    assert len(val["images"]) == base.report["files"]["bigdet_val.json"]["images"] + 60
    assert a.report["reconciles"]


# -- label-set rules on hand-made sources ----------------------------------------------------------


def lvis_cat(name):
    return next(dict(c) for c in reference.lvis_categories() if c["name"] == name)


def lvis_image(i, neg=(), nex=()):
    return {"id": i, "width": 100, "height": 100, "coco_url": f"http://images.cocodataset.org/train2017/{i:012d}.jpg",
            "neg_category_ids": list(neg), "not_exhaustive_category_ids": list(nex)}


def lvis_box(i, image, cat):
    return {"id": i, "image_id": image, "category_id": cat, "bbox": [10.0, 10.0, 20.0, 20.0], "area": 400.0}


def test_label_set_rules(tmp_path):
    gull, dog, bird, shoe = lvis_cat("gull"), lvis_cat("dog"), lvis_cat("bird"), lvis_cat("shoe")
    lvis_cats = [gull, dog, bird, shoe]
    lvis_doc = coco_doc(
        [lvis_image(1, neg=[gull["id"], dog["id"]]), lvis_image(2, nex=[shoe["id"]])],
        [lvis_box(1, 1, bird["id"]) | {"id": 9, "image_id": 2, "category_id": gull["id"]}, lvis_box(2, 1, shoe["id"])],
        lvis_cats,
    )
    write_json(tmp_path / "data/lvis/lvis_v1_train.json", lvis_doc)
    o365_cats = [{"id": i, "name": orig} for i, orig, _ in reference.objects365_v2_categories()]
    sneakers_id = next(c["id"] for c in o365_cats if c["name"] == "Sneakers")
    o365_doc = coco_doc(
        [{"id": 5, "width": 100, "height": 100, "file_name": "images/v1/patch0/x.jpg"}],
        [{"id": 1, "image_id": 5, "category_id": sneakers_id, "bbox": [1.0, 1.0, 5.0, 5.0], "area": 25.0, "iscrowd": 0, "isfake": 0, "isreflected": 0}],
        o365_cats,
    )
    write_json(tmp_path / "data/objects365/zhiyuan_objv2_train.json", o365_doc)
    layout = Layout(data_root=tmp_path / "data", store=tmp_path / "store")
    result = run(layout, ["lvis", "o365"], tmp_path / "out")
    lv = json.loads((result.out / "annotations/bigdet_lvis_train.json").read_text())
    im1, im2 = lv["images"]
    # an LVIS negative keeps its meaning only through a same-meaning mapping: gull -> bird is a hypernym
    assert T["dog"].id in im1["neg_category_ids"] and T["bird"].id not in im1["neg_category_ids"]
    # a target reached through a more specific class (gull boxes -> bird) is not exhaustive
    assert T["bird"].id in im2["not_exhaustive_category_ids"] and T["shoe"].id in im2["not_exhaustive_category_ids"]
    ob = json.loads((result.out / "annotations/bigdet_obj_train.json").read_text())["images"][0]
    # Objects365 is exhaustive for its classes: person is covered and absent, so negative...
    assert T["person"].id in ob["neg_category_ids"]
    # ...but a sneakers box means shoe (its parent) is present, not negative
    assert T["sneakers"].id not in ob["neg_category_ids"] and T["shoe"].id not in ob["neg_category_ids"]


def test_open_images_positive_without_box_is_not_exhaustive(tmp_path):
    folder = tmp_path / "data/openimages"
    folder.mkdir(parents=True)
    shutil.copy(reference.__file__.replace("reference.py", "data/openimages_class-descriptions-boxable.csv"), folder / "class-descriptions-boxable.csv")
    shutil.copy(reference.__file__.replace("reference.py", "data/openimages_bbox_labels_600_hierarchy.json"), folder / "bbox_labels_600_hierarchy.json")
    mid = {n: m for m, n in reference.openimages_classes()}
    img = "00000000000000aa"
    (folder / "validation-annotations-bbox.csv").write_text(
        "ImageID,Source,LabelName,Confidence,XMin,XMax,YMin,YMax,IsOccluded,IsTruncated,IsGroupOf,IsDepiction,IsInside\n"
        f"{img},xclick,{mid['Dog']},1,0.1,0.5,0.1,0.5,0,0,0,0,0\n"
    )
    (folder / "validation-annotations-human-imagelabels-boxable.csv").write_text(
        f"ImageID,Source,LabelName,Confidence\n{img},verification,{mid['Dog']},1\n{img},verification,{mid['Cat']},1\n{img},verification,{mid['Horse']},0\n"
    )
    (folder / "image_sizes.csv").write_text(f"ImageID,width,height\n{img},200,100\n")
    layout = Layout(data_root=tmp_path / "data", store=tmp_path / "store")
    result = run(layout, ["oi"], tmp_path / "out")
    im = json.loads((result.out / "annotations/bigdet_val.json").read_text())["images"][0]
    assert im["not_exhaustive_category_ids"] == [T["cat"].id]
    assert im["neg_category_ids"] == [T["horse"].id]
    ann = json.loads((result.out / "annotations/bigdet_val.json").read_text())["annotations"][0]
    assert ann["bbox"] == pytest.approx([20.0, 10.0, 80.0, 40.0]) and ann["category_id"] == T["dog"].id


def test_open_images_without_sizes_are_counted_not_lost(tmp_path):
    folder = tmp_path / "data/openimages"
    folder.mkdir(parents=True)
    shutil.copy(reference.__file__.replace("reference.py", "data/openimages_class-descriptions-boxable.csv"), folder / "class-descriptions-boxable.csv")
    mid = {n: m for m, n in reference.openimages_classes()}
    (folder / "validation-annotations-bbox.csv").write_text(
        "ImageID,Source,LabelName,Confidence,XMin,XMax,YMin,YMax,IsOccluded,IsTruncated,IsGroupOf,IsDepiction,IsInside\n"
        f"00000000000000aa,xclick,{mid['Dog']},1,0.1,0.5,0.1,0.5,0,0,0,0,0\n00000000000000aa,xclick,{mid['Human face']},1,0.1,0.5,0.1,0.5,0,0,0,0,0\n"
    )
    layout = Layout(data_root=tmp_path / "data", store=tmp_path / "store")
    result = run(layout, ["oi"], tmp_path / "out")
    e = result.report["sources"]["openimages"]["val"]
    assert e["merge_dropped"]["unmapped_class"] == 1 and e["merge_dropped"]["unknown_image_size"] == 1 and e["exported"] == 0
    assert e["reconciles"]
