"""Duplicate images within and across sources and splits (``bigdet dedup``, ``bigdet merge --dedup``).

Open Images, Objects365 and COCO were all collected from the web, largely Flickr: one photo can sit
in one source's train and another's val. This module finds such pairs from the pixels:

* every image file of the chosen sources (the store's image tables, so the split is the annotation
  file's, not the folder's: LVIS val holds COCO train2017 images) and of ``--against`` folders gets a
  **content hash** (SHA-256 of the bytes: exact copies) and a **perceptual hash** (pHash, 64 bits:
  the signs of the lowest 8 x 8 DCT coefficients of a 32 x 32 grey thumbnail; it survives resizing,
  recompression and small crops) checked by a second one (dHash, 64 bits: the signs of horizontal
  grey differences of a 9 x 8 thumbnail). pHash alone also pairs some unrelated pictures at
  distances where modified copies still sit (``bench/dedup.py`` measures both): a near pair must be
  within the threshold on both, whose errors are nearly independent;
* decoding and hashing are Ray Data batch maps over the file list (``hash_batch``): an embedded local
  Ray that starts and stops with the command, or a cluster given by its address. Ray is the optional
  extra ``bigdet[images]`` and is imported only here, only when there is something to hash;
* hashes are cached in ``STORE/_dedup/hashes.parquet`` keyed by path, size and mtime, so a rerun
  hashes only new or changed files; a cache that cannot be read is rebuilt, never trusted;
* pairs come from multi-index hashing (``near_pairs``): the 64 bits are cut into ``m`` chunks, and
  two hashes within distance ``t`` agree within ``t // m`` bits on at least one chunk (pigeonhole),
  so each chunk's table is probed with the few values that close, never all pairs.

A pair is ``exact`` when the bytes are equal, else ``near`` when the pHash distance is at most the
threshold. ``merge --dedup`` drops train images that duplicate a val image or an ``--against``
image (``images_to_drop``, ``drop_images``) with the reason ``duplicate_of_val_image``.
"""

from __future__ import annotations

import hashlib
import io
import logging
import math
import os
import sys
import time
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .errors import ConfigError
from .layout import Layout
from .workers import resolve

if TYPE_CHECKING:  # pandas is imported where it is used: `bigdet merge` (which imports parse_against) never loads it
    import pandas as pd


REASON = "duplicate_of_val_image"
#: The split given to the images of an ``--against`` folder.
REFERENCE_SPLIT = "reference"
#: Default largest pHash distance of a near duplicate (of 64 bits); ``bench/dedup.py`` measures it.
THRESHOLD = 8
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif", ".tif", ".tiff")
CACHE_NAME = "hashes.parquet"
CACHE_VERSION = b"2"
CACHE_SCHEMA = pa.schema(
    [
        ("path", pa.string()),
        ("size", pa.int64()),
        ("mtime_ns", pa.int64()),
        ("sha256", pa.string()),
        ("phash", pa.int64()),  # the 64 bits, as a signed integer (Parquet has no unsigned 64-bit)
        ("dhash", pa.int64()),
        ("width", pa.int32()),
        ("height", pa.int32()),
    ]
)
#: ``distance`` is the pHash distance (bits of 64); ``dhash_distance`` the check's.
PAIR_COLUMNS = ["file_a", "file_b", "source_a", "split_a", "source_b", "split_b", "kind", "distance", "dhash_distance", "image_id_a", "image_id_b"]
#: How many unreadable files are listed by name (all are counted).
SHOW_ERRORS = 5
#: Files per Ray Data block (a task decodes and hashes one block, in batches of ``BATCH``).
BLOCK = 256
BATCH = 32


@dataclass
class DedupResult:
    pairs: pd.DataFrame  # PAIR_COLUMNS, one row per pair
    n_images: int  # records listed (store images and --against files)
    n_files: int  # distinct files among them
    n_hashed: int  # files decoded and hashed in this run
    n_cached: int  # files whose hashes came from the cache
    errors: list[tuple[str, str]]  # (file, OS or decoder error) of every missing or unreadable file
    threshold: int
    seconds: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    out: Path | None = None


