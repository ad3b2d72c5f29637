"""Hostile values (issue 9, items 4, 9, 11, 14): nulls decided per field, no sentinel in an output,
out-of-range numbers, unsafe paths, impossible areas and class names that are markup. Each input
gives a reason-coded reject or one clear line naming the file and the record, never a traceback."""

from __future__ import annotations

import json
import posixpath
import shutil

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bigdet.build import run as merge
from bigdet.checks import area_ok, bad_path
from bigdet.errors import InputError, StoreError
from bigdet.exporters.coco import _attribute_texts
from bigdet.ingest import ingest
from bigdet.layout import Layout
from bigdet.merge import Part
from bigdet.schema import EXPORTED_ATTRIBUTES
from bigdet.stats import describe
from bigdet.validate import validate
from bigdet.cli import console
from bigdet.cli.main import app
from bigdet.taxonomy import reference
from bigdet.taxonomy.targets import bigdet600

from .conftest import coco_doc, write_json, write_merged
from .test_lvis import CATS as LVIS_CATS
from .test_lvis import ann as lvis_ann
from .test_lvis import image as lvis_image
from .test_objects365 import V2_CATS, v2_ann, v2_image

T = bigdet600().by_name
BIG = 2**63
OI_HEADER = "ImageID,Source,LabelName,Confidence,XMin,XMax,YMin,YMax,IsOccluded,IsTruncated,IsGroupOf,IsDepiction,IsInside"
OI_FLAGS = ("is_occluded", "is_truncated", "is_group_of", "is_depiction", "is_inside")


@pytest.fixture(autouse=True)
def wide_console():
    """Rich wraps at the runner's 80 columns; assertions should not depend on where."""
    before = console.out.width, console.err.width
    console.out.width = console.err.width = 240
    yield
    console.out.width, console.err.width = before


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def ingest_lvis(tmp_path, doc):
    write_json(tmp_path / "data/lvis/lvis_v1_train.json", doc)
    return ingest("lvis", Layout(data_root=tmp_path / "data", store=tmp_path / "store"))


def ingest_o365(tmp_path, doc):
    write_json(tmp_path / "data/objects365/zhiyuan_objv2_train.json", doc)
    return ingest("o365", Layout(data_root=tmp_path / "data", store=tmp_path / "store"))


def rejects(tmp_path, source):
    from bigdet.store import Store

    return Store(tmp_path / "store").table(source, "train", "rejects").to_pylist()


# -- item 4: nulls per field, no sentinel in an output ------------------------------------------


def oi_folder(tmp_path):
    folder = tmp_path / "data/openimages"
    folder.mkdir(parents=True)
    data = reference.__file__.replace("reference.py", "data/")
    shutil.copy(data + "openimages_class-descriptions-boxable.csv", folder / "class-descriptions-boxable.csv")
    return folder, {n: m for m, n in reference.openimages_classes()}


def test_blank_open_images_flags_export_as_minus_one_not_a_sentinel(tmp_path):
    folder, mid = oi_folder(tmp_path)
    img = "00000000000000aa"
    (folder / "validation-annotations-bbox.csv").write_text(
        OI_HEADER + "\n"
        f"{img},xclick,{mid['Dog']},1,0.1,0.5,0.1,0.5,,1,0,,0\n"  # IsOccluded and IsDepiction blank
        f"{img},xclick,{mid['Cat']},1,0.2,0.6,0.2,0.6,1,0,1,0,-1\n"
    )
    (folder / "image_sizes.csv").write_text(f"ImageID,width,height\n{img},200,100\n")
    result = merge(Layout(data_root=tmp_path / "data", store=tmp_path / "store"), ["oi"], tmp_path / "out")
    anns = json.loads((result.out / "annotations/bigdet_val.json").read_text())["annotations"]
    by_class = {a["category_id"]: {k: a[k] for k in OI_FLAGS} for a in anns}
    assert by_class[T["dog"].id] == {"is_occluded": -1, "is_truncated": 1, "is_group_of": 0, "is_depiction": -1, "is_inside": 0}
    assert by_class[T["cat"].id] == {"is_occluded": 1, "is_truncated": 0, "is_group_of": 1, "is_depiction": 0, "is_inside": -1}
    assert validate(result.out) == []


