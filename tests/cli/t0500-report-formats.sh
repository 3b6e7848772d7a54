#!/bin/bash
# customs sbom writes CycloneDX 1.6, SPDX 2.3 and native JSON that validate, reproducibly and atomically.
. "$(dirname "$0")/../lib/test-lib.sh"

LIB=$TESTS_DIR/lib
FIXTURES=$TESTS_DIR/fixtures/report
EPOCH=1700000000
EPOCH_TIME=2023-11-14T22:13:20Z

# A small Debian-like root with three dpkg packages and one scoped npm package. It is laid out
# here rather than stored, because the repository ignores every node_modules folder.
mkdir -p rootfs/etc rootfs/var/lib/dpkg rootfs/node_modules/@scope/pkg &&
	cp "$FIXTURES/os-release" rootfs/etc/os-release &&
	cp "$FIXTURES/dpkg-status" rootfs/var/lib/dpkg/status &&
	cp "$FIXTURES/scope-pkg-package.json" rootfs/node_modules/@scope/pkg/package.json || exit 1

sbom() {
	"$CUSTOMS" sbom -q dir:rootfs "$@"
}

# Strip what may differ between runs: timestamps and the serial number.
normalize() {
	sed -e '/"serialNumber":/d' -e '/"documentNamespace":/d' -e '/"timestamp":/d' -e '/"created":/d' "$1"
}

have_python() { command -v python3 >/dev/null 2>&1; }

test_expect_success 'sbom writes CycloneDX, SPDX and JSON in one run' '
	sbom -o cyclonedx=bom.json -o spdx=sbom.spdx.json -o json=r.json -o table=table.txt &&
	test -s bom.json && test -s sbom.spdx.json && test -s r.json && test -s table.txt &&
	! ls | grep -q "\.tmp-"
'

test_expect_success 'the table names the image, the OS and the count, then one row per package' '
	head -n 1 table.txt | grep -q "^Image: dir:rootfs  OS: Debian GNU/Linux 12 (bookworm)  Packages: 4$" &&
	grep -q "^NAME  *VERSION  *TYPE  *SOURCE  *LAYER$" table.txt &&
	grep -q "^bsdutils  *1:2.38.1-5+b1  *deb  *util-linux (2.38.1-5)  *-$" table.txt &&
	grep -q "^@scope/pkg  *1.2.3  *npm  *-  *-$" table.txt
'

