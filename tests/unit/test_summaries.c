/* overhead_summary.c and the hyperfine summary: the statistics of the timing
 * methods computed from their per-round rows alone, on synthetic rounds
 * whose answer is known (no root, no kernel). */
#include <math.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "methods/crosscheck.h"
#include "methods/overhead.h"
#include "overhead_rounds.h"

static const struct spec cells[] = {
	{"empty", 100}, {"inline", 130}, {"noinline", 130.2}, {"tailcall", 160},
};

static const struct overhead_row *row_of(const struct overhead_summary *s, const char *v)
{
	for (size_t i = 0; i < s->nrows; i++)
		if (!strcmp(s->rows[i].variant, v))
			return &s->rows[i];
	return NULL;
}

static const struct pairs_row *pair_of(const struct overhead_summary *s, const char *a,
				       const char *b)
{
	for (size_t i = 0; i < s->npairs; i++)
		if (!strcmp(s->pairs[i].variant_a, a) && !strcmp(s->pairs[i].variant_b, b))
			return &s->pairs[i];
	return NULL;
}

static void test_overhead_summary(void **state)
{
	size_t n;
	struct rounds_row *rows = make_rounds(cells, 4, 20, &n);
	struct overhead_summary s;

	(void)state;
	assert_non_null(rows);
	rows[5 * 5 + 3].flags = "drops"; /* round 5, noinline */
	rows[5 * 5 + 3].status = "flagged";
	assert_int_equal(overhead_summarize(rows, n, "ok", &s), 0);
	assert_int_equal(s.nrows, 5);
	assert_string_equal(s.rows[0].variant, "none"); /* the storm alone first */
	assert_string_equal(s.rows[1].variant, "empty");
	const struct overhead_row *in = row_of(&s, "inline"), *noin = row_of(&s, "noinline");
	assert_int_equal(in->rounds, 20); /* warm-up and partial round left out */
	assert_int_equal(in->events, 40000);
	/* The shared drift cancels in the paired difference to the baseline. */
	assert_true(fabs(in->net_ns - 30) < 1);
	assert_true(in->net_ci_low <= 30 && in->net_ci_high >= 30);
	assert_true(in->net_ci_high - in->net_ci_low < 5);
	assert_true(fabs(row_of(&s, "empty")->net_ns) < 1e-9);
	/* ...while the median alone keeps it: a far wider interval. */
	assert_true(in->ci_high - in->ci_low > 10);
	assert_string_equal(noin->status, "flagged");
	assert_string_equal(noin->flags, "drops");
	assert_string_equal(in->status, "ok");
	/* Round 3's extra runs, beyond the fewest runs per connection. */
	assert_int_equal(in->foreign_runs, 600);
	/* Rate against the no-program storm in the same rounds: -200/20000. */
	assert_true(fabs(in->rate_vs_none_pct + 1.0) < 0.2);
	/* Pairs: one family of 4 variants = 6 pairs, Holm over them. */
	assert_int_equal(s.npairs, 6);
	const struct pairs_row *same = pair_of(&s, "inline", "noinline");
	const struct pairs_row *slow = pair_of(&s, "inline", "tailcall");
	assert_non_null(same);
	assert_non_null(slow);
	assert_int_equal(same->family, 6);
	assert_string_equal(same->verdict, "not distinguishable");
	assert_string_equal(slow->verdict, "b slower");
	assert_true(slow->p_holm >= slow->p_value);
	assert_true(same->p_holm >= same->p_value);
	overhead_summary_free(&s);
	/* An interrupted run marks every row. */
	assert_int_equal(overhead_summarize(rows, n, "incomplete", &s), 0);
	assert_string_equal(row_of(&s, "inline")->status, "incomplete");
	overhead_summary_free(&s);
	free(rows);
}

