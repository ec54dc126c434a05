#!/bin/sh
# bench/nodes.sh - `make bench-nodes`: issue 10's benchmark. Uncached article
# requests per second on SQLite vs PostgreSQL, and one node vs two nodes on
# PostgreSQL, in one run. See bench/README.md and bench/RESULTS.md.
#
# One site of BENCH_ARTICLES generated articles (bench/bigsite.py, as
# bench/run.sh's BENCH_BULK=1: `init --demo`, the articles straight into the
# database, `gazette reindex`, plus `gazette related --rebuild` so the pages
# have their "You may also like" lists) is made twice from the same
# generator and the same clock: once in SQLite, once in a throw-away
# PostgreSQL server (tests/pg/pgtmp.sh; `gazette --database URL init --demo`,
# then bigsite.py --pg). Every node runs `serve --threads BENCH_THREADS` with
# `cache_mb = 0` appended to its gazette.conf (bench/run.sh's case (d)), so
# every request renders the page from the database. BENCH_PATHS articles
# spread over the site are each fetched from every node and must be the same
# bytes on all of them (but for the comment form's token).
#
# Cases, each measured with wrk (`-t2 -cN`, bench/nodes.lua cycling through
# the BENCH_PATHS articles, no Accept-Encoding):
#   sq1   one node on SQLite;
#   pg1   one node on PostgreSQL;
#   pg2   two nodes on PostgreSQL, wrk's two threads each on one node;
#   lb1   nginx (bench/nodes-nginx.conf, one worker) in front of one PG node;
#   lb2   the same nginx round-robin over the two PG nodes (the realistic
#         set-up: a balancer in front of the nodes).
# under each BENCH_PIN mode: `split` (every server process - the nodes,
# PostgreSQL, nginx - on one CPU and wrk on the other, as bench/run.sh does:
# requests/s is what one server core gives) and `free` (no pinning: every
# process may use both CPUs). For each: req/s, p50, p99, the server side's CPU
# time per request (the nodes + PostgreSQL + nginx, from /proc/PID/stat), and
# each process group's CPU use (100% = one core), wrk's included, and what
# the machine's CPUs did besides (other people's work).
#
# Then (BENCH_PUBLISH runs, 0 to skip) the time of `gazette post add
# --status published` on each backend (a process start, the write, the search
# index and the related lists), against `--status draft`, alternating, and
# the number of statements one published post sends to PostgreSQL (from its
# log, with log_statement = all for that run).
#
# Environment (defaults):
#   BENCH_DURATION=10s  BENCH_WARMUP=3s  BENCH_CONNECTIONS=50  BENCH_ROUNDS=1
#   BENCH_ARTICLES=10000  BENCH_WORDS=600  BENCH_PATHS=1000  BENCH_THREADS=1
#   BENCH_PIN="split free"  BENCH_PUBLISH=20  BENCH_KEEP=0 (1: keep the temp dir
#   and the PostgreSQL server's folder)  GAZETTE=./gazette  NGINX=nginx  WRK=wrk
set -eu

cd "$(dirname "$0")/.."
GAZETTE=${GAZETTE:-./gazette}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
WRK=${WRK:-wrk}
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-3s}
CONNECTIONS=${BENCH_CONNECTIONS:-50}
ROUNDS=${BENCH_ROUNDS:-1}
ARTICLES=${BENCH_ARTICLES:-10000}
WORDS=${BENCH_WORDS:-600}
SPREAD=${BENCH_PATHS:-1000}
THREADS=${BENCH_THREADS:-1}
PINS=${BENCH_PIN:-split free}
PUBLISH=${BENCH_PUBLISH:-20}
KEEP=${BENCH_KEEP:-0}
PGTMP=tests/pg/pgtmp.sh

. bench/lib.sh # (the cd above put us at the top of the tree)

for v in "$CONNECTIONS" "$ROUNDS" "$ARTICLES" "$WORDS" "$SPREAD" "$THREADS" "$PUBLISH"; do
	case $v in '' | *[!0-9]*) die "BENCH_CONNECTIONS, BENCH_ROUNDS, BENCH_ARTICLES, BENCH_WORDS, BENCH_PATHS, BENCH_THREADS and BENCH_PUBLISH take a number (got '$v')" ;; esac
done
for v in "$DURATION" "$WARMUP"; do
	case $v in [0-9]*[smh] | [0-9]*) ;; *) die "BENCH_DURATION/BENCH_WARMUP: a wrk duration like 10s (got '$v')" ;; esac
done
for m in $PINS; do
	case $m in split | free) ;; *) die "BENCH_PIN: split and/or free (got '$m')" ;; esac
done
[ -n "$PINS" ] || die "BENCH_PIN: split and/or free"
if [ "$CONNECTIONS" -lt 2 ] || [ "$ROUNDS" -lt 1 ] || [ "$THREADS" -lt 1 ] || [ "$SPREAD" -lt 1 ]; then
	die "BENCH_CONNECTIONS must be at least 2, BENCH_ROUNDS, BENCH_THREADS and BENCH_PATHS at least 1"
