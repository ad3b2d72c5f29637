"""Read one huge JSON document (COCO-style) as Arrow tables, chunk by chunk, in flat memory.

LVIS and Objects365 ship everything in one JSON object whose ``images`` and ``annotations`` arrays
hold millions of flat objects. Parsing that into Python objects costs ~10x the file size in memory
and most of the time goes to the garbage collector. Instead:

1. The file is memory-mapped. The top level is walked key by key; small values (``info``,
   ``categories``...) are cut out and parsed with orjson.
2. A big array of objects is cut into chunks of about ``chunk_bytes`` at element boundaries
   (``}`` , ``{``), the separators are turned into newlines with one ``bytes.replace`` and the
   chunk is parsed by pyarrow's multi-threaded JSON reader against an explicit schema.
3. A chunk pyarrow refuses (a value of the wrong type, say) is parsed again with orjson, record by
   record, so the bad records can be named and rejected while the good ones are kept.

The cut is safe: it can only land inside a string or a nested object if the data contains the
separator there, and then the pieces are not valid JSON and the slow path reports the exact record.
Nothing is ever guessed silently.
"""

from __future__ import annotations

import mmap
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import orjson
import pyarrow as pa
import pyarrow.json as pj

from .errors import InputError

_WS = b" \t\r\n"
_SEP = re.compile(rb"\}\s*,\s*\{")
_END = re.compile(rb"\}\s*\]")
_TOKEN = re.compile(rb'["{}\[\]]')
_STRING_TAIL = re.compile(rb'(?:[^"\\]|\\.)*"', re.S)
_SCALAR = re.compile(rb"[^,}\]\s]+")

DEFAULT_CHUNK_BYTES = 32 << 20


@dataclass
class ArrayChunk:
    """A run of consecutive elements of a top-level array, as raw JSON text."""

    key: str
    text: bytes  # "{...}<sep>{...}<sep>...{...}"
    separator: bytes  # the separator this file uses between elements, e.g. b"}, {"
    first_index: int = 0  # index of the chunk's first element in the array; set by the consumer,
    # which counts the rows it parsed (the walker does not count: that would be another pass)


@dataclass
class Value:
    """A small top-level value, parsed."""

    key: str
    value: object


