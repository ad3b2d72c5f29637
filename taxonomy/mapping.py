"""Map every source class onto the label space, explain each decision, and read/write the tables.

For each source class, in order (the first step that finds a target decides):

1. ``synset``   the class's synset is a target's synset (LVIS gives it; others are resolved by
                ``taxonomy.names``);
2. ``lemma``    one of the class's names is a target's name, LVIS synonym or WordNet lemma, and
                the two senses are of compatible kinds (see KINDS) where both are known;
3. ``hypernym`` a target is a WordNet ancestor of the class within MAX_HYPERNYM_DISTANCE steps
                (MAX_ANIMAL_DISTANCE for animals, MAX_PLANT_DISTANCE for binomials), or a parent in the source's own hierarchy is a
                target (Open Images files ``Blue jay`` under ``Bird``)
                (CROSS_KIND_DISTANCE across lexicographer files): the class is a kind of that target
                (``Other Shoes`` -> shoe, ``Man`` -> person); a synset that
                ``taxonomy/data/target_kinds.csv`` declares a kind of a target counts as one step
                below it (WordNet's ships and sailing vessels are boats);
4. ``fuzzy``    only for names WordNet does not know: a target name within the rapidfuzz cutoff;
5. ``none``     dropped: no target means the same thing (body parts, classes broader than any
                target such as ``Animal``).

A hypernym option also comes from an animal's common name: a class whose name ends in an animal
target's name and which WordNet files under every parent of that target is that target (CUB's Field
Sparrow, a New World sparrow, is the sparrow). ``map_classes`` (any dataset's list, ``taxonomy map``)
then gives a class named exactly like a class of a shipped source that source's reviewed decision
(``man`` as Open Images' ``Man``: person), when every shipped source with that name agrees. It reads
naming conventions of datasets first (``read_naming``: category paths such as nuScenes'
``vehicle.bus.rigid``, head-first names such as EPIC-KITCHENS' ``onion:spring``, vehicle model names
ending in a model year, a kind most of a list writes before its names such as TrashCan's ``animal_eel``,
CamelCase words a target or a shipped class names such as ZOD's ``TrafficSign``), and a name whose sense maps to
nothing is read in another sense that is a direct kind of a listed target class (``_list_senses``:
KITTI's Van beside Truck).

The manual overrides file (``taxonomy/overrides.csv``: source, source_name, target or ``drop``,
reason) wins over all of this (method ``manual``).

A folder of tables records the label space they were built for in ``label_space.json``: its name, a
fingerprint of its classes (ids and names) and the SHA-256 of each table. ``read_table(...,
label_space=...)`` refuses a table built for another label space (or changed after it was built), and
``write_tables`` refuses to write tables of any label space but bigdet600 over the shipped ones.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from . import reference
from .names import ABSENCE_WORDS, MIN_JOINED_PART, _names_thing, a_wordnet_noun, NAMED_ASIDE, ORGANISM_LEXNAMES, PLAYTHING, PREPOSITIONS, _modifiers, a_thing, alternatives, binomial_list, binomial_shaped, colour_word, compounds_by_first_word, first_sense_animal, head_noun, head_senses, lists_synonyms, named_thing, participle, prepositional_head, resolve, takes_postures, taxon_kind
from .targets import Target, Targets
from .wordnet import PHYSICAL_LEXNAMES, ancestors, is_kind_of, noun_synsets, wordnet
from .wordnet import synset as wn_synset

MAX_HYPERNYM_DISTANCE = 4
#: WordNet files things under containers by what they hold, not by their shape: a cash register
#: is a cashbox, a strongbox, a box (3 steps), yet no detector's box. Containers count 2 steps.
MAX_CONTAINER_DISTANCE = 2
CONTAINER = "container.n.01"
#: WordNet's conveyance: the vehicles, a kind a toy copies and the kind a joined word may name by its use
#: (``_vehicle_by_its_use``).
CONVEYANCE = "conveyance.n.03"
#: What a toy copies, by WordNet's kinds: a toy car, boat, bicycle, tank or airplane (conveyance.n.03, vehicles and
#: craft), gun or sword (weapon.n.01), piano or drum (musical_instrument.n.01), and the devices children play at using
#: that WordNet files by themselves: a robot (automaton.n.02), a phone (telephone.n.01), a camera (camera.n.01). A toy
#: before anything else names what holds, stores or sells toys (a toy box, shelf, holder, cabinet, organizer, store,
#: room) or a toy's part or supply (a toy car battery): no likeness. A positive set, since those have no one kind. A
#: toy also copies natural things no toy breed or toy product is named after: a plant (plant.n.02: HomeRobot's
#: ``toy_cactus``, a plush or plastic cactus) and a fruit (fruit.n.01, which WordNet's edible fruits are too: a toy
#: pineapple), and an animal of no kind whose breeds WordNet's toy names (``_toy_animal``: a toy horse, a toy duck;
#: a toy fox terrier is a dog's breed); not a body (WordNet's natural objects hold the human body: a toy person stays
#: an imitation with no target).
TOY_COPIES = frozenset({CONVEYANCE, "weapon.n.01", "musical_instrument.n.01", "automaton.n.02", "telephone.n.01", "camera.n.01", "plant.n.02", "fruit.n.01"})
#: WordNet's zoological taxonomy is deeper and sound all the way up: a yellow-breasted chat is 6 steps
#: below bird (chat, New World warbler, oscine, passerine, bird), and every one of them is a bird.
MAX_ANIMAL_DISTANCE = 8
#: So is its botanical one, for the plant targets (tree, maple, palm, willow, rose, lily, lavender, fruit), where the
#: name is the plant's Latin binomial in a list of them: Leafsnap's ``abies_concolor``, the white fir, is 5 steps below
#: tree (silver fir, fir, conifer, gymnospermous tree). A common name often names the fruit too, which WordNet files as
#: the plant (LVIS's clementine, V3Det's bergamot and nagami: the fruit, WordNet's trees): those keep the 4 steps.
MAX_PLANT_DISTANCE = MAX_ANIMAL_DISTANCE
CROSS_KIND_DISTANCE = 3  # raspberry (food) -> berry -> edible fruit -> fruit (plant)
FUZZY_TARGET_CUTOFF = 88.0
METHODS = ("synset", "lemma", "hypernym", "fuzzy", "manual", "none")
SOURCES = ("lvis_v1", "openimages", "objects365_v1", "objects365_v2")
COLUMNS = ("source_category_id", "source_name", "target", "target_id", "method", "score", "synset", "runner_up", "note")
MAPPINGS_DIR = Path(__file__).parent / "mappings"
LABEL_SPACE_FILE = "label_space.json"
OVERRIDES = Path(__file__).parent / "overrides.csv"
#: Reviewed synonyms of the targets that are not LVIS classes (LVIS gives its own classes theirs)
TARGET_SYNONYMS = Path(__file__).parent / "data" / "target_synonyms.csv"
TARGET_KINDS = Path(__file__).parent / "data" / "target_kinds.csv"


@dataclass
class SourceClass:
    source: str
    id: int
    name: str  # as released (stripped of surrounding spaces)
    match_name: str  # what matching reads: typos fixed
    synset: str | None = None  # given by the source (LVIS)
    synonyms: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()  # parent class names in the source's own hierarchy (Open Images)
    path: bool = False  # read from a category path: parents are its segments, nearest first (read_naming)


@dataclass
class Option:
    target: str
    target_id: int
    method: str
    score: float
    detail: str


@dataclass
class Decision:
    source: SourceClass
    target: str | None
    target_id: int | None
    method: str
    score: float
    synset: str | None
    options: list[Option] = field(default_factory=list)  # every candidate considered, best first
    note: str = ""
    resolution: object = None  # taxonomy.names.Resolution, for explain
    reviewed: bool = False  # a shipped table's decision for the same name (``_as_shipped``)
    joined: bool = False  # read as two classes in one (``_joined_classes``): no rule reads it as a modifier and head

    @property
    def by_a_rule(self) -> bool:
        """An earlier list rule decided it: its note says why, or ``_joined_classes`` read it as two classes (and kept
        its target, writing no note). The later rules leave such a decision as it is."""
        return bool(self.note) or self.joined

    def row(self) -> dict:
        runner = [o for o in self.options if o.target != self.target][:3]
        return {
            "source_category_id": self.source.id,
            "source_name": self.source.name,
            "target": self.target or "",
            "target_id": self.target_id or "",
            "method": self.method,
            "score": f"{self.score:.2f}",
            "synset": self.synset or "",
            "runner_up": "; ".join(f"{o.target} ({o.method} {o.score:.2f})" for o in runner),
            "note": self.note,
        }


# -- the source class lists ---------------------------------------------------------------------


def source_classes(source: str) -> list[SourceClass]:
    """The shipped category list of a source, as SourceClass records."""
    if source == "lvis_v1":
        # LVIS joins the words of a name with "_": a space separates two names
        # ("monitor_(computer_equipment) computer_monitor"), read as alternatives like "/".
        return [
            SourceClass(source, c["id"], c["name"], c["name"].replace(" ", "/"), c["synset"], tuple(c["synonyms"]))
            for c in reference.lvis_categories()
        ]
    if source == "openimages":
        classes = reference.openimages_classes()
        names = dict(classes)
        parents = _openimages_parents()
        return [
            SourceClass(source, i, name.strip(), name.strip(), parents=tuple(sorted(names[p] for p in parents.get(mid, ()) if p in names)))
            for i, (mid, name) in enumerate(classes, start=1)
        ]
    if source == "objects365_v1":
        return [SourceClass(source, c["id"], c["name"].strip(), c["name"].strip()) for c in sorted(reference.objects365_v1_categories(), key=lambda c: c["id"])]
    if source == "objects365_v2":
        return [SourceClass(source, i, orig, fixed) for i, orig, fixed in reference.objects365_v2_categories()]
    raise ValueError(f"unknown source {source!r}; sources are {', '.join(SOURCES)}")


def _openimages_parents() -> dict[str, set[str]]:
    parents: dict[str, set[str]] = {}
    stack = [reference.openimages_hierarchy()]
    while stack:
        node = stack.pop()
        for child in node.get("Subcategory", ()):
            parents.setdefault(child["LabelName"], set()).add(node["LabelName"])
            stack.append(child)
        stack.extend(node.get("Part", ()))
    return parents


# -- matching -----------------------------------------------------------------------------------


class Matcher:
    def __init__(self, targets: Targets, *, binomials: bool = False):
        self.targets = targets
        #: the list is one of Latin species names (``names.binomial_list``): its lower-case binomials are species
        self.binomials = binomials
        self.target_synsets = frozenset(t.synset for t in targets if t.synset)
        #: reviewed kinds of a target that WordNet files elsewhere (``target_kinds.csv``: ship.n.01 is a boat),
        #: never a synset that is itself a target's
        self.kind_of: dict[str, Target] = {}
        #: kinds of those that do not count (a shipwreck is no boat)
        self.not_kind_of: dict[str, frozenset] = {}
        for name, (synsets, excepted) in target_kinds().items():
            t = targets.by_name.get(name)
            for s in synsets if t is not None else ():
                if s not in targets.by_synset:
                    if s in self.kind_of and self.kind_of[s] is not t:
                        raise ValueError(f"{TARGET_KINDS.name}: {s} is declared a kind of both {self.kind_of[s].name} and {t.name}")
                    self.kind_of[s] = t
                    self.not_kind_of[s] = self.not_kind_of.get(s, frozenset()) | frozenset(excepted)
        self.by_lemma: dict[str, list] = {}
        extra = target_synonyms()
        for t in targets:
            keys = set(alternatives(t.name)) | {a for s in t.synonyms + extra.get(t.name, ()) for a in alternatives(s)}
            node = wn_synset(t.synset) if t.synset else None
            if node is not None:
                keys |= {lemma.lower() for lemma in node.lemma_names()}
            for k in keys | {k.replace("_", "") for k in keys}:  # "showerhead" names shower_head
                if t not in self.by_lemma.setdefault(k, []):
                    self.by_lemma[k].append(t)
        #: a name's qualifier picks one sense of a word: "glass_(drink_container)", "monitor (computer
        #: equipment)". The bare word names that target for a class of a compatible kind.
        self.by_bare: dict[str, list] = {}
        for t in targets:
            for name in (t.name, *t.synonyms, *extra.get(t.name, ())):
                bare = _bare(name)
                if bare and bare not in self.by_lemma and t not in self.by_bare.setdefault(bare, []):
                    self.by_bare[bare].append(t)
        self.named = {}
        for t in targets:
            for key in alternatives(t.name)[:1]:
                self.named.setdefault(key, t.synset)
                self.named.setdefault(key.replace("_", ""), t.synset)  # "showerhead" names shower_head
        for t in targets:
            # a reviewed synonym that qualifies a word by this target ("bike_(bicycle)") says the bare word,
            # a WordNet lemma of this target's synset too, names it: a "bike" is the bicycle, though
            # WordNet lists its motorcycle sense first
            node = wn_synset(t.synset) if t.synset else None
            lemmas = {lemma.lower() for lemma in node.lemma_names()} if node is not None else set()
            for synonym in t.synonyms:
                bare = _bare(synonym)
                if bare in lemmas:
                    self.named.setdefault(bare, t.synset)
        self._plain: dict[str, str | None] = {}
        #: a target's name without its parenthesized qualifier: "orange" names orange_(fruit)
        self.by_head: dict[str, list] = {}
        for t in targets:
            bare = alternatives(t.name.split("_(")[0] if t.name.endswith(")") else t.name)
            for key in bare[:1]:
                self.by_head.setdefault(key, []).append(t)

    def names_thing(self, name: str) -> bool:
        """The name is a target's name or has a physical WordNet sense (its head noun's counts)."""
        from .names import _lookup, _names_thing

        return any(alt in self.by_lemma or _names_thing(_lookup(alt)[0]) for alt in alternatives(name))

    def plain_synset(self, name: str) -> str | None:
        """A name's synset without context (used for the parents that give context)."""
        if name not in self._plain:
            alts = alternatives(name)
            kind = next((f"{alts[0]}_{noun}" for noun in ("device", "equipment") if alts and not noun_synsets(alts[0]) and noun_synsets(f"{alts[0]}_{noun}")), None)
            if kind is not None:  # COCO's supercategory "electronic": an electronic device
                self._plain[name] = noun_synsets(kind)[0].name()
            else:
                r = resolve(name, targets=self.target_synsets, named=self.named, fuzzy=False, binomials=self.binomials)
                self._plain[name] = r.synset if r else None
        return self._plain[name]

    def _parent_target_excludes(self, parent: str, tnode) -> bool:
        """The parent is itself a target and ``tnode`` is no kind of it."""
        p = self.plain_synset(parent)
        return p in self.targets.by_synset and wn_synset(p) not in ancestors(tnode)

    def decide(self, c: SourceClass) -> Decision:
        resolution = None
        synset = c.synset if c.synset and wn_synset(c.synset) is not None else None
        if synset is None:
            parents = tuple(s for s in (wn_synset(self.plain_synset(p)) for p in c.parents if self.plain_synset(p)) if s is not None)
            # a path's nearest segment gives its kind of thing too: "human.pedestrian.adult" is the
            # grown person (noun.person, as a pedestrian is), not WordNet's adult animal
            kind = parents[0].lexname() if c.path and parents else None
            resolution = resolve(c.match_name, parents=parents, targets=self.target_synsets, named=self.named, kind=kind, binomials=self.binomials)
            synset = resolution.synset if resolution else None
        head = resolution is not None and resolution.how == "head"
        options = self._options(c, synset, head, resolution)
        best = options[0] if options else None
        if best is None:
            return Decision(c, None, None, "none", 0.0, synset, options, resolution=resolution)
        return Decision(c, best.target, best.target_id, best.method, best.score, synset, options, resolution=resolution)

    def _options(self, c: SourceClass, synset: str | None, head: bool = False, resolution=None) -> list[Option]:
        """Every target the class could map to, best first. ``head``: the synset is only that of
        the name's head noun, so the class is a kind of it (hypernym evidence, not identity)."""
        options: list[Option] = []
        node = wn_synset(synset) if synset else None
        if synset in self.targets.by_synset and not head:
            t = self.targets.by_synset[synset]
            options.append(Option(t.name, t.id, "synset", 1.0, f"same synset {synset}"))
        own = alternatives(c.match_name)
        names = own + [a for s in c.synonyms for a in alternatives(s) if a not in own]
        for alt in names:
            for t in self.by_lemma.get(alt, ()) or self.by_lemma.get(alt.replace("_", ""), ()):
                tnode = wn_synset(t.synset) if t.synset else None
                if node is not None and tnode is not None and (not _compatible(node, tnode) or _meat_of(node, tnode)):
                    continue  # same word, another kind of thing (Mouse the animal, mouse the device)
                if alt in own and node is not None and tnode is not None and _rejected_sense(alt, node, tnode):
                    continue  # the word's own sense was chosen over this one: ScanNet machine is no car
                if alt not in own and node is not None and tnode is not None and not _in_line(node, tnode):
                    # A synonym the source lists may name two things: LVIS gives cougar "panther"
                    # (also the jaguar) and parasol "sunshade" (also the awning). Through a
                    # synonym, a known sense only meets its own target or one in line with it.
                    continue
                options.append(Option(t.name, t.id, "lemma", 0.95, f"{alt!r} names {t.name}"))
        for alt in own:
            for t in self.by_bare.get(alt, ()):
                tnode = wn_synset(t.synset) if t.synset else None
                if node is not None and tnode is not None and not _compatible(node, tnode):
                    continue
                if tnode is not None and any(self._parent_target_excludes(p, tnode) for p in c.parents):
                    continue  # the source says what it is a kind of: "keyboard" under "musical instrument"
                options.append(Option(t.name, t.id, "lemma", 0.9, f"{alt!r} names {t.name} without its qualifier"))
        kind = taxon_kind(node, self.target_synsets) if node is not None and not head and len(own) == 1 and "_" not in own[0] else None
        if kind is not None:
            # A one-word name WordNet knows as a taxon above the genus (iNaturalist's Aves, the class) is
            # what the taxon's members are (bird.n.01), read by its hypernym chain as any kind is; a kingdom
            # or a class broader than every target (Animalia, Mammalia) then maps to nothing.
            node = kind
            if node.name() in self.targets.by_synset:
                t = self.targets.by_synset[node.name()]
                options.append(Option(t.name, t.id, "hypernym", 0.9, f"{synset} is a taxon of {node.name()}"))
        elif node is not None and not head:
            members = _members(node)
            if members:  # a group or a genus stands for its members: "people" are persons
                node = members[0]
                if node.name() in self.targets.by_synset:
                    t = self.targets.by_synset[node.name()]
                    options.append(Option(t.name, t.id, "hypernym", 0.9, f"{synset} is a group of {node.name()}"))
        likeness = self._plaything_modifier(resolution, node) if head else None
        if likeness is not None:
            # a toy airplane is a toy, no airplane: the head noun's targets are no option
            word, t = likeness
            options.append(Option(t.name, t.id, "hypernym", 0.9, f"{word!r} before its head noun makes it a plaything, which is {t.name}"))
        elif node is not None and not _named_person(node):
            found = ancestors(node)
            # a declared kind counts only where the name itself names that thing: not through its head noun
            # alone (a wrecked ship, a rocket ship), nor through a later sense of a word that is first a
            # person (a pirate, a whaler)
            declared = not head and _names_own_sense(own, node)
            for anc, d in sorted(found.items(), key=lambda kv: (kv[1], kv[0].name())):
                d = d + 1 if head else d  # the head noun is itself one step above the class
                limit = _hypernym_limit(node, binomial=self.binomials and binomial_shaped(c.match_name) is not None)
                if 0 < d <= limit and anc.name() in self.targets.by_synset and _same_kind(node, anc, d):
                    if d > MAX_CONTAINER_DISTANCE and _is_container(anc):
                        continue
                    t = self.targets.by_synset[anc.name()]
                    options.append(Option(t.name, t.id, "hypernym", round(0.9 - 0.1 * (d - 1), 2), f"a kind of {anc.name()} ({d} step{'s' if d > 1 else ''})"))
                t = self.kind_of.get(anc.name())
                if t is not None and declared and d + 1 <= limit and _same_kind(node, anc, d + 1) and not any(a.name() in self.not_kind_of[anc.name()] for a in found):
                    # a reviewed kind of the target, one step below it (target_kinds.csv)
                    d += 1
                    options.append(Option(t.name, t.id, "hypernym", round(0.9 - 0.1 * (d - 1), 2), f"a kind of {anc.name()}, which counts as {t.name} (taxonomy/data/target_kinds.csv) ({d} step{'s' if d > 1 else ''})"))
            if not head:
                options.extend(self._named_head(c, node, found))
                options.extend(self._named_animal(c, node, found))
        for parent in c.parents:  # the source's own hierarchy: Open Images files Blue jay under Bird
            p = self.plain_synset(parent)
            t = self.targets.by_synset.get(p) if p else None
            if t is not None and (node is None or _compatible(node, wn_synset(p))):
                options.append(Option(t.name, t.id, "hypernym", 0.8, f"under {parent!r} in the source hierarchy"))
        joined = _joined_target(c.match_name, self.targets)
        if joined is not None:
            # a word split in two ("leathershoe": leather + shoe) that a target names whole, in the plural
            # or not (Objects365's "Leather Shoes"), is that target: no plain shoe
            options.append(Option(joined.name, joined.id, "lemma", 0.95, f"{c.match_name!r} is {joined.name} written as one word"))
        if node is None or head:
            from rapidfuzz import fuzz, process

            choices = {t.name: " ".join(alternatives(t.name)[0].split("_")) for t in self.targets}
            for alt in alternatives(c.match_name):
                hit = process.extractOne(alt.replace("_", " "), choices, scorer=fuzz.token_sort_ratio, score_cutoff=FUZZY_TARGET_CUTOFF)
                if hit:
                    t = self.targets.by_name[hit[2]]
                    options.append(Option(t.name, t.id, "fuzzy", round(hit[1] / 100 * 0.85, 2), f"{alt!r} ~ {t.name} ({hit[1]:.0f})"))
        order = {m: i for i, m in enumerate(METHODS)}
        options.sort(key=lambda o: (order[o.method], -o.score, o.target_id))
        seen, unique = set(), []
        for o in options:
            if o.target not in seen:
                seen.add(o.target)
                unique.append(o)
        return unique


    def _plaything_modifier(self, resolution, node) -> tuple[str, Target] | None:
        """(word, target) for a name read by its head noun (a compound WordNet lacks) whose word directly before the
        head noun's words (``_word_before_head``) is first WordNet's plaything (toy, plaything) and names a target: a
        likeness of its head, which is that target (MetaGraspNet's ``d_toy_airplane``, V3Det's ``toy vehicle``: toy, no
        airplane or vehicle), or is plush (``PLUSH``) before any animal (a ``plush rabbit``, a ``plush_dog``: toy),
        else None. Only before a head a toy copies (``TOY_COPIES``: a vehicle, a weapon, a musical
        instrument, a robot, a phone, a camera, a plant, a fruit, an animal of no toy breed's kind: ``_toy_animal``);
        before anything else the name is what holds, stores or sells toys (a toy box, shelf, cabinet, store) or a toy's
        part or supply (a toy car battery is a battery), and before a dog WordNet's toy names the small breeds
        (toy_dog.n.01: V3Det's ``toy bulldog`` is a breed); an animal's plaything WordNet defines is read before
        (``names._plaything``: a toy bear is the teddy). Another plaything before a head (a doll
        chair, a frisbee holder) is what the head is for, no likeness."""
        if node is None or not resolution.candidates:
            return None
        word = _word_before_head(resolution.candidates[0].alternative, node)
        if word == PLUSH and node.lexname() == "noun.animal":
            named = self.by_lemma.get(TOY, ())  # a plush rabbit or dog is a toy, of any kind of animal
            return (word, named[0]) if named else None
        if not (is_kind_of(node, *TOY_COPIES) or _toy_animal(node)):
            return None
        first = noun_synsets(word)[:1] if word else []
        named = self.by_lemma.get(word, ()) if first and first[0].name() == PLAYTHING else ()
        return (word, named[0]) if named else None

    def _named_head(self, c: SourceClass, node, found: dict) -> list[Option]:
        """A class whose name ends in a target's name (``dining_table``, ``paperback_book``) and
        which WordNet files under another sense of that word than the target's: the class is a
        kind of the target when the two senses are siblings or one kind of thing (furniture
        table.n.03 "laid for a meal" beside table.n.02; the book as a product beside the work).
        A hypernym option a little below a true WordNet ancestor at the same distance."""
        out = []
        for alt in alternatives(c.match_name) + [a for s in c.synonyms for a in alternatives(s)]:
            words = alt.split("_")
            for k in range(1, len(words)):
                tail = "_".join(words[k:])
                for t in self.by_head.get(tail, ()):
                    tnode = wn_synset(t.synset) if t.synset else None
                    if tnode is None or tnode in found:
                        continue  # a true ancestor is found by the hypernym step
                    for sense in noun_synsets(tail):
                        d = found.get(sense, -1)
                        if d == 0 and sense.lexname() != tnode.lexname() and {sense.lexname(), tnode.lexname()} <= KINDS[0]:
                            # the class is itself that word's other sense: Open Images' "Common
                            # fig" is the fig tree (plant), the target fig_(fruit) the fruit (food)
                            out.append(Option(t.name, t.id, "hypernym", 0.85, f"its name ends in {tail!r}; {sense.name()} is {t.name} as another kind of thing ({sense.lexname()})"))
                            break
                        if 0 < d <= MAX_HYPERNYM_DISTANCE and _same_thing(sense, tnode):
                            score = round(0.85 - 0.1 * (d - 1), 2)
                            out.append(Option(t.name, t.id, "hypernym", score, f"its name ends in {tail!r}; a kind of {sense.name()}, which is {t.name}'s kind of thing ({d} step{'s' if d > 1 else ''})"))
                            break
        return out


    def _named_animal(self, c: SourceClass, node, found: dict) -> list[Option]:
        """An animal whose common name ends in an animal target's name, and which WordNet files under
        every parent of that target, is that target: English names birds by likeness across
        families (CUB's Field Sparrow is one of WordNet's New World sparrows, finches under the
        passerines beside the Old World sparrow.n.01), and a detector's sparrow is the look. A prairie
        dog (a rodent) is no dog: dog.n.01's parent, the canines, is not its ancestor; nor is an animal of another
        order than the target's (``_other_orders``: IP102's red spider, WordNet's spider mite, is no spider)."""
        if node.lexname() != "noun.animal":
            return []
        out = []
        for alt in alternatives(c.match_name):
            words = alt.split("_")
            for k in range(1, len(words)):
                for t in self.by_head.get("_".join(words[k:]), ()):
                    tnode = wn_synset(t.synset) if t.synset else None
                    if tnode is None or tnode in found or tnode.lexname() != "noun.animal":
                        continue
                    parents = tnode.hypernyms()
                    if parents and all(p in found for p in parents) and not _other_orders(node, tnode):
                        d = min(found[p] for p in parents)
                        out.append(Option(t.name, t.id, "hypernym", round(0.85 - 0.05 * (d - 1), 2), f"its name ends in {t.name!r} and it is a kind of {', '.join(p.name() for p in parents)}, as {t.name} is"))
        return out


ANIMAL_ORDER = "animal_order.n.01"


@lru_cache(maxsize=None)
def _hypernym_limit(node, *, binomial: bool = False) -> int:
    """How many steps up WordNet a class may be a kind of its target: deeper for animals, whose taxonomy is sound all
    the way up (MAX_ANIMAL_DISTANCE), and for plants named by their binomial in a list of them (MAX_PLANT_DISTANCE)."""
    if node.lexname() == "noun.animal":
        return MAX_ANIMAL_DISTANCE
    if node.lexname() == "noun.plant" and binomial:
        return MAX_PLANT_DISTANCE
    return MAX_HYPERNYM_DISTANCE


def _animal_orders(node) -> frozenset:
    """The taxonomic orders WordNet files an animal in: member holonyms of it or its ancestors that are kinds of
    animal_order.n.01 (a spider's Araneae; a red spider's Acarina, the mites; a field sparrow's Passeriformes)."""
    out = set()
    for a in [node, *ancestors(node)]:
        for taxon in a.member_holonyms():
            if is_kind_of(taxon, ANIMAL_ORDER):
                out.add(taxon.name())
    return frozenset(out)


def _other_orders(node, target_node) -> bool:
    """An animal and an animal target WordNet files in different taxonomic orders (``_animal_orders``, both known and
    none shared): English names by likeness across families of one order (a field sparrow, a finch, is a sparrow),
    not across orders (a red spider is a mite, no spider)."""
    mine, theirs = _animal_orders(node), _animal_orders(target_node)
    return bool(mine) and bool(theirs) and not mine & theirs


def _named_person(node) -> bool:
    """A WordNet instance of a kind of person: one named individual (Jesus, Buddha), not a kind of
    people. A class named after one is pictures or statues of that figure (Caltech-256's jesus-christ,
    buddha), no person a detector should box as one, so no hypernym makes it a person."""
    return node.lexname() == "noun.person" and bool(node.instance_hypernyms()) and not node.hypernyms()


#: The word whose animal senses are breeds where it leads an animal's name (toy_dog.n.01, WordNet's "toy").
TOY = "toy"
#: The word before an animal's name that makes it a soft toy, as "toy" does (``Matcher._plaything_modifier``): APC
#: 2016's ``cloud_b_plush_bear`` (the bear's own plaything WordNet names, the teddy, is read before), a plush rabbit.
#: Unlike "toy" it names no breed, so a ``plush_dog`` is a toy too. "stuffed" is not read so: a stuffed bird or fox
#: may be taxidermy, and a stuffed chicken or pepper is a dish.
PLUSH = "plush"


