#!/bin/bash
# customs scan: findings from a database built here, in every format, and how the database is found, checked and refused.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$TESTS_DIR/lib/scan-fixture.sh"
DAY=86400

if ! command -v jq >/dev/null 2>&1; then
	test_skip 'customs scan' 'jq is missing (tests/setup-tools.sh installs it)'
	test_done
	exit
fi

# ---- the image: a Debian 12 layer, an npm layer, and a layer that deletes one npm package ----

make_scan_image >/dev/null || { say_fail 'making the test image'; test_done; exit; }
DIFF0=$(jq -r '.rootfs.diff_ids[0]' img/blobs/sha256/$(jq -r '.config.digest' \
	img/blobs/sha256/$(jq -r '.manifests[0].digest' img/index.json | cut -c8-) | cut -c8-))
DIFF1=$(jq -r '.rootfs.diff_ids[1]' img/blobs/sha256/$(jq -r '.config.digest' \
	img/blobs/sha256/$(jq -r '.manifests[0].digest' img/index.json | cut -c8-) | cut -c8-))

# ---- the database: OSV records, with negative controls ----

write_scan_osv_records

test_expect_success 'set up: a database built from the OSV records' '
	"$CUSTOMS" db build --output scan.db osv >out &&
	"$CUSTOMS" db build --output other.db osv/GHSA-g4rg-993r-mgx7.json >out
'

scan() { "$CUSTOMS" scan -q --db scan.db oci:img "$@"; }

# severity id package installed fixed, in report order.
cat >expected-findings <<'EOF'
critical CVE-2021-42740 shell-quote 1.7.2 1.7.3
critical CVE-2023-45853 zlib1g 1:1.2.13.dfsg-1 null
high CVE-2021-3807 ansi-regex 5.0.0 5.0.1
high CVE-2023-4911 libc6 2.36-9+deb12u1 2.36-9+deb12u3
high CVE-2021-23337 lodash 4.17.20 4.17.21
medium CVE-2099-0001 libc6 2.36-9+deb12u1 2.36-9+deb12u7
low GHSA-2099-low0-0001 ansi-regex 5.0.0 null
unknown OSV-2099-0001 lodash 4.17.20 4.17.22
EOF

test_expect_success 'the JSON report lists exactly the expected findings, in order' '
	scan -o json=r.json &&
	jq -r ".findings[] | [.severity, .id, .package.name, .package.version, (.fixed_version // \"null\")] | join(\" \")" \
		r.json >got &&
	diff -u expected-findings got
'

