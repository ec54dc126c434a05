#!/bin/sh
# bench/run.sh - `make bench`: Gazette's page cache and its uncached path
# against nginx serving the same bytes as a static file, measured with wrk on
# loopback in one run (issue 8, "Benchmark"). See bench/README.md and
# bench/RESULTS.md.
#
# Cases, each measured with wrk (identity: wrk sends no Accept-Encoding):
#   (a) nginx (bench/nginx.conf, one worker) serving the article's HTML as a
#       static file - the reference;
#   (b) the same article from Gazette's page cache (cache_mb default), warmed
#       first and checked to answer `X-Cache: HIT` with exactly (a)'s body;
#   (c) the home page from the same cache;
#   (d) the same article from a second `gazette serve` on the same database
#       with `cache_mb = 0` appended to its gazette.conf (rendered from the
#       database on every request), checked not to answer X-Cache: HIT;
#   (e) the RSS feed /feed/ from the page cache;
#   (f) a search (/search?q=BENCH_SEARCH) on the cache-off process, so the
#       query runs on every request.
# Then start-up time (a fresh `serve` until the article answers 200, median
# of BENCH_STARTS), and optionally RSS over BENCH_RSS_REQUESTS requests
# (sampled every BENCH_RSS_STEP) and RSS of a BENCH_BIG_ARTICLES site with
# BENCH_BIG_CACHED pages cached (bench/bigsite.py builds it).
#
# Steps: a temporary site (`init --demo` + BENCH_ARTICLES generated articles
# of ~BENCH_WORDS words); the two gazette processes (`--threads 1`); the
# middle article of `post list --status published` is fetched from the cache
# and saved as www/article.html for nginx; for each case a warm-up then a
# measured wrk run, in alternating rounds. Servers are pinned to one CPU and
# wrk to another when there are two or more. Prints a Markdown table; fails
# when a response is not the expected 200 page, or a cached case was not
# served from the cache. Everything is removed on exit.
#
# Environment (defaults):
#   BENCH_DURATION=10s  BENCH_WARMUP=3s  BENCH_CONNECTIONS=50  BENCH_ROUNDS=1
#   BENCH_ARTICLES=10000  BENCH_WORDS=600  BENCH_KEEP=0 (1: keep the temp dir)
#   BENCH_PERF=0 (1: afterwards, `perf record -g` gazette under load (b) for
#                 BENCH_DURATION and print the top of `perf report`)
#   BENCH_SERVER_CPU / BENCH_CLIENT_CPU (default: first two allowed CPUs)
#   BENCH_BULK=1 (the BENCH_ARTICLES go straight into the database with
#                 bench/bigsite.py, then `gazette reindex` and `related --rebuild`:
#                 ~25 s for issue 8's 10,000; 0: one `gazette post add` each,
#                 which recomputes related lists as it goes - use a few hundred)
#   BENCH_SEARCH=ferry  BENCH_STARTS=3  BENCH_RSS_REQUESTS=0 (e.g. 1000000)
#   BENCH_RSS_STEP=100000  BENCH_BIG_ARTICLES=0 (e.g. 100000)  BENCH_BIG_CACHED=10000
#   GAZETTE=./gazette  NGINX=nginx  WRK=wrk  PERF=perf
set -eu

cd "$(dirname "$0")/.."
GAZETTE=${GAZETTE:-./gazette}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
WRK=${WRK:-wrk}
PERF=${PERF:-perf}
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-3s}
CONNECTIONS=${BENCH_CONNECTIONS:-50}
ROUNDS=${BENCH_ROUNDS:-1}
ARTICLES=${BENCH_ARTICLES:-10000}
WORDS=${BENCH_WORDS:-600}
KEEP=${BENCH_KEEP:-0}
PROFILE=${BENCH_PERF:-0}
SEARCH_Q=${BENCH_SEARCH:-ferry}
STARTS=${BENCH_STARTS:-3}
RSS_REQUESTS=${BENCH_RSS_REQUESTS:-0}
RSS_STEP=${BENCH_RSS_STEP:-100000}
BIG_ARTICLES=${BENCH_BIG_ARTICLES:-0}
BIG_CACHED=${BENCH_BIG_CACHED:-10000}
BULK=${BENCH_BULK:-1}

. bench/lib.sh # (the cd above put us at the top of the tree)

for v in "$CONNECTIONS" "$ROUNDS" "$ARTICLES" "$WORDS" "$PROFILE" "$STARTS" "$RSS_REQUESTS" "$RSS_STEP" "$BIG_ARTICLES" "$BIG_CACHED" "$BULK"; do
	case $v in '' | *[!0-9]*) die "BENCH_CONNECTIONS, BENCH_ROUNDS, BENCH_ARTICLES, BENCH_WORDS and BENCH_PERF and the other BENCH_ counts take a number (got '$v')" ;; esac
done
case $SEARCH_Q in '' | *[!a-z]*) die "BENCH_SEARCH: one lower-case word (got '$SEARCH_Q')" ;; esac
for v in "$DURATION" "$WARMUP"; do
	case $v in [0-9]*[smh] | [0-9]*) ;; *) die "BENCH_DURATION/BENCH_WARMUP: a wrk duration like 10s (got '$v')" ;; esac
done
if [ "$CONNECTIONS" -lt 1 ] || [ "$ROUNDS" -lt 1 ]; then die "BENCH_CONNECTIONS and BENCH_ROUNDS must be at least 1"; fi
[ -x "$GAZETTE" ] || die "$GAZETTE not found: run 'make gazette' (or 'make bench')"
[ -x "$NGINX" ] || die "nginx not found: run 'make deps' (Debian nginx-light)"
for t in "$WRK" curl awk sed cmp gzip; do
	command -v "$t" >/dev/null 2>&1 || die "$t not found: run 'make deps'"
done
if [ "$PROFILE" != 0 ]; then
	command -v "$PERF" >/dev/null 2>&1 || die "BENCH_PERF=1 needs perf (Debian linux-perf)"
fi

