"""The merge ingests sources, and builds their parts, side by side when they are small next to the
memory (build._ingest_all, build._build_parts): the store and the output must be exactly those of
one at a time, and a reader's failure must reach the caller."""

from __future__ import annotations

import shutil
import threading

import pyarrow.parquet as pq
import pytest

from bigdet import build
from bigdet.build import run
from bigdet.errors import InputError
from bigdet.layout import Layout

from .test_coco_export import GOLDEN, digests


def store_contents(store):
    out = {}
    for source in ("lvis", "openimages", "objects365"):
        folder = (store / source).resolve()  # a link to the current version
        for path in sorted(folder.rglob("*.parquet")):
            out[f"{source}/{path.relative_to(folder)}"] = pq.read_table(path).to_pylist()
    return out


def threads_used(monkeypatch, function: str):
    """The names of the threads ``build.<function>`` runs on during the test."""
    names = set()
    original = getattr(build, function)

    def recorded(*args, **kwargs):
        names.add(threading.current_thread().name)
        return original(*args, **kwargs)

    monkeypatch.setattr(build, function, recorded)
    return names


@pytest.mark.parametrize("memory", [0, 1 << 40])
def test_ingest_side_by_side_or_one_at_a_time_stores_the_same(tmp_path, synth_root, monkeypatch, memory):
    monkeypatch.setattr(build, "_available_memory", lambda: memory)
    names, builds = threads_used(monkeypatch, "ingest"), threads_used(monkeypatch, "build_part")
    layout = Layout(data_root=synth_root, store=tmp_path / "store")
    result = run(layout, ["lvis", "oi", "o365"], tmp_path / "out", workers=2)
    assert digests(result.out, synth_root) == GOLDEN["default"]
    if memory:  # room for all: the three readers ran on two threads, and the parts were built on threads,
        # some on a reader's thread while another source was still being read
        assert len(names) == 2 and "MainThread" not in names
        assert len(builds) >= 2 and "MainThread" not in builds and builds & names
    else:  # no room: read one at a time on the caller's thread; parts built one at a time on the builder's
        # thread while the files whose parts are built are written (the merge stage beside the export)
        assert names == {"MainThread"} and builds == {"build_0"}
    reference = Layout(data_root=synth_root, store=tmp_path / "reference")
    for source in ("lvis", "oi", "o365"):
        build.ingest(source, reference)
    assert store_contents(layout.store) == store_contents(reference.store)


def test_sources_read_one_at_a_time_have_their_parts_built_beside_the_next_ingest(tmp_path, synth_root, monkeypatch):
    """Inputs too big to read side by side (faked) but parts small: each source but the last is built on a
    thread of its own while the next one is read; the output is the same."""
    monkeypatch.setattr(build, "_available_memory", lambda: 1 << 40)
    monkeypatch.setattr(build, "_input_bytes", lambda layout, source: 1 << 45)
    names, builds = threads_used(monkeypatch, "ingest"), threads_used(monkeypatch, "build_part")
    result = run(Layout(data_root=synth_root, store=tmp_path / "store"), ["lvis", "oi", "o365"], tmp_path / "out", workers=2)
    assert digests(result.out, synth_root) == GOLDEN["default"]
    assert names == {"MainThread"}
    assert "early build_0" in builds and "MainThread" not in builds


def test_a_damaged_file_read_side_by_side_stops_the_merge_naming_it(tmp_path, synth_root, monkeypatch):
    monkeypatch.setattr(build, "_available_memory", lambda: 1 << 40)
    data = tmp_path / "data"
    shutil.copytree(synth_root, data, symlinks=True)
    lvis = next((data / "lvis").glob("*train*.json"))
    lvis.write_bytes(lvis.read_bytes()[:-200])  # cut short
    with pytest.raises(InputError, match=lvis.name):
        run(Layout(data_root=data, store=tmp_path / "store"), ["lvis", "oi", "o365"], tmp_path / "out", workers=2)
    assert not (tmp_path / "out").exists()


def test_a_build_failing_beside_the_writing_stops_the_merge(tmp_path, synth_root, monkeypatch):
    """One part at a time (no memory for more), files written as their parts are built: a build that
    fails (here Objects365 train, after the Open Images file was started) stops the run, and no output is
    left; the builds not started are dropped."""
    monkeypatch.setattr(build, "_available_memory", lambda: 0)
    original, started = build.build_part, []

    def failing(store, source, split, *args, **kwargs):
        started.append((source, split))
        if (source, split) == ("objects365", "train"):
            raise RuntimeError("a build failed")
        return original(store, source, split, *args, **kwargs)

    monkeypatch.setattr(build, "build_part", failing)
    with pytest.raises(RuntimeError, match="a build failed"):
        run(Layout(data_root=synth_root, store=tmp_path / "store"), ["lvis", "oi", "o365"], tmp_path / "out", workers=2)
    assert not (tmp_path / "out").exists()
    assert ("objects365", "val") not in started  # dropped, not built after the failure


