/* metrics.c, mdtable.c and rundir.c: number formatting shared by report and
 * compare, table alignment, the schema table's completeness, and reading the
 * fixture run directory; report_sizes.c: skipped rows left out of the size
 * tables. (report.md's reproducibility and the error lines of bad run
 * directories: tests/integration/test_report.sh.) */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/mdtable.h"
#include "base/metrics.h"
#include "report/report.h"
#include "report/rundir.h"
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
	metric_fmt(metric_find("overhead.csv", "ns_per_event"), "118.649", buf, sizeof(buf));
	assert_string_equal(buf, "118.6");
	metric_fmt(metric_find("sizes.csv", "jited_bytes"), "", buf, sizeof(buf));
	assert_string_equal(buf, "-");
	assert_int_equal(metric_parse("12x", &v), -1);
	assert_int_equal(metric_parse("", &v), -1);
	assert_int_equal(metric_parse("1.5e3", &v), 0);
	assert_true(v == 1500.0);
}

/* Every column of every file has a definition (the README reference and the
 * report need one), and a file-specific one wins over the shared one. */
static void test_schema_complete(void **state)
{
	(void)state;
	for (size_t i = 0; i < nmetric_files; i++) {
		const struct metric_file *mf = &metric_files[i];

		for (int c = 0; c < mf->ncols; c++) {
			const struct metric_def *m = metric_find(mf->name, mf->cols[c]);

			if (!m)
				fail_msg("%s: column %s has no definition", mf->name, mf->cols[c]);
			assert_non_null(m->doc);
		}
		for (int k = 0; k < mf->nkeys; k++) {
			int found = 0;

			for (int c = 0; c < mf->ncols; c++)
				found |= !strcmp(mf->keys[k], mf->cols[c]);
			if (!found)
				fail_msg("%s: key %s is not a column", mf->name, mf->keys[k]);
		}
	}
	assert_string_equal(metric_find("overhead-pairs.csv", "ci_low")->doc,
			    "95% bootstrap CI of diff_ns, lower bound");
	assert_int_equal(metric_find("sizes.csv", "variant")->kind, MK_KEY);
	assert_null(metric_find("sizes.csv", "no_such_column"));
	assert_int_equal(metric_find("overhead.csv", "conn_per_s")->better, MB_HIGHER);
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

static void test_rundir_fixture(void **state)
{
	char path[512], err[512];
	struct rundir rd;

	(void)state;
	fixture_path(path, sizeof(path), "run-example");
	assert_int_equal(rundir_open(&rd, path, 1, err, sizeof(err)), 0);
	assert_int_equal(rd.schema_version, 1);
	assert_string_equal(rundir_env(&rd, "kernel"), "6.18.44-fc-v782");
	assert_null(rundir_env(&rd, "no_such_key"));
	assert_non_null(rundir_table(&rd, "sizes.csv"));
	assert_non_null(rundir_table(&rd, "overhead.csv"));
	assert_true(rundir_exists(&rd, "verifier"));
	assert_false(rundir_exists(&rd, "no-such-file"));
	rundir_close(&rd);

	assert_int_equal(rundir_open(&rd, "/nonexistent/run", 1, err, sizeof(err)), -1);
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

static void test_rundir_schema_versions(void **state)
{
	char *dir = make_scratch_dir(), path[512], err[512];
	struct rundir rd;

	(void)state;
	assert_non_null(dir);
	assert_int_equal(write_run(dir, "schema_version=7\nkernel=x\n",
				   "variant,attach,output,program,insn_cnt\nv,a,o,TOTAL,5\n"),
			 0);
	assert_int_equal(rundir_open(&rd, dir, 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "schema_version 7 is not supported"));
	/* Not strict (compare): any version, only the keys are required. */
	assert_int_equal(rundir_open(&rd, dir, 0, err, sizeof(err)), 0);
	assert_int_equal(rd.schema_version, 7);
	rundir_close(&rd);
	snprintf(path, sizeof(path), "%s/run.env", dir);
	assert_int_equal(write_file(path, "schema_version=1\nnot a pair\n"), 0);
	assert_int_equal(rundir_open(&rd, dir, 0, err, sizeof(err)), -1);
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
		"jited_func_lens\n"
		"k,a,tp_btf,TOTAL,100,10,50,5,5,1,1,1,8,40,30,1,4096,ok,,ringbuf,,info,\n"
		"k,a,kprobe,TOTAL,100,,50,,,,,,,,,,,skipped,kernel refused kprobe,ringbuf,,,\n"
		"k,a,fentry,TOTAL,100,,50,,,,,,,,,,,skipped,kernel refused fentry,ringbuf,,,\n"
		"k,b,tp_btf,TOTAL,100,12,50,6,6,1,1,1,8,48,36,1,4096,ok,,ringbuf,,info,\n"
		"k,b,kprobe,TOTAL,100,,50,,,,,,,,,,,skipped,kernel refused kprobe,ringbuf,,,\n"
		"k,b,fentry,TOTAL,100,12,50,6,6,1,1,1,8,48,36,1,4096,ok,,ringbuf,,info,\n";
	char *dir = make_scratch_dir(), err[512], *buf = NULL;
	size_t len = 0;
	struct rundir rd;
	struct report r;

	(void)state;
	assert_non_null(dir);
	assert_int_equal(write_run(dir, "schema_version=1\nkernel=k\nattach=tp_btf\n", sizes), 0);
	assert_int_equal(rundir_open(&rd, dir, 1, err, sizeof(err)), 0);
	assert_int_equal(report_init(&r, &rd, err, sizeof(err)), 0);
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(report_sizes_tables(&r, f), 0);
	fclose(f);
	/* One line under each of the three tables, modes in sizes.csv order. */
	assert_int_equal(count(buf, "\nSkipped here: kprobe, fentry (a) "
				    "(see \"Skipped and failed\").\n"), 3);
	assert_null(strstr(buf, "| kprobe "));
	assert_int_equal(count(buf, "| fentry |"), 3); /* b's, once a table */
	assert_int_equal(count(buf, "| b       | fentry |"), 3);
	assert_null(strstr(buf, "status")); /* every row shown is ok */
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(report_failures(&r, f), 0);
	fclose(f);
	assert_int_equal(count(buf, "| skipped | kernel refused "), 3);
	free(buf);
	rundir_close(&rd);
	rm_scratch_dir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diff_format),	cmocka_unit_test(test_num_format),
		cmocka_unit_test(test_schema_complete), cmocka_unit_test(test_md_table),
		cmocka_unit_test(test_rundir_fixture),	cmocka_unit_test(test_rundir_schema_versions),
		cmocka_unit_test(test_sizes_skipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
