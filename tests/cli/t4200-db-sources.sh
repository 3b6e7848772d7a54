#!/bin/bash
# customs db build with Alpine secdb and Debian security tracker files, told apart by their content.
. "$(dirname "$0")/../lib/test-lib.sh"

cat >tracker.data <<'JSON'
{"zlib": {"CVE-2022-37434": {"description": "heap overflow", "releases": {
  "bookworm": {"status": "resolved", "fixed_version": "1:1.2.13.dfsg-1", "urgency": "medium"},
  "bullseye": {"status": "open", "urgency": "low"},
  "sid": {"status": "resolved", "fixed_version": "1:1.2.13.dfsg-1", "urgency": "medium"}}}}}
JSON
cat >secdb.data <<'JSON'
{"distroversion": "v3.19", "reponame": "main", "packages": [
  {"pkg": {"name": "zlib", "secfixes": {"1.2.12-r2": ["CVE-2022-37434"], "0": ["CVE-2023-45853"]}}}]}
JSON

test_expect_success 'the format comes from the content, not the file name' '
	"$CUSTOMS" db build --output small.db tracker.data secdb.data >out &&
	grep -q "2 advisories" out &&
	"$CUSTOMS" db info small.db >info &&
	grep -q "^  debian-tracker date=unknown records=1$" info &&
	grep -q "^  alpine-secdb v3.19 main date=unknown records=1$" info &&
	"$CUSTOMS" db query small.db Debian:12 zlib >got &&
	printf "CVE-2022-37434\tmedium\tECOSYSTEM introduced=0 fixed=1:1.2.13.dfsg-1\t-\t-\n" >want &&
	diff want got &&
	"$CUSTOMS" db query small.db Debian:11 zlib | cut -f3 >got &&
	echo "ECOSYSTEM introduced=0" >want && diff want got &&
	"$CUSTOMS" db query small.db Alpine:v3.19 zlib | cut -f1,3 >got &&
	printf "CVE-2022-37434\tECOSYSTEM introduced=0 fixed=1.2.12-r2\n" >want && diff want got
'

test_expect_success 'malformed secdb and tracker files exit 2 with one line naming the file' '
	echo "{\"distroversion\": \"v3.19\", \"packages\": [{\"pkg\": 5}]}" >bad-secdb.json &&
	test_expect_code 2 "$CUSTOMS" db build --output bad.db bad-secdb.json 2>err &&
	one_line_error err && grep -q bad-secdb.json err && test ! -e bad.db &&
	echo "{\"zlib\": {\"CVE-1\": {\"releases\": {\"bookworm\": {\"status\": \"maybe\"}}}}}" >bad-tracker.json &&
	test_expect_code 2 "$CUSTOMS" db build --output bad.db bad-tracker.json 2>err &&
	one_line_error err && grep -q bad-tracker.json err && test ! -e bad.db &&
	echo "{\"distroversion\": \"v3.19\", \"packages\": [" >cut-secdb.json &&
	test_expect_code 2 "$CUSTOMS" db build --output bad.db cut-secdb.json 2>err &&
	one_line_error err && grep -q cut-secdb.json err && test ! -e bad.db
'

if ! have_shared_data || ! command -v jq >/dev/null 2>&1; then
	test_skip 'real secdb and tracker data' 'no ../shared/data or no jq'
	test_done
	exit
fi

# "CVE<TAB>fixed" per range of a query's output, sorted, to compare with jq.
ranges_of() {
	awk -F '\t' '{
		n = split($3, r, / \| /)
		for (i = 1; i <= n; i++) {
			fixed = "-"
			if (match(r[i], /fixed=[^ ]*/))
				fixed = substr(r[i], RSTART + 6, RLENGTH - 6)
			print $1 "\t" fixed
		}
	}' | LC_ALL=C sort
}

