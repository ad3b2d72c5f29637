"""bigdet.data: detectron2-style dicts from a parquet export, memory-mapped and picklable; the detectron2 and
MMDetection helpers (against fake modules with their documented interfaces: neither is installed here)."""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
import types
from pathlib import Path

import pytest

from bigdet.data import XYWH_ABS, BigDetDataset, register_detectron2, to_mmdet
from bigdet.errors import InputError
from bigdet.exporters import export

from .test_export_formats import merged_output


@pytest.fixture(scope="module")
def merged(tmp_path_factory, synth_root) -> Path:
    return merged_output(tmp_path_factory, synth_root)


@pytest.fixture(scope="module")
def exported(merged, tmp_path_factory) -> Path:
    # small shards and cache batches: items must be found across several of each
    return export(merged, "parquet", tmp_path_factory.mktemp("pq") / "parquet", shard_bytes=20_000, row_group=50).dest


@pytest.fixture(scope="module")
def coco(merged) -> dict:
    images, anns = {}, {}
    for path in sorted((merged / "annotations").glob("*.json")):
        doc = json.loads(path.read_text())
        split = "val" if path.stem.endswith("val") else "train"
        for im in doc["images"]:
            images[im["id"]] = (split, im)
            anns[im["id"]] = []
        for a in doc["annotations"]:
            anns[a["image_id"]].append(a)
        root, categories = doc["image_root"], doc["categories"]
    return {"images": images, "anns": anns, "root": root, "categories": categories}


def expected(coco, image_id) -> dict:
    split, im = coco["images"][image_id]
    return {
        "file_name": coco["root"].rstrip("/") + "/" + im["file_name"],
        "height": im["height"],
        "width": im["width"],
        "image_id": image_id,
        "annotations": [{"bbox": a["bbox"], "bbox_mode": XYWH_ABS, "category_id": a["category_id"], "iscrowd": a["iscrowd"]} for a in coco["anns"][image_id]],
        "neg_category_ids": im["neg_category_ids"],
        "not_exhaustive_category_ids": im["not_exhaustive_category_ids"],
        "source": im["source"],
    }


def test_items_are_the_merged_json_as_detectron2_dicts(exported, coco, monkeypatch):
    monkeypatch.setattr("bigdet.data.CACHE_BATCH_ROWS", 37)  # several mapped batches
    for split in ("train", "val"):
        ds = BigDetDataset(exported, split)
        ids = sorted(i for i, (s, _) in coco["images"].items() if s == split)
        assert len(ds) == len(ids)
        assert [d["image_id"] for d in ds] == ids  # the merge's order
        for d in ds:
            assert d == expected(coco, d["image_id"])
        assert ds[-1] == ds[len(ds) - 1]
        with pytest.raises(IndexError):
            ds[len(ds)]


def _parquet_rows(folder: Path, split: str) -> list[dict]:
    """The split's rows as pyarrow reads the export's shards, in order (the reference for the items)."""
    import pyarrow.parquet as pq

    report = json.loads((folder / "export_report.json").read_text())
    return [row for name in report["shards"][split] for row in pq.read_table(folder / "data" / name).to_pylist()]


