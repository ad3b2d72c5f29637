"""``bigdet dedup``: exact and near duplicate images within and across sources, on Ray Data."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.markup import escape
from rich.table import Table

from bigdet import dedup
from bigdet.layout import Layout

from .console import friendly, out, status, text
from .data import WorkersOpt, expand_sources, with_layout


def register(app: typer.Typer) -> None:
    @app.command("dedup")
    @friendly
    @with_layout
    def dedup_cmd(
        sources: List[str] = typer.Option(["all"], "--sources", help="lvis, oi, o365 or all: `--sources lvis oi o365`"),
        more_sources: Optional[List[str]] = typer.Argument(None, hidden=True, help="the rest of a space-separated --sources list"),
        against: Optional[List[str]] = typer.Option(None, "--against", help="NAME=DIR: also hash a folder of reference images (e.g. coco_val=/data/coco/val2017) and report train images that duplicate them (repeatable)"),
        out_file: Optional[Path] = typer.Option(None, "--out", help="Pairs as Parquet (default STORE/_dedup/duplicates.parquet)"),
        threshold: int = typer.Option(dedup.THRESHOLD, "--threshold", help="Largest perceptual-hash distance (bits of 64) of a near duplicate"),
        ray_address: Optional[str] = typer.Option(None, "--ray-address", help="Run on this Ray cluster (e.g. 10.0.0.1:6379 or auto) instead of an embedded local Ray"),
        layout: Layout = None,  # made by with_layout from its options
        workers: Optional[int] = WorkersOpt,
    ):
        """Hash every image (content + perceptual hash, on Ray Data), list exact and near duplicate pairs, print leaks of train into val."""
        refs = dedup.parse_against(against)
        names = expand_sources(list(sources) + list(more_sources or []))
        with status("finding duplicates"):
            result = dedup.find_duplicates(layout, names, refs, threshold=threshold, ray_address=ray_address, workers=workers)
        target = out_file or dedup.default_out(layout)
        dedup.write_pairs(result.pairs, target)
        print_result(result, target)


def print_result(result: dedup.DedupResult, target: Path) -> None:
    for note in result.notes:
        out.print(f"note: {escape(note)}")
    out.print(
        f"{result.n_files:,} image files ({result.n_images:,} records): {result.n_hashed:,} hashed, {result.n_cached:,} from the cache; "
        + ", ".join(f"{k} {v:.1f} s" for k, v in result.seconds.items())
    )
    if result.errors:
        out.print(f"[yellow]{len(result.errors):,} image files missing or unreadable[/] (not hashed), first {min(len(result.errors), dedup.SHOW_ERRORS)}:")
        for file, error in result.errors[: dedup.SHOW_ERRORS]:
            out.print(f"  {escape(file)}: {escape(error)}", soft_wrap=True)
    table = Table("images a", "images b", "exact", "near", title=f"duplicate pairs (pHash distance <= {result.threshold})")
    for row in dedup.summary(result.pairs).itertuples(index=False):
        table.add_row(text(row.a), text(row.b), f"{row.exact:,}", f"{row.near:,}")
    out.print(table)
    leaks = dedup.leaks(result.pairs)
    if len(leaks):
        counts = leaks.groupby(["source", "duplicate_of"]).size()
        by = Table("train images of", "duplicate an image of", "images", title="leaks: train images that duplicate a val or reference image")
        for (source, of), n in counts.items():
            by.add_row(text(source), text(of), f"{n:,}")
        out.print(by)
    else:
        out.print("leaks: no train image duplicates a val or reference image")
    out.print(f"{len(result.pairs):,} pairs written to {escape(str(target))}")
