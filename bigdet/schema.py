"""The common Arrow schema every reader writes and every later stage reads.

Four tables per source and split, plus one categories table per source:

``images``        one row per image.
``boxes``         one row per box.
``image_labels``  image-level label sets: verified positives, verified negatives, not-exhaustive classes.
``rejects``       one row per input record that could not be stored, with a reason code.
``categories``    the source's own class list, with everything the source says about each class.

Conventions
-----------
* **Boxes** are ``x, y, w, h`` in absolute pixels of the image as stored, origin at the top-left
  corner, float64 (COCO's convention). LVIS and Objects365 values are stored exactly as parsed, so
  they come back out bit for bit. Open Images boxes are converted from the normalized
  ``XMin, XMax, YMin, YMax`` (kept as ``norm_*``) with the image's width and height; when the size
  is unknown, ``x, y, w, h`` are null and merge counts such boxes as ``unknown_image_size``.
* **Ids** are the source's own: ``image_id`` is the LVIS / Objects365 image id, or for Open Images
  the 16 hex digits of the ``ImageID`` read as one 64-bit integer (stable across files and runs;
  ``source_image_id`` keeps the hex string). ``box_id`` is the annotation id, or for Open Images
  the CSV line number (the header is line 1). ``category_id`` is the source's category id, or for Open Images the 1-based row
  of the MID in the class-descriptions file.
* **Label sets** (``image_labels.kind``): ``positive`` (verified present), ``negative`` (verified
  absent), ``not_exhaustive`` (present, not every instance boxed). LVIS positives are implied by its
  boxes and not repeated; its ``neg_category_ids`` / ``not_exhaustive_category_ids`` land here.
* ``source`` and ``split`` are dictionary-encoded columns on every row, so any table read on its
  own still says where each row came from.
"""

from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = "2"  # 2: rejects carry a rejected box's image_id and category_id

SPLITS = ("train", "val", "test")

_TAG = pa.dictionary(pa.int8(), pa.string())

IMAGES = pa.schema(
    [
        ("source", _TAG),
        ("split", _TAG),
        ("image_id", pa.int64()),
        ("source_image_id", pa.string()),
        ("file_name", pa.string()),  # relative to the source's image root (see README, data layout)
        ("width", pa.int32()),  # null when unknown (Open Images without sizes)
        ("height", pa.int32()),
        ("license", pa.string()),
        ("url", pa.string()),  # LVIS coco_url, Open Images OriginalURL, Objects365 url
        ("flickr_url", pa.string()),  # LVIS only
        ("date_captured", pa.string()),  # LVIS only
        ("rotation", pa.int16()),  # Open Images Rotation (degrees counter-clockwise); null if not given
    ]
)

BOXES = pa.schema(
    [
        ("source", _TAG),
        ("split", _TAG),
        ("box_id", pa.int64()),
        ("image_id", pa.int64()),
        ("category_id", pa.int32()),
        ("x", pa.float64()),
        ("y", pa.float64()),
        ("w", pa.float64()),
        ("h", pa.float64()),
        ("area", pa.float64()),  # as the source gives it (LVIS, Objects365); null for Open Images
        ("iscrowd", pa.bool_()),  # Objects365 iscrowd == 1 or Open Images IsGroupOf == 1
        # Objects365 v2
        ("is_fake", pa.bool_()),
        ("is_reflected", pa.bool_()),
        # Open Images: the row as given (attributes 1 present, 0 absent, -1 unknown)
        ("label_source", _TAG),  # Open Images Source: xclick, activemil, freeform
        ("confidence", pa.float32()),
        ("norm_xmin", pa.float64()),
        ("norm_xmax", pa.float64()),
        ("norm_ymin", pa.float64()),
        ("norm_ymax", pa.float64()),
        ("is_occluded", pa.int8()),
        ("is_truncated", pa.int8()),
        ("is_group_of", pa.int8()),
        ("is_depiction", pa.int8()),
        ("is_inside", pa.int8()),
        # LVIS polygons, [[x1, y1, x2, y2, ...], ...]
        ("segmentation", pa.list_(pa.list_(pa.float64()))),
    ]
)

LABEL_KINDS = ("positive", "negative", "not_exhaustive")

IMAGE_LABELS = pa.schema(
    [
        ("source", _TAG),
        ("split", _TAG),
        ("image_id", pa.int64()),
        ("category_id", pa.int32()),
        ("kind", _TAG),  # one of LABEL_KINDS
        ("label_source", _TAG),  # lvis, or the Open Images Source (verification, crowdsource-verification, ...)
    ]
)

