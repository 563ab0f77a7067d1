# kigen — a plain, non-recursive GNU Makefile.
#
#   make            build kigen and kigend into build/
#   make deps       install missing Debian packages and the test npm packages
#   make run        deps + build + import the bundled report + start kigend
#   make check      deps + every test, normal build and ASan/UBSan build
#   make coverage   deps + every test in a coverage build (build-cov/), then
#                   line coverage of lib/, daemon/ and cli/ (gcovr)
#   make install    PREFIX=/usr/local DESTDIR= sysconfdir=/etc
#
# Two wings over one core: every lib/ object goes into libkigen.a, linked by
# every program and the unit tests; daemon/ objects but main.o go into
# libkigend.a (kigend), cli/ objects but the mains into libkigencli.a (kigen
# and its helper programs).  A wing sees only its own headers and lib/'s
# (-I per directory), so daemon/ cannot include cli/ nor the reverse, and
# kigend does not link libkigencli.a.  kigen links only CORE_PKGS, so it
# starts fast; commands that need more run in helper programs (cli/helper.h)
# listed in HELPERS, each linking its own extra libraries.
#
# First run: library flags come from pkg-config, which only knows a library
# once its -dev package is installed.  So `run` and `check` install the
# packages first and then build in a sub-make, which reads pkg-config anew;
# a goal that builds in this make stops at once, in one line, when a package
# it needs is missing (scripts/deps.sh --missing), instead of failing to link.
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
SBINDIR    ?= $(PREFIX)/sbin
LIBEXECDIR ?= $(PREFIX)/libexec
MANDIR     ?= $(PREFIX)/share/man
UNITDIR    ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
sysconfdir ?= /etc
DESTDIR    ?=

B          ?= build
CC         ?= cc
WERROR     ?= 0
SAN        ?= 0
COV        ?= 0

# pkg-config names.  Helpers: one word each, NAME:PACKAGES (+ between
# packages) builds kigen-NAME from cli/libexec/kigen-NAME.c with CORE_PKGS
# and PACKAGES, next to kigen, installed in $(LIBEXECDIR)/kigen.
# Not libcrypto: loading it (bound at once, 3,000 symbols) took a
# millisecond of every kigen run; lib/hash (kigend's digests too) and
# lib/webhook use nettle.
CORE_PKGS   := sqlite3 jansson inih nettle libutf8proc zlib libsystemd
DAEMON_PKGS := $(CORE_PKGS) libical libxxhash libcurl libmicrohttpd poppler-glib
HELPERS     := feed:libical+libxxhash webhook:libcurl pdftotext:poppler-glib fetch:libcurl

helper_pkgs  = $(subst +, ,$(patsubst $(1):%,%,$(filter $(1):%,$(HELPERS))))
HELPER_NAMES := $(foreach h,$(HELPERS),$(firstword $(subst :, ,$(h))))
PKGS := $(sort $(DAEMON_PKGS) $(foreach h,$(HELPER_NAMES),$(call helper_pkgs,$(h))))

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wpointer-arith -Wformat=2
ifeq ($(WERROR),1)
WARN += -Werror
endif

OPT := -O2 -g
ifeq ($(SAN),1)
OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
       -fno-sanitize-recover=all
