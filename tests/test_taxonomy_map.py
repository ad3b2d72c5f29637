"""``bigdet taxonomy map`` and the matcher's rule fixes of issue 12: the API on COCO json and name lists,
bad input as one line, one regression test per rule cause, the hand checks of the shipped tables."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bigdet.cli.main import app
from bigdet.taxonomy import mapping, targets

DATA = Path(__file__).parent / "data"
runner = CliRunner()


@pytest.fixture(scope="module")
def space():
    return targets.bigdet600()


@pytest.fixture(scope="module")
def matcher(space):
    return mapping.Matcher(space)


def coco(path: Path, categories) -> Path:
    path.write_text(json.dumps({"images": [], "annotations": [], "categories": categories}), encoding="utf-8")
    return path


def decide(matcher, source: str, name: str) -> mapping.Decision:
    """The automatic decision (no overrides) for a shipped source's class."""
    (c,) = [c for c in mapping.source_classes(source) if c.name == name]
    return matcher.decide(c)


# -- the API and the command ------------------------------------------------------------------------


def test_coco_supercategory_is_context_for_an_ambiguous_name(tmp_path, space):
    electronic = mapping.classes_from_file(coco(tmp_path / "a.json", [{"id": 7, "name": "mouse", "supercategory": "electronic"}]), "mine")
    animal = mapping.classes_from_file(coco(tmp_path / "b.json", [{"id": 7, "name": "mouse", "supercategory": "animal"}]), "mine")
    assert electronic[0].parents == ("electronic",) and electronic[0].id == 7 and electronic[0].source == "mine"
    (device,) = mapping.map_classes(electronic, space)
    (rodent,) = mapping.map_classes(animal, space)
    assert (device.target, device.target_id, device.synset) == ("mouse_(computer_equipment)", space.by_name["mouse_(computer_equipment)"].id, "mouse.n.04")
    assert rodent.target is None and rodent.synset == "mouse.n.01"  # the animal: no target in bigdet600


def test_a_parent_that_is_a_target_outranks_a_qualified_target_name(tmp_path, space):
    classes = mapping.classes_from_file(
        coco(tmp_path / "c.json", [{"id": 1, "name": "keyboard", "supercategory": "musical instrument"}, {"id": 2, "name": "keyboard ", "supercategory": "electronic"}][:1]), "x"
    )
    assert [d.target for d in mapping.map_classes(classes, space)] == ["musical_instrument"]
    classes = mapping.classes_from_file(coco(tmp_path / "d.json", [{"id": 1, "name": "keyboard", "supercategory": "electronic"}]), "x")
    assert [d.target for d in mapping.map_classes(classes, space)] == ["computer_keyboard"]


def test_name_list_ids_follow_the_lines_and_skip_blanks_and_comments(tmp_path, space):
    path = tmp_path / "names.txt"
    path.write_text("# my classes\nHouseplant\n\n  dining table  \nunicornium widget\n", encoding="utf-8")
    classes = mapping.classes_from_file(path, "shop")
    assert [(c.id, c.name, c.parents) for c in classes] == [(1, "Houseplant", ()), (2, "dining table", ()), (3, "unicornium widget", ())]
    decisions = mapping.map_classes(classes, space, overrides={"unicornium widget": "toy"})
    assert [(d.target, d.method) for d in decisions] == [("potted_plant", "lemma"), ("table", "hypernym"), ("toy", "manual")]


def test_map_command_prints_the_table_or_writes_the_csv(tmp_path):
    path = coco(tmp_path / "set.json", [{"id": 3, "name": "mouse", "supercategory": "electronic"}, {"id": 9, "name": "floor", "supercategory": "stuff"}])
    shown = runner.invoke(app, ["taxonomy", "map", str(path)])
    assert shown.exit_code == 0, shown.output
    assert "mouse_(computer_equipment)" in shown.output and "2 classes: 1 mapped (1 by synset), 1 with no target" in shown.output
    out = tmp_path / "deep" / "map.csv"
    written = runner.invoke(app, ["taxonomy", "map", str(path), "--out", str(out)])
    assert written.exit_code == 0, written.output
    assert f"wrote {out}" in written.output.replace("\n", "")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == list(mapping.COLUMNS)
    assert [(r["source_category_id"], r["source_name"], r["target"], r["method"]) for r in rows] == [
        ("3", "mouse", "mouse_(computer_equipment)", "synset"),
        ("9", "floor", "", "none"),
    ]
    assert rows[0]["target_id"] == str(targets.bigdet600().by_name["mouse_(computer_equipment)"].id) and rows[1]["target_id"] == ""


BAD = [
    ("x.json", b'{"categories": [', "x.json: line 1 column 17: not JSON"),
    ("x.json", b"[1, 2]", "x.json: top level: a COCO json is an object"),
    ("x.json", b'{"images": []}', "x.json: categories: missing or empty"),
    ("x.json", b'{"categories": [{"id": 1, "name": "cat"}, {"id": 1, "name": "dog"}]}', "x.json: categories[1]: duplicate category id 1 (also categories[0])"),
    ("x.json", b'{"categories": [{"id": 1, "name": "Potted plant"}, {"id": 2, "name": " Potted plant"}]}', "x.json: categories[1]: duplicate class name 'Potted plant' (also at categories[0])"),
    ("x.json", b'{"categories": [{"id": 1, "name": "  "}]}', "x.json: categories[0]: id 1: empty or missing name"),
    ("x.json", b'{"categories": [{"id": "1", "name": "cat"}]}', "x.json: categories[0]: id '1' is not an integer"),
    ("x.json", b'{"categories": [{"id": true, "name": "cat"}]}', "x.json: categories[0]: id True is not an integer"),
    ("x.txt", b"cat\ndog\ncat \n", "x.txt: line 3: duplicate class name 'cat' (also at 1)"),
    ("x.txt", b"\n# nothing\n", "x.txt: no class names"),
    ("x.txt", b"caf\xe9\n", "x.txt: byte 3: not UTF-8 text"),
]


@pytest.mark.parametrize("name,data,message", BAD, ids=[m.split(": ", 1)[1][:30] for _, _, m in BAD])
def test_bad_class_lists_are_one_line_naming_file_and_record(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(mapping.ClassListError) as e:
        mapping.classes_from_file(path, "x")
    assert str(e.value).startswith(f"{tmp_path}/{message}"), str(e.value)
    result = runner.invoke(app, ["taxonomy", "map", str(path)])
    assert result.exit_code == 1
    assert result.output.strip().startswith("error:") and message.split(": ")[1] in result.output
    assert len(result.output.replace(str(tmp_path), "").strip().splitlines()) <= 2  # one message (wrapped at most once)


def test_overrides_must_name_classes_of_the_list(space):
    with pytest.raises(ValueError, match="'tiger'"):
        mapping.map_classes([mapping.SourceClass("x", 1, "cat", "cat")], space, overrides={"tiger": "drop"})


def test_write_table_is_atomic_and_byte_identical_to_the_shipped_format(tmp_path, space):
    decisions = [d for d in mapping.map_classes([mapping.SourceClass("x", 1, "cat", "cat")], space)]
    path = mapping.write_table(decisions, tmp_path / "t.csv")
    assert path.read_bytes() == mapping.table_bytes(decisions)
    assert path.read_text().splitlines()[0] == ",".join(mapping.COLUMNS)
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]  # no temporary left behind


# -- one regression test per fixed rule cause ---------------------------------------------------------


def test_far_container_hypernym_is_not_taken(matcher):
    """cash_register -> cashbox -> strongbox -> box: WordNet's containers by function, no box."""
    d = decide(matcher, "lvis_v1", "cash_register")
    assert d.target is None and d.synset == "cash_register.n.01"
    assert decide(matcher, "lvis_v1", "carton").target == "box"  # one step below box: still a box


def test_lvis_name_with_a_space_is_two_names(matcher):
    d = decide(matcher, "lvis_v1", "monitor_(computer_equipment) computer_monitor")
    assert (d.target, d.method) == ("computer_monitor", "lemma")


def test_a_near_synonym_of_a_non_lvis_target_is_found(matcher):
    d = decide(matcher, "openimages", "Houseplant")
    assert (d.target, d.method) == ("potted_plant", "lemma")
    assert mapping.target_synonyms()["potted_plant"][0] == "houseplant"


def test_ships_and_sailing_vessels_count_as_boat_declared_once(matcher, space):
    """taxonomy/data/target_kinds.csv: WordNet's ships and sailing vessels (beside boat under vessel) are
    boats; a nearer target (cargo_ship, submarine) wins; a wrecked ship is not one; no per-name rule."""
    assert "ship.n.01" in mapping.target_kinds()["boat"][0]
    for name in ("passenger_ship", "cruise_ship", "yacht"):
        d = decide(matcher, "lvis_v1", name)
        assert (d.target, d.method) == ("boat", "hypernym"), name
    assert decide(matcher, "lvis_v1", "cargo_ship").target == "cargo_ship"
    assert decide(matcher, "objects365_v2", "Sailboat").target == "boat"
    listed = [mapping.SourceClass("x", i, n, n) for i, n in enumerate(
        ("Warship", "Passenger Ship", "ketch", "galleon", "container ship", "oil tanker", "submarine", "shipwreck", "spaceship"))]
    got = {d.source.name: d.target for d in mapping.map_classes(listed, space)}
    assert got == {"Warship": "boat", "Passenger Ship": "boat", "ketch": "boat", "galleon": "boat", "container ship": "cargo_ship",
                   "oil tanker": "cargo_ship", "submarine": "submarine", "shipwreck": None, "spaceship": None}
    assert ("objects365_v2", "Ship") not in mapping.load_overrides()  # the declaration replaces the overrides
    # only where the name itself names the vessel: not a head noun whose modifier WordNet does not know,
    # not a later sense of a word that is first a person (ImageNet's "pirate, pirate ship" names the ship)
    alone = [mapping.SourceClass("x", i, n, n) for i, n in enumerate(
        ("pirate, pirate ship", "rocket ship", "wrecked ship", "sunken ship", "whaler", "privateer"))]
    got = {d.source.name: d.target for d in mapping.map_classes(alone, space)}
    assert got == {"pirate, pirate ship": "boat", "rocket ship": None, "wrecked ship": None, "sunken ship": None,
                   "whaler": None, "privateer": None}
    people = ("person", "man", "woman", "child", "knight", "pirate", "cowboy", "clown", "ninja", "soldier", "whaler",
              "privateer", "sailor", "fisherman")
    got = {d.source.name: d.target for d in mapping.map_classes([mapping.SourceClass("x", i, n, n) for i, n in enumerate(people)], space)}
    assert not any(got[n] == "boat" for n in people) and got["pirate"] is None


def test_a_target_named_like_the_class_beats_the_parents_hypernym(matcher):
    """Open Images files Christmas tree under Tree; WordNet's first Christmas tree is a plant."""
    d = decide(matcher, "openimages", "Christmas tree")
    assert (d.target, d.synset) == ("christmas_tree", "christmas_tree.n.05")
    assert decide(matcher, "openimages", "Palm tree").target == "palm_tree"
    assert decide(matcher, "openimages", "Maple").target == "maple"


def test_a_name_ending_in_a_target_under_that_words_sibling_sense(matcher):
    assert decide(matcher, "lvis_v1", "dining_table").target == "table"  # table.n.03 beside table.n.02
    assert decide(matcher, "lvis_v1", "paperback_book").target == "book"
    assert decide(matcher, "openimages", "Common fig").target == "fig_(fruit)"  # the tree, the fruit
    assert decide(matcher, "lvis_v1", "gravy_boat").target is None and decide(matcher, "lvis_v1", "cabin_car").target is None


def test_a_shared_synonym_does_not_join_two_different_things(matcher):
    """LVIS gives cougar the synonym panther, which WordNet also gives the jaguar."""
    assert decide(matcher, "lvis_v1", "cougar").target != "jaguar"
    assert decide(matcher, "lvis_v1", "parasol").target != "awning"


def test_hyphenated_wordnet_lemmas_and_slash_abbreviated_compounds(matcher):
    assert decide(matcher, "openimages", "Ring binder").synset == "binder.n.03"  # WordNet's ring-binder
    assert decide(matcher, "openimages", "Ring binder").target == "binder"
    assert decide(matcher, "objects365_v1", "trash bin/can").target == "trash_can"  # not a tin can
    assert mapping.alternatives("trash bin/can") == ["trash_bin", "trash_can"]
    assert mapping.alternatives("Tape Measur/ Ruler") == ["tape_measur", "ruler"]


def test_lemmatized_plural_group_and_qualified_names(space):
    classes = [mapping.SourceClass("vg", i, n, n) for i, n in enumerate(["short", "people", "monitor", "glass"], start=1)]
    assert [d.target for d in mapping.map_classes(classes, space)] == ["short_pants", "person", "computer_monitor", "glass_(drink_container)"]


def test_a_lists_kind_is_context_for_names_wordnet_lacks_or_reads_otherwise(space):
    birds = [mapping.SourceClass("cub", i, n, n) for i, n in enumerate(["Gadwall"] + [f"{k} Warbler" for k in "ABCDEFGHIJ"], start=1)]
    decisions = mapping.map_classes(birds, space)
    assert [d.target for d in decisions] == ["bird"] * 11
    assert decisions[0].method == "hypernym" and "10 of 11 classes are bird" in decisions[0].note
    assert mapping.map_classes(birds[:1], space)[0].target is None  # alone, Gadwall is unknown
    dogs = [mapping.SourceClass("dogs", i, n, n) for i, n in enumerate(["chow"] + [f"{k} terrier" for k in "ABCDEFGHIJ"], start=1)]
    assert mapping.map_classes(dogs, space)[0].target == "dog"
    assert mapping.map_classes(dogs[:1], space)[0].target is None  # alone, chow is food


def test_an_animal_named_after_a_target_and_under_its_parents_is_that_target(matcher):
    """WordNet files CUB's Field Sparrow under the New World sparrows (finches), beside the target
    sparrow.n.01; both are passerines, sparrow.n.01's one parent. A prairie dog is a rodent: no dog."""
    for name in ("Field_Sparrow", "White_throated_Sparrow"):
        d = matcher.decide(mapping.SourceClass("cub", 1, name, name))
        assert (d.target, d.method, d.score) == ("sparrow", "hypernym", 0.7), d.options
        assert [o.target for o in d.options] == ["sparrow", "bird"]  # bird, 5 steps up, is second
    assert matcher.decide(mapping.SourceClass("x", 1, "prairie dog", "prairie dog")).target is None
    assert matcher.decide(mapping.SourceClass("x", 1, "mountain goat", "mountain goat")).target == "goat"


def test_a_name_of_a_shipped_class_gets_its_reviewed_decision(tmp_path, space, matcher):
    """A dataset's "trolley" is Objects365's "trolley": a handcart in BigDetection's own (reviewed) mapping, where
    WordNet's senses alone read it as no target (its first trolley is the streetcar). Visual Genome's "man" is Open
    Images' "Man", a person, as the matcher reads it too (since round 11 WordNet's man.n.01, not the genus Homo)."""
    assert matcher.decide(mapping.SourceClass("x", 1, "trolley", "trolley")).target is None
    classes = [mapping.SourceClass("vg", i, n, n) for i, n in enumerate(["trolley", "TROLLEY", "woman", "man"], start=1)]
    decisions = mapping.map_classes(classes, space)
    assert [d.target for d in decisions] == ["handcart", "handcart", "person", "person"]
    assert decisions[0].method == "lemma" and decisions[0].note == "as objects365_v1 'trolley' in the shipped table"
    assert decisions[2].note == ""  # the matcher already gives woman -> person: nothing to take over
    assert mapping.shipped_names()["man"] == ("person", "openimages", "Man")
    # the same word, two things: Open Images' Mouse is the animal (no target), Objects365's the device
    assert "chair" in mapping.shipped_names() and "mouse" not in mapping.shipped_names()
    # another label space: the shipped tables say nothing about it
    small = targets.from_names(["person", "car"], "two")
    assert mapping.map_classes(classes[:1], small)[0].target is None
    # a class whose dataset says what it is a kind of keeps the matcher's reading
    vehicle = mapping.classes_from_file(coco(tmp_path / "m.json", [{"id": 1, "name": "trolley", "supercategory": "vehicle"}]), "x")
    assert "shipped table" not in mapping.map_classes(vehicle, space)[0].note


def test_hyphen_joined_words_wordnet_lacks_are_words(space):
    """Grocery Store's product names and COCO-Stuff's "-stuff" labels join words by hyphens; WordNet's
    own hyphenated lemmas stay whole."""
    assert mapping.alternatives("Brown-Cap-Mushroom") == ["brown_cap_mushroom"]
    assert mapping.alternatives("door-stuff") == ["door"] and mapping.alternatives("food-other") == ["food"]
    assert mapping.alternatives("Hot-air balloon") == ["hot-air_balloon"] and mapping.alternatives("T-shirt") == ["t-shirt"]
    names = ["Brown-Cap-Mushroom", "Arla-Lactose-Medium-Fat-Milk", "door-stuff", "Hot-air balloon"]
    decisions = mapping.map_classes([mapping.SourceClass("x", i, n, n) for i, n in enumerate(names, start=1)], space)
    assert [d.target for d in decisions] == ["mushroom", "milk", "door", "hot-air_balloon"]


def test_a_joined_word_is_split_only_where_wordnet_knows_the_compound(space):
    """PASCAL VOC writes "dining table" as one word; CUB's Gadwall (a duck WordNet lacks) splits into two
    nouns, "gad" and "wall", which WordNet does not know together: it stays whole."""
    from bigdet.taxonomy.names import split_joined

    assert mapping.alternatives("diningtable") == ["dining_table"] and split_joined("tvmonitor") == ("tv", "monitor")
    assert split_joined("gadwall") is None and split_joined("table") is None and split_joined("t-shirt") is None
    names = ["diningtable", "aeroplane", "sofa"]
    decisions = mapping.map_classes([mapping.SourceClass("voc", i, n, n) for i, n in enumerate(names, start=1)], space)
    assert [(d.target, d.synset) for d in decisions][0] == ("table", "dining_table.n.01")


def _listed(names, source="x"):
    return [mapping.SourceClass(source, i, n, n) for i, n in enumerate(names, start=1)]


ANIMALS = ["bear", "beaver", "camel", "otter", "fox", "skunk", "raccoon", "lion", "tiger", "wolf", "squirrel"]
ARTIFACTS = ["chair", "table", "lamp", "bottle", "bowl", "knife", "fork", "spoon", "cup", "clock", "vase"]


def test_a_sense_wordnet_lists_first_wins_back_from_the_target_prior_in_a_list_of_its_kind(space):
    """CIFAR-100's mouse among its animals is the rodent (mouse.n.01, no target), not the computer mouse
    the target prior picks (mouse.n.04); among artifacts it stays the device. A first sense is never
    given up for a later one of the list's kind: VOC's bird among artifacts is no shuttlecock."""
    (rodent,) = [d for d in mapping.map_classes(_listed(ANIMALS + ["mouse"]), space) if d.source.name == "mouse"]
    assert (rodent.target, rodent.synset, rodent.method) == (None, "mouse.n.01", "none")
    assert rodent.note == "the animal sense of the name, as 10 of the 12 classes in its list are"  # not beaver (WordNet: its fur first) nor mouse
    (device,) = [d for d in mapping.map_classes(_listed(ARTIFACTS + ["mouse"]), space) if d.source.name == "mouse"]
    assert (device.target, device.synset) == ("mouse_(computer_equipment)", "mouse.n.04")
    bird = mapping.map_classes(_listed(ARTIFACTS + ["bird", "dog"]), space)[-2:]
    assert [(d.target, d.synset) for d in bird] == [("bird", "bird.n.01"), ("dog", "dog.n.01")]


def test_in_a_list_of_artifacts_an_earlier_artifact_sense_does_not_win_back(space):
    """Most object lists (COCO, LVIS) are mostly artifacts: their food names keep the food sense the
    target prior picks. COCO's cake stays the baked good (cake.n.03), not WordNet's first sense, a block
    of soap or wax (an artifact)."""
    (cake,) = [d for d in mapping.map_classes(_listed(ARTIFACTS + ["cake"]), space) if d.source.name == "cake"]
    assert (cake.target, cake.synset) == ("cake", "cake.n.03")


def test_a_name_not_read_as_people_is_not_joined_to_a_target(space):
    """Rule 3 joins only a name read as people (a nationality) to a target of its list: ``letter``
    (a written message; WordNet's lessor is a later sense) among artifacts with a box is no letter box."""
    (letter,) = [d for d in mapping.map_classes(_listed(ARTIFACTS + ["box", "letter"]), space) if d.source.name == "letter"]
    assert letter.synset == "letter.n.01" and letter.target is None


def test_a_cat_breed_wordnet_lacks_is_a_cat_only_in_a_list_with_cats(space):
    """The reviewed breed list names Egyptian Mau (WordNet lacks it), Maine Coon (WordNet knows only
    "coon", a raccoon), Ragdoll (a rag doll) and Persian (an Iranian) as cats, in a list with cats;
    in a list with no cat the names keep WordNet's reading."""
    breeds = ["Egyptian Mau", "Maine_Coon", "Ragdoll", "Persian"]
    pets = _listed(["Abyssinian", "beagle", "basset", "boxer", "pug", "Samoyed", "keeshond", "chihuahua", "collie", "whippet"] + breeds)
    decisions = {d.source.name: d for d in mapping.map_classes(pets, space)}
    assert decisions["Abyssinian"].target == "cat" and decisions["beagle"].target == "dog"
    for name in breeds:
        d = decisions[name]
        assert (d.target, d.target_id, d.method, d.synset) == ("cat", space.by_name["cat"].id, "hypernym", None), name
        assert "breeds.csv" in d.note and "1 classes of its kind are cat" in d.note
    without_cats = {d.source.name: d.target for d in mapping.map_classes(pets[1:], space) if d.source.name in breeds}
    assert without_cats == {"Egyptian Mau": None, "Maine_Coon": "raccoon", "Ragdoll": "doll", "Persian": "person"}


def test_a_nationality_joined_to_a_target_of_the_lists_kind_is_that_animal(space, monkeypatch):
    """Without the breed list, Oxford Pets' Persian is WordNet's "Persian cat" (a name read as people
    only, in a list of animals, joined to the cat target its list's animals map to)."""
    monkeypatch.setattr(mapping, "breeds", lambda: {})
    pets = _listed(["Abyssinian", "beagle", "basset", "boxer", "pug", "Samoyed", "keeshond", "chihuahua", "collie", "whippet", "Persian"])
    d = mapping.map_classes(pets, space)[-1]
    assert (d.target, d.synset) == ("cat", "persian_cat.n.01") and "'persian_cat' in WordNet" in d.note
    alone = mapping.map_classes(pets[1:], space)[-1]  # no class of the list is a cat: nothing to join
    assert (alone.target, alone.synset) == ("person", "irani.n.01")


def test_breed_list_is_cited_and_names_targets():
    text = mapping.BREEDS.read_text(encoding="utf-8")
    assert "https://en.wikipedia.org/wiki/Cat_Fanciers%27_Association" in text and "cat-breed-info.com/championship-cat-breeds" in text
    table = mapping.breeds()
    assert len(table) == 67 and set(table.values()) == {"cat"} and table["egyptian_mau"] == "cat"
    assert set(table.values()) <= set(targets.bigdet600().by_name)


# -- naming conventions of datasets' class lists ------------------------------------------------------


NUSCENES = ["animal", "human.pedestrian.adult", "human.pedestrian.child", "human.pedestrian.construction_worker", "movable_object.barrier",
            "movable_object.pushable_pullable", "movable_object.trafficcone", "vehicle.bicycle", "vehicle.bus.rigid", "vehicle.car",
            "vehicle.emergency.ambulance", "vehicle.emergency.police", "vehicle.truck"]


def test_a_category_path_is_read_by_its_most_specific_segment_naming_a_thing(space):
    """nuScenes' dotted paths and Mapillary's "--" paths: the most specific segment that names a thing
    is the class ("rigid" is no noun: the bus; "police" a group of people: the vehicle, no target), the
    segments above it its parents (a worker under "human.pedestrian" is no worker ant); a joined word
    is a target's name (trafficcone). A "." inside a name with spaces, and "/", are no path."""
    decisions = {d.source.name: d for d in mapping.map_classes(_listed(NUSCENES + ["object--traffic-light", "animal > dog"], "nuscenes"), space)}
    got = {n: decisions[n].target for n in decisions}
    assert got == {
        "animal": None, "human.pedestrian.adult": "person", "human.pedestrian.child": "person",
        "human.pedestrian.construction_worker": "person", "movable_object.barrier": None,
        "movable_object.pushable_pullable": None, "movable_object.trafficcone": "cone", "vehicle.bicycle": "bicycle",
        "vehicle.bus.rigid": "bus_(vehicle)", "vehicle.car": "car_(automobile)", "vehicle.emergency.ambulance": "ambulance",
        "vehicle.emergency.police": None, "vehicle.truck": "truck", "object--traffic-light": "traffic_light", "animal > dog": "dog",
    }
    rigid = decisions["vehicle.bus.rigid"].source
    assert (rigid.match_name, rigid.parents) == ("bus", ("vehicle",))
    assert decisions["human.pedestrian.child"].source.parents == ("pedestrian", "human")
    assert mapping.path_segments("Bugatti Veyron 16.4 Coupe 2009") is None and mapping.path_segments("trash bin/can") is None
    assert mapping.path_segments("St. Bernard") is None and mapping.path_segments("a..b") is None
    slashed = ["vehicle/car", "vehicle/bus/rigid", "human/pedestrian/child", "human/rider"]
    assert mapping.slash_paths(slashed) and not mapping.slash_paths(["trash bin/can", "Moniter/TV", "cup", "chair"])
    assert [d.target for d in mapping.map_classes(_listed(slashed), space)] == ["car_(automobile)", "bus_(vehicle)", "person", "person"]
    alternatives = mapping.map_classes(_listed(["Moniter/TV", "cup", "chair"]), space)[0].source  # read as before
    assert (alternatives.match_name, alternatives.parents, alternatives.path) == ("Moniter/TV", (), False)


