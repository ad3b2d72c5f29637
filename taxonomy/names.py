"""Class names to WordNet synsets: normalization, candidate senses, disambiguation by context.

A name like ``Tape Measur/ Ruler`` becomes the alternatives ``tape measure`` and ``ruler`` (typo
fixed, split on ``/``); each is looked up as a WordNet noun (with ``_``, ``-`` or no separator, and
plural forms through WordNet's morphology). Every candidate sense gets a score:

* +2 if its lexicographer file holds physical things (artifact, animal, food, plant, object,
  body, substance): a box is drawn around a thing, not an act or a feeling; +1 for people and
  for communication (posters, books, signs), which are drawn around but lose to an object
  (``Pitcher`` is a jug before it is a baseball player);
* +3 if it descends from the synset of one of the class's parents in its source's hierarchy
  (Open Images ``Jaguar`` under ``Carnivore`` is the cat, not the car);
* +0.5 for a food sense of a name that also names a plant (``Red Cabbage`` the vegetable, not
  the plant: detection boxes are drawn around produce);
* +1 if it is the synset of a target class (the label space was built from these sources);
  +1.5 more if that target has exactly this name (``hedgehog`` the target, not the porcupine WordNet
  lists first); a target's name WordNet does not know brings the target's synset as a candidate;
* -0.25 per rank in WordNet's sense order (the first sense is the most frequent);
* -0.5 for alternatives after the first (``Moniter/TV`` is first of all a monitor).

A compound WordNet does not know (``Kitchen knife``) falls back to its head noun (``knife``), which
only says what the class is a kind of: such candidates are marked ``head`` and get no target bonus,
and mapping treats them as hypernym evidence, after exact names (``Jet ski`` is LVIS's water
scooter by name, not a ski). Names WordNet does not know at all are
matched to its lemmas with rapidfuzz (``resolve(..., fuzzy=True)``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from .wordnet import PHYSICAL_LEXNAMES, ancestors, is_kind_of, noun_synsets, wordnet

#: Words that say nothing about what the object is.
NOISE_WORDS = ("other",)
#: Words that say a class's objects were not recognized or not labelled (SUNCG's ``unknown``, a ``misc`` or
#: ``unlabeled`` class): a name made of these alone (and ``NOISE_WORDS``) is no class of a thing, whatever noun
#: sense WordNet gives the word (its ``unknown`` is a stranger, a person). Such a word before a noun (an
#: ``unknown vehicle``) leaves the noun's reading to the other rules.
UNLABELLED_WORDS = frozenset(
    {"unknown", "unidentified", "unlabeled", "unlabelled", "misc", "miscellaneous", "undefined", "unclassified", "unspecified"}
)
#: COCO-Stuff's label suffixes: "door-stuff" is its door, "food-other" its other food.
STUFF_SUFFIXES = ("other", "stuff")
FUZZY_CUTOFF = 90.0


HALF_PHYSICAL = frozenset({"noun.person", "noun.communication"})


@dataclass
class Candidate:
    synset: str
    score: float
    alternative: str
    reasons: list[str] = field(default_factory=list)
    head: bool = False  # found through the head noun of a compound: a hypernym of the class


@dataclass
class Resolution:
    synset: str | None
    how: str  # wordnet, head, target_name, fuzzy
    alternatives: list[str]
    candidates: list[Candidate]


def display_name(name: str) -> str:
    return name.replace("_", " ").strip()


def says_unlabelled(name: str) -> bool:
    """The name only says its objects are not known or not labelled (``UNLABELLED_WORDS``): SUNCG's ``unknown``,
    an ``Unlabeled``, a ``misc_other``; digits and separators aside."""
    words = [w for w in re.split(r"[^a-z]+", name.lower()) if w]
    return any(w in UNLABELLED_WORDS for w in words) and all(w in UNLABELLED_WORDS or w in NOISE_WORDS for w in words)


def lists_synonyms(name: str) -> bool:
    """A comma-separated name lists synonyms of one class (ImageNet's "mouse, computer mouse"; WordNet's own lemmas):
    the sense they agree on is the class's (``resolve``)."""
    return "," in name


def alternatives(name: str) -> list[str]:
    """Normalized alternative names: lower case, words joined by ``_``, split on ``/``. A single
    word after a slash may replace the last word before it when that makes a WordNet noun:
    Objects365's ``trash bin/can`` is "trash bin" or "trash can", not a tin can."""
    out = []
    parts = []
    for synonym in name.split(","):  # ImageNet's "candle, taper, wax light": synonyms of one class
        slashed = synonym.split("/")
        for i in range(1, len(slashed)):
            before, after = slashed[i - 1].split(), slashed[i].split()
            if len(before) > 1 and len(after) == 1 and noun_synsets(" ".join(before[:-1] + after)):
                slashed[i] = " ".join(before[:-1] + after)
        parts += slashed
    for part in parts:
        # Caltech-256's "helicopter-101": a trailing number after a word is an index, no part of the name
        part = NUMBER_SUFFIX.sub("", part)
        text = re.sub(r"\s+", " ", part.replace("&", " and ").strip().lower())
        text = re.sub(r"\(([^)]*)\)", r" \1 ", text).strip()  # "football (american)" -> "football american"
        words = [w for w in re.split(r"[\s_]+", text) if w]
        joined = "_".join(words)
        if "-" in joined and not noun_synsets(joined) and not noun_synsets(joined.replace("-", "_")):
            # Words joined by hyphens that WordNet does not know as one: the Grocery Store dataset's
            # "Brown-Cap-Mushroom", COCO-Stuff's "door-stuff" (whose "-stuff" and "-other" only mark
            # a stuff label). WordNet's own hyphenated lemmas ("hot-air balloon") stay whole.
            words = [x for w in words for x in w.split("-") if x]
            while len(words) > 1 and words[-1] in STUFF_SUFFIXES:
                words = words[:-1]
        if len(words) > 1 and participle(words[0]) and not _names_thing(noun_synsets(words[0])) and not noun_synsets("_".join(words)):
            # A participle naming no thing before the noun says what the thing does or how it stands
            # (SemanticKITTI's "moving-person", a "parked car"): the thing is what the rest names, and
            # the name is read as the rest (it then meets its target by name).
            # Only for what moves or stands (a person, an animal, a vehicle, in the first sense WordNet
            # gives): a "drying machine", a "cleaning agent" or a "potted plant" is a thing for or in a state;
            # and only for a participle of motion, posture or bodily state (``_keeps_identity``): a grilled
            # fish, a roasted duck or a stuffed bear is food or a toy, no longer the animal.
            rest = [w for w in words[1:] if w not in NOISE_WORDS] or words[1:]
            if _keeps_identity(words[0]) and takes_postures(noun_synsets("_".join(rest))[:1]):
                words = rest
        while words and words[0] in NOISE_WORDS and len(words) > 1:
            words = words[1:]
        words = without_condition(words)
        words = without_absent_part(words)
        if len(words) == 1:
            words = list(split_joined(words[0]) or words)
        if words:
            alt = "_".join(words)
            if alt not in out:
                out.append(alt)
    return out


