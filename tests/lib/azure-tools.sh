#!/bin/sh
# Install what the Azure Pipelines tests need, once, cached under build/: the task's own dependencies and pinned mocha, ajv-draft-04, js-yaml and tfx-cli.
#
# Usage: sh tests/lib/azure-tools.sh
# Prints the cache folder DIR: DIR/task/node_modules holds the task's runtime dependencies, installed
# with `npm ci` from azure-pipelines/CustomsScan/package-lock.json (what a release ships in the .vsix);
# DIR/tools/node_modules holds the test tools (.bin/mocha, .bin/tfx, ajv-draft-04, js-yaml).
# Exits 77 when they cannot be installed here (no node or npm, no network), so callers can skip.
# A second run finds the cache and does nothing, so it works offline.
set -u

project=$(cd "$(dirname "$0")/../.." && pwd)
: "${CUSTOMS_TOOLS_DIR:=$project/build}"
# Pinned so every machine tests with the same tools; mocha matches the task's devDependency.
MOCHA_VERSION=11.7.5
AJV_VERSION=8.17.1
AJV_DRAFT04_VERSION=1.0.0
JS_YAML_VERSION=4.1.0
TFX_VERSION=0.23.1

SKIP=77
dir=$CUSTOMS_TOOLS_DIR/azure-tools
task=$project/azure-pipelines/CustomsScan

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "azure-tools: node and npm are not installed" >&2
	exit $SKIP
fi

# The task's dependencies: reinstalled whenever its lockfile changes.
lock_sum=$(cksum <"$task/package-lock.json" | cut -d' ' -f1)
stamp=$dir/task/.installed-$lock_sum
if [ ! -f "$stamp" ]; then
	rm -rf "$dir/task"
	mkdir -p "$dir/task"
	cp "$task/package.json" "$task/package-lock.json" "$dir/task/"
	(cd "$dir/task" && npm ci --omit=dev --no-audit --no-fund --loglevel=error >&2) || {
		echo "azure-tools: npm ci could not install the task's dependencies" >&2
		rm -rf "$dir/task"
		exit $SKIP
	}
	touch "$stamp"
fi

stamp=$dir/tools/.installed-$MOCHA_VERSION-$AJV_VERSION-$AJV_DRAFT04_VERSION-$JS_YAML_VERSION-$TFX_VERSION
if [ ! -f "$stamp" ]; then
	rm -rf "$dir/tools"
	mkdir -p "$dir/tools"
	npm install --prefix "$dir/tools" --no-audit --no-fund --loglevel=error \
		"mocha@$MOCHA_VERSION" "ajv@$AJV_VERSION" "ajv-draft-04@$AJV_DRAFT04_VERSION" \
		"js-yaml@$JS_YAML_VERSION" "tfx-cli@$TFX_VERSION" >&2 || {
		echo "azure-tools: npm could not install mocha, ajv-draft-04, js-yaml and tfx-cli" >&2
		rm -rf "$dir/tools"
		exit $SKIP
	}
	touch "$stamp"
fi
echo "$dir"