secdb=$SHARED_DATA/secdb/alpine/v3.19/main.json
if [ -f "$secdb" ]; then
	test_expect_success 'build the real alpine v3.19 secdb' '
		"$CUSTOMS" db build --output alpine.db "$secdb" >out 2>err && test ! -s err &&
		want=$(jq "[.packages[].pkg.secfixes // {} | to_entries[] | select(.key != \"0\") |
			.value[] | splits(\"[ \\t]+\") | select(length > 0)] | unique | length" "$secdb") &&
		"$CUSTOMS" db info alpine.db >info &&
		grep -q "^  alpine-secdb v3.19 main date=unknown records=$want\$" info
	'

	test_expect_success 'fixed versions and ids of real packages match the secdb' '
		for pkg in openssl zlib curl busybox musl expat; do
			jq -r --arg p "$pkg" ".packages[].pkg | select(.name == \$p) | .secfixes // {} |
				to_entries[] | select(.key != \"0\") | .key as \$v | .value[] |
				splits(\"[ \\t]+\") | select(length > 0) | \"\\(.)\t\\(\$v)\"" "$secdb" |
				LC_ALL=C sort >want &&
			"$CUSTOMS" db query alpine.db Alpine:v3.19 "$pkg" >q && ranges_of <q >got &&
			test -s want && diff want got || return 1
		done
	'

	test_expect_success 'a never-affected ("0") entry makes no advisory' '
		jq -r ".packages[].pkg | select(.secfixes[\"0\"] != null) | .name" "$secdb" | head -n 5 >zero &&
		test -s zero &&
		while read -r pkg; do
			jq -r --arg p "$pkg" ".packages[].pkg | select(.name == \$p) | .secfixes[\"0\"][]" \
				"$secdb" >never &&
			"$CUSTOMS" db query alpine.db Alpine:v3.19 "$pkg" >q && cut -f1 q >ids &&
			while read -r id; do
				jq -e --arg p "$pkg" --arg id "$id" "[.packages[].pkg | select(.name == \$p) |
					.secfixes | to_entries[] | select(.key != \"0\") | .value[]] |
					index(\$id)" "$secdb" >/dev/null && continue
				! grep -qx "$id" ids || return 1
			done <never || return 1
		done <zero
	'
else
	test_skip 'real alpine secdb' "no $secdb"
fi

# Only the files in the tracker's own layout: package -> CVE-/TEMP- id -> {releases}.
trackers=
for f in "$SHARED_DATA"/debian-tracker/*.json; do
	[ -f "$f" ] || continue
	if jq -e 'type == "object" and (to_entries[0].value | type == "object") and
		(to_entries[0].value | to_entries[0] | (.key | test("^(CVE|TEMP)-")) and
		(.value | type == "object" and has("releases")))' "$f" >/dev/null 2>&1; then
		trackers="$trackers $f"
	fi
done

if [ -n "$trackers" ]; then
	# "ecosystem package id fixed" for every release OSV names, as the tracker says it.
	expect_tracker() {
		jq -r '{"buster": "Debian:10", "bullseye": "Debian:11", "bookworm": "Debian:12",
			"trixie": "Debian:13"} as $eco |
			to_entries[] | .key as $pkg | .value | to_entries[] | .key as $id |
			(.value.releases | if type == "object" then to_entries[] else empty end) |
			select($eco[.key] != null) |
			select(.value.status != "resolved" or .value.fixed_version != "0") |
			"\($eco[.key]) \($pkg)\t\($id)\t" +
			(if .value.status == "resolved" then .value.fixed_version else "-" end)' "$@"
	}

	test_expect_success 'build the real tracker files' '
		"$CUSTOMS" db build --output debian.db $trackers >out 2>err && test ! -s err &&
		"$CUSTOMS" db info debian.db >info && grep -q "^  debian-tracker " info
	'

	test_expect_success 'every package and release matches the tracker' '
		expect_tracker $trackers | LC_ALL=C sort >want && test -s want &&
		cut -f1 want | sort -u >pairs &&
		: >got &&
		while read -r eco pkg; do
			"$CUSTOMS" db query debian.db "$eco" "$pkg" >q &&
			ranges_of <q | sed "s/^/$eco $pkg\t/" >>got || return 1
		done <pairs &&
		LC_ALL=C sort got >got.sorted && diff want got.sorted
	'

	test_expect_success 'sid and releases OSV does not name are left out' '
		"$CUSTOMS" db info debian.db >info &&
		! grep -q "Debian:sid" info &&
		! grep -Eq "^  Debian:(8|9) " info
	'
else
	test_skip 'real debian tracker data' 'no file in the tracker layout'
fi

# ratio DB: "DB_BYTES JSON_BYTES" from the build's own report.
sizes_of() { sed -n "s/^wrote .*: [0-9]* advisories, \([0-9]*\) bytes from \([0-9]*\) bytes of json$/\1 \2/p" "$1"; }

osv=$SHARED_DATA/osv
secdbs=$(ls "$SHARED_DATA"/secdb/alpine/*/*.json 2>/dev/null)
if [ -d "$osv" ] && [ -n "$secdbs" ] && [ -n "$trackers" ]; then
	test_expect_success 'osv, secdb and tracker data together make at most a third of their json' '
		for part in osv secdb tracker; do
			case $part in
			osv) set -- "$osv" ;;
			secdb) set -- $secdbs ;;
			tracker) set -- $trackers ;;
			esac
			"$CUSTOMS" db build --output part.db "$@" >out &&
			sizes_of out | awk -v p=$part "{ printf \"%s: %d bytes from %d bytes of json, ratio %.3f\n\", p, \$1, \$2, \$1 / \$2 }" || return 1
		done &&
		"$CUSTOMS" db build --output all.db "$osv" $secdbs $trackers >out &&
		set -- $(sizes_of out) &&
		echo "all: $1 bytes from $2 bytes of json" &&
		test $(($1 * 3)) -le "$2"
	'
else
	test_skip 'size of the real data' 'no osv, secdb or tracker files'
fi

test_done