CATEGORIES = pa.schema(
    [
        ("source", _TAG),
        ("category_id", pa.int32()),
        ("name", pa.string()),  # exactly as in the file, trailing spaces and typos included
        ("clean_name", pa.string()),  # whitespace stripped; known Objects365 typos fixed
        ("mid", pa.string()),  # Open Images MID
        ("synset", pa.string()),  # LVIS WordNet 3.0 synset
        ("synonyms", pa.list_(pa.string())),
        ("definition", pa.string()),
        ("frequency", pa.string()),  # LVIS r / c / f
        ("image_count", pa.int64()),
        ("instance_count", pa.int64()),
        ("parents", pa.list_(pa.string())),  # Open Images hierarchy: Subcategory parents (MIDs)
        ("part_of", pa.list_(pa.string())),  # Open Images hierarchy: Part parents (MIDs)
        ("version", pa.string()),  # lvis v1; openimages v6 / v7 class file; objects365 v1 / v2
    ]
)

REJECTS = pa.schema(
    [
        ("source", _TAG),
        ("split", _TAG),
        ("table", pa.string()),  # images, boxes, image_labels
        ("file", pa.string()),
        ("record", pa.string()),  # "annotations[12]" or "line 345"
        ("source_id", pa.string()),  # the record's own id, as text, when it has one
        ("reason", pa.string()),  # a key of REJECT_REASONS
        ("detail", pa.string()),
        # a rejected box's image and source category, each when it is one the file lists (else
        # null): merge keeps that class from being negative on that image (merge.py, rule 4)
        ("image_id", pa.int64()),
        ("category_id", pa.int32()),
    ]
)

TABLES = {
    "images": IMAGES,
    "boxes": BOXES,
    "image_labels": IMAGE_LABELS,
    "rejects": REJECTS,
}

#: Why a record was not stored. Codes are stable: reports and tests refer to them.
REJECT_REASONS = {
    "missing_field": "a required field is absent or null",
    "bad_value": "a field has the wrong type, is not a number, or is beyond the range it is stored in "
    "(ids: 64-bit; width, height: 32-bit)",
    "bad_bbox": "the box is not four finite numbers",
    "nonpositive_size": "the box has zero or negative width or height",
    "outside_image": "the box lies outside its image by more than the tolerance",
    "unknown_category": "the category id or label is not in the file's category list",
    "missing_image": "the box or label refers to an image that is not in the file",
    "duplicate_image_id": "an image id seen before in the same file (the first is kept)",
    "duplicate_box_id": "a box id seen before in the same file (the first is kept)",
    "bad_size": "the image has a missing, zero or negative width or height",
    "malformed_row": "a CSV row with the wrong number of fields",
    "bad_path": "the image path (file_name, coco_url) is empty, absolute, holds a NUL or a '.' / '..' part",
    "unreadable_image": "the image file exists but could not be read for its size (the error is in the detail)",
}

#: How far (pixels) a box may stick out of its image before it is rejected as outside_image.
#: Real annotations overshoot by rounding; one pixel keeps those and rejects real errors.
OUTSIDE_TOLERANCE_PX = 1.0

#: The source attributes a COCO export carries on its annotations: per field, the values it may
#: take and what a null (a blank CSV cell, a key absent from a record) becomes. Decided per field:
#: Open Images flags have their own "unknown" value, -1, so a null is written as -1 (as the files
#: themselves write it); Objects365 flags have none, so the key is left out of that annotation.
#: No other value is written, and ``bigdet validate`` refuses any other value.
OMIT = None
EXPORTED_ATTRIBUTES: dict[str, tuple[tuple, object]] = {
    # name: (allowed values, what a null becomes: a value, or OMIT)
    "is_occluded": ((-1, 0, 1), -1),
    "is_truncated": ((-1, 0, 1), -1),
    "is_group_of": ((-1, 0, 1), -1),
    "is_depiction": ((-1, 0, 1), -1),
    "is_inside": ((-1, 0, 1), -1),
    "is_fake": ((False, True), OMIT),
    "is_reflected": ((False, True), OMIT),
}


def tag_array(value: str, length: int) -> pa.DictionaryArray:
    """A dictionary column holding one value ``length`` times, cheap at any length."""
    import numpy as np

    return pa.DictionaryArray.from_arrays(np.zeros(length, dtype=np.int8), pa.array([value]))


def conform(table: pa.Table, schema: pa.Schema, **constants: str) -> pa.Table:
    """Return ``table`` with exactly ``schema``'s columns, in order.

    Missing columns become nulls; ``constants`` (e.g. ``source="lvis"``) fill tag columns.
    Extra columns are an error: a reader that produces one has a bug.
    """
    extra = set(table.column_names) - set(schema.names) - set(constants)
    if extra:
        raise ValueError(f"columns not in the schema: {sorted(extra)}")
    n = table.num_rows
    columns = []
    for field in schema:
        if field.name in constants:
            columns.append(tag_array(constants[field.name], n))
        elif field.name in table.column_names:
            col = table.column(field.name)
            if col.type != field.type:
                col = col.cast(field.type)
            columns.append(col)
        else:
            columns.append(pa.nulls(n, field.type))
    return pa.Table.from_arrays(columns, schema=schema)
