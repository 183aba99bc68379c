/* The calls method's statistics; see calls_stats.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/calls_stats.h"
#include "base/stats.h"

void calls_stats_defaults(struct calls_stats_opts *o)
{
	o->level = 0.95;
	o->alpha = 0.05;
	o->lin_tol = 0.10;
	o->lin_abs_ns = 1.0;
	/* Wilcox's usual 20%: loads hit by other processes have heavy tails */
	o->trim = CALLS_STATS_TRIM_PCT / 100.0;
	o->quiet_tol = CALLS_STATS_QUIET_PCT / 100.0;
	o->quiet_min_share = 0.5;
}

/* Per-round values -> one value per unit (block mean, or the round itself),
 * returns the number of units written to u. */
static size_t to_units(const struct calls_samples *s, const double *x, double *u)
{
	size_t nu = 0;

	if (!s->block) {
		memcpy(u, x, s->nrounds * sizeof(*u));
		return s->nrounds;
	}
	for (size_t r = 0; r < s->nrounds; r++)
		if (s->block[r] + 1 > nu)
			nu = s->block[r] + 1;
	for (size_t b = 0; b < nu; b++) {
		double sum = 0;
		size_t n = 0;

		for (size_t r = 0; r < s->nrounds; r++)
			if (s->block[r] == b && !isnan(x[r])) {
				sum += x[r];
				n++;
			}
		u[b] = n ? sum / (double)n : NAN;
	}
	return nu;
}

static int summarise(const struct calls_samples *s, const struct calls_stats_opts *o,
		     const double *x, double *u, struct mean_ci *out)
{
	return trimmed_ci_t(u, to_units(s, x, u), o->trim, o->level, out);
}

int calls_stats_units_ci(const struct calls_samples *s, const struct calls_stats_opts *o,
			 const double *x, struct mean_ci *out)
{
	double *u = malloc((s->nrounds ? s->nrounds : 1) * sizeof(*u));
	int rc;

	if (!u)
		return -1;
	rc = summarise(s, o, x, u, out);
	free(u);
	return rc;
}

static double at(const struct calls_samples *s, size_t r, size_t v, size_t k)
{
	return s->ns[(r * s->nvariants + v) * s->nk + k];
}

/* Per-round fits of variant v into slope[r], icpt[r] (NaN where no fit). */
static void fit_rounds(const struct calls_samples *s, size_t v, double *slope, double *icpt)
{
	double x[64], y[64];
	size_t nk = s->nk < 64 ? s->nk : 64;

	for (size_t k = 0; k < nk; k++)
		x[k] = (double)s->k[k];
	for (size_t r = 0; r < s->nrounds; r++) {
		struct linfit f;

		for (size_t k = 0; k < nk; k++)
			y[k] = at(s, r, v, k);
		linfit_ols(x, y, nk, &f); /* NaN slope/intercept when it cannot fit */
		slope[r] = f.slope;
		icpt[r] = f.intercept;
	}
}

/* For every K whose 2K was also measured, the per-round deviation from a
 * straight line through K = 0: d = y(2K) - 2 y(K) + y(0) (the round's fitted
 * intercept when K = 0 was not measured). A pair fails when d's interval
 * excludes 0 and |d| is above lin_tol x c(2K) + lin_abs_ns, c(2K) =
 * y(2K) - y(0): a bend that is both real and large. */
static void linearity(const struct calls_samples *s, const struct calls_stats_opts *o, size_t v,
		      const double *icpt, const bool *kept, double *dev, double *units,
		      struct calls_linearity *lin)
{
	size_t nk = s->nk, k0 = nk;
	double worst = -1.0;

	memset(lin, 0, sizeof(*lin));
	lin->ok = true;
	for (size_t k = 0; k < nk; k++)
		if (s->k[k] == 0)
			k0 = k;
	for (size_t a = 0; a < nk; a++)
		for (size_t b = 0; b < nk; b++) {
			double c2 = 0, c1 = 0, slack, score;
			size_t n = 0;
			struct mean_ci d;

			if (!s->k[a] || s->k[b] != 2 * s->k[a])
				continue;
			for (size_t r = 0; r < s->nrounds; r++) {
				double y0 = k0 < nk ? at(s, r, v, k0) : icpt[r];

				dev[r] = kept[r] ? at(s, r, v, b) - 2.0 * at(s, r, v, a) + y0 : NAN;
				if (!isnan(dev[r])) {
					c2 += at(s, r, v, b) - y0;
					c1 += at(s, r, v, a) - y0;
					n++;
				}
			}
			if (n < 2 || summarise(s, o, dev, units, &d) || d.n < 2)
				continue;
			c2 /= (double)n;
			c1 /= (double)n;
			slack = o->lin_tol * fabs(c2) + o->lin_abs_ns;
			lin->checked = true;
			if (mean_ci_excludes_zero(&d) && fabs(d.mean) > slack)
				lin->ok = false;
			score = fabs(d.mean) / slack;
			if (score > worst) { /* the pair closest to failing, or failing most */
				worst = score;
				lin->worst_k = s->k[a];
				lin->worst_ratio = c1 != 0.0 ? c2 / (2.0 * c1) : NAN;
				lin->worst_dev = d;
			}
		}
}

