#!/bin/bash
# customs sbom on a real Debian 12 + npm image, in every input kind, checked against dpkg-query and the files on disk.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$TESTS_DIR/lib/images.sh"

require_images 'real image tests'

# Oracles, computed from the final filesystem as umoci unpacked it.

# Every installed deb: NAME VERSION ARCH. "rc" (removed, config files left) does not count.
dpkg-query --admindir="$IMG_ROOT/var/lib/dpkg" -W \
	-f '${Package}\t${Version}\t${Architecture}\t${db:Status-Abbrev}\n' |
	awk -F '\t' '$4 ~ /^ii/ { print $1 "\t" $2 "\t" $3 }' | LC_ALL=C sort >expect-deb
dpkg-query --admindir="$IMG_ROOT/var/lib/dpkg" -W \
	-f '${Package}\t${source:Package}\t${source:Version}\t${db:Status-Abbrev}\n' |
	awk -F '\t' '$4 ~ /^ii/ { print $1 "\t" $2 "\t" $3 }' | LC_ALL=C sort >expect-deb-source

# Every installed npm package: NAME VERSION FOLDER, from the package.json files present, where
# a package is a folder right under node_modules (or under node_modules/@scope).
(cd "$IMG_ROOT" && find . -path '*/node_modules/*' -name package.json -type f | sed 's#^\./##' |
	grep -E '(^|/)node_modules/(@[^/]+/)?[^/]+/package\.json$' |
	while read -r f; do
		jq -r --arg dir "${f%/package.json}" '[.name, .version, $dir] | @tsv' "$f"
	done) | LC_ALL=C sort >expect-npm

# The source checkout has a lockfile and no node_modules: its packages come from the lockfile.
jq -r '.packages | to_entries[] | select(.key != "") |
	[(.value.name // (.key | sub("^.*node_modules/"; ""))), .value.version] | @tsv' \
	"$IMG_ROOT/srv/checkout/package-lock.json" | LC_ALL=C sort >expect-lock

oci_blob() { echo "$IMG_OCI/blobs/sha256/${1#sha256:}"; }
manifest_digest=$(jq -r '.manifests[0].digest' "$IMG_OCI/index.json")
config_digest=$(jq -r '.config.digest' "$(oci_blob "$manifest_digest")")
jq -r '.rootfs.diff_ids[]' "$(oci_blob "$config_digest")" >expect-diff-ids
jq -r '.layers[].digest' "$(oci_blob "$manifest_digest")" >layer-digests

# Views of a customs JSON report, sorted, in the oracles' formats.
deb_of() {
	jq -r '.packages[] | select(.type == "deb") | [.name, .version, .arch] | @tsv' "$1" | LC_ALL=C sort
}
npm_path() {
	echo '(.path // "" | ltrimstr("/") | sub("/package\\.json$"; ""))'
}
npm_installed_of() {
	jq -r ".packages[] | select(.type == \"npm\") | [.name, .version, $(npm_path)] | @tsv" "$1" |
		awk -F '\t' '$3 !~ /^srv\/checkout\//' | LC_ALL=C sort
}
npm_lock_of() {
	jq -r ".packages[] | select(.type == \"npm\") | [.name, .version, $(npm_path)] | @tsv" "$1" |
		awk -F '\t' '$3 ~ /^srv\/checkout\// { print $1 "\t" $2 }' | LC_ALL=C sort
}
# Everything but the layer fields, which a root filesystem folder cannot have.
packages_of() {
	jq -S '[.packages[] | {name, version, type, purl, source_name, source_version, arch, license, path}] |
		sort_by(.type, .name, .version, .path)' "$1"
}
packages_with_layers_of() {
	jq -S '[.packages[] | {name, version, type, purl, source_name, source_version, arch, license, path,
		layer_index, layer_diff_id, layer_created_by}] | sort_by(.type, .name, .version, .path)' "$1"
}

# scan NAME TARGET: write NAME.json and NAME.err; exit 0 expected.
scan() {
	timeout 300 "$CUSTOMS" sbom "$2" -o "json=$1.json" 2>"$1.err"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "customs sbom $2 exited with $rc:" >&2
		head -n 5 "$1.err" >&2
		rm -f "$1.json"
		return 1
	fi
}

# --- The builder made what the oracles assume (these pass without customs). ---

test_expect_success 'image builder: purged and removed debs are gone from the final root' '
	! grep -q "^$IMG_PURGED_DEB	" expect-deb &&
	! grep -q "^$IMG_REMOVED_DEB	" expect-deb &&
	dpkg-query --admindir="$IMG_ROOT/var/lib/dpkg" -W -f "\${db:Status-Abbrev}" "$IMG_REMOVED_DEB" |
		grep -q "^rc" &&
	test $(wc -l <expect-deb) -gt 50
'

