"""The Parquet store that ingest writes and every later stage reads.

Layout::

    STORE/<source>/manifest.json            fingerprint of the inputs, counts, schema version
    STORE/<source>/categories.parquet
    STORE/<source>/<split>/images.parquet
    STORE/<source>/<split>/boxes.parquet
    STORE/<source>/<split>/image_labels.parquet
    STORE/<source>/<split>/rejects.parquet
    STORE/datasets/<NAME>/...               a user's COCO dataset (merge --sources NAME=PATH), same files;
                                            re-read when PATH's files change (the manifest's fingerprint)

``STORE/<source>`` is a link to a version folder ``STORE/<source>.bigdet/<run id>/``: a source is
written into a staging folder of its own and the link is switched to it in one atomic step only when
every file is complete, so an interrupted ingest leaves the previous store of that source untouched
(see ``bigdet.outputs``). ``STORE/bigdet.lock`` keeps two runs from writing the store at once.
"""

from __future__ import annotations

import json
import queue
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from . import __version__
from .errors import StoreError
from .outputs import VersionedDir
from .schema import CATEGORIES, SCHEMA_VERSION, TABLES

ROW_GROUP_ROWS = 1 << 20


def _with_metadata(schema: pa.Schema, metadata: dict[str, str] | None) -> pa.Schema:
    meta = dict(schema.metadata or {})
    meta.update({b"bigdet.schema_version": SCHEMA_VERSION.encode(), b"bigdet.version": __version__.encode()})
    for key, value in (metadata or {}).items():
        meta[f"bigdet.{key}".encode()] = str(value).encode()
    return schema.with_metadata(meta)


def _parquet_options(schema: pa.Schema) -> dict:
    # LZ4 (Parquet's LZ4_RAW) and dictionaries for text columns only. Dictionaries everywhere with zstd
    # took twice the write time for files ~15% smaller (Open Images boxes); against Snappy, LZ4 writes
    # in the same time files as large, and the merge reads the columns it builds from 2-3x faster
    # (Objects365 boxes, 1.33M rows: 0.09 s against 0.20-0.30 s; uncompressed 0.04 s, files 1.6x larger).
    text = [f.name for f in schema if pa.types.is_dictionary(f.type) or pa.types.is_string(f.type)]
    return {"compression": "lz4", "use_dictionary": text}


class TableWriter:
    """Writes one Parquet file from a stream of tables, in a background thread.

    Every stage writes through this: tables of any size go in, row groups of about
    ROW_GROUP_ROWS come out, and the encoding runs beside the caller's work (pyarrow releases the
    GIL while it writes). The queue is short, so memory stays bounded. ``close()`` returns the row
    count and re-raises any error the thread met.
    """

    def __init__(self, path: Path, schema: pa.Schema, *, metadata: dict[str, str] | None = None):
        self.path = Path(path)
        self.schema = _with_metadata(schema, metadata)
        self.rows = 0
        self._pending: list[pa.Table] = []
        self._pending_rows = 0
        self._queue: queue.Queue = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        self._ended = False
        self._thread = threading.Thread(target=self._run, name=f"write {self.path.name}", daemon=True)
        self._thread.start()

    def write(self, table: pa.Table) -> None:
        if not table.schema.equals(self.schema, check_metadata=False):
            raise ValueError(f"{self.path.name}: table schema differs from the file's:\n{table.schema}")
        if self._error is not None:
            raise self._error
        if self._ended:
            raise ValueError(f"{self.path.name}: written after it was ended")
        self.rows += table.num_rows
        self._pending.append(table)
        self._pending_rows += table.num_rows
        if self._pending_rows >= ROW_GROUP_ROWS:
            self._flush()

    def close(self) -> int:
        self.end()
        return self.join()

    def end(self, *, keep: bool = True) -> int:
        """No more tables: the rest is written in the background (``join`` waits for it). Returns the
        rows given. ``keep=False`` (the run failed): the tables not yet handed over are dropped."""
        if not self._ended:
            if keep:
                self._flush()
            self._queue.put(None)
            self._ended = True
        return self.rows

    def join(self) -> int:
        """Wait until the file is written (``end`` first); re-raise the writer's error. The rows written."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self.rows

    def _flush(self) -> None:
        if self._pending:
            self._queue.put(pa.concat_tables(self._pending))
            self._pending, self._pending_rows = [], 0

    def _run(self) -> None:
        try:
            with pq.ParquetWriter(self.path, self.schema, **_parquet_options(self.schema)) as writer:
                while (table := self._queue.get()) is not None:
                    writer.write_table(table.replace_schema_metadata(self.schema.metadata), row_group_size=ROW_GROUP_ROWS)
        except BaseException as e:  # handed to the caller by write() / close()
            self._error = e
            while self._queue.get() is not None:  # drain so the caller never blocks
                pass


def write_table(table: pa.Table, path: Path, *, metadata: dict[str, str] | None = None) -> int:
    """Write one whole table as Parquet with the schema version in its metadata; return the row count."""
    writer = TableWriter(path, table.schema, metadata=metadata)
    writer.write(table)
    return writer.close()


@contextmanager
def staged_dir(final: Path, what: str = "store folder") -> Iterator[Path]:
    """Yield a staging folder of this run; on success switch ``final`` to it in one atomic step,
    on failure remove it (``final`` is untouched either way until the switch). ``what`` names the
    folder in messages (``--to`` for an export)."""
    with VersionedDir(final, kind="store", what=what).staging() as staging:
        yield staging


class SplitOutput:
    """The tables of one source split, written while the reader produces them.

    ``write(name, table)`` appends to ``<name>.parquet``; ``discard(name)`` throws a table's rows
    away (a reader that restarts a file on its slow path); ``close(rejects)`` writes the rejects,
    creates empty files for tables never written, and returns the rows stored per table.
    """

    STORED = ("images", "boxes", "image_labels")

    def __init__(self, folder: Path, metadata: dict[str, str]):
        self.folder = folder
        self.metadata = metadata
        folder.mkdir(parents=True, exist_ok=True)
        self._writers: dict[str, TableWriter] = {}

    def _writer(self, name: str) -> TableWriter:
        if name not in self._writers:
            self._writers[name] = TableWriter(self.folder / f"{name}.parquet", TABLES[name], metadata=self.metadata)
        return self._writers[name]

    def write(self, name: str, table: pa.Table) -> None:
        self._writer(name).write(table)

    def discard(self, name: str) -> None:
        writer = self._writers.pop(name, None)
        if writer is not None:
            writer.close()
            writer.path.unlink()

    def close(self, rejects: pa.Table) -> dict[str, int]:
        """The last table (the rejects); returns the rows stored per table. The files are finished in
        the background, beside the reader's next file (``SourceOutput.wait`` waits for them)."""
        self.write("rejects", rejects)
        rows = {name: self._writer(name).end() for name in (*self.STORED, "rejects")}
        return {name: rows[name] for name in self.STORED}

    def wait(self, *, failed: bool = False) -> None:
        """Wait for the files; re-raise the first writer's error. ``failed``: the read stopped, so
        the tables not yet handed over are dropped and writers' errors are not raised (the read's is)."""
        for writer in self._writers.values():
            writer.end(keep=not failed)
        for writer in self._writers.values():
            try:
                writer.join()
            except BaseException:
                if not failed:
                    raise


