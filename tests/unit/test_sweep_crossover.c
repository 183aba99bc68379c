/* sweep_crossover.c and sweep_findings.c on synthetic sweep.csv rows, and
 * sweep.csv's column table: no root, no BPF. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "methods/sweep_crossover.h"
#include "methods/sweep_findings.h"

static const struct sweep_series calls_core = {"calls", "core", "tp_btf"};

static const char *call_of(const char *variant)
{
	return !strcmp(variant, "inline")     ? SWEEP_CALL_INLINED
	       : !strcmp(variant, "global")   ? SWEEP_CALL_GLOBAL
	       : !strcmp(variant, "tailcall") ? SWEEP_CALL_TAIL
					      : SWEEP_CALL_STATIC;
}

static struct sweep_row row(const char *variant, const char *axis, int64_t n, int64_t elf,
			    int64_t verified, int64_t jited)
{
	struct sweep_row r;

	rf_row_clear(&sweep_csv, &r);
	r.variant = variant;
	r.call = call_of(variant);
	r.axis = axis;
	r.style = "core";
	r.attach = "tp_btf";
	r.n = r.built_n = n;
	r.status = SWEEP_ST_OK;
	r.reason = r.log = "";
	r.elf_code_bytes = elf;
	r.verified_insns = verified;
	r.jited_bytes = jited;
	return r;
}

static struct sweep_row refused(const char *variant, const char *axis, int64_t n, const char *why,
				int64_t processed)
{
	struct sweep_row r = row(variant, axis, n, 100, processed, -1);

	r.status = SWEEP_ST_REFUSED;
	r.reason = why;
	return r;
}

static const struct column *col(const char *name)
{
	const struct column *c = rf_col(&sweep_csv, name);

	assert_non_null(c);
	return c;
}

static void test_passes_at(void **state)
{
	(void)state;
	/* Given in shuffled order: the crossing must not depend on row order. */
	struct sweep_row rows[] = {
		row("inline", "calls", 4, 400, 0, 0),	row("noinline", "calls", 1, 150, 0, 0),
		row("inline", "calls", 1, 100, 0, 0),	row("noinline", "calls", 4, 190, 0, 0),
		row("inline", "calls", 2, 170, 0, 0),
		row("noinline", "calls", 2, 170, 0, 0), /* equal: not passing */
	};
	struct sweep_crossing c;

	sweep_cross(rows, 6, &calls_core, "inline", "noinline", col("elf_code_bytes"), 1.0, &c);
	assert_int_equal(c.kind, SWEEP_CROSS_AT);
	assert_int_equal(c.n, 4);
	assert_int_equal(c.n_before, 2);
	assert_true(c.a == 400 && c.b == 190 && c.a_before == 170);
	assert_int_equal(c.compared, 3);
}

static void test_from_start_never_and_no_data(void **state)
{
	(void)state;
	struct sweep_row rows[] = {
		row("inline", "progs", 1, 300, 0, 500),
		row("noinline", "progs", 1, 200, 0, 520),
		row("inline", "progs", 16, 4800, 0, 7700),
		row("noinline", "progs", 16, 2000, 0, 8300),
	};
	const struct sweep_series progs = {"progs", "core", "tp_btf"};
	const struct sweep_series btf = {"progs", "btf", "tp_btf"};
	struct sweep_crossing c;

	sweep_cross(rows, 4, &progs, "inline", "noinline", col("elf_code_bytes"), 1.0, &c);
	assert_int_equal(c.kind, SWEEP_CROSS_FROM_START);
	assert_int_equal(c.n, 1);
	sweep_cross(rows, 4, &progs, "inline", "noinline", col("jited_bytes"), 1.0, &c);
	assert_int_equal(c.kind, SWEEP_CROSS_NEVER);
	assert_int_equal(c.n_last, 16);
	assert_true(c.a == 7700 && c.b == 8300);
	/* Another series (style) has no rows: no data, not "never". */
	sweep_cross(rows, 4, &btf, "inline", "noinline", col("jited_bytes"), 1.0, &c);
	assert_int_equal(c.kind, SWEEP_CROSS_NO_DATA);
	assert_int_equal(c.compared, 0);
}

