"""The part LVIS and Objects365 share: reading a COCO-style JSON document into raw Arrow tables.

Source modules say which fields they want (as pyarrow schemas under the JSON field names) and
which are required; this module streams the file (see ``bigdet.jsonstream``), checks that the
records have the expected shape, and hands back raw tables plus the records that failed parsing.
The source module then turns them into the common schema and runs the value checks.
"""

from __future__ import annotations

import math
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc

from ..checks import Check, IndexOf, Rejects, const, duplicate_mask, first_failures, fmt_rows, is_null, lookup, numpy_column, outside_image, split_bbox
from ..errors import InputError
from ..jsonstream import ArrayChunk, BadRecord, Fields, Value, iter_document, make_coercer, parse_chunk  # noqa: F401  (Fields, make_coercer: the sources' API)
from ..workers import resolve as resolve_workers

#: What every COCO-style input file has (LVIS, Objects365, users' COCO datasets): an image's id and
#: size (int32 as stored: a size beyond 32 bits is a bad_value, not a crash), a box's ids, bbox and
#: area. Each reader adds its format's own fields after these.
COCO_IMAGE_COLUMNS = [("id", pa.int64()), ("width", pa.int32()), ("height", pa.int32())]
COCO_BOX_COLUMNS = [("id", pa.int64()), ("image_id", pa.int64()), ("category_id", pa.int64()), ("bbox", pa.list_(pa.float64())), ("area", pa.float64())]
COCO_BOX_REQUIRED = ("id", "image_id", "category_id", "bbox")


@dataclass
class CocoDocument:
    path: Path
    images: pa.Table  # raw fields plus "_index"
    boxes: pa.Table
    categories: list[dict]
    bad_images: list[BadRecord] = field(default_factory=list)
    bad_boxes: list[BadRecord] = field(default_factory=list)
    other: dict[str, object] = field(default_factory=dict)


#: What ``last_two_parts`` computes, as the regular expressions it stands for (and falls back to)
LAST_TWO_PARTS = {False: r"^(?:.*/)?([^/]+/[^/]+)$", True: r"^.*/([^/]+/[^/]+)$"}


def last_two_parts(names: pa.ChunkedArray | pa.Array, *, need_parent: bool = False) -> pa.Array:
    """Each path's last two parts ("images/v1/patch8/x.jpg" -> "patch8/x.jpg"); a path without two
    non-empty last parts (or, with ``need_parent``, without a folder above them) is kept as it is.

    Exactly ``pc.replace_substring_regex(names, LAST_TWO_PARTS[need_parent], r"\\1")``, which costs
    ~2.8 us a name (re2 backtracking over the whole path: 5 s for Objects365's 1.7M train images);
    here the cut is found with numpy from the positions of the "/" bytes (a "/" byte is never part of
    a multi-byte UTF-8 character, so the result stays valid text) and the kept bytes are copied in one
    masked pass. Nulls or a newline in a name (re2's ``.`` stops at it) take the regex.
    """
    regex = LAST_TWO_PARTS[need_parent]
    array = names.combine_chunks() if isinstance(names, pa.ChunkedArray) else names
    if array.null_count or not pa.types.is_string(array.type) or len(array) == 0:
        return pc.replace_substring_regex(array, regex, r"\1")
    offsets = np.frombuffer(array.buffers()[1], np.int32, len(array) + 1, array.offset * 4).astype(np.int64)
    data = np.frombuffer(array.buffers()[2], np.uint8, offsets[-1] - offsets[0], offsets[0]) if offsets[-1] > offsets[0] else np.empty(0, np.uint8)
    starts, ends = offsets[:-1] - offsets[0], offsets[1:] - offsets[0]
    if len(data) and (data == 0x0A).any():
        return pc.replace_substring_regex(array, regex, r"\1")
    slashes = np.flatnonzero(data == 0x2F)
    before_end = np.searchsorted(slashes, ends)  # slashes before each name's end
    count = before_end - np.searchsorted(slashes, starts)
    last = slashes[np.maximum(before_end - 1, 0)] if len(slashes) else np.zeros(len(array), np.int64)
    second = slashes[np.maximum(before_end - 2, 0)] if len(slashes) else np.zeros(len(array), np.int64)
    parent = np.where(count >= 2, second, starts - 1)  # the "/" above the last two parts, or just before the name
    cut = (count >= (2 if need_parent else 1)) & (last > parent + 1) & (last < ends - 1)
    drop = np.where(cut, parent + 1 - starts, 0)  # bytes cut from the front of each name
    cutting = drop > 0
    marks = np.zeros(len(data) + 1, np.int8)  # +1 where a cut begins, -1 where it ends (inside the name)
    marks[starts[cutting]] = 1
    marks[(starts + drop)[cutting]] = -1
    kept = data[np.cumsum(marks[:-1], dtype=np.int8) == 0]
    new_offsets = np.zeros(len(array) + 1, np.int64)
    np.cumsum(ends - starts - drop, out=new_offsets[1:])
    return pa.StringArray.from_buffers(len(array), pa.py_buffer(new_offsets.astype(np.int32)), pa.py_buffer(kept.tobytes()))


