#!/usr/bin/env python3
# The findings a scanner must give for a root filesystem, decided independently of customs: an oracle for tests/cli/t5100.
#
# Usage: expect-findings.py --root DIR [--osv PATH]... [--tracker FILE]... [--secdb FILE]...
#                           [--apk-ref BINARY]... [--node-path DIR]
#
# Without --node-path (the node_modules folder holding semver), npm packages are left out.
# Prints one line per finding, sorted: TYPE<TAB>NAME<TAB>VERSION<TAB>ID<TAB>FIXED, TYPE being
# deb, apk or npm, ID the display ID (the smallest CVE among the merged IDs, else the smallest ID)
# and FIXED the first fixing version or "-". Nothing here shares code with customs:
#   - the inventory comes from dpkg-query --admindir (installed packages, with their source
#     package and source version), apk's installed file (origin and version) and the
#     package.json files found under node_modules folders;
#   - versions are ordered by the reference tools: `dpkg --compare-versions` for Debian, the
#     --apk-ref programs for Alpine (each reads "A<TAB>B" lines and prints -1, 0, 1 or X; all
#     must agree, as in tests/vectors/gen-apk.py) and node's semver package (found in
#     --node-path) for npm;
#   - the advisory rules are OSV's: a version is affected when it is listed, or lies in a range
#     from an "introduced" event up to the next "fixed" (excluded) or "last_affected"
#     (included) event; withdrawn records never count. A Debian tracker entry of a release is
#     a range from 0 to its fixed_version, or open-ended when the release's status is not
#     "resolved"; a fixed_version of "0" means not affected. An Alpine secdb entry is a range
#     from 0 to its secfixes version; "0" means not affected.
#   - IDs that share an alias on one package are merged; the fixed version reported is the
#     smallest of the ranges that hold the installed version. An OSV record's "upstream" ID
#     counts as an alias when it is the record's only one (docs/vulndb-format.md).
# Messages about what the oracle could not decide go to standard error: a range bound the
# reference rejects (an advisory's "1.0" is no SemVer) is reported only when it could change
# whether the package is affected or which fix is reported.

import argparse
import glob
import json
import os
import re
import shlex
import subprocess
import sys

TRACKER_RELEASES = {"buster": "10", "bullseye": "11", "bookworm": "12", "trixie": "13"}


def warn(msg):
    print("expect-findings: " + msg, file=sys.stderr)


# --- Inventory -------------------------------------------------------------------------------

def os_release(root):
    for rel in ("etc/os-release", "usr/lib/os-release"):
        path = os.path.join(root, rel)
        if os.path.isfile(path) and not os.path.islink(path):
            info = {}
            with open(path, encoding="utf-8", errors="replace") as f:
                for line in f:
                    key, sep, value = line.strip().partition("=")
                    if sep:
                        info[key] = shlex.split(value)[0] if value else ""
            return info
    return {}


def deb_packages(root):
    admin = os.path.join(root, "var", "lib", "dpkg")
    if not os.path.isfile(os.path.join(admin, "status")):
        return []
    out = subprocess.run(
        ["dpkg-query", "--admindir=" + admin, "-W",
         "-f=${Package}\\t${Version}\\t${source:Package}\\t${source:Version}\\t${db:Status-Abbrev}\\n"],
        capture_output=True, text=True, check=True).stdout
    pkgs = []
    for line in out.splitlines():
        name, version, src, srcver, status = line.split("\t")
        if len(status) >= 2 and status[1] == "i":
            pkgs.append({"type": "deb", "name": name, "version": version, "key": src, "keyver": srcver})
    return pkgs


