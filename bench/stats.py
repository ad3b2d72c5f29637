"""Benchmark: ``bigdet stats`` on a merged output (the one ``bench/pipeline.py`` writes).

    .venv/bin/python bench/stats.py --scale 1 [--work DIR] [--report] [--write-results]

Runs ``bigdet stats OUT --json`` in a fresh process, twice (the first run may read the files from
disk, the second finds them in the page cache; both are reported), and checks that both print the
same numbers. ``--report`` also times ``--report DIR`` (plots and HTML). Target at full
BigDetection size (~39M boxes): under 60 s and under 8 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from pipeline import BIGDET, HERE, run
from results import replace_section


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=0.1)
    ap.add_argument("--work", type=Path, default=HERE / "work")
    ap.add_argument("--report", action="store_true")
    ap.add_argument("--write-results", action="store_true")
    args = ap.parse_args()
    out = args.work / f"pipe-out-{args.scale:g}"
    if not (out / "annotations").is_dir():
        sys.exit(f"{out} has no merged output: run bench/pipeline.py --scale {args.scale:g} first")
    size = sum(p.stat().st_size for p in (out / "annotations").glob("*.json"))
    rows, results = [], []
    for attempt in ("first", "second"):
        wall, rss, output = run(BIGDET + ["stats", str(out), "--json"])
        results.append(json.loads(output))
        rows.append((f"`stats --json`, {attempt} run", wall, rss))
        print(f"stats ({attempt} run): {wall:.1f} s, peak {rss / 2**30:.2f} GiB", flush=True)
    if results[0] != results[1]:
        sys.exit("the two runs printed different statistics")
    if args.report:
        wall, rss, _ = run(BIGDET + ["stats", str(out), "--report", str(args.work / f"report-{args.scale:g}")])
        rows.append(("`stats --report DIR` (tables, 4 plots, HTML)", wall, rss))
        print(f"stats --report: {wall:.1f} s, peak {rss / 2**30:.2f} GiB", flush=True)
    s = results[0]
    print(f"{s['images']:,} images, {s['boxes']:,} boxes, {size / 1e9:.2f} GB of json", flush=True)
    if args.write_results:
        title = f"## Stats, --scale {args.scale:g}"
        lines = [
            title,
            "",
            f"`bench/stats.py --scale {args.scale:g}`, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores: `bigdet stats` on the "
            f"merged output of `bench/pipeline.py` ({s['images']:,} images, {s['boxes']:,} boxes, {size / 1e9:.2f} GB of json "
            "in 4 files). Each row is one process; peak is its maximum resident memory. Target at ~39M boxes: < 60 s, < 8 GB.",
            "",
            "| run | wall | peak memory | boxes/s |",
            "|---|---|---|---|",
            *[f"| {name} | {wall:.1f} s | {rss / 2**30:.2f} GiB | {s['boxes'] / wall / 1e6:.2f}M |" for name, wall, rss in rows],
        ]
        replace_section(title, "\n".join(lines))


if __name__ == "__main__":
    main()
