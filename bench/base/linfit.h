/* Least-squares lines and t-based confidence intervals of a mean: the two
 * steps of the calls method's slope estimate (a line per round, then the
 * rounds' slopes summarised). */
#ifndef BPF2BPF_LINFIT_H
#define BPF2BPF_LINFIT_H

#include <stddef.h>

struct linfit {
	double slope, intercept;
	size_t n; /* points used (NaN y values are skipped) */
};

/* Ordinary least squares of y on x over the points whose y is not NaN.
 * Returns 0, or -1 when fewer than two distinct x remain. */
int linfit_ols(const double *x, const double *y, size_t n, struct linfit *out);

struct mean_ci {
	double mean, sd, lo, hi; /* lo/hi: the two-sided `level` t interval */
	double p;		 /* two-sided one-sample t test of mean == 0 */
	size_t n;		 /* samples used (NaN skipped) */
};

/* Mean, SD, t interval and p-value of the non-NaN samples; n < 2 gives NaN
 * spread, interval and p. Returns 0, or -1 when no sample is left. */
int mean_ci_t(const double *x, size_t n, double level, struct mean_ci *out);

/* The same for the `trim`-trimmed mean (0 <= trim < 0.5: that share of the
 * samples is dropped at each end), robust to a few disturbed samples: the
 * Tukey-McLaughlin interval, trimmed mean +- t(h - 1) x s_w / ((1 - 2 trim)
 * sqrt n), s_w the winsorized SD, h the samples kept; p from the same t
 * (Yuen's test of a zero trimmed mean). trim 0 is mean_ci_t. */
int trimmed_ci_t(const double *x, size_t n, double trim, double level, struct mean_ci *out);

/* 1 when [lo, hi] excludes 0. */
int mean_ci_excludes_zero(const struct mean_ci *c);

#endif