#: Words after a thing that say only what state it is in, as a disaster or road survey grades what it sees (RescueNet's
#: ``Building-No-Damage``, ``Road-Blocked``): the thing stays what it is. Participles and adjectives of a state say it
#: alone; nouns of a state (``CONDITION_NOUNS``) only after a grade (``CONDITION_GRADES``), since a "water damage" is
#: damage, no water.
CONDITION_STATES = frozenset({"clear", "blocked", "broken", "damaged", "undamaged", "destroyed", "flooded", "collapsed", "intact", "burnt", "burned"})
CONDITION_NOUNS = frozenset({"damage", "destruction"})
CONDITION_GRADES = frozenset({"no", "minor", "major", "total", "partial", "severe", "moderate", "complete", "slight", "heavy", "light"})


def without_condition(words: list[str]) -> list[str]:
    """A name's words without the words after its thing that only grade the thing's state (``CONDITION_STATES``, or a
    grade then a noun of a state: RescueNet's ``Building-Minor-Damage`` is the building, its ``Road-Clear`` the road),
    where the words before them name a physical thing WordNet knows and the whole is no WordNet noun; else the words."""
    for k in range(1, len(words)):
        rest = words[k:]
        graded = len(rest) > 1 and rest[-1] in CONDITION_NOUNS and all(w in CONDITION_GRADES for w in rest[:-1])
        stated = all(w in CONDITION_STATES or w in CONDITION_GRADES for w in rest) and any(w in CONDITION_STATES for w in rest)
        if graded or stated:
            thing = noun_synsets("_".join(words[:k]))
            return words[:k] if _names_thing(thing[:1]) and not a_wordnet_noun(words) else words
    return words


#: Words that say a thing is absent. Leading a name they say the class is of the thing's absence (Construction-PPE's
#: ``no_helmet``, ``no_gloves``: a bare head or hands boxed for the missing gear), which names no object; after a thing
#: they say what it lacks (iGibson's ``bottom_cabinet_no_top`` is a cabinet without its top), and the thing stays.
ABSENCE_WORDS = frozenset({"no", "without", "missing", "absent", "lacking"})


def without_absent_part(words: list[str]) -> list[str]:
    """A name's words without an absence word (``ABSENCE_WORDS``) after its thing and what follows it (iGibson's
    ``bottom_cabinet_no_top`` is the bottom cabinet, ``person_no_mask`` a person), where the words before it, or the last
    of them, name a physical thing or a person WordNet knows and the whole is no WordNet noun; else the words."""
    for k in range(1, len(words) - 1):
        if words[k] in ABSENCE_WORDS:
            thing = noun_synsets("_".join(words[:k])) or noun_synsets(words[k - 1])
            return words[:k] if _a_thing_or_person(thing[:1]) and not a_wordnet_noun(words) else words
    return words


def a_wordnet_noun(words: list[str]) -> bool:
    """The name's words joined are a noun WordNet knows whole (the ``missing link``, no absence)."""
    return bool(noun_synsets("_".join(words)))


def _a_thing_or_person(senses) -> bool:
    """Some sense is of a physical lexicographer file (``_names_thing``) or is person.n.01, which WordNet files with
    its top nodes (``person_no_mask`` is a person)."""
    return _names_thing(senses) or any(s.name() == "person.n.01" for s in senses)


#: A number ending a name after "-" or "_" ("helicopter-101", "menorah_2"), following a word of at
#: least two letters: an index the dataset gives, no part of what the class is ("B-52" keeps its number).
NUMBER_SUFFIX = re.compile(r"(?<=[^\W\d_]{2})[-_]\d+\s*$")


#: The shortest part a joined word is split into: "tv" of PASCAL VOC's "tvmonitor".
MIN_JOINED_PART = 2


@lru_cache(maxsize=None)
def split_joined(word: str) -> tuple[str, str] | None:
    """Two words written as one (PASCAL VOC's ``diningtable``, ``tvmonitor``), or None: a word that
    is no WordNet noun itself, split where the two parts are a compound WordNet knows ("dining
    table", "tv monitor"), else where a material is joined to an artifact whose first sense WordNet defines
    with that material (ALFRED's ``Glassbottle``: "a glass or plastic vessel"). Two nouns that WordNet does not know together are no evidence: CUB's
    ``Gadwall`` (a duck WordNet lacks) is no "gad wall"."""
    if "-" in word or len(word) < 2 * MIN_JOINED_PART or noun_synsets(word):
        return None
    for i in range(MIN_JOINED_PART, len(word) - MIN_JOINED_PART + 1):
        if noun_synsets(f"{word[:i]}_{word[i:]}"):
            return word[:i], word[i:]
    for i in range(MIN_MATERIAL_PART, len(word) - MIN_MATERIAL_PART + 1):
        # ALFRED's "Glassbottle": a material before an artifact WordNet defines as made of it ("a glass or
        # plastic vessel") is that artifact; a fatbike is no fat motorcycle
        material, thing = noun_synsets(word[:i]), noun_synsets(word[i:])
        if thing and thing[0].lexname() == "noun.artifact" and any(s.lexname() == "noun.substance" for s in material[:1]):
            if re.search(rf"\b{re.escape(word[:i])}\b", thing[0].definition().lower()):
                return word[:i], word[i:]
    return None


#: The shortest parts of a material joined to an artifact ("glass" + "bottle"): no two-letter word.
MIN_MATERIAL_PART = 3