# ---- cleanup: every process we started and the temp dir, on any exit ----
TMP='' GZ_PID='' NC_PID='' NGX_PID='' NGX_WORKERS='' WRK_PID='' PERF_PID='' ST_PID='' BIG_PID=''
STARTED_PID=''
cleanup() {
	rc=$?
	trap '' INT TERM HUP
	case $rc/$DIED in
	0/* | */1) ;;
	129/ | 130/ | 143/) printf '\nbench: interrupted; cleaning up\n' >&2 ;;
	*) printf '\nbench: FAIL: stopped (exit %s); rerun with sh -x bench/run.sh to see where\n' "$rc" >&2 ;;
	esac
	stop "$WRK_PID"
	stop "$ST_PID"
	stop "$BIG_PID"
	stop "$STARTED_PID" # a server start_gazette gave up on
	stop "$PERF_PID"
	stop "$GZ_PID"
	stop "$NC_PID"
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
SITE=$TMP/site NOCACHE=$TMP/site-nocache WWW=$TMP/www
mkdir -m 755 "$WWW" "$TMP/gen"
mkdir "$TMP/nginx" "$TMP/wrk" "$TMP/pages"
# Run a private copy of the binary: a rebuild during the run changes nothing.
GZ_BUILD=$GAZETTE
REV="$GZ_BUILD, $(git describe --always --dirty 2>/dev/null || echo 'commit unknown'), built $(date -u -r "$GZ_BUILD" '+%Y-%m-%d %H:%M UTC' 2>/dev/null || echo '?')"
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
	PINNING="servers on CPU $SRV_CPU, wrk on CPU $CLI_CPU"
fi
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)

# ---- the site: demo content + generated articles ----
t0=$(date +%s)
say "creating the site in $SITE"
"$GAZETTE" --site "$SITE" init --demo >/dev/null || die "gazette init --demo failed"
list() { "$GAZETTE" --site "$SITE" "$@" | cut -f2 | tr '\n' ' '; }
# A fixed base URL: otherwise absolute links (canonical, og:url, JSON-LD) are
# taken from the request's Host header, and the two gazette processes, on
# different ports, would not render the same bytes.
"$GAZETTE" --site "$SITE" settings set base_url https://courier.example >/dev/null ||
	die "gazette settings set base_url failed"
if [ "$BULK" = 1 ]; then
	# minutes instead of hours at 10,000 (post add recomputes related lists)
	say "writing $ARTICLES generated articles straight into the database (bench/bigsite.py), then gazette reindex"
	python3 bench/bigsite.py "$SITE" "$ARTICLES" "$WORDS" >/dev/null || die "bench/bigsite.py failed"
	"$GAZETTE" --site "$SITE" reindex >/dev/null || die "gazette reindex failed"
	# every article shows its "You may also like" list, as on a real site
	"$GAZETTE" --site "$SITE" related --rebuild >/dev/null 2>&1 || die "gazette related --rebuild failed"
else
	CATS=$(list category list) AUTHORS=$(list user list) TAGS=$(list tag list)
	awk -v n="$ARTICLES" -v words="$WORDS" -v dir="$TMP/gen" -v now="$(date +%s)" -v seed=42 \
		-v cats="$CATS" -v authors="$AUTHORS" -v tags="$TAGS" \
		-f bench/genposts.awk >"$TMP/gen/manifest" || die "article generation failed"
	say "adding $ARTICLES generated articles of ~$WORDS words"
	TAB=$(printf '\t')
	k=0
	while IFS=$TAB read -r i title cat author tags date; do
		set -- --title "$title" --status published --date "$date" --file "$TMP/gen/$i.md"
		[ "$cat" = - ] || set -- "$@" --category "$cat"
		[ "$author" = - ] || set -- "$@" --author "$author"
		[ "$tags" = - ] || set -- "$@" --tags "$tags"
		"$GAZETTE" --site "$SITE" post add "$@" </dev/null >>"$TMP/gen/added" ||
			die "post add failed for generated article $i ($title)"
		rm -f "$TMP/gen/$i.md"
		k=$((k + 1))
		[ $((k % 1000)) -ne 0 ] || say "  $k of $ARTICLES added ($(($(date +%s) - t0)) s)"
	done <"$TMP/gen/manifest"
fi
"$GAZETTE" --site "$SITE" post list --status published >"$TMP/posts" || die "post list failed"
NPOSTS=$(wc -l <"$TMP/posts")
[ "$NPOSTS" -gt 0 ] || die "no published posts"
LINE=$(sed -n "$(((NPOSTS + 1) / 2))p" "$TMP/posts")
ART_ID=$(printf '%s\n' "$LINE" | cut -f1)
ART_URL=$(printf '%s\n' "$LINE" | cut -f4 | sed 's|^https*://[^/]*||')
ART_TITLE=$(printf '%s\n' "$LINE" | cut -f5)
case $ART_URL in /*) ;; *) die "unexpected post list line: $LINE" ;; esac
GEN_S=$(($(date +%s) - t0))
say "site ready in $GEN_S s: $NPOSTS published posts; article #$ART_ID $ART_URL"

# The cache-off process: its own gazette.conf (the site's, with the database
# given by absolute path and `cache_mb = 0` appended), the same database.
mkdir "$NOCACHE"
cp "$SITE/gazette.conf" "$NOCACHE/gazette.conf"
printf '\n# bench/run.sh: case (d), the same database and signing key without the page cache\ndatabase = %s\nsecrets = %s\ncache_mb = 0\n' \
	"$SITE/gazette.db" "$SITE/secret.key" >>"$NOCACHE/gazette.conf"
! grep -q '^[[:space:]]*cache_mb' "$SITE/gazette.conf" ||
	warn "the site's gazette.conf sets cache_mb: $(grep '^[[:space:]]*cache_mb' "$SITE/gazette.conf")"

# ---- the two gazette processes ----
start_gazette() { # SITE-DIR NAME: sets STARTED_PID and STARTED_BASE (http://127.0.0.1:PORT/)
	: >"$TMP/$2.out" # before the process starts: polled at once below
	$SRV_PIN "$GAZETTE" --site "$1" serve --listen 127.0.0.1:0 --threads 1 \
		</dev/null >"$TMP/$2.out" 2>>"$TMP/$2.log" & # append mode: check_log truncates it
	STARTED_PID=$!
	n=0
	while :; do
		first=$(sed -n 1p "$TMP/$2.out")
		case $first in
		'Listening on http://127.0.0.1:'*/) STARTED_BASE=${first#Listening on } && break ;;
		?*) die "unexpected first line from gazette serve ($2): $first" ;;
		esac
		alive "$STARTED_PID" || die "gazette serve ($2) exited: $(tail -n 5 "$TMP/$2.log")"
		[ $n -lt 100 ] || die "gazette serve ($2) printed no 'Listening on' line within 10 s"
		sleep 0.1
		n=$((n + 1))
	done
}
start_gazette "$SITE" gazette
GZ_PID=$STARTED_PID GZ_BASE=$STARTED_BASE STARTED_PID=''
start_gazette "$NOCACHE" nocache
NC_PID=$STARTED_PID NC_BASE=$STARTED_BASE STARTED_PID=''
GZ_URL=${GZ_BASE%/}$ART_URL
HOME_URL=$GZ_BASE
NC_URL=${NC_BASE%/}$ART_URL

