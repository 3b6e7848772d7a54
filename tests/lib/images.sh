# Builds and caches the real test images for the end-to-end tests: a Debian 12 minbase root from
# debootstrap, layered with umoci (npm tree, whiteouts, a dpkg purge, an opaque whiteout), then
# converted with skopeo and mkimage.py into every input kind `customs sbom` reads.
#
# Source it after test-lib.sh and call images_build; it prints nothing on success and sets the
# IMG_* variables below. Everything slow is cached under $CUSTOMS_TEST_CACHE, keyed by two
# versions: bump ROOTFS_VERSION when the debootstrap step changes, IMAGES_VERSION when the layers
# or the conversions change.

ROOTFS_VERSION=1
IMAGES_VERSION=1
IMAGES_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
IMAGES_DIR=$CUSTOMS_TEST_CACHE/images-v$IMAGES_VERSION-rootfs-v$ROOTFS_VERSION
IMAGE_TAG=test
# Debian's own python3 starts fastest; any python3 works.
if [ -x /usr/bin/python3 ]; then IMAGES_PYTHON=/usr/bin/python3; else IMAGES_PYTHON=python3; fi

# The apt mirror for bookworm, read from the machine's own apt sources so that no host name is
# written in the repository. CUSTOMS_TEST_MIRROR overrides it.
images_mirror() {
	if [ -n "${CUSTOMS_TEST_MIRROR:-}" ]; then
		echo "$CUSTOMS_TEST_MIRROR"
		return 0
	fi
	# deb822 files: the first stanza of Types deb with Suites holding bookworm.
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk '
			function flush() {
				if (types ~ /(^| )deb( |$)/ && suites ~ /(^| )bookworm( |$)/ && uri != "") {
					print uri; found = 1; exit
				}
				types = ""; suites = ""; uri = ""
			}
			/^[ \t]*#/ { next }
			/^[ \t]*$/ { flush(); next }
			tolower($1) == "types:" { $1 = ""; types = $0 " " }
			tolower($1) == "suites:" { $1 = ""; suites = $0 " " }
			tolower($1) == "uris:" { uri = $2 }
			END { if (!found) flush() }
		' "$f" | head -n 1
	done | head -n 1 | grep . && return 0
	# One-line format: deb [options] URI bookworm components...
	if [ -r /etc/apt/sources.list ]; then
		sed -e 's/#.*//' -e 's/\[[^]]*\]//' /etc/apt/sources.list |
			awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' | grep . && return 0
	fi
	echo "images_mirror: no bookworm mirror in the apt sources; set CUSTOMS_TEST_MIRROR" >&2
	return 1
}

# A Debian 12 minbase root filesystem as a tarball, made once by debootstrap.
images_rootfs_tar() {
	local tarball=$CUSTOMS_TEST_CACHE/debian12-minbase-v$ROOTFS_VERSION.tar
	if [ ! -s "$tarball" ]; then
		local mirror root
		mirror=$(images_mirror) || return 1
		root=$(mktemp -d "$CUSTOMS_TEST_CACHE/debootstrap.XXXXXX") || return 1
		if ! debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1; then
			echo "debootstrap failed; the end of its log:" >&2
			tail -n 20 "$root.log" >&2
			rm -rf "$root" "$root.log"
			return 1
		fi
		# Leftovers of the bootstrap itself are not part of an image.
		rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/debootstrap
		tar --numeric-owner --xattrs -C "$root" -cf "$tarball.tmp" . &&
			mv "$tarball.tmp" "$tarball"
		rm -rf "$root" "$root.log"
	fi
	echo "$tarball"
}

# What each layer of the test image does, as its history records it. The history also holds two
# entries without a layer (ENV before the first layer, USER after the last), as Dockerfiles do.
IMG_CB_ENV='ENV NODE_ENV=production'
IMG_CB_L0='debootstrap --variant=minbase bookworm'
IMG_CB_L1='RUN npm install ms@2.1.3 debug@4.3.4 left-pad@1.3.0 @isaacs/string-locale-compare@1.1.0'
IMG_CB_L2='RUN rm -rf /app/node_modules/left-pad /etc/motd'
IMG_CB_L3='RUN dpkg --purge tzdata && dpkg --remove e2fsprogs'
IMG_CB_L4='COPY tools/node_modules/ /opt/tools/node_modules/'
IMG_CB_USER='USER 1000:1000'
IMG_NPM_APP='ms@2.1.3 debug@4.3.4 left-pad@1.3.0 @isaacs/string-locale-compare@1.1.0'
IMG_NPM_TOOLS='isarray@2.0.5 inherits@2.0.4'
IMG_NPM_CHECKOUT='semver@7.5.4 @tootallnate/once@2.0.0'
IMG_WHITEOUT_NPM=left-pad # its folder is deleted by layer 2 while both lockfiles still list it
IMG_OPAQUE_NPM=isarray # hidden by the opaque whiteout of layer 4
IMG_PURGED_DEB=tzdata
IMG_REMOVED_DEB=e2fsprogs # removed, not purged: dpkg keeps it as "deinstall ok config-files"
IMG_NR_LAYERS=5

