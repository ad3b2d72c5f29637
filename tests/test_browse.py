"""bigdet browse: what is read from the merged files, what lands in FiftyOne, and the App in Chromium.

The FiftyOne and Chromium tests need the ``browse`` extra and Debian's chromium, which
``scripts/test.sh`` installs; it sets BIGDET_REQUIRE_BROWSE=1 so that there a missing piece fails
the run instead of skipping these tests.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from bigdet import browse
from bigdet.build import run
from bigdet.errors import BigdetError, InputError
from bigdet.layout import Layout
from bigdet.synth import synthesize

REQUIRED = os.environ.get("BIGDET_REQUIRE_BROWSE") == "1"
ARTIFACTS = Path(os.environ.get("BIGDET_TEST_ARTIFACTS", Path(__file__).parent.parent / "test-artifacts"))


def need(available: bool, what: str):
    if available:
        return
    if REQUIRED:
        pytest.fail(f"{what} is missing but BIGDET_REQUIRE_BROWSE=1 (scripts/test.sh installs it)")
    pytest.skip(f"{what} is not installed (scripts/setup.sh dev,browse)")


@pytest.fixture(scope="module")
def merged(tmp_path_factory) -> Path:
    """A small merged set whose images exist (the generator writes JPEGs)."""
    root = tmp_path_factory.mktemp("browse")
    synthesize(root / "data", 0.0005, seed=11, images=True)
    return run(Layout(data_root=root / "data", store=root / "store"), ["lvis", "oi", "o365"], root / "out").out


def docs(out: Path) -> dict[str, dict]:
    return {p.name: json.loads(p.read_text()) for p in sorted((out / "annotations").glob("*.json"))}


# --- reading (no FiftyOne needed) -----------------------------------------------------------------


def test_read_val_is_the_val_file(merged):
    val = docs(merged)["bigdet_val.json"]
    s = browse.read(merged, "val")
    assert [f.name for f in s.files] == ["bigdet_val.json"]
    assert s.images.num_rows == len(val["images"]) == s.images_in_split
    assert s.boxes.num_rows == len(val["annotations"])
    assert s.missing == 0
    root = Path(val["image_root"])
    by_id = {im["id"]: im for im in val["images"]}
    for row in s.images.to_pylist()[:50]:
        assert row["filepath"] == str(root / by_id[row["id"]]["file_name"])
        assert row["split"] == "val" and row["source"] == by_id[row["id"]]["source"]
    # source attributes come through with their own names and values
    names = set(s.boxes.column_names)
    assert {"is_occluded", "is_group_of", "is_fake"} <= names
    got = {r["id"]: r for r in s.boxes.to_pylist()}
    for a in val["annotations"][:200]:
        for k, v in a.items():
            assert got[a["id"]][k] == v, (a, k)


def test_limit_is_a_deterministic_nested_sample(merged):
    a = browse.read(merged, "train", limit=40)
    b = browse.read(merged, "train", limit=40)
    bigger = browse.read(merged, "train", limit=90)
    ids = a.images.column("id").to_pylist()
    assert len(ids) == 40 and ids == b.images.column("id").to_pylist()
    assert set(ids) < set(bigger.images.column("id").to_pylist())
    everything = browse.read(merged, "train")
    assert a.images_in_split == everything.images.num_rows
    # the sample draws from every train file, and its boxes are exactly the boxes of its images
    assert set(a.images.column("annotation_file").to_pylist()) == {"bigdet_lvis_train.json", "bigdet_oid_train.json", "bigdet_obj_train.json"}
    anns = [x for d in docs(merged).values() for x in d["annotations"] if x["image_id"] in set(ids)]
    assert sorted(a.boxes.column("id").to_pylist()) == sorted(x["id"] for x in anns)


def test_all_split_and_bad_arguments(merged):
    s = browse.read(merged, "all")
    assert s.images.num_rows == sum(len(d["images"]) for d in docs(merged).values())
    assert set(s.images.column("split").to_pylist()) == {"train", "val"}
    with pytest.raises(BigdetError, match="--split must be one of"):
        browse.read(merged, "test")
    with pytest.raises(BigdetError, match="--limit must be at least 1"):
        browse.read(merged, "val", limit=0)
    with pytest.raises(InputError, match="not found"):
        browse.read(merged / "nope", "val")


def test_missing_images_are_counted_not_fatal(merged, tmp_path):
    s = browse.read(merged, "val", image_root=tmp_path)
    assert s.missing == s.images.num_rows > 0
    assert len(s.missing_examples) == browse.MISSING_SHOWN
    assert all(p.startswith(str(tmp_path)) for p in s.missing_examples)


def test_any_coco_file_with_annotations_first(tmp_path):
    """A plain COCO file (no bigdet fields) whose annotations come before its images still loads."""
    doc = {
        "annotations": [{"id": 9, "image_id": 2, "category_id": 1, "bbox": [1, 2, 3, 4], "area": 12, "iscrowd": 0, "segmentation": [[1, 2, 3, 4]]}],
        "categories": [{"id": 1, "name": "cat"}],
        "images": [{"id": 1, "file_name": "a.jpg", "width": 10, "height": 10}, {"id": 2, "file_name": "b.jpg", "width": 10, "height": 10}],
    }
    path = tmp_path / "instances_val2017.json"
    path.write_text(json.dumps(doc))
    s = browse.read(path, "val")
    assert s.images.num_rows == 2 and s.boxes.column("id").to_pylist() == [9]
    assert "segmentation" not in s.boxes.column_names
    assert s.images.column("filepath").to_pylist() == [str(tmp_path / "a.jpg"), str(tmp_path / "b.jpg")]


def test_ancestry_walks_parents_and_groups():
    cats = [
        {"id": 1, "name": "animal", "parent_ids": [], "groups": ["organism"]},
        {"id": 2, "name": "dog", "parent_ids": [1], "groups": []},
        {"id": 3, "name": "puppy", "parent_ids": [2], "groups": ["young"]},
    ]
    parents, above = browse.ancestry(cats)
    assert parents[3] == ["dog"] and above[3] == ["animal", "dog", "organism", "young"]
    assert above[1] == ["organism"] and parents[1] == []


# --- FiftyOne -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fo(tmp_path_factory):
    need(importlib.util.find_spec("fiftyone") is not None, "FiftyOne")
    os.environ["FIFTYONE_DATABASE_DIR"] = str(tmp_path_factory.mktemp("fiftyone-db"))
    browse.fiftyone_environment()
    browse.check_database()
    import fiftyone

    return fiftyone


def test_load_counts_labels_and_fields(fo, merged):
    val = docs(merged)["bigdet_val.json"]
    names = {c["id"]: c["name"] for c in val["categories"]}
    loaded = browse.load(browse.read(merged, "val"), "bigdet-test-val")
    ds = fo.load_dataset("bigdet-test-val")
    assert ds.persistent and len(ds) == loaded.samples == len(val["images"])
    assert ds.count("ground_truth.detections") == loaded.detections == len(val["annotations"])
    assert ds.count_values("ground_truth.detections.label") == dict(Counter(names[a["category_id"]] for a in val["annotations"]))
    assert ds.count_values("source") == dict(Counter(im["source"] for im in val["images"]))
    schema = ds.get_field_schema(flat=True)
    for field in ("source", "split", "source_image_id", "negative_labels", "not_exhaustive_labels", "ground_truth.detections.parents",
                  "ground_truth.detections.ancestors", "ground_truth.detections.iscrowd", "ground_truth.detections.is_occluded",
                  "ground_truth.detections.is_group_of", "ground_truth.detections.is_fake"):
        assert field in schema, field
    assert "bigdet" in ds.info and ds.info["bigdet"]["split"] == "val"
    # one image checked in full: path, size, boxes (normalized), label lists
    image = max(val["images"], key=lambda im: len(im["neg_category_ids"]) + 10 * (im["source"] == "openimages"))
    sample = ds.match({"bigdet_image_id": image["id"]}).first()
    assert sample.filepath == str(Path(val["image_root"]) / image["file_name"])
    assert (sample.metadata.width, sample.metadata.height) == (image["width"], image["height"])
    assert sample.negative_labels == [names[c] for c in image["neg_category_ids"]]
    assert sample.not_exhaustive_labels == [names[c] for c in image["not_exhaustive_category_ids"]]
    anns = {a["id"]: a for a in val["annotations"] if a["image_id"] == image["id"]}
    assert {d.annotation_id for d in sample.ground_truth.detections} == set(anns)
    for d in sample.ground_truth.detections:
        a = anns[d.annotation_id]
        x, y, w, h = a["bbox"]
        assert d.label == names[a["category_id"]]
        assert d.bounding_box == pytest.approx([x / image["width"], y / image["height"], w / image["width"], h / image["height"]])
        for flag in ("is_occluded", "is_group_of"):
            if flag in a:
                assert d[flag] == (None if a[flag] == -1 else bool(a[flag]))
    # the hierarchy is there to filter on: every box of a class under a group carries the group
    ancestors = ds.distinct("ground_truth.detections.ancestors")
    assert ancestors and ds.filter_labels("ground_truth", fo.ViewField("ancestors").contains(ancestors[0])).count("ground_truth.detections") > 0


def test_documents_equal_what_fiftyone_add_samples_writes(fo, merged):
    """The fast path inserts documents itself; FiftyOne's public API must see the same samples."""
    selection = browse.read(merged, "train", limit=60)
    browse.load(selection, "bigdet-test-fast")
    fast = fo.load_dataset("bigdet-test-fast")
    slow = fo.Dataset()
    samples = []
    for s in fast:  # rebuilt through the public constructors, from plain values
        d = s.to_dict()
        dets = [fo.Detection(**{k: v for k, v in det.items() if k not in ("_id", "_cls", "attributes", "tags")})
                for det in d["ground_truth"]["detections"]]
        fields = {k: v for k, v in d.items() if k not in ("_id", "filepath", "tags", "metadata", "created_at", "last_modified_at", "ground_truth", "_media_type", "_rand", "_dataset_id")}
        samples.append(fo.Sample(filepath=s.filepath, metadata=fo.ImageMetadata(width=s.metadata.width, height=s.metadata.height),
                                 ground_truth=fo.Detections(detections=dets), **fields))
    slow.add_samples(samples, dynamic=True)

    def strip(d):
        d = {k: v for k, v in d.items() if k not in ("_id", "created_at", "last_modified_at", "_rand", "_dataset_id")}
        d["ground_truth"] = [{k: v for k, v in det.items() if k != "_id"} for det in d["ground_truth"]["detections"]]
        return d

    assert [strip(s.to_dict()) for s in fast] == [strip(s.to_dict()) for s in slow]
    flat_fast, flat_slow = fast.get_field_schema(flat=True), slow.get_field_schema(flat=True)
    for path, field in flat_slow.items():
        assert type(flat_fast.get(path)) is type(field), path
    slow.delete()


