#!/bin/sh
# `make bench`: time `customs sbom` against the zlib inflate floor on a ~1 GB and a ~50 MB image,
# and `customs scan` against `customs sbom` on the same images, then `vercmp --batch` and the
# vulnerability database (tests/bench/vercmp.sh, vulndb.sh) and secret scanning (secrets.sh).
#
# Environment:
#   CUSTOMS      the binary under test (default build/customs)
#   BENCH_CACHE  where the images and peer tools are cached (default build/bench-cache)
#   BENCH_RUNS   runs per measurement; the median wall time is shown (default 3)
#   BENCH_PEERS  1 (default): also time syft and trivy when `go install` can build them
#                (tried once, within BENCH_PEER_INSTALL_SECONDS, default 900); 0: skip them
#
# Every tool reads the same archive with the page cache warm, in one run, the tools taking turns
# so that load from elsewhere spreads over all of them. Wall and CPU time are medians; peak RSS
# is the largest of the runs. The first run builds the images (debootstrap and apt, about ten
# minutes) and the peers; both are cached under BENCH_CACHE.
#
# The scan's database is built in every run by the binary under test, from realistic data: the
# 300,000 generated OSV records that vulndb.sh times (gen-osv.py), advisories that gen-osv.py
# writes for the large image's own Debian 12 source packages, with ranges on either side of the
# installed versions, and the demo records (tests/demo/osv). The scan must find exactly the
# generated advisories that affect the image.
set -u

here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/../.." && pwd)
cd "$project" || exit 1

customs=${CUSTOMS:-$project/build/customs}
cache=${BENCH_CACHE:-$project/build/bench-cache}
work=$project/build/bench
runs=${BENCH_RUNS:-3}
peers=${BENCH_PEERS:-1}
peer_install_seconds=${BENCH_PEER_INSTALL_SECONDS:-900}
mkdir -p "$work" "$cache"

# Two benchmarks at once would time each other: a second `make bench` waits for the first.
if command -v flock >/dev/null 2>&1; then
	exec 9>"$work/lock"
	if ! flock -n 9; then
		echo "bench: waiting for the other benchmark running here" >&2
		flock 9
	fi
