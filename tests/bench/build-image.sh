#!/bin/sh
# Build and cache the benchmark images: a ~1 GB four-layer Debian image and its ~50 MB base alone.
#
# Usage: sh tests/bench/build-image.sh CACHE_DIR
# Leaves in CACHE_DIR: large.oci.tar and small.oci.tar (OCI archives, gzip layers),
# large.docker.tar and small.docker.tar (docker-archive, where skopeo stores layers uncompressed,
# as `docker save` does), NAME.packages (dpkg's own list of what is installed) and sizes.txt
# ("NAME ARCHIVE_BYTES UNCOMPRESSED_BYTES LAYERS"). Every step is skipped when its output
# exists, so only the first run pays for debootstrap and apt (several minutes).
set -eu

cache=${1:?usage: build-image.sh CACHE_DIR}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)

say() { echo "bench: $*" >&2; }

# The Debian mirror and suite come from this machine's apt configuration, so nothing here names
# a mirror: the first "deb" source whose suite has no "-" (not -updates, not -security) wins.
host_mirror() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk '
			function flush() {
				if (types ~ /(^| )deb( |$)/ && uri != "" && suite != "")
					{ print uri, suite; found = 1; exit }
				types = ""; uri = ""; suite = ""
			}
			/^[ \t]*$/ { flush(); next }
			/^Types:/ { sub(/^Types:[ \t]*/, ""); types = $0 }
			/^URIs:/ { uri = $2 }
			/^Suites:/ { for (i = 2; i <= NF; i++) if ($i !~ /-/) { suite = $i; break } }
			END { if (!found) flush() }
		' "$f"
	done
	if [ -r /etc/apt/sources.list ]; then
		# "deb [OPTIONS] URI SUITE COMPONENTS...", where the options may span several words.
		awk '$1 == "deb" {
			i = 2
			if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
			if ($(i + 1) !~ /-/) { print $i, $(i + 1); exit }
		}' /etc/apt/sources.list
	fi
}

# run_in_root ROOT COMMAND...: run a shell command inside the root with /proc mounted and the
# host's name resolution and apt sources, undoing all three afterwards.
run_in_root() {
	root=$1
	shift
	cp /etc/resolv.conf "$root/etc/resolv.conf"
	mkdir -p "$root/etc/apt/bench-saved"
	mv "$root/etc/apt/sources.list" "$root/etc/apt/bench-saved/" 2>/dev/null || true
	[ -r /etc/apt/sources.list ] && cp /etc/apt/sources.list "$root/etc/apt/sources.list"
	for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] && cp "$f" "$root/etc/apt/sources.list.d/bench-$(basename "$f")"
	done
	mount -t proc proc "$root/proc"
	rc=0
	chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive LC_ALL=C \
		PATH=/usr/sbin:/usr/bin:/sbin:/bin sh -c "$*" || rc=$?
	umount "$root/proc"
	rm -f "$root"/etc/apt/sources.list.d/bench-* "$root/etc/apt/sources.list"
	mv "$root/etc/apt/bench-saved/sources.list" "$root/etc/apt/" 2>/dev/null || true
	rmdir "$root/etc/apt/bench-saved"
	return $rc
}

# The oracle for the benchmark's sanity check: what dpkg itself says is installed.
installed_packages() {
	dpkg-query --admindir="$1/var/lib/dpkg" -W \
		-f '${db:Status-Status} ${binary:Package} ${Version}\n' | sed -n 's/^installed //p' | sort
}

