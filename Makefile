# Gazette - see README.md. `make run` and `make test` are the two commands.
CC      ?= cc
PKGS    := libmicrohttpd sqlite3 libcmark-gfm libsodium jansson zlib libbrotlienc libbrotlidec libxml-2.0
CFLAGS  ?= -O2 -g
WERROR  ?=
XCFLAGS := $(CFLAGS) $(WERROR) -std=c11 -Wall -Wextra -Wpedantic -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
           -Isrc -Ibuild/gen $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcmark-gfm-extensions -lpthread -lm
B       ?= build

SRC      := $(shell find src -name '*.c' | sort)
LIB_SRC  := $(filter-out src/cmd/main.c,$(SRC))
OBJ      := $(SRC:%.c=$(B)/%.o)
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o) $(B)/gen/theme.o $(B)/gen/demo.o
THEME    := $(shell find themes/default -type f | sort)
DEMO     := $(shell find demo -type f 2>/dev/null | sort)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

.PHONY: all deps run test unit spec e2e browser asan lint bench clean
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

$(B)/gen/%.o: $(B)/gen/%.c
	$(CC) $(XCFLAGS) -c -o $@ $<

$(B)/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(XCFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

unit: $(UNIT_BIN)
	@tests/run-unit.sh $(UNIT_BIN)

run: deps gazette
	@test -f site/gazette.db || ./gazette --site site init --demo
	@echo "Gazette: http://127.0.0.1:8080/"
	./gazette --site site serve --listen 127.0.0.1:8080

test: deps
	@$(MAKE) --no-print-directory gazette
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory e2e
	@$(MAKE) --no-print-directory asan
	@echo "make test: all suites passed"

e2e: gazette
	@tests/e2e/run.sh ./gazette

# Sanitizer build (ASan + UBSan) of the unit and e2e suites, in its own tree.
asan:
	@$(MAKE) --no-print-directory B=build-asan CC=gcc \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  LDFLAGS="-fsanitize=address,undefined" build-asan/gazette unit-asan
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  tests/e2e/run.sh build-asan/gazette

unit-asan: $(UNIT_BIN)
	@ASAN_OPTIONS=detect_leaks=1 tests/run-unit.sh $(UNIT_BIN)

lint:
	@scripts/lint.sh

bench: gazette
	@bench/run.sh

clean:
	rm -rf build build-asan gazette

-include $(OBJ:.o=.d)
