"""Vectorized record checks shared by all readers, and the rejects table they feed.

Each check is a boolean "fails" mask over the rows. A row is rejected for the *first* check it
fails, in the order the checks are given, so every rejected row has exactly one reason and
``read == stored + rejected`` holds by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .schema import OUTSIDE_TOLERANCE_PX, REJECT_REASONS, REJECTS, conform

Detail = Callable[[np.ndarray], list[str]]


@dataclass
class Check:
    reason: str
    fails: np.ndarray  # bool, one per row
    detail: Detail  # row indices -> one message per row

    def __post_init__(self) -> None:
        assert self.reason in REJECT_REASONS, self.reason


def first_failures(n: int, checks: list[Check]) -> tuple[np.ndarray, list[tuple[str, np.ndarray, list[str]]]]:
    """Return the mask of rows that pass every check, and per reason the failing rows and details."""
    failed = np.zeros(n, dtype=bool)
    out = []
    for check in checks:
        rows = np.flatnonzero(check.fails & ~failed)
        if len(rows):
            failed[rows] = True
            out.append((check.reason, rows, check.detail(rows)))
    return ~failed, out


@dataclass
class Rejects:
    """Collects rejected records of one source and split; ``table()`` gives them in REJECTS form."""

    source: str
    split: str
    _parts: list[dict] = field(default_factory=list)

    def add(self, table: str, file: str, records: list[str], source_ids: list[str | None], reason: str, details: list[str], *,
            image_ids: list[int | None] | None = None, category_ids: list[int | None] | None = None) -> None:
        """``image_ids`` / ``category_ids``: a rejected box's image and category where known (None where not)."""
        assert reason in REJECT_REASONS, reason
        if records:
            none = [None] * len(records)
            self._parts.append(
                {"table": table, "file": file, "record": records, "source_id": source_ids, "reason": reason, "detail": details,
                 "image_id": none if image_ids is None else image_ids, "category_id": none if category_ids is None else category_ids}
            )

    def extend(self, other: "Rejects") -> None:
        self._parts.extend(other._parts)

    def count(self, table: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for part in self._parts:
            if part["table"] == table:
                counts[part["reason"]] = counts.get(part["reason"], 0) + len(part["record"])
        return counts

    def table(self) -> pa.Table:
        columns: dict[str, list] = {k: [] for k in ("table", "file", "record", "source_id", "reason", "detail")}
        for part in self._parts:
            n = len(part["record"])
            for key in ("table", "file", "reason"):
                columns[key].extend([part[key]] * n)
            for key in ("record", "source_id", "detail"):
                columns[key].extend(part[key])
        ids: dict[str, list] = {"image_id": [], "category_id": []}
        for part in self._parts:
            for key in ids:
                ids[key].extend(part[key])
        raw = pa.table({**{k: pa.array(v, pa.string()) for k, v in columns.items()}, **{k: pa.array(v, pa.int64()) for k, v in ids.items()}})
        return conform(raw, REJECTS, source=self.source, split=self.split)


# -- helpers used by the readers --------------------------------------------------------------


def numpy_column(table: pa.Table, name: str, dtype=np.float64, fill=np.nan) -> np.ndarray:
    """A column as numpy, nulls replaced by ``fill``."""
    col = table.column(name)
    if col.null_count:
        col = col.fill_null(fill)
    return col.to_numpy().astype(dtype, copy=False)


def is_null(table: pa.Table, name: str) -> np.ndarray:
    return table.column(name).is_null().to_numpy(zero_copy_only=False)


def split_bbox(bbox: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Split a list<float64> bbox column into an (n, 4) array and an ok mask (exactly 4 finite numbers)."""
    bbox = bbox.combine_chunks() if isinstance(bbox, pa.ChunkedArray) else bbox
    n = len(bbox)
    lengths = pc.list_value_length(bbox)
    lengths = (lengths.fill_null(0) if lengths.null_count else lengths).to_numpy(zero_copy_only=False)
    flat = pc.list_flatten(bbox)
    flat = (flat.fill_null(np.nan) if flat.null_count else flat).to_numpy(zero_copy_only=False).astype(np.float64, copy=False)
    four = lengths == 4
    if four.all():  # the normal case: a view, no copy
        out = flat.reshape(n, 4)
    else:
        out = np.full((n, 4), np.nan)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])[four]
        out[four] = flat[starts[:, None] + np.arange(4)]
    ok = four & np.isfinite(out).all(axis=1)
    return out, ok


def duplicate_mask(ids: np.ndarray, valid: np.ndarray | None = None) -> np.ndarray:
    """True for every occurrence of an id after its first (in row order). ``valid`` limits which rows count."""
    n = len(ids)
    rows = np.arange(n) if valid is None else np.flatnonzero(valid)
    order = rows[np.argsort(ids[rows], kind="stable")]
    dup = np.zeros(n, dtype=bool)
    if len(order) > 1:
        same = ids[order][1:] == ids[order][:-1]
        dup[order[1:][same]] = True
    return dup


class IndexOf:
    """Row of each id in a table of ids (``sorted_ids`` = ids[order]): the image of each box, at ingest
    and in the merge. Ids of the built-in sources are small integers (at most a few times the number
    of images), so a table indexed by id answers at one read per box; a binary search of 20M+ box ids
    in the sorted ids, cache miss after cache miss, took ~5x longer. Ids spread wider (a user's
    dataset), negative or repeated fall back to the binary search (the first of repeated ids)."""

    def __init__(self, sorted_ids: np.ndarray, order: np.ndarray):
        self.sorted_ids, self.order = sorted_ids, order
        self.table = None
        unique = len(sorted_ids) < 2 or bool((sorted_ids[1:] != sorted_ids[:-1]).all())  # ingest refuses repeats
        if len(sorted_ids) and unique and sorted_ids[0] >= 0 and sorted_ids[-1] < 4 * len(sorted_ids) + (1 << 16):
            self.table = np.full(int(sorted_ids[-1]) + 1, -1, dtype=np.int64)
            self.table[sorted_ids] = order

    def lookup(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The row of each id (meaningless where not found) and whether it is an image id."""
        if self.table is not None:
            inside = (ids >= 0) & (ids < len(self.table))
            rows = self.table[np.where(inside, ids, 0)]
            return rows, inside & (rows >= 0)
        pos, found = lookup(self.sorted_ids, ids)
        return (self.order[pos] if len(self.order) else pos), found

    def __call__(self, ids: np.ndarray) -> np.ndarray | None:
        """Rows of ``ids``, or None if one of them is not an image id."""
        rows, found = self.lookup(ids)
        return rows if found.all() else None


def lookup(sorted_keys: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of ``keys`` in ``sorted_keys`` and a found mask."""
    if len(sorted_keys) == 0:
        return np.zeros(len(keys), dtype=np.int64), np.zeros(len(keys), dtype=bool)
    if len(keys) > 64:
        # keys often come in runs of one value (a source's box and label rows grouped by image: Open
        # Images' 14M box rows hold 1.7M runs), and each search misses the cache at every step:
        # search each run's key once
        starts = np.empty(len(keys), dtype=bool)
        starts[0] = True
        np.not_equal(keys[1:], keys[:-1], out=starts[1:])
        heads = np.flatnonzero(starts)
        if 2 * len(heads) < len(keys):
            pos, found = lookup(sorted_keys, keys[heads])
            lengths = np.diff(heads, append=len(keys))
            return np.repeat(pos, lengths), np.repeat(found, lengths)
    if len(keys) >= 100_000 and (keys[1:] < keys[:-1]).any():
        # keys in no order miss the cache at every step of their search: searched in order they are
        # ~3x faster, sort included (1.7M Open Images ids in 1.7M: 1.45 -> 0.42 s)
        order = np.argsort(keys)
        pos = np.empty(len(keys), dtype=np.int64)
        pos[order] = np.searchsorted(sorted_keys, keys[order])
    else:
        pos = np.searchsorted(sorted_keys, keys)
    pos = np.minimum(pos, len(sorted_keys) - 1)
    return pos, sorted_keys[pos] == keys


def outside_image(xywh, width: np.ndarray, height: np.ndarray) -> np.ndarray:
    """Boxes that stick out of their image by more than OUTSIDE_TOLERANCE_PX (unknown sizes never fail).

    ``xywh`` is an (n, 4) array or four arrays."""
    tol = OUTSIDE_TOLERANCE_PX
    x, y, w, h = xywh.T if isinstance(xywh, np.ndarray) else xywh
    with np.errstate(invalid="ignore"):
        out = (x < -tol) | (y < -tol) | (x + w > width + tol) | (y + h > height + tol)
    return out & np.isfinite(width) & np.isfinite(height)


def fmt_rows(fmt: str, **columns: np.ndarray) -> Detail:
    """A Detail that formats ``fmt`` with the named columns at each failing row."""

    def detail(rows: np.ndarray) -> list[str]:
        picked = {k: np.asarray(v)[rows] for k, v in columns.items()}
        return [fmt.format(**{k: v[i] for k, v in picked.items()}) for i in range(len(rows))]

    return detail


def const(text: str) -> Detail:
    return lambda rows: [text] * len(rows)


# -- values that must not reach a path or an output ---------------------------------------------

#: A path part that climbs (``..``) or stays (``.``), an absolute path, a NUL, or nothing at all.
#: ``\`` counts as a separator too, so a name cannot climb out on a system that reads it as one.
_BAD_PATH = r"^$|^[/\\]|\x00|(^|[/\\])\.\.?([/\\]|$)"


def bad_path(names: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """True for a path that must not be joined to a data root: empty, absolute, holding a NUL or a
    ``.`` / ``..`` part (``coco/../..`` resolves above the root). A null never fails: a missing
    field is ``missing_field``'s to report."""
    return pc.match_substring_regex(names, _BAD_PATH).fill_null(False).to_numpy(zero_copy_only=False)


def empty_or_nul(texts: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """True for an empty text or one holding a NUL (a URL, say, that is not itself a path); nulls never fail."""
    return pc.match_substring_regex(texts, r"^$|\x00").fill_null(False).to_numpy(zero_copy_only=False)


def reject_rows(table: pa.Table, path, rejects: "Rejects", table_name: str, key: str, checks: list[Check]) -> pa.Table:
    """Reject the rows of a raw COCO array (columns ``_index`` and ``id``) that fail ``checks``
    (records named ``"key"[i]``); return the others."""
    keep, failures = first_failures(table.num_rows, checks)
    index = table.column("_index").to_numpy()
    for reason, rows, details in failures:
        ids = table.column("id").take(pa.array(rows)).to_pylist()
        rejects.add(table_name, str(path), [f'"{key}"[{i}]' for i in index[rows]], [None if v is None else str(v) for v in ids], reason, details)
    return table.filter(pa.array(keep)) if failures else table


def category_problem(record, *, id_range: range, name_types: tuple[type, ...] = (str,)) -> str | None:
    """What is wrong with one element of a COCO ``categories`` array (None: nothing).

    A category needs an integer ``id`` that its table can hold and a ``name`` of ``name_types``."""
    if not isinstance(record, dict):
        return f"a category must be an object, not {type(record).__name__}"
    for key in ("id", "name"):
        if key not in record or record[key] is None:
            return f"category lacks {key!r}"
    cid = record["id"]
    if isinstance(cid, bool) or not isinstance(cid, int):
        return f"category id {cid!r} is not an integer"
    if cid not in id_range:
        return f"category id {cid} is out of range ({id_range.start} to {id_range.stop - 1})"
    if isinstance(record["name"], bool) or not isinstance(record["name"], name_types):
        kinds = " or ".join({str: "a string", int: "an integer", float: "a number"}.get(t, t.__name__) for t in name_types)
        return f"category name {record['name']!r} is not {kinds}"
    return None


#: Category ids the store holds (int32), and any 64-bit id (what ``stats`` and ``validate`` read).
INT32_IDS = range(-(1 << 31), 1 << 31)
INT64_IDS = range(-(1 << 63), 1 << 63)
#: Class ids of a user's dataset: its mapping goes through a table indexed by id (merge.class_map),
#: so an id must be a small non-negative integer (-1 would index the last slot, 2**31 allocate GBs).
CLASS_TABLE_IDS = range(0, 1 << 24)


def area_ok(area: np.ndarray, w: np.ndarray, h: np.ndarray) -> np.ndarray:
    """An annotation area that can be true of its box: a finite number from 0 to the box's area.

    LVIS's area is the area of the rasterized mask, which may cover the pixels the box edges cut
    through, so one pixel on each side is allowed; -5 or 1e308 are not areas of any box."""
    with np.errstate(invalid="ignore", over="ignore"):
        return np.isfinite(area) & (area >= 0) & (area <= (w + 2) * (h + 2))