def _toy_animal(node) -> bool:
    """An animal that a toy before its name copies: one of no kind WordNet's own animal sense of "toy" is a kind of
    (toy_dog.n.01, a dog: the small breeds), so MVImgNet's ``toy horse`` and a ``toy duck`` are toys, while a ``toy
    fox terrier``, a dog, is a breed; names WordNet knows whole (``toy poodle``, ``toy dog``, ``toy spaniel``) are
    never read by their head noun and keep their sense. A toy's animal WordNet names (``names._plaything``: a toy
    bear is the teddy) is read before this."""
    if node.lexname() != "noun.animal":
        return False
    breeds_of = {h for s in noun_synsets(TOY) if s.lexname() == "noun.animal" for h in s.hypernyms()}
    return not breeds_of.intersection(ancestors(node))


def _members(node) -> list:
    """The members of a group or a genus sense (WordNet's member meronyms), else [], in the order of their names:
    NLTK returns them in the order of a set, which the hash seed decides, and the first stands for the group (a
    crew's copilot, crewman or submariner: a person 3 steps up or 5, within the reach of a hypernym or not)."""
    if node.lexname() == "noun.group" or is_kind_of(node, "genus.n.02"):
        return sorted(node.member_meronyms(), key=lambda s: s.name())
    return []


def _bare(name: str) -> str | None:
    """A name without its parenthesized qualifier ("monitor" for "monitor (computer equipment)")."""
    if "(" not in name:
        return None
    head = name.split("(")[0]
    found = alternatives(head)
    return found[0] if found else None


def _in_line(a, b) -> bool:
    """One sense is the other or a WordNet ancestor of it."""
    return a == b or b in ancestors(a) or a in ancestors(b)


def _rejected_sense(word: str, chosen, other) -> bool:
    """``other`` is another WordNet sense of ``word``, not in line with the ``chosen`` one: the resolver
    weighed it for this name and read the name otherwise, so a target whose synset it is may not come back
    through the word as one of its lemmas (``machine`` is WordNet's sense 6 of car.n.01; read as machine.n.01
    it names no car). A sense in line with the chosen one stays (keyboard.n.01 and the computer keyboard), and
    so does one of another kind of thing, which the list rules may prefer (CIFAR-100 ray: the fish, not the
    ray flower the resolver chose)."""
    if other == chosen or chosen.lexname() != other.lexname() or _in_line(chosen, other):
        return False
    return other in noun_synsets(word)


def _is_container(s) -> bool:
    return is_kind_of(s, CONTAINER)


def _same_thing(a, b) -> bool:
    """Two senses of one word that name the same photographed thing: siblings under one hypernym
    of the same lexicographer file, or senses in compatible files (see KINDS)."""
    if a.lexname() != b.lexname():
        return _compatible(a, b)
    return bool(set(a.hypernyms()) & set(b.hypernyms()))


def reviewed_rows(path: Path) -> list[dict]:
    """The rows of one of the reviewed csv files (``#`` lines are comments, blank lines skipped)."""
    text = "".join(line + "\n" for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#"))
    return list(csv.DictReader(io.StringIO(text)))


def _entries(cell: str | None) -> tuple[str, ...]:
    """The ``;``-separated entries of a reviewed csv cell."""
    return tuple(s.strip() for s in (cell or "").split(";") if s.strip())


@lru_cache(maxsize=1)
def target_synonyms(path: Path = TARGET_SYNONYMS) -> dict[str, tuple[str, ...]]:
    """target name -> reviewed synonyms (``taxonomy/data/target_synonyms.csv``)."""
    if not path.exists():
        return {}
    return {row["target"]: _entries(row["synonyms"]) for row in reviewed_rows(path)}


def _names_own_sense(names, node) -> bool:
    """One of the names means ``node`` in its first sense, or is a word whose first sense is no person."""
    for name in names:
        senses = noun_synsets(name)
        if not senses or senses[0] == node or senses[0].lexname() != "noun.person":
            return True
    return False


@lru_cache(maxsize=1)
def target_kinds(path: Path = TARGET_KINDS) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """target name -> (reviewed synsets that count as kinds of it, kinds of those that do not)
    (``taxonomy/data/target_kinds.csv``)."""
    if not path.exists():
        return {}
    return {row["target"]: (_entries(row["synsets"]), _entries(row["except"])) for row in reviewed_rows(path)}


#: Lexicographer files whose senses of one word are the same photographed thing: LVIS's radish is
#: the root (plant), Open Images' the vegetable (food); a book is a work (communication) and an object.
KINDS = (
    frozenset({"noun.food", "noun.plant", "noun.animal"}),
    frozenset({"noun.artifact", "noun.communication", "noun.object"}),
)


#: WordNet's meat ("the flesh of animals used as food"): chicken.n.01, the food, is poultry, a meat.
MEAT = "meat.n.01"


def _meat_of(node, target) -> bool:
    """A meat named like an animal target (chicken the food beside chicken_(animal)): cuts and dishes of
    an animal are no box around the animal, though food and animal senses of one word are otherwise the
    same photographed thing (a crab, a lobster: KINDS)."""
    return target.lexname() == "noun.animal" and node.lexname() == "noun.food" and is_kind_of(node, MEAT)


def _compatible(a, b) -> bool:
    return a.lexname() == b.lexname() or any(a.lexname() in k and b.lexname() in k for k in KINDS)


def _same_kind(node, ancestor, distance: int) -> bool:
    """A hypernym match keeps the kind of thing: WordNet files ``clementine`` under a tree, and a
    clementine box is no tree box. Across lexicographer files only close ancestors count
    (``apricot``, food, is three steps below ``fruit``, plant); ``noun.Tops`` fits anything."""
    return ancestor.lexname() in ("noun.Tops", node.lexname()) or distance <= CROSS_KIND_DISTANCE


# -- overrides ----------------------------------------------------------------------------------


@dataclass
class Override:
    source: str
    source_name: str
    target: str  # a target name, or "drop"
    reason: str


def load_overrides(path: Path = OVERRIDES) -> dict[tuple[str, str], Override]:
    if not path.exists():
        return {}
    out = {}
    for row in reviewed_rows(path):
        o = Override(row["source"], row["source_name"], row["target"], row["reason"])
        out[(o.source, o.source_name)] = o
    return out


def apply_override(d: Decision, o: Override, targets: Targets) -> Decision:
    if o.target == "drop":
        return Decision(d.source, None, None, "manual", 1.0, d.synset, d.options, f"override: {o.reason}", d.resolution)
    t = targets.by_name.get(o.target)
    if t is None:
        raise ValueError(f"overrides: {o.source} {o.source_name!r} -> {o.target!r}, which is not a target class")
    return Decision(d.source, t.name, t.id, "manual", 1.0, d.synset, d.options, f"override: {o.reason}", d.resolution)


# -- building and reading the tables ------------------------------------------------------------


# -- any dataset's classes: ``bigdet taxonomy map`` ------------------------------------------------


class ClassListError(ValueError):
    """A class list that cannot be read: one line naming the file, the record and what is wrong."""

    def __init__(self, path, record: str, problem: str):
        self.path, self.record, self.problem = str(path), record, problem
        super().__init__(f"{path}: {record}: {problem}" if record else f"{path}: {problem}")


def classes_from_file(path, source_name: str, *, repeats: bool = False) -> list[SourceClass]:
    """The classes of a dataset: a COCO json's ``categories`` (``supercategory`` becomes the class's
    parent, the context that makes ``mouse`` under ``electronic`` the computer mouse), or a text
    file with one class name per line (ids 1..N in order; blank lines and ``#`` lines skipped).

    The same name on two lines is refused (a user's list holding a name twice holds a slip more
    often than two classes). ``repeats=True`` reads them as two classes with their own ids: a
    dataset's published list can name two ids alike (Lost and Found's label table writes
    ``Cardboard box`` at ids 9 and 22), and the class lists under ``tests/data/class_lists`` are
    kept exactly as published."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ClassListError(path, "", f"cannot read it ({e.strerror or e})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ClassListError(path, f"byte {e.start}", "not UTF-8 text") from None
    if path.suffix.lower() == ".json" or text.lstrip()[:1] in ("{", "["):
        return _coco_classes(path, text, source_name)
    classes: list[SourceClass] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        name = line.strip()
        if not name or name.startswith("#"):
            continue
        if not repeats:
            _check_unique(path, f"line {number}", name, seen, number)
        classes.append(SourceClass(source_name, len(classes) + 1, name, name))
    if not classes:
        raise ClassListError(path, "", "no class names (a text file needs one name per line)")
    return classes


def _check_unique(path, record: str, name: str, seen: dict, where) -> None:
    # Only the same text twice is one name written twice. Names that differ in case or separators, or
    # only READ as one class, are classes of their own, each mapped: real datasets' own lists hold
    # both (V3Det "timer" and "Timer", "flat nose pliers" and "flat-nose pliers"; 3RScan "trash can" and "trashcan")
    key = name.strip()
    if key in seen:
        raise ClassListError(path, record, f"duplicate class name {name!r} (also at {seen[key]})")
    seen[key] = where


def _coco_classes(path: Path, text: str, source_name: str) -> list[SourceClass]:
    try:
        doc = json.loads(text)
    except ValueError as e:
        raise ClassListError(path, f"line {getattr(e, 'lineno', '?')} column {getattr(e, 'colno', '?')}", f"not JSON ({getattr(e, 'msg', e)})") from None
    if not isinstance(doc, dict):
        raise ClassListError(path, "top level", f"a COCO json is an object with a \"categories\" list, not a {type(doc).__name__}")
    categories = doc.get("categories")
    if not isinstance(categories, list) or not categories:
        raise ClassListError(path, "categories", "missing or empty: not a COCO detection json (it needs a \"categories\" list)")
    classes: list[SourceClass] = []
    ids: dict[int, int] = {}
    names: dict[str, str] = {}
    for i, c in enumerate(categories):
        record = f"categories[{i}]"
        if not isinstance(c, dict):
            raise ClassListError(path, record, f"a category is an object, not a {type(c).__name__}")
        cid, name, parent = c.get("id"), c.get("name"), c.get("supercategory")
        if isinstance(cid, bool) or not isinstance(cid, int):
            raise ClassListError(path, record, f"id {cid!r} is not an integer")
        if not isinstance(name, str) or not name.strip():
            raise ClassListError(path, record, f"id {cid}: empty or missing name ({name!r})")
        if parent is not None and not isinstance(parent, str):
            raise ClassListError(path, record, f"id {cid}: supercategory {parent!r} is not a string")
        if cid in ids:
            raise ClassListError(path, record, f"duplicate category id {cid} (also categories[{ids[cid]}])")
        ids[cid] = i
        name = name.strip()
        _check_unique(path, record, name, names, f"categories[{i}]")
        parent = (parent or "").strip()
        parents = (parent,) if parent and parent.casefold() != name.casefold() else ()
        classes.append(SourceClass(source_name, cid, name, name, parents=parents))
    return classes


#: Separators of category paths (most general segment first): Mapillary's "object--traffic-light",
#: "animal > dog", "animal:dog" (unless the list writes its colon names head-first, ``head_first``); a "." only in a name without spaces (nuScenes' "vehicle.bus.rigid",
#: not "16.4"). "/" separates alternatives (Objects365's "trash bin/can") unless the list writes paths
#: with it (``slash_paths``).
PATH_SEPARATOR = re.compile(r"\s*(?:--|>|:)\s*")
#: A model year: vehicle model names end in it ("Make Model [Body] Year", Stanford Cars).
MODEL_YEAR = re.compile(r"(?:19|20)\d\d")
MOTOR_VEHICLE = "motor_vehicle.n.01"
WHEELED_VEHICLE = "wheeled_vehicle.n.01"
#: WordNet's car: a body style is a kind of it (sedan.n.01, hatchback.n.01, convertible.n.01, sport_utility.n.01).
CAR = "car.n.01"
#: Body-style words WordNet reads as another thing (a pickup's "Crew Cab"), with their source.
BODY_STYLES = Path(__file__).parent / "data" / "vehicle_body_styles.csv"


@lru_cache(maxsize=1)
def body_styles(path: Path = BODY_STYLES) -> dict[str, str]:
    """Body-style word (lower case) -> the name it reads as (``vehicle_body_styles.csv``)."""
    return {row["word"].lower(): row["reads_as"] for row in reviewed_rows(path)}


def slash_paths(names: list[str]) -> bool:
    """The list writes category paths with "/": most of its names are "a/b" without spaces, and their
    first segments repeat ("vehicle/car", "vehicle/truck"), unlike a list's few alternatives ("Moniter/TV")."""
    paths = [n.strip() for n in names if "/" in n and " " not in n.strip()]
    firsts = [p.split("/")[0] for p in paths]
    return len(paths) * 2 > len(names) and len(set(firsts)) < len(firsts)


def head_first(names: list[str]) -> bool:
    """The list writes a noun's modifiers after a colon, its head first (EPIC-KITCHENS' ``onion:spring``,
    ``board:chopping``, ``machine:sous:vide``), not a category path's parent first (``animal:dog``): more
    than half of its colon names, read modifiers first ("spring onion", "chopping board"), are nouns WordNet
    knows. A path read backwards is no compound ("dog animal")."""
    colon = [n.strip() for n in names if ":" in n and "--" not in n and ">" not in n]
    compounds = [n for n in colon if noun_synsets("_".join(_modifiers_first(n).split()))]
    return len(compounds) * 2 > len(colon)


def _modifiers_first(name: str) -> str:
    """A head-first name in English word order: "machine:sous:vide" is a sous vide machine."""
    head, *modifiers = [s.strip() for s in name.split(":")]
    return " ".join(modifiers + [head])


def _colon_path(name: str) -> bool:
    """A colon name that is a category path even in a head-first list: read modifiers first it is no noun
    ("dog animal", not "apple tree"), and its first segment names a kind of thing above a sense of its last
    (a dog is an animal; a potato is no peeler, "peeler:potato" is a potato peeler WordNet lacks)."""
    segments = ["_".join(s.lower().split()) for s in name.split(":")]
    if noun_synsets("_".join(_modifiers_first(name).lower().split())):
        return False
    kinds = set(noun_synsets(segments[0]))
    return any(k in ancestors(s) for s in noun_synsets(segments[-1]) for k in kinds)


def path_segments(name: str, *, slash: bool = False) -> list[str] | None:
    """The segments of a category path, most general first, or None for a name that is no path."""
    name = name.strip()
    if slash and "/" in name and " " not in name:
        segments = name.split("/")
    elif "." in name and " " not in name:
        segments = name.split(".")
        # dotted paths are written in lower case (nuScenes' vehicle.bus.rigid); a capital after a dot is an
        # abbreviation or a brand (St.Bernard, Dr.Pepper), no path
        if any(s[:1].isupper() for s in segments[1:]):
            return None
    else:
        segments = PATH_SEPARATOR.split(name)
    if len(segments) < 2 or not all(s and s[0].isalpha() for s in segments):
        return None
    return segments


#: WordNet's sides of an object ("an extended outer surface of an object"; "a surface forming part of the
#: outside of an object"): front and back (rear) are kinds of them.
SIDES = frozenset({"side.n.04", "side.n.05"})


def _a_side_of(segment: str, thing: str | None) -> bool:
    """A path's segment names a side of the thing of the segment before it (a view of it, not another
    object): the segment's last word has a sense that is one of WordNet's sides of an object, in the
    lexicographer file of that thing or one compatible with it (KINDS: an artifact's or a sign's back is
    rear.n.05, an artifact; a "top", whose side sense is a location, stays a top)."""
    word = _last_word(segment)
    node = wn_synset(thing) if thing else None
    if not word or node is None:
        return False
    # a side itself or a direct kind of one (rear.n.05, front.n.04); not a thing further down (a curb
    # is an edge, a kind of side, but an object of its own)
    return any(_compatible(s, node) and any(a.name() in SIDES and d <= 1 for a, d in ancestors(s).items()) for s in noun_synsets(word))


def _vehicle_sense(word: str, named: dict | None = None, *, listed: frozenset = frozenset(), targets: dict | None = None) -> str | None:
    """The vehicle sense of a body-style word: the sense a target of that name has when it is a wheeled
    vehicle (``named``: a bike is the bicycle, Matcher.named) unless the word has a motor-vehicle sense
    the list's other model names read (``listed``: a Sport Bike among motorcycles), else the motor-vehicle
    sense nearest motor_vehicle.n.01 (a wagon is the station wagon, a car, before the paddy wagon, a van),
    else the wheeled-vehicle sense nearest wheeled_vehicle.n.01 (a mountain bike, a bicycle), or None. Of
    senses equally near, a target's synset first (``targets``: a Scooter is the motor scooter, not the
    child's kick scooter)."""
    senses = noun_synsets(word)
    wheeled, motor = wn_synset(WHEELED_VEHICLE), wn_synset(MOTOR_VEHICLE)
    target = (named or {}).get(word)
    listed_motor = any(s.name() in listed and motor in ancestors(s) for s in senses)
    if target is not None and not listed_motor and any(s.name() == target and wheeled in ancestors(s) for s in senses):
        return target
    for kind in (motor, wheeled):
        found = [(ancestors(s)[kind], s.name() not in (targets or {}), i, s.name()) for i, s in enumerate(senses) if kind in ancestors(s)]
        if found:
            return min(found)[3]
    return None


def _model_words(name: str) -> list[str] | None:
    """The words of a vehicle model name, "Make Model [Body] Year" (Stanford Cars), or None."""
    words = name.split()
    return words if len(words) >= 3 and MODEL_YEAR.fullmatch(words[-1]) and words[0][:1].isupper() else None


#: The fewest body-style names that make a list of body styles: one or two vehicle words are a list's cars, not its
#: way of naming them.
BODY_STYLE_LIST_MIN = 3


def _a_body_style(name: str) -> bool:
    """A name that is one body-style word: a row of ``vehicle_body_styles.csv`` or a word whose first sense is a kind
    of car (sedan, hatchback, convertible, SUV); not a vehicle's own name (car, truck, bus, wagon, cab: a list of
    vehicles), nor a word with a later car sense (bus.n.04 the jalopy, wagon.n.04 the station wagon, cab.n.03)."""
    words = _words(name)
    key = "_".join(words).lower()
    if key in body_styles():
        return True
    first = noun_synsets(key)[:1] if len(words) == 1 else []
    return any(is_kind_of(s, CAR) and s.name() != CAR for s in first)


def body_style_list(names: list[str]) -> frozenset:
    """The names of a list that name vehicles by body style (CompCars' MPV, SUV, sedan, estate, crossover): body-style
    words (``_a_body_style``) where the list's other names hold BODY_STYLE_LIST_MIN or more of them, more than half of
    those others. A name is left out of its own count (``[convertible, coupe, sedan, sofa, bed]``: two other body
    styles, the convertible stays the sofa bed); a body word elsewhere is read as before."""
    styles = [_a_body_style(n) for n in names]
    found, others = sum(styles), len(names) - 1
    if found - 1 < BODY_STYLE_LIST_MIN or (found - 1) * 2 <= others:
        return frozenset()
    return frozenset(n for n, style in zip(names, styles) if style)


def _lone_body_style(c: SourceClass, matcher: Matcher) -> SourceClass | None:
    """A lone body-style name in a list of body styles (``body_style_list``) as its vehicle: a row of
    ``vehicle_body_styles.csv`` as the name it reads as (MPV: minivan; estate: car), a word with a motor-vehicle sense
    as that sense where its decision is a target of another kind (``convertible``: the car, not the sofa bed LVIS
    also calls so)."""
    if c.synset is not None:
        return None
    key = "_".join(_words(c.match_name)).lower()
    if key in body_styles():
        return replace(c, match_name=body_styles()[key])
    sense = _vehicle_sense(key) if _a_body_style(c.match_name) else None
    if sense is None:
        return None
    target = matcher.decide(c).target
    node = wn_synset(matcher.targets.by_name[target].synset) if target in matcher.targets.by_name else None
    # a name that maps to nothing is left to the list rules (a reviewed wagon among sedans: ``_list_senses``)
    if node is None or is_kind_of(node, WHEELED_VEHICLE):
        return None
    return replace(c, synset=sense)


def _listed_vehicles(names: list[str], matcher: Matcher) -> frozenset:
    """The vehicle senses a list's model names ("Make Model Body Year") read whatever a target is named:
    "Motorcycle" (a motorcycle), not "Bike" (a motorcycle, or the bicycle target ``bike`` names)."""
    out = set()
    for name in names:
        words = _model_words(name)
        if words is not None:
            sense = _vehicle_sense(words[-2].lower())
            if sense is not None and sense == _vehicle_sense(words[-2].lower(), matcher.named):
                out.add(sense)
    return frozenset(out)


#: Road-sign names as traffic-sign datasets name their classes, by what the sign says, with their sources.
ROAD_SIGNS = Path(__file__).parent / "data" / "road_sign_names.csv"
#: A sign name's words: letters and digits, a decimal point only between digits (``3.5``); other punctuation parts
#: words (``Right-of-way``, ``ice/snow`` are two words each; ``Stop.`` is ``stop``).
SIGN_WORD = re.compile(r"[a-z0-9]+(?:\.[0-9]+)*")
#: What a sign shows in brackets after its name: a value ("Speed limit (50km/h)").
SIGN_VALUE = re.compile(r"\([^()]*\)")
#: The words that lift a sign's rule ("End of speed limit (80km/h)", "End of no passing").
SIGN_END = ("end", "of")
#: A list of sign names: at least this many of a name's others are phrases only a sign says (Yield, Stop and
#: Pedestrians, which name other things too, make no list of signs), and more than half of them are such phrases.
ROAD_SIGN_LIST_MIN = 3
#: WordNet's sign (a public display of a message): the kind of the targets a sign name may read as alone.
SIGN = "sign.n.02"


@lru_cache(maxsize=1)
def road_signs(path: Path = ROAD_SIGNS) -> dict[tuple[str, ...], tuple[str, bool]]:
    """Road-sign name (its words) -> (the name it reads as, whether only a sign says it) (``road_sign_names.csv``)."""
    return {tuple(SIGN_WORD.findall(row["name"].lower())): (row["reads_as"], row["says"] == "yes") for row in reviewed_rows(path)}


def _road_sign(name: str) -> tuple[str, bool] | None:
    """The row of ``road_sign_names.csv`` a name is (its words, a bracketed value and a leading "end of" aside, are
    the row's), or begins with where only a sign says the row ("No passing for vehicles over 3.5 metric tons")."""
    words = tuple(SIGN_WORD.findall(SIGN_VALUE.sub(" ", name.lower())))
    if words[:len(SIGN_END)] == SIGN_END:
        words = words[len(SIGN_END):]
    for n in range(len(words), 0, -1):
        row = road_signs().get(words[:n])
        if row is not None and (n == len(words) or row[1]):
            return row
    return None


def road_sign_list(names: list[str]) -> dict[str, str]:
    """The names of a list of road signs named by what they say (GTSRB: "Speed limit (50km/h)", "Yield", "Stop")
    -> the name each reads as (``road_sign_names.csv``: "stop sign", else "road sign"): sign names where the others
    of any one of the list's names hold ROAD_SIGN_LIST_MIN or more phrases only a sign says (``says=yes``) and are
    more than half such phrases. Rows that also name a thing (``says=no``: Pedestrians, Traffic signals) count for
    nothing, and the count leaves a sign phrase out of its own, so a list is one of signs or not for all its names:
    four sign phrases among a driving list's people and lights (``car, person, Stop, Speed limit, No entry, ...``) or
    a road-marking list's arrows and lanes make none. A lone ``Stop`` or ``Yield`` elsewhere is read as before."""
    signs = [_road_sign(n) for n in names]
    says, others = sum(bool(s and s[1]) for s in signs), len(names) - 1
    if says - 1 < ROAD_SIGN_LIST_MIN or (says - 1) * 2 <= others:
        return {}
    return {n: s[0] for n, s in zip(names, signs) if s is not None}


def _a_thing_besides_a_sign(c: SourceClass, matcher: Matcher) -> bool:
    """A sign name that also names a thing (``says=no``) read alone as that thing in WordNet's first sense of the name,
    a target of no sign's kind: in a list of signs ``Pedestrians`` stays the person and ``Traffic signals`` the
    traffic light, where ``Stop`` (alone the handle, stop.n.08, no first sense) is the stop sign."""
    row, alone = _road_sign(c.match_name), matcher.decide(c)
    if row is None or row[1] or alone.target is None or alone.synset is None:
        return False
    first = noun_synsets(c.match_name)[:1]
    return bool(first) and first[0].name() == alone.synset and not is_kind_of(wn_synset(alone.synset), SIGN)


#: Abbreviations driving datasets write their agents with, and the words each stands for: ROAD (the ROad event Awareness
#: Dataset's agent labels ``Ped``, ``Cyc``, ``Mobike``, ``MedVeh``, ``LarVeh``, ``EmVeh``, ``TL``, ``OthTL``: pedestrian,
#: cyclist, motorbike, medium, large and emergency vehicle, traffic light and other traffic light, as its paper spells
#: them out). Read so only in a list of them (``driving_abbreviations``): alone, ``TL`` is thallium.
DRIVING_ABBREVIATIONS = MappingProxyType({
    "ped": "pedestrian", "cyc": "cyclist", "mobike": "motorbike", "veh": "vehicle", "med": "medium", "lar": "large",
    "em": "emergency", "tl": "traffic light", "oth": "other",
})
#: The abbreviations of the agents themselves (the others, ``med``, ``em``, ``oth``, ``lar``, only qualify them).
AGENT_ABBREVIATIONS = frozenset({"ped", "cyc", "mobike", "tl", "veh"})
#: The fewest names of a list written in AGENT_ABBREVIATIONS (a name holding one, all its words DRIVING_ABBREVIATIONS)
#: for the list to abbreviate so, unless one of them is a compound (``MedVeh``, ``OthTL``): two short names may be
#: other codes (a hospital's ``Ped`` and ``Em``, a sports list's ``Cyc`` and ``Ped``, a bike's ``Ped`` and ``TL``).
DRIVING_ABBREVIATION_LIST_MIN = 3


def _abbreviation_parts(name: str) -> list[str] | None:
    """The words a name is written in, lower case, where every one is a DRIVING_ABBREVIATIONS key (``OthTL``: oth, tl;
    ``MedVeh``: med, veh), else None."""
    parts = [w.lower() for chunk in _words(name) for w in CAMEL_WORD.findall(chunk)]
    return parts if parts and all(w in DRIVING_ABBREVIATIONS for w in parts) else None


def driving_abbreviations(names: list[str]) -> dict[str, str]:
    """The names of a list written wholly in driving datasets' abbreviations (ROAD's ``Ped``, ``Cyc``, ``OthTL``) ->
    the words they stand for, where DRIVING_ABBREVIATION_LIST_MIN or more of its names hold an agent's abbreviation
    (AGENT_ABBREVIATIONS) or one is a compound of them (``OthTL``); else none (a list's lone ``TL``, its ``Car`` and
    ``Bus``, a hospital's ``Ped`` and ``Med``, are read as written)."""
    parts = {n: p for n in names if (p := _abbreviation_parts(n)) is not None}
    agents = [p for p in parts.values() if AGENT_ABBREVIATIONS & set(p)]
    if len(agents) < DRIVING_ABBREVIATION_LIST_MIN and not any(len(p) > 1 for p in agents):
        return {}
    return {n: " ".join(DRIVING_ABBREVIATIONS[w] for w in p) for n, p in parts.items()}


#: The words of a CamelCase word: a run of capitals before a capitalized word (SUV of "SUVPickupTruck"),
#: a capitalized word, or a lower-case word (the first of "rubicCube").
CAMEL_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+")
#: A word with a capital after a small letter, standing alone (no letter or digit joined to it).
CAMEL_CASE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]*[a-z][A-Z][A-Za-z]*(?![A-Za-z0-9])")


def split_camel_case(text: str) -> str:
    """``text`` with each word written in CamelCase spaced into its words (ZOD's ``TrafficSign``: "Traffic Sign"):
    a word of letters only with a capital after a small letter, each part of MIN_JOINED_PART letters or more
    (``iPod`` stays)."""
    def spaced(m: re.Match) -> str:
        parts = CAMEL_WORD.findall(m.group(0))
        return " ".join(parts) if "".join(parts) == m.group(0) and min(map(len, parts)) >= MIN_JOINED_PART else m.group(0)

    return CAMEL_CASE.sub(spaced, text)


def _camel_case_known(c: SourceClass, matcher: Matcher, known: Mapping) -> SourceClass | None:
    """A name written in CamelCase read as its words where they are a name a target or a shipped table
    (``known``: ``shipped_names``, keyed by ``_name_key``) has, or None: ZOD's ``TrafficSign`` is Open Images'
    ``Traffic sign`` (street_sign), which WordNet lacks, so ``split_joined`` finds no compound in "trafficsign".
    Words a target or a shipped class does not name are left to WordNet's compounds: the list may join a
    modifier and its head (ALFRED's ``SoapBottle``) or two classes in one (CamVid's ``MotorcycleScooter``,
    ``SUVPickupTruck``), and a head-noun reading would make a "ToyCar" a car and a "TrafficBeacon" a lighthouse."""
    spaced = split_camel_case(c.match_name)
    if spaced == c.match_name or any(noun_synsets(alt) for alt in alternatives(c.match_name)):
        return None  # WordNet knows the word, whole or as a compound (``split_joined``: AlarmClock)
    alts = alternatives(spaced)
    if _name_key(spaced) in known or any(alt in matcher.by_lemma for alt in alts):
        return replace(c, match_name=spaced)
    return None


def _word_before_head(alt: str, node) -> str | None:
    """The word of a name's alternative directly before its head noun's words: the longest lemma of the head's synset
    (``node``) the alternative ends with, else its last word (``toy`` of ``d_toy_airplane`` and ``wooden_toy_train``,
    ``store`` of ``toy_store_van``), or None where the alternative is the head alone."""
    lemmas = sorted((lemma.name().lower() for lemma in node.lemmas()), key=len, reverse=True)
    head = next((lemma for lemma in lemmas if f"_{alt}".endswith(f"_{lemma}")), alt.rsplit("_", 1)[-1])
    before = alt[: -len(head)].rstrip("_")
    return before.rsplit("_", 1)[-1] if before else None


