"""``bigdet export``: a merged output in another format (coco, parquet, yolo, fiftyone)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from bigdet.exporters import FORMATS, export

from .console import friendly, out, status


def register(app: typer.Typer) -> None:
    @app.command("export")
    @friendly
    def export_cmd(
        out_dir: Path = typer.Argument(..., help="A merged output folder (what `bigdet merge --out` wrote)"),
        fmt: str = typer.Option(..., "--format", help="coco, parquet, yolo or fiftyone"),
        to: Optional[Path] = typer.Option(None, "--to", help="Destination folder (replaced atomically); default OUT/exports/FORMAT"),
        cas_filter: bool = typer.Option(True, "--cas-filter/--no-cas-filter", help="coco: sampler weights only for the images BigDetection's trainer keeps (with boxes, sides >= 32 px)"),
    ):
        """Export a merged output as coco (the json, linked), parquet (one row per image), yolo (Ultralytics) or fiftyone."""
        if fmt not in FORMATS:
            raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(FORMATS)}", param_hint="--format")
        with status(f"exporting {fmt}"):
            result = export(out_dir, fmt, to, **({"cas_filter": cas_filter} if fmt == "coco" else {}))
        r = result.report
        counts = ", ".join(f"{r[k]:,} {k.replace('_', ' ')}" for k in ("images", "boxes", "crowd_left_out") if k in r)
        out.print(f"{fmt} written to {result.dest}" + (f": {counts}" if counts else ""))
