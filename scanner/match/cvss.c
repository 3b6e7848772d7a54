/* CVSS v3.0, v3.1 and v4.0 base scores from vector strings, following the FIRST specifications. */
#include "match/severity.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

/*
 * Vectors come from advisory databases we do not control; the longest valid
 * v4.0 vector with every supplemental metric is about 200 bytes.
 */
#define CVSS_VECTOR_MAX 512
/* How much of a bad vector an error message quotes. */
#define CVSS_QUOTE_MAX 64

struct cvss_metric {
	const char *name;
	const char *const *values; /* NULL-terminated; scoring code indexes them */
	bool base;		   /* mandatory; the others are accepted and ignored */
};

#define VALUES(...) ((const char *const[]){__VA_ARGS__, NULL})

/*
 * The v3.0 and v3.1 metrics (specification section 6, table 15). The enum
 * names the rows of the table, and each metric's values are listed in the
 * order of the weight tables below.
 */
enum { V3_AV, V3_AC, V3_PR, V3_UI, V3_S, V3_C, V3_I, V3_A, V3_COUNT = 22 };

static const struct cvss_metric v3_metrics[V3_COUNT] = {
    [V3_AV] = {"AV", VALUES("N", "A", "L", "P"), true},
    [V3_AC] = {"AC", VALUES("L", "H"), true},
    [V3_PR] = {"PR", VALUES("N", "L", "H"), true},
    [V3_UI] = {"UI", VALUES("N", "R"), true},
    [V3_S] = {"S", VALUES("U", "C"), true},
    [V3_C] = {"C", VALUES("H", "L", "N"), true},
    [V3_I] = {"I", VALUES("H", "L", "N"), true},
    [V3_A] = {"A", VALUES("H", "L", "N"), true},
    {"E", VALUES("X", "U", "P", "F", "H"), false},
    {"RL", VALUES("X", "O", "T", "W", "U"), false},
    {"RC", VALUES("X", "U", "R", "C"), false},
    {"CR", VALUES("X", "L", "M", "H"), false},
    {"IR", VALUES("X", "L", "M", "H"), false},
    {"AR", VALUES("X", "L", "M", "H"), false},
    {"MAV", VALUES("X", "N", "A", "L", "P"), false},
    {"MAC", VALUES("X", "L", "H"), false},
    {"MPR", VALUES("X", "N", "L", "H"), false},
    {"MUI", VALUES("X", "N", "R"), false},
    {"MS", VALUES("X", "U", "C"), false},
    {"MC", VALUES("X", "N", "L", "H"), false},
    {"MI", VALUES("X", "N", "L", "H"), false},
    {"MA", VALUES("X", "N", "L", "H"), false},
};

/* The v4.0 metrics (specification section 7, table 23), in the same fashion. */
enum { V4_AV, V4_AC, V4_AT, V4_PR, V4_UI, V4_VC, V4_VI, V4_VA, V4_SC, V4_SI, V4_SA, V4_COUNT = 32 };