fetch() { # URL BODY-FILE HEADER-FILE [CURL-ARGS...] -> "STATUS HEADER-BYTES BODY-BYTES"
	u=$1 b=$2 h=$3
	shift 3
	curl -sS --max-time 10 "$@" -o "$b" -D "$h" -w '%{http_code} %{size_header} %{size_download}' "$u" ||
		echo "000 0 0"
}
header() { # HEADER-FILE NAME: the value of that response header (first one), or nothing
	tr -d '\r' <"$1" | awk -v n="$2" 'BEGIN { n = tolower(n) ":" }
		tolower(substr($0, 1, length(n))) == n { v = substr($0, length(n) + 1); sub(/^[ \t]+/, "", v); print v; exit }'
}
# The comment form's token carries the second the page was rendered, so a
# page rendered afresh (cache off) differs from the cached copy there only.
same_page() { # FILE FILE: the same bytes but for the comment form's token
	tok='s/name="token" value="[^"]*"/name="token" value="T"/'
	[ "$(sed "$tok" "$1" | cksum)" = "$(sed "$tok" "$2" | cksum)" ]
}
keepalive() { # URL -> yes|no: does a second request reuse the connection?
	c=$(curl -sS --max-time 10 -o /dev/null -o /dev/null -w '%{num_connects} ' "$1" "$1" 2>/dev/null || true)
	case $c in '1 0 ') echo yes ;; *) echo no ;; esac
}
cache_counts() { # BASE-URL -> "HITS MISSES" from /healthz
	curl -sS --max-time 10 "${1%/}/healthz" 2>/dev/null |
		sed -n 's/^cache .* hits \([0-9][0-9]*\) misses \([0-9][0-9]*\).*/\1 \2/p'
}

# (b) the article from the cache: the first request renders and stores it
# (MISS), the second must be a HIT with the same bytes; that body is what
# nginx serves.
P=$TMP/pages
# shellcheck disable=SC2046 # fetch prints three words
set -- $(fetch "$GZ_URL" "$P/article.miss" "$P/article.miss.h")
[ "$1" = 200 ] || die "GET $GZ_URL answered $1, not 200"
[ "$(header "$P/article.miss.h" X-Cache)" = MISS ] ||
	warn "the first request of $ART_URL answered X-Cache: '$(header "$P/article.miss.h" X-Cache)', not MISS"
# shellcheck disable=SC2046 # fetch prints three words
set -- $(fetch "$GZ_URL" "$WWW/article.html" "$P/article.h")
[ "$1" = 200 ] || die "GET $GZ_URL (second time) answered $1, not 200"
GZ_HDR=$2 BODY=$3
[ "$(header "$P/article.h" X-Cache)" = HIT ] ||
	die "the second request of $GZ_URL did not come from the page cache (X-Cache: '$(header "$P/article.h" X-Cache)', expected HIT)"
[ -z "$(header "$P/article.h" Content-Encoding)" ] || die "gazette answered a request without Accept-Encoding with Content-Encoding: $(header "$P/article.h" Content-Encoding)"
cmp -s "$P/article.miss" "$WWW/article.html" || die "the cached article (HIT) differs from the page as first rendered (MISS)"
chmod 644 "$WWW/article.html"
grep -qF "$ART_TITLE" "$WWW/article.html" || die "the page at $GZ_URL does not show the article's title"
grep -q 'aria-current="page"' "$WWW/article.html" || warn "no breadcrumb (aria-current) on $GZ_URL"
# Compressed variants exist (not measured: wrk asks for identity, like nginx's file).
# shellcheck disable=SC2046 # fetch prints three words
set -- $(fetch "$GZ_URL" "$P/article.gz" "$P/article.gz.h" -H 'Accept-Encoding: gzip')
GZIP_BYTES=$3
if [ "$1" != 200 ] || [ "$(header "$P/article.gz.h" Content-Encoding)" != gzip ]; then
	warn "Accept-Encoding: gzip got $1 with Content-Encoding '$(header "$P/article.gz.h" Content-Encoding)'"
	GZIP_BYTES='-'
elif ! gzip -dc <"$P/article.gz" | cmp -s - "$WWW/article.html"; then
	die "the gzip variant of $ART_URL does not decompress to the identity body"
fi
# shellcheck disable=SC2046 # fetch prints three words
set -- $(fetch "$GZ_URL" "$P/article.br" "$P/article.br.h" -H 'Accept-Encoding: br')
BR_BYTES=$3
if [ "$1" != 200 ] || [ "$(header "$P/article.br.h" Content-Encoding)" != br ]; then
	warn "Accept-Encoding: br got $1 with Content-Encoding '$(header "$P/article.br.h" Content-Encoding)'"
	BR_BYTES='-'
fi
GZ_KA=$(keepalive "$GZ_URL")
[ "$GZ_KA" = yes ] || warn "gazette did not keep the connection alive (Connection: close?): expect lower throughput"