CARS = ["BMW 1 Series Convertible 2012", "Bentley Arnage Sedan 2009", "Audi A5 Coupe 2012", "Buick Regal GS 2012",
        "Cadillac CTS-V Sedan 2012", "Dodge Charger Sedan 2012", "Ford E-Series Wagon Van 2012", "Ferrari FF Coupe 2012",
        "Honda Odyssey Minivan 2007", "Hyundai Sonata Sedan 2012", "Nissan 240SX Coupe 1998", "Dodge Caliber Wagon 2012",
        "AM General Hummer SUV 2000", "Eagle Talon Hatchback 1998", "Audi S4 Sedan 2007", "Chevrolet Corvette ZR1 2012",
        "Hyundai Elantra Sedan 2007", "Kia Optima Sedan 2012", "Honda Accord Coupe 2012", "BMW M3 Coupe 2012", "Chevrolet Malibu Sedan 2007",
        "Acura RL Sedan 2012", "Audi TT Hatchback 2011", "Audi R8 Coupe 2012", "Aston Martin Virage Coupe 2012"]


def test_a_vehicle_model_name_is_read_by_its_body_style(space):
    """Stanford Cars' "Make Model [Body] Year": the body word's motor-vehicle sense (a convertible is no
    sofa bed, LVIS's synonym; a wagon the station wagon; a van a truck), a pickup's cab style through the
    cited table, and a model with no body word (ZR1) a car only as the list's classes are."""
    cabs = ["Chevrolet Silverado 1500 Hybrid Crew Cab 2012", "Ford F-150 Regular Cab 2007", "Ford Ranger SuperCab 2011"]
    got = {d.source.name: d for d in mapping.map_classes(_listed(CARS + cabs, "stanford_cars"), space)}
    want = {"BMW 1 Series Convertible 2012": "car_(automobile)", "Chevrolet Silverado 1500 Hybrid Crew Cab 2012": "pickup_truck",
            "Ford F-150 Regular Cab 2007": "pickup_truck", "Ford Ranger SuperCab 2011": "pickup_truck", "Ford E-Series Wagon Van 2012": "truck",
            "Honda Odyssey Minivan 2007": "minivan", "Dodge Caliber Wagon 2012": "car_(automobile)", "AM General Hummer SUV 2000": "car_(automobile)",
            "Eagle Talon Hatchback 1998": "car_(automobile)", "Chevrolet Corvette ZR1 2012": "car_(automobile)", "Buick Regal GS 2012": "car_(automobile)"}
    assert {n: got[n].target for n in want} == want
    assert got["Dodge Caliber Wagon 2012"].synset == "beach_wagon.n.01" and got["Ford E-Series Wagon Van 2012"].synset == "van.n.05"
    assert got["Chevrolet Corvette ZR1 2012"].method == "hypernym" and "does not know" in got["Chevrolet Corvette ZR1 2012"].note
    alone = mapping.map_classes(_listed(["Chevrolet Corvette ZR1 2012", "Sonata"]), space)
    assert alone[0].target is None  # no body word and no list of cars: nothing says what it is
    assert mapping.map_classes(_listed(["convertible"]), space)[0].target == "sofa_bed"  # no model year: the name as it is
    assert "https://en.wikipedia.org/wiki/Pickup_truck" in mapping.BODY_STYLES.read_text(encoding="utf-8")
    assert set(mapping.body_styles().values()) == {"pickup truck", "minivan", "car"}


def test_a_compound_with_a_participle_after_its_noun_is_that_noun(space, matcher):
    """KITTI's Person_sitting is a person (its last word a participle naming an act); a last word that is
    no participle stays the head: Open Images' Office supplies are supplies, Food-101's beef_carpaccio no beef."""
    from bigdet.taxonomy.names import participle

    assert participle("sitting") and participle("parked") and not participle("supplies") and not participle("1")
    (sitting,) = mapping.map_classes(_listed(["Person_sitting"]), space)
    assert (sitting.target, sitting.method) == ("person", "hypernym")
    assert decide(matcher, "openimages", "Office supplies").synset == "supply.n.01"
    assert mapping.map_classes(_listed(["beef_carpaccio"]), space)[0].target != "cow"


def test_the_naming_rules_leave_alone_what_they_do_not_describe(space):
    """A review's list of names the path, model-year and participle rules read wrongly: a capital after a
    dot is an abbreviation or a brand, no path (St.Bernard stays the dog it was); a cab alone is a taxi
    (only the cited pickup cab styles are pickups); an activity (Wind_surfing, Fire_burning)
    is not the thing its first word names: the head-first reading is for what has postures."""
    def target(name):
        return mapping.map_classes(_listed([name]), space)[0].target

    assert mapping.path_segments("St.Bernard") is None and mapping.path_segments("Dr.Pepper") is None
    assert target("St.Bernard") == "dog" and target("Dr.Pepper") != "pepper"
    assert mapping.path_segments("vehicle.bus.rigid") == ["vehicle", "bus", "rigid"]
    assert target("New York Cab 2015") == "taxi" and target("London Minicab 2010") == "taxi"
    assert target("Chevrolet Silverado 1500 Crew Cab 2012") == "pickup_truck" and target("Ford F-150 SuperCab 2011") == "pickup_truck"
    for activity in ("Wind_surfing", "Fire_burning"):
        assert target(activity) in (None, ""), activity
    assert target("Person_sitting") == "person" and target("Dog_running") == "dog" and target("Car_parked") == "car_(automobile)"


def test_a_name_is_read_in_the_sense_that_is_a_kind_of_a_listed_target_class(space):
    """KITTI's "Car, Van, Truck": WordNet's first artifact sense of van, a British railway van, maps to
    nothing; its van that is a truck (one step below the listed Truck) is read. Without a truck in the
    list the name keeps its sense; a class two steps below a listed one (ADE20K's bar, a counter, a
    table) and a listed class that is only mapped to a target (counter -> table) change nothing."""
    kitti = mapping.map_classes(_listed(["Car", "Van", "Truck", "Pedestrian", "Person_sitting", "Cyclist", "Tram", "Misc", "DontCare"]), space)
    van = kitti[1]
    assert (van.target, van.synset) == ("truck", "van.n.05") and van.note == "van.n.05 is a kind of truck.n.01, a class of its list"
    without = mapping.map_classes(_listed(["Car", "Van", "Pedestrian"]), space)[1]
    assert (without.target, without.synset) == (None, "van.n.03")
    bar = mapping.map_classes(_listed(["table", "counter", "bar", "chair"]), space)[2]
    assert bar.target is None


def test_a_comma_separated_name_is_the_synset_its_synonyms_agree_on(space):
    """ImageNet's names list WordNet's lemmas of one synset, often with a Latin binomial last: the sense
    two or more of them name is the class (lion.n.01, not the constellation Leo WordNet reads in "Panthera
    leo"; candle.n.01, not the light "wax light" ends in), and a Latin name WordNet lacks blocks nothing."""
    from bigdet.taxonomy.names import alternatives, resolve

    assert alternatives("lion, king of beasts, Panthera leo") == ["lion", "king_of_beasts", "panthera_leo"]
    assert resolve("candle, taper, wax light").synset == "candle.n.01"
    lion, candle, monkey = mapping.map_classes(_listed(["lion, king of beasts, Panthera leo", "candle, taper, wax light", "proboscis monkey, Nasalis larvatus"]), space)
    assert (lion.target, lion.synset) == ("lion", "lion.n.01")
    assert (candle.target, candle.synset) == ("candle", "candle.n.01")
    assert (monkey.target, monkey.synset) == ("monkey", "proboscis_monkey.n.01")


def test_a_number_after_a_name_is_an_index_not_part_of_it(space):
    """Caltech-256's "helicopter-101" (a class also in Caltech-101) is a helicopter; a number that is the
    name's own (a code after one letter, "B-52"; "Formula 1" with a space) stays."""
    from bigdet.taxonomy.names import alternatives

    assert alternatives("helicopter-101") == ["helicopter"] and alternatives("menorah_2") == ["menorah"]
    assert alternatives("B-52") == ["b-52"] and alternatives("Formula 1") == ["formula_1"]
    (helicopter,) = mapping.map_classes(_listed(["helicopter-101"]), space)
    assert helicopter.target == "helicopter"


def test_names_differing_only_in_their_index_are_two_classes(tmp_path, space):
    """The index is no part of what a class is, but "sign_1" and "sign_2" remain two classes of a list
    (not a duplicate name)."""
    path = tmp_path / "classes.txt"
    path.write_text("sign_1\nsign_2\n", encoding="utf-8")
    one, two = mapping.map_classes(mapping.classes_from_file(path, "mine"), space)
    assert (one.source.name, two.source.name) == ("sign_1", "sign_2")
    assert one.synset is not None and one.synset == two.synset


def test_names_that_differ_only_in_case_or_separators_or_read_as_one_class_are_two_classes(tmp_path, space):
    """Real datasets' own lists hold such pairs: V3Det "timer" and "Timer", "flat nose pliers" and
    "flat-nose pliers"; 3RScan "trash can" and "trashcan". Each is a class of its own, mapped (here to
    the same target); only the same text twice is refused, unless the list is read as published
    (``repeats=True``: two ids, each mapped)."""
    path = tmp_path / "classes.txt"
    path.write_text("chair\ntrash can\ntimer\ntrashcan\nTimer\nflat nose pliers\nflat-nose pliers\n", encoding="utf-8")
    decisions = mapping.map_classes(mapping.classes_from_file(path, "mine"), space)
    assert [(d.source.id, d.source.name, d.target) for d in decisions if "trash" in d.source.name] == [(2, "trash can", "trash_can"), (4, "trashcan", "trash_can")]
    assert [d.source.id for d in decisions] == [1, 2, 3, 4, 5, 6, 7]
    timer, other_timer = (d for d in decisions if d.source.name.lower() == "timer")
    assert timer.target == other_timer.target
    path.write_text("chair\ntrash can\n trash can\n", encoding="utf-8")
    with pytest.raises(mapping.ClassListError, match="line 3: duplicate class name 'trash can'"):
        mapping.classes_from_file(path, "mine")
    # a published list naming two ids alike (Lost and Found's "Cardboard box") is read as it is when asked
    repeated = mapping.classes_from_file(path, "mine", repeats=True)
    assert [(c.id, c.name) for c in repeated] == [(1, "chair"), (2, "trash can"), (3, "trash can")]
    decisions = mapping.map_classes(repeated, space)
    assert [(d.source.id, d.target) for d in decisions] == [(1, "chair"), (2, "trash_can"), (3, "trash_can")]


def test_a_path_ending_in_a_side_of_its_parents_thing_is_that_thing(space, matcher):
    """Mapillary's "object--traffic-sign--back" is a traffic sign seen from behind: "back" (WordNet's
    rear.n.05, a side of an artifact) names a view of the segment before it, which is the class. A
    thing that WordNet files further below a side (a curb, an edge) stays the class."""
    back = mapping.read_naming(mapping.SourceClass("x", 1, "object--traffic-sign--back", "object--traffic-sign--back"), matcher)
    assert (back.match_name, back.parents) == ("traffic-sign", ("object",))
    curb = mapping.read_naming(mapping.SourceClass("x", 2, "construction--barrier--curb", "construction--barrier--curb"), matcher)
    assert curb.match_name == "curb"
    assert mapping._a_side_of("back", "street_sign.n.01") and mapping._a_side_of("front", "street_sign.n.01")
    assert not mapping._a_side_of("back", "dog.n.01")  # an animal's back is its body part, no view


def test_a_path_segment_the_matcher_maps_to_nothing_gets_the_shipped_decision(space):
    """A path's class is read under its segments; where that finds no target, a name the shipped tables
    map (Open Images' "Traffic sign": street_sign) decides, as for a class without parents. A path class
    the matcher maps keeps its own decision."""
    sign, back, adult = mapping.map_classes(_listed(["object--traffic-sign", "object--traffic-sign--back", "human.pedestrian.adult"]), space)
    assert (sign.target, back.target) == ("street_sign", "street_sign")
    assert "in the shipped table" in sign.note
    assert adult.target == "person" and "shipped" not in adult.note


def test_the_longest_final_part_wordnet_knows_is_a_compounds_head(space):
    """TACO's "Plastified paper bag" is a paper bag (WordNet's sack, LVIS plastic_bag's synset), not only
    a bag; a packaged "Bravo-Apple-Juice" is apple juice, a fruit juice. The part is not taken where its
    first word ends a modifier WordNet knows (a table tennis racket is no tennis racket) or across "and"
    (salt and pepper shakers are shakers, not pepper shakers)."""
    from bigdet.taxonomy.names import resolve

    bag, juice = mapping.map_classes(_listed(["Plastified paper bag", "Bravo-Apple-Juice"]), space)
    assert (bag.target, bag.synset, bag.method) == ("plastic_bag", "sack.n.01", "hypernym")
    assert (juice.target, juice.synset) == ("fruit_juice", "apple_juice.n.01")
    assert resolve("Table tennis racket").candidates[0].alternative == "table_tennis_racket"
    assert "racket.n.04" in {c.synset for c in resolve("Table tennis racket").candidates}
    assert "tennis_racket.n.01" not in {c.synset for c in resolve("Table tennis racket").candidates}
    assert "pepper_shaker.n.01" not in {c.synset for c in resolve("Salt and pepper shakers").candidates}


def test_a_named_person_is_no_person_class(space):
    """Caltech-256's jesus-christ and buddha are WordNet instances (one named figure each): their images
    are pictures and statues, so no hypernym makes them a person; kinds of people still are."""
    jesus, buddha, baby = mapping.map_classes(_listed(["jesus-christ", "buddha-101", "baby"]), space)
    assert (jesus.target, jesus.synset) == (None, "jesus.n.01")
    assert (buddha.target, buddha.synset) == (None, "buddha.n.01")
    assert baby.target == "person"


def test_a_name_mapping_to_nothing_is_read_as_the_kind_its_list_is_made_of(space):
    """In a list of animals, "sorrel" (WordNet's first sense a plant, which maps to nothing) is its
    sorrel horse and "trout" (its food) the fish; a sense of an incompatible kind is not taken (ImageNet's
    mink, the animal, which maps to nothing, is no mink coat among artifacts), nor in a list of another kind."""
    animals = mapping.map_classes(_listed(ANIMALS + ["sorrel", "trout"]), space)
    assert (animals[-2].target, animals[-2].synset) == ("horse", "sorrel.n.05")
    assert (animals[-1].target, animals[-1].synset) == ("fish", "trout.n.02")
    artifacts = mapping.map_classes(_listed(ARTIFACTS + ["sorrel", "hat", "coat", "mink"]), space)
    assert artifacts[len(ARTIFACTS)].target is None
    assert (artifacts[-1].target, artifacts[-1].synset) == (None, "mink.n.01")


# -- the hand checks ----------------------------------------------------------------------------------


def judged(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def test_shipped_check_sample_matches_the_shipped_tables():
    """The 160 hand-checked rows are the rows shipped now, and every one was judged right."""
    rows = judged("taxonomy_shipped_check.csv")
    assert len(rows) == 160 and {r["source"] for r in rows} == set(mapping.SOURCES)
    for source in mapping.SOURCES:
        table = {r["source_category_id"]: r for r in mapping.read_table(source)}
        for r in (r for r in rows if r["source"] == source):
            assert table[r["source_category_id"]]["source_name"] == r["source_name"]
            assert table[r["source_category_id"]]["target"] == r["shipped_target"] == r["judged_target"], r
            assert r["verdict"] == "right"


def test_unseen_samples_are_real_positions_in_the_cited_class_lists():
    """Every judged row of the unseen samples names the class at its position in its dataset's list
    (tests/data/class_lists/lists.csv: each list once, with the number of classes it holds), no row is
    judged twice, every target is a bigdet600 class, and each sample from held-out 5 on alternates its
    halves down the rows, as its header says."""
    lists = judged("class_lists/lists.csv")
    assert len({r["source"] for r in lists}) == len(lists) and len({r["file"] for r in lists}) == len(lists)
    names = {r["source"]: [c.name for c in mapping.classes_from_file(DATA / "class_lists" / r["file"], r["source"], repeats=True)] for r in lists}
    assert [len(names[r["source"]]) for r in lists] == [int(r["classes"]) for r in lists]
    held_out = sorted(int(p.stem.removeprefix("taxonomy_unseen_heldout") or 1) for p in DATA.glob("taxonomy_unseen_heldout*.csv"))
    assert held_out == list(range(1, len(held_out) + 1))
    # the row counts each sample was committed with: a row lost or added by accident fails here
    rows_of = {5: 84, 6: 92, 7: 88, 8: 89, 9: 92, 10: 91, 11: 89, 12: 90, 13: 91, 14: 93, 15: 90, 16: 91, 17: 92, 18: 90, 19: 90, 20: 89, 21: 90, 22: 90, 23: 92, 24: 89, 25: 94, 26: 87, 27: 90, 28: 72, 29: 89, 30: 89, 31: 87, 32: 91, 33: 82, 34: 89, 35: 87, 36: 85, 37: 89, 38: 85, 39: 91, 40: 92, 41: 87, 42: 90, 43: 90, 44: 92}
    for sample in held_out[4:]:
        halves = [r["half"] for r in judged(f"taxonomy_unseen_heldout{sample}.csv")]
        assert len(halves) == rows_of[sample] and halves == (["A", "B"] * len(halves))[: len(halves)], sample
    seen = set()
    files = ["taxonomy_unseen_tuning.csv"] + [f"taxonomy_unseen_heldout{'' if k == 1 else k}.csv" for k in held_out]
    for file in files:
        for r in judged(file):
            key = (r["source"], int(r["source_category_id"]))
            assert names[r["source"]][key[1] - 1] == r["source_name"] and key not in seen, (file, key)
            seen.add(key)
            assert r["target"] == "" or r["target"] in targets.bigdet600().by_name


def test_a_list_writing_its_colon_names_head_first_is_read_modifiers_first(space):
    """EPIC-KITCHENS writes a noun's modifiers after a colon ("onion:spring", "board:chopping"): most of
    its colon names read modifiers first are nouns WordNet knows (a spring onion, LVIS green_onion; a
    chopping board), so none of them is a path whose class is a season or a board. A list of category
    paths ("animal:dog") reads backwards as no compound and stays a path."""
    epic = ["onion:spring", "board:chopping", "machine:washing", "opener:bottle", "liquid:washing", "tomato", "cup"]
    assert mapping.head_first(epic) and not mapping.head_first(["animal:dog", "vehicle:car", "vehicle:bus", "cup"])
    got = {d.source.name: d for d in mapping.map_classes(_listed(epic), space)}
    assert (got["onion:spring"].target, got["onion:spring"].synset) == ("green_onion", "green_onion.n.01")
    assert got["board:chopping"].synset == "chopping_board.n.01" and got["opener:bottle"].target == "bottle_opener"
    assert (got["liquid:washing"].source.match_name, got["liquid:washing"].source.parents) == ("washing liquid", ())
    assert mapping.map_classes(_listed(["machine:sous:vide"] + epic), space)[0].source.match_name == "sous vide machine"
    paths = {d.source.name: d for d in mapping.map_classes(_listed(["animal:dog", "vehicle:car", "vehicle:bus", "cup"]), space)}
    assert (paths["animal:dog"].target, paths["animal:dog"].source.parents) == ("dog", ("animal",))
    assert paths["vehicle:bus"].target == "bus_(vehicle)"


def test_in_a_list_made_of_food_a_meat_named_like_an_animal_is_the_meat(space):
    """EPIC-KITCHENS is as much food as kitchen things (120 foods, 121 artifacts): its "chicken" is WordNet's
    first sense, the meat, which is no box around the bird (chicken_(animal)), so it maps to nothing, as
    the samples' convention drops chicken meat. Among animals the chicken stays the bird, and a food
    that is no meat keeps its animal target's kind (the crab)."""
    kitchen = ["tomato", "potato", "butter", "cheese", "bread", "rice", "spoon", "knife", "fork", "plate", "bowl", "cup", "chicken"]
    chicken = mapping.map_classes(_listed(kitchen), space)[-1]
    assert (chicken.target, chicken.synset) == (None, "chicken.n.01") and "food sense" in chicken.note
    farm = mapping.map_classes(_listed(["cow", "sheep", "horse", "goat", "dog", "cat", "duck", "pig", "goose", "rabbit", "chicken"]), space)[-1]
    assert (farm.target, farm.synset) == ("chicken_(animal)", "chicken.n.02")
    from bigdet.taxonomy.wordnet import synset

    assert mapping._meat_of(synset("chicken.n.01"), synset("chicken.n.02"))
    assert not mapping._meat_of(synset("crab.n.05"), synset("crab.n.01")) and not mapping._meat_of(synset("chicken.n.02"), synset("chicken.n.02"))


def test_a_reviewed_no_target_is_not_read_again_beside_a_listed_kind(space):
    """LVIS's wagon (the horse-drawn wagon.n.01) is shipped with no target, a reviewed decision; a list with
    a car does not turn it into the station wagon (a kind of car) by the listed-kind rule, which the
    decisions of earlier rules keep theirs from too. A name no shipped source has is still read so (KITTI's
    Van beside Truck)."""
    assert mapping.shipped_names()["wagon"][0] == ""
    wagon = mapping.map_classes(_listed(["car", "wagon", "truck", "bus"]), space)[1]
    assert (wagon.target, wagon.synset, wagon.reviewed) == (None, "wagon.n.01", True)
    van = mapping.map_classes(_listed(["Car", "Van", "Truck"]), space)[1]
    assert (van.target, van.synset, van.reviewed) == ("truck", "van.n.05", False)


def test_a_bike_is_the_bicycle_its_reviewed_synonym_names(space):
    """WordNet lists bike's motorcycle sense first, but LVIS's reviewed synonym bike_(bicycle) says the
    bare word, a lemma of bicycle.n.01, names the bicycle (Objectron's bikes are bicycles); a model name
    "Make Model Body Year" reads a two-word body WordNet knows as a vehicle (a mountain bike) and a bike the
    same way, while motorcycles and Stanford Cars' bodies stay what they were."""
    def got(name, *others):
        d = mapping.map_classes(_listed([name, *others]), space)[0]
        return d.target, d.synset

    assert got("bike", "book", "bottle", "cup") == ("bicycle", "bicycle.n.01")
    assert got("motorcycle") == ("motorcycle", "motorcycle.n.01") and got("motorbike")[0] == "motorcycle"
    assert got("Trek Mountain Bike 2019") == ("bicycle", "mountain_bike.n.01")
    assert got("Giant Bike 2020") == ("bicycle", "bicycle.n.01")
    assert got("Honda Gold Wing Motorcycle 2012") == ("motorcycle", "motorcycle.n.01")
    assert got("Dodge Caliber Wagon 2012")[1] == "beach_wagon.n.01" and got("Ford E-Series Wagon Van 2012")[1] == "van.n.05"
    assert got("BMW 1 Series Convertible 2012")[0] == "car_(automobile)"


def test_a_word_read_in_its_own_sense_does_not_reach_a_target_through_another_sense_of_it(space):
    """WordNet lists "machine" among car.n.01's lemmas (its sense 6), but ScanNet200's machine is read as
    machine.n.01, another artifact: the word may not bring back the car the resolver weighed and rejected.
    ImageNet's carpenter's plane is no airplane, its wallet no handbag. A sense in line with the chosen one
    (keyboard.n.01 and the computer keyboard) and one of another kind of thing (CIFAR-100 ray: the fish,
    not the ray flower) still meet their targets by the word."""
    def got(names, i=0):
        d = mapping.map_classes(_listed(names), space)[i]
        return d.target, d.synset

    assert got(["machine", "chair", "table", "lamp"]) == (None, "machine.n.01")
    assert got(["plane, carpenter's plane, woodworking plane", "hammer"])[0] is None
    assert got(["wallet, billfold, notecase, pocketbook", "purse"])[0] is None
    assert got(["keyboard", "mouse", "monitor"])[0] == "computer_keyboard"
    assert got(["aquarium_fish", "flatfish", "ray", "shark", "trout"], 2)[0] == "rays_and_skates"


MOTORCYCLES = ["Yamaha YZF-R1 Bike 2019", "Kawasaki Ninja Sport Bike 2018", "Ducati Monster Naked Bike 2017",
               "BMW R1250GS Adventure Bike 2020", "Honda CBR600RR Motorcycle 2019", "Suzuki Hayabusa Motorcycle 2018",
               "Harley-Davidson Fat Boy Motorcycle 2017", "KTM 390 Duke Motorcycle 2020", "Triumph Bonneville Motorcycle 2016",
               "Kawasaki Z900 Motorcycle 2021", "Honda CB500F Bike 2020", "Yamaha MT-07 Bike 2019"]


def test_a_model_bike_among_motorcycle_models_is_a_motorcycle(space):
    """Issue 12, 1: the bicycle target bike names does not decide a model's "Bike" in a list whose other
    models are motorcycles (a sport bike); alone, or beside a mountain bike, a bike stays the bicycle."""
    got = {d.source.name: (d.target, d.synset) for d in mapping.map_classes(_listed(MOTORCYCLES), space)}
    assert set(got.values()) == {("motorcycle", "motorcycle.n.01")}
    alone = mapping.map_classes(_listed(["Giant Bike 2020", "Trek Mountain Bike 2019"]), space)
    assert [(d.target, d.synset) for d in alone] == [("bicycle", "bicycle.n.01"), ("bicycle", "mountain_bike.n.01")]


def test_a_model_scooter_is_the_motor_scooter_target_not_the_kick_scooter(space):
    """Issue 12, 5: scooter's two wheeled-vehicle senses are equally near wheeled_vehicle.n.01; the one that
    is a target's synset (motor_scooter.n.01) is read, not the child's scooter (scooter.n.02, no target)."""
    d = mapping.map_classes(_listed(["Vespa Primavera Scooter 2018"]), space)[0]
    assert (d.target, d.synset) == ("motor_scooter", "motor_scooter.n.01")


def test_a_category_path_in_a_head_first_list_stays_a_path(space):
    """Issue 12, 2: a list whose colon names are mostly head-first (tree:palm, a palm tree) still reads a
    name as a path when its modifiers-first reading is no noun and its first segment is above its last
    (a dog is an animal); head-first names (onion:spring) and a path's meat (meat:chicken: no shipped
    chicken_(animal)) keep their readings."""
    trees = ["tree:palm", "tree:pine", "tree:oak", "tree:apple", "tree:birch", "tree:cherry", "tree:christmas",
             "animal:dog", "animal:cat", "animal:horse", "vehicle:car", "vehicle:bus", "person:pedestrian"]
    assert mapping.head_first(trees)
    got = {d.source.name: d for d in mapping.map_classes(_listed(trees), space)}
    assert (got["animal:dog"].target, got["animal:dog"].source.parents) == ("dog", ("animal",))
    assert (got["animal:cat"].target, got["animal:cat"].synset) == ("cat", "cat.n.01")
    assert got["vehicle:car"].target == "car_(automobile)" and got["person:pedestrian"].target == "person"
    assert got["tree:palm"].target == "palm_tree" and got["tree:apple"].source.match_name == "apple tree"
    epic = ["onion:spring", "board:chopping", "machine:washing", "opener:bottle", "liquid:washing", "meat:chicken", "fruit:apple", "tomato"]
    got = {d.source.name: d for d in mapping.map_classes(_listed(epic), space)}
    assert (got["fruit:apple"].target, got["fruit:apple"].synset) == ("apple", "apple.n.01")
    assert (got["meat:chicken"].target, got["meat:chicken"].synset) == (None, "chicken.n.01")
    assert got["onion:spring"].target == "green_onion"


def test_a_chicken_beside_live_animals_is_the_bird_not_its_meat(space):
    """Issue 12, 3: in a list a third food, a chicken beside animals WordNet knows as no food (a cat) is the
    bird; among EPIC-like foods, whose animals (fish, turkey) are foods too, it stays the meat, no target."""
    backyard = ["chicken", "dog", "cat", "egg", "apple", "tomato", "carrot", "potato", "lettuce", "corn",
                "fence", "shovel", "wheelbarrow", "hose", "bucket"]
    chicken = mapping.map_classes(_listed(backyard), space)[0]
    assert (chicken.target, chicken.synset) == ("chicken_(animal)", "chicken.n.02")
    kitchen = ["tomato", "potato", "butter", "cheese", "bread", "rice", "spoon", "knife", "fork", "plate", "fish", "turkey", "chicken"]
    assert mapping.map_classes(_listed(kitchen), space)[-1].target is None


def test_a_reviewed_no_target_is_read_again_among_kinds_of_the_listed_class(space):
    """Issue 12, 4: LVIS's reviewed wagon (no target) beside a car stays no target, but among sedans, coupes
    and hatchbacks (all direct kinds of car) the wagon is the station wagon, a car."""
    bodies = ["car", "sedan", "coupe", "hatchback", "wagon", "convertible", "suv", "minivan", "pickup", "van", "truck", "bus"]
    wagon = mapping.map_classes(_listed(bodies), space)[4]
    assert (wagon.target, wagon.synset) == ("car_(automobile)", "beach_wagon.n.01")
    assert mapping.map_classes(_listed(["car", "wagon", "truck", "bus"]), space)[1].target is None


def test_a_latin_binomial_wordnet_lacks_is_a_member_of_its_genus(space):
    """V3Det's species names: ``alouatta pigra`` (a howler, WordNet's only member of Alouatta) is a monkey;
    ``cortinarius aprinus`` (genus Cortinarius, whose members are agarics) an agaric, and ``rudbeckia triloba``
    a coneflower (no target). A binomial WordNet knows whole keeps its own synset (``limenitis arthemis``, the
    banded purple). The epithet is no English word: an
    ``alouatta scanner`` would be read as a scanner, and a first word that is no genus (``sander``, a tool)
    gives no species."""
    from bigdet.taxonomy.names import genus_kind

    assert genus_kind(["alouatta", "pigra"]).name() == "howler_monkey.n.01"
    assert genus_kind(["cortinarius", "aprinus"]).name() == "agaric.n.02"
    assert genus_kind(["alouatta", "scanner"]) is None and genus_kind(["sander", "vitreus"]) is None
    names = ["alouatta pigra", "rudbeckia triloba", "limenitis arthemis", "dog", "cat"]
    decisions = mapping.map_classes(_listed(names, "v3det"), space)
    assert [(d.target, d.synset, d.method) for d in decisions[:3]] == [
        ("monkey", "howler_monkey.n.01", "hypernym"), (None, "coneflower.n.01", "none"), ("butterfly", "banded_purple.n.01", "hypernym")]
    assert decisions[0].resolution.how == "head"  # a kind of the genus's member, no synset identity


def test_a_taxon_above_the_genus_is_what_its_members_are(space):
    """iNaturalist's super categories: WordNet knows Aves and Insecta only as classes (taxa whose members
    are orders), so the name is read as what the organisms under them are (bird.n.01, insect.n.01) and
    mapped by that. A class broader than every target (Mammalia's mammal, Animalia's animal, Plantae's
    plant) maps to nothing, as the samples drop them."""
    from bigdet.taxonomy.names import taxon_kind
    from bigdet.taxonomy.wordnet import synset

    assert taxon_kind(synset("aves.n.01")).name() == "bird.n.01"
    assert taxon_kind(synset("mammalia.n.01")).name() == "mammal.n.01"  # its own organism member, not placental
    assert taxon_kind(synset("bird.n.01")) is None and taxon_kind(synset("alouatta.n.01")) is None  # no taxon; a genus
    names = ["Plantae", "Insecta", "Aves", "Mammalia", "Animalia", "Reptilia", "Arachnida"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names, "inat"), space)}
    assert got == {"Plantae": None, "Insecta": "insect", "Aves": "bird", "Mammalia": None, "Animalia": None, "Reptilia": None, "Arachnida": None}