#: A name written in lower camelCase, as program identifiers are (Snapshot Serengeti's ``koriBustard``, ``lionMale``):
#: a lower-case word of two letters or more, then capitalized words (no ``iPod``).
LOWER_CAMEL_CASE = re.compile(r"[a-z]{2,}(?:[A-Z][a-z]+)+")


def _lower_camel_words(name: str) -> list[str] | None:
    """The words of a lower camelCase name WordNet does not know whole, or None (``guineaFowl`` is WordNet's guinea
    fowl, ``dikDik`` its dik-dik: read as they are)."""
    name = name.strip()
    if not LOWER_CAMEL_CASE.fullmatch(name) or any(noun_synsets(alt) for alt in alternatives(name)):
        return None
    return CAMEL_WORD.findall(name)


#: The first senses of a word that names a thing of its own, a part or a belonging (a bowl, a leash, a head, a seed),
#: after an animal's name: what the name is (``dogBowl`` a bowl), no member of the animal's kind.
OWN_THINGS = PHYSICAL_LEXNAMES - {"noun.animal", "noun.person"}


def _head_first(words: list[str]) -> bool:
    """A lower camelCase name's words (``_lower_camel_words``) as a kind and then what tells its members apart: the first
    word's first WordNet sense an animal, the last word's none of ``OWN_THINGS`` (a sex, an age, a species epithet:
    ``lionMale``, ``hyenaSpotted``, ``gazelleGrants``). ``dogBowl`` and ``dogLeash`` are a bowl and a leash, no dog;
    ``personHead``, ``bikeWheel`` and ``cupLid`` are led by no animal."""
    last = noun_synsets(words[-1])[:1]
    return first_sense_animal(words[0]) and not (last and last[0].lexname() in OWN_THINGS)


def lower_camel_heads(names: list[str]) -> frozenset:
    """The first words a list writes before two or more of its lower camelCase names WordNet lacks (``_lower_camel_words``)
    that are written head first (``_head_first``): a kind of animal and then what tells its members apart, as a list
    sorted by kind writes them (Snapshot Serengeti's ``lionFemale``, ``lionMale``; ``hyenaSpotted``, ``hyenaStriped``;
    ``gazelleGrants``, ``gazelleThomsons``). A first word only one name has is read as English writes it, a modifier
    (``koriBustard``, ``batEaredFox``)."""
    firsts = Counter(words[0] for words in map(_lower_camel_words, names) if words and _head_first(words))
    return frozenset(first for first, count in firsts.items() if count >= 2)


def _lower_camel_case(c: SourceClass, heads: frozenset) -> SourceClass | None:
    """A lower camelCase name WordNet lacks read as its words (``_lower_camel_words``), or None. The upper CamelCase
    reading (``_camel_case_known``) takes only words a target or a shipped class names, since such lists join a
    modifier and its head as often as two classes (CamVid's ``MotorcycleScooter``); lower camelCase is an
    identifier's spelling of one name: ``koriBustard`` is a "kori Bustard", a bustard (a bird) by its head noun.
    A name led by one of its list's head-first words (``heads``, ``lower_camel_heads``) is read modifiers first:
    ``lionMale`` is a "Male lion", a lion, no male animal; ``hyenaSpotted`` WordNet's spotted hyena."""
    words = _lower_camel_words(c.match_name)
    if words is None:
        return None
    if words[0] in heads and _head_first(words):
        words = words[1:] + words[:1]
    return replace(c, match_name=" ".join(words))


def _joinable(word: str) -> bool:
    """One alphabetic word that WordNet lacks in every part of speech and that ``split_joined`` splits into no
    compound WordNet knows (``diningtable`` is read so already): the words ``_joined_word`` reads. A word WordNet
    knows keeps its sense (``boxwood``, ``tablespoon``, ``chairman``, ``boxer``, ``carpet``, ``starboard``,
    ``toolbox``). Capitals need no guard: WordNet's lemmas, the targets' own names and the list conventions' words
    are lower-case, so a capitalised joined name (ALFRED's ``ShowerGlass``, CUB's ``Gadwall``) is read by none."""
    return word.isalpha() and not wordnet().synsets(word) and alternatives(word) == [word]


def _joined_word(c: SourceClass, matcher: Matcher, copies: frozenset = frozenset(), trades: bool = False) -> SourceClass | None:
    """A word a list joins of others (``_joinable``) that maps to no target as it is written (a ``computerbox``, a
    target's synonym, stays computer_box, a ``dogbed`` dog_bed: no box or bed), read as the word its convention names, or None: the thing
    before its size, colour, material or shape where the list writes it so several times (``_thing_then_modifier``,
    ``copies``), a target's own name after a noun (``_modifier_then_thing``), a tool's agent noun outside a list of
    trades (``_tool_by_its_work``, ``trades``), as BEHAVE and LINEMOD write theirs."""
    word = c.match_name.strip()
    if not _joinable(word) or matcher.decide(c).target is not None:
        return None
    read = _thing_then_modifier(word, copies) or _modifier_then_thing(word, c, matcher) or _vehicle_by_its_use(word, c, matcher) or (None if trades else _tool_by_its_work(word))
    return replace(c, match_name=read) if read else None


#: The words a list joins after a thing to tell its copies apart by size, length, height or shape (BEHAVE's
#: ``boxlarge``, ``boxlong``, ``boxmedium``, ``boxtiny``, ``tablesquare``). A list of words, since WordNet files these
#: adjectives under no one attribute: its medium is "average", tiny a satellite of small, square has no attribute.
SIZE_AND_SHAPE_WORDS = frozenset({"small", "large", "big", "medium", "tiny", "mini", "huge", "long", "short", "tall", "wide", "narrow", "square", "round", "rectangular", "circular", "oval", "left", "right"})


def _size_shape_or_colour(word: str) -> bool:
    """A size or shape (``SIZE_AND_SHAPE_WORDS``) or a colour (``colour_word``: black, white, red)."""
    return word in SIZE_AND_SHAPE_WORDS or bool(colour_word(word))


def _telling_modifier(word: str) -> bool:
    """A word that tells copies of one thing apart without making them another thing: a size or shape
    (``SIZE_AND_SHAPE_WORDS``), a colour (``colour_word``: black, white, red) or a material, a word whose first
    WordNet noun sense is a substance (wood, plastic, metal), of MIN_JOINED_NOUN letters or more (WordNet's
    chemical symbols are substances too: the "er" of a ``presser`` is no erbium)."""
    first = noun_synsets(word)[:1]
    material = len(word) >= MIN_JOINED_NOUN and bool(first) and first[0].lexname() == "noun.substance"
    return _size_shape_or_colour(word) or material


def _an_artifact_word(word: str) -> bool:
    """The word's first WordNet noun sense that is a physical thing is an artifact: a box, a chair, a table (whose
    first sense is a table of data), a fan; not a lemon (first a fruit, though WordNet's lemon is also a bad car)."""
    first = next((s for s in noun_synsets(word) if s.lexname() in PHYSICAL_LEXNAMES), None)
    return first is not None and first.lexname() == "noun.artifact"


#: The fewest different sizes, colours, materials or shapes a list writes after one thing before a joined word of them
#: is read as that thing: a thing joined to one substance names a product of it as often (a ``caroil``, a ``carwax``,
#: ``bottlewater``, ``penink``, ``boxwine``), while a list that tells its copies apart so writes several (BEHAVE's box
#: five times, its chair and table twice).
JOINED_COPIES_MIN = 2
#: The shortest noun of a joined word read before or after another (``_joined_splits``): no two-letter word, since
#: WordNet's chemical symbols and abbreviations are nouns too (the "er" of a ``presser`` is no erbium).
MIN_JOINED_NOUN = 3


def _joined_splits(word: str):
    """The places a joined word may be split: a first part of ``MIN_JOINED_NOUN`` letters or more, a last of
    ``MIN_JOINED_PART`` or more, as (first, last)."""
    return ((word[:i], word[i:]) for i in range(MIN_JOINED_NOUN, len(word) - MIN_JOINED_PART + 1))


def _thing_and_modifier(word: str) -> tuple[str, str] | None:
    """A joined word read as a thing and its size, colour, material or shape, the thing first, or None. The thing is a
    word first an artifact (``_an_artifact_word``), the rest a ``_telling_modifier``; a plant, a food or an animal
    before a colour or a material names that colour, drink or wood (a tigerwood, V3Det's ``lemonsoda``), no thing of it."""
    return next(((thing, modifier) for thing, modifier in _joined_splits(word) if _an_artifact_word(thing) and _telling_modifier(modifier)), None)


def joined_copies(names: list[str]) -> frozenset:
    """The things a list writes joined to their sizes, colours, materials or shapes (``_thing_and_modifier``), each
    before ``JOINED_COPIES_MIN`` different such words or more, one a size, shape or colour: BEHAVE's ``boxlarge``, ``boxlong``, ``boxmedium``,
    ``boxsmall``, ``boxtiny`` (box), ``chairblack``, ``chairwood`` (chair), ``tablesmall``, ``tablesquare`` (table).
    Only words of small letters WordNet lacks (``_joinable``)."""
    modifiers: dict[str, set] = {}
    for name in names:
        read = _thing_and_modifier(name.strip()) if _joinable(name.strip()) else None
        if read is not None:
            modifiers.setdefault(read[0], set()).add(read[1])
    # one a size, a shape or a colour at least: a thing written before substances alone names its products
    # (a list's ``caroil`` and ``carwax``)
    return frozenset(thing for thing, words in modifiers.items() if len(words) >= JOINED_COPIES_MIN and any(_size_shape_or_colour(w) for w in words))


def _thing_then_modifier(word: str, copies: frozenset) -> str | None:
    """The thing a joined word (``_joined_word``) joins to its size, colour, material or shape, the thing first, or
    None, where its list writes that thing so before several such words (``copies``, ``joined_copies``). BEHAVE names
    its copies of an object so: ``boxlarge``, ``boxsmall``, ``boxtiny`` are boxes, ``chairblack`` and ``chairwood``
    chairs, ``tablesquare`` a table."""
    read = _thing_and_modifier(word)
    return read[0] if read is not None and read[0] in copies else None


def _modifier_then_thing(word: str, c: SourceClass, matcher: Matcher) -> str | None:
    """The target's own name a joined word (``_joined_word``, class ``c``) ends in after a noun, its head, or None: BEHAVE's ``yogaball`` is a ball, LINEMOD's ``eggbox`` a box.
    English writes a compound's modifier first, and ``split_joined`` reads such a word only where WordNet knows the
    compound, which it lacks for these. The head alone, because a head noun after a modifier WordNet does not join to
    it takes the word's first sense, not the target's ("yoga ball" is game equipment, ball.n.01; the ball target is
    the plaything, ball.n.06). The head must be a target's name itself (ball, box, tent, stool; bus of bus_(vehicle)),
    not a synonym or a lemma (V3Det's ``boxcab`` is no taxi, its ``potsticker`` no dagger, ``catwoman`` and
    ``batgirl`` are characters, no women; a ``gadwall``, a duck WordNet lacks, is no wall), and the modifier a noun of
    three letters or more; nor where the modifier maps alone to another target of the head's kind of thing
    (``_another_target_of_its_kind``)."""
    for modifier, thing in _joined_splits(word):
        if thing in _target_words(matcher.targets) and noun_synsets(modifier):
            head = replace(c, match_name=thing)
            if not _an_artifact_no_toy_copies(thing, matcher.decide(head).synset):
                return None
            return None if _another_target_of_its_kind(replace(c, match_name=modifier), head, matcher) else thing
    return None


#: The kinds of a first sense that tell a vehicle's use (a stair, cargo or tank it carries; a push or tow it does);
#: a substance (paper, plastic, rubber, ice) or an idea (model) before a vehicle names a copy of it or its load.
VEHICLE_USE_LEXNAMES = frozenset({"noun.artifact", "noun.act"})


#: The kinds of a first sense that tell no vehicle's use: a plaything (``toytruck``), a kind a toy copies
#: (``TOY_COPIES``: ``robotcar``, a robot being a thing toys copy), an art or craft as an act (``origamiboat``: a
#: folded-paper boat), and a block or piece of material (``cakecar``: WordNet's first cake is a cake of soap).
NO_VEHICLE_USE = frozenset({PLAYTHING, *TOY_COPIES, "art.n.02", "trade.n.02", "handicraft.n.02", "block.n.01", "piece_of_cloth.n.01"})


def _a_vehicle_use(word: str) -> bool:
    """A word that tells a vehicle's use: a noun whose first sense is an artifact (a stair, cargo, a tool, a kit) or an
    act (a push) of none of the kinds ``NO_VEHICLE_USE`` (a plaything, a thing toys copy, an art or craft, a block or
    piece of material), or a word WordNet lacks that joins such a noun to another word it knows (``pushback``: push,
    back). A toy, a robot, origami, a cake, a material or a model makes no vehicle (``toytruck``, ``robotcar``,
    ``origamiboat``, ``cakecar``, ``papertruck``, ``modeltruck``)."""
    first = noun_synsets(word)[:1]
    if first:
        return first[0].lexname() in VEHICLE_USE_LEXNAMES and not is_kind_of(first[0], *NO_VEHICLE_USE)
    return not wordnet().synsets(word) and any(noun_synsets(one) and _a_vehicle_use(one) and wordnet().synsets(rest) for one, rest in _joined_splits(word))


def _vehicle_by_its_use(word: str, c: SourceClass, matcher: Matcher) -> str | None:
    """The vehicle target's own name a joined word (``_joined_word``, class ``c``) ends in after a word of its use
    (``_a_vehicle_use``), or None: SIMD's ``stairtruck`` and ``pushbacktruck`` (airport trucks) are trucks. Vehicles
    are things a toy copies, so ``_modifier_then_thing`` reads none; here the word before tells a use, no toy. The
    head must be a target's own name whose target sense is a conveyance, and the modifier map alone to no other
    target of its kind (``_another_target_of_its_kind``)."""
    for modifier, thing in _joined_splits(word):
        if thing in _target_words(matcher.targets) and _a_vehicle_use(modifier):
            head = replace(c, match_name=thing)
            synset = matcher.decide(head).synset
            if synset is None or not is_kind_of(wn_synset(synset), CONVEYANCE):
                continue
            return None if _another_target_of_its_kind(replace(c, match_name=modifier), head, matcher) else thing
    return None


def _an_artifact_no_toy_copies(word: str, synset: str | None) -> bool:
    """A head a noun joined before it leaves that thing: a word first an artifact (``_an_artifact_word``) whose target
    sense is one a toy does not copy (``TOY_COPIES``: no vehicle, weapon, instrument, plant or fruit). Joined before
    an animal, a plant, a person or a toy's thing, a noun names a toy, a food or another creature (``toyhorse``,
    ``rubberduck``, ``carebear``, ``waterbear``, ``corndog``, ``paperboat``), or before a word first another thing a
    thing of that (a ``papercrane``, crane being first a person and then a bird, is no lifting machine)."""
    if synset is None or not _an_artifact_word(word):
        return False
    node = wn_synset(synset)
    return node.lexname() == "noun.artifact" and not is_kind_of(node, *TOY_COPIES)


def _another_target_of_its_kind(modifier: SourceClass, head: SourceClass, matcher: Matcher) -> bool:
    """The modifier maps alone to a target other than the head's, of the same lexicographer file (two artifacts): the
    joined word may join two classes, as Action Genome writes its ``phonecamera`` (phone/camera) and ``closetcabinet``,
    or name a third thing (IDD's ``autorickshaw``, motorised, is no rickshaw; CO3D's ``toybus`` a toy). An egg is food
    before a box: an ``eggbox`` is a box."""
    one, other = matcher.decide(modifier), matcher.decide(head)
    if one.target is None or one.target == other.target or not (one.synset and other.synset):
        return False
    return wn_synset(one.synset).lexname() == wn_synset(other.synset).lexname()


#: The fewest different words a list writes after one first part, "_" between, before that first part is read as
#: the thing its copies share: HOTS writes ``can_cassis``, ``can_coke``, ``can_fanta``, ``can_pepsi`` (cans) and
#: ``plate_big``, ``plate_wide``; a single ``whiteboard_marker`` shows no convention (the same count as
#: ``JOINED_COPIES_MIN`` for joined words).
SEPARATED_COPIES_MIN = JOINED_COPIES_MIN


