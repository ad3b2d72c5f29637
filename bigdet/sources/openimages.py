"""Open Images (V6 boxes, V5 13-column files, V7 class file) into the common schema.

Files per split (``train`` / ``val`` / ``test``, folders ``train/``, ``validation/``, ``test/``):

* boxes: ``oidv6-train-annotations-bbox.csv`` (21 columns: the 13 below plus XClick1X..4Y, the
  annotators' click points, which are not stored: converting them costs 40% of the parse) or
  ``train-annotations-bbox.csv``; ``validation-annotations-bbox.csv``, ``test-annotations-bbox.csv``
  (13 columns: ImageID,Source,LabelName,Confidence,XMin,XMax,YMin,YMax,IsOccluded,IsTruncated,
  IsGroupOf,IsDepiction,IsInside). Coordinates are normalized to [0, 1].
* optional image-level labels ``*-annotations-human-imagelabels-boxable.csv`` (Confidence 1 =
  verified present, 0 = verified absent) and image metadata ``*-images*-with-rotation.csv``.
* classes: ``class-descriptions-boxable.csv`` (no header) or ``oidv7-class-descriptions-boxable.csv``
  (header ``LabelName,DisplayName``), BOM / CRLF tolerated; hierarchy ``bbox_labels_600_hierarchy.json``.

No CSV gives image sizes: they come from ``image_sizes.csv`` (``ImageID,width,height``) when present,
else from the headers of ``<split folder>/<ImageID>.jpg`` (read in parallel, cached in the store).
Without either, boxes are stored with their normalized coordinates and null pixel coordinates.
"""

from __future__ import annotations

import csv
import io
import json
import mmap
import os
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from ..checks import Check, Rejects, const, duplicate_mask, first_failures, fmt_rows, lookup
from ..errors import InputError
from ..imagesize import image_sizes
from ..layout import Layout
from ..schema import BOXES, CATEGORIES, IMAGE_LABELS, IMAGES, conform
from ..workers import resolve
from . import SourceData, SplitData, registry

NAME = registry.OPEN_IMAGES.name
SPLIT_FOLDERS = {"train": "train", "val": "validation", "test": "test"}
BOX_FILES = {
    "train": ("oidv6-train-annotations-bbox.csv", "train-annotations-bbox.csv"),
    "val": ("validation-annotations-bbox.csv",),
    "test": ("test-annotations-bbox.csv",),
}
LABEL_FILES = {
    "train": ("oidv6-train-annotations-human-imagelabels-boxable.csv", "train-annotations-human-imagelabels-boxable.csv"),
    "val": ("validation-annotations-human-imagelabels-boxable.csv",),
    "test": ("test-annotations-human-imagelabels-boxable.csv",),
}
METADATA_FILES = {
    "train": ("train-images-boxable-with-rotation.csv", "train-images-with-rotation.csv"),
    "val": ("validation-images-with-rotation.csv",),
    "test": ("test-images-with-rotation.csv",),
}
CLASS_FILES = tuple(name for files in registry.OPEN_IMAGES.versions.values() for name in files)  # v7, then v6
HIERARCHY_FILE = "bbox_labels_600_hierarchy.json"
SIZES_FILE = "image_sizes.csv"

BOX_COLUMNS = {
    "ImageID": pa.string(),
    "Source": pa.dictionary(pa.int32(), pa.string()),
    "LabelName": pa.dictionary(pa.int32(), pa.string()),
    "Confidence": pa.float32(),
    "XMin": pa.float64(),
    "XMax": pa.float64(),
    "YMin": pa.float64(),
    "YMax": pa.float64(),
    "IsOccluded": pa.int16(),  # stored as int8: int16 lets 300 be read, then rejected with its value
    "IsTruncated": pa.int16(),
    "IsGroupOf": pa.int16(),
    "IsDepiction": pa.int16(),
    "IsInside": pa.int16(),
}
ATTRIBUTES = ("IsOccluded", "IsTruncated", "IsGroupOf", "IsDepiction", "IsInside")
LABEL_COLUMNS = {"ImageID": pa.string(), "Source": pa.dictionary(pa.int32(), pa.string()), "LabelName": pa.dictionary(pa.int32(), pa.string()), "Confidence": pa.float32()}
METADATA_COLUMNS = {"ImageID": pa.string(), "OriginalURL": pa.string(), "License": pa.string(), "Rotation": pa.float32()}
SIZE_COLUMNS = {"ImageID": pa.string(), "width": pa.float64(), "height": pa.float64()}  # checked whole below
#: The largest width or height an image may have (the store's int32 columns).
MAX_SIDE = 2**31 - 1

#: Normalized coordinates may overshoot [0, 1] by this much (about a pixel of a 1000-pixel image).
NORM_TOLERANCE = 1e-3


def _first(folder: Path, names: tuple[str, ...]) -> Path | None:
    return next((folder / n for n in names if (folder / n).exists()), None)


def input_files(layout: Layout) -> list[Path]:
    folder = layout.dir("openimages")
    boxes = [p for split in BOX_FILES if (p := _first(folder, BOX_FILES[split]))]
    if not boxes:
        names = ", ".join(n for names in BOX_FILES.values() for n in names)
        raise InputError(folder, f"no Open Images box files ({names})", hint="set --data-root or [paths] openimages")
    classes = _first(folder, CLASS_FILES)
    if classes is None:
        raise InputError(folder, f"no class descriptions ({' or '.join(CLASS_FILES)})", hint="download the boxable class file")
    extras = [_first(folder, names[split]) for names in (LABEL_FILES, METADATA_FILES) for split in names]
    extras += [folder / HIERARCHY_FILE, folder / SIZES_FILE]
    return boxes + [classes] + [p for p in extras if p is not None and p.exists()]


