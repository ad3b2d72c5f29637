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
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError

CONFIG_FILE = "bigdet.toml"


@dataclass
class Layout:
    data_root: Path = Path("data")
    store: Path = Path("store")
    #: the built-in sources' folders given elsewhere than DATA_ROOT/<key>, by their keys in the registry's
    #: FOLDERS (lvis, coco, openimages, objects365)
    folders: dict = field(default_factory=dict)
    #: users' COCO datasets by name (``merge --sources NAME=PATH``): bigdet.sources.registry.UserDataset
    datasets: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.data_root, self.store = Path(self.data_root), Path(self.store)
        self.folders = {key: Path(value) for key, value in self.folders.items() if value is not None}

    def dir(self, name: str) -> Path:
        return self.folders.get(name, self.data_root / name)

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
    def load(cls, config: Path | None = None, data_root: Path | None = None, store: Path | None = None,
             folders: dict[str, Path | None] | None = None) -> "Layout":
        """Build a layout from the config file (if any) and the paths given here (None: not given)."""
        from .sources.registry import FOLDERS

        known = {"data_root", "store", *FOLDERS}
        values: dict[str, Path] = {}
        path = Path(config) if config is not None else Path(CONFIG_FILE)
        if config is not None and not path.exists():
            raise ConfigError(f"{path}: config file not found")
        if path.exists():
            try:
                doc = tomllib.loads(path.read_text())
            except tomllib.TOMLDecodeError as e:
                raise ConfigError(f"{path}: invalid TOML: {e}") from None
            paths = doc.get("paths", {})
            unknown = set(paths) - known
            if unknown:
                raise ConfigError(f"{path}: unknown key(s) in [paths]: {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
            base = path.parent
            values.update({k: base / v for k, v in paths.items()})
        given = {"data_root": data_root, "store": store, **(folders or {})}
        values.update({k: Path(v) for k, v in given.items() if v is not None})
        if not set(values) <= known:
            raise ValueError(f"unknown folder(s) {sorted(set(values) - known)}; known: {sorted(known)}")
        return cls(data_root=values.pop("data_root", cls.data_root), store=values.pop("store", cls.store), folders=values)
