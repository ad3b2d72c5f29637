"""Benchmark: the whole pipeline (ingest, merge, export, validate) at a generator scale.

    .venv/bin/python bench/pipeline.py --scale 0.1 [--data DIR] [--work DIR] [--write-results]

Generates ``bigdet synth --scale S`` if DIR has none, ingests each source in its own process
(``--force``), then runs ``bigdet merge --sources lvis oi o365`` in a fresh process (its ingest
step finds the store up to date). Reports wall time and peak resident memory of each process and
the stage timings merge prints; ``--write-results`` replaces this scale's section of RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from results import replace_section

HERE = Path(__file__).parent
BIGDET = [sys.executable, "-m", "bigdet"]


def run(cmd: list[str]) -> tuple[float, int, str]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "COLUMNS": "200"})
    output = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{output[-3000:]}")
    return wall, usage.ru_maxrss * 1024, output


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=0.1)
    ap.add_argument("--data", type=Path)
    ap.add_argument("--work", type=Path, default=HERE / "work")
    ap.add_argument("--write-results", action="store_true")
    args = ap.parse_args()
    data = args.data or args.work / f"data-{args.scale:g}"
    store, out = args.work / f"pipe-store-{args.scale:g}", args.work / f"pipe-out-{args.scale:g}"
    if not (data / "lvis").exists():
        wall, rss, _ = run(BIGDET + ["synth", "--scale", str(args.scale), "--out", str(data)])
        print(f"synth: {wall:.0f} s, peak {rss / 2**30:.1f} GiB", flush=True)
    rows = []
    for source in ("lvis", "openimages", "objects365"):
        wall, rss, _ = run(BIGDET + ["ingest", source, "--force", "--data-root", str(data), "--store", str(store)])
        rows.append((f"ingest {source}", wall, rss, ""))
        print(f"ingest {source}: {wall:.1f} s, peak {rss / 2**30:.2f} GiB", flush=True)
    wall, rss, output = run(BIGDET + ["merge", "--sources", "lvis", "oi", "o365", "--data-root", str(data), "--store", str(store), "--out", str(out)])
    stages = re.search(r"timings: (.*)", output).group(1)
    peaks = re.search(r"peak memory after: (.*)", output)
    if peaks:
        stages += "; peak after " + peaks.group(1)
    boxes = re.findall(r"│ (bigdet_\w+\.json)\s+│ ([\d,]+)\s+│ ([\d,]+)", output)
    exported = sum(int(b[2].replace(",", "")) for b in boxes)
    images = sum(int(b[1].replace(",", "")) for b in boxes)
    rows.append(("merge + export + validate", wall, rss, stages))
    print(f"merge: {wall:.1f} s, peak {rss / 2**30:.2f} GiB ({stages}); {images:,} images, {exported:,} boxes exported", flush=True)
    total = sum(r[1] for r in rows)
    sizes = {p.name: p.stat().st_size for p in (out / "annotations").glob("*.json")}
    print(f"end to end: {total:.0f} s; output {sum(sizes.values()) / 1e9:.2f} GB", flush=True)
    if args.write_results:
        title = f"## Pipeline, --scale {args.scale:g}"
        lines = [
            title,
            "",
            f"`bench/pipeline.py --scale {args.scale:g}`, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores: "
            f"{images:,} images and {exported:,} boxes exported, {sum(sizes.values()) / 1e9:.2f} GB of json. "
            "Each row is one process; peak is its maximum resident memory.",
            "",
            "| stage | wall | peak memory | detail |",
            "|---|---|---|---|",
            *[f"| {name} | {wall:.1f} s | {rss / 2**30:.2f} GiB | {detail} |" for name, wall, rss, detail in rows],
            f"| **end to end** | **{total:.0f} s** | {max(r[2] for r in rows) / 2**30:.2f} GiB | targets at scale 1: < 15 min, < 12 GB |",
            "",
            "Output files: " + ", ".join(f"{k} {v / 1e6:.0f} MB" for k, v in sorted(sizes.items())),
            "",
        ]
        replace_section(title, "\n".join(lines))


if __name__ == "__main__":
    main()
