"""The main job: ingest what is missing, merge, export COCO files, validate, report.

Output (``OUT/``, a link switched in one atomic step to a new version only when it is valid; see
``bigdet.outputs``)::

    annotations/bigdet_lvis_train.json, bigdet_oid_train.json, bigdet_obj_train.json, bigdet_val.json
                (or, with combined=True, bigdet_train.json and bigdet_val.json);
                a user's dataset (``--sources NAME=PATH``): bigdet_NAME_train.json, its val in bigdet_val.json
    mappings/NAME.csv     the mapping table each user dataset was merged with
    cas_weights.json      per-image class-aware sampling weights of the train files
    merge_report.json     per source and split: boxes read, rejected at ingest, dropped at merge, exported

The same inputs and options give byte-identical output: sources are always processed in the order
lvis, openimages, objects365, then users' datasets by name (``sources.registry.ordered``), whatever order
they are asked in, and nothing time-dependent is written.
"""

from __future__ import annotations

import gc
import json
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from bigdet.taxonomy import hierarchy as tax_hierarchy
from bigdet.taxonomy import targets as tax_targets

from . import __version__
from .errors import BigdetError, ConfigError
from .exporters import coco, record
from .ingest import IngestReport, ingest
from .layout import Layout
from .merge import DROP_REASONS, Part, _unique_pairs, ancestor_table, build_part, class_map, mapping_rows
from . import rollup
from .sources import registry
from .outputs import VersionedDir, checkpoint, os_error, refuse_overlap, store_lock
from .store import Store
from .validate import WrittenChecks, validate
from .workers import mix64, text_key
from .workers import resolve as resolve_workers

FILE_NAMES = {s.name: s.train_file for s in registry.BUILTIN}
IMAGE_DIRS = {s.name: s.image_folder for s in registry.BUILTIN}
SPLITS = ("train", "val")


@dataclass
class MergeResult:
    out: Path
    seconds: dict[str, float]
    report: dict
    ingest: list[IngestReport] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    peaks: dict[str, float] = field(default_factory=dict)  # process peak memory (GiB) at the end of each stage
    notes: list[str] = field(default_factory=list)  # leftovers of earlier runs that could not be removed


def image_prefixes(layout: Layout) -> tuple[Path, dict[str, str]]:
    """One image root for every file (detectron2 takes one per dataset) and each source's path under it."""
    root = layout.data_root.resolve()
    prefixes = {}
    for row in [*registry.BUILTIN, *(registry.user_source(d) for d in layout.datasets.values())]:
        source, folder = row.name, registry.image_dir(row, layout, _first_file_name(layout, row)).resolve()
        try:
            prefixes[source] = folder.relative_to(root).as_posix() + "/"
        except ValueError:  # outside the data root: an absolute path
            prefixes[source] = folder.as_posix() + "/"
    return root, prefixes


def _first_file_name(layout: Layout, row: registry.Source) -> str | None:
    """A dataset's first stored image path, to tell which folder its file names are relative to."""
    if row.dataset is None:
        return None
    store = Store(layout.store)
    manifest = store.manifest(row.name)
    if not manifest or not manifest["splits"]:
        return None
    names = store.table(row.name, next(iter(manifest["splits"])), "images", ["file_name"]).column("file_name")
    return names[0].as_py() if len(names) else None


def categories(label_space, tree: tax_hierarchy.Hierarchy) -> list[dict]:
    out = []
    for t in label_space:
        parents = [label_space.by_name[p].id for p in tree.parents(t.name) if p in label_space.by_name]
        groups = tree.group_ancestors(t.name)
        out.append(
            {
                "id": t.id,
                "name": t.name,
                "synset": t.synset,
                "supercategory": groups[0] if groups else tax_hierarchy.ROOT,
                "parent_ids": parents,
                "groups": groups,
            }
        )
    return out


