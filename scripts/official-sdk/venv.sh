# Sourced by run.sh and coverage.sh: makes the venv with the pinned requirements.txt and
# sets $venv. Environment: VENV (default: $CARGO_TARGET_DIR/official-sdk-venv, else
# target/official-sdk-venv), PYTHON (default: python3), CARGO_TARGET_DIR (default: target).
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$repo/target}"
venv="${VENV:-$target/official-sdk-venv}"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
# Reinstall only when requirements.txt changed.
stamp="$venv/.official-sdk-requirements"
if ! cmp -s "$here/requirements.txt" "$stamp" 2>/dev/null; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
    cp "$here/requirements.txt" "$stamp"
fi
