#!/bin/bash
# customs scan against real advisories (../shared/data): exactly the findings an independent oracle computes, with their fixed versions.
#
# The oracle is tests/lib/expect-findings.py: it reads the same advisory files and the final
# root filesystem, and orders versions with the reference tools (dpkg --compare-versions, node's
# semver, the apk reference programs of tests/vectors/gen-apk.py). The images are built here from
# real package versions: those the Debian tracker names for each release's suites, an Alpine
# installed database from a real image, and npm packages at versions below and at the fixes.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$TESTS_DIR/lib/images.sh"

if ! have_shared_data; then
	test_skip 'scan against real advisories' "no $SHARED_DATA"
	test_done
	exit 0
fi
for tool in jq python3 dpkg-query dpkg; do
	if ! command -v $tool >/dev/null 2>&1; then
		test_skip 'scan against real advisories' "$tool is not installed (tests/setup-tools.sh installs it)"
		test_done
		exit 0
	fi
done
if [ ! -x "$CUSTOMS" ]; then
	say_fail "the binary under test $CUSTOMS does not exist"
	test_done
	exit 1
fi

EXPECT="$IMAGES_PYTHON $TESTS_DIR/lib/expect-findings.py"
MKIMAGE="$IMAGES_PYTHON $TESTS_DIR/lib/mkimage.py"

# Node's semver for the npm oracle: the one tests/vectors/gen-npm.sh installs, or a cached one.
NODE_PATH_SEMVER=
for d in "$PROJECT_DIR/build/node-tools/node_modules" "$CUSTOMS_TEST_CACHE/node-semver/node_modules"; do
	[ -e "$d/semver/package.json" ] && NODE_PATH_SEMVER=$d && break
done
if [ -z "$NODE_PATH_SEMVER" ] && command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then
	mkdir -p "$CUSTOMS_TEST_CACHE/node-semver" &&
		npm install --prefix "$CUSTOMS_TEST_CACHE/node-semver" --no-audit --no-fund --loglevel=error \
			semver >/dev/null 2>&1 &&
		NODE_PATH_SEMVER=$CUSTOMS_TEST_CACHE/node-semver/node_modules
fi
command -v node >/dev/null 2>&1 || NODE_PATH_SEMVER=

# The findings of a customs JSON report, in the oracle's format: TYPE NAME VERSION ID FIXED.
findings_of() {
	jq -r '.findings[] | [(.package.purl | ltrimstr("pkg:") | split("/")[0]), .package.name,
		.package.version, .id, (.fixed_version // "-")] | @tsv' "$1" | LC_ALL=C sort
}

# scan TARGET DB OUT.json: customs scan, exit 0 or 1 (findings are not an error).
scan() {
	timeout 300 "$CUSTOMS" scan "$1" --db "$2" -o "json=$3" >"$3.table" 2>"$3.err"
	rc=$?
	if [ "$rc" -gt 1 ]; then
		echo "customs scan $1 exited with $rc:" >&2
		head -n 5 "$3.err" >&2
		return 1
	fi
}

# compare NAME: NAME.expect (oracle) against NAME.json (customs), printing what differs.
compare() {
	LC_ALL=C sort "$1.expect" >"$1.want" &&
	findings_of "$1.json" >"$1.got" &&
	echo "$1: $(wc -l <"$1.want") expected, $(wc -l <"$1.got") found" >>"$TRASH/counts" &&
	diff -u "$1.want" "$1.got"
}

# no_oracle_error FILE: the oracle decided everything (else FILE says what it could not).
no_oracle_error() {
	if [ -s "$1" ]; then
		cat "$1" >&2
		return 1
	fi
}

# layer_of DIR OUT.tar: an uncompressed layer of everything under DIR, without "./" names.
layer_of() {
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort | sed 's#^\./##') >"$2.list" &&
	tar -C "$1" --no-recursion --numeric-owner --owner=0 --group=0 --mtime=@1700000000 \
		-T "$2.list" -cf "$2"
}

debian_os_release() {
	printf 'PRETTY_NAME="Debian GNU/Linux %s (%s)"\nNAME="Debian GNU/Linux"\nVERSION_ID="%s"\nVERSION_CODENAME=%s\nID=debian\n' \
		"$1" "$2" "$1" "$2"
}

