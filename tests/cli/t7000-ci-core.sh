#!/bin/bash
# ci/customs-ci.sh, the entry point every CI integration calls: providers, reports, gate, docker, database cache, hostile inputs.
. "$(dirname "$0")/../lib/test-lib.sh"

CI=$PROJECT_DIR/ci/customs-ci.sh
DEMO=$TESTS_DIR/demo

if ! command -v jq >/dev/null 2>&1; then
	test_skip 'the CI entry point' 'jq is missing (tests/setup-tools.sh installs it)'
	test_done
	exit
fi
if [ ! -x "$CUSTOMS" ]; then
	say_fail "the binary under test $CUSTOMS does not exist"
	test_done
	exit 1
fi

# Nothing from the machine or the CI running these tests may pick a provider, a database or a folder.
unset GITHUB_ACTIONS GITHUB_OUTPUT GITHUB_STEP_SUMMARY GITLAB_CI TF_BUILD RUNNER_TEMP
unset CUSTOMS_DB CUSTOMS_DB_URL CUSTOMS_DB_PUBKEY CUSTOMS_DB_CACHE CUSTOMS_GITLAB_REPORT_VERSION XDG_CACHE_HOME
for v in $(env | sed -n 's/^\(CUSTOMS_[A-Z_]*\)=.*/\1/p'); do
	case "$v" in CUSTOMS | CUSTOMS_TEST_CACHE | CUSTOMS_SHARED_DATA) ;; *) unset "$v" ;; esac
done
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
export HOME=$TRASH/home SOURCE_DATE_EPOCH=1700000000 CUSTOMS_RETRY_BASE_MS=10
mkdir -p "$HOME"
export CUSTOMS_BIN=$CUSTOMS

SERVER_PIDS=
trap 'for p in $SERVER_PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$TRASH"' EXIT
trap 'exit 130' INT TERM

# ci [VAR=VALUE...]: run the entry point with these variables; stdout in out, stderr in err.
ci() { env "$@" sh "$CI" >out 2>err; }
# env_is KEY VALUE: customs.env of reports/ has that line.
env_is() { grep -qx "$1=$2" "${ENV_FILE:-reports/customs.env}"; }
# only_files DIR NAME...: DIR holds exactly these files.
only_files() {
	dir=$1
	shift
	want=$(printf '%s\n' "$@" | LC_ALL=C sort | tr '\n' ' ')
	got=$(ls -A "$dir" | LC_ALL=C sort | tr '\n' ' ')
	[ "$want" = "$got" ] || { echo "in $dir: expected $want, got $got" >&2; return 1; }
}
TALLY_DEBIAN='2 critical, 6 high, 5 medium, 3 low, 2 unknown'

test_expect_success 'set up: the demo database, a failing image, a clean folder' '
	"$CUSTOMS" db build --output demo.db "$DEMO/osv" >/dev/null &&
	sh "$DEMO/mkimage.sh" debian debian.tar &&
	sh "$DEMO/mkimage.sh" alpine alpine.tar &&
	mkdir -p clean/etc && cp "$DEMO/debian/os-release" clean/etc/os-release
'

# ---- the local provider ----

test_expect_success 'local: a failing image exits 1, with the table, the summary, the reports and customs.env' '
	test_expect_code 1 ci CUSTOMS_INPUT=debian.tar CUSTOMS_DB=demo.db &&
	grep -qx "16 vulnerabilities: 2 critical, 6 high, 4 medium, 2 low, 2 unknown" out &&
	grep -qx "customs: gate failed: $TALLY_DEBIAN" out &&
	grep -qx "customs: reports in $PWD/customs-reports: customs.json, customs.sarif, customs.md" out &&
	grep -q "^customs: gate failed: 8 findings at or above high" err &&
	only_files customs-reports customs.env customs.json customs.sarif customs.md &&
	mv customs-reports reports &&
	printf "%s\n" result=fail exit_code=1 critical=2 high=6 medium=5 low=3 unknown=2 total=18 suppressed=0 \
		"json=$PWD/customs-reports/customs.json" "sarif=$PWD/customs-reports/customs.sarif" \
		"markdown=$PWD/customs-reports/customs.md" >want &&
	diff -u want reports/customs.env &&
	jq -e ".gate.passed == false" reports/customs.json &&
	jq -e ".runs[0].results | length > 0" reports/customs.sarif
'

