#!/usr/bin/env bash
# A `tessera verify` sweep for CI that tolerates only the differences listed as known (a bug found and
# not yet fixed) and fails on any other. Usage: scripts/verify-sweep.sh TESSERA KNOWN_FILE VERIFY_ARGS...
# KNOWN_FILE holds one case index per line (# comments allowed); an empty or missing file knows none.
set -uo pipefail
tessera=$1 known_file=$2
shift 2
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
"$tessera" verify "$@" >"$log" 2>&1
status=$?
grep -v '^[0-9]*/[0-9]* ' "$log"
found="$(grep -oE '^case [0-9]+ ' "$log" | awk '{print $2}' | sort -n | uniq)"
known="$( [ -f "$known_file" ] && grep -v '^#' "$known_file" | awk 'NF {print $1}' | sort -n | uniq)"
new="$(comm -23 <(echo "$found" | sort) <(echo "$known" | sort) | sed '/^$/d' | sort -n | tr '\n' ' ')"
fixed="$(comm -13 <(echo "$found" | sort) <(echo "$known" | sort) | sed '/^$/d' | sort -n | tr '\n' ' ')"
if [ "$status" -eq 0 ]; then exit 0; fi
if [ -z "$found" ]; then echo "verify failed without naming a case (exit $status)"; exit 1; fi
if [ -n "$new" ]; then echo "verify: NEW differences in cases $new"; exit 1; fi
echo "verify: only the known differences of $known_file (cases $(echo $found | tr '\n' ' ')); still to fix"
[ -z "$fixed" ] || echo "verify: cases $fixed no longer differ (or were not in this sweep): remove fixed ones from $known_file"
exit 0
