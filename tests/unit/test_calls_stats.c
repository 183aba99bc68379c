/* calls_stats.c on constructed rounds whose true lines are known: slopes,
 * intercepts and slope differences recovered with intervals that hold the
 * truth, claims only where Holm's family-wise test allows, the linearity
 * check flagging a bent sweep, and variants that were not measured left out. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "unit_helpers.h"
#include "base/calls_stats.h"

#define NR 40
#define NK 6
enum { EMPTY, INLINE, NOINLINE, GLOBAL, BENT, MISSING, NV };

static const uint32_t ks[NK] = {0, 1, 2, 4, 8, 16};
/* compared with the reference: every call mechanism, not the baseline */
static const bool cmp[NV] = {false, true, true, true, true, true};
static const bool ok[NV] = {true, true, true, true, true, false};
static double ns[NR * NV * NK];

static double *cell(int r, int v, int k)
{
	return &ns[((size_t)r * NV + v) * NK + k];
}

/* Deterministic round-to-round noise, uniform in [-1, 1] (splitmix64). */
static double noise(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (double)(z >> 11) / (double)(1ULL << 52) - 1.0;
}

/* Each round: a shared drift of the whole round (cancels in paired
 * differences) plus small per-variant slope noise. */
static void build(void)
{
	static const double a[NV] = {30, 31, 31, 32, 31, 0};
	static const double b[NV] = {0.4, 88.0, 94.5, 94.5, 88.0, 0};
	uint64_t s = 7;

	for (int r = 0; r < NR; r++) {
		double drift = 3.0 * noise(&s); /* ns per call, all variants alike */

		for (int v = 0; v < NV; v++) {
			double slope = b[v] + drift + 0.2 * noise(&s);

			for (int k = 0; k < NK; k++) {
				double y = a[v] + slope * ks[k];

				if (v == BENT && ks[k] == 1)
					y += 40.0; /* K = 1 costs far more than half of K = 2 */
				*cell(r, v, k) = v == MISSING ? NAN : y;
			}
		}
	}
}

/* The statistics of build()'s rounds against variant `reference`. */
static void compute(struct calls_stats *st, int reference)
{
	struct calls_samples s = {NR, NV, NK, ks, ns, ok, reference, cmp, NULL};
	struct calls_stats_opts o;

	build();
	calls_stats_defaults(&o);
	assert_int_equal(calls_stats_compute(&s, &o, st), 0);
}

static void test_slopes_intercepts_and_mechanism(void **state)
{
	struct calls_stats st;
	const struct calls_variant_stats *ni;

	(void)state;
	compute(&st, INLINE);
	assert_int_equal(st.baseline, INLINE);
	ni = &st.v[NOINLINE];
	assert_true(ni->fitted);
	/* drift is shared, so the slope's interval is wide but holds 94.5 */
	assert_true(ni->slope.lo < 94.5 + 0.2 && ni->slope.hi > 94.5 - 0.2);
	assert_near(ni->intercept.mean, 31.0, 1e-9); /* exact lines: no intercept noise */
	/* the paired difference is free of the drift: 6.5 with a narrow interval */
	assert_true(ni->compared);
	assert_true(ni->mech.lo < 6.5 && ni->mech.hi > 6.5);
	assert_true(ni->mech.hi - ni->mech.lo < 0.3);
	assert_int_equal(ni->verdict, 1);
	assert_true(ni->p_holm <= 0.05);
	assert_true(ni->lin.checked && ni->lin.ok);
	calls_stats_free(&st);
}

static void test_baseline_empty_and_missing_not_compared(void **state)
{
	struct calls_stats st;

	(void)state;
	compute(&st, INLINE);
	assert_false(st.v[INLINE].compared);
	assert_false(st.v[EMPTY].compared);
	assert_true(st.v[EMPTY].fitted); /* its slope is the loop's own cost */
	assert_true(isnan(st.v[EMPTY].p_holm));
	assert_false(st.v[MISSING].fitted);
	assert_false(st.v[MISSING].compared);
	assert_int_equal(st.family, 3); /* noinline, global, bent */
	calls_stats_free(&st);
}

static void test_linearity_flags_bent_sweep(void **state)
{
	struct calls_stats st;

	(void)state;
	compute(&st, INLINE);
	assert_true(st.v[BENT].lin.checked);
	assert_false(st.v[BENT].lin.ok);
	assert_int_equal(st.v[BENT].lin.worst_k, 1);
	/* c(1) = 128, c(2) = 176: ratio 176 / 256 */
	assert_near(st.v[BENT].lin.worst_ratio, 176.0 / 256.0, 0.02);
	assert_true(st.v[GLOBAL].lin.ok);
	calls_stats_free(&st);
}

