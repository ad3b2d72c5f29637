"""The merge writes its COCO files several at once (build._write_files): the bytes must not depend on
how many are written together, and a failure in any writer must stop the run."""

from __future__ import annotations

import time

import pytest

from bigdet import build
from bigdet.build import run
from bigdet.errors import BigdetError
from bigdet.exporters import coco
from bigdet.layout import Layout
from bigdet.validate import WrittenChecks

from .test_coco_export import GOLDEN, digests


@pytest.fixture(scope="module")
def store_layout(tmp_path_factory, synth_root):
    return Layout(data_root=synth_root, store=tmp_path_factory.mktemp("parallel") / "store")


@pytest.mark.parametrize("workers", [1, 3])
def test_files_written_one_or_several_at_once_have_the_same_bytes(tmp_path, store_layout, synth_root, workers):
    result = run(store_layout, ["lvis", "oi", "o365"], tmp_path / "out", workers=workers)
    assert digests(result.out, synth_root) == GOLDEN["default"]


def test_a_failing_writer_stops_the_merge_and_keeps_the_old_output(tmp_path, store_layout, monkeypatch):
    first = run(store_layout, ["lvis", "oi", "o365"], tmp_path / "out", workers=2)
    before = {p.name: p.read_bytes() for p in (first.out / "annotations").iterdir()}
    original = coco.write_file

    def write_file(path, *args, **kwargs):
        if path.name == "bigdet_lvis_train.json":  # a small file: the others are still being written
            raise OSError(28, "No space left on device")
        return original(path, *args, **kwargs)

    monkeypatch.setattr(coco, "write_file", write_file)
    with pytest.raises((BigdetError, OSError), match="No space left"):
        run(store_layout, ["lvis", "oi", "o365"], tmp_path / "out", workers=2)
    assert {p.name: p.read_bytes() for p in (tmp_path / "out" / "annotations").iterdir()} == before


def test_ids_repeated_across_files_written_apart_are_found():
    a, b = WrittenChecks(None, []), WrittenChecks(None, [])
    a.image_ids, b.image_ids = [(1, 10)], [(11, 20)]
    assert WrittenChecks.combine([a, b]).finish() == []
    b.image_ids = [(10, 20)]  # image 10 in both files
    assert WrittenChecks.combine([a, b]).finish() == ["image ids repeat across the files"]
    a.annotation_ids, b.annotation_ids = [(5, 9)], [(1, 5)]
    assert "annotation ids repeat across the files" in WrittenChecks.combine([a, b]).finish()


def test_after_a_failure_the_work_not_yet_started_is_cancelled():
    import threading
    from concurrent.futures import ThreadPoolExecutor

    started, release = [], threading.Event()

    def job(k):
        started.append(k)
        if k == 0:
            raise OSError(28, "No space left on device")
        release.wait(5)
        return k

    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(job, k) for k in range(6)]
        with pytest.raises(OSError):
            build._results(futures)
        release.set()
    # job 1 was running, and job 0's thread may have taken job 2 before the failure was seen (both wait
    # on `release`, so nothing else can start); jobs 3-5 never start
    assert set(started) <= {0, 1, 2}
    assert all(f.cancelled() for f in futures[3:])


def test_written_checks_keep_up_to_in_flight_chunks_checking_and_report_in_submission_order():
    import threading
    from concurrent.futures import ThreadPoolExecutor

    running, most, guard, release = [0], [0], threading.Lock(), threading.Event()

    def check(k):
        with guard:
            running[0] += 1
            most[0] = max(most[0], running[0])
        release.wait(5)
        with guard:
            running[0] -= 1
        return [f"problem {k}"]

    with ThreadPoolExecutor(max_workers=4) as pool:
        checks = WrittenChecks(pool, [], in_flight=3)
        for k in range(3):
            checks._submit(check, k)
        deadline = time.monotonic() + 5
        while running[0] < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert running[0] == 3 and len(checks.pending) == 3  # three chunks checked at once, none waited for
        release.set()
        for k in range(3, 7):
            checks._submit(check, k)
        checks.wait()
    assert most[0] <= 3
    assert checks.problems == [f"problem {k}" for k in range(7)]