test_expect_success 'findings carry aliases, status, CVSS, severity source and the layer' '
	test "$(jq -c "[.findings[] | select(.id == \"CVE-2021-23337\") | .aliases]" r.json)" = "[[\"GHSA-35jh-r3h4-6jhm\"]]" &&
	test "$(jq -c "[.findings[] | select(.id == \"CVE-2023-4911\") | .aliases]" r.json)" = "[[\"DSA-5514-1\"]]" &&
	jq -e ".findings[1] | .status == \"unfixed\" and .fixed_version == null" r.json &&
	jq -e ".findings[0] | .status == \"fixed\" and .severity_source == \"cvss\" and .cvss.version == \"3.1\" and .cvss.score == 9.8" r.json &&
	jq -e ".findings[6] | .severity_source == \"advisory\" and .cvss == null" r.json &&
	jq -e ".findings[7] | .severity_source == \"none\" and .cvss == null and .title != null" r.json &&
	jq -e "[.findings[] | select(.package.name == \"libc6\") | .layer.diff_id] | unique == [\"$DIFF0\"]" r.json &&
	jq -e "[.findings[] | select(.package.name == \"lodash\") | .layer] | unique == [{\"index\": 1, \"diff_id\": \"$DIFF1\", \"created_by\": \"$CB1\"}]" r.json &&
	jq -e ".findings[] | select(.package.name == \"shell-quote\") | .package.purl == \"pkg:npm/shell-quote@1.7.2\"" r.json
'

test_expect_success 'the JSON report names the target, the database, the packages and a summary' '
	jq -e ".schema == \"customs-report/1\" and .target.input == \"oci:img\" and (.target.digest | startswith(\"sha256:\"))" r.json &&
	jq -e ".target.os == {\"id\": \"debian\", \"version_id\": \"12\", \"pretty_name\": \"Debian GNU/Linux 12 (bookworm)\"}" r.json &&
	jq -e ".db.built == \"2023-11-14T22:13:20Z\" and .db.sources == [{\"name\": \"osv\", \"date\": \"2023-10-14T00:00:00Z\", \"records\": 12}]" r.json &&
	jq -e ".db.checksum == \"$("$CUSTOMS" db info scan.db | sed -n "s/^checksum: \([^ ]*\).*/\1/p")\"" r.json &&
	jq -e "[.packages[].name] | sort == [\"ansi-regex\", \"base-files\", \"libc6\", \"lodash\", \"minimist\", \"shell-quote\", \"zlib1g\"]" r.json &&
	jq -e ".packages[] | select(.name == \"zlib1g\") | .ecosystem == \"Debian:12\" and .source_name == \"zlib\" and .path == \"/var/lib/dpkg/status\" and .layer.index == 0" r.json &&
	jq -e ".packages[] | select(.name == \"lodash\") | .ecosystem == \"npm\" and .path == \"/app/node_modules/lodash/package.json\"" r.json &&
	jq -e "(.summary | del(.checks)) == {\"critical\": 2, \"high\": 3, \"medium\": 1, \"low\": 1, \"unknown\": 1, \"total\": 8, \"packages\": 7, \"vulnerable_packages\": 5, \"packages_matched\": 7}" r.json &&
	jq -e ".summary.checks.total == 0 and .checks.findings == [] and .checks.run == [\"vuln\", \"config\", \"secret\"]" r.json &&
	jq -e ".warnings == []" r.json
'

test_expect_success 'negative controls: the fixed version, a deleted package, another ecosystem, a withdrawn record' '
	! grep -q -e GHSA-xvch-5gv4-984h -e CVE-2021-44906 r.json &&
	! grep -q -e GHSA-gxpj-cx7g-858c -e "\"debug\"" r.json &&
	! grep -q GHSA-2099-zlib-0001 r.json &&
	! grep -q GHSA-wdrn-0000-0000 r.json
'

test_expect_success 'the table is the default: one row per finding, then the summary line' '
	scan >table.txt 2>err &&
	test ! -s err &&
	head -n 1 table.txt | grep -q "^Image: scan  OS: Debian GNU/Linux 12 (bookworm)  Packages: 7$" &&
	grep -q "^SEVERITY  *ID  *PACKAGE  *INSTALLED  *FIXED  *TITLE$" table.txt &&
	sed -n "/^SEVERITY/,/^$/p" table.txt | sed "1d;\$d" | awk "{ print \$1, \$2, \$3, \$4, (\$5 == \"unfixed\" ? \"null\" : \$5) }" >rows &&
	diff -u expected-findings rows &&
	grep -q "^critical  *CVE-2023-45853  *zlib1g  *1:1.2.13.dfsg-1  *unfixed  *zlib: integer overflow" table.txt &&
	test "$(tail -n 1 table.txt)" = "8 vulnerabilities: 2 critical, 3 high, 1 medium, 1 low, 1 unknown" &&
	! grep -q "$(printf "\\033")" table.txt
'

test_expect_success 'long titles are cut short in the table' '
	grep -q "^critical  *CVE-2021-42740 .*Improper Neutralization of Special Elements used in a Comman\.\.\.$" table.txt
'

test_expect_success 'an image without findings says so' '
	mkdir -p clean/etc && cp os-release clean/etc/os-release &&
	"$CUSTOMS" scan -q --db scan.db dir:clean >clean.txt &&
	test "$(tail -n 1 clean.txt)" = "no vulnerabilities found" &&
	! grep -q SEVERITY clean.txt &&
	"$CUSTOMS" scan -q --db scan.db -o json dir:clean >clean.json &&
	jq -e ".findings == [] and .summary.total == 0" clean.json
'

test_expect_success 'a version the comparator cannot parse is a warning on stderr and in the report' '
	mkdir -p odd/etc odd/node_modules/lodash && cp os-release odd/etc/os-release &&
	npm_json lodash "not a version!" >odd/node_modules/lodash/package.json &&
	"$CUSTOMS" scan --db scan.db -o json=odd.json dir:odd 2>err &&
	grep -q "^customs: warning: .*not a version!" err &&
	jq -e ".warnings | length >= 1" odd.json &&
	jq -e "[.warnings[] | select(contains(\"not a version!\"))] | length >= 1" odd.json &&
	"$CUSTOMS" scan -q --db scan.db -o json=odd2.json dir:odd 2>err &&
	test ! -s err && jq -e ".warnings | length >= 1" odd2.json &&
	"$CUSTOMS" scan -q --db scan.db dir:odd >odd.txt &&
	grep -q "^warning: .*not a version!" odd.txt
'

if "$PYTHON" -c "import pty" 2>/dev/null; then
	# A terminal on standard output, made by Python's pty module (script(1) differs between systems).
	on_tty() {
		"$PYTHON" -c "import os, pty, sys; sys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[1:])))" "$@"
	}
	test_expect_success 'severities are coloured on a terminal only, and NO_COLOR turns that off' '
		on_tty "$CUSTOMS" scan -q --db scan.db oci:img >tty.txt </dev/null &&
		grep -q "$(printf "\\033")\[1;31mcritical" tty.txt &&
		grep -q "$(printf "\\033")\[31mhigh" tty.txt &&
		NO_COLOR=1 on_tty "$CUSTOMS" scan -q --db scan.db oci:img >tty2.txt </dev/null &&
		grep -q "^critical" tty2.txt && ! grep -q "$(printf "\\033")\[" tty2.txt &&
		NO_COLOR= on_tty "$CUSTOMS" scan -q --db scan.db oci:img >tty3.txt </dev/null &&
		grep -q "$(printf "\\033")\[1;31mcritical" tty3.txt
	'
else
	test_skip 'severities are coloured on a terminal only' 'python3 has no pty module'
fi

test_expect_success 'several outputs in one run, each complete' '
	scan -o json=a.json -o cyclonedx=a.cdx.json -o table=a.txt -o spdx=a.spdx.json >stdout &&
	test ! -s stdout && test -s a.json && test -s a.cdx.json && test -s a.txt && test -s a.spdx.json &&
	! ls | grep -q "\.tmp-" &&
	jq -e ".findings | length == 8" a.json
'

test_expect_success 'CycloneDX carries the findings as vulnerabilities that name their components' '
	jq -e ".vulnerabilities | length == 8" a.cdx.json &&
	jq -r ".vulnerabilities[] | [.ratings[0].severity, .id] | join(\" \")" a.cdx.json >cdx-ids &&
	cut -d" " -f1,2 expected-findings | diff -u - cdx-ids &&
	jq -e "[.vulnerabilities[].affects[].ref] - [.components[][\"bom-ref\"]] == []" a.cdx.json &&
	jq -e ".vulnerabilities[] | select(.id == \"CVE-2021-23337\") |
		.recommendation == \"Upgrade to 4.17.21\" and .references == [{\"id\": \"GHSA-35jh-r3h4-6jhm\", \"source\": {\"name\": \"GitHub\"}}] and
		.ratings == [{\"score\": 7.2, \"severity\": \"high\", \"method\": \"CVSSv31\", \"vector\": \"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H\"}] and
		.affects[0].versions == [{\"version\": \"4.17.20\", \"status\": \"affected\"}]" a.cdx.json &&
	jq -e ".vulnerabilities[] | select(.id == \"CVE-2023-45853\") | has(\"recommendation\") | not" a.cdx.json &&
	jq -e "[.vulnerabilities[] | select(.id == \"CVE-2023-4911\") | .properties[] | select(.name == \"customs:layer:diff_id\") | .value] == [\"$DIFF0\"]" a.cdx.json
'

test_expect_success 'customs sbom output is unchanged by the scan: no findings, the same native JSON' '
	"$CUSTOMS" sbom -q -o json=s.json -o cyclonedx=s.cdx.json oci:img &&
	jq -e "has(\"schema_version\") and (has(\"findings\") | not)" s.json &&
	jq -e "has(\"vulnerabilities\") | not" s.cdx.json
'

validated 'the JSON report validates against docs/report-schema.json' \
	sh "$LIB/validate-schema.sh" --schema "$PROJECT_DIR/docs/report-schema.json" r.json clean.json
jq ".findings[0].status = \"unfixed\"" r.json >bad-report.json
jq ".findings[0].severity = \"severe\"" r.json >bad-report2.json
# rejected FILE: the report schema refuses FILE (77, a validator missing here, passes as a skip would).
rejected() {
	sh "$LIB/validate-schema.sh" --schema "$PROJECT_DIR/docs/report-schema.json" "$1" >/dev/null 2>&1
	case $? in
	1 | 77) return 0 ;;
	*) echo "the report schema accepted $1" >&2; return 1 ;;
	esac
}
test_expect_success 'the report schema rejects a fixed_version on an unfixed finding and unknown severities' '
	rejected bad-report.json && rejected bad-report2.json
'
validated 'CycloneDX with vulnerabilities validates against the 1.6 schema' \
	sh "$LIB/validate-schema.sh" a.cdx.json
if [ -n "${UNIT_TESTS:-}" ] && [ -x "$UNIT_TESTS" ]; then
	mkdir samples
	if CUSTOMS_REPORT_SAMPLES=$PWD/samples "$UNIT_TESTS" report_findings_write_samples >/dev/null 2>&1; then
		validated 'hostile findings from the unit fixture validate (CycloneDX)' \
			sh "$LIB/validate-schema.sh" samples/scan.cdx.json
		validated 'hostile findings from the unit fixture validate (report schema)' \
			sh "$LIB/validate-schema.sh" --schema "$PROJECT_DIR/docs/report-schema.json" \
			samples/scan.report.json samples/scan-empty.report.json
	else
		say_fail 'writing the unit fixture samples'
	fi
else
	test_skip 'hostile findings from the unit fixture validate' 'UNIT_TESTS is not set (make test sets it)'
fi

# ---- where the database comes from ----

count_findings() { jq ".findings | length" "$1"; }

test_expect_success 'the database is --db, then $CUSTOMS_DB, then the cache in HOME' '
	mkdir -p home/.cache/customs/db && cp other.db home/.cache/customs/db/customs.db &&
	"$CUSTOMS" scan -q -o json=h.json oci:img && test "$(count_findings h.json)" = 1 &&
	CUSTOMS_DB=$PWD/scan.db "$CUSTOMS" scan -q -o json=e.json oci:img && test "$(count_findings e.json)" = 8 &&
	CUSTOMS_DB=$PWD/scan.db "$CUSTOMS" scan -q --db other.db -o json=d.json oci:img &&
	test "$(count_findings d.json)" = 1 &&
	CUSTOMS_DB=$PWD/nope.db "$CUSTOMS" scan -q --db scan.db -o json=d2.json oci:img &&
	test "$(count_findings d2.json)" = 8 &&
	jq -e ".db.sources[0].records == 1" h.json
'

test_expect_success 'XDG_CACHE_HOME, when set, replaces ~/.cache' '
	mkdir -p xdg/customs/db && cp scan.db xdg/customs/db/customs.db &&
	XDG_CACHE_HOME=$PWD/xdg "$CUSTOMS" scan -q -o json=x.json oci:img && test "$(count_findings x.json)" = 8
'

test_expect_success 'a missing database exits 3 with one line saying how to get one, and writes nothing' '
	test_expect_code 3 "$CUSTOMS" scan -q --db nope.db -o json=out.json oci:img 2>err &&
	one_line_error err && grep -q "nope.db" err && grep -q "customs db update" err && grep -q "customs db build" err &&
	test ! -e out.json &&
	test_expect_code 3 env CUSTOMS_DB=$PWD/nope.db "$CUSTOMS" scan -q oci:img 2>err && one_line_error err &&
	grep -q "CUSTOMS_DB" err &&
	test_expect_code 3 env HOME=$PWD/empty-home "$CUSTOMS" scan -q oci:img 2>err && one_line_error err &&
	grep -q "empty-home/.cache/customs/db/customs.db" err &&
	! ls | grep -q "\.tmp-"
'

test_expect_success 'a damaged database exits 2 with the reason, and writes nothing' '
	head -c 300 scan.db >cut.db &&
	test_expect_code 2 "$CUSTOMS" scan -q --db cut.db -o json=out.json oci:img 2>err &&
	one_line_error err && grep -q "cut.db" err && test ! -e out.json &&
	cp scan.db flip.db && printf "\\377" | dd of=flip.db bs=1 seek=200 conv=notrunc 2>/dev/null &&
	test_expect_code 2 "$CUSTOMS" scan -q --db flip.db -o json=out.json oci:img 2>err &&
	one_line_error err && test ! -e out.json &&
	echo "not a database" >junk.db &&
	test_expect_code 2 "$CUSTOMS" scan -q --db junk.db oci:img 2>err && one_line_error err
'

# ---- signatures ----

if command -v openssl >/dev/null 2>&1; then
	test_expect_success 'set up: keys and a signed database' '
		openssl ecparam -name prime256v1 -genkey -noout -out key.pem 2>/dev/null &&
		openssl ec -in key.pem -pubout -out pub.pem 2>/dev/null &&
		openssl ecparam -name prime256v1 -genkey -noout -out other.pem 2>/dev/null &&
		openssl ec -in other.pem -pubout -out other-pub.pem 2>/dev/null &&
		cp scan.db signed.db && "$CUSTOMS" db sign --key key.pem signed.db >/dev/null && test -s signed.db.sig
	'

	test_expect_success 'a database whose signature verifies is used' '
		"$CUSTOMS" scan -q --db signed.db --db-pubkey pub.pem -o json=v.json oci:img &&
		test "$(count_findings v.json)" = 8 &&
		CUSTOMS_DB_PUBKEY=$PWD/pub.pem "$CUSTOMS" scan -q --db signed.db -o json=v2.json oci:img &&
		cp signed.db.sig elsewhere.sig &&
		"$CUSTOMS" scan -q --db signed.db --db-pubkey pub.pem --db-signature elsewhere.sig -o json=v3.json oci:img
	'

	test_expect_success 'the wrong key, a tampered database or a missing signature exit 4 and write nothing' '
		test_expect_code 4 "$CUSTOMS" scan -q --db signed.db --db-pubkey other-pub.pem -o json=out.json oci:img 2>err &&
		one_line_error err && grep -q "signed.db" err && test ! -e out.json &&
		test_expect_code 4 env CUSTOMS_DB_PUBKEY=$PWD/other-pub.pem "$CUSTOMS" scan -q --db signed.db oci:img 2>err &&
		one_line_error err &&
		cp signed.db tampered.db && cp signed.db.sig tampered.db.sig &&
		printf "\\377" | dd of=tampered.db bs=1 seek=20 conv=notrunc 2>/dev/null &&
		test_expect_code 4 "$CUSTOMS" scan -q --db tampered.db --db-pubkey pub.pem -o json=out.json oci:img 2>err &&
		one_line_error err && test ! -e out.json &&
		test_expect_code 4 "$CUSTOMS" scan -q --db scan.db --db-pubkey pub.pem -o json=out.json oci:img 2>err &&
		one_line_error err && grep -q "scan.db.sig" err && grep -q "missing" err && test ! -e out.json &&
		test_expect_code 4 "$CUSTOMS" scan -q --db signed.db --db-pubkey pub.pem --db-signature nope.sig oci:img 2>err &&
		one_line_error err
	'

	test_expect_success 'a public key that cannot be read is bad input (exit 2); no key means no check' '
		test_expect_code 2 "$CUSTOMS" scan -q --db signed.db --db-pubkey nope.pem oci:img 2>err &&
		one_line_error err &&
		"$CUSTOMS" scan -q --db scan.db -o json=nokey.json oci:img &&
		test_expect_code 2 "$CUSTOMS" scan -q --db signed.db --db-signature signed.db.sig oci:img 2>err &&
		one_line_error err
	'
else
	test_skip 'database signatures' 'openssl is missing (tests/setup-tools.sh installs it)'
fi

# ---- the age of the database ----

test_expect_success 'a database older than 7 days gets a warning, on stderr only' '
	SOURCE_DATE_EPOCH=$((EPOCH + 8 * DAY)) "$CUSTOMS" scan --db scan.db -o json=old.json oci:img >out 2>err &&
	one_line_error err && grep -q "^customs: warning: vulnerability database .scan.db. is 8 days old" err &&
	grep -q "customs db update" err && test "$(count_findings old.json)" = 8 &&
	SOURCE_DATE_EPOCH=$((EPOCH + 6 * DAY)) "$CUSTOMS" scan --db scan.db -o json=young.json oci:img 2>err &&
	test ! -s err
'

test_expect_success '--db-warn-age changes the limit, and 0 or --quiet silences it' '
	SOURCE_DATE_EPOCH=$((EPOCH + 37 * 3600)) "$CUSTOMS" scan --db scan.db --db-warn-age 36h -o json=w.json oci:img 2>err &&
	grep -q "is 37 hours old" err &&
	SOURCE_DATE_EPOCH=$((EPOCH + 8 * DAY)) "$CUSTOMS" scan --db scan.db --db-warn-age 2w -o json=w.json oci:img 2>err &&
	test ! -s err &&
	SOURCE_DATE_EPOCH=$((EPOCH + 800 * DAY)) "$CUSTOMS" scan --db scan.db --db-warn-age 0 -o json=w.json oci:img 2>err &&
	test ! -s err &&
	SOURCE_DATE_EPOCH=$((EPOCH + 8 * DAY)) "$CUSTOMS" scan -q --db scan.db -o json=w.json oci:img 2>err &&
	test ! -s err
'

test_expect_success '--max-db-age makes an old database fatal with exit 3, before any output' '
	SOURCE_DATE_EPOCH=$((EPOCH + 8 * DAY)) test_expect_code 3 "$CUSTOMS" scan -q --db scan.db --max-db-age 7d \
		-o json=out.json oci:img 2>err &&
	one_line_error err && grep -q "8 days old" err && grep -q "max-db-age" err && test ! -e out.json &&
	SOURCE_DATE_EPOCH=$((EPOCH + 8 * DAY)) "$CUSTOMS" scan -q --db scan.db --max-db-age 2w -o json=ok.json oci:img &&
	SOURCE_DATE_EPOCH=$((EPOCH + 800 * DAY)) "$CUSTOMS" scan -q --db scan.db --max-db-age 0 -o json=ok.json oci:img
'

test_expect_success 'bad durations are usage errors' '
	for d in 7 7x -1d d 1.5d "" 99999999999999999999d; do
		test_expect_code 2 "$CUSTOMS" scan -q --db scan.db --max-db-age "$d" oci:img 2>err || exit 1
		one_line_error err || exit 1
	done &&
	test_expect_code 2 "$CUSTOMS" scan -q --db scan.db --db-warn-age 3y oci:img 2>err && one_line_error err
'

# ---- the command line ----

test_expect_success 'usage errors exit 2; --help and -o help exit 0' '
	test_expect_code 2 "$CUSTOMS" scan --db scan.db 2>err && one_line_error err &&
	test_expect_code 2 "$CUSTOMS" scan --db scan.db a b 2>err && one_line_error err &&
	test_expect_code 2 "$CUSTOMS" scan --db scan.db --bogus oci:img 2>err && one_line_error err &&
	test_expect_code 2 "$CUSTOMS" scan --db scan.db -o nope oci:img 2>err && one_line_error err &&
	test_expect_code 2 "$CUSTOMS" scan --db scan.db -o json -o table oci:img 2>err && one_line_error err &&
	test_expect_code 2 "$CUSTOMS" scan --db scan.db --max-layer-size 0 oci:img 2>err && one_line_error err &&
	"$CUSTOMS" scan --help >help && grep -q "usage: customs scan" help && grep -q -- "--db-pubkey" help &&
	grep -q -- "--max-db-age" help && grep -q "CUSTOMS_DB" help &&
	"$CUSTOMS" scan -o help >formats && grep -q "^  cyclonedx" formats &&
	"$CUSTOMS" help 2>&1 | grep -q "scan"
'

test_expect_success 'a bad image exits 2 after the database checks, and writes nothing' '
	echo "not an image" >bad.tar &&
	test_expect_code 2 "$CUSTOMS" scan -q --db scan.db -o json=out.json bad.tar 2>err &&
	one_line_error err && test ! -e out.json
'

test_expect_success 'a size cap applies to scan as to sbom' '
	test_expect_code 2 "$CUSTOMS" scan -q --db scan.db --max-layer-size 1K -o json=out.json oci:img 2>err &&
	one_line_error err && test ! -e out.json
'

test_expect_success 'every input kind: a docker save archive, an OCI archive and standard input' '
	mkimage docker img.docker.tar --tag scan:1 --created-by "$CB0" --created-by "$CB1" --created-by "$CB2" \
		l0.tar l1.tar l2.tar >/dev/null &&
	"$CUSTOMS" scan -q --db scan.db -o json=k1.json img.docker.tar &&
	"$CUSTOMS" scan -q --db scan.db -o json=k2.json - <img.docker.tar &&
	(cd img && tar -cf ../img.oci.tar oci-layout index.json blobs) &&
	"$CUSTOMS" scan -q --db scan.db -o json=k3.json img.oci.tar &&
	for f in k1 k2 k3; do
		jq -r ".findings[] | [.severity, .id, .package.name, .package.version, (.fixed_version // \"null\")] | join(\" \")" \
			$f.json | diff -u expected-findings - || exit 1
	done
'

test_expect_success 'reports are reproducible under SOURCE_DATE_EPOCH, apart from the serial' '
	scan -o json=r1.json -o cyclonedx=c1.json && scan -o json=r2.json -o cyclonedx=c2.json &&
	cmp r1.json r2.json &&
	grep -v serialNumber c1.json >c1.norm && grep -v serialNumber c2.json >c2.norm && cmp c1.norm c2.norm
'

test_done
