/* calls.csv and calls-bpf-stats.csv from calls-rounds.csv alone (calls.h):
 * per attach x trigger, the rounds' ns per trigger of every variant at every
 * K become the samples of base/calls_stats.h (lines over K per round, loads
 * as units, Holm over the mechanisms compared with the inlined handler). */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calls_stats.h"
#include "kernel/variants.h"
#include "methods/calls.h"

#define TEXT_LEN 896 /* per summary row: k_values, notes, then reason */
#define REASON_LEN 128
#define MAX_KS 32

/* One attach x trigger of the rounds. */
struct family {
	const char *attach, *trigger;
	const struct calls_round_row *load[64]; /* per variant of the table: its load row */
	uint32_t k[MAX_KS];
	size_t nk;
	int64_t rounds[1024]; /* round numbers seen, ascending */
	size_t nr;
	int64_t loads[1024]; /* load numbers seen, ascending */
	size_t nl;
};

static bool same(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

static bool is(const struct calls_round_row *r, const char *cell)
{
	return same(r->cell, cell);
}

/* Insert v into the ascending set a[*n] (max): its index, or -1 when full. */
static long add_sorted(int64_t *a, size_t *n, size_t max, int64_t v)
{
	size_t i = 0;

	while (i < *n && a[i] < v)
		i++;
	if (i < *n && a[i] == v)
		return (long)i;
	if (*n == max)
		return -1;
	memmove(a + i + 1, a + i, (*n - i) * sizeof(*a));
	a[i] = v;
	(*n)++;
	return (long)i;
}

static long find_sorted(const int64_t *a, size_t n, int64_t v)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] == v)
			return (long)i;
	return -1;
}

static void scan_family(const struct calls_round_row *rows, size_t n, struct family *f)
{
	for (size_t i = 0; i < n; i++) {
		const struct calls_round_row *r = &rows[i];

		if (!same(r->attach, f->attach) || !same(r->trigger, f->trigger))
			continue;
		if (is(r, "load")) {
			const struct variant *v = variant_find(r->variant);

			if (v && !f->load[v - variants])
				f->load[v - variants] = r;
		}
		if (!is(r, "k") || r->round < 0 || r->k < 0)
			continue;
		int64_t ks[MAX_KS];
		size_t nk = f->nk;

		for (size_t k = 0; k < nk; k++)
			ks[k] = f->k[k];
		if (add_sorted(ks, &nk, MAX_KS, r->k) >= 0) {
			for (size_t k = 0; k < nk; k++)
				f->k[k] = (uint32_t)ks[k];
			f->nk = nk;
		}
		add_sorted(f->rounds, &f->nr, 1024, r->round);
		add_sorted(f->loads, &f->nl, 1024, r->load);
	}
}

static int64_t nonneg(int64_t v)
{
	return v > 0 ? v : 0;
}

/* The samples of a family: ns[round][variant][k], the load of each round. */
struct samples {
	double *ns;
	unsigned *block;
	bool ok[64], compare[64];
	int64_t triggers[64], left_out[64], inexact[64];
	int reference;
};

static int fill_samples(const struct calls_round_row *rows, size_t n, const struct family *f,
			struct samples *sm)
{
	size_t cells = (f->nr ? f->nr : 1) * nvariants * (f->nk ? f->nk : 1);

