# Sourced by the scripts that run an official Python package. `python_venv NAME DIR` makes
# (or reuses) a venv with DIR/requirements.txt installed, reinstalling only when that file
# changed, and sets $venv, $repo and $target. Environment: VENV (default:
# $CARGO_TARGET_DIR/NAME-venv, else target/NAME-venv), PYTHON (default: python3),
# CARGO_TARGET_DIR (default: target).
python_venv() {
    local name=$1 dir=$2
    repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    target="${CARGO_TARGET_DIR:-$repo/target}"
    venv="${VENV:-$target/$name-venv}"
    if [ ! -x "$venv/bin/python" ]; then
        "${PYTHON:-python3}" -m venv "$venv"
    fi
    local stamp="$venv/.$name-requirements"
    if ! cmp -s "$dir/requirements.txt" "$stamp" 2>/dev/null; then
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$dir/requirements.txt"
        cp "$dir/requirements.txt" "$stamp"
    fi
}
