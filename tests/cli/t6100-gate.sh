#!/bin/bash
# customs scan as a CI gate: thresholds, audit mode, ignore rules, VEX, the config file, and customs vex.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$TESTS_DIR/lib/scan-fixture.sh"

if ! command -v jq >/dev/null 2>&1; then
	test_skip 'the gate' 'jq is missing (tests/setup-tools.sh installs it)'
	test_done
	exit
fi

# ---- the image and database of tests/lib/scan-fixture.sh: eight findings, two of them without a fix ----

make_scan_image >/dev/null || { say_fail 'making the test image'; test_done; exit; }
write_scan_osv_records

test_expect_success 'set up: a database built from the OSV records' '
	"$CUSTOMS" db build --output scan.db osv >out
'

scan() { "$CUSTOMS" scan -q --db scan.db "$@" oci:img; }
# ids FILE: the IDs of the active findings, one line.
active_ids() { jq -r "[.findings[] | select(has(\"suppressed\") | not) | .id] | join(\" \")" "$1"; }
ALL='CVE-2021-42740 CVE-2023-45853 CVE-2021-3807 CVE-2023-4911 CVE-2021-23337 CVE-2099-0001 GHSA-2099-low0-0001 OSV-2099-0001'

# ---- thresholds ----

test_expect_success 'without a gate option the scan passes, with a null gate and no policy keys' '
	scan -o json=plain.json -o table=plain.txt &&
	jq -e ".gate == null and ([.findings[] | select(has(\"suppressed\") or has(\"failing\") or has(\"vex\"))] == [])" plain.json &&
	test "$(active_ids plain.json)" = "$ALL" &&
	! grep -q "^gate:" plain.txt
'

test_expect_success '--fail-on fails at or above the severity, names the findings, and still writes the reports' '
	test_expect_code 1 scan --fail-on critical -o json=c.json -o table=c.txt 2>err &&
	grep -q "^customs: gate failed: 2 findings at or above critical: CVE-2021-42740 in shell-quote" err &&
	jq -e ".gate == {\"passed\": false, \"would_fail\": true, \"audit\": false, \"reasons\": .gate.reasons, \"failing\": 2, \"excluded_unfixed\": 0, \"checks_failing\": 0}" c.json &&
	jq -e "[.findings[] | select(.failing) | .id] == [\"CVE-2021-42740\", \"CVE-2023-45853\"]" c.json &&
	grep -q "^gate: failed: 2 findings at or above critical" c.txt &&
	test_expect_code 1 scan --fail-on unknown 2>err && grep -q "8 findings at or above unknown" err &&
	test_expect_code 1 scan --fail-on HIGH 2>err
'

test_expect_success '--fail-on passes when nothing reaches the severity' '
	"$CUSTOMS" db build --output low.db osv/GHSA-2099-low0-0001.json >out &&
	"$CUSTOMS" scan -q --db low.db --fail-on medium -o json=low.json -o table=low.txt oci:img 2>err &&
	test ! -s err && jq -e ".gate.passed and (.gate.would_fail | not) and .gate.reasons == []" low.json &&
	test "$(tail -n 1 low.txt)" = "gate: passed"
'

test_expect_success '--fail-on-count allows up to N findings of a severity; repeated, each counts' '
	scan --fail-on-count high=3 -o json=n.json && jq -e ".gate.passed" n.json &&
	test_expect_code 1 scan --fail-on-count high=2 2>err &&
	grep -q "^customs: gate failed: 3 high findings" err &&
	test_expect_code 1 scan --fail-on-count high=3 --fail-on-count critical=1 2>err &&
	grep -q "critical" err && ! grep -q " high findings" err &&
	scan --fail-on-count critical=2 --fail-on-count critical=5 --fail-on-count high=3 &&
	test_expect_code 1 scan --fail-on-count low=0 2>err && grep -q "1 low finding" err
'

test_expect_success '--only-fixed and its alias --ignore-unfixed leave unfixed findings out of the decision' '
	test_expect_code 1 scan --fail-on-count critical=1 2>err &&
	scan --fail-on-count critical=1 --only-fixed -o json=of.json -o table=of.txt &&
	jq -e ".gate.passed and .gate.excluded_unfixed == 2" of.json &&
	jq -e "[.findings[] | select(has(\"suppressed\"))] == []" of.json &&
	grep -q "^2 findings have no fix, left out of the gate" of.txt &&
	scan --fail-on-count critical=1 --ignore-unfixed &&
	test_expect_code 1 scan --fail-on critical --only-fixed 2>err &&
	grep -q "1 finding at or above critical: CVE-2021-42740" err &&
	scan --only-fixed -o json=of2.json && jq -e ".gate.passed and .gate.reasons == []" of2.json