test_expect_success 'local: a clean target passes with exit 0 and zero counts' '
	ci CUSTOMS_INPUT=dir:clean CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=reports &&
	grep -qx "customs: passed: 0 critical, 0 high, 0 medium, 0 low, 0 unknown" out &&
	env_is result pass && env_is exit_code 0 && env_is total 0 && env_is suppressed 0 &&
	test ! -s err
'

test_expect_success 'the gate inputs: fail-on none and critical, fail-on-count, only-fixed' '
	ci CUSTOMS_INPUT=debian.tar CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=reports CUSTOMS_FAIL_ON=none &&
	grep -qx "customs: passed: $TALLY_DEBIAN" out && env_is result pass &&
	test_expect_code 1 ci CUSTOMS_INPUT=alpine.tar CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=reports CUSTOMS_FAIL_ON=critical &&
	grep -q "2 findings at or above critical" err &&
	ci CUSTOMS_INPUT=debian.tar CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=reports CUSTOMS_FAIL_ON=none \
		CUSTOMS_FAIL_ON_COUNT="critical=2  high=6" &&
	test_expect_code 1 ci CUSTOMS_INPUT=debian.tar CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=reports \
		CUSTOMS_FAIL_ON=none CUSTOMS_FAIL_ON_COUNT="critical=2 high=5" &&
	grep -q "6 high findings" err &&
	test_expect_code 1 ci CUSTOMS_INPUT=debian.tar CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=reports CUSTOMS_FAIL_ON=medium \
		CUSTOMS_ONLY_FIXED=true &&
	jq -e ".gate.excluded_unfixed == 4" reports/customs.json &&
	test_expect_code 2 ci CUSTOMS_INPUT=debian.tar CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=reports CUSTOMS_FAIL_ON=severe &&
	one_line_error err && env_is result error && env_is exit_code 2
'

test_expect_success 'audit mode exits 0 and says the gate would have failed' '
	ci CUSTOMS_INPUT=debian.tar CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=reports CUSTOMS_AUDIT=true &&
	grep -qx "customs: audit: the gate would have failed: $TALLY_DEBIAN" out &&
	grep -q "^customs: audit: the gate would have failed: 8 findings" err &&
	env_is result pass && env_is exit_code 0 && env_is critical 2 &&
	jq -e ".gate.audit and .gate.would_fail" reports/customs.json
'

test_expect_success 'every format, each under its fixed name; table is on stdout' '
	test_expect_code 1 ci CUSTOMS_INPUT=debian.tar CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=all \
		CUSTOMS_FORMATS="table, sarif,gitlab junit,cyclonedx,spdx,markdown,html" &&
	only_files all customs.env customs.json customs.sarif gl-container-scanning-report.json \
		customs-junit.xml customs.cdx.json customs.spdx.json customs.md customs.html &&
	for k in json sarif gitlab junit cyclonedx spdx markdown html; do
		grep -q "^$k=$PWD/all/" all/customs.env || exit 1
	done &&
	jq -e ".bomFormat == \"CycloneDX\"" all/customs.cdx.json &&
	jq -e ".spdxVersion == \"SPDX-2.3\"" all/customs.spdx.json &&
	grep -q "^16 vulnerabilities" out
'

test_expect_success 'counts leave suppressed findings out, vulnerabilities and checks alike' '
	printf "{\"ignore\": [{\"id\": \"CVE-2023-38545\", \"reason\": \"not reachable\"}, {\"id\": \"CUS-CFG-001\", \"reason\": \"root is fine here\"}]}\n" >ig.json &&
	test_expect_code 1 ci CUSTOMS_INPUT=debian.tar CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=reports CUSTOMS_IGNORE_FILE=ig.json &&
	grep -qx "customs: gate failed: 1 critical, 6 high, 4 medium, 3 low, 2 unknown (2 suppressed)" out &&
	env_is critical 1 && env_is medium 4 && env_is total 16 && env_is suppressed 2
'

# vex_doc FILE CVE PURL: an OpenVEX document saying the package is not affected.
vex_doc() {
	cat >"$1" <<-VEX
	{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/$2", "author": "test",
	 "timestamp": "2023-11-01T00:00:00Z", "version": 1,
	 "statements": [{"vulnerability": {"name": "$2"}, "products": [{"@id": "$3"}], "status": "not_affected",
	   "justification": "vulnerable_code_not_in_execute_path"}]}
	VEX
}

test_expect_success 'VEX documents (blank- or line-separated), checks and config pass through' '
	vex_doc "v 1.json" CVE-2023-38545 "pkg:deb/debian/libcurl4@7.88.1-10?arch=amd64&distro=debian-12" &&
	vex_doc v2.json CVE-2021-44906 "pkg:npm/minimist@1.2.5" &&
	test_expect_code 1 ci CUSTOMS_INPUT=debian.tar CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=reports CUSTOMS_VEX="v 1.json
