#!/bin/sh
# Validate JSON files against a JSON Schema with ajv; by default CycloneDX 1.6 from ../shared/data.
#
# Usage: sh tests/lib/validate-schema.sh [--schema SCHEMA.json] FILE...
# Exits 0 when every file is valid, 1 when one is not, and 77 when the check
# cannot run here (no ../shared/data, or ajv cannot be installed), so that
# tests can report a skip. ajv is installed once into build/node-tools.
set -u

here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/../.." && pwd)
shared=${SHARED_DATA:-${CUSTOMS_SHARED_DATA:-$project/../shared/data}}
schema=$shared/schemas/cyclonedx/bom-1.6.schema.json

if [ "${1:-}" = "--schema" ]; then
	schema=$2
	shift 2
fi
if [ $# -eq 0 ]; then
	echo "usage: $0 [--schema SCHEMA.json] FILE..." >&2
	exit 2
fi
if [ ! -f "$schema" ]; then
	echo "validate-schema: $schema is missing" >&2
	exit 77
fi
modules=$(sh "$here/sbom-tools.sh" ajv) || exit 77
exec node "$here/validate.mjs" "$modules" "$schema" "$@"
