#!/usr/bin/env bash
# The long cases `swift test` keeps only a few of, in full (TESSERA_FULL_TESTS=1): the tests built by
# `swift test`, the CLI ones running the tessera given (CI: its release build). Fails unless every test
# listed here ran and passed, so a renamed test cannot drop out unnoticed.
#   usage: scripts/run-full-tests.sh [TESSERA]   (default: the debug build next to the tests)
set -uo pipefail
cd "$(dirname "$0")/.."
tests=(
    GraphEngineExactPathTests/exactEqualsCertifiedOnASmallCNN
    GraphForwardFixtureTests/lcMatchesThePyTorchEstimatorCountForCount
    GraphRunCLITests/lcPerLayerEqualsThePyTorchEstimatorOnCNNsAndResNets
)
filters=()
for test in "${tests[@]}"; do filters+=(--filter "$test"); done
log="$(mktemp)"
environment=(TESSERA_FULL_TESTS=1)
[ -n "${1:-}" ] && environment+=(TESSERA_BINARY="$1")
env "${environment[@]}" swift test --skip-build "${filters[@]}" >"$log" 2>&1
status=$?
sed -E 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^(✔|✘) (Test|Suite)|recorded an issue|Expectation failed' || true
for test in "${tests[@]}"; do
    name="${test#*/}"
    if ! sed -E 's/\x1b\[[0-9;]*m//g' "$log" | grep -qE "^✔ Test ${name}\(.*\) passed"; then
        echo "full tests: ${name} did not pass"
        status=1
    fi
done
rm -f "$log"
exit "$status"
