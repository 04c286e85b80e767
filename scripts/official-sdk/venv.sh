# Sourced by run.sh and coverage.sh: the venv with the pinned requirements.txt, as $venv
# (see ../python-venv.sh for VENV, PYTHON and CARGO_TARGET_DIR), and $here.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../python-venv.sh"
python_venv official-sdk "$here"
