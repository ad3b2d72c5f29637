"""Open Images (V6 boxes, V5 13-column files, V7 class file) into the common schema.

Files per split (``train`` / ``val`` / ``test``, folders ``train/``, ``validation/``, ``test/``):

* boxes: ``oidv6-train-annotations-bbox.csv`` (21 columns: the 13 below plus XClick1X..4Y) or
  ``train-annotations-bbox.csv``; ``validation-annotations-bbox.csv``, ``test-annotations-bbox.csv``
  (13 columns: ImageID,Source,LabelName,Confidence,XMin,XMax,YMin,YMax,IsOccluded,IsTruncated,
  IsGroupOf,IsDepiction,IsInside). Coordinates are normalized to [0, 1].
* optional image-level labels ``*-annotations-human-imagelabels-boxable.csv`` (Confidence 1 =
  verified present, 0 = verified absent) and image metadata ``*-images*-with-rotation.csv``.
* classes: ``class-descriptions-boxable.csv`` (no header) or ``oidv7-class-descriptions-boxable.csv``
  (header ``LabelName,DisplayName``), BOM / CRLF tolerated; hierarchy ``bbox_labels_600_hierarchy.json``.

No CSV gives image sizes: they come from ``image_sizes.csv`` (``ImageID,width,height``) when present,
else from the headers of ``<split folder>/<ImageID>.jpg`` (read in parallel, cached in the store).
Without either, boxes are stored with their normalized coordinates and null pixel coordinates.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from ..checks import Check, Rejects, const, first_failures, fmt_rows
from ..errors import InputError
from ..imagesize import image_sizes
from ..layout import Layout
from ..schema import BOXES, CATEGORIES, IMAGE_LABELS, IMAGES, conform
from . import SourceData, SplitData

NAME = "openimages"
SPLIT_FOLDERS = {"train": "train", "val": "validation", "test": "test"}
BOX_FILES = {
    "train": ("oidv6-train-annotations-bbox.csv", "train-annotations-bbox.csv"),
    "val": ("validation-annotations-bbox.csv",),
    "test": ("test-annotations-bbox.csv",),
}
LABEL_FILES = {
    "train": ("oidv6-train-annotations-human-imagelabels-boxable.csv", "train-annotations-human-imagelabels-boxable.csv"),
    "val": ("validation-annotations-human-imagelabels-boxable.csv",),
    "test": ("test-annotations-human-imagelabels-boxable.csv",),
}
METADATA_FILES = {
    "train": ("train-images-boxable-with-rotation.csv", "train-images-with-rotation.csv"),
    "val": ("validation-images-with-rotation.csv",),
    "test": ("test-images-with-rotation.csv",),
}
CLASS_FILES = ("oidv7-class-descriptions-boxable.csv", "class-descriptions-boxable.csv")
HIERARCHY_FILE = "bbox_labels_600_hierarchy.json"
SIZES_FILE = "image_sizes.csv"

BOX_COLUMNS = {
    "ImageID": pa.string(),
    "Source": pa.dictionary(pa.int32(), pa.string()),
    "LabelName": pa.dictionary(pa.int32(), pa.string()),
    "Confidence": pa.float32(),
    "XMin": pa.float64(),
    "XMax": pa.float64(),
    "YMin": pa.float64(),
    "YMax": pa.float64(),
    "IsOccluded": pa.int8(),
    "IsTruncated": pa.int8(),
    "IsGroupOf": pa.int8(),
    "IsDepiction": pa.int8(),
    "IsInside": pa.int8(),
}
XCLICK_COLUMNS = {f"XClick{i}{axis}": pa.float32() for axis in "XY" for i in range(1, 5)}
LABEL_COLUMNS = {"ImageID": pa.string(), "Source": pa.dictionary(pa.int32(), pa.string()), "LabelName": pa.dictionary(pa.int32(), pa.string()), "Confidence": pa.float32()}
METADATA_COLUMNS = {"ImageID": pa.string(), "OriginalURL": pa.string(), "License": pa.string(), "Rotation": pa.float32()}
SIZE_COLUMNS = {"ImageID": pa.string(), "width": pa.int64(), "height": pa.int64()}

#: Normalized coordinates may overshoot [0, 1] by this much (about a pixel of a 1000-pixel image).
NORM_TOLERANCE = 1e-3


def _first(folder: Path, names: tuple[str, ...]) -> Path | None:
    return next((folder / n for n in names if (folder / n).exists()), None)


def input_files(layout: Layout) -> list[Path]:
    folder = layout.dir("openimages")
    boxes = [p for split in BOX_FILES if (p := _first(folder, BOX_FILES[split]))]
    if not boxes:
        names = ", ".join(n for names in BOX_FILES.values() for n in names)
        raise InputError(folder, f"no Open Images box files ({names})", hint="set --data-root or [paths] openimages")
    classes = _first(folder, CLASS_FILES)
    if classes is None:
        raise InputError(folder, f"no class descriptions ({' or '.join(CLASS_FILES)})", hint="download the boxable class file")
    extras = [_first(folder, names[split]) for names in (LABEL_FILES, METADATA_FILES) for split in names]
    extras += [folder / HIERARCHY_FILE, folder / SIZES_FILE]
    return boxes + [classes] + [p for p in extras if p is not None and p.exists()]


def read(layout: Layout, *, chunk_bytes: int, progress=None) -> SourceData:
    folder = layout.dir("openimages")
    input_files(layout)
    class_path = _first(folder, CLASS_FILES)
    categories, version = _categories(class_path, folder / HIERARCHY_FILE)
    data = SourceData(NAME, version, categories)
    if not (folder / HIERARCHY_FILE).exists():
        data.notes.append(f"{folder / HIERARCHY_FILE} not found: categories have no hierarchy parents")
    mids = categories.column("mid").combine_chunks()
    sizes = _SizeTable(folder / SIZES_FILE)
    for split in BOX_FILES:
        box_path = _first(folder, BOX_FILES[split])
        if box_path is None:
            continue
        data.splits.append(_split(folder, split, box_path, mids, sizes, layout, progress))
    return data


# -- classes and hierarchy ----------------------------------------------------------------------


def _categories(path: Path, hierarchy_path: Path) -> tuple[pa.Table, str]:
    text = path.read_bytes().decode("utf-8-sig", errors="strict")
    rows = list(csv.reader(io.StringIO(text)))
    version = "v6"
    if rows and [c.strip() for c in rows[0]] == ["LabelName", "DisplayName"]:
        rows, version = rows[1:], "v7"
    mids, names = [], []
    for line, row in enumerate(rows, start=2 if version == "v7" else 1):
        if not row:
            continue
        if len(row) != 2 or not row[0].startswith(("/m/", "/g/")):
            raise InputError(path, f"expected 'MID,DisplayName', found {','.join(row)!r}", record=f"line {line}")
        mids.append(row[0].strip())
        names.append(row[1])
    if len(set(mids)) != len(mids):
        raise InputError(path, "a MID appears twice")
    parents, part_of = _hierarchy(hierarchy_path) if hierarchy_path.exists() else ({}, {})
    table = pa.table(
        {
            "category_id": pa.array(range(1, len(mids) + 1), pa.int32()),
            "name": names,
            "clean_name": [n.strip() for n in names],
            "mid": mids,
            "parents": [sorted(parents.get(m, ())) for m in mids],
            "part_of": [sorted(part_of.get(m, ())) for m in mids],
            "version": [version] * len(mids),
        }
    )
    return conform(table, CATEGORIES, source=NAME), version


def _hierarchy(path: Path) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Parents (Subcategory edges) and wholes (Part edges) of every MID; a class may have several."""
    try:
        root = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as e:
        raise InputError(path, f"invalid JSON: {e.msg}", record=f"line {e.lineno}") from None
    parents: dict[str, set[str]] = {}
    part_of: dict[str, set[str]] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if not isinstance(node, dict) or "LabelName" not in node:
            raise InputError(path, f"a hierarchy node lacks 'LabelName': {str(node)[:80]}")
        for key, edges in (("Subcategory", parents), ("Part", part_of)):
            for child in node.get(key, ()):
                if isinstance(child, dict) and "LabelName" in child:
                    edges.setdefault(child["LabelName"], set()).add(node["LabelName"])
                stack.append(child)
    return parents, part_of