# (c) the home page from the cache.
# shellcheck disable=SC2046 # fetch prints three words
set -- $(fetch "$HOME_URL" "$P/home.miss" "$P/home.miss.h")
[ "$1" = 200 ] || die "GET $HOME_URL answered $1, not 200"
# shellcheck disable=SC2046 # fetch prints three words
set -- $(fetch "$HOME_URL" "$P/home" "$P/home.h")
[ "$1" = 200 ] || die "GET $HOME_URL (second time) answered $1, not 200"
HOME_HDR=$2 HOME_BODY=$3
[ "$(header "$P/home.h" X-Cache)" = HIT ] ||
	die "the second request of $HOME_URL did not come from the page cache (X-Cache: '$(header "$P/home.h" X-Cache)', expected HIT)"
cmp -s "$P/home.miss" "$P/home" || die "the cached home page (HIT) differs from the page as first rendered (MISS)"
grep -qF "$(sed -n 1p "$TMP/posts" | cut -f5)" "$P/home" || warn "the home page does not show the newest post's title"
HOME_KA=$(keepalive "$HOME_URL")

# (d) the article from the process without a cache: never a HIT, same bytes.
# shellcheck disable=SC2046 # fetch prints three words
set -- $(fetch "$NC_URL" "$P/nocache.1" "$P/nocache.1.h")
[ "$1" = 200 ] || die "GET $NC_URL (cache_mb = 0) answered $1, not 200"
# shellcheck disable=SC2046 # fetch prints three words
set -- $(fetch "$NC_URL" "$P/nocache" "$P/nocache.h")
[ "$1" = 200 ] || die "GET $NC_URL (cache_mb = 0, second time) answered $1, not 200"
NC_HDR=$2
if [ "$(header "$P/nocache.1.h" X-Cache)" = HIT ] || [ "$(header "$P/nocache.h" X-Cache)" = HIT ]; then
	die "the process with cache_mb = 0 answered X-Cache: HIT"
fi
if [ "$3" != "$BODY" ] || ! same_page "$P/nocache" "$WWW/article.html"; then
	die "the article without the cache ($3 bytes) differs from the cached one ($BODY bytes)"
fi
[ -z "$(cache_counts "$NC_BASE")" ] || die "the process with cache_mb = 0 reports cache stats on /healthz: its cache is on"
NC_KA=$(keepalive "$NC_URL")
[ "$NC_KA" = yes ] || warn "gazette (cache_mb = 0) did not keep the connection alive"

# (e) the RSS feed from the cache: MISS, then a HIT with the same bytes.
FEED_URL=${GZ_BASE%/}/feed/
# shellcheck disable=SC2046 # fetch prints three words
set -- $(fetch "$FEED_URL" "$P/feed.miss" "$P/feed.miss.h")
[ "$1" = 200 ] || die "GET $FEED_URL answered $1, not 200"
# shellcheck disable=SC2046 # fetch prints three words
set -- $(fetch "$FEED_URL" "$P/feed" "$P/feed.h")
[ "$1" = 200 ] || die "GET $FEED_URL (second time) answered $1, not 200"
FEED_HDR=$2 FEED_BODY=$3
[ "$(header "$P/feed.h" X-Cache)" = HIT ] ||
	die "the second request of $FEED_URL did not come from the page cache (X-Cache: '$(header "$P/feed.h" X-Cache)', expected HIT)"
cmp -s "$P/feed.miss" "$P/feed" || die "the cached feed (HIT) differs from the feed as first rendered (MISS)"
grep -q '<rss' "$P/feed" || die "$FEED_URL is not an RSS document"
FEED_KA=$(keepalive "$FEED_URL")

# (f) a search on the cache-off process, so every request runs the query
# (a repeated search would otherwise be a cache hit like (b)).
SEARCH_URL=${NC_BASE%/}/search?q=$SEARCH_Q
# shellcheck disable=SC2046 # fetch prints three words
set -- $(fetch "$SEARCH_URL" "$P/search.1" "$P/search.1.h")
[ "$1" = 200 ] || die "GET $SEARCH_URL answered $1, not 200"
# shellcheck disable=SC2046 # fetch prints three words
set -- $(fetch "$SEARCH_URL" "$P/search" "$P/search.h")
[ "$1" = 200 ] || die "GET $SEARCH_URL (second time) answered $1, not 200"
SEARCH_HDR=$2 SEARCH_BODY=$3
cmp -s "$P/search.1" "$P/search" || die "two answers to $SEARCH_URL differ"
[ "$(header "$P/search.h" X-Cache)" != HIT ] || die "the process with cache_mb = 0 answered X-Cache: HIT for $SEARCH_URL"
grep -qi "$SEARCH_Q" "$P/search" || die "the results for '$SEARCH_Q' do not show the word"
SEARCH_KA=$(keepalive "$SEARCH_URL")

# ---- nginx on a free port, serving the same bytes ----
tries=0
while :; do
	tries=$((tries + 1))
	NGX_PORT=$(rand_port)
	sed -e "s|@PORT@|$NGX_PORT|g" -e "s|@ROOT@|$WWW|g" -e "s|@TMP@|$TMP|g" \
		bench/nginx.conf >"$TMP/nginx/nginx.conf"
	NGX_URL=http://127.0.0.1:$NGX_PORT/article.html
	# shellcheck disable=SC2086 # SRV_PIN is a command and its arguments, or empty
	nginx_start "$NGX_URL" $SRV_PIN && break
	[ $tries -lt 5 ] || die "nginx found its port taken 5 times"
done
NGX_WORKERS=$(ps -o pid= --ppid "$NGX_PID" 2>/dev/null | tr -d ' ' | tr '\n' ' ' || true)
# shellcheck disable=SC2046 # fetch prints three words
set -- $(fetch "$NGX_URL" "$P/nginx" "$P/nginx.h")
[ "$1" = 200 ] || die "nginx answered $1 for $NGX_URL, not 200 (see $TMP/nginx/error.log)"
NGX_HDR=$2
cmp -s "$P/nginx" "$WWW/article.html" || die "nginx does not serve the same bytes as gazette's cache"
NGX_KA=$(keepalive "$NGX_URL")
[ "$NGX_KA" = yes ] || warn "nginx did not keep the connection alive"
NGX_VERSION=$("$NGINX" -v 2>&1 | sed 's|.*nginx/||')

