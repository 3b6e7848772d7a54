#!/bin/sh
# Installs with apt the tools and -dev packages the tests need, only those that are missing.
set -eu

# "PACKAGE" or "PACKAGE:COMMAND": a package counts as present when dpkg has it installed, or
# when COMMAND is on the PATH (npm, for one, may come with a nodejs that is not Debian's).
NEEDED="
umoci:umoci
skopeo:skopeo
debootstrap:debootstrap
docker-registry:docker-registry
clang:clang
libclang-rt-14-dev
llvm:llvm-symbolizer
jq:jq
git:git
pre-commit:pre-commit
python3-yaml
shellcheck:shellcheck
libxml2-utils:xmllint
zstd:zstd
file:file
chromium:chromium
python3-venv
dpkg-dev:dpkg-source
npm:npm
rsync:rsync
openssl:openssl
openssh-client:ssh-keygen
ca-certificates
time:/usr/bin/time
libarchive-dev
libcurl4-openssl-dev
libmbedtls-dev
libcjson-dev
zlib1g-dev
libzstd-dev
"

packages=
for entry in $NEEDED; do
	packages="$packages ${entry%%:*}"
done
# One dpkg-query for all of them keeps the common case (everything there) fast.
# shellcheck disable=SC2086 # the list is meant to split into words
installed=" $(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' $packages 2>/dev/null |
	awk '$2 == "ii" { printf "%s ", $1 }')"

missing=
for entry in $NEEDED; do
	package=${entry%%:*}
	case "$installed" in *" $package "*) continue ;; esac
	case "$entry" in
	*:*) command -v "${entry#*:}" >/dev/null 2>&1 && continue ;;
	esac
	missing="$missing $package"
done

[ -n "$missing" ] || exit 0

if [ "$(id -u)" -eq 0 ]; then
	as_root=
elif command -v sudo >/dev/null 2>&1; then
	as_root=sudo
else
	echo "setup-tools: the tests need these packages, and installing them needs root:" >&2
	echo "    apt-get install$missing" >&2
	exit 1
fi

echo "setup-tools: installing$missing" >&2
$as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null >/dev/null
# shellcheck disable=SC2086 # the list is meant to split into words
$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing </dev/null
