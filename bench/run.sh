#!/bin/sh
# bench/run.sh - `make bench`: Gazette's uncached article page against nginx
# serving the same bytes as a static file, measured with wrk on loopback in
# one run. See bench/README.md and bench/RESULTS.md.
#
# Steps: a temporary site (`init --demo` + BENCH_ARTICLES generated articles
# of ~BENCH_WORDS words); `gazette serve --threads 1`; the middle article of
# `post list --status published` is fetched and saved as www/article.html;
# nginx (bench/nginx.conf, one worker) serves that file; for each server a
# warm-up then a measured wrk run. Servers are pinned to one CPU and wrk to
# another when there are two or more. Prints a Markdown table; fails when a
# response is not the expected 200 page. Everything is removed on exit.
#
# Environment (defaults):
#   BENCH_DURATION=10s  BENCH_WARMUP=3s  BENCH_CONNECTIONS=50  BENCH_ROUNDS=1
#   BENCH_ARTICLES=300  BENCH_WORDS=600  BENCH_KEEP=0 (1: keep the temp dir)
#   BENCH_SERVER_CPU / BENCH_CLIENT_CPU (default: first two allowed CPUs)
#   GAZETTE=./gazette  NGINX=nginx  WRK=wrk
set -eu

cd "$(dirname "$0")/.."
GAZETTE=${GAZETTE:-./gazette}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
WRK=${WRK:-wrk}
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-3s}
CONNECTIONS=${BENCH_CONNECTIONS:-50}
ROUNDS=${BENCH_ROUNDS:-1}
ARTICLES=${BENCH_ARTICLES:-300}
WORDS=${BENCH_WORDS:-600}
KEEP=${BENCH_KEEP:-0}

say() { printf 'bench: %s\n' "$*" >&2; }
warn() { printf 'bench: WARNING: %s\n' "$*" >&2; }
DIED=''
die() {
	DIED=1
	printf '\nbench: FAIL: %s\n' "$*" >&2
	[ "${KEEP:-0}" = 1 ] || [ -z "${TMP:-}" ] || echo "bench: (BENCH_KEEP=1 keeps the temporary directory for a look)" >&2
	exit 1
}

for v in "$CONNECTIONS" "$ROUNDS" "$ARTICLES" "$WORDS"; do
	case $v in '' | *[!0-9]*) die "BENCH_CONNECTIONS, BENCH_ROUNDS, BENCH_ARTICLES and BENCH_WORDS take a number (got '$v')" ;; esac
done
for v in "$DURATION" "$WARMUP"; do
	case $v in [0-9]*[smh] | [0-9]*) ;; *) die "BENCH_DURATION/BENCH_WARMUP: a wrk duration like 10s (got '$v')" ;; esac
done
if [ "$CONNECTIONS" -lt 1 ] || [ "$ROUNDS" -lt 1 ]; then die "BENCH_CONNECTIONS and BENCH_ROUNDS must be at least 1"; fi
[ -x "$GAZETTE" ] || die "$GAZETTE not found: run 'make gazette' (or 'make bench')"
[ -x "$NGINX" ] || die "nginx not found: run 'make deps' (Debian nginx-light)"
for t in "$WRK" curl awk sed cmp; do
	command -v "$t" >/dev/null 2>&1 || die "$t not found: run 'make deps'"
done

# ---- cleanup: every process we started and the temp dir, on any exit ----
TMP='' GZ_PID='' NGX_PID='' NGX_WORKERS='' WRK_PID=''
alive() { # PID: running (not gone, not a zombie)
	kill -0 "$1" 2>/dev/null || return 1
	case $(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null) in Z*) return 1 ;; esac
	return 0
}
stop() { # PID: TERM, up to 5 s, then KILL; reap
	[ -n "$1" ] || return 0
	kill -TERM "$1" 2>/dev/null || true
	n=0
	while alive "$1" && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
	kill -KILL "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}
cleanup() {
	rc=$?
	trap '' INT TERM HUP
	case $rc/$DIED in
	0/* | */1) ;;
	129/ | 130/ | 143/) printf '\nbench: interrupted; cleaning up\n' >&2 ;;
	*) printf '\nbench: FAIL: stopped (exit %s); rerun with sh -x bench/run.sh to see where\n' "$rc" >&2 ;;
	esac
	stop "$WRK_PID"
	stop "$GZ_PID"
	stop "$NGX_PID"
	for p in $NGX_WORKERS; do # orphaned only if the master had to be killed
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = nginx ] && kill -KILL "$p" 2>/dev/null
	done
	if [ -n "$TMP" ] && [ -d "$TMP" ]; then
		if [ "$KEEP" = 1 ]; then say "kept $TMP"; else rm -rf "$TMP"; fi
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

