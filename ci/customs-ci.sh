#!/bin/sh
# The one CI entry point every integration calls: finds the binary and the database, scans, writes the reports, applies the gate and tells the CI provider.
#
# Every input is an environment variable (ci/README.md lists them all), used only as a quoted word,
# never as shell text. Exit status: customs' own (0 passed, 1 gate failed, 2 usage or bad input,
# 3 database missing or stale, 4 verification failed); 2 when the script's own setup fails.
set -u
unset CDPATH

say() { printf '%s\n' "$*"; }
warn() { printf 'customs-ci: warning: %s\n' "$*" >&2; }
# die MESSAGE [CODE]: one line on stderr, exit CODE (2 by default).
die() {
	printf 'customs-ci: %s\n' "$1" >&2
	exit "${2:-2}"
}
# shown VALUE: VALUE fit for a one-line message (line breaks and control characters replaced).
shown() { printf '%s' "$1" | tr '\n\r' '  ' | sed 's/[[:cntrl:]]/?/g'; }

case "${1:-}" in
-h | --help)
	say "usage: sh customs-ci.sh  (no arguments: the inputs are CUSTOMS_* environment variables)"
	say "Scans CUSTOMS_INPUT (a tarball, oci:DIR[:TAG], dir:PATH) or CUSTOMS_IMAGE (docker save),"
	say "writes the reports to CUSTOMS_OUTPUT_DIR and applies the gate; see ci/README.md."
	exit 0
	;;
esac
[ "$#" -eq 0 ] || die "no arguments expected: the inputs are CUSTOMS_* environment variables (see ci/README.md)"

# ---- inputs that need nothing else: checked before anything slow happens ----

# is_true NAME VALUE: whether a true/false input is true; exits 2 on anything else.
is_true() {
	case "$2" in
	'' | false | False | FALSE | 0 | no | No | NO | off | Off | OFF) return 1 ;;
	true | True | TRUE | 1 | yes | Yes | YES | on | On | ON) return 0 ;;
	esac
	die "$1 must be true or false, not '$(shown "$2")'"
}

input=${CUSTOMS_INPUT:-}
image=${CUSTOMS_IMAGE:-}
if [ -n "$input" ] && [ -n "$image" ]; then
	die "set only one of CUSTOMS_INPUT (a tarball, oci:DIR, dir:PATH) and CUSTOMS_IMAGE (an image reference)"
fi
if [ -z "$input" ] && [ -z "$image" ]; then
	die "nothing to scan: set CUSTOMS_INPUT to a tarball, oci:DIR[:TAG] or dir:PATH, or CUSTOMS_IMAGE to an image reference"
fi
if [ -n "$image" ]; then
	case "$image" in
	-*) die "cannot read image '$(shown "$image")': not an image reference" ;;
	esac
	if ! command -v docker >/dev/null 2>&1; then
		die "cannot read image '$(shown "$image")': no docker here, and registry references are not supported yet; pass a tarball with CUSTOMS_INPUT"
	fi
fi

# The provider decides which extras are written; CUSTOMS_PROVIDER overrides the detection.
provider=${CUSTOMS_PROVIDER:-}
if [ -z "$provider" ]; then
	if [ "${GITHUB_ACTIONS:-}" = true ]; then
		provider=github
	elif [ "${GITLAB_CI:-}" = true ]; then
		provider=gitlab
	elif [ "${TF_BUILD:-}" = True ] || [ "${TF_BUILD:-}" = true ]; then
		provider=azure
	else
		provider=local
	fi
fi
case "$provider" in
github | gitlab | azure | local) ;;
*) die "CUSTOMS_PROVIDER must be github, gitlab, azure or local, not '$(shown "$provider")'" ;;
esac

only_fixed=false audit=false
is_true CUSTOMS_ONLY_FIXED "${CUSTOMS_ONLY_FIXED:-}" && only_fixed=true
is_true CUSTOMS_AUDIT "${CUSTOMS_AUDIT:-}" && audit=true

# The formats, each once, json first: the script reads the result from it.
formats=json
add_format() {
	case ",$formats," in
	*",$1,"*) ;;
	*) formats="$formats,$1" ;;
	esac
}
old_ifs=$IFS
IFS=", 	
"
set -f
# shellcheck disable=SC2086 # splitting the list on commas and blanks is the point
for format in ${CUSTOMS_FORMATS:-sarif,json,markdown}; do
	case "$format" in
	table) ;; # the table always goes to standard output
	json | sarif | gitlab | junit | cyclonedx | spdx | markdown | html) add_format "$format" ;;
	*)
		die "unknown format '$(shown "$format")' in CUSTOMS_FORMATS (known: table, json, sarif, gitlab, junit, cyclonedx, spdx, markdown, html)"
		;;
	esac
