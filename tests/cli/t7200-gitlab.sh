#!/bin/bash
# The GitLab component and classic template, run for real by gitlab-ci-local in a scratch git repository.
. "$(dirname "$0")/../lib/test-lib.sh"

COMPONENT=$PROJECT_DIR/gitlab/templates/customs/template.yml
CLASSIC=$PROJECT_DIR/gitlab/Customs.gitlab-ci.yml
ARTIFACTS=.gitlab-ci-local/artifacts

for tool in jq git; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		test_skip 'the GitLab jobs' "$tool is not installed (tests/setup-tools.sh installs it)"
		test_done
		exit 0
	fi
done
GCL=$(sh "$TESTS_DIR/lib/gitlab-tools.sh")
case $? in
0) ;;
77)
	test_skip 'the GitLab jobs' 'gitlab-ci-local cannot be installed here (needs npm and rsync)'
	test_done
	exit 0
	;;
*)
	say_fail 'tests/lib/gitlab-tools.sh failed'
	test_done
	exit 1
	;;
esac
if [ ! -x "$CUSTOMS" ]; then
	say_fail "the binary under test $CUSTOMS does not exist"
	test_done
	exit 1
fi

# Nothing from the caller's environment may choose the binary or the checkout: each job says it.
unset CUSTOMS_BIN CUSTOMS_HOME CUSTOMS_INPUT CUSTOMS_IMAGE CUSTOMS_DB CUSTOMS_DB_URL CUSTOMS_FAIL_ON \
	CUSTOMS_FORMATS CUSTOMS_OUTPUT_DIR CUSTOMS_PROVIDER CUSTOMS_GITLAB_REPORT_VERSION CUSTOMS_REPO CUSTOMS_REF
GCL_HOME=$TRASH/gcl-home
mkdir -p "$GCL_HOME"

sh "$TESTS_DIR/demo/mkimage.sh" debian "$TRASH/image.tar" &&
	"$CUSTOMS" db build --output "$TRASH/demo.db" "$TESTS_DIR/demo/osv" >/dev/null || {
	say_fail 'cannot make the demo image and database'
	test_done
	exit 1
}

# new_repo NAME: a git repository holding the demo image, its database and the component where
# GitLab looks for it (templates/customs/template.yml), with the .gitlab-ci.yml read from stdin.
# A loopback origin lets gitlab-ci-local treat `component: ...@$CI_COMMIT_SHA` as this project's own.
new_repo() {
	mkdir "$1" &&
		mkdir -p "$1/templates/customs" "$1/ci" &&
		cp "$TRASH/image.tar" "$TRASH/demo.db" "$1/" &&
		cp "$COMPONENT" "$1/templates/customs/template.yml" &&
		cp "$CLASSIC" "$1/ci/Customs.gitlab-ci.yml" &&
		cat >"$1/.gitlab-ci.yml" &&
		git -C "$1" init -q -b main &&
		git -C "$1" remote add origin http://127.0.0.1/demo/customs.git &&
		git -C "$1" add -A &&
		git -C "$1" -c user.name=test -c user.email=test@localhost commit -qm 'scan the demo image'
}

# run_pipeline DIR [OPTION...]: runs the pipeline; its output goes to DIR.out, its status is returned.
run_pipeline() {
	dir=$1
	shift
	HOME=$GCL_HOME "$GCL" --cwd "$dir" --home "$GCL_HOME" --no-color "$@" >"$dir.out" 2>&1
}

# show DIR: what went on, for a failing check.
show() {
	tail -n 30 "$1.out" >&2
}

# artifact DIR JOB FILE: a published artifact of JOB, where gitlab-ci-local keeps it; $OUTDIR is
# the job's output folder.
OUTDIR=customs-reports
artifact() {
	echo "$1/$ARTIFACTS/$2/$OUTDIR/$3"
}

# reports_declared DIR: the job, as gitlab-ci-local read it, hands GitLab its three reports and
# keeps its artifacts when it fails.
reports_declared() {
	yml=$1/.gitlab-ci-local/expanded-gitlab-ci.yml
	for line in "    when: always" "      container_scanning: $OUTDIR/gl-container-scanning-report.json" \
		"      cyclonedx: $OUTDIR/customs.cdx.json" "      junit: $OUTDIR/customs-junit.xml"; do
		sed -n "/^  artifacts:/,/^  [a-z]/p" "$yml" | grep -qxF "$line" || {
			echo "the artifacts of $yml lack: $line" >&2
			return 1
		}
	done
}

# env_of DIR JOB KEY: a value from the customs.env the core wrote.
env_of() {
	sed -n "s/^$3=//p" "$(artifact "$1" "$2" customs.env)"
}