def _first_and_rest(name: str) -> tuple[str, str] | None:
    """A name of small letters and digits written as words joined by "_", no space: its first word and the rest
    (``can_tomato_sauce``: "can", "tomato_sauce"), or None."""
    if " " in name or not re.fullmatch(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+", name):
        return None
    first, rest = name.split("_", 1)
    return first, rest


def separated_copies(names: list[str]) -> frozenset:
    """The first words a list writes before ``SEPARATED_COPIES_MIN`` different rests or more (``_first_and_rest``):
    HOTS' can (``can_coke``, ``can_pepsi``), plate, spoon, book; HOT3D's bottle (``bottle_bbq``, ``bottle_ranch``),
    can, mug, whiteboard. Whether such a name is its first word's thing is decided per name (``_thing_first``)."""
    rests: dict[str, set] = {}
    for name in names:
        read = _first_and_rest(name.strip())
        if read is not None:
            rests.setdefault(read[0], set()).add(read[1])
    return frozenset(first for first, found in rests.items() if len(found) >= SEPARATED_COPIES_MIN)


def _a_modifier_after(rest: str) -> bool:
    """A word written after a thing, without the list's convention, that can only tell its copy apart, never be a
    head noun: one word that is a size, shape or colour (``_size_shape_or_colour``: big, white, silver), an adjective
    of what a thing is made of (``_made_of_adjective``: wooden) or a word WordNet lacks in every part of speech (a
    weight, ``5lb``; a brand, ``bbq``). A material noun is not enough alone: a thing before a substance names what it
    takes or holds as often (a ``pen_ink``, a ``candle_wax``, ``car_wax``, ``book_paper``; see
    ``JOINED_COPIES_MIN``), so it needs the list's convention. A word WordNet knows otherwise may say what became
    of the thing (a ``helmet_missing``, a ``car_ignore`` region), no copy of it."""
    if "_" in rest:
        return False
    return not wordnet().synsets(rest) or _size_shape_or_colour(rest) or _made_of_adjective(rest)


def _made_of_adjective(word: str) -> bool:
    """The word's first adjective sense is defined as what a thing is made of: WordNet's wooden is "made or consisting
    of (entirely or in part) or employing wood" (WordNet links it to no noun, so the definition is read)."""
    adjectives = wordnet().synsets(word, pos="a") + wordnet().synsets(word, pos="s")
    return bool(adjectives) and adjectives[0].definition().startswith("made ")


def _no_target_or_a_person(d: Decision) -> bool:
    """A decision that maps to nothing, or to a person through a sense of a word (WordNet's white.n.01, a white
    person, read as the head of ``book_white``)."""
    return d.target is None or (d.synset is not None and wn_synset(d.synset).lexname() == "noun.person")


def _thing_first(c: SourceClass, matcher: Matcher, firsts: frozenset) -> SourceClass | None:
    """A name written thing first, "_", then its brand, size, colour, material or weight, read as the thing, or
    None: HOTS' and HOT3D's ``can_coke``, ``plate_big``, ``spoon_wooden``, ``dumbbell_5lb``, ``book_white`` (a book,
    no white person). The list must show the convention (the first word before several rests, ``firsts``, see
    ``separated_copies``) or the first word be first an artifact and the rest a word no head noun
    (``_a_modifier_after``); a material, colour or size written first is never the thing; the first word must map to a
    target of no animal, plant or person through a sense it names first (``_its_own_thing``), the rest be of another
    kind than that sense (``_of_one_kind``); and the name read head-last, as English writes it, must map to nothing or to a person
    (``_no_target_or_a_person``), its last part alone too. So real head-last names keep their head: a compound
    WordNet knows (``coffee_pot``, ``tomato_sauce``, ``door_knob``, ``car_seat``, ``apple_juice``) is never read
    so, nor a name whose last part maps to a target itself (``whiteboard_marker``: a marker, though HOT3D also
    writes ``whiteboard_eraser``)."""
    read = _first_and_rest(c.match_name.strip())
    if read is None:
        return None
    first, rest = read
    # a material, colour or size written first is the modifier itself, a head-last name (glass_jar, iron_gate, red_car)
    # without the list's convention, only an artifact: a food or a plant before a colour may name the colour (a
    # single ``tomato_red``, ``banana_yellow``), as in joined words (``_thing_and_modifier``)
    if _telling_modifier(first) or not (first in firsts or (_an_artifact_word(first) and _a_modifier_after(rest))):
        return None
    if any(noun_synsets(alt) for alt in alternatives(c.match_name.strip()) + [c.match_name.replace("_", "")]):
        return None
    thing = matcher.decide(replace(c, match_name=first))
    if _no_target_or_a_person(thing) or not _its_own_thing(first, thing, matcher.targets) or _of_one_kind(rest, thing.synset):
        return None
    if not (_no_target_or_a_person(matcher.decide(c)) and _no_target_or_a_person(matcher.decide(replace(c, match_name=rest.replace("_", " "))))):
        return None
    return replace(c, match_name=first)


def _its_own_thing(word: str, d: Decision, targets: Targets) -> bool:
    """The word names the sense it maps through as that sense's first name, the target is of that sense's kind (its
    lexicographer file) and no animal, plant or person (``_living``): ``can`` is WordNet's can, a can; not ``bath``,
    which maps to the bathtub through one of its names (a ``bath_sponge`` is a sponge), nor ``beef`` or ``chicken``,
    read as the animals (Food-101's ``beef_carpaccio`` and ``chicken_curry`` are dishes)."""
    target = targets.by_name.get(d.target)
    if d.synset is None or target is None or target.node is None or _living(target):
        return False
    node = wn_synset(d.synset)
    return node.lemma_names()[0].lower() == word and node.lexname() == wn_synset(target.node).lexname()


def _of_one_kind(rest: str, synset: str | None) -> bool:
    """The rest, unless a size, shape, colour or material (``_telling_modifier``), has a noun sense of the thing's
    kind (its lexicographer file), any sense, not only its first: two artifacts or two foods name a head-last
    compound, the rest being the thing (a ``laptop_cover`` and a ``laptop_stand`` are no laptops, an
    ``electric_clippers`` no electric car, a ``lobster_bisque`` a soup; a ``chair_leg``, ``guitar_case``,
    ``camera_battery``, ``spoon_rest``, ``bag_tag`` are parts, containers and accessories of the thing, their rest
    an artifact in some sense). Known costs: HOT3D's ``bottle_ranch``, WordNet's ranch being an artifact, a farm; a
    material after the thing in a list with the convention (a ``candle_wax``, ``printer_ink``) stays the thing."""
    if synset is None or _telling_modifier(rest):
        return False
    kind = wn_synset(synset).lexname()
    return any(s.lexname() == kind for s in noun_synsets(rest))


@lru_cache(maxsize=4)
def _target_words(targets: Targets) -> frozenset:
    """The targets' own names without their qualifiers ("ball", "box", "bus" of bus_(vehicle)), once per label space."""
    return frozenset(_bare(t.name) or alternatives(t.name)[0] for t in targets)


#: WordNet's tool (``tool.n.01``, "an implement used in the practice of a vocation"): a drill, a chisel, a wrench.
TOOL = "tool.n.01"
#: The ending of an agent noun: who or what does the verb (a driller drills).
AGENT_ENDING = "er"


def _tool_by_its_work(word: str) -> str | None:
    """The tool a joined word (``_joined_word``) ending in "er" names as a verb's agent noun (what drills), when the
    verb's first noun sense is a tool, or None: LINEMOD's ``driller`` is a power drill (drill.n.01, a tool), WordNet
    knowing no driller. The stem is the word without "er", or without "r" after an "e" (a grater grates); only a tool
    first (a saw is first a saying, a hammer a gun's part)."""
    if not word.endswith(AGENT_ENDING):
        return None
    stem = word[: -len(AGENT_ENDING)]
    for verb in (stem, stem + "e"):
        first = noun_synsets(verb)[:1] if wordnet().synsets(verb, pos="v") else []
        if first and is_kind_of(first[0], TOOL):
            return verb
    return None


def trade_list(names: list[str]) -> bool:
    """Whether a list names people by their work: one of its names an "-er" agent noun WordNet knows first as a
    person (``welder``, ``plumber``, ``carpenter``). Among them a ``driller`` is a worker who drills, no drill
    (``_tool_by_its_work`` is not read)."""
    for name in names:
        word = name.strip().lower()
        first = noun_synsets(word)[:1] if word.isalpha() and word.endswith(AGENT_ENDING) else []
        if first and first[0].lexname() == "noun.person":
            return True
    return False


#: A mark a list writes on its names (a kind before them, a folder's suffix, a catalogue id) is read as one only
#: when at least this many names carry it, and more than this share of the list.
LIST_MARK_MIN = 3
LIST_MARK_SHARE = 0.5


#: The separator after a kind a list writes before its names (TrashCan's ``animal_eel``, ``trash_can``).
KIND_SEPARATOR = re.compile(r"[_\s]+")


#: The fewest ``_`` parts of a name written category_item_brand (SynthDet's ``snack_cookie_petitecolier``).
CATEGORY_ITEM_BRAND_PARTS = 3
#: The share of a list's names of CATEGORY_ITEM_BRAND_PARTS parts or more that may be WordNet nouns whole, at most:
#: fewer than half. A list most of whose parted names WordNet knows whole (``traffic_light_pole``, ``golden_retriever``
#: written with its kind) names things by their kinds, no products by their brands.
CATEGORY_ITEM_BRAND_WHOLE_SHARE = 0.5
#: The share of those names whose last part WordNet lacks as a word of any kind (a brand: Pringles, Colgate, Barilla),
#: at least: about a third. SynthDet's 33 of 63 (0.52) and invented lists of products by brand (0.31 to 0.36) have it;
#: lists of things named category, item and state, side or kind (signs ``sign_stop_ahead``, lights, poses, vehicle
#: parts, drinks by container ``drink_coke_can``, fruits, dogs, tools) none.
CATEGORY_ITEM_BRAND_BRANDS_SHARE = 0.3


def category_item_brand_list(names: list[str]) -> bool:
    """A list names its products category_item_brand (Unity SynthDet's ``snack_cookie_petitecolier``,
    ``pasta_lasagne_barilla``, ``toiletry_toothpaste_colgate``), decided on its names as released. Of its names that
    are single words of CATEGORY_ITEM_BRAND_PARTS or more ``_`` parts (the parted names): more than LIST_MARK_SHARE
    of the whole list are led by first words (the categories) that LIST_MARK_MIN parted names or more share (so most
    of the list is parted), fewer than CATEGORY_ITEM_BRAND_WHOLE_SHARE are WordNet nouns whole, and
    CATEGORY_ITEM_BRAND_BRANDS_SHARE or more end in a word WordNet lacks (a brand)."""
    parted = [n.strip() for n in names if " " not in n.strip() and len(n.strip().split("_")) >= CATEGORY_ITEM_BRAND_PARTS]
    if not parted or sum(map(_known_whole, parted)) >= CATEGORY_ITEM_BRAND_WHOLE_SHARE * len(parted):
        return False
    if sum(1 for n in parted if not wordnet().synsets(n.split("_")[-1].lower())) < CATEGORY_ITEM_BRAND_BRANDS_SHARE * len(parted):
        return False
    firsts = Counter(n.split("_")[0].lower() for n in parted)
    return sum(count for count in firsts.values() if count >= LIST_MARK_MIN) > LIST_MARK_SHARE * len(names)


def _category_item_brand(decisions: list[Decision], matcher: Matcher, names: list[str]) -> None:
    """In a list of category_item_brand names (``category_item_brand_list`` of ``names``, the names as released) a
    name is its category and item, no brand: the last part is left (Pringles, Colgate, Barilla) unless the last two
    parts are a WordNet noun (``coffee_filters``, ``corn_flakes``: the item); then the item is read with its category
    before it as the head's kind (``snack_cookie_petitecolier``: a snack cookie, the cookie; ``pasta_lasagne_barilla``:
    lasagne, pasta), and where that reaches no target the category alone (``chips_sourcream_lays``: chips). After a
    category that is a dish (DISH: ``soup_tomato_pacific``) the item is what the dish is made of, and only the category
    is read; an item that WordNet knows before its category is read so (``chips_potato_lays``: potato chips, no
    potato), else the category. A category and item WordNet knows whole must be of the category's kind (``_compatible``:
    a ``snack_bar_kind`` is no snack bar, the counter, a snack being food). A reading must be one a product can have (``_a_product_reading``); where none is, the name maps to
    nothing, its brand no part of it (``pest_antbaits_terro`` is no terror, ``cereal_oatmealsquares_quaker`` no Quaker;
    ``cereal_capn_crunch``: the carton is not guessed). A last part that is a container (``_a_container``:
    ``drink_coke_can``, ``snack_cookie_box``) is no brand, and the name keeps its decision."""
    if not category_item_brand_list(names):
        return
    for i, (d, name) in enumerate(zip(decisions, names)):
        words = name.strip().split("_")
        if len(words) < CATEGORY_ITEM_BRAND_PARTS or " " in name.strip():
            continue
        whole_item = bool(noun_synsets("_".join(words[-2:]).lower()))
        if not whole_item and _a_container(matcher.decide(replace(d.source, match_name=words[-1]))):
            continue  # the last part is what the product is in (a can, a box): no brand to leave
        item = words[1:] if whole_item else words[1:-1]
        readings = (words[0],) if any(is_kind_of(s, DISH) for s in noun_synsets(words[0].lower())[:1]) else (" ".join([words[0], *item]), words[0])
        if noun_synsets("_".join([*item, words[0]]).lower()):
            readings = (" ".join([*item, words[0]]), words[0])  # the item before its category: potato chips
        kinds = noun_synsets(words[0].lower())
        for reading in readings:
            found = matcher.decide(replace(d.source, match_name=reading))
            known = noun_synsets(reading.replace(" ", "_").lower())  # a compound WordNet knows whole: its own thing
            if reading == words[0] or (_a_product_reading(found) and (not (known and kinds) or any(_compatible(wn_synset(found.synset), k) for k in kinds))):
                break
        note = f"a product named category_item_brand: read as {reading!r}"
        if not _a_product_reading(found):
            if d.target is not None:  # a brand is no part of what the product is (``pest_antbaits_terro``: no terror)
                decisions[i] = Decision(d.source, None, None, "none", 0.0, d.synset, d.options, note, d.resolution)
        elif found.target != d.target:
            decisions[i] = replace(found, source=d.source, note=note)


def _a_container(d: Decision) -> bool:
    """A reading that is a product's container (a can, a bottle, a box, a bag: a kind of CONTAINER) reaching a target."""
    return _a_product_reading(d) and is_kind_of(wn_synset(d.synset), CONTAINER)


def _a_product_reading(d: Decision) -> bool:
    """A reading of a product's words that reaches a target as a product can be: not by a spelling a letter off (SynthDet's
    ``salame``, which the fuzzy lookup takes for another word) and in a sense of no living thing (LIVING_LEXNAMES) nor
    a kind of person (person.n.01, which WordNet files among its tops): its ``cereal_puffins_barbaras`` is no puffin,
    the bird, a ``person_left_arm`` no person."""
    node = wn_synset(d.synset) if d.synset else None
    if d.target is None or getattr(d.resolution, "how", None) == "fuzzy" or node is None:
        return False
    return node.lexname() not in LIVING_LEXNAMES and not is_kind_of(node, PERSON)


def _kind_and_rest(name: str) -> tuple[str, str] | None:
    """A name's first word (lower case) and the rest, or None for a name of one word."""
    parts = KIND_SEPARATOR.split(name.strip(), maxsplit=1)
    return (parts[0].lower(), parts[1]) if len(parts) == 2 and parts[0] and parts[1] else None


def kind_prefixes(names: list[str]) -> frozenset:
    """The kinds a list writes before its names (TrashCan's ``animal_crab``, ``animal_eel``, ``trash_bottle``,
    ``trash_can``: the sea animals and the kinds of debris): first words that LIST_MARK_MIN names or more
    share, where such shared first words lead more than LIST_MARK_SHARE of the list, each a noun whose first
    WordNet sense is a physical thing (an animal, trash; not Waymo's enum mark ``TYPE_``, a kind of category),
    and that leads names of which fewer than half are WordNet nouns whole. A first word that makes compounds
    (``paper_bag``, ``paper_towel``; ``traffic_light``, ``traffic_cone``) is part of its names, no list's kind,
    and a list of model names ("Make Model Body Year", ``_model_words``) is read by body style."""
    led: dict[str, list[str]] = {}
    for name in names:
        found = _kind_and_rest(name) if _model_words(name) is None else None
        if found is not None:
            led.setdefault(found[0], []).append(name)
    shared = {kind: led[kind] for kind in led if len(led[kind]) >= LIST_MARK_MIN}
    if sum(map(len, shared.values())) <= LIST_MARK_SHARE * len(names):
        return frozenset()
    return frozenset(kind for kind, led_names in shared.items() if _a_kind_of_thing(kind) and 2 * sum(map(_known_whole, led_names)) < len(led_names))


def _a_kind_of_thing(word: str) -> bool:
    """The word's first WordNet noun sense is a physical thing (a kind of object, as animal.n.01 and trash.n.01 are)."""
    first = noun_synsets(word)[:1]
    return bool(first) and a_thing(first[0])


def _known_whole(name: str) -> bool:
    """The name (its index left out) is a WordNet noun as it is written."""
    return any(noun_synsets(alt) for alt in alternatives(name)[:1])


def _kind_prefixed(c: SourceClass, matcher: Matcher, kinds: frozenset) -> SourceClass | None:
    """A name led by its list's kind (``kind_prefixes``) as a category path: the rest is the class, the kind its
    parent, the context a path's segment gives (TrashCan's ``animal_eel`` is the fish, not the eel as food;
    ``trash_bottle`` a bottle). Only where the rest is a kind of the kind (an eel is an animal) or the kind is a
    substance, what the rest is made of or has become (trash, plastic, paper): a list of ``toy gun``, ``toy bear``
    names toys, no guns and bears; and only where the rest keeps its first WordNet sense or one of the kind. A
    substance kind says what the thing is made of, never what it is: the rest must map to that target by itself
    (in a list of ``glass_bottle``, ``glass_jar``, ``glass_pane``, a pane is no drinking glass, nor an
    ``iron_gate`` a clothes iron). A name WordNet knows whole is that compound (``glass_snake`` the lizard,
    ``trash_bin`` and ``trash_can`` the bin). None when the name has no such kind or the rest names no thing
    (``animal_etc``, ``trash_unknown_instance`` are read whole)."""
    found = _kind_and_rest(c.match_name)
    if found is None or found[0] not in kinds or _known_whole(c.match_name) or not matcher.names_thing(found[1]):
        return None
    kind, rest = noun_synsets(found[0]), alternatives(found[1])
    made_of = kind[0].lexname() == "noun.substance"
    if not made_of and not any(k in ancestors(s) for s in head_senses(rest[0]) for k in kind):
        return None
    read = replace(c, match_name=found[1], parents=(found[0], *c.parents), path=True)
    # the rest is read in its first WordNet sense or one of the kind (an eel, an animal), as a numbered stem is:
    # "trash_bag" is no handbag, which WordNet lists fourth among its bags
    decided = matcher.decide(read)
    chosen, first = decided.synset, noun_synsets(rest[0])[:1]
    if chosen is None or (first and wn_synset(chosen) != first[0] and not any(k in ancestors(wn_synset(chosen)) for k in kind)):
        return None
    if made_of and (decided.target is None or decided.target != matcher.decide(replace(c, match_name=found[1])).target):
        return None  # the material's own target (glass, iron, straw) through the path, or none without it
    return read


def _head_known(c: SourceClass, known: Mapping) -> SourceClass | None:
    """A name whose head before a prepositional phrase (``prepositional_head``) a shipped class names with a target,
    read as that head, or None: the head gets the lookup a whole class gets (``_as_shipped``), so ``man on bicycle``
    is Open Images' ``Man``, a person, where WordNet's man read as a head noun would be homo, an animal."""
    head = prepositional_head(c.match_name)
    if head is not None and known.get(_name_key(head), ("",))[0]:
        return replace(c, match_name=head.replace("_", " "))
    return None


def read_naming(c: SourceClass, matcher: Matcher, *, slash: bool = False, colon_head_first: bool = False, vehicles: frozenset = frozenset(), kinds: frozenset = frozenset(), known: Mapping = MappingProxyType({}), camel_heads: frozenset = frozenset(), copies: frozenset = frozenset(), trades: bool = False, firsts: frozenset = frozenset(), bodies: bool = False) -> SourceClass:
    """What matching reads of a name written in one of these conventions of datasets' class lists:

    * a head-first name, its modifiers after a colon (EPIC-KITCHENS' ``onion:spring``), in a list
      that writes its colon names so (``colon_head_first``, see ``head_first``): read modifiers first,
      "spring onion" (WordNet's green onion), no path whose last segment is a season; a name in it that
      is a path all the same (``animal:dog``: ``_colon_path``) stays one;

    * a category path (``human.pedestrian.child``, ``object--traffic-light``): its most specific
      segment that names a thing (a physical WordNet sense, or a target's name: ``trafficcone``) is
      the class; segments that name none fall back to their ancestor (``vehicle.bus.rigid``: "rigid"
      is no noun, the class is a bus), and the more general segments are the class's parents, the
      context a dataset's own hierarchy gives (``human.`` makes its classes people);
    * a vehicle model, "Make Model [Body] Year" (Stanford Cars' ``Honda Odyssey Minivan 2007``): make
      and model are proper names or codes, so the class is its body style, the word (or two words, first)
      before the year, when WordNet knows it as a vehicle (sedan, coupe, minivan, SUV; a Mountain Bike, a
      bicycle; a bike as the bicycle target, ``_vehicle_sense``) or the cited table
      ``vehicle_body_styles.csv`` reads it (``Crew Cab``: a pickup truck). A model without a body word
      (``Chevrolet Corvette ZR1 2012``) names no kind: nothing is read, and the list decides
      (``_list_context``: in a list of cars, a car);
    * a name led by a kind its list writes before most of its names (``kinds``, see ``kind_prefixes``):
      TrashCan's ``animal_eel``, read as the path ``animal > eel`` (``_kind_prefixed``);
    * a CamelCase name whose words a target or a shipped class (``known``) names: ZOD's ``TrafficSign`` is a
      "Traffic Sign" (``_camel_case_known``);
    * a lower camelCase name WordNet lacks, read as its words: Snapshot Serengeti's ``koriBustard`` a "kori Bustard",
      and, led by a word its list writes first in several such names (``camel_heads``), modifiers first: ``lionMale`` a
      "Male lion" (``_lower_camel_case``);
    * a name whose head before a prepositional phrase a shipped class names (``known``): ``man on bicycle`` is
      read as "man", a person (``_head_known``);
    * a word of small letters WordNet lacks that maps to nothing (``_joined_word``), read as the thing it joins to its
      size, colour, material or shape where the list writes that thing so several times (``copies``, see
      ``joined_copies``: BEHAVE's ``boxlarge``: "box", ``_thing_then_modifier``), as a target's own name it ends in
      after a noun, an artifact no toy copies (``yogaball``: "ball", ``_modifier_then_thing``) or, an "-er" noun in a
      list of no trades (``trades``, see ``trade_list``), as the tool its verb first names (LINEMOD's ``driller``:
      "drill", ``_tool_by_its_work``);
    * a name of words joined by "_", thing first and then its brand, size, colour, material or weight, where the
      list writes that first word before several such words (``firsts``, see ``separated_copies``) or the rest is
      no head noun, and the name read head-last maps to nothing or to a person: HOTS' ``can_coke`` and
      ``book_white`` are a can and a book (``_thing_first``).
    Other names are read as they are. ``slash``: the list writes its paths with "/" (``slash_paths``)."""
    if colon_head_first and ":" in c.match_name and path_segments(c.match_name, slash=slash) is not None and not _colon_path(c.match_name):
        return SourceClass(c.source, c.id, c.name, _modifiers_first(c.match_name), c.synset, c.synonyms, c.parents)
    segments = path_segments(c.match_name, slash=slash)
    if segments is not None:
        at = next((i for i in range(len(segments) - 1, -1, -1) if matcher.names_thing(segments[i])), len(segments) - 1)
        while at > 0 and matcher.names_thing(segments[at - 1]) and _a_side_of(segments[at], matcher.plain_synset(segments[at - 1])):
            at -= 1  # Mapillary's "object--traffic-sign--back": a traffic sign seen from behind
        parents = tuple(reversed(segments[:at])) + tuple(p for p in c.parents if p not in segments)
        return SourceClass(c.source, c.id, c.name, segments[at], c.synset, c.synonyms, parents, path=True)
    words = _model_words(c.match_name)
    if words is not None:
        body = words[-2].lower()
        # the table's words as written, one ("SuperCab") or two ("Crew Cab"): a cab alone is a taxi
        style = body_styles().get(" ".join(words[-3:-1]).lower()) or body_styles().get(body)
        # a body style of two words WordNet knows as a vehicle first ("Mountain Bike": a bicycle)
        two = "_".join(words[-3:-1]).lower()
        by_synset = matcher.targets.by_synset
        sense = (_vehicle_sense(two, targets=by_synset) or _vehicle_sense(body, matcher.named, listed=vehicles, targets=by_synset)) if style is None else None
        # a body word WordNet knows is read as its motor-vehicle sense only, not as a name (LVIS lists
        # "convertible" as a synonym of the sofa bed)
        return SourceClass(c.source, c.id, c.name, style or "", c.synset or sense, c.synonyms, c.parents)
    return (_lone_body_style(c, matcher) if bodies else None) or _kind_prefixed(c, matcher, kinds) or _head_known(c, known) or _camel_case_known(c, matcher, known) or _lower_camel_case(c, camel_heads) or _joined_word(c, matcher, copies, trades) or _thing_first(c, matcher, firsts) or c


#: A name ending in a number after a space ("Car 3", "Boeing 747").
SPACED_NUMBER = re.compile(r"^(?P<stem>.*[^\W\d_].*?)\s+(?P<number>\d+)$")
#: A name of words (letters only) ending in a number joined to its last word or after "_"/"-" (CORe50's
#: ``cup5``, ``plug_adapter3``); the stem has three letters or more and no digit, so no ``a4``, ``f1``,
#: ``mp3``, ``b52`` or ``r2d2`` is ever read as a stem and a count.
JOINED_NUMBER = re.compile(r"^(?P<stem>[^\W\d_]+(?:[\s_-]+[^\W\d_]+)*?[^\W\d_]{2,})[_-]?(?P<number>\d+)$")


def numbered(name: str):
    """The (stem, number) a name ends in, after a space or joined to it (``SPACED_NUMBER``, ``JOINED_NUMBER``)."""
    m = SPACED_NUMBER.match(name.strip()) or JOINED_NUMBER.match(name.strip())
    return (m["stem"].strip(), int(m["number"])) if m else None


def numbered_stems(names: list[str]) -> frozenset:
    """The stems a list numbers as instances of one class (A2D2's ``Car 1`` .. ``Car 4``, ``Pedestrian 1`` ..
    ``Pedestrian 3``): a name followed by a space and a number, which the list holds with exactly the numbers
    1..n, n >= 2. A number that is part of a name is no such count: a model's (``Boeing 707``, ``Boeing 747``;
    ``Fokker 50``, ``Fokker 100``), a version's (``Windows 10``) or a single ``Car 3``. Stems are compared as
    ``_stem_key`` writes them (``Car 1``, ``car3`` and ``car_4`` number one stem, ``car``)."""
    numbers: dict[str, set[int]] = {}
    for name in names:
        found = numbered(name)
        if found:
            numbers.setdefault(_stem_key(found[0]), set()).add(found[1])
    return frozenset(stem for stem, found in numbers.items() if len(found) >= 2 and found == set(range(1, len(found) + 1)))


def _coloured(name: str) -> tuple[str, str] | None:
    """A name's stem (its words but the last, lower case, joined by ``_``) and its last word when that is a colour
    (``colour_word``) after a stem, in a name WordNet does not know whole; else None. Nor where WordNet knows the
    colour and the stem as a two-word compound, colour first, that is no kind of the stem (``_other_thing``):
    ``widow_black`` is WordNet's black widow, a spider, no widow; ``knight_white`` its white knight, a champion."""
    words = [w.lower() for w in _words(name)]
    if len(words) < 2 or not colour_word(words[-1]) or _known_whole(name):
        return None
    stem = "_".join(words[:-1])
    if _other_thing(f"{words[-1]}_{stem}", stem):
        return None
    return stem, words[-1]


def _other_thing(compound: str, stem: str) -> bool:
    """WordNet knows the compound as two words (``black_widow``; not written as one word: a blackshirt is no black
    shirt) and none of its senses is a kind of one of the stem's senses, the sense itself left out: ``red_panda`` is
    WordNet's lesser panda, which is panda's second sense, no kind of a panda; ``black_pepper`` is a kind of pepper
    (the seasoning), ``red_fox`` of fox, ``black_person`` of person."""
    senses = wordnet().synsets(compound, pos="n")
    stems = set(head_senses(stem))
    return bool(senses) and not any(stems.intersection(ancestors(s)) - {s} for s in senses)


def colour_stems(names: list[str]) -> frozenset:
    """The stems a list writes with two colours or more after them, a state the thing shows (WoodScape's
    ``traffic_light_green``, ``traffic_light_red``, ``traffic_light_yellow``: a traffic light; ``cone_blue``,
    ``cone_orange``: a cone, where "orange" is a colour too), where the stem names a thing (``named_thing``:
    "light" of ``light_green``, ``light_blue`` is first WordNet's radiation). A single name is no such state:
    ``tomato_red`` or a butterfly ``Holly Blue`` may name a colour or a kind of their own."""
    colours: dict[str, set[str]] = {}
    for name in names:
        found = _coloured(name)
        if found is not None:
            colours.setdefault(found[0], set()).add(found[1])
    return frozenset(stem for stem, found in colours.items() if len(found) >= 2 and named_thing(stem.split("_")))


#: The marks a folder or a file name adds that say nothing of its class, the only shared suffixes dropped:
#: "final" (Stanford Online Products' super-class folders, ``bicycle_final``); "new", "old", "copy", "tmp"
#: (a copied or re-made folder: "_new", "_copy", "_tmp" as file managers and scripts write them); "img",
#: "imgs", "data", "obj" (a folder of a class's images, data or object files, as dataset dumps name them:
#: ``car_img``, ``chair_obj``). Every other shared word stays a word of the name (a list decides none by
#: WordNet: "copy" is also an artifact, a reproduction, yet as a suffix a file's mark).
FILE_MARKS = frozenset({"final", "new", "old", "copy", "tmp", "img", "imgs", "data", "obj"})
#: A version mark: v1, v2, ... (a folder re-made, ``chair_v2``).
VERSION_MARK = re.compile(r"^v\d+$")


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[\s_-]+", name.strip()) if w]


def shared_suffix(names: list[str]) -> str | None:
    """The last word most of a list's names share when it is a folder's or a file's mark (``FILE_MARKS``,
    ``VERSION_MARK``: Stanford Online Products' folders ``bicycle_final``, ``chair_final``), else None. Any
    other shared last word stays: it may be the names' head (``traffic_light``, ``beer_bottle``) or carry the
    class (``door_damage``, ``helmet_missing``, ``Apple logo``, ``person_crowd``, ``car_ignore``); so does a
    number (an index, read by ``alternatives``). A name that is a WordNet noun whole keeps its mark
    (``_without_suffix``)."""
    lasts = Counter(words[-1].lower() for words in map(_words, names) if len(words) > 1)
    if not lasts:
        return None
    token, count = lasts.most_common(1)[0]
    if count < LIST_MARK_MIN or count <= LIST_MARK_SHARE * len(names) or not token.isalnum() or token.isdigit():
        return None
    if token not in FILE_MARKS and not VERSION_MARK.match(token):
        # any other word may carry the class: a "door_damage" is no door, a "helmet_missing" no helmet,
        # an "Apple logo" no apple, a "person_crowd" no person, a "car_ignore" a region to leave out
        return None
    return token


def _without_suffix(name: str, suffix: str | None, matcher: Matcher) -> str | None:
    """The name without the list's shared suffix (``shared_suffix``) when the rest names a thing and the
    whole is no WordNet noun, else None."""
    words = _words(name)
    if suffix is None or len(words) < 2 or words[-1].lower() != suffix or noun_synsets("_".join(words).lower()):
        return None
    rest = "_".join(words[:-1])
    return rest if matcher.names_thing(rest) else None


def _joined_target(name: str, targets: Targets):
    """The target whose name is ``name``, one word that ``alternatives`` splits in two, written as one
    (with or without a plural "s"), else None."""
    word = name.strip().lower()
    if not word.isalpha():
        return None
    alts = alternatives(word)
    if len(alts) != 1 or "_" not in alts[0]:
        return None
    index = _targets_by_letters(targets)
    found = [index[w] for w in (word, word + "s", word + "es") if w in index]
    return min(found, key=lambda hit: hit[0])[1] if found else None


@lru_cache(maxsize=4)
def _targets_by_letters(targets: Targets) -> dict:
    """Each target's name in letters only ("leathershoes") -> (its position, the target), the first target of
    a name; built once per label space (``_joined_target`` rebuilt every name for each word it split)."""
    index: dict = {}
    for i, t in enumerate(targets):
        index.setdefault(re.sub(r"[^a-z]", "", t.name.lower()), (i, t))
    return index


#: A catalogue number before a name: digits then "_", "-", "." or a space (YCB-Video's ``024_bowl``).
ID_PREFIX = re.compile(r"^(?P<id>\d+)[_\-. ](?=.*[^\W\d_])")


def without_id(name: str) -> str | None:
    """``name`` (stripped) after its leading catalogue id (``ID_PREFIX``), or None when it has none."""
    m = ID_PREFIX.match(name.strip())
    return name.strip()[m.end():] if m else None


def shared_id_prefix(names: list[str]) -> bool:
    """Whether a list numbers its classes with a leading id (YCB-Video's ``002_master_chef_can``,
    ``024_bowl``, ``040_large_marker``): at least ``LIST_MARK_MIN`` names and more than half the list
    start with digits and a separator, all written with the same count of digits, at least two, one of them
    zero-padded (a catalogue's ids). A number that is part of a name (``3d_glasses``, ``7up_can``,
    ``100_dollar_bill``, ``4x4``) is no such id: a list of names does not share it in that form."""
    ids = [m["id"] for m in map(ID_PREFIX.match, (n.strip() for n in names)) if m]
    return (
        len(ids) >= LIST_MARK_MIN
        and len(ids) > LIST_MARK_SHARE * len(names)
        and len({len(i) for i in ids}) == 1
        and len(ids[0]) >= 2
        and any(i.startswith("0") for i in ids)
    )


def _stem_key(stem: str) -> str:
    return "_".join(_words(stem)).lower()


#: A name ending in a gloss in parentheses, after a space or "_" (ObjectNet's ``Nail (fastener)``, ``Laptop
#: (open)``; V3Det's ``bat (animal)``, ``crane (n03126707)``; LVIS writes ``nail_(fastener)``).
GLOSSED = re.compile(r"^(?P<name>[^()]*?[^\W_])[\s_]*\((?P<gloss>[^()]+)\)$")
#: An ImageNet id as a gloss: WordNet 3.0's noun offset (``n03126707``, the crane that lifts).
WNID = re.compile(r"^n(?P<offset>\d{8})$")


#: Kinds of gloss that say what a thing is made of or holds, never what it is (``Bottle (plastic)``, ``Cup (paper)``).
SAYS_NOTHING = frozenset({"noun.substance", "noun.food"})


def _gloss_compound(name: str, gloss: str, targets: Targets) -> str | None:
    """The gloss and the name as one name a target or WordNet knows as a thing ("gloss name" first, then "name gloss";
    ``Book (closed)`` is no closed book, WordNet's thing beyond comprehension):
    ``Bat (baseball)`` baseball_bat, ``Plant (potted)`` potted_plant (a target), ``Glasses (drinking)`` drinking
    glasses, ``Tank (fish)`` fish_tank (an aquarium)."""
    for words in (_words(gloss) + _words(name), _words(name) + _words(gloss)):
        key = "_".join(words).lower()
        if key in targets.by_name or any(s.lexname() in PHYSICAL_LEXNAMES for s in noun_synsets(key)[:1]):
            return " ".join(words)
    return None


#: A parenthesised gloss that is a colour, size or shape the thing shows (``_qualifier``: "Dog (white)").
LOOK = "look"
#: A parenthesised gloss that is what the thing is doing or where it is (``_qualifier``: "Kid (crawling)").
DOING = "doing"
#: Words that name a kind of quality, not one: "Orange (colour)" says the class is the colour, no look of an orange.
QUALITY_KINDS = frozenset({"colour", "color", "size", "shape"})


def _qualifier(gloss: str) -> str | None:
    """What a parenthesised gloss of one word or a phrase says of the thing when it says nothing of its kind: LOOK for
    a colour, size or shape (``_size_shape_or_colour``: ``white``, ``large``; not the words ``QUALITY_KINDS``, a gloss
    of kind), DOING for an -ing participle of a verb (``crawling``, ``walking``) or a phrase of place (``on a bobby
    car``, ``PREPOSITIONS``); else None (``adult``, ``fastener``, ``open``, ``colour``: read by the other rules of
    ``_glossed``)."""
    words = [w.lower() for w in _words(gloss)]
    if len(words) == 1 and words[0] not in QUALITY_KINDS and _size_shape_or_colour(words[0]):
        return LOOK
    if words and words[0] in PREPOSITIONS and len(words) > 1:
        return DOING
    if len(words) == 1 and participle(words[0], ing_only=True):
        return DOING
    return None


def _glossed(c: SourceClass, matcher: Matcher) -> SourceClass:
    """A name with a gloss in parentheses read as the name in the sense the gloss says (``GLOSSED``):

    * an ImageNet id is that WordNet synset (``crane (n03126707)``);
    * a gloss naming what a sense of the name is a kind of picks that sense (``Nail (fastener)``: the nail
      that is a fastener, no fingernail; ``bat (animal)``), as LVIS's own synset does for ``nail_(fastener)``;
    * a gloss naming a kind of thing (a physical WordNet sense, not people) that no sense of the name is of
      is what the class is a kind of, read as before (V3Det's ``gatekeeper (butterfly)``: WordNet knows
      only the person);
    * any other gloss, a state (``Laptop (open)``, ``Book (closed)``), who it is for (``Dress shoe (men)``) or
      a qualifier (``Phone (landline)``, ``Eraser (white board)``), says nothing of the class: the name alone; where
      the gloss is a noun naming no thing (``Coin (money)``; ``biscuit (united states)``), only if the name alone
      keeps its first WordNet sense (the American biscuit is WordNet's first, no cookie).
    A name WordNet does not know, or one whose source gives its synset (LVIS), is read as it is."""
    from .names import _lookup

    m = GLOSSED.match(c.match_name.strip()) if c.synset is None else None
    # a compound WordNet lacks by its head noun's senses ("Dress shoe (men)": a shoe's)
    senses = _lookup(_stem_key(m["name"]))[0] if m else []
    if not senses:
        return c
    name, gloss = m["name"].strip(), m["gloss"].strip()
    wnid = WNID.match(gloss.lower())
    if wnid:
        import warnings

        from .wordnet import wordnet

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # NLTK warns of an offset it lacks, and returns None
            given = wordnet().synset_from_pos_and_offset("n", int(wnid["offset"]))
        # an id WordNet 3.0 lacks is read as no gloss: the name alone
        return replace(c, match_name=name, synset=given.name() if given is not None else None)
    compound = _gloss_compound(name, gloss, matcher.targets)
    if compound is not None:
        # the gloss and the name are one thing's name: "Bat (baseball)" the baseball bat, "Tank (fish)" the
        # fish tank, "Plant (potted)" the potted plant, no sense of the name alone
        return replace(c, match_name=compound, synset=None)
    qualifier = _qualifier(gloss)
    if qualifier == LOOK:
        # a colour, size or shape ("Dog (white)", "Pylon (large)") says nothing of the class, though WordNet's first
        # white is a person (which would pick the dog that is a frump): the name alone
        return replace(c, match_name=name, synset=None)
    if qualifier == DOING:
        # what the thing does or where it rides ("Kid (crawling)", "Kid (on a bobby car)") is said of a person, an
        # animal or a vehicle: the name alone where it reads as one ("Tiger (walking)": the cat, no person WordNet
        # lists first; "Bike (riding)" as a bike reads); else the name's first sense where it is one (the child, no
        # kid leather WordNet lists second); a later one never ("Marker pole (lying)" is no Pole)
        alone = replace(c, match_name=name, synset=None)
        read = matcher.decide(alone).synset
        if read is not None and takes_postures([wn_synset(read)]):
            return alone
        if takes_postures(senses[:1]) and not senses[0].instance_hypernyms():
            return replace(c, match_name=name, synset=senses[0].name())
    kinds = noun_synsets(_stem_key(gloss))
    # a gloss of several words WordNet lacks is read by its last noun ("Pen (animal enclosure)": an enclosure)
    # only where it is what a sense is a kind of; else as no noun ("Iron (for clothes)", "Headphones (over ear)")
    by_last = not kinds
    kinds = kinds or noun_synsets((re.findall(r"[^\W\d_]+", gloss.lower()) or [""])[-1])
    fitting = [s for s in senses if any(k in ancestors(s) for k in kinds)]
    if fitting and len(fitting) < len(senses):
        return replace(c, match_name=name, synset=fitting[0].name())
    if by_last:
        kinds = []
    if kinds and any(s in ancestors(kinds[0]) for s in senses):
        # the gloss is a kind of the name ("Tank (aquarium)"): the class is what the gloss names, read as before
        return c
    if kinds and kinds[0].lexname() == "noun.person":
        # a kind of person picks the name's first person sense ("Boxer (athlete)": the fighter, no dog)
        people = [s for s in senses if s.lexname() == "noun.person"]
        if people and len(people) < len(senses):
            return replace(c, match_name=name, synset=people[0].name())
    if kinds and kinds[0].lexname() in SAYS_NOTHING:
        # what the thing is made of or holds ("Cup (paper)", "Bottle (plastic)") says nothing of the class
        return replace(c, match_name=name, synset=None)
    if kinds and kinds[0].lexname() in THINGS and not any(k.lexname() == "noun.person" for k in kinds):
        own = [s for s in senses if s.lexname() == kinds[0].lexname()]
        if not own:
            return c
        if len(own) < len(senses):
            # the name's first sense of the gloss's kind of thing: "sidecar (vehicle)" the car, no cocktail
            return replace(c, match_name=name, synset=own[0].name())
    alone = replace(c, match_name=name, synset=None)
    if kinds and not any(k.lexname() in PHYSICAL_LEXNAMES for k in kinds) and matcher.decide(alone).synset != senses[0].name():
        # a gloss naming no thing (a place, a field, a use: "biscuit (united states)", WordNet's quick bread)
        # picks no sense: the name is read alone only where it keeps its first sense, as a numbered stem is
        return c
    return alone


def _attested(sense, word: str) -> bool:
    """WordNet counts a use of ``word`` in ``sense`` (its tagged frequency, which orders a word's senses): a first sense
    without one is first by no attested frequency (the sense order among untagged senses is arbitrary)."""
    return any(lemma.count() > 0 for lemma in sense.lemmas() if lemma.name().lower() == word)


def _others_kinds(classes: list[SourceClass], matcher: Matcher, stem: str) -> frozenset:
    """The kinds of thing (WordNet lexnames) most of a list's names other than ``stem``'s read as (a WordNet sense,
    mapped to a target or not), each numbered name by its stem (``stork1``: the stork, noun.animal); every kind that
    ties for most."""
    kinds = []
    for c in classes:
        found = numbered(c.match_name)
        name = found[0] if found else c.match_name
        if _stem_key(name) == stem:
            continue
        decision = matcher.decide(SourceClass(c.source, c.id, name, name))
        if decision.synset is not None:
            kinds.append(wn_synset(decision.synset).lexname())
    counts = Counter(kinds)
    return frozenset(k for k, n in counts.items() if n == max(counts.values()))


def _read_list_marks(c: SourceClass, matcher: Matcher, stems: frozenset, suffix: str | None, ids: bool = False, colours: frozenset = frozenset(), list_kind=lambda stem: frozenset()) -> SourceClass:
    """A class read without the marks its list adds to every name: a leading catalogue id (``shared_id_prefix``),
    an instance number (``numbered_stems``), a colour the thing shows (``colour_stems``) or a shared folder suffix
    (``shared_suffix``). ``list_kind``: a stem -> the kind of thing the list's other names are (``_others_kinds``)."""
    rest = without_id(c.match_name) if ids else None
    if rest is not None:
        c = replace(c, match_name=rest)
    coloured = _coloured(c.match_name) if colours else None
    if coloured is not None and coloured[0] in colours:
        return replace(c, match_name=coloured[0].replace("_", " "))
    found = numbered(c.match_name)
    if found and _stem_key(found[0]) in stems:
        stem = replace(c, match_name=found[0])
        # the stem is read only in its first WordNet sense: "Car" the car, "Pedestrian" the pedestrian,
        # "Traffic signal" the traffic light; "Type 1", "Sort 1" (a kind) are no person through a rare sense
        # of the stem, nor "Speaker 1" (first a person who speaks) a stereo speaker
        key = _stem_key(stem.match_name)
        senses = noun_synsets(key)
        if not senses:  # a stem WordNet lacks whole has no first sense to hold it to (SemanticPOSS's "traffic sign 1"
            return stem  # .. "traffic sign 3": the number was read as the head, one.n.01); the stem is read as written
        chosen = matcher.decide(stem).synset
        # or another sense of the first one's kind of thing (CORe50's marker1: the felt-tip pen, an artifact
        # as WordNet's first marker is), never one of another kind (Speaker 1: a person, no loudspeaker)
        # a first sense WordNet attests no use of (the 18th-century dandy of "macaroni1", before the pasta; both
        # untagged) comes first by no frequency: the stem is read as its list reads it alone, where that reading is
        # of the kind of thing most of the list's other names are (macaroni the pasta beside cashew and chewing gum;
        # no crane the machine among herons and storks, no jackfruit among wrenches and hammers)
        kept = chosen and chosen in {s.name() for s in senses} and (wn_synset(chosen).lexname() == senses[0].lexname() or (not _attested(senses[0], key) and wn_synset(chosen).lexname() in list_kind(key)))
        return stem if kept else c
    rest = _without_suffix(c.match_name, suffix, matcher)
    if rest is not None:
        return replace(c, match_name=rest)
    return c


def map_classes(classes: list[SourceClass], targets: Targets, *, overrides: dict[str, str] | None = None) -> list[Decision]:
    """The automatic decision for each class (see the module docstring), in order. ``overrides``:
    class name -> target name or ``"drop"``, decided by the caller (method ``manual``)."""
    # a lower-case binomial is a species only in a list of them (names from 3 genera or more), which a
    # list of laptops (acer nitro, acer aspire) or of cars (lotus elise, lotus evora) is not
    names = [c.match_name for c in classes]
    matcher = Matcher(targets, binomials=binomial_list(names))
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - {c.name for c in classes})
    if unknown:
        raise ValueError(f"overrides name classes that are not in the list: {', '.join(map(repr, unknown))}")
    slash = slash_paths(names)
    colon = head_first(names)
    vehicles = _listed_vehicles(names, matcher)
    bodies = body_style_list(names)  # a lone body style is read as its vehicle only in a list of them
    signs = road_sign_list(names)  # a sign named by what it says is a sign only in a list of them
    abbreviated = driving_abbreviations(names)  # an agent's abbreviation is read out only in a list of them
    ids = shared_id_prefix(names)
    kinds = kind_prefixes(names)
    camel_heads = lower_camel_heads(names)
    copies, trades = joined_copies(names), trade_list(names)
    firsts = separated_copies(names)
    # a list's catalogue ids are no part of its names, for the other list marks as for matching
    unmarked = [(without_id(c.match_name) if ids else None) or c.match_name for c in classes]
    stems, suffix, colours = numbered_stems(unmarked), shared_suffix(unmarked), colour_stems(unmarked)
    shipped = label_space_fingerprint(targets) == shipped_fingerprint()
    known = shipped_names() if shipped else {}  # the shipped tables' decisions by name; none for another label space
    kinds_by_stem = {}

    def list_kind(stem: str) -> frozenset:
        if stem not in kinds_by_stem:
            kinds_by_stem[stem] = _others_kinds(classes, matcher, stem)
        return kinds_by_stem[stem]

    # the list's conventions, the same for every name (``read_naming``)
    naming = dict(slash=slash, colon_head_first=colon, vehicles=vehicles, kinds=kinds, known=known, camel_heads=camel_heads, copies=copies, trades=trades, firsts=firsts)
    decisions = []
    sensed = set()  # classes whose gloss picked the name's sense: a shipped decision for the bare name is no other's
    for i, c in enumerate(classes):
        if c.match_name in signs and c.synset is None and not _a_thing_besides_a_sign(c, matcher):
            decisions.append(matcher.decide(replace(c, match_name=signs[c.match_name])))
            continue
        if c.match_name in abbreviated:
            c = replace(c, match_name=abbreviated[c.match_name])
        glossed = _glossed(c, matcher)
        if glossed.synset is not None and c.synset is None:
            sensed.add(i)
        read = _read_list_marks(glossed, matcher, stems, suffix, ids, colours, list_kind)
        if read is not c and numbered(c.match_name):
            # a numbered name that maps as written keeps that target: "Formula 1" is a race car (the
            # shipped tables', ``_as_shipped``), no formula
            if known.get(_name_key(c.match_name), ("",))[0]:
                read = c
            else:
                whole = matcher.decide(read_naming(c, matcher, **naming, bodies=c.match_name in bodies))
                # a name read as written only by the fuzzy lookup is its stem spelt a digit off ("macaroni1": the
                # stem in its first sense), no reading of the name as written
                if whole.target is not None and getattr(whole.resolution, "how", None) != "fuzzy":
                    decisions.append(whole)
                    continue
        decisions.append(matcher.decide(read_naming(read, matcher, **naming, bodies=c.match_name in bodies)))
    _category_item_brand(decisions, matcher, names)
    _joined_classes(decisions, matcher)
    _product_names(decisions, matcher, brands=_brand_led(unmarked))
    _head_named_targets(decisions, matcher)
    _kinds_before_their_kind(decisions, matcher)
    _head_sense_of_the_modifiers_kind(decisions, matcher)
    _dishes_of_a_food_target(decisions, matcher)
    _rolls_of_things(decisions, matcher)
    _groups_of_things(decisions, targets)
    _substances_in_a_form(decisions, matcher)
    if shipped:
        _as_shipped(decisions, targets, sensed)
    _animal_senses_without_animals(decisions, matcher)
    _list_kind(decisions, targets, matcher)
    _list_kinds_sense(decisions, matcher)
    _list_kinds_head_sense(decisions, matcher)
    _list_senses(decisions, matcher)
    _organisms_of_their_list(decisions, matcher)
    _own_senses_in_a_food_list(decisions, matcher)
    _clipped_names(decisions, matcher)
    _animals_of_their_list(decisions, targets)
    _vessel_classes(decisions, targets)
    _garments_of_their_list(decisions, targets, matcher)
    _list_context(decisions, targets, binomials=matcher.binomials)
    _scientific_names_of_their_list(decisions, targets)
    _people_by_sex_and_age(decisions, targets)
    _absent_things(decisions, signs)
    for i, c in enumerate(classes):
        if c.name in overrides:
            decisions[i] = apply_override(decisions[i], Override(c.source, c.name, overrides[c.name], "given by the caller"), targets)
    return decisions


