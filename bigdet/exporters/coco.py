"""COCO-format json, written as a stream: memory does not grow with the number of annotations.

Layout of a file::

    {"info": {...}, "licenses": [], "categories": [...], "image_root": "...",
     "images": [{"id", "file_name", "width", "height", "source", "source_image_id",
                 "neg_category_ids", "not_exhaustive_category_ids"}, ...],
     "annotations": [{"id", "image_id", "category_id", "bbox": [x, y, w, h], "area", "iscrowd",
                      <source attributes>}, ...]}

Source attributes are written per field as ``bigdet.schema.EXPORTED_ATTRIBUTES`` decides: a null
becomes the source's own "unknown" value (Open Images flags: -1) or leaves the key out of that
annotation (Objects365 flags); a value outside the field's range stops the export (StoreError),
so no sentinel integer ever reaches a file. An ``area`` that cannot be true of its box (negative,
not finite, larger than the box: ``checks.area_ok``) is written as the box's ``w * h``.

Floats are written with Python's shortest round-trip ``repr``, so LVIS and Objects365 boxes come out
exactly as they went in. Records are formatted chunk by chunk, column by column in bulk (Arrow string arrays), never one Python
object per value; the bytes are exactly those of the per-record ``%``/``repr``/``orjson`` formatting
that came before (tests/test_coco_export.py compares the two).
"""

from __future__ import annotations

import os
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc

from ..checks import area_ok
from ..errors import StoreError
from ..merge import Part
from ..schema import EXPORTED_ATTRIBUTES, OMIT
from . import record

CHUNK = 100_000
#: Images per chunk: an Objects365 image carries ~300 negative ids, and a chunk's lists are built
#: as Python objects, so image chunks are kept small to bound that memory.
IMAGE_CHUNK = 10_000


class IdRange:
    """Global ids handed out in write order, so every file's ids are disjoint."""

    def __init__(self, next_image: int = 1, next_annotation: int = 1) -> None:
        self.next_image = next_image
        self.next_annotation = next_annotation


def write_file(path: Path, parts: list[Part], *, header: dict, ids: IdRange, prefixes: dict[str, str], check=None) -> dict:
    """Write the parts to ``path`` (via ``path.tmp``); return counts and the image ids per part.

    ``check`` (a ``bigdet.validate.WrittenChecks``) is handed every chunk as it is written."""
    width = max(c["id"] for c in header["categories"]) + 1
    known = np.zeros(width, dtype=bool)
    known[[c["id"] for c in header["categories"]]] = True
    tmp = path.with_name(path.name + ".tmp")
    image_ids: dict[int, np.ndarray] = {}  # id(part) -> global image id of each of its images
    n_images = n_annotations = 0
    with open(tmp, "wb") as f:
        head = orjson.dumps(header, option=orjson.OPT_SORT_KEYS)
        if check is not None:
            check.header(path.name, head)
        f.write(head[:-1] + b', "images": [')
        lookahead = check.in_flight if check is not None else 0
        out = _ChunkWriter(f, lookahead)
        for part in parts:
            ok = part.images["ok"]
            ids_for_part = np.zeros(part.n_images, dtype=np.int64)
            ids_for_part[ok] = np.arange(ids.next_image, ids.next_image + int(ok.sum()))
            ids.next_image += int(ok.sum())
            image_ids[id(part)] = ids_for_part
            for chunk in _image_chunks(part, ids_for_part, prefixes[part.source], part.present, width, check and (lambda *a: check.images(path.name, *a))):
                out.put(chunk)
            n_images += int(ok.sum())
        out.drain()
        f.write(b'], "annotations": [')
        out = _ChunkWriter(f, lookahead)
        for part in parts:
            for chunk in _annotation_chunks(part, image_ids[id(part)], ids, check and (lambda *a: check.annotations(path.name, *a)), known):
                out.put(chunk)
                n_annotations += len(chunk.columns["id"])
        out.drain()
        f.write(b"]}")
    os.replace(tmp, path)
    return {"images": n_images, "annotations": n_annotations, "image_ids": image_ids}


class _ChunkWriter:
    """Writes one array's chunks in order, ``", "`` between them. A checked chunk's records are joined by
    its check (``validate.check_formatted``, on a checker's thread): the writer waits for that check,
    keeping up to ``lookahead`` chunks waiting so the next chunk is formatted meanwhile."""

    def __init__(self, f, lookahead: int):
        self.f, self.lookahead = f, lookahead
        self.waiting: deque = deque()
        self.first = True

    def put(self, chunk: "Formatted") -> None:
        self.waiting.append(chunk)
        while len(self.waiting) > self.lookahead:
            self._write(self.waiting.popleft())

    def drain(self) -> None:
        while self.waiting:
            self._write(self.waiting.popleft())

    def _write(self, chunk: "Formatted") -> None:
        if chunk.checked is not None:
            chunk.checked.result()  # its records are joined (a failure of the check is raised here)
        if not self.first:
            self.f.write(b", ")
        self.f.write(joined(chunk.records))
        self.first = False