/* Holm over the compared variants only (p NaN: not in the family): adj NaN
 * outside it. Returns the family's size, or -1 (out of memory). */
static int holm_family(const double *p, size_t n, double *adj)
{
	double *fp = calloc(n ? n : 1, sizeof(*fp)), *fa = calloc(n ? n : 1, sizeof(*fa));
	size_t m = 0;

	if (!fp || !fa) {
		free(fp);
		free(fa);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (!isnan(p[i]))
			fp[m++] = p[i];
	stats_holm(fp, m, fa);
	m = 0;
	for (size_t i = 0; i < n; i++)
		adj[i] = isnan(p[i]) ? NAN : fa[m++];
	free(fp);
	free(fa);
	return (int)m;
}

/* In the family the disturbed-round rule reads: the reference and every
 * variant compared with it, measured. */
static bool in_family(const struct calls_samples *s, size_t v)
{
	return s->ok[v] && ((int)v == s->reference || (s->compare && s->compare[v]));
}

/* The rounds the machine left alone. Something else taking the CPU slows a
 * whole round: every arm's slope rises together, the mechanism's cost
 * included. The rule reads every arm of the family alike, so it never picks
 * rounds by one arm's own noise (a rule on the reference alone keeps the
 * rounds where the reference happened to be fast, which biases every paired
 * difference against it): per arm its quiet level, the 10th percentile of
 * its slope over rounds; a round is disturbed when the median over the arms
 * of slope / quiet level is above 1 + quiet_tol, and is then left out of
 * every arm's summaries. Where fewer than quiet_min_share of the rounds are
 * quiet, the quiet level is not the usual state and every round is kept.
 * slope is [variant][round]. Returns the rounds left out: exactly those
 * with kept[r] false. */
static size_t quiet_rounds(const struct calls_samples *s, const struct calls_stats_opts *o,
			   const double *slope, bool *kept)
{
	size_t nr = s->nrounds, nv = s->nvariants, quiet = 0, measured = 0, narms = 0, left = 0;
	double *x = malloc((nr ? nr : 1) * sizeof(*x));
	double *level = malloc((nv ? nv : 1) * sizeof(*level));
	double *ratio = malloc((nv ? nv : 1) * sizeof(*ratio));
	double bound = 1.0 + o->quiet_tol;

	for (size_t r = 0; r < nr; r++)
		kept[r] = true;
	if (!x || !level || !ratio || !(o->quiet_tol > 0.0))
		goto out;
	for (size_t v = 0; v < nv; v++) {
		size_t m = 0;

		level[v] = NAN;
		if (!in_family(s, v))
			continue;
		for (size_t r = 0; r < nr; r++)
			if (!isnan(slope[v * nr + r]))
				x[m++] = slope[v * nr + r];
		if (m >= 2 && stats_quantile(x, m, 0.10) > 0.0) {
			level[v] = stats_quantile(x, m, 0.10);
			narms++;
		}
	}
	if (!narms)
		goto out;
	for (size_t r = 0; r < nr; r++) { /* x[r]: the round's median slowdown */
		size_t n = 0;

		for (size_t v = 0; v < nv; v++)
			if (!isnan(level[v]) && !isnan(slope[v * nr + r]))
				ratio[n++] = slope[v * nr + r] / level[v];
		x[r] = n ? stats_median(ratio, n) : NAN;
		measured += n > 0;
		quiet += n > 0 && x[r] <= bound;
	}
	if (measured < 2 || (double)quiet < o->quiet_min_share * (double)measured)
		goto out;
	/* a round no arm of the family was measured in is not judged, so not
	 * "disturbed": it stays (it holds nothing the summaries read) */
	for (size_t r = 0; r < nr; r++)
		kept[r] = isnan(x[r]) || x[r] <= bound;
	left = measured - quiet;
out:
	free(x);
	free(level);
	free(ratio);
	return left;
}

int calls_stats_compute(const struct calls_samples *s, const struct calls_stats_opts *o,
			struct calls_stats *out)
{
	size_t nv = s->nvariants, nr = s->nrounds;
	double *slope = calloc(nv * (nr ? nr : 1), sizeof(double));
	double *icpt = calloc(nv * (nr ? nr : 1), sizeof(double));
	double *diff = calloc(nr ? nr : 1, sizeof(double));
	double *units = calloc(nr ? nr : 1, sizeof(double));
	double *p = calloc(nv ? nv : 1, sizeof(double)), *adj = calloc(nv ? nv : 1, sizeof(double));
	int rc = -1;

	memset(out, 0, sizeof(*out));
	out->baseline = -1;
	out->nvariants = nv;
	out->v = calloc(nv ? nv : 1, sizeof(*out->v));
	out->kept = calloc(nr ? nr : 1, sizeof(bool));
	if (!slope || !icpt || !diff || !units || !p || !adj || !out->v || !out->kept || s->nk > 64)
		goto done;
	for (size_t v = 0; v < nv; v++)
		if (s->ok[v])
			fit_rounds(s, v, slope + v * nr, icpt + v * nr);
	out->disturbed = quiet_rounds(s, o, slope, out->kept);
	for (size_t v = 0; v < nv; v++)
		for (size_t r = 0; r < nr; r++)
			if (!out->kept[r])
				slope[v * nr + r] = icpt[v * nr + r] = NAN;
	for (size_t v = 0; v < nv; v++) {
		struct calls_variant_stats *vs = &out->v[v];

		vs->p_holm = NAN;
		p[v] = NAN;
		if (!s->ok[v])
			continue;
		summarise(s, o, slope + v * nr, units, &vs->slope);
		summarise(s, o, icpt + v * nr, units, &vs->intercept);
		out->units = vs->slope.n;
		vs->fitted = vs->slope.n >= 2;
		if (vs->fitted)
			linearity(s, o, v, icpt + v * nr, out->kept, diff, units, &vs->lin);
		if (vs->fitted && (int)v == s->reference)
			out->baseline = (int)v;
	}
	for (size_t v = 0; out->baseline >= 0 && v < nv; v++) {
		struct calls_variant_stats *vs = &out->v[v];
		const double *b = slope + (size_t)out->baseline * nr;

		if (!vs->fitted || (int)v == out->baseline || !s->compare || !s->compare[v])
			continue;
		/* paired by round: both lines come from the same round's cells */
		for (size_t r = 0; r < nr; r++)
			diff[r] = slope[v * nr + r] - b[r];
		if (summarise(s, o, diff, units, &vs->mech) || vs->mech.n < 2)
			continue;
		vs->compared = true;
		p[v] = vs->mech.p;
	}
	out->family = holm_family(p, nv, adj);
	if (out->family < 0)
		goto done;
	for (size_t v = 0; v < nv; v++) {
		struct calls_variant_stats *vs = &out->v[v];

		if (!vs->compared)
			continue;
		vs->p_holm = adj[v];
		/* a claim only where the family-wise test rejects; the interval
		 * then excludes 0 too (Holm's p is never below the raw p) */
		if (vs->p_holm <= o->alpha && mean_ci_excludes_zero(&vs->mech))
			vs->verdict = vs->mech.mean > 0 ? 1 : -1;
	}
	rc = 0;
done:
	free(slope);
	free(icpt);
	free(diff);
	free(units);
	free(p);
	free(adj);
	if (rc)
		calls_stats_free(out);
	return rc;
}

int calls_stats_bookkeeping(const double *off_ns, const double *on_ns, size_t nrounds,
			    unsigned progs_per_trigger, double level, struct mean_ci *out)
{
	double *d;
	int rc;

	if (!nrounds || !progs_per_trigger || !(d = malloc(nrounds * sizeof(*d))))
		return -1;
	for (size_t i = 0; i < nrounds; i++)
		d[i] = (on_ns[i] - off_ns[i]) / (double)progs_per_trigger; /* NaN stays NaN */
	rc = mean_ci_t(d, nrounds, level, out);
	free(d);
	return rc;
}

void calls_stats_free(struct calls_stats *st)
{
	free(st->v);
	free(st->kept);
	memset(st, 0, sizeof(*st));
}
