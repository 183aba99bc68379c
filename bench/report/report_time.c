/* The report's timing tables: time per event (overhead.csv, pairs), the
 * storm (conn/s, hammer.csv) and the external cross-checks (hyperfine,
 * iperf3). */
#include <string.h>

#include "base/mdtable.h"
#include "base/metrics.h"
#include "report/report.h"
#include "base/stats.h"

#define OVH "overhead.csv"

static void ci(const struct csv_table *t, const char *file, size_t row, const char *lo,
	       const char *hi, char *buf, size_t len)
{
	char a[32], b[32];

	if (!*report_cell(t, row, lo) || !*report_cell(t, row, hi)) {
		snprintf(buf, len, "-");
		return;
	}
	report_fmt(t, file, row, lo, a, sizeof(a));
	report_fmt(t, file, row, hi, b, sizeof(b));
	snprintf(buf, len, "[%s, %s]", a, b);
}

static void status(const struct csv_table *t, size_t row, char *buf, size_t len)
{
	const char *flags = report_cell(t, row, "flags");

	snprintf(buf, len, *flags ? "%s (%s)" : "%s", report_cell(t, row, "status"), flags);
}

/* overhead.csv rows ordered attach, output, variant (variants.def order);
 * `with_none` includes the no-program storm rows. Returns the count. */
static size_t ordered_rows(const struct report *r, int with_none, long *rows, size_t max)
{
	const struct csv_table *t = r->overhead;
	const char *outs[REPORT_MAX_AXIS];
	size_t nouts = 0, n = 0;

	for (size_t i = 0; i < t->nrows && nouts < REPORT_MAX_AXIS; i++) {
		const char *o = report_cell(t, i, "output");
		size_t k = 0;

		while (k < nouts && strcmp(outs[k], o))
			k++;
		if (k == nouts)
			outs[nouts++] = o;
	}
	for (size_t a = 0; a < r->nattaches; a++)
		for (size_t o = 0; o < nouts; o++)
			for (size_t v = 0; v <= r->nvariants; v++) {
				const char *var = v ? r->variants[v - 1] : "none";

				if (!v && !with_none)
					continue;
				for (size_t i = 0; i < t->nrows && n < max; i++)
					if (!strcmp(report_cell(t, i, "variant"), var) &&
					    !strcmp(report_cell(t, i, "attach"), r->attaches[a]) &&
					    !strcmp(report_cell(t, i, "output"), outs[o]))
						rows[n++] = (long)i;
			}
	return n;
}

typedef void row_fn(const struct report *r, long row, struct mdtable *m);

/* One markdown row per overhead.csv row, in ordered_rows() order. */
static int overhead_table(const struct report *r, int with_none, const char *const *head, int ncols,
			  row_fn *row, FILE *f)
{
	long rows[1024];
	size_t n = ordered_rows(r, with_none, rows, 1024);
	struct mdtable m;

	if (md_init(&m, ncols, head))
		return -1;
	for (size_t k = 0; k < n; k++) {
		md_cell(&m, "%s", report_cell(r->overhead, rows[k], "variant"));
		md_cell(&m, "%s", report_cell(r->overhead, rows[k], "attach"));
		md_cell(&m, "%s", *report_cell(r->overhead, rows[k], "output")
					  ? report_cell(r->overhead, rows[k], "output")
					  : "-");
		row(r, rows[k], &m);
	}
	int rc = md_print(&m, f);
	md_free(&m);
	return rc;
}

static void fmt_cell(struct mdtable *m, const struct csv_table *t, long i, const char *col)
{
	char buf[64];

	report_fmt(t, OVH, i, col, buf, sizeof(buf));
	md_cell(m, "%s", buf);
}

static void time_row(const struct report *r, long i, struct mdtable *m)
{
	const struct csv_table *t = r->overhead;
	char buf[96];

	fmt_cell(m, t, i, "rounds");
	fmt_cell(m, t, i, "ns_per_event");
	ci(t, OVH, i, "ci_low", "ci_high", buf, sizeof(buf));
	md_cell(m, "%s", buf);
	fmt_cell(m, t, i, "net_ns_vs_empty");
	ci(t, OVH, i, "net_ci_low", "net_ci_high", buf, sizeof(buf));
	md_cell(m, "%s", buf);
	fmt_cell(m, t, i, "drops");
	status(t, i, buf, sizeof(buf));
	md_cell(m, "%s", buf);
}

static int time_table(const struct report *r, FILE *f)
{
	static const char *const head[] = {
		"variant", "attach",	      "output",	     ">rounds", ">ns/event", ">95% CI",
		">net vs empty (ns)", ">net 95% CI", ">drops", "status",
	};

	return overhead_table(r, 0, head, 10, time_row, f);
}

