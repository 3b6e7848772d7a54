#!/bin/bash
# customs vercmp against vectors made by the reference implementations (tests/vectors/*.tsv).
. "$(dirname "$0")/../lib/test-lib.sh"

# Each vector file is SCHEME.tsv with lines A<TAB>B<TAB>EXPECTED, EXPECTED being -1, 0 or 1
# as the reference tool ordered A and B; tests/vectors/README.md says how each was made.
for vectors in "$TESTS_DIR"/vectors/*.tsv; do
	[ -e "$vectors" ] || continue
	scheme=$(basename "$vectors" .tsv)
	test_expect_success "$scheme: every reference vector agrees ($(grep -c '' "$vectors") pairs)" '
		cut -f1,2 "$vectors" >pairs &&
		cut -f3 "$vectors" >want &&
		"$CUSTOMS" vercmp "$scheme" --batch <pairs >got &&
		paste pairs want got | awk -F "\t" "\$3 != \$4 { print \"disagree: \" \$1 \" vs \" \$2 \": reference \" \$3 \", customs \" \$4; bad++ } END { exit bad > 0 }"
	'
done

test_expect_success 'vercmp prints -1, 0 and 1' '
	test "$("$CUSTOMS" vercmp deb 1.0 1.1)" = -1 &&
	test "$("$CUSTOMS" vercmp deb 1.0 1.0)" = 0 &&
	test "$("$CUSTOMS" vercmp deb 1.1 1.0)" = 1
'

test_expect_success 'ecosystems pick their scheme, with a release suffix or without' '
	test "$("$CUSTOMS" vercmp Debian:12 1.0~rc1 1.0)" = -1 &&
	test "$("$CUSTOMS" vercmp Alpine:v3.19 1.0_rc1 1.0)" = -1 &&
	test "$("$CUSTOMS" vercmp PyPI 1.0.dev1 1.0)" = -1 &&
	test "$("$CUSTOMS" vercmp Go v1.2.3 v1.10.0)" = -1
'

test_expect_success 'an invalid version exits 2 with one line naming it' '
	test_expect_code 2 "$CUSTOMS" vercmp npm 1.2.3 "not a version" 2>err &&
	one_line_error err && grep -q "not a version" err
'

test_expect_success 'an unknown ecosystem exits 2' '
	test_expect_code 2 "$CUSTOMS" vercmp cobol 1 2 2>err && one_line_error err
'

test_expect_success 'batch mode names the line of a malformed pair' '
	printf "1.0\t2.0\nno-tab-here\n" | test_expect_code 2 "$CUSTOMS" vercmp deb --batch >out 2>err &&
	one_line_error err && grep -q "line 2" err && test "$(cat out)" = -1
'

test_done