static const struct cvss_metric v4_metrics[V4_COUNT] = {
    [V4_AV] = {"AV", VALUES("N", "A", "L", "P"), true},
    [V4_AC] = {"AC", VALUES("L", "H"), true},
    [V4_AT] = {"AT", VALUES("N", "P"), true},
    [V4_PR] = {"PR", VALUES("N", "L", "H"), true},
    [V4_UI] = {"UI", VALUES("N", "P", "A"), true},
    [V4_VC] = {"VC", VALUES("H", "L", "N"), true},
    [V4_VI] = {"VI", VALUES("H", "L", "N"), true},
    [V4_VA] = {"VA", VALUES("H", "L", "N"), true},
    [V4_SC] = {"SC", VALUES("H", "L", "N"), true},
    [V4_SI] = {"SI", VALUES("H", "L", "N"), true},
    [V4_SA] = {"SA", VALUES("H", "L", "N"), true},
    {"E", VALUES("X", "A", "P", "U"), false},
    {"CR", VALUES("X", "H", "M", "L"), false},
    {"IR", VALUES("X", "H", "M", "L"), false},
    {"AR", VALUES("X", "H", "M", "L"), false},
    {"MAV", VALUES("X", "N", "A", "L", "P"), false},
    {"MAC", VALUES("X", "L", "H"), false},
    {"MAT", VALUES("X", "N", "P"), false},
    {"MPR", VALUES("X", "N", "L", "H"), false},
    {"MUI", VALUES("X", "N", "P", "A"), false},
    {"MVC", VALUES("X", "H", "L", "N"), false},
    {"MVI", VALUES("X", "H", "L", "N"), false},
    {"MVA", VALUES("X", "H", "L", "N"), false},
    {"MSC", VALUES("X", "H", "L", "N"), false},
    {"MSI", VALUES("X", "S", "H", "L", "N"), false},
    {"MSA", VALUES("X", "S", "H", "L", "N"), false},
    {"S", VALUES("X", "N", "P"), false},
    {"AU", VALUES("X", "N", "Y"), false},
    {"R", VALUES("X", "A", "U", "I"), false},
    {"V", VALUES("X", "D", "C"), false},
    {"RE", VALUES("X", "L", "M", "H"), false},
    {"U", VALUES("X", "Clear", "Green", "Amber", "Red"), false},
};

#define METRICS_MAX V4_COUNT

struct cvss_version {
	const char *prefix;
	int version;
	const struct cvss_metric *metrics;
	size_t count;
	/* Returns the base score in tenths from the value index of every base metric. */
	int (*score_tenths)(const int *picked, int version);
};

static int v3_score_tenths(const int *picked, int version);
static int v4_score_tenths(const int *picked, int version);

static const struct cvss_version cvss_versions[] = {
    {"CVSS:3.0/", 30, v3_metrics, V3_COUNT, v3_score_tenths},
    {"CVSS:3.1/", 31, v3_metrics, V3_COUNT, v3_score_tenths},
    {"CVSS:4.0/", 40, v4_metrics, V4_COUNT, v4_score_tenths},
};

/* ---- CVSS v3.0 and v3.1 (specification section 7.1 and appendix A) ---- */

static const double v3_attack_vector[] = {0.85, 0.62, 0.55, 0.2};
static const double v3_attack_complexity[] = {0.77, 0.44};
static const double v3_privileges_unchanged[] = {0.85, 0.62, 0.27};
/* A changed scope makes low and high privileges worth more to the attacker. */
static const double v3_privileges_changed[] = {0.85, 0.68, 0.5};
static const double v3_user_interaction[] = {0.85, 0.62};
static const double v3_impact[] = {0.56, 0.22, 0.0};

/*
 * v3.1 Roundup (appendix A): going through an integer of hundred-thousandths
 * first makes every implementation agree despite floating point error, e.g.
 * 4.000000000000001 rounds up to 4.0, not 4.1.
 */
static int v31_roundup_tenths(double value)
{
	long long scaled = (long long)(value * 100000.0 + 0.5);
	if (scaled % 10000 == 0)
		return (int)(scaled / 10000);
	return (int)(scaled / 10000 + 1);
}

/*
 * v3.0 defines round up as "the smallest number, specified to one decimal
 * place, that is equal to or higher than its input", which is exact
 * arithmetic. Every weight has two decimals, so an unchanged-scope sum is an
 * exact multiple of 1e-10: snapping to that grid undoes the floating point
 * error before the ceiling, where a plain ceil(x * 10) could turn a 4.0
 * computed as 4.000000000000001 into 4.1.
 */
static int v30_roundup_tenths(double value)
{
	long long grid = (long long)(value * 1e10 + 0.5);
	long long tenth = 1000000000LL;
	return (int)((grid + tenth - 1) / tenth);
}

