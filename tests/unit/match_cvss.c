/* Tests for severities and CVSS base scores: the specifications' examples, reference vectors and hostile
 * vectors. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "test.h"
#include "match/severity.h"
#include "util/error.h"
#include "util/strbuf.h"

struct scored {
	const char *vector;
	const char *score;
};

/* Score a vector that must be valid; returns the score as "%.1f", or "error: ..." text. */
static const char *score_of(const char *vector, int *version)
{
	static char out[512];
	struct strbuf err = STRBUF_INIT;
	struct cvss c = {0, -1.0};
	if (cvss_base_score(vector, &c, &err) < 0)
		snprintf(out, sizeof(out), "error: %s", err.buf);
	else
		snprintf(out, sizeof(out), "%.1f", c.score);
	if (version)
		*version = c.version;
	strbuf_release(&err);
	return out;
}

static void check_scores(const struct scored *cases, size_t n, const char *prefix)
{
	char vector[256];
	for (size_t i = 0; i < n; i++) {
		snprintf(vector, sizeof(vector), "%s%s", prefix, cases[i].vector);
		const char *got = score_of(vector, NULL);
		if (strcmp(got, cases[i].score)) {
			fprintf(stderr, "  %s: got %s, expected %s\n", vector, got, cases[i].score);
			test_failed = 1;
		}
	}
}

/*
 * The CVSS v3.1 examples document (FIRST), which scores the same vulnerabilities
 * as the v3.0 one; the base formula is the same in both versions, so every
 * example must score the same under either prefix.
 */