# -- CSV reading --------------------------------------------------------------------------------

_NUMBER = r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$"


def _header(path: Path) -> list[str]:
    with open(path, "rb") as f:
        first = f.readline()
    if not first.strip():
        raise InputError(path, "the file is empty" if not first else "the first line (header) is empty")
    return [c.strip() for c in first.decode("utf-8-sig").rstrip("\r\n").split(",")]


def read_csv(path: Path, columns: dict[str, pa.DataType], rejects: Rejects, table: str, required: tuple[str, ...] | None = None):
    """Read the named columns of a CSV; returns (table, line numbers of its rows, rows read).

    Rows with the wrong number of fields go to ``rejects`` (malformed_row); values that are not
    numbers where numbers belong go there too (bad_value). A missing column stops the run.
    """
    header = _header(path)
    required = tuple(columns) if required is None else required
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            path,
            f"the header lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)} (found: {','.join(header)})",
            record="line 1",
            hint="a renamed column or a file of another kind",
        )
    wanted = {c: t for c, t in columns.items() if c in header}
    malformed: list[tuple[int | None, str]] = []

    def on_invalid(row) -> str:
        malformed.append((row.number, row.text))
        return "skip"

    def attempt(types: dict[str, pa.DataType], threads: bool) -> pa.Table:
        malformed.clear()
        return pcsv.read_csv(
            path,
            read_options=pcsv.ReadOptions(use_threads=threads, block_size=16 << 20, column_names=header, skip_rows=1),
            parse_options=pcsv.ParseOptions(invalid_row_handler=on_invalid),
            convert_options=pcsv.ConvertOptions(column_types=types, include_columns=list(wanted), strings_can_be_null=False),
        )

    text_types = {c: (t if pa.types.is_dictionary(t) else pa.string()) for c, t in wanted.items()}
    try:
        result = attempt(wanted, True)
        typed = True
    except pa.ArrowInvalid:
        result = attempt(text_types, True)  # a value that is not a number: find it below
        typed = False
    if malformed and any(number is None for number, _ in malformed):
        result = attempt(wanted if typed else text_types, False)  # single-threaded, to learn line numbers
    lines = _line_numbers(result.num_rows, [n for n, _ in malformed])
    if malformed:
        rejects.add(
            table,
            str(path),
            [f"line {n}" if n is not None else "line ?" for n, _ in malformed],
            [None] * len(malformed),
            "malformed_row",
            [f"expected {len(header)} fields: {text[:80]!r}" for _, text in malformed],
        )
    rejected = 0
    if not typed:
        result, lines, rejected = _convert_text_columns(result, wanted, lines, path, rejects, table)
    return result, lines, result.num_rows + len(malformed) + rejected