def _lookup(alt: str, *, binomial: bool = False, bound: frozenset = frozenset()) -> tuple[list, str | None]:
    """Senses of an alternative, and the word(s) of it they are the senses of when that is its head
    noun only (None: the whole alternative's). ``binomial``: the name is written in lower case, as
    a Latin species name may be (``genus_kind``). ``bound``: prepositions that start no phrase after the
    head noun (``_before_preposition``), those the name as written joins by a hyphen ("clip-on")."""
    found = noun_synsets(alt)
    if found and all(s.lexname() == "noun.act" for s in found):
        # A sport names its ball in Objects365 ("Tennis", "Soccer"): the box holds an object.
        ball = noun_synsets(alt + "_ball") or (noun_synsets(alt[:-1] + "_ball") if alt.endswith("s") else [])  # billiards
        if ball:
            return ball + found, None
    if not found and "_" in alt:
        found = noun_synsets(alt.replace("_", "-"))
    if not found and "_" in alt and binomial:
        kind = genus_kind(alt.split("_"))
        if kind is not None:
            return [kind], alt.split("_")[0]
    if not found and "_" in alt:  # "bronze sculpture" -> "sculpture"
        words = alt.split("_")
        before = _before_preposition(words, bound)
        if before is not None:
            # the head of "N on ..." is N
            senses, head_word = _lookup(before, bound=bound)
            return senses, head_word or before
        last, first = noun_synsets(words[-1]), noun_synsets(words[0])
        if participle(words[-1]) and not _names_thing(last) and takes_postures(first):
            # An English compound's head is its last word, unless that word is a participle naming
            # no thing and the first word names what has postures and motions (a person, an animal, a
            # vehicle): KITTI's "Person_sitting" is a person, its "sitting" only an act. The first word
            # is then the head. Other compounds keep theirs: "Office supplies" are supplies, a dish
            # WordNet lacks ("beef_carpaccio") no beef, an activity ("Wind_surfing", "Tree_planting") no wind.
            return first, words[0]
        # not across "and": "salt and pepper shakers" share their last word, no pepper shaker alone
        for k in range(1, len(words) - 1 if "and" not in words else 1):
            # the longest final part WordNet knows is the head: TACO's "Plastified paper bag" is a paper
            # bag (WordNet's sack), not only some bag; unless its first word ends a modifier WordNet
            # knows ("table tennis racket" is a racket for table tennis, no tennis racket)
            tail = noun_synsets("_".join(words[k:]))
            if tail and not noun_synsets("_".join(words[: k + 1])):
                return _made_into(words[0], tail), "_".join(words[k:])
        return _made_into(words[0], last), words[-1]
    return found, None


def head_senses(name: str) -> list:
    """The WordNet senses a name (one alternative, words joined by ``_``) is read in: its own, or its head noun's
    when WordNet does not know it whole ("bronze_sculpture": the sculpture's)."""
    return _lookup(name)[0]


#: Prepositions that attach a phrase after a noun (where it is, what it carries or goes with): "person on
#: vehicle", "persons with unusual postures". Not "of", whose noun is as often a quantity, a part or a
#: container of what follows ("group of people", "slice of pizza", "leg of a chair").
PREPOSITIONS = frozenset({"on", "in", "at", "with", "without", "under", "over", "above", "below", "behind", "beside", "near", "inside", "onto", "into"})


#: Words before a prepositional phrase's noun that say nothing of it ("on a stone board").
ARTICLES = frozenset({"a", "an", "the"})


def hyphened_prepositions(name: str) -> frozenset:
    """The prepositions a name writes joined by a hyphen to a word before or after them, and nowhere as a word of
    their own: part of a modifier ("clip-on earrings", "screw-in light bulb", "person with in-ear headphones"), no
    phrase after a noun. A preposition the name also writes free ("man in car with in-ear headphones") may start
    a phrase: its first free use after a word is what ``_before_preposition`` finds, as it finds no hyphened one."""
    words = [w for w in re.split(r"[^\w-]+|_", name.lower()) if w]
    joined = {part for w in words if "-" in w for part in w.split("-")}
    return frozenset((joined & PREPOSITIONS) - set(words))


def _any_food(senses: list) -> bool:
    """Some of the senses is a food."""
    return any(s.lexname() == "noun.food" for s in senses)


def _first_food(senses: list) -> bool:
    """The first of the senses is a food."""
    return _any_food(senses[:1])


def _meat(senses: list) -> bool:
    """The senses name an animal and also a food (some sense of each): beef (cattle), shrimp (first a small
    person, in WordNet), crab, fish, salmon, turkey, rabbit."""
    animal = _animal()
    return any(s == animal or animal in ancestors(s) for s in senses) and _any_food(senses)


def _cooked(words: list[str], senses: list) -> bool:
    """The words (read in ``senses``) name a food first, or name one after a participle that makes a thing into
    another (``_made_by``: V3Det's "Stir-fried Beef", beef that is also cattle, is the meat)."""
    return _first_food(senses) or (_any_food(senses) and any(_made_by(w) for w in words[:-1]))


def _before_preposition(words: list[str], bound: frozenset = frozenset()) -> str | None:
    """The noun a prepositional phrase follows, in a name WordNet does not know (MOTChallenge's
    ``person_on_vehicle``, CityPersons' ``other persons with unusual postures``): English puts a noun's
    head before such a phrase, so the class is a kind of what the words before the first preposition
    (``PREPOSITIONS``) name, not of the phrase's last noun (a vehicle, postures). None when no such
    preposition follows a word (one the name joins by a hyphen, in ``bound``, starts none: ``hyphened_prepositions``;
    a later free one may), the words before it name no thing, or a dish is named by its ingredients:
    the words before it are first a food or a cooked one (``_cooked``: "stir-fried beef with arugula"), those
    after it are first a food (UEC FOOD's ``eels on rice`` is a rice dish, as the old reading had it; ``beef with
    potatoes``), or the words before it name an animal that is also meat (``_meat``) and those after it have some
    food sense (``_any_food``: ``beef with broccoli``, ``shrimp with broccoli``, ``fish in batter``, ``salmon on
    plate``, ``turkey on table``, where broccoli, batter, plate and table are foods too). An animal that is also
    meat is no dish where what follows is no food (``dog on leash``, ``bird on wire``, ``fish in aquarium``,
    ``cow in field``), though ``duck on water`` is none for it (WordNet's water is a drink as well); nor is a head
    that names no animal (``hot dog with mustard``: WordNet's hot dog is a show-off or the sausage; ``cup on
    table``, ``plate with food``)."""
    at = next((i for i, w in enumerate(words) if w in PREPOSITIONS - bound and 0 < i < len(words) - 1), None)
    if at is None:
        return None
    after = [w for w in words[at + 1:] if w not in ARTICLES]
    head = head_senses("_".join(words[:at]))  # each side looked up once, for every food test below
    if _cooked(words[:at], head):
        return None
    if after:
        tail = head_senses("_".join(after))
        if _first_food(tail) or (_meat(head) and _any_food(tail)):
            return None
    return named_thing(words[:at], bound)


def prepositional_head(name: str) -> str | None:
    """The words (joined by ``_``) a class name puts before a prepositional phrase, read as its head
    (``_before_preposition``: "man_on_bicycle" -> "man"), or None: a name WordNet knows whole
    ("jack-in-the-box"), or one whose only prepositions are joined by a hyphen, modifiers (``hyphened_prepositions``:
    "clip-on earrings"; "person with in-ear headphones" -> "person")."""
    alts = alternatives(name)
    if not alts or noun_synsets(alts[0]) or noun_synsets(alts[0].replace("_", "-")):
        return None
    return _before_preposition(alts[0].split("_"), hyphened_prepositions(name))


