"""Outputs and inputs are never lost or corrupted: where outputs may go, locks against concurrent
runs, the one-step switch (a SIGKILL at each stage), mapping tables tied to their label space, and
one clear line for bad paths.

Processes are real: a concurrent run is a second process, a kill is SIGKILL from the process itself
(``BIGDET_TEST_HOOK``, see ``bigdet.outputs``). Permission checks drop CAP_DAC_OVERRIDE when run as
root (``setpriv``), since root ignores file modes.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bigdet import outputs
from bigdet.build import run
from bigdet.errors import BigdetError, ConfigError
from bigdet.ingest import ingest
from bigdet.layout import Layout
from bigdet.store import Store
from bigdet.validate import validate
from bigdet.cli import console
from bigdet.cli.main import app
from bigdet.taxonomy import mapping
from bigdet.taxonomy.targets import Target, Targets, bigdet600

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_console():
    before = console.out.width, console.err.width
    console.out.width = console.err.width = 240
    yield
    console.out.width, console.err.width = before


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def failed_with_one_line(result) -> bool:
    """Exit 1 through the CLI's error path (CliRunner also gives exit 1 for an uncaught exception)."""
    return result.exit_code == 1 and isinstance(result.exception, SystemExit) and len(result.output.strip().splitlines()) == 1


def bigdet(*args) -> list[str]:
    return [sys.executable, "-m", "bigdet", *map(str, args)]


