#!/bin/sh
# Validate SPDX 2.3 JSON files with the SPDX project's reference validator (pyspdxtools from spdx-tools).
#
# Usage: sh tests/lib/validate-spdx.sh FILE...
# Exits 0 when every file is valid, 1 when one is not, and 77 when the
# validator cannot be installed here. It lives in a venv under build/.
set -u

here=$(cd "$(dirname "$0")" && pwd)
if [ $# -eq 0 ]; then
	echo "usage: $0 FILE..." >&2
	exit 2
fi
pyspdxtools=$(sh "$here/sbom-tools.sh" spdx) || exit 77
failed=0
for f in "$@"; do
	# pyspdxtools reads the format from the name: it must end in .json.
	case "$f" in
	*.json) ;;
	*)
		echo "validate-spdx: $f: the name must end in .json" >&2
		failed=1
		continue
		;;
	esac
	if "$pyspdxtools" --version SPDX-2.3 -i "$f"; then
		echo "$f: valid"
	else
		failed=1
	fi
done
exit $failed
