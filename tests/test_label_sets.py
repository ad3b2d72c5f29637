"""Label sets a federated score can trust: one test per rule of bigdet/merge.py's docstring, on
hand-made images of every source merged onto bigdet600, with the exact lists expected; and label
spaces of more than 4096 classes (merge's pair keys, validate's independent check)."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from bigdet import merge
from bigdet.build import run
from bigdet.ingest import ingest
from bigdet.layout import Layout
from bigdet.store import Store
from bigdet.validate import validate
from bigdet.taxonomy import reference
from bigdet.taxonomy.targets import bigdet600

from .conftest import coco_doc, write_json, write_merged

T = bigdet600().by_name
TAXONOMY_DATA = Path(reference.__file__).parent / "data"
MAPPINGS = Path(reference.__file__).parent / "mappings"


def ids(*names: str) -> list[int]:
    return sorted(T[n].id for n in names)


# -- hand-made sources ------------------------------------------------------------------------------

LVIS_IMAGES = {  # image id: (boxes as LVIS names, neg_category_ids, not_exhaustive_category_ids)
    1: ([], ["gull", "dog"], []),
    2: (["gull"], [], []),
    3: (["bird"], [], []),
    4: (["shoe"], [], ["shoe"]),
    5: (["umbrella"], [], []),
    6: (["umbrella"], ["parasol"], []),
    7: ([], ["umbrella"], []),
    8: ([], ["umbrella", "parasol"], []),
    9: (["car_(automobile)", "cab_(taxi)"], [], []),
    10: (["dog", "dog-invalid"], [], []),
    11: (["dog-rejected"], ["dog"], []),  # a dog box rejected at ingest, though the lists call dog absent
    12: (["dog", "dog-rejected"], [], []),
}
OPEN_IMAGES = {  # image: (boxes as Open Images names, verified positives, verified negatives)
    1: (["Magpie"], [], []),
    2: (["Bird"], ["Bird"], []),
    3: (["Tomato", "Fruit"], ["Tomato", "Fruit"], []),
    4: ([], [], ["Racket"]),
    5: ([], ["Table tennis racket"], ["Racket"]),
    6: (["Flashlight"], ["Flashlight"], []),
    7: (["Flashlight"], ["Flashlight"], ["Torch"]),
    8: ([], [], ["Flashlight"]),
    9: ([], [], ["Flashlight", "Torch"]),
    10: (["Dog"], ["Dog", "Cat"], ["Horse"]),
    11: (["Dog-rejected"], [], ["Dog"]),
}
OBJECTS365 = {  # image id: boxes as Objects365 names
    1: ["Wild Bird"],
    2: ["Person"],
    3: ["SUV"],
    4: ["Car"],
    5: ["Sneakers", "Other Shoes"],
    6: ["Sneakers"],
    7: ["Dog-rejected", "Dog-rejected"],  # both dog boxes rejected at ingest
    8: ["Dog", "Dog-rejected"],
}


def lvis_files(root: Path) -> None:
    wanted = {"gull", "dog", "bird", "shoe", "umbrella", "parasol", "car_(automobile)", "cab_(taxi)"}
    cats = [dict(c) for c in reference.lvis_categories() if c["name"] in wanted]
    cat = {c["name"]: c["id"] for c in cats}
    images, anns = [], []
    for i, (boxes, neg, nex) in LVIS_IMAGES.items():
        images.append({"id": i, "width": 100, "height": 100, "coco_url": f"http://images.cocodataset.org/train2017/{i:012d}.jpg",
                       "neg_category_ids": [cat[n] for n in neg], "not_exhaustive_category_ids": [cat[n] for n in nex]})
        for name in boxes:
            # "-invalid": a box 0.9 px past the right edge (ingest allows a pixel), so nothing is left after clipping
            bbox = [100.5, 10.0, 0.4, 20.0] if name.endswith("-invalid") else [10.0, 10.0, 20.0, 20.0]
            bbox = [10.0, 10.0, 0.0, 20.0] if name.endswith("-rejected") else bbox  # zero width: rejected at ingest
            anns.append({"id": len(anns) + 1, "image_id": i, "category_id": cat[name.removesuffix("-invalid").removesuffix("-rejected")], "bbox": bbox, "area": 400.0})
    write_json(root / "lvis/lvis_v1_train.json", coco_doc(images, anns, cats))


def open_images_files(root: Path) -> None:
    folder = root / "openimages"
    folder.mkdir(parents=True)
    shutil.copy(TAXONOMY_DATA / "openimages_class-descriptions-boxable.csv", folder / "class-descriptions-boxable.csv")
    shutil.copy(TAXONOMY_DATA / "openimages_bbox_labels_600_hierarchy.json", folder / "bbox_labels_600_hierarchy.json")
    mid = {n: m for m, n in reference.openimages_classes()}
    boxes = ["ImageID,Source,LabelName,Confidence,XMin,XMax,YMin,YMax,IsOccluded,IsTruncated,IsGroupOf,IsDepiction,IsInside"]
    labels = ["ImageID,Source,LabelName,Confidence"]
    sizes = ["ImageID,width,height"]
    for i, (boxed, positive, negative) in OPEN_IMAGES.items():
        image = f"{i:016x}"
        sizes.append(f"{image},200,100")
        boxes += [f"{image},xclick,{mid[n]},1,0.1,0.5,0.1,0.5,0,0,0,0,0" for n in boxed if not n.endswith("-rejected")]
        boxes += [f"{image},xclick,{mid[n.removesuffix('-rejected')]},1,0.1,0.5,0.1,1.5,0,0,0,0,0" for n in boxed if n.endswith("-rejected")]  # outside
        labels += [f"{image},verification,{mid[n]},1" for n in positive] + [f"{image},verification,{mid[n]},0" for n in negative]
    for name, lines in (("validation-annotations-bbox.csv", boxes), ("validation-annotations-human-imagelabels-boxable.csv", labels), ("image_sizes.csv", sizes)):
        (folder / name).write_text("\n".join(lines) + "\n")


def objects365_files(root: Path) -> None:
    cats = [{"id": i, "name": name} for i, name, _ in reference.objects365_v2_categories()]
    cat = {c["name"]: c["id"] for c in cats}
    images, anns = [], []
    for i, names in OBJECTS365.items():
        images.append({"id": i, "width": 100, "height": 100, "file_name": f"images/v1/patch0/{i}.jpg"})
        for k, name in enumerate(names):
            # "-rejected": rejected at ingest, as zero-width (first) or outside the image (second)
            bbox = ([1.0, 1.0, 0.0, 5.0], [90.0, 1.0, 50.0, 5.0])[k % 2] if name.endswith("-rejected") else [1.0, 1.0, 5.0, 5.0]
            anns.append({"id": len(anns) + 1, "image_id": i, "category_id": cat[name.removesuffix("-rejected")], "bbox": bbox, "area": 25.0, "iscrowd": 0, "isfake": 0, "isreflected": 0})
    write_json(root / "objects365/zhiyuan_objv2_train.json", coco_doc(images, anns, cats))


@pytest.fixture(scope="module")
def label_sets(tmp_path_factory):
    """{(source, source image id): (neg_category_ids, not_exhaustive_category_ids)} of one merge."""
    tmp = tmp_path_factory.mktemp("label_sets")
    lvis_files(tmp / "data")
    open_images_files(tmp / "data")
    objects365_files(tmp / "data")
    result = run(Layout(data_root=tmp / "data", store=tmp / "store"), ["lvis", "oi", "o365"], tmp / "out")
    out = {}
    for path in (result.out / "annotations").glob("*.json"):
        for im in json.loads(path.read_text())["images"]:
            key = int(im["source_image_id"], 16) if im["source"] == "openimages" else int(im["source_image_id"])
            out[im["source"], key] = (im["neg_category_ids"], im["not_exhaustive_category_ids"])
    return out


def objects365_same_meaning_targets() -> list[int]:
    """Targets an Objects365 class maps to with the same meaning, read from the shipped table."""
    with open(MAPPINGS / "objects365_v2.csv", newline="") as f:
        return sorted({int(r["target_id"]) for r in csv.DictReader(f) if r["method"] in merge.SAME_MEANING and r["target_id"]})


# -- one test per rule ------------------------------------------------------------------------------


def test_rule1_verified_complete_boxes_are_exhaustive(label_sets):
    assert label_sets["openimages", 2] == ([], [])  # Bird boxed: Open Images boxes every verified bird
    assert label_sets["lvis", 3] == ([], [])  # LVIS bird boxed, not in its not-exhaustive list
    neg, nex = label_sets["objects365", 4]  # an Objects365 Car box: car is exhaustive
    assert nex == [] and T["car_(automobile)"].id not in neg


def test_rule1_every_same_meaning_feeder_must_be_verified(label_sets):
    # Flashlight and Torch both mean flashlight: a Flashlight box says nothing about unboxed torches...
    assert label_sets["openimages", 6] == ([], ids("flashlight"))
    # ...unless Torch is verified too (here absent)
    assert label_sets["openimages", 7] == ([], [])
    # LVIS umbrella and parasol both map to umbrella with the same meaning (parasol by a reviewed override;
    # it mapped to awning through the synonym "sunshade" before issue 12)
    assert label_sets["lvis", 5] == ([], ids("umbrella"))
    assert label_sets["lvis", 6] == ([], [])


def test_rule2_boxes_through_a_hypernym_mapping_are_not_exhaustive(label_sets):
    assert label_sets["openimages", 1] == ([], ids("bird"))  # Magpie -> bird: an unboxed sparrow is no false positive
    assert label_sets["lvis", 2] == ([], ids("bird"))  # gull -> bird
    neg, nex = label_sets["objects365", 1]  # Wild Bird -> bird
    assert nex == ids("bird") and T["bird"].id not in neg
    neg, nex = label_sets["objects365", 3]  # SUV -> car: other cars may be unboxed
    assert nex == ids("car_(automobile)") and T["car_(automobile)"].id not in neg


def test_rule3_a_present_class_below_makes_the_target_not_exhaustive(label_sets):
    # Open Images' own hierarchy: Tomato is under Fruit there (not in WordNet), so fruit boxes miss the tomato
    assert label_sets["openimages", 3] == ([], ids("fruit"))
    # the target hierarchy: taxi is under car
    assert label_sets["lvis", 9] == ([], ids("car_(automobile)"))
    neg, nex = label_sets["objects365", 5]  # sneakers under shoe: Other Shoes boxes leave the sneakers out
    assert nex == ids("shoe") and not {T["shoe"].id, T["sneakers"].id} & set(neg)


def test_rule4_verified_present_but_not_boxed_is_not_exhaustive(label_sets):
    assert label_sets["lvis", 4] == ([], ids("shoe"))  # LVIS's own not-exhaustive list
    assert label_sets["openimages", 10] == (ids("horse"), ids("cat"))  # Cat verified, no Cat box
    assert label_sets["lvis", 10] == ([], ids("dog"))  # one dog box had nothing left after clipping


def test_rule4_a_class_with_a_box_rejected_at_ingest_is_not_exhaustive_never_negative(label_sets):
    # Objects365 is exhaustive over its classes, yet the dog whose boxes were rejected is no negative
    not_dog = [t for t in objects365_same_meaning_targets() if t != T["dog"].id]  # dog has no class ancestor in bigdet600
    assert label_sets["objects365", 7] == (not_dog, ids("dog"))  # both dog boxes rejected
    assert label_sets["objects365", 8] == (not_dog, ids("dog"))  # one of two rejected: the other does not make dog exhaustive
    assert label_sets["lvis", 11] == ([], ids("dog"))  # a rejected box outweighs the image's neg_category_ids
    assert label_sets["lvis", 12] == ([], ids("dog"))
    assert label_sets["openimages", 11] == ([], ids("dog"))  # and a verified negative


def test_rule5_negative_only_when_every_same_meaning_feeder_is_verified_absent(label_sets):
    assert label_sets["lvis", 1] == (ids("dog"), [])  # a gull negative says nothing about other birds
    assert label_sets["lvis", 7] == ([], [])  # umbrella negative, parasol not verified
    assert label_sets["lvis", 8] == (ids("umbrella"), [])
    assert label_sets["openimages", 8] == ([], [])  # Flashlight negative, Torch not verified
    assert label_sets["openimages", 9] == (ids("flashlight"), [])
    # a Racket negative holds for the rackets below it in Open Images' hierarchy, table tennis included
    assert label_sets["openimages", 4] == (ids("racket", "tennis_racket", "table_tennis_racket"), [])


def test_rule6_objects365_negatives_are_its_same_meaning_targets(label_sets):
    neg, nex = label_sets["objects365", 2]  # one Person box
    assert nex == []
    assert neg == [t for t in objects365_same_meaning_targets() if t != T["person"].id]
    # bird is fed only through hypernym mappings (Wild Bird, Swan): never negative on Objects365 images
    assert T["bird"].id not in objects365_same_meaning_targets()


def test_rule7_present_targets_are_never_negative(label_sets):
    # a verified Table tennis racket is under Racket in Open Images' hierarchy (not in WordNet): the
    # Racket negative cannot stand for racket, but still holds for the tennis racket below it
    assert label_sets["openimages", 5] == (ids("tennis_racket"), ids("table_tennis_racket"))
    neg, nex = label_sets["objects365", 6]  # a sneakers box: shoe, its parent, is present
    assert nex == [] and T["shoe"].id not in neg and T["sneakers"].id not in neg
    assert neg == [t for t in objects365_same_meaning_targets() if t not in ids("shoe", "sneakers")]


# -- label spaces of more than 4096 classes ---------------------------------------------------------


def test_label_pairs_keep_their_image_beyond_4096_classes(tmp_path):
    cats = [{"id": 1, "name": "apple", "synset": "apple.n.01", "synonyms": ["apple"], "def": "x", "frequency": "f", "image_count": 2, "instance_count": 2},
            {"id": 2, "name": "bull", "synset": "bull.n.01", "synonyms": ["bull"], "def": "x", "frequency": "r", "image_count": 1, "instance_count": 1}]
    images = [{"id": i, "width": 100, "height": 100, "coco_url": f"http://images.cocodataset.org/train2017/{i:012d}.jpg",
               "neg_category_ids": neg, "not_exhaustive_category_ids": nex} for i, neg, nex in ((5, [2], []), (6, [], [1]))]
    anns = [{"id": k, "image_id": i, "category_id": 1, "bbox": [10.0, 10.0, 20.0, 20.0], "area": 400.0} for k, i in ((1, 5), (2, 6))]
    write_json(tmp_path / "data/lvis/lvis_v1_train.json", coco_doc(images, anns, cats))
    layout = Layout(data_root=tmp_path / "data", store=tmp_path / "store")
    ingest("lvis", layout)
    target = np.zeros(3, dtype=np.int32)
    target[1], target[2] = 5000, 4097  # a label space of 5000 classes
    cmap = merge.ClassMap(target, np.array([False, True, True]))
    ancestors = [np.zeros(0, dtype=np.int32)] * 5001
    part = merge.build_part(Store(layout.store), "lvis", "train", cmap, ancestors, None)
    assert part.negatives.tolist() == [[0, 4097]]  # image 5 (index 0), class 4097
    assert part.not_exhaustive.tolist() == [[1, 5000]]  # image 6, its listed class
    assert part.present.tolist() == [[0, 5000], [1, 5000]]
    assert part.boxes["category_id"].tolist() == [5000, 5000]


def test_pair_keys_refuse_ids_that_overflow():
    with pytest.raises(OverflowError, match="do not fit one 64-bit key"):
        merge._unique_pairs(np.array([[2**40, 2**30]], dtype=np.int64))


def merged_file(out: Path, images: list[dict], anns: list[dict], cat_ids: list[int]) -> Path:
    cats = [{"id": c, "name": f"class{c}"} for c in cat_ids]
    for im in images:
        im |= {"file_name": f"{im['id']}.jpg", "width": 100, "height": 100}
    for k, a in enumerate(anns, 1):
        a |= {"id": k, "bbox": [1.0, 1.0, 5.0, 5.0], "area": 25.0, "iscrowd": 0}
    return write_merged(out, "bigdet_val.json", coco_doc(images, anns, cats))


def test_validate_tells_pairs_apart_beyond_4096_classes(tmp_path):
    # image 1 lists 4097 as negative; image 2 has a box of class 1: packed as image * 4096 + class, both are 8193
    merged_file(tmp_path, [{"id": 1, "neg_category_ids": [4097], "not_exhaustive_category_ids": []},
                           {"id": 2, "neg_category_ids": [], "not_exhaustive_category_ids": [4097]}],
                [{"image_id": 2, "category_id": 1}], [1, 4097])
    assert validate(tmp_path) == []


def test_validate_finds_a_negative_class_with_a_box_beyond_4096_classes(tmp_path):
    merged_file(tmp_path, [{"id": 1, "neg_category_ids": [1], "not_exhaustive_category_ids": []},
                           {"id": 7, "neg_category_ids": [5000], "not_exhaustive_category_ids": [5000]}],
                [{"image_id": 7, "category_id": 5000}], [1, 5000])
    assert validate(tmp_path) == [
        "bigdet_val.json: a class is both negative and not-exhaustive in an image",
        "bigdet_val.json: image 7 lists category 5000 as negative but has a box of it",
    ]
