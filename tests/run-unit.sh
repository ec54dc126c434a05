#!/bin/sh
# Run each cmocka unit-test binary; fail if any fails.
set -u
fail=0
for t in "$@"; do
	if "$t"; then :; else echo "FAIL unit $t"; fail=$((fail + 1)); fi
done
[ "$fail" -eq 0 ] && echo "unit: all $# binaries passed"
[ "$fail" -eq 0 ]
