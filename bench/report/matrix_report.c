/* bpf2bpf-bench matrix-report: the cross-kernel report of a VM matrix run
 * (scripts/matrix.sh). RUN_DIR/kernels.csv lists the kernels (one column
 * each, the host's own included), each with RUN_DIR/<dir>/sizes.csv,
 * run.env and, from the guests, overhead/overhead.csv and trace.txt.
 * Writes RUN_DIR/sizes.csv (every kernel's rows, plus role and timing) and
 * RUN_DIR/report.md. Times from emulated (TCG) guests are tabulated apart
 * from native ones and never set side by side with them. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "base/csv.h"
#include "base/mdtable.h"
#include "base/metrics.h"
#include "kernel/variants.h"

#define MR_MAX_KERNELS 32
#define MR_MAX_AXIS 32

struct kcol {
	const char *dir, *series, *release, *role, *accel, *timing, *status, *reason;
	const char *boot_s, *wall_s, *version;
	char label[80]; /* column header */
	struct csv_table sizes, overhead;
	int have_sizes, have_overhead;
	char problem[320]; /* why sizes.csv is missing or unreadable */
	char jit[16], btf[8], trace_step[8];
	long trace_lines; /* -1: no trace.txt */
};

struct mreport {
	const char *dir;
	struct csv_table kernels;
	struct kcol k[MR_MAX_KERNELS];
	size_t nk;
	const char *variants[MR_MAX_AXIS];
	size_t nv;
	const char *attaches[MR_MAX_AXIS];
	size_t na;
	int bad_inputs;
};

/* The size metrics tabulated per kernel, in report order. */
static const char *const size_metrics[] = {
	"xlated_bytes", "jited_bytes",	 "jited_funcs",	   "insn_cnt",	 "verified_insns",
	"total_states", "peak_states",	 "stack_depth",	   "elf_code_bytes", "memlock_bytes",
};
#define NSIZE_METRICS (sizeof(size_metrics) / sizeof(size_metrics[0]))

/* ---- input ---- */

static char *path_join(const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + (c ? strlen(c) : 0) + 3;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s/%s%s%s", a, b, c ? "/" : "", c ? c : "");
	return p;
}

/* The last value of key in a KEY=VALUE file, "" when absent. */
static void env_get(const char *dir, const char *sub, const char *key, char *buf, size_t len)
{
	char *path = path_join(dir, sub, "run.env"), line[512];
	size_t klen = strlen(key);
	FILE *f = path ? fopen(path, "r") : NULL;

	buf[0] = 0;
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) || line[klen] != '=')
			continue;
		snprintf(buf, len, "%s", line + klen + 1);
		buf[strcspn(buf, "\r\n")] = 0;
	}
	if (f)
		fclose(f);
	free(path);
}

static long count_lines_with(const char *path, const char *needle)
{
	char line[1024];
	long n = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, needle) != NULL;
	fclose(f);
	return n;
}

/* Position of s in list, n when absent. */
static size_t axis_index(const char *const *list, size_t n, const char *s)
{
	size_t i = 0;

	while (i < n && strcmp(list[i], s))
		i++;
	return i;
}

/* Append s unless empty, present or the list is full. */
static void add_unique(const char **list, size_t *n, const char *s)
{
	if (*s && *n < MR_MAX_AXIS && axis_index(list, *n, s) == *n)
		list[(*n)++] = s;
}

static const char *kget(const struct mreport *r, size_t row, const char *col)
{
	return csv_get(&r->kernels, row, csv_col(&r->kernels, col));
}

/* "6.1.0-56-cloud-amd64" -> "6.1.0-56"; the host's column says so. */
static void make_label(struct kcol *k)
{
	const char *rel = *k->release ? k->release : k->series;
	const char *suffix = "-cloud-amd64";
	size_t n = strlen(rel), sl = strlen(suffix);

	if (n > sl && !strcmp(rel + n - sl, suffix))
		n -= sl;
	snprintf(k->label, sizeof(k->label), "%s%.*s", strcmp(k->role, "host") ? "" : "host ",
		 (int)n, rel);
}

