"""``bigdet stats``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from bigdet.report import write_report
from bigdet.stats import describe

from .console import friendly, out, safe, status, text
from .data import WorkersOpt


def register(app: typer.Typer) -> None:
    @app.command()
    @friendly
    def stats(
        path: Path = typer.Argument(Path("out"), help="A merge output folder, or any COCO-format detection json"),
        as_json: bool = typer.Option(False, "--json", help="Print the statistics as JSON"),
        report: Optional[Path] = typer.Option(None, "--report", help="Also write PNG plots and an HTML page to this folder"),
        top: int = typer.Option(15, help="Classes to list in the terminal"),
        workers: Optional[int] = WorkersOpt,
    ):
        """Describe a merged set (or any COCO json): splits, sources, classes, long tail, box shapes, label sets."""
        with status(f"reading {safe(path)}"):
            s = describe(path, workers=workers)
        if report is not None:
            written = write_report(s, report)
        if as_json:
            out.print_json(json.dumps(s))
        else:
            render(s, top)
        if report is not None:
            out.print(text(f"report: {written[-1]} ({len(written) - 1} plots)"))


def render(s: dict, top: int) -> None:
    """Every string from the files (paths, class, source and group names) goes in as ``text()``:
    printed literally, never read as markup."""
    t = Table("split", "files", "images", "boxes", title=text(f"{s['path']}: {s['images']:,} images, {s['boxes']:,} boxes"))
    for split, e in s["splits"].items():
        t.add_row(text(split), text(", ".join(e["files"])), f"{e['images']:,}", f"{e['boxes']:,}")
    out.print(t)
    t = Table("source", "images", "boxes")
    for src, e in s["sources"].items():
        t.add_row(text(src), f"{e['images']:,}", f"{e['boxes']:,}")
    out.print(t)
    t = Table("bucket (images per class)", "classes", "instances", title="frequency (LVIS buckets)")
    for name, e in s["frequency_buckets"].items():
        t.add_row(name, f"{e['classes']:,}", f"{e['instances']:,}")
    out.print(t)
    cats = sorted(s["categories"], key=lambda c: -c["instances"])
    t = Table("id", "class", "instances", "images", "sources", title=f"top {top} classes")
    for c in cats[:top]:
        t.add_row(str(c["id"]), text(c["name"]), f"{c['instances']:,}", f"{c['images']:,}", text(", ".join(f"{k} {v:,}" for k, v in c["sources"].items())))
    out.print(t)
    b, sz, ar = s["boxes_per_image"], s["box_sizes"], s["aspect_ratio"]
    n = max(s["boxes"], 1)
    out.print(f"boxes per image: mean {b['mean']:.1f}, median {b['median']:.0f}, p99 {b['p99']:.0f}, max {b['max']}; {b['without_boxes']:,} images without boxes")
    out.print(f"box sizes (COCO): small {sz['small'] / n:.1%}, medium {sz['medium'] / n:.1%}, large {sz['large'] / n:.1%}; median aspect w/h {ar['median_w_over_h']:.2f}")
    out.print(f"crowd / group-of: {s['crowd']['boxes']:,} boxes ({s['crowd']['share']:.2%})")
    ls = s["label_sets"]
    out.print(f"label sets: {ls['images_with_negatives']:,} images with negatives, {ls['images_with_not_exhaustive']:,} with not-exhaustive lists, of {ls['images']:,}")
    roll = ", ".join(f"{k} {v:,}" for k, v in list(s["hierarchy_rollup"].items())[:10])
    out.print(text(f"instances per group: {roll}"), soft_wrap=True)