def _line_numbers(kept: int, skipped: list[int | None]) -> np.ndarray:
    """Line numbers (header = line 1) of the rows kept after ``skipped`` lines were dropped."""
    total = kept + len(skipped)
    lines = np.arange(2, total + 2, dtype=np.int64)
    known = [n for n in skipped if n is not None]
    if known:
        lines = lines[~np.isin(lines, np.asarray(known, dtype=np.int64))]
    return lines[:kept]


def _convert_text_columns(result, wanted, lines, path, rejects, table):
    """Cast text columns to their numeric types, rejecting rows whose values are not numbers."""
    bad = np.zeros(result.num_rows, dtype=bool)
    checks = []
    for name, arrow_type in wanted.items():
        if pa.types.is_string(arrow_type) or pa.types.is_dictionary(arrow_type):
            continue
        col = result.column(name)
        fails = ~pc.match_substring_regex(col, _NUMBER).to_numpy(zero_copy_only=False)
        values = col.to_numpy(zero_copy_only=False)
        checks.append(Check("bad_value", fails, fmt_rows(f"{name} is {{v!r}}, not a number", v=values)))
    keep, failures = first_failures(result.num_rows, checks)
    rejected = 0
    for reason, rows, details in failures:
        rejects.add(table, str(path), [f"line {n}" for n in lines[rows]], [None] * len(rows), reason, details)
        rejected += len(rows)
    result = result.filter(pa.array(keep))
    cast = {}
    for name, arrow_type in wanted.items():
        col = result.column(name)
        numeric = not (pa.types.is_string(arrow_type) or pa.types.is_dictionary(arrow_type))
        cast[name] = pc.cast(pc.utf8_trim_whitespace(col), arrow_type) if numeric else col
    return pa.table(cast), lines[keep], rejected


# -- image sizes --------------------------------------------------------------------------------


