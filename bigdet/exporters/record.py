"""The exported record, declared once: what a merged COCO file holds, its file names, and its reader.

Every writer and reader of bigdet's outputs takes its fields from here: the merge's COCO writer
(``exporters.coco``) writes the image and annotation fields in the order declared; ``validate``,
``stats``, ``browse`` and ``eval`` read them back with ``fields(...)`` (the Arrow types of the json);
the ``parquet`` export has one column per field that declares one (``column``, ``column_type``, the
compact type a columnar reader gets), and ``yolo`` / ``fiftyone`` start from those readers.

A file (``annotations/<name>.json``)::

    {"info": {...}, "licenses": [], "categories": [CATEGORY...], "image_root": "...",
     "images": [IMAGE...], "annotations": [ANNOTATION + source attributes...]}

Null rules: a ``required`` field is written in every record and is never null. The label sets
(``LABEL_SETS``) are always written, an empty list where the image has none; a reader meeting a
plain COCO file without them takes the image as exhaustive (``eval``). Source attributes follow
``schema.EXPORTED_ATTRIBUTES``: one of the allowed values, or the source's own "unknown" value, or the
key left out; never a sentinel integer.

The reader of exported files is ``parse_on_workers``: the main thread walks the file
(``jsonstream``) while worker threads parse its chunks against a ``Fields`` built here.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import pyarrow as pa
import pyarrow.compute as pc

from ..errors import InputError
from ..sources import registry
from ..jsonstream import DEFAULT_CHUNK_BYTES, ArrayChunk, Fields, Value, iter_document, make_coercer, parse_chunk_whole
from ..schema import EXPORTED_ATTRIBUTES

#: The held-out val file, and the one train file of ``bigdet merge --combined``. (The per-source train
#: files are named by the source registry: ``build.FILE_NAMES``.)
VAL_FILE = "bigdet_val.json"
COMBINED_TRAIN_FILE = "bigdet_train.json"


def split_of(path: str | Path) -> str:
    """The split of an exported file by its name: ``*val.json`` val, ``*train.json`` train, else the stem."""
    stem = Path(path).stem
    return "val" if stem.endswith("val") else "train" if stem.endswith("train") else stem


@dataclass(frozen=True)
class Field:
    """One field of an exported record."""

    name: str  # the json key
    type: pa.DataType  # its Arrow type as a reader parses it back from the json
    required: bool  # written in every record, never null
    column: str | None = None  # its column in the parquet export (None: not a column there)
    column_type: pa.DataType | None = None  # the (compact) type of that column
    doc: str = ""


_IDS = pa.list_(pa.int64())
BBOX_COLUMN = pa.list_(pa.float64(), 4)  # fixed-size [x, y, w, h]

#: One element of "images", in the order the writer writes its keys.
IMAGE: tuple[Field, ...] = (
    Field("id", pa.int64(), True, "image_id", pa.int64(), "unique across every file of a merge"),
    Field("file_name", pa.string(), True, "file_name", pa.string(), "relative to the header's image_root"),
    Field("width", pa.int64(), True, "width", pa.int32(), "pixels"),
    Field("height", pa.int64(), True, "height", pa.int32(), "pixels"),
    Field("source", pa.string(), True, "source", pa.string(), "the dataset it came from: lvis, openimages, objects365 or the NAME of a user's dataset (`bigdet merge ... NAME=PATH`)"),
    Field("source_image_id", pa.string(), True, "source_image_id", pa.string(), "the image's id in its source"),
    Field("neg_category_ids", _IDS, True, "neg_category_ids", pa.list_(pa.int32()), "classes verified absent (may be empty)"),
    Field("not_exhaustive_category_ids", _IDS, True, "not_exhaustive_category_ids", pa.list_(pa.int32()), "classes whose boxes may be incomplete (may be empty)"),
)
#: One element of "annotations" before its source attributes, in the order the writer writes its keys.
ANNOTATION: tuple[Field, ...] = (
    Field("id", pa.int64(), True, "box_id", pa.int64(), "unique across every file of a merge"),
    Field("image_id", pa.int64(), True, None, None, "an image of the same file (in parquet: the row)"),
    Field("category_id", pa.int64(), True, "category_id", pa.int32(), "one of the file's categories"),
    Field("bbox", pa.list_(pa.float64()), True, "bbox", BBOX_COLUMN, "[x, y, w, h], absolute pixels, inside the image"),
    Field("area", pa.float64(), True, "area", pa.float64(), "from 0 to w * h"),
    Field("iscrowd", pa.int64(), True, "iscrowd", pa.int8(), "0 or 1 (Open Images group-of, LVIS/COCO crowd)"),
)
#: One element of "categories". ``members`` only in a derived label space (``--label-space``).
CATEGORY: tuple[Field, ...] = (
    Field("id", pa.int64(), True),
    Field("name", pa.string(), True),
    Field("synset", pa.string(), False),
    Field("supercategory", pa.string(), True),
    Field("parent_ids", _IDS, True),
    Field("groups", pa.list_(pa.string()), True),
    Field("members", _IDS, False),
)
#: The per-image label sets (both are lists of category ids).
LABEL_SETS = ("neg_category_ids", "not_exhaustive_category_ids")
#: Per-box source attributes after the core fields: name -> Arrow type (booleans: Objects365; integers: Open Images).
ATTRIBUTE_TYPES = {name: pa.bool_() if isinstance(allowed[0], bool) else pa.int64() for name, (allowed, _) in EXPORTED_ATTRIBUTES.items()}


# -- the fixed text of a written record ----------------------------------------------------------
#: A record is written as ``{"key": value, "key": value, ...}`` (a bbox value as ``[x, y, w, h]``),
#: records one after another separated by ``, ``. These texts and the keys are the only bytes between
#: the value tokens the exporter formats; ``glue`` spells them out and ``validate.WrittenChecks``
#: holds what was written to exactly these texts.
RECORD_OPEN, MEMBER_SEP, KEY_SEP, RECORD_CLOSE, RECORD_SEP = "{", ", ", ": ", "}", ", "
LIST_OPEN, LIST_SEP, LIST_CLOSE = "[", ", ", "]"
BBOX_LENGTH = 4


def is_coordinates(f: Field) -> bool:
    """A fixed-length list of numbers written as its ``BBOX_LENGTH`` tokens (``bbox``)."""
    return pa.types.is_list(f.type) and pa.types.is_floating(f.type.value_type)


def glue(record: tuple[Field, ...], members: int = 0) -> list[str]:
    """The fixed texts around a record's value tokens, in writing order: text ``k`` comes before
    token ``k`` (a coordinates field is ``BBOX_LENGTH`` tokens), the last one after the last token.
    ``members`` more tokens follow the declared fields: source attributes, each a whole
    ``, "name": value`` (or nothing), so nothing is written between them."""
    texts: list[str] = []
    closing = ""  # what closes the previous value (a list's "]")
    for k, f in enumerate(record):
        key = (RECORD_OPEN if k == 0 else MEMBER_SEP) + '"' + f.name + '"' + KEY_SEP
        if is_coordinates(f):
            texts += [closing + key + LIST_OPEN] + [LIST_SEP] * (BBOX_LENGTH - 1)
            closing = LIST_CLOSE
        else:
            texts.append(closing + key)
            closing = ""
    for _ in range(members):
        texts.append(closing)
        closing = ""
    return texts + [closing + RECORD_CLOSE + RECORD_SEP]


def names(record: tuple[Field, ...]) -> tuple[str, ...]:
    return tuple(f.name for f in record)


def field(record: tuple[Field, ...], name: str) -> Field:
    for f in record:
        if f.name == name:
            return f
    raise KeyError(name)


def fields(
    record: tuple[Field, ...],
    only: tuple[str, ...] | None = None,
    *,
    required: tuple[str, ...] | None = None,
    types: dict[str, pa.DataType] | None = None,
    attributes: bool = False,
) -> Fields:
    """What a reader asks of one array: the declared fields (``only`` some of them, in declaration
    order), their declared types (``types`` overrides some, for a reader of any COCO file), required
    as declared (``required`` instead: a reader of any COCO file asks for less). ``attributes`` adds
    the source attributes (annotations)."""
    chosen = [f for f in record if only is None or f.name in only]
    if only is not None and len(chosen) != len(set(only)):
        raise KeyError(f"not declared: {sorted(set(only) - set(names(record)))}")
    types = types or {}
    schema = [(f.name, types.get(f.name, f.type)) for f in chosen]
    if attributes:
        schema += list(ATTRIBUTE_TYPES.items())
    req = tuple(f.name for f in chosen if f.required) if required is None else required
    return Fields(pa.schema(schema), required=req)


def json_schema(record: tuple[Field, ...], *, attributes: dict[str, pa.DataType] | None = None) -> pa.Schema:
    """The record exactly as written (every key, declared types), plus the given attributes."""
    return pa.schema([(f.name, f.type) for f in record] + list((attributes or {}).items()))


def columns(record: tuple[Field, ...]) -> list[pa.Field]:
    """The parquet columns of a record's fields that have one, in declaration order."""
    return [pa.field(f.column, f.column_type) for f in record if f.column is not None]


