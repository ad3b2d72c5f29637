"""The baseline bigdet is measured against: a merge script written the way BigDetection-era scripts were.

    python bench/handwritten_merge.py DATA_ROOT OUT [--sources lvis oi o365]

json.load each LVIS / Objects365 file, csv.DictReader for the Open Images boxes (sizes from
``image_sizes.csv``), map classes with a dict built from bigdet's shipped mapping tables, renumber
image and annotation ids, json.dump one COCO file per source for train and one val file. No label
sets, no checks, no accounting: what a user would write in an afternoon, and what bigdet's wall
clock and memory are compared with (``bench/merge_vs_script.py``).

Standard library only (plus the mapping CSVs), so it runs in any Python.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

TABLES = Path(__file__).resolve().parent.parent / "taxonomy" / "mappings"


def load_mapping(table: str) -> dict[str, int]:
    """Source class (id for LVIS/Objects365, name for Open Images) -> bigdet600 target id."""
    mapping = {}
    with open(TABLES / f"{table}.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["target_id"]:
                mapping[row["source_category_id"]] = int(row["target_id"])
    return mapping


def target_categories() -> list[dict]:
    names = (Path(__file__).resolve().parent.parent / "taxonomy" / "data" / "bigdet600_classes.txt").read_text().split("\n")
    return [{"id": i, "name": n} for i, n in enumerate((n for n in names if n.strip()), 1)]


class Ids:
    def __init__(self) -> None:
        self.image = 0
        self.annotation = 0


def convert_coco(path: Path, table: str, image_dir: str, ids: Ids, images: list, annotations: list) -> None:
    """An LVIS or Objects365 file: remap classes, renumber ids, keep the mapped boxes."""
    doc = json.load(open(path))
    mapping = load_mapping(table)
    new_image_id = {}
    for img in doc["images"]:
        ids.image += 1
        new_image_id[img["id"]] = ids.image
        name = img.get("file_name") or "/".join(img["coco_url"].split("/")[-2:])
        if "objects365" in table:
            name = "/".join(name.split("/")[-2:])
        images.append({"id": ids.image, "file_name": f"{image_dir}/{name}", "width": img["width"], "height": img["height"]})
    for ann in doc["annotations"]:
        target = mapping.get(str(ann["category_id"]))
        if target is None or ann["image_id"] not in new_image_id:
            continue
        ids.annotation += 1
        annotations.append(
            {"id": ids.annotation, "image_id": new_image_id[ann["image_id"]], "category_id": target, "bbox": ann["bbox"], "area": ann["area"], "iscrowd": ann.get("iscrowd", 0)}
        )


def convert_openimages(root: Path, box_file: str, image_dir: str, ids: Ids, images: list, annotations: list) -> None:
    """An Open Images box CSV: MID -> class name -> target, normalized corners -> pixel x, y, w, h."""
    names = {}
    with open(root / "class-descriptions-boxable.csv", newline="", encoding="utf-8-sig") as f:
        for row in csv.reader(f):
            names[row[0]] = row[1]
    by_name = {}
    with open(TABLES / "openimages.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["target_id"]:
                by_name[row["source_name"]] = int(row["target_id"])
    sizes = {}
    with open(root / "image_sizes.csv", newline="") as f:
        for row in csv.DictReader(f):
            sizes[row["ImageID"]] = (int(row["width"]), int(row["height"]))
    new_image_id = {}
    with open(root / box_file, newline="") as f:
        for row in csv.DictReader(f):
            target = by_name.get(names.get(row["LabelName"], ""))
            size = sizes.get(row["ImageID"])
            if target is None or size is None:
                continue
            image_id = new_image_id.get(row["ImageID"])
            if image_id is None:
                ids.image += 1
                image_id = new_image_id[row["ImageID"]] = ids.image
                images.append({"id": image_id, "file_name": f"{image_dir}/{row['ImageID']}.jpg", "width": size[0], "height": size[1]})
            w, h = size
            x0, x1, y0, y1 = float(row["XMin"]) * w, float(row["XMax"]) * w, float(row["YMin"]) * h, float(row["YMax"]) * h
            ids.annotation += 1
            annotations.append(
                {"id": ids.annotation, "image_id": image_id, "category_id": target, "bbox": [x0, y0, x1 - x0, y1 - y0], "area": (x1 - x0) * (y1 - y0), "iscrowd": int(row["IsGroupOf"] == "1")}
            )


def dump(path: Path, images: list, annotations: list) -> None:
    with open(path, "w") as f:
        json.dump({"images": images, "annotations": annotations, "categories": target_categories()}, f)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data_root", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--sources", nargs="+", default=["lvis", "oi", "o365"])
    args = ap.parse_args()
    root, out = args.data_root, args.out
    out.mkdir(parents=True, exist_ok=True)
    ids = Ids()
    val_images: list = []
    val_annotations: list = []
    if "lvis" in args.sources:
        images: list = []
        annotations: list = []
        convert_coco(root / "lvis" / "lvis_v1_train.json", "lvis_v1", "coco", ids, images, annotations)
        dump(out / "lvis_train.json", images, annotations)
        del images, annotations
        convert_coco(root / "lvis" / "lvis_v1_val.json", "lvis_v1", "coco", ids, val_images, val_annotations)
    if "oi" in args.sources:
        oi = root / "openimages"
        train_file = "oidv6-train-annotations-bbox.csv" if (oi / "oidv6-train-annotations-bbox.csv").exists() else "train-annotations-bbox.csv"
        images, annotations = [], []
        convert_openimages(oi, train_file, "openimages/train", ids, images, annotations)
        dump(out / "oid_train.json", images, annotations)
        del images, annotations
        convert_openimages(oi, "validation-annotations-bbox.csv", "openimages/validation", ids, val_images, val_annotations)
    if "o365" in args.sources:
        o365 = root / "objects365"
        v2 = (o365 / "zhiyuan_objv2_train.json").exists()
        train, val, table = ("zhiyuan_objv2_train.json", "zhiyuan_objv2_val.json", "objects365_v2") if v2 else ("objects365_train.json", "objects365_val.json", "objects365_v1")
        images, annotations = [], []
        convert_coco(o365 / train, table, "objects365/train", ids, images, annotations)
        dump(out / "obj_train.json", images, annotations)
        del images, annotations
        convert_coco(o365 / val, table, "objects365/val", ids, val_images, val_annotations)
    dump(out / "val.json", val_images, val_annotations)
    print(f"{ids.image} images, {ids.annotation} boxes")


if __name__ == "__main__":
    main()