#: WordNet's colour (an attribute): the chromatic and achromatic colours are kinds of it.
COLOUR = "color.n.01"


def colour_word(word: str) -> bool:
    """Some noun sense of the word is a colour (green, red, yellow; orange and white as well, though WordNet's
    first orange is the fruit and its first white a person): ``mapping.colour_stems`` asks it only of a word a
    list writes after one stem with other colours."""
    return any(is_kind_of(s, COLOUR) for s in noun_synsets(word))


#: WordNet's object ("a tangible and visible entity"): person.n.01 and animal.n.01 are kinds of it, filed with the top nouns.
OBJECT = "object.n.01"


def named_thing(words: list[str], bound: frozenset = frozenset()) -> str | None:
    """The words joined, when their first WordNet sense is a thing one draws a box around (a physical one,
    a person or a sign: a traffic light is WordNet's signal, noun.communication; or a top noun that is an
    object, as person.n.01 is), else None: "light" before "green" is first WordNet's light, a radiation. ``bound``:
    the prepositions that start no phrase in them (``_lookup``)."""
    before = "_".join(words)
    first = _lookup(before, bound=bound)[0][:1]
    return before if first and (first[0].lexname() in HALF_PHYSICAL or a_thing(first[0])) else None


def a_thing(sense) -> bool:
    """A sense of a physical lexicographer file, or a top noun that is an object (person.n.01, animal.n.01).
    One sense, where ``_names_thing`` asks whether any of a name's senses is physical: that older test keeps the
    lexicographer files only, as every whole name's scoring does (a whole "person" meets person.n.01 through the
    target's name); this one also admits the top nouns that are objects, for a head noun or the words before a
    phrase, which no target's name reaches."""
    return sense.lexname() in PHYSICAL_LEXNAMES or is_kind_of(sense, OBJECT)


#: WordNet's adjectives of imitation: "not genuine; imitating something superior" (mock, bogus, pseudo) and
#: "contrived by art rather than nature" (fake, dummy, faux, simulated).
IMITATION_ADJECTIVES = frozenset({"counterfeit.a.01", "artificial.a.01"})

#: WordNet's plaything: a toy.
PLAYTHING = "plaything.n.01"
#: WordNet's plaything (toy, doll, puppet, lego) and creation, "an artifact that has been brought into existence by
#: someone" (a statue, a picture, a photograph, a drawing, a painting, a scarecrow, a mannequin, a fake): a likeness.
LIKENESS_KINDS = frozenset({PLAYTHING, "creation.n.02"})


def _imitation(word: str) -> bool:
    """A modifier that makes its head an imitation, a likeness or a thing made of something: a word that names
    a material (any of its noun senses a substance: plastic, cardboard, snow), a likeness (any of its noun senses
    a kind of ``LIKENESS_KINDS``: toy, lego, doll, statue, picture, fake), or an adjective of imitation
    (``IMITATION_ADJECTIVES``: dummy, mock). Any other artifact is what the person uses or where they are
    (a wheelchair, camera, bicycle or bus person is a person)."""
    nouns = noun_synsets(word)
    if any(s.lexname() == "noun.substance" or is_kind_of(s, *LIKENESS_KINDS) for s in nouns):
        return True
    return any(s.name() in IMITATION_ADJECTIVES or IMITATION_ADJECTIVES & {x.name() for x in s.similar_tos()} for s in wordnet().synsets(word, "a"))


def _modifiers(alt: str, head_word: str) -> list[str]:
    """The words of an alternative before its head noun ("toy" of "toy_person"; none of "person_on_vehicle")."""
    at = f"_{alt}_".find(f"_{head_word}_")
    return alt[:at].strip("_").split("_") if at > 0 else []


def _kin_of_modifier(modifier: str, head_word: str, senses: list, targets: frozenset) -> list:
    """A head noun's senses that are targets (``targets``: synset names) of the kind of the noun directly before it,
    where the two words name kinds of one thing, listed together as one class: a sense whose parent is an ancestor of
    the modifier's first sense, above it (no top noun: an artifact, a whole). View-of-Delft's ``moped_scooter`` (mopeds
    and scooters) is WordNet's motor scooter, a wheeled vehicle as a moped is, no water scooter, a motorboat (WordNet's
    first scooter); V3Det's ``Diamond ring`` the ring that is jewelry, as a diamond is. Only where some of the head's
    senses are such and others are not, else all of them. The rule moves a head off a first sense of another kind,
    never off one already of that kind (``_kinds_shared``): a ``bike bag`` or a ``car bag`` is WordNet's first bag, a
    container as a wheeled vehicle is one, no handbag; a ``car pot`` no flowerpot, a ``bicycle cart`` no handcart. A
    sense that is the modifier's thing itself, a kind of it or a thing above it is no kin (a ``car machine`` is no car,
    a ``ball bowl`` no bowling ball, a ``headset phone`` no earphone: the modifier then says what the thing is for or
    goes with). Never where a sense of the head is a part of the modifier's thing or of a kind of it (a ``skateboard
    wheel`` is a wheeled vehicle's wheel, no bicycle, which WordNet also calls a wheel). A top noun's sense
    (person.n.01) is no such reading: a head that is a top noun's object is read as ``resolve`` reads it (a ``dummy
    person`` is no person, though WordNet's first dummy is a mute)."""
    first = noun_synsets(modifier)[:1]
    if not first or not senses:
        return senses
    above = ancestors(first[0])
    if {part for kind in above for part in kind.part_meronyms()}.intersection(senses):
        return senses
    kin = []
    for s in senses:
        kinds = _kinds_shared(s, first[0], above)
        if s.name() in targets and kinds and _names_as_head(head_word, s) and not kinds.intersection({senses[0], *ancestors(senses[0])}):
            kin.append(s)
    return kin if kin and len(kin) < len(senses) else senses


#: WordNet's human being (homo.n.02, the first sense of "human") and person (person.n.01): a modifier that names one
#: of them says the head is a person, not an animal.
HUMAN_SENSES = frozenset({"homo.n.02", "person.n.01"})


def _people_of_a_human_modifier(modifiers: list[str], senses: list) -> list:
    """A head noun's person senses after a single modifier whose first sense is a human being or a person
    (``HUMAN_SENSES``), where the head's senses are people and animals alone: SUIM's ``human divers`` are WordNet's
    divers (people), no loons (a diver is also the bird). A head with senses of other kinds keeps them all (Open Images'
    ``Human beard`` and ``Human hand`` are body parts, no hired hand), as does a head after more words (a ``non-human
    primate`` is no archpriest) or after other people's words (a ``baby shark`` is no ruthless person)."""
    first = noun_synsets(modifiers[0])[:1] if len(modifiers) == 1 else []
    if not first or first[0].name() not in HUMAN_SENSES:
        return senses
    kinds = {s.lexname() for s in senses}
    return [s for s in senses if s.lexname() == "noun.person"] if kinds == {"noun.person", "noun.animal"} else senses