def test_every_item_equals_its_parquet_row_field_by_field_with_python_types(exported):
    """Each item, read in a shuffled order, against the pyarrow row: every key and value, and the type of
    every value (float box coordinates, int ids and flags, str names; ``==`` alone lets 1 equal 1.0)."""
    import random

    root = json.loads((exported / "export_report.json").read_text())["image_root"].rstrip("/") + "/"
    for split in ("train", "val"):
        ds = BigDetDataset(exported, split)
        rows = _parquet_rows(exported, split)
        assert len(ds) == len(rows) and any(r["bbox"] for r in rows) and any(r["neg_category_ids"] for r in rows)
        order = list(range(len(rows)))
        random.Random(5).shuffle(order)
        for k in order:
            row, item = rows[k], (ds[k] if k % 2 else ds[k - len(rows)])  # negative indices too
            want = {
                "file_name": root + row["file_name"],
                "height": row["height"],
                "width": row["width"],
                "image_id": row["image_id"],
                "annotations": [{"bbox": list(b), "bbox_mode": XYWH_ABS, "category_id": c, "iscrowd": z}
                                for b, c, z in zip(row["bbox"], row["category_id"], row["iscrowd"], strict=True)],
                "neg_category_ids": row["neg_category_ids"],
                "not_exhaustive_category_ids": row["not_exhaustive_category_ids"],
                "source": row["source"],
            }
            assert list(item) == list(want)  # the same keys in the same order
            for key, value in want.items():
                assert item[key] == value, (split, k, key)
            assert [type(item[key]) for key in want] == [str, int, int, int, list, list, list, str]
            for a in item["annotations"]:
                assert list(a) == ["bbox", "bbox_mode", "category_id", "iscrowd"]
                assert [type(v) for v in a["bbox"]] == [float] * 4
                assert [type(a[key]) for key in ("bbox_mode", "category_id", "iscrowd")] == [int, int, int]
            assert all(type(v) is int for key in ("neg_category_ids", "not_exhaustive_category_ids") for v in item[key])
            # a fresh object each time: a trainer may change an item in place
            again = ds[k]
            assert again == item and again is not item and again["annotations"] is not item["annotations"]
            assert all(x is not y for x, y in zip(again["annotations"], item["annotations"]))


def test_contiguous_ids_map_boxes_and_label_sets(exported, coco):
    cats = sorted(c["id"] for c in coco["categories"])
    ds = BigDetDataset(exported, "train", contiguous_ids=True)
    raw = BigDetDataset(exported, "train")
    for k in range(len(ds)):
        a, b = ds[k], raw[k]
        assert [cats[x["category_id"]] for x in a["annotations"]] == [x["category_id"] for x in b["annotations"]]
        assert [cats[x] for x in a["neg_category_ids"]] == b["neg_category_ids"]
        assert [cats[x] for x in a["not_exhaustive_category_ids"]] == b["not_exhaustive_category_ids"]


def test_filter_drops_images_without_boxes_or_smaller_than_min_size(exported, coco):
    ds = BigDetDataset(exported, "train", keep_empty=False, min_size=300)
    want = [i for i, (s, im) in sorted(coco["images"].items()) if s == "train" and coco["anns"][i] and min(im["width"], im["height"]) >= 300]
    assert 0 < len(want) < sum(1 for s, _ in coco["images"].values() if s == "train")
    assert [d["image_id"] for d in ds] == want


def test_pickling_carries_the_arguments_not_the_data(exported):
    ds = BigDetDataset(exported, "train", keep_empty=False)
    blob = pickle.dumps(ds)
    assert len(blob) < 1000
    again = pickle.loads(blob)
    assert len(again) == len(ds) and again[3] == ds[3]


def _read_in_worker(args):
    blob, index = args
    return pickle.loads(blob)[index]


def test_a_worker_process_reads_the_same_items(exported):
    ds = BigDetDataset(exported, "train")
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        got = pool.map(_read_in_worker, [(pickle.dumps(ds), k) for k in (0, 5, len(ds) - 1)])
    assert got == [ds[0], ds[5], ds[len(ds) - 1]]


def test_the_cache_is_rebuilt_when_a_shard_changes(merged, tmp_path):
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    dest = export(merged, "parquet", tmp_path / "pq").dest
    first = BigDetDataset(dest, "val")[0]
    shard = sorted((dest / "data").glob("val-*.parquet"))[0]
    table = pq.read_table(shard)
    names = table.column("file_name")
    renamed = pc.if_else(pa.array([i == 0 for i in range(len(table))]), pa.scalar("moved/x.jpg"), names)
    pq.write_table(table.set_column(table.schema.get_field_index("file_name"), "file_name", renamed), shard)
    again = BigDetDataset(dest, "val")[0]  # same folder, same .cache: the key names the shards' sizes and times
    assert first["file_name"] != again["file_name"] and again["file_name"].endswith("/moved/x.jpg")
    assert {k: v for k, v in again.items() if k != "file_name"} == {k: v for k, v in first.items() if k != "file_name"}


