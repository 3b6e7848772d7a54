#!/bin/sh
# Times `customs db build` on 300,000 generated OSV records in one all.zip, beside `unzip -p` inflating
# the same zip as a baseline; then the database size against the JSON, and open plus 1,000 lookups.
# Targets: build under 2 minutes, the file at most a third of the JSON, lookups under 50 ms.
#
# Environment: CUSTOMS (the binary), BENCH_CACHE (where the generated zip is kept, default
# build/bench-cache), BENCH_RECORDS (default 300000), BENCH_RUNS (default 3; the median is shown).
# BENCH_IMAGE_DB and BENCH_IMAGE_NAMES (set by run.sh): a database and the "ECOSYSTEM<TAB>NAME"
# lookup keys of an image's packages, one per package, to time open plus those lookups too.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/../.." && pwd)
: "${CUSTOMS:?set CUSTOMS to the binary}"
cache=${BENCH_CACHE:-$project/build/bench-cache}
records=${BENCH_RECORDS:-300000}
runs=${BENCH_RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$cache"

ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

zip=$(sh "$here/osv-zip.sh" "$cache" "$records")
names=${zip%.zip}.names

driver=$work/lookup-bench
util=$(make -s --no-print-directory -C "$project" DEPS=system print-SRC_UTIL)
# shellcheck disable=SC2086 # a list of source files
(cd "$project" && cc -std=c11 -D_GNU_SOURCE -O2 -Iscanner -include stdio.h -include string.h \
	-include scanner/util/banned.h -o "$driver" tests/bench/lookup_bench.c scanner/vulndb/read.c \
	$util -lcjson -lmbedcrypto -pthread) || { echo "bench: cannot build the lookup driver" >&2; exit 1; }

build_ms=
floor_ms=
lookup_ms=
open_ms=
i=1
while [ "$i" -le "$runs" ]; do
	echo "bench: database, run $i of $runs" >&2
	cat "$zip" >/dev/null
	start=$(ms)
	if command -v unzip >/dev/null 2>&1; then
		unzip -p "$zip" >/dev/null
		floor_ms="$floor_ms $(($(ms) - start))"
	fi
	start=$(ms)
	"$CUSTOMS" db build --output "$work/osv.db" "$zip" >"$work/build.out"
	build_ms="$build_ms $(($(ms) - start))"
	"$driver" "$work/osv.db" "$names" 1000 >"$work/lookup.out"
	open_ms="$open_ms $(awk '{ print $2 }' "$work/lookup.out")"
	lookup_ms="$lookup_ms $(awk '{ print $6 }' "$work/lookup.out")"
	if [ -n "${BENCH_IMAGE_DB:-}" ] && [ -n "${BENCH_IMAGE_NAMES:-}" ]; then
		"$driver" "$BENCH_IMAGE_DB" "$BENCH_IMAGE_NAMES" all >"$work/image.out"
		image_open_ms="${image_open_ms:-} $(awk '{ print $2 }' "$work/image.out")"
		image_lookup_ms="${image_lookup_ms:-} $(awk '{ print $6 }' "$work/image.out")"
		image_total_ms="${image_total_ms:-} $(awk '{ print $2 + $6 }' "$work/image.out")"
	fi
	i=$((i + 1))
done

build=$(echo "$build_ms" | tr ' ' '\n' | grep . | median)
floor=$(echo "$floor_ms" | tr ' ' '\n' | grep . | median || true)
lookup=$(echo "$lookup_ms" | tr ' ' '\n' | grep . | median)
open=$(echo "$open_ms" | tr ' ' '\n' | grep . | median)
# "wrote 'F': N advisories, DB bytes from JSON bytes of json"
# shellcheck disable=SC2046 # three numbers, split on purpose
set -- $(sed -n 's/.*: \([0-9]*\) advisories, \([0-9]*\) bytes from \([0-9]*\) bytes of json/\1 \2 \3/p' \
	"$work/build.out")
db_bytes=$2
json_bytes=$3

echo
echo "vulnerability database, $records generated OSV records in one all.zip ($(nproc) cores, median of $runs):"
printf '%-28s %14s %14s   %s\n' measure customs baseline verdict
awk -v b="$build" -v f="${floor:-0}" -v n="$records" 'BEGIN {
	printf "%-28s %12.2f s %12s   %s\n", "db build", b / 1000,
		(f > 0 ? sprintf("%.2f s", f / 1000) : "-"), (b < 120000 ? "met (< 120 s)" : "MISSED (>= 120 s)")
	printf "%-28s %14d %14s   %s\n", "records/s", n / (b / 1000), "-", "unzip -p is the baseline above"
}'
awk -v d="$db_bytes" -v j="$json_bytes" 'BEGIN {
	printf "%-28s %11.1f MB %11.1f MB   ratio %.3f: %s\n", "db size / json", d / 1e6, j / 1e6, d / j,
		(3 * d <= j ? "met (<= 1/3)" : "MISSED (> 1/3)")
}'
awk -v o="$open" -v l="$lookup" 'BEGIN {
	printf "%-28s %11.2f ms %14s   %s\n", "1,000 lookups after open", l, sprintf("open %.1f ms", o),
		(l < 50 ? "met (< 50 ms)" : "MISSED (>= 50 ms)")
}'
if [ -n "${image_total_ms:-}" ]; then
	# shellcheck disable=SC2046 # "LOOKUPS ENTRIES" split into two
	set -- $(awk '{ print $4, $8 }' "$work/image.out")
	awk -v o="$(echo "$image_open_ms" | tr ' ' '\n' | grep . | median)" \
		-v l="$(echo "$image_lookup_ms" | tr ' ' '\n' | grep . | median)" \
		-v t="$(echo "$image_total_ms" | tr ' ' '\n' | grep . | median)" -v n="$1" -v e="$2" 'BEGIN {
		printf "%-28s %11.2f ms %14s   %s\n", "open + image lookups", t,
			sprintf("open %.1f ms", o), sprintf("%d packages: %.2f ms, %d entries walked", n, l, e)
	}'
	echo "(the image's lookups use the scan's database: the generated records, advisories for the"
	echo "image's own source packages and the demo records; open includes its checksum)"
fi
