#!/bin/bash
# The posture checks end to end: planted fake secrets, setuid files, caches and risky config in a real
# image, look-alikes that must stay quiet, redaction in every output, --checks, the gate, --dockerfile.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$TESTS_DIR/lib/scan-fixture.sh"

for tool in umoci skopeo openssl ssh-keygen; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		test_skip 'the posture checks' "$tool is missing (tests/setup-tools.sh installs it)"
		test_done
		exit
	fi
done

# The image of tests/lib/mk-checks-image.sh, with secrets made afresh for this run (fx/).
if ! sh "$LIB/mk-checks-image.sh" fx >mk.log 2>&1; then
	say_fail 'making the test image'
	sed 's/^/    /' mk.log | tail -n 20
	test_done
	exit
fi
write_scan_osv_records

OCI=oci:fx/oci:checks
ARCHIVE=fx/docker.tar
scan() { "$CUSTOMS" scan -q --db scan.db "$@"; }

# The reader of the JSON report's "checks" object; every subcommand exits 1 with the reasons.
cat >checks.py <<'EOF'
import json, os, sys

def load(path):
    with open(path) as f:
        return json.load(f)

def findings(report):
    return report.get("checks", {}).get("findings", [])

def where(f):
    """Path (without the leading '/' the report gives paths in the image), line and layer index."""
    loc = f.get("location", {})
    path = loc.get("path")
    if path is not None and not loc.get("dockerfile"):
        path = path.lstrip("/")
    return path, loc.get("line"), f.get("layer", {}).get("index")

def show(f):
    path, line, layer = where(f)
    return "%s %s:%s layer %s" % (f.get("id"), path, line, layer)

def image_diff_ids(layout):
    index = load(os.path.join(layout, "index.json"))
    blob = lambda d: os.path.join(layout, "blobs", *d.split(":"))
    manifest = load(blob(index["manifests"][0]["digest"]))
    return load(blob(manifest["config"]["digest"]))["rootfs"]["diff_ids"]

def matches(f, want_id, want_path, want_line, want_layer):
    path, line, layer = where(f)
    if f.get("id") != want_id:
        return False
    if want_path == "-":
        pass
    elif want_path.endswith("/"):
        if not (path or "").startswith(want_path) and path != want_path[:-1]:
            return False
    elif path != want_path:
        return False
    if want_line != "-" and line != int(want_line):
        return False
    if want_layer != "-" and layer != int(want_layer):
        return False
    return True

def expect(report_path, expected_tsv, layout):
    """Every expected finding is there, with the right layer digests."""
    report, bad = load(report_path), []
    fs = findings(report)
    diff_ids = image_diff_ids(layout)
    for row in open(expected_tsv):
        want = row.rstrip("\n").split("\t")
        hit = [f for f in fs if matches(f, *want)]
        if not hit:
            bad.append("missing: %s" % " ".join(want))
        for f in hit:
            layer = f.get("layer")
            if layer and layer.get("diff_id") != diff_ids[layer["index"]]:
                bad.append("wrong diff_id: %s %s" % (show(f), layer.get("diff_id")))
            for key in ("severity", "title", "why", "remediation", "kind"):
                if not f.get(key):
                    bad.append("no %s: %s" % (key, show(f)))
    return bad, fs

def absent(report_path, absent_tsv):
    """No finding names a negative control."""
    fs, bad = findings(load(report_path)), []
    if not fs:
        bad.append("no check finding at all, so the negative controls prove nothing")
    for row in open(absent_tsv):
        path, why = row.rstrip("\n").split("\t")
        bad += ["reported (%s): %s" % (why, show(f)) for f in fs if where(f)[0] == path]
    return bad

def key(f):
    return (f.get("id"),) + where(f)

cmd, args = sys.argv[1], sys.argv[2:]
bad = []
if cmd == "expect":  # REPORT EXPECTED.tsv OCI_LAYOUT
    bad, fs = expect(*args)
elif cmd == "absent":  # REPORT ABSENT.tsv
    bad = absent(*args)
elif cmd == "same":  # REPORT REPORT: the same check findings
    a, b = (sorted(map(key, findings(load(p))), key=repr) for p in args)
    if a != b:
        bad.append("the two reports differ:\n  %s\n  %s" % (a, b))
