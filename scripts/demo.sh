#!/usr/bin/env bash
# Set up, generate the small built-in sample (all three sources, real classes and quirks),
# and run bigdet on it. Everything lands in ./demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
BIGDET=.venv/bin/bigdet
$BIGDET synth --scale 0.001 --out demo/data --images
$BIGDET merge --sources lvis oi o365 --data-root demo/data --store demo/store --out demo/out
