#!/bin/sh
# pgtmp.sh - a throw-away PostgreSQL server for tests (Debian's postgresql).
#
#   pgtmp.sh start            start one; prints shell assignments to eval:
#                               PGTMP_DIR=/tmp/gazette-pg-XXXX
#                               GAZETTE_TEST_PG=postgresql://gazette@127.0.0.1:PORT/gazette
#   pgtmp.sh stop DIR         stop it and remove DIR (data, socket, log)
#   pgtmp.sh restart DIR      stop and start it again on the same port (reconnect tests)
#   pgtmp.sh down DIR         stop the server but keep DIR (an outage; `up` ends it)
#   pgtmp.sh up DIR           start a server stopped by `down` again, same port
#   pgtmp.sh run CMD [ARG...] start, run CMD with both variables (and PGTMP_SH,
#                             this script's path) exported, stop; exits with
#                             CMD's status
#
# The cluster lives in a fresh temporary folder, listens only on 127.0.0.1
# on a free port (Unix socket in DIR, not /var/run), trusts local
# connections, and is tuned for tests (fsync off). initdb refuses to run as
# root, so as root the server runs as the system user gazette-test (created
# on first use, no home, no shell); otherwise as the calling user.
set -eu

die() { echo "pgtmp: $*" >&2; exit 1; }

bindir() {
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		[ -x "$d/initdb" ] && { echo "$d"; return; }
	done
	die "no PostgreSQL server found (make deps installs Debian's postgresql)"
}

# Run a command as the server's user.
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u gazette-test -- "$@"
	else
		"$@"
	fi
}

free_port() {
	/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

server_start() { # DIR PORT
	as_owner "$BIN/pg_ctl" -D "$1/data" -l "$1/log" -w -t 60 -o \
		"-c listen_addresses=127.0.0.1 -p $2 -k $1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
		start >/dev/null || { cat "$1/log" >&2; return 1; }
}

start() {
	BIN=$(bindir)
	if [ "$(id -u)" -eq 0 ] && ! id gazette-test >/dev/null 2>&1; then
		useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
			gazette-test 2>/dev/null || id gazette-test >/dev/null 2>&1 ||
			die "cannot create the system user gazette-test"
	fi
	dir=$(mktemp -d /tmp/gazette-pg-XXXXXX)
	chmod 700 "$dir"
	[ "$(id -u)" -eq 0 ] && chown gazette-test "$dir"
	if ! as_owner "$BIN/initdb" -D "$dir/data" -U gazette -A trust -E UTF8 --locale=C -N \
		>"$dir/initdb.log" 2>&1; then
		cat "$dir/initdb.log" >&2
		rm -rf "$dir"
		die "initdb failed"
	fi
	# A port can be taken between choosing it and binding it: try a few.
	tries=0
	while :; do
		port=$(free_port)
		if server_start "$dir" "$port" 2>"$dir/start.err"; then break; fi
		tries=$((tries + 1))
		if [ "$tries" -ge 5 ]; then
			cat "$dir/start.err" >&2
			rm -rf "$dir"
			die "the server did not start"
		fi
	done
	echo "$port" >"$dir/port"
	as_owner "$BIN/createdb" -h 127.0.0.1 -p "$port" -U gazette gazette
	echo "PGTMP_DIR=$dir"
	echo "GAZETTE_TEST_PG=postgresql://gazette@127.0.0.1:$port/gazette"
}

check_dir() {
	case "${1:-}" in
	/tmp/gazette-pg-*) [ -d "$1/data" ] || die "$1: not a pgtmp folder" ;;
	*) die "usage: pgtmp.sh stop|restart /tmp/gazette-pg-XXXXXX" ;;
	esac
}

stop() {
	check_dir "${1:-}"
	BIN=$(bindir)
	as_owner "$BIN/pg_ctl" -D "$1/data" -m immediate -w stop >/dev/null 2>&1 || true
	rm -rf "$1"
}

restart() {
	down "$1"
	up "$1"
}

down() {
	check_dir "${1:-}"
	BIN=$(bindir)
	as_owner "$BIN/pg_ctl" -D "$1/data" -m fast -w stop >/dev/null
}

up() {
	check_dir "${1:-}"
	BIN=$(bindir)
	server_start "$1" "$(cat "$1/port")"
}

case "${1:-}" in
start) start ;;
stop) stop "${2:-}" ;;
restart) restart "${2:-}" ;;
down) down "${2:-}" ;;
up) up "${2:-}" ;;
run)
	shift
	[ $# -gt 0 ] || die "usage: pgtmp.sh run CMD [ARG...]"
	vars=$(start)
	eval "$vars"
	PGTMP_SH=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
	export PGTMP_DIR GAZETTE_TEST_PG PGTMP_SH
	trap 'stop "$PGTMP_DIR"' EXIT INT TERM
	set +e
	"$@"
	rc=$?
	set -e
	exit "$rc"
	;;
*) die "usage: pgtmp.sh start | stop DIR | restart DIR | down DIR | up DIR | run CMD [ARG...]" ;;
esac
