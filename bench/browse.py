"""Benchmark: ``bigdet browse`` loading a merged output into FiftyOne (no App).

    .venv/bin/python bench/browse.py --scale 1 [--work DIR] [--limit 20000] [--public 2000] [--write-results]

Needs the ``browse`` extra (scripts/setup.sh dev,browse). Uses a fresh FiftyOne database in the work
folder. Times, for the merged output of ``bench/pipeline.py``: reading a deterministic train sample
(``--limit``) from the json files, loading it, reading and loading the whole val split, and, for
comparison, loading ``--public`` samples through FiftyOne's public ``add_samples`` (the rate a
loader built on FiftyOne's API gets).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline import HERE  # noqa: E402
from results import replace_section  # noqa: E402


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def public_load(fo, source, name: str) -> float:
    """The same samples through fo.Sample / fo.Detection and add_samples."""
    samples = []
    for s in source:
        d = s.to_dict()
        dets = [fo.Detection(**{k: v for k, v in det.items() if k not in ("_id", "_cls", "attributes", "tags")}) for det in d["ground_truth"]["detections"]]
        fields = {k: v for k, v in d.items() if k not in ("_id", "filepath", "tags", "metadata", "created_at", "last_modified_at", "ground_truth", "_media_type", "_rand", "_dataset_id")}
        samples.append(fo.Sample(filepath=s.filepath, metadata=fo.ImageMetadata(width=s.metadata.width, height=s.metadata.height), ground_truth=fo.Detections(detections=dets), **fields))
    dataset = fo.Dataset(name, overwrite=True)
    _, seconds = timed(lambda: dataset.add_samples(samples, dynamic=True, progress=False))
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=0.1)
    ap.add_argument("--work", type=Path, default=HERE / "work")
    ap.add_argument("--limit", type=int, default=20_000)
    ap.add_argument("--public", type=int, default=2_000)
    ap.add_argument("--write-results", action="store_true")
    args = ap.parse_args()
    out = args.work / f"pipe-out-{args.scale:g}"
    if not (out / "annotations").is_dir():
        sys.exit(f"{out} has no merged output: run bench/pipeline.py --scale {args.scale:g} first")
    db = args.work / "fiftyone-db-bench"
    shutil.rmtree(db, ignore_errors=True)
    os.environ["FIFTYONE_DATABASE_DIR"] = str(db)
    from bigdet import browse

    fo, start_db = timed(lambda: (browse._fiftyone(), __import__("fiftyone").list_datasets())[0])
    print(f"FiftyOne import + database start: {start_db:.1f} s", flush=True)
    rows = []

    def case(label: str, split: str, limit: int | None) -> None:
        selection, read_s = timed(lambda: browse.read(out, split, limit=limit))
        loaded = browse.load(selection, f"bench-{split}-{limit}")
        rows.append((label, selection.images.num_rows, selection.boxes.num_rows, read_s, loaded.seconds))
        print(f"{label}: {selection.images.num_rows:,} images, {selection.boxes.num_rows:,} boxes; read {read_s:.1f} s, "
              f"load {loaded.seconds:.1f} s = {selection.images.num_rows / loaded.seconds:,.0f} images/s, "
              f"{selection.boxes.num_rows / loaded.seconds:,.0f} boxes/s", flush=True)

    case(f"train, `--limit {args.limit}`", "train", args.limit)
    case("val, whole split", "val", None)
    source = fo.load_dataset(f"bench-train-{args.limit}").limit(args.public)
    boxes = source.count("ground_truth.detections")
    seconds = public_load(fo, source, "bench-public")
    print(f"FiftyOne add_samples, same {args.public:,} samples ({boxes:,} boxes): {seconds:.1f} s = {args.public / seconds:,.0f} images/s, {boxes / seconds:,.0f} boxes/s", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"peak memory of this process: {peak:.2f} GiB", flush=True)
    if args.write_results:
        title = f"## Browse (FiftyOne load), --scale {args.scale:g}"
        lines = [
            title,
            "",
            f"`bench/browse.py --scale {args.scale:g}`, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, FiftyOne "
            f"{fo.__version__} with its bundled MongoDB 6.0: `bigdet browse` without the App on the merged output of "
            f"`bench/pipeline.py`. Read = the split's json files streamed, the sample chosen; load = written as a FiftyOneDataset folder "
            f"and imported with fo.Dataset.from_dir into a new persistent dataset. FiftyOne import and database start: {start_db:.1f} s, not included. "
            f"Peak memory of the process: {peak:.2f} GiB.",
            "",
            "| what | images | boxes | read | load | images/s | boxes/s |",
            "|---|---|---|---|---|---|---|",
            *[f"| {label} | {n:,} | {b:,} | {r:.1f} s | {s:.1f} s | {n / s:,.0f} | {b / s:,.0f} |" for label, n, b, r, s in rows],
            f"| FiftyOne's `add_samples`, {args.public:,} of the same samples | {args.public:,} | {boxes:,} | - | {seconds:.1f} s | "
            f"{args.public / seconds:,.0f} | {boxes / seconds:,.0f} |",
        ]
        replace_section(title, "\n".join(lines))


if __name__ == "__main__":
    main()
