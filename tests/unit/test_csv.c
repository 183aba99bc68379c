/* csv.c: quoting, atomic publication, and the reader's refusals. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "base/csv.h"
#include "unit_helpers.h"

struct fx {
	char *dir;
	char path[512];
	char err[512];
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx || !(fx->dir = make_scratch_dir()))
		return -1;
	snprintf(fx->path, sizeof(fx->path), "%s/out.csv", fx->dir);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	rm_scratch_dir(fx->dir);
	free(fx);
	return 0;
}

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static const char *tmp_of(const struct fx *fx)
{
	static char tmp[600];

	snprintf(tmp, sizeof(tmp), "%s.tmp", fx->path);
	return tmp;
}

/* Reads fx->path expecting failure; returns the message. */
static const char *read_err(struct fx *fx, const char *text)
{
	struct csv_table t;

	assert_int_equal(write_file(fx->path, text), 0);
	assert_int_equal(csv_read(fx->path, &t, fx->err, sizeof(fx->err)), -1);
	assert_null(t.rows); /* nothing leaks out of a failed read */
	return fx->err;
}

/* "<path>:<line>: <what>" exactly. */
static void assert_read_err(struct fx *fx, const char *text, int line, const char *what)
{
	char want[700];

	snprintf(want, sizeof(want), "%s:%d: %s", fx->path, line, what);
	assert_string_equal(read_err(fx, text), want);
}

static const char *const awkward[] = {
	"plain",	 "with,comma", "say \"hi\"", "two\nlines", "crlf\r\nend", "",
	" spaced ", "\"",	   ",",		 "trailing\n", "é ünïcode",
};
#define NAWK (int)(sizeof(awkward) / sizeof(awkward[0]))

static void test_round_trip_awkward_fields(void **state)
{
	struct fx *fx = *state;
	struct csv_writer w;
	struct csv_table t;

	assert_int_equal(csv_open(&w, fx->path, awkward, NAWK), 0);
	for (int r = 0; r < 3; r++) {
		for (int c = 0; c < NAWK; c++)
			csv_str(&w, awkward[(c + r) % NAWK]);
		assert_int_equal(csv_end_row(&w), 0);
	}
	assert_int_equal(csv_close(&w), 0);

	assert_int_equal(csv_read(fx->path, &t, fx->err, sizeof(fx->err)), 0);
	assert_int_equal(t.ncols, NAWK);
	assert_int_equal(t.nrows, 3);
	for (int c = 0; c < NAWK; c++)
		assert_string_equal(t.cols[c], awkward[c]);
	for (size_t r = 0; r < 3; r++)
		for (int c = 0; c < NAWK; c++)
			assert_string_equal(csv_get(&t, r, c), awkward[(c + r) % NAWK]);
	/* Every row, the header too, holds 3 quoted newlines (one of them in
	 * "crlf\r\nend"), so spans 4 lines: row 0 starts on line 5. */
	assert_int_equal(t.lines[0], 5);
	assert_int_equal(t.lines[1], 9);
	assert_int_equal(t.lines[2], 13);
	csv_free(&t);
}

static void test_exact_bytes_and_numbers(void **state)
{
	static const char *const cols[] = {"s", "q", "u", "i", "d", "nan", "e", "null", "cr"};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct csv_writer w;

	(void)state;
	assert_non_null(f);
	assert_int_equal(csv_open_stream(&w, f, cols, 9), 0);
	csv_str(&w, "a");
	csv_str(&w, "x\"y,z");
	csv_u64(&w, UINT64_MAX);
	csv_i64(&w, INT64_MIN);
	csv_dbl(&w, 2.0 / 3.0, 3);
	csv_dbl(&w, NAN, 2);
	csv_empty(&w);
	csv_str(&w, NULL);
	csv_str(&w, "a\rb"); /* a bare CR is quoted too, for other readers */
	assert_int_equal(csv_end_row(&w), 0);
	assert_int_equal(csv_close(&w), 0);
	fclose(f); /* a caller's stream stays open after csv_close */
	assert_string_equal(buf, "s,q,u,i,d,nan,e,null,cr\n"
				 "a,\"x\"\"y,z\",18446744073709551615,-9223372036854775808,0.667,,,,"
				 "\"a\rb\"\n");
	free(buf);
}

/* A one-column file with one row, written but not closed yet. */
static void open_one_row(struct fx *fx, struct csv_writer *w)
{
	static const char *const cols[] = {"a"};

	assert_int_equal(csv_open(w, fx->path, cols, 1), 0);
	csv_u64(w, 1);
	assert_int_equal(csv_end_row(w), 0);
}

static void test_nothing_at_path_before_close(void **state)
{
	struct fx *fx = *state;
	struct csv_writer w;

	open_one_row(fx, &w);
	assert_false(exists(fx->path));
	assert_true(exists(tmp_of(fx)));
	assert_int_equal(csv_close(&w), 0);
	assert_true(exists(fx->path));
	assert_false(exists(tmp_of(fx)));
	char *text = slurp(fx->path);
	assert_string_equal(text, "a\n1\n");
	free(text);
}

