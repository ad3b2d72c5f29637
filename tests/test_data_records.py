"""bigdet.data's record file, format 2: a label set is stored either as its ids or as its source's template
(the sorted ids of that source's lists) without a few positions. Items against the parquet rows read with
pyarrow (both ``contiguous_ids`` settings), the choice per list, random lists (hypothesis), and a cache of
the previous format rebuilt."""

from __future__ import annotations

import json
import os
import random
import struct
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bigdet.data as data
from bigdet.data import HEADER, XYWH_ABS, BigDetDataset
from bigdet.exporters import export

from .test_data_loader import _parquet_rows
from .test_export_formats import merged_output


@pytest.fixture(scope="module")
def exported(tmp_path_factory, synth_root) -> Path:
    merged = merged_output(tmp_path_factory, synth_root)
    return export(merged, "parquet", tmp_path_factory.mktemp("pq") / "parquet", shard_bytes=20_000, row_group=50).dest


def _stored_as(ds: BigDetDataset) -> list[tuple[int, int, int, int]]:
    """Per record: (negative ids, their template code, not-exhaustive ids, their template code) as stored."""
    out = []
    for row in range(len(ds)):
        start = int(ds._starts[row])
        _, _, _, _, nn, nx, _, _, tn, tx = HEADER.unpack_from(os.pread(ds._fd, HEADER.size, start))
        out.append((nn, tn, nx, tx))
    return out


@pytest.mark.parametrize("contiguous", [False, True])
def test_every_item_equals_its_parquet_row_with_either_id_setting(exported, contiguous):
    """Each item, in a shuffled order, against the pyarrow row (ids mapped to their index among the sorted
    categories with ``contiguous_ids``): values and Python types. The export stores label sets both ways."""
    root = json.loads((exported / "export_report.json").read_text())["image_root"].rstrip("/") + "/"
    index = {c["id"]: k for k, c in enumerate(sorted(json.loads((exported / "categories.json").read_text()), key=lambda c: c["id"]))}
    to = index.__getitem__ if contiguous else (lambda k: k)
    kinds = set()
    for split in ("train", "val"):
        ds = BigDetDataset(exported, split, contiguous_ids=contiguous)
        rows = _parquet_rows(exported, split)
        stored = _stored_as(ds)
        kinds |= {("template" if code else "raw", n > 0) for s in stored for n, code in ((s[0], s[1]), (s[2], s[3]))}
        assert len(ds) == len(rows)
        order = list(range(len(rows)))
        random.Random(11).shuffle(order)
        for k in order:
            row, item = rows[k], ds[k]
            want = {
                "file_name": root + row["file_name"],
                "height": row["height"],
                "width": row["width"],
                "image_id": row["image_id"],
                "annotations": [{"bbox": list(b), "bbox_mode": XYWH_ABS, "category_id": to(c), "iscrowd": z}
                                for b, c, z in zip(row["bbox"], row["category_id"], row["iscrowd"], strict=True)],
                "neg_category_ids": [to(c) for c in row["neg_category_ids"]],
                "not_exhaustive_category_ids": [to(c) for c in row["not_exhaustive_category_ids"]],
                "source": row["source"],
            }
            assert list(item) == list(want)
            for key, value in want.items():
                assert item[key] == value, (split, k, key, stored[k])
            assert all(type(v) is int for key in ("neg_category_ids", "not_exhaustive_category_ids") for v in item[key])
            assert all(type(a["category_id"]) is int and [type(v) for v in a["bbox"]] == [float] * 4 for a in item["annotations"])
            # a fresh list each time, not the template: a trainer may change an item in place
            item["neg_category_ids"].append(-1)
            assert ds[k]["neg_category_ids"] == want["neg_category_ids"]
    # both ways of storing a list, non-empty, are read here (Objects365 negatives against a template)
    assert {("template", True), ("raw", True)} <= kinds


