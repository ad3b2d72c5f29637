"""Synthetic pictures that can be told apart, and planted duplicates for testing ``bigdet dedup``.

Every picture is a textured random field (a coarse colour field with a finer grain on top, smoothly
interpolated), drawn from a generator seeded by the run's seed and the file's name: the same seed
gives the same bytes, and two files never share a picture by accident (their perceptual hashes
differ in about half of their bits), which a flat colour could not promise.

``plant_duplicates`` copies val images of one source over train images of another source, exactly
or modified the ways real re-uploads are (resized to 60-90%, re-encoded at JPEG quality 55-90,
cropped by at most 3% per side, or all three), and writes the list of what it planted to
``planted_duplicates.csv`` at the data root, with paths relative to the data root (as the merged
files' ``file_name``), for tests and the benchmark.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from pathlib import Path

import numpy as np

from ..errors import ConfigError

PLANTED_FILE = "planted_duplicates.csv"
PLANTED_COLUMNS = ("val_file", "train_file", "modification", "scale", "quality", "crop")
#: The modifications, in the order planted copies cycle through them.
MODIFICATIONS = ("exact", "resized", "jpeg", "cropped", "resized+jpeg+cropped")
JPEG_QUALITY = 70


def file_seed(seed: int, name: str) -> np.random.Generator:
    """A generator for one file: the run's seed and the file's name (distinct across sources)."""
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    return np.random.default_rng([seed, int.from_bytes(digest, "little")])


def textured_field(width: int, height: int, rng: np.random.Generator):
    """An RGB picture of ``width`` x ``height``: coarse random colour blobs plus a finer grain."""
    from PIL import Image

    coarse = Image.fromarray(rng.integers(0, 256, size=(6, 8, 3), dtype=np.uint8), "RGB")
    gw, gh = max(8, width // 8), max(8, height // 8)
    grain = np.asarray(coarse.resize((gw, gh), Image.BICUBIC), dtype=np.int16)
    grain = grain + rng.integers(-40, 41, size=(gh, gw, 3), dtype=np.int16)
    small = Image.fromarray(np.clip(grain, 0, 255).astype(np.uint8), "RGB")
    return small.resize((int(width), int(height)), Image.BILINEAR)


def write_jpegs(paths: list[Path], width: np.ndarray, height: np.ndarray, boxes_by_image: dict[int, np.ndarray], seed: int) -> None:
    """JPEGs of the declared sizes: a textured random field each, with the boxes drawn as outlines
    (useful when browsing)."""
    from PIL import ImageDraw

    for i, path in enumerate(paths):
        path.parent.mkdir(parents=True, exist_ok=True)
        im = textured_field(int(width[i]), int(height[i]), file_seed(seed, path.name))
        draw = ImageDraw.Draw(im)
        for x, y, w, h in boxes_by_image.get(i, ()):
            draw.rectangle([x, y, x + w, y + h], outline=(255, 255, 255), width=2)
        im.save(path, "JPEG", quality=JPEG_QUALITY)


def _modified(data: bytes, modification: str, rng: np.random.Generator) -> tuple[bytes, dict]:
    """The bytes of a modified copy of the JPEG ``data`` and the parameters used."""
    from PIL import Image

    if modification == "exact":
        return data, {"scale": "", "quality": "", "crop": ""}
    im = Image.open(io.BytesIO(data)).convert("RGB")
    scale = quality = crop = None
    if "cropped" in modification:
        crop = float(rng.uniform(0.005, 0.03))
        w, h = im.size
        left, top = int(round(rng.uniform(0, crop) * w)), int(round(rng.uniform(0, crop) * h))
        right, bottom = w - int(round(crop * w)) + left, h - int(round(crop * h)) + top
        im = im.crop((left, top, right, bottom))
    if "resized" in modification:
        scale = float(rng.uniform(0.6, 0.9))
        im = im.resize((max(1, round(im.width * scale)), max(1, round(im.height * scale))), Image.LANCZOS)
    quality = int(rng.integers(55, 91)) if "jpeg" in modification else JPEG_QUALITY
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality)
    params = {"scale": "" if scale is None else f"{scale:.3f}", "quality": quality if "jpeg" in modification else "", "crop": "" if crop is None else f"{crop:.4f}"}
    return buf.getvalue(), params


def plant_duplicates(root: Path, files: dict[str, dict[str, list[Path]]], n: int, seed: int) -> list[dict]:
    """Copy ``n`` val images over train images of other sources; write and return the planted list.

    ``files`` holds, per source and split, the image files written. Each planted pair uses a val
    image and a train image not used by any other pair; the modification cycles through
    ``MODIFICATIONS``. Only image files change, never an annotation file: a resized or cropped copy
    therefore no longer has the size its train annotations declare.
    """
    root = Path(root)
    rng = np.random.default_rng([seed, 13])
    sources = [s for s in files if files[s].get("val") and files[s].get("train")]
    if len(sources) < 2:
        raise ConfigError("planting duplicates needs images of at least two sources with train and val images")
    val = {s: [p for p in files[s]["val"] if p.exists()] for s in sources}
    train = {s: [p for p in files[s]["train"] if p.exists()] for s in sources}
    for pool in (*val.values(), *train.values()):
        rng.shuffle(pool)
    rows = []
    for k in range(n):
        ready = [s for s in sources if val[s] and any(train[o] for o in sources if o != s)]
        source = ready[k % len(ready)] if ready else None
        others = [s for s in sources if s != source and train[s]]
        if source is None:
            raise ConfigError(f"not enough images to plant {n} duplicates (planted {k}); use a larger --scale")
        target_source = others[int(rng.integers(len(others)))]
        val_path, train_path = val[source].pop(), train[target_source].pop()
        modification = MODIFICATIONS[k % len(MODIFICATIONS)]
        data, params = _modified(val_path.read_bytes(), modification, rng)
        tmp = train_path.with_name(train_path.name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, train_path)
        rows.append({"val_file": val_path.relative_to(root).as_posix(), "train_file": train_path.relative_to(root).as_posix(), "modification": modification, **params})
    tmp = root / (PLANTED_FILE + ".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=PLANTED_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    os.replace(tmp, root / PLANTED_FILE)
    return rows


def read_planted(root: Path) -> list[dict]:
    with open(Path(root) / PLANTED_FILE, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
