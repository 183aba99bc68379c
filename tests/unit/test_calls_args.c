/* methods/calls_args.c: --k takes at least two distinct K in range, each
 * once; --trigger takes exactly the words synthetic and storm, never a part
 * or a misspelling of one; a refusal leaves what was set untouched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "calls_shared.h"
#include "methods/calls_args.h"
#include "methods/calls_core.h"

static void test_ks(void **state)
{
	uint32_t k[CALLS_MAX_KS] = {7};
	size_t nk = 1;
	static const char *const bad[] = {
		"8",	   /* one K fits no line */
		"4,4",	   /* one distinct K */
		"0,8,8",   /* twice */
		"",	   "0,",   ",0,1", "0,,1", "0,x", "0,1x", "-1,2", " 1,2", "0,33",
		"0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16", /* 17 > CALLS_MAX_KS */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (calls_parse_ks(bad[i], k, &nk) != -1)
			fail_msg("--k '%s' accepted", bad[i]);
		assert_int_equal(nk, 1);
		assert_int_equal(k[0], 7);
	}
	assert_int_equal(calls_parse_ks("0,32", k, &nk), 0);
	assert_int_equal(nk, 2);
	assert_int_equal(k[0], 0);
	assert_int_equal(k[1], CALLS_MAX_K);
	assert_int_equal(calls_parse_ks("16,1,4", k, &nk), 0);
	assert_int_equal(nk, 3);
	assert_int_equal(k[0], 16);
	assert_int_equal(k[2], 4);
}

static void test_triggers(void **state)
{
	bool sy = true, st = false;
	static const char *const bad[] = {
		"synthx", "stor", "synth", "storms", "Synthetic", "", "synthetic,", ",storm",
		"synthetic,,storm", "synthetic storm", "synthetic,stormy",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (calls_parse_triggers(bad[i], &sy, &st) != -1)
			fail_msg("--trigger '%s' accepted", bad[i]);
		assert_true(sy && !st);
	}
	assert_int_equal(calls_parse_triggers("storm", &sy, &st), 0);
	assert_true(!sy && st);
	assert_int_equal(calls_parse_triggers("synthetic", &sy, &st), 0);
	assert_true(sy && !st);
	assert_int_equal(calls_parse_triggers("storm,synthetic", &sy, &st), 0);
	assert_true(sy && st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ks),
		cmocka_unit_test(test_triggers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