static void load_kernel(struct mreport *r, size_t row)
{
	struct kcol *k = &r->k[r->nk++];
	char err[256], *path;

	k->dir = kget(r, row, "dir");
	k->series = kget(r, row, "series");
	k->release = kget(r, row, "release");
	k->version = kget(r, row, "version");
	k->role = kget(r, row, "role");
	k->accel = kget(r, row, "accel");
	k->timing = kget(r, row, "timing");
	k->status = kget(r, row, "status");
	k->reason = kget(r, row, "reason");
	k->boot_s = kget(r, row, "boot_s");
	k->wall_s = kget(r, row, "wall_s");
	k->trace_lines = -1;
	make_label(k);
	if (!*k->timing)
		k->timing = strcmp(k->role, "host") ? "emulated" : "native";
	if (!*k->dir) {
		snprintf(k->problem, sizeof(k->problem), "%s", *k->reason ? k->reason : k->status);
		return;
	}
	env_get(r->dir, k->dir, "jit_enable", k->jit, sizeof(k->jit));
	env_get(r->dir, k->dir, "btf_vmlinux", k->btf, sizeof(k->btf));
	env_get(r->dir, k->dir, "step_trace", k->trace_step, sizeof(k->trace_step));
	path = path_join(r->dir, k->dir, "trace.txt");
	if (path)
		k->trace_lines = count_lines_with(path, "new tcp connection:");
	free(path);

	path = path_join(r->dir, k->dir, "sizes.csv");
	if (path && csv_read(path, &k->sizes, err, sizeof(err)) == 0) {
		k->have_sizes = 1;
	} else if (path) {
		FILE *f = fopen(path, "r");

		if (f) { /* there but unreadable: an input error, said out loud */
			fclose(f);
			snprintf(k->problem, sizeof(k->problem), "unreadable sizes.csv: %s", err);
			fprintf(stderr, "matrix-report: %s\n", err);
			r->bad_inputs++;
		} else {
			snprintf(k->problem, sizeof(k->problem), "no sizes.csv (%s%s%s)", k->status,
				 *k->reason ? ": " : "", k->reason);
		}
	}
	free(path);
	path = path_join(r->dir, k->dir, "overhead/overhead.csv");
	if (path && csv_read(path, &k->overhead, err, sizeof(err)) == 0)
		k->have_overhead = 1;
	free(path);
}

static const char *const kernels_required[] = {"dir", "series", "release", "role", "status"};

static int load(struct mreport *r, const char *dir)
{
	char err[320], *path = path_join(dir, "kernels.csv", NULL);
	int rc;

	r->dir = dir;
	rc = path ? csv_read(path, &r->kernels, err, sizeof(err)) : -1;
	free(path);
	if (rc) {
		fprintf(stderr, "matrix-report: %s is not a matrix run directory: %s\n", dir,
			path ? err : "out of memory");
		return -1;
	}
	if (csv_require(&r->kernels, kernels_required,
			sizeof(kernels_required) / sizeof(kernels_required[0]), err, sizeof(err))) {
		fprintf(stderr, "matrix-report: %s\n", err);
		return -1;
	}
	for (size_t i = 0; i < r->kernels.nrows && r->nk < MR_MAX_KERNELS; i++)
		load_kernel(r, i);
	/* Axes in order of first appearance (sizes.csv follows variants.def). */
	for (size_t i = 0; i < r->nk; i++) {
		const struct csv_table *t = &r->k[i].sizes;

		for (size_t row = 0; r->k[i].have_sizes && row < t->nrows; row++) {
			add_unique(r->variants, &r->nv, csv_get(t, row, csv_col(t, "variant")));
			add_unique(r->attaches, &r->na, csv_get(t, row, csv_col(t, "attach")));
		}
	}
	return 0;
}

static void unload(struct mreport *r)
{
	for (size_t i = 0; i < r->nk; i++) {
		if (r->k[i].have_sizes)
			csv_free(&r->k[i].sizes);
		if (r->k[i].have_overhead)
			csv_free(&r->k[i].overhead);
	}
	csv_free(&r->kernels);
}

/* ---- look-ups ---- */

static const char *cell(const struct csv_table *t, size_t row, const char *col)
{
	return csv_get(t, row, csv_col(t, col));
}

/* The TOTAL row of variant x attach in a kernel's sizes.csv, -1 if none. */
static long total_row(const struct kcol *k, const char *variant, const char *attach)
{
	const struct csv_table *t = &k->sizes;

	for (size_t row = 0; k->have_sizes && row < t->nrows; row++)
		if (!strcmp(cell(t, row, "program"), "TOTAL") &&
		    !strcmp(cell(t, row, "variant"), variant) && !strcmp(cell(t, row, "attach"), attach))
			return (long)row;
	return -1;
}

