#!/bin/sh
# Regenerates tests/vectors/composer.tsv: Composer's order, as PHP's version_compare()
# ranks the versions composer/semver's VersionParser::normalize() makes.
#
# Versions: those named in ../shared/data (OSV Packagist records, a composer.lock, the
# FriendsOfPHP advisories) when present, the upstream versions of Debian's php-*
# packages, and a grid of handcrafted forms (v prefixes, 1 to 4 parts, dates, numbered
# branches, dev- branches, every stability word and separator). Only versions the
# reference accepts are kept. Each is paired with its neighbours in sorted order and
# with others picked by a fixed-seed generator.
#
# Needs php-cli and composer (Debian's composer ships composer/semver):
#   apt-get install php-cli composer
# Usage (from the project root): sh tests/vectors/gen-composer.sh
set -eu
cd "$(dirname "$0")/../.."
shared=../shared/data
autoload=$(find /usr/share/php -path '*Composer/Semver/autoload.php' | head -n 1)
[ -n "$autoload" ] || { echo "gen-composer.sh: composer/semver not found; apt-get install composer" >&2; exit 1; }
cache=build/vectors-cache/composer
mkdir -p "$cache"

{
	if [ -d "$shared" ]; then
		find "$shared/osv/Packagist" -name '*.json' -exec cat {} + 2>/dev/null |
			grep -o '"\(introduced\|fixed\|last_affected\)": *"[^"]*"' | sed 's/.*: *"//; s/"$//'
		grep -ho '"version": *"[^"]*"' "$shared/pkgdb/composer" -r 2>/dev/null | sed 's/.*: *"//; s/"$//'
		grep -rho "'[<>=]*[^',]*'" "$shared/advisories-native/friendsofphp" 2>/dev/null |
			tr -d "'" | sed 's/^[<>=]*//'
	fi
	# Debian's php-* packages: upstream part of the version, without epoch or revision.
	apt-cache dumpavail | awk '/^Package: php-/ { p = 1; next } /^Package:/ { p = 0 } p && /^Version:/ { print $2 }' |
		sed 's/^[0-9]*://; s/-[^-]*$//'
	for base in 1 1.0 1.2 1.0.0 1.2.3 1.2.3.4 v1.2.3 V2.0 0.1 0.9.9 2.10 2.9.9 10.0.1 99999 \
		1.0.10 1.0.9 3.0.0.1 20230115 2023.01.15 2023-01-15 v2023.01.15.12 202301151230 \
		2023.01.15.123 2023:01:15 1.0. 1.0.0.0.0; do
		for suffix in '' -dev .dev dev _dev -alpha -alpha1 -a1 a alpha.2 -beta -b2 beta-3 b \
			-RC1 -rc.2 RC -RC -patch1 -pl2 -p3 p pl -stable stable -STABLE -Beta1 -ALPHA \
			-beta1-dev -RC1-dev -alpha.1.2 -beta-1-2 -stable-dev +build +001 @dev @stable \
			-foo -1 .x -rc1+meta -beta1@dev; do
			echo "$base$suffix"
		done
	done
	for branch in 1.x-dev 1.0.x-dev 1.*-dev 2.X-dev v1.x-dev 1.2.3.x-dev 1.x.x.x-dev 1.2-dev \
		1.2.x.dev 1.x 1.xdev 3.x-DEV dev-master master trunk default dev-main dev-1.x \
		dev-feature/login dev-2.0-beta dev-MASTER DEV-foo dev-a.b.c dev- dev \
		dev-1/a.1./b dev-a#1 dev-1..2 dev-1.0.#N# dev-p1 dev-rc.2 dev-1.0+x; do
		echo "$branch"
	done
} | sort -u >"$cache/candidates"

php -d error_reporting=E_ALL -r '
require $argv[1];
$parser = new Composer\Semver\VersionParser();
$norm = [];
foreach (file($argv[2], FILE_IGNORE_NEW_LINES) as $v) {
	if ($v === "" || preg_match("/[\\s\\x00-\\x1f\\x7f]/", $v) || strlen($v) > 256)
		continue;
	try {
		$norm[$v] = $parser->normalize($v);
	} catch (UnexpectedValueException $e) {
	}
}
$versions = array_keys($norm);
$versions = array_map("strval", $versions);
$cmp = function ($a, $b) use ($norm) { return version_compare($norm[$a], $norm[$b]); };
usort($versions, $cmp);
/* Park-Miller, so reruns pick the same pairs. */
$seed = 20261128;
$rand = function ($n) use (&$seed) { $seed = ($seed * 48271) % 2147483647; return $seed % $n; };
$pairs = [];
$count = count($versions);
for ($i = 0; $i < $count; $i++) {
	for ($k = 1; $k <= 3 && $i + $k < $count; $k++)
		$pairs[] = $k % 2 ? [$versions[$i], $versions[$i + $k]] : [$versions[$i + $k], $versions[$i]];
	for ($k = 0; $k < 3; $k++)
		$pairs[] = [$versions[$rand($count)], $versions[$i]];
}
for ($i = 0; $i < 100; $i++) {
	$v = $versions[$rand($count)];
	$pairs[] = [$v, $v];
}
foreach ($pairs as [$a, $b])
	printf("%s\t%s\t%d\n", $a, $b, $cmp($a, $b));
' "$autoload" "$cache/candidates" >tests/vectors/composer.tsv
echo "tests/vectors/composer.tsv: $(grep -c '' tests/vectors/composer.tsv) pairs" >&2