# --- the file list -------------------------------------------------------------------------------


def parse_against(values: list[str] | None) -> dict[str, Path]:
    """``NAME=DIR`` options as a dict; one clear error for a malformed one or a missing folder."""
    result: dict[str, Path] = {}
    for value in values or []:
        name, sep, folder = value.partition("=")
        if not sep or not name or not folder:
            raise ConfigError(f"--against {value!r}: expected NAME=DIR, e.g. coco_val=/data/coco/val2017")
        if not Path(folder).is_dir():
            raise ConfigError(f"--against {value!r}: {folder} is not a folder")
        if name in result:
            raise ConfigError(f"--against {value!r}: the name {name!r} is given twice")
        result[name] = Path(folder)
    return result


def _relative(path: Path, root: Path) -> str:
    """``path`` relative to the data root (as the merged files' ``file_name``), absolute if outside."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def image_list(layout: Layout, sources: list[str], against: dict[str, Path] | None = None) -> pd.DataFrame:
    """Every image record to hash: ``source``, ``split``, ``image_id`` (null for --against files),
    ``file`` (relative to the data root) and ``path`` (absolute). Sources are ingested if needed."""
    import pandas as pd

    from .build import image_prefixes  # late: build imports this module for merge --dedup
    from .ingest import ingest
    from .store import Store

    root, prefixes = image_prefixes(layout)
    store = Store(layout.store)
    frames = []
    for source in sources:
        ingest(source, layout)
        manifest = store.manifest(source)
        for split in manifest["splits"]:
            table = store.table(source, split, "images", ["image_id", "file_name"])
            names = table.column("file_name").to_pylist()
            files = [prefixes[source] + n for n in names]
            frames.append(
                pd.DataFrame(
                    {
                        "source": source,
                        "split": split,
                        "image_id": pd.array(table.column("image_id").to_numpy(), dtype="Int64"),
                        "file": files,
                        "path": [f if os.path.isabs(f) else str(root / f) for f in files],
                    }
                )
            )
    for name, folder in (against or {}).items():
        folder = Path(folder).resolve()
        paths = sorted(
            Path(d) / f for d, _, fs in os.walk(folder) for f in fs if f.lower().endswith(IMAGE_SUFFIXES)
        )
        frames.append(
            pd.DataFrame(
                {
                    "source": name,
                    "split": REFERENCE_SPLIT,
                    "image_id": pd.array([None] * len(paths), dtype="Int64"),
                    "file": [_relative(p, root) for p in paths],
                    "path": [str(p) for p in paths],
                }
            )
        )
    if not frames:
        return pd.DataFrame({"source": [], "split": [], "image_id": pd.array([], dtype="Int64"), "file": [], "path": []})
    return pd.concat(frames, ignore_index=True)


# --- hashing ---------------------------------------------------------------------------------------


def _signed(bits: np.ndarray) -> int:
    value = int(np.packbits(bits.ravel()).view(">u8")[0])
    return value - (1 << 64) if value >= 1 << 63 else value


def hash_bytes(data: bytes) -> tuple[str, int, int, int, int]:
    """(SHA-256 hex, pHash, dHash (each 64 bits as a signed integer), width, height) of an encoded image."""
    import imagehash
    from PIL import Image

    digest = hashlib.sha256(data).hexdigest()
    with Image.open(io.BytesIO(data)) as im:
        width, height = im.size  # the stored size (draft below shrinks im.size)
        im.draft("L", (64, 64))  # JPEG: decode at 1/2..1/8 scale straight to grey; the hashes look at 32 x 32
        grey = im.convert("L")
        return digest, _signed(imagehash.phash(grey).hash), _signed(imagehash.dhash(grey).hash), width, height


def hash_batch(batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Ray Data batch map: read, decode and hash each ``path``; an unreadable file gets its error."""
    paths = batch["path"]
    n = len(paths)
    sha = np.empty(n, dtype=object)
    phash = np.zeros(n, dtype=np.int64)
    dhash = np.zeros(n, dtype=np.int64)
    width = np.zeros(n, dtype=np.int32)
    height = np.zeros(n, dtype=np.int32)
    error = np.empty(n, dtype=object)
    for i, path in enumerate(paths):
        try:
            with open(path, "rb") as f:
                data = f.read()
            sha[i], phash[i], dhash[i], width[i], height[i] = hash_bytes(data)
            error[i] = ""
        except Exception as e:  # noqa: BLE001 - any decoder failure is this file's error, reported, never a crash
            sha[i], error[i] = "", f"{type(e).__name__}: {e}"
    return {"path": paths, "sha256": sha, "phash": phash, "dhash": dhash, "width": width, "height": height, "error": error}