endif
# Coverage: unoptimised so lines map to code; atomic counters because
# kigend counts from several threads at once.
ifeq ($(COV),1)
OPT := -O0 -g --coverage -fprofile-update=atomic
endif

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
DAEMON_PKG_LIBS := $(shell pkg-config --libs $(DAEMON_PKGS) 2>/dev/null)
# kigen links SQLite and nettle from their archives (the same Debian -dev
# packages ship them): Debian builds both shared libraries bound at once
# (BIND_NOW) and SQLite calls its own API through its PLT, so loading them
# resolved 2,150 symbols, 1.5M of the 1.7M instructions of `kigen
# --version`, on every run.  Linked in, SQLite's calls are direct.  jansson,
# utf8proc and inih likewise: each shared library loaded is some nine
# system calls and five page faults more per run (`kigen --version`:
# 322k -> 234k instructions, 99 -> 83 page faults; `upcoming` at 100k
# milestones 205 -> 178 system calls).  A security update of any of them
# reaches kigen when it is rebuilt.
CLI_STATIC_PKGS := sqlite3 nettle jansson libutf8proc inih
CLI_PKG_LIBS := -Wl,--push-state,-Bstatic \
    $(shell pkg-config --libs $(CLI_STATIC_PKGS) 2>/dev/null) -Wl,--pop-state \
    $(shell pkg-config --libs $(filter-out $(CLI_STATIC_PKGS),$(CORE_PKGS)) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

# Each wing sees lib/ and itself only; tests see all three.
WING_INC   := -Ilib
$(B)/cli/%.o: WING_INC := -Ilib -Icli
$(B)/daemon/%.o: WING_INC := -Ilib -Idaemon

ALL_CFLAGS  = -std=gnu11 $(OPT) $(WARN) -MMD -MP $(WING_INC) -D_GNU_SOURCE \
              -DKIGEN_VERSION='"$(VERSION)"' -DKIGEN_LIBEXECDIR='"$(LIBEXECDIR)"' \
              -DKIGEN_SYSCONFDIR='"$(sysconfdir)"' $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(OPT) $(LDFLAGS)
LIBS        = $(PKG_LIBS) -lpthread -lm
DAEMON_LIBS = $(DAEMON_PKG_LIBS) -lpthread -lm
CLI_LIBS    = $(CLI_PKG_LIBS) -lm

LIB_SRC    := $(wildcard lib/*.c)
CLI_SRC    := $(filter-out cli/main.c,$(wildcard cli/*.c))
DAEMON_SRC := $(filter-out daemon/main.c,$(wildcard daemon/*.c))
TEST_SRC   := $(wildcard tests/unit/test_*.c)

LIB_OBJ    := $(LIB_SRC:%.c=$(B)/%.o)
CLI_OBJ    := $(CLI_SRC:%.c=$(B)/%.o)
# The pages' assets (daemon/assets/*) are compiled in: see assets.c below.
ASSETS     := $(sort $(wildcard daemon/assets/*))
DAEMON_OBJ := $(DAEMON_SRC:%.c=$(B)/%.o) $(B)/daemon/assets.o
TESTS      := $(TEST_SRC:tests/unit/%.c=$(B)/tests/%)

KIGEN   := $(B)/kigen
KIGEND  := $(B)/kigend
HELPER_BINS := $(HELPER_NAMES:%=$(B)/kigen-%)
MAN_SRC := $(wildcard docs/man/*.scd)
MANS    := $(MAN_SRC:docs/man/%.scd=$(B)/man/%)

.PHONY: all man deps run check test test-build coverage clean install uninstall fuzz \
    fuzz-run bench
.DEFAULT_GOAL := all

# A goal that builds here needs the run set of scripts/deps.sh, a test goal
# the check set too.  One line naming what is missing beats a linker error.
BUILD_GOALS := $(filter-out deps run check coverage clean uninstall,$(or $(MAKECMDGOALS),all))
ifneq ($(BUILD_GOALS),)
DEPS_MISSING := $(strip $(shell sh scripts/deps.sh --missing \
    $(if $(filter test test-build,$(BUILD_GOALS)),check,run)))
ifneq ($(DEPS_MISSING),)
$(error missing Debian packages: $(DEPS_MISSING) (install them: make deps, as root; \
    or sudo apt-get install -y $(DEPS_MISSING)))
endif
endif

all: $(KIGEN) $(KIGEND) $(HELPER_BINS) man

man: $(MANS)

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# One byte array per asset (xxd -i) and the table daemon/assets.h declares.
$(B)/daemon/assets.c: $(ASSETS) Makefile
	@mkdir -p $(@D)
	@{ echo '/* Generated from daemon/assets/ by the Makefile: do not edit. */'; \
	  echo '#include "assets.h"'; i=0; \
	  for f in $(ASSETS); do \
	    echo "static const unsigned char a$$i[] = {"; xxd -i <"$$f"; echo "};"; \
	    i=$$((i + 1)); \
	  done; \
	  echo 'const struct kg_asset kg_assets[] = {'; i=0; \
	  for f in $(ASSETS); do \
	    echo "{\"$$(basename "$$f")\", a$$i, sizeof(a$$i)},"; i=$$((i + 1)); \
	  done; \
	  echo '{0, 0, 0}};'; } >$@.tmp && mv $@.tmp $@

$(B)/daemon/assets.o: $(B)/daemon/assets.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libkigen.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(B)/libkigend.a: $(DAEMON_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(B)/libkigencli.a: $(CLI_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(KIGEN): $(B)/cli/main.o $(B)/libkigencli.a $(B)/libkigen.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CLI_LIBS)

# Kept: make would delete them as intermediates and relink every time.
.SECONDARY: $(HELPER_NAMES:%=$(B)/cli/libexec/kigen-%.o)

$(B)/kigen-%: $(B)/cli/libexec/kigen-%.o $(B)/libkigencli.a $(B)/libkigen.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(shell pkg-config --libs $(CORE_PKGS) \
	    $(call helper_pkgs,$*)) -lm

$(KIGEND): $(B)/daemon/main.o $(B)/libkigend.a $(B)/libkigen.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(DAEMON_LIBS)

# A unit test of a wing's module (tests/unit/test_M.c for daemon/M.c or
# cli/M.c) sees and links that wing and lib/; any other test lib/ alone —
# never both wings, as no program does.
DAEMON_TESTS := $(filter $(DAEMON_SRC:daemon/%.c=$(B)/tests/test_%),$(TESTS))
CLI_TESTS    := $(filter $(CLI_SRC:cli/%.c=$(B)/tests/test_%),$(TESTS))
$(DAEMON_TESTS): $(B)/libkigend.a
$(DAEMON_TESTS): TEST_WING := -Idaemon
$(CLI_TESTS): $(B)/libkigencli.a
$(CLI_TESTS): TEST_WING := -Icli

$(B)/tests/%: tests/unit/%.c $(B)/libkigen.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(TEST_WING) $(ALL_LDFLAGS) -o $@ $< \
	    $(filter-out $(B)/libkigen.a,$(filter %.a,$^)) $(B)/libkigen.a $(LIBS) $(CMOCKA_LIBS)

$(B)/man/%: docs/man/%.scd
	@mkdir -p $(@D)
	scdoc <$< >$@.tmp && mv $@.tmp $@

deps:
	@sh scripts/deps.sh check

# Benchmarks: never part of check.  Their peers are in `scripts/deps.sh bench`.
$(B)/bench/%: bench/%.c $(B)/libkigen.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(B)/libkigen.a $(LIBS)

bench: all $(B)/bench/upcoming/plan $(B)/bench/import/bench $(B)/bench/feed/render \
    $(B)/bench/web/render $(B)/tests/mkpdf
	@sh scripts/deps.sh bench
	sh bench/upcoming/run.sh $(B)
	sh bench/import/run.sh $(B)
	sh bench/import/scale.sh $(B)
	sh bench/pdf/run.sh $(B)
	sh bench/feed/run.sh $(B)
	sh bench/serve/floods.sh $(B)
	sh bench/serve/stall.sh $(B)
	sh bench/serve/renders.sh $(B)
	sh bench/webhooks/run.sh $(B)
	sh bench/web/run.sh $(B)

# Test tool: PDFs laid out from report texts (tests/pdf/mkpdf.c) with
# pangocairo, which only the tests need; never sanitized (pango and
# fontconfig are not ours to check).
$(B)/tests/mkpdf: tests/pdf/mkpdf.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O2 -g $(WARN) $(shell pkg-config --cflags pangocairo) -o $@ $< \
	    $(shell pkg-config --libs pangocairo)

test-build: all $(TESTS) $(B)/tests/mkpdf

# Runs the unit and integration tests of one build ($(B)).
test: test-build
	@sh tests/run.sh $(B)

# Packages first, then the builds in sub-makes that read pkg-config anew.
check:
	@sh scripts/deps.sh check
	$(MAKE) B=build WERROR=1 test
	$(MAKE) B=build-san WERROR=1 SAN=1 test

# Coverage (never part of check): every test against a build with gcov
# counters in build-cov/ — the unit tests and the programs the integration
# tests run alike — then one line per directory and the report's path
# (scripts/coverage.sh).  Counters start from zero on every run; a failing
# test fails the goal, after the report.
COV_B := build-cov

coverage:
	@sh scripts/deps.sh check
	$(MAKE) B=$(COV_B) COV=1 test-build
	@find $(COV_B) -name '*.gcda' -delete
	@sh tests/run.sh $(COV_B); st=$$?; sh scripts/coverage.sh $(COV_B) && exit $$st

run:
	@sh scripts/deps.sh run
	$(MAKE) all
	@sh scripts/run.sh $(B)

# Fuzzing with clang's libFuzzer (never part of check): every
# tests/fuzz/fuzz_*.c against the lib/ objects built with ASan and UBSan in
# build-fuzz/, each run FUZZ_SECONDS (default 60); see tests/fuzz/run.sh.
FUZZ_B       := build-fuzz
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS   = -std=gnu11 -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
                -MMD -MP -Ilib -D_GNU_SOURCE -DKIGEN_VERSION='"$(VERSION)"' \
                -DKIGEN_SYSCONFDIR='"$(sysconfdir)"' $(PKG_CFLAGS)
FUZZ_BIN     := $(patsubst tests/fuzz/%.c,$(FUZZ_B)/%,$(wildcard tests/fuzz/fuzz_*.c))

$(FUZZ_B)/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_B)/libkigen.a: $(LIB_SRC:%.c=$(FUZZ_B)/%.o)
	@rm -f $@
	$(AR) rcs $@ $^

$(FUZZ_B)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_B)/libkigen.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_B)/libkigen.a $(LIBS)

