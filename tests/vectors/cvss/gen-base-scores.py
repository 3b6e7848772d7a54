#!/usr/bin/env python3
# Regenerates tests/vectors/cvss/base-scores.tsv: CVSS vectors and the base scores a reference implementation gives.
#
# Reference: Red Hat's `cvss` Python package (CVSS3 and CVSS4 classes). When the running Python
# lacks it, it is installed with pip into a venv under build/vecref/ and this script re-runs there.
# Vectors: random valid v3.0, v3.1 and v4.0 vectors (fixed seed), a quarter of them carrying
# random temporal, threat, environmental or supplemental metrics, which a base score ignores.
# For v4.0 the reference scores the vector without those metrics: our base score is the
# specification's CVSS-B score, while the package folds threat and environmental metrics in.
#
# Run from the project root: python3 tests/vectors/gen-cvss.py
# `python3 tests/vectors/gen-cvss.py --all` prints instead every base vector of each version
# (2,592 + 2,592 + 104,976 lines) with its reference score, for a one-off exhaustive check.
import os
import random
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OUT = os.path.join(ROOT, "tests", "vectors", "cvss", "base-scores.tsv")
COUNTS = {"3.0": 1500, "3.1": 1500, "4.0": 2500}

try:
    from cvss import CVSS3, CVSS4
except ImportError:
    venv = os.path.join(ROOT, "build", "vecref", "cvss-venv")
    python = os.path.join(venv, "bin", "python3")
    if not os.path.exists(python):
        subprocess.check_call([sys.executable, "-m", "venv", venv])
        subprocess.check_call([python, "-m", "pip", "install", "-q", "cvss"])
    os.execv(python, [python] + sys.argv)

V3_BASE = [("AV", "NALP"), ("AC", "LH"), ("PR", "NLH"), ("UI", "NR"), ("S", "UC"),
           ("C", "HLN"), ("I", "HLN"), ("A", "HLN")]
V3_OTHER = [("E", "XUPFH"), ("RL", "XOTWU"), ("RC", "XURC"), ("CR", "XLMH"), ("IR", "XLMH"),
            ("AR", "XLMH"), ("MAV", "XNALP"), ("MAC", "XLH"), ("MPR", "XNLH"), ("MUI", "XNR"),
            ("MS", "XUC"), ("MC", "XNLH"), ("MI", "XNLH"), ("MA", "XNLH")]
V4_BASE = [("AV", "NALP"), ("AC", "LH"), ("AT", "NP"), ("PR", "NLH"), ("UI", "NPA"),
           ("VC", "HLN"), ("VI", "HLN"), ("VA", "HLN"), ("SC", "HLN"), ("SI", "HLN"),
           ("SA", "HLN")]
V4_OTHER = [("E", "XAPU"), ("CR", "XHML"), ("IR", "XHML"), ("AR", "XHML"), ("MAV", "XNALP"),
            ("MAC", "XLH"), ("MAT", "XNP"), ("MPR", "XNLH"), ("MUI", "XNPA"), ("MVC", "XHLN"),
            ("MVI", "XHLN"), ("MVA", "XHLN"), ("MSC", "XHLN"), ("MSI", "XSHLN"),
            ("MSA", "XSHLN"), ("S", "XNP"), ("AU", "XNY"), ("R", "XAUI"), ("V", "XDC"),
            ("RE", "XLMH"), ("U", ["X", "Clear", "Green", "Amber", "Red"])]


def join(prefix, metrics):
    return prefix + "/".join("%s:%s" % m for m in metrics)


def v3_score(vector):
    return "%.1f" % float(CVSS3(vector).base_score)


def v4_score(base_vector):
    return "%.1f" % float(CVSS4(base_vector).base_score)


def random_vector(rng, version):
    base_defs, other_defs = (V4_BASE, V4_OTHER) if version == "4.0" else (V3_BASE, V3_OTHER)
    base = [(name, rng.choice(values)) for name, values in base_defs]
    other = []
    if rng.random() < 0.25:
        other = [(name, rng.choice(values)) for name, values in other_defs if rng.random() < 0.5]
    prefix = "CVSS:%s/" % version
    vector = join(prefix, base + other)
    if version == "4.0":
        return vector, v4_score(join(prefix, base))
    return vector, v3_score(vector)


def every_base_vector(prefix, defs):
    def walk(i, picked):
        if i == len(defs):
            yield join(prefix, picked)
            return
        name, values = defs[i]
        for v in values:
            yield from walk(i + 1, picked + [(name, v)])
    return walk(0, [])


def main():
    if sys.argv[1:] == ["--all"]:
        for version in ("3.0", "3.1"):
            for vector in every_base_vector("CVSS:%s/" % version, V3_BASE):
                print("%s\t%s" % (vector, v3_score(vector)))
        for vector in every_base_vector("CVSS:4.0/", V4_BASE):
            print("%s\t%s" % (vector, v4_score(vector)))
        return
    rng = random.Random(20261128)
    lines = []
    for version, count in COUNTS.items():
        seen = set()
        while len(seen) < count:
            vector, score = random_vector(rng, version)
            if vector not in seen:
                seen.add(vector)
                lines.append("%s\t%s\n" % (vector, score))
    with open(OUT, "w") as f:
        f.writelines(lines)
    print("%d vectors in %s" % (len(lines), os.path.relpath(OUT, ROOT)))


if __name__ == "__main__":
    main()
