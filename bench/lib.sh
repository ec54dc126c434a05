# lib.sh - what bench/run.sh and bench/nodes.sh share: messages and failing,
# stopping the processes they start, a random loopback port, CPU time,
# starting nginx. Sourced (POSIX sh); the caller sets KEEP, TMP and NGINX.

say() { printf 'bench: %s\n' "$*" >&2; }
warn() { printf 'bench: WARNING: %s\n' "$*" >&2; }
DIED=''
die() {
	DIED=1
	printf '\nbench: FAIL: %s\n' "$*" >&2
	[ "${KEEP:-0}" = 1 ] || [ -z "${TMP:-}" ] || echo "bench: (BENCH_KEEP=1 keeps the temporary directory for a look)" >&2
	exit 1
}

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

rand_port() { echo $((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 12000)); }

cpu_ticks() { # PID...: utime+stime (clock ticks) of these processes and their children
	for p in "$@"; do
		echo "$p"
		ps -o pid= --ppid "$p" 2>/dev/null || true
	done | while read -r q; do
		sed 's/^.*) //' "/proc/$q/stat" 2>/dev/null || true
	done | awk '{ s += $12 + $13 } END { print s + 0 }'
}

# nginx_start CHECK-URL [PREFIX-COMMAND...]: start nginx on $TMP/nginx/nginx.conf
# (checked first with nginx -t) and wait until CHECK-URL answers; sets
# NGX_PID. Returns 1 when its port was taken (write a new configuration on
# other ports and call again); dies on anything else.
nginx_start() {
	url=$1
	shift
	: >"$TMP/nginx/error.log"
	"$NGINX" -q -t -p "$TMP/nginx/" -e "$TMP/nginx/error.log" -c "$TMP/nginx/nginx.conf" 2>"$TMP/nginx/test.log" ||
		die "nginx -t rejects the configuration: $(cat "$TMP/nginx/test.log")"
	"$@" "$NGINX" -p "$TMP/nginx/" -e "$TMP/nginx/error.log" -c "$TMP/nginx/nginx.conf" \
		</dev/null >"$TMP/nginx/stdout" 2>&1 &
	NGX_PID=$!
	n=0
	while alive "$NGX_PID" && [ $n -lt 100 ]; do
		code=$(curl -s --max-time 2 -o /dev/null -w '%{http_code}' "$url" || true)
		[ "$code" = 000 ] || break
		sleep 0.1
		n=$((n + 1))
	done
	alive "$NGX_PID" && return 0
	wait "$NGX_PID" 2>/dev/null || true
	NGX_PID=''
	grep -q 'in use' "$TMP/nginx/error.log" "$TMP/nginx/stdout" && return 1
	die "nginx did not start: $(tail -n 5 "$TMP/nginx/error.log" "$TMP/nginx/stdout")"
}
