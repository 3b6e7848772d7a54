#!/usr/bin/env python3
"""Generate N realistic OSV records, the same bytes for the same arguments, for `make bench`.

Usage: gen-osv.py N [--zip FILE] [--dir FOLDER] [--names FILE] [--seed S] [--image-sbom JSON]

Records spread over npm, PyPI, Go, Maven, Debian:12 and Alpine:v3.19, with
aliases, CVSS vectors, summaries, details, references and SEMVER or ECOSYSTEM
ranges; about one in fifty is withdrawn. --zip writes them as an OSV all.zip
(one ID.json per entry), --dir as one file per record, --names lists
"ECOSYSTEM<TAB>NAME" of every affected package.

--image-sbom takes an image's `customs sbom -o json` and adds, after the N
records, Debian:12 advisories against the image's own source packages: for
most of them a few records whose ranges fall on either side of the installed
source version (affected and fixed later, already fixed, unfixed, fixed by
last_affected, introduced later, reintroduced, an explicit versions list), so
that a scan of the image really compares versions. N may be 0.
--image-expected lists the IDs of those that affect the installed versions.
"""
import argparse
import json
import os
import random
import sys
import zipfile

ECOSYSTEMS = [
    # (name, id prefix, share, range type)
    ("npm", "GHSA", 30, "SEMVER"),
    ("PyPI", "PYSEC", 20, "ECOSYSTEM"),
    ("Go", "GO", 10, "SEMVER"),
    ("Maven", "GHSA", 15, "ECOSYSTEM"),
    ("Debian:12", "DEBIAN-CVE", 15, "ECOSYSTEM"),
    ("Alpine:v3.19", "ALPINE-CVE", 10, "ECOSYSTEM"),
]
SYLLABLES = ["lo", "da", "sh", "ex", "pre", "ss", "ja", "son", "yam", "ml", "req", "uest", "ax", "ios",
             "core", "util", "net", "http", "xml", "parse", "log", "crypt", "zip", "tar", "img", "io"]
WORDS = ("prototype pollution denial of service regular expression remote code execution cross site "
         "scripting path traversal improper input validation buffer overflow use after free "
         "integer overflow in the parser allows attackers to crash or take over the process via "
         "crafted headers cookies archives templates").split()
VECTORS = ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N",
           "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"]
LEVELS = ["LOW", "MODERATE", "HIGH", "CRITICAL"]


def package_names(rng, eco, count):
    names = set()
    while len(names) < count:
        base = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if eco == "Go":
            base = "github.com/%s/%s" % ("".join(rng.choice(SYLLABLES) for _ in range(2)), base)
        elif eco == "Maven":
            base = "org.%s:%s" % (rng.choice(SYLLABLES) + rng.choice(SYLLABLES), base)
        elif eco == "npm" and rng.random() < 0.2:
            base = "@%s/%s" % (rng.choice(SYLLABLES) + rng.choice(SYLLABLES), base)
        names.add(base)
    return sorted(names)


def version(rng, eco):
    major, minor, patch = rng.randint(0, 9), rng.randint(0, 30), rng.randint(0, 40)
    if eco == "Debian:12":
        return "%d.%d.%d-%d+deb12u%d" % (major, minor, patch, rng.randint(1, 5), rng.randint(1, 3))
    if eco == "Alpine:v3.19":
        return "%d.%d.%d-r%d" % (major, minor, patch, rng.randint(0, 9))
    if eco == "Go":
        return "%d.%d.%d" % (major, minor, patch)
    return "%d.%d.%d" % (major, minor, patch)


def sentence(rng, words):
    return " ".join(rng.choice(WORDS) for _ in range(words))


