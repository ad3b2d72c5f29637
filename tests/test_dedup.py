"""bigdet dedup and merge --dedup: synthetic pictures, hashing, pair search, cache, leak drops, Ray.

Most tests hash in-process (``hash_batch`` called directly, standing in for the Ray map) so Ray's
start-up stays out of them; two end-to-end tests run the command on an embedded Ray and on a
local ``ray start --head`` cluster.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from bigdet import dedup
from bigdet.build import run
from bigdet.layout import Layout
from bigdet.synth import synthesize
from bigdet.synth.images import MODIFICATIONS, PLANTED_FILE, read_planted

pytest.importorskip("imagehash")

SCALE = 0.0003
PLANTED = 10


def hash_in_process(calls: list | None = None):
    """A stand-in for ``dedup.hash_files`` that runs the same batch map without Ray."""

    def hash_files(paths, **kwargs):
        if calls is not None:
            calls.append(list(paths))
        return pd.DataFrame(dedup.hash_batch({"path": np.array(paths, dtype=object)}))

    return hash_files


@pytest.fixture(scope="module")
def planted_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("dedup") / "data"
    synthesize(root, SCALE, seed=5, images=True, plant_duplicates=PLANTED)
    return root


def copy_data(planted_root: Path, tmp_path: Path) -> Layout:
    shutil.copytree(planted_root, tmp_path / "data")
    return Layout(data_root=tmp_path / "data", store=tmp_path / "store")


def planted_pairs(root: Path) -> set[tuple[str, str]]:
    return {tuple(sorted((r["val_file"], r["train_file"]))) for r in read_planted(root)}


# --- synthetic pictures --------------------------------------------------------------------------


def test_synth_pictures_are_told_apart_by_phash_and_repeat_by_seed(tmp_path):
    synthesize(tmp_path / "a", 0.00005, seed=2, images=True, sources=("objects365",))
    synthesize(tmp_path / "b", 0.00005, seed=2, images=True, sources=("objects365",))
    files = sorted(p for p in (tmp_path / "a").rglob("*.jpg"))
    assert len(files) > 20
    assert all(p.read_bytes() == (tmp_path / "b" / p.relative_to(tmp_path / "a")).read_bytes() for p in files)
    hashes = dedup.hash_batch({"path": np.array([str(p) for p in files], dtype=object)})
    assert (hashes["error"] == "").all()
    h = hashes["phash"].view(np.uint64)
    distances = [int(dedup.popcount(np.array([h[i] ^ h[j]]))[0]) for i, j in combinations(range(len(h)), 2)]
    # unrelated pictures differ in about half of the 64 bits, none within the near-duplicate threshold
    assert min(distances) > dedup.THRESHOLD
    assert 26 <= np.mean(distances) <= 38


def test_planting_changes_only_image_files_and_lists_every_modification(tmp_path, planted_root):
    synthesize(tmp_path / "plain", SCALE, seed=5)
    plain = {p.relative_to(tmp_path / "plain") for p in (tmp_path / "plain").rglob("*") if p.is_file()}
    for rel in plain:  # annotation files: byte for byte what synth writes without images
        assert (planted_root / rel).read_bytes() == (tmp_path / "plain" / rel).read_bytes(), rel
    rows = read_planted(planted_root)
    assert len(rows) == PLANTED
    assert {r["modification"] for r in rows} == set(MODIFICATIONS)
    for r in rows:
        val, train = planted_root / r["val_file"], planted_root / r["train_file"]
        assert r["val_file"].split("/")[0] != r["train_file"].split("/")[0]  # another source
        if r["modification"] == "exact":
            assert val.read_bytes() == train.read_bytes()
        else:
            assert val.read_bytes() != train.read_bytes()
        if "resized" in r["modification"]:
            assert 0.6 <= float(r["scale"]) <= 0.9
        if "jpeg" in r["modification"]:
            assert 55 <= int(r["quality"]) <= 90
        if "cropped" in r["modification"]:
            assert 0 < float(r["crop"]) <= 0.03
    assert len({r["train_file"] for r in rows}) == len({r["val_file"] for r in rows}) == PLANTED


# --- pair search ---------------------------------------------------------------------------------


def brute_force(hashes: np.ndarray, threshold: int) -> set[tuple[int, int, int]]:
    h = hashes.view(np.uint64)
    out = set()
    for i, j in combinations(range(len(h)), 2):
        d = bin(int(h[i] ^ h[j])).count("1")
        if d <= threshold:
            out.add((i, j, d))
    return out


@pytest.mark.parametrize("seed", range(40))
def test_near_pairs_equals_brute_force(seed):
    """Random cases (seeded): clusters of near neighbours and unrelated hashes, every threshold
    from 0 to 16, the planned chunk count or a forced one."""
    rng = np.random.default_rng(seed)
    n, threshold = int(rng.integers(0, 60)), int(rng.integers(0, 17))
    chunks = None if seed % 2 else int(rng.integers(1, threshold + 2))
    rng = np.random.default_rng(seed)
    base = rng.integers(-(2**63), 2**63 - 1, size=max(1, n // 3), dtype=np.int64)
    # near neighbours of a few bases (a handful of flipped bits), plus unrelated hashes
    hashes = base[rng.integers(0, len(base), size=n)].view(np.uint64).copy()
    for k in range(n):
        for bit in rng.choice(64, size=int(rng.integers(0, 12)), replace=False):
            hashes[k] ^= np.uint64(1) << np.uint64(int(bit))
    hashes = hashes.view(np.int64)
    i, j, d = dedup.near_pairs(hashes, threshold, chunks=chunks)
    assert set(zip(i.tolist(), j.tolist(), d.tolist())) == brute_force(hashes, threshold)


def test_index_plan_uses_wider_chunks_for_more_hashes():
    # a chunk table's buckets stay small only if its key has about log2(n) bits
    assert dedup.index_plan(3_500_000, 10) < dedup.index_plan(1_000, 10)
    assert 64 / dedup.index_plan(3_500_000, 10) >= 16


def test_exact_pairs_lists_every_pair_of_a_group():
    i, j = dedup.exact_pairs(np.array(["x", "y", "x", "z", "x", "y"], dtype=object))
    assert set(zip(i.tolist(), j.tolist())) == {(0, 2), (0, 4), (2, 4), (1, 5)}


# --- hashing and errors --------------------------------------------------------------------------


def test_hash_batch_reports_missing_and_unreadable_files_with_their_error(tmp_path, planted_root):
    good = next(planted_root.rglob("*.jpg"))
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(good.read_bytes()[:200])
    text = tmp_path / "text.jpg"
    text.write_text("not an image")
    out = dedup.hash_batch({"path": np.array([str(good), str(tmp_path / "missing.jpg"), str(broken), str(text)], dtype=object)})
    assert out["error"][0] == "" and len(out["sha256"][0]) == 64 and out["width"][0] > 0
    assert out["error"][1].startswith("FileNotFoundError") and "missing.jpg" in out["error"][1]
    assert out["error"][2] and out["error"][3].startswith("UnidentifiedImageError")


def test_planted_duplicates_are_found_and_nothing_else(tmp_path, planted_root, monkeypatch):
    monkeypatch.setattr(dedup, "hash_files", hash_in_process())
    layout = copy_data(planted_root, tmp_path)
    result = dedup.find_duplicates(layout, ["lvis", "openimages", "objects365"])
    found = {(a, b) for a, b in zip(result.pairs["file_a"], result.pairs["file_b"])}
    assert found == planted_pairs(layout.data_root)
    kinds = dict(zip(zip(result.pairs["file_a"], result.pairs["file_b"]), result.pairs["kind"]))
    for r in read_planted(layout.data_root):
        assert kinds[tuple(sorted((r["val_file"], r["train_file"])))] == ("exact" if r["modification"] == "exact" else "near")
    # the three Objects365 files the real train list names but never shipped: counted, not a crash
    assert len(result.errors) == 3 and all("FileNotFoundError" in e for _, e in result.errors)
    assert {(r.split_a, r.split_b) for r in result.pairs.itertuples()} <= {("val", "train"), ("train", "val")}


def test_rerun_hashes_only_new_or_changed_files_and_rebuilds_a_corrupt_cache(tmp_path, planted_root, monkeypatch):
    calls: list[list[str]] = []
    monkeypatch.setattr(dedup, "hash_files", hash_in_process(calls))
    layout = copy_data(planted_root, tmp_path)
    first = dedup.find_duplicates(layout, ["lvis", "objects365"])
    assert first.n_hashed == first.n_files - 3 and first.n_cached == 0  # the 3 missing files are never hashed
    again = dedup.find_duplicates(layout, ["lvis", "objects365"])
    assert again.n_hashed == 0 and calls[-1] == [] and again.n_cached == first.n_files - 3
    assert again.pairs.equals(first.pairs)
    # a changed file (new mtime) and a new source: only those are hashed
    changed = layout.data_root / read_planted(layout.data_root)[0]["val_file"]
    os.utime(changed, ns=(1_000_000_000, 1_000_000_000))
    third = dedup.find_duplicates(layout, ["lvis", "objects365", "openimages"])
    oi = {p for p in calls[-1] if "/openimages/" in p}
    assert set(calls[-1]) - oi <= {str(changed)} and len(oi) > 0
    assert third.n_hashed == len(calls[-1])
    # a damaged cache is rebuilt, with a note, and gives the same pairs
    cache = layout.store / "_dedup" / dedup.CACHE_NAME
    cache.write_bytes(cache.read_bytes()[:100])
    fourth = dedup.find_duplicates(layout, ["lvis", "objects365", "openimages"])
    assert fourth.n_cached == 0 and fourth.notes and "rebuilt" in fourth.notes[0]
    assert fourth.pairs.equals(third.pairs)
    assert dedup.load_cache(cache)[1] is None  # rewritten whole


def test_against_folder_images_are_reference_and_their_train_duplicates_leak(tmp_path, planted_root, monkeypatch):
    monkeypatch.setattr(dedup, "hash_files", hash_in_process())
    layout = copy_data(planted_root, tmp_path)
    train_file = next(p for p in (layout.data_root / "objects365" / "train").rglob("*.jpg"))
    ref = tmp_path / "bench_test"
    ref.mkdir()
    shutil.copy(train_file, ref / "copy.jpg")
    result = dedup.find_duplicates(layout, ["objects365"], dedup.parse_against([f"bench={ref}"]))
    leaks = dedup.leaks(result.pairs)
    row = leaks[leaks["file"] == train_file.relative_to(layout.data_root).as_posix()]
    assert row["duplicate_of"].tolist() == ["bench reference"]
    assert row["duplicate_file"].tolist() == [str((ref / "copy.jpg").resolve())]  # outside the data root: absolute


def test_parse_against_rejects_malformed_values(tmp_path):
    with pytest.raises(dedup.ConfigError, match="NAME=DIR"):
        dedup.parse_against(["nodir"])
    with pytest.raises(dedup.ConfigError, match="not a folder"):
        dedup.parse_against([f"x={tmp_path / 'nope'}"])


# --- merge --dedup -------------------------------------------------------------------------------


def test_merge_dedup_drops_train_duplicates_of_val_with_their_boxes_counted(tmp_path, planted_root, monkeypatch):
    monkeypatch.setattr(dedup, "hash_files", hash_in_process())
    layout = copy_data(planted_root, tmp_path)
    plain = run(layout, ["lvis", "oi", "o365"], tmp_path / "plain")
    result = run(layout, ["lvis", "oi", "o365"], tmp_path / "out", dedup=True)
    report = json.loads((tmp_path / "out" / "merge_report.json").read_text())
    assert report["reconciles"] and dedup.REASON in report["drop_reasons"]
    planted_train = {r["train_file"] for r in read_planted(layout.data_root)}
    dropped_images = sum(v["images"] for v in report["dedup"]["train_dropped"].values())
    assert dropped_images == len(planted_train)
    for source, splits in report["sources"].items():
        before = plain.report["sources"][source]["train"]
        after = splits["train"]
        n_boxes = after["merge_dropped"].get(dedup.REASON, 0)
        assert n_boxes == report["dedup"]["train_dropped"][source]["boxes"]
        assert after["exported"] == before["exported"] - n_boxes
        assert after["images_exported"] == before["images_exported"] - report["dedup"]["train_dropped"][source]["images"]
        assert splits["val"]["merge_dropped"].get(dedup.REASON, 0) == 0
    exported = set()
    for name in ("bigdet_lvis_train.json", "bigdet_oid_train.json", "bigdet_obj_train.json"):
        doc = json.loads((tmp_path / "out" / "annotations" / name).read_text())
        exported |= {im["file_name"] for im in doc["images"]}
        assert {a["image_id"] for a in doc["annotations"]} <= {im["id"] for im in doc["images"]}
    assert not exported & planted_train
    assert report["dedup"]["unreadable_images"] == 3
    assert result.report["dedup"]["pairs"]["exact"] == sum(r["modification"] == "exact" for r in read_planted(layout.data_root))


# --- Ray end to end ------------------------------------------------------------------------------


def bigdet(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bigdet", *args], capture_output=True, text=True, env=env, timeout=600)


def test_dedup_command_on_embedded_ray_writes_the_pairs_and_reuses_the_cache(tmp_path, planted_root):
    pytest.importorskip("ray")
    layout = copy_data(planted_root, tmp_path)
    args = ["dedup", "--data-root", str(layout.data_root), "--store", str(layout.store), "--sources", "lvis", "oi", "o365"]
    first = bigdet(*args)
    assert first.returncode == 0, first.stderr + first.stdout
    table = pq.read_table(layout.store / "_dedup" / "duplicates.parquet")
    assert table.column_names[:8] == ["file_a", "file_b", "source_a", "split_a", "source_b", "split_b", "kind", "distance"]
    pairs = set(zip(table.column("file_a").to_pylist(), table.column("file_b").to_pylist()))
    assert pairs == planted_pairs(layout.data_root)
    assert "3 image files missing or unreadable" in first.stdout and "FileNotFoundError" in first.stdout
    assert "leaks" in first.stdout
    second = bigdet(*args, "--out", str(tmp_path / "again.parquet"))
    assert second.returncode == 0, second.stderr
    assert " 0 hashed" in second.stdout
    assert pq.read_table(tmp_path / "again.parquet").equals(table)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "ray start --head exited"
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    raise AssertionError(f"no Ray head on port {port} after {seconds} s")


def test_dedup_runs_on_the_ray_cluster_given_by_address(tmp_path, planted_root):
    """A local head node (``ray start --head --block``, ended by its process id afterwards) stands in
    for a cluster: the command joins it as a driver and leaves it running."""
    pytest.importorskip("ray")
    layout = copy_data(planted_root, tmp_path)
    port = free_port()
    address = f"127.0.0.1:{port}"
    ray_tmp = tempfile.mkdtemp(prefix="bdray", dir="/tmp")  # short: Ray's socket paths must fit 107 bytes
    # token authentication (on by default in recent Ray) is the cluster owner's set-up, not under test here
    env = {**os.environ, "RAY_TMPDIR": ray_tmp, "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "disabled"}
    ray_cli = Path(sys.executable).with_name("ray")
    head = subprocess.Popen(
        [str(ray_cli), "start", "--head", "--block", f"--port={port}", "--num-cpus=1", "--include-dashboard=false"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True,
    )
    probe = f"import ray; ray.init(address='{address}', log_to_driver=False); from ray._private.state import state; print(len(state.job_table()))"
    args = ["dedup", "--data-root", str(layout.data_root), "--store", str(layout.store), "--sources", "lvis", "oi", "o365"]
    try:
        wait_for_port(port, head)
        done = bigdet(*args, "--ray-address", address, env=env)
        assert done.returncode == 0, done.stderr + done.stdout
        pairs = pd.read_parquet(layout.store / "_dedup" / "duplicates.parquet")
        assert set(zip(pairs["file_a"], pairs["file_b"])) == planted_pairs(layout.data_root)
        # the cluster outlived the command, and its job table holds the dedup run besides this probe
        jobs = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=300)
        assert jobs.returncode == 0, jobs.stderr
        assert int(jobs.stdout.strip().splitlines()[-1]) == 2
    finally:
        head.terminate()  # --block: the head's own processes go with it
        try:
            head.wait(timeout=60)
        except subprocess.TimeoutExpired:
            head.kill()
        shutil.rmtree(ray_tmp, ignore_errors=True)