class SourceOutput:
    """Where a reader writes: one SplitOutput per split, under the staging folder of its source. A
    split's files are finished while the next split is read; ``wait`` before using them."""

    def __init__(self, folder: Path, source: str):
        self.folder = folder
        self.source = source
        self.version = ""
        self._splits: list[SplitOutput] = []

    def split(self, split: str, files: list[Path]) -> SplitOutput:
        meta = {"source": self.source, "version": self.version, "split": split, "files": json.dumps([str(p) for p in files])}
        self._splits.append(SplitOutput(self.folder / split, meta))
        return self._splits[-1]

    def wait(self, *, failed: bool = False) -> None:
        """Wait until every split's files are written (``SplitOutput.wait``)."""
        for split in self._splits:
            split.wait(failed=failed)


class Store:
    """Read access to a store directory (see the module docstring for its layout)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def source_dir(self, source: str) -> Path:
        """A built-in source's folder, or ``datasets/NAME`` for a user's dataset (apart from the built-ins')."""
        from .sources.registry import is_builtin

        return self.root / source if is_builtin(source) else self.root / "datasets" / source

    def manifest(self, source: str) -> dict | None:
        path = self.source_dir(source) / "manifest.json"
        if not path.exists():
            return None
        return json.loads(path.read_text())

    def has(self, source: str) -> bool:
        return self.manifest(source) is not None

    def splits(self, source: str) -> list[str]:
        manifest = self._require(source)
        return list(manifest["splits"])

    def categories(self, source: str) -> pa.Table:
        self._require(source)
        return self._read(self.source_dir(source) / "categories.parquet", CATEGORIES)

    def table(self, source: str, split: str, name: str, columns: list[str] | None = None) -> pa.Table:
        if name not in TABLES:
            raise StoreError(f"unknown table {name!r}; tables are {', '.join(TABLES)}")
        self._require(source)
        return self._read(self.source_dir(source) / split / f"{name}.parquet", TABLES[name], columns)

    def _require(self, source: str) -> dict:
        manifest = self.manifest(source)
        if manifest is None:
            raise StoreError(f"{self.source_dir(source)}: no store for {source!r}; run `bigdet ingest {source}` first")
        if manifest.get("schema_version") != SCHEMA_VERSION:
            raise StoreError(
                f"{self.source_dir(source)}: written with schema version {manifest.get('schema_version')!r}, "
                f"this bigdet reads {SCHEMA_VERSION!r}; re-run `bigdet ingest {source} --force`"
            )
        return manifest

    @staticmethod
    def _read(path: Path, schema: pa.Schema, columns: list[str] | None = None) -> pa.Table:
        if not path.exists():
            raise StoreError(f"{path}: missing from the store; re-run ingest with --force")
        return pq.read_table(path, columns=columns, schema=schema if columns is None else None)


def write_manifest(directory: Path, manifest: dict) -> None:
    manifest = {"schema_version": SCHEMA_VERSION, "bigdet_version": __version__, **manifest}
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
