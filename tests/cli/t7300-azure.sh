#!/bin/bash
# The Azure Pipelines integration: the CustomsScan task under the task library's MockTestRunner, task.json against its schema, the YAML template, and the .vsix.
. "$(dirname "$0")/../lib/test-lib.sh"

AZP=$PROJECT_DIR/azure-pipelines

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	test_skip 'the Azure Pipelines task' 'node and npm are not installed'
	test_done
	exit 0
fi
if [ ! -x "$CUSTOMS" ]; then
	say_fail "the binary under test $CUSTOMS does not exist"
	test_done
	exit 1
fi
tools=$(sh "$TESTS_DIR/lib/azure-tools.sh")
rc=$?
if [ "$rc" -eq 77 ]; then
	test_skip 'the Azure Pipelines task' 'npm cannot install azure-pipelines-task-lib, mocha and tfx-cli here'
	test_done
	exit 0
elif [ "$rc" -ne 0 ]; then
	say_fail "tests/lib/azure-tools.sh failed with exit code $rc"
	test_done
	exit 1
fi
TOOLS=$tools/tools/node_modules

# A copy of the folder with the task's runtime dependencies in place, as a release packages it.
cp -R "$AZP" azp
cp -R "$tools/task/node_modules" azp/CustomsScan/node_modules

# Each mocha test is one line here: its TAP "ok"/"not ok" becomes ours, with the failure indented.
NODE_PATH=$TOOLS CUSTOMS_PROJECT_DIR=$PROJECT_DIR CUSTOMS_BIN='' \
	"$TOOLS/.bin/mocha" --reporter tap --timeout 120000 'azp/CustomsScan/tests/*.test.js' >mocha.tap 2>&1
mocha_rc=$?
failing=
while IFS= read -r line; do
	case "$line" in
	'ok '*'# SKIP'*)
		name=${line#ok * }
		test_skip "${name%% # SKIP*}" 'skipped by the suite: no ../shared/data, js-yaml or ci/customs-ci.sh'
		failing=
		;;
	'ok '*)
		say_ok "${line#ok * }"
		failing=
		;;
	'not ok '*)
		say_fail "${line#not ok * }"
		failing=1
		;;
	'#'* | 'TAP version'* | [0-9]*..[0-9]*) failing= ;;
	*) [ -z "$failing" ] || printf '    %s\n' "$line" ;;
	esac
done <mocha.tap
if [ "$mocha_rc" -ne 0 ] && [ "$test_fail" -eq 0 ]; then
	say_fail "mocha exited with $mocha_rc without a failing test"
	sed 's/^/    /' mocha.tap | tail -n 40
fi
if ! grep -q '^ok ' mocha.tap; then
	say_fail 'mocha ran no test'
fi

test_expect_success 'tfx extension create packages a .vsix with the task and its dependencies' '
	(cd azp && "$TOOLS/.bin/tfx" extension create --manifest-globs vss-extension.json \
		--output-path "$TRASH/vsix/customs-scan.vsix" --no-prompt) >tfx.out 2>&1 || { cat tfx.out; false; } &&
	test -s vsix/customs-scan.vsix &&
	if command -v python3 >/dev/null 2>&1; then
		python3 -m zipfile -l vsix/customs-scan.vsix >list &&
		for f in extension.vsixmanifest extension.vsomanifest CustomsScan/task.json CustomsScan/index.js \
			CustomsScan/node_modules/azure-pipelines-task-lib/task.js images/icon.png; do
			grep -q "^$f " list || { echo "the .vsix has no $f" >&2; cat list >&2; return 1; }
		done
	fi
'

test_done
