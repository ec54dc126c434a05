#!/bin/sh
# Ban unsafe C library calls in our sources (use snprintf, str_copy,
# str_to_i64, buf_* instead).
set -u
cd "$(dirname "$0")/.."
banned='\b(sprintf|vsprintf|strcpy|strcat|strncat|atoi|atol|atoll|gets|strtok|tmpnam|mktemp)[[:space:]]*\('
if grep -rnE "$banned" src tools tests/unit tests/fuzz --include='*.c' --include='*.h'; then
	echo "lint: banned function above; see scripts/lint.sh"
	exit 1
fi
# Only the server (http/server.c and server_int.h, which its two split-off
# files server_cache.c and server_headers.c include) may include
# microhttpd.h; only render/markdown.c cmark.
bad=$(grep -rln 'include <microhttpd.h>' src | grep -vE '^src/http/server(\.c|_int\.h)$' || true)
[ -n "$bad" ] && { echo "lint: microhttpd.h included outside http/server.c: $bad"; exit 1; }
bad=$(grep -rln 'include "http/server_int.h"' src | grep -vE '^src/http/server(|_cache|_headers)\.c$' || true)
[ -n "$bad" ] && { echo "lint: http/server_int.h included outside the server's files: $bad"; exit 1; }
bad=$(grep -rln 'include <cmark' src | grep -v '^src/render/markdown.c$' || true)
[ -n "$bad" ] && { echo "lint: cmark included outside render/markdown.c: $bad"; exit 1; }
bad=$(grep -rln 'include <sqlite3.h>' src | grep -v '^src/store/sqlite' || true)
[ -n "$bad" ] && { echo "lint: sqlite3.h included outside store/sqlite*: $bad"; exit 1; }
bad=$(grep -rln 'include <libpq-fe.h>' src | grep -v '^src/store/pg' || true)
[ -n "$bad" ] && { echo "lint: libpq-fe.h included outside store/pg*: $bad"; exit 1; }
bad=$(grep -rlnE 'include <(zlib\.h|brotli/)' src | grep -v '^src/http/compress.c$' || true)
[ -n "$bad" ] && { echo "lint: zlib/brotli included outside http/compress.c: $bad"; exit 1; }
bad=$(grep -rln 'include <vips/' src | grep -v '^src/media/image.c$' || true)
[ -n "$bad" ] && { echo "lint: vips included outside media/image.c: $bad"; exit 1; }
echo "lint: ok"
