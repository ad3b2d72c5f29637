"""Source readers: one module per source format, each turning the files as downloaded into the common schema.

Every reader module offers the same two functions:

``input_files(layout) -> list[Path]``
    The annotation files it would read (for fingerprinting); raises InputError when there are none.
``read(layout, *, output, chunk_bytes, progress) -> SourceData``
    Writes each split's images, boxes and image labels through ``output`` (a
    ``bigdet.store.SourceOutput``) and returns the categories and, per split, what was read,
    stored and rejected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from ..checks import Rejects


@dataclass
class SplitData:
    split: str
    files: list[Path]
    rejects: Rejects
    read: dict[str, int]  # records read per table: images, boxes, image_labels, auxiliary inputs
    stored: dict[str, int]  # rows written per table: images, boxes, image_labels


@dataclass
class SourceData:
    source: str
    version: str
    categories: pa.Table
    splits: list[SplitData] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


#: Names users may type for each source.
ALIASES = {
    "lvis": "lvis",
    "oi": "openimages",
    "openimages": "openimages",
    "o365": "objects365",
    "objects365": "objects365",
}


def reader(source: str):
    """The reader module for a source name or alias."""
    from . import lvis, objects365, openimages

    modules = {"lvis": lvis, "openimages": openimages, "objects365": objects365}
    return modules[ALIASES[source]]
