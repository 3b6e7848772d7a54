#!/bin/bash
# The command line itself: help, version, usage errors and their exit codes.
. "$(dirname "$0")/../lib/test-lib.sh"

test_expect_success 'customs --version names customs and every linked library' '
	"$CUSTOMS" --version >out &&
	head -n 1 out | grep -Eq "^customs [0-9]+\.[0-9]+\.[0-9]+$" &&
	for lib in libarchive libcurl mbedtls cJSON zlib zstd; do
		grep -Eq "^  $lib [0-9]" out || { echo "missing $lib" >&2; exit 1; }
	done
'

test_expect_success 'customs version is the same as --version' '
	"$CUSTOMS" version >a && "$CUSTOMS" --version >b && cmp a b
'

test_expect_success 'customs --help lists the commands and the exit codes' '
	"$CUSTOMS" --help >out &&
	grep -q "^  sbom " out && grep -q "^  version " out && grep -q "2 usage error or bad input" out
'

test_expect_success 'no command at all is a usage error' '
	test_expect_code 2 "$CUSTOMS" 2>err && grep -q "^usage: customs" err
'

test_expect_success 'an unknown command exits 2 with one line' '
	test_expect_code 2 "$CUSTOMS" frobnicate 2>err && one_line_error err &&
	grep -q "unknown command .frobnicate." err
'

test_expect_success 'sbom without a target exits 2 with one line' '
	test_expect_code 2 "$CUSTOMS" sbom 2>err && one_line_error err && grep -q "missing TARGET" err
'

test_expect_success 'sbom with an unknown option exits 2 with one line' '
	test_expect_code 2 "$CUSTOMS" sbom --frob x 2>err && one_line_error err && grep -q -- "--frob" err
'

test_expect_success 'sbom -o help lists every format' '
	"$CUSTOMS" sbom -o help >out &&
	for f in table json cyclonedx spdx; do grep -q "^  $f " out || exit 1; done
'

test_expect_success 'an unknown output format exits 2 before reading anything' '
	test_expect_code 2 "$CUSTOMS" sbom -o xml=out.xml /nonexistent 2>err && one_line_error err &&
	grep -q "unknown output format .xml." err && test ! -e out.xml
'

test_expect_success 'two outputs to standard output are refused' '
	test_expect_code 2 "$CUSTOMS" sbom -o json -o spdx dir:. 2>err && one_line_error err
'

test_expect_success 'a size that is not a size is refused' '
	test_expect_code 2 "$CUSTOMS" sbom --max-layer-size 12Q dir:. 2>err && one_line_error err &&
	grep -q "invalid size .12Q." err
'

test_expect_success 'options may come after the target' '
	mkdir -p root/etc && printf "ID=debian\nVERSION_ID=\"12\"\n" >root/etc/os-release &&
	"$CUSTOMS" sbom dir:root -q -o json=r.json && jq -e ".os.id == \"debian\"" r.json
'

test_expect_success 'a nonexistent target exits 2 and names it' '
	test_expect_code 2 "$CUSTOMS" sbom /nonexistent/image.tar 2>err && one_line_error err &&
	grep -q "/nonexistent/image.tar" err
'

if [ -n "${SANITIZE:-}" ]; then
	test_skip 'the release binary is statically linked' 'sanitizer builds are dynamic'
else
	test_expect_success 'the release binary is statically linked' '
		case "$CUSTOMS" in
		*/build/customs) file "$CUSTOMS" | grep -q "statically linked" ;;
		*) echo "not the release binary: $CUSTOMS" ;;
		esac
	'
fi

test_done
