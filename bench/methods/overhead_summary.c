/* overhead.csv and overhead-pairs.csv from the rounds alone (overhead.h):
 * medians with bootstrap CIs per cell, paired per-round differences to the
 * baseline and between variants, Holm over each family of pairs. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/stats.h"
#include "kernel/variants.h"
#include "methods/overhead.h"

#define BOOT_ITERS 4000
#define BOOT_SEED 0x5eedb0f5u
#define ALPHA 0.05
/* Fewer rounds than this: no test and no interval (see overhead.h). */
#define MIN_TEST_ROUNDS OVERHEAD_MIN_ROUNDS
#define NOTE_LEN 160

/* One cell's measured rounds. */
struct cell {
	const struct rounds_row *first;
	size_t n, cap;
	const struct rounds_row **r; /* measured rounds, in round order */
	int64_t reloads, tail_runs;
	bool left_out;
	char flags[96];
};

static bool same_cell(const struct rounds_row *a, const struct rounds_row *b)
{
	return !strcmp(a->variant, b->variant) && !strcmp(a->attach, b->attach) &&
	       !strcmp(a->output, b->output);
}

static bool measured(const struct rounds_row *r)
{
	return !strcmp(r->status, "ok") || !strcmp(r->status, "flagged");
}

static void add_flags(struct cell *c, const char *flags)
{
	char copy[96], *tok, *save = NULL;

	snprintf(copy, sizeof(copy), "%s", flags);
	for (tok = strtok_r(copy, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		if (strstr(c->flags, tok))
			continue;
		snprintf(c->flags + strlen(c->flags), sizeof(c->flags) - strlen(c->flags), "%s%s",
			 c->flags[0] ? ";" : "", tok);
	}
}

/* Sort key of a cell: the no-program storm first, then outputs and variants
 * in their tables' order; names not in the tables last. */
static long cell_rank(const struct rounds_row *r)
{
	const struct variant *v = variant_find(r->variant);
	int out = output_mode_parse(r->output);
	long o = 0;

	if (!strcmp(r->variant, OVERHEAD_NO_PROGRAM))
		return 0;
	for (size_t i = 0; i < OUTPUT__COUNT; i++)
		if ((int)outputs[i].mode == out)
			o = (long)i;
	if (out < 0)
		o = OUTPUT__COUNT;
	return 1 + o * 1000 + (v ? (long)(v - variants) : 999);
}

static int collect(const struct rounds_row *rows, size_t n, struct cell **cells, size_t *ncells)
{
	struct cell *cs = calloc(n ? n : 1, sizeof(*cs));
	size_t nc = 0;

	if (!cs)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct rounds_row *r = &rows[i];
		size_t k = 0;

		while (k < nc && !same_cell(cs[k].first, r))
			k++;
		if (k == nc)
			cs[nc++].first = r;
		struct cell *c = &cs[k];
		if (r->reloads > c->reloads)
			c->reloads = r->reloads;
		if (!strcmp(r->status, "left-out")) {
			c->left_out = true;
			add_flags(c, "left-out");
		}
		if (!measured(r))
			continue;
		if (*r->flags)
			add_flags(c, r->flags);
		if (c->n == c->cap) {
			c->cap = c->cap ? 2 * c->cap : 32;
			const struct rounds_row **nr = realloc(c->r, c->cap * sizeof(*nr));
			if (!nr)
				return -1;
			c->r = nr;
		}
		c->r[c->n++] = r;
		c->tail_runs += r->tail_run_cnt > 0 ? r->tail_run_cnt : 0;
	}
	/* Stable insertion sort by rank: the summary reads in table order. */
	for (size_t i = 1; i < nc; i++)
		for (size_t j = i; j > 0 && cell_rank(cs[j].first) < cell_rank(cs[j - 1].first); j--) {
			struct cell t = cs[j];

			cs[j] = cs[j - 1];
			cs[j - 1] = t;
		}
	*cells = cs;
	*ncells = nc;
	return 0;
}

