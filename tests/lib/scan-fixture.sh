# The image, dpkg status and OSV records the customs scan tests share, and the environment they run in.
#
# Source it after test-lib.sh (so from the trash directory). Sourcing sets what every scan test
# needs: a fixed SOURCE_DATE_EPOCH (EPOCH), nothing from the machine that could pick a database
# or a key, HOME inside the trash directory, LIB, PYTHON and mkimage. Then call:
#   write_dpkg_status [--with-base-files]  ./status: libc6 (from glibc) and zlib1g (from zlib)
#   make_scan_image                        the image of eight findings as ./img (see below)
#   write_scan_osv_records                 ./osv/*.json, the records that hit make_scan_image
#   validated NAME COMMAND...              a validator's verdict as ok, failure or skip

LIB=$TESTS_DIR/lib
if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi
mkimage() { "$PYTHON" "$LIB/mkimage.py" "$@"; }
# The database is built at EPOCH (2023-11-14), and every scan runs then unless a test says otherwise.
EPOCH=1700000000
export SOURCE_DATE_EPOCH=$EPOCH
# Nothing from the machine running the tests may pick a database or a key.
unset CUSTOMS_DB CUSTOMS_DB_PUBKEY XDG_CACHE_HOME NO_COLOR
export HOME=$TRASH/home

# npm_json NAME VERSION: a package.json on standard output.
npm_json() { printf '{"name": "%s", "version": "%s", "license": "MIT"}\n' "$1" "$2"; }

write_dpkg_status() {
	{
		if [ "${1:-}" = --with-base-files ]; then
			cat <<'EOF'
Package: base-files
Status: install ok installed
Architecture: amd64
Version: 12.4+deb12u5

EOF
		fi
		cat <<'EOF'
Package: libc6
Status: install ok installed
Architecture: amd64
Source: glibc
Version: 2.36-9+deb12u1

Package: zlib1g
Status: install ok installed
Architecture: amd64
Source: zlib
Version: 1:1.2.13.dfsg-1

EOF
	} >status
}

# make_scan_image: a Debian 12 layer, an npm layer, and a layer that deletes one npm package (debug),
# as the OCI layout ./img tagged "scan". Leaves os-release, status, the package.json files, the
# layers l0.tar l1.tar l2.tar and their history lines CB0 CB1 CB2 for the tests to reuse.
make_scan_image() {
	cat >os-release <<'EOF'
PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION_CODENAME=bookworm
ID=debian
EOF
	write_dpkg_status --with-base-files
	npm_json lodash 4.17.20 >lodash.json
	npm_json minimist 1.2.6 >minimist.json
	npm_json shell-quote 1.7.2 >shell-quote.json
	npm_json debug 2.6.8 >debug.json
	npm_json ansi-regex 5.0.0 >ansi-regex.json

	CB0='debootstrap --variant=minbase bookworm'
	CB1='RUN npm install lodash minimist shell-quote debug ansi-regex && npm cache clean --force'
	CB2='RUN rm -rf /app/node_modules/debug'
	mkimage layer l0.tar f:etc/os-release=@os-release f:var/lib/dpkg/status=@status &&
	mkimage layer l1.tar f:app/node_modules/lodash/package.json=@lodash.json \
		f:app/node_modules/minimist/package.json=@minimist.json \
		f:app/node_modules/shell-quote/package.json=@shell-quote.json \
		f:app/node_modules/debug/package.json=@debug.json \
		f:app/node_modules/ansi-regex/package.json=@ansi-regex.json &&
	mkimage layer l2.tar f:app/node_modules/.wh.debug= &&
	# An unprivileged user and a health check keep the posture checks quiet: these tests are about
	# vulnerabilities, and t6400 plants what the checks look for.
	mkimage oci img --tag scan --created-by "$CB0" --created-by "$CB1" --created-by "$CB2" \
		--config 'User="10001"' --config 'Healthcheck={"Test": ["CMD", "/app/healthcheck"]}' \
		l0.tar l1.tar l2.tar
}

