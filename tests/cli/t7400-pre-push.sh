#!/bin/bash
# The pre-push hook: customs hook install, then real pushes to a local bare repository, blocked or let through.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$TESTS_DIR/lib/scan-fixture.sh"

if ! command -v git >/dev/null 2>&1; then
	test_skip 'the pre-push hook' 'git is missing'
	test_done
	exit
fi

mkdir -p "$HOME"
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=Tester GIT_AUTHOR_EMAIL=tester@example.com
export GIT_COMMITTER_NAME=Tester GIT_COMMITTER_EMAIL=tester@example.com
export CUSTOMS_BIN=$CUSTOMS
unset PRE_COMMIT_FROM_REF PRE_COMMIT_TO_REF PRE_COMMIT_LOCAL_BRANCH PRE_COMMIT_REMOTE_NAME
HOOK_SRC=$PROJECT_DIR/ci/pre-push

# ---- the database: one high npm advisory (lodash before 4.17.21) ----

mkdir -p osv
cat >osv/GHSA-35jh-r3h4-6jhm.json <<'EOF'
{
  "schema_version": "1.6.0",
  "id": "GHSA-35jh-r3h4-6jhm",
  "modified": "2021-05-06T16:05:51Z",
  "published": "2021-05-06T16:05:51Z",
  "aliases": ["CVE-2021-23337"],
  "summary": "Command Injection in lodash",
  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"}],
  "affected": [{
    "package": {"ecosystem": "npm", "name": "lodash", "purl": "pkg:npm/lodash"},
    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}]
  }],
  "database_specific": {"severity": "HIGH"}
}
EOF

# lockfile VERSION: a package-lock.json (version 3) that installs that lodash.
lockfile() {
	cat <<EOF
{
  "name": "app",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {"name": "app", "version": "1.0.0", "dependencies": {"lodash": "^4.17.0"}},
    "node_modules/lodash": {"version": "$1", "license": "MIT"}
  }
}
EOF
}

remote_rev() { git --git-dir="$TRASH/remote.git" rev-parse -q --verify "$1"; }
# commit_file PATH CONTENT MESSAGE (in the work repository)
commit_file() {
	mkdir -p "work/$(dirname "$1")" && printf '%s\n' "$2" >"work/$1" &&
	git -C work add "$1" && git -C work commit -q -m "$3"
}

test_expect_success 'set up: a database, a bare remote and a repository with .customs.json' '
	"$CUSTOMS" db build --output db.tmp osv >out &&
	git init -q --bare -b main remote.git &&
	git init -q -b main work &&
	git -C work remote add origin "$TRASH/remote.git" &&
	mkdir work/db && mv db.tmp work/db/customs.db &&
	printf "db/\n" >work/.gitignore &&
	printf "{\"db\": \"db/customs.db\", \"fail-on\": \"high\"}\n" >work/.customs.json &&
	echo "# app" >work/README.md &&
	git -C work add .gitignore .customs.json README.md &&
	git -C work commit -q -m "start"
'

# ---- customs hook install ----

test_expect_success 'hook install writes ci/pre-push as an executable pre-push hook' '
	"$CUSTOMS" hook install --path work >out 2>err &&
	test ! -s err &&
	grep -q "^installed the customs pre-push hook in .*/hooks/pre-push" out &&
	test -x work/.git/hooks/pre-push &&
	test "$(stat -c %a work/.git/hooks/pre-push)" = 755 &&
	cmp "$HOOK_SRC" work/.git/hooks/pre-push &&
	"$CUSTOMS" hook print | cmp - "$HOOK_SRC"
'

test_expect_success 'hook install is idempotent' '
	"$CUSTOMS" hook install --path work >out 2>err &&
	test ! -s err && grep -q "already up to date" out &&
	(cd work && "$CUSTOMS" hook install >out2) && grep -q "already up to date" work/out2 && rm work/out2 &&
	cmp "$HOOK_SRC" work/.git/hooks/pre-push
'

test_expect_success 'hook install refuses to replace a different hook without --force' '
	git init -q other &&
	printf "#!/bin/sh\nexit 0\n" >other/.git/hooks/pre-push &&
	cp other/.git/hooks/pre-push foreign &&
	test_expect_code 2 "$CUSTOMS" hook install --path other >out 2>err &&
	one_line_error err && grep -q "use --force" err && test ! -s out &&
	cmp foreign other/.git/hooks/pre-push &&
	"$CUSTOMS" hook install --path other --force >out &&
	cmp "$HOOK_SRC" other/.git/hooks/pre-push && test -x other/.git/hooks/pre-push
