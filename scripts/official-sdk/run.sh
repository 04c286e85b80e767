#!/usr/bin/env bash
# Checks the emulator against the official Alibaba Cloud Python SDK from PyPI:
# creates a venv, installs requirements.txt, builds the emulator binary, runs check.py.
#
#   scripts/official-sdk/run.sh [check.py options, e.g. --only v1 --verbose]
#
# Environment: VENV (default: $CARGO_TARGET_DIR/official-sdk-venv, else target/official-sdk-venv),
# PYTHON (default: python3), CARGO_TARGET_DIR (default: target).
set -euo pipefail

command -v openssl >/dev/null || { echo "run.sh: openssl is needed (it makes the uploaded certificate)" >&2; exit 2; }

source "$(dirname "${BASH_SOURCE[0]}")/venv.sh"

(cd "$repo" && CARGO_TARGET_DIR="$target" cargo build --quiet -p alibabacloud-emulator --bin alibabacloud-emulator)

exec "$venv/bin/python" "$here/check.py" --emulator "$target/debug/alibabacloud-emulator" "$@"
