/* base/linfit.c: least squares on known lines, t intervals and
 * p-values against published values (R: qt, pt, t.test). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "unit_helpers.h"
#include "base/linfit.h"

/* The t quantiles and p-values (GSL) through the intervals: two samples
 * have df 1, whose 97.5% quantile is 12.706204736174703; n = 11 has df 10:
 * 2.228138851986274 (tables). */
static void test_t_through_intervals(void **state)
{
	double two[] = {1.0, 3.0}, eleven[11];
	struct mean_ci c;

	(void)state;
	assert_int_equal(mean_ci_t(two, 2, 0.95, &c), 0);
	/* mean 2, sd sqrt(2), se 1 */
	assert_near(c.hi - c.mean, 12.706204736174703, 1e-9);
	assert_near(c.p, 2.0 * (0.5 - atan(2.0) / M_PI), 1e-12); /* Cauchy: t = 2 */
	for (int i = 0; i < 11; i++)
		eleven[i] = i - 5.0 + 1.0; /* mean 1, sd sqrt(11), se 1 */
	assert_int_equal(mean_ci_t(eleven, 11, 0.95, &c), 0);
	assert_near(c.hi - c.mean, 2.228138851986274, 1e-10);
	assert_near(c.mean - c.lo, 2.228138851986274, 1e-10);
}

static void test_ols_recovers_exact_line(void **state)
{
	double x[] = {0, 1, 2, 4, 8, 16, 32}, y[7];
	struct linfit f;

	(void)state;
	for (int i = 0; i < 7; i++)
		y[i] = 30.5 + 6.25 * x[i];
	assert_int_equal(linfit_ols(x, y, 7, &f), 0);
	assert_near(f.slope, 6.25, 1e-12);
	assert_near(f.intercept, 30.5, 1e-11);
	assert_int_equal(f.n, 7);
}

static void test_ols_known_regression_and_nan(void **state)
{
	double x[] = {0, 1, 2, 3, 9}, y[] = {1, 3, 2, 5, NAN};
	struct linfit f;

	(void)state;
	assert_int_equal(linfit_ols(x, y, 5, &f), 0); /* the NaN point is skipped */
	assert_near(f.slope, 1.1, 1e-12);
	assert_near(f.intercept, 1.1, 1e-12);
	assert_int_equal(f.n, 4);
}

static void test_ols_refuses_degenerate(void **state)
{
	double x1[] = {3, 3, 3}, y1[] = {1, 2, 3}, x2[] = {1, 2}, y2[] = {5, NAN};
	struct linfit f;

	(void)state;
	assert_int_equal(linfit_ols(x1, y1, 3, &f), -1);
	assert_true(isnan(f.slope));
	assert_int_equal(linfit_ols(x2, y2, 2, &f), -1);
}

/* R: t.test(1:5) -> t = 4.2426, df = 4, p-value = 0.01324,
 * 95 percent CI 1.036757 4.963243 */
static void test_mean_ci_matches_t_test(void **state)
{
	double x[] = {1, 2, NAN, 3, 4, 5};
	struct mean_ci c;

	(void)state;
	assert_int_equal(mean_ci_t(x, 6, 0.95, &c), 0);
	assert_int_equal(c.n, 5);
	assert_near(c.mean, 3.0, 1e-15);
	assert_near(c.sd, sqrt(2.5), 1e-15);
	assert_near(c.lo, 1.036757, 1e-6);
	assert_near(c.hi, 4.963243, 1e-6);
	assert_near(c.p, 0.01324, 1e-5);
	assert_true(mean_ci_excludes_zero(&c));
}

static void test_mean_ci_small_and_empty(void **state)
{
	double one[] = {NAN, 2.5}, none[] = {NAN};
	double zero_sd[] = {0, 0, 0};
	struct mean_ci c;

	(void)state;
	assert_int_equal(mean_ci_t(one, 2, 0.95, &c), 0);
	assert_near(c.mean, 2.5, 0);
	assert_true(isnan(c.lo) && isnan(c.p));
	assert_false(mean_ci_excludes_zero(&c));
	assert_int_equal(mean_ci_t(none, 1, 0.95, &c), -1);
	assert_int_equal(mean_ci_t(zero_sd, 3, 0.95, &c), 0);
	assert_near(c.p, 1.0, 0);
	assert_false(mean_ci_excludes_zero(&c));
}

/* x = 1..9, 100, 20% trimmed: g = 2, h = 6, trimmed mean 5.5; winsorized
 * 3,3,3,4,5,6,7,8,8,8: SD sqrt(42.5 / 9); se = SD sqrt(10) / 6; t(5). */
static void test_trimmed_ci_resists_an_outlier(void **state)
{
	double x[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 100};
	double sw = sqrt(42.5 / 9.0), se = sw * sqrt(10.0) / 6.0;
	struct mean_ci c, plain;

	(void)state;
	assert_int_equal(trimmed_ci_t(x, 10, 0.2, 0.95, &c), 0);
	assert_near(c.mean, 5.5, 1e-12);
	assert_near(c.sd, sw, 1e-12);
	assert_near(c.hi - c.mean, 2.5705818366147395 * se, 1e-8); /* t(0.975, 5) */
	assert_true(c.p < 0.01 && c.p > 0.0001);
	mean_ci_t(x, 10, 0.95, &plain);
	assert_true(plain.mean > 14.0);		   /* pulled by the 100 */
	assert_true(plain.lo < 0.0 && c.lo > 2.0); /* trimmed: far tighter */
	/* trim 0 is the plain mean interval */
	assert_int_equal(trimmed_ci_t(x, 10, 0.0, 0.95, &c), 0);
	assert_near(c.lo, plain.lo, 0);
	assert_int_equal(trimmed_ci_t(x, 10, 0.5, 0.95, &c), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_t_through_intervals),
		cmocka_unit_test(test_ols_recovers_exact_line),
		cmocka_unit_test(test_ols_known_regression_and_nan),
		cmocka_unit_test(test_ols_refuses_degenerate),
		cmocka_unit_test(test_mean_ci_matches_t_test),
		cmocka_unit_test(test_mean_ci_small_and_empty),
		cmocka_unit_test(test_trimmed_ci_resists_an_outlier),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
