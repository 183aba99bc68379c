/* The overhead method in the report: time per event with its intervals, the
 * paired differences (Holm over each family), the end-to-end storm with its
 * intervals, the chart, and the findings on time. A cell whose rounds failed
 * a check is never quoted as a finding, and a pair is ranked only when Holm
 * rejects "no difference" at 5% family-wise. */
#include <stdlib.h>
#include <string.h>

#include "base/mdtable.h"
#include "kernel/variants.h"
#include "methods/overhead.h"
#include "report/report.h"
#include "report/sections.h"

struct ovh_view {
	const struct overhead_row *rows;
	size_t n;
	const struct pairs_row *pairs;
	size_t npairs;
	const char *output; /* the primary output: the first at the primary attach */
};

static bool is_none(const char *variant)
{
	return !strcmp(variant, OVERHEAD_NO_PROGRAM);
}

static void view_of(const struct report *r, struct ovh_view *v)
{
	memset(v, 0, sizeof(*v));
	v->rows = run_rows(r->run, &overhead_csv, &v->n);
	v->pairs = run_rows(r->run, &pairs_csv, &v->npairs);
	for (size_t i = 0; i < v->n && !v->output; i++)
		if (!is_none(v->rows[i].variant) && !strcmp(v->rows[i].attach, r->attach))
			v->output = v->rows[i].output;
}

static const struct overhead_row *cell(const struct ovh_view *v, const char *variant,
				       const char *attach, const char *output)
{
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->rows[i].variant, variant) && !strcmp(v->rows[i].attach, attach) &&
		    (is_none(variant) || !strcmp(v->rows[i].output, output)))
			return &v->rows[i];
	return NULL;
}

static bool ok(const struct overhead_row *o)
{
	return o && !strcmp(o->status, "ok");
}

static void status_cell(struct mdtable *m, const struct overhead_row *o)
{
	md_cell(m, *o->flags ? "%s (%s)" : "%s%s", o->status, o->flags);
}

static void num_cell(struct mdtable *m, const char *col, const struct overhead_row *o)
{
	char buf[64];

	col_fmt(rf_col(&overhead_csv, col), o, buf, sizeof(buf));
	md_cell(m, "%s", buf);
}

static void ci_cell(struct mdtable *m, double lo, double hi, int decimals)
{
	char buf[96];

	report_ci(lo, hi, decimals, buf, sizeof(buf));
	md_cell(m, "%s", buf);
}

/* An interval from fewer than OVERHEAD_MIN_ROUNDS rounds is not one (a
 * bootstrap over so few is far too narrow): said so, whatever the file holds
 * (a run summarised before the summary left it empty). */
static void rounds_ci_cell(struct mdtable *m, double lo, double hi, int64_t rounds)
{
	if (rounds < OVERHEAD_MIN_ROUNDS)
		md_cell(m, "no interval (n=%lld)", (long long)rounds);
	else
		ci_cell(m, lo, hi, 1);
}

static int time_table(const struct ovh_view *v, FILE *f)
{
	static const char *const head[] = {"variant", "attach",	 "output", ">rounds",
					   ">ns/event", ">95% CI", ">net (ns)", ">net 95% CI",
					   ">drops", "status"};
	struct mdtable m;
	int rc;

	if (md_init(&m, 10, head))
		return -1;
	for (size_t i = 0; i < v->n; i++) {
		const struct overhead_row *o = &v->rows[i];

		if (is_none(o->variant))
			continue;
		md_cell(&m, "%s", o->variant);
		md_cell(&m, "%s", o->attach);
		md_cell(&m, "%s", o->output);
		num_cell(&m, "rounds", o);
		num_cell(&m, "ns_per_event", o);
		rounds_ci_cell(&m, o->ci_low, o->ci_high, o->rounds);
		num_cell(&m, "net_ns", o);
		rounds_ci_cell(&m, o->net_ci_low, o->net_ci_high, o->rounds);
		num_cell(&m, "drops", o);
		status_cell(&m, o);
	}
	rc = md_print(&m, f);
	md_free(&m);
	return rc;
}