static int v3_score_tenths(const int *picked, int version)
{
	bool changed = picked[V3_S] == 1;
	double c = v3_impact[picked[V3_C]];
	double i = v3_impact[picked[V3_I]];
	double a = v3_impact[picked[V3_A]];
	double iss = 1.0 - (1.0 - c) * (1.0 - i) * (1.0 - a);
	double impact;
	if (changed) {
		double power = 1.0;
		for (int k = 0; k < 15; k++)
			power *= iss - 0.02;
		impact = 7.52 * (iss - 0.029) - 3.25 * power;
	} else {
		impact = 6.42 * iss;
	}
	const double *privileges = changed ? v3_privileges_changed : v3_privileges_unchanged;
	double exploitability = 8.22 * v3_attack_vector[picked[V3_AV]] * v3_attack_complexity[picked[V3_AC]] *
				privileges[picked[V3_PR]] * v3_user_interaction[picked[V3_UI]];
	if (impact <= 0.0)
		return 0;
	double sum = changed ? 1.08 * (impact + exploitability) : impact + exploitability;
	if (sum > 10.0)
		sum = 10.0;
	return version == 30 ? v30_roundup_tenths(sum) : v31_roundup_tenths(sum);
}

/* ---- CVSS v4.0 (specification section 8) ---- */

/*
 * The score of every macrovector in tenths, the normative lookup table of the
 * specification. Row ((EQ1 * 2 + EQ2) * 3 + EQ3) * 3 + EQ4 holds six columns,
 * EQ5 0..2 times EQ6 0..1. 0 marks the combinations that do not exist (EQ3 2
 * implies EQ6 1: without a high impact no high requirement can apply); every
 * real macrovector scores at least 0.1.
 */