static int pairs_table(const struct report *r, FILE *f)
{
	static const char *const head[] = {"attach", "output", "a",	  "b",
					   ">a - b (ns)", ">95% CI", "verdict"};
	const struct csv_table *t = r->pairs;
	struct mdtable m;
	char buf[96];

	if (md_init(&m, 7, head))
		return -1;
	for (size_t i = 0; i < t->nrows; i++) {
		md_cell(&m, "%s", report_cell(t, i, "attach"));
		md_cell(&m, "%s", report_cell(t, i, "output"));
		md_cell(&m, "%s", report_cell(t, i, "variant_a"));
		md_cell(&m, "%s", report_cell(t, i, "variant_b"));
		report_fmt(t, "overhead-pairs.csv", i, "diff_ns", buf, sizeof(buf));
		md_cell(&m, "%s", buf);
		ci(t, "overhead-pairs.csv", i, "ci_low", "ci_high", buf, sizeof(buf));
		md_cell(&m, "%s", buf);
		md_cell(&m, "%s", report_cell(t, i, "verdict"));
	}
	fprintf(f, "\nPaired differences (each round ran every variant, so a round's "
		   "conditions cancel out):\n\n");
	int rc = md_print(&m, f);
	md_free(&m);
	return rc;
}

static void chart_ref(const struct report *r, enum report_chart c, const char *alt, FILE *f)
{
	if (r->chart[c])
		fprintf(f, "\n![%s](%s)\n", alt, r->chart[c]);
	else
		fprintf(f, "\n(%s: %s)\n", alt, r->chart_note[c]);
}

int report_time_tables(const struct report *r, FILE *f)
{
	int rc = 0;

	fprintf(f, "## Time per event\n\n");
	if (!r->overhead) {
		fprintf(f, "No overhead.csv in this run: no per-event times.\n\n");
		return 0;
	}
	fprintf(f, "Sum of the programs' run_time_ns (kernel.bpf_stats_enabled) divided by the "
		   "events (two per connection), median over the measured rounds with its 95%% "
		   "bootstrap CI; net = median of the per-round differences to `empty` at the same "
		   "attach mode and output.\n\n");
	rc |= time_table(r, f);
	chart_ref(r, CHART_OVERHEAD, "time per event", f);
	if (r->pairs)
		rc |= pairs_table(r, f);
	fputc('\n', f);
	return rc;
}

static void vs_none(const struct report *r, long row, char *buf, size_t len)
{
	const char *v = report_cell(r->overhead, row, "variant");
	long none = report_overhead(r, "none", report_cell(r->overhead, row, "attach"),
				    report_cell(r->overhead, row, "output"));
	double a = none < 0 ? NAN : report_num(r->overhead, none, "conn_per_s");
	double b = report_num(r->overhead, row, "conn_per_s");

	if (!strcmp(v, "none"))
		snprintf(buf, len, "=");
	else if (isnan(a) || isnan(b))
		snprintf(buf, len, "-");
	else
		metric_fmt_diff(a, b, metric_find(OVH, "conn_per_s")->decimals, buf, len);
}

static void storm_row(const struct report *r, long i, struct mdtable *m)
{
	char buf[96];

	fmt_cell(m, r->overhead, i, "conn_per_s");
	vs_none(r, i, buf, sizeof(buf));
	md_cell(m, "%s", buf);
	fmt_cell(m, r->overhead, i, "cpu_us_per_conn");
	status(r->overhead, i, buf, sizeof(buf));
	md_cell(m, "%s", buf);
}

static int storm_table(const struct report *r, FILE *f)
{
	static const char *const head[] = {"variant",	      "attach",		"output",
					   ">conn/s",	      ">vs none",	">CPU/conn (us)",
					   "status"};

	return overhead_table(r, 1, head, 7, storm_row, f);
}

/* Every column of hammer.csv, labelled from the metric table. */
static int hammer_table(const struct report *r, FILE *f)
{
	const struct metric_file *mf = metrics_file("hammer.csv");
	const char *head[16];
	char labels[16][64];
	struct mdtable m;
	char buf[96];

	for (int c = 0; c < mf->ncols && c < 16; c++) {
		const struct metric_def *d = metric_find(mf->name, mf->cols[c]);
		char h[60];

		metric_header(d, h, sizeof(h));
		snprintf(labels[c], sizeof(labels[c]), "%s%s", d->kind == MK_NUM ? ">" : "", h);
		head[c] = labels[c];
	}
	if (md_init(&m, mf->ncols, head))
		return -1;
	for (size_t i = 0; i < r->hammer->nrows; i++)
		for (int c = 0; c < mf->ncols; c++) {
			report_fmt(r->hammer, mf->name, i, mf->cols[c], buf, sizeof(buf));
			md_cell(&m, "%s", buf);
		}
	fprintf(f, "\nThe storm alone (hammer.csv, no program attached):\n\n");
	int rc = md_print(&m, f);
	md_free(&m);
	return rc;
}

