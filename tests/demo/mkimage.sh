#!/bin/sh
# Builds a demo image (debian or alpine) as a `docker save` archive from the files in tests/demo/, with
# only tar and sha256sum, so that ./build.sh can scan it on a fresh machine without any network.
#
# Usage: sh tests/demo/mkimage.sh debian|alpine OUT.tar
#
# The debian image has three layers: the OS (os-release and dpkg status), an npm application
# whose node_modules/*/package.json files are written from debian/npm-packages (a folder named
# node_modules would be ignored by git), and a layer deleting node-fetch with a whiteout, so that
# the deleted package must give no finding. The alpine image is one layer. The output is the
# same bytes on every run.
set -eu
demo=$(cd "$(dirname "$0")" && pwd)
kind=${1:-}
out=${2:-}
case "$kind" in debian | alpine) ;; *) echo "usage: sh tests/demo/mkimage.sh debian|alpine OUT.tar" >&2; exit 2 ;; esac
[ -n "$out" ] || { echo "usage: sh tests/demo/mkimage.sh debian|alpine OUT.tar" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/customs-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mkdir "$work/archive"

# layer NAME DIR "CREATED_BY": one reproducible layer tar of the files under DIR.
layers='' history='' diff_ids=''
layer() {
	(cd "$2" && find . -mindepth 1 | LC_ALL=C sort | sed 's#^\./##') >"$work/$1.list"
	tar -C "$2" --no-recursion --numeric-owner --owner=0 --group=0 --mtime=@1700000000 \
		--format=gnu -T "$work/$1.list" -cf "$work/$1.tar"
	sum=$(sha256sum "$work/$1.tar" | cut -d' ' -f1)
	mkdir "$work/archive/$sum"
	mv "$work/$1.tar" "$work/archive/$sum/layer.tar"
	layers="$layers${layers:+,}\"$sum/layer.tar\""
	diff_ids="$diff_ids${diff_ids:+,}\"sha256:$sum\""
	history="$history${history:+,}{\"created\":\"2024-01-02T03:04:05Z\",\"created_by\":\"$3\"}"
}

umask 022
if [ "$kind" = debian ]; then
	mkdir -p "$work/l0/etc" "$work/l0/var/lib/dpkg" "$work/l1/app/node_modules" "$work/l2/app/node_modules"
	cp "$demo/debian/os-release" "$work/l0/etc/os-release"
	cp "$demo/debian/status" "$work/l0/var/lib/dpkg/status"
	printf '{\n  "name": "demo-app",\n  "version": "1.0.0",\n  "private": true\n}\n' >"$work/l1/app/package.json"
	grep -v '^#' "$demo/debian/npm-packages" | while read -r name version; do
		mkdir "$work/l1/app/node_modules/$name"
		printf '{\n  "name": "%s",\n  "version": "%s",\n  "license": "MIT"\n}\n' "$name" "$version" \
			>"$work/l1/app/node_modules/$name/package.json"
	done
	: >"$work/l2/app/node_modules/.wh.node-fetch"
	layer l0 "$work/l0" "ADD rootfs.tar /"
	layer l1 "$work/l1" "COPY app /app"
	layer l2 "$work/l2" "RUN rm -rf /app/node_modules/node-fetch"
	tag=customs-demo/debian:12
else
	mkdir -p "$work/l0/etc" "$work/l0/lib/apk/db"
	cp "$demo/alpine/os-release" "$work/l0/etc/os-release"
	cp "$demo/alpine/installed" "$work/l0/lib/apk/db/installed"
	layer l0 "$work/l0" "ADD alpine-minirootfs.tar /"
	tag=customs-demo/alpine:3.19
fi

printf '{"architecture":"amd64","os":"linux","created":"2024-01-02T03:04:05Z","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},"rootfs":{"type":"layers","diff_ids":[%s]},"history":[%s]}' \
	"$diff_ids" "$history" >"$work/config.json"
config=$(sha256sum "$work/config.json" | cut -d' ' -f1).json
mv "$work/config.json" "$work/archive/$config"
printf '[{"Config":"%s","RepoTags":["%s"],"Layers":[%s]}]' "$config" "$tag" "$layers" >"$work/archive/manifest.json"
(cd "$work/archive" && find . -mindepth 1 | LC_ALL=C sort | sed 's#^\./##') >"$work/archive.list"
tar -C "$work/archive" --no-recursion --numeric-owner --owner=0 --group=0 --mtime=@1700000000 \
	--format=gnu -T "$work/archive.list" -cf "$work/out.tar"
mv "$work/out.tar" "$out"
