#!/bin/sh
# Install the reference validators the SBOM tests use, once, cached under build/: ajv and spdx-tools.
#
# Usage: sh tests/lib/sbom-tools.sh ajv|spdx
# Prints the path of the tool on success. Exits 77 when the tool cannot be
# installed here (no npm, no python3 venv, no network), so callers can skip.
# A second run finds the cache and does nothing, so it works offline.
set -u

project=$(cd "$(dirname "$0")/../.." && pwd)
: "${CUSTOMS_TOOLS_DIR:=$project/build}"
# Pinned so every machine validates with the same rules.
AJV_VERSION=8.17.1
AJV_FORMATS_VERSION=3.0.1
SPDX_TOOLS_VERSION=0.8.5

SKIP=77

install_ajv() {
	dir=$CUSTOMS_TOOLS_DIR/node-tools
	stamp=$dir/.installed-ajv-$AJV_VERSION-$AJV_FORMATS_VERSION
	if [ ! -f "$stamp" ]; then
		command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || {
			echo "sbom-tools: node and npm are not installed" >&2
			exit $SKIP
		}
		mkdir -p "$dir"
		npm install --prefix "$dir" --no-audit --no-fund --loglevel=error \
			"ajv@$AJV_VERSION" "ajv-formats@$AJV_FORMATS_VERSION" >&2 || {
			echo "sbom-tools: npm could not install ajv" >&2
			exit $SKIP
		}
		touch "$stamp"
	fi
	echo "$dir/node_modules"
}

install_spdx() {
	venv=$CUSTOMS_TOOLS_DIR/spdx-venv
	stamp=$venv/.installed-spdx-tools-$SPDX_TOOLS_VERSION
	if [ ! -f "$stamp" ]; then
		command -v python3 >/dev/null 2>&1 || {
			echo "sbom-tools: python3 is not installed" >&2
			exit $SKIP
		}
		rm -rf "$venv"
		python3 -m venv "$venv" >&2 || {
			echo "sbom-tools: python3 cannot make a venv (install python3-venv)" >&2
			rm -rf "$venv"
			exit $SKIP
		}
		"$venv/bin/pip" install --quiet --disable-pip-version-check \
			"spdx-tools==$SPDX_TOOLS_VERSION" >&2 || {
			echo "sbom-tools: pip could not install spdx-tools" >&2
			rm -rf "$venv"
			exit $SKIP
		}
		touch "$stamp"
	fi
	echo "$venv/bin/pyspdxtools"
}

case "${1:-}" in
ajv) install_ajv ;;
spdx) install_spdx ;;
*)
	echo "usage: $0 ajv|spdx" >&2
	exit 2
	;;
esac
