"""A user's COCO detection dataset (``bigdet merge --sources lvis oi o365 NAME=PATH``) into the common schema.

PATH is a COCO detection json (read as train), or a folder holding one ``*train*.json`` and at most
one ``*val*.json`` (a folder with a single json: that file is train). Each file is the usual
``{"images": [{id, file_name, width, height, ...}], "annotations": [{id, image_id, category_id, bbox,
area, iscrowd}], "categories": [{id, name, supercategory}]}``; ``file_name`` is kept as given, under
the dataset's image root (``bigdet.sources.registry.image_dir``). Images may carry LVIS-style
``neg_category_ids`` / ``not_exhaustive_category_ids``: they become ``image_labels`` rows, and the
dataset's label policy is then LVIS' instead of "exhaustive over its classes" (``SourceData.label_lists``).

A file that is not COCO detection json, duplicate category ids or names (the same text twice: "timer" and
"Timer" are two classes, as in V3Det), a category list that differs
between train and val, or a box whose category is not in ``categories`` stops the run with one line
naming the file and record. Other bad records are rejected with a reason code, as for LVIS.

The dataset's classes are mapped onto the label space by ``dataset_mapping``: the table the user
reviewed (``--mapping NAME=CSV``, the columns of ``taxonomy/mappings/*.csv``), else the automatic matcher.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..checks import CLASS_TABLE_IDS, Check, Rejects, bad_path, category_problem, reject_rows
from ..errors import InputError
from ..schema import BOXES, CATEGORIES, IMAGE_LABELS, IMAGES, conform
from . import SourceData, SplitData
from .cocojson import COCO_BOX_COLUMNS, COCO_BOX_REQUIRED, COCO_IMAGE_COLUMNS, Fields, check_boxes, check_images, read_document, reject_unreadable, stored_box_columns
from .registry import UserDataset

VERSION = "coco"

IMAGE_FIELDS = Fields(
    pa.schema(
        [
            *COCO_IMAGE_COLUMNS,
            ("file_name", pa.string()),
            ("license", pa.int64()),
            ("coco_url", pa.string()),
            ("flickr_url", pa.string()),
            ("date_captured", pa.string()),
            ("neg_category_ids", pa.list_(pa.int64())),
            ("not_exhaustive_category_ids", pa.list_(pa.int64())),
        ]
    ),
    required=("id", "width", "height", "file_name"),
)
# No segmentation: COCO crowd boxes carry RLE dicts, polygons are not exported.
BOX_FIELDS = Fields(
    pa.schema(
        [
            *COCO_BOX_COLUMNS,
            ("iscrowd", pa.int64()),
        ]
    ),
    required=COCO_BOX_REQUIRED,
)


def split_files(path: Path) -> dict[str, Path]:
    """{"train": ..., "val": ...} of a dataset PATH (see the module docstring)."""
    path = Path(path)
    if path.is_file():
        return {"train": path}
    if not path.is_dir():
        raise InputError(path, "no such file or folder", hint="give NAME=PATH with PATH a COCO json or a folder of them")
    jsons = sorted(p for p in path.iterdir() if p.suffix.lower() == ".json" and p.is_file())
    found = {split: [p for p in jsons if split in p.name.lower()] for split in ("train", "val")}
    for split, files in found.items():
        if len(files) > 1:
            raise InputError(path, f"holds {len(files)} *{split}*.json files ({', '.join(p.name for p in files)}); keep one per split")
    if found["train"]:
        return {"train": found["train"][0], **({"val": found["val"][0]} if found["val"] else {})}
    if len(jsons) == 1:
        return {"train": jsons[0]}
    if found["val"]:
        raise InputError(path, f"holds {found['val'][0].name} but no *train*.json", hint="a dataset needs its train file")
    raise InputError(path, f"no *train*.json (it holds {len(jsons)} .json files)", hint="name the files *train*.json and *val*.json")


class DatasetReader:
    """The reader interface of ``bigdet.sources`` (input_files, read) for one user dataset."""

    def __init__(self, dataset: UserDataset):
        self.dataset = dataset
        self.name = dataset.name

    def input_files(self, layout=None) -> list[Path]:
        return list(split_files(self.dataset.path).values())

    def read(self, layout=None, *, output, chunk_bytes: int, progress=None, workers: int | None = None) -> SourceData:
        output.version = VERSION
        data: SourceData | None = None
        for split, path in split_files(self.dataset.path).items():
            doc = read_document(path, IMAGE_FIELDS, BOX_FIELDS, chunk_bytes, progress, workers)
            categories = _categories(doc.categories, path, self.name)
            if data is None:
                data = SourceData(self.name, VERSION, categories)
            elif not data.categories.select(["category_id", "name"]).equals(categories.select(["category_id", "name"])):
                raise InputError(path, "its category list differs from the train file's (ids or names)", hint="train and val must share one category list")
            split_data, lists = _split(doc, split, categories, output, self.name)
            data.splits.append(split_data)
            data.label_lists |= lists
        return data


def for_dataset(dataset: UserDataset) -> DatasetReader:
    return DatasetReader(dataset)


def _categories(records, path: Path, name: str) -> pa.Table:
    if not isinstance(records, list) or not records:
        raise InputError(path, '"categories" is empty', hint="a COCO detection file lists its classes")
    rows, ids, names = [], {}, {}
    for i, record in enumerate(records):
        problem = category_problem(record, id_range=CLASS_TABLE_IDS)
        if problem:
            raise InputError(path, problem, record=f'"categories"[{i}]')
        cid, clean = record["id"], record["name"].strip()
        if cid in ids:
            raise InputError(path, f"category id {cid} appears twice (first at \"categories\"[{ids[cid]}])", record=f'"categories"[{i}]')
        if not clean:
            raise InputError(path, "category name is empty", record=f'"categories"[{i}]')
        if clean in names:  # only the same text: V3Det's own classes include "timer" and "Timer"
            raise InputError(path, f"category name {clean!r} appears twice (first at \"categories\"[{names[clean]}])", record=f'"categories"[{i}]')
        ids[cid], names[clean] = i, i
        parent = record.get("supercategory")
        rows.append({"category_id": cid, "name": record["name"], "clean_name": clean,
                     "parents": [parent.strip()] if isinstance(parent, str) and parent.strip() else None, "version": VERSION})
    table = pa.Table.from_pylist(sorted(rows, key=lambda r: r["category_id"]), schema=pa.schema(
        [("category_id", pa.int32()), ("name", pa.string()), ("clean_name", pa.string()), ("parents", pa.list_(pa.string())), ("version", pa.string())]))
    return conform(table, CATEGORIES, source=name)


def _split(doc, split: str, categories: pa.Table, output, name: str) -> tuple[SplitData, bool]:
    path = doc.path
    category_ids = categories.column("category_id").to_numpy().astype(np.int64)
    _stop_on_unknown_category(doc.boxes, category_ids, path)
    rejects = Rejects(name, split)
    read_counts = reject_unreadable(doc, rejects)
    raw_name = doc.images.column("file_name")
    detail = lambda rows: [f"file_name {n!r} is not a path inside the image folder" for n in raw_name.take(rows).to_pylist()]  # noqa: E731
    images = reject_rows(doc.images, path, rejects, "images", "images", [Check("bad_path", bad_path(raw_name), detail)])
    images = check_images(images, path, rejects, IMAGE_FIELDS.required)
    boxes = check_boxes(doc.boxes, images, category_ids, path, rejects, BOX_FIELDS.required)

    lists = any(images.column(c).null_count < images.num_rows for c in ("neg_category_ids", "not_exhaustive_category_ids")) if images.num_rows else False
    from .lvis import _label_sets  # the same LVIS-style lists, exploded the same way

    labels, labels_read = _label_sets(images, category_ids, path, rejects)
    labels = labels.set_column(labels.schema.get_field_index("label_source"), "label_source", pa.array([name] * labels.num_rows, pa.string()))
    read_counts["image_labels"] = labels_read

    image_table = pa.table(
        {
            "image_id": images.column("id"),
            "source_image_id": pc.cast(images.column("id"), pa.string()),
            "file_name": images.column("file_name"),
            "width": images.column("width"),
            "height": images.column("height"),
            "license": pc.cast(images.column("license"), pa.string()),
            "url": images.column("coco_url"),
            "flickr_url": images.column("flickr_url"),
            "date_captured": images.column("date_captured"),
        }
    )
    box_table = pa.table(
        {
            **stored_box_columns(boxes),
            "iscrowd": pc.not_equal(boxes.column("iscrowd"), 0).fill_null(False),
        }
    )
    out = output.split(split, [path])
    out.write("images", conform(image_table, IMAGES, source=name, split=split))
    out.write("boxes", conform(box_table, BOXES, source=name, split=split))
    out.write("image_labels", conform(labels, IMAGE_LABELS, source=name, split=split))
    return SplitData(split, [path], rejects, read_counts, out.close(rejects.table())), lists


def _stop_on_unknown_category(boxes: pa.Table, category_ids: np.ndarray, path: Path) -> None:
    """A box of a class the file does not list: the file and its categories do not belong together."""
    cats = boxes.column("category_id")
    known = pc.is_in(cats, value_set=pa.array(category_ids)).fill_null(True).to_numpy(zero_copy_only=False)
    if not known.all():
        row = int(np.flatnonzero(~known)[0])
        index = boxes.column("_index")[row].as_py()
        raise InputError(path, f"category_id {cats[row].as_py()} is not in \"categories\" ({int((~known).sum())} boxes of unknown categories)",
                         record=f'"annotations"[{index}]', hint="the annotations and the category list are from different files?")


# -- mapping onto the label space -----------------------------------------------------------------


def dataset_mapping(dataset: UserDataset, categories: pa.Table, label_space) -> tuple[dict, ...]:
    """The mapping rows (``taxonomy.mapping.COLUMNS``) of a dataset's classes: the reviewed table
    given as ``--mapping``, else the automatic matcher's decisions."""
    if dataset.mapping is not None:
        return read_mapping(Path(dataset.mapping), categories, label_space)
    from bigdet.taxonomy.mapping import SourceClass, map_classes

    classes = [SourceClass(dataset.name, cid, clean, clean, parents=tuple(parents or ()))
               for cid, clean, parents in zip(*(categories.column(c).to_pylist() for c in ("category_id", "clean_name", "parents")))]
    return tuple(d.row() for d in map_classes(classes, label_space))


