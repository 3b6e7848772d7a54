# Customs: build, test, fuzz and bench. `./build.sh` prepares the static dependencies first.

VERSION := 0.1.0

# Source lists are explicit: adding a file is adding it here.
SRC_UTIL := scanner/util/xalloc.c scanner/util/strbuf.c scanner/util/arena.c scanner/util/error.c \
	scanner/util/sha256.c scanner/util/atomic_file.c scanner/util/path.c scanner/util/warnings.c \
	scanner/util/utf8.c scanner/util/sha256_fast.c scanner/util/json_strict.c
SRC_IMAGE := scanner/image/image.c scanner/image/stream.c scanner/image/producer.c scanner/image/pipeline.c \
	scanner/image/decompress.c scanner/image/layer.c scanner/image/manifest.c scanner/image/layout.c \
	scanner/image/merge.c scanner/image/rootfs.c scanner/image/pathmap.c
SRC_CATALOG := scanner/catalog/catalog.c scanner/catalog/purl.c scanner/catalog/os.c \
	scanner/catalog/dpkg.c scanner/catalog/apk.c scanner/catalog/npm.c
SRC_REPORT := scanner/report/report.c scanner/report/license.c scanner/report/findings.c \
	scanner/report/table.c scanner/report/json.c scanner/report/cyclonedx.c scanner/report/spdx.c \
	scanner/report/sarif.c scanner/report/gitlab.c scanner/report/junit.c scanner/report/markdown.c \
	scanner/report/html.c
SRC_VERSION := scanner/version/version.c scanner/version/deb.c scanner/version/rpm.c scanner/version/apk.c \
	scanner/version/npm.c scanner/version/pypi.c scanner/version/maven.c scanner/version/gem.c \
	scanner/version/composer.c
SRC_CMD := scanner/cmd/cmd.c scanner/cmd/cmd_image.c scanner/cmd/cmd_db.c scanner/cmd/cmd_db_update.c \
	scanner/cmd/cmd_sbom.c scanner/cmd/cmd_scan.c scanner/cmd/cmd_vercmp.c scanner/cmd/cmd_version.c \
	scanner/cmd/cmd_config.c scanner/cmd/cmd_vex.c scanner/cmd/cmd_hook.c
SRC_VULNDB := scanner/vulndb/build.c scanner/vulndb/read.c scanner/vulndb/import_osv.c \
	scanner/vulndb/import_secdb.c scanner/vulndb/import_debian.c scanner/vulndb/import_zip.c \
	scanner/vulndb/sign.c scanner/vulndb/fetch.c
SRC_MATCH := scanner/match/severity.c scanner/match/cvss.c scanner/match/match.c scanner/match/ecosystem.c
SRC_CHECKS := scanner/checks/checks.c scanner/checks/secrets.c scanner/checks/config_checks.c \
	scanner/checks/file_checks.c scanner/checks/dockerfile.c
SRC_POLICY := scanner/policy/common.c scanner/policy/gate.c scanner/policy/ignore.c scanner/policy/vex.c \
	scanner/policy/vex_write.c
SRC_MAIN := scanner/main.c

SRC_LIB := $(SRC_UTIL) $(SRC_IMAGE) $(SRC_VERSION) $(SRC_VULNDB) $(SRC_CATALOG) $(SRC_MATCH) $(SRC_CHECKS) \
	$(SRC_REPORT) $(SRC_POLICY) $(SRC_CMD)

# DEPS=static links against the musl prefix that build.sh makes; DEPS=system uses
# Debian's -dev packages of the same versions with glibc, for sanitizers and fuzzing.
DEPS_PREFIX ?= $(CURDIR)/build/deps
ifneq ($(SANITIZE),)
DEPS ?= system
endif
# The fuzzers are clang builds against Debian's -dev packages, whatever build.sh made.
ifeq ($(MAKECMDGOALS),fuzz)
DEPS ?= system
endif
DEPS ?= static
ifeq ($(DEPS),static)
ifeq ($(wildcard $(DEPS_PREFIX)/lib/libarchive.a),)
$(error the static dependencies are missing in $(DEPS_PREFIX): run ./build.sh first, or use make DEPS=system)
endif
endif

DEVELOPER ?= 1
WARN_FLAGS := -Wall -Wextra -Werror -Wstrict-prototypes -Wvla -Wwrite-strings -Wformat-security \
	-Wno-unused-parameter
# stdio.h and string.h come before banned.h: musl declares strcpy and friends without extern,
# so expanded by the macros they would define one global per object file and clash at link time.
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g -Iscanner -DCUSTOMS_VERSION='"$(VERSION)"' \
	-include stdio.h -include string.h -include scanner/util/banned.h \
	-ffunction-sections -fdata-sections -MMD -MP
