"""``bigdet stats --report DIR``: PNG plots and one self-contained HTML page (images inlined)."""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path



def save_figure(fig, path: Path, plots: list[Path]) -> None:
    """Write one plot of an HTML report (tight layout, 110 dpi), close it, and list it in ``plots``."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    plots.append(path)

def write_report(stats: dict, out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    cats = sorted(stats["categories"], key=lambda c: -c["instances"])
    plots = []

    def save(fig, name):
        save_figure(fig, out / name, plots)

    fig, ax = plt.subplots(figsize=(8, 4))
    ax.plot(range(1, len(cats) + 1), [max(c["instances"], 0.8) for c in cats])
    ax.set_yscale("log")
    ax.set_xlabel("class rank")
    ax.set_ylabel("instances (log)")
    ax.set_title("Long tail of class frequencies")
    save(fig, "long_tail.png")

    sources = sorted({s for c in cats for s in c["sources"]})
    fig, ax = plt.subplots(figsize=(8, 4))
    bottom = [0] * len(cats)
    for s in sources:
        values = [c["sources"].get(s, 0) for c in cats]
        ax.bar(range(len(cats)), values, bottom=bottom, width=1.0, label=s)
        bottom = [b + v for b, v in zip(bottom, values)]
    ax.set_yscale("symlog")
    ax.set_xlabel("class (by rank)")
    ax.set_ylabel("instances")
    ax.set_title("Contribution of each source per class")
    if sources:
        ax.legend()
    save(fig, "sources_per_class.png")

    for key, name, title, xlabel in (
        ("box_sizes", "box_sizes.png", "Box sizes", "sqrt(area) in pixels"),
        ("boxes_per_image", "boxes_per_image.png", "Boxes per image", "boxes in the image"),
    ):
        hist = stats[key]["sqrt_area_histogram"] if key == "box_sizes" else stats[key]["histogram"]
        edges, counts = hist["edges"], hist["counts"]
        labels = [f"{edges[i]:g}-{edges[i + 1]:g}" if edges[i + 1] < 1e5 else f">={edges[i]:g}" for i in range(len(counts))]
        fig, ax = plt.subplots(figsize=(8, 3.5))
        ax.bar(labels, counts)
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        ax.tick_params(axis="x", rotation=45)
        save(fig, name)

    page = out / "index.html"
    rows = "".join(
        f"<tr><td>{c['id']}</td><td>{html.escape(c['name'])}</td><td>{c['instances']:,}</td><td>{c['images']:,}</td>"
        f"<td>{html.escape(', '.join(f'{k} {v:,}' for k, v in c['sources'].items()))}</td></tr>"
        for c in cats
    )
    summary = {k: stats[k] for k in ("images", "boxes", "splits", "sources", "frequency_buckets", "crowd", "label_sets")}
    imgs = "".join(f'<h2>{p.stem.replace("_", " ")}</h2><img alt="{p.stem}" src="data:image/png;base64,{base64.b64encode(p.read_bytes()).decode()}">' for p in plots)
    page.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>bigdet stats</title>"
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}</style>"
        f"</head><body><h1>bigdet stats: {html.escape(stats['path'])}</h1>"
        f"<pre>{html.escape(json.dumps(summary, indent=2))}</pre>{imgs}"
        f"<h2>Classes</h2><table><tr><th>id</th><th>name</th><th>instances</th><th>images</th><th>sources</th></tr>{rows}</table>"
        "</body></html>",
        encoding="utf-8",
    )
    return plots + [page]