def iter_document(path: Path, stream_keys: set[str], chunk_bytes: int = DEFAULT_CHUNK_BYTES) -> Iterator[ArrayChunk | Value]:
    """Walk the top-level object of ``path``: arrays under ``stream_keys`` come as chunks, the rest as values."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise InputError(path, "the file is empty", hint="re-download it")
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as buf:
        buf.madvise(mmap.MADV_SEQUENTIAL)  # read ahead: fewer, larger page faults
        buf.madvise(mmap.MADV_WILLNEED)
        walker = _Walker(path, buf, size)
        yield from walker.walk(stream_keys, chunk_bytes)


class _Walker:
    def __init__(self, path: Path, buf: mmap.mmap, size: int):
        self.path, self.buf, self.size = path, buf, size

    def _release(self, upto: int) -> None:
        """Drop the mapped pages before ``upto`` (chunks are copies): the file's pages would
        otherwise count towards this process's resident memory until the whole file is walked.
        They stay in the page cache, so reading them again (an error message) costs little."""
        start = getattr(self, "_released", 0)
        end = upto - upto % mmap.PAGESIZE
        if end > start:
            self.buf.madvise(mmap.MADV_DONTNEED, start, end - start)
            self._released = end

    # -- errors -------------------------------------------------------------------------------
    def _fail(self, pos: int, what: str) -> InputError:
        line = self.buf[: min(pos, self.size)].count(b"\n") + 1 if pos < 50_000_000 else None
        where = f"byte {pos}" + (f" (line {line})" if line is not None else "")
        return InputError(self.path, what, record=where, hint="the file looks damaged or truncated; re-download it")

    def _truncated(self, pos: int, inside: str) -> InputError:
        return self._fail(pos, f"the file ends inside {inside}: it is truncated")

    # -- scanning -----------------------------------------------------------------------------
    def _skip_ws(self, pos: int) -> int:
        buf, size = self.buf, self.size
        while pos < size and buf[pos] in _WS:
            pos += 1
        return pos

    def _expect(self, pos: int, char: bytes, inside: str) -> int:
        pos = self._skip_ws(pos)
        if pos >= self.size:
            raise self._truncated(pos, inside)
        if self.buf[pos] != char[0]:
            got = bytes(self.buf[pos : pos + 20])
            raise self._fail(pos, f"expected {char.decode()!r} in {inside}, found {got!r}")
        return pos + 1

    def _string_end(self, pos: int) -> int:
        """``pos`` just after an opening quote; return the position just after the closing quote."""
        m = _STRING_TAIL.match(self.buf, pos)
        if m is None:
            raise self._truncated(pos, "a string")
        return m.end()

    def _value_end(self, pos: int, inside: str) -> int:
        """Return the end of the JSON value starting at ``pos`` (small values only: this walks tokens)."""
        buf = self.buf
        first = buf[pos : pos + 1]
        if first == b'"':
            return self._string_end(pos + 1)
        if first not in (b"{", b"["):
            m = _SCALAR.match(buf, pos)
            if m is None:
                raise self._fail(pos, f"expected a value in {inside}")
            return m.end()
        depth, i = 0, pos
        while True:
            m = _TOKEN.search(buf, i)
            if m is None:
                raise self._truncated(i, inside)
            ch = buf[m.start()]
            if ch == 0x22:  # '"'
                i = self._string_end(m.start() + 1)
                continue
            depth += 1 if ch in (0x7B, 0x5B) else -1
            i = m.start() + 1
            if depth == 0:
                return i

    def _parse_small(self, start: int, end: int, inside: str) -> object:
        try:
            return orjson.loads(self.buf[start:end])
        except orjson.JSONDecodeError as e:
            raise self._fail(start + e.pos, f"invalid JSON in {inside}: {e.msg}") from None

    # -- the walk -----------------------------------------------------------------------------
    def walk(self, stream_keys: set[str], chunk_bytes: int) -> Iterator[ArrayChunk | Value]:
        pos = self._expect(0, b"{", "the top-level object")
        pos = self._skip_ws(pos)
        if pos < self.size and self.buf[pos] == 0x7D:
            return
        while True:
            pos = self._expect(pos, b'"', "the top-level object")
            key_end = self._string_end(pos)
            key = bytes(self.buf[pos : key_end - 1]).decode("utf-8", "replace")
            inside = f'the "{key}" value'
            pos = self._expect(key_end, b":", inside)
            pos = self._skip_ws(pos)
            if pos >= self.size:
                raise self._truncated(pos, inside)
            if key in stream_keys and self.buf[pos] == 0x5B:
                pos = yield from self._stream_array(key, pos + 1, chunk_bytes)
            else:
                end = self._value_end(pos, inside)
                yield Value(key, self._parse_small(pos, end, inside))
                pos = end
            pos = self._skip_ws(pos)
            if pos >= self.size:
                raise self._truncated(pos, "the top-level object")
            if self.buf[pos] == 0x7D:
                return
            pos = self._expect(pos, b",", "the top-level object")

    def _stream_array(self, key: str, pos: int, chunk_bytes: int):
        """Yield ArrayChunks of the array whose '[' is just before ``pos``; return the position after ']'."""
        inside = f'the "{key}" array'
        buf, size = self.buf, self.size
        pos = self._skip_ws(pos)
        if pos >= size:
            raise self._truncated(pos, inside)
        if buf[pos] == 0x5D:
            yield Value(key, [])
            return pos + 1
        if buf[pos] != 0x7B:
            raise self._fail(pos, f"elements of {inside} must be objects, found {bytes(buf[pos:pos + 20])!r}")
        first = _SEP.search(buf, pos, min(size, pos + (1 << 20)))
        separator = first.group(0) if first else b"},{"
        # One-line files (as released) end the array with "}]": a literal search is many times
        # faster than the regex. Trust it only when this array's own separator (found near its
        # start) is one-line too; were the end written otherwise all the same, the chunk would run
        # into the next key and fail to parse, loudly.
        compact_end = first is not None and b"\n" not in separator
        while True:
            sep = _SEP.search(buf, min(pos + chunk_bytes, size))
            limit = sep.start() + 1 if sep else size
            if compact_end:
                at = buf.find(b"}]", pos, limit + 1)
                end = (at, at + 2) if at >= 0 else None
            else:
                m = _END.search(buf, pos, limit)
                end = (m.start(), m.end()) if m else None
            if end is not None:
                chunk = ArrayChunk(key, buf[pos : end[0] + 1], separator)
                self._release(end[0])
                yield chunk
                return end[1]
            if sep is None:
                raise self._truncated(size, inside)
            chunk = ArrayChunk(key, buf[pos : sep.start() + 1], separator)
            self._release(sep.start())
            yield chunk
            pos = sep.end() - 1


@dataclass
class BadRecord:
    index: int  # element index in the array
    record: dict | None
    reason: str
    detail: str


def parse_chunk(
    chunk: ArrayChunk,
    schema: pa.Schema,
    coerce: Callable[[dict], dict],
    path: Path,
    *,
    infer_others: bool = False,
) -> tuple[pa.Table, list[BadRecord]]:
    """Parse a chunk into a table of ``schema`` plus the records that could not be parsed.

    The table has an extra ``_index`` column: each row's element index in the array.
    ``infer_others`` keeps fields outside ``schema`` as columns of inferred types (after the
    schema's); the slow path keeps only the schema's fields.
    ``coerce`` checks and converts one record for the slow path; it raises ``RecordError``.
    A separator inside a string value becomes a raw newline there, which pyarrow rejects, so a
    chunk either parses into exactly its elements or goes to the slow path.
    """
    lines = chunk.text.replace(chunk.separator, b"}\n{")
    try:
        table = pj.read_json(
            pa.BufferReader(lines),
            read_options=pj.ReadOptions(block_size=max(1 << 20, len(lines) // 8 + 1)),
            parse_options=pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="infer" if infer_others else "ignore"),
        )
    except pa.ArrowInvalid:
        return _parse_chunk_slowly(chunk, schema, coerce, path)
    others = [n for n in table.column_names if n not in schema.names] if infer_others else []
    table = table.select(schema.names + others)
    index = pa.array(range(chunk.first_index, chunk.first_index + table.num_rows), pa.int64())
    return table.append_column("_index", index), []


def parse_chunk_whole(
    chunk: ArrayChunk,
    schema: pa.Schema,
    coerce: Callable[[dict], dict],
    path: Path,
    *,
    infer_others: bool = False,
) -> tuple[pa.Table, list[BadRecord]]:
    """``parse_chunk`` without rewriting separators: the chunk is wrapped into one JSON object
    ``{"a": [chunk]}`` that pyarrow parses as a single row, single-threaded.

    The separator rewrite is a Python ``bytes.replace`` that holds the GIL (~0.6 GB/s), so with
    several chunks in flight on worker threads it becomes the bottleneck; this path hands all
    the work to pyarrow, which releases the GIL. For callers that parse chunks in parallel
    threads (``sources.cocojson.parse_on_workers``). Falls back to ``parse_chunk`` (and its slow
    path) on any error. ``infer_others`` as in ``parse_chunk``.
    """
    wrapped = pa.schema([("a", pa.list_(pa.struct(list(schema))))])
    document = b'{"a":[' + chunk.text + b"]}"
    try:
        table = pj.read_json(
            pa.BufferReader(document),
            read_options=pj.ReadOptions(block_size=len(document) + 1, use_threads=False),
            parse_options=pj.ParseOptions(explicit_schema=wrapped, unexpected_field_behavior="infer" if infer_others else "ignore"),
        )
    except pa.ArrowInvalid:
        return parse_chunk(chunk, schema, coerce, path, infer_others=infer_others)
    rows = table.column("a").combine_chunks().flatten()
    names = list(schema.names)
    if infer_others:
        names += [f.name for f in rows.type if f.name not in schema.names]
    columns = [rows.field(name) for name in names]
    index = pa.array(range(chunk.first_index, chunk.first_index + len(rows)), pa.int64())
    return pa.Table.from_arrays([*columns, index], names=[*names, "_index"]), []


class RecordError(Exception):
    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def _parse_chunk_slowly(chunk: ArrayChunk, schema: pa.Schema, coerce, path: Path):
    try:
        records = orjson.loads(b"[" + chunk.text + b"]")
    except orjson.JSONDecodeError as e:
        pos = max(e.pos - 1, 0)
        element = chunk.first_index + chunk.text[:pos].count(chunk.separator)
        raise InputError(
            path,
            f"invalid JSON: {e.msg}",
            record=f'"{chunk.key}"[{element}]',
            hint="the file is damaged; re-download it",
        ) from None
    good, indices, bad = [], [], []
    for offset, record in enumerate(records):
        index = chunk.first_index + offset
        if not isinstance(record, dict):
            bad.append(BadRecord(index, None, "bad_value", f"element is {type(record).__name__}, not an object"))
            continue
        try:
            good.append(coerce(record))
            indices.append(index)
        except RecordError as e:
            bad.append(BadRecord(index, record, e.reason, e.detail))
    table = pa.Table.from_pylist(good, schema=schema)
    return table.append_column("_index", pa.array(indices, pa.int64())), bad