# -- the reader of exported files -----------------------------------------------------------------


@dataclass
class ParsedChunk:
    key: str  # "images" or "annotations"
    table: pa.Table  # the fields asked for (+ inferred ones), "_index" = element index in the array
    extra: object  # what ``finish`` returned for this chunk, on the worker


def parse_on_workers(
    path: Path,
    fields: dict[str, Fields],
    pool: ThreadPoolExecutor,
    *,
    infer_others: frozenset[str] = frozenset(),
    finish: Callable[[ArrayChunk, pa.Table], object] | None = None,
    in_flight: int = 3,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
) -> Iterator[Value | ParsedChunk]:
    """Walk ``path`` and parse the chunks of the arrays named in ``fields`` on ``pool``, in order.

    For readers that only look (``bigdet stats``, ``bigdet browse``): the main thread walks the
    file while workers parse (``parse_chunk_whole``: pyarrow releases the GIL), so both cores stay
    busy; at most ``in_flight`` chunks wait, which bounds memory. ``finish(chunk, table)`` runs on
    the worker too, for per-chunk work that should overlap the walk. Chunks of "images" and
    "annotations" arrays not in ``fields`` are skipped unparsed; other top-level values are
    yielded as ``Value``, in file order. A malformed record stops the run (InputError naming it).
    """
    coercers = {k: make_coercer(f) for k, f in fields.items()}
    rows = dict.fromkeys(fields, 0)
    pending: deque = deque()

    def work(chunk: ArrayChunk):
        f = fields[chunk.key]
        table, bad = parse_chunk_whole(chunk, f.schema, coercers[chunk.key], path, infer_others=chunk.key in infer_others)
        if bad:
            return table, bad[0], None
        return table, None, finish(chunk, table) if finish else None

    def ready() -> ParsedChunk:
        key, future = pending.popleft()
        table, bad, extra = future.result()
        if bad is not None:  # chunks are parsed with first_index 0: make the index the array's
            raise InputError(path, f"malformed {key} record: {bad.detail}", record=f'"{key}"[{rows[key] + bad.index}]')
        index = table.schema.get_field_index("_index")
        table = table.set_column(index, "_index", pc.add(table.column(index), rows[key]))
        rows[key] += table.num_rows
        return ParsedChunk(key, table, extra)

    arrays = {"images", "annotations"}
    for item in iter_document(path, arrays, chunk_bytes, skip_keys=frozenset(arrays - set(fields))):
        if isinstance(item, Value):
            while pending:
                yield ready()
            yield item
        elif item.key in fields:
            pending.append((item.key, pool.submit(work, item)))
            while len(pending) > in_flight:
                yield ready()
    while pending:
        yield ready()


