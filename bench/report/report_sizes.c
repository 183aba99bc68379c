/* The report's size tables: ELF object, verifier and kernel image (TOTAL rows
 * of sizes.csv that were not skipped, columns from the metric table), the
 * failures (skipped rows included), and every program in a folded section. */
#include <string.h>

#include "base/mdtable.h"
#include "base/metrics.h"
#include "report/report.h"

#define SIZES "sizes.csv"

struct group_table {
	enum metric_group group;
	const char *title;
	const char *headline; /* related to the baseline variant */
	const char *intro;
};

static const struct group_table groups[] = {
	{MG_ELF, "ELF object", "elf_code_bytes",
	 "What clang and `bpftool gen object` produced. Per variant and attach mode, the TOTAL "
	 "over its programs."},
	{MG_VERIFIER, "Verifier", "verified_insns",
	 "What the verifier did to load the programs (TOTAL over them; stack is the maximum)."},
	{MG_IMAGE, "Kernel image", "jited_bytes",
	 "What the kernel keeps after loading: the rewritten (xlated) program and its JIT image; "
	 "each subprogram copy is JITed as a function of its own."},
};

/* A right-aligned header for md_init. */
static void header(const struct metric_def *m, char *buf, size_t len)
{
	char h[56];

	metric_header(m, h, sizeof(h));
	snprintf(buf, len, ">%s", h);
}

/* status=skipped: the kernel refused the whole attach mode, so the row has
 * no numbers, only its ELF sizes, which other modes show too. The tables
 * leave such rows out and name them in one line below (skipped_note);
 * failed rows stay, since which variant the verifier refused is a result. */
static int skipped(const struct report *r, long row)
{
	return !strcmp(report_cell(r->sizes, (size_t)row, "status"), "skipped");
}

/* A status column only when a row the tables show is not ok: with the
 * skipped rows left out it would otherwise say "ok" on every line. */
static int any_failed(const struct report *r)
{
	for (size_t i = 0; i < r->sizes->nrows; i++)
		if (strcmp(report_cell(r->sizes, i, "status"), "ok") && !skipped(r, (long)i))
			return 1;
	return 0;
}

/* "Skipped here: fentry, kprobe (see ...)." under a table that left rows
 * out, in the tables' attach order so the report stays the same byte for
 * byte. sizes probes a mode once for every variant, but a mode skipped for
 * only some (sizes.csv files joined from several runs) names them, so no
 * left-out row goes unmentioned. */
static void skipped_note(const struct report *r, FILE *f)
{
	int any = 0;

	for (size_t a = 0; a < r->nattaches; a++) {
		const char *vars[REPORT_MAX_AXIS];
		size_t nv = 0, nrows = 0, nskip = 0;

		for (size_t v = 0; v < r->nvariants; v++) {
			int hit = 0;

			for (size_t o = 0; o < r->nsize_outputs; o++) {
				long row = report_total(r, r->variants[v], r->attaches[a],
							r->size_outputs[o]);

				if (row < 0)
					continue;
				nrows++;
				if (skipped(r, row)) {
					nskip++;
					hit = 1;
				}
			}
			if (hit)
				vars[nv++] = r->variants[v];
		}
		if (!nskip)
			continue;
		fprintf(f, "%s%s", any++ ? ", " : "Skipped here: ", r->attaches[a]);
		if (nskip < nrows) {
			for (size_t i = 0; i < nv; i++)
				fprintf(f, "%s%s", i ? ", " : " (", vars[i]);
			fputc(')', f);
		}
	}
	if (any)
		fprintf(f, " (see \"Skipped and failed\").\n\n");
}

/* The headline metric of row relative to the baseline variant's. */
static void vs_baseline(const struct report *r, const char *col, long row, char *buf, size_t len)
{
	const struct metric_def *m = metric_find(SIZES, col);
	const char *v = report_cell(r->sizes, row, "variant");
	long base = report_total(r, r->baseline, report_cell(r->sizes, row, "attach"),
				 report_cell(r->sizes, row, "output"));
	double a = base < 0 ? NAN : report_num(r->sizes, base, col);
	double b = report_num(r->sizes, row, col);

	if (!strcmp(v, r->baseline))
		snprintf(buf, len, "=");
	else if (isnan(a) || isnan(b))
		snprintf(buf, len, "-");
	else
		metric_fmt_diff(a, b, m->decimals, buf, len);
}

