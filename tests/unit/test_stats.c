/* stats.c: quantiles on known samples and bootstrap CIs checked against the
 * exact bootstrap distribution. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/stats.h"
#include "unit_helpers.h"

#define SEED 0x5eedULL
#define EPS 1e-12

static void test_median_known_samples(void **state)
{
	double odd[] = {5, 1, 3}, even[] = {4, 1, 3, 2}, one[] = {7.5};
	double copy[4];

	(void)state;
	memcpy(copy, even, sizeof(even));
	assert_near(stats_median(odd, 3), 3.0, EPS);
	assert_near(stats_median(even, 4), 2.5, EPS);
	assert_near(stats_median(one, 1), 7.5, EPS);
	assert_true(isnan(stats_median(odd, 0)));
	assert_memory_equal(copy, even, sizeof(even)); /* input not sorted in place */
}

/* Values of R's quantile(x, q) (type 7, linear interpolation). */
static void test_quantile_interpolates(void **state)
{
	double x[] = {5, 4, 3, 2, 1}, y[] = {40, 10, 30, 20};

	(void)state;
	assert_near(stats_quantile(x, 5, 0.0), 1.0, EPS);
	assert_near(stats_quantile(x, 5, 1.0), 5.0, EPS);
	assert_near(stats_quantile(x, 5, 0.25), 2.0, EPS);
	assert_near(stats_quantile(x, 5, 0.1), 1.4, EPS);
	assert_near(stats_quantile(y, 4, 0.5), 25.0, EPS);
	assert_near(stats_quantile(y, 4, 0.9), 37.0, EPS);
	assert_near(stats_quantile(y, 1, 0.3), 40.0, EPS);
	assert_true(isnan(stats_quantile(x, 5, 1.5)));
	assert_true(isnan(stats_quantile(x, 5, -0.1)));
	assert_true(isnan(stats_quantile(x, 5, NAN)));
}

static void fill_range(double *x, size_t n, double from)
{
	for (size_t i = 0; i < n; i++)
		x[i] = from + (double)i;
}

static void test_ci_contains_median_and_rejects_bad_args(void **state)
{
	double x[101], one[] = {3};
	struct stats_ci ci;

	(void)state;
	fill_range(x, 101, 1);
	assert_int_equal(stats_median_ci(x, 101, 0.95, 1000, SEED, &ci), 0);
	assert_near(ci.median, 51.0, EPS);
	assert_true(ci.lo < ci.median && ci.median < ci.hi);
	assert_int_equal(stats_median_ci(one, 1, 0.95, 1000, SEED, &ci), 0);
	assert_true(ci.lo == 3 && ci.hi == 3 && ci.median == 3);
	assert_int_equal(stats_median_ci(x, 0, 0.95, 1000, SEED, &ci), -1);
	assert_int_equal(stats_median_ci(x, 101, 1.0, 1000, SEED, &ci), -1);
	assert_int_equal(stats_median_ci(x, 101, 0.0, 1000, SEED, &ci), -1);
	assert_int_equal(stats_paired_diff_ci(x, x, 0, 0.95, 1000, SEED, &ci), -1);
}

/* Same sample shrunk 10x around its median: same resamples (same seed), so
 * the interval must shrink 10x too. */
static void test_ci_narrows_with_spread(void **state)
{
	double wide[41], narrow[41];
	struct stats_ci a, b;

	(void)state;
	for (int i = 0; i < 41; i++) {
		wide[i] = 100 + 10 * sin(i * 2.1);
		narrow[i] = 100 + (wide[i] - 100) / 10;
	}
	assert_int_equal(stats_median_ci(wide, 41, 0.95, 2000, SEED, &a), 0);
	assert_int_equal(stats_median_ci(narrow, 41, 0.95, 2000, SEED, &b), 0);
	assert_true(a.hi - a.lo > 0.5);
	assert_near(b.hi - b.lo, (a.hi - a.lo) / 10, 1e-9);
}

