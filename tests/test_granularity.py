"""Choosing the granularity: `taxonomy derive`, and `merge --granularity / --keep` rolling boxes and label sets up."""

from __future__ import annotations

import json

import pytest

from bigdet.build import run
from bigdet.errors import BigdetError
from bigdet.layout import Layout
from bigdet.validate import check_members, validate
from bigdet.taxonomy import derive, hierarchy
from bigdet.taxonomy.hierarchy import ROOT, Hierarchy, Node
from bigdet.taxonomy.reference import objects365_v2_categories
from bigdet.taxonomy.targets import Target, Targets, bigdet600

from .conftest import coco_doc, write_json
from .test_merge import files, lvis_box, lvis_cat, lvis_image

T = bigdet600().by_name
KEEP = ["animal", "dog", "vehicle", "person", "chair", "clothing"]


@pytest.fixture(scope="module")
def tree():
    return hierarchy.build(bigdet600())


# -- taxonomy derive ----------------------------------------------------------------------------


def test_depth_1_keeps_the_nodes_under_the_root_and_folds_every_class(tree):
    d = derive.derive(bigdet600(), tree, depth=1)
    assert {c.name for c in d.classes} == set(tree.children(ROOT))
    assert d.dropped == () and [c.id for c in d.classes] == list(range(1, len(d.classes) + 1))
    members = sorted(m for c in d.classes for m in c.members)
    assert members == list(range(1, 601))  # each bigdet600 class in exactly one derived class
    by = d.by_name
    assert T["dog"].id in by["animal"].members and T["sneakers"].id in by["clothing"].members
    assert by["award"].members == tuple(sorted(T[n].id for n in ("award", "trophy_cup")))
    for c in d.classes:  # each member is the node itself or below it
        assert all(tree.nodes[c.name].is_group or m == T[c.name].id or c.name in tree.ancestors(bigdet600().by_id[m].name) for m in c.members)


def test_keep_drops_and_lists_classes_without_a_kept_ancestor(tree):
    d = derive.derive(bigdet600(), tree, keep=["animal", "dog", "shoe"])
    by = d.by_name
    assert by["dog"].members == (T["dog"].id,) and by["dog"].parent == "animal"
    assert sorted(by["shoe"].members) == sorted(T[n].id for n in ("shoe", "high_heels", "leather_shoes", "sandal_(type_of_shoe)", "sneakers"))
    assert T["dog"].id not in by["animal"].members and T["cat"].id in by["animal"].members
    kept = {m for c in d.classes for m in c.members}
    assert sorted(T[n].id for n in d.dropped) == sorted(set(range(1, 601)) - kept)
    assert "person" in d.dropped and "boot" in d.dropped


def tiny_space():
    """entity > g1 > a > x, entity > g2 > x (x has parents a and g2), entity > g2 > y, z under a and b."""
    nodes = {ROOT: Node(ROOT, True, "entity.n.01"), "g1": Node("g1", True, None, parents=[ROOT]), "g2": Node("g2", True, None, parents=[ROOT])}
    classes = {"a": ["g1"], "b": ["g2"], "x": ["a", "g2"], "y": ["g2"], "z": ["b", "a"]}
    for i, (name, parents) in enumerate(classes.items(), start=1):
        nodes[name] = Node(name, False, None, i, list(parents))
    for n in list(nodes.values()):
        for p in n.parents:
            nodes[p].children.append(n.name)
    targets = Targets("tiny", [Target(i, n, None, None, n, "", "none") for i, n in enumerate(classes, start=1)])
    return targets, Hierarchy(nodes)


def test_a_class_with_several_parents_goes_to_the_nearest_then_deepest_then_first_by_name():
    space, h = tiny_space()
    home = lambda d, n: next(c.name for c in d.classes if space.by_name[n].id in c.members)  # noqa: E731
    # x: g2 is one step up, g1 two: the nearest wins
    assert home(derive.derive(space, h, keep=["g1", "g2"]), "x") == "g2"
    # x: a (depth 2) and g2 (depth 1) are both one step up: the deepest wins
    assert home(derive.derive(space, h, keep=["a", "g2"]), "x") == "a"
    # z: a and b both one step up and both depth 2: the first by name, whatever the parent order
    assert home(derive.derive(space, h, keep=["a", "b"]), "z") == "a"
    h.nodes["z"].parents.reverse()
    assert home(derive.derive(space, h, keep=["b", "a"]), "z") == "a"