	memset(sm, 0, sizeof(*sm));
	sm->reference = -1;
	sm->ns = malloc(cells * sizeof(double));
	sm->block = calloc(f->nr ? f->nr : 1, sizeof(unsigned));
	if (!sm->ns || !sm->block)
		return -1;
	for (size_t i = 0; i < cells; i++)
		sm->ns[i] = NAN;
	for (size_t i = 0; i < n; i++) {
		const struct calls_round_row *r = &rows[i];
		const struct variant *v;
		long ri, ki = -1;

		if (!is(r, "k") || !same(r->attach, f->attach) || !same(r->trigger, f->trigger) ||
		    !(v = variant_find(r->variant)) || (ri = find_sorted(f->rounds, f->nr, r->round)) < 0)
			continue;
		for (size_t k = 0; k < f->nk; k++)
			if (f->k[k] == (uint32_t)r->k)
				ki = (long)k;
		if (ki < 0)
			continue;
		size_t vi = (size_t)(v - variants);
		sm->ns[((size_t)ri * nvariants + vi) * f->nk + (size_t)ki] = r->ns_per_trigger;
		sm->block[ri] = (unsigned)find_sorted(f->loads, f->nl, r->load);
		sm->ok[vi] = true;
		sm->triggers[vi] += nonneg(r->triggers);
		sm->left_out[vi] += nonneg(r->left_out);
		if (r->expected >= 0 && nonneg(r->triggers) + nonneg(r->left_out) != r->expected)
			sm->inexact[vi]++;
	}
	for (size_t v = 0; v < nvariants && v < 64; v++) {
		/* only what loaded in this family: a load row that is not ok wins */
		if (f->load[v] && !same(f->load[v]->status, "ok"))
			sm->ok[v] = false;
		if (variants[v].kind == VK_REFERENCE)
			sm->reference = (int)v;
		sm->compare[v] = variants[v].kind == VK_CALL || variants[v].kind == VK_TAILCALL;
	}
	return 0;
}

static void k_values_text(const struct family *f, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < f->nk && off < len; k++)
		off += (size_t)snprintf(buf + off, len - off, "%s%u", k ? ";" : "", f->k[k]);
}

static void set_ci(const struct mean_ci *c, double *mean, double *lo, double *hi)
{
	*mean = c->mean;
	*lo = c->lo;
	*hi = c->hi;
}

/* The per-round values at K = 1 of variant v (event_ns). */
static void event_ci(const struct family *f, const struct samples *sm, size_t v,
		     const struct calls_stats *st, const struct calls_samples *cs,
		     const struct calls_stats_opts *so, struct calls_row *o)
{
	double *x = malloc((f->nr ? f->nr : 1) * sizeof(*x));
	struct mean_ci c;
	long k1 = -1;

	for (size_t k = 0; k < f->nk; k++)
		if (f->k[k] == 1)
			k1 = (long)k;
	if (!x || k1 < 0) {
		free(x);
		return;
	}
	for (size_t r = 0; r < f->nr; r++)
		x[r] = st->kept[r] ? sm->ns[(r * nvariants + v) * f->nk + (size_t)k1] : NAN;
	if (!calls_stats_units_ci(cs, so, x, &c))
		set_ci(&c, &o->event_ns, &o->event_ci_low, &o->event_ci_high);
	free(x);
}

static void fill_row(const struct family *f, const struct samples *sm, size_t v,
		     const struct calls_stats *st, const struct calls_samples *cs,
		     const struct calls_stats_opts *so, const char *run_status, char *text,
		     struct calls_row *o)
{
	const struct calls_round_row *ld = f->load[v];
	const struct calls_variant_stats *vs = &st->v[v];
	char *kv = text, *notes = text + 160;
	size_t nl = TEXT_LEN - 160 - REASON_LEN, off = 0;