/* Every interval of a cell (or pair) is there, or none is. */
static void assert_intervals(const struct overhead_summary *s, bool there)
{
	for (size_t i = 0; i < s->nrows; i++) {
		const struct overhead_row *o = &s->rows[i];
		bool none = !strcmp(o->variant, "none");

		assert_false(isnan(o->rate_vs_none_pct)); /* the medians stay */
		assert_int_equal(!isnan(o->rate_ci_low), there);
		assert_int_equal(!isnan(o->rate_ci_high), there);
		if (none)
			continue;
		assert_false(isnan(o->ns_per_event));
		assert_false(isnan(o->net_ns));
		assert_int_equal(!isnan(o->ci_low), there);
		assert_int_equal(!isnan(o->ci_high), there);
		assert_int_equal(!isnan(o->net_ci_low), there); /* the baseline's 0 too */
		assert_int_equal(!isnan(o->net_ci_high), there);
	}
	for (size_t i = 0; i < s->npairs; i++) {
		assert_false(isnan(s->pairs[i].diff_ns));
		assert_int_equal(!isnan(s->pairs[i].ci_low), there);
		assert_int_equal(!isnan(s->pairs[i].ci_high), there);
		assert_int_equal(!isnan(s->pairs[i].p_holm), there);
	}
}

/* Three rounds cannot carry a claim: no test and no interval, whatever the
 * bootstrap says; the medians stay. */
static void test_too_few_rounds(void **state)
{
	size_t n;
	struct rounds_row *rows = make_rounds(cells, 4, 3, &n);
	struct overhead_summary s;

	(void)state;
	assert_int_equal(overhead_summarize(rows, n, "ok", &s), 0);
	const struct pairs_row *slow = pair_of(&s, "inline", "tailcall");
	assert_non_null(slow);
	assert_true(isnan(slow->p_holm));
	assert_non_null(strstr(slow->verdict, "not tested"));
	assert_int_equal(row_of(&s, "inline")->rounds, 3);
	assert_true(fabs(row_of(&s, "inline")->net_ns - 30) < 3);
	assert_intervals(&s, false);
	overhead_summary_free(&s);
	free(rows);
}

/* The boundary is OVERHEAD_MIN_ROUNDS: 9 rounds give no interval, 10 do. */
static void test_interval_from_min_rounds(void **state)
{
	struct overhead_summary s;
	size_t n;

	(void)state;
	assert_int_equal(OVERHEAD_MIN_ROUNDS, 10); /* what the column docs say */
	for (int rounds = OVERHEAD_MIN_ROUNDS - 1; rounds <= OVERHEAD_MIN_ROUNDS; rounds++) {
		struct rounds_row *rows = make_rounds(cells, 4, rounds, &n);

		assert_int_equal(overhead_summarize(rows, n, "ok", &s), 0);
		assert_int_equal(row_of(&s, "inline")->rounds, rounds);
		assert_intervals(&s, rounds >= OVERHEAD_MIN_ROUNDS);
		overhead_summary_free(&s);
		free(rows);
	}
}

/* nr rounds x nruns runs of none and inline; inline's run i of round r
 * takes extra(r, i) seconds more than none's. Both share a drift per round.
 * The number of rows. */
static size_t hf_rounds(struct hf_run_row *runs, int nr, int nruns, double (*extra)(int, int))
{
	size_t n = 0;

	for (int r = 0; r < nr; r++)
		for (int i = 0; i < nruns; i++)
			for (int v = 0; v < 2; v++)
				runs[n++] = (struct hf_run_row){
					.kernel = "k", .variant = v ? "inline" : "none", .attach = "tp_btf",
					.round = r, .run = i, .connections = 5000,
					.seconds = 0.100 + 0.010 * r + 0.0001 * i + (v ? extra(r, i) : 0),
				};
	return n;
}

static double flat_2ms(int r, int i)
{
	(void)r;
	(void)i;
	return 0.002;
}

/* Two runs of a round add nothing, the third 3 ms plus a little per round:
 * a round's mean adds 1 ms + r x 0.1/3 ms. Taken run by run, the median
 * difference would be 0. */
static double one_run_in_three(int r, int i)
{
	return i == 2 ? 0.003 + 0.0001 * r : 0;
}

