"""The sources registry: one row per source, read by merge, export and the CLI; and each label-set flag,
flipped on a hand-made part, with the exact negative / not-exhaustive pairs it yields."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from bigdet import build, merge
from bigdet.errors import ConfigError
from bigdet.exporters import Merged
from bigdet.exporters import coco_files, record
from bigdet.layout import Layout
from bigdet.sources import ALIASES, coco, lvis, objects365, openimages, reader, registry
from bigdet.sources.registry import LabelPolicy, UserDataset
from bigdet.store import Store


def test_builtin_rows_hold_what_merge_and_export_read():
    assert registry.NAMES == ("lvis", "openimages", "objects365") == merge.SOURCE_ORDER
    assert build.FILE_NAMES == {"lvis": "bigdet_lvis_train.json", "openimages": "bigdet_oid_train.json", "objects365": "bigdet_obj_train.json"}
    assert build.IMAGE_DIRS == {"lvis": "coco", "openimages": "openimages", "objects365": "objects365"}
    assert ALIASES == {"lvis": "lvis", "openimages": "openimages", "oi": "openimages", "objects365": "objects365", "o365": "objects365"}
    assert [merge.table_name(s, v) for s, v in (("lvis", "v1"), ("openimages", "v7"), ("objects365", "v1"), ("objects365", "v2"))] == [
        "lvis_v1", "openimages", "objects365_v1", "objects365_v2"]
    # BigDetection's sampler reads Objects365, Open Images, LVIS
    assert coco_files.SAMPLER_ORDER == ("bigdet_obj_train.json", "bigdet_oid_train.json", "bigdet_lvis_train.json")
    assert merge.BOX_ATTRIBUTES["openimages"][0] == "is_occluded" and merge.BOX_ATTRIBUTES["objects365"] == ("is_fake", "is_reflected")
    # the readers take their file names from the rows
    assert lvis.SPLIT_FILES == {"train": "lvis_v1_train.json", "val": "lvis_v1_val.json"}
    assert objects365.VERSION_FILES["v2"] == {"train": "zhiyuan_objv2_train.json", "val": "zhiyuan_objv2_val.json"}
    assert openimages.CLASS_FILES == ("oidv7-class-descriptions-boxable.csv", "class-descriptions-boxable.csv")
    assert reader("oi") is openimages


def test_builtin_label_policies_are_the_readme_rules():
    assert registry.LVIS.labels == LabelPolicy(lists_on_images=True)
    assert registry.OPEN_IMAGES.labels == LabelPolicy(source_hierarchy=True)
    assert registry.OBJECTS365.labels == LabelPolicy(exhaustive_over_classes=True)


def test_a_fourth_source_is_the_generic_coco_row_under_a_name(tmp_path):
    row = registry.user_source(UserDataset("my-set_2", tmp_path))
    assert (row.name, row.reader, row.train_file, row.box_attributes) == ("my-set_2", "coco", "bigdet_my-set_2_train.json", ())
    assert isinstance(row.module(), coco.DatasetReader)
    # exhaustive over its classes, unless its images carried LVIS-style lists at ingest
    assert row.label_policy({"label_lists": False}) == LabelPolicy(exhaustive_over_classes=True)
    assert row.label_policy({"label_lists": True}) == LabelPolicy(lists_on_images=True)
    # merge order: built-ins first, datasets by name, whatever the order asked
    datasets = {n: UserDataset(n, tmp_path) for n in ("zoo", "abc")}
    assert [r.name for r in registry.ordered(["zoo", "o365", "abc", "lvis"], datasets)] == ["lvis", "objects365", "abc", "zoo"]
    # a dataset's store lies apart from the built-ins'
    assert Store(tmp_path).source_dir("abc") == tmp_path / "datasets" / "abc"
    assert Store(tmp_path).source_dir("lvis") == tmp_path / "lvis"


def test_exported_file_order_puts_datasets_after_the_builtins_and_before_val():
    names = ["bigdet_val.json", "bigdet_zoo_train.json", "bigdet_obj_train.json", "bigdet_abc_train.json", "bigdet_lvis_train.json"]
    assert sorted(names, key=record.train_file_rank) == [
        "bigdet_lvis_train.json", "bigdet_obj_train.json", "bigdet_abc_train.json", "bigdet_zoo_train.json", "bigdet_val.json"]
    assert record.sampler_order(names) == ["bigdet_obj_train.json", "bigdet_lvis_train.json", "bigdet_abc_train.json", "bigdet_zoo_train.json"]


def test_merged_folder_lists_a_dataset_file_in_id_order(tmp_path):
    folder = tmp_path / "annotations"
    folder.mkdir()
    for name in ("bigdet_val.json", "bigdet_mine_train.json", "bigdet_oid_train.json"):
        (folder / name).write_text("{}")
    assert [p.name for p in Merged.open(tmp_path).files] == ["bigdet_oid_train.json", "bigdet_mine_train.json", "bigdet_val.json"]


def test_datasets_merge_in_the_order_their_exported_files_sort_in(tmp_path):
    # "shop" < "shop2" as names, but bigdet_shop2_train.json < bigdet_shop_train.json as files ('2' < '_'):
    # ids are handed out in the merge's order and files are read back sorted, so both must agree
    datasets = {n: UserDataset(n, tmp_path) for n in ("shop", "shop2", "a", "aB", "shop-b")}
    rows = registry.ordered(["shop", "lvis", "shop2", "a", "aB", "shop-b"], datasets)
    files = [r.train_file for r in rows]
    assert files[0] == "bigdet_lvis_train.json"
    assert files == sorted(files, key=record.train_file_rank)
    assert files[1:] == ["bigdet_aB_train.json", "bigdet_a_train.json", "bigdet_shop-b_train.json", "bigdet_shop2_train.json", "bigdet_shop_train.json"]


def test_dataset_names_differing_only_by_case_are_refused(tmp_path):
    with pytest.raises(ConfigError, match="given twice"):
        registry.parse_datasets([f"Mine={tmp_path}", f"mine={tmp_path}"])


@pytest.mark.parametrize("name", ["lvis", "OI", "o365", "objects365", "all", "coco", "oid", "obj", "a b", "x/y", "", "dé"])
def test_dataset_names_that_are_taken_or_not_plain_are_refused(tmp_path, name):
    with pytest.raises(ConfigError, match="dataset name"):
        registry.parse_datasets([f"{name}={tmp_path}"])


def test_dataset_options_parse_and_refuse_strays(tmp_path):
    (tmp_path / "t.csv").write_text("x")
    names, datasets = registry.parse_datasets(["lvis", "oi", f"mine={tmp_path}"], [f"mine={tmp_path}"], [f"mine={tmp_path / 't.csv'}"])
    assert names == ["lvis", "oi"]
    assert datasets == {"mine": UserDataset("mine", tmp_path, tmp_path, tmp_path / "t.csv")}
    with pytest.raises(ConfigError, match="no dataset 'other'"):
        registry.parse_datasets([f"mine={tmp_path}"], [f"other={tmp_path}"])
    with pytest.raises(ConfigError, match="does not exist"):
        registry.parse_datasets([f"mine={tmp_path / 'nope.json'}"])
    with pytest.raises(ConfigError, match="given twice"):
        registry.parse_datasets([f"mine={tmp_path}", f"mine={tmp_path}"])
    with pytest.raises(ConfigError, match="not a file"):
        registry.parse_datasets([f"mine={tmp_path}"], None, [f"mine={tmp_path}"])


def test_dataset_image_root_defaults_to_the_jsons_folder_or_its_images(tmp_path):
    layout = Layout(data_root=tmp_path)
    path = tmp_path / "set" / "train.json"
    path.parent.mkdir()
    row = registry.user_source(UserDataset("mine", path))
    assert registry.image_dir(row, layout) == tmp_path / "set"
    (tmp_path / "set" / "images").mkdir()
    assert registry.image_dir(row, layout) == tmp_path / "set" / "images"
    assert registry.image_dir(registry.user_source(UserDataset("mine", path, tmp_path / "pics")), layout) == tmp_path / "pics"


# -- the label-set flags, one at a time ------------------------------------------------------------
#
# Source classes -> targets: 1 dog -> 1 (same meaning); 2 gull -> 2 bird (hypernym); 6 bird -> 2 (same);
# 3 awning, 4 parasol -> 3 (both same meaning); 5 cat -> 4 (same); 7 racket -> 5, 8 tennis racket -> 6
# (same), 8 under 7 in the source's own hierarchy.

TARGET = np.array([0, 1, 2, 3, 3, 4, 2, 5, 6], dtype=np.int32)
SAME = np.array([False, True, False, True, True, True, True, True, True])
CMAP = merge.ClassMap(TARGET, SAME)
ANCESTORS = [np.zeros(0, dtype=np.int32)] * 7
HIERARCHY = merge.SourceHierarchy(
    ancestors=[np.zeros(0, dtype=np.int64)] * 8 + [np.array([7])],
    descendants=[np.zeros(0, dtype=np.int64)] * 7 + [np.array([8]), np.zeros(0, dtype=np.int64)],
)


def settle(policy: LabelPolicy, boxes=(), labels=(), hierarchy=None):
    """Negatives and not-exhaustive (image, target) pairs, as sorted lists of tuples."""
    box_image = np.array([b[0] for b in boxes], dtype=np.int64)
    box_class = np.array([b[1] for b in boxes], dtype=np.int64)
    neg, nex, _ = merge.settle_label_sets(
        policy, CMAP, ANCESTORS, hierarchy,
        box_image=box_image, box_class=box_class, box_exported=np.ones(len(boxes), dtype=bool), box_invalid=np.zeros(len(boxes), dtype=bool),
        label_image=np.array([lab[0] for lab in labels], dtype=np.int64), label_class=np.array([lab[1] for lab in labels], dtype=np.int64),
        label_kind=np.array([lab[2] for lab in labels], dtype=object),
    )
    return sorted(map(tuple, neg.tolist())), sorted(map(tuple, nex.tolist()))


BASE = LabelPolicy()


def test_flag_lists_on_images_reads_the_not_exhaustive_list():
    boxes, labels = [(0, 1)], [(0, 1, "not_exhaustive"), (0, 5, "not_exhaustive"), (0, 1, "negative")]
    on = settle(replace(BASE, lists_on_images=True), boxes, labels)
    off = settle(BASE, boxes, labels)
    assert on == ([], [(0, 1), (0, 4)])  # dog's boxes incomplete; cat present, unboxed
    assert off == ([], [])  # no list read: the dog box is complete, cat unknown


def test_flag_exhaustive_over_classes_needs_no_other_feeder_verified():
    boxes = [(0, 3)]  # an awning box; parasol (the other feeder of target 3) not verified on the image
    assert settle(BASE, boxes) == ([], [(0, 3)])
    assert settle(replace(BASE, exhaustive_over_classes=True), boxes) == ([], [])


def test_flag_hypernym_fed_not_exhaustive():
    policy = replace(BASE, exhaustive_over_classes=True)
    boxes = [(0, 2), (0, 6)]  # a gull box (hypernym -> bird) and a bird box
    assert settle(policy, boxes) == ([], [(0, 2)])
    assert settle(replace(policy, hypernym_fed_not_exhaustive=False), boxes) == ([], [])


def test_flag_unboxed_positives_not_exhaustive():
    labels = [(0, 5, "positive"), (1, 5, "negative")]
    assert settle(BASE, (), labels) == ([(1, 4)], [(0, 4)])
    assert settle(replace(BASE, unboxed_positives_not_exhaustive=False), (), labels) == ([(1, 4)], [])


def test_flag_source_hierarchy_spreads_negatives_down_and_presence_up():
    labels = [(0, 7, "negative"), (1, 7, "negative"), (1, 8, "positive")]
    on = settle(replace(BASE, source_hierarchy=True), (), labels, HIERARCHY)
    off = settle(BASE, (), labels, HIERARCHY)
    # racket absent: so is the tennis racket below it; a verified tennis racket makes racket present
    assert on == ([(0, 5), (0, 6)], [(1, 6)])
    assert off == ([(0, 5), (1, 5)], [(1, 6)])


def test_dataset_image_root_is_the_folder_holding_its_file_names(tmp_path):
    layout = Layout(data_root=tmp_path)
    path = tmp_path / "set" / "train.json"
    (tmp_path / "set" / "images").mkdir(parents=True)
    (tmp_path / "set" / "images" / "a.jpg").write_bytes(b"")
    row = registry.user_source(UserDataset("mine", path))
    assert registry.image_dir(row, layout, "a.jpg") == tmp_path / "set" / "images"
    assert registry.image_dir(row, layout, "images/a.jpg") == tmp_path / "set"  # file_name as given, from the json's folder
    assert registry.image_dir(row, layout, "b.jpg") == tmp_path / "set" / "images"  # not found: images/ when there is one