def test_keep_file_round_trip_and_errors(tmp_path, tree):
    d = derive.derive(bigdet600(), tree, depth=2)
    path = tmp_path / "d2.txt"
    derive.write(d, path)
    assert derive.is_derived_file(path) and not derive.is_derived_file(tmp_path / "missing.txt")
    again = derive.derive(bigdet600(), tree, keep=derive.read_keep(path, tree))
    assert again.target_of == d.target_of and [c.name for c in again.classes] == [c.name for c in d.classes]
    bad = tmp_path / "bad.txt"
    bad.write_text("# coarse\nanimal\nanimals\n")
    with pytest.raises(ValueError, match=r"bad.txt line 3: 'animals' is not a class or group"):
        derive.read_keep(bad, tree)
    with pytest.raises(ValueError, match="depth 0"):
        derive.derive(bigdet600(), tree, depth=0)


# -- merge into a derived space, end to end on the synthetic sample -------------------------------


@pytest.fixture(scope="module")
def merges(tmp_path_factory, synth_root):
    tmp = tmp_path_factory.mktemp("granularity")
    layout = Layout(data_root=synth_root, store=tmp / "store")
    keep = tmp / "keep.txt"
    keep.write_text("\n".join(KEEP) + "\n")
    full = run(layout, ["lvis", "oi", "o365"], tmp / "out600")
    depth1 = run(layout, ["lvis", "oi", "o365"], tmp / "depth1", granularity=1)
    kept = run(layout, ["lvis", "oi", "o365"], tmp / "keep", keep=keep)
    return layout, tmp, full, depth1, kept


def load(result):
    return {p.name: json.loads(p.read_text()) for p in sorted((result.out / "annotations").glob("*.json"))}


def rolled(doc600, derived_doc):
    """bigdet600 id -> derived id, from the derived file's `members`."""
    return {m: c["id"] for c in derived_doc["categories"] for m in c["members"]}


BOX_FIELDS = ("image_id", "bbox", "area", "iscrowd", "is_occluded", "is_truncated", "is_group_of", "is_depiction", "is_inside", "is_fake", "is_reflected")


@pytest.mark.parametrize("which", ["depth1", "keep"])
def test_boxes_equal_the_600_class_merge_rolled_up(merges, which):
    _, _, full, depth1, kept = merges
    derived = depth1 if which == "depth1" else kept
    a, b = load(full), load(derived)
    assert list(a) == list(b)
    dropped_total = 0
    for name in a:
        to = rolled(a[name], b[name])
        expect = [(tuple(x.get(f) for f in BOX_FIELDS), to[x["category_id"]]) for x in a[name]["annotations"] if x["category_id"] in to]
        got = [(tuple(x.get(f) for f in BOX_FIELDS), x["category_id"]) for x in b[name]["annotations"]]
        assert got == expect  # same boxes, same values, same order; classes rolled up
        dropped_total += len(a[name]["annotations"]) - len(expect)
        assert [(i["id"], i["file_name"], i["width"], i["height"]) for i in a[name]["images"]] == [(i["id"], i["file_name"], i["width"], i["height"]) for i in b[name]["images"]]
    report = derived.report
    assert report["reconciles"] and "no_kept_ancestor" in report["drop_reasons"]
    counted = sum(e["merge_dropped"]["no_kept_ancestor"] for s in report["sources"].values() for e in s.values())
    assert counted == dropped_total
    if which == "depth1":
        assert dropped_total == 0 and len(b["bigdet_val.json"]["categories"]) == 70
    else:
        assert dropped_total > 0 and [c["name"] for c in b["bigdet_val.json"]["categories"]] == sorted(KEEP, key=lambda n: min(T[m].id for m in _members(b, n)))


def _members(docs, name):
    c = next(c for c in docs["bigdet_val.json"]["categories"] if c["name"] == name)
    return [bigdet600().by_id[m].name for m in c["members"]]


