"""The category lists shipped with bigdet (``taxonomy/data/``), copied from the public releases.

Provenance of each file is in ``taxonomy/data/README.md``. Each loader checks what it loads
(count, id range) so that a damaged copy fails at once rather than yielding a wrong mapping.
"""

from __future__ import annotations

import csv
import io
import json
from functools import lru_cache
from importlib import resources


def _text(name: str) -> str:
    return resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")


def _check(condition: bool, name: str, what: str) -> None:
    if not condition:
        raise RuntimeError(f"taxonomy/data/{name}: {what}; the package data is damaged, reinstall bigdet")


@lru_cache
def bigdet600_classes() -> tuple[str, ...]:
    """The 600 BigDetection class names in label order (line N is label N-1)."""
    names = tuple(line for line in _text("bigdet600_classes.txt").splitlines() if line)
    _check(len(names) == 600 and len(set(names)) == 600, "bigdet600_classes.txt", "expected 600 unique names")
    return names


@lru_cache
def lvis_categories() -> tuple[dict, ...]:
    """LVIS v1 categories (id, name, synset, synonyms, def, frequency, image_count, instance_count), by id."""
    cats = tuple(sorted(json.loads(_text("lvis_v1_categories.json")), key=lambda c: c["id"]))
    _check(len(cats) == 1203 and cats[-1]["id"] == 1203, "lvis_v1_categories.json", "expected ids 1..1203")
    return cats


@lru_cache
def objects365_v1_categories() -> tuple[dict, ...]:
    """Objects365 v1 categories {id, name} in the original (unsorted) order; names as released."""
    cats = tuple(json.loads(_text("objects365_v1_categories.json"))["categories_in_source_order"])
    _check(len(cats) == 365 and {c["id"] for c in cats} == set(range(1, 366)), "objects365_v1_categories.json", "expected ids 1..365")
    return cats


@lru_cache
def objects365_v2_categories() -> tuple[tuple[int, str, str], ...]:
    """Objects365 v2 categories as (id, original name stripped, fixed name), by id."""
    rows = tuple((int(r[0]), r[1], r[2]) for r in csv.reader(io.StringIO(_text("objects365_v2_names_fix.csv"))) if r)
    _check(len(rows) == 365 and [r[0] for r in rows] == list(range(1, 366)), "objects365_v2_names_fix.csv", "expected ids 1..365")
    return rows


def objects365_v2_name_fixes() -> dict[str, str]:
    """Original (stripped) name -> fixed name, for the names the fix table changes."""
    return {orig: fixed for _, orig, fixed in objects365_v2_categories() if orig != fixed}


@lru_cache
def openimages_classes() -> tuple[tuple[str, str], ...]:
    """Open Images boxable classes as (MID, display name), in file order."""
    rows = tuple((r[0], r[1]) for r in csv.reader(io.StringIO(_text("openimages_class-descriptions-boxable.csv"))) if r)
    _check(len(rows) == 601, "openimages_class-descriptions-boxable.csv", "expected 601 classes")
    return rows


@lru_cache
def openimages_hierarchy() -> dict:
    """The Open Images box hierarchy: nested {"LabelName", "Subcategory", "Part"}, root /m/0bl9f."""
    return json.loads(_text("openimages_bbox_labels_600_hierarchy.json"))
