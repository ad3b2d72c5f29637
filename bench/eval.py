"""Benchmark: ``bigdet eval`` side by side with pycocotools, faster-coco-eval and lvis-api.

    .venv/bin/python bench/eval.py --out MERGED_OUT [--pred PRED.json] [--skip TOOL ...] [--write-results]

On the merged val set of MERGED_OUT (``bigdet synth --scale S`` + ``bigdet merge``) and a fake
detector's output (``bigdet synth-predictions``, 100 detections per image, written if --pred is
missing). Every tool runs in its own process (wall time = load + evaluate + accumulate +
summarize; peak = its maximum resident memory) and its numbers are compared with bigdet's:

* coco: pycocotools COCOeval, faster-coco-eval COCOeval_faster, ``bigdet eval --protocol coco``;
* federated: lvis-api LVISEval, faster-coco-eval with ``lvis_style=True``, ``bigdet eval
  --protocol federated``, all on a copy of the val file made for lvis-api (crowd boxes removed:
  lvis-api has no crowd rule; every category given bigdet's frequency bucket); plus bigdet on the
  merged file itself (with its crowd regions).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from results import replace_section  # noqa: E402

COCO_KEYS = ("AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "ARs", "ARm", "ARl")
LVIS_KEYS = ("AP", "AP50", "AP75", "APs", "APm", "APl", "APr", "APc", "APf", "AR@300", "ARs@300", "ARm@300", "ARl@300")


def one(tool: str, gt: str, pred: str) -> dict:
    """Run one tool in this process; return its numbers and phase times."""
    import numpy as np

    np.float = float  # lvis-api 0.5.3
    t0 = time.perf_counter()
    phases = {}
    quiet = contextlib.redirect_stdout(io.StringIO())
    if tool == "pycocotools":
        from pycocotools.coco import COCO
        from pycocotools.cocoeval import COCOeval

        with quiet:
            g = COCO(gt)
            d = g.loadRes(pred)
            phases["load"] = time.perf_counter() - t0
            e = COCOeval(g, d, "bbox")
            e.evaluate()
            phases["evaluate"] = time.perf_counter() - t0 - phases["load"]
            e.accumulate()
            e.summarize()
        numbers = dict(zip(COCO_KEYS, map(float, e.stats)))
    elif tool in ("faster-coco-eval", "faster-coco-eval-lvis"):
        from faster_coco_eval import COCO, COCOeval_faster

        lvis_style = tool.endswith("lvis")
        with quiet:
            g = COCO(gt)
            d = g.loadRes(pred)
            phases["load"] = time.perf_counter() - t0
            e = COCOeval_faster(g, d, "bbox", lvis_style=lvis_style, print_function=lambda *a: None)
            if lvis_style:
                e.params.maxDets = [300]
            e.evaluate()
            e.accumulate()
            e.summarize()
        stats = e.stats_as_dict
        if lvis_style:
            names = {"AP": "AP_all", "AP50": "AP_50", "AP75": "AP_75", "APs": "AP_small", "APm": "AP_medium", "APl": "AP_large",
                     "APr": "APr", "APc": "APc", "APf": "APf", "AR@300": "AR_300", "ARs@300": "AR_small", "ARm@300": "AR_medium", "ARl@300": "AR_large"}
        else:
            names = {"AP": "AP_all", "AP50": "AP_50", "AP75": "AP_75", "APs": "AP_small", "APm": "AP_medium", "APl": "AP_large",
                     "AR1": "AR_1", "AR10": "AR_10", "AR100": "AR_100", "ARs": "AR_small", "ARm": "AR_medium", "ARl": "AR_large"}
        numbers = {k: float(stats[v]) if v in stats else None for k, v in names.items()}
    elif tool == "lvis-api":
        import logging

        from lvis import LVIS, LVISEval, LVISResults

        logging.disable(logging.WARNING)
        g = LVIS(gt)
        d = LVISResults(g, pred)
        phases["load"] = time.perf_counter() - t0
        e = LVISEval(g, d, "bbox")
        e.run()
        numbers = {k: float(v) for k, v in e.get_results().items()}
    elif tool.startswith("bigdet-"):
        from bigdet.eval import evaluate

        protocol = tool.split("-", 1)[1]
        r = evaluate(pred, gt, protocol)
        phases = r.seconds
        numbers = r.as_json()[protocol]
    else:
        raise SystemExit(f"unknown tool {tool}")
    return {"numbers": numbers, "phases": phases}


def run(tool: str, gt: Path, pred: Path) -> tuple[float, float, int, dict]:
    """Wall time, CPU time (user + system: what the tool costs, whatever else loads the machine),
    peak resident memory and the tool's output, from its own process."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--one", tool, "--gt", str(gt), "--pred", str(pred)], stdout=subprocess.PIPE)
    output = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    cpu = usage.ru_utime + usage.ru_stime
    if os.waitstatus_to_exitcode(status) != 0:
        return wall, cpu, usage.ru_maxrss * 1024, {"failed": output[-500:]}
    return wall, cpu, usage.ru_maxrss * 1024, json.loads(output.strip().splitlines()[-1])