def record(rng, n, eco, prefix, rtype, names):
    year = 2015 + n % 11
    cve = "CVE-%d-%d" % (year, 10000 + n)
    if prefix == "GHSA":
        vid = "GHSA-%04x-%04x-%04x" % (n >> 16, n & 0xffff, (n * 13) & 0xffff)
    elif prefix in ("DEBIAN-CVE", "ALPINE-CVE"):
        vid = "%s-%d-%d" % (prefix, year, 10000 + n)
    else:
        vid = "%s-%d-%d" % (prefix, year, n)
    rec = {
        "schema_version": "1.6.0",
        "id": vid,
        "modified": "2024-%02d-%02dT%02d:00:00Z" % (1 + n % 12, 1 + n % 28, n % 24),
        "published": "%d-%02d-%02dT00:00:00Z" % (year, 1 + n % 12, 1 + n % 28),
        "aliases": [cve] if not vid.startswith(("DEBIAN", "ALPINE")) else [],
        "upstream": [cve] if vid.startswith(("DEBIAN", "ALPINE")) else [],
        "summary": sentence(rng, rng.randint(4, 10)),
        "details": sentence(rng, rng.randint(20, 80)),
        "severity": [{"type": "CVSS_V3", "score": rng.choice(VECTORS)}],
        "affected": [],
        "references": [{"type": "ADVISORY", "url": "https://example.invalid/advisories/%s" % vid},
                       {"type": "WEB", "url": "https://example.invalid/issues/%d" % n}],
        "database_specific": {"severity": rng.choice(LEVELS), "cwe_ids": ["CWE-%d" % rng.randint(20, 900)]},
    }
    if n % 50 == 7:
        rec["withdrawn"] = rec["modified"]
    for _ in range(1 if rng.random() < 0.85 else 2):
        name = names[min(int(rng.paretovariate(1.2)) - 1, len(names) - 1) if rng.random() < 0.5
                     else rng.randrange(len(names))]
        fixed = version(rng, eco)
        events = [{"introduced": "0" if rng.random() < 0.6 else version(rng, eco)}, {"fixed": fixed}]
        if rng.random() < 0.1:
            events = [{"introduced": "0"}, {"last_affected": fixed}]
        aff = {"package": {"ecosystem": eco, "name": name,
                           "purl": "pkg:%s/%s" % (eco.split(":")[0].lower(), name)},
               "ranges": [{"type": rtype, "events": events}],
               "database_specific": {"source": "https://example.invalid/%s.json" % vid}}
        if rng.random() < 0.05:
            aff["versions"] = [version(rng, eco) for _ in range(rng.randint(1, 6))]
        rec["affected"].append(aff)
    return rec


def ecosystem_range(*events):
    return [{"type": "ECOSYSTEM", "events": list(events)}]


# Where an image advisory's range falls against the installed version V, and whether V is affected.
# "V+deb12u90" sorts after V, and "V~1" before "V~2" before V, in dpkg's order whatever V is.
IMAGE_CASES = [
    ("fixed later", True, lambda v: ecosystem_range({"introduced": "0"}, {"fixed": v + "+deb12u90"})),
    ("fixed before", False, lambda v: ecosystem_range({"introduced": "0"}, {"fixed": v + "~1"})),
    ("fixed at", False, lambda v: ecosystem_range({"introduced": "0"}, {"fixed": v})),
    ("unfixed", True, lambda v: ecosystem_range({"introduced": "0"})),
    ("last affected", True, lambda v: ecosystem_range({"introduced": "0"}, {"last_affected": v})),
    ("last affected before", False,
     lambda v: ecosystem_range({"introduced": "0"}, {"last_affected": v + "~1"})),
    ("introduced later", False,
     lambda v: ecosystem_range({"introduced": v + "+deb12u90"}, {"fixed": v + "+deb12u91"})),
    ("reintroduced", True,
     lambda v: ecosystem_range({"introduced": "0"}, {"fixed": v + "~1"}, {"introduced": v + "~2"},
                               {"fixed": v + "+deb12u90"})),
]


