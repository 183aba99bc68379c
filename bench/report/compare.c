/* `bpf2bpf-bench compare DIR_A DIR_B`: every numeric metric of every compared
 * result file (the column tables say which) side by side, A | B | diff (pct),
 * in veristat's compare style. Rows are matched by the file's key columns; a
 * row only one side has shows N/A on the other. When the two runs were timed
 * differently (run.env timing: native, virtualized, emulated), columns whose
 * unit is a time or a rate over time show N/A as their difference: an
 * emulated time says nothing about a native one. Counts and static columns
 * (sizes, verifier work) still compare. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/atomic_file.h"
#include "base/csv.h"
#include "base/mdtable.h"
#include "base/schema.h"
#include "methods/method.h"
#include "report/model.h"
#include "report/report.h"

#define MAX_COLS 64
#define NA "N/A"

static const char *const csv_head[] = {"file", "key", "metric", "a", "b", "diff", "pct"};
#define NKEYS 8

struct col {
	const char *name;
	int ca, cb; /* column index in A and B, -1 when absent */
	int decimals;
	int text; /* compared for equality only (status) */
	int time; /* a time: not compared across timing kinds */
};

struct out {
	bool csv, changed_only;
	bool times_apart; /* A and B timed differently: time columns are N/A */
	int nkeys;
	const char *keys[NKEYS]; /* the key columns of the file being compared */
	FILE *f;
	struct csv_writer w;
	struct mdtable md;
	size_t rows;
};

/* A column not in the metric table (a newer schema) is numeric when every
 * non-empty cell on both sides is a number. */
static int numeric_everywhere(const struct csv_table *a, int ca, const struct csv_table *b, int cb,
			      int *decimals)
{
	const struct csv_table *t[2] = {a, b};
	int c[2] = {ca, cb}, seen = 0;
	double v;

	*decimals = 0;
	for (int s = 0; s < 2; s++)
		for (size_t r = 0; t[s] && r < t[s]->nrows; r++) {
			const char *cell = csv_get(t[s], r, c[s]);

			if (!*cell)
				continue;
			if (metric_parse(cell, &v))
				return 0;
			if (strchr(cell, '.'))
				*decimals = 2;
			seen = 1;
		}
	return seen;
}

/* A time, or a rate over time, by the column's unit (col_is_timed): a count
 * in a time group (rounds, runs, events) is not one, verify_usec in the
 * verifier group is. A column the table does not know (a newer schema) may
 * be one: treated as a time. */
static int is_time(const struct column *m)
{
	return !m || col_is_timed(m);
}

/* Columns to compare: the numeric ones both sides have (one side when only
 * one has the file), in schema order, then status. */
static int pick_cols(const struct result_file *mf, const struct csv_table *a,
		     const struct csv_table *b, struct col *cols)
{
	const struct csv_table *hdr = a ? a : b;
	int n = 0;

	for (int i = 0; i < hdr->ncols && n < MAX_COLS; i++) {
		const char *name = hdr->cols[i];
		const struct column *m = rf_col(mf, name);
		struct col c = {name, a ? csv_col(a, name) : -1, b ? csv_col(b, name) : -1, 0, 0,
				is_time(m)};

		if ((a && c.ca < 0) || (b && c.cb < 0))
			continue; /* not in common */
		if (!strcmp(name, "status")) {
			c.text = 1;
			c.time = 0;
		} else if (m) {
			if (m->kind != MK_NUM || m->group == MG_ID)
				continue;
			c.decimals = m->decimals;
		} else if (!numeric_everywhere(a, c.ca, b, c.cb, &c.decimals)) {
			continue;
		}
		cols[n++] = c;
	}
	/* status last, as veristat puts the verdict after the numbers */
	for (int i = 0; i < n - 1; i++)
		if (cols[i].text) {
			struct col s = cols[i];

			memmove(&cols[i], &cols[i + 1], (n - 1 - i) * sizeof(cols[0]));
			cols[n - 1] = s;
			break;
		}
	return n;
}