def test_a_failing_check_of_a_written_chunk_reaches_the_writer():
    from concurrent.futures import ThreadPoolExecutor

    def check(k):
        if k == 1:
            raise ValueError("checker failed")
        return []

    with ThreadPoolExecutor(max_workers=2) as pool:
        checks = WrittenChecks(pool, [], in_flight=2)
        checks._submit(check, 0)
        checks._submit(check, 1)
        with pytest.raises(ValueError, match="checker failed"):
            checks.wait()


def test_a_file_written_with_its_checks_has_the_bytes_of_one_written_without(tmp_path):
    """With checks, the writer writes the records its chunks' checks joined (several chunks waiting, the
    next formatted meanwhile); without, it joins them itself: the same file, byte for byte."""
    from concurrent.futures import ThreadPoolExecutor

    import numpy as np

    from bigdet.merge import Part

    rng = np.random.default_rng(3)
    n_images, n_boxes = 25_000, 230_000  # several image and annotation chunks
    images = {"image_id": np.arange(n_images), "ok": np.ones(n_images, bool), "file_name": np.array([f"{k}.jpg" for k in range(n_images)], object),
              "width": np.full(n_images, 640.0), "height": np.full(n_images, 480.0), "source_image_id": np.array([str(k) for k in range(n_images)], object)}
    boxes = {"image_index": np.sort(rng.integers(0, n_images, n_boxes)), "category_id": rng.integers(1, 4, n_boxes).astype(np.int32),
             "x": rng.uniform(0, 300, n_boxes).round(2), "y": rng.uniform(0, 200, n_boxes).round(2), "w": np.full(n_boxes, 10.5),
             "h": np.full(n_boxes, 7.25), "area": np.full(n_boxes, 76.125), "iscrowd": np.zeros(n_boxes, bool)}
    negatives = np.column_stack([np.arange(n_images), np.full(n_images, 4)])
    part = Part("lvis", "train", images, boxes, negatives, np.zeros((0, 2), np.int64), None, np.zeros((0, 2), np.int64))
    header = {"categories": [{"id": k, "name": f"c{k}"} for k in range(1, 5)]}
    plain = coco.write_file(tmp_path / "plain.json", [part], header=header, ids=coco.IdRange(), prefixes={"lvis": "lvis/"})
    with ThreadPoolExecutor(max_workers=2) as pool:
        checks = WrittenChecks(pool, [1, 2, 3, 4], in_flight=2)
        checked = coco.write_file(tmp_path / "checked.json", [part], header=header, ids=coco.IdRange(), prefixes={"lvis": "lvis/"}, check=checks)
        assert checks.finish() == []
    assert (checked["images"], checked["annotations"]) == (plain["images"], plain["annotations"]) == (n_images, n_boxes)
    assert checks.files["checked.json"] == (n_images, n_boxes)
    assert (tmp_path / "checked.json").read_bytes() == (tmp_path / "plain.json").read_bytes()


def test_a_failing_check_stops_the_file_it_checks(tmp_path, monkeypatch):
    """The writer waits for the check that joins a chunk: a check that fails raises in the writer (no
    hang, no file written in its place)."""
    from concurrent.futures import ThreadPoolExecutor

    import numpy as np

    from bigdet import validate
    from bigdet.merge import Part

    images = {"image_id": np.arange(3), "ok": np.ones(3, bool), "file_name": np.array(["a.jpg", "b.jpg", "c.jpg"], object), "width": np.full(3, 9.0),
              "height": np.full(3, 9.0), "source_image_id": np.array(["1", "2", "3"], object)}
    boxes = {"image_index": np.array([0, 2]), "category_id": np.array([1, 2], np.int32), "x": np.zeros(2), "y": np.zeros(2),
             "w": np.ones(2), "h": np.ones(2), "area": np.ones(2), "iscrowd": np.zeros(2, bool)}
    part = Part("lvis", "train", images, boxes, np.zeros((0, 2), np.int64), np.zeros((0, 2), np.int64), None, np.zeros((0, 2), np.int64))

    def broken(*args):
        raise RuntimeError("checker failed")

    monkeypatch.setattr(validate, "check_formatted", broken)
    with ThreadPoolExecutor(max_workers=2) as pool:
        checks = WrittenChecks(pool, [1, 2], in_flight=2)
        with pytest.raises(RuntimeError, match="checker failed"):
            coco.write_file(tmp_path / "f.json", [part], header={"categories": [{"id": 1}, {"id": 2}]}, ids=coco.IdRange(), prefixes={"lvis": ""}, check=checks)
    assert not (tmp_path / "f.json").exists()