#: Words that name people by their sex or age (SynLiDAR's ``female``, ``male``, ``kid``): read as people only where a
#: list names PEOPLE_WORDS_MIN_NAMES of them, splitting its people so; alone, a ``kid`` in a list of animals is the
#: young goat and a ``female`` any female animal.
PEOPLE_WORDS = frozenset({"male", "female", "man", "woman", "men", "women", "kid", "kids", "child", "children", "adult", "adults", "boy", "boys", "girl", "girls"})
PEOPLE_WORDS_MIN_NAMES = 2
#: Of PEOPLE_WORDS, those that also name animals (a male or female of any kind, a kid goat): a person only in a list
#: with another name of a person (an unambiguously human word, SynLiDAR's ``bicyclist``) and without an animal.
ANIMAL_OR_PERSON_WORDS = frozenset({"male", "female", "kid", "kids"})


def _people_by_sex_and_age(decisions: list[Decision], targets: Targets) -> None:
    """A list that splits its people by sex or age (two or more names of PEOPLE_WORDS: SynLiDAR's ``female``, ``male``,
    ``kid`` beside its ``bicyclist`` and ``motorcyclist``) names people with them: each such name with no target or
    the person target is a person (a decision with another target keeps it). A word of ANIMAL_OR_PERSON_WORDS is a
    person only where another name of the list is a person (its sense a kind of person.n.01: ``man``, ``adult``,
    ``bicyclist``) and no name's target is an animal (a list of goats and their kids, of mallard males and females);
    ``male`` and ``female`` alone, or a male and a female connector, show no people."""
    person = targets.by_name.get("person")
    words = [_first_reading(d.source.match_name) for d in decisions]
    found = [i for i, w in enumerate(words) if w in PEOPLE_WORDS]
    if person is None or len(found) < PEOPLE_WORDS_MIN_NAMES:
        return
    others = [(w, d) for w, d in zip(words, decisions) if w and w not in ANIMAL_OR_PERSON_WORDS]
    humans = any(w in PEOPLE_WORDS or (d.synset is not None and is_kind_of(wn_synset(d.synset), person.synset)) for w, d in others)
    animals = any(d.target is not None and _lexname(targets.by_name[d.target].synset) == "noun.animal" for i, d in enumerate(decisions) if i not in found)
    for i in found:
        if decisions[i].target not in (None, person.name):
            continue
        if words[i] in ANIMAL_OR_PERSON_WORDS and (animals or not humans):
            continue
        if decisions[i].target != person.name:
            decisions[i] = _retarget(decisions[i], person, 0.9, person.synset, "a list naming its people by sex or age: a person")


def _absent_things(decisions: list[Decision], signs: dict[str, str]) -> None:
    """A name led by a word of absence (``ABSENCE_WORDS``: Construction-PPE's ``no_helmet``, ``no_gloves``, boxed on
    the bare head or hands) is a class of the thing's absence, which names no object: no target. Not for a name read
    as a sign of a list of them (``road_sign_list``: GTSRB's ``No entry`` and ``No passing``), nor for a name WordNet knows whole
    (the ``missing link``), nor where a thing follows the absent one (``without_lid cup`` is a cup: ``_absent_thing_last``);
    an absence after the thing leaves the thing (``names.without_absent_part``)."""
    for i, d in enumerate(decisions):
        words = _words(d.source.match_name.lower())
        if d.target is None or d.source.match_name in signs or len(words) < 2 or words[0] not in ABSENCE_WORDS or a_wordnet_noun(words) or not _absent_thing_last(words[1:]):
            continue
        note = f"{d.source.match_name!r} names the absence of a thing, no object: no target"
        decisions[i] = Decision(d.source, None, None, "none", 0.0, d.synset, d.options, note, d.resolution)


def _absent_thing_last(words: list[str]) -> bool:
    """The words after a leading absence word name one thing, ending the name: a single word, a WordNet noun
    (``hard hat``), or words whose last alone names a physical thing after words that name none (``safety vest``); not
    a thing followed by another (``without_lid cup``: lid, then the cup that lacks it)."""
    if len(words) == 1 or a_wordnet_noun(words):
        return True
    return not (_names_thing(noun_synsets(words[-1])[:1]) and _names_thing(noun_synsets("_".join(words[:-1]))[:1]))


def _name_key(name: str) -> str:
    return " ".join(alternatives(name))


#: How a list joins two of its classes in one name (ModaNet's ``scarf & tie``); ``alternatives`` reads it as "and".
#: A name's own "and" is part of what it names (V3Det's dog breed ``bull and terrier``, Food-101's ``fish_and_chips``,
#: CUB's ``Black_and_white_Warbler``, Open Images' ``Moths and butterflies``).
CLASS_JOINER = "&"
#: The word that joins two classes in one name as the list's alternatives, wherever it stands between the name's words
#: (Trans10K-v2's ``Jar or Tank``, a ``jar_or_tank``): the class holds things of either name.
CLASS_OR = "or"


def _joiner_word(name: str, words: list[str]) -> str | None:
    """The word of the one class joiner a name holds: "and" for one ``CLASS_JOINER`` anywhere in it, "or" for one
    ``CLASS_OR`` among its middle words (``words``, the name read as words), else None (none, or more than one)."""
    found = ["and"] * name.count(CLASS_JOINER) + [CLASS_OR] * words[1:-1].count(CLASS_OR)
    return found[0] if len(found) == 1 else None


def _two_classes(c: SourceClass, matcher: Matcher) -> tuple[str, str, str] | None:
    """(first noun, joiner word, second noun) of a name that joins two classes, "A & B" or "A or B" (``_joiner_word``:
    ModaNet's ``scarf & tie``, Trans10K-v2's ``Jar or Tank``), or None: one noun on each side, each naming a thing
    (``Matcher.names_thing``), in a name neither WordNet nor a target knows whole. A side of several words may share
    its head with the other (V3Det's ``baby & toddler shoe`` is a shoe, Open Images' ``Kitchen & dining room table`` a
    table, ABO's ``plant or flower pot`` a flowerpot): such names are read as before."""
    alts = alternatives(c.match_name)
    words = alts[0].split("_") if len(alts) == 1 else []
    joiner = _joiner_word(c.match_name, words) if words else None
    if joiner is None or len(words) != 3 or words[1] != joiner or noun_synsets(alts[0]) or alts[0] in matcher.by_lemma:
        return None
    return (words[0], joiner, words[2]) if all(matcher.names_thing(side) for side in (words[0], words[2])) else None


def _a_sense_under(word: str, synset: str) -> bool:
    """Some noun sense of the word is the synset or a kind of it (a crane, crane.n.05, is a bird; a ram a sheep)."""
    return any(is_kind_of(s, synset) for s in noun_synsets(word))


def _joined_classes(decisions: list[Decision], matcher: Matcher) -> None:
    """A class whose name joins two classes (``_two_classes``) is what both are: the target each side maps to alone
    when that is one, else nothing (a mixed class is broader than either target). ModaNet's ``scarf & tie`` was a
    necktie by its last noun, though it holds scarves as much: scarf and necktie, no target; a ``sedan & coupe``
    class is cars (one target); Trans10K-v2's ``Jar or Tank`` (glass jars and fish tanks) was the army tank: jar and
    tank, no target. Each side is read alone, out of the list, so its first sense may be another thing than the
    whole name's: "A or B" keeps the whole name's target where each side has a noun sense under that target's synset
    (``_a_sense_under``: in a list of birds ``Crane or Heron`` and ``Kite or Hawk`` are birds, ``Ram or Sheep`` is a
    sheep), while ``Cat or Dog`` (a cat is no dog) stays two classes. The note names both sides' targets."""
    heads = Counter(_last_word(d.source.match_name) for d in decisions)
    firsts = Counter(_first_reading(d.source.match_name).split("_")[0] for d in decisions)
    for i, d in enumerate(decisions):
        found_sides = _two_classes(d.source, matcher) or _hyphened_kinds(d.source, matcher, heads)
        if found_sides is None:
            continue
        first, joiner, second = found_sides
        sides = (first, second)
        whole = matcher.targets.by_name[d.target].synset if d.target is not None else None
        if joiner == CLASS_OR and whole and all(_a_sense_under(side, whole) for side in sides):
            continue
        read = [matcher.decide(replace(d.source, match_name=side)) for side in sides]
        found = [r.target for r in read]
        if joiner == HYPHEN and not _hyphened_classes(first, read, matcher.targets, firsts):
            continue
        target = found[0] if found[0] == found[1] else _covering_target(found, matcher.targets)
        if target == d.target:
            decisions[i] = replace(d, joined=joiner == HYPHEN or d.joined)
            continue
        note = f"two classes in one: {sides[0]} ({found[0] or 'none'}) and {sides[1]} ({found[1] or 'none'})"
        if target is None:
            decisions[i] = Decision(d.source, None, None, "none", 0.0, d.synset, d.options, note, d.resolution, joined=True)
        else:
            decisions[i] = replace(_retarget(d, matcher.targets.by_name[target], 0.9, d.synset, note), joined=True)


#: How many hypernym steps from each side's sense their lowest common hypernym may lie for a hyphened name to read as
#: two classes (``_near_kin``), a side's own kinds one step below it counted too. The bench lists' two such names sit
#: at 1: Food-11's noodle under pasta, its vegetable and fruit's edible fruit under produce; so do boat and ship
#: (vessel) and a cat and a dog (the domestic cat and the dog, domestic animals). Two steps would let a modifier and its
#: head in: a desk and a lamp (lamp.n.02) meet at furniture, two steps from the desk.
KIN_STEPS = 1


def _hyphened_classes(first: str, read: list[Decision], targets: Targets, firsts: Counter) -> bool:
    """Whether a hyphened name's two sides, each read alone (``read``), are two classes rather than a category before
    its item or a modifier before its head: each maps to a target; the first word begins no other name of its list (a
    first word that begins two or more names is a category prefix: ``Fruit-Apple``, ``Fruit-Banana``); the second is
    no kind of the first (``Bird-Owl``, ``Car-Taxi``: the item keeps its target); a singular first is no kind of the
    second (``Sparrow-Bird``, ``Goldfish-Fish``: a kind named before its kind); and the two are near kin
    (``_near_kin``): no part and its whole (``Mug-Handle``, ``Bike-Wheel``), no modifier before its head (``Desk-Lamp``,
    ``Tanker-Truck``, ``Baby-Bottle``)."""
    if None in (r.target for r in read) or firsts[first] > 1 or None in (r.synset for r in read):
        return False
    if read[0].target == read[1].target:
        return True  # both sides map to one target (``Boat-Ship``: boat), what the class is
    one, two = (wn_synset(r.synset) for r in read)
    kinds = [targets.by_name[r.target].synset for r in read]
    if is_kind_of(two, kinds[0], one.name()):
        return False
    if (wordnet().morphy(first, "n") or first) == first and is_kind_of(one, kinds[1], two.name()):
        return False
    return _near_kin(one, two)


def _near_kin(one, two) -> bool:
    """Two senses whose lowest common hypernym lies within KIN_STEPS of each, either side or one of its direct kinds
    (fruit.n.01's edible fruit beside vegetable.n.01 under produce): two classes a list may join in one. A part and its
    whole meet far above (a mug and its handle at object.n.01, seven steps from the mug; a bicycle and a wheel at
    instrumentality, five)."""
    for a in [one, *one.hyponyms()]:
        for b in [two, *two.hyponyms()]:
            up_a, up_b = ancestors(a), ancestors(b)
            if any(max(up_a[x], up_b[x]) <= KIN_STEPS for x in up_a if x in up_b):
                return True
    return False


#: The joiner ``_hyphened_kinds`` reads between two words of a name: Food-11's ``Noodles-Pasta``.
HYPHEN = "-"

#: A name of two words joined by one hyphen, letters only (``Vegetable-Fruit``; no ``B-52``, no ``Brown-Cap-Mushroom``).
HYPHENED_PAIR = re.compile(r"([A-Za-z]{2,})-([A-Za-z]{2,})")


def _first_reading(name: str) -> str:
    """A name's first reading (``names.alternatives``: lower case, words joined by ``_``), or "" for a name of none."""
    alts = alternatives(name)
    return alts[0] if alts else ""


def _last_word(name: str) -> str:
    """The last word of a name's first reading (``Vine-Tomato``: tomato), lower case."""
    return _first_reading(name).split("_")[-1]


def _hyphened_kinds(c: SourceClass, matcher: Matcher, heads: Counter) -> tuple[str, str, str] | None:
    """(first word, HYPHEN, second word) of a name of two kinds joined by a hyphen (Food-11's ``Noodles-Pasta`` and
    ``Vegetable-Fruit``: noodles and pasta, vegetables and fruit), or None. A hyphen also joins a modifier to its head
    (``T-shirt``, ``ice-cream``, ``hot-dog``, ``Beef-Tomato``, VisDrone's ``awning-tricycle``), so only: two words of
    letters (``HYPHENED_PAIR``), each naming a thing (``Matcher.names_thing``), in a name WordNet does not know whole
    (hyphened, spaced or written as one: WordNet's ``t-shirt``, ``ice_cream`` and ``hotdog`` stay whole) nor a target,
    whose last word ends no other name of its list (``heads``: the Grocery Store dataset's ``Beef-Tomato`` beside its
    ``Vine-Tomato`` and VisDrone's ``awning-tricycle`` beside ``tricycle`` are kinds of the head). ``_joined_classes``
    reads the name only where ``_hyphened_classes`` finds its two sides two classes."""
    found = HYPHENED_PAIR.fullmatch(c.match_name.strip())
    if found is None:
        return None
    first, second = found.group(1).lower(), found.group(2).lower()
    if any(noun_synsets(whole) or whole in matcher.by_lemma for whole in (f"{first}_{second}", f"{first}-{second}", first + second)):
        return None
    if heads[_last_word(second)] > 1 or not all(matcher.names_thing(side) and not _mainly_adjective(side) for side in (first, second)):
        return None
    return first, HYPHEN, second


def _mainly_adjective(word: str) -> bool:
    """WordNet's tagged texts use the word more often as an adjective than as a noun (``electric``: 16 to 0, its noun
    an electric car): before a hyphen it says what the next word's thing is like, no kind of its own."""
    counts = Counter()
    for sense in wordnet().synsets(word):
        pos = "a" if sense.pos() == "s" else sense.pos()
        counts[pos] += _lemma_count(wordnet().morphy(word, sense.pos()) or word, sense)
    return counts["a"] > counts["n"]


def _covering_target(found: list[str | None], targets: Targets) -> str | None:
    """The one of two sides' targets whose synset the other's is a kind of, the nearest target covering both
    (``Noodles-Pasta``: WordNet files noodle under pasta, so pasta), else None (a mixed class is broader than either
    target)."""
    if None in found:
        return None
    first, second = (targets.by_name[name].synset for name in found)
    if first and second and is_kind_of(wn_synset(second), first):
        return found[0]
    if first and second and is_kind_of(wn_synset(first), second):
        return found[1]
    return None


def _retarget(d: Decision, t: Target, score: float, synset: str | None, note: str) -> Decision:
    """``d`` with its target set to ``t`` by a rule that reads its name again: a hypernym option for ``t`` put first,
    at ``score``, with the rule's note and the sense it read (``synset``)."""
    option = Option(t.name, t.id, "hypernym", score, note)
    return Decision(d.source, t.name, t.id, "hypernym", score, synset, [option, *d.options], note, d.resolution)


#: The shortest part on either side of a one-word target name a clipped name reads ("motor" and "cycle" of "motorcycle").
MIN_CLIPPED_PART = 3


@lru_cache(maxsize=4)
def _targets_by_first_part(targets: Targets) -> dict[str, tuple[Target, ...]]:
    """The first parts of the targets' one-word names (a target's name, a synonym or a WordNet lemma of its synset,
    written without a separator) whose rest is a WordNet noun of MIN_CLIPPED_PART letters or more -> the targets:
    "motor" -> motorcycle (motor + cycle). Built once per label space."""
    index: dict[str, list[Target]] = {}
    extra = target_synonyms()
    for t in targets:
        node = wn_synset(t.synset) if t.synset else None
        names = {t.name, *t.synonyms, *extra.get(t.name, ()), *(node.lemma_names() if node is not None else ())}
        for word in {n.lower() for n in names if n.isalpha()}:
            for i in range(MIN_CLIPPED_PART, len(word) - MIN_CLIPPED_PART + 1):
                if noun_synsets(word[i:]) and t not in index.setdefault(word[:i], []):
                    index[word[:i]].append(t)
    return {part: tuple(found) for part, found in index.items()}


#: A list is made of one kind of thing (``_list_one_kind``) when this share of its classes mapped to targets other
#: than people, at least ONE_KIND_MIN_CLASSES of them, are of one WordNet synset at ONE_KIND_MIN_DEPTH or deeper
#: (WordNet's wheeled vehicle is at depth 7; its sports equipment, vehicle, clothing and edible fruit are broader
#: kinds, whose lists would read a sports list's ``base`` and ``foot`` as baseball and football).
ONE_KIND_SHARE = 0.75
ONE_KIND_MIN_CLASSES = 3
ONE_KIND_MIN_DEPTH = 7


def _list_one_kind(decisions: list[Decision], targets: Targets):
    """The kind of thing a list is made of, where it is one: the most specific WordNet synset (no top noun, at
    ONE_KIND_MIN_DEPTH or deeper) that is the target's synset, or an ancestor of it, of ONE_KIND_SHARE or more of the
    list's classes mapped to targets other than people (nearly every list has a person class), at least
    ONE_KIND_MIN_CLASSES of them: VisDrone's bicycle, car, van, truck, tricycle are wheeled vehicles. None for a list of
    many kinds (PASCAL-Context's cars beside its snow, sky, flower) or of a broad kind (cars and airplanes: vehicles)."""
    person = targets.by_name.get("person")
    nodes = [wn_synset(targets.by_name[d.target].synset or "") for d in decisions if d.target and targets.by_name[d.target] is not person]
    nodes = [n for n in nodes if n is not None]
    if len(nodes) < ONE_KIND_MIN_CLASSES:
        return None
    held = Counter(a for n in nodes for a in ancestors(n) if a.lexname() != "noun.Tops")
    kinds = [a for a, count in held.items() if count >= ONE_KIND_SHARE * len(nodes)]
    kind = max(kinds, key=lambda a: (a.max_depth(), a.name())) if kinds else None
    return kind if kind is not None and kind.min_depth() >= ONE_KIND_MIN_DEPTH else None


def _clipped_names(decisions: list[Decision], matcher: Matcher) -> None:
    """A one-word name that maps to nothing, in a list made of one kind of thing (``_list_one_kind``: VisDrone's
    and View-of-Delft's wheeled vehicles) its own sense is no kind of, and that is the first part of one target's
    one-word name of that kind (a target's name, a synonym or a WordNet lemma), the rest left out as English clips a
    compound: their ``motor`` (Dutch writes a motorcycle so) is the motorcycle, as WordNet's motor, an engine, is no
    vehicle. Targets the list already has as classes are no reading of it (WordNet's motorcar and motortruck clip to
    "motor" too, beside the list's car and truck); only where exactly one is left. Elsewhere the word keeps its sense:
    PASCAL-Context's ``snow`` beside its cars (a list of many kinds) is no snowplow, a ``hand`` no handcart. LVIS's
    ``motor`` (the engine) is a reviewed "no target", read again only in such a list, as ``_list_senses`` reads LVIS's
    wagon among cars. Classes with parents and decisions an earlier rule made (a note) keep theirs."""
    kind = _list_one_kind(decisions, matcher.targets)
    if kind is None:
        return
    by_part = _targets_by_first_part(matcher.targets)
    listed = {d.target for d in decisions if d.target}
    for i, d in enumerate(decisions):
        word = d.source.match_name.strip().lower()
        if d.target is not None or d.source.parents or d.by_a_rule or not word.isalpha() or (d.synset and kind in ancestors(wn_synset(d.synset))):
            continue
        first = noun_synsets(word)[:1]
        if first and first[0].lexname() != kind.lexname():
            continue  # the word names a thing of another sort first (foot, a body part; air, water, sun): no clip
        found = [t for t in by_part.get(word, ()) if t.name not in listed and t.synset and kind in ancestors(wn_synset(t.synset))]
        if len(found) != 1:
            continue
        t = found[0]
        decisions[i] = _retarget(d, t, 0.5, t.synset, f"{word!r} is the first part of {t.name}, clipped, in a list of {kind.name()}")


#: A count a retail list writes after a product's name: a pack of four (``4pk``, ``6pack``, ``12ct``), one loose piece
#: (``single``). No part of what the thing is. (A ``bundle`` is no pack count: it stays a word of the name.)
PACK_COUNT = re.compile(r"^(?:\d+(?:pk|pack|ct|pcs?)|single)$", re.IGNORECASE)


def _without_pack_count(words: list[str]) -> list[str]:
    """The words of a product's name without a pack or count word at its end (``PACK_COUNT``):
    ``colgate_toothbrush_4pk`` is toothbrushes, D2S's ``orange_single`` an orange."""
    return words[:-1] if len(words) > 1 and PACK_COUNT.match(words[-1]) else words


#: The share of a list's names that must begin with an unknown word for those words to be brands (``_brand_led``).
BRAND_SHARE = 0.1


def _brand_word(word: str) -> bool:
    """A word a product's name may begin with as its brand: letters WordNet does not know at all."""
    return word.isalpha() and not wordnet().synsets(word.lower())


def _brand_led(names: list[str]) -> bool:
    """Whether a list leads its names with brand words: LIST_MARK_MIN names or more, and BRAND_SHARE of the list, of
    two words or more begin with a word WordNet does not know at all (``_brand_word``: ARC 2017's ``avery_binder``,
    ``colgate_toothbrush_4pk``, ``fiskars_scissors``, ``hanes_socks``, 5 of its 40). A few such names in a long list
    are no convention (Caltech-256's ``pci-card``, ObjectNet's ``Ziploc bag``: 3 of 256, 5 of 313)."""
    led = sum(1 for words in map(_words, names) if len(words) > 1 and _brand_word(words[0]))
    return led >= LIST_MARK_MIN and led >= BRAND_SHARE * len(names)


