/* The sweep across kernels: each kernel's quick sweep (its run/sweep.csv) —
 * where each variant is first refused, in each kernel's words, and where the
 * crossovers fall — one column per kernel. Sizes and verifier counts only:
 * no time is compared, so emulated and native columns stand side by side. */
#include <stdlib.h>
#include <string.h>

#include "base/mdtable.h"
#include "methods/sweep_findings.h"
#include "report/matrix.h"
#include "report/report.h"
#include "report/sections.h"

#define MAX_SERIES 64
#define MAX_VARIANTS 32

/* (series, variant) pairs any kernel has, in first-seen order. */
struct sweep_keys {
	struct sweep_series s[MAX_SERIES * MAX_VARIANTS];
	const char *v[MAX_SERIES * MAX_VARIANTS];
	size_t n;
};

static void keys_of(const struct matrix *m, struct sweep_keys *k)
{
	k->n = 0;
	for (size_t i = 0; i < m->nk; i++) {
		size_t n, ns;
		const struct sweep_row *rows = matrix_rows(&m->k[i], &sweep_csv, &n);
		struct sweep_series series[MAX_SERIES];

		ns = rows ? sweep_series_of(rows, n, series, MAX_SERIES) : 0;
		for (size_t s = 0; s < ns; s++) {
			const char *vs[MAX_VARIANTS];
			size_t nv = sweep_variants_of(rows, n, &series[s], vs, MAX_VARIANTS);

			for (size_t v = 0; v < nv; v++) {
				bool seen = false;

				for (size_t j = 0; j < k->n && !seen; j++)
					seen = !strcmp(k->v[j], vs[v]) &&
					       !strcmp(k->s[j].axis, series[s].axis) &&
					       !strcmp(k->s[j].style, series[s].style) &&
					       !strcmp(k->s[j].attach, series[s].attach);
				if (!seen && k->n < MAX_SERIES * MAX_VARIANTS) {
					k->s[k->n] = series[s];
					k->v[k->n++] = vs[v];
				}
			}
		}
	}
}

/* md headers "axis | style | attach | <what> | <kernel>..." for the kernels
 * with a sweep; their indexes in cols. */
static size_t header(const struct matrix *m, const char *what, const char **head,
		     char (*labels)[96], size_t *cols)
{
	size_t nc = matrix_columns(m, &sweep_csv, NULL, cols);

	head[0] = "axis";
	head[1] = "style";
	head[2] = "attach";
	head[3] = what;
	for (size_t i = 0; i < nc; i++) {
		snprintf(labels[i], 96, "%s", m->k[cols[i]].label);
		head[4 + i] = labels[i];
	}
	return nc;
}

static void refusal_cell(struct mdtable *t, const struct sweep_row *rows, size_t n,
			 const struct sweep_series *s, const char *variant)
{
	struct sweep_refusal r;
	bool present = false;

	for (size_t i = 0; i < n && !present; i++)
		present = sweep_in_series(&rows[i], s) && !strcmp(rows[i].variant, variant);
	if (!present) {
		md_cell(t, "-");
		return;
	}
	sweep_first_refusal(rows, n, s, variant, &r);
	if (r.found)
		md_cell(t, "refused at %lld (%s)", (long long)r.n, sweep_refusal_kind_name(r.kind));
	else if (r.branch_range)
		md_cell(t, "branch range at %lld", (long long)r.branch_range_n);
	else if (r.any_ok)
		md_cell(t, "loads to %lld%s", (long long)r.max_ok, r.skipped ? ", then out of time" : "");
	else
		md_cell(t, "%s", r.skipped ? "not tried: out of time" : "never loaded");
}

static void refusals(const struct matrix *m, const struct sweep_keys *k, FILE *f)
{
	const char *head[4 + MATRIX_MAX_KERNELS];
	char labels[MATRIX_MAX_KERNELS][96];
	size_t cols[MATRIX_MAX_KERNELS], nc = header(m, "variant", head, labels, cols);
	struct mdtable t;

	if (!nc || md_init(&t, 4 + (int)nc, head))
		return;
	for (size_t j = 0; j < k->n; j++) {
		md_cell(&t, "%s", k->s[j].axis);
		md_cell(&t, "%s", k->s[j].style);
		md_cell(&t, "%s", k->s[j].attach);
		md_cell(&t, "%s", k->v[j]);
		for (size_t c = 0; c < nc; c++) {
			size_t n;
			const struct sweep_row *rows = matrix_rows(&m->k[cols[c]], &sweep_csv, &n);

			refusal_cell(&t, rows, n, &k->s[j], k->v[j]);
		}
	}
	fprintf(f, "### First refusals\n\nWhere each variant is first refused on each axis "
		   "(the grid's largest point when it never is).\n\n");
	md_flush(&t, f);
}

/* Per kernel, each distinct refusal once: the variant, the kernel's words
 * and every series it happened on. */