def holdout(parts: list[Part], size: int, exclude: np.ndarray | None = None) -> list[bool]:
    """Per train image (concatenated in part order): True if drawn into the held-out val. Images
    marked in ``exclude`` (same order) are never drawn.

    Deterministic across runs and machines: images are ranked by ``mix64`` of (source, image id);
    first, for every class from the rarest up that has at least two train images, its lowest-ranked
    image is taken (so rare classes are represented), then the lowest-ranked images fill up to ``size``.
    """
    ranks, classes = [], []
    for part in parts:
        ranks.append(mix64(mix64(part.images["image_id"]) ^ text_key(part.source)))
        classes.append(part.boxes["image_index"] + sum(p.n_images for p in parts[: len(classes)]))
    rank = np.concatenate(ranks) if ranks else np.zeros(0, dtype=np.uint64)
    ok = np.concatenate([p.images["ok"] for p in parts]) if parts else np.zeros(0, dtype=bool)
    if exclude is not None:
        ok = ok & ~exclude
    box_img = np.concatenate(classes) if classes else np.zeros(0, dtype=np.int64)
    box_cat = np.concatenate([p.boxes["category_id"] for p in parts]) if parts else np.zeros(0, dtype=np.int32)
    chosen = np.zeros(len(rank), dtype=bool)
    size = min(size, int(ok.sum()))
    # distinct (class, image) pairs in row order, by one sort (np.unique's hash path is ~30x slower here)
    pairs = _unique_pairs(np.stack([box_cat.astype(np.int64), box_img], 1))
    starts = np.flatnonzero(np.r_[True, pairs[1:, 0] != pairs[:-1, 0]]) if len(pairs) else np.zeros(0, dtype=np.int64)
    counts = np.diff(np.r_[starts, len(pairs)])
    for k in np.argsort(counts, kind="stable"):
        if chosen.sum() >= size:
            break
        if counts[k] < 2:
            continue
        imgs = pairs[starts[k] : starts[k] + counts[k], 1]
        imgs = imgs[ok[imgs]]
        if not len(imgs) or chosen[imgs].any():
            continue
        chosen[imgs[np.argmin(rank[imgs])]] = True
    rest = np.flatnonzero(ok & ~chosen)
    fill = rest[np.argsort(rank[rest], kind="stable")][: max(0, size - int(chosen.sum()))]
    chosen[fill] = True
    return chosen


def _split_part(part: Part, moved: np.ndarray) -> tuple[Part, Part]:
    """Two parts: the images not moved, and the moved ones (relabelled as val)."""
    out = []
    for mask, split in ((~moved, part.split), (moved, "val")):
        new_index = np.cumsum(mask) - 1
        keep_box = mask[part.boxes["image_index"]]
        boxes = {k: (v[keep_box] if v is not None else None) for k, v in part.boxes.items()}
        boxes["image_index"] = new_index[part.boxes["image_index"][keep_box]]

        def sub(pairs):
            sel = mask[pairs[:, 0]] if len(pairs) else np.zeros(0, dtype=bool)
            res = pairs[sel].copy()
            res[:, 0] = new_index[res[:, 0]]
            return res

        counts = {"moved": int(mask.sum())}
        out.append(
            Part(part.source, split, {k: v[mask] for k, v in part.images.items()}, boxes, sub(part.negatives), sub(part.not_exhaustive), part.exhaustive_targets, sub(part.present), counts)
        )
    return out[0], out[1]


def run(
    layout: Layout,
    sources: list[str],
    out: Path,
    *,
    taxonomy: str = "bigdet600",
    granularity: int | None = None,
    keep: Path | None = None,
    combined: bool = False,
    holdout_size: int = 0,
    pycocotools_limit: int = 512 << 20,
    deep_validate: bool = False,
    dedup: bool = False,
    against: dict[str, Path] | None = None,
    progress: Callable[[str], None] | None = None,
    workers: int | None = None,
) -> MergeResult:
    """Merge ``sources`` into ``out``, replaced in one atomic step only when the new output is valid.

    Before any work: the options are checked, ``out`` must be bigdet's to replace and lie apart from
    the inputs and the store, and the output and the store are locked (see ``bigdet.outputs``).
    """
    order = [row.name for row in registry.ordered(sources, layout.datasets)]
    if not order:
        raise BigdetError("no sources given; use --sources lvis oi o365")
    if against and not dedup:
        raise ConfigError("--against names reference images for --dedup; add --dedup")
    if holdout_size < 0:
        raise ConfigError(f"--holdout must be 0 or more train images, not {holdout_size}")
    target = VersionedDir(out, kind="out", what="--out")
    protected = [*layout.inputs(), ("the store", layout.store)]
    if str(taxonomy) != "bigdet600":
        protected.append(("the target list", Path(taxonomy)))
    protected += [(f"--against {name}", Path(folder)) for name, folder in (against or {}).items()]
    refuse_overlap(out, "--out", protected)
    refuse_overlap(layout.store, "the store", layout.inputs())
    target.check()
    try:
        with target.staging() as staging, store_lock(layout.store):
            checkpoint("out:working")
            result = _merge(layout, order, staging, taxonomy=taxonomy, granularity=granularity, keep=keep, combined=combined,
                            holdout_size=holdout_size, dedup=dedup, against=against, pycocotools_limit=pycocotools_limit, deep_validate=deep_validate, say=progress or (lambda message: None), workers=workers)
    except OSError as e:
        raise os_error(e) from None
    result.out = Path(out)
    result.notes = target.notes
    return result


