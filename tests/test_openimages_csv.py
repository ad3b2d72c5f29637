"""The Open Images CSV reader against Python's ``csv`` module (hypothesis), and its failure paths.

Every byte range size, every worker count: the rows stored, their line numbers, the malformed rows
and the rows read are what ``csv.reader`` finds in the same text; a record that spans lines (a quote
left open) stops the run naming its first line. A worker's failure reaches the caller.
"""

from __future__ import annotations

import csv
import io
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bigdet.checks import Rejects
from bigdet.errors import InputError
from bigdet.sources import openimages

COLUMNS = {"a": pa.string(), "b": pa.dictionary(pa.int32(), pa.string()), "n": pa.float64(), "k": pa.int16()}
TEXT = st.text(alphabet=st.sampled_from(list('ab ,"\'é\t;x')), max_size=8)
NUMBER = st.one_of(st.floats(allow_nan=False, allow_infinity=False, width=32).map(repr), st.integers(-(10**6), 10**6).map(str))
ROW = st.tuples(TEXT, TEXT, NUMBER, st.integers(-(2**15), 2**15 - 1).map(str))


class Recorder:
    """A consumer that keeps what it is fed (as ``consume_csv`` feeds the box writer)."""

    def __init__(self):
        self.rejects = Rejects("openimages", "val")
        self.tables: list[pa.Table] = []
        self.lines: list[np.ndarray] = []

    def __call__(self, table, lines):
        self.tables.append(table)
        self.lines.append(lines)

    def abort(self):
        self.tables.clear()
        self.lines.clear()

    def rows(self) -> list[tuple]:
        out = []
        for t, lines in zip(self.tables, self.lines):
            d = t.to_pydict()
            out += [(int(n), d["a"][i], d["b"][i], d["n"][i], d["k"][i]) for i, n in enumerate(lines)]
        return out


def consume(path: Path, columns=COLUMNS, workers: int = 2):
    recorder = None

    def make():
        nonlocal recorder
        recorder = Recorder()
        return recorder

    _, read = openimages.consume_csv(path, columns, tuple(columns), "boxes", make, workers)
    return recorder, read


def reference(text: str, width: int):
    """Records of ``text`` after its header by ``csv.reader``: (line, fields), or None if one spans lines."""
    reader = csv.reader(io.StringIO(text, newline=""))
    records, end = [], 0
    for row in reader:
        if reader.line_num - end > 1:
            return None
        if row and end:
            records.append((end + 1, row))
        end = reader.line_num
    return records


def small_ranges(monkeypatch, range_bytes: int) -> None:
    monkeypatch.setattr(openimages, "MIN_RANGE_BYTES", range_bytes)
    monkeypatch.setattr(openimages, "MAX_RANGE_BYTES", range_bytes)
    monkeypatch.setattr(openimages, "IN_FLIGHT_BYTES", 3 * range_bytes)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.one_of(ROW, ROW, ROW, st.tuples(TEXT, TEXT, NUMBER), st.just(())), max_size=25),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
    crlf=st.booleans(),
    range_bytes=st.integers(1, 300),
    workers=st.integers(1, 3),
)
def test_quoted_fields_read_as_the_csv_module_reads_them(monkeypatch, rows, quoting, crlf, range_bytes, workers):
    small_ranges(monkeypatch, range_bytes)
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=quoting if quoting != csv.QUOTE_NONNUMERIC else csv.QUOTE_MINIMAL, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(COLUMNS)
    for row in rows:
        if row:
            writer.writerow(row)
        else:
            out.write("\r\n" if crlf else "\n")  # a blank line: no record, but it counts as a line
    text = out.getvalue()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.csv"
        path.write_bytes(text.encode())
        got, read = consume(path, workers=workers)
    expected = reference(text, len(COLUMNS))
    assert read == len(expected)
    whole = [(line, r) for line, r in expected if len(r) == len(COLUMNS)]
    assert got.rows() == [(line, r[0], r[1], float(np.float64(r[2])), int(r[3])) for line, r in whole]
    rejects = got.rejects.table().to_pylist()
    assert [(r["record"], r["reason"]) for r in rejects] == [(f"line {line}", "malformed_row") for line, r in expected if len(r) != len(COLUMNS)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.text(alphabet=st.sampled_from(list('a,,""\n\n\r1 ')), max_size=60),
    range_bytes=st.integers(1, 40),
    workers=st.integers(1, 3),
)
def test_any_text_reads_as_the_csv_module_reads_it_or_stops_at_a_record_spanning_lines(monkeypatch, body, range_bytes, workers):
    small_ranges(monkeypatch, range_bytes)
    columns = {"a": pa.string(), "b": pa.string()}
    text = "a,b\n" + body
    expected = reference(text, 2)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.csv"
        path.write_bytes(text.encode())
        if expected is None:
            with pytest.raises(InputError, match=r"f\.csv, line \d+: .*quote left open"):
                consume(path, columns, workers)
            return
        got, read = consume(path, columns, workers)
    assert read == len(expected)
    stored = [(int(n), a, b) for t, lines in zip(got.tables, got.lines) for n, a, b in zip(lines, t.column("a").to_pylist(), t.column("b").to_pylist())]
    assert stored == [(line, *r) for line, r in expected if len(r) == 2]
    assert [r["record"] for r in got.rejects.table().to_pylist()] == [f"line {line}" for line, r in expected if len(r) != 2]