/* clang-format off */
static const unsigned char v4_macro_tenths[54][6] = {
	/* EQ5 0      EQ5 1      EQ5 2         EQ1..EQ4 */
	/* EQ6 0, 1   EQ6 0, 1   EQ6 0, 1 */
	{ 100,  99,  98,  95,  95,  92 }, /* 0 0 0 0 */
	{ 100,  96,  93,  87,  91,  81 }, /* 0 0 0 1 */
	{  93,  90,  89,  80,  81,  68 }, /* 0 0 0 2 */
	{  98,  95,  95,  92,  90,  84 }, /* 0 0 1 0 */
	{  93,  92,  89,  81,  81,  65 }, /* 0 0 1 1 */
	{  88,  80,  78,  70,  69,  48 }, /* 0 0 1 2 */
	{   0,  92,   0,  82,   0,  72 }, /* 0 0 2 0 */
	{   0,  79,   0,  69,   0,  50 }, /* 0 0 2 1 */
	{   0,  69,   0,  55,   0,  27 }, /* 0 0 2 2 */
	{  99,  97,  95,  92,  92,  85 }, /* 0 1 0 0 */
	{  95,  91,  90,  83,  84,  71 }, /* 0 1 0 1 */
	{  92,  81,  82,  71,  72,  53 }, /* 0 1 0 2 */
	{  95,  93,  92,  85,  85,  73 }, /* 0 1 1 0 */
	{  92,  82,  80,  72,  70,  59 }, /* 0 1 1 1 */
	{  84,  70,  71,  52,  50,  30 }, /* 0 1 1 2 */
	{   0,  86,   0,  75,   0,  52 }, /* 0 1 2 0 */
	{   0,  71,   0,  52,   0,  29 }, /* 0 1 2 1 */
	{   0,  63,   0,  29,   0,  17 }, /* 0 1 2 2 */
	{  98,  95,  94,  87,  91,  81 }, /* 1 0 0 0 */
	{  94,  89,  86,  74,  77,  64 }, /* 1 0 0 1 */
	{  87,  75,  74,  63,  63,  49 }, /* 1 0 0 2 */
	{  94,  89,  88,  77,  76,  67 }, /* 1 0 1 0 */
	{  86,  76,  74,  58,  59,  50 }, /* 1 0 1 1 */
	{  72,  57,  57,  52,  52,  25 }, /* 1 0 1 2 */
	{   0,  83,   0,  70,   0,  54 }, /* 1 0 2 0 */
	{   0,  65,   0,  58,   0,  26 }, /* 1 0 2 1 */
	{   0,  53,   0,  21,   0,  13 }, /* 1 0 2 2 */
	{  95,  90,  88,  76,  76,  70 }, /* 1 1 0 0 */
	{  90,  77,  75,  62,  61,  53 }, /* 1 1 0 1 */
	{  77,  66,  68,  59,  52,  30 }, /* 1 1 0 2 */
	{  89,  78,  76,  67,  62,  58 }, /* 1 1 1 0 */
	{  74,  59,  57,  57,  47,  23 }, /* 1 1 1 1 */
	{  61,  52,  57,  29,  24,  16 }, /* 1 1 1 2 */
	{   0,  71,   0,  59,   0,  30 }, /* 1 1 2 0 */
	{   0,  58,   0,  26,   0,  15 }, /* 1 1 2 1 */
	{   0,  23,   0,  13,   0,   6 }, /* 1 1 2 2 */
	{  93,  87,  86,  72,  75,  58 }, /* 2 0 0 0 */
	{  86,  74,  74,  61,  56,  34 }, /* 2 0 0 1 */
	{  70,  54,  52,  40,  40,  22 }, /* 2 0 0 2 */
	{  85,  75,  74,  55,  62,  51 }, /* 2 0 1 0 */
	{  72,  57,  55,  41,  46,  19 }, /* 2 0 1 1 */
	{  53,  36,  34,  19,  19,   8 }, /* 2 0 1 2 */
	{   0,  64,   0,  51,   0,  20 }, /* 2 0 2 0 */
	{   0,  47,   0,  21,   0,  11 }, /* 2 0 2 1 */
	{   0,  24,   0,   9,   0,   4 }, /* 2 0 2 2 */
	{  88,  75,  73,  53,  60,  50 }, /* 2 1 0 0 */
	{  73,  55,  59,  40,  41,  20 }, /* 2 1 0 1 */
	{  54,  43,  45,  22,  20,  11 }, /* 2 1 0 2 */
	{  75,  55,  58,  45,  40,  21 }, /* 2 1 1 0 */
	{  61,  51,  48,  18,  20,   9 }, /* 2 1 1 1 */
	{  46,  18,  17,   7,   8,   2 }, /* 2 1 1 2 */
	{   0,  53,   0,  24,   0,  14 }, /* 2 1 2 0 */
	{   0,  24,   0,  12,   0,   5 }, /* 2 1 2 1 */
	{   0,  10,   0,   3,   0,   1 }, /* 2 1 2 2 */
};
/* clang-format on */

struct macrovector {
	int eq[6]; /* EQ1 to EQ6, 0 the most severe */
};

/* The macrovector's score in tenths, or -1 when it does not exist (out of range or absent). */
static int macro_tenths(const struct macrovector *mv)
{
	static const int eq_levels[6] = {3, 2, 3, 3, 3, 2};
	for (int k = 0; k < 6; k++)
		if (mv->eq[k] < 0 || mv->eq[k] >= eq_levels[k])
			return -1;
	int row = ((mv->eq[0] * 2 + mv->eq[1]) * 3 + mv->eq[2]) * 3 + mv->eq[3];
	int tenths = v4_macro_tenths[row][mv->eq[4] * 2 + mv->eq[5]];
	return tenths ? tenths : -1;
}

/*
 * Metric values as letters, the way the specification's equivalence sets are
 * written. The CVSS-B score takes threat and environmental metrics at their
 * defaults: E as Attacked, CR/IR/AR as High, no modified base metric.
 */
struct v4_values {
	char av, ac, at, pr, ui, vc, vi, va, sc, si, sa, e, cr, ir, ar;
};