TMP=$(mktemp -d "${TMPDIR:-/tmp}/gazette-bench.XXXXXX")
chmod 711 "$TMP" # nginx's worker may run as another user: it needs to reach www/
SITE=$TMP/site WWW=$TMP/www
mkdir -m 755 "$WWW" "$TMP/gen"
mkdir "$TMP/nginx" "$TMP/wrk"
# Run a private copy of the binary: a rebuild during the run changes nothing.
GZ_BUILD=$GAZETTE
cp "$GAZETTE" "$TMP/gazette" || die "cannot copy $GAZETTE"
GAZETTE=$TMP/gazette

# ---- CPU pinning: server on one CPU, wrk on another ----
CPUS=$(taskset -cp $$ 2>/dev/null | sed 's/.*: *//' | awk -F, '{
	for (i = 1; i <= NF; i++) {
		sub(/:.*/, "", $i)
		if (split($i, r, "-") == 2) { for (c = r[1]; c <= r[2]; c++) print c } else print r[1]
	}}' || true)
NCPU=$(printf '%s\n' "$CPUS" | grep -c . || true)
SRV_PIN='' CLI_PIN='' PINNING="not pinned (taskset missing or fewer than 2 CPUs)"
if [ "$NCPU" -ge 2 ]; then
	SRV_CPU=${BENCH_SERVER_CPU:-$(printf '%s\n' "$CPUS" | sed -n 1p)}
	CLI_CPU=${BENCH_CLIENT_CPU:-$(printf '%s\n' "$CPUS" | sed -n 2p)}
	SRV_PIN="taskset -c $SRV_CPU" CLI_PIN="taskset -c $CLI_CPU"
	PINNING="server on CPU $SRV_CPU, wrk on CPU $CLI_CPU"
fi
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)

# ---- the site: demo content + generated articles ----
t0=$(date +%s)
say "creating the site in $SITE"
"$GAZETTE" --site "$SITE" init --demo >/dev/null || die "gazette init --demo failed"
list() { "$GAZETTE" --site "$SITE" "$@" | cut -f2 | tr '\n' ' '; }
CATS=$(list category list) AUTHORS=$(list user list) TAGS=$(list tag list)
awk -v n="$ARTICLES" -v words="$WORDS" -v dir="$TMP/gen" -v now="$(date +%s)" -v seed=42 \
	-v cats="$CATS" -v authors="$AUTHORS" -v tags="$TAGS" \
	-f bench/genposts.awk >"$TMP/gen/manifest" || die "article generation failed"
say "adding $ARTICLES generated articles of ~$WORDS words"
TAB=$(printf '\t')
while IFS=$TAB read -r i title cat author tags date; do
	set -- --title "$title" --status published --date "$date" --file "$TMP/gen/$i.md"
	[ "$cat" = - ] || set -- "$@" --category "$cat"
	[ "$author" = - ] || set -- "$@" --author "$author"
	[ "$tags" = - ] || set -- "$@" --tags "$tags"
	"$GAZETTE" --site "$SITE" post add "$@" </dev/null >>"$TMP/gen/added" ||
		die "post add failed for generated article $i ($title)"
done <"$TMP/gen/manifest"
"$GAZETTE" --site "$SITE" post list --status published >"$TMP/posts" || die "post list failed"
NPOSTS=$(wc -l <"$TMP/posts")
[ "$NPOSTS" -gt 0 ] || die "no published posts"
LINE=$(sed -n "$(((NPOSTS + 1) / 2))p" "$TMP/posts")
ART_ID=$(printf '%s\n' "$LINE" | cut -f1)
ART_URL=$(printf '%s\n' "$LINE" | cut -f4)
ART_TITLE=$(printf '%s\n' "$LINE" | cut -f5)
case $ART_URL in /*) ;; *) die "unexpected post list line: $LINE" ;; esac
say "site ready in $(($(date +%s) - t0)) s: $NPOSTS published posts; article #$ART_ID $ART_URL"

# ---- gazette serve ----
$SRV_PIN "$GAZETTE" --site "$SITE" serve --listen 127.0.0.1:0 --threads 1 \
	</dev/null >"$TMP/gazette.out" 2>"$TMP/gazette.log" &
GZ_PID=$!
n=0
while :; do
	first=$(sed -n 1p "$TMP/gazette.out")
	case $first in
	'Listening on http://127.0.0.1:'*/) GZ_BASE=${first#Listening on } && break ;;
	?*) die "unexpected first line from gazette serve: $first" ;;
	esac
	alive "$GZ_PID" || die "gazette serve exited: $(tail -n 5 "$TMP/gazette.log")"
	[ $n -lt 100 ] || die "gazette serve printed no 'Listening on' line within 10 s"
	sleep 0.1
	n=$((n + 1))
