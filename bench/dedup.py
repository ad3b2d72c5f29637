"""Benchmark: ``bigdet dedup`` quality on planted duplicates, hashing speed, Ray workers, pair search.

    .venv/bin/python bench/dedup.py [--scale 0.001] [--plant 100] [--work DIR] [--write-results]

Needs the ``images`` extra. Writes a synthetic download with images (``bigdet synth --images
--plant-duplicates``), then measures: recall and precision of the reported pairs against the planted
list (exact, resized 60-90%, JPEG quality 55-90, cropped <= 3%, and all three), for pHash alone and
pHash checked by dHash (what bigdet reports); decode+hash cost per image on one core (in-process);
the Ray Data pipeline with 1 and 2 workers (embedded Ray, start-up included and shown apart); the
multi-index pair search on 1M random hashes; and an estimate for 3.5M images on N nodes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from results import replace_section  # noqa: E402

from bigdet import dedup  # noqa: E402
from bigdet.synth import synthesize  # noqa: E402
from bigdet.synth.images import read_planted  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=0.001)
    ap.add_argument("--plant", type=int, default=100)
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--pairs-n", type=int, default=100_000)
    ap.add_argument("--write-results", action="store_true")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bigdet-dedup-"))
    root = work / "data"
    shutil.rmtree(root, ignore_errors=True)
    t0 = time.perf_counter()
    synthesize(root, args.scale, seed=1, images=True, plant_duplicates=args.plant)
    synth_s = time.perf_counter() - t0
    files = sorted(str(p) for p in root.rglob("*.jpg"))
    print(f"synth: {len(files)} images in {synth_s:.1f} s", flush=True)

    # one core, in process: the per-image cost of read + SHA-256 + decode + pHash + dHash
    t0 = time.perf_counter()
    hashed = pd.DataFrame(dedup.hash_batch({"path": np.array(files, dtype=object)}))
    one_core = time.perf_counter() - t0
    per_image = one_core / len(files)
    mean_bytes = np.mean([os.path.getsize(f) for f in files])
    print(f"in-process: {len(files) / one_core:.1f} images/s on one core", flush=True)

    records = pd.DataFrame(
        {
            "source": [Path(f).relative_to(root).parts[0] for f in files],
            "split": "?",
            "image_id": pd.array([None] * len(files), dtype="Int64"),
            "file": [Path(f).relative_to(root).as_posix() for f in files],
            "sha256": hashed["sha256"],
            "phash": hashed["phash"],
            "dhash": hashed["dhash"],
        }
    )
    planted = read_planted(root)
    truth = {tuple(sorted((r["val_file"], r["train_file"]))): r["modification"] for r in planted}
    quality = []
    for threshold in (6, 8, 10):
        pairs = dedup.find_pairs(records, threshold)
        found = set(zip(pairs["file_a"], pairs["file_b"]))
        ni, nj, _ = dedup.near_pairs(records["phash"].to_numpy(np.int64), threshold)
        exact_i, exact_j = dedup.exact_pairs(records["sha256"].to_numpy(dtype=object).astype(str))
        phash_only = {tuple(sorted((records["file"][i], records["file"][j]))) for i, j in zip(ni.tolist() + exact_i.tolist(), nj.tolist() + exact_j.tolist())}
        for name, got in (("pHash alone", phash_only), ("pHash + dHash (bigdet)", found)):
            hit = got & set(truth)
            by_kind = {m: sum(1 for k, v in truth.items() if v == m and k in got) for m in sorted(set(truth.values()))}
            quality.append((threshold, name, len(hit) / len(truth), len(hit) / max(1, len(got)), len(got), by_kind))
            print(quality[-1], flush=True)
    max_distance = {}
    for r in planted:
        a, b = (records.index[records["file"] == r[k]][0] for k in ("val_file", "train_file"))
        d = int(dedup.popcount(np.array([np.int64(records["phash"][a] ^ records["phash"][b])]).view(np.uint64))[0])
        max_distance[r["modification"]] = max(max_distance.get(r["modification"], 0), d)

    ray_rows = []
    import ray

    t0 = time.perf_counter()
    ray.init(num_cpus=1, include_dashboard=False, log_to_driver=False)
    ray.shutdown()
    startup = time.perf_counter() - t0
    for workers in (1, 2):
        t0 = time.perf_counter()
        out = dedup.hash_files(files, workers=workers)
        seconds = time.perf_counter() - t0
        assert (out["error"] == "").all() and len(out) == len(files)
        ray_rows.append((workers, seconds, len(files) / seconds, len(files) / max(1e-9, seconds - startup)))
        print(ray_rows[-1], flush=True)

    rng = np.random.default_rng(0)
    hashes = rng.integers(-(2**63), 2**63 - 1, size=args.pairs_n, dtype=np.int64)
    t0 = time.perf_counter()
    dedup.near_pairs(hashes, dedup.THRESHOLD)
    search_s = time.perf_counter() - t0
    chunks = dedup.index_plan(args.pairs_n, dedup.THRESHOLD)
    print(f"pair search: {args.pairs_n:,} hashes in {search_s:.1f} s ({chunks} chunks)", flush=True)

    lines = [
        "## Dedup (bigdet dedup), synthetic images",
        "",
        f"`bench/dedup.py --scale {args.scale:g} --plant {args.plant}`: {len(files):,} synthetic JPEGs (textured random fields, mean {mean_bytes / 1024:.0f} KiB), "
        f"{len(truth)} planted val->train copies across sources, cycling exact / resized 60-90% / JPEG quality 55-90 / cropped <= 3% / all three. "
        f"Machine: 2 cores shared with other jobs (load average ~10 during the run), so times are pessimistic. `bigdet synth --images` wrote them in {synth_s:.0f} s ({len(files) / synth_s:.0f} images/s).",
        "",
        "| threshold (bits of 64) | pairs from | recall | precision | pairs reported | found by modification |",
        "|---|---|---|---|---|---|",
    ]
    for threshold, name, recall, precision, n, by_kind in quality:
        lines.append(f"| {threshold} | {name} | {recall:.1%} | {precision:.1%} | {n} | {', '.join(f'{k} {v}' for k, v in by_kind.items())} |")
    lines += [
        "",
        "Largest pHash distance of a planted copy, by modification: " + ", ".join(f"{k} {v}" for k, v in sorted(max_distance.items())) + ". "
        f"Default threshold: {dedup.THRESHOLD}.",
        "",
        "| hashing | seconds | images/s | images/s without Ray start-up |",
        "|---|---|---|---|",
        f"| in-process, one core (read + SHA-256 + decode + pHash + dHash) | {one_core:.1f} | {len(files) / one_core:.1f} | - |",
    ]
    for workers, seconds, rate, rate_net in ray_rows:
        lines.append(f"| Ray Data, embedded, {workers} worker{'s' if workers > 1 else ''} | {seconds:.1f} | {rate:.1f} | {rate_net:.1f} |")
    lines += [
        "",
        f"Ray start-up and shut-down (embedded): {startup:.1f} s. Pair search (multi-index, {chunks} chunks, threshold {dedup.THRESHOLD}): "
        f"{args.pairs_n:,} random hashes in {search_s:.1f} s on one core.",
        "",
        f"**Estimate for 3.5M images** (on paper, from the measured {per_image * 1000:.1f} ms per image per core on "
        f"{mean_bytes / 1024:.0f} KiB JPEGs; the real ones average ~600 KiB (2 TB / 3.5M), and JPEG decoding at 1/8 scale "
        f"(PIL draft) is dominated by entropy decoding, roughly proportional to bytes, so the real cost is taken as "
        f"{per_image * 600 * 1024 / mean_bytes * 1000:.0f} ms per image per core, before I/O):",
        "",
        "| nodes x cores | hashing (CPU-bound) | reading 2 TB at 1 GB/s per node |",
        "|---|---|---|",
    ]
    real = per_image * 600 * 1024 / mean_bytes
    for nodes, cores in ((1, 2), (1, 32), (4, 32), (16, 32)):
        cpu_h = 3.5e6 * real / (nodes * cores) / 3600
        io_h = 2e12 / (nodes * 1e9) / 3600
        lines.append(f"| {nodes} x {cores} | {cpu_h:.1f} h | {io_h:.1f} h |")
    pair_est = search_s * 3.5e6 / args.pairs_n
    lines += [
        "",
        f"The pair search runs on the driver, on hashes only; its cost grows about linearly with n at the planned chunk width "
        f"(index_plan widens chunks as n grows): ~{pair_est / 60:.0f} min for 3.5M hashes by linear extrapolation, on the driver, one core.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write_results:
        replace_section(lines[0], text)


if __name__ == "__main__":
    main()