def test_open_images_flags_all_blank_still_export_minus_one(tmp_path):
    folder, mid = oi_folder(tmp_path)
    img = "00000000000000aa"
    (folder / "validation-annotations-bbox.csv").write_text(OI_HEADER + f"\n{img},xclick,{mid['Dog']},1,0.1,0.5,0.1,0.5,,,,,\n")
    (folder / "image_sizes.csv").write_text(f"ImageID,width,height\n{img},200,100\n")
    result = merge(Layout(data_root=tmp_path / "data", store=tmp_path / "store"), ["oi"], tmp_path / "out")
    (a,) = json.loads((result.out / "annotations/bigdet_val.json").read_text())["annotations"]
    assert {k: a[k] for k in OI_FLAGS} == dict.fromkeys(OI_FLAGS, -1)


def test_objects365_missing_isfake_leaves_the_key_out(tmp_path):
    cats = [{"id": i, "name": orig} for i, orig, _ in reference.objects365_v2_categories()]
    person = next(c["id"] for c in cats if c["name"] == "Person")
    no_flags = {k: v for k, v in v2_ann(2, 1, cat=person, bbox=(50.0, 50.0, 10.0, 10.0)).items() if k not in ("isfake", "isreflected")}
    doc = coco_doc([v2_image(1)], [v2_ann(1, 1, cat=person, isfake=1), no_flags, v2_ann(3, 1, cat=person, bbox=(5.0, 5.0, 3.0, 3.0), isreflected=None)], cats)
    write_json(tmp_path / "data/objects365/zhiyuan_objv2_train.json", doc)
    result = merge(Layout(data_root=tmp_path / "data", store=tmp_path / "store"), ["o365"], tmp_path / "out")
    anns = json.loads((result.out / "annotations/bigdet_obj_train.json").read_text())["annotations"]
    flags = [(a.get("is_fake", "absent"), a.get("is_reflected", "absent")) for a in sorted(anns, key=lambda a: a["bbox"][0])]
    # sorted by x: annotation 3 (x 5), 1 (x 1.25 -> first), 2 (x 50)
    assert flags == [(True, False), (False, "absent"), ("absent", "absent")]
    assert validate(result.out) == []


def _part(boxes: dict) -> Part:
    return Part("openimages", "val", {}, boxes, np.zeros((0, 2)), np.zeros((0, 2)), None, np.zeros((0, 2)))


@pytest.mark.parametrize(
    "name, values, texts",
    [
        ("is_occluded", np.array([1.0, np.nan, 0.0, -1.0]), [', "is_occluded": 1', ', "is_occluded": -1', ', "is_occluded": 0', ', "is_occluded": -1']),
        ("is_inside", np.array([1, 0, -1], dtype=np.int8), [', "is_inside": 1', ', "is_inside": 0', ', "is_inside": -1']),
        ("is_fake", np.array([True, None, False], dtype=object), [', "is_fake": true', "", ', "is_fake": false']),
        ("is_reflected", np.array([True, False]), [', "is_reflected": true', ', "is_reflected": false']),
    ],
)
def test_each_attribute_null_follows_its_field_rule(name, values, texts):
    written, _ = _attribute_texts(_part({}), name, values)  # the texts, and the values a reader parses back
    assert written.to_pylist() == texts


def test_every_exported_attribute_has_a_null_rule():
    from bigdet.merge import BOX_ATTRIBUTES

    assert {a for names in BOX_ATTRIBUTES.values() for a in names} == set(EXPORTED_ATTRIBUTES)