def _kinds_shared(sense, modifier, above: dict) -> set:
    """The kinds of thing ``sense`` shares with a modifier's sense ``modifier`` (``above``: its ancestors), for
    ``_kin_of_modifier``: the sense's parents above the modifier (no top noun), where the sense is neither the modifier's
    thing, nor above it, nor a kind of it."""
    if sense.lexname() == "noun.Tops" or sense in above:
        return set()
    return {p for p in sense.hypernyms() if p in above and p != modifier and p.lexname() != "noun.Tops"}


def _names_as_head(word: str, sense) -> bool:
    """The word names the sense itself, or heads its name: WordNet's first lemma is the word or ends with it (a scooter
    is the motor_scooter), not a name it is called aside (WordNet's diaper is also a napkin, its toilet a can). A
    plural is read as its singular (``moped scooters``)."""
    first = sense.lemma_names()[0].lower()
    forms = {word, wordnet().morphy(word, "n") or word}
    return any(first == w or first.endswith("_" + w) for w in forms)


def _made_into(first: str, senses: list) -> list:
    """The head noun's senses after a first word: a participle that changes what the thing is (grilled, fried,
    roasted: no motion, posture or bodily state, ``_keeps_identity``) before a noun that names a food leaves out
    the senses of what moves or stands (a grilled fish, a fried chicken is the food, no longer the animal). Only
    where the noun names a food: before a noun that does not, such a participle is as often part of an animal's
    name (painted bunting, horned lark, bearded collie, belted galloway)."""
    if any(s.lexname() == "noun.food" for s in senses) and participle(first) and not _names_thing(noun_synsets(first)) and not _keeps_identity(first):
        return [s for s in senses if not takes_postures([s])]
    return senses


def _genus(word: str):
    """The WordNet genus a word names (``alouatta.n.01``, lemma Alouatta, or a ``genus_<word>`` lemma), or None."""
    for s in noun_synsets(word) + noun_synsets(f"genus_{word}"):
        if is_kind_of(s, "genus.n.02"):
            return s
    return None


def genus_kind(words: list[str]):
    """The kind of thing a Latin binomial WordNet lacks is (V3Det's ``alouatta pigra``, a howler monkey):
    two or three words, the first a genus WordNet knows, the others no English word at all (a species
    epithet: ``iris scanner`` is no iris). A species of a genus is what the genus's members are (their
    lowest common hypernym: howler_monkey.n.01 for Alouatta, agaric.n.02 for Cortinarius), else what the
    genus's own hypernym chain names (a ``fish_genus`` holds fish). None when the words are no binomial."""
    genus = _binomial_genus(words)
    if genus is None:
        return None
    chain = None
    for anc, _ in sorted(ancestors(genus).items(), key=lambda kv: (kv[1], kv[0].name())):
        for lemma in anc.lemma_names():
            if chain is None and lemma.lower().endswith("_genus"):
                # the organism sense of the word: a plant_genus holds plants (plant.n.02, in noun.Tops), not
                # factories; an amphibian_genus frogs, not a vehicle
                kinds = [k for k in noun_synsets(lemma[: -len("_genus")].lower()) if _organism(k)]
                chain = kinds[0] if kinds else None
    # A genus's young (Sus lists the piglet, a young mammal) are no kind of its species.
    # in the order of their names: NLTK returns them in a set's order, which the hash seed decides
    listed = sorted(genus.member_meronyms(), key=lambda s: s.name())
    members = [m for m in listed if not _juvenile(m)] or listed
    if members:
        kind = members[0]
        for m in members[1:]:
            common = kind.lowest_common_hypernyms(m)
            if not common:
                break
            kind = common[0]
        else:
            # members broader than the genus's chain say less than the chain does
            return chain if chain is not None and kind in ancestors(chain) and kind != chain else kind
    return chain


#: The lexicographer files of organisms: the word before ``_genus`` in a genus's chain is read in these senses only.
ORGANISM_LEXNAMES = frozenset({"noun.animal", "noun.plant"})


def _organism(s) -> bool:
    """A sense of an animal or a plant file, or an organism filed with the top nouns (plant.n.02, animal.n.01)."""
    return s.lexname() in ORGANISM_LEXNAMES or is_kind_of(s, "organism.n.01")


def binomial_shaped(name: str) -> str | None:
    """The genus word of a name shaped like a Latin binomial (two or three lower-case words, the first a
    WordNet genus, the others no English word), else None. ``binomial_list`` reads a list's names so."""
    words = [w for w in re.split(r"[\s_]+", name.strip()) if w]
    if name.strip() != name.strip().lower() or _binomial_genus(words) is None:
        return None
    return words[0]


def _binomial_genus(words: list[str]):
    """The genus of words shaped like a Latin binomial (two or three words of letters, the first a WordNet
    genus, the others no English word: ``iris scanner`` is no iris), else None."""
    if len(words) not in (2, 3) or not all(w.isalpha() for w in words):
        return None
    if any(wordnet().synsets(w) for w in words[1:]):
        return None
    return _genus(words[0])


#: A list reads lower-case binomials as species only when its binomial-shaped names have this many genera.
BINOMIAL_LIST_GENERA = 3


def binomial_list(names) -> bool:
    """Whether a class list is one of Latin species names (V3Det's hundreds of genera; an iNaturalist-style
    list): its binomial-shaped names (``binomial_shaped``) come from at least BINOMIAL_LIST_GENERA genera.
    A laptop list (acer nitro, acer aspire) or a car list (lotus elise, lotus evora, lotus exige) has one."""
    genera = {g for g in map(binomial_shaped, names) if g is not None}
    return len(genera) >= BINOMIAL_LIST_GENERA


def _juvenile(s) -> bool:
    """A young animal or a larva (piglet.n.01, tadpole.n.01)."""
    return is_kind_of(s, "young.n.01", "larva.n.01")


#: The share of a taxon's organisms a kind must hold to be what the taxon's members are: WordNet files
#: some larvae (caterpillars, 32 of Insecta's 380 organisms) and fossil groups outside the kind.
TAXON_KIND_SHARE = 0.9