class _SizeTable:
    """The optional user-supplied ``image_sizes.csv`` (ImageID,width,height), read once."""

    def __init__(self, path: Path):
        self.path = path
        self._table: pa.Table | None = None
        self.rejects = Rejects(NAME, "all")
        self.read = 0
        self.accounted = False

    def get(self) -> pa.Table | None:
        if not self.path.exists():
            return None
        if self._table is None:
            table, lines, self.read = read_csv(self.path, SIZE_COLUMNS, self.rejects, "image_sizes")
            w = table.column("width").to_numpy()
            h = table.column("height").to_numpy()
            keep, failures = first_failures(
                table.num_rows, [Check("bad_size", ~((w > 0) & (h > 0)), fmt_rows("size {w}x{h} is not positive", w=w, h=h))]
            )
            ids = table.column("ImageID").to_numpy(zero_copy_only=False)
            for reason, rows, details in failures:
                self.rejects.add("image_sizes", str(self.path), [f"line {n}" for n in lines[rows]], list(ids[rows]), reason, details)
            self._table = table.filter(pa.array(keep))
        return self._table


# -- one split ----------------------------------------------------------------------------------


def _split(folder: Path, split: str, box_path: Path, mids: pa.Array, sizes: _SizeTable, layout: Layout, progress) -> SplitData:
    rejects = Rejects(NAME, split)
    header = _header(box_path)
    columns = dict(BOX_COLUMNS)
    if all(c in header for c in XCLICK_COLUMNS):
        columns.update(XCLICK_COLUMNS)
    raw, lines, boxes_read = read_csv(box_path, columns, rejects, "boxes", required=tuple(BOX_COLUMNS))
    if progress is not None:
        progress(box_path.stat().st_size)

    files = [box_path]
    label_path = _first(folder, LABEL_FILES[split])
    labels_raw, label_lines, labels_read = (None, None, 0)
    if label_path is not None:
        labels_raw, label_lines, labels_read = read_csv(label_path, LABEL_COLUMNS, rejects, "image_labels")
        files.append(label_path)
    meta_path = _first(folder, METADATA_FILES[split])
    meta = None
    if meta_path is not None:
        meta, _, meta_read = read_csv(meta_path, METADATA_COLUMNS, rejects, "image_metadata", required=("ImageID",))
        files.append(meta_path)

    # Every ImageID seen in the split's files, sorted: image_id is the position in this list.
    id_sources = [raw.column("ImageID")]
    if labels_raw is not None:
        id_sources.append(labels_raw.column("ImageID"))
    if meta is not None:
        id_sources.append(meta.column("ImageID"))
    all_ids = pc.unique(pa.chunked_array([c for s in id_sources for c in s.chunks], pa.string()))
    all_ids = all_ids.filter(pc.not_equal(all_ids, ""))
    image_keys = all_ids.take(pc.sort_indices(all_ids))

    width, height, size_files = _sizes_for(image_keys, folder, split, sizes, layout)
    files += size_files
    images = _images_table(image_keys, width, height, meta, split)

    boxes = _boxes(raw, lines, image_keys, width, height, mids, box_path, rejects)
    labels = _labels(labels_raw, label_lines, image_keys, mids, label_path, rejects) if labels_raw is not None else None
    if labels is None:
        labels = pa.Table.from_pylist([], schema=IMAGE_LABELS)
    read = {"images": len(image_keys), "boxes": boxes_read, "image_labels": labels_read}
    if meta is not None:
        read["image_metadata"] = meta_read
    if sizes.get() is not None and not sizes.accounted:
        # image_sizes.csv serves every split; its bad rows are counted once, with the first split.
        rejects.extend(sizes.rejects)
        read["image_sizes"] = sizes.read
        sizes.accounted = True
    return SplitData(
        split=split,
        files=files,
        images=images,
        boxes=conform(boxes, BOXES, source=NAME, split=split),
        image_labels=conform(labels, IMAGE_LABELS, source=NAME, split=split),
        rejects=rejects,
        read=read,
    )


