"""bigdet export: coco (links), parquet (one row per image, shards, readable by datasets), yolo (Ultralytics);
fiftyone (FiftyOne's folder format, read back with from_dir); round trips of boxes and classes across the three;
atomic writes; one-line errors."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from bigdet.build import run
from bigdet.errors import BigdetError, InputError
from bigdet.exporters import export
from bigdet.layout import Layout


_MERGED: dict[Path, Path] = {}


def merged_output(tmp_path_factory, synth_root) -> Path:
    """One merge of the synthetic download per session, shared with test_data_loader (read-only)."""
    if synth_root not in _MERGED:
        tmp = tmp_path_factory.mktemp("export")
        run(Layout(data_root=synth_root, store=tmp / "store"), ["lvis", "oi", "o365"], tmp / "out")
        _MERGED[synth_root] = tmp / "out"
    return _MERGED[synth_root]


@pytest.fixture(scope="module")
def merged(tmp_path_factory, synth_root) -> Path:
    return merged_output(tmp_path_factory, synth_root)


@pytest.fixture(scope="module")
def coco_boxes(merged) -> dict:
    """image id -> (file_name, width, height, sorted [(category_id, x, y, w, h, iscrowd)]) from the merged json."""
    out = {}
    for path in sorted((merged / "annotations").glob("*.json")):
        doc = json.loads(path.read_text())
        for im in doc["images"]:
            out[im["id"]] = {"image": im, "split": "val" if path.stem.endswith("val") else "train", "boxes": []}
        for a in doc["annotations"]:
            out[a["image_id"]]["boxes"].append((a["category_id"], *a["bbox"], a["iscrowd"]))
        out["_categories"] = doc["categories"]
        out["_root"] = doc["image_root"]
    return out


@pytest.fixture(scope="module")
def parquet_export(merged, tmp_path_factory) -> Path:
    # a tiny shard size forces several shards per split, so the shard logic is exercised
    return export(merged, "parquet", tmp_path_factory.mktemp("pq") / "parquet", shard_bytes=20_000, row_group=50).dest


def read_parquet_rows(folder: Path) -> dict:
    rows = {}
    for path in sorted((folder / "data").glob("*.parquet")):
        for r in pq.read_table(path).to_pylist():
            rows[r["image_id"]] = r
    return rows


def test_parquet_has_one_row_per_image_with_the_json_boxes(merged, coco_boxes, parquet_export):
    rows = read_parquet_rows(parquet_export)
    images = {k: v for k, v in coco_boxes.items() if not str(k).startswith("_")}
    assert set(rows) == set(images)
    n_boxes = 0
    for image_id, e in images.items():
        r, im = rows[image_id], e["image"]
        assert (r["file_name"], r["width"], r["height"], r["source"], r["source_image_id"], r["split"]) == (
            im["file_name"], im["width"], im["height"], im["source"], im["source_image_id"], e["split"])
        assert r["neg_category_ids"] == im["neg_category_ids"]
        assert r["not_exhaustive_category_ids"] == im["not_exhaustive_category_ids"]
        got = [(c, *b, int(z)) for c, b, z in zip(r["category_id"], r["bbox"], r["iscrowd"])]
        assert got == e["boxes"]  # exact: same floats, same order as the json
        n_boxes += len(got)
    report = json.loads((parquet_export / "export_report.json").read_text())
    assert report["boxes"] == n_boxes and report["images"] == len(images)
    assert report["image_root"] == coco_boxes["_root"]


def test_parquet_is_sharded_by_size_with_hugging_face_names(parquet_export):
    report = json.loads((parquet_export / "export_report.json").read_text())
    train = report["shards"]["train"]
    assert len(train) > 1
    assert train == [f"train-{k:05d}-of-{len(train):05d}.parquet" for k in range(len(train))]
    assert sorted(p.name for p in (parquet_export / "data").iterdir()) == sorted(train + report["shards"]["val"])


def test_parquet_loads_with_datasets(parquet_export, coco_boxes):
    datasets = pytest.importorskip("datasets")
    files = {split: str(parquet_export / "data" / f"{split}-*.parquet") for split in ("train", "val")}
    ds = datasets.load_dataset("parquet", data_files=files, cache_dir=str(parquet_export.parent / "hf_cache"))
    images = {k: v for k, v in coco_boxes.items() if not str(k).startswith("_")}
    assert ds["train"].num_rows + ds["val"].num_rows == len(images)
    row = ds["train"][0]
    e = images[row["image_id"]]
    assert [list(b) for b in row["bbox"]] == [list(b[1:5]) for b in e["boxes"]]
    assert row["category_id"] == [b[0] for b in e["boxes"]]


def test_parquet_loads_with_pandas(parquet_export, coco_boxes):
    import pandas as pd

    df = pd.concat([pd.read_parquet(p) for p in sorted((parquet_export / "data").glob("train-*.parquet"))])
    images = [k for k, v in coco_boxes.items() if not str(k).startswith("_") and v["split"] == "train"]
    assert sorted(df["image_id"]) == sorted(images)


def _expected_rows(coco_boxes) -> dict:
    """image id -> (split, [category ids], [[x, y, w, h]], negative ids) as the merged json has them."""
    return {
        k: (v["split"], [b[0] for b in v["boxes"]], [list(b[1:5]) for b in v["boxes"]], v["image"]["neg_category_ids"])
        for k, v in coco_boxes.items() if not str(k).startswith("_")
    }


def test_parquet_reads_with_polars_as_the_json(parquet_export, coco_boxes):
    pl = pytest.importorskip("polars")
    df = pl.read_parquet(str(parquet_export / "data" / "*.parquet"))  # every shard of both splits, by glob
    got = {r["image_id"]: (r["split"], r["category_id"], [list(b) for b in r["bbox"]], r["neg_category_ids"]) for r in df.iter_rows(named=True)}
    assert got == _expected_rows(coco_boxes)
    # list columns work as lists: boxes per image summed equal the boxes exported
    report = json.loads((parquet_export / "export_report.json").read_text())
    assert df.select(pl.col("category_id").list.len().sum()).item() == report["boxes"]


def test_parquet_reads_with_duckdb_as_the_json(parquet_export, coco_boxes):
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect()
    glob = str(parquet_export / "data" / "*.parquet")
    rows = con.execute(f"SELECT image_id, split, category_id, bbox, neg_category_ids FROM read_parquet('{glob}')").fetchall()
    got = {i: (s, list(c), [list(b) for b in bb], list(n)) for i, s, c, bb, n in rows}
    assert got == _expected_rows(coco_boxes)
    # unnest: one row per box, with the box's own fields side by side
    per_box = con.execute(
        f"SELECT count(*), sum(a) FROM (SELECT unnest(area) AS a FROM read_parquet('{glob}'))"
    ).fetchone()
    report = json.loads((parquet_export / "export_report.json").read_text())
    assert per_box[0] == report["boxes"]
    areas = [a for path in (parquet_export / "data").glob("*.parquet") for row in pq.read_table(path, columns=["area"]).column("area").to_pylist() for a in row]
    assert per_box[1] == pytest.approx(sum(areas), rel=1e-12)


def yolo_rows(folder: Path) -> dict:
    out = {}
    for txt in (folder / "labels").glob("*/*.txt"):
        out[int(txt.stem)] = [tuple(float(v) if k else int(v) for k, v in enumerate(line.split())) for line in txt.read_text().splitlines()]
    return out


@pytest.fixture(scope="module")
def yolo_export(merged, tmp_path_factory) -> Path:
    return export(merged, "yolo", tmp_path_factory.mktemp("yolo") / "yolo").dest


def test_boxes_and_classes_round_trip_across_coco_parquet_and_yolo(coco_boxes, parquet_export, yolo_export):
    """The same boxes (to 1e-6 relative) and classes from the json, the parquet rows and the YOLO labels."""
    cats = sorted(coco_boxes["_categories"], key=lambda c: c["id"])
    class_id = [c["id"] for c in cats]
    rows, labels = read_parquet_rows(parquet_export), yolo_rows(yolo_export)
    compared = 0
    for image_id, e in coco_boxes.items():
        if str(image_id).startswith("_"):
            continue
        W, H = e["image"]["width"], e["image"]["height"]
        want = sorted(b[:5] for b in e["boxes"] if not b[5])  # YOLO leaves crowd boxes out (counted)
        r = rows[image_id]
        from_parquet = sorted((c, *b) for c, b, z in zip(r["category_id"], r["bbox"], r["iscrowd"]) if not z)
        from_yolo = sorted((class_id[k], (cx - w / 2) * W, (cy - h / 2) * H, w * W, h * H) for k, cx, cy, w, h in labels[image_id])
        for got in (from_parquet, from_yolo):
            assert [g[0] for g in got] == [w[0] for w in want]
            np.testing.assert_allclose(np.array([g[1:] for g in got]).reshape(-1, 4), np.array([w[1:] for w in want]).reshape(-1, 4), rtol=1e-6, atol=1e-9 * max(W, H))
        compared += len(want)
    assert compared > 100


def test_yolo_layout_links_images_and_counts_crowd_boxes(coco_boxes, yolo_export):
    report = json.loads((yolo_export / "export_report.json").read_text())
    all_boxes = [b for k, v in coco_boxes.items() if not str(k).startswith("_") for b in v["boxes"]]
    crowd = sum(1 for b in all_boxes if b[5])
    assert crowd > 0  # the synthetic set has group-of / crowd boxes: the rule is exercised
    assert report["crowd_left_out"] == crowd
    assert report["boxes"] + report["crowd_left_out"] == len(all_boxes)
    assert sum(len(v) for v in yolo_rows(yolo_export).values()) == report["boxes"]
    image_id, e = next((k, v) for k, v in coco_boxes.items() if not str(k).startswith("_"))
    link = next((yolo_export / "images" / e["split"]).glob(f"{image_id}.*"))
    assert link.is_symlink() and os.readlink(link) == os.path.abspath(Path(coco_boxes["_root"]) / e["image"]["file_name"])
    yaml_text = (yolo_export / "data.yaml").read_text()
    names = sorted(coco_boxes["_categories"], key=lambda c: c["id"])
    assert "train: images/train" in yaml_text and "val: images/val" in yaml_text
    assert f'  0: {json.dumps(names[0]["name"])}' in yaml_text and f"nc: {len(names)}" in yaml_text
    assert "\npath:" not in yaml_text  # Ultralytics then resolves against the yaml's own folder


def test_yolo_data_yaml_parses_as_yaml_with_all_names(yolo_export, coco_boxes):
    yaml = pytest.importorskip("yaml")
    doc = yaml.safe_load((yolo_export / "data.yaml").read_text())
    names = [c["name"] for c in sorted(coco_boxes["_categories"], key=lambda c: c["id"])]
    assert doc["names"] == dict(enumerate(names)) and doc["nc"] == len(names)


def test_coco_export_links_the_merged_files(merged, tmp_path):
    dest = export(merged, "coco", tmp_path / "coco").dest
    for src in (merged / "annotations").glob("*.json"):
        assert (dest / "annotations" / src.name).read_bytes() == src.read_bytes()
    assert (dest / "cas_weights.json").read_bytes() == (merged / "cas_weights.json").read_bytes()


def test_failed_export_leaves_no_folder_and_keeps_the_old_one(merged, tmp_path, monkeypatch):
    dest = tmp_path / "pq"
    export(merged, "parquet", dest, shard_bytes=20_000, row_group=50)
    before = {p.relative_to(dest): p.read_bytes() for p in sorted(dest.rglob("*")) if p.is_file()}
    from bigdet.exporters import parquet

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(parquet, "image_batches", boom)
    with pytest.raises(RuntimeError):
        export(merged, "parquet", dest)
    assert {p.relative_to(dest): p.read_bytes() for p in sorted(dest.rglob("*")) if p.is_file()} == before
    versions = tmp_path / "pq.bigdet"
    assert not [p for p in versions.iterdir() if p.name.endswith(".incomplete")]


def test_a_box_of_an_unknown_image_is_one_clear_error(tmp_path):
    from .conftest import coco_doc, write_json

    doc = coco_doc(
        [{"id": 1, "file_name": "a.jpg", "width": 10, "height": 10, "source": "lvis", "source_image_id": "1", "neg_category_ids": [], "not_exhaustive_category_ids": []}],
        [{"id": 1, "image_id": 2, "category_id": 1, "bbox": [0, 0, 1, 1], "area": 1, "iscrowd": 0}],
        [{"id": 1, "name": "a"}],
    )
    write_json(tmp_path / "out" / "annotations" / "bigdet_val.json", doc)
    with pytest.raises(InputError, match=r"bigdet_val\.json: 1 of 1 annotations name an image_id"):
        export(tmp_path / "out", "parquet", tmp_path / "pq")
    assert not (tmp_path / "pq").exists() and not (tmp_path / "pq.incomplete").exists()


def test_not_a_merged_folder_and_unsafe_destinations_are_refused(merged, tmp_path):
    with pytest.raises(InputError, match="no annotations/ folder"):
        export(tmp_path, "parquet", tmp_path / "x")
    for unsafe in (merged.parent, merged, merged / "annotations" / "x", merged / "elsewhere"):
        with pytest.raises(BigdetError, match="would write into or over the merged output"):
            export(merged, "coco", unsafe)
    with pytest.raises(BigdetError, match="--to .*choose another --to"):
        (tmp_path / "mine").mkdir()  # a folder of the user's, with files: named as --to, not as a store folder
        (tmp_path / "mine" / "notes.txt").write_text("mine")
        export(merged, "yolo", tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text() == "mine"


def test_an_export_of_a_coco_export_reads_only_annotation_files(merged, tmp_path):
    """The coco export adds BigDetection's annotations/cas_weights.json; stats, validate and the other
    exporters read the folder's annotation files without it (outputs.annotation_files)."""
    from bigdet.stats import describe

    coco_dest = export(merged, "coco", tmp_path / "coco").dest
    assert (coco_dest / "annotations" / "cas_weights.json").is_file()
    of_export, of_merge = describe(coco_dest), describe(merged)
    assert of_export["splits"] == of_merge["splits"] and of_export["categories"] == of_merge["categories"]
    parquet = export(coco_dest, "parquet", tmp_path / "pq")
    assert parquet.report["images"] == export(merged, "parquet", tmp_path / "pq2").report["images"]
    with pytest.raises(BigdetError, match="unknown export format"):
        export(merged, "voc")