done
GZ_URL=${GZ_BASE%/}$ART_URL

fetch() { # URL BODY-FILE HEADER-FILE -> "STATUS HEADER-BYTES BODY-BYTES"
	curl -sS --max-time 10 -o "$2" -D "$3" -w '%{http_code} %{size_header} %{size_download}' "$1" ||
		echo "000 0 0"
}
# shellcheck disable=SC2046 # fetch prints three words
set -- $(fetch "$GZ_URL" "$WWW/article.html" "$TMP/gazette.headers")
[ "$1" = 200 ] || die "GET $GZ_URL answered $1, not 200"
GZ_HDR=$2 BODY=$3
chmod 644 "$WWW/article.html"
grep -qF "$ART_TITLE" "$WWW/article.html" || die "the page at $GZ_URL does not show the article's title"
grep -q 'aria-current="page"' "$WWW/article.html" || warn "no breadcrumb (aria-current) on $GZ_URL"

keepalive() { # URL -> yes|no: does a second request reuse the connection?
	c=$(curl -sS --max-time 10 -o /dev/null -o /dev/null -w '%{num_connects} ' "$1" "$1" 2>/dev/null || true)
	case $c in '1 0 ') echo yes ;; *) echo no ;; esac
}
GZ_KA=$(keepalive "$GZ_URL")
[ "$GZ_KA" = yes ] || warn "gazette did not keep the connection alive (Connection: close?): expect lower throughput"

# ---- nginx on a free port, serving the same bytes ----
rand_port() { echo $((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 12000)); }
tries=0
while :; do
	tries=$((tries + 1))
	NGX_PORT=$(rand_port)
	sed -e "s|@PORT@|$NGX_PORT|g" -e "s|@ROOT@|$WWW|g" -e "s|@TMP@|$TMP|g" \
		bench/nginx.conf >"$TMP/nginx/nginx.conf"
	: >"$TMP/nginx/error.log"
	"$NGINX" -q -t -p "$TMP/nginx/" -e "$TMP/nginx/error.log" -c "$TMP/nginx/nginx.conf" 2>"$TMP/nginx/test.log" ||
		die "nginx -t rejects the configuration: $(cat "$TMP/nginx/test.log")"
	$SRV_PIN "$NGINX" -p "$TMP/nginx/" -e "$TMP/nginx/error.log" -c "$TMP/nginx/nginx.conf" \
		</dev/null >"$TMP/nginx/stdout" 2>&1 &
	NGX_PID=$!
	NGX_URL=http://127.0.0.1:$NGX_PORT/article.html
	n=0
	while alive "$NGX_PID" && [ $n -lt 100 ]; do
		code=$(curl -s --max-time 2 -o /dev/null -w '%{http_code}' "$NGX_URL" || true)
		[ "$code" = 000 ] || break
		sleep 0.1
		n=$((n + 1))
	done
	alive "$NGX_PID" && break
	wait "$NGX_PID" 2>/dev/null || true
	NGX_PID=''
	grep -q 'in use' "$TMP/nginx/error.log" "$TMP/nginx/stdout" && [ $tries -lt 5 ] && continue
	die "nginx did not start: $(tail -n 5 "$TMP/nginx/error.log" "$TMP/nginx/stdout")"
done
NGX_WORKERS=$(ps -o pid= --ppid "$NGX_PID" 2>/dev/null | tr -d ' ' | tr '\n' ' ' || true)
# shellcheck disable=SC2046 # fetch prints three words
set -- $(fetch "$NGX_URL" "$TMP/nginx.body" "$TMP/nginx.headers")
[ "$1" = 200 ] || die "nginx answered $1 for $NGX_URL, not 200 (see $TMP/nginx/error.log)"
NGX_HDR=$2
cmp -s "$TMP/nginx.body" "$WWW/article.html" || die "nginx does not serve the same bytes as gazette"
NGX_KA=$(keepalive "$NGX_URL")
[ "$NGX_KA" = yes ] || warn "nginx did not keep the connection alive"
NGX_VERSION=$("$NGINX" -v 2>&1 | sed 's|.*nginx/||')