static void words(const struct matrix *m, FILE *f)
{
	fprintf(f, "### In each kernel's words\n\n");
	for (size_t c = 0; c < m->nk; c++) {
		size_t n, ns, said = 0;
		const struct sweep_row *rows = matrix_rows(&m->k[c], &sweep_csv, &n);
		struct sweep_series series[MAX_SERIES];

		if (!rows)
			continue;
		ns = sweep_series_of(rows, n, series, MAX_SERIES);
		struct {
			const char *variant, *reason;
			char where[512];
		} seen[MAX_SERIES];
		size_t nseen = 0;

		for (size_t s = 0; s < ns; s++) {
			const char *vs[MAX_VARIANTS];
			size_t nv = sweep_variants_of(rows, n, &series[s], vs, MAX_VARIANTS);

			for (size_t v = 0; v < nv; v++) {
				struct sweep_refusal r;
				size_t j;

				sweep_first_refusal(rows, n, &series[s], vs[v], &r);
				if (!r.found)
					continue;
				for (j = 0; j < nseen; j++)
					if (!strcmp(seen[j].variant, vs[v]) && !strcmp(seen[j].reason, r.reason))
						break;
				if (j == nseen && nseen < MAX_SERIES) {
					seen[nseen].variant = vs[v];
					seen[nseen].reason = r.reason;
					seen[nseen++].where[0] = '\0';
				} else if (j == nseen) {
					continue;
				}
				size_t len = strlen(seen[j].where);
				snprintf(seen[j].where + len, sizeof(seen[j].where) - len, "%s%s/%s/%s at %lld",
					 len ? ", " : "", series[s].axis, series[s].style,
					 series[s].attach, (long long)r.n);
			}
		}
		for (size_t j = 0; j < nseen; j++, said++)
			fprintf(f, "- %s: %s refused (%s): \"%s\"\n", m->k[c].label, seen[j].variant,
				seen[j].where, seen[j].reason);
		if (!said)
			fprintf(f, "- %s: no variant refused at any point of its grid\n", m->k[c].label);
	}
	fputc('\n', f);
}

static void crossing_cell(struct mdtable *t, const struct sweep_row *rows, size_t n,
			  const struct sweep_series *s, const struct sweep_pair *p)
{
	const char *a, *b;
	struct sweep_crossing x;

	if (!rows || !sweep_pair_cross(rows, n, s, p, &a, &b, &x)) {
		md_cell(t, "-");
		return;
	}
	switch (x.kind) {
	case SWEEP_CROSS_AT:
		md_cell(t, "at %lld (%.0f vs %.0f)", (long long)x.n, x.a, x.b);
		break;
	case SWEEP_CROSS_FROM_START:
		md_cell(t, "from %lld (%.0f vs %.0f)", (long long)x.n, x.a, x.b);
		break;
	case SWEEP_CROSS_NEVER:
		md_cell(t, "never to %lld (%.0f vs %.0f)", (long long)x.n_last, x.a, x.b);
		break;
	default:
		md_cell(t, "no data");
	}
}

static void crossings(const struct matrix *m, const struct sweep_keys *k, FILE *f)
{
	const char *head[4 + MATRIX_MAX_KERNELS];
	char labels[MATRIX_MAX_KERNELS][96], what[192];
	size_t cols[MATRIX_MAX_KERNELS], nc = header(m, "comparison", head, labels, cols);
	struct mdtable t;

	if (!nc || md_init(&t, 4 + (int)nc, head))
		return;
	for (size_t j = 0; j < k->n; j++) {
		bool first = true;

		/* Each series once (keys repeat it per variant). */
		for (size_t i = 0; i < j && first; i++)
			first = strcmp(k->s[i].axis, k->s[j].axis) || strcmp(k->s[i].style, k->s[j].style) ||
				strcmp(k->s[i].attach, k->s[j].attach);
		if (!first)
			continue;
		for (size_t p = 0; p < nsweep_pairs; p++) {
			const struct sweep_pair *pr = &sweep_pairs[p];
			int axis = sweep_axis_parse(k->s[j].axis);

			if (axis < 0 || !(pr->axes & (1u << axis)))
				continue;
			char times[16] = "";

			if (pr->ratio > 1.0)
				snprintf(times, sizeof(times), "%.3gx ", pr->ratio);
			snprintf(what, sizeof(what), "%s: %s > %s%s",
				 rf_col(&sweep_csv, pr->metric)->label, pr->call_a, times, pr->call_b);
			md_cell(&t, "%s", k->s[j].axis);
			md_cell(&t, "%s", k->s[j].style);
			md_cell(&t, "%s", k->s[j].attach);
			md_cell(&t, "%s", what);
			for (size_t c = 0; c < nc; c++) {
				size_t n;
				const struct sweep_row *rows = matrix_rows(&m->k[cols[c]], &sweep_csv, &n);

				crossing_cell(&t, rows, n, &k->s[j], pr);
			}
		}
	}
	fprintf(f, "### Crossovers\n\nThe first n where the metric of the first kind of call "
		   "(its first variant in variants.def order) passes the given multiple of the "
		   "second's, with both values there; \"never to N\" gives the values at the last "
		   "point compared.\n\n");
	md_flush(&t, f);
}

void matrix_sweep(const struct matrix *m, FILE *f)
{
	size_t cols[MATRIX_MAX_KERNELS];
	struct sweep_keys *k;

	if (!matrix_columns(m, &sweep_csv, NULL, cols))
		return;
	if (!(k = calloc(1, sizeof(*k))))
		return;
	keys_of(m, k);
	fprintf(f, "## Scaling sweep across kernels\n\n"
		   "Each kernel's sweep (its run/sweep.csv: the quick grid, the same embedded "
		   "objects everywhere): every point loaded, never attached. Only sizes and verifier "
		   "counts are compared here, so emulated and native kernels stand side by "
		   "side.\n\n");
	refusals(m, k, f);
	words(m, f);
	crossings(m, k, f);
	free(k);
}
