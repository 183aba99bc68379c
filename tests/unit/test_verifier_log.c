/* verifier_log.c against real 6.18 logs and logs in older kernels' formats
 * (tests/fixtures/verifier/README.md says where each comes from). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "unit_helpers.h"
#include "kernel/verifier_log.h"

#define ALL_6X                                                                           \
	(VS_PROCESSED | VS_LIMIT | VS_MAX_STATES | VS_TOTAL_STATES | VS_PEAK_STATES |     \
	 VS_MARK_READ | VS_VERIFY_USEC | VS_STACK_DEPTH)

/* What a log must parse to (0 for a field it lacks). */
struct want {
	unsigned have;
	long processed, limit, max_states, total, peak, mark_read, usec, stack;
	const char *stack_str;
	const char *reason; /* NULL: no reason line */
};

static char *load(const char *name)
{
	char path[1024];

	fixture_path(path, sizeof(path), name);
	char *log = slurp(path);
	if (!log)
		fail_msg("cannot read fixture %s", path);
	return log;
}

static void assert_stats(const struct verifier_stats *st, const struct want *w)
{
	assert_int_equal(st->have, w->have);
	assert_int_equal(st->processed_insns, w->processed);
	assert_int_equal(st->insn_limit, w->limit);
	assert_int_equal(st->max_states_per_insn, w->max_states);
	assert_int_equal(st->total_states, w->total);
	assert_int_equal(st->peak_states, w->peak);
	assert_int_equal(st->mark_read, w->mark_read);
	assert_int_equal(st->verify_usec, w->usec);
	assert_int_equal(st->stack_depth, w->stack);
	assert_string_equal(st->stack_depth_str, w->stack_str);
}

static void check_log(const char *log, const struct want *w)
{
	struct verifier_stats st;
	char reason[256];

	assert_int_equal(verifier_log_parse(log, &st), w->have & VS_PROCESSED ? 0 : -1);
	assert_stats(&st, w);
	char *r = verifier_log_reason(log, reason, sizeof(reason));
	if (w->reason) {
		assert_ptr_equal(r, reason);
		assert_string_equal(reason, w->reason);
	} else {
		assert_null(r);
	}
}

static void check_fixture(const char *name, const struct want *w)
{
	char *log = load(name);

	check_log(log, w);
	free(log);
}

#define MAP_REASON "R0 min value is outside of the allowed memory range"
#define GLOBAL_REASON "Caller passes invalid args into func#1 ('handle_new_conn')"
#define PRE_5_2 (VS_PROCESSED | VS_LIMIT | VS_STACK_DEPTH)

