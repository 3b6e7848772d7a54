#!/bin/bash
# The HTML report: one self-contained page that headless Chromium renders, with and without JavaScript, loading nothing.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$TESTS_DIR/lib/scan-fixture.sh"

# ---- a small image whose advisories and history carry hostile strings ----

# The name carries bytes that are not UTF-8.
printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm) \377\376"\nVERSION_ID="12"\nID=debian\n' >os-release
write_dpkg_status
printf '{"name": "lodash", "version": "4.17.20"}\n' >lodash.json
{
	mkimage layer l0.tar f:etc/os-release=@os-release f:var/lib/dpkg/status=@status &&
	mkimage layer l1.tar f:app/node_modules/lodash/package.json=@lodash.json &&
	mkimage oci img --tag html --created-by 'debootstrap bookworm' \
		--created-by 'ADD https://example.invalid/app.tar.gz /app <img src=x onerror=alert(2)>' l0.tar l1.tar
} >/dev/null || { say_fail 'making the test image'; test_done; exit; }

mkdir osv
# The title ends a script element and tries to open one.
cat >osv/DSA-5514-1.json <<'EOF'
{"id": "DSA-5514-1", "modified": "2023-10-03T00:00:00Z", "aliases": ["CVE-2023-4911"],
 "summary": "glibc </script><script>alert(1)</script> \u0007 overflow",
 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"}],
 "affected": [{"package": {"ecosystem": "Debian:12", "name": "glibc"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.36-9+deb12u3"}]}]}]}
EOF
cat >osv/DEBIAN-CVE-2023-45853.json <<'EOF'
{"id": "DEBIAN-CVE-2023-45853", "modified": "2023-10-14T00:00:00Z", "aliases": ["CVE-2023-45853"],
 "summary": "zlib: integer overflow in MiniZip",
 "affected": [{"package": {"ecosystem": "Debian:12", "name": "zlib"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}
EOF
cat >osv/GHSA-35jh-r3h4-6jhm.json <<'EOF'
{"id": "GHSA-35jh-r3h4-6jhm", "modified": "2021-02-16T00:00:00Z", "aliases": ["CVE-2021-23337"],
 "summary": "Command Injection in lodash, see http://example.invalid/advisory",
 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"}],
 "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}]}]}
EOF
cat >ignore.json <<'EOF'
{"ignore": [{"id": "CVE-2023-45853", "package": "zlib1g", "reason": "MiniZip is not shipped <b>here</b>"}]}
EOF

test_expect_success 'set up: the database' '
	"$CUSTOMS" db build --output scan.db osv >out
'

test_expect_success 'customs scan -o html writes one page with every finding and the gate' '
	test_expect_code 1 "$CUSTOMS" scan -q --db scan.db --fail-on high --ignore-file ignore.json \
		-o html=report.html -o json=r.json oci:img &&
	head -n 1 report.html | grep -qx "<!DOCTYPE html>" &&
	grep -q "<h1>Customs scan: html</h1>" report.html &&
	grep -q "<p class=\"verdict failed\">Policy failed.</p>" report.html &&
	grep -q "<h2>Findings (2)</h2>" report.html &&
	grep -q "<h2>Suppressed (1)</h2>" report.html &&
	grep -q "<td>ignore</td><td>MiniZip is not shipped &lt;b&gt;here&lt;/b&gt;</td>" report.html &&
	grep -q "<dt>OS</dt><dd>Debian GNU/Linux 12 (bookworm) $(printf "\357\277\275\357\277\275")</dd>" report.html &&
	grep -q "<td>debootstrap bookworm</td>" report.html &&
	grep -q "<h2>Vulnerability database</h2>" report.html &&
	test "$(grep -c "^<tr data-sev=" report.html)" = 6 &&
	# Three vulnerabilities, then the posture checks the hostile history trips: root, ADD from a URL, no health check.
	test "$(grep "^<tr data-sev=" report.html | grep -c "data-pkg=\"CUS-CFG-00[167] ")" = 3
'

test_expect_success 'hostile strings are text, and the page names no network address' '
	grep -q "glibc &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" report.html &&
	grep -q "ADD https&#58;//example.invalid/app.tar.gz /app &lt;img src=x onerror=alert(2)&gt;" report.html &&
	test "$(grep -c "<script" report.html)" = 1 &&
	! grep -Eiq "https?://|<img|<link|<iframe|src=\"|url\\(|@import" report.html &&
	grep -q "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src '"'"'none'"'"'; style-src '"'"'unsafe-inline'"'"'; script-src '"'"'sha256-" report.html &&
	"$PYTHON" -c "import sys; open(sys.argv[1], \"rb\").read().decode(\"utf-8\")" report.html
'

test_expect_success 'customs sbom -o html lists the packages' '
	"$CUSTOMS" sbom -q -o html=sbom.html oci:img &&
	grep -q "<h2>Packages (3)</h2>" sbom.html &&
	grep -q "<p>An inventory: no vulnerability scan was run.</p>" sbom.html &&
	! grep -q "id=\"findings\"" sbom.html
'

# ---- headless Chromium ----

CHROMIUM=
for c in chromium chromium-browser; do
	if command -v "$c" >/dev/null 2>&1; then CHROMIUM=$c; break; fi
done

# chrome ARGS...: headless, with the profile $PROFILE (a fresh one by default), and every host
# name resolving to nothing, so that a request the page should never make could not leave the
# machine either.
chrome() {
	timeout 120 "$CHROMIUM" --headless --disable-gpu --no-sandbox --no-first-run --no-default-browser-check \
		--disable-extensions --disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="${PROFILE:-$TRASH/profile}" --host-resolver-rules="MAP * ~NOTFOUND" \
		--enable-logging=stderr --v=0 "$@"
}

# not_blank PNG: the screenshot decodes and shows a page, not one flat colour.
not_blank() {
	"$PYTHON" - "$1" <<'EOF'
import struct, sys, zlib

data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, header = 8, b"", None
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        header = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
width, height, depth, colour, _, _, interlace = header
assert depth == 8 and colour in (2, 6) and interlace == 0, "unexpected PNG layout %r" % (header,)
bpp = 3 if colour == 2 else 4
raw = zlib.decompress(idat)
stride = width * bpp
prev = bytearray(stride)
colours, ink = set(), 0
for y in range(height):
    kind = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if kind == 1:
            line[i] = (line[i] + a) & 255
        elif kind == 2:
            line[i] = (line[i] + b) & 255
        elif kind == 3:
            line[i] = (line[i] + (a + b) // 2) & 255
        elif kind == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    if y % 3 == 0:
        for x in range(0, stride, bpp * 2):
            px = bytes(line[x:x + 3])
            colours.add(px)
            if min(px) < 200:
                ink += 1
    prev = line
sampled = (height + 2) // 3 * ((width + 1) // 2)
print("%dx%d, %d colours, %.1f%% ink" % (width, height, len(colours), 100.0 * ink / sampled))
assert len(colours) >= 20, "too few colours: the page looks blank"
assert ink * 100 >= sampled, "under 1% of the page is drawn on"
EOF
}

if [ -z "$CHROMIUM" ]; then
	test_skip 'the page in headless Chromium' 'chromium is not installed (tests/setup-tools.sh installs it)'
elif ! chrome --dump-dom "file://$TRASH/report.html" >probe.html 2>probe.err || ! grep -q "</html>" probe.html; then
	test_skip 'the page in headless Chromium' "chromium does not run here$(grep -v dbus probe.err | tail -n 1 | sed "s/^/: /")"
else
	test_expect_success 'Chromium renders the page: a screenshot that is not blank' '
		chrome --screenshot="$TRASH/shot.png" --window-size=1280,900 "file://$TRASH/report.html" 2>shot.err &&
		test -s shot.png &&
		not_blank shot.png &&
		# A negative control: an empty page is blank.
		printf "<!DOCTYPE html><title>x</title>\n" >empty.html &&
		chrome --screenshot="$TRASH/empty.png" --window-size=1280,900 "file://$TRASH/empty.html" 2>empty.err &&
		! not_blank empty.png
	'

	test_expect_success 'the script runs under the page'"'"'s own CSP, without errors' '
		chrome --dump-dom "file://$TRASH/report.html" >dom.html 2>dom.err &&
		grep -q "<html lang=\"en\" class=\"js\">" dom.html &&
		grep -q "<form id=\"filters\">" dom.html &&
		grep -q "id=\"t-findings-shown\">Showing 2 of 2 rows.</p>" dom.html &&
		grep -q "<th class=\"sortable\" tabindex=\"0\" title=\"Sort by this column\">Severity</th>" dom.html &&
		! grep -Eiq "Refused to|Content Security Policy|Uncaught|SyntaxError" dom.err
	'

	# The filters and sorting, driven by a probe script in a copy of the page without its
	# policy (which would rightly refuse the probe); the probe writes what it saw into the page.
	cat >probe.js <<'EOF'
<script>
var seen = [];
function rows() {
	return Array.prototype.map.call(document.querySelectorAll("#t-findings tbody tr"), function (r) {
		return (r.hidden ? "-" : "") + r.dataset.pkg;
	}).join(",");
}
function fire(el, type) { el.dispatchEvent(new Event(type, {bubbles: true})); }
seen.push("start " + rows());
var high = document.querySelector("input[name=sev][value=high]");
high.checked = false; fire(high, "change");
seen.push("no-high " + rows() + " " + document.getElementById("t-findings-shown").textContent);
high.checked = true; fire(high, "change");
var pkg = document.getElementById("f-pkg");
pkg.value = "LOD"; fire(pkg, "input");
seen.push("package " + rows());
pkg.value = ""; fire(pkg, "input");
var layer = document.getElementById("f-layer");
layer.value = "0"; fire(layer, "change");
seen.push("layer " + rows());
layer.value = ""; fire(layer, "change");
var th = document.querySelectorAll("#t-findings thead th")[2];
th.click(); th.click();
seen.push("sorted " + rows() + " " + th.getAttribute("aria-sort"));
var pre = document.createElement("pre");
pre.id = "probe";
pre.textContent = seen.join("\n");
document.body.appendChild(pre);
</script>
EOF
	cat >probe.want <<'EOF'
start libc6,lodash
no-high -libc6,-lodash Showing 0 of 2 rows.
package -libc6,lodash
layer libc6,-lodash
sorted lodash,libc6 descending
EOF
	test_expect_success 'with JavaScript, the filters hide rows and a header click sorts' '
		grep -v "^<meta http-equiv=\"Content-Security-Policy\"" report.html |
			sed -e "/^<\/body>$/{r probe.js" -e "}" >probe.html &&
		chrome --dump-dom "file://$TRASH/probe.html" >probe-dom.html 2>probe-dom.err &&
		sed -n "/<pre id=\"probe\">/,/<\/pre>/p" probe-dom.html |
			sed -e "s/.*<pre id=\"probe\">//" -e "s/<\/pre>.*//" >probe.got &&
		diff -u probe.want probe.got
	'

	# A profile whose content settings block JavaScript, as a reader who turned it off has
	# (--blink-settings=scriptEnabled=false also stops --dump-dom and --screenshot from working).
	mkdir -p nojs-profile/Default &&
	echo "{\"profile\": {\"default_content_setting_values\": {\"javascript\": 2}}}" >nojs-profile/Default/Preferences

	test_expect_success 'without JavaScript the tables are all there and the filters stay hidden' '
		PROFILE=$TRASH/nojs-profile chrome --dump-dom "file://$TRASH/report.html" >nojs.html 2>nojs.err &&
		grep -q "<html lang=\"en\">" nojs.html &&
		grep -q "<form id=\"filters\" hidden=\"\">" nojs.html &&
		test "$(grep -c "<tr data-sev=" nojs.html)" = 6 &&
		PROFILE=$TRASH/nojs-profile chrome --screenshot="$TRASH/nojs.png" --window-size=1280,900 \
			"file://$TRASH/report.html" 2>nojs-shot.err &&
		not_blank nojs.png
	'

	# page_requests NETLOG: the requests a page made. Chromium's own background requests
	# (updates, time, accounts) have no initiator origin; the page's would have its opaque
	# file:// origin, "null". The host resolver rules keep either from leaving the machine.
	page_requests() {
		"$PYTHON" - "$1" <<'EOF'
import json, sys

log = json.load(open(sys.argv[1]))
names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
for event in log["events"]:
    params = event.get("params") or {}
    if names.get(event["type"]) == "URL_REQUEST_START_JOB" and "url" in params:
        if params.get("initiator", "not an origin") != "not an origin":
            print(params["url"])
EOF
	}

	test_expect_success 'the browser makes no request for the page' '
		chrome --log-net-log="$TRASH/netlog.json" --dump-dom "file://$TRASH/report.html" >/dev/null 2>net.err &&
		page_requests netlog.json >requests &&
		test ! -s requests &&
		# A negative control: a page that does load something is caught.
		printf "<!DOCTYPE html><title>x</title><img src=\"http://example.invalid/x.png\">\n" >control.html &&
		chrome --log-net-log="$TRASH/control.json" --dump-dom "file://$TRASH/control.html" >/dev/null 2>control.err &&
		page_requests control.json >control-requests &&
		grep -q "^http://example.invalid/x.png$" control-requests
	'
fi

test_done