@pytest.mark.parametrize("which", ["depth1", "keep"])
def test_label_sets_follow_the_rules_on_every_image(merges, which):
    """Negative = every member negative at 600 classes, minus derived ancestors of boxed classes;
    not-exhaustive includes every class with a not-exhaustive member, and adds only boxed classes."""
    _, _, full, depth1, kept = merges
    derived = depth1 if which == "depth1" else kept
    a, b = load(full), load(derived)
    counts = {}
    for name in a:
        cats = b[name]["categories"]
        members = {c["id"]: set(c["members"]) for c in cats}
        parent = {c["id"]: (c["parent_ids"] or [None])[0] for c in cats}
        to = rolled(a[name], b[name])
        boxed = {}
        for x in b[name]["annotations"]:
            boxed.setdefault(x["image_id"], set()).add(x["category_id"])
        for im600, im in zip(a[name]["images"], b[name]["images"]):
            neg600, nex600 = set(im600["neg_category_ids"]), set(im600["not_exhaustive_category_ids"])
            above = set()
            for c in boxed.get(im["id"], ()):
                while parent[c] is not None:
                    c = parent[c]
                    above.add(c)
            expect_neg = {c for c, m in members.items() if m <= neg600} - above
            assert set(im["neg_category_ids"]) == expect_neg
            nex = set(im["not_exhaustive_category_ids"])
            assert {to[m] for m in nex600 if m in to} <= nex
            assert nex - {to[m] for m in nex600 if m in to} <= boxed.get(im["id"], set())
            assert not nex & set(im["neg_category_ids"]) and not boxed.get(im["id"], set()) & set(im["neg_category_ids"])
            for c in members:
                e = counts.setdefault(c, [0, 0, 0, 0])
                e[0] += c in expect_neg
                e[1] += bool(members[c] & neg600)
                e[2] += c in nex
                e[3] += bool(members[c] & nex600)
    section = derived.report["granularity"]["label_sets"]
    names = {c["id"]: c["name"] for c in b["bigdet_val.json"]["categories"]}
    for c, (neg, neg600, nex, nex600) in counts.items():
        e = section[names[c]]
        assert (e["negative_images"], e["negative_images_600"], e["not_exhaustive_images"], e["not_exhaustive_images_600"]) == (neg, neg600, nex, nex600)
    assert any(e["negative_images"] < e["negative_images_600"] for e in section.values())  # the roll-up costs negatives


def test_derived_output_validates_reruns_byte_identical_and_taxonomy_file_equals_granularity(merges, tmp_path, tree):
    layout, tmp, _, depth1, _ = merges
    assert validate(depth1.out) == []
    again = run(layout, ["o365", "oi", "lvis"], tmp_path / "again", granularity=1)
    assert files(again.out) == files(depth1.out)
    path = tmp_path / "d1.txt"
    derive.write(derive.derive(bigdet600(), tree, depth=1), path)
    via_file = run(layout, ["lvis", "oi", "o365"], tmp_path / "via_file", taxonomy=str(path))
    x, y = load(via_file), load(depth1)
    for name in x:
        assert x[name]["categories"] == y[name]["categories"] and x[name]["annotations"] == y[name]["annotations"] and x[name]["images"] == y[name]["images"]
    with pytest.raises(BigdetError, match="not both"):
        run(layout, ["lvis"], tmp_path / "x", granularity=1, keep=path)


def test_stats_and_browse_read_a_derived_output(merges):
    from bigdet import browse
    from bigdet.stats import describe

    _, _, _, depth1, kept = merges
    s = describe(depth1.out)
    names = {c["name"] for c in s["categories"]}
    assert len(s["categories"]) == 70 and {"animal", "award", "instrumentality"} <= names
    assert s["boxes"] == sum(f["annotations"] for f in depth1.report["files"].values())
    assert sum(c["instances"] for c in s["categories"]) == s["boxes"]
    selection = browse.read(kept.out, "val")
    assert selection.images.num_rows == kept.report["files"]["bigdet_val.json"]["images"]
    parents, above = browse.ancestry(selection.categories)
    by_name = {c["name"]: c["id"] for c in selection.categories}
    assert parents[by_name["dog"]] == ["animal"] and "animal" in above[by_name["dog"]]
    assert parents[by_name["animal"]] == []


