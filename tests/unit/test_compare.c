/* compare.c across timing kinds: between a native and an emulated run no time
 * column (groups time, call, storm, check) gets a difference, the static ones
 * still do, and the Markdown says why in one note line. Between two native
 * runs the same time columns are compared, so the test can tell. Runs on
 * copies of the fixture run directory (tests/fixtures/run-example). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/schema.h"
#include "cli/methods.h"
#include "methods/method.h"
#include "report/report.h"
#include "unit_helpers.h"

struct dirs {
	char root[64], a[128], b[128], out[160];
};

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
		 "cp -a '%s' '%s' && cp -a '%s' '%s' && grep -q '^timing=native$' '%s/run.env' && "
		 "sed -i 's/^timing=.*/timing=%s/' '%s/run.env'",
		 fix, d->a, fix, d->b, d->b, timing, d->b);
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

static int is_time_group(enum metric_group g)
{
	return g == MG_TIME || g == MG_CALL || g == MG_STORM || g == MG_CHECK;
}

static const struct result_file *file_named(const char *name)
{
	const struct result_file *files[64];
	size_t n = method_files(&all_methods, files, 64);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(files[i]->name, name))
			return files[i];
	return NULL;
}

struct tally {
	int time_na, time_diffed, static_diffed;
};

/* compare --format csv: file,key,metric,a,b,diff,pct; count, over the rows
 * with a value on both sides, time columns with diff N/A or a number, and
 * static columns with a number. */
static struct tally compare_csv(const struct dirs *d)
{
	struct compare_opts co = {.csv = true, .out = d->out};
	struct tally t = {0};
	char *text, *line, *save = NULL;

	assert_int_equal(compare_dirs(d->a, d->b, &all_methods, &co), 0);
	text = slurp(d->out);
	assert_non_null(text);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[8] = {0}, *p = line;
		int n = 0;

		if (strchr(line, '"'))
			continue; /* no quoted cell in the fixture's numeric rows */
		while (n < 8 && (f[n++] = strsep(&p, ",")))
			;
		if (n < 7 || !f[6] || !strcmp(f[0], "file"))
			continue;
		const struct result_file *rf = file_named(f[0]);
		const struct column *c = rf ? rf_col(rf, f[2]) : NULL;

		if (!c || !*f[3] || !*f[4] || !strcmp(f[3], "N/A") || !strcmp(f[4], "N/A") ||
		    !strcmp(f[2], "status"))
			continue;
		if (is_time_group(c->group)) {
			if (!strcmp(f[5], "N/A"))
				t.time_na++;
			else
				t.time_diffed++;
		} else if (strcmp(f[5], "N/A")) {
			t.static_diffed++;
		}
	}
	free(text);
	return t;
}

static void test_native_vs_native_compares_times(void **state)
{
	struct dirs *d = *state;
	struct tally t;

	make_runs(d, "native");
	t = compare_csv(d);
	assert_true(t.time_diffed > 0);
	assert_int_equal(t.time_na, 0);
	assert_true(t.static_diffed > 0);
}

static void test_emulated_vs_native_never_compares_times(void **state)
{
	struct dirs *d = *state;
	struct tally t;

	make_runs(d, "emulated");
	t = compare_csv(d);
	assert_int_equal(t.time_diffed, 0);
	assert_true(t.time_na > 0);
	assert_true(t.static_diffed > 0); /* sizes and verifier work still compare */
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
		cmocka_unit_test_setup_teardown(test_native_vs_native_compares_times, zero_dirs,
						remove_runs),
		cmocka_unit_test_setup_teardown(test_emulated_vs_native_never_compares_times,
						zero_dirs, remove_runs),
		cmocka_unit_test_setup_teardown(test_markdown_says_why_once, zero_dirs, remove_runs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