fi
[ "$SPREAD" -le "$ARTICLES" ] || die "BENCH_PATHS ($SPREAD) is more than BENCH_ARTICLES ($ARTICLES)"
[ -x "$GAZETTE" ] || die "$GAZETTE not found: run 'make gazette' (or 'make bench-nodes')"
[ -x "$NGINX" ] || die "nginx not found: run 'make deps' (Debian nginx-light)"
for t in "$WRK" curl awk sed cmp psql python3 taskset; do
	command -v "$t" >/dev/null 2>&1 || die "$t not found: run 'make deps'"
done
[ -x "$PGTMP" ] || die "$PGTMP not found"

# ---- cleanup: every process we started, the PostgreSQL server, the temp dir ----
TMP='' PGDIR='' SQ_PID='' PA_PID='' PB_PID='' NGX_PID='' NGX_WORKERS='' WRK_PID='' STARTED_PID=''
cleanup() {
	rc=$?
	trap '' INT TERM HUP
	case $rc/$DIED in
	0/* | */1) ;;
	129/ | 130/ | 143/) printf '\nbench: interrupted; cleaning up\n' >&2 ;;
	*) printf '\nbench: FAIL: stopped (exit %s); rerun with sh -x bench/nodes.sh to see where\n' "$rc" >&2 ;;
	esac
	stop "$WRK_PID"
	stop "$STARTED_PID"
	stop "$SQ_PID"
	stop "$PA_PID"
	stop "$PB_PID"
	stop "$NGX_PID"
	for p in $NGX_WORKERS; do # orphaned only if the master had to be killed
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = nginx ] && kill -KILL "$p" 2>/dev/null
	done
	if [ -n "$PGDIR" ]; then
		if [ "$KEEP" = 1 ]; then
			say "kept the PostgreSQL server in $PGDIR ($PGURL); stop it with $PGTMP stop $PGDIR"
		else
			"$PGTMP" stop "$PGDIR" || warn "$PGTMP stop $PGDIR failed"
		fi
	fi
	if [ -n "$TMP" ] && [ -d "$TMP" ]; then
		if [ "$KEEP" = 1 ]; then say "kept $TMP"; else rm -rf "$TMP"; fi
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

TMP=$(mktemp -d "${TMPDIR:-/tmp}/gazette-bench-nodes.XXXXXX")
chmod 711 "$TMP"
mkdir "$TMP/nginx" "$TMP/wrk" "$TMP/pages" "$TMP/pub"
# Run a private copy of the binary: a rebuild during the run changes nothing.
REV="$GAZETTE, $(git describe --always --dirty 2>/dev/null || echo 'commit unknown'), built $(date -u -r "$GAZETTE" '+%Y-%m-%d %H:%M UTC' 2>/dev/null || echo '?')"
cp "$GAZETTE" "$TMP/gazette" || die "cannot copy $GAZETTE"
GAZETTE=$TMP/gazette
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- CPUs: the modes ----
CPUS=$(taskset -cp $$ 2>/dev/null | sed 's/.*: *//' | awk -F, '{
	for (i = 1; i <= NF; i++) {
		sub(/:.*/, "", $i)
		if (split($i, r, "-") == 2) { for (c = r[1]; c <= r[2]; c++) print c } else print r[1]
	}}' || true)
NCPU=$(printf '%s\n' "$CPUS" | grep -c . || true)
ALL_CPUS=$(printf '%s\n' "$CPUS" | paste -sd, -)
if [ "$NCPU" -lt 2 ]; then
	warn "fewer than 2 CPUs: mode split is run as free"
	PINS=free
fi
SRV_CPU=$(printf '%s\n' "$CPUS" | sed -n 1p)
CLI_CPU=$(printf '%s\n' "$CPUS" | sed -n 2p)
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)

# ---- PostgreSQL ----
say "starting a throw-away PostgreSQL server ($PGTMP start)"
PGVARS=$("$PGTMP" start) || die "$PGTMP start failed"
PGDIR=$(printf '%s\n' "$PGVARS" | sed -n 's/^PGTMP_DIR=//p')
PGURL=$(printf '%s\n' "$PGVARS" | sed -n 's/^GAZETTE_TEST_PG=//p')
case $PGDIR in /tmp/gazette-pg-*) ;; *) die "$PGTMP start printed no folder: $PGVARS" ;; esac
case $PGURL in postgresql://*@127.0.0.1:*) ;; *) die "$PGTMP start printed no loopback URL: $PGVARS" ;; esac
PG_MAIN=$(sed -n 1p "$PGDIR/data/postmaster.pid")
alive "$PG_MAIN" || die "no PostgreSQL server process ($PGDIR/data/postmaster.pid)"
PG_VERSION=$(psql -X -At -d "$PGURL" -c 'SHOW server_version' | sed 's/ .*//')