'

test_expect_success 'hook install follows worktrees to the common hooks, and core.hooksPath' '
	git -C other commit -q --allow-empty -m one &&
	git -C other worktree add -q ../other-wt &&
	"$CUSTOMS" hook install --path other-wt >out && grep -q "already up to date" out &&
	mkdir bin-nogit && ln -s "$(command -v tar)" bin-nogit/tar &&
	PATH="$TRASH/bin-nogit" "$CUSTOMS" hook install --path other-wt >out && grep -q "already up to date" out &&
	git -C other config core.hooksPath .githooks &&
	"$CUSTOMS" hook install --path other >out &&
	cmp "$HOOK_SRC" other/.githooks/pre-push
'

test_expect_success 'hook install finds the hooks without git on PATH' '
	git init -q nogit &&
	PATH="$TRASH/bin-nogit" "$CUSTOMS" hook install --path nogit >out &&
	cmp "$HOOK_SRC" nogit/.git/hooks/pre-push &&
	(cd nogit/.git && git config core.hooksPath "$TRASH/shared-hooks") && mkdir shared-hooks &&
	PATH="$TRASH/bin-nogit" "$CUSTOMS" hook install --path nogit >out &&
	cmp "$HOOK_SRC" shared-hooks/pre-push
'

test_expect_success 'hook install: bad input is one line and exit code 2' '
	mkdir plain &&
	GIT_CEILING_DIRECTORIES=$TRASH test_expect_code 2 "$CUSTOMS" hook install --path plain 2>err &&
	one_line_error err && grep -q "not a git repository" err &&
	test_expect_code 2 "$CUSTOMS" hook install --path missing 2>err && one_line_error err &&
	test_expect_code 2 "$CUSTOMS" hook install --bogus 2>err && one_line_error err &&
	test_expect_code 2 "$CUSTOMS" hook frobnicate 2>err && one_line_error err &&
	test_expect_code 2 "$CUSTOMS" hook 2>err &&
	"$CUSTOMS" hook --help | grep -q "^usage: customs hook install"
'

test_expect_success 'the hook passes shellcheck as POSIX sh' '
	if command -v shellcheck >/dev/null 2>&1; then shellcheck -s sh "$HOOK_SRC"; fi
'

# ---- pushes ----

test_expect_success 'the first push of a clean repository goes through' '
	git -C work push -q -u origin main >out 2>err &&
	test "$(remote_rev main)" = "$(git -C work rev-parse main)" &&
	grep -q "customs pre-push: passed: main" err
'

test_expect_success 'a push that changes nothing relevant goes through without a scan' '
	commit_file README.md "# app, again" "readme" &&
	git -C work push -q origin main 2>err &&
	test "$(remote_rev main)" = "$(git -C work rev-parse main)" &&
	grep -q "nothing to scan in main" err
'

test_expect_success 'a push that adds a vulnerable package-lock.json is rejected' '
	before=$(remote_rev main) &&
	commit_file package-lock.json "$(lockfile 4.17.20)" "add lodash" &&
	test_expect_code 1 git -C work push -q origin main >out 2>err &&
	grep -q "CVE-2021-23337" err &&
	grep -q "^push blocked by customs: the gate failed for main (.*) (bypass with: git push --no-verify)$" err &&
	test "$(remote_rev main)" = "$before"
'

test_expect_success 'git push --no-verify goes through' '
	git -C work push -q --no-verify origin main 2>err &&
	test "$(remote_rev main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'a new branch compares with the merge-base: unchanged lockfile, no scan' '
	git -C work checkout -q -b docs &&
	commit_file docs/guide.md "guide" "docs" &&
	git -C work push -q origin docs 2>err &&
	test "$(remote_rev docs)" = "$(git -C work rev-parse docs)" &&
	grep -q "nothing to scan in docs" err
'

test_expect_success 'a push that deletes a branch goes through' '
	git -C work push -q origin --delete docs 2>err &&
	! remote_rev docs &&
	grep -q "skipping the deletion of docs" err
'

test_expect_success 'a push that fixes the lockfile is scanned and goes through' '
	git -C work checkout -q main &&
	commit_file package-lock.json "$(lockfile 4.17.21)" "update lodash" &&
	git -C work push -q origin main 2>err &&
	test "$(remote_rev main)" = "$(git -C work rev-parse main)" &&
	grep -q "customs pre-push: scanning main" err &&
	grep -q "customs pre-push: passed: main" err
'