static struct macrovector v4_macrovector(const struct v4_values *v)
{
	struct macrovector mv;
	if (v->av == 'N' && v->pr == 'N' && v->ui == 'N')
		mv.eq[0] = 0;
	else if ((v->av == 'N' || v->pr == 'N' || v->ui == 'N') && v->av != 'P')
		mv.eq[0] = 1;
	else
		mv.eq[0] = 2;
	mv.eq[1] = v->ac == 'L' && v->at == 'N' ? 0 : 1;
	if (v->vc == 'H' && v->vi == 'H')
		mv.eq[2] = 0;
	else if (v->vc == 'H' || v->vi == 'H' || v->va == 'H')
		mv.eq[2] = 1;
	else
		mv.eq[2] = 2;
	/* EQ4 level 0 needs a modified SI or SA of Safety, which CVSS-B never has. */
	if (v->si == 'S' || v->sa == 'S')
		mv.eq[3] = 0;
	else if (v->sc == 'H' || v->si == 'H' || v->sa == 'H')
		mv.eq[3] = 1;
	else
		mv.eq[3] = 2;
	mv.eq[4] = v->e == 'A' ? 0 : v->e == 'P' ? 1 : 2;
	bool required_high = (v->cr == 'H' && v->vc == 'H') || (v->ir == 'H' && v->vi == 'H') ||
			     (v->ar == 'H' && v->va == 'H');
	mv.eq[5] = required_high ? 0 : 1;
	return mv;
}

/* Severity levels in tenths: how far a value is below the most severe one. */
static int level_av(char c)
{
	return c == 'N' ? 0 : c == 'A' ? 1 : c == 'L' ? 2 : 3;
}
static int level_pr(char c)
{
	return c == 'N' ? 0 : c == 'L' ? 1 : 2;
}
static int level_ui(char c)
{
	return c == 'N' ? 0 : c == 'P' ? 1 : 2;
}
static int level_ac(char c)
{
	return c == 'L' ? 0 : 1;
}
static int level_at(char c)
{
	return c == 'N' ? 0 : 1;
}
static int level_vuln(char c)
{
	return c == 'H' ? 0 : c == 'L' ? 1 : 2;
}
/* Subsequent-system impacts start one step down, leaving level 0 to Safety. */
static int level_sub(char c)
{
	return c == 'S' ? 0 : c == 'H' ? 1 : c == 'L' ? 2 : 3;
}
static int level_req(char c)
{
	return c == 'H' ? 0 : c == 'M' ? 1 : 2;
}

/*
 * The highest-severity vectors of each macrovector, per EQ (specification
 * section 8.2), written as the values of the metrics the EQ covers. The
 * score interpolates from the first of their combinations that is at least
 * as severe as the scored vector in every metric.
 */
static const char *const v4_max_eq1[3][3] = {
    {"NNN"}, /* AV PR UI */
    {"ANN", "NLN", "NNP"},
    {"PNN", "ALP"},
};
static const char *const v4_max_eq2[2][2] = {
    {"LN"}, /* AC AT */
    {"HN", "LP"},
};
static const char *const v4_max_eq3eq6[3][2][5] = {
    /* VC VI VA CR IR AR */
    {{"HHHHHH"}, {"HHLMMH", "HHHMMM"}},
    {{"LHHHHH", "HLHHHH"}, {"LHLHMH", "LHHHMM", "HLHMHM", "HLLMHH", "LLHHHM"}},
    {{NULL}, {"LLLHHH"}},
};
static const char *const v4_max_eq4[3] = {"HSS", "HHH", "LLL"}; /* SC SI SA */

/* The depth of each macrovector in severity steps, plus one (section 8.2). */
static const int v4_depth_eq1[3] = {1, 4, 5};
static const int v4_depth_eq2[2] = {1, 2};
static const int v4_depth_eq3eq6[3][2] = {{7, 6}, {8, 8}, {0, 10}};
static const int v4_depth_eq4[3] = {6, 5, 4};

/* The severity distances of v from a highest vector, summed per EQ, in tenths. */
struct v4_distance {
	int eq1, eq2, eq3eq6, eq4;
	bool negative; /* v is more severe than this highest vector in some metric */
};