int report_storm_tables(const struct report *r, FILE *f)
{
	int rc = 0;

	fprintf(f, "## End-to-end storm\n\n");
	if (r->overhead) {
		fprintf(f, "Loopback TCP connections per second with the programs attached, and the "
			   "storm process's CPU time per connection; `none` is the storm with no "
			   "program.\n\n");
		rc |= storm_table(r, f);
	}
	if (r->hammer)
		rc |= hammer_table(r, f);
	if (!r->overhead && !r->hammer)
		fprintf(f, "Neither overhead.csv nor hammer.csv is in this run.\n");
	fputc('\n', f);
	return rc;
}

static int hyperfine_table(const struct report *r, FILE *f)
{
	static const char *const head[] = {"command", ">median (s)", ">added per conn (ns)",
					   ">in-process per conn (ns)", ">ratio"};
	const struct csv_table *t = r->hyperfine;
	const char *n = rundir_env(r->rd, "hyperfine_connections");
	struct mdtable m;
	char buf[64];

	if (md_init(&m, 5, head))
		return -1;
	for (size_t i = 0; i < t->nrows; i++) {
		const char *cmd = report_cell(t, i, "command");
		double added, inproc, ratio;
		int ok = report_hyperfine_ratio(r, cmd, &added, &inproc, &ratio) == 0;

		md_cell(&m, "%s", cmd);
		report_fmt(t, "hyperfine.csv", i, "median", buf, sizeof(buf));
		md_cell(&m, "%s", buf);
		metric_fmt_num(ok ? added : NAN, 1, buf, sizeof(buf));
		md_cell(&m, "%s", buf);
		metric_fmt_num(ok ? inproc : NAN, 1, buf, sizeof(buf));
		md_cell(&m, "%s", buf);
		metric_fmt_num(ok ? ratio : NAN, 2, buf, sizeof(buf));
		md_cell(&m, "%s", buf);
	}
	fprintf(f, "### hyperfine\n\nWhole `hammer` runs of %s connections each, timed by hyperfine "
		   "(median of its runs). Added per connection = (median - none's median) / "
		   "connections; in-process = ns/event x events per connection at %s/%s. A ratio "
		   "above 1 is cost outside the programs' run time: loading, verifying and attaching "
		   "them in every run, and the trampoline or probe that calls them.\n\n",
		n ? n : "?", r->attach, report_hyperfine_output(r) ? report_hyperfine_output(r) : "-");
	int rc = md_print(&m, f);
	md_free(&m);
	fputc('\n', f);
	return rc;
}

/* Median Gbit/s per variant, in order of first appearance. */
static int iperf_table(const struct report *r, FILE *f)
{
	static const char *const head[] = {"variant", ">rounds", ">Gbit/s (median)", ">vs none"};
	const struct csv_table *t = r->iperf;
	const char *names[REPORT_MAX_AXIS];
	double med[REPORT_MAX_AXIS], x[256];
	size_t cnt[REPORT_MAX_AXIS], nn = 0;
	long none = -1;
	struct mdtable m;
	char buf[64];

	for (size_t i = 0; i < t->nrows && nn < REPORT_MAX_AXIS; i++) {
		const char *v = report_cell(t, i, "variant");
		size_t k = 0, nx = 0;

		while (k < nn && strcmp(names[k], v))
			k++;
		if (k < nn)
			continue;
		for (size_t j = i; j < t->nrows && nx < 256; j++)
			if (!strcmp(report_cell(t, j, "variant"), v) &&
			    !isnan(report_num(t, j, "gbit_per_s")))
				x[nx++] = report_num(t, j, "gbit_per_s");
		if (!strcmp(v, "none"))
			none = (long)nn;
		names[nn] = v;
		cnt[nn] = nx;
		med[nn++] = nx ? stats_median(x, nx) : NAN;
	}
	if (md_init(&m, 4, head))
		return -1;
	for (size_t k = 0; k < nn; k++) {
		md_cell(&m, "%s", names[k]);
		md_cell(&m, "%zu", cnt[k]);
		metric_fmt_num(med[k], 2, buf, sizeof(buf));
		md_cell(&m, "%s", buf);
		if ((long)k == none)
			snprintf(buf, sizeof(buf), "=");
		else if (none < 0 || isnan(med[k]) || isnan(med[none]))
			snprintf(buf, sizeof(buf), "-");
		else
			metric_fmt_diff(med[none], med[k], 2, buf, sizeof(buf));
		md_cell(&m, "%s", buf);
	}
	fprintf(f, "### iperf3\n\nLoopback bulk TCP throughput while a connection storm runs "
		   "with the variant attached (`none`: the storm with no program).\n\n");
	int rc = md_print(&m, f);
	md_free(&m);
	fputc('\n', f);
	return rc;
}

int report_crosscheck_tables(const struct report *r, FILE *f)
{
	int rc = 0;

	fprintf(f, "## Cross-checks\n\n");
	if (r->hyperfine)
		rc |= hyperfine_table(r, f);
	else
		fprintf(f, "No hyperfine.csv in this run.\n\n");
	if (r->iperf)
		rc |= iperf_table(r, f);
	else
		fprintf(f, "No iperf.csv in this run.\n\n");
	return rc;
}
