# Shared helpers for the end-to-end shell tests in tests/cli/tNNNN-*.sh.
# Each test prints "ok - NAME", "not ok - NAME" or "skip - NAME (why)"; tests/run.sh counts them.

set -u
TEST_NAME=$(basename "$0" .sh)
TESTS_DIR=$(cd "$(dirname "$0")/.." && pwd)
PROJECT_DIR=$(cd "$TESTS_DIR/.." && pwd)
: "${CUSTOMS:=$PROJECT_DIR/build/customs}"
SHARED_DATA=${CUSTOMS_SHARED_DATA:-$PROJECT_DIR/../shared/data}
# Slow-to-make inputs (debootstrap roots, built images) are cached here between runs.
: "${CUSTOMS_TEST_CACHE:=$PROJECT_DIR/build/test-cache}"
export CUSTOMS CUSTOMS_TEST_CACHE SHARED_DATA

TRASH=$(mktemp -d "${TMPDIR:-/tmp}/customs-$TEST_NAME.XXXXXX")
trap 'rm -rf "$TRASH"' EXIT
cd "$TRASH" || exit 1

test_count=0
test_fail=0

say_ok() { echo "ok - $TEST_NAME: $1"; }
say_fail() { echo "not ok - $TEST_NAME: $1"; test_fail=$((test_fail + 1)); }

# test_expect_success DESCRIPTION 'SHELL CODE'
test_expect_success() {
	test_count=$((test_count + 1))
	if (eval "$2") >"$TRASH/.out" 2>&1; then
		say_ok "$1"
	else
		say_fail "$1"
		sed 's/^/    /' "$TRASH/.out" | tail -n 40
	fi
}

# test_skip DESCRIPTION WHY
test_skip() {
	echo "skip - $TEST_NAME: $1 ($2)"
}

# test_expect_code CODE COMMAND...: the command exits with exactly CODE and did not crash.
test_expect_code() {
	want=$1
	shift
	"$@"
	got=$?
	if [ "$got" -ne "$want" ]; then
		echo "exit code $got, expected $want: $*" >&2
		return 1
	fi
	return 0
}

# one_line_error FILE: stderr holds exactly one line naming the problem.
one_line_error() {
	n=$(grep -c '' "$1")
	if [ "$n" -ne 1 ]; then
		echo "expected one line on stderr, got $n:" >&2
		cat "$1" >&2
		return 1
	fi
	return 0
}

have_shared_data() { [ -d "$SHARED_DATA" ]; }

test_done() {
	[ "$test_fail" -eq 0 ]
}
