#!/bin/sh
# Install the Debian packages Gazette needs to build, test and benchmark,
# when any is missing. Does nothing when all are installed.
set -eu
PKGS="make gcc pkg-config libc6-dev
libmicrohttpd-dev libsqlite3-dev libcmark-gfm-dev libcmark-gfm-extensions-dev
libsodium-dev libjansson-dev zlib1g-dev libbrotli-dev libcmocka-dev
python3 sqlite3 curl nginx-light wrk
clang libclang-rt-14-dev"
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
echo "make deps: installing$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