def _merge(layout: Layout, order: list[str], staging: Path, *, taxonomy: str, granularity: int | None, keep: Path | None,
           combined: bool, holdout_size: int, dedup: bool, against: dict[str, Path] | None, pycocotools_limit: int, deep_validate: bool, say: Callable[[str], None], workers: int | None) -> MergeResult:
    """The work of ``run``: everything is written into ``staging``."""
    seconds: dict[str, float] = {}
    peaks: dict[str, float] = {}
    t0 = time.perf_counter()
    try:
        label_space, derived = _label_space(taxonomy, granularity, keep)
    except (FileNotFoundError, ValueError) as e:
        raise BigdetError(str(e)) from None
    tree = tax_hierarchy.build(label_space)
    ancestors = ancestor_table(label_space, tree)
    roll = None
    if derived is not None:  # merge at 600 classes, then roll each part up (bigdet/rollup.py)
        try:
            roll = rollup.prepare(derived(label_space, tree), len(label_space))
        except (FileNotFoundError, ValueError) as e:
            raise BigdetError(str(e)) from None
    store = Store(layout.store)
    rows_of = {s: registry.get(s, layout.datasets) for s in order}
    used_tables = {}

    def jobs_of(source: str) -> list[tuple]:
        """build_part's arguments for each split of an ingested source."""
        row, manifest = rows_of[source], store.manifest(source)
        try:
            if row.dataset is None:
                rows = mapping_rows(source, manifest["version"], label_space)
            else:  # a user's dataset: its reviewed table, or the automatic one (written into the output)
                from .sources.coco import dataset_mapping

                rows = used_tables[source] = dataset_mapping(row.dataset, store.categories(source), label_space)
        except (FileNotFoundError, ValueError) as e:
            raise BigdetError(str(e)) from None
        cmap = class_map(rows)
        exhaustive = None
        if row.label_policy(manifest).exhaustive_over_classes:  # every image verified for every class of the source
            exhaustive = np.unique(cmap.target[cmap.same_meaning & (cmap.target > 0)])
        return [(store, source, split, cmap, ancestors, exhaustive, row) for split in SPLITS if split in manifest["splits"]]

    built: dict[str, list[Part]] = {}

    def build_early(source: str) -> None:
        """Beside the other sources' ingest, a small source's parts are built as soon as it is read."""
        jobs = jobs_of(source)
        if _fits_side_by_side(2 * _stored_rows(store, jobs) * BUILD_BYTES_PER_ROW):  # half the room: the others are still read
            built[source] = [build_part(*job[:-1], row=job[-1]) for job in jobs]

    reports = _ingest_all(layout, order, say, workers, then=build_early)
    seconds["ingest"] = time.perf_counter() - t0  # with the parts built beside a longer ingest
    _release_memory()  # the readers' Arrow buffers: the parts are built with numpy, outside Arrow's pool

    t0 = time.perf_counter()
    say("merge")
    # train parts first: the train files come first, and the last one can only start when they are all built
    late = sorted((job for source in order if source not in built for job in jobs_of(source)), key=lambda job: job[2] != "train")
    # At full size the parts are built one at a time (memory), leaving a core idle: there, when nothing
    # needs every part first (dedup, roll-up, holdout), each file is written as soon as its parts and those
    # of the files before it (its first ids) are built, beside the builds that follow.
    pipelined = not (dedup or roll or holdout_size) and len(late) > 1 and not _builds_fit(store, late, workers)
    submitted: dict[Future, tuple[str, str]] = {}  # pipelined: each build's Future -> its (source, split)
    if pipelined:
        builder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="build")
        built_at: list[float] = []

        failed = threading.Event()

        def build_one(job: tuple) -> Part:
            if failed.is_set():  # an earlier build failed: the run stops, nothing more is built
                raise BigdetError(f"not built: an earlier part failed ({job[1]} {job[2]})")
            try:
                part = build_part(*job[:-1], row=job[-1])
            except BaseException:
                failed.set()
                raise
            _release_memory()  # a build's Arrow tables before the next one reads its own
            built_at.append(time.perf_counter())
            peaks["merge"] = _peak_gib()
            return part

        for job in late:
            future = builder.submit(build_one, job)
            submitted[future] = (job[1], job[2])
            built.setdefault(job[1], []).append(future)
    else:
        for job, part in zip(late, _build_parts(store, late, workers)):
            built.setdefault(job[1], []).append(part)
    parts = [part for source in order for part in built.get(source, [])]
    dedup_report = dedup_pairs = None
    if dedup:  # drop train images that duplicate a val (or --against) image: bigdet/dedup.py
        from .dedup import dedup_parts

        dedup_report, dedup_pairs = dedup_parts(parts, layout, order, against, workers=workers, progress=say)
    if roll:  # after dedup, so the roll-up's label-set counts are over the images exported
        parts = [rollup.roll_up(part, roll) for part in parts]
    if holdout_size:
        train = [p for p in parts if p.split == "train"]
        paired = None
        if dedup_pairs is not None:  # a photo and its copy stay together in train
            from .dedup import train_images_with_train_copies

            paired = train_images_with_train_copies(dedup_pairs, train)
        chosen = holdout(train, holdout_size, exclude=paired)
        offset, new_parts = 0, [p for p in parts if p.split != "train"]
        for p in train:
            kept, moved = _split_part(p, chosen[offset : offset + p.n_images])
            offset += p.n_images
            kept.counts, moved.counts = p.counts, {"moved_from_train": int(moved.n_images)}
            new_parts += [kept, moved]
        parts = new_parts
    if not pipelined:
        seconds["merge"] = time.perf_counter() - t0
        peaks["merge"] = _peak_gib()
    merge_start, t0 = t0, time.perf_counter()
    root, prefixes = image_prefixes(layout)
    cats = rollup.categories(roll.derivation, tree) if roll else categories(label_space, tree)
    space_name = roll.derivation.name if roll else label_space.name
    files: dict[str, list[Part]] = {}  # (or, pipelined, a Future of each part not built yet)
    slots = [(*(submitted[p] if isinstance(p, Future) else (p.source, p.split)), p) for p in parts]
    for source, split, part in sorted(slots, key=lambda x: (x[1] != "train", order.index(x[0]))):
        name = (record.COMBINED_TRAIN_FILE if combined else rows_of[source].train_file) if split == "train" else record.VAL_FILE
        files.setdefault(name, []).append(part)
    (staging / "annotations").mkdir()
    header = {
        "info": {"description": f"bigdet merge of {', '.join(order)} onto {space_name}", "version": __version__, "label_space": space_name},
        "licenses": [],
        "categories": cats,
        "image_root": str(root),
    }
    if pipelined:
        try:
            written, problems = _write_files(staging / "annotations", files, header, prefixes, [c["id"] for c in cats], say, workers, in_file_order=True)
        finally:  # a failure: the builds not started are dropped (the one running ends on its own)
            for future in submitted:
                future.cancel()
            builder.shutdown(wait=True)
        files = {name: [_resolved(p) for p in part_slots] for name, part_slots in files.items()}
        parts = [_resolved(p) for p in parts]
        # the builds overlapped the writing: the merge stage ends with the last build, the export after it
        seconds["merge"] = max(built_at) - merge_start
        t0 = max(t0, max(built_at))
    else:
        written, problems = _write_files(staging / "annotations", files, header, prefixes, [c["id"] for c in cats], say, workers)
    seconds["export"] = time.perf_counter() - t0
    peaks["export"] = _peak_gib()
    t0 = time.perf_counter()
    _write_cas_weights(staging / "cas_weights.json", files, written)
    report = _report(parts, written, order, space_name, holdout_size)
    if used_tables:
        report["mappings"] = {source: f"mappings/{source}.csv" for source in used_tables}
    if roll:
        report["drop_reasons"].append(rollup.NO_KEPT_ANCESTOR)
        report["granularity"] = rollup.report(roll, parts)
    if dedup_report is not None:
        report["dedup"], report["drop_reasons"] = dedup_report, report["drop_reasons"] + [dedup_report["reason"]]
    if used_tables:  # the mapping each user dataset was merged with: to review, edit and pass back as --mapping
        from .sources.coco import write_mapping

        for source, table in used_tables.items():
            write_mapping(staging / "mappings" / f"{source}.csv", table)
    (staging / "merge_report.json").write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    del parts, files, written  # validation re-reads the files: free the merged arrays first
    if deep_validate:
        gc.collect()
        say("validate")
        problems += validate(staging, pycocotools_limit=pycocotools_limit, workers=workers)
    seconds["validate"] = time.perf_counter() - t0
    peaks["validate"] = _peak_gib()
    if problems:
        raise BigdetError(f"validation failed, output not written ({len(problems)} problems); first: " + "; ".join(problems[:3]))
    if not report["reconciles"]:
        raise BigdetError("internal error: merge accounting does not reconcile; output not written")
    return MergeResult(staging, seconds, report, reports, peaks=peaks)


