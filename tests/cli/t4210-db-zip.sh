#!/bin/bash
# customs db build with OSV all.zip files: streamed without unpacking, and hostile zips refused.
. "$(dirname "$0")/../lib/test-lib.sh"

if ! command -v python3 >/dev/null 2>&1; then
	test_skip 'osv zips' 'no python3 to write the zips'
	test_done
	exit
fi

# mkzip ZIP NAME=FILE...: a zip whose entries hold the given files' bytes, under any name.
mkzip() {
	python3 - "$@" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for arg in sys.argv[2:]:
        name, _, path = arg.partition("=")
        z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), open(path, "rb").read(),
                   zipfile.ZIP_DEFLATED)
PY
}

cat >a.json <<'JSON'
{"id": "GHSA-zip-0001", "modified": "2024-03-01T00:00:00Z", "aliases": ["CVE-2024-1111"],
 "affected": [{"package": {"ecosystem": "npm", "name": "zipped"},
   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.0"}]}]}]}
JSON
cat >b.json <<'JSON'
{"id": "GHSA-zip-0002", "modified": "2024-02-01T00:00:00Z",
 "affected": [{"package": {"ecosystem": "npm", "name": "zipped"}, "versions": ["2.0.0"]}]}
JSON
echo 'not a record' >readme.txt
mkdir npm
mkzip npm/all.zip GHSA-zip-0002.json=b.json README.md=readme.txt GHSA-zip-0001.json=a.json

test_expect_success 'an OSV all.zip is read in entry order, its other entries ignored' '
	"$CUSTOMS" db build --output zip.db npm/all.zip >out 2>err && test ! -s err &&
	grep -q "2 advisories" out &&
	"$CUSTOMS" db info zip.db >info &&
	grep -q "^  npm date=2024-03-01T00:00:00Z records=2$" info &&
	"$CUSTOMS" db query zip.db npm zipped | cut -f1,3,4 >got &&
	printf "GHSA-zip-0002\t-\t2.0.0\nGHSA-zip-0001\tSEMVER introduced=0 fixed=1.2.0\t-\n" >want &&
	diff want got
'

test_expect_success 'a zip is told by its content, whatever its name' '
	cp npm/all.zip osv-npm.data &&
	"$CUSTOMS" db build --output data.db osv-npm.data >/dev/null &&
	"$CUSTOMS" db info data.db | grep -q "^  osv-npm.data date=.* records=2$"
'

test_expect_success 'the same zip builds the same bytes' '
	SOURCE_DATE_EPOCH=1700000000 "$CUSTOMS" db build --output z1.db npm/all.zip >/dev/null &&
	SOURCE_DATE_EPOCH=1700000000 "$CUSTOMS" db build --output z2.db npm/all.zip >/dev/null &&
	cmp z1.db z2.db
'

# expect_refused ZIP NEEDLE: exit 2, one line naming the zip (and NEEDLE), no output left behind,
# and the database that was there before kept byte for byte.
expect_refused() {
	cp zip.db keep.db &&
	test_expect_code 2 "$CUSTOMS" db build --output keep.db "$1" 2>err &&
	one_line_error err && grep -q "$1" err && grep -qF -- "$2" err &&
	cmp zip.db keep.db &&
	test -z "$(ls -a | grep -v "^keep\.db$" | grep "keep\.db")"
}

test_expect_success 'entry names with path tricks are refused' '
	mkzip dotdot.zip GHSA-zip-0001.json=a.json ../escape.json=b.json &&
	expect_refused dotdot.zip "../escape.json" &&
	mkzip abs.zip /tmp/abs.json=b.json &&
	expect_refused abs.zip "/tmp/abs.json" &&
	mkzip hidden.zip "a/../../x.txt=readme.txt" &&
	expect_refused hidden.zip "refusing entry" &&
	mkzip long.zip "$(printf "%02000d" 0).json=b.json" &&
	expect_refused long.zip "overlong" &&
	test ! -e escape.json && test ! -e /tmp/abs.json
'

test_expect_success 'a truncated or corrupt zip is refused' '
	size=$(wc -c <npm/all.zip) &&
	head -c $((size / 2)) npm/all.zip >cut.zip &&
	expect_refused cut.zip "cut.zip" &&
	head -c 30 npm/all.zip >stub.zip &&
	expect_refused stub.zip "stub.zip" &&
	cp npm/all.zip flipped.zip &&
	printf "\377\377\377\377\377\377\377\377" | dd of=flipped.zip bs=1 seek=60 conv=notrunc 2>/dev/null &&
	expect_refused flipped.zip "flipped.zip"
'

test_expect_success 'a broken record names the zip and its entry' '
	echo "{\"id\": 42}" >bad.json &&
	mkzip badrec.zip GHSA-zip-0001.json=a.json GHSA-bad.json=bad.json &&
	expect_refused badrec.zip "badrec.zip/GHSA-bad.json"
'

test_expect_success 'a decompression bomb stops with one line naming the zip and the entry' '
	python3 -c "
import zipfile
info = zipfile.ZipInfo(\"GHSA-bomb.json\", (2024, 1, 1, 0, 0, 0))
info.compress_type = zipfile.ZIP_DEFLATED
with zipfile.ZipFile(\"bomb.zip\", \"w\") as z:
    with z.open(info, \"w\", force_zip64=True) as f:
        for _ in range(80):
            f.write(b\" \" * (1 << 20))
" &&
	test "$(wc -c <bomb.zip)" -lt 1000000 &&
	expect_refused bomb.zip "GHSA-bomb.json" && grep -q "bomb" err
'

test_done
