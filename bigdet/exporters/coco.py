"""COCO-format json, written as a stream: memory does not grow with the number of annotations.

Layout of a file::

    {"info": {...}, "licenses": [], "categories": [...], "image_root": "...",
     "images": [{"id", "file_name", "width", "height", "source", "source_image_id",
                 "neg_category_ids", "not_exhaustive_category_ids"}, ...],
     "annotations": [{"id", "image_id", "category_id", "bbox": [x, y, w, h], "area", "iscrowd",
                      <source attributes>}, ...]}

Floats are written with Python's shortest round-trip ``repr``, so LVIS and Objects365 boxes come out
exactly as they went in. Records are formatted chunk by chunk from numpy arrays.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import orjson

from ..merge import Part

CHUNK = 100_000
#: Images per chunk: an Objects365 image carries ~300 negative ids, and a chunk's lists are built
#: as Python objects, so image chunks are kept small to bound that memory.
IMAGE_CHUNK = 10_000


class IdRange:
    """Global ids handed out in write order, so every file's ids are disjoint."""

    def __init__(self) -> None:
        self.next_image = 1
        self.next_annotation = 1


def write_file(path: Path, parts: list[Part], *, header: dict, ids: IdRange, prefixes: dict[str, str]) -> dict:
    width = max(c["id"] for c in header["categories"]) + 1
    """Write the parts to ``path`` (via ``path.tmp``); return counts and the image ids per part."""
    tmp = path.with_name(path.name + ".tmp")
    image_ids: dict[int, np.ndarray] = {}  # id(part) -> global image id of each of its images
    n_images = n_annotations = 0
    with open(tmp, "wb") as f:
        head = orjson.dumps(header, option=orjson.OPT_SORT_KEYS)
        f.write(head[:-1] + b', "images": [')
        first = True
        for part in parts:
            ok = part.images["ok"]
            ids_for_part = np.zeros(part.n_images, dtype=np.int64)
            ids_for_part[ok] = np.arange(ids.next_image, ids.next_image + int(ok.sum()))
            ids.next_image += int(ok.sum())
            image_ids[id(part)] = ids_for_part
            for text in _image_chunks(part, ids_for_part, prefixes[part.source], part.present, width):
                f.write(text if first else b", " + text)
                first = False
            n_images += int(ok.sum())
        f.write(b'], "annotations": [')
        first = True
        for part in parts:
            for text, count in _annotation_chunks(part, image_ids[id(part)], ids):
                f.write(text if first else b", " + text)
                first = False
                n_annotations += count
        f.write(b"]}")
    os.replace(tmp, path)
    return {"images": n_images, "annotations": n_annotations, "image_ids": image_ids}


def _label_rows(pairs: np.ndarray, lo: int, hi: int, width: int) -> np.ndarray:
    """A dense (hi - lo, width) mask of the (image, target) pairs whose image is in [lo, hi)."""
    mask = np.zeros((hi - lo, width), dtype=bool)
    if len(pairs):
        sel = (pairs[:, 0] >= lo) & (pairs[:, 0] < hi)
        mask[pairs[sel, 0] - lo, pairs[sel, 1]] = True
    return mask


def _id_lists(mask: np.ndarray) -> list[bytes]:
    rows, cols = np.nonzero(mask)
    bounds = np.searchsorted(rows, np.arange(mask.shape[0] + 1))
    cols = cols.tolist()
    return [orjson.dumps(cols[bounds[i] : bounds[i + 1]]) for i in range(mask.shape[0])]


def label_masks(part: Part, lo: int, hi: int, width: int, present: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Dense (negative, not-exhaustive) masks of images [lo, hi), exactly as they are written."""
    nex = _label_rows(part.not_exhaustive, lo, hi, width)
    neg = _label_rows(part.negatives, lo, hi, width)
    if part.exhaustive_targets is not None:
        neg[:, part.exhaustive_targets] = True
    neg &= ~_label_rows(part.present if present is None else present, lo, hi, width) & ~nex
    return neg, nex


def _image_chunks(part: Part, ids: np.ndarray, prefix: str, present: np.ndarray, width: int):
    n = part.n_images
    for lo in range(0, n, IMAGE_CHUNK):
        hi = min(n, lo + IMAGE_CHUNK)
        ok = part.images["ok"][lo:hi]
        neg, nex = label_masks(part, lo, hi, width, present)
        neg_text, nex_text = _id_lists(neg), _id_lists(nex)
        records = []
        for k in np.flatnonzero(ok).tolist():
            i = lo + k
            records.append(
                b'{"id": %d, "file_name": %s, "width": %d, "height": %d, "source": "%s", "source_image_id": %s, '
                b'"neg_category_ids": %s, "not_exhaustive_category_ids": %s}'
                % (
                    ids[i],
                    orjson.dumps(prefix + part.images["file_name"][i]),
                    int(part.images["width"][i]),
                    int(part.images["height"][i]),
                    part.source.encode(),
                    orjson.dumps(part.images["source_image_id"][i]),
                    neg_text[k],
                    nex_text[k],
                )
            )
        if records:
            yield b", ".join(records)


def _annotation_chunks(part: Part, image_ids: np.ndarray, ids: IdRange):
    b = part.boxes
    n = len(b["category_id"])
    attributes = [(name, values) for name, values in b.items() if name not in ("image_index", "category_id", "x", "y", "w", "h", "area", "iscrowd") and values is not None]
    for lo in range(0, n, CHUNK):
        hi = min(n, lo + CHUNK)
        ann_ids = range(ids.next_annotation, ids.next_annotation + (hi - lo))
        ids.next_annotation += hi - lo
        columns = [ann_ids, image_ids[b["image_index"][lo:hi]].tolist(), b["category_id"][lo:hi].tolist()]
        columns += [b[c][lo:hi].tolist() for c in ("x", "y", "w", "h", "area")]
        columns.append(b["iscrowd"][lo:hi].astype(np.int8).tolist())
        fmt = '{"id": %d, "image_id": %d, "category_id": %d, "bbox": [%r, %r, %r, %r], "area": %r, "iscrowd": %d'
        for name, values in attributes:
            if values.dtype == bool:
                fmt += f', "{name}": %s'
                columns.append(["true" if v else "false" for v in values[lo:hi].tolist()])
            else:
                fmt += f', "{name}": %d'
                columns.append(values[lo:hi].astype(np.int64).tolist())
        fmt += "}"
        yield ", ".join(fmt % row for row in zip(*columns)).encode(), hi - lo
