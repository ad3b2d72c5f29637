"""``bigdet synth``: realistic synthetic LVIS, Open Images and Objects365 downloads at any scale.

The files follow the real formats and quirks (``bigdet/sources/*`` documents them), use the real
category lists shipped in ``taxonomy/data``, and have realistic long-tailed class frequencies and
boxes per image. ``scale=1.0`` gives the real sizes. The same seed gives the same bytes.
With ``images``, every image file is a textured random field (``images.py``); ``plant_duplicates``
then copies val images over train images of other sources and lists them (for ``bigdet dedup``).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from . import images as synth_images
from . import lvis, objects365, openimages

SOURCES = ("lvis", "openimages", "objects365")


def synthesize(
    out: Path,
    scale: float,
    *,
    seed: int = 0,
    images: bool = False,
    sources: tuple[str, ...] = SOURCES,
    objects365_version: str = "v2",
    plant_duplicates: int = 0,
) -> dict:
    """Write the chosen sources under ``out`` in the standard layout; return counts per source and split
    (with ``images``, also the image files written, under ``image_files``)."""
    if not 0 < scale <= 2:
        raise ValueError("scale must be in (0, 2]")
    if plant_duplicates and not images:
        raise ValueError("planting duplicates needs images")
    out = Path(out)
    summary = {}
    if "lvis" in sources:
        summary["lvis"] = lvis.generate(out / "lvis", scale, seed, images, out / "coco")
    if "openimages" in sources:
        with resources.as_file(resources.files("bigdet.taxonomy").joinpath("data", "openimages_bbox_labels_600_hierarchy.json")) as h:
            summary["openimages"] = openimages.generate(out / "openimages", scale, seed, images, h)
    if "objects365" in sources:
        summary["objects365"] = objects365.generate(out / "objects365", scale, seed, images, objects365_version)
    if plant_duplicates:
        files = {source: {split: info.get("image_files", []) for split, info in splits.items()} for source, splits in summary.items()}
        synth_images.plant_duplicates(out, files, plant_duplicates, seed)
    return summary