#: Sources are ingested, and parts built, side by side only while what they hold at once stays under
#: this share of the memory available (``_fits_side_by_side``): a reader holds up to ~1.5x its input
#: (Objects365 keeps whole-file columns for its file-wide checks; 5.8 GiB for its 4.1 GB file at full
#: size), so at full size each source is read, and each part built, alone.
SIDE_BY_SIDE_MEMORY_SHARE = 1 / 8


#: Bytes the merge stage holds per stored box or image label, the parts kept and two builds' working
#: arrays (float64 box columns, image rows, hashes, sort orders): ~260 measured at --scale 0.1
#: (5.3M rows, 1.38 GiB peak with two builds at once); rounded up for headroom.
BUILD_BYTES_PER_ROW = 300


def _fits_side_by_side(nbytes: float) -> bool:
    """Whether work holding ``nbytes`` at once may run beside other work: under SIDE_BY_SIDE_MEMORY_SHARE
    of the memory this process may still take (read when asked: what earlier stages hold is counted)."""
    return nbytes <= _available_memory() * SIDE_BY_SIDE_MEMORY_SHARE


def _builds_fit(store: Store, jobs: list[tuple], workers: int | None) -> bool:
    """Whether ``_build_parts`` builds ``jobs`` side by side (CPUs and memory for it)."""
    return min(resolve_workers(workers), len(jobs)) >= 2 and _fits_side_by_side(_stored_rows(store, jobs) * BUILD_BYTES_PER_ROW)


