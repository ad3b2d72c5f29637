"""Benchmark: ``bigdet.data.BigDetDataset`` memory and random-access speed, against ``json.load``.

    .venv/bin/python bench/loader.py --scale 0.05 [--work DIR] [--items 100000] [--workers 4] [--write-results]
    .venv/bin/python bench/loader.py --out /data/full/out --export-to /scratch/parquet [--no-json] [--write-results]

Uses (or makes: ``bigdet synth``, ``bigdet merge``, ``bigdet export --format parquet``) a merged output at
``--scale``. Each measurement runs in a fresh process (multiprocessing, spawn; no torch), which opens the
train split and reads ``--items`` random items:

* one process: resident memory (RSS) and its split into proportional (PSS) and private (USS) memory
  from /proc/self/smaps_rollup, after imports, after open and after the reads; images/s.
* ``--workers`` processes at once, each given the pickled dataset (as a DataLoader would): what they add
  together beyond one (sum of PSS, and of USS: the mapped pages are shared, so they count once in PSS).
* for contrast, one process that ``json.load``s the train files (what a json-based loader's every worker holds).

``--out DIR --export-to DIR`` measures an existing merged output (a full-size one) instead.
``--baseline CHECKOUT`` (another bigdet checkout, e.g. main's) measures that code's one-process reads too, in
the same run, alternating with this checkout's (``--rounds`` each), on its own record cache (``--cache-dir``/baseline),
and then both codes in one process with ``contiguous_ids`` off and on (rounds alternated over the four).
``--contiguous-ids``: the measured processes open the split with ``contiguous_ids=True`` (detectron2's and
MMDetection's ids: every id mapped).
Before the reads the record file is read whole once (``cat`` to /dev/null) so that both start from the page
cache; its cached share is printed (mincore over a mapping made only for that count, in the parent).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import pickle
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))



def memory() -> dict:
    """RSS, PSS, USS (private clean + dirty) and anonymous (heap: never shared) memory of this process, in bytes."""
    fields = {}
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":")
        fields[name] = int(value.split()[0]) * 1024
    return {"rss": fields["Rss"], "pss": fields["Pss"], "uss": fields["Private_Clean"] + fields["Private_Dirty"], "anon": fields["Anonymous"]}


def reader(blob: bytes, items: int, seed: int, start, results, code: str | None = None) -> None:
    """In a worker: unpickle the dataset, wait for the start signal, read ``items`` random items.
    ``code``: the bigdet checkout whose ``bigdet.data`` unpickles it (default: this one)."""
    if code is not None:
        sys.path.insert(0, code)
    import bigdet.data  # noqa: F401  (imports are not the dataset's memory)

    assert code is None or Path(bigdet.data.__file__).is_relative_to(code), bigdet.data.__file__

    before = memory()
    ds = pickle.loads(blob)
    opened = memory()
    rng = random.Random(seed)
    order = [rng.randrange(len(ds)) for _ in range(items)]
    start.wait()
    t0, c0 = time.perf_counter(), time.process_time()
    n_boxes = 0
    for i in order:
        n_boxes += len(ds[i]["annotations"])
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    results.put({"before": before, "opened": opened, "after": memory(), "seconds": seconds, "cpu": cpu, "items": items, "boxes": n_boxes})
    start.wait()  # stay alive until every worker has measured: shared pages are counted while all live


def run_readers(blob: bytes, n: int, items: int, code: str | None = None) -> list[dict]:
    ctx = mp.get_context("spawn")
    start, results = ctx.Barrier(n + 1), ctx.Queue()
    procs = [ctx.Process(target=reader, args=(blob, items, seed, start, results, code)) for seed in range(n)]
    for p in procs:
        p.start()
    start.wait()
    out = [results.get() for _ in procs]
    start.wait()
    for p in procs:
        p.join()
    return out


def json_reader(files: list[str], items: int, results) -> None:
    before = memory()
    docs = [json.loads(Path(f).read_bytes()) for f in files]
    images = [im for d in docs for im in d["images"]]
    by_image: dict[int, list] = {}
    for d in docs:
        for a in d["annotations"]:
            by_image.setdefault(a["image_id"], []).append(a)
    rng = random.Random(0)
    t0 = time.perf_counter()
    for _ in range(items):
        im = images[rng.randrange(len(images))]
        len(by_image.get(im["id"], ()))
    results.put({"before": before, "after": memory(), "seconds": time.perf_counter() - t0})


def prepare(args) -> Path:
    data, out = args.work / f"data-{args.scale:g}", args.work / f"pipe-out-{args.scale:g}"
    bigdet = [sys.executable, "-m", "bigdet"]
    if not (data / "lvis").exists():
        subprocess.run(bigdet + ["synth", "--scale", str(args.scale), "--out", str(data)], check=True)
    if not (out / "annotations").exists():
        subprocess.run(bigdet + ["merge", "--sources", "lvis", "oi", "o365", "--data-root", str(data), "--store", str(args.work / f"pipe-store-{args.scale:g}"), "--out", str(out)], check=True)
    dest = out / "exports" / "parquet"
    if not (dest / "export_report.json").exists():
        t0 = time.perf_counter()
        subprocess.run(bigdet + ["export", str(out), "--format", "parquet"], check=True)
        print(f"export parquet: {time.perf_counter() - t0:.1f} s", flush=True)
    return out


def open_with(code: str, blob: bytes) -> None:
    """In a process: open the dataset with ``code``'s bigdet (builds its record cache, outside any measurement)."""
    sys.path.insert(0, code)
    print(f"{code}: {len(pickle.loads(blob)):,} images", flush=True)