# ---- measurement ----
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
wrk_requests() { sed -n 's/^BENCH requests=\([0-9]*\) .*/\1/p' "$1"; }
measure() { # CASE PID URL EXPECTED-BYTES-PER-RESPONSE ROUND [CACHE-BASE-URL]
	out=$TMP/wrk/$1-$5
	say "round $5: ($1) $3 - warm-up $WARMUP, then $DURATION with $CONNECTIONS connections"
	h0=''
	[ -z "${6:-}" ] || h0=$(cache_counts "$6")
	run_wrk "$3" "$WARMUP" "$out.warmup"
	c0=$(cpu_ticks "$2")
	k0=$(core_ticks "${CLI_CPU:-}")
	run_wrk "$3" "$DURATION" "$out"
	c1=$(cpu_ticks "$2")
	k1=$(core_ticks "${CLI_CPU:-}")
	alive "$2" || die "($1) the server died during the run"
	cat "$out" >&2
	if [ -n "${6:-}" ]; then
		# Every response of the warm-up and the run must have been a cache hit.
		h1=$(cache_counts "$6")
		if [ -z "$h0" ] || [ -z "$h1" ]; then die "($1) no cache stats on ${6}healthz"; fi
		served=$(($(wrk_requests "$out.warmup") + $(wrk_requests "$out")))
		hits=$((${h1% *} - ${h0% *})) misses=$((${h1#* } - ${h0#* }))
		# the /healthz request itself counts one miss
		if [ "$hits" -lt "$served" ] || [ "$misses" -gt 1 ]; then
			die "($1) not served from the cache: $hits hits and $misses misses for $served responses"
		fi
		say "($1) cache: $hits hits, $misses misses (/healthz itself) for $served responses"
	fi
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
	case $(cat "$out.res") in FAIL*) die "($1): $(sed 's/^FAIL //' "$out.res") ($out)" ;; esac
	read -r _ _ _ _ _ _ _ sock _ <"$out.res"
	[ "$sock" -eq 0 ] || warn "($1): $sock socket errors (connect/read/write/timeout), see the wrk output above"
	cat "$out.res" >>"$TMP/results"
}
check_log() { # NAME: gazette's access log holds only 200s; then empty it (~130 bytes a request)
	NON200=$(grep ' access ' "$TMP/$1.log" | grep -cv '" 200 ' || true)
	[ "$NON200" -eq 0 ] || die "the access log of $1 ($TMP/$1.log) shows $NON200 responses that were not 200"
	if [ "$1" = nocache ] && grep -q ' access .*cache=hit' "$TMP/$1.log"; then
		die "the access log of the cache_mb = 0 process shows cache hits"
	fi
	[ "$KEEP" = 1 ] || : >"$TMP/$1.log"
}
LOAD=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
r=1
while [ $r -le "$ROUNDS" ]; do
	measure a "$NGX_PID" "$NGX_URL" $((NGX_HDR + BODY)) $r
	measure b "$GZ_PID" "$GZ_URL" $((GZ_HDR + BODY)) $r "$GZ_BASE"
	measure c "$GZ_PID" "$HOME_URL" $((HOME_HDR + HOME_BODY)) $r "$GZ_BASE"
	measure e "$GZ_PID" "$FEED_URL" $((FEED_HDR + FEED_BODY)) $r "$GZ_BASE"
	check_log gazette
	measure d "$NC_PID" "$NC_URL" $((NC_HDR + BODY)) $r
	measure f "$NC_PID" "$SEARCH_URL" $((SEARCH_HDR + SEARCH_BODY)) $r
	check_log nocache
	r=$((r + 1))
done

# The servers must still answer 200 with the page after the load.
after() { # NAME URL EXPECTED-BODY-FILE X-CACHE (or '': any but HIT)
	name=$1 url=$2 want=$3 xc=$4
	# shellcheck disable=SC2046 # fetch prints three words
	set -- $(fetch "$url" "$TMP/after.body" "$TMP/after.headers")
	if [ "$1" != 200 ] || ! same_page "$TMP/after.body" "$want"; then
		die "after the run $name answered $1 with $3 bytes (expected 200 and the same $(wc -c <"$want") bytes as before)"
	fi
	got=$(header "$TMP/after.headers" X-Cache)
	if [ -n "$xc" ]; then
		[ "$got" = "$xc" ] || die "after the run $name answered X-Cache: '$got', expected $xc"
	else
		[ "$got" != HIT ] || die "after the run $name answered X-Cache: HIT"
	fi
}
after "gazette (article)" "$GZ_URL" "$WWW/article.html" HIT
after "gazette (home page)" "$HOME_URL" "$P/home" HIT
after "gazette (feed)" "$FEED_URL" "$P/feed" HIT
after "gazette (search, cache_mb = 0)" "$SEARCH_URL" "$P/search" ''
after "gazette (cache_mb = 0)" "$NC_URL" "$WWW/article.html" ''
after nginx "$NGX_URL" "$WWW/article.html" ''
check_log gazette
check_log nocache
CACHE_LINE=$(curl -sS --max-time 10 "${GZ_BASE%/}/healthz" | sed -n 's/^cache //p')

# ---- start-up: from exec to the first served request ----
now_ms() { echo $(($(date +%s%N) / 1000000)); }
startup() { # SITE-DIR PATH -> "LISTENING-MS FIRST-200-MS": a fresh `serve`, timed
	rm -f "$TMP/start.out"
	t0=$(now_ms)
	$SRV_PIN "$GAZETTE" --site "$1" serve --listen 127.0.0.1:0 --threads 1 \
		</dev/null >"$TMP/start.out" 2>>"$TMP/start.log" &
	ST_PID=$!
	until grep -q '^Listening on http://' "$TMP/start.out" 2>/dev/null; do
		alive "$ST_PID" || die "gazette serve (start-up run) exited: $(tail -n 5 "$TMP/start.log")"
		[ $(($(now_ms) - t0)) -lt 60000 ] || die "gazette serve printed no 'Listening on' line within 60 s"
	done
	t1=$(now_ms)
	u=$(sed -n 's/^Listening on //p' "$TMP/start.out")
	u=${u%/}$2
	until [ "$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "$u")" = 200 ]; do
		[ $(($(now_ms) - t0)) -lt 60000 ] || die "no 200 from $u within 60 s of starting"
	done
	t2=$(now_ms)
	stop "$ST_PID"
	ST_PID=''
	echo "$((t1 - t0)) $((t2 - t0))"
}
startup_median() { # SITE-DIR PATH -> a sentence: the median of STARTS starts
	k=0
	: >"$TMP/starts"
	while [ $k -lt "$STARTS" ]; do
		startup "$1" "$2" >>"$TMP/starts"
		k=$((k + 1))
	done
	sort -n -k2 "$TMP/starts" | awk '{ l[NR] = $1; f[NR] = $2; all = all (NR > 1 ? ", " : "") $2 }
		END { m = int((NR + 1) / 2)
			printf "first article page (200) %d ms after exec, its \"Listening on\" line at %d ms (the median of %d starts: %s ms)", f[m], l[m], NR, all }'
}
STARTUP_LINE=''
if [ "$STARTS" -gt 0 ]; then
	say "start-up time: $STARTS fresh starts of gazette serve, each until the article answers 200"
	STARTUP_LINE="$(startup_median "$SITE" "$ART_URL") ($NPOSTS posts)"
fi

vmrss_kb() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status" 2>/dev/null; }
served() { # BASE-URL: hits + misses so far (every request the cache looked at)
	cache_counts "$1" | awk '{ print $1 + $2 }'
}
# wrk over a list of paths until the server has answered TARGET more
# requests (its own count, from /healthz), sampling RSS every STEP.
RSS_ROWS=''
paths_run() { # PID BASE-URL PATHS-FILE TARGET STEP LOG-NAME -> RSS rows "requests RSS-kB" in $TMP/rss.rows
	pid=$1 base=$2 file=$3 target=$4 step=$5
	: >"$TMP/rss.rows"
	start=$(served "$base")
	[ -n "$start" ] || die "no cache counters on ${base}healthz"
	echo "0 $(vmrss_kb "$pid")" >>"$TMP/rss.rows"
	$CLI_PIN "$WRK" -t1 -c"$CONNECTIONS" -d24h -s bench/paths.lua "$base" -- "$file" "$target" \
		>"$TMP/wrk/paths.out" 2>&1 &
	WRK_PID=$!
	next=$step
	while :; do
		sleep 0.2
		n=$(($(served "$base") - start))
		if [ "$n" -ge "$next" ] || [ "$n" -ge "$target" ]; then
			echo "$n $(vmrss_kb "$pid")" >>"$TMP/rss.rows"
			[ "$6" = '' ] || check_log "$6"
			while [ "$next" -le "$n" ]; do next=$((next + step)); done
		fi
		[ "$n" -lt "$target" ] || break
		alive "$WRK_PID" || die "wrk stopped after $n of $target requests: $(cat "$TMP/wrk/paths.out")"
		alive "$pid" || die "the server died after $n requests"
	done
	kill -INT "$WRK_PID" 2>/dev/null || true
	wait "$WRK_PID" 2>/dev/null || true
	WRK_PID=''
	grep -q 'status_errors=0 ' "$TMP/wrk/paths.out" || die "error statuses during the paths run: $(tail -n 3 "$TMP/wrk/paths.out")"
}

# ---- RSS over many requests (BENCH_RSS_REQUESTS) ----
if [ "$RSS_REQUESTS" -gt 0 ]; then
	# every article, the home page, the feed, a tag archive and searches:
	# misses fill the cache on the first pass, hits after that (unless
	# the pages outgrow cache_mb: then every request is a miss)
	cut -f4 "$TMP/posts" | sed 's|^https*://[^/]*||' >"$TMP/rss.paths"
	printf '/\n/feed/\n/feed/atom/\n/search?q=%s\n/search?q=harbour\n/page/2/\n' "$SEARCH_Q" >>"$TMP/rss.paths"
	say "RSS of gazette (pid $GZ_PID) over $RSS_REQUESTS requests on $(wc -l <"$TMP/rss.paths") paths, sampled every $RSS_STEP"
	RSS_BEFORE=$(cache_counts "$GZ_BASE")
	paths_run "$GZ_PID" "$GZ_BASE" "$TMP/rss.paths" "$RSS_REQUESTS" "$RSS_STEP" gazette
	cp "$TMP/rss.rows" "$TMP/rss.main"
	RSS_CACHE=$(curl -sS --max-time 10 "${GZ_BASE%/}/healthz" | sed -n 's/^cache //p')
	# what the run was: when the paths' pages outgrow cache_mb, LRU evicts
	# each one before its next turn and every request is a miss
	RSS_HITMISS=$(echo "$RSS_BEFORE $(cache_counts "$GZ_BASE")" | awk '{ printf "%d hits, %d misses", $3 - $1, $4 - $2 }')
fi

# ---- RSS at BENCH_BIG_ARTICLES articles with BENCH_BIG_CACHED cached pages ----
if [ "$BIG_ARTICLES" -gt 0 ]; then
	BIG=$TMP/big
	t0=$(date +%s)
	say "building a site of $BIG_ARTICLES articles (bench/bigsite.py, straight into the database)"
	"$GAZETTE" --site "$BIG" init --demo >/dev/null || die "gazette init --demo (big site) failed"
	"$GAZETTE" --site "$BIG" settings set base_url https://courier.example >/dev/null || die "settings set (big site) failed"
	python3 bench/bigsite.py "$BIG" "$BIG_ARTICLES" "$WORDS" >"$TMP/big.paths" || die "bench/bigsite.py failed"
	BIG_GEN_S=$(($(date +%s) - t0))
	[ "$(wc -l <"$TMP/big.paths")" -ge "$BIG_CACHED" ] || die "BENCH_BIG_CACHED ($BIG_CACHED) is more than the articles"
	# room for every page: its three bodies are ~30 KB
	printf '\n# bench/run.sh: room for BENCH_BIG_CACHED pages\ncache_mb = 2048\n' >>"$BIG/gazette.conf"
	BIG_START=$(startup_median "$BIG" "$(sed -n 1p "$TMP/big.paths")")
	: >"$TMP/big.out"
	$SRV_PIN "$GAZETTE" --site "$BIG" serve --listen 127.0.0.1:0 --threads 1 \
		</dev/null >"$TMP/big.out" 2>>"$TMP/big.log" &
	BIG_PID=$!
	n=0
	until grep -q '^Listening on http://' "$TMP/big.out"; do
		alive "$BIG_PID" || die "gazette serve (big site) exited: $(tail -n 5 "$TMP/big.log")"
		[ $n -lt 600 ] || die "gazette serve (big site) did not start"
		sleep 0.1
		n=$((n + 1))
	done
	BIG_BASE=$(sed -n 's/^Listening on //p' "$TMP/big.out")
	sleep 1
	BIG_RSS0=$(vmrss_kb "$BIG_PID")
	# spread over the whole site: every (N / CACHED)th article
	awk -v n="$BIG_ARTICLES" -v k="$BIG_CACHED" 'BEGIN { s = n / k } NR > (c * s) && c < k { print; c++ }' \
		"$TMP/big.paths" >"$TMP/big.cached"
	say "fetching $(wc -l <"$TMP/big.cached") distinct articles once each into the cache"
	paths_run "$BIG_PID" "$BIG_BASE" "$TMP/big.cached" "$BIG_CACHED" "$BIG_CACHED" big
	BIG_RSS1=$(vmrss_kb "$BIG_PID")
	BIG_CACHE=$(curl -sS --max-time 10 "${BIG_BASE%/}/healthz" | sed -n 's/^cache //p')
	BIG_DB=$(du -k "$BIG/gazette.db" | cut -f1)
	stop "$BIG_PID"
	BIG_PID=''
fi

# ---- optional: where gazette's time goes under load (b) ----
if [ "$PROFILE" != 0 ]; then
	say "perf record -g of gazette (pid $GZ_PID) under load (b) for $DURATION"
	secs=$(printf '%s\n' "$DURATION" | awk '{ n = $0 + 0; if ($0 ~ /m$/) n *= 60; if ($0 ~ /h$/) n *= 3600; print int(n) }')
	PERF_S=$((secs > 3 ? secs - 2 : 1))
	$CLI_PIN "$WRK" -t1 -c"$CONNECTIONS" -d"$DURATION" -s bench/report.lua "$GZ_URL" >"$TMP/wrk/perf" 2>&1 &
	WRK_PID=$!
	sleep 1
	$CLI_PIN "$PERF" record -q -g -p "$GZ_PID" -o "$TMP/perf.data" -- sleep "$PERF_S" >"$TMP/perf.log" 2>&1 &
	PERF_PID=$!
	wait "$PERF_PID" || warn "perf record exited with an error: $(cat "$TMP/perf.log")"
	PERF_PID=''
	wait "$WRK_PID" || die "wrk failed during the profile: $(cat "$TMP/wrk/perf")"
	WRK_PID=''
	[ -s "$TMP/perf.data" ] || die "perf recorded nothing: $(cat "$TMP/perf.log")"
	top() { # FILE ARGS...: the first lines of a perf report, without comments and padding
		f=$1
		shift
		"$PERF" report -i "$TMP/perf.data" --stdio -g none "$@" 2>/dev/null |
			grep -v '^#' | grep -v '^[[:space:]]*$' | sed 's/[[:space:]-]*$//' | head -n 40 >"$f" || true
	}
	top "$TMP/perf.dso" --no-children --sort dso
	top "$TMP/perf.self" --no-children --sort dso,symbol --percent-limit 0.7
	top "$TMP/perf.children" --children --sort symbol --percent-limit 3
fi

# ---- report ----
MODEL=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo 2>/dev/null | sed -n 1p)
awk -v rounds="$ROUNDS" -v body="$BODY" -v gzh="$GZ_HDR" -v ngh="$NGX_HDR" -v nch="$NC_HDR" \
	-v hbody="$HOME_BODY" -v hh="$HOME_HDR" -v gzb="$GZIP_BYTES" -v brb="$BR_BYTES" \
	-v url="$ART_URL" -v title="$ART_TITLE" -v nposts="$NPOSTS" -v conns="$CONNECTIONS" \
	-v dur="$DURATION" -v pin="$PINNING" -v ngv="$NGX_VERSION" -v model="${MODEL:-unknown CPU}" \
	-v ncpu="$(nproc 2>/dev/null || echo '?')" -v rev="$REV" -v load="$LOAD" -v gen="$GEN_S" \
	-v gzka="$GZ_KA" -v hka="$HOME_KA" -v ncka="$NC_KA" -v ngka="$NGX_KA" -v cache="$CACHE_LINE" \
	-v fbody="$FEED_BODY" -v fh="$FEED_HDR" -v fka="$FEED_KA" -v sbody="$SEARCH_BODY" -v sh="$SEARCH_HDR" \
	-v ska="$SEARCH_KA" -v sq="$SEARCH_Q" -v startup="$STARTUP_LINE" \
	-v date="$(date -u '+%Y-%m-%d %H:%M UTC')" '
	function commas(x,   s, neg) {
		s = sprintf("%.0f", x); neg = ""
		if (s ~ /^-/) { neg = "-"; s = substr(s, 2) }
		while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s)
		return neg s
	}
	function pct(x) { return x < 0 ? "n/a" : sprintf("%.0f%%", x) }
	function ms(us) { return us < 10000 ? sprintf("%.2f ms", us / 1000) : sprintf("%.1f ms", us / 1000) }
	function median(name, k,   a, n, i, j, t) {
		n = 0
		for (i = 1; i <= cnt[name]; i++) a[++n] = val[name, i, k]
		for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	# fields: 2 req/s, 3 p99 us, 4 p50 us, 5 CPU us/req, 6 CPU use %, 7 bytes/resp, 8 socket errors, 9 client core busy %
	{ i = ++cnt[$1]; for (k = 2; k <= NF; k++) val[$1, i, k] = $k }
	END {
		label["a"] = "(a) nginx " ngv ": the article as a static file (reference)"
		label["b"] = "(b) gazette: the same article from the page cache"
		label["c"] = "(c) gazette: the home page from the page cache"
		label["d"] = "(d) gazette: the same article, cache off (`cache_mb = 0`)"
		label["e"] = "(e) gazette: the RSS feed (`/feed/`) from the page cache"
		label["f"] = "(f) gazette: a search (`/search?q=" sq "`), cache off"
		bytes["a"] = commas(ngh) " + " commas(body); ka["a"] = ngka
		bytes["b"] = commas(gzh) " + " commas(body); ka["b"] = gzka
		bytes["c"] = commas(hh) " + " commas(hbody); ka["c"] = hka
		bytes["d"] = commas(nch) " + " commas(body); ka["d"] = ncka
		bytes["e"] = commas(fh) " + " commas(fbody); ka["e"] = fka
		bytes["f"] = commas(sh) " + " commas(sbody); ka["f"] = ska
		ncases = split("a b c d e f", cs, " ")
		printf "\nGazette benchmark, %s - %s, %s CPUs, %s\n", date, model, ncpu, pin
		printf "gazette: %s\narticle %s (\"%s\") from a site of %d published posts (built in %d s)\n", rev, url, title, nposts, gen
		printf "wrk -t1 -c%s -d%s --latency, no Accept-Encoding (identity bodies), after a warm-up; load average before: %s\n", conns, dur, load
		printf "article body %s bytes (gazette also serves it as gzip %s and brotli %s bytes); home page body %s bytes\n",
			commas(body), (gzb == "-" ? "-" : commas(gzb)), (brb == "-" ? "-" : commas(brb)), commas(hbody)
		if (cache != "") printf "gazette cache after the run: %s\n", cache
		if (startup != "") printf "start-up to the first served request: %s\n", startup
		if (rounds > 1) {
			printf "\n| round | case | req/s | p50 | p99 | server CPU per request | server CPU use | client core busy |\n"
			printf "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
			for (i = 1; i <= rounds; i++) for (s = 1; s <= ncases; s++) {
				n = cs[s]
				printf "| %d | (%s) | %s | %s | %s | %.1f µs | %.0f%% | %s |\n", i, n, commas(val[n, i, 2]),
					ms(val[n, i, 4]), ms(val[n, i, 3]), val[n, i, 5], val[n, i, 6], pct(val[n, i, 9])
			}
			printf "\nMedians of %d rounds:\n", rounds
		}
		for (s = 1; s <= ncases; s++) {
			n = cs[s]
			R[n] = median(n, 2); P50[n] = median(n, 4); P99[n] = median(n, 3); C[n] = median(n, 5)
		}
		printf "\n| case | req/s | p50 | p99 | server CPU per request | server CPU use | client core busy | response bytes (headers + body) | keep-alive | req/s ÷ (a) | p50 ÷ (a) | p99 ÷ (a) | CPU per request ÷ (a) |\n"
		printf "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |\n"
		for (s = 1; s <= ncases; s++) {
			n = cs[s]
			printf "| %s | %s | %s | %s | %.1f µs | %.0f%% | %s | %s | %s | **%.3fx** | %.2fx | %.2fx | %.2fx |\n",
				label[n], commas(R[n]), ms(P50[n]), ms(P99[n]), C[n], median(n, 6), pct(median(n, 9)),
				bytes[n], ka[n], R[n] / R["a"], P50[n] / P50["a"], P99[n] / P99["a"], C[n] / C["a"]
		}
		printf "\nIssue 8 targets: (b) >= 0.95x (a): %.3fx, %s; (d) >= 0.25x (a): %.3fx, %s\n",
			R["b"] / R["a"], (R["b"] / R["a"] >= 0.95 ? "met" : "MISSED"), R["d"] / R["a"], (R["d"] / R["a"] >= 0.25 ? "met" : "MISSED")
		if (median("a", 9) >= 95 || median("b", 9) >= 95)
			printf "Note: the client core was saturated (>= 95%% busy) in (a) or (b): wrk, not the server, set that req/s; compare CPU per request.\n"
	}' "$TMP/results"
if [ "$PROFILE" != 0 ]; then
	printf '\nperf record -g of gazette (pid %s) under load (b), %s s. Self time by object:\n\n' "$GZ_PID" "$PERF_S"
	cat "$TMP/perf.dso"
	printf '\nSelf time by symbol (>= 0.7%%):\n\n'
	cat "$TMP/perf.self"
	printf '\nIncluding callees (>= 3%%; frame-pointer call chains, so partial):\n\n'
	cat "$TMP/perf.children"
fi
if [ "$RSS_REQUESTS" -gt 0 ]; then
	printf '\nRSS of the cache-on process over %s requests (wrk -c%s cycling through %s paths: every article, home, feeds, searches; %s during the run):\n\n' \
		"$RSS_REQUESTS" "$CONNECTIONS" "$(wc -l <"$TMP/rss.paths")" "$RSS_HITMISS"
	awk '{ printf "| %s | %.1f MB |\n", $1, $2 / 1024; r[NR] = $2; q[NR] = $1 }
		BEGIN { print "| requests served | VmRSS |"; print "| ---: | ---: |" }
		END { if (NR >= 3) printf "\nFrom the second sample (%d requests) to the last (%d): %+.1f MB (%+.1f%%)\n", q[2], q[NR], (r[NR] - r[2]) / 1024, (r[NR] - r[2]) * 100 / r[2] }' "$TMP/rss.main"
	printf 'cache after: %s\n' "$RSS_CACHE"
fi
if [ "$BIG_ARTICLES" -gt 0 ]; then
	printf '\nBig site: %s articles (built in %s s, database %.0f MB); start-up: %s\n' "$BIG_ARTICLES" "$BIG_GEN_S" "$(echo "$BIG_DB" | awk '{ print $1 / 1024 }')" "$BIG_START"
	printf 'RSS idle after start-up: %.1f MB; after %s distinct articles fetched once each: %.1f MB\n' \
		"$(echo "$BIG_RSS0" | awk '{ print $1 / 1024 }')" "$BIG_CACHED" "$(echo "$BIG_RSS1" | awk '{ print $1 / 1024 }')"
	printf 'cache: %s\n' "$BIG_CACHE"
fi
