"""How many threads bigdet works with, and the one hash that picks deterministic samples.

Every stage that works in parallel (Open Images CSV ranges, image-header probing, the JSON parse
pools of stats / validate / browse) takes a ``workers`` count; ``None`` means ``default_workers()``,
the CPUs this process may run on (``os.sched_getaffinity``: a container or ``taskset`` limit counts,
unlike ``os.cpu_count()``, which reports the machine). The CLI's ``--workers`` sets it for a run.
Outputs never depend on it: only speed and memory do.

Deterministic samples (the held-out val of ``merge --holdout``, ``browse --limit``) and the
duplicate-row grouping of merge rank 64-bit keys by ``mix64``: splitmix64's finalizer, a bijection
on 64 bits whose output bits each depend on every input bit, so the order it gives is fixed across
runs, machines and library versions.
"""

from __future__ import annotations

import os

import numpy as np

from .errors import ConfigError

#: Image-header probing waits on the disk, not the CPU: this many reads per worker overlap the waits.
IO_READS_PER_WORKER = 8


def default_workers() -> int:
    """The CPUs this process may use (its affinity mask), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS and Windows have no affinity masks
        return max(1, os.cpu_count() or 1)


def resolve(workers: int | None) -> int:
    """``workers`` checked (a positive integer), or the default for ``None``."""
    if workers is None:
        return default_workers()
    if isinstance(workers, bool) or not isinstance(workers, (int, np.integer)) or workers < 1:
        raise ConfigError(f"--workers must be a positive integer, not {workers!r}")
    return int(workers)


def io_threads(workers: int | None) -> int:
    """Threads for I/O-bound work (reading image headers) when ``workers`` CPUs may be used."""
    return resolve(workers) * IO_READS_PER_WORKER


def bits64(values: np.ndarray) -> np.ndarray:
    """Each value's 64 bits as uint64: an integer of any width as its 64-bit two's complement, a float as
    a float64's bits. No copy when the values are 64-bit already (a merge hashes ~25M boxes' six columns
    at full size: each copy less is ~0.1 s)."""
    values = np.asarray(values)
    if values.dtype.kind == "f":
        values = values.astype(np.float64, copy=False)
    elif values.dtype not in (np.int64, np.uint64):
        values = values.astype(np.int64)
    return np.ascontiguousarray(values).view(np.uint64)


def mix64(keys: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer: a fixed pseudo-random uint64 per key (a bijection on 64 bits).

    Integer keys of any width are taken as their 64-bit two's complement, floats by their bits.
    """
    with np.errstate(over="ignore"):
        z = bits64(keys) + np.uint64(0x9E3779B97F4A7C15)  # a new array: the steps below work in place on it
        z ^= z >> np.uint64(30)
        z *= np.uint64(0xBF58476D1CE4E5B9)
        z ^= z >> np.uint64(27)
        z *= np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
        return z


def text_key(text: str) -> np.uint64:
    """A 64-bit key for a short string (a source name): its UTF-8 bytes folded through ``mix64``."""
    key = np.zeros(1, dtype=np.uint64)
    for byte in text.encode():
        key = mix64(key ^ np.uint64(byte))
    return key[0]
