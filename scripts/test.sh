#!/usr/bin/env bash
# Set up (scripts/setup.sh, with the optional FiftyOne and Ray (images) extras) and run the test suite.
# The browse tests also need Debian's chromium (headless, for the App end to end): installed here
# if missing. BIGDET_REQUIRE_BROWSE=1 makes those tests fail, not skip, if anything is missing.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev,browse,images
if ! command -v chromium >/dev/null 2>&1; then
    echo "test: installing Debian's chromium for the App end-to-end test" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
fi
export BIGDET_REQUIRE_BROWSE=1
exec .venv/bin/python -m pytest -q "$@"
