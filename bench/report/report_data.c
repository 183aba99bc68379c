/* The run's data as the report sees it: axis orders, the primary attach mode
 * and output, and row look-ups by key. */
#include <stdlib.h>
#include <string.h>

#include "base/metrics.h"
#include "report/report.h"

const char *report_cell(const struct csv_table *t, size_t row, const char *col)
{
	return t ? csv_get(t, row, csv_col(t, col)) : "";
}

double report_num(const struct csv_table *t, size_t row, const char *col)
{
	double v;

	return metric_parse(report_cell(t, row, col), &v) ? NAN : v;
}

void report_fmt(const struct csv_table *t, const char *file, size_t row, const char *col, char *buf,
		size_t len)
{
	metric_fmt(metric_find(file, col), report_cell(t, row, col), buf, len);
}

static int in_list(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return 1;
	return 0;
}

static void add_unique(const char **list, size_t *n, const char *s)
{
	if (*s && *n < REPORT_MAX_AXIS && !in_list(list, *n, s))
		list[(*n)++] = s;
}

static void axes(struct report *r)
{
	for (size_t i = 0; i < r->sizes->nrows; i++) {
		add_unique(r->variants, &r->nvariants, report_cell(r->sizes, i, "variant"));
		add_unique(r->attaches, &r->nattaches, report_cell(r->sizes, i, "attach"));
		add_unique(r->size_outputs, &r->nsize_outputs, report_cell(r->sizes, i, "output"));
	}
	/* Variants that only overhead measured still get table rows. */
	for (size_t i = 0; r->overhead && i < r->overhead->nrows; i++) {
		const char *v = report_cell(r->overhead, i, "variant");

		if (strcmp(v, "none"))
			add_unique(r->variants, &r->nvariants, v);
		add_unique(r->attaches, &r->nattaches, report_cell(r->overhead, i, "attach"));
	}
}

/* The mode overhead measured; else the first of run.env's attach= list that
 * sizes.csv has; else sizes.csv's first. */
static const char *primary_attach(const struct report *r)
{
	const char *env = rundir_env(r->rd, "attach");

	for (size_t i = 0; r->overhead && i < r->overhead->nrows; i++)
		if (strcmp(report_cell(r->overhead, i, "variant"), "none"))
			return report_cell(r->overhead, i, "attach");
	for (size_t i = 0; env && i < r->nattaches; i++) {
		size_t n = strlen(r->attaches[i]);
		const char *p = strstr(env, r->attaches[i]);

		if (p && (p == env || strchr(", ", p[-1])) && strchr(", ", p[n]))
			return r->attaches[i];
	}
	return r->nattaches ? r->attaches[0] : "";
}

int report_init(struct report *r, const struct rundir *rd, char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	r->rd = rd;
	r->sizes = rundir_table(rd, "sizes.csv");
	r->overhead = rundir_table(rd, "overhead.csv");
	r->rounds = rundir_table(rd, "overhead-rounds.csv");
	r->pairs = rundir_table(rd, "overhead-pairs.csv");
	r->hammer = rundir_table(rd, "hammer.csv");
	r->hyperfine = rundir_table(rd, "hyperfine.csv");
	r->iperf = rundir_table(rd, "iperf.csv");
	if (!r->sizes->nrows) {
		snprintf(err, errlen, "%s: no rows", r->sizes->path);
		return -1;
	}
	axes(r);
	r->attach = primary_attach(r);
	r->size_output = report_cell(r->sizes, 0, "output");
	for (size_t i = 0; r->overhead && i < r->overhead->nrows; i++) {
		if (strcmp(report_cell(r->overhead, i, "variant"), "none") &&
		    !strcmp(report_cell(r->overhead, i, "attach"), r->attach)) {
			r->output = report_cell(r->overhead, i, "output");
			break;
		}
	}
	r->baseline = "inline";
	if (!in_list(r->variants, r->nvariants, "inline"))
		for (size_t i = 0; i < r->nvariants; i++)
			if (strcmp(r->variants[i], "empty")) {
				r->baseline = r->variants[i];
				break;
			}
	return 0;
}

static int row_is(const struct csv_table *t, size_t i, const char *col, const char *val)
{
	return !val || !strcmp(report_cell(t, i, col), val);
}

