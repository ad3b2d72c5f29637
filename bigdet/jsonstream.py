"""Read one huge JSON document (COCO-style) as Arrow tables, chunk by chunk, in flat memory.

LVIS and Objects365 ship everything in one JSON object whose ``images`` and ``annotations`` arrays
hold millions of flat objects. Parsing that into Python objects costs ~10x the file size in memory
and most of the time goes to the garbage collector. Instead:

1. The file is memory-mapped. The top level is walked key by key; small values (``info``,
   ``categories``...) are cut out and parsed with orjson.
2. A big array of objects is scanned with numpy (``_Scanner``): one vectorized pass over its bytes
   finds the quotes, backslash escapes and brackets, so the string state and nesting depth of every
   bracket are exact and the end of every element is known. The array is cut into chunks of about
   ``chunk_bytes`` at element ends only, whatever the layout (any whitespace, nested objects and
   arrays, any text in strings), and each chunk carries its elements' end offsets.
3. A chunk is parsed by pyarrow's multi-threaded JSON reader against an explicit schema, its
   element separators turned into newlines (``parse_chunk``), or as one document
   (``parse_chunk_whole``). A chunk pyarrow refuses (a value of the wrong type, say) is parsed
   again with orjson, record by record, so the bad records can be named and rejected while the
   good ones are kept.

The document must be valid JSON as ``json.loads`` reads it, with two deliberate differences, both
refused with a clear error: a key that appears twice in the top-level object (its arrays are
streamed, so "the last wins" cannot be honoured), and ``\\ud800``-style escapes of lone surrogates
(not text; orjson and pyarrow refuse them too). A key repeated inside a record follows
``json.loads``: the last copy wins. Invalid UTF-8 and text after the document are refused.
"""

from __future__ import annotations

import codecs
import mmap
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.json as pj

from .errors import InputError

_WS = b" \t\r\n"
DEFAULT_CHUNK_BYTES = 32 << 20
_WINDOW = 4 << 20  # bytes scanned per numpy pass: bounds the scanner's buffers (3x this) and temporaries
_QUOTE, _BACKSLASH, _OPEN_BRACE, _CLOSE_BRACE, _CLOSE_BRACKET, _COMMA = 0x22, 0x5C, 0x7B, 0x7D, 0x5D, 0x2C


@dataclass
class ArrayChunk:
    """A run of consecutive elements of a top-level array, as raw JSON text."""

    key: str
    text: bytes | bytearray  # "{...}<ws>,<ws>{...}...{...}": whole elements and the separators between them
    ends: np.ndarray  # offset in ``text`` of each element's closing brace, ascending
    first_index: int = 0  # index of the chunk's first element in the array; set by the consumer,
    # which counts the rows it parsed

    def element_at(self, offset: int) -> int:
        """The index in the array of the element holding byte ``offset`` of ``text``."""
        return self.first_index + int(np.searchsorted(self.ends, offset))


@dataclass
class Value:
    """A small top-level value, parsed."""

    key: str
    value: object


def iter_document(
    path: Path, stream_keys: set[str], chunk_bytes: int = DEFAULT_CHUNK_BYTES, *, skip_keys: frozenset[str] = frozenset()
) -> Iterator[ArrayChunk | Value]:
    """Walk the top-level object of ``path``: arrays under ``stream_keys`` come as chunks, the rest as values.

    Arrays under ``skip_keys`` (a subset of ``stream_keys``) are walked exactly but not copied out
    and yield nothing: for readers that want the other array only.
    """
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise InputError(path, "the file is empty", hint="re-download it")
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as buf:
        buf.madvise(mmap.MADV_SEQUENTIAL)  # read ahead: fewer, larger page faults
        buf.madvise(mmap.MADV_WILLNEED)
        walker = _Walker(path, buf, size)
        yield from walker.walk(stream_keys, max(1, chunk_bytes), skip_keys)


def walk_list(path: Path, buf: mmap.mmap, key: str, chunk_bytes: int = DEFAULT_CHUNK_BYTES) -> Iterator[ArrayChunk | Value]:
    """Walk a document whose top level is an array of objects (a detector's results file), mapped
    in ``buf``: its elements come as ArrayChunks under ``key`` (an empty array as ``Value(key, [])``),
    cut exactly as ``iter_document`` cuts, with the same checks after the closing ``]``."""
    walker = _Walker(Path(path), buf, len(buf))
    pos = walker._expect(0, b"[", "the top-level list")
    end = yield from walker._stream_array(key, pos, max(1, chunk_bytes), False)
    walker._check_rest(end)