'

test_expect_success '--audit never fails, but prints and reports what would have failed' '
	scan --audit --fail-on high -o json=a.json -o table=a.txt 2>err &&
	grep -q "^customs: audit: the gate would have failed: 5 findings at or above high" err &&
	jq -e ".gate.passed and .gate.would_fail and .gate.audit and .gate.failing == 5" a.json &&
	grep -q "^audit: would fail: 5 findings at or above high" a.txt &&
	scan --audit --fail-on-count high=0 --fail-on critical --only-fixed 2>err &&
	test "$(grep -c "audit: the gate would have failed" err)" = 2 &&
	scan --audit -o json=a2.json 2>err && test ! -s err && jq -e ".gate.would_fail | not" a2.json
'

test_expect_success 'every threshold together: the first crossed one is enough to fail' '
	test_expect_code 1 scan --fail-on critical --fail-on-count high=10 --only-fixed 2>err &&
	test "$(grep -c "gate failed" err)" = 1 &&
	test_expect_code 1 scan --fail-on critical --fail-on-count high=1 --only-fixed 2>err &&
	test "$(grep -c "gate failed" err)" = 2
'

test_expect_success '--severity filters the table only: never the JSON, the gate or the exit code' '
	test_expect_code 1 scan --fail-on high --severity low -o table=f.txt -o json=f.json 2>err1 &&
	test_expect_code 1 scan --fail-on high -o json=f0.json 2>err0 &&
	cmp err0 err1 && jq -e ".findings | length == 8" f.json &&
	test "$(jq -c .gate f.json)" = "$(jq -c .gate f0.json)" &&
	grep -q "^low  *GHSA-2099-low0-0001" f.txt && ! grep -q "^critical " f.txt &&
	grep -q "^7 not shown by --severity" f.txt && grep -q "^gate: failed: 5 findings at or above high" f.txt &&
	scan --fail-on-count high=3 --severity critical,high -o table=f2.txt &&
	test "$(grep -c "^critical\|^high" f2.txt)" = 5 &&
	scan --severity medium --audit --fail-on critical
'

test_expect_success 'bad gate options are usage errors (exit 2) with one line' '
	for args in "--fail-on severe" "--fail-on moderate" "--fail-on-count high" "--fail-on-count high=x" \
		"--fail-on-count high=-1" "--fail-on-count bad=1" "--severity nope" "--severity critical,,high" \
		"--severity moderate"; do
		test_expect_code 2 scan $args -o json=bad.json 2>err || exit 1
		one_line_error err || exit 1
		test ! -e bad.json || exit 1
	done
'

# ---- ignore rules ----

ignore_file() { printf "{\"ignore\": [%s]}\n" "$2" >"$1"; }

test_expect_success 'an ignore rule with a reason suppresses a finding: it stays in the JSON, marked' '
	ignore_file ig.json "{\"id\": \"CVE-2021-42740\", \"reason\": \"shell-quote only quotes constants here\"}" &&
	scan --ignore-file ig.json --fail-on-count critical=1 -o json=i.json -o table=i.txt &&
	jq -e ".findings[] | select(.id == \"CVE-2021-42740\") | .suppressed == {\"by\": \"ignore\", \"reason\": \"shell-quote only quotes constants here\"} and (has(\"failing\") | not)" i.json &&
	jq -e "[.findings[] | select(has(\"suppressed\"))] | length == 1" i.json &&
	jq -e ".findings | length == 8" i.json &&
	! grep -q CVE-2021-42740 i.txt && grep -q "^1 suppressed (ignore: 1, vex: 0)" i.txt &&
	grep -q "^7 vulnerabilities: 1 critical" i.txt &&
	test_expect_code 1 scan --fail-on-count critical=1
'

test_expect_success '.customsignore.json in the working directory applies by default' '
	mkdir -p wd && ignore_file wd/.customsignore.json "{\"id\": \"CVE-2023-45853\", \"reason\": \"no MiniZip\"}" &&
	(cd wd && "$CUSTOMS" scan -q --db ../scan.db --fail-on-count critical=1 -o json=../d.json oci:../img) &&
	jq -e "[.findings[] | select(.suppressed.by == \"ignore\") | .id] == [\"CVE-2023-45853\"]" d.json