test_expect_success 'image builder: whited-out npm packages are gone but still in the lockfiles' '
	! grep -q "^$IMG_WHITEOUT_NPM	" expect-npm &&
	! grep -q "^$IMG_OPAQUE_NPM	" expect-npm &&
	grep -q "^inherits	2.0.4	opt/tools/node_modules/inherits$" expect-npm &&
	grep -q "^ms	2.1.2	app/node_modules/debug/node_modules/ms$" expect-npm &&
	grep -q "^@isaacs/string-locale-compare	" expect-npm &&
	jq -e ".packages[\"node_modules/$IMG_WHITEOUT_NPM\"]" "$IMG_ROOT/app/package-lock.json" &&
	jq -e ".packages[\"node_modules/$IMG_WHITEOUT_NPM\"]" "$IMG_ROOT/app/node_modules/.package-lock.json" &&
	test ! -e "$IMG_ROOT/srv/checkout/node_modules" &&
	grep -q "^@tootallnate/once	2.0.0$" expect-lock && grep -q "^yallist	" expect-lock
'

test_expect_success 'image builder: five layers, with whiteouts and an opaque whiteout' '
	test $(wc -l <expect-diff-ids) -eq $IMG_NR_LAYERS &&
	sed -n 3p layer-digests >l2 && gzip -dc "$(oci_blob "$(cat l2)")" | tar -t >l2.list &&
	grep -q "^app/node_modules/.wh.$IMG_WHITEOUT_NPM$" l2.list &&
	sed -n 5p layer-digests >l4 && gzip -dc "$(oci_blob "$(cat l4)")" | tar -t >l4.list &&
	tail -n 1 l4.list | grep -q "^opt/tools/node_modules/.wh..wh..opq$" &&
	for kind in docker-legacy docker25 docker-skopeo; do
		skopeo inspect --config "docker-archive:$IMAGES_DIR/$kind.tar" |
			jq -r ".rootfs.diff_ids[]" | cmp - expect-diff-ids || exit 1
	done &&
	skopeo inspect --raw "oci:$IMAGES_DIR/oci-zstd:$IMAGE_TAG" |
		jq -e "[.layers[].mediaType | endswith(\"+zstd\")] | all"
'

# --- Every input kind against the oracles. ---

if [ ! -x "$CUSTOMS" ]; then
	say_fail "the binary under test $CUSTOMS does not exist"
	test_done
	exit 1
fi

while read -r kind target; do
	test_expect_success "$kind: customs sbom exits 0" "scan $kind '$target'"
	if [ ! -s "$kind.json" ]; then
		test_skip "$kind: the oracle comparisons" "the scan failed"
		continue
	fi
	test_expect_success "$kind: deb packages equal dpkg-query's installed packages" "
		deb_of $kind.json >actual-deb && diff -u expect-deb actual-deb
	"
	test_expect_success "$kind: npm packages equal the package.json files present" "
		npm_installed_of $kind.json >actual-npm && diff -u expect-npm actual-npm
	"
	test_expect_success "$kind: the lockfile-only checkout is read from its lockfile" "
		npm_lock_of $kind.json >actual-lock && diff -u expect-lock actual-lock
	"
	test_expect_success "$kind: OS is Debian 12, and a clean image gives no warning" "
		jq -e '.os.id == \"debian\" and .os.version_id == \"12\" and
			(.os.pretty_name | startswith(\"Debian GNU/Linux 12\")) and .warnings == []' $kind.json &&
		test ! -s $kind.err
	"
done <<EOF
$IMG_KINDS
EOF

# The reference kind for the detailed checks: the umoci-made OCI layout.
ref=oci-layout

test_expect_success 'every layered input kind gives the same packages, layers included' '
	packages_with_layers_of $ref.json >ref-packages &&
	printf "%s\n" "$IMG_KINDS" | while read -r kind target; do
		# A failed scan is already reported above.
		[ "$kind" = rootfs ] || [ ! -s $kind.json ] && continue
		packages_with_layers_of $kind.json | diff -u ref-packages - || exit 1
	done
'

test_expect_success 'the root filesystem folder gives the same packages, without layers' '
	packages_of $ref.json >ref-nolayers &&
	packages_of rootfs.json | diff -u ref-nolayers - &&
	jq -e "[.packages[] | .layer_index == null and .layer_diff_id == null] | all" rootfs.json
'

test_expect_success 'purged, removed and whited-out packages are not reported' '
	jq -e --arg purged "$IMG_PURGED_DEB" --arg removed "$IMG_REMOVED_DEB" \
		--arg whiteout "$IMG_WHITEOUT_NPM" --arg opaque "$IMG_OPAQUE_NPM" \
		"[.packages[] | select(.name == \$purged or .name == \$removed or .name == \$whiteout or
			.name == \$opaque)] == []" $ref.json &&
	jq -e "[.packages[] | select(.name == \"inherits\")] | length == 1" $ref.json
'

test_expect_success 'deb source package and version equal dpkg-query source:Package/source:Version' '
	jq -r ".packages[] | select(.type == \"deb\") | [.name, .source_name, .source_version] | @tsv" \
		$ref.json | LC_ALL=C sort >actual-deb-source &&
	diff -u expect-deb-source actual-deb-source
