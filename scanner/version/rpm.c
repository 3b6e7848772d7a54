/* RPM versions ([epoch:]version[-release]) ordered the way rpm's labelCompare orders them. */
#include <string.h>

#include "util/error.h"
#include "version/version.h"

/* An EVR split in place: ranges of the caller's string, never copies. */
struct rpm_evr {
	const char *epoch; /* "0" when absent or empty, as rpm assumes */
	size_t epoch_len;
	const char *version;
	size_t version_len;
	const char *release; /* NULL when there is no '-' */
	size_t release_len;
};

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * Split like rpm does: leading digits followed by ':' are the epoch, and
 * the release follows the last '-' after the epoch.
 */
static int rpm_parse(const char *v, struct rpm_evr *out, struct strbuf *err)
{
	const char *p, *digits_end, *hyphen = NULL, *end;

	if (!*v)
		return version_invalid(err, "rpm", v, "empty");
	for (p = v; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c <= ' ' || c == 0x7f)
			return version_invalid(err, "rpm", v, "contains whitespace or a control character");
	}
	end = p;
	for (p = v; is_digit(*p); p++)
		;
	digits_end = p;
	for (; *p; p++)
		if (*p == '-')
			hyphen = p;

	if (*digits_end == ':') {
		out->epoch = digits_end == v ? "0" : v;
		out->epoch_len = digits_end == v ? 1 : (size_t)(digits_end - v);
		out->version = digits_end + 1;
	} else {
		out->epoch = "0";
		out->epoch_len = 1;
		out->version = v;
	}
	if (hyphen) {
		out->version_len = (size_t)(hyphen - out->version);
		out->release = hyphen + 1;
		out->release_len = (size_t)(end - out->release);
		if (!out->release_len)
			return version_invalid(err, "rpm", v, "release is empty");
	} else {
		out->version_len = (size_t)(end - out->version);
		out->release = NULL;
		out->release_len = 0;
	}
	if (!out->version_len)
		return version_invalid(err, "rpm", v, "version is empty");
	return 0;
}

static int is_segment_char(int c)
{
	return is_digit(c) || is_alpha(c) || c == '~' || c == '^';
}

/*
 * rpmvercmp: skip separators, then compare runs of digits numerically and
 * runs of letters as strings, a number beating letters. '~' sorts before
 * anything, even the end; '^' sorts after the end but before anything else.
 */
static int rpm_vercmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0;

	if (alen == blen && !memcmp(a, b, alen))
		return 0;
	while (i < alen || j < blen) {
		while (i < alen && !is_segment_char(a[i]))
			i++;
		while (j < blen && !is_segment_char(b[j]))
			j++;

		int ca = i < alen ? a[i] : 0, cb = j < blen ? b[j] : 0;

		if (ca == '~' || cb == '~') {
			if (ca != '~')
				return 1;
			if (cb != '~')
				return -1;
			i++;
			j++;
			continue;
		}
		if (ca == '^' || cb == '^') {
			if (!ca)
				return -1;
			if (!cb)
				return 1;
			if (ca != '^')
				return 1;
			if (cb != '^')
				return -1;
			i++;
			j++;
			continue;
		}
		if (!ca || !cb)
			break;

		size_t si = i, sj = j;
		int numeric = is_digit(ca);

		if (numeric) {
			while (i < alen && is_digit(a[i]))
				i++;
			while (j < blen && is_digit(b[j]))
				j++;
		} else {
			while (i < alen && is_alpha(a[i]))
				i++;
			while (j < blen && is_alpha(b[j]))
				j++;
		}
		/* The other side's run is of the other kind: a number wins. */
		if (j == sj)
			return numeric ? 1 : -1;
		if (numeric) {
			while (si < i && a[si] == '0')
				si++;
			while (sj < j && b[sj] == '0')
				sj++;
			if (i - si != j - sj)
				return i - si < j - sj ? -1 : 1;
		}

		size_t la = i - si, lb = j - sj;
		int rc = memcmp(a + si, b + sj, la < lb ? la : lb);

		if (rc)
			return rc < 0 ? -1 : 1;
		if (la != lb)
			return la < lb ? -1 : 1;
	}
	if (i >= alen && j >= blen)
		return 0;
	return i >= alen ? -1 : 1;
}

static int rpm_compare(const char *a, const char *b, int *result, struct strbuf *err)
{
	struct rpm_evr ea, eb;
	int ret;

	if ((ret = rpm_parse(a, &ea, err)) < 0 || (ret = rpm_parse(b, &eb, err)) < 0)
		return ret;
	*result = rpm_vercmp(ea.epoch, ea.epoch_len, eb.epoch, eb.epoch_len);
	if (!*result)
		*result = rpm_vercmp(ea.version, ea.version_len, eb.version, eb.version_len);
	/* labelCompare: a release, whatever it is, sorts after no release at all. */
	if (!*result && (ea.release || eb.release)) {
		if (!ea.release)
			*result = -1;
		else if (!eb.release)
			*result = 1;
		else
			*result = rpm_vercmp(ea.release, ea.release_len, eb.release, eb.release_len);
	}
	return 0;
}

const struct version_scheme version_scheme_rpm = {
	.name = "rpm",
	.aliases = (const char *const[]){ "redhat", "red hat", "rhel", "almalinux", "rocky", "rocky linux",
					  "fedora", "centos", "opensuse", "suse", "mageia", "openeuler",
					  "oracle", "amazon", "mariner", "azure linux", NULL },
	.compare = rpm_compare,
};