fuzz:
	@sh scripts/deps.sh fuzz
	$(MAKE) fuzz-run

fuzz-run: $(FUZZ_BIN)
	@sh tests/fuzz/run.sh $(FUZZ_B) $(FUZZ_SECONDS)

clean:
	rm -rf build build-san build-cov build-fuzz run

# The unit and tmpfiles snippet name /usr/local/sbin and /etc: rewritten here
# for this PREFIX and sysconfdir.  An existing configuration is never
# overwritten; uninstall removes it only while it still equals the example.
INSTALL_SED := -e 's|/usr/local/sbin|$(SBINDIR)|g' -e 's|/etc/kigen|$(sysconfdir)/kigen|g'

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) $(DESTDIR)$(UNITDIR) \
	    $(DESTDIR)$(LIBEXECDIR)/kigen \
	    $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR) $(DESTDIR)$(BASHCOMPDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8
	install -d -m 0750 $(DESTDIR)$(sysconfdir)/kigen
	install -m 0755 $(KIGEN) $(DESTDIR)$(BINDIR)/kigen
	install -m 0755 $(KIGEND) $(DESTDIR)$(SBINDIR)/kigend
	install -m 0755 $(HELPER_BINS) $(DESTDIR)$(LIBEXECDIR)/kigen/
	sed $(INSTALL_SED) systemd/kigend.service >$(DESTDIR)$(UNITDIR)/kigend.service
	sed $(INSTALL_SED) systemd/kigen.tmpfiles >$(DESTDIR)$(TMPFILESDIR)/kigen.conf
	install -m 0644 systemd/kigen.sysusers $(DESTDIR)$(SYSUSERSDIR)/kigen.conf
	chmod 0644 $(DESTDIR)$(UNITDIR)/kigend.service $(DESTDIR)$(TMPFILESDIR)/kigen.conf
	install -m 0644 contrib/bash-completion/kigen $(DESTDIR)$(BASHCOMPDIR)/kigen
	install -m 0644 $(B)/man/kigen.1 $(DESTDIR)$(MANDIR)/man1/kigen.1
	install -m 0644 $(B)/man/kigen.conf.5 $(DESTDIR)$(MANDIR)/man5/kigen.conf.5
	install -m 0644 $(B)/man/kigend.8 $(DESTDIR)$(MANDIR)/man8/kigend.8
	if [ -e $(DESTDIR)$(sysconfdir)/kigen/kigen.conf ]; then \
	    echo "install: keeping $(DESTDIR)$(sysconfdir)/kigen/kigen.conf"; \
	else \
	    install -m 0640 config/kigen.conf $(DESTDIR)$(sysconfdir)/kigen/kigen.conf; \
	fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/kigen $(DESTDIR)$(SBINDIR)/kigend \
	    $(DESTDIR)$(UNITDIR)/kigend.service $(DESTDIR)$(SYSUSERSDIR)/kigen.conf \
	    $(DESTDIR)$(TMPFILESDIR)/kigen.conf $(DESTDIR)$(BASHCOMPDIR)/kigen \
	    $(DESTDIR)$(MANDIR)/man1/kigen.1 $(DESTDIR)$(MANDIR)/man5/kigen.conf.5 \
	    $(DESTDIR)$(MANDIR)/man8/kigend.8 \
	    $(HELPER_NAMES:%=$(DESTDIR)$(LIBEXECDIR)/kigen/kigen-%)
	rmdir $(DESTDIR)$(LIBEXECDIR)/kigen 2>/dev/null || true
	if cmp -s config/kigen.conf $(DESTDIR)$(sysconfdir)/kigen/kigen.conf; then \
	    rm -f $(DESTDIR)$(sysconfdir)/kigen/kigen.conf; \
	    rmdir $(DESTDIR)$(sysconfdir)/kigen 2>/dev/null || true; \
	fi

-include $(shell find $(B) $(FUZZ_B) -name '*.d' 2>/dev/null)