/* The table cell of one kernel for variant x attach: the number when ok,
 * else the status; "n/a" when the kernel has no sizes at all. */
static void size_cell(const struct kcol *k, const char *variant, const char *attach,
		      const char *metric, char *buf, size_t len)
{
	long row = total_row(k, variant, attach);
	const char *status;

	if (!k->have_sizes) {
		snprintf(buf, len, "n/a");
		return;
	}
	if (row < 0) {
		snprintf(buf, len, "-");
		return;
	}
	status = cell(&k->sizes, (size_t)row, "status");
	if (strcmp(status, "ok") || !strcmp(metric, "status")) {
		snprintf(buf, len, "%s", status);
		return;
	}
	metric_fmt(metric_find("sizes.csv", metric), cell(&k->sizes, (size_t)row, metric), buf, len);
}

static int any_row_has(const struct mreport *r, const char *variant, const char *attach)
{
	for (size_t i = 0; i < r->nk; i++)
		if (total_row(&r->k[i], variant, attach) >= 0)
			return 1;
	return 0;
}

/* ---- report sections ---- */

/* A table with rows variant x attach and one column per kernel whose timing
 * kind is `timing` (NULL: every kernel). Returns the columns it had. */
static int metric_table(const struct mreport *r, FILE *f, const char *metric, const char *timing)
{
	const char *head[2 + MR_MAX_KERNELS];
	char hbuf[MR_MAX_KERNELS][96], buf[64];
	size_t cols[MR_MAX_KERNELS], nc = 0;
	struct mdtable t;

	head[0] = "variant";
	head[1] = "attach";
	for (size_t i = 0; i < r->nk; i++) {
		if (timing && strcmp(r->k[i].timing, timing))
			continue;
		if (!r->k[i].have_sizes && strcmp(metric, "status"))
			continue; /* said once, in the kernels and status tables */
		snprintf(hbuf[nc], sizeof(hbuf[nc]), ">%s", r->k[i].label);
		head[2 + nc] = hbuf[nc];
		cols[nc++] = i;
	}
	if (!nc)
		return 0;
	if (md_init(&t, 2 + (int)nc, head))
		return -1;
	for (size_t v = 0; v < r->nv; v++) {
		for (size_t a = 0; a < r->na; a++) {
			if (!any_row_has(r, r->variants[v], r->attaches[a]))
				continue;
			md_cell(&t, "%s", r->variants[v]);
			md_cell(&t, "%s", r->attaches[a]);
			for (size_t c = 0; c < nc; c++) {
				size_cell(&r->k[cols[c]], r->variants[v], r->attaches[a], metric, buf,
					  sizeof(buf));
				md_cell(&t, "%s", buf);
			}
		}
	}
	md_print(&t, f);
	md_free(&t);
	return (int)nc;
}

static void section_kernels(const struct mreport *r, FILE *f)
{
	static const char *const head[] = {"column", "series", "package version", "runs on",
					   "timing", ">init after (s)", ">wall (s)", "status",
					   "problem"};
	struct mdtable t;

	fprintf(f, "## Kernels\n\n");
	if (md_init(&t, 9, head))
		return;
	for (size_t i = 0; i < r->nk; i++) {
		const struct kcol *k = &r->k[i];

		md_cell(&t, "%s", k->label);
		md_cell(&t, "%s", k->series);
		md_cell(&t, "%s", *k->version ? k->version : "-");
		md_cell(&t, "%s", !strcmp(k->role, "host") ? "this machine" :
				  *k->accel			 ? k->accel :
								   "-");
		md_cell(&t, "%s", k->timing);
		md_cell(&t, "%s", *k->boot_s ? k->boot_s : "-");
		md_cell(&t, "%s", *k->wall_s ? k->wall_s : "-");
		md_cell(&t, "%s", k->status);
		md_cell(&t, "%s", *k->problem ? k->problem : *k->reason ? k->reason : "");
	}
	md_print(&t, f);
	md_free(&t);
	fprintf(f, "\nEach column's files are in its directory: sizes.csv, verifier/ (logs), "
		   "console.log, run.env, boot.env; the guests' also overhead/, trace.txt, "
		   "job.log.\n\n");
}