def stored_box_columns(boxes: pa.Table) -> dict[str, pa.ChunkedArray]:
    """The store's box columns every COCO-style reader fills the same way (checked boxes with the
    bbox split into x, y, w, h); a reader adds its format's own (iscrowd, attributes) after them."""
    return {"box_id": boxes.column("id"), **{c: boxes.column(c) for c in ("image_id", "category_id", "x", "y", "w", "h", "area")}}


def read_document(path: Path, image_fields: Fields, box_fields: Fields, chunk_bytes: int, progress=None, workers: int | None = None) -> CocoDocument:
    """Stream ``path`` and return its images, annotations and categories.

    The main thread walks the file (the exact scan of ``jsonstream``: numpy, one core) while ``workers``
    threads (at most MAX_PARSE_THREADS) parse the chunks already cut (``parse_chunk``: pyarrow, the GIL
    released; ~10% less CPU than ``parse_chunk_whole`` here) and split their boxes; at most two chunks
    per thread wait, which bounds memory. Walking and parsing took turns on one thread before, and the
    walk is a fifth of a full-size Objects365 read (py-spy). The tables are in file order, and the first
    error in file order is the one raised, whatever the number of workers.
    """
    parts: dict[str, list[pa.Table]] = {"images": [], "annotations": []}
    bad: dict[str, list[BadRecord]] = {"images": [], "annotations": []}
    fields = {"images": image_fields, "annotations": box_fields}
    coercers = {k: make_coercer(f) for k, f in fields.items()}
    other: dict[str, object] = {}
    streamed: set[str] = set()
    next_index = {"images": 0, "annotations": 0}
    threads = min(resolve_workers(workers), MAX_PARSE_THREADS)
    pending: deque = deque()

    def parse(item: ArrayChunk):
        table, bad_records = parse_chunk(item, fields[item.key].schema, coercers[item.key], path)
        if table.num_rows + len(bad_records) != len(item.ends):  # every element is a row or a bad record
            # the scan counts objects: an element that is none (null, a number) is a damaged file
            other = next((b for b in bad_records if b.record is None), None)
            if other is not None:
                raise InputError(path, f'elements of "{item.key}" must be objects: {other.detail}', record=f'"{item.key}"[{other.index}]',
                                 hint="the file looks damaged; re-download it")
            raise InputError(path, f"internal error: {len(item.ends)} elements of {item.key!r} gave {table.num_rows} rows and {len(bad_records)} bad records")
        return (_compact_boxes(table) if item.key == "annotations" else table), bad_records

    def collect() -> None:
        item, future = pending.popleft()
        table, bad_records = future.result()  # a worker's failure (an InputError naming the record) is raised here
        parts[item.key].append(table)
        bad[item.key].extend(bad_records)
        if progress is not None:
            progress(len(item.text))

    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix=f"parse {path.name}") as pool:
        try:
            for item in _walk(iter_document(path, set(parts), chunk_bytes), pending, collect):
                if isinstance(item, Value):
                    other[item.key] = item.value
                    continue
                assert isinstance(item, ArrayChunk)
                streamed.add(item.key)
                item.first_index = next_index[item.key]  # known before parsing: each element is one row or one bad record
                next_index[item.key] += len(item.ends)
                if item.first_index == 0:
                    _check_first_record(path, item, fields[item.key])
                pending.append((item, pool.submit(parse, item)))
                while len(pending) > 2 * threads:
                    collect()
            while pending:
                collect()
        except BaseException:
            for _, future in pending:
                future.cancel()
            raise
    for key in ("images", "annotations", "categories"):
        present = key in other or key in streamed
        if not present:
            raise InputError(path, f'the top-level object has no "{key}" array', hint="is this a COCO-style detection file?")
        if key in other and not isinstance(other[key], list):
            raise InputError(path, f'"{key}" is not an array')
    for key in parts:
        other.pop(key, None)  # an empty array: nothing was streamed
    categories = other.pop("categories")
    return CocoDocument(
        path=path,
        images=_concat(parts["images"], image_fields.schema),
        boxes=_concat(parts["annotations"], _compact_boxes(pa.Table.from_pylist([], schema=box_fields.schema)).schema),
        categories=categories,
        bad_images=bad["images"],
        bad_boxes=bad["annotations"],
        other=other,
    )