def _sizes_for(image_keys: pa.Array, folder: Path, split: str, sizes: _SizeTable, layout: Layout):
    n = len(image_keys)
    width = np.full(n, np.nan)
    height = np.full(n, np.nan)
    files = []
    table = sizes.get()
    if table is not None:
        files.append(sizes.path)
        pos = np.asarray(pc.index_in(table.column("ImageID"), value_set=image_keys).fill_null(-1))
        found = pos >= 0
        width[pos[found]] = table.column("width").to_numpy()[found]
        height[pos[found]] = table.column("height").to_numpy()[found]
    missing = np.flatnonzero(np.isnan(width))
    image_dir = folder / SPLIT_FOLDERS[split]
    if len(missing) and image_dir.is_dir():
        keys = image_keys.take(pa.array(missing)).to_pylist()
        w, h = image_sizes([image_dir / f"{k}.jpg" for k in keys], cache=layout.store / "_cache" / "image_sizes.parquet")
        width[missing] = w
        height[missing] = h
    return width, height, files


def _images_table(image_keys: pa.Array, width: np.ndarray, height: np.ndarray, meta: pa.Table | None, split: str) -> pa.Table:
    n = len(image_keys)
    columns = {
        "image_id": pa.array(np.arange(n, dtype=np.int64)),
        "source_image_id": image_keys,
        "file_name": pc.binary_join_element_wise(SPLIT_FOLDERS[split] + "/", image_keys, ".jpg", ""),
        "width": pa.array(width, pa.float64(), from_pandas=True).cast(pa.int32()),
        "height": pa.array(height, pa.float64(), from_pandas=True).cast(pa.int32()),
    }
    if meta is not None:
        meta = meta.filter(pc.not_equal(meta.column("ImageID"), ""))
        pos = np.asarray(pc.index_in(image_keys, value_set=meta.column("ImageID")).fill_null(-1))
        found = pos >= 0
        take = pa.array(np.where(found, pos, 0))
        mask = pa.array(~found)
        for src, dst, t in (("OriginalURL", "url", pa.string()), ("License", "license", pa.string()), ("Rotation", "rotation", pa.int16())):
            if src in meta.column_names:
                values = meta.column(src).take(take).combine_chunks()
                if t == pa.int16():
                    values = pc.cast(values, pa.int16())
                columns[dst] = pc.if_else(mask, pa.scalar(None, values.type), values)
    return conform(pa.table(columns), IMAGES, source=NAME, split=split)


def _category_ids(labels: pa.ChunkedArray, mids: pa.Array) -> np.ndarray:
    """1-based category ids of dictionary-encoded MIDs; 0 where the MID is unknown."""
    ids = np.zeros(len(labels), dtype=np.int32)
    offset = 0
    for chunk in labels.chunks:
        dict_ids = np.asarray(pc.index_in(chunk.dictionary, value_set=mids).fill_null(-1)) + 1
        indices = chunk.indices.fill_null(0).to_numpy() if chunk.null_count else chunk.indices.to_numpy()
        ids[offset : offset + len(chunk)] = dict_ids[indices] if len(dict_ids) else 0
        offset += len(chunk)
    return ids


def _image_positions(image_ids: pa.ChunkedArray, image_keys: pa.Array) -> np.ndarray:
    return np.asarray(pc.index_in(image_ids, value_set=image_keys).fill_null(-1))


