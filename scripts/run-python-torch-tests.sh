#!/usr/bin/env bash
# The Python package's PyTorch tests (not in CI: torch is too large). Needs a Python with torch and
# safetensors: TORCH_PYTHON=/path/to/python (default: python3). pytest is added from PyPI into a
# throwaway folder when that Python lacks it; the package is used from the source tree. Arguments:
# test paths (default python/tests_torch).
set -euo pipefail
cd "$(dirname "$0")/.."
python="${TORCH_PYTHON:-python3}"
extra=""
if ! "$python" -c "import pytest" 2>/dev/null; then
    extra="$(mktemp -d)"
    trap 'rm -rf "$extra"' EXIT
    "$python" -m pip install -q --target "$extra" pytest
fi
swift build --product tessera >/dev/null
export TESSERA_BINARY="$(swift build --show-bin-path)/tessera"
PYTHONPATH="$PWD/python${extra:+:$extra}" "$python" -m pytest -q -p no:cacheprovider "${@:-python/tests_torch}"
