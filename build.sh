#!/bin/bash
# One set-up command: installs the build tools, builds the static musl dependencies from Debian
# source packages into a cached prefix, links the fully static build/customs and runs a demo scan.
if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi
set -eu
set -o pipefail

if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		echo "build.sh: not root, re-running through sudo" >&2
		exec sudo -- bash "$0" "$@"
	fi
	echo "build.sh: must run as root (apt-get installs the build tools), and sudo is missing" >&2
	exit 1
fi

cd "$(dirname "$0")"
ROOT=$(pwd)
BUILD=$ROOT/build
SRC=$BUILD/src
LOGS=$BUILD/logs
PREFIX=$BUILD/deps
STAMP=$PREFIX/.stamp
JOBS=$(nproc)
export DEBIAN_FRONTEND=noninteractive
export LC_ALL=C

# Source package names as apt-get source knows them; libzstd is the source of the zstd binaries.
DEP_SOURCES="zlib libzstd mbedtls cjson curl libarchive"
BUILD_TOOLS="gcc libc6-dev make dpkg-dev pkg-config musl-tools file ca-certificates xz-utils patch"

# ---------------------------------------------------------------------------------------------
# Logging and timing: dependency builds write to build/logs/NAME.log; a failure shows the tail.

mkdir -p "$LOGS"
script_start=$EPOCHREALTIME
step_name=
step_start=

now_ms() {
	local t=$EPOCHREALTIME
	echo $(( ${t%.*} * 1000 + 10#${t#*.} / 1000 ))
}

elapsed() {
	local ms=$(( $(now_ms) - $1 ))
	printf '%d.%ds' $((ms / 1000)) $((ms % 1000 / 100))
}

step() {
	step_end
	step_name=$1
	step_start=$(now_ms)
	printf '==> %s\n' "$step_name"
}

step_end() {
	if [ -n "$step_name" ]; then
		printf '    done in %s\n' "$(elapsed "$step_start")"
	fi
	step_name=
}

die() {
	echo "build.sh: error: $*" >&2
	exit 1
}

# logged NAME COMMAND...: run COMMAND with its output appended to build/logs/NAME.log.
logged() {
	local name=$1 log=$LOGS/$1.log
	shift
	if ! "$@" </dev/null >>"$log" 2>&1; then
		echo "build.sh: error: '$*' failed; last lines of $log:" >&2
		tail -n 40 "$log" | sed 's/^/    /' >&2
		exit 1
	fi
}

# ---------------------------------------------------------------------------------------------
# apt configuration.

# missing_packages PACKAGE...: those of the PACKAGEs that are not installed, in one query.
missing_packages() {
	dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "$@" 2>/dev/null |
		awk -v want="$*" '
		$2 == "ii" { ok[$1] = 1 }
		END { n = split(want, w, " "); for (i = 1; i <= n; i++) if (!ok[w[i]]) printf "%s ", w[i] }'
}

have_deb_src() {
	apt-get indextargets --no-release-info --format '$(TARGET_OF)' 2>/dev/null | grep -qx deb-src
}

# The distribution's own suites (e.g. bookworm, bookworm-updates, bookworm-security) are the
# ones with source packages; third-party repositories rarely publish them, so they are left out,
# and so are backports, which would otherwise win the newest-version pick.
distro_codename() {
	local VERSION_CODENAME=
	. /etc/os-release
	[ -n "$VERSION_CODENAME" ] || die "cannot find VERSION_CODENAME in /etc/os-release"
	echo "$VERSION_CODENAME"
}

# deb822 stanzas of the distribution's suites, turned into deb-src stanzas.
deb822_to_src() {
	awk -v codename="$1" '
	function suite_matches(list,   n, i, s) {
		n = split(list, s, /[ \t]+/)
		for (i = 1; i <= n; i++)
			if (s[i] == codename || (index(s[i], codename "-") == 1 && s[i] !~ /-(backports.*|proposed)$/))
				return 1
		return 0
	}
	function flush() {
		if (nlines && has_deb && enabled && suite_matches(suites)) {
			printf "%s", (emitted ? "\n" : "")
			for (i = 1; i <= nlines; i++)
				print (lines[i] ~ /^Types:/ ? "Types: deb-src" : lines[i])
			emitted = 1
		}
		nlines = 0; has_deb = 0; enabled = 1; suites = ""
	}
	BEGIN { enabled = 1 }
	/^[ \t]*$/ { flush(); next }
	/^#/ { next }
	{
		lines[++nlines] = $0
		if ($1 == "Types:") { for (i = 2; i <= NF; i++) if ($i == "deb") has_deb = 1 }
		if ($1 == "Suites:") { suites = $0; sub(/^Suites:[ \t]*/, "", suites) }
		if ($1 == "Enabled:" && tolower($2) == "no") enabled = 0
	}
	END { flush() }
	' "$2"
}

# One-line-style "deb [options] URI SUITE COMPONENTS..." entries, turned into deb-src lines.
list_to_src() {
	awk -v codename="$1" '
	$1 == "deb" {
		i = 2
		if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
		suite = $(i + 1)
		if (suite == codename || (index(suite, codename "-") == 1 && suite !~ /-(backports.*|proposed)$/)) {
			sub(/^[ \t]*deb/, "deb-src")
			print
		}
	}
	' "$2"
}

# Adds deb-src entries derived from the machine's own apt sources, never naming a mirror itself.
add_deb_src() {
	local codename f out
	codename=$(distro_codename)
	out=$(mktemp)
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		case "$f" in */customs-deb-src.sources) continue ;; esac
		if [ -s "$out" ]; then echo >>"$out"; fi
		deb822_to_src "$codename" "$f" >>"$out"
	done
	if [ -s "$out" ]; then
		install -m 0644 "$out" /etc/apt/sources.list.d/customs-deb-src.sources
		echo "    added /etc/apt/sources.list.d/customs-deb-src.sources" >&2
	fi
	: >"$out"
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		case "$f" in */customs-deb-src.list) continue ;; esac
		list_to_src "$codename" "$f" >>"$out"
	done
	if [ -s "$out" ]; then
		install -m 0644 "$out" /etc/apt/sources.list.d/customs-deb-src.list
		echo "    added /etc/apt/sources.list.d/customs-deb-src.list" >&2
	fi
	rm -f "$out"
	have_deb_src || die "no deb-src entry could be derived from /etc/apt: add one for the '$codename' suites"
}