/* Wild but unbiased noise at K = 1 (+-50 ns, alternating): rounds deviate
 * from the line by far more than the tolerance, yet the deviation's interval
 * holds 0, so the sweep is not flagged. */
static void test_linearity_needs_a_significant_bend(void **state)
{
	enum { R = 20 };
	static const uint32_t k3[4] = {0, 1, 2, 4};
	static const bool ok1[1] = {true};
	double y[R * 4];
	struct calls_samples s = {R, 1, 4, k3, y, ok1, -1, NULL, NULL};
	struct calls_stats_opts o;
	struct calls_stats st;

	(void)state;
	for (int r = 0; r < R; r++)
		for (int k = 0; k < 4; k++)
			y[r * 4 + k] = 30.0 + 90.0 * k3[k] + (k3[k] == 1 ? (r & 1 ? 50.0 : -50.0) : 0.0);
	calls_stats_defaults(&o);
	assert_int_equal(calls_stats_compute(&s, &o, &st), 0);
	assert_true(st.v[0].lin.checked);
	assert_true(st.v[0].lin.ok);
	assert_int_equal(st.v[0].lin.worst_k, 1);
	assert_true(st.v[0].lin.worst_dev.lo < 0 && st.v[0].lin.worst_dev.hi > 0);
	calls_stats_free(&st);
}

/* Slope differences built to give each comparison a raw p of about 0.02:
 * every interval excludes 0, yet with three in the family Holm rejects none,
 * so no pair is ranked. */
static void test_no_claim_without_family_wise_rejection(void **state)
{
	enum { R = 20 };
	static const uint32_t k2[2] = {0, 10};
	static const bool c2[4] = {false, true, true, true};
	static const bool ok2[4] = {true, true, true, true};
	double y[R * 4 * 2];
	/* d_r = mu +- 1: sd = sqrt(20/19), t = mu / (sd / sqrt(20)) = 2.6 */
	double mu = 2.6 * sqrt(20.0 / 19.0) / sqrt(20.0);
	struct calls_samples s = {R, 4, 2, k2, y, ok2, 0, c2, NULL};
	struct calls_stats_opts o;
	struct calls_stats st;

	(void)state;
	for (int r = 0; r < R; r++)
		for (int v = 0; v < 4; v++) {
			double slope = 5.0 + (v ? mu + (r & 1 ? 1.0 : -1.0) : 0.0);

			y[(r * 4 + v) * 2 + 0] = 10.0;
			y[(r * 4 + v) * 2 + 1] = 10.0 + 10.0 * slope;
		}
	calls_stats_defaults(&o);
	o.trim = 0.0; /* the plain t test these rounds were built for: */
	o.quiet_tol = 0; /* every round kept (the +-1 moves 3 of 4 arms at once) */
	assert_int_equal(calls_stats_compute(&s, &o, &st), 0);
	for (int v = 1; v < 4; v++) {
		assert_true(st.v[v].compared);
		assert_true(mean_ci_excludes_zero(&st.v[v].mech));
		assert_true(st.v[v].mech.p < 0.05);
		assert_true(st.v[v].p_holm > 0.05);
		assert_int_equal(st.v[v].verdict, 0);
		assert_false(st.v[v].lin.checked); /* no K with its 2K */
	}
	calls_stats_free(&st);
}

/* Rounds in 8 blocks (loads), each block shifting the slope difference by
 * its own placement effect: rounds of one block agree with each other, so a
 * per-round interval is far too narrow; over block means it is honest. */
static void test_blocks_are_the_units(void **state)
{
	enum { R = 64, B = 8 };
	static const uint32_t k2[3] = {0, 8, 16};
	static const bool c2[2] = {false, true};
	static const bool ok2[2] = {true, true};
	static const double shift[B] = {0.8, -0.3, 0.5, 0.0, 0.7, -0.4, 0.3, 0.0}; /* mean 0.2 */
	double y[R * 2 * 3], truth = 7.0;
	unsigned block[R];
	uint64_t seed = 11;
	struct calls_samples s = {R, 2, 3, k2, y, ok2, 0, c2, NULL};
	struct calls_stats_opts o;
	struct calls_stats per_round, per_block;

	(void)state;
	for (int r = 0; r < R; r++) {
		double d = truth + shift[r / (R / B)] + 0.02 * noise(&seed);

		block[r] = (unsigned)(r / (R / B));
		for (int k = 0; k < 3; k++) {
			y[(r * 2 + 0) * 3 + k] = 30.0 + 90.0 * k2[k];
			y[(r * 2 + 1) * 3 + k] = 31.0 + (90.0 + d) * k2[k];
		}
	}
	calls_stats_defaults(&o);
	o.trim = 0.0;
	assert_int_equal(calls_stats_compute(&s, &o, &per_round), 0);
	s.block = block;
	assert_int_equal(calls_stats_compute(&s, &o, &per_block), 0);
	assert_int_equal(per_round.units, R);
	assert_int_equal(per_block.units, B);
	/* same estimate (equal blocks), the per-round interval misses the truth */
	assert_near(per_round.v[1].mech.mean, per_block.v[1].mech.mean, 1e-9);
	assert_false(per_round.v[1].mech.lo < truth && per_round.v[1].mech.hi > truth);
	assert_true(per_block.v[1].mech.lo < truth && per_block.v[1].mech.hi > truth);
	assert_int_equal(per_block.v[1].mech.n, B);
	calls_stats_free(&per_round);
	calls_stats_free(&per_block);
}