def test_cli_export_prints_counts(merged, tmp_path):
    from typer.testing import CliRunner

    from bigdet.cli.main import app

    result = CliRunner().invoke(app, ["export", str(merged), "--format", "yolo", "--to", str(tmp_path / "y")])
    assert result.exit_code == 0, result.output
    assert "yolo written to" in result.output and "crowd left out" in result.output
    bad = CliRunner().invoke(app, ["export", str(tmp_path / "nope"), "--format", "parquet"])
    assert bad.exit_code == 1


def mmdet2_training_order(folder: Path) -> list[int]:
    """The image ids of BigDetection's training set, index by index, as its mmdet 2.x config builds it:
    ConcatDataset of CocoDataset(obj), (oid), (lvis), each without images lacking annotations or with a
    side under 32 px (CocoDataset._filter_imgs; json ids are written in file order)."""
    order = []
    for name in ("bigdet_obj_train.json", "bigdet_oid_train.json", "bigdet_lvis_train.json"):
        doc = json.loads((folder / "annotations" / name).read_text())
        with_ann = {a["image_id"] for a in doc["annotations"]}
        order += [im["id"] for im in doc["images"] if im["id"] in with_ann and min(im["width"], im["height"]) >= 32]
    return order


def test_coco_export_cas_weights_align_with_bigdetections_sampler_order(merged, tmp_path):
    dest = export(merged, "coco", tmp_path / "coco").dest
    sampler = json.loads((dest / "annotations" / "cas_weights.json").read_text())
    merge_weights = {i: w for f in json.loads((merged / "cas_weights.json").read_text())["files"].values() for i, w in zip(f["image_ids"], f["weights"])}
    order = mmdet2_training_order(merged)
    all_train = sum(len(json.loads(p.read_text())["images"]) for p in (merged / "annotations").glob("*_train.json"))
    assert 0 < len(order) < all_train  # the synthetic set has images the filter drops
    assert [int(k) for k in sampler] == order  # index k of the sampler's weights is dataset index k
    assert list(sampler.values()) == [merge_weights[i] for i in order]
    report = json.loads((dest / "export_report.json").read_text())
    assert report["sampler_weights"]["order"] == ["bigdet_obj_train.json", "bigdet_oid_train.json", "bigdet_lvis_train.json"]


