"""The shipped bigdet600 label space and hierarchy as a table, so ``bigdet merge`` needs no WordNet.

``taxonomy/data/bigdet600_taxonomy.json`` holds every bigdet600 target (id, name, synset, anchor,
display name, definition, origin, synonyms) and every hierarchy node (name, group or class, synset,
target id, parents), exactly as ``targets.from_names`` and ``hierarchy.build_from_wordnet`` derive
them from WordNet. ``bigdet taxonomy build`` writes it beside the shipped mapping tables; a test
rebuilds it from WordNet and compares every value.

The table records a hash of what it was derived from: the class list, the reviewed synsets, the LVIS
categories, the code that derives them (``names.py``, ``targets.py``, ``hierarchy.py``) and the
hierarchy's rules (``GROUPS``, ``IGNORED_EDGES``, ``ROOT``). When any of them changed since, the
table is not used (the label space is derived from WordNet again, as before), so a stale table can
make a run slower, never different; the tests fail on it until ``bigdet taxonomy build`` rewrites it.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

from . import hierarchy as tax_hierarchy
from . import reference
from .targets import Target, Targets

FILE_NAME = "bigdet600_taxonomy.json"
PATH = Path(__file__).resolve().parent / "data" / FILE_NAME
#: The shipped files the bigdet600 targets are derived from (besides WordNet 3.0, which is fixed).
INPUTS = ("bigdet600_classes.txt", "bigdet600_synsets.csv", "lvis_v1_categories.json")


#: The code that derives them: any change to it (a name rule of names.py, a group of hierarchy.py)
#: makes the table stale until `bigdet taxonomy build` rewrites it.
CODE = ("names.py", "targets.py", "hierarchy.py", "wordnet.py", "reference.py")  # every module the derivation runs


def inputs_fingerprint() -> str:
    """sha256 over the input files, the deriving code and the hierarchy's rules: what the table is a function of."""
    h = hashlib.sha256()
    for name in INPUTS:
        h.update(name.encode() + b"\0" + reference._text(name).encode("utf-8") + b"\0")
    for name in CODE:
        h.update(name.encode() + b"\0" + resources.files(__package__).joinpath(name).read_bytes() + b"\0")
    rules = [tax_hierarchy.ROOT, sorted(tax_hierarchy.GROUPS.items()), sorted(tax_hierarchy.IGNORED_EDGES)]
    h.update(json.dumps(rules).encode())
    return h.hexdigest()


def to_document(targets: Targets, tree: tax_hierarchy.Hierarchy) -> dict:
    return {
        "label_space": targets.name,
        "inputs_sha256": inputs_fingerprint(),
        "targets": [
            {"id": t.id, "name": t.name, "synset": t.synset, "anchor": t.anchor, "display": t.display,
             "definition": t.definition, "origin": t.origin, "synonyms": list(t.synonyms)}
            for t in targets
        ],
        # in the hierarchy's own node order: children are rebuilt from the parents in this order
        "nodes": [{"name": n.name, "is_group": n.is_group, "synset": n.synset, "target_id": n.target_id, "parents": list(n.parents)} for n in tree.nodes.values()],
    }


def to_text(doc: dict) -> str:
    """The document as json with one target or node a line (small diffs when a class changes)."""
    lines = ["{"]
    for key, value in doc.items():
        if isinstance(value, list):
            rows = [json.dumps(v, ensure_ascii=False) for v in value]
            lines.append(f"{json.dumps(key)}: [\n" + ",\n".join(rows) + "\n],")
        else:
            lines.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},")
    lines[-1] = lines[-1].rstrip(",")
    return "\n".join(lines) + "\n}\n"


def write(targets: Targets, tree: tax_hierarchy.Hierarchy, path: Path = PATH) -> Path:
    """Write the table atomically (a temporary file renamed over it)."""
    path = Path(path)
    data = to_text(to_document(targets, tree)).encode("utf-8")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path


class Table:
    """The loaded table: the targets, and a fresh hierarchy on every call (its nodes are mutable)."""

    def __init__(self, doc: dict):
        self.targets = Targets(
            doc["label_space"],
            [Target(t["id"], t["name"], t["synset"], t["anchor"], t["display"], t["definition"], t["origin"], tuple(t["synonyms"])) for t in doc["targets"]],
        )
        self._nodes = doc["nodes"]

    def hierarchy(self) -> tax_hierarchy.Hierarchy:
        nodes = {n["name"]: tax_hierarchy.Node(n["name"], n["is_group"], n["synset"], n["target_id"], list(n["parents"])) for n in self._nodes}
        for n in nodes.values():  # the same order hierarchy.build_from_wordnet appends them in
            for p in n.parents:
                nodes[p].children.append(n.name)
        return tax_hierarchy.Hierarchy(nodes)


@lru_cache(maxsize=1)
def table() -> Table | None:
    """The shipped table, or None when it is missing or was derived from other inputs than today's."""
    try:
        doc = json.loads(resources.files(__package__).joinpath("data", FILE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("inputs_sha256") != inputs_fingerprint():
        return None
    loaded = Table(doc)
    if [t.name for t in loaded.targets] != list(reference.bigdet600_classes()):
        return None
    return loaded


def hierarchy_for(targets: Targets) -> tax_hierarchy.Hierarchy | None:
    """The shipped hierarchy when ``targets`` is the shipped label space (equal in every value), else None."""
    shipped = table()
    if shipped is None or targets.name != shipped.targets.name or targets.targets != shipped.targets.targets:
        return None
    return shipped.hierarchy()
