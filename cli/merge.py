"""``bigdet merge`` and ``bigdet validate``."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.markup import escape
from rich.table import Table

from bigdet.build import run
from bigdet.dedup import parse_against
from bigdet.errors import BigdetError
from bigdet.layout import Layout
from bigdet.sources.registry import parse_datasets
from bigdet.validate import validate

from .console import friendly, out, safe, status, text
from .data import WorkersOpt, expand_sources, with_layout


def register(app: typer.Typer) -> None:
    @app.command()
    @friendly
    @with_layout
    def merge(
        sources: List[str] = typer.Option(["all"], "--sources", help="lvis, oi, o365, all, and your COCO datasets as NAME=PATH: `--sources lvis oi o365 mine=/data/mine`"),
        more_sources: Optional[List[str]] = typer.Argument(None, hidden=True, help="the rest of a space-separated --sources list"),
        out_dir: Path = typer.Option(Path("out"), "--out", help="Output folder: a link to its latest version, switched atomically (see the README)"),
        taxonomy: str = typer.Option("bigdet600", "--taxonomy", help="bigdet600 or a file of target class names"),
        granularity: Optional[int] = typer.Option(None, "--granularity", min=1, help="Merge into the derived space of the hierarchy nodes at depth <= N (see `bigdet taxonomy derive`)"),
        keep: Optional[Path] = typer.Option(None, "--keep", help="Merge into the derived space of the named classes or groups (a file, one a line)"),
        combined: bool = typer.Option(False, "--combined", help="One bigdet_train.json instead of one train file per source"),
        holdout: int = typer.Option(0, "--holdout", help="Also draw a held-out val of this many train images (deterministic, rare classes first)"),
        deep_validate: bool = typer.Option(False, "--deep-validate", help="Also re-read every written file and load it with pycocotools (as `bigdet validate` does); slower"),
        dedup: bool = typer.Option(False, "--dedup", help=escape("Drop train images that duplicate a val or --against image (bigdet dedup; needs bigdet[images])")),
        against: Optional[List[str]] = typer.Option(None, "--against", help="With --dedup: NAME=DIR of reference images whose duplicates leave train (repeatable)"),
        image_root: Optional[List[str]] = typer.Option(None, "--image-root", help="NAME=DIR: the image folder of dataset NAME (default: the json's folder, its images/ if present)"),
        mapping: Optional[List[str]] = typer.Option(None, "--mapping", help="NAME=CSV: a reviewed mapping table for dataset NAME (default: mapped automatically; the table used is written to OUT/mappings/)"),
        layout: Layout = None,  # made by with_layout from its options
        workers: Optional[int] = WorkersOpt,
    ):
        """Ingest what is missing, map onto the label space, export COCO json splits, validate, print the accounting."""
        builtin, layout.datasets = parse_datasets(list(sources) + list(more_sources or []), image_root, mapping)
        with status("merging"):
            result = run(layout, (expand_sources(builtin) if builtin else []) + list(layout.datasets), out_dir, taxonomy=taxonomy, granularity=granularity, keep=keep, combined=combined, holdout_size=holdout, dedup=dedup, against=parse_against(against), workers=workers, deep_validate=deep_validate)
        print_accounting(result.report)
        if "granularity" in result.report:
            print_granularity(result.report["granularity"])
        files = Table("file", "images", "annotations", title=text(f"written to {result.out}/annotations"))
        for name, f in result.report["files"].items():
            files.add_row(name, f"{f['images']:,}", f"{f['annotations']:,}")
        out.print(files)
        out.print("timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in result.seconds.items()))
        out.print("peak memory after: " + ", ".join(f"{k} {v:.2f} GiB" for k, v in result.peaks.items()))
        for note in result.notes:
            out.print(f"note: could not remove an old version (retried next run): {escape(note)}", soft_wrap=True)

    @app.command("validate")
    @friendly
    def validate_cmd(out_dir: Path = typer.Argument(Path("out"), help="A merge output folder"), workers: Optional[int] = WorkersOpt):
        """Check a merged output: loads with pycocotools, unique ids, boxes inside images, known categories, label sets."""
        if not (out_dir / "annotations").is_dir():
            raise BigdetError(f"{out_dir}: no annotations/ folder; is this a `bigdet merge` output?")
        problems = validate(out_dir, workers=workers)
        for p in problems:
            out.print(f"[red]problem:[/] {safe(p)}")
        if problems:
            raise typer.Exit(1)
        out.print(text(f"{out_dir}: valid"))


def print_accounting(report: dict) -> None:
    table = Table("source", "split", "read", "rejected", "dropped", "exported", "", title="every input box: exported or counted by reason")
    reasons = []
    for source, splits in report["sources"].items():
        for split, e in splits.items():
            rejected, dropped = sum(e["ingest_rejected"].values()), sum(e["merge_dropped"].values())
            table.add_row(source, split, f"{e['read']:,}", f"{rejected:,}", f"{dropped:,}", f"{e['exported']:,}", "ok" if e["reconciles"] else "[red]MISMATCH[/]")
            detail = [f"{k} {v:,}" for k, v in e["ingest_rejected"].items() if v] + [f"{k} {v:,}" for k, v in e["merge_dropped"].items() if v]
            if detail:
                reasons.append(f"  {source} {split}: " + ", ".join(detail))
    out.print(table)
    if reasons:
        out.print("by reason (ingest rejects, then merge drops):")
        for line in reasons:
            out.print(line, soft_wrap=True)
    verdict = "[green]reconciled[/]" if report["reconciles"] else "[red]NOT reconciled[/]"
    out.print(f"{verdict}: read = rejected + dropped + exported for every source and split")
    for source, splits in report["sources"].items():
        for split, e in splits.items():
            unmapped = sorted((e.get("unmapped_classes") or {}).items(), key=lambda item: (-item[1], item[0]))  # most boxes first
            if unmapped:
                shown = ", ".join(f"{escape(name)} {n:,}" for name, n in unmapped[:8])
                more = f" and {len(unmapped) - 8} more (merge_report.json)" if len(unmapped) > 8 else ""
                out.print(f"  {source} {split}: {len(unmapped)} classes map to no target (boxes): {shown}{more}", soft_wrap=True)
    for source, path in report.get("mappings", {}).items():
        out.print(f"{source}: mapped with the table written to OUT/{path} (review it; pass it back with --mapping {source}=CSV)", soft_wrap=True)


def print_granularity(section: dict, rows: int = 12) -> None:
    """The derived space in brief: classes, dropped classes, and the label sets lost or gained by the roll-up."""
    from rich.markup import escape

    out.print(f"derived label space {escape(section['label_space'])}: {section['classes']} classes; "
              f"{len(section['dropped_classes'])} bigdet600 classes without a kept ancestor dropped")
    entries = sorted(section["label_sets"].items(), key=lambda kv: (kv[1]["negative_images"] - kv[1]["negative_images_600"], kv[0]))
    table = Table("class", "members", "negative", "any member negative at 600", "not exhaustive", "any member at 600",
                  title=f"label sets per derived class (images; {min(rows, len(entries))} of {len(entries)} with the most negatives lost, all in merge_report.json)")
    for name, e in entries[:rows]:
        table.add_row(escape(name), str(e["members"]), f"{e['negative_images']:,}", f"{e['negative_images_600']:,}", f"{e['not_exhaustive_images']:,}", f"{e['not_exhaustive_images_600']:,}")
    out.print(table)
