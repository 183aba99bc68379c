/* "Findings": sentences computed from this run's rows. Each one is written
 * only when the rows it needs exist, and prints its numbers exactly as the
 * tables below do (same metric decimals), so every number can be found
 * there. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/metrics.h"
#include "report/report.h"

#define SIZES "sizes.csv"
#define OVH "overhead.csv"
#define MAX_FINDINGS 6

struct findings {
	const struct report *r;
	FILE *f;
	int n;
};

static void say(struct findings *fs, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct findings *fs, const char *fmt, ...)
{
	va_list ap;

	if (fs->n >= MAX_FINDINGS)
		return;
	fputs("- ", fs->f);
	va_start(ap, fmt);
	vfprintf(fs->f, fmt, ap);
	va_end(ap);
	fputc('\n', fs->f);
	fs->n++;
}

static int ok_total(const struct report *r, long row)
{
	return row >= 0 && !strcmp(report_cell(r->sizes, row, "status"), "ok");
}

/* "608 bytes (29.46%) smaller" from a to b; the table shows "-608 (-29.46%)". */
static void change(const struct metric_def *m, double a, double b, char *buf, size_t len)
{
	char diff[32], pct[32];

	metric_diff_cells(a, b, m->decimals, diff, pct, sizeof(diff));
	if (a == b)
		snprintf(buf, len, "the same size");
	else
		snprintf(buf, len, "%s %s (%s) %s", diff + 1, m->unit, pct[0] ? pct + 1 : "N/A",
			 b < a ? "smaller" : "larger");
}

/* ELF code vs kernel image of the bpf2bpf call against the inlined handler:
 * the classic surprise is that they move in opposite directions. */
static void code_vs_image(struct findings *fs, const char *v)
{
	const struct report *r = fs->r;
	long a = report_total(r, r->baseline, r->attach, r->size_output);
	long b = report_total(r, v, r->attach, r->size_output);
	const char *img = "jited_bytes";
	char code[96], image[96];

	if (!strcmp(v, r->baseline) || !ok_total(r, a) || !ok_total(r, b))
		return;
	if (isnan(report_num(r->sizes, a, img)) || isnan(report_num(r->sizes, b, img)))
		img = "xlated_bytes"; /* JIT off or not reported */
	double ca = report_num(r->sizes, a, "elf_code_bytes"), cb = report_num(r->sizes, b, "elf_code_bytes");
	double ia = report_num(r->sizes, a, img), ib = report_num(r->sizes, b, img);
	if (isnan(ca) || isnan(cb) || isnan(ia) || isnan(ib))
		return;
	change(metric_find(SIZES, "elf_code_bytes"), ca, cb, code, sizeof(code));
	change(metric_find(SIZES, img), ia, ib, image, sizeof(image));
	int opposite = (cb < ca && ib > ia) || (cb > ca && ib < ia);

	double fa = report_num(r->sizes, a, "jited_funcs"), fb = report_num(r->sizes, b, "jited_funcs");
	int na = report_nprograms(r, r->baseline, r->attach, r->size_output);
	int nb = report_nprograms(r, v, r->attach, r->size_output);
	char why[256] = "";
	/* More JITed functions than programs: each program got its own copy of
	 * the subprogram (libbpf appends one to every caller). */
	if (!isnan(fa) && !isnan(fb) && fb > nb && fa <= na && nb > 0)
		snprintf(why, sizeof(why),
			 ": its %d programs hold %.0f JITed functions (%s's: %.0f), because libbpf "
			 "appends a copy of the subprogram to each program that calls it",
			 nb, fb, r->baseline, fa);
	say(fs, "At %s, %s's ELF code is %s than %s's, %s its %s image is %s%s.", r->attach, v,
	    code, r->baseline, opposite ? "but" : "and",
	    strcmp(img, "jited_bytes") ? "xlated" : "JIT", image, why);
}

/* "a, b and c" from a list. */
static void join(const char *const *items, size_t n, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					!i ? "" : i + 1 == n ? " and " : ", ", items[i]);
}

static void add_name(const char **list, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(list[i], s))
			return;
	if (*n < REPORT_MAX_AXIS)
		list[(*n)++] = s;
}