def test_a_participle_before_its_noun_is_that_noun(space):
    """SemanticKITTI's moving-person is a person and moving-bicyclist a bicyclist (a person): a participle
    naming no thing before the noun says what the thing does. Read as the noun itself, the name meets its
    target by name (WordNet's first person, not the body its head-noun reading chose). A compound WordNet
    knows whole keeps its sense (a walking stick is no stick alone), and the head-first Person_sitting stays."""
    from bigdet.taxonomy.names import alternatives

    assert alternatives("moving-person") == ["person"] and alternatives("parked car") == ["car"]
    assert alternatives("walking stick") == ["walking_stick"] and alternatives("Person_sitting") == ["person_sitting"]
    got = [d.target for d in mapping.map_classes(_listed(["moving-person", "moving-bicyclist", "moving-car", "Person_sitting"]), space)]
    assert got == ["person", "person", "car_(automobile)", "person"]


def test_no_juvenile_makes_a_binomials_kind(space):
    """An independent review of the binomial rule: a genus listing its young (Sus: hog, wild boar and the
    piglet, a young mammal) is what its grown members are, a swine, not an animal; a genus whose members say
    less than its own hypernym chain reads the chain."""
    from bigdet.taxonomy.names import genus_kind

    assert genus_kind(["acer", "palmatum"]).name() == "maple.n.02" and genus_kind(["sciurus", "sp"]).name() == "tree_squirrel.n.01"
    assert genus_kind(["sus", "barbatus"]).name() == "swine.n.01"
    assert genus_kind(["alouatta", "pigra"]).name() == "howler_monkey.n.01"


def test_a_binomial_is_a_species_only_in_a_list_of_binomials_from_three_genera(space):
    """Round-6 review: an epithet's last letter is no filter (acer nitro, lotus elise, taxus liberte, a stent,
    all end as epithets do). A lower-case binomial is read as a species only in a list whose binomial-shaped
    names come from at least 3 genera (V3Det, an iNaturalist list): a laptop list with one genus (Acer), a car
    list with three Lotus models, or a name mapped alone is read as any name, and WordNet lacks these."""
    from bigdet.taxonomy.names import binomial_list

    laptops = ["acer iconia", "acer nitro", "acer travelmate", "acer aspire", "laptop"]
    cars = ["lotus elise", "lotus evora", "lotus exige", "car"]
    assert not binomial_list(laptops) and not binomial_list(cars)
    assert [d.target for d in mapping.map_classes(_listed(laptops[:3]), space)] == [None, None, None]
    assert [d.target for d in mapping.map_classes(_listed(cars[:3]), space)] == [None, None, None]
    for alone in ("taxus liberte", "vespa primavera", "iris xiaomi", "alouatta pigra"):
        assert mapping.map_classes(_listed([alone]), space)[0].target is None, alone
    species = ["alouatta pigra", "acer palmatum", "taxus baccata", "lotus corniculatus"]
    assert binomial_list(species)
    got = mapping.map_classes(_listed(species), space)
    assert [(d.target, d.synset) for d in got[:2]] == [("monkey", "howler_monkey.n.01"), ("maple", "japanese_maple.n.01")]


def test_a_participle_that_changes_what_a_thing_is_leaves_the_animal(space):
    """Round-6 review: grilled, fried, roasted or stuffed (verbs of change, creation, consumption or contact, no
    motion, posture or bodily state) make food of the animal: the participle rule no longer drops them, and the
    head noun is then read as the food, not the animal (a stuffed bear is the teddy since round 7, a carved
    horse is still read as the animal by its head noun). Participles of motion and posture still drop (moving-person, a parked
    car, a sitting person, a crying baby)."""
    from bigdet.taxonomy.names import alternatives

    food = ["grilled-fish", "fried-fish", "smoked-fish", "dried-fish", "steamed-fish", "roasted-duck", "stuffed-turkey",
            "boiled-crab", "inflated-duck", "fried chicken"]
    assert alternatives("grilled-fish") == ["grilled_fish"] and alternatives("sitting person") == ["person"]
    assert alternatives("stuffed-bear") == ["stuffed_bear"] and alternatives("carved-horse") == ["carved_horse"]
    assert {d.source.name: d.target for d in mapping.map_classes(_listed(food), space)} == dict.fromkeys(food)
    # before a noun naming no food, such a participle is as often part of an animal's name
    named = ["horned lark", "bearded collie", "peppered moth"]
    assert [d.target for d in mapping.map_classes(_listed(named), space)] == ["bird", "dog", "insect"]
    moving = ["moving-person", "moving-bicyclist", "moving-car", "parked car", "sitting person", "crying baby", "running dog"]
    got = [d.target for d in mapping.map_classes(_listed(moving), space)]
    assert got == ["person", "person", "car_(automobile)", "car_(automobile)", "person", "person", "dog"]


def test_a_taxons_kind_leaves_larvae_out_and_prefers_a_narrower_target(space):
    """Round-6 review: Lepidoptera's caterpillars pulled its kind up to animal (none); without larvae it is
    the lepidopterous insect (an insect). Sphenisciformes lists sphenisciform_seabird, but every other organism
    under it is a penguin, a target: the narrower kind that is a target wins. Aves, Insecta stay."""
    from bigdet.taxonomy.names import taxon_kind
    from bigdet.taxonomy.wordnet import synset

    assert taxon_kind(synset("lepidoptera.n.01")).name() == "lepidopterous_insect.n.01"
    names = ["Lepidoptera", "Sphenisciformes", "Spheniscidae", "Aves", "Insecta", "Mammalia", "Animalia", "Plantae"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names, "inat"), space)}
    assert got == {"Lepidoptera": "insect", "Sphenisciformes": "penguin", "Spheniscidae": "penguin", "Aves": "bird",
                   "Insecta": "insect", "Mammalia": None, "Animalia": None, "Plantae": None}


def test_a_genus_chain_is_read_in_its_organism_sense():
    """Round-6 review: the word before ``_genus`` was read in its first sense: plant_genus as a factory
    (plant.n.01), amphibian_genus as a vehicle. Crassula (no members in WordNet) is a plant, Polypedates an
    amphibian."""
    from bigdet.taxonomy.names import genus_kind

    assert genus_kind(["crassula", "ovata"]).name() == "plant.n.02"
    assert genus_kind(["polypedates", "leucomystax"]).name() == "amphibian.n.03"


def test_a_lists_instance_numbers_are_no_part_of_its_classes(space):
    """Held-out 12, A2D2: ``Car 1`` .. ``Car 4``, ``Pedestrian 1`` .. ``Pedestrian 3`` number instances of one class
    (the list holds the stem with exactly 1..n): read as the stem. A model's number stays (Boeing 707 and 747,
    Fokker 50 and 100: no 1..n), and so does a lone numbered name (``Car 3`` alone, ``Windows 10``)."""
    assert mapping.numbered_stems(["Car 1", "Car 2", "Car 3", "Pedestrian 1", "Pedestrian 2", "Traffic signal 1", "Traffic signal 2", "Sky"]) == {"car", "pedestrian", "traffic_signal"}
    assert mapping.numbered_stems(["Boeing 707", "Boeing 747", "Fokker 50", "Fokker 100", "Car 3", "Windows 10", "Truck 2", "Truck 3"]) == frozenset()
    names = ["Car 1", "Car 2", "Pedestrian 1", "Pedestrian 2", "Traffic signal 1", "Traffic signal 2", "Truck 1", "Truck 2", "Bicycle 1", "Bicycle 2", "Sky"]
    got = [d.target for d in mapping.map_classes(_listed(names), space)]
    assert got == ["car_(automobile)"] * 2 + ["person"] * 2 + ["traffic_light"] * 2 + ["truck"] * 2 + ["bicycle"] * 2 + [None]
    # a number the list does not count from 1 is part of the name (WordNet knows no "car 3")
    assert mapping.map_classes(_listed(["Car 3", "Sky"]), space)[0].target is None


def test_a_numbered_stem_wordnet_lacks_whole_is_read_as_written(space):
    """Held-out 34, SemanticPOSS: ``traffic sign 1`` .. ``traffic sign 3`` number one class whose stem WordNet lacks as a
    compound: read as the stem (a street sign), not with the number as its head (WordNet's one.n.01). A lone
    ``traffic sign 2`` keeps its number, as a lone ``Car 3`` does."""
    names = ["traffic sign 1", "traffic sign 2", "traffic sign 3", "car", "pole"]
    got = [(d.target, d.synset) for d in mapping.map_classes(_listed(names), space)]
    assert got[:3] == [("street_sign", "signboard.n.01")] * 3 and got[3][0] == "car_(automobile)"
    assert mapping.map_classes(_listed(["traffic sign 2", "car"]), space)[0].target is None


def test_a_suffix_the_whole_list_shares_that_names_no_thing_is_no_part_of_its_classes(space):
    """Held-out 12, Stanford Online Products' folders ``bicycle_final``, ``cabinet_final`` (read as file_cabinet)
    ``chair_final``: "final" names no thing (an exam, a match) and ends every name, so it is dropped. A shared last
    word that is the names' head (``traffic_light``, ``street_sign``, ``beer_bottle``) names a thing and stays;
    a suffix fewer than 3 names or no more than half the list share stays."""
    folders = ["bicycle_final", "cabinet_final", "chair_final", "mug_final", "toaster_final"]
    assert mapping.shared_suffix(folders) == "final"
    got = [d.target for d in mapping.map_classes(_listed(folders), space)]
    assert got == ["bicycle", "cabinet", "chair", "mug", "toaster"]
    heads = ["traffic_light", "tail_light", "head_light", "street_light", "car"]
    assert mapping.shared_suffix(heads) is None
    assert mapping.shared_suffix(["bicycle_final", "chair_final", "mug", "lamp", "fan", "kettle"]) is None
    assert mapping.map_classes(_listed(heads), space)[0].target == "traffic_light"


def test_a_stuffed_bear_is_the_teddy_and_a_wired_mouse_the_computer_mouse(space):
    """Round-6 review: stuffed-bear was read as the bear (judged teddy_bear) and V3Det's Wired Mouse lost the
    computer mouse. A name WordNet lacks whose head is an animal is the plaything WordNet names by that head and
    defines with the first word (teddy: "a child's toy bear (usually plush and stuffed ...)"); a participle of
    making (wired: no motion, posture or bodily state) before it leaves the animal senses out where another sense
    is a target. A carved or painted horse stays the horse (no toy WordNet defines so: painted bunting,
    sandgrouse and greenling are animals), and toy dogs stay dogs."""
    names = ["stuffed-bear", "plush bear", "Wired Mouse", "carved-horse", "toy poodle", "horned lark"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert got == {"stuffed-bear": "teddy_bear", "plush bear": "teddy_bear", "Wired Mouse": "mouse_(computer_equipment)",
                   "carved-horse": "horse", "toy poodle": "dog", "horned lark": "bird"}


def test_a_material_joined_to_an_artifact_is_that_artifact(space):
    """Held-out 12, ALFRED's ``Glassbottle`` (judged bottle): a word WordNet lacks, written as a material (a
    substance first) joined to an artifact whose first sense WordNet defines with it ("a glass or plastic
    vessel"), is that artifact. A first try without the definition read V3Det's fatbike (a fat-tyre bicycle) as a
    motorcycle. Joined words of other kinds stay unsplit (CUB's Gadwall is no gad wall; HOI4D's ToyCar is left)."""
    from bigdet.taxonomy.names import split_joined

    assert split_joined("glassbottle") == ("glass", "bottle") and split_joined("plasticbottle") == ("plastic", "bottle")
    assert split_joined("gadwall") is None and split_joined("toycar") is None and split_joined("fatbike") is None
    got = [d.target for d in mapping.map_classes(_listed(["Glassbottle", "fatbike"]), space)]
    assert got == ["bottle", None]


def test_a_shared_suffix_that_may_carry_the_class_stays_part_of_the_names(space):
    """Round-7 review: any shared last word naming no thing was dropped, so ``door_damage`` became the door,
    ``front_bumper_damage`` glass, ``helmet_missing`` the helmet, ``Apple logo`` the apple, ``person_crowd`` the
    person and ``car_ignore`` the car. Only a folder's or a file's mark (``FILE_MARKS``: final, new, copy, img, ...;
    v1, v2) is dropped; such names map as before round 7 (to no target here)."""
    lists = [["front_bumper_damage", "rear_bumper_damage", "door_damage", "hood_damage", "headlight_damage"],
             ["helmet_missing", "vest_missing", "mask_missing", "glove_missing", "person"],
             ["Apple logo", "Nike logo", "Adidas logo", "Jaguar logo", "Puma"],
             ["person", "person_crowd", "rider_crowd", "cyclist_crowd"]]
    ignored = ["car_ignore", "pedestrian_ignore", "truck_ignore", "car"]
    assert mapping.shared_suffix(ignored) is None
    # (an "ignore" region is no car; before round 7 it went to person, through "ignore", which is left as it was)
    assert "car_(automobile)" not in [d.target for d in mapping.map_classes(_listed(ignored[:3]), space)]
    for names in lists:
        assert mapping.shared_suffix(names) is None, names
        got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
        carrying = {n: t for n, t in got.items() if " " in n.replace("_", " ")}
        assert carrying == dict.fromkeys(carrying), carrying
    for mark in ("final", "v2", "img", "copy"):
        folders = [f"bicycle_{mark}", f"chair_{mark}", f"mug_{mark}", f"toaster_{mark}"]
        assert mapping.shared_suffix(folders) == mark
        assert [d.target for d in mapping.map_classes(_listed(folders), space)] == ["bicycle", "chair", "mug", "toaster"]


def test_an_instance_number_is_read_off_only_where_the_stem_keeps_its_first_sense(space):
    """Round-7 review: reading ``Type 1``, ``Sort 1`` as their stem made them a person (through "type": a
    character, "sort": a person of some kind), ``Speaker 1`` a stereo speaker (WordNet's speaker is first a person
    who speaks), and ``Formula 1`` lost the race car it maps to as written (the shipped tables' name). The stem is
    read only where its decision keeps its first WordNet sense, and never where the numbered name maps as it is;
    A2D2's cars, pedestrians and traffic signals are read as before."""
    names = ["Type 1", "Type 2", "Sort 1", "Sort 2", "Speaker 1", "Speaker 2", "Formula 1", "Formula 2", "Formula 3",
             "Car 1", "Car 2", "Pedestrian 1", "Pedestrian 2", "Traffic signal 1", "Traffic signal 2"]
    got = [d.target for d in mapping.map_classes(_listed(names), space)]
    assert got == [None] * 6 + ["race_car", None, None] + ["car_(automobile)"] * 2 + ["person"] * 2 + ["traffic_light"] * 2


def test_only_an_animal_head_is_read_as_its_plaything(space):
    """Round-7 review: ``toy gun`` went to no target, read through gun's later sense (a gunman, a person) as a
    plaything of a person. Only a head whose first sense is an animal is read so (a toy bear is the teddy). Since
    round 10 a toy gun is the toy target, as the samples judge a toy vehicle (``Matcher._plaything_modifier``); it
    was a gun, no person, before."""
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["toy gun", "toy bear", "toy rifle"]), space)}
    assert got == {"toy gun": "toy", "toy bear": "teddy_bear", "toy rifle": "toy"}


def test_a_joined_word_a_target_names_whole_is_not_split_off_it(space):
    """Round-7 review: the material split read ``leathershoe`` as leather + shoe, a plain shoe, where Objects365's
    target "Leather Shoes" names it whole (the decision before round 7). A target whose name is the word written
    apart (a plural aside) wins; ``Glassbottle`` is still the bottle."""
    got = [d.target for d in mapping.map_classes(_listed(["leathershoe", "Glassbottle"]), space)]
    assert got == ["leather_shoes", "bottle"]


def test_the_plaything_lookup_reads_an_index_of_lemmas_by_last_word():
    """Round-7 review: ``_plaything`` scanned every WordNet noun lemma for each first word and head (50-100 ms a
    call, tens of seconds over V3Det). The lemmas are indexed once by their last word: the head's lemmas only."""
    from bigdet.taxonomy import names

    index = names._lemmas_by_last_word()
    assert "teddy_bear" in index["bear"] and "bear" in index["bear"] and "teddy_bear" not in index.get("teddy", ())
    assert all(lemma.rsplit("_", 1)[-1] == "gun" for lemma in index["gun"])
    assert names._plaything("stuffed", "bear").name() == "teddy.n.01"


def test_a_number_joined_to_a_name_counts_instances_where_the_list_numbers_the_stem(space):
    """Held-out 13, CORe50: ``cup1`` .. ``cup5``, ``marker1`` .. ``marker5``, ``mobile_phone1`` .. number instances
    of one class, the digits joined to the word: read as the stem, as ``Car 1`` .. ``Car 4`` are. The stem may take
    another sense of its first sense's kind (marker: the felt-tip pen, an artifact as WordNet's first marker is),
    never one of another kind (``mouse1``: WordNet's first mouse is the animal, so no computer mouse). A name whose digits belong to it (7up, 3m, mp3, a4,
    f1, b52, r2d2) is never read so, nor a lone numbered name (``cup5`` alone: the list counts no cups)."""
    for name in ("7up", "3m", "mp3", "a4", "f1", "b52", "r2d2", "4x4"):
        assert mapping.numbered(name) is None, name
    assert mapping.numbered("plug_adapter3") == ("plug_adapter", 3) and mapping.numbered("cup5") == ("cup", 5)
    names = ["cup1", "cup2", "cup3", "marker1", "marker2", "mobile_phone1", "mobile_phone2", "mouse1", "mouse2", "can1", "can2"]
    got = [d.target for d in mapping.map_classes(_listed(names), space)]
    assert got == ["cup"] * 3 + ["marker"] * 2 + ["cellular_telephone"] * 2 + [None] * 2 + ["can"] * 2
    assert mapping.map_classes(_listed(["cup5", "ball"]), space)[0].target is None


def test_a_catalogue_id_the_list_shares_is_no_part_of_its_names(space):
    """Held-out 13, YCB-Video: ``024_bowl``, ``025_mug``, ``002_master_chef_can`` carry the catalogue's ids, which
    most of the list shares (>= 3 names, more than half, zero-padded, of one width): read without them (bowl was
    none). A number that is part of a name (``3d_glasses``, ``7up_can``, ``100_dollar_bill``, ``4x4``) is no such
    id: no list shares it in that form, and the names are read as before."""
    ycb = ["002_master_chef_can", "011_banana", "024_bowl", "025_mug", "037_scissors", "061_foam_brick"]
    assert mapping.shared_id_prefix(ycb)
    got = [d.target for d in mapping.map_classes(_listed(ycb), space)]
    assert got == ["can", "banana", "bowl", "mug", "scissors", None]
    named = ["3d_glasses", "7up_can", "100_dollar_bill", "4x4", "car"]
    assert not mapping.shared_id_prefix(named)
    assert not mapping.shared_id_prefix(["1_car", "2_bus", "3_truck", "4_person"])  # no catalogue's zero-padded ids
    assert not mapping.shared_id_prefix(["001_car", "002_bus", "truck", "person", "bicycle", "dog", "cat"])  # not most of the list
    alone = [d.target for d in mapping.map_classes(_listed(named), space)]
    assert alone == [d.target for d in mapping.map_classes(_listed(named[:1]), space)] + alone[1:]
    # one id is no list's convention: the name is read whole, through its head noun (round 16: the bowl target's sense)
    bowl = mapping.map_classes(_listed(["024_bowl"]), space)[0]
    assert (bowl.target, bowl.method) == ("bowl", "hypernym") and bowl.note.startswith("its head noun 'bowl'")  # not the bare "bowl" (a synset match)