static void test_abort_leaves_nothing(void **state)
{
	struct fx *fx = *state;
	struct csv_writer w;

	open_one_row(fx, &w);
	assert_true(exists(tmp_of(fx)));
	csv_abort(&w);
	assert_false(exists(fx->path));
	assert_false(exists(tmp_of(fx)));
}

/* A ragged row is refused at once, and the file is never published. */
static void test_wrong_row_width_is_not_published(void **state)
{
	struct fx *fx = *state;
	static const char *const cols[] = {"a", "b"};
	struct csv_writer w;

	assert_int_equal(csv_open(&w, fx->path, cols, 2), 0);
	csv_u64(&w, 1);
	assert_int_equal(csv_end_row(&w), -EINVAL);
	assert_int_equal(csv_close(&w), -EINVAL);
	assert_false(exists(fx->path));
	assert_false(exists(tmp_of(fx)));
}

static void test_open_in_missing_dir_fails(void **state)
{
	struct fx *fx = *state;
	static const char *const cols[] = {"a"};
	struct csv_writer w;
	char path[600];

	snprintf(path, sizeof(path), "%s/no/such/dir.csv", fx->dir);
	assert_int_equal(csv_open(&w, path, cols, 1), -ENOENT);
}

static void test_reader_accepts_crlf(void **state)
{
	struct fx *fx = *state;
	struct csv_table t;

	assert_int_equal(write_file(fx->path, "a,b\r\n1,\"x\r\ny\"\r\n"), 0);
	assert_int_equal(csv_read(fx->path, &t, fx->err, sizeof(fx->err)), 0);
	assert_int_equal(t.nrows, 1);
	assert_string_equal(csv_get(&t, 0, csv_col(&t, "b")), "x\r\ny");
	assert_string_equal(csv_get(&t, 0, csv_col(&t, "a")), "1");
	csv_free(&t);
}

static void test_reader_errors_name_file_and_line(void **state)
{
	struct fx *fx = *state;

	assert_read_err(fx, "a,b,c\n1,2,3\n4,5", 3, "missing final newline (truncated file?)");
	assert_read_err(fx, "a,b\n1,2", 2, "missing final newline (truncated file?)");
	assert_read_err(fx, "a,b\n1,2,3\n", 2, "3 fields, header has 2");
	assert_read_err(fx, "a,b\n1,2\n3\n", 3, "1 field, header has 2");
	/* The line of a row after a quoted newline counts that newline. */
	assert_read_err(fx, "a,b\n\"x\ny\",1\n3\n", 4, "1 field, header has 2");
	/* Reported where the quote opened, not at the end of the file. */
	assert_read_err(fx, "a,b\n1,2\n3,\"open\n4,5\n", 3, "unterminated quote");
	assert_read_err(fx, "a,b\n\"x\"y,1\n", 2, "unexpected character after closing quote");
	assert_read_err(fx, "", 1, "empty file (no header)");
}

static void test_reader_missing_file(void **state)
{
	struct fx *fx = *state;
	struct csv_table t;
	char want[600];

	assert_int_equal(csv_read(fx->path, &t, fx->err, sizeof(fx->err)), -1);
	snprintf(want, sizeof(want), "%s: %s", fx->path, strerror(ENOENT));
	assert_string_equal(fx->err, want);
}

static void test_require_and_lookup(void **state)
{
	struct fx *fx = *state;
	static const char *const ok[] = {"b", "a"};
	static const char *const missing[] = {"a", "zz", "yy"};
	struct csv_table t;
	char want[600];

	assert_int_equal(write_file(fx->path, "a,b\n1,2\n"), 0);
	assert_int_equal(csv_read(fx->path, &t, fx->err, sizeof(fx->err)), 0);
	assert_int_equal(csv_require(&t, ok, 2, fx->err, sizeof(fx->err)), 0);
	assert_int_equal(csv_require(&t, missing, 3, fx->err, sizeof(fx->err)), -1);
	snprintf(want, sizeof(want), "%s: missing column zz", fx->path);
	assert_string_equal(fx->err, want);
	assert_int_equal(csv_col(&t, "zz"), -1);
	assert_string_equal(csv_get(&t, 0, -1), "");
	assert_string_equal(csv_get(&t, 1, 0), ""); /* past the last row */
	assert_string_equal(csv_get(&t, 0, 1), "2");
	csv_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip_awkward_fields, setup, teardown),
		cmocka_unit_test(test_exact_bytes_and_numbers),
		cmocka_unit_test_setup_teardown(test_nothing_at_path_before_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abort_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_row_width_is_not_published, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_open_in_missing_dir_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader_accepts_crlf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader_errors_name_file_and_line, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reader_missing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_require_and_lookup, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