def cached_share(path: Path) -> float:
    """The share of ``path``'s pages in the page cache (mincore through ctypes on a mapping held for the count only)."""
    import ctypes
    import mmap

    size = path.stat().st_size
    page = mmap.PAGESIZE
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mmap.restype, libc.mmap.argtypes = ctypes.c_void_p, [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
    libc.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p]
    libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    fd = os.open(path, os.O_RDONLY)
    try:
        addr = libc.mmap(None, size, mmap.PROT_READ, mmap.MAP_SHARED, fd, 0)
        pages = (size + page - 1) // page
        vec = ctypes.create_string_buffer(pages)
        if libc.mincore(ctypes.c_void_p(addr), size, vec) != 0:
            raise OSError(ctypes.get_errno(), "mincore")
        libc.munmap(ctypes.c_void_p(addr), size)
    finally:
        os.close(fd)
    return sum(b & 1 for b in vec.raw) / pages


def warm(path: Path) -> str:
    """Read ``path`` whole once (into the page cache); its cached share before and after."""
    before = cached_share(path)
    subprocess.run(f"cat {str(path)!r} > /dev/null", shell=True, check=True)
    return f"{before:.0%} -> {cached_share(path):.0%} of {gib(path.stat().st_size)} in the page cache"


def alternate_in_process(folder: Path, baseline: Path, baseline_cache: Path, items: int, rounds: int, results, cache_dir: Path | None = None) -> None:
    """In one process: this checkout's and ``baseline``'s ``BigDetDataset``, each with ``contiguous_ids`` off
    and on, reading the same random items, rounds alternated (the order reversed every round), images per
    CPU-second of each round. The baseline's ``bigdet/data.py`` is loaded as a module of this checkout's
    package (its other modules are this checkout's)."""
    import importlib.util
    import random

    import bigdet.data as this

    spec = importlib.util.spec_from_file_location("bigdet._baseline_data", baseline / "bigdet" / "data.py")
    base = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = base
    spec.loader.exec_module(base)
    datasets = {}
    for contiguous in (False, True):
        a = this.BigDetDataset(folder, "train", cache_dir=cache_dir, contiguous_ids=contiguous)
        b = base.BigDetDataset(folder, "train", cache_dir=baseline_cache, contiguous_ids=contiguous)
        datasets[f"this{', contiguous_ids' * contiguous}"], datasets[f"baseline{', contiguous_ids' * contiguous}"] = a, b
    rng = random.Random(0)
    order = [rng.randrange(len(a)) for _ in range(items)]
    pairs = list(datasets.values())
    assert all(pairs[0][i] == pairs[1][i] and pairs[2][i] == pairs[3][i] for i in order[:1000])  # the same items
    out = {name: [] for name in datasets}
    for r in range(rounds):
        for name, ds in (list(datasets.items()) if r % 2 == 0 else list(datasets.items())[::-1]):
            c0 = time.process_time()
            for i in order:
                ds[i]
            out[name].append(items / (time.process_time() - c0))
    results.put(out)


def pickled_arguments(folder: Path, cache_dir: Path, contiguous_ids: bool) -> bytes:
    """A pickled ``BigDetDataset`` (its arguments only) made without opening it here: opening would build
    this checkout's record cache in ``cache_dir``, which the baseline's code would then build again."""
    from bigdet.data import BigDetDataset

    ds = BigDetDataset.__new__(BigDetDataset)
    ds._args = dict(folder=str(folder), split="train", image_root=None, cache_dir=str(cache_dir), contiguous_ids=contiguous_ids, keep_empty=True, min_size=0)
    return pickle.dumps(ds)