# "PACKAGE VERSION" lines: the newest source version apt knows for each dependency.
source_versions() {
	local p v
	for p in $DEP_SOURCES; do
		v=$(apt-cache showsrc --only-source "$p" 2>/dev/null |
			sed -n 's/^Version: //p' | sort -V | tail -n 1)
		[ -n "$v" ] || return 1
		echo "$p $v"
	done
}

# ---------------------------------------------------------------------------------------------
step "build tools and deb-src entry"
: >"$LOGS/apt.log"
need_update=0
missing=$(missing_packages $BUILD_TOOLS)
[ -z "$missing" ] || need_update=1
# Known source versions prove a deb-src entry with fresh indexes; only otherwise look further.
if ! versions=$(source_versions); then
	versions=
	have_deb_src || add_deb_src
	need_update=1
fi
if [ "$need_update" = 1 ]; then
	echo "    apt-get update"
	logged apt apt-get update
fi
if [ -n "$missing" ]; then
	echo "    installing: $missing"
	logged apt apt-get install -y --no-install-recommends $missing
fi
command -v musl-gcc >/dev/null || die "musl-gcc is missing after installing musl-tools"
if [ -z "$versions" ]; then
	versions=$(source_versions) || die "apt knows no source package for one of: $DEP_SOURCES"
fi

#>>> deps-recipe: everything from here to the end marker is part of the cache key.
DEP_CFLAGS="-O2 -g0 -fstack-protector-strong -ffunction-sections -fdata-sections"
export CC=musl-gcc
export PKG_CONFIG_LIBDIR=$PREFIX/lib/pkgconfig
export PKG_CONFIG_PATH=
unset CPPFLAGS LDFLAGS LIBS CFLAGS

build_zlib() {
	cd "$SRC/zlib"
	logged zlib env CFLAGS="$DEP_CFLAGS" ./configure --static --prefix="$PREFIX"
	logged zlib make -j"$JOBS" libz.a
	logged zlib make install
}

build_zstd() {
	# CFLAGS is explicit, or the one in the environment would replace upstream's -O3. Image
	# layers never use the pre-1.0 formats, and nothing trains dictionaries: both stay out,
	# which also drops old decoder code from what hostile input can reach.
	cd "$SRC/libzstd/lib"
	logged zstd make -j"$JOBS" libzstd.a ZSTD_LEGACY_SUPPORT=0 ZSTD_LIB_DICTBUILDER=0 \
		CFLAGS="-O3 -g0 -fstack-protector-strong -ffunction-sections -fdata-sections"
	logged zstd make install-static install-includes install-pc PREFIX="$PREFIX"
}

