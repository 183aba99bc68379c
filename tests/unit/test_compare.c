/* compare.c across timing kinds. Between a native and an emulated run the
 * columns whose unit is a time or a rate over time get no difference (N/A),
 * whatever their group: verify_usec (verifier, us), sweep's load_ms (ms),
 * ns_per_event, conn_per_s, hyperfine's median_s, and a column this version
 * does not know. Counts and sizes, even in a time group, still compare:
 * jited_bytes, verified_insns, overhead's rounds and events. Between two
 * native runs every one of them is compared, so the test can tell. The
 * columns are named here, not re-derived from a rule. Runs on copies of the
 * fixture run directory (tests/fixtures/run-example). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/csv.h"
#include "base/schema.h"
#include "cli/methods.h"
#include "methods/method.h"
#include "report/report.h"
#include "unit_helpers.h"

struct dirs {
	char root[64], a[128], b[128], out[160];
};

/* A column of the fixture's sizes.csv that no table knows (a newer schema),
 * added to both copies: numeric everywhere, so compare shows it. */
#define UNKNOWN_COL "future_usec"

/* The fixture twice, B with run.env's timing set to TIMING. */
static void make_runs(struct dirs *d, const char *timing)
{
	char fix[1024], cmd[4096];

	snprintf(d->root, sizeof(d->root), "/tmp/bpf2bpf-compare.XXXXXX");
	assert_non_null(mkdtemp(d->root));
	snprintf(d->a, sizeof(d->a), "%s/a", d->root);
	snprintf(d->b, sizeof(d->b), "%s/b", d->root);
	snprintf(d->out, sizeof(d->out), "%s/out", d->root);
	fixture_path(fix, sizeof(fix), "run-example");
	snprintf(cmd, sizeof(cmd),
		 "cp -a '%s' '%s' && grep -q '^timing=native$' '%s/run.env' && "
		 "sed -i '1s/$/," UNKNOWN_COL "/; 2,$s/$/,7/' '%s/sizes.csv' && "
		 "cp -a '%s' '%s' && sed -i 's/^timing=.*/timing=%s/' '%s/run.env'",
		 fix, d->a, d->a, d->a, d->a, d->b, timing, d->b);
	assert_int_equal(system(cmd), 0);
}

/* Teardown: runs even when a test's assertion failed, so no copy is left. */
static int remove_runs(void **state)
{
	struct dirs *d = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->root);
	return *d->root && system(cmd) ? -1 : 0;
}

static int zero_dirs(void **state)
{
	static struct dirs d;

	memset(&d, 0, sizeof(d));
	*state = &d;
	return 0;
}

/* compare --format csv (file,key,metric,a,b,diff,pct) of the two runs. */
static void compare_csv(const struct dirs *d, struct csv_table *t)
{
	struct compare_opts co = {.csv = true, .out = d->out};
	char err[256];

	assert_int_equal(compare_dirs(d->a, d->b, &all_methods, &co), 0);
	assert_int_equal(csv_read(d->out, t, err, sizeof(err)), 0);
}

struct seen {
	int na, diffed; /* rows with a value on both sides: diff N/A, diff a number */
};

/* How FILE's METRIC was compared over the rows that have it on both sides. */
static struct seen seen_of(const struct csv_table *t, const char *file, const char *metric)
{
	int cf = csv_col(t, "file"), cm = csv_col(t, "metric"), ca = csv_col(t, "a"),
	    cb = csv_col(t, "b"), cd = csv_col(t, "diff");
	struct seen s = {0};
	double v;

	for (size_t r = 0; r < t->nrows; r++) {
		if (strcmp(csv_get(t, r, cf), file) || strcmp(csv_get(t, r, cm), metric) ||
		    metric_parse(csv_get(t, r, ca), &v) || metric_parse(csv_get(t, r, cb), &v))
			continue;
		if (!strcmp(csv_get(t, r, cd), "N/A"))
			s.na++;
		else if (!metric_parse(csv_get(t, r, cd), &v))
			s.diffed++;
	}
	return s;
}

static const struct {
	const char *file, *metric;
	int timed; /* N/A across timing kinds */
} expect[] = {
	{"sizes.csv", "verify_usec", 1},    /* verifier group, but microseconds */
	{"sweep.csv", "load_ms", 1},	    /* verifier group, but milliseconds */
	{"overhead.csv", "ns_per_event", 1},
	{"overhead.csv", "conn_per_s", 1},  /* a rate over time */
	{"overhead.csv", "rate_vs_none_pct", 1},
	{"hyperfine.csv", "median_s", 1},
	{"calls.csv", "ns_per_call", 1},
	{"sizes.csv", UNKNOWN_COL, 1},	    /* unknown: may be a time */
	{"sizes.csv", "jited_bytes", 0},
	{"sizes.csv", "verified_insns", 0},
	{"sweep.csv", "verified_insns", 0},
	{"overhead.csv", "rounds", 0},	    /* a count in the time group */
	{"overhead.csv", "events", 0},
	{"hyperfine.csv", "runs", 0},
};

static void check_columns(struct dirs *d, const char *timing, int apart)
{
	struct csv_table t;

	make_runs(d, timing);
	compare_csv(d, &t);
	for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		struct seen s = seen_of(&t, expect[i].file, expect[i].metric);
		int na_wanted = apart && expect[i].timed;

		print_message("%s %s: %d N/A, %d compared\n", expect[i].file, expect[i].metric,
			      s.na, s.diffed);
		assert_true(s.na + s.diffed > 0); /* the fixture has it on both sides */
		assert_int_equal(s.na, na_wanted ? s.na + s.diffed : 0);
	}
	csv_free(&t);
}

static void test_native_vs_native_compares_every_column(void **state)
{
	check_columns(*state, "native", 0);
}

static void test_emulated_vs_native_never_compares_timed_columns(void **state)
{
	check_columns(*state, "emulated", 1);
}

/* Every percentage in the tables is a change of a rate (col_is_timed counts
 * "%" as timed for that reason): a size percentage would break the rule. */
static void test_every_percent_column_is_a_rate(void **state)
{
	const struct result_file *files[64];
	size_t n = method_files(&all_methods, files, 64);
	int percents = 0;

	(void)state;
	for (size_t i = 0; i < n; i++)
		for (int c = 0; c < files[i]->ncols; c++)
			if (!strcmp(files[i]->cols[c].unit, "%")) {
				assert_non_null(strstr(files[i]->cols[c].name, "rate"));
				percents++;
			}
	assert_true(percents > 0);
}

static void test_markdown_says_why_once(void **state)
{
	struct dirs *d = *state;
	struct compare_opts co = {0};
	char *text, *first;

	make_runs(d, "emulated");
	co.out = d->out;
	assert_int_equal(compare_dirs(d->a, d->b, &all_methods, &co), 0);
	text = slurp(d->out);
	assert_non_null(text);
	static const char why[] = "native timing is never compared with emulated";

	first = strstr(text, why);
	int twice = first && strstr(first + strlen(why), "never compared with");

	free(text);
	assert_non_null(first);
	assert_false(twice);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_native_vs_native_compares_every_column,
						zero_dirs, remove_runs),
		cmocka_unit_test_setup_teardown(test_emulated_vs_native_never_compares_timed_columns,
						zero_dirs, remove_runs),
		cmocka_unit_test(test_every_percent_column_is_a_rate),
		cmocka_unit_test_setup_teardown(test_markdown_says_why_once, zero_dirs, remove_runs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