def _without_brand(words: list[str]) -> list[str]:
    """The words of a product's name without its leading brand, a first word WordNet does not know at all before a
    name it does (``avery_binder``: a binder; an Avery is no English word), else the words as they are. A name WordNet
    knows whole keeps its first word (``kei_apple``, a shrub, is no apple)."""
    rest = "_".join(words[1:]).lower()
    if len(words) > 1 and _brand_word(words[0]) and not _known_whole(" ".join(words)) and noun_synsets(rest):
        return words[1:]
    return words


PERSON = "person.n.01"
#: Bare container words a brand may lead (``doritos_bag``, ``cheerios_box``): the product is what is in them, and a
#: sense WordNet's reading chose for the word alone (bag.n.04, a handbag) is no sense the label meant.
CONTAINER_WORDS = frozenset({"bag", "case", "box", "pack"})
#: The score of a product's name read without a brand word WordNet lacks (``_product_names``): that the word is a
#: brand, not a kind or a breed, is inferred from the list, as the list-context readings infer a name's kind (0.5), a
#: guess below the 0.8 to 1.0 of readings of every word of a name.
BRAND_DROPPED_SCORE = 0.6


def _organism_sense(name: str | None):
    """The WordNet synset ``name`` when it is an animal or a plant (its lexicographer file, ORGANISM_LEXNAMES), else
    None."""
    node = wn_synset(name) if name else None
    return node if node is not None and node.lexname() in ORGANISM_LEXNAMES else None


def _person_or_of(t: Target, lexnames: frozenset) -> bool:
    """The target is the person (person.n.01, a top noun) or its synset is of one of ``lexnames``."""
    return t.synset == PERSON or _lexname(t.synset) in lexnames


#: Targets a word WordNet lacks before them makes a breed, a species or a people of, no brand's product (``_living``).
LIVING_LEXNAMES = ORGANISM_LEXNAMES | {"noun.person"}
#: Targets a group word before "of" makes a crowd or a herd of (``_groups_of_things``).
BEING_LEXNAMES = frozenset({"noun.person", "noun.animal"})


def _living(t: Target) -> bool:
    """A target that is an animal, a plant or a person (its synset's lexicographer file)."""
    return _person_or_of(t, LIVING_LEXNAMES)


def _chosen_container(rest: list[str], read: Decision) -> bool:
    """A rest that is a bare container word (CONTAINER_WORDS) read in another sense than its first WordNet noun sense
    (``bag``: bag.n.04, a handbag, where bag.n.01 is a container)."""
    if len(rest) != 1 or rest[0].lower() not in CONTAINER_WORDS:
        return False
    first = noun_synsets(rest[0].lower())[:1]
    return not first or read.synset != first[0].name()


def _product_names(decisions: list[Decision], matcher: Matcher, *, brands: bool) -> None:
    """A retail product's name that maps to nothing read without what a shop's label adds to it: a pack or count word
    at its end (``_without_pack_count``) and, in a list that leads its names with brand words (``_brand_led``), a
    leading brand WordNet does not know (``_without_brand``): ARC 2017's ``avery_binder`` is the binder (read as a
    head noun after an unknown word it would take WordNet's first binder, no target) and ``colgate_toothbrush_4pk``
    the toothbrush; D2S's ``orange_single`` the orange. What is left is decided as a whole name is; only a target it
    maps to is taken, and no animal, plant or person (``_living``): a word WordNet lacks before one is a breed, a
    species' genus or a people (V3Det's ``chroogomphus rutilus``, a mushroom, is no Rutilus fish), no brand. Where a
    brand was left out, the rest must name its target itself, not through a hypernym nor through a sense chosen for a
    bare container word (``_chosen_container``: ``doritos_bag``, ``ziploc_bag`` are no handbags), and the decision
    scores BRAND_DROPPED_SCORE at most. Classes with parents and decisions an earlier rule made (a note) keep theirs."""
    for i, d in enumerate(decisions):
        if d.target is not None or d.by_a_rule or d.source.parents:
            continue
        words = _words(d.source.match_name)
        counted = _without_pack_count(words)
        rest = _without_brand(counted) if brands else counted
        if rest == words:
            continue
        read = matcher.decide(replace(d.source, match_name=" ".join(rest)))
        t = matcher.targets.by_name[read.target] if read.target is not None else None
        branded = rest != counted
        if branded and (read.method == "hypernym" or _chosen_container(rest, read)):
            continue
        if t is not None and not _living(t):
            score = min(read.score, BRAND_DROPPED_SCORE) if branded else read.score
            decisions[i] = _retarget(d, t, score, read.synset, f"{' '.join(rest)!r}, the product's name without the brand or pack words of its label, is {read.target}")


#: The score of a name read through its head noun as the target that noun names (``_head_named_targets``): one step
#: below the head, as a hypernym option one step up scores.
HEAD_NAMED_SCORE = 0.9
#: The most steps apart in WordNet's graph two senses of one word may be to be one thing WordNet splits
#: (``_head_named_targets``): the vessel and the dish bowl, the bound book and the work, the disguise and the protective
#: mask are 4, 4 and 3; a ball hit in games and a plaything are 6, a hoop and a ring (jewelry) 7, a truck's cab and a
#: taxi 12, home plate and a dinner plate 11.
SPLIT_SENSE_DISTANCE = 4


def _head_word(d: Decision) -> tuple[str, str] | None:
    """(the name's words before its head noun, the head noun in the singular) for a decision whose sense was read from
    its head noun (a name WordNet lacks whole, ``how == "head"``), else None."""
    r = d.resolution
    if r is None or r.how != "head" or d.synset is None:
        return None
    read = next((c for c in r.candidates if c.synset == d.synset), None)
    word = head_noun(read.alternative) if read is not None else None
    if not word or not read.alternative.endswith(word):
        return None
    return read.alternative[: -len(word)].strip("_"), wordnet().morphy(word, "n") or word


def _phrase_after_a_noun(name: str) -> bool:
    """A name with a free preposition between its words (``names.PREPOSITIONS``: ``salmon on plate``, a dish)."""
    words = [w for alt in alternatives(name)[:1] for w in alt.split("_")]
    return any(w in PREPOSITIONS for w in words[1:-1])


def _first_physical_sense(word: str):
    """A word's first WordNet noun sense that is a physical thing (PHYSICAL_LEXNAMES), else None."""
    return next((s for s in noun_synsets(word) if s.lexname() in PHYSICAL_LEXNAMES), None)


def _a_food_word(word: str) -> bool:
    """A word first a food, or with a food sense WordNet counts in its corpus (beef, counted 3 times as the meat, is
    first the cattle; a dog's frankfurter is counted never)."""
    senses = noun_synsets(word)
    return bool(senses) and (senses[0].lexname() == "noun.food" or any(s.lexname() == "noun.food" and _lemma_count(word, s) > 0 for s in senses))


def _split_sense(read, named, modifiers: str) -> bool:
    """The head noun's first physical sense (``read``), which maps to nothing, and the sense its target holds
    (``named``) are one thing WordNet splits: of one kind of thing (lexicographer file) and at most
    SPLIT_SENSE_DISTANCE steps apart, after no food's word (``_a_food_word``: UEC's ``beef bowl``, a ``tempura bowl``
    are dishes; a ``dog bowl`` is a bowl). A work and its bound pages are not read so: book.n.02 is WordNet's notebook
    too (ARC 2017's ``composition_book``, judged no book, as the shipped tables leave LVIS notebook unmapped)."""
    if read.lexname() != named.lexname() or any(_a_food_word(w) for w in modifiers.split("_") if w):
        return False
    distance = read.shortest_path_distance(named)
    return distance is not None and distance <= SPLIT_SENSE_DISTANCE


def _head_named_targets(decisions: list[Decision], matcher: Matcher) -> None:
    """A name read through its head noun in that noun's first physical sense, where the noun is a target's own name
    and that target holds another sense of it, is that target. The reading takes the word's first physical sense, and
    either another target's synset merely lists the word (APC 2016's ``womens_knit_gloves``, held-out 27's ``oven
    glove``: WordNet's first glove is the baseball glove, whose target is named otherwise; the glove target is
    glove.n.02; not a word a target takes only as a synonym: WordNet's first bike is the motorcycle, and V3Det's ``rat
    bike`` is one, though the reviewed ``bike`` is the bicycle) or
    the sense maps to nothing and is one thing WordNet splits from the target's (``_split_sense``: APC's
    ``platinum_pets_dog_bowl`` took the vessel bowl.n.01, where the bowl target is bowl.n.03, a dish; a
    ``welding-mask`` the disguise; APC's ``i_am_a_bunny_book``, book.n.02, the bound pages, is left: its notebooks
    are no book). The target's sense must be of the read sense's kind of thing (``_compatible``): a ``toy mouse`` or
    a ``wireless mouse``, read as the animal, is no computer mouse, and ``fried chicken`` (a meat, ``_meat_of``) no
    chicken. Senses farther apart are other things (a ``Fitness Ring`` is no jewelry ring, a ``TRUCK_CAB`` no taxi, a
    ``weight plate`` no dinner plate; so Omni6D's ``vine_ball`` is left: WordNet's game ball and plaything ball are
    6 steps apart). A name with a prepositional phrase (``salmon on plate``, a dish), classes with parents and
    decisions an earlier rule made (a note) keep theirs. A name WordNet knows whole (a ``dust bowl``, a ``world cup``)
    is not read through its head noun and never reaches this rule; one it lacks that names no thing (a ``super
    bowl``, the game) is read as the bowl, as a ``big bowl`` or a ``rose bowl`` is."""
    for i, d in enumerate(decisions):
        found = _head_word(d) if not (d.by_a_rule or d.source.parents) else None
        if found is None:
            continue
        modifiers, word = found
        named = matcher.named.get(word)
        t = matcher.targets.by_synset.get(named) if named else None
        first = _first_physical_sense(word) if t is not None else None
        if first is None or t not in matcher.by_head.get(word, ()) or d.synset != first.name() or t.name == d.target or _phrase_after_a_noun(d.source.match_name):
            continue
        if not _compatible(first, wn_synset(named)) or _meat_of(first, wn_synset(named)):
            continue
        if d.target is not None:
            # another target holds the reading: taken only where that target's own synset is the reading, which
            # merely lists the word (the baseball glove), not where the reading is a kind of it
            if matcher.targets.by_name[d.target].synset != d.synset:
                continue
        elif not _split_sense(first, wn_synset(named), modifiers):
            continue  # the reading maps to nothing: taken only where it is one thing WordNet splits from the target's
        decisions[i] = _retarget(d, t, HEAD_NAMED_SCORE, named, f"its head noun {word!r} names {t.name} ({named}), one thing with the reading's first sense {d.synset}")


def _compound_kind(sense, head: str) -> list:
    """The senses of the words WordNet writes before a head in a sense's own compound lemmas: fillet.n.02, the fish's,
    is also "fish_fillet" (fish); none for a sense without such a lemma."""
    ending = "_" + head
    return [k for lemma in sense.lemma_names() if lemma.lower().endswith(ending) and "_" not in lemma[: -len(ending)] for k in noun_synsets(lemma[: -len(ending)])]


#: The senses of a first word that make it a kind of thing before a head: physical things, no substance (a ``bronze
#: drum`` is made of bronze, no metal drum: the instrument) and no idea (``Video Camera``'s video is also television,
#: whose camera is WordNet's television camera).
KIND_MODIFIER_LEXNAMES = PHYSICAL_LEXNAMES - {"noun.substance"}


def _head_sense_of_the_modifiers_kind(decisions: list[Decision], matcher: Matcher) -> None:
    """A two-word name read through its head noun in the head's first sense, where a later sense of the same kind
    (lexicographer file) is WordNet's compound of a word the first word is a kind of, is read in that sense: Housekeep's
    ``herring_fillets`` is the fish fillet (fillet.n.02, also "fish_fillet"; a herring is a fish), no beef steak
    (fillet.n.01, WordNet's first); a ``kayak paddle`` the canoe paddle. Only the first word's senses of physical
    things that are no substance count (``KIND_MODIFIER_LEXNAMES``). A first word of no such kind (``beef fillet``)
    keeps the first sense; classes with parents and decisions an earlier rule made (a note) keep theirs."""
    for i, d in enumerate(decisions):
        found = _head_word(d) if not (d.by_a_rule or d.source.parents) else None
        if found is None or not found[0] or "_" in found[0]:
            continue
        chosen, kinds = wn_synset(d.synset), {a for m in noun_synsets(found[0]) if m.lexname() in KIND_MODIFIER_LEXNAMES for a in ancestors(m)}
        if chosen not in noun_synsets(found[1])[:1]:
            continue
        later = next((s for s in noun_synsets(found[1])[1:] if s.lexname() == chosen.lexname() and kinds.intersection(_compound_kind(s, found[1]))), None)
        if later is not None:
            decisions[i] = _reread(d, matcher, later.name(), f"the head's sense of the first word's kind ({later.name()})")


def _kinds_before_their_kind(decisions: list[Decision], matcher: Matcher) -> None:
    """A two-word name read through its head noun whose first word alone is, in WordNet, a kind of the head's reading,
    and maps to a target narrower than the head's target, is that narrower target: the head only repeats what the
    first word is a kind of (CIFAR-100's ``maple_tree`` is the maple, an ``eagle_bird`` the eagle). A first
    word that is no kind of the head (a ``kitchen_cabinet``, a ``car bag``) says what the thing is for or where it
    stands, and the head's reading stays: SUNCG's ``wardrobe_cabinet`` stays a cabinet, WordNet filing the wardrobe
    beside the cabinet under furniture, no kind of it. The score is at most HEAD_NAMED_SCORE: a reading inferred from
    a head, never that of an exact name. Classes with parents and decisions an earlier rule made (a note) keep theirs.
    Known cost: a head naming a food's dough takes the dish (``pie_pastry``: pie)."""
    for i, d in enumerate(decisions):
        found = _head_word(d) if not (d.by_a_rule or d.source.parents or d.target is None) else None
        if found is None or not found[0] or "_" in found[0]:
            continue
        first = matcher.decide(replace(d.source, match_name=found[0], synset=None, synonyms=(), parents=()))
        if first.target is None or first.target == d.target or first.synset is None:
            continue
        t, head_target = matcher.targets.by_name[first.target], matcher.targets.by_name[d.target]
        if not is_kind_of(wn_synset(first.synset), d.synset) or not (t.synset and head_target.synset):
            continue
        if is_kind_of(wn_synset(t.synset), head_target.synset):
            decisions[i] = _retarget(d, t, min(first.score, HEAD_NAMED_SCORE), first.synset, f"{found[0]!r} is a kind of its head {found[1]!r} ({d.synset}) and names {t.name}, a kind of {d.target}")


#: WordNet's dish ("a particular item of prepared food"): fried rice, a potpie, steak au poivre are kinds of it.
DISH = "dish.n.02"
#: The score of a dish WordNet knows, mapping to nothing, read as the food target its head names
#: (``_dishes_of_a_food_target``): inferred from the name's last word, as other list and name readings score.
DISH_HEAD_SCORE = 0.6


def _food_head_target(word: str, matcher: Matcher) -> Target | None:
    """The one target a word names that is a food (WordNet's noun.food: the steak, the pie; no duck, the animal),
    through its name, a lemma of its synset or its name without a qualifier (``steak_(food)``), else None; only for a
    word that is a food in its own senses (``_a_food_word``: a chip is first a fragment, whatever the potato chip
    target lists)."""
    if not _a_food_word(word):
        return None
    named = {t.name: t for t in (*matcher.by_lemma.get(word, ()), *matcher.by_bare.get(word, ()))}
    foods = [t for t in named.values() if t.synset and wn_synset(t.synset) is not None and wn_synset(t.synset).lexname() == "noun.food"]
    return foods[0] if len(foods) == 1 else None


def _dish_head(name: str, matcher: Matcher) -> tuple[str, Target] | None:
    """(head word, food target) of a dish's name: its last word, or, for one word, the longest food target's name it
    ends in after a word WordNet knows of at least MIN_CLIPPED_PART letters (``potpie``: pot and pie; no
    ``scrapple``), else None. A name of two foods joined by "and" (``fish_and_chips``, ``ham_and_eggs``) has none:
    the class holds both."""
    alts = alternatives(name)
    if len(alts) != 1:
        return None
    words = alts[0].split("_")
    if "and" in words:
        return None
    if len(words) > 1:
        t = _food_head_target(words[-1], matcher)
        return (words[-1], t) if t is not None else None
    word = words[0]
    for k in range(MIN_CLIPPED_PART, len(word) - MIN_CLIPPED_PART + 1):
        t = _food_head_target(word[k:], matcher) if noun_synsets(word[:k]) else None
        if t is not None:
            return word[k:], t
    return None


def _defined_by(sense, word: str) -> bool:
    """WordNet's definition of a sense names the word, in the singular or the plural: steak au poivre is "steak covered
    with crushed peppercorns", scrambled eggs "eggs beaten and cooked"; a Salisbury steak is a "ground beef patty", a
    cottage pie "minced meat topped with mashed potatoes", no steak or pie in the target's sense. A word in the
    plural counts in the singular too (Food-101's ``deviled_eggs``: "halved hard-cooked egg")."""
    stems = {word, *(word[: -len(end)] for end in ("es", "s") if word.endswith(end))}
    return any(re.search(rf"\b{re.escape(stem)}(?:e?s)?\b", sense.definition().lower()) for stem in stems)


def _dishes_of_a_food_target(decisions: list[Decision], matcher: Matcher) -> None:
    """A name WordNet knows whole as a dish (DISH) that reaches no target is the food target its head names:
    iFood's ``pepper_steak`` (WordNet's steak au poivre) is a steak, its ``potpie`` a pie (``_dish_head``), where
    WordNet defines the dish by that word (``_defined_by``: a ``salisbury_steak``, a patty, is left). Only a
    target that is itself a food: a dish named after an animal (a Peking duck) is no duck, the animal. Other foods
    keep theirs: a candy (an ``easter egg``, a ``honeycrisp``) is no egg or potato chip, WordNet's ``fruit cocktail``
    (an appetizer) no cocktail, the drink. Names read through their head noun only, classes with parents and
    decisions an earlier rule made (a note) keep theirs."""
    for i, d in enumerate(decisions):
        r = d.resolution
        if d.target is not None or d.by_a_rule or d.source.parents or d.synset is None or r is None or r.how == "head":
            continue
        if not is_kind_of(wn_synset(d.synset), DISH):
            continue
        found = _dish_head(d.source.match_name, matcher)
        if found is not None and _defined_by(wn_synset(d.synset), found[0]):
            word, t = found
            decisions[i] = _retarget(d, t, DISH_HEAD_SCORE, d.synset, f"a dish WordNet knows ({d.synset}) that no target holds; its head {word!r} names {t.name}, a food")


#: WordNet's clothing ("a covering designed to be worn on a person's body"): a garment target is below it.
CLOTHING = "clothing.n.01"
#: The share of a list's classes that map, and their least number, on garment targets for the list to be one of
#: clothes (``_garment_list``): DeepFashion has 17 of its 50 names on shirt, jacket, trousers, skirt, dress... A clothes
#: shop's clipped names map elsewhere before this rule reads them (``Tank``, ``Bomber``, ``Jumper``, ``Boxer``,
#: ``Mule``: a vehicle, an airplane, a person, a dog, an animal), so a list of 8 plain garments and 5 such clips has
#: 8 of 13 on garments: half, not two thirds, is the bar. A list of other things with a few clothes stays below it.
GARMENT_LIST_SHARE = 1 / 2
#: The score of a garment's clipped name read as its WordNet compound (``_garments_of_their_list``): inferred from the
#: list, as the other list-context readings (a clipped name, a vessel class) score 0.5.
GARMENT_CLIPPED_SCORE = 0.5


def _a_garment(synset: str | None) -> bool:
    """The WordNet synset is clothing (CLOTHING among its ancestors)."""
    node = wn_synset(synset) if synset else None
    return node is not None and is_kind_of(node, CLOTHING)


def _garment_list(decisions: list[Decision], targets: Targets) -> bool:
    """Half or more of a list's classes that map (GARMENT_LIST_SHARE), and LIST_MARK_MIN at least, are on garment targets."""
    mapped = [targets.by_name[d.target] for d in decisions if d.target is not None]
    worn = sum(1 for t in mapped if _a_garment(t.synset))
    return worn >= LIST_MARK_MIN and worn >= GARMENT_LIST_SHARE * len(mapped)


def _garment_compounds(d: Decision, matcher: Matcher) -> dict[str, tuple[str, Decision]]:
    """Garment target -> (compound, its decision) for the WordNet compounds beginning with a class's one-word name
    that are clothing and map to a garment target (``tank``: tank_top, a shirt, and tank_suit, a maillot, a
    swimsuit; ``bomber``: bomber_jacket; ``tee``: tee_shirt). None for a word with a garment sense of its own
    (WordNet's top is a garment, so its top hat is not read; a flannel, a cape) or whose first physical sense is no
    artifact (a ``sun`` is no sun hat, a ``neck`` no neckerchief)."""
    alts = alternatives(d.source.match_name)
    if len(alts) != 1 or "_" in alts[0] or any(_a_garment(s.name()) for s in noun_synsets(alts[0])):
        return {}
    thing = _first_physical_sense(alts[0])
    if thing is None or thing.lexname() != "noun.artifact":
        return {}  # a word first no made thing is no garment's clip: a clothes list's sun, neck or swim
    found = {}
    for lemma in compounds_by_first_word(alts[0]):
        if any(_a_garment(s.name()) for s in noun_synsets(lemma)):
            read = matcher.decide(replace(d.source, match_name=lemma))
            if read.target is not None and _a_garment(matcher.targets.by_name[read.target].synset):
                found.setdefault(read.target, (lemma, read))
    return found


#: What a clothes shop's clipped name may be read away from where the name is WordNet's own word for its target
#: (``_exact_kept``): a ``Tank`` or a ``Bomber`` among clothes is no army tank or airplane.
CLIPPED_AWAY_FROM = ("vehicle.n.01", "weapon.n.01")


def _exact_kept(d: Decision, targets: Targets) -> bool:
    """The decision is the name's own WordNet sense (method "synset") on a target that is no vehicle or weapon
    (``CLIPPED_AWAY_FROM``): a football kit's ``Ball`` is a ball, no ball gown; a costume's ``Bow`` no bow tie."""
    if d.method != "synset" or d.target is None:
        return False
    node = wn_synset(targets.by_name[d.target].synset)
    return node is None or not is_kind_of(node, *CLIPPED_AWAY_FROM)


def _garments_of_their_list(decisions: list[Decision], targets: Targets, matcher: Matcher) -> None:
    """A one-word name in a list of clothes (``_garment_list``) that maps to no garment is the garment WordNet names
    by it with a garment word (``_garment_compounds``): a clothes shop clips its garments' names. Only a garment
    target the list's other classes map to is taken (a list of clothes names its garments beside their kin), and one
    only (where compounds of two such targets are found, none); a name that is its own WordNet sense keeps it unless
    that is a vehicle or a weapon (``_exact_kept``). DeepFashion's ``Tank`` was the army tank (a tank top: a shirt, as its
    Jersey and Turtleneck are; WordNet's tank suit is a swimsuit, which no other class is), ``Bomber`` the airplane
    (a bomber jacket: a jacket), ``Tee`` nothing (WordNet's tee shirt: a shirt). Outside a list of clothes a ``Tank``
    among vehicles stays the tank; a name that maps to a garment, or read by an earlier rule (a note), keeps its."""
    if not _garment_list(decisions, targets):
        return
    for i, d in enumerate(decisions):
        if d.by_a_rule or (d.target is not None and _a_garment(targets.by_name[d.target].synset)) or _exact_kept(d, targets):
            continue
        listed = {o.target for j, o in enumerate(decisions) if j != i and o.target is not None}
        found = {t: read for t, read in _garment_compounds(d, matcher).items() if t in listed}
        if len(found) == 1:
            compound, read = next(iter(found.values()))
            decisions[i] = _retarget(d, targets.by_name[read.target], GARMENT_CLIPPED_SCORE, read.synset, f"in a list of clothes, {d.source.match_name!r} is WordNet's {compound}, which is {read.target}")


#: The word for a thing wound into a cylinder, which names what is wound: a roll of toilet paper, of paper towels, of
#: tape is that thing as it is sold and boxed (WordNet's toilet_roll is a kind of toilet_tissue).
ROLL = "roll"
#: What is wound into a roll: a material (paper, toilet tissue), a fabric (a towel, a paper towel), a strip (tape), a
#: sheet (foil) or a wrapping (plastic wrap). A positive set: a roll of dough is a bread (a sushi roll, bread rolls),
#: and a camera roll, a dice roll, a drum roll, an honor roll are no camera, die, drum or award wound up.
WOUND_KINDS = frozenset({"material.n.01", "fabric.n.01", "strip.n.02", "sheet.n.06", "wrapping.n.01"})


def _rolls_of_things(decisions: list[Decision], matcher: Matcher) -> None:
    """A name that ends in "roll" or "rolls" (ROLL), read through its head noun as a roll (WordNet lacks the whole
    name: a barrel roll, a bedroll keep WordNet's sense) and mapped to nothing, whose words before it are a target's
    name or synonym (not any lemma of its synset: an honor is no award) and name a thing wound (WOUND_KINDS), is that
    target: a roll of X is X, as "roll of toilet paper" reads. FSC-147's ``toilet paper rolls`` are toilet_tissue,
    ScanNet200's ``paper towel roll`` paper_towel. Classes with parents and decisions an earlier rule made keep theirs."""
    extra = target_synonyms()
    for i, d in enumerate(decisions):
        if d.target is not None or d.by_a_rule or d.source.parents or not d.synset or d.synset.split(".")[0] != ROLL:
            continue
        alts = alternatives(d.source.match_name)
        words = alts[0].split("_") if alts else []
        if len(words) < 2 or (wordnet().morphy(words[-1], "n") or words[-1]) != ROLL:
            continue
        wound = "_".join(words[:-1])
        for t in [*matcher.by_lemma.get(wound, ()), *matcher.by_bare.get(wound, ())]:
            names = {a for n in (t.name, *t.synonyms, *extra.get(t.name, ())) for a in (*alternatives(n), _bare(n)) if a}
            if wound in names and t.synset and WOUND_KINDS & set(_ancestor_steps(t.synset)):
                decisions[i] = _retarget(d, t, 0.9, t.synset, f"a roll of {wound.replace('_', ' ')}, which names {t.name}")
                break


#: The forms of matter a list writes after a substance's name, joined by an underscore (ADL's ``soap_liquid``).
MATTER_FORMS = frozenset({"liquid.n.01", "powder.n.01", "gel.n.01"})
#: The substances a name before such a form is read as: cleansing agents (soap, detergent, shampoo) and toiletries
#: (lotion, cream). Not matter at large: WordNet files foods as matter too, and a ``garlic_powder``, an ``egg_powder``,
#: a ``lemon_liquid`` is a product made of the food (a spice, a drink), not the garlic, the egg or the lemon.
FORM_SUBSTANCES = frozenset({"cleansing_agent.n.01", "toiletry.n.01"})
THING_THEN_FORM = re.compile(r"^(?P<thing>[A-Za-z]+)_(?P<form>[A-Za-z]+)$")


def _substances_in_a_form(decisions: list[Decision], matcher: Matcher) -> None:
    """A substance's name, an underscore, then the form it comes in (MATTER_FORMS: a liquid, a powder, a gel), read as
    written by its last word, names the substance: ADL's ``soap_liquid`` (liquid soap, in pump bottles) is soap. Only
    where the name maps to nothing as read and its first word alone maps to a target that is a cleansing agent or a
    toiletry (FORM_SUBSTANCES: soap): a ``shower_gel`` is no shower, a ``garlic_powder`` no garlic, a spaced "washing
    powder" is WordNet's soap powder as it was."""
    for i, d in enumerate(decisions):
        m = THING_THEN_FORM.match(d.source.match_name.strip())
        if d.target is not None or d.source.parents or m is None or d.synset is None or d.resolution is None or d.resolution.how != "head":
            continue
        if not any(s.name() in MATTER_FORMS for s in noun_synsets(m["form"].lower())[:1]):
            continue
        thing = matcher.decide(replace(d.source, match_name=m["thing"], synonyms=()))
        node = wn_synset(thing.synset) if thing.target and thing.synset else None
        if node is None or not is_kind_of(node, *FORM_SUBSTANCES):
            continue
        t = matcher.targets.by_name[thing.target]
        # 0.7: the substance is read from one word of the name (the form's word set aside), below a whole name's reading
        decisions[i] = _retarget(d, t, 0.7, thing.synset, f"{m['thing']!r} in the form of {m['form']!r}: {thing.synset} is a cleansing agent or a toiletry, {t.name}")


GROUP = "group.n.01"
#: Collections of things sold, served or boxed as one (WordNet's collection.n.01 and its kinds: a pair, a set, a bunch
#: of bananas, a stack of pancakes, an assortment of donuts, a fleet) and organisations (organization.n.01: the first
#: sense of school and team, a school of fish, a team of horses): no group of the things a detector boxes apart.
COLLECTION, ORGANIZATION = "collection.n.01", "organization.n.01"
#: A heap of things, whatever they are (pile.n.01 itself: a pile, a heap; not its kinds, a stack is an orderly pile
#: served or shelved as one): 3RScan's ``pile of bottles``, ``pile of pillows`` are no one bottle or pillow.
PILE = "pile.n.01"


def _a_group_word(word: str, *, of_beings: bool) -> bool:
    """The word's first WordNet noun sense is a group the things before "of" are boxed apart in: a pile (PILE) of any
    things; of people or animals (``of_beings``), group.n.01 or a kind of it (a crowd, a herd, a flock, a line) other
    than a collection or an organisation (COLLECTION, ORGANIZATION)."""
    first = noun_synsets(word)[:1]
    if not first:
        return False
    if first[0].name() == PILE:
        return True
    kinds = {a.name() for a in ancestors(first[0])} | {first[0].name()}
    return of_beings and GROUP in kinds and not kinds & {COLLECTION, ORGANIZATION}


