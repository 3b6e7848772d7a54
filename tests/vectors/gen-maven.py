#!/usr/bin/env python3
# Regenerates tests/vectors/maven.tsv: pairs of Maven versions ordered by Maven's ComparableVersion.
#
# Reference: org.apache.maven.artifact.versioning.ComparableVersion from Debian's maven package
# (/usr/share/maven/lib/maven-artifact-*.jar), driven by a small Java class compiled under
# build/vecref/maven/. Versions: the version lists (maven-metadata) of a few popular artifacts,
# which `mvn dependency:get` leaves in ~/.m2 (fetched when missing), folder names of ~/.m2 and
# /usr/share/maven-repo, the Maven advisories in ../shared/data/osv/Maven (when present),
# handcrafted edge cases and random strings of Maven-like items.
# Run from the project root: python3 tests/vectors/gen-maven.py
import glob
import json
import os
import random
import re
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WORK = os.path.join(ROOT, "build", "vecref", "maven")
M2 = os.path.expanduser("~/.m2/repository")
ARTIFACTS = ["com.google.guava:guava", "com.fasterxml.jackson.core:jackson-databind",
             "org.apache.logging.log4j:log4j-core", "org.springframework:spring-core",
             "io.netty:netty-handler", "org.apache.commons:commons-lang3", "junit:junit",
             "org.hibernate:hibernate-core", "org.slf4j:slf4j-api", "ch.qos.logback:logback-classic"]

JAVA = """
import java.io.*;
import org.apache.maven.artifact.versioning.ComparableVersion;

public class MavenOrder {
	public static void main(String[] args) throws IOException {
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
		PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, "UTF-8")));
		String line;
		while ((line = in.readLine()) != null) {
			String[] ab = line.split("\\t", -1);
			int c = new ComparableVersion(ab[0]).compareTo(new ComparableVersion(ab[1]));
			out.println(ab[0] + "\\t" + ab[1] + "\\t" + Integer.signum(c));
		}
		out.flush();
	}
}
"""

EDGE = """
1 1.0 1.0.0 1.0.0.0 0 0.0 00 01 1.01 1.1 1.10 1.9 1-0 1-0-0 1.0-0 1- 1. 1.- .1 -1 1..1 1--1 1-.1
1-1 1.1-1 1-1.1 1.0-1 1-2 1.0.1 1a 1a1 1-a1 1-a-1 1.a1 1alpha 1alpha1 1-alpha-1 1.alpha.1 1A1 1ALPHA1
1b1 1beta1 1-beta-1 1m1 1milestone1 1-milestone-1 1rc1 1-rc-1 1cr1 1CR1 1-cr1 1rc 1-rc 1cr 1-snapshot
1-SNAPSHOT 1.0-SNAPSHOT 1.0.0-SNAPSHOT 1-ga 1.ga 1-final 1.Final 1.0.Final 1-release 1.RELEASE 1-sp
1-sp1 1-sp-1 1.sp 1sp 1-foo 1-bar 1-foo1 1-foo-1 1-Foo 1-abc 1-abd 1-ab 1-a 1-b 1-m 1a 1b 1m 1-x1
1-1-1 1-1-a 1.2.3-4-5 1.2.3.4.5.6.7 1.2-SNAPSHOT-1 1-20240101.123456-1 1.0-20240101.123456-12
1.0.0.RC1 1.0.0.RC2 1.0.0.M1 1.0.0.M2 1.0.0.BUILD-SNAPSHOT 2.0.0-rc.1 2.0.0-beta.2 2.0.0-alpha
1.0-jre 1.0-android 33.0.0-jre 33.0.0-android 1.0-incubating 1.0-b1 1.0-beta1 1.0-RC1 1.0rc-1
123456789 1234567890 12345678901234567890 123456789012345678901234567890 1.123456789012 1.0000000001
2147483647 2147483648 9223372036854775807 9223372036854775808 0000000001 1.0-0001
a b alpha beta final ga release sp snapshot x foo 1.0-alpha-SNAPSHOT 1.0-alpha1-SNAPSHOT
1.0.0.0-a 1.0.0.0a 1.0a.0 1.0-a.0 1.0.a-0 1-0.1 1-0-1 1.0.0-0.0.1 1.0.0-0-1 v1 v1.0 V1 r1 r10
1.0.0_1 1.0_beta 1+1 1.0+build.1 1~1 1.0!x 1/2 1:2 1.0-RC1_1
""".split()


