"""Detector output for ``bigdet eval``: a COCO results json (streamed) or a Parquet file.

A results json is one top-level list of ``{"image_id", "category_id", "bbox", "score"}`` and may be
several GB. It is memory-mapped and cut into ~32 MB runs of elements at ``}, {`` boundaries; each
run is parsed by pyarrow on a worker thread (``jsonstream.parse_chunk_whole``: a run pyarrow refuses
is re-read record by record with orjson, so a bad record is named) and reduced at once to numpy
columns. Only the columns are kept: ~40 bytes per detection.

Nothing is dropped silently: every bad detection (missing key, unknown image or category, a box
that is not four finite numbers or has no area, a score outside [0, 1]) is counted, and the run
stops with one line giving the counts per problem and the first offending record.
"""

from __future__ import annotations

import mmap
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import InputError
from ..jsonstream import DEFAULT_CHUNK_BYTES, ArrayChunk, Value, parse_chunk_whole, walk_list
from ..jsonstream import Fields, make_coercer
from .ground_truth import GroundTruth, _lookup

FIELDS = Fields(
    pa.schema([("image_id", pa.int64()), ("category_id", pa.int64()), ("bbox", pa.list_(pa.float64())), ("score", pa.float64())]),
    required=("image_id", "category_id", "bbox", "score"),
)
_WS = b" \t\r\n"


@dataclass
class Detections:
    image_id: np.ndarray  # int64, file order
    category_id: np.ndarray  # int64
    xywh: np.ndarray  # (n, 4) float64
    score: np.ndarray  # float64
    bad: dict  # reason -> count (records that could not be parsed)
    first_bad: tuple[int, str] | None  # (index, what) of the first unparsable record
    index: np.ndarray  # each detection's position in the file's list

    def __len__(self) -> int:
        return len(self.score)


@dataclass
class Scored:
    """Detections resolved against the ground truth: image and category as indices."""

    image: np.ndarray  # image index (GroundTruth.image_ids)
    cat: np.ndarray  # category index
    xywh: np.ndarray
    score: np.ndarray

    def __len__(self) -> int:
        return len(self.score)


def read(path: Path, *, pool: ThreadPoolExecutor | None = None, chunk_bytes: int = DEFAULT_CHUNK_BYTES) -> Detections:
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "not found")
    if path.suffix.lower() in (".parquet", ".pq"):
        return _read_parquet(path)
    own_pool = pool is None
    pool = pool or ThreadPoolExecutor(2)
    try:
        return _read_json(path, pool, chunk_bytes)
    finally:
        if own_pool:
            pool.shutdown()


def _read_parquet(path: Path) -> Detections:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as e:
        raise InputError(path, f"not a readable Parquet file: {e}") from None
    missing = [n for n in FIELDS.schema.names if n not in table.column_names]
    if missing:
        raise InputError(path, f"the Parquet file lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)} (it has: {', '.join(table.column_names)})")
    columns = {}
    for f in FIELDS.schema:
        column = table.column(f.name)
        if f.name == "bbox" and pa.types.is_fixed_size_list(column.type):
            column = column.cast(pa.list_(pa.float64()))
        try:
            columns[f.name] = column.cast(f.type)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
            raise InputError(path, f"column {f.name!r} is {column.type}, not {f.type}: {e}") from None
    table = pa.table(columns).append_column("_index", pa.array(np.arange(table.num_rows)))
    part = _columns(table)
    if part["first_bad"] is not None:
        bad, first = {part["first_bad"][1]: part["n_bad"]}, part["first_bad"]
    else:
        bad, first = {}, None
    if table.num_rows == 0:
        raise InputError(path, "no detections: the table is empty")
    return Detections(part["image_id"], part["category_id"], part["xywh"], part["score"], bad, first, part["index"])


