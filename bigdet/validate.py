"""``bigdet validate OUT``: check merged COCO files as a trainer would meet them.

Every file is re-read with the streaming reader (so a several-GB file is checked in flat memory):
image and annotation ids unique across all files, every annotation's image in the same file,
category ids among the file's categories, boxes with positive size inside their images, every
``area``, ``iscrowd`` and source attribute within its range (``schema.EXPORTED_ATTRIBUTES``: no
sentinel such as the int64 minimum passes), label lists that name known categories, no class both negative and not-exhaustive, no negative class
with a box in the image. Files up to ``pycocotools_limit`` bytes are also loaded with pycocotools
(``COCO(path)``), as detectron2 and mmdetection load them; a bigger file is not, because
pycocotools holds everything as Python objects (23M boxes would need well over 12 GB).
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .checks import INT64_IDS, area_ok, category_problem
from .errors import InputError
from .exporters import coco
from .jsonstream import Value, iter_document
from .outputs import annotation_files
from .schema import EXPORTED_ATTRIBUTES
from .exporters import record
from .exporters.record import parse_on_workers
from .jsonstream import Fields
from .workers import resolve

#: Required: what a record needs to be checked at all (a missing area is reported by the value checks).
IMAGE_FIELDS = record.fields(record.IMAGE, ("id", "width", "height", *record.LABEL_SETS), required=("id", "width", "height"))
#: Source attributes as the exporter writes them: booleans (Objects365) or integers (Open Images).
ATTRIBUTE_TYPES = record.ATTRIBUTE_TYPES
ANN_FIELDS = record.fields(record.ANNOTATION, attributes=True, required=("id", "image_id", "category_id", "bbox"))
TOLERANCE = 1e-6  # boxes were clipped to the image; allow float rounding only


def validate(out: Path, *, pycocotools_limit: int = 512 << 20, workers: int | None = None) -> list[str]:
    """Every problem found in ``OUT/annotations/*.json`` (empty: valid)."""
    files = annotation_files(Path(out) / "annotations")
    if not files:
        return [f"{out}/annotations: no json files"]
    problems: list[str] = _file_list(Path(out))
    seen_images: list[np.ndarray] = []
    seen_anns: list[np.ndarray] = []
    with ThreadPoolExecutor(max_workers=resolve(workers)) as pool:
        for path in files:
            try:
                problems += _check_file(path, seen_images, seen_anns, pool)
            except InputError as e:
                problems.append(str(e))
                continue
            if path.stat().st_size <= pycocotools_limit:
                problems += _pycocotools(path)
    for what, parts in (("image", seen_images), ("annotation", seen_anns)):
        ids = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        if len(np.unique(ids)) != len(ids):
            problems.append(f"{what} ids repeat across the files")
    return problems


def _file_list(out: Path) -> list[str]:
    """The files in ``out`` are exactly those merge_report.json says were written: a missing file or a
    stray one (a temporary of another run) means the output is not what the report describes."""
    import json

    try:
        report = json.loads((out / "merge_report.json").read_text())
        expected = {"merge_report.json", "cas_weights.json"} | {f"annotations/{name}" for name in report["files"]}
        expected |= set(report.get("mappings", {}).values())  # users' datasets: the mapping tables used
    except (OSError, ValueError, KeyError, TypeError) as e:
        return [f"{out}/merge_report.json: missing or unreadable ({e}); is this a complete `bigdet merge` output?"]
    # Written later from this version, not by the merge: exports/ (`bigdet export`, bigdet.exporters.default_dest)
    # and hidden caches (`bigdet eval` keeps its train-image counts as annotations/.bigdet_eval_train_counts).
    present = {
        name for p in out.rglob("*")
        if not p.is_dir() and not (name := p.relative_to(out).as_posix()).startswith("exports/") and not p.name.startswith(".")
    }
    problems = [f"{out}/{name}: listed in merge_report.json but missing" for name in sorted(expected - present)]
    problems += [f"{out}/{name}: not written by this merge (not in merge_report.json)" for name in sorted(present - expected)]
    return problems


SIZE_FIELDS = record.fields(record.IMAGE, ("id", "width", "height"))


def _chunks(path: Path, key: str, fields: Fields, pool: ThreadPoolExecutor):
    """Parsed tables of one top-level array, chunk by chunk (the other array is skipped unparsed)."""
    present = False
    for item in parse_on_workers(path, {key: fields}, pool):
        if not isinstance(item, Value):
            present = True
            yield item.table
        elif item.key == key:  # an empty array comes as a value, and so does "images": null
            if not isinstance(item.value, list):
                raise InputError(path, f'"{key}" is {type(item.value).__name__ if item.value is not None else "null"}, not an array')
            present = True
    if not present:
        raise InputError(path, f'the top-level object has no "{key}" array')


def _categories(path: Path) -> list | None:
    for item in iter_document(path, {"images", "annotations"}):
        if isinstance(item, Value) and item.key == "categories":
            return item.value
    return None


def _check_file(path: Path, seen_images: list, seen_anns: list, pool: ThreadPoolExecutor) -> list[str]:
    """Three streaming passes, so memory holds ids and keys, never the records:
    image sizes; annotations against them; image label lists against the boxes."""
    name = path.name
    problems: list[str] = []
    cats = _categories(path)
    if not isinstance(cats, list) or not cats:
        return [f"{name}: no categories"]
    for i, c in enumerate(cats):
        problem = category_problem(c, id_range=INT64_IDS)
        if problem:
            return [f'{name}, "categories"[{i}]: {problem}']
    cat_ids = np.array(sorted(c["id"] for c in cats), dtype=np.int64)
    problems += check_members(name, cats)

    sizes = [t for t in _chunks(path, "images", SIZE_FIELDS, pool)]
    img_ids = np.concatenate([t.column("id").to_numpy() for t in sizes]) if sizes else np.zeros(0, dtype=np.int64)
    width = np.concatenate([t.column("width").to_numpy() for t in sizes]).astype(np.float64) if sizes else np.zeros(0)
    height = np.concatenate([t.column("height").to_numpy() for t in sizes]).astype(np.float64) if sizes else np.zeros(0)
    del sizes
    seen_images.append(img_ids)
    if len(np.unique(img_ids)) != len(img_ids):
        problems.append(f"{name}: image ids repeat")
    if not ((width > 0) & (height > 0)).all():
        problems.append(f"{name}: images with a zero or negative size")
    order = np.argsort(img_ids)
    sorted_ids = img_ids[order]

    boxed_parts, ann_id_parts = [], []
    missing = unknown = outside = out_of_range = 0
    example = {}
    for t in _chunks(path, "annotations", ANN_FIELDS, pool):
        ann_img = t.column("image_id").to_numpy()
        ann_cat = t.column("category_id").to_numpy()
        ann_id_parts.append(t.column("id").to_numpy())
        pos = np.minimum(np.searchsorted(sorted_ids, ann_img), max(len(sorted_ids) - 1, 0))
        found = sorted_ids[pos] == ann_img if len(sorted_ids) else np.zeros(len(ann_img), dtype=bool)
        if not found.all():
            missing += int((~found).sum())
            example.setdefault("missing", ann_img[~found][0])
        known_cat = np.isin(ann_cat, cat_ids)
        if not known_cat.all():
            unknown += int((~known_cat).sum())
            example.setdefault("unknown", ann_cat[~known_cat][0])
        bbox = t.column("bbox").combine_chunks()
        if not (pc.list_value_length(bbox).to_numpy(zero_copy_only=False) == 4).all():
            problems.append(f"{name}: bbox is not [x, y, w, h]")
            continue
        x, y, w, h = pc.list_flatten(bbox).to_numpy().reshape(-1, 4).T
        W, H = width[order[pos]], height[order[pos]]
        bad = ~((w > 0) & (h > 0) & (x >= -TOLERANCE) & (y >= -TOLERANCE) & (x + w <= W * (1 + TOLERANCE)) & (y + h <= H * (1 + TOLERANCE))) & found
        if bad.any():
            outside += int(bad.sum())
            i = int(np.flatnonzero(bad)[0])
            example.setdefault("outside", f"annotation {t.column('id')[i]}: {[x[i], y[i], w[i], h[i]]} in {W[i]:g}x{H[i]:g}")
        for field, bad, allowed in _bad_values(t, w, h):
            out_of_range += int(bad.sum())
            i = int(np.flatnonzero(bad)[0])
            example.setdefault("value", f"annotation {t.column('id')[i]}: {field} = {t.column(field)[i].as_py()!r} ({allowed})")
        cat_pos = np.searchsorted(cat_ids, ann_cat)
        boxed_parts.append((ann_img[known_cat], cat_pos[known_cat].astype(np.int32)))
    if missing:
        problems.append(f"{name}: {missing} annotations name an image not in the file, e.g. image_id {example['missing']}")
    if unknown:
        problems.append(f"{name}: {unknown} annotations with unknown category ids, e.g. {example['unknown']}")
    if outside:
        problems.append(f"{name}: {outside} boxes with no size or outside their image, e.g. {example['outside']}")
    if out_of_range:
        problems.append(f"{name}: {out_of_range} annotation values out of range, e.g. {example['value']}")
    ann_ids = np.concatenate(ann_id_parts) if ann_id_parts else np.zeros(0, dtype=np.int64)
    seen_anns.append(ann_ids)
    if len(np.unique(ann_ids)) != len(ann_ids):
        problems.append(f"{name}: annotation ids repeat")
    boxed = BoxedClasses(boxed_parts)
    del boxed_parts, ann_id_parts

    for t in _chunks(path, "images", IMAGE_FIELDS, pool):
        problems += _check_label_sets(name, t, cat_ids, boxed)
        if len(problems) > 20:
            break
    return problems


def check_members(name: str, cats: list) -> list[str]:
    """A derived label space's ``members`` (bigdet600 ids folded into each class): every category has
    them, each a list of bigdet600 ids, and no id in two categories."""
    with_members = [c for c in cats if isinstance(c, dict) and "members" in c]
    if not with_members:
        return []
    from bigdet.taxonomy.reference import bigdet600_classes

    n600 = len(bigdet600_classes())
    problems = []
    if len(with_members) != len(cats):
        problems.append(f"{name}: {len(cats) - len(with_members)} categories without `members` beside categories with them")
    owner: dict[int, object] = {}
    for c in with_members:
        members = c["members"]
        if not isinstance(members, list) or not members or not all(type(m) is int and 1 <= m <= n600 for m in members):
            problems.append(f"{name}: category {c.get('id')!r} `members` must be a non-empty list of bigdet600 ids (1..{n600}), got {str(members)[:80]}")
            continue
        for m in members:
            if m in owner:
                problems.append(f"{name}: bigdet600 class {m} is a member of categories {owner[m]!r} and {c.get('id')!r}")
            owner.setdefault(m, c.get("id"))
    return problems[:20]


def _bad_values(t: pa.Table, w: np.ndarray, h: np.ndarray):
    """(field, mask of annotations whose value is wrong, what is allowed) for every field with one.

    ``area`` must be a number a box of that size can have (``checks.area_ok``), ``iscrowd`` 0 or 1,
    each source attribute one of its values (``schema.EXPORTED_ATTRIBUTES``) or absent."""
    area = t.column("area").to_numpy(zero_copy_only=False).astype(np.float64)  # null -> NaN: not ok
    iscrowd = t.column("iscrowd")
    checks = [
        ("area", ~area_ok(area, w, h), "must be from 0 to the box's area"),
        ("iscrowd", ~pc.is_in(iscrowd, pa.array([0, 1])).to_numpy(zero_copy_only=False), "must be 0 or 1"),
    ]
    for field, (allowed, _) in EXPORTED_ATTRIBUTES.items():
        column = t.column(field)
        if column.null_count == len(column) or pa.types.is_boolean(column.type):  # absent, or a JSON boolean: both fine
            continue
        known = pc.or_(pc.is_in(column, pa.array(allowed, column.type)), pc.is_null(column))
        bad = ~known.to_numpy(zero_copy_only=False)
        checks.append((field, bad, f"must be one of {', '.join(map(str, allowed))} or absent"))
    return [(field, bad, allowed) for field, bad, allowed in checks if bad.any()]


class BoxedClasses:
    """Which classes have a box in which image, kept as two columns (image id, position of the class
    in the sorted category ids) ordered by image: an image's classes are one slice. Checked against
    the label lists one image chunk at a time in a dense (image, class) table, so no two ids are ever
    packed into one number (merge packs its pairs; this check must not share its method)."""

    def __init__(self, parts: list[tuple[np.ndarray, np.ndarray]]):
        image = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
        cls = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, dtype=np.int32)
        order = np.argsort(image, kind="stable")
        self.image, self.cls = image[order], cls[order]

    def rows(self, image_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(row in ``image_ids``, class position) of every box class of those images."""
        unique_ids, first = np.unique(image_ids, return_index=True)
        lo, hi = np.searchsorted(self.image, unique_ids, "left"), np.searchsorted(self.image, unique_ids, "right")
        per = hi - lo
        take = np.repeat(lo - np.cumsum(per) + per, per) + np.arange(per.sum())
        return np.repeat(first, per), self.cls[take]


#: Images per dense (image, class) table: bounds its memory to 16 MB whatever the label space.
TABLE_CELLS = 1 << 24


def _check_label_sets(name: str, images: pa.Table, cat_ids: np.ndarray, boxed: BoxedClasses) -> list[str]:
    problems = []
    img_ids = images.column("id").to_numpy()
    lists = {}
    for column in record.LABEL_SETS:
        col = images.column(column).combine_chunks()
        rows = pc.list_parent_indices(col).to_numpy()
        values = pc.list_flatten(col).to_numpy()
        pos = np.minimum(np.searchsorted(cat_ids, values), len(cat_ids) - 1)
        known = cat_ids[pos] == values
        if not known.all():
            problems.append(f"{name}: {column} names unknown categories")
        lists[column] = (rows[known], pos[known])
    neg_rows, neg_cls = lists["neg_category_ids"]
    boxes = boxed.rows(img_ids)
    step = max(1, TABLE_CELLS // len(cat_ids))
    both, clash = False, None
    for lo in range(0, len(img_ids), step):
        hi = min(len(img_ids), lo + step)
        block = (neg_rows >= lo) & (neg_rows < hi)
        rows, cls = neg_rows[block] - lo, neg_cls[block]
        both = both or _table(lists["not_exhaustive_category_ids"], lo, hi, len(cat_ids))[rows, cls].any()
        hit = _table(boxes, lo, hi, len(cat_ids))[rows, cls]
        if clash is None and hit.any():
            clash = (int(img_ids[rows[hit][0] + lo]), int(cat_ids[cls[hit][0]]))
    if both:
        problems.append(f"{name}: a class is both negative and not-exhaustive in an image")
    if clash:
        problems.append(f"{name}: image {clash[0]} lists category {clash[1]} as negative but has a box of it")
    return problems


def _table(pairs: tuple[np.ndarray, np.ndarray], lo: int, hi: int, n_classes: int) -> np.ndarray:
    """A dense (hi - lo, n_classes) table marking the (row, class position) pairs whose row is in [lo, hi)."""
    rows, cls = pairs
    sel = (rows >= lo) & (rows < hi)
    table = np.zeros((hi - lo, n_classes), dtype=bool)
    table[rows[sel] - lo, cls[sel]] = True
    return table


def _pycocotools(path: Path) -> list[str]:
    import contextlib
    import io

    from pycocotools.coco import COCO

    try:
        with contextlib.redirect_stdout(io.StringIO()):
            coco = COCO(str(path))
        coco.getAnnIds()
    except Exception as e:  # whatever pycocotools raises is a problem with the file
        return [f"{path.name}: pycocotools cannot load it: {type(e).__name__}: {e}"]
    return []


class WrittenChecks:
    """What ``bigdet merge`` proves about the files it writes, without reading them again.

    The exporter hands over every chunk as formatted (``exporters.coco.Formatted``): per value of the
    record, the texts it wrote (the tokens, before they were joined into records) and the values they
    were formatted from. On a worker thread, while the next chunk is formatted, each token is held to
    its JSON grammar (``full_matches``: RE2; integers first by cheap kernels. Numbers: the JSON number grammar, so no ``nan``, ``inf``, ``01``, ``+1``;
    strings: the JSON string grammar; id lists: ``[`` ids ``,``-separated ``]``) and to its value
    (numbers cast back by Arrow, floats compared bit for bit; strings decoded; id lists equal to the
    mask's true cells, or, where the exporter cut them out of one text (``coco.cut_id_list_text``:
    Objects365's negatives), byte for byte ``coco.id_list_text``'s, the canonical text built id by id;
    source attributes decoded by ``json.loads``), and the text between tokens is
    exactly the record's declared glue (``exporters.record.glue``, itself checked to make a json
    object of the declared keys). Each record is, byte for byte, its tokens joined again by that glue, so
    the written records are those tokens joined. Each file's header is parsed back too and the glue between records
    and arrays is fixed text, so every file parses. Beside that, on the arrays: image and annotation ids
    unique across all files, categories exactly the label space, every box's category among them and its
    box inside its image, no class both negative and not-exhaustive in an image, no negative class with
    a box in the image. ``validate()`` (``--deep-validate``, ``bigdet validate``) remains the independent
    check that re-reads the files and loads them with pycocotools.
    """

    def __init__(self, pool: ThreadPoolExecutor, label_space_ids: list[int], in_flight: int = 1):
        self.pool = pool
        self.label_space_ids = sorted(label_space_ids)
        self.problems: list[str] = []
        # chunks being checked while the next is formatted: checking costs more than formatting (~1.7x
        # for Objects365's image chunks), so a lone writer keeps more than one checker busy
        self.pending: deque = deque()
        self.in_flight = max(1, in_flight)
        self.image_ids: list[tuple[int, int]] = []  # (first, last) id of every image chunk
        self.annotation_ids: list[tuple[int, int]] = []
        self.files: dict[str, tuple[int, int]] = {}  # name -> (images, annotations) checked

    def _submit(self, fn, *args) -> Future:
        while len(self.pending) >= self.in_flight:
            self._collect()
        future = self.pool.submit(fn, *args)
        self.pending.append(future)
        return future

    def _collect(self) -> None:
        self.problems += self.pending.popleft().result()  # in submission order; a worker's failure reaches the caller here

    def wait(self) -> None:
        while self.pending:
            self._collect()

    def header(self, name: str, head: bytes) -> None:
        import orjson

        self.files.setdefault(name, (0, 0))

        try:
            doc = orjson.loads(head)
        except orjson.JSONDecodeError as e:
            self.problems.append(f"{name}: the header is not json: {e}")
            return
        ids = [c.get("id") for c in doc.get("categories", [])]
        if sorted(ids) != self.label_space_ids or len(set(ids)) != len(ids):
            self.problems.append(f"{name}: categories are not the label space")

    def images(self, name: str, chunk, boxed: np.ndarray) -> Future:
        """``chunk``: an ``exporters.coco.Formatted`` of image records; ``boxed``: the dense (image, class)
        table of the classes with a box, beside the chunk's label-set masks. Returns the Future of the
        chunk's check (which joins its records if the writer left them unjoined)."""
        ids = chunk.columns["id"]
        neg, nex = (chunk.columns[k] for k in record.LABEL_SETS)
        if len(ids):
            self.image_ids.append((int(ids[0]), int(ids[-1])))
        n_images, n_annotations = self.files.get(name, (0, 0))
        self.files[name] = (n_images + len(ids), n_annotations)
        if (neg & nex).any():
            self.problems.append(f"{name}: a class is both negative and not-exhaustive in an image")
        clash = neg & boxed
        if clash.any():  # (np.argwhere only then: it costs ~5x the test on a clean 10,000 x 601 chunk)
            row, col = np.argwhere(clash)[0]
            self.problems.append(f"{name}: image {ids[row]} lists category {col} as negative but has a box of it")
        return self._submit(check_formatted, name, "images", chunk, n_images)

    def annotations(self, name: str, chunk, known_category: np.ndarray, image_size: tuple[np.ndarray, np.ndarray]) -> Future:
        """``chunk``: an ``exporters.coco.Formatted`` of annotation records. Returns the Future of its check."""
        expected = chunk.columns
        ids = expected["id"]
        if len(ids):
            self.annotation_ids.append((int(ids[0]), int(ids[-1])))
        n_images, n_annotations = self.files.get(name, (0, 0))
        self.files[name] = (n_images, n_annotations + len(ids))
        cat = expected["category_id"]
        inside = (cat >= 0) & (cat < len(known_category))
        if not (inside.all() and known_category[cat].all()):
            self.problems.append(f"{name}: annotations with categories outside the label space")
        x, y, w, h = expected["bbox"]
        W, H = image_size
        bad = ~((w > 0) & (h > 0) & (x >= -TOLERANCE) & (y >= -TOLERANCE) & (x + w <= W * (1 + TOLERANCE)) & (y + h <= H * (1 + TOLERANCE)))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            self.problems.append(f"{name}: {int(bad.sum())} boxes with no size or outside their image, e.g. annotation {ids[i]}: {[x[i], y[i], w[i], h[i]]} in {W[i]:g}x{H[i]:g}")
        return self._submit(check_formatted, name, "annotations", chunk, n_annotations)

    @classmethod
    def combine(cls, checks: list["WrittenChecks"]) -> "WrittenChecks":
        """The checks of files written apart (each with its own ``WrittenChecks``, all waited for) as one:
        their problems, id runs and files together, so that ``finish`` finds ids repeated across files."""
        whole = cls(None, [])
        for c in checks:
            c.wait()
            whole.problems += c.problems
            whole.image_ids += c.image_ids
            whole.annotation_ids += c.annotation_ids
            whole.files.update(c.files)
        return whole

    def finish(self) -> list[str]:
        self.wait()
        for what, ranges in (("image", self.image_ids), ("annotation", self.annotation_ids)):
            # ids are handed out as consecutive runs; runs that never overlap mean no id repeats
            runs = np.array(sorted(ranges), dtype=np.int64).reshape(-1, 2)
            if len(runs) and ((runs[:, 1] < runs[:, 0]) | np.r_[False, runs[1:, 0] <= runs[:-1, 1]]).any():
                self.problems.append(f"{what} ids repeat across the files")
        return self.problems


# -- the tokens of written records, held to their grammar and their values ---------------------------
# RE2 full matches (Arrow's match_substring_regex). JSON numbers and strings as RFC 8259 spells them.
_INT = r"-?(?:0|[1-9][0-9]*)"
JSON_INTEGER = rf"^{_INT}$"
JSON_NUMBER = rf"^{_INT}(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$"
#: A JSON string without escapes: its value is the text between the quotes. A string with escapes is
#: decoded by ``json.loads`` (the reference), one by one: the exporter escapes only control characters,
#: quotes and backslashes.
PLAIN_JSON_STRING = r'^"[^"\\\x00-\x1f]*"$'
#: An id list as the exporter writes it: no spaces, ids as JSON integers >= 0.
ID_LIST = r"^\[(?:(?:0|[1-9][0-9]*)(?:,(?:0|[1-9][0-9]*))*)?\]$"


def check_formatted(name: str, what: str, chunk, first: int = 0) -> list[str]:
    """Problems with a chunk of written records (``exporters.coco.Formatted``); ``first`` is the index of
    its first record in the file's ``what`` array, for the messages. One line per problem, naming the
    record and the value.

    A chunk whose ``records`` are None (the merge's writer leaves them so) is joined here, from its own
    glue and tokens, and the writer writes that join: its records are then their tokens joined by
    construction, and with the glue shown below to be the declared one, they are what the rejoin and
    comparison prove of records the writer joined."""
    where = f'{name}: written {what}'
    joined_here = chunk.records is None
    if joined_here:
        chunk.records = coco.join_records(chunk.glue, chunk.tokens)
    members = [t.name for t in chunk.tokens if t.kind == "member"]
    declared = record.glue(chunk.fields, len(members))
    if len(chunk.tokens) + 1 != len(declared):
        return [f"{where} do not parse back as declared: {len(chunk.tokens)} values per record, the record declares {len(declared) - 1}"]
    if chunk.glue != declared:
        k = next(k for k, (a, b) in enumerate(zip(chunk.glue + [None] * len(declared), declared)) if a != b)
        return [f"{where} do not parse back as declared: the text before value {k} is {chunk.glue[k] if k < len(chunk.glue) else None!r}, the record declares {declared[k]!r} (exporters.record.glue)"]
    problem = _glue_problem(chunk.fields, tuple(members))
    if problem:
        return [f"{where}: {problem}"]
    if chunk.records.null_count:
        return [f'{where} do not parse back: {chunk.records.null_count} records are null, e.g. "{what}"[{first + int(np.flatnonzero(~_bools(pc.is_valid(chunk.records)))[0])}]']
    # every record is, byte for byte, its tokens joined by the declared glue (joined again here from
    # record.glue, not from what the writer says it used; a join made here is that join already): with
    # every token checked below, each record, and so each file, parses as the declared object
    if not joined_here:
        problem = _not_rejoined(where, what, chunk, declared, first)
        if problem:
            return [problem]
    problems = []
    for t in chunk.tokens:
        problem = _TOKEN_CHECKS[t.kind](t)
        if problem:
            row, detail = problem
            problems.append(f'{where} {detail} (first: "{what}"[{first + row}])')
    return problems


def _not_rejoined(where: str, what: str, chunk, declared: list[str], first: int) -> str | None:
    """A problem line if the writer's records are not, byte for byte, the tokens joined by the declared glue."""
    rejoined = coco.join_records(declared, chunk.tokens)
    if rejoined.equals(chunk.records):
        return None
    off = np.flatnonzero(~_bools(pc.equal(rejoined, chunk.records)))
    k = int(off[0]) if len(off) else 0
    expected = rejoined[k].as_py()  # None where a token is null
    return (f'{where} are not their tokens joined by the declared glue: "{what}"[{first + k}] is {chunk.records[k].as_py()[:120]!r}, '
            f'expected {expected if expected is None else expected[:120]!r}')


@lru_cache(maxsize=32)
def _glue_problem(fields: tuple, members: tuple[str, ...]) -> str | None:
    """Valid tokens joined by the declared glue make one json object with the declared keys, in order
    (checked once per record shape, on one record of sample tokens)."""
    import json

    samples = {"int": "0", "float": "0.5", "string": '""', "ids": "[]"}
    kinds = []
    for f in fields:
        t = f.type
        if record.is_coordinates(f):
            kinds += ["float"] * record.BBOX_LENGTH
        else:
            kinds.append("ids" if pa.types.is_list(t) else "int" if pa.types.is_integer(t) else "float" if pa.types.is_floating(t) else "string")
    glue = record.glue(fields, len(members))
    text = glue[0]
    for kind, g in zip(kinds + ["member"] * len(members), glue[1:]):
        text += ("" if kind == "member" else samples[kind]) + g
    if not text.endswith(record.RECORD_SEP):
        return f"the declared record does not end with {record.RECORD_SEP!r}: {text!r}"
    try:
        keys = json.loads("[" + text[: -len(record.RECORD_SEP)] + "]", object_pairs_hook=lambda pairs: [k for k, _ in pairs])[0]
    except ValueError as e:
        return f"the declared record does not parse as json ({e}): {text!r}"
    if keys != [f.name for f in fields]:
        return f"the declared record has keys {keys}, not {[f.name for f in fields]}"
    clash = set(members) & set(keys) or len(set(members)) != len(members)
    if clash:
        return f"source attributes {list(members)} repeat a key"
    return None


def _bools(mask) -> np.ndarray:
    """An Arrow boolean array as numpy, null as False."""
    return pc.fill_null(mask, False).to_numpy(zero_copy_only=False)


def _texts(t) -> pa.Array:
    return pa.array([t.texts], pa.string()) if isinstance(t.texts, str) else t.texts


def full_matches(texts: pa.Array, pattern: str) -> np.ndarray:
    """Per text, whether it fully matches ``pattern`` (null: False). JSON integers are first tested by
    two cheap kernels (ASCII digits only, no leading zero: exactly the pattern's texts without a minus,
    ~6x faster than RE2 on the ~5M ids and sizes of an Objects365 file); the regex decides only the rest."""
    if pattern != JSON_INTEGER:
        return _bools(pc.match_substring_regex(texts, pattern))
    leading_zero = pc.and_(pc.starts_with(texts, "0"), pc.greater(pc.binary_length(texts), 1))
    ok = _bools(pc.and_(pc.ascii_is_decimal(texts), pc.invert(leading_zero)))
    rest = np.flatnonzero(~ok)
    if len(rest):
        ok[rest] = _bools(pc.match_substring_regex(texts.take(pa.array(rest)), pattern))
    return ok


def _grammar(t, pattern: str, what: str):
    """(row, detail) of the first text that does not fully match ``pattern`` (nor is null), else None."""
    texts = _texts(t)
    ok = full_matches(texts, pattern)
    if ok.all():
        return None
    bad = np.flatnonzero(~ok)
    text = texts[int(bad[0])].as_py()
    return int(bad[0]), f"do not parse back: {len(bad)} {t.name} values are not {what}, e.g. {text if text is None else text[:80]!r}"


def _mismatch(t, got: np.ndarray, differ: np.ndarray):
    bad = np.flatnonzero(differ)
    if not len(bad):
        return None
    i = int(bad[0])
    return i, f"parse back with other values in {t.name}: {len(bad)} values, e.g. {_texts(t)[i].as_py()!r} for {np.asarray(t.values)[i].tolist()!r}"


def _check_number(t, pattern: str, what: str, kind: pa.DataType):
    """Each token a full match of ``pattern``, and cast back by Arrow exactly its value (floats bit for
    bit: -0.0 is not 0.0)."""
    problem = _grammar(t, pattern, what)
    if problem:
        return problem
    try:
        got = pc.cast(_texts(t), kind).to_numpy()
    except pa.ArrowInvalid as e:  # a well-formed number that does not fit (an integer beyond int64)
        return 0, f"do not parse back as {kind}: {e}"
    want = np.asarray(t.values)
    if got.dtype.kind == "f":
        return _mismatch(t, got, got.view(np.int64) != np.ascontiguousarray(want, dtype=np.float64).view(np.int64))
    return _mismatch(t, got, got != want)  # by value: an integer token of a float 3.7 is wrong, not truncated


def _check_int(t):
    return _check_number(t, JSON_INTEGER, "JSON integers", pa.int64())


def _check_float(t):
    return _check_number(t, JSON_NUMBER, "JSON numbers", pa.float64())


def _check_string(t):
    import json

    texts = _texts(t)
    values = pa.array([t.values], pa.string()) if isinstance(t.values, str) else t.values
    if texts.null_count or values.null_count:
        return int(np.flatnonzero(~_bools(pc.is_valid(texts)) | ~_bools(pc.is_valid(values)))[0]), f"do not parse back: a null string in {t.name}"
    plain = _bools(pc.match_substring_regex(texts, PLAIN_JSON_STRING))
    # a plain JSON string says the text between its quotes
    same = np.ones(len(texts), dtype=bool)
    if plain.any():
        inner = pc.utf8_slice_codeunits(texts, 1, -1)
        same[plain] = _bools(pc.equal(inner.filter(pa.array(plain)), values.filter(pa.array(plain))))
    for i in np.flatnonzero(~plain).tolist():
        text, value = texts[i].as_py(), values[i].as_py()
        try:
            decoded = json.loads(text)
        except ValueError:
            return i, f"do not parse back: {text[:80]!r} ({t.name}) is not a JSON string"
        if not (isinstance(decoded, str) and text[:1] == '"' and text[-1:] == '"'):  # json.loads allows spaces around
            return i, f"do not parse back: {text[:80]!r} ({t.name}) is not a JSON string"
        same[i] = decoded == value
    if not same.all():
        i = int(np.flatnonzero(~same)[0])
        return i, f"parse back with other values in {t.name}: {int((~same).sum())} values, e.g. {texts[i].as_py()[:80]!r} for {values[i].as_py()[:80]!r}"
    return None


def _check_ids(t):
    texts = _texts(t)
    # written by cut_id_list_text (coco._tokens makes the same choice): held to the other route's text. The
    # check is worth something only because the two routes differ: never compare a formatter with itself
    if coco.mostly_set(t.values):
        return _check_ids_against(t, coco.id_list_text(t.values))
    problem = _grammar(t, ID_LIST, "lists of ids")
    if problem:
        return problem
    inner = pc.utf8_slice_codeunits(texts, 1, -1)
    inner = pc.if_else(pc.equal(inner, ""), pa.scalar(None, pa.string()), inner)  # "[]": no ids
    lists = pc.split_pattern(inner, ",")
    rows, cols = coco.true_cells(t.values)
    got_rows = pc.list_parent_indices(lists).to_numpy()
    got = pc.cast(pc.list_flatten(lists), pa.int64()).to_numpy()
    if len(got_rows) == len(rows) and np.array_equal(got_rows, rows) and np.array_equal(got, cols):
        return None
    counts = np.bincount(got_rows, minlength=len(texts)) if len(texts) else np.zeros(0)
    differ = counts != t.values.sum(axis=1)
    if not differ.any():  # same counts: the first row whose ids differ
        differ = np.zeros(len(texts), dtype=bool)
        differ[got_rows[got != cols]] = True
    i = int(np.flatnonzero(differ)[0])
    return i, f"parse back with other values in {t.name}: {texts[i].as_py()[:80]!r}, meant {np.flatnonzero(t.values[i]).tolist()[:20]}"


def _check_ids_against(t, meant: pa.Array):
    """Each id list byte for byte the text ``meant`` (``id_list_text`` of the mask, the canonical JSON of
    the true cells' ids: a list parses back to other ids only if its text differs)."""
    texts = _texts(t)
    if texts.equals(meant):
        return None
    if len(texts) != len(meant):
        return min(len(texts), len(meant)), f"do not parse back as meant: {len(texts)} {t.name} values for {len(meant)} records"
    differ = ~_bools(pc.equal(texts.cast(pa.string()), meant))  # a null text differs too
    if not differ.any():  # the same texts in another string type
        return None
    i = int(np.flatnonzero(differ)[0])
    written = texts[i].as_py()
    return i, f"do not parse back as meant in {t.name}: {written if written is None else written[:80]!r}, meant {meant[i].as_py()[:80]!r}"


def _check_member(t):
    """A source attribute: each distinct text (a few) is ``, "name": value`` decoded by ``json.loads``
    (or nothing), and says the value meant for each record (nothing where it is null)."""
    import json

    encoded = pc.dictionary_encode(_texts(t))
    kind = t.values.type
    said = []
    for text in encoded.dictionary.to_pylist():
        if text == "":
            said.append(None)
            continue
        try:
            if not text.startswith(record.MEMBER_SEP):
                raise ValueError(f"does not start with {record.MEMBER_SEP!r}")
            pairs = json.loads(record.RECORD_OPEN + text[len(record.MEMBER_SEP):] + record.RECORD_CLOSE, object_pairs_hook=list)
        except ValueError:
            return int(np.flatnonzero(_bools(pc.equal(_texts(t), text)))[0]), f"do not parse back: {text!r} is not a JSON member"
        value = pairs[0][1] if len(pairs) == 1 and pairs[0][0] == t.name else None
        if value is None or (type(value) is not bool if pa.types.is_boolean(kind) else type(value) is not int):
            return int(np.flatnonzero(_bools(pc.equal(_texts(t), text)))[0]), f"do not parse back: {text!r} is not one {kind} {t.name!r}"
        said.append(value)
    got = pa.array(said, kind).take(encoded.indices)
    differ = ~_bools(pc.equal(got, t.values)) & ~(_bools(pc.is_null(got)) & _bools(pc.is_null(t.values)))
    if not differ.any():
        return None
    i = int(np.flatnonzero(differ)[0])
    return i, f"parse back with other values in {t.name}: {_texts(t)[i].as_py()!r} for {t.values[i].as_py()!r}"


_TOKEN_CHECKS = {"int": _check_int, "float": _check_float, "string": _check_string, "ids": _check_ids, "member": _check_member}
