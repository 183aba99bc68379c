/* Robust summaries of per-round samples: median and percentile-bootstrap
 * confidence intervals. Deterministic for a given seed. */
#ifndef BPF2BPF_STATS_H
#define BPF2BPF_STATS_H

#include <stddef.h>
#include <stdint.h>

struct stats_ci {
	double median; /* point estimate */
	double lo, hi; /* confidence interval */
};

/* Median of n values (n > 0); x is not modified. NaN when n == 0. */
double stats_median(const double *x, size_t n);
/* Linear-interpolation quantile, q in [0,1]. */
double stats_quantile(const double *x, size_t n, double q);
/* Resamples when a caller passes iters == 0. */
#define STATS_DEFAULT_ITERS 2000

/* Fewer units (rounds) than this: a percentile-bootstrap interval of a
 * median is far too narrow (with 3 of one sign it says p = 0), so callers
 * give no interval and no test. */
#define STATS_MIN_BOOTSTRAP_UNITS 10
/* Percentile-bootstrap CI of the median. level e.g. 0.95. Returns 0, or -1
 * for n == 0 / bad level. With n == 1, lo == hi == median. */
int stats_median_ci(const double *x, size_t n, double level, unsigned iters, uint64_t seed,
		    struct stats_ci *out);
/* CI of the median of paired differences a[i] - b[i] (rounds are interleaved,
 * so round i of two variants ran under the same conditions). */
int stats_paired_diff_ci(const double *a, const double *b, size_t n, double level, unsigned iters,
			 uint64_t seed, struct stats_ci *out);
/* stats_median_ci plus the two-sided bootstrap p-value of "the median is
 * zero": the smallest alpha whose percentile interval excludes zero. */
int stats_median_test(const double *x, size_t n, double level, unsigned iters, uint64_t seed,
		      struct stats_ci *out, double *p);
/* Holm's step-down adjustment of m p-values (family-wise error): adj[i] <
 * alpha rejects hypothesis i at family-wise level alpha. */
void stats_holm(const double *p, size_t m, double *adj);
/* Difference of the means of two independent samples, mean(a) - mean(b) (in
 * out->median), with its percentile-bootstrap CI (each sample resampled on
 * its own). */
int stats_diff_means_ci(const double *a, size_t na, const double *b, size_t nb, double level,
			unsigned iters, uint64_t seed, struct stats_ci *out);
/* 1 when the interval excludes zero (the difference is distinguishable). */
int stats_ci_excludes_zero(const struct stats_ci *ci);

#endif