v2.json
" &&
	env_is critical 0 && env_is suppressed 2 &&
	test_expect_code 1 ci CUSTOMS_INPUT=debian.tar CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=reports CUSTOMS_VEX=" v2.json  " &&
	env_is critical 1 && env_is suppressed 1 &&
	ci CUSTOMS_INPUT=debian.tar CUSTOMS_OUTPUT_DIR=reports CUSTOMS_CHECKS=config &&
	printf "%s\n" critical=0 high=0 medium=1 low=1 unknown=0 total=2 | diff -u - <(sed -n 3,8p reports/customs.env) &&
	printf "{\"fail-on\": \"critical\"}\n" >cfg.json &&
	test_expect_code 1 ci CUSTOMS_INPUT=alpine.tar CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=reports CUSTOMS_FAIL_ON=none \
		CUSTOMS_CONFIG=cfg.json &&
	grep -q "at or above critical" err
'

test_expect_success 'CUSTOMS_INPUT=- reads the tarball from standard input' '
	test_expect_code 1 env CUSTOMS_INPUT=- CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=reports sh "$CI" <debian.tar >out 2>err &&
	env_is critical 2 && env_is total 18
'

test_expect_success 'a stale report of an earlier run is removed, and an error leaves no counts' '
	test -f reports/customs.json &&
	test_expect_code 3 ci CUSTOMS_INPUT=debian.tar CUSTOMS_DB=missing.db CUSTOMS_OUTPUT_DIR=reports &&
	test ! -e reports/customs.json && test ! -e reports/customs.sarif &&
	printf "result=error\nexit_code=3\n" | diff -u - reports/customs.env &&
	grep -qx "customs: error: the vulnerability database is missing or too old (exit 3)" out
'

test_expect_success 'no database anywhere: exit 3 passed through' '
	test_expect_code 3 ci CUSTOMS_INPUT=debian.tar CUSTOMS_OUTPUT_DIR=reports &&
	env_is exit_code 3 && grep -q "^customs: " err
'