test_expect_success 'a new branch with a vulnerable lockfile is rejected' '
	git -C work checkout -q -b feature &&
	commit_file package-lock.json "$(lockfile 4.17.19)" "downgrade" &&
	test_expect_code 1 git -C work push -q origin feature 2>err &&
	grep -q "^push blocked by customs: the gate failed for feature" err &&
	! remote_rev feature
'

test_expect_success 'a new branch whose history the remote lacks entirely is scanned in full' '
	git -C work checkout -q --orphan fresh &&
	git -C work commit -q -m "fresh start" &&
	test_expect_code 1 git -C work push -q origin fresh 2>err &&
	grep -q "^push blocked by customs: the gate failed for fresh" err &&
	git -C work checkout -q -f main
'

test_expect_success 'only the pushed tree is scanned: an uncommitted vulnerable lockfile does not block' '
	commit_file requirements.txt "flask==3.0.0" "python too" &&
	lockfile 4.17.20 >work/package-lock.json &&
	git -C work push -q origin main 2>err &&
	test "$(remote_rev main)" = "$(git -C work rev-parse main)" &&
	grep -q "passed: main" err &&
	git -C work checkout -q -- package-lock.json
'

test_expect_success 'and a committed one blocks even when the working tree is clean again' '
	commit_file package-lock.json "$(lockfile 4.17.20)" "again" &&
	lockfile 4.17.21 >work/package-lock.json &&
	test_expect_code 1 git -C work push -q origin main 2>err &&
	grep -q "push blocked by customs" err &&
	git -C work reset -q --hard HEAD~1
'

test_expect_success 'pushing from a subdirectory uses the root .customs.json and its relative db path' '
	mkdir -p work/sub && echo x >work/sub/x && git -C work add sub && git -C work commit -q -m sub &&
	commit_file package-lock.json "$(lockfile 4.17.20)" "vulnerable again" &&
	(cd work/sub && test_expect_code 1 git push -q origin main 2>../../err) &&
	grep -q "the gate failed for main" err &&
	git -C work reset -q --hard HEAD~1
'

test_expect_success 'customs.hook.paths makes other changes start a scan' '
	git -C work config --add customs.hook.paths "src/*" &&
	commit_file src/app.js "console.log(1)" "code" &&
	git -C work push -q origin main 2>err &&
	grep -q "scanning main" err &&
	git -C work config --unset-all customs.hook.paths
'

# run_hook REF: the installed hook run by hand, as git would for a push of REF to origin's main.
run_hook() {
	printf "refs/heads/main %s refs/heads/main %s\n" "$(git -C work rev-parse "$1")" "$(remote_rev main)" |
		(cd work && .git/hooks/pre-push origin "$TRASH/remote.git")
}

test_expect_success 'a missing customs binary blocks the push, saying why (exit code 2)' '
	commit_file requirements.txt "flask==3.0.1" "bump flask" &&
	(unset CUSTOMS_BIN; PATH="$(dirname "$(command -v git)"):/bin:/usr/bin" &&
		if command -v customs >/dev/null; then exit 0; fi &&
		! git -C work push -q origin main 2>err &&
		grep -q "^push blocked by customs: cannot find the customs binary: set CUSTOMS_BIN or put customs on PATH (bypass with: git push --no-verify)$" err &&
		test_expect_code 2 run_hook main 2>err2 && head -n 1 err | cmp - err2) &&
	CUSTOMS_BIN=$TRASH/nowhere test_expect_code 2 run_hook main 2>err &&
	grep -q "^push blocked by customs: CUSTOMS_BIN names .*nowhere" err
'

test_expect_success 'a missing database blocks with the reason (exit code 3)' '
	mv work/db/customs.db work/db/away.db &&
	test_expect_code 3 run_hook main 2>err &&
	grep -q "^push blocked by customs: the vulnerability database is missing or too old" err &&
	! git -C work push -q origin main 2>err &&
	grep -q "^push blocked by customs: the vulnerability database is missing or too old" err &&
	mv work/db/away.db work/db/customs.db &&
	git -C work push -q origin main 2>err
'

test_expect_success 'a changed Dockerfile is checked with --dockerfile' '
	printf "FROM scratch\nCOPY . /app\n" >Dockerfile.good &&
	commit_file Dockerfile "$(cat Dockerfile.good)" "dockerfile" &&
	cp "$CUSTOMS" fake-customs.real &&
	printf "#!/bin/sh\necho \"\$*\" >>\"$TRASH/customs-args\"\nexec \"$TRASH/fake-customs.real\" \"\$@\"\n" >fake-customs &&
	chmod +x fake-customs &&
	CUSTOMS_BIN=$TRASH/fake-customs git -C work push -q origin main 2>err &&
	grep -q -- "--dockerfile [^ ]*/Dockerfile dir:" customs-args