def test_a_gloss_in_parentheses_picks_the_names_sense_or_says_nothing_of_the_class(space):
    """Held-out 13, ObjectNet: ``Nail (fastener)`` and ``Laptop (open)`` were read by their glosses (a fastener, an
    opening: no target). A gloss naming what a sense of the name is a kind of picks that sense (the nail that is a
    fastener; ``bat (animal)``), as LVIS's synset does for ``nail_(fastener)``; an ImageNet id is its synset
    (``crane (n03126707)``, the machine); a kind of thing no sense of the name is of stays what the class is a kind
    of (V3Det ``gatekeeper (butterfly)``: WordNet knows only the person); a gloss of another kind of thing picks the
    name's first sense of that kind (``sidecar (vehicle)``: no cocktail); a state, who it is for or a qualifier
    says nothing of the class (``Book (closed)``, ``Dress shoe (men)``, ``Eraser (white board)``)."""
    names = ["Nail (fastener)", "nail_(fastener)", "Laptop (open)", "Book (closed)", "bat (animal)", "crane (n03126707)",
             "gatekeeper (butterfly)", "Dress shoe (men)", "Eraser (white board)", "Phone (landline)"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert got == {"Nail (fastener)": "nail", "nail_(fastener)": "nail", "Laptop (open)": "laptop_computer", "Book (closed)": "book",
                   "bat (animal)": "bat_(animal)", "crane (n03126707)": "crane", "gatekeeper (butterfly)": "butterfly",
                   "Dress shoe (men)": "shoe", "Eraser (white board)": "eraser", "Phone (landline)": "telephone"}
    sidecar = mapping.map_classes(_listed(["sidecar (vehicle)"]), space)[0]
    assert sidecar.synset == "sidecar.n.02" and sidecar.target != "cocktail"
    # a gloss naming no thing reads the name alone only in its first sense: the American biscuit is no cookie
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["Coin (money)", "biscuit (united states)"]), space)}
    assert got == {"Coin (money)": "coin", "biscuit (united states)": None}
    # an ImageNet id WordNet 3.0 lacks is read as no gloss: the name alone
    assert mapping.map_classes(_listed(["crane (n99999999)", "bulldozer"]), space)[0].synset is not None


def test_a_sense_the_gloss_picked_is_not_undone_by_the_shipped_decision_for_the_bare_name(space):
    """Review of round 8: ``_glossed`` read ``Kite (bird)`` as the bird kite, then ``_as_shipped`` gave it the shipped
    tables' "Kite" (the toy); so ``Crane (bird)`` (the machine), ``Nail (finger)`` (the fastener) and ``Horn (car)`` (a
    trumpet). A sense a gloss picked is the class's: the shipped decision for the bare name is another thing's."""
    names = ["Kite (bird)", "Crane (bird)", "Nail (finger)", "Horn (car)"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert got == {"Kite (bird)": "bird", "Crane (bird)": "bird", "Nail (finger)": None, "Horn (car)": None}
    birds = [d.target for d in mapping.map_classes(_listed(["Kite (bird)", "Eagle", "Owl", "Sparrow"]), space)]
    assert birds == ["bird", "eagle", "owl", "sparrow"]
    # a gloss that picks no sense still gets the shipped decision of the name alone
    assert mapping.map_classes(_listed(["Mouse (wireless)"]), space)[0].target == "mouse_(computer_equipment)"


def test_a_gloss_that_makes_the_name_a_compound_or_names_a_kind_of_it_is_not_said_to_say_nothing(space):
    """Review of round 8: a gloss that picked no sense fell back to the name's first sense (``Bat (baseball)`` the
    animal, ``Tank (fish)`` the army tank, ``Boxer (athlete)`` the dog). The gloss and the name as one name a target
    or WordNet knows are that thing (baseball bat, cricket bat, drinking glass, piano keyboard, potted plant, fish
    tank, paper cup, water bottle, soda can); a kind of person picks the name's person sense; a gloss of a kind of
    thing that is a kind of the name is what the class is (``Tank (aquarium)``: read as before, none); a gloss of
    several words WordNet lacks is read by its last noun where a sense is a kind of it (``Pen (animal enclosure)``:
    the enclosure), else as before (``Iron (for clothes)``, ``Headphones (over ear)``); a material or contents says nothing of the class (``Bottle (plastic)``)."""
    want = {"Bat (baseball)": "baseball_bat", "Bat (cricket)": None, "Glasses (drinking)": "glass_(drink_container)",
            "Keyboard (piano)": None, "Boxer (athlete)": "person", "Plant (potted)": "potted_plant", "Tank (fish)": None,
            "Tank (aquarium)": None, "Pen (animal enclosure)": None, "Iron (for clothes)": "iron_(for_clothing)",
            "Headphones (over ear)": "earphone",
            "Cup (paper)": "cup", "Bottle (plastic)": "bottle", "Bag (paper)": "plastic_bag", "Bottle (water)": "bottle",
            "Can (soda)": "can"}
    for name, target in want.items():
        assert mapping.map_classes(_listed([name]), space)[0].target == target, name
    # the review found these right: kept so
    kept = {"Mouse (computer)": "mouse_(computer_equipment)", "Mouse (wireless)": "mouse_(computer_equipment)",
            "Laptop (closed)": "laptop_computer", "Bottle (empty)": "bottle", "Person (occluded)": "person",
            "Car (parked)": "car_(automobile)", "Chair (folded)": "chair", "Tank (military)": "army_tank", "Cup (coffee)": "cup",
            "Remote (tv)": "remote_control", "Fan (electric)": "fan", "Ring (jewelry)": "ring", "Light (traffic)": "traffic_light",
            "Boxer (person)": "person", "Apple (fruit)": "apple"}
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(list(kept)), space)}
    assert got == kept


def test_numbered_stems_are_one_stem_whatever_their_case_or_joint(space):
    """Review of round 8: ``Car 1``, ``Car 2``, ``car3``, ``car_4`` number one stem; ``car3`` was none (its stem
    "car" was compared with "Car")."""
    got = [d.target for d in mapping.map_classes(_listed(["Car 1", "Car 2", "car3", "car_4"]), space)]
    assert got == ["car_(automobile)"] * 4


def test_a_camel_case_name_is_read_as_the_words_a_target_or_a_shipped_class_names(space):
    """Round 9 (held-out 16): ZOD's ``TrafficSign`` mapped to nothing (WordNet lacks "traffic sign", so "trafficsign"
    splits nowhere). Its CamelCase words are Open Images' ``Traffic sign``: street_sign; ALFRED's ``SideTable`` is a
    target's "side table". Words no target or shipped class names stay joined: a head-noun reading would make a
    ``ToyCar`` a car (judged a toy) and a ``TrafficBeacon`` a lighthouse (judged none); ``iPod`` is no "i pod"."""
    assert mapping.split_camel_case("SUVPickupTruck") == "SUV Pickup Truck"
    assert mapping.split_camel_case("iPod") == "iPod"
    names = ["TrafficSign", "TrafficSignal", "SideTable", "ToyCar", "TrafficBeacon", "AlarmClock"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert got == {"TrafficSign": "street_sign", "TrafficSignal": "traffic_light", "SideTable": "table", "ToyCar": None,
                   "TrafficBeacon": None, "AlarmClock": "alarm_clock"}


def test_a_camel_case_word_wordnet_knows_whole_is_not_read_as_its_words(space):
    """``_camel_case_known`` leaves a word WordNet knows, whole or as a compound ``split_joined`` finds, to WordNet:
    ``WalkingStick`` is WordNet's walkingstick (a stick insect), though its words are a shipped "walking stick" (a
    cane, mapped to nothing); ``AlarmClock`` is read by ``split_joined``, not here."""
    known = mapping.shipped_names()
    matcher = mapping.Matcher(space)
    for name in ["WalkingStick", "AlarmClock"]:
        assert mapping._camel_case_known(mapping.SourceClass("x", 1, name, name), matcher, known) is None, name
    assert mapping.map_classes(_listed(["WalkingStick"]), space)[0].target == "insect"


def test_a_kind_most_of_a_list_writes_before_its_names_is_their_parent(space):
    """Round 9 (held-out 15): TrashCan writes ``animal_<kind>`` and ``trash_<kind>``; ``animal_eel`` was the eel as
    food (no target). Read as the path ``animal > eel``: the fish; ``trash_bottle`` a bottle. ``trash_can``, a name
    WordNet knows whole, stays its trash can (the bin), though TrashCan's is judged a discarded can: a compound
    WordNet knows is never re-read through the kind (see the test below). The rest keeps its first sense or one of the kind
    (``trash_bag`` is no handbag, WordNet's fourth bag); a rest that names no thing is read whole (``animal_etc``);
    a first word that makes compounds (paper bag, paper towel) or is no thing (Waymo's ``TYPE_``) is no kind, and a
    list of toys names no guns and bears (the kind is no substance, and a bear is no toy)."""
    names = ["animal_crab", "animal_eel", "animal_etc", "animal_fish", "plant", "trash_bag", "trash_bottle", "trash_can",
             "trash_cup", "trash_rope"]
    assert mapping.kind_prefixes(names) == {"animal", "trash"}
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert got == {"animal_crab": "crab_(animal)", "animal_eel": "fish", "animal_etc": None, "animal_fish": "fish",
                   "plant": None, "trash_bag": None, "trash_bottle": "bottle", "trash_can": "trash_can", "trash_cup": "cup",
                   "trash_rope": None}
    assert mapping.kind_prefixes(["paper_bag", "paper_towel", "paper_plate", "paper_cup"]) == frozenset()
    assert mapping.kind_prefixes(["TYPE_CAR", "TYPE_TRUCK", "TYPE_BUS", "TYPE_PEDESTRIAN"]) == frozenset()
    toys = {d.source.name: d.target for d in mapping.map_classes(_listed(["toy bear", "toy gun", "toy doll"]), space)}
    assert toys["toy bear"] == "teddy_bear"


def test_a_material_kind_never_gives_the_material_and_a_compound_wordnet_knows_stays_whole(space):
    """Round 9's review: a material most of a list writes first was read as the names' parent, so the rest fell back
    to the material's own target: ``glass_pane``, ``glass_jar`` a drinking glass, ``iron_gate`` and ``iron_bar`` (a
    barroom) a clothes iron, ``straw_mat`` a drinking straw. A substance kind only says what a thing is made of: the
    rest must map to a target by itself (a bottle, a basket, a hat). And a name WordNet knows whole is that compound,
    not re-read through the kind: ``glass_snake`` is WordNet's glass lizard, ``trash_bin`` its trash can."""
    def mapped(names):
        return {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}

    glass = mapped(["glass_pane", "glass_tile", "glass_shard", "glass_bead", "glass_bottle", "glass_jar"])
    assert glass == {"glass_pane": None, "glass_tile": None, "glass_shard": None, "glass_bead": None, "glass_bottle": "bottle",
                     "glass_jar": None}
    iron = mapped(["iron_gate", "iron_bar", "iron_pipe", "iron_railing", "iron_fence", "iron_beam"])
    assert set(iron.values()) == {None}
    straw = mapped(["straw_bale", "straw_basket", "straw_mat", "straw_roof", "straw_hat"])
    assert straw == {"straw_bale": None, "straw_basket": "basket", "straw_mat": None, "straw_roof": None, "straw_hat": "hat"}
    assert mapped(["glass_bottle", "glass_jar", "glass_cup", "glass_eye", "glass_snake", "glass_frog"])["glass_snake"] == "lizard"
    trash = mapped(["trash_bin", "trash_can", "trash_bag", "trash_box", "trash_paper"])
    assert trash["trash_bin"] == trash["trash_can"] == "trash_can" and trash["trash_box"] == "box"


def test_the_head_of_a_noun_before_a_prepositional_phrase_is_that_noun(space):
    """Round 9 (held-out 14, 15): MOTChallenge's ``person_on_vehicle`` was read by its last noun (a vehicle: none)
    and CityPersons' ``other persons with unusual postures`` by "postures"; both are persons. A dish named by its
    ingredients keeps the old reading (UEC FOOD's ``eels on rice`` is judged a rice dish), and "of" is no such
    preposition (a group of people is a group). ``static_person``: a head's top-noun person.n.01 is a thing, not
    WordNet's human body (noun.body), which won before."""
    names = ["person_on_vehicle", "other persons with unusual postures", "eels on rice", "static_person", "reindeer in the snow"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert got == {"person_on_vehicle": "person", "other persons with unusual postures": "person", "eels on rice": "rice",
                   "static_person": "person", "reindeer in the snow": "deer"}


def test_a_colour_after_a_stem_the_list_writes_with_other_colours_is_the_state_it_shows(space):
    """Round 9 (held-out 15): WoodScape's ``traffic_light_green`` was read by WordNet's "light green" (a colour): none.
    A list that writes one stem with two colours or more after it names the states a thing shows: the stem is the
    class (a traffic light; ``cone_orange`` a cone, "orange" a colour there as well). Round 9's review: read in every
    name, the rule made a ``tomato_red`` a tomato, a ``school_bus_yellow`` a bus and the butterfly ``Holly Blue`` a
    tree, and left ``cone_orange`` the fruit beside ``cone_blue`` the cone; a single name is no such state. "light"
    before green, red and yellow names no thing (WordNet's light is first a radiation): no stem; nor is a last word
    that is no colour ("large")."""
    names = ["traffic_light_green", "traffic_light_red", "traffic_light_yellow", "light_green"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert got == {"traffic_light_green": "traffic_light", "traffic_light_red": "traffic_light",
                   "traffic_light_yellow": "traffic_light", "light_green": None}
    cones = [d.target for d in mapping.map_classes(_listed(["cone_blue", "cone_yellow", "cone_orange"]), space)]
    assert cones == ["cone"] * 3
    for name in ["tomato_red", "banana_yellow", "school_bus_yellow", "fire_engine_red", "Holly Blue", "traffic_light_green"]:
        assert mapping.map_classes(_listed([name]), space)[0].target is None, name
    assert mapping.colour_stems(["Holly Blue", "Common Blue", "Small Copper", "Red Admiral"]) == frozenset()
    assert mapping.colour_stems(["light_green", "light_red", "light_yellow"]) == frozenset()
    assert mapping.colour_stems(["cone_large", "cone_small", "cone_blue"]) == frozenset()


def test_a_colour_name_wordnet_knows_whole_or_colour_first_as_another_thing_is_no_coloured_stem(space):
    """Round 9's colour stems: a name WordNet knows as written is no stem and colour (``navy_blue`` is WordNet's dark
    blue, no navy showing blue). Round 9's second review: ``widow_black`` beside ``widow_white`` was a widow (a person),
    though WordNet's black widow is a spider, and ``panda_red`` a giant panda beside ``panda_black``. Where WordNet
    knows the colour and the stem as a two-word compound, colour first, that is no kind of the stem, the name is no
    coloured stem; one that is a kind of it stays one (black pepper is a pepper, the seasoning; a red fox a fox), as
    does a compound WordNet writes as one word (a blackshirt, no black shirt)."""
    assert mapping._coloured("navy_blue") is None and mapping._coloured("car_blue") == ("car", "blue")
    assert mapping._coloured("widow_black") is None and mapping._coloured("knight_white") is None
    assert mapping._coloured("pepper_black") == ("pepper", "black") and mapping._coloured("fox_red") == ("fox", "red")
    assert mapping._coloured("shirt_black") == ("shirt", "black")
    widows = {d.source.name: d.target for d in mapping.map_classes(_listed(["widow_black", "widow_white"]), space)}
    assert widows["widow_black"] is None
    pandas = {d.source.name: d.target for d in mapping.map_classes(_listed(["panda_red", "panda_black"]), space)}
    assert pandas["panda_red"] == "red_panda"


def test_a_preposition_joined_by_a_hyphen_is_part_of_a_modifier_not_a_phrase(space):
    """Round 9's review: the prepositional-phrase rule read hyphened modifiers, which ``alternatives`` splits, as
    phrases: a ``clip-on earrings`` was a clip (none), ``wireless in-ear headphones`` a wireless (a radio). A
    preposition the name joins by a hyphen to the word before or after it is part of a modifier: the head is the
    last noun again. (``head with helmet``, a head, stays none: the class may mean the helmet; a judgement call.)"""
    names = {"clip-on earrings": "earring", "clip-on sunglasses": "sunglasses", "clip-on tie": "necktie", "clip-on lamp": "lamp",
             "screw-in light bulb": "lightbulb", "wall-in oven": "oven", "wireless in-ear headphones": "earphone",
             "person on vehicle": "person"}
    for name, target in names.items():
        assert mapping.map_classes(_listed([name]), space)[0].target == target, name


def test_only_the_preposition_a_name_joins_by_a_hyphen_starts_no_phrase(space):
    """Round 9's second review: one hyphened preposition turned off every phrase in the name, so ``person with in-ear
    headphones`` was an earphone and ``person with clip-on microphone`` a microphone. Only the prepositions the name
    writes joined by a hyphen (and nowhere free) are left out: the first free one after a word starts the phrase.
    ``prepositional_head`` reads the same way (the head whose shipped decision the class gets)."""
    from bigdet.taxonomy import names

    assert names.hyphened_prepositions("person with in-ear headphones") == {"in"}
    assert names.hyphened_prepositions("clip-on earrings") == {"on"}
    assert names.hyphened_prepositions("man in car with in-ear headphones") == frozenset()
    assert names.prepositional_head("clip-on earrings") is None
    assert names.prepositional_head("wireless in-ear headphones") is None
    assert names.prepositional_head("person with in-ear headphones") == "person"
    assert names.resolve("person with in-ear headphones").synset == "person.n.01"
    assert names.resolve("wireless in-ear headphones").synset == "earphone.n.01"
    for name in ["person with in-ear headphones", "person with clip-on microphone", "man with walk-in closet"]:
        assert mapping.map_classes(_listed([name]), space)[0].target == "person", name


def test_a_head_noun_that_is_a_top_noun_person_is_a_person_unless_its_modifier_makes_an_imitation(space):
    """Round 9 (held-out 14): a head's top-noun sense that is an object (person.n.01, noun.Tops) counts as a thing:
    MOTChallenge's ``static_person`` is a person, not WordNet's human body, which won before. Round 9's review: so
    were a ``toy_person`` or a ``snow person``. A modifier that names a material (a noun sense that is a substance:
    plastic, cardboard, snow), a likeness (a noun sense that is WordNet's plaything or creation: toy, lego, doll,
    mannequin, statue, picture, drawing, fake) or an adjective of imitation (dummy, mock: WordNet's artificial and
    counterfeit) makes the head an imitation: no person. Round 9's second review: any artifact first did, so a
    ``wheelchair person``, ``camera person`` or ``bus person`` was none; an artifact that is no likeness is what the
    person uses or where they are. So a ``stick person`` and a ``robot person`` are persons now (WordNet's stick and
    robot are no likeness): a known cost."""
    assert mapping.map_classes(_listed(["static_person"]), space)[0].target == "person"
    for name in ["toy_person", "fake_person", "dummy_person", "mock person", "cardboard_person", "lego_person", "plastic person",
                 "snow person", "mannequin person", "statue person", "doll person", "picture person", "drawing person"]:
        assert mapping.map_classes(_listed([name]), space)[0].target is None, name
    for name in ["wheelchair person", "wheelchair_person", "camera person", "umbrella_person", "bicycle person", "bus person",
                 "door person"]:
        assert mapping.map_classes(_listed([name]), space)[0].target == "person", name


def test_an_animal_before_a_prepositional_phrase_is_the_animal_and_a_dish_stays_a_dish(space):
    """Round 9's review: any food sense of the head blocked the prepositional rule, so ``dog on leash``, ``bird on
    wire``, ``fish in aquarium`` and ``duck on water`` were none (dog, bird, fish and duck have a food sense), while
    ``cow in field`` mapped. A dish named by its ingredients is one whose head is first a food (``eels on rice``:
    WordNet's first eel is the meat; V3Det's ``Stir-fried Beef with Arugula``, beef that a participle of making
    makes the meat, not WordNet's first beef, cattle) or whose words after the preposition are (``beef with
    potatoes``). Round 9's second review: with that, ``Beef with broccoli`` was a cow, ``Crab with ginger`` a crab,
    ``Fish in batter`` and ``salmon on plate`` a fish (broccoli, ginger, batter and plate have a food sense, though
    not first): a head that names an animal and a food, before words with any food sense, is a dish too (``duck on
    water`` is none for it, WordNet's water being a drink as well). A head that names no animal keeps the phrase
    reading (``hot dog with mustard``: WordNet's hot dog is a show-off or the sausage). The words after the
    preposition are read without their article (``Fish with a side``: a side dish; WordNet's "aside" is no food)."""
    names = {"dog on leash": "dog", "bird on wire": "bird", "fish in aquarium": "fish", "duck on water": None,
             "cow in field": "cow", "eels on rice": "rice", "beef with potatoes": "potato", "Stir-fried Beef with Arugula": None,
             "Beef with broccoli": "broccoli", "Crab with ginger": None, "Fish in batter": None, "salmon on plate": None,
             "Fish with a side": None, "hot dog with mustard": "hot_dog", "egg in nest": "egg", "cake with candles": "cake"}
    for name, target in names.items():
        assert mapping.map_classes(_listed([name]), space)[0].target == target, name


def test_the_head_before_a_prepositional_phrase_gets_the_shipped_decision_of_its_name(space):
    """Round 9's review: ``man on bicycle``, ``man with dog`` and ``man in suit`` went from the last noun (bicycle,
    dog, suit) to none: WordNet's man read as a head noun is homo, an animal (noun.animal, before the person). A
    whole ``man`` is Open Images' ``Man`` (person) by the shipped tables; the head gets the same lookup."""
    for name in ["man on bicycle", "man with dog", "man in suit"]:
        assert mapping.map_classes(_listed([name]), space)[0].target == "person", name


def test_a_synset_declared_a_kind_of_two_targets_is_refused(tmp_path, space, monkeypatch):
    """target_kinds.csv: one synset under two targets is an error, not a silent first-wins."""
    path = tmp_path / "kinds.csv"
    path.write_text("target,synsets,except,reason\nboat,ship.n.01,,x\ncargo_ship,ship.n.01,,y\n", encoding="utf-8")
    import taxonomy.mapping as matcher_module

    read = matcher_module.target_kinds.__wrapped__
    monkeypatch.setattr(matcher_module, "target_kinds", lambda: read(path))
    with pytest.raises(ValueError, match="ship.n.01"):
        matcher_module.Matcher(space)


def test_a_lower_camel_case_name_wordnet_lacks_is_read_as_its_words(space):
    """Round 10 (held-out 18): Snapshot Serengeti writes its species as identifiers, in lower camelCase. ``koriBustard``
    mapped to nothing (the upper CamelCase reading takes only words a target or a shipped class names); read as its
    words, "kori Bustard", it is a bustard, a bird. A first word the list writes before several such names is their
    head, read last: ``lionMale`` and ``lionFemale`` are lions (no male animal), ``hyenaSpotted`` WordNet's spotted hyena
    (no target). A name WordNet knows whole (``guineaFowl``) and ``iPod`` (one letter first) are read as before."""
    names = ["koriBustard", "lionFemale", "lionMale", "hyenaSpotted", "hyenaStriped", "guineaFowl", "iPod"]
    assert mapping.lower_camel_heads(names) == frozenset({"lion", "hyena"})
    got = {d.source.name: (d.target, d.synset) for d in mapping.map_classes(_listed(names), space)}
    assert got["koriBustard"] == ("bird", "bustard.n.01")
    assert got["lionMale"] == got["lionFemale"] == ("lion", "lion.n.01")
    assert got["hyenaSpotted"] == (None, "spotted_hyena.n.01")
    assert got["guineaFowl"] == ("bird", "guinea_fowl.n.01")
    assert mapping._lower_camel_words("iPod") is None


def test_a_toy_named_by_what_it_copies_is_a_toy(space):
    """Round 10 (held-out 18): MetaGraspNet's ``d_toy_airplane`` (a piece of a toy airplane) was an airplane by its head
    noun; a modifier that is first WordNet's plaything and names a target makes it that target: toy (so V3Det's ``toy
    vehicle``). Not where the head holds or sells toys (a toy bag, a toy store), nor before an animal: WordNet's toy also
    names small dog breeds (``toy bulldog`` stays a dog) and a toy bear is WordNet's teddy."""
    names = ["d_toy_airplane", "toy vehicle", "toy gun", "toy bag", "toy store", "toy bulldog", "toy bear"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert got == {"d_toy_airplane": "toy", "toy vehicle": "toy", "toy gun": "toy", "toy bag": None, "toy store": None,
                   "toy bulldog": "dog", "toy bear": "teddy_bear"}


def test_human_and_cattle_are_declared_kinds_of_person_and_cow(space):
    """Round 10 (held-out 17, 18): WordNet's only human is homo.n.02, a genus filed with the animals and unlinked to
    person.n.01: AU-AIR's ``Human`` mapped to nothing. Its ox (ox.n.01) is cattle.n.01, of which the cow target
    (LVIS's beef.n.01) is one kind: AwA2's ``ox`` mapped to nothing. taxonomy/data/target_kinds.csv declares both; the
    extinct species of Homo are excepted (the round-10 review: Cro-magnon man, a homo sapiens, was a person)."""
    kinds = mapping.target_kinds()
    assert "homo.n.02" in kinds["person"][0] and "neandertal_man.n.01" in kinds["person"][1]
    assert "cattle.n.01" in kinds["cow"][0]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["Human", "ox", "bull", "neanderthal", "cro-magnon"]), space)}
    assert got == {"Human": "person", "ox": "cow", "bull": "cow", "neanderthal": None, "cro-magnon": None}


def test_a_lower_camel_case_head_is_only_an_animal_before_no_thing_of_its_own(space):
    """Round-10 review: a first word written before several lower camelCase names was read as their head whatever
    followed it, so a part or a belonging became its owner: ``dogBowl`` and ``dogLeash`` dogs, ``bikeHelmet`` a
    motorcycle, ``personHead`` a person, ``cupLid`` a cup, ``carPlate`` a car. Only an animal is such a head, and only
    before a word that names no thing of its own (a sex, an age, a species epithet: ``lionMale``, ``hyenaSpotted``)."""
    lists = [["dogBowl", "dogLeash"], ["bikeHelmet", "bikeLock"], ["bikeWheel", "bikeSeat"],
             ["personHead", "personHand", "personFoot"], ["cupHandle", "cupLid"], ["carLight", "carPlate"]]
    owners = {"dog", "motorcycle", "person", "cup", "car_(automobile)"}
    for names in lists:
        assert mapping.lower_camel_heads(names) == frozenset(), names
        got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
        assert not owners & set(got.values()), got
    got = {d.source.name: d.synset for d in mapping.map_classes(_listed(["dogBowl", "dogLeash"]), space)}
    assert got == {"dogBowl": "bowl.n.03", "dogLeash": "leash.n.01"}  # round 16: the bowl target's sense of bowl
    assert mapping.lower_camel_heads(["lionMale", "lionFemale", "lionSkull"]) == frozenset({"lion"})
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["lionMale", "lionFemale", "lionSkull"]), space)}
    assert got["lionMale"] == got["lionFemale"] == "lion" and got["lionSkull"] != "lion"