def test_a_new_export_drops_the_old_cache(merged, tmp_path):
    dest = export(merged, "parquet", tmp_path / "pq").dest
    n = len(BigDetDataset(dest, "val"))
    assert (dest / ".cache" / "val.records").exists()
    export(merged, "parquet", dest, shard_bytes=10_000, row_group=10)  # the folder is replaced, cache included
    assert not (dest / ".cache").exists()
    assert len(BigDetDataset(dest, "val")) == n


def test_a_folder_that_is_not_a_parquet_export_is_one_clear_error(merged, tmp_path):
    with pytest.raises(InputError, match="no export_report.json"):
        BigDetDataset(tmp_path)
    coco_dest = export(merged, "coco", tmp_path / "coco").dest
    with pytest.raises(InputError, match="'coco' export, not parquet"):
        BigDetDataset(coco_dest)


@pytest.fixture
def fake_detectron2(monkeypatch):
    """detectron2.data's documented catalog interface: DatasetCatalog.register/get, MetadataCatalog.get(name).set(...)."""
    if "detectron2" in sys.modules or _installed("detectron2"):
        pytest.skip("the real detectron2 is installed: test_detectron2_real covers it")

    class Metadata(types.SimpleNamespace):
        def set(self, **kwargs):
            for k, v in kwargs.items():
                setattr(self, k, v)
            return self

    registry, metadata = {}, {}
    data = types.ModuleType("detectron2.data")
    data.DatasetCatalog = types.SimpleNamespace(register=lambda name, func: registry.__setitem__(name, func), get=lambda name: registry[name]())
    data.MetadataCatalog = types.SimpleNamespace(get=lambda name: metadata.setdefault(name, Metadata(name=name)))
    root = types.ModuleType("detectron2")
    root.data = data
    monkeypatch.setitem(sys.modules, "detectron2", root)
    monkeypatch.setitem(sys.modules, "detectron2.data", data)
    return data