static int group_table(const struct report *r, const struct group_table *g, FILE *f)
{
	const char *head[32];
	char labels[32][64];
	const char *cols[24];
	int ncols = 0, nmet = 0, show_status = any_failed(r), show_output = r->nsize_outputs > 1;
	struct mdtable t;

	head[ncols++] = "variant";
	head[ncols++] = "attach";
	if (show_output)
		head[ncols++] = "output";
	if (g->group == MG_ELF)
		head[ncols++] = ">programs";
	const struct metric_file *mf = metrics_file(SIZES);
	for (int c = 0; c < mf->ncols && nmet < 24; c++) {
		const struct metric_def *m = metric_find(SIZES, mf->cols[c]);

		if (!m || m->group != g->group || !m->in_report)
			continue;
		header(m, labels[nmet], sizeof(labels[nmet]));
		cols[nmet] = mf->cols[c];
		head[ncols++] = labels[nmet++];
	}
	snprintf(labels[nmet], sizeof(labels[nmet]), ">%s vs %s",
		 metric_find(SIZES, g->headline)->label, r->baseline);
	head[ncols++] = labels[nmet];
	if (show_status)
		head[ncols++] = "status";
	if (md_init(&t, ncols, head))
		return -1;
	for (size_t a = 0; a < r->nattaches; a++)
		for (size_t o = 0; o < r->nsize_outputs; o++)
			for (size_t v = 0; v < r->nvariants; v++) {
				long row = report_total(r, r->variants[v], r->attaches[a],
							r->size_outputs[o]);
				char buf[96];

				if (row < 0 || skipped(r, row))
					continue;
				md_cell(&t, "%s", r->variants[v]);
				md_cell(&t, "%s", r->attaches[a]);
				if (show_output)
					md_cell(&t, "%s", r->size_outputs[o]);
				if (g->group == MG_ELF)
					md_cell(&t, "%d", report_nprograms(r, r->variants[v],
									   r->attaches[a],
									   r->size_outputs[o]));
				for (int m = 0; m < nmet; m++) {
					report_fmt(r->sizes, SIZES, row, cols[m], buf, sizeof(buf));
					md_cell(&t, "%s", buf);
				}
				vs_baseline(r, g->headline, row, buf, sizeof(buf));
				md_cell(&t, "%s", buf);
				if (show_status)
					md_cell(&t, "%s", report_cell(r->sizes, row, "status"));
			}
	fprintf(f, "## %s\n\n%s\n\n", g->title, g->intro);
	int rc = md_print(&t, f);
	/* A table with no rows prints nothing: no blank line for it either. */
	if (md_rows(&t))
		fputc('\n', f);
	md_free(&t);
	skipped_note(r, f);
	return rc;
}

int report_sizes_tables(const struct report *r, FILE *f)
{
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (group_table(r, &groups[i], f))
			return -1;
	return 0;
}

/* A TOTAL row repeats its programs' reasons; it is listed only when no
 * program row explains it (e.g. a variant skipped as a whole). */
static int explained(const struct report *r, size_t total)
{
	for (size_t i = 0; i < r->sizes->nrows; i++)
		if (i != total && strcmp(report_cell(r->sizes, i, "status"), "ok") &&
		    strcmp(report_cell(r->sizes, i, "program"), "TOTAL") &&
		    !strcmp(report_cell(r->sizes, i, "variant"), report_cell(r->sizes, total, "variant")) &&
		    !strcmp(report_cell(r->sizes, i, "attach"), report_cell(r->sizes, total, "attach")))
			return 1;
	return 0;
}

int report_failures(const struct report *r, FILE *f)
{
	static const char *const head[] = {"variant", "attach", "program", "status", "reason", "log"};
	struct mdtable t;
	int rc;

	if (md_init(&t, 6, head))
		return -1;
	for (size_t i = 0; i < r->sizes->nrows; i++) {
		const char *v = report_cell(r->sizes, i, "variant");
		const char *a = report_cell(r->sizes, i, "attach");
		const char *p = report_cell(r->sizes, i, "program");
		char log[512];

		if (!strcmp(report_cell(r->sizes, i, "status"), "ok") ||
		    (!strcmp(p, "TOTAL") && explained(r, i)))
			continue;
		snprintf(log, sizeof(log), "verifier/%s-%s-%s.log", v, a, p);
		md_cell(&t, "%s", v);
		md_cell(&t, "%s", a);
		md_cell(&t, "%s", p);
		md_cell(&t, "%s", report_cell(r->sizes, i, "status"));
		md_cell(&t, "%s", *report_cell(r->sizes, i, "reason") ? report_cell(r->sizes, i, "reason")
								     : "(none given)");
		if (rundir_exists(r->rd, log))
			md_cell(&t, "[log](%s)", log);
		else
			md_cell(&t, "-");
	}
	fprintf(f, "## Skipped and failed\n\n");
	if (!md_rows(&t))
		fprintf(f, "Every variant loaded in every attach mode measured.\n");
	rc = md_print(&t, f);
	md_free(&t);
	fputc('\n', f);
	return rc;
}

int report_programs(const struct report *r, FILE *f)
{
	static const char *const cols[] = {"elf_code_bytes", "insn_cnt", "verified_insns",
					   "stack_depth",    "xlated_bytes", "jited_bytes",
					   "jited_funcs"};
	const char *head[12] = {"variant", "attach", "program"};
	char labels[8][64];
	int n = 3;
	struct mdtable t;

	for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++) {
		header(metric_find(SIZES, cols[c]), labels[c], sizeof(labels[c]));
		head[n++] = labels[c];
	}
	head[n++] = "status";
	if (md_init(&t, n, head))
		return -1;
	for (size_t i = 0; i < r->sizes->nrows; i++) {
		char buf[64];

		if (!strcmp(report_cell(r->sizes, i, "program"), "TOTAL"))
			continue;
		md_cell(&t, "%s", report_cell(r->sizes, i, "variant"));
		md_cell(&t, "%s", report_cell(r->sizes, i, "attach"));
		md_cell(&t, "%s", report_cell(r->sizes, i, "program"));
		for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++) {
			report_fmt(r->sizes, SIZES, i, cols[c], buf, sizeof(buf));
			md_cell(&t, "%s", buf);
		}
		md_cell(&t, "%s", report_cell(r->sizes, i, "status"));
	}
	fprintf(f, "<details><summary>Every program (sizes.csv without the TOTAL rows)</summary>\n\n");
	int rc = md_print(&t, f);
	md_free(&t);
	fprintf(f, "\n</details>\n\n");
	return rc;
}
