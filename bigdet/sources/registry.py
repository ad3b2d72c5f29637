"""Every source bigdet reads, declared once: what merge, export, the CLI, stats and browse know of a source.

A row (``Source``) says where a source's files are, which module reads them, which mapping table maps
its classes, what its exported train file is called, where its images live, which box attributes it
carries, and how far its image-level labels can be trusted (``LabelPolicy``, named flags read by
``bigdet.merge.settle_label_sets``). A new kind of source is one reader module and one row here;
``COCO`` is such a row: the generic reader of a user's COCO detection json
(``bigdet merge --sources lvis oi o365 NAME=PATH``), turned into one row per dataset by ``user_source``.

The order of ``BUILTIN`` is the merge's order (ids are handed out lvis, openimages, objects365);
``sampler_rank`` is BigDetection's training-set order (Objects365, Open Images, LVIS) of ``cas_weights``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path


@dataclass(frozen=True)
class LabelPolicy:
    """What a source's image-level labels verify; the README's label-set rules, as flags.

    ``lists_on_images``
        Images carry LVIS-style lists: ``not_exhaustive_category_ids`` (boxes of a listed class are
        not complete there) and ``neg_category_ids`` (verified absent). Without this flag every
        boxed class counts as completely boxed (rule 1).
    ``exhaustive_over_classes``
        Every image is verified for every class of the source (Objects365): a target fed by a
        same-meaning class is negative wherever it is not present (rule 6), and a boxed class needs
        no further verification of the other same-meaning feeders (rule 1).
    ``hypernym_fed_not_exhaustive``
        A target boxed through a hypernym mapping (Magpie -> bird) is not-exhaustive: other kinds
        of it may be unboxed (rule 2).
    ``unboxed_positives_not_exhaustive``
        A verified-present class without a box on the image makes its target not-exhaustive (rule 4).
    ``source_hierarchy``
        The source has its own class hierarchy (Open Images ``parents``): a negative holds for the
        classes below it, a present class makes its ancestors present, and a present class below a
        boxed one makes it not-exhaustive (rules 3, 5, 7).
    """

    lists_on_images: bool = False
    exhaustive_over_classes: bool = False
    hypernym_fed_not_exhaustive: bool = True
    unboxed_positives_not_exhaustive: bool = True
    source_hierarchy: bool = False


@dataclass(frozen=True)
class UserDataset:
    """A user's COCO detection dataset as given on the command line: NAME=PATH, --image-root, --mapping."""

    name: str
    path: Path  # a COCO json (train) or a folder with *train*.json and *val*.json
    image_root: Path | None = None  # default: the json's folder
    mapping: Path | None = None  # a reviewed mapping table (taxonomy/mappings columns); default: mapped automatically


@dataclass(frozen=True)
class Source:
    name: str  # the canonical name: store folder, ``source`` field of exported images
    title: str  # for messages
    aliases: tuple[str, ...]  # other names users may type
    reader: str  # module under bigdet.sources with input_files(layout) and read(layout, ...)
    folder: str  # Layout key of its annotation folder
    image_folder: str  # Layout key of its image root
    folder_help: str  # what its annotation folder holds: the help of the CLI's --FOLDER-dir option
    versions: dict[str, tuple[str, ...]]  # version -> the annotation files that identify it
    mapping_tables: dict[str, str]  # version -> table under taxonomy/mappings ("" for any version: built per dataset)
    train_file: str  # exported train file (annotations/)
    sampler_rank: int  # position in BigDetection's training-set order (cas_weights)
    box_attributes: tuple[str, ...]  # schema.BOXES columns exported on its annotations
    labels: LabelPolicy
    labels_with_lists: LabelPolicy | None = None  # the policy when its stored images carry LVIS-style lists
    dataset: UserDataset | None = None  # set for a user's dataset (rows made by user_source)
    image_folder_help: str = ""  # the same for its image root, where that is a folder of its own

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def mapping_table(self, version: str) -> str:
        return self.mapping_tables.get(version) or self.mapping_tables.get("", "")

    def module(self):
        """The reader: the module, or for a user's dataset the generic reader bound to it."""
        import importlib

        module = importlib.import_module(f"{__package__}.{self.reader}")
        return module.for_dataset(self.dataset) if self.dataset is not None else module

    def label_policy(self, manifest: dict | None = None) -> LabelPolicy:
        """The flags for the stored data: a generic source's depend on what its files held."""
        if self.labels_with_lists is not None and manifest and manifest.get("label_lists"):
            return self.labels_with_lists
        return self.labels


