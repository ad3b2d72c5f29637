"""Bring your own dataset: ``bigdet merge --sources lvis NAME=PATH`` with a small COCO dataset (train + val),
checked end to end (boxes, categories, label sets, accounting, the mapping table written), a reviewed
``--mapping``, LVIS-style lists, and bad input stopping with one line."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bigdet.build import run
from bigdet.errors import BigdetError, InputError
from bigdet.layout import Layout
from bigdet.sources.registry import UserDataset
from bigdet.validate import validate
from bigdet.taxonomy.mapping import COLUMNS
from bigdet.taxonomy.targets import bigdet600

from .conftest import coco_doc, write_json

T = bigdet600().by_name
CATEGORIES = [
    {"id": 1, "name": "dog", "supercategory": "animal"},
    {"id": 2, "name": "cat", "supercategory": "animal"},
    {"id": 7, "name": "bicycle", "supercategory": "vehicle"},
    {"id": 9, "name": "zqxv gizmo", "supercategory": "thing"},  # maps to nothing
]
TRAIN = {  # image id: [(category id, bbox)]
    10: [(1, [1.0, 2.0, 30.5, 40.25]), (9, [5.0, 5.0, 10.0, 10.0])],
    11: [(2, [0.0, 0.0, 64.0, 48.0]), (7, [10.0, 12.0, 20.0, 8.0])],
    12: [],
}
VAL = {20: [(7, [3.0, 4.0, 5.0, 6.0])], 21: [(1, [60.0, 40.0, 4.0, 8.0])]}


def dataset_doc(images: dict, first_box_id: int = 1, image_extra: dict | None = None) -> dict:
    imgs, anns = [], []
    for i, boxes in images.items():
        imgs.append({"id": i, "file_name": f"{i}.jpg", "width": 64, "height": 48, **(image_extra or {}).get(i, {})})
        for cat, bbox in boxes:
            anns.append({"id": first_box_id + len(anns), "image_id": i, "category_id": cat, "bbox": bbox, "area": bbox[2] * bbox[3], "iscrowd": 0})
    return coco_doc(imgs, anns, CATEGORIES)


@pytest.fixture(scope="module")
def merged(tmp_path_factory, synth_root):
    """LVIS (synthetic) and the dataset ``mine`` (a folder with train and val json), merged once."""
    tmp = tmp_path_factory.mktemp("mine")
    write_json(tmp / "mine" / "mine_train.json", dataset_doc(TRAIN))
    write_json(tmp / "mine" / "mine_val.json", dataset_doc(VAL, first_box_id=100))
    layout = Layout(data_root=synth_root, store=tmp / "store", datasets={"mine": UserDataset("mine", tmp / "mine")})
    result = run(layout, ["lvis", "mine"], tmp / "out")
    files = {p.name: json.loads(p.read_text()) for p in (result.out / "annotations").glob("*.json")}
    return tmp, result, files


def mine_images(doc: dict, source: str = "mine") -> dict[int, dict]:
    return {int(im["source_image_id"]): im for im in doc["images"] if im["source"] == source}


def boxes_of(doc: dict, image: dict) -> list[tuple[int, list[float]]]:
    return sorted((a["category_id"], a["bbox"]) for a in doc["annotations"] if a["image_id"] == image["id"])


def test_dataset_is_exported_as_its_own_train_file_and_joins_val(merged):
    tmp, result, files = merged
    assert sorted(files) == ["bigdet_lvis_train.json", "bigdet_mine_train.json", "bigdet_val.json"]
    train = files["bigdet_mine_train.json"]
    images = mine_images(train)
    assert sorted(images) == [10, 11, 12]
    assert images[10]["file_name"] == str((tmp / "mine").resolve() / "10.jpg")  # the json's folder, outside the data root
    assert boxes_of(train, images[10]) == [(T["dog"].id, [1.0, 2.0, 30.5, 40.25])]  # the gizmo box is dropped
    assert boxes_of(train, images[11]) == sorted([(T["cat"].id, [0.0, 0.0, 64.0, 48.0]), (T["bicycle"].id, [10.0, 12.0, 20.0, 8.0])])
    val = mine_images(files["bigdet_val.json"])
    assert sorted(val) == [20, 21]
    assert boxes_of(files["bigdet_val.json"], val[21]) == [(T["dog"].id, [60.0, 40.0, 4.0, 8.0])]
    assert {im["source"] for im in files["bigdet_val.json"]["images"]} == {"lvis", "mine"}
    assert train["categories"] == files["bigdet_lvis_train.json"]["categories"]  # one label space


def test_dataset_is_exhaustive_over_its_mapped_classes(merged):
    _, _, files = merged
    mapped = sorted(T[n].id for n in ("dog", "cat", "bicycle"))
    images = mine_images(files["bigdet_mine_train.json"])
    assert (images[10]["neg_category_ids"], images[10]["not_exhaustive_category_ids"]) == (sorted(T[n].id for n in ("cat", "bicycle")), [])
    assert images[11]["neg_category_ids"] == [T["dog"].id]
    assert images[12]["neg_category_ids"] == mapped  # no box: every mapped class verified absent
    assert all(im["not_exhaustive_category_ids"] == [] for im in images.values())


def test_dataset_accounting_reconciles_and_lists_unmapped_classes(merged):
    _, result, _ = merged
    report = result.report
    train, val = report["sources"]["mine"]["train"], report["sources"]["mine"]["val"]
    assert (train["read"], train["exported"], train["merge_dropped"]["unmapped_class"]) == (4, 3, 1)
    assert train["unmapped_classes"] == {"zqxv gizmo": 1}
    assert (val["read"], val["exported"], val["unmapped_classes"]) == (2, 2, {})
    assert train["reconciles"] and val["reconciles"] and report["reconciles"]
    assert report["sources_merged"] == ["lvis", "mine"]
    assert report["files"]["bigdet_mine_train.json"] == {"images": 3, "annotations": 3}


def test_automatic_mapping_is_written_into_the_output(merged):
    _, result, _ = merged
    assert result.report["mappings"] == {"mine": "mappings/mine.csv"}
    with open(result.out / "mappings" / "mine.csv", newline="") as f:
        reader = csv.DictReader(f)
        rows = {int(r["source_category_id"]): r for r in reader}
    assert tuple(reader.fieldnames) == COLUMNS
    assert {i: (r["target"], r["target_id"]) for i, r in rows.items()} == {
        1: ("dog", str(T["dog"].id)), 2: ("cat", str(T["cat"].id)), 7: ("bicycle", str(T["bicycle"].id)), 9: ("", "")}
    assert validate(result.out) == []  # the table is part of the output validate expects


def test_reviewed_mapping_is_used_as_given(tmp_path, merged):
    src_tmp, result, _ = merged
    with open(result.out / "mappings" / "mine.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        if r["source_name"] == "cat":  # the user decides their cats are dogs
            r.update(target="dog", target_id=str(T["dog"].id), method="manual")
    table = tmp_path / "reviewed.csv"
    with open(table, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    layout = Layout(data_root=src_tmp, store=tmp_path / "store", datasets={"mine": UserDataset("mine", src_tmp / "mine", mapping=table)})
    out = run(layout, ["mine"], tmp_path / "out")
    doc = json.loads((out.out / "annotations" / "bigdet_mine_train.json").read_text())
    image = mine_images(doc)[11]
    assert boxes_of(doc, image) == sorted([(T["dog"].id, [0.0, 0.0, 64.0, 48.0]), (T["bicycle"].id, [10.0, 12.0, 20.0, 8.0])])
    assert T["cat"].id not in image["neg_category_ids"] and T["cat"].id not in doc["images"][0]["neg_category_ids"]  # cat is fed by nothing now


def test_lvis_style_lists_make_the_dataset_federated(tmp_path):
    extra = {10: {"neg_category_ids": [2], "not_exhaustive_category_ids": [1]}, 11: {"neg_category_ids": [], "not_exhaustive_category_ids": []}}
    path = write_json(tmp_path / "set.json", dataset_doc(TRAIN, image_extra=extra))
    layout = Layout(data_root=tmp_path / "data", store=tmp_path / "store", datasets={"fed": UserDataset("fed", path)})
    out = run(layout, ["fed"], tmp_path / "out")
    images = mine_images(json.loads((out.out / "annotations" / "bigdet_fed_train.json").read_text()), "fed")
    assert (images[10]["neg_category_ids"], images[10]["not_exhaustive_category_ids"]) == ([T["cat"].id], [T["dog"].id])
    assert (images[11]["neg_category_ids"], images[11]["not_exhaustive_category_ids"]) == ([], [])  # boxed, nothing verified absent
    assert (images[12]["neg_category_ids"], images[12]["not_exhaustive_category_ids"]) == ([], [])


def test_a_class_whose_boxes_ingest_rejected_is_not_exhaustive_never_negative(tmp_path):
    rejected = {  # image id: [(category id, bbox)]; dog boxes of zero width or past the 64x48 image are rejected at ingest
        10: [(1, [1.0, 2.0, 0.0, 40.0]), (1, [60.0, 40.0, 30.0, 10.0])],  # both dog boxes rejected
        11: [(1, [1.0, 2.0, 30.0, 40.0]), (1, [50.0, 2.0, 0.0, 4.0]), (2, [0.0, 0.0, 64.0, 48.0])],  # one of two dog boxes rejected
        12: [],
    }
    path = write_json(tmp_path / "set.json", dataset_doc(rejected))
    layout = Layout(data_root=tmp_path / "data", store=tmp_path / "store", datasets={"rej": UserDataset("rej", path)})
    out = run(layout, ["rej"], tmp_path / "out")
    doc = json.loads((out.out / "annotations" / "bigdet_rej_train.json").read_text())
    images = mine_images(doc, "rej")
    assert out.report["sources"]["rej"]["train"]["ingest_rejected"] == {"nonpositive_size": 2, "outside_image": 1}
    assert boxes_of(doc, images[10]) == []
    assert (images[10]["neg_category_ids"], images[10]["not_exhaustive_category_ids"]) == (sorted(T[n].id for n in ("cat", "bicycle")), [T["dog"].id])
    assert boxes_of(doc, images[11]) == sorted([(T["dog"].id, [1.0, 2.0, 30.0, 40.0]), (T["cat"].id, [0.0, 0.0, 64.0, 48.0])])
    assert (images[11]["neg_category_ids"], images[11]["not_exhaustive_category_ids"]) == ([T["bicycle"].id], [T["dog"].id])
    assert (images[12]["neg_category_ids"], images[12]["not_exhaustive_category_ids"]) == (sorted(T[n].id for n in ("dog", "cat", "bicycle")), [])
    assert validate(out.out) == []


# -- bad input: one line naming the file and the record ----------------------------------------------


def merge_dataset(tmp_path, path: Path):
    layout = Layout(data_root=tmp_path / "data", store=tmp_path / "store", datasets={"bad": UserDataset("bad", path)})
    return run(layout, ["bad"], tmp_path / "out")


@pytest.mark.parametrize(
    "doc, message",
    [
        ([1, 2], "top-level"),
        ({"images": [], "annotations": [{"id": 1, "image_id": 1, "caption": "a dog"}], "categories": [{"id": 1, "name": "dog"}]},
         "lack the field"),
        (coco_doc([], [], [{"id": 1, "name": "dog"}, {"id": 1, "name": "cat"}]), r'"categories"\[1\]: category id 1 appears twice'),
        (coco_doc([], [], [{"id": 1, "name": "dog"}, {"id": 2, "name": " dog "}]), r"\"categories\"\[1\]: category name 'dog' appears twice"),
        (coco_doc([{"id": 1, "file_name": "1.jpg", "width": 9, "height": 9}], [{"id": 1, "image_id": 1, "category_id": 5, "bbox": [0, 0, 1, 1]}],
                  [{"id": 1, "name": "dog"}]), r'"annotations"\[0\]: category_id 5 is not in "categories"'),
        (coco_doc([], [], []), '"categories" is empty'),
        # the class table is indexed by id: -1 would silently take the slot of the highest id
        (coco_doc([], [], [{"id": -1, "name": "dog"}, {"id": 5, "name": "bicycle"}]), r'"categories"\[0\]: category id -1 is out of range \(0 to 16777215\)'),
        (coco_doc([], [], [{"id": 2**31 - 1, "name": "dog"}]), r'"categories"\[0\]: category id 2147483647 is out of range'),
    ],
    ids=["not-an-object", "captions", "duplicate-id", "duplicate-name", "unknown-category", "no-categories", "negative-id", "huge-id"],
)
def test_bad_dataset_stops_with_one_line(tmp_path, doc, message):
    path = write_json(tmp_path / "bad.json", doc)
    with pytest.raises(InputError, match=message) as err:
        merge_dataset(tmp_path, path)
    assert str(err.value).startswith(str(path)) and "\n" not in str(err.value)
    assert not (tmp_path / "out").exists()


def test_folder_with_two_train_files_is_refused(tmp_path):
    for name in ("a_train.json", "b_train.json"):
        write_json(tmp_path / "set" / name, dataset_doc(TRAIN))
    with pytest.raises(InputError, match="2 \\*train\\*.json files"):
        merge_dataset(tmp_path, tmp_path / "set")


def test_train_and_val_with_different_classes_are_refused(tmp_path):
    write_json(tmp_path / "set" / "train.json", dataset_doc(TRAIN))
    val = dataset_doc(VAL)
    val["categories"] = val["categories"][:3] + [{"id": 9, "name": "other"}]
    write_json(tmp_path / "set" / "val.json", val)
    with pytest.raises(InputError, match="val.json: its category list differs"):
        merge_dataset(tmp_path, tmp_path / "set")


def test_reviewed_mapping_with_a_wrong_target_id_is_refused(tmp_path):
    path = write_json(tmp_path / "set.json", dataset_doc(TRAIN))
    table = tmp_path / "map.csv"
    table.write_text("source_category_id,source_name,target,target_id,method\n1,dog,dog,1,manual\n")
    layout = Layout(data_root=tmp_path / "data", store=tmp_path / "store", datasets={"m": UserDataset("m", path, mapping=table)})
    with pytest.raises(BigdetError, match=f"map.csv, line 2: target_id '1' is not dog's id {T['dog'].id}"):
        run(layout, ["m"], tmp_path / "out")


@pytest.mark.parametrize(
    "table, message",
    [
        ("source_category_id,source_name,target,target_id,method\n", r"has no row for 4 of the dataset's 4 classes \(first: id 1, 'dog'\)"),
        (f"source_category_id,source_name,target,target_id,method\n1,dog,dog,{T['dog'].id},manual\n",
         r"has no row for 3 of the dataset's 4 classes \(first: id 2, 'cat'\)"),
        (f"source_category_id,source_name,target,target_id,method\n1,sofa,dog,{T['dog'].id},manual\n",
         r"line 2: source_name 'sofa' is not the dataset's class 1 \('dog'\)"),
    ],
    ids=["header-only", "classes-left-out", "another-datasets-table"],
)
def test_reviewed_mapping_that_does_not_fit_the_dataset_is_refused(tmp_path, table, message):
    path = write_json(tmp_path / "set.json", dataset_doc(TRAIN))
    (tmp_path / "map.csv").write_text(table)
    layout = Layout(data_root=tmp_path / "data", store=tmp_path / "store", datasets={"m": UserDataset("m", path, mapping=tmp_path / "map.csv")})
    with pytest.raises(InputError, match=message) as err:
        run(layout, ["m"], tmp_path / "out")
    assert "\n" not in str(err.value)
    assert not (tmp_path / "out").exists()


def test_cli_merges_name_equals_path(tmp_path):
    from bigdet.cli.main import app

    path = write_json(tmp_path / "set" / "train.json", dataset_doc(TRAIN))
    (tmp_path / "pics").mkdir()
    result = CliRunner().invoke(app, ["merge", "--sources", f"mine={path}", "--image-root", f"mine={tmp_path / 'pics'}",
                                      "--data-root", str(tmp_path / "data"), "--store", str(tmp_path / "store"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "zqxv gizmo 1" in result.output and "mappings/mine.csv" in result.output
    doc = json.loads((tmp_path / "out" / "annotations" / "bigdet_mine_train.json").read_text())
    assert doc["images"][0]["file_name"] == str((tmp_path / "pics").resolve() / "10.jpg")
    bad = CliRunner().invoke(app, ["merge", "--sources", f"lvis={path}", "--store", str(tmp_path / "store"), "--out", str(tmp_path / "out2")])
    assert bad.exit_code == 1 and "taken by a built-in source" in bad.output


def test_stats_and_browse_count_the_dataset_as_a_source(merged):
    from bigdet import browse, stats

    _, result, _ = merged
    described = stats.describe(result.out)
    assert described["sources"]["mine"] == {"images": 5, "boxes": 5}
    selection = browse.read(result.out, "train")
    mine = selection.images.filter(pc.equal(selection.images.column("source"), "mine"))
    assert sorted(mine.column("source_image_id").to_pylist()) == ["10", "11", "12"]


def test_coco_export_samples_the_dataset_after_the_builtins(merged, tmp_path):
    from bigdet.exporters import export

    _, result, _ = merged
    report = export(result.out, "coco", tmp_path / "coco").report
    assert report["sampler_weights"]["order"] == ["bigdet_lvis_train.json", "bigdet_mine_train.json"]
    assert report["sampler_weights"]["images"]["bigdet_mine_train.json"] == 2  # image 12 has no box: mmdet drops it
    weights = json.loads((tmp_path / "coco" / "annotations" / "cas_weights.json").read_text())
    mine = mine_images(json.loads((result.out / "annotations" / "bigdet_mine_train.json").read_text()))
    assert list(weights)[-2:] == [str(mine[10]["id"]), str(mine[11]["id"])]  # the dataset's boxed images come last, in file order


# -- the mapping table: what merge writes, --mapping reads back unchanged ------------------------------

_NAMES = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20).filter(lambda s: s.strip())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_NAMES, st.sampled_from(["dog", "cat", "bicycle", ""]), _NAMES), min_size=1, max_size=8))
def test_written_mapping_table_reads_back_as_written(tmp_path_factory, classes):
    """Any class names and notes (commas, quotes, newlines, any script): the table ``write_mapping`` writes is a
    valid --mapping, and ``read_mapping`` returns exactly its rows (``csv`` is the reference)."""
    from bigdet.sources.coco import read_mapping, write_mapping

    space = bigdet600()
    rows = tuple(
        {"source_category_id": i, "source_name": name, "target": target, "target_id": str(space.by_name[target].id) if target else "",
         "method": "manual" if target else "none", "score": "1.00", "synset": "", "runner_up": "", "note": note}
        for i, (name, target, note) in enumerate(classes, start=1)
    )
    path = tmp_path_factory.mktemp("table") / "mine.csv"
    write_mapping(path, rows)
    with open(path, newline="", encoding="utf-8") as f:
        assert [dict(r) for r in csv.DictReader(f)] == [{k: str(v) for k, v in r.items()} for r in rows]
    categories = pa.table({"category_id": pa.array([r["source_category_id"] for r in rows], pa.int32()),
                           "clean_name": pa.array([r["source_name"].strip() for r in rows], pa.string())})
    assert read_mapping(path, categories, space) == rows


def test_cli_ingest_reads_a_dataset_into_its_own_store_folder(tmp_path):
    from bigdet.cli.main import app

    path = write_json(tmp_path / "set" / "train.json", dataset_doc(TRAIN))
    result = CliRunner().invoke(app, ["ingest", f"mine={path}", "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "store" / "datasets" / "mine" / "manifest.json").read_text())
    assert (manifest["source"], manifest["version"], manifest["label_lists"]) == ("mine", "coco", False)
    assert manifest["splits"]["train"]["boxes"] == {"read": 4, "stored": 4, "rejected": {}}
    again = CliRunner().invoke(app, ["ingest", f"mine={path}", "--store", str(tmp_path / "store")])
    assert "up to date, not re-read" in again.output
