"""``bigdet eval``: score a detector on a merged val set (or any COCO detection json).

Two protocols (see ``protocols``): ``coco``, equal to pycocotools' COCOeval, and ``federated``,
equal to lvis-api's LVISEval plus COCO's crowd regions. Both are computed by ``engine`` on numpy
columns; ``ground_truth`` and ``detections`` read the inputs streaming; ``report`` writes the HTML.
``evaluate`` is the one entry point the CLI calls.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import detections, ground_truth, protocols
from .protocols import PROTOCOLS, ProtocolResult

__all__ = ["Evaluation", "evaluate", "PROTOCOLS"]


@dataclass
class Evaluation:
    gt_path: Path
    predictions_path: Path
    gt: ground_truth.GroundTruth
    results: dict[str, ProtocolResult]
    seconds: dict[str, float] = field(default_factory=dict)

    def as_json(self, per_class: bool = False) -> dict:
        """The object ``--json`` prints: protocols left out by ``--protocol`` are left out."""
        out: dict = {name: dict(r.overall) for name, r in self.results.items()}
        sources = [s for s in ground_truth.SOURCES if any(s in r.per_source for r in self.results.values())]
        sources += [s for r in self.results.values() for s in r.per_source if s not in sources]
        out["per_source"] = {s: {name: dict(r.per_source[s]) for name, r in self.results.items() if s in r.per_source} for s in sources}
        if per_class:
            out["per_class"] = self.per_class()
        return out

    def per_class(self) -> list[dict]:
        gt = self.gt
        rows = []
        for k in range(gt.n_categories):
            row = {
                "id": int(gt.category_ids[k]),
                "name": gt.category_names[k],
                "frequency": ground_truth.FREQUENCIES[gt.frequency[k]],
            }
            if gt.train_images is not None:
                row["train_images"] = int(gt.train_images[k])
            for name, r in self.results.items():
                row[name] = float(r.per_class_ap[k])
            rows.append(row)
        return rows


def evaluate(predictions: Path, gt: Path, protocol: str = "all", *, train_files: list[Path] | None = None) -> Evaluation:
    """Read ``gt`` (merged output folder or COCO json) and ``predictions`` (results json or
    Parquet), check every detection, and run the chosen protocols ("coco", "federated", "all")."""
    if protocol not in (*PROTOCOLS, "all"):
        from ..errors import ConfigError

        raise ConfigError(f"unknown protocol {protocol!r}; use coco, federated or all")
    chosen = PROTOCOLS if protocol == "all" else (protocol,)
    seconds = {}
    with ThreadPoolExecutor(2) as pool:
        t = time.perf_counter()
        truth = ground_truth.load(gt, pool=pool, train_files=train_files)
        seconds["read ground truth"] = time.perf_counter() - t
        t = time.perf_counter()
        raw = detections.read(predictions, pool=pool)
        seconds["read detections"] = time.perf_counter() - t
    scored = detections.resolve(raw, truth, Path(predictions))
    del raw
    results = {}
    for name in chosen:
        t = time.perf_counter()
        results[name] = protocols.run(name, truth, scored)
        seconds[name] = time.perf_counter() - t
    return Evaluation(truth.path, Path(predictions), truth, results, seconds)
