"""WordNet 3.0 through NLTK, offline, with one clear error when the corpus is missing.

Search order for the corpus: ``$BIGDET_NLTK_DATA``, the checkout's ``.nltk_data/`` (written by
``scripts/setup.sh``), then NLTK's own defaults (``~/nltk_data`` ...).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

INSTALL_HINT = (
    "WordNet 3.0 is not installed for NLTK. Online: `python -m nltk.downloader wordnet`. "
    "Offline on Debian: run scripts/setup.sh (it copies the files of Debian's wordnet-base and wordnet-sense-index into .nltk_data/), "
    "or point BIGDET_NLTK_DATA at an nltk_data folder holding corpora/wordnet/"
)

#: Lexicographer files of things one can draw a box around.
PHYSICAL_LEXNAMES = frozenset(
    {"noun.artifact", "noun.animal", "noun.food", "noun.plant", "noun.object", "noun.person", "noun.body", "noun.substance"}
)  # noun.person counts half in name resolution (see taxonomy.names)


class WordNetMissing(RuntimeError):
    pass


@lru_cache(maxsize=1)
def wordnet():
    """The NLTK WordNet reader, loaded once."""
    import nltk

    candidates = [os.environ.get("BIGDET_NLTK_DATA"), str(Path(__file__).resolve().parent.parent / ".nltk_data")]
    for path in reversed([c for c in candidates if c]):
        if path not in nltk.data.path:
            nltk.data.path.insert(0, path)
    from nltk.corpus import wordnet as wn

    try:
        wn.ensure_loaded()
    except (LookupError, OSError) as e:  # OSError: a corpus folder with files missing
        raise WordNetMissing(f"{INSTALL_HINT} [{e}]" if isinstance(e, OSError) else INSTALL_HINT) from None
    if wn.get_version() != "3.0":
        raise WordNetMissing(f"found WordNet {wn.get_version()}, need 3.0 (the version LVIS synsets refer to)")
    return wn


def synset(name: str):
    """The synset called ``name`` (e.g. ``dog.n.01``), or None if WordNet 3.0 has none."""
    from nltk.corpus.reader.wordnet import WordNetError

    try:
        return wordnet().synset(name)
    except (WordNetError, ValueError):
        return None


def noun_synsets(lemma: str) -> list:
    """Noun synsets of a lemma (spaces or underscores), most frequent sense first; plural forms too."""
    wn = wordnet()
    lemma = lemma.strip().lower().replace(" ", "_").replace("-", "_")
    found = wn.synsets(lemma, pos="n")
    if not found and "_" in lemma:
        found = wn.synsets(lemma.replace("_", ""), pos="n")
    if not found and "_" in lemma:  # WordNet spells 3,914 nouns with a hyphen: "ring-binder"
        words = lemma.split("_")
        for i in range(1, len(words)):
            found = wn.synsets("_".join(words[:i]) + "-" + "_".join(words[i:]), pos="n")
            if found:
                break
    return found


def is_kind_of(s, *names: str) -> bool:
    """Whether ``s`` is one of the synsets ``names`` (``"vessel.n.02"``) or a kind of one, along any hypernym or
    instance-hypernym path: the one test the matcher's rules ask of a sense's kind."""
    return any(a.name() in names for a in ancestors(s))


def ancestors(s) -> dict:
    """Every hypernym (and instance hypernym) of ``s`` with its shortest distance, ``s`` itself at 0."""
    dist = {s: 0}
    frontier = [s]
    while frontier:
        nxt = []
        for node in frontier:
            for parent in node.hypernyms() + node.instance_hypernyms():
                if parent not in dist:
                    dist[parent] = dist[node] + 1
                    nxt.append(parent)
        frontier = nxt
    return dist