def test_only_toy_itself_before_a_head_makes_a_likeness(space):
    """Round-10 review: any kind of plaything before a head made the name that plaything's target: ``doll chair``,
    ``doll bed`` and ``doll carriage`` were dolls, ``frisbee holder`` a frisbee. Only a word whose first sense is
    WordNet's plaything (toy, plaything) makes its head a likeness; a doll chair is a chair made for a doll."""
    names = ["doll chair", "doll bed", "doll carriage", "frisbee holder", "toy car"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert got["doll chair"] == "chair" and got["toy car"] == "toy"
    assert not {"doll", "frisbee"} & set(got.values()), got


def test_a_toy_copies_only_vehicles_weapons_instruments_and_play_devices(space):
    """Round-10 review: a toy before any instrumentality that was no container within 2 steps was the toy target, so
    what holds or stores toys was a toy (``toy shelf``, ``toy holder``, ``toy hanger``, ``toy organizer``, ``toy
    cabinet``; ``toy car battery``, a battery), while ``toy bicycle``, ``toy tricycle`` and ``toy skateboard``, within 2
    steps of container.n.01, stayed bicycles. The heads a toy copies are a positive set (``mapping.TOY_COPIES``)."""
    copies = ["toy car", "toy bus", "toy train", "toy boat", "toy airplane", "toy gun", "toy piano", "toy robot",
              "toy phone", "toy tank", "toy bicycle", "toy tricycle", "toy skateboard", "toy camera", "toy sword"]
    holders = ["toy box", "toy chest", "toy shop", "toy room", "toy story", "toy shelf", "toy holder", "toy hanger",
               "toy cabinet", "toy organizer", "toy car battery", "toy spoon"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(copies + holders), space)}
    assert {n: got[n] for n in copies} == dict.fromkeys(copies, "toy")
    assert not [n for n in holders if got[n] == "toy"], got
    assert got["toy cabinet"] == "cabinet" and got["toy spoon"] == "spoon"


def test_a_toy_is_the_word_directly_before_the_head_noun(space):
    """Round-10 review: every word before the head noun was looked at, so a name whose toy modifies another modifier
    was a toy: a ``toy shop truck`` or ``toy factory truck`` is a truck (of a toy shop, a toy factory). Only the word
    directly before the head noun's words (its synset's lemma: ``delivery_truck``) counts: ``toy delivery truck`` and
    ``wooden toy train`` are toys."""
    names = ["toy shop truck", "toy factory truck", "toy delivery truck", "wooden toy train", "d_toy_airplane"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert got == {"toy shop truck": "truck", "toy factory truck": "truck", "toy delivery truck": "toy",
                   "wooden toy train": "toy", "d_toy_airplane": "toy"}


def test_a_word_wordnet_knows_as_another_part_of_speech_is_no_typo_of_a_noun(space):
    """Round 11 (held-out 19): ModaNet's ``outer`` (its outerwear) is no noun WordNet knows, so the fuzzy lookup read it
    as ``ouster``, one letter away, a person: a confident wrong target. WordNet knows outer as an adjective: it is
    spelled right, and no fuzzy noun stands in for it (CODa's ``Other`` was read as fuss). A misspelt noun is still
    read by its nearest lemma (``Tape Measur``)."""
    from bigdet.taxonomy import names

    assert names._fuzzy_lemma("outer") is None and names._fuzzy_lemma("other") is None
    assert names._fuzzy_lemma("measur")[0] == "measure"
    # the singular of a plural-only noun is read still (round 11's review: tight was tights, clothe clothes)
    assert names._fuzzy_lemma("tight")[0] == "tights" and names._fuzzy_lemma("clothe")[0] == "clothes"
    got = {d.source.name: (d.target, d.synset) for d in mapping.map_classes(_listed(["outer", "Other"]), space)}
    assert got == {"outer": (None, None), "Other": (None, None)}


def test_an_animal_a_word_names_only_aside_after_its_people_is_people(space):
    """Round 11 (held-out 20): RUOD's ``diver`` (among sea animals) was a bird: WordNet's third diver is the loon, whose
    synset "loon, diver" another word heads, and an animal outscores the two senses of people the word heads
    (diver.n.01, the frogman; diver.n.02). After two or more such senses of people an animal the word names only aside
    scores as people: a diver is a person, an angler no anglerfish. An animal the word heads stays (a boxer, the dog),
    and so does one after a single people sense (an Alsatian is WordNet's German shepherd)."""
    got = {d.source.name: (d.target, d.synset) for d in mapping.map_classes(_listed(["diver", "angler", "boxer", "alsatian"]), space)}
    assert got["diver"] == ("person", "diver.n.01")
    assert got["angler"] == ("person", "angler.n.01")
    assert got["boxer"] == ("dog", "boxer.n.04") and got["alsatian"] == ("dog", "german_shepherd.n.01")


def test_an_animal_named_aside_is_that_animal_in_a_list_of_its_kind(space):
    """Round 11's review: a CUB-like list's ``diver`` (14 birds) became a person, and a list of fishes' ``angler``.
    In a list mostly of the animal's kind (CONTEXT_MIN_CLASSES classes, CONTEXT_SHARE of them with a sense under the
    nearest target above it) the animal a word names aside is read: the loon, a bird; the anglerfish, a fish. RUOD's
    sea animals (no birds) keep their diver a person. A named person is no sense of people: WordNet's first whistler
    is the painter Whistler, so a whistler is not counted as a word naming people twice."""
    from bigdet.taxonomy import names
    from bigdet.taxonomy.wordnet import noun_synsets

    birds = ["Black_footed_Albatross", "Laysan_Albatross", "Crested_Auklet", "Red_winged_Blackbird", "Bobolink", "Indigo_Bunting",
             "Gray_Catbird", "Brandt_Cormorant", "American_Crow", "Mallard", "Common_Raven", "Herring_Gull", "Blue_Jay", "diver"]
    fishes = ["salmon", "trout", "tuna", "cod", "carp", "goldfish", "pike", "perch", "bass", "herring", "mackerel", "sardine", "eel", "catfish", "angler"]
    ruod = ["holothurian", "echinus", "scallop", "starfish", "fish", "corals", "diver", "cuttlefish", "turtle", "jellyfish"]
    assert mapping.map_classes(_listed(birds), space)[-1].target == "bird"
    assert mapping.map_classes(_listed(fishes), space)[-1].target == "fish"
    assert {d.source.name: d.target for d in mapping.map_classes(_listed(ruod), space)}["diver"] == "person"
    senses = noun_synsets("whistler")
    assert not any(names._animal_named_aside("whistler", senses, rank) for rank in range(len(senses)))


def test_a_noun_before_a_head_picks_the_head_sense_of_its_kind(space):
    """Round 11 (held-out 19): View-of-Delft's ``moped_scooter`` (mopeds and scooters) was read by its head noun in
    WordNet's first scooter, the water scooter, a target: a motorboat. A noun directly before the head picks the head's
    target senses of its kind (whose parent is an ancestor of the modifier: a moped is a wheeled vehicle, as the motor
    scooter is); V3Det's ``Diamond ring`` is the jewelry ring (none before: WordNet's first ring is a hoop). Never where
    a head sense is a part of the modifier's kind of thing: a ``skateboard wheel`` is a wheel, no bicycle (WordNet's
    wheel.n.01 is a part of a wheeled vehicle); a modifier of no shared kind leaves the head as it was."""
    names = ["moped_scooter", "electric scooter", "Diamond ring", "skateboard wheel", "closet door", "vest dress"]
    got = {d.source.name: (d.target, d.synset) for d in mapping.map_classes(_listed(names), space)}
    assert got["moped_scooter"] == got["electric scooter"] == ("motor_scooter", "motor_scooter.n.01")
    assert got["Diamond ring"] == ("ring", "ring.n.08")
    plural = {d.source.name: d.target for d in mapping.map_classes(_listed(["moped scooters", "electric_scooters"]), space)}
    assert plural == {"moped scooters": "motor_scooter", "electric_scooters": "motor_scooter"}
    assert got["skateboard wheel"] == ("wheel", "wheel.n.01")
    assert got["closet door"] == ("door", "door.n.01") and got["vest dress"] == ("dress", "dress.n.01")


def test_a_noun_before_a_head_leaves_a_first_sense_of_its_kind(space):
    """Round 11's review: any container or vehicle before ``bag`` made a handbag (WordNet's handbag is also a bag), a
    ``bicycle cart`` a handcart, a ``car pot`` a flowerpot. The rule moves a head off a first sense of another kind
    only: WordNet's first bag, cart, pot and carriage are containers or wheeled vehicles already. A sense that is the
    modifier itself, above it or a kind of it is no kin (a ``car machine`` is no car, a ``headset phone`` no earphone,
    a ``ball bowl`` no bowling ball), nor one the head names only aside (WordNet's diaper is also a napkin, its toilet
    a can)."""
    names = ["bike bag", "car bag", "bin bag", "box bag", "basket bag", "bicycle cart", "car pot", "sink can", "shirt napkin",
             "car machine", "headset phone", "ball bowl", "bicycle carriage"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert got == {"bike bag": None, "car bag": None, "bin bag": None, "box bag": None, "basket bag": None,
                   "bicycle cart": "cart", "car pot": "pot", "sink can": "can", "shirt napkin": "napkin",
                   "car machine": None, "headset phone": "telephone", "ball bowl": "bowl", "bicycle carriage": "horse_carriage"}


def test_two_classes_joined_by_an_ampersand_are_what_both_are(space):
    """Round 11 (held-out 19): ModaNet's ``scarf & tie`` was a necktie by its last noun, though it holds scarves as
    much. A list joins two classes with "&": the class is the target both sides map to alone, else none (scarf and
    necktie). A side of several words may share the other's head (``baby & toddler shoe``: a shoe), and a name's own
    "and" is part of what it names (V3Det's breed ``bull and terrier``, a dog)."""
    names = ["scarf & tie", "sedan & coupe", "baby & toddler shoe", "bull and terrier", "Rays and skates"]
    got = {d.source.name: d for d in mapping.map_classes(_listed(names), space)}
    assert got["scarf & tie"].target is None and "scarf (scarf) and tie (necktie)" in got["scarf & tie"].note
    assert got["sedan & coupe"].target == "car_(automobile)"
    assert got["baby & toddler shoe"].target == "shoe" and got["bull and terrier"].target == "dog"
    assert got["Rays and skates"].target == "rays_and_skates"


def test_a_clipped_name_in_a_list_of_one_kind_is_the_target_it_clips(space):
    """Round 11 (held-out 19; VisDrone's earlier miss): View-of-Delft and VisDrone write ``motor`` for motorcycles (Dutch
    usage); WordNet's motor is an engine, and LVIS's motor a reviewed "no target". In a list made of one kind of thing
    (their cars, trucks and bicycles: wheeled vehicles) a name that maps to nothing and is no such thing, but is the
    first part of one unlisted target of that kind, is that target: motorcycle (motorcar, motortruck and motorbus clip
    to "motor" as well; the list has its car, truck and bus). In a list of many kinds (PASCAL-Context's ``snow`` beside
    its cars) and outside one (a ``hand``) the word keeps its sense."""
    visdrone = ["pedestrian", "people", "bicycle", "car", "van", "truck", "tricycle", "awning-tricycle", "bus", "motor"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(visdrone), space)}
    assert got["motor"] == "motorcycle" and got["car"] == "car_(automobile)"
    mixed = ["car", "truck", "bus", "snow", "sky", "flower", "cat", "dog", "chair", "bottle", "motor", "hand"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(mixed), space)}
    assert got["motor"] is None and got["snow"] is None and got["hand"] is None



def test_a_clipped_name_needs_a_narrow_kind_and_a_word_of_its_sort(space):
    """Round 11's review: broad kinds made common words clips (a sports list's ``base`` baseball, ``foot`` football; a
    vehicle list's ``street`` a streetlight, ``air`` an airplane; a clothing list's ``sun`` a sunhat, ``neck`` a
    necktie; a fruit list's ``water`` a watermelon). A list's kind is one at ONE_KIND_MIN_DEPTH or deeper (wheeled
    vehicles, musical instruments), and the word's first sense must be of the kind's sort (WordNet's motor is an
    artifact as a wheeled vehicle is; a foot, the air, water, the sun, a neck are not)."""
    lists = {
        "sports": ["tennis racket", "golf ball", "ski", "surfboard", "skateboard", "baseball bat", "soccer ball", "base", "foot", "kite"],
        "vehicles": ["car", "van", "bicycle", "bus", "truck", "motor", "street", "air", "wagon"],
        "clothes": ["shirt", "pants", "dress", "skirt", "jacket", "coat", "hat", "shoe", "boot", "sock", "sun", "neck", "swim"],
        "fruit": ["apple", "banana", "orange", "lemon", "peach", "pear", "grape", "water", "kiwi"],
    }
    got = {d.source.name: d.target for ns in lists.values() for d in mapping.map_classes(_listed(ns), space)}
    assert [got[w] for w in ("base", "foot", "street", "air", "sun", "neck", "swim", "water")] == [None] * 8
    assert got["motor"] == "motorcycle"
    assert mapping.ONE_KIND_MIN_DEPTH == 7


def test_a_scientific_name_wordnet_lacks_is_of_its_organism_list_kind(space):
    """Round 12 (held-out 21, IP102): a crop-pest list names most pests in English (insects WordNet knows) and the rest
    by scientific names WordNet lacks: a genus and epithet with or without an author (``Lycorma delicatula``,
    ``Icerya purchasi Maskell``, ``Dacus dorsalis(Hendel)``), a genus and ``sp``, a lone capitalised genus. In a list
    mostly of one organism target those are that target; a name WordNet reads as an organism it maps to nothing (a
    spider mite) stays so, and so do English names WordNet lacks (``Rice Stemfly``). Outside such a list (a list of
    many kinds) nothing changes."""
    pests = ["rice leaf roller", "mole cricket", "aphids", "flea beetle", "blister beetle", "rice water weevil",
             "alfalfa weevil", "beet fly", "meadow moth", "Thrips", "Lycorma delicatula", "Icerya purchasi Maskell",
             "Dacus dorsalis(Hendel)", "Dasineura sp", "Ampelophaga", "longlegged spider mite", "Rice Stemfly"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(pests), space)}
    assert [got[n] for n in ("Lycorma delicatula", "Icerya purchasi Maskell", "Dacus dorsalis(Hendel)", "Dasineura sp", "Ampelophaga")] == ["insect"] * 5
    assert got["longlegged spider mite"] is None and got["Rice Stemfly"] is None
    mixed = ["car", "truck", "bus", "dog", "cat", "chair", "bottle", "aphids", "moth", "beetle", "Lycorma delicatula", "Ampelophaga"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(mixed), space)}
    assert got["Lycorma delicatula"] is None and got["Ampelophaga"] is None
    assert mapping.scientific_shaped("therioaphis maculata Buckton") == "therioaphis"
    assert [mapping.scientific_shaped(n) for n in ("flax budworm", "ARJ21", "avery", "Rice Stemfly")] == [None] * 4


def test_a_genus_needs_an_epithet_or_a_latin_list(space):
    """Round 12's review: an unknown capitalised word is no genus by itself. An epithet is no WordNet common noun (a
    dog list's ``Kong toy`` is a toy, no Kong species); a lone word is a genus only with a taxon's ending or in a list
    holding LATIN_LIST_MIN genus-and-epithet names; a breed WordNet lacks (``shiba_inu``) in a list without Latin names
    is claimed by no genus. A word of fewer than MIN_GENUS_LETTERS letters is no genus (an abbreviation or a brand)."""
    dogs = ["beagle", "boxer", "pug", "chihuahua", "basset", "dalmatian", "poodle", "collie", "newfoundland", "samoyed",
            "siamese", "persian", "tabby", "Kong toy", "Nylabone", "shiba_inu"]  # Oxford-IIIT Pet's dogs and cats
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(dogs), space)}
    assert got["Kong toy"] == "toy" and got["Nylabone"] is None and got["shiba_inu"] is None  # round 16: a toy
    insects = ["aphids", "moth", "beetle", "weevil", "cricket", "locust", "grasshopper", "Kong toy", "Ampelophaga",
               "Lycorma delicatula", "Ceroplastes rubens", "Zub maculata"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(insects), space)}
    assert got["Kong toy"] != "insect" and got["Zub maculata"] is None  # a toy (a brand read off), no insect
    assert [got[n] for n in ("Ampelophaga", "Lycorma delicatula", "Ceroplastes rubens")] == ["insect"] * 3
    got = {d.source.name: d.target for d in mapping.map_classes(_listed([*(n for n in insects if n != "Ceroplastes rubens"), "Tephritidae"]), space)}
    assert got["Ampelophaga"] is None and got["Lycorma delicatula"] is None  # one binomial: no Latin list
    assert got["Tephritidae"] == "insect"  # a family's ending reads a lone word as a taxon all the same
    assert mapping.scientific_shaped("Zubx maculata") == "Zubx" and mapping.MIN_GENUS_LETTERS == 4


def test_a_product_name_is_read_without_its_brand_and_pack_words(space):
    """Round 12 (held-out 21 and 17: ARC 2017, D2S): a retail list leads names with brands WordNet lacks and ends some
    with pack counts. In a list where several names begin with unknown words the brand does not block its head (an
    ``avery_binder`` is the binder target, where the head noun read after an unknown word took WordNet's first binder);
    a pack count (``4pk``) or ``single`` at the end is no part of the name anywhere. A list with one unknown first word
    keeps it (no brand convention)."""
    arc = ["avery_binder", "colgate_toothbrush_4pk", "fiskars_scissors", "hanes_socks", "flashlight", "crayons"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(arc), space)}
    assert got["avery_binder"] == "binder" and got["colgate_toothbrush_4pk"] == "toothbrush"
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["avery_binder", "flashlight", "orange_single", "crayons"]), space)}
    assert got["avery_binder"] is None and got["orange_single"] == "orange_(fruit)"
    assert mapping._brand_led(arc) and not mapping._brand_led(["avery_binder", "red_binder"])


def test_a_brand_is_dropped_only_before_a_name_of_its_target(space):
    """Round 12's review: a brand left out must leave a name that is its target itself: a bare container word read in
    a chosen sense (``bag``: WordNet's bag.n.04, a handbag) or a rest read through a hypernym is not taken (a bag of
    Doritos is no handbag), and no animal, plant or person (V3Det's ``chroogomphus rutilus``, a mushroom, is no
    Rutilus fish; a ``kuhl ray``, Kuhl's stingray, is left to the rules for animals: the word before it is a person's
    name, no brand). A decision made by leaving out an unknown word scores BRAND_DROPPED_SCORE at most."""
    arc = ["avery_binder", "colgate_toothbrush_4pk", "fiskars_scissors", "doritos_bag", "frito_bag", "ziploc_bag",
           "chroogomphus rutilus", "kuhl ray", "flashlight", "crayons"]
    got = {d.source.name: d for d in mapping.map_classes(_listed(arc), space)}
    assert [got[n].target for n in ("doritos_bag", "frito_bag", "ziploc_bag", "chroogomphus rutilus")] == [None] * 4
    assert got["kuhl ray"].target is None and not got["kuhl ray"].note  # ``_living``: the brand reading gave rays_and_skates
    assert got["avery_binder"].target == "binder" and got["avery_binder"].score == mapping.BRAND_DROPPED_SCORE == 0.6
    assert got["colgate_toothbrush_4pk"].score == 0.6 and got["fiskars_scissors"].target == "scissors"


def test_a_group_of_things_is_no_one_of_them(space):
    """Round 12 (held-out 22, RADIATE): ``group_of_pedestrians`` was read by its last noun, a person. A group word
    before "of" (WordNet's group and its kinds: a crowd, a herd, a pile) names the group, which maps to nothing; a pair
    or a set (``set.n.01``) of things is boxed as the things."""
    names = ["group_of_pedestrians", "herd of cows", "pair of scissors", "set of spoons", "pedestrian"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert got["group_of_pedestrians"] is None and got["herd of cows"] is None
    assert got["pair of scissors"] == "scissors" and got["set of spoons"] == "spoon" and got["pedestrian"] == "person"


def test_only_groups_of_beings_and_piles_are_no_one_of_their_things(space):
    """Round 12's review: produce, food and vehicles grouped are boxed as the things (a bunch of bananas, a cluster of
    grapes, a stack of pancakes, a variety of donuts, a line or a group of cars), and so are a team of horses and a
    school of fish (an organisation is the first sense of team and school). A group of people or animals and a pile of
    anything (3RScan's ``pile of bottles``) are no one of them."""
    kept = {"bunch of bananas": "banana", "bunch of grapes": "grape", "cluster of grapes": "grape",
            "stack of pancakes": "pancake", "variety of donuts": "doughnut", "line of cars": "car_(automobile)", "group of cars": "car_(automobile)",
            "team of horses": "horse", "school of fish": "fish"}
    got = {d.source.name: d.target for d in mapping.map_classes(_listed([*kept, "pile of bottles", "crowd of pedestrians", "herd of zebras"]), space)}
    assert {n: got[n] for n in kept} == kept
    assert [got[n] for n in ("pile of bottles", "crowd of pedestrians", "herd of zebras")] == [None] * 3


def test_an_animal_named_by_likeness_keeps_to_its_order(space):
    """Round 12 (held-out 21, IP102): WordNet's red spider is a spider mite (order Acarina), which the common-name
    reading (``Matcher._named_animal``) took for a spider (order Araneae) because both are arachnids. English names by
    likeness across families of one order (CUB's Field Sparrow, a New World sparrow, is a sparrow: both
    Passeriformes), not across orders."""
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["red spider", "Field Sparrow"]), space)}
    assert got["red spider"] is None and got["Field Sparrow"] == "sparrow"


def test_a_person_first_is_no_later_animal_in_a_list_without_animals(space):
    """Round 13 (held-out 23, MOCS): ``Worker`` among cranes and trucks took worker.n.03, the social insect (4 counts),
    over worker.n.01, the person WordNet lists first and counts 29 times. In a list with no animal the word's main
    person sense is read; for a word whose first sense is the animal (a fox), nothing changes. Beside a bear the worker
    stays the insect caste: a limitation, since the bear says the list has animals, not that its workers are insects."""
    machines = ["Crane", "Truck", "Bulldozer", "Excavator"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["Worker", *machines, "bear"]), space)}
    assert got["Worker"] == "insect" and got["bear"] == "bear"  # a list with animals keeps the insect caste (a limitation)
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["Worker", *machines]), space)}
    assert got["Worker"] == "person"
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["fox", *machines]), space)}
    assert got["fox"] == "fox"


def test_an_animal_target_s_own_name_and_a_list_of_trades_keep_to_their_words(space):
    """Review of round 13: the person-first rule made a list's only animal a person (a skunk, WordNet's rotter.n.01
    counted 1 against 0; a whale, giant.n.04) and missed a list of trades whose workers and soldiers all read as
    insects. A name that is an animal target's own stays it; only a name reaching an animal as a kind of it, with a
    person counted 5 times or more and thrice the animal, is read again, and such names do not make a list of animals.
    WordNet counts the queen as the insect first (16 against 4): she stays one, a limitation."""
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["skunk", "car", "truck", "person"]), space)}
    assert got["skunk"] == "skunk"
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["whale", "boat", "buoy", "ship", "kayak"]), space)}
    assert got["whale"] == "whale"
    trades = ["doctor", "nurse", "police officer", "firefighter", "worker", "soldier", "queen", "pilot", "guard"]
    decided = {d.source.name: d for d in mapping.map_classes(_listed(trades), space)}
    assert decided["worker"].target == "person" and decided["soldier"].synset == "soldier.n.01"


def test_an_artifact_of_a_list_of_animals_and_artifacts_reads_the_animal_listed_first(space):
    """Round 13 (held-out 24, Sketchy): ``mouse`` among 57 artifacts and 52 animals was the computer mouse, as a name of
    the list's most common kind was never read again. Where animals are a third of the list or more, WordNet's earlier
    animal sense wins (no target); a name that lists its synonyms chose its sense itself, and a list of artifacts with
    few animals keeps the computer mouse."""
    things = ["chair", "cup", "hammer", "knife", "guitar", "table", "umbrella", "spoon", "violin", "teapot", "scissors"]
    animals = ["cat", "dog", "horse", "cow", "sheep", "zebra", "giraffe", "lion", "tiger", "rabbit"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed([*things, *animals, "mouse", "mouse, computer mouse"]), space)}
    assert got["mouse"] is None and got["mouse, computer mouse"] == "mouse_(computer_equipment)"
    got = {d.source.name: d.target for d in mapping.map_classes(_listed([*things, "cat", "dog", "mouse", "keyboard", "laptop"]), space)}
    assert got["mouse"] == "mouse_(computer_equipment)"