class _PairsByImage:
    """(image, target) pairs ordered by image once, so that the pairs of a chunk of images are one
    slice (two binary searches). Scanning every pair for every chunk made the export quadratic:
    at full size it was 15% of the merge's samples, one pass over tens of millions of pairs per
    10,000 images."""

    def __init__(self, pairs: np.ndarray):
        if len(pairs) > 1 and (pairs[1:, 0] < pairs[:-1, 0]).any():
            pairs = pairs[np.argsort(pairs[:, 0], kind="stable")]
        self.pairs = pairs
        self.image = pairs[:, 0] if len(pairs) else np.zeros(0, dtype=np.int64)

    def rows(self, lo: int, hi: int, width: int) -> np.ndarray:
        """A dense (hi - lo, width) mask of the pairs whose image is in [lo, hi)."""
        mask = np.zeros((hi - lo, width), dtype=bool)
        a, b = np.searchsorted(self.image, (lo, hi))
        if b > a:
            sel = self.pairs[a:b]
            mask[sel[:, 0] - lo, sel[:, 1]] = True
        return mask


class LabelMasks:
    """Dense (negative, not-exhaustive) masks of a part's images, chunk by chunk, exactly as they are written."""

    def __init__(self, part: Part, width: int, present: np.ndarray | None = None):
        self.width = width
        self.exhaustive_targets = part.exhaustive_targets
        self.negatives = _PairsByImage(part.negatives)
        self.not_exhaustive = _PairsByImage(part.not_exhaustive)
        self.present = _PairsByImage(part.present if present is None else present)

    def chunk(self, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        nex = self.not_exhaustive.rows(lo, hi, self.width)
        neg = self.negatives.rows(lo, hi, self.width)
        if self.exhaustive_targets is not None:
            neg[:, self.exhaustive_targets] = True
        neg &= ~self.present.rows(lo, hi, self.width) & ~nex
        return neg, nex


def _image_chunks(part: Part, ids: np.ndarray, prefix: str, present: np.ndarray, width: int, check=None):
    n = part.n_images
    images = part.images
    if check is not None:  # the boxes of an image chunk are one slice of the boxes ordered by image
        order = np.argsort(part.boxes["image_index"], kind="stable")
        box_image, box_category = part.boxes["image_index"][order], part.boxes["category_id"][order]
    masks = LabelMasks(part, width, present)
    for lo in range(0, n, IMAGE_CHUNK):
        hi = min(n, lo + IMAGE_CHUNK)
        ok = images["ok"][lo:hi]
        if not ok.any():
            continue
        neg, nex = masks.chunk(lo, hi)
        rows = lo + np.flatnonzero(ok)
        file_names = pc.binary_join_element_wise(prefix, pa.array(images["file_name"][rows], pa.string()), "")
        columns = {
            "id": ids[rows],
            "file_name": file_names,
            "width": images["width"][rows].astype(np.int64),
            "height": images["height"][rows].astype(np.int64),
            "source_image_id": pa.array(images["source_image_id"][rows], pa.string()),
        }
        columns["source"] = part.source  # one value for the whole part: written as constant text
        columns.update(zip(record.LABEL_SETS, (neg[ok], nex[ok])))  # negative, not exhaustive: dense masks
        chunk = format_records(record.IMAGE, columns, join=check is None)
        if check is not None:
            a, z = np.searchsorted(box_image, [lo, hi])
            boxed = np.zeros((hi - lo, width), dtype=bool)
            boxed[box_image[a:z] - lo, box_category[a:z]] = True
            chunk.checked = check(chunk, boxed[ok])
        yield chunk


def _annotation_chunks(part: Part, image_ids: np.ndarray, ids: IdRange, check=None, known_category: np.ndarray | None = None):
    b = part.boxes
    n = len(b["category_id"])
    attributes = []
    for name, values in b.items():
        if name in ("image_index", "category_id", "x", "y", "w", "h", "area", "iscrowd"):
            continue
        if values is None:  # merge hands over an attribute that is null on every box as None
            if EXPORTED_ATTRIBUTES[name][1] is OMIT:
                continue
            values = np.full(n, np.nan)
        attributes.append((name, values))
    for lo in range(0, n, CHUNK):
        hi = min(n, lo + CHUNK)
        ann_ids = np.arange(ids.next_annotation, ids.next_annotation + (hi - lo), dtype=np.int64)
        ids.next_annotation += hi - lo
        image_index = b["image_index"][lo:hi]
        columns = {"id": ann_ids, "image_id": image_ids[image_index], "category_id": b["category_id"][lo:hi].astype(np.int64)}
        columns |= {k: b[k][lo:hi].astype(np.float64) for k in ("x", "y", "w", "h", "area")}
        w, h, area = columns["w"], columns["h"], columns["area"]
        columns["area"] = np.where(area_ok(area, w, h), area, w * h)
        columns["iscrowd"] = b["iscrowd"][lo:hi].astype(np.int8).astype(np.int64)
        members = [Tokens(name, "member", *_attribute_texts(part, name, values[lo:hi])) for name, values in attributes]
        columns["bbox"] = tuple(columns[k] for k in ("x", "y", "w", "h"))
        chunk = format_records(record.ANNOTATION, columns, members, join=check is None)
        if check is not None:
            chunk.checked = check(chunk, known_category, (part.images["width"][image_index], part.images["height"][image_index]))
        yield chunk


@dataclass
class Tokens:
    """One value of every record of a chunk: the texts formatted (a ``str``: one text for every
    record) and the values they were formatted from, for ``validate.WrittenChecks`` to hold one to
    the other. ``kind``: "int", "float", "string", "ids" (``values`` a dense (record, id) mask) or
    "member" (a whole ``, "name": value`` or nothing; ``values`` an Arrow array, null where nothing)."""

    name: str
    kind: str
    texts: pa.Array | str
    values: object


@dataclass
class Formatted:
    """A chunk of records as formatted: ``records`` is ``glue[0] + tokens[0] + glue[1] + ... + glue[-1]``
    per record (``record.glue`` declares the glue), ``columns`` the values it was formatted from.
    ``records`` is None until joined: a chunk the merge checks is joined by its check
    (``validate.check_formatted``, ``checked`` its Future), so the text is joined once, not once to
    write and again to compare."""

    fields: tuple[record.Field, ...]
    columns: dict
    glue: list[str]
    tokens: list[Tokens]
    records: pa.Array | None
    checked: Future | None = None


def format_records(fields: tuple[record.Field, ...], columns: dict, members: list[Tokens] = (), *, join: bool = True) -> Formatted:
    """Each record's text, ``{"key": value, ...}, ``: the declared fields in their order, each formatted
    by its declared type from ``columns[name]`` (a ``str`` is one value for every record), then the
    ``members`` (source attributes, formatted by their writer). ``join=False`` leaves ``records`` to
    ``join_records``."""
    tokens = [t for f in fields for t in _tokens(f, columns[f.name])] + list(members)
    glue = record.glue(fields, len(members))
    if len(glue) != len(tokens) + 1:  # a bbox of other than BBOX_LENGTH coordinates
        raise ValueError(f"{len(tokens)} value tokens for a record declaring {len(glue) - 1}")
    return Formatted(fields, columns, glue, tokens, join_records(glue, tokens) if join else None)


def join_records(glue: list[str], tokens: list[Tokens]) -> pa.Array:
    """Per record, ``glue[0] + tokens[0] + glue[1] + ... + glue[-1]``: one element-wise join."""
    pieces = [glue[0]]
    for token, text in zip(tokens, glue[1:]):
        pieces += [token.texts, text]
    # a constant text next to another is joined here: the element-wise join takes one piece per argument
    merged: list = []
    for piece in pieces:
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        else:
            merged.append(piece)
    return pc.binary_join_element_wise(*merged, "")


def record_texts(fields: tuple[record.Field, ...], columns: dict, members: list[Tokens] = ()) -> pa.Array:
    """The records' texts of ``format_records``."""
    return format_records(fields, columns, members).records


def _tokens(f: record.Field, values) -> list[Tokens]:
    """The value tokens of one field, by its declared type."""
    if isinstance(values, str):
        return [Tokens(f.name, "string", orjson.dumps(values).decode(), values)]
    t = f.type
    if record.is_coordinates(f):  # bbox: a tuple of its coordinate columns
        return [Tokens(f"{f.name}[{k}]", "float", float_text(column), column) for k, column in enumerate(values)]
    if pa.types.is_list(t):  # label sets: a dense (image, category) mask; validate._check_ids makes the same choice
        return [Tokens(f.name, "ids", cut_id_list_text(values) if mostly_set(values) else id_list_text(values), values)]
    if pa.types.is_integer(t):
        return [Tokens(f.name, "int", int_text(values), values)]
    if pa.types.is_floating(t):
        return [Tokens(f.name, "float", float_text(values), values)]
    if pa.types.is_string(t):
        return [Tokens(f.name, "string", json_string_text(values), values)]
    raise NotImplementedError(f"no json text for {f.name}: {t}")


# Bulk formatting. A chunk is formatted column by column into Arrow string arrays, and the records are
# glued by one element-wise join: no Python object per value. Each function writes exactly what the
# per-record formatter wrote (``%d``, ``repr``, ``orjson.dumps``); tests/test_coco_export.py proves it.


def joined(records: pa.Array) -> memoryview:
    """The text of a chunk: the records' bytes back to back (each ends in ``record.RECORD_SEP``; the last one's is cut)."""
    offsets = np.frombuffer(records.buffers()[1], dtype=np.int32, count=len(records) + 1, offset=records.offset * 4)
    return memoryview(records.buffers()[2])[offsets[0] : offsets[-1] - len(record.RECORD_SEP)]


def int_text(values: np.ndarray) -> pa.Array:
    """``%d`` of each value (floats are truncated toward zero, as ``int()`` does)."""
    values = np.asarray(values)
    if values.dtype.kind != "i":
        values = values.astype(np.int64)
    return pc.cast(pa.array(values), pa.string())


def float_text(values: np.ndarray) -> pa.Array:
    """Python's ``repr`` of each float, in bulk.

    orjson writes a numpy float64 array ~3x faster than ``repr`` and with the same shortest round-trip
    digits and the same notation, except below 1e-4 (orjson ``0.00001``, repr ``1e-05``) and for nan /
    inf (orjson ``null``): those values, rare in boxes, are formatted by ``repr`` one by one.
    """
    values = np.ascontiguousarray(values, dtype=np.float64)
    n = len(values)
    if n == 0:
        return pa.array([], pa.string())
    text = np.frombuffer(orjson.dumps(values, option=orjson.OPT_SERIALIZE_NUMPY), dtype=np.uint8)[1:-1]
    comma = text == ord(",")
    data = text[~comma]
    offsets = np.empty(n + 1, dtype=np.int32)
    offsets[0], offsets[-1] = 0, len(data)
    offsets[1:-1] = np.flatnonzero(comma) - np.arange(n - 1)
    strings = pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data))
    other = ~np.isfinite(values) | ((np.abs(values) < 1e-4) & (values != 0))
    if other.any():
        strings = pc.replace_with_mask(strings, pa.array(other), pa.array([repr(v) for v in values[other].tolist()], pa.string()))
    return strings


