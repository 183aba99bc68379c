/* schema.c, mdtable.c and model.c: number formatting shared by report and
 * compare, table alignment, the column tables' completeness, and reading the
 * fixture run directory; sizes_section.c: skipped rows left out of the size
 * tables; calls_section.c: the statistics it names are the ones calls.csv
 * was computed with, and global's argument tag is said. (report.md's reproducibility and the error lines of bad run
 * directories: tests/integration/test_report.sh.) */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/calls_stats.h"
#include "base/mdtable.h"
#include "base/schema.h"
#include "cli/methods.h"
#include "methods/sizes.h"
#include "report/report.h"
#include "report/sections.h"
#include "report/model.h"
#include "unit_helpers.h"

static void test_diff_format(void **state)
{
	char buf[64], d[32], p[32];

	(void)state;
	metric_fmt_diff(21553, 20926, 0, buf, sizeof(buf));
	assert_string_equal(buf, "-627 (-2.91%)");
	metric_fmt_diff(1224, 1328, 0, buf, sizeof(buf));
	assert_string_equal(buf, "+104 (+8.50%)");
	metric_fmt_diff(7, 7, 0, buf, sizeof(buf));
	assert_string_equal(buf, "+0 (+0.00%)");
	metric_fmt_diff(0, 0, 0, buf, sizeof(buf));
	assert_string_equal(buf, "+0 (+0.00%)");
	metric_fmt_diff(0, 5, 0, buf, sizeof(buf)); /* no base to relate to */
	assert_string_equal(buf, "+5 (N/A)");
	metric_fmt_diff(-2.0, -1.0, 1, buf, sizeof(buf)); /* relative to |a| */
	assert_string_equal(buf, "+1.0 (+50.00%)");
	metric_diff_cells(10, 9.96, 1, d, p, sizeof(d));
	assert_string_equal(d, "+0.0"); /* rounds to no difference: no minus sign */
	assert_string_equal(p, "-0.40%");
}

static void test_num_format(void **state)
{
	char buf[32];
	double v;

	(void)state;
	metric_fmt_num(-0.04, 1, buf, sizeof(buf));
	assert_string_equal(buf, "0.0");
	metric_fmt_num(NAN, 1, buf, sizeof(buf));
	assert_string_equal(buf, "-");
	struct sizes_row row;
	rf_row_clear(&sizes_csv, &row);
	col_fmt(rf_col(&sizes_csv, "jited_bytes"), &row, buf, sizeof(buf));
	assert_string_equal(buf, "-");
	row.jited_bytes = 969;
	col_fmt(rf_col(&sizes_csv, "jited_bytes"), &row, buf, sizeof(buf));
	assert_string_equal(buf, "969");
	assert_int_equal(metric_parse("12x", &v), -1);
	assert_int_equal(metric_parse("", &v), -1);
	assert_int_equal(metric_parse("1.5e3", &v), 0);
	assert_true(v == 1500.0);
}

/* Every column of every file is documented, named once, and points inside
 * its row struct; every file has a key. */
static void test_schema_complete(void **state)
{
	const struct result_file *files[RUN_MAX_FILES];
	size_t n = method_files(&all_methods, files, RUN_MAX_FILES);

	(void)state;
	assert_true(n >= 4);
	for (size_t i = 0; i < n; i++) {
		const struct result_file *rf = files[i];
		int keys = 0;

		for (int c = 0; c < rf->ncols; c++) {
			const struct column *col = &rf->cols[c];

			if (!col->doc || !*col->doc)
				fail_msg("%s: column %s has no doc", rf->name, col->name);
			if (col->offset >= rf->row_size)
				fail_msg("%s: column %s points outside its row", rf->name, col->name);
			if (rf_col(rf, col->name) != col)
				fail_msg("%s: column %s is named twice", rf->name, col->name);
			keys += col->kind == MK_KEY;
		}
		if (!keys)
			fail_msg("%s has no key column", rf->name);
	}
	assert_int_equal(rf_col(&sizes_csv, "variant")->kind, MK_KEY);
	assert_null(rf_col(&sizes_csv, "no_such_column"));
	assert_int_equal(rf_col(&sizes_csv, "jited_bytes")->better, MB_LOWER);
}