static void add_distance(struct v4_distance *d, int *sum, int distance)
{
	*sum += distance;
	if (distance < 0)
		d->negative = true;
}

static struct v4_distance v4_distance(const struct v4_values *v, const char *eq1, const char *eq2,
				      const char *eq3eq6, const char *eq4)
{
	struct v4_distance d = {0};
	add_distance(&d, &d.eq1, level_av(v->av) - level_av(eq1[0]));
	add_distance(&d, &d.eq1, level_pr(v->pr) - level_pr(eq1[1]));
	add_distance(&d, &d.eq1, level_ui(v->ui) - level_ui(eq1[2]));
	add_distance(&d, &d.eq2, level_ac(v->ac) - level_ac(eq2[0]));
	add_distance(&d, &d.eq2, level_at(v->at) - level_at(eq2[1]));
	add_distance(&d, &d.eq3eq6, level_vuln(v->vc) - level_vuln(eq3eq6[0]));
	add_distance(&d, &d.eq3eq6, level_vuln(v->vi) - level_vuln(eq3eq6[1]));
	add_distance(&d, &d.eq3eq6, level_vuln(v->va) - level_vuln(eq3eq6[2]));
	add_distance(&d, &d.eq3eq6, level_req(v->cr) - level_req(eq3eq6[3]));
	add_distance(&d, &d.eq3eq6, level_req(v->ir) - level_req(eq3eq6[4]));
	add_distance(&d, &d.eq3eq6, level_req(v->ar) - level_req(eq3eq6[5]));
	add_distance(&d, &d.eq4, level_sub(v->sc) - level_sub(eq4[0]));
	add_distance(&d, &d.eq4, level_sub(v->si) - level_sub(eq4[1]));
	add_distance(&d, &d.eq4, level_sub(v->sa) - level_sub(eq4[2]));
	return d;
}

static struct v4_distance v4_find_distance(const struct v4_values *v, const struct macrovector *mv)
{
	const char *const *eq1 = v4_max_eq1[mv->eq[0]];
	const char *const *eq2 = v4_max_eq2[mv->eq[1]];
	const char *const *eq3eq6 = v4_max_eq3eq6[mv->eq[2]][mv->eq[5]];
	const char *eq4 = v4_max_eq4[mv->eq[3]];
	struct v4_distance d = {0};
	/* EQ5's highest vector is E itself, so its distance is always 0. */
	for (size_t a = 0; a < 3 && eq1[a]; a++)
		for (size_t b = 0; b < 2 && eq2[b]; b++)
			for (size_t c = 0; c < 5 && eq3eq6[c]; c++) {
				d = v4_distance(v, eq1[a], eq2[b], eq3eq6[c], eq4);
				if (!d.negative)
					return d;
			}
	/* Not reached, as the highest vectors cover their macrovector; the calculator keeps the last. */
	return d;
}

/*
 * One EQ's share of the interpolation (section 8.2, steps 1a to 1d): the
 * score drop to the next lower macrovector times the fraction of the
 * macrovector's depth the vector lies below its highest vector. Kept as a
 * fraction over 840, the least common multiple of the depths, so the final
 * rounding sees exact values rather than floating point noise.
 */
struct v4_mean {
	long numerator; /* sum of shares, in tenths times 840 */
	int terms;	/* EQs that have a lower macrovector */
};

static void v4_add_share(struct v4_mean *mean, int tenths, int lower_tenths, int distance, int depth)
{
	if (lower_tenths < 0)
		return;
	mean->terms++;
	if (depth > 0)
		mean->numerator += (long)(tenths - lower_tenths) * distance * (840 / depth);
}