def lvis_ready(val: Path, out: Path) -> None:
    from bigdet.eval import ground_truth

    gt = ground_truth.load(val.parent.parent if val.parent.name == "annotations" else val)
    doc = json.loads(val.read_text())
    doc["annotations"] = [a for a in doc["annotations"] if not a.get("iscrowd")]
    for c, f in zip(sorted(doc["categories"], key=lambda c: c["id"]), gt.frequency):
        c["frequency"] = "rcf"[f]
    out.write_text(json.dumps(doc))


def link_train_files(out: Path, dest: Path) -> None:
    (dest / "annotations").mkdir(parents=True, exist_ok=True)
    for train in (out / "annotations").glob("*_train.json"):
        link = dest / "annotations" / train.name
        if not link.exists():
            link.symlink_to(train.resolve())


def subset(out: Path, every: int, pred: Path, dest: Path, dest_pred: Path) -> None:
    """Every ``every``-th image of ``out``'s val set with its boxes and its detections in ``pred``,
    next to links to ``out``'s train files (so the frequency buckets stay the same): a side by side
    that pycocotools finishes on a loaded machine."""
    doc = json.loads((out / "annotations" / "bigdet_val.json").read_text())
    doc["images"] = doc["images"][::every]
    keep = {im["id"] for im in doc["images"]}
    doc["annotations"] = [a for a in doc["annotations"] if a["image_id"] in keep]
    link_train_files(out, dest)
    (dest / "annotations" / "bigdet_val.json").write_text(json.dumps(doc))
    partial = dest_pred.with_suffix(".partial")
    partial.write_text(json.dumps([d for d in json.loads(pred.read_text()) if d["image_id"] in keep]))
    partial.replace(dest_pred)  # written last: its presence says the subset is complete


