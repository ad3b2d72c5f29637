"""A coarser label space derived from the hierarchy: keep some nodes, fold every class into one of them.

The kept nodes are chosen by depth (``--depth N``: every class and group node whose depth is at
most N; the root ``entity`` is depth 0 and never kept, a node's depth is its fewest steps from the
root) or by name (``--keep FILE``: classes or groups, one a line). Every bigdet600 class then goes
to its *nearest kept ancestor*, itself if it is kept:

* nearest = fewest parent steps up the hierarchy;
* a class with several parents (WordNet's apple is an edible fruit and a pome) can meet several
  kept ancestors equally near; it goes to the deepest of them (the most specific: largest depth
  from the root), and among those equally deep to the first by name. One rule, no input order,
  so the result is the same on every run and machine;
* a class with no kept ancestor is dropped (listed in ``Derivation.dropped``).

A derived class is a kept node that receives at least one class; its ``members`` are the bigdet600
ids folded into it. A kept node that receives none (a group whose every class went to a kept node
below it) is no category: it is listed in ``Derivation.empty``. A derived class's parent is its own
nearest kept ancestor (same rule) that is a derived class, so the derived space is a tree.

A derivation is written as a *keep file* (``write``): a marker line, then the derived classes, one a
line. ``--keep FILE`` and ``--taxonomy FILE`` read it back to the same derivation.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from pathlib import Path

from .hierarchy import ROOT, Hierarchy
from .targets import Targets

#: First line of a file written by ``write``: ``--taxonomy FILE`` recognises a derived space by it.
MARKER = "# bigdet derived label space"


@dataclass(frozen=True)
class DerivedClass:
    id: int  # 1..K, in bigdet600 order of the class's first member
    name: str  # the kept node's name (a bigdet600 class or a group node)
    synset: str | None
    is_group: bool
    members: tuple[int, ...]  # the bigdet600 ids folded into it, ascending
    parent: str | None  # nearest kept ancestor that is a derived class (None: a top node)


@dataclass(frozen=True)
class Derivation:
    name: str  # e.g. "bigdet600 depth 1", "bigdet600 keep coarse.txt"
    classes: tuple[DerivedClass, ...]
    target_of: dict[int, int]  # bigdet600 id -> derived id; a dropped class is absent
    dropped: tuple[str, ...]  # bigdet600 classes with no kept ancestor, in id order
    empty: tuple[str, ...]  # kept nodes no class folds into (not categories), by name

    @property
    def by_name(self) -> dict[str, DerivedClass]:
        return {c.name: c for c in self.classes}

    def children(self, name: str | None) -> list[DerivedClass]:
        """The derived classes directly under ``name`` (None: the top nodes), by name."""
        return sorted((c for c in self.classes if c.parent == name), key=lambda c: c.name)


def depths(tree: Hierarchy) -> dict[str, int]:
    """Fewest steps from the root to each node (breadth-first over children)."""
    depth = {ROOT: 0}
    queue = deque([ROOT])
    while queue:
        node = queue.popleft()
        for child in tree.children(node):
            if child not in depth:
                depth[child] = depth[node] + 1
                queue.append(child)
    return depth


def nearest_kept(tree: Hierarchy, node: str, kept: set[str], depth: dict[str, int], *, include_self: bool) -> str | None:
    """The kept ancestor of ``node`` fewest parent steps away; ties: deepest, then first by name."""
    if include_self and node in kept:
        return node
    level = set(tree.parents(node))
    seen = set(level)
    while level:
        hits = [n for n in level if n in kept]
        if hits:
            return min(hits, key=lambda n: (-depth[n], n))
        above = {p for n in level for p in tree.parents(n)} - seen
        seen |= above
        level = above
    return None


def derive(label_space: Targets, tree: Hierarchy, *, depth: int | None = None, keep: list[str] | None = None, name: str | None = None) -> Derivation:
    """Fold ``label_space`` (bigdet600) into the kept nodes: ``depth`` (>= 1) or ``keep`` (node names)."""
    if (depth is None) == (keep is None):
        raise ValueError("give either a depth or a list of nodes to keep")
    node_depth = depths(tree)
    if depth is not None:
        if depth < 1:
            raise ValueError(f"--depth {depth}: the root `{ROOT}` is depth 0 and is no class; use --depth 1 or more")
        kept = {n for n, d in node_depth.items() if 1 <= d <= depth}
        name = name or f"{label_space.name} depth {depth}"
    else:
        unknown = [n for n in keep if n not in tree.nodes]
        if unknown:
            raise ValueError(f"{unknown[0]!r} is not a class or group of {label_space.name} (see `bigdet taxonomy show`)")
        kept = set(keep)
        name = name or f"{label_space.name} keep"
    folded: dict[str, list[int]] = {}
    dropped = []
    for t in label_space:
        home = nearest_kept(tree, t.name, kept, node_depth, include_self=True)
        if home is None:
            dropped.append(t.name)
        else:
            folded.setdefault(home, []).append(t.id)
    homes = sorted(folded, key=lambda n: min(folded[n]))
    target_of = {}
    classes = []
    derived = set(homes)
    for i, home in enumerate(homes, start=1):
        node = tree.nodes[home]
        parent = nearest_kept(tree, home, derived, node_depth, include_self=False)
        classes.append(DerivedClass(i, home, node.synset, node.is_group, tuple(sorted(folded[home])), parent))
        for member in folded[home]:
            target_of[member] = i
    return Derivation(name, tuple(classes), target_of, tuple(dropped), tuple(sorted(kept - derived)))


def read_keep(path: Path, tree: Hierarchy) -> list[str]:
    """The node names of a keep file, one a line (``#`` comments and blank lines ignored); an unknown
    name is a ValueError naming the file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: keep file not found (one class or group name a line)") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ValueError(f"{path}: cannot read the keep file: {e}") from None
    names = []
    for number, line in enumerate(text.splitlines(), start=1):
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        if entry not in tree.nodes:
            raise ValueError(f"{path} line {number}: {entry!r} is not a class or group of the hierarchy (see `bigdet taxonomy show`)")
        if entry == ROOT:
            raise ValueError(f"{path} line {number}: the root `{ROOT}` is no class; keep the nodes under it")
        names.append(entry)
    if not names:
        raise ValueError(f"{path}: no class or group names in the keep file")
    return names


def is_derived_file(path: str | Path) -> bool:
    """True for a file written by ``write`` (its first line is the marker)."""
    path = Path(path)
    if not path.is_file():
        return False
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.readline().startswith(MARKER)


def write(derivation: Derivation, path: Path) -> None:
    """The derived classes as a keep file that ``--keep`` and ``--taxonomy`` accept."""
    lines = [
        f"{MARKER}: {derivation.name}, {len(derivation.classes)} classes",
        "# `bigdet merge --taxonomy FILE` (or --keep FILE) folds every bigdet600 class into its nearest kept ancestor",
        *(c.name for c in derivation.classes),
    ]
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)