# ---- the two sites: the same generator, the same clock ----
NOW=$(date +%s)
SQ=$TMP/sqlite PG=$TMP/pg
timed() { # LABEL CMD...: run it, append "LABEL SECONDS" to $TMP/build
	l=$1
	shift
	s=$(date +%s%N)
	"$@" || die "$l failed: $*"
	echo "$l $((($(date +%s%N) - s) / 1000000))" >>"$TMP/build"
}
build_site() { # NAME DIR [--database URL]: init --demo, the articles, the search index, the related lists
	name=$1 dir=$2
	shift 2
	say "$name: init --demo, $ARTICLES articles (bench/bigsite.py), reindex, related --rebuild"
	timed "$name.init" "$GAZETTE" --site "$dir" "$@" init --demo >/dev/null
	"$GAZETTE" --site "$dir" settings set base_url https://courier.example >/dev/null ||
		die "$name: settings set base_url failed"
	if [ $# -gt 0 ]; then
		timed "$name.articles" python3 bench/bigsite.py --pg "$2" --now "$NOW" "$dir" "$ARTICLES" "$WORDS" >"$TMP/$name.paths"
	else
		timed "$name.articles" python3 bench/bigsite.py --now "$NOW" "$dir" "$ARTICLES" "$WORDS" >"$TMP/$name.paths"
	fi
	timed "$name.reindex" "$GAZETTE" --site "$dir" reindex >/dev/null
	timed "$name.related" "$GAZETTE" --site "$dir" related --rebuild >/dev/null
	say "$name: $(awk -v n="$name" 'index($1, n ".") == 1 { sub(/.*\./, "", $1); printf "%s%s %.1f s", s, $1, $2 / 1000; s = ", " }' "$TMP/build")"
}
build_site sqlite "$SQ"
build_site pg "$PG" --database "$PGURL"
cmp -s "$TMP/sqlite.paths" "$TMP/pg.paths" || die "bigsite.py wrote different articles into SQLite and PostgreSQL"
for s in "$SQ" "$PG"; do
	! grep -q '^[[:space:]]*cache_mb' "$s/gazette.conf" || warn "$s/gazette.conf sets cache_mb already"
	# per_ip_connections: every client is 127.0.0.1, and nginx keeps up to 64 idle
	# upstream connections per node open after the nginx cases, which with
	# the default 64 per IP made the next direct case's connections fail
	printf '\n# bench/nodes.sh: every request rendered from the database (bench/run.sh case (d))\ncache_mb = 0\nper_ip_connections = 1000\n' >>"$s/gazette.conf"
done
grep -q "^database = $PGURL\$" "$PG/gazette.conf" || die "the PostgreSQL site's gazette.conf does not name $PGURL"
NPOSTS=$("$GAZETTE" --site "$SQ" post list --status published | wc -l)
NPOSTS_PG=$("$GAZETTE" --site "$PG" post list --status published | wc -l)
[ "$NPOSTS" = "$NPOSTS_PG" ] || die "SQLite has $NPOSTS published posts, PostgreSQL $NPOSTS_PG"
SQ_DB_KB=$(du -k "$SQ/gazette.db" | cut -f1)
PG_DB_BYTES=$(psql -X -At -d "$PGURL" -c 'SELECT pg_database_size(current_database())')

# The spread: SPREAD articles evenly over the generated ones.
awk -v n="$ARTICLES" -v k="$SPREAD" 'BEGIN { s = n / k } NR > (c * s) && c < k { print; c++ }' \
	"$TMP/sqlite.paths" >"$TMP/spread"

# ---- the nodes ----
start_gazette() { # SITE-DIR NAME: sets STARTED_PID and STARTED_PORT
	: >"$TMP/$2.out"
	"$GAZETTE" --site "$1" serve --listen 127.0.0.1:0 --threads "$THREADS" \
		</dev/null >"$TMP/$2.out" 2>>"$TMP/$2.log" &
	STARTED_PID=$!
	n=0
	while :; do
		first=$(sed -n 1p "$TMP/$2.out")
		case $first in
		'Listening on http://127.0.0.1:'*/) STARTED_PORT=${first#Listening on http://127.0.0.1:} STARTED_PORT=${STARTED_PORT%/} && break ;;
		?*) die "unexpected first line from gazette serve ($2): $first" ;;
		esac
		alive "$STARTED_PID" || die "gazette serve ($2) exited: $(tail -n 5 "$TMP/$2.log")"
		[ $n -lt 100 ] || die "gazette serve ($2) printed no 'Listening on' line within 10 s"
		sleep 0.1
		n=$((n + 1))
	done
}
start_gazette "$SQ" sq
SQ_PID=$STARTED_PID SQ_PORT=$STARTED_PORT STARTED_PID=''
start_gazette "$PG" pga
PA_PID=$STARTED_PID PA_PORT=$STARTED_PORT STARTED_PID=''
# node B: its own folder (as on another machine), the same database and signing key
mkdir "$TMP/pg-b"
cp "$PG/gazette.conf" "$TMP/pg-b/gazette.conf"
cp "$PG/secret.key" "$TMP/pg-b/secret.key"
start_gazette "$TMP/pg-b" pgb
PB_PID=$STARTED_PID PB_PORT=$STARTED_PORT STARTED_PID=''

# ---- nginx in front of the PG nodes ----
tries=0
while :; do
	tries=$((tries + 1))
	LB1_PORT=$(rand_port) LB2_PORT=$(rand_port)
	[ "$LB1_PORT" != "$LB2_PORT" ] || continue
	sed -e "s|@PORT1@|$LB1_PORT|g" -e "s|@PORT2@|$LB2_PORT|g" -e "s|@NODE_A@|$PA_PORT|g" \
		-e "s|@NODE_B@|$PB_PORT|g" -e "s|@TMP@|$TMP|g" bench/nodes-nginx.conf >"$TMP/nginx/nginx.conf"
	nginx_start "http://127.0.0.1:$LB2_PORT/healthz" && break
	[ $tries -lt 5 ] || die "nginx found its ports taken 5 times"