def array_order(path: Path) -> list[str]:
    """The order of the "images" and "annotations" arrays in the file (from a walk that stops at the first)."""
    for item in iter_document(path, {"images", "annotations"}):
        if item.key in ("images", "annotations"):
            return [item.key, "annotations" if item.key == "images" else "images"]
    return ["images", "annotations"]


# -- the order of exported files ------------------------------------------------------------------


def train_file_rank(name: str) -> tuple[int, str]:
    """Sort key of an exported file in the merge's id order: built-in train files, datasets' train
    files (by name), the combined train file, then val."""
    builtin = [s.train_file for s in registry.BUILTIN]
    if name in builtin:
        return builtin.index(name), ""
    if name == COMBINED_TRAIN_FILE:
        return len(builtin) + 1, ""
    if name == VAL_FILE:
        return len(builtin) + 2, ""
    if name.startswith("bigdet_") and name.endswith("_train.json"):
        return len(builtin), name
    return len(builtin) + 3, name


def sampler_order(names) -> list[str]:
    """Train file names in BigDetection's training-set order: Objects365, Open Images, LVIS, then
    datasets' train files by name."""
    by_rank = {s.train_file: s.sampler_rank for s in registry.BUILTIN}
    train = [n for n in names if n in by_rank or (n.startswith("bigdet_") and n.endswith("_train.json") and n != COMBINED_TRAIN_FILE)]
    return sorted(train, key=lambda n: (by_rank.get(n, registry.COCO.sampler_rank), n))