static void section_sizes(const struct mreport *r, FILE *f)
{
	char header[96];

	fprintf(f, "## Sizes and verifier work per kernel\n\n"
		   "`program=TOTAL` rows of each kernel's sizes.csv: the sum over the programs of "
		   "a variant in one attach mode. A cell that is not a number is the row's "
		   "status (skipped: the kernel refused the attach mode; failed: the verifier "
		   "refused the variant; see below for its words); n/a: no results from that "
		   "kernel.\n\n");
	for (size_t i = 0; i < NSIZE_METRICS; i++) {
		const struct metric_def *m = metric_find("sizes.csv", size_metrics[i]);

		if (!m)
			continue;
		metric_header(m, header, sizeof(header));
		fprintf(f, "### %s — `%s`\n\n%s.\n\n", header, m->column, m->doc);
		metric_table(r, f, m->column, NULL);
		fprintf(f, "\n");
	}
}

/* Which kernel accepted what: per variant x attach, then per feature. */
static void section_acceptance(const struct mreport *r, FILE *f)
{
	const char *head[1 + MR_MAX_KERNELS];
	char hbuf[MR_MAX_KERNELS][96];
	struct mdtable t;

	fprintf(f, "## What each kernel accepted\n\n");
	metric_table(r, f, "status", NULL);

	head[0] = "feature";
	for (size_t i = 0; i < r->nk; i++) {
		snprintf(hbuf[i], sizeof(hbuf[i]), "%s", r->k[i].label);
		head[1 + i] = hbuf[i];
	}
	if (md_init(&t, 1 + (int)r->nk, head))
		return;
	/* Attach modes with at least one variant loaded. */
	md_cell(&t, "attach modes that load");
	for (size_t i = 0; i < r->nk; i++) {
		char list[256] = "";

		for (size_t a = 0; a < r->na; a++) {
			for (size_t v = 0; v < r->nv; v++) {
				long row = total_row(&r->k[i], r->variants[v], r->attaches[a]);

				if (row >= 0 && !strcmp(cell(&r->k[i].sizes, (size_t)row, "status"), "ok")) {
					snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
						 *list ? ", " : "", r->attaches[a]);
					break;
				}
			}
		}
		md_cell(&t, "%s", r->k[i].have_sizes ? (*list ? list : "none") : "n/a");
	}
	/* Every variant is a feature: global functions, tail calls with
	 * bpf2bpf calls, linked objects... loaded in how many of the modes
	 * that load at all. */
	for (size_t v = 0; v < r->nv; v++) {
		const struct variant *var = variant_find(r->variants[v]);

		md_cell(&t, "`%s`: %s", r->variants[v], var ? var->desc : "");
		for (size_t i = 0; i < r->nk; i++) {
			int ok = 0, tried = 0;

			for (size_t a = 0; a < r->na; a++) {
				long row = total_row(&r->k[i], r->variants[v], r->attaches[a]);
				const char *st = row >= 0 ? cell(&r->k[i].sizes, (size_t)row, "status") : "";

				if (!strcmp(st, "skipped") || row < 0)
					continue;
				tried++;
				ok += !strcmp(st, "ok");
			}
			if (!r->k[i].have_sizes)
				md_cell(&t, "n/a");
			else if (!tried)
				md_cell(&t, "-");
			else
				md_cell(&t, "%s (%d/%d modes)", ok == tried ? "yes" : ok ? "partly" : "no",
					ok, tried);
		}
	}
	md_cell(&t, "verified_insns from (`verified_src`)");
	for (size_t i = 0; i < r->nk; i++) {
		const struct csv_table *s = &r->k[i].sizes;
		int info = 0, log = 0;

		for (size_t row = 0; r->k[i].have_sizes && row < s->nrows; row++) {
			info |= !strcmp(cell(s, row, "verified_src"), "info");
			log |= !strcmp(cell(s, row, "verified_src"), "log");
		}
		md_cell(&t, "%s", info && log ? "info and log" :
				  info	      ? "bpf_prog_info" :
				  log	      ? "verifier log" :
						"-");
	}
	md_cell(&t, "BTF for vmlinux / JIT enabled");
	for (size_t i = 0; i < r->nk; i++)
		md_cell(&t, "%s / %s", *r->k[i].btf ? r->k[i].btf : "-",
			*r->k[i].jit ? r->k[i].jit : "-");
	md_cell(&t, "trace smoke: `new tcp connection:` lines");
	for (size_t i = 0; i < r->nk; i++) {
		if (r->k[i].trace_lines < 0)
			md_cell(&t, "-");
		else
			md_cell(&t, "%ld%s", r->k[i].trace_lines,
				*r->k[i].trace_step && strcmp(r->k[i].trace_step, "0") ? " (step failed)" :
											  "");
	}
	fprintf(f, "\n");
	md_print(&t, f);
	md_free(&t);
	fprintf(f, "\n");
}

