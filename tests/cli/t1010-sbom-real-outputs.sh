#!/bin/bash
# customs sbom output formats on the real test image: one inventory in every format, deterministic, validated, atomic.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$TESTS_DIR/lib/images.sh"

require_images 'real image output tests'

target=oci:$IMG_OCI:$IMAGE_TAG
# Quicker to read, for the tests that are not about the content.
layered=$IMAGES_DIR/docker-legacy.tar
rootfs=dir:$IMG_ROOT
manifest_digest=$(jq -r '.manifests[0].digest' "$IMG_OCI/index.json")
export SOURCE_DATE_EPOCH=1700000000
uuid='[0-9a-f]\{8\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{12\}'

# all NAME: every format from one run, the table on standard output.
all() {
	timeout 300 "$CUSTOMS" sbom "$target" -o "json=$1.json" -o "cyclonedx=$1.cdx.json" \
		-o "spdx=$1.spdx.json" -o table >"$1.table" 2>"$1.err" || {
		echo "customs sbom exited with $?:"
		cat "$1.err"
		return 1
	}
}

test_expect_success 'json, cyclonedx, spdx and table from one run' '
	all one && test -s one.json && test -s one.cdx.json && test -s one.spdx.json &&
	grep -q "bash" one.table && grep -q "string-locale-compare" one.table &&
	! grep -q "$IMG_WHITEOUT_NPM" one.table
'

# The purls of each format, one per line, sorted, duplicates kept.
jq -r '.packages[].purl' one.json | LC_ALL=C sort >json-purls

test_expect_success 'CycloneDX lists exactly the packages of the json report' '
	jq -r ".components[] | select(.type != \"operating-system\") | .purl" one.cdx.json |
		LC_ALL=C sort | diff -u json-purls - &&
	test $(wc -l <json-purls) -gt 60
'

test_expect_success 'SPDX lists exactly the packages of the json report' '
	jq -r ".packages[].externalRefs[]? | select(.referenceType == \"purl\") | .referenceLocator" \
		one.spdx.json | LC_ALL=C sort | diff -u json-purls -
'

test_expect_success 'CycloneDX metadata names the image digest, the OS and the tool' '
	jq -e --arg d "$manifest_digest" "[.metadata | .. | strings | contains(\$d)] | any" one.cdx.json &&
	jq -e "[.metadata | .. | strings | test(\"debian\"; \"i\")] | any" one.cdx.json &&
	jq -e "[.metadata | .. | strings | test(\"customs\"; \"i\")] | any" one.cdx.json
'

test_expect_success 'CycloneDX components carry the source package, the layer and the path' '
	diff_id0=$(jq -r ".image.layers[0].diff_id" one.json) &&
	jq -e --arg d "$diff_id0" "[.components[] | select(.name == \"libstdc++6\") | .properties[]?.value] as \$v |
		(\$v | index(\"gcc-12\")) and (\$v | map(contains(\$d)) | any) and
		(\$v | map(test(\"var/lib/dpkg/status\")) | any)" one.cdx.json
'

test_expect_success 'the same image gives the same bytes, apart from serial numbers' '
	all two &&
	for f in json cdx.json spdx.json table; do
		sed "s/$uuid/UUID/g" one.$f >a && sed "s/$uuid/UUID/g" two.$f >b && cmp a b || exit 1
	done
'

# validated NAME VALIDATOR FILE: run a validator of tests/lib; exit 77 there means it cannot run here.
validated() {
	sh "$TESTS_DIR/lib/$2" "$3" >"$3.validation" 2>&1
	rc=$?
	if [ $rc -eq 77 ]; then
		test_skip "$1" "$(tail -n 1 "$3.validation")"
	else
		test_expect_success "$1" "cat '$3.validation'; [ $rc -eq 0 ]"
	fi
}
validated 'CycloneDX output validates against the 1.6 schema' validate-schema.sh one.cdx.json
validated 'SPDX output passes the SPDX validator' validate-spdx.sh one.spdx.json

test_expect_success 'an unwritable output path: exit 2, one line, the other outputs not written' '
	rm -rf outdir && mkdir outdir &&
	test_expect_code 2 timeout 300 "$CUSTOMS" sbom "$rootfs" -o json=outdir/ok.json \
		-o cyclonedx=/nonexistent/dir/bom.json 2>err &&
	one_line_error err && test -z "$(ls -A outdir)"
'

if command -v script >/dev/null 2>&1; then
	test_expect_success 'on a terminal, a progress line shows layers done of the total' '
		script -qec "\"$CUSTOMS\" sbom \"$layered\" -o json=tty.json" /dev/null >tty.out &&
		grep -q "5/5" tty.out
	'
	test_expect_success 'on a terminal, --quiet prints nothing' '
		script -qec "\"$CUSTOMS\" sbom \"$layered\" -o json=tty.json --quiet" /dev/null >tty.out &&
		test ! -s tty.out
	'
else
	test_skip 'progress line on a terminal' 'script(1) is not installed'
fi

test_expect_success 'without a terminal, nothing but the report is printed' '
	timeout 300 "$CUSTOMS" sbom "$rootfs" -o json >stdout.json 2>err &&
	test ! -s err && jq -e ".packages | length > 60" stdout.json
'

test_done
