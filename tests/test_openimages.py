"""Open Images reader: real sample rows, file variants, sizes, hierarchy, label sets, bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from bigdet.errors import InputError
from bigdet.ingest import ingest
from bigdet.layout import Layout
from bigdet.store import Store

from .conftest import DATA

SAMPLES = DATA / "openimages_samples"
TAXONOMY_DATA = Path(__file__).parent.parent / "taxonomy" / "data"
A, B = "00000000000000aa", "00000000000000bb"
HEADER13 = "ImageID,Source,LabelName,Confidence,XMin,XMax,YMin,YMax,IsOccluded,IsTruncated,IsGroupOf,IsDepiction,IsInside"


def oi_folder(tmp_path, classes: str | None = None, hierarchy=True) -> Path:
    folder = tmp_path / "data/openimages"
    folder.mkdir(parents=True)
    if classes is None:
        shutil.copy(TAXONOMY_DATA / "openimages_class-descriptions-boxable.csv", folder / "class-descriptions-boxable.csv")
    else:
        (folder / "oidv7-class-descriptions-boxable.csv").write_bytes(classes.encode())
    if hierarchy:
        shutil.copy(TAXONOMY_DATA / "openimages_bbox_labels_600_hierarchy.json", folder / "bbox_labels_600_hierarchy.json")
    return folder


def run(tmp_path):
    layout = Layout(data_root=tmp_path / "data", store=tmp_path / "store")
    return ingest("oi", layout), Store(layout.store)


def test_real_sample_rows_ingest(tmp_path):
    folder = oi_folder(tmp_path)
    shutil.copy(SAMPLES / "openimages_v6_oidv6-train-annotations-bbox_head.csv", folder / "oidv6-train-annotations-bbox.csv")
    shutil.copy(SAMPLES / "openimages_v5_bbox_13col_official_page_rows.csv", folder / "validation-annotations-bbox.csv")
    shutil.copy(SAMPLES / "openimages_v6_train-annotations-human-imagelabels-boxable_head.csv", folder / "oidv6-train-annotations-human-imagelabels-boxable.csv")
    shutil.copy(SAMPLES / "openimages_train-images-boxable-with-rotation_head.csv", folder / "train-images-boxable-with-rotation.csv")
    (folder / "image_sizes.csv").write_text("ImageID,width,height\n000002b66c9c498e,1024,683\n")
    report, store = run(tmp_path)
    assert report.reconciles
    assert report.counts["train"]["boxes"].as_dict() == {"read": 3, "stored": 3, "rejected": {}}
    assert report.counts["val"]["boxes"].as_dict() == {"read": 4, "stored": 4, "rejected": {}}

    cats = store.categories("openimages").to_pandas().set_index("mid")
    boxes = store.table("openimages", "train", "boxes").to_pylist()
    first = boxes[0]
    assert cats.loc["/m/01g317", "name"] == "Person" and first["category_id"] == cats.loc["/m/01g317", "category_id"]
    assert first["box_id"] == 2  # line 2 of the file
    assert (first["norm_xmin"], first["norm_xmax"], first["norm_ymin"], first["norm_ymax"]) == (0.0125, 0.195312, 0.148438, 0.5875)
    assert first["x"] == pytest.approx(0.0125 * 1024) and first["w"] == pytest.approx((0.195312 - 0.0125) * 1024)
    assert first["y"] == pytest.approx(0.148438 * 683) and first["h"] == pytest.approx((0.5875 - 0.148438) * 683)
    assert (first["label_source"], first["is_truncated"], first["is_occluded"]) == ("xclick", 1, 0)
    assert boxes[2]["is_occluded"] == 1

    val = store.table("openimages", "val", "boxes").to_pylist()
    assert val[1]["is_group_of"] == 1 and val[1]["iscrowd"] is True
    assert val[0]["x"] is None  # no size known for val images

    labels = store.table("openimages", "train", "image_labels").to_pylist()
    assert [(l["kind"], l["label_source"]) for l in labels] == [("negative", "verification"), ("positive", "verification"), ("negative", "verification"), ("negative", "verification")]
    images = store.table("openimages", "train", "images").to_pandas().set_index("source_image_id")
    assert images.loc["000002b66c9c498e", "file_name"] == "train/000002b66c9c498e.jpg"
    assert images.loc["4fa8054781a4c382", "rotation"] == 0  # from the metadata file (an image without boxes)
    assert images.loc["000002b66c9c498e", "width"] == 1024


def test_v7_class_file_with_bom_and_crlf(tmp_path):
    folder = oi_folder(tmp_path, classes="\ufeffLabelName,DisplayName\r\n/m/01g317,Person\r\n/m/0199g,\"Bicycle, road\"\r\n", hierarchy=False)
    (folder / "validation-annotations-bbox.csv").write_text(HEADER13 + f"\n{A},xclick,/m/0199g,1,0.1,0.2,0.1,0.2,0,0,0,0,0\n")
    report, store = run(tmp_path)
    assert report.version == "v7"
    cats = store.categories("openimages").to_pylist()
    assert [(c["category_id"], c["mid"], c["name"]) for c in cats] == [(1, "/m/01g317", "Person"), (2, "/m/0199g", "Bicycle, road")]
    assert store.table("openimages", "val", "boxes").column("category_id").to_pylist() == [2]
    assert any("no hierarchy" in n for n in report.notes)


def test_hierarchy_gives_every_parent(tmp_path):
    folder = oi_folder(tmp_path)
    (folder / "validation-annotations-bbox.csv").write_text(HEADER13 + f"\n{A},xclick,/m/01g317,1,0.1,0.2,0.1,0.2,0,0,0,0,0\n")
    _, store = run(tmp_path)
    cats = store.categories("openimages").to_pandas().set_index("name")
    multi = cats[cats.parents.map(len) > 1]
    assert len(multi) == 45  # classes with more than one distinct Subcategory parent
    mid = dict(zip(cats.mid, cats.index))
    assert sorted(mid[p] for p in cats.loc["Teddy bear", "parents"]) == ["Bear", "Toy"]
    assert "/m/0bl9f" in set(cats.loc["Person", "parents"])  # directly under the root (Entity)
    assert len(cats.loc["Human face", "part_of"]) >= 1  # a Part edge (face is part of person/head)


def test_sizes_come_from_image_headers_when_no_table(tmp_path):
    folder = oi_folder(tmp_path)
    (folder / "validation-annotations-bbox.csv").write_text(
        HEADER13 + f"\n{A},xclick,/m/01g317,1,0.5,1.0,0.25,0.75,0,0,0,0,0\n{B},xclick,/m/01g317,1,0.5,1.0,0.25,0.75,0,0,0,0,0\n"
    )
    (folder / "validation").mkdir()
    Image.new("RGB", (200, 100)).save(folder / f"validation/{A}.jpg")
    report, store = run(tmp_path)
    boxes = store.table("openimages", "val", "boxes").to_pylist()
    assert (boxes[0]["x"], boxes[0]["y"], boxes[0]["w"], boxes[0]["h"]) == (100.0, 25.0, 100.0, 50.0)
    assert boxes[1]["x"] is None  # B.jpg is missing: size unknown, box kept with its normalized coordinates
    assert (tmp_path / "store/_cache/image_sizes.parquet").exists()  # read once, cached


def test_bad_rows_are_rejected_with_line_numbers(tmp_path):
    folder = oi_folder(tmp_path)
    rows = [
        f"{A},xclick,/m/01g317,1,0.1,0.2,0.1,0.2,0,0,0,0,0",  # line 2: fine
        f"{A},xclick,/m/nope,1,0.1,0.2,0.1,0.2,0,0,0,0,0",  # 3: unknown class
        f"{A},xclick,/m/01g317,1,0.3,0.2,0.1,0.2,0,0,0,0,0",  # 4: XMax < XMin
        f"{A},xclick,/m/01g317,1,0.1,1.5,0.1,0.2,0,0,0,0,0",  # 5: outside
        f"{A},xclick,/m/01g317,1,0.1,0.2",  # 6: malformed
        f"{A},xclick,/m/01g317,1,0.1,0.2,0.1,0.2,0,0,0,0,0",  # 7: fine
    ]
    (folder / "validation-annotations-bbox.csv").write_text(HEADER13 + "\n" + "\n".join(rows) + "\n")
    report, store = run(tmp_path)
    c = report.counts["val"]["boxes"]
    assert (c.read, c.stored) == (6, 2)
    assert c.rejected == {"unknown_category": 1, "nonpositive_size": 1, "outside_image": 1, "malformed_row": 1}
    rejects = {r["reason"]: r for r in store.table("openimages", "val", "rejects").to_pylist()}
    assert rejects["unknown_category"]["record"] == "line 3" and "'/m/nope'" in rejects["unknown_category"]["detail"]
    assert rejects["nonpositive_size"]["record"] == "line 4"
    assert rejects["outside_image"]["record"] == "line 5"
    assert rejects["malformed_row"]["record"] == "line 6"
    assert store.table("openimages", "val", "boxes").column("box_id").to_pylist() == [2, 7]


def test_a_non_numeric_value_rejects_its_row(tmp_path):
    folder = oi_folder(tmp_path)
    rows = [f"{A},xclick,/m/01g317,1,0.1,0.2,0.1,0.2,0,0,0,0,0", f"{B},xclick,/m/01g317,1,abc,0.2,0.1,0.2,0,0,0,0,0"]
    (folder / "validation-annotations-bbox.csv").write_text(HEADER13 + "\n" + "\n".join(rows) + "\n")
    report, store = run(tmp_path)
    assert report.counts["val"]["boxes"].as_dict() == {"read": 2, "stored": 1, "rejected": {"bad_value": 1}}
    (reject,) = store.table("openimages", "val", "rejects").to_pylist()
    assert (reject["record"], reject["detail"]) == ("line 3", "XMin is 'abc', not a number")


def test_an_image_id_that_is_not_16_hex_digits_is_rejected(tmp_path):
    folder = oi_folder(tmp_path)
    rows = [f"{A},xclick,/m/01g317,1,0.1,0.2,0.1,0.2,0,0,0,0,0", "xyz,xclick,/m/01g317,1,0.1,0.2,0.1,0.2,0,0,0,0,0", ",xclick,/m/01g317,1,0.1,0.2,0.1,0.2,0,0,0,0,0"]
    (folder / "validation-annotations-bbox.csv").write_text(HEADER13 + "\n" + "\n".join(rows) + "\n")
    report, store = run(tmp_path)
    assert report.counts["val"]["boxes"].rejected == {"bad_value": 1, "missing_field": 1}
    details = {r["reason"]: (r["record"], r["detail"]) for r in store.table("openimages", "val", "rejects").to_pylist()}
    assert details == {"bad_value": ("line 3", "ImageID 'xyz' is not 16 hex digits"), "missing_field": ("line 4", "ImageID is empty")}


def test_image_ids_are_the_64_bits_of_the_image_id(tmp_path):
    folder = oi_folder(tmp_path)
    rows = ["ffffffffffffffff,xclick,/m/01g317,1,0.1,0.2,0.1,0.2,0,0,0,0,0", f"{A},xclick,/m/01g317,1,0.1,0.2,0.1,0.2,0,0,0,0,0"]
    (folder / "validation-annotations-bbox.csv").write_text(HEADER13 + "\n" + "\n".join(rows) + "\n")
    _, store = run(tmp_path)
    images = store.table("openimages", "val", "images").to_pylist()
    assert [(i["image_id"], i["source_image_id"]) for i in images] == [(-1, "ffffffffffffffff"), (0xAA, A)]
    assert store.table("openimages", "val", "boxes").column("image_id").to_pylist() == [-1, 0xAA]


def test_a_missing_column_stops_the_run(tmp_path):
    folder = oi_folder(tmp_path)
    (folder / "validation-annotations-bbox.csv").write_text(HEADER13.replace("XMin", "Xmin") + f"\n{A},xclick,/m/01g317,1,0.1,0.2,0.1,0.2,0,0,0,0,0\n")
    with pytest.raises(InputError, match=r"validation-annotations-bbox.csv, line 1: the header lacks the column XMin"):
        run(tmp_path)


def test_an_empty_box_file_stops_the_run(tmp_path):
    folder = oi_folder(tmp_path)
    (folder / "validation-annotations-bbox.csv").write_text("")
    with pytest.raises(InputError, match="validation-annotations-bbox.csv: the file is empty"):
        run(tmp_path)


def test_bad_image_labels_are_rejected(tmp_path):
    folder = oi_folder(tmp_path)
    (folder / "validation-annotations-bbox.csv").write_text(HEADER13 + f"\n{A},xclick,/m/01g317,1,0.1,0.2,0.1,0.2,0,0,0,0,0\n")
    (folder / "validation-annotations-human-imagelabels-boxable.csv").write_text(
        f"ImageID,Source,LabelName,Confidence\n{A},verification,/m/01g317,1\n{A},verification,/m/0199g,0\n{A},verification,/m/01g317,0.5\n"
    )
    report, _ = run(tmp_path)
    assert report.counts["val"]["image_labels"].as_dict() == {"read": 3, "stored": 2, "rejected": {"bad_value": 1}}


def test_parallel_ranges_keep_file_order_and_line_numbers(layout, data_root, monkeypatch):
    from bigdet.sources import openimages

    monkeypatch.setattr(openimages, "MIN_RANGE_BYTES", 64 << 10)  # many small ranges on 3 workers
    monkeypatch.setattr(openimages, "IN_FLIGHT_BYTES", 256 << 10)
    path = data_root / "openimages/oidv6-train-annotations-bbox.csv"
    assert len(openimages._line_ranges(__import__("pyarrow").memory_map(str(path)).read_buffer(), 64 << 10)) > 10
    report = ingest("oi", layout, workers=3)
    boxes = Store(layout.store).table("openimages", "train", "boxes").to_pandas()
    assert boxes.box_id.tolist() == list(range(2, report.counts["train"]["boxes"].read + 2))
    lines = path.read_text().splitlines()
    for row in boxes.sample(20, random_state=0).itertuples():
        fields = lines[row.box_id - 1].split(",")
        assert (float(fields[4]), float(fields[7])) == (row.norm_xmin, row.norm_ymax)
    one = ingest("oi", Layout(data_root=data_root, store=layout.store.parent / "store1"), workers=1)
    assert one.counts == report.counts
    assert Store(layout.store.parent / "store1").table("openimages", "train", "boxes").equals(Store(layout.store).table("openimages", "train", "boxes"))


def test_synthetic_open_images_reconcile_and_convert(layout, data_root):
    report = ingest("openimages", layout)
    assert report.reconciles
    store = Store(layout.store)
    boxes = store.table("openimages", "train", "boxes").to_pandas()
    images = store.table("openimages", "train", "images").to_pandas()
    w = images.set_index("image_id").width.reindex(boxes.image_id).to_numpy()
    assert np.allclose(boxes.x, boxes.norm_xmin * w)
    assert boxes.x.notna().all()  # image_sizes.csv covers every image
    assert set(boxes.label_source) == {"xclick", "activemil"}


def test_attribute_values_out_of_range_are_rejected_with_their_value(tmp_path):
    folder = oi_folder(tmp_path)
    rows = [
        f"{A},xclick,/m/01g317,1,0.1,0.2,0.1,0.2,300,0,0,0,0",  # line 2: int8 overflow
        f"{A},xclick,/m/01g317,1,0.1,0.2,0.1,0.2,0,2,0,0,0",  # 3: in int range, not an attribute value
        f"{A},xclick,/m/01g317,1,0.1,0.2,0.1,0.2,0,0,0,0,99999",  # 4: beyond int16
        f"{A},xclick,/m/01g317,1,0.1,0.2,0.1,0.2,-1,1,0,,0",  # 5: fine (-1 unknown, empty null)
    ]
    (folder / "validation-annotations-bbox.csv").write_text(HEADER13 + "\n" + "\n".join(rows) + "\n")
    report, store = run(tmp_path)
    assert report.counts["val"]["boxes"].as_dict() == {"read": 4, "stored": 1, "rejected": {"bad_value": 3}}
    details = [(r["record"], r["detail"]) for r in store.table("openimages", "val", "rejects").to_pylist()]
    assert sorted(details) == [
        ("line 2", "IsOccluded is 300; expected 1, 0 or -1"),
        ("line 3", "IsTruncated is 2; expected 1, 0 or -1"),
        ("line 4", "IsInside is '99999', not a whole number in -32768..32767"),
    ]
    (box,) = store.table("openimages", "val", "boxes").to_pylist()
    assert (box["box_id"], box["is_occluded"], box["is_truncated"], box["is_depiction"]) == (5, -1, 1, None)


def test_bad_float_huge_and_duplicate_image_sizes_are_rejected_by_reason(tmp_path):
    folder = oi_folder(tmp_path)
    ids = [f"{k:016x}" for k in range(1, 7)]
    (folder / "validation-annotations-bbox.csv").write_text(HEADER13 + "".join(f"\n{i},xclick,/m/01g317,1,0.5,1.0,0.25,0.75,0,0,0,0,0" for i in ids) + "\n")
    (folder / "image_sizes.csv").write_text(
        "ImageID,width,height\n"
        f"{ids[0]},640.5,480\n"  # line 2: not whole
        f"{ids[1]},1e12,480\n"  # 3: beyond int32
        f"{ids[2]},200,100\n"  # 4: fine
        f"{ids[2]},300,100\n"  # 5: a second size for the same image
        f"{ids[3]},99999999999999999999999,1\n"  # 6: beyond int64
        f"{ids[4]},640.0,480\n"  # 7: a whole number written as a float: fine
        f"{ids[5]},abc,480\n"  # 8: not a number
    )
    report, store = run(tmp_path)
    assert report.counts["val"]["image_sizes"].as_dict() == {"read": 7, "stored": 2, "rejected": {"bad_size": 3, "duplicate_image_id": 1, "bad_value": 1}}
    rejects = {r["record"]: (r["reason"], r["detail"]) for r in store.table("openimages", "val", "rejects").to_pylist() if r["table"] == "image_sizes"}
    assert rejects["line 2"] == ("bad_size", "size 640.5x480 is not two whole numbers in 1..2147483647")
    assert rejects["line 3"][0] == rejects["line 6"][0] == "bad_size"
    assert rejects["line 5"] == ("duplicate_image_id", f"ImageID '{ids[2]}' has a size on an earlier line")
    assert rejects["line 8"] == ("bad_value", "width is 'abc', not a number")
    images = store.table("openimages", "val", "images").to_pandas().set_index("source_image_id")
    assert (images.loc[ids[2], "width"], images.loc[ids[4], "width"]) == (200, 640)  # the first size wins
    assert images.loc[ids[0], "width"] is None or np.isnan(images.loc[ids[0], "width"])


def test_a_corrupt_size_cache_is_rebuilt(tmp_path):
    folder = oi_folder(tmp_path)
    (folder / "validation-annotations-bbox.csv").write_text(HEADER13 + f"\n{A},xclick,/m/01g317,1,0.5,1.0,0.25,0.75,0,0,0,0,0\n")
    (folder / "validation").mkdir()
    Image.new("RGB", (200, 100)).save(folder / f"validation/{A}.jpg")
    cache = tmp_path / "store/_cache/image_sizes.parquet"
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"PAR1 this is not parquet")
    report, store = run(tmp_path)
    assert store.table("openimages", "val", "boxes").column("x").to_pylist() == [100.0]
    import pyarrow.parquet as pq

    assert pq.read_table(cache).column("width").to_pylist() == [200.0]  # written anew


def test_an_image_file_that_cannot_be_read_rejects_its_boxes_with_the_os_error(tmp_path):
    folder = oi_folder(tmp_path)
    (folder / "validation-annotations-bbox.csv").write_text(
        HEADER13 + f"\n{A},xclick,/m/01g317,1,0.5,1.0,0.25,0.75,0,0,0,0,0\n{B},xclick,/m/01g317,1,0.5,1.0,0.25,0.75,0,0,0,0,0\n"
    )
    (folder / "validation").mkdir()
    (folder / f"validation/{A}.jpg").mkdir()  # open() fails with an OS error, even for root
    report, store = run(tmp_path)
    assert report.counts["val"]["boxes"].as_dict() == {"read": 2, "stored": 1, "rejected": {"unreadable_image": 1}}
    (reject,) = store.table("openimages", "val", "rejects").to_pylist()
    assert reject["record"] == "line 2" and reject["detail"] == f"{folder}/validation/{A}.jpg: [Errno 21] Is a directory"
    assert store.table("openimages", "val", "boxes").column("box_id").to_pylist() == [3]  # B is missing: kept, size unknown
    assert any("1 image files could not be read" in n for n in report.notes)


def test_a_latin1_class_file_stops_the_run_on_one_line(tmp_path):
    folder = oi_folder(tmp_path, classes="LabelName,DisplayName\n/m/01g317,Person\n")
    (folder / "oidv7-class-descriptions-boxable.csv").write_bytes(b"LabelName,DisplayName\n/m/01g317,Person\n/m/0199g,V\xe9lo\n")
    (folder / "validation-annotations-bbox.csv").write_text(HEADER13 + f"\n{A},xclick,/m/01g317,1,0.1,0.2,0.1,0.2,0,0,0,0,0\n")
    with pytest.raises(InputError, match=r"oidv7-class-descriptions-boxable\.csv, line 3: byte 0xe9 is not UTF-8"):
        run(tmp_path)