def _encode(lists: list[list[int]], sources: list[int], templates: dict) -> tuple[list, list, list]:
    lengths = np.array([len(x) for x in lists], dtype=np.int64)
    values = np.array([v for x in lists for v in x], dtype=np.int64)
    stored, code, flat = data._label_set(lengths, values, np.array(sources, dtype=np.uint8), 0, templates, np.uint16, Path("x.parquet"))
    ends = np.cumsum(stored)
    return stored.tolist(), code.tolist(), [flat[e - n : e].tolist() for n, e in zip(stored, ends)]


def test_a_list_is_stored_against_its_template_only_when_that_is_shorter():
    templates = {(0, 0): np.array([3, 5, 7, 9, 11]), (0, 1): np.array([3]), (1, 0): np.array([5, 7])}
    lists = [
        [3, 5, 7, 9, 11],  # the template whole: nothing left out (0 stored values, template 1)
        [3, 5, 9, 11],  # one position left out (2): shorter than 4 ids
        [3, 7, 9],  # two left out (4, 1: largest first), against 3 ids
        [5, 7],  # three left out against two ids: raw
        [7],  # source 1 (template [5, 7]): one left out against one id: raw
        [9, 3, 5, 7],  # not increasing: not a subsequence of the sorted template: raw
        [3, 3, 5, 7, 9],  # a repeated id: raw
        [],  # empty: raw, nothing stored
        [5, 7],  # source 1, its whole template: nothing stored, template 3 (numbered in (source, label set) order)
    ]
    sources = [0, 0, 0, 0, 1, 0, 0, 0, 1]
    stored, code, values = _encode(lists, sources, templates)
    assert code == [1, 1, 1, 0, 0, 0, 0, 0, 3]
    assert stored == [0, 1, 2, 2, 1, 4, 5, 0, 0]
    assert values == [[], [2], [4, 1], [5, 7], [7], [9, 3, 5, 7], [3, 3, 5, 7, 9], [], []]


def _write_export(folder: Path, rows: list[dict], categories: list[int]) -> Path:
    """A minimal parquet export (the columns the loader reads) of ``rows``."""
    (folder / "data").mkdir(parents=True)
    table = pa.table({
        "image_id": pa.array([r["image_id"] for r in rows], pa.int64()),
        "file_name": pa.array([r["file_name"] for r in rows], pa.string()),
        "width": pa.array([640] * len(rows), pa.int32()),
        "height": pa.array([480] * len(rows), pa.int32()),
        "source": pa.array([r["source"] for r in rows], pa.string()),
        "neg_category_ids": pa.array([r["neg"] for r in rows], pa.list_(pa.int32())),
        "not_exhaustive_category_ids": pa.array([r["nex"] for r in rows], pa.list_(pa.int32())),
        "category_id": pa.array([r["cats"] for r in rows], pa.list_(pa.int32())),
        "bbox": pa.array([[[1.5, 2.0, 3.0, 4.25]] * len(r["cats"]) for r in rows], pa.list_(pa.list_(pa.float64()))),
        "iscrowd": pa.array([[0] * len(r["cats"]) for r in rows], pa.list_(pa.int8())),
    })
    pq.write_table(table, folder / "data" / "train-00000-of-00001.parquet")
    (folder / "categories.json").write_text(json.dumps([{"id": c, "name": f"c{c}"} for c in categories]))
    (folder / "export_report.json").write_text(json.dumps({"format": "parquet", "image_root": "/img", "shards": {"train": ["train-00000-of-00001.parquet"]}}))
    return folder


_IDS = st.sampled_from([1, 2, 3, 40, 255, 256, 257, 300, 1000, 4000])
_LIST = st.one_of(
    st.lists(_IDS, max_size=12),  # anything: unsorted, repeated
    st.lists(_IDS, max_size=12, unique=True).map(sorted),  # increasing: a subsequence of the template
    st.sets(_IDS).map(lambda left_out: [k for k in (1, 2, 3, 40, 255, 256, 257, 300, 1000, 4000) if k not in left_out]),  # template minus a few
)
_ROW = st.fixed_dictionaries({"source": st.sampled_from(["lvis", "openimages", "objects365"]), "neg": _LIST, "nex": _LIST,
                              "cats": st.lists(_IDS, max_size=3)})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(_ROW, min_size=1, max_size=25), batch=st.integers(1, 30))