def image_records(sbom_path, seed, expected):
    """Debian:12 advisories for the source packages of an image's `customs sbom -o json`.

    The IDs of those that affect the installed version are added to the set expected."""
    with open(sbom_path) as f:
        sbom = json.load(f)
    sources = sorted({(p.get("source_name") or p["name"], p.get("source_version") or p["version"])
                      for p in sbom.get("packages", []) if p.get("type") == "deb"})
    n = 0
    for name, installed in sources:
        rng = random.Random("%d/%s" % (seed, name))
        if rng.random() < 0.3:
            continue
        for _ in range(rng.randint(1, 6)):
            case, affected, ranges = rng.choice(IMAGE_CASES)
            year = 2016 + n % 10
            vid = "DEBIAN-CVE-%d-%d" % (year, 900000 + n)
            rec = {
                "schema_version": "1.6.0",
                "id": vid,
                "modified": "2024-%02d-%02dT00:00:00Z" % (1 + n % 12, 1 + n % 28),
                "published": "%d-%02d-%02dT00:00:00Z" % (year, 1 + n % 12, 1 + n % 28),
                "upstream": ["CVE-%d-%d" % (year, 900000 + n)],
                "summary": "%s: %s (%s)" % (name, sentence(rng, rng.randint(4, 10)), case),
                "details": sentence(rng, rng.randint(20, 80)),
                "affected": [{"package": {"ecosystem": "Debian:12", "name": name,
                                          "purl": "pkg:deb/debian/%s?arch=source" % name},
                              "ranges": ranges(installed)}],
                "references": [{"type": "ADVISORY", "url": "https://example.invalid/tracker/%s" % vid}],
            }
            if rng.random() < 0.5:
                rec["severity"] = [{"type": "CVSS_V3", "score": rng.choice(VECTORS)}]
            if rng.random() < 0.5:
                urgency = rng.choice(["low", "medium", "high", "not yet assigned"])
                rec["affected"][0]["ecosystem_specific"] = {"severity": urgency}
            if rng.random() < 0.1:
                # A listed version is affected whatever the ranges say.
                listed = rng.random() < 0.5
                rec["affected"][0]["versions"] = [installed if listed else installed + "~1"]
                affected = affected or listed
            if affected:
                expected.add(vid)
            n += 1
            yield rec


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("count", type=int)
    ap.add_argument("--zip")
    ap.add_argument("--dir")
    ap.add_argument("--names")
    ap.add_argument("--seed", type=int, default=20240101)
    ap.add_argument("--image-sbom")
    ap.add_argument("--image-expected", help="write the IDs of the image advisories that affect it")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    total = sum(e[2] for e in ECOSYSTEMS)
    pools = {e[0]: package_names(rng, e[0], max(50, args.count * e[2] // total // 8)) for e in ECOSYSTEMS}
    weighted = [e for e in ECOSYSTEMS for _ in range(e[2])]
    zf = zipfile.ZipFile(args.zip, "w", zipfile.ZIP_DEFLATED, compresslevel=1) if args.zip else None
    if args.dir:
        os.makedirs(args.dir, exist_ok=True)
    seen = set()
    json_bytes = 0
    expected = set()

    def records():
        for n in range(args.count):
            eco, prefix, _, rtype = weighted[n % len(weighted)]
            yield record(rng, n, eco, prefix, rtype, pools[eco])
        if args.image_sbom:
            yield from image_records(args.image_sbom, args.seed, expected)

    count = 0
    for rec in records():
        count += 1
        data = json.dumps(rec, indent=2).encode() + b"\n"
        json_bytes += len(data)
        name = rec["id"] + ".json"
        if zf:
            zi = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(zi, data, compresslevel=1)
        if args.dir:
            with open(os.path.join(args.dir, name), "wb") as f:
                f.write(data)
        for aff in rec["affected"]:
            seen.add((aff["package"]["ecosystem"], aff["package"]["name"]))
    if zf:
        zf.close()
    if args.names:
        with open(args.names, "w") as f:
            for eco, name in sorted(seen):
                f.write("%s\t%s\n" % (eco, name))
    if args.image_expected:
        with open(args.image_expected, "w") as f:
            f.write("".join("%s\n" % vid for vid in sorted(expected)))
    print("%d records, %d bytes of json" % (count, json_bytes), file=sys.stderr)


if __name__ == "__main__":
    main()
