#!/usr/bin/env bash
# Set up, generate the small built-in sample (all three sources, real classes and quirks),
# and run bigdet on it: merge, then stats. Everything lands in ./demo/.
# Usage: scripts/demo.sh [--browse]   --browse also installs FiftyOne and opens the merged val
#                                      split in the FiftyOne App (Ctrl-C to stop)
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS=dev
[ "${1:-}" = "--browse" ] && EXTRAS=dev,browse
scripts/setup.sh "$EXTRAS"
BIGDET=.venv/bin/bigdet
$BIGDET synth --scale 0.001 --out demo/data --images
$BIGDET merge --sources lvis oi o365 --data-root demo/data --store demo/store --out demo/out
$BIGDET stats demo/out --report demo/report --top 10
if [ "$EXTRAS" = dev,browse ]; then
    exec $BIGDET browse demo/out --split val
fi
echo "next: scripts/demo.sh --browse (or .venv/bin/bigdet browse demo/out after scripts/setup.sh dev,browse)"
