#!/bin/sh
# Install the Debian packages Gazette needs to build, test and benchmark,
# when any is missing. Does nothing when all are installed.
set -eu
PKGS="make gcc pkg-config libc6-dev
libmicrohttpd-dev libsqlite3-dev libcmark-gfm-dev libcmark-gfm-extensions-dev
libsodium-dev libjansson-dev zlib1g-dev libbrotli-dev libcmocka-dev libstemmer-dev libxml2-dev
libvips-dev libvips-tools
python3 sqlite3 curl nginx-light wrk
postgresql libpq-dev
jing libxml2-utils python3-feedparser clang libclang-rt-14-dev
chromium fonts-liberation sqlmap"
# The feed tests' npm parser needs node and npm; a node from elsewhere (with
# its own npm) is fine, so look for the commands rather than the packages.
command -v npm >/dev/null 2>&1 || PKGS="$PKGS nodejs npm"
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	echo "make deps: installing$missing"
	SUDO=""
	[ "$(id -u)" -ne 0 ] && SUDO="sudo"
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $missing
fi
# npm packages of the e2e tests (feed parsers) and of the browser tests
# (playwright-core, driving Debian's chromium: it downloads no browser, and
# PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD makes sure), each pinned by its
# package-lock.json, installed into DIR/node_modules (git-ignored) when
# missing or older than the lock file.
root="$(cd "$(dirname "$0")/.." && pwd)"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
for node_dir in "$root/tests/e2e/node" "$root/tests/browser"; do
	stamp="$node_dir/node_modules/.package-lock.json"
	if [ ! -f "$stamp" ] || [ "$node_dir/package-lock.json" -nt "$stamp" ]; then
		echo "make deps: npm ci in ${node_dir#"$root"/}"
		(cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
	fi
done