# A stand-in binary writes a report laid out unlike customs' own, to check that the counts come
# from the JSON structure: one line, keys reordered, braces, quotes and key names inside strings.
# FAKE_CUT=N keeps only the first N bytes of it.
cat >fake-customs <<'EOF'
#!/bin/sh
for a; do case "$a" in json=*) out=${a#json=} ;; esac; done
{
	printf '%s' '{"warnings":["a \"findings\": [{\"severity\": \"critical\"}"],"summary":{"critical":9},'
	printf '%s' '"findings":[{"suppressed":{"by":"vex","reason":"}{"},"severity":"critical"},'
	printf '%s' '{"id":"x\\","package":{"severity":"critical","suppressed":true},"severity":"high"},'
	printf '%s' '{"severity":"low","title":"\"suppressed\": 1 ] }"}, {"severity" : "bogus"}],'
	printf '%s\n' '"gate":{"would_fail":true},"checks":{"findings":[{"severity":"medium"},'
	printf '%s\n' '{"severity":"low","suppressed":{"by":"ignore"}}]},"schema":"customs-report/1"}'
} | head -c "${FAKE_CUT:-100000}" >"$out"
exit "${FAKE_EXIT:-0}"
EOF
chmod +x fake-customs

test_expect_success 'counts follow the JSON structure, whatever the layout and the strings' '
	ci CUSTOMS_BIN="$PWD/fake-customs" CUSTOMS_INPUT=x.tar CUSTOMS_OUTPUT_DIR=fake &&
	printf "%s\n" result=pass exit_code=0 critical=0 high=1 medium=1 low=1 unknown=1 total=4 suppressed=2 \
		"json=$PWD/fake/customs.json" | diff -u - fake/customs.env &&
	grep -qx "customs: audit: the gate would have failed: 0 critical, 1 high, 1 medium, 1 low, 1 unknown (2 suppressed)" out &&
	for cut in 0 150 300 420; do
		test_expect_code 1 ci CUSTOMS_BIN="$PWD/fake-customs" FAKE_CUT=$cut FAKE_EXIT=1 CUSTOMS_INPUT=x.tar \
			CUSTOMS_OUTPUT_DIR=fake || exit 1
		grep -q "^customs-ci: warning: cannot read the counts" err || exit 1
		grep -qx "customs: gate failed: the counts are unknown (see the report)" out || exit 1
		printf "result=fail\nexit_code=1\njson=$PWD/fake/customs.json\n" | diff -u - fake/customs.env || exit 1
	done
'

# ---- providers ----

test_expect_success 'github: outputs and step summary appended, markdown always written' '
	echo "# earlier step" >summary.md && echo "earlier=1" >output &&
	test_expect_code 1 ci GITHUB_ACTIONS=true GITHUB_OUTPUT=output GITHUB_STEP_SUMMARY=summary.md \
		CUSTOMS_INPUT=debian.tar CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=gh CUSTOMS_FORMATS=sarif &&
	test -s gh/customs.md &&
	{ echo "earlier=1"; cat gh/customs.env; } | diff -u - output &&
	grep -qx "result=fail" output && grep -qx "critical=2" output &&
	grep -qx "sarif=$PWD/gh/customs.sarif" output && grep -qx "markdown=$PWD/gh/customs.md" output &&
	{ echo "# earlier step"; cat gh/customs.md; } | diff -u - summary.md
'

test_expect_success 'github: a passing scan, and a failed one without a report' '
	: >output && : >summary.md &&
	ci GITHUB_ACTIONS=true GITHUB_OUTPUT=output GITHUB_STEP_SUMMARY=summary.md \
		CUSTOMS_INPUT=dir:clean CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=gh &&
	grep -qx "result=pass" output && grep -qx "high=0" output && cmp gh/customs.md summary.md &&
	: >output && : >summary.md &&
	test_expect_code 3 ci GITHUB_ACTIONS=true GITHUB_OUTPUT=output GITHUB_STEP_SUMMARY=summary.md \
		CUSTOMS_INPUT=dir:clean CUSTOMS_DB=missing.db CUSTOMS_OUTPUT_DIR=gh &&
	grep -qx "result=error" output && grep -qx "exit_code=3" output && grep -q "exit code 3" summary.md
'

test_expect_success 'gitlab: the container scanning report (version 15.0.7) and JUnit, and where they are' '
	test_expect_code 1 ci GITLAB_CI=true CUSTOMS_INPUT=debian.tar CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=gl &&
	jq -e ".version == \"15.0.7\" and (.vulnerabilities | length == 16) and .scan.type == \"container_scanning\"" \
		gl/gl-container-scanning-report.json &&
	grep -qx "customs: gitlab report: $PWD/gl/gl-container-scanning-report.json" out &&
	grep -qx "customs: junit report: $PWD/gl/customs-junit.xml" out &&
	grep -q "<testsuites" gl/customs-junit.xml &&
	if command -v xmllint >/dev/null 2>&1; then xmllint --noout gl/customs-junit.xml; fi &&
	CUSTOMS_GITLAB_REPORT_VERSION=15.2.1 ci GITLAB_CI=true CUSTOMS_INPUT=dir:clean CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=gl &&
	jq -e ".version == \"15.2.1\" and .vulnerabilities == []" gl/gl-container-scanning-report.json
'

test_expect_success 'azure: variables, SARIF artifact, JUnit results and a failed task' '
	test_expect_code 1 ci TF_BUILD=True CUSTOMS_INPUT=debian.tar CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=az \
		CUSTOMS_FORMATS=sarif,junit &&
	grep "^##vso" out >vso &&
	cat >want <<-EOF &&
	##vso[task.setvariable variable=customsResult]fail
	##vso[task.setvariable variable=customsExitCode]1
	##vso[task.setvariable variable=customsCritical]2
	##vso[task.setvariable variable=customsHigh]6
	##vso[task.setvariable variable=customsMedium]5
	##vso[task.setvariable variable=customsLow]3
	##vso[task.setvariable variable=customsUnknown]2
	##vso[task.setvariable variable=customsTotal]18
	##vso[task.setvariable variable=customsSuppressed]0
	##vso[artifact.upload containerfolder=CodeAnalysisLogs;artifactname=CodeAnalysisLogs]$PWD/az/customs.sarif
	##vso[results.publish type=JUnit;runTitle=Customs]$PWD/az/customs-junit.xml
	##vso[task.logissue type=error]Customs gate failed: $TALLY_DEBIAN
	##vso[task.complete result=Failed;]Customs gate failed
	EOF
	diff -u want vso
'

test_expect_success 'azure: a pass completes nothing; audit mode succeeds with issues' '
	ci TF_BUILD=True CUSTOMS_INPUT=dir:clean CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=az &&
	grep -qx "##vso\[task.setvariable variable=customsResult\]pass" out && ! grep -q "task.complete\|logissue" out &&
	ci TF_BUILD=True CUSTOMS_INPUT=debian.tar CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=az CUSTOMS_AUDIT=yes &&
	grep -qx "##vso\[task.complete result=SucceededWithIssues;\]Customs audit: the gate would have failed" out &&
	! grep -q "result=Failed" out
'

test_expect_success 'CUSTOMS_PROVIDER forces a provider; a bad one is a usage error' '
	test_expect_code 1 ci GITHUB_ACTIONS=true CUSTOMS_PROVIDER=azure CUSTOMS_INPUT=debian.tar CUSTOMS_DB=demo.db \
		CUSTOMS_OUTPUT_DIR=pv CUSTOMS_FORMATS=sarif &&
	grep -q "^##vso\[task.complete result=Failed;\]" out && test ! -e pv/customs.md &&
	test_expect_code 2 ci CUSTOMS_PROVIDER=jenkins CUSTOMS_INPUT=debian.tar CUSTOMS_DB=demo.db &&
	one_line_error err && grep -q "^customs-ci: CUSTOMS_PROVIDER must be" err
'

# ---- docker ----

mkdir -p fakebin tools
cat >fakebin/docker <<'EOF'
#!/bin/sh
# A stand-in for docker: records its arguments and "saves" $FAKE_DOCKER_TAR to the -o file.
printf '%s\n' "$@" >"$FAKE_DOCKER_ARGS"
out=
while [ $# -gt 0 ]; do
	case "$1" in -o | --output) out=$2; shift ;; esac
	shift
done
if [ -n "${FAKE_DOCKER_SLEEP:-}" ]; then
	trap 'kill "$nap"; exit 143' TERM
	sleep "$FAKE_DOCKER_SLEEP" &
	nap=$!
	wait "$nap"
fi
[ -n "${FAKE_DOCKER_FAIL:-}" ] && { echo "Error response from daemon: no such image" >&2; exit 1; }
cp "$FAKE_DOCKER_TAR" "$out"
EOF
chmod +x fakebin/docker
# A PATH with what the script needs and no docker (the machine may have a real one).
for t in tr sed mkdir mktemp rm cat awk dirname sleep env ln; do
	p=$(command -v "$t") && case "$p" in /*) ln -sf "$p" tools/ ;; esac
done

test_expect_success 'CUSTOMS_IMAGE: docker save REF -o TMP.tar, scanned, then removed' '
	mkdir -p tmp &&
	test_expect_code 1 ci PATH="$PWD/fakebin:$PATH" TMPDIR="$PWD/tmp" FAKE_DOCKER_ARGS="$PWD/args" \
		FAKE_DOCKER_TAR="$PWD/debian.tar" CUSTOMS_IMAGE="customs-demo/debian:12" CUSTOMS_DB=demo.db \
		CUSTOMS_OUTPUT_DIR=reports &&
	test "$(sed -n 1,3p args | tr "\n" " ")" = "save customs-demo/debian:12 -o " &&
	tarpath=$(sed -n 4p args) && case "$tarpath" in "$PWD"/tmp/customs-ci.*.*/image.tar) ;; *) exit 1 ;; esac &&
	test "$(grep -c "" args)" = 4 && test ! -e "$tarpath" && test -z "$(ls -A tmp)" &&
	env_is critical 2 && grep -q "^customs-ci: docker save customs-demo/debian:12" err &&
	jq -e ".target.repo_tags == [\"customs-demo/debian:12\"]" reports/customs.json