def metadata_versions():
    found = set()
    for artifact in ARTIFACTS:
        group, name = artifact.split(":")
        folder = os.path.join(M2, *group.split("."), name)
        if not glob.glob(os.path.join(folder, "maven-metadata*.xml")):
            subprocess.run(["mvn", "-B", "-q", "dependency:get", "-Dartifact=%s:LATEST" % artifact,
                            "-Dtransitive=false"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for path in glob.glob(os.path.join(M2, "**", "maven-metadata*.xml"), recursive=True):
        with open(path, errors="replace") as f:
            found.update(re.findall(r"<version>([^<]+)</version>", f.read()))
    return found


def folder_versions():
    found = set()
    for top in (M2, "/usr/share/maven-repo"):
        for pom in glob.glob(os.path.join(top, "**", "*.pom"), recursive=True):
            found.add(os.path.basename(os.path.dirname(pom)))
    return found


def osv_versions():
    found = set()
    for path in glob.glob(os.path.join(ROOT, "..", "shared", "data", "osv", "Maven", "*.json")):
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
    items = ["0", "1", "2", "10", "01", "00", "a", "b", "m", "alpha", "beta", "milestone", "rc", "cr",
             "snapshot", "SNAPSHOT", "ga", "final", "Final", "release", "sp", "foo", "x", "jre", ""]
    s = rng.choice(["1", "1", "2", "0", "10"])
    for _ in range(rng.randint(0, 6)):
        s += rng.choice([".", ".", "-", "-", ""]) + rng.choice(items)
    return s


def usable(v):
    return v and v.isascii() and all(c > " " and c != "\x7f" for c in v)


def main():
    rng = random.Random(3870)
    real = {v for v in metadata_versions() | folder_versions() | osv_versions() if usable(v)}
    real = sorted(real)
    edge = [v for v in EDGE if usable(v)]
    fuzz = sorted({random_version(rng) for _ in range(3000)})

    pairs = []
    for group, others in ((real, 4), (fuzz, 3)):
        for i, a in enumerate(group):
            for j in (i + 1, i + 2):
                if j < len(group):
                    pairs.append((a, group[j]))
            for _ in range(others):
                pairs.append((a, rng.choice(group)))
    pool = real + fuzz
    for a in edge:
        for b in edge:
            if rng.random() < 0.12 or a.lower() == b.lower():
                pairs.append((a, b))
        for _ in range(5):
            pairs.append((a, rng.choice(pool)))
            pairs.append((rng.choice(pool), a))
    seen = set()
    pairs = [p for p in pairs if not (p in seen or seen.add(p))]

    os.makedirs(WORK, exist_ok=True)
    jar = sorted(glob.glob("/usr/share/maven/lib/maven-artifact*.jar"))[0]
    with open(os.path.join(WORK, "MavenOrder.java"), "w") as f:
        f.write(JAVA)
    subprocess.check_call(["javac", "-cp", jar, "-d", WORK, os.path.join(WORK, "MavenOrder.java")])
    ordered = subprocess.run(["java", "-cp", jar + ":" + WORK, "MavenOrder"], check=True,
                             input="".join("%s\t%s\n" % p for p in pairs).encode(),
                             capture_output=True).stdout
    out = os.path.join(ROOT, "tests", "vectors", "maven.tsv")
    with open(out, "wb") as f:
        f.write(ordered)
    print("%s: %d pairs from %d real, %d edge and %d random versions" % (out, len(pairs), len(real), len(edge), len(fuzz)))


main()
