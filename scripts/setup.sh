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
if ! .venv/bin/python -c "from bigdet.taxonomy.wordnet import wordnet; wordnet()" >/dev/null 2>&1; then
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
    .venv/bin/python -c "from bigdet.taxonomy.wordnet import wordnet; wordnet()" || { echo "setup: WordNet is still missing" >&2; exit 1; }
fi

# FiftyOne (the "browse" extra). The fiftyone-db 0.4.5 wheel bundles mongod 6.0, which links
# against OpenSSL 1.1 (libssl.so.1.1), absent from Debian 12 and other current distributions.
# Debian 11's libssl1.1 is fetched with apt into a private folder (no change to the system's
# sources or libraries) and unpacked into .venv/lib/bigdet-mongod/, where bigdet.browse points
# the mongod that FiftyOne starts (LD_LIBRARY_PATH for that process only).
if [[ ",$EXTRAS," == *",browse,"* ]]; then
    MONGOD="$(.venv/bin/python -c 'import importlib.metadata as m; print(m.distribution("fiftyone-db").locate_file("fiftyone/db/bin/mongod"))' 2>/dev/null || true)"
    LIBS="$VENV/lib/bigdet-mongod"
    if [ -x "$MONGOD" ] && ! LD_LIBRARY_PATH="$LIBS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$MONGOD" --version >/dev/null 2>&1; then
        echo "setup: fetching OpenSSL 1.1 (Debian 11's libssl1.1) for FiftyOne's bundled mongod" >&2
        APT="$(mktemp -d)"
        trap 'rm -rf "$APT"' EXIT
        mkdir -p "$APT/lists/partial" "$APT/archives/partial" "$APT/parts" "$APT/root"
        cat > "$APT/parts/bullseye-security.sources" <<SOURCES
Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bullseye-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
        apt_private=(-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$APT/parts"
                     -o Dir::State::Lists="$APT/lists" -o Dir::Cache::Archives="$APT/archives"
                     -o Debug::NoLocking=1 -o APT::Sandbox::User=root -o APT::Architecture=amd64 -qq)
        (cd "$APT" && apt-get "${apt_private[@]}" update >&2 && apt-get "${apt_private[@]}" download libssl1.1 >&2)
        dpkg-deb -x "$APT"/libssl1.1_*.deb "$APT/root"
        mkdir -p "$LIBS"
        cp "$APT"/root/usr/lib/x86_64-linux-gnu/libssl.so.1.1 "$APT"/root/usr/lib/x86_64-linux-gnu/libcrypto.so.1.1 "$LIBS/"
        LD_LIBRARY_PATH="$LIBS" "$MONGOD" --version >/dev/null || { echo "setup: FiftyOne's mongod still does not start" >&2; exit 1; }
    fi
fi
