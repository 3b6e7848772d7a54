#!/bin/bash
# customs sbom on hostile and broken inputs: exit 2, one line naming the file, no crash, no hang, no partial output.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$TESTS_DIR/lib/images.sh"

require_images 'hostile input tests'

mkimage() { "$IMAGES_PYTHON" "$IMAGES_LIB/mkimage.py" "$@"; }

# expect_bad_input TARGET [OPTIONS...]: exit code exactly 2 within 60 s, exactly one line on
# stderr that names the target, no sanitizer report, and no output file, not even a temporary one.
expect_bad_input() {
	local target=$1 name rc
	shift
	rm -rf out && mkdir out || return 1
	timeout 60 "$CUSTOMS" sbom "$target" -o json=out/report.json -o cyclonedx=out/report.cdx.json \
		"$@" >stdout 2>stderr
	rc=$?
	if [ "$rc" -ne 2 ]; then
		echo "exit code $rc, expected 2: customs sbom $target $*"
		cat stderr
		return 1
	fi
	one_line_error stderr || return 1
	if grep -E 'Sanitizer|runtime error' stderr; then
		return 1
	fi
	if [ "$target" != - ]; then
		name=${target#oci:}
		name=${name#dir:}
		name=$(basename "${name%%:*}")
		if ! grep -qF -- "$name" stderr; then
			echo "stderr does not name '$name':"
			cat stderr
			return 1
		fi
	fi
	# A hint such as "raise it with --max-layer-size" must name an option that exists.
	for option in $(grep -o -- '--[a-z][a-z-]*' stderr | sort -u); do
		if ! "$CUSTOMS" sbom --help | grep -q -- "$option"; then
			echo "the message suggests $option, which customs sbom --help does not know:"
			cat stderr
			return 1
		fi
	done
	if [ -n "$(ls -A out)" ]; then
		echo "output left behind after a failure:"
		ls -la out
		return 1
	fi
	cat stderr
}

# expect_named TEXT: the last expect_bad_input's message also names TEXT (a layer digest).
expect_named() {
	grep -qF -- "$1" stderr || {
		echo "the message does not name '$1'"
		return 1
	}
}

# expect_warning TARGET TEXT [OPTIONS...]: a damaged package database is a warning, not a failure:
# exit 0, and a warning naming TEXT in the report's warnings[].
expect_warning() {
	local target=$1 text=$2 rc
	shift 2
	timeout 60 "$CUSTOMS" sbom "$target" -o json=warn.json "$@" 2>stderr
	rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "exit code $rc, expected 0: customs sbom $target $*"
		cat stderr
		return 1
	fi
	if ! jq -e --arg t "$text" '[.warnings[] | contains($t)] | any' warn.json >/dev/null; then
		echo "no warning naming '$text' in warnings[]:"
		jq .warnings warn.json
		return 1
	fi
}

# Real files for the small images below, from the final root of the test image.
status=$IMG_ROOT/var/lib/dpkg/status
os_release=$IMG_ROOT/usr/lib/os-release
ms_json=$IMG_ROOT/app/node_modules/ms/package.json
nr_debs=$(dpkg-query --admindir="$IMG_ROOT/var/lib/dpkg" -W -f '${db:Status-Abbrev}\n' | grep -c '^ii')

# Every input is made afresh in a second or two; mkimage.py runs in batches because a Python
# start-up costs more than most of them.
later() {
	printf '%q ' "$@" >>mkimage.batch
	echo >>mkimage.batch
}
flush() {
	mkimage batch <mkimage.batch || say_fail "making the hostile inputs: mkimage.py batch failed"
	: >mkimage.batch
}

head -c 65536 /dev/urandom >random.bin
head -c 65536 /dev/urandom | gzip -c >random.gz
head -c 8192 /dev/urandom >garbage
printf 'this is a text file,\nnot a container image\n' >notes.txt
: >empty.tar
mkdir -p empty-layout
tar -C "$IMG_ROOT" -cf plain.tar etc/hostname etc/os-release usr/lib/os-release
printf '[%9000000s]' '' >big-manifest.json
"$IMAGES_PYTHON" -c 'print("[" * 200000 + "]" * 200000)' >deep-manifest.json

# Layers.
later layer good.tar "d:etc/" "f:etc/os-release=@$os_release" "d:var/" "d:var/lib/" "d:var/lib/dpkg/" \
	"f:var/lib/dpkg/status=@$status" "f:app/node_modules/ms/package.json=@$ms_json"
later layer app.tar "f:app/node_modules/debug/package.json=@$IMG_ROOT/app/node_modules/debug/package.json"
later layer huge-first.tar big:manifest.json
later layer huge-layer.tar "f:etc/os-release=@$os_release" big:var/lib/dpkg/status
later layer dotdot-layer.tar "f:etc/os-release=@$os_release" "f:../x=escaped"
later layer abs-layer.tar "f:etc/os-release=@$os_release" "f:/abs/x=absolute"
later layer deep-dotdot-layer.tar "f:etc/os-release=@$os_release" "f:usr/../../x=escaped"
later layer loop.tar "d:etc/" "l:etc/os-release=a" "l:etc/a=b" "l:etc/b=a" "f:var/lib/dpkg/status=@$status"
later layer self-loop.tar "l:etc/os-release=os-release" "f:var/lib/dpkg/status=@$status"
later layer garbage-status.tar "f:etc/os-release=@$os_release" "f:var/lib/dpkg/status=@garbage" \
	"f:app/node_modules/ms/package.json=@$ms_json"
later layer bad-json.tar 'f:app/node_modules/bad/package.json={"name": "bad", "version":'
later layer bad-lock.tar 'f:srv/checkout/package.json={"name":"c"}' \
	'f:srv/checkout/package-lock.json={"lockfileVersion": 3, "packages": {'
later layer hardlink.tar "f:usr/lib/os-release=@$os_release" "h:etc/os-release=usr/lib/os-release" \
	"f:var/lib/dpkg/status=@$status" "f:app/node_modules/ms/package.json=@$ms_json"
later layer duplicate.tar "f:etc/os-release=@$os_release" "f:var/lib/dpkg/status=@garbage" \
	"f:var/lib/dpkg/status=@$status" "f:app/node_modules/ms/package.json=@$ms_json"
# Images.
later oci good-oci good.tar app.tar
later oci --compress gzip2 two-gzip-members good.tar app.tar
later oci --compress zstd2 two-zstd-frames good.tar app.tar
later oci --compress none uncompressed good.tar app.tar
later docker hardlink.tar hardlink.tar app.tar
later oci duplicate duplicate.tar app.tar
later oci --compress zstd good-zstd good.tar app.tar
later docker good-docker.tar good.tar app.tar
later oci --truncate-blob truncated-gzip good.tar app.tar
later oci --truncate-blob --compress zstd truncated-zstd good.tar app.tar
later oci --missing-blob missing-blob good.tar
later oci --drop-diff-id fewer-diff-ids good.tar app.tar
later oci --bad-diff-id oci-diff-id-mismatch good.tar app.tar
later oci huge-in-layer huge-layer.tar
later docker huge-in-layer.tar huge-layer.tar
for kind in dotdot abs deep-dotdot; do
	later oci "$kind-in-layer" "$kind-layer.tar"
	later docker "$kind-in-layer.tar" "$kind-layer.tar"
done
later oci loop-oci loop.tar
later docker self-loop.tar self-loop.tar
later oci garbage-status garbage-status.tar
later oci bad-package-json good.tar bad-json.tar
later docker bad-lockfile.tar good.tar bad-lock.tar
flush

# Damage done by hand to copies of the good images.
tar -C good-oci -cf good-oci.tar .
tar -C truncated-gzip -cf truncated-gzip.tar .
tar -C truncated-zstd -cf truncated-zstd.tar .
tar -C missing-blob -cf missing-blob.tar .
size=$(stat -c %s good-docker.tar)
head -c $((size / 2)) good-docker.tar >truncated.tar
head -c $((size / 2 + 100)) good-docker.tar >truncated-odd.tar
gzip -c good-docker.tar | head -c 20000 >truncated-outer.tar.gz
first_layer=$(tar -tf good-docker.tar | grep '/layer.tar$' | head -n 1)
jq -c '.[0].Layers[0] = "../../../etc/passwd"' <(tar -xOf good-docker.tar manifest.json) >escape-manifest.json
manifest_blob=$(jq -r '.manifests[0].digest[7:]' good-oci/index.json)
layer_blob=$(jq -r '.layers[0].digest[7:]' "good-oci/blobs/sha256/$manifest_blob")
config_blob=$(jq -r '.config.digest[7:]' "good-oci/blobs/sha256/$manifest_blob")
cp -r good-oci oci-missing-config
rm "oci-missing-config/blobs/sha256/$config_blob"
# A flipped byte in the gzip header's timestamp: the stream still inflates to the same tar, so
# only the blob digest can catch it.
cp -r good-oci oci-blob-mismatch
printf '\x01' | dd of="oci-blob-mismatch/blobs/sha256/$layer_blob" bs=1 seek=4 conv=notrunc 2>/dev/null
tar -C oci-blob-mismatch -cf oci-blob-mismatch.tar .
cp -r good-oci oci-config-mismatch
sed -i 's/"linux"/"linuz"/' "oci-config-mismatch/blobs/sha256/$config_blob"
cp -r good-oci oci-manifest-mismatch
sed -i 's/"schemaVersion":2/"schemaVersion":3/' "oci-manifest-mismatch/blobs/sha256/$manifest_blob"
oci_bad_diff_layer=$(jq -r '.manifests[0].digest[7:]' oci-diff-id-mismatch/index.json)
oci_bad_diff_layer=$(jq -r '.layers[0].digest' "oci-diff-id-mismatch/blobs/sha256/$oci_bad_diff_layer")
diff_id=$(mkimage corrupt-layer good-docker.tar docker-diff-id-mismatch.tar)

later retar --drop manifest.json good-docker.tar no-manifest.tar
later retar --drop "$first_layer" good-docker.tar docker-missing-layer.tar
later retar --drop ./index.json good-oci.tar oci-no-index.tar
later retar good-docker.tar huge-outer.tar big:zz-huge-member
later retar --drop manifest.json good-docker.tar big-manifest.tar "f:manifest.json=@big-manifest.json"
later retar --drop manifest.json good-docker.tar deep-manifest.tar "f:manifest.json=@deep-manifest.json"
later retar --drop manifest.json good-docker.tar escape-manifest.tar "f:manifest.json=@escape-manifest.json"
later retar good-docker.tar dotdot-outer.tar "f:../x=escaped"
later retar good-docker.tar abs-outer.tar "f:/abs=absolute"
flush

# Decompression bombs take seconds to make: cached.
bombs=$CUSTOMS_TEST_CACHE/bombs-v1
if [ ! -e "$bombs/.complete" ]; then
	rm -rf "$bombs" && mkdir -p "$bombs" &&
		mkimage bomb "$bombs/gzip" 1024 && mkimage bomb --compress zstd "$bombs/zstd" 1024 &&
		touch "$bombs/.complete"
fi

# expect_good TARGET: exit 0, Debian found, every deb of the status file and both npm packages.
expect_good() {
	timeout 60 "$CUSTOMS" sbom "$1" -o json=good.json 2>stderr || {
		echo "exit code $?, expected 0: customs sbom $1"
		cat stderr
		return 1
	}
	jq -e --argjson n "$nr_debs" '.os.id == "debian" and .warnings == [] and
		([.packages[] | select(.type == "deb")] | length) == $n and
		([.packages[] | select(.type == "npm")] | length) == 2' good.json
}

test_expect_success 'control: the small gzip OCI layout scans cleanly' 'expect_good oci:good-oci'
test_expect_success 'control: the small OCI archive scans cleanly' 'expect_good good-oci.tar'
test_expect_success 'control: the small zstd OCI layout scans cleanly' 'expect_good oci:good-zstd'
test_expect_success 'control: the small docker archive scans cleanly' 'expect_good good-docker.tar'

# --- Unusual but valid. ---

test_expect_success 'gzip layers of two members, as pigz writes' 'expect_good oci:two-gzip-members'
test_expect_success 'zstd layers of two frames' 'expect_good oci:two-zstd-frames'
test_expect_success 'uncompressed layers in an OCI layout' 'expect_good oci:uncompressed'
test_expect_success 'etc/os-release as a hard link' 'expect_good hardlink.tar'
test_expect_success 'a path twice in one layer: the last one wins' 'expect_good oci:duplicate'

# --- Not an image at all. ---

test_expect_success 'random bytes' 'expect_bad_input random.bin'
test_expect_success 'a text file' 'expect_bad_input notes.txt'
test_expect_success 'an empty file' 'expect_bad_input empty.tar'
test_expect_success 'a gzip stream of random bytes' 'expect_bad_input random.gz'
test_expect_success 'a plain tar of files (no manifest.json, no index.json)' 'expect_bad_input plain.tar'
test_expect_success 'a nonexistent path' 'expect_bad_input /nonexistent/image.tar'
test_expect_success 'oci: with a nonexistent folder' 'expect_bad_input oci:/nonexistent/layout'
test_expect_success 'dir: with a nonexistent folder' 'expect_bad_input dir:/nonexistent/rootfs'
test_expect_success 'oci: with an empty folder' 'expect_bad_input oci:empty-layout'
test_expect_success 'oci: with an unknown tag' 'expect_bad_input oci:good-oci:no-such-tag'
test_expect_success 'a folder given as an archive path' 'expect_bad_input "$TRASH/good-oci/blobs"'
test_expect_success 'random bytes on standard input' 'expect_bad_input - <random.bin'
test_expect_success 'nothing on standard input' 'expect_bad_input - </dev/null'

# --- Truncated streams. ---

test_expect_success 'a truncated tar (at a block boundary)' 'expect_bad_input truncated.tar'
test_expect_success 'a truncated tar (mid block)' 'expect_bad_input truncated-odd.tar'
test_expect_success 'a truncated tar on standard input' 'expect_bad_input - <truncated.tar'
test_expect_success 'a truncated gzip layer in an OCI layout' 'expect_bad_input oci:truncated-gzip'
test_expect_success 'a truncated gzip layer in an OCI archive' 'expect_bad_input truncated-gzip.tar'
test_expect_success 'a truncated zstd layer in an OCI layout' 'expect_bad_input oci:truncated-zstd'
test_expect_success 'a truncated zstd layer in an OCI archive' 'expect_bad_input truncated-zstd.tar'
test_expect_success 'a truncated gzip-compressed docker archive' 'expect_bad_input truncated-outer.tar.gz'

# --- Missing pieces. ---

test_expect_success 'a docker archive without manifest.json' 'expect_bad_input no-manifest.tar'
test_expect_success 'an OCI archive without index.json' 'expect_bad_input oci-no-index.tar'
test_expect_success 'an OCI layout whose manifest names a missing blob' 'expect_bad_input oci:missing-blob'
test_expect_success 'an OCI archive whose manifest names a missing blob' 'expect_bad_input missing-blob.tar'
test_expect_success 'a docker archive whose manifest names a missing layer' 'expect_bad_input docker-missing-layer.tar'
test_expect_success 'an OCI layout without its config blob' 'expect_bad_input oci:oci-missing-config'
test_expect_success 'a config with fewer diff_ids than the manifest has layers' 'expect_bad_input oci:fewer-diff-ids'

# --- Digest mismatches. ---

test_expect_success 'OCI layout: a layer blob that does not match its digest, named in the error' '
	expect_bad_input oci:oci-blob-mismatch && expect_named "${layer_blob:0:12}"
'
test_expect_success 'OCI archive: a layer blob that does not match its digest, named in the error' '
	expect_bad_input oci-blob-mismatch.tar && expect_named "${layer_blob:0:12}"
'
test_expect_success 'docker archive: a layer that does not match its diff_id, named in the error' '
	expect_bad_input docker-diff-id-mismatch.tar && expect_named "${diff_id:7:12}"
'
test_expect_success 'docker archive with a bad diff_id, on standard input' '
	expect_bad_input - <docker-diff-id-mismatch.tar && expect_named "${diff_id:7:12}"
'
test_expect_success 'OCI layout: a config diff_id that does not match the layer, named in the error' '
	expect_bad_input oci:oci-diff-id-mismatch && expect_named "${oci_bad_diff_layer:7:12}"
'
test_expect_success 'OCI layout: a config blob that does not match its digest' '
	expect_bad_input oci:oci-config-mismatch
'
test_expect_success 'OCI layout: a manifest blob that does not match its digest' '
	expect_bad_input oci:oci-manifest-mismatch
'

# --- Absurd sizes and bombs. ---

test_expect_success 'a tar member claiming 2^62 bytes after a good image' 'expect_bad_input huge-outer.tar'
test_expect_success 'a tar whose first member claims 2^62 bytes' 'expect_bad_input huge-first.tar'
test_expect_success 'a layer member claiming 2^62 bytes (OCI layout)' 'expect_bad_input oci:huge-in-layer'
test_expect_success 'a layer member claiming 2^62 bytes (docker archive)' 'expect_bad_input huge-in-layer.tar'
test_expect_success 'a 9 MB manifest.json, over the metadata cap' 'expect_bad_input big-manifest.tar'
test_expect_success 'a manifest.json nested 200000 deep' 'expect_bad_input deep-manifest.tar'

test_expect_success 'the test image over --max-layer-size 1000000' '
	expect_bad_input "oci:$IMG_OCI:$IMAGE_TAG" --max-layer-size 1000000
'
test_expect_success 'the test image over --max-image-size 10000000' '
	expect_bad_input "$IMAGES_DIR/docker-legacy.tar" --max-image-size 10000000
'
test_expect_success 'a small image over --max-layer-size, on standard input' '
	expect_bad_input - --max-layer-size 100000 <"$IMAGES_DIR/docker-legacy.tar.gz"
'
test_expect_success 'a 1 GiB gzip bomb against --max-layer-size 100000000, stopped early' '
	start=$(date +%s) &&
	expect_bad_input "oci:$bombs/gzip" --max-layer-size 100000000 &&
	test $(($(date +%s) - start)) -lt 10
'
test_expect_success 'a 1 GiB zstd bomb against --max-image-size 100000000, stopped early' '
	start=$(date +%s) &&
	expect_bad_input "oci:$bombs/zstd" --max-image-size 100000000 &&
	test $(($(date +%s) - start)) -lt 10
'

# --- Names that escape the root, and symlink loops. ---

for kind in dotdot abs deep-dotdot; do
	test_expect_success "a layer entry named like $kind (OCI layout)" "expect_bad_input oci:$kind-in-layer"
	test_expect_success "a layer entry named like $kind (docker archive)" "expect_bad_input $kind-in-layer.tar"
done
test_expect_success 'an outer tar member named ../x' 'expect_bad_input dotdot-outer.tar'
test_expect_success 'an outer tar member named /abs' 'expect_bad_input abs-outer.tar'
test_expect_success 'a manifest.json pointing a layer at ../../../etc/passwd' 'expect_bad_input escape-manifest.tar'
test_expect_success 'a symlink loop on etc/os-release (a -> b -> a)' 'expect_bad_input oci:loop-oci'
test_expect_success 'etc/os-release linked to itself' 'expect_bad_input self-loop.tar'

# --- Damaged package databases in good images: a warning, and the scan goes on. ---

test_expect_success 'a dpkg status of random bytes: warning, npm packages still listed' '
	expect_warning oci:garbage-status var/lib/dpkg/status &&
	jq -e "[.packages[] | select(.name == \"ms\")] | length == 1" warn.json
'
test_expect_success 'an invalid package.json: warning, every deb still listed' '
	expect_warning oci:bad-package-json app/node_modules/bad/package.json &&
	jq -e --argjson n "$nr_debs" "[.packages[] | select(.type == \"deb\")] | length == \$n" warn.json
'
test_expect_success 'an invalid package-lock.json: warning, every deb still listed' '
	expect_warning bad-lockfile.tar srv/checkout/package-lock.json &&
	jq -e --argjson n "$nr_debs" "[.packages[] | select(.type == \"deb\")] | length == \$n" warn.json
'
test_expect_success 'a dpkg status over --max-file-size: warning, not a silent short list' '
	expect_warning oci:good-oci var/lib/dpkg/status --max-file-size 10000
'
test_expect_success 'warnings go to stderr too, unless --quiet' '
	timeout 60 "$CUSTOMS" sbom oci:garbage-status -o json=w.json 2>stderr &&
	grep -q "var/lib/dpkg/status" stderr &&
	timeout 60 "$CUSTOMS" sbom oci:garbage-status -o json=w.json --quiet 2>stderr &&
	test ! -s stderr
'

test_done