	rf_row_clear(&calls_csv, o);
	o->kernel = ld ? ld->kernel : "";
	o->variant = variants[v].name;
	o->attach = f->attach;
	o->trigger = f->trigger;
	o->timing = ld ? ld->timing : "";
	k_values_text(f, kv, 160);
	o->k_values = kv;
	o->status = ld ? ld->status : "ok";
	o->reason = ld ? ld->reason : "";
	o->notes = notes;
	notes[0] = '\0';
	if (ld && ld->notes && *ld->notes)
		off += (size_t)snprintf(notes + off, nl - off, "%s", ld->notes);
	if (!sm->ok[v])
		return;
	if (strcmp(run_status, "ok"))
		o->status = run_status;
	o->loads = (int64_t)f->nl;
	o->rounds = (int64_t)f->nr;
	o->disturbed_rounds = (int64_t)st->disturbed;
	o->triggers = sm->triggers[v];
	o->left_out = sm->left_out[v];
	o->inexact_cells = sm->inexact[v];
	if (sm->left_out[v] && off < nl)
		off += (size_t)snprintf(notes + off, nl - off, "%s%.3f%% of the triggers left out as "
					"interrupted", off ? "; " : "",
					100.0 * (double)sm->left_out[v] /
						(double)(sm->triggers[v] + sm->left_out[v]));
	if (sm->inexact[v] && off < nl)
		off += (size_t)snprintf(notes + off, nl - off, "%s%lld cells with inexact counts",
					off ? "; " : "", (long long)sm->inexact[v]);
	if (!vs->slope.n) {
		/* measured, yet no round gave a line over K: no ns per call */
		if (!strcmp(o->status, "ok"))
			o->status = "unfitted";
		if (f->nk < 2)
			snprintf(text + TEXT_LEN - REASON_LEN, REASON_LEN, "no line over K: only K=%u "
				 "was measured, a line needs two K values", f->nk ? f->k[0] : 0);
		else
			snprintf(text + TEXT_LEN - REASON_LEN, REASON_LEN, "no line over K: no round "
				 "measured this variant at two K values");
		o->reason = text + TEXT_LEN - REASON_LEN;
		return;
	}
	set_ci(&vs->slope, &o->ns_per_call, &o->ci_low, &o->ci_high);
	set_ci(&vs->intercept, &o->fixed_ns, &o->fixed_ci_low, &o->fixed_ci_high);
	if (vs->compared) {
		set_ci(&vs->mech, &o->mech_ns_vs_inline, &o->mech_ci_low, &o->mech_ci_high);
		o->p_holm = vs->p_holm;
		o->family = st->family;
		o->verdict = vs->verdict > 0 ? "costlier" : vs->verdict < 0 ? "cheaper"
								 : "not distinguishable";
	}
	if ((int)v == st->baseline)
		o->mech_ns_vs_inline = o->mech_ci_low = o->mech_ci_high = 0;
	o->linearity = !vs->lin.checked ? "unchecked" : vs->lin.ok ? "ok" : "fail";
	if (vs->lin.checked) {
		o->lin_k = vs->lin.worst_k;
		o->lin_ratio = vs->lin.worst_ratio;
		set_ci(&vs->lin.worst_dev, &o->lin_dev_ns, &o->lin_dev_ci_low, &o->lin_dev_ci_high);
	}
	event_ci(f, sm, v, st, cs, so, o);
}

/* One family's rows, appended to s. */
static int summarize_family(const struct calls_round_row *rows, size_t n, struct family *f,
			    const char *run_status, struct calls_summary *s)
{
	struct calls_stats_opts so;
	struct calls_stats st;
	struct samples sm;
	int rc = -1;

	scan_family(rows, n, f);
	if (fill_samples(rows, n, f, &sm))
		goto out;
	struct calls_samples cs = {
		.nrounds = f->nr, .nvariants = nvariants, .nk = f->nk, .k = f->k, .ns = sm.ns,
		.ok = sm.ok, .reference = sm.reference, .compare = sm.compare, .block = sm.block,
	};
	calls_stats_defaults(&so);
	if (calls_stats_compute(&cs, &so, &st))
		goto out;
	for (size_t v = 0; v < nvariants && v < 64; v++) {
		if (!f->load[v] && !sm.ok[v])
			continue; /* not in this run */
		fill_row(f, &sm, v, &st, &cs, &so, run_status, s->strings + s->nrows * TEXT_LEN,
			 &s->rows[s->nrows]);
		s->nrows++;
	}
	calls_stats_free(&st);
	rc = 0;
out:
	free(sm.ns);
	free(sm.block);
	return rc;
}