def _a_being(t: Target) -> bool:
    """A target that is a person or an animal."""
    return _person_or_of(t, BEING_LEXNAMES)


def _groups_of_things(decisions: list[Decision], targets: Targets) -> None:
    """A group of people or animals named "GROUP of THINGS" (RADIATE's ``group_of_pedestrians``, CityPersons' group of
    people; a crowd of people, a herd of cows) or a pile of things (3RScan's ``pile of bottles``) is no one of the
    things: a detector's box of one pedestrian is no box of a group, so the name maps to nothing where only its last
    noun (read as a head noun, ``Resolution.how`` "head") gave a target (``_a_group_word``). Things grouped as one
    thing keep their target: a bunch of bananas or grapes, a stack of pancakes, a variety of donuts, a line or a group
    of cars, a pair of shoes, a team of horses, a school of fish. Classes with parents keep theirs."""
    for i, d in enumerate(decisions):
        words = [w.lower() for w in _words(d.source.match_name)]
        if d.target is None or d.by_a_rule or d.source.parents or len(words) < 3 or words[1] != "of" or d.resolution is None or d.resolution.how != "head":
            continue
        if _a_group_word(words[0], of_beings=_a_being(targets.by_name[d.target])):
            note = f"a {words[0]} of {' '.join(words[2:])} is no one of them"
            decisions[i] = Decision(d.source, None, None, "none", 0.0, d.synset, d.options, note, d.resolution)


@lru_cache(maxsize=1)
def shipped_names() -> dict[str, tuple[str, str, str]]:
    """Class name (normalized) -> (target or "", source, name as released) of the shipped bigdet600
    tables, for the names every shipped source that has them maps alike."""
    seen: dict[str, set] = {}
    first: dict[str, tuple[str, str]] = {}
    for source in SOURCES:
        for r in read_table(source):
            name = r["source_name"].replace(" ", "/") if source == "lvis_v1" else r["source_name"]
            key = _name_key(name)
            seen.setdefault(key, set()).add(r["target"])
            first.setdefault(key, (source, r["source_name"]))
    return {k: (next(iter(v)), *first[k]) for k, v in seen.items() if len(v) == 1 and k}


def _as_shipped(decisions: list[Decision], targets: Targets, sensed: set = frozenset()) -> None:
    """A class named exactly like a class of a shipped source gets that class's reviewed decision:
    the shipped tables are hand-checked (with their overrides), and a user's "Man" means what Open
    Images' "Man" means (a person: BigDetection's own mapping). Names the shipped sources map
    differently (the same word, two things) are left to the matcher, and so are the classes at ``sensed``
    (a gloss picked the name's sense: ``Kite (bird)`` is no toy kite, whatever a shipped "Kite" is)."""
    lexicon = shipped_names()
    for i, d in enumerate(decisions):
        if i in sensed:
            continue
        if d.source.parents and not (d.source.path and d.target is None):
            # the dataset's own hierarchy says what its class is a kind of; a path's segment that the
            # matcher maps to nothing under it (Mapillary's "object--traffic-sign") is the shipped class
            continue
        found = lexicon.get(_name_key(d.source.match_name))
        if found is None:
            continue
        shipped = targets.by_name.get(found[0]) if found[0] else None
        if d.source.path and d.synset and shipped is not None and shipped.synset and _meat_of(wn_synset(d.synset), wn_synset(shipped.synset)):
            continue  # a path's meat ("meat:chicken") is no shipped animal of that name (_meat_of)
        target, source, name = found
        note = f"as {source} {name!r} in the shipped table"
        if (target or None) == d.target:
            # the same decision, now a reviewed one: ``_list_senses`` does not read a reviewed "no target"
            # again (LVIS wagon, the horse-drawn wagon, beside a car is no station wagon)
            d.reviewed = True
            continue
        if not target:
            decisions[i] = Decision(d.source, None, None, "none", 0.0, d.synset, d.options, note, d.resolution, reviewed=True)
            continue
        t = targets.by_name[target]
        option = Option(t.name, t.id, "lemma", 0.95, note)
        decisions[i] = Decision(d.source, t.name, t.id, "lemma", 0.95, d.synset, [option, *d.options], note, d.resolution, reviewed=True)


#: Classes mapped to targets, besides the ones read again, before a list says it has no animals
#: (``_animal_senses_without_animals``): one or two classes say little of a list (a person and a car may sit in any
#: list of animals), three make a list (MOCS' thirteen construction classes map six).
NO_ANIMAL_LIST_MIN = 3
#: How much more WordNet's tagged texts must use the word as the person than as the animal before the person is its
#: main sense: PERSON_COUNT_MIN uses and PERSON_COUNT_RATIO times the animal's (worker.n.01 29 against worker.n.03 4;
#: a boxer, 1 against the dog's 0, or a skunk, rotter.n.01, say nothing).
PERSON_COUNT_MIN = 5
PERSON_COUNT_RATIO = 3


def _lexname(synset: str | None) -> str | None:
    """The lexicographer file of a synset's name (its kind of thing: noun.animal, noun.artifact), None for none."""
    node = wn_synset(synset) if synset else None
    return node.lexname() if node is not None else None


def _lemma_count(word: str, sense) -> int:
    """How often WordNet's tagged texts use ``word`` in ``sense`` (its lemma counts): which sense is the word's main one."""
    return sum(lemma.count() for lemma in sense.lemmas() if lemma.name().lower() == word)


def _reread(d: Decision, matcher: Matcher, synset: str, why: str) -> Decision:
    """The decision for ``d``'s name read in ``synset`` by a list rule: its best option, none when it has none."""
    options = matcher._options(d.source, synset, False, d.resolution)
    best = options[0] if options else None
    return Decision(d.source, best.target if best else None, best.target_id if best else None, best.method if best else "none", best.score if best else 0.0, synset, options, why, d.resolution)


def _animal_sense_of_a_person_word(d: Decision):
    """The noun senses and the word of a name read in an animal sense that reaches its target only as a kind of it
    (worker.n.03, a kind of insect; not a skunk, the skunk target itself) when the word has a person sense too; else None."""
    if d.source.parents or d.by_a_rule or d.resolution is None or d.method != "hypernym" or _lexname(d.synset) != "noun.animal":
        return None
    own = next((c for c in d.resolution.candidates if c.synset == d.synset and not c.head), None)
    senses = noun_synsets(own.alternative) if own is not None else []
    if not any(x.lexname() == "noun.person" for x in senses):
        return None
    return senses, wordnet().morphy(own.alternative, "n") or own.alternative


def _main_person_sense(d: Decision, found: tuple):
    """The person WordNet lists first and counts as the main sense of the word a decision reads in a later animal
    sense that reaches its target only as a kind of it (worker.n.03, a kind of insect), with the word; else None.
    ``found``: the word's senses and the word (``_animal_sense_of_a_person_word``)."""
    senses, word = found
    first = senses[0]
    if first.name() == d.synset or first.lexname() != "noun.person" or _named_person(first):
        return None
    person, animal = _lemma_count(word, first), _lemma_count(word, wn_synset(d.synset))
    return (first, word) if person >= PERSON_COUNT_MIN and person >= PERSON_COUNT_RATIO * animal else None


def _animal_senses_without_animals(decisions: list[Decision], matcher: Matcher) -> None:
    """A name read in a later animal sense of its word that reaches its target as a kind of it, whose word's first
    sense is a person WordNet counts as its main sense (PERSON_COUNT_MIN, PERSON_COUNT_RATIO times the animal), is read
    as that person in a list with no animal (NO_ANIMAL_LIST_MIN classes or more mapped to targets, none an animal,
    besides the names so read): any list may box people, while a list of machines has no social insects. MOCS'
    ``Worker`` among cranes and trucks is worker.n.01 (29 counts), a person, no worker.n.03, the insect caste (4); a
    list of trades' ``worker``, ``soldier`` and ``queen`` are people together. A bear, a fox, a duck whose first sense
    is the animal, a name that is an animal target's own (a skunk, a whale) and a word WordNet counts too rarely as the
    person (a boxer, 1 against 0) stay animals. Classes with parents and decisions an earlier rule made keep theirs."""
    people_words = {i: found for i, d in enumerate(decisions) if (found := _animal_sense_of_a_person_word(d)) is not None}
    persons = {i: main for i, found in people_words.items() if (main := _main_person_sense(decisions[i], found)) is not None}
    if not persons:
        return
    # the list's animals: not the names read again, nor another word of people read as an animal kind (a queen, which
    # WordNet counts as the insect first, beside a worker and a soldier in a list of trades)
    others = [_lexname(matcher.targets.by_name[d.target].synset) for i, d in enumerate(decisions) if d.target and i not in people_words]
    if len(others) < NO_ANIMAL_LIST_MIN or "noun.animal" in others:
        return
    for i, (first, word) in persons.items():
        decisions[i] = _reread(decisions[i], matcher, first.name(), f"{first.name()}, the person WordNet counts as the main sense of {word!r}, in a list with no animal")


#: A list's kind of thing: the lexicographer file most of its classes' senses are in, when at least
#: KIND_SHARE of the list is of it (CIFAR-100: 39 animals, 32 artifacts of 100).
KIND_SHARE = 1 / 3
#: Reviewed breed names WordNet lacks (``taxonomy/data/breeds.csv``, with its sources).
BREEDS = Path(__file__).parent / "data" / "breeds.csv"


@lru_cache(maxsize=1)
def breeds(path: Path = BREEDS) -> dict[str, str]:
    """Breed name (normalized as ``alternatives`` does) -> the target it is a kind of."""
    return {alternatives(row["name"])[0]: row["target"] for row in reviewed_rows(path)}


#: Physical kinds of thing other than people (nearly every word has a people sense, and most lists a person class).
THINGS = PHYSICAL_LEXNAMES - {"noun.person"}


def _list_kind(decisions: list[Decision], targets: Targets, matcher: Matcher) -> None:
    """A name whose chosen sense is not of its list's kind of thing (the lexicographer file most of
    the list's senses are in), read as that kind when it can be:

    1. a name of the reviewed breed list (``breeds.csv``) that WordNet does not know as itself
       (``Egyptian Mau``; ``Maine Coon`` only through "coon") or knows as another kind of thing
       (``Ragdoll``, a rag doll) is its breed's target, when the list's classes of its kind already
       map to that target (a cat breed in a list with cats);
    2. in a list made of a natural kind (animals, plants, food, KIND_SHARE of its senses or more; not
       artifacts, the kind of most object lists), even when another kind is as common, a sense of the name
       of that kind, which WordNet lists before the chosen one (more frequent), wins back from the target
       prior: CIFAR-100's ``mouse`` among its animals is the rodent, not the computer mouse; EPIC-KITCHENS'
       ``chicken``, among 120 foods and 121 artifacts, the meat, not the bird; not an animal's food sense in a
       list with live animals (a cat: an animal WordNet knows as no food), where a chicken is the bird. A
       first sense stays. So is a name of the list's most common kind, artifacts, when animals are a third of the list
       too, but only in its word's first sense, an animal: Sketchy's ``mouse``, among 57 artifacts and 52 animals of
       125 classes, is mouse.n.01 (no target); not a later animal sense (a horn, horn.n.02), nor a plant's or a
       food's among plants or foods (a garden's christmas tree, WordNet's christmas bush; a kitchen's grinder, a
       sandwich), nor a name that lists its synonyms (ImageNet's "mouse, computer mouse": ``names.lists_synonyms``).
       A home list's mouse beside a keyboard and pets is read as the rodent too: WordNet files the computer mouse
       under electronic devices, no nearer a keyboard or a laptop than a fan;
    3. only for a name read as people, with no sense of another physical kind (nationalities name breeds): the
       name joined to a target the list's classes of that kind map to is a WordNet noun of that kind
       (Oxford Pets' ``Siamese`` would be WordNet's Siamese cat if the breed list lacked it).
    Classes with a parent in their dataset's hierarchy keep what it says."""
    kinds = Counter(filter(None, (_lexname(d.synset) for d in decisions)))
    if len(decisions) < CONTEXT_MIN_CLASSES or not kinds:
        return
    (top, n), *rest = kinds.most_common(2) + [(None, 0)]
    # the natural kinds (not artifacts: most object lists, COCO and LVIS, are, and the earlier artifact sense of
    # their food or animal names is wrong there, COCO's cake would be a cake of soap) the list is made of
    natural = {k for k, m in kinds.items() if m >= KIND_SHARE * len(decisions) and k in THINGS - {"noun.artifact"}}
    if n < KIND_SHARE * len(decisions) or rest[0][1] == n or top not in THINGS:
        if not natural:
            return
        top = None  # no one kind of thing: only rule 2, for each natural kind the list is made of
    kin_targets = Counter(d.target for d in decisions if d.target and _lexname(d.synset) == top)
    # live animals: classes read as animals whose names WordNet knows as no food (a cat, a goat); beside them
    # an animal named like its meat is the animal (a backyard's chicken), not so among EPIC-KITCHENS' foods,
    # whose animals (fish, turkey, salmon, beef) are all foods too
    # (only classes that map to a target: YouCook2's seaweed, filed by WordNet under animals, maps to none and shows none)
    live = any(d.target is not None and _lexname(d.synset) == "noun.animal" and not any(s.lexname() == "noun.food" for a in alternatives(d.source.match_name)[:1] for s in noun_synsets(a)) for d in decisions)
    breed_of = breeds()
    for i, d in enumerate(decisions):
        if d.source.parents:
            continue
        own = _lexname(d.synset)
        alts = alternatives(d.source.match_name)
        breed = breed_of.get(alts[0]) if alts else None
        guessed = d.resolution is None or d.resolution.how in ("head", "fuzzy") or own not in THINGS
        if top is not None and breed in kin_targets and breed in targets.by_name and (own != top or guessed):
            # WordNet knows the name as another kind of thing (Ragdoll, a rag doll) or not as itself (Maine
            # Coon only through "coon"), and the list has classes of the breed's target
            t = targets.by_name[breed]
            note = f"a {breed} breed (taxonomy/data/breeds.csv), in a list where {kin_targets[breed]} classes of its kind are {breed}"
            option = Option(t.name, t.id, "hypernym", 0.5, note)
            decisions[i] = Decision(d.source, t.name, t.id, "hypernym", 0.5, None, [option, *d.options], note, d.resolution)
            continue
        if own in natural or (own == top and lists_synonyms(d.source.match_name)):
            # a name of the list's own kind is read again only as the one word it is: a name that lists its
            # synonyms (ImageNet's "mouse, computer mouse") chose its sense itself
            continue
        synset, why = None, ""
        senses = [c for c in (d.resolution.candidates if d.resolution else []) if not c.head]
        chosen = next((c.alternative for c in senses if c.synset == d.synset), None)
        # a name of the list's own kind, artifacts, reads only its word's first sense, an animal (Sketchy's mouse): a
        # later one, or a plant's or a food's, is no more the word's main sense than the artifact (a grinder, a sandwich;
        # a christmas tree, WordNet's christmas bush; a horn, horn.n.02)
        natural_of_name = natural if own != top else natural & {"noun.animal"}
        other = next((c.synset for c in senses if c.alternative == chosen and wn_synset(c.synset).lexname() in natural_of_name and _before(c, d.synset)
                      and (own != top or c.synset == _first_sense(c.alternative))
                      and not (live and own == "noun.animal" and wn_synset(c.synset).lexname() == "noun.food")), None)
        if other is not None:
            made = wn_synset(other).lexname()
            synset, why = other, f"the {made.split('.')[1]} sense of the name, as {kinds[made]} of the {len(decisions)} classes in its list are"
        elif top is not None and alts and own == "noun.person" and all(wn_synset(c.synset).lexname() not in THINGS for c in senses):
            # read as people (a nationality, which names breeds), never as another physical thing
            for t, _ in kin_targets.most_common():
                compound = f"{alts[0]}_{alternatives(t.split('_(')[0])[0]}"
                found = [x for x in noun_synsets(compound) if x.lexname() == top]
                if found:
                    synset, why = found[0].name(), f"{compound!r} in WordNet, as {kin_targets[t]} classes of its list are {t}"
                    break
        if synset is None:
            continue
        decisions[i] = _reread(d, matcher, synset, why)


def _first_sense(name: str) -> str | None:
    """The sense WordNet lists first for a name (its most frequent)."""
    senses = noun_synsets(name)
    return senses[0].name() if senses else None


def _list_made_of(decisions: list[Decision]) -> tuple[Counter, set]:
    """How many of a list's chosen senses are in each lexicographer file, and the physical files (no people) holding
    KIND_SHARE of them or more: the kinds the list is made of."""
    kinds = Counter(wn_synset(d.synset).lexname() for d in decisions if d.synset and wn_synset(d.synset) is not None)
    return kinds, {k for k, n in kinds.items() if n >= KIND_SHARE * len(decisions) and k in THINGS}


#: WordNet's food lexicographer file: a list of dishes is made of it (``_list_kinds_head_sense``).
FOOD_LEXNAME = "noun.food"
#: Produce (a vegetable, an edible fruit): a dish's head is never read so (a ``seafood gumbo`` is the stew, no okra pods,
#: gumbo.n.03, which ties with it).
VEGETABLE = "vegetable.n.01"
PRODUCE = (VEGETABLE, "edible_fruit.n.01")
#: What a cake of it is a patty of, no baked cake (``_patty_before_head``): meat, seafood, fish as food.
PATTY_FOODS = (MEAT, "seafood.n.01", "fish.n.02")


def _patty_before_head(alt: str) -> bool:
    """A word before the name's head (``names._modifiers``) makes a patty of it, no baked cake: a word with any sense
    of PATTY_FOODS (Food-101's ``crab_cakes``; a ``tuna cake`` or ``shrimp cake``, whose first senses are a plant
    and a person; chicken, salmon, pork), or one whose first sense is a vegetable, the food (a ``potato cake``,
    a ``radish cake``). A word first a plant or a thing of no food keeps the cake: a ``carrot cake`` (the carrot
    plant first), ``banana milk cake``, ``moon cake``, ``red velvet cake``, ``egg cake`` (an egg, a food, is no meat)."""
    head = head_noun(alt)
    if head is None:
        return False
    words = [w for w in _modifiers(alt, head.split("_")[0]) if w]
    return any(any(is_kind_of(s, *PATTY_FOODS) for s in noun_synsets(w)) or any(is_kind_of(s, VEGETABLE) for s in noun_synsets(w)[:1]) for w in words)


def _list_kinds_head_sense(decisions: list[Decision], matcher: Matcher) -> None:
    """A name read through its head noun only that maps to nothing, in a list made of food (``_list_made_of``), whose
    head has a food sense as likely (the same score) that maps to a target, is read in that sense: among
    ZSFooD's dishes a ``banana milk cake`` is the cake (cake.n.03, baked goods), no cake of soap (cake.n.01, which
    WordNet lists first and the head's weaker target prior only ties). ``_list_kinds_sense`` leaves head reads alone;
    this takes only such a tie, away from a sense of no kind food is (no plant or animal: BigBIRD's
    ``haagen_dazs_butter_pecan`` is no pecan nut), never a tied sense that is produce (PRODUCE: a ``seafood gumbo`` is
    no okra), after no word of a patty (``_patty_before_head``), and only among foods: among artifacts a lid's eyelid would become a
    hat (WordNet's lid is also a hat) and a truck cab a taxi. Classes with parents and decisions an earlier rule made
    (a note) keep theirs."""
    if len(decisions) < CONTEXT_MIN_CLASSES or FOOD_LEXNAME not in _list_made_of(decisions)[1]:
        return
    for i, d in enumerate(decisions):
        r = d.resolution
        if d.target is not None or d.by_a_rule or d.source.parents or d.synset is None or r is None or r.how != "head":
            continue
        chosen = next((c for c in r.candidates if c.synset == d.synset), None)
        if chosen is None or any(FOOD_LEXNAME in k and _lexname(d.synset) in k for k in KINDS) or _patty_before_head(chosen.alternative):
            continue  # a sense of a food's kind (a plant, an animal: a butter pecan is no pecan nut) or a patty's head
        tied = [c for c in r.candidates if c.head and c.score == chosen.score and c.synset != d.synset]
        for c in tied:
            node = wn_synset(c.synset)
            produce = node is not None and is_kind_of(node, *PRODUCE)
            options = matcher._options(d.source, c.synset, True, r) if node is not None and node.lexname() == FOOD_LEXNAME and not produce else []
            if options:
                top = options[0]
                why = f"its head's {node.lexname().split('.')[1]} sense {c.synset}, as likely as {d.synset}, of its list's kind"
                decisions[i] = Decision(d.source, top.target, top.target_id, top.method, top.score, c.synset, options, why, r)
                break


def _list_kinds_sense(decisions: list[Decision], matcher: Matcher) -> None:
    """A name that maps to nothing in a sense of a kind its list hardly has is read in its first sense of
    a kind the list is made of (a lexicographer file holding KIND_SHARE of the list's senses, physical,
    not people) and compatible with the first (KINDS: plant, food and animal; artifact and object) when
    that sense maps to a target: ImageNet's "sorrel", among some 400 animals and 500 artifacts, is
    WordNet's sorrel horse, not the plant WordNet lists first; CIFAR-100's "trout" the fish, not its food. Classes with parents, names
    read through their head noun only and decisions an earlier list rule made keep theirs (``_open_sense``)."""
    if len(decisions) < CONTEXT_MIN_CLASSES:
        return
    kinds, made_of = _list_made_of(decisions)
    for i, d in enumerate(decisions):
        own = _open_sense(d)
        if own is None or wn_synset(d.synset).lexname() in made_of:
            continue
        node = wn_synset(d.synset)
        for s in noun_synsets(own.alternative):
            if s.lexname() not in made_of or not _compatible(s, node):
                continue  # only the same thing as another kind (KINDS): a beaver is no hat in a list of hats
            options = matcher._options(d.source, s.name(), False, d.resolution)
            if options:
                top = options[0]
                why = f"its {s.lexname().split('.')[1]} sense, as {kinds[s.lexname()]} of the {len(decisions)} classes in its list are"
                decisions[i] = Decision(d.source, top.target, top.target_id, top.method, top.score, s.name(), options, why, d.resolution)
            break


def _named_by(sense, word: str) -> bool:
    """The word is the sense's first lemma, the name WordNet gives it, or that lemma's first word (``alarm`` of
    alarm_clock.n.01, a clipping)."""
    first = sense.lemma_names()[0].lower()
    return first == word or first.startswith(word + "_")


def _target_named(target, word: str) -> bool:
    """The word is the target's own name or one of its synonyms, read without a qualifier (LVIS's ``slide``, whose
    synset chute.n.02 WordNet names chute)."""
    if target is None:
        return False
    word = word.lower().replace(" ", "_")
    return any(re.sub(r"_\(.*\)$", "", n.lower().replace(" ", "_")) == word for n in (target.name, *target.synonyms))


def _own_senses_in_a_food_list(decisions: list[Decision], matcher: Matcher) -> None:
    """In a list made of food (``_list_made_of``: YouCook2's ingredients, pots and lids), a name read as itself that
    maps to a target in a sense that only lists it among its other names (the word is not the sense's first lemma, nor
    that lemma's clipping: an ``alarm`` stays the alarm clock), after another of its senses of the same kind of thing
    (lexicographer file) more than SPLIT_SENSE_DISTANCE steps from it, is read in that earlier sense where that maps
    to nothing: the target's prior had outweighed the name's own sense. A cooking video's ``lid`` is a pot's cover
    (lid.n.02), no hat (hat.n.01, whose name is hat, 5 steps away); a bowl's vessel and dish senses are 4 apart, one
    thing WordNet splits, and the bowl keeps its dish; a plate, a cake or pasta is its sense's first lemma and keeps
    it (no home plate, patty or paste), and so does a name that is the target's own name or synonym (a slide, whose
    sense WordNet names chute). A food sense against an animal's is ``_list_kind``'s (the meat of a chicken). Classes with parents,
    names read through their head noun and decisions an earlier rule made (a note) keep theirs."""
    if len(decisions) < CONTEXT_MIN_CLASSES or FOOD_LEXNAME not in _list_made_of(decisions)[1]:
        return
    for i, d in enumerate(decisions):
        r = d.resolution
        if d.target is None or d.by_a_rule or d.source.parents or d.synset is None or r is None or r.how == "head":
            continue
        chosen = next((c for c in r.candidates if c.synset == d.synset and not c.head), None)
        node = wn_synset(d.synset)
        if chosen is None or node is None or _named_by(node, chosen.alternative) or _target_named(matcher.targets.by_name.get(d.target), chosen.alternative):
            continue
        earlier = next((s for s in noun_synsets(chosen.alternative) if s.lexname() == node.lexname()), None)
        if earlier is None or earlier == node or matcher._options(d.source, earlier.name(), False, r):
            continue
        if (earlier.shortest_path_distance(node) or 0) <= SPLIT_SENSE_DISTANCE:
            continue  # near senses are one thing WordNet splits (the vessel and the dish bowl)
        note = f"its {earlier.lexname().split('.')[1]} sense {earlier.name()}, listed before {d.synset}, in a list of food: no target"
        decisions[i] = Decision(d.source, None, None, "none", 0.0, earlier.name(), d.options, note, r)


def _open_sense(d: Decision):
    """The candidate of a decision's own sense when a list rule may read its name again, else None: it
    maps to nothing, has no parent in its dataset, was read as itself (not through its head noun), and
    no earlier list rule decided it (that rule's note)."""
    if d.target is not None or d.source.parents or d.resolution is None or d.synset is None or d.by_a_rule or d.resolution.how == "head":
        return None
    return next((c for c in d.resolution.candidates if c.synset == d.synset and not c.head), None)


def _before(candidate, chosen: str | None) -> bool:
    """The candidate is a sense WordNet lists before ``chosen`` for the same name."""
    senses = [x.name() for x in noun_synsets(candidate.alternative)]
    return chosen in senses and candidate.synset in senses and senses.index(candidate.synset) < senses.index(chosen)


#: How far up WordNet a name's sense may be a kind of another class of its list: a direct kind only
#: (a van is a truck; ADE20K's bar, a counter, is a table two steps up, and no table).
SENSE_KIN_STEPS = 1


@lru_cache(maxsize=None)
def _ancestor_steps(name: str) -> dict[str, int]:
    return {a.name(): d for a, d in ancestors(wn_synset(name)).items()}


def _list_senses(decisions: list[Decision], matcher: Matcher) -> None:
    """A name that maps to nothing in the sense chosen for it, one of whose other (physical) senses is
    a kind of another class of its list (one that is a target itself) within SENSE_KIN_STEPS, is read in that sense when it maps to a
    target: lists name a class beside its kind ("Car, Van, Truck": KITTI's ``Van`` is WordNet's van
    that is a truck, not the British railway van WordNet lists first). Not people senses (nearly every
    word has one, and most lists a person class); not a name whose chosen sense already is a kind of a
    listed class or maps to a target. Classes with parents, decisions an earlier list rule made
    (``_open_sense``) and a shipped table's reviewed "no target" for the name (LVIS wagon, not the station
    wagon beside a car: ``Decision.reviewed``) keep theirs."""
    chosen = [d.synset for d in decisions]

    def kin(sense: str, i: int) -> str | None:
        up = _ancestor_steps(sense)
        # a listed class that is itself a target (not one mapped to a target it is a kind of: ADE20K's
        # counter, a kind of table, says nothing about its bar)
        return next((o for j, o in enumerate(chosen) if o and j != i and decisions[j].method in ("synset", "lemma") and 1 <= up.get(o, 0) <= SENSE_KIN_STEPS), None)

    def kinds_of(listed: str, i: int) -> bool:
        return any(o and j != i and 1 <= _ancestor_steps(o).get(listed, 0) <= SENSE_KIN_STEPS for j, o in enumerate(chosen))

    for i, d in enumerate(decisions):
        own = _open_sense(d)
        if own is None or kin(d.synset, i):
            continue
        for c in d.resolution.candidates:
            if c.alternative != own.alternative or c.head or c.synset == d.synset or wn_synset(c.synset).lexname() not in THINGS:
                continue
            node, other = wn_synset(d.synset), wn_synset(c.synset)
            if node.lexname() != other.lexname() and _compatible(node, other):
                continue  # the same thing as another kind (KINDS): the spiny lobster as animal and as food
            listed = kin(c.synset, i)
            if listed is None or (d.reviewed and not kinds_of(listed, i)):
                # a reviewed "no target" is read again only in a list of kinds of that class (a wagon among
                # sedans, coupes and hatchbacks, all cars, is the station wagon; beside a car, truck and bus
                # it is the reviewed horse-drawn wagon)
                continue
            options = matcher._options(d.source, c.synset, False, d.resolution)
            if not options:
                continue
            top = options[0]
            why = f"{c.synset} is a kind of {listed}, a class of its list"
            decisions[i] = Decision(d.source, top.target, top.target_id, top.method, top.score, c.synset, options, why, d.resolution)
            break


#: A list is one of a kind of animal or plant (``_organisms_of_their_list``) when NATURAL_SHARE of the classes it maps
#: to targets are natural things (animals, plants, foods: KINDS), and ORGANISM_KIN_MIN_CLASSES of its organisms or
#: more, ORGANISM_KIN_SHARE of them, are of a target's kind (the target or a kind of it: an eagle and an owl are
#: birds): a fish list's two red mullets beside its shrimp (the food target); one salmon on a menu says nothing, nor
#: four birds beside a knife and a fork.
NATURAL_SHARE = 0.75
ORGANISM_KIN_MIN_CLASSES = 2
ORGANISM_KIN_SHARE = 0.5


