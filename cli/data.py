"""``bigdet synth`` and ``bigdet ingest``."""

from __future__ import annotations

import functools
import inspect
from pathlib import Path
from typing import Callable, List, Optional

import typer
from rich.markup import escape
from rich.table import Table

from bigdet.errors import ConfigError
from bigdet.ingest import IngestReport, ingest
from bigdet.layout import Layout
from bigdet.sources import ALIASES
from bigdet.sources.registry import FOLDERS, parse_datasets
from bigdet.synth import synthesize

from .console import byte_progress, friendly, out, status, text

SOURCE_HELP = "lvis, oi (openimages), o365 (objects365), or all"


def expand_sources(names: list[str]) -> list[str]:
    result: list[str] = []
    for name in names or ["all"]:
        picked = list(dict.fromkeys(ALIASES.values())) if name == "all" else [ALIASES.get(name.lower())]
        if picked == [None]:
            raise ConfigError(f"unknown source {name!r}; use {SOURCE_HELP}")
        result += [p for p in picked if p not in result]
    return result


def _layout_parameters() -> list[inspect.Parameter]:
    """The options that say where the downloaded data is: --config, --data-root, --store and one --KEY-dir per
    folder of the source registry (``FOLDERS``)."""
    # Help texts are rich markup: a literal [paths] must be escaped or it vanishes as a markup tag.
    options = {
        "config": typer.Option(None, "--config", help=escape("TOML config with a [paths] table (default: ./bigdet.toml if present)")),
        "data_root": typer.Option(None, "--data-root", help=f"Folder with {', '.join(f'{key}/' for key in FOLDERS)} (default ./data)"),
        "store": typer.Option(None, "--store", help="Parquet store folder (default ./store)"),
        **{f"{key}_dir": typer.Option(None, f"--{key}-dir", help=f"{text} (default DATA_ROOT/{key})") for key, text in FOLDERS.items()},
    }
    return [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=option, annotation=Optional[Path])
            for name, option in options.items()]


def with_layout(command: Callable) -> Callable:
    """Give a command the options of ``_layout_parameters`` in place of its ``layout`` parameter, and call it
    with the ``Layout`` they make: every command that reads the downloaded data takes the same options, and a
    new source's folder becomes an option by its row in the registry."""
    added = _layout_parameters()
    names = [p.name for p in added]
    signature = inspect.signature(command, eval_str=True)
    params = list(signature.parameters.values())
    at = [p.name for p in params].index("layout")
    params[at:at + 1] = [p.replace(kind=params[at].kind) for p in added]

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        given = {name: kwargs.pop(name) for name in names}
        folders = {key: given[f"{key}_dir"] for key in FOLDERS}
        kwargs["layout"] = Layout.load(given["config"], data_root=given["data_root"], store=given["store"], folders=folders)
        return command(*args, **kwargs)

    wrapper.__signature__ = signature.replace(parameters=params)
    return wrapper


# Every command that works in parallel; outputs never depend on it (bigdet/workers.py).
WorkersOpt = typer.Option(None, "--workers", min=1, help="Threads that parse and check (default: the CPUs this process may use)")


def register(app: typer.Typer) -> None:
    @app.command()
    @friendly
    def synth(
        out_dir: Path = typer.Option(Path("data"), "--out", help="Where to write the standard data layout"),
        scale: float = typer.Option(0.001, help="1.0 = the real sizes (LVIS 100K, Open Images 1.74M, Objects365 1.74M train images)"),
        seed: int = typer.Option(0, help="Same seed, same bytes"),
        images: bool = typer.Option(False, "--images", help="Also write small JPEGs of the declared sizes"),
        sources: List[str] = typer.Option(["all"], "--source", help=SOURCE_HELP + " (repeatable)"),
        objects365_version: str = typer.Option("v2", "--o365-version", help="v2 (as BigDetection) or v1"),
        plant_duplicates: int = typer.Option(0, "--plant-duplicates", min=0, help="With --images: copy N val images (exact and modified) over train images of other sources; listed in OUT/planted_duplicates.csv"),
    ):
        """Write realistic synthetic LVIS, Open Images and Objects365 files (real classes, formats and quirks)."""
        if objects365_version not in ("v1", "v2"):
            raise ConfigError("--o365-version must be v1 or v2")
        if not 0 < scale <= 2:
            raise ConfigError("--scale must be in (0, 2]")
        if plant_duplicates and not images:
            raise ConfigError("--plant-duplicates needs --images")
        with status(f"writing synthetic data (scale {scale:g}) to {out_dir}"):
            summary = synthesize(out_dir, scale, seed=seed, images=images, sources=tuple(expand_sources(sources)), objects365_version=objects365_version, plant_duplicates=plant_duplicates)
        table = Table("source", "split", "images", "boxes", title=text(f"synthetic data in {out_dir}"))
        for source, splits in summary.items():
            for split, counts in splits.items():
                table.add_row(source, split, f"{counts['images']:,}", f"{counts['boxes']:,}")
        out.print(table)

    @app.command("ingest")
    @friendly
    @with_layout
    def ingest_cmd(
        sources: List[str] = typer.Argument(None, help=SOURCE_HELP + "; NAME=PATH for a COCO dataset of yours"),
        force: bool = typer.Option(False, "--force", help="Re-read even when the inputs are unchanged"),
        layout: Layout = None,  # made by with_layout from its options
        workers: Optional[int] = WorkersOpt,
    ):
        """Read sources as downloaded into the Parquet store; print reconciled counts."""
        builtin, layout.datasets = parse_datasets(list(sources or []))  # NAME=PATH: a COCO dataset, as for merge
        reports = []
        for source in (expand_sources(builtin) if builtin or not layout.datasets else []) + list(layout.datasets):
            with byte_progress(f"ingest {source}") as progress:
                reports.append(ingest(source, layout, force=force, progress=progress, workers=workers))
        print_reports(reports, layout.store)


SPLIT_ORDER = {"train": 0, "val": 1, "test": 2}


def print_reports(reports: list[IngestReport], store) -> None:
    """One screen: a row per source and split, stored counts, rejects by reason, the reconciliation."""
    table = Table("source", "split", "images", "boxes", "image labels", "rejected (by reason)", title=text(f"ingested into {store}"))
    for report in reports:
        for split in sorted(report.counts, key=lambda s: SPLIT_ORDER.get(s, 9)):
            tables = report.counts[split]
            cells = [f"{tables[t].stored:,}" if t in tables else "-" for t in ("images", "boxes", "image_labels")]
            reasons = ", ".join(f"{t} {k} {v:,}" for t, c in tables.items() for k, v in c.rejected.items()) or "0"
            table.add_row(f"{report.source} {report.version}", split, *cells, reasons)
    out.print(table)
    for report in reports:
        state = "up to date, not re-read" if report.up_to_date else f"read in {report.seconds:.1f} s"
        read = sum(c.read for tables in report.counts.values() for c in tables.values())
        verdict = "[green]reconciled[/]" if report.reconciles else "[red]NOT reconciled[/]"
        out.print(f"{report.source}: {state}; {read:,} records read; {verdict} (read = stored + rejected)")
        for note in report.notes:
            out.print(f"note: {escape(note)}")