# Paths of the built images. IMG_KINDS lists "NAME TARGET" pairs of the same image in every
# input kind, the root filesystem folder (dir:) last.
images_vars() {
	IMG_OCI=$IMAGES_DIR/oci
	IMG_ROOT=$IMAGES_DIR/final/rootfs
	IMG_KINDS="oci-layout oci:$IMAGES_DIR/oci:$IMAGE_TAG
oci-layout-untagged oci:$IMAGES_DIR/oci
oci-zstd oci:$IMAGES_DIR/oci-zstd:$IMAGE_TAG
oci-archive $IMAGES_DIR/oci-archive.tar
oci-archive-dotslash $IMAGES_DIR/oci-archive-dotslash.tar
docker-skopeo $IMAGES_DIR/docker-skopeo.tar
docker-manifest-first $IMAGES_DIR/docker-manifest-first.tar
docker-legacy $IMAGES_DIR/docker-legacy.tar
docker-legacy-gz $IMAGES_DIR/docker-legacy.tar.gz
docker-legacy-zst $IMAGES_DIR/docker-legacy.tar.zst
docker25 $IMAGES_DIR/docker25.tar
rootfs dir:$IMAGES_DIR/final/rootfs"
}

# images_ready: build the images unless cached. Returns 0 when they are ready, 77 when this
# machine cannot build them (IMAGES_WHY says why; the caller skips), 1 when the build failed.
images_ready() {
	local tool
	images_vars
	for tool in umoci skopeo debootstrap npm jq python3 zstd dpkg-query; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			IMAGES_WHY="$tool is not installed (tests/setup-tools.sh installs it)"
			return 77
		fi
	done
	if [ ! -e "$IMAGES_DIR/.complete" ] && [ "$(id -u)" != 0 ]; then
		IMAGES_WHY="building the test images needs root (debootstrap, chroot, umoci)"
		return 77
	fi
	images_build
}

# Build every image once; later calls only set the variables. A lock keeps two test scripts
# from building at the same time.
images_build() {
	images_vars
	[ -e "$IMAGES_DIR/.complete" ] && return 0
	mkdir -p "$CUSTOMS_TEST_CACHE" || return 1
	(
		flock 9 || exit 1
		[ -e "$IMAGES_DIR/.complete" ] && exit 0
		work=$IMAGES_DIR.tmp
		rm -rf "$work" && mkdir -p "$work" || exit 1
		if ! images_make "$work" >"$work.log" 2>&1; then
			echo "building the test images failed; the end of $work.log:" >&2
			tail -n 30 "$work.log" >&2
			exit 1
		fi
		rm -rf "$IMAGES_DIR" && mv "$work" "$IMAGES_DIR" && rm -f "$work.log" &&
			touch "$IMAGES_DIR/.complete"
	) 9>"$CUSTOMS_TEST_CACHE/.images.lock"
}

