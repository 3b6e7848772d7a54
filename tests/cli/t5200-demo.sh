#!/bin/bash
# The demo of ./build.sh: the database from tests/demo/osv and the demo images give exactly the findings listed here.
. "$(dirname "$0")/../lib/test-lib.sh"

DEMO=$TESTS_DIR/demo

if ! command -v jq >/dev/null 2>&1; then
	test_skip 'the demo scan' 'jq is not installed (tests/setup-tools.sh installs it)'
	test_done
	exit 0
fi
if [ ! -x "$CUSTOMS" ]; then
	say_fail "the binary under test $CUSTOMS does not exist"
	test_done
	exit 1
fi

# The findings of a JSON report, one per line, sorted:
# PURL-TYPE NAME VERSION ID FIXED STATUS SEVERITY, FIXED being "-" when there is no fix.
findings_of() {
	jq -r '.findings[] | [(.package.purl | split("/")[0]), .package.name, .package.version, .id,
		(.fixed_version // "-"), .status, .severity] | @tsv' "$1" | LC_ALL=C sort
}

# Every advisory below is in tests/demo/osv; tests/demo/README.md says why each package is there.
cat >expect-debian <<'EOF'
pkg:deb	apt	2.6.1	CVE-2011-3374	-	unfixed	low
pkg:deb	coreutils	9.1-1	CVE-2016-2781	-	unfixed	medium
pkg:deb	libc6	2.36-9	CVE-2023-4911	2.36-9+deb12u3	fixed	high
pkg:deb	libcurl4	7.88.1-10	CVE-2023-38545	7.88.1-10+deb12u4	fixed	critical
pkg:deb	libcurl4	7.88.1-10	CVE-2023-38546	7.88.1-10+deb12u4	fixed	low
pkg:deb	libgcrypt20	1.10.1-3	CVE-2018-6829	-	unfixed	high
pkg:deb	libssl3	3.0.9-1	CVE-2023-5363	3.0.11-1~deb12u2	fixed	high
pkg:deb	login	1:4.13+dfsg1-1+b1	CVE-2023-4641	1:4.13+dfsg1-1+deb12u1	fixed	medium
pkg:deb	mount	2.38.1-5+b1	CVE-2024-28085	2.38.1-5+deb12u1	fixed	unknown
pkg:deb	openssh-client	1:9.2p1-2	CVE-2024-6387	1:9.2p1-2+deb12u3	fixed	high
pkg:deb	tar	1.34+dfsg-1.2	CVE-2005-2541	-	unfixed	unknown
pkg:npm	lodash	4.17.20	CVE-2020-28500	4.17.21	fixed	medium
pkg:npm	lodash	4.17.20	CVE-2021-23337	4.17.21	fixed	high
pkg:npm	minimist	1.2.5	CVE-2021-44906	1.2.6	fixed	critical
pkg:npm	semver	7.5.1	CVE-2022-25883	7.5.2	fixed	medium
pkg:npm	tar	6.1.0	CVE-2021-32803	6.1.2	fixed	high
EOF
LC_ALL=C sort -o expect-debian expect-debian

cat >expect-alpine <<'EOF'
pkg:apk	busybox	1.36.1-r15	CVE-2023-42363	1.36.1-r17	fixed	medium
pkg:apk	busybox	1.36.1-r15	CVE-2023-42366	1.36.1-r16	fixed	medium
pkg:apk	libcrypto3	3.1.4-r5	CVE-2024-2511	3.1.4-r6	fixed	high
pkg:apk	libcrypto3	3.1.4-r5	CVE-2024-5535	3.1.6-r0	fixed	critical
pkg:apk	libssl3	3.1.4-r5	CVE-2024-2511	3.1.4-r6	fixed	high
pkg:apk	libssl3	3.1.4-r5	CVE-2024-5535	3.1.6-r0	fixed	critical
EOF
LC_ALL=C sort -o expect-alpine expect-alpine

test_expect_success 'every demo record is valid JSON named by its ID, and the database builds' '
	for f in "$DEMO"/osv/*.json; do
		id=$(jq -er .id "$f") && test "$(basename "$f" .json)" = "$id" || {
			echo "$f: the file name is not its id" >&2; return 1; }
	done &&
	"$CUSTOMS" db build --output demo.db "$DEMO/osv" >out 2>err &&
	test ! -s err &&
	n=$(ls "$DEMO"/osv/*.json | wc -l) &&
	grep -q "$n advisories" out &&
	"$CUSTOMS" db info demo.db >info &&
	grep -q "^  Debian:12 " info && grep -q "^  npm " info && grep -q "^  Alpine:v3.19 " info
'

test_expect_success 'the demo images are the same bytes on every build' '
	sh "$DEMO/mkimage.sh" debian debian.tar && sh "$DEMO/mkimage.sh" debian again.tar &&
	cmp debian.tar again.tar &&
	sh "$DEMO/mkimage.sh" alpine alpine.tar &&
	test_expect_code 2 sh "$DEMO/mkimage.sh" fedora x.tar 2>/dev/null
'

scan_json() {
	"$CUSTOMS" scan "$1" --db demo.db -o "json=$2" >"$2.table" 2>"$2.err"
	rc=$?
	if [ "$rc" -gt 1 ]; then
		echo "customs scan $1 exited with $rc:" >&2
		cat "$2.err" >&2
		return 1
	fi
}

test_expect_success 'debian demo: exactly the expected findings' '
	scan_json debian.tar debian.json &&
	jq -e ".schema == \"customs-report/1\"" debian.json &&
	findings_of debian.json >actual-debian &&
	diff -u expect-debian actual-debian
'

test_expect_success 'debian demo: the negative controls give no finding' '
	jq -e "[.findings[] | select(.package.name == \"libgnutls30\" or .package.name == \"zlib1g\" or
		.package.name == \"json5\" or .package.name == \"node-fetch\" or .package.name == \"ms\" or
		.package.name == \"base-files\" or .package.name == \"dash\")] == []" debian.json &&
	jq -e "[.findings[] | select(.package.name == \"lodash\") | .id, .aliases[]] |
		index(\"GHSA-p6mc-m468-83gw\") == null" debian.json &&
	jq -e "[.findings[] | select(.package.name == \"tar\" and
		(.package.purl | startswith(\"pkg:deb/\"))) | .id] == [\"CVE-2005-2541\"]" debian.json &&
	jq -e "[.packages[] | select(.name == \"node-fetch\")] == []" debian.json
'

test_expect_success 'debian demo: aliases name the advisories, severities say where they came from' '
	jq -e "[.findings[] | select(.id == \"CVE-2023-4911\") | .aliases] == [[\"DSA-5514-1\"]]" debian.json &&
	jq -e "[.findings[] | select(.id == \"CVE-2021-44906\") | .aliases] == [[\"GHSA-xvch-5gv4-984h\"]]" debian.json &&
	jq -e "[.findings[] | select(.id == \"CVE-2023-38545\") | .aliases] == [[\"DEBIAN-CVE-2023-38545\"]]" debian.json &&
	jq -e "[.findings[] | select(.id == \"CVE-2023-4911\") | .cvss.score, .cvss.vector] ==
		[7.8, \"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H\"]" debian.json &&
	jq -e "[.findings[] | select(.id == \"CVE-2023-38545\") | .cvss.score] == [9.8]" debian.json &&
	jq -e "[.findings[] | select(.severity == \"unknown\") | .severity_source] | unique == [\"none\"]" debian.json &&
	jq -e "[.findings[] | select(.id == \"CVE-2023-4911\") | .title | test(\"Looney Tunables\")] == [true]" debian.json
'

test_expect_success 'debian demo: findings carry the layer of their package' '
	jq -r ".findings[] | [(.package.purl | split(\"/\")[0]),
		(.layer | if type == \"object\" then .index else . end)] | @tsv" debian.json |
		LC_ALL=C sort -u >layers &&
	printf "pkg:deb\t0\npkg:npm\t1\n" >want && diff -u want layers
'

test_expect_success 'debian demo: the table lists every finding by severity, then a summary' '
	"$CUSTOMS" scan debian.tar --db demo.db >table 2>err </dev/null &&
	! grep -q "$(printf "\033")" table &&
	sed "/^SEVERITY  *CHECK /,\$d" table | awk "\$1 ~ /^(critical|high|medium|low|unknown)\$/ { print \$1, \$2, \$3 }" >rows &&
	awk -F "\t" "BEGIN { split(\"critical high medium low unknown\", s, \" \"); for (i in s) rank[s[i]] = i }
		{ print rank[\$7], \$2, \$4, \$7 }" expect-debian | LC_ALL=C sort -k1,1n -k2,2 -k3,3 |
		awk "{ print \$4, \$3, \$2 }" >want-rows &&
	diff -u want-rows rows &&
	grep -qx "16 vulnerabilities: 2 critical, 6 high, 4 medium, 2 low, 2 unknown" table &&
	# The demo image also runs as root and has no health check.
	sed -n "/^SEVERITY  *CHECK /,/^\$/p" table | awk "NR > 1 && NF { print \$1, \$2 }" >check-rows &&
	printf "medium CUS-CFG-001\nlow CUS-CFG-006\n" | diff -u - check-rows &&
	grep -qx "2 check findings: 0 critical, 0 high, 1 medium, 1 low, 0 unknown" table
'

test_expect_success 'alpine demo: exactly the expected findings, none at or past the fixed version' '
	scan_json alpine.tar alpine.json &&
	jq -e ".target.os.id == \"alpine\"" alpine.json &&
	findings_of alpine.json >actual-alpine &&
	diff -u expect-alpine actual-alpine
'

test_expect_success 'the same scan of a folder finds the same, without layers' '
	mkdir -p root/etc root/lib/apk/db &&
	cp "$DEMO/alpine/os-release" root/etc/os-release &&
	cp "$DEMO/alpine/installed" root/lib/apk/db/installed &&
	scan_json dir:root dir.json &&
	findings_of dir.json >actual-dir &&
	diff -u expect-alpine actual-dir
'

test_done
