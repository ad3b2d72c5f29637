"""The label space arranged as a hierarchy derived from WordNet hypernyms.

A class's parent is its nearest ancestor among the target classes, found on every hypernym path
of its synset (so a class may have several parents: WordNet's ``apple`` is both an edible fruit
and a pome). A class with no class above it hangs under the nearest *group* node: a small named
set of broad synsets (animal, vehicle, food ...) that are marked as groups, not classes, and are
themselves arranged the same way. Parents are always strict WordNet ancestors, so there are no
cycles; a parent that is an ancestor of another parent of the same node is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .targets import Targets
from .wordnet import synset as wn_synset

#: Group nodes: name -> synsets it stands for. Order matters only for display.
GROUPS: dict[str, tuple[str, ...]] = {
    "animal": ("animal.n.01",),
    "plant": ("plant.n.02",),
    "food": ("food.n.01", "food.n.02", "edible_fruit.n.01", "produce.n.01"),
    "drink": ("beverage.n.01",),
    "vehicle": ("vehicle.n.01", "craft.n.02"),
    "furniture": ("furniture.n.01", "furnishing.n.02"),
    "clothing": ("clothing.n.01", "footwear.n.02", "headdress.n.01"),
    "accessory": ("accessory.n.01", "jewelry.n.01"),
    "container": ("container.n.01",),
    "electronics": ("electronic_equipment.n.01", "electronic_device.n.01", "computer.n.01"),
    "appliance": ("home_appliance.n.01", "appliance.n.02"),
    "kitchenware": ("kitchen_utensil.n.01", "cookware.n.01", "tableware.n.01", "cutlery.n.02"),
    "tool": ("tool.n.01", "hand_tool.n.01"),
    "sports equipment": ("sports_equipment.n.01", "ball.n.01"),
    "musical instrument": ("musical_instrument.n.01",),
    "toy": ("plaything.n.01",),
    "structure": ("structure.n.01", "building.n.01"),
    "device": ("device.n.01",),
    "instrumentality": ("instrumentality.n.03",),
}
ROOT = "entity"
#: WordNet 3.0 hypernym edges that would put classes in absurd places; paths through them are ignored.
IGNORED_EDGES = {
    ("wheeled_vehicle.n.01", "container.n.01"),  # cars, bicycles and carts are not containers
}


@dataclass
class Node:
    name: str
    is_group: bool
    synset: str | None
    target_id: int | None = None
    parents: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)


class Hierarchy:
    def __init__(self, nodes: dict[str, Node]):
        self.nodes = nodes

    def parents(self, name: str) -> list[str]:
        return self.nodes[name].parents

    def children(self, name: str) -> list[str]:
        return self.nodes[name].children

    def ancestors(self, name: str) -> list[str]:
        seen: list[str] = []
        stack = list(self.nodes[name].parents)
        while stack:
            p = stack.pop()
            if p not in seen:
                seen.append(p)
                stack.extend(self.nodes[p].parents)
        return seen

    def class_ancestors(self, name: str) -> list[str]:
        return [a for a in self.ancestors(name) if not self.nodes[a].is_group]

    def group_ancestors(self, name: str) -> list[str]:
        """The named groups above ``name`` (nearest first), without the root: a category's ``groups``."""
        return [a for a in self.ancestors(name) if self.nodes[a].is_group and a != ROOT]

    def cycles(self) -> list[list[str]]:
        """Every cycle found by depth-first search (none, by construction; `check` verifies it)."""
        state: dict[str, int] = {}
        found = []

        def visit(n: str, path: list[str]) -> None:
            state[n] = 1
            for p in self.nodes[n].parents:
                if state.get(p) == 1:
                    found.append(path[path.index(p) :] + [p] if p in path else [n, p])
                elif p not in state:
                    visit(p, path + [p])
            state[n] = 2

        for n in self.nodes:
            if n not in state:
                visit(n, [n])
        return found

    def depth_first(self, start: str = ROOT):
        """(depth, node) pairs from ``start`` down, children sorted by name; nodes with several parents repeat."""
        stack = [(0, start)]
        while stack:
            depth, n = stack.pop()
            yield depth, n
            for c in sorted(self.nodes[n].children, reverse=True):
                stack.append((depth + 1, c))


def build(targets: Targets) -> Hierarchy:
    """The hierarchy of ``targets``: the shipped table's for the shipped bigdet600 (no WordNet needed,
    see ``taxonomy.shipped``), else derived from WordNet."""
    from . import shipped

    return shipped.hierarchy_for(targets) or build_from_wordnet(targets)


def build_from_wordnet(targets: Targets) -> Hierarchy:
    nodes: dict[str, Node] = {ROOT: Node(ROOT, True, "entity.n.01")}
    class_at: dict[str, str] = {t.synset: t.name for t in targets if t.synset}
    group_at: dict[str, str] = {}
    for group, synsets in GROUPS.items():
        if synsets[0] in class_at:
            continue  # a class with that meaning exists: it plays the part
        nodes[group] = Node(group, True, synsets[0])
        for s in synsets:
            if s not in class_at:
                group_at.setdefault(s, group)
    for t in targets:
        nodes[t.name] = Node(t.name, False, t.synset, t.id)

    def nearest(start_synset: str, include_self: bool, owner: str) -> list[str]:
        """Nearest class on each hypernym path, else nearest group, else the root."""
        s = wn_synset(start_synset)
        if s is None:
            return [ROOT]
        classes, groups = [], []
        for path in s.hypernym_paths():
            names = [p.name() for p in path]
            if any((names[i + 1], names[i]) in IGNORED_EDGES for i in range(len(names) - 1)):
                continue
            steps = list(reversed(path)) if include_self else list(reversed(path))[1:]
            hit_class = next((class_at[p.name()] for p in steps if p.name() in class_at and class_at[p.name()] != owner), None)
            hit_group = next((group_at[p.name()] for p in steps if p.name() in group_at and group_at[p.name()] != owner), None)
            if hit_class:
                classes.append(hit_class)
            elif hit_group:
                groups.append(hit_group)
        found = classes or groups or [ROOT]
        return sorted(set(found))

    for t in targets:
        if t.node is None:
            nodes[t.name].parents = [ROOT]
        else:
            nodes[t.name].parents = nearest(t.node, include_self=t.synset is None, owner=t.name)
    for group, synsets in GROUPS.items():
        if group in nodes:
            parents = set()
            for s in synsets:
                if s in class_at:
                    continue
                parents.update(p for p in nearest(s, include_self=False, owner=group) if nodes[p].is_group)
            nodes[group].parents = sorted(parents - {group}) or [ROOT]
    hierarchy = Hierarchy(nodes)
    for n in nodes.values():  # drop a parent that is an ancestor of another parent
        if len(n.parents) > 1:
            n.parents = [p for p in n.parents if not any(p in hierarchy.ancestors(q) for q in n.parents if q != p)]
    for n in nodes.values():
        for p in n.parents:
            nodes[p].children.append(n.name)
    return hierarchy
