/* calls.csv and calls-bpf-stats.csv from calls-rounds.csv rows alone
 * (methods/calls_summary.c): lines of known slope over K per round and load,
 * a refused variant with its reason, the stats cells. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "unit_helpers.h"
#include "kernel/variants.h"
#include "methods/calls.h"

#define LOADS 4
#define PER 3 /* rounds per load */
static const int64_t ks[] = {0, 1, 2, 4, 8};
#define NK (sizeof(ks) / sizeof(ks[0]))

static struct calls_round_row rows[4096];
static size_t n;

static struct calls_round_row *add(const char *variant, const char *cell)
{
	struct calls_round_row *w = &rows[n++];

	rf_row_clear(&calls_rounds_csv, w);
	w->kernel = "test";
	w->variant = variant;
	w->attach = "tp_btf";
	w->trigger = CALLS_TRIGGER_SYNTHETIC;
	w->cell = cell;
	w->status = "ok";
	w->timing = "native";
	return w;
}

/* The baseline 0.5 ns per call, the reference 88, every call mechanism 95
 * (tail calls 91), each load shifting every slope alike; the one variant
 * that is not a call mechanism nor the reference nor the baseline is not
 * in the table's kinds here. The last variant of the table is refused. */
static void build(void)
{
	size_t last = nvariants - 1;

	n = 0;
	for (size_t v = 0; v < nvariants; v++) {
		struct calls_round_row *w = add(variants[v].name, "load");

		if (v == last) {
			w->status = "failed";
			w->reason = "load: tp_active: Caller passes invalid args into func#1";
		}
	}
	for (int l = 0; l < LOADS; l++)
		for (int r = 0; r < PER; r++) {
			int round = l * PER + r;
			double shift = 0.1 * (l % 2 ? 1 : -1) + 0.01 * r;

			for (size_t v = 0; v < last; v++) {
				double slope = variants[v].kind == VK_BASELINE	    ? 0.5
					       : variants[v].kind == VK_REFERENCE   ? 88.0
					       : variants[v].kind == VK_TAILCALL    ? 91.0
										    : 95.0;

				for (size_t k = 0; k < NK; k++) {
					struct calls_round_row *w = add(variants[v].name, "k");

					w->load = l;
					w->round = round;
					w->k = ks[k];
					w->ns_per_trigger = 30.0 + (slope + shift) * (double)ks[k];
					w->triggers = 500;
					w->left_out = k == 1 ? 1 : 0;
					w->expected = 500 + (k == 1) + (k == 2); /* K = 2 inexact */
				}
			}
			struct calls_round_row *off = add("", "stats-off"), *on = add("", "stats-on");
			off->round = on->round = round;
			off->programs = on->programs = 6;
			off->ns_per_trigger = 280.0 + r;
			on->ns_per_trigger = 280.0 + r + 6 * 70.0;
		}
}

static const struct calls_row *row(const struct calls_summary *s, const char *variant)
{
	for (size_t i = 0; i < s->nrows; i++)
		if (!strcmp(s->rows[i].variant, variant))
			return &s->rows[i];
	return NULL;
}