def test_a_stored_flag_out_of_range_stops_the_export_with_one_line():
    with pytest.raises(StoreError, match=r"openimages/val: 1 boxes have is_occluded = 5, not one of -1, 0, 1"):
        _attribute_texts(_part({}), "is_occluded", np.array([1, 5], dtype=np.int8))


# -- validate refuses values no exporter may write ----------------------------------------------


def validate_doc(tmp_path, **ann_fields):
    image = {"id": 1, "width": 100, "height": 100, "file_name": "a.jpg"}
    ann = {"id": 1, "image_id": 1, "category_id": 1, "bbox": [1.0, 1.0, 5.0, 4.0], "area": 20.0, "iscrowd": 0, **ann_fields}
    write_merged(tmp_path / "out", "x.json", coco_doc([image], [ann], [{"id": 1, "name": "a"}]))
    return validate(tmp_path / "out")


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"is_occluded": -(2**63)}, "is_occluded = -9223372036854775808 (must be one of -1, 0, 1 or absent)"),
        ({"is_occluded": 300}, "is_occluded = 300 (must be one of -1, 0, 1 or absent)"),
        ({"is_inside": 2}, "is_inside = 2"),
        ({"area": -5.0}, "area = -5.0 (must be from 0 to the box's area)"),
        ({"area": 1e308}, "area = 1e+308"),
        ({"area": None}, "area = None"),
        ({"iscrowd": 2}, "iscrowd = 2 (must be 0 or 1)"),
    ],
)
def test_validate_rejects_out_of_range_values(tmp_path, fields, expected):
    problems = validate_doc(tmp_path, **fields)
    assert len(problems) == 1 and "x.json: 1 annotation values out of range, e.g. annotation 1: " + expected in problems[0]


def test_validate_rejects_an_integer_where_a_flag_is_boolean(tmp_path):
    (problem,) = validate_doc(tmp_path, is_fake=1)
    assert '"annotations"[0]' in problem and "'is_fake' has the bad value 1" in problem


def test_validate_accepts_every_allowed_value_and_absent_keys(tmp_path):
    assert validate_doc(tmp_path, is_occluded=-1, is_truncated=0, is_group_of=1, is_fake=True, area=0.0) == []
    assert validate_doc(tmp_path) == []


# -- item 9: numbers beyond the store's columns -------------------------------------------------


@pytest.mark.parametrize(
    "images, anns, table, record, detail",
    [
        ([lvis_image(1)], [lvis_ann(BIG, 1)], "boxes", '"annotations"[0]', "field 'id' has the bad value 9223372036854775808"),
        ([lvis_image(1), lvis_image(BIG)], [lvis_ann(1, 1)], "images", '"images"[1]', "field 'id' has the bad value 9223372036854775808"),
        ([lvis_image(1), lvis_image(2**64)], [lvis_ann(1, 1)], "images", '"images"[1]', "field 'id' has the bad value 1.8446744073709552e+19"),  # beyond 64 bits, JSON parsers read a float
        ([lvis_image(1), lvis_image(2, width=2**31)], [lvis_ann(1, 1)], "images", '"images"[1]', "field 'width' has the bad value 2147483648"),
        ([lvis_image(1)], [lvis_ann(1, 1), lvis_ann(2, 1, cat=2**40)], "boxes", '"annotations"[1]', "category_id 1099511627776 is not in"),
    ],
)
def test_lvis_numbers_too_large_are_rejected_not_a_crash(tmp_path, images, anns, table, record, detail):
    report = ingest_lvis(tmp_path, coco_doc(images, anns, LVIS_CATS))
    assert report.reconciles
    (reject,) = rejects(tmp_path, "lvis")
    assert (reject["table"], reject["record"]) == (table, record) and detail in reject["detail"]


