/* Median, quantiles and percentile-bootstrap confidence intervals. */
#include "base/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void sort_dbl(double *x, size_t n)
{
	qsort(x, n, sizeof(*x), cmp_dbl);
}

/* Type-7 quantile (R's default) of an already sorted array. */
static double quantile_sorted(const double *s, size_t n, double q)
{
	double h = (double)(n - 1) * q;
	size_t lo = (size_t)h;

	if (lo + 1 >= n)
		return s[n - 1];
	return s[lo] + (h - (double)lo) * (s[lo + 1] - s[lo]);
}

double stats_quantile(const double *x, size_t n, double q)
{
	if (n == 0 || !(q >= 0.0 && q <= 1.0))
		return NAN;
	double *s = malloc(n * sizeof(*s));
	if (!s)
		return NAN;
	memcpy(s, x, n * sizeof(*s));
	sort_dbl(s, n);
	double v = quantile_sorted(s, n, q);
	free(s);
	return v;
}

double stats_median(const double *x, size_t n)
{
	return stats_quantile(x, n, 0.5);
}

/* splitmix64 (Steele, Lea, Flood 2014). Hand-rolled because libc rand() is
 * not reproducible across libcs, and a CI must be reproducible from a seed. */
static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n), without modulo bias: reject the short last block. */
static size_t rand_below(uint64_t *state, size_t n)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % n;
	uint64_t r;

	do
		r = splitmix64(state);
	while (r >= limit);
	return (size_t)(r % n);
}

static double resample_median(const double *x, size_t n, double *scratch, uint64_t *state)
{
	for (size_t i = 0; i < n; i++)
		scratch[i] = x[rand_below(state, n)];
	sort_dbl(scratch, n);
	return quantile_sorted(scratch, n, 0.5);
}

int stats_median_test(const double *x, size_t n, double level, unsigned iters, uint64_t seed,
		      struct stats_ci *out, double *p)
{
	if (n == 0 || !(level > 0.0 && level < 1.0))
		return -1;
	if (iters == 0)
		iters = STATS_DEFAULT_ITERS;
	out->median = stats_median(x, n);
	if (n == 1) {
		out->lo = out->hi = out->median;
		*p = 1.0;
		return 0;
	}
	double *meds = malloc(iters * sizeof(*meds));
	double *scratch = malloc(n * sizeof(*scratch));
	if (!meds || !scratch) {
		free(meds);
		free(scratch);
		return -1;
	}
	uint64_t state = seed;
	size_t below = 0, above = 0;
	for (unsigned i = 0; i < iters; i++) {
		meds[i] = resample_median(x, n, scratch, &state);
		below += meds[i] <= 0.0;
		above += meds[i] >= 0.0;
	}
	sort_dbl(meds, iters);
	double tail = (1.0 - level) / 2.0;
	out->lo = quantile_sorted(meds, iters, tail);
	out->hi = quantile_sorted(meds, iters, 1.0 - tail);
	/* The smallest alpha whose percentile interval still excludes zero. */
	*p = 2.0 * (double)(below < above ? below : above) / (double)iters;
	if (*p > 1.0)
		*p = 1.0;
	free(meds);
	free(scratch);
	return 0;
}

void stats_holm(const double *p, size_t m, double *adj)
{
	size_t *order = malloc(m * sizeof(*order));
	double run = 0.0;

	if (!order) { /* Bonferroni: never less strict than Holm */
		for (size_t i = 0; i < m; i++)
			adj[i] = p[i] * (double)m > 1.0 ? 1.0 : p[i] * (double)m;
		return;
	}
	for (size_t i = 0; i < m; i++)
		order[i] = i;
	/* Insertion sort by p: the families here are small. */
	for (size_t i = 1; i < m; i++)
		for (size_t j = i; j > 0 && p[order[j]] < p[order[j - 1]]; j--) {
			size_t t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (size_t k = 0; k < m; k++) {
		double a = p[order[k]] * (double)(m - k);

		run = a > run ? a : run; /* step-down: adjusted p never decreases */
		adj[order[k]] = run > 1.0 ? 1.0 : run;
	}
	free(order);
}

int stats_median_ci(const double *x, size_t n, double level, unsigned iters, uint64_t seed,
		    struct stats_ci *out)
{
	double p;

	return stats_median_test(x, n, level, iters, seed, out, &p);
}

int stats_paired_diff_ci(const double *a, const double *b, size_t n, double level, unsigned iters,
			 uint64_t seed, struct stats_ci *out)
{
	if (n == 0)
		return -1;
	double *d = malloc(n * sizeof(*d));
	if (!d)
		return -1;
	for (size_t i = 0; i < n; i++)
		d[i] = a[i] - b[i];
	int rc = stats_median_ci(d, n, level, iters, seed, out);
	free(d);
	return rc;
}

int stats_ci_excludes_zero(const struct stats_ci *ci)
{
	return ci->lo > 0.0 || ci->hi < 0.0;
}

static double mean_of(const double *x, size_t n)
{
	double s = 0;

	for (size_t i = 0; i < n; i++)
		s += x[i];
	return n ? s / (double)n : NAN;
}

int stats_diff_means_ci(const double *a, size_t na, const double *b, size_t nb, double level,
			unsigned iters, uint64_t seed, struct stats_ci *out)
{
	if (!na || !nb || !(level > 0.0 && level < 1.0))
		return -1;
	if (iters == 0)
		iters = STATS_DEFAULT_ITERS;
	out->median = mean_of(a, na) - mean_of(b, nb);
	double *d = malloc(iters * sizeof(*d));
	if (!d)
		return -1;
	uint64_t state = seed;
	for (unsigned i = 0; i < iters; i++) {
		double sa = 0, sb = 0;

		for (size_t k = 0; k < na; k++)
			sa += a[rand_below(&state, na)];
		for (size_t k = 0; k < nb; k++)
			sb += b[rand_below(&state, nb)];
		d[i] = sa / (double)na - sb / (double)nb;
	}
	sort_dbl(d, iters);
	double tail = (1.0 - level) / 2.0;
	out->lo = quantile_sorted(d, iters, tail);
	out->hi = quantile_sorted(d, iters, 1.0 - tail);
	free(d);
	return 0;
}