def replicate(out: Path, times: int, dest: Path, pred: Path | None = None, dest_pred: Path | None = None) -> None:
    """A val set ``times`` the size of ``out``'s (image and box ids shifted per copy), next to
    links to ``out``'s train files: full BigDetection val size from a small merge. With ``pred``,
    its detections are copied the same way to ``dest_pred``."""
    doc = json.loads((out / "annotations" / "bigdet_val.json").read_text())
    step_img = max(im["id"] for im in doc["images"]) + 1
    step_ann = max(a["id"] for a in doc["annotations"]) + 1
    link_train_files(out, dest)
    with open(dest / "annotations" / "bigdet_val.json", "w") as f:
        head = {k: v for k, v in doc.items() if k not in ("images", "annotations")}
        f.write(json.dumps(head)[:-1] + ', "images": [')
        f.write(", ".join(json.dumps({**im, "id": im["id"] + k * step_img}) for k in range(times) for im in doc["images"]))
        f.write('], "annotations": [')
        f.write(", ".join(json.dumps({**a, "id": a["id"] + k * step_ann, "image_id": a["image_id"] + k * step_img})
                          for k in range(times) for a in doc["annotations"]))
        f.write("]}")
    if pred is not None:
        dets = json.loads(pred.read_text())
        partial = dest_pred.with_suffix(".partial")
        with open(partial, "w") as f:
            f.write("[")
            for k in range(times):
                f.write((", " if k else "") + ", ".join(json.dumps({**d, "image_id": d["image_id"] + k * step_img}) for d in dets))
            f.write("]")
        partial.replace(dest_pred)  # a run stopped half-way leaves no file that looks finished


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--one")
    ap.add_argument("--gt")
    ap.add_argument("--pred", type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--skip", nargs="*", default=[])
    ap.add_argument("--label", default="")
    ap.add_argument("--replicate", type=int, default=1, help="score a val set this many times the size of --out's (bigdet only)")
    ap.add_argument("--subset", type=int, default=1, help="score every N-th image of --out's val set (and its detections)")
    ap.add_argument("--work", type=Path, help="where derived files go (default: next to --out)")
    ap.add_argument("--write-results", action="store_true")
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.gt, str(args.pred))))
        return
    work = args.work or args.out.parent
    work.mkdir(parents=True, exist_ok=True)
    if args.subset > 1:
        small = work / f"{args.out.name}-every{args.subset}"
        small_pred = work / f"{args.out.name}-every{args.subset}-pred.json"
        if not small_pred.exists():
            source_pred = args.pred or args.out.parent / (args.out.name + "-pred.json")
            subset(args.out, args.subset, source_pred, small, small_pred)
        args.out, args.pred = small, small_pred
    if args.replicate > 1:
        big = work / f"{args.out.name}-x{args.replicate}"
        big_pred = work / f"{args.out.name}-x{args.replicate}-pred.json" if args.pred else None
        if not (big / "annotations" / "bigdet_val.json").exists() or (big_pred and not big_pred.exists()):
            replicate(args.out, args.replicate, big, args.pred, big_pred)
        args.out, args.pred = big, big_pred
        args.skip = list(set(args.skip) | {"pycocotools", "faster-coco-eval", "lvis-api", "faster-coco-eval-lvis"})
    val = args.out / "annotations" / "bigdet_val.json"
    pred = args.pred or work / (args.out.name + "-pred.json")
    if not pred.exists():
        subprocess.run([sys.executable, "-m", "bigdet", "synth-predictions", str(args.out), "--out", str(pred)], check=True)
    lvis_gt = work / (args.out.name + "-val-for-lvis-api.json")
    if not lvis_gt.exists() and args.replicate == 1:
        lvis_ready(val, lvis_gt)
    with open(pred, "rb") as f:
        n_det = sum(chunk.count(b'"score"') for chunk in iter(lambda: f.read(1 << 24), b""))
    plan = [
        ("coco", "pycocotools", val), ("coco", "faster-coco-eval", val), ("coco", "bigdet-coco", args.out),
        ("federated", "lvis-api", lvis_gt), ("federated", "faster-coco-eval-lvis", lvis_gt), ("federated", "bigdet-federated", lvis_gt),
        ("federated (merged file, crowd regions)", "bigdet-federated", args.out),
    ]
    rows = []
    reference = {}
    for protocol, tool, gt in plan:
        if tool in args.skip or (args.replicate > 1 and gt == lvis_gt):
            continue
        wall, cpu, rss, res = run(tool, gt, pred)
        if "failed" in res:
            print(f"{tool}: failed after {wall:.0f} s, peak {rss / 2**30:.2f} GiB: {res['failed']}", flush=True)
            rows.append((protocol, tool, wall, cpu, rss, None, "failed"))
            continue
        numbers = res["numbers"]
        if tool in ("pycocotools", "lvis-api"):
            reference[protocol] = numbers
        ref = reference.get(protocol)
        diff = max(abs(numbers[k] - ref[k]) for k in ref if numbers.get(k) is not None) if ref and protocol in reference else None
        rows.append((protocol, tool, wall, cpu, rss, numbers["AP"], diff))
        print(f"{protocol:10} {tool:24} {wall:7.1f} s  cpu {cpu:7.1f} s  peak {rss / 2**30:5.2f} GiB  AP {numbers['AP']:.4f}  "
              f"max |diff| to reference {diff if diff is None else f'{diff:.2e}'}  phases {res['phases']}", flush=True)
    if args.write_results:
        base = {r[0]: r for r in rows if r[1] in ("pycocotools", "lvis-api") and r[5] is not None}
        title = f"## Eval{', ' + args.label if args.label else ''}"
        lines = [
            title, "",
            f"`bench/eval.py`, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores (shared with other jobs): {val} and "
            f"`bigdet synth-predictions` output ({n_det:,} detections). Each row is one process: wall = load + evaluate + "
            "accumulate + summarize, cpu = its user + system CPU time (the fairer measure on a shared machine), peak = its maximum resident "
            "memory; speed-up = the reference's wall (cpu) over the row's; diff = the largest difference of its numbers to the "
            "reference's (pycocotools for coco, lvis-api for federated).",
            "",
            "| protocol | tool | wall | cpu | speed-up wall (cpu) | peak memory | AP | max diff to reference |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for protocol, tool, wall, cpu, rss, apv, diff in rows:
            b = base.get(protocol.split()[0])
            speed = f"{b[2] / wall:.1f}x ({b[3] / cpu:.1f}x)" if b else "-"
            lines.append(f"| {protocol} | {tool} | {wall:.1f} s | {cpu:.1f} s | {speed} | {rss / 2**30:.2f} GiB | "
                         f"{'-' if apv is None else f'{apv:.4f}'} | {'-' if diff is None else diff if isinstance(diff, str) else f'{diff:.1e}'} |")
        replace_section(title, "\n".join(lines))


if __name__ == "__main__":
    main()
