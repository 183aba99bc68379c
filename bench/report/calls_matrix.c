/* The calls method across kernels: per timing kind, what each mechanism adds
 * per call against inlining (calls.csv), a column per kernel; every row a
 * kernel has is shown, its skips and refusals in the kernel's words. No
 * table mixes timing kinds: an emulated nanosecond is not a nanosecond. */
#include <math.h>
#include <string.h>

#include "base/mdtable.h"
#include "methods/calls.h"
#include "report/matrix.h"
#include "report/report.h"
#include "report/sections.h"

static const struct {
	const char *timing, *title;
} kinds[] = {
	{"native", "Native timings (this machine)"},
	{"virtualized", "Virtualized timings (KVM guests): not comparable with native"},
	{"emulated", "Emulated timings (TCG guests) — not hardware times, never compare with native"},
};

static bool same_key(const struct calls_row *a, const struct calls_row *b)
{
	return !strcmp(a->variant, b->variant) && !strcmp(a->attach, b->attach) &&
	       !strcmp(a->trigger, b->trigger);
}

static const struct calls_row *find(const struct kcol *k, const struct calls_row *like)
{
	size_t n;
	const struct calls_row *c = matrix_rows(k, &calls_csv, &n);

	for (size_t i = 0; i < n; i++)
		if (same_key(&c[i], like))
			return &c[i];
	return NULL;
}

/* How a cell marks a comparison Holm did not call: the bracket beside it is
 * the comparison's own, unadjusted interval, which may exclude 0. */
#define NOT_DISTINGUISHABLE "n.d."

/* One cell: "+7.01 [6.94, 7.07]" for a mechanism against inlining, with
 * " n.d." (or the verdict) unless Holm called it costlier or cheaper; else
 * the row's own ns per call, with its interval over the loads
 * ("87.57 ns/call [87.49, 87.66], 3 loads") or "(1 load, no interval)"; or
 * the row's status. */
static void cell(struct mdtable *t, const struct calls_row *c)
{
	char loads[32] = "";

	if (!c) {
		md_cell(t, "-");
		return;
	}
	if (c->loads >= 0)
		snprintf(loads, sizeof(loads), "%lld load%s", (long long)c->loads,
			 c->loads == 1 ? "" : "s");
	if (strcmp(c->status, "ok") || isnan(c->ns_per_call)) {
		md_cell(t, "%s", c->status);
	} else if (!isnan(c->mech_ci_low) && c->verdict && *c->verdict) {
		bool called = !strcmp(c->verdict, "costlier") || !strcmp(c->verdict, "cheaper");

		md_cell(t, "%+.2f [%.2f, %.2f]%s%s", c->mech_ns_vs_inline, c->mech_ci_low,
			c->mech_ci_high, called ? "" : " ",
			called ? ""
			: !strcmp(c->verdict, "not distinguishable") ? NOT_DISTINGUISHABLE
								       : c->verdict);
	} else if (!isnan(c->ci_low) && !isnan(c->ci_high)) {
		md_cell(t, "%.2f ns/call [%.2f, %.2f]%s%s", c->ns_per_call, c->ci_low, c->ci_high,
			*loads ? ", " : "", loads);
	} else {
		md_cell(t, "%.2f ns/call (%s%sno interval)", c->ns_per_call, loads, *loads ? ", " : "");
	}
}

static void table(const struct matrix *m, const size_t *cols, size_t nc, FILE *f)
{
	const char *head[3 + MATRIX_MAX_KERNELS];
	const struct calls_row *keys[256];
	size_t nkeys = 0;
	struct mdtable t;

	head[0] = "trigger";
	head[1] = "attach";
	head[2] = "variant";
	for (size_t k = 0; k < nc; k++) {
		size_t n;
		const struct calls_row *c = matrix_rows(&m->k[cols[k]], &calls_csv, &n);

		head[3 + k] = m->k[cols[k]].label;
		for (size_t i = 0; i < n && nkeys < 256; i++) {
			bool seen = false;

			for (size_t j = 0; j < nkeys && !seen; j++)
				seen = same_key(keys[j], &c[i]);
			if (!seen)
				keys[nkeys++] = &c[i];
		}
	}
	if (md_init(&t, 3 + (int)nc, head))
		return;
	for (size_t j = 0; j < nkeys; j++) {
		md_cell(&t, "%s", keys[j]->trigger);
		md_cell(&t, "%s", keys[j]->attach);
		md_cell(&t, "%s", keys[j]->variant);
		for (size_t k = 0; k < nc; k++)
			cell(&t, find(&m->k[cols[k]], keys[j]));
	}
	md_flush(&t, f);
}

/* Skips and refusals, with each kernel's words; rows with no line over K. */
static void refusals(const struct matrix *m, FILE *f)
{
	static const char *const head[] = {"kernel", "trigger", "attach", "variant", "status", "why"};
	struct mdtable t;

	if (md_init(&t, 6, head))
		return;
	for (size_t k = 0; k < m->nk; k++) {
		size_t n;
		const struct calls_row *c = matrix_rows(&m->k[k], &calls_csv, &n);

		for (size_t i = 0; i < n; i++)
			if (!strcmp(c[i].status, "skipped") || !strcmp(c[i].status, "failed") ||
			    !strcmp(c[i].status, "unfitted")) {
				md_cell(&t, "%s", m->k[k].label);
				md_cell(&t, "%s", c[i].trigger);
				md_cell(&t, "%s", c[i].attach);
				md_cell(&t, "%s", c[i].variant);
				md_cell(&t, "%s", c[i].status);
				md_cell(&t, "%s", c[i].reason);
			}
	}
	if (md_rows(&t)) {
		fprintf(f, "Skipped, failed and unfitted, in each kernel's words (unfitted: why no "
			   "line over K):\n\n");
		md_print(&t, f);
		fputc('\n', f);
	}
	md_free(&t);
}

void matrix_calls(const struct matrix *m, FILE *f)
{
	bool any = false;

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		size_t cols[MATRIX_MAX_KERNELS], nc = matrix_columns(m, &calls_csv, kinds[k].timing, cols);

		if (!nc)
			continue;
		if (!any)
			fprintf(f, "## Time per call, by timing kind\n\n"
				   "Per kernel: what each mechanism adds per handler call against "
				   "inlining (`mech_ns_vs_inline`, ns, 95%% CI; calls.csv) where the run "
				   "gave it an interval, else the row's own ns per call (`ns_per_call`) "
				   "with its interval over the loads and their number (one load gives "
				   "no interval), or the row's status. Each timing kind has its own "
				   "table; no table mixes them.\n\n"
				   "The bracket of a comparison is its own 95%% interval, not adjusted "
				   "for the family; " NOT_DISTINGUISHABLE " after it: not "
				   "distinguishable from inlining after Holm's correction over the "
				   "family (every mechanism against inline at one trigger and attach) "
				   "at 5%%, whatever the bracket shows; no mark: Holm called it costlier "
				   "or cheaper.\n\n");
		any = true;
		fprintf(f, "### %s\n\n", kinds[k].title);
		table(m, cols, nc, f);
	}
	if (any)
		refusals(m, f);
}
