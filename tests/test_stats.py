"""bigdet stats: numbers equal counts computed independently from the json files."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from typer.testing import CliRunner

from bigdet.build import run
from bigdet.errors import InputError
from bigdet.layout import Layout
from bigdet.stats import describe
from bigdet.cli.main import app


@pytest.fixture(scope="module")
def merged(tmp_path_factory, synth_root):
    tmp = tmp_path_factory.mktemp("stats")
    return run(Layout(data_root=synth_root, store=tmp / "store"), ["lvis", "oi", "o365"], tmp / "out").out


def independent(out):
    docs = {p.name: json.loads(p.read_text()) for p in sorted((out / "annotations").glob("*.json"))}
    anns = [a for d in docs.values() for a in d["annotations"]]
    images = [im for d in docs.values() for im in d["images"]]
    return docs, anns, images


def test_stats_json_equals_independent_counts(merged):
    result = CliRunner().invoke(app, ["stats", str(merged), "--json"])
    assert result.exit_code == 0, result.output
    s = json.loads(result.output)
    docs, anns, images = independent(merged)
    assert s["images"] == len(images) and s["boxes"] == len(anns)
    assert s["splits"]["val"]["boxes"] == len(docs["bigdet_val.json"]["annotations"])
    per_cat = Counter(a["category_id"] for a in anns)
    imgs_per_cat = Counter(c for c, _ in {(a["category_id"], a["image_id"]) for a in anns})
    for c in s["categories"]:
        assert c["instances"] == per_cat.get(c["id"], 0)
        assert c["images"] == imgs_per_cat.get(c["id"], 0)
    source_of = {im["id"]: im["source"] for im in images}
    by_source = Counter(source_of[a["image_id"]] for a in anns)
    assert {k: v["boxes"] for k, v in s["sources"].items()} == dict(by_source)
    areas = [a["bbox"][2] * a["bbox"][3] for a in anns]
    assert s["box_sizes"]["small"] == sum(x < 32**2 for x in areas)
    assert s["box_sizes"]["large"] == sum(x >= 96**2 for x in areas)
    assert s["crowd"]["boxes"] == sum(a["iscrowd"] for a in anns)
    assert s["label_sets"]["images_with_negatives"] == sum(bool(im["neg_category_ids"]) for im in images)
    per_image = Counter(a["image_id"] for a in anns)
    assert s["boxes_per_image"]["max"] == max(per_image.values())
    assert s["boxes_per_image"]["without_boxes"] == sum(1 for im in images if im["id"] not in per_image)
    rare = sum(1 for c in s["categories"] if 1 <= c["images"] <= 10)
    assert s["frequency_buckets"]["rare"]["classes"] == rare


def test_stats_on_any_coco_file(tmp_path):
    doc = {"images": [{"id": 1, "width": 100, "height": 100, "file_name": "a.jpg"}],
           "annotations": [{"id": 1, "image_id": 1, "category_id": 7, "bbox": [0, 0, 10, 10], "area": 100, "iscrowd": 0}],
           "categories": [{"id": 7, "name": "thing", "supercategory": "stuff"}]}
    path = tmp_path / "coco.json"
    path.write_text(json.dumps(doc))
    s = describe(path)
    assert (s["images"], s["boxes"]) == (1, 1)
    assert s["categories"] == [{"id": 7, "name": "thing", "instances": 1, "images": 1, "sources": {"-": 1}, "group": "stuff"}]
    assert s["hierarchy_rollup"] == {"stuff": 1}


def test_stats_report_and_terminal_tables(merged, tmp_path):
    result = CliRunner().invoke(app, ["stats", str(merged), "--report", str(tmp_path / "rep")])
    assert result.exit_code == 0, result.output
    assert "boxes per image: mean" in result.output and "frequency (LVIS buckets)" in result.output
    names = sorted(p.name for p in (tmp_path / "rep").iterdir())
    assert names == ["box_sizes.png", "boxes_per_image.png", "index.html", "long_tail.png", "sources_per_class.png"]
    page = (tmp_path / "rep/index.html").read_text()
    assert page.count("data:image/png;base64,") == 4 and "sneakers" in page


def test_stats_errors_name_the_path(tmp_path):
    with pytest.raises(InputError, match="not found"):
        describe(tmp_path / "missing.json")
    result = CliRunner().invoke(app, ["stats", str(tmp_path)])
    assert result.exit_code == 1 and "no COCO json files" in result.output


def test_stats_names_a_malformed_record(tmp_path):
    doc = {"images": [{"id": 1, "width": 100, "height": 100, "file_name": "a.jpg"}],
           "annotations": [{"id": 1, "image_id": 1, "category_id": 7, "bbox": [0, 0, 10, 10], "iscrowd": 0},
                           {"id": 2, "image_id": 1, "category_id": "seven", "bbox": [0, 0, 10, 10], "iscrowd": 0}],
           "categories": [{"id": 7, "name": "thing"}]}
    path = tmp_path / "coco.json"
    path.write_text(json.dumps(doc))
    result = CliRunner().invoke(app, ["stats", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f'{path}, "annotations"[1]: malformed annotations record' in result.output.replace("\n", "")