/* Points where either side did not load, or lacks the metric, are skipped. */
static void test_skips_unusable_points(void **state)
{
	(void)state;
	struct sweep_row rows[] = {
		row("noinline", "calls", 1, 0, 100, 0),
		row("global", "calls", 1, 0, 100, 0),
		row("noinline", "calls", 2, 0, 300, 0),
		refused("global", "calls", 2, "whatever", 5),
		row("noinline", "calls", 4, 0, -1, 0), /* metric unknown */
		row("global", "calls", 4, 0, 110, 0),
		row("noinline", "calls", 8, 0, 800, 0),
		row("global", "calls", 8, 0, 130, 0),
	};
	struct sweep_crossing c;

	sweep_cross(rows, 8, &calls_core, "noinline", "global", col("verified_insns"), 2.0, &c);
	assert_int_equal(c.kind, SWEEP_CROSS_AT);
	assert_int_equal(c.n, 8);
	assert_int_equal(c.n_before, 1);
	assert_int_equal(c.compared, 2);
}

/* Pulling away is a ratio: 2.0x is not "more than 2x". */
static void test_ratio_is_strict(void **state)
{
	(void)state;
	struct sweep_row rows[] = {
		row("noinline", "loop", 1, 0, 200, 0),
		row("global", "loop", 1, 0, 100, 0),
		row("noinline", "loop", 2, 0, 201, 0),
		row("global", "loop", 2, 0, 100, 0),
	};
	const struct sweep_series loop = {"loop", "core", "tp_btf"};
	struct sweep_crossing c;

	sweep_cross(rows, 4, &loop, "noinline", "global", col("verified_insns"), 2.0, &c);
	assert_int_equal(c.kind, SWEEP_CROSS_AT);
	assert_int_equal(c.n, 2);
}

static void test_first_refusal(void **state)
{
	(void)state;
	struct sweep_row rows[] = {
		row("inline", "loop", 1, 0, 100, 0),
		row("inline", "loop", 4096, 0, 400000, 0),
		refused("inline", "loop", 8192, "The sequence of 8193 jumps is too complex.", 225314),
		refused("inline", "loop", 6000, "The sequence of 8193 jumps is too complex.", 220000),
		row("inline", "loop", 5000, 0, 500000, 0),
		row("global", "loop", 8192, 0, 50000, 0),
	};
	const struct sweep_series loop = {"loop", "core", "tp_btf"};
	struct sweep_refusal r;

	rows[3].log = "verifier/sweep-loop-inline-core-s0-tpb_loop-n6000.log";
	sweep_first_refusal(rows, 6, &loop, "inline", &r);
	assert_true(r.found);
	assert_int_equal(r.n, 6000);
	assert_true(r.have_last_ok);
	assert_int_equal(r.last_ok, 5000);
	assert_int_equal(r.kind, SWEEP_REFUSAL_TOO_COMPLEX);
	assert_int_equal(r.verified_insns, 220000);
	assert_string_equal(r.reason, "The sequence of 8193 jumps is too complex.");
	assert_string_equal(r.log, rows[3].log);

	sweep_first_refusal(rows, 6, &loop, "global", &r);
	assert_false(r.found);
	assert_true(r.any_ok);
	assert_int_equal(r.max_ok, 8192);
}

/* A timeout is not a refusal: the search goes on past it. */
static void test_timeouts_are_not_refusals(void **state)
{
	(void)state;
	struct sweep_row rows[] = {
		row("noinline", "calls", 1, 0, 100, 0),
		row("noinline", "calls", 2, 0, 200, 0),
		refused("noinline", "calls", 4, "BPF program is too large. Processed 1000001 insn",
			1000001),
	};
	struct sweep_refusal r;

	rows[1].status = SWEEP_ST_TIMEOUT;
	sweep_first_refusal(rows, 3, &calls_core, "noinline", &r);
	assert_true(r.found);
	assert_int_equal(r.n, 4);
	assert_int_equal(r.last_ok, 1);
	assert_int_equal(r.timeouts, 1);
	assert_int_equal(r.kind, SWEEP_REFUSAL_INSN_LIMIT);
	assert_null(r.bpf_cpu); /* one -mcpu for the whole series */
}

/* Points the time budget left out are no verdict either, and say so; a
 * refusal of an object built with another -mcpu than the rest says which. */
static void test_skipped_and_mixed_cpus(void **state)
{
	(void)state;
	struct sweep_row rows[] = {
		row("global", "progs", 1, 0, 100, 0),
		row("global", "progs", 2, 0, 200, 0),
		row("noinline", "calls", 64, 0, 5000, 0),
		refused("noinline", "calls", 8192, "The sequence of 8193 jumps is too complex.", 266299),
	};
	const struct sweep_series progs = {"progs", "core", "tp_btf"};
	struct sweep_refusal r;
	char buf[512];

	rows[1].status = SWEEP_ST_SKIPPED;
	sweep_first_refusal(rows, 4, &progs, "global", &r);
	assert_false(r.found);
	assert_int_equal(r.skipped, 1);
	sweep_describe_refusal(buf, sizeof(buf), "global", &r);
	assert_non_null(strstr(buf, "global loads at every point tried, up to n=1; 0 points stopped "
				    "for time, 0 failed otherwise and 1 left out by the grid's time "
				    "budget: no verdict"));
	rows[2].bpf_cpu = "v3";
	rows[3].bpf_cpu = "v4";
	sweep_first_refusal(rows, 4, &calls_core, "noinline", &r);
	assert_string_equal(r.bpf_cpu, "v4");
	sweep_describe_refusal(buf, sizeof(buf), "noinline", &r);
	assert_non_null(strstr(buf, "first refused at n=8192 (loads at n=64) (that object built "
				    "with -mcpu=v4), too complex"));
}