# The recipe. Runs with -e semantics by hand: every step is chained.
images_make() {
	local w=$1 rootfs_tar oci bundle r stage
	set -x
	rootfs_tar=$(images_rootfs_tar) || return 1
	oci=$w/oci bundle=$w/bundle r=$w/bundle/rootfs stage=$w/stage
	umoci init --layout "$oci" &&
		umoci new --image "$oci:$IMAGE_TAG" &&
		umoci config --image "$oci:$IMAGE_TAG" --config.env NODE_ENV=production \
			--history.created_by "$IMG_CB_ENV" &&
		umoci unpack --image "$oci:$IMAGE_TAG" "$bundle" || return 1

	# Layer 0: the Debian root.
	tar --numeric-owner --xattrs -C "$r" -xf "$rootfs_tar" &&
		umoci repack --refresh-bundle --image "$oci:$IMAGE_TAG" \
			--history.created_by "$IMG_CB_L0" "$bundle" || return 1

	# Layer 1: real npm trees, installed from the registry npm is configured for. debug@4.3.4
	# wants ms@2.1.2, so npm nests it under debug/node_modules. The checkout has a lockfile only.
	local npm_flags="--no-audit --no-fund --no-update-notifier --loglevel=error"
	npm install $npm_flags --prefix "$r/app" $IMG_NPM_APP &&
		npm install $npm_flags --prefix "$r/opt/tools" $IMG_NPM_TOOLS &&
		mkdir -p "$r/srv/checkout" &&
		echo '{ "name": "checkout", "private": true }' >"$r/srv/checkout/package.json" &&
		npm install $npm_flags --package-lock-only --prefix "$r/srv/checkout" $IMG_NPM_CHECKOUT &&
		[ ! -e "$r/srv/checkout/node_modules" ] &&
		umoci repack --refresh-bundle --image "$oci:$IMAGE_TAG" \
			--history.created_by "$IMG_CB_L1" "$bundle" || return 1

	# Layer 2: deletions become .wh. whiteouts.
	rm -rf "$r/app/node_modules/$IMG_WHITEOUT_NPM" "$r/etc/motd" &&
		umoci repack --refresh-bundle --image "$oci:$IMAGE_TAG" \
			--history.created_by "$IMG_CB_L2" "$bundle" || return 1

	# Layer 3: dpkg rewrites its status file; the purged package leaves no trace, the removed
	# one stays as config-files.
	chroot "$r" dpkg --purge "$IMG_PURGED_DEB" &&
		chroot "$r" dpkg --remove "$IMG_REMOVED_DEB" &&
		umoci repack --refresh-bundle --image "$oci:$IMAGE_TAG" \
			--history.created_by "$IMG_CB_L3" "$bundle" || return 1

	# Layer 4, made by hand because umoci never writes opaque whiteouts: it hides everything
	# below opt/tools/node_modules and puts back one package. The marker comes last in the tar,
	# so it must not hide what this same layer adds.
	mkdir -p "$stage/opt/tools/node_modules" &&
		cp -a "$r/opt/tools/node_modules/inherits" "$stage/opt/tools/node_modules/" &&
		touch "$stage/opt/tools/node_modules/.wh..wh..opq" &&
		(cd "$stage" && find opt ! -name .wh..wh..opq | sort &&
			echo opt/tools/node_modules/.wh..wh..opq) >"$w/l4.list" &&
		tar --numeric-owner --owner=0 --group=0 --no-recursion -C "$stage" -T "$w/l4.list" \
			-cf "$w/l4.tar" &&
		umoci raw add-layer --image "$oci:$IMAGE_TAG" --history.created_by "$IMG_CB_L4" "$w/l4.tar" &&
		umoci config --image "$oci:$IMAGE_TAG" --config.user 1000:1000 \
			--history.created_by "$IMG_CB_USER" &&
		umoci gc --layout "$oci" || return 1
	rm -rf "$bundle" "$stage" "$w/l4.tar" "$w/l4.list"

	# The final filesystem, as umoci applies the layers: the folder for dir: and the oracles.
	umoci unpack --image "$oci:$IMAGE_TAG" "$w/final" || return 1

	# The same image in every other input kind.
	skopeo copy -q "oci:$oci:$IMAGE_TAG" "oci-archive:$w/oci-archive.tar:$IMAGE_TAG" &&
		tar -C "$oci" -cf "$w/oci-archive-dotslash.tar" . &&
		skopeo copy -q --dest-compress-format zstd --dest-compress \
			"oci:$oci:$IMAGE_TAG" "oci:$w/oci-zstd:$IMAGE_TAG" &&
		skopeo copy -q "oci:$oci:$IMAGE_TAG" "docker-archive:$w/docker-skopeo.tar:customs-test:latest" &&
		"$IMAGES_PYTHON" "$IMAGES_LIB/mkimage.py" retar "$w/docker-skopeo.tar" "$w/docker-manifest-first.tar" \
			--first manifest.json &&
		"$IMAGES_PYTHON" "$IMAGES_LIB/mkimage.py" legacy "$w/docker-skopeo.tar" "$w/docker-legacy.tar" &&
		"$IMAGES_PYTHON" "$IMAGES_LIB/mkimage.py" docker25 "$w/docker-skopeo.tar" "$w/docker25.tar" &&
		gzip -1 -c "$w/docker-legacy.tar" >"$w/docker-legacy.tar.gz" &&
		zstd -q -1 -T0 -c "$w/docker-legacy.tar" >"$w/docker-legacy.tar.zst" || return 1
	set +x
}

# require_images WHAT: build or find the cached test images and the binary under test; when they
# cannot be had, report WHAT as skipped (tools missing) or failed, and end the test script.
require_images() {
	images_ready
	case $? in
	0) ;;
	77)
		test_skip "$1" "$IMAGES_WHY"
		test_done
		exit 0
		;;
	*)
		say_fail 'build the test images'
		test_done
		exit 1
		;;
	esac
	if [ ! -x "$CUSTOMS" ]; then
		say_fail "the binary under test $CUSTOMS does not exist"
		test_done
		exit 1
	fi
}
