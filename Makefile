# Gazette - see README.md. `make run` and `make test` are the two commands.
CC      ?= cc
PKGS    := libmicrohttpd sqlite3 libpq libcmark-gfm libsodium jansson zlib libbrotlienc libbrotlidec vips libxml-2.0
# -fno-plt: calls into the shared libraries (SQLite, libc, libmicrohttpd)
# go through the GOT directly, without a PLT stub each; an uncached page
# makes about a thousand such calls.
CFLAGS  ?= -O2 -g -fno-plt
WERROR  ?=
XCFLAGS := $(CFLAGS) $(WERROR) -std=c11 -Wall -Wextra -Wpedantic -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
           -Isrc -Ibuild/gen $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcmark-gfm-extensions -lstemmer -lpthread -lm
B       ?= build

SRC      := $(shell find src -name '*.c' | sort)
LIB_SRC  := $(filter-out src/cmd/main.c,$(SRC))
OBJ      := $(SRC:%.c=$(B)/%.o)
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o) $(B)/gen/theme.o $(B)/gen/demo.o $(B)/gen/admin.o
THEME    := $(shell find themes/default -type f | sort)
DEMO     := $(shell find demo -type f 2>/dev/null | sort)
ADMIN    := $(shell find themes/admin -type f | sort)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

.PHONY: all deps run test unit unit-pg spec e2e e2e-pg browser asan lint bench clean fuzz fuzz-smoke fuzz-build security bench-search bench-import bench-nodes
all: gazette

deps:
	@scripts/deps.sh

# Replace by rename, so a running ./gazette does not block the build.
gazette: $(B)/gazette
	@cp $< $@.tmp && mv -f $@.tmp $@

$(B)/gazette: $(B)/src/cmd/main.o $(LIB_OBJ)
	@echo "LD $@"
	@$(CC) $(XCFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(XCFLAGS) -MMD -MP -c -o $@ $<

$(B)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -o $@ $<

$(B)/gen/theme.c: $(B)/tools/embed $(THEME)
	@mkdir -p $(dir $@)
	$(B)/tools/embed embedded_theme themes/default/ $(THEME) > $@

$(B)/gen/demo.c: $(B)/tools/embed $(DEMO)
	@mkdir -p $(dir $@)
	$(B)/tools/embed embedded_demo demo/ $(DEMO) > $@

$(B)/gen/admin.c: $(B)/tools/embed $(ADMIN)
	@mkdir -p $(dir $@)
	$(B)/tools/embed embedded_admin themes/admin/ $(ADMIN) > $@

$(B)/gen/%.o: $(B)/gen/%.c
	$(CC) $(XCFLAGS) -c -o $@ $<

$(B)/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(XCFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

unit: $(UNIT_BIN)
	@tests/run-unit.sh $(UNIT_BIN)

# The store contract suite against PostgreSQL: a throw-away server started
# and removed by tests/pg/pgtmp.sh (Debian's postgresql, `make deps`), the
# suite told where by GAZETTE_TEST_PG; about 15 s, part of `make test`.
# `make unit` runs the same binaries against SQLite.
STORE_TESTS := $(B)/tests/test_store $(B)/tests/test_store_contract $(B)/tests/test_copy
unit-pg: $(STORE_TESTS)
	@tests/pg/pgtmp.sh run tests/run-unit.sh $(STORE_TESTS)

run: deps gazette
	@test -f site/gazette.db || ./gazette --site site init --demo
	@echo "Gazette: http://127.0.0.1:8080/"
	./gazette --site site serve --listen 127.0.0.1:8080

test: deps
	@$(MAKE) --no-print-directory gazette
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory unit-pg
	@$(MAKE) --no-print-directory e2e
	@$(MAKE) --no-print-directory e2e-pg
	@$(MAKE) --no-print-directory browser
	@$(MAKE) --no-print-directory asan
	@$(MAKE) --no-print-directory fuzz-smoke
	@echo "make test: all suites passed"

e2e: gazette
	@tests/e2e/run.sh ./gazette

# The e2e suite against PostgreSQL: one throw-away server for the run
# (tests/pg/pgtmp.sh), a database of its own per site (tests/e2e/harness.py).
e2e-pg: gazette
	@tests/pg/pgtmp.sh run env GAZETTE_E2E_PG=1 tests/e2e/run.sh ./gazette

# The back office and the comment form in Debian's Chromium, driven by
# playwright-core (tests/browser/run.js; `make deps` installs both).
# One scenario: node tests/browser/run.js NAME. Screenshots of a failure go
# to tests/browser/screenshots/.
browser: gazette
	@GAZETTE=./gazette node tests/browser/run.js

# Sanitizer build (ASan + UBSan) of the unit and e2e suites, in its own tree.
asan:
	@$(MAKE) --no-print-directory B=build-asan CC=gcc \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  LDFLAGS="-fsanitize=address,undefined" build-asan/gazette unit-asan
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  tests/e2e/run.sh build-asan/gazette

unit-asan: $(UNIT_BIN)
	@ASAN_OPTIONS=detect_leaks=1 tests/run-unit.sh $(UNIT_BIN)

# libFuzzer harnesses (tests/fuzz/fuzz_NAME.c, see FUZZING.md), built with
# clang in their own tree. `make fuzz` runs each for FUZZ_SECONDS from its
# seed corpus; `make fuzz-smoke` (part of `make test`) for 10 s each. Both
# first replay tests/fuzz/regress/NAME/.
FUZZ_SECONDS ?= 60
FUZZ_NAMES   := $(sort $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BIN     := $(FUZZ_NAMES:%=$(B)/fuzz/fuzz_%)
FUZZ_FLAGS   := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
                -fno-sanitize-recover=undefined

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "LD $@"
	@$(CC) $(XCFLAGS) -Itests/fuzz $(LDFLAGS) -fsanitize=fuzzer -o $@ $< $(LIB_OBJ) $(LDLIBS)

fuzz-build: $(FUZZ_BIN)

fuzz:
	@$(MAKE) --no-print-directory B=build-fuzz CC=clang CFLAGS="$(FUZZ_FLAGS)" \
	  LDFLAGS="-fsanitize=address,undefined" fuzz-build
	@scripts/fuzz.sh build-fuzz $(FUZZ_SECONDS) $(FUZZ_NAMES)

# sqlmap against every public and back-office parameter (not in `make test`:
# its sqlmap runs add up to about 10 minutes). Results: SECURITY.md.
bench-search: gazette
	@GAZETTE=./gazette /usr/bin/python3 bench/search.py

bench-import: gazette
	@GAZETTE=./gazette python3 bench/import.py

security: deps gazette
	@GAZETTE=./gazette /usr/bin/python3 tests/security/run.py --out build/security.md

fuzz-smoke:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=10

lint:
	@scripts/lint.sh

bench: gazette
	@bench/run.sh

# issue 10: uncached article requests/s on SQLite vs PostgreSQL, one vs two nodes
bench-nodes: gazette
	@bench/nodes.sh

clean:
	rm -rf build build-asan build-fuzz gazette

-include $(OBJ:.o=.d)