def read(layout: Layout, *, output, chunk_bytes: int, progress=None, workers: int | None = None) -> SourceData:
    """Read the Open Images files of ``layout``; ``workers`` threads parse (see ``bigdet.workers``)."""
    folder = layout.dir("openimages")
    input_files(layout)
    class_path = _first(folder, CLASS_FILES)
    categories, version = _categories(class_path, folder / HIERARCHY_FILE)
    output.version = version
    data = SourceData(NAME, version, categories)
    if not (folder / HIERARCHY_FILE).exists():
        data.notes.append(f"{folder / HIERARCHY_FILE} not found: categories have no hierarchy parents")
    mids = categories.column("mid").combine_chunks()
    sizes = _Sizes(folder / SIZES_FILE, cache=layout.store / "_cache" / "image_sizes.parquet", workers=workers)
    for split in BOX_FILES:
        box_path = _first(folder, BOX_FILES[split])
        if box_path is not None:
            data.splits.append(_split(folder, split, box_path, mids, sizes, output, progress, workers))
    if sizes.errors:
        example = next(iter(sizes.errors.values()))
        data.notes.append(f"{len(sizes.errors):,} image files could not be read for their size (e.g. {example}); their boxes are rejected as unreadable_image")
    return data


# -- classes and hierarchy ----------------------------------------------------------------------


def _categories(path: Path, hierarchy_path: Path) -> tuple[pa.Table, str]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig", errors="strict")
    except UnicodeDecodeError as e:
        raise _not_utf8(path, raw[: e.start].count(b"\n") + 1, raw[e.start]) from None
    rows = list(csv.reader(io.StringIO(text)))
    version = "v6"
    if rows and [c.strip() for c in rows[0]] == ["LabelName", "DisplayName"]:
        rows, version = rows[1:], "v7"
    mids, names = [], []
    for line, row in enumerate(rows, start=2 if version == "v7" else 1):
        if not row:
            continue
        if len(row) != 2 or not row[0].startswith(("/m/", "/g/")):
            raise InputError(path, f"expected 'MID,DisplayName', found {','.join(row)!r}", record=f"line {line}")
        mids.append(row[0].strip())
        names.append(row[1])
    if len(set(mids)) != len(mids):
        raise InputError(path, "a MID appears twice")
    parents, part_of = _hierarchy(hierarchy_path) if hierarchy_path.exists() else ({}, {})
    table = pa.table(
        {
            "category_id": pa.array(range(1, len(mids) + 1), pa.int32()),
            "name": names,
            "clean_name": [n.strip() for n in names],
            "mid": mids,
            "parents": [sorted(parents.get(m, ())) for m in mids],
            "part_of": [sorted(part_of.get(m, ())) for m in mids],
            "version": [version] * len(mids),
        }
    )
    return conform(table, CATEGORIES, source=NAME), version


def _hierarchy(path: Path) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Parents (Subcategory edges) and wholes (Part edges) of every MID; a class may have several."""
    try:
        root = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as e:
        raise InputError(path, f"invalid JSON: {e.msg}", record=f"line {e.lineno}") from None
    parents: dict[str, set[str]] = {}
    part_of: dict[str, set[str]] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if not isinstance(node, dict) or "LabelName" not in node:
            raise InputError(path, f"a hierarchy node lacks 'LabelName': {str(node)[:80]}")
        for key, edges in (("Subcategory", parents), ("Part", part_of)):
            for child in node.get(key, ()):
                if isinstance(child, dict) and "LabelName" in child:
                    edges.setdefault(child["LabelName"], set()).add(node["LabelName"])
                stack.append(child)
    return parents, part_of


# -- CSV reading --------------------------------------------------------------------------------
#
# An Open Images CSV record is one line: quoted fields may hold commas and doubled quotes, not line
# breaks (the real files have none). A quote left open would otherwise swallow every later line
# into one "row", so a record that spans lines stops the run, naming its first line. Line numbers
# are exact (a box's id is its line), so blank lines and lone CR line ends are counted as lines.
#
# Two paths: the fast one streams the file in byte ranges parsed on worker threads and proves each
# range clean (every row parsed, one row per line); anything else (a malformed row, a value that
# is not a number, lone CRs, blank lines) sends the file to the exact path, which parses it whole,
# takes record line numbers and widths from Python's ``csv`` module (the reference), and rejects
# bad rows with their line.

_NUMBER = r"^\s*[-+]?((\d+\.?\d*|\.\d+)([eE][-+]?\d+)?|[iI][nN][fF]([iI][nN][iI][tT][yY])?|[nN][aA][nN])\s*$"
#: Only an empty field is null in a numeric column ("NA", "null" are bad values), on both paths.
_NULLS = [""]


def _header(path: Path) -> list[str]:
    with open(path, "rb") as f:
        first = f.readline()
    if not first.strip():
        raise InputError(path, "the file is empty" if not first else "the first line (header) is empty")
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise _not_utf8(path, 1, first[e.start]) from None
    return [c.strip() for c in next(csv.reader([text.rstrip("\r\n")]), [])]


def _not_utf8(path: Path, line: int, byte: int) -> InputError:
    return InputError(path, f"byte 0x{byte:02x} is not UTF-8 text", record=f"line {line}", hint="Open Images files are UTF-8; re-save this one as UTF-8")


def _checked_header(path: Path, required: tuple[str, ...]) -> list[str]:
    """The header's column names; a missing (or renamed) required column stops the run."""
    header = _header(path)
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            path,
            f"the header lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)} (found: {','.join(header)})",
            record="line 1",
            hint="a renamed column or a file of another kind",
        )
    return header