/* The round of a cell's measured rows, -1 when the cell lacks it. */
static long find_round(const struct cell *c, int64_t round)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->r[i]->round == round)
			return (long)i;
	return -1;
}

typedef double row_value(const struct rounds_row *r);
static double v_event(const struct rounds_row *r) { return r->ns_per_event; }
static double v_run(const struct rounds_row *r) { return r->ns_per_run; }
static double v_rate(const struct rounds_row *r) { return r->conn_per_s; }
static double v_cpu(const struct rounds_row *r) { return r->cpu_us_per_conn; }

static double median_of(const struct cell *c, row_value *f, double *x)
{
	size_t m = 0;

	for (size_t i = 0; i < c->n; i++)
		if (!isnan(f(c->r[i])))
			x[m++] = f(c->r[i]);
	return m ? stats_median(x, m) : NAN;
}

/* Per-round differences a - b (relative: 100 (a - b) / b) over the rounds
 * both cells measured; their median, CI and p-value (the CI and p NaN below
 * MIN_TEST_ROUNDS). Returns the rounds paired (0: no median). */
static size_t paired(const struct cell *a, const struct cell *b, row_value *f, bool relative,
		     double *x, struct stats_ci *ci, double *p)
{
	size_t m = 0;

	for (size_t i = 0; i < a->n; i++) {
		long j = find_round(b, a->r[i]->round);
		double va = f(a->r[i]), vb = j < 0 ? NAN : f(b->r[j]);

		if (isnan(va) || isnan(vb) || (relative && vb == 0))
			continue;
		x[m++] = relative ? 100.0 * (va - vb) / vb : va - vb;
	}
	*ci = (struct stats_ci){NAN, NAN, NAN};
	*p = NAN;
	if (m)
		stats_median_test(x, m, 0.95, BOOT_ITERS, BOOT_SEED, ci, p);
	if (m < MIN_TEST_ROUNDS)
		*p = ci->lo = ci->hi = NAN;
	return m;
}

static struct cell *cell_of(struct cell *cs, size_t nc, const struct rounds_row *like,
			    const char *variant)
{
	for (size_t i = 0; i < nc; i++)
		if (!strcmp(cs[i].first->variant, variant) && !strcmp(cs[i].first->attach, like->attach) &&
		    (!strcmp(variant, OVERHEAD_NO_PROGRAM) || !strcmp(cs[i].first->output, like->output)))
			return &cs[i];
	return NULL;
}

/* The fewest entry-program runs per connection of any measured round: what
 * the storm alone causes; the rest came from other traffic. */
static double min_runs_per_conn(const struct cell *cs, size_t nc)
{
	double m = 0;

	for (size_t i = 0; i < nc; i++)
		for (size_t r = 0; r < cs[i].n; r++) {
			const struct rounds_row *x = cs[i].r[r];
			double rpc = x->connections > 0 ? (double)x->run_cnt / (double)x->connections : 0;

			if (strcmp(x->variant, OVERHEAD_NO_PROGRAM) && rpc > 0 && (m == 0 || rpc < m))
				m = rpc;
		}
	return m;
}

static void notes_of(const struct cell *c, char *buf, size_t len)
{
	const struct variant *v = variant_find(c->first->variant);

	buf[0] = '\0';
	if (c->reloads)
		snprintf(buf, len, "re-attach refused: loaded again %lld times",
			 (long long)c->reloads);
	else if (v && v->kind == VK_TAILCALL && c->n)
		snprintf(buf, len,
			 c->tail_runs ? "tail-call targets counted their own runs (%lld)"
				      : "tail-call targets' run_cnt stayed 0: their time is charged to "
					"the entry programs",
			 (long long)c->tail_runs);
}