# write_scan_osv_records: OSV records for make_scan_image, eight findings (two without a fix) and
# negative controls, in ./osv.
write_scan_osv_records() {
	mkdir -p osv
	# Debian names the source package; libc6 comes from glibc.
	cat >osv/DSA-5514-1.json <<'EOF'
{"id": "DSA-5514-1", "modified": "2023-10-03T00:00:00Z", "aliases": ["CVE-2023-4911"],
 "summary": "glibc: buffer overflow in the dynamic loader's processing of GLIBC_TUNABLES",
 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"}],
 "affected": [{"package": {"ecosystem": "Debian:12", "name": "glibc"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.36-9+deb12u3"}]}]}]}
EOF
	cat >osv/DEBIAN-CVE-2099-0001.json <<'EOF'
{"id": "DEBIAN-CVE-2099-0001", "modified": "2023-10-04T00:00:00Z", "aliases": ["CVE-2099-0001"],
 "summary": "glibc: a made-up medium issue",
 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:L"}],
 "affected": [{"package": {"ecosystem": "Debian:12", "name": "glibc"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.36-9+deb12u7"}]}]}]}
EOF
	# No fix yet: only an introduced event.
	cat >osv/DEBIAN-CVE-2023-45853.json <<'EOF'
{"id": "DEBIAN-CVE-2023-45853", "modified": "2023-10-14T00:00:00Z", "aliases": ["CVE-2023-45853"],
 "summary": "zlib: integer overflow in MiniZip's zipOpenNewFileInZip4_64",
 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
 "affected": [{"package": {"ecosystem": "Debian:12", "name": "zlib"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}
EOF
	# Two records of one vulnerability: one finding, the CVE as its ID.
	cat >osv/GHSA-35jh-r3h4-6jhm.json <<'EOF'
{"id": "GHSA-35jh-r3h4-6jhm", "modified": "2021-02-16T00:00:00Z", "aliases": ["CVE-2021-23337"],
 "summary": "Command Injection in lodash",
 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"}],
 "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}]}]}
EOF
	cat >osv/CVE-2021-23337.json <<'EOF'
{"id": "CVE-2021-23337", "modified": "2021-02-15T00:00:00Z",
 "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}]}]}
EOF
	cat >osv/OSV-2099-0001.json <<'EOF'
{"id": "OSV-2099-0001", "modified": "2023-01-01T00:00:00Z", "summary": "lodash: a made-up issue without a rating",
 "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.17.22"}]}]}]}
EOF
	# Withdrawn: never a finding.
	cat >osv/GHSA-wdrn-0000-0000.json <<'EOF'
{"id": "GHSA-wdrn-0000-0000", "modified": "2023-01-01T00:00:00Z", "withdrawn": "2023-01-02T00:00:00Z",
 "summary": "lodash: withdrawn",
 "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]}
EOF
	# The installed minimist is the fixed version: no finding.
	cat >osv/GHSA-xvch-5gv4-984h.json <<'EOF'
{"id": "GHSA-xvch-5gv4-984h", "modified": "2022-03-18T00:00:00Z", "aliases": ["CVE-2021-44906"],
 "summary": "Prototype Pollution in minimist",
 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
 "affected": [{"package": {"ecosystem": "npm", "name": "minimist"},
   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "0.2.4"}]},
              {"type": "SEMVER", "events": [{"introduced": "1.0.0"}, {"fixed": "1.2.6"}]}]}]}
EOF
	cat >osv/GHSA-g4rg-993r-mgx7.json <<'EOF'
{"id": "GHSA-g4rg-993r-mgx7", "modified": "2021-11-08T00:00:00Z", "aliases": ["CVE-2021-42740"],
 "summary": "Improper Neutralization of Special Elements used in a Command in Shell-quote",
 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
 "affected": [{"package": {"ecosystem": "npm", "name": "shell-quote"},
   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.7.3"}]}]}]}
EOF
	# debug is deleted by the last layer: no finding.
	cat >osv/GHSA-gxpj-cx7g-858c.json <<'EOF'
{"id": "GHSA-gxpj-cx7g-858c", "modified": "2017-09-27T00:00:00Z", "aliases": ["CVE-2017-16137"],
 "summary": "Regular Expression Denial of Service in debug", "database_specific": {"severity": "MODERATE"},
 "affected": [{"package": {"ecosystem": "npm", "name": "debug"},
   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "2.6.9"}]}]}]}
EOF
	cat >osv/GHSA-93q8-gq69-wqmw.json <<'EOF'
{"id": "GHSA-93q8-gq69-wqmw", "modified": "2021-09-20T00:00:00Z", "aliases": ["CVE-2021-3807"],
 "summary": "Inefficient Regular Expression Complexity in chalk/ansi-regex",
 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}],
 "affected": [{"package": {"ecosystem": "npm", "name": "ansi-regex"},
   "ranges": [{"type": "SEMVER", "events": [{"introduced": "5.0.0"}, {"fixed": "5.0.1"}]}]}]}
EOF
	cat >osv/GHSA-2099-low0-0001.json <<'EOF'
{"id": "GHSA-2099-low0-0001", "modified": "2023-02-01T00:00:00Z", "summary": "ansi-regex: a made-up low issue",
 "database_specific": {"severity": "LOW"},
 "affected": [{"package": {"ecosystem": "npm", "name": "ansi-regex"}, "versions": ["5.0.0"]}]}
EOF
	# An npm package named like a Debian source package: the Debian zlib must not match.
	cat >osv/GHSA-2099-zlib-0001.json <<'EOF'
{"id": "GHSA-2099-zlib-0001", "modified": "2023-02-01T00:00:00Z", "summary": "npm zlib: made up",
 "affected": [{"package": {"ecosystem": "npm", "name": "zlib"},
   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]}
EOF
}

# validated NAME COMMAND...: ok, a failure with the validator's words, or a skip when it exits 77.
validated() {
	local name=$1 rc
	shift
	"$@" >"$TRASH/.validate" 2>&1
	rc=$?
	if [ $rc -eq 77 ]; then
		test_skip "$name" "$(tail -n 1 "$TRASH/.validate")"
	elif [ $rc -eq 0 ]; then
		say_ok "$name"
	else
		say_fail "$name"
		sed 's/^/    /' "$TRASH/.validate" | tail -n 20
	fi
}
