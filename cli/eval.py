"""``bigdet eval`` and ``bigdet synth-predictions``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from bigdet.errors import ConfigError

from .console import friendly, out, status


def register(app: typer.Typer) -> None:
    @app.command("eval")
    @friendly
    def eval_cmd(
        predictions: Path = typer.Argument(..., help="Detections: a COCO results json (a list of {image_id, category_id, bbox, score}) or a Parquet file with those columns"),
        gt: Path = typer.Option(Path("out"), "--gt", help="A merged output folder (uses its bigdet_val.json) or any COCO detection json"),
        protocol: str = typer.Option("all", "--protocol", help="coco, federated or all"),
        as_json: bool = typer.Option(False, "--json", help="Print the scores as one JSON object"),
        per_class: bool = typer.Option(False, "--per-class", help="Also give every class's AP"),
        report: Optional[Path] = typer.Option(None, "--report", help="Also write precision-recall curves and the per-class AP spread (PNG) and an HTML page to this folder"),
    ):
        """Score detections on a merged val set: COCO AP (as pycocotools) and federated AP (as lvis-api, with the merge's label sets)."""
        from bigdet.eval import evaluate

        if protocol not in ("coco", "federated", "all"):
            raise ConfigError(f"--protocol must be coco, federated or all, not {protocol!r}")
        with status(f"scoring {predictions}"):
            result = evaluate(predictions, gt, protocol)
        written = None
        if report is not None:
            from bigdet.eval.report import write_report

            written = write_report(result, report)
        if as_json:
            out.print_json(json.dumps(result.as_json(per_class=per_class)))
        else:
            render(result, per_class)
        if written:
            out.print(f"report: {written[-1]} ({len(written) - 1} plots)")

    @app.command("synth-predictions")
    @friendly
    def synth_predictions(
        gt: Path = typer.Argument(..., help="A merged output folder (its bigdet_val.json) or a COCO detection json"),
        out_path: Path = typer.Option(..., "--out", help="Where to write the results json"),
        quality: float = typer.Option(0.6, "--quality", help="0 (a weak detector) to 1 (a strong one)"),
        seed: int = typer.Option(0, "--seed", help="Same seed, same bytes"),
        per_image: int = typer.Option(100, "--per-image", help="Detections per image (the best are kept)"),
    ):
        """Write realistic fake detector output for a ground truth (for tests and benchmarks of bigdet eval)."""
        from bigdet.synth.predictions import generate

        if not 0 <= quality <= 1:
            raise ConfigError("--quality must be in [0, 1]")
        if per_image < 1:
            raise ConfigError("--per-image must be at least 1")
        with status(f"writing fake detections to {out_path}"):
            counts = generate(gt, out_path, quality=quality, seed=seed, per_image=per_image)
        out.print(f"{out_path}: {counts['detections']:,} detections for {counts['images']:,} images ({counts['boxes']:,} boxes)")


def _fmt(v: float) -> str:
    return "-" if v < 0 else f"{100 * v:.1f}"


def render(result, per_class: bool) -> None:
    gt = result.gt
    names = list(result.results)
    out.print(f"{result.predictions_path} scored on {result.gt_path}")
    for name, r in result.results.items():
        columns = {"all images": r.overall, **r.per_source}
        t = Table("", *columns, title=f"{name} protocol (x100; - = undefined)")
        for k in r.overall:
            t.add_row(k, *(_fmt(numbers[k]) for numbers in columns.values()))
        out.print(t)
    t = Table("frequency bucket", "classes", *(f"{n} AP" for n in names), title=f"per frequency bucket (by {gt.frequency_basis})")
    for i, bucket in enumerate(("rare", "common", "frequent")):
        t.add_row(bucket, f"{int((gt.frequency == i).sum()):,}", *(_fmt(result.results[n].per_bucket[bucket]) for n in names))
    out.print(t)
    if per_class:
        rows = result.per_class()
        t = Table("id", "class", "frequency", *(["train images"] if gt.train_images is not None else []), *(f"{n} AP" for n in names), title="per class")
        for row in rows:
            t.add_row(str(row["id"]), row["name"], row["frequency"], *([f"{row['train_images']:,}"] if "train_images" in row else []), *(_fmt(row[n]) for n in names))
        out.print(t)
    for name, r in result.results.items():
        left = ", ".join(f"{v:,} {k}" for k, v in r.counts.items() if k not in ("detections", "scored"))
        out.print(f"{name}: {r.counts['scored']:,} of {r.counts['detections']:,} detections scored; {left}")
    out.print("time: " + ", ".join(f"{k} {v:.1f} s" for k, v in result.seconds.items()))
