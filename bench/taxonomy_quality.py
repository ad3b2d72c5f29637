"""Taxonomy quality: matcher accuracy on the hand-checked samples, and coverage of each source.

    .venv/bin/python bench/taxonomy_quality.py [--write-results]

Accuracy is the automatic matcher's (no overrides) on ``tests/data/taxonomy_gold.csv`` (180 classes,
also used while tuning) and ``tests/data/taxonomy_heldout.csv`` (80 classes judged after tuning).
Coverage uses the shipped tables (with overrides): classes mapped, and the share of instances that
land in the label space: LVIS from its real ``instance_count``; Open Images and Objects365 from the
generator's class frequencies (``bigdet synth``: real class lists, synthetic long-tailed counts).
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

from bigdet.synth import objects365 as synth_o365  # noqa: E402
from bigdet.synth import openimages as synth_oi  # noqa: E402
from taxonomy import mapping, reference, targets  # noqa: E402

from results import replace_section  # noqa: E402


def judged(name: str) -> list[dict]:
    with open(HERE.parent / "tests" / "data" / name, encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def accuracy(rows, tables) -> tuple[int, int, list]:
    wrong = [r for r in rows if tables[r["source"]][r["source_name"]]["target"] != r["target"]]
    return len(rows) - len(wrong), len(rows), wrong


def frequencies(source: str) -> dict[int, float]:
    if source == "lvis_v1":
        return {c["id"]: c["instance_count"] for c in reference.lvis_categories()}
    if source == "openimages":
        names = [n for _, n in reference.openimages_classes()]
        w = synth_oi.class_weights(names, np.random.default_rng(0 + 600))
        return {i + 1: float(w[i]) for i in range(len(names))}
    w = synth_o365.zipf_weights(365, 0.9)
    return {i + 1: float(w[i]) for i in range(365)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write-results", action="store_true")
    args = ap.parse_args()
    space = targets.bigdet600()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        mapping.write_tables(mapping.build(space, overrides=False), Path(tmp), space)
        automatic = {s: {r["source_name"]: r for r in mapping.read_table(s, Path(tmp))} for s in mapping.SOURCES}
    build_seconds = time.perf_counter() - start
    lines = []
    for name, label in (("taxonomy_gold.csv", "gold sample (used in tuning)"), ("taxonomy_heldout.csv", "held-out sample")):
        ok, n, wrong = accuracy(judged(name), automatic)
        names = ", ".join(f"{w['source_name']} ({w['source']})" for w in wrong)
        lines.append(f"| {label} | {n} | {ok} | {ok / n:.1%} | {names} |")
    coverage = []
    for source in mapping.SOURCES:
        rows = mapping.read_table(source)
        freq = frequencies(source)
        total = sum(freq.values())
        mapped = [r for r in rows if r["target"]]
        share = sum(freq[int(r["source_category_id"])] for r in mapped) / total
        basis = "real instance_count" if source == "lvis_v1" else "generator frequencies"
        coverage.append(f"| {source} | {len(rows)} | {len(mapped)} | {share:.1%} ({basis}) |")
    targets_hit = {r["target"] for s in mapping.SOURCES for r in mapping.read_table(s) if r["target"]}
    text = "\n".join(
        [
            "## Taxonomy",
            "",
            f"`bench/taxonomy_quality.py`, {time.strftime('%Y-%m-%d')}. Automatic matcher (no overrides) against hand-checked targets; "
            f"a full `taxonomy build` takes {build_seconds:.1f} s.",
            "",
            "| sample | classes | right | accuracy | wrong |",
            "|---|---|---|---|---|",
            *lines,
            "",
            "Coverage of the shipped tables (with overrides):",
            "",
            "| source | classes | mapped | instances landing in the 600 |",
            "|---|---|---|---|",
            *coverage,
            "",
            f"{len(targets_hit)} of the 600 targets receive at least one source class.",
            "",
        ]
    )
    print(text)
    if args.write_results:
        replace_section("## Taxonomy", text)


if __name__ == "__main__":
    main()