def test_an_artifact_list_reads_only_a_first_animal_sense(space):
    """Review of round 13: reading a name of an artifact list's top kind in an earlier natural sense made a kitchen's
    grinder a sandwich (WordNet's grinder.n.01, a hero sandwich), a garden's christmas tree a tree (christmas_bush.n.01),
    its torch a mullein and its runner a stolon, and a horn the animal's horn.n.02. Only the word's first sense, an
    animal, is read (Sketchy's mouse)."""
    foods = ["apple", "banana", "bread", "cheese", "egg", "carrot", "tomato", "sandwich"]
    kitchen = ["grinder", "board", "scale", "cup", "plug", "kettle", "pan", "toaster", "cutting board", "coffee grinder"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed([*foods, *kitchen]), space)}
    assert got["grinder"] == "grinder"
    plants = ["rose", "tulip", "fern", "cactus", "sunflower", "daisy", "oak", "palm tree"]
    garden = ["bulb", "torch", "christmas tree", "scale", "runner", "hose", "rake", "shovel", "bench", "lamp"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed([*plants, *garden]), space)}
    assert [got[n] for n in garden[:5]] == ["lightbulb", "flashlight", "christmas_tree", "scale_(measuring_instrument)", "runner_(carpet)"]
    things = ["chair", "cup", "hammer", "knife", "guitar", "table", "umbrella", "spoon", "violin", "teapot", "horn"]
    animals = ["cat", "dog", "horse", "cow", "sheep", "zebra", "giraffe", "lion", "tiger", "rabbit"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed([*things, *animals]), space)}
    assert got["horn"] == "trumpet"


def test_a_roll_of_a_thing_is_the_thing(space):
    """Round 13 (held-out 23, FSC-147): ``toilet paper rolls`` was read by its head noun, a roll, with no target. A
    roll of a target's name is that target, as "roll of toilet paper" reads; a roll of dough (food) is no roll of it."""
    names = ["toilet paper rolls", "paper towel roll", "tape roll", "roll of toilet paper", "bread rolls", "sushi roll"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert [got[n] for n in names[:4]] == ["toilet_tissue", "paper_towel", "tape_(sticky_cloth_or_paper)", "toilet_tissue"]
    assert got["bread rolls"] is None and got["sushi roll"] is None


def test_a_roll_is_a_thing_only_when_it_is_wound(space):
    """Review of round 13: the roll rule made every "X roll" X. Compounds WordNet knows keep their sense (a barrel roll,
    a drum roll, a bedroll), and only a material, a fabric, a strip, a sheet or a wrapping named by a target's own name
    is wound (a camera roll, a dice roll; an honor, a lemma of the award's synset, is no award's name)."""
    names = ["barrel roll", "drum roll", "bed roll", "camera roll", "dice roll", "honor roll"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert [got[n] for n in names] == [None] * len(names)


def test_a_toy_copies_plants_and_fruits(space):
    """Round 13 (held-out 23, HomeRobot OVMM): ``toy_cactus`` was read by its head noun, a plant with no target. A toy
    before a plant or a fruit is a toy; before an animal WordNet's toy still names the small dog
    breeds, and a toy box is a box."""
    names = ["toy_cactus", "toy tree", "toy_pineapple", "toy box", "toy bulldog"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert [got[n] for n in names] == ["toy", "toy", "toy", "box", "dog"]


def test_a_match_is_a_lighter(space):
    """Round 13 (held-out 23, FSC-147): ``matches`` had no target: WordNet files the match under lighter.n.02, the
    lighting device, while the igniter target (LVIS's lighter) sits on igniter.n.01, a fuel; ``target_kinds.csv``
    counts the device as igniter."""
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["matches", "Lighter", "cigar lighter"]), space)}
    assert got == {"matches": "igniter", "Lighter": "igniter", "cigar lighter": "igniter"}


def test_a_thing_joined_to_its_size_colour_material_or_shape_is_that_thing(space):
    """Round 14 (held-out 25, BEHAVE): ``boxlarge``, ``chairblack``, ``tablesquare`` are one word WordNet lacks, a thing
    and what tells its copies apart, and mapped to nothing. The thing is read; words WordNet knows keep their sense
    (a boxwood is a shrub, a tablespoon a spoon, a chairman a person, a boxer a dog), and a thing first a food before a
    material is no thing of it (V3Det's ``lemonsoda``), nor a chemical symbol a material (``presser``: no erbium), and a
    capital marks words of their own (ALFRED's ``ShowerGlass``, the glass of a shower, is no shower)."""
    joined = ["boxlarge", "boxlong", "boxmedium", "boxsmall", "boxtiny", "chairblack", "chairwood", "tablesmall", "tablesquare"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(joined), space)}
    assert [got[n] for n in joined] == ["box"] * 5 + ["chair"] * 2 + ["table"] * 2
    words = ["boxwood", "tablespoon", "chairman", "boxer", "tablet", "carpet", "starboard", "toolbox", "lemonsoda", "presser", "ShowerGlass"]
    alone = {n: mapping.map_classes(_listed([n]), space)[0] for n in words}
    got = {d.source.name: d for d in mapping.map_classes(_listed(words), space)}
    assert {n: (got[n].target, got[n].synset) for n in words} == {n: (alone[n].target, alone[n].synset) for n in words}
    assert {n: got[n].synset for n in words[:7]} == {"boxwood": "boxwood.n.01", "tablespoon": "tablespoon.n.02", "chairman": "president.n.04",
                                                      "boxer": "boxer.n.04", "tablet": "tablet.n.01", "carpet": "rug.n.01", "starboard": "starboard.n.01"}
    assert got["toolbox"].target == "box" and got["lemonsoda"].target is None and got["presser"].target is None and got["ShowerGlass"].target is None
    assert mapping._thing_and_modifier("lemonsoda") is None and mapping._thing_and_modifier("chairwood") == ("chair", "wood")


def test_a_thing_is_read_before_its_modifier_only_where_the_list_writes_it_so(space):
    """Round 14, narrowed: a thing joined to one substance names a product of it as often as a thing of that material
    (``caroil``, ``carwax``, ``bottlewater``, ``penink``, ``boxwine``). The thing is read only where its list writes it
    before ``JOINED_COPIES_MIN`` different sizes, colours, materials or shapes, one a size, shape or colour (BEHAVE's
    box five times, chair and table twice); a thing before substances alone is not (a list's ``caroil`` and ``carwax``)."""
    for name in ["caroil", "carwax", "bottlewater", "penink", "boxwine", "chairwood", "boxlarge"]:
        assert mapping.map_classes(_listed([name]), space)[0].target is None, name
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["caroil", "carwax", "chairwood", "chairmetal", "chairblack"]), space)}
    assert got == {"caroil": None, "carwax": None, "chairwood": "chair", "chairmetal": "chair", "chairblack": "chair"}
    assert mapping.joined_copies(["boxlarge", "boxtiny", "chairblack", "chairwood", "tablesquare", "tablesmall", "caroil", "carwax", "penink"]) == {"box", "chair", "table"}


def test_a_noun_joined_before_a_targets_name_is_that_target(space):
    """Round 14 (held-out 25): BEHAVE's ``yogaball`` and LINEMOD's ``eggbox`` mapped to nothing: ``split_joined`` splits
    a joined word only where WordNet knows the compound, and it knows no yoga ball or egg box. A lower-case joined word
    ending in a target's own name after a noun is that target. Not a target's synonym or lemma (V3Det's ``boxcab`` no
    taxi, ``potsticker`` no dagger, ``catwoman`` no person, CUB's duck ``gadwall`` no wall), not a capitalised name (a
    brand's ``Facebook``: the targets' names are lower-case), not a word that maps as written (``jetski``,
    ``computerbox``, ``dogbed``), nor after a modifier that is another target of the
    head's kind (Action Genome's ``phonecamera``, phone/camera; IDD's ``autorickshaw``, motorised; ``toybus``)."""
    names = ["yogaball", "eggbox", "partytent", "boxcab", "potsticker", "catwoman", "gadwall", "Facebook", "jetski", "holepuncher",
             "phonecamera", "autorickshaw", "toybus"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert got == {"yogaball": "ball", "eggbox": "box", "partytent": "tent", "boxcab": None, "potsticker": None, "catwoman": None,
                   "gadwall": None, "Facebook": None, "jetski": "water_scooter", "holepuncher": None, "phonecamera": None,
                   "autorickshaw": None, "toybus": None}
    # a word that maps as written keeps that target: a computerbox (computer_box) and a dogbed (dog_bed) are no box or bed
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["computerbox", "dogbed"]), space)}
    assert got == {"computerbox": "computer_box", "dogbed": "dog_bed"}


def test_a_noun_joined_before_an_animal_or_a_toys_thing_is_no_such_thing(space):
    """Round 14, narrowed: the head after a joined noun must be a word first an artifact, of a target sense no toy copies
    (``TOY_COPIES``). Before an animal, a vehicle or a word first a person, a noun names a toy, a food or another
    creature: ``toyhorse``, ``toyduck``, ``rubberduck``, ``carebear``, ``waterbear``, ``corndog``, ``paperboat``,
    ``papercrane`` (crane first a person, then a bird: no lifting machine). Artifacts keep the reading (``yogaball``,
    ``eggbox``, ``partytent``, ``pizzabox``, ``sidetable``, ``waterslide``, ``maxiskirt``)."""
    none = ["toyhorse", "toyduck", "rubberduck", "carebear", "waterbear", "corndog", "papercrane", "paperboat"]
    kept = {"yogaball": "ball", "eggbox": "box", "partytent": "tent", "pizzabox": "box", "sidetable": "table", "waterslide": "slide", "maxiskirt": "skirt"}
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(none + list(kept)), space)}
    assert got == {**dict.fromkeys(none), **kept}


def test_a_tools_agent_noun_wordnet_lacks_is_the_tool(space):
    """Round 14 (held-out 25, LINEMOD): ``driller``, a power drill, mapped to nothing: WordNet has no driller. A verb's
    "-er" noun WordNet lacks whose verb is first a tool is that tool; a stem whose first sense is no tool (``sawer``: a
    saw is first a saying; ``hammerer``: WordNet's first hammer is a gun's) or a word WordNet knows (``filer``, a
    person) is not read so."""
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["driller", "hammerer"]), space)}
    assert got == {"driller": "drill", "hammerer": None}
    assert mapping.map_classes(_listed(["filer"]), space)[0].target == "person"
    assert mapping._tool_by_its_work("sawer") is None and mapping._tool_by_its_work("driller") == "drill"


def test_a_driller_among_trades_is_no_tool(space):
    """Round 14, narrowed: in a list naming people by their work (an "-er" noun WordNet knows first as a person:
    ``welder``, ``plumber``, ``carpenter``) a ``driller`` is a worker who drills, not read as the drill; LINEMOD's list of
    objects keeps its drill."""
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["welder", "plumber", "driller", "carpenter"]), space)}
    assert got["driller"] is None and got["welder"] == "person"
    assert mapping.map_classes(_listed(["ape", "driller", "eggbox", "holepuncher"]), space)[1].target == "drill"
    assert mapping.trade_list(["welder", "driller"]) and not mapping.trade_list(["ape", "driller", "eggbox"])


def test_a_toy_copies_animals_of_no_toy_breed(space):
    """Round 14 (held-out 25, MVImgNet): ``toy horse`` was a horse by its head noun. A toy before an animal of no kind
    whose breeds WordNet's toy names (toy_dog.n.01, a dog) is a toy; WordNet's toy dogs (``toy poodle``, ``toy dog``,
    ``toy spaniel``, a ``toy fox terrier``) stay dogs, and a toy bear is the teddy."""
    names = ["toy horse", "toy duck", "toy poodle", "toy dog", "toy spaniel", "toy fox terrier", "toy bear"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert got == {"toy horse": "toy", "toy duck": "toy", "toy poodle": "dog", "toy dog": "dog", "toy spaniel": "dog",
                   "toy fox terrier": "dog", "toy bear": "teddy_bear"}


def test_a_ship_class_in_a_list_of_vessels_is_a_vessel(space):
    """Round 15 (held-out 28, ShipRSImageNet; held-out 25, HRSC2016): a ship-class list names its classes by a lead
    ship's namesake, a proper name WordNet has (``Nimitz`` the admiral, ``Midway`` the battle), or a common noun WordNet
    names a vessel by (``Patrol``: a patrol boat; ``Cruise``: a cruise ship), often with a hull-type code (``Arleigh
    Burke DD`` was an award, WordNet's DD being a doctorate; ``Wasp LL``, though a wasp is an insect), or by a hull code
    or a proper name WordNet lacks (``AOE``, ``Kuznetsov``); ``Medical Ship`` is a ship only through its head noun. In
    a list of vessels each is the boat; a name with a thing's sense keeps it (``Dock``, ``Hovercraft``), as do the named
    vessels (``Sailboat``, ``Container Ship``) and a name drawn as an outline (HRSC2016's ``CntShip(_|.--.--|_]=``, a
    cargo ship). ``Commander`` and ``Enterprise``, which WordNet knows only as common nouns, are given up."""
    vessels = ["Sailboat", "Tugboat", "Ferry", "Yacht", "Motorboat", "Fishing Vessel", "Container Ship", "Oil Tanker", "Other Warship"]
    ships = ["Nimitz", "Midway", "Tarawa", "Arleigh Burke DD", "Wasp LL", "Sanantonio AS", "AOE", "Kuznetsov", "Medical Ship", "Patrol", "Cruise"]
    names = vessels + ships + ["Commander", "Enterprise", "Dock", "Hovercraft"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert {n: got[n] for n in ships} == dict.fromkeys(ships, "boat")
    assert got["Dock"] is None and got["Hovercraft"] is None and got["Commander"] is None and got["Enterprise"] is None
    assert got["Sailboat"] == "boat" and got["Container Ship"] == "cargo_ship" and got["Oil Tanker"] == "cargo_ship"
    hrsc = ["ship", "aircraft carrier", "yacht", "submarine", "merchant ship", "Kitty Hawk", "Nimitz", "Abukuma", "CntShip(_|.--.--|_]=", "Container", "Hovercraft", "lute"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(hrsc), space)}
    assert got["Nimitz"] == "boat" and got["Abukuma"] == "boat" and got["CntShip(_|.--.--|_]="] is None


def test_a_ship_class_among_cargo_ships_is_the_boat(space):
    """Round 15: a warship's or an unknown ship class's name is the general vessel target, the boat, however many
    cargo ships its list holds (it was the list's most common vessel target)."""
    names = ["Container Ship", "Oil Tanker", "Bulk Carrier", "Cargo Ship", "Tanker", "Freighter", "Ferry", "Arleigh Burke DD", "Nimitz", "Patrol", "Tugboat"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert got["Container Ship"] == got["Tanker"] == "cargo_ship"
    assert got["Arleigh Burke DD"] == got["Nimitz"] == got["Patrol"] == "boat"


def test_a_hull_type_code_is_one_of_a_closed_set(space):
    """Round 15: only a naval hull-type code (``mapping.HULL_CODES``) after a name or alone makes a ship class's name;
    a target read from the name's other words is kept (``Car SUV``: the car), and one read from the code (``Arleigh
    Burke DD``: WordNet's doctor of divinity's award) is not; an artifact's name before the code is no ship class's."""
    assert {"DD", "DDG", "FF", "LL", "AS", "AOE", "EPF", "LHA", "LSD", "SSN", "CVN"} <= mapping.HULL_CODES
    assert not {"SUV", "UAV", "UPS", "XXL", "MA", "STS", "PFD"} & mapping.HULL_CODES
    names = VESSELS + ["Car SUV", "Photo DD", "Arleigh Burke DD", "Hyuga DD", "EPF", "UAV"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert (got["Car SUV"], got["Photo DD"], got["UAV"]) == ("car_(automobile)", "award", None)
    assert got["Arleigh Burke DD"] == got["Hyuga DD"] == got["EPF"] == "boat"


def test_a_namesake_is_a_proper_name_or_names_a_vessel():
    """Round 15: the namesake reading (``mapping._a_namesake``) takes a WordNet instance (a proper name) or a common
    noun WordNet names a vessel by (``patrol_boat``, ``cruise_ship``), no everyday word of a person, a place, an act,
    an event or a group."""
    for name, synset in [("Nimitz", "nimitz.n.01"), ("Tarawa", "tarawa.n.01"), ("Midway", "midway.n.01"), ("Patrol", "patrol.n.01"), ("Cruise", "cruise.n.01")]:
        assert mapping._a_namesake(name, synset), name
    for name, synset in [("Horizon", "horizon.n.01"), ("Flock", "flock.n.01"), ("Swimming", "swimming.n.01"), ("Rescue", "rescue.n.01"),
                         ("Explosion", "explosion.n.01"), ("Captain", "captain.n.01"), ("Crew", "crew.n.01"), ("Commander", "commanding_officer.n.01")]:
        assert not mapping._a_namesake(name, synset), name


VESSELS = ["Sailboat", "Tugboat", "Ferry", "Yacht", "Motorboat", "Fishing Vessel", "Container Ship", "Oil Tanker", "Other Warship"]


@pytest.mark.parametrize("names, vessels", [
    (["Nimitz", "Austen", "Burke", "Lincoln", "Commander", "nurse", "pilot", "farmer", "soldier", "boat", "Patrol"], {"boat"}),
    (["Midway", "Tarawa", "San Antonio", "Paris", "Boston", "Texas", "harbor", "island", "beach", "ferry", "Sanantonio AS"], {"ferry"}),
    (["Audi TT RS", "Ford Focus ST", "BMW M3 GT", "Tesla Model S", "car", "truck", "bus", "motorcycle", "bicycle", "boat", "AOE"], {"boat"}),
    (["sparrow", "robin", "eagle", "owl", "crow", "duck", "goose", "Kitty Hawk", "Wasp LL", "sailboat", "yacht", "Nimitz"], {"sailboat", "yacht"}),
    # four boats among people's names, three among aircraft models: too few to make a list of vessels
    (["Boat", "Ship", "Yacht", "Canoe", "John", "Mary", "Peter", "Paul", "Anna", "Smith", "Jones", "Lincoln", "Washington", "Nelson"],
     {"Boat", "Ship", "Yacht", "Canoe"}),
    (["Boeing 737", "Airbus A320", "F-18", "Lockheed C-130", "Cessna 172", "Su-33", "MiG-29", "Rafale M", "E-2 Hawkeye", "V-22 Osprey",
      "F-35 JSF", "Boat", "Ship", "Yacht"], {"Boat", "Ship", "Yacht"}),
    # a list of vessels: everyday words and capitals that are no hull-type code stay as read
    (VESSELS + ["Horizon", "Flock", "Swimming", "Rescue", "Explosion", "Splash", "Captain", "Fleet", "Crew", "dontcare", "UAV"], set(VESSELS)),
    (VESSELS + ["Car SUV", "Photo DD", "Crane STS", "Drone UAV", "Person PFD", "Life Jacket XXL", "Truck UPS", "Port Boston MA"], set(VESSELS)),
])
def test_no_list_of_people_places_cars_or_birds_is_one_of_vessels(space, names, vessels):
    """Round 15: the ship-class reading needs a list of vessels (two thirds of its mapped classes and five at least on
    vessel targets) and a name written as a ship class's: among people, places, cars, birds or aircraft with a few
    boats no class but the vessels is a boat; in a list of vessels an everyday word (``Crew``, ``Rescue``), an
    unknown lower-case word or acronym (``dontcare``, ``UAV``) and a name ending in capitals that are no hull-type code
    (``Car SUV``, ``Truck UPS``) or after an artifact's name (``Photo DD``) is no boat either."""
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert {n for n in names if got[n] == "boat"} <= vessels
    alone = {d.source.name: d.target for d in mapping.map_classes(_listed([n for n in names if n not in vessels]), space)}
    assert {n: got[n] for n in names if n not in vessels} == alone  # as read without the vessels


def test_aircraft_models_beside_ships_and_a_buoy_among_boats_are_no_vessels(space):
    """Round 15: a list of vehicles of every kind whose ships are a little more than half of the classes that map
    (FAIR1M: trucks, buses, a car, an airplane) is no list of vessels: its aircraft models WordNet lacks (``A220``,
    ``Boeing737``) stay unmapped; among boats a ``Buoy`` (WordNet's marker, a sign) stays no vessel."""
    names = ["A220", "Boeing737", "C919", "Bus", "Cargo Truck", "Dump Truck", "Small Car", "other-airplane", "Fishing Boat",
             "Motorboat", "Tugboat", "Warship", "Dry Cargo Ship", "other-ship", "Passenger Ship", "Liquid Cargo Ship"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert got["A220"] is None and got["Boeing737"] is None and got["C919"] is None
    names = ["Ferry", "Buoy", "Speed boat", "Boat", "Kayak", "Sail boat", "Yacht", "Tugboat", "Motorboat", "Other"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert got["Buoy"] is None and got["Other"] is None


def test_a_substance_then_its_form_is_the_substance(space):
    """Round 15 (held-out 27, ADL): ``soap_liquid`` was read by its last word, a liquid, no target. A substance's name,
    an underscore, then a form of matter (liquid, powder, gel) is the substance where it is a cleansing agent or a
    toiletry; a thing that is no matter before it (``shower_gel``, ``car_liquid``) or a food (``garlic_powder``,
    ``lemon_liquid``: a spice, a drink, not the garlic or the lemon) is not read so."""
    names = ["soap_liquid", "shower_gel", "car_liquid", "garlic_powder", "egg_powder", "lemon_liquid", "apple_liquid"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert got == {"soap_liquid": "soap", **dict.fromkeys(names[1:])}


def test_a_bookshelf_is_the_bookcase(space):
    """Round 15 (held-out 28, SUN RGB-D; ModelNet40, ShapeNetCore, ScanNet200 before it): class lists name the
    free-standing shelved furniture ``bookshelf``, which WordNet files as one shelf (bookshelf.n.01 -> shelf, a support),
    no kind of bookcase: a reviewed synonym (``target_synonyms.csv``) makes it the bookcase; a ``shelf`` stays none."""
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["bookshelf", "book shelf", "shelf"]), space)}
    assert got == {"bookshelf": "bookcase", "book shelf": "bookcase", "shelf": None}


def test_a_group_is_read_by_the_same_member_under_any_hash_seed(tmp_path):
    """WordNet's member meronyms come from NLTK in a set's order, which the hash seed decides: a ``Crew`` (crewman,
    copilot, submariner) was a person under some seeds and nothing under others. The members are taken in the order
    of their names: the same decisions under two seeds."""
    import os
    import subprocess
    import sys

    code = ("from bigdet.taxonomy import mapping, targets\n"
            "names = ['Sailboat', 'Tugboat', 'Ferry', 'Yacht', 'Motorboat', 'Fishing Vessel', 'Container Ship', 'Oil Tanker', 'Crew', 'Harbor', 'aircraft carrier']\n"
            "ds = mapping.map_classes([mapping.SourceClass('x', i, n, n) for i, n in enumerate(names)], targets.bigdet600())\n"
            "print([(d.source.name, d.target, d.synset) for d in ds])\n")
    out = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out.append(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout)
    assert out[0] == out[1] and "Crew" in out[0]


def test_two_classes_joined_by_or_are_what_both_are(space):
    """Round 16 (held-out 30, Trans10K-v2): ``Jar or Tank`` (glass jars and fish tanks) was the army tank by its last
    noun. "A or B" joins two classes as "A & B" does: the target both sides map to alone, else none; a side of several
    words keeps the name's reading (ABO's ``plant or flower pot``: a flowerpot)."""
    names = ["Jar or Tank", "sedan or coupe", "plant or flower pot", "Cat or Dog", "Mug or Cup", "Rider or Cyclist"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert got == {"Jar or Tank": None, "sedan or coupe": "car_(automobile)", "plant or flower pot": "flowerpot",
                   "Cat or Dog": None, "Mug or Cup": None, "Rider or Cyclist": "person"}
    rider = mapping.map_classes(_listed(["Rider or Cyclist"]), space)[0]  # one target both sides map to alone
    assert rider.note == "two classes in one: rider (person) and cyclist (person)"


def test_or_joins_two_classes_between_any_separators(space):
    """"or" joins two classes as a middle word of the name, whatever separates the words (``jar_or_tank`` was the
    army tank, ``cat_or_dog`` the dog); a name beginning or ending in it, or another word holding it, is not split."""
    names = ["jar_or_tank", "cat_or_dog", "Jar-or-Tank", "oregon", "tailor"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert (got["jar_or_tank"], got["cat_or_dog"], got["Jar-or-Tank"]) == (None, None, None)
    assert mapping.map_classes(_listed(["tailor"]), space)[0].note == ""


def test_either_side_of_or_with_a_sense_under_the_whole_names_target_keeps_it(space):
    """Each side of "A or B" is read alone, out of its list: in a list of birds ``Crane or Heron`` and ``Kite or Hawk``
    were no bird (the lifting crane, the paper kite), ``Ram or Sheep`` no sheep (ram: the battering ram). Where each
    side has some noun sense under the whole name's target's synset (crane.n.05, kite.n.04: birds; ram.n.05: a sheep)
    the whole name's target holds; ``Jar or Tank``, ``Cat or Dog``, ``Mug or Cup`` stay two classes."""
    birds = ["sparrow", "eagle", "owl", "duck", "pigeon", "Crane or Heron", "Kite or Hawk"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(birds), space)}
    assert (got["Crane or Heron"], got["Kite or Hawk"]) == ("bird", "bird")
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["Ram or Sheep", "Jar or Tank", "Cat or Dog", "Mug or Cup"]), space)}
    assert got == {"Ram or Sheep": "sheep", "Jar or Tank": None, "Cat or Dog": None, "Mug or Cup": None}


def test_a_road_sign_is_a_street_sign(space):
    """Round 16 (held-out 29, GeoDE): a ``road sign`` is a street sign, as the shipped tables' traffic signs are
    (a reviewed synonym, ``target_synonyms.csv``; WordNet has no road sign)."""
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["road sign", "sign"]), space)}
    assert got == {"road sign": "street_sign", "sign": None}


