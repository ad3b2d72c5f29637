"""Image sizes from file headers, read in parallel and cached.

Only the header is read (Pillow opens lazily), so this is I/O bound; threads overlap the reads.
The cache maps (path, file size, mtime) to (width, height), so re-ingesting does not reopen
millions of files, and a replaced image is read again.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq


def _read_one(path: Path) -> tuple[float, float, int, int]:
    from PIL import Image

    try:
        st = os.stat(path)
    except OSError:
        return np.nan, np.nan, -1, -1
    try:
        with Image.open(path) as im:
            w, h = im.size
        return float(w), float(h), st.st_size, st.st_mtime_ns
    except Exception:  # not an image, truncated header: the size stays unknown
        return np.nan, np.nan, st.st_size, st.st_mtime_ns


def image_sizes(paths: list[Path], cache: Path | None = None, workers: int = 16) -> tuple[np.ndarray, np.ndarray]:
    """Width and height of each image (NaN where the file is missing or unreadable)."""
    keys = [str(p) for p in paths]
    known: dict[str, tuple[int, int, float, float]] = {}
    if cache is not None and cache.exists():
        t = pq.read_table(cache).to_pydict()
        known = {k: (s, m, w, h) for k, s, m, w, h in zip(t["path"], t["size"], t["mtime_ns"], t["width"], t["height"])}
    width = np.full(len(paths), np.nan)
    height = np.full(len(paths), np.nan)
    todo = []
    for i, key in enumerate(keys):
        hit = known.get(key)
        if hit is not None:
            try:
                st = os.stat(key)
            except OSError:
                continue
            if (st.st_size, st.st_mtime_ns) == hit[:2]:
                width[i], height[i] = hit[2], hit[3]
                continue
        todo.append(i)
    if todo:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_read_one, [paths[i] for i in todo], chunksize=256))
        for i, (w, h, size, mtime) in zip(todo, results):
            width[i], height[i] = w, h
            if size >= 0 and not np.isnan(w):
                known[keys[i]] = (size, mtime, w, h)
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            items = sorted(known.items())
            table = pa.table(
                {
                    "path": [k for k, _ in items],
                    "size": pa.array([v[0] for _, v in items], pa.int64()),
                    "mtime_ns": pa.array([v[1] for _, v in items], pa.int64()),
                    "width": pa.array([v[2] for _, v in items], pa.float64()),
                    "height": pa.array([v[3] for _, v in items], pa.float64()),
                }
            )
            tmp = cache.with_name(cache.name + ".tmp")
            pq.write_table(table, tmp)
            os.replace(tmp, cache)
    return width, height
