#!/usr/bin/env bash
# The independent exact reference (Tests/oracle/oracle.py: Python Fractions, written from the
# definitions) against `tessera slice` on seeded tiny MLPs and CNNs. Creates a virtual environment
# with numpy and onnx (to write the CNNs), builds tessera unless TESSERA_BINARY names one.
#   TESSERA_BINARY    the tessera to check (default: a debug build of this checkout)
#   TESSERA_ORACLE_VENV  virtual environment to create or reuse (default: a fresh temporary one)
#   ORACLE_CASES, ORACLE_SEED   how many seeded cases (default 50) and the seed (default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${TESSERA_ORACLE_VENV:-$(mktemp -d)/venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check numpy onnx
if [ -z "${TESSERA_BINARY:-}" ]; then
    swift build --product tessera >/dev/null
    TESSERA_BINARY="$(swift build --show-bin-path)/tessera"
fi
exec "$venv/bin/python" Tests/oracle/oracle.py "$TESSERA_BINARY" --cases "${ORACLE_CASES:-50}" --seed "${ORACLE_SEED:-1}"