build_mbedtls() {
	cd "$SRC/mbedtls"
	sed -i -e 's|^//[[:space:]]*#define MBEDTLS_THREADING_C$|#define MBEDTLS_THREADING_C|' \
		-e 's|^//[[:space:]]*#define MBEDTLS_THREADING_PTHREAD$|#define MBEDTLS_THREADING_PTHREAD|' \
		include/mbedtls/config.h
	grep -q '^#define MBEDTLS_THREADING_C$' include/mbedtls/config.h &&
		grep -q '^#define MBEDTLS_THREADING_PTHREAD$' include/mbedtls/config.h ||
		die "mbedtls: cannot enable MBEDTLS_THREADING_C/PTHREAD in include/mbedtls/config.h"
	# entropy_poll.c only uses getrandom() under glibc; without it TLS needs /dev/urandom.
	sed -i 's#((defined(__linux__) && defined(__GLIBC__)) || defined(__midipix__))#(defined(__linux__) || defined(__midipix__))#' \
		library/entropy_poll.c
	grep -q '(defined(__linux__) || defined(__midipix__))' library/entropy_poll.c ||
		die "mbedtls: the getrandom() condition in library/entropy_poll.c was not found"
	logged mbedtls make -j"$JOBS" -C library static CC="$CC" CFLAGS="$DEP_CFLAGS"
	mkdir -p "$PREFIX/include" "$PREFIX/lib"
	cp -R include/mbedtls include/psa "$PREFIX/include/"
	cp library/libmbedtls.a library/libmbedx509.a library/libmbedcrypto.a "$PREFIX/lib/"
}

build_cjson() {
	cd "$SRC/cjson"
	logged cjson "$CC" $DEP_CFLAGS -std=c89 -c cJSON.c -o cJSON.o
	logged cjson ar rcs libcjson.a cJSON.o
	mkdir -p "$PREFIX/include/cjson" "$PREFIX/lib"
	cp cJSON.h "$PREFIX/include/cjson/cJSON.h"
	cp libcjson.a "$PREFIX/lib/"
}

build_curl() {
	cd "$SRC/curl"
	logged curl ./configure --prefix="$PREFIX" CFLAGS="$DEP_CFLAGS" \
		CPPFLAGS="-I$PREFIX/include" LDFLAGS="-L$PREFIX/lib" \
		--disable-shared --enable-static --enable-threaded-resolver --with-mbedtls="$PREFIX" \
		--without-openssl --without-gnutls --without-wolfssl --without-bearssl --without-rustls \
		--without-nss --with-zlib="$PREFIX" --without-zstd --without-brotli --without-libpsl \
		--without-libidn2 --without-libgsasl --without-nghttp2 --without-ngtcp2 --without-nghttp3 \
		--without-quiche --without-msh3 --without-libssh2 --without-libssh --without-wolfssh \
		--without-librtmp --without-hyper --disable-ldap --disable-ldaps --disable-rtsp \
		--disable-dict --disable-telnet --disable-tftp --disable-pop3 --disable-imap --disable-smb \
		--disable-smtp --disable-gopher --disable-mqtt --disable-ftp --disable-file \
		--disable-manual --disable-ntlm --disable-ntlm-wb --disable-tls-srp --disable-netrc \
		--enable-http --enable-proxy --enable-ipv6 \
		--with-ca-bundle=/etc/ssl/certs/ca-certificates.crt --without-ca-path
	logged curl make -j"$JOBS" -C lib
	logged curl make -C lib install
	logged curl make -C include install
	logged curl make install-pkgconfigDATA
}

build_libarchive() {
	# Debian's patches touch configure.ac: without --disable-maintainer-mode make runs automake.
	cd "$SRC/libarchive"
	logged libarchive ./configure --prefix="$PREFIX" CFLAGS="$DEP_CFLAGS" \
		CPPFLAGS="-I$PREFIX/include" LDFLAGS="-L$PREFIX/lib" \
		--disable-shared --enable-static --disable-maintainer-mode --disable-bsdtar \
		--disable-bsdcat --disable-bsdcpio --disable-acl --disable-xattr --with-zlib --with-zstd \
		--without-lzma --without-bz2lib --without-lz4 --without-libb2 --without-lzo2 \
		--without-openssl --without-nettle --without-mbedtls --without-cng --without-xml2 \
		--without-expat --without-iconv
	grep -q '^#define HAVE_ZSTD_H 1' config.h && grep -q '^#define HAVE_ZLIB_H 1' config.h ||
		die "libarchive: configure did not find zlib and zstd in $PREFIX (see $LOGS/libarchive.log)"
	logged libarchive make -j"$JOBS" libarchive.la
	logged libarchive make install-libLTLIBRARIES install-includeHEADERS install-pkgconfigDATA
}
#<<< deps-recipe

# The cache key: what would be built (source versions), how (the recipe above) and with what.
cache_key() {
	echo "$1"
	echo "recipe $(sed -n '/^#>>> deps-recipe/,/^#<<< deps-recipe/p' "$ROOT/build.sh" | sha256sum | cut -c1-16)"
	echo "musl $(dpkg-query -W -f='${Version}' musl-dev) gcc $(dpkg-query -W -f='${Version}' gcc)"
}