static int v4_score_values(const struct v4_values *v)
{
	if (v->vc == 'N' && v->vi == 'N' && v->va == 'N' && v->sc == 'N' && v->si == 'N' && v->sa == 'N')
		return 0;

	struct macrovector mv = v4_macrovector(v);
	int tenths = macro_tenths(&mv);
	if (tenths < 0)
		return 0; /* unreachable: the sets above always name a real macrovector */
	int eq1 = mv.eq[0], eq2 = mv.eq[1], eq3 = mv.eq[2], eq4 = mv.eq[3], eq6 = mv.eq[5];
	struct v4_distance d = v4_find_distance(v, &mv);
	struct v4_mean mean = {0, 0};
	struct macrovector lower;

	lower = mv;
	lower.eq[0]++;
	v4_add_share(&mean, tenths, macro_tenths(&lower), d.eq1, v4_depth_eq1[eq1]);

	lower = mv;
	lower.eq[1]++;
	v4_add_share(&mean, tenths, macro_tenths(&lower), d.eq2, v4_depth_eq2[eq2]);

	/* EQ3 and EQ6 move together: from 00 either to 01 or to 10, whichever scores higher. */
	int lower_eq3eq6;
	if (eq3 == 0 && eq6 == 0) {
		struct macrovector left = mv, right = mv;
		left.eq[5]++;
		right.eq[2]++;
		int left_tenths = macro_tenths(&left), right_tenths = macro_tenths(&right);
		lower_eq3eq6 = left_tenths > right_tenths ? left_tenths : right_tenths;
	} else {
		lower = mv;
		if (eq3 == 1 && eq6 == 0) {
			lower.eq[5]++;
		} else if (eq6 == 1 && eq3 < 2) {
			lower.eq[2]++;
		} else {
			lower.eq[2]++;
			lower.eq[5]++;
		}
		lower_eq3eq6 = macro_tenths(&lower);
	}
	v4_add_share(&mean, tenths, lower_eq3eq6, d.eq3eq6, v4_depth_eq3eq6[eq3][eq6]);

	lower = mv;
	lower.eq[3]++;
	v4_add_share(&mean, tenths, macro_tenths(&lower), d.eq4, v4_depth_eq4[eq4]);

	/* EQ5 counts in the mean but its distance is always 0. */
	lower = mv;
	lower.eq[4]++;
	v4_add_share(&mean, tenths, macro_tenths(&lower), 0, 1);

	if (mean.terms == 0)
		return tenths;
	/* score = tenths - numerator / (840 * terms), rounded half up, in tenths */
	long denominator = 840L * mean.terms;
	long exact = (long)tenths * denominator - mean.numerator;
	if (exact <= 0)
		return 0;
	long rounded = (2 * exact + denominator) / (2 * denominator);
	return rounded > 100 ? 100 : (int)rounded;
}

static int v4_score_tenths(const int *picked, int version)
{
	const char *m[V4_SA + 1];
	for (int k = 0; k <= V4_SA; k++)
		m[k] = v4_metrics[k].values[picked[k]];
	struct v4_values v = {
	    .av = m[V4_AV][0],
	    .ac = m[V4_AC][0],
	    .at = m[V4_AT][0],
	    .pr = m[V4_PR][0],
	    .ui = m[V4_UI][0],
	    .vc = m[V4_VC][0],
	    .vi = m[V4_VI][0],
	    .va = m[V4_VA][0],
	    .sc = m[V4_SC][0],
	    .si = m[V4_SI][0],
	    .sa = m[V4_SA][0],
	    .e = 'A',
	    .cr = 'H',
	    .ir = 'H',
	    .ar = 'H',
	};
	return v4_score_values(&v);
}

/* ---- Parsing ---- */

/* Quote at most CVSS_QUOTE_MAX bytes of an untrusted vector, printable ASCII only. */
static void quote_vector(char *out, size_t size, const char *vector)
{
	size_t n = 0, i = 0;
	for (; vector[i] && i < CVSS_QUOTE_MAX && n + 5 < size; i++) {
		unsigned char c = (unsigned char)vector[i];
		if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
			out[n++] = (char)c;
		} else {
			int w = snprintf(out + n, size - n, "\\x%02x", c);
			if (w < 0)
				break;
			n += (size_t)w;
		}
	}
	if (vector[i] && n + 4 < size) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n < size ? n : size - 1] = '\0';
}

