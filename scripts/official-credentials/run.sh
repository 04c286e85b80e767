#!/usr/bin/env bash
# Checks that the official Python credentials library (alibabacloud-credentials, pinned in
# requirements.txt) still resolves every sample config.json of
# crates/alibabacloud-credentials/tests/official/cases.json the way observed.json records;
# `cargo test -p alibabacloud-credentials --test providers official` checks that this crate
# resolves them the same way. Offline apart from the pip install: the library's requests
# are intercepted, and the External commands only echo.
#
#   scripts/official-credentials/run.sh           compare with observed.json (exit 1 if it differs)
#   scripts/official-credentials/run.sh --write   record observed.json anew (review the diff)
#   scripts/official-credentials/run.sh read-config CONFIG_JSON PROFILE...
#                                                 resolve those profiles of that file
#                                                 (read_config.py; used by the CLI's tests)
#
# Environment: VENV (default: $CARGO_TARGET_DIR/official-credentials-venv, else
# target/official-credentials-venv), PYTHON (default: python3).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../python-venv.sh"
python_venv official-credentials "$here"

script="$here/resolve.py"
if [ "${1:-}" = "read-config" ]; then
    shift
    script="$here/read_config.py"
fi
"$venv/bin/python" "$script" "$@"