def _installed(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def test_register_detectron2_gives_contiguous_dicts_and_metadata(exported, coco, fake_detectron2):
    register_detectron2("bigdet_train", exported, "train", keep_empty=False)
    ds = fake_detectron2.DatasetCatalog.get("bigdet_train")
    meta = fake_detectron2.MetadataCatalog.get("bigdet_train")
    cats = sorted(coco["categories"], key=lambda c: c["id"])
    assert meta.thing_classes == [c["name"] for c in cats]
    assert meta.thing_dataset_id_to_contiguous_id == {c["id"]: k for k, c in enumerate(cats)}
    first = ds[0]
    raw = expected(coco, first["image_id"])
    assert [a["category_id"] for a in first["annotations"]] == [meta.thing_dataset_id_to_contiguous_id[a["category_id"]] for a in raw["annotations"]]
    assert all(len(d["annotations"]) for d in ds)  # the option reached the dataset


def test_to_mmdet_gives_xyxy_instances_with_crowd_ignored(exported, coco):
    ds = BigDetDataset(exported, "train", contiguous_ids=True)
    record = next(d for d in ds if any(a["iscrowd"] for a in d["annotations"]))
    info = to_mmdet(record, 7)
    assert info["img_path"] == record["file_name"] and info["img_id"] == record["image_id"] and info["sample_idx"] == 7
    for inst, a in zip(info["instances"], record["annotations"]):
        x, y, w, h = a["bbox"]
        assert inst == {"bbox": [x, y, x + w, y + h], "bbox_label": a["category_id"], "ignore_flag": int(a["iscrowd"])}
    assert any(i["ignore_flag"] for i in info["instances"])


@pytest.fixture
def fake_mmdet(monkeypatch):
    """mmdet 3.x's documented pieces the helper uses: mmdet.datasets.BaseDetDataset (mmengine's BaseDataset:
    __init__ keeps ann_file and metainfo and calls full_init unless lazy_init) and mmdet.registry.DATASETS."""
    if _installed("mmdet"):
        pytest.skip("the real mmdet is installed")

    class BaseDetDataset:
        def __init__(self, ann_file="", metainfo=None, serialize_data=True, pipeline=(), lazy_init=False, **kwargs):
            self.ann_file, self._metainfo, self.serialize_data = ann_file, dict(metainfo or {}), serialize_data
            self._fully_initialized = False
            if not lazy_init:
                self.full_init()

        @property
        def metainfo(self):
            return dict(self._metainfo)

    registered = {}
    datasets_mod = types.ModuleType("mmdet.datasets")
    datasets_mod.BaseDetDataset = BaseDetDataset
    registry_mod = types.ModuleType("mmdet.registry")
    registry_mod.DATASETS = types.SimpleNamespace(register_module=lambda name, module, force: registered.__setitem__(name, module))
    root = types.ModuleType("mmdet")
    for name, mod in (("mmdet", root), ("mmdet.datasets", datasets_mod), ("mmdet.registry", registry_mod)):
        monkeypatch.setitem(sys.modules, name, mod)
    return registered


def test_register_mmdet_serves_data_infos_from_the_mapped_file(exported, coco, fake_mmdet):
    from bigdet.data import register_mmdet

    cls = register_mmdet()
    assert fake_mmdet["BigDetParquetDataset"] is cls
    ds = cls(ann_file=str(exported), split="train", bigdet_options={"keep_empty": False}, pipeline=[])
    ref = BigDetDataset(exported, "train", contiguous_ids=True, keep_empty=False)
    assert len(ds) == len(ref) and not ds.serialize_data
    assert ds.get_data_info(4) == to_mmdet(ref[4], 4)
    assert ds.metainfo["classes"] == tuple(c["name"] for c in sorted(coco["categories"], key=lambda c: c["id"]))


def test_items_are_read_without_mapping_the_record_file(exported):
    """Random reads must not map the split's records: a mapped file's touched pages (and the kernel's
    fault-around) count in every worker's resident memory; pread leaves them in the shared page cache."""
    ds = BigDetDataset(exported, "train")
    for k in range(0, len(ds), 7):
        ds[k]
    maps = Path("/proc/self/maps").read_text()
    assert str(ds.path.resolve()) not in maps and ds.path.name not in maps
    assert ds.path.name.endswith(".records")


def test_label_set_ids_that_do_not_fit_16_bits_are_stored_wide(exported, tmp_path):
    import shutil

    wide = tmp_path / "wide"
    shutil.copytree(exported, wide)
    cats = json.loads((wide / "categories.json").read_text())
    (wide / "categories.json").write_text(json.dumps(cats + [{"id": 70_000, "name": "far away"}]))
    narrow_ds, wide_ds = BigDetDataset(exported, "train"), BigDetDataset(wide, "train", cache_dir=tmp_path / "cache")
    assert (narrow_ds._id_format, wide_ds._id_format) == ("H", "i")
    assert [wide_ds[k] for k in range(len(wide_ds))] == [narrow_ds[k] for k in range(len(narrow_ds))]


# -- the record cache: one build's set, the same bytes in every process --------------------------

def _python(code: str, *args, env: dict | None = None, wait: bool = True):
    """``code`` run by a new interpreter (its own hash seed, locks and death), with ``args`` in sys.argv[1:]."""
    command = [sys.executable, "-c", code, *map(str, args)]
    env = {**os.environ, **(env or {})}
    if wait:
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _cache_files(cache: Path, split: str) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(cache.glob(f"{split}.*")) if p.suffix != ".lock" and p.is_file()}


_SOURCES_BY_SEED = """
import json, sys
from bigdet.data import BigDetDataset
print(json.dumps([d["source"] for d in BigDetDataset(sys.argv[1], "train", cache_dir=sys.argv[2])]))
"""


def test_the_record_cache_is_the_same_file_whatever_the_hash_seed(exported, coco, tmp_path):
    runs = {seed: _python(_SOURCES_BY_SEED, exported, tmp_path / seed, env={"PYTHONHASHSEED": seed}, wait=False) for seed in ("1", "2", "3")}
    sources = {}
    for seed, run in runs.items():
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        sources[seed] = json.loads(out)
    ids = sorted(i for i, (s, _) in coco["images"].items() if s == "train")
    want = [coco["images"][i][1]["source"] for i in ids]
    assert len(set(want)) >= 2  # codes of several sources to order
    assert sources["1"] == sources["2"] == sources["3"] == want
    files = {seed: _cache_files(tmp_path / seed, "train") for seed in runs}
    assert sorted(files["1"]) == ["train.index.npy", "train.meta.json", "train.records", "train.sizes.npy"]
    assert files["1"] == files["2"] == files["3"]
    # codes in order of first appearance
    assert json.loads(files["1"]["train.meta.json"])["sources"] == list(dict.fromkeys(want))