done
set +f
IFS=$old_ifs
case "$provider" in
github) add_format markdown ;;
gitlab) add_format gitlab && add_format junit ;;
esac

# file_of FORMAT: the fixed file name of a format's report in the output folder.
file_of() {
	case "$1" in
	json) say customs.json ;;
	sarif) say customs.sarif ;;
	markdown) say customs.md ;;
	gitlab) say gl-container-scanning-report.json ;;
	junit) say customs-junit.xml ;;
	cyclonedx) say customs.cdx.json ;;
	spdx) say customs.spdx.json ;;
	html) say customs.html ;;
	esac
}

# The output folder, as an absolute path, so that every path handed on works from anywhere. A line
# break in it would forge lines in customs.env, $GITHUB_OUTPUT and the ##vso commands.
outdir=${CUSTOMS_OUTPUT_DIR:-customs-reports}
case "$outdir" in
*'
'* | *"$(printf '\r')"*) die "CUSTOMS_OUTPUT_DIR must not contain a line break" ;;
esac

# ---- the scratch folder, removed on every way out ----

child=
scratch=
scratch_base=
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	if [ -n "$child" ]; then
		kill "$child" 2>/dev/null
	fi
	if [ -n "$scratch" ]; then
		rm -rf -- "$scratch"
	elif [ -n "$scratch_base" ]; then
		# A signal between mktemp and the assignment: the folder is known by its name only.
		rm -rf -- "$scratch_base/customs-ci.$$."*
	fi
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
scratch_base=${TMPDIR:-${RUNNER_TEMP:-/tmp}}
scratch=$(mktemp -d "$scratch_base/customs-ci.$$.XXXXXX") ||
	die "cannot make a temporary folder in '$(shown "$scratch_base")'"

# Children run in the background so that a signal reaches the traps at once (the shell would wait
# for a foreground child first); fd 3 hands them the script's standard input.
{ command exec 3<&0; } 2>/dev/null || exec 3</dev/null
# run COMMAND...: run it as the killable child, return its exit status.
run() {
	"$@" <&3 3<&- &
	child=$!
	wait "$child"
	run_status=$?
	child=
	return "$run_status"
}

# ---- the binary: CUSTOMS_BIN, else the checkout's build/customs, else PATH, else ./build.sh ----

home=${CUSTOMS_HOME:-}
if [ -z "$home" ]; then
	home=$(cd -P -- "$(dirname -- "$0")/.." 2>/dev/null && pwd) || home=.