elif cmd == "only":  # REPORT PREFIX: every check finding's ID starts with PREFIX, and there is one
    fs = findings(load(args[0]))
    bad = ["not %s: %s" % (args[1], show(f)) for f in fs if not f["id"].startswith(args[1])]
    if not fs:
        bad.append("no check finding at all")
elif cmd == "none":  # REPORT: no check finding
    bad = ["unexpected: %s" % show(f) for f in findings(load(args[0]))]
elif cmd == "run":  # REPORT KIND...: the kinds that ran
    got = load(args[0]).get("checks", {}).get("run")
    if sorted(got or []) != sorted(args[1:]):
        bad.append("checks.run is %s, not %s" % (got, args[1:]))
elif cmd == "no-vulns":  # REPORT
    if load(args[0]).get("findings"):
        bad.append("vulnerability findings in a scan without vuln")
elif cmd == "count":  # REPORT ID [SUPPRESSED]: how many findings of ID (active, or suppressed ones)
    fs = [f for f in findings(load(args[0])) if f["id"] == args[1]]
    if len(args) > 2:
        fs = [f for f in fs if ("suppressed" in f) == (args[2] == "suppressed")]
    print(len(fs))
elif cmd == "severity":  # REPORT SEVERITY: active check findings of that severity
    print(len([f for f in findings(load(args[0]))
               if f["severity"] == args[1] and "suppressed" not in f]))
elif cmd == "suppressed":  # REPORT ID PATH REASON: that finding, and only it, is suppressed by an ignore rule
    fs = findings(load(args[0]))
    sup = [f for f in fs if "suppressed" in f]
    want = [f for f in sup if f["id"] == args[1] and where(f)[0] == args[2]]
    if len(want) != 1 or len(sup) != 1:
        bad.append("suppressed: %s" % [show(f) for f in sup])
    elif want[0]["suppressed"] != {"by": "ignore", "reason": args[3]}:
        bad.append("suppressed as %s" % want[0]["suppressed"])
elif cmd == "dockerfile":  # REPORT DOCKERFILE EXPECTED.tsv LINES.tsv
    fs, bad = findings(load(args[0])), []
    for row in open(args[2]):
        rule, line = row.split()
        hit = [f for f in fs if f["id"] == rule and where(f)[1] == int(line)
               and (where(f)[0] or "").endswith(args[1])
               and f.get("dockerfile", {}).get("line", int(line)) == int(line)]
        if not hit:
            bad.append("missing: %s at %s:%s; have %s" % (rule, args[1], line,
                       [show(f) for f in fs if f["id"].startswith("CUS-DKR")]))
    lines = dict(r.split() for r in open(args[3]))
    # Image findings are linked to the instruction that made their layer.
    for rule, path, instr in (("CUS-CFG-009", "usr/local/bin/helper", "RUN_APT"),
                              ("CUS-SEC-005", "app/scripts/deploy.sh", "COPY"),
                              ("CUS-SEC-002", "app/secrets/id_ed25519", "COPY"),
                              ("CUS-CFG-007", None, "ADD"),
                              ("CUS-CFG-004", None, "RM")):
        hit = [f for f in fs if f["id"] == rule and (path is None or where(f)[0] == path)]
        if not hit or hit[0].get("dockerfile", {}).get("line") != int(lines[instr]):
            bad.append("%s %s not linked to Dockerfile line %s: %s" % (
                rule, path, lines[instr], [(show(f), f.get("dockerfile")) for f in hit]))
elif cmd == "capped":  # REPORT: bounded findings, and some were dropped
    c = load(args[0]).get("checks", {})
    fs = c.get("findings", [])
    per_rule = {}
    for f in fs:
        per_rule[f["id"]] = per_rule.get(f["id"], 0) + 1
    if any(n > 256 for n in per_rule.values()):
        bad.append("more than 256 findings of one rule: %s" % per_rule)
    if not c.get("dropped", 0) > 0:
        bad.append("dropped is %s: %s" % (c.get("dropped"), per_rule))
    huge = [f for f in fs if where(f)[0] == "app/huge.log"]
    if not huge or len(huge) > 16:
        bad.append("%d findings in app/huge.log, expected 1 to 16" % len(huge))
    if per_rule.get("CUS-SEC-008", 0) < 100:
        bad.append("the 20,000 .env files gave only %s" % per_rule)
else:
    sys.exit("checks.py: unknown command " + cmd)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
chk() { "$PYTHON" checks.py "$@"; }

