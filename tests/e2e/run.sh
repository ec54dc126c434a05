#!/bin/sh
# Run every tests/e2e/test_*.py against the gazette binary given as $1.
# Each test file is a script that exits non-zero on failure.
set -u
GAZETTE=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
export GAZETTE
cd "$(dirname "$0")"
fail=0; n=0
for t in test_*.py; do
	[ -f "$t" ] || continue
	n=$((n + 1))
	if /usr/bin/python3 "$t"; then
		echo "ok   e2e $t"
	else
		echo "FAIL e2e $t"
		fail=$((fail + 1))
	fi
done
echo "e2e: $((n - fail))/$n files passed"
[ "$fail" -eq 0 ]
