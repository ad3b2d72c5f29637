from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bigdet.layout import Layout
from bigdet.synth import synthesize

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def synth_root(tmp_path_factory) -> Path:
    """A tiny synthetic download of all three sources (read-only: copy before changing it)."""
    root = tmp_path_factory.mktemp("synth")
    synthesize(root, 0.0005, seed=7)
    return root


@pytest.fixture
def data_root(tmp_path, synth_root) -> Path:
    """A private, writable copy of the synthetic download."""
    root = tmp_path / "data"
    shutil.copytree(synth_root, root)
    return root


@pytest.fixture
def layout(tmp_path, data_root) -> Layout:
    return Layout(data_root=data_root, store=tmp_path / "store")


def write_json(path: Path, doc, **kwargs) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, **kwargs))
    return path


def coco_doc(images, annotations, categories, **extra) -> dict:
    return {"info": {}, "images": images, "annotations": annotations, "categories": categories, **extra}


def write_merged(out: Path, name: str, doc) -> Path:
    """A hand-made merge output: ``out/annotations/<name>`` plus the merge_report.json and
    cas_weights.json that ``validate`` checks the file list against."""
    path = write_json(out / "annotations" / name, doc)
    write_json(out / "merge_report.json", {"files": {name: {}}})
    write_json(out / "cas_weights.json", {"files": {}})
    return path