fi
scratch=$(mktemp -d "$work/run.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

say() { echo "bench: $*" >&2; }
die() {
	say "$*"
	exit 1
}

# --- tools -----------------------------------------------------------------------------------

missing_packages() {
	command -v debootstrap >/dev/null 2>&1 || echo debootstrap
	command -v umoci >/dev/null 2>&1 || echo umoci
	command -v skopeo >/dev/null 2>&1 || echo skopeo
	[ -x /usr/bin/time ] || echo time
	command -v gcc >/dev/null 2>&1 || echo gcc
	[ -r /usr/include/zlib.h ] || echo zlib1g-dev
}

need=$(missing_packages | tr '\n' ' ')
if [ -n "$need" ]; then
	say "installing $need"
	sh tests/setup-tools.sh >&2 || true
	need=$(missing_packages | tr '\n' ' ')
	# What the tests' own list lacks (time, for one) comes straight from apt.
	if [ -n "$need" ]; then
		# shellcheck disable=SC2086 # a list of package names
		apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $need >&2
	fi
	need=$(missing_packages | tr '\n' ' ')
	[ -z "$need" ] || die "missing tools: $need"
fi
[ -x "$customs" ] || die "no customs binary at $customs (make builds it)"

sh "$here/build-image.sh" "$cache" || die "cannot build the benchmark images"

floor=$work/inflate-floor
# shellcheck disable=SC3013 # dash, bash and busybox sh all have -nt
if [ ! -x "$floor" ] || [ "$here/inflate_floor.c" -nt "$floor" ]; then
	gcc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -o "$floor" "$here/inflate_floor.c" -lz ||
		die "cannot build the inflate floor"
fi

# --- the scan's database ---------------------------------------------------------------------

records=${BENCH_RECORDS:-300000}
osv_zip=$(sh "$here/osv-zip.sh" "$cache" "$records") || die "cannot generate the OSV records"
say "building the scan's database"
"$customs" sbom "$cache/large.oci.tar" -o json="$scratch/large.sbom.json" --quiet ||
	die "customs sbom failed on the large image"
python3 "$here/gen-osv.py" 0 --image-sbom "$scratch/large.sbom.json" --zip "$scratch/image-osv.zip" \
	--image-expected "$scratch/image.expected" 2>"$scratch/gen.log" ||
	{ cat "$scratch/gen.log" >&2; die "cannot generate the image's advisories"; }
scan_db=$scratch/scan.db
"$customs" db build --output "$scan_db" "$osv_zip" "$scratch/image-osv.zip" tests/demo/osv \
	>"$scratch/db-build.out" 2>&1 || { cat "$scratch/db-build.out" >&2; die "customs db build failed"; }
# What the scan looks up: each package by the name its advisories use (the source package).
python3 -c '
import json, sys
for p in json.load(open(sys.argv[1]))["packages"]:
    if p.get("type") == "deb":
        print("Debian:12\t%s" % (p.get("source_name") or p["name"]))
' "$scratch/large.sbom.json" >"$scratch/image.lookups"

# --- peers (optional) ------------------------------------------------------------------------

# peer_install NAME MODULE [GOEXPERIMENT]: make $cache/bin/NAME with `go install`, once; a failure
# is remembered in NAME.failed so later runs do not wait for it again (delete that file to retry).
peer_install() {
	name=$1
	bin=$cache/bin/$name
	[ "$peers" = 1 ] || { peer_note="$name: skipped (BENCH_PEERS=0)"; return 1; }
	[ -x "$bin" ] && return 0
	if [ -e "$bin.failed" ]; then
		peer_note="$name: skipped, its install failed before (see $bin.failed; delete it to retry)"
		return 1
	fi
	if ! command -v go >/dev/null 2>&1; then
		peer_note="$name: skipped, no Go toolchain to build it"
		return 1
	fi
	say "building $name with go install (once, up to ${peer_install_seconds}s)"
	mkdir -p "$cache/bin"
	# GOTOOLCHAIN=local: build with the Go that is here, never fetch another toolchain.
	if (cd "$work" && GOBIN=$cache/bin GOTOOLCHAIN=local GOEXPERIMENT=${3:-} CGO_ENABLED=0 \
		timeout "$peer_install_seconds" go install "$2") >"$bin.log" 2>&1; then
		rm -f "$bin.log"
		return 0
	fi
	mv "$bin.log" "$bin.failed"
	peer_note="$name: skipped, go install failed or timed out (see $bin.failed)"
	return 1
}

peer_notes=
have_syft=0
have_trivy=0
if peer_install syft github.com/anchore/syft/cmd/syft@latest; then
	have_syft=1
else
	peer_notes="$peer_notes$peer_note
"
fi
# trivy's own build turns on the encoding/json/v2 experiment; it does not compile without it.
if peer_install trivy github.com/aquasecurity/trivy/cmd/trivy@latest jsonv2; then
	have_trivy=1
else
	peer_notes="$peer_notes$peer_note
"
fi

# --- measuring -------------------------------------------------------------------------------

# once TOOL INPUT COMMAND...: run it once with stdout discarded and append
# "TOOL|INPUT|wall_ms|rss_kb|failure|cpu_ms" to $rows. Runs of different tools are interleaved, so a
# burst of load from elsewhere on the machine does not land on one tool only.
rows=$scratch/rows
: >"$rows"
once() {
	tool=$1
	input=$2
	shift 2
	# A tool that failed once is not run again: its error is in the table.
	awk -F'|' -v t="$tool" -v i="$input" '$1 == t && $2 == i && $5 != "" { f = 1 } END { exit !f }' \
		"$rows" && return 0
	start=$(date +%s%N)
	/usr/bin/time -f '%M %U %S' -o "$scratch/rss" "$@" >/dev/null 2>"$scratch/stderr"
	rc=$?
	end=$(date +%s%N)
	failure=
	[ "$rc" -eq 0 ] ||
		failure="exit $rc: $(grep -v '^Command exited' "$scratch/stderr" | head -n 1 | tr '|\t' '/ ' |
			cut -c1-160)"
	# shellcheck disable=SC2046 # "RSS USER SYS" split into three
	set -- $(tail -n 1 "$scratch/rss")
	cpu_ms=$(awk -v u="${2:-0}" -v s="${3:-0}" 'BEGIN { printf "%d", (u + s) * 1000 }')
	echo "$tool|$input|$(((end - start) / 1000000))|${1:-0}|$failure|$cpu_ms" >>"$rows"
}

