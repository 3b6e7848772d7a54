#!/usr/bin/env python3
# Regenerates tests/vectors/apk.tsv from a reference apk version comparator.
#
# apk-tools itself is not packaged for Debian 12, so EXPECTED is the verdict of
# two independent Go implementations of its ordering, built by this script
# into build/vecref/ (needs go and the Go module proxy):
#   - github.com/knqyf263/go-apk-version, the port of apk-tools' version.c
#     that Trivy uses;
#   - github.com/chainguard-dev/go-apk, the apk implementation behind apko.
# Only pairs on which both agree are kept: each gets some corners wrong
# (the first puts "1.0_rc1" after "1.0", the second orders "0.06" after
# "0.5" and ignores a missing "-r0"), and customs follows current apk-tools.
# Versions with a component made only of zeros ("1.00") are left out: both
# order them numerically, apk-tools compares such components as text.
# Versions: Alpine secdb fixed versions and installed-package versions under
# ../shared/data, plus handcrafted edge cases.
import glob, json, os, random, re, subprocess, sys

root = os.path.dirname(os.path.abspath(__file__))
project = os.path.dirname(os.path.dirname(root))
data = os.path.join(os.path.dirname(project), "shared", "data")
vecref = os.path.join(project, "build", "vecref")

DRIVER = """package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	%s
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		f := strings.Split(in.Text(), "\\t")
		%s
	}
}
"""

OLD_PORT = ('version "github.com/knqyf263/go-apk-version"', """if !version.Valid(f[0]) || !version.Valid(f[1]) {
			fmt.Fprintln(out, "X")
			continue
		}
		fmt.Fprintln(out, version.Version(f[0]).Compare(version.Version(f[1])))""")
APKO = ('"github.com/chainguard-dev/go-apk/pkg/apk"', """a, ea := apk.ParseVersion(f[0])
		b, eb := apk.ParseVersion(f[1])
		if ea != nil || eb != nil {
			fmt.Fprintln(out, "X")
			continue
		}
		fmt.Fprintln(out, apk.CompareVersions(a, b))""")


def build(name, module, code):
    refdir = os.path.join(vecref, name)
    ref = os.path.join(refdir, "ref")
    if not os.path.exists(ref):
        os.makedirs(refdir, exist_ok=True)
        with open(os.path.join(refdir, "main.go"), "w") as f:
            f.write(DRIVER % code)
        with open(os.path.join(refdir, "go.mod"), "w") as f:
            f.write("module " + name + "\n\ngo 1.22\n")
        subprocess.run(["go", "get", module], cwd=refdir, check=True)
        subprocess.run(["go", "build", "-o", "ref", "."], cwd=refdir, check=True)
    return ref


refs = [build("apk-trivy", "github.com/knqyf263/go-apk-version", OLD_PORT),
        build("apk-apko", "github.com/chainguard-dev/go-apk/pkg/apk", APKO)]

versions = set()
for path in glob.glob(os.path.join(data, "secdb", "alpine", "*", "*.json")):
    with open(path) as f:
        for p in json.load(f).get("packages", []):
            versions.update(p["pkg"].get("secfixes", {}).keys())
for path in glob.glob(os.path.join(data, "pkgdb", "apk", "*", "lib", "apk", "db", "installed")):
    with open(path, errors="replace") as f:
        versions.update(l[2:].strip() for l in f if l.startswith("V:"))

edge = """0 1 1.0 1.00 1.01 1.001 1.1 1.05 1.5 1.10 1.0.0 1.0.1 1.0a 1.0b 1.0z 1.0a1 1a 1.2a3
1.0_alpha 1.0_alpha1 1.0_alpha2 1.0_beta 1.0_beta1 1.0_pre1 1.0_rc 1.0_rc1 1.0_rc10
1.0_cvs 1.0_svn 1.0_git20200101 1.0_hg 1.0_p 1.0_p1 1.0_p10 1.0_pre 1.0_rc1_p2
1.0_alpha_beta 1.0_p1_rc2 1.0-r0 1.0-r1 1.0-r10 1.0_rc1-r3 1.0a-r1 2 2.0 10 9.99
1.1_rc1 1.1_p1 1.1-r0 1.1_git1-r2 0.0 0.0.0 0.1 00.1 1.2.3.4.5.6 1.2.3.4.5.7
20230101 20230101.1 1.0_beta2-r0 3.0.0_rc1 3.0.0 3.0.0_p0 3.0.0-r0 1.2.3_alpha1_p2""".split()
versions.update(edge)

def run(ref, lines):
    out = subprocess.run([ref], input="".join(l + "\n" for l in lines),
                         capture_output=True, text=True, check=True).stdout.split("\n")
    return out[:len(lines)]

valid = sorted(v for v in versions if v and re.fullmatch(r"[0-9][0-9a-z._]*(-r[0-9]+)?", v)
               and not re.search(r"[0-9]{20}|(^|\.)00+(\D|$)", v))

def key(v):
    return [int(x) if x.isdigit() else x for x in re.split(r"([0-9]+)", v)]

valid.sort(key=key)
rng = random.Random(3)
pairs = set()
for i, v in enumerate(valid):
    for j in (1, 2, 3):
        if i + j < len(valid):
            pairs.add((v, valid[i + j]) if rng.random() < 0.5 else (valid[i + j], v))
    for _ in range(2):
        pairs.add((v, rng.choice(valid)))
for a in edge:
    if a in valid:
        for b in edge:
            if b in valid:
                pairs.add((a, b))
pairs = sorted(pairs)
lines = ["%s\t%s" % p for p in pairs]
verdicts = [run(ref, lines) for ref in refs]
kept = 0
with open(os.path.join(root, "apk.tsv"), "w") as f:
    for (a, b), x, y in zip(pairs, *verdicts):
        if x == y and x != "X":
            f.write("%s\t%s\t%s\n" % (a, b, x))
            kept += 1
print("%d versions, %d pairs, %d kept where the references agree" % (len(valid), len(pairs), kept),
      file=sys.stderr)
