#!/usr/bin/python3
# Regenerate rpm.tsv: pairs of RPM EVR strings ordered by rpm's own labelCompare.
#
# The reference is the rpm library itself through its Python binding
# (Debian package python3-rpm; run with the system /usr/bin/python3).
# Versions: the fixed versions of the AlmaLinux OSV advisories in
# ../shared/data/osv (when present), Debian versions from the apt package
# lists recast as RPM EVRs with typical distribution releases (".el9_2",
# ".fc39", ...), and handcrafted edge cases around '~', '^', epochs and
# separators. The seed is fixed, so a rerun on the same inputs gives the
# same file.
#
# usage: tests/vectors/gen-rpm.py > tests/vectors/rpm.tsv

import glob
import json
import os
import random
import subprocess
import sys

import rpm

EDGE = [
    "0", "00", "0:0", ":1.0", "1", "1.0", "1.0-0", "1.0-1", "1.0-1.el9", "1.0-1.el9_2", "1.0-1.el9_10",
    "1.0-1.fc39", "1.0-1.fc40", "1.0-1.module+el8.5.0+1234+abcd", "1.0-1.module_el8.5.0+1234+abcd",
    "1.0~", "1.0~~", "1.0~~a", "1.0~a", "1.0~rc1", "1.0~rc1-1", "1.0~rc1^post", "1.0^", "1.0^^",
    "1.0^a", "1.0^1", "1.0^git20230101.abcdef", "1.0^20230101", "1.0.^", "1.0^.", "1.0a^",
    "1.0.", "1.0..", "1.0_1", "1.0+1", "1.0a", "1.0A", "1.0.a", "1.0.1", "1.01", "1.001", "1.10",
    "1.0-a", "1.0-A", "1.0-~", "1.0-^", "1.0-_", "1.0-.", "1:1.0", "2:1.0", "10:1.0", "01:1.0",
    "1:1.0-1", "1:2:3", "a:1", "1.0-1-1", "1-2-3-4", "1.0é", "1.0.é", "é", "1.0-1é",
    "1.00000000000000000000000000000001", "1.99999999999999999999999999999999",
    "1.100000000000000000000000000000000", "9", "9a", "9+", "9.", "9~", "9^", "9a~", "9ab",
    "9aB", "9Ab", "a", "b", "Z", "abc", "1a2b3c", "1.a.2", "1.2.3", "1.2.3.4",
    "2.17-326.el7_9", "2.28-225.el8_8.6", "2.34-60.el9_2.7", "1.1.1k-9.el8_7", "3.0.7-16.el9_2",
]

RELEASE_SUFFIXES = ["", ".el7", ".el8", ".el8_6", ".el9", ".el9_2", ".el9_10", ".fc38", ".fc39",
                    ".fc40", ".alma", ".alma.1", ".rocky", ".1.el9", "~bootstrap", "^post1"]


def split_evr(s):
    """Split the way rpm does: leading digits then ':' are the epoch, the release follows the last '-'."""
    i = 0
    while i < len(s) and s[i].isascii() and s[i].isdigit():
        i += 1
    hyphen = s.rfind("-", i)
    if i < len(s) and s[i] == ":":
        epoch, rest = (s[:i] or "0"), s[i + 1:]
        hyphen -= i + 1
    else:
        epoch, rest = None, s
    if hyphen >= 0:
        return epoch, rest[:hyphen], rest[hyphen + 1:]
    return epoch, rest, None


def valid(s):
    if not s or any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7f for c in s):
        return False
    _, v, r = split_evr(s)
    return bool(v) and r != ""


def osv_versions():
    found = set()
    here = os.path.dirname(os.path.abspath(__file__))
    for path in glob.glob(os.path.join(here, "..", "..", "..", "shared", "data", "osv", "AlmaLinux", "*.json")):
        with open(path) as f:
            doc = json.load(f)
        for affected in doc.get("affected", []):
            for rng in affected.get("ranges", []):
                for event in rng.get("events", []):
                    for key in ("introduced", "fixed", "last_affected"):
                        if key in event and event[key] != "0":
                            found.add(event[key])
    return found


def debian_versions():
    out = subprocess.run(["apt-cache", "dumpavail"], capture_output=True, text=True, check=True).stdout
    return sorted({line.split(None, 1)[1].strip() for line in out.splitlines() if line.startswith("Version:")})


def as_rpm(deb, rng):
    """A Debian version recast the way a spec file would spell it."""
    epoch, _, rest = deb.rpartition(":") if ":" in deb else ("", "", deb)
    upstream, _, revision = rest.rpartition("-") if "-" in rest else (rest, "", "")
    upstream = upstream.replace("-", "_")
    release = (revision or "1").replace("+", ".") + rng.choice(RELEASE_SUFFIXES)
    evr = f"{upstream}-{release}"
    return f"{epoch}:{evr}" if epoch else evr


def main():
    rng = random.Random(20261128)
    debs = debian_versions()
    sample = rng.sample(debs, min(len(debs), 1500))
    pool = set(osv_versions()) | set(EDGE)
    pool.update(as_rpm(d, rng) for d in sample)
    pool.update(rng.sample(debs, min(len(debs), 1000)))
    pool = sorted(v for v in pool if valid(v))
    pairs = set()
    for i, v in enumerate(pool):
        if i + 1 < len(pool):
            pairs.add((v, pool[i + 1]))
        pairs.add((v, rng.choice(pool)))
        # The same version with another release or another epoch.
        e, ver, r = split_evr(v)
        pairs.add((v, f"{ver}-{rng.choice(['1', '0', '2.el9', (r or '1') + '.1', (r or '1') + '~1', (r or '1') + '^1'])}"))
        pairs.add((v, f"{rng.choice(['0', '1'])}:{ver}" + (f"-{r}" if r is not None else "")))
    for v in EDGE:
        for w in rng.sample(EDGE, 10):
            pairs.add((v, w))
        pairs.add((v, v))
    for a, b in rng.sample(sorted(pairs), 500):
        pairs.add((b, a))
    for a, b in sorted(pairs):
        if not (valid(a) and valid(b)):
            continue
        rc = rpm.labelCompare(split_evr(a), split_evr(b))
        sys.stdout.write(f"{a}\t{b}\t{(rc > 0) - (rc < 0)}\n")


main()