@lru_cache(maxsize=None)
def taxon_kind(taxon, targets: frozenset = frozenset()):
    """What the members of a taxon above the genus are (WordNet's aves.n.01, class Aves: bird.n.01), or None
    when the synset is no such taxon or its organisms share no kind. WordNet lists a class's orders, families
    and genera as its members and its organisms among theirs (a member that is no taxon). The kind is the
    organism the taxon lists itself (mammal.n.01 for Mammalia) that holds TAXON_KIND_SHARE of all the
    organisms the taxon holds through its sub-taxa, else the most specific hypernym that holds that share
    (Aves lists only orders: bird.n.01). A kingdom's kind is broader than any target (animal, plant)."""
    def is_taxon(s) -> bool:
        return is_kind_of(s, "taxonomic_group.n.01")

    if not is_taxon(taxon) or is_kind_of(taxon, "genus.n.02"):
        return None
    organisms, seen, todo = [], set(), [taxon]
    while todo:
        for m in todo.pop().member_meronyms():
            if m not in seen:
                seen.add(m)
                (todo if is_taxon(m) else organisms).append(m)
    # larvae and the young are no kind of the taxon's members (Lepidoptera's caterpillars), as in genus_kind
    organisms = [m for m in organisms if not _juvenile(m)] or organisms
    if not organisms:
        return None
    share = Counter(a for m in organisms for a in ancestors(m))
    held = [a for a, n in share.items() if n >= TAXON_KIND_SHARE * len(organisms)]
    own = [m for m in taxon.member_meronyms() if m in held]
    if own:
        kind = min(own, key=lambda s: (-share[s], s.name()))
        # a narrower kind holding the share that is a target, or below a target the taxon's own member is
        # not below, says more (Sphenisciformes lists sphenisciform_seabird; all its organisms are penguins)
        # (the share counted without that member itself: the taxon's name for all of them)
        rest = [m for m in organisms if m != kind]
        within = Counter(a for m in rest for a in ancestors(m))
        above = {a.name() for a in ancestors(kind)}
        narrower = [
            a for a, n in within.items()
            if n >= TAXON_KIND_SHARE * len(rest) and a != kind and kind in ancestors(a)
            and (a.name() in targets or any(x.name() in targets and x.name() not in above for x in ancestors(a)))
        ]
        return max(narrower, key=lambda s: (s.max_depth(), s.name())) if narrower else kind
    return max(held, key=lambda s: (s.max_depth(), s.name())) if held else None


def participle(word: str, ing_only: bool = False) -> bool:
    """A verb's -ing or -ed form ("sitting", "parked"), as WordNet's morphology finds its verb; with ``ing_only`` its
    -ing form alone (what the thing is doing: "crawling", no "parked")."""
    base = wordnet().morphy(word, "v") if word.isalpha() else None
    return base is not None and base != word and word.endswith("ing" if ing_only else ("ing", "ed"))


#: Verb lexicographer files of motion, posture and bodily state: moving, walking, crossing (verb.motion);
#: sitting, standing, waiting, lying (verb.stative); crying (verb.body).
STATE_VERB_LEXNAMES = frozenset({"verb.motion", "verb.stative", "verb.body"})
#: Verb files of what makes a thing another: grilled, dried, boiled, inflated (verb.change), painted
#: (verb.creation), smoked (verb.consumption).
MAKING_VERB_LEXNAMES = frozenset({"verb.change", "verb.creation", "verb.consumption"})


def _keeps_identity(word: str) -> bool:
    """A participle that leaves what the thing is: an -ing form (the thing does it) whose verb's first three
    senses include one of motion, posture or bodily state and none of change, creation or consumption
    (moving, sitting, crying; not drying, cleaning); an -ed form (it was done to the thing) whose verb has a
    motion sense and no sense of those at all (parked; not grilled, steamed, frozen, stuffed, carved, sliced)."""
    senses = wordnet().synsets(wordnet().morphy(word, "v") or word, "v")
    files = [s.lexname() for s in senses]
    if word.endswith("ing"):
        return bool(STATE_VERB_LEXNAMES.intersection(files[:3])) and not MAKING_VERB_LEXNAMES.intersection(files[:3])
    return "verb.motion" in files and not MAKING_VERB_LEXNAMES.intersection(files)


def _made_by(word: str) -> bool:
    """A participle that says how a thing was made or done to (wired, stuffed, carved), no motion, posture
    or bodily state (``_keeps_identity``), and that names no thing itself."""
    return participle(word) and not _names_thing(noun_synsets(word)) and not _keeps_identity(word)


@lru_cache(maxsize=None)
def _plaything(first: str, head: str):
    """WordNet's plaything named by ``head`` (its lemma ends in it: teddy_bear) whose definition uses
    ``first`` ("a child's toy bear (usually plush and stuffed ...)"), or None: a stuffed, plush or toy bear
    is the teddy. A toy WordNet does not define so stays unread (a carved horse is no rocking horse)."""
    if not first.isalpha() or len(first) < 3:
        return None
    found = []
    for lemma in _lemmas_by_last_word().get(head, ()):
        if lemma != head:
            for s in noun_synsets(lemma):
                if is_kind_of(s, PLAYTHING) and re.search(rf"\b{re.escape(first)}\b", s.definition().lower()):
                    found.append(s)
    return found[0] if len(set(found)) == 1 else None


def _animal_plaything(first: str, modifiers: list[str], head: str):
    """(plaything, the word it was read by) for an animal's name read through its head noun (``_plaything``), by its
    first word or, where a brand leads the name, the word before its head (APC 2016's ``cloud_b_plush_bear``: plush,
    the teddy), else (None, None)."""
    if not first_sense_animal(head):
        return None, None
    for word in dict.fromkeys((first, *modifiers[-1:])):
        toy = _plaything(word, head)
        if toy is not None:
            return toy, word
    return None, None


@lru_cache(maxsize=2)
def _lemmas_by_word(position: int) -> dict[str, tuple[str, ...]]:
    """WordNet's noun lemmas by their word at ``position`` (-1: the last, "teddy_bear" under "bear"; 0: the first,
    "tank_top" under "tank"), built once from ``_noun_lemmas``: ``_plaything`` looked for a head's lemmas by scanning
    every lemma (50-100 ms for each first word and head)."""
    index: dict[str, list[str]] = {}
    for lemma in _noun_lemmas():
        index.setdefault(lemma.split("_")[position], []).append(lemma)
    return {word: tuple(lemmas) for word, lemmas in index.items()}


def _lemmas_by_last_word() -> dict[str, tuple[str, ...]]:
    """WordNet's noun lemmas by their last word ("teddy_bear" under "bear")."""
    return _lemmas_by_word(-1)


def compounds_by_first_word(word: str) -> tuple[str, ...]:
    """WordNet's compound noun lemmas (of two words or more) that begin with the word ("tank_top" for "tank")."""
    return tuple(lemma for lemma in _lemmas_by_word(0).get(word, ()) if "_" in lemma)