# reports_published DIR JOB VERSION: the job published every report, and the GitLab one is valid JSON
# declaring VERSION.
reports_published() {
	gl=$(artifact "$1" "$2" gl-container-scanning-report.json)
	jq -e --arg v "$3" '.version == $v and .scan.type == "container_scanning" and
		(.vulnerabilities | length) > 0' "$gl" >/dev/null || {
		echo "bad or missing $gl" >&2
		return 1
	}
	for f in customs-junit.xml customs.cdx.json customs.sarif customs.html customs.json customs.env; do
		test -s "$(artifact "$1" "$2" "$f")" || {
			echo "$2 did not publish $f" >&2
			return 1
		}
	done
	grep -q '<testsuite' "$(artifact "$1" "$2" customs-junit.xml)" &&
		jq -e '.bomFormat == "CycloneDX"' "$(artifact "$1" "$2" customs.cdx.json)" >/dev/null
}

test_expect_success 'the component and the classic template run the same script' '
	sed -n "/^  script:/,/^  artifacts:/p" "$COMPONENT" >component-script &&
	sed -n "/^  script:/,/^  artifacts:/p" "$CLASSIC" >classic-script &&
	test "$(wc -l <component-script)" -gt 10 &&
	diff -u component-script classic-script
'

if command -v shellcheck >/dev/null 2>&1; then
	test_expect_success 'the job script passes shellcheck as POSIX sh' '
		sed -n "/^    - |\$/,/^  artifacts:/p" "$COMPONENT" | sed "1d;\$d" | sed "s/^      //" >job.sh &&
		test "$(wc -l <job.sh)" -gt 10 &&
		shellcheck -s sh job.sh
	'
else
	test_skip 'the job script passes shellcheck as POSIX sh' 'shellcheck is not installed'
fi

test_expect_success 'component, gate fails: the job fails with exit 1 and publishes every report' '
	new_repo fail <<-EOF &&
	include:
	  - local: templates/customs/template.yml
	    inputs:
	      input: image.tar
	      db: demo.db
	      report_version: "15.0.4"
	      customs_home: $PROJECT_DIR
	      customs_bin: $CUSTOMS
	EOF
	if run_pipeline fail; then show fail; echo "the pipeline passed" >&2; false; fi &&
	grep -q "customs-container-scan.*FAIL 1" fail.out &&
	test "$(env_of fail customs-container-scan result)" = fail &&
	test "$(env_of fail customs-container-scan exit_code)" = 1 &&
	reports_published fail customs-container-scan 15.0.4 &&
	reports_declared fail || { show fail; false; }
'

test_expect_success 'component, fail_on none: the job passes and still publishes the reports' '
	new_repo pass <<-EOF &&
	include:
	  - local: templates/customs/template.yml
	    inputs:
	      input: image.tar
	      db: demo.db
	      fail_on: none
	      customs_home: $PROJECT_DIR
	      customs_bin: $CUSTOMS
	EOF
	run_pipeline pass || { show pass; false; } &&
	grep -q "PASS.*customs-container-scan" pass.out &&
	test "$(env_of pass customs-container-scan result)" = pass &&
	reports_published pass customs-container-scan 15.0.7
'

test_expect_success 'component, allow_failure: the gate fails but the pipeline passes' '
	new_repo allowed <<-EOF &&
	include:
	  - local: templates/customs/template.yml
	    inputs:
	      input: image.tar
	      db: demo.db
	      allow_failure: true
	      customs_home: $PROJECT_DIR
	      customs_bin: $CUSTOMS
	EOF
	run_pipeline allowed || { show allowed; false; } &&
	grep -q "WARN.*customs-container-scan" allowed.out &&
	test "$(env_of allowed customs-container-scan result)" = fail &&
	reports_published allowed customs-container-scan 15.0.7
'

test_expect_success 'component, audit: the gate would fail, the job passes and says so' '
	new_repo audit <<-EOF &&
	include:
	  - local: templates/customs/template.yml
	    inputs:
	      input: image.tar
	      db: demo.db
	      audit: true
	      formats: json
	      customs_home: $PROJECT_DIR
	      customs_bin: $CUSTOMS
	EOF
	run_pipeline audit || { show audit; false; } &&
	grep -q "audit: the gate would have failed" audit.out &&
	test "$(env_of audit customs-container-scan result)" = pass &&
	! test -e "$(artifact audit customs-container-scan customs.sarif)" &&
	test -s "$(artifact audit customs-container-scan gl-container-scanning-report.json)" &&
	test -s "$(artifact audit customs-container-scan customs.cdx.json)"
'

