/* Least squares and t intervals; see linfit.h. Student's t comes from GSL
 * (libgsl-dev, static too): its quantile and two-sided tail. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>

#include "base/linfit.h"

/* q-quantile of Student's t with df degrees of freedom. */
static double t_quantile(double q, double df)
{
	return gsl_cdf_tdist_Pinv(q, df);
}

/* Two-sided p-value of t. */
static double t_p_two_sided(double t, double df)
{
	return 2.0 * gsl_cdf_tdist_Q(fabs(t), df);
}

int linfit_ols(const double *x, const double *y, size_t n, struct linfit *out)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0, mx, my;
	size_t m = 0;

	out->slope = out->intercept = NAN;
	out->n = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(y[i])) {
			sx += x[i];
			sy += y[i];
			m++;
		}
	if (m < 2)
		return -1;
	mx = sx / (double)m;
	my = sy / (double)m;
	/* centred sums: no cancellation when K and ns are both large */
	for (size_t i = 0; i < n; i++)
		if (!isnan(y[i])) {
			sxx += (x[i] - mx) * (x[i] - mx);
			sxy += (x[i] - mx) * (y[i] - my);
		}
	if (sxx == 0.0)
		return -1;
	out->slope = sxy / sxx;
	out->intercept = my - out->slope * mx;
	out->n = m;
	return 0;
}

int mean_ci_t(const double *x, size_t n, double level, struct mean_ci *out)
{
	double s = 0, ss = 0, half, t;
	size_t m = 0;

	out->mean = out->sd = out->lo = out->hi = out->p = NAN;
	out->n = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(x[i])) {
			s += x[i];
			m++;
		}
	if (!m)
		return -1;
	out->n = m;
	out->mean = s / (double)m;
	if (m < 2)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(x[i]))
			ss += (x[i] - out->mean) * (x[i] - out->mean);
	out->sd = sqrt(ss / (double)(m - 1));
	half = t_quantile(0.5 + level / 2.0, (double)(m - 1)) * out->sd / sqrt((double)m);
	out->lo = out->mean - half;
	out->hi = out->mean + half;
	if (out->sd > 0.0) {
		t = out->mean / (out->sd / sqrt((double)m));
		out->p = t_p_two_sided(t, (double)(m - 1));
	} else {
		out->p = out->mean == 0.0 ? 1.0 : 0.0;
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int trimmed_ci_t(const double *x, size_t n, double trim, double level, struct mean_ci *out)
{
	double *s, sum = 0, wsum = 0, wss = 0, se;
	size_t m = 0, g, h;

	if (trim <= 0.0)
		return mean_ci_t(x, n, level, out);
	out->mean = out->sd = out->lo = out->hi = out->p = NAN;
	out->n = 0;
	s = malloc((n ? n : 1) * sizeof(*s));
	if (!s || !(trim < 0.5)) {
		free(s);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (!isnan(x[i]))
			s[m++] = x[i];
	if (!m) {
		free(s);
		return -1;
	}
	qsort(s, m, sizeof(*s), cmp_double);
	g = (size_t)floor(trim * (double)m);
	h = m - 2 * g;
	for (size_t i = g; i < m - g; i++)
		sum += s[i];
	out->mean = sum / (double)h;
	out->n = m;
	/* winsorize: the g smallest become s[g], the g largest s[m-g-1] */
	for (size_t i = 0; i < m; i++)
		wsum += s[i < g ? g : i >= m - g ? m - g - 1 : i];
	for (size_t i = 0; i < m; i++) {
		double w = s[i < g ? g : i >= m - g ? m - g - 1 : i] - wsum / (double)m;

		wss += w * w;
	}
	free(s);
	if (h < 2 || m < 2)
		return 0;
	out->sd = sqrt(wss / (double)(m - 1)); /* the winsorized SD */
	se = out->sd * sqrt((double)m) / (double)h;
	out->lo = out->mean - t_quantile(0.5 + level / 2.0, (double)(h - 1)) * se;
	out->hi = out->mean + (out->mean - out->lo);
	if (se > 0.0)
		out->p = t_p_two_sided(out->mean / se, (double)(h - 1));
	else
		out->p = out->mean == 0.0 ? 1.0 : 0.0;
	return 0;
}

int mean_ci_excludes_zero(const struct mean_ci *c)
{
	return !isnan(c->lo) && (c->lo > 0.0 || c->hi < 0.0);
}