/* A refusal's words without the program name libbpf or the harness put in
 * front ("fe_active: ...", "prog 'fe_passive': ..."), so the same refusal
 * in several programs and modes reads as one. */
static const char *refusal_words(const char *reason, char *buf, size_t len)
{
	const char *p = reason, *q;

	if (!strncmp(p, "prog '", 6) && (q = strstr(p + 6, "': ")))
		p = q + 3;
	for (q = p; *q && (isalnum((unsigned char)*q) || *q == '_'); q++)
		;
	if (q > p && q[0] == ':' && q[1] == ' ')
		p = q + 2;
	snprintf(buf, len, "%s", p);
	return buf;
}

struct refusal {
	const char *status;
	char words[320];
	char variants[256];
	char attaches[256];
};

static void list_add(char *list, size_t len, const char *item)
{
	size_t n = strlen(list);

	snprintf(list + n, len - n, "%s%s", n ? ", " : "", item);
}

/* One kernel's refusals: per attach mode the variants refused with the same
 * words, then attach modes with the same variants and words merged. */
static size_t kernel_refusals(const struct mreport *r, const struct kcol *k, struct refusal *out,
			      size_t cap)
{
	size_t n = 0;

	for (size_t a = 0; a < r->na; a++) {
		size_t first = n;

		for (size_t v = 0; v < r->nv; v++) {
			long row = total_row(k, r->variants[v], r->attaches[a]);
			const char *st = row >= 0 ? cell(&k->sizes, (size_t)row, "status") : "ok";
			char words[320];
			size_t j;

			if (!strcmp(st, "ok"))
				continue;
			refusal_words(cell(&k->sizes, (size_t)row, "reason"), words, sizeof(words));
			for (j = first; j < n; j++)
				if (!strcmp(out[j].status, st) && !strcmp(out[j].words, words))
					break;
			if (j == n) {
				if (n == cap)
					continue;
				memset(&out[n], 0, sizeof(out[n]));
				out[n].status = st;
				snprintf(out[n].words, sizeof(out[n].words), "%s", words);
				snprintf(out[n].attaches, sizeof(out[n].attaches), "%s", r->attaches[a]);
				n++;
			}
			list_add(out[j].variants, sizeof(out[j].variants), r->variants[v]);
		}
	}
	/* Merge attach modes: same status, words and variants. */
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n;) {
			if (strcmp(out[i].status, out[j].status) || strcmp(out[i].words, out[j].words) ||
			    strcmp(out[i].variants, out[j].variants)) {
				j++;
				continue;
			}
			list_add(out[i].attaches, sizeof(out[i].attaches), out[j].attaches);
			memmove(&out[j], &out[j + 1], (n - j - 1) * sizeof(out[0]));
			n--;
		}
	}
	return n;
}

static void section_refusals(const struct mreport *r, FILE *f)
{
	static const char *const head[] = {"kernel", "variants", "attach", "status", "in its words"};
	struct refusal *ref = calloc(256, sizeof(*ref));
	char all[256] = "";
	struct mdtable t;

	if (!ref || md_init(&t, 5, head)) {
		free(ref);
		return;
	}
	for (size_t v = 0; v < r->nv; v++)
		list_add(all, sizeof(all), r->variants[v]);
	for (size_t i = 0; i < r->nk; i++) {
		size_t n = r->k[i].have_sizes ? kernel_refusals(r, &r->k[i], ref, 256) : 0;

		for (size_t j = 0; j < n; j++) {
			md_cell(&t, "%s", r->k[i].label);
			md_cell(&t, "%s", strcmp(ref[j].variants, all) ? ref[j].variants : "all");
			md_cell(&t, "%s", ref[j].attaches);
			md_cell(&t, "%s", ref[j].status);
			md_cell(&t, "%s", *ref[j].words ? ref[j].words : "-");
		}
	}
	fprintf(f, "### Refused, in the kernel's words\n\n"
		   "skipped: the kernel refused the attach mode for every variant; failed: the "
		   "verifier (or loader) refused this variant. The per-program rows and the full "
		   "verifier logs are in each kernel's sizes.csv and verifier/.\n\n");
	if (md_rows(&t))
		md_print(&t, f);
	else
		fprintf(f, "Every kernel loaded every variant in every attach mode.\n");
	md_free(&t);
	free(ref);
	fprintf(f, "\n");
}