static void key_of(const struct out *o, const struct csv_table *t, size_t row, const char **out)
{
	for (int k = 0; k < o->nkeys; k++)
		out[k] = csv_get(t, row, csv_col(t, o->keys[k]));
}

/* The key columns both sides have: a key column one side lacks cannot match. */
static void common_keys(struct out *o, const struct result_file *mf, const struct csv_table *a,
			const struct csv_table *b)
{
	o->nkeys = 0;
	for (int i = 0; i < mf->ncols && o->nkeys < NKEYS; i++)
		if (mf->cols[i].kind == MK_KEY && (!a || csv_col(a, mf->cols[i].name) >= 0) &&
		    (!b || csv_col(b, mf->cols[i].name) >= 0))
			o->keys[o->nkeys++] = mf->cols[i].name;
}

static long find_row(const struct out *o, const struct csv_table *t, const char **want,
		     const unsigned char *used)
{
	for (size_t r = 0; t && r < t->nrows; r++) {
		const char *k[NKEYS];
		int same = 1;

		if (used[r])
			continue;
		key_of(o, t, r, k);
		for (int i = 0; i < o->nkeys && same; i++)
			same = !strcmp(k[i], want[i]);
		if (same)
			return (long)r;
	}
	return -1;
}

static void emit(struct out *o, const char *file, const char **key, const char *metric,
		 const char *a, const char *b, const char *diff, const char *pct, const char *md)
{
	if (o->csv) {
		char k[512] = "";

		for (int i = 0; i < o->nkeys; i++)
			snprintf(k + strlen(k), sizeof(k) - strlen(k), "%s%s=%s", i ? ";" : "",
				 o->keys[i], key[i]);
		csv_str(&o->w, file);
		csv_str(&o->w, k);
		csv_str(&o->w, metric);
		csv_str(&o->w, a);
		csv_str(&o->w, b);
		csv_str(&o->w, diff);
		csv_str(&o->w, pct);
		csv_end_row(&o->w);
	} else {
		for (int k = 0; k < o->nkeys; k++)
			md_cell(&o->md, "%s", *key[k] ? key[k] : "-");
		md_cell(&o->md, "%s", metric);
		md_cell(&o->md, "%s", a);
		md_cell(&o->md, "%s", b);
		md_cell(&o->md, "%s", md);
	}
	o->rows++;
}

static void side_cell(const struct out *o, int missing, int has, double v, const char *raw,
		      int decimals, char *buf, size_t len)
{
	if (missing)
		snprintf(buf, len, NA);
	else if (has)
		metric_fmt_num(v, decimals, buf, len);
	else
		snprintf(buf, len, "%s", *raw ? raw : o->csv ? "" : "-");
}

/* One metric of one matched (or unmatched) row. */
static void compare_cell(struct out *o, const char *file, const char **key, const struct col *c,
			 const struct csv_table *a, long ra, const struct csv_table *b, long rb)
{
	const char *sa = ra < 0 ? NA : csv_get(a, ra, c->ca), *sb = rb < 0 ? NA : csv_get(b, rb, c->cb);
	char fa[64], fb[64], diff[64] = "", pct[64] = "", md[160];
	double va = NAN, vb = NAN;
	int na = ra < 0 || rb < 0;

	if (c->text) {
		snprintf(fa, sizeof(fa), "%s", sa);
		snprintf(fb, sizeof(fb), "%s", sb);
		snprintf(md, sizeof(md), "%s", na ? NA : strcmp(sa, sb) ? "MISMATCH" : "MATCH");
		if (!na)
			snprintf(diff, sizeof(diff), "%s", strcmp(sa, sb) ? "MISMATCH" : "MATCH");
		if (o->changed_only && !na && !strcmp(sa, sb))
			return;
	} else {
		int ha = ra >= 0 && !metric_parse(sa, &va), hb = rb >= 0 && !metric_parse(sb, &vb);

		side_cell(o, ra < 0, ha, va, sa, c->decimals, fa, sizeof(fa));
		side_cell(o, rb < 0, hb, vb, sb, c->decimals, fb, sizeof(fb));
		if (!na && c->time && o->times_apart) {
			/* both shown, never subtracted: see the note above the tables */
			snprintf(diff, sizeof(diff), NA);
			snprintf(pct, sizeof(pct), NA);
			snprintf(md, sizeof(md), NA);
		} else if (!na && ha && hb) {
			metric_diff_cells(va, vb, c->decimals, diff, pct, sizeof(diff));
			snprintf(md, sizeof(md), "%s (%s)", diff, pct[0] ? pct : NA);
			if (o->changed_only && va == vb)
				return;
		} else {
			snprintf(md, sizeof(md), "%s", na ? NA : "-");
			if (o->changed_only && !na && !ha && !hb)
				return;
		}
	}
	emit(o, file, key, c->name, fa, fb, diff, pct, md);
}