def _ray_module():
    try:
        import ray
    except ImportError:
        raise ConfigError("bigdet dedup needs Ray: pip install 'bigdet[images]' (scripts/setup.sh dev,images)") from None
    return ray


def hash_files(paths: list[str], *, ray_address: str | None = None, workers: int | None = None) -> pd.DataFrame:
    """``hash_batch`` over ``paths`` as a Ray Data pipeline: one row per path (any order).

    Without ``ray_address`` a local Ray starts for this call and stops after it (``workers`` CPUs,
    default the CPUs this process may use, ``bigdet.workers``); with one, the pipeline runs on that cluster (every node must see the same paths).
    """
    import pandas as pd

    if not paths:  # typed: an untyped empty frame would turn the cached hashes into floats when concatenated
        return pd.DataFrame(hash_batch({"path": np.zeros(0, dtype=object)}))
    ray = _ray_module()
    import ray.data

    started = False
    if not ray.is_initialized():
        kwargs = dict(include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING, configure_logging=False)
        if ray_address:
            try:
                ray.init(address=ray_address, **kwargs)
            except Exception as e:  # noqa: BLE001 - Ray raises several kinds; the user needs one line
                raise ConfigError(f"--ray-address {ray_address}: cannot join a Ray cluster there ({type(e).__name__}: {e})") from None
        else:
            ray.init(num_cpus=resolve(workers), **kwargs)
        started = True
    try:
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = sys.stderr.isatty()
        context.print_on_execution_start = False
        table = pa.table({"path": pa.array(paths, pa.string())})
        blocks = [table.slice(i, BLOCK) for i in range(0, len(paths), BLOCK)]
        ds = ray.data.from_arrow(blocks).map_batches(hash_batch, batch_size=BATCH, batch_format="numpy")
        frame = ds.to_pandas()
        # plain numpy columns whatever Ray's block format (64-bit hashes must not pass through float)
        return pd.DataFrame(
            {
                "path": frame["path"].astype(str).to_numpy(dtype=object),
                "sha256": frame["sha256"].astype(str).to_numpy(dtype=object),
                "phash": np.asarray(frame["phash"].to_numpy(), dtype=np.int64),
                "dhash": np.asarray(frame["dhash"].to_numpy(), dtype=np.int64),
                "width": np.asarray(frame["width"].to_numpy(), dtype=np.int32),
                "height": np.asarray(frame["height"].to_numpy(), dtype=np.int32),
                "error": frame["error"].astype(str).to_numpy(dtype=object),
            }
        )
    finally:
        if started:
            ray.shutdown()


# --- the cache -------------------------------------------------------------------------------------


def load_cache(path: Path) -> tuple[pd.DataFrame, str | None]:
    """The cached hashes (empty if none) and a note when the cache was unreadable and is rebuilt."""
    empty = CACHE_SCHEMA.empty_table().to_pandas()
    if not path.exists():
        return empty, None
    try:
        table = pq.read_table(path)
        if (table.schema.metadata or {}).get(b"bigdet_hash_cache") != CACHE_VERSION or not table.schema.equals(CACHE_SCHEMA, check_metadata=False):
            raise ValueError("written by another version")
        frame = table.to_pandas()
        if frame["path"].duplicated().any():
            raise ValueError("a path appears twice")
        return frame, None
    except Exception as e:  # noqa: BLE001 - a cache is only a shortcut: anything wrong with it means rebuild
        return empty, f"{path}: hash cache unreadable ({type(e).__name__}: {e}); rebuilt"