def test_validate_checks_members():
    cats = [{"id": 1, "name": "a", "members": [1, 2]}, {"id": 2, "name": "b", "members": [2, 3]}]
    assert check_members("f.json", cats) == ["f.json: bigdet600 class 2 is a member of categories 1 and 2"]
    assert check_members("f.json", [{"id": 1, "members": [0, 601]}])[0].startswith("f.json: category 1 `members` must be")
    assert check_members("f.json", [{"id": 1, "members": [1]}, {"id": 2}])[0].startswith("f.json: 1 categories without `members`")
    assert check_members("f.json", [{"id": 1, "members": [5, 600]}]) == []
    assert check_members("f.json", [{"id": 1, "name": "plain COCO"}]) == []


# -- label-set rules on hand-made images --------------------------------------------------------

HAND_KEEP = ["chair", "helmet", "telephone", "accessory", "belt", "seat_belt"]  # seat_belt kept: belt = {belt}


def o365_cat(name):
    return next(i for i, orig, _ in objects365_v2_categories() if orig == name)


def test_label_set_rules_on_hand_made_images(tmp_path):
    chair, wheelchair = lvis_cat("chair"), lvis_cat("wheelchair")
    helmet, football_helmet = lvis_cat("helmet"), lvis_cat("football_helmet")
    phone, cellphone = lvis_cat("telephone"), lvis_cat("cellular_telephone")
    belt, bracelet, earring, necklace, ring = (lvis_cat(n) for n in ("belt", "bracelet", "earring", "necklace", "ring"))
    jewels = [bracelet["id"], earring["id"], necklace["id"], ring["id"]]
    cats = [chair, wheelchair, helmet, football_helmet, phone, cellphone, belt, bracelet, earring, necklace, ring]
    images = [
        lvis_image(1, neg=[chair["id"], wheelchair["id"], helmet["id"]]),  # chair: every member negative; helmet: one of two
        lvis_image(2, neg=[wheelchair["id"]], nex=[phone["id"]]),  # chair box, wheelchair negative: complete; a telephone member not exhaustive
        lvis_image(3),  # helmet box, football_helmet never labelled: other helmets may be unboxed
        lvis_image(4, neg=jewels),  # belt box; every accessory member negative, but accessory is above belt
    ]
    boxes = [
        lvis_box(1, 2, chair["id"]),
        lvis_box(3, 3, helmet["id"]),
        lvis_box(4, 4, belt["id"]),
    ]
    write_json(tmp_path / "data/lvis/lvis_v1_train.json", coco_doc(images, boxes, cats))
    o365_cats = [{"id": i, "name": orig} for i, orig, _ in objects365_v2_categories()]
    write_json(
        tmp_path / "data/objects365/zhiyuan_objv2_train.json",
        coco_doc(
            [{"id": 5, "width": 100, "height": 100, "file_name": "images/v1/patch0/x.jpg"}],
            [{"id": 1, "image_id": 5, "category_id": o365_cat("Helmet"), "bbox": [1.0, 1.0, 5.0, 5.0], "area": 25.0, "iscrowd": 0, "isfake": 0, "isreflected": 0}],
            o365_cats,
        ),
    )
    keep = tmp_path / "keep.txt"
    keep.write_text("\n".join(HAND_KEEP) + "\n")
    layout = Layout(data_root=tmp_path / "data", store=tmp_path / "store")
    result = run(layout, ["lvis", "o365"], tmp_path / "out", keep=keep)
    lv = json.loads((result.out / "annotations/bigdet_lvis_train.json").read_text())
    ids = {c["name"]: c["id"] for c in lv["categories"]}
    assert sorted(ids) == sorted(HAND_KEEP)
    assert {c["name"]: sorted(c["members"]) for c in lv["categories"]}["chair"] == sorted([T["chair"].id, T["wheelchair"].id])
    C = lambda *names: sorted(ids[n] for n in names)  # noqa: E731
    im1, im2, im3, im4 = lv["images"]
    # negative only if every member is in the image's negative set
    assert im1["neg_category_ids"] == C("chair") and im1["not_exhaustive_category_ids"] == []
    # a box of a member is a box of the class; every member labelled (box or negative): exhaustive and never negative
    assert im2["neg_category_ids"] == [] and im2["not_exhaustive_category_ids"] == C("telephone")  # a member was not exhaustive
    # boxes while a member was never labelled: not exhaustive
    assert im3["neg_category_ids"] == [] and im3["not_exhaustive_category_ids"] == C("helmet")
    # accessory's members all negative, but accessory is the derived parent of the boxed belt
    assert im4["neg_category_ids"] == [] and im4["not_exhaustive_category_ids"] == []
    assert sorted((a["image_id"], a["category_id"]) for a in lv["annotations"]) == [
        (im2["id"], ids["chair"]), (im3["id"], ids["helmet"]), (im4["id"], ids["belt"])]
    ob = json.loads((result.out / "annotations/bigdet_obj_train.json").read_text())["images"][0]
    # Objects365 covers belt, both chair members and both telephone members (absent: negative); of
    # helmet only `helmet` (boxed while football helmets were never labelled: not exhaustive); of
    # accessory not earrings, of seat_belt nothing: neither negative
    assert ob["neg_category_ids"] == C("belt", "chair", "telephone")
    assert ob["not_exhaustive_category_ids"] == C("helmet")
    # per derived class: images negative / not-exhaustive, and with any member so at 600 classes
    section = {name: [e[k] for k in ("negative_images", "negative_images_600", "not_exhaustive_images", "not_exhaustive_images_600")]
               for name, e in result.report["granularity"]["label_sets"].items()}
    assert section == {
        "chair": [2, 3, 0, 0],  # im1 and Objects365; at 600 also im2 (wheelchair)
        "helmet": [0, 1, 2, 0],  # at 600 helmet negative in im1; im3 and Objects365 boxed with a member never labelled
        "telephone": [1, 1, 1, 1],
        "accessory": [0, 2, 0, 0],  # im4 (above belt) and Objects365 (earrings not covered)
        "belt": [1, 1, 0, 0],
        "seat_belt": [0, 0, 0, 0],
    }


