"""``bigdet taxonomy build | show | explain | map | check | derive``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table
from rich.tree import Tree

from .console import fail, out, safe, status, text

app = typer.Typer(help="The unified label space, its hierarchy, and the mapping of every source class onto it.", no_args_is_help=True)

SOURCE_NAMES = {"lvis": "lvis_v1", "lvis_v1": "lvis_v1", "oi": "openimages", "openimages": "openimages", "o365": "objects365_v2",
                "objects365": "objects365_v2", "objects365_v2": "objects365_v2", "o365v1": "objects365_v1", "objects365_v1": "objects365_v1"}


def _guard(func):
    """WordNet or target-file problems as one line and exit 1."""
    from functools import wraps

    @wraps(func)
    def wrapper(*args, **kwargs):
        from bigdet.taxonomy.wordnet import WordNetMissing

        try:
            return func(*args, **kwargs)
        except (WordNetMissing, FileNotFoundError, ValueError) as e:
            fail(str(e))

    return wrapper


@app.command()
@_guard
def build(
    targets: str = typer.Option("bigdet600", "--targets", help="bigdet600, or a file of target names, one a line"),
    no_overrides: bool = typer.Option(False, "--no-overrides", help="The purely automatic result"),
    out_dir: Optional[Path] = typer.Option(None, "--out", help="Where to write the tables (default: the shipped taxonomy/mappings/, for bigdet600 only)"),
):
    """Rebuild the mapping tables (one CSV per source) from the category lists; for bigdet600 also its label space and hierarchy table (taxonomy/data/bigdet600_taxonomy.json)."""
    from bigdet.taxonomy import mapping, targets as target_lists

    with status("matching source classes"):
        label_space = target_lists.load(targets)
        if out_dir is None and mapping.label_space_fingerprint(label_space) != mapping.shipped_fingerprint():
            fail(f"--targets {targets} is another label space than the shipped bigdet600 tables; give --out DIR for its tables")
        result = mapping.build(label_space, overrides=not no_overrides)
        written = mapping.write_tables(result, out_dir or mapping.MAPPINGS_DIR, label_space)
        if out_dir is None:  # the shipped tables: also the bigdet600 label space and hierarchy merge reads without WordNet
            from bigdet.taxonomy import hierarchy, shipped

            space = target_lists.bigdet600_from_wordnet()
            written.append(shipped.write(space, hierarchy.build_from_wordnet(space)))
    table = Table("source", "classes", "mapped", *mapping.METHODS, title=f"mapping onto {label_space.name} ({len(label_space)} classes)")
    for source, decisions in result.items():
        counts = {m: sum(d.method == m for d in decisions) for m in mapping.METHODS}
        table.add_row(source, str(len(decisions)), str(sum(d.target is not None for d in decisions)), *(str(counts[m]) for m in mapping.METHODS))
    out.print(table)
    for path in written:
        out.print(f"wrote {path}")


@app.command()
@_guard
def show(
    name: Optional[str] = typer.Argument(None, help="A class or group; without it, the whole tree"),
    targets: str = typer.Option("bigdet600", "--targets"),
    depth: int = typer.Option(3, help="Levels of the tree to print"),
):
    """The hierarchy as a tree, or one class with its parents, children and the source classes mapped into it."""
    from bigdet.taxonomy import hierarchy, mapping, targets as target_lists

    label_space = target_lists.load(targets)
    h = hierarchy.build(label_space)
    if name is None:
        root = Tree(f"[bold]{hierarchy.ROOT}[/]")
        branches = {0: root}
        for d, node in h.depth_first():
            if d == 0 or d > depth:
                continue
            n = h.nodes[node]
            label = f"[bold]{safe(node)}[/] (group)" if n.is_group else f"{safe(node)} [dim]#{n.target_id}[/]"
            branches[d] = branches[d - 1].add(label)
        out.print(root)
        return
    if name not in h.nodes:
        fail(f"{name!r} is not a class or group of {label_space.name}; try `bigdet taxonomy show` for the tree")
    n = h.nodes[name]
    t = label_space.by_name.get(name)
    out.print(f"[bold]{safe(name)}[/]" + safe(" (group)" if n.is_group else f"  id {t.id}, synset {t.synset or '-'}" + (f", a kind of {t.anchor}" if t.anchor else "")))
    if t is not None and t.definition:
        out.print(text(f"  {t.definition}"))
    out.print(text(f"  parents:  {', '.join(n.parents) or '-'}"))
    out.print(text(f"  ancestors: {' > '.join(h.ancestors(name)) or '-'}"))
    out.print(text(f"  children: {', '.join(sorted(n.children)) or '-'}"))
    if t is not None and label_space.name == "bigdet600":
        table = Table("source", "class", "method", "score")
        for source in mapping.SOURCES:
            for row in mapping.read_table(source, label_space=label_space):
                if row["target"] == name:
                    table.add_row(source, text(row["source_name"]), row["method"], row["score"])
        out.print(table)


@app.command()
@_guard
def explain(
    source: str = typer.Argument(..., help="lvis, oi, o365 (v2) or o365v1"),
    name: str = typer.Argument(..., help="The source class name, as released (case-insensitive)"),
    targets: str = typer.Option("bigdet600", "--targets"),
):
    """Why a source class went where it went, with the runner-up candidates and their scores."""
    from bigdet.taxonomy import mapping, targets as target_lists

    key = SOURCE_NAMES.get(source.lower())
    if key is None:
        fail(f"unknown source {source!r}; use {', '.join(sorted(SOURCE_NAMES))}")
    classes = [c for c in mapping.source_classes(key) if c.name.lower() == name.lower().strip()]
    if not classes:
        fail(f"{key} has no class named {name!r}")
    c = classes[0]
    label_space = target_lists.load(targets)
    matcher = mapping.Matcher(label_space)
    d = matcher.decide(c)
    override = mapping.load_overrides().get((key, c.name))
    final = mapping.apply_override(d, override, label_space) if override else d
    out.print(f"[bold]{key}[/] #{c.id} " + safe(repr(c.name) + (f" (read as {c.match_name!r})" if c.match_name != c.name else "")))
    if c.parents:
        out.print(text(f"  parents in the source hierarchy: {', '.join(c.parents)}"))
    if c.synset:
        out.print(text(f"  synset given by the source: {c.synset}"))
    r = d.resolution
    if r is not None:
        out.print(text(f"  names tried: {', '.join(r.alternatives)}; resolved by {r.how} to {r.synset or 'nothing'}"))
        table = Table("candidate sense", "score", "why", title="WordNet senses considered")
        for cand in r.candidates[:6]:
            table.add_row(text(cand.synset), f"{cand.score:.2f}", text("; ".join(cand.reasons)))
        out.print(table)
    table = Table("target", "id", "method", "score", "evidence", title="targets considered")
    for o in d.options[:6]:
        table.add_row(text(o.target), str(o.target_id), o.method, f"{o.score:.2f}", text(o.detail))
    out.print(table)
    verdict = f"{final.target} (#{final.target_id})" if final.target else "dropped"
    out.print(f"decision: [bold]{safe(verdict)}[/] by {final.method}, score {final.score:.2f}" + safe(f"; {final.note}" if final.note else ""))


@app.command("map")
@_guard
def map_(
    file: Path = typer.Argument(..., help="A COCO json (its categories; supercategory is context) or a text file, one class name per line"),
    out_csv: Optional[Path] = typer.Option(None, "--out", help="Write the table here (columns of taxonomy/mappings/*.csv) and print a summary"),
    targets: str = typer.Option("bigdet600", "--targets", help="bigdet600, or a file of target names, one a line"),
    name: Optional[str] = typer.Option(None, "--name", help="The dataset's name in the table (default: the file's stem)"),
):
    """The automatic mapping table of any dataset's classes onto the label space."""
    from bigdet.taxonomy import mapping, targets as target_lists

    classes = mapping.classes_from_file(file, name or file.stem)
    with status(f"matching {len(classes)} classes"):
        label_space = target_lists.load(targets)
        decisions = mapping.map_classes(classes, label_space)
    if out_csv is None:
        table = Table("id", "class", "target", "method", "score", "runner-up", title=f"{file.name} onto {label_space.name}")
        for d in decisions:
            row = d.row()
            table.add_row(str(row["source_category_id"]), text(row["source_name"]), text(row["target"] or "-"), row["method"], row["score"], text(row["runner_up"]))
        out.print(table)
    else:
        mapping.write_table(decisions, out_csv)
    counts = {m: sum(d.method == m for d in decisions) for m in mapping.METHODS}
    mapped = sum(d.target is not None for d in decisions)
    by_method = ", ".join(f"{n} by {m}" for m, n in counts.items() if n and m != "none")
    out.print(text(f"{len(decisions)} classes: {mapped} mapped ({by_method or 'none'}), {len(decisions) - mapped} with no target"))
    if out_csv is not None:
        out.print(text(f"wrote {out_csv}"))