def test_a_head_noun_that_is_a_targets_name_reads_that_targets_sense(space):
    """Round 16 (held-out 29 and 30, APC 2016 and Omni6D; held-out 27's ``oven glove``): a name WordNet lacks whole,
    read through its head noun, took the head's first physical sense, which no target holds or another target's
    synset merely lists (``i_am_a_bunny_book``: book.n.02; ``platinum_pets_dog_bowl``: the vessel bowl.n.01;
    ``womens_knit_gloves``: the baseball glove). A head noun that is a target's own name is that target where another
    target's synset merely lists the word (the baseball glove; not a synonym's word: a bike stays WordNet's first
    bike, the motorcycle) or its first
    physical sense maps to nothing and is of the target's sense's kind, at most SPLIT_SENSE_DISTANCE steps from it; a
    ``toy mouse`` stays a toy, a meat, a dish, a fitness ring, a truck's cab, a weight plate, a ``vine_ball`` (6
    steps) and a ``composition_book`` (bound pages, as a notebook is: no book) are not read."""
    names = ["platinum_pets_dog_bowl", "womens_knit_gloves", "oven glove", "bmx bike", "welding-mask", "toy mouse",
             "fried chicken", "salmon on plate", "beef bowl", "Fitness Ring", "TRUCK_CAB", "weight plate", "vine_ball",
             "composition_book"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert got == {"platinum_pets_dog_bowl": "bowl", "womens_knit_gloves": "glove", "oven glove": "glove",
                   "bmx bike": "motorcycle", "welding-mask": "mask", "toy mouse": "toy", **dict.fromkeys(names[6:])}


def test_a_clipped_garment_name_in_a_list_of_clothes_is_its_garment(space):
    """Round 16 (held-out 29, DeepFashion): a clothes list clips garment names (``Tank``: the army tank; ``Bomber``: the
    airplane; ``Tee``: nothing). In a list of clothes a one-word name that maps to no garment is the one garment target
    WordNet's compounds of it name (tank_top, bomber_jacket, tee_shirt), the list's own where two are (tank_suit is a
    swimsuit); a word with a garment sense (``Top``) or first no artifact (``sun``) is not read, and a ``Tank`` among
    vehicles stays the tank."""
    clothes = ["Jacket", "Blazer", "Jersey", "Turtleneck", "Jeans", "Skirt", "Dress", "Coat", "Tank", "Bomber", "Tee", "Top", "sun"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(clothes), space)}
    assert (got["Tank"], got["Bomber"], got["Tee"], got["Top"], got["sun"]) == ("shirt", "jacket", "shirt", None, None)
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["car", "truck", "bus", "Tank", "jeep"]), space)}
    assert got["Tank"] == "army_tank"


def test_a_garment_compound_is_read_only_for_a_target_of_the_list_and_not_over_a_names_own_sense(space):
    """A clothes list's one-word name is its garment compound's target only where other classes of the list map to
    that target, and a name that is its own WordNet sense keeps it unless that is a vehicle or a weapon: a football
    kit's ``Ball`` is a ball (no ball gown: a dress), a costume's ``Bow`` the bow (no bow tie). A list of 8 plain
    garments and 5 clips that map elsewhere (Tank, Bomber, Jumper, Boxer, Mule) is one of clothes (GARMENT_LIST_SHARE)."""
    kit = ["Jersey", "Shorts", "Socks", "Cleats", "Ball", "Gloves", "Cap", "Jacket"]
    assert {d.source.name: d.target for d in mapping.map_classes(_listed(kit), space)}["Ball"] == "ball"
    costume = ["Jacket", "Dress", "Skirt", "Hat", "Bow", "Cape", "Mask", "Wig", "Gloves", "Coat"]
    assert {d.source.name: d.target for d in mapping.map_classes(_listed(costume), space)}["Bow"] == "bow_(weapon)"
    shop = ["Tank", "Bomber", "Jumper", "Boxer", "Mule", "Jacket", "Blazer", "Shirt", "Jeans", "Skirt", "Dress", "Coat", "Sweater"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(shop), space)}
    assert (got["Tank"], got["Bomber"], got["Mule"]) == ("shirt", "jacket", "mule")


def test_a_plush_animal_after_a_brand_is_a_toy(space):
    """Round 16 (held-out 29, APC 2016): ``cloud_b_plush_bear`` was the bear: the plaything WordNet defines by the
    word before the head (teddy: "usually plush and stuffed") was looked for by the name's first word only, a brand.
    The word before the head counts too; plush before any other animal is a toy (a ``plush rabbit``, a ``plush_dog``),
    while a stuffed chicken (a food), a stuffed owl and a brown bear keep their reading."""
    names = ["cloud_b_plush_bear", "white plush rabbit", "stuffed chicken", "brown bear", "plush_dog", "plush_puppy", "stuffed_owl"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    # plush names no breed as "toy" does (a toy dog is a small breed): a plush dog is a toy; "stuffed" is not read (a
    # stuffed owl may be taxidermy)
    assert got == {"cloud_b_plush_bear": "teddy_bear", "white plush rabbit": "toy", "stuffed chicken": None, "brown bear": "bear",
                   "plush_dog": "toy", "plush_puppy": "toy", "stuffed_owl": "owl"}


def test_a_thing_written_before_its_brand_size_colour_or_material_is_that_thing(space):
    """Round 17 (held-out 31, HOTS and HOT3D): ``can_coke``, ``plate_big``, ``spoon_wooden``, ``dumbbell_5lb`` mapped to
    nothing and ``book_white`` to a person (WordNet's white person, read as the head). A name of words joined by "_",
    thing first, is that thing where the list writes the first word before several rests or the rest is no head noun
    (a size, colour, material, weight or a word WordNet lacks as a noun), and the name read head-last maps to nothing
    or to a person; without the list's convention the first word must be first an artifact (a single ``tomato_red`` may
    name a colour). Real head-last names keep their head: a compound WordNet knows, a material written first, a form of
    matter after (``shower_gel``), or a last part that maps to a target itself, even in a list that writes the first
    word twice (HOT3D's ``whiteboard_marker`` and ``whiteboard_eraser``)."""
    hots = ["can_cassis", "can_coke", "can_pepsi", "plate_big", "plate_wide", "book_blue", "book_white"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(hots), space)}
    assert got == {"can_cassis": "can", "can_coke": "can", "can_pepsi": "can", "plate_big": "plate", "plate_wide": "plate", "book_blue": "book", "book_white": "book"}
    for name, thing in [("spoon_wooden", "spoon"), ("dumbbell_5lb", "dumbbell"), ("spoon_silver", "spoon")]:
        assert mapping.map_classes(_listed([name]), space)[0].target == thing, name
    # a material after a lone thing needs the list's convention: a thing before a substance names what it takes
    assert mapping.map_classes(_listed(["plate_bamboo", "plate_big", "plate_wide"]), space)[0].target == "plate"
    assert [mapping.map_classes(_listed([n]), space)[0].target for n in ["pen_ink", "printer_paper", "candle_wax", "car_wax", "book_paper", "plate_bamboo", "mug_he"]] == [None] * 7
    # a thing first no artifact (WordNet's mug is first a mugful, then a face; milk a food) needs the list's convention
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["mug_white", "mug_patterned", "milk_big", "milk_small"]), space)}
    assert got["mug_white"] == "mug" and got["milk_small"] == "milk"
    assert [mapping.map_classes(_listed([n]), space)[0].target for n in ["milk_small", "tomato_red", "shower_gel", "helmet_missing", "glass_jar"]] == [None, None, None, None, None]
    # a single bottle_bbq shows no convention, and bbq is no noun: a bottle; a lone bottle_mustard is not read (mustard
    # is a noun, no material), two are
    assert mapping.map_classes(_listed(["bottle_bbq"]), space)[0].target == "bottle"
    assert mapping.map_classes(_listed(["bottle_mustard"]), space)[0].target is None
    assert mapping.map_classes(_listed(["bottle_mustard", "bottle_bbq"]), space)[0].target == "bottle"
    # a rest of the thing's own kind names the head (two artifacts, two foods), a first word read through another
    # word's sense or as an animal is no thing of the name (a bath is the bathtub, beef the cattle, chicken the bird)
    others = ["laptop_cover", "laptop_stand", "electric_clippers", "electric_fan", "bath_sponge", "bath_towel", "beef_carpaccio", "beef_tartare", "chicken_curry", "chicken_wings"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(others), space)}
    assert got == {n: mapping.map_classes(_listed([n]), space)[0].target for n in others}
    assert got["laptop_cover"] is None and got["bath_sponge"] is None and got["beef_carpaccio"] is None and got["chicken_curry"] is None
    head_last = ["coffee_pot", "tomato_sauce", "whiteboard_marker", "whiteboard_eraser", "soap_dish", "tooth_brush", "door_knob", "wine_glass", "car_seat", "apple_juice"]
    alone = {n: mapping.map_classes(_listed([n]), space)[0].target for n in head_last}
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(head_last), space)}
    assert got == alone
    assert got["coffee_pot"] == "pot" and got["whiteboard_marker"] != "whiteboard" and got["tomato_sauce"] != "tomato"
    assert mapping.separated_copies(["can_coke", "can_pepsi", "plate_big", "soap_dish", "juice_box_green"]) == {"can"}


def test_parts_containers_and_accessories_after_a_thing_are_no_copies_of_it(space):
    """Round 17 as reviewed: with the list's convention, a rest with any noun sense of the thing's kind (an artifact)
    names a part, container or accessory of the thing, no copy of it, unless a size, shape, colour or material;
    left and right keep the thing."""
    siblings = ["pen_black", "pen_blue", "chair_1", "chair_2", "spoon_silver", "spoon_wooden", "guitar_red", "guitar_blue", "camera_black", "camera_white",
                "mug_white", "mug_blue", "shoe_red", "shoe_blue", "bag_red", "bag_blue"]
    parts = ["pen_case", "guitar_case", "camera_case", "camera_battery", "chair_leg", "mug_top", "mug_part", "spoon_rest", "shoe_brush", "bag_tag"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(siblings + parts + ["chair_left", "chair_right"]), space)}
    assert {n: got[n] for n in parts} == {n: None for n in parts}
    assert got["chair_left"] == got["chair_right"] == got["chair_1"] == "chair" and got["spoon_wooden"] == "spoon" and got["pen_blue"] == "pen"


def test_human_before_a_head_whose_senses_are_people_and_animals_alone(space):
    """Round 17 (held-out 32, SUIM): ``human divers`` was a bird, WordNet's diver being also the loon, which a head
    noun's physical-sense score put above the people the word names first. A modifier whose first sense is WordNet's
    human being or person keeps the head's person senses where it has animal ones too; other heads and other people's
    words, a head with senses of other kinds or after more words are read as before (a ``baby shark`` is a shark,
    Open Images' ``Human beard`` a beard, a ``non-human primate`` no archpriest)."""
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["human divers", "person diver", "baby shark", "diver"]), space)}
    assert got == {"human divers": "person", "person diver": "person", "baby shark": "shark", "diver": "person"}
    others = ["Human beard", "Human hand", "non-human primate"]
    got = {d.source.name: d.synset for d in mapping.map_classes(_listed(others), space)}
    assert got == {"Human beard": "beard.n.01", "Human hand": "hand.n.01", "non-human primate": "primate.n.02"}


def test_a_name_that_only_says_its_objects_are_unknown_is_no_class(space):
    """Round 18 (held-out 33, SUNCG): ``unknown`` was a person, WordNet's stranger. A name made only of words saying
    its objects are not known or not labelled (``names.UNLABELLED_WORDS``, with ``other``) maps to nothing, whatever
    noun sense WordNet gives the word; such a word before a noun leaves the noun's reading to the other rules."""
    from bigdet.taxonomy import names

    names_ = ["unknown", "Unlabeled", "misc_other", "unknown vehicle", "chair"]
    got = {d.source.name: d for d in mapping.map_classes(_listed(names_), space)}
    assert [got[n].target for n in ("unknown", "Unlabeled", "misc_other")] == [None, None, None]
    assert got["unknown"].synset is None and got["chair"].target == "chair" and got["unknown vehicle"].synset == "vehicle.n.01"
    assert names.says_unlabelled("Unknown_2") and not names.says_unlabelled("unknown vehicle") and not names.says_unlabelled("other")


def test_a_first_word_that_is_a_kind_of_its_head_names_the_narrower_target(space):
    """Round 18: a two-word name read through its head noun whose first word alone is, in WordNet, a kind of the head
    and maps to a target below the head's is that target (an ``eagle_bird`` is the eagle, no bird only). A first word
    that is no kind of the head keeps the head's reading (a ``cat_toy`` is a toy, a ``dog_bed`` the dog bed)."""
    decided = {d.source.name: d for d in mapping.map_classes(_listed(["eagle_bird", "goldfish_fish", "lemon_fruit", "cat_toy", "dog_bed"]), space)}
    got = {name: d.target for name, d in decided.items()}
    assert got == {"eagle_bird": "eagle", "goldfish_fish": "goldfish", "lemon_fruit": "lemon", "cat_toy": "toy", "dog_bed": "dog_bed"}
    # inferred from the head: scored as a head-named reading, below an exact name's 1.0
    assert decided["eagle_bird"].score == mapping.HEAD_NAMED_SCORE


def test_a_dish_wordnet_knows_that_no_target_holds_is_the_food_target_its_head_names(space):
    """Round 18 (held-out 34, iFood 2019): ``pepper_steak`` (WordNet's steak au poivre) and ``potpie`` mapped to
    nothing, WordNet filing both as dishes under no target. Such a dish is the food target its last word, or a joined
    word's target-named end, names; never a target that is no food (a dish of duck is no duck, the animal)."""
    got = {d.source.name: d for d in mapping.map_classes(_listed(["pepper_steak", "potpie", "beef_stew", "chair", "deviled_eggs", "salisbury_steak"]), space)}
    assert (got["pepper_steak"].target, got["pepper_steak"].synset) == ("steak_(food)", "steak_au_poivre.n.01")
    assert got["potpie"].target == "pie" and got["beef_stew"].target is None and got["chair"].target == "chair"
    # WordNet defines the deviled egg by "egg"; its Salisbury steak is a "ground beef patty", no steak
    assert got["deviled_eggs"].target == "egg" and got["salisbury_steak"].target is None
    assert mapping._food_head_target("duck", mapping.Matcher(space)) is None


def test_a_parenthesised_colour_size_or_doing_does_not_choose_the_names_sense(space):
    """Held-out 35, Lost and Found: ``Dog (white)`` was WordNet's dog that is a frump (its first white is a person, a
    gloss naming a kind of person), ``Kid (crawling)`` and ``Kid (on a bobby car)`` nothing (kid leather, read alone).
    A colour, size or shape says nothing of the class: the name alone; what the thing does or where it rides is said
    of the name's first sense where that is a person, an animal or a vehicle (the child), never of a later one
    (``Marker pole (lying)`` is no Pole). A gloss of kind is read as before (``Person (adult)``, ``Nail (fastener)``)."""
    names = ["Dog (black)", "Dog (white)", "Kid (crawling)", "Kid (on a bobby car)", "Marker pole (lying)", "Person (adult)", "Nail (fastener)"]
    got = {d.source.name: (d.target, d.synset) for d in mapping.map_classes(_listed(names), space)}
    assert got["Dog (white)"] == got["Dog (black)"] == ("dog", "dog.n.01")
    assert got["Kid (crawling)"] == got["Kid (on a bobby car)"] == ("person", "child.n.01")
    assert got["Marker pole (lying)"][0] is None and got["Marker pole (lying)"][1] != "pole.n.02"
    assert got["Person (adult)"] == ("person", "adult.n.01") and got["Nail (fastener)"][0] == "nail"


def test_a_lone_body_style_in_a_list_of_body_styles_is_its_vehicle(space):
    """Held-out 35, CompCars' car types: ``MPV``, ``fastback``, ``estate`` and ``crossover`` mapped to nothing (WordNet
    lacks them or reads another thing) and ``convertible`` to the sofa bed. In a list of body styles a lone body-style
    name is its vehicle (the cited rows of vehicle_body_styles.csv; a word's motor-vehicle sense over a sense of
    another kind); a body word outside such a list is read as before."""
    names = ["MPV", "SUV", "sedan", "hatchback", "fastback", "estate", "crossover", "convertible"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert got == {"MPV": "minivan", "SUV": "car_(automobile)", "sedan": "car_(automobile)", "hatchback": "car_(automobile)",
                   "fastback": "car_(automobile)", "estate": "car_(automobile)", "crossover": "car_(automobile)", "convertible": "car_(automobile)"}
    elsewhere = {d.source.name: d.target for d in mapping.map_classes(_listed(["sofa", "chair", "table", "convertible", "estate"]), space)}
    assert elsewhere["convertible"] != "car_(automobile)" and elsewhere["estate"] is None


def test_a_numbered_stem_whose_first_sense_is_unattested_is_read_as_the_list_reads_it_alone(space):
    """Held-out 36, VisA: ``macaroni1`` and ``macaroni2`` were the 18th-century dandy (WordNet's first macaroni) where
    ``macaroni`` alone is the pasta. The stem was held to its first sense, which WordNet lists first by no tagged use
    (both senses untagged), and the numbered name then read as written through the fuzzy lookup, the stem spelt a
    digit off. A first sense without a tagged use holds no stem, and a fuzzy reading is no reading as written;
    ``Speaker 1`` (a person first, by tagged use) is read as before."""
    visa = ["candle", "capsules", "cashew", "chewinggum", "fryum", "macaroni1", "macaroni2", "pcb1", "pcb2", "pcb3", "pcb4", "pipe_fryum"]
    got = {d.source.name: (d.target, d.synset) for d in mapping.map_classes(_listed(visa), space)}
    assert got["macaroni1"] == got["macaroni2"] == ("pasta", "macaroni.n.02")
    names = ["candle", "cashew", "macaroni1", "Speaker 1", "Speaker 2"]
    assert mapping.map_classes(_listed(names), space)[3].target is None
    # the stem's reading is kept only where it is of the kind most of the list's other names are: no crane the
    # machine among herons and storks, no jackfruit among tools
    birds = {d.source.name: d.target for d in mapping.map_classes(_listed(["crane1", "crane2", "heron1", "stork1", "egret1"]), space)}
    tools = {d.source.name: d.target for d in mapping.map_classes(_listed(["jack1", "jack2", "wrench1", "hammer1", "screwdriver1"]), space)}
    assert birds["crane1"] != "crane" and tools["jack1"] != "fruit"


def test_a_doing_gloss_keeps_a_name_that_reads_alone_as_what_does_it(space):
    """The review of round 19: "Tiger (walking)" was WordNet's first tiger, a person; "Bike (riding)" a motorcycle;
    "Cardinal (on a branch)" the churchman. A name that reads alone as a person, an animal or a vehicle is read alone;
    only otherwise is it taken in its first sense ("Kid (crawling)": the child, no kid leather)."""
    names = ["Tiger (in a cage)", "Tiger (walking)", "Bike (on a rack)", "Bike (riding)", "Cardinal (on a branch)", "Baby (crawling)", "Boxer (standing)", "Kid (crawling)", "Marker pole (lying)"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    alone = {d.source.name: d.target for d in mapping.map_classes(_listed(["Tiger", "Bike", "Cardinal", "Baby", "Boxer"]), space)}
    assert got["Tiger (in a cage)"] == got["Tiger (walking)"] == alone["Tiger"] == "tiger"
    assert got["Bike (on a rack)"] == got["Bike (riding)"] == alone["Bike"]
    assert got["Cardinal (on a branch)"] == alone["Cardinal"] == "bird" and got["Baby (crawling)"] == "person"
    assert got["Boxer (standing)"] == alone["Boxer"] and got["Kid (crawling)"] == "person" and got["Marker pole (lying)"] is None


def test_a_gloss_naming_the_kind_of_quality_is_no_look(space):
    """"Orange (colour)" is the colour (a gloss of kind), no orange fruit of some colour; "Dog (white)" is a dog."""
    names = ["Orange (color)", "Orange (colour)", "Rose (colour)", "Dog (white)"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert got == {"Orange (color)": None, "Orange (colour)": None, "Rose (colour)": None, "Dog (white)": "dog"}
    assert mapping._qualifier("colour") is None and mapping._qualifier("white") == mapping.LOOK and mapping._qualifier("crawling") == mapping.DOING
    assert mapping._qualifier("parked") is None  # an -ed form says what was done to it, no doing


def test_a_vehicle_with_a_later_car_sense_is_no_body_style(space):
    """bus (bus.n.04, a jalopy), wagon (the station wagon, a later sense), cab and compact name vehicles, no body
    styles; a name is left out of its own count (the convertible beside a coupe and a sedan stays the sofa bed)."""
    assert not any(mapping._a_body_style(w) for w in ["bus", "wagon", "cab", "compact", "car"])
    assert mapping._a_body_style("sedan") and mapping._a_body_style("MPV")
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["convertible", "coupe", "sedan", "sofa", "bed"]), space)}
    assert got["convertible"] == "sofa_bed"
    assert not mapping.body_style_list(["sedan", "coupe", "bus", "wagon", "cab"])


def test_road_signs_named_by_what_they_say_are_signs_in_a_list_of_them(space):
    """Held-out 37, GTSRB names its traffic signs by what they say: ``Speed limit (50km/h)``, ``Yield``, ``Keep left``
    mapped to nothing, ``Stop`` to the handle, ``Pedestrians`` to the person. In a list where most names are road-sign
    names (road_sign_names.csv, the Vienna Convention's and GTSRB's, cited) a sign name is a road sign and ``Stop``
    the stop sign; the same names in another list are read as before."""
    gtsrb = [line.strip() for line in (Path(__file__).parent / "data" / "class_lists" / "gtsrb.txt").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(gtsrb), space)}
    assert got.pop("Stop") == "stop_sign"
    # a sign name that names a thing of no sign's kind in its first sense keeps it (the known cost here)
    assert got.pop("Pedestrians") == "person" and got.pop("Traffic signals") == "traffic_light"
    assert set(got.values()) == {"street_sign"}
    elsewhere = {d.source.name: d.target for d in mapping.map_classes(_listed(["Stop", "Yield", "Pedestrians", "Keep left", "car", "person"]), space)}
    assert elsewhere["Stop"] != "stop_sign" and elsewhere["Pedestrians"] == "person"
    assert elsewhere["Yield"] is None and elsewhere["Keep left"] is None
    # names that also name a thing make no list of signs alone
    assert not mapping.road_sign_list(["Stop", "Pedestrians", "Children", "Roundabout", "Yield"])


def test_a_joined_vehicle_name_after_a_word_of_its_use_is_the_vehicle(space):
    """Held-out 38, SIMD: ``stairtruck`` and ``pushbacktruck`` mapped to nothing, since a toy copies a vehicle and a
    noun joined before a vehicle's name is not read as its head. A word of the vehicle's use (a stair, a push back)
    makes it the vehicle; a toy, a material or a model before it does not (``toytruck``, ``papertruck``,
    ``modeltruck``), and ``firetruck`` is read as before."""
    names = ["stairtruck", "pushbacktruck", "toytruck", "papertruck", "modeltruck", "firetruck"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert got == {"stairtruck": "truck", "pushbacktruck": "truck", "toytruck": None, "papertruck": None, "modeltruck": None, "firetruck": "fire_engine"}


def test_a_fish_before_fillets_is_the_fish_fillet(space):
    """Held-out 37, Housekeep: ``herring_fillets`` was steak_(food), WordNet's first fillet being the beef tenderloin.
    A later sense of the head of the same kind that WordNet also writes as a compound of a word the first word is a
    kind of (fillet.n.02, "fish_fillet"; a herring is a fish) is the name's sense; ``beef fillet`` keeps the first."""
    got = {d.source.name: (d.target, d.synset) for d in mapping.map_classes(_listed(["herring_fillets", "beef fillet"]), space)}
    assert got["herring_fillets"] == (None, "fillet.n.02")
    assert got["beef fillet"] == ("steak_(food)", "fillet.n.01")


def test_a_sign_names_words_keep_a_point_only_between_digits():
    """A sign name's words are letters and digits with a decimal point only between digits: ``Stop.`` is the stop row,
    ``3.5`` one word of GTSRB's "Vehicles over 3.5 metric tons prohibited"."""
    assert mapping._road_sign("Stop.") == ("stop sign", False)
    assert mapping._road_sign("Vehicles over 3.5 metric tons prohibited") == ("road sign", True)


def test_a_word_of_a_vehicles_use_is_no_toy_copy_art_or_block(space):
    """A word before a joined vehicle name tells its use only where it is no thing toys copy (``robotcar``), no art
    or craft (``origamiboat``: origami is WordNet's act of folding paper) and no block or piece of material
    (``cakecar``: WordNet's first cake is a cake of soap); a stair, cargo, tool or kit still tells one."""
    names = ["cakecar", "origamiboat", "robotcar", "robottruck", "stairtruck", "pushbacktruck", "cargotruck", "toolcart", "kitcar"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert got == {"cakecar": None, "origamiboat": None, "robotcar": None, "robottruck": None, "stairtruck": "truck",
                   "pushbacktruck": "truck", "cargotruck": "truck", "toolcart": "cart", "kitcar": "car_(automobile)"}


def test_a_few_sign_phrases_make_no_list_of_signs(space):
    """A list is one of road signs only where more than half of the others of any of its names are phrases only a
    sign says: four such phrases in a driving list leave its people, lights and ``Stop`` as before; and in a list of
    signs a name that also names a thing, read alone as that thing in its first sense (a person, a traffic light),
    keeps it."""
    driving = ["car", "person", "Stop", "Speed limit", "No entry", "Keep right", "Give way", "traffic light", "pole", "Pedestrians", "Children"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(driving), space)}
    alone = mapping.Matcher(space).decide(_listed(["Stop"])[0]).target
    assert got["Pedestrians"] == got["Children"] == got["person"] == "person" and got["traffic light"] == "traffic_light"
    assert got["Stop"] == alone != "stop_sign"
    assert not mapping.road_sign_list(driving)
    marking = ["Pedestrian crossing", "No parking", "No stopping", "Speed limit", "Give way", "Bus lane", "Arrow"]
    assert not mapping.road_sign_list(marking)
    hazards = ["Falling rocks", "Slippery road", "Side wind", "Loose gravel", "Steep ascent", "Pedestrians", "Traffic signals"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(hazards), space)}
    assert got["Pedestrians"] == "person" and got["Traffic signals"] == "traffic_light" and got["Falling rocks"] == "street_sign"