def _map(path: Path) -> pa.Buffer:
    """The whole file as a zero-copy buffer (a read-only memory map)."""
    with open(path, "rb") as f:
        if os.fstat(f.fileno()).st_size == 0:
            return pa.py_buffer(b"")
        mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    mapped.madvise(mmap.MADV_SEQUENTIAL)  # read ahead: halves the page-fault time of a zero-copy parse
    mapped.madvise(mmap.MADV_WILLNEED)
    return pa.py_buffer(mapped)


def _line_count(data: pa.Buffer) -> int | None:
    """Lines in ``data`` (a last line without a line break counts), or None if it has a lone CR,
    which ends a line for pyarrow and ``csv`` but is not counted here."""
    text = np.frombuffer(data, dtype=np.uint8)
    step = 16 << 20  # a bounded temporary per block
    lf = 0
    for start in range(0, len(text), step):
        block = text[start : start + step]
        lf += int(np.count_nonzero(block == 10))
        cr = np.flatnonzero(block == 13) + start
        if len(cr) and ((cr + 1 >= len(text)) | (text[np.minimum(cr + 1, len(text) - 1)] != 10)).any():
            return None
    return lf + int(len(text) > 0 and text[-1] != 10)


def _convert_options(wanted: dict[str, pa.DataType]) -> pcsv.ConvertOptions:
    return pcsv.ConvertOptions(column_types=wanted, include_columns=list(wanted), strings_can_be_null=False, null_values=_NULLS)


def read_csv(path: Path, columns: dict[str, pa.DataType], rejects: Rejects, table: str, required: tuple[str, ...] | None = None, workers: int | None = None):
    """Read the named columns of a CSV; returns (table, line numbers of its rows, rows read).

    Rows with the wrong number of fields go to ``rejects`` (malformed_row); values that are not
    numbers where numbers belong, or integers out of their column's range, go there too
    (bad_value). A missing column, text that is not UTF-8 and a record spanning lines (a quote
    left open) stop the run. Rows read = the file's records (its non-blank lines after the header).
    """
    header = _checked_header(path, tuple(columns) if required is None else required)
    wanted = {c: t for c, t in columns.items() if c in header}
    file_lines = _line_count(_map(path))
    if file_lines == 1:  # a header and no rows (pyarrow cannot skip a last line without a break)
        empty = pa.table({c: pa.array([], t) for c, t in wanted.items()})
        return empty, np.zeros(0, dtype=np.int64), 0
    skipped = [0]

    def on_invalid(row) -> str:
        skipped[0] += 1
        return "skip"

    def attempt(types: dict[str, pa.DataType]) -> pa.Table:
        skipped[0] = 0
        return pcsv.read_csv(
            path,
            read_options=pcsv.ReadOptions(use_threads=resolve(workers) > 1, block_size=16 << 20, column_names=header, skip_rows=1),
            parse_options=pcsv.ParseOptions(invalid_row_handler=on_invalid),
            convert_options=_convert_options(types),
        )

    text_types = {c: (t if pa.types.is_dictionary(t) else pa.string()) for c, t in wanted.items()}
    try:
        result, typed = attempt(wanted), True
    except pa.ArrowInvalid:
        try:  # a value that is not a number: find it below
            result, typed = attempt(text_types), False
        except pa.ArrowInvalid as e:  # text that is not UTF-8: the scan names its line
            _records(path, len(header))
            raise InputError(path, str(e).splitlines()[0]) from None
    if not skipped[0] and file_lines == result.num_rows + 1:
        lines = np.arange(2, result.num_rows + 2, dtype=np.int64)  # one row per line: the common case
    else:
        record_lines, widths, texts = _records(path, len(header))
        whole = widths == len(header)
        if int(whole.sum()) != result.num_rows or len(whole) - int(whole.sum()) != skipped[0]:
            raise InputError(path, f"pyarrow read {result.num_rows} rows ({skipped[0]} malformed), Python's csv module {int(whole.sum())} ({int((~whole).sum())} malformed)", hint="an unusual quoting; please report this file")
        lines = record_lines[whole]
        bad = np.flatnonzero(~whole)
        rejects.add(
            table,
            str(path),
            [f"line {n}" for n in record_lines[bad]],
            [None] * len(bad),
            "malformed_row",
            [f"expected {len(header)} fields, found {widths[k]}: {texts[k][:80]!r}" for k in bad],
        )
    rejected = 0
    if not typed:
        result, lines, rejected = _convert_text_columns(result, wanted, lines, path, rejects, table)
    return result, lines, result.num_rows + skipped[0] + rejected


def _records(path: Path, width: int) -> tuple[np.ndarray, np.ndarray, dict[int, str]]:
    """Line numbers and field counts of the records after the header (blank lines are none), and
    the text of those whose field count is not ``width``, by Python's ``csv`` module.

    Raises InputError at a record that spans lines or text that is not UTF-8.
    """
    lines: list[int] = []
    widths: list[int] = []
    texts: dict[int, str] = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        end = 0  # the line the previous record ended on
        try:
            for row in reader:
                if reader.line_num - end > 1:
                    raise InputError(
                        path,
                        f"a quoted field runs on over {reader.line_num - end} lines: a quote left open?",
                        record=f"line {end + 1}",
                        hint="an Open Images CSV record is one line",
                    )
                if row and end > 0:  # end 0: the header, checked by _checked_header
                    if len(row) != width:
                        texts[len(lines)] = ",".join(row)
                    lines.append(end + 1)
                    widths.append(len(row))
                end = reader.line_num
        except UnicodeDecodeError:
            raise _not_utf8(path, *_first_non_utf8(path)) from None
        except csv.Error as e:
            raise InputError(path, f"{e}: a quote left open?", record=f"line {end + 1}", hint="an Open Images CSV record is one line") from None
    return np.asarray(lines, dtype=np.int64), np.asarray(widths, dtype=np.int64), texts