base_root=$cache/minbase-root
if [ ! -e "$base_root/.done" ]; then
	rm -rf "$base_root"
	# shellcheck disable=SC2046 # "URI SUITE" split into two
	set -- $(host_mirror | head -n 1)
	[ $# -eq 2 ] || { say "cannot find a Debian mirror in /etc/apt"; exit 1; }
	say "debootstrap --variant=minbase $2 (a few minutes, cached)"
	debootstrap --variant=minbase "$2" "$base_root" "$1" >"$cache/debootstrap.log" 2>&1 ||
		{ tail -n 20 "$cache/debootstrap.log" >&2; exit 1; }
	touch "$base_root/.done"
fi

# A CI builder image on top of the base: compilers, Python with headers and pip, and Java.
# Each NAME:PACKAGES is one layer, what one `apt-get install` adds.
layer_specs="compiler:gcc g++ make gdb"
layer_specs="$layer_specs|python:python3 python3-dev python3-pip python3-venv"
layer_specs="$layer_specs|java:default-jre-headless default-jdk-headless"
# Bump the leading number when the packing steps change: a new recipe rebuilds the images.
recipe=$(echo "4 $layer_specs" | sha256sum | cut -c1-16)
layout=$cache/oci
bundle=$cache/bundle
# A run that stopped inside the chroot leaves /proc mounted there: never delete through it.
remove_bundle() {
	umount "$bundle/rootfs/proc" 2>/dev/null || true
	rm -rf --one-file-system "$bundle"
}
trap 'umount "$bundle/rootfs/proc" 2>/dev/null || true' EXIT
if [ "$(cat "$cache/recipe" 2>/dev/null)" != "$recipe" ]; then
	remove_bundle
	rm -rf "$layout" "$cache"/*.tar "$cache"/*.oci-folder "$cache"/*.packages "$cache/sizes.txt"
fi
if [ ! -e "$layout/.done" ]; then
	remove_bundle
	rm -rf "$layout"
	umoci init --layout "$layout"
	umoci new --image "$layout:large"
	umoci unpack --image "$layout:large" "$bundle"
	say "packing layer 1: base"
	(cd "$base_root" && tar --exclude=./.done -cf - .) | (cd "$bundle/rootfs" && tar -xpf -)
	# Like the distribution's own images, the base carries no apt package lists nor .deb files.
	rm -rf "$bundle"/rootfs/var/lib/apt/lists/* "$bundle"/rootfs/var/cache/apt/*.bin \
		"$bundle"/rootfs/var/cache/apt/archives/*.deb
	# --refresh-bundle makes the next repack diff against this layer, not against the empty image.
	umoci repack --refresh-bundle --history.created_by="debootstrap --variant=minbase" \
		--image "$layout:large" "$bundle"
	umoci tag --image "$layout:large" small
	installed_packages "$bundle/rootfs" >"$cache/small.packages"

	step=2
	old_ifs=$IFS
	IFS='|'
	# shellcheck disable=SC2086 # split on "|" into one spec per layer
	set -- $layer_specs
	IFS=$old_ifs
	for spec; do
		name=${spec%%:*}
		pkgs=${spec#*:}
		say "packing layer $step: $name (apt-get install $pkgs)"
		run_in_root "$bundle/rootfs" "apt-get update -qq && apt-get install -y -qq $pkgs &&
			apt-get clean && rm -rf /var/lib/apt/lists/*" >"$cache/apt.log" 2>&1 ||
			{ tail -n 20 "$cache/apt.log" >&2; exit 1; }
		umoci repack --refresh-bundle --history.created_by="apt-get install -y $pkgs" \
			--image "$layout:large" "$bundle"
		step=$((step + 1))
	done
	installed_packages "$bundle/rootfs" >"$cache/large.packages"
	umoci gc --layout "$layout"
	remove_bundle
	touch "$layout/.done"
	echo "$recipe" >"$cache/recipe"
fi

for tag in small large; do
	[ -s "$cache/$tag.packages" ] && continue
	remove_bundle
	umoci unpack --image "$layout:$tag" "$bundle" >/dev/null
	installed_packages "$bundle/rootfs" >"$cache/$tag.packages"
	remove_bundle
done

for tag in small large; do
	for kind in docker oci; do
		out=$cache/$tag.$kind.tar
		[ -s "$out" ] && continue
		rm -f "$out"
		case $kind in
		docker) dest=docker-archive:$out:customs-bench:$tag ;;
		oci) dest=oci-archive:$out:$tag ;;
		esac
		say "writing $out"
		skopeo copy --quiet "oci:$layout:$tag" "$dest"
	done
done

if [ ! -s "$cache/sizes.txt" ]; then
	for tag in small large; do
		# The uncompressed size is what the layers unpack to, read from the docker archive.
		raw=$(tar -tvf "$cache/$tag.docker.tar" | awk '{ s += $3 } END { print s }')
		# Every blob but the manifest and the config is a layer.
		blobs=$(tar -tf "$cache/$tag.oci.tar" | grep -c '^blobs/sha256/.') || true
		echo "$tag $(stat -c %s "$cache/$tag.oci.tar") $raw $((blobs - 2))"
	done >"$cache/sizes.txt.tmp"
	mv "$cache/sizes.txt.tmp" "$cache/sizes.txt"
fi