def test_objects365_numbers_too_large_are_rejected_not_a_crash(tmp_path):
    doc = coco_doc(
        [v2_image(1), v2_image(BIG), {**v2_image(3), "height": 2**31}],
        [v2_ann(1, 1), v2_ann(2**64, 1)],
        V2_CATS,
    )
    report = ingest_o365(tmp_path, doc)
    assert report.reconciles
    assert report.counts["train"]["images"].as_dict() == {"read": 3, "stored": 1, "rejected": {"bad_value": 2}}
    assert report.counts["train"]["boxes"].as_dict() == {"read": 2, "stored": 1, "rejected": {"bad_value": 1}}
    assert sorted(r["detail"] for r in rejects(tmp_path, "objects365")) == [
        "field 'height' has the bad value 2147483648",
        "field 'id' has the bad value 1.8446744073709552e+19",
        "field 'id' has the bad value 9223372036854775808",
    ]


@pytest.mark.parametrize(
    "category, message",
    [
        ({"id": 2**31, "name": "x"}, "category id 2147483648 is out of range"),
        ({"id": 3, "name": 7}, "category name 7 is not a string"),
        ({"id": "3", "name": "x"}, "category id '3' is not an integer"),
        ({"name": "x"}, "category lacks 'id'"),
        ({"id": 3}, "category lacks 'name'"),
        ({"id": 3, "name": "x", "synonyms": "x"}, "category field 'synonyms' is 'x', not a list of strings"),
        ({"id": 3, "name": "x", "image_count": "many"}, "category field 'image_count' is 'many', not a 64-bit integer"),
    ],
)
def test_lvis_bad_category_is_one_line_naming_it(tmp_path, category, message):
    with pytest.raises(InputError) as e:
        ingest_lvis(tmp_path, coco_doc([lvis_image(1)], [lvis_ann(1, 1)], LVIS_CATS + [category]))
    assert f'lvis_v1_train.json, "categories"[2]: {message}' in str(e.value) and "\n" not in str(e.value)


def test_objects365_bad_category_is_one_line_naming_it(tmp_path):
    with pytest.raises(InputError, match=r'"categories"\[3\]: category id 4294967296 is out of range'):
        ingest_o365(tmp_path, coco_doc([v2_image(1)], [v2_ann(1, 1)], V2_CATS + [{"id": 2**32, "name": "x"}]))


def test_ingest_cli_says_one_line_for_a_bad_category(tmp_path):
    write_json(tmp_path / "data/lvis/lvis_v1_train.json", coco_doc([lvis_image(1)], [lvis_ann(1, 1)], LVIS_CATS + [{"id": 3, "name": 7}]))
    result = invoke("ingest", "lvis", "--data-root", tmp_path / "data", "--store", tmp_path / "store")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.count("\n") == 1 and result.output.startswith("error: ") and '"categories"[2]: category name 7 is not a string' in result.output


# -- stats and validate on hostile COCO files ---------------------------------------------------

IMG = {"id": 1, "width": 100, "height": 100, "file_name": "a.jpg"}
ANN = {"id": 1, "image_id": 1, "category_id": 1, "bbox": [1.0, 1.0, 5.0, 5.0], "area": 25.0, "iscrowd": 0}


