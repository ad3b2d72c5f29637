"""Exporters: one module per output format, behind one small interface.

``coco`` is the merge's own writer (``coco.write_file``); the other formats start from a merged output
folder (``OUT/annotations/*.json`` as ``bigdet merge`` wrote them) and write a folder of their own::

    export(out, fmt, dest) -> ExportResult

Every exporter writes into a staging folder of its own run and switches ``<dest>`` (a link to its
latest version, as the merge output is: ``bigdet.outputs``) to it in one atomic step only when complete
(``bigdet.store.staged_dir``), so a failed or interrupted export never leaves a half-written folder.
A format module provides ``FORMAT`` (its name), ``DESCRIPTION`` and ``write(merged, staging, **options) -> dict``
(the counts it exported and left out, which end up in ``<dest>/export_report.json``).
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BigdetError, InputError
from ..outputs import annotation_files
from . import record

#: format name -> module under bigdet.exporters (imported only when used: fiftyone is heavy)
FORMATS = {"coco": "coco_files", "parquet": "parquet", "yolo": "yolo", "fiftyone": "fiftyone"}
REPORT_FILE = "export_report.json"


@dataclass
class Merged:
    """A merged output folder, checked to look like one."""

    root: Path
    files: list[Path] = field(default_factory=list)  # annotations/*.json, in the merge's id order

    @classmethod
    def open(cls, root: Path) -> "Merged":
        root = Path(root)
        folder = root / "annotations"
        if not folder.is_dir():
            raise InputError(root, "no annotations/ folder", hint="give the folder `bigdet merge --out` wrote")
        files = sorted(annotation_files(folder), key=lambda p: record.train_file_rank(p.name))
        if not files:
            raise InputError(folder, "no .json files", hint="give the folder `bigdet merge --out` wrote")
        return cls(root, files)

    @staticmethod
    def split_of(path: Path) -> str:
        from .record import split_of

        return split_of(path)


@dataclass
class ExportResult:
    fmt: str
    dest: Path
    report: dict


def default_dest(out: Path, fmt: str) -> Path:
    """``OUT/exports/<format>``: inside the merged folder, so a new merge (which replaces OUT) drops stale exports."""
    return Path(out) / "exports" / fmt


def export(out: Path, fmt: str, dest: Path | None = None, **options) -> ExportResult:
    """Export the merged output ``out`` in format ``fmt`` to ``dest`` (atomically)."""
    from ..store import staged_dir

    if fmt not in FORMATS:
        raise BigdetError(f"unknown export format {fmt!r}; one of: {', '.join(FORMATS)}")
    merged = Merged.open(out)
    dest = Path(dest) if dest is not None else default_dest(out, fmt)
    root, target = merged.root.resolve(), dest.resolve()
    inside = target == root or root in target.parents
    if target in root.parents or (inside and not (root / "exports") in target.parents):
        raise BigdetError(f"{dest}: exporting there would write into or over the merged output {out} (only its exports/ folder is for exports); choose another --to")
    module = importlib.import_module(f"{__name__}.{FORMATS[fmt]}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    with staged_dir(dest, what="--to") as staging:
        report = module.write(merged, staging, **options)
        report = {"format": fmt, "source": str(merged.root.resolve()), **report}
        (staging / REPORT_FILE).write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    return ExportResult(fmt, dest, report)


def link_or_copy(src: Path, dst: Path) -> None:
    """A hard link (no extra space, same bytes), or a copy across file systems."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
