#!/usr/bin/env python3
# Regenerates tests/vectors/gem.tsv with Ruby's own Gem::Version as the reference
# (apt-get install ruby; the ruby binary must be on PATH).
#
# Versions: RubyGems advisories (OSV and rubysec) and Gemfile.lock files under
# ../shared/data, the upstream part of Debian's ruby-* package versions
# (`apt-cache dumpavail`) and of a sample of other Debian packages, plus handcrafted edge cases. Only versions that
# Gem::Version.correct? accepts are paired.
import glob, os, random, re, subprocess, sys

root = os.path.dirname(os.path.abspath(__file__))
project = os.path.dirname(os.path.dirname(root))
data = os.path.join(os.path.dirname(project), "shared", "data")

RUBY = r'''
$stdout.sync = false
STDIN.each_line do |l|
  f = l.chomp.split("\t", -1)
  if f[0] == "VALID"
    puts(Gem::Version.correct?(f[1]) ? "true" : "false")
  else
    puts(Gem::Version.new(f[0]) <=> Gem::Version.new(f[1]))
  end
end
'''

def run(lines):
    out = subprocess.run(["ruby", "-e", RUBY], input="".join(l + "\n" for l in lines),
                         capture_output=True, text=True, check=True).stdout.split("\n")
    return out[:len(lines)]

token = re.compile(r"[0-9][0-9A-Za-z.\-]*")
versions = set()
for pattern in ("osv/RubyGems/*.json", "advisories-native/rubysec/**/*.yml"):
    for path in glob.glob(os.path.join(data, pattern), recursive=True):
        with open(path, errors="replace") as f:
            for line in f:
                if re.search(r"version|introduced|fixed|last_affected|[<>=~]", line):
                    versions.update(m.rstrip(".-") for m in token.findall(line))
for path in glob.glob(os.path.join(data, "pkgdb", "bundler", "**", "Gemfile.lock"), recursive=True):
    with open(path, errors="replace") as f:
        for m in re.finditer(r"\(([^()]*)\)", f.read()):
            versions.update(v.rstrip(".-") for v in token.findall(m.group(1)))

rng = random.Random(7)
dump = subprocess.run(["apt-cache", "dumpavail"], capture_output=True, text=True).stdout
for block in dump.split("\n\n"):
    name = re.search(r"^Package: (\S+)", block, re.M)
    ver = re.search(r"^Version: (\S+)", block, re.M)
    if not name or not ver:
        continue
    if not name.group(1).startswith("ruby-") and rng.random() > 0.1:
        continue
    upstream = ver.group(1).split(":", 1)[-1].rsplit("-", 1)[0]
    versions.add(upstream)
    versions.add(re.split(r"[+~]", upstream)[0])
    versions.add(upstream.replace("~", "-").replace("+", "."))

edge = """0 0.0 1 1.0 1.0.0 1.00 01 1.01 1.1 1.10 1.9 1.0.a 1.0.A 1.0.b 1.0.a1 1.0.a.1
1.0.0.a 1.0.a.0 1.0.a0 1.a 1.0.pre 1.0.pre1 1.0.pre.1 1.0.rc1 1.0.rc.1 1.0-rc1 1.0-1
1.0-pre 1.0.pre.pre 1.0--1 1.0-- 1.0.beta 1.0.beta2 1.0.beta10 1.0.alpha 1.0.Alpha
2.0.0.rc1 2.0.0 2.0.0.1 2.0.0.p1 2.0.0-p1 2.0.0.0.0 2.0.0.0.1 3.0.0.beta.0 3.0.0.beta
1.2.3.4.5 1.2.3.4.5.a 10.0 9.99 1.0.0.a.b 1.0.0.b.a 1.0.z 1.0.zz 1.0.aa 1.0.0.0.a.0.0
123456789012345678901234567890 123456789012345678901234567891 1.000000000000000000001
7.0.4.1 7.0.4.2 6.1.7.1 5.2.8.15 1.13.10 1.14.0.rc1 1.14.0 0.0.1.pre.1 1.0a 1.0a1
1.0.0a 1.0.0.0a 1.0.0-a 1.0.0.alpha-1""".split()
versions.update(edge)

cands = sorted(v for v in versions if v and re.fullmatch(r"[0-9][0-9A-Za-z.\-]*", v))
valid = [v for v, ok in zip(cands, run(["VALID\t" + v for v in cands])) if ok == "true"]

def key(v):
    return [(0, int(x), "") if x.isdigit() else (1, 0, x) for x in re.split(r"([0-9]+)", v) if x]

valid.sort(key=key)
pairs = set()
for i, v in enumerate(valid):
    for j in (1, 2, 3):
        if i + j < len(valid):
            pairs.add((v, valid[i + j]) if rng.random() < 0.5 else (valid[i + j], v))
    for _ in range(2):
        pairs.add((v, rng.choice(valid)))
validset = set(valid)
for a in edge:
    for b in edge:
        if a in validset and b in validset:
            pairs.add((a, b))
pairs = sorted(pairs)
res = run(["%s\t%s" % p for p in pairs])
with open(os.path.join(root, "gem.tsv"), "w") as f:
    for (a, b), r in zip(pairs, res):
        f.write("%s\t%s\t%s\n" % (a, b, r))
print("%d versions, %d pairs" % (len(valid), len(pairs)), file=sys.stderr)