def _build_parts(store: Store, jobs: list[tuple], workers: int | None) -> list[Part]:
    """``build_part`` of every (source, split), in ``jobs``' order; several at once (one per CPU, largest
    first) when what they hold together stays under SIDE_BY_SIDE_MEMORY_SHARE of the available memory,
    else one at a time (at full size). The parts do not depend on it."""
    threads = min(resolve_workers(workers), len(jobs))
    rows = [_stored_rows(store, [job]) for job in jobs]
    if not _builds_fit(store, jobs, workers):
        parts = []
        for job in jobs:
            parts.append(build_part(*job[:-1], row=job[-1]))
            _release_memory()  # a build's Arrow tables (the store's columns) before the next one reads its own
        return parts
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = {k: pool.submit(build_part, *jobs[k][:-1], row=jobs[k][-1]) for k in sorted(range(len(jobs)), key=lambda k: -rows[k])}
        return _results([futures[k] for k in range(len(jobs))])  # a failure reaches the caller here


def _results(futures: list) -> list:
    """Each future's result, in order. On the first failure (or an interrupt) the work not yet started is
    cancelled, so the run stops after what is running now (a thread cannot be stopped), and the failure
    is raised."""
    try:
        return [f.result() for f in futures]
    except BaseException:
        for f in futures:
            f.cancel()
        raise


def _stored_rows(store: Store, jobs: list[tuple]) -> int:
    """Boxes and image labels stored for the (source, split) of each job."""
    return sum(store.manifest(job[1])["splits"][job[2]].get(t, {}).get("stored", 0) for job in jobs for t in ("boxes", "image_labels"))