/* A branch-range row is the build's fault, not a verdict: no refusal, the
 * scan stops there, and the sentence says so. */
static void test_branch_range_is_no_refusal(void **state)
{
	(void)state;
	struct sweep_row rows[] = {
		row("inline", "calls", 256, 0, 20000, 0),
		refused("inline", "calls", 512, "a function of 40000 insns ...", 5),
		refused("inline", "calls", 1024, "too complex", 90000),
	};
	struct sweep_refusal r;
	char buf[512];

	rows[1].status = SWEEP_ST_BRANCH_RANGE;
	rows[1].prog_insns = 40000;
	sweep_first_refusal(rows, 3, &calls_core, "inline", &r);
	assert_false(r.found);
	assert_true(r.branch_range);
	assert_int_equal(r.branch_range_n, 512);
	assert_int_equal(r.branch_range_insns, 40000);
	assert_int_equal(r.max_ok, 256);
	sweep_describe_refusal(buf, sizeof(buf), "inline", &r);
	assert_non_null(strstr(buf, "up to n=256"));
	assert_non_null(strstr(buf, "from n=512 its program has 40000 insns in one function"));
	assert_non_null(strstr(buf, "not a verifier verdict"));
}

static void test_classify(void **state)
{
	(void)state;
	static const struct {
		const char *reason;
		enum sweep_refusal_kind kind;
	} cases[] = {
		{"BPF program is too large. Processed 1000001 insn", SWEEP_REFUSAL_INSN_LIMIT},
		{"The sequence of 8193 jumps is too complex.", SWEEP_REFUSAL_TOO_COMPLEX},
		{"combined stack size of 3 calls is 544. Too large", SWEEP_REFUSAL_STACK},
		{"the call stack of 9 frames is too deep !", SWEEP_REFUSAL_STACK},
		{"program too large: 1200000 insns (E2BIG, no verifier log)", SWEEP_REFUSAL_PROG_SIZE},
		{"unknown func bpf_loop#181", SWEEP_REFUSAL_UNSUPPORTED},
		{"jump out of range from insn 2 to -22996", SWEEP_REFUSAL_JUMP_RANGE},
		{"Caller passes invalid args into func#1 ('handle_new_conn')", SWEEP_REFUSAL_ARGS},
		/* 5.10 and 6.1, from the VM runs */
		{"Arg#0 type PTR in handle_new_conn() is not supported yet.", SWEEP_REFUSAL_ARGS},
		{"arg#0 reference type('UNKNOWN ') size cannot be determined: -22", SWEEP_REFUSAL_ARGS},
		{"number of funcs in func_info doesn't match number of subprogs",
		 SWEEP_REFUSAL_UNSUPPORTED},
		{"R1 invalid mem access 'scalar'", SWEEP_REFUSAL_OTHER},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(sweep_refusal_classify(cases[i].reason), cases[i].kind);
	assert_int_equal(sweep_refusal_classify(NULL), SWEEP_REFUSAL_OTHER);
	assert_string_equal(sweep_refusal_kind_name(SWEEP_REFUSAL_INSN_LIMIT), "instruction limit");
	assert_true(sweep_refusal_is_work(SWEEP_REFUSAL_TOO_COMPLEX));
	assert_false(sweep_refusal_is_work(SWEEP_REFUSAL_JUMP_RANGE));
}

/* Two static variants: the first in variants.def order stands for them. */
static void test_variant_by_call(void **state)
{
	(void)state;
	struct sweep_row rows[] = {
		row("linked", "calls", 1, 1, 1, 1),
		row("noinline", "calls", 1, 1, 1, 1),
		row("inline", "calls", 1, 1, 1, 1),
	};
	const char *vs[4];

	assert_string_equal(sweep_variant_by_call(rows, 3, &calls_core, SWEEP_CALL_STATIC),
			    "noinline");
	assert_string_equal(sweep_variant_by_call(rows, 3, &calls_core, SWEEP_CALL_INLINED),
			    "inline");
	assert_null(sweep_variant_by_call(rows, 3, &calls_core, SWEEP_CALL_GLOBAL));
	assert_int_equal(sweep_variants_of(rows, 3, &calls_core, vs, 4), 3);
	assert_string_equal(vs[0], "inline");
	assert_string_equal(vs[1], "noinline");
	assert_string_equal(vs[2], "linked");
}

/* The issue's columns, in its order, then the ones the prototype found
 * useful; every column documented, with a unit where it counts something. */
static void test_columns(void **state)
{
	(void)state;
	static const char *const issue[] = {
		"kernel",	 "variant",	  "axis",	 "n",		"elf_code_bytes",
		"insn_cnt",	 "verified_insns", "total_states", "peak_states", "verify_usec",
		"stack_depth",	 "xlated_bytes",  "jited_bytes",  "jited_funcs", "memlock_bytes",
		"status",	 "reason",
	};
	static const char *const more[] = {"style", "attach", "call", "built_n", "prog_insns",
					   "refusal", "bpf_cpu", "grid", "object", "log"};
	const struct column *keys[8];

	for (size_t i = 0; i < sizeof(issue) / sizeof(issue[0]); i++)
		assert_string_equal(sweep_csv.cols[i].name, issue[i]);
	for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++)
		assert_non_null(rf_col(&sweep_csv, more[i]));
	for (int i = 0; i < sweep_csv.ncols; i++) {
		const struct column *c = &sweep_csv.cols[i];

		assert_true(c->doc && strlen(c->doc) > 10);
		if (c->kind == MK_NUM && strcmp(c->name, "built_n"))
			assert_true(c->group != MG_ID && c->unit && *c->unit);
	}
	/* compare matches a point by what it is, never by how it went. */
	assert_int_equal(rf_keys(&sweep_csv, keys, 8), 5);
	assert_string_equal(keys[0]->name, "variant");
	assert_string_equal(keys[4]->name, "attach");
}

