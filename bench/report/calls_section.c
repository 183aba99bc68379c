/* The calls method in the report: ns per call by mechanism with intervals,
 * a linear-scale chart of what each mechanism adds per call, the K sweep with
 * its fitted lines, the JIT attribution and what kernel run-time statistics
 * cost; findings that give a call's cost with its interval and name the JIT
 * instructions and mitigations behind it. A mechanism is ranked only when
 * Holm over its family rejects "no difference" at 5% and its interval
 * excludes 0. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/calls_stats.h"
#include "base/mdtable.h"
#include "kernel/variants.h"
#include "methods/calls.h"
#include "report/report.h"
#include "report/sections.h"

struct calls_view {
	const struct calls_row *rows;
	size_t n;
	const struct calls_round_row *rounds;
	size_t nrounds;
	const struct calls_bpf_stats_row *stats;
	size_t nstats;
	const struct calls_attr_row *attr;
	size_t nattr;
};

static void view_of(const struct report *r, struct calls_view *v)
{
	v->rows = run_rows(r->run, &calls_csv, &v->n);
	v->rounds = run_rows(r->run, &calls_rounds_csv, &v->nrounds);
	v->stats = run_rows(r->run, &calls_bpf_stats_csv, &v->nstats);
	v->attr = run_rows(r->run, &calls_attr_csv, &v->nattr);
}

static bool ok(const struct calls_row *c)
{
	return c && !strcmp(c->status, "ok") && !isnan(c->ns_per_call);
}

static void num(struct mdtable *m, const struct result_file *rf, const char *col, const void *row)
{
	char buf[64];

	col_fmt(rf_col(rf, col), row, buf, sizeof(buf));
	md_cell(m, "%s", buf);
}

static void ci(struct mdtable *m, double lo, double hi, int decimals)
{
	char buf[96];

	report_ci(lo, hi, decimals, buf, sizeof(buf));
	md_cell(m, "%s", buf);
}

static int time_table(const struct calls_view *v, FILE *f)
{
	static const char *const head[] = {
		"trigger", "attach", "variant", ">loads", ">rounds", ">ns/call", ">95% CI",
		">fixed ns", ">vs inline (ns)", ">95% CI", ">p (Holm)", "verdict", "linearity",
		">event ns (stats off)", ">95% CI"};
	struct mdtable m;
	int rc;

	if (md_init(&m, 15, head))
		return -1;
	for (size_t i = 0; i < v->n; i++) {
		const struct calls_row *c = &v->rows[i];

		if (!ok(c))
			continue;
		md_cell(&m, "%s", c->trigger);
		md_cell(&m, "%s", c->attach);
		md_cell(&m, "%s", c->variant);
		num(&m, &calls_csv, "loads", c);
		num(&m, &calls_csv, "rounds", c);
		num(&m, &calls_csv, "ns_per_call", c);
		ci(&m, c->ci_low, c->ci_high, 2);
		num(&m, &calls_csv, "fixed_ns", c);
		num(&m, &calls_csv, "mech_ns_vs_inline", c);
		ci(&m, c->mech_ci_low, c->mech_ci_high, 2);
		num(&m, &calls_csv, "p_holm", c);
		md_cell(&m, "%s", c->verdict && *c->verdict ? c->verdict : "-");
		if (c->linearity && !strcmp(c->linearity, "fail"))
			md_cell(&m, "fail (K=%lld: %.2f ns [%.2f, %.2f], ratio %.3f)", (long long)c->lin_k,
				c->lin_dev_ns, c->lin_dev_ci_low, c->lin_dev_ci_high, c->lin_ratio);
		else
			md_cell(&m, "%s", c->linearity ? c->linearity : "-");
		num(&m, &calls_csv, "event_ns", c);
		ci(&m, c->event_ci_low, c->event_ci_high, 1);
	}
	rc = md_flush(&m, f);
	return rc;
}

static int skipped_table(const struct calls_view *v, FILE *f)
{
	static const char *const head[] = {"trigger", "attach", "variant", "status", "why"};
	struct mdtable m;
	int rc;

	if (md_init(&m, 5, head))
		return -1;
	for (size_t i = 0; i < v->n; i++) {
		const struct calls_row *c = &v->rows[i];

		if (!strcmp(c->status, "skipped") || !strcmp(c->status, "failed") ||
		    !strcmp(c->status, "unfitted")) {
			md_cell(&m, "%s", c->trigger);
			md_cell(&m, "%s", c->attach);
			md_cell(&m, "%s", c->variant);
			md_cell(&m, "%s", c->status);
			md_cell(&m, "%s", c->reason);
		}
	}
	if (md_rows(&m))
		fprintf(f, "Skipped, failed and unfitted (the kernel's words, or why no line over "
			   "K):\n\n");
	rc = md_print(&m, f);
	if (md_rows(&m))
		fputc('\n', f);
	md_free(&m);
	return rc;
}

static int attr_table(const struct calls_view *v, FILE *f)
{
	static const char *const head[] = {
		"trigger", "attach", "variant", "program", ">funcs", ">bytes", ">bpf2bpf calls",
		">tail jumps", ">ret", ">thunk returns", "return thunk", ">call depth", ">indirect",
		">retpolines", ">endbr", ">push", "kernel calls", "status"};
	struct mdtable m;
	int rc;

	if (!v->nattr || md_init(&m, 18, head))
		return v->nattr ? -1 : 0;
	for (size_t i = 0; i < v->nattr; i++) {
		const struct calls_attr_row *a = &v->attr[i];

		md_cell(&m, "%s", a->trigger);
		md_cell(&m, "%s", a->attach);
		md_cell(&m, "%s", a->variant);
		md_cell(&m, "%s", a->program);
		num(&m, &calls_attr_csv, "funcs", a);
		num(&m, &calls_attr_csv, "bytes", a);
		num(&m, &calls_attr_csv, "bpf_calls", a);
		num(&m, &calls_attr_csv, "tail_jumps", a);
		num(&m, &calls_attr_csv, "ret_plain", a);
		num(&m, &calls_attr_csv, "ret_thunk", a);
		md_cell(&m, "%s", a->return_thunk && *a->return_thunk ? a->return_thunk : "-");
		num(&m, &calls_attr_csv, "call_depth", a);
		num(&m, &calls_attr_csv, "indirect", a);
		num(&m, &calls_attr_csv, "retpoline", a);
		num(&m, &calls_attr_csv, "endbr", a);
		num(&m, &calls_attr_csv, "push", a);
		md_cell(&m, "%s", a->kernel_targets && *a->kernel_targets ? a->kernel_targets : "-");
		md_cell(&m, "%s%s%s", a->status, a->reason && *a->reason ? ": " : "",
			a->reason ? a->reason : "");
	}
	fprintf(f, "### What the JIT made of it\n\nEach timed program's JIT image "
		   "(`bpf_prog_info`), disassembled by objdump at its load address, call and jump "
		   "targets named from /proc/kallsyms, instructions counted by kind (static counts, "
		   "not executions):\n\n");
	rc = md_flush(&m, f);
	return rc;
}

static int stats_table(const struct calls_view *v, FILE *f)
{
	static const char *const head[] = {"trigger", ">programs", ">stats off (ns/trigger)",
					   ">stats on", ">added per program run (ns)", ">95% CI",
					   "stats were on"};
	struct mdtable m;
	int rc;

	if (!v->nstats || md_init(&m, 7, head))
		return v->nstats ? -1 : 0;
	for (size_t i = 0; i < v->nstats; i++) {
		const struct calls_bpf_stats_row *s = &v->stats[i];

		md_cell(&m, "%s", s->trigger);
		num(&m, &calls_bpf_stats_csv, "programs", s);
		num(&m, &calls_bpf_stats_csv, "off_ns", s);
		num(&m, &calls_bpf_stats_csv, "on_ns", s);
		num(&m, &calls_bpf_stats_csv, "stats_ns", s);
		ci(&m, s->ci_low, s->ci_high, 2);
		md_cell(&m, "%s", s->stats_were_on ? s->stats_were_on : "-");
	}
	fprintf(f, "### What kernel.bpf_stats_enabled costs\n\nThe synthetic driver's time per "
		   "trigger with every program attached but unarmed, run-time statistics off and on "
		   "in the same round; the difference per program run is what every `run_time_ns` "
		   "figure (the overhead method's) carries:\n\n");
	rc = md_flush(&m, f);
	return rc;
}

/* What each mechanism adds per call against inlining, one bar group per
 * trigger x attach, 95% intervals; linear axis. */
