"""Source readers: one module per source format, each turning the files as downloaded into the common schema.

Every reader module offers the same two functions:

``input_files(layout) -> list[Path]``
    The annotation files it would read (for fingerprinting); raises InputError when there are none.
``read(layout, *, output, chunk_bytes, progress) -> SourceData``
    Writes each split's images, boxes and image labels through ``output`` (a
    ``bigdet.store.SourceOutput``) and returns the categories and, per split, what was read,
    stored and rejected.

Which sources exist, and everything else about each, is declared in ``registry`` (one row per
source). A generic reader (``coco``, a user's COCO dataset) offers ``for_dataset(dataset)``, which
returns an object with the same two functions, bound to that dataset.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from ..checks import Rejects
from . import registry


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
    label_lists: bool = False  # its images carry LVIS-style label lists (registry.Source.label_policy)


#: Names users may type for each source (the registry's aliases).
ALIASES = registry.ALIASES


def reader(source: str):
    """The reader module for a built-in source name or alias."""
    return registry.get(source).module()
