#!/bin/sh
# `make fuzz`: build each tests/fuzz/fuzz_*.c with libFuzzer, ASan and UBSan, and run it briefly.
#
# Prints one line per target, then "N passed, M failed".
# Environment: FUZZ_SECONDS (default 20) per target, FUZZ_TARGETS (names like "fuzz_dpkg fuzz_npm")
# to run only some, FUZZ_JOBS (default: cores) for the build, FUZZ_OUT (default build/fuzz) for
# the binaries, objects, corpora and artifacts. Seeds come from
# tests/fuzz/corpus/NAME/ (NAME with or without the fuzz_ prefix) and are copied into a scratch
# corpus under FUZZ_OUT/corpus/, which keeps growing across runs while the repository's seeds
# stay as they are. A crashing input is saved under FUZZ_OUT/artifacts/NAME/.
# shellcheck disable=SC2086 # makevars, objects and dict are word lists, split on purpose
set -u

here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/../.." && pwd)
cd "$project" || exit 1

out=${FUZZ_OUT:-build/fuzz}
seconds=${FUZZ_SECONDS:-20}
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
# Library objects get coverage instrumentation without libFuzzer's main; each target links it.
sanitize_objects=fuzzer-no-link,address,undefined
sanitize_targets=fuzzer,address,undefined

say() { echo "fuzz: $*" >&2; }

can_build_fuzzer() {
	command -v clang >/dev/null 2>&1 || return 1
	printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return 0; }\n' |
		clang -fsanitize=$sanitize_targets -x c - -o /dev/null >/dev/null 2>&1
}

if ! can_build_fuzzer; then
	say "installing clang and libFuzzer"
	sh tests/setup-tools.sh >&2 || true
	can_build_fuzzer || { say "clang cannot build libFuzzer targets"; echo "0 passed, 1 failed"; exit 1; }
fi

targets=
for src in tests/fuzz/fuzz_*.c; do
	[ -e "$src" ] || continue
	name=$(basename "$src" .c)
	if [ -n "${FUZZ_TARGETS:-}" ]; then
		case " $FUZZ_TARGETS " in *" $name "* | *" ${name#fuzz_} "*) ;; *) continue ;; esac
	fi
	targets="$targets $name"
done
if [ -z "$targets" ]; then
	say "no fuzz targets in tests/fuzz/"
	echo "0 passed, 0 failed"
	exit 1
fi

# The Makefile owns the source list and the flags; its print-VAR target hands them over, and it
# builds the library objects incrementally into FUZZ_OUT/obj/.
makevars="DEPS=system SANITIZE=$sanitize_objects OUT=$out"
objects=$(make -s --no-print-directory $makevars print-OBJ_LIB) || exit 1
cflags=$(make -s --no-print-directory $makevars print-CFLAGS_ALL) || exit 1
libs=$(make -s --no-print-directory $makevars print-DEP_LIBS) || exit 1
mkdir -p "$out"
say "building the library with $sanitize_objects"
if ! make -s --no-print-directory -j"$jobs" $makevars $objects >"$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

passed=0
failed=0
for name in $targets; do
	bin=$out/$name
	log=$out/$name.log
	src=tests/fuzz/$name.c
	# eval keeps the Makefile's quoting (-DCUSTOMS_VERSION='"..."').
	if ! eval "clang $cflags -fsanitize=$sanitize_targets -MF /dev/null \
		-o \"\$bin\" \"\$src\" $objects $libs" >"$log" 2>&1; then
		echo "not ok - $name: does not build"
		sed 's/^/    /' "$log" | tail -n 20
		failed=$((failed + 1))
		continue
	fi

	corpus=$out/corpus/$name
	artifacts=$out/artifacts/$name
	mkdir -p "$corpus" "$artifacts"
	seeds=0
	for dir in "tests/fuzz/corpus/${name#fuzz_}" "tests/fuzz/corpus/$name"; do
		[ -d "$dir" ] || continue
		cp -R "$dir"/. "$corpus"/
		seeds=$((seeds + $(find "$dir" -type f | wc -l)))
	done
	dict=
	for d in "tests/fuzz/${name#fuzz_}.dict" "tests/fuzz/$name.dict"; do
		[ -f "$d" ] && dict="-dict=$d"
	done

	# Leaks count as failures: every parser frees its arena, even on bad input.
	"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$artifacts/" $dict "$corpus" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^#\([0-9][0-9]*\)[^0-9].*/\1/p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	units=$(find "$corpus" -type f | wc -l)
	if [ "$rc" -eq 0 ]; then
		echo "ok - $name: ${runs:-?} runs in ${seconds}s, coverage ${cov:-?}," \
			"corpus $units ($seeds seeds)"
		passed=$((passed + 1))
	else
		crash=$(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$log" | tail -n 1)
		echo "not ok - $name: exit $rc${crash:+; reproduce with: $bin $crash}"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|    #[0-9]+ )' "$log" |
			grep -v -e 'fuzzer::' -e ' in main ' -e '__libc_start' -e ' in _start ' | head -n 12 |
			sed -e 's/ (BuildId: [0-9a-f]*)//' -e 's/^/    /'
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