static void mech_chart(struct report *r, const struct calls_view *v, FILE *f)
{
	const char *fam[8][2];
	size_t nf = 0, nbars = 0;
	char *dat = NULL, *gp = NULL;
	size_t dl = 0, gl = 0;
	FILE *d, *g;

	for (size_t i = 0; i < v->n; i++) {
		size_t k = 0;

		if (!ok(&v->rows[i]) || isnan(v->rows[i].mech_ci_low) ||
		    !strcmp(v->rows[i].verdict ? v->rows[i].verdict : "", ""))
			continue;
		while (k < nf && (strcmp(fam[k][0], v->rows[i].trigger) ||
				  strcmp(fam[k][1], v->rows[i].attach)))
			k++;
		if (k == nf && nf < 8) {
			fam[nf][0] = v->rows[i].trigger;
			fam[nf++][1] = v->rows[i].attach;
		}
	}
	if (!nf || !(d = open_memstream(&dat, &dl)))
		return;
	fprintf(d, "# variant, then per trigger@attach: mech_ns_vs_inline ci_low ci_high (calls.csv)\n");
	for (size_t k = 0; k < nvariants; k++) {
		bool any = false;

		for (size_t i = 0; i < v->n && !any; i++)
			any = !strcmp(v->rows[i].variant, variants[k].name) && ok(&v->rows[i]) &&
			      !isnan(v->rows[i].mech_ci_low) && *v->rows[i].verdict;
		if (!any)
			continue;
		fprintf(d, "\"%s\"", variants[k].name);
		for (size_t j = 0; j < nf; j++) {
			const struct calls_row *c = NULL;

			for (size_t i = 0; i < v->n && !c; i++)
				if (!strcmp(v->rows[i].variant, variants[k].name) &&
				    !strcmp(v->rows[i].trigger, fam[j][0]) &&
				    !strcmp(v->rows[i].attach, fam[j][1]) && ok(&v->rows[i]))
					c = &v->rows[i];
			if (c && !isnan(c->mech_ci_low))
				fprintf(d, " %.4f %.4f %.4f", c->mech_ns_vs_inline, c->mech_ci_low,
					c->mech_ci_high);
			else
				fprintf(d, " NaN NaN NaN");
		}
		fputc('\n', d);
		nbars++;
	}
	fclose(d);
	if ((g = open_memstream(&gp, &gl))) {
		fprintf(g, "set style data histograms\nset style fill solid 0.85 border -1\n"
			   "set style histogram errorbars gap 1 lw 1\n"
			   "set title \"Extra ns per handler call against inlining (mean, 95%% CI; "
			   "linear scale)\"\nset ylabel \"ns per call\"\nset xzeroaxis lt -1\nplot");
		for (size_t j = 0; j < nf; j++)
			fprintf(g, "%s \"calls-mech.dat\" using %zu:%zu:%zu%s title \"%s at %s\"",
				j ? ", \\\n    " : "", 2 + 3 * j, 3 + 3 * j, 4 + 3 * j, j ? "" : ":xtic(1)",
				fam[j][0], fam[j][1]);
		fputc('\n', g);
		fclose(g);
		if (nbars)
			report_chart(r, f, "calls-mech", "extra ns per call against inlining", dat, gp);
	}
	free(dat);
	free(gp);
}

