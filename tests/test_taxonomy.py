"""The taxonomy: label space, hierarchy, mappings on the real category lists, reproducibility, quality."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bigdet.taxonomy import checks, hierarchy, mapping, reference, targets
from bigdet.taxonomy.names import alternatives, resolve

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def label_space():
    return targets.bigdet600()


@pytest.fixture(scope="module")
def tree(label_space):
    return hierarchy.build(label_space)


def table(source: str) -> dict[str, dict]:
    return {r["source_name"]: r for r in mapping.read_table(source)}


def judged(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


# -- label space ---------------------------------------------------------------------------------


def test_is_kind_of_follows_hypernym_and_instance_paths_and_counts_the_synset_itself():
    from bigdet.taxonomy.wordnet import is_kind_of, synset

    destroyer, nimitz = synset("destroyer.n.01"), synset("nimitz.n.01")
    assert is_kind_of(destroyer, "vessel.n.02") and is_kind_of(destroyer, "destroyer.n.01")
    assert is_kind_of(nimitz, "person.n.01")  # an instance: Chester Nimitz, the admiral
    assert is_kind_of(destroyer, "animal.n.01", "ship.n.01") and not is_kind_of(destroyer, "animal.n.01", "food.n.01")


def test_bigdet600_ids_follow_the_released_order(label_space):
    names = reference.bigdet600_classes()
    assert [t.name for t in label_space] == list(names)
    assert [t.id for t in label_space] == list(range(1, 601))
    assert label_space.by_name["accordion"].id == 1


def test_lvis_names_and_synonyms_give_the_synsets(label_space):
    origins = [t.origin for t in label_space]
    assert origins.count("lvis") == 458 and origins.count("lvis_synonym") == 8 and origins.count("assigned") == 134
    assert label_space.by_name["taxi"].synset == "cab.n.03"  # via LVIS cab_(taxi)
    assert label_space.by_name["sneakers"].synset == "gym_shoe.n.01"
    assert label_space.by_name["baozi"].synset is None and label_space.by_name["baozi"].anchor == "dumpling.n.01"


def test_custom_target_list(tmp_path):
    path = tmp_path / "mine.txt"
    path.write_text("# three classes\nperson\ncar_(automobile)\npotted plant\n")
    space = targets.load(path)
    assert [(t.id, t.name, t.synset) for t in space] == [(1, "person", "person.n.01"), (2, "car_(automobile)", "car.n.01"), (3, "potted plant", "pot_plant.n.01")]
    result = mapping.build(space, sources=("openimages",), overrides=False)
    mapped = {d.source.name: d.target for d in result["openimages"]}
    assert mapped["Man"] == "person" and mapped["Car"] == "car_(automobile)" and mapped["Limousine"] == "car_(automobile)"


def test_a_target_list_with_a_duplicate_is_refused(tmp_path):
    with pytest.raises(ValueError, match="'dog' appears twice"):
        targets.from_names(["dog", "cat", "dog"])


# -- hierarchy -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "child, parent",
    [("sneakers", "shoe"), ("palm_tree", "tree"), ("sparrow", "bird"), ("apple", "fruit"), ("baozi", "dumpling"), ("house", "building")],
)
def test_class_parents(tree, child, parent):
    assert parent in tree.parents(child)


def test_groups_sit_above_classes_and_are_marked(tree):
    assert tree.nodes["animal"].is_group and not tree.nodes["dog"].is_group
    assert "animal" in tree.ancestors("sparrow")
    assert tree.parents("car_(automobile)") == ["vehicle"]  # not under "container", a WordNet oddity
    assert tree.parents("drink") == ["food"]


def test_no_cycles_and_every_node_has_a_parent(tree):
    assert tree.cycles() == []
    assert all(node.parents for name, node in tree.nodes.items() if name != hierarchy.ROOT)


def test_a_class_may_have_several_parents(tree):
    assert any(len(n.parents) > 1 for n in tree.nodes.values())


# -- mappings on the real category lists ---------------------------------------------------------


def test_every_lvis_class_named_like_a_target_maps_to_it(label_space):
    rows = table("lvis_v1")
    by_name = {c["name"]: c for c in reference.lvis_categories()}
    exact = [n for n in reference.bigdet600_classes() if n in by_name]
    assert len(exact) == 458
    for name in exact:
        assert rows[name]["target"] == name, name
    synonyms = {"Band_Aid": "band_aid", "Christmas_tree": "christmas_tree", "die": "dice", "Ferris_wheel": "ferris_wheel",
                "projectile_(weapon)": "missile", "prawn": "shrimp", "cab_(taxi)": "taxi", "cornet": "trumpet"}
    for lvis_name, target in synonyms.items():
        assert rows[lvis_name]["target"] == target, lvis_name


@pytest.mark.parametrize(
    "source, name, target, method",
    [
        ("openimages", "Mobile phone", "cellular_telephone", "synset"),
        ("openimages", "Man", "person", "hypernym"),
        ("openimages", "Woman", "person", "hypernym"),
        ("openimages", "Person", "person", "synset"),
        ("openimages", "Human face", "", "none"),
        ("openimages", "Human hand", "", "none"),
        ("openimages", "Human eye", "", "none"),
        ("openimages", "Animal", "", "none"),  # broader than any target
        ("openimages", "Hedgehog", "hedgehog", "synset"),  # not WordNet's first hedgehog, the porcupine
        ("openimages", "Mouse", "", "none"),  # the animal, not the computer mouse
        ("openimages", "Jet ski", "water_scooter", "lemma"),  # not a ski
        ("openimages", "Stationary bicycle", "stationary_bicycle", "synset"),
        ("openimages", "Blue jay", "bird", "hypernym"),
        ("objects365_v2", "Moniter/TV", "television_set", "manual"),
        ("objects365_v2", "Other Shoes", "shoe", "synset"),
        ("objects365_v2", "Sneakers", "sneakers", "synset"),
        ("objects365_v2", "Gloves", "glove", "synset"),
        ("objects365_v2", "Tennis", "tennis_ball", "synset"),  # a sport names its ball
        ("objects365_v2", "Bakset", "basket", "synset"),  # typo fixed by the released table
        ("objects365_v2", "Cigar/Cigarette", "cigarette", "synset"),
        ("objects365_v1", "tv", "television_set", "synset"),
    ],
)
def test_real_mappings(source, name, target, method):
    row = table(source)[name]
    assert (row["target"], row["method"]) == (target, method)


def test_every_source_class_has_one_row():
    for source in mapping.SOURCES:
        rows = mapping.read_table(source)
        assert sorted(int(r["source_category_id"]) for r in rows) == sorted(c.id for c in mapping.source_classes(source))
        assert all(r["method"] in mapping.METHODS for r in rows)
        assert all((r["target"] == "") == (r["method"] == "none" or (r["method"] == "manual" and r["target"] == "")) for r in rows)


def test_build_reproduces_the_shipped_tables(tmp_path, label_space):
    written = mapping.write_tables(mapping.build(label_space), tmp_path, label_space)
    for path in written:
        assert path.read_bytes() == (mapping.MAPPINGS_DIR / path.name).read_bytes(), path.name


def test_shipped_taxonomy_passes_its_checks():
    assert checks.run("bigdet600") == []


def test_overrides_naming_a_missing_class_are_refused(tmp_path, label_space, monkeypatch):
    bad = tmp_path / "overrides.csv"
    bad.write_text("source,source_name,target,reason\nopenimages,No Such Class,dog,x\n")
    monkeypatch.setattr(mapping, "OVERRIDES", bad)
    monkeypatch.setattr(mapping.load_overrides, "__defaults__", (bad,))
    with pytest.raises(ValueError, match="No Such Class"):
        mapping.build(label_space, sources=("openimages",))


# -- quality ---------------------------------------------------------------------------------------


def accuracy(rows: list[dict], tables: dict) -> tuple[float, list]:
    wrong = [(r["source"], r["source_name"], tables[r["source"]][r["source_name"]]["target"], r["target"]) for r in rows
             if tables[r["source"]][r["source_name"]]["target"] != r["target"]]
    return 1 - len(wrong) / len(rows), wrong


@pytest.fixture(scope="module")
def automatic(label_space, tmp_path_factory):
    out = tmp_path_factory.mktemp("auto")
    mapping.write_tables(mapping.build(label_space, overrides=False), out, label_space)
    return {s: {r["source_name"]: r for r in mapping.read_table(s, out)} for s in mapping.SOURCES}


def test_automatic_accuracy_on_the_hand_checked_samples(automatic):
    gold = judged("taxonomy_gold.csv")
    heldout = judged("taxonomy_heldout.csv")
    assert len(gold) >= 150 and len(heldout) == 80
    acc, wrong = accuracy(gold, automatic)
    assert acc >= 0.95, wrong
    acc, wrong = accuracy(heldout, automatic)
    assert acc >= 0.95, wrong


def test_shipped_tables_agree_with_every_hand_checked_class():
    shipped = {s: table(s) for s in mapping.SOURCES}
    for name in ("taxonomy_gold.csv", "taxonomy_heldout.csv"):
        acc, wrong = accuracy(judged(name), shipped)
        assert wrong == [], wrong


# -- names -----------------------------------------------------------------------------------------


def test_alternatives():
    assert alternatives("Tape Measure/ Ruler") == ["tape_measure", "ruler"]
    assert alternatives("Other Shoes") == ["shoes"]
    assert alternatives("Kitchen & dining room table") == ["kitchen_and_dining_room_table"]
    assert alternatives("football_(American)") == ["football_american"]


def test_context_picks_the_sense():
    assert resolve("Jaguar").synset == "jaguar.n.01"
    assert resolve("Pitcher").synset == "pitcher.n.02"  # the jug, not the baseball player


def test_no_taxonomy_module_binds_a_module_level_name_twice():
    """A second module-level assignment silently rebinds the first (round 23's organism rule once declared its own
    ORGANISM_LIST_SHARE beside the scientific-names rule's): every constant and function is declared once."""
    import ast
    from collections import Counter

    for path in sorted((Path(__file__).parent.parent / "taxonomy").glob("*.py")):
        names = Counter()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names[node.name] += 1
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    if isinstance(target, ast.Name):
                        names[target.id] += 1
        assert [n for n, k in names.items() if k > 1] == [], path.name