# builds with 32-bit label-set ids (another set of bytes than the reader's own build would be) and stops
# after its first replaced file until told to go on
_PAUSED_BUILD = """
import os, sys, time
from pathlib import Path
import bigdet.data as data
folder, flags = sys.argv[1], Path(sys.argv[2])
init = data.RecordFile.__init__
data.RecordFile.__init__ = lambda self, folder, split, shards, cache_dir, top: init(self, folder, split, shards, cache_dir, 1 << 20)
replace = os.replace
def paused_replace(a, b):
    replace(a, b)
    if not (flags / "paused").exists():
        (flags / "paused").touch()
        while not (flags / "go").exists():
            time.sleep(0.01)
os.replace = paused_replace
data.BigDetDataset(folder, "val")
"""


def test_a_reader_opening_during_a_build_waits_for_it_and_reads_its_complete_set(merged, coco, tmp_path):
    dest = export(merged, "parquet", tmp_path / "pq").dest
    flags = tmp_path / "flags"
    flags.mkdir()
    builder = _python(_PAUSED_BUILD, dest, flags, wait=False)
    try:
        deadline = time.monotonic() + 120
        while not (flags / "paused").exists():
            assert builder.poll() is None, builder.communicate()[1]
            assert time.monotonic() < deadline
            time.sleep(0.02)
        opened = []
        reader = threading.Thread(target=lambda: opened.append(BigDetDataset(dest, "val")))
        reader.start()
        reader.join(1.0)
        assert reader.is_alive()  # waits for the build's lock: neither reads half a swap nor builds its own
        (flags / "go").touch()
        assert builder.wait(timeout=120) == 0, builder.communicate()[1]
        reader.join(120)
    finally:
        (flags / "go").touch()
        builder.wait(timeout=120)
    ids = sorted(i for i, (s, _) in coco["images"].items() if s == "val")
    (ds,) = opened
    assert ds._id_format == "i"  # the builder's set (32-bit ids), not a second build
    assert list(ds) == [expected(coco, i) for i in ids]
    again = BigDetDataset(dest, "val")
    assert again._id_format == "i" and list(again) == [expected(coco, i) for i in ids]


_KILLED_BUILD = """
import os, signal, sys
import bigdet.data as data
folder, stage = sys.argv[1], sys.argv[2]
calls = [0]
def killed_at(n, real):
    def call(*args):
        if calls[0] == n:
            os.kill(os.getpid(), signal.SIGKILL)
        calls[0] += 1
        return real(*args)
    return call
if stage == "writing":
    data.CACHE_BATCH_ROWS = 10
    data._records = killed_at(1, data._records)  # the second batch of records
else:
    os.replace = killed_at(int(stage), os.replace)  # before the stage-th file of the set is swapped in
data.BigDetDataset(folder, "val")
"""


@pytest.mark.parametrize("stage", ["writing", "0", "1", "2", "3"])
def test_a_build_killed_at_any_point_leaves_the_old_complete_set_or_none(merged, coco, tmp_path, stage):
    dest = export(merged, "parquet", tmp_path / "pq").dest
    cache = dest / ".cache"
    BigDetDataset(dest, "val")
    old = _cache_files(cache, "val")
    shard = sorted((dest / "data").glob("val-*.parquet"))[0]
    st = shard.stat()
    os.utime(shard, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # the shards changed: the set is rebuilt
    run = _python(_KILLED_BUILD, dest, stage)
    assert run.returncode == -signal.SIGKILL, run.stderr
    now = _cache_files(cache, "val")
    assert "val.meta.json" not in now or now == old  # no meta says no set
    ids = sorted(i for i, (s, _) in coco["images"].items() if s == "val")
    assert list(BigDetDataset(dest, "val")) == [expected(coco, i) for i in ids]  # rebuilt whole
    assert not (cache / "val.building").exists()