def test_coco_export_without_the_filter_keeps_every_train_image(merged, tmp_path):
    dest = export(merged, "coco", tmp_path / "coco", cas_filter=False).dest
    sampler = json.loads((dest / "annotations" / "cas_weights.json").read_text())
    want = []
    for name in ("bigdet_obj_train.json", "bigdet_oid_train.json", "bigdet_lvis_train.json"):
        want += [im["id"] for im in json.loads((merged / "annotations" / name).read_text())["images"]]
    assert [int(k) for k in sampler] == want


def test_an_export_and_an_eval_of_the_merged_folder_keep_it_valid(tmp_path, synth_root):
    """`bigdet export OUT` writes OUT/exports/FORMAT by default; validate's file-list check (the
    files are those merge_report.json lists) leaves that subtree alone, and still finds strays."""
    from bigdet.validate import validate

    out = tmp_path / "out"
    run(Layout(data_root=synth_root, store=tmp_path / "store"), ["lvis"], out)
    result = export(out, "yolo")
    assert result.dest == out / "exports" / "yolo" and (result.dest / "data.yaml").is_file()
    assert validate(out) == []
    from bigdet.eval import evaluate  # eval keeps its train-image counts beside the val file
    from bigdet.synth import predictions

    predictions.generate(out / "annotations" / "bigdet_val.json", tmp_path / "pred.json", seed=1, per_image=5)
    evaluate(tmp_path / "pred.json", out)
    assert list((out / "annotations").glob(".bigdet_eval*")) and validate(out) == []
    (out / "annotations" / "stray.json.tmp").write_text("{}")
    assert any("stray.json.tmp: not written by this merge" in p for p in validate(out))