static void test_ci_deterministic_for_seed(void **state)
{
	double x[57];
	struct stats_ci a, b, c;
	int differs = 0;

	(void)state;
	for (int i = 0; i < 57; i++)
		x[i] = cos(i * 0.77) * 50;
	assert_int_equal(stats_median_ci(x, 57, 0.9, 500, SEED, &a), 0);
	assert_int_equal(stats_median_ci(x, 57, 0.9, 500, SEED, &b), 0);
	assert_memory_equal(&a, &b, sizeof(a));
	/* ...and the seed matters: some other seed gives another interval. */
	for (uint64_t s = 1; s <= 5; s++) {
		assert_int_equal(stats_median_ci(x, 57, 0.9, 500, s, &c), 0);
		differs |= c.lo != a.lo || c.hi != a.hi;
	}
	assert_true(differs);
}

/* P(bootstrap median of 1..n <= k), n odd: at least (n+1)/2 of n draws,
 * each <= k with probability k/n. */
static double boot_median_cdf(int n, int k)
{
	double p = (double)k / n, sum = 0;

	for (int j = (n + 1) / 2; j <= n; j++)
		sum += exp(lgamma(n + 1.0) - lgamma(j + 1.0) - lgamma(n - j + 1.0) + j * log(p) +
			   (n - j) * log1p(-p));
	return sum;
}

/* Smallest k with cdf(k) >= q: the exact bootstrap quantile. */
static int boot_median_quantile(int n, double q)
{
	int k = 1;

	while (k < n && boot_median_cdf(n, k) < q)
		k++;
	return k;
}

static void test_ci_matches_exact_bootstrap_for_1_to_101(void **state)
{
	double x[101];
	struct stats_ci ci;
	int lo = boot_median_quantile(101, 0.025), hi = boot_median_quantile(101, 0.975);

	(void)state;
	/* The exact answer, to catch a broken binomial above: [41, 61]. */
	assert_int_equal(lo, 41);
	assert_int_equal(hi, 61);
	fill_range(x, 101, 1);
	assert_int_equal(stats_median_ci(x, 101, 0.95, 20000, SEED, &ci), 0);
	assert_near(ci.lo, lo, 1.0);
	assert_near(ci.hi, hi, 1.0);
}

/* Rounds differ a lot (a busy machine), variants a little: only pairing
 * round i of a with round i of b can tell them apart. */
static void test_paired_diff_sees_shift_through_round_noise(void **state)
{
	enum { N = 31 };
	double a[N], b[N];
	struct stats_ci ca, cb, d;

	(void)state;
	for (int i = 0; i < N; i++) {
		double round = 100 + 30 * sin(i * 1.3);

		a[i] = round + 1.0 + 0.2 * sin(i * 12.9898);
		b[i] = round + 0.2 * sin(i * 78.233);
	}
	assert_int_equal(stats_median_ci(a, N, 0.95, 2000, SEED, &ca), 0);
	assert_int_equal(stats_median_ci(b, N, 0.95, 2000, SEED, &cb), 0);
	assert_true(ca.lo < cb.hi && cb.lo < ca.hi); /* unpaired: overlap */
	assert_int_equal(stats_paired_diff_ci(a, b, N, 0.95, 2000, SEED, &d), 0);
	assert_true(stats_ci_excludes_zero(&d));
	assert_true(d.lo > 0.5 && d.hi < 1.5);
}

static void test_paired_diff_pure_noise_includes_zero(void **state)
{
	enum { N = 31 };
	double a[N], b[N];
	struct stats_ci d;

	(void)state;
	for (int i = 0; i < N; i++) {
		double round = 100 + 30 * sin(i * 1.3);

		a[i] = round + 0.2 * sin(i * 12.9898);
		b[i] = round + 0.2 * sin(i * 78.233);
	}
	assert_int_equal(stats_paired_diff_ci(a, b, N, 0.95, 2000, SEED, &d), 0);
	assert_false(stats_ci_excludes_zero(&d));
	assert_true(d.lo < 0 && d.hi > 0);
}