# oci_folder TAG: the OCI archive unpacked into a layout folder, made once and kept warm.
oci_folder() {
	dir=$cache/$1.oci-folder
	if [ ! -e "$dir/.done" ]; then
		rm -rf "$dir"
		mkdir -p "$dir"
		tar -xf "$cache/$1.oci.tar" -C "$dir" && touch "$dir/.done"
	fi
	cat "$dir"/blobs/sha256/* >/dev/null
	echo "$dir"
}

# sbom_and_scan RUN INPUT ARCHIVE: time both on one archive, taking turns at going first, so that
# neither always runs right after the floor or always before a burst from elsewhere.
sbom_and_scan() {
	if [ $(($1 % 2)) -eq 1 ]; then
		once sbom "$2" "$customs" sbom "$3" -o json --quiet
		once scan "$2" "$customs" scan "$3" --db "$scan_db" -o json --quiet
	else
		once scan "$2" "$customs" scan "$3" --db "$scan_db" -o json --quiet
		once sbom "$2" "$customs" sbom "$3" -o json --quiet
	fi
}

bench_image() {
	tag=$1
	oci=$cache/$tag.oci.tar
	docker=$cache/$tag.docker.tar
	# Warm the page cache so that no tool pays for the disk on behalf of the others.
	cat "$oci" "$docker" >/dev/null
	i=1
	while [ "$i" -le "$runs" ]; do
		say "$tag image, run $i of $runs"
		once floor "$tag oci gzip" "$floor" "$oci"
		sbom_and_scan "$i" "$tag oci gzip" "$oci"
		once floor "$tag docker plain" "$floor" "$docker"
		sbom_and_scan "$i" "$tag docker plain" "$docker"
		if [ "$tag" = large ] && [ "$have_syft" = 1 ]; then
			once syft "$tag oci gzip" env SYFT_CHECK_FOR_APP_UPDATE=false "$cache/bin/syft" scan \
				"oci-archive:$oci" -o cyclonedx-json -q
		fi
		if [ "$tag" = large ] && [ "$have_trivy" = 1 ]; then
			# trivy reads OCI layouts only as folders: the same blobs, unpacked from the archive.
			# A memory cache: with its disk cache, trivy would skip the layers it saw in run 1.
			# Its jar analyzer stops the scan when its Java DB cannot be fetched, so jars are
			# skipped.
			once trivy "$tag oci gzip" "$cache/bin/trivy" image --input "$(oci_folder "$tag")" \
				--format cyclonedx --cache-backend memory --cache-dir "$scratch/trivy-cache" \
				--skip-db-update --skip-java-db-update --offline-scan --skip-version-check \
				--disable-telemetry --skip-files '**/*.jar' --quiet
		fi
		i=$((i + 1))
	done
}

load_before=$(cut -d' ' -f1 /proc/loadavg)
bench_image large
bench_image small
load_after=$(cut -d' ' -f1 /proc/loadavg)

# Fold the runs: "TOOL|INPUT|median wall_ms|largest rss_kb|first failure|median cpu_ms", in
# first-seen order.
summary=$scratch/summary
awk -F'|' '
	!(($1 "|" $2) in count) { order[++keys] = $1 "|" $2 }
	{
		k = $1 "|" $2
		if ($5 != "" && fail[k] == "")
			fail[k] = $5
		if ($5 != "")
			next
		wall[k, ++count[k]] = $3
		cpu[k, count[k]] = $6
		if ($4 + 0 > rss[k] + 0)
			rss[k] = $4
	}
	END {
		for (n = 1; n <= keys; n++) {
			k = order[n]
			c = count[k]
			for (i = 2; i <= c; i++)
				for (j = i; j > 1 && wall[k, j - 1] > wall[k, j]; j--) {
					t = wall[k, j]; wall[k, j] = wall[k, j - 1]; wall[k, j - 1] = t
				}
			for (i = 2; i <= c; i++)
				for (j = i; j > 1 && cpu[k, j - 1] > cpu[k, j]; j--) {
					t = cpu[k, j]; cpu[k, j] = cpu[k, j - 1]; cpu[k, j - 1] = t
				}
			m = int((c + 1) / 2)
			print k "|" (c ? wall[k, m] : 0) "|" rss[k] + 0 "|" fail[k] "|" (c ? cpu[k, m] : 0)
		}
	}' "$rows" >"$summary"

# get TOOL INPUT FIELD: a summarised figure (3 wall_ms, 4 rss_kb, 5 failure, 6 cpu_ms).
get() {
	awk -F'|' -v t="$1" -v i="$2" -v f="$3" '$1 == t && $2 == i { print $f }' "$summary"
}