/* 3 programs per trigger; stats add 60 ns per trigger in every round but
 * one, where "on" was not measured. */
static void test_bookkeeping_per_program_run(void **state)
{
	double off[5] = {300, 310, 290, 305, 295}, on[5] = {360, 370, 350, NAN, 355};
	struct mean_ci c;

	(void)state;
	assert_int_equal(calls_stats_bookkeeping(off, on, 5, 3, 0.95, &c), 0);
	assert_int_equal(c.n, 4);
	assert_near(c.mean, 20.0, 1e-12);
	assert_near(c.sd, 0.0, 1e-12);
	assert_int_equal(calls_stats_bookkeeping(off, on, 5, 0, 0.95, &c), -1);
	assert_int_equal(calls_stats_bookkeeping(off, on, 0, 3, 0.95, &c), -1);
}

static void test_no_baseline_no_comparisons(void **state)
{
	struct calls_stats st;

	(void)state;
	compute(&st, -1);
	assert_int_equal(st.baseline, -1);
	for (int v = 0; v < NV; v++)
		assert_false(st.v[v].compared);
	calls_stats_free(&st);
}

/* A third of the rounds ran while something else had the CPU: every line
 * 10% steeper, the mechanism's cost included. They are left out, and the
 * estimate is the quiet one; when most rounds are disturbed, none is. */
static void test_disturbed_rounds_left_out(void **state)
{
	enum { R = 30 };
	static const uint32_t k2[3] = {0, 8, 16};
	static const bool ok2[2] = {true, true}, c2[2] = {false, true};
	double y[R * 2 * 3];
	unsigned block[R];
	uint64_t seed = 5;
	struct calls_samples s = {R, 2, 3, k2, y, ok2, 0, c2, block};
	struct calls_stats_opts o;
	struct calls_stats st;

	(void)state;
	for (int pass = 0; pass < 2; pass++) {
		for (int r = 0; r < R; r++) {
			/* pass 0: every third round disturbed; pass 1: two in three */
			bool busy = pass ? r % 3 != 0 : r % 3 == 0;
			double f = busy ? 1.10 : 1.0, d = 7.0 + 0.01 * noise(&seed);

			block[r] = (unsigned)(r / 3);
			for (int k = 0; k < 3; k++) {
				y[(r * 2 + 0) * 3 + k] = 30.0 + f * 88.0 * k2[k];
				y[(r * 2 + 1) * 3 + k] = 30.0 + f * (88.0 + d) * k2[k];
			}
		}
		calls_stats_defaults(&o);
		assert_int_equal(calls_stats_compute(&s, &o, &st), 0);
		if (!pass) {
			assert_int_equal(st.disturbed, R / 3);
			for (int r = 0; r < R; r++)
				assert_true(st.kept[r] == (r % 3 != 0));
			assert_true(st.v[1].mech.lo < 7.0 && st.v[1].mech.hi > 7.0);
			assert_near(st.v[0].slope.mean, 88.0, 1e-9);
		} else {
			assert_int_equal(st.disturbed, 0); /* the quiet level is not the usual state */
			assert_true(st.v[1].mech.mean > 7.3);
		}
		calls_stats_free(&st);
	}
	/* quiet_tol 0: every round kept */
	calls_stats_defaults(&o);
	o.quiet_tol = 0;
	assert_int_equal(calls_stats_compute(&s, &o, &st), 0);
	assert_int_equal(st.disturbed, 0);
	calls_stats_free(&st);
}

/* Rounds in which no arm was measured (every cell NaN: a load that did not
 * run them) are not judged by the rule, so they are not "disturbed": the
 * count of disturbed rounds is exactly the rounds the rule left out, the
 * slow ones, whether or not unmeasured rounds are present. */