test_expect_success 'component include by address, with its own stage and job name' '
	new_repo byname <<-EOF &&
	stages: [build, security]
	include:
	  - component: \$CI_SERVER_FQDN/demo/customs/customs@\$CI_COMMIT_SHA
	    inputs:
	      input: image.tar
	      db: demo.db
	      fail_on: critical
	      only_fixed: true
	      stage: security
	      job_name: scan-demo-image
	      output_dir: scan-reports
	      customs_home: $PROJECT_DIR
	      customs_bin: $CUSTOMS
	EOF
	if run_pipeline byname; then show byname; false; fi &&
	grep -q "scan-demo-image starting shell (security)" byname.out &&
	OUTDIR=scan-reports &&
	reports_declared byname &&
	test "$(env_of byname scan-demo-image result)" = fail &&
	test "$(env_of byname scan-demo-image critical)" = 2 &&
	jq -e ".gate.excluded_unfixed > 0" "$(artifact byname scan-demo-image customs.json)" >/dev/null &&
	reports_published byname scan-demo-image 15.0.7
'

test_expect_success 'component: an input outside the options is refused before anything runs' '
	new_repo badopt <<-EOF &&
	include:
	  - local: templates/customs/template.yml
	    inputs:
	      input: image.tar
	      fail_on: severe
	EOF
	if run_pipeline badopt; then show badopt; false; fi &&
	grep -q "not in the list of allowed options" badopt.out &&
	! test -d badopt/$ARTIFACTS/customs-container-scan
'

test_expect_success 'component: no target is a usage error (exit 2) that says what to set' '
	new_repo notarget <<-EOF &&
	include:
	  - local: templates/customs/template.yml
	    inputs:
	      db: demo.db
	      customs_home: $PROJECT_DIR
	      customs_bin: $CUSTOMS
	EOF
	if run_pipeline notarget; then show notarget; false; fi &&
	grep -q "customs-container-scan.*FAIL 2" notarget.out &&
	grep -q "nothing to scan: set CUSTOMS_INPUT" notarget.out
'

test_expect_success 'component: an input is a value, never shell code' '
	new_repo hostile <<-EOF &&
	include:
	  - local: templates/customs/template.yml
	    inputs:
	      input: "x.tar\\"; touch INJECTED; echo \\"\`touch INJECTED2\`"
	      db: demo.db
	      customs_home: $PROJECT_DIR
	      customs_bin: $CUSTOMS
	EOF
	if run_pipeline hostile; then show hostile; false; fi &&
	grep -q "customs-container-scan.*FAIL 2" hostile.out &&
	grep "cannot open" hostile.out | grep -F "x.tar\"; touch INJECTED; echo" | grep -qF "touch INJECTED2" &&
	! test -e hostile/INJECTED && ! test -e hostile/INJECTED2
'

# db_url: the job downloads the database from a server on 127.0.0.1 into .customs/db/, and the
# next run asks with the cached copy's ETag instead of downloading it again.
if command -v python3 >/dev/null 2>&1; then
	test_expect_success 'component, db_url: the database is downloaded once, then revalidated' '
		mkdir -p root &&
		cp "$TRASH/demo.db" root/demo.db &&
		(unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY &&
			exec python3 "$TESTS_DIR/lib/http-fault-server.py" --root root --port-file server.port \
				--log server.log --lifetime 120 >/dev/null 2>server.err) &
		echo $! >server.pid &&
		for _ in $(seq 50); do test -s server.port && break; sleep 0.1; done &&
		test -s server.port &&
		new_repo dburl <<-EOF &&
		include:
		  - local: templates/customs/template.yml
		    inputs:
		      input: image.tar
		      fail_on: none
		      db_url: http://127.0.0.1:$(cat server.port)/ok/demo.db
		      customs_home: $PROJECT_DIR
		      customs_bin: $CUSTOMS
		EOF
		run_pipeline dburl || { show dburl; false; } &&
		cmp demo.db dburl/.customs/db/customs.db &&
		run_pipeline dburl || { show dburl; false; } &&
		test "$(env_of dburl customs-container-scan result)" = pass &&
		test "$(grep -c "" server.log)" = 2 &&
		sed -n 1p server.log | grep -q " -\$" &&
		! sed -n 2p server.log | grep -q " -\$"
	'
	test -s server.pid && kill "$(cat server.pid)" 2>/dev/null
else
	test_skip 'component, db_url: the database is downloaded once, then revalidated' 'python3 is not installed'
fi