'

test_expect_success 'a rule ID matches aliases too' '
	ignore_file alias.json "{\"id\": \"ghsa-35jh-r3h4-6jhm\", \"reason\": \"r\"}" &&
	scan --ignore-file alias.json -o json=al.json &&
	jq -e "[.findings[] | select(has(\"suppressed\")) | .id] == [\"CVE-2021-23337\"]" al.json
'

test_expect_success 'an expired rule warns, naming it, and suppresses nothing' '
	ignore_file exp.json "{\"id\": \"CVE-2021-42740\", \"reason\": \"until the fix\", \"expires\": \"2023-11-13\"}" &&
	test_expect_code 1 "$CUSTOMS" scan --db scan.db --ignore-file exp.json --fail-on-count critical=1 -o json=e.json oci:img 2>err &&
	grep -q "^customs: warning: .*CVE-2021-42740" err && grep -q "expire" err &&
	jq -e "[.findings[] | select(has(\"suppressed\"))] == []" e.json &&
	jq -e "[.warnings[] | select(contains(\"CVE-2021-42740\"))] | length == 1" e.json &&
	ignore_file today.json "{\"id\": \"CVE-2021-42740\", \"reason\": \"until the fix\", \"expires\": \"2023-11-14\"}" &&
	scan --ignore-file today.json --fail-on-count critical=1
'

test_expect_success 'a malformed ignore file exits 2 with one line naming it, and writes nothing' '
	ignore_file bad-date.json "{\"id\": \"CVE-2021-42740\", \"reason\": \"r\", \"expires\": \"2026-02-30\"}" &&
	test_expect_code 2 scan --ignore-file bad-date.json -o json=out.json 2>err &&
	one_line_error err && grep -q "bad-date.json" err && grep -q "expires" err && test ! -e out.json &&
	ignore_file no-reason.json "{\"id\": \"CVE-2021-42740\"}" &&
	test_expect_code 2 scan --ignore-file no-reason.json -o json=out.json 2>err &&
	one_line_error err && grep -q "no-reason.json" err && test ! -e out.json &&
	echo "{\"ignore\": [" >broken.json &&
	test_expect_code 2 scan --ignore-file broken.json 2>err && one_line_error err &&
	test_expect_code 2 scan --ignore-file missing.json 2>err && one_line_error err && grep -q missing.json err &&
	mkdir -p wd2 && cp bad-date.json wd2/.customsignore.json &&
	(cd wd2 && test_expect_code 2 "$CUSTOMS" scan -q --db ../scan.db oci:../img 2>err) && one_line_error wd2/err
'

test_expect_success 'package scoping: a name, name@version or purl; another package is untouched' '
	for pkg in libc6 libc6@2.36-9+deb12u1 pkg:deb/debian/libc6 "pkg:deb/debian/libc6@2.36-9%2Bdeb12u1"; do
		ignore_file pk.json "{\"id\": \"CVE-2023-4911\", \"package\": \"$pkg\", \"reason\": \"r\"}" &&
		scan --ignore-file pk.json -o json=pk.json.out &&
		jq -e "[.findings[] | select(has(\"suppressed\")) | .id] == [\"CVE-2023-4911\"]" pk.json.out || exit 1
	done &&
	for pkg in zlib1g libc6@2.36-9+deb12u3 pkg:deb/debian/zlib1g pkg:npm/libc6; do
		ignore_file pk.json "{\"id\": \"CVE-2023-4911\", \"package\": \"$pkg\", \"reason\": \"r\"}" &&
		scan --ignore-file pk.json -o json=pk.json.out &&
		jq -e "[.findings[] | select(has(\"suppressed\"))] == []" pk.json.out || exit 1
	done
'

test_expect_success 'path scoping: the package file or a folder holding it' '
	ignore_file pa.json "{\"id\": \"CVE-2021-23337\", \"path\": \"/app/node_modules/lodash\", \"reason\": \"r\"}" &&
	scan --ignore-file pa.json -o json=pa.out &&
	jq -e "[.findings[] | select(has(\"suppressed\")) | .id] == [\"CVE-2021-23337\"]" pa.out &&
	ignore_file pa2.json "{\"id\": \"CVE-2021-23337\", \"path\": \"/usr/lib\", \"reason\": \"r\"}" &&
	scan --ignore-file pa2.json -o json=pa2.out &&
	jq -e "[.findings[] | select(has(\"suppressed\"))] == []" pa2.out