'

test_expect_success 'deb purls are pkg:deb/debian/NAME@VERSION?arch=ARCH&distro=debian-12' '
	jq -r "def enc: gsub(\"%\"; \"%25\") | gsub(\"\\\\+\"; \"%2B\") | gsub(\":\"; \"%3A\");
		.packages[] | select(.type == \"deb\") |
		[.purl, \"pkg:deb/debian/\" + (.name | enc) + \"@\" + (.version | enc) +
			\"?arch=\" + .arch + \"&distro=debian-12\"] | @tsv" $ref.json >purls &&
	awk -F "\t" "\$1 != \$2 { print; bad = 1 } END { exit bad }" purls &&
	grep -q "^pkg:deb/debian/libstdc%2B%2B6@" purls &&
	grep -q "%3A" purls
'

test_expect_success 'npm purls are pkg:npm/NAME@VERSION with the scope @ encoded' '
	jq -r ".packages[] | select(.type == \"npm\") |
		[.purl, \"pkg:npm/\" + (.name | sub(\"^@\"; \"%40\")) + \"@\" + .version] | @tsv" $ref.json >purls &&
	awk -F "\t" "\$1 != \$2 { print; bad = 1 } END { exit bad }" purls &&
	grep -q "^pkg:npm/%40isaacs/string-locale-compare@1.1.0	" purls &&
	grep -q "^pkg:npm/%40tootallnate/once@2.0.0	" purls
'

test_expect_success 'image metadata: layers, diff_ids, created_by, digests, platform' '
	jq -r ".image.layers[].diff_id" $ref.json | diff -u expect-diff-ids - &&
	jq -r ".image.layers[].digest" $ref.json | diff -u layer-digests - &&
	jq -r ".image.layers[].created_by" $ref.json >actual-cb &&
	printf "%s\n" "$IMG_CB_L0" "$IMG_CB_L1" "$IMG_CB_L2" "$IMG_CB_L3" "$IMG_CB_L4" | diff -u - actual-cb &&
	jq -e --arg m "$manifest_digest" --arg c "$config_digest" \
		".image.digest == \$m and .image.config_digest == \$c and
		.image.os == \"linux\" and .image.architecture == \"amd64\"" $ref.json
'

test_expect_success 'deb packages are attributed to layer 0, though layer 3 rewrote the status file' '
	l0=$(sed -n 1p expect-diff-ids) &&
	jq -e --arg d "$l0" --arg cb "$IMG_CB_L0" "[.packages[] | select(.type == \"deb\") |
		.layer_index == 0 and .layer_diff_id == \$d and .layer_created_by == \$cb] | all" $ref.json
'

test_expect_success 'npm packages of the npm layer are attributed to layer 1' '
	l1=$(sed -n 2p expect-diff-ids) &&
	jq -e --arg d "$l1" --arg cb "$IMG_CB_L1" "[.packages[] | select(.type == \"npm\") |
		select(.name != \"inherits\") |
		.layer_index == 1 and .layer_diff_id == \$d and .layer_created_by == \$cb] | all" $ref.json &&
	jq -e "[.packages[] | select(.name == \"inherits\") | .layer_index] == [1] or
		[.packages[] | select(.name == \"inherits\") | .layer_index] == [4]" $ref.json
'

test_expect_success 'repo tags of docker archives are kept' '
	for kind in docker-skopeo docker-legacy docker25; do
		jq -e "[.image.repo_tags[] | endswith(\"customs-test:latest\")] | any" $kind.json || exit 1
	done
'

test_expect_success 'the kind is detected from content, not from the file name' '
	ln -s "$IMAGES_DIR/oci-archive.tar" image.tar.gz &&
	ln -s "$IMAGES_DIR/docker-legacy.tar.zst" image-zstd-really &&
	scan renamed-oci ./image.tar.gz && scan renamed-zst ./image-zstd-really &&
	packages_with_layers_of $ref.json >ref-packages &&
	packages_with_layers_of renamed-oci.json | diff -u ref-packages - &&
	packages_with_layers_of renamed-zst.json | diff -u ref-packages -
'

# --- Standard input: one pass, whatever order the members come in. ---

# docker-legacy has manifest.json as its very last member, as a streamed docker save does.
for kind in docker-legacy docker25 oci-archive docker-legacy-gz; do
	case $kind in
	docker-legacy-gz) file=$IMAGES_DIR/docker-legacy.tar.gz ;;
	*) file=$IMAGES_DIR/$kind.tar ;;
	esac
	test_expect_success "stdin: cat $(basename "$file") | customs sbom -" "
		cat '$file' | timeout 300 \"\$CUSTOMS\" sbom - -o json=stdin-$kind.json 2>stdin.err &&
		packages_with_layers_of $ref.json >ref-packages &&
		packages_with_layers_of stdin-$kind.json | diff -u ref-packages -
	"
done

test_done