static void summarize_cell(struct cell *cs, size_t nc, struct cell *c, const char *run_status,
			   double min_rpc, double *x, struct overhead_row *o, char *note)
{
	const struct variant *base = variant_of_kind(VK_BASELINE);
	struct cell *b = base ? cell_of(cs, nc, c->first, base->name) : NULL;
	struct cell *none = cell_of(cs, nc, c->first, OVERHEAD_NO_PROGRAM);
	bool program = strcmp(c->first->variant, OVERHEAD_NO_PROGRAM) != 0;
	struct stats_ci ci = {NAN, NAN, NAN};
	double p;
	int64_t conns = 0, events = 0, drops = 0, runs = 0;

	rf_row_clear(&overhead_csv, o);
	for (size_t i = 0; i < c->n; i++) {
		conns += c->r[i]->connections;
		events += c->r[i]->events > 0 ? c->r[i]->events : 0;
		drops += c->r[i]->drops > 0 ? c->r[i]->drops : 0;
		runs += c->r[i]->run_cnt > 0 ? c->r[i]->run_cnt : 0;
	}
	o->kernel = c->first->kernel;
	o->variant = c->first->variant;
	o->attach = c->first->attach;
	o->output = c->first->output;
	o->timing = c->first->timing;
	o->rounds = (int64_t)c->n;
	o->connections = conns;
	o->conn_per_s = median_of(c, v_rate, x);
	o->cpu_us_per_conn = median_of(c, v_cpu, x);
	if (none && none != c && paired(c, none, v_rate, true, x, &ci, &p)) {
		o->rate_vs_none_pct = ci.median;
		o->rate_ci_low = ci.lo;
		o->rate_ci_high = ci.hi;
	} else if (none == c) {
		o->rate_vs_none_pct = 0;
		if (c->n >= MIN_TEST_ROUNDS)
			o->rate_ci_low = o->rate_ci_high = 0;
	}
	notes_of(c, note, NOTE_LEN);
	o->notes = note;
	o->flags = c->flags;
	o->status = strcmp(run_status, "ok") ? run_status : c->flags[0] ? "flagged" : "ok";
	if (!program)
		return;
	o->events = events;
	o->drops = drops;
	o->run_cnt = runs;
	o->foreign_runs = (double)runs > min_rpc * (double)conns
				  ? (int64_t)((double)runs - min_rpc * (double)conns + 0.5)
				  : 0;
	o->ns_per_run = median_of(c, v_run, x);
	if (c->n) {
		size_t m = 0;

		for (size_t i = 0; i < c->n; i++)
			if (!isnan(c->r[i]->ns_per_event))
				x[m++] = c->r[i]->ns_per_event;
		if (m && m < MIN_TEST_ROUNDS)
			o->ns_per_event = stats_median(x, m); /* no interval */
		else if (m && !stats_median_ci(x, m, 0.95, BOOT_ITERS, BOOT_SEED, &ci)) {
			o->ns_per_event = ci.median;
			o->ci_low = ci.lo;
			o->ci_high = ci.hi;
		}
	}
	if (b == c) {
		o->net_ns = 0;
		if (c->n >= MIN_TEST_ROUNDS)
			o->net_ci_low = o->net_ci_high = 0;
	} else if (b && paired(c, b, v_event, false, x, &ci, &p)) {
		o->net_ns = ci.median;
		o->net_ci_low = ci.lo;
		o->net_ci_high = ci.hi;
	}
}

static bool program_cell(const struct cell *c)
{
	return strcmp(c->first->variant, OVERHEAD_NO_PROGRAM) != 0;
}

static bool same_family(const struct cell *a, const struct cell *b)
{
	return !strcmp(a->first->attach, b->first->attach) && !strcmp(a->first->output, b->first->output);
}

/* One family's pairs (a before b in table order), Holm over them. */
static void family_pairs(struct cell *cs, size_t nc, size_t lead, double *x,
			 struct overhead_summary *s)
{
	size_t fam0 = s->npairs, m;