static int vector_error(struct strbuf *err, const char *vector, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int vector_error(struct strbuf *err, const char *vector, const char *fmt, ...)
{
	char quoted[CVSS_QUOTE_MAX * 4 + 8];
	char reason[128];
	va_list ap;
	quote_vector(quoted, sizeof(quoted), vector);
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return error_code(err, ERR_BAD_INPUT, "invalid cvss vector '%s': %s", quoted, reason);
}

/* Copy a metric name or value out of the vector for a message, cut and cleaned. */
static void quote_part(char *out, size_t size, const char *start, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len && n + 1 < size; i++) {
		unsigned char c = (unsigned char)start[i];
		out[n++] = c >= 0x20 && c < 0x7f && c != '\'' ? (char)c : '?';
	}
	if (len >= size && n >= 3)
		memcpy(out + n - 3, "...", 3);
	out[n] = '\0';
}

static int find_value(const struct cvss_metric *metric, const char *value, size_t len)
{
	for (int k = 0; metric->values[k]; k++)
		if (strlen(metric->values[k]) == len && memcmp(metric->values[k], value, len) == 0)
			return k;
	return -1;
}

int cvss_base_score(const char *vector, struct cvss *out, struct strbuf *err)
{
	if (!vector)
		return error_code(err, ERR_BAD_INPUT, "invalid cvss vector: none given");
	size_t len = strnlen(vector, CVSS_VECTOR_MAX + 1);
	if (len > CVSS_VECTOR_MAX)
		return vector_error(err, vector, "longer than %d bytes", CVSS_VECTOR_MAX);

	const struct cvss_version *version = NULL;
	for (size_t k = 0; k < sizeof(cvss_versions) / sizeof(cvss_versions[0]); k++) {
		size_t plen = strlen(cvss_versions[k].prefix);
		if (len >= plen && memcmp(vector, cvss_versions[k].prefix, plen) == 0)
			version = &cvss_versions[k];
	}
	if (!version)
		return vector_error(err, vector, "expected a CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/ prefix");

	int picked[METRICS_MAX];
	for (size_t k = 0; k < METRICS_MAX; k++)
		picked[k] = -1;

	const char *p = vector + strlen(version->prefix);
	const char *end = vector + len;
	if (p == end)
		return vector_error(err, vector, "no metrics after the prefix");
	for (;;) {
		const char *slash = memchr(p, '/', (size_t)(end - p));
		const char *part_end = slash ? slash : end;
		const char *colon = memchr(p, ':', (size_t)(part_end - p));
		char name[16], value[16];
		if (part_end == p)
			return vector_error(err, vector, "empty metric");
		size_t name_len = (size_t)((colon ? colon : part_end) - p);
		quote_part(name, sizeof(name), p, name_len);
		if (!colon)
			return vector_error(err, vector, "metric '%s' has no value", name);
		size_t value_len = (size_t)(part_end - colon - 1);
		quote_part(value, sizeof(value), colon + 1, value_len);

		size_t m = 0;
		while (m < version->count && !(strlen(version->metrics[m].name) == name_len &&
					       memcmp(version->metrics[m].name, p, name_len) == 0))
			m++;
		if (m == version->count)
			return vector_error(err, vector, "unknown metric '%s'", name);
		if (picked[m] >= 0)
			return vector_error(err, vector, "metric '%s' repeated", name);
		picked[m] = find_value(&version->metrics[m], colon + 1, value_len);
		if (picked[m] < 0)
			return vector_error(err, vector, "unknown value '%s' for metric '%s'", value, name);
		if (!slash)
			break;
		p = slash + 1;
	}

	for (size_t m = 0; m < version->count; m++)
		if (version->metrics[m].base && picked[m] < 0)
			return vector_error(err, vector, "base metric '%s' missing",
					    version->metrics[m].name);

	out->version = version->version;
	out->score = version->score_tenths(picked, version->version) / 10.0;
	return 0;
}
