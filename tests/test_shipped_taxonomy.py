"""The shipped bigdet600 label space and hierarchy table (issue 11): the same values WordNet gives,
used by a default merge without importing NLTK, and never used once its inputs changed; and the
merge's start-up without heavy imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bigdet.taxonomy import hierarchy, shipped, targets

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def from_wordnet():
    space = targets.bigdet600_from_wordnet()
    return space, hierarchy.build_from_wordnet(space)


def test_shipped_table_equals_wordnet_derivation_in_every_value(from_wordnet):
    space, tree = from_wordnet
    table = shipped.table()
    assert table is not None, "the shipped table is missing or stale: run `bigdet taxonomy build`"
    # every target: id, name, synset, anchor, display, definition, origin, synonyms
    assert [vars(t) for t in table.targets] == [vars(t) for t in space]
    assert table.targets.name == space.name == "bigdet600"
    shipped_tree = table.hierarchy()
    # every node: group or class, synset, target id, parents and children, in the same order
    assert list(shipped_tree.nodes) == list(tree.nodes)
    assert {n: vars(node) for n, node in shipped_tree.nodes.items()} == {n: vars(node) for n, node in tree.nodes.items()}
    # and the file is byte for byte what `bigdet taxonomy build` would write today
    assert shipped.PATH.read_text(encoding="utf-8") == shipped.to_text(shipped.to_document(space, tree))
    assert json.loads(shipped.PATH.read_text(encoding="utf-8")) == shipped.to_document(space, tree)


def test_bigdet600_and_its_hierarchy_come_from_the_table():
    targets.bigdet600.cache_clear()
    table = shipped.table()
    assert targets.bigdet600() is table.targets
    tree = hierarchy.build(targets.bigdet600())
    assert tree.parents("sneakers") == table.hierarchy().parents("sneakers")
    assert tree is not hierarchy.build(targets.bigdet600())  # a fresh one each time: callers may change nodes


def test_another_label_space_gets_no_shipped_hierarchy():
    table = shipped.table()
    first_ten = targets.Targets("bigdet600", table.targets.targets[:10])
    assert shipped.hierarchy_for(first_ten) is None
    renamed = targets.Targets("custom", table.targets.targets)
    assert shipped.hierarchy_for(renamed) is None


def test_stale_table_is_not_used(monkeypatch):
    monkeypatch.setitem(hierarchy.GROUPS, "gadget", ("gadget.n.01",))  # a rule changed since the table was written
    shipped.table.cache_clear()
    try:
        assert shipped.table() is None
        assert shipped.hierarchy_for(targets.bigdet600()) is None  # so hierarchy.build derives it from WordNet again
    finally:
        monkeypatch.undo()
        shipped.table.cache_clear()
    assert shipped.table() is not None


def test_taxonomy_build_writes_the_table(tmp_path, monkeypatch, from_wordnet):
    space, tree = from_wordnet
    path = shipped.write(space, tree, tmp_path / shipped.FILE_NAME)
    assert path.read_bytes() == shipped.PATH.read_bytes()
    assert not list(tmp_path.glob(".*.tmp"))


HEAVY = ("nltk", "pandas", "fiftyone", "ray", "matplotlib")


def imported_after(code: str) -> list[str]:
    """The heavy modules a fresh interpreter has imported after running ``code``."""
    probe = code + f"\nimport sys\nprint('imported:', sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    return eval(result.stdout.strip().splitlines()[-1].removeprefix("imported: "))


def test_default_merge_never_imports_nltk(tmp_path, synth_root):
    code = (
        "from pathlib import Path\n"
        "from bigdet.build import run\n"
        "from bigdet.layout import Layout\n"
        f"run(Layout(data_root=Path({str(synth_root)!r}), store=Path({str(tmp_path / 'store')!r})), ['lvis', 'oi', 'o365'], Path({str(tmp_path / 'out')!r}))\n"
    )
    # pandas is left out: the Open Images reader indexes image sizes with it, and pyarrow's Parquet
    # reader (pyarrow.dataset) imports it whenever it is installed
    assert [m for m in imported_after(code) if m != "pandas"] == []
    assert len(list((tmp_path / "out" / "annotations").glob("*.json"))) == 4


def test_merge_help_starts_without_heavy_imports():
    code = "from cli.main import app\ntry:\n    app(['merge', '--help'])\nexcept SystemExit:\n    pass\n"
    assert imported_after(code) == []