long report_total(const struct report *r, const char *variant, const char *attach,
		  const char *output)
{
	for (size_t i = 0; i < r->sizes->nrows; i++)
		if (row_is(r->sizes, i, "program", "TOTAL") && row_is(r->sizes, i, "variant", variant) &&
		    row_is(r->sizes, i, "attach", attach) && row_is(r->sizes, i, "output", output))
			return (long)i;
	return -1;
}

int report_nprograms(const struct report *r, const char *variant, const char *attach,
		     const char *output)
{
	int n = 0;

	for (size_t i = 0; i < r->sizes->nrows; i++)
		n += !row_is(r->sizes, i, "program", "TOTAL") && row_is(r->sizes, i, "variant", variant) &&
		     row_is(r->sizes, i, "attach", attach) && row_is(r->sizes, i, "output", output);
	return n;
}

long report_overhead(const struct report *r, const char *variant, const char *attach,
		     const char *output)
{
	const struct csv_table *t = r->overhead;
	long any = -1;

	for (size_t i = 0; t && i < t->nrows; i++) {
		if (!row_is(t, i, "variant", variant) || !row_is(t, i, "attach", attach))
			continue;
		if (row_is(t, i, "output", output))
			return (long)i;
		if (any < 0 && !strcmp(variant, "none"))
			any = (long)i;
	}
	return any;
}

long report_pair(const struct report *r, const char *a, const char *b, int *swapped)
{
	const struct csv_table *t = r->pairs;

	for (size_t i = 0; t && i < t->nrows; i++) {
		if (!row_is(t, i, "attach", r->attach) || !row_is(t, i, "output", r->output))
			continue;
		if (row_is(t, i, "variant_a", a) && row_is(t, i, "variant_b", b)) {
			*swapped = 0;
			return (long)i;
		}
		if (row_is(t, i, "variant_a", b) && row_is(t, i, "variant_b", a)) {
			*swapped = 1;
			return (long)i;
		}
	}
	return -1;
}

long report_hyperfine(const struct report *r, const char *command)
{
	for (size_t i = 0; r->hyperfine && i < r->hyperfine->nrows; i++)
		if (row_is(r->hyperfine, i, "command", command))
			return (long)i;
	return -1;
}

const char *report_hyperfine_output(const struct report *r)
{
	/* hyperfine runs hammer with --output none: compare like with like. */
	for (size_t i = 0; r->overhead && i < r->overhead->nrows; i++)
		if (row_is(r->overhead, i, "attach", r->attach) &&
		    row_is(r->overhead, i, "output", "none") &&
		    strcmp(report_cell(r->overhead, i, "variant"), "none"))
			return "none";
	return r->output;
}

int report_hyperfine_ratio(const struct report *r, const char *variant, double *added_ns,
			   double *inproc_ns, double *ratio)
{
	const char *conns = rundir_env(r->rd, "hyperfine_connections");
	long hv = report_hyperfine(r, variant), h0 = report_hyperfine(r, "none");
	long ov = report_overhead(r, variant, r->attach, report_hyperfine_output(r));
	double n;

	if (!conns || metric_parse(conns, &n) || n <= 0 || hv < 0 || h0 < 0 || ov < 0)
		return -1;
	*added_ns = (report_num(r->hyperfine, hv, "median") - report_num(r->hyperfine, h0, "median")) /
		    n * 1e9;
	*inproc_ns = report_num(r->overhead, ov, "ns_per_event") *
		     report_num(r->overhead, ov, "events") / report_num(r->overhead, ov, "connections");
	if (isnan(*added_ns) || isnan(*inproc_ns) || *inproc_ns <= 0)
		return -1;
	*ratio = *added_ns / *inproc_ns;
	return 0;
}

const char *report_noun(const char *variant)
{
	static const char *const nouns[][2] = {
		{"tailcall", "the tail call"},	      {"noinline", "the bpf2bpf call"},
		{"global", "the global function"},    {"linked", "the linked function"},
		{"inline", "the inlined handler"},    {"empty", "the empty baseline"},
	};

	for (size_t i = 0; i < sizeof(nouns) / sizeof(nouns[0]); i++)
		if (!strcmp(nouns[i][0], variant))
			return nouns[i][1];
	return variant;
}
