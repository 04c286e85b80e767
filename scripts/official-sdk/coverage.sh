#!/usr/bin/env bash
# Checks that the specs cover the official Alibaba Cloud Python SDK packages from PyPI:
# every operation, request parameter and response field of the 7 pinned product packages
# (requirements.txt) is in specs/. Creates the venv (as run.sh does), runs coverage.py.
#
#   scripts/official-sdk/coverage.sh [coverage.py options, e.g. --package alibabacloud_cas20200630]
#
# Environment: VENV, PYTHON, CARGO_TARGET_DIR (see venv.sh). Exit 1 when something is missing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh"
exec "$venv/bin/python" "$here/coverage.py" "$@"