'

# ---- docker: a stand-in docker command that records what it is asked and saves a prepared image ----

test_expect_success 'with customs.hook.docker, the image is built with docker and scanned' '
	npm_json lodash 4.17.20 >lodash.json &&
	mkimage layer l-app.tar f:app/node_modules/lodash/package.json=@lodash.json &&
	mkimage docker vulnerable-image.tar l-app.tar &&
	mkdir -p bin-docker &&
	cat >bin-docker/docker <<EOF &&
#!/bin/sh
echo "\$*" >>"$TRASH/docker-args"
case \$1 in
info|image) exit 0 ;;
build) exit 0 ;;
save) cp "$TRASH/vulnerable-image.tar" "\$3" ;;
*) exit 1 ;;
esac
EOF
	chmod +x bin-docker/docker &&
	git -C work config customs.hook.docker true &&
	commit_file Dockerfile "FROM scratch
COPY app /app" "dockerfile v2" &&
	PATH="$TRASH/bin-docker:$PATH" test_expect_code 1 git -C work push -q origin main 2>err &&
	grep -q "^push blocked by customs: the gate failed for main" err &&
	grep -q "^build -q -t customs-pre-push:[0-9a-f]* -f [^ ]*/Dockerfile " docker-args &&
	grep -q "^save -o " docker-args &&
	! grep -q "$TRASH/work" docker-args
'

test_expect_success 'without docker, customs.hook.docker falls back to the files' '
	mkdir -p bin-nodocker &&
	PATH="$TRASH/bin-nodocker:$PATH" &&
	if command -v docker >/dev/null && docker info >/dev/null 2>&1; then exit 0; fi &&
	git -C work push -q origin main 2>err &&
	grep -q "docker is not available here: scanning the files instead" err &&
	git -C work config --unset customs.hook.docker
'

# ---- the pre-commit framework ----

if command -v pre-commit >/dev/null 2>&1; then
	test_expect_success 'set up: the pre-commit framework runs the hook from .pre-commit-hooks.yaml' '
		export PRE_COMMIT_HOME=$TRASH/pre-commit-home &&
		git init -q -b main hooks-repo &&
		mkdir hooks-repo/ci &&
		cp "$PROJECT_DIR/.pre-commit-hooks.yaml" hooks-repo/ &&
		cp "$HOOK_SRC" hooks-repo/ci/pre-push &&
		git -C hooks-repo add . && git -C hooks-repo commit -q -m hooks &&
		git init -q --bare -b main pc-remote.git &&
		git init -q -b main pc &&
		git -C pc remote add origin "$TRASH/pc-remote.git" &&
		mkdir pc/db && cp work/db/customs.db pc/db/ &&
		cp work/.gitignore work/.customs.json pc/ &&
		printf "repos:\n- repo: %s\n  rev: %s\n  hooks:\n  - id: customs\n" \
			"$TRASH/hooks-repo" "$(git -C hooks-repo rev-parse HEAD)" >pc/.pre-commit-config.yaml &&
		git -C pc add . && git -C pc commit -q -m start &&
		(cd pc && pre-commit install -t pre-push >/dev/null) &&
		git -C pc push -q -u origin main 2>err
	'
	test_expect_success 'pre-commit: a vulnerable lockfile is rejected, a fixed one goes through' '
		export PRE_COMMIT_HOME=$TRASH/pre-commit-home &&
		lockfile 4.17.20 >pc/package-lock.json && git -C pc add package-lock.json &&
		git -C pc commit -q -m vulnerable &&
		! git -C pc push -q origin main >out 2>&1 &&
		grep -q "push blocked by customs: the gate failed" out &&
		lockfile 4.17.21 >pc/package-lock.json && git -C pc commit -q -a -m fixed &&
		git -C pc push -q origin main >out 2>&1 &&
		test "$(git --git-dir=pc-remote.git rev-parse main)" = "$(git -C pc rev-parse main)"
	'
	test_expect_success 'pre-commit: a new branch with a vulnerable lockfile is rejected' '
		export PRE_COMMIT_HOME=$TRASH/pre-commit-home &&
		git -C pc checkout -q -b feature &&
		lockfile 4.17.20 >pc/package-lock.json && git -C pc commit -q -a -m vulnerable &&
		! git -C pc push -q origin feature >out 2>&1 &&
		grep -q "push blocked by customs: the gate failed" out
	'
else
	test_skip 'the pre-commit framework path' 'pre-commit is not installed (apt-get install pre-commit)'
fi

test_done
