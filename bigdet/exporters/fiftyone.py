"""``fiftyone``: FiftyOne's ``FiftyOneDataset`` directory format, as ``fo.Dataset.from_dir`` imports it.

Layout (FiftyOne's own exporter writes the same; media are not copied, ``filepath`` is absolute)::

    DEST/metadata.json    the dataset document: FiftyOne ``version``, media type, field schema, classes, info
    DEST/samples.json     {"samples": [...]}: one document per image, in MongoDB extended JSON

Load it with::

    import fiftyone as fo
    ds = fo.Dataset.from_dir("DEST", dataset_type=fo.types.FiftyOneDataset, name="bigdet", persistent=True)

FiftyOne's importer streams samples.json into its database as it is and then migrates the dataset
from the ``version`` written in metadata.json (``DOCUMENT_VERSION``) to the running FiftyOne's, so
the files stay loadable by later FiftyOne releases. ``bigdet browse`` loads through this format.

Per sample: ``filepath``, ``metadata`` (width, height), ``source``, ``split``, ``source_image_id``,
``bigdet_image_id``, ``annotation_file``, ``negative_labels`` / ``not_exhaustive_labels`` (class
names) and ``ground_truth``: one ``Detection`` per box with the unified ``label``, the box normalized
to [0, 1] (FiftyOne's [x, y, w, h] relative to the image), ``category_id``, ``annotation_id``,
``area``, ``iscrowd`` (bool), the class's ``parents`` and ``ancestors`` (names, groups included) and
the box's source attributes (Open Images' -1 / 0 / 1 flags as booleans, -1 "unknown" left unset).

Writing the documents here, instead of through FiftyOne's ``add_samples`` (about 1.6K boxes/s, which
validates an object per box), needs no FiftyOne at export time and runs at the json reader's pace.
Object ids are made here (12 bytes, as MongoDB's): the export's time, a kind byte (sample / box) and
a sequence number, so they are unique within the export and sort in export order.
"""

from __future__ import annotations

import json
import math
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc

from . import Merged, record

FORMAT = "fiftyone"
DESCRIPTION = "FiftyOne's FiftyOneDataset directory (metadata.json, samples.json): fo.Dataset.from_dir"
#: The FiftyOne version whose dataset document metadata.json follows; FiftyOne migrates from it on import.
DOCUMENT_VERSION = "1.0.0"
METADATA_FILE = "metadata.json"
SAMPLES_FILE = "samples.json"
LABEL_FIELD = "ground_truth"
_SAMPLE, _BOX = 0, 1  # object id kind byte

_FIELD = "fiftyone.core.fields."
_LABELS = "fiftyone.core.labels."


def write(merged: Merged, staging: Path, *, progress: Callable[[int, int], None] | None = None) -> dict:
    """Every file of the merged output (train and val), each sample tagged with its split."""
    from ..browse import read

    writer = SamplesWriter(staging)
    files = {}
    try:
        for path in merged.files:
            selection = read(path, "all")
            n = writer.add(selection, progress=progress)
            files[path.name] = {"split": merged.split_of(path), "images": n, "boxes": selection.boxes.num_rows}
            categories = selection.categories
    finally:
        writer.close()
    info = {"bigdet": {"source": str(merged.root.resolve()), "files": [f.name for f in merged.files], "split": "all", "limit": None}}
    writer.write_metadata(categories, info)
    return {
        "files": files,
        "images": sum(c["images"] for c in files.values()),
        "boxes": sum(c["boxes"] for c in files.values()),
        "fiftyone_document_version": DOCUMENT_VERSION,
    }


def write_selection(selection, dest: Path, info: dict, *, progress: Callable[[int, int], None] | None = None, batch: int = 2000) -> int:
    """One ``bigdet.browse.Selection`` as a FiftyOneDataset folder ``dest`` (what ``bigdet browse`` loads)."""
    dest.mkdir(parents=True, exist_ok=True)
    writer = SamplesWriter(dest)
    try:
        n = writer.add(selection, progress=progress, batch=batch)
    finally:
        writer.close()
    writer.write_metadata(selection.categories, info)
    return n