'

test_expect_success 'CUSTOMS_IMAGE: a failing docker save is exit 2' '
	test_expect_code 2 ci PATH="$PWD/fakebin:$PATH" FAKE_DOCKER_ARGS="$PWD/args" FAKE_DOCKER_FAIL=1 \
		CUSTOMS_IMAGE=nope:1 CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=reports &&
	grep -qx "customs-ci: cannot read image '"'"'nope:1'"'"': docker save failed (exit 1)" err
'

test_expect_success 'CUSTOMS_IMAGE without docker: exit 2, one line' '
	test_expect_code 2 env PATH="$PWD/tools" CUSTOMS_IMAGE=alpine:3.19 CUSTOMS_DB=demo.db /bin/sh "$CI" >out 2>err &&
	one_line_error err &&
	grep -qx "customs-ci: cannot read image '"'"'alpine:3.19'"'"': no docker here, and registry references are not supported yet; pass a tarball with CUSTOMS_INPUT" err
'

test_expect_success 'SIGTERM during docker save: exit 143, the temporary folder is gone' '
	{ mkdir -p tmp2 && rm -f args || exit 1; }
	env PATH="$PWD/fakebin:$PATH" TMPDIR="$PWD/tmp2" FAKE_DOCKER_ARGS="$PWD/args" FAKE_DOCKER_SLEEP=20 \
		FAKE_DOCKER_TAR="$PWD/debian.tar" CUSTOMS_IMAGE=slow:1 CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=reports \
		sh "$CI" >out 2>err &
	pid=$! &&
	for _ in $(seq 50); do [ -s args ] && [ -n "$(ls -A tmp2)" ] && break; sleep 0.1; done &&
	test -n "$(ls -A tmp2)" &&
	kill -TERM "$pid" && start=$(date +%s) &&
	{ wait "$pid"; rc=$?; } && test "$rc" = 143 &&
	test $(($(date +%s) - start)) -lt 10 && test -z "$(ls -A tmp2)"