def _first_non_utf8(path: Path) -> tuple[int, int]:
    """(line, byte) of the first byte that is not UTF-8 in ``path``."""
    line, carry = 1, b""
    with open(path, "rb") as f:
        while True:
            block = f.read(1 << 20)
            text = carry + block
            try:
                text.decode("utf-8")
                carry = b""
            except UnicodeDecodeError as e:
                if block and e.reason == "unexpected end of data":  # a character cut by the block
                    carry = text[e.start :]
                    line += text[: e.start].count(b"\n")
                    continue
                return line + text[: e.start].count(b"\n"), text[e.start]
            line += text.count(b"\n")
            if not block:
                return line, 0


def _convert_text_columns(result, wanted, lines, path, rejects, table):
    """Cast text columns to their numeric types, rejecting rows whose values are not numbers
    (or, for integer columns, not whole numbers in the column type's range). Empty is null."""
    checks = []
    parsed = {}
    for name, arrow_type in wanted.items():
        if pa.types.is_string(arrow_type) or pa.types.is_dictionary(arrow_type):
            continue
        col = pc.utf8_trim_whitespace(result.column(name))
        empty = np.asarray(pc.equal(col, "").fill_null(True))
        fails = ~pc.match_substring_regex(col, _NUMBER).to_numpy(zero_copy_only=False) & ~empty
        values = result.column(name).to_numpy(zero_copy_only=False)
        checks.append(Check("bad_value", fails, fmt_rows(f"{name} is {{v!r}}, not a number", v=values)))
        number = pc.cast(pc.if_else(pa.array(fails | empty), None, col), pa.float64()).to_numpy(zero_copy_only=False)
        if pa.types.is_integer(arrow_type):
            info = np.iinfo(arrow_type.to_pandas_dtype())
            with np.errstate(invalid="ignore"):
                whole = (number == np.floor(number)) & (number >= info.min) & (number <= info.max)
            checks.append(Check("bad_value", ~whole & ~fails & ~empty, fmt_rows(f"{name} is {{v!r}}, not a whole number in {info.min}..{info.max}", v=values)))
        parsed[name] = (number, empty)
    keep, failures = first_failures(result.num_rows, checks)
    rejected = 0
    for reason, rows, details in failures:
        rejects.add(table, str(path), [f"line {n}" for n in lines[rows]], [None] * len(rows), reason, details)
        rejected += len(rows)
    result = result.filter(pa.array(keep))
    cast = {}
    for name, arrow_type in wanted.items():
        if name in parsed:
            number, empty = parsed[name]
            cast[name] = pa.array(number[keep], mask=empty[keep]).cast(arrow_type)
        else:
            cast[name] = result.column(name)
    return pa.table(cast), lines[keep], rejected


class _Damaged(Exception):
    """The fast path met a range it cannot prove clean (a bad row, or not one row per line)."""


#: CSV text parsed but not yet consumed, at most, whatever the number of workers: ranges are cut so
#: that the ranges in flight (one per worker plus one) fit in it.
IN_FLIGHT_BYTES = 256 << 20
#: Byte ranges are at least / at most this large (at least: per-range overhead; at most: memory).
MIN_RANGE_BYTES = 4 << 20
MAX_RANGE_BYTES = 64 << 20


