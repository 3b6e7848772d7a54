#!/bin/sh
# Secret scanning throughput (tests/bench/secrets_bench.c) against a plain memchr pass over the
# same bytes, the least any pass costs. Called by run.sh; prints the driver's lines.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/../.." && pwd)
work=${BENCH_WORK:-$project/build/bench}
mkdir -p "$work"

driver=$work/secrets-bench
util=$(make -s --no-print-directory -C "$project" DEPS=system print-SRC_UTIL)
# shellcheck disable=SC2086 # a list of source files
(cd "$project" && cc -std=c11 -D_GNU_SOURCE -O2 -Iscanner -include stdio.h -include string.h \
	-include scanner/util/banned.h -o "$driver" tests/bench/secrets_bench.c scanner/checks/secrets.c \
	$util -lcjson -lmbedcrypto -pthread) || { echo "bench: cannot build the secrets driver" >&2; exit 1; }
"$driver" "${BENCH_SECRETS_MB:-64}"