#: The walk (~290 MB/s on one core) keeps about five of pyarrow's parsers (~55 MB/s each) busy; more
#: would only hold more chunks in memory (up to two 32 MB chunks a thread wait, each with its copy).
MAX_PARSE_THREADS = 4


def _walk(items, pending: deque, collect) -> Iterator:
    """``items`` as they come; when the walk fails (damage past the chunks cut so far), the chunks
    already handed to the workers are collected first, so that a bad record in one of them, earlier
    in the file, is the error reported, whatever the number of workers."""
    items = iter(items)
    while True:
        try:
            item = next(items)
        except StopIteration:
            return
        except InputError:
            while pending:
                collect()
            raise
        yield item


def _concat(tables: list[pa.Table], schema: pa.Schema) -> pa.Table:
    if not tables:
        empty = pa.Table.from_pylist([], schema=schema)
        return empty if "_index" in schema.names else empty.append_column("_index", pa.array([], pa.int64()))
    return pa.concat_tables(tables)


def _compact_boxes(table: pa.Table) -> pa.Table:
    """Replace the list<double> ``bbox`` by four float64 columns and an ok flag, chunk by chunk:
    flat columns concatenate and filter many times faster than lists."""
    bbox = table.column("bbox")
    xywh, ok = split_bbox(bbox)
    table = table.remove_column(table.schema.get_field_index("bbox"))
    for k, name in enumerate(("x", "y", "w", "h")):
        table = table.append_column(name, pa.array(xywh[:, k]))
    return table.append_column("_bbox_ok", pa.array(ok)).append_column("_bbox_null", bbox.is_null())


def _check_first_record(path: Path, chunk: ArrayChunk, fields: Fields) -> None:
    """Stop on a structurally wrong file: its first record lacks a required field (renamed, wrong format)."""
    text = chunk.text[: int(chunk.ends[0]) + 1]
    try:
        first = orjson.loads(text)
    except orjson.JSONDecodeError as e:
        raise InputError(path, f"invalid JSON: {e.msg}", record=f'"{chunk.key}"[0]', hint="the file is damaged; re-download it") from None
    if not isinstance(first, dict):
        raise InputError(path, f'"{chunk.key}" elements must be objects', record=f'"{chunk.key}"[0]')
    missing = [name for name in fields.required if name not in first]
    if missing:
        raise InputError(
            path,
            f"records lack the field{'s' if len(missing) > 1 else ''} {', '.join(repr(m) for m in missing)} "
            f"(the first record has: {', '.join(first)})",
            record=f'"{chunk.key}"[0]',
            hint="a renamed field or a file of another format",
        )


# -- value checks shared by COCO-style sources --------------------------------------------------


def reject_unreadable(doc: CocoDocument, rejects: Rejects) -> dict[str, int]:
    """Send the records of ``doc`` that could not be read to ``rejects``, and count the records read per table
    (stored + rejected: what the accounting reconciles)."""
    _reject_bad_records(rejects, "images", doc.path, "images", doc.bad_images)
    _reject_bad_records(rejects, "boxes", doc.path, "annotations", doc.bad_boxes)
    return {"images": doc.images.num_rows + len(doc.bad_images), "boxes": doc.boxes.num_rows + len(doc.bad_boxes)}


def _reject_bad_records(rejects: Rejects, table: str, path: Path, key: str, bad: list[BadRecord]) -> None:
    by_reason: dict[str, list[BadRecord]] = {}
    for record in bad:
        by_reason.setdefault(record.reason, []).append(record)
    for reason, records in by_reason.items():
        rejects.add(
            table,
            str(path),
            [f'"{key}"[{r.index}]' for r in records],
            [None if not r.record or r.record.get("id") is None else str(r.record.get("id")) for r in records],
            reason,
            [r.detail for r in records],
        )


def check_images(images: pa.Table, path: Path, rejects: Rejects, required: tuple[str, ...]) -> pa.Table:
    """Reject images with missing fields, bad sizes or duplicate ids; return the kept raw rows."""
    n = images.num_rows
    index = images.column("_index").to_numpy()
    ids = numpy_column(images, "id", np.int64, 0)
    width = numpy_column(images, "width", np.float64)
    height = numpy_column(images, "height", np.float64)
    missing = np.zeros(n, dtype=bool)
    for name in required:
        missing |= is_null(images, name)
    missing_names = _null_fields(images, required)
    checks = [
        Check("missing_field", missing, lambda rows: [f"field {missing_names(r)!r} is absent or null" for r in rows]),
        Check(
            "bad_size",
            ~(width > 0) | ~(height > 0),
            fmt_rows("width {w:g} and height {h:g} must be positive", w=width, h=height),
        ),
        Check("duplicate_image_id", duplicate_mask(ids, ~missing), fmt_rows("image id {i} appears before", i=ids)),
    ]
    keep, failures = first_failures(n, checks)
    for reason, rows, details in failures:
        rejects.add("images", str(path), [f'"images"[{i}]' for i in index[rows]], [str(i) for i in ids[rows]], reason, details)
    return images.filter(pa.array(keep)) if failures else images