'

# ---- usage errors of the script itself ----

test_expect_success 'both inputs, or neither: exit 2, one line' '
	test_expect_code 2 ci CUSTOMS_INPUT=debian.tar CUSTOMS_IMAGE=x:1 && one_line_error err &&
	grep -q "^customs-ci: set only one of CUSTOMS_INPUT" err &&
	test_expect_code 2 ci && one_line_error err && grep -q "^customs-ci: nothing to scan" err &&
	test_expect_code 2 ci CUSTOMS_INPUT= CUSTOMS_IMAGE= && one_line_error err &&
	test_expect_code 2 sh "$CI" extra-argument 2>err && one_line_error err
'

test_expect_success 'bad values: a boolean, a format, a line break in the output folder' '
	test_expect_code 2 ci CUSTOMS_INPUT=debian.tar CUSTOMS_AUDIT=maybe && one_line_error err &&
	grep -qx "customs-ci: CUSTOMS_AUDIT must be true or false, not '"'"'maybe'"'"'" err &&
	test_expect_code 2 ci CUSTOMS_INPUT=debian.tar CUSTOMS_FORMATS=sarif,pdf && one_line_error err &&
	grep -q "^customs-ci: unknown format '"'"'pdf'"'"'" err &&
	test_expect_code 2 ci CUSTOMS_INPUT=debian.tar CUSTOMS_OUTPUT_DIR="a
b" && one_line_error err && test ! -e a && test ! -e "a
b"
'

test_expect_success 'a missing CUSTOMS_BIN: exit 2, one line' '
	test_expect_code 2 ci CUSTOMS_BIN="$PWD/no/customs" CUSTOMS_INPUT=debian.tar CUSTOMS_DB=demo.db &&
	one_line_error err && grep -q "^customs-ci: CUSTOMS_BIN .*no/customs.* is not an executable file" err &&
	test_expect_code 2 ci CUSTOMS_BIN=demo.db CUSTOMS_INPUT=debian.tar && one_line_error err &&
	mkdir -p onpath && ln -sf "$CUSTOMS" onpath/customs-under-test &&
	test_expect_code 1 ci PATH="$PWD/onpath:$PATH" CUSTOMS_BIN=customs-under-test CUSTOMS_INPUT=debian.tar \
		CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=reports && env_is critical 2
'

test_expect_success 'without CUSTOMS_BIN and CUSTOMS_HOME: the build/customs of the checkout holding the script' '
	mkdir -p checkout/ci checkout/build && cp "$CI" checkout/ci/ && ln -sf "$CUSTOMS" checkout/build/customs &&
	test_expect_code 1 env -u CUSTOMS_BIN PATH="$PWD/tools" CUSTOMS_INPUT=debian.tar CUSTOMS_DB=demo.db \
		CUSTOMS_OUTPUT_DIR=reports /bin/sh checkout/ci/customs-ci.sh >out 2>err &&
	env_is critical 2 && ! grep -q building err
'