def apk_packages(root):
    path = os.path.join(root, "lib", "apk", "db", "installed")
    if not os.path.isfile(path):
        return []
    pkgs, cur = [], {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in list(f) + [""]:
            line = line.rstrip("\n")
            if not line:
                if "P" in cur and "V" in cur:
                    pkgs.append({"type": "apk", "name": cur["P"], "version": cur["V"],
                                 "key": cur.get("o", cur["P"]), "keyver": cur["V"]})
                cur = {}
            elif len(line) > 2 and line[1] == ":":
                cur.setdefault(line[0], line[2:])
    return pkgs


def npm_packages(root):
    pkgs = []
    pattern = re.compile(r"(^|/)node_modules/(@[^/]+/)?[^/]+/package\.json$")
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        if "package.json" not in filenames:
            continue
        rel = os.path.relpath(os.path.join(dirpath, "package.json"), root)
        if not pattern.search(rel):
            continue
        try:
            with open(os.path.join(dirpath, "package.json"), encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError):
            warn("unreadable %s" % rel)
            continue
        if isinstance(doc.get("name"), str) and isinstance(doc.get("version"), str):
            pkgs.append({"type": "npm", "name": doc["name"], "version": doc["version"],
                         "key": doc["name"], "keyver": doc["version"]})
    return pkgs


def ecosystem_of(pkg, osinfo):
    if pkg["type"] == "npm":
        return "npm"
    version_id = osinfo.get("VERSION_ID", "")
    if pkg["type"] == "deb" and osinfo.get("ID") == "debian" and version_id:
        return "Debian:" + version_id.split(".")[0]
    if pkg["type"] == "deb" and osinfo.get("ID") == "ubuntu" and version_id:
        return "Ubuntu:" + version_id + (":LTS" if "LTS" in osinfo.get("VERSION", "") else "")
    if pkg["type"] == "apk" and osinfo.get("ID") == "alpine" and version_id:
        return "Alpine:v" + ".".join(version_id.split(".")[:2])
    return None


# --- Advisories: (ecosystem, name) -> list of {ids, versions, intervals} ------------------------

def add_advisory(db, ecosystem, name, ids, intervals, versions=()):
    db.setdefault((ecosystem, name), []).append(
        {"ids": set(ids), "intervals": intervals, "versions": set(versions)})


def intervals_of(events):
    """[(introduced, end, end_inclusive)] in list order; end None = open-ended."""
    out, start = [], None
    for ev in events:
        if "introduced" in ev:
            if start is not None:
                out.append((start, None, False))
            start = ev["introduced"]
        elif "fixed" in ev and start is not None:
            out.append((start, ev["fixed"], False))
            start = None
        elif "last_affected" in ev and start is not None:
            out.append((start, ev["last_affected"], True))
            start = None
    if start is not None:
        out.append((start, None, False))
    return out


def load_osv(db, path):
    files = [path] if os.path.isfile(path) else sorted(glob.glob(os.path.join(path, "**", "*.json"), recursive=True))
    for f in files:
        try:
            with open(f, encoding="utf-8") as fh:
                rec = json.load(fh)
        except (OSError, ValueError):
            continue
        if not isinstance(rec, dict) or "id" not in rec or rec.get("withdrawn"):
            continue
        # "upstream" names the same vulnerability only when it holds exactly one ID (UBUNTU-CVE-X
        # is CVE-X); a notice with several (a USN fixing many CVEs) is none of them, so its
        # upstream IDs must not merge distinct CVEs. "related" never merges.
        upstream = [u for u in rec.get("upstream") or [] if u]
        ids = [rec["id"]] + list(rec.get("aliases") or []) + (upstream if len(upstream) == 1 else [])
        # A record may name one package in several "affected" entries: one advisory of them all.
        per_package = {}
        for aff in rec.get("affected") or []:
            pkg = aff.get("package") or {}
            if "ecosystem" not in pkg or "name" not in pkg:
                continue
            intervals, versions = per_package.setdefault((pkg["ecosystem"], pkg["name"]), ([], []))
            for rng in aff.get("ranges") or []:
                if rng.get("type") in ("ECOSYSTEM", "SEMVER"):
                    intervals += intervals_of(rng.get("events") or [])
            versions += aff.get("versions") or []
        for (eco, name), (intervals, versions) in per_package.items():
            add_advisory(db, eco, name, ids, intervals, versions)


def load_tracker(db, path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    for pkg, cves in doc.items():
        for cve, entry in cves.items():
            releases = entry.get("releases") if isinstance(entry, dict) else None
            if not isinstance(releases, dict):
                continue
            for codename, rel in releases.items():
                if codename not in TRACKER_RELEASES:
                    continue
                eco = "Debian:" + TRACKER_RELEASES[codename]
                if rel.get("status") == "resolved":
                    fixed = rel.get("fixed_version")
                    if fixed == "0" or not fixed:
                        continue
                    add_advisory(db, eco, pkg, [cve], [("0", fixed, False)])
                else:
                    add_advisory(db, eco, pkg, [cve], [("0", None, False)])


def load_secdb(db, path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    eco = "Alpine:" + doc["distroversion"]
    for p in doc.get("packages") or []:
        pkg = p["pkg"]
        for fixed, idlist in (pkg.get("secfixes") or {}).items():
            if fixed == "0":
                continue
            for item in idlist:
                for cve in item.split():
                    add_advisory(db, eco, pkg["name"], [cve], [("0", fixed, False)])


# --- Reference comparators, batched ----------------------------------------------------------

class Comparators:
    def __init__(self, apk_refs, node_path):
        self.apk_refs = apk_refs
        self.node_path = node_path
        self.cache = {}

    def prefetch(self, scheme, pairs):
        todo = sorted({p for p in pairs if (scheme,) + p not in self.cache})
        if not todo:
            return
        if scheme == "deb":
            results = self.deb(todo)
        elif scheme == "apk":
            results = self.apk(todo)
        else:
            results = self.npm(todo)
        for p, r in zip(todo, results):
            self.cache[(scheme,) + p] = r

    def cmp(self, scheme, a, b):
        """-1, 0, 1, or None when the reference cannot order them."""
        if a == "0" and scheme != "deb":
            return 0 if b == "0" else -1  # OSV's "0": before every version
        return self.cache[(scheme, a, b)]

    def deb(self, pairs):
        # One shell for all pairs; dpkg itself is the reference.
        script = "".join(
            "if dpkg --compare-versions %s lt %s 2>/dev/null; then echo -1; "
            "elif dpkg --compare-versions %s eq %s 2>/dev/null; then echo 0; "
            "elif dpkg --compare-versions %s gt %s 2>/dev/null; then echo 1; else echo X; fi\n"
            % ((shlex.quote(a), shlex.quote(b)) * 3) for a, b in pairs)
        out = subprocess.run(["sh"], input=script, capture_output=True, text=True, check=True).stdout.split()
        return [None if r == "X" else int(r) for r in out]

    def apk(self, pairs):
        if not self.apk_refs:
            sys.exit("expect-findings: Alpine packages need at least one --apk-ref")
        data = "".join("%s\t%s\n" % p for p in pairs)
        verdicts = [subprocess.run([ref], input=data, capture_output=True, text=True, check=True).stdout.split()
                    for ref in self.apk_refs]
        out = []
        for i, p in enumerate(pairs):
            vs = {v[i] for v in verdicts}
            if len(vs) != 1 or "X" in vs:
                warn("apk references disagree or fail on %s vs %s: %s" % (p[0], p[1], sorted(vs)))
                out.append(None)
            else:
                out.append(int(vs.pop()))
        return out

    def npm(self, pairs):
        js = """
const semver = require('semver');
const pairs = JSON.parse(require('fs').readFileSync(0, 'utf8'));
console.log(JSON.stringify(pairs.map(([a, b]) => {
	if (semver.valid(a) === null || semver.valid(b) === null) return null;
	return semver.compare(a, b);
})));
"""
        env = dict(os.environ, NODE_PATH=self.node_path or "")
        out = subprocess.run(["node", "-e", js], input=json.dumps(pairs), capture_output=True, text=True,
                             env=env, check=True).stdout
        return json.loads(out)


SCHEME = {"deb": "deb", "apk": "apk", "npm": "npm"}


def in_interval(cmp, scheme, v, iv):
    start, end, inclusive = iv
    c = cmp(scheme, start, v)
    if c is None:
        return None
    if c > 0:
        return False
    if end is None:
        return True
    c = cmp(scheme, v, end)
    if c is None:
        return None
    return c <= 0 if inclusive else c < 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--osv", action="append", default=[])
    ap.add_argument("--tracker", action="append", default=[])
    ap.add_argument("--secdb", action="append", default=[])
    ap.add_argument("--apk-ref", action="append", default=[])
    ap.add_argument("--node-path")
    args = ap.parse_args()

    db = {}
    for p in args.osv:
        load_osv(db, p)
    for p in args.tracker:
        load_tracker(db, p)
    for p in args.secdb:
        load_secdb(db, p)

    osinfo = os_release(args.root)
    pkgs = deb_packages(args.root) + apk_packages(args.root)
    if args.node_path:
        pkgs += npm_packages(args.root)
    cmps = Comparators(args.apk_ref, args.node_path)

    # Pass 1: every (installed, bound) pair the ranges need, per scheme.
    work = []
    for pkg in pkgs:
        eco = ecosystem_of(pkg, osinfo)
        advisories = db.get((eco, pkg["key"]), []) if eco else []
        if advisories:
            work.append((pkg, advisories))
    pairs = {}
    for pkg, advisories in work:
        v = pkg["keyver"]
        for adv in advisories:
            for start, end, _ in adv["intervals"]:
                if start != "0" or pkg["type"] == "deb":
                    pairs.setdefault(pkg["type"], set()).add((start, v))
                if end is not None:
                    pairs.setdefault(pkg["type"], set()).add((v, end))
    for scheme, ps in pairs.items():
        cmps.prefetch(scheme, ps)

    # Pass 2: what holds the installed version, and the fixes to order.
    hits = []
    fixes = {}
    for pkg, advisories in work:
        v, scheme = pkg["keyver"], pkg["type"]
        for adv in advisories:
            fixed_candidates, undecided, hit = [], [], v in adv["versions"]
            for iv in adv["intervals"]:
                r = in_interval(cmps.cmp, scheme, v, iv)
                if r is None:
                    undecided.append(iv)
                elif r:
                    hit = True
                    fixed_candidates.append(iv[1] if not iv[2] else None)
            if hit:
                hits.append((pkg, adv["ids"], fixed_candidates, undecided))
                fs = [f for f in fixed_candidates + [iv[1] for iv in undecided] if f]
                fixes.setdefault(scheme, set()).update((a, b) for a in fs for b in fs if a != b)
            elif undecided:
                warn("cannot order %s %s against the ranges %s of %s" % (pkg["key"], v, undecided, sorted(adv["ids"])))
    for scheme, ps in fixes.items():
        cmps.prefetch(scheme, ps)

    def smallest(scheme, versions):
        best = None
        for f in versions:
            if f is None:
                continue
            if best is None or cmps.cmp(scheme, f, best) == -1:
                best = f
        return best

    # Merge per installed package: IDs that share one merge, as one finding.
    lines = []
    by_pkg = {}
    for pkg, ids, fixed_candidates, undecided in hits:
        by_pkg.setdefault(id(pkg), (pkg, []))[1].append((set(ids), fixed_candidates))
        # A range the reference cannot order matters only if it could change the fix reported:
        # a hit in another range already decides that the version is affected.
        best = smallest(pkg["type"], fixed_candidates)
        for iv in undecided:
            if iv[1] is None or iv[2] or best is None or cmps.cmp(pkg["type"], iv[1], best) != 1:
                warn("%s %s: the range %s of %s cannot be ordered and may change the fix"
                     % (pkg["key"], pkg["keyver"], iv, sorted(ids)))
    for pkg, groups in by_pkg.values():
        merged = []
        for ids, fc in groups:
            ids, fc = set(ids), list(fc)
            keep = []
            for mids, mfc in merged:
                if mids & ids:
                    ids |= mids
                    fc += mfc
                else:
                    keep.append((mids, mfc))
            merged = keep + [(ids, fc)]
        for ids, fc in merged:
            cves = sorted(i for i in ids if i.startswith("CVE-"))
            display = cves[0] if cves else sorted(ids)[0]
            fixed = smallest(pkg["type"], fc) if all(f is not None for f in fc) else None
            if fixed is None and any(f is not None for f in fc):
                warn("%s %s %s: one range has a fix and another has none" % (pkg["name"], pkg["version"], display))
            lines.append("\t".join([pkg["type"], pkg["name"], pkg["version"], display, fixed or "-"]))
    for line in sorted(lines):
        print(line)


if __name__ == "__main__":
    main()
