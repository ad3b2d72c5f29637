"""Consistency checks of the shipped taxonomy (``bigdet taxonomy check``)."""

from __future__ import annotations

from collections import Counter

from . import hierarchy, mapping, targets as target_lists


def run(spec: str = "bigdet600") -> list[str]:
    """Every problem found, one sentence each (empty: all is well)."""
    problems = []
    label_space = target_lists.load(spec)
    counts = Counter(t.synset for t in label_space if t.synset)
    problems += [f"targets share the synset {s}: {', '.join(t.name for t in label_space if t.synset == s)}" for s, n in counts.items() if n > 1]
    h = hierarchy.build(label_space)
    problems += [f"hierarchy cycle: {' -> '.join(c)}" for c in h.cycles()]
    problems += [f"hierarchy node {n} has no parent" for n, node in h.nodes.items() if n != hierarchy.ROOT and not node.parents]
    if label_space.name == "bigdet600":
        for source in mapping.SOURCES:
            try:
                rows = mapping.read_table(source)
            except FileNotFoundError as e:
                problems.append(str(e))
                continue
            ids = {int(r["source_category_id"]) for r in rows}
            classes = mapping.source_classes(source)
            missing = [c for c in classes if c.id not in ids]
            problems += [f"{source}: class {c.id} {c.name!r} is not in the mapping table" for c in missing]
            for r in rows:
                if r["target"] and (r["target"] not in label_space.by_name or str(label_space.by_name[r["target"]].id) != r["target_id"]):
                    problems.append(f"{source}: {r['source_name']!r} maps to {r['target']!r} #{r['target_id']}, not a target with that id")
                if r["method"] not in mapping.METHODS:
                    problems.append(f"{source}: {r['source_name']!r} has the unknown method {r['method']!r}")
    return problems
