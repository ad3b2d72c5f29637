"""Training-side access to a ``bigdet export --format parquet`` folder, without json, in little memory.

``BigDetDataset(folder, split)`` behaves like a list of detectron2-style dicts::

    {"file_name": "/abs/path/img.jpg", "height": 480, "width": 640, "image_id": 17,
     "annotations": [{"bbox": [x, y, w, h], "bbox_mode": 1, "category_id": 5, "iscrowd": 0}, ...],
     "neg_category_ids": [...], "not_exhaustive_category_ids": [...], "source": "lvis"}

``bbox_mode`` 1 is detectron2's ``BoxMode.XYWH_ABS`` (absolute pixels, as in the json). Category ids
are the merged json's ids, or with ``contiguous_ids=True`` 0-based indices into the categories sorted
by id (what detectron2 and MMDetection models expect; the label-set lists are mapped the same way).

Why not the json: ``json.load`` of the full Objects365 train file takes tens of GB, and each dataloader
worker holds its own copy of the Python objects.

Layout. The split's Parquet shards are converted once into a record file
(``FOLDER/.cache/<split>.records``, rebuilt when the shards change) in which one image's data is one
contiguous run of bytes: a fixed header (image id, size, counts, source, how the label sets are stored),
its boxes (float64 x, y, w, h), category ids (int32), label sets (uint16, or int32 where an id does not
fit), crowd flags (uint8) and file name. A label set is stored as its ids or, where that is shorter, as
positions left out of its source's template (the sorted ids of that source's lists, in the meta): an
Objects365 image's ~305 negatives are its source's ~311 covered classes minus the few present, and the
item then copies a list of shared ints instead of making ~305 (``_label_templates``).
``<split>.index.npy`` holds where each record starts. An item is one ``pread`` of its record and a few
``memoryview.cast`` slices. Processes opening the folder at once (DDP ranks, workers)
build the cache once, under a lock, and each reads one build's complete set (``RecordFile``).

Memory. Records are read with ``pread``, not through a mapping of the whole file: a mapped file's pages
count in the resident memory of every process that touched them, and on a fault the kernel maps up to
64 KB of cached pages around it (fault-around, which ``MADV_RANDOM`` does not stop), so random reads of a
mapped multi-GB file soon make each process's RSS that file's size (measured: bench/RESULTS.md "Loader").
Read with ``pread``, the file's pages stay in the page cache, shared by every process reading it and
reclaimable; a process holds the index (mapped, 8 bytes an image) and the item it builds. Pickling the
dataset pickles only its arguments: a worker opens the same files.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import operator
import os
import shutil
import struct
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)
import pyarrow.parquet as pq

from .errors import InputError
from .exporters import record

XYWH_ABS = 1  # detectron2.structures.BoxMode.XYWH_ABS, without importing detectron2
CACHE_DIR = ".cache"
CACHE_BATCH_ROWS = 1 << 16  # images converted at a time: bounds the conversion's memory
#: A record's header: image id, width, height, boxes, stored negative ids, stored not-exhaustive ids, file
#: name bytes, source (index into the cache's sources), a padding byte, the template code of the negative and
#: of the not-exhaustive list (0: the ids as they are; k: the cache's template k - 1 without the positions
#: stored); 32 bytes (the boxes after it stay 8-byte aligned).
HEADER = struct.Struct("<qiiIHHHBxHH")
ALIGN = 8  # every record starts at a multiple of 8
FORMAT_VERSION = 2  # 2: label sets as a template minus positions where that is shorter
# the parquet columns read, by the record's declaration
IMAGE_ID, FILE_NAME, WIDTH, HEIGHT, SOURCE, NEG, NEX = (
    record.field(record.IMAGE, k).column for k in ("id", "file_name", "width", "height", "source", *record.LABEL_SETS)
)
CATEGORY_ID, BBOX, ISCROWD = (record.field(record.ANNOTATION, k).column for k in ("category_id", "bbox", "iscrowd"))


def _export_report(folder: Path) -> dict:
    path = folder / "export_report.json"
    if not path.exists():
        raise InputError(folder, "no export_report.json", hint="give a folder written by `bigdet export OUT --format parquet`")
    report = json.loads(path.read_text())
    if report.get("format") != "parquet":
        raise InputError(path, f"this is a {report.get('format')!r} export, not parquet", hint="run `bigdet export OUT --format parquet`")
    return report


def categories(folder: str | Path) -> list[dict]:
    """The merged categories (id, name, ...) of a parquet export, sorted by id."""
    return sorted(json.loads((Path(folder) / "categories.json").read_text()), key=lambda c: c["id"])


def _shards(folder: Path, split: str, report: dict) -> list[Path]:
    names = report.get("shards", {}).get(split)
    if not names:
        raise InputError(folder, f"no {split!r} split", hint=f"splits here: {', '.join(report.get('shards', {})) or 'none'}")
    return [folder / "data" / n for n in names]


class RecordFile:
    """The record file of a split, its index and sizes, (re)built from the shards when they changed.

    The four files (``.records``, ``.index.npy``, ``.sizes.npy``, ``.meta.json``) are one set: the
    meta names the shards they were built from and is what says the set is complete. DDP ranks and
    dataloader workers open the same folder at once, so the set is read under a shared ``flock`` of
    ``<split>.lock`` and built under an exclusive one (re-checked once held: another process may have
    built it meanwhile). A build writes into ``<split>.building/`` and swaps: the meta is removed first
    and written last, so a build killed at any point leaves the old complete set or none (no meta).
    Once opened (a descriptor, two mappings), files replaced later do not change what this reads.
    """

    def __init__(self, folder: Path, split: str, shards: list[Path], cache_dir: Path | None, max_category_id: int):
        where = Path(cache_dir) if cache_dir is not None else folder / CACHE_DIR
        self.path = where / f"{split}.records"
        self.index_path = where / f"{split}.index.npy"
        self.sizes_path = where / f"{split}.sizes.npy"  # per image: boxes, shorter side (for the filters)
        self.meta_path = where / f"{split}.meta.json"
        self._building = where / f"{split}.building"
        key = json.loads(json.dumps([FORMAT_VERSION, [[p.name, p.stat().st_size, p.stat().st_mtime_ns] for p in shards]]))
        where.mkdir(parents=True, exist_ok=True)
        with _locked(where / f"{split}.lock", fcntl.LOCK_SH) as lock:
            opened = self._open(key)
            if opened is None and lock is None:
                raise InputError(where, f"no current record cache of the {split!r} split, and this folder cannot be written", hint="pass cache_dir= a writable folder")
            if opened is None:
                fcntl.flock(lock, fcntl.LOCK_EX)  # (gives up the shared lock while it waits)
                opened = self._open(key)
                if opened is None:
                    self._build(shards, key, np.uint16 if max_category_id < (1 << 16) else np.int32)
                    opened = self._open(key)
                    if opened is None:  # not expected: the set just written does not read back
                        raise InputError(self.meta_path, "the record cache just built does not read back", hint=f"delete {where} and retry")
        self.meta, self.fd, self.index, self.sizes = opened

    def _open(self, key) -> tuple[dict, int, np.ndarray, np.ndarray] | None:
        """The set (meta, records descriptor, index, sizes) when it is complete and built from ``key``'s shards."""
        try:
            meta = json.loads(self.meta_path.read_text())
        except (FileNotFoundError, ValueError):
            return None
        if meta.get("key") != key:
            return None
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            return None
        try:
            index = np.load(self.index_path, mmap_mode="r")  # mapped: 8 bytes an image, shared through the page cache
            sizes = np.load(self.sizes_path, mmap_mode="r")
        except (FileNotFoundError, ValueError):
            os.close(fd)
            return None
        n = meta.get("images")
        # the files agree with each other (a set mixed by something else than a build here is rebuilt)
        if not isinstance(n, int) or len(index) != n + 1 or len(sizes) != n or int(index[-1]) != os.fstat(fd).st_size:
            os.close(fd)
            return None
        return meta, fd, index, sizes

    def _build(self, shards: list[Path], key: list, id_type) -> None:
        """Label-set ids as ``id_type``: uint16 (half the bytes of the bulk of the file, the negatives)
        when every category id fits. Called under the exclusive lock."""
        building = self._building
        shutil.rmtree(building, ignore_errors=True)  # left by a killed build
        building.mkdir()
        sources, templates = _label_templates(shards, id_type)
        starts = [np.zeros(1, dtype=np.uint64)]
        sizes = []
        written = 0
        with open(building / self.path.name, "wb") as out:
            for shard in shards:
                for batch in pq.ParquetFile(shard).iter_batches(batch_size=CACHE_BATCH_ROWS):
                    blob, ends, size = _records(batch, sources, templates, id_type, shard)
                    out.write(blob)
                    starts.append(ends.astype(np.uint64) + np.uint64(written))
                    sizes.append(size)
                    written += len(blob)
        np.save(building / self.index_path.name, np.concatenate(starts))
        np.save(building / self.sizes_path.name, np.concatenate(sizes) if sizes else np.zeros((0, 2), dtype=np.int32))
        meta = {"key": key, "sources": sources, "id_type": np.dtype(id_type).char, "images": int(sum(len(s) for s in sizes)),
                "templates": [t.tolist() for t in templates.values()]}
        (building / self.meta_path.name).write_text(json.dumps(meta))
        self.meta_path.unlink(missing_ok=True)  # first: from here until the new meta is in, there is no set
        for target in (self.path, self.index_path, self.sizes_path, self.meta_path):  # the meta last
            os.replace(building / target.name, target)
        building.rmdir()