def save_cache(path: Path, frame: pd.DataFrame) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    for name in ("size", "mtime_ns", "phash", "dhash"):
        if frame[name].dtype != np.int64:
            raise TypeError(f"hash cache column {name} is {frame[name].dtype}, not int64")  # a float would round hashes
    table = pa.Table.from_pandas(frame[CACHE_SCHEMA.names], schema=CACHE_SCHEMA, preserve_index=False)
    table = table.replace_schema_metadata({b"bigdet_hash_cache": CACHE_VERSION})
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)


# --- pair search -----------------------------------------------------------------------------------


def popcount(values: np.ndarray) -> np.ndarray:
    """Set bits of each unsigned 64-bit value."""
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(values).astype(np.int64)
    as_bytes = values.astype(np.uint64).view(np.uint8).reshape(-1, 8)
    return np.unpackbits(as_bytes, axis=1).sum(axis=1).astype(np.int64)


def _flip_masks(width: int, radius: int) -> np.ndarray:
    """Every ``width``-bit mask with at most ``radius`` bits set."""
    masks = [0]
    for r in range(1, radius + 1):
        masks += [sum(1 << b for b in bits) for bits in combinations(range(width), r)]
    return np.asarray(masks, dtype=np.uint64)


def index_plan(n: int, threshold: int, bits: int = 64) -> int:
    """The number of chunks ``m`` that makes multi-index search cheapest for ``n`` uniform hashes:
    per hash, ``m`` chunks x (masks within ``threshold // m`` bits) probes, each meeting
    ``n / 2**chunk_bits`` stored hashes on average."""
    best, best_cost = 1, math.inf
    for m in range(1, min(threshold + 1, bits) + 1):
        width = math.ceil(bits / m)
        radius = threshold // m
        masks = sum(math.comb(width, r) for r in range(radius + 1))
        cost = m * masks * (1 + n / 2.0**width)
        if cost < best_cost:
            best, best_cost = m, cost
    return best