/* One test case per fixture (the case's name is its file). */
static const struct fixture_case {
	const char *file;
	struct want want;
} cases[] = {
	{"verifier/6.18-ok.log", {ALL_6X, 88, 1000000, 0, 1, 1, 0, 196, 56, "16+40", NULL}},
	{"verifier/6.18-fail-map.log", {ALL_6X, 8, 1000000, 0, 0, 0, 0, 65, 8, "8", MAP_REASON}},
	{"verifier/6.18-fail-global.log",
	 {ALL_6X, 5, 1000000, 0, 0, 0, 0, 29, 8, "8+0", GLOBAL_REASON}},
	/* libbpf's own output: its "libbpf: ..." lines after the END marker
	 * must not be taken for the reason. */
	{"verifier/6.18-fail-global-libbpf.log",
	 {ALL_6X, 5, 1000000, 0, 0, 0, 0, 80, 8, "8+0", GLOBAL_REASON}},
	/* 7.2 adds "insns processed N+M" and "stack depth D max M": neither is
	 * the reason. Captured in the VM matrix (Debian 7.2.13 cloud kernel). */
	{"verifier/7.2-fail-global.log",
	 {ALL_6X, 28, 1000000, 0, 2, 2, 0, 24979, 16, "16+0", GLOBAL_REASON}},
	{"verifier/5.10-ok.log", {ALL_6X, 91, 1000000, 1, 3, 3, 2, 31, 56, "16+40", NULL}},
	{"verifier/5.10-fail-libbpf0.log",
	 {ALL_6X, 8, 1000000, 0, 0, 0, 0, 44, 8, "8", MAP_REASON}},
	/* Before 5.2: one line, no state counters, no time. The trace's last
	 * line is an instruction: a fine "reason" for a log that did load. */
	{"verifier/4.19-ok.log", {PRE_5_2, 9, 131072, 0, 0, 0, 0, 0, 16, "16+0", "6: (95) exit"}},
	/* 4.x printed no stats for a rejected program. */
	{"verifier/4.19-fail.log", {0, 0, 0, 0, 0, 0, 0, 0, 0, "", MAP_REASON}},
	{"verifier/4.14-ok.log",
	 {VS_PROCESSED | VS_STACK_DEPTH, 5, 0, 0, 0, 0, 0, 0, 16, "16", "4: (95) exit"}},
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

static void test_fixture(void **state)
{
	const struct fixture_case *c = *state;

	check_fixture(c->file, &c->want);
}

/* Two programs' logs in one buffer: only the last block counts, and none of
 * the first block's fields leak into it. */
static void test_last_block_wins(void **state)
{
	char *a = load("verifier/5.10-ok.log"), *b = load("verifier/4.19-ok.log");
	char *both = malloc(strlen(a) + strlen(b) + 1);
	struct verifier_stats st;

	(void)state;
	strcpy(both, a);
	strcat(both, b);
	assert_int_equal(verifier_log_parse(both, &st), 0);
	assert_stats(&st, &(struct want){PRE_5_2, 9, 131072, 0, 0, 0, 0, 0, 16, "16+0", NULL});
	/* A trailing, unfinished block (no "processed" yet) is not a block. */
	strcpy(both, b);
	strcat(both, "verification time 7 usec\nstack depth 99\n");
	assert_int_equal(verifier_log_parse(both, &st), 0);
	assert_int_equal(st.stack_depth, 16);
	assert_false(st.have & VS_VERIFY_USEC);
	free(both);
	free(a);
	free(b);
}

/* Log level 1 without BPF_LOG_STATS: the counters, but no time or depth;
 * CRLF line ends and no final newline are tolerated. */
static void test_level1_only_and_crlf(void **state)
{
	(void)state;
	check_log("R1 type=scalar expected=fp, pkt, pkt_meta, map_key, map_value\r\n"
		  "processed 3 insns (limit 1000000) max_states_per_insn 0 total_states 0 "
		  "peak_states 0 mark_read 0",
		  &(struct want){ALL_6X & ~(VS_VERIFY_USEC | VS_STACK_DEPTH), 3, 1000000, 0, 0, 0,
				 0, 0, 0, "",
				 "R1 type=scalar expected=fp, pkt, pkt_meta, map_key, map_value"});
}

static void test_empty_and_null_logs(void **state)
{
	struct verifier_stats st;
	char buf[16];

	(void)state;
	assert_int_equal(verifier_log_parse(NULL, &st), -1);
	assert_int_equal(st.have, 0);
	assert_int_equal(verifier_log_parse("", &st), -1);
	assert_null(verifier_log_reason(NULL, buf, sizeof(buf)));
	assert_null(verifier_log_reason("\n  \n", buf, sizeof(buf)));
	/* Only wrapper and stats lines in the block: nothing meaningful, and a
	 * line before the block is not this load's. */
	assert_null(verifier_log_reason("bench: loading\n-- BEGIN PROG LOAD LOG --\n"
					"processed 1 insns\n-- END PROG LOAD LOG --\n",
					buf, sizeof(buf)));
}

static void test_reason_truncates_and_survives_cut_wrapper(void **state)
{
	char buf[8];
	char big[64];

	(void)state;
	assert_string_equal(verifier_log_reason("first\ninvalid mem access 'scalar'\n", buf,
						sizeof(buf)),
			    "invalid");
	/* stderr cut after BEGIN: the block so far counts, earlier lines don't. */
	assert_string_equal(verifier_log_reason("old error\nlibbpf: prog 'p': -- BEGIN PROG LOAD "
						"LOG --\nback-edge from insn 9 to 4\n",
						big, sizeof(big)),
			    "back-edge from insn 9 to 4");
	/* The caller's own messages after the block are not the reason. */
	assert_string_equal(verifier_log_reason("-- BEGIN PROG LOAD LOG --\nunreachable insn 3\n"
						"-- END PROG LOAD LOG --\n"
						"bench: variant noinline did not load\n",
						big, sizeof(big)),
			    "unreachable insn 3");
}

int main(void)
{
	static const struct CMUnitTest others[] = {
		cmocka_unit_test(test_last_block_wins),
		cmocka_unit_test(test_level1_only_and_crlf),
		cmocka_unit_test(test_empty_and_null_logs),
		cmocka_unit_test(test_reason_truncates_and_survives_cut_wrapper),
	};
	struct CMUnitTest tests[NCASES + sizeof(others) / sizeof(others[0])];
	size_t n = 0;

	for (size_t i = 0; i < NCASES; i++)
		tests[n++] = (struct CMUnitTest){.name = cases[i].file,
						 .test_func = test_fixture,
						 .initial_state = (void *)&cases[i]};
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		tests[n++] = others[i];
	/* What cmocka_run_group_tests() expands to, for an array built here. */
	return _cmocka_run_group_tests("verifier_log", tests, n, NULL, NULL);
}