def test_random_label_sets_read_back_exactly_both_id_settings(tmp_path_factory, monkeypatch, rows, batch):
    monkeypatch.setattr(data, "CACHE_BATCH_ROWS", batch)  # templates from every batch, records in any batch
    categories = [1, 2, 3, 40, 255, 256, 257, 300, 1000, 4000]
    rows = [{**r, "image_id": k, "file_name": f"{k}.jpg"} for k, r in enumerate(rows)]
    folder = _write_export(tmp_path_factory.mktemp("random"), rows, categories)
    for contiguous in (False, True):
        to = categories.index if contiguous else (lambda k: k)
        ds = BigDetDataset(folder, "train", contiguous_ids=contiguous)
        assert len(ds) == len(rows)
        for k, r in enumerate(rows):
            item = ds[k]
            assert item["neg_category_ids"] == [to(c) for c in r["neg"]]
            assert item["not_exhaustive_category_ids"] == [to(c) for c in r["nex"]]
            assert [a["category_id"] for a in item["annotations"]] == [to(c) for c in r["cats"]]
            assert (item["source"], item["image_id"], item["file_name"]) == (r["source"], k, f"/img/{k}.jpg")


def _format_1_set(folder: Path, cache: Path, split: str) -> None:
    """The record set the previous format (1) wrote for ``split``: header ``<qiiIHHHB5x`` (no template codes)
    and the label sets as their ids, uint16; its key names format 1."""
    report = json.loads((folder / "export_report.json").read_text())
    shards = [folder / "data" / n for n in report["shards"][split]]
    rows = [r for s in shards for r in pq.read_table(s).to_pylist()]
    sources = list(dict.fromkeys(r["source"] for r in rows))
    blob, starts, sizes = bytearray(), [0], []
    for r in rows:
        name = r["file_name"].encode()
        nb = len(r["bbox"])
        blob += struct.pack("<qiiIHHHB5x", r["image_id"], r["width"], r["height"], nb, len(r["neg_category_ids"]),
                            len(r["not_exhaustive_category_ids"]), len(name), sources.index(r["source"]))
        blob += struct.pack(f"<{4 * nb}d", *(v for b in r["bbox"] for v in b)) + struct.pack(f"<{nb}i", *r["category_id"])
        blob += struct.pack(f"<{len(r['neg_category_ids'])}H", *r["neg_category_ids"])
        blob += struct.pack(f"<{len(r['not_exhaustive_category_ids'])}H", *r["not_exhaustive_category_ids"])
        blob += bytes(r["iscrowd"]) + name
        blob += bytes(-len(blob) % 8)
        starts.append(len(blob))
        sizes.append((nb, min(r["width"], r["height"])))
    cache.mkdir(parents=True, exist_ok=True)
    (cache / f"{split}.records").write_bytes(bytes(blob))
    np.save(cache / f"{split}.index.npy", np.array(starts, dtype=np.uint64))
    np.save(cache / f"{split}.sizes.npy", np.array(sizes, dtype=np.int32).reshape(-1, 2))
    key = [1, [[p.name, p.stat().st_size, p.stat().st_mtime_ns] for p in shards]]
    (cache / f"{split}.meta.json").write_text(json.dumps({"key": key, "sources": sources, "id_type": "H", "images": len(rows)}))


def test_a_cache_of_the_previous_format_is_rebuilt(exported, tmp_path):
    cache = tmp_path / "cache"
    _format_1_set(exported, cache, "train")
    old = (cache / "train.records").stat().st_ino
    ds = BigDetDataset(exported, "train", cache_dir=cache)
    assert (cache / "train.records").stat().st_ino != old  # built again, swapped in
    assert json.loads((cache / "train.meta.json").read_text())["key"][0] == data.FORMAT_VERSION == 2
    assert [d for d in ds] == [d for d in BigDetDataset(exported, "train")]
    assert [d["neg_category_ids"] for d in ds] == [r["neg_category_ids"] for r in _parquet_rows(exported, "train")]
