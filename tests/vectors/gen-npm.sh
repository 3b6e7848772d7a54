#!/bin/sh
# Regenerates tests/vectors/npm.tsv: semver precedence as node-semver's semver.compare orders it.
#
# Versions are the published versions of a few popular npm packages (fetched once with
# `npm view PKG versions --json` into build/vectors-cache/npm) plus handcrafted edge cases
# from the SemVer 2.0.0 text and Go module versions. Each version is paired with its
# neighbours in sorted order and with a few others picked by a fixed-seed generator, so
# the output only changes when the package lists do.
#
# Usage (from the project root): sh tests/vectors/gen-npm.sh
set -eu
cd "$(dirname "$0")/../.."
tools=build/node-tools
cache=build/vectors-cache/npm
[ -e "$tools/node_modules/semver/package.json" ] || npm install --prefix "$tools" --no-audit --no-fund semver
mkdir -p "$cache"
for pkg in react typescript lodash express next @types/node eslint webpack vue semver; do
	file="$cache/$(printf '%s' "$pkg" | tr '/@' '__').json"
	[ -s "$file" ] || npm view "$pkg" versions --json >"$file"
done

NODE_PATH="$tools/node_modules" node - "$cache" >tests/vectors/npm.tsv <<'JS'
const fs = require('fs');
const path = require('path');
const semver = require('semver');
const cache = process.argv[2];

const seen = new Set();
const versions = [];
function add(v) {
	/* Only versions node-semver's strict parser accepts: the others are errors, not orderings. */
	if (seen.has(v) || semver.valid(v) === null || v.trim() !== v || v[0] === '=')
		return;
	seen.add(v);
	versions.push(v);
}
for (const file of fs.readdirSync(cache).sort())
	for (const v of JSON.parse(fs.readFileSync(path.join(cache, file), 'utf8')))
		add(v);

const edge = [
	'0.0.0', '0.0.1', '0.1.0', '1.0.0', '1.0.0-0', '1.0.0-1', '1.0.0-2', '1.0.0-10', '1.0.0-alpha',
	'1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11',
	'1.0.0-rc.1', '1.0.0-alpha.0', '1.0.0-alpha.00a', '1.0.0-alpha.-', '1.0.0--', '1.0.0-a-b',
	'1.0.0-A', '1.0.0-Z', '1.0.0-a', '1.0.0-z', '1.0.0-0a', '1.0.0-a0', '1.0.0-1.2.3.4',
	'1.0.0-1.2.3', '1.0.0-1.2.3.a', '1.0.0+build', '1.0.0+build.1', '1.0.0-alpha+001',
	'1.0.0+20130313144700', '1.0.0-beta+exp.sha.5114f85', '1.0.0+21AF26D3----117B344092BD',
	'2.0.0', '2.1.0', '2.1.1', '10.0.0', '1.10.0', '1.9.0', '1.2.10', '1.2.9',
	'v1.0.0', 'v1.2.3', 'v1.10.0', 'v0.0.0-20210101000000-abcdef123456',
	'v0.0.0-20191109021931-daa7c04131f5', 'v0.1.1-0.20191109021931-daa7c04131f5',
	'v2.0.0+incompatible', 'v2.0.0', 'v2.0.1-0.20200101000000-0123456789ab+incompatible',
	'9007199254740991.0.0', '9007199254740990.9007199254740991.1', '1.0.0-999999999999999',
	'1.0.0-1000000000000000', '1.0.0-x.7.z.92', '1.0.0-x-y-z.--', '1.0.0-alpha.1.2.3.4.5.6.7',
	'0.0.0-0', '0.0.0-a', '1.0.0-alpha.beta.1', '1.0.0-beta.1.alpha',
];
for (const v of edge)
	add(v);

/* Park-Miller, so reruns pick the same pairs. */
let seed = 20261128;
function rand(n) {
	seed = (seed * 48271) % 2147483647;
	return seed % n;
}

const sorted = versions.slice().sort(semver.compare);
const pairs = [];
for (let i = 0; i < sorted.length; i++) {
	if (i + 1 < sorted.length)
		pairs.push([sorted[i], sorted[i + 1]]);
	if (i % 5 === 0 && i + 2 < sorted.length)
		pairs.push([sorted[i + 2], sorted[i]]);
	if (i % 6 === 0)
		pairs.push([sorted[rand(sorted.length)], sorted[i]]);
}
for (const a of edge)
	for (const b of edge)
		if (seen.has(a) && seen.has(b) && rand(3) === 0)
			pairs.push([a, b]);
for (let i = 0; i < 200; i++) {
	const v = sorted[rand(sorted.length)];
	pairs.push([v, v]);
}

const lines = pairs.map(([a, b]) => `${a}\t${b}\t${semver.compare(a, b)}`);
process.stdout.write(lines.join('\n') + '\n');
JS
echo "tests/vectors/npm.tsv: $(grep -c '' tests/vectors/npm.tsv) pairs" >&2
