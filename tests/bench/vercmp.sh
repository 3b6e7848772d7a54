#!/bin/sh
# Times `customs vercmp SCHEME --batch` on 100,000 pairs per scheme, beside `sort` reading the
# same lines as a baseline for the cost of the I/O alone. Target: well under a second.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
: "${CUSTOMS:?set CUSTOMS to the binary}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ms() { echo $(($(date +%s%N) / 1000000)); }

printf '%-10s %8s %12s %12s   %s\n' scheme pairs "vercmp ms" "cat ms" verdict
for vectors in "$here"/vectors/*.tsv; do
	scheme=$(basename "$vectors" .tsv)
	cut -f1,2 "$vectors" >"$work/one"
	: >"$work/pairs"
	# Repeat the reference pairs up to 100,000 lines.
	while [ "$(wc -l <"$work/pairs")" -lt 100000 ]; do
		cat "$work/one" >>"$work/pairs"
	done
	head -n 100000 "$work/pairs" >"$work/batch"
	start=$(ms)
	"$CUSTOMS" vercmp "$scheme" --batch <"$work/batch" >/dev/null
	took=$(($(ms) - start))
	start=$(ms)
	cat "$work/batch" >/dev/null
	base=$(($(ms) - start))
	verdict=$([ "$took" -lt 500 ] && echo "met (< 500 ms)" || echo "MISSED (>= 500 ms)")
	printf '%-10s %8d %12d %12d   %s\n' "$scheme" 100000 "$took" "$base" "$verdict"
done
