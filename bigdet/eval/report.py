"""``bigdet eval --report DIR``: precision-recall curves and the per-class AP spread as PNG plots,
and one self-contained HTML page (images inlined) with the scores and the class table."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import numpy as np

from ..report import save_figure
from .engine import IOU_THRS, REC_THRS
from .ground_truth import BUCKET_NAMES, FREQUENCIES


def _mean_curve(precision: np.ndarray, categories: np.ndarray | None, iou: float | None) -> np.ndarray:
    """Precision at each recall point, averaged over classes (and IoUs) where defined."""
    p = precision[:, :, :, 0, -1]  # (T, R, K): area all, the largest maxDet
    if iou is not None:
        p = p[np.where(iou == IOU_THRS)[0]]
    if categories is not None:
        p = p[:, :, categories]
    defined = p > -1
    n = defined.sum(axis=(0, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, np.where(defined, p, 0).sum(axis=(0, 2)) / np.maximum(n, 1), np.nan)


def write_report(result, out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    gt = result.gt
    plots: list[Path] = []

    def save(fig, name):
        save_figure(fig, out / name, plots)

    for name, r in result.results.items():
        fig, axes = plt.subplots(1, 2, figsize=(10, 4))
        for ax, iou, title in ((axes[0], None, "IoU 0.50:0.95"), (axes[1], 0.5, "IoU 0.50")):
            ax.plot(REC_THRS, _mean_curve(r.precision, None, iou), label="all classes", linewidth=2, color="black")
            for i, f in enumerate(FREQUENCIES):
                cats = np.flatnonzero(gt.frequency == i)
                if len(cats):
                    ax.plot(REC_THRS, _mean_curve(r.precision, cats, iou), label=BUCKET_NAMES[f])
            ax.set_xlabel("recall")
            ax.set_ylabel("precision (mean over classes)")
            ax.set_xlim(0, 1)
            ax.set_ylim(0, 1.02)
            ax.set_title(f"{name}: {title}")
            ax.legend()
        save(fig, f"pr_{name}.png")

    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for name, r in result.results.items():
        ap = r.per_class_ap[r.per_class_ap > -1]
        axes[0].hist(ap, bins=np.linspace(0, 1, 41), alpha=0.6, label=f"{name} ({len(ap)} classes)")
        axes[1].plot(np.sort(ap)[::-1], label=name)
    axes[0].set_xlabel("AP of a class")
    axes[0].set_ylabel("classes")
    axes[0].set_title("Per-class AP spread")
    axes[0].legend()
    axes[1].set_xlabel("class (by AP rank)")
    axes[1].set_ylabel("AP")
    axes[1].set_title("Per-class AP, sorted")
    axes[1].legend()
    save(fig, "per_class_ap.png")

    if "federated" in result.results:
        fig, ax = plt.subplots(figsize=(6, 4))
        ap = result.results["federated"].per_class_ap
        data = [ap[(gt.frequency == i) & (ap > -1)] for i in range(3)]
        ax.boxplot(data)
        ax.set_xticks([1, 2, 3], [BUCKET_NAMES[f] for f in FREQUENCIES])
        ax.set_ylabel("federated AP of a class")
        ax.set_title("Per-class AP by frequency bucket")
        save(fig, "per_class_ap_by_bucket.png")

    page = out / "index.html"
    page.write_text(_html(result, plots), encoding="utf-8")
    plots.append(page)
    return plots


def _fmt(v: float) -> str:
    return "-" if v < 0 else f"{100 * v:.1f}"


def _html(result, plots: list[Path]) -> str:
    esc = html.escape
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>bigdet eval</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#eee}</style></head><body>",
        f"<h1>bigdet eval</h1><p>{esc(str(result.predictions_path))} on {esc(str(result.gt_path))}; frequency buckets by "
        f"{esc(result.gt.frequency_basis)}. Scores x100; - = undefined.</p>",
    ]
    for name, r in result.results.items():
        keys = list(r.overall)
        parts.append(f"<h2>{esc(name)} protocol</h2><table><tr><th>images</th>" + "".join(f"<th>{esc(k)}</th>" for k in keys) + "</tr>")
        for label, numbers in [("all", r.overall), *r.per_source.items()]:
            parts.append(f"<tr><th>{esc(label)}</th>" + "".join(f"<td>{_fmt(numbers[k])}</td>" for k in keys) + "</tr>")
        parts.append("</table>")
        parts.append("<p>" + esc("; ".join(f"{k}: {v:,}" for k, v in r.counts.items())) + "</p>")
    for p in plots:
        data = base64.b64encode(p.read_bytes()).decode()
        parts.append(f"<h3>{esc(p.stem)}</h3><img alt='{esc(p.stem)}' src='data:image/png;base64,{data}'>")
    rows = result.per_class()
    names = list(result.results)
    parts.append("<h2>Per class</h2><table><tr><th>id</th><th>class</th><th>frequency</th>" + "".join(f"<th>{esc(n)} AP</th>" for n in names) + "</tr>")
    for row in rows:
        parts.append(f"<tr><td>{row['id']}</td><td style='text-align:left'>{esc(row['name'])}</td><td>{row['frequency']}</td>"
                     + "".join(f"<td>{_fmt(row[n])}</td>" for n in names) + "</tr>")
    parts.append("</table></body></html>")
    return "\n".join(parts)