# --- fiftyone -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fiftyone_export(merged, tmp_path_factory) -> Path:
    return export(merged, "fiftyone", tmp_path_factory.mktemp("fo") / "fiftyone").dest


def merged_json(merged: Path) -> tuple[dict, dict, dict]:
    """image id -> (image, split, file name); annotation id -> annotation; category id -> name."""
    images, anns, names = {}, {}, {}
    for path in sorted((merged / "annotations").glob("*.json")):
        doc = json.loads(path.read_text())
        for im in doc["images"]:
            images[im["id"]] = (im, "val" if path.stem.endswith("val") else "train", path.name, doc["image_root"])
        for a in doc["annotations"]:
            anns[a["id"]] = a
        names = {c["id"]: c["name"] for c in doc["categories"]}
    return images, anns, names


def assert_sample_equals_json(sample: dict, images: dict, anns: dict, names: dict, seen: set) -> None:
    """One exported / imported sample (as a plain dict) against its image and boxes in the merged json."""
    im, split, file_name, root = images[sample["bigdet_image_id"]]
    assert sample["filepath"] == os.path.join(root, im["file_name"])
    assert (sample["metadata"]["width"], sample["metadata"]["height"]) == (im["width"], im["height"])
    assert (sample["source"], sample["split"], sample["source_image_id"], sample["annotation_file"]) == (im["source"], split, im["source_image_id"], file_name)
    assert sample["negative_labels"] == [names[c] for c in im["neg_category_ids"]]
    assert sample["not_exhaustive_labels"] == [names[c] for c in im["not_exhaustive_category_ids"]]
    for d in sample["ground_truth"]["detections"]:
        a = anns[d["annotation_id"]]
        seen.add(a["id"])
        x, y, w, h = a["bbox"]
        assert a["image_id"] == im["id"] and d["label"] == names[a["category_id"]] and d["category_id"] == a["category_id"]
        assert d["bounding_box"] == pytest.approx([x / im["width"], y / im["height"], w / im["width"], h / im["height"]], rel=1e-12)
        assert d["iscrowd"] is bool(a["iscrowd"]) and d["area"] == pytest.approx(a["area"])
        for flag in ("is_occluded", "is_group_of", "is_truncated"):
            if flag in a:
                assert d.get(flag) == (None if a[flag] == -1 else bool(a[flag])), (a, flag)