def head_noun(alt: str) -> str | None:
    """The word(s) of an alternative WordNet's senses of it are read from when that is its head noun only (a name
    WordNet lacks whole: "bowl" of "dog_bowl"), else None."""
    return _lookup(alt)[1]


def first_sense_animal(word: str) -> bool:
    """The word's first noun sense is an animal (a bear, a dog), no artifact or person (a gun)."""
    first = noun_synsets(word)[:1]
    animal = _animal()
    return bool(first) and (first[0] == animal or animal in ancestors(first[0]))


@lru_cache(maxsize=1)
def _animal():
    return noun_synsets("animal")[0]


@lru_cache(maxsize=1)
def _posture_kinds() -> frozenset:
    return frozenset(noun_synsets(word)[0] for word in ("person", "vehicle")) | {_animal()}


def takes_postures(senses) -> bool:
    """Some sense is a person, an animal or a vehicle: what sits, stands, walks or is parked."""
    kinds = _posture_kinds()
    return any(s in kinds or kinds.intersection(ancestors(s)) for s in senses)


def _names_thing(senses) -> bool:
    """Some sense is of a physical lexicographer file (a thing one can draw a box around)."""
    return any(s.lexname() in PHYSICAL_LEXNAMES for s in senses)


#: Score for a sense that two or more synonyms of a comma-separated name name: more than a target
#: prior, a parent or a kind, because the dataset itself says which sense it means.
SYNONYMS_AGREE = 4.0
#: Score for a sense of the lexicographer file given as ``kind`` (a category path's nearest segment).
KIND_BONUS = 1.5


def resolve(name: str, *, parents: tuple = (), targets: frozenset = frozenset(), named: dict | None = None, fuzzy: bool = True, kind: str | None = None, binomials: bool = False) -> Resolution | None:
    """The WordNet synset a class name means, or None.

    ``parents``: synsets of the class's parents in its source hierarchy (context);
    ``targets``: synset names of the target classes (a prior); ``named``: normalized target name
    -> that target's synset name; ``kind``: a lexicographer file the class is expected in (+KIND_BONUS);
    ``binomials``: the name's list is one of Latin species names (``binomial_list``), so a lower-case
    binomial WordNet lacks is read as a species of its genus (``genus_kind``).
    """
    from .wordnet import synset as wn_synset

    named = named or {}
    alts = alternatives(name)
    if not alts or says_unlabelled(name):
        return None
    candidates: dict[str, Candidate] = {}

    def add(c: Candidate) -> None:
        if c.synset not in candidates or candidates[c.synset].score < c.score:
            candidates[c.synset] = c

    wn = wordnet()
    found_by: dict[str, set[int]] = {}  # synset -> the alternatives that name it as themselves

    binomial = binomials and name.strip() == name.strip().lower()
    # "clip-on earrings", "in-ear headphones": a hyphened preposition is part of a modifier
    bound = hyphened_prepositions(name)
    for a, alt in enumerate(alts):
        senses, head_word = _lookup(alt, binomial=binomial, bound=bound)
        head = head_word is not None
        modifiers = _modifiers(alt, head_word) if head else []
        # a person a modifier makes an imitation of (a toy, fake, cardboard or snow person) is no person
        imitation = any(_imitation(w) for w in modifiers)
        first = alt.split("_")[0]
        if head and head_word != first and takes_postures(senses):
            # only an animal's plaything ("stuffed bear"): a toy gun is no gunman's, through gun's later sense
            toy, said = _animal_plaything(first, modifiers, head_word)
            if toy is not None:
                # "stuffed bear": WordNet's teddy is a plaything, "a child's toy bear (usually plush and stuffed)"
                add(Candidate(toy.name(), 3.0 - 0.5 * a, alt, [f"a plaything WordNet names {toy.lemma_names()[0]!r} and defines as {said}"]))
            elif _made_by(first):
                # "Wired Mouse": a wired thing is made so, no animal; its head noun's senses that are no
                # animal are read when one of them is a target (the computer mouse)
                made = [s for s in senses if not takes_postures([s])]
                if any(s.name() in targets for s in made):
                    senses = made
        if modifiers:
            senses = _kin_of_modifier(modifiers[-1], head_word, senses, targets)
            senses = _people_of_a_human_modifier(modifiers, senses)
        if not head:
            for s in senses:
                found_by.setdefault(s.name(), set()).add(a)
        singular = wn.morphy(alt, "n") or alt
        # "gloves" is the target "glove", "showerhead" the target "shower_head"
        key = next((k for k in (alt, singular, alt.replace("_", "")) if k in named), alt)
        if head and head_word == alt.split("_")[0]:
            key = head_word  # a head-first compound (Person_sitting): its first word names the target
        if key in named and named[key] and (head or not senses):
            # the head word of a head-first compound names the target the class is a kind of
            add(Candidate(named[key], 4 - 0.5 * a, alt, ["the name of a target class"], head and key == head_word))
        has_plant_sense = any(x.lexname() == "noun.plant" for x in senses)
        for rank, s in enumerate(senses):
            c = Candidate(s.name(), -0.25 * rank - 0.5 * a, alt, [f"sense {rank + 1} of {head_word if head else alt!r}"], head)
            if not head and _animal_named_aside(singular, senses, rank):
                # scored as the people the word names first: RUOD's "diver" is the frogman, no loon
                c.score += 1
                c.reasons.append(f"{s.lexname()}, {NAMED_ASIDE}")
            elif s.lexname() in PHYSICAL_LEXNAMES or (head and not imitation and s.lexname() == "noun.Tops" and a_thing(s)):
                # a head noun's top-noun object (person.n.01, animal.n.01) is a thing as well: a whole name
                # meets it by the target's name, a head never does (MOTChallenge's "static_person" is a
                # person, not WordNet's human body, noun.body)
                bonus = 1 if s.lexname() in HALF_PHYSICAL else 2
                c.score += bonus
                c.reasons.append(s.lexname())
            elif s.lexname() in HALF_PHYSICAL:
                c.score += 1
                c.reasons.append(s.lexname())
            # a head noun may be the parent itself ("Bronze sculpture" under "Sculpture")
            under_parent = bool(parents) and any(p in ancestors(s) and (p != s or head) for p in parents)
            if under_parent:
                c.score += 3
                c.reasons.append("under a parent class")
            elif parents and not head and named.get(key) == s.name() and _defined_as_kind_of(s, parents):
                # The target named exactly like the class, which WordNet files elsewhere but defines
                # as a thing of the parent's kind: Open Images' "Christmas tree" under "Tree" is the
                # target christmas_tree ("an ornamented evergreen"), not the fir WordNet lists first.
                c.score += 3
                c.reasons.append("defined as a kind of thing its parent is")
            if s.name() in targets:
                c.score += 0.5 if head else 1  # a head noun names a broader class: a weaker prior
                c.reasons.append("a target synset")
                if (not head or key != alt) and named.get(key) == s.name():
                    c.score += 1.5
                    c.reasons.append("the target of this name")
            if kind is not None and s.lexname() == kind and not under_parent:
                c.score += KIND_BONUS
                c.reasons.append(f"of its path's kind ({kind})")
            if has_plant_sense and s.lexname() == "noun.food":
                c.score += 0.5  # a box around "Coffee" or "Red Cabbage" holds the food, not the plant
                c.reasons.append("food before plant")
            if head:
                c.reasons.append("head noun only")
            add(c)
        if not head and key not in named:
            # Visual Genome lemmatizes its names: "short" is its shorts, "jean" its jeans. A plural
            # sense that is a target (and no sense of the singular) is a candidate, a little behind.
            plural = {x.name() for x in senses}
            for rank, s in enumerate(noun_synsets(alt + "s")):
                if s.name() not in plural and s.name() in targets and s.lexname() in PHYSICAL_LEXNAMES:
                    add(Candidate(s.name(), 2 + 1 - 0.75 - 0.25 * rank - 0.5 * a, alt, [f"sense {rank + 1} of the plural {alt + 's'!r}", "a target synset"]))
    if lists_synonyms(name):
        # A comma-separated name lists synonyms of one class (WordNet's own lemmas, ImageNet's "lion,
        # king of beasts, Panthera leo"): the synset two or more of them name is the class.
        for synset, which in found_by.items():
            if len(which) > 1 and synset in candidates:
                candidates[synset].score += SYNONYMS_AGREE
                candidates[synset].reasons.append(f"named by {len(which)} of its synonyms")
    how = "wordnet"
    if not candidates and fuzzy:
        for a, alt in enumerate(alts):
            match = _fuzzy_lemma(alt)
            head = False
            if match is None and "_" in alt:  # "Louisiana Waterthrush": WordNet's water_thrush
                match, head = _fuzzy_lemma(alt.split("_")[-1]), True
            if match is not None:
                lemma, ratio = match
                senses = _made_into(alt.split("_")[0], noun_synsets(lemma)) if head else noun_synsets(lemma)
                for rank, s in enumerate(senses):
                    score = ratio / 100 - 0.25 * rank + (2 if s.lexname() in PHYSICAL_LEXNAMES else 0)
                    add(Candidate(s.name(), score, alt, [f"fuzzy {ratio:.0f} to lemma {lemma!r}"] + (["head noun only"] if head else []), head))
        how = "fuzzy"
    ranked = sorted(candidates.values(), key=lambda c: (-c.score, c.synset))
    if not ranked:
        return Resolution(None, how, alts, [])
    best = ranked[0]
    if best.head:
        how = "head"
    elif "the name of a target class" in best.reasons:
        how = "target_name"
    assert wn_synset(best.synset) is not None, best.synset
    return Resolution(best.synset, how, alts, ranked)