test_expect_success 'no binary anywhere: build.sh of CUSTOMS_HOME runs, else exit 2' '
	mkdir -p home1 home2 &&
	test_expect_code 2 env -u CUSTOMS_BIN PATH="$PWD/tools" CUSTOMS_HOME="$PWD/home1" CUSTOMS_INPUT=debian.tar \
		/bin/sh "$CI" >out 2>err &&
	one_line_error err && grep -q "^customs-ci: no customs binary" err &&
	printf "#!/bin/sh\necho building >&2\nmkdir -p \"\$(dirname \"\$0\")/build\" && ln -s \"%s\" \"\$(dirname \"\$0\")/build/customs\"\n" \
		"$CUSTOMS" >home2/build.sh && chmod +x home2/build.sh &&
	test_expect_code 1 env -u CUSTOMS_BIN PATH="$PWD/tools" CUSTOMS_HOME="$PWD/home2" CUSTOMS_INPUT=debian.tar \
		CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=reports /bin/sh "$CI" >out 2>err &&
	grep -q "^customs-ci: no customs binary .*building it with $PWD/home2/build.sh" err &&
	grep -qx building err && grep -qx "customs: gate failed: $TALLY_DEBIAN" out &&
	test_expect_code 1 env -u CUSTOMS_BIN PATH="$PWD/tools" CUSTOMS_HOME="$PWD/home2" CUSTOMS_INPUT=debian.tar \
		CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=reports /bin/sh "$CI" >out 2>err &&
	! grep -q building err &&
	printf "#!/bin/sh\nexit 7\n" >home1/build.sh && chmod +x home1/build.sh &&
	test_expect_code 2 env -u CUSTOMS_BIN PATH="$PWD/tools" CUSTOMS_HOME="$PWD/home1" CUSTOMS_INPUT=debian.tar \
		/bin/sh "$CI" >out 2>err &&
	grep -q "^customs-ci: building customs with .* failed (exit 7)" err
'

# ---- hostile values: used as words, never as shell text ----

H='sp ace "dq" '\''sq'\'' $(touch pwned) `touch pwned2`; touch pwned3 &'
test_expect_success 'hostile input, output folder and ignore file names: nothing runs' '
	mkdir -p "in $H" &&
	cp debian.tar "in $H/$H.tar" &&
	printf "{\"ignore\": [{\"id\": \"CVE-2023-38545\", \"reason\": \"test\"}]}\n" >"ig $H.json" &&
	test_expect_code 2 ci CUSTOMS_INPUT="in $H/$H.tar" CUSTOMS_OUTPUT_DIR="out $H" CUSTOMS_IGNORE_FILE="ig $H.json" \
		CUSTOMS_DB=demo.db CUSTOMS_FAIL_ON_COUNT="$H" CUSTOMS_FORMATS=sarif,gitlab &&
	test ! -e pwned && test ! -e pwned2 && test ! -e pwned3 && grep -q "fail-on-count" err &&
	test_expect_code 1 ci CUSTOMS_INPUT="in $H/$H.tar" CUSTOMS_OUTPUT_DIR="out $H" CUSTOMS_IGNORE_FILE="ig $H.json" \
		CUSTOMS_DB=demo.db CUSTOMS_FORMATS=sarif,gitlab CUSTOMS_VEX= CUSTOMS_DOCKERFILE= &&
	test ! -e pwned && test ! -e pwned2 && test ! -e pwned3 &&
	ENV_FILE="out $H/customs.env" env_is suppressed 1 &&
	ENV_FILE="out $H/customs.env" env_is sarif "$PWD/out $H/customs.sarif" &&
	test -s "out $H/gl-container-scanning-report.json" &&
	test_expect_code 2 ci CUSTOMS_INPUT="$H" CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=reports &&
	test_expect_code 2 ci CUSTOMS_IMAGE="-$H" CUSTOMS_DB=demo.db && one_line_error err &&
	test_expect_code 2 ci CUSTOMS_INPUT="--help" CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=reports &&
	test_expect_code 2 ci PATH="$PWD/fakebin:$PATH" FAKE_DOCKER_ARGS="$PWD/args" FAKE_DOCKER_FAIL=1 \
		CUSTOMS_IMAGE="x\$(touch pwned)" CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=reports &&
	test "$(sed -n 2p args)" = "x\$(touch pwned)" &&
	test ! -e pwned && test ! -e pwned2 && test ! -e pwned3
'

# ---- the database from CUSTOMS_DB_URL, cached ----

# start_server NAME: serve root/ on 127.0.0.1; the port lands in NAME.port.
start_server() {
	python3 "$TESTS_DIR/lib/http-fault-server.py" --root root --port-file "$1.port" --log "$1.log" >/dev/null 2>"$1.err" &
	SERVER_PIDS="$SERVER_PIDS $!"
	for _ in $(seq 50); do
		[ -s "$1.port" ] && return 0
		sleep 0.1
	done
	cat "$1.err" >&2
	return 1
}

if ! command -v python3 >/dev/null 2>&1; then
	test_skip 'CUSTOMS_DB_URL and the cache' 'python3 is missing'
