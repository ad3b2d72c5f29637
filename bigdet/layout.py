"""Where the downloaded datasets live: the standard layout, a config file, and per-path overrides.

Standard layout under ``--data-root`` (default ``./data``)::

    DATA_ROOT/lvis/         lvis_v1_train.json, lvis_v1_val.json
    DATA_ROOT/coco/         train2017/, val2017/            (LVIS images, from coco_url)
    DATA_ROOT/openimages/   box CSVs, class descriptions, hierarchy, optional labels / sizes; train/, validation/, test/
    DATA_ROOT/objects365/   zhiyuan_objv2_{train,val}.json or objects365_{train,val}.json; train/, val/

Precedence: a command-line option, then the config file (``bigdet.toml`` in the working directory,
or ``--config``), then the standard layout.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from .errors import ConfigError

CONFIG_FILE = "bigdet.toml"


@dataclass
class Layout:
    data_root: Path = Path("data")
    store: Path = Path("store")
    lvis: Path | None = None  # annotation folders; None means DATA_ROOT/<name>
    coco: Path | None = None  # LVIS image root
    openimages: Path | None = None
    objects365: Path | None = None
    #: users' COCO datasets by name (``merge --sources NAME=PATH``): bigdet.sources.registry.UserDataset
    datasets: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None and f.name != "datasets":
                setattr(self, f.name, Path(value))

    def dir(self, name: str) -> Path:
        value = getattr(self, name)
        return Path(value) if value is not None else self.data_root / name

    def inputs(self) -> list[tuple[str, Path]]:
        """The input folders, named for messages: what an output must never be, contain or lie in."""
        from .sources.registry import BUILTIN

        names = dict.fromkeys(n for s in BUILTIN for n in (s.folder, s.image_folder))  # lvis, coco, openimages, objects365
        folders = [("the data root", self.data_root)] + [(f"the {name} folder", self.dir(name)) for name in names]
        for name, d in self.datasets.items():
            folders.append((f"dataset {name}", Path(d.path)))
            if d.image_root is not None:
                folders.append((f"the image root of dataset {name}", Path(d.image_root)))
        return folders

    @classmethod
    def load(cls, config: Path | None = None, **overrides) -> "Layout":
        """Build a layout from the config file (if any) and the non-None ``overrides``."""
        values: dict[str, object] = {}
        path = Path(config) if config is not None else Path(CONFIG_FILE)
        if config is not None and not path.exists():
            raise ConfigError(f"{path}: config file not found")
        if path.exists():
            try:
                doc = tomllib.loads(path.read_text())
            except tomllib.TOMLDecodeError as e:
                raise ConfigError(f"{path}: invalid TOML: {e}") from None
            known = {f.name for f in fields(cls)} - {"datasets"}
            paths = doc.get("paths", {})
            unknown = set(paths) - known
            if unknown:
                raise ConfigError(f"{path}: unknown key(s) in [paths]: {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
            base = path.parent
            values.update({k: base / v for k, v in paths.items()})
        values.update({k: Path(v) for k, v in overrides.items() if v is not None})
        return cls(**values)