def start(cmd, hook: str | None = None, **kwargs) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.pop("BIGDET_TEST_HOOK", None)
    if hook:
        env["BIGDET_TEST_HOOK"] = hook
    return subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def finish(proc: subprocess.Popen, timeout: float = 120) -> tuple[int, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out + err


def wait_for(path: Path, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"process ended before reaching the stage: {finish(proc)}")
        assert time.monotonic() < deadline, "stage never reached"
        time.sleep(0.02)


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes (links followed), to compare before and after."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def merged(tmp_path_factory, synth_root):
    """A store ingested from the shared synthetic data, and one merge output from it."""
    tmp = tmp_path_factory.mktemp("outputs")
    data = tmp / "data"
    shutil.copytree(synth_root, data)
    layout = Layout(data_root=data, store=tmp / "store")
    result = run(layout, ["lvis", "oi", "o365"], tmp / "out")
    return layout, result


def merge_args(layout: Layout, out: Path) -> list:
    return ["merge", "--sources", "lvis", "oi", "o365", "--data-root", layout.data_root, "--store", layout.store, "--out", out]


# -- 1. mapping tables belong to one label space ---------------------------------------------------


def tiny_label_space() -> Targets:
    """Three classes in another order than bigdet600: person is not id 1 here."""
    names = [("accordion", "accordion.n.01"), ("dog", "dog.n.01"), ("person", "person.n.01")]
    return Targets("tiny", [Target(i, n, s, None, n, "", "lvis") for i, (n, s) in enumerate(names, start=1)])


@pytest.fixture
def shipped_copy(tmp_path, monkeypatch) -> Path:
    """The shipped tables copied; taxonomy.mapping reads and writes the copy (the real ones stay safe)."""
    copy = tmp_path / "mappings"
    shutil.copytree(mapping.MAPPINGS_DIR, copy)
    monkeypatch.setattr(mapping, "MAPPINGS_DIR", copy)
    monkeypatch.setattr(mapping.read_table, "__defaults__", (copy,), raising=False)  # (raising=False: also on an lru_cache wrapper)
    return copy


def test_taxonomy_build_for_another_label_space_does_not_touch_the_shipped_tables(tmp_path, shipped_copy):
    before = tree(shipped_copy)
    targets = tmp_path / "tiny.txt"
    targets.write_text("accordion\ndog\nperson\n")
    result = invoke("taxonomy", "build", "--targets", targets, "--no-overrides")
    assert failed_with_one_line(result)
    assert "is another label space than the shipped bigdet600 tables; give --out DIR" in result.output
    assert tree(shipped_copy) == before
    with pytest.raises(ValueError, match="holds the shipped bigdet600 tables"):
        mapping.write_tables({}, shipped_copy, tiny_label_space())
    assert tree(shipped_copy) == before


def test_the_shipped_tables_record_bigdet600_and_their_hashes():
    record = json.loads((mapping.MAPPINGS_DIR / mapping.LABEL_SPACE_FILE).read_text())
    assert record["label_space"] == "bigdet600" and record["classes"] == 600
    assert record["fingerprint"] == mapping.label_space_fingerprint(bigdet600()) == mapping.shipped_fingerprint()
    for source in mapping.SOURCES:
        assert len(mapping.read_table(source, label_space=bigdet600())) > 0


def test_merge_refuses_mapping_tables_of_another_label_space(merged, tmp_path, shipped_copy):
    layout, _ = merged
    tiny = tiny_label_space()
    result = mapping.build(tiny, sources=("objects365_v2",), overrides=False)
    assert {d.target for d in result["objects365_v2"] if d.source.name == "Person"} == {"person"}  # id 3 in tiny, 1 in bigdet600
    # what an unguarded `taxonomy build --targets tiny.txt` used to do: tiny's table over the shipped one
    with open(shipped_copy / "objects365_v2.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=mapping.COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(d.row() for d in result["objects365_v2"])
    with pytest.raises(BigdetError, match=r"objects365_v2.csv: changed since it was built for 'bigdet600'"):
        run(layout, ["o365"], tmp_path / "out")
    # and with its label space recorded too
    mapping.write_tables(result, tmp_path / "tiny", tiny)
    shutil.copy(tmp_path / "tiny" / mapping.LABEL_SPACE_FILE, shipped_copy / mapping.LABEL_SPACE_FILE)
    with pytest.raises(BigdetError, match=r"built for the label space 'tiny' \(3 classes\), not for 'bigdet600' \(600 classes\)"):
        run(layout, ["o365"], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_tables_without_a_label_space_record_are_refused(tmp_path):
    (tmp_path / "lvis_v1.csv").write_bytes((mapping.MAPPINGS_DIR / "lvis_v1.csv").read_bytes())
    with pytest.raises(mapping.LabelSpaceMismatch, match="no label_space.json beside it"):
        mapping.read_table("lvis_v1", tmp_path, label_space=bigdet600())


# -- 2. an output never swallows an input ----------------------------------------------------------


@pytest.mark.parametrize(
    "where, relation",
    [
        (lambda tmp, layout: layout.data_root, "is the data root"),
        (lambda tmp, layout: layout.data_root / "lvis", "is the lvis folder"),
        (lambda tmp, layout: tmp, "contains the data root"),
        (lambda tmp, layout: layout.store, "is the store"),
        (lambda tmp, layout: layout.data_root / "openimages" / "out", "lies inside the openimages folder"),
        (lambda tmp, layout: tmp / "link_to_data", "is the data root"),  # a link to an input, resolved
    ],
)
def test_an_output_that_is_contains_or_lies_inside_an_input_is_refused(tmp_path, data_root, where, relation):
    layout = Layout(data_root=data_root, store=tmp_path / "store")
    ingest("lvis", layout)
    (tmp_path / "link_to_data").symlink_to(data_root)
    before_data, before_store = tree(data_root), tree(layout.store)
    out = where(tmp_path, layout)
    with pytest.raises(ConfigError, match=f"--out {out} {relation}"):
        run(layout, ["lvis"], out)
    assert tree(data_root) == before_data and tree(layout.store) == before_store


def test_a_store_inside_an_input_is_refused(tmp_path, data_root):
    before = tree(data_root)
    with pytest.raises(ConfigError, match="the store .* is the data root"):
        ingest("lvis", Layout(data_root=data_root, store=data_root))
    assert tree(data_root) == before


def test_a_folder_bigdet_did_not_make_is_never_removed(merged, tmp_path):
    layout, _ = merged
    mine = tmp_path / "mine"
    (mine / "sub").mkdir(parents=True)
    (mine / "sub" / "thesis.tex").write_text("years of work")
    with pytest.raises(ConfigError, match="is a folder bigdet did not make"):
        run(layout, ["lvis"], mine)
    assert (mine / "sub" / "thesis.tex").read_text() == "years of work"
    # a versions folder without bigdet's marker is not bigdet's either
    (tmp_path / "out.bigdet").mkdir()
    (tmp_path / "out.bigdet" / "20240101T000000-1-abcd").write_text("not bigdet's")
    with pytest.raises(ConfigError, match="bigdet did not make it"):
        run(layout, ["lvis"], tmp_path / "out")
    assert (tmp_path / "out.bigdet" / "20240101T000000-1-abcd").read_text() == "not bigdet's"


def test_the_output_is_a_link_to_a_version_and_old_versions_go(merged, tmp_path):
    layout, _ = merged
    out = tmp_path / "out"
    run(layout, ["lvis"], out)
    first = os.readlink(out)
    assert first.startswith("out.bigdet/") and out.is_dir() and (out / "merge_report.json").is_file()
    run(layout, ["lvis"], out)
    second = os.readlink(out)
    assert second != first
    assert sorted(p.name for p in (tmp_path / "out.bigdet").iterdir()) == sorted([outputs.LOCK, outputs.MARKER, second.split("/")[1]])
    assert validate(out) == []


# -- 3. concurrent runs ----------------------------------------------------------------------------


def test_a_second_merge_into_the_same_output_stops_and_the_lock_dies_with_its_holder(merged, tmp_path):
    layout, _ = merged
    out = tmp_path / "out"
    run(layout, ["lvis"], out)
    before = tree(out)
    # the first run holds the locks (output, then store) and has made its staging folder
    first = start(bigdet(*merge_args(layout, out)), hook=f"out:working=wait:{tmp_path / 'never'}")
    try:
        wait_for(tmp_path / "never.reached", first)
        code, text = finish(start(bigdet(*merge_args(layout, out))))
        assert code == 1, text
        assert f"another bigdet run holds {tmp_path / 'out.bigdet' / 'lock'} (pid {first.pid})" in text
        assert "Traceback" not in text
        with pytest.raises(BigdetError, match=f"another bigdet run holds {layout.store / 'bigdet.lock'}"):
            run(layout, ["lvis"], tmp_path / "elsewhere")  # another output, the same store
    finally:
        first.kill()
        first.wait()
    assert first.returncode == -signal.SIGKILL
    assert tree(out) == before and validate(out) == []
    run(layout, ["lvis", "oi", "o365"], out)  # the kernel released the dead holder's locks
    assert validate(out) == []
    versions = [p.name for p in (tmp_path / "out.bigdet").iterdir() if outputs.RUN_NAME.match(p.name)]
    assert versions == [os.readlink(out).split("/")[1]]  # the dead run's staging folder is gone


def test_a_second_ingest_of_the_same_store_stops_and_the_lock_dies_with_its_holder(tmp_path, data_root):
    store = tmp_path / "store"
    args = ["ingest", "all", "--force", "--data-root", data_root, "--store", store]
    first = start(bigdet(*args), hook=f"store:locked=wait:{tmp_path / 'never'}")
    try:
        wait_for(tmp_path / "never.reached", first)
        code, text = finish(start(bigdet(*args)))
        assert code == 1, text
        assert f"another bigdet run holds {store / 'bigdet.lock'} (pid {first.pid})" in text
    finally:
        first.kill()
        first.wait()
    assert first.returncode == -signal.SIGKILL
    code, text = finish(start(bigdet(*args)))  # the kernel released the dead holder's lock
    assert code == 0, text
    for source in ("lvis", "openimages", "objects365"):
        assert Store(store).table(source, "train", "boxes").num_rows > 0
        assert [p.name for p in (store / f"{source}.bigdet").iterdir() if outputs.RUN_NAME.match(p.name)] == [os.readlink(store / source).split("/")[1]]


def test_validate_checks_the_files_against_the_report(merged, tmp_path):
    _, result = merged
    out = tmp_path / "copy"
    shutil.copytree(result.out, out)
    assert validate(out) == []
    (out / "annotations" / "bigdet_val.json.tmp").write_text("{}")
    (out / "cas_weights.json").unlink()
    problems = validate(out)
    assert f"{out}/annotations/bigdet_val.json.tmp: not written by this merge (not in merge_report.json)" in problems
    assert f"{out}/cas_weights.json: listed in merge_report.json but missing" in problems


# -- 8. the switch is one step: a SIGKILL at every stage ------------------------------------------

WRITE = "import sys; from bigdet.outputs import VersionedDir\n" \
        "with VersionedDir(sys.argv[1], kind=sys.argv[3]).staging() as s: (s / 'data.txt').write_text(sys.argv[2])"


def write_version(path: Path, text: str, kind: str, hook: str | None = None) -> int:
    return finish(start([sys.executable, "-c", WRITE, str(path), text, kind], hook=hook))[0]


@pytest.mark.parametrize("kind", ["out", "store"])
@pytest.mark.parametrize("stage", ["locked", "staged", "versioned", "linked", "switched"])
def test_a_kill_at_any_stage_leaves_a_readable_output_and_the_next_run_cleans_up(tmp_path, kind, stage):
    out = tmp_path / "out"
    assert write_version(out, "old", kind) == 0
    assert write_version(out, "new", kind, hook=f"{kind}:{stage}=kill") == -signal.SIGKILL
    expected = "new" if stage == "switched" else "old"
    assert (out / "data.txt").read_text() == expected  # never missing, never half
    assert write_version(out, "next", kind) == 0
    assert (out / "data.txt").read_text() == "next"
    left = sorted(p.name for p in (tmp_path / "out.bigdet").iterdir())
    assert left == sorted([outputs.LOCK, outputs.MARKER, os.readlink(out).split("/")[1]])


def test_a_merge_killed_after_taking_its_locks_keeps_the_previous_output(merged, tmp_path):
    """The merge's own wiring (a full merge in a fresh process costs a WordNet load, so the stages
    after the work are covered by the VersionedDir test above, with the same code)."""
    layout, _ = merged
    out = tmp_path / "out"
    run(layout, ["lvis"], out)
    before = tree(out)
    code, text = finish(start(bigdet(*merge_args(layout, out)), hook="out:working=kill"))
    assert code == -signal.SIGKILL, text
    assert tree(out) == before and validate(out) == []
    assert any(p.name.endswith(".incomplete") for p in (tmp_path / "out.bigdet").iterdir())
    result = run(layout, ["lvis", "oi", "o365"], out)
    assert len(result.report["files"]) == 4 and validate(out) == []
    assert len([p for p in (tmp_path / "out.bigdet").iterdir() if outputs.RUN_NAME.match(p.name)]) == 1


def test_an_ingest_killed_before_the_switch_keeps_the_previous_store(tmp_path, data_root):
    layout = Layout(data_root=data_root, store=tmp_path / "store")
    ingest("lvis", layout)
    before = tree(layout.store / "lvis")
    code, text = finish(start(bigdet("ingest", "lvis", "--force", "--data-root", data_root, "--store", layout.store), hook="store:versioned=kill"))
    assert code == -signal.SIGKILL, text
    assert tree(layout.store / "lvis") == before
    assert Store(layout.store).table("lvis", "train", "boxes").num_rows > 0
    ingest("lvis", layout, force=True)
    assert len([p for p in (layout.store / "lvis.bigdet").iterdir() if outputs.RUN_NAME.match(p.name)]) == 1


# -- 10. bad paths: one line, before the work -----------------------------------------------------


def test_out_dot_is_one_line(merged, tmp_path):
    layout, _ = merged
    result = invoke(*merge_args(layout, "."))
    assert failed_with_one_line(result) and "must name a folder of its own" in result.output


def test_out_naming_a_file_keeps_the_file(merged, tmp_path):
    layout, _ = merged
    notes = tmp_path / "notes.txt"
    notes.write_text("keep me")
    result = invoke(*merge_args(layout, notes))
    assert failed_with_one_line(result) and f"--out {notes} is a file, not a folder" in result.output
    assert notes.read_text() == "keep me" and sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_out_as_a_foreign_symlink_is_refused_before_the_work(tmp_path, data_root):
    layout = Layout(data_root=data_root, store=tmp_path / "store")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "out").symlink_to(elsewhere)
    with pytest.raises(ConfigError, match="is a symbolic link bigdet did not make"):
        run(layout, ["lvis"], tmp_path / "out")
    (tmp_path / "out").unlink()
    (tmp_path / "out.bigdet").symlink_to(elsewhere)
    with pytest.raises(ConfigError, match="out.bigdet is not a folder bigdet made"):
        run(layout, ["lvis"], tmp_path / "out")
    assert not (tmp_path / "store").exists()  # refused before any ingest


def test_negative_holdout_is_refused(merged, tmp_path):
    layout, _ = merged
    result = invoke(*merge_args(layout, tmp_path / "out"), "--holdout", "-5")
    assert failed_with_one_line(result) and "--holdout must be 0 or more train images, not -5" in result.output
    assert not (tmp_path / "out").exists()


def test_config_help_shows_the_paths_table():
    result = invoke("merge", "--help")
    assert "TOML config with a [paths] table" in " ".join(result.output.split())


# Permission checks: root ignores file modes, so as root the command runs with CAP_DAC_OVERRIDE and
# CAP_DAC_READ_SEARCH dropped from its bounding set (it stays uid 0 and reads root-owned files).


@pytest.fixture(scope="module")
def modes_apply(tmp_path_factory) -> list[str]:
    """The prefix that makes a command obey file modes (empty unless root)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root, and setpriv (util-linux) is missing to drop CAP_DAC_OVERRIDE; file modes cannot be tested")
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    probe = tmp_path_factory.mktemp("probe") / "secret"
    probe.write_text("x")
    probe.chmod(0)
    if subprocess.run([*prefix, "cat", str(probe)], capture_output=True).returncode == 0:
        pytest.skip("dropping CAP_DAC_OVERRIDE did not make file modes apply here")
    return prefix


def run_with_modes(prefix: list[str], *args) -> tuple[int, str]:
    return finish(start([*prefix, *bigdet(*args)]))


def test_a_read_only_output_parent_is_one_line_before_the_work(modes_apply, tmp_path, data_root):
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        code, text = run_with_modes(modes_apply, "merge", "--sources", "lvis", "--data-root", data_root, "--store", tmp_path / "store", "--out", parent / "out")
    finally:
        parent.chmod(0o755)
    assert code == 1 and "Traceback" not in text
    assert f"{parent}/out.bigdet: cannot create the --out: Permission denied" in text
    assert not (tmp_path / "store" / "lvis").exists()  # nothing ingested: checked before the work


def test_a_read_only_store_parent_is_one_line(modes_apply, tmp_path, data_root):
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        code, text = run_with_modes(modes_apply, "ingest", "lvis", "--data-root", data_root, "--store", parent / "store")
    finally:
        parent.chmod(0o755)
    assert code == 1 and "Traceback" not in text
    assert f"{parent}/store: cannot create the store folder: Permission denied" in text


def test_an_unreadable_input_is_one_line(modes_apply, tmp_path, data_root):
    secret = data_root / "lvis" / "lvis_v1_val.json"
    secret.chmod(0)
    try:
        code, text = run_with_modes(modes_apply, "ingest", "lvis", "--data-root", data_root, "--store", tmp_path / "store")
    finally:
        secret.chmod(0o644)
    assert code == 1 and "Traceback" not in text
    assert f"{secret}: Permission denied" in text


def test_a_previous_output_that_cannot_be_removed_does_not_fail_the_next_merge(merged, tmp_path):
    layout, _ = merged
    out = tmp_path / "out"
    run(layout, ["lvis"], out)
    old = out.resolve()
    pinned = old / "merge_report.json"
    if os.geteuid() == 0:  # root ignores modes; an immutable file cannot be unlinked even by root
        if subprocess.run(["chattr", "+i", str(pinned)], capture_output=True).returncode != 0:
            pytest.skip("running as root on a file system without chattr +i: cannot make a file root cannot remove")
        undo = ["chattr", "-i", str(pinned)]
    else:
        old.chmod(0o555)
        undo = ["chmod", "755", str(old)]
    try:
        result = invoke(*merge_args(layout, out))
        assert result.exit_code == 0, result.output
        assert out.resolve() != old and validate(out) == []
        assert f"note: could not remove an old version (retried next run): {old}: " in result.output
    finally:
        subprocess.run(undo, check=True)
    run(layout, ["lvis"], out)
    assert not old.exists()


def test_browse_names_a_dataset_after_the_output_not_its_version(merged):
    from bigdet.browse import default_name

    _, result = merged
    assert result.out.is_symlink()
    assert default_name(result.out, "val", None) == "bigdet-out-val"

