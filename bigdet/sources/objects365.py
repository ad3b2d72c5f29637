"""Objects365 v1 and v2 into the common schema.

* v2 (``zhiyuan_objv2_{train,val}.json``): images ``{id, file_name: "images/v1/patch8/x.jpg", height,
  width, license, url}``; annotations ``{id, image_id, category_id, bbox, area, iscrowd, isfake,
  isreflected}``; category names in Title case with typos and trailing spaces.
* v1 (``objects365_{train,val}.json``): images ``{width, height, file_name, id}``; annotations
  without ``isfake`` / ``isreflected``; lowercase names; ``categories`` not sorted by id.

The two versions number their categories differently (v1 24 = tv, v2 24 = Flower), so classes are
always taken from the file's own ``categories``, never from a fixed table. Image paths are the last
two parts of ``file_name`` under ``<image root>/<split>/``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..checks import INT32_IDS, Check, Rejects, bad_path, category_problem, reject_rows
from ..errors import InputError
from ..layout import Layout
from ..schema import BOXES, CATEGORIES, IMAGE_LABELS, IMAGES, conform
from . import SourceData, SplitData, registry
from .cocojson import COCO_BOX_COLUMNS, COCO_BOX_REQUIRED, COCO_IMAGE_COLUMNS, Fields, check_boxes, check_images, last_two_parts, read_document, reject_unreadable, stored_box_columns

NAME = registry.OBJECTS365.name
VERSION_FILES = {version: dict(zip(("train", "val"), files)) for version, files in registry.OBJECTS365.versions.items()}

IMAGE_FIELDS = Fields(
    pa.schema(
        [
            *COCO_IMAGE_COLUMNS,
            ("file_name", pa.string()),
            ("license", pa.int64()),
            ("url", pa.string()),
        ]
    ),
    required=("id", "width", "height", "file_name"),
)
BOX_FIELDS = Fields(
    pa.schema(
        [
            *COCO_BOX_COLUMNS,
            ("iscrowd", pa.int64()),
            ("isfake", pa.int64()),
            ("isreflected", pa.int64()),
        ]
    ),
    required=COCO_BOX_REQUIRED,
)


def _version(layout: Layout) -> tuple[str, dict[str, Path]]:
    folder = layout.dir("objects365")
    found = {}
    for version, files in VERSION_FILES.items():
        present = {split: folder / name for split, name in files.items() if (folder / name).exists()}
        if present:
            found[version] = present
    if not found:
        names = ", ".join(n for files in VERSION_FILES.values() for n in files.values())
        raise InputError(folder, f"no Objects365 annotation files ({names})", hint="set --data-root or [paths] objects365")
    if len(found) > 1:
        raise InputError(folder, "holds both Objects365 v1 and v2 files", hint="keep one version per folder; BigDetection used v2")
    return next(iter(found.items()))


def input_files(layout: Layout) -> list[Path]:
    return list(_version(layout)[1].values())


def read(layout: Layout, *, output, chunk_bytes: int, progress=None, workers: int | None = None) -> SourceData:
    version, paths = _version(layout)
    output.version = version
    data: SourceData | None = None
    for split, path in paths.items():
        doc = read_document(path, IMAGE_FIELDS, BOX_FIELDS, chunk_bytes, progress, workers)
        categories = _categories(doc.categories, path, version)
        if data is None:
            data = SourceData(NAME, version, categories)
        elif not data.categories.select(["category_id", "name"]).equals(categories.select(["category_id", "name"])):
            raise InputError(path, "its category list differs from the other split's (ids or names)")
        data.splits.append(_split(doc, split, categories, output))
    return data


def name_fixes() -> dict[str, str]:
    """Known typos in Objects365 v2 names (stripped raw name -> fixed name), from the shipped fix table."""
    from bigdet.taxonomy.reference import objects365_v2_name_fixes

    return objects365_v2_name_fixes()


def _categories(records: list[dict], path: Path, version: str) -> pa.Table:
    fixes = name_fixes() if version == "v2" else {}
    rows = []
    for i, record in enumerate(records):
        problem = category_problem(record, id_range=INT32_IDS)
        if problem:
            raise InputError(path, problem, record=f'"categories"[{i}]')
        stripped = record["name"].strip()
        rows.append(
            {"category_id": record["id"], "name": record["name"], "clean_name": fixes.get(stripped, stripped), "version": version}
        )
    ids = [r["category_id"] for r in rows]
    if len(set(ids)) != len(ids):
        raise InputError(path, "a category id appears twice in \"categories\"")
    table = pa.Table.from_pylist(sorted(rows, key=lambda r: r["category_id"]))
    return conform(table, CATEGORIES, source=NAME)


def _split(doc, split: str, categories: pa.Table, output) -> SplitData:
    path = doc.path
    rejects = Rejects(NAME, split)
    read_counts = reject_unreadable(doc, rejects) | {"image_labels": 0}
    # an image path must stay under the image root: "a/../.." would climb out of it
    raw_name = doc.images.column("file_name")
    detail = lambda rows: [f"file_name {n!r} is not a path inside the image folder" for n in raw_name.take(rows).to_pylist()]  # noqa: E731
    images = reject_rows(doc.images, path, rejects, "images", "images", [Check("bad_path", bad_path(raw_name), detail)])
    images = check_images(images, path, rejects, IMAGE_FIELDS.required)
    category_ids = categories.column("category_id").to_numpy().astype(np.int64)
    boxes = check_boxes(doc.boxes, images, category_ids, path, rejects, BOX_FIELDS.required)

    # "images/v1/patch8/objects365_v1_00420917.jpg" -> "train/patch8/objects365_v1_00420917.jpg"
    tail = last_two_parts(images.column("file_name"))
    image_table = pa.table(
        {
            "image_id": images.column("id"),
            "source_image_id": pc.cast(images.column("id"), pa.string()),
            "file_name": pc.binary_join_element_wise(split, tail, "/"),
            "width": images.column("width"),
            "height": images.column("height"),
            "license": pc.cast(images.column("license"), pa.string()),
            "url": images.column("url"),
        }
    )
    box_table = pa.table(
        {
            **stored_box_columns(boxes),
            "iscrowd": _flag(boxes.column("iscrowd"), default=False),
            "is_fake": _flag(boxes.column("isfake")),
            "is_reflected": _flag(boxes.column("isreflected")),
        }
    )
    out = output.split(split, [path])
    out.write("images", conform(image_table, IMAGES, source=NAME, split=split))
    out.write("boxes", conform(box_table, BOXES, source=NAME, split=split))
    out.write("image_labels", pa.Table.from_pylist([], schema=IMAGE_LABELS))
    return SplitData(split, [path], rejects, read_counts, out.close(rejects.table()))


def _flag(column: pa.ChunkedArray, default: bool | None = None) -> pa.ChunkedArray:
    """0/1 integers as booleans; absent (null) stays null unless a default is given."""
    flags = pc.not_equal(column, 0)
    return flags.fill_null(default) if default is not None else flags