'

# ---- VEX ----

# vex_doc FILE STATUS PRODUCTS [EXTRA]: one statement about CVE-2021-42740 (shell-quote).
vex_doc() {
	cat >"$1" <<VEX
{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/1", "author": "test",
 "timestamp": "2023-11-01T00:00:00Z", "version": 1,
 "statements": [{"vulnerability": {"name": "CVE-2021-42740"}, "products": $3, "status": "$2"${4:+, $4}}]}
VEX
}

test_expect_success 'VEX not_affected for the package purl suppresses, with the justification as reason' '
	vex_doc v1.json not_affected "[{\"@id\": \"pkg:npm/shell-quote@1.7.2\"}]" "\"justification\": \"vulnerable_code_not_in_execute_path\"" &&
	scan --vex v1.json --fail-on-count critical=1 -o json=v1.out -o table=v1.txt &&
	jq -e ".findings[] | select(.id == \"CVE-2021-42740\") | .suppressed == {\"by\": \"vex\", \"reason\": \"not_affected: vulnerable_code_not_in_execute_path\"}" v1.out &&
	grep -q "^1 suppressed (ignore: 0, vex: 1)" v1.txt
'

test_expect_success 'VEX scoped to the scanned image (pkg:oci) with the package as subcomponent suppresses' '
	vex_doc v2.json fixed "[{\"@id\": \"pkg:oci/scan\", \"subcomponents\": [{\"@id\": \"pkg:npm/shell-quote\"}]}]" &&
	scan --vex v2.json -o json=v2.out &&
	jq -e ".findings[] | select(.id == \"CVE-2021-42740\") | .suppressed == {\"by\": \"vex\", \"reason\": \"fixed\"}" v2.out &&
	digest=$(jq -r .target.digest v2.out | sed "s/:/%3A/") &&
	vex_doc v2b.json fixed "[{\"@id\": \"pkg:oci/scan@$digest\"}]" &&
	scan --vex v2b.json -o json=v2b.out &&
	jq -e "[.findings[] | select(has(\"suppressed\")) | .id] == [\"CVE-2021-42740\"]" v2b.out
'

test_expect_success 'VEX scoped to another product suppresses nothing' '
	for products in "[{\"@id\": \"pkg:npm/shell-quote@1.7.3\"}]" "[{\"@id\": \"pkg:npm/other\"}]" \
		"[{\"@id\": \"pkg:oci/another-image\", \"subcomponents\": [{\"@id\": \"pkg:npm/shell-quote\"}]}]" \
		"[{\"@id\": \"pkg:oci/scan@sha256%3A0000000000000000000000000000000000000000000000000000000000000000\"}]"; do
		vex_doc v3.json not_affected "$products" "\"justification\": \"component_not_present\"" &&
		test_expect_code 1 scan --vex v3.json --fail-on-count critical=1 -o json=v3.out 2>err &&
		jq -e "[.findings[] | select(has(\"suppressed\"))] == []" v3.out || exit 1
	done
'

test_expect_success 'VEX affected keeps the finding active and attaches the statement' '
	vex_doc v4.json affected "[{\"@id\": \"pkg:npm/shell-quote@1.7.2\"}]" "\"action_statement\": \"upgrade to 1.7.3\"" &&
	test_expect_code 1 scan --vex v4.json --fail-on critical -o json=v4.out 2>err &&
	jq -e ".findings[] | select(.id == \"CVE-2021-42740\") | (has(\"suppressed\") | not) and .vex == {\"status\": \"affected\", \"detail\": \"upgrade to 1.7.3\"} and .failing" v4.out
'

test_expect_success 'VEX goes first, then ignore rules; both suppressions are counted apart' '
	ignore_file both.json "{\"id\": \"CVE-2021-42740\", \"reason\": \"r\"}, {\"id\": \"CVE-2023-45853\", \"reason\": \"r2\"}" &&
	scan --vex v1.json --ignore-file both.json --fail-on critical -o json=b.out -o table=b.txt &&
	jq -e "[.findings[] | select(has(\"suppressed\")) | .suppressed.by] == [\"vex\", \"ignore\"]" b.out &&
	grep -q "^2 suppressed (ignore: 1, vex: 1)" b.txt
