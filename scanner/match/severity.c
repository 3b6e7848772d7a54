/* Severity names, the rating words of advisories and distributions, and CVSS qualitative ratings. */
#include "match/severity.h"

#include <stddef.h>
#include <strings.h>

/* Indexed by enum severity. */
static const char *const severity_names[SEVERITY_COUNT] = {"unknown", "low", "medium", "high", "critical"};

const char *severity_name(enum severity s)
{
	if ((unsigned)s >= SEVERITY_COUNT)
		return severity_names[SEVERITY_UNKNOWN];
	return severity_names[s];
}

struct severity_word {
	const char *word;
	enum severity severity;
};

/* Words advisories use besides our own names; each row is one alias. */
static const struct severity_word severity_aliases[] = {
    {"moderate", SEVERITY_MEDIUM}, /* GitHub, OSV database_specific */
    {"important", SEVERITY_HIGH},  /* Red Hat */
    {"negligible", SEVERITY_LOW},  /* Ubuntu */
    {"unimportant", SEVERITY_LOW}, /* Debian */
};

/* Compare word[0..len) with name, ignoring ASCII case. */
static int word_equals(const char *word, size_t len, const char *name)
{
	return strlen(name) == len && strncasecmp(word, name, len) == 0;
}

static int parse_word(const char *word, size_t len, enum severity *out)
{
	for (size_t i = 0; i < SEVERITY_COUNT; i++) {
		if (word_equals(word, len, severity_names[i])) {
			*out = (enum severity)i;
			return 0;
		}
	}
	for (size_t i = 0; i < sizeof(severity_aliases) / sizeof(severity_aliases[0]); i++) {
		if (word_equals(word, len, severity_aliases[i].word)) {
			*out = severity_aliases[i].severity;
			return 0;
		}
	}
	return -1;
}

int severity_parse(const char *word, enum severity *out)
{
	if (!word)
		return -1;
	return parse_word(word, strlen(word), out);
}

int severity_from_distribution(const char *word, enum severity *out)
{
	if (!word)
		return -1;
	size_t len = strlen(word);
	/*
	 * The Debian tracker marks an urgency it is unsure of with trailing
	 * stars ("low**"); the rating still stands.
	 */
	while (len > 0 && word[len - 1] == '*')
		len--;
	enum severity s;
	if (parse_word(word, len, &s) < 0)
		return -1;
	/* "unknown" is no rating, whoever says it: fall back to CVSS. */
	if (s == SEVERITY_UNKNOWN)
		return -1;
	*out = s;
	return 0;
}

enum severity cvss_severity(double score)
{
	/*
	 * Scores carry one decimal; compare in tenths so that a score computed
	 * as 8.9999999 is not mistaken for high.
	 */
	if (!(score >= 0.0 && score <= 10.0))
		return SEVERITY_UNKNOWN;
	long tenths = (long)(score * 10.0 + 0.5);
	if (tenths >= 90)
		return SEVERITY_CRITICAL;
	if (tenths >= 70)
		return SEVERITY_HIGH;
	if (tenths >= 40)
		return SEVERITY_MEDIUM;
	return SEVERITY_LOW;
}