static void test_hyperfine_summary(void **state)
{
	struct hf_run_row runs[120];
	struct hyperfine_row *rows;
	size_t n = hf_rounds(runs, 10, 2, flat_2ms), nrows;

	(void)state;
	assert_int_equal(hyperfine_summarize(runs, n, 1, &rows, &nrows), 0);
	assert_int_equal(nrows, 2);
	assert_string_equal(rows[0].variant, "none");
	assert_string_equal(rows[1].variant, "inline");
	assert_int_equal(rows[1].rounds, 10);
	assert_int_equal(rows[1].runs, 20);
	/* 2 ms over 5000 connections = 0.4 us each, exactly: drift paired out. */
	assert_true(fabs(rows[1].added_us_per_conn - 0.4) < 1e-6);
	assert_true(rows[1].added_ci_low <= 0.4 + 1e-6 && rows[1].added_ci_high >= 0.4 - 1e-6);
	assert_true(rows[1].stddev_s > 0.005); /* the drift is in the spread of the rounds */
	/* Descriptive figures are over the rounds' means: round 0's mean is
	 * 0.100 + 0.002 + 0.00005. */
	assert_true(fabs(rows[1].min_s - 0.10205) < 1e-9);
	free(rows);
}

/* Rounds, not runs, are the units: the runs of a round are averaged before
 * pairing, and the interval counts rounds. */
static void test_hyperfine_rounds_are_units(void **state)
{
	struct hf_run_row runs[120];
	struct hyperfine_row *rows;
	size_t n = hf_rounds(runs, 10, 3, one_run_in_three), nrows;
	/* Median over rounds of 1 ms + r x 0.1/3 ms (r = 0..9): 1.15 ms. */
	double want = (0.001 + 4.5 * 0.0001 / 3) * 1e6 / 5000;

	(void)state;
	assert_int_equal(hyperfine_summarize(runs, n, 0, &rows, &nrows), 0);
	assert_int_equal(rows[1].rounds, 10);
	assert_int_equal(rows[1].runs, 30);
	assert_true(fabs(rows[1].added_us_per_conn - want) < 1e-9); /* run by run: 0 */
	assert_true(rows[1].added_ci_low > 0.2 && rows[1].added_ci_high < 0.25);
	free(rows);
	/* 9 rounds of 3 runs: 27 pairs of runs, but fewer than 10 rounds, so an
	 * estimate and no interval. */
	assert_int_equal(hyperfine_summarize(runs, 9 * 3 * 2, 0, &rows, &nrows), 0);
	assert_int_equal(rows[1].rounds, 9);
	assert_false(isnan(rows[1].added_us_per_conn));
	assert_true(isnan(rows[1].added_ci_low) && isnan(rows[1].added_ci_high));
	free(rows);
}

/* A round in which the no-program storm has no run is not paired: the
 * variant's figure comes from the rounds both have. */
static void test_hyperfine_unpaired_round(void **state)
{
	struct hf_run_row runs[120];
	struct hyperfine_row *rows;
	size_t n = hf_rounds(runs, 11, 2, flat_2ms), nrows;

	(void)state;
	for (size_t i = 0; i < n; i++)
		if (runs[i].round == 10) {
			if (!strcmp(runs[i].variant, "none"))
				runs[i].seconds = NAN;
			else
				runs[i].seconds += 1.0; /* would show if paired with anything */
		}
	assert_int_equal(hyperfine_summarize(runs, n, 0, &rows, &nrows), 0);
	assert_int_equal(rows[0].rounds, 10);
	assert_int_equal(rows[1].rounds, 11);
	assert_true(fabs(rows[1].added_us_per_conn - 0.4) < 1e-6);
	assert_true(rows[1].added_ci_high < 0.4 + 1e-6);
	free(rows);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overhead_summary),
		cmocka_unit_test(test_too_few_rounds),
		cmocka_unit_test(test_interval_from_min_rounds),
		cmocka_unit_test(test_hyperfine_summary),
		cmocka_unit_test(test_hyperfine_rounds_are_units),
		cmocka_unit_test(test_hyperfine_unpaired_round),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