def box_file(tmp_path: Path, rows: int, bad: dict[int, str] | None = None) -> Path:
    """A 13-column box file of ``rows`` rows; ``bad`` replaces the rows at given line numbers."""
    lines = ["ImageID,Source,LabelName,Confidence,XMin,XMax,YMin,YMax,IsOccluded,IsTruncated,IsGroupOf,IsDepiction,IsInside"]
    for line in range(2, rows + 2):
        lines.append((bad or {}).get(line, f"{line:016x},xclick,/m/01g317,1,0.1,0.2,0.1,0.2,0,0,0,0,0"))
    path = tmp_path / "validation-annotations-bbox.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def in_thread(func, timeout: float = 60):
    """Run ``func`` in a thread; return (result, error), failing the test if it does not end in time."""
    box: dict = {}

    def target():
        try:
            box["result"] = func()
        except BaseException as e:  # noqa: BLE001 - handed to the test
            box["error"] = e

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), "the reader hangs"
    return box.get("result"), box.get("error")


@pytest.mark.parametrize("error", [RuntimeError("boom"), MemoryError(), OSError(5, "Input/output error")])
def test_a_failure_in_a_parse_worker_reaches_the_caller_without_a_hang(tmp_path, monkeypatch, error):
    small_ranges(monkeypatch, 4096)
    path = box_file(tmp_path, 2000)
    real = pa.BufferReader
    calls = []

    def failing(source):  # each range is parsed from a BufferReader over its bytes, on a worker
        calls.append(threading.current_thread().name)
        if len(calls) == 3:
            raise error
        return real(source)

    monkeypatch.setattr(pa, "BufferReader", failing)
    slow = []
    monkeypatch.setattr(openimages, "read_csv", lambda *a, **k: slow.append(a))  # the re-read for damaged files
    _, raised = in_thread(lambda: consume(path, openimages.BOX_COLUMNS, workers=2))
    assert raised is error
    assert slow == []  # a failure that is not damage is not re-read as "damaged"
    assert calls[2].startswith("csv ")  # it did happen on a worker


def test_a_failure_in_the_consumer_stops_the_workers(tmp_path, monkeypatch):
    small_ranges(monkeypatch, 4096)
    path = box_file(tmp_path, 3000)

    def make():
        def consumer(table, lines):
            raise ValueError("writer failed")

        return consumer

    _, raised = in_thread(lambda: openimages.consume_csv(path, openimages.BOX_COLUMNS, tuple(openimages.BOX_COLUMNS), "boxes", make, 3))
    assert isinstance(raised, ValueError)
    time.sleep(0.1)
    assert not [t for t in threading.enumerate() if t.name.startswith("csv ")]  # no parser left behind


def test_ranges_parsed_ahead_are_bounded_whatever_the_worker_count(tmp_path, monkeypatch):
    small_ranges(monkeypatch, 4096)  # IN_FLIGHT_BYTES = 3 ranges
    path = box_file(tmp_path, 3000)  # about 50 ranges
    real = pa.BufferReader
    parsed = []
    monkeypatch.setattr(pa, "BufferReader", lambda source: parsed.append(1) or real(source))
    stream = openimages.stream_csv(path, openimages.BOX_COLUMNS, tuple(openimages.BOX_COLUMNS), workers=16)
    consumed = 0
    for _table, _lines in stream:
        consumed += 1
        time.sleep(0.002)  # a slow consumer: the 16 workers must wait for it, not parse the file ahead
        assert len(parsed) - consumed <= 3
    assert consumed == len(parsed) > 40


def test_an_unterminated_quote_stops_the_run_naming_its_line(tmp_path):
    path = box_file(tmp_path, 1000, bad={4: '00000000000000aa,xclick,"/m/01g317,1,0.1,0.2,0.1,0.2,0,0,0,0,0'})
    with pytest.raises(InputError, match=r"validation-annotations-bbox\.csv, line 4: .*quote left open"):
        consume(path, openimages.BOX_COLUMNS)


def test_an_unterminated_quote_in_a_large_file_stops_the_run_naming_its_line(tmp_path, monkeypatch):
    small_ranges(monkeypatch, 64 << 10)
    path = box_file(tmp_path, 20000, bad={15000: '00000000000000aa,"xclick,/m/01g317,1,0.1,0.2,0.1,0.2,0,0,0,0,0'})
    with pytest.raises(InputError, match=r"validation-annotations-bbox\.csv, line 15000: .*quote left open"):
        consume(path, openimages.BOX_COLUMNS)


def test_text_that_is_not_utf8_stops_the_run_naming_its_line(tmp_path):
    path = box_file(tmp_path, 50)
    path.write_bytes(path.read_bytes().replace(b"0000000000000014,xclick", b"0000000000000014,xcl\xe9ck"))  # line 20, Latin-1
    with pytest.raises(InputError, match=r"validation-annotations-bbox\.csv, line 20: byte 0xe9 is not UTF-8"):
        consume(path, openimages.BOX_COLUMNS)


def test_a_latin1_header_stops_the_run_on_one_line(tmp_path):
    path = tmp_path / "image_sizes.csv"
    path.write_bytes(b"ImageID,width,h\xe9ight\n")
    with pytest.raises(InputError, match=r"image_sizes\.csv, line 1: byte 0xe9 is not UTF-8"):
        openimages.read_csv(path, openimages.SIZE_COLUMNS, Rejects("openimages", "all"), "image_sizes")