def fake_system(tmp_path, cgroup_lines: str, files: dict[str, str]):
    proc, cgroups = tmp_path / "proc", tmp_path / "cgroup"
    (proc / "self").mkdir(parents=True)
    (proc / "meminfo").write_text("MemTotal: 131072000 kB\nMemAvailable: 100000000 kB\n")
    (proc / "self" / "cgroup").write_text(cgroup_lines)
    for name, text in files.items():
        (cgroups / name).parent.mkdir(parents=True, exist_ok=True)
        (cgroups / name).write_text(text)
    return proc, cgroups


@pytest.mark.parametrize("layout", ["v2", "v1"])
def test_the_memory_gate_counts_a_containers_limit_not_the_hosts_memory(tmp_path, layout):
    """A 16 GiB container on a host with ~95 GiB available: side by side only within the container's room."""
    gib = 1 << 30
    if layout == "v2":
        proc, cgroups = fake_system(tmp_path, "0::/job\n", {"job/memory.max": str(16 * gib), "job/memory.current": str(4 * gib)})
    else:
        proc, cgroups = fake_system(tmp_path, "4:memory:/job\n0::/\n", {
            "memory/memory.limit_in_bytes": "9223372036854771712", "memory/memory.usage_in_bytes": str(40 * gib),
            "memory/job/memory.limit_in_bytes": str(16 * gib), "memory/job/memory.usage_in_bytes": str(4 * gib)})
    assert build._available_memory(proc, cgroups) == 12 * gib
    unlimited, _ = fake_system(tmp_path / "free", "0::/\n", {"memory.max": "max", "memory.current": "1"})
    assert build._available_memory(unlimited, tmp_path / "free" / "cgroup") == 100000000 * 1024


@pytest.mark.parametrize("workers", [1, 2])
def test_a_chunk_parse_failing_on_a_worker_reaches_the_reader_in_file_order(tmp_path, monkeypatch, workers):
    """read_document parses chunks on worker threads while it walks: a failure in one of them (here the
    third chunk's) is raised to the caller, and the tables of a good run are in file order."""
    import json as json_module

    from bigdet.sources import cocojson, objects365

    doc = {"images": [{"id": i, "width": 100, "height": 100, "file_name": f"images/v1/patch0/{i}.jpg"} for i in range(1, 400)],
           "annotations": [{"id": i, "image_id": 1 + i % 399, "category_id": 1, "bbox": [1, 2, 3, 4]} for i in range(1, 800)],
           "categories": [{"id": 1, "name": "Person"}]}
    path = tmp_path / "zhiyuan_objv2_train.json"
    path.write_text(json_module.dumps(doc))
    read = cocojson.read_document(path, objects365.IMAGE_FIELDS, objects365.BOX_FIELDS, 2000, workers=workers)
    assert read.images.column("id").to_pylist() == list(range(1, 400))
    assert read.boxes.column("id").to_pylist() == list(range(1, 800))
    assert read.boxes.column("_index").to_pylist() == list(range(799))

    calls = [0]
    original = cocojson.parse_chunk

    def failing(chunk, *args, **kwargs):
        calls[0] += 1
        if calls[0] == 3:
            raise InputError(path, "a parse failure on a worker")
        return original(chunk, *args, **kwargs)

    monkeypatch.setattr(cocojson, "parse_chunk", failing)
    with pytest.raises(InputError, match="a parse failure on a worker"):
        cocojson.read_document(path, objects365.IMAGE_FIELDS, objects365.BOX_FIELDS, 2000, workers=workers)


@pytest.mark.parametrize("workers", [1, 2, 8])
def test_the_first_error_in_the_file_is_reported_whatever_the_workers(tmp_path, workers):
    """A damaged record in a chunk already handed to a worker comes before damage the walk meets later
    (here the file is cut short): the record is the error, at any number of workers."""
    import json as json_module

    from bigdet.sources import cocojson, objects365

    images = ",".join(json_module.dumps({"id": i, "width": 10, "height": 10, "file_name": f"p/{i}.jpg"}) for i in range(1, 50))
    boxes = ",".join(json_module.dumps({"id": i, "image_id": 1, "category_id": 1, "bbox": [1, 2, 3, 4]}) for i in range(200))
    text = '{"images": [' + images + ',{"id": 0, "width": tru, "height": 1, "file_name": "x"}], "annotations": [' + boxes + '], "categories": [{"id":1,"name":"a"}]'
    path = tmp_path / "zhiyuan_objv2_train.json"
    path.write_text(text)  # no closing brace
    with pytest.raises(InputError, match=r'"images"\[49\]: invalid JSON'):
        cocojson.read_document(path, objects365.IMAGE_FIELDS, objects365.BOX_FIELDS, 5000, workers=workers)