class _Scanner:
    """Where the elements of an array of objects end, found exactly with vectorized passes.

    ``scan(lo, hi)`` looks at the bytes in [lo, hi) (after [previous lo, lo) was scanned) and
    returns the positions of the closing braces that end an element (nesting depth back to 0,
    outside strings) and, if it is met, the position of the ``]`` that closes the array.
    A quote counts unless an odd run of backslashes precedes it; a bracket counts outside strings
    only. Which bytes lie inside strings is a prefix XOR of the quote bits, done 64 bytes at a time
    on packed words (as simdjson does), so per byte this is a few numpy comparisons; Python runs
    per window, never per record. State is carried across windows: inside a string or not, the
    depth, a backslash run cut by the window's end.
    """

    def __init__(self, buf: mmap.mmap):
        self.buf = buf
        self.in_string = 0  # 1 inside a string
        self.depth = 0  # brackets open inside the array (0 between elements)
        self.backslashes = 0  # length of the backslash run that ended the last window
        size = -(-_WINDOW // 64) * 64
        self._quotes, self._brackets, self._bytes = np.empty(size, bool), np.empty(size, bool), np.empty(size, np.uint8)

    def scan(self, lo: int, hi: int) -> tuple[np.ndarray, int | None, int | None]:
        """(element end positions, position of the array's ']' or None, position of a stray closer or None)."""
        n = hi - lo
        arr = np.frombuffer(self.buf, np.uint8, n, lo)
        padded = -(-n // 64) * 64
        quotes, brackets, folded = self._quotes[:padded], self._brackets[:padded], self._bytes[:n]
        quotes[n:] = brackets[n:] = False
        np.equal(arr, _QUOTE, out=quotes[:n])
        if self.backslashes or self.buf.find(b"\\", lo, hi) >= 0:
            self._unmask_escaped(arr, quotes[:n])
        np.bitwise_or(arr, 0x20, out=folded)  # '[' -> '{', ']' -> '}': one comparison per kind
        np.equal(folded, _OPEN_BRACE, out=brackets[:n])
        brackets[:n] |= folded == _CLOSE_BRACE
        # bit b of word w is byte 64w + b; inside[w] has a bit set for each byte inside a string
        inside = np.packbits(quotes, bitorder="little").view("<u8")
        for shift in (1, 2, 4, 8, 16, 32):  # inclusive prefix XOR within each word
            inside ^= inside << np.uint64(shift)
        odd = inside >> np.uint64(63)  # 1 where a word holds an odd number of quotes
        carry = np.bitwise_xor.accumulate(odd)
        carry ^= odd
        carry ^= self.in_string
        self.in_string = int(carry[-1] ^ odd[-1])
        inside ^= np.uint64(0) - carry  # all ones where the word starts inside a string
        outside = np.packbits(brackets, bitorder="little").view("<u8")
        outside &= ~inside
        pos = _set_bits(outside)
        ch = arr[pos]
        step = np.where((ch | 0x20) == _OPEN_BRACE, 1, -1)
        depth = np.cumsum(step)
        depth += self.depth
        below = np.flatnonzero(depth < 0)
        close = stray = None
        if len(below):
            k = int(below[0])
            if ch[k] == _CLOSE_BRACKET:
                close = lo + int(pos[k])
            else:
                stray = lo + int(pos[k])
            pos, ch, depth = pos[:k], ch[:k], depth[:k]
        elif len(depth):
            self.depth = int(depth[-1])
        ends = pos[(ch == _CLOSE_BRACE) & (depth == 0)]
        ends += lo
        return ends, close, stray

    def _unmask_escaped(self, arr: np.ndarray, mask: np.ndarray) -> None:
        """Drop from ``mask`` each byte that follows an odd run of backslashes (an escaped quote)."""
        n = len(arr)
        slashes = np.flatnonzero(arr == _BACKSLASH)
        carried = self.backslashes
        self.backslashes = 0
        if not len(slashes):
            if carried % 2 and n:
                mask[0] = False
            return
        starts = np.flatnonzero(np.diff(slashes, prepend=-2) != 1)  # index in slashes of each run's first
        lengths = np.diff(starts, append=len(slashes))
        after = slashes[starts] + lengths  # the byte each run escapes (if its length is odd)
        if slashes[0] == 0:
            lengths[0] += carried
        elif carried % 2:
            mask[0] = False
        escaped = after[(lengths % 2 == 1) & (after < n)]
        mask[escaped] = False
        if after[-1] == n:
            self.backslashes = int(lengths[-1])


_BYTE_BITS = np.array([bin(i).count("1") for i in range(256)], np.uint8)


def _popcount(words: np.ndarray) -> np.ndarray:
    if hasattr(np, "bitwise_count"):  # numpy >= 2.0
        return np.bitwise_count(words).astype(np.int64)
    return _BYTE_BITS[words.view(np.uint8)].reshape(-1, 8).sum(axis=1, dtype=np.int64)


def _set_bits(words: np.ndarray) -> np.ndarray:
    """Positions of the set bits of ``words`` (bit b of word w is position 64w + b), ascending.

    One vectorized step per set bit of the fullest word, over the words that still have bits:
    much cheaper than unpacking to one byte per bit when bits are sparse (brackets outside strings)."""
    counts = _popcount(words)
    slot = np.cumsum(counts) - counts  # where each word's first bit goes in the output
    out = np.empty(int(counts.sum()), np.int64)
    active = np.flatnonzero(words)
    left = words[active]
    slot = slot[active]
    while len(active):
        low = left & (~left + np.uint64(1))  # the lowest set bit
        out[slot] = active * 64 + (np.frexp(low.astype(np.float64))[1] - 1)  # exact for powers of two
        left ^= low
        slot += 1
        more = left != 0
        active, left, slot = active[more], left[more], slot[more]
    return out


class _Walker:
    def __init__(self, path: Path, buf: mmap.mmap, size: int):
        self.path, self.buf, self.size = path, buf, size
        self._released = 0

    def _release(self, upto: int) -> None:
        """Drop the mapped pages before ``upto`` (chunks are copies): the file's pages would
        otherwise count towards this process's resident memory until the whole file is walked.
        They stay in the page cache, so reading them again (an error message) costs little."""
        end = upto - upto % mmap.PAGESIZE
        if end > self._released:
            self.buf.madvise(mmap.MADV_DONTNEED, self._released, end - self._released)
            self._released = end

    # -- errors -------------------------------------------------------------------------------
    def _fail(self, pos: int, what: str) -> InputError:
        line = self.buf[: min(pos, self.size)].count(b"\n") + 1 if pos < 50_000_000 else None
        where = f"byte {pos}" + (f" (line {line})" if line is not None else "")
        return InputError(self.path, what, record=where, hint="the file looks damaged or truncated; re-download it")

    def _truncated(self, pos: int, inside: str) -> InputError:
        return self._fail(pos, f"the file ends inside {inside}: it is truncated")

    def _found(self, pos: int) -> str:
        return repr(bytes(self.buf[pos : pos + 20]))

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
            raise self._fail(pos, f"expected {char.decode()!r} in {inside}, found {self._found(pos)}")
        return pos + 1

    def _string_end(self, pos: int) -> int:
        """``pos`` just after an opening quote; return the position just after the closing quote."""
        buf = self.buf
        while True:
            quote = buf.find(b'"', pos)
            if quote < 0:
                raise self._truncated(self.size, "a string")
            slashes = 0
            while buf[quote - 1 - slashes] == _BACKSLASH:
                slashes += 1
            if slashes % 2 == 0:
                return quote + 1
            pos = quote + 1

    def _value_end(self, pos: int, inside: str) -> int:
        """Return the end of the JSON value starting at ``pos`` (small values only: this walks tokens)."""
        buf = self.buf
        first = buf[pos]
        if first == _QUOTE:
            return self._string_end(pos + 1)
        if first not in b"{[":
            end = pos
            while end < self.size and buf[end] not in b",}] \t\r\n":
                end += 1
            if end == pos:
                raise self._fail(pos, f"expected a value in {inside}, found {self._found(pos)}")
            return end
        depth, i = 0, pos
        while True:
            if i >= self.size:
                raise self._truncated(i, inside)
            ch = buf[i]
            if ch == _QUOTE:
                i = self._string_end(i + 1)
                continue
            if ch in b"{[":
                depth += 1
            elif ch in b"}]":
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1

    def _parse_small(self, start: int, end: int, inside: str) -> object:
        try:
            return orjson.loads(self.buf[start:end])
        except orjson.JSONDecodeError as e:
            self._check_utf8(bytes(self.buf[start:end]), start)  # name the very byte, not the string
            raise self._fail(start + e.pos, f"invalid JSON in {inside}: {e.msg}") from None

    def _check_utf8(self, text: bytes, start: int) -> None:
        """Stop on bytes that are not UTF-8 (``json.loads`` refuses the file; pyarrow would not notice
        in fields it skips and would fail later in fields it keeps)."""
        if text.isascii():
            return
        decoder = codecs.getincrementaldecoder("utf-8")()
        view = memoryview(text)
        step = 4 << 20
        for at in range(0, len(text), step):
            pending = len(decoder.getstate()[0])  # bytes of a character cut by the previous step
            try:
                decoder.decode(view[at : at + step], final=at + step >= len(text))
            except UnicodeDecodeError as e:
                bad = start + at - pending + e.start
                raise self._fail(bad, f"invalid UTF-8: byte 0x{self.buf[bad]:02x} cannot start or continue a character here") from None

    # -- the walk -----------------------------------------------------------------------------
    def walk(self, stream_keys: set[str], chunk_bytes: int, skip_keys: frozenset[str]) -> Iterator[ArrayChunk | Value]:
        pos = self._expect(0, b"{", "the top-level object")
        pos = self._skip_ws(pos)
        seen: set[str] = set()
        if pos < self.size and self.buf[pos] == _CLOSE_BRACE:
            return self._check_rest(pos + 1)
        while True:
            pos = self._expect(pos, b'"', "the top-level object")
            key_end = self._string_end(pos)
            key = self._parse_small(pos - 1, key_end, "a top-level key")
            if key in seen:
                raise self._fail(pos - 1, f'the key "{key}" appears twice in the top-level object')
            seen.add(key)
            inside = f'the "{key}" value'
            pos = self._expect(key_end, b":", inside)
            pos = self._skip_ws(pos)
            if pos >= self.size:
                raise self._truncated(pos, inside)
            if key in stream_keys and self.buf[pos] == 0x5B:
                pos = yield from self._stream_array(key, pos + 1, chunk_bytes, key in skip_keys)
            else:
                end = self._value_end(pos, inside)
                yield Value(key, self._parse_small(pos, end, inside))
                pos = end
            pos = self._skip_ws(pos)
            if pos >= self.size:
                raise self._truncated(pos, "the top-level object")
            if self.buf[pos] == _CLOSE_BRACE:
                return self._check_rest(pos + 1)
            pos = self._expect(pos, b",", "the top-level object")

    def _check_rest(self, pos: int) -> None:
        pos = self._skip_ws(pos)
        if pos < self.size:
            raise self._fail(pos, f"text after the end of the JSON document: {self._found(pos)}")

    def _stream_array(self, key: str, pos: int, chunk_bytes: int, skip: bool):
        """Yield ArrayChunks of the array whose '[' is just before ``pos``; return the position after ']'."""
        inside = f'the "{key}" array'
        buf, size = self.buf, self.size
        pos = self._skip_ws(pos)
        if pos >= size:
            raise self._truncated(pos, inside)
        if buf[pos] == _CLOSE_BRACKET:
            yield Value(key, [])
            return pos + 1
        if buf[pos] != _OPEN_BRACE:
            raise self._fail(pos, f"elements of {inside} must be objects, found {self._found(pos)}")
        scanner = _Scanner(buf)
        scanned = pos  # bytes before this are scanned
        ends = np.zeros(0, np.int64)  # element ends scanned but not yet in a chunk
        close = None
        while True:
            # cut a chunk: whole elements, about chunk_bytes, at least one
            if len(ends) and (close is not None or scanned - pos >= chunk_bytes):
                take = max(1, int(np.searchsorted(ends, pos + chunk_bytes - 1, side="right")))
                cut = int(ends[take - 1]) + 1
                if not skip:
                    text = bytearray(cut - pos)  # one copy, which parse_chunk may change in place
                    np.frombuffer(text, np.uint8)[:] = np.frombuffer(buf, np.uint8, cut - pos, pos)
                    self._check_utf8(text, pos)
                    chunk = ArrayChunk(key, text, ends[:take] - pos)
                self._release(cut)
                if not skip:
                    yield chunk
                ends = ends[take:]
                # after an element: ',' and the next one, or the array's ']'
                after = self._skip_ws(cut)
                if after < size and buf[after] == _CLOSE_BRACKET:
                    return after + 1
                pos = self._expect(after, b",", inside)
                pos = self._skip_ws(pos)
                if pos >= size:
                    raise self._truncated(pos, inside)
                if buf[pos] != _OPEN_BRACE:
                    raise self._fail(pos, f"elements of {inside} must be objects, found {self._found(pos)}")
                continue
            if close is not None:  # the ']' came before any element ended after the last cut
                raise self._fail(close, f"unbalanced ']' in {inside}")
            if scanned >= size:
                raise self._truncated(size, inside)
            hi = min(size, scanned + _WINDOW)
            found, close, stray = scanner.scan(scanned, hi)
            if stray is not None:
                raise self._fail(stray, f"unbalanced '}}' in {inside}")
            ends = np.concatenate([ends, found]) if len(ends) else found
            scanned = hi

@dataclass
class BadRecord:
    index: int  # element index in the array
    record: dict | None
    reason: str
    detail: str


def _separators(chunk: ArrayChunk) -> np.ndarray | None:
    """Offsets of the commas between the chunk's elements, or None if a gap between two elements
    is not whitespace, one comma (more whitespace after it is checked by the parser)."""
    text = np.frombuffer(chunk.text, np.uint8)
    at = chunk.ends[:-1] + 1
    commas = np.empty(len(at), np.int64)
    todo = np.arange(len(at))
    while len(todo):  # one step per byte of the widest gap: 1 in compact files
        byte = text[at[todo]]
        comma = byte == _COMMA
        commas[todo[comma]] = at[todo[comma]]
        space = (byte == 0x20) | (byte == 0x0A) | (byte == 0x0D) | (byte == 0x09)
        if not (comma | space).all():
            return None
        todo = todo[space]
        at[todo] += 1
    return commas


def _read_options(size: int, *, threads: bool) -> pj.ReadOptions:
    return pj.ReadOptions(block_size=size + 1 if not threads else max(1 << 20, size // 8 + 1), use_threads=threads)


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
    The commas between elements (known from the walker's element ends) become newlines, so
    pyarrow reads the chunk as newline-delimited JSON on all cores; it must find exactly one
    row per element. Anything else goes to ``parse_chunk_whole`` and then the slow path.
    """
    table = None
    commas = _separators(chunk)
    if commas is not None:
        # a pretty-printed element spans lines: let the reader find where objects end
        options = _parse_options(schema, infer_others, newlines_in_values=chunk.text.find(b"\n") >= 0)
        # the walker's chunks are bytearrays: the commas become newlines in place and are put back
        # after the read (a copy of every chunk was ~1.5% of a merge's CPU); a chunk of bytes is copied
        lines = np.frombuffer(chunk.text, np.uint8)
        if not lines.flags.writeable:
            lines = lines.copy()
        lines[commas] = 0x0A
        try:
            table = pj.read_json(pa.py_buffer(lines), read_options=_read_options(len(lines), threads=True), parse_options=options)
        except pa.ArrowInvalid:
            table = None
        finally:
            lines[commas] = _COMMA  # the chunk's text as it was: a slower path reads it again
        del lines
    if table is None or table.num_rows != len(chunk.ends):
        return _parse_chunk_whole(chunk, schema, coerce, path, infer_others=infer_others)
    others = [n for n in table.column_names if n not in schema.names] if infer_others else []
    table = table.select(schema.names + others)
    return table.append_column("_index", _element_indices(chunk.first_index, table.num_rows)), []


def _parse_options(schema: pa.Schema, infer_others: bool, newlines_in_values: bool = False) -> pj.ParseOptions:
    return pj.ParseOptions(
        explicit_schema=schema,
        unexpected_field_behavior="infer" if infer_others else "ignore",
        newlines_in_values=newlines_in_values,
    )


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

    Rewriting the separators is a copy of the chunk; with several chunks in flight on worker
    threads this path hands all the work to pyarrow, which releases the GIL. For callers that
    parse chunks in parallel threads (``exporters.record.parse_on_workers``). Falls back to the
    slow path on any error. ``infer_others`` as in ``parse_chunk``.
    """
    return _parse_chunk_whole(chunk, schema, coerce, path, infer_others=infer_others)


def _parse_chunk_whole(chunk, schema, coerce, path, *, infer_others):
    wrapped = pa.schema([("a", pa.list_(pa.struct(list(schema))))])
    document = b'{"a":[' + chunk.text + b"]}"
    try:
        table = pj.read_json(
            pa.BufferReader(document),
            read_options=_read_options(len(document), threads=False),
            parse_options=_parse_options(wrapped, infer_others),
        )
        del document
        # (an inferred list<null> field can make pyarrow's own concatenation fail: ArrowIndexError)
        rows = table.column("a").combine_chunks().flatten()
    except (pa.ArrowInvalid, pa.ArrowIndexError):
        return _parse_chunk_slowly(chunk, schema, coerce, path)
    if len(rows) != len(chunk.ends):  # an element that is not an object (null, say)
        return _parse_chunk_slowly(chunk, schema, coerce, path)
    names = list(schema.names)
    if infer_others:
        names += [f.name for f in rows.type if f.name not in schema.names]
    columns = [rows.field(name) for name in names]
    index = _element_indices(chunk.first_index, len(rows))
    return pa.Table.from_arrays([*columns, index], names=[*names, "_index"]), []


def _element_indices(first: int, n: int) -> pa.Array:
    # from numpy, not from a Python range: pyarrow converts a range int by int (10% of a
    # full-size Objects365 ingest, measured with py-spy)
    return pa.array(np.arange(first, first + n, dtype=np.int64))


class RecordError(Exception):
    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def _parse_chunk_slowly(chunk: ArrayChunk, schema: pa.Schema, coerce, path: Path):
    try:
        records = orjson.loads(b"[" + chunk.text + b"]")
    except orjson.JSONDecodeError as e:
        raise InputError(
            path,
            f"invalid JSON: {e.msg}",
            record=f'"{chunk.key}"[{chunk.element_at(max(e.pos - 1, 0))}]',
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


# -- what to read from an array of records (a reader's wish list), and how one record is checked ---


@dataclass
class Fields:
    """What to read from one array of a COCO-style file: the input readers (``bigdet.sources``) and the
    readers of exported files (``bigdet.exporters.record``) both say it this way."""

    schema: pa.Schema  # JSON field name -> Arrow type
    required: tuple[str, ...]


def make_coercer(fields: Fields):
    """A function that checks one record against ``fields`` and converts it, raising RecordError."""
    converters = [(f.name, _converter(f.type), f.name in fields.required) for f in fields.schema]

    def coerce(record: dict) -> dict:
        out = {}
        for name, convert, required in converters:
            value = record.get(name)
            if value is None:
                if required:
                    raise RecordError("missing_field", f"field {name!r} is absent or null")
                out[name] = None
                continue
            try:
                out[name] = convert(value)
            except (TypeError, ValueError, OverflowError):
                raise RecordError("bad_value", f"field {name!r} has the bad value {_short(value)}") from None
        return out

    return coerce


def _short(value) -> str:
    text = orjson.dumps(value).decode()
    return text if len(text) <= 60 else text[:57] + "..."


def _converter(arrow_type: pa.DataType):
    if pa.types.is_integer(arrow_type):  # a value the column cannot hold is a bad value, not an OverflowError
        bounds = range(-(1 << arrow_type.bit_width - 1), 1 << arrow_type.bit_width - 1)
        return lambda value: _to_int(value, bounds)
    if pa.types.is_floating(arrow_type):
        return _to_float
    if pa.types.is_string(arrow_type):
        return _to_str
    if pa.types.is_boolean(arrow_type):
        return _to_bool
    if pa.types.is_list(arrow_type):
        inner = _converter(arrow_type.value_type)

        def to_list(value):
            if not isinstance(value, list):
                raise TypeError
            return [None if v is None else inner(v) for v in value]

        return to_list
    raise NotImplementedError(arrow_type)


def _to_int(value, bounds: range) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError
        value = int(value)
    if value not in bounds:
        raise ValueError
    return value


def _to_float(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError
    return float(value)


def _to_bool(value) -> bool:
    if not isinstance(value, bool):
        raise TypeError
    return value


def _to_str(value) -> str:
    if not isinstance(value, str):
        raise TypeError
    return value
