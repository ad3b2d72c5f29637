"""Merge: apply the taxonomy's mapping to the store, settle label sets, and hand parts to an exporter.

A *part* is one source and split (``lvis/train``, ...). For each part this module decides, for
every stored box, whether it is exported or dropped and why, and builds the image-level label sets
in unified ids. Reasons a box is dropped here (ingest rejects come before, in the store):

``unmapped_class``      its source class maps to no target;
``unknown_image_size``  its image has no known size (Open Images without sizes or image files);
``invalid_box``         nothing is left after clipping it to its image;
``duplicate_box``       the same box (image, target, x, y, w, h) appeared before in the image.

Label-set rules (each image, in unified ids; the README lists the same rules). Where sources differ,
the rules read the named flags of the source's ``registry.LabelPolicy`` (in brackets below), never
its name: a new source declares its flags in its registry row. A target may be
scored on an image (present and exhaustive, or negative) only when its source verified it there;
in doubt it is not-exhaustive (unmatched detections ignored), never negative. A source class maps
to its target either with the same meaning (synset, lemma, manual) or as a narrower kind of it
(hypernym, fuzzy: "a hypernym mapping" below). A target's *feeders* are the source classes of that
source mapped to it.

1. A target with a box is exhaustive only if a same-meaning feeder's boxes are verified complete
   there (LVIS: the class is not in the image's ``not_exhaustive_category_ids`` [lists_on_images];
   Open Images: boxed, as its evaluation treats boxed classes; Objects365: always) and every other
   same-meaning feeder is verified there too (boxed, or verified absent; Objects365 verifies every
   class [exhaustive_over_classes]); otherwise it is not-exhaustive.
2. A target that receives a box through a hypernym mapping is not-exhaustive [hypernym_fed_not_exhaustive]
   (Open Images Magpie -> bird, LVIS gull -> bird, Objects365 Wild Bird -> bird: other kinds of bird
   may be unboxed).
3. A target with a box is not-exhaustive when a class below it is present in the image: a target
   below it in the hierarchy (a sneakers box under shoe), or, in Open Images, a class below the
   feeder in Open Images' own hierarchy [source_hierarchy] (a Tomato box under Fruit): those
   instances are boxed as the narrower class.
4. Not-exhaustive through any mapping: LVIS ``not_exhaustive_category_ids`` [lists_on_images]; an
   Open Images verified positive whose own class has no box [unboxed_positives_not_exhaustive]; a class one of whose boxes merge dropped as
   ``invalid_box`` or ingest rejected (the store's rejects keep a rejected box's image and class):
   an instance left without a box, even beside other boxes of the class and on an image
   exhaustive over its source's classes.
5. Negative (verified absent) only when every same-meaning feeder of the target is verified absent:
   LVIS ``neg_category_ids`` and Open Images verified negatives, never through a hypernym mapping
   (an LVIS ``gull`` negative says nothing about other birds). An Open Images negative holds for
   the classes below it in its hierarchy too (a Racket negative makes Tennis racket absent).
6. An Objects365 image is exhaustively labelled for Objects365's classes [exhaustive_over_classes,
   applied by the exporter through ``Part.exhaustive_targets``]: every target with a
   same-meaning Objects365 feeder is negative unless present; a target fed only through hypernym
   mappings (bird, from Wild Bird and Swan) is never negative there.
7. Never negative: a present target: one with a box (of any source class, even one merge dropped or ingest rejected),
   a verified positive or not-exhaustive label, an ancestor of one in the hierarchy (a box of
   sneakers is not a negative for shoe), in Open Images also the target of an ancestor in its own
   hierarchy (a verified Tomato makes Fruit present); nor a not-exhaustive target.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from bigdet.taxonomy import hierarchy as tax_hierarchy
from bigdet.taxonomy import mapping as tax_mapping
from bigdet.taxonomy.targets import Targets

from .checks import IndexOf, lookup
from .errors import StoreError
from .sources import registry
from .sources.registry import LabelPolicy
from .store import Store
from .workers import bits64, mix64

SOURCE_ORDER = registry.NAMES  # the built-ins; users' datasets follow, by name (registry.ordered)
SPLIT_ORDER = ("train", "val", "test")
DROP_REASONS = ("unmapped_class", "unknown_image_size", "invalid_box", "duplicate_box")
SAME_MEANING = ("synset", "lemma", "manual")
BOX_ATTRIBUTES = registry.box_attributes()


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
    return registry.get(source).mapping_table(version)


def class_map(rows: tuple[dict, ...]) -> ClassMap:
    ids = [int(r["source_category_id"]) for r in rows]
    if not ids or min(ids) < 0:  # readers refuse such tables first; a negative id would index from the end
        raise ValueError(f"a class map needs at least one row and ids >= 0 (got {len(ids)} rows, smallest id {min(ids, default=None)})")
    top = max(ids)
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


def build_part(store: Store, source: str, split: str, cmap: ClassMap, ancestors: list[np.ndarray], exhaustive: np.ndarray | None,
               row: registry.Source | None = None) -> Part:
    """One part (``row``: the source's registry row; looked up by name for a built-in)."""
    row = row or registry.get(source)
    manifest = store.manifest(source)
    policy = row.label_policy(manifest)
    tables = manifest["splits"][split]
    counts = {
        "read": tables["boxes"]["read"],
        "ingest_rejected": dict(tables["boxes"]["rejected"]),
        "dropped": {r: 0 for r in DROP_REASONS},
    }
    images = store.table(source, split, "images", ["image_id", "source_image_id", "file_name", "width", "height"])
    attributes = row.box_attributes
    boxes = store.table(source, split, "boxes", ["image_id", "category_id", "x", "y", "w", "h", "area", "iscrowd", *attributes])
    labels = store.table(source, split, "image_labels", ["image_id", "category_id", "kind"])

    image_ids = images.column("image_id").to_numpy()
    width = images.column("width").to_numpy(zero_copy_only=False).astype(np.float64)
    height = images.column("height").to_numpy(zero_copy_only=False).astype(np.float64)
    order = np.argsort(image_ids, kind="stable")
    sorted_ids = image_ids[order]
    where = IndexOf(sorted_ids, order)

    def index_of(ids: np.ndarray) -> np.ndarray:
        found = where(ids)
        if found is None:
            raise StoreError(f"{store.source_dir(source)}/{split}: boxes or labels refer to images not in images.parquet; re-run ingest --force")
        return found

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
        dup[keyed[_repeats([img, target, x, y, w, h], rows=keyed)]] = True

    reason = np.full(n, -1, dtype=np.int8)
    for k, fails in enumerate((target == 0, ~size_known, invalid, dup)):
        reason[(reason < 0) & fails] = k
    for k, name in enumerate(DROP_REASONS):
        counts["dropped"][name] = int((reason == k).sum())
    counts["unmapped_classes"] = unmapped_classes(store.categories(source), source_cat[reason == 0])
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

    # Label sets, as (image_index, target) pairs (rules in the module docstring).
    lab_img = index_of(labels.column("image_id").to_numpy()) if labels.num_rows else np.zeros(0, dtype=np.int64)
    lab_cat = labels.column("category_id").to_numpy().astype(np.int64)
    kind = pc.cast(labels.column("kind"), pa.string()).to_numpy(zero_copy_only=False) if labels.num_rows else np.zeros(0, dtype=object)
    hierarchy = source_hierarchy(store.categories(source), len(cmap.target)) if policy.source_hierarchy else None
    on_image = size_known  # boxes of exportable images, whether exported or dropped
    rej_img, rej_cat = rejected_boxes(store.table(source, split, "rejects", ["table", "image_id", "category_id"]), where)
    rej_on_image = image_ok[rej_img]
    neg, nex, present = settle_label_sets(
        policy, cmap, ancestors, hierarchy,
        box_image=np.concatenate([img[on_image], rej_img[rej_on_image]]),
        box_class=np.concatenate([source_cat[on_image].astype(np.int64), rej_cat[rej_on_image]]),
        box_exported=np.concatenate([keep[on_image], np.zeros(int(rej_on_image.sum()), dtype=bool)]),
        # a box rejected at ingest leaves its instance without a box, as an invalid one does (rule 4)
        box_invalid=np.concatenate([invalid[on_image] & (target[on_image] > 0), np.ones(int(rej_on_image.sum()), dtype=bool)]),
        label_image=lab_img, label_class=lab_cat, label_kind=kind,
    )
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


def rejected_boxes(rejects: pa.Table, where: IndexOf) -> tuple[np.ndarray, np.ndarray]:
    """(image index, source class) of the boxes ingest rejected whose image is stored and class known."""
    boxes = rejects.filter(pc.and_(pc.equal(rejects.column("table"), "boxes"),
                                   pc.and_(rejects.column("image_id").is_valid(), rejects.column("category_id").is_valid())))
    rows, found = where.lookup(boxes.column("image_id").to_numpy())
    return rows[found], boxes.column("category_id").to_numpy().astype(np.int64)[found]


def unmapped_classes(categories: pa.Table, dropped: np.ndarray) -> dict[str, int]:
    """Source class name -> boxes dropped as ``unmapped_class`` (for the accounting), most boxes first."""
    if not len(dropped):
        return {}
    classes, n = np.unique(dropped, return_counts=True)
    names = dict(zip(categories.column("category_id").to_pylist(), categories.column("clean_name").to_pylist()))
    named = sorted(((names.get(int(c), f"category {int(c)}"), int(k)) for c, k in zip(classes, n)), key=lambda item: (-item[1], item[0]))
    return dict(named)


def _repeats(columns: list[np.ndarray], index_bits: int | None = None, rows: np.ndarray | None = None) -> np.ndarray:
    """Rows equal in every column to an earlier row: a 64-bit hash (``mix64``) brings them together,
    then neighbours are compared field by field. With ``rows``, over those rows of the columns only
    (the mask is over ``rows``): the columns are not gathered (a full-size part's six columns of 25M
    boxes, copied, were ~1 GB of its build's peak).

    Rows are ordered by one sort of integers whose high bits are the hash's and low bits the row
    number (``index_bits`` of them: enough for the rows; a test may take more): an argsort of the
    hashes cost ~6 s for a full-size part, the sort ~1 s. Rows whose shortened hashes collide (every
    repeat, and a few others) are then settled exactly as a stable argsort of the full hashes would."""
    h = _row_hashes(columns, rows)
    n = len(h)
    if n < 2 or (n - 1).bit_length() > 40:  # (more rows than 40 bits count: the argsort of the hashes)
        return _repeats_among(columns, h, np.arange(n), rows)
    index_bits = max(1, (n - 1).bit_length()) if index_bits is None else index_bits
    keys = (h >> np.uint64(index_bits) << np.uint64(index_bits)) | np.arange(n, dtype=np.uint64)
    keys = np.sort(keys.view(np.int64)).view(np.uint64)  # the signed sort is the fast one; groups stay together
    shortened = keys >> np.uint64(index_bits)
    at = np.flatnonzero(shortened[1:] == shortened[:-1])
    if not len(at):
        return np.zeros(n, dtype=bool)
    colliding = (keys[np.union1d(at, at + 1)] & np.uint64((1 << index_bits) - 1)).astype(np.int64)
    return _repeats_among(columns, h, np.sort(colliding), rows)


def _row_hashes(columns: list[np.ndarray], rows: np.ndarray | None = None) -> np.ndarray:
    """One 64-bit hash per row (of ``rows`` of the columns), from each column's bits in turn."""
    h = np.zeros(len(columns[0]) if rows is None else len(rows), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for col in columns:
            col = col if rows is None else col[rows]  # one column gathered at a time
            h ^= bits64(col)
            h = mix64(h)
    return h


def _repeats_among(columns: list[np.ndarray], h: np.ndarray, subset: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
    """``_repeats`` over ``subset`` (ascending positions in ``h``) by a stable argsort of their hashes;
    position k is row ``rows[k]`` of the columns (row k without ``rows``)."""
    order = subset[np.argsort(h[subset], kind="stable")]
    hashes = h[order]
    # only rows whose hash equals the previous one's can repeat it (few: duplicates are rare), so the
    # columns are compared at those rows alone, not gathered whole (35 s -> ~2 s of a full-size merge)
    at = np.flatnonzero(hashes[1:] == hashes[:-1])
    later, earlier = order[at + 1], order[at]
    at_later, at_earlier = (later, earlier) if rows is None else (rows[later], rows[earlier])
    same = np.ones(len(at), dtype=bool)
    for col in columns:
        same &= col[at_later] == col[at_earlier]
    out = np.zeros(len(h), dtype=bool)
    out[later[same]] = True
    return out


def _pair_keys(*groups: np.ndarray) -> tuple[list[np.ndarray], int]:
    """One int64 key per (image, class) pair, packed the same way for every group:
    ``image * width + class`` with ``width`` = the largest class id + 1, so two different pairs
    never share a key, whatever the size of the label space; ids that would overflow are refused."""
    filled = [g for g in groups if len(g)]
    if not filled:
        return [np.zeros(0, dtype=np.int64) for _ in groups], 1
    width = max(int(g[:, 1].max()) for g in filled) + 1
    top = max(int(g[:, 0].max()) for g in filled)
    if min(int(g.min()) for g in filled) < 0:
        raise ValueError("a label pair has a negative image index or class id")
    if top > (np.iinfo(np.int64).max - (width - 1)) // width:
        raise OverflowError(f"(image, class) pairs up to ({top}, {width - 1}) do not fit one 64-bit key")
    return [_key(g, width) for g in groups], width


def _key(pairs: np.ndarray, width: int) -> np.ndarray:
    key = pairs[:, 0].astype(np.int64)  # (a copy: the column is strided)
    key *= width
    key += pairs[:, 1]
    return key


def _pairs_of(image: np.ndarray, cls: np.ndarray) -> np.ndarray:
    """(image, class) pairs, int64, from their two columns."""
    pairs = np.empty((len(image), 2), np.int64)
    pairs[:, 0], pairs[:, 1] = image, cls
    return pairs


def _split_keys(keys: np.ndarray, width: int) -> np.ndarray:
    """The (image, class) pairs of ``_pair_keys``' keys: one divmod written into the pair columns
    (half the time of ``np.stack([keys // width, keys % width], 1)``)."""
    pairs = np.empty((len(keys), 2), np.int64)
    np.divmod(keys, width, out=(pairs[:, 0], pairs[:, 1]))
    return pairs


def sorted_keys(keys: np.ndarray) -> np.ndarray:
    """``np.sort`` of (image, class) keys, by the algorithm that suits their order (the result is the
    same either way). A part's pairs mostly come grouped by image (its rows in the order the source
    lists them), and numpy's stable sort (timsort, for int64) merges such runs: 1.6x faster than
    quicksort on 22M keys grouped by image with classes in no order, and ~20x on keys already sorted;
    on keys in no order it is 3x slower. Every ~1000th key tells which the keys are."""
    sample = keys[:: max(1, len(keys) // 1000)]
    grouped = np.count_nonzero(sample[1:] < sample[:-1]) * 20 < len(sample)  # under 5% of steps go down
    return np.sort(keys, kind="stable" if grouped else "quicksort")


def _distinct(keys: np.ndarray, with_counts: bool = True) -> tuple[np.ndarray, np.ndarray | None]:
    """Sorted distinct keys and their counts (None without ``with_counts``), by one sort: numpy 2.4's
    ``np.unique`` takes a hash path that is ~30x slower on millions of int64 keys (2.2 s against
    0.07 s for 1M here)."""
    keys = sorted_keys(keys)
    first = np.empty(len(keys), dtype=bool)  # where each run of equal keys starts
    first[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    if not with_counts:
        return keys[first], None
    starts = np.flatnonzero(first)
    return keys[starts], np.diff(starts, append=len(keys))


def _unique_pairs(pairs: np.ndarray) -> np.ndarray:
    if len(pairs) == 0:
        return pairs.reshape(0, 2).astype(np.int64)
    (keys,), width = _pair_keys(pairs)
    keys, _ = _distinct(keys, with_counts=False)
    return _split_keys(keys, width)


def _pair_counts(pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct pairs and how often each occurs."""
    if len(pairs) == 0:
        return pairs.reshape(0, 2).astype(np.int64), np.zeros(0, dtype=np.int64)
    (keys,), width = _pair_keys(pairs)
    keys, counts = _distinct(keys)
    return _split_keys(keys, width), counts


def _pairs_in(pairs: np.ndarray, other: np.ndarray) -> np.ndarray:
    if len(pairs) == 0 or len(other) == 0:
        return np.zeros(len(pairs), dtype=bool)
    (keys, other_keys), _ = _pair_keys(pairs, other)
    # np.isin would take numpy's slow hash path (see _distinct)
    return lookup(sorted_keys(other_keys), keys)[1]


def _expand(pairs: np.ndarray, table: list[np.ndarray], keep_self: bool) -> np.ndarray:
    """(image, c) pairs -> (image, r) for every r in ``table[c]`` (plus the pairs themselves if ``keep_self``)."""
    pairs = _unique_pairs(pairs)
    if len(pairs) == 0:
        return pairs
    counts = np.array([len(a) for a in table])
    offsets = np.concatenate([[0], np.cumsum(counts)])
    flat = np.concatenate(table).astype(np.int64) if counts.sum() else np.zeros(0, dtype=np.int64)
    per = counts[pairs[:, 1]]
    first = np.repeat(offsets[pairs[:, 1]], per)
    within = np.arange(per.sum()) - np.repeat(np.cumsum(per) - per, per)
    extra = np.stack([np.repeat(pairs[:, 0], per), flat[first + within]], 1)
    return _unique_pairs(np.concatenate([pairs, extra]) if keep_self else extra)


def with_ancestors(pairs: np.ndarray, ancestors: list[np.ndarray]) -> np.ndarray:
    """(image, target) pairs plus (image, ancestor) for every class ancestor of each target."""
    return _expand(pairs, ancestors, keep_self=True)


@dataclass
class SourceHierarchy:
    """A source's own class hierarchy, by source category id: strict ancestors and descendants."""

    ancestors: list[np.ndarray]
    descendants: list[np.ndarray]


def source_hierarchy(categories: pa.Table, size: int) -> SourceHierarchy:
    """Open Images' hierarchy from its categories' ``parents`` (Subcategory edges, transitively).
    Part edges (a wheel is part of a car) are left out: a part says nothing about its whole."""
    ids = categories.column("category_id").to_pylist()
    by_mid = dict(zip(categories.column("mid").to_pylist(), ids))
    parents = {i: [by_mid[m] for m in (mids or ()) if m in by_mid] for i, mids in zip(ids, categories.column("parents").to_pylist())}
    size = max([size, *(i + 1 for i in ids)])
    up: list[set[int]] = [set() for _ in range(size)]
    for i in ids:
        stack = list(parents[i])
        while stack:  # the set guards against a cycle in a hand-edited hierarchy file
            p = stack.pop()
            if p != i and p not in up[i]:
                up[i].add(p)
                stack.extend(parents.get(p, ()))
    down: list[set[int]] = [set() for _ in range(size)]
    for i in ids:
        for p in up[i]:
            down[p].add(i)
    return SourceHierarchy(*([np.array(sorted(s), dtype=np.int64) for s in sets] for sets in (up, down)))


def settle_label_sets(
    policy: LabelPolicy | str,
    cmap: ClassMap,
    ancestors: list[np.ndarray],
    hierarchy: SourceHierarchy | None,
    *,
    box_image: np.ndarray,
    box_class: np.ndarray,
    box_exported: np.ndarray,
    box_invalid: np.ndarray,
    label_image: np.ndarray,
    label_class: np.ndarray,
    label_kind: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Negatives, not-exhaustive and present (image index, target) pairs of one part, by the rules of
    the module docstring. Boxes are those of exportable images (source class ids), exported or not;
    labels are the stored image-level labels (kinds ``positive``, ``negative``, ``not_exhaustive``).
    ``policy``: the source's label-set flags (registry.LabelPolicy), or a built-in source's name."""
    if isinstance(policy, str):
        policy = registry.get(policy).labels
    n_source = len(cmap.target)

    def source_pairs(image, cls, mask):
        mask = mask & (cls >= 0) & (cls < n_source)
        return _unique_pairs(_pairs_of(image[mask], cls[mask]))

    def to_target(pairs, same_meaning_only=False):
        # (columns gathered by one mask each: a boolean index of (n, 2) rows, or a stack, copies
        # twice; at full size these run over tens of millions of pairs)
        cls = pairs[:, 1]
        inside = cls < n_source
        everywhere = bool(inside.all())
        safe = cls if everywhere else np.where(inside, cls, 0)
        target = cmap.target[safe]
        keep = target > 0
        if not everywhere:
            keep &= inside
        if same_meaning_only:
            keep &= cmap.same_meaning[safe]
        return _pairs_of(pairs[:, 0][keep], target[keep])

    everything = np.ones(len(box_image), dtype=bool)
    boxed = source_pairs(box_image, box_class, box_exported)
    seen = source_pairs(box_image, box_class, everything)
    negative = source_pairs(label_image, label_class, label_kind == "negative")
    positive = source_pairs(label_image, label_class, label_kind == "positive")
    # the image's not-exhaustive list (LVIS): only a source whose images carry lists has one
    listed = source_pairs(label_image, label_class, (label_kind == "not_exhaustive") & policy.lists_on_images)
    present_source = _unique_pairs(np.concatenate([seen, positive, listed]))
    del seen  # (a full-size part holds tens of millions of pairs: each array freed once it is used up)
    below = np.zeros((0, 2), dtype=np.int64)  # (image, target) with a present class below it
    if hierarchy is not None and policy.source_hierarchy:
        negative = _expand(negative, hierarchy.descendants, keep_self=True)
        above = _expand(present_source, hierarchy.ancestors, keep_self=False)
        below = to_target(above)
        present_source = _unique_pairs(np.concatenate([present_source, above]))
        del above
    present_direct = _unique_pairs(to_target(present_source))
    del present_source
    present = with_ancestors(present_direct, ancestors)
    below = _unique_pairs(np.concatenate([below, _expand(present_direct, ancestors, keep_self=False)]))
    del present_direct

    # Rule 1: a same-meaning feeder whose boxes the source verified complete, every other same-meaning feeder verified.
    complete = boxed[~_pairs_in(boxed, listed)] if len(listed) else boxed  # (no copy where no image lists classes)
    exhaustive = _unique_pairs(to_target(complete, same_meaning_only=True))
    same_feeders = np.bincount(cmap.target[cmap.same_meaning & (cmap.target > 0)], minlength=len(ancestors))
    if not policy.exhaustive_over_classes:  # else (Objects365) every class of the source is verified on every image
        verified, count = _pair_counts(to_target(_unique_pairs(np.concatenate([complete, negative])), same_meaning_only=True))
        exhaustive = exhaustive[_pairs_in(exhaustive, verified[count == same_feeders[verified[:, 1]]])]
    # Rules 2 and 3: boxes through a hypernym mapping; a present class below the target.
    hypernym_boxed = to_target(boxed[~cmap.same_meaning[boxed[:, 1]]]) if len(boxed) and policy.hypernym_fed_not_exhaustive else np.zeros((0, 2), dtype=np.int64)
    exhaustive = exhaustive[~_pairs_in(exhaustive, hypernym_boxed) & ~_pairs_in(exhaustive, below)]
    del complete, hypernym_boxed, below
    # Rule 4.
    boxed_targets = _unique_pairs(to_target(boxed))
    not_exhaustive = _unique_pairs(np.concatenate([
        boxed_targets[~_pairs_in(boxed_targets, exhaustive)],
        to_target(listed),
        to_target(positive[~_pairs_in(positive, boxed)]) if policy.unboxed_positives_not_exhaustive else np.zeros((0, 2), dtype=np.int64),
        to_target(source_pairs(box_image, box_class, box_invalid)),
    ]))
    del boxed, boxed_targets, exhaustive
    # Rules 5 and 7.
    absent, count = _pair_counts(to_target(negative, same_meaning_only=True))
    negatives = absent[count == same_feeders[absent[:, 1]]]
    negatives = negatives[~_pairs_in(negatives, present) & ~_pairs_in(negatives, not_exhaustive)]
    return negatives, not_exhaustive, present