# ---- measurement ----
cpu_ticks() { # PID...: utime+stime (clock ticks) of these processes and their children
	for p in "$@"; do
		echo "$p"
		ps -o pid= --ppid "$p" 2>/dev/null || true
	done | while read -r q; do
		sed 's/^.*) //' "/proc/$q/stat" 2>/dev/null || true
	done | awk '{ s += $12 + $13 } END { print s + 0 }'
}
core_ticks() { # CPU: "busy total" jiffies of that CPU (busy = all but idle and iowait)
	[ -n "$1" ] || { echo "0 0"; return; }
	awk -v c="cpu$1" '$1 == c { t = 0; for (i = 2; i <= 9 && i <= NF; i++) t += $i; print t - $5 - $6, t }' /proc/stat
}
run_wrk() { # URL DURATION OUT-FILE
	$CLI_PIN "$WRK" -t1 -c"$CONNECTIONS" -d"$2" --latency -s bench/report.lua "$1" >"$3" 2>&1 &
	WRK_PID=$!
	rc=0
	wait "$WRK_PID" || rc=$?
	WRK_PID=''
	[ $rc -eq 0 ] || die "wrk failed on $1 (exit $rc): $(cat "$3")"
	grep -q '^BENCH ' "$3" || die "wrk printed no summary: $(cat "$3")"
}
measure() { # NAME PID URL EXPECTED-BYTES-PER-RESPONSE ROUND
	out=$TMP/wrk/$1-$5
	say "round $5: $1 - warm-up $WARMUP, then $DURATION with $CONNECTIONS connections"
	run_wrk "$3" "$WARMUP" "$out.warmup"
	c0=$(cpu_ticks "$2")
	k0=$(core_ticks "${CLI_CPU:-}")
	run_wrk "$3" "$DURATION" "$out"
	c1=$(cpu_ticks "$2")
	k1=$(core_ticks "${CLI_CPU:-}")
	alive "$2" || die "$1 died during the run"
	cat "$out" >&2
	set -- "$1" "$2" "$3" "$4" "$5" "$c0" "$c1"
	sed -n 's/^BENCH //p' "$out" | tr ' ' '\n' >"$out.kv"
	awk -F= -v name="$1" -v want="$4" -v ticks=$(($7 - $6)) -v hz="$CLK_TCK" \
		-v kbusy=$((${k1% *} - ${k0% *})) -v ktotal=$((${k1#* } - ${k0#* })) '
		{ v[$1] = $2 }
		END {
			req = v["requests"]; sec = v["duration_us"] / 1e6
			if (req < 1) { print "FAIL no completed requests"; exit }
			if (v["status_errors"] > 0) { printf "FAIL %d of %d responses had an error status (>= 400)\n", v["status_errors"], req; exit }
			per = v["bytes"] / req
			if (per < want * 0.95 || per > want * 1.05) {
				printf "FAIL responses averaged %.0f bytes, the 200 page is %d: not every response was the page\n", per, want; exit }
			sock = v["connect"] + v["read"] + v["write"] + v["timeout"]
			printf "%s %.2f %.0f %.0f %.2f %.1f %.0f %d %.1f\n", name, req / sec, v["p99_us"], v["p50_us"],
				ticks * 1e6 / hz / req, ticks * 100 / hz / sec, per, sock, (ktotal > 0 ? kbusy * 100 / ktotal : -1)
		}' "$out.kv" >"$out.res"
	case $(cat "$out.res") in FAIL*) die "$1: $(sed 's/^FAIL //' "$out.res") ($out)" ;; esac
	read -r _ _ _ _ _ _ _ sock _ <"$out.res"
	[ "$sock" -eq 0 ] || warn "$1: $sock socket errors (connect/read/write/timeout), see the wrk output above"
	cat "$out.res" >>"$TMP/results"
}
LOAD=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
r=1
while [ $r -le "$ROUNDS" ]; do
	measure gazette "$GZ_PID" "$GZ_URL" $((GZ_HDR + BODY)) $r
	measure nginx "$NGX_PID" "$NGX_URL" $((NGX_HDR + BODY)) $r
	r=$((r + 1))
done
# The servers must still answer 200 with the page after the load.
# shellcheck disable=SC2046 # fetch prints three words
set -- $(fetch "$GZ_URL" "$TMP/after.body" "$TMP/after.headers")
if [ "$1" != 200 ] || [ "$3" != "$BODY" ]; then die "after the run gazette answered $1 with $3 bytes (expected 200, $BODY)"; fi
# shellcheck disable=SC2046 # fetch prints three words
set -- $(fetch "$NGX_URL" "$TMP/after.body" "$TMP/after.headers")
if [ "$1" != 200 ] || [ "$3" != "$BODY" ]; then die "after the run nginx answered $1 with $3 bytes (expected 200, $BODY)"; fi
NON200=$(grep ' access ' "$TMP/gazette.log" | grep -cv '" 200 ' || true)
[ "$NON200" -eq 0 ] || die "gazette's access log shows $NON200 responses that were not 200"

# ---- report ----
MODEL=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo 2>/dev/null | sed -n 1p)
REV="$GZ_BUILD, $(git describe --always --dirty 2>/dev/null || echo 'commit unknown'), built $(date -u -r "$GZ_BUILD" '+%Y-%m-%d %H:%M UTC' 2>/dev/null || echo '?')"
awk -v rounds="$ROUNDS" -v body="$BODY" -v gzh="$GZ_HDR" -v ngh="$NGX_HDR" \
	-v url="$ART_URL" -v title="$ART_TITLE" -v nposts="$NPOSTS" -v conns="$CONNECTIONS" \
	-v dur="$DURATION" -v pin="$PINNING" -v ngv="$NGX_VERSION" -v model="${MODEL:-unknown CPU}" \
	-v ncpu="$(nproc 2>/dev/null || echo '?')" -v rev="$REV" -v load="$LOAD" \
	-v gzka="$GZ_KA" -v ngka="$NGX_KA" -v date="$(date -u '+%Y-%m-%d %H:%M UTC')" '
	function commas(x,   s, neg) {
		s = sprintf("%.0f", x); neg = ""
		if (s ~ /^-/) { neg = "-"; s = substr(s, 2) }
		while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s)
		return neg s
	}
	function pct(x) { return x < 0 ? "n/a" : sprintf("%.0f%%", x) }
	function median(name, k,   a, n, i, j, t) {
		n = 0
		for (i = 1; i <= cnt[name]; i++) a[++n] = val[name, i, k]
		for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	{ i = ++cnt[$1]; for (k = 2; k <= NF; k++) val[$1, i, k] = $k }
	END {
		printf "\nGazette benchmark, %s - %s, %s CPUs, %s\n", date, model, ncpu, pin
		printf "gazette: %s\narticle %s (\"%s\") from a site of %d published posts\n", rev, url, title, nposts
		printf "wrk -t1 -c%s -d%s --latency, after a warm-up; load average before: %s\n", conns, dur, load
		if (rounds > 1) {
			printf "\n| round | server | req/s | p99 | server CPU per request | server CPU use | client core busy |\n"
			printf "| ---: | --- | ---: | ---: | ---: | ---: | ---: |\n"
			for (i = 1; i <= rounds; i++) for (s = 0; s < 2; s++) {
				n = s ? "nginx" : "gazette"
				printf "| %d | %s | %s | %.2f ms | %.1f µs | %.0f%% | %s |\n", i, n, commas(val[n, i, 2]),
					val[n, i, 3] / 1000, val[n, i, 5], val[n, i, 6], pct(val[n, i, 9])
			}
			printf "\nMedians of %d rounds:\n", rounds
		}
		g = median("gazette", 2); x = median("nginx", 2)
		gp = median("gazette", 3); xp = median("nginx", 3)
		gc = median("gazette", 5); xc = median("nginx", 5)
		printf "\n| server | req/s | p99 latency | server CPU per request | server CPU use | client core busy | response bytes (headers + body) | keep-alive |\n"
		printf "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n"
		printf "| gazette: article page rendered from the database (uncached) | %s | %.2f ms | %.1f µs | %.0f%% | %s | %s + %s | %s |\n",
			commas(g), gp / 1000, gc, median("gazette", 6), pct(median("gazette", 9)), commas(gzh), commas(body), gzka
		printf "| nginx %s: the same bytes as a static file | %s | %.2f ms | %.1f µs | %.0f%% | %s | %s + %s | %s |\n",
			ngv, commas(x), xp / 1000, xc, median("nginx", 6), pct(median("nginx", 9)), commas(ngh), commas(body), ngka
		printf "| **ratio gazette / nginx** | **%.3fx** | %.2fx | %.2fx | | | | |\n", g / x, gp / xp, gc / xc
	}' "$TMP/results"