/* The JIT function lengths ("a+b+c") must add up to jited_bytes, and there
 * must be jited_funcs of them. */
static void section_checks(const struct mreport *r, FILE *f)
{
	static const char *const head[] = {"kernel", ">rows checked", ">mismatches", "first mismatch"};
	struct mdtable t;

	if (md_init(&t, 4, head))
		return;
	for (size_t i = 0; i < r->nk; i++) {
		const struct csv_table *s = &r->k[i].sizes;
		int lens_col = r->k[i].have_sizes ? csv_col(s, "jited_func_lens") : -1;
		long checked = 0, bad = 0;
		char first[160] = "";

		if (lens_col < 0)
			continue;
		for (size_t row = 0; row < s->nrows; row++) {
			const char *lens = csv_get(s, row, lens_col), *p = lens;
			long long sum = 0, n = 0;
			char *end;

			if (!*lens || strcmp(cell(s, row, "status"), "ok"))
				continue;
			while (*p) {
				sum += strtoll(p, &end, 10);
				n++;
				p = *end == '+' ? end + 1 : end;
				if (end == p && *p)
					break; /* not a number: counted as a mismatch below */
			}
			checked++;
			if (*p || sum != strtoll(cell(s, row, "jited_bytes"), NULL, 10) ||
			    (*cell(s, row, "jited_funcs") && n != strtoll(cell(s, row, "jited_funcs"), NULL, 10))) {
				if (!bad++)
					snprintf(first, sizeof(first), "%s %s %s: %s vs %s bytes, %s funcs",
						 cell(s, row, "variant"), cell(s, row, "attach"),
						 cell(s, row, "program"), lens, cell(s, row, "jited_bytes"),
						 cell(s, row, "jited_funcs"));
			}
		}
		md_cell(&t, "%s", r->k[i].label);
		md_cell(&t, "%ld", checked);
		md_cell(&t, "%ld", bad);
		md_cell(&t, "%s", first);
	}
	if (md_rows(&t)) {
		fprintf(f, "## Consistency: JIT function lengths add up to jited_bytes\n\n");
		md_print(&t, f);
		fprintf(f, "\n");
	}
	md_free(&t);
}

static int has_timing(const struct mreport *r, const char *timing)
{
	for (size_t i = 0; i < r->nk; i++)
		if (!strcmp(r->k[i].timing, timing) && (r->k[i].have_sizes || r->k[i].have_overhead))
			return 1;
	return 0;
}

/* Rows in overhead.csv's own layout: attach, then output (in order of first
 * appearance), then variant (variants.def order). Insertion sort: stable. */
static void sort_keys(const struct mreport *r, const char *(*keys)[3], size_t n)
{
	const char *outputs[MR_MAX_AXIS];
	size_t nout = 0;

	for (size_t i = 0; i < n; i++)
		add_unique(outputs, &nout, keys[i][2]);
	for (size_t i = 1; i < n; i++) {
		const char *k[3] = {keys[i][0], keys[i][1], keys[i][2]};
		size_t ka = axis_index(r->attaches, r->na, k[1]), ko = axis_index(outputs, nout, k[2]);
		size_t kv = axis_index(r->variants, r->nv, k[0]), j = i;

		while (j > 0) {
			size_t pa = axis_index(r->attaches, r->na, keys[j - 1][1]);
			size_t po = axis_index(outputs, nout, keys[j - 1][2]);
			size_t pv = axis_index(r->variants, r->nv, keys[j - 1][0]);

			if (pa < ka || (pa == ka && (po < ko || (po == ko && pv <= kv))))
				break;
			memcpy(keys[j], keys[j - 1], sizeof(keys[j]));
			j--;
		}
		memcpy(keys[j], k, sizeof(k));
	}
}

