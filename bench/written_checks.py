"""Micro bench of the merge's check of written chunks (issue 11): CPU time to format and to check one
100,000-annotation chunk (Objects365-like: two boolean attributes, 2-decimal boxes) and one
10,000-image chunk (~300 negative ids of 601 classes per image), with the token check
(``validate.check_formatted``) and with the parse-back it replaced (pyarrow's JSON reader, taken
from git at ``--old``), in the same process. Prints the figures; RESULTS.md quotes them.

    .venv/bin/python bench/written_checks.py [--old 4157545] [--repeat 5]
"""

from __future__ import annotations

import argparse
import subprocess
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

from bigdet.exporters import coco, record
from bigdet.merge import Part
from bigdet.validate import check_formatted


def old_checks(commit: str) -> dict:
    """``_check_annotation_records`` / ``_check_image_records`` of the parse-back check, from git."""
    text = subprocess.run(["git", "show", f"{commit}:bigdet/validate.py"], capture_output=True, text=True, check=True, cwd=Path(__file__).parent).stdout
    source = text[text.index("def _parse_records") :]
    namespace = {"np": np, "pa": pa, "pc": pa.compute, "record": record, "true_cells": coco.true_cells}
    exec(compile(source, f"{commit}:bigdet/validate.py", "exec"), namespace)
    return namespace


def annotation_chunk(n: int, rng) -> Part:
    boxes = {
        "image_index": np.sort(rng.integers(0, n // 13, n)),
        "category_id": rng.integers(1, 601, n).astype(np.int32),
        **{k: np.round(rng.random(n) * 600, 2) for k in ("x", "y", "w", "h")},
        "iscrowd": rng.random(n) < 0.01,
        "is_fake": rng.random(n) < 0.02,
        "is_reflected": rng.random(n) < 0.02,
    }
    boxes["area"] = boxes["w"] * boxes["h"]
    images = {"width": np.full(n // 13, 2000.0), "height": np.full(n // 13, 2000.0)}
    return Part("objects365", "train", images, boxes, *[np.zeros((0, 2), np.int64)] * 2, None, np.zeros((0, 2), np.int64))


def cpu(fn, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.process_time()
        out = fn()
        best = min(best, time.process_time() - start)
    return best * 1000, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", default="4157545", help="a commit with the parse-back check")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    old = old_checks(args.old)
    rng = np.random.default_rng(7)

    part = annotation_chunk(100_000, rng)
    chunks = []

    def fmt_annotations():
        ids = coco.IdRange()
        chunks.clear()
        chunks.extend(coco._annotation_chunks(part, np.arange(1, 10**6), ids))  # joined by the writer: the check rejoins
        return chunks[0]

    t_fmt, chunk = cpu(fmt_annotations, args.repeat)
    t_new, problems = cpu(lambda: check_formatted("bench", "annotations", chunk), args.repeat)
    assert problems == [], problems
    expected = {k: v for k, v in chunk.columns.items() if k != "bbox"} | {t.name: t.values for t in chunk.tokens if t.kind == "member"}
    t_old, problems = cpu(lambda: old["_check_annotation_records"]("bench", chunk.records, expected), args.repeat)
    assert problems == [], problems
    size = len(bytes(coco.joined(chunk.records))) / 1e6
    print(f"annotations, 100,000 ({size:.1f} MB): format {t_fmt:.0f} ms, parse-back check {t_old:.0f} ms, token check {t_new:.0f} ms")

    n, width = 10_000, 601
    neg = rng.random((n, width)) < 0.5
    nex = rng.random((n, width)) < 0.01
    nex &= ~neg
    columns = {
        "id": np.arange(1, n + 1),
        "file_name": pa.array([f"objects365/train/patch{k % 50}/objects365_v2_{k:08d}.jpg" for k in range(n)]),
        "width": rng.integers(300, 2000, n),
        "height": rng.integers(300, 2000, n),
        "source_image_id": pa.array([str(k) for k in range(n)]),
        "source": "objects365",
        "neg_category_ids": neg,
        "not_exhaustive_category_ids": nex,
    }
    t_fmt, chunk = cpu(lambda: coco.format_records(record.IMAGE, columns), args.repeat)
    t_ids, _ = cpu(lambda: coco.id_list_text(neg), args.repeat)
    t_new, problems = cpu(lambda: check_formatted("bench", "images", chunk), args.repeat)
    assert problems == [], problems
    expected = {k: v for k, v in columns.items() if k not in record.LABEL_SETS}
    expected["source"] = pa.array(["objects365"] * n, pa.string())
    t_old, problems = cpu(lambda: old["_check_image_records"]("bench", chunk.records, expected, neg, nex), args.repeat)
    assert problems == [], problems
    size = len(bytes(coco.joined(chunk.records))) / 1e6
    print(f"images, 10,000 ({size:.1f} MB): format {t_fmt:.0f} ms (negative id lists {t_ids:.0f} ms), parse-back check {t_old:.0f} ms, token check {t_new:.0f} ms")


if __name__ == "__main__":
    main()
