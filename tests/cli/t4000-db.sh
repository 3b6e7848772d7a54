#!/bin/bash
# customs db build/info/query: OSV import, the binary database and its damage checks.
. "$(dirname "$0")/../lib/test-lib.sh"

tab=$(printf '\t')

mkdir -p osv/npm osv/Debian
cat >osv/npm/GHSA-test-0001.json <<'JSON'
{"id": "GHSA-test-0001", "modified": "2024-03-01T00:00:00Z", "aliases": ["CVE-2024-0001"],
 "summary": "test advisory", "database_specific": {"severity": "HIGH"},
 "affected": [{"package": {"ecosystem": "npm", "name": "left-pad"},
   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.3.0"}]}]}]}
JSON
cat >osv/npm/GHSA-test-0002.json <<'JSON'
{"id": "GHSA-test-0002", "withdrawn": "2024-04-01T00:00:00Z",
 "affected": [{"package": {"ecosystem": "npm", "name": "left-pad"}, "versions": ["1.0.0"]}]}
JSON
cat >osv/Debian/DSA-test-1.json <<'JSON'
{"id": "DSA-test-1", "modified": "2023-01-01T00:00:00Z",
 "affected": [{"package": {"ecosystem": "Debian:12", "name": "left-pad"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.0-2"}]}]}]}
JSON
echo 'not json' >osv/README.txt

test_expect_success 'build from a folder of OSV records' '
	"$CUSTOMS" db build --output small.db osv >out &&
	test -s small.db &&
	grep -q "^imported 2 records from 1 source$" out &&
	grep -q "^wrote .small.db.: 2 advisories, [0-9]* bytes from [0-9]* bytes of json$" out
'

test_expect_success 'records count what each source gave, advisories what is stored once' '
	cp -r osv again &&
	"$CUSTOMS" db build --output twice.db osv again >out &&
	grep -q "^imported 4 records from 2 sources$" out &&
	grep -q "^wrote .twice.db.: 2 advisories," out &&
	"$CUSTOMS" db info twice.db >info &&
	grep -q "^advisories: 2$" info &&
	grep -q "^records imported: 4$" info &&
	grep -q "^  osv date=.* records=2$" info &&
	grep -q "^  again date=.* records=2$" info
'

test_expect_success 'info shows the format, source, counts and a verified checksum' '
	"$CUSTOMS" db info small.db >info &&
	grep -q "^format version: 2$" info &&
	grep -q "^advisories: 2$" info &&
	grep -q "^records imported: 2$" info &&
	grep -q "^  osv date=2024-03-01T00:00:00Z records=2$" info &&
	grep -q "^checksum: sha256:[0-9a-f]\{64\} (verified)$" info &&
	grep -q "^  Debian:12 packages=1 affected=1$" info
'

test_expect_success 'query prints the ranges, and skips the withdrawn record' '
	"$CUSTOMS" db query small.db npm left-pad >got &&
	printf "GHSA-test-0001\tHIGH\tSEMVER introduced=0 fixed=1.3.0\t-\tCVE-2024-0001\n" >want &&
	diff want got
'

test_expect_success 'the same name in another ecosystem is another package' '
	"$CUSTOMS" db query small.db Debian:12 left-pad >got &&
	test "$(cut -f1,3 got)" = "DSA-test-1${tab}ECOSYSTEM introduced=0 fixed=1.0-2" &&
	"$CUSTOMS" db query small.db Debian:11 left-pad >got && test ! -s got &&
	"$CUSTOMS" db query small.db npm Left-Pad >got && test ! -s got
'

test_expect_success 'a malformed record exits 2 with one line naming the file, and writes nothing' '
	mkdir bad && cp osv/npm/GHSA-test-0001.json bad/ &&
	echo "{\"id\": \"X\", \"affected\": [{\"package\": 3}]}" >bad/broken.json &&
	test_expect_code 2 "$CUSTOMS" db build --output bad.db bad 2>err &&
	one_line_error err && grep -q "bad/broken.json" err && test ! -e bad.db &&
	test -z "$(ls -a | grep "bad\.db")"
'

test_expect_success 'truncated json and a missing source exit 2' '
	head -c 40 osv/npm/GHSA-test-0001.json >cut.json &&
	test_expect_code 2 "$CUSTOMS" db build --output x.db cut.json 2>err && one_line_error err &&
	test_expect_code 2 "$CUSTOMS" db build --output x.db no-such-dir 2>err && one_line_error err &&
	test_expect_code 2 "$CUSTOMS" db build osv 2>err && one_line_error err
'

test_expect_success 'a damaged database exits 2 with one line; a missing one exits 3' '
	size=$(wc -c <small.db) &&
	head -c $((size - 1)) small.db >trunc.db &&
	test_expect_code 2 "$CUSTOMS" db info trunc.db 2>err && one_line_error err && grep -q trunc.db err &&
	cp small.db flip.db && printf "\377" | dd of=flip.db bs=1 seek=200 conv=notrunc 2>/dev/null &&
	test_expect_code 2 "$CUSTOMS" db query flip.db npm left-pad 2>err && one_line_error err &&
	grep -q checksum err &&
	echo "CUSTOMSDB but not really" >junk.db &&
	test_expect_code 2 "$CUSTOMS" db info junk.db 2>err && one_line_error err &&
	test_expect_code 3 "$CUSTOMS" db info missing.db 2>err && one_line_error err
'

test_expect_success 'the same input builds the same bytes' '
	SOURCE_DATE_EPOCH=1700000000 "$CUSTOMS" db build --output a.db osv >/dev/null &&
	SOURCE_DATE_EPOCH=1700000000 "$CUSTOMS" db build --output b.db osv >/dev/null &&
	cmp a.db b.db &&
	"$CUSTOMS" db info a.db | grep -q "^built: 2023-11-14T22:13:20Z$"
'

osv=$SHARED_DATA/osv
if ! have_shared_data || [ ! -d "$osv" ] || ! command -v jq >/dev/null 2>&1; then
	test_skip 'real OSV data' 'no ../shared/data/osv or no jq'
	test_done
	exit
fi

# Every record as one compact line, so jq reads the folder once per check.
find "$osv" -name '*.json' -type f | sort | xargs cat | jq -c . >records.jsonl

test_expect_success 'build the real OSV records' '
	"$CUSTOMS" db build --output real.db "$osv" >out 2>err && test ! -s err
'

test_expect_success 'info counts every record that is not withdrawn' '
	want=$(jq -s "map(select(.withdrawn == null)) | length" records.jsonl) &&
	"$CUSTOMS" db info real.db >info &&
	grep -q "^advisories: $want$" info &&
	grep -q "^  osv .* records=$want$" info
'

test_expect_success 'every package answers with the advisories and fixed versions of the json' '
	jq -r "select(.withdrawn == null) | .affected[]? | select(.package != null) |
		[.package.ecosystem, .package.name] | @tsv" records.jsonl | sort -u >packages &&
	test "$(grep -c "" packages)" -gt 50 &&
	while IFS="$tab" read -r eco name; do
		jq -r --arg e "$eco" --arg n "$name" "select(.withdrawn == null) | .id as \$id |
			.affected[]? | select(.package.ecosystem == \$e and .package.name == \$n) | \$id" \
			records.jsonl | sort >want.ids &&
		jq -r --arg e "$eco" --arg n "$name" "select(.withdrawn == null) | .affected[]? |
			select(.package.ecosystem == \$e and .package.name == \$n) | .ranges[]? |
			select(.type != \"GIT\") | .events[] | to_entries[] | \"\(.key)=\(.value)\"" \
			records.jsonl | sort >want.events &&
		"$CUSTOMS" db query real.db "$eco" "$name" >got &&
		cut -f1 got | sort >got.ids &&
		cut -f3 got | tr " " "\n" | grep "=" | sort >got.events &&
		if ! diff want.ids got.ids || ! diff want.events got.events; then
			echo "mismatch for $eco $name"; exit 1
		fi
	done <packages
'

test_expect_success 'the database is at most a third of the json' '
	json=$(find "$osv" -name "*.json" -type f -exec cat {} + | wc -c) &&
	db=$(wc -c <real.db) &&
	echo "db $db bytes, json $json bytes" &&
	test $((db * 3)) -le "$json"
'

test_expect_success 'a truncated real database exits 2 with one line' '
	head -c 5000 real.db >trunc.db &&
	test_expect_code 2 "$CUSTOMS" db info trunc.db 2>err && one_line_error err
'

test_done