def _ingest_all(layout: Layout, order: list[str], say: Callable[[str], None], workers: int | None,
                then: Callable[[str], None] | None = None) -> list[IngestReport]:
    """Ingest every source that needs it, several at once when there are CPUs and memory for it
    (largest input first; see SIDE_BY_SIDE_MEMORY_SHARE). Reports in ``order``; outputs never depend on it.
    ``then(source)`` runs once the source is read while others are still to be read (the merge builds
    small sources' parts there): side by side, on the reader's thread; one at a time, on a thread of its
    own beside the next source's ingest."""
    threads = resolve_workers(workers)
    size = {s: _input_bytes(layout, s) for s in order}
    if threads < 2 or len(order) < 2 or not _fits_side_by_side(sum(size.values())):
        reports, follow_ups = [], []
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="early build") as beside:
            try:
                for k, source in enumerate(order):
                    say(f"ingest {source}")
                    reports.append(ingest(source, layout, workers=workers))
                    if then is not None and threads >= 2 and k < len(order) - 1:
                        follow_ups.append(beside.submit(then, source))
                _results(follow_ups)  # a build's failure reaches the caller here
            except BaseException:
                for f in follow_ups:
                    f.cancel()
                raise
        return reports

    unread = [len(order)]
    guard = threading.Lock()

    def one(source: str) -> IngestReport:
        say(f"ingest {source}")
        report = ingest(source, layout, workers=max(1, threads // min(threads, len(order))))
        with guard:
            unread[0] -= 1
            others_reading = unread[0] > 0
        if then is not None and others_reading:  # the last one leaves the CPUs to what follows
            then(source)
        return report

    with ThreadPoolExecutor(max_workers=min(threads, len(order))) as pool:
        futures = {s: pool.submit(one, s) for s in sorted(order, key=lambda s: -size[s])}
        return _results([futures[s] for s in order])  # a reader's failure reaches the caller here


def _input_bytes(layout: Layout, source: str) -> int:
    try:
        row = registry.get(source, layout.datasets)
        return sum(p.stat().st_size for p in row.module().input_files(layout))
    except (OSError, BigdetError):
        return 1 << 62  # unreadable or missing: read alone, so its error is the only one


def _available_memory(proc: Path = Path("/proc"), cgroups: Path = Path("/sys/fs/cgroup")) -> int:
    """Memory this process may still take: the system's MemAvailable, capped by the room left under
    its cgroup's limit (a container's memory limit; cgroup v2 ``memory.max``, or v1's
    ``memory.limit_in_bytes``), as CPUs are counted from the affinity mask. 0 when unknown."""
    try:
        available = next(int(line.split()[1]) * 1024 for line in (proc / "meminfo").read_text().splitlines() if line.startswith("MemAvailable:"))
    except (OSError, StopIteration, ValueError):
        return 0  # unknown: one source at a time
    return min(available, _cgroup_room(proc, cgroups))


def _cgroup_room(proc: Path, cgroups: Path) -> int:
    """Bytes left under the memory limit of this process's cgroup (and of the cgroup root), or a huge number."""
    room = 1 << 62
    try:
        paths = [line.split(":", 2) for line in (proc / "self" / "cgroup").read_text().splitlines()]
    except OSError:
        paths = []
    folders = [cgroups]
    for _, controllers, path in (p for p in paths if len(p) == 3):
        if controllers == "":  # v2
            folders.append(cgroups / path.lstrip("/"))
        elif "memory" in controllers.split(","):  # v1
            folders += [cgroups / "memory", cgroups / "memory" / path.lstrip("/")]
    for folder in folders:
        for limit_name, usage_name in (("memory.max", "memory.current"), ("memory.limit_in_bytes", "memory.usage_in_bytes")):
            try:
                limit = (folder / limit_name).read_text().strip()
                usage = int((folder / usage_name).read_text().strip())
            except (OSError, ValueError):
                continue
            if limit.isdigit():  # "max" (v2) or a huge number (v1) means no limit
                room = min(room, max(0, int(limit) - usage))
    return room


def _write_files(folder: Path, files: dict[str, list], header: dict, prefixes: dict[str, str], label_space_ids: list[int],
                 say: Callable[[str], None], workers: int | None, in_file_order: bool = False) -> tuple[dict, list[str]]:
    """Write the COCO files, several at once (one per CPU), with the checks of what was written.

    Ids are global and handed out in file order (``files``' order, then each file's parts in order):
    each file's first image and annotation id is known before anything is written (the counts of
    the parts before it), so the files can be written in any order, in parallel, with the same bytes.
    Each file formats on its own thread, and its chunks are checked on the checkers' threads while the
    next are formatted (validate.WrittenChecks; a writer left alone keeps every checker busy); the
    checks of all files are then combined (ids unique across files, every file checked whole).
    Largest files are started first, so that the last one to finish is small.

    ``files`` may hold Futures of parts still being built (``in_file_order``: the merge stage beside the
    writing): the files are then started in file order, each once its parts and those of the files
    before it are built.
    """
    names = list(files)

    def starts(name: str) -> tuple[int, int]:
        """The file's first image and annotation id: one past the counts of the files before it."""
        before = [_resolved(p) for n in names[: names.index(name)] for p in files[n]]
        return 1 + sum(int(p.images["ok"].sum()) for p in before), 1 + sum(len(p.boxes["category_id"]) for p in before)

    if in_file_order:
        first = names
    else:
        size = {name: sum(len(p.boxes["category_id"]) + 30 * p.n_images for p in file_parts) for name, file_parts in files.items()}
        first = sorted(files, key=lambda n: -size[n])
    threads = min(resolve_workers(workers), len(files)) or 1
    with ThreadPoolExecutor(max_workers=threads) as pool:  # the checkers: up to `threads` chunks per writer in flight
        checks = {name: WrittenChecks(pool, label_space_ids, in_flight=threads) for name in files}

        def write(name: str) -> dict:
            ids = coco.IdRange(*starts(name))  # (waits for parts still being built)
            say(f"write {name}")
            done = coco.write_file(folder / name, [_resolved(p) for p in files[name]], header=header, ids=ids, prefixes=prefixes, check=checks[name])
            checks[name].wait()
            return done

        with ThreadPoolExecutor(max_workers=threads) as writers:
            futures = {name: writers.submit(write, name) for name in first}
            written = dict(zip(files, _results([futures[name] for name in files])))  # a writer's failure reaches the caller here
    combined = WrittenChecks.combine(list(checks.values()))
    problems = combined.finish()
    for name, w in written.items():
        if combined.files.get(name) != (w["images"], w["annotations"]):
            problems.append(f"{name}: {combined.files.get(name)} (images, annotations) checked, {w['images']}, {w['annotations']} written")
    return written, problems


def _resolved(part) -> Part:
    """A part, or the part a build Future gives (a build's failure is raised here)."""
    return part.result() if isinstance(part, Future) else part


def _label_space(taxonomy: str, granularity: int | None, keep: Path | None):
    """The label space to merge into, and for a derived space (``--granularity``, ``--keep`` or a
    ``--taxonomy`` file written by ``bigdet taxonomy derive``) how to derive it from bigdet600."""
    from bigdet.taxonomy import derive

    if keep is None and taxonomy != "bigdet600" and derive.is_derived_file(taxonomy):
        keep = Path(taxonomy)
    chosen = [f for f, given in (("--granularity", granularity is not None), ("--keep", keep is not None)) if given]
    if len(chosen) > 1:
        raise ValueError("give --granularity or --keep, not both")
    if chosen and taxonomy != "bigdet600" and Path(taxonomy) != keep:
        raise ValueError(f"{chosen[0]} derives from bigdet600; it cannot be combined with --taxonomy {taxonomy}")
    if granularity is not None:
        return tax_targets.bigdet600(), lambda space, tree: derive.derive(space, tree, depth=granularity)
    if keep is not None:
        return tax_targets.bigdet600(), lambda space, tree: derive.derive(space, tree, keep=derive.read_keep(keep, tree), name=f"{space.name} keep {Path(keep).name}")
    return tax_targets.load(taxonomy), None


def _release_memory() -> None:
    """Hand freed memory back to the system: Arrow's allocator (mimalloc or jemalloc) keeps what a
    stage freed for reuse, which the next stage, working in numpy, cannot use."""
    import pyarrow as pa

    gc.collect()
    pa.default_memory_pool().release_unused()


def _peak_gib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def _write_cas_weights(path: Path, files: dict[str, list[Part]], written: dict) -> None:
    """Class-aware sampling weight of each train image: the sum over the classes in it of
    1 / (number of train images containing that class), as BigDetection's CAS sampler uses."""
    train = {name: parts for name, parts in files.items() if name != record.VAL_FILE}
    pairs = {}  # per file: its (image id, class) pairs, parts in order
    for name, parts in train.items():
        pairs[name] = [_unique_pairs(np.stack([written[name]["image_ids"][id(p)][p.boxes["image_index"]], p.boxes["category_id"].astype(np.int64)], 1))
                       for p in parts]
        pairs[name] = np.concatenate(pairs[name]) if pairs[name] else np.zeros((0, 2), dtype=np.int64)
    classes = np.concatenate([p[:, 1] for p in pairs.values()]) if pairs else np.zeros(0, dtype=np.int64)
    n_images_with = np.bincount(classes, minlength=1) if len(classes) else np.zeros(1)
    doc = {"formula": "w(image) = sum over classes c in the image of 1 / (train images containing c); 0 for images without boxes", "files": {}}
    for name, parts in train.items():
        ids = np.concatenate([written[name]["image_ids"][id(p)][p.images["ok"]] for p in parts])
        # a file's pairs are those of its images (ids are unique across files and ascend within one)
        pos = np.searchsorted(ids, pairs[name][:, 0])
        weight_of_pair = 1.0 / n_images_with[pairs[name][:, 1]]
        # bincount adds in the pairs' order, as np.add.at did (same sums, bit for bit), ~20x faster
        w = np.bincount(pos, weights=weight_of_pair, minlength=len(ids)) if len(pos) else np.zeros(len(ids))
        doc["files"][name] = {"image_ids": ids, "weights": round9(w)}
    path.write_bytes(orjson_dumps(doc))


def round9(values: np.ndarray) -> np.ndarray:
    """``[round(v, 9) for v in values]``, in bulk (as float64: orjson writes them as it writes Python
    floats): ``rint(v * 1e9) / 1e9`` is Python's correctly rounded result whenever ``v * 1e9`` is not within a hair of a half (the product's error is far smaller than
    that margin, and the division of two exact integers is correctly rounded); those few values, and
    any too large for the margin, go through ``round`` one by one."""
    values = np.asarray(values, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):  # inf and nan go through round below
        scaled = values * 1e9
        out = np.rint(scaled) / 1e9
        frac = np.abs(scaled - np.floor(scaled) - 0.5)
        odd = ~(np.abs(scaled) < 2.0**40) | (frac < 1e-3) | ~np.isfinite(values)
    for k in np.flatnonzero(odd).tolist():
        out[k] = round(float(values[k]), 9)
    return out


def orjson_dumps(doc) -> bytes:
    import orjson

    # numpy arrays written as lists (the same text as their ``tolist()``, without the Python objects)
    return orjson.dumps(doc, option=orjson.OPT_SORT_KEYS | orjson.OPT_SERIALIZE_NUMPY)


def _report(parts: list[Part], written: dict, order: list[str], label_space: str, holdout_size: int) -> dict:
    sources: dict = {}
    ok = True
    for part in parts:
        c = part.counts
        if "read" not in c:
            continue  # a held-out slice: counted with the train part it came from
        entry = {
            "read": c["read"],
            "ingest_rejected": c["ingest_rejected"],
            "merge_dropped": c["dropped"],
            "exported": c["exported"],
            "images_read": c["images_read"],
            "images_exported": c["images_exported"],
            "unmapped_classes": c.get("unmapped_classes", {}),
        }
        total = c["exported"] + sum(c["ingest_rejected"].values()) + sum(c["dropped"].values())
        entry["reconciles"] = total == c["read"]
        ok &= entry["reconciles"]
        sources.setdefault(part.source, {})[part.split] = entry
    files = {name: {"images": w["images"], "annotations": w["annotations"]} for name, w in written.items()}
    exported = sum(e["exported"] for s in sources.values() for e in s.values())
    ok &= exported == sum(f["annotations"] for f in files.values())
    return {
        "sources": sources,
        "files": files,
        "label_space": label_space,
        "sources_merged": order,
        "holdout": holdout_size,
        "drop_reasons": list(DROP_REASONS),
        "reconciles": bool(ok),
    }