def near_pairs(hashes: np.ndarray, threshold: int, *, chunks: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All pairs ``i < j`` with Hamming distance <= ``threshold`` between 64-bit ``hashes``, by
    multi-index hashing: (i, j, distance), sorted by (i, j)."""
    h = np.ascontiguousarray(hashes).view(np.uint64) if hashes.dtype == np.int64 else hashes.astype(np.uint64)
    n = len(h)
    if n < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    m = chunks or index_plan(n, threshold)
    bounds = np.linspace(0, 64, m + 1).round().astype(int)
    radius = threshold // m
    found = []
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        width = int(hi - lo)
        key = (h >> np.uint64(lo)) & np.uint64((1 << width) - 1)
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        # up to 2**24 buckets: a direct table of where each key's run starts (two lookups a probe,
        # no binary search); wider chunks fall back to searchsorted
        table = np.searchsorted(sorted_key, np.arange((1 << width) + 1, dtype=np.uint64)) if width <= 24 else None
        for mask in _flip_masks(width, radius):
            probe = key ^ mask
            if table is not None:
                start, stop = table[probe.astype(np.int64)], table[probe.astype(np.int64) + 1]
            else:
                start = np.searchsorted(sorted_key, probe, "left")
                stop = np.searchsorted(sorted_key, probe, "right")
            count = stop - start
            if not count.any():
                continue
            i = np.repeat(np.arange(n), count)
            offset = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
            j = order[np.repeat(start, count) + offset]
            keep = i < j
            i, j = i[keep], j[keep]
            close = popcount(h[i] ^ h[j]) <= threshold
            found.append(i[close] * n + j[close])
    keys = np.unique(np.concatenate(found)) if found else np.zeros(0, np.int64)
    i, j = keys // n, keys % n
    return i, j, popcount(h[i] ^ h[j])


def exact_pairs(digests: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All pairs ``i < j`` of equal content hashes."""
    codes, inverse = np.unique(digests, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    groups = np.split(order, np.flatnonzero(np.diff(inverse[order])) + 1)
    pairs = [(a, b) for g in groups if len(g) > 1 for a, b in combinations(sorted(g.tolist()), 2)]
    if not pairs:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    arr = np.asarray(pairs, dtype=np.int64)
    return arr[:, 0], arr[:, 1]


def find_pairs(records: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Pairs among hashed ``records`` (columns source, split, image_id, file, sha256, phash, dhash):
    equal bytes, or pHash and dHash both within ``threshold``."""
    import pandas as pd

    ei, ej = exact_pairs(records["sha256"].to_numpy(dtype=object).astype(str))
    ni, nj, nd = near_pairs(records["phash"].to_numpy(dtype=np.int64), threshold)
    dh = records["dhash"].to_numpy(dtype=np.int64).view(np.uint64)
    ndh = popcount(dh[ni] ^ dh[nj])
    exact_keys = set((ei * len(records) + ej).tolist())
    near = np.array([k not in exact_keys for k in (ni * len(records) + nj).tolist()], dtype=bool) & (ndh <= threshold)
    i = np.concatenate([ei, ni[near]])
    j = np.concatenate([ej, nj[near]])
    kind = np.array(["exact"] * len(ei) + ["near"] * int(near.sum()), dtype=object)
    distance = np.concatenate([np.zeros(len(ei), np.int64), nd[near]])
    dhash_distance = np.concatenate([np.zeros(len(ei), np.int64), ndh[near]])
    a, b = records.iloc[i].reset_index(drop=True), records.iloc[j].reset_index(drop=True)
    # the file earlier in path order is a, so a pair has one spelling
    swap = (a["file"].to_numpy(dtype=object) > b["file"].to_numpy(dtype=object)).astype(bool)
    first = a.where(~pd.Series(swap), b) if len(a) else a
    second = b.where(~pd.Series(swap), a) if len(a) else b
    pairs = pd.DataFrame(
        {
            "file_a": first["file"].astype(str),
            "file_b": second["file"].astype(str),
            "source_a": first["source"].astype(str),
            "split_a": first["split"].astype(str),
            "source_b": second["source"].astype(str),
            "split_b": second["split"].astype(str),
            "kind": kind.astype(str),
            "distance": distance.astype(np.int64),
            "dhash_distance": dhash_distance.astype(np.int64),
            "image_id_a": first["image_id"].astype("Int64"),
            "image_id_b": second["image_id"].astype("Int64"),
        }
    )
    return pairs.sort_values(["file_a", "file_b"], kind="stable").reset_index(drop=True)


# --- the whole job ---------------------------------------------------------------------------------


def default_out(layout: Layout) -> Path:
    return Path(layout.store) / "_dedup" / "duplicates.parquet"


def find_duplicates(
    layout: Layout,
    sources: list[str],
    against: dict[str, Path] | None = None,
    *,
    threshold: int = THRESHOLD,
    ray_address: str | None = None,
    workers: int | None = None,
    progress=None,
) -> DedupResult:
    """List, stat, hash (what the cache lacks) and pair every image of ``sources`` and ``against``."""
    if not 0 <= threshold <= 32:
        raise ConfigError(f"--threshold {threshold}: use a pHash distance from 0 to 32 bits (default {THRESHOLD})")
    say = progress or (lambda message: None)
    import pandas as pd

    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    say("list images")
    from .outputs import store_lock

    with store_lock(layout.store):  # no ingest may switch a source's version while it is read
        records = image_list(layout, sources, against)
    unique_paths = list(dict.fromkeys(records["path"].tolist()))
    stats, errors = {}, {}
    for path in unique_paths:
        try:
            st = os.stat(path)
            stats[path] = (st.st_size, st.st_mtime_ns)
        except OSError as e:
            errors[path] = f"{type(e).__name__}: {e}"
    seconds["list"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    cache_path = Path(layout.store) / "_dedup" / CACHE_NAME
    cache, note = load_cache(cache_path)
    notes = [note] if note else []
    current = pd.DataFrame(
        {"path": list(stats), "size": [s for s, _ in stats.values()], "mtime_ns": [m for _, m in stats.values()]}
    ).astype({"size": np.int64, "mtime_ns": np.int64})
    # a cached row counts only if path, size and mtime all match the file as it is now
    hits = cache.merge(current, on=["path", "size", "mtime_ns"], how="inner")
    hit_paths = set(hits["path"])
    todo = [p for p in current["path"].tolist() if p not in hit_paths]
    say(f"hash {len(todo):,} images ({len(hits):,} cached)")
    fresh = hash_files(todo, ray_address=ray_address, workers=workers)
    failed = fresh[fresh["error"] != ""] if len(fresh) else fresh
    for path, error in zip(failed["path"].tolist(), failed["error"].tolist()):
        errors[path] = error
    good = fresh[fresh["error"] == ""].drop(columns=["error"]) if len(fresh) else fresh.drop(columns=["error"])
    good = good.merge(current, on="path", how="left")
    # never concatenate an empty frame: pandas lets its dtypes widen int64 hashes to float64
    hashes = pd.concat([f[CACHE_SCHEMA.names] for f in (hits, good) if len(f)] or [hits[CACHE_SCHEMA.names]], ignore_index=True)
    if len(good) or note or len(cache) == 0 and len(hashes):
        # keep other runs' entries (other sources, other folders); replace the ones seen now
        kept = cache[~cache["path"].isin(set(current["path"]))]
        frames = [f for f in (kept, hashes) if len(f)] or [hashes]
        save_cache(cache_path, pd.concat(frames, ignore_index=True).sort_values("path", kind="stable"))
    seconds["hash"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    say("search pairs")
    hashed = records.merge(hashes[["path", "sha256", "phash", "dhash"]], on="path", how="inner")
    pairs = find_pairs(hashed, threshold)
    seconds["pairs"] = time.perf_counter() - t0
    by_path = records.drop_duplicates("path").set_index("path")["file"]
    return DedupResult(
        pairs=pairs,
        n_images=len(records),
        n_files=len(unique_paths),
        n_hashed=len(todo),
        n_cached=len(hits),
        errors=sorted((by_path[p], e) for p, e in errors.items()),
        threshold=threshold,
        seconds=seconds,
        notes=notes,
    )


def write_pairs(pairs: pd.DataFrame, out: Path) -> None:
    """The pairs as Parquet, atomically."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(pairs[PAIR_COLUMNS], preserve_index=False)
    tmp = out.with_name(out.name + ".tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, out)


def summary(pairs: pd.DataFrame) -> pd.DataFrame:
    """Pairs by (source, split) x (source, split) and kind: one row per combination found."""
    import pandas as pd

    if not len(pairs):
        return pd.DataFrame(columns=["a", "b", "exact", "near"])
    a = pairs["source_a"] + " " + pairs["split_a"]
    b = pairs["source_b"] + " " + pairs["split_b"]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    frame = pd.DataFrame({"a": lo, "b": hi, "kind": pairs["kind"]})
    table = frame.groupby(["a", "b", "kind"]).size().unstack("kind", fill_value=0)
    for kind in ("exact", "near"):
        if kind not in table:
            table[kind] = 0
    return table[["exact", "near"]].reset_index()


def leaks(pairs: pd.DataFrame) -> pd.DataFrame:
    """Train images that duplicate a val (or --against) image: one row per (source, split, image)
    with the file, and what it duplicates (source and split of the first match)."""
    import pandas as pd

    rows = []
    for side, other in (("a", "b"), ("b", "a")):
        sel = (pairs[f"split_{side}"] == "train") & pairs[f"split_{other}"].isin(["val", REFERENCE_SPLIT])
        part = pairs[sel]
        rows.append(
            pd.DataFrame(
                {
                    "source": part[f"source_{side}"],
                    "split": "train",
                    "image_id": part[f"image_id_{side}"],
                    "file": part[f"file_{side}"],
                    "duplicate_of": part[f"source_{other}"] + " " + part[f"split_{other}"],
                    "duplicate_file": part[f"file_{other}"],
                }
            )
        )
    frame = pd.concat(rows, ignore_index=True)
    return frame.sort_values(["file", "duplicate_file"]).drop_duplicates("file").reset_index(drop=True)


def cross_source_train(pairs: pd.DataFrame) -> dict[str, int]:
    """Pairs of train images of two different sources, by source pair."""
    import pandas as pd

    sel = (pairs["split_a"] == "train") & (pairs["split_b"] == "train") & (pairs["source_a"] != pairs["source_b"])
    part = pairs[sel]
    keys = [" ~ ".join(sorted(p)) for p in zip(part["source_a"], part["source_b"])]
    return dict(sorted(pd.Series(keys, dtype=object).value_counts().items())) if keys else {}


# --- merge --dedup -----------------------------------------------------------------------------------


def images_to_drop(pairs: pd.DataFrame) -> dict[tuple[str, str], np.ndarray]:
    """Image ids to drop per (source, split): train images that duplicate a val or --against image."""
    found = leaks(pairs)
    found = found[found["image_id"].notna()]
    return {
        (source, split): np.unique(group["image_id"].to_numpy(dtype=np.int64))
        for (source, split), group in found.groupby(["source", "split"])
    }


def drop_images(part, drop: np.ndarray, reason: str = REASON) -> int:
    """Drop the images of ``part`` whose ids are in ``drop`` and their boxes (counted under
    ``reason``); return the number of images dropped. ``part`` is a ``bigdet.merge.Part``."""
    mask = np.isin(part.images["image_id"], drop) & part.images["ok"]
    if not mask.any():
        part.counts["dropped"].setdefault(reason, 0)
        return 0
    keep = ~mask[part.boxes["image_index"]]
    n_boxes = int((~keep).sum())
    part.boxes = {k: (v[keep] if v is not None else None) for k, v in part.boxes.items()}
    part.images["ok"] = part.images["ok"] & ~mask
    part.counts["dropped"][reason] = part.counts["dropped"].get(reason, 0) + n_boxes
    part.counts["exported"] -= n_boxes
    part.counts["images_exported"] = int(part.images["ok"].sum())
    return int(mask.sum())


def dedup_parts(parts: list, layout: Layout, sources: list[str], against: dict[str, Path] | None = None, *, threshold: int = THRESHOLD,
                ray_address: str | None = None, workers: int | None = None, progress=None) -> tuple[dict, pd.DataFrame]:
    """``merge --dedup``: find duplicates among the merged sources (and ``against``), drop the train
    images that duplicate a val or --against image from ``parts``; return the report section and the pairs."""
    result = find_duplicates(layout, sources, against, threshold=threshold, ray_address=ray_address, workers=workers, progress=progress)
    drops = images_to_drop(result.pairs)
    dropped = {}
    for part in parts:
        ids = drops.get((part.source, part.split), np.zeros(0, np.int64)) if part.split == "train" else np.zeros(0, np.int64)
        n = drop_images(part, ids)
        if part.split == "train":
            dropped[part.source] = {"images": n, "boxes": part.counts["dropped"].get(REASON, 0)}
    kinds = result.pairs["kind"].value_counts().to_dict()
    return {
        "reason": REASON,
        "threshold": threshold,
        "against": {name: str(folder) for name, folder in (against or {}).items()},
        "images_hashed": result.n_files,
        "pairs": {"exact": int(kinds.get("exact", 0)), "near": int(kinds.get("near", 0))},
        "train_dropped": dropped,
        "cross_source_train_duplicates": cross_source_train(result.pairs),
        "unreadable_images": len(result.errors),
        "unreadable_first": [f"{f}: {e}" for f, e in result.errors[:SHOW_ERRORS]],
    }, result.pairs


def train_images_with_train_copies(pairs: pd.DataFrame, parts: list) -> np.ndarray:
    """Per image of the train ``parts`` (concatenated in order): True if it duplicates another train
    image. ``merge --holdout`` leaves these in train, so that no photo is held out into val while its
    copy (in another source, say) stays in train."""
    sel = (pairs["split_a"] == "train") & (pairs["split_b"] == "train")
    paired: dict[str, set] = {}
    for side in ("a", "b"):
        for source, image_id in zip(pairs.loc[sel, f"source_{side}"], pairs.loc[sel, f"image_id_{side}"]):
            if image_id == image_id:  # not NaN
                paired.setdefault(source, set()).add(int(image_id))
    masks = [np.isin(p.images["image_id"], np.fromiter(paired.get(p.source, ()), np.int64)) for p in parts]
    return np.concatenate(masks) if masks else np.zeros(0, dtype=bool)
