#!/bin/bash
# customs scan writes every report format in one run, each accepted by its own validator and equal to its golden copy.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$TESTS_DIR/lib/scan-fixture.sh"
GOLDEN=$TESTS_DIR/fixtures/scan-formats
unset CUSTOMS_GITLAB_REPORT_VERSION
: "${CUSTOMS_TOOLS_DIR:=$PROJECT_DIR/build}"
# The SARIF validators, pinned, installed once with npm into a cache folder under build/.
SARIF_TOOLS=$CUSTOMS_TOOLS_DIR/sarif-tools
SARIF_TOOLS_PACKAGES="@microsoft/sarif-multitool@5.7.0 ajv@8.17.1 ajv-draft-04@1.0.0 ajv-formats@3.0.1"

if ! command -v jq >/dev/null 2>&1; then
	test_skip 'customs scan report formats' 'jq is missing (tests/setup-tools.sh installs it)'
	test_done
	exit
fi

# ---- a small image: two Debian packages and two npm packages, and a database that hits each ----

cat >os-release <<'EOF'
PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
VERSION_ID="12"
ID=debian
EOF
write_dpkg_status
printf '{"name": "lodash", "version": "4.17.20"}\n' >lodash.json
printf '{"name": "shell-quote", "version": "1.7.2"}\n' >shell-quote.json
{
	mkimage layer l0.tar f:etc/os-release=@os-release f:var/lib/dpkg/status=@status &&
	mkimage layer l1.tar f:app/node_modules/lodash/package.json=@lodash.json \
		f:app/node_modules/shell-quote/package.json=@shell-quote.json &&
	# Posture-clean (a user, a health check, no cache): the check findings' formats are validated
	# from the unit fixture's samples below, and by t6400 on a real image.
	mkimage oci img --tag formats --created-by 'debootstrap bookworm' --created-by 'RUN npm ci && npm cache clean --force' \
		--config 'User="10001"' --config 'Healthcheck={"Test": ["CMD", "/app/healthcheck"]}' l0.tar l1.tar
} >/dev/null || { say_fail 'making the test image'; test_done; exit; }

