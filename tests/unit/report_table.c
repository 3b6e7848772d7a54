/* Unit tests for fitting the table writer's columns to a terminal's width. */
#include "report/writer.h"
#include "test.h"

static const char *const titles[] = { "SEVERITY", "ID", "PACKAGE", "TITLE" };
#define CUT_PACKAGE_AND_TITLE (1u << 2 | 1u << 3)

TEST(report_table_fit_no_limit_keeps_widths)
{
	size_t widths[] = { 8, 14, 11, 60 };

	CHECK_INT(table_fit_columns(widths, titles, 4, CUT_PACKAGE_AND_TITLE, 0), 99);
	CHECK_INT(widths[3], 60);
	CHECK_INT(table_fit_columns(widths, titles, 4, CUT_PACKAGE_AND_TITLE, 200), 99);
	CHECK_INT(widths[2], 11);
	CHECK_INT(widths[3], 60);
}

TEST(report_table_fit_cuts_the_widest_column_first)
{
	size_t widths[] = { 8, 14, 11, 60 };

	CHECK_INT(table_fit_columns(widths, titles, 4, CUT_PACKAGE_AND_TITLE, 80), 80);
	CHECK_INT(widths[0], 8);
	CHECK_INT(widths[1], 14);
	CHECK_INT(widths[2], 11);
	CHECK_INT(widths[3], 41);
	/* Once the title is as narrow as the package, both give way in turn. */
	CHECK_INT(table_fit_columns(widths, titles, 4, CUT_PACKAGE_AND_TITLE, 50), 50);
	CHECK_INT(widths[2] + widths[3], 22);
	CHECK_INT(widths[2] >= widths[3] ? widths[2] - widths[3] : widths[3] - widths[2], 0);
}

TEST(report_table_fit_never_cuts_the_fixed_columns)
{
	size_t widths[] = { 8, 19, 11, 60 };

	/* Down to the titles' widths, then the line wraps rather than lose an ID. */
	CHECK_INT(table_fit_columns(widths, titles, 4, CUT_PACKAGE_AND_TITLE, 20), 8 + 19 + 7 + 5 + 6);
	CHECK_INT(widths[0], 8);
	CHECK_INT(widths[1], 19);
	CHECK_INT(widths[2], 7);
	CHECK_INT(widths[3], 5);
	/* Nothing to cut: the widths stay as they are. */
	widths[3] = 60;
	CHECK_INT(table_fit_columns(widths, titles, 4, 0, 20), 8 + 19 + 7 + 60 + 6);
	CHECK_INT(widths[3], 60);
}

TEST(report_table_fit_keeps_a_character_before_the_mark)
{
	static const char *const short_titles[] = { "ID", "X" };
	size_t widths[] = { 10, 30 };

	CHECK_INT(table_fit_columns(widths, short_titles, 2, 1u << 1, 1), 10 + 4 + 2);
	CHECK_INT(widths[1], 4);
}
