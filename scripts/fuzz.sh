#!/bin/sh
# Run the libFuzzer harnesses: scripts/fuzz.sh BUILD_DIR SECONDS NAME...
# For each NAME: replay tests/fuzz/regress/NAME/ (every file once; each was a
# crash that must stay fixed), then fuzz for SECONDS from the seed corpus
# tests/fuzz/corpus/NAME/ (read only; new inputs go to BUILD_DIR/corpus/NAME,
# crashes to BUILD_DIR/artifacts/). Prints one summary line per harness with
# libFuzzer's own execution count and rate; full output in BUILD_DIR/logs/.
set -u
cd "$(dirname "$0")/.."
B=$1 SECONDS_EACH=$2
shift 2
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
mkdir -p "$B/logs" "$B/artifacts"
fail=0
for name in "$@"; do
	bin=$B/fuzz/fuzz_$name
	log=$B/logs/$name.log
	if [ ! -x "$bin" ]; then
		echo "FAIL fuzz $name: $bin not built"
		fail=$((fail + 1))
		continue
	fi
	reg=tests/fuzz/regress/$name
	if [ -d "$reg" ] && [ -n "$(ls -A "$reg")" ]; then
		if ! "$bin" -runs=1 "$reg"/* >"$log.regress" 2>&1; then
			echo "FAIL fuzz $name: a regression input crashes again (see $log.regress)"
			tail -n 30 "$log.regress"
			fail=$((fail + 1))
			continue
		fi
		nreg=$(ls "$reg" | wc -l)
	else
		nreg=0
	fi
	opts="-max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1"
	[ -f "tests/fuzz/$name.dict" ] && opts="$opts -dict=tests/fuzz/$name.dict"
	mkdir -p "$B/corpus/$name"
	extra_seeds=""
	if [ "$name" = mustache ] && [ -d ../shared/testdata/mustache-spec ]; then
		# The official spec's templates as more seeds, read in place (not
		# copied into the repo): "main" NUL its first partial.
		extra_seeds=$B/seed-spec/mustache
		mkdir -p "$extra_seeds"
		/usr/bin/python3 - ../shared/testdata/mustache-spec "$extra_seeds" <<'PY'
import glob, json, os, sys
src, out = sys.argv[1], sys.argv[2]
n = 0
for f in sorted(glob.glob(os.path.join(src, '*.json'))):
    if 'lambdas' in f:
        continue
    for t in json.load(open(f, encoding='utf-8'))['tests']:
        body = t['template'].encode()
        parts = t.get('partials') or {}
        if parts:
            body += b'\0' + list(parts.values())[0].encode()
        with open(os.path.join(out, 'spec-%03d' % n), 'wb') as o:
            o.write(body)
        n += 1
PY
	fi
	# shellcheck disable=SC2086
	"$bin" $opts -max_total_time="$SECONDS_EACH" -artifact_prefix="$B/artifacts/$name-" \
		"$B/corpus/$name" "tests/fuzz/corpus/$name" $extra_seeds >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
	extra=""
	grep -q 'Slowest unit' "$log" && extra=", $(grep -o 'Slowest unit: [0-9]* s' "$log" | tail -n 1)"
	if [ "$rc" -ne 0 ]; then
		echo "FAIL fuzz $name: libFuzzer exit $rc after ${execs:-?} execs; input in $B/artifacts/"
		grep -E 'ERROR|invariant|SUMMARY|runtime error|Test unit written' "$log" | head -n 12
		fail=$((fail + 1))
	else
		echo "ok   fuzz $name: ${execs:-?} execs in ${SECONDS_EACH} s (${rate:-?}/s), ${cov:-cov: ?}, $nreg regression inputs replayed$extra"
	fi
done
[ "$fail" -eq 0 ] && echo "fuzz: all $# harnesses ran clean"
[ "$fail" -eq 0 ]