static int pairs_table(const struct ovh_view *v, FILE *f)
{
	static const char *const head[] = {"attach", "output",	     "a",	"b", ">a - b (ns)",
					   ">95% CI", ">p (Holm)", "verdict"};
	struct mdtable m;
	char buf[64];
	int rc;

	if (md_init(&m, 8, head))
		return -1;
	for (size_t i = 0; i < v->npairs; i++) {
		const struct pairs_row *p = &v->pairs[i];

		md_cell(&m, "%s", p->attach);
		md_cell(&m, "%s", p->output);
		md_cell(&m, "%s", p->variant_a);
		md_cell(&m, "%s", p->variant_b);
		metric_fmt_num(p->diff_ns, 1, buf, sizeof(buf));
		md_cell(&m, "%s", buf);
		if (isnan(p->p_value)) /* not tested: fewer than OVERHEAD_MIN_ROUNDS pairs */
			md_cell(&m, "no interval (n<%d)", OVERHEAD_MIN_ROUNDS);
		else
			ci_cell(&m, p->ci_low, p->ci_high, 1);
		metric_fmt_num(p->p_holm, 3, buf, sizeof(buf));
		md_cell(&m, "%s", buf);
		md_cell(&m, "%s", p->verdict);
	}
	fprintf(f, "Paired differences (each round ran every variant, so a round's conditions "
		   "cancel out). Each attach x output is one family of %lld pairs; a pair is ranked "
		   "only when its Holm-adjusted p is below 0.05 (family-wise 5%%); the 95%% CI is "
		   "the pair's own, and there is none from fewer than %d paired rounds. Each family "
		   "is controlled at 5%% on its own and the findings draw on several families, so a "
		   "claim's level is per family.\n\n",
		v->npairs ? (long long)v->pairs[0].family : 0LL, OVERHEAD_MIN_ROUNDS);
	rc = md_flush(&m, f);
	return rc;
}

static int storm_table(const struct ovh_view *v, FILE *f)
{
	static const char *const head[] = {"variant", "attach",	     "output", ">conn/s",
					   ">vs none (%)", ">95% CI", ">CPU/conn (us)", "status"};
	struct mdtable m;
	int rc;

	if (md_init(&m, 8, head))
		return -1;
	for (size_t i = 0; i < v->n; i++) {
		const struct overhead_row *o = &v->rows[i];

		md_cell(&m, "%s", o->variant);
		md_cell(&m, "%s", o->attach);
		md_cell(&m, "%s", *o->output ? o->output : "-");
		num_cell(&m, "conn_per_s", o);
		num_cell(&m, "rate_vs_none_pct", o);
		rounds_ci_cell(&m, o->rate_ci_low, o->rate_ci_high, o->rounds);
		num_cell(&m, "cpu_us_per_conn", o);
		status_cell(&m, o);
	}
	fprintf(f, "## End-to-end storm\n\nLoopback TCP connections per second with the programs "
		   "attached, against the storm with no program in the same rounds (median of the "
		   "per-round relative differences, 95%% bootstrap CI, none from fewer than %d "
		   "rounds), and the storm process's CPU time per connection.\n\n",
		OVERHEAD_MIN_ROUNDS);
	rc = md_flush(&m, f);
	return rc;
}

/* ns per event with its 95% CI per variant, one bar per output, at the
 * primary attach mode. */