#: A word names people first when WordNet lists at least this many senses of people it heads before an animal it
#: names only aside (``_animal_named_aside``).
PEOPLE_FIRST_SENSES = 2
#: The reason a candidate gives when ``_animal_named_aside`` scores it as people (a list of that animal reads it again).
NAMED_ASIDE = "named aside after people"


def _first_lemma_is(word: str, sense) -> bool:
    """The word is the sense's first lemma, the name WordNet gives the synset (not one of its other names)."""
    return sense.lemma_names()[0].lower() == word


def _animal_named_aside(word: str, senses: list, rank: int) -> bool:
    """The sense at ``rank`` of ``word``'s ``senses`` is an animal the word names only aside, another word heading its
    synset (WordNet's loon.n.02, "loon, diver"), after PEOPLE_FIRST_SENSES or more senses of people the word heads
    (diver.n.01 "someone who works underwater", diver.n.02 "someone who dives"): the word names people first, and the
    animal is a regional or old name of another's. RUOD's ``diver`` among sea animals is the frogman, no loon; a
    ``whistler`` no marmot, an ``angler`` no anglerfish. An animal the word heads stays (a boxer, the dog), and so does one
    after a single sense of people (an Alsatian, a Maltese: a nationality names a breed). A named person (an instance:
    WordNet's whistler.n.01 is the painter Whistler) is no sense of people here. In a list of that animal's kind
    (CUB's birds, a list of fishes) ``mapping`` reads the animal again (``_animals_of_their_list``)."""
    sense = senses[rank]
    if sense.lexname() != "noun.animal" or _first_lemma_is(word, sense):
        return False
    people = [s for s in senses[:rank] if s.lexname() == "noun.person" and not s.instance_hypernyms() and _first_lemma_is(word, s)]
    return len(people) >= PEOPLE_FIRST_SENSES


_GLOSS_SKIP = frozenset("a an the any one of or and some small large little big".split())


def _defined_as_kind_of(sense, parents) -> bool:
    """Whether the genus word of ``sense``'s definition (its first noun: "an ornamented
    *evergreen* used as ...") has a sense in the lexicographer file of one of ``parents``."""
    kinds = {p.lexname() for p in parents}
    for word in re.findall(r"[a-z][a-z-]+", sense.definition().lower().split(";")[0]):
        if word in _GLOSS_SKIP:
            continue
        senses = noun_synsets(word)
        if senses:
            return any(x.lexname() in kinds for x in senses)
    return False


@lru_cache(maxsize=1)
def _noun_lemmas() -> list[str]:
    return sorted(wordnet().all_lemma_names(pos="n"))


def _fuzzy_lemma(alt: str) -> tuple[str, float] | None:
    """The WordNet noun lemma nearest ``alt`` (a misspelt name: ``Tape Measur``), or None; none for a word WordNet knows
    as another part of speech (``_spelled_right``)."""
    from rapidfuzz import fuzz, process

    if _spelled_right(alt):
        return None
    hit = process.extractOne(alt, _noun_lemmas(), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    return (hit[0], hit[1]) if hit else None


def _spelled_right(word: str) -> bool:
    """WordNet knows the word, or an inflected form of it, as an adjective, a verb or an adverb (it knows no noun of it
    where the fuzzy lookup runs): it is spelled right, no typo of a noun a letter away. ModaNet's ``outer`` (its
    outerwear) is no ``ouster``, a person; CODa's ``Other`` no fuss. A word whose plural is a noun is the singular
    of a plural-only noun as well (``tight``: tights, ``clothe``: clothes) and is read by the fuzzy lookup still."""
    return bool(wordnet().synsets(word)) and not noun_synsets(word + "s")