ifeq ($(DEVELOPER),1)
BASE_CFLAGS += $(WARN_FLAGS)
endif

ifeq ($(DEPS),static)
CC := musl-gcc
OUT := build
DEP_CFLAGS := -I$(DEPS_PREFIX)/include
DEP_LIBS := -static -L$(DEPS_PREFIX)/lib -larchive -lzstd -lcurl -lmbedtls -lmbedx509 -lmbedcrypto -lz \
	-lcjson -pthread -Wl,--gc-sections
else
CC ?= cc
ifneq ($(SANITIZE),)
CC := clang
OUT := build/san
BASE_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all -O1
SAN_LDFLAGS := -fsanitize=$(SANITIZE)
else
OUT := build/sys
endif
DEP_CFLAGS := $(shell pkg-config --cflags libarchive libcurl libzstd zlib 2>/dev/null)
DEP_LIBS := $(SAN_LDFLAGS) -larchive -lcurl -lmbedtls -lmbedx509 -lmbedcrypto -lzstd -lz -lcjson -pthread
endif

CFLAGS_ALL := $(BASE_CFLAGS) $(DEP_CFLAGS) $(CFLAGS)

OBJ_LIB := $(SRC_LIB:%.c=$(OUT)/obj/%.o)
OBJ_MAIN := $(SRC_MAIN:%.c=$(OUT)/obj/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
UNIT_OBJ := $(UNIT_SRC:%.c=$(OUT)/obj/%.o) $(OUT)/obj/tests/unit/generated-list.o

.PHONY: all test test-run unit fuzz bench clean deps-check help
all: $(OUT)/customs

$(OUT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(OUT)/customs: $(OBJ_LIB) $(OBJ_MAIN)
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(DEP_LIBS) $(LDFLAGS)

# customs hook install writes ci/pre-push, which the binary carries as a C string made here.
$(OUT)/gen/pre_push_script.h: ci/pre-push
	@mkdir -p $(dir $@)
	{ echo '/* Generated from ci/pre-push by the Makefile: do not edit. */'; \
	  echo 'static const char pre_push_script[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' -e 's/^/"/' -e 's/$$/\\n"/' ci/pre-push; \
	  echo ';'; } >$@.tmp && mv $@.tmp $@

$(OUT)/obj/scanner/cmd/cmd_hook.o: $(OUT)/gen/pre_push_script.h
$(OUT)/obj/scanner/cmd/cmd_hook.o: CFLAGS_ALL += -I$(OUT)/gen

# Unit tests are collected from every TEST(name) in tests/unit/*.c: nobody registers them by hand.
$(OUT)/tests/unit/generated-list.c: $(UNIT_SRC) tests/unit/collect.sh
	@mkdir -p $(dir $@)
	sh tests/unit/collect.sh $(UNIT_SRC) > $@

$(OUT)/obj/tests/unit/generated-list.o: $(OUT)/tests/unit/generated-list.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests/unit -c -o $@ $<

$(OUT)/obj/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests/unit -c -o $@ $<

$(OUT)/unit-tests: $(UNIT_OBJ) $(OBJ_LIB)
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(DEP_LIBS) $(LDFLAGS)

unit: $(OUT)/unit-tests
	$(OUT)/unit-tests

# make test installs the test tools it needs, then runs unit and end-to-end tests. The tools
# come first and the build in a second make: SANITIZE=... needs clang and the -dev packages
# before it compiles anything, and the second make re-reads their pkg-config flags.
test:
	sh tests/setup-tools.sh
	$(MAKE) test-run

test-run: $(OUT)/customs $(OUT)/unit-tests
	CUSTOMS=$(CURDIR)/$(OUT)/customs UNIT_TESTS=$(CURDIR)/$(OUT)/unit-tests SANITIZE=$(SANITIZE) \
		sh tests/run.sh

fuzz:
	sh tests/fuzz/run.sh

bench: $(OUT)/customs
	CUSTOMS=$(CURDIR)/$(OUT)/customs sh tests/bench/run.sh

# print-VAR shows one variable, so scripts (tests/fuzz/run.sh) reuse the source lists and flags.
print-%:
	@:$(info $($*))

clean:
	rm -rf build/obj build/gen build/customs build/sys build/san build/unit-tests build/fuzz build/tests

-include $(OBJ_LIB:.o=.d) $(OBJ_MAIN:.o=.d) $(UNIT_OBJ:.o=.d)