fi
if [ -n "${CUSTOMS_BIN:-}" ]; then
	bin=$CUSTOMS_BIN
	case "$bin" in
	*/*) ;;
	*) bin=$(command -v -- "$bin" 2>/dev/null) || bin=$CUSTOMS_BIN ;;
	esac
	if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then
		die "CUSTOMS_BIN '$(shown "$CUSTOMS_BIN")' is not an executable file"
	fi
elif [ -f "$home/build/customs" ] && [ -x "$home/build/customs" ]; then
	bin=$home/build/customs
elif bin=$(command -v customs 2>/dev/null) && [ -x "$bin" ]; then
	:
elif [ -f "$home/build.sh" ]; then
	printf 'customs-ci: no customs binary (CUSTOMS_BIN, %s, PATH): building it with %s\n' \
		"$(shown "$home/build/customs")" "$(shown "$home/build.sh")" >&2
	if [ -x "$home/build.sh" ]; then
		run "$home/build.sh" >&2
	else
		run bash "$home/build.sh" >&2
	fi || die "building customs with '$(shown "$home/build.sh")' failed (exit $run_status)"
	bin=$home/build/customs
	if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then
		die "'$(shown "$home/build.sh")' made no '$(shown "$bin")'"
	fi
else
	die "no customs binary: set CUSTOMS_BIN, put customs on PATH, or set CUSTOMS_HOME to a Customs checkout"
fi

# ---- the output folder ----

mkdir -p -- "$outdir" 2>/dev/null || die "cannot make the output folder '$(shown "$outdir")'"
outdir=$(cd -P -- "$outdir" && pwd && echo .) || die "cannot enter the output folder '$(shown "$outdir")'"
outdir=${outdir%.}
outdir=${outdir%?}
case "$outdir" in
*'
'* | *"$(printf '\r')"*) die "the output folder's path must not contain a line break" ;;
esac

# ---- the scan's options, collected as the positional parameters ----

set --
fail_on=${CUSTOMS_FAIL_ON:-high}
case "$fail_on" in
none | None | NONE) ;;
*) set -- "$@" --fail-on "$fail_on" ;;
esac
set -f
# shellcheck disable=SC2086 # SEVERITY=N pairs separated by blanks
for pair in ${CUSTOMS_FAIL_ON_COUNT:-}; do
	set -- "$@" --fail-on-count "$pair"
done
set +f
[ "$only_fixed" = true ] && set -- "$@" --only-fixed
[ "$audit" = true ] && set -- "$@" --audit
[ -n "${CUSTOMS_IGNORE_FILE:-}" ] && set -- "$@" --ignore-file "$CUSTOMS_IGNORE_FILE"
[ -n "${CUSTOMS_DOCKERFILE:-}" ] && set -- "$@" --dockerfile "$CUSTOMS_DOCKERFILE"
[ -n "${CUSTOMS_CHECKS:-}" ] && set -- "$@" --checks "$CUSTOMS_CHECKS"
[ -n "${CUSTOMS_CONFIG:-}" ] && set -- "$@" --config "$CUSTOMS_CONFIG"
# VEX paths: one per line when there are line breaks (paths may hold blanks), else split on blanks.
vex=${CUSTOMS_VEX:-}
case "$vex" in
*'
'*) IFS='
' ;;
*) IFS=' 	' ;;
esac
set -f
# shellcheck disable=SC2086 # see above
for path in $vex; do
	set -- "$@" --vex "$path"
done
set +f
IFS=$old_ifs

# ---- the database: CUSTOMS_DB, else a cached copy kept fresh from CUSTOMS_DB_URL, else customs' default ----

if [ -n "${CUSTOMS_DB:-}" ]; then
	set -- "$@" --db "$CUSTOMS_DB"
elif [ -n "${CUSTOMS_DB_URL:-}" ]; then
	if [ -n "${CUSTOMS_DB_CACHE:-}" ]; then
		cache=$CUSTOMS_DB_CACHE
	elif [ -n "${XDG_CACHE_HOME:-}" ]; then
		cache=$XDG_CACHE_HOME/customs/db
	elif [ -n "${HOME:-}" ]; then
		cache=$HOME/.cache/customs/db
	else
		die "no folder for the database: set CUSTOMS_DB_CACHE (HOME and XDG_CACHE_HOME are unset)"
	fi
	mkdir -p -- "$cache" 2>/dev/null || die "cannot make the database cache folder '$(shown "$cache")'"
	db=$cache/customs.db
	# db update reads the URLs (mirrors allowed) from CUSTOMS_DB_URL and the key from CUSTOMS_DB_PUBKEY,
	# and sends the cached copy's ETag, so an unchanged database is not downloaded again.
	if ! run "$bin" db update --output "$db"; then
		if [ "$run_status" -eq 3 ] && [ -f "$db" ]; then
			warn "the database update failed (exit 3); scanning with the cached copy '$(shown "$db")'"
		else
			die "the database update from CUSTOMS_DB_URL failed (exit $run_status)" "$run_status"
		fi
	fi
	set -- "$@" --db "$db"
fi

# ---- the target ----

if [ -n "$image" ]; then
	printf 'customs-ci: docker save %s\n' "$(shown "$image")" >&2
	run docker save "$image" -o "$scratch/image.tar" ||
		die "cannot read image '$(shown "$image")': docker save failed (exit $run_status)"
	[ -f "$scratch/image.tar" ] || die "cannot read image '$(shown "$image")': docker save wrote no archive"
	target=$scratch/image.tar
else
	target=$input
fi

# ---- the scan ----

written=
IFS=,
set -f
for format in $formats; do
	file=$(file_of "$format")
	rm -f -- "$outdir/$file"
	set -- "$@" -o "$format=$outdir/$file"
	written="$written $format"
done
set +f
IFS=$old_ifs
rm -f -- "$outdir/customs.env"

run "$bin" scan "$@" -o table -- "$target"
status=$run_status
case "$status" in
0) result=pass ;;
1) result=fail ;;
*) result=error ;;
esac

# ---- the counts, from customs.json: active findings per severity, vulnerabilities and checks ----

# A small JSON tokenizer: it follows the nesting, so it does not depend on key order or layout.
# Records are split at double quotes, which keeps it linear even on a report written as one line:
# records alternate between text outside strings (scanned character by character) and string
# contents (taken whole; a quote after an odd run of backslashes continues the string).
# Prints "critical high medium low unknown suppressed would_fail", or fails when the file is not a
# whole customs report.
read_counts() {
	awk '
	function value_starts(t) {
		if (!depth || type[depth] != "{")
			return
		if (finding[depth] && key[depth] == "suppressed")
			sup[depth] = 1
		if (finding[depth] && key[depth] == "severity" && t ~ /^"/)
			sev[depth] = substr(t, 2, length(t) - 2)
		if (depth == 2 && key[1] == "gate" && key[2] == "would_fail")
			would_fail = t
		if (depth == 1 && key[1] == "schema" && t == "\"customs-report/1\"")
			report = 1
	}
	function token(t, c) {
		c = substr(t, 1, 1)
		if (c == "{" || c == "[") {
			value_starts(t)
			depth++
			type[depth] = c
			key[depth] = ""
			expect_key = (c == "{")
			finding[depth] = 0
			if (c == "{" && depth == 3 && type[2] == "[" && key[1] == "findings")
				finding[depth] = 1
			if (c == "{" && depth == 4 && type[3] == "[" && key[1] == "checks" && key[2] == "findings")
				finding[depth] = 1
			sev[depth] = ""
			sup[depth] = 0
		} else if (c == "}" || c == "]") {
			if (depth < 1)
				broken = 1
			if (finding[depth]) {
				if (sup[depth])
					suppressed++
				else if (sev[depth] in count)
					count[sev[depth]]++
				else
					count["unknown"]++
			}
			finding[depth] = 0
			depth--
			expect_key = 0
		} else if (c == ",") {
			expect_key = (type[depth] == "{")
		} else if (c == ":") {
		} else if (expect_key) {
			key[depth] = substr(t, 2, length(t) - 2)
			expect_key = 0
		} else {
			value_starts(t)
		}
	}
	# outside(TEXT): the punctuation and bare words (numbers, true, false, null) between strings.
	function outside(text, n, i, c, word) {
		n = length(text)
		word = ""
		for (i = 1; i <= n; i++) {
			c = substr(text, i, 1)
			if (c == " " || c == "\t" || c == "\n" || c == "\r" || index("{}[]:,", c)) {
				if (word != "") {
					token(word)
					word = ""
				}
				if (c != " " && c != "\t" && c != "\n" && c != "\r")
					token(c)
			} else {
				word = word c
			}
		}
		if (word != "")
			token(word)
	}
	BEGIN {
		RS = "\""
		split("critical high medium low unknown", names, " ")
		for (i = 1; i <= 5; i++)
			count[names[i]] = 0
		suppressed = 0
		would_fail = "false"
		depth = 0
		in_string = 0
	}
	{
		if (!in_string) {
			outside($0)
			in_string = 1
			text = ""
			next
		}
		text = text $0
		if (match($0, /\\+$/) && RLENGTH % 2 == 1) {
			text = text "\""
			next
		}
		token("\"" text "\"")
		in_string = 0
	}
	END {
		if (broken || !report || depth != 0)
			exit 1
		printf "%d %d %d %d %d %d %s\n", count["critical"], count["high"], count["medium"],
			count["low"], count["unknown"], suppressed, would_fail
	}' "$1"
}

counts=
if [ -f "$outdir/customs.json" ] && [ "$result" != error ]; then
	counts=$(read_counts "$outdir/customs.json") || counts=
	[ -n "$counts" ] || warn "cannot read the counts from '$(shown "$outdir/customs.json")'"
fi
critical=0 high=0 medium=0 low=0 unknown=0 suppressed=0 would_fail=false
if [ -n "$counts" ]; then
	read -r critical high medium low unknown suppressed would_fail <<EOF
$counts
EOF
fi
total=$((critical + high + medium + low + unknown))

# ---- customs.env: the result for wrappers that cannot parse JSON ----

{
	say "result=$result"
	say "exit_code=$status"
	if [ -n "$counts" ]; then
		say "critical=$critical"
		say "high=$high"
		say "medium=$medium"
		say "low=$low"
		say "unknown=$unknown"
		say "total=$total"
		say "suppressed=$suppressed"
	fi
	for format in $written; do
		file=$(file_of "$format")
		if [ -f "$outdir/$file" ]; then
			say "$format=$outdir/$file"
		fi
	done
} >"$outdir/customs.env" || die "cannot write '$(shown "$outdir/customs.env")'"

# ---- the summary ----

if [ -n "$counts" ]; then
	tally="$critical critical, $high high, $medium medium, $low low, $unknown unknown"
	[ "$suppressed" -gt 0 ] && tally="$tally ($suppressed suppressed)"
else
	tally="the counts are unknown (see the report)"
fi
case "$status" in
0)
	if [ "$would_fail" = true ]; then
		say "customs: audit: the gate would have failed: $tally"
	else
		say "customs: passed: $tally"
	fi
	;;
1) say "customs: gate failed: $tally" ;;
2) say "customs: error: the scan stopped on a usage error or bad input (exit 2)" ;;
3) say "customs: error: the vulnerability database is missing or too old (exit 3)" ;;
4) say "customs: error: the database signature does not verify (exit 4)" ;;
*) say "customs: error: customs exited with $status" ;;
esac
reports=
for format in $written; do
	file=$(file_of "$format")
	[ -f "$outdir/$file" ] && reports="$reports${reports:+, }$file"
done
[ -n "$reports" ] && say "customs: reports in $(shown "$outdir"): $reports"

# ---- the provider's extras ----

# azure_data TEXT: TEXT as the data of a ##vso command (the agent unescapes %AZP25, %0D, %0A).
azure_data() { printf '%s' "$1" | sed 's/%/%AZP25/g'; }

case "$provider" in
github)
	if [ -n "${GITHUB_OUTPUT:-}" ]; then
		cat -- "$outdir/customs.env" >>"$GITHUB_OUTPUT" || warn "cannot append to GITHUB_OUTPUT"
	else
		warn "GITHUB_OUTPUT is not set: no step outputs"
	fi
	if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
		if [ -f "$outdir/customs.md" ]; then
			cat -- "$outdir/customs.md" >>"$GITHUB_STEP_SUMMARY"
		else
			say "**Customs**: the scan stopped with exit code $status; see the job log." >>"$GITHUB_STEP_SUMMARY"
		fi || warn "cannot append to GITHUB_STEP_SUMMARY"
	fi
	;;
gitlab)
	for format in gitlab junit; do
		file=$(file_of "$format")
		[ -f "$outdir/$file" ] && say "customs: $format report: $(shown "$outdir/$file")"
	done
	;;
azure)
	say "##vso[task.setvariable variable=customsResult]$result"
	say "##vso[task.setvariable variable=customsExitCode]$status"
	if [ -n "$counts" ]; then
		say "##vso[task.setvariable variable=customsCritical]$critical"
		say "##vso[task.setvariable variable=customsHigh]$high"
		say "##vso[task.setvariable variable=customsMedium]$medium"
		say "##vso[task.setvariable variable=customsLow]$low"
		say "##vso[task.setvariable variable=customsUnknown]$unknown"
		say "##vso[task.setvariable variable=customsTotal]$total"
		say "##vso[task.setvariable variable=customsSuppressed]$suppressed"
	fi
	if [ -f "$outdir/customs.sarif" ]; then
		say "##vso[artifact.upload containerfolder=CodeAnalysisLogs;artifactname=CodeAnalysisLogs]$(azure_data "$outdir/customs.sarif")"
	fi
	if [ -f "$outdir/customs-junit.xml" ]; then
		say "##vso[results.publish type=JUnit;runTitle=Customs]$(azure_data "$outdir/customs-junit.xml")"
	fi
	case "$status" in
	0)
		if [ "$would_fail" = true ]; then
			say "##vso[task.logissue type=warning]Customs audit: the gate would have failed: $tally"
			say "##vso[task.complete result=SucceededWithIssues;]Customs audit: the gate would have failed"
		fi
		;;
	1)
		say "##vso[task.logissue type=error]Customs gate failed: $tally"
		say "##vso[task.complete result=Failed;]Customs gate failed"
		;;
	*)
		say "##vso[task.logissue type=error]Customs could not scan (exit $status); see the log above"
		say "##vso[task.complete result=Failed;]Customs could not scan (exit $status)"
		;;
	esac
	;;
esac

exit "$status"