test_expect_success 'classic template, settings as variables: the gate fails on medium' '
	new_repo classic <<-EOF &&
	include:
	  - local: ci/Customs.gitlab-ci.yml
	variables:
	  CUSTOMS_INPUT: image.tar
	  CUSTOMS_DB: demo.db
	  CUSTOMS_FAIL_ON: medium
	  CUSTOMS_REPORT_VERSION: "15.0.6"
	EOF
	if run_pipeline classic --variable "CUSTOMS_HOME=$PROJECT_DIR" --variable "CUSTOMS_BIN=$CUSTOMS"; then
		show classic; false
	fi &&
	grep -q "customs-container-scan.*FAIL 1" classic.out &&
	test "$(env_of classic customs-container-scan result)" = fail &&
	reports_published classic customs-container-scan 15.0.6 &&
	reports_declared classic
'

test_expect_success 'classic template: CUSTOMS_FAIL_ON=none passes' '
	new_repo classicpass <<-EOF &&
	include:
	  - local: ci/Customs.gitlab-ci.yml
	variables:
	  CUSTOMS_INPUT: image.tar
	  CUSTOMS_DB: demo.db
	  CUSTOMS_FAIL_ON: none
	EOF
	run_pipeline classicpass --variable "CUSTOMS_HOME=$PROJECT_DIR" --variable "CUSTOMS_BIN=$CUSTOMS" ||
		{ show classicpass; false; } &&
	test "$(env_of classicpass customs-container-scan result)" = pass &&
	reports_published classicpass customs-container-scan 15.0.7
'

# A consumer project has no Customs checkout: the job clones it from CUSTOMS_REPO at CUSTOMS_REF.
test_expect_success 'classic template without a checkout: Customs is cloned from CUSTOMS_REPO' '
	mkdir -p src/ci &&
	cp "$PROJECT_DIR/ci/customs-ci.sh" src/ci/ &&
	git -C src init -q -b main &&
	git -C src add -A &&
	git -C src -c user.name=test -c user.email=test@localhost commit -qm customs &&
	git -C src tag v0.0.1 &&
	git -C src -c user.name=test -c user.email=test@localhost commit -q --allow-empty -m later &&
	new_repo cloned <<-EOF &&
	include:
	  - local: ci/Customs.gitlab-ci.yml
	variables:
	  CUSTOMS_INPUT: image.tar
	  CUSTOMS_DB: demo.db
	  CUSTOMS_REPO: file://$TRASH/src
	  CUSTOMS_REF: v0.0.1
	EOF
	if run_pipeline cloned --variable "CUSTOMS_BIN=$CUSTOMS"; then show cloned; false; fi &&
	grep -q "fetching Customs v0.0.1" cloned.out &&
	test "$(git -C cloned/.customs/src log -1 --format=%s)" = customs &&
	test "$(env_of cloned customs-container-scan exit_code)" = 1 &&
	reports_published cloned customs-container-scan 15.0.7
'

test_expect_success 'classic template without Customs, or with a wrong CUSTOMS_HOME, says what to set' '
	new_repo nohome <<-EOF &&
	include:
	  - local: ci/Customs.gitlab-ci.yml
	variables:
	  CUSTOMS_INPUT: image.tar
	EOF
	if run_pipeline nohome; then show nohome; false; fi &&
	grep -q "set CUSTOMS_HOME to a Customs checkout" nohome.out &&
	grep -q "customs-container-scan.*FAIL 2" nohome.out &&
	if run_pipeline nohome --variable "CUSTOMS_HOME=$TRASH"; then show nohome; false; fi &&
	grep -q "is not a Customs checkout: it has no ci/customs-ci.sh" nohome.out &&
	grep -q "customs-container-scan.*FAIL 2" nohome.out
'

sh "$TESTS_DIR/lib/validate-schema.sh" --schema "$PROJECT_DIR/docs/gitlab-report.schema.json" \
	"$(artifact fail customs-container-scan gl-container-scanning-report.json)" \
	"$(OUTDIR=scan-reports artifact byname scan-demo-image gl-container-scanning-report.json)" >schema.out 2>&1
case $? in
0) say_ok 'the published GitLab reports validate against docs/gitlab-report.schema.json' ;;
77) test_skip 'the published GitLab reports validate against docs/gitlab-report.schema.json' 'ajv cannot be installed here' ;;
*)
	say_fail 'the published GitLab reports validate against docs/gitlab-report.schema.json'
	sed 's/^/    /' schema.out | tail -n 20
	;;
esac

if have_shared_data && command -v xmllint >/dev/null 2>&1; then
	test_expect_success 'the published JUnit report is valid against junit-10.xsd' '
		xmllint --noout --schema "$SHARED_DATA/schemas/junit/junit-10.xsd" \
			"$(artifact fail customs-container-scan customs-junit.xml)"
	'
else
	test_skip 'the published JUnit report is valid against junit-10.xsd' 'needs ../shared/data and xmllint'
fi

test_done
