#!/usr/bin/env bash
# The Python package's checks: a fresh virtual environment with `pip install ./python` and the test
# tools, the tessera binary built (debug), pytest over python/tests, then examples/notebook.ipynb
# executed headlessly (numpy weights: torch is not installed here). Exits non-zero if either fails.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --disable-pip-version-check ./python numpy pytest onnx pandas matplotlib nbconvert ipykernel
swift build --product tessera >/dev/null
export TESSERA_BINARY="$(swift build --show-bin-path)/tessera"
status=0
# Against the installed package, not the source tree (pytest puts only python/tests on sys.path).
"$work/venv/bin/python" -m pytest -q -p no:cacheprovider python/tests || status=1
if "$work/venv/bin/jupyter" nbconvert --to notebook --execute --ExecutePreprocessor.timeout=600 \
        --output-dir "$work" examples/notebook.ipynb >"$work/nbconvert.log" 2>&1; then
    echo "notebook: examples/notebook.ipynb ran headless without errors"
else
    tail -25 "$work/nbconvert.log"
    echo "notebook: examples/notebook.ipynb FAILED"
    status=1
fi
exit "$status"