LVIS = Source(
    name="lvis",
    title="LVIS",
    aliases=(),
    reader="lvis",
    folder="lvis",
    image_folder="coco",
    folder_help="LVIS annotation folder",
    image_folder_help="COCO image root for LVIS",
    versions={"v1": ("lvis_v1_train.json", "lvis_v1_val.json")},
    mapping_tables={"v1": "lvis_v1"},
    train_file="bigdet_lvis_train.json",
    sampler_rank=2,
    box_attributes=(),
    labels=LabelPolicy(lists_on_images=True),
)
OPEN_IMAGES = Source(
    name="openimages",
    title="Open Images",
    aliases=("oi",),
    reader="openimages",
    folder="openimages",
    image_folder="openimages",
    folder_help="Open Images folder",
    versions={"v7": ("oidv7-class-descriptions-boxable.csv",), "v6": ("class-descriptions-boxable.csv",)},
    mapping_tables={"v6": "openimages", "v7": "openimages"},
    train_file="bigdet_oid_train.json",
    sampler_rank=1,
    box_attributes=("is_occluded", "is_truncated", "is_group_of", "is_depiction", "is_inside"),
    labels=LabelPolicy(source_hierarchy=True),
)
OBJECTS365 = Source(
    name="objects365",
    title="Objects365",
    aliases=("o365",),
    reader="objects365",
    folder="objects365",
    image_folder="objects365",
    folder_help="Objects365 folder",
    versions={"v2": ("zhiyuan_objv2_train.json", "zhiyuan_objv2_val.json"), "v1": ("objects365_train.json", "objects365_val.json")},
    mapping_tables={"v1": "objects365_v1", "v2": "objects365_v2"},
    train_file="bigdet_obj_train.json",
    sampler_rank=0,
    box_attributes=("is_fake", "is_reflected"),
    labels=LabelPolicy(exhaustive_over_classes=True),
)
#: The generic COCO detection source: a template, one row per user dataset (``user_source``).
COCO = Source(
    name="",
    title="COCO dataset",
    aliases=(),
    reader="coco",
    folder="",
    image_folder="",
    folder_help="",
    versions={"coco": ("*train*.json", "*val*.json")},
    mapping_tables={"": ""},
    train_file="bigdet_{name}_train.json",
    sampler_rank=3,
    box_attributes=(),
    labels=LabelPolicy(exhaustive_over_classes=True),
    labels_with_lists=LabelPolicy(lists_on_images=True),
)

#: The built-in sources, in the merge's order.
BUILTIN: tuple[Source, ...] = (LVIS, OPEN_IMAGES, OBJECTS365)
BY_NAME: dict[str, Source] = {n: s for s in BUILTIN for n in s.names}
#: Names users may type for each built-in source (alias -> canonical name).
ALIASES: dict[str, str] = {n: s.name for s in BUILTIN for n in s.names}
NAMES: tuple[str, ...] = tuple(s.name for s in BUILTIN)
#: The built-in sources' folders (Layout keys: lvis, coco, openimages, objects365) and what each holds: the
#: keys of a config's [paths] table and the CLI's --KEY-dir options.
FOLDERS: dict[str, str] = {key: text for s in BUILTIN
                           for key, text in ((s.folder, s.folder_help), (s.image_folder, s.image_folder_help or s.folder_help))}

_DATASET_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
#: Names a dataset may not take: the built-ins', the Layout keys of folders (``coco`` is LVIS' image root),
#: and the built-ins' train file stems (a dataset ``oid`` would write over bigdet_oid_train.json).
RESERVED = frozenset({*ALIASES, "all", "coco", "data_root", "store",
                      *(s.train_file.removeprefix("bigdet_").removesuffix("_train.json") for s in BUILTIN)})


def check_dataset_name(name: str) -> None:
    from ..errors import ConfigError

    if not _DATASET_NAME.match(name):
        raise ConfigError(f"dataset name {name!r}: use letters, digits, '_' and '-' only")
    if name.lower() in RESERVED:
        raise ConfigError(f"dataset name {name!r} is taken by a built-in source or folder; choose another")