def test_fiftyone_export_is_fiftyones_folder_format_with_every_box(merged, fiftyone_export):
    """metadata.json carries a FiftyOne version and the schema; samples.json every image and box of the json."""
    images, anns, names = merged_json(merged)
    meta = json.loads((fiftyone_export / "metadata.json").read_text())
    assert meta["version"] == "1.0.0" and meta["media_type"] == "image"
    assert meta["default_classes"] == [names[i] for i in sorted(names)]
    fields = {f["name"]: f for f in meta["sample_fields"]}
    assert fields["ground_truth"]["embedded_doc_type"] == "fiftyone.core.labels.Detections"
    detection = {f["name"]: f["ftype"] for f in fields["ground_truth"]["fields"][0]["fields"]}
    assert detection["is_occluded"] == "fiftyone.core.fields.BooleanField" and detection["parents"] == "fiftyone.core.fields.ListField"
    samples = json.loads((fiftyone_export / "samples.json").read_text())["samples"]
    assert sorted(s["bigdet_image_id"] for s in samples) == sorted(images)
    ids = [s["_id"]["$oid"] for s in samples] + [d["_id"]["$oid"] for s in samples for d in s["ground_truth"]["detections"]]
    assert len(set(ids)) == len(ids) and all(len(i) == 24 for i in ids)  # MongoDB object ids, unique
    seen: set = set()
    for s in samples:
        assert_sample_equals_json(s, images, anns, names, seen)
        # empty per-box attributes / tags are left to FiftyOne's defaults: each dict costs its importer a call
        assert all("attributes" not in d and "tags" not in d for d in s["ground_truth"]["detections"])
    assert seen == set(anns)
    report = json.loads((fiftyone_export / "export_report.json").read_text())
    assert (report["images"], report["boxes"]) == (len(images), len(anns))


