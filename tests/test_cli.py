"""The bigdet command: exit codes, exact messages, summaries."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import bigdet
from bigdet.cli import console
from bigdet.cli.main import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_console():
    """Rich wraps at the runner's 80 columns; assertions should not depend on where."""
    before = console.out.width, console.err.width
    console.out.width = console.err.width = 240
    yield
    console.out.width, console.err.width = before


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and result.output.strip() == f"bigdet {bigdet.__version__}"


def test_every_command_has_help():
    for command in ("synth", "ingest", "env"):
        result = invoke(command, "--help")
        assert result.exit_code == 0, command
        assert "Usage" in result.output


def test_synth_then_ingest_prints_reconciled_counts(tmp_path):
    result = invoke("synth", "--scale", "0.0002", "--out", tmp_path / "data")
    assert result.exit_code == 0, result.output
    assert "objects365" in result.output
    result = invoke("ingest", "lvis", "oi", "o365", "--data-root", tmp_path / "data", "--store", tmp_path / "store")
    assert result.exit_code == 0, result.output
    assert result.output.count("records read; reconciled (read = stored + rejected)") == 3
    assert "NOT reconciled" not in result.output
    again = invoke("ingest", "lvis", "--data-root", tmp_path / "data", "--store", tmp_path / "store")
    assert "lvis: up to date, not re-read" in again.output


def test_summary_shows_rejects_by_reason(tmp_path):
    root = tmp_path / "data"
    invoke("synth", "--scale", "0.0002", "--out", root, "--source", "o365")
    path = root / "objects365/zhiyuan_objv2_val.json"
    doc = json.loads(path.read_text())
    doc["annotations"][0]["bbox"][2] = 0
    path.write_text(json.dumps(doc))
    result = invoke("ingest", "o365", "--data-root", root, "--store", tmp_path / "store")
    assert result.exit_code == 0, result.output
    assert "boxes nonpositive_size 1" in result.output


def test_config_file_sets_paths(tmp_path, monkeypatch):
    invoke("synth", "--scale", "0.0002", "--out", tmp_path / "somewhere", "--source", "lvis")
    (tmp_path / "bigdet.toml").write_text('[paths]\ndata_root = "somewhere"\nstore = "st"\n')
    monkeypatch.chdir(tmp_path)
    result = invoke("ingest", "lvis")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "st/lvis/manifest.json").exists()


def test_each_registry_folder_is_an_option_of_the_data_commands():
    from bigdet.sources.registry import FOLDERS

    assert list(FOLDERS) == ["lvis", "coco", "openimages", "objects365"]
    for command in ("ingest", "merge", "dedup"):
        text = " ".join(invoke(command, "--help").output.replace("│", " ").split())  # the help's box, unwrapped
        for key, what in FOLDERS.items():
            assert f"--{key}-dir" in text and f"{what} (default DATA_ROOT/{key})" in text, (command, key)
        assert "Folder with lvis/, coco/, openimages/, objects365/ (default ./data)" in text


def test_folder_option_and_config_key_move_one_source(tmp_path, monkeypatch):
    invoke("synth", "--scale", "0.0002", "--out", tmp_path / "data", "--source", "o365")
    (tmp_path / "data/objects365").rename(tmp_path / "o365-elsewhere")
    result = invoke("ingest", "o365", "--data-root", tmp_path / "data", "--objects365-dir", tmp_path / "o365-elsewhere", "--store", tmp_path / "st1")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "st1/objects365/manifest.json").exists()
    (tmp_path / "bigdet.toml").write_text('[paths]\nobjects365 = "o365-elsewhere"\nstore = "st2"\n')
    monkeypatch.chdir(tmp_path)
    result = invoke("ingest", "o365")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "st2/objects365/manifest.json").exists()


def test_unknown_source_is_one_line_and_exit_1(tmp_path):
    result = invoke("ingest", "coco", "--data-root", tmp_path)
    assert result.exit_code == 1
    assert result.output.strip() == "error: unknown source 'coco'; use lvis, oi (openimages), o365 (objects365), or all"


def test_missing_data_is_one_line_and_exit_1(tmp_path):
    result = invoke("ingest", "lvis", "--data-root", tmp_path / "nothing")
    assert result.exit_code == 1
    line = result.output.strip()
    assert line.startswith("error: ") and "no LVIS annotation files" in line and "\n" not in line
    assert "Traceback" not in result.output


