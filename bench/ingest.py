"""Benchmark: ingest time and peak memory per source, at a given generator scale.

    .venv/bin/python bench/ingest.py --scale 1.0 [--data DIR] [--work DIR] [--write-results]

Generates the synthetic download if DIR has none (``bigdet synth --scale S``), then runs
``bigdet ingest SOURCE --force`` once per source in a fresh process, measuring wall time and the
process's peak resident memory (``wait4``). Prints a table; ``--write-results`` also replaces this
scale's section of ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from results import replace_section

HERE = Path(__file__).parent
BIGDET = [sys.executable, "-m", "bigdet"]
TARGETS = {
    "lvis": "train+val; train file < 30 s",
    "openimages": ">= 2M boxes/s",
    "openimages-boxes": ">= 2M boxes/s",
    "objects365": ">= 500K boxes/s",
}
#: Open Images box files alone (no image-level labels, no metadata): the boxes-only ingest.
OI_BOX_FILES = (
    "oidv6-train-annotations-bbox.csv",
    "validation-annotations-bbox.csv",
    "test-annotations-bbox.csv",
    "class-descriptions-boxable.csv",
    "bbox_labels_600_hierarchy.json",
    "image_sizes.csv",
)


def boxes_only(data: Path, work: Path) -> Path:
    """A data root whose openimages/ links only the box files, sizes and classes."""
    root = work / f"{data.name}-oi-boxes"
    folder = root / "openimages"
    folder.mkdir(parents=True, exist_ok=True)
    for name in OI_BOX_FILES:
        link = folder / name
        if not link.exists() and (data / "openimages" / name).exists():
            link.symlink_to((data / "openimages" / name).resolve())
    return root


def run(cmd: list[str]) -> tuple[float, int]:
    """Run ``cmd``; return (wall seconds, peak RSS in bytes)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return wall, usage.ru_maxrss * 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=0.1)
    ap.add_argument("--data", type=Path, help="synthetic download (default bench/work/data-<scale>)")
    ap.add_argument("--work", type=Path, default=HERE / "work")
    ap.add_argument("--sources", nargs="+", default=["lvis", "openimages", "openimages-boxes", "objects365"])
    ap.add_argument("--write-results", action="store_true")
    args = ap.parse_args()
    data = args.data or args.work / f"data-{args.scale:g}"
    store = args.work / f"store-{args.scale:g}"
    if not (data / "lvis").exists():
        print(f"generating --scale {args.scale:g} into {data} ...", flush=True)
        wall, rss = run(BIGDET + ["synth", "--scale", str(args.scale), "--out", str(data)])
        print(f"  synth: {wall:.0f} s, peak {rss / 2**30:.1f} GiB", flush=True)

    rows = []
    for source in args.sources:
        root = boxes_only(data, args.work) if source == "openimages-boxes" else data
        name = "openimages" if source == "openimages-boxes" else source
        wall, rss = run(BIGDET + ["ingest", name, "--force", "--data-root", str(root), "--store", str(store)])
        manifest = json.loads((store / name / "manifest.json").read_text())
        boxes = sum(s["boxes"]["read"] for s in manifest["splits"].values())
        size = sum(i["size"] for i in manifest["inputs"])
        rows.append(
            {
                "source": source,
                "boxes": boxes,
                "input_gb": size / 1e9,
                "wall_s": wall,
                "reader_s": manifest["seconds"],
                "boxes_per_s": boxes / wall,
                "peak_gib": rss / 2**30,
                "target": TARGETS[source],
            }
        )
        print(
            f"{source:11s} {boxes:>12,} boxes  {size / 1e9:6.2f} GB in  {wall:7.1f} s wall  "
            f"{boxes / wall / 1e6:6.2f} M boxes/s  peak {rss / 2**30:5.2f} GiB",
            flush=True,
        )
    if args.write_results:
        write_results(args.scale, rows)


def write_results(scale: float, rows: list[dict]) -> None:
    title = f"## Ingest, --scale {scale:g}"
    lines = [
        title,
        "",
        f"`bench/ingest.py --scale {scale:g}` on {os.cpu_count()} cores, {platform.python_version()}, {time.strftime('%Y-%m-%d')}. "
        "Wall time is the whole `bigdet ingest SOURCE --force` process (start-up, reading, checking, writing Parquet); "
        "peak is its maximum resident memory. `openimages` reads every Open Images file (boxes, image-level labels, "
        "metadata, sizes; all splits); `openimages-boxes` only the box files, sizes and classes.",
        "",
        "| source | boxes | input | wall | boxes/s | peak memory | target |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['source']} | {r['boxes']:,} | {r['input_gb']:.2f} GB | {r['wall_s']:.1f} s | {r['boxes_per_s'] / 1e6:.2f} M | {r['peak_gib']:.2f} GiB | {r['target']} |"
        )
    replace_section(title, "\n".join(lines))


if __name__ == "__main__":
    main()
