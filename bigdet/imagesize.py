"""Image sizes from file headers, read in parallel and cached.

Only the header is read (Pillow opens lazily), so this is I/O bound; threads overlap the reads.
The cache maps (path, file size, mtime) to (width, height), so re-ingesting does not reopen
millions of files, and a replaced image is read again. The cache is only a shortcut: one that
cannot be read (truncated, not Parquet, other columns) is ignored and written anew.

A missing file gives an unknown size (NaN). A file that exists but cannot be read (permissions,
an I/O error, not an image) gives an unknown size *and* its error, so the caller can report it.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .workers import io_threads

CACHE_COLUMNS = {"path": pa.string(), "size": pa.int64(), "mtime_ns": pa.int64(), "width": pa.float64(), "height": pa.float64()}


@dataclass
class Probed:
    width: np.ndarray  # NaN where unknown
    height: np.ndarray
    errors: dict[int, str] = field(default_factory=dict)  # position -> why the existing file could not be read


def _read_one(path: Path) -> tuple[float, float, int, int, str | None]:
    """(width, height, file size, mtime, error); size -1 for a missing file."""
    from PIL import Image

    try:
        st = os.stat(path)
    except FileNotFoundError:
        return np.nan, np.nan, -1, -1, None
    except OSError as e:
        return np.nan, np.nan, -1, -1, _reason(e)
    try:
        with Image.open(path) as im:
            w, h = im.size
        return float(w), float(h), st.st_size, st.st_mtime_ns, None
    except Exception as e:  # noqa: BLE001 - reported, not hidden: permissions, I/O, not an image, a bad header
        return np.nan, np.nan, st.st_size, st.st_mtime_ns, _reason(e)


def _reason(error: Exception) -> str:
    """The error in one line without the path (the caller names the file)."""
    if isinstance(error, OSError) and error.strerror:
        return f"[Errno {error.errno}] {error.strerror}" if error.errno else error.strerror
    text = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _load_cache(cache: Path | None) -> dict[str, tuple[int, int, float, float]]:
    if cache is None or not cache.exists():
        return {}
    try:
        t = pq.read_table(cache, columns=list(CACHE_COLUMNS))
        if not all(t.schema.field(name).type == kind for name, kind in CACHE_COLUMNS.items()):
            return {}
        t = t.to_pydict()
    except Exception:  # noqa: BLE001 - any unreadable cache (truncated, not Parquet, other columns) is rebuilt
        return {}
    return {k: (s, m, w, h) for k, s, m, w, h in zip(t["path"], t["size"], t["mtime_ns"], t["width"], t["height"]) if k is not None}


def image_sizes(paths: list[Path], cache: Path | None = None, workers: int | None = None) -> Probed:
    """Width and height of each image (NaN where the file is missing or unreadable), and the errors
    of files that exist but could not be read. ``workers``: see ``bigdet.workers``."""
    keys = [str(p) for p in paths]
    known = _load_cache(cache)
    width = np.full(len(paths), np.nan)
    height = np.full(len(paths), np.nan)
    errors: dict[int, str] = {}
    todo = []
    for i, key in enumerate(keys):
        hit = known.get(key)
        if hit is not None:
            try:
                st = os.stat(key)
            except OSError:
                st = None
            if st is not None and (st.st_size, st.st_mtime_ns) == hit[:2]:
                width[i], height[i] = hit[2], hit[3]
                continue
        todo.append(i)
    if todo:
        with ThreadPoolExecutor(max_workers=io_threads(workers)) as pool:
            results = list(pool.map(_read_one, [paths[i] for i in todo], chunksize=256))
        for i, (w, h, size, mtime, error) in zip(todo, results):
            width[i], height[i] = w, h
            if error is not None:
                errors[i] = error
            elif size >= 0 and not np.isnan(w):
                known[keys[i]] = (size, mtime, w, h)
        if cache is not None:
            _write_cache(cache, known)
    return Probed(width, height, errors)


def _write_cache(cache: Path, known: dict[str, tuple[int, int, float, float]]) -> None:
    cache.parent.mkdir(parents=True, exist_ok=True)
    items = sorted(known.items())
    table = pa.table(
        {
            "path": pa.array([k for k, _ in items], pa.string()),
            "size": pa.array([v[0] for _, v in items], pa.int64()),
            "mtime_ns": pa.array([v[1] for _, v in items], pa.int64()),
            "width": pa.array([v[2] for _, v in items], pa.float64()),
            "height": pa.array([v[3] for _, v in items], pa.float64()),
        }
    )
    tmp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")  # per process: two ingests never share it
    pq.write_table(table, tmp)
    os.replace(tmp, cache)
