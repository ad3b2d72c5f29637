"""The unified label space: target classes with ids, WordNet synsets, display names and definitions.

``bigdet600()`` is the shipped default: the 600 BigDetection classes, ids 1..600 in the order of
BigDetection's class list (so exports line up with its released models). Synsets come from LVIS
where the name is an LVIS name (458) or synonym (8), and from the reviewed table
``data/bigdet600_synsets.csv`` for the other 134. ``from_names()`` builds a label space from any
list of names (COCO's 80, a subset...) the same way, resolving unknown names automatically.
bigdet600 itself is read from a table derived that way once (``taxonomy.shipped``), so using it
needs no WordNet.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import reference
from .names import alternatives, display_name, resolve
from .wordnet import synset as wn_synset  # nltk itself is imported on the first lookup only


@dataclass(frozen=True)
class Target:
    id: int
    name: str
    synset: str | None  # the class's own WordNet 3.0 synset
    anchor: str | None  # for a class WordNet lacks: the synset it is a kind of (places it in the hierarchy)
    display: str
    definition: str
    origin: str  # lvis, lvis_synonym, assigned, resolved, none
    synonyms: tuple[str, ...] = ()

    @property
    def node(self) -> str | None:
        """The synset that places this class in WordNet: its own, else its anchor."""
        return self.synset or self.anchor


class Targets:
    """An ordered label space with lookups by name and synset."""

    def __init__(self, name: str, targets: list[Target]):
        self.name = name
        self.targets = targets
        self.by_name = {t.name: t for t in targets}
        self.by_id = {t.id: t for t in targets}
        self.by_synset: dict[str, Target] = {}
        for t in targets:
            if t.synset is not None:
                self.by_synset.setdefault(t.synset, t)

    def __iter__(self):
        return iter(self.targets)

    def __len__(self) -> int:
        return len(self.targets)


def _assignments() -> dict[str, tuple[str | None, str | None]]:
    text = reference._text("bigdet600_synsets.csv")
    rows = csv.DictReader(io.StringIO("".join(line + "\n" for line in text.splitlines() if not line.startswith("#"))))
    return {r["name"]: (r["synset"] or None, r["anchor"] or None) for r in rows}


def _lvis_lookup():
    by_name = {c["name"]: c for c in reference.lvis_categories()}
    by_synonym: dict[str, dict] = {}
    for c in reference.lvis_categories():
        for s in c["synonyms"]:
            by_synonym.setdefault(s.lower(), c)
    return by_name, by_synonym


def from_names(names: list[str], label_space: str = "custom") -> Targets:
    """A label space from class names, ids 1..N in the given order."""
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise ValueError(f"target {dup!r} appears twice")
    by_name, by_synonym = _lvis_lookup()
    assigned = _assignments()
    targets = []
    for i, name in enumerate(names, start=1):
        key = (alternatives(name) or [name])[0]  # "potted plant" is the shipped "potted_plant"
        lvis = by_name.get(name) or by_name.get(key)
        origin = "lvis"
        if lvis is None:
            lvis = by_synonym.get(name.lower()) or by_synonym.get(key)
            origin = "lvis_synonym"
        anchor = None
        if lvis is not None:
            synset, definition, synonyms = lvis["synset"], lvis["def"], tuple(lvis["synonyms"])
            if wn_synset(synset) is None:  # stop_sign.n.01: an LVIS synset WordNet 3.0 lacks
                synset, anchor = None, None
        elif name in assigned or key in assigned:
            synset, anchor = assigned.get(name) or assigned[key]
            origin, synonyms = "assigned", ()
            definition = ""
        else:
            found = resolve(name)
            synset = found.synset if found else None
            if found is not None and found.how == "head":  # only what it is a kind of
                synset, anchor = None, synset
            origin, synonyms, definition = ("resolved" if (synset or anchor) else "none"), (), ""
        node = wn_synset(synset or anchor) if (synset or anchor) else None
        if not definition and node is not None:
            definition = node.definition() if synset else f"a kind of {node.lemma_names()[0].replace('_', ' ')}"
        targets.append(Target(i, name, synset, anchor, display_name(name), definition, origin, synonyms))
    return Targets(label_space, targets)


@lru_cache(maxsize=1)
def bigdet600() -> Targets:
    """The shipped label space: from the table ``taxonomy/data/bigdet600_taxonomy.json`` (no WordNet
    needed), or derived from WordNet when that table is missing or stale (``taxonomy.shipped``)."""
    from . import shipped

    table = shipped.table()
    return table.targets if table is not None else bigdet600_from_wordnet()


def bigdet600_from_wordnet() -> Targets:
    """bigdet600 derived from the category lists and WordNet: what the shipped table is written from."""
    return from_names(list(reference.bigdet600_classes()), "bigdet600")


def load(spec: str | Path) -> Targets:
    """``bigdet600`` or a file of class names, one a line (``#`` comments and blank lines ignored)."""
    if str(spec) == "bigdet600":
        return bigdet600()
    path = Path(spec)
    if not path.exists():
        raise FileNotFoundError(f"{path}: target list not found (use bigdet600 or a file of names, one a line)")
    names = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
    return from_names(names, path.stem)