	for (size_t a = lead; a < nc; a++)
		for (size_t b = a + 1; b < nc; b++) {
			struct stats_ci ci;
			double p;

			if (!program_cell(&cs[a]) || !program_cell(&cs[b]) ||
			    !same_family(&cs[a], &cs[lead]) || !same_family(&cs[b], &cs[lead]) ||
			    !paired(&cs[a], &cs[b], v_event, false, x, &ci, &p))
				continue;
			s->pairs[s->npairs++] = (struct pairs_row){
				.kernel = cs[a].first->kernel, .attach = cs[a].first->attach,
				.output = cs[a].first->output, .variant_a = cs[a].first->variant,
				.variant_b = cs[b].first->variant, .diff_ns = ci.median,
				.ci_low = ci.lo, .ci_high = ci.hi, .p_value = p,
			};
		}
	m = s->npairs - fam0;
	if (!m)
		return;
	double p[m], adj[m];
	for (size_t k = 0; k < m; k++)
		p[k] = s->pairs[fam0 + k].p_value;
	stats_holm(p, m, adj);
	for (size_t k = 0; k < m; k++) {
		struct pairs_row *pr = &s->pairs[fam0 + k];

		pr->p_holm = isnan(pr->p_value) ? NAN : adj[k];
		pr->family = (int64_t)m;
		pr->verdict = isnan(pr->p_value) ? "not tested (fewer than 10 rounds)"
			      : adj[k] >= ALPHA	 ? "not distinguishable"
			      : pr->diff_ns > 0	 ? "a slower"
						 : "b slower";
	}
}

/* Every pair of variants at one attach x output is one family. */
static int pairs_of(struct cell *cs, size_t nc, double *x, struct overhead_summary *s)
{
	s->pairs = calloc(nc * nc / 2 + 1, sizeof(*s->pairs));
	if (!s->pairs)
		return -1;
	for (size_t i = 0; i < nc; i++) {
		bool seen = false;

		for (size_t k = 0; k < i && !seen; k++)
			seen = program_cell(&cs[k]) && same_family(&cs[k], &cs[i]);
		if (program_cell(&cs[i]) && !seen)
			family_pairs(cs, nc, i, x, s);
	}
	return 0;
}

int overhead_summarize(const struct rounds_row *rows, size_t n, const char *run_status,
		       struct overhead_summary *s)
{
	struct cell *cs = NULL;
	size_t nc = 0, maxn = 1;
	double *x = NULL, min_rpc;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	if (collect(rows, n, &cs, &nc))
		goto out;
	for (size_t i = 0; i < nc; i++)
		maxn = cs[i].n > maxn ? cs[i].n : maxn;
	x = malloc(maxn * sizeof(*x));
	s->rows = calloc(nc ? nc : 1, sizeof(*s->rows));
	s->strings = calloc(nc ? nc : 1, NOTE_LEN);
	if (!x || !s->rows || !s->strings)
		goto out;
	min_rpc = min_runs_per_conn(cs, nc);
	for (size_t i = 0; i < nc; i++)
		summarize_cell(cs, nc, &cs[i], run_status, min_rpc, x, &s->rows[i],
			       s->strings + i * NOTE_LEN);
	s->nrows = nc;
	rc = pairs_of(cs, nc, x, s);
out:
	/* The flags live in the cells: copy them beside the notes. */
	for (size_t i = 0; !rc && i < nc; i++) {
		char *f = strdup(cs[i].flags);

		if (!f) {
			rc = -1;
			break;
		}
		s->rows[i].flags = f;
	}
	for (size_t i = 0; i < nc; i++)
		free(cs[i].r);
	free(cs);
	free(x);
	if (rc)
		overhead_summary_free(s);
	return rc;
}

void overhead_summary_free(struct overhead_summary *s)
{
	for (size_t i = 0; s->rows && i < s->nrows; i++)
		free((char *)s->rows[i].flags);
	free(s->rows);
	free(s->pairs);
	free(s->strings);
	memset(s, 0, sizeof(*s));
}
