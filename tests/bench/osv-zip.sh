#!/bin/sh
# Make the generated OSV all.zip of `make bench` once and print its path; the bench scripts share it.
#
# Usage: sh tests/bench/osv-zip.sh CACHE_DIR RECORDS
# Leaves CACHE_DIR/osv-RECORDS.zip and CACHE_DIR/osv-RECORDS.names (gen-osv.py --names); both are
# made again when gen-osv.py is newer than the zip.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cache=${1:?usage: osv-zip.sh CACHE_DIR RECORDS}
records=${2:?usage: osv-zip.sh CACHE_DIR RECORDS}
mkdir -p "$cache"
zip=$cache/osv-$records.zip
names=$cache/osv-$records.names
# shellcheck disable=SC3013 # dash, bash and busybox sh all have -nt
if [ ! -s "$zip" ] || [ ! -s "$names" ] || [ "$here/gen-osv.py" -nt "$zip" ]; then
	echo "bench: generating $records OSV records (once, cached in $cache)" >&2
	log=$(mktemp)
	python3 "$here/gen-osv.py" "$records" --zip "$zip.tmp" --names "$names" 2>"$log" ||
		{ cat "$log" >&2; rm -f "$log" "$zip.tmp"; exit 1; }
	rm -f "$log"
	mv "$zip.tmp" "$zip"
fi
echo "$zip"
