/* overhead_section.c on a run of synthetic rounds summarised by
 * overhead_summarize (so the files are what the method writes): the ranked
 * pair's finding says it holds for this run's loads, in one sentence; the
 * method text says each Holm family is controlled on its own; and from 3
 * rounds no table shows a bracket while 20 rounds do. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cli/methods.h"
#include "methods/overhead.h"
#include "report/model.h"
#include "report/report.h"
#include "report/sections.h"
#include "overhead_rounds.h"
#include "unit_helpers.h"

/* The bpf2bpf call is clearly slower than the inlined handler; the tail call
 * is within the jitter of the bpf2bpf call. */
static const struct spec cells[] = {
	{"empty", 100}, {"inline", 130}, {"noinline", 160}, {"tailcall", 160.1},
};

/* A run directory holding the summary of ROUNDS synthetic rounds. */
static char *make_run(int rounds)
{
	char *dir = make_scratch_dir(), path[512];
	struct overhead_summary s;
	size_t n;
	struct rounds_row *rows = make_rounds(cells, 4, rounds, &n);

	assert_non_null(dir);
	assert_non_null(rows);
	assert_int_equal(overhead_summarize(rows, n, "ok", &s), 0);
	snprintf(path, sizeof(path), "%s/run.env", dir);
	assert_int_equal(write_file(path, "schema_version=" RUN_SCHEMA_VERSION_STR
					  "\nkernel=k\nattach=tp_btf\ntiming=native\n"),
			 0);
	snprintf(path, sizeof(path), "%s/overhead.csv", dir);
	assert_int_equal(rf_write_file(&overhead_csv, path, s.rows, s.nrows), 0);
	snprintf(path, sizeof(path), "%s/overhead-pairs.csv", dir);
	assert_int_equal(rf_write_file(&pairs_csv, path, s.pairs, s.npairs), 0);
	overhead_summary_free(&s);
	free(rows);
	return dir;
}

struct texts {
	char *section, *findings;
};

static struct texts texts_of(const char *dir)
{
	struct run run;
	struct report r = {.run = &run, .methods = &all_methods, .attach = "tp_btf"};
	struct texts t = {0};
	size_t len;
	char err[512];
	FILE *f;

	if (run_open(&run, dir, &all_methods, true, err, sizeof(err)))
		fail_msg("%s", err);
	assert_non_null(f = open_memstream(&t.section, &len));
	assert_int_equal(report_overhead(&r, f), 0);
	fclose(f);
	struct findings fs = {.r = &r};

	assert_non_null(fs.f = open_memstream(&t.findings, &len));
	findings_overhead(&fs);
	fclose(fs.f);
	run_close(&run);
	return t;
}

static void free_texts(struct texts *t)
{
	free(t->section);
	free(t->findings);
}

/* The line of text that holds needle, as its own string (free it). */
static char *line_with(const char *text, const char *needle)
{
	const char *at = strstr(text, needle), *b, *e;

	if (!at)
		return NULL;
	for (b = at; b > text && b[-1] != '\n'; b--)
		;
	e = strchr(at, '\n');
	return strndup(b, e ? (size_t)(e - b) : strlen(b));
}

static void test_ranked_pair_holds_for_these_loads(void **state)
{
	char *dir = make_run(20);
	struct texts t = texts_of(dir);
	char *line = line_with(t.findings, "the bpf2bpf call is slower than the inlined handler");

	(void)state;
	if (!line)
		fail_msg("no ranked pair in the findings:\n%s", t.findings);
	else
		print_message("%s\n", line);
	assert_non_null(strstr(line, "for this run's loads (one load per cell: where the code "
				     "landed is part of it; the calls method answers the "
				     "mechanism)."));
	/* one sentence: a finding line, one full stop at its end */
	assert_true(line[0] == '-' && line[1] == ' ');
	assert_null(strstr(line, ". "));
	assert_int_equal(line[strlen(line) - 1], '.');
	/* the pair Holm does not separate is not ranked, nor qualified */
	char *nd = line_with(t.findings, "are not distinguishable here");

	assert_non_null(nd);
	assert_null(strstr(nd, "this run's loads"));
	free(nd);
	free(line);
	free_texts(&t);
	rm_scratch_dir(dir);
}

static void test_method_text_says_holm_is_per_family(void **state)
{
	char *dir = make_run(20);
	struct texts t = texts_of(dir);

	(void)state;
	assert_non_null(strstr(t.section, "Each family is controlled at 5% on its own and the findings draw on "
					  "several families"));
	assert_non_null(strstr(t.section, "a claim's level is per family"));
	free_texts(&t);
	rm_scratch_dir(dir);
}

/* 20 rounds: brackets in the time table; 3: "no interval (n=3)" and none. */
static void test_intervals_follow_the_rounds(void **state)
{
	char *dir = make_run(20);
	struct texts t = texts_of(dir);
	char *row = line_with(t.section, "| inline   | tp_btf | none   |");

	(void)state;
	assert_non_null(row);
	assert_non_null(strchr(row, '['));
	assert_null(strstr(row, "no interval"));
	free(row);
	free_texts(&t);
	rm_scratch_dir(dir);

	dir = make_run(3);
	t = texts_of(dir);
	row = line_with(t.section, "| inline   | tp_btf | none   |");
	assert_non_null(row);
	assert_null(strchr(row, '['));
	assert_non_null(strstr(row, "no interval (n=3)"));
	free(row);
	assert_non_null(strstr(t.findings, "3 rounds only: too few for a claim"));
	free_texts(&t);
	rm_scratch_dir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ranked_pair_holds_for_these_loads),
		cmocka_unit_test(test_method_text_says_holm_is_per_family),
		cmocka_unit_test(test_intervals_follow_the_rounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
