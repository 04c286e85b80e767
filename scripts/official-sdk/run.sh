#!/usr/bin/env bash
# Checks the emulator against the official Alibaba Cloud Python SDK from PyPI:
# creates a venv, installs requirements.txt, builds the emulator binary, runs check.py.
#
#   scripts/official-sdk/run.sh [check.py options, e.g. --only v1 --verbose]
#
# Environment: VENV (default: $CARGO_TARGET_DIR/official-sdk-venv, else target/official-sdk-venv),
# PYTHON (default: python3), CARGO_TARGET_DIR (default: target).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$repo/target}"
venv="${VENV:-$target/official-sdk-venv}"
python="${PYTHON:-python3}"

command -v openssl >/dev/null || { echo "run.sh: openssl is needed (it makes the uploaded certificate)" >&2; exit 2; }

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
# Reinstall only when requirements.txt changed.
stamp="$venv/.official-sdk-requirements"
if ! cmp -s "$here/requirements.txt" "$stamp" 2>/dev/null; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
    cp "$here/requirements.txt" "$stamp"
fi

(cd "$repo" && CARGO_TARGET_DIR="$target" cargo build --quiet -p alibabacloud-emulator --bin alibabacloud-emulator)

exec "$venv/bin/python" "$here/check.py" --emulator "$target/debug/alibabacloud-emulator" "$@"