def user_source(dataset: UserDataset) -> Source:
    """The row of a user's dataset: the generic COCO row under the dataset's name."""
    check_dataset_name(dataset.name)
    return replace(COCO, name=dataset.name, title=f"dataset {dataset.name}", folder=dataset.name, image_folder=dataset.name,
                   train_file=COCO.train_file.format(name=dataset.name), dataset=dataset)


def get(name: str, datasets: dict[str, UserDataset] | None = None) -> Source:
    """The row of a source name or alias, or of a user's dataset named in ``datasets``."""
    source = BY_NAME.get(name) or BY_NAME.get(name.lower())
    if source is not None:
        return source
    if datasets and name in datasets:
        return user_source(datasets[name])
    raise KeyError(name)


def ordered(names, datasets: dict[str, UserDataset] | None = None) -> list[Source]:
    """The rows of ``names`` in the merge's order: built-ins in ``BUILTIN`` order, then datasets by their
    train file's name (so the output does not depend on the order sources are asked in, and the exported
    files, sorted by ``exporters.record.train_file_rank``, follow the id order: "shop_train" sorts after
    "shop2_train" although "shop" sorts before "shop2")."""
    rows = {row.name: row for row in (get(n, datasets) for n in names)}
    users = sorted((r for n, r in rows.items() if n not in NAMES), key=lambda r: r.train_file)
    return [s for s in BUILTIN if s.name in rows] + users


def is_builtin(name: str) -> bool:
    return name in NAMES


def box_attributes() -> dict[str, tuple[str, ...]]:
    """Source name -> the box attributes it exports (built-ins; a dataset has none)."""
    return {s.name: s.box_attributes for s in BUILTIN}



def image_dir(source: Source, layout, sample: str | None = None) -> Path:
    """A source's image root: a built-in's Layout folder; for a dataset its --image-root, else the
    json's folder or its ``images/`` subfolder: the one holding ``sample`` (a ``file_name`` of the
    dataset) if either does, else ``images/`` when there is one."""
    if source.dataset is None:
        return layout.dir(source.image_folder)
    dataset = source.dataset
    if dataset.image_root is not None:
        return Path(dataset.image_root)
    path = Path(dataset.path)
    folder = path if path.is_dir() else path.parent
    candidates = [folder / "images", folder] if (folder / "images").is_dir() else [folder]
    return next((c for c in candidates if sample and (c / sample).is_file()), candidates[0])


def parse_datasets(sources: list[str], image_roots: list[str] | None = None, mappings: list[str] | None = None) -> tuple[list[str], dict[str, UserDataset]]:
    """Split ``--sources`` into built-in names and users' datasets (NAME=PATH), with their
    ``--image-root NAME=DIR`` and ``--mapping NAME=CSV``; every mistake is one line."""
    from ..errors import ConfigError

    names, paths = [], {}
    for item in sources:
        if "=" not in item:
            names.append(item)
            continue
        name, _, path = item.partition("=")
        check_dataset_name(name)
        if not path:
            raise ConfigError(f"--sources {item!r}: expected NAME=PATH, PATH a COCO json or a folder with *train*.json and *val*.json")
        if name.casefold() in {p.casefold() for p in paths}:  # "Mine" and "mine" collide on a case-insensitive file system
            raise ConfigError(f"--sources {item!r}: the dataset {name!r} is given twice (names are compared ignoring case)")
        if not Path(path).exists():
            raise ConfigError(f"--sources {item!r}: {path} does not exist")
        paths[name] = Path(path)

    def per_dataset(option: str, values: list[str] | None, what: str, exists) -> dict[str, Path]:
        out: dict[str, Path] = {}
        for value in values or ():
            name, sep, path = value.partition("=")
            if not sep or not name or not path:
                raise ConfigError(f"{option} {value!r}: expected NAME={what}")
            if name not in paths:
                raise ConfigError(f"{option} {value!r}: no dataset {name!r} in --sources (give NAME=PATH there)")
            if name in out:
                raise ConfigError(f"{option} {value!r}: the dataset {name!r} is given twice")
            if not exists(Path(path)):
                raise ConfigError(f"{option} {value!r}: {path} is not a {'folder' if what == 'DIR' else 'file'}")
            out[name] = Path(path)
        return out

    roots = per_dataset("--image-root", image_roots, "DIR", Path.is_dir)
    tables = per_dataset("--mapping", mappings, "CSV", Path.is_file)
    return names, {name: UserDataset(name, path, roots.get(name), tables.get(name)) for name, path in paths.items()}