def stream_csv(path: Path, columns: dict[str, pa.DataType], required: tuple[str, ...], workers: int | None = None):
    """Yield (table, line numbers) batches of a clean CSV, in file order.

    The file is cut at line starts into byte ranges, parsed by ``workers`` threads over a
    zero-copy memory map (pyarrow releases the GIL while it parses); at most
    IN_FLIGHT_BYTES // range size ranges are parsed ahead of the consumer, so memory does not
    grow with the file or the number of cores. A worker's failure reaches the caller. Raises
    _Damaged at the first range that is not provably clean: the caller then re-reads the file with
    ``read_csv``, which places every bad row exactly.
    """
    header = _checked_header(path, required)
    wanted = {c: t for c, t in columns.items() if c in header}
    workers = resolve(workers)
    data = _map(path)
    range_bytes = min(MAX_RANGE_BYTES, max(MIN_RANGE_BYTES, IN_FLIGHT_BYTES // (workers + 1)))
    in_flight = max(2, IN_FLIGHT_BYTES // range_bytes)
    bounds = _line_ranges(data, range_bytes)
    read_options = pcsv.ReadOptions(use_threads=False, block_size=8 << 20, column_names=header)
    convert_options = _convert_options(wanted)

    def parse(start: int, end: int) -> pa.Table:
        piece = data.slice(start, end - start)
        try:
            table = pcsv.read_csv(pa.BufferReader(piece), read_options=read_options, convert_options=convert_options)
        except pa.ArrowInvalid as e:  # a malformed row or value; I/O and other errors are not "damage"
            raise _Damaged(str(e)) from None
        if table.num_rows != _line_count(piece) or _open_quote_at_end(piece):
            raise _Damaged(f"bytes {start}..{end}: not one row per line")
        return table

    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"csv {path.name}")
    pending: deque = deque()
    try:
        line = 2
        for start, end in zip(bounds[:-1], bounds[1:]):
            pending.append(pool.submit(parse, start, end))
            if len(pending) < in_flight:
                continue
            line = yield from _drain(pending.popleft(), line)
        while pending:
            line = yield from _drain(pending.popleft(), line)
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


def _open_quote_at_end(piece: pa.Buffer) -> bool:
    """Whether the last line of ``piece`` ends inside a quoted field. One row per line rules out a
    record spanning lines inside a range, but not one cut by the range's end: pyarrow (like ``csv``)
    ends a quote left open at the end of its input, taking the line break into the field."""
    text = np.frombuffer(piece, dtype=np.uint8)
    window = text[max(0, len(text) - (1 << 16)) : max(0, len(text) - 1)]
    breaks = np.flatnonzero(window == 10)
    if not len(breaks) and len(window) == 1 << 16:
        return True  # a line this long: let the exact path look at it
    line = text[len(text) - 1 - len(window) + (int(breaks[-1]) + 1 if len(breaks) else 0) :].tobytes()
    if b'"' not in line:
        return False
    try:
        rows = list(csv.reader(io.StringIO(line.decode("utf-8"), newline="")))
    except (UnicodeDecodeError, csv.Error):
        return True
    return len(rows) != 1 or any("\n" in f or "\r" in f for f in rows[0])


def _drain(future, line: int):
    """Yield one parsed range as (table, line numbers) batches; return the next line number."""
    for batch in future.result().to_batches():
        yield pa.Table.from_batches([batch]), np.arange(line, line + batch.num_rows, dtype=np.int64)
        line += batch.num_rows
    return line


def _line_ranges(data: pa.Buffer, range_bytes: int) -> list[int]:
    """Byte offsets cutting ``data`` (after its header line) into ranges of about ``range_bytes`` at line starts."""
    text = np.frombuffer(data, dtype=np.uint8)

    def next_line(pos: int) -> int:
        while pos < len(text):
            window = text[pos : pos + (1 << 16)]
            hits = np.flatnonzero(window == 10)
            if len(hits):
                return pos + int(hits[0]) + 1
            pos += len(window)
        return len(text)

    bounds = [next_line(0)]
    while bounds[-1] < len(text):
        bounds.append(next_line(bounds[-1] + range_bytes))
    if len(bounds) == 1:
        bounds.append(len(text))
    return bounds


def consume_csv(path: Path, columns, required, table: str, make_consumer, workers: int | None = None):
    """Feed every row of a CSV to a consumer; returns (consumer, rows read).

    The fast path streams; if the file turns out to be damaged, the consumer's work is thrown
    away (``abort``) and a fresh consumer gets the exact, slower read with the bad rows rejected.
    Any other failure (of a worker, of the consumer, of the disk) reaches the caller.
    """
    consumer = make_consumer()
    try:
        read = 0
        for batch, lines in stream_csv(path, columns, required, workers):
            consumer(batch, lines)
            read += batch.num_rows
        return consumer, read
    except _Damaged:
        consumer.abort()
        consumer = make_consumer()
        batch, lines, read = read_csv(path, columns, consumer.rejects, table, required, workers)
        consumer(batch, lines)
        return consumer, read


# -- ImageIDs -----------------------------------------------------------------------------------

_HEX = np.full(256, 255, dtype=np.uint8)
for _i, _c in enumerate(b"0123456789abcdef"):
    _HEX[_c] = _i
for _i, _c in enumerate(b"ABCDEF"):
    _HEX[_c] = 10 + _i


def image_ids(column: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """ImageIDs (16 hex digits) as int64: the same 64 bits, so the mapping is exact and needs no table.

    Returns the ids and an ok mask (False where the ImageID is not 16 hex digits).
    """
    arr = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    n = len(arr)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
    arr = arr.cast(pa.string())
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32)[arr.offset : arr.offset + n + 1]
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8) if arr.buffers()[2] is not None else np.zeros(0, np.uint8)
    ok = np.diff(offsets) == 16
    if arr.null_count:
        ok &= ~np.asarray(arr.is_null())
    if ok.all() and offsets[-1] - offsets[0] == 16 * n:
        digits = data[offsets[0] : offsets[-1]].reshape(n, 16)
        if (offsets[0] % 8) != 0:
            digits = digits.copy()  # the uint64 view below needs aligned rows
    else:
        digits = np.zeros((n, 16), dtype=np.uint8) + ord("0")
        rows = np.flatnonzero(ok)
        digits[rows] = data[offsets[:-1][rows, None] + np.arange(16)]
    # Rows of one image come together: decode one ImageID per run of equal 16-byte keys.
    words = digits.view(np.uint64)
    starts = np.flatnonzero(np.r_[True, (words[1:] != words[:-1]).any(axis=1)])
    nibbles = _HEX[digits[starts]]
    run_ok = (nibbles != 255).all(axis=1)
    packed = ((nibbles[:, 0::2] << 4) | (nibbles[:, 1::2] & 15)).astype(np.uint8)
    run_ids = np.ascontiguousarray(packed).view(">u8").ravel().astype(np.uint64).view(np.int64)
    lengths = np.diff(np.r_[starts, n])
    ok &= np.repeat(run_ok, lengths)
    return np.where(ok, np.repeat(run_ids, lengths), 0), ok


_DIGITS = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def hex_ids(ids: np.ndarray) -> pa.StringArray:
    """The inverse of ``image_ids``: int64 ids as 16 lowercase hex digits, built in one vectorized pass."""
    octets = np.ascontiguousarray(ids.astype(np.int64)).view(np.uint64).astype(">u8").view(np.uint8).reshape(-1, 8)
    text = np.empty((len(ids), 16), dtype=np.uint8)
    text[:, 0::2] = _DIGITS[octets >> 4]
    text[:, 1::2] = _DIGITS[octets & 15]
    offsets = np.arange(0, 16 * len(ids) + 1, 16, dtype=np.int32)
    return pa.StringArray.from_buffers(len(ids), pa.py_buffer(offsets), pa.py_buffer(text.tobytes()))


def runs(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start positions and lengths of runs of equal ids (Open Images files list an image's rows together)."""
    if len(ids) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    return starts, np.diff(np.r_[starts, len(ids)])


# -- image sizes --------------------------------------------------------------------------------


class _Sizes:
    """Image sizes by image id: ``image_sizes.csv`` if present, then image headers as boxes arrive.

    ``errors`` maps the id of every image whose file exists but could not be read to the error.
    """

    def __init__(self, path: Path, cache: Path, workers: int | None = None):
        self.path = path
        self.cache = cache
        self.workers = workers
        self.rejects = Rejects(NAME, "all")
        self.read = 0
        self.accounted = False
        self.errors: dict[int, str] = {}
        self.keys = np.zeros(0, dtype=np.int64)
        self.width = np.zeros(0)
        self.height = np.zeros(0)
        self._index = None  # a pandas Index once there are sizes (pandas is imported only when a file is read)
        if path.exists():
            table, lines, self.read = read_csv(path, SIZE_COLUMNS, self.rejects, "image_sizes", workers=workers)
            raw_ids = table.column("ImageID").to_numpy(zero_copy_only=False)
            ids, ok = image_ids(table.column("ImageID"))
            w = _numpy(table, "width")
            h = _numpy(table, "height")
            with np.errstate(invalid="ignore"):
                whole = (w == np.floor(w)) & (h == np.floor(h)) & (w > 0) & (h > 0) & (w <= MAX_SIDE) & (h <= MAX_SIDE)
            keep, failures = first_failures(
                table.num_rows,
                [
                    Check("bad_value", ~ok, fmt_rows("ImageID {i!r} is not 16 hex digits", i=raw_ids)),
                    Check("bad_size", ~whole, fmt_rows(f"size {{w:g}}x{{h:g}} is not two whole numbers in 1..{MAX_SIDE}", w=w, h=h)),
                    Check("duplicate_image_id", duplicate_mask(ids, ok & whole), fmt_rows("ImageID {i!r} has a size on an earlier line", i=raw_ids)),
                ],
            )
            for reason, rows, details in failures:
                self.rejects.add("image_sizes", str(path), [f"line {n}" for n in lines[rows]], list(raw_ids[rows]), reason, details)
            self._add(ids[keep], w[keep], h[keep])

    def _add(self, ids, w, h) -> None:
        self.keys = np.concatenate([self.keys, ids])
        self.width = np.concatenate([self.width, w, [np.nan]])[:-1]
        self.height = np.concatenate([self.height, h, [np.nan]])[:-1]
        # A hash index: ids are random 64-bit values, so binary search would miss the cache at every step.
        import pandas as pd

        self._index = pd.Index(self.keys)

    def lookup(self, ids: np.ndarray, image_dir: Path) -> tuple[np.ndarray, np.ndarray]:
        """Width and height of each of ``ids`` (unique ids; NaN where unknown or unreadable)."""
        pos = self._index.get_indexer(ids) if len(self.keys) else np.full(len(ids), -1)
        if (pos < 0).any() and image_dir.is_dir():
            new = _unique([ids[pos < 0]])
            paths = [image_dir / f"{k}.jpg" for k in hex_ids(new).to_pylist()]
            probed = image_sizes(paths, cache=self.cache, workers=self.workers)
            for k, error in probed.errors.items():
                self.errors[int(new[k])] = f"{paths[k]}: {error}"
            self._add(new, probed.width, probed.height)  # unknown sizes are remembered as NaN, so files are opened once
            pos = self._index.get_indexer(ids)
        width = np.append(self.width, np.nan)[pos]  # pos -1 picks the NaN at the end
        height = np.append(self.height, np.nan)[pos]
        return width, height


# -- one split ----------------------------------------------------------------------------------


def _split(folder: Path, split: str, box_path: Path, mids: pa.Array, sizes: _Sizes, output, progress, workers: int | None) -> SplitData:
    label_path = _first(folder, LABEL_FILES[split])
    meta_path = _first(folder, METADATA_FILES[split])
    files = [p for p in (box_path, label_path, meta_path) if p is not None] + ([sizes.path] if sizes.path.exists() else [])
    out = output.split(split, files)
    image_dir = folder / SPLIT_FOLDERS[split]
    boxes, boxes_read = consume_csv(box_path, BOX_COLUMNS, tuple(BOX_COLUMNS), "boxes", lambda: _BoxWriter(out, split, box_path, mids, sizes, image_dir), workers)
    if progress is not None:
        progress(box_path.stat().st_size)
    rejects = boxes.rejects
    seen = [boxes.image_ids()]
    read = {"images": 0, "boxes": boxes_read, "image_labels": 0}
    if label_path is not None:
        labels, read["image_labels"] = consume_csv(label_path, LABEL_COLUMNS, tuple(LABEL_COLUMNS), "image_labels", lambda: _LabelWriter(out, split, label_path, mids), workers)
        rejects.extend(labels.rejects)
        seen.append(labels.image_ids())
        if progress is not None:
            progress(label_path.stat().st_size)
    meta = None
    if meta_path is not None:
        meta_rejects = Rejects(NAME, split)
        meta, meta_lines, read["image_metadata"] = read_csv(meta_path, METADATA_COLUMNS, meta_rejects, "image_metadata", required=("ImageID",), workers=workers)
        meta_ids, ok = image_ids(meta.column("ImageID"))
        keep, failures = first_failures(meta.num_rows, [Check("bad_value", ~ok, const("ImageID is not 16 hex digits"))])
        for reason, rows, details in failures:
            meta_rejects.add("image_metadata", str(meta_path), [f"line {n}" for n in meta_lines[rows]], meta.column("ImageID").take(pa.array(rows)).to_pylist(), reason, details)
        meta = meta.filter(pa.array(keep)).append_column("_id", pa.array(meta_ids[keep]))
        rejects.extend(meta_rejects)
        seen.append(meta_ids[keep])
    if sizes.path.exists() and not sizes.accounted:
        # image_sizes.csv serves every split; its rows are counted once, with the first split.
        rejects.extend(sizes.rejects)
        read["image_sizes"] = sizes.read
        sizes.accounted = True

    ids = _unique(seen)
    read["images"] = len(ids)
    width, height = sizes.lookup(ids, image_dir)
    out.write("images", _images_table(ids, width, height, meta, split))
    return SplitData(split, files, rejects, read, out.close(rejects.table()))


def _images_table(ids: np.ndarray, width: np.ndarray, height: np.ndarray, meta: pa.Table | None, split: str) -> pa.Table:
    keys = hex_ids(ids)
    columns = {
        "image_id": ids,
        "source_image_id": keys,
        "file_name": pc.binary_join_element_wise(SPLIT_FOLDERS[split] + "/", keys, ".jpg", ""),
        "width": pa.array(width, pa.float64(), from_pandas=True).cast(pa.int32()),
        "height": pa.array(height, pa.float64(), from_pandas=True).cast(pa.int32()),
    }
    if meta is not None and meta.num_rows:
        meta_ids = meta.column("_id").to_numpy()
        order = np.argsort(meta_ids, kind="stable")
        pos, found = lookup(meta_ids[order], ids)
        take = pa.array(order[pos])
        mask = pa.array(~found)
        for src, dst in (("OriginalURL", "url"), ("License", "license"), ("Rotation", "rotation")):
            values = meta.column(src).take(take).combine_chunks()
            if dst == "rotation":
                values = pc.cast(values, pa.int16())
            columns[dst] = pc.if_else(mask, pa.scalar(None, values.type), values)
    return conform(pa.table(columns), IMAGES, source=NAME, split=split)


def _category_ids(labels: pa.ChunkedArray, mids: pa.Array) -> np.ndarray:
    """1-based category ids of dictionary-encoded MIDs; 0 where the MID is unknown."""
    ids = np.zeros(len(labels), dtype=np.int32)
    offset = 0
    for chunk in labels.chunks:
        dict_ids = np.asarray(pc.index_in(chunk.dictionary, value_set=mids).fill_null(-1)) + 1
        indices = chunk.indices.fill_null(0).to_numpy() if chunk.null_count else chunk.indices.to_numpy()
        ids[offset : offset + len(chunk)] = dict_ids[indices] if len(dict_ids) else 0
        offset += len(chunk)
    return ids


def _unique(parts: list[np.ndarray]) -> np.ndarray:
    """Sorted unique ids of several arrays (a sort, cheaper here than numpy's hash-based unique)."""
    ids = np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)
    return ids[np.r_[True, ids[1:] != ids[:-1]]] if len(ids) else ids


def _numpy(table: pa.Table, name: str, fill=np.nan) -> np.ndarray:
    col = table.column(name)
    if col.null_count:
        col = col.fill_null(fill)
    return col.to_numpy()


class _RowWriter:
    """What the box and label writers share: rejects, the image ids seen, the ImageID/LabelName checks."""

    table = ""

    def __init__(self, out, split, path, mids):
        self.out, self.split, self.path, self.mids = out, split, path, mids
        self.rejects = Rejects(NAME, split)
        self._ids: list[np.ndarray] = []

    def abort(self) -> None:
        self.out.discard(self.table)

    def image_ids(self) -> np.ndarray:
        return _unique(self._ids)

    @staticmethod
    def text(raw: pa.Table, name: str):
        return lambda rows: raw.column(name).take(pa.array(rows)).to_pylist()

    def id_checks(self, raw: pa.Table, img_ok: np.ndarray, cat: np.ndarray) -> list[Check]:
        empty = ~img_ok & (np.asarray(pc.utf8_length(raw.column("ImageID"))) == 0)
        return [
            Check("missing_field", empty, const("ImageID is empty")),
            Check("bad_value", ~img_ok, lambda rows: [f"ImageID {v!r} is not 16 hex digits" for v in self.text(raw, "ImageID")(rows)]),
            Check("unknown_category", cat == 0, lambda rows: [f"LabelName {m!r} is not in the class descriptions" for m in self.text(raw, "LabelName")(rows)]),
        ]


class _BoxWriter(_RowWriter):
    """Checks and converts batches of box rows and writes them to the split's boxes table."""

    table = "boxes"

    def __init__(self, out, split, path, mids, sizes: _Sizes, image_dir: Path):
        super().__init__(out, split, path, mids)
        self.sizes, self.image_dir = sizes, image_dir

    def _reject(self, raw: pa.Table, lines: np.ndarray, failures, img: np.ndarray, img_ok: np.ndarray, cat: np.ndarray) -> None:
        for reason, rows, details in failures:  # a known image and class are kept for merge (rule 4)
            self.rejects.add("boxes", str(self.path), [f"line {k}" for k in lines[rows]], self.text(raw, "ImageID")(rows), reason, details,
                             image_ids=[int(i) if ok else None for i, ok in zip(img[rows], img_ok[rows])],
                             category_ids=[int(c) if c else None for c in cat[rows]])

    def __call__(self, raw: pa.Table, lines: np.ndarray) -> None:
        n = raw.num_rows
        img, img_ok = image_ids(raw.column("ImageID"))
        cat = _category_ids(raw.column("LabelName"), self.mids)
        xmin, xmax, ymin, ymax = (_numpy(raw, c) for c in ("XMin", "XMax", "YMin", "YMax"))
        tol = NORM_TOLERANCE
        with np.errstate(invalid="ignore"):
            finite = np.isfinite(xmin) & np.isfinite(xmax) & np.isfinite(ymin) & np.isfinite(ymax)
            checks = self.id_checks(raw, img_ok, cat) + [
                Check("bad_bbox", ~finite, const("XMin, XMax, YMin, YMax must be numbers")),
                Check(
                    "nonpositive_size",
                    ~(xmax > xmin) | ~(ymax > ymin),
                    fmt_rows("XMin {a:g} XMax {b:g} YMin {c:g} YMax {d:g}: zero or negative size", a=xmin, b=xmax, c=ymin, d=ymax),
                ),
                Check(
                    "outside_image",
                    (xmin < -tol) | (ymin < -tol) | (xmax > 1 + tol) | (ymax > 1 + tol),
                    fmt_rows("XMin {a:g} XMax {b:g} YMin {c:g} YMax {d:g}: outside [0, 1]", a=xmin, b=xmax, c=ymin, d=ymax),
                ),
            ]
        for name in ATTRIBUTES:  # 1 present, 0 absent, -1 unknown; empty is null (unknown too)
            value = _numpy(raw, name, fill=0)
            checks.append(Check("bad_value", (value < -1) | (value > 1), fmt_rows(f"{name} is {{v}}; expected 1, 0 or -1", v=value)))
        keep, failures = first_failures(n, checks)
        self._reject(raw, lines, failures, img, img_ok, cat)
        if failures:
            raw = raw.filter(pa.array(keep))
            img, cat, lines = img[keep], cat[keep], lines[keep]
            xmin, xmax, ymin, ymax = xmin[keep], xmax[keep], ymin[keep], ymax[keep]
        starts, lengths = runs(img)
        w_run, h_run = self.sizes.lookup(img[starts], self.image_dir)
        if self.sizes.errors:  # image files that exist but could not be read: their boxes cannot be placed
            errors = self.sizes.errors
            unreadable = np.repeat(np.fromiter((int(i) in errors for i in img[starts]), bool, len(starts)), lengths)
            keep, failures = first_failures(len(img), [Check("unreadable_image", unreadable, lambda rows: [errors[int(i)] for i in img[rows]])])
            self._reject(raw, lines, failures, img, np.ones(len(img), dtype=bool), cat)
            if failures:
                raw = raw.filter(pa.array(keep))
                img, cat, lines = img[keep], cat[keep], lines[keep]
                xmin, xmax, ymin, ymax = xmin[keep], xmax[keep], ymin[keep], ymax[keep]
                starts, lengths = runs(img)
                w_run, h_run = self.sizes.lookup(img[starts], self.image_dir)
        self._ids.append(img[starts])
        w_img, h_img = np.repeat(w_run, lengths), np.repeat(h_run, lengths)
        columns = {
            "box_id": lines,
            "image_id": img,
            "category_id": cat,
            "x": pa.array(xmin * w_img, from_pandas=True),
            "y": pa.array(ymin * h_img, from_pandas=True),
            "w": pa.array((xmax - xmin) * w_img, from_pandas=True),
            "h": pa.array((ymax - ymin) * h_img, from_pandas=True),
            "iscrowd": pc.equal(raw.column("IsGroupOf"), 1).fill_null(False),
            "label_source": raw.column("Source"),
            "confidence": raw.column("Confidence"),
            "norm_xmin": xmin,
            "norm_xmax": xmax,
            "norm_ymin": ymin,
            "norm_ymax": ymax,
            "is_occluded": raw.column("IsOccluded"),
            "is_truncated": raw.column("IsTruncated"),
            "is_group_of": raw.column("IsGroupOf"),
            "is_depiction": raw.column("IsDepiction"),
            "is_inside": raw.column("IsInside"),
        }
        self.out.write("boxes", conform(pa.table(columns), BOXES, source=NAME, split=self.split))


class _LabelWriter(_RowWriter):
    """Checks and converts batches of image-level label rows (Confidence 1 present, 0 absent)."""

    table = "image_labels"

    def __call__(self, raw: pa.Table, lines: np.ndarray) -> None:
        img, img_ok = image_ids(raw.column("ImageID"))
        cat = _category_ids(raw.column("LabelName"), self.mids)
        conf = _numpy(raw, "Confidence")
        checks = self.id_checks(raw, img_ok, cat) + [
            Check("bad_value", (conf != 0) & (conf != 1), fmt_rows("Confidence is {c:g}; expected 1 (present) or 0 (absent)", c=conf)),
        ]
        keep, failures = first_failures(raw.num_rows, checks)
        for reason, rows, details in failures:
            self.rejects.add("image_labels", str(self.path), [f"line {k}" for k in lines[rows]], self.text(raw, "ImageID")(rows), reason, details)
        if failures:
            raw = raw.filter(pa.array(keep))
            img, cat, conf = img[keep], cat[keep], conf[keep]
        self._ids.append(img[runs(img)[0]])
        kinds = pa.DictionaryArray.from_arrays(pa.array((conf == 0).astype(np.int8)), pa.array(["positive", "negative"]))
        table = pa.table({"image_id": img, "category_id": cat, "kind": kinds, "label_source": raw.column("Source")})
        self.out.write("image_labels", conform(table, IMAGE_LABELS, source=NAME, split=self.split))