# timed_build LIB: build_LIB, then one line with its time.
timed_build() {
	local start
	start=$(now_ms)
	"build_$1"
	printf '    %-10s built in %s\n' "$1" "$(elapsed "$start")"
}

# dsc_for PKG: the newest downloaded .dsc of PKG, so an older leftover never wins.
dsc_for() {
	local f
	f=$(ls "$SRC"/"$1"_*.dsc 2>/dev/null | sort -V | tail -n 1)
	[ -n "$f" ] || die "no $1 .dsc in $SRC after apt-get source"
	echo "$f"
}

step "dependency cache"
key=$(cache_key "$versions")
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$key" ]; then
	echo "    up to date in build/deps: $(echo "$versions" | tr ' \n' '= ')"
else
	echo "    rebuilding build/deps"
	rm -rf "$PREFIX" "$SRC"
	mkdir -p "$SRC" "$PREFIX"
	rm -f "$LOGS"/{apt-source,extract,zlib,zstd,mbedtls,cjson,curl,libarchive}.log

	step "apt-get source"
	# Asking for the exact versions of the key keeps the key true to what gets built.
	(cd "$SRC" && logged apt-source apt-get source --download-only $(echo "$versions" | tr ' ' '='))
	while read -r p v; do
		dsc=$(dsc_for "$p")
		[ "$(basename "$dsc")" = "${p}_${v#*:}.dsc" ] || die "expected ${p}_${v#*:}.dsc, found $dsc"
		logged extract dpkg-source --no-check -x "$dsc" "$SRC/$p"
		echo "    $(basename "$dsc")"
	done <<<"$versions"

	# configure scripts are serial, so two independent chains keep both cores busy. Each chain
	# is a plain list, not an && list, so that set -e still stops it at its first failure.
	step "build dependencies"
	timed_build zlib
	(timed_build zstd; timed_build libarchive) &
	chain_archive=$!
	(timed_build mbedtls; timed_build cjson; timed_build curl) &
	chain_curl=$!
	chains_ok=1
	wait "$chain_archive" || chains_ok=0
	wait "$chain_curl" || chains_ok=0
	[ "$chains_ok" = 1 ] || die "a dependency failed to build (logs in $LOGS)"
	cd "$ROOT"
	for a in libz libzstd libmbedtls libmbedx509 libmbedcrypto libcjson libcurl libarchive; do
		[ -f "$PREFIX/lib/$a.a" ] || die "$PREFIX/lib/$a.a is missing after the build"
	done
	echo "$key" >"$STAMP"
	# New libraries with unchanged headers would not make make relink on its own.
	rm -f "$BUILD/customs" "$BUILD/unit-tests"
fi

# ---------------------------------------------------------------------------------------------
step "build customs (static, musl)"
cd "$ROOT"
unset CC PKG_CONFIG_LIBDIR PKG_CONFIG_PATH
: >"$LOGS/customs.log"
logged customs make -j"$JOBS"
ftype=$(file -b build/customs)
case "$ftype" in
*"statically linked"*) echo "    build/customs: $ftype" | cut -c1-160 ;;
*) die "build/customs is not statically linked: $ftype" ;;
esac

if [ -n "${SUDO_UID:-}" ] && [ -n "${SUDO_GID:-}" ]; then
	# Through sudo the tree belongs to the caller again, so a later plain make works.
	chown -R "$SUDO_UID:$SUDO_GID" "$BUILD"
fi

step "demo scan"
# The demo database and image come from tests/demo/ (see its README): a few dozen advisories
# written for the project and a small Debian 12 image, so real findings show without a network.
echo "\$ build/customs --version"
build/customs --version
sh tests/demo/mkimage.sh debian build/demo-debian.tar || die "cannot build the demo image from tests/demo/"
echo "\$ build/customs db build --output build/demo.db tests/demo/osv"
build/customs db build --output build/demo.db tests/demo/osv </dev/null ||
	die "cannot build the demo database from tests/demo/osv"
if [ -n "${SUDO_UID:-}" ] && [ -n "${SUDO_GID:-}" ]; then
	chown "$SUDO_UID:$SUDO_GID" build/demo.db build/demo-debian.tar
fi
echo "\$ build/customs scan --db build/demo.db build/demo-debian.tar"
# Exit code 1 means findings failed a policy, which is what a demo of vulnerable packages shows.
demo_rc=0
build/customs scan --db build/demo.db build/demo-debian.tar </dev/null || demo_rc=$?
[ "$demo_rc" -le 1 ] || die "the demo scan failed with exit code $demo_rc"
step_end
printf 'build.sh: all done in %s\n' "$(elapsed $(( ${script_start%.*} * 1000 + 10#${script_start#*.} / 1000 )))"