/* overhead.csv of the kernels of one timing kind: variant x attach x output
 * rows, one column per kernel. */
static void overhead_table(const struct mreport *r, FILE *f, const char *timing, const char *metric)
{
	const char *head[3 + MR_MAX_KERNELS];
	char hbuf[MR_MAX_KERNELS][96], buf[64];
	size_t cols[MR_MAX_KERNELS], nc = 0;
	const char *keys[256][3];
	size_t nkeys = 0;
	struct mdtable t;

	head[0] = "variant";
	head[1] = "attach";
	head[2] = "output";
	for (size_t i = 0; i < r->nk; i++) {
		const struct csv_table *o = &r->k[i].overhead;

		if (!r->k[i].have_overhead || strcmp(r->k[i].timing, timing))
			continue;
		snprintf(hbuf[nc], sizeof(hbuf[nc]), ">%s", r->k[i].label);
		head[3 + nc] = hbuf[nc];
		cols[nc++] = i;
		for (size_t row = 0; row < o->nrows && nkeys < 256; row++) {
			const char *k[3] = {cell(o, row, "variant"), cell(o, row, "attach"),
					    cell(o, row, "output")};
			int seen = 0;

			for (size_t j = 0; j < nkeys && !seen; j++)
				seen = !strcmp(keys[j][0], k[0]) && !strcmp(keys[j][1], k[1]) &&
				       !strcmp(keys[j][2], k[2]);
			if (!seen && *k[0] && strcmp(k[0], "none")) {
				keys[nkeys][0] = k[0];
				keys[nkeys][1] = k[1];
				keys[nkeys++][2] = k[2];
			}
		}
	}
	if (!nc || md_init(&t, 3 + (int)nc, head))
		return;
	sort_keys(r, keys, nkeys);
	for (size_t j = 0; j < nkeys; j++) {
		md_cell(&t, "%s", keys[j][0]);
		md_cell(&t, "%s", keys[j][1]);
		md_cell(&t, "%s", keys[j][2]);
		for (size_t c = 0; c < nc; c++) {
			const struct csv_table *o = &r->k[cols[c]].overhead;
			const char *val = NULL;

			for (size_t row = 0; row < o->nrows && !val; row++)
				if (!strcmp(cell(o, row, "variant"), keys[j][0]) &&
				    !strcmp(cell(o, row, "attach"), keys[j][1]) &&
				    !strcmp(cell(o, row, "output"), keys[j][2]))
					val = cell(o, row, metric);
			metric_fmt(metric_find("overhead.csv", metric), val ? val : "", buf, sizeof(buf));
			md_cell(&t, "%s", buf);
		}
	}
	md_print(&t, f);
	md_free(&t);
	fprintf(f, "\n");
}

static void section_times(const struct mreport *r, FILE *f)
{
	static const struct {
		const char *timing, *title, *note;
	} kinds[] = {
		{"native", "Native timings (this machine)",
		 "Measured on real hardware (or this machine's own VM): the only times here "
		 "that mean time."},
		{"virtualized", "Virtualized timings (KVM guests)",
		 "Hardware-assisted guests: real CPU, virtual devices. Not comparable with "
		 "native or emulated times."},
		{"emulated", "Emulated timings (TCG guests) — not hardware times",
		 "Under TCG every instruction is emulated: these numbers say how the kernels "
		 "behave relative to each other under the same emulator at best, and nothing "
		 "about hardware. Never compare them with native times."},
	};

	fprintf(f, "## Timings, by kind\n\n"
		   "Each kind of timing has its own tables; no table mixes them.\n\n");
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		if (!has_timing(r, kinds[k].timing))
			continue;
		fprintf(f, "### %s\n\n%s\n\n", kinds[k].title, kinds[k].note);
		fprintf(f, "Verification time (`verify_usec`, us, TOTAL rows):\n\n");
		metric_table(r, f, "verify_usec", kinds[k].timing);
		fprintf(f, "\n");
		for (size_t i = 0; i < r->nk; i++) {
			if (!r->k[i].have_overhead || strcmp(r->k[i].timing, kinds[k].timing))
				continue;
			fprintf(f, "Added time per event over the `empty` baseline "
				   "(`net_ns_vs_empty`, ns, overhead --quick):\n\n");
			overhead_table(r, f, kinds[k].timing, "net_ns_vs_empty");
			fprintf(f, "Time per event (`ns_per_event`, ns):\n\n");
			overhead_table(r, f, kinds[k].timing, "ns_per_event");
			break;
		}
	}
}

