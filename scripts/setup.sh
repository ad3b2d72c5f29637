#!/usr/bin/env bash
# Everything bigdet needs on a fresh machine, idempotent: a virtualenv in .venv with bigdet
# installed (editable) and its test tools. Quick when nothing changed (a stamp file).
# Usage: scripts/setup.sh [extra]   e.g. "dev" (default) or "dev,browse"
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS="${1:-dev}"
PY="${PYTHON:-python3}"
VENV=.venv
STAMP="$VENV/.bigdet-setup-$EXTRAS"

if [ ! -x "$VENV/bin/python" ]; then
    echo "setup: creating $VENV" >&2
    "$PY" -m venv "$VENV"
fi
want="$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$want" ]; then
    echo "setup: installing bigdet[$EXTRAS] into $VENV" >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[$EXTRAS]" >&2
    echo "$want" > "$STAMP"
fi

# WordNet 3.0 for NLTK (the taxonomy). Online, NLTK's downloader fetches it; offline, Debian's
# wordnet-base package has the same WordNet 3.0: its files are copied (NLTK refuses links) into
# .nltk_data/corpora/wordnet/ with the lexnames file that no package ships (taxonomy/data/).
# A half-copied corpus from an earlier attempt is replaced.
if ! .venv/bin/python -c "from taxonomy.wordnet import wordnet; wordnet()" >/dev/null 2>&1; then
    WN_DIR=.nltk_data/corpora/wordnet
    if ! .venv/bin/python -c "import nltk, sys; sys.exit(0 if nltk.download('wordnet', download_dir='.nltk_data', quiet=True) else 1)" >/dev/null 2>&1; then
        echo "setup: NLTK could not download WordNet; using Debian's wordnet-base" >&2
        if [ ! -f /usr/share/wordnet/data.noun ] || [ ! -f /usr/share/wordnet/index.sense ]; then
            # index.sense, which NLTK reads, is in wordnet-sense-index, not wordnet-base
            apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wordnet-base wordnet-sense-index >&2
        fi
        rm -rf "$WN_DIR" && mkdir -p "$WN_DIR"
        for f in data.noun data.verb data.adj data.adv index.noun index.verb index.adj index.adv \
                 noun.exc verb.exc adj.exc adv.exc cntlist cntlist.rev index.sense; do
            [ -f "/usr/share/wordnet/$f" ] && cp "/usr/share/wordnet/$f" "$WN_DIR/$f"
        done
        cp taxonomy/data/wordnet_lexnames "$WN_DIR/lexnames"
    fi
    .venv/bin/python -c "from taxonomy.wordnet import wordnet; wordnet()" || { echo "setup: WordNet is still missing" >&2; exit 1; }
fi