'

test_expect_success 'a malformed or missing VEX document exits 2 with one line, and writes nothing' '
	vex_doc bad1.json not_affected "[{\"@id\": \"pkg:npm/shell-quote\"}]" &&
	test_expect_code 2 scan --vex bad1.json -o json=out.json 2>err &&
	one_line_error err && grep -q "bad1.json" err && test ! -e out.json &&
	vex_doc bad2.json maybe "[{\"@id\": \"pkg:npm/shell-quote\"}]" &&
	test_expect_code 2 scan --vex v1.json --vex bad2.json -o json=out.json 2>err &&
	one_line_error err && grep -q "bad2.json" err && test ! -e out.json &&
	echo "[" >bad3.json && test_expect_code 2 scan --vex bad3.json 2>err && one_line_error err &&
	test_expect_code 2 scan --vex nope.json 2>err && one_line_error err
'

# ---- the config file ----

test_expect_success 'config file values apply: .customs.json in the working directory, or --config' '
	mkdir -p cfg && cp -r img scan.db v1.json cfg/ &&
	cat >cfg/.customs.json <<-\EOF &&
	{"db": "scan.db", "fail-on": "critical", "output": ["json=c.json", "table=c.txt"], "quiet": true}
	EOF
	(cd cfg && test_expect_code 1 "$CUSTOMS" scan oci:img 2>err) &&
	jq -e ".gate.reasons | length == 1" cfg/c.json && grep -q "^gate: failed" cfg/c.txt &&
	cat >cfg/other.json <<-\EOF &&
	{"db": "scan.db", "fail-on-count": {"critical": 1}, "only-fixed": true, "vex": ["v1.json"],
	 "severity": ["critical"], "output": ["json=o.json"], "audit": false}
	EOF
	(cd cfg && "$CUSTOMS" scan --config other.json oci:img) &&
	jq -e ".gate.passed and .gate.excluded_unfixed == 2 and ([.findings[] | select(has(\"suppressed\"))] | length == 1)" cfg/o.json
'

test_expect_success 'command-line flags override the config file; a repeatable flag replaces its list' '
	cp low.db v4.json cfg/ &&
	cat >cfg/low.json <<-\EOF &&
	{"db": "low.db", "fail-on": "low", "output": ["json=l.json"]}
	EOF
	(cd cfg && test_expect_code 1 "$CUSTOMS" scan -q --config low.json oci:img 2>err) &&
	(cd cfg && "$CUSTOMS" scan -q --config low.json --fail-on medium oci:img) && jq -e ".gate.passed" cfg/l.json &&
	(cd cfg && "$CUSTOMS" scan -q --config low.json --db scan.db --fail-on unknown --audit oci:img) &&
	jq -e ".findings | length == 8" cfg/l.json &&
	(cd cfg && "$CUSTOMS" scan -q --config low.json -o json=l2.json -o table=l2.txt --fail-on medium oci:img) &&
	test -s cfg/l2.json && test -s cfg/l2.txt &&
	cat >cfg/lists.json <<-\EOF &&
	{"db": "scan.db", "fail-on-count": {"low": 0}, "vex": ["v1.json"], "output": ["json=li.json"]}
	EOF
	(cd cfg && test_expect_code 1 "$CUSTOMS" scan -q --config lists.json oci:img 2>err) &&
	jq -e "[.findings[] | select(has(\"suppressed\")) | .id] == [\"CVE-2021-42740\"]" cfg/li.json &&
	(cd cfg && "$CUSTOMS" scan -q --config lists.json --fail-on-count high=3 --vex v4.json oci:img) &&
	jq -e "[.findings[] | select(has(\"suppressed\"))] == [] and .gate.passed" cfg/li.json &&
	jq -e ".findings[] | select(.id == \"CVE-2021-42740\") | .vex.status == \"affected\"" cfg/li.json
'