@app.command()
@_guard
def check(targets: str = typer.Option("bigdet600", "--targets")):
    """Every target exists, no cycles, every source class is accounted for, no two targets share a synset."""
    from bigdet.taxonomy import checks

    problems = checks.run(targets)
    for p in problems:
        out.print(f"[red]problem:[/] {safe(p)}")
    if problems:
        raise typer.Exit(1)
    out.print("taxonomy OK: targets have unique synsets, the hierarchy has no cycles, every source class is in its mapping table")


@app.command()
@_guard
def derive(
    depth: Optional[int] = typer.Option(None, "--depth", help="Keep the hierarchy's nodes at depth <= N (the root `entity` is 0; 1 = the nodes directly under it)"),
    keep: Optional[Path] = typer.Option(None, "--keep", help="Keep the classes or groups named in this file, one a line"),
    out_file: Optional[Path] = typer.Option(None, "--out", help="Write the derived space to this file (`bigdet merge --taxonomy FILE` accepts it)"),
):
    """A coarser label space: every bigdet600 class folded into its nearest kept ancestor, printed as a tree with member counts."""
    from rich.markup import escape

    from bigdet.taxonomy import derive as tax_derive, hierarchy, targets as target_lists

    if (depth is None) == (keep is None):
        fail("give --depth N or --keep FILE (one of them)")
    label_space = target_lists.bigdet600()
    h = hierarchy.build(label_space)
    if keep is not None:
        d = tax_derive.derive(label_space, h, keep=tax_derive.read_keep(keep, h), name=f"{label_space.name} keep {keep.name}")
    else:
        d = tax_derive.derive(label_space, h, depth=depth)
    root = Tree(f"[bold]{escape(d.name)}[/]: {len(d.classes)} classes, {sum(len(c.members) for c in d.classes)} of {len(label_space)} bigdet600 classes")

    def add(branch, parent):
        for c in d.children(parent):
            kind = " (group)" if c.is_group else ""
            add(branch.add(f"{escape(c.name)}{kind} [dim]#{c.id}[/] {len(c.members)} member{'s' if len(c.members) != 1 else ''}"), c.name)

    add(root, None)
    out.print(root)
    if d.dropped:
        out.print(f"dropped ({len(d.dropped)}, no kept ancestor): " + escape(", ".join(d.dropped)), soft_wrap=True)
    if d.empty:
        out.print(f"kept but empty ({len(d.empty)}, every class went to a kept node below): " + escape(", ".join(d.empty)), soft_wrap=True)
    if out_file is not None:
        tax_derive.write(d, out_file)
        out.print(f"wrote {out_file}")