elif ! { mkdir -p root && cp demo.db root/demo.db && start_server http; }; then
	say_fail 'start the http server'
else
	URL=http://127.0.0.1:$(cat http.port)
	test_expect_success 'CUSTOMS_DB_URL: downloaded into CUSTOMS_DB_CACHE, then reused (304)' '
		test_expect_code 1 ci CUSTOMS_DB_URL="$URL/ok/demo.db" CUSTOMS_DB_CACHE="$PWD/cache dir" \
			CUSTOMS_INPUT=debian.tar CUSTOMS_OUTPUT_DIR=reports &&
		cmp demo.db "cache dir/customs.db" && env_is critical 2 &&
		grep -q "^updated from" out &&
		test_expect_code 1 ci CUSTOMS_DB_URL="$URL/ok/demo.db" CUSTOMS_DB_CACHE="$PWD/cache dir" \
			CUSTOMS_INPUT=debian.tar CUSTOMS_OUTPUT_DIR=reports &&
		grep -q "database is up to date" out &&
		test "$(grep -c "GET /ok/demo.db" http.log)" = 2 &&
		test "$(tail -n 1 http.log | cut -d" " -f3)" != - &&
		env_is critical 2
	'
	test_expect_success 'CUSTOMS_DB_URL: the default cache is under XDG_CACHE_HOME, else HOME' '
		test_expect_code 1 ci CUSTOMS_DB_URL="$URL/ok/demo.db" XDG_CACHE_HOME="$PWD/xdg" \
			CUSTOMS_INPUT=debian.tar CUSTOMS_OUTPUT_DIR=reports &&
		cmp demo.db xdg/customs/db/customs.db &&
		test_expect_code 1 ci CUSTOMS_DB_URL="$URL/ok/demo.db" CUSTOMS_INPUT=debian.tar CUSTOMS_OUTPUT_DIR=reports &&
		cmp demo.db "$HOME/.cache/customs/db/customs.db"
	'
	test_expect_success 'CUSTOMS_DB_URL: a server down falls back on the cache, else exit 3' '
		test_expect_code 1 ci CUSTOMS_DB_URL="$URL/500/demo.db" CUSTOMS_DB_CACHE="$PWD/cache dir" \
			CUSTOMS_INPUT=debian.tar CUSTOMS_OUTPUT_DIR=reports &&
		grep -q "^customs-ci: warning: the database update failed (exit 3); scanning with the cached copy" err &&
		env_is critical 2 &&
		test_expect_code 3 ci CUSTOMS_DB_URL="$URL/500/demo.db" CUSTOMS_DB_CACHE="$PWD/empty cache" \
			CUSTOMS_INPUT=debian.tar CUSTOMS_OUTPUT_DIR=reports &&
		grep -q "^customs-ci: the database update from CUSTOMS_DB_URL failed (exit 3)" err &&
		test_expect_code 2 ci CUSTOMS_DB_URL="$URL/ok/demo.db" CUSTOMS_DB_CACHE="$PWD/demo.db" \
			CUSTOMS_INPUT=debian.tar CUSTOMS_OUTPUT_DIR=reports && one_line_error err
	'
fi

# ---- the script itself ----

test_expect_success 'the script runs the same under bash and busybox sh, when they are here' '
	for shell in bash "busybox sh"; do
		command -v ${shell%% *} >/dev/null 2>&1 || continue
		test_expect_code 1 env CUSTOMS_INPUT=debian.tar CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=other \
			$shell "$CI" >out 2>err || exit 1
		grep -qx "customs: gate failed: $TALLY_DEBIAN" out || exit 1
		sed "s#/other/#/reports/#" other/customs.env >other.env &&
		test_expect_code 1 ci CUSTOMS_INPUT=debian.tar CUSTOMS_DB=demo.db CUSTOMS_OUTPUT_DIR=reports &&
		diff -u reports/customs.env other.env || exit 1
	done
'

if command -v shellcheck >/dev/null 2>&1; then
	test_expect_success 'shellcheck -s sh finds nothing in ci/' '
		set -- "$PROJECT_DIR"/ci/*.sh &&
		if [ -f "$PROJECT_DIR/ci/pre-push" ]; then set -- "$@" "$PROJECT_DIR/ci/pre-push"; fi &&
		shellcheck -s sh "$@"
	'
else
	test_skip 'shellcheck -s sh finds nothing in ci/' 'shellcheck is missing (tests/setup-tools.sh installs it)'
fi

test_done
