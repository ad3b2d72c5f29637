"""Benchmark (issue 11): one Objects365 v2 download (train + val; ~101K train images, ~1.33M boxes at the
default scale): read, map onto bigdet600, write COCO, by three tools side by side in one run.

    .venv/bin/python bench/single_file.py [--work DIR] [--scale 0.058] [--datumaro-python PATH] [--repeat N]

* ``bench/handwritten_merge.py DATA OUT --sources o365`` (json.load / dict remap / json.dump),
* ``bigdet merge --sources o365`` from an empty store (ingest included), default checks,
* with ``--datumaro-python`` (Datumaro's own virtualenv: it pins other pandas / pyarrow versions),
  ``bench/datumaro_convert.py`` (Datumaro's COCO importer, ``remap_labels``, COCO exporter).

Each in its own process, one after the other, on the same ``bigdet synth --source o365 --scale S
--seed 7`` download; reports wall, CPU (user + system, all threads) and peak RSS of each, and the
ratios against bigdet. The machine is shared: compare figures of one run only.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from merge_vs_script import BIGDET, SCRIPT, compile_bytecode, run

HERE = Path(__file__).parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", type=Path, default=HERE / "work")
    ap.add_argument("--scale", type=float, default=0.058)
    ap.add_argument("--datumaro-python", type=Path)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    compile_bytecode()
    data = args.work / f"data-o365-{args.scale:g}"
    if not (data / "objects365").exists():
        wall, *_ = run(BIGDET + ["synth", "--source", "o365", "--scale", str(args.scale), "--seed", "7", "--out", str(data)])
        print(f"synth: {wall:.0f} s", flush=True)
    out = args.work / "single"
    commands = {
        "script": SCRIPT + [str(data), str(out / "script"), "--sources", "o365"],
        "bigdet": BIGDET + ["merge", "--sources", "o365", "--data-root", str(data), "--store", str(out / "store"), "--out", str(out / "bigdet")],
    }
    if args.datumaro_python:
        commands["datumaro"] = [str(args.datumaro_python), str(HERE / "datumaro_convert.py"), str(data / "objects365"), str(out / "dm-work"), str(out / "datumaro")]
    best: dict[str, tuple] = {}
    for _ in range(args.repeat):
        for name, cmd in commands.items():
            shutil.rmtree(out, ignore_errors=True)  # each tool starts from nothing (bigdet: an empty store)
            wall, rss, output, cpu = run(cmd)
            print(f"{name}: wall {wall:.1f} s, cpu {cpu:.1f} s, peak {rss / 2**30:.2f} GiB | {output.strip().splitlines()[-1][:160]}", flush=True)
            if name not in best or wall < best[name][0]:
                best[name] = (wall, cpu, rss)
    b = best["bigdet"]
    print(f"\n`bench/single_file.py --scale {args.scale:g} --repeat {args.repeat}`, {time.strftime('%Y-%m-%d %H:%M')}, python {sys.version.split()[0]}\n")
    print("| tool | wall | CPU | peak | bigdet's speed-up (wall) | (CPU) |")
    print("|---|---|---|---|---|---|")
    for name, (wall, cpu, rss) in best.items():
        print(f"| {name} | {wall:.1f} s | {cpu:.1f} s | {rss / 2**30:.2f} GiB | {wall / b[0]:.2f}x | {cpu / b[1]:.2f}x |")


if __name__ == "__main__":
    main()