struct group {
	const char *vars[REPORT_MAX_AXIS], *modes[REPORT_MAX_AXIS];
	size_t nv, nm, pairs;
	const char *why;
};

/* The TOTAL rows with status st and row i's reason, marked done. */
static void group_of(const struct csv_table *t, size_t i, const char *st, unsigned char *done,
		     struct group *g)
{
	memset(g, 0, sizeof(*g));
	g->why = report_cell(t, i, "reason");
	for (size_t j = i; j < t->nrows; j++) {
		if (strcmp(report_cell(t, j, "program"), "TOTAL") ||
		    strcmp(report_cell(t, j, "status"), st) || strcmp(report_cell(t, j, "reason"), g->why))
			continue;
		done[j] = 1;
		g->pairs++;
		add_name(g->vars, &g->nv, report_cell(t, j, "variant"));
		add_name(g->modes, &g->nm, report_cell(t, j, "attach"));
	}
}

/* Load failures first (one sentence per reason, at most two), then skipped
 * modes: the modes every variant was skipped at in one sentence, since that
 * is the kernel's configuration, not the variant. The table has the rest. */
static void failures(struct findings *fs)
{
	const struct report *r = fs->r;
	const struct csv_table *t = r->sizes;
	static const char *const status[] = {"failed", "skipped"};
	const char *all_skipped[REPORT_MAX_AXIS];
	size_t nall = 0;
	int said = 0, left = 0;
	char vs[512], ms[256];

	if (t->nrows > 65536)
		return;
	unsigned char *done = calloc(t->nrows, 1);
	if (!done)
		return;
	for (size_t s = 0; s < 2; s++)
		for (size_t i = 0; i < t->nrows; i++) {
			struct group g;

			if (done[i] || strcmp(report_cell(t, i, "status"), status[s]) ||
			    strcmp(report_cell(t, i, "program"), "TOTAL"))
				continue;
			group_of(t, i, status[s], done, &g);
			if (s == 1 && g.nv == r->nvariants && g.nv > 1) {
				for (size_t m = 0; m < g.nm; m++)
					add_name(all_skipped, &nall, g.modes[m]);
				continue;
			}
			if (said == 2 || g.pairs != g.nv * g.nm) { /* not a clean cross product */
				left++;
				continue;
			}
			join(g.vars, g.nv, vs, sizeof(vs));
			join(g.modes, g.nm, ms, sizeof(ms));
			say(fs, "At %s %s %s%s%s%s.", ms, vs,
			    s == 0 ? "failed to load" : g.nv > 1 ? "were skipped" : "was skipped",
			    *g.why ? ": `" : " (no reason recorded)", g.why, *g.why ? "`" : "");
			said++;
		}
	free(done);
	if (nall) {
		join(all_skipped, nall, ms, sizeof(ms));
		say(fs, "Every variant was skipped at %s (the kernel's reasons are under \"Skipped and "
			"failed\").", ms);
	}
	if (left)
		say(fs, "More variants and modes were skipped or failed: see \"Skipped and failed\".");
}

/* An overhead row whose rounds all passed their checks: flagged (count
 * mismatch, drops, lost events) or incomplete cells are never quoted as
 * findings; flagged() below names them instead. */
static int ovh_ok(const struct report *r, const char *variant)
{
	long row = r->output ? report_overhead(r, variant, r->attach, r->output) : -1;

	return row >= 0 && !strcmp(report_cell(r->overhead, row, "status"), "ok");
}