def _columns(table: pa.Table) -> dict:
    """A parsed chunk to numpy columns; a row with a null field or a bbox of the wrong length is
    kept out and counted (its index and problem remembered) so the caller can report it."""
    index = table.column("_index").to_numpy()
    problem = np.zeros(table.num_rows, dtype=np.int8)  # 0 ok, 1 missing key, 2 bbox not 4 numbers
    first_what: dict[int, str] = {}
    for name in FIELDS.schema.names:
        nulls = table.column(name).is_null().to_numpy(zero_copy_only=False) if table.column(name).null_count else None
        if nulls is not None:
            rows = np.flatnonzero(nulls & (problem == 0))
            problem[rows] = 1
            if len(rows):
                first_what.setdefault(int(rows[0]), f"missing key {name!r}")
    bbox = table.column("bbox").combine_chunks()
    lengths = bbox.value_lengths().fill_null(4).to_numpy(zero_copy_only=False)
    inner_nulls = pc.list_flatten(bbox).null_count
    wrong = (lengths != 4) & (problem == 0)
    for r in np.flatnonzero(wrong)[:1]:
        first_what.setdefault(int(r), f"bbox has {lengths[r]} numbers, not [x, y, w, h]")
    problem[wrong] = 2
    ok = problem == 0
    n_bad = int((~ok).sum())
    first_bad = None
    if n_bad:
        r = min(first_what)
        first_bad = (int(index[r]), first_what[r])
        table = table.filter(pa.array(ok))
        bbox = table.column("bbox").combine_chunks()
    flat = pc.list_flatten(bbox)
    if inner_nulls:
        flat = flat.fill_null(float("nan"))
    return {
        "index": table.column("_index").to_numpy(),
        "image_id": table.column("image_id").to_numpy(),
        "category_id": table.column("category_id").to_numpy(),
        "xywh": flat.to_numpy(zero_copy_only=False).astype(np.float64).reshape(-1, 4),
        "score": table.column("score").to_numpy(),
        "n_bad": n_bad,
        "first_bad": first_bad,
        "problem_counts": {"missing key": int((problem == 1).sum()), "bbox not 4 numbers": int((problem == 2).sum())},
    }


def _chunks(path: Path, buf: mmap.mmap, size: int, chunk_bytes: int):
    """The runs of elements of the top-level list, as ArrayChunks."""
    pos = 0
    while pos < size and buf[pos] in _WS:
        pos += 1
    if pos >= size:
        raise InputError(path, "the file is empty")
    if buf[pos] != 0x5B:
        what = "an object (a COCO annotation file?)" if buf[pos] == 0x7B else repr(bytes(buf[pos : pos + 20]))
        raise InputError(path, f"a results file is a list of detections; this one starts with {what}", hint="give the detector's results json")
    end = size
    while end > pos and buf[end - 1] in _WS:
        end -= 1
    if end <= pos + 1 or buf[end - 1] != 0x5D:
        raise InputError(path, f"the file ends without closing the list (at byte {end}): it is truncated", hint="write it again")
    for item in walk_list(path, buf, "detections", chunk_bytes):
        if isinstance(item, Value):  # the list is empty
            raise InputError(path, "no detections: the list is empty")
        yield item