static void chart(struct report *r, const struct ovh_view *v, FILE *f)
{
	const char *outs[OUTPUT__COUNT];
	size_t nouts = 0, nvar = 0;
	double ymin = INFINITY, ymax = 0;
	char *dat = NULL, *gp = NULL;
	size_t dl = 0, gl = 0;
	FILE *d, *g;

	for (size_t i = 0; i < v->n; i++) {
		const struct overhead_row *o = &v->rows[i];
		size_t k = 0;

		if (strcmp(o->attach, r->attach) || is_none(o->variant))
			continue;
		while (k < nouts && strcmp(outs[k], o->output))
			k++;
		if (k == nouts && nouts < OUTPUT__COUNT)
			outs[nouts++] = o->output;
	}
	if (!nouts || !(d = open_memstream(&dat, &dl)))
		return;
	fprintf(d, "# variant, then per output: ns_per_event ci_low ci_high (overhead.csv, attach "
		   "%s)\n",
		r->attach);
	for (size_t k = 0; k < nvariants; k++) {
		bool any = false;

		for (size_t o = 0; o < nouts; o++)
			any |= cell(v, variants[k].name, r->attach, outs[o]) != NULL;
		if (!any)
			continue;
		fprintf(d, "\"%s\"", variants[k].name);
		for (size_t o = 0; o < nouts; o++) {
			const struct overhead_row *c = cell(v, variants[k].name, r->attach, outs[o]);
			double y = c ? c->ns_per_event : NAN, lo = c ? c->ci_low : NAN;
			double hi = c ? c->ci_high : NAN;

			if (c && (c->rounds < OVERHEAD_MIN_ROUNDS || isnan(lo) || isnan(hi)))
				lo = hi = y; /* no interval: a bar without whiskers */

			fprintf(d, isnan(y) ? " NaN NaN NaN" : " %.2f %.2f %.2f", y, lo, hi);
			ymin = !isnan(lo) && lo < ymin ? lo : ymin;
			ymax = !isnan(hi) && hi > ymax ? hi : ymax;
		}
		fputc('\n', d);
		nvar++;
	}
	fclose(d);
	if ((g = open_memstream(&gp, &gl))) {
		/* Outputs differ by orders of magnitude (perfbuf vs none): a linear
		 * axis would flatten the cheap ones to nothing. */
		int logy = ymin > 0 && ymax / ymin > 20;

		fprintf(g, "set style data histograms\nset style fill solid 0.85 border -1\n");
		if (logy)
			fprintf(g, "set logscale y\nset yrange [%g:%g]\n", pow(10, floor(log10(ymin))),
				pow(10, ceil(log10(ymax))));
		else
			fprintf(g, "set yrange [0:*]\n");
		fprintf(g, "set title \"Time per event at %s (median, 95%% CI from %d rounds on%s)\"\n"
			   "set ylabel \"ns per event\"\n"
			   "set style histogram errorbars gap 1 lw 1\nplot",
			r->attach, OVERHEAD_MIN_ROUNDS, logy ? "; log scale" : "");
		for (size_t o = 0; o < nouts; o++)
			fprintf(g, "%s \"overhead.dat\" using %zu:%zu:%zu%s title \"%s\"",
				o ? ", \\\n    " : "", 2 + 3 * o, 3 + 3 * o, 4 + 3 * o,
				o ? "" : ":xtic(1)", outs[o]);
		fputc('\n', g);
		fclose(g);
		if (nvar)
			report_chart(r, f, "overhead", "time per event", dat, gp);
	}
	free(dat);
	free(gp);
}

int report_overhead(struct report *r, FILE *f)
{
	struct ovh_view v;
	int rc = 0;

	view_of(r, &v);
	fprintf(f, "## Time per event\n\n"
		   "Sum of the programs' run_time_ns (kernel.bpf_stats_enabled, part of whose own "
		   "bookkeeping is in every figure: read them against the baseline) divided by the events (two per connection), median over the "
		   "measured rounds with its 95%% bootstrap CI; net = median of the per-round "
		   "differences to the baseline at the same attach mode and output. From fewer than "
		   "%d rounds there is no interval (a bootstrap over so few is far too narrow): the "
		   "tables say \"no interval\" and give n.\n\n",
		OVERHEAD_MIN_ROUNDS);
	rc |= time_table(&v, f);
	fputc('\n', f);
	chart(r, &v, f);
	if (v.npairs)
		rc |= pairs_table(&v, f);
	rc |= storm_table(&v, f);
	return rc;
}

/* ---- findings ---- */

static void pair(struct findings *fs, const struct ovh_view *v, const struct variant *a,
		 const struct variant *b)
{
	const struct report *r = fs->r;
	const struct pairs_row *p = NULL;
	char d[32], ci[96], verdict[320];

	if (!a || !b || !v->output)
		return;
	for (size_t i = 0; i < v->npairs && !p; i++)
		if (!strcmp(v->pairs[i].attach, r->attach) && !strcmp(v->pairs[i].output, v->output) &&
		    ((!strcmp(v->pairs[i].variant_a, a->name) && !strcmp(v->pairs[i].variant_b, b->name)) ||
		     (!strcmp(v->pairs[i].variant_a, b->name) && !strcmp(v->pairs[i].variant_b, a->name))))
			p = &v->pairs[i];
	if (!p || isnan(p->diff_ns) || !ok(cell(v, a->name, r->attach, v->output)) ||
	    !ok(cell(v, b->name, r->attach, v->output)))
		return;
	metric_fmt_num(p->diff_ns, 1, d, sizeof(d));
	if (isnan(p->p_value)) /* fewer than OVERHEAD_MIN_ROUNDS paired rounds */
		snprintf(ci, sizeof(ci), "n<%d, no interval", OVERHEAD_MIN_ROUNDS);
	else {
		char iv[80];

		report_ci(p->ci_low, p->ci_high, 1, iv, sizeof(iv));
		snprintf(ci, sizeof(ci), "95%% CI %s", iv);
	}
	/* Each cell is loaded once per run: where its code landed in memory is
	 * confounded with the mechanism, so a ranking holds for these loads. */
	if (!strcmp(p->verdict, "a slower") || !strcmp(p->verdict, "b slower"))
		snprintf(verdict, sizeof(verdict), "%s is slower than %s (Holm-adjusted p %.3f over %lld "
			 "pairs) for this run's loads (one load per cell: where the code landed is "
			 "part of it; the calls method answers the mechanism)",
			 report_noun(!strcmp(p->verdict, "a slower") ? p->variant_a : p->variant_b),
			 report_noun(!strcmp(p->verdict, "a slower") ? p->variant_b : p->variant_a),
			 p->p_holm, (long long)p->family);
	else if (isnan(p->p_holm))
		snprintf(verdict, sizeof(verdict), "%s", p->verdict);
	else
		snprintf(verdict, sizeof(verdict), "%s and %s are not distinguishable here (Holm over "
			 "%lld pairs)",
			 report_noun(p->variant_a), report_noun(p->variant_b), (long long)p->family);
	say(fs, "At %s/%s, %s - %s = %s ns per event (%s): %s.", r->attach, v->output,
	    p->variant_a, p->variant_b, d, ci, verdict);
}