static void pair(struct findings *fs, const char *a, const char *b)
{
	const struct report *r = fs->r;
	int swapped;
	long i = r->output ? report_pair(r, a, b, &swapped) : -1;
	char d[32], lo[32], hi[32], verdict[160];

	if (i < 0 || isnan(report_num(r->pairs, i, "diff_ns")) || !ovh_ok(r, a) || !ovh_ok(r, b))
		return;
	const char *va = report_cell(r->pairs, i, "variant_a"), *vb = report_cell(r->pairs, i, "variant_b");
	const char *v = report_cell(r->pairs, i, "verdict");
	report_fmt(r->pairs, "overhead-pairs.csv", i, "diff_ns", d, sizeof(d));
	report_fmt(r->pairs, "overhead-pairs.csv", i, "ci_low", lo, sizeof(lo));
	report_fmt(r->pairs, "overhead-pairs.csv", i, "ci_high", hi, sizeof(hi));
	if (!strcmp(v, "a slower"))
		snprintf(verdict, sizeof(verdict), "%s is slower than %s", report_noun(va), report_noun(vb));
	else if (!strcmp(v, "b slower"))
		snprintf(verdict, sizeof(verdict), "%s is slower than %s", report_noun(vb), report_noun(va));
	else
		snprintf(verdict, sizeof(verdict), "%s and %s are not distinguishable (the CI includes 0)",
			 report_noun(va), report_noun(vb));
	say(fs, "At %s/%s, %s - %s = %s ns per event (95%% CI [%s, %s]): %s.", r->attach, r->output,
	    va, vb, d, lo, hi, verdict);
}

/* Least and most of column over the variants at the primary attach mode
 * (empty and none excluded); returns the number of candidates. */
static int extremes(const struct report *r, int sizes, const char *col, long *lo, long *hi)
{
	int n = 0;

	*lo = *hi = -1;
	for (size_t v = 0; v < r->nvariants; v++) {
		const char *var = r->variants[v];
		long row = sizes ? report_total(r, var, r->attach, r->size_output)
				 : report_overhead(r, var, r->attach, r->output);
		const struct csv_table *t = sizes ? r->sizes : r->overhead;

		if (!strcmp(var, "empty") || row < 0 || isnan(report_num(t, row, col)) ||
		    (sizes && !ok_total(r, row)) || (!sizes && !ovh_ok(r, var)))
			continue;
		if (*lo < 0 || report_num(t, row, col) < report_num(t, *lo, col))
			*lo = row;
		if (*hi < 0 || report_num(t, row, col) > report_num(t, *hi, col))
			*hi = row;
		n++;
	}
	return n;
}

/* Handler cost net of the empty baseline, only where the CI says it is
 * distinguishable from nothing. */
static void net_cost(struct findings *fs)
{
	const struct report *r = fs->r;
	long lo = -1, hi = -1;
	int n = 0, any = 0;
	const char *others;
	char a[32], b[32];

	if (!r->output)
		return;
	for (size_t v = 0; v < r->nvariants; v++) {
		long row = report_overhead(r, r->variants[v], r->attach, r->output);
		const struct csv_table *t = r->overhead;
		double x = row < 0 ? NAN : report_num(t, row, "net_ns_vs_empty");

		if (!strcmp(r->variants[v], "empty") || isnan(x) || !ovh_ok(r, r->variants[v]) ||
		    !ovh_ok(r, "empty"))
			continue;
		any++;
		if (!(report_num(t, row, "net_ci_low") > 0 || report_num(t, row, "net_ci_high") < 0))
			continue;
		lo = lo < 0 || x < report_num(t, lo, "net_ns_vs_empty") ? row : lo;
		hi = hi < 0 || x > report_num(t, hi, "net_ns_vs_empty") ? row : hi;
		n++;
	}
	if (!n) {
		if (any)
			say(fs, "At %s/%s no handler's cost is distinguishable from the empty baseline "
				"(every net CI includes 0).", r->attach, r->output);
		return;
	}
	report_fmt(r->overhead, OVH, lo, "net_ns_vs_empty", a, sizeof(a));
	report_fmt(r->overhead, OVH, hi, "net_ns_vs_empty", b, sizeof(b));
	others = n < any ? "; the others' net CIs include 0" : "";
	if (n == 1)
		say(fs, "Net of the empty baseline at %s/%s, %s adds %s ns per event%s.", r->attach,
		    r->output, report_cell(r->overhead, lo, "variant"), a, others);
	else
		say(fs, "Net of the empty baseline at %s/%s, the handler adds from %s ns per event "
			"(%s) to %s ns (%s)%s.",
		    r->attach, r->output, a, report_cell(r->overhead, lo, "variant"), b,
		    report_cell(r->overhead, hi, "variant"), others);
}