def test_two_kinds_joined_by_a_hyphen_are_what_both_are(space):
    """Round 21 (held-out 39): Food-11's ``Noodles-Pasta`` holds noodles and pasta, the nearest target covering both
    pasta (WordNet files noodle under pasta); its ``Vegetable-Fruit`` is broader than either target; ``Boat-Ship`` is
    boats. No note says two classes where the target stays (``Car-Sedan``)."""
    food = ["Bread", "Egg", "Noodles-Pasta", "Rice", "Vegetable-Fruit", "Boat-Ship", "Car-Sedan"]
    got = {d.source.name: d for d in mapping.map_classes(_listed(food), space)}
    assert got["Noodles-Pasta"].target == "pasta" and got["Vegetable-Fruit"].target is None and got["Boat-Ship"].target == "boat"
    assert got["Car-Sedan"].target == "car_(automobile)" and got["Car-Sedan"].note == ""


def test_a_hyphened_name_wordnet_knows_whole_or_with_an_adjective_or_a_listed_head_is_its_head(space):
    """A hyphen also joins a modifier to its head: a name WordNet knows whole (``Table-Lamp``, WordNet's table lamp,
    though a table and a lamp are near kin), an adjective (``electric-box``) and a head the list names again
    (``Beef-Tomato`` beside ``Vine-Tomato``, ``awning-tricycle`` beside ``tricycle``) read as before."""
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["Table-Lamp", "chair", "electric-box", "sofa"]), space)}
    assert got["Table-Lamp"] == "lamp" and got["electric-box"] == "box"
    heads = ["Beef-Tomato", "Vine-Tomato", "awning-tricycle", "tricycle"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(heads), space)}
    assert got["Beef-Tomato"] == "tomato" and got["awning-tricycle"] == "tricycle"


def test_a_category_named_before_its_item_keeps_the_items_target(space):
    """A hyphened name whose second side is a kind of its first names the item after its category: ``Bird-Owl`` is an
    owl, ``Car-Taxi`` a taxi; a first word that begins two or more names of the list is a category prefix
    (``Vegetable-Carrot`` beside ``Vegetable-Potato``)."""
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["Fruit-Apple", "Fruit-Banana", "Fruit-Orange"]), space)}
    assert got == {"Fruit-Apple": "apple", "Fruit-Banana": "banana", "Fruit-Orange": "orange_(fruit)"}
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["Bird-Duck", "Bird-Owl", "Fish-Shark", "Boat-Canoe", "Car-Taxi", "Truck-Pickup", "Cat-Lion"]), space)}
    assert got == {"Bird-Duck": "duck", "Bird-Owl": "owl", "Fish-Shark": "shark", "Boat-Canoe": "canoe", "Car-Taxi": "taxi", "Truck-Pickup": "pickup_truck", "Cat-Lion": "lion"}
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["Vegetable-Tomato", "Vegetable-Potato", "Vegetable-Carrot"]), space)}
    assert got == {"Vegetable-Tomato": "tomato", "Vegetable-Potato": "potato", "Vegetable-Carrot": "carrot"}


def test_a_part_or_a_modifier_before_its_head_is_no_two_classes(space):
    """Two sides are two classes only as near kin (``mapping.KIN_STEPS``: a cat and a dog): a part and its whole
    (``Mug-Handle``, ``Bike-Wheel``) or a modifier before its head (``Desk-Lamp``, ``Baby-Bottle``, ``Cat-Toy``,
    ``Tanker-Truck``; ``Beef-Tomato`` and ``awning-tricycle`` with no other name of their head) are the head."""
    names = ["Mug-Handle", "Bike-Wheel", "Desk-Lamp", "Baby-Bottle", "Cat-Toy", "Tanker-Truck"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert got == {"Mug-Handle": "handle", "Bike-Wheel": "wheel", "Desk-Lamp": "lamp", "Baby-Bottle": "bottle", "Cat-Toy": "toy", "Tanker-Truck": "truck"}
    assert mapping.map_classes(_listed(["Cat-Dog", "Bird", "Fish"]), space)[0].target is None
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["Beef-Tomato", "apple", "onion", "car", "awning-tricycle", "bus"]), space)}
    assert got["Beef-Tomato"] == "tomato" and got["awning-tricycle"] == "tricycle"


def test_a_singular_kind_before_its_kind_keeps_its_decision(space):
    """A singular first side that is a kind of the second is a kind named before its kind, no two classes:
    ``Sparrow-Bird`` stays a sparrow (sparrow and bird are near kin: without the rule the bird covering both),
    ``Goldfish-Fish`` a goldfish."""
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["Sparrow-Bird", "Goldfish-Fish", "Puppy-Dog"]), space)}
    assert got == {"Sparrow-Bird": "sparrow", "Goldfish-Fish": "goldfish", "Puppy-Dog": "dog"}


def test_a_thing_named_with_its_state_after_it_is_the_thing(space):
    """Round 21 (held-out 40): RescueNet grades what a drone sees after its name, ``Building-No-Damage`` to
    ``Building-Total-Destruction``, ``Road-Blocked``: each is the building, the road. A noun of a state reads so only after
    a grade (a ``Water-Damage`` is damage, no water)."""
    from bigdet.taxonomy import names as names_mod

    names = ["Building-No-Damage", "Building-Minor-Damage", "Building-Major-Damage", "Building-Total-Destruction", "Tree", "Water-Damage"]
    got = {d.source.name: d for d in mapping.map_classes(_listed(names), space)}
    assert {got[n].target for n in names[:4]} == {"building"}
    assert got["Water-Damage"].synset == "damage.n.01"
    assert names_mod.alternatives("Road-Blocked") == ["road"] and names_mod.alternatives("Road-Clear") == ["road"]


def test_people_named_by_sex_and_age_are_people(space):
    """Round 21 (held-out 40): SynLiDAR splits its people into ``female``, ``male`` and ``kid`` beside its bicyclists:
    people. A ``kid`` alone in a list of animals is still no person."""
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["car", "pole", "female", "male", "kid", "bicyclist"]), space)}
    assert got["female"] == got["male"] == got["kid"] == "person" and got["car"] == "car_(automobile)"
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["cat", "dog", "kid", "lamb"]), space)}
    assert got["kid"] != "person"


def test_sexes_of_animals_and_connectors_are_no_people(space):
    """``male``, ``female`` and ``kid`` also name animals and connectors: no person among animals, in a list with no
    other name of a person (``male`` and ``female`` alone), nor for a name that has another target (a kid goat)."""
    for names in (["male", "female", "kid", "goat", "sheep", "lamb", "calf", "foal", "cow", "horse"],
                  ["goat", "kid", "billy", "nanny", "sheep", "lamb", "male", "female"],
                  ["mosquito male", "mosquito female", "male", "female", "larva", "pupa"],
                  ["mallard male", "mallard female", "duck", "goose", "male", "female", "juvenile"],
                  ["male connector", "female connector", "male", "female", "cable", "plug", "socket"], ["male", "female"]):
        got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
        assert "person" not in {got[n] for n in ("male", "female", "kid") if n in got}, names
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["man", "woman", "child", "kid", "car"]), space)}
    assert got["kid"] == got["child"] == "person"


def test_a_dish_read_through_its_head_takes_the_heads_food_sense_in_a_list_of_foods(space):
    """Round 21 (held-out 40): among ZSFooD's dishes ``banana milk cake`` is read through its head, whose first sense
    (a cake of soap) and food sense tie: the list is of foods, so the cake (a carrot cake, a moon cake too). A cake of
    meat, fish or seafood (crab, tuna, shrimp: any of the word's senses) or of a word first a vegetable (potato) is a
    patty and stays as it was; a gumbo is never its tied produce sense (okra pods). Among tools the tie stays: a lid is
    no hat, a truck cab no taxi."""
    foods = ["banana milk cake", "fried rice", "apple pie", "beef noodle soup", "steamed bun", "bread", "orange", "sausage", "omelet", "pizza"]
    got = {d.source.name: d for d in mapping.map_classes(_listed(foods), space)}
    assert got["banana milk cake"].target == "cake" and got["banana milk cake"].synset == "cake.n.03"
    cakes = ["crab cakes", "tuna cake", "shrimp cake", "potato cake", "carrot cake", "moon cake", "red velvet cake"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed([*cakes, *foods[1:]]), space)}
    assert got["crab cakes"] is got["tuna cake"] is got["shrimp cake"] is got["potato cake"] is None  # patties
    assert got["carrot cake"] == got["moon cake"] == got["red velvet cake"] == "cake"
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["seafood gumbo", "okra gumbo", "creole gumbo", *foods[1:]]), space)}
    assert got["seafood gumbo"] is got["okra gumbo"] is got["creole gumbo"] is None  # the stew, no okra (vegetables)
    tools = ["banana milk cake", "pot lid", "truck cab", "hammer", "saw", "wrench", "screwdriver", "drill", "chisel", "pliers", "clamp"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(tools), space)}
    assert got["banana milk cake"] is got["pot lid"] is got["truck cab"] is None


def test_products_named_category_item_brand_are_their_category_and_item(space):
    """Round 21 (held-out 40): Unity SynthDet names products category_item_brand. The brand is left: the item read
    with its category (a snack cookie, toothpaste, paper towels), else the category (pasta); after a dish the item is
    its ingredient (no tomato of a tomato soup); an item WordNet knows before its category is read so (potato chips);
    a category and item WordNet knows whole is of the category's kind (no snack bar, the counter); a last two parts
    WordNet knows whole are the item (coffee filters, corn flakes, toilet paper: no corn, no toilet); a brand is no
    person (Quaker, Terro, a Disney mascot no person), no container is guessed, and a container named last is no brand
    (a drink's can keeps its can)."""
    names = ["snack_cookie_petitecolier", "snack_cookie_quadratini", "snack_cookies_fourre", "pasta_lasagne_barilla",
             "toiletry_toothpaste_colgate", "toiletry_tissue_softly", "utensil_papertowels_valuecorner", "soup_tomato_pacific",
             "cereal_oatmealsquares_quaker", "cereal_capn_crunch", "pest_antbaits_terro", "utensil_coffee_filters",
             "snack_chips_pringles", "toiletry_soap_dove", "utensil_candle_decorators", "mascot_person_disney",
             "cereal_corn_flakes", "utensil_toilet_paper",
             "drink_coke_can", "snack_bar_kind", "chips_potato_lays", "chips_tortilla_doritos", "chips_sourcream_pringles"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
    assert got["snack_cookie_petitecolier"] == got["snack_cookie_quadratini"] == got["snack_cookies_fourre"] == "cookie"
    assert got["pasta_lasagne_barilla"] == "pasta" and got["toiletry_toothpaste_colgate"] == "cleansing_agent"
    assert got["toiletry_tissue_softly"] == "tissue_paper" and got["utensil_papertowels_valuecorner"] == "paper_towel"
    assert got["soup_tomato_pacific"] is got["cereal_oatmealsquares_quaker"] is got["cereal_capn_crunch"] is got["pest_antbaits_terro"] is None
    assert got["mascot_person_disney"] is got["snack_bar_kind"] is None
    assert got["utensil_coffee_filters"] is got["cereal_corn_flakes"] is None and got["utensil_toilet_paper"] == "toilet_tissue"
    assert got["drink_coke_can"] == "can" and got["chips_potato_lays"] == "crisp_(potato_chip)"
    assert mapping.category_item_brand_list(names)


def test_a_category_item_brand_list_has_parted_names_of_shared_categories_ending_in_brands():
    """``category_item_brand_list``, on the names as released: each of its conditions alone keeps a list out."""
    products = ["snack_cookie_petitecolier", "snack_cookie_quadratini", "snack_chips_pringles", "pasta_lasagne_barilla",
                "toiletry_toothpaste_colgate", "toiletry_soap_dove", "toiletry_tissue_softly"]
    assert mapping.category_item_brand_list(products)
    # half or more of the parted names WordNet nouns whole
    assert not mapping.category_item_brand_list(["sweet_almond_oil", "sweet_corn_plant", "sweet_gum_tree", "sweet_orange_tree", *products[:3]])
    # too few last parts a word WordNet lacks: things named category, item and state or container
    assert not mapping.category_item_brand_list(["drink_coke_can", "drink_fanta_can", "drink_sprite_bottle", "drink_water_bottle", "snack_chips_bag", "snack_cookie_box", "snack_nuts_jar"])
    assert not mapping.category_item_brand_list(["sign_speed_limit", "sign_no_entry", "sign_stop_ahead", "sign_yield_ahead", "light_traffic_red", "light_traffic_green", "light_street_lamp"])
    # categories shared by too few names, or too few names parted
    assert not mapping.category_item_brand_list([*products[:3], "car", "person", "dog", "cat"])
    assert not mapping.category_item_brand_list(["snack_cookie_petitecolier", "pasta_lasagne_barilla", "toiletry_toothpaste_colgate", "cereal_oatmeal_quaker", "drink_juice_minutemaid", "pest_antbaits_terro"])


def test_a_leading_absence_names_no_object_and_an_absence_after_the_thing_leaves_the_thing(space):
    """Construction-PPE's ``no_helmet``, ``no_gloves`` box a bare head or hands: the class is the gear's absence, no
    target. Not for a name read as a sign (``No entry``, ``No passing``), not for a name WordNet knows whole (``missing
    link``), not where a thing follows the absent one (``without_lid cup`` is a cup). Where the absence follows the
    thing the thing stays (iGibson's ``bottom_cabinet_no_top`` is a cabinet, ``person_no_mask`` a person)."""
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(["helmet", "no_helmet", "gloves", "no_gloves", "without_mask", "with_mask", "person"]), space)}
    assert got["helmet"] == "helmet" and got["gloves"] == "glove" and got["person"] == "person"
    assert got["no_helmet"] is got["no_gloves"] is got["without_mask"] is None
    signs = {d.source.name: d.target for d in mapping.map_classes(_listed(["Stop", "No entry", "No passing", "No parking", "Yield", "Speed limit (30km/h)"]), space)}
    assert signs["No entry"] == signs["No passing"] == signs["No parking"] == "street_sign"
    # the signs keep their reading name by name; an absence in the same list is still none
    gtsrb = ["Stop", "No entry", "No passing", "Yield", "Speed limit (30km/h)", "Priority road", "No vehicles", "Road work", "Children crossing", "without_mask"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(gtsrb), space)}
    assert got["No entry"] == got["No vehicles"] == "street_sign" and got["without_mask"] is None
    assert mapping.map_classes(_listed(["missing link", "chair"]), space)[0].target is not None
    cups = {d.source.name: d.target for d in mapping.map_classes(_listed(["without_lid cup", "cup", "no_helmet", "helmet"]), space)}
    assert cups["without_lid cup"] == cups["cup"] == "cup" and cups["no_helmet"] is None
    cabinets = {d.source.name: d.target for d in mapping.map_classes(_listed(["bottom_cabinet", "bottom_cabinet_no_top", "sofa"]), space)}
    assert cabinets["bottom_cabinet_no_top"] == cabinets["bottom_cabinet"] == "cabinet"
    people = {d.source.name: d.target for d in mapping.map_classes(_listed(["person_no_mask", "rider_no_helmet", "mask", "helmet"]), space)}
    assert people["person_no_mask"] == people["rider_no_helmet"] == "person" and people["mask"] == "mask"


def test_driving_abbreviations_are_read_out_only_in_a_list_of_them(space):
    """ROAD's agents ``Ped``, ``Cyc``, ``Mobike``, ``TL``, ``OthTL`` are pedestrian, cyclist, motorbike and traffic
    lights in its list of such abbreviations; a lone ``TL`` beside ``Car`` and ``Bus`` is read as written, and so are
    two agent-like codes among a hospital's departments, a sport's events or a bike's parts (``med``, ``em`` only
    qualify an agent and count for nothing)."""
    road = ["Ped", "Car", "Cyc", "Mobike", "MedVeh", "LarVeh", "Bus", "EmVeh", "TL", "OthTL"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(road), space)}
    assert got["Ped"] == got["Cyc"] == "person" and got["Mobike"] == "motorcycle"
    assert got["TL"] == got["OthTL"] == "traffic_light" and got["Car"] == "car_(automobile)" and got["Bus"] == "bus_(vehicle)"
    assert mapping.driving_abbreviations(["TL", "Car", "Bus", "person"]) == {}
    assert mapping.driving_abbreviations(["Car", "Bus", "OthTL"]) == {"OthTL": "other traffic light"}
    alone = {d.source.name: d.target for d in mapping.map_classes(_listed(["TL", "Car", "Bus", "person"]), space)}
    assert alone["TL"] is None and alone["Car"] == "car_(automobile)"
    for names in (["Ped", "Em", "Med", "Surg", "OB", "Psych", "ICU"], ["Peds", "EM", "Med", "Surg", "TL"], ["TB", "GB", "TL", "MB", "Ped"],
                  ["Cyc", "Ski", "Run", "Swim", "Row", "Ped"], ["pedal", "Ped", "chain", "saddle", "wheel", "frame", "Cyc"]):
        assert mapping.driving_abbreviations(names) == {}, names
        got = {d.source.name: d.target for d in mapping.map_classes(_listed(names), space)}
        assert got.get("Ped") is got.get("Cyc") is got.get("TL") is None, names


FOODS = ["rice", "bread", "onion", "garlic", "carrot", "potato", "tomato", "noodle", "salad", "milk", "chicken", "lid", "bowl", "turkey", "seaweed"]


def test_a_food_list_reads_a_name_in_its_own_earlier_sense(space):
    """Among a cooking video's foods a ``lid`` is a pot's cover (lid.n.02), no hat (hat.n.01 only lists the word); a
    ``bowl`` keeps the dish (its vessel sense is near, one thing WordNet splits) and a ``turkey``, first the bird, its
    decision. A name that is its sense's first lemma (plate, pasta, cake, coconut, pastry, lamp), its clipping (the
    alarm clock) or the target's own name (a slide, chute.n.02) keeps its target. Outside a list of food the lid is
    read as before."""
    got = {d.source.name: d.target for d in mapping.map_classes(_listed([*FOODS, "plate", "pasta", "cake", "coconut", "pastry", "lamp", "alarm", "slide"]), space)}
    assert got["lid"] is None and got["bowl"] == "bowl" and got["rice"] == "rice"
    kept = ("plate", "pasta", "cake", "coconut", "pastry", "lamp", "alarm", "slide")
    assert tuple(got[n] for n in kept) == ("plate", "pasta", "cake", "coconut", "pastry", "lamp", "alarm_clock", "slide")
    alone = {d.source.name: d.target for d in mapping.map_classes(_listed(["chicken", "turkey", "lid", "bowl"]), space)}
    assert got["turkey"] == alone["turkey"]
    others = {d.source.name: d.target for d in mapping.map_classes(_listed([*ARTIFACTS, "lid", "chicken"]), space)}
    assert others["lid"] == "hat"


def test_an_animal_of_no_target_shows_no_live_animals(space):
    """A class read as an animal shows the list's animals live only where it maps to a target: YouCook2's seaweed,
    which WordNet files under animals and which maps to none, leaves a cooking list's chicken the meat (chicken.n.01,
    no target), no bird; beside artifacts and a cat the chicken is the bird."""
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(FOODS), space)}
    assert got["seaweed"] is None and got["chicken"] is None
    others = {d.source.name: d.target for d in mapping.map_classes(_listed([*ARTIFACTS, "lid", "chicken"]), space)}
    assert others["chicken"] == "chicken_(animal)"


def test_a_latin_plant_name_in_a_list_of_them_reaches_its_tree_through_a_deep_taxonomy(space):
    """Leafsnap's ``abies_concolor`` (the white fir) and ``pinus_strobus`` (the white pine) are trees 5 steps up
    WordNet's plant taxonomy (silver fir, fir, conifer, gymnospermous tree): read as far as an animal's in a list of
    binomials. A common name keeps the 4 steps: LVIS's ``clementine``, WordNet's clementine tree, is the fruit."""
    leafsnap = ["abies_concolor", "pinus_strobus", "acer_rubrum", "quercus_alba", "betula_nigra"]
    got = {d.source.name: d.target for d in mapping.map_classes(_listed(leafsnap), space)}
    assert got["abies_concolor"] == got["pinus_strobus"] == "tree" and got["acer_rubrum"] == "maple"
    common = {d.source.name: d.target for d in mapping.map_classes(_listed(["white fir", "clementine", "apple", "pear"]), space)}
    assert common["white fir"] is None and common["clementine"] != "tree"


def test_a_list_of_one_kind_of_animal_reads_a_food_or_tool_name_in_its_animal_sense(space):
    """A fish dataset's ``Trout``, ``Sea Bass`` and ``Red Sea Bream``, WordNet's first senses their food, are fish
    beside its two red mullets (goatfish, the animal); a bird list's ``CLARKS NUTCRACKER`` (first the tool, LVIS's
    reviewed "no target") and ``PAINTED BUNTING`` (first the fabric) are birds beside eagles, owls and ducks. A menu's
    trout beside one salmon, a kitchen's nutcracker (even beside four birds) and a flag maker's bunting keep their first
    senses."""
    fish = ["Black Sea Sprat", "Gilt-Head Bream", "Red Mullet", "Red Sea Bream", "Sea Bass", "Shrimp", "Striped Red Mullet", "Trout"]
    got = {d.source.name: (d.target, d.synset) for d in mapping.map_classes(_listed(fish), space)}
    assert got["Trout"] == ("fish", "trout.n.02") and got["Sea Bass"] == ("fish", "sea_bass.n.02")
    assert got["Red Sea Bream"][0] == got["Black Sea Sprat"][0] == "fish" and got["Shrimp"][0] == "shrimp"
    birds = ["AMERICAN GOLDFINCH", "BALD EAGLE", "BARN OWL", "CLARKS NUTCRACKER", "PAINTED BUNTING", "ROBIN", "MALLARD DUCK"]
    got = {d.source.name: (d.target, d.synset) for d in mapping.map_classes(_listed(birds), space)}
    assert got["PAINTED BUNTING"] == ("bird", "bunting.n.02") and got["CLARKS NUTCRACKER"][0] == "bird"
    menu = {d.source.name: d.target for d in mapping.map_classes(_listed(["salmon", "tuna", "shrimp", "rice", "bread", "trout"]), space)}
    assert menu["trout"] is None and menu["salmon"] == "fish"
    kitchen = {d.source.name: d.target for d in mapping.map_classes(_listed(["nutcracker", "knife", "spoon", "fork", "robin", "eagle"]), space)}
    assert kitchen["nutcracker"] is None
    # four birds of six classes mapped: a list of birds and cutlery, no list of birds
    mixed = {d.source.name: d.target for d in mapping.map_classes(_listed(["sparrow", "robin", "pigeon", "crow", "nutcracker", "knife", "fork"]), space)}
    assert mixed["nutcracker"] is None and mixed["robin"] == "bird"
    flags = {d.source.name: d.target for d in mapping.map_classes(_listed(["flag", "bunting", "banner", "pennant", "owl"]), space)}
    assert flags["bunting"] is None


def test_a_long_list_mostly_of_a_targets_kinds_reads_unknown_names_as_that_target(space):
    """BIRDS 400 maps 271 names to bird and 55 more to kinds of bird (parrots, ducks, owls, eagles): no one target holds
    three quarters of it, but birds do, and its names WordNet does not know (``COMMON IORA``, ``CRIMSON SUNBIRD``) are
    birds. A short list of such kinds (CONTEXT_KIND_MIN_CLASSES) leaves them unknown: there an unknown name may be a
    catch-all or a thing of another kind."""
    path = Path(__file__).parent / "data" / "class_lists" / "birds400.txt"
    got = {d.source.name: d.target for d in mapping.map_classes(mapping.classes_from_file(path, "birds400", repeats=True), space)}
    assert got["COMMON IORA"] == got["CRIMSON SUNBIRD"] == "bird" and got["BALD EAGLE"] == "eagle" and got["BARN OWL"] == "owl"
    birds = ["AMERICAN ROBIN", "BARN SWALLOW", "BLUE JAY", "CARDINAL", "MOCKINGBIRD", "BALD EAGLE", "BARN OWL", "MALLARD DUCK", "SCARLET MACAW", "WOOD THRUSH", "COMMON IORA", "CRIMSON SUNBIRD"]
    assert {d.source.name: d.target for d in mapping.map_classes(_listed(birds), space)}["COMMON IORA"] is None
