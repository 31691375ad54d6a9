#!/usr/bin/env bash
# The long cases `swift test` keeps only a few of, in full (TESSERA_FULL_TESTS=1): the tests built by
# `swift test`, the CLI ones running the tessera given (CI: its release build). Fails unless every test
# and suite listed here ran and passed, so a renamed one cannot drop out unnoticed.
#   usage: scripts/run-full-tests.sh [TESSERA]   (default: the debug build next to the tests)
set -uo pipefail
cd "$(dirname "$0")/.."
# Suite/test, or a whole suite.
tests=(
    GraphEngineExactPathTests/exactEqualsCertifiedOnASmallCNN
    GraphForwardFixtureTests/lcMatchesThePyTorchEstimatorCountForCount
    GraphRunCLITests/lcPerLayerEqualsThePyTorchEstimatorOnCNNsAndResNets
    InvariantTests
    PrecisionTests/float32CountsAreFloat64sUpToRoundingNearZero
    RegionsCLITests/geoJSONAgreesWithTheSummaryAndExactVerticesWithTheFloats
)
filters=()
for test in "${tests[@]}"; do filters+=(--filter "$test"); done
environment=(TESSERA_FULL_TESTS=1)
[ -n "${1:-}" ] && environment+=(TESSERA_BINARY="$1")
log="$(mktemp)"
env "${environment[@]}" swift test --skip-build "${filters[@]}" 2>&1 | sed -E 's/\x1b\[[0-9;]*m//g' >"$log"
status=${PIPESTATUS[0]}
grep -E '^(✔|✘) (Test|Suite)|recorded an issue|^↳' "$log" | grep -v '^↳ ///' || true
for test in "${tests[@]}"; do
    if [ "${test#*/}" != "$test" ]; then pattern="^✔ Test ${test#*/}\(.*\) (with [0-9]+ test cases )?passed"
    else pattern="^✔ Suite ${test} passed"; fi
    if ! grep -qE "$pattern" "$log"; then echo "full tests: $test did not pass"; status=1; fi
done
rm -f "$log"
exit "$status"
