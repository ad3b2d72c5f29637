"""Merge: apply the taxonomy's mapping to the store, settle label sets, and hand parts to an exporter.

A *part* is one source and split (``lvis/train``, ...). For each part this module decides, for
every stored box, whether it is exported or dropped and why, and builds the image-level label sets
in unified ids. Reasons a box is dropped here (ingest rejects come before, in the store):

``unmapped_class``      its source class maps to no target;
``unknown_image_size``  its image has no known size (Open Images without sizes or image files);
``invalid_box``         nothing is left after clipping it to its image;
``duplicate_box``       the same box (image, target, x, y, w, h) appeared before in the image.

Label-set rules (each image, in unified ids; see the README):

* LVIS ``neg_category_ids`` and Open Images verified negatives become negatives only through
  mappings that keep the meaning (synset, lemma, manual): an LVIS ``gull`` negative says nothing
  about other birds, so it does not make ``bird`` a negative.
* LVIS ``not_exhaustive_category_ids`` become not-exhaustive through any mapping; a target that
  receives boxes through a hypernym mapping (LVIS gull -> bird) is not-exhaustive too, since other
  kinds of it may be unboxed. Open Images verified positives without a box become not-exhaustive.
* An Objects365 image is exhaustively labelled for Objects365's classes: every target that an
  Objects365 class maps to with the same meaning, and that has no box in the image, is negative.
* Never negative: a target with a box in the image, or an ancestor (in the hierarchy) of one
  (a box of sneakers is not a negative for shoe), or a not-exhaustive target.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from taxonomy import hierarchy as tax_hierarchy
from taxonomy import mapping as tax_mapping
from taxonomy.targets import Targets

from .errors import StoreError
from .store import Store

SOURCE_ORDER = ("lvis", "openimages", "objects365")
SPLIT_ORDER = ("train", "val", "test")
DROP_REASONS = ("unmapped_class", "unknown_image_size", "invalid_box", "duplicate_box")
SAME_MEANING = ("synset", "lemma", "manual")
BOX_ATTRIBUTES = {
    "openimages": ("is_occluded", "is_truncated", "is_group_of", "is_depiction", "is_inside"),
    "objects365": ("is_fake", "is_reflected"),
    "lvis": (),
}


@dataclass
class ClassMap:
    """Source category id -> target id (0: unmapped), and whether the mapping keeps the meaning."""

    target: np.ndarray  # indexed by source category id
    same_meaning: np.ndarray  # bool, same index


@dataclass
class Part:
    source: str
    split: str
    images: dict[str, np.ndarray]  # image_id, width, height (float), file_name (object array)
    boxes: dict[str, np.ndarray]  # image_index, category_id (target), x, y, w, h, area, iscrowd, + attributes
    negatives: np.ndarray  # (k, 2) image_index, target id
    not_exhaustive: np.ndarray  # (k, 2)
    exhaustive_targets: np.ndarray | None  # Objects365: the targets its images are exhaustive for
    present: np.ndarray  # (k, 2) image_index, target: boxed targets and their class ancestors
    counts: dict = field(default_factory=dict)  # read, ingest_rejected{}, dropped{}, exported

    @property
    def n_images(self) -> int:
        return len(self.images["image_id"])


def table_name(source: str, version: str) -> str:
    return {"lvis": "lvis_v1", "openimages": "openimages", "objects365": f"objects365_{version}"}[source]


def class_map(rows: tuple[dict, ...]) -> ClassMap:
    top = max(int(r["source_category_id"]) for r in rows)
    target = np.zeros(top + 1, dtype=np.int32)
    same = np.zeros(top + 1, dtype=bool)
    for r in rows:
        i = int(r["source_category_id"])
        if r["target_id"]:
            target[i] = int(r["target_id"])
            same[i] = r["method"] in SAME_MEANING
    return ClassMap(target, same)


def mapping_rows(source: str, version: str, label_space: Targets) -> tuple[dict, ...]:
    """The mapping table of a source: the shipped one for bigdet600, else built for the label space."""
    name = table_name(source, version)
    if label_space.name == "bigdet600":
        return tax_mapping.read_table(name, label_space=label_space)  # refuses tables built for another label space
    result = tax_mapping.build(label_space, sources=(name,))
    return tuple(d.row() for d in result[name])


def ancestor_table(label_space: Targets, tree: tax_hierarchy.Hierarchy) -> list[np.ndarray]:
    """For each target id, the ids of its class ancestors in the hierarchy."""
    out = [np.zeros(0, dtype=np.int32)] * (len(label_space) + 1)
    for t in label_space:
        ids = [label_space.by_name[a].id for a in tree.class_ancestors(t.name)]
        out[t.id] = np.asarray(ids, dtype=np.int32)
    return out


def _lookup_map(ids: np.ndarray, table: np.ndarray) -> np.ndarray:
    inside = (ids >= 0) & (ids < len(table))
    return np.where(inside, table[np.clip(ids, 0, len(table) - 1)], 0)


def build_part(store: Store, source: str, split: str, cmap: ClassMap, ancestors: list[np.ndarray], exhaustive: np.ndarray | None) -> Part:
    manifest = store.manifest(source)
    tables = manifest["splits"][split]
    counts = {
        "read": tables["boxes"]["read"],
        "ingest_rejected": dict(tables["boxes"]["rejected"]),
        "dropped": {r: 0 for r in DROP_REASONS},
    }
    images = store.table(source, split, "images", ["image_id", "source_image_id", "file_name", "width", "height"])
    attributes = BOX_ATTRIBUTES[source]
    boxes = store.table(source, split, "boxes", ["image_id", "category_id", "x", "y", "w", "h", "area", "iscrowd", *attributes])
    labels = store.table(source, split, "image_labels", ["image_id", "category_id", "kind"])

    image_ids = images.column("image_id").to_numpy()
    width = images.column("width").to_numpy(zero_copy_only=False).astype(np.float64)
    height = images.column("height").to_numpy(zero_copy_only=False).astype(np.float64)
    order = np.argsort(image_ids, kind="stable")
    sorted_ids = image_ids[order]

    def index_of(ids: np.ndarray) -> np.ndarray:
        pos = np.searchsorted(sorted_ids, ids)
        pos = np.minimum(pos, len(sorted_ids) - 1)
        if len(sorted_ids) and not (sorted_ids[pos] == ids).all():
            raise StoreError(f"{store.source_dir(source)}/{split}: boxes or labels refer to images not in images.parquet; re-run ingest --force")
        return order[pos]

    n = boxes.num_rows
    img = index_of(boxes.column("image_id").to_numpy()) if n else np.zeros(0, dtype=np.int64)
    source_cat = boxes.column("category_id").to_numpy()
    target = _lookup_map(source_cat.astype(np.int64), cmap.target)
    x, y, w, h = (boxes.column(c).to_numpy(zero_copy_only=False).astype(np.float64) for c in ("x", "y", "w", "h"))
    W, H = width[img], height[img]
    size_known = np.isfinite(W) & np.isfinite(H) & np.isfinite(x)

    # Clip boxes that overshoot their image (ingest allows a pixel); untouched boxes keep their exact values.
    with np.errstate(invalid="ignore"):
        over = size_known & ((x < 0) | (y < 0) | (x + w > W) | (y + h > H))
    if over.any():
        x0, y0 = np.maximum(x[over], 0), np.maximum(y[over], 0)
        x1, y1 = np.minimum(x[over] + w[over], W[over]), np.minimum(y[over] + h[over], H[over])
        x, y, w, h = x.copy(), y.copy(), w.copy(), h.copy()
        x[over], y[over], w[over], h[over] = x0, y0, x1 - x0, y1 - y0
    with np.errstate(invalid="ignore"):
        invalid = size_known & ~((w > 0) & (h > 0))

    # Exact duplicates within an image (an Objects365 quirk): the first is kept.
    keyed = np.flatnonzero((target > 0) & size_known & ~invalid)
    dup = np.zeros(n, dtype=bool)
    if len(keyed):
        dup[keyed[_repeats([img[keyed], target[keyed], x[keyed], y[keyed], w[keyed], h[keyed]])]] = True

    reason = np.full(n, -1, dtype=np.int8)
    for k, fails in enumerate((target == 0, ~size_known, invalid, dup)):
        reason[(reason < 0) & fails] = k
    for k, name in enumerate(DROP_REASONS):
        counts["dropped"][name] = int((reason == k).sum())
    keep = reason < 0
    counts["exported"] = int(keep.sum())

    area = boxes.column("area").to_numpy(zero_copy_only=False).astype(np.float64)
    area = np.where(np.isfinite(area) & ~over, area, w * h)
    kept = {
        "image_index": img[keep],
        "category_id": target[keep],
        "x": x[keep], "y": y[keep], "w": w[keep], "h": h[keep],
        "area": area[keep],
        "iscrowd": boxes.column("iscrowd").to_numpy(zero_copy_only=False).astype(bool)[keep],
    }
    for a in attributes:
        col = boxes.column(a)
        kept[a] = col.to_numpy(zero_copy_only=False)[keep] if col.null_count < len(col) else None
    del boxes, x, y, w, h, W, H  # the kept columns are copies: free the rest before the next part

    # Images whose size is unknown cannot be exported (COCO needs width and height).
    image_ok = np.isfinite(width) & np.isfinite(height)
    counts["images_read"] = len(image_ids)
    counts["images_exported"] = int(image_ok.sum())

    # Label sets, as (image_index, target) pairs.
    lab_img = index_of(labels.column("image_id").to_numpy()) if labels.num_rows else np.zeros(0, dtype=np.int64)
    lab_cat = _lookup_map(labels.column("category_id").to_numpy().astype(np.int64), cmap.target)
    lab_same = _lookup_map(labels.column("category_id").to_numpy().astype(np.int64), cmap.same_meaning.astype(np.int32)).astype(bool)
    kind = pc.cast(labels.column("kind"), pa.string()).to_numpy(zero_copy_only=False) if labels.num_rows else np.zeros(0, dtype=object)
    neg = np.stack([lab_img, lab_cat], 1)[(kind == "negative") & (lab_cat > 0) & lab_same]
    nex_parts = [np.stack([lab_img, lab_cat], 1)[(kind == "not_exhaustive") & (lab_cat > 0)]]
    boxed = np.stack([kept["image_index"], kept["category_id"]], 1)
    if source == "openimages":  # a verified positive without a box: present, not every instance boxed
        pos = np.stack([lab_img, lab_cat], 1)[(kind == "positive") & (lab_cat > 0)]
        nex_parts.append(pos[~_pairs_in(pos, boxed)])
    if source == "lvis":  # a target reached through a more specific class may have unboxed instances
        hyper = ~_lookup_map(source_cat.astype(np.int64), cmap.same_meaning.astype(np.int32)).astype(bool)
        nex_parts.append(np.stack([img, target], 1)[keep & hyper])
    nex = _unique_pairs(np.concatenate(nex_parts))
    present = with_ancestors(boxed, ancestors)
    neg = _unique_pairs(neg)
    neg = neg[~_pairs_in(neg, present) & ~_pairs_in(neg, nex)]
    return Part(
        source=source,
        split=split,
        images={
            "image_id": image_ids,
            "source_image_id": images.column("source_image_id").to_numpy(zero_copy_only=False),
            "width": width,
            "height": height,
            "file_name": images.column("file_name").to_numpy(zero_copy_only=False),
            "ok": image_ok,
        },
        boxes=kept,
        negatives=neg,
        not_exhaustive=nex,
        exhaustive_targets=exhaustive,
        present=present,
        counts=counts,
    )


def _repeats(columns: list[np.ndarray]) -> np.ndarray:
    """Rows equal in every column to an earlier row: a 64-bit hash sorts them together (one sort
    of integers, not of records), then neighbours are compared field by field."""
    h = np.zeros(len(columns[0]), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k, col in enumerate(columns):
            bits = np.ascontiguousarray(col.astype(np.float64) if col.dtype.kind == "f" else col.astype(np.int64)).view(np.uint64)
            h = (h ^ bits) * np.uint64(0x9E3779B97F4A7C15 + 2 * k)
            h ^= h >> np.uint64(29)
    order = np.argsort(h, kind="stable")
    same = h[order][1:] == h[order][:-1]
    for col in columns:
        same &= col[order][1:] == col[order][:-1]
    out = np.zeros(len(h), dtype=bool)
    out[order[1:][same]] = True
    return out


def _key(pairs: np.ndarray) -> np.ndarray:
    return pairs[:, 0].astype(np.int64) * 4096 + pairs[:, 1].astype(np.int64)


def _unique_pairs(pairs: np.ndarray) -> np.ndarray:
    if len(pairs) == 0:
        return pairs.reshape(0, 2).astype(np.int64)
    keys = np.unique(_key(pairs))
    return np.stack([keys // 4096, keys % 4096], 1)


def _pairs_in(pairs: np.ndarray, other: np.ndarray) -> np.ndarray:
    if len(pairs) == 0 or len(other) == 0:
        return np.zeros(len(pairs), dtype=bool)
    return np.isin(_key(pairs), _key(other))


def with_ancestors(pairs: np.ndarray, ancestors: list[np.ndarray]) -> np.ndarray:
    """(image, target) pairs plus (image, ancestor) for every class ancestor of each target."""
    pairs = _unique_pairs(pairs)
    if len(pairs) == 0:
        return pairs
    counts = np.array([len(a) for a in ancestors])
    offsets = np.concatenate([[0], np.cumsum(counts)])
    table = np.concatenate(ancestors).astype(np.int64) if counts.sum() else np.zeros(0, dtype=np.int64)
    per = counts[pairs[:, 1]]
    first = np.repeat(offsets[pairs[:, 1]], per)
    within = np.arange(per.sum()) - np.repeat(np.cumsum(per) - per, per)
    extra = np.stack([np.repeat(pairs[:, 0], per), table[first + within]], 1)
    return _unique_pairs(np.concatenate([pairs, extra]))