mkdir osv
cat >osv/DSA-5514-1.json <<'EOF'
{"id": "DSA-5514-1", "modified": "2023-10-03T00:00:00Z", "aliases": ["CVE-2023-4911"],
 "summary": "glibc: buffer overflow in the <dynamic> loader's | GLIBC_TUNABLES",
 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"}],
 "affected": [{"package": {"ecosystem": "Debian:12", "name": "glibc"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.36-9+deb12u3"}]}]}]}
EOF
cat >osv/DEBIAN-CVE-2023-45853.json <<'EOF'
{"id": "DEBIAN-CVE-2023-45853", "modified": "2023-10-14T00:00:00Z", "aliases": ["CVE-2023-45853"],
 "summary": "zlib: integer overflow in MiniZip",
 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
 "affected": [{"package": {"ecosystem": "Debian:12", "name": "zlib"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}
EOF
cat >osv/GHSA-35jh-r3h4-6jhm.json <<'EOF'
{"id": "GHSA-35jh-r3h4-6jhm", "modified": "2021-02-16T00:00:00Z", "aliases": ["CVE-2021-23337"],
 "summary": "Command Injection in lodash",
 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"}],
 "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}]}]}
EOF
cat >osv/OSV-2099-0001.json <<'EOF'
{"id": "OSV-2099-0001", "modified": "2023-01-01T00:00:00Z", "summary": "lodash: a made-up issue without a rating",
 "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.17.22"}]}]}]}
EOF
cat >osv/GHSA-g4rg-993r-mgx7.json <<'EOF'
{"id": "GHSA-g4rg-993r-mgx7", "modified": "2021-11-08T00:00:00Z", "aliases": ["CVE-2021-42740"],
 "summary": "Improper Neutralization of Special Elements used in a Command in Shell-quote",
 "database_specific": {"severity": "LOW"},
 "affected": [{"package": {"ecosystem": "npm", "name": "shell-quote"},
   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.7.3"}]}]}]}
EOF

test_expect_success 'set up: the database' '
	"$CUSTOMS" db build --output scan.db osv >out
'

test_expect_success 'every format in one run, the table on standard output' '
	"$CUSTOMS" scan -q --db scan.db -o table -o json=r.json -o sarif=r.sarif -o gitlab=gl.json -o junit=r.xml \
		-o cyclonedx=sbom.json -o markdown=summary.md oci:img >table.txt &&
	for f in r.json r.sarif gl.json r.xml sbom.json summary.md; do test -s $f || exit 1; done &&
	grep -q "^5 vulnerabilities: 1 critical, 2 high, 0 medium, 1 low, 1 unknown$" table.txt &&
	test "$(jq ".findings | length" r.json)" = 5 &&
	test "$(jq ".vulnerabilities | length" sbom.json)" = 5
'

test_expect_success 'SARIF: one rule per ID, a result per finding, located in the image' '
	jq -e ".version == \"2.1.0\" and (.runs | length) == 1" r.sarif &&
	jq -e ".runs[0].automationDetails.id == \"customs/formats/\"" r.sarif &&
	jq -e "[.runs[0].results[].ruleId] == [\"CVE-2023-45853\", \"CVE-2023-4911\", \"CVE-2021-23337\", \"CVE-2021-42740\", \"OSV-2099-0001\"]" r.sarif &&
	jq -e "[.runs[0].results[].level] == [\"error\", \"error\", \"error\", \"note\", \"note\"]" r.sarif &&
	jq -e "(.runs[0].tool.driver.rules | length) == 5" r.sarif &&
	jq -e "[.runs[0].tool.driver.rules[].properties[\"security-severity\"]] == [\"9.8\", \"7.8\", \"7.2\", \"2.0\", null]" r.sarif &&
	jq -e "[.runs[0].tool.driver.rules[].properties.tags[0]] | unique == [\"security\"]" r.sarif &&
	jq -e ".runs[0].results[1].locations[0].physicalLocation | .artifactLocation.uri == \"formats/var/lib/dpkg/status\" and .region.startLine == 1" r.sarif &&
	jq -e ".runs[0].results[2].locations[0].physicalLocation.artifactLocation.uri == \"formats/app/node_modules/lodash/package.json\"" r.sarif &&
	jq -e "[.runs[0].results[].partialFingerprints.primaryLocationLineHash] | unique | length == 5" r.sarif &&
	jq -e ".runs[0].tool.driver.rules[1].help.markdown | contains(\"| libc6 | 2.36-9+deb12u1 | 2.36-9+deb12u3 | formats/var/lib/dpkg/status |\")" r.sarif
'

test_expect_success 'with --dockerfile, a package points at the instruction that installed it' '
	printf "FROM debian:12\nUSER 10001\nRUN npm ci && npm cache clean --force\n" >Dockerfile &&
	"$CUSTOMS" scan -q --db scan.db --dockerfile ./Dockerfile -o json=d.json -o sarif=d.sarif oci:img &&
	jq -e "[.findings[] | select(.package.name == \"lodash\") | .dockerfile] | unique == [{\"path\": \"./Dockerfile\", \"line\": 3}]" d.json &&
	jq -e "[.findings[] | select(.package.name == \"libc6\") | has(\"dockerfile\")] | unique == [false]" d.json &&
	jq -e "[.runs[0].results[] | select(.message.text | startswith(\"Package lodash\")) | .locations[0].physicalLocation] | unique == [{\"artifactLocation\": {\"uri\": \"Dockerfile\"}, \"region\": {\"startLine\": 3}}]" d.sarif &&
	jq -c "[.runs[0].results[] | {ruleId, partialFingerprints}]" r.sarif >fp-plain &&
	jq -c "[.runs[0].results[] | select(.ruleId | startswith(\"CUS-\") | not) | {ruleId, partialFingerprints}]" d.sarif >fp-dockerfile &&
	diff -u fp-plain fp-dockerfile
'

test_expect_success 'SARIF fingerprints do not change with a new tag or new versions' '
	sed "s/2.36-9+deb12u1/2.36-9+deb12u2/" status >status2 &&
	mkimage layer l0b.tar f:etc/os-release=@os-release f:var/lib/dpkg/status=@status2 >/dev/null &&
	mkimage oci img2 --tag formats:2 --config "User=\"10001\"" \
		--config "Healthcheck={\"Test\": [\"CMD\", \"/app/healthcheck\"]}" l0b.tar l1.tar >/dev/null &&
	"$CUSTOMS" scan -q --db scan.db -o sarif=r2.sarif -o gitlab=gl2.json oci:img2 &&
	jq -c "[.runs[0].results[].partialFingerprints]" r.sarif >fp1 &&
	jq -c "[.runs[0].results[].partialFingerprints]" r2.sarif >fp2 &&
	cmp fp1 fp2 &&
	jq -e ".runs[0].automationDetails.id == \"customs/formats/\"" r2.sarif &&
	test "$(jq -c "[.vulnerabilities[].id]" gl.json)" = "$(jq -c "[.vulnerabilities[].id]" gl2.json)"
'

test_expect_success 'GitLab: declared version, times without Z, identifiers with URLs, solutions' '
	jq -e ".version == \"15.0.7\" and .scan.type == \"container_scanning\" and .scan.status == \"success\"" gl.json &&
	jq -e ".scan.start_time == \"2023-11-14T22:13:20\" and .scan.end_time == \"2023-11-14T22:13:20\"" gl.json &&
	jq -e "[.vulnerabilities[].severity] == [\"Critical\", \"High\", \"High\", \"Low\", \"Unknown\"]" gl.json &&
	jq -e "[.vulnerabilities[].identifiers[] | select(.url == null)] == []" gl.json &&
	jq -e ".vulnerabilities[1].identifiers | map(.name) == [\"CVE-2023-4911\", \"DSA-5514-1\"]" gl.json &&
	jq -e ".vulnerabilities[1].solution == \"Upgrade libc6 to 2.36-9+deb12u3 or later.\"" gl.json &&
	jq -e ".vulnerabilities[1].location == {\"dependency\": {\"package\": {\"name\": \"libc6\"}, \"version\": \"2.36-9+deb12u1\"}, \"operating_system\": \"debian 12\", \"image\": \"formats\"}" gl.json &&
	CUSTOMS_GITLAB_REPORT_VERSION=15.1.4 "$CUSTOMS" scan -q --db scan.db -o gitlab=gl3.json oci:img &&
	jq -e ".version == \"15.1.4\"" gl3.json
'

test_expect_success 'JUnit: a test case per package, a failure per vulnerable package' '
	grep -q "<testsuite name=\"formats\" tests=\"4\" failures=\"4\" errors=\"0\"" r.xml &&
	test "$(grep -c "<testcase " r.xml)" = 4 &&
	grep -q "<failure type=\"vulnerability\" message=\"2 vulnerabilities: 1 high, 1 unknown\">" r.xml
'

test_expect_success 'Markdown: a verdict, counts per severity and the findings, escaped' '
	grep -q "^\*\*5 vulnerabilities found\*\* in 4 packages on Debian GNU/Linux 12 (bookworm)\.$" summary.md &&
	grep -q "^| Critical | 1 |$" summary.md && grep -q "^| High | 2 |$" summary.md &&
	grep -q "^| high | CVE-2023-4911 | libc6 | 2.36-9+deb12u1 | 2.36-9+deb12u3 | glibc: buffer overflow in the &lt;dynamic&gt; loader.s \\\\| GLIBC\\\\_TUNABLES |$" summary.md &&
	test "$(wc -c <summary.md)" -lt 1000000
'

cat >ignore.json <<'EOF'
{"ignore": [{"id": "CVE-2021-42740", "reason": "not reachable from our <code>"}]}
EOF

test_expect_success 'with a gate and an ignore rule, the verdict and the suppression reach every format' '
	test_expect_code 1 "$CUSTOMS" scan -q --db scan.db --fail-on critical --ignore-file ignore.json \
		-o sarif=g.sarif -o gitlab=g.gl.json -o junit=g.xml -o markdown=g.md oci:img &&
	jq -e ".runs[0].results[] | select(.ruleId == \"CVE-2021-42740\") | .suppressions == [{\"kind\": \"external\", \"status\": \"accepted\", \"justification\": \"ignore: not reachable from our <code>\"}]" g.sarif &&
	jq -e ".runs[0].properties.policy.passed == false and (.runs[0].properties.policy.reasons | length) == 1" g.sarif &&
	jq -e "[.runs[0].results[].properties.policy] == [\"failing\", \"passing\", \"passing\", \"suppressed\", \"passing\"]" g.sarif &&
	jq -e "[.vulnerabilities[].identifiers[0].name] == [\"CVE-2023-45853\", \"CVE-2023-4911\", \"CVE-2021-23337\", \"OSV-2099-0001\"]" g.gl.json &&
	grep -q "^\*\*Policy failed\*\*:$" g.md &&
	grep -q "^4 vulnerabilities found (1 suppressed) in 4 packages" g.md &&
	grep -q "^| CVE-2021-42740 | shell-quote | 1.7.2 | ignore | not reachable from our &lt;code&gt; |$" g.md &&
	grep -q "<testsuite name=\"formats\" tests=\"4\" failures=\"1\"" g.xml &&
	grep -q "CVE-2021-42740 (low) also GHSA-g4rg-993r-mgx7; fixed in 1.7.3; suppressed by ignore: not reachable from our &lt;code&gt;:" g.xml &&
	"$CUSTOMS" scan -q --db scan.db --fail-on critical --audit -o junit=a.xml -o markdown=a.md oci:img &&
	grep -q "failures=\"0\"" a.xml && grep -q "would fail the policy (audit mode)" a.xml &&
	grep -q "^\*\*Policy would have failed\*\* (audit mode: the build passes):$" a.md
'

# ---- golden copies, with the tool version, times and digests normalised ----

normalise() {
	case $1 in
	*.sarif) jq ".runs[0].tool.driver.version = \"VERSION\" | .runs[0].tool.driver.semanticVersion = \"VERSION\"" "$1" ;;
	*.gl.json) jq ".scan.analyzer.version = \"VERSION\" | .scan.scanner.version = \"VERSION\" | .scan.start_time = \"TIME\" | .scan.end_time = \"TIME\"" "$1" ;;
	*.xml) sed -e "s/timestamp=\"[^\"]*\"/timestamp=\"TIME\"/" -e "s/name=\"image.digest\" value=\"[^\"]*\"/name=\"image.digest\" value=\"DIGEST\"/" \
		-e "s/name=\"tool.version\" value=\"[^\"]*\"/name=\"tool.version\" value=\"VERSION\"/" "$1" ;;
	*) cat "$1" ;;
	esac
}

cp r.sarif golden.sarif && cp gl.json golden.gl.json && cp r.xml golden.junit.xml && cp summary.md golden.md
for f in golden.sarif golden.gl.json golden.junit.xml golden.md; do
	normalise "$f" >"$f.norm" || say_fail "normalising $f"
	if [ -n "${CUSTOMS_UPDATE_GOLDEN:-}" ]; then
		mkdir -p "$GOLDEN" && cp "$f.norm" "$GOLDEN/$f"
	fi
	test_expect_success "$f matches its golden copy" "diff -u '$GOLDEN/$f' '$f.norm'"
done

# ---- the validators ----

sarif_tools() {
	stamp=$SARIF_TOOLS/.installed-$(echo "$SARIF_TOOLS_PACKAGES" | tr ' @/' '_+-')
	if [ ! -f "$stamp" ]; then
		command -v npm >/dev/null 2>&1 || { echo "npm is missing"; return 77; }
		mkdir -p "$SARIF_TOOLS"
		# shellcheck disable=SC2086 # the list is meant to split into words
		npm install --prefix "$SARIF_TOOLS" --no-audit --no-fund --loglevel=error $SARIF_TOOLS_PACKAGES ||
			{ echo "npm could not install the SARIF validators"; return 77; }
		touch "$stamp"
	fi
	return 0
}

# sarif_schema FILE...: the official 2.1.0 JSON schema (draft-04) from ../shared/data.
sarif_schema() {
	schema=$SHARED_DATA/schemas/sarif/sarif-schema-2.1.0.json
	[ -f "$schema" ] || { echo "../shared/data is missing"; return 77; }
	sarif_tools || return 77
	cat >validate4.cjs <<'EOF'
const [modules, schemaPath, ...files] = process.argv.slice(2);
const fs = require('node:fs');
const path = require('node:path');
const load = (name) => require(path.join(path.resolve(modules), name));
const Ajv = load('ajv-draft-04');
const addFormats = load('ajv-formats');
const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
let failed = 0;
for (const file of files) {
	if (validate(JSON.parse(fs.readFileSync(file, 'utf8')))) {
		console.log(`${file}: valid`);
		continue;
	}
	failed++;
	for (const e of validate.errors.slice(0, 20))
		console.error(`${file}: ${e.instancePath || '/'} ${e.message}`);
}
process.exit(failed ? 1 : 0);
EOF
	node validate4.cjs "$SARIF_TOOLS/node_modules" "$schema" "$@"
}

# sarif_multitool FILE...: zero errors with the SARIF and GitHub rules. It exits 0 whatever it finds,
# so count the error results in its own output log.
sarif_multitool() {
	sarif_tools || return 77
	bin=$SARIF_TOOLS/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
	[ -x "$bin" ] || { echo "the multitool has no binary for this machine"; return 77; }
	for f in "$@"; do
		DOTNET_CLI_TELEMETRY_OPTOUT=1 "$bin" validate "$f" --rule-kind "Sarif;Gh" --output "$f.validation" \
			--log ForceOverwrite >"$f.multitool.log" 2>&1 || { cat "$f.multitool.log"; return 1; }
		errors=$(jq "[.runs[].results[]? | select(.level == \"error\")] | length" "$f.validation") || return 1
		if [ "$errors" != 0 ]; then
			jq -r ".runs[].results[] | select(.level == \"error\") | \"\(.ruleId): \(.message.text // .message.id)\"" "$f.validation"
			return 1
		fi
	done
}

junit_xsd() {
	xsd=$SHARED_DATA/schemas/junit/junit-10.xsd
	[ -f "$xsd" ] || { echo "../shared/data is missing"; return 77; }
	command -v xmllint >/dev/null 2>&1 || { echo "xmllint is missing (tests/setup-tools.sh installs libxml2-utils)"; return 77; }
	xmllint --noout --schema "$xsd" "$@"
}

mkdir samples
if [ -n "${UNIT_TESTS:-}" ] && [ -x "$UNIT_TESTS" ] &&
	CUSTOMS_REPORT_SAMPLES=$PWD/samples "$UNIT_TESTS" report_sarif_write_samples >/dev/null 2>&1 &&
	CUSTOMS_REPORT_SAMPLES=$PWD/samples "$UNIT_TESTS" report_checks_write_samples >/dev/null 2>&1; then
	SAMPLES=yes
else
	SAMPLES=
	test_skip 'hostile findings from the unit fixture validate' 'UNIT_TESTS is not set (make test sets it)'
fi

validated 'SARIF validates against the 2.1.0 JSON schema' sarif_schema r.sarif g.sarif \
	${SAMPLES:+samples/fixture.sarif samples/gate-fixture.sarif samples/checks.sarif samples/gate-checks.sarif}
validated 'SARIF gives zero errors in the SARIF multitool with the GitHub rules' \
	sarif_multitool r.sarif g.sarif d.sarif \
	${SAMPLES:+samples/fixture.sarif samples/gate-fixture.sarif samples/checks.sarif samples/gate-checks.sarif}
validated 'the GitLab report validates against docs/gitlab-report.schema.json' \
	sh "$LIB/validate-schema.sh" --schema "$PROJECT_DIR/docs/gitlab-report.schema.json" gl.json gl3.json g.gl.json \
	${SAMPLES:+samples/fixture.gl.json samples/gate-fixture.gl.json samples/checks.gl.json samples/gate-checks.gl.json}
validated 'JUnit validates against junit-10.xsd' junit_xsd r.xml g.xml a.xml \
	${SAMPLES:+samples/fixture.junit.xml samples/gate-fixture.junit.xml samples/checks.junit.xml samples/gate-checks.junit.xml}
validated 'CycloneDX from the same run validates against the 1.6 schema' sh "$LIB/validate-schema.sh" sbom.json
validated 'the JSON report from the same run validates against docs/report-schema.json' \
	sh "$LIB/validate-schema.sh" --schema "$PROJECT_DIR/docs/report-schema.json" r.json d.json \
	${SAMPLES:+samples/checks.report.json samples/gate-checks.report.json}

# The schema must refuse what GitLab refuses, or the check above proves nothing.
jq ".scan.start_time = \"2023-11-14T22:13:20Z\"" gl.json >bad1.json
jq ".vulnerabilities[0].severity = \"critical\"" gl.json >bad2.json
jq ".vulnerabilities[0].location.operating_system = \"\"" gl.json >bad3.json
jq ".vulnerabilities[0].identifiers = []" gl.json >bad4.json
gitlab_rejects() {
	for f in bad1.json bad2.json bad3.json bad4.json; do
		sh "$LIB/validate-schema.sh" --schema "$PROJECT_DIR/docs/gitlab-report.schema.json" $f >/dev/null 2>&1
		case $? in
		1) ;;
		77) echo "ajv cannot be installed here"; return 77 ;;
		*) echo "the GitLab schema accepted $f"; return 1 ;;
		esac
	done
}
validated 'the GitLab schema refuses a zone letter, a lowercase severity, an empty OS and no identifiers' gitlab_rejects

test_expect_success 'a bad CUSTOMS_GITLAB_REPORT_VERSION is an error naming it' '
	! CUSTOMS_GITLAB_REPORT_VERSION=15.x "$CUSTOMS" scan -q --db scan.db -o gitlab=bad.json oci:img 2>err &&
	grep -q "CUSTOMS_GITLAB_REPORT_VERSION" err
'

test_done