static void test_md_table(void **state)
{
	static const char *const head[] = {"variant", ">bytes"};
	struct mdtable t;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	assert_int_equal(md_init(&t, 2, head), 0);
	md_cell(&t, "inline");
	md_cell(&t, "%d", 2064);
	md_cell(&t, "a|b");
	md_cell(&t, "1");
	assert_int_equal(md_rows(&t), 2);
	assert_int_equal(md_print(&t, f), 0);
	fclose(f);
	assert_string_equal(buf, "| variant | bytes |\n"
				 "| ------- | ----: |\n"
				 "| inline  |  2064 |\n"
				 "| a\\|b    |     1 |\n");
	free(buf);
	md_cell(&t, "half a row");
	assert_int_equal(md_print(&t, stderr), -1); /* refuses a short row */
	md_free(&t);
}

static void test_model_fixture(void **state)
{
	char path[512], err[512];
	struct run run;
	size_t n;

	(void)state;
	fixture_path(path, sizeof(path), "run-example");
	if (run_open(&run, path, &all_methods, true, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(run.schema_version, RUN_SCHEMA_VERSION);
	assert_non_null(run.env.kernel);
	assert_string_equal(run.env.attach, "tp_btf");
	const struct sizes_row *s = run_rows(&run, &sizes_csv, &n);
	assert_non_null(s);
	assert_true(n > 10);
	assert_string_equal(s[0].attach, "fentry");
	assert_true(run_has(&run, "verifier"));
	assert_false(run_has(&run, "no-such-file"));
	run_close(&run);

	assert_int_equal(run_open(&run, "/nonexistent/run", &all_methods, true, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no such directory"));
}

/* A run directory of two files in dir: run.env and sizes.csv. */
static int write_run(const char *dir, const char *env, const char *sizes)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/run.env", dir);
	if (write_file(path, env))
		return -1;
	snprintf(path, sizeof(path), "%s/sizes.csv", dir);
	return write_file(path, sizes);
}

static void test_model_schema_versions(void **state)
{
	char *dir = make_scratch_dir(), path[512], err[512];
	struct run run;

	(void)state;
	assert_non_null(dir);
	assert_int_equal(write_run(dir, "schema_version=7\nkernel=x\n",
				   "variant,attach,output,program,insn_cnt\nv,a,o,TOTAL,5\n"),
			 0);
	assert_int_equal(run_open(&run, dir, &all_methods, true, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "schema_version 7 is not supported"));
	/* Not strict (compare): any version, only the keys are required. */
	assert_int_equal(run_open(&run, dir, &all_methods, false, err, sizeof(err)), 0);
	assert_int_equal(run.schema_version, 7);
	run_close(&run);
	/* A number where a number belongs, even when not strict. */
	assert_int_equal(write_run(dir, "schema_version=7\n",
				   "variant,attach,output,program,insn_cnt\nv,a,o,TOTAL,5x\n"),
			 0);
	assert_int_equal(run_open(&run, dir, &all_methods, false, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "column insn_cnt: '5x' is not a number"));
	snprintf(path, sizeof(path), "%s/run.env", dir);
	assert_int_equal(write_file(path, "schema_version=2\nnot a pair\n"), 0);
	assert_int_equal(run_open(&run, dir, &all_methods, false, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "run.env:2: expected key=value"));
	rm_scratch_dir(dir);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* What one report section writes for r (free it), asserting it succeeded. */
static char *section_text(struct report *r, int (*section)(struct report *, FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(section(r, f), 0);
	fclose(f);
	return buf;
}

/* Skipped rows (the kernel refused the mode) are left out of the size
 * tables and named under each; a mode skipped for only some variants names
 * them; the failures section still lists every one. The edge cases the
 * fixture-based integration test cannot reach: a partial skip, and no status
 * column when every row shown is ok. */
static void test_sizes_skipped(void **state)
{
	static const char sizes[] =
		"kernel,variant,attach,program,elf_file_bytes,elf_code_bytes,elf_btf_bytes,insn_cnt,"
		"verified_insns,total_states,peak_states,verify_usec,stack_depth,xlated_bytes,"
		"jited_bytes,jited_funcs,memlock_bytes,status,reason,output,prog_id,verified_src,"
		"jited_func_lens,object\n"
		"k,a,tp_btf,TOTAL,100,10,50,5,5,1,1,1,8,40,30,1,4096,ok,,ringbuf,,info,,hooks\n"
		"k,a,kprobe,TOTAL,100,,50,,,,,,,,,,,skipped,kernel refused kprobe,ringbuf,,,,hooks\n"
		"k,a,fentry,TOTAL,100,,50,,,,,,,,,,,skipped,kernel refused fentry,ringbuf,,,,hooks\n"
		"k,b,tp_btf,TOTAL,100,12,50,6,6,1,1,1,8,48,36,1,4096,ok,,ringbuf,,info,,hooks\n"
		"k,b,kprobe,TOTAL,100,,50,,,,,,,,,,,skipped,kernel refused kprobe,ringbuf,,,,hooks\n"
		"k,b,fentry,TOTAL,100,12,50,6,6,1,1,1,8,48,36,1,4096,ok,,ringbuf,,info,,hooks\n";
	char *dir = make_scratch_dir(), err[512], *buf;
	struct run run;
	struct report r = {.run = &run, .methods = &all_methods, .attach = "tp_btf"};

	(void)state;
	assert_non_null(dir);
	assert_int_equal(write_run(dir, "schema_version=" RUN_SCHEMA_VERSION_STR "\nkernel=k\nattach=tp_btf\n", sizes), 0);
	if (run_open(&run, dir, &all_methods, true, err, sizeof(err)))
		fail_msg("%s", err);
	buf = section_text(&r, report_sizes);
	/* One line under each of the three tables, modes in sizes.csv order. */
	assert_int_equal(count(buf, "\nSkipped here: kprobe, fentry (a) "
				    "(see \"Skipped and failed\").\n"), 3);
	char *failures = strstr(buf, "## Skipped and failed");
	assert_non_null(failures);
	*failures = '\0'; /* the tables first */
	assert_null(strstr(buf, "| kprobe "));
	assert_int_equal(count(buf, "| b       | fentry |"), 3);
	assert_null(strstr(buf, "| status")); /* every row shown is ok */
	*failures = '#';
	/* The failures section still lists every skipped row. */
	assert_int_equal(count(buf, "| skipped | kernel refused "), 3);
	free(buf);
	run_close(&run);
	rm_scratch_dir(dir);
}

/* The time-per-call text states the interval level, trim and Holm level
 * calls_summary.c computed calls.csv with (calls_stats_defaults), not a
 * figure typed into the text, and says how global's socket argument is
 * tagged, and that Holm controls each family on its own. */
static void test_calls_section_states_its_statistics(void **state)
{
	char path[512], err[512], want[128], *buf;
	struct run run;
	struct report r = {.run = &run, .methods = &all_methods, .attach = "tp_btf"};
	struct calls_stats_opts o;

	(void)state;
	fixture_path(path, sizeof(path), "run-example");
	if (run_open(&run, path, &all_methods, true, err, sizeof(err)))
		fail_msg("%s", err);
	buf = section_text(&r, report_calls);
	calls_stats_defaults(&o);
	snprintf(want, sizeof(want), "%g%% t intervals of the %g%%-trimmed mean", 100.0 * o.level,
		 100.0 * o.trim);
	if (!strstr(buf, want))
		fail_msg("calls section lacks \"%s\"", want);
	snprintf(want, sizeof(want), "Holm-adjusted p < %g ", o.alpha);
	assert_non_null(strstr(buf, want));
	assert_non_null(strstr(buf, "`arg:untrusted`"));
	/* Holm is per family, and the findings draw on several */
	snprintf(want, sizeof(want), "Each family is controlled at %g%% on its own", 100.0 * o.alpha);
	assert_non_null(strstr(buf, want));
	assert_non_null(strstr(buf, "so a claim's level is per family"));
	free(buf);
	run_close(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diff_format),	cmocka_unit_test(test_num_format),
		cmocka_unit_test(test_schema_complete), cmocka_unit_test(test_md_table),
		cmocka_unit_test(test_model_fixture),	cmocka_unit_test(test_model_schema_versions),
		cmocka_unit_test(test_sizes_skipped),
		cmocka_unit_test(test_calls_section_states_its_statistics),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