# --- sanity: the benchmark timed a scan that found the packages ------------------------------

found_packages() {
	"$customs" sbom "$1" -o cyclonedx --quiet 2>/dev/null | grep -c '"purl":[[:space:]]*"pkg:deb/'
}

# --- table -----------------------------------------------------------------------------------

mb() { awk -v b="$1" 'BEGIN { printf "%.0f MB", b / 1e6 }'; }

echo
echo "Benchmark of $("$customs" --version 2>/dev/null | head -n 1) ($customs)"
echo "$(nproc) cores, median of $runs runs, page cache warm; 'oci gzip' is an OCI archive with gzip"
echo "layers, 'docker plain' a docker-archive (skopeo, like docker save, stores layers uncompressed)."
echo "Load average $load_before before, $load_after after$(awk -v a="$load_before" -v b="$load_after" \
	-v c="$(nproc)" 'BEGIN { if (a > c || b > c) printf ": the machine was busy, figures are noisy" }')."
echo
printf '%-6s %-10s %-10s %-8s %-12s %s\n' image archive unpacked layers packages "customs found (deb)"
while read -r tag archive raw layers; do
	expected=$(grep -c '' "$cache/$tag.packages")
	printf '%-6s %-10s %-10s %-8s %-12s %s\n' "$tag" "$(mb "$archive")" "$(mb "$raw")" "$layers" \
		"$expected" "$(found_packages "$cache/$tag.oci.tar")"
done <"$cache/sizes.txt"
echo

printf '%-8s %-18s %8s %8s %10s %8s %8s   %s\n' tool input "wall s" "cpu s" "peak RSS" "x floor" "x sbom" \
	note
awk -F'|' '
	{ tool[NR] = $1; input[NR] = $2; wall[NR] = $3; rss[NR] = $4; fail[NR] = $5; cpu[NR] = $6 }
	$1 == "floor" { floor[$2] = $3 }
	$1 == "sbom" && $5 == "" { sbom[$2] = $3 }
	END {
		for (n = 1; n <= NR; n++) {
			if (fail[n] != "") {
				printf "%-8s %-18s %8s %8s %10s %8s %8s   FAILED %s\n", tool[n], input[n],
					"-", "-", "-", "-", "-", fail[n]
				continue
			}
			ratio = "-"
			to_sbom = "-"
			note = ""
			f = floor[input[n]]
			s = sbom[input[n]]
			if (tool[n] != "floor" && f > 0)
				ratio = sprintf("%.2f", wall[n] / f)
			if (tool[n] == "scan" && s > 0)
				to_sbom = sprintf("%.3f", wall[n] / s)
			if (tool[n] == "floor")
				note = input[n] ~ /gzip/ ? "zlib inflate of every layer" : "a plain read"
			else if (tool[n] == "sbom" && input[n] ~ /gzip/ && f > 0)
				note = "customs sbom; target <= 1.20 x floor: " (wall[n] / f <= 1.2 ? "met" : "MISSED")
			else if (tool[n] == "sbom")
				note = "customs sbom; the floor only reads, customs also hashes"
			else if (tool[n] == "scan" && input[n] ~ /^large/ && s > 0)
				note = "customs scan; target < 1.10 x sbom: " (wall[n] / s < 1.1 ? "met" : "MISSED")
			else if (tool[n] == "scan")
				note = "customs scan; the database open weighs on a small image"
			else
				note = "peer: every ecosystem"
			if (tool[n] == "trivy")
				note = note "; layout folder, no jars"
			printf "%-8s %-18s %8.2f %8.2f %7.1f MB %8s %8s   %s\n", tool[n], input[n],
				wall[n] / 1000, cpu[n] / 1000, rss[n] / 1024, ratio, to_sbom, note
		}
	}' "$summary"
for name in syft trivy; do
	if [ ! -x "$cache/bin/$name" ] || [ "$peers" != 1 ]; then
		continue
	fi
	echo "$name: $(go version -m "$cache/bin/$name" 2>/dev/null | awk '$1 == "mod" { print $3 }')," \
		"built by go install"
done
[ -n "$peer_notes" ] && printf '%s' "$peer_notes"
echo

