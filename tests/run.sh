#!/bin/sh
# Run the unit tests and every tests/cli/tNNNN-*.sh, then print "N passed, M failed, K skipped".
set -u
here=$(cd "$(dirname "$0")" && pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT

if [ -n "${UNIT_TESTS:-}" ]; then
	"$UNIT_TESTS" >>"$log" 2>&1 || echo "not ok - unit tests exited with failure" >>"$log"
	grep -E '^(not ok|skip) ' "$log" | tail -n 50
fi

for t in "$here"/cli/t[0-9][0-9][0-9][0-9]-*.sh; do
	[ -e "$t" ] || continue
	[ -n "${TEST_FILTER:-}" ] && case "$t" in *"$TEST_FILTER"*) ;; *) continue ;; esac
	out=$(mktemp)
	start=$(date +%s)
	bash "$t" >"$out" 2>&1
	rc=$?
	cat "$out"
	cat "$out" >>"$log"
	if [ "$rc" -ne 0 ] && ! grep -q '^not ok ' "$out"; then
		echo "not ok - $(basename "$t"): script exited with $rc" | tee -a "$log"
	fi
	echo "# $(basename "$t") took $(($(date +%s) - start))s"
	rm -f "$out"
done

passed=$(grep -c '^ok ' "$log")
failed=$(grep -c '^not ok ' "$log")
skipped=$(grep -c '^skip ' "$log")
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
