/* schema.c: rows through a column table and back (CSV and key=value), empty
 * cells, the loose check compare uses; run_env.c: run.env round trip. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/csv.h"
#include "base/run_env.h"
#include "base/schema.h"
#include "unit_helpers.h"

struct toy {
	const char *name;
	int64_t count;
	double ns;
	const char *note;
};

#define T struct toy
static const struct column toy_cols[] = {
	KEY_TEXT(T, name, "the key"),
	INT(T, count, "count", "runs", MG_TIME, MB_NONE, 1, "a count"),
	NUM(T, ns, "ns", "ns", MG_TIME, MB_LOWER, 1, 1, "a time"),
	TEXT(T, note, "free text"),
};
static const struct result_file toy_file = FILE_DEF("toy.csv", "test", 0, 1, T, toy_cols, "toy");

static void test_csv_round_trip(void **state)
{
	struct toy rows[3] = {
		{"a", 5, 1.25, "plain"},
		{"b,c", -1, NAN, "with \"quotes\", comma"}, /* empty numbers */
		{"d", 0, -0.5, NULL},
	};
	char *dir = make_scratch_dir(), path[512], err[256];
	struct csv_table t;
	struct toy *back;
	size_t n;

	(void)state;
	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/toy.csv", dir);
	assert_int_equal(rf_write_file(&toy_file, path, rows, 3), 0);
	assert_int_equal(csv_read(path, &t, err, sizeof(err)), 0);
	assert_string_equal(t.rows[1][1], "");	     /* count -1: empty */
	assert_string_equal(t.rows[0][2], "1.250"); /* decimals + 2 */
	assert_int_equal(rf_read_rows(&toy_file, &t, (void **)&back, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 3);
	assert_string_equal(back[1].name, "b,c");
	assert_true(back[1].count < 0);
	assert_true(isnan(back[1].ns));
	assert_string_equal(back[1].note, "with \"quotes\", comma");
	assert_int_equal(back[0].count, 5);
	assert_true(fabs(back[2].ns + 0.5) < 1e-9);
	assert_string_equal(back[2].note, "");
	free(back);
	csv_free(&t);
	rm_scratch_dir(dir);
}

static void test_read_refuses(void **state)
{
	char *dir = make_scratch_dir(), path[512], err[256];
	struct csv_table t;
	void *rows;
	size_t n;

	(void)state;
	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/toy.csv", dir);
	assert_int_equal(write_file(path, "name,count,ns,note\na,1.5,2,x\n"), 0);
	assert_int_equal(csv_read(path, &t, err, sizeof(err)), 0);
	assert_int_equal(rf_read_rows(&toy_file, &t, &rows, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":2: column count: '1.5' is not a whole number"));
	assert_int_equal(rf_check_loose(&toy_file, &t, err, sizeof(err)), 0); /* a number */
	csv_free(&t);
	assert_int_equal(write_file(path, "name,ns\na,fast\n"), 0);
	assert_int_equal(csv_read(path, &t, err, sizeof(err)), 0);
	assert_int_equal(rf_read_rows(&toy_file, &t, &rows, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "missing column count"));
	assert_int_equal(rf_check_loose(&toy_file, &t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "column ns: 'fast' is not a number"));
	csv_free(&t);
	assert_int_equal(write_file(path, "count\n1\n"), 0);
	assert_int_equal(csv_read(path, &t, err, sizeof(err)), 0);
	assert_int_equal(rf_check_loose(&toy_file, &t, err, sizeof(err)), -1); /* no key */
	assert_non_null(strstr(err, "missing column name"));
	csv_free(&t);
	rm_scratch_dir(dir);
}

static void test_kv_and_run_env(void **state)
{
	char *dir = make_scratch_dir(), path[512], err[256], *store;
	struct run_facts f = {0}, back;
	struct toy toy;

	(void)state;
	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/run.env", dir);
	f.schema_version = "2";
	f.kernel = "6.18";
	f.cpu_vulnerabilities = "a: b\nc"; /* a newline must not break the file */
	assert_int_equal(run_env_write(path, &f), 0);
	assert_int_equal(run_env_read(path, &back, &store, err, sizeof(err)), 0);
	assert_string_equal(back.kernel, "6.18");
	assert_string_equal(back.cpu_vulnerabilities, "a: b c");
	assert_string_equal(back.attach, ""); /* written empty */
	free(store);
	/* Unknown keys are ignored, the last value of a key wins, numbers parse. */
	snprintf(path, sizeof(path), "%s/toy.env", dir);
	assert_int_equal(write_file(path, "# comment\nname=x\nzzz=1\nns=2.5\nns=3.5\n"), 0);
	rf_row_clear(&toy_file, &toy);
	assert_int_equal(kv_read_row(path, &toy_file, &toy, &store, err, sizeof(err)), 0);
	assert_string_equal(toy.name, "x");
	assert_true(fabs(toy.ns - 3.5) < 1e-9);
	assert_true(toy.count < 0); /* absent: still clear */
	free(store);
	assert_int_equal(write_file(path, "ns=slow\n"), 0);
	assert_int_equal(kv_read_row(path, &toy_file, &toy, &store, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "ns: 'slow' is not a number"));
	rm_scratch_dir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_round_trip),
		cmocka_unit_test(test_read_refuses),
		cmocka_unit_test(test_kv_and_run_env),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