# leaks LIST FILE...: no value of LIST (planted secrets, one a line) appears in any FILE.
leaks() {
	list=$1
	shift
	if grep -F -n -f "$list" "$@" >leaks.txt; then
		echo "planted secrets in clear:" >&2
		cut -c 1-200 leaks.txt >&2
		return 1
	fi
	return 0
}

test_expect_success 'set up: the test image and a database built from the OSV records' '
	test -s fx/oci/index.json && test -s fx/docker.tar && test -s fx/planted-values.txt &&
	"$CUSTOMS" db build --output scan.db osv >out
'

# ---- what the image gives ----

test_expect_success 'OCI layout: every planted secret, setuid file, cache and config finding, at its path, line and layer' '
	scan -o json=oci.json "$OCI" &&
	chk run oci.json vuln config secret &&
	chk expect oci.json fx/expected.tsv fx/oci
'

test_expect_success 'docker-archive: the same findings' '
	scan -o json=arch.json "$ARCHIVE" &&
	chk expect arch.json fx/expected.tsv fx/oci &&
	chk same oci.json arch.json
'

test_expect_success 'the negative controls and the setuid file of the base image give no finding' '
	chk absent oci.json fx/absent.tsv && chk absent arch.json fx/absent.tsv
'

test_expect_success 'a key deleted by a later layer is still reported, in the layer that added it' '
	test "$(chk count oci.json CUS-SEC-002)" = 1 &&
	grep "id_ed25519" fx/expected.tsv >key.tsv && chk expect oci.json key.tsv fx/oci
'

# ---- redaction ----