def check_boxes(boxes: pa.Table, images: pa.Table, category_ids: np.ndarray, path: Path, rejects: Rejects, required: tuple[str, ...]):
    """Reject bad boxes; return the kept rows (with x, y, w, h columns)."""
    n = boxes.num_rows
    index = boxes.column("_index").to_numpy()
    ids = numpy_column(boxes, "id", np.int64, 0)
    image_ids = numpy_column(boxes, "image_id", np.int64, 0)
    cat_ids = numpy_column(boxes, "category_id", np.int64, 0)
    xywh = [boxes.column(c).to_numpy() for c in ("x", "y", "w", "h")]
    bbox_ok = boxes.column("_bbox_ok").to_numpy(zero_copy_only=False)
    # the bbox list is gone (see _compact_boxes): its nulls are in _bbox_null
    required = tuple("_bbox_null" if r == "bbox" else r for r in required)
    missing = np.zeros(n, dtype=bool)
    for name in required:
        missing |= boxes.column(name).to_numpy(zero_copy_only=False) if name == "_bbox_null" else is_null(boxes, name)
    missing_names = _null_fields(boxes, required)

    img_ids = images.column("id").to_numpy()
    order = np.argsort(img_ids)
    rows, image_found = IndexOf(img_ids[order], order).lookup(image_ids)
    if len(img_ids):
        width = images.column("width").to_numpy().astype(np.float64)[rows]
        height = images.column("height").to_numpy().astype(np.float64)[rows]
    else:  # no image left (all rejected, or none in the file): every box is missing its image
        width, height = np.full(n, np.nan), np.full(n, np.nan)
    width[~image_found] = np.nan
    height[~image_found] = np.nan
    _, category_found = lookup(np.sort(category_ids), cat_ids)
    with np.errstate(invalid="ignore"):
        nonpositive = ~(xywh[2] > 0) | ~(xywh[3] > 0)
    box_text = lambda rows: [f"bbox {[_num(c[r]) for c in xywh]}" for r in rows]  # noqa: E731
    checks = [
        Check("missing_field", missing, lambda rows: [f"field {missing_names(r)!r} is absent or null" for r in rows]),
        Check("bad_bbox", ~bbox_ok, const("bbox must be a list of four finite numbers [x, y, w, h]")),
        Check("nonpositive_size", nonpositive, lambda rows: [t + " has zero or negative size" for t in box_text(rows)]),
        Check("duplicate_box_id", duplicate_mask(ids, ~missing), fmt_rows("annotation id {i} appears before", i=ids)),
        Check("unknown_category", ~category_found, fmt_rows("category_id {c} is not in \"categories\"", c=cat_ids)),
        Check("missing_image", ~image_found, fmt_rows("image_id {i} is not in \"images\" (or was rejected)", i=image_ids)),
        Check(
            "outside_image",
            outside_image(xywh, width, height),
            lambda rows: [f"{t} lies outside the {width[r]:g}x{height[r]:g} image" for t, r in zip(box_text(rows), rows)],
        ),
    ]
    keep, failures = first_failures(n, checks)
    # where a rejected box's image and category are ones the file lists, the rejects keep them (merge, rule 4)
    known_image = image_found & ~is_null(boxes, "image_id")
    known_category = category_found & ~is_null(boxes, "category_id")
    for reason, rows, details in failures:
        rejects.add("boxes", str(path), [f'"annotations"[{i}]' for i in index[rows]], [str(i) for i in ids[rows]], reason, details,
                    image_ids=_known(image_ids, known_image, rows), category_ids=_known(cat_ids, known_category, rows))
    if not failures:
        return boxes
    return boxes.filter(pa.array(keep))


def _known(values: np.ndarray, known: np.ndarray, rows: np.ndarray) -> list[int | None]:
    return [int(v) if k else None for v, k in zip(values[rows], known[rows])]


def _num(v: float) -> float | int:
    return int(v) if math.isfinite(v) and float(v).is_integer() else v


def _null_fields(table: pa.Table, names: tuple[str, ...]):
    masks = {name: table.column(name).to_numpy(zero_copy_only=False) if name == "_bbox_null" else is_null(table, name) for name in names}

    def first_null(row: int) -> str:
        return next((name.replace("_bbox_null", "bbox") for name in names if masks[name][row]), "?")

    return first_null