#: Characters orjson escapes in a string: a string without them is written as ``"`` + itself + ``"``.
_ESCAPED = r'[\x00-\x1f"\\]'


def json_string_text(strings: pa.Array) -> pa.Array:
    """``orjson.dumps`` of each string, in bulk; strings that need escaping go through orjson one by one."""
    quoted = pc.binary_join_element_wise('"', strings, '"', "")
    escape = pc.match_substring_regex(strings, _ESCAPED)
    if pc.any(escape).as_py():
        mask = escape.to_numpy(zero_copy_only=False)
        odd = [orjson.dumps(s).decode() for s in strings.filter(escape).to_pylist()]
        quoted = pc.replace_with_mask(quoted, pa.array(mask), pa.array(odd, pa.string()))
    return quoted


def true_cells(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.nonzero`` of a 2-d mask (row-major order), by one pass over the flat mask: ~2x faster."""
    rows, cols = np.divmod(np.flatnonzero(mask), max(mask.shape[1], 1))
    return rows, cols


@lru_cache(maxsize=8)
def _number_texts(n: int) -> pa.Array:
    """``"0"`` .. ``str(n - 1)``: a column index's text is taken from here (~3x faster than a cast)."""
    return pa.array([str(i) for i in range(n)], pa.string())


def id_list_text(mask: np.ndarray) -> pa.Array:
    """``orjson.dumps`` of each row's list of True column indices (``[3,17]``, ``[]``)."""
    n, width = mask.shape
    # the true cells' columns in row-major order: a boolean index of the column numbers (~1.3x faster
    # than np.nonzero and a divmod); each row's list ends at the running count of its true cells
    cols = np.broadcast_to(np.arange(width, dtype=np.int32), mask.shape)[mask]
    bounds = np.zeros(n + 1, np.int64)
    np.cumsum(np.count_nonzero(mask, axis=1), out=bounds[1:])
    if bounds[-1] >= 2**31:
        raise ValueError(f"{bounds[-1]} ids in one chunk: more than a list array holds")
    lists = pa.ListArray.from_arrays(pa.array(bounds.astype(np.int32)), _number_texts(width).take(pa.array(cols)))
    return pc.binary_join_element_wise("[", pc.binary_join(lists, ","), "]", "")


def mostly_set(mask: np.ndarray) -> bool:
    """Whether the rows of a (record, id) mask hold most of the ids used in it (Objects365's negatives:
    ~300 of the ~306 classes of its label space in every image), so cutting each row's text out of one
    text of all those ids (``cut_id_list_text``) is cheaper than joining a text per id."""
    if not mask.size:
        return False
    used = np.count_nonzero(mask.any(axis=0))
    return used > 0 and 2 * np.count_nonzero(mask) > mask.shape[0] * used


def cut_id_list_text(mask: np.ndarray) -> pa.Array:
    """``id_list_text`` of a mask whose rows hold most of its ids, by another route: one text of every
    id used, ``[,3,17,...]``, is laid out under each row and the bytes of the ids a row lacks, and its
    first comma, are dropped with one boolean index (a few passes over ~1.2 KB per Objects365 image,
    2.4x faster than a text per id). ``validate.WrittenChecks`` compares it byte for byte with
    ``id_list_text``: two routes to the same text, each property-tested against orjson."""
    n = mask.shape[0]
    used = np.flatnonzero(mask.any(axis=0))
    held = mask[:, used]
    pieces = [b"," + str(i).encode() for i in used.tolist()]
    length = np.fromiter(map(len, pieces), np.int64, len(pieces))
    text = np.frombuffer(b"[" + b"".join(pieces) + b"]", np.uint8)
    keep = np.empty((n, len(text)), bool)  # per row, per byte of ``text``: written or not
    np.take(held, np.repeat(np.arange(len(pieces)), length), axis=1, out=keep[:, 1:-1])
    keep[:, 0] = keep[:, -1] = True
    rows = np.flatnonzero(held.any(axis=1))
    starts = np.cumsum(length) - length + 1  # where each id's comma is in ``text``
    if len(rows):  # a list's first id has no comma before it
        keep[rows, starts[held[rows].argmax(axis=1)]] = False
    offsets = np.zeros(n + 1, np.int64)
    np.cumsum(np.count_nonzero(keep, axis=1), out=offsets[1:])
    if offsets[-1] >= 2**31:  # a string array's offsets are int32 (a chunk of 10,000 images holds ~12 MB)
        raise ValueError(f"{offsets[-1]} bytes of id lists in one chunk: more than a string array holds")
    offsets = offsets.astype(np.int32)
    data = np.broadcast_to(text, keep.shape)[keep]
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data))