static void test_unmeasured_rounds_are_not_disturbed(void **state)
{
	enum { R = 30 };
	static const uint32_t k2[3] = {0, 8, 16};
	static const bool ok2[2] = {true, true}, c2[2] = {false, true};
	double y[R * 2 * 3];
	unsigned block[R];
	struct calls_samples s = {R, 2, 3, k2, y, ok2, 0, c2, block};
	struct calls_stats_opts o;
	struct calls_stats st;
	size_t left_out = 0;

	(void)state;
	for (int r = 0; r < R; r++) {
		bool busy = r % 3 == 0, gone = r == 1 || r == 2 || r == 4;
		double f = busy ? 1.10 : 1.0;

		block[r] = (unsigned)(r / 3);
		for (int k = 0; k < 3; k++) {
			y[(r * 2 + 0) * 3 + k] = gone ? NAN : 30.0 + f * 88.0 * k2[k];
			y[(r * 2 + 1) * 3 + k] = gone ? NAN : 30.0 + f * 95.0 * k2[k];
		}
	}
	calls_stats_defaults(&o);
	assert_int_equal(calls_stats_compute(&s, &o, &st), 0);
	for (int r = 0; r < R; r++) {
		assert_true(st.kept[r] == (r % 3 != 0)); /* the unmeasured ones stay */
		left_out += !st.kept[r];
	}
	assert_int_equal(st.disturbed, R / 3);
	assert_int_equal(st.disturbed, left_out);
	assert_near(st.v[1].mech.mean, 7.0, 1e-9);
	calls_stats_free(&st);
}

/* Two arms with the same true slope (88 ns per call). In every load of four
 * rounds one round slows only the reference by 10%, one only the compared
 * arm, two are quiet (the arm off by a small +-delta that cancels over the
 * loads). The disturbed-round rule must treat both arms alike: a rule that
 * reads the reference alone drops the rounds where the reference is slow
 * but keeps those where the arm is, and finds the arm ~2.9 ns costlier. */
static void test_disturbed_rule_reads_every_arm_alike(void **state)
{
	enum { R = 40, B = 10 };
	static const uint32_t k2[3] = {0, 8, 16};
	static const bool ok2[2] = {true, true}, c2[2] = {false, true}, swapped[2] = {true, false};
	static const double delta[B] = {0.02, -0.02, 0.01, -0.01, 0.03, -0.03, 0.02, -0.02, 0.01, -0.01};
	double y[R * 2 * 3];
	unsigned block[R];
	struct calls_samples s = {R, 2, 3, k2, y, ok2, 0, c2, block};
	struct calls_stats_opts o;
	struct calls_stats st;

	(void)state;
	for (int r = 0; r < R; r++) {
		double ref = r % 4 == 0 ? 88.0 * 1.10 : 88.0;
		double arm = r % 4 == 1 ? 88.0 * 1.10 : r % 4 == 0 ? 88.0 : 88.0 + delta[r / 4];

		block[r] = (unsigned)(r / 4);
		for (int k = 0; k < 3; k++) {
			y[(r * 2 + 0) * 3 + k] = 30.0 + ref * k2[k];
			y[(r * 2 + 1) * 3 + k] = 30.0 + arm * k2[k];
		}
	}
	calls_stats_defaults(&o);
	assert_int_equal(calls_stats_compute(&s, &o, &st), 0);
	assert_true(st.v[1].compared);
	assert_near(st.v[1].mech.mean, 0.0, 1e-9);
	assert_true(st.v[1].mech.lo < 0.0 && st.v[1].mech.hi > 0.0);
	assert_int_equal(st.v[1].verdict, 0);
	/* both kinds of lone slowdown are disturbed rounds, for both arms */
	assert_int_equal(st.disturbed, R / 2);
	for (int r = 0; r < R; r++)
		assert_true(st.kept[r] == (r % 4 >= 2));
	assert_near(st.v[0].slope.mean, 88.0, 1e-9);
	calls_stats_free(&st);
	/* the same rounds with the roles swapped: the same answer */
	s.reference = 1;
	s.compare = swapped;
	assert_int_equal(calls_stats_compute(&s, &o, &st), 0);
	assert_int_equal(st.disturbed, R / 2);
	assert_near(st.v[0].mech.mean, 0.0, 1e-9);
	assert_int_equal(st.v[0].verdict, 0);
	calls_stats_free(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slopes_intercepts_and_mechanism),
		cmocka_unit_test(test_baseline_empty_and_missing_not_compared),
		cmocka_unit_test(test_linearity_flags_bent_sweep),
		cmocka_unit_test(test_linearity_needs_a_significant_bend),
		cmocka_unit_test(test_no_claim_without_family_wise_rejection),
		cmocka_unit_test(test_blocks_are_the_units),
		cmocka_unit_test(test_bookkeeping_per_program_run),
		cmocka_unit_test(test_no_baseline_no_comparisons),
		cmocka_unit_test(test_disturbed_rounds_left_out),
		cmocka_unit_test(test_disturbed_rule_reads_every_arm_alike),
		cmocka_unit_test(test_unmeasured_rounds_are_not_disturbed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