def gib(v: float) -> str:
    return f"{v / 2**30:.2f} GiB" if v >= 2**29 else f"{v / 2**20:.0f} MiB"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=0.05)
    ap.add_argument("--work", type=Path, default=HERE / "work")
    ap.add_argument("--out", type=Path, help="an existing merged output (read only) instead of a --scale run; its parquet export goes to --export-to")
    ap.add_argument("--export-to", type=Path, help="with --out: where the parquet export is (made if missing)")
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--no-json", action="store_true", help="skip the json.load comparison")
    ap.add_argument("--write-results", action="store_true")
    ap.add_argument("--cache-dir", type=Path, help="the record cache's folder (default: the export's .cache)")
    ap.add_argument("--baseline", type=Path, help="another bigdet checkout (e.g. main) measured in the same run, one process, alternating")
    ap.add_argument("--rounds", type=int, default=2, help="with --baseline: one-process runs of each code")
    ap.add_argument("--contiguous-ids", action="store_true", help="the measured processes read with contiguous_ids=True")
    args = ap.parse_args()
    if args.out is not None:
        out, folder = args.out, args.export_to
        if folder is None:
            ap.error("--out needs --export-to")
        if not (folder / "export_report.json").exists():
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "bigdet", "export", str(out), "--format", "parquet", "--to", str(folder)], check=True)
            print(f"export parquet: {time.perf_counter() - t0:.1f} s", flush=True)
        title, run = "## Loader (bigdet.data), full size", f"`bench/loader.py --out {out} --items {args.items} --workers {args.workers}{' --contiguous-ids' * args.contiguous_ids}`"
    else:
        out = prepare(args)
        folder = out / "exports" / "parquet"
        title, run = f"## Loader (bigdet.data), --scale {args.scale:g}", f"`bench/loader.py --scale {args.scale:g} --items {args.items} --workers {args.workers}{' --contiguous-ids' * args.contiguous_ids}`"
    from bigdet.data import BigDetDataset

    cache = args.cache_dir or folder / ".cache"
    fresh = not (cache / "train.meta.json").exists()
    t0 = time.perf_counter()
    ds = BigDetDataset(folder, "train", cache_dir=args.cache_dir, contiguous_ids=args.contiguous_ids)  # builds the record file once, outside the measured processes
    cache_seconds = time.perf_counter() - t0
    built = f"built once in {cache_seconds:.1f} s" if fresh else "built by an earlier run"
    n_images = len(ds)
    cache_bytes = ds.path.stat().st_size
    parquet_bytes = sum(p.stat().st_size for p in (folder / "data").glob("train-*.parquet"))
    json_files = [str(p) for p in sorted((out / "annotations").glob("*train*.json"))]
    json_bytes = sum(Path(p).stat().st_size for p in json_files)
    blob = pickle.dumps(ds)
    record_path = ds.path
    del ds
    print(f"train: {n_images:,} images; parquet {gib(parquet_bytes)}, record file {gib(cache_bytes)} ({built}), json {gib(json_bytes)}", flush=True)
    baseline_blob = None
    if args.baseline is not None:
        baseline_cache = cache / "baseline"
        baseline_blob = pickled_arguments(folder, baseline_cache, args.contiguous_ids)  # the same arguments, its own cache
        p = mp.get_context("spawn").Process(target=open_with, args=(str(args.baseline.resolve()), baseline_blob))
        p.start()
        p.join()
        print(f"baseline {args.baseline}: {warm(baseline_cache / record_path.name)}", flush=True)
    warmed = warm(record_path)
    print(f"this checkout: {warmed}", flush=True)

    ones, baseline_ones = [], []
    for _ in range(args.rounds if baseline_blob else 1):
        ones.append(run_readers(blob, 1, args.items)[0])
        if baseline_blob:
            baseline_ones.append(run_readers(baseline_blob, 1, args.items, str(args.baseline.resolve()))[0])
    one = max(ones, key=lambda r: r["items"] / r["cpu"])
    rate_one, cpu_one = one["items"] / one["seconds"], one["items"] / one["cpu"]
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} cores", flush=True)
    rates = lambda rows: ", ".join(f"{r['items'] / r['seconds']:,.0f} wall / {r['items'] / r['cpu']:,.0f} per CPU-s (RSS {gib(r['after']['rss'])}, PSS {gib(r['after']['pss'])})" for r in rows)  # noqa: E731
    if baseline_blob:
        print(f"1 process, this checkout, each round: {rates(ones)}", flush=True)
        print(f"1 process, baseline {args.baseline}, each round: {rates(baseline_ones)}", flush=True)
        ctx = mp.get_context("spawn")
        q = ctx.Queue()
        p = ctx.Process(target=alternate_in_process, args=(folder, args.baseline.resolve(), baseline_cache, args.items, 2 * args.rounds, q, args.cache_dir))
        p.start()
        both = q.get()
        p.join()
        for name, v in both.items():
            print(f"in one process, alternating, {name}: " + " / ".join(f"{x:,.0f}" for x in v) + f" per CPU-second; median {sorted(v)[len(v) // 2]:,.0f}", flush=True)
    print(f"1 process: {rate_one:,.0f} images/s wall, {cpu_one:,.0f} per CPU-second; RSS {gib(one['after']['rss'])} (after imports {gib(one['before']['rss'])}, after open {gib(one['opened']['rss'])}), PSS {gib(one['after']['pss'])}, anonymous {gib(one['after']['anon'])} (after imports {gib(one['before']['anon'])})", flush=True)
    many = run_readers(blob, args.workers, args.items)
    pss = sum(r["after"]["pss"] for r in many)
    rss = sum(r["after"]["rss"] for r in many)
    rate_many = sum(r["items"] for r in many) / max(r["seconds"] for r in many)
    print(f"{args.workers} processes: {rate_many:,.0f} images/s together, {sum(r['items'] for r in many) / sum(r['cpu'] for r in many):,.0f} per CPU-second each; sum RSS {gib(rss)}, sum PSS {gib(pss)} ({gib(pss - one['after']['pss'])} beyond one)", flush=True)
    json_row = None
    if not args.no_json:
        ctx = mp.get_context("spawn")
        q = ctx.Queue()
        p = ctx.Process(target=json_reader, args=(json_files, args.items, q))
        p.start()
        json_row = q.get()
        p.join()
        print(f"json.load of the train files: RSS {gib(json_row['after']['rss'])}, {args.items / json_row['seconds']:,.0f} lookups/s", flush=True)

    if args.write_results:
        from results import replace_section

        lines = [
            title,
            "",
            f"{run}, {time.strftime('%Y-%m-%d')}, 2 cores shared with other jobs. "
            f"Train split: {n_images:,} images; parquet {gib(parquet_bytes)}, record file (`.cache/train.records`, one image's data contiguous, read with `pread`) {gib(cache_bytes)} ({built}), json {gib(json_bytes)}. "
            f"Each process reads {args.items:,} random items (dicts with their annotations). Load average {load:.1f} on {os.cpu_count()} cores during the run: wall rates are what a share of a core gave; "
            "images per CPU-second (process time) is the rate of one core. RSS: resident memory of the process (the record file is not mapped: its pages stay in the shared page cache; "
            "the index, 8 bytes an image, is mapped); PSS splits shared pages among the processes mapping them; anonymous memory (heap) is never shared.",
            "",
            "| measurement | images/s (wall) | images per CPU-second | RSS | PSS | anonymous |",
            "|---|---|---|---|---|---|",
            f"| 1 process, after imports | | | {gib(one['before']['rss'])} | {gib(one['before']['pss'])} | {gib(one['before']['anon'])} |",
            f"| 1 process, after opening the split | | | {gib(one['opened']['rss'])} | {gib(one['opened']['pss'])} | {gib(one['opened']['anon'])} |",
            f"| 1 process, after {args.items:,} reads | {rate_one:,.0f} | {cpu_one:,.0f} | {gib(one['after']['rss'])} | {gib(one['after']['pss'])} | {gib(one['after']['anon'])} |",
            *(
                [f"| 1 process, baseline `{args.baseline}` (best of {len(baseline_ones)}; rounds alternated with this code's) | "
                 f"{max(r['items'] / r['seconds'] for r in baseline_ones):,.0f} | {max(r['items'] / r['cpu'] for r in baseline_ones):,.0f} | "
                 f"{gib(baseline_ones[0]['after']['rss'])} | {gib(baseline_ones[0]['after']['pss'])} | {gib(baseline_ones[0]['after']['anon'])} |"]
                if baseline_blob else []
            ),
            f"| {args.workers} processes together | {rate_many:,.0f} | {sum(r['items'] for r in many) / sum(r['cpu'] for r in many):,.0f} (each) | {gib(rss)} (sum) | {gib(pss)} (sum; {gib(pss - one['after']['pss'])} beyond one) | {gib(sum(r['after']['anon'] for r in many))} (sum) |",
        ]
        if json_row:
            lines.append(f"| json.load of the train files, 1 process | {args.items / json_row['seconds']:,.0f} (dict lookups only) | | {gib(json_row['after']['rss'])} | {gib(json_row['after']['pss'])} | {gib(json_row['after']['anon'])} |")
        replace_section(title, "\n".join(lines))


if __name__ == "__main__":
    main()
