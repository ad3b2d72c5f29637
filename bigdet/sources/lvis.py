"""LVIS v1: ``lvis_v1_train.json`` / ``lvis_v1_val.json`` into the common schema.

LVIS is COCO-like with three twists this reader handles:

* images have no ``file_name``: the path is the last two parts of ``coco_url``
  (``.../train2017/000000155379.jpg`` -> ``train2017/000000155379.jpg`` under the COCO image root).
  The folder is never inferred from the split, because LVIS val holds COCO train2017 images.
* the label sets are federated: the categories annotated in an image are verified present,
  ``neg_category_ids`` are verified absent, ``not_exhaustive_category_ids`` are present but not
  every instance is boxed, and every other category is unknown for that image. The two lists
  become ``image_labels`` rows (kinds ``negative`` / ``not_exhaustive``).
* annotations carry polygons (``segmentation``) and no ``iscrowd``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..checks import INT32_IDS, Check, Rejects, bad_path, category_problem, empty_or_nul, first_failures, lookup, reject_rows
from ..errors import InputError
from ..layout import Layout
from ..schema import BOXES, CATEGORIES, IMAGE_LABELS, IMAGES, conform
from . import SourceData, SplitData, registry
from .cocojson import COCO_BOX_COLUMNS, COCO_BOX_REQUIRED, COCO_IMAGE_COLUMNS, Fields, check_boxes, check_images, last_two_parts, read_document, reject_unreadable, stored_box_columns

NAME = registry.LVIS.name
SPLIT_FILES = dict(zip(("train", "val"), registry.LVIS.versions["v1"]))

IMAGE_FIELDS = Fields(
    pa.schema(
        [
            *COCO_IMAGE_COLUMNS,
            ("coco_url", pa.string()),
            ("license", pa.int64()),
            ("flickr_url", pa.string()),
            ("date_captured", pa.string()),
            ("neg_category_ids", pa.list_(pa.int64())),
            ("not_exhaustive_category_ids", pa.list_(pa.int64())),
        ]
    ),
    required=("id", "width", "height", "coco_url"),
)
BOX_FIELDS = Fields(
    pa.schema(
        [
            *COCO_BOX_COLUMNS,
            ("segmentation", pa.list_(pa.list_(pa.float64()))),
        ]
    ),
    required=COCO_BOX_REQUIRED,
)
CATEGORY_KEYS = ("id", "name", "synset", "synonyms", "def", "frequency", "image_count", "instance_count")


def input_files(layout: Layout) -> list[Path]:
    folder = layout.dir("lvis")
    files = [folder / name for name in SPLIT_FILES.values() if (folder / name).exists()]
    if not files:
        raise InputError(folder, f"no LVIS annotation files ({', '.join(SPLIT_FILES.values())})", hint="set --data-root or [paths] lvis")
    return files


def read(layout: Layout, *, output, chunk_bytes: int, progress=None, workers: int | None = None) -> SourceData:
    folder = layout.dir("lvis")
    output.version = "v1"
    data: SourceData | None = None
    for split, name in SPLIT_FILES.items():
        path = folder / name
        if not path.exists():
            continue
        doc = read_document(path, IMAGE_FIELDS, BOX_FIELDS, chunk_bytes, progress, workers)
        categories = _categories(doc.categories, path)
        if data is None:
            data = SourceData(NAME, "v1", categories)
        elif not _same_classes(data.categories, categories):
            raise InputError(path, "its category list differs from the other LVIS split's (ids or names)", hint="mixing LVIS versions?")
        data.splits.append(_split(doc, split, categories, output))
    if data is None:
        input_files(layout)  # raises the "no files" error
    return data


def _categories(records: list[dict], path: Path) -> pa.Table:
    rows = []
    for i, record in enumerate(records):
        problem = category_problem(record, id_range=INT32_IDS) or _optional_field_problem(record)
        if problem:
            raise InputError(path, problem, record=f'"categories"[{i}]')
        rows.append(
            {
                "category_id": record["id"],
                "name": record["name"],
                "clean_name": record["name"].strip(),
                "synset": record.get("synset"),
                "synonyms": record.get("synonyms"),
                "definition": record.get("def"),
                "frequency": record.get("frequency"),
                "image_count": record.get("image_count"),
                "instance_count": record.get("instance_count"),
                "version": "v1",
            }
        )
    ids = [r["category_id"] for r in rows]
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise InputError(path, f"category id {dup} appears twice in \"categories\"")
    table = pa.Table.from_pylist(sorted(rows, key=lambda r: r["category_id"]))
    return conform(table, CATEGORIES, source=NAME)


#: The optional category fields the store keeps: the JSON type each must have when not null.
_OPTIONAL_TYPES = {"synset": str, "def": str, "frequency": str, "synonyms": list, "image_count": int, "instance_count": int}
_TYPE_NAMES = {str: "a string", list: "a list of strings", int: "a 64-bit integer"}


def _optional_field_problem(record: dict) -> str | None:
    for key, kind in _OPTIONAL_TYPES.items():
        value = record.get(key)
        if value is None:
            continue
        fits = isinstance(value, kind) and not isinstance(value, bool)
        if fits and kind is list:
            fits = all(isinstance(v, str) for v in value)
        if fits and kind is int:
            fits = -(1 << 63) <= value < 1 << 63
        if not fits:
            text = repr(value)
            return f"category field {key!r} is {text if len(text) <= 60 else text[:57] + '...'}, not {_TYPE_NAMES[kind]}"
    return None


def _file_names(url: pa.ChunkedArray) -> pa.Array:
    """``.../train2017/000000155379.jpg`` -> ``train2017/000000155379.jpg``: the last two parts of coco_url."""
    return last_two_parts(url, need_parent=True)


def _same_classes(a: pa.Table, b: pa.Table) -> bool:
    return a.select(["category_id", "name"]).equals(b.select(["category_id", "name"]))


def _split(doc, split: str, categories: pa.Table, output) -> SplitData:
    path = doc.path
    rejects = Rejects(NAME, split)
    read_counts = reject_unreadable(doc, rejects)
    # an image path must stay under the image root: coco_url ".../../.." would climb out of it
    raw_url = doc.images.column("coco_url")
    names = _file_names(raw_url)
    unsafe = bad_path(names) | empty_or_nul(raw_url)
    detail = lambda rows: [f"coco_url {u!r} gives the image path {n!r}" for u, n in zip(raw_url.take(rows).to_pylist(), names.take(rows).to_pylist())]  # noqa: E731
    images = reject_rows(doc.images, path, rejects, "images", "images", [Check("bad_path", unsafe, detail)])
    images = check_images(images, path, rejects, IMAGE_FIELDS.required)
    category_ids = categories.column("category_id").to_numpy().astype(np.int64)
    boxes = check_boxes(doc.boxes, images, category_ids, path, rejects, BOX_FIELDS.required)

    labels, labels_read = _label_sets(images, category_ids, path, rejects)
    read_counts["image_labels"] = labels_read

    url = images.column("coco_url")
    image_table = pa.table(
        {
            "image_id": images.column("id"),
            "source_image_id": pc.cast(images.column("id"), pa.string()),
            "file_name": _file_names(url),
            "width": images.column("width"),
            "height": images.column("height"),
            "license": pc.cast(images.column("license"), pa.string()),
            "url": url,
            "flickr_url": images.column("flickr_url"),
            "date_captured": images.column("date_captured"),
        }
    )
    box_table = pa.table(
        {
            **stored_box_columns(boxes),
            "iscrowd": pa.array(np.zeros(boxes.num_rows, dtype=bool)),
            "segmentation": boxes.column("segmentation"),
        }
    )
    out = output.split(split, [path])
    out.write("images", conform(image_table, IMAGES, source=NAME, split=split))
    out.write("boxes", conform(box_table, BOXES, source=NAME, split=split))
    out.write("image_labels", conform(labels, IMAGE_LABELS, source=NAME, split=split))
    return SplitData(split, [path], rejects, read_counts, out.close(rejects.table()))


def _label_sets(images: pa.Table, category_ids: np.ndarray, path: Path, rejects: Rejects) -> tuple[pa.Table, int]:
    """Explode neg_category_ids / not_exhaustive_category_ids into image_labels rows."""
    parts = []
    total = 0
    image_ids = images.column("id").to_numpy()
    index = images.column("_index").to_numpy()
    sorted_cats = np.sort(category_ids)
    for column, kind in (("neg_category_ids", "negative"), ("not_exhaustive_category_ids", "not_exhaustive")):
        lists = images.column(column).combine_chunks()
        rows = pc.list_parent_indices(lists).to_numpy()
        cats = pc.list_flatten(lists).fill_null(-1).to_numpy().astype(np.int64)
        total += len(cats)
        _, known = lookup(sorted_cats, cats)
        keep, failures = first_failures(
            len(cats),
            [Check("unknown_category", ~known, lambda r: [f"{column} lists category {c}, not in \"categories\"" for c in cats[r]])],
        )
        for reason, bad, details in failures:
            rejects.add(
                "image_labels", str(path), [f'"images"[{index[rows[i]]}].{column}' for i in bad], [str(image_ids[rows[i]]) for i in bad], reason, details
            )
        parts.append(
            pa.table(
                {
                    "image_id": pa.array(image_ids[rows[keep]], pa.int64()),
                    "category_id": pa.array(cats[keep], pa.int32()),
                    "kind": pa.array([kind] * int(keep.sum()), pa.string()),
                    "label_source": pa.array(["lvis"] * int(keep.sum()), pa.string()),
                }
            )
        )
    return pa.concat_tables(parts), total
