"""How merge's options combine: --against needs --dedup; --holdout never splits a photo from its copy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bigdet.build import holdout, run
from bigdet.dedup import train_images_with_train_copies
from bigdet.errors import ConfigError
from bigdet.layout import Layout
from bigdet.merge import Part


def part(source: str, image_ids: list[int], box_images: list[int], box_classes: list[int]) -> Part:
    empty = np.zeros((0, 2), dtype=np.int64)
    images = {"image_id": np.array(image_ids, dtype=np.int64), "ok": np.ones(len(image_ids), dtype=bool)}
    boxes = {"image_index": np.array(box_images, dtype=np.int64), "category_id": np.array(box_classes, dtype=np.int32)}
    return Part(source, "train", images, boxes, empty, empty, None, empty, {})


def test_against_without_dedup_is_refused_before_any_work(tmp_path):
    with pytest.raises(ConfigError, match="--against names reference images for --dedup; add --dedup"):
        run(Layout(data_root=tmp_path / "data", store=tmp_path / "store"), ["lvis"], tmp_path / "out", against={"ref": tmp_path})
    assert not (tmp_path / "out").exists() and not (tmp_path / "store").exists()


def test_images_with_a_train_copy_are_marked_in_part_order():
    parts = [part("openimages", [10, 11, 12], [], []), part("objects365", [20, 21], [], [])]
    pairs = pd.DataFrame(
        {
            "source_a": ["openimages", "lvis", "openimages"], "split_a": ["train", "val", "train"], "image_id_a": [11.0, 5.0, 12.0],
            "source_b": ["objects365", "openimages", "reference"], "split_b": ["train", "train", "reference"], "image_id_b": [21.0, 10.0, np.nan],
        }
    )
    # only the train ~ train pair counts: 11 (Open Images) and 21 (Objects365); val and reference pairs do not
    assert train_images_with_train_copies(pairs, parts).tolist() == [False, True, False, False, True]


def test_holdout_never_draws_an_excluded_image():
    # class 7 is on images 0 and 1 only: the rare-class pass would take one of them
    train = [part("openimages", list(range(6)), [0, 1, 2, 3, 4, 5], [7, 7, 8, 8, 8, 8])]
    free = holdout(train, 3)
    assert free[:2].any() and free.sum() == 3
    exclude = np.array([True, True, False, False, False, False])
    chosen = holdout(train, 3, exclude=exclude)
    assert not chosen[:2].any() and chosen.sum() == 3
    assert holdout(train, 10, exclude=exclude).tolist() == [False, False, True, True, True, True]