@pytest.mark.parametrize(
    "doc, message",
    [
        (coco_doc([IMG], [ANN], [{"id": 1, "name": "a"}, {"name": "b"}]), '"categories"[1]: category lacks \'id\''),
        (coco_doc([IMG], [ANN], [{"id": 1, "name": "a"}, {"id": 2}]), '"categories"[1]: category lacks \'name\''),
        (coco_doc([IMG], [ANN], [{"id": 1, "name": "a"}, {"id": BIG, "name": "b"}]), '"categories"[1]: category id 9223372036854775808 is out of range'),
        (coco_doc(None, [ANN], [{"id": 1, "name": "a"}]), 'x.json: "images" is null, not an array'),
        (coco_doc([IMG], {"a": 1}, [{"id": 1, "name": "a"}]), 'x.json: "annotations" is dict, not an array'),
        (coco_doc([{**IMG, "id": BIG}], [ANN], [{"id": 1, "name": "a"}]), "x.json, \"images\"[0]: malformed images record: field 'id' has the bad value 9223372036854775808"),
        (coco_doc([IMG], [{**ANN, "image_id": BIG}], [{"id": 1, "name": "a"}]), "\"annotations\"[0]: malformed annotations record: field 'image_id' has the bad value 9223372036854775808"),
    ],
)
def test_stats_and_validate_give_one_line_on_hostile_files(tmp_path, doc, message):
    path = write_merged(tmp_path / "out", "x.json", doc)
    result = invoke("stats", path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.count("\n") == 1 and message in result.output
    result = invoke("validate", tmp_path / "out")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert message in result.output.splitlines()[0]


def test_stats_counts_only_negative_ids_by_position(tmp_path):
    cats = [{"id": -5, "name": "b"}, {"id": -1, "name": "a"}]
    anns = [{**ANN, "category_id": -1}, {**ANN, "id": 2, "category_id": -1}, {**ANN, "id": 3, "category_id": -5}]
    s = describe(write_json(tmp_path / "x.json", coco_doc([IMG, {**IMG, "id": 2}], anns, cats)))
    assert [(c["id"], c["instances"], c["images"]) for c in s["categories"]] == [(-5, 1, 1), (-1, 2, 1)]


def test_stats_does_not_size_arrays_by_the_largest_category_id(tmp_path):
    cats = [{"id": 3, "name": "small"}, {"id": 10**12, "name": "huge"}, {"id": 2**62, "name": "huger"}]
    anns = [{**ANN, "category_id": 10**12}, {**ANN, "id": 2, "image_id": 2, "category_id": 10**12}, {**ANN, "id": 3, "category_id": 3}]
    s = describe(write_json(tmp_path / "x.json", coco_doc([IMG, {**IMG, "id": 2}], anns, cats)))  # 10**12 per array: MemoryError
    assert [(c["id"], c["instances"], c["images"]) for c in s["categories"]] == [(3, 1, 1), (10**12, 2, 2), (2**62, 0, 0)]


# -- item 11: user strings in tables are text, never markup or terminal control ---------------


def test_stats_prints_hostile_class_names_literally(tmp_path):
    names = ["[/]", "[bold red]x", "red\x1b[31mX\x1b[0m", 7, "back\\"]
    cats = [{"id": i + 1, "name": n} for i, n in enumerate(names)]
    anns = [{**ANN, "id": i + 1, "category_id": i + 1} for i in range(len(names))]
    path = write_json(tmp_path / "[red]x.json", coco_doc([IMG], anns, cats))
    result = invoke("stats", path)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output  # no escape sequence reaches the terminal
    for shown in ("[/]", "[bold red]x", "red\\x1b[31mX\\x1b[0m", " 7 ", "back\\ ", "[red]x.json"):
        assert shown in result.output, shown
    s = json.loads(invoke("stats", path, "--json").output)
    assert [c["name"] for c in s["categories"]] == ["[/]", "[bold red]x", "red\x1b[31mX\x1b[0m", "7", "back\\"]


def test_error_lines_show_control_characters_escaped(tmp_path):
    result = invoke("stats", tmp_path / "no\x1b[2Jsuch[/].json")
    assert result.exit_code == 1
    assert result.output == f"error: {tmp_path}/no\\x1b[2Jsuch[/].json: not found\n"


def test_validate_problems_are_printed_literally(tmp_path):
    write_merged(tmp_path / "out", "x.json", coco_doc([IMG], [ANN], [{"id": 1, "name": "a"}, {"id": "[/]", "name": "b"}]))
    result = invoke("validate", tmp_path / "out")
    assert result.exit_code == 1 and "category id '[/]' is not an integer" in result.output


# -- item 14: unsafe image paths, impossible areas ----------------------------------------------


@pytest.mark.parametrize(
    "url", ["http://x/../..", "http://images.cocodataset.org/train2017/..", "", "http://x/train2017/a\x00.jpg", "http://x/a\x00b/train2017/1.jpg", "http://x/./a.jpg"]
)
def test_lvis_unsafe_coco_url_is_rejected_as_bad_path(tmp_path, url):
    report = ingest_lvis(tmp_path, coco_doc([lvis_image(1), lvis_image(2, coco_url=url)], [lvis_ann(1, 1), lvis_ann(2, 2)], LVIS_CATS))
    assert report.counts["train"]["images"].rejected == {"bad_path": 1}
    assert report.counts["train"]["boxes"].rejected == {"missing_image": 1}
    assert report.reconciles
    (reject,) = [r for r in rejects(tmp_path, "lvis") if r["table"] == "images"]
    assert (reject["record"], reject["source_id"], reject["reason"]) == ('"images"[1]', "2", "bad_path")
    assert reject["detail"].startswith(f"coco_url {url!r} gives the image path")


@pytest.mark.parametrize("name", ["a/../..", "images/v1/patch8/..", "", "/etc/passwd", "patch1/x\x00.jpg", "images\\..\\..\\x.jpg", "./x.jpg"])
def test_objects365_unsafe_file_name_is_rejected_as_bad_path(tmp_path, name):
    report = ingest_o365(tmp_path, coco_doc([v2_image(1), {**v2_image(2), "file_name": name}], [v2_ann(1, 1)], V2_CATS))
    assert report.counts["train"]["images"].as_dict() == {"read": 2, "stored": 1, "rejected": {"bad_path": 1}}
    (reject,) = rejects(tmp_path, "objects365")
    assert reject["detail"] == f"file_name {name!r} is not a path inside the image folder"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab./\\\x00", max_size=12))
def test_a_path_that_passes_stays_under_the_root(name):
    if not bad_path(pa.array([name]))[0]:
        assert name and "\x00" not in name
        joined = posixpath.normpath(posixpath.join("/root", name.replace("\\", "/")))
        assert joined.startswith("/root/")


def test_impossible_areas_are_exported_as_the_box_area(tmp_path):
    cats = [reference_lvis_dog()]
    anns = [
        lvis_ann(1, 1, cat=cats[0]["id"], bbox=(10.0, 20.0, 30.0, 40.0)) | {"area": -5.0},
        lvis_ann(2, 1, cat=cats[0]["id"], bbox=(50.0, 20.0, 30.0, 40.0)) | {"area": 1e308},
        lvis_ann(3, 1, cat=cats[0]["id"], bbox=(90.0, 20.0, 30.0, 40.0)) | {"area": 1000.5},  # a mask area: kept exactly
    ]
    write_json(tmp_path / "data/lvis/lvis_v1_train.json", coco_doc([lvis_image(1)], anns, cats))
    result = merge(Layout(data_root=tmp_path / "data", store=tmp_path / "store"), ["lvis"], tmp_path / "out")
    exported = json.loads((result.out / "annotations/bigdet_lvis_train.json").read_text())["annotations"]
    assert [a["area"] for a in sorted(exported, key=lambda a: a["bbox"][0])] == [1200.0, 1200.0, 1000.5]
    assert validate(result.out) == []


def reference_lvis_dog() -> dict:
    from bigdet.taxonomy import reference

    return next({"id": c["id"], "name": c["name"]} for c in reference.lvis_categories() if c["name"] == "dog")


def test_area_ok_bounds():
    area = np.array([-5.0, 0.0, 20.0, 42.0, 42.01, np.inf, np.nan, 1e308])
    assert area_ok(area, np.full(8, 5.0), np.full(8, 4.0)).tolist() == [False, True, True, True, False, False, False, False]
