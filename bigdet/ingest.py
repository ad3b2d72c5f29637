"""Ingest: read one source's files with its reader and write them to the store.

The result is reconciled before anything is written: for every split and table,
``rows read == rows stored + rows rejected``; a reader that loses a row is a bug and stops the run.
Unchanged inputs are not read again: the store's manifest keeps a fingerprint of the input files
(path, size, modification time), the reader options and the schema version.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import __version__
from .errors import BigdetError
from .jsonstream import DEFAULT_CHUNK_BYTES
from .layout import Layout
from .outputs import os_error, refuse_overlap, store_lock
from .schema import SCHEMA_VERSION
from .sources import SourceData, reader, registry  # noqa: F401 (reader: callers and tests reach the reader modules through it)
from .store import SourceOutput, SplitOutput, Store, staged_dir, write_manifest, write_table



@dataclass
class TableCounts:
    read: int
    stored: int
    rejected: dict[str, int] = field(default_factory=dict)

    @property
    def reconciles(self) -> bool:
        return self.read == self.stored + sum(self.rejected.values())

    def as_dict(self) -> dict:
        return {"read": self.read, "stored": self.stored, "rejected": dict(sorted(self.rejected.items()))}


@dataclass
class IngestReport:
    source: str
    version: str
    store_dir: Path
    up_to_date: bool
    seconds: float
    counts: dict[str, dict[str, TableCounts]]  # split -> table -> counts
    notes: list[str] = field(default_factory=list)

    @property
    def reconciles(self) -> bool:
        return all(c.reconciles for tables in self.counts.values() for c in tables.values())

    @classmethod
    def from_manifest(cls, manifest: dict, store_dir: Path, up_to_date: bool) -> "IngestReport":
        counts = {
            split: {t: TableCounts(c["read"], c["stored"], c["rejected"]) for t, c in tables.items()}
            for split, tables in manifest["splits"].items()
        }
        return cls(manifest["source"], manifest["version"], store_dir, up_to_date, manifest["seconds"], counts, manifest.get("notes", []))


def fingerprint(files: list[Path], options: dict) -> tuple[str, list[dict]]:
    inputs = []
    for path in sorted(files):
        st = path.stat()
        inputs.append({"path": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns})
    blob = json.dumps({"inputs": inputs, "options": options, "schema": SCHEMA_VERSION, "bigdet": __version__}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16], inputs


def ingest(
    source: str,
    layout: Layout,
    *,
    force: bool = False,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> IngestReport:
    """Ingest ``source`` (a name or alias) into ``layout.store``; skip it when its inputs are unchanged.

    ``progress(done_bytes, total_bytes)`` is called as input is read. The store is locked for the
    run (a second run stops with a clear message) and must lie apart from the inputs; an unreadable
    input or unwritable store is one line naming the path. ``workers``: threads that
    parse (``bigdet.workers``; not part of the fingerprint: outputs do not depend on it).
    """
    refuse_overlap(layout.store, "the store", layout.inputs())
    with store_lock(layout.store):
        try:
            return _ingest(registry.get(source, layout.datasets), layout, force=force, chunk_bytes=chunk_bytes, progress=progress, workers=workers)
        except OSError as e:
            raise os_error(e) from None


def _ingest(row: registry.Source, layout: Layout, *, force: bool, chunk_bytes: int, progress: Callable[[int, int], None] | None,
            workers: int | None) -> IngestReport:
    source = row.name
    module = row.module()
    store = Store(layout.store)
    files = module.input_files(layout)
    options = {"chunk_bytes": chunk_bytes}
    fp, inputs = fingerprint(files, options)
    manifest = store.manifest(source)
    if not force and manifest is not None and manifest.get("fingerprint") == fp and manifest.get("schema_version") == SCHEMA_VERSION:
        return IngestReport.from_manifest(manifest, store.source_dir(source), up_to_date=True)

    total = sum(i["size"] for i in inputs)
    done = 0

    def advance(nbytes: int) -> None:
        nonlocal done
        done = min(done + nbytes, total)
        if progress is not None:
            progress(done, total)

    started = time.perf_counter()
    target = store.source_dir(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    with staged_dir(target) as staging:
        output = SourceOutput(staging, source)
        try:
            data: SourceData = module.read(layout, output=output, chunk_bytes=chunk_bytes, progress=advance, workers=workers)
        except BaseException:
            output.wait(failed=True)  # no writer thread outlives the run or writes into a removed staging folder
            raise
        output.wait()  # a split's Parquet files were finished beside the next split's read
        counts = _count(data)
        bad = [(s, t) for s, tables in counts.items() for t, c in tables.items() if not c.reconciles]
        if bad:
            raise BigdetError(f"internal error: the {source} reader lost rows in {bad}; please report this with `bigdet env`")
        write_table(data.categories, staging / "categories.parquet", metadata={"source": source, "version": data.version})
        manifest = {
            "source": source,
            "version": data.version,
            "fingerprint": fp,
            "inputs": inputs,
            "options": options,
            "seconds": round(time.perf_counter() - started, 3),
            "notes": data.notes,
            "label_lists": data.label_lists,
            "categories": data.categories.num_rows,
            "splits": {s: {t: c.as_dict() for t, c in tables.items()} for s, tables in counts.items()},
        }
        write_manifest(staging, manifest)
    if progress is not None:
        progress(total, total)
    return IngestReport.from_manifest(store.manifest(source), target, up_to_date=False)


def _count(data: SourceData) -> dict[str, dict[str, TableCounts]]:
    counts: dict[str, dict[str, TableCounts]] = {}
    for split in data.splits:
        tables = {}
        for table, read in split.read.items():
            rejected = split.rejects.count(table)
            if table in SplitOutput.STORED:
                stored = split.stored[table]
            else:  # auxiliary inputs (image sizes, metadata) are used, not stored: kept = read - rejected
                stored = read - sum(rejected.values())
            tables[table] = TableCounts(read, stored, rejected)
        counts[split.split] = tables
    return counts