def test_reload_replaces_and_a_failed_load_keeps_the_old_dataset(fo, merged):
    browse.load(browse.read(merged, "train", limit=30), "bigdet-test-replace")
    browse.load(browse.read(merged, "train", limit=20), "bigdet-test-replace")
    assert [n for n in fo.list_datasets() if n.startswith("bigdet-test-replace")] == ["bigdet-test-replace"]
    assert len(fo.load_dataset("bigdet-test-replace")) == 20

    def boom(done, total):
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        browse.load(browse.read(merged, "train", limit=5000), "bigdet-test-replace", progress=boom, batch=10)
    assert [n for n in fo.list_datasets() if n.startswith("bigdet-test-replace")] == ["bigdet-test-replace"]
    assert len(fo.load_dataset("bigdet-test-replace")) == 20


def test_cli_no_launch_reports_missing_files(fo, merged, tmp_path):
    from typer.testing import CliRunner

    from bigdet.cli.main import app

    result = CliRunner().invoke(app, ["browse", str(merged), "--split", "train", "--limit", "25", "--name", "bigdet-test-cli",
                                      "--image-root", str(tmp_path), "--no-launch"])
    assert result.exit_code == 0, result.output
    assert "25 of" in result.output and "FiftyOne dataset 'bigdet-test-cli': 25 samples" in result.output
    assert "25 of 25 image files are missing" in result.output and str(tmp_path) in result.output
    assert len(fo.load_dataset("bigdet-test-cli")) == 25