done
NGX_WORKERS=$(ps -o pid= --ppid "$NGX_PID" 2>/dev/null | tr -d ' ' | tr '\n' ' ' || true)
NGX_VERSION=$("$NGINX" -v 2>&1 | sed 's|.*nginx/||')

# ---- the same pages from every node ----
say "fetching the $SPREAD articles from every node (and through nginx) and comparing them"
tok='s/name="token" value="[^"]*"/name="token" value="T"/'
page() { # PORT PATH OUT: the 200 page, normalised; prints "HEADER-BYTES BODY-BYTES"
	r=$(curl -sS --max-time 10 -o "$3.raw" -D "$3.h" -w '%{http_code} %{size_header} %{size_download}' "http://127.0.0.1:$1$2" ||
		echo "000 0 0")
	set -- $r "$3"
	[ "$1" = 200 ] || return 1
	! tr -d '\r' <"$4.h" | grep -qi '^x-cache: *hit' || die "a node answered X-Cache: HIT (cache_mb = 0)"
	sed "$tok" "$4.raw" >"$4"
	echo "$2 $3"
}
P=$TMP/pages
: >"$TMP/sizes"
k=0 RELATED_PAGES=0
while read -r path; do
	k=$((k + 1))
	s=$(page "$SQ_PORT" "$path" "$P/sq") || die "SQLite node: GET $path did not answer 200"
	for n in "$PA_PORT" "$PB_PORT" "$LB1_PORT" "$LB2_PORT" "$LB2_PORT"; do
		t=$(page "$n" "$path" "$P/other") || die "port $n: GET $path did not answer 200"
		cmp -s "$P/sq" "$P/other" ||
			die "GET $path: port $n (PostgreSQL) answered other bytes than the SQLite node ($(wc -c <"$P/other") vs $(wc -c <"$P/sq") bytes; BENCH_KEEP=1 and see $P)"
		[ "$n" != "$PA_PORT" ] || tp=$t
	done
	echo "$s $tp $t" >>"$TMP/sizes" # SQLite node, PG node A, nginx: header and body bytes
	! grep -q 'You may also like' "$P/sq" || RELATED_PAGES=$((RELATED_PAGES + 1))