def _attribute_texts(part: Part, name: str, values: np.ndarray) -> tuple[pa.Array, pa.Array]:
    """Per annotation, the text of one source attribute: ``, "name": value`` or nothing; and the value
    a reader parses back (null where the key is left out).

    ``values`` come from Arrow as numpy: integers with nulls arrive as floats with NaN, booleans
    with nulls as objects with None. Each value is matched against the field's allowed values
    (so a NaN cast to an integer, the int64-min sentinel, can never be written)."""
    allowed, null = EXPORTED_ATTRIBUTES[name]
    if values.dtype == object:
        nulls = np.equal(values, None)
        data = np.where(nulls, 0, values).astype(np.int64)
    elif values.dtype.kind == "f":
        nulls = np.isnan(values)
        data = np.where(nulls, 0, values)
    else:
        nulls = np.zeros(len(values), dtype=bool)
        data = values
    codes = np.full(len(values), -1, dtype=np.int64)
    for k, value in enumerate(allowed):
        codes[(data == int(value)) & ~nulls] = k
    codes[nulls] = len(allowed)
    if (codes < 0).any():
        bad = values[codes < 0].tolist()
        raise StoreError(
            f"{part.source}/{part.split}: {len(bad)} boxes have {name} = {bad[0]!r}, not one of "
            f"{', '.join(map(str, allowed))}; the store holds a value its reader should have rejected"
        )
    texts = [f', "{name}": {orjson.dumps(v).decode()}' for v in allowed] + ["" if null is OMIT else f', "{name}": {orjson.dumps(null).decode()}']
    meant = list(allowed) + [None if null is OMIT else null]
    kind = pa.bool_() if isinstance(allowed[0], bool) else pa.int64()
    return pa.array(texts, pa.string()).take(pa.array(codes)), pa.array(meant, kind).take(pa.array(codes))