static int compare_file(struct out *o, const struct result_file *mf, const struct run *A,
			const struct run *B, int *common)
{
	const struct csv_table *a = run_raw(A, mf), *b = run_raw(B, mf);
	const char *md_head[NKEYS + 4];
	struct col cols[MAX_COLS];
	unsigned char *used;
	int ncols;

	if (!a && !b)
		return 0;
	ncols = pick_cols(mf, a, b, cols);
	if (a && b) /* a file only one side has is shown, but is nothing in common */
		*common += ncols - (ncols && cols[ncols - 1].text);
	common_keys(o, mf, a, b);
	for (int k = 0; k < o->nkeys; k++)
		md_head[k] = o->keys[k];
	md_head[o->nkeys] = "metric";
	md_head[o->nkeys + 1] = ">A";
	md_head[o->nkeys + 2] = ">B";
	md_head[o->nkeys + 3] = ">diff (pct)";
	used = calloc(b ? b->nrows + 1 : 1, 1);
	if (!used || (!o->csv && md_init(&o->md, o->nkeys + 4, md_head))) {
		free(used);
		return -1;
	}
	o->rows = 0;
	/* A's rows in A's order, then what only B has. */
	for (size_t r = 0; a && r < a->nrows; r++) {
		const char *key[NKEYS];
		long rb;

		key_of(o, a, r, key);
		rb = b ? find_row(o, b, key, used) : -1;
		if (rb >= 0)
			used[rb] = 1;
		for (int c = 0; c < ncols; c++)
			compare_cell(o, mf->name, key, &cols[c], a, (long)r, b, rb);
	}
	for (size_t r = 0; b && r < b->nrows; r++) {
		const char *key[NKEYS];

		if (used[r])
			continue;
		key_of(o, b, r, key);
		for (int c = 0; c < ncols; c++)
			compare_cell(o, mf->name, key, &cols[c], a, -1, b, (long)r);
	}
	free(used);
	if (o->csv)
		return 0;
	fprintf(o->f, "## %s\n\n", mf->name);
	if (!a || !b)
		fprintf(o->f, "Only %s has %s.\n\n", a ? "A" : "B", mf->name);
	if (!o->rows)
		fprintf(o->f, "%s\n", o->changed_only ? "No differences." : "No rows.");
	int rc = md_flush(&o->md, o->f);
	return rc;
}

static void describe(FILE *f, const char *label, const struct run *rd)
{
	const struct column *keys[] = {rf_col(&run_env_file, "kernel"), rf_col(&run_env_file, "timing"),
				       rf_col(&run_env_file, "clang"), rf_col(&run_env_file, "bpf_cpu"),
				       rf_col(&run_env_file, "libbpf"),
				       rf_col(&run_env_file, "libbpf_package"),
				       rf_col(&run_env_file, "started_utc")};

	fprintf(f, "- %s: `%s`", label, rd->path);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		fprintf(f, "%s%s=%s", i ? ", " : " (", keys[i]->name,
			*col_text(keys[i], &rd->env) ? col_text(keys[i], &rd->env) : "?");
	fprintf(f, ", schema %d)\n", rd->schema_version);
}