/* The K sweep of one trigger x attach: mean ns per trigger at each K per
 * variant (the rounds), with each variant's fitted line. */
static void sweep_chart(struct report *r, const struct calls_view *v, const char *trigger,
			const char *attach, FILE *f)
{
	char *dat = NULL, *gp = NULL, name[96], alt[160];
	size_t dl = 0, gl = 0, nv = 0;
	const struct calls_row *fit[64];
	FILE *d, *g;

	if (!(d = open_memstream(&dat, &dl)))
		return;
	fprintf(d, "# per variant a block: K, mean ns per trigger over the rounds (calls-rounds.csv)\n");
	for (size_t k = 0; k < nvariants && nv < 64; k++) {
		const struct calls_row *c = NULL;

		for (size_t i = 0; i < v->n && !c; i++)
			if (!strcmp(v->rows[i].variant, variants[k].name) &&
			    !strcmp(v->rows[i].trigger, trigger) && !strcmp(v->rows[i].attach, attach) &&
			    ok(&v->rows[i]))
				c = &v->rows[i];
		if (!c)
			continue;
		fprintf(d, "# %s\n", variants[k].name);
		for (int64_t kv = 0; kv <= 64; kv++) {
			double sum = 0;
			size_t n = 0;

			for (size_t i = 0; i < v->nrounds; i++) {
				const struct calls_round_row *w = &v->rounds[i];

				if (w->k == kv && !strcmp(w->cell, "k") &&
				    !strcmp(w->variant, variants[k].name) &&
				    !strcmp(w->trigger, trigger) && !strcmp(w->attach, attach) &&
				    !isnan(w->ns_per_trigger)) {
					sum += w->ns_per_trigger;
					n++;
				}
			}
			if (n)
				fprintf(d, "%lld %.3f\n", (long long)kv, sum / (double)n);
		}
		fprintf(d, "\n\n");
		fit[nv++] = c;
	}
	fclose(d);
	snprintf(name, sizeof(name), "calls-sweep-%s-%s", trigger, attach);
	if (nv && (g = open_memstream(&gp, &gl))) {
		fprintf(g, "set title \"ns per trigger over K at %s/%s: means over rounds (points), "
			   "fitted lines (slope = ns per call)\"\nset xlabel \"K (handler calls per "
			   "trigger)\"\nset ylabel \"ns per trigger\"\nset key left top\nplot",
			trigger, attach);
		for (size_t i = 0; i < nv; i++)
			fprintf(g, "%s \"%s.dat\" index %zu using 1:2 with points pt 7 lc %zu title "
				   "\"%s\", %.4f + %.5f*x with lines lc %zu notitle",
				i ? ", \\\n    " : " ", name, i, i + 1, fit[i]->variant, fit[i]->fixed_ns,
				fit[i]->ns_per_call, i + 1);
		fputc('\n', g);
		fclose(g);
		snprintf(alt, sizeof(alt), "the K sweep at %s/%s with its fitted lines", trigger,
			 attach);
		report_chart(r, f, name, alt, dat, gp);
	}
	free(dat);
	free(gp);
}