def _boxes(raw: pa.Table, lines: np.ndarray, image_keys, width, height, mids, path: Path, rejects: Rejects) -> pa.Table:
    n = raw.num_rows
    img = _image_positions(raw.column("ImageID"), image_keys)
    cat = _category_ids(raw.column("LabelName"), mids)
    coords = {c: raw.column(c).to_numpy() if raw.column(c).null_count == 0 else raw.column(c).fill_null(np.nan).to_numpy() for c in ("XMin", "XMax", "YMin", "YMax")}
    xmin, xmax, ymin, ymax = coords["XMin"], coords["XMax"], coords["YMin"], coords["YMax"]
    label_text = lambda rows: raw.column("LabelName").take(pa.array(rows)).to_pylist()  # noqa: E731
    tol = NORM_TOLERANCE
    with np.errstate(invalid="ignore"):
        checks = [
            Check("missing_field", img < 0, const("ImageID is empty")),
            Check("unknown_category", cat == 0, lambda rows: [f"LabelName {m!r} is not in the class descriptions" for m in label_text(rows)]),
            Check("bad_bbox", ~np.isfinite(np.stack([xmin, xmax, ymin, ymax])).all(axis=0), const("XMin, XMax, YMin, YMax must be numbers")),
            Check(
                "nonpositive_size",
                ~(xmax > xmin) | ~(ymax > ymin),
                fmt_rows("XMin {a:g} XMax {b:g} YMin {c:g} YMax {d:g}: zero or negative size", a=xmin, b=xmax, c=ymin, d=ymax),
            ),
            Check(
                "outside_image",
                (xmin < -tol) | (ymin < -tol) | (xmax > 1 + tol) | (ymax > 1 + tol),
                fmt_rows("XMin {a:g} XMax {b:g} YMin {c:g} YMax {d:g}: outside [0, 1]", a=xmin, b=xmax, c=ymin, d=ymax),
            ),
        ]
    keep, failures = first_failures(n, checks)
    ids = raw.column("ImageID")
    for reason, rows, details in failures:
        rejects.add("boxes", str(path), [f"line {k}" for k in lines[rows]], ids.take(pa.array(rows)).to_pylist(), reason, details)

    keep_arr = pa.array(keep)
    raw = raw.filter(keep_arr)
    img, cat, lines = img[keep], cat[keep], lines[keep]
    xmin, xmax, ymin, ymax = xmin[keep], xmax[keep], ymin[keep], ymax[keep]
    w_img, h_img = width[img], height[img]
    columns = {
        "box_id": lines,
        "image_id": img.astype(np.int64),
        "category_id": cat,
        "x": pa.array(xmin * w_img, from_pandas=True),
        "y": pa.array(ymin * h_img, from_pandas=True),
        "w": pa.array((xmax - xmin) * w_img, from_pandas=True),
        "h": pa.array((ymax - ymin) * h_img, from_pandas=True),
        "iscrowd": pc.equal(raw.column("IsGroupOf"), 1).fill_null(False),
        "label_source": pc.cast(raw.column("Source"), pa.string()),
        "confidence": raw.column("Confidence"),
        "norm_xmin": xmin,
        "norm_xmax": xmax,
        "norm_ymin": ymin,
        "norm_ymax": ymax,
        "is_occluded": raw.column("IsOccluded"),
        "is_truncated": raw.column("IsTruncated"),
        "is_group_of": raw.column("IsGroupOf"),
        "is_depiction": raw.column("IsDepiction"),
        "is_inside": raw.column("IsInside"),
    }
    if all(c in raw.column_names for c in XCLICK_COLUMNS):
        clicks = np.stack([raw.column(c).fill_null(-1).to_numpy() for c in XCLICK_COLUMNS], axis=1).astype(np.float32)
        absent = (clicks == -1).all(axis=1)
        offsets = pa.array(np.arange(0, 8 * len(clicks) + 1, 8, dtype=np.int32))
        columns["xclick"] = pa.ListArray.from_arrays(offsets, pa.array(clicks.ravel()), mask=pa.array(absent))
    return pa.table(columns)


def _labels(raw: pa.Table, lines: np.ndarray, image_keys, mids, path: Path, rejects: Rejects) -> pa.Table:
    img = _image_positions(raw.column("ImageID"), image_keys)
    cat = _category_ids(raw.column("LabelName"), mids)
    conf = raw.column("Confidence").fill_null(np.nan).to_numpy()
    label_text = lambda rows: raw.column("LabelName").take(pa.array(rows)).to_pylist()  # noqa: E731
    checks = [
        Check("missing_field", img < 0, const("ImageID is empty")),
        Check("unknown_category", cat == 0, lambda rows: [f"LabelName {m!r} is not in the class descriptions" for m in label_text(rows)]),
        Check("bad_value", ~np.isin(conf, (0.0, 1.0)), fmt_rows("Confidence is {c:g}; expected 1 (present) or 0 (absent)", c=conf)),
    ]
    keep, failures = first_failures(raw.num_rows, checks)
    ids = raw.column("ImageID")
    for reason, rows, details in failures:
        rejects.add("image_labels", str(path), [f"line {k}" for k in lines[rows]], ids.take(pa.array(rows)).to_pylist(), reason, details)
    raw = raw.filter(pa.array(keep))
    kinds = pa.DictionaryArray.from_arrays(
        pa.array((conf[keep] == 0).astype(np.int8)), pa.array(["positive", "negative"])
    )
    return pa.table(
        {
            "image_id": img[keep].astype(np.int64),
            "category_id": cat[keep],
            "kind": kinds.cast(pa.string()),
            "label_source": pc.cast(raw.column("Source"), pa.string()),
        }
    )