/* run.env's timing; a run that does not say was timed natively (that is
 * what timing_kind() writes when BPF2BPF_TIMING is unset). */
static const char *timing_of(const struct run *rd)
{
	const char *t = col_text(rf_col(&run_env_file, "timing"), &rd->env);

	return t && *t ? t : "native";
}

static int run(struct out *o, const struct run *A, const struct run *B, const struct method_set *ms)
{
	const struct result_file *files[RUN_MAX_FILES];
	size_t nfiles = method_files(ms, files, RUN_MAX_FILES);
	int common = 0, rc = 0;
	const char *ta = timing_of(A), *tb = timing_of(B);

	o->times_apart = strcmp(ta, tb) != 0;
	if (o->times_apart && o->csv)
		fprintf(stderr, "bpf2bpf-bench compare: A's timing is %s, B's %s: columns in units "
				"of time or rate have diff N/A (%s timing is never compared with %s)\n",
			ta, tb, ta, tb);

	if (o->csv) {
		if (csv_open_stream(&o->w, o->f, csv_head, 7))
			return -1;
	} else {
		fprintf(o->f, "# bpf2bpf-bench compare\n\n");
		describe(o->f, "A", A);
		describe(o->f, "B", B);
		fprintf(o->f, "\ndiff = B - A, pct relative to A; N/A: the row is on one side "
			      "only.\n\n");
		if (o->times_apart)
			fprintf(o->f, "A's timing is %s, B's is %s: every column in a unit of time "
				      "or a rate over time (ns, us, ms, s, conn/s, Gbit/s, and the "
				      "rate changes in %%), and every column this version does not "
				      "know, shows N/A as its diff, because %s timing is never "
				      "compared with %s; counts, sizes and verifier work still "
				      "compare.\n\n",
				ta, tb, ta, tb);
	}
	for (size_t i = 0; i < nfiles && !rc; i++)
		if (files[i]->compared)
			rc = compare_file(o, files[i], A, B, &common);
	if (o->csv && csv_close(&o->w))
		rc = -1;
	if (!rc && !common) {
		fprintf(stderr, "bpf2bpf-bench compare: %s and %s have no metric columns in common "
				"(schema %d vs %d)\n",
			A->path, B->path, A->schema_version, B->schema_version);
		return 2;
	}
	return rc ? 1 : 0;
}

int compare_dirs(const char *a, const char *b, const struct method_set *ms,
		 const struct compare_opts *co)
{
	struct out o = {.csv = co->csv, .changed_only = co->changed_only, .f = stdout};
	struct atomic_file af = {0};
	struct run A, B;
	char err[1024];
	int rc;

	if (run_open(&A, a, ms, false, err, sizeof(err))) {
		fprintf(stderr, "bpf2bpf-bench compare: %s\n", err);
		return 2;
	}
	if (run_open(&B, b, ms, false, err, sizeof(err))) {
		fprintf(stderr, "bpf2bpf-bench compare: %s\n", err);
		run_close(&A);
		return 2;
	}
	if (A.schema_version != B.schema_version)
		fprintf(stderr, "bpf2bpf-bench compare: warning: schema_version %d (A) vs %d (B): "
				"comparing the columns both have\n",
			A.schema_version, B.schema_version);
	if (co->out && strcmp(co->out, "-")) {
		if ((rc = af_open(&af, co->out))) {
			fprintf(stderr, "bpf2bpf-bench compare: %s: %s\n", co->out, strerror(-rc));
			run_close(&A);
			run_close(&B);
			return 1;
		}
		o.f = af.f;
	}
	rc = run(&o, &A, &B, ms);
	if (fflush(o.f) || ferror(o.f))
		rc = rc ? rc : 1;
	if (af.f && af_commit(&af, rc)) {
		fprintf(stderr, "bpf2bpf-bench compare: %s not written\n", co->out);
		rc = rc ? rc : 1;
	}
	run_close(&A);
	run_close(&B);
	return rc;
}