/* ---- output ---- */

/* All kernels' sizes.csv rows in one file: the union of their columns (in
 * order of first appearance) plus where each row ran. */
static int write_combined(const struct mreport *r, const char *path)
{
	const char *cols[128];
	int ncols = 0, rc;
	struct csv_writer w;

	for (size_t i = 0; i < r->nk; i++)
		for (int c = 0; r->k[i].have_sizes && c < r->k[i].sizes.ncols && ncols < 126; c++)
			if (axis_index(cols, (size_t)ncols, r->k[i].sizes.cols[c]) == (size_t)ncols)
				cols[ncols++] = r->k[i].sizes.cols[c];
	cols[ncols++] = "role";
	cols[ncols++] = "timing";
	if ((rc = csv_open(&w, path, cols, ncols))) {
		fprintf(stderr, "matrix-report: %s: %s\n", path, strerror(-rc));
		return -1;
	}
	for (size_t i = 0; i < r->nk; i++) {
		const struct csv_table *s = &r->k[i].sizes;

		for (size_t row = 0; r->k[i].have_sizes && row < s->nrows; row++) {
			for (int c = 0; c < ncols - 2; c++)
				csv_str(&w, csv_get(s, row, csv_col(s, cols[c])));
			csv_str(&w, r->k[i].role);
			csv_str(&w, r->k[i].timing);
			csv_end_row(&w);
		}
	}
	if ((rc = csv_close(&w))) {
		fprintf(stderr, "matrix-report: %s: %s\n", path, strerror(-rc));
		return -1;
	}
	return 0;
}

static int write_report(const struct mreport *r, const char *path)
{
	char tmp[4096], stamp[32];
	time_t now = time(NULL);
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (!(f = fopen(tmp, "w"))) {
		fprintf(stderr, "matrix-report: %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M UTC", gmtime(&now));
	fprintf(f, "# bpf2bpf-bench across kernels\n\n"
		   "The same harness binary and BPF objects, loaded by each kernel below "
		   "(Debian cloud kernels in qemu, and this machine's own kernel). "
		   "Written %s by `bpf2bpf-bench matrix-report`; every number comes from "
		   "the files beside this report (sizes.csv holds all kernels' rows).\n\n",
		   stamp);
	section_kernels(r, f);
	section_acceptance(r, f);
	section_refusals(r, f);
	section_sizes(r, f);
	section_checks(r, f);
	section_times(r, f);
	if (fclose(f) || rename(tmp, path)) {
		fprintf(stderr, "matrix-report: %s: %s\n", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: bpf2bpf-bench matrix-report RUN_DIR\n\n"
		   "The cross-kernel report of a scripts/matrix.sh run: reads RUN_DIR/kernels.csv\n"
		   "and each kernel's RUN_DIR/<dir>/sizes.csv (and run.env, overhead/overhead.csv,\n"
		   "trace.txt), writes RUN_DIR/sizes.csv (all rows, with role and timing columns)\n"
		   "and RUN_DIR/report.md.\n\n"
		   "  -h, --help\n\n"
		   "Exit status: 0 written; 1 written, but an input file was unreadable, or\n"
		   "could not write; 2 bad usage or not a matrix run directory.\n");
}

int cmd_matrix_report(int argc, char **argv)
{
	static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {0}};
	struct mreport *r;
	char *sizes_path, *report_path;
	int c, rc = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 0;
		}
		usage(stderr);
		return 2;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "matrix-report: want one RUN_DIR\n");
		usage(stderr);
		return 2;
	}
	if (!(r = calloc(1, sizeof(*r))))
		return 1;
	if (load(r, argv[optind])) {
		free(r);
		return 2;
	}
	sizes_path = path_join(r->dir, "sizes.csv", NULL);
	report_path = path_join(r->dir, "report.md", NULL);
	if (!sizes_path || !report_path || write_combined(r, sizes_path) ||
	    write_report(r, report_path))
		rc = 1;
	else if (r->bad_inputs)
		rc = 1;
	free(sizes_path);
	free(report_path);
	unload(r);
	free(r);
	return rc;
}