test_expect_success 'a bad config file exits 2 with one line naming the key' '
	echo "{\"fail_on\": \"high\"}" >c1.json &&
	test_expect_code 2 scan --config c1.json -o json=out.json 2>err &&
	one_line_error err && grep -q "c1.json" err && grep -q "fail_on" err && test ! -e out.json &&
	echo "{\"fail-on\": 3}" >c2.json &&
	test_expect_code 2 scan --config c2.json 2>err && one_line_error err && grep -q "fail-on" err && grep -q "string" err &&
	echo "{\"vex\": \"v1.json\"}" >c3.json &&
	test_expect_code 2 scan --config c3.json 2>err && one_line_error err && grep -q "vex" err &&
	echo "{\"fail-on-count\": {\"high\": 1.5}}" >c4.json &&
	test_expect_code 2 scan --config c4.json 2>err && one_line_error err && grep -q "fail-on-count" err &&
	echo "{\"only-fixed\": \"yes\"}" >c5.json &&
	test_expect_code 2 scan --config c5.json 2>err && one_line_error err && grep -q "only-fixed" err &&
	echo "{\"fail-on\": \"severe\"}" >c6.json &&
	test_expect_code 2 scan --config c6.json 2>err && one_line_error err && grep -q "fail-on" err &&
	echo "{\"audit\": true, \"audit\": false}" >c7.json &&
	test_expect_code 2 scan --config c7.json 2>err && one_line_error err && grep -q "twice" err &&
	echo "[]" >c8.json && test_expect_code 2 scan --config c8.json 2>err && one_line_error err &&
	echo "{" >c9.json && test_expect_code 2 scan --config c9.json 2>err && one_line_error err &&
	echo "{\"db-warn-age\": \"7\"}" >c10.json &&
	test_expect_code 2 scan --config c10.json 2>err && one_line_error err && grep -q "db-warn-age" err &&
	test_expect_code 2 scan --config nope.json 2>err && one_line_error err && grep -q nope.json err &&
	head -c 2000000 /dev/zero | tr "\\0" " " >big.json &&
	test_expect_code 2 scan --config big.json 2>err && one_line_error err && grep -q "too large" err &&
	mkdir -p cfgbad && echo "{\"nope\": 1}" >cfgbad/.customs.json &&
	(cd cfgbad && test_expect_code 2 "$CUSTOMS" scan -q --db ../scan.db oci:../img 2>err) && one_line_error cfgbad/err
'

# ---- customs vex ----

test_expect_success 'customs vex writes an OpenVEX document, reproducibly, that parses back' '
	"$CUSTOMS" vex -q --db scan.db -o doc.json oci:img &&
	"$CUSTOMS" vex -q --db scan.db oci:img >doc2.json && cmp doc.json doc2.json &&
	jq -e ".\"@context\" == \"https://openvex.dev/ns/v0.2.0\" and .timestamp == \"2023-11-14T22:13:20Z\"" doc.json &&
	jq -e "[.statements[].status] | unique == [\"under_investigation\"]" doc.json &&
	jq -e "[.statements[].vulnerability.name] | sort == (\"$ALL\" | split(\" \") | sort)" doc.json &&
	scan --vex doc.json -o json=dv.json &&
	jq -e "([.findings[] | select(has(\"suppressed\"))] == []) and ([.findings[] | select(.vex.status == \"under_investigation\")] | length == 8)" dv.json
'

test_expect_success 'an edited customs vex document suppresses what it says is not_affected' '
	jq "(.statements[] | select(.vulnerability.name == \"CVE-2021-42740\")) |= (.status = \"not_affected\" | .justification = \"inline_mitigations_already_exist\")" \
		doc.json >edited.json &&
	scan --vex edited.json --fail-on-count critical=1 -o json=ed.json &&
	jq -e "[.findings[] | select(has(\"suppressed\")) | [.id, .suppressed.reason]] == [[\"CVE-2021-42740\", \"not_affected: inline_mitigations_already_exist\"]]" ed.json
'

test_expect_success 'customs vex: usage errors exit 2, a missing database exits 3' '
	test_expect_code 2 "$CUSTOMS" vex --db scan.db 2>err && one_line_error err &&
	test_expect_code 2 "$CUSTOMS" vex --db scan.db --bogus oci:img 2>err && one_line_error err &&
	test_expect_code 3 "$CUSTOMS" vex -q --db nope.db -o out.json oci:img 2>err && one_line_error err && test ! -e out.json &&
	"$CUSTOMS" vex --help | grep -q "usage: customs vex" && "$CUSTOMS" help 2>&1 | grep -q "vex"
'

# ---- the report schema ----

validated 'reports with a gate, suppressions and VEX validate against docs/report-schema.json' \
	sh "$LIB/validate-schema.sh" --schema "$PROJECT_DIR/docs/report-schema.json" plain.json c.json a.json \
	of.json i.json b.out v4.out dv.json

test_done