def test_damaged_file_message_names_file_and_record(tmp_path):
    (tmp_path / "data/objects365").mkdir(parents=True)
    doc = {"images": [{"id": 1, "width": 5, "height": 5, "file_name": "a/b.jpg"}], "annotations": [{"id": 1, "image_id": 1, "category_id": 1}], "categories": []}
    (tmp_path / "data/objects365/zhiyuan_objv2_train.json").write_text(json.dumps(doc))
    result = invoke("ingest", "o365", "--data-root", tmp_path / "data", "--store", tmp_path / "store")
    assert result.exit_code == 1
    assert 'zhiyuan_objv2_train.json, "annotations"[0]: records lack the field \'bbox\'' in result.output


def test_bad_config_key(tmp_path, monkeypatch):
    (tmp_path / "bigdet.toml").write_text('[paths]\ndata_rot = "x"\n')
    monkeypatch.chdir(tmp_path)
    result = invoke("ingest", "lvis")
    assert result.exit_code == 1 and "unknown key(s) in [paths]: data_rot" in result.output


def test_env_lists_dependencies():
    result = invoke("env")
    assert result.exit_code == 0 and "pyarrow" in result.output


def test_taxonomy_commands(tmp_path):
    result = invoke("taxonomy", "show", "palm_tree")
    assert result.exit_code == 0 and "parents:  tree" in result.output
    result = invoke("taxonomy", "explain", "oi", "mobile phone")
    assert result.exit_code == 0
    assert "decision: cellular_telephone (#" in result.output and "by synset" in result.output
    result = invoke("taxonomy", "explain", "o365", "Moniter/TV")
    assert "by manual" in result.output and "override:" in result.output
    result = invoke("taxonomy", "check")
    assert result.exit_code == 0 and result.output.startswith("taxonomy OK")
    result = invoke("taxonomy", "build", "--no-overrides", "--out", tmp_path)
    assert result.exit_code == 0 and (tmp_path / "objects365_v2.csv").exists()
    assert "Moniter/TV,television_set,534,synset" in (tmp_path / "objects365_v2.csv").read_text()


def test_taxonomy_errors_are_one_line(tmp_path):
    result = invoke("taxonomy", "show", "unicorn")
    assert result.exit_code == 1 and "'unicorn' is not a class or group of bigdet600" in result.output
    result = invoke("taxonomy", "explain", "oi", "Unicorn")
    assert result.exit_code == 1 and result.output.strip() == "error: openimages has no class named 'Unicorn'"
    result = invoke("taxonomy", "build", "--targets", tmp_path / "none.txt", "--out", tmp_path)
    assert result.exit_code == 1 and "target list not found" in result.output


def test_missing_wordnet_says_how_to_install(monkeypatch):
    from bigdet.taxonomy import wordnet

    wordnet.wordnet.cache_clear()
    import nltk.corpus

    def missing():
        raise LookupError("Resource wordnet not found")

    monkeypatch.setattr(nltk.corpus.wordnet, "ensure_loaded", missing)
    try:
        result = invoke("taxonomy", "build", "--out", "/tmp/unused")
        assert result.exit_code == 1
        assert "WordNet 3.0 is not installed for NLTK" in result.output and "nltk.downloader wordnet" in result.output
    finally:
        monkeypatch.undo()
        wordnet.wordnet.cache_clear()


def test_merge_command_prints_the_accounting(tmp_path):
    invoke("synth", "--scale", "0.0002", "--out", tmp_path / "data")
    result = invoke("merge", "--sources", "lvis", "oi", "o365", "--data-root", tmp_path / "data", "--store", tmp_path / "store", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "reconciled: read = rejected + dropped + exported for every source and split" in result.output
    assert "bigdet_obj_train.json" in result.output and "unmapped_class" in result.output
    check = invoke("validate", tmp_path / "out")
    assert check.exit_code == 0 and check.output.strip().endswith("valid")


def test_validate_reports_a_broken_file(tmp_path):
    (tmp_path / "out/annotations").mkdir(parents=True)
    doc = {"images": [{"id": 1, "width": 10, "height": 10, "file_name": "a.jpg"}], "categories": [{"id": 1, "name": "a"}],
           "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [5.0, 5.0, 10.0, 1.0], "area": 10.0, "iscrowd": 0},
                           {"id": 2, "image_id": 7, "category_id": 3, "bbox": [1.0, 1.0, 1.0, 1.0], "area": 1.0, "iscrowd": 0}]}
    (tmp_path / "out/annotations/x.json").write_text(json.dumps(doc))
    result = invoke("validate", tmp_path / "out")
    assert result.exit_code == 1
    assert "1 annotations name an image not in the file, e.g. image_id 7" in result.output
    assert "unknown category ids, e.g. 3" in result.output
    assert "boxes with no size or outside their image" in result.output
    missing = invoke("validate", tmp_path / "nothing")
    assert missing.exit_code == 1 and "no annotations/ folder" in missing.output