@contextlib.contextmanager
def _locked(path: Path, how: int):
    """``path`` opened and ``flock``-ed (released on leaving, or when the process dies); None in a
    folder that cannot be written and has no lock file (no one can build there: a complete set is read)."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    except OSError as e:
        if e.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise
        try:
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            yield None
            return
    try:
        fcntl.flock(fd, how)
        yield fd
    finally:
        os.close(fd)


def _scatter(buf: np.ndarray, starts: np.ndarray, lengths: np.ndarray, values: np.ndarray) -> None:
    """Copy ``values`` (record after record, ``lengths[i]`` of them for record i) into ``buf`` at byte
    offsets ``starts`` (each a multiple of the values' item size)."""
    values = np.ascontiguousarray(values)
    n = int(lengths.sum())
    if n == 0:
        return
    unit = values.dtype.itemsize
    first = np.cumsum(lengths) - lengths
    position = np.repeat(starts // unit - first, lengths) + np.arange(n)
    buf.view(values.dtype)[position] = values[:n]


def _list_parts(column: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """Per-row lengths and the flat values of a list column (a null list: empty; the export writes none)."""
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    lengths = column.value_lengths().fill_null(0).to_numpy().astype(np.int64)
    return lengths, column.flatten()


def _source_codes(names: list, sources: list[str], shard: Path) -> np.ndarray:
    """Each row's source as an index into ``sources`` (extended in order of first appearance: the same
    file whatever the hash seed)."""
    for s in dict.fromkeys(names):
        if s not in sources:
            sources.append(s)
    if len(sources) > 256:
        raise InputError(shard, f"more than 256 sources ({len(sources)}): a record holds a source in one byte", hint="merge fewer datasets")
    code = {s: k for k, s in enumerate(sources)}
    return np.array([code[s] for s in names], dtype=np.uint8)


def _label_templates(shards: list[Path], id_type) -> tuple[list[str], dict[tuple[int, int], np.ndarray]]:
    """The build's first pass: the sources (in order of first appearance) and, per source and label set
    (0: negatives, 1: not-exhaustive), the sorted ids that occur in that source's lists: its template.

    Why: most of the label-set ids are an Objects365 image's negatives, every class its source covers
    except the few in the image (~305 of 311 at ``--scale 0.05``): stored as "the template without
    positions p, q" an item copies a list of shared int objects and deletes a few, instead of making
    ~305 ints (and, with ``contiguous_ids``, mapping each). Numbered in (source, label set) order."""
    sources: list[str] = []
    found = [np.zeros((0, 0), dtype=bool), np.zeros((0, 0), dtype=bool)]  # per label set: [source, id] occurs
    limit = np.iinfo(id_type).max
    for shard in shards:
        for batch in pq.ParquetFile(shard).iter_batches(batch_size=CACHE_BATCH_ROWS, columns=[SOURCE, NEG, NEX]):
            codes = _source_codes(batch.column(SOURCE).to_pylist(), sources, shard).astype(np.int32)
            for kind, column in enumerate((NEG, NEX)):
                lengths, values = _list_parts(batch.column(column))
                if not len(values):
                    continue
                if pa.compute.max(values).as_py() > limit or pa.compute.min(values).as_py() < 0:
                    raise InputError(shard, f"a label-set id outside 0..{limit}, not among the categories", hint="export one merge's output at a time")
                values = values.to_numpy(zero_copy_only=False)
                shape = (len(sources), max(found[kind].shape[1], int(values.max()) + 1))
                wide = np.int64 if shape[0] * shape[1] >= 1 << 31 else np.int32
                values = values.astype(wide, copy=False)
                if found[kind].shape != shape:
                    grown = np.zeros(shape, dtype=bool)
                    grown[: found[kind].shape[0], : found[kind].shape[1]] = found[kind]
                    found[kind] = grown
                found[kind].reshape(-1)[np.repeat(codes.astype(wide) * shape[1], lengths) + values] = True
    return sources, {(code, kind): np.flatnonzero(found[kind][code]) for code in range(len(sources)) for kind in (0, 1)
                     if code < found[kind].shape[0] and found[kind][code].any()}


def _place(out: np.ndarray, at: np.ndarray, lengths: np.ndarray, values: np.ndarray) -> None:
    """Segments of ``values`` (``lengths[i]`` of them for the i-th) into ``out`` from element ``at[i]``."""
    n = int(lengths.sum())
    if n:
        out[np.repeat(at - (np.cumsum(lengths) - lengths), lengths) + np.arange(n)] = values


def _label_set(lengths: np.ndarray, values: np.ndarray, codes: np.ndarray, kind: int, templates: dict, id_type, shard: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One label-set column of a batch as stored: per row the count of stored values and the template
    code (0: the ids as they are; k: template k - 1 without the positions stored, largest first, the
    order an item deletes them in), and the stored values back to back. A row is stored against its
    source's template when its ids are strictly increasing (a subsequence of the sorted template) and
    fewer positions are left out than it has ids: then the record is shorter and the item cheaper."""
    n = len(lengths)
    stored, code = lengths.copy(), np.zeros(n, dtype=np.uint16)
    if not len(values):
        return stored, code, values.astype(id_type)
    values = values.astype(np.int32, copy=False)  # (0..id_type's max: checked by the first pass)
    row_of = np.repeat(np.arange(n, dtype=np.int32), lengths)
    increasing = np.ones(n, dtype=bool)
    step = np.flatnonzero(np.diff(values) <= 0) + 1  # where an id is not above the one before it...
    increasing[row_of[step][row_of[step] == row_of[step - 1]]] = False  # ...in the same row
    removed = []
    top = int(values.max())
    for number, (key, template) in enumerate(templates.items(), 1):
        if key[1] != kind:
            continue
        width = len(template)
        rows = np.flatnonzero((codes == key[0]) & increasing & (lengths > 0) & (width - lengths < lengths))
        if not len(rows):
            continue
        code[rows], stored[rows] = number, width - lengths[rows]
        position = np.full(max(int(template[-1]), top) + 1, -1, dtype=np.int32)  # id -> its place in the template
        position[template] = np.arange(width)
        # (a bounded number of rows at a time: a (rows, width) mask)
        step_rows = max(1, (1 << 24) // width)
        for k in range(0, len(rows), step_rows):
            part = rows[k : k + step_rows]
            in_part = np.zeros(n, dtype=bool)
            in_part[part] = True
            at = position[values[np.repeat(in_part, lengths)]]  # the rows' ids, row after row, as places
            if at.min() < 0:  # not expected: the first pass saw every id
                raise InputError(shard, "a label-set id the record cache's first pass did not see", hint="did the shards change during the build? open the dataset again")
            mask = np.ones((len(part), width), dtype=bool)
            mask.reshape(-1)[np.repeat(np.arange(len(part), dtype=np.int64) * width, lengths[part]) + at] = False
            _, column = np.nonzero(mask[:, ::-1])  # per row, positions from the largest
            removed.append((part, width - 1 - column))
    out = np.empty(int(stored.sum()), dtype=id_type)
    at = np.cumsum(stored) - stored
    raw = code == 0
    _place(out, at[raw], lengths[raw], values[raw[row_of]])
    for part, positions in removed:
        _place(out, at[part], stored[part], positions)
    return stored, code, out


def _records(batch: pa.RecordBatch, sources: list[str], templates: dict, id_type, shard: Path) -> tuple[bytes, np.ndarray, np.ndarray]:
    """One batch of rows as records back to back: the bytes, each record's end, and (boxes, shorter side)."""
    n = batch.num_rows
    if n == 0:
        return b"", np.zeros(0, dtype=np.int64), np.zeros((0, 2), dtype=np.int32)
    col = batch.column
    n_box, bbox = _list_parts(col(BBOX))
    _, cats = _list_parts(col(CATEGORY_ID))
    _, crowd = _list_parts(col(ISCROWD))
    n_neg, neg = _list_parts(col(NEG))
    n_nex, nex = _list_parts(col(NEX))
    names = col(FILE_NAME)
    name_offsets = np.frombuffer(names.buffers()[1], dtype=np.int32)[names.offset : names.offset + n + 1].astype(np.int64)
    name_bytes = np.frombuffer(names.buffers()[2], dtype=np.uint8)[name_offsets[0] : name_offsets[-1]]
    n_name = np.diff(name_offsets)
    if (n_neg >= 1 << 16).any() or (n_nex >= 1 << 16).any() or (n_name >= 1 << 16).any():
        raise InputError(shard, "an image with 65,536 or more label-set ids or file-name bytes", hint="is this a bigdet export?")
    source_code = _source_codes(col(SOURCE).to_pylist(), sources, shard)  # (the ids' range: checked by the first pass)
    n_neg, neg_template, neg = _label_set(n_neg, neg.to_numpy(zero_copy_only=False), source_code, 0, templates, id_type, shard)
    n_nex, nex_template, nex = _label_set(n_nex, nex.to_numpy(zero_copy_only=False), source_code, 1, templates, id_type, shard)
    unit = np.dtype(id_type).itemsize
    size = HEADER.size + 32 * n_box + 4 * n_box + unit * (n_neg + n_nex) + n_box + n_name
    size = (size + ALIGN - 1) // ALIGN * ALIGN
    ends = np.cumsum(size)
    starts = ends - size
    buf = np.zeros(int(ends[-1]), dtype=np.uint8)
    header = np.zeros(n, dtype=np.dtype([("id", "<i8"), ("w", "<i4"), ("h", "<i4"), ("boxes", "<u4"), ("neg", "<u2"), ("nex", "<u2"),
                                          ("name", "<u2"), ("source", "u1"), ("pad", "V1"), ("neg_template", "<u2"), ("nex_template", "<u2")]))
    assert header.dtype.itemsize == HEADER.size
    width, height = col(WIDTH).to_numpy(zero_copy_only=False), col(HEIGHT).to_numpy(zero_copy_only=False)
    header["id"], header["w"], header["h"] = col(IMAGE_ID).to_numpy(zero_copy_only=False), width, height
    header["boxes"], header["neg"], header["nex"], header["name"], header["source"] = n_box, n_neg, n_nex, n_name, source_code
    header["neg_template"], header["nex_template"] = neg_template, nex_template
    _scatter(buf, starts, np.full(n, HEADER.size), header.view(np.uint8))
    at = starts + HEADER.size
    _scatter(buf, at, 4 * n_box, bbox.flatten().to_numpy(zero_copy_only=False).astype("<f8"))
    at = at + 32 * n_box
    _scatter(buf, at, n_box, cats.to_numpy(zero_copy_only=False).astype("<i4"))
    at = at + 4 * n_box
    _scatter(buf, at, n_neg, neg)
    at = at + unit * n_neg
    _scatter(buf, at, n_nex, nex)
    at = at + unit * n_nex
    _scatter(buf, at, n_box, crowd.to_numpy(zero_copy_only=False).astype(np.uint8))
    at = at + n_box
    _scatter(buf, at, n_name, name_bytes)
    return buf.tobytes(), ends, np.stack([n_box, np.minimum(width, height)], 1).astype(np.int32)


class BigDetDataset:
    """A split of a parquet export as a sequence of detectron2-style dicts (see the module docstring).

    ``image_root`` overrides the root the merge recorded (images moved); ``keep_empty=False`` drops
    images without boxes and ``min_size`` images whose shorter side is under that many pixels (the
    filter BigDetection's trainer applies before its sampler: ``keep_empty=False, min_size=32``).
    """

    def __init__(
        self,
        folder: str | Path,
        split: str = "train",
        *,
        image_root: str | Path | None = None,
        cache_dir: str | Path | None = None,
        contiguous_ids: bool = False,
        keep_empty: bool = True,
        min_size: int = 0,
    ):
        self._args = dict(folder=str(folder), split=split, image_root=None if image_root is None else str(image_root),
                          cache_dir=None if cache_dir is None else str(cache_dir), contiguous_ids=contiguous_ids, keep_empty=keep_empty, min_size=min_size)
        self.folder = Path(folder)
        self.split = split
        report = _export_report(self.folder)
        root = image_root if image_root is not None else report.get("image_root") or str(self.folder)
        self._root = str(root).rstrip("/") + "/"
        self.categories = categories(self.folder)
        self._lut: list[int] | None = None
        if contiguous_ids:
            lut = [-1] * (max((c["id"] for c in self.categories), default=0) + 1)
            for k, c in enumerate(self.categories):
                lut[c["id"]] = k
            self._lut = lut
        top = max((c["id"] for c in self.categories), default=0)
        records = RecordFile(self.folder, split, _shards(self.folder, split, report), cache_dir, top)
        self.path = records.path
        self._fd = records.fd
        self._sources = records.meta["sources"]
        # code k > 0: the template k - 1 as a list of int objects (mapped: the item's values) that items copy
        self._templates = [None] + [list(t) if self._lut is None else [self._lut[k] for k in t] for t in records.meta["templates"]]
        self._id_format = records.meta["id_type"]
        self._id_size = struct.calcsize(self._id_format)
        index = records.index
        self._starts = memoryview(np.asarray(index))  # Python ints on indexing, several times faster than numpy's
        self._n = len(index) - 1
        self._rows = None
        if not keep_empty or min_size > 0:
            sizes = records.sizes
            keep = np.ones(self._n, dtype=bool)
            if not keep_empty:
                keep &= sizes[:, 0] > 0
            if min_size > 0:
                keep &= sizes[:, 1] >= min_size
            rows = np.flatnonzero(keep)
            self._rows = memoryview(rows.astype(np.int32 if self._n < (1 << 31) else np.int64))

    def __del__(self):
        fd = getattr(self, "_fd", None)
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass

    # -- pickling: the arguments only; the worker opens the same files ---------------------------

    def __getstate__(self) -> dict:
        return self._args

    def __setstate__(self, args: dict) -> None:
        args = dict(args)
        self.__init__(args.pop("folder"), args.pop("split"), **args)

    # -- the sequence ----------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._n if self._rows is None else len(self._rows)

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __getitem__(self, i: int) -> dict:
        rows = self._rows
        n = self._n if rows is None else len(rows)
        try:
            i = operator.index(i)
        except TypeError:
            raise TypeError(f"BigDetDataset indices must be integers, not {type(i).__name__}") from None
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(f"index {i} out of range for {n} images")
        row = i if rows is None else rows[i]
        start = self._starts[row]
        data = memoryview(os.pread(self._fd, self._starts[row + 1] - start, start))
        image_id, width, height, nb, nn, nx, nl, source, neg_template, nex_template = HEADER.unpack_from(data)
        # the record's parts, each cast in place and turned into Python values in C (a (nb, 4) cast
        # gives the boxes as lists of four). Most of an item's time is making and freeing its Python
        # objects; the alternatives measured and dropped: bench/RESULTS.md "Loader ..., full-size image count"
        a = HEADER.size
        b = a + 32 * nb
        c = b + 4 * nb
        u = self._id_size
        d = c + u * nn
        e = d + u * nx
        f = e + nb
        ids = self._id_format
        lut = self._lut
        # a label set stored against a template: a copy of the template's list (shared int objects, already
        # mapped with contiguous_ids: no new ints, no lut pass) without the positions stored, largest first.
        # Written out for each of the two sets: as one function called twice an item was 4-7% slower (measured)
        if neg_template:
            neg = self._templates[neg_template].copy()
            for k in data[c:d].cast(ids):
                del neg[k]
        elif lut is None:
            neg = data[c:d].cast(ids).tolist() if nn else []
        else:
            neg = [lut[k] for k in data[c:d].cast(ids).tolist()] if nn else []
        if nex_template:
            nex = self._templates[nex_template].copy()
            for k in data[d:e].cast(ids):
                del nex[k]
        elif lut is None:
            nex = data[d:e].cast(ids).tolist() if nx else []
        else:
            nex = [lut[k] for k in data[d:e].cast(ids).tolist()] if nx else []
        if not nb:
            annotations = []
        elif lut is None:
            boxes, cats, crowd = data[a:b].cast("d", (nb, 4)).tolist(), data[b:c].cast("i").tolist(), data[e:f].tolist()
            annotations = [{"bbox": box, "bbox_mode": XYWH_ABS, "category_id": k, "iscrowd": z} for box, k, z in zip(boxes, cats, crowd)]
        else:  # (mapped as the dicts are made: ~3% of an item against a second pass over them)
            boxes, cats, crowd = data[a:b].cast("d", (nb, 4)).tolist(), data[b:c].cast("i").tolist(), data[e:f].tolist()
            annotations = [{"bbox": box, "bbox_mode": XYWH_ABS, "category_id": lut[k], "iscrowd": z} for box, k, z in zip(boxes, cats, crowd)]
        return {
            "file_name": self._root + str(data[f : f + nl], "utf-8"),
            "height": height,
            "width": width,
            "image_id": image_id,
            "annotations": annotations,
            "neg_category_ids": neg,
            "not_exhaustive_category_ids": nex,
            "source": self._sources[source],
        }


# -- detectron2 --------------------------------------------------------------------------------


def _torch_class():
    from torch.utils.data import Dataset

    cls = globals().get("_TORCH_CLASS")
    if cls is None:
        cls = type("TorchBigDetDataset", (BigDetDataset, Dataset), {"__module__": __name__})
        globals()["_TORCH_CLASS"] = cls
    return cls


def __getattr__(name: str):
    # created on first use (torch is not a dependency); a name pickle can find in a spawned worker
    if name == "TorchBigDetDataset":
        return _torch_class()
    raise AttributeError(name)


def _as_torch_dataset(dataset: BigDetDataset):
    """The same object as a ``torch.utils.data.Dataset`` when torch is there: detectron2's
    ``get_detection_dataset_dicts`` then uses it as it is instead of copying it into a list."""
    try:
        dataset.__class__ = _torch_class()
    except ImportError:
        pass
    return dataset


def register_detectron2(name: str, folder: str | Path, split: str = "train", **options) -> None:
    """Register a split with detectron2's ``DatasetCatalog`` (and its ``MetadataCatalog``).

    Category ids are made contiguous (``thing_dataset_id_to_contiguous_id`` holds the map, as for
    detectron2's own COCO datasets). detectron2 is imported here, not at bigdet's import.
    """
    from detectron2.data import DatasetCatalog, MetadataCatalog

    options = {**options, "contiguous_ids": True}
    DatasetCatalog.register(name, lambda: _as_torch_dataset(BigDetDataset(folder, split, **options)))
    cats = categories(folder)
    report = _export_report(Path(folder))
    MetadataCatalog.get(name).set(
        thing_classes=[c["name"] for c in cats],
        thing_dataset_id_to_contiguous_id={c["id"]: k for k, c in enumerate(cats)},
        image_root=str(options.get("image_root") or report.get("image_root") or folder),
    )


# -- MMDetection -------------------------------------------------------------------------------


def to_mmdet(record: dict, index: int | None = None) -> dict:
    """One item (with contiguous ids) as an MMDetection 3.x data info: ``instances`` with xyxy
    ``bbox``, ``bbox_label`` and ``ignore_flag`` (1 for crowd boxes, as mmdet's CocoDataset does)."""
    info = {
        "img_path": record["file_name"],
        "img_id": record["image_id"],
        "height": record["height"],
        "width": record["width"],
        "instances": [
            {"bbox": [x, y, x + w, y + h], "bbox_label": a["category_id"], "ignore_flag": int(a["iscrowd"])}
            for a in record["annotations"]
            for x, y, w, h in (a["bbox"],)
        ],
        "neg_category_ids": record["neg_category_ids"],
        "not_exhaustive_category_ids": record["not_exhaustive_category_ids"],
        "source": record["source"],
    }
    if index is not None:
        info["sample_idx"] = index
    return info


def register_mmdet(type_name: str = "BigDetParquetDataset"):
    """Define and register (in mmdet's ``DATASETS``) a dataset type reading a parquet export.

    Config use: ``dict(type="BigDetParquetDataset", ann_file="/path/to/parquet_export", split="train",
    pipeline=[...])``. It subclasses ``mmdet.datasets.BaseDetDataset`` and replaces its data list by
    this module's memory-mapped dataset (``full_init``, ``get_data_info``, ``__len__``), so mmengine's
    serialization of the whole list into every worker is not needed. Returns the class.
    """
    from mmdet.datasets import BaseDetDataset
    from mmdet.registry import DATASETS

    class BigDetParquetDataset(BaseDetDataset):
        def __init__(self, *args, split: str = "train", bigdet_options: dict | None = None, **kwargs):
            self._split = split
            self._bigdet_options = {**(bigdet_options or {}), "contiguous_ids": True}
            self._source = None
            kwargs.setdefault("serialize_data", False)
            super().__init__(*args, **kwargs)

        def full_init(self) -> None:
            if self._fully_initialized:
                return
            self._source = BigDetDataset(self.ann_file, self._split, **self._bigdet_options)
            self._metainfo["classes"] = tuple(c["name"] for c in self._source.categories)
            self._fully_initialized = True

        def load_data_list(self) -> list:
            return []  # not used: items come from the mapped dataset (full_init)

        def __len__(self) -> int:
            self.full_init()
            return len(self._source)

        def get_data_info(self, idx: int) -> dict:
            self.full_init()
            return to_mmdet(self._source[idx], idx)

    BigDetParquetDataset.__name__ = BigDetParquetDataset.__qualname__ = type_name
    DATASETS.register_module(name=type_name, module=BigDetParquetDataset, force=True)
    return BigDetParquetDataset