if have_python; then
	test_expect_success 'the native JSON lists exactly the packages of the root' '
		python3 - r.json <<-\EOF
		import json, sys
		doc = json.load(open(sys.argv[1]))
		assert doc["schema_version"] == 1, doc["schema_version"]
		assert doc["image"]["kind"] == "rootfs" and doc["image"]["source"] == "dir:rootfs", doc["image"]
		assert doc["os"]["id"] == "debian" and doc["os"]["version_id"] == "12", doc["os"]
		assert doc["os"]["source_path"] == "/etc/os-release", doc["os"]
		got = sorted((p["type"], p["name"], p["version"], p["source_name"], p["source_version"], p["path"])
		         for p in doc["packages"])
		want = sorted([
		    ("deb", "base-files", "12.4+deb12u5", "base-files", "12.4+deb12u5", "/var/lib/dpkg/status"),
		    ("deb", "bsdutils", "1:2.38.1-5+b1", "util-linux", "2.38.1-5", "/var/lib/dpkg/status"),
		    ("deb", "libc6", "2.36-9+deb12u4", "glibc", "2.36-9+deb12u4", "/var/lib/dpkg/status"),
		    ("npm", "@scope/pkg", "1.2.3", None, None, "/node_modules/@scope/pkg/package.json"),
		])
		assert got == want, got
		npm = [p for p in doc["packages"] if p["type"] == "npm"][0]
		assert npm["purl"] == "pkg:npm/%40scope/pkg@1.2.3", npm["purl"]
		assert npm["license"] == "(MIT OR Apache-2.0)", npm["license"]
		assert doc["warnings"] == [], doc["warnings"]
		EOF
	'

	test_expect_success 'CycloneDX carries purls, types, source, layer and path properties and the OS' '
		python3 - bom.json <<-\EOF
		import json, sys
		bom = json.load(open(sys.argv[1]))
		assert bom["bomFormat"] == "CycloneDX" and bom["specVersion"] == "1.6"
		meta = bom["metadata"]
		tool = meta["tools"]["components"][0]
		assert tool["name"] == "customs" and tool["version"], tool
		assert meta["component"]["type"] == "container", meta["component"]
		props = {p["name"]: p["value"] for p in meta["properties"]}
		assert props["customs:os:id"] == "debian" and props["customs:os:version_id"] == "12", props
		comps = bom["components"]
		osc = [c for c in comps if c["type"] == "operating-system"]
		assert len(osc) == 1 and osc[0]["name"] == "debian" and osc[0]["version"] == "12", osc
		libs = [c for c in comps if c["type"] == "library"]
		assert len(libs) == 4, libs
		refs = [c["bom-ref"] for c in comps]
		assert len(set(refs)) == len(refs), refs
		for c in libs:
		    p = {x["name"]: x["value"] for x in c.get("properties", [])}
		    assert c["purl"].startswith("pkg:" + p["customs:package:type"] + "/"), c
		    assert p["customs:location:path"].startswith("/"), p
		bsd = [c for c in libs if c["name"] == "bsdutils"][0]
		p = {x["name"]: x["value"] for x in bsd["properties"]}
		assert p["customs:source:name"] == "util-linux" and p["customs:source:version"] == "2.38.1-5", p
		assert "distro=debian-12" in bsd["purl"], bsd["purl"]
		npm = [c for c in libs if c["name"] == "@scope/pkg"][0]
		assert npm["purl"] == "pkg:npm/%40scope/pkg@1.2.3", npm
		assert npm["licenses"] == [{"expression": "(MIT OR Apache-2.0)"}], npm["licenses"]
		EOF
	'

	test_expect_success 'SPDX describes the image, which contains the OS and every package' '
		python3 - sbom.spdx.json <<-\EOF
		import json, sys
		doc = json.load(open(sys.argv[1]))
		assert doc["spdxVersion"] == "SPDX-2.3" and doc["dataLicense"] == "CC0-1.0"
		assert doc["documentNamespace"].startswith("https://customs.invalid/spdxdocs/"), doc["documentNamespace"]
		assert doc["creationInfo"]["creators"][0].startswith("Tool: customs-")
		ids = [p["SPDXID"] for p in doc["packages"]]
		assert len(set(ids)) == len(ids) == 6, ids
		rels = [(r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"]) for r in doc["relationships"]]
		assert rels[0] == ("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Image"), rels
		contained = sorted(r[2] for r in rels if r[1] == "CONTAINS")
		assert contained == sorted(i for i in ids if i != "SPDXRef-Image"), rels
		purls = sorted(r["referenceLocator"] for p in doc["packages"] for r in p.get("externalRefs", []))
		assert len(purls) == 4 and "pkg:npm/%40scope/pkg@1.2.3" in purls, purls
		EOF
	'
else
	test_skip 'report contents' 'python3 is not installed'
fi

# The reference validators; installed once into build/, then used offline.
if ! have_shared_data; then
	test_skip 'CycloneDX output validates against the 1.6 schema' '../shared/data is missing'
elif ! sh "$LIB/sbom-tools.sh" ajv >/dev/null 2>&1; then
	test_skip 'CycloneDX output validates against the 1.6 schema' 'ajv cannot be installed with npm here'
else
	test_expect_success 'CycloneDX output validates against the 1.6 schema' '
		sh "$LIB/validate-schema.sh" bom.json
	'
	test_expect_success 'the schema check rejects an invalid document' '
		sed "s/\"specVersion\":.*/\"specVersion\": 16,/" bom.json >bad.json &&
		test_expect_code 1 sh "$LIB/validate-schema.sh" bad.json 2>err &&
		grep -q "bad.json: /specVersion must be" err
	'
fi

if ! sh "$LIB/sbom-tools.sh" spdx >/dev/null 2>&1; then
	test_skip 'SPDX output passes the SPDX reference validator' 'spdx-tools cannot be installed with pip here'
else
	test_expect_success 'SPDX output passes the SPDX reference validator' '
		sh "$LIB/validate-spdx.sh" sbom.spdx.json
	'
	test_expect_success 'the SPDX validator rejects an invalid document' '
		sed "s/\"SPDXRef-Image\"/\"SPDXRef_Image\"/" sbom.spdx.json >bad.spdx.json &&
		test_expect_code 1 sh "$LIB/validate-spdx.sh" bad.spdx.json 2>err &&
		grep -q "SPDXRef_Image" err
	'
fi

# Hostile strings and every license id we write as SPDX come from the unit fixture, not an image.
if [ -z "${UNIT_TESTS:-}" ] || [ ! -x "$UNIT_TESTS" ]; then
	test_skip 'edge-case documents from the writers validate' 'UNIT_TESTS is not set (make test sets it)'
elif ! have_shared_data || ! sh "$LIB/sbom-tools.sh" ajv >/dev/null 2>&1 ||
	! sh "$LIB/sbom-tools.sh" spdx >/dev/null 2>&1; then
	test_skip 'edge-case documents from the writers validate' 'a validator or ../shared/data is missing'
else
	test_expect_success 'edge-case documents from the writers validate' '
		mkdir samples &&
		CUSTOMS_REPORT_SAMPLES=$PWD/samples "$UNIT_TESTS" report_write_samples &&
		test -s samples/licenses.cdx.json &&
		sh "$LIB/validate-schema.sh" samples/*.cdx.json &&
		sh "$LIB/validate-spdx.sh" samples/*.spdx.json
	'
fi

test_expect_success 'two runs give the same bytes apart from timestamps and serial' '
	mkdir -p a b &&
	sbom -o cyclonedx=a/bom.json -o spdx=a/sbom.spdx.json -o json=a/r.json -o table=a/t.txt &&
	sbom -o cyclonedx=b/bom.json -o spdx=b/sbom.spdx.json -o json=b/r.json -o table=b/t.txt &&
	cmp a/t.txt b/t.txt &&
	for f in bom.json sbom.spdx.json r.json; do
		normalize a/$f >a/$f.norm && normalize b/$f >b/$f.norm && cmp a/$f.norm b/$f.norm || exit 1
	done &&
	! cmp -s a/bom.json b/bom.json
'

test_expect_success 'SOURCE_DATE_EPOCH fixes every timestamp' '
	mkdir -p e1 e2 &&
	SOURCE_DATE_EPOCH=$EPOCH sbom -o cyclonedx=e1/bom.json -o spdx=e1/sbom.spdx.json -o json=e1/r.json &&
	SOURCE_DATE_EPOCH=$EPOCH sbom -o cyclonedx=e2/bom.json -o spdx=e2/sbom.spdx.json -o json=e2/r.json &&
	grep -q "\"timestamp\":.*\"$EPOCH_TIME\"" e1/bom.json &&
	grep -q "\"created\":.*\"$EPOCH_TIME\"" e1/sbom.spdx.json &&
	grep -q "\"created\":.*\"$EPOCH_TIME\"" e1/r.json &&
	for f in bom.json sbom.spdx.json; do
		sed -e "/\"serialNumber\":/d" -e "/\"documentNamespace\":/d" e1/$f >e1/$f.norm &&
		sed -e "/\"serialNumber\":/d" -e "/\"documentNamespace\":/d" e2/$f >e2/$f.norm &&
		cmp e1/$f.norm e2/$f.norm || exit 1
	done &&
	cmp e1/r.json e2/r.json
'

test_expect_success 'an output that cannot be created leaves no file' '
	test_expect_code 2 sbom -o json=ok.json -o cyclonedx=no/such/dir/bom.json 2>err &&
	one_line_error err &&
	! test -e ok.json && ! test -e no &&
	! ls | grep -q "\.tmp-"
'

# A write that fails half-way: the file size limit makes write() return EFBIG
# once the first kilobyte is out. SIGXFSZ is ignored so the write fails instead
# of the process dying, which is what a full disk looks like.
test_expect_success 'a write that fails half-way leaves no partial file' '
	mkdir full && echo old >full/bom.json &&
	(
		trap "" XFSZ
		ulimit -f 1
		exec "$CUSTOMS" sbom -q dir:rootfs -o json=full/r.json -o cyclonedx=full/bom.json
	) 2>err
	rc=$?
	test "$rc" -ne 0 && test "$rc" -lt 128 &&
	one_line_error err &&
	test "$(cat full/bom.json)" = old &&
	! test -e full/r.json &&
	test "$(ls full)" = bom.json
'

test_done