# -- the commands -------------------------------------------------------------------------------


def test_derive_and_merge_commands(tmp_path, merges, monkeypatch):
    from typer.testing import CliRunner

    from bigdet.cli import console
    from bigdet.cli.main import app

    layout, *_ = merges
    for stream in (console.out, console.err):  # rich wraps at the runner's 80 columns otherwise
        monkeypatch.setattr(stream, "width", 240)
    invoke = lambda *args: CliRunner().invoke(app, [str(a) for a in args])  # noqa: E731
    result = invoke("taxonomy", "derive", "--depth", "1", "--out", tmp_path / "d1.txt")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("bigdet600 depth 1: 70 classes, 600 of 600 bigdet600 classes")
    assert "├── animal (group) #2 89 members" in result.output and "award #6 2 members" in result.output
    assert derive.is_derived_file(tmp_path / "d1.txt")
    (tmp_path / "k.txt").write_text("animal\ndog\n")
    result = invoke("taxonomy", "derive", "--keep", tmp_path / "k.txt")
    assert result.exit_code == 0 and "animal (group)" in result.output and "└── dog #" in result.output and "dropped (511, no kept ancestor): " in result.output
    (tmp_path / "bad.txt").write_text("animal\nunicorn\n")
    result = invoke("taxonomy", "derive", "--keep", tmp_path / "bad.txt")
    assert result.exit_code == 1 and "bad.txt line 2: 'unicorn' is not a class or group" in result.output and len(result.output.strip().splitlines()) == 1
    assert invoke("taxonomy", "derive").exit_code == 1
    result = invoke("merge", "--sources", "lvis", "--store", layout.store, "--data-root", layout.data_root, "--out", tmp_path / "out", "--keep", tmp_path / "k.txt")
    assert result.exit_code == 0, result.output
    assert "derived label space bigdet600 keep k.txt: 2 classes; 511 bigdet600 classes without a kept ancestor dropped" in result.output
    assert "no_kept_ancestor" in result.output