def ancestry(categories: list[dict]) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Per category id: the names of its direct parents, and of every node above it (classes and groups)."""
    names = {c["id"]: c["name"] for c in categories}
    parent_ids = {c["id"]: [p for p in (c.get("parent_ids") or []) if p in names] for c in categories}
    groups = {c["id"]: list(c.get("groups") or []) for c in categories}
    parents = {i: [names[p] for p in ps] for i, ps in parent_ids.items()}
    above: dict[int, list[str]] = {}
    for i in names:
        seen: list[str] = []
        stack, visited = [i], set()
        while stack:
            node = stack.pop()
            if node in visited:
                continue
            visited.add(node)
            for g in groups[node]:
                if g not in seen:
                    seen.append(g)
            for p in parent_ids[node]:
                if names[p] not in seen:
                    seen.append(names[p])
                stack.append(p)
        above[i] = sorted(seen)
    return parents, above


def box_attributes(boxes: pa.Table) -> dict[str, bool]:
    """The boxes' source attributes (columns beyond the COCO ones), each with whether it is an
    Open Images flag (integers 1 / 0 / -1, stored as booleans with -1 left unset)."""
    from ..browse import NOT_ATTRIBUTES

    core = set(record.names(record.ANNOTATION))
    return {name: _is_open_images_flag(boxes.column(name)) for name in boxes.column_names if name not in core and name not in NOT_ATTRIBUTES}


def _is_open_images_flag(column: pa.ChunkedArray) -> bool:
    if not pa.types.is_integer(column.type):
        return False
    values = pc.unique(column.drop_null()).to_pylist()
    return set(values) <= {-1, 0, 1}


def _attribute_ftype(arrow_type: pa.DataType, flag: bool) -> str:
    if pa.types.is_boolean(arrow_type) or flag:
        return "BooleanField"
    if pa.types.is_floating(arrow_type):
        return "FloatField"
    if pa.types.is_integer(arrow_type):
        return "IntField"
    return "StringField"


@dataclass
class SamplesWriter:
    """Streams sample documents into ``samples.json``; ``write_metadata`` then writes the schema they need."""

    dest: Path
    attributes: dict[str, str] = field(default_factory=dict)  # attribute -> FiftyOne field type
    samples: int = 0
    boxes: int = 0

    def __post_init__(self):
        self._time = int(time.time()) & 0xFFFFFFFF
        self._file = open(self.dest / SAMPLES_FILE, "wb")
        self._file.write(b'{"samples": [')

    def _oid(self, kind: int, seq: int) -> dict:
        return {"$oid": f"{self._time:08x}{kind:02x}{seq:014x}"}

    def add(self, selection, *, progress: Callable[[int, int], None] | None = None, batch: int = 2000) -> int:
        """Append the selection's images (with their boxes); returns how many."""
        from ..browse import rank

        attributes = box_attributes(selection.boxes)
        for a, flag in attributes.items():
            ftype = _attribute_ftype(selection.boxes.schema.field(a).type, flag)
            # the same attribute as a flag in one file and as numbers in another: keep the wider type
            if self.attributes.get(a, ftype) != ftype:
                ftype = "FloatField" if {ftype, self.attributes[a]} <= {"IntField", "FloatField", "BooleanField"} else "StringField"
            self.attributes[a] = ftype
        im, bx = selection.images, selection.boxes
        names = {c["id"]: c["name"] for c in selection.categories}
        parents, above = ancestry(selection.categories)
        order = np.argsort(bx.column("image_id").to_numpy(), kind="stable")
        bx = bx.take(pa.array(order))
        box_image = bx.column("image_id").to_numpy()
        box_ids = bx.column("id").to_pylist() if "id" in bx.column_names else [None] * bx.num_rows
        cols = {n: (bx.column(n).to_pylist() if n in bx.column_names else [None] * bx.num_rows) for n in ("category_id", "area", "iscrowd", *attributes)}
        flat = pc.list_flatten(bx.column("bbox").combine_chunks()).to_numpy(zero_copy_only=False).reshape(-1, 4).tolist() if bx.num_rows else []
        flags = {a for a, flag in attributes.items() if flag}
        ids = im.column("id").to_numpy()
        lo = np.searchsorted(box_image, ids, side="left").tolist()
        hi = np.searchsorted(box_image, ids, side="right").tolist()
        # FiftyOne's _rand (its random sampling) is drawn from [0.999, 1) there; here it comes
        # from the image id's rank, so the same output always gives the same documents
        rand = (0.999 + rank(ids).astype(np.float64) / 2.0**64 * 0.001).tolist()
        rows = {n: im.column(n).to_pylist() for n in im.column_names}
        total = im.num_rows
        _check_finite(selection.path, flat, cols["area"])
        if progress:
            progress(0, total)
        chunk: list[str] = []
        for i in range(total):
            w, h = rows["width"][i], rows["height"][i]
            detections = []
            for k in range(lo[i], hi[i]):
                x, y, bw, bh = flat[k]
                cat = cols["category_id"][k]
                # no empty "attributes": {} / "tags": []: FiftyOne fills in those defaults on load, and every
                # dict in samples.json costs its importer a Python object_hook call (measured: bench/RESULTS.md)
                d = {
                    "_id": self._oid(_BOX, self.boxes),
                    "_cls": "Detection",
                    "label": names.get(cat, str(cat)),
                    "bounding_box": [x / w, y / h, bw / w, bh / h],
                    "category_id": cat,
                    "annotation_id": box_ids[k],
                    "area": cols["area"][k],
                    "iscrowd": bool(cols["iscrowd"][k]),
                    "parents": parents.get(cat, []),
                    "ancestors": above.get(cat, []),
                }
                self.boxes += 1
                for a in attributes:
                    v = cols[a][k]
                    if v is not None and not (a in flags and v == -1):  # -1: Open Images' "unknown"
                        d[a] = bool(v) if a in flags else v
                detections.append(d)
            doc = {
                "_id": self._oid(_SAMPLE, self.samples),
                "filepath": rows["filepath"][i],
                "tags": [],
                "metadata": {"_cls": "ImageMetadata", "width": w, "height": h},
                "_media_type": "image",
                "_rand": rand[i],
                "source": rows["source"][i],
                "split": rows["split"][i],
                "source_image_id": rows["source_image_id"][i],
                "bigdet_image_id": rows["id"][i],
                "annotation_file": rows["annotation_file"][i],
                "negative_labels": [names.get(c, str(c)) for c in rows["neg_category_ids"][i] or []],
                "not_exhaustive_labels": [names.get(c, str(c)) for c in rows["not_exhaustive_category_ids"][i] or []],
                LABEL_FIELD: {"_cls": "Detections", "detections": detections},
            }
            chunk.append(orjson.dumps(doc))
            self.samples += 1
            if len(chunk) == batch:
                self._flush(chunk)
                chunk = []
                if progress:
                    progress(i + 1, total)
        self._flush(chunk)
        if progress:
            progress(total, total)
        return total

    def _flush(self, chunk: list[bytes]) -> None:
        if not chunk:
            return
        if self._file.tell() > len(b'{"samples": ['):
            self._file.write(b",")
        self._file.write(b",\n".join(chunk))

    def close(self) -> None:
        if not self._file.closed:
            self._file.write(b"]}\n")
            self._file.close()

    def write_metadata(self, categories: list[dict], info: dict) -> None:
        """metadata.json: the dataset document FiftyOne's exporter writes, for the fields of ``add``."""
        parents, _ = ancestry(categories)
        detection_fields = [
            _field("id", "ObjectIdField", db_field="_id"),
            _field("tags", "ListField", subfield=_FIELD + "StringField"),
            _field("attributes", "DictField", subfield=_FIELD + "EmbeddedDocumentField", embedded_doc_type=_LABELS + "Attribute"),
            _field("label", "StringField"),
            _field("bounding_box", "ListField", subfield=_FIELD + "FloatField"),
            _field("mask", "ArrayField"),
            _field("mask_path", "StringField"),
            _field("confidence", "FloatField"),
            _field("index", "IntField"),
            _field("category_id", "IntField"),
            _field("annotation_id", "IntField"),
            _field("area", "FloatField"),
            _field("iscrowd", "BooleanField"),
            _field("parents", "ListField", subfield=_FIELD + "StringField"),
            _field("ancestors", "ListField", subfield=_FIELD + "StringField"),
            *[_field(a, ftype) for a, ftype in sorted(self.attributes.items())],
        ]
        sample_fields = [
            _field("id", "ObjectIdField", db_field="_id"),
            _field("filepath", "StringField"),
            _field("tags", "ListField", subfield=_FIELD + "StringField"),
            _field("_rand", "FloatField"),
            _field("_media_type", "StringField"),
            _field("_dataset_id", "ObjectIdField"),
            _field("metadata", "EmbeddedDocumentField", embedded_doc_type="fiftyone.core.metadata.ImageMetadata", fields=[
                _field("size_bytes", "IntField"),
                _field("mime_type", "StringField"),
                _field("width", "IntField"),
                _field("height", "IntField"),
                _field("num_channels", "IntField"),
            ]),
            _field("created_at", "DateTimeField", read_only=True),
            _field("last_modified_at", "DateTimeField", read_only=True),
            *[_field(n, "StringField") for n in ("source", "split", "source_image_id", "annotation_file")],
            _field("bigdet_image_id", "IntField"),
            *[_field(n, "ListField", subfield=_FIELD + "StringField") for n in ("negative_labels", "not_exhaustive_labels")],
            _field(LABEL_FIELD, "EmbeddedDocumentField", embedded_doc_type=_LABELS + "Detections", fields=[
                _field("detections", "ListField", subfield=_FIELD + "EmbeddedDocumentField", embedded_doc_type=_LABELS + "Detection",
                       fields=detection_fields),
            ]),
        ]
        doc = {
            "version": DOCUMENT_VERSION,
            "media_type": "image",
            "sample_fields": sample_fields,
            "frame_fields": [],
            "default_classes": [c["name"] for c in sorted(categories, key=lambda c: c["id"])],
            "classes": {},
            "mask_targets": {},
            "default_mask_targets": {},
            "skeletons": {},
            "info": {**info, "hierarchy_parents": {c["name"]: parents[c["id"]] for c in categories}},
            "tags": [],
            "saved_views": [],
            "workspaces": [],
            "annotation_runs": {},
            "brain_methods": {},
            "evaluations": {},
            "runs": {},
        }
        tmp = self.dest / (METADATA_FILE + ".tmp")
        tmp.write_text(json.dumps(doc, indent=1) + "\n")
        os.replace(tmp, self.dest / METADATA_FILE)


def _check_finite(path, boxes: list, areas: list) -> None:
    """JSON has no NaN or infinity (orjson would write them as null): stop on one, naming the file."""
    if not np.isfinite(np.asarray(boxes, dtype=np.float64)).all() or any(a is not None and not math.isfinite(a) for a in areas):
        raise ValueError(f"{path}: a box or area is not a finite number; run `bigdet validate` on it")


def _field(name: str, ftype: str, *, subfield: str | None = None, embedded_doc_type: str | None = None, fields: list | None = None,
           db_field: str | None = None, read_only: bool = False) -> dict:
    """A field descriptor as FiftyOne's dataset document holds it (``SampleFieldDocument``)."""
    return {
        "name": name,
        "ftype": _FIELD + ftype,
        "embedded_doc_type": embedded_doc_type,
        "subfield": subfield,
        "fields": fields or [],
        "db_field": db_field if db_field is not None else name,
        "description": None,
        "info": None,
        "read_only": read_only,
        "created_at": None,  # the importer sets it
    }
