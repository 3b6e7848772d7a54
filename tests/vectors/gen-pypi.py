#!/usr/bin/env python3
# Regenerates tests/vectors/pypi.tsv: pairs of Python package versions ordered by packaging.version.
#
# Reference: packaging.version.Version (the library pip uses). When the running Python lacks it,
# it is installed with pip into a venv under build/vecref/ and this script re-runs there.
# Versions: `pip index versions` of a few popular packages (cached under build/vecref/pypi/),
# the PyPI advisories in ../shared/data/osv/PyPI (when present), handcrafted edge cases and
# random strings in PEP 440 spellings. Run from the project root: python3 tests/vectors/gen-pypi.py
import glob
import json
import os
import random
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CACHE = os.path.join(ROOT, "build", "vecref", "pypi")
PACKAGES = ["django", "numpy", "requests", "setuptools", "pip", "urllib3", "cryptography",
            "pytest", "flask", "pandas"]

try:
    from packaging.version import InvalidVersion, Version
except ImportError:
    venv = os.path.join(ROOT, "build", "vecref", "pypi-venv")
    python = os.path.join(venv, "bin", "python3")
    if not os.path.exists(python):
        subprocess.check_call([sys.executable, "-m", "venv", venv])
        subprocess.check_call([python, "-m", "pip", "install", "-q", "packaging"])
    os.execv(python, [python] + sys.argv)

EDGE = """
0 0.0 0.0.0 00 1 1.0 1.0.0 1.0.0.0.0 01.02 1.00 1.01 1.1 1.10 1.9 1.09 v1.0 V1.0 1!0 1!1.0 0!1.0 2!0.1
1.0a 1.0a0 1.0a1 1.0A1 1.0alpha1 1.0ALPHA.1 1.0-a1 1.0_a_1 1.0.a.1 1.0a.1 1.0a. 1.0b1 1.0beta1 1.0-beta-1
1.0c1 1.0rc1 1.0pre1 1.0preview1 1.0-rc-1 1.0.rc.1 1.0rc 1.0RC 1.0c 1.0.pre 1.0a2 1.0a10 1.0b2 1.0rc2
1.0.post1 1.0post1 1.0-post1 1.0_post1 1.0-1 1.0.post 1.0post 1.0-r1 1.0rev1 1.0r 1.0.rev 1.0.post0
1.0-0 1.0.post2 1.0-post-2 1.0post-2 1.0a1.post1 1.0a1-1 1.0a.-1 1.0a1.post1.dev1 1.0.dev1 1.0dev1
1.0-dev1 1.0_dev_1 1.0.dev 1.0dev 1.0.dev. 1.0.dev0 1.0a1.dev1 1.0b1.dev2 1.0rc1.dev3 1.0.post1.dev1
1.0-1.dev1 1.0+a 1.0+1 1.0+01 1.0+a.1 1.0+a.b 1.0+A 1.0+a-b_c.d 1.0+1.a 1.0+ubuntu1 1.0+ubuntu.1
1.0+ubuntu10 1.0+ubuntu2 1.0+0 1.0+abc 1.0+abd 1.0+ab 1.0+a.0 1.0+local.7.2 1.0.dev1+x 1.0a1+x
1.0.post1+x 123456789012345678901234567890 123456789012345678901234567891 1.123456789012345678901
1.0.post123456789012345678901234 9999999999999999999!1 1.0rc1+0.0 2024.1.15 2024.01.15 1.2.3.4.5.6
""".split()


def parse(s):
    if s != s.strip() or not s:
        return None
    try:
        return Version(s)
    except InvalidVersion:
        return None


def pip_versions(package):
    os.makedirs(CACHE, exist_ok=True)
    path = os.path.join(CACHE, package + ".txt")
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        out = subprocess.run([sys.executable, "-m", "pip", "index", "versions", package],
                             capture_output=True, text=True).stdout
        with open(path, "w") as f:
            f.write(out)
    with open(path) as f:
        for line in f:
            if line.startswith("Available versions:"):
                return [v.strip() for v in line.split(":", 1)[1].split(",") if v.strip()]
    return []


def osv_versions():
    found = set()
    for path in glob.glob(os.path.join(ROOT, "..", "shared", "data", "osv", "PyPI", "*.json")):
        with open(path) as f:
            advisory = json.load(f)
        for affected in advisory.get("affected", []):
            found.update(affected.get("versions", []))
            for r in affected.get("ranges", []):
                if r.get("type") == "ECOSYSTEM":
                    for event in r.get("events", []):
                        found.update(v for v in event.values() if isinstance(v, str))
    return found


def random_version(rng):
    sep = lambda: rng.choice(["", ".", "-", "_"])
    num = lambda: str(rng.choice([0, 0, 1, 2, 3, 9, 10, 11, 99, 100, 2024]))
    s = rng.choice(["", "", "", "v", "1!", "0!"])
    s += ".".join(num() for _ in range(rng.randint(1, 5)))
    if rng.random() < 0.4:
        s += sep() + rng.choice(["a", "b", "c", "rc", "alpha", "beta", "pre", "preview", "RC"])
        if rng.random() < 0.8:
            s += sep() + num()
    if rng.random() < 0.3:
        if rng.random() < 0.3:
            s += "-" + num()
        else:
            s += sep() + rng.choice(["post", "rev", "r"]) + (sep() + num() if rng.random() < 0.8 else "")
    if rng.random() < 0.3:
        s += sep() + "dev" + (sep() + num() if rng.random() < 0.8 else "")
    if rng.random() < 0.2:
        parts = [rng.choice(["1", "01", "2", "10", "a", "b", "ubuntu", "Abc", "x1"]) for _ in range(rng.randint(1, 3))]
        s += "+" + parts[0] + "".join(rng.choice(".-_") + p for p in parts[1:])
    return s


def main():
    rng = random.Random(440)
    real = set()
    for package in PACKAGES:
        real.update(pip_versions(package))
    real.update(osv_versions())
    real = sorted((v for v in real if parse(v)), key=lambda v: (parse(v), v))
    edge = [v for v in EDGE if parse(v)]
    fuzz = sorted({v for v in (random_version(rng) for _ in range(1500)) if parse(v)}, key=lambda v: (parse(v), v))

    pairs = []
    for group, others in ((real, 3), (fuzz, 2)):
        for i, a in enumerate(group):
            for j in (i + 1, i + 2):
                if j < len(group):
                    pairs.append((a, group[j]))
            for _ in range(others):
                pairs.append((a, rng.choice(group)))
    pool = real + fuzz
    for a in edge:
        for b in edge:
            if rng.random() < 0.15 or a.lower() == b.lower():
                pairs.append((a, b))
        for _ in range(5):
            pairs.append((a, rng.choice(pool)))
            pairs.append((rng.choice(pool), a))

    seen = set()
    out = os.path.join(ROOT, "tests", "vectors", "pypi.tsv")
    with open(out, "w") as f:
        for a, b in pairs:
            if (a, b) in seen:
                continue
            seen.add((a, b))
            va, vb = parse(a), parse(b)
            f.write("%s\t%s\t%d\n" % (a, b, (va > vb) - (va < vb)))
    print("%s: %d pairs from %d real, %d edge and %d random versions" % (out, len(seen), len(real), len(edge), len(fuzz)))


main()