static const struct scored v3_spec_examples[] = {
    {"AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", "6.1"}, /* CVE-2013-1937 phpMyAdmin XSS */
    {"AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", "6.4"}, /* CVE-2013-0375 MySQL stored SQL injection */
    {"AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", "3.1"}, /* CVE-2014-3566 SSLv3 POODLE */
    {"AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", "9.9"}, /* CVE-2012-1516 VMware guest to host escape */
    {"AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", "4.2"}, /* CVE-2009-0783 Apache Tomcat XML parser */
    {"AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", "8.8"}, /* CVE-2012-0384 Cisco IOS command execution */
    {"AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", "7.8"}, /* CVE-2015-1098 Apple iWork denial of service */
    {"AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", "7.5"}, /* CVE-2014-0160 OpenSSL Heartbleed */
    {"AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "9.8"}, /* CVE-2014-6271 GNU Bash Shellshock */
    {"AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", "6.8"}, /* CVE-2008-1447 DNS Kaminsky bug */
    {"AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "6.8"}, /* CVE-2014-2005 Sophos login screen bypass */
    {"AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", "5.8"}, /* CVE-2010-0467 Joomla directory traversal */
    {"AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:L/A:N", "5.8"}, /* CVE-2012-1342 Cisco access-list bypass */
    {"AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H", "9.3"}, /* CVE-2013-6014 Juniper proxy ARP DoS */
    {"AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N", "5.4"}, /* CVE-2014-9253 DokuWiki XSS */
    {"AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "8.8"}, /* CVE-2011-1265 Windows Bluetooth RCE */
    {"AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N", "4.6"}, /* CVE-2014-2019 Apple iOS control bypass */
    {"AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", "8.8"}, /* CVE-2015-0970 SearchBlox CSRF */
    {"AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N", "7.4"}, /* CVE-2014-0224 OpenSSL CCS injection */
    {"AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H", "9.6"}, /* CVE-2012-5376 Chrome sandbox bypass */
    {"AV:L/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", "7.4"},
    /* no impact scores 0 whatever the exploitability */
    {"AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", "0.0"},
    {"AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N", "0.0"},
    /* the extremes: scope change caps at 10 */
    {"AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", "10.0"},
    {"AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", "1.6"},
};

TEST(match_cvss_v31_spec_examples)
{
	check_scores(v3_spec_examples, sizeof(v3_spec_examples) / sizeof(v3_spec_examples[0]), "CVSS:3.1/");
}

TEST(match_cvss_v30_spec_examples)
{
	check_scores(v3_spec_examples, sizeof(v3_spec_examples) / sizeof(v3_spec_examples[0]), "CVSS:3.0/");
}

/* CVSS v4.0: the specification's and examples document's vectors, and widely published CVSS-B scores. */
static const struct scored v4_examples[] = {
    {"AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "9.3"},
    {"AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", "10.0"},
    {"AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N", "6.9"},
    {"AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "7.3"}, /* CVE-2022-41741 nginx mp4 */
    {"AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "8.7"},
    {"AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "8.5"},
    {"AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N", "8.7"},
    {"AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N", "1.0"},
    /* no impact on either system scores 0 */
    {"AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", "0.0"},
    /* subsequent-system impact alone still scores */
    {"AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:H/SI:N/SA:N", "7.7"},
    {"AV:P/AC:H/AT:P/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:N/SA:L", "1.0"},
    /*
     * In floating point this one lands a hair below the 8.55 tie and rounds to
     * 8.5; the exact value rounds half up to 8.6, as the specification's
     * calculator does since its rounding fix.
     */
    {"AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:L/VA:N/SC:H/SI:H/SA:H", "8.6"},
};

TEST(match_cvss_v40_examples)
{
	check_scores(v4_examples, sizeof(v4_examples) / sizeof(v4_examples[0]), "CVSS:4.0/");
}

TEST(match_cvss_versions)
{
	int version = 0;
	CHECK_STR(score_of("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", &version), "9.8");
	CHECK_INT(version, 30);
	CHECK_STR(score_of("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", &version), "9.8");
	CHECK_INT(version, 31);
	CHECK_STR(score_of("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", &version),
		  "9.3");
	CHECK_INT(version, 40);
}

/* Metrics outside the base group are validated but change nothing, and the order is free. */
TEST(match_cvss_other_metrics_ignored)
{
	CHECK_STR(score_of("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U", NULL), "9.8");
	CHECK_STR(score_of("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X/RL:X/RC:X/CR:L/IR:M/"
			   "AR:H/MAV:P/MAC:H/MPR:H/MUI:R/MS:C/MC:N/MI:N/MA:N",
			   NULL),
		  "9.8");
	CHECK_STR(score_of("CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N", NULL), "9.8");
	/* CVSS-B: threat and environmental metrics do not enter the base score */
	CHECK_STR(score_of("CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U/CR:L/"
			   "IR:L/AR:L/MAV:N/MAC:L/MAT:N/MPR:N/MUI:N/MVC:N/MVI:N/MVA:N/MSC:H/MSI:S/"
			   "MSA:S/S:P/AU:Y/R:I/V:C/RE:H/U:Red",
			   NULL),
		  "7.3");
	CHECK_STR(score_of("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/MVC:H/E:A", NULL),
		  "0.0");
	CHECK_STR(score_of("CVSS:4.0/SA:N/SI:N/SC:N/VA:H/VI:H/VC:H/UI:N/PR:N/AT:N/AC:L/AV:N/U:Clear", NULL),
		  "9.3");
}

/* A rejected vector gives ERR_BAD_INPUT and one short line that quotes it safely. */
static void check_rejected(const char *vector, const char *reason)
{
	struct strbuf err = STRBUF_INIT;
	struct cvss c = {0, 0};
	int rc = cvss_base_score(vector, &c, &err);
	if (rc != ERR_BAD_INPUT) {
		fprintf(stderr, "  '%s': returned %d, expected ERR_BAD_INPUT\n", vector ? vector : "(null)",
			rc);
		test_failed = 1;
	}
	CHECK(strncmp(err.buf, "invalid cvss vector", 19) == 0);
	CHECK(err.len < 400);
	for (size_t i = 0; i < err.len; i++) {
		unsigned char ch = (unsigned char)err.buf[i];
		if (ch < 0x20 || ch >= 0x7f) {
			fprintf(stderr, "  message for '%s' has byte 0x%02x\n", vector ? vector : "(null)",
				ch);
			test_failed = 1;
			break;
		}
	}
	if (reason && !strstr(err.buf, reason)) {
		fprintf(stderr, "  message '%s' lacks '%s'\n", err.buf, reason);
		test_failed = 1;
	}
	strbuf_release(&err);
}

TEST(match_cvss_rejects_malformed)
{
	check_rejected(NULL, "none given");
	check_rejected("", "prefix");
	check_rejected("CVSS:3.1", "prefix");
	check_rejected("CVSS:3.1/", "no metrics");
	check_rejected("cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "prefix");
	check_rejected(" CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "prefix");
	check_rejected("CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P", "prefix");
	check_rejected("AV:N/AC:L/Au:N/C:P/I:P/A:P", "prefix");
	check_rejected("CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "prefix");
	check_rejected("CVSS:3.10/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "prefix");
	check_rejected("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", "base metric 'A' missing");
	check_rejected("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:N", "'AV' repeated");
	check_rejected("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/E:U", "'E' repeated");
	check_rejected("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unknown value 'X' for metric 'AV'");
	check_rejected("CVSS:3.1/AV:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unknown value 'n'");
	check_rejected("CVSS:3.1/AV:NN/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unknown value 'NN'");
	check_rejected("CVSS:3.1/AV:/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unknown value ''");
	check_rejected("CVSS:3.1/AV:N:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unknown value 'N:L'");
	check_rejected("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", "empty metric");
	check_rejected("CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "empty metric");
	check_rejected("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1", "unknown metric 'ZZ'");
	check_rejected("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A", "metric 'A' has no value");
	check_rejected("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H ", "unknown value 'H '");
	check_rejected("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n", "unknown value 'H?'");
	/* each version has its own metrics: v3 names are not v4 ones and back */
	check_rejected("CVSS:3.1/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
		       "unknown metric 'AT'");
	check_rejected("CVSS:4.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unknown value 'U' for metric 'S'");
	check_rejected("CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
		       "base metric 'AT' missing");
	check_rejected("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:R/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
		       "unknown value 'R'");
	check_rejected("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N",
		       "unknown value 'S'");
	check_rejected("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:clear",
		       "unknown value 'clear'");
	check_rejected("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:X/E:A", "repeated");
}

TEST(match_cvss_rejects_hostile)
{
	char big[2048];
	int n = snprintf(big, sizeof(big), "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
	while (n < 600)
		n += snprintf(big + n, sizeof(big) - (size_t)n, "/E:X");
	check_rejected(big, "longer than 512 bytes");

	/* a metric name or value long enough to flood a message */
	n = snprintf(big, sizeof(big), "CVSS:3.1/");
	memset(big + n, 'A', 400);
	memcpy(big + n + 400, ":N", 3);
	check_rejected(big, "unknown metric 'AAAAAAAAAAAA...'");
	n = snprintf(big, sizeof(big), "CVSS:3.1/AV:");
	memset(big + n, 'N', 400);
	big[n + 400] = '\0';
	check_rejected(big, "unknown value 'NNNNNNNNNNNN...'");

	/* control characters, quotes and invalid UTF-8 come out escaped */
	check_rejected("CVSS:3.1/AV:N\x1b[31m/AC:L", "\\x1b[31m");
	check_rejected("CVSS:3.1/AV:\xff\xfe/AC:L", "\\xff\\xfe");
	check_rejected("CVSS:3.1/AV:'N'/AC:L", "\\x27N\\x27");
	check_rejected("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:Clear\tX", NULL);
}

/* Deterministic mutations of valid vectors: every result is a valid score or a clean error. */
TEST(match_cvss_hostile_mutations)
{
	static const char *const seeds[] = {
	    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:C",
	    "CVSS:3.0/AV:A/AC:H/PR:L/UI:R/S:C/C:L/I:N/A:L/CR:H/MAV:P/MS:U",
	    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/MSI:S/U:Amber",
	};
	static const char alphabet[] = "CVS:/34.01ANLPHRUXMEIOTWFDYaclearmbrgn\xff";
	/* value letters: swapping one in keeps many vectors valid, so scoring gets exercised too */
	static const char letters[] = "NALPHRUCXMS";
	uint32_t state = 12345;
	char vector[700];
	int valid = 0, rejected = 0;
	for (int round = 0; round < 30000; round++) {
		const char *seed = seeds[round % 3];
		size_t len = strlen(seed);
		memcpy(vector, seed, len + 1);
		state = state * 1103515245u + 12345u;
		int edits = 1 + (int)((state >> 16) % 3);
		for (int e = 0; e < edits; e++) {
			state = state * 1103515245u + 12345u;
			size_t at = (state >> 8) % (len + 1);
			int op = (int)((state >> 20) % 8);
			char ch = alphabet[(state >> 24) % (sizeof(alphabet) - 1)];
			char *colon = at < len ? strchr(vector + at, ':') : NULL;
			if (op < 4 && colon && colon[1]) {
				colon[1] = letters[(state >> 24) % (sizeof(letters) - 1)];
			} else if (op == 4 && at < len) {
				vector[at] = ch;
			} else if (op == 5 && len + 1 < sizeof(vector)) {
				memmove(vector + at + 1, vector + at, len - at + 1);
				vector[at] = ch;
				len++;
			} else if (op == 6 && at < len) {
				memmove(vector + at, vector + at + 1, len - at);
				len--;
			} else if (op == 7) {
				vector[at] = '\0';
				len = at;
			}
		}
		struct strbuf err = STRBUF_INIT;
		struct cvss c = {0, -1.0};
		int rc = cvss_base_score(vector, &c, &err);
		if (rc == 0) {
			valid++;
			CHECK(c.score >= 0.0 && c.score <= 10.0);
			CHECK(c.version == 30 || c.version == 31 || c.version == 40);
		} else {
			rejected++;
			CHECK_INT(rc, ERR_BAD_INPUT);
			CHECK(strchr(err.buf, '\n') == NULL);
			CHECK(err.len > 0 && err.len < 400);
		}
		strbuf_release(&err);
		if (test_failed) {
			fprintf(stderr, "  mutated vector: %s\n", vector);
			return;
		}
	}
	/* both outcomes must be common, or the mutations test nothing */
	CHECK(valid > 1000 && rejected > 1000);
}

/*
 * Every vector of tests/vectors/cvss/base-scores.tsv scores what the reference implementation
 * said (tests/vectors/README.md says how the file is made).
 */
TEST(match_cvss_reference_vectors)
{
	/* CUSTOMS_CVSS_VECTORS names another file, such as the output of gen-cvss.py --all. */
	const char *path = getenv("CUSTOMS_CVSS_VECTORS");
	if (!path)
		path = "tests/vectors/cvss/base-scores.tsv";
	char line[1024];
	int lines = 0, disagree = 0;
	int versions[3] = {0, 0, 0};
	FILE *fp = fopen(path, "r");
	if (!fp) {
		fprintf(stderr, "  cannot open %s (run the unit tests from the project root)\n", path);
		test_failed = 1;
		return;
	}
	while (fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\n")] = '\0';
		char *tab = strchr(line, '\t');
		if (!tab) {
			fprintf(stderr, "  %s:%d: no tab\n", path, lines + 1);
			test_failed = 1;
			break;
		}
		*tab = '\0';
		lines++;
		int version = 0;
		const char *got = score_of(line, &version);
		versions[version == 30 ? 0 : version == 31 ? 1 : 2]++;
		if (strcmp(got, tab + 1)) {
			if (disagree++ < 10)
				fprintf(stderr, "  %s: reference %s, customs %s\n", line, tab + 1, got);
			test_failed = 1;
		}
	}
	fclose(fp);
	if (disagree)
		fprintf(stderr, "  %d of %d reference vectors disagree\n", disagree, lines);
	CHECK(lines >= 5000);
	CHECK(versions[0] >= 1000 && versions[1] >= 1000 && versions[2] >= 1000);
}

TEST(match_severity_names)
{
	CHECK_STR(severity_name(SEVERITY_UNKNOWN), "unknown");
	CHECK_STR(severity_name(SEVERITY_LOW), "low");
	CHECK_STR(severity_name(SEVERITY_MEDIUM), "medium");
	CHECK_STR(severity_name(SEVERITY_HIGH), "high");
	CHECK_STR(severity_name(SEVERITY_CRITICAL), "critical");
	CHECK_STR(severity_name((enum severity)99), "unknown");
	CHECK(SEVERITY_CRITICAL > SEVERITY_HIGH && SEVERITY_HIGH > SEVERITY_MEDIUM &&
	      SEVERITY_MEDIUM > SEVERITY_LOW && SEVERITY_LOW > SEVERITY_UNKNOWN);
}

TEST(match_severity_parse)
{
	static const struct {
		const char *word;
		int severity;
	} words[] = {
	    /* our own names, in any case */
	    {"unknown", SEVERITY_UNKNOWN},
	    {"low", SEVERITY_LOW},
	    {"medium", SEVERITY_MEDIUM},
	    {"high", SEVERITY_HIGH},
	    {"critical", SEVERITY_CRITICAL},
	    {"CRITICAL", SEVERITY_CRITICAL},
	    /* GitHub, Red Hat, Ubuntu and Debian words */
	    {"Moderate", SEVERITY_MEDIUM},
	    {"MODERATE", SEVERITY_MEDIUM},
	    {"Important", SEVERITY_HIGH},
	    {"negligible", SEVERITY_LOW},
	    {"Unimportant", SEVERITY_LOW},
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		enum severity s = (enum severity)SEVERITY_COUNT;
		CHECK_INT(severity_parse(words[i].word, &s), 0);
		CHECK_INT(s, words[i].severity);
	}
	static const char *const bad[] = {"",	   "none",	 "lowish",	     "med",   " high",
					  "high ", "critical\n", "not yet assigned", "low**", "\xff"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		enum severity s = SEVERITY_HIGH;
		CHECK_INT(severity_parse(bad[i], &s), -1);
		CHECK_INT(s, SEVERITY_HIGH);
	}
	enum severity s = SEVERITY_HIGH;
	CHECK_INT(severity_parse(NULL, &s), -1);
}

TEST(match_severity_from_distribution)
{
	static const struct {
		const char *word;
		int severity; /* -1: no rating, fall back to CVSS */
	} words[] = {
	    /* Debian urgencies; stars mark an urgency the tracker is unsure of */
	    {"unimportant", SEVERITY_LOW},
	    {"low", SEVERITY_LOW},
	    {"medium", SEVERITY_MEDIUM},
	    {"high", SEVERITY_HIGH},
	    {"low**", SEVERITY_LOW},
	    {"high**", SEVERITY_HIGH},
	    {"medium*", SEVERITY_MEDIUM},
	    {"not yet assigned", -1},
	    {"end-of-life", -1},
	    /* Ubuntu priorities */
	    {"negligible", SEVERITY_LOW},
	    {"critical", SEVERITY_CRITICAL},
	    {"untriaged", -1},
	    /* advisory words */
	    {"Moderate", SEVERITY_MEDIUM},
	    {"important", SEVERITY_HIGH},
	    {"unknown", -1},
	    {"", -1},
	    {"**", -1},
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		enum severity s = (enum severity)77;
		int rc = severity_from_distribution(words[i].word, &s);
		if (words[i].severity < 0) {
			CHECK_INT(rc, -1);
			CHECK_INT(s, 77);
		} else {
			CHECK_INT(rc, 0);
			CHECK_INT(s, words[i].severity);
		}
	}
	enum severity s;
	CHECK_INT(severity_from_distribution(NULL, &s), -1);
}

TEST(match_severity_of_cvss_scores)
{
	CHECK_INT(cvss_severity(0.0), SEVERITY_LOW);
	CHECK_INT(cvss_severity(0.1), SEVERITY_LOW);
	CHECK_INT(cvss_severity(3.9), SEVERITY_LOW);
	CHECK_INT(cvss_severity(4.0), SEVERITY_MEDIUM);
	CHECK_INT(cvss_severity(6.9), SEVERITY_MEDIUM);
	CHECK_INT(cvss_severity(7.0), SEVERITY_HIGH);
	CHECK_INT(cvss_severity(8.9), SEVERITY_HIGH);
	CHECK_INT(cvss_severity(9.0), SEVERITY_CRITICAL);
	CHECK_INT(cvss_severity(10.0), SEVERITY_CRITICAL);
	/* a computed 6.99999... is still 7.0 once rounded to one decimal */
	CHECK_INT(cvss_severity(0.1 * 70), SEVERITY_HIGH);
	CHECK_INT(cvss_severity(8.999999999999998), SEVERITY_CRITICAL);
	CHECK_INT(cvss_severity(6.950000000000001 - 0.05), SEVERITY_MEDIUM);
	CHECK_INT(cvss_severity(-0.1), SEVERITY_UNKNOWN);
	CHECK_INT(cvss_severity(10.1), SEVERITY_UNKNOWN);
	CHECK_INT(cvss_severity(NAN), SEVERITY_UNKNOWN);
	CHECK_INT(cvss_severity(INFINITY), SEVERITY_UNKNOWN);
}

/* The ratings of the scores customs computes agree with the specification's bands. */
TEST(match_severity_of_vectors)
{
	struct strbuf err = STRBUF_INIT;
	struct cvss c;
	CHECK_INT(cvss_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", &c, &err), 0);
	CHECK_INT(cvss_severity(c.score), SEVERITY_CRITICAL);
	CHECK_INT(cvss_base_score("CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", &c, &err), 0);
	CHECK_INT(cvss_severity(c.score), SEVERITY_LOW);
	CHECK_INT(
	    cvss_base_score("CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", &c, &err), 0);
	CHECK_INT(cvss_severity(c.score), SEVERITY_HIGH);
	strbuf_release(&err);
}
