"""Datumaro's way of doing the single-file job of ``bench/single_file.py``: read an Objects365 v2
download (train and val), map its classes onto bigdet600 and write COCO, with Datumaro's documented
API (``Dataset.import_from(..., "coco_instances")``, the ``remap_labels`` transform, ``export(...,
"coco_instances")``).

    DATUMARO_PYTHON bench/datumaro_convert.py OBJECTS365_DIR WORK OUT

Runs in Datumaro's own virtualenv (it pins other pandas / pyarrow versions than bigdet), so it
imports nothing from bigdet: the class mapping is read from bigdet's shipped table
(``taxonomy/mappings/objects365_v2.csv``), as the hand-written script does. Datumaro's COCO importer
wants ``annotations/instances_<subset>.json`` and ``images/<subset>/``: WORK gets links with those names to the
downloaded files and empty image folders (no image is read or written).
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

import datumaro as dm

TABLE = Path(__file__).resolve().parent.parent / "taxonomy" / "mappings" / "objects365_v2.csv"


def main() -> None:
    o365, work, out = (Path(a) for a in sys.argv[1:4])
    (work / "annotations").mkdir(parents=True, exist_ok=True)
    for subset, name in (("train", "zhiyuan_objv2_train.json"), ("val", "zhiyuan_objv2_val.json")):
        (work / "images" / subset).mkdir(parents=True, exist_ok=True)  # the importer requires the folders, not the images
        link = work / "annotations" / f"instances_{subset}.json"
        link.unlink(missing_ok=True)
        link.symlink_to((o365 / name).resolve())
    with open(TABLE, newline="") as f:
        mapping = {row["source_name"]: row["target"] for row in csv.DictReader(f) if row["target"]}
    t0 = time.perf_counter()
    dataset = dm.Dataset.import_from(str(work), "coco_instances")
    dataset.transform("remap_labels", mapping=mapping, default="delete")
    dataset.export(str(out), "coco_instances", save_media=False)
    items = len(dataset)
    boxes = sum(len(item.annotations) for item in dataset)
    print(f"datumaro {dm.__version__}: {items} images, {boxes} boxes in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