status=0
large_rss=$(get sbom "large oci gzip" 4)
small_rss=$(get sbom "small oci gzip" 4)
large_ratio=$(awk -v c="$(get sbom "large oci gzip" 3)" -v f="$(get floor "large oci gzip" 3)" \
	'BEGIN { printf "%.2f", (f > 0 ? c / f : 0) }')
if [ -n "$(get sbom "large oci gzip" 5)$(get sbom "small oci gzip" 5)" ]; then
	echo "customs failed on a benchmark image: see the table"
	status=1
else
	verdict=$(awk -v r="$large_ratio" 'BEGIN { print (r <= 1.2 ? "met" : "MISSED") }')
	echo "time: customs takes ${large_ratio}x the inflate floor on the large image" \
		"(target <= 1.2): $verdict"
	verdict=$(awk -v a="$large_rss" -v b="$small_rss" \
		'BEGIN { print (a < 65536 && b < 65536 ? "met" : "MISSED") }')
	echo "memory: peak RSS $((large_rss / 1024)) MB on the large image," \
		"$((small_rss / 1024)) MB on the small one (target < 64 MB whatever the size): $verdict"
fi
if [ -n "$(get scan "large oci gzip" 5)$(get scan "large docker plain" 5)" ]; then
	echo "customs scan failed on the large image: see the table"
	status=1
else
	for input in "large oci gzip" "large docker plain"; do
		awk -v c="$(get scan "$input" 3)" -v s="$(get sbom "$input" 3)" -v i="$input" \
			-v cc="$(get scan "$input" 6)" -v sc="$(get sbom "$input" 6)" 'BEGIN {
			printf "scan: %.2f s against %.2f s for sbom on the %s image: %+.1f%% " \
				"(target < +10%%): %s; cpu %.2f s against %.2f s, %+.1f%%: %s\n", c / 1000,
				s / 1000, i, (c / s - 1) * 100, (c < 1.1 * s ? "met" : "MISSED"), cc / 1000,
				sc / 1000, (sc > 0 ? (cc / sc - 1) * 100 : 0), (cc < 1.1 * sc ? "met" : "MISSED")
		}'
	done
	echo "memory: scan peak RSS $(($(get scan "large oci gzip" 4) / 1024)) MB against" \
		"$((large_rss / 1024)) MB for sbom on the large image; $(($(get scan "small oci gzip" 4) / 1024))" \
		"MB against $((small_rss / 1024)) MB on the small one. The scan maps the" \
		"$(($(stat -c %s "$scan_db") / 1048576)) MB database, whose pages count in RSS once its" \
		"checksum has read them; they are the page cache's, shared and dropped under pressure."
	# The findings of the advisories written for the image: every one expected, nothing else.
	"$customs" scan "$cache/large.oci.tar" --db "$scan_db" -o json="$scratch/scan.json" --quiet
	python3 -c '
import json, sys
expected = set(open(sys.argv[2]).read().split())
report = json.load(open(sys.argv[1]))
ids = {i for f in report["findings"] for i in [f["id"]] + f["aliases"]}
generated = {i for i in ids if i.startswith("DEBIAN-CVE-") and int(i.rsplit("-", 1)[1]) >= 900000}
print("findings: %d on %d of the %d packages (db: %s); %d of the %d generated advisories that affect"
      " the image found, %d extra: %s" % (len(report["findings"]), report["summary"]["vulnerable_packages"],
      report["summary"]["packages"], sys.argv[3], len(generated & expected), len(expected),
      len(generated - expected), "ok" if generated == expected else "WRONG"))
sys.exit(generated != expected)
' "$scratch/scan.json" "$scratch/image.expected" "$(sed -n 's/^wrote [^:]*: //p' "$scratch/db-build.out")" ||
		status=1
fi
echo
echo "vercmp --batch, 100,000 pairs per scheme (reference vectors repeated):"
sh "$(dirname "$0")/vercmp.sh" || status=1
BENCH_CACHE=$cache BENCH_RUNS=$runs BENCH_RECORDS=$records BENCH_IMAGE_DB=$scan_db \
	BENCH_IMAGE_NAMES=$scratch/image.lookups sh "$(dirname "$0")/vulndb.sh" || status=1
echo
echo "the secret detector alone, generated text in 32 KiB files:"
sh "$(dirname "$0")/secrets.sh" || status=1
BENCH_CACHE=$cache BENCH_RUNS=$runs BENCH_IMAGE_DB=$scan_db CUSTOMS=$customs sh "$(dirname "$0")/files.sh" || status=1
exit "$status"
