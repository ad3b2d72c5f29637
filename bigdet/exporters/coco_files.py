"""``coco``: the merged COCO json itself (written by the merge, ``coco.write_file``), hard-linked (or copied).

The merge's files are already the COCO export; this format puts them, with ``cas_weights.json``, in a
folder of their own (for a trainer's config) without a second copy on the same file system.
"""

from __future__ import annotations

from pathlib import Path

from . import Merged, link_or_copy

FORMAT = "coco"
DESCRIPTION = "the merged COCO json files (hard links, or copies across file systems)"
EXTRA_FILES = ("cas_weights.json",)


def write(merged: Merged, staging: Path) -> dict:
    (staging / "annotations").mkdir()
    for path in merged.files:
        link_or_copy(path, staging / "annotations" / path.name)
    extra = [name for name in EXTRA_FILES if (merged.root / name).exists()]
    for name in extra:
        link_or_copy(merged.root / name, staging / name)
    return {"files": [p.name for p in merged.files] + extra}