struct lines {
	char text[16][2048];
	size_t n;
};

static void collect(void *user, const char *line)
{
	struct lines *l = user;

	if (l->n < 16)
		snprintf(l->text[l->n++], sizeof(l->text[0]), "%s", line);
}

static void test_findings_sentences(void **state)
{
	(void)state;
	struct sweep_row rows[] = {
		row("inline", "calls", 1, 100, 90, 80),
		row("noinline", "calls", 1, 150, 100, 100),
		row("inline", "calls", 2, 200, 180, 160),
		row("noinline", "calls", 2, 160, 180, 110),
		refused("inline", "calls", 4, "BPF program is too large. Processed 1000001 insn",
			1000001),
		row("noinline", "calls", 4, 180, 300, 130),
	};
	struct lines l = {.n = 0};
	size_t n = sweep_findings(rows, 6, collect, &l);

	/* ELF and JIT crossings, no global rows so no static-vs-global line,
	 * then one refusal line for the series. */
	assert_int_equal(n, 3);
	assert_int_equal(l.n, 3);
	assert_non_null(strstr(l.text[0], "On the calls axis (tp_btf, CO-RE reads), inline passes "
					  "noinline in ELF code at n=2: 200 vs 160 bytes (at n=1: "
					  "100 vs 150)."));
	assert_non_null(strstr(l.text[1], "inline passes noinline in JIT at n=2"));
	assert_non_null(strstr(l.text[2], "inline is first refused at n=4 (loads at n=2), "
					  "instruction limit, after 1000001 processed insns: "
					  "\"BPF program is too large. Processed 1000001 insn\"; "
					  "noinline loads at every point tried, up to n=4."));

	/* The report's few lines: the calls crossings in one, the refusals in
	 * another (a refusal happened). */
	l.n = 0;
	assert_int_equal(sweep_key_findings(rows, 6, collect, &l), 2);
	assert_non_null(strstr(l.text[0], "On the calls axis (tp_btf, CO-RE reads): inline passes"));
	assert_non_null(strstr(l.text[0], "; inline passes noinline in JIT"));
	assert_non_null(strstr(l.text[1], "First refusals on the calls axis (tp_btf, CO-RE reads): "
					  "inline at n=4 (instruction limit"));
	assert_non_null(strstr(l.text[1], "noinline loads up to n=4."));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_passes_at),
		cmocka_unit_test(test_from_start_never_and_no_data),
		cmocka_unit_test(test_skips_unusable_points),
		cmocka_unit_test(test_ratio_is_strict),
		cmocka_unit_test(test_first_refusal),
		cmocka_unit_test(test_timeouts_are_not_refusals),
		cmocka_unit_test(test_skipped_and_mixed_cpus),
		cmocka_unit_test(test_branch_range_is_no_refusal),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_variant_by_call),
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_findings_sentences),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