test_expect_success 'no output of any format, nor stdout or stderr, holds a planted file, ENV or label secret' '
	mkdir -p all &&
	"$CUSTOMS" scan --db scan.db --dockerfile fx/Dockerfile -o table \
		-o json=all/r.json -o sarif=all/r.sarif -o gitlab=all/gl.json -o junit=all/r.xml \
		-o cyclonedx=all/cdx.json -o spdx=all/spdx.json -o markdown=all/r.md -o html=all/r.html \
		"$OCI" >all/stdout 2>all/stderr &&
	test_expect_code 1 "$CUSTOMS" scan --db scan.db --fail-on low -o json "$ARCHIVE" \
		>all/gate.stdout 2>all/gate.stderr &&
	"$CUSTOMS" sbom -o table -o json=all/sbom.json -o cyclonedx=all/sbom.cdx.json -o spdx=all/sbom.spdx.json \
		-o sarif=all/sbom.sarif -o gitlab=all/sbom.gl.json -o junit=all/sbom.xml -o markdown=all/sbom.md \
		-o html=all/sbom.html "$OCI" >all/sbom.stdout 2>all/sbom.stderr &&
	test -s all/r.json && test -s all/r.html && test -s all/stdout && test -s all/sbom.json &&
	chk expect all/r.json fx/expected.tsv fx/oci &&
	grep -v -x -F -f fx/planted-history.txt fx/planted-values.txt >planted-files.txt &&
	test -s planted-files.txt &&
	leaks planted-files.txt all/* oci.json arch.json
'

# BuildKit writes build arguments into the created_by of every RUN that sees them, so the history
# holds a secret ARG in clear, and CUS-CFG-004 reports it: the outputs must not repeat it.
test_expect_success 'a secret build argument in the history is in no output either' '
	leaks fx/planted-history.txt all/* oci.json arch.json
'

# GitLab container scanning leaves check findings out by design (docs/report-formats.md): it wants a
# dependency for each finding.
test_expect_success 'every report format but GitLab container scanning names the check findings' '
	for f in all/stdout all/r.sarif all/r.xml all/r.md all/r.html; do
		grep -q "CUS-SEC-002" "$f" && grep -q "CUS-CFG-009" "$f" || { echo "no check findings in $f" >&2; exit 1; }
	done
'

# ---- --checks ----

test_expect_success '--checks vuln runs no posture check' '
	scan --checks vuln -o json=vuln.json "$OCI" &&
	chk run vuln.json vuln && chk none vuln.json
'

test_expect_success '--checks secret gives only CUS-SEC findings and needs no database' '
	test_expect_code 3 "$CUSTOMS" scan -q --checks vuln,secret "$OCI" 2>err &&
	"$CUSTOMS" scan -q --checks secret -o json=sec.json "$OCI" &&
	chk run sec.json secret && chk only sec.json CUS-SEC- && chk no-vulns sec.json &&
	grep "^CUS-SEC" fx/expected.tsv >sec.tsv && chk expect sec.json sec.tsv fx/oci &&
	"$CUSTOMS" scan -q --checks config -o json=cfg.json "$ARCHIVE" &&
	chk only cfg.json CUS-CFG- &&
	grep "^CUS-CFG" fx/expected.tsv >cfg.tsv && chk expect cfg.json cfg.tsv fx/oci
'

test_expect_success 'an unknown or empty --checks kind is a usage error with one line' '
	test_expect_code 2 scan --checks vuln,bogus -o json=bad.json "$OCI" 2>err &&
	one_line_error err && grep -q bogus err && test ! -e bad.json &&
	test_expect_code 2 scan --checks "" "$OCI" 2>err && one_line_error err &&
	test_expect_code 2 scan --checks secret, "$OCI" 2>err && one_line_error err
'

# ---- the gate over check findings ----

test_expect_success '--fail-on high fails on a secret, naming it' '
	test_expect_code 1 "$CUSTOMS" scan -q --checks secret --fail-on high -o json=g.json "$OCI" 2>err &&
	grep -q "^customs: gate failed" err && grep -q "CUS-SEC-00" err &&
	"$CUSTOMS" scan -q --checks secret --fail-on critical --audit "$OCI" 2>err &&
	grep -q "would have failed" err
'

test_expect_success 'an ignore rule for CUS-SEC-003 and its path suppresses it, and the JSON says so' '
	high=$(chk severity g.json high) && test "$high" -ge 2 &&
	test_expect_code 1 "$CUSTOMS" scan -q --checks secret --fail-on-count high=$((high - 1)) "$OCI" 2>err &&
	cat >ig.json <<-\EOF &&
	{"ignore": [{"id": "CUS-SEC-003", "path": "/app/scripts/backup.sh", "reason": "a revoked test key"}]}
	EOF
	"$CUSTOMS" scan -q --checks secret --ignore-file ig.json --fail-on-count high=$((high - 1)) \
		-o json=ig.out.json "$OCI" &&
	chk suppressed ig.out.json CUS-SEC-003 app/scripts/backup.sh "a revoked test key" &&
	cat >ig2.json <<-\EOF &&
	{"ignore": [{"id": "CUS-SEC-003", "path": "/srv", "reason": "elsewhere"}]}
	EOF
	"$CUSTOMS" scan -q --checks secret --ignore-file ig2.json -o json=ig2.out.json "$OCI" &&
	test "$(chk count ig2.out.json CUS-SEC-003 suppressed)" = 0
'

test_expect_success '--audit exits 0 over failing check findings' '
	"$CUSTOMS" scan -q --checks secret,config --fail-on high --audit -o json=au.json "$OCI" 2>err &&
	grep -q "audit" err
'

# ---- --dockerfile ----

test_expect_success '--dockerfile: CUS-DKR findings at their lines, image findings linked to their instruction' '
	scan --dockerfile fx/Dockerfile -o json=df.json "$OCI" &&
	chk run df.json vuln config secret dockerfile &&
	chk dockerfile df.json fx/Dockerfile fx/expected-dockerfile.tsv fx/dockerfile-lines.tsv &&
	scan --checks dockerfile --dockerfile fx/Dockerfile -o json=dfo.json "$OCI" &&
	chk only dfo.json CUS-DKR-
'

test_expect_success 'a --dockerfile that does not exist is exit 2, naming it' '
	test_expect_code 2 scan --dockerfile fx/Nope.Dockerfile -o json=nd.json "$OCI" 2>err &&
	one_line_error err && grep -q "Nope.Dockerfile" err && test ! -e nd.json
'

# ---- hostile layers ----

if sh "$LIB/mk-checks-image.sh" --hostile hx >hx.log 2>&1; then
	test_expect_success 'a 100 MB file and 20,000 .env files: the scan finishes, with its findings capped' '
		timeout 60 "$CUSTOMS" scan -q --checks secret,config -o json=h.json -o table=h.txt \
			-o sarif=h.sarif oci:hx/oci:hostile &&
		chk capped h.json &&
		! grep -F -f hx/planted-values.txt h.json h.txt h.sarif
	'
else
	say_fail 'making the hostile image'
	sed 's/^/    /' hx.log | tail -n 20
fi

test_done