static void test_excludes_zero(void **state)
{
	struct stats_ci pos = {.lo = 1, .hi = 2}, neg = {.lo = -2, .hi = -1};
	struct stats_ci across = {.lo = -1, .hi = 1}, touching = {.lo = 0, .hi = 1};

	(void)state;
	assert_true(stats_ci_excludes_zero(&pos));
	assert_true(stats_ci_excludes_zero(&neg));
	assert_false(stats_ci_excludes_zero(&across));
	assert_false(stats_ci_excludes_zero(&touching));
}

/* Holm on a textbook family: sorted p 0.01, 0.02, 0.03, 0.04 x (4, 3, 2, 1)
 * = 0.04, 0.06, 0.06 (monotone), 0.06; input order is kept. */
static void test_holm_textbook(void **state)
{
	double p[] = {0.03, 0.01, 0.04, 0.02}, adj[4];
	double one[] = {0.2}, big[] = {0.5, 0.6}, adj1[1], adj2[2];

	(void)state;
	stats_holm(p, 4, adj);
	assert_near(adj[1], 0.04, EPS);
	assert_near(adj[3], 0.06, EPS);
	assert_near(adj[0], 0.06, EPS);
	assert_near(adj[2], 0.06, EPS);
	stats_holm(one, 1, adj1);
	assert_near(adj1[0], 0.2, EPS);
	stats_holm(big, 2, adj2); /* capped at 1 */
	assert_near(adj2[0], 1.0, EPS);
	assert_near(adj2[1], 1.0, EPS);
}

/* The p-value agrees with the interval: every resample of a one-signed
 * sample is one-signed (p = 0); a sample centred on zero gives a large p. */
static void test_median_test_p(void **state)
{
	double pos[30], mixed[31];
	struct stats_ci ci;
	double p;

	(void)state;
	for (int i = 0; i < 30; i++)
		pos[i] = 1.0 + i;
	for (int i = 0; i < 31; i++)
		mixed[i] = (double)(i - 15);
	assert_int_equal(stats_median_test(pos, 30, 0.95, 2000, SEED, &ci, &p), 0);
	assert_near(p, 0.0, EPS);
	assert_true(ci.lo > 0);
	assert_int_equal(stats_median_test(mixed, 31, 0.95, 2000, SEED, &ci, &p), 0);
	assert_true(p > 0.5);
	assert_true(ci.lo < 0 && ci.hi > 0);
	assert_int_equal(stats_median_test(pos, 1, 0.95, 2000, SEED, &ci, &p), 0);
	assert_near(p, 1.0, EPS); /* one value: nothing to test */
}

static void test_diff_means(void **state)
{
	double a[40], b[40];
	struct stats_ci ci;

	(void)state;
	for (int i = 0; i < 40; i++) {
		a[i] = 10.0 + (i % 5);
		b[i] = 7.0 + (i % 5);
	}
	assert_int_equal(stats_diff_means_ci(a, 40, b, 40, 0.95, 2000, SEED, &ci), 0);
	assert_near(ci.median, 3.0, 1e-9);
	assert_true(ci.lo <= 3.0 && ci.hi >= 3.0 && ci.lo > 2.0 && ci.hi < 4.0);
	assert_int_equal(stats_diff_means_ci(a, 0, b, 40, 0.95, 2000, SEED, &ci), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_median_known_samples),
		cmocka_unit_test(test_quantile_interpolates),
		cmocka_unit_test(test_ci_contains_median_and_rejects_bad_args),
		cmocka_unit_test(test_ci_narrows_with_spread),
		cmocka_unit_test(test_ci_deterministic_for_seed),
		cmocka_unit_test(test_ci_matches_exact_bootstrap_for_1_to_101),
		cmocka_unit_test(test_paired_diff_sees_shift_through_round_noise),
		cmocka_unit_test(test_paired_diff_pure_noise_includes_zero),
		cmocka_unit_test(test_excludes_zero),
		cmocka_unit_test(test_holm_textbook),
		cmocka_unit_test(test_median_test_p),
		cmocka_unit_test(test_diff_means),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
