#!/bin/bash
# First step of the GitHub Action: where the customs binary comes from, and the keys of the cache entries.
#
# Reads CUSTOMS_BIN (optional, from the job's env), CUSTOMS_VERSION_REF (the version input),
# CUSTOMS_ACTION_REF and CUSTOMS_ACTION_REPO (github.action_ref and github.action_repository), and the
# runner's GITHUB_ACTION_PATH, GITHUB_OUTPUT, RUNNER_TEMP, RUNNER_OS and GITHUB_SERVER_URL.
# Writes to $GITHUB_OUTPUT: home, bin, build (true when the binary must come from the cache or a build),
# bin-dir, source-dir, source-key, db-dir, date.
set -euo pipefail

output() { printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"; }
fail() {
	echo "::error title=Customs::$*"
	echo "customs: $*" >&2
	exit 2
}

# A source tree's cache key: the hash of every file the binary is built from, so a new commit that
# does not touch them reuses the cached binary.
source_key() {
	(cd "$1" && find Makefile build.sh scanner -type f -print0 | LC_ALL=C sort -z |
		xargs -0 sha256sum | sha256sum | cut -c1-20)
}

has_sources() {
	if [ ! -f "$1/build.sh" ] || [ ! -d "$1/scanner" ]; then
		fail "no Customs sources in '$1' to build; set CUSTOMS_BIN to use a binary you have"
	fi
}

[ "${RUNNER_OS:-Linux}" = Linux ] ||
	fail "this action runs on Linux runners only; this runner is ${RUNNER_OS}"

home=$(cd "$GITHUB_ACTION_PATH/.." && pwd)
output home "$home"
output date "$(date -u +%Y-%m-%d)"
# customs' default database path and customs-ci.sh's download folder are the same folder, so the
# cached folder serves both a database fetched with db-url and one a previous step put there.
output db-dir "${XDG_CACHE_HOME:-$HOME/.cache}/customs/db"

if [ -n "${CUSTOMS_BIN:-}" ]; then
	command -v "$CUSTOMS_BIN" >/dev/null 2>&1 || fail "CUSTOMS_BIN '$CUSTOMS_BIN' is not an executable file"
	echo "customs: using CUSTOMS_BIN=$CUSTOMS_BIN; nothing to build"
	output bin "$CUSTOMS_BIN"
	output build false
	exit 0
fi

bin_dir=$RUNNER_TEMP/customs-bin
output bin-dir "$bin_dir"
output bin "$bin_dir/customs"
output build true

# github.action_repository and github.action_ref are not always set inside composite actions; the
# runner downloads a remote action to .../_actions/OWNER/REPO/REF/github-action, which says the same.
action_repo=${CUSTOMS_ACTION_REPO:-}
action_ref=${CUSTOMS_ACTION_REF:-}
case "$GITHUB_ACTION_PATH" in
*/_actions/*/*/*/github-action)
	below=${GITHUB_ACTION_PATH##*/_actions/}
	below=${below%/github-action}
	owner=${below%%/*}
	below=${below#*/}
	[ -n "$action_repo" ] || action_repo=$owner/${below%%/*}
	[ -n "$action_ref" ] || action_ref=${below#*/}
	;;
esac

ref=${CUSTOMS_VERSION_REF:-}
if [ -z "$ref" ] || [ "$ref" = "$action_ref" ]; then
	has_sources "$home"
	key=$(source_key "$home")
	output source-dir "$home"
	output source-key "$key"
	exit 0
fi

# A download of a remote action holds no .git, so another version comes from a shallow clone of the
# action's own repository. A local action (uses: ./github-action) has no repository to clone from.
[ -n "$action_repo" ] ||
	fail "version '$ref' needs the action used as OWNER/REPO/github-action@REF; a local action builds the checked-out sources, so check out that version instead"
case "$ref" in
-* | *..* | *[!A-Za-z0-9._/-]*) fail "version '$ref' is not a git tag, branch or commit" ;;
esac
src=$RUNNER_TEMP/customs-src
rm -rf "$src"
git init -q "$src"
git -C "$src" remote add origin "${GITHUB_SERVER_URL:?}/$action_repo"
echo "customs: fetching version '$ref' of $action_repo"
git -C "$src" fetch -q --depth 1 origin "$ref" || fail "cannot fetch version '$ref' of $action_repo"
git -C "$src" checkout -q --detach FETCH_HEAD
has_sources "$src"
key=$(source_key "$src")
output source-dir "$src"
output source-key "$key"