/* calls-bpf-stats.csv: per attach x trigger with stats rows. */
static void summarize_stats(const struct calls_round_row *rows, size_t n, const struct family *f,
			    const char *run_status, struct calls_bpf_stats_row *o)
{
	double *off = calloc(n ? n : 1, sizeof(double)), *on = calloc(n ? n : 1, sizeof(double));
	int64_t rounds[1024];
	size_t nr = 0;
	unsigned progs = 0;
	bool were_on = false;
	const struct calls_round_row *first = NULL;
	struct mean_ci c, mo;

	rf_row_clear(&calls_bpf_stats_csv, o);
	o->attach = f->attach;
	o->trigger = f->trigger;
	o->status = run_status;
	if (!off || !on)
		goto out;
	for (size_t i = 0; i < n; i++)
		if ((is(&rows[i], "stats-off") || is(&rows[i], "stats-on")) &&
		    same(rows[i].attach, f->attach) && same(rows[i].trigger, f->trigger))
			add_sorted(rounds, &nr, 1024, rows[i].round);
	for (size_t r = 0; r < nr; r++)
		off[r] = on[r] = NAN;
	for (size_t i = 0; i < n; i++) {
		const struct calls_round_row *r = &rows[i];
		long ri;

		if (!(is(r, "stats-off") || is(r, "stats-on")) || !same(r->attach, f->attach) ||
		    !same(r->trigger, f->trigger) || (ri = find_sorted(rounds, nr, r->round)) < 0)
			continue;
		first = first ? first : r;
		(is(r, "stats-on") ? on : off)[ri] = r->ns_per_trigger;
		if (r->programs > 0)
			progs = (unsigned)r->programs;
		were_on |= is(r, "stats-off") && r->notes && strstr(r->notes, "stats were on");
	}
	if (!first)
		goto out;
	o->kernel = first->kernel;
	o->timing = first->timing;
	o->rounds = (int64_t)nr;
	o->programs = progs;
	o->stats_were_on = were_on ? "yes" : "no";
	if (!mean_ci_t(off, nr, 0.95, &mo))
		o->off_ns = mo.mean;
	if (!mean_ci_t(on, nr, 0.95, &mo))
		o->on_ns = mo.mean;
	if (!calls_stats_bookkeeping(off, on, nr, progs, 0.95, &c)) {
		o->stats_ns = c.mean;
		o->ci_low = c.lo;
		o->ci_high = c.hi;
	}
out:
	free(off);
	free(on);
}

int calls_summarize(const struct calls_round_row *rows, size_t n, const char *run_status,
		    struct calls_summary *s)
{
	struct family *fams = calloc(16, sizeof(*fams));
	size_t nf = 0;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	s->rows = calloc(16 * nvariants + 1, sizeof(*s->rows));
	s->stats = calloc(16, sizeof(*s->stats));
	s->strings = calloc(16 * nvariants + 1, TEXT_LEN);
	if (!fams || !s->rows || !s->stats || !s->strings)
		goto out;
	/* the families in order of first appearance */
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;

		while (k < nf && !(same(fams[k].attach, rows[i].attach) &&
				   same(fams[k].trigger, rows[i].trigger)))
			k++;
		if (k == nf && nf < 16) {
			fams[nf].attach = rows[i].attach;
			fams[nf].trigger = rows[i].trigger;
			nf++;
		}
	}
	for (size_t k = 0; k < nf; k++) {
		bool stats = false;

		if (summarize_family(rows, n, &fams[k], run_status, s))
			goto out;
		for (size_t i = 0; i < n && !stats; i++)
			stats = is(&rows[i], "stats-off") && same(rows[i].attach, fams[k].attach) &&
				same(rows[i].trigger, fams[k].trigger);
		if (stats)
			summarize_stats(rows, n, &fams[k], run_status, &s->stats[s->nstats++]);
	}
	rc = 0;
out:
	free(fams);
	if (rc)
		calls_summary_free(s);
	return rc;
}

void calls_summary_free(struct calls_summary *s)
{
	free(s->rows);
	free(s->stats);
	free(s->strings);
	memset(s, 0, sizeof(*s));
}