/* Handler cost net of the baseline, only where the CI says it is
 * distinguishable from nothing. */
static void net_cost(struct findings *fs, const struct ovh_view *v)
{
	const struct overhead_row *lo = NULL, *hi = NULL;
	const struct variant *base = variant_of_kind(VK_BASELINE);
	int n = 0, any = 0;
	char a[32], b[32];

	if (!v->output || !base || !ok(cell(v, base->name, fs->r->attach, v->output)))
		return;
	for (size_t k = 0; k < nvariants; k++) {
		const struct overhead_row *o = cell(v, variants[k].name, fs->r->attach, v->output);

		if (variants[k].kind == VK_BASELINE || !ok(o) || isnan(o->net_ns) ||
		    o->rounds < OVERHEAD_MIN_ROUNDS)
			continue; /* no interval, no claim */
		any++;
		if (!(o->net_ci_low > 0 || o->net_ci_high < 0))
			continue;
		lo = !lo || o->net_ns < lo->net_ns ? o : lo;
		hi = !hi || o->net_ns > hi->net_ns ? o : hi;
		n++;
	}
	if (!n) {
		if (any)
			say(fs, "At %s/%s no handler's cost is distinguishable from the baseline (every "
				"net CI includes 0).", fs->r->attach, v->output);
		return;
	}
	metric_fmt_num(lo->net_ns, 1, a, sizeof(a));
	metric_fmt_num(hi->net_ns, 1, b, sizeof(b));
	if (n == 1)
		say(fs, "Net of the baseline at %s/%s, %s adds %s ns per event%s.", fs->r->attach,
		    v->output, lo->variant, a, n < any ? "; the others' net CIs include 0" : "");
	else
		say(fs, "Net of the baseline at %s/%s, the handler adds from %s ns per event (%s) to "
			"%s ns (%s)%s.",
		    fs->r->attach, v->output, a, lo->variant, b, hi->variant,
		    n < any ? "; the others' net CIs include 0" : "");
}

/* Cells whose measurements failed a check, named rather than quoted. */
static void flagged(struct findings *fs, const struct ovh_view *v)
{
	const char *names[64];
	size_t n = 0;
	char list[512];

	for (size_t k = 0; v->output && k < nvariants && n < 64; k++) {
		const struct overhead_row *o = cell(v, variants[k].name, fs->r->attach, v->output);

		if (o && !ok(o))
			names[n++] = variants[k].name;
	}
	if (!n)
		return;
	report_join(names, n, list, sizeof(list));
	say(fs, "At %s/%s the time measurements of %s failed a check (status/flags in the table) "
		"and are not used in these findings.", fs->r->attach, v->output, list);
}

void findings_overhead(struct findings *fs)
{
	const struct variant *base = variant_of_kind(VK_BASELINE);
	const struct overhead_row *b;
	struct ovh_view v;

	view_of(fs->r, &v);
	if (!v.n)
		return;
	b = base && v.output ? cell(&v, base->name, fs->r->attach, v.output) : NULL;
	if (b && b->rounds < OVERHEAD_MIN_ROUNDS) {
		say(fs, "The time per event was measured in %lld rounds only: too few for a claim "
			"(the tables show the figures; run without --quick for 20 or more).",
		    (long long)b->rounds);
		return;
	}
	pair(fs, &v, variant_of_kind(VK_REFERENCE), variant_of_kind(VK_CALL));
	pair(fs, &v, variant_of_kind(VK_CALL), variant_of_kind(VK_TAILCALL));
	flagged(fs, &v);
	net_cost(fs, &v);
}