int report_calls(struct report *r, FILE *f)
{
	struct calls_view v;
	struct calls_stats_opts so;
	const char *done[16][2];
	size_t nd = 0;
	int rc = 0;

	view_of(r, &v);
	/* the options calls.csv was summarised with (calls_summary.c) */
	calls_stats_defaults(&so);
	fprintf(f, "## Time per call\n\n"
		   "The handler called K times per trigger, the K calls timed inside the program "
		   "(`bpf_ktime_get_ns()`, run-time statistics off), K swept; per round a "
		   "least-squares line over K: its slope is ns per call, its intercept the fixed "
		   "cost. A mechanism's cost is the per-round slope difference to the inlined "
		   "handler. Every (variant, K) cell runs once per round in rotated order; rounds "
		   "come in blocks on freshly loaded programs (a load fixes where the JIT image "
		   "lands), and the intervals are %g%% t intervals of the %g%%-trimmed mean over the "
		   "loads. Each trigger x attach is one Holm family over the mechanisms compared "
		   "with inlining; a verdict needs Holm-adjusted p < %g and an interval "
		   "excluding 0. Each family is controlled at %g%% on its own and the findings draw "
		   "on several families, so a claim's level is per family. Triggers: synthetic (bpf_trigger_tp fired from a raw_tp driver, "
		   "the handler reading a live socket of the harness) and storm (the real hooks "
		   "under a loopback connection storm). The global function's socket argument is "
		   "tagged `arg:untrusted` in these objects (`arg:trusted` in the sizes and overhead "
		   "objects, and in the alternate calls object used where a kernel refuses "
		   "`arg:untrusted`: the row's notes say so); the verifier checks the tag once, at "
		   "load, and every variant's handler reads the socket with CO-RE reads, so the tag "
		   "adds no instruction to global's per-call path.\n\n",
		100.0 * so.level, 100.0 * so.trim, so.alpha, 100.0 * so.alpha);
	rc |= time_table(&v, f);
	mech_chart(r, &v, f);
	for (size_t i = 0; i < v.n && nd < 16; i++) {
		bool seen = false;

		for (size_t k = 0; k < nd && !seen; k++)
			seen = !strcmp(done[k][0], v.rows[i].trigger) &&
			       !strcmp(done[k][1], v.rows[i].attach);
		if (seen || !ok(&v.rows[i]))
			continue;
		done[nd][0] = v.rows[i].trigger;
		done[nd++][1] = v.rows[i].attach;
		sweep_chart(r, &v, v.rows[i].trigger, v.rows[i].attach, f);
	}
	rc |= skipped_table(&v, f);
	rc |= attr_table(&v, f);
	rc |= stats_table(&v, f);
	return rc;
}