static void storm(struct findings *fs)
{
	const struct report *r = fs->r;
	long none = r->output ? report_overhead(r, "none", r->attach, r->output) : -1;
	long lo, hi;
	char a[32], b[32], d[64];

	if (none < 0 || extremes(r, 0, "conn_per_s", &lo, &hi) < 1)
		return;
	double c0 = report_num(r->overhead, none, "conn_per_s"), c1 = report_num(r->overhead, lo, "conn_per_s");
	if (isnan(c0))
		return;
	report_fmt(r->overhead, OVH, none, "conn_per_s", a, sizeof(a));
	report_fmt(r->overhead, OVH, lo, "conn_per_s", b, sizeof(b));
	metric_fmt_diff(c0, c1, metric_find(OVH, "conn_per_s")->decimals, d, sizeof(d));
	say(fs, "At %s/%s the storm ran at %s conn/s with no program; the slowest with a handler "
		"attached was %s: %s conn/s, %s.",
	    r->attach, r->output, a, report_cell(r->overhead, lo, "variant"), b, d);
}

/* Cells whose measurements failed a check, named rather than quoted. */
static void flagged(struct findings *fs)
{
	const struct report *r = fs->r;
	const char *names[64];
	size_t n = 0;
	char list[512];

	for (size_t v = 0; r->output && v < r->nvariants && n < 64; v++)
		if (report_overhead(r, r->variants[v], r->attach, r->output) >= 0 &&
		    !ovh_ok(r, r->variants[v]))
			names[n++] = r->variants[v];
	if (!n)
		return;
	join(names, n, list, sizeof(list));
	say(fs, "At %s/%s the time measurements of %s failed a check (status/flags in the table) "
		"and are not used in these findings.", r->attach, r->output, list);
}

static void verifier(struct findings *fs)
{
	const struct report *r = fs->r;
	long lo, hi;
	char a[32], b[32];

	if (extremes(r, 1, "verified_insns", &lo, &hi) < 2 ||
	    report_num(r->sizes, lo, "verified_insns") == report_num(r->sizes, hi, "verified_insns"))
		return;
	report_fmt(r->sizes, SIZES, lo, "verified_insns", a, sizeof(a));
	report_fmt(r->sizes, SIZES, hi, "verified_insns", b, sizeof(b));
	say(fs, "At %s the verifier processed the fewest instructions for %s (%s) and the most for "
		"%s (%s).",
	    r->attach, report_cell(r->sizes, lo, "variant"), a, report_cell(r->sizes, hi, "variant"), b);
}

static void hyperfine(struct findings *fs)
{
	const struct report *r = fs->r;
	double lo = NAN, hi = NAN;
	char a[32], b[32];

	for (size_t v = 0; v < r->nvariants; v++) {
		double added, inproc, ratio;

		if (report_hyperfine_ratio(r, r->variants[v], &added, &inproc, &ratio))
			continue;
		lo = isnan(lo) || ratio < lo ? ratio : lo;
		hi = isnan(hi) || ratio > hi ? ratio : hi;
	}
	if (isnan(lo))
		return;
	metric_fmt_num(lo, 2, a, sizeof(a));
	metric_fmt_num(hi, 2, b, sizeof(b));
	if (!strcmp(a, b))
		say(fs, "hyperfine's added time per connection is %s times the in-process figure.", a);
	else
		say(fs, "hyperfine's added time per connection is %s to %s times the in-process "
			"figure.", a, b);
}

int report_findings(const struct report *r, FILE *f)
{
	struct findings fs = {r, f, 0};
	const char *timing = rundir_env(r->rd, "timing");

	fprintf(f, "## Findings\n\n");
	if (timing && !strcmp(timing, "emulated"))
		fprintf(f, "- Timing is emulated (a TCG guest): the times below measure the emulator, "
			   "not the CPU; sizes and verifier figures are unaffected.\n");
	code_vs_image(&fs, "noinline");
	failures(&fs);
	pair(&fs, "noinline", "tailcall");
	pair(&fs, "inline", "noinline");
	flagged(&fs);
	net_cost(&fs);
	storm(&fs);
	verifier(&fs);
	hyperfine(&fs);
	if (!fs.n)
		fprintf(f, "- Nothing to compare: the rows the findings need are missing (see the "
			   "tables and the file list).\n");
	fputc('\n', f);
	return ferror(f) ? -1 : 0;
}