def _organisms_of_their_list(decisions: list[Decision], matcher: Matcher) -> None:
    """A name that maps to nothing in the sense chosen for it, of another kind of thing (a food, a tool, a fabric), is
    read in its animal or plant sense (ORGANISM_LEXNAMES; as itself, or its head's where the name was read through its
    head) where that maps to a target whose kind its list's organisms are (NATURAL_SHARE, ORGANISM_KIN_MIN_CLASSES,
    ORGANISM_KIN_SHARE): among a fish dataset's red mullets (goatfish, fish) its ``Trout``, ``Sea Bass`` and ``Red Sea
    Bream``, whose first WordNet senses are their food, are fish; among BIRDS 400's birds (eagles, owls, ducks and
    more) its ``CLARKS NUTCRACKER`` (first the tool) and ``PAINTED BUNTING`` (first the fabric) are birds. A menu's
    trout beside one salmon stays its food, a kitchen's nutcracker its tool, even beside four birds. Classes with parents and decisions an
    earlier rule made (a note) keep theirs; a shipped table's reviewed "no target" for the name (LVIS nutcracker, the
    tool) yields to the list."""
    organisms = [matcher.targets.by_name[d.target] for d in decisions if d.target and _lexname(d.synset) in ORGANISM_LEXNAMES]
    natural = sum(1 for d in decisions if d.target and _lexname(d.synset) in KINDS[0])
    if len(organisms) < ORGANISM_KIN_MIN_CLASSES or natural < NATURAL_SHARE * sum(1 for d in decisions if d.target):
        return

    def of_its_kind(target: Target) -> int:
        node = wn_synset(target.synset) if target.synset else None
        return sum(1 for t in organisms if t is target or (node is not None and t.synset and is_kind_of(wn_synset(t.synset), node.name())))

    for i, d in enumerate(decisions):
        r = d.resolution
        if d.target is not None or d.by_a_rule or d.source.parents or d.synset is None or r is None:
            continue
        chosen = next((c for c in r.candidates if c.synset == d.synset), None)
        if chosen is None or _lexname(d.synset) in ORGANISM_LEXNAMES:
            continue
        for c in r.candidates:
            if c.alternative != chosen.alternative or c.head != chosen.head or _lexname(c.synset) not in ORGANISM_LEXNAMES:
                continue
            options = matcher._options(d.source, c.synset, c.head, r)
            if not options:
                continue
            n = of_its_kind(matcher.targets.by_name[options[0].target])
            if n >= ORGANISM_KIN_MIN_CLASSES and n >= ORGANISM_KIN_SHARE * len(organisms):
                top = options[0]
                why = f"its {_lexname(c.synset).split('.')[1]} sense {c.synset}, as {n} classes of its list are of {top.target}'s kind"
                decisions[i] = Decision(d.source, top.target, top.target_id, top.method, top.score, c.synset, options, why, r)
                break


#: A list whose classes are mostly kinds of one target (Stanford Dogs, CUB birds) is context for
#: the names WordNet does not know at all: CUB's "Gadwall" is a duck WordNet lacks, in a list of
#: 200 birds. Only lists of at least CONTEXT_MIN_CLASSES with CONTEXT_SHARE of them on one target.
CONTEXT_MIN_CLASSES = 10
CONTEXT_SHARE = 0.75


def _list_target(decisions: list[Decision], *, share: float = CONTEXT_SHARE, least: int = 1, but: str | None = None, of=None) -> tuple[str, int] | None:
    """The one target a list's classes mostly are (CONTEXT_MIN_CLASSES classes or more, ``share`` of them on it, and
    ``least`` at least) and how many are, or None. With ``but`` (a target's name, the person), classes mapped to it
    are left out and the share is of the classes mapped to other targets. With ``of`` (a predicate on a target's name:
    a vessel), the classes on every target it holds for are counted together, the share is of the classes that map,
    and the target named is the most common of those (the first listed of equals)."""
    counts = Counter(d.target for d in decisions if d.target and d.target != but)
    if len(decisions) < CONTEXT_MIN_CLASSES or not counts:
        return None
    if of is not None:
        kinds = Counter({name: k for name, k in counts.items() if of(name)})
        n = sum(kinds.values())
        return (kinds.most_common(1)[0][0], n) if kinds and n >= max(least, share * sum(counts.values())) else None
    top, n = counts.most_common(1)[0]
    whole = len(decisions) if but is None else sum(counts.values())
    return (top, n) if n >= max(least, share * whole) else None


def _animals_of_their_list(decisions: list[Decision], targets: Targets) -> None:
    """A word read as people over an animal it names only aside (``names._animal_named_aside``: diver, the loon;
    angler, the anglerfish) is that animal in a list mostly of the animal's kind: CONTEXT_MIN_CLASSES classes or more,
    CONTEXT_SHARE of them with a WordNet sense the matcher weighed (a candidate) under the nearest target above the
    animal (as ``_list_context`` counts a list's classes on one target; any sense weighed, as WordNet's first trout,
    tuna, cod are their food and a list of fishes maps many of them to no target). A ``diver`` among CUB-like birds is
    the loon (bird), an ``angler`` among fishes the anglerfish (fish); RUOD's diver (sea animals, no birds) and V3Det's
    (a list of many kinds) stay people. Classes with parents and decisions an earlier rule made keep theirs."""
    if len(decisions) < CONTEXT_MIN_CLASSES:
        return
    by_synset = {t.synset: t for t in targets if t.synset}
    read: list[set] = []
    for i, d in enumerate(decisions):
        if d.source.parents or d.by_a_rule or d.resolution is None:
            continue
        aside = [c.synset for c in d.resolution.candidates if any(NAMED_ASIDE in r for r in c.reasons)]
        for name in aside:
            animal = wn_synset(name)
            above = sorted((dist, a.name()) for a, dist in ancestors(animal).items() if a.name() in by_synset) if animal is not None else []
            if not above:
                continue
            read = read or [{wn_synset(c.synset) for c in x.resolution.candidates} if x.resolution else set() for x in decisions]
            t = by_synset[above[0][1]]
            node = wn_synset(t.synset)
            n = sum(1 for j, senses in enumerate(read) if j != i and any(r is not None and node in ancestors(r) for r in senses))
            if d.target != t.name and n >= CONTEXT_SHARE * len(decisions):
                note = f"{name} is a kind of {t.name}, as {n} of the {len(decisions)} classes in its list are"
                decisions[i] = _retarget(d, t, 0.8, name, note)
                break


#: WordNet's watercraft ("a craft designed for water transportation"): boats, ships and every kind of them.
VESSEL = "vessel.n.02"
#: The target a ship class is read as: the general vessel target (a warship or an unknown ship class is no cargo ship
#: however many cargo ships its list holds); where a label space lacks it, the vessel target the list mostly maps to.
GENERAL_VESSEL = "boat"
#: A list is one of vessels when this share of its classes that map to a target map to a vessel (ShipRSImageNet: 16 of
#: 22, HRSC2016: 5 of 6), and at least VESSEL_LIST_MIN of them do (HRSC2016 has 5, ShipRSImageNet 16): not a list of
#: vehicles of every kind whose aircraft models WordNet lacks (FAIR1M: 8 vessels of 13 classes that map, beside buses,
#: trucks, cars and an airplane), nor a list of people's names or aircraft models with three or four boats in it.
VESSEL_LIST_SHARE = 2 / 3
VESSEL_LIST_MIN = 5
#: Naval hull-type codes a ship-class list writes after a class's name (ShipRSImageNet's ``Arleigh Burke DD``, ``Perry
#: FF``, ``Wasp LL``, ``Sanantonio AS``) or alone (``AOE``, ``EPF``): the United States Navy's hull classification
#: symbols (SECNAVINST 5030.8: battleship, cruisers, carriers, destroyers, frigates, amphibious, auxiliary, patrol and
#: submarine types), the Japanese helicopter destroyer's DDH, and ShipRSImageNet's own LL (a landing ship) and AS (an
#: auxiliary ship; the US Navy's submarine tender). A closed set: any other two or three capitals (SUV, UAV, UPS, XXL,
#: MA) are no hull type.
HULL_CODES = frozenset({
    "BB", "CA", "CG", "CGN", "CL", "CV", "CVE", "CVL", "CVN",  # battleship, cruisers, aircraft carriers
    "DD", "DDG", "DDH", "DE", "FF", "FFG", "LCS",  # destroyers, frigates, littoral combat ship
    "LCC", "LHA", "LHD", "LKA", "LL", "LPD", "LPH", "LSD", "LST",  # amphibious command, assault, dock and landing ships
    "AD", "AE", "AF", "AFS", "AGF", "AH", "AKE", "AO", "AOE", "AOR", "ARS", "AS", "ATF", "EPF", "ESB",  # auxiliaries
    "MCM", "MHC", "PC", "PG", "PHM",  # mine countermeasures and patrol
    "SS", "SSB", "SSBN", "SSG", "SSGN", "SSK", "SSN",  # submarines
})
#: A name, a space, then a hull-type code (HULL_CODES).
HULL_CODE = re.compile(r"^(?P<name>\S.*?)\s+(?P<code>[A-Z]{2,4})$")
#: Letters, digits, spaces and hyphens: a name WordNet lacks is read as a ship class's only when written so; HRSC2016's
#: names drawn as outlines (``CntShip(_|.--.--|_]=``, ``Car carrier(======|``: cargo ships) say what they are otherwise.
PLAIN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 -]*$")
#: A ship class's name WordNet lacks, written as a proper name: capitalised words of letters, each with lower case in it
#: (``Kuznetsov``, ``Abukuma``, ``WhidbeyIsland``); no acronym (``UAV``, ``Crane STS``), no lower-case word (``dontcare``), no digits
#: (aircraft models: ``Boeing 737``, ``Su-33``).
PROPER_NAME = re.compile(r"^[A-Z][A-Za-z]*[a-z][A-Za-z]*(?:[ -][A-Z][A-Za-z]*[a-z][A-Za-z]*)*$")
#: A ship class written as its lead ship's name and "-class" (HRSC2016's ``Ford-class``, ``Midway-class``): WordNet
#: reads it as a class, a group.
SHIP_CLASS = re.compile(r"^[A-Z][A-Za-z]*-class$")
#: The words WordNet names a vessel by after a common noun: ``patrol_boat``, ``cruise_ship``.
VESSEL_HEADS = ("boat", "ship", "vessel")


def _a_vessel(synset: str | None) -> bool:
    """The synset is WordNet's vessel or a kind of it (a boat, a ship, a cargo ship, a submarine)."""
    node = wn_synset(synset) if synset else None
    return node is not None and is_kind_of(node, VESSEL)


def _a_vessel_target(t: Target) -> bool:
    """The target is a watercraft: its synset is a vessel (boat, cargo_ship, barge, submarine)."""
    return _a_vessel(t.synset)


def _hull_coded(d: Decision) -> bool:
    """The name is a ship class's with a hull-type code after it (HULL_CODES): ``Arleigh Burke DD`` (read as WordNet's
    doctor of divinity's award, through the code), ``Wasp LL``, ``Austin LL``. A decision with a target keeps it unless
    that target came from reading the code itself (its synset is one of the code's senses); a name whose words before
    the code read as an artifact (``Photo DD``, a photograph) is no ship class's."""
    m = HULL_CODE.match(d.source.match_name.strip())
    if m is None or m["code"] not in HULL_CODES:
        return False
    if d.target is not None and d.synset not in {s.name() for s in noun_synsets(m["code"].lower())}:
        return False
    before = noun_synsets("_".join(m["name"].lower().split()))[:1]
    return not any(s.lexname() == "noun.artifact" for s in before)


def _a_namesake(name: str, synset: str | None) -> bool:
    """A name WordNet reads only as a person, a place, an act, an event or a group (``synset``'s lexname) names a ship
    class when WordNet has it as a proper name (an instance: ``Nimitz`` the admiral, ``Tarawa`` the atoll,
    ``Ticonderoga`` the battle, ``Midway`` the battle) or names a vessel by it (``patrol_boat``, ``cruise_ship``):
    everyday words (``Horizon``, ``Flock``, ``Rescue``, ``Captain``, ``Crew``, ``Fleet``) are no ship class's, and
    neither, so, are ``Commander`` or ``Enterprise``, which WordNet knows only as common nouns."""
    if _lexname(synset) not in {"noun.person", "noun.location", "noun.event", "noun.act", "noun.group"}:
        return False
    word = "_".join(name.lower().split())
    node = wn_synset(synset)
    if (node is not None and node.instance_hypernyms()) or any(s.instance_hypernyms() for s in noun_synsets(word)):
        return True  # the sense read (``Arleigh Burke``: Burke; ``Sanantonio``: San Antonio) or another is a proper name
    return any(_a_vessel(s.name()) for head in VESSEL_HEADS for s in noun_synsets(f"{word}_{head}"))


def _named_as_a_vessel_class(d: Decision) -> bool:
    """A class of a list of vessels named by its ship class, not by what it is: its name ends in a hull-type code
    (``_hull_coded``), or it maps to nothing and is a hull-type code alone (``AOE``, ``EPF``), a lead ship's name and
    "-class" (SHIP_CLASS: ``Ford-class``), a proper name WordNet
    lacks in every part of speech (PROPER_NAME: ``Kuznetsov``), a namesake (``_a_namesake``: ``Nimitz``, ``Patrol``),
    or is read through its head noun as a vessel the matcher takes only where the name itself names it (``Medical
    Ship``: a ship, counted as boat by ``target_kinds.csv``)."""
    name = d.source.match_name.strip()
    if _hull_coded(d):
        return True
    if d.target is not None:
        return False
    if name in HULL_CODES or SHIP_CLASS.match(name):
        return True
    if d.synset is None:
        return PROPER_NAME.match(name) is not None and not wordnet().synsets("_".join(name.lower().split()))
    if _a_namesake(name, d.synset):
        return True
    return d.resolution is not None and d.resolution.how == "head" and _a_vessel(d.synset)


def _vessel_classes(decisions: list[Decision], targets: Targets) -> None:
    """Ship-class lists (HRSC2016, ShipRSImageNet) name most of their classes by a class's lead ship, a person or a
    place (``Nimitz``, ``Midway``, ``Ticonderoga``), often with a hull-type code (``Arleigh Burke DD``, ``Wasp LL``;
    DD is WordNet's doctor of divinity): every such class is a vessel, which WordNet cannot say. In a list of vessels
    (``_list_target`` over the vessel targets: CONTEXT_MIN_CLASSES classes or more, VESSEL_LIST_SHARE of the classes
    that map on vessel targets, VESSEL_LIST_MIN at least) a class named so (``_named_as_a_vessel_class``) is the general
    vessel target (GENERAL_VESSEL, boat). A name with a thing's sense keeps it (``Sailboat``, ``Container Ship``,
    ``Dock``, ``Hovercraft``); classes with parents keep what their dataset says; a list of people, places, cars,
    birds or aircraft models is no list of vessels."""
    found = _list_target(decisions, share=VESSEL_LIST_SHARE, least=VESSEL_LIST_MIN, of=lambda name: _a_vessel_target(targets.by_name[name]))
    if found is None:
        return
    top, n = found
    t = targets.by_name.get(GENERAL_VESSEL) or targets.by_name[top]
    mapped = sum(1 for d in decisions if d.target)
    for i, d in enumerate(decisions):
        if d.source.parents or (d.target and _a_vessel_target(targets.by_name[d.target])) or not _named_as_a_vessel_class(d):
            continue
        note = f"a ship class's name, in a list where {n} of the {mapped} classes that map are vessels"
        # 0.5: a reading from the list, not the name, as _list_context's; the sense read is kept only where it is a
        # vessel: an admiral's or a degree's is not what the class is
        decisions[i] = _retarget(d, t, 0.5, d.synset if _a_vessel(d.synset) else None, note)


#: ... and where its targets are kinds of one target, a fine-grained list of that kind is long (CUB's 200 birds,
#: BIRDS 400, Stanford Dogs' 120 breeds, Oxford's 102 flowers): in a short list of boats, ferries, kayaks and yachts an
#: unknown name is as likely a catch-all (``Other``) or a thing of another kind (a ``Buoy``; ship names beside birds).
CONTEXT_KIND_MIN_CLASSES = 100


def _list_kind_target(decisions: list[Decision], targets: Targets) -> tuple[str, int] | None:
    """The target whose kind a long list's classes mostly are, counting the classes on kinds of it with it
    (CONTEXT_SHARE of its classes, CONTEXT_KIND_MIN_CLASSES or more), and how many are: BIRDS 400's 271 birds with its
    parrots, ducks, owls, eagles and the rest (326 of 400) make it a list of birds, where no one target holds three
    quarters."""
    counts = Counter(d.target for d in decisions if d.target)
    if len(decisions) < CONTEXT_KIND_MIN_CLASSES or not counts:
        return None
    top = counts.most_common(1)[0][0]
    node = wn_synset(targets.by_name[top].synset or "")
    if node is None:
        return None
    kin = {name for name in counts if name == top or (targets.by_name[name].synset and is_kind_of(wn_synset(targets.by_name[name].synset), node.name()))}
    n = sum(counts[name] for name in kin)
    return (top, n) if n >= CONTEXT_SHARE * len(decisions) else None


def _list_context(decisions: list[Decision], targets: Targets, *, binomials: bool = False) -> None:
    found_target = _list_target(decisions) or _list_kind_target(decisions, targets)
    if found_target is None:
        return
    top, n = found_target
    t = targets.by_name[top]
    tnode = wn_synset(t.synset) if t.synset else None
    for i, d in enumerate(decisions):
        if d.target is not None or d.source.parents:
            continue
        synset, detail = None, f"a name WordNet does not know, in a list where {n} of {len(decisions)} classes are {top}"
        if d.synset is not None:
            # another sense of the name is that kind: Stanford Dogs' "chow" is the chow chow, not food
            found = resolve(d.source.match_name, parents=(tnode,) if tnode is not None else (), binomials=binomials) if tnode is not None else None
            if found is None or found.synset is None or tnode not in ancestors(wn_synset(found.synset)):
                continue
            synset, detail = found.synset, f"{found.synset} is a kind of {top}, as {n} of the {len(decisions)} classes in its list are"
        option = Option(t.name, t.id, "hypernym", 0.5, detail)
        decisions[i] = Decision(d.source, t.name, t.id, "hypernym", 0.5, synset, [option, *d.options], detail, d.resolution)


#: A list is one of organisms of one kind (``_organism_list_target``) when this share of its classes mapped to targets
#: other than people is on one target that is an animal or a plant, at least CONTEXT_MIN_CLASSES classes in the list:
#: IP102's crop pests map to insect 30 times beside caterpillars and a spider (a share of about 0.7).
ORGANISM_LIST_SHARE = 0.5
#: ... and at least this many of its classes are on that target: iNaturalist's supercategories (Aves, Insecta,
#: Mammalia, one class each) are no list of one kind.
ORGANISM_LIST_MIN = 3
#: What a species name may end in instead of an epithet: "Dasineura sp" (one unnamed species), "spp" (several).
UNNAMED_SPECIES = frozenset({"sp", "spp"})
#: The author and year a scientific name may cite in parentheses: "Dacus dorsalis(Hendel)".
CITED_AUTHOR = re.compile(r"\s*\([^()]*\)\s*$")
#: The fewest letters of a genus WordNet lacks: a shorter unknown word is rather an abbreviation, a code or a brand
#: (``ups``, ``kia``) than a genus, and the few genera of three letters are ones WordNet has (Bos, Sus).
MIN_GENUS_LETTERS = 4
#: The endings of Latin names of taxa above the genus (family, subfamily, superfamily, tribe, order of plants, family
#: of plants): IP102's ``Limacodidae``, ``Locustoidea``. A lone capitalised word is read as a taxon with one of them.
TAXON_ENDINGS = ("idae", "inae", "oidea", "ini", "ales", "aceae")
#: A list holds Latin names when this many of its names or more are written as a genus and an epithet
#: (``scientific_shaped``): a lone capitalised word WordNet lacks is a genus only there (IP102's ``Ampelophaga``), and
#: a two-word name only beside another (Oxford-IIIT Pet's ``shiba_inu`` is a breed, no genus and epithet).
LATIN_LIST_MIN = 2


def _name_words(name: str) -> list[str]:
    """The words of a name written as a scientific name, an author cited in parentheses left out."""
    return [w.rstrip(".") for w in re.split(r"[\s_]+", CITED_AUTHOR.sub("", name).strip()) if w]


def _an_epithet(word: str) -> bool:
    """A word written as a species' epithet after a genus: lower case and no WordNet common noun (``delicatula``,
    ``maculata``; ``toy``, ``doll`` are nouns, an English name's head; a name of one person or place, WordNet's
    instances, may be one: Ceroplastes ``rubens``, Rubens a painter), or ``sp``; a one-letter word is an abbreviation
    and passes (IP102's ``Tetradacus c Bactrocera minax``)."""
    common = [n for n in noun_synsets(word) if not n.instance_hypernyms()]
    return word.islower() and (word in UNNAMED_SPECIES or len(word) == 1 or not common)


def scientific_shaped(name: str) -> str | None:
    """The genus word of a name written as a scientific name whose genus WordNet does not know, else None: a genus and
    an epithet (``_an_epithet``), maybe an author after them (IP102's ``Lycorma delicatula``, ``Icerya purchasi
    Maskell``, ``therioaphis maculata Buckton``, ``Dacus dorsalis(Hendel)``), a genus and ``sp`` (``Dasineura sp``),
    or a genus or family alone, capitalised (``Ampelophaga``, ``Limacodidae``). Every word is letters; the first, of
    MIN_GENUS_LETTERS or more, is no WordNet word at all (``Rice Stemfly`` and ``flax budworm`` are English) and,
    after its first letter, lower case (no acronym). A dog toy's ``Kong toy`` is no genus and epithet (a toy is a
    noun); whether a lone word is a genus its list tells (``_scientific_names_of_their_list``)."""
    words = _name_words(name)
    if not 1 <= len(words) <= 5 or not all(w.isalpha() for w in words):
        return None
    genus = words[0]
    if len(genus) < MIN_GENUS_LETTERS or not genus[1:].islower() or wordnet().synsets(genus.lower()):
        return None
    if len(words) == 1:
        return genus if genus[0].isupper() else None
    return genus if _an_epithet(words[1]) else None


def _organism_list_target(decisions: list[Decision], targets: Targets) -> Target | None:
    """The target a list of organisms of one kind mostly maps to (``_list_target``: ORGANISM_LIST_SHARE of its classes
    mapped to targets other than people and ORGANISM_LIST_MIN of them at least, in a list of CONTEXT_MIN_CLASSES classes
    or more), when it is an animal or a plant, else None."""
    person = targets.by_name.get("person")
    found = _list_target(decisions, share=ORGANISM_LIST_SHARE, least=ORGANISM_LIST_MIN, but=person.name if person is not None else None)
    if found is None:
        return None
    t = targets.by_name[found[0]]
    return t if _organism_sense(t.synset) is not None else None


def _scientific_names_of_their_list(decisions: list[Decision], targets: Targets) -> None:
    """A scientific name WordNet does not know (``scientific_shaped``) is of the kind its list is made of, in a list
    of organisms of one kind (``_organism_list_target``): IP102 names its crop pests by English names WordNet knows
    (rice leaf roller, mole cricket, aphids: insects) and by Latin ones it lacks (``Lycorma delicatula``, the spotted
    lanternfly; ``Dasineura sp``; ``Ampelophaga``), and a list's Latin names are of the kind its English ones are. Only
    in a list that holds Latin names (LATIN_LIST_MIN names of a genus and an epithet or more), but a lone capitalised
    word with the ending of a family or another taxon (TAXON_ENDINGS, ``Limacodidae``) in any such list: a dog list's
    ``Nylabone`` and ``shiba_inu`` are no genera. Only in a list of one kind: V3Det's Latin fishes, fungi and insects
    sit among thousands of kinds and stay unmapped. A mite among the insects (``Panonchus citri McGregor``) is read as
    one too, which its name cannot tell; a name WordNet reads as an organism (``longlegged spider mite``, a mite) is no
    unknown name. Classes with parents, a target or a note keep theirs."""
    t = _organism_list_target(decisions, targets)
    if t is None:
        return
    shaped = [scientific_shaped(d.source.match_name) for d in decisions]
    latin = sum(1 for d, genus in zip(decisions, shaped) if genus is not None and len(_name_words(d.source.match_name)) > 1) >= LATIN_LIST_MIN
    for i, (d, genus) in enumerate(zip(decisions, shaped)):
        if d.target is not None or d.source.parents or d.by_a_rule or _organism_sense(d.synset) is not None:
            continue  # an organism WordNet knows was read as such: a spider mite is no insect
        if genus is None or not (latin or genus.lower().endswith(TAXON_ENDINGS)):
            continue
        decisions[i] = _retarget(d, t, 0.5, None, f"{genus!r} is a genus WordNet does not know, in a list of {t.name} with Latin names")


def table_bytes(decisions: list[Decision]) -> bytes:
    """A mapping table in the columns of ``taxonomy/mappings/*.csv`` (``COLUMNS``)."""
    return rows_bytes(d.row() for d in decisions)


def rows_bytes(rows) -> bytes:
    """Table rows (dicts keyed by ``COLUMNS``) as the shipped tables' CSV text."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    # csv quotes a field holding the line terminator, not one holding a lone "\r" (which a reader
    # takes for a line end): such a row is written with every field quoted
    quoted = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    for r in rows:
        record = {c: r.get(c, "") for c in COLUMNS}
        (quoted if any("\r" in str(v) for v in record.values()) else writer).writerow(record)
    return buf.getvalue().encode("utf-8")


def write_table(decisions: list[Decision], path) -> Path:
    """Write one mapping table atomically (a temporary file renamed over ``path``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _replace(path, table_bytes(decisions))
    return path


def build(targets: Targets, *, overrides: bool = True, sources=SOURCES) -> dict[str, list[Decision]]:
    matcher = Matcher(targets)
    table = load_overrides() if overrides else {}
    result = {}
    for source in sources:
        decisions = []
        for c in source_classes(source):
            d = matcher.decide(c)
            o = table.get((source, c.name))
            decisions.append(apply_override(d, o, targets) if o else d)
        result[source] = decisions
    unknown = [k for k in table if k[0] in sources and k[1] not in {c.name for c in source_classes(k[0])}]
    if unknown:
        raise ValueError(f"overrides name classes that do not exist: {unknown}")
    return result


class LabelSpaceMismatch(ValueError):
    """Mapping tables built for another label space than the one asked for."""


def fingerprint(ids_and_names) -> str:
    """A label space's identity: the SHA-256 of its (id, name) pairs, in order."""
    text = "".join(f"{i}\t{name}\n" for i, name in ids_and_names)
    return hashlib.sha256(text.encode()).hexdigest()


def label_space_fingerprint(targets: Targets) -> str:
    return fingerprint((t.id, t.name) for t in targets)


def shipped_fingerprint() -> str:
    """The fingerprint of bigdet600, the label space of the shipped tables (no WordNet needed)."""
    return fingerprint(enumerate(reference.bigdet600_classes(), start=1))


def _record(directory: Path) -> dict:
    path = Path(directory) / LABEL_SPACE_FILE
    if not path.exists():
        return {}
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise LabelSpaceMismatch(f"{path}: damaged; rebuild the tables with `bigdet taxonomy build`") from None
    return record if isinstance(record, dict) else {}


def write_tables(result: dict[str, list[Decision]], out_dir: Path, label_space: Targets) -> list[Path]:
    """Write one CSV per source and, last, ``label_space.json`` recording the label space and the
    tables' hashes (a run killed in between leaves tables that ``read_table`` refuses, not trusts)."""
    out_dir = Path(out_dir)
    fp = label_space_fingerprint(label_space)
    if out_dir.resolve() == MAPPINGS_DIR.resolve() and fp != shipped_fingerprint():
        raise ValueError(
            f"{out_dir} holds the shipped bigdet600 tables; tables for the label space {label_space.name!r} "
            f"({len(label_space)} classes) must go elsewhere: give --out DIR"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    record = _record(out_dir)
    tables = record.get("tables", {}) if record.get("fingerprint") == fp else {}
    written = []
    for source, decisions in result.items():
        path = out_dir / f"{source}.csv"
        data = table_bytes(decisions)
        tables.pop(source, None)
        _replace(path, data)
        tables[source] = hashlib.sha256(data).hexdigest()
        written.append(path)
    record = {"label_space": label_space.name, "classes": len(label_space), "fingerprint": fp, "tables": dict(sorted(tables.items()))}
    path = out_dir / LABEL_SPACE_FILE
    _replace(path, (json.dumps(record, indent=2, sort_keys=True) + "\n").encode())
    written.append(path)
    return written


def _replace(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # per process: two builds never share it
    tmp.write_bytes(data)
    os.replace(tmp, path)


def read_table(source: str, directory: Path = MAPPINGS_DIR, *, label_space: Targets | None = None) -> tuple[dict, ...]:
    """The rows of a source's table. With ``label_space``: only if the table was built for exactly
    that label space and not changed since (else LabelSpaceMismatch, a ValueError)."""
    path = Path(directory) / f"{source}.csv"
    if not path.exists():
        raise FileNotFoundError(f"{path}: no mapping table; run `bigdet taxonomy build`")
    data = path.read_bytes()
    if label_space is not None:
        _check_label_space(path, data, label_space)
    return _rows(data)


@lru_cache(maxsize=16)
def _rows(data: bytes) -> tuple[dict, ...]:
    return tuple(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def _check_label_space(path: Path, data: bytes, label_space: Targets) -> None:
    record = _record(path.parent)
    want = label_space_fingerprint(label_space)
    fix = "restore the shipped tables (git checkout taxonomy/mappings) or rebuild them with `bigdet taxonomy build`"
    if not record:
        raise LabelSpaceMismatch(f"{path}: no {LABEL_SPACE_FILE} beside it says which label space it maps onto; {fix}")
    if record.get("fingerprint") != want:
        raise LabelSpaceMismatch(
            f"{path}: built for the label space {record.get('label_space')!r} ({record.get('classes')} classes), "
            f"not for {label_space.name!r} ({len(label_space)} classes) being merged; {fix}"
        )
    if record.get("tables", {}).get(path.stem) != hashlib.sha256(data).hexdigest():
        raise LabelSpaceMismatch(f"{path}: changed since it was built for {label_space.name!r} (its hash is not the one recorded); {fix}")
