"""Roll a merged part up from bigdet600 into a derived label space (``taxonomy.derive``).

The merge first settles every part at 600 classes (``merge.build_part``); this module then maps each
box's bigdet600 class to its derived class (source class -> bigdet600 target -> derived class), so
every box exported at 600 classes is exported in the derived space unless its class has no kept
ancestor (dropped as ``no_kept_ancestor``). Label sets are rolled up from the part's *settled*
600-class sets; for a derived class C with members M, per image:

* a box of any member is a box of C;
* C is negative only if every member is verified absent: each member is negative at 600 classes
  (an Objects365 image: Objects365 covers the member and it is not present; LVIS and Open Images:
  the member is in the image's negative set);
* C is not-exhaustive if any member is not-exhaustive, or if C has a box while some member was never
  labelled in the image (neither boxed, negative, not-exhaustive nor covered by an exhaustive source):
  other instances of C may be unboxed;
* never negative: C with a box, C holding a member that is present at 600 classes (a class ancestor
  of a boxed class), C above a boxed derived class in the derived tree, or a not-exhaustive C.

Objects365 negatives are not listed per image but derived where they are written (the exporter
marks ``exhaustive_targets`` negative unless present or not-exhaustive): here a derived class is
exhaustive when every member is, and the other negatives are listed as pairs.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from bigdet.taxonomy import hierarchy as tax_hierarchy
from bigdet.taxonomy.derive import Derivation

from .merge import Part

NO_KEPT_ANCESTOR = "no_kept_ancestor"
#: Images per chunk when counting label sets densely (as the exporter writes them).
COUNT_CHUNK = 10_000


@dataclass(frozen=True)
class RollUp:
    derivation: Derivation
    target: np.ndarray  # bigdet600 id -> derived id (0: no kept ancestor)
    members: np.ndarray  # derived id -> number of members
    ancestors: list[np.ndarray]  # derived id -> ids of its derived ancestors

    @property
    def width(self) -> int:
        return len(self.members)


def prepare(derivation: Derivation, n_classes: int) -> RollUp:
    target = np.zeros(n_classes + 1, dtype=np.int64)
    for member, derived in derivation.target_of.items():
        target[member] = derived
    members = np.bincount(target[1:], minlength=len(derivation.classes) + 1)
    members[0] = 0
    by_name = derivation.by_name
    ancestors = [np.zeros(0, dtype=np.int64)]
    for c in derivation.classes:
        up, parent = [], c.parent
        while parent is not None:
            up.append(by_name[parent].id)
            parent = by_name[parent].parent
        ancestors.append(np.asarray(up, dtype=np.int64))
    return RollUp(derivation, target, members, ancestors)


def categories(derivation: Derivation, tree: tax_hierarchy.Hierarchy) -> list[dict]:
    """COCO categories of the derived space: ids 1..K, parent ids, groups and ``members``."""
    by_name = derivation.by_name
    out = []
    for c in derivation.classes:
        groups = tree.group_ancestors(c.name)
        out.append(
            {
                "id": c.id,
                "name": c.name,
                "synset": c.synset,
                "supercategory": groups[0] if groups else tax_hierarchy.ROOT,
                "parent_ids": [by_name[c.parent].id] if c.parent is not None else [],
                "groups": groups,
                "members": list(c.members),
            }
        )
    return out


# -- pairs (image index, class id) as int64 keys: key = image * width + class, class < width ------------


def _keys(pairs: np.ndarray, width: int) -> np.ndarray:
    return pairs[:, 0].astype(np.int64) * width + pairs[:, 1].astype(np.int64)


def _pairs(keys: np.ndarray, width: int) -> np.ndarray:
    return np.stack([keys // width, keys % width], 1) if len(keys) else np.zeros((0, 2), dtype=np.int64)


def _roll(pairs: np.ndarray, r: RollUp) -> np.ndarray:
    """(image, bigdet600) pairs -> unique (image, derived) keys, classes without a kept ancestor left out."""
    if len(pairs) == 0:
        return np.zeros(0, dtype=np.int64)
    derived = r.target[pairs[:, 1]]
    keep = derived > 0
    return np.unique(pairs[keep, 0].astype(np.int64) * r.width + derived[keep])


def _with_ancestors(keys: np.ndarray, r: RollUp) -> np.ndarray:
    """Keys plus (image, ancestor) for every derived ancestor of each key's class (vectorised: one
    repeat over all pairs, not a pass per class)."""
    per_class = np.array([len(a) for a in r.ancestors])
    if len(keys) == 0 or not per_class.sum():
        return keys
    table = np.concatenate(r.ancestors)
    offsets = np.concatenate([[0], np.cumsum(per_class)])
    image, cls = keys // r.width, keys % r.width
    per = per_class[cls]
    first = np.repeat(offsets[cls], per)
    within = np.arange(per.sum()) - np.repeat(np.cumsum(per) - per, per)
    extra = np.repeat(image, per) * r.width + table[first + within]
    return np.unique(np.concatenate([keys, extra]))


def _count(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.unique(keys, return_counts=True)


def _lookup(keys: np.ndarray, table_keys: np.ndarray, table_counts: np.ndarray) -> np.ndarray:
    if len(table_keys) == 0:
        return np.zeros(len(keys), dtype=np.int64)
    pos = np.minimum(np.searchsorted(table_keys, keys), len(table_keys) - 1)
    return np.where(table_keys[pos] == keys, table_counts[pos], 0)


def roll_up(part: Part, r: RollUp) -> Part:
    """The part in the derived space (boxes, label sets, accounting), from its settled 600-class form."""
    n600 = len(r.target)
    boxes = part.boxes
    derived = r.target[boxes["category_id"]]
    keep = derived > 0
    rolled = {k: (v[keep] if v is not None else None) for k, v in boxes.items()}
    rolled["category_id"] = derived[keep].astype(boxes["category_id"].dtype)
    counts = dict(part.counts)
    if "dropped" in counts:
        counts["dropped"] = {**counts["dropped"], NO_KEPT_ANCESTOR: int((~keep).sum())}
        counts["exported"] = counts["exported"] - int((~keep).sum())

    covered600 = np.zeros(n600, dtype=bool)  # bigdet600 classes an exhaustive source labels in every image
    if part.exhaustive_targets is not None:
        covered600[np.asarray(part.exhaustive_targets, dtype=np.int64)] = True
    covered = np.bincount(r.target[covered600], minlength=r.width)
    covered[0] = 0
    exhaustive = np.flatnonzero((r.members > 0) & (covered == r.members)) if part.exhaustive_targets is not None else None

    boxed600 = np.stack([boxes["image_index"], boxes["category_id"]], 1).astype(np.int64)
    boxed = _roll(boxed600, r)
    present = _with_ancestors(np.union1d(boxed, _roll(part.present, r)), r)

    # Members labelled in each image (boxed, negative or not-exhaustive; covered members count for all).
    labelled600 = np.concatenate([boxed600, part.negatives, part.not_exhaustive]).astype(np.int64)
    labelled600 = _pairs(np.unique(_keys(labelled600, n600)), n600)
    labelled600 = labelled600[~covered600[labelled600[:, 1]]]
    labelled_keys, labelled_counts = _count(_rolled_each(labelled600, r))
    n_labelled = _lookup(boxed, labelled_keys, labelled_counts) + covered[boxed % r.width]
    incomplete = boxed[n_labelled < r.members[boxed % r.width]]
    not_exhaustive = np.union1d(_roll(part.not_exhaustive, r), incomplete)

    # Negative: every member negative. Covered members are settled where the exporter writes them;
    # the others must each be a listed negative of the image.
    listed = part.negatives[~covered600[part.negatives[:, 1]]] if len(part.negatives) else part.negatives
    neg_keys, neg_counts = _count(_rolled_each(listed, r))
    cls = neg_keys % r.width
    negatives = neg_keys[neg_counts == r.members[cls] - covered[cls]]
    negatives = negatives[~np.isin(negatives, present) & ~np.isin(negatives, not_exhaustive)]

    out = dataclasses.replace(
        part,
        boxes=rolled,
        negatives=_pairs(negatives, r.width),
        not_exhaustive=_pairs(not_exhaustive, r.width),
        exhaustive_targets=exhaustive,
        present=_pairs(present, r.width),
        counts=counts,
    )
    out.counts["label_sets"] = label_set_counts(part, out, r)
    return out


def _rolled_each(pairs: np.ndarray, r: RollUp) -> np.ndarray:
    """(image, bigdet600) pairs, assumed unique -> one (image, derived) key per pair (repeats kept, for counting)."""
    if len(pairs) == 0:
        return np.zeros(0, dtype=np.int64)
    derived = r.target[pairs[:, 1]]
    keep = derived > 0
    return pairs[keep, 0].astype(np.int64) * r.width + derived[keep]


def label_set_counts(part600: Part, part: Part, r: RollUp) -> dict[str, np.ndarray]:
    """Per derived class, over the part's exported images: images where it is negative / not-exhaustive,
    and images where at least one member is negative / not-exhaustive at 600 classes. Counted on the
    lists exactly as the exporter writes them."""
    from .exporters.coco import LabelMasks

    order = np.argsort(r.target, kind="stable")
    order = order[r.target[order] > 0]  # bigdet600 ids grouped by derived class
    starts = np.searchsorted(r.target[order], np.arange(1, r.width))
    has_members = r.members[1:] > 0
    totals = {k: np.zeros(r.width, dtype=np.int64) for k in ("negative", "negative_600", "not_exhaustive", "not_exhaustive_600")}
    ok = part.images["ok"]
    masks600, masks = LabelMasks(part600, len(r.target)), LabelMasks(part, r.width)
    for lo in range(0, part.n_images, COUNT_CHUNK):
        hi = min(part.n_images, lo + COUNT_CHUNK)
        rows = ok[lo:hi]
        neg600, nex600 = masks600.chunk(lo, hi)
        neg, nex = masks.chunk(lo, hi)
        totals["negative"] += neg[rows].sum(0)
        totals["not_exhaustive"] += nex[rows].sum(0)
        for key, mask in (("negative_600", neg600), ("not_exhaustive_600", nex600)):
            if len(order):
                any_member = np.add.reduceat(mask[rows][:, order], np.minimum(starts, len(order) - 1), axis=1) > 0
                totals[key][1:] += (any_member & has_members).sum(0)
    return totals


def report(r: RollUp, parts: list[Part]) -> dict:
    """The ``granularity`` section of merge_report.json."""
    sums = {k: np.zeros(r.width, dtype=np.int64) for k in ("negative", "negative_600", "not_exhaustive", "not_exhaustive_600")}
    for part in parts:
        for k, v in part.counts.get("label_sets", {}).items():
            sums[k] += v
    d = r.derivation
    return {
        "label_space": d.name,
        "classes": len(d.classes),
        "dropped_classes": list(d.dropped),
        "empty_kept_nodes": list(d.empty),
        "label_sets": {
            c.name: {
                "id": c.id,
                "members": len(c.members),
                "negative_images": int(sums["negative"][c.id]),
                "negative_images_600": int(sums["negative_600"][c.id]),
                "not_exhaustive_images": int(sums["not_exhaustive"][c.id]),
                "not_exhaustive_images_600": int(sums["not_exhaustive_600"][c.id]),
            }
            for c in d.classes
        },
        "label_sets_meaning": "per derived class, over exported images: images where it is negative / not-exhaustive, and where at least one member is at 600 classes (_600)",
    }