# stanza NAME SOURCE VERSION [STATUS]: one dpkg status entry of an amd64 package.
stanza() {
	printf 'Package: %s\nStatus: %s\nPriority: optional\nSection: misc\nInstalled-Size: 1\nMaintainer: Customs tests <tests@localhost>\nArchitecture: amd64\nSource: %s\nVersion: %s\nDescription: %s built from %s\n\n' \
		"$1" "${4:-install ok installed}" "$2" "$3" "$1" "$2"
}

# --- The advisories. ---------------------------------------------------------------------------

# Tracker files: only those in the tracker's own layout (package -> CVE/TEMP id -> {releases}).
trackers=
for f in "$SHARED_DATA"/debian-tracker/*.json; do
	[ -f "$f" ] || continue
	if jq -e 'type == "object" and (to_entries[0].value | type == "object") and
		(to_entries[0].value | to_entries[0] | (.key | test("^(CVE|TEMP)-")) and
		(.value | type == "object" and has("releases")))' "$f" >/dev/null 2>&1; then
		trackers="$trackers $f"
	fi
done
tracker_args=
for f in $trackers; do tracker_args="$tracker_args --tracker $f"; done

# npm: every real record, but the path-to-regexp one is present only withdrawn (the record with
# a "withdrawn" date added), so that its package must give no finding.
WITHDRAWN_ID=GHSA-9wv6-86v2-598j
mkdir -p osv-npm osv-npm-unwithdrawn
for f in "$SHARED_DATA"/osv/npm/*.json; do
	cp "$f" osv-npm-unwithdrawn/
	case "$f" in
	*/$WITHDRAWN_ID.json)
		jq '. + {"withdrawn": "2024-10-01T00:00:00Z"}' "$f" >osv-npm/$WITHDRAWN_ID.json ;;
	*) cp "$f" osv-npm/ ;;
	esac
done

test_expect_success 'build the database from the tracker, Debian OSV and npm OSV records' '
	test -n "$trackers" &&
	"$CUSTOMS" db build --output debian.db $trackers "$SHARED_DATA/osv/Debian" osv-npm >out 2>err &&
	test ! -s err
'

# --- Debian 10, 11 and 12 images from the versions the tracker lists per suite. ---------------

# For each release, one binary package per (source, suite) the tracker lists a version for, named
# SOURCE-SUITE: the release's own version is usually affected, its -security one fixed.
suite_stanzas() {
	jq -r --arg rel "$1" 'to_entries[] | .key as $src | .value | to_entries[] | .value.releases |
		if type == "object" then .[$rel].repositories // {} | to_entries[] else empty end |
		[$src, .key, .value] | @tsv' $trackers | LC_ALL=C sort -u |
	while IFS='	' read -r src suite version; do
		stanza "$src-$suite" "$src" "$version"
	done
}

