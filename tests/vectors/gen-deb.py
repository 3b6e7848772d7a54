#!/usr/bin/python3
# Regenerate deb.tsv: pairs of Debian versions ordered by `dpkg --compare-versions`.
#
# Versions come from the apt package lists of the machine running this
# (`apt-cache dumpavail`) and from the installed packages (`dpkg-query -W`),
# plus handcrafted edge cases. Each version is paired with its neighbours in
# byte order (which share long prefixes) and with random others; the seed is
# fixed, so a rerun on the same apt lists gives the same file.
#
# usage: tests/vectors/gen-deb.py > tests/vectors/deb.tsv

import os
import random
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

EDGE = [
    "0", "00", "0:0", "1", "1.0", "1.0-0", "1.0-00", "1.0-1", "1.0-1~", "1.0~", "1.0~~", "1.0~~a",
    "1.0~a", "1.0~rc1", "1.0~rc1-1", "1.0+b1", "1.0+", "1.0.", "1.0a", "1.0A", "1.0-a", "1.0-A",
    "1.0-+", "1.0-.", "1.0-~", "1.0:1", "1:1.0", "2:1.0", "10:1.0", "01:1.0", "1:1.0-1",
    "2147483647:1", "1.0-1-1", "1.0-1-2", "1-2-3-4", "1:2:3", "1:2:3-4",
    "1.000001", "1.1", "1.01", "1.001", "1.10", "1.9", "1.00000000000000000000000000000001",
    "1.99999999999999999999999999999999", "1.100000000000000000000000000000000",
    "9", "9a", "9+", "9.", "9~", "9-", "9a~", "9ab", "9aB", "9Ab", "9.a", "9.+", "9+a", "9++",
    "1.2.3", "1.2.3.4", "1.2.3a", "1.2.3+dfsg", "1.2.3+dfsg-1", "1.2.3+dfsg1-1~bpo12+1",
    "1.2.3-1ubuntu1", "1.2.3-1ubuntu0.1", "1.2.3-1build1", "1.2.3-1+deb12u1", "1.2.3-1+b2",
]


def read_versions():
    out = subprocess.run(["apt-cache", "dumpavail"], capture_output=True, text=True, check=True).stdout
    versions = {line.split(None, 1)[1].strip() for line in out.splitlines() if line.startswith("Version:")}
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Version}\n"], capture_output=True, text=True,
                         check=True).stdout
    versions.update(v.strip() for v in out.splitlines() if v.strip())
    return versions


def dpkg_true(a, op, b):
    r = subprocess.run(["dpkg", "--compare-versions", a, op, b], capture_output=True, text=True)
    if r.stderr:
        raise ValueError(r.stderr.strip())
    return r.returncode == 0


def reference(pair):
    a, b = pair
    try:
        if dpkg_true(a, "lt", b):
            return -1
        return 0 if dpkg_true(a, "eq", b) else 1
    except ValueError:
        # dpkg warned about the syntax: not a version this test speaks for.
        return None


def mutate(v, rng):
    kind = rng.randrange(5)
    if kind == 0:
        return v if ":" in v else "0:" + v
    if kind == 1:
        # A leading zero in front of one number does not change the value.
        digits = [i for i, c in enumerate(v) if c.isdigit() and (i == 0 or not v[i - 1].isdigit())]
        i = rng.choice(digits)
        return v[:i] + "0" + v[i:] if ":" not in v[:i + 1] or i > v.index(":") else v
    if kind == 2:
        return v + "-0" if "-" not in v else v
    return v + rng.choice(["~", "~rc1", "+b1", ".0", "a", "-1" if "-" not in v else ".1"])


def main():
    rng = random.Random(20261128)
    real = sorted(read_versions())
    # A sample keeps the file well under a megabyte while covering every shape.
    sample = sorted(rng.sample(real, min(len(real), 3500)))
    pool = sorted(set(sample) | set(EDGE))
    pairs = set()
    for i, v in enumerate(pool):
        if i + 1 < len(pool):
            pairs.add((v, pool[i + 1]))
        pairs.add((v, rng.choice(pool)))
        # Spellings dpkg holds equal, and near misses on either side.
        pairs.add((v, mutate(v, rng)))
    for v in EDGE:
        for w in rng.sample(EDGE, 8):
            pairs.add((v, w))
        pairs.add((v, v))
    # Both orders of some pairs, so asymmetry bugs show.
    for a, b in rng.sample(sorted(pairs), 500):
        pairs.add((b, a))
    pairs = sorted(pairs)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool_exec:
        results = list(pool_exec.map(reference, pairs))
    for (a, b), r in zip(pairs, results):
        if r is not None:
            sys.stdout.write(f"{a}\t{b}\t{r}\n")


main()
