/* crosscheck_section.c's hyperfine findings on copies of the fixture run
 * directory whose hyperfine.csv is replaced: the empty program (no handler)
 * is set against the handlers, so the finding never says hyperfine tells a
 * handler from "no program" when the empty program adds as much. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cli/methods.h"
#include "report/model.h"
#include "report/report.h"
#include "report/sections.h"
#include "unit_helpers.h"

#define HEAD                                                                                      \
	"kernel,variant,attach,rounds,runs,connections,mean_s,stddev_s,median_s,min_s,max_s,"     \
	"added_us_per_conn,added_ci_low,added_ci_high,status,reason\n"
#define ROW(v, a, lo, hi) "k,"v",tp_btf,10,30,1000,0.035,0.001,0.035,0.034,0.036,"a","lo","hi",ok,\n"

/* The fixture with hyperfine.csv replaced by CSV; its findings (free). */
static char *findings_with(const char *csv)
{
	char fix[1024], cmd[2048], path[512], err[512], *dir = make_scratch_dir(), *text = NULL;
	struct run run;
	struct report r = {.run = &run, .methods = &all_methods, .attach = "tp_btf"};
	struct findings fs = {.r = &r};
	size_t len;

	assert_non_null(dir);
	fixture_path(fix, sizeof(fix), "run-example");
	snprintf(cmd, sizeof(cmd), "cp -a '%s/.' '%s'", fix, dir);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/hyperfine.csv", dir);
	assert_int_equal(write_file(path, csv), 0);
	if (run_open(&run, dir, &all_methods, true, err, sizeof(err)))
		fail_msg("%s", err);
	assert_non_null(fs.f = open_memstream(&text, &len));
	findings_hyperfine(&fs);
	fclose(fs.f);
	run_close(&run);
	rm_scratch_dir(dir);
	return text;
}

static void test_empty_within_the_handlers(void **state)
{
	char *t = findings_with(HEAD ROW("none", "0", "0", "0") ROW("empty", "0.40", "0.35", "0.52")
					ROW("inline", "0.50", "0.38", "0.66")
					ROW("noinline", "0.58", "0.49", "0.78"));

	(void)state;
	print_message("%s", t);
	assert_non_null(strstr(t, "Under hyperfine the empty baseline, which has no handler, adds "
				  "0.40 us per connection [0.35, 0.52], within every handler's "
				  "interval: hyperfine tells attached programs from none, not a "
				  "handler from the empty program nor the variants from each other."));
	assert_null(strstr(t, "tells a handler from no program"));
	free(t);
}

static void test_empty_apart_from_a_handler(void **state)
{
	char *t = findings_with(HEAD ROW("none", "0", "0", "0") ROW("empty", "0.40", "0.35", "0.45")
					ROW("inline", "0.50", "0.38", "0.66")
					ROW("noinline", "0.58", "0.49", "0.78"));

	(void)state;
	print_message("%s", t);
	assert_non_null(strstr(t, "overlapping the intervals of 1 of the 2 handlers"));
	assert_non_null(strstr(t, "ranks no handler against the empty program or another handler."));
	assert_null(strstr(t, "tells a handler from no program"));
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_within_the_handlers),
		cmocka_unit_test(test_empty_apart_from_a_handler),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