done <"$TMP/spread"
# headers may differ in length (Date is fixed-size; no per-node header is expected): both are reported
read -r SQ_HDR PG_HDR LB_HDR BODY_MIN BODY_MAX BODY_SUM <<EOF
$(awk '{ sh += $1; ph += $3; lh += $5; b += $2; if (NR == 1 || $2 < mn) mn = $2; if ($2 > mx) mx = $2 }
	END { printf "%.0f %.0f %.0f %d %d %d\n", sh / NR, ph / NR, lh / NR, mn, mx, b }' "$TMP/sizes")
EOF
say "all $SPREAD articles are the same bytes on SQLite, both PG nodes and nginx: bodies $BODY_MIN-$BODY_MAX bytes, $BODY_SUM in all (headers: SQLite node $SQ_HDR, PG nodes $PG_HDR, nginx $LB_HDR bytes on average)"
for b in "$SQ_PORT" "$PA_PORT"; do
	[ -z "$(curl -sS --max-time 10 "http://127.0.0.1:$b/healthz" | grep '^cache ' || true)" ] ||
		die "the node on port $b reports cache stats on /healthz: its cache is on"
done

# ---- measurement ----
cpus_ticks() { # "busy total" jiffies of all the CPUs we may use (busy = all but idle and iowait)
	for c in $CPUS; do
		awk -v c="cpu$c" '$1 == c { t = 0; for (i = 2; i <= 9 && i <= NF; i++) t += $i; print t - $5 - $6, t }' /proc/stat
	done | awk '{ b += $1; t += $2 } END { print b, t }'
}
pin() { # CPU-LIST: every server process (its threads, its children) onto those CPUs
	for p in "$SQ_PID" "$PA_PID" "$PB_PID" "$NGX_PID" $NGX_WORKERS "$PG_MAIN" $(ps -o pid= --ppid "$PG_MAIN" 2>/dev/null); do
		taskset -a -cp "$1" "$p" >/dev/null 2>&1 || warn "taskset -a -cp $1 $p failed"
	done
}
# the warm-up: CASE URL DURATION OUT-FILE NODES-PORTS
run_wrk() {
	cli=''
	[ "$MODE" != split ] || cli="taskset -c $CLI_CPU"
	# shellcheck disable=SC2086 # $cli: a command prefix or nothing
	NODES=$5 $cli "$WRK" -t2 -c"$CONNECTIONS" -d"$3" --latency -s bench/nodes.lua "$2" -- "$TMP/spread" >"$4" 2>&1 &
	WRK_PID=$!
	rc=0
	wait "$WRK_PID" || rc=$?
	[ $rc -eq 0 ] || die "wrk failed on $2 (exit $rc): $(cat "$4")"
	grep -q '^BENCH ' "$4" || die "wrk printed no summary: $(cat "$4")"
}
HDR=$SQ_HDR
check_log() { # NAME: the node's access log holds only 200s, no cache hits; then empty it
	NON200=$(grep ' access ' "$TMP/$1.log" | grep -cv '" 200 ' || true)
	[ "$NON200" -eq 0 ] || die "the access log of $1 ($TMP/$1.log) shows $NON200 responses that were not 200"
	! grep -q ' access .*cache=hit' "$TMP/$1.log" || die "the access log of $1 shows cache hits"
	[ "$KEEP" = 1 ] || : >"$TMP/$1.log"
}
measure() { # CASE ROUND: warm-up, then the measured run
	c=$1 out=$TMP/wrk/$MODE-$1-$2
	case $c in
	sq1) url=http://127.0.0.1:$SQ_PORT/ nodes=$SQ_PORT gz="$SQ_PID" ngx='' hdr=$SQ_HDR ;;
	pg1) url=http://127.0.0.1:$PA_PORT/ nodes=$PA_PORT gz="$PA_PID" ngx='' hdr=$PG_HDR ;;
	pg2) url=http://127.0.0.1:$PA_PORT/ nodes="$PA_PORT $PB_PORT" gz="$PA_PID $PB_PID" ngx='' hdr=$PG_HDR ;;
	lb1) url=http://127.0.0.1:$LB1_PORT/ nodes='' gz="$PA_PID" ngx=$NGX_PID hdr=$LB_HDR ;;
	lb2) url=http://127.0.0.1:$LB2_PORT/ nodes='' gz="$PA_PID $PB_PID" ngx=$NGX_PID hdr=$LB_HDR ;;
	esac
	say "round $2, $MODE: ($c) $url - warm-up $WARMUP, then $DURATION with $CONNECTIONS connections"
	run_wrk "$c" "$url" "$WARMUP" "$out.warmup" "$nodes"
	WRK_PID=''
	g0=$(cpu_ticks $gz) p0=$(cpu_ticks "$PG_MAIN") x0=0
	[ -z "$ngx" ] || x0=$(cpu_ticks "$ngx")
	m0=$(cpus_ticks)
	# wrk's own CPU: its /proc/PID/stat, read (by shell builtins, cheaply) every
	# 0.1 s while it runs; the last tenth of a second is lost
	cli=''
	[ "$MODE" != split ] || cli="taskset -c $CLI_CPU"
	NODES=$nodes $cli "$WRK" -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/nodes.lua "$url" -- "$TMP/spread" >"$out" 2>&1 &
	WRK_PID=$!
	w=0
	while read -r st 2>/dev/null <"/proc/$WRK_PID/stat"; do
		# shellcheck disable=SC2086 # the fields of /proc/PID/stat (wrk: no space in its name)
		set -- $st
		[ "$3" = Z ] && break
		[ $((${14} + ${15})) -lt "$w" ] || w=$((${14} + ${15}))
		sleep 0.1
	done
	rc=0
	wait "$WRK_PID" || rc=$?
	WRK_PID=''
	g1=$(cpu_ticks $gz) p1=$(cpu_ticks "$PG_MAIN") x1=0
	[ -z "$ngx" ] || x1=$(cpu_ticks "$ngx")
	m1=$(cpus_ticks)
	[ $rc -eq 0 ] || die "wrk failed on $url (exit $rc): $(cat "$out")"
	grep -q '^BENCH ' "$out" || die "wrk printed no summary: $(cat "$out")"
	for p in $gz; do alive "$p" || die "($c) a node died during the run"; done
	cat "$out" >&2
	sed -n 's/^BENCH //p' "$out" | tr ' ' '\n' >"$out.kv"
	awk -F= -v name="$MODE-$c" -v want=$((hdr + BODY_SUM / SPREAD)) -v hz="$CLK_TCK" \
		-v gz=$((g1 - g0)) -v pg=$((p1 - p0)) -v ngx=$((x1 - x0)) -v wrk="$w" \
		-v mbusy=$((${m1% *} - ${m0% *})) -v mtotal=$((${m1#* } - ${m0#* })) -v ncpu="$NCPU" '
		{ v[$1] = $2 }
		END {
			req = v["requests"]; sec = v["duration_us"] / 1e6
			if (req < 1) { print "FAIL no completed requests"; exit }
			if (v["status_errors"] > 0) { printf "FAIL %d of %d responses had an error status (>= 400)\n", v["status_errors"], req; exit }
			per = v["bytes"] / req
			if (per < want * 0.95 || per > want * 1.05) {
				printf "FAIL responses averaged %.0f bytes, the pages %d: not every response was an article page\n", per, want; exit }
			sock = v["connect"] + v["read"] + v["write"] + v["timeout"]
			if (pg < 0) pg = 0 # a PostgreSQL process (not a node connection) ended during the run
			srv = gz + pg + ngx
			# the CPUs busy time not ours (nor wrk): other people on the machine
			wall = mtotal / ncpu
			other = mbusy - srv - wrk; if (other < 0) other = 0
			# fields: 2 req/s, 3 p50, 4 p99, 5 server CPU us/req, 6 gazette %, 7 pg %, 8 nginx %, 9 wrk %, 10 other %, 11 socket errors, 12 machine busy %
			printf "%s %.2f %.0f %.0f %.1f %.1f %.1f %.1f %.1f %.1f %d %.1f\n", name, req / sec, v["p50_us"], v["p99_us"],
				srv * 1e6 / hz / req, gz * 100 / wall, pg * 100 / wall, ngx * 100 / wall, wrk * 100 / wall,
				other * 100 / wall, sock, mbusy * 100 / mtotal
		}' "$out.kv" >"$out.res"
	case $(cat "$out.res") in FAIL*) die "($c): $(sed 's/^FAIL //' "$out.res") ($out)" ;; esac
	set -- $(cat "$out.res")
	[ "${11}" -eq 0 ] || warn "($c): ${11} socket errors (connect/read/write/timeout), see the wrk output above"
	cat "$out.res" >>"$TMP/results"
	check_log sq
	check_log pga
	check_log pgb
}
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$TMP/loads"
r=1
while [ $r -le "$ROUNDS" ]; do
	for MODE in $PINS; do
		if [ "$MODE" = split ]; then pin "$SRV_CPU"; else pin "$ALL_CPUS"; fi
		for c in sq1 pg1 pg2 lb1 lb2; do
			measure "$c" $r
			cut -d' ' -f1 /proc/loadavg >>"$TMP/loads"
		done
	done
	r=$((r + 1))
done
pin "$ALL_CPUS"
LOAD2=$(cut -d' ' -f1-3 /proc/loadavg)

# after the load: every node still answers the same page
path=$(sed -n 1p "$TMP/spread")
page "$SQ_PORT" "$path" "$P/after.sq" >/dev/null || die "after the run the SQLite node did not answer 200"
for n in "$PA_PORT" "$PB_PORT" "$LB2_PORT"; do
	page "$n" "$path" "$P/after" >/dev/null || die "after the run port $n did not answer 200"
	cmp -s "$P/after.sq" "$P/after" || die "after the run port $n answered other bytes than the SQLite node"
done
check_log sq
check_log pga
check_log pgb
# The statements one article page sends to PostgreSQL: a fresh node (new
# sessions pick up log_statement), its second request of an article.
psql -X -q -d "$PGURL" -c "ALTER DATABASE gazette SET log_statement = 'all'" || die "ALTER DATABASE failed"
start_gazette "$TMP/pg-b" pgc
PC_PID=$STARTED_PID PC_PORT=$STARTED_PORT
page "$PC_PORT" "$path" "$P/pgc" >/dev/null || die "the node with log_statement = all did not answer 200"
LOGLINES=$(wc -l <"$PGDIR/log")
page "$PC_PORT" "$path" "$P/pgc" >/dev/null || die "the node with log_statement = all did not answer 200"
tail -n +"$((LOGLINES + 1))" "$PGDIR/log" >"$TMP/page-statements.log"
stop "$PC_PID"
STARTED_PID=''
psql -X -q -d "$PGURL" -c 'ALTER DATABASE gazette RESET log_statement' || die "ALTER DATABASE failed"
# only the page's session (the node's change watcher polls on another one)
PAGE_BACKEND=$(sed -n 's/.*\[\([0-9]*\)\] LOG: *statement: BEGIN ISOLATION LEVEL REPEATABLE READ.*/\1/p' "$TMP/page-statements.log" | sed -n 1p)
[ -n "$PAGE_BACKEND" ] || die "no read snapshot (BEGIN ISOLATION LEVEL REPEATABLE READ) in the server log of one page ($TMP/page-statements.log)"
PAGE_STMTS=$(grep -F "[$PAGE_BACKEND]" "$TMP/page-statements.log" | grep -cE 'LOG: +(statement|execute [^:]*):' || true)
stop "$NGX_PID"
NGX_PID='' NGX_WORKERS=''
stop "$PA_PID"
stop "$PB_PID"
stop "$SQ_PID"
PA_PID='' PB_PID='' SQ_PID=''

# ---- publishing: `post add --status published` on each backend ----
if [ "$PUBLISH" -gt 0 ]; then
	say "publish: $PUBLISH x post add --status published and --status draft per backend, alternating"
	python3 - "$PUBLISH" "$WORDS" "$TMP/pub" <<'EOF' || die "cannot write the articles to publish"
import sys
sys.path.insert(0, 'bench')
import bigsite
n, words, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
for k, (row, md, _, _) in enumerate(bigsite.articles(2 * n, words, 1700000000, 0, [1], [1], [])):
    open('%s/%d.md' % (out, k), 'w').write(md)
    open('%s/%d.title' % (out, k), 'w').write('Timed: ' + row[4])
EOF
	PCAT=$("$GAZETTE" --site "$SQ" category list | sed -n 1p | cut -f2)
	PTAGS=$("$GAZETTE" --site "$SQ" tag list | sed -n '1p;2p' | cut -f2 | paste -sd, -)
	ms_now() { echo $(($(date +%s%N) / 1000000)); }
	add() { # SITE STATUS K -> milliseconds
		t0=$(ms_now)
		"$GAZETTE" --site "$1" post add --title "$(cat "$TMP/pub/$3.title")" --status "$2" \
			--category "$PCAT" --tags "$PTAGS" --file "$TMP/pub/$3.md" </dev/null >>"$TMP/pub/added" 2>>"$TMP/pub/err" ||
			die "post add --status $2 failed on $1: $(tail -n 3 "$TMP/pub/err")"
		echo $(($(ms_now) - t0))
	}
	: >"$TMP/publish"
	k=0
	while [ $k -lt "$PUBLISH" ]; do
		echo "sqlite published $(add "$SQ" published $k)" >>"$TMP/publish"
		echo "pg published $(add "$PG" published $k)" >>"$TMP/publish"
		echo "sqlite draft $(add "$SQ" draft $((PUBLISH + k)))" >>"$TMP/publish"
		echo "pg draft $(add "$PG" draft $((PUBLISH + k)))" >>"$TMP/publish"
		k=$((k + 1))
	done
	# the statements of one more published post, from the server's log
	psql -X -q -d "$PGURL" -c 'ALTER DATABASE gazette SET log_statement = '"'"'all'"'"'' || die "ALTER DATABASE failed"
	LOGLINES=$(wc -l <"$PGDIR/log")
	add "$PG" published 0 >/dev/null
	psql -X -q -d "$PGURL" -c 'ALTER DATABASE gazette RESET log_statement' || die "ALTER DATABASE failed"
	tail -n +"$((LOGLINES + 1))" "$PGDIR/log" >"$TMP/pub/statements.log"
	PUB_STMTS=$(grep -cE 'LOG: +(statement|execute [^:]*):' "$TMP/pub/statements.log" || true)
	PUB_RELATED=$(grep -E 'LOG: +(statement|execute [^:]*):' "$TMP/pub/statements.log" | grep -ciE 'related' || true)
fi

# ---- report ----
MODEL=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo 2>/dev/null | sed -n 1p)
LOADS=$(sort -n "$TMP/loads" | awk '{ a[NR] = $1 } END { printf "%s-%s", a[1], a[NR] }')
awk -v rounds="$ROUNDS" -v modes="$PINS" -v date="$(date -u '+%Y-%m-%d %H:%M UTC')" -v model="${MODEL:-unknown CPU}" \
	-v ncpu="$(nproc)" -v rev="$REV" -v nposts="$NPOSTS" -v spread="$SPREAD" -v threads="$THREADS" \
	-v conns="$CONNECTIONS" -v dur="$DURATION" -v pgv="$PG_VERSION" -v ngv="$NGX_VERSION" \
	-v bmin="$BODY_MIN" -v bmax="$BODY_MAX" -v bsum="$BODY_SUM" -v sqh="$SQ_HDR" -v pgh="$PG_HDR" \
	-v load0="$LOAD0" -v load1="$LOAD1" -v load2="$LOAD2" -v loads="$LOADS" -v srvcpu="$SRV_CPU" -v clicpu="$CLI_CPU" \
	-v sqdb="$SQ_DB_KB" -v pgdb="$PG_DB_BYTES" -v related="$RELATED_PAGES" -v build="$(tr '\n' ' ' <"$TMP/build")" '
	function commas(x,   s) {
		s = sprintf("%.0f", x)
		while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s)
		return s
	}
	function ms(us) { return us < 10000 ? sprintf("%.2f ms", us / 1000) : sprintf("%.1f ms", us / 1000) }
	function median(name, k,   a, n, i, j, t) {
		n = 0
		for (i = 1; i <= cnt[name]; i++) a[++n] = val[name, i, k]
		for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	{ i = ++cnt[$1]; for (k = 2; k <= NF; k++) val[$1, i, k] = $k }
	END {
		nb = split(build, b, " ")
		for (i = 1; i < nb; i += 2) bt[b[i]] = b[i + 1] / 1000
		label["sq1"] = "(1) one node, SQLite"
		label["pg1"] = "(2) one node, PostgreSQL"
		label["pg2"] = "(3) two nodes, PostgreSQL (wrk thread per node)"
		label["lb1"] = "(2n) nginx -> one PG node"
		label["lb2"] = "(3n) nginx round-robin -> two PG nodes"
		mdesc["split"] = "servers (nodes, PostgreSQL, nginx) on CPU " srvcpu ", wrk on CPU " clicpu
		mdesc["free"] = "not pinned: every process may use both CPUs"
		printf "\nGazette nodes benchmark, %s - %s, %s CPUs\n", date, model, ncpu
		printf "gazette: %s; PostgreSQL %s (tests/pg/pgtmp.sh: fsync off, loopback); nginx %s\n", rev, pgv, ngv
		printf "site: %d published posts (bench/bigsite.py + reindex + related --rebuild), SQLite database %.0f MB, PostgreSQL database %.0f MB\n",
			nposts, sqdb / 1024, pgdb / 1048576
		printf "built in: SQLite %.1f s (articles %.1f, reindex %.1f, related %.1f); PostgreSQL %.1f s (init %.1f, articles %.1f, reindex %.1f, related %.1f)\n",
			bt["sqlite.init"] + bt["sqlite.articles"] + bt["sqlite.reindex"] + bt["sqlite.related"], bt["sqlite.articles"], bt["sqlite.reindex"], bt["sqlite.related"],
			bt["pg.init"] + bt["pg.articles"] + bt["pg.reindex"] + bt["pg.related"], bt["pg.init"], bt["pg.articles"], bt["pg.reindex"], bt["pg.related"]
		printf "requests: %d articles spread over the site, cycled (bench/nodes.lua), cache_mb = 0, every node serve --threads %d; the %d pages are byte-identical from the SQLite node, both PG nodes and nginx (but for the comment form token): bodies %s-%s bytes, %s in all, %d of them with a \"You may also like\" list; headers %d bytes (SQLite node) / %d (PG)\n",
			spread, threads, spread, commas(bmin), commas(bmax), commas(bsum), related, sqh, pgh
		printf "wrk -t2 -c%s -d%s --latency, after a warm-up; load average (1, 5, 15 min) at the start %s, before the measurements %s, after %s; the 1-min figure ranged %s during them\n",
			conns, dur, load0, load1, load2, loads
		nm = split(modes, ms_, " ")
		for (m = 1; m <= nm; m++) {
			mode = ms_[m]
			if (rounds > 1) {
				printf "\n%s, every round:\n\n| round | case | req/s | p50 | p99 | server CPU per request | socket errors |\n| ---: | --- | ---: | ---: | ---: | ---: | ---: |\n", mode
				for (r = 1; r <= rounds; r++) for (s = 1; s <= 5; s++) {
					n = mode "-" substr("sq1pg1pg2lb1lb2", 3 * s - 2, 3)
					printf "| %d | %s | %s | %s | %s | %.1f µs | %d |\n", r, substr(n, length(mode) + 2), commas(val[n, r, 2]), ms(val[n, r, 3]), ms(val[n, r, 4]), val[n, r, 5], val[n, r, 11]
				}
			}
			printf "\n**%s** - %s%s:\n\n", mode, mdesc[mode], (rounds > 1 ? sprintf(", medians of %d rounds", rounds) : "")
			printf "| case | req/s | p50 | p99 | server CPU per request | gazette CPU | PostgreSQL CPU | nginx CPU | wrk CPU | others on the machine | machine busy |\n"
			printf "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
			for (s = 1; s <= 5; s++) {
				c = substr("sq1pg1pg2lb1lb2", 3 * s - 2, 3); n = mode "-" c
				R[n] = median(n, 2); C[n] = median(n, 5)
				printf "| %s | %s | %s | %s | %.1f µs | %.0f%% | %.0f%% | %.0f%% | %.0f%% | %.0f%% | %.0f%% |\n", label[c], commas(R[n]),
					ms(median(n, 3)), ms(median(n, 4)), C[n], median(n, 6), median(n, 7), median(n, 8), median(n, 9), median(n, 10), median(n, 12)
			}
			printf "\nRatios (%s): PostgreSQL / SQLite, one node: req/s **%.2fx**, CPU per request %.2fx; two nodes / one node on PostgreSQL: req/s **%.2fx** direct, **%.2fx** behind nginx (CPU per request %.2fx, %.2fx); nginx in front of one node: req/s %.2fx\n",
				mode, R[mode "-pg1"] / R[mode "-sq1"], C[mode "-pg1"] / C[mode "-sq1"], R[mode "-pg2"] / R[mode "-pg1"], R[mode "-lb2"] / R[mode "-lb1"],
				C[mode "-pg2"] / C[mode "-pg1"], C[mode "-lb2"] / C[mode "-lb1"], R[mode "-lb1"] / R[mode "-pg1"]
		}
		printf "\nCPU columns: share of one core over the run (100%% = one core busy); \"others\" = the CPUs busy time not used by these processes (other people on the machine); \"machine busy\" = all %d CPUs.\n", ncpu
	}' "$TMP/results"
printf '\nOne article page sends %s statements to PostgreSQL (BEGIN and COMMIT of its read snapshot included).\n' "$PAGE_STMTS"
if [ "$PUBLISH" -gt 0 ]; then
	printf '\nPublishing on the %s-post site: `gazette post add` wall time (process start, open, the write, search index, related lists), %s runs each, alternating:\n\n' \
		"$NPOSTS" "$PUBLISH"
	awk '{ k = $1 " " $2; n[k]++; v[k, n[k]] = $3 }
		function med(k,   a, i, j, t, c) { c = n[k]; for (i = 1; i <= c; i++) a[i] = v[k, i]
			for (i = 2; i <= c; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
			lo[k] = a[1]; hi[k] = a[c]; return c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2 }
		END {
			print "| backend | published: median (min-max) | draft: median (min-max) | published - draft |"
			print "| --- | ---: | ---: | ---: |"
			split("sqlite pg", bs, " ")
			for (i = 1; i <= 2; i++) {
				p = med(bs[i] " published"); d = med(bs[i] " draft")
				printf "| %s | %d ms (%d-%d) | %d ms (%d-%d) | %d ms |\n", (bs[i] == "pg" ? "PostgreSQL" : "SQLite"), p, lo[bs[i] " published"], hi[bs[i] " published"],
					d, lo[bs[i] " draft"], hi[bs[i] " draft"], p - d
				P[i] = p
			}
			printf "\nPostgreSQL / SQLite, a published post: %.2fx\n", P[2] / P[1]
		}' "$TMP/publish"
	printf 'One published post sent %s statements to PostgreSQL (log_statement = all), %s of them naming a related-articles table.\n' "$PUB_STMTS" "$PUB_RELATED"
fi
