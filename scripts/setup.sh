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