# --- the App, end to end --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chromium(url: str, user_dir: Path, *args: str) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={user_dir}", "--window-size=1400,900",
             "--virtual-time-budget=20000"]
    return subprocess.run([shutil.which("chromium"), *flags, *args, url], capture_output=True, text=True, timeout=120)


def test_app_shows_the_dataset_in_chromium(fo, merged, tmp_path):
    need(shutil.which("chromium") is not None, "Debian's chromium")
    name, port = "bigdet-e2e-val", free_port()
    expected = len(docs(merged)["bigdet_val.json"]["images"])
    env = dict(os.environ, FIFTYONE_DATABASE_DIR=str(tmp_path / "db"))  # its own database service
    log = open(tmp_path / "browse.log", "w+")
    app = subprocess.Popen([sys.executable, "-m", "bigdet", "browse", str(merged), "--name", name, "--port", str(port)],
                           stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        url = None
        deadline = time.monotonic() + 180
        while url is None and time.monotonic() < deadline and app.poll() is None:
            time.sleep(0.5)
            log.seek(0)
            m = re.search(r"FiftyOne App: (\S+)", log.read())
            url = m.group(1) if m else None
        log.seek(0)
        assert url == f"http://127.0.0.1:{port}/datasets/{name}", log.read()
        # The App first shows a loading screen ("Pixelating...") until its first queries return; on a loaded
        # machine that can outlast chromium's virtual-time budget, so the page is read again until it shows
        # the dataset or a real-time deadline passes.
        deadline = time.monotonic() + 240
        while True:
            dom = chromium(url, tmp_path / "chrome", "--dump-dom")
            text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom.stdout))
            if (name in text and f"{expected} samples" in text) or time.monotonic() > deadline:
                break
            time.sleep(2)
        assert name in text, text[-2000:] + dom.stderr[-2000:]
        assert f"{expected} samples" in text, text[-2000:]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTIFACTS / "browse_app.png"
        shot.unlink(missing_ok=True)
        chromium(url, tmp_path / "chrome", f"--screenshot={shot}")
        assert shot.exists() and shot.stat().st_size > 20_000  # a rendered App page, not a blank one
    finally:
        app.send_signal(signal.SIGTERM)
        try:
            app.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(app.pid, signal.SIGKILL)
    log.seek(0)
    assert "App stopped" in log.read()


def test_clear_errors_without_fiftyone_or_its_database(monkeypatch):
    import importlib.metadata as md

    real = md.version

    def no_fiftyone(name):
        if name == "fiftyone":
            raise md.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(browse.md, "version", no_fiftyone)
    with pytest.raises(BigdetError, match=r"FiftyOne is not installed: run scripts/setup.sh dev,browse"):
        browse.check_database()


def test_mongod_without_openssl_1_1_is_a_one_line_error(fo, tmp_path):
    """Without the libraries set-up provides, the bundled mongod cannot start: say so, and how to fix it."""
    env = {k: v for k, v in os.environ.items() if k not in ("LD_LIBRARY_PATH", "FIFTYONE_DATABASE_URI")}
    env["BIGDET_MONGOD_LIBS"] = str(tmp_path)  # an empty folder instead of .venv/lib/bigdet-mongod
    code = "from bigdet import browse; browse.fiftyone_environment(); browse.check_database()"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    if result.returncode == 0:
        pytest.skip("this system has OpenSSL 1.1 itself")
    assert "FiftyOne's database cannot start" in result.stderr
    assert re.search(r"(libssl|libcrypto)\.so\.1\.1", result.stderr)
    assert "scripts/setup.sh dev,browse" in result.stderr
