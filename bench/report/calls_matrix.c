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

/* One cell: "+7.01 [6.94, 7.07]", the ns per call for the reference, or the
 * row's status. */
static void cell(struct mdtable *t, const struct calls_row *c)
{
	if (!c) {
		md_cell(t, "-");
	} else if (strcmp(c->status, "ok") || isnan(c->ns_per_call)) {
		md_cell(t, "%s", c->status);
	} else if (!isnan(c->mech_ci_low) && c->verdict && *c->verdict) {
		md_cell(t, "%+.2f [%.2f, %.2f]", c->mech_ns_vs_inline, c->mech_ci_low, c->mech_ci_high);
	} else {
		md_cell(t, "%.2f ns/call", c->ns_per_call);
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
	md_print(&t, f);
	md_free(&t);
	fputc('\n', f);
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
				   "gave it an interval, else the row's own ns per call (`ns_per_call`), "
				   "or the row's status. Each timing kind has its own table; no table "
				   "mixes them.\n\n");
		any = true;
		fprintf(f, "### %s\n\n", kinds[k].title);
		table(m, cols, nc, f);
	}
	if (any)
		refusals(m, f);
}
