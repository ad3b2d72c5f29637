"""Sampling helpers shared by the per-source generators.

The generators are vectorized with numpy: a full-scale Objects365 (1.7M images, 22.9M boxes) is
one pass of array operations plus text formatting, written chunk by chunk.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import numpy as np


def scaled(n: int, scale: float) -> int:
    """``n`` scaled, at least 1."""
    return max(1, int(round(n * scale)))


def boxes_per_image(rng: np.random.Generator, n_images: int, n_boxes: int, dispersion: float = 1.2) -> np.ndarray:
    """At least one box per image, long-tailed (negative binomial), summing exactly to ``n_boxes``."""
    n_boxes = max(n_boxes, n_images)
    extra_mean = (n_boxes - n_images) / n_images
    if extra_mean > 0:
        p = dispersion / (dispersion + extra_mean)
        counts = 1 + rng.negative_binomial(dispersion, p, size=n_images)
    else:
        counts = np.ones(n_images, dtype=np.int64)
    diff = n_boxes - int(counts.sum())
    while diff != 0:  # nudge random images until the total is exact
        idx = rng.integers(0, n_images, size=min(abs(diff), n_images))
        if diff > 0:
            np.add.at(counts, idx, 1)
        else:
            idx = idx[counts[idx] > 1]
            idx = np.unique(idx)[: -diff]
            counts[idx] -= 1
        diff = n_boxes - int(counts.sum())
    return counts.astype(np.int64)


def zipf_weights(n: int, exponent: float = 1.0) -> np.ndarray:
    w = 1.0 / np.arange(1, n + 1) ** exponent
    return w / w.sum()


def clustered_classes(rng: np.random.Generator, counts: np.ndarray, weights: np.ndarray, repeat: float = 0.6) -> np.ndarray:
    """A class index per box. Boxes of one image repeat the previous box's class with probability
    ``repeat`` (real images hold several instances of a few classes), else draw from ``weights``."""
    n = int(counts.sum())
    first = np.zeros(n, dtype=bool)
    first[np.concatenate([[0], np.cumsum(counts)[:-1]])] = True
    new_run = first | (rng.random(n) > repeat)
    drawn = rng.choice(len(weights), size=int(new_run.sum()), p=weights)
    return drawn[np.cumsum(new_run) - 1]


def image_of_box(counts: np.ndarray) -> np.ndarray:
    """The image index of each box, given boxes per image."""
    return np.repeat(np.arange(len(counts)), counts)


def boxes_in_images(rng: np.random.Generator, width: np.ndarray, height: np.ndarray) -> np.ndarray:
    """One (x, y, w, h) per row, inside its image: log-normal side fractions, uniform position."""
    n = len(width)
    frac = np.exp(rng.normal(np.log(0.18), 0.9, size=n)).clip(0.01, 1.0)
    aspect = np.exp(rng.normal(0.0, 0.5, size=n))
    bw = np.clip(frac * np.sqrt(aspect), 0.01, 1.0) * width
    bh = np.clip(frac / np.sqrt(aspect), 0.01, 1.0) * height
    bw = np.maximum(bw, 1.0)
    bh = np.maximum(bh, 1.0)
    x = rng.random(n) * (width - bw)
    y = rng.random(n) * (height - bh)
    return np.stack([x, y, bw, bh], axis=1)


def pick_sizes(rng: np.random.Generator, n: int, choices: list[tuple[int, int]], probs: list[float]) -> tuple[np.ndarray, np.ndarray]:
    idx = rng.choice(len(choices), size=n, p=np.asarray(probs) / sum(probs))
    table = np.asarray(choices)
    return table[idx, 0], table[idx, 1]


@contextmanager
def atomic_open(path: Path, mode: str = "w") -> Iterator:
    """Write ``path`` via ``path.tmp`` and rename on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, mode, **({"encoding": "utf-8", "newline": ""} if "b" not in mode else {})) as f:
        yield f
    os.replace(tmp, path)


def write_jpegs(paths: list[Path], width: np.ndarray, height: np.ndarray, boxes_by_image: dict[int, np.ndarray], seed: int) -> None:
    """JPEGs of the declared sizes (textured random fields that can be told apart, boxes outlined)."""
    from .images import write_jpegs as write

    write(paths, width, height, boxes_by_image, seed)


def group_boxes(image_index: np.ndarray, xywh: np.ndarray) -> dict[int, np.ndarray]:
    order = np.argsort(image_index, kind="stable")
    idx = image_index[order]
    starts = np.flatnonzero(np.r_[True, idx[1:] != idx[:-1]])
    ends = np.r_[starts[1:], len(idx)]
    return {int(idx[s]): xywh[order[s:e]] for s, e in zip(starts, ends)}