static void test_summary_of_known_lines(void **state)
{
	struct calls_summary s;
	const struct variant *ref = variant_of_kind(VK_REFERENCE);
	const struct variant *call = variant_of_kind(VK_CALL);
	const struct variant *base = variant_of_kind(VK_BASELINE);
	const struct calls_row *c, *rr, *b, *bad;

	(void)state;
	build();
	assert_int_equal(calls_summarize(rows, n, "ok", &s), 0);
	assert_int_equal(s.nrows, nvariants);
	c = row(&s, call->name);
	rr = row(&s, ref->name);
	b = row(&s, base->name);
	bad = row(&s, variants[nvariants - 1].name);
	assert_non_null(c);
	assert_string_equal(c->k_values, "0;1;2;4;8");
	assert_int_equal(c->loads, LOADS);
	assert_int_equal(c->rounds, LOADS * PER);
	assert_near(c->ns_per_call, 95.01, 1e-9); /* shifts average to +0.01 */
	assert_true(c->ci_low < 95.01 && c->ci_high > 95.01);
	assert_near(c->fixed_ns, 30.0, 1e-9);
	/* the shared shift cancels: exactly 7 ns, an interval of width 0 */
	assert_near(c->mech_ns_vs_inline, 7.0, 1e-9);
	assert_string_equal(c->verdict, "costlier");
	assert_true(c->p_holm < 0.05);
	assert_string_equal(c->linearity, "ok");
	assert_near(c->event_ns, 30.0 + 95.01, 1e-9);
	assert_int_equal(c->triggers, (int64_t)LOADS * PER * NK * 500);
	assert_int_equal(c->left_out, LOADS * PER);
	assert_int_equal(c->inexact_cells, LOADS * PER);
	assert_non_null(strstr(c->notes, "inexact"));
	/* the reference is compared with nothing, the baseline is not compared */
	assert_near(rr->mech_ns_vs_inline, 0.0, 0);
	assert_true(!rr->verdict || !*rr->verdict);
	assert_true(isnan(b->mech_ns_vs_inline));
	/* the refused variant: its words, nothing measured */
	assert_string_equal(bad->status, "failed");
	assert_non_null(strstr(bad->reason, "Caller passes invalid args"));
	assert_true(isnan(bad->ns_per_call));
	/* stats: 70 ns per program run in every round */
	assert_int_equal(s.nstats, 1);
	assert_near(s.stats[0].stats_ns, 70.0, 1e-9);
	assert_int_equal(s.stats[0].programs, 6);
	assert_int_equal(s.stats[0].rounds, LOADS * PER);
	calls_summary_free(&s);
}

static void test_run_status_carried(void **state)
{
	struct calls_summary s;

	(void)state;
	build();
	assert_int_equal(calls_summarize(rows, n, "incomplete", &s), 0);
	assert_string_equal(row(&s, variant_of_kind(VK_CALL)->name)->status, "incomplete");
	/* a refusal stays a refusal */
	assert_string_equal(row(&s, variants[nvariants - 1].name)->status, "failed");
	calls_summary_free(&s);
}

/* Rounds of one variant moved off every K but 8 (cell "moved": not a
 * measurement). */
static void only_k8(const char *variant)
{
	for (size_t i = 0; i < n; i++)
		if ((!variant || !strcmp(rows[i].variant, variant)) && !strcmp(rows[i].cell, "k") &&
		    rows[i].k != 8)
			rows[i].cell = "moved";
}

/* A variant measured at one K per round has no line over K: its row is
 * not ok, and says why; the others keep theirs. With one K in the whole
 * family, every measured row says that. */
static void test_no_fit_is_not_ok(void **state)
{
	const char *call = variant_of_kind(VK_CALL)->name;
	const char *ref = variant_of_kind(VK_REFERENCE)->name;
	struct calls_summary s;
	const struct calls_row *c;

	(void)state;
	build();
	only_k8(call);
	assert_int_equal(calls_summarize(rows, n, "ok", &s), 0);
	c = row(&s, call);
	assert_string_equal(c->status, "unfitted");
	assert_true(isnan(c->ns_per_call));
	assert_non_null(strstr(c->reason, "no round measured this variant at two K values"));
	assert_string_equal(row(&s, ref)->status, "ok");
	assert_near(row(&s, ref)->ns_per_call, 88.01, 1e-9);
	calls_summary_free(&s);

	build();
	only_k8(NULL);
	assert_int_equal(calls_summarize(rows, n, "ok", &s), 0);
	for (size_t i = 0; i < s.nrows; i++) {
		if (!strcmp(s.rows[i].status, "failed"))
			continue; /* the refused variant keeps its refusal */
		assert_string_equal(s.rows[i].status, "unfitted");
		assert_non_null(strstr(s.rows[i].reason, "only K=8 was measured"));
	}
	calls_summary_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary_of_known_lines),
		cmocka_unit_test(test_run_status_carried),
		cmocka_unit_test(test_no_fit_is_not_ok),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
