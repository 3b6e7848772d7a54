#!/bin/sh
# The cost of the posture checks (image config, secrets, setuid files, package caches) inside the
# streaming pass: `customs sbom` as the floor, `customs scan --checks vuln` (vulnerabilities
# only) and `customs scan` (every check, the default), side by side in one run. Called by run.sh
# after it made the images and the database; alone:
#   BENCH_CACHE=build/bench-cache BENCH_IMAGE_DB=DB sh tests/bench/files.sh
#
# Environment: CUSTOMS (default build/customs), BENCH_CACHE, BENCH_IMAGE_DB (the database run.sh
# built), BENCH_RUNS (default 3), BENCH_FILES_IMAGES (default "large.oci.tar large.docker.tar
# small.oci.tar", names in BENCH_CACHE).
set -u
here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/../.." && pwd)
customs=${CUSTOMS:-$project/build/customs}
cache=${BENCH_CACHE:-$project/build/bench-cache}
db=${BENCH_IMAGE_DB:-}
runs=${BENCH_RUNS:-3}
images=${BENCH_FILES_IMAGES:-large.oci.tar large.docker.tar small.oci.tar}
work=${BENCH_WORK:-$project/build/bench}
mkdir -p "$work"
scratch=$(mktemp -d "$work/files.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

[ -n "$db" ] && [ -r "$db" ] || { echo "bench: BENCH_IMAGE_DB names no database" >&2; exit 1; }
[ -x "$customs" ] || { echo "bench: no customs binary at $customs" >&2; exit 1; }

# once LABEL IMAGE COMMAND...: one run, "LABEL|IMAGE|wall_ms|rss_kb|rc|cpu_ms" appended to rows.
rows=$scratch/rows
: >"$rows"
once() {
	label=$1
	image=$2
	shift 2
	start=$(date +%s%N)
	/usr/bin/time -f '%M %U %S' -o "$scratch/rss" "$@" >"$scratch/out" 2>"$scratch/err"
	rc=$?
	end=$(date +%s%N)
	# shellcheck disable=SC2046 # "RSS USER SYS" split into three
	set -- $(tail -n 1 "$scratch/rss")
	cpu_ms=$(awk -v u="${2:-0}" -v s="${3:-0}" 'BEGIN { printf "%d", (u + s) * 1000 }')
	echo "$label|$image|$(((end - start) / 1000000))|${1:-0}|$rc|$cpu_ms" >>"$rows"
	[ "$label" = checks ] && cp "$scratch/out" "$scratch/report.$image"
	return 0
}

status=0
for image in $images; do
	path=$cache/$image
	[ -r "$path" ] || { echo "bench: no $path (run.sh makes it)" >&2; status=1; continue; }
	cat "$path" >/dev/null
	i=1
	while [ "$i" -le "$runs" ]; do
		# Taking turns at going first, so no one always runs after the others warmed the caches.
		if [ $((i % 2)) -eq 1 ]; then
			once sbom "$image" "$customs" sbom "$path" -o json --quiet
			once plain "$image" "$customs" scan "$path" --db "$db" --checks vuln -o json --quiet
			once checks "$image" "$customs" scan "$path" --db "$db" -o json --quiet
		else
			once checks "$image" "$customs" scan "$path" --db "$db" -o json --quiet
			once plain "$image" "$customs" scan "$path" --db "$db" --checks vuln -o json --quiet
			once sbom "$image" "$customs" sbom "$path" -o json --quiet
		fi
		i=$((i + 1))
	done
done

echo
echo "posture checks in the streaming pass: wall / cpu seconds (medians of $runs runs), peak RSS (largest):"
printf '%-18s %24s %24s %24s   %s\n' image "customs sbom" "scan --checks vuln" "scan (every check)" \
	"every check vs vuln only"
for image in $images; do
	[ -r "$cache/$image" ] || continue
	awk -F'|' -v img="$image" '
		$2 != img { next }
		$5 != 0 { failed[$1] = 1 }
		{
			n[$1]++; wall[$1, n[$1]] = $3; cpu[$1, n[$1]] = $6
			if ($4 + 0 > rss[$1]) rss[$1] = $4 + 0
		}
		function median(a, t,   c, i, j, x, v) {
			c = n[t]
			for (i = 1; i <= c; i++)
				v[i] = a == "cpu" ? cpu[t, i] : wall[t, i]
			for (i = 2; i <= c; i++)
				for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
					x = v[j]; v[j] = v[j - 1]; v[j - 1] = x
				}
			return c ? v[int((c + 1) / 2)] : 0
		}
		function cell(t) {
			if (failed[t])
				return "FAILED"
			return sprintf("%.2f / %.2f s %6.1f MB", median("wall", t) / 1000, median("cpu", t) / 1000,
				rss[t] / 1024)
		}
		END {
			p = median("wall", "plain"); c = median("wall", "checks")
			pc = median("cpu", "plain"); cc = median("cpu", "checks")
			printf "%-18s %24s %24s %24s   %+.1f%% wall, %+.1f%% cpu, %+.1f MB RSS\n", img,
				cell("sbom"), cell("plain"), cell("checks"), (p > 0 ? (c / p - 1) * 100 : 0),
				(pc > 0 ? (cc / pc - 1) * 100 : 0), (rss["checks"] - rss["plain"]) / 1024
			if (failed["sbom"] || failed["plain"] || failed["checks"])
				exit 1
		}' "$rows" || status=1
	[ -r "$scratch/report.$image" ] &&
		jq -r '"  check findings: \(.checks.findings | length) (\([.checks.findings[].id] | group_by(.) | map("\(.[0]) x\(length)") | join(", ")))"' \
			"$scratch/report.$image" 2>/dev/null
done
exit "$status"