def read_mapping(path: Path, categories: pa.Table, label_space) -> tuple[dict, ...]:
    """A reviewed mapping table: every row names a class of the dataset and a target of the label space
    (by name and id, which must agree), or leaves the target empty (unmapped)."""
    from bigdet.taxonomy.mapping import COLUMNS, METHODS

    try:  # newline="": a quoted name may hold line breaks; utf-8-sig: a spreadsheet may have saved a BOM
        with open(path, newline="", encoding="utf-8-sig") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(path, f"cannot read the mapping table ({e})") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    needed = ("source_category_id", "target", "target_id", "method")
    missing = [c for c in needed if c not in (reader.fieldnames or ())]
    if missing:
        raise InputError(path, f"lacks the column(s) {', '.join(missing)}", hint=f"columns: {', '.join(COLUMNS)} (write one with `bigdet merge` and edit it)")
    # the dataset's classes by id (with their names): a table made for another dataset, or one that
    # leaves classes out, is refused rather than applied as if it fitted
    known = dict(zip(categories.column("category_id").to_pylist(), categories.column("clean_name").to_pylist()))
    rows, seen = [], set()
    for line, r in enumerate(reader, start=2):
        record = f"line {line}"
        try:
            cid = int(r["source_category_id"])
        except (TypeError, ValueError):
            raise InputError(path, f"source_category_id {r['source_category_id']!r} is not an integer", record=record) from None
        if cid not in known:
            raise InputError(path, f"source_category_id {cid} is not a category of the dataset", record=record)
        if cid in seen:
            raise InputError(path, f"source_category_id {cid} appears twice", record=record)
        name = (r.get("source_name") or "").strip()
        if name and name.casefold() != known[cid].casefold():
            raise InputError(path, f"source_name {name!r} is not the dataset's class {cid} ({known[cid]!r})", record=record,
                             hint="the table was made for another dataset, or its ids were edited")
        seen.add(cid)
        target, target_id = (r["target"] or "").strip(), (r["target_id"] or "").strip()
        if target or target_id:
            t = label_space.by_name.get(target)
            if t is None:
                raise InputError(path, f"target {target!r} is not a class of the label space {label_space.name}", record=record)
            if target_id != str(t.id):
                raise InputError(path, f"target_id {target_id!r} is not {target}'s id {t.id} in {label_space.name}", record=record)
        method = (r["method"] or "").strip() or ("manual" if target else "none")
        if method not in METHODS:
            raise InputError(path, f"method {method!r} is not one of {', '.join(METHODS)}", record=record)
        if (method == "none") != (not target):
            raise InputError(path, f"method {method!r} with target {target!r}: a mapped row needs a method other than none, an unmapped one none", record=record)
        rows.append({c: (r.get(c) or "") for c in COLUMNS} | {"source_category_id": cid, "target": target, "target_id": target_id, "method": method})
    left_out = [cid for cid in known if cid not in seen]
    if left_out:
        raise InputError(path, f"has no row for {len(left_out)} of the dataset's {len(known)} classes (first: id {left_out[0]}, {known[left_out[0]]!r})",
                         hint="every class needs a row; leave target and target_id empty (method none) to leave a class unmapped")
    return tuple(rows)


def write_mapping(path: Path, rows: tuple[dict, ...]) -> None:
    """The table a merge used, in the columns of the shipped tables (to review, edit, pass as --mapping)."""
    from bigdet.taxonomy.mapping import rows_bytes

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(rows_bytes(rows))  # inside the run's staging folder: made visible by its one rename