def test_fiftyone_export_round_trips_through_from_dir(merged, fiftyone_export, tmp_path_factory):
    """FiftyOne's own importer reads the folder back: every field equals the merged json."""
    if importlib.util.find_spec("fiftyone") is None:
        if os.environ.get("BIGDET_REQUIRE_BROWSE") == "1":
            pytest.fail("FiftyOne is missing but BIGDET_REQUIRE_BROWSE=1")
        pytest.skip("FiftyOne is not installed (scripts/setup.sh dev,browse)")
    from bigdet import browse

    os.environ.setdefault("FIFTYONE_DATABASE_DIR", str(tmp_path_factory.mktemp("fiftyone-db")))
    fo = browse._fiftyone()
    images, anns, names = merged_json(merged)
    ds = fo.Dataset.from_dir(str(fiftyone_export), dataset_type=fo.types.FiftyOneDataset, progress=False)
    try:
        assert len(ds) == len(images) and ds.count("ground_truth.detections") == len(anns)
        assert ds.default_classes == [names[i] for i in sorted(names)]
        schema = ds.get_field_schema(flat=True)
        assert isinstance(schema["ground_truth.detections.is_occluded"], fo.BooleanField)
        assert isinstance(schema["ground_truth.detections.ancestors"], fo.ListField)
        seen: set = set()
        for sample in ds:
            d = sample.to_dict()
            assert_sample_equals_json(d, images, anns, names, seen)
            assert all(det.tags == [] and det.attributes == {} for det in sample.ground_truth.detections)  # FiftyOne's defaults
        assert seen == set(anns)
    finally:
        ds.delete()


def test_failed_fiftyone_export_leaves_no_folder_and_keeps_the_old_one(merged, tmp_path, monkeypatch):
    dest = tmp_path / "fo"
    export(merged, "fiftyone", dest)
    before = {p.name: p.read_bytes() for p in dest.iterdir()}
    from bigdet.exporters import fiftyone

    real_add = fiftyone.SamplesWriter.add

    def add_then_fail(self, selection, **kwargs):
        real_add(self, selection, **kwargs)  # part of samples.json is written, then the disk fills
        raise OSError("disk full")

    monkeypatch.setattr(fiftyone.SamplesWriter, "add", add_then_fail)
    with pytest.raises(OSError, match="disk full"):
        export(merged, "fiftyone", dest)
    assert {p.name: p.read_bytes() for p in dest.iterdir()} == before
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".incomplete")]
