/* The overhead method across kernels: per timing kind (native, virtualized,
 * emulated), one table per metric with a column per kernel. No table mixes
 * kinds: an emulated nanosecond is not a nanosecond. Every cell carries its
 * 95% CI and its rounds: a median alone is not a result. */
#include <stdio.h>
#include <string.h>

#include "base/mdtable.h"
#include "kernel/variants.h"
#include "methods/overhead.h"
#include "report/matrix.h"
#include "report/report.h"
#include "report/sections.h"

static const struct {
	const char *timing, *title, *note;
} kinds[] = {
	{"native", "Native timings (this machine)",
	 "Measured on this machine itself: the only times here that mean time, and only for this "
	 "host's CPU and mitigations."},
	{"virtualized", "Virtualized timings (KVM guests)",
	 "Hardware-assisted guests: real CPU, virtual devices. Not comparable with native or "
	 "emulated times."},
	{"emulated", "Emulated timings (TCG guests) — not hardware times",
	 "Under TCG every instruction is emulated: these numbers say how the kernels behave "
	 "relative to each other under the same emulator at best, and nothing about hardware. "
	 "Never compare them with native times."},
};

static const struct overhead_row *find(const struct kcol *k, const struct overhead_row *like)
{
	size_t n;
	const struct overhead_row *o = matrix_rows(k, &overhead_csv, &n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(o[i].variant, like->variant) && !strcmp(o[i].attach, like->attach) &&
		    !strcmp(o[i].output, like->output))
			return &o[i];
	return NULL;
}

/* "median [lo, hi] n=rounds"; "median n=rounds (no interval)" from fewer
 * than OVERHEAD_MIN_ROUNDS rounds, whatever the file holds (a bootstrap over
 * so few is far too narrow), or where the row has no interval; "- n=rounds"
 * where it has no median. */
static void cell(const struct overhead_row *o, const struct column *c, const struct column *lo,
		 const struct column *hi, char *buf, size_t len)
{
	char v[64], ci[96], n[32] = "";
	double rounds = col_num(rf_col(&overhead_csv, "rounds"), o);

	col_fmt(c, o, v, sizeof(v));
	report_ci(col_num(lo, o), col_num(hi, o), c->decimals, ci, sizeof(ci));
	if (rounds == rounds) /* not NaN */
		snprintf(n, sizeof(n), " n=%.0f", rounds);
	if (!strcmp(v, "-"))
		snprintf(buf, len, "%s%s", v, n);
	else if (strcmp(ci, "-") && rounds >= OVERHEAD_MIN_ROUNDS)
		snprintf(buf, len, "%s %s%s", v, ci, n);
	else
		snprintf(buf, len, "%s%s (no interval)", v, n);
}

/* Rows: every variant x attach x output any of the kernels has (first
 * kernel's order first); one column per kernel. */
static void table(const struct matrix *m, const size_t *cols, size_t nc, const char *metric,
		  const char *ci_low, const char *ci_high, FILE *f)
{
	const struct column *c = rf_col(&overhead_csv, metric);
	const struct column *lo = rf_col(&overhead_csv, ci_low), *hi = rf_col(&overhead_csv, ci_high);
	const char *head[3 + MATRIX_MAX_KERNELS];
	const struct overhead_row *keys[256];
	size_t nkeys = 0;
	struct mdtable t;
	char buf[192];

	head[0] = "variant";
	head[1] = "attach";
	head[2] = "output";
	for (size_t k = 0; k < nc; k++) {
		size_t n;
		const struct overhead_row *o = matrix_rows(&m->k[cols[k]], &overhead_csv, &n);

		head[3 + k] = m->k[cols[k]].label;
		for (size_t i = 0; i < n && nkeys < 256; i++) {
			bool seen = false;

			for (size_t j = 0; j < nkeys && !seen; j++)
				seen = !strcmp(keys[j]->variant, o[i].variant) &&
				       !strcmp(keys[j]->attach, o[i].attach) &&
				       !strcmp(keys[j]->output, o[i].output);
			if (!seen && strcmp(o[i].variant, OVERHEAD_NO_PROGRAM))
				keys[nkeys++] = &o[i];
		}
	}
	if (md_init(&t, 3 + (int)nc, head))
		return;
	for (size_t j = 0; j < nkeys; j++) {
		md_cell(&t, "%s", keys[j]->variant);
		md_cell(&t, "%s", keys[j]->attach);
		md_cell(&t, "%s", keys[j]->output);
		for (size_t k = 0; k < nc; k++) {
			const struct overhead_row *o = find(&m->k[cols[k]], keys[j]);

			if (o)
				cell(o, c, lo, hi, buf, sizeof(buf));
			md_cell(&t, "%s", o ? buf : "-");
		}
	}
	md_flush(&t, f);
}

void matrix_overhead(const struct matrix *m, FILE *f)
{
	bool any = false;

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		size_t cols[MATRIX_MAX_KERNELS], nc = matrix_columns(m, &overhead_csv, kinds[k].timing, cols);

		if (!nc)
			continue;
		if (!any)
			fprintf(f, "## Time per event, by timing kind\n\n"
				   "Each kind of timing has its own tables; no table mixes them.\n\n");
		any = true;
		fprintf(f, "### %s\n\n%s\n\n", kinds[k].title, kinds[k].note);
		fprintf(f, "Each cell: the median over rounds, its 95%% bootstrap CI in brackets, "
			   "and n, the rounds it summarises; from fewer than %d rounds there is no "
			   "interval (a bootstrap over so few is far too narrow).\n\n",
			OVERHEAD_MIN_ROUNDS);
		fprintf(f, "Added time per event over the baseline (`net_ns` [`net_ci_low`, "
			   "`net_ci_high`], ns):\n\n");
		table(m, cols, nc, "net_ns", "net_ci_low", "net_ci_high", f);
		fprintf(f, "Time per event (`ns_per_event` [`ci_low`, `ci_high`], ns):\n\n");
		table(m, cols, nc, "ns_per_event", "ci_low", "ci_high", f);
	}
}