for rel in buster:10 bullseye:11 bookworm:12; do
	codename=${rel%:*} number=${rel#*:}
	mkdir -p "root-$number/etc" "root-$number/var/lib/dpkg" "l0-$number/etc" "l0-$number/var/lib/dpkg"
	debian_os_release "$number" "$codename" >"root-$number/etc/os-release"
	{
		suite_stanzas "$codename"
		# Ecosystem and release mismatches: an npm package's name and version, and a package
		# whose advisory (DSA-3029-1) is for Debian 7 only.
		stanza minimist minimist 1.2.5
		stanza nginx nginx 1.2.1-2.2+wheezy2
		# Removed with its configuration files left: not installed.
		stanza sope-rc sope 0.1-1 "deinstall ok config-files"
	} >"root-$number/var/lib/dpkg/status"
	cp "root-$number/etc/os-release" "l0-$number/etc/os-release"
done

# Debian 12 also gets real packages from a real status file, and three layers: the second adds
# npm packages, the third deletes a vulnerable deb (a new status file) and an npm package (a
# whiteout).
status12=$SHARED_DATA/pkgdb/dpkg/scalibr-debian12-status/var/lib/dpkg/status
if [ -f "$status12" ]; then
	{ cat "$status12"; echo; } >>root-12/var/lib/dpkg/status
fi
DELETED_DEB=sope-deleted DELETED_NPM=braces
{ cat root-12/var/lib/dpkg/status; stanza "$DELETED_DEB" sope 5.8.0-1; } >l0-12/var/lib/dpkg/status

# name version [folder]: npm packages below, at and above fixes of the real records.
NPM_PACKAGES='lodash 4.17.15
lodash-es 4.17.21
json5 1.0.1
json5 2.2.2 webpack/node_modules/json5
semver 5.7.1
semver 7.5.2 npm/node_modules/semver
minimist 1.2.5
minimist 0.0.8 mkdirp/node_modules/minimist
path-to-regexp 0.1.7
qs 6.5.2
qs 6.7.0 express/node_modules/qs
qs 6.10.3 body-parser/node_modules/qs
ua-parser-js 0.7.29
body-parser 1.20.1
node-fetch 2.6.1
axios 0.21.1
ms 2.1.3
braces 3.0.2'
mkdir -p l1-12/app/node_modules
printf '%s\n' "$NPM_PACKAGES" | while read -r name version folder; do
	dir=l1-12/app/node_modules/${folder:-$name}
	mkdir -p "$dir" &&
	printf '{"name": "%s", "version": "%s"}\n' "$name" "$version" >"$dir/package.json"
done
cp -a l1-12/app root-12/
rm -rf "root-12/app/node_modules/$DELETED_NPM"
mkdir -p l2-12/var/lib/dpkg l2-12/app/node_modules
cp root-12/var/lib/dpkg/status l2-12/var/lib/dpkg/status
: >"l2-12/app/node_modules/.wh.$DELETED_NPM"

test_expect_success 'build the Debian images' '
	layer_of l0-12 l0-12.tar && layer_of l1-12 l1-12.tar && layer_of l2-12 l2-12.tar &&
	$MKIMAGE docker debian12.tar --tag real-data/debian:12 --created-by "ADD rootfs /" \
		--created-by "COPY app /app" --created-by "RUN dpkg --purge sope-deleted && rm -rf braces" \
		l0-12.tar l1-12.tar l2-12.tar &&
	for n in 10 11; do
		layer_of root-$n l0-$n.tar &&
		$MKIMAGE docker debian$n.tar --tag real-data/debian:$n --created-by "ADD rootfs /" l0-$n.tar || return 1
	done
'

debian_oracle() {
	$EXPECT --root "$1" $tracker_args --osv "$SHARED_DATA/osv/Debian" --osv "${2:-osv-npm}" \
		${NODE_PATH_SEMVER:+--node-path "$NODE_PATH_SEMVER"}
}

if [ -z "$NODE_PATH_SEMVER" ]; then
	test_skip 'npm findings against node semver' 'node or its semver package is missing'
	# Without the npm oracle, the Debian 12 comparison leaves npm packages out.
	rm -rf root-12/app
fi

for n in 10 11 12; do
	test_expect_success "debian $n: exactly the oracle's findings, with their fixed versions" "
		debian_oracle root-$n >debian$n.expect 2>debian$n.oracle-err &&
		no_oracle_error debian$n.oracle-err &&
		scan debian$n.tar debian.db debian$n.json &&
		if [ $n = 12 ] && [ -z \"\$NODE_PATH_SEMVER\" ]; then
			jq '.findings |= map(select(.package.purl | startswith(\"pkg:npm/\") | not))' \
				debian$n.json >tmp.json && mv tmp.json debian$n.json
		fi &&
		compare debian$n
	"
done

test_expect_success 'debian: the oracle found something to compare in every release' '
	for n in 10 11 12; do
		grep -q "^deb	" debian$n.expect || { echo "debian $n: no expected deb finding" >&2; return 1; }
	done &&
	grep -q "^deb	sope-bookworm	5.8.0-1	CVE-2025-53603	5.8.0-1+deb12u1$" debian12.expect &&
	grep -q "^deb	apparmor-bookworm	3.0.8-3	CVE-2016-1585	-$" debian12.expect
'

# severity_of OUT.json NAME ID: "SEVERITY SOURCE" of the finding ID on package NAME.
severity_of() {
	jq -r --arg n "$2" --arg id "$3" '.findings[] | select(.package.name == $n and .id == $id) |
		"\(.severity) \(.severity_source)"' "$1"
}

test_expect_success 'debian: the tracker urgency is the severity, "unimportant" as low' '
	test "$(severity_of debian12.json apparmor-bookworm CVE-2016-1585)" = "low distribution" &&
	test "$(severity_of debian11.json apparmor-bullseye CVE-2016-1585)" = "low distribution"
'

test_expect_success 'debian: the negative controls give no finding' '
	# At the fixed version (the -security suites), and past it.
	! grep -q "^deb	sope-bookworm-security	" debian12.got &&
	! grep -q "^deb	sope-bullseye-security	" debian11.got &&
	! grep -q "^deb	chromium-bookworm	" debian12.got &&
	! grep -q "	CVE-2017-6507	" debian12.got &&
	! grep -q "	CVE-2014-1424	" debian12.got &&
	# Deleted in a later layer, removed with config files left.
	! grep -q "^deb	$DELETED_DEB	" debian12.got &&
	! grep -q "^deb	sope-rc	" debian12.got &&
	jq -e "[.packages[] | select(.name == \"$DELETED_DEB\" or .name == \"$DELETED_NPM\" or
		.name == \"sope-rc\")] == []" debian12.json &&
	# An npm advisory against the Debian package of the same name and version; a Debian 7 DSA.
	! grep -q "^deb	minimist	" debian12.got &&
	! grep -q "	nginx	" debian12.got &&
	grep -q "^deb	minimist	1.2.5$" <(jq -r ".packages[] | select(.name == \"minimist\") |
		[(.purl | ltrimstr(\"pkg:\") | split(\"/\")[0]), .name, .version] | @tsv" debian12.json)
'

if [ -n "$NODE_PATH_SEMVER" ]; then
	test_expect_success 'npm: the negative controls give no finding, the positives are there' '
		grep -q "^npm	minimist	1.2.5	CVE-2021-44906	1.2.6$" debian12.got &&
		grep -q "^npm	minimist	0.0.8	CVE-2021-44906	0.2.4$" debian12.got &&
		grep -q "^npm	qs	6.7.0	CVE-2022-24999	6.7.3$" debian12.got &&
		! grep -q "^npm	qs	6.10.3	" debian12.got &&
		! grep -q "^npm	lodash-es	" debian12.got &&
		! grep -q "^npm	json5	2.2.2	" debian12.got &&
		! grep -q "^npm	semver	7.5.2	" debian12.got &&
		! grep -q "^npm	$DELETED_NPM	" debian12.got &&
		! grep -q "^npm	path-to-regexp	" debian12.got
	'

	test_expect_success 'npm: the withdrawn advisory would match if it were not withdrawn' '
		debian_oracle root-12 osv-npm-unwithdrawn >unwithdrawn.expect 2>/dev/null &&
		grep -q "^npm	path-to-regexp	0.1.7	CVE-2024-45296	0.1.10$" unwithdrawn.expect &&
		"$CUSTOMS" db build --output unwithdrawn.db $trackers osv-npm-unwithdrawn >/dev/null &&
		scan debian12.tar unwithdrawn.db unwithdrawn.json &&
		findings_of unwithdrawn.json | grep -q "^npm	path-to-regexp	0.1.7	CVE-2024-45296	0.1.10$"
	'
fi

test_expect_success 'every finding says fixed or unfixed as its fixed version does' '
	for n in 10 11 12; do
		jq -e "[.findings[] | (.fixed_version != null) == (.status == \"fixed\") and
			(.status == \"fixed\" or .status == \"unfixed\")] | all" debian$n.json || return 1
	done
'

# --- Ubuntu 22.04 and 14.04 from Canonical's OSV records. ---------------------------------------

# For every Ubuntu 22.04 package a record names: its newest listed version (affected) and each
# fixed version, as binary packages SOURCE-1, SOURCE-2, ... The 14.04 image holds tpp at a
# version below the fix of UBUNTU-CVE-2013-2208, a record Canonical withdrew.
ubuntu_osv=$SHARED_DATA/osv/Ubuntu
if [ -d "$ubuntu_osv" ]; then
	ubuntu_versions() {
		jq -r --arg eco "$1" '.affected[]? | select(.package.ecosystem == $eco) | .package.name as $n |
			((.versions // [])[-1:][], (.ranges[]?.events[]? | .fixed // empty)) | [$n, .] | @tsv' \
			"$ubuntu_osv"/*.json | LC_ALL=C sort -u |
		awk -F '\t' '{ n[$1]++; print $1 "-" n[$1] "\t" $1 "\t" $2 }'
	}
	ubuntu_root() {
		mkdir -p "$1/etc" "$1/var/lib/dpkg" &&
		printf 'NAME="Ubuntu"\nVERSION="%s"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="%s"\n' "$2" "$3" \
			>"$1/etc/os-release" &&
		ubuntu_versions "$4" | while IFS='	' read -r bin src version; do
			stanza "$bin" "$src" "$version"
		done >"$1/var/lib/dpkg/status"
	}
	ubuntu_root ubuntu2204 "22.04.3 LTS (Jammy Jellyfish)" 22.04 Ubuntu:22.04:LTS
	ubuntu_root ubuntu1404 "14.04.6 LTS, Trusty Tahr" 14.04 Ubuntu:14.04:LTS
	stanza tpp-old tpp 1.3.1-2 >>ubuntu1404/var/lib/dpkg/status

	test_expect_success 'ubuntu 22.04: exactly the oracle findings, with their fixed versions' '
		"$CUSTOMS" db build --output ubuntu.db "$ubuntu_osv" >/dev/null 2>err && test ! -s err &&
		$EXPECT --root ubuntu2204 --osv "$ubuntu_osv" >ubuntu2204.expect 2>ubuntu2204.oracle-err &&
		no_oracle_error ubuntu2204.oracle-err &&
		grep -q "^deb	tar-1	1.34+dfsg-1build3	" ubuntu2204.expect &&
		layer_of ubuntu2204 ubuntu2204.tar.l0 &&
		$MKIMAGE docker ubuntu2204.tar --tag real-data/ubuntu:22.04 --created-by "ADD rootfs /" \
			ubuntu2204.tar.l0 &&
		scan ubuntu2204.tar ubuntu.db ubuntu2204.json && compare ubuntu2204
	'

	test_expect_success 'ubuntu 22.04: one upstream ID merges, several do not; the priority rates' '
		# UBUNTU-CVE-2021-3782 and USN-5614-1 each have one upstream ID: one finding, the CVE.
		grep -q "^deb	wayland-1	1.20.0-1	CVE-2021-3782	1.20.0-1ubuntu0.1$" ubuntu2204.got &&
		! grep -q "	USN-5614-1	" ubuntu2204.got &&
		test "$(severity_of ubuntu2204.json wayland-1 CVE-2021-3782)" = "medium distribution" &&
		# USN-6409-1 names two CVEs upstream: a finding of its own next to the CVE record.
		glibc=$(awk -F "	" "\$4 == \"USN-6409-1\" { print \$2 }" ubuntu2204.got) &&
		test -n "$glibc" &&
		grep -q "^deb	$glibc	2.35-0ubuntu3.3	UBUNTU-CVE-2023-4911	2.35-0ubuntu3.4$" ubuntu2204.got &&
		# The older record layout: "ubuntu_priority" per affected entry.
		test "$(severity_of ubuntu2204.json $glibc UBUNTU-CVE-2023-4911)" = "high distribution"
	'

	test_expect_success 'ubuntu 14.04: a withdrawn record gives no finding' '
		$EXPECT --root ubuntu1404 --osv "$ubuntu_osv" >ubuntu1404.expect 2>ubuntu1404.oracle-err &&
		no_oracle_error ubuntu1404.oracle-err &&
		mkdir unwithdrawn-ubuntu &&
		jq "del(.withdrawn)" "$ubuntu_osv/UBUNTU-CVE-2013-2208.json" >unwithdrawn-ubuntu/x.json &&
		$EXPECT --root ubuntu1404 --osv unwithdrawn-ubuntu | grep -q "	tpp-old	1.3.1-2	CVE-2013-2208	1.3.1-3$" &&
		scan dir:ubuntu1404 ubuntu.db ubuntu1404.json && compare ubuntu1404 &&
		! grep -q "	tpp-old	" ubuntu1404.got
	'
else
	test_skip 'ubuntu against Canonical OSV records' "no $ubuntu_osv"
fi

# --- Alpine: a real installed database against the real secdb of its release. -----------------

installed=$SHARED_DATA/pkgdb/apk/scalibr-alpine318/lib/apk/db/installed
secdb=$SHARED_DATA/secdb/alpine/v3.18/main.json
apk_refs=
for r in "$PROJECT_DIR"/build/vecref/apk-trivy/ref "$PROJECT_DIR"/build/vecref/apk-apko/ref; do
	[ -x "$r" ] && apk_refs="$apk_refs --apk-ref $r"
done
if [ ! -f "$installed" ] || [ ! -f "$secdb" ]; then
	test_skip 'alpine against the real secdb' "no $installed or $secdb"
elif [ -z "$apk_refs" ]; then
	test_skip 'alpine against the real secdb' \
		'no apk reference program: python3 tests/vectors/gen-apk.py builds them in build/vecref/'
else
	# An extra package at exactly a fixed version of its origin: the CVEs fixed there and
	# before must not be reported.
	AT_FIX=$(jq -r '.packages[].pkg | select(.name == "openssl") | .secfixes | keys[] |
		select(startswith("3.1."))' "$secdb" | sort -V | head -n 1)
	mkdir -p alpine/etc alpine/lib/apk/db
	printf 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.18.4\nPRETTY_NAME="Alpine Linux v3.18"\n' \
		>alpine/etc/os-release
	{ cat "$installed"; printf 'P:openssl-at-fix\nV:%s\nA:x86_64\no:openssl\n\n' "$AT_FIX"; } \
		>alpine/lib/apk/db/installed

	test_expect_success 'alpine: exactly the oracle findings, in a layer and in a folder' '
		test -n "$AT_FIX" &&
		"$CUSTOMS" db build --output alpine.db "$secdb" >/dev/null 2>err && test ! -s err &&
		$EXPECT --root alpine --secdb "$secdb" $apk_refs >alpine.expect 2>alpine.oracle-err &&
		no_oracle_error alpine.oracle-err &&
		grep -q "^apk	" alpine.expect &&
		layer_of alpine alpine-l0.tar &&
		$MKIMAGE docker alpine.tar --tag real-data/alpine:3.18 --created-by "ADD rootfs /" alpine-l0.tar &&
		scan alpine.tar alpine.db alpine.json && compare alpine &&
		scan dir:alpine alpine.db alpine-dir.json &&
		findings_of alpine-dir.json | diff -u alpine.want -
	'

	test_expect_success 'alpine: nothing fixed at or before the installed version is reported' '
		jq -r --arg v "$AT_FIX" ".packages[].pkg | select(.name == \"openssl\") | .secfixes |
			to_entries[] | select(.key == \$v) | .value[]" "$secdb" >fixed-at &&
		test -s fixed-at &&
		while read -r cve; do
			! grep -q "^apk	openssl-at-fix	$AT_FIX	$cve	" alpine.got || return 1
		done <fixed-at &&
		jq -r ".packages[].pkg | select(.name == \"zlib\") | .secfixes[\"0\"] // [] | .[]" "$secdb" >never &&
		while read -r cve; do
			! grep -q "	$cve	" alpine.got || return 1
		done <never
	'
fi

# --- The debootstrap image of the foundation tests, when it is built: no extra finding. --------

images_ready >/dev/null 2>&1
case $? in
0)
	test_expect_success 'debootstrap minbase image: exactly the oracle findings' '
		debian_oracle "$IMG_ROOT" >minbase.expect 2>minbase.oracle-err &&
		no_oracle_error minbase.oracle-err &&
		scan "$IMAGES_DIR/docker-skopeo.tar" debian.db minbase.json &&
		if [ -z "$NODE_PATH_SEMVER" ]; then
			jq ".findings |= map(select(.package.purl | startswith(\"pkg:npm/\") | not))" \
				minbase.json >tmp.json && mv tmp.json minbase.json
		fi &&
		compare minbase
	'
	;;
*)
	test_skip 'debootstrap minbase image' "${IMAGES_WHY:-the test images could not be built}"
	;;
esac

sed 's/^/# /' "$TRASH/counts" 2>/dev/null
test_done