def _read_json(path: Path, pool: ThreadPoolExecutor, chunk_bytes: int) -> Detections:
    coerce = make_coercer(FIELDS)

    def work(chunk: ArrayChunk):
        table, bad = parse_chunk_whole(chunk, FIELDS.schema, coerce, path)
        return table, bad, _columns(table) if table.num_rows else None

    parts, bad_counts, first_bad = [], {}, None
    pending: deque = deque()
    done = 0

    def collect():
        nonlocal done, first_bad
        table, bad, columns = pending.popleft().result()
        n_rows = table.num_rows + len(bad)
        # the slow path numbers records from 0 within the chunk: make them the list's
        for record in bad:
            reason = "missing key" if record.reason == "missing_field" else "not a number" if record.reason == "bad_value" else record.reason
            bad_counts[reason] = bad_counts.get(reason, 0) + 1
            candidate = (done + record.index, record.detail)
            first_bad = candidate if first_bad is None or candidate[0] < first_bad[0] else first_bad
        if columns is not None:
            columns["index"] = columns["index"] + done
            if columns["first_bad"] is not None:
                for k, v in columns["problem_counts"].items():
                    if v:
                        bad_counts[k] = bad_counts.get(k, 0) + v
                candidate = (done + columns["first_bad"][0], columns["first_bad"][1])
                first_bad = candidate if first_bad is None or candidate[0] < first_bad[0] else first_bad
            parts.append(columns)
        done += n_rows

    size = path.stat().st_size
    if size == 0:
        raise InputError(path, "the file is empty")
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as buf:
        buf.madvise(mmap.MADV_SEQUENTIAL)
        for chunk in _chunks(path, buf, size, chunk_bytes):
            pending.append(pool.submit(work, chunk))
            while len(pending) > 3:
                collect()
        while pending:
            collect()
    cat = lambda key, dtype, shape=(0,): np.concatenate([p[key] for p in parts]) if parts else np.zeros(shape, dtype)  # noqa: E731
    return Detections(cat("image_id", np.int64), cat("category_id", np.int64), cat("xywh", np.float64, (0, 4)), cat("score", np.float64), bad_counts, first_bad,
                      cat("index", np.int64))


def resolve(det: Detections, gt: GroundTruth, path: Path) -> Scored:
    """Check every detection against the ground truth; stop on any bad one with the counts and the first."""
    n_read = len(det) + sum(det.bad.values())
    problems: dict[str, np.ndarray] = {}
    image, image_found = _lookup(gt.image_ids, det.image_id)
    cat, cat_found = _lookup(gt.category_ids, det.category_id)
    x, y, w, h = det.xywh.T if len(det) else (np.zeros(0),) * 4
    with np.errstate(invalid="ignore"):
        finite = np.isfinite(det.xywh).all(axis=1) if len(det) else np.zeros(0, bool)
        problems["unknown image_id"] = ~image_found
        problems["unknown category_id"] = image_found & ~cat_found
        problems["bbox not finite"] = ~finite
        problems["zero or negative box size"] = finite & ~((w > 0) & (h > 0))
        problems["score outside [0, 1]"] = ~((det.score >= 0) & (det.score <= 1))
    counts = dict(det.bad)
    first: tuple[int, str] | None = det.first_bad
    details = {
        "unknown image_id": lambda i: f"image_id {det.image_id[i]} is not in the ground truth",
        "unknown category_id": lambda i: f"category_id {det.category_id[i]} is not in the ground truth's categories",
        "bbox not finite": lambda i: f"bbox {det.xywh[i].tolist()} is not four finite numbers",
        "zero or negative box size": lambda i: f"bbox {det.xywh[i].tolist()} has zero or negative width or height",
        "score outside [0, 1]": lambda i: f"score {det.score[i]!r} is outside [0, 1]",
    }
    any_bad = np.zeros(len(det), dtype=bool)
    for reason, mask in problems.items():
        mask = mask & ~any_bad
        n = int(mask.sum())
        if n:
            counts[reason] = counts.get(reason, 0) + n
            i = int(np.flatnonzero(mask)[0])
            candidate = (int(det.index[i]), details[reason](i))
            if first is None or candidate[0] < first[0]:
                first = candidate
        any_bad |= mask
    if not len(det) and not counts:
        raise InputError(path, "no detections")
    if counts:
        total = sum(counts.values())
        listing = ", ".join(f"{v:,} {k}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
        index, what = first
        raise InputError(path, f"{total:,} of {n_read:,} detections are bad ({listing}); the first: {what}", record=f"[{index}]",
                         hint="fix the detector output; nothing was scored")
    return Scored(image, cat, det.xywh, det.score)
