"""Benchmark (issue 11): `bigdet merge` against the hand-written merge script, side by side in one run.

    .venv/bin/python bench/merge_vs_script.py [--scales 0.01 0.1] [--work DIR] [--repeat N] [--write-results]

For each scale: generates ``bigdet synth --scale S --seed 7`` once (if the folder has none), then runs,
each in its own process and one after the other on the same download,

* ``bench/handwritten_merge.py DATA OUT`` (json.load / csv.DictReader / dict remap / json.dump), and
* ``bigdet merge --sources lvis oi o365`` on a fresh, empty store, so its ingest is included, with
  its default checks.

Reports each process's wall time and peak resident memory (``os.wait4`` ru_maxrss) and the ratio
script / bigdet. The machine is shared and noisy: only figures from the same run are compared;
``--repeat N`` alternates the two N times and keeps each one's best wall time (and its worst peak).
``--write-results`` replaces the "Merge against a hand-written script" section of RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from results import replace_section

HERE = Path(__file__).parent
BIGDET = [sys.executable, "-m", "bigdet"]
SCRIPT = [sys.executable, str(HERE / "handwritten_merge.py")]
TITLE = "## Merge against a hand-written script (issue 11)"


def run(cmd: list[str], cwd: Path | None = None) -> tuple[float, int, str, float]:
    """Wall seconds, peak RSS bytes, output and CPU seconds (user + system, all threads) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=cwd, env={**os.environ, "COLUMNS": "200"})
    output = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{output[-3000:]}")
    return wall, usage.ru_maxrss * 1024, output, usage.ru_utime + usage.ru_stime


def compile_bytecode() -> None:
    """Compile bigdet's modules to bytecode before anything is timed, as an installed package has them
    (pip compiles at install, and a second run finds the cache). Without it a run under
    PYTHONDONTWRITEBYTECODE (set in this machine's shells) compiled its ~100 modules every time: ~0.25 s
    of each bigdet figure before 2026-12-01 16:10. The script's own file is compiled in every run, as
    Python does for any script it runs; both import only precompiled modules besides."""
    import compileall
    import importlib.util

    for package in ("bigdet", "bigdet.cli", "bigdet.taxonomy"):
        for folder in importlib.util.find_spec(package).submodule_search_locations:
            compileall.compile_dir(folder, quiet=1)


def bench_scale(scale: float, work: Path, repeat: int, extra: list[str]) -> dict:
    data = work / f"data-{scale:g}"
    if not (data / "lvis").exists():
        wall, rss, _, _ = run(BIGDET + ["synth", "--scale", str(scale), "--seed", "7", "--out", str(data)])
        print(f"synth {scale:g}: {wall:.0f} s", flush=True)
    store, out, script_out = work / f"mvs-store-{scale:g}", work / f"mvs-out-{scale:g}", work / f"mvs-script-{scale:g}"
    best = {"script": (float("inf"), 0, "", 0.0), "bigdet": (float("inf"), 0, "", 0.0)}
    for _ in range(repeat):
        shutil.rmtree(script_out, ignore_errors=True)
        s = run(SCRIPT + [str(data), str(script_out)])
        shutil.rmtree(store, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        b = run(BIGDET + ["merge", "--sources", "lvis", "oi", "o365", "--data-root", str(data), "--store", str(store), "--out", str(out), *extra])
        for name, r in (("script", s), ("bigdet", b)):
            wall, rss = min(best[name][0], r[0]), max(best[name][1], r[1])
            output, cpu = (r[2], r[3]) if r[0] <= best[name][0] else (best[name][2], best[name][3])
            best[name] = (wall, rss, output, cpu)
        print(f"scale {scale:g}: script {s[0]:.1f} s (cpu {s[3]:.1f} s) {s[1] / 2**30:.2f} GiB | bigdet merge {b[0]:.1f} s (cpu {b[3]:.1f} s) {b[1] / 2**30:.2f} GiB", flush=True)
    timings = re.search(r"timings: (.*)", best["bigdet"][2])
    boxes = re.findall(r"│ (bigdet_\w+\.json)\s+│ ([\d,]+)\s+│ ([\d,]+)", best["bigdet"][2])
    return {
        "scale": scale,
        "script": best["script"][:2],
        "bigdet": best["bigdet"][:2],
        "cpu": (best["script"][3], best["bigdet"][3]),
        "stages": timings.group(1) if timings else "",
        "images": sum(int(b[1].replace(",", "")) for b in boxes),
        "boxes": sum(int(b[2].replace(",", "")) for b in boxes),
        "bytes": sum(p.stat().st_size for p in (out / "annotations").glob("*.json")),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scales", type=float, nargs="+", default=[0.01, 0.1])
    ap.add_argument("--work", type=Path, default=HERE / "work")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--merge-args", default="", help="extra arguments for bigdet merge, e.g. '--deep-validate'")
    ap.add_argument("--write-results", action="store_true")
    args = ap.parse_args()
    compile_bytecode()
    rows = [bench_scale(s, args.work, args.repeat, args.merge_args.split()) for s in args.scales]
    lines = [
        TITLE,
        "",
        f"`bench/merge_vs_script.py --scales {' '.join(f'{s:g}' for s in args.scales)} --repeat {args.repeat}`, {time.strftime('%Y-%m-%d')}, "
        f"{os.cpu_count()} cores (shared with other jobs: only figures of the same run are compared). "
        "Same `bigdet synth --scale S --seed 7` download; each row one process; bigdet starts from an empty store (ingest included) "
        "and runs its default checks. Wall is the best of the repeats, peak the largest (ru_maxrss); CPU is user + system "
        "seconds of that best run (all threads).",
        "",
        "| scale | boxes exported | script wall | script CPU | script peak | bigdet wall | bigdet CPU | bigdet peak | speed-up (wall) | speed-up (CPU) | memory ratio | bigdet stages |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        (sw, sr), (bw, br), (sc, bc) = r["script"], r["bigdet"], r["cpu"]
        lines.append(
            f"| {r['scale']:g} | {r['boxes']:,} | {sw:.1f} s | {sc:.1f} s | {sr / 2**30:.2f} GiB | {bw:.1f} s | {bc:.1f} s | {br / 2**30:.2f} GiB | "
            f"**{sw / bw:.2f}x** | {sc / bc:.2f}x | {br / sr:.2f} | {r['stages']} |"
        )
        print(lines[-1], flush=True)
    lines += ["", "Targets: speed-up >= 5x at 0.1 and > 1x at 0.01; memory ratio (bigdet / script) <= 1.", ""]
    if args.write_results:
        replace_section(TITLE, "\n".join(lines))


if __name__ == "__main__":
    main()
