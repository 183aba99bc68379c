/* The sizes method across kernels: what each kernel accepted, what it
 * refused in its own words, each size and verifier metric per kernel, and a
 * consistency check of the JIT function lengths. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/mdtable.h"
#include "kernel/variants.h"
#include "methods/sizes.h"
#include "report/matrix.h"
#include "report/report.h"
#include "report/sections.h"

#define MAX_AXIS 32

/* The size metrics tabulated per kernel, in report order. */
static const char *const size_metrics[] = {
	"xlated_bytes", "jited_bytes", "jited_funcs",	 "insn_cnt",	   "verified_insns",
	"total_states", "peak_states", "stack_depth",	 "elf_code_bytes", "memlock_bytes",
};

struct axes {
	const char *variants[MAX_AXIS], *attaches[MAX_AXIS];
	size_t nv, na;
};

static void add_axis(const char **list, size_t *n, const char *s)
{
	report_add_unique(list, n, MAX_AXIS, s);
}

static void axes_of(const struct matrix *m, struct axes *a)
{
	memset(a, 0, sizeof(*a));
	for (size_t i = 0; i < m->nk; i++) {
		size_t n;
		const struct sizes_row *s = matrix_rows(&m->k[i], &sizes_csv, &n);

		for (size_t r = 0; r < n; r++) {
			add_axis(a->variants, &a->nv, s[r].variant);
			add_axis(a->attaches, &a->na, s[r].attach);
		}
	}
}

const struct sizes_row *matrix_sizes_total(const struct kcol *k, const char *variant,
					   const char *attach)
{
	size_t n;
	const struct sizes_row *s = matrix_rows(k, &sizes_csv, &n);

	for (size_t r = 0; r < n; r++)
		if (!strcmp(s[r].program, "TOTAL") && !strcmp(s[r].variant, variant) &&
		    !strcmp(s[r].attach, attach))
			return &s[r];
	return NULL;
}

static bool any_kernel_has(const struct matrix *m, const char *variant, const char *attach)
{
	for (size_t i = 0; i < m->nk; i++)
		if (matrix_sizes_total(&m->k[i], variant, attach))
			return true;
	return false;
}

/* variant x attach rows, one column per kernel (of `timing`, NULL: all):
 * the metric when ok, else the row's status; n/a without results. */
static void metric_table(const struct matrix *m, const struct axes *a, FILE *f, const char *metric,
			 const char *timing)
{
	const struct column *c = rf_col(&sizes_csv, metric);
	const char *head[2 + MATRIX_MAX_KERNELS];
	char hbuf[MATRIX_MAX_KERNELS][96], buf[64];
	size_t cols[MATRIX_MAX_KERNELS], nc = 0;
	struct mdtable t;

	head[0] = "variant";
	head[1] = "attach";
	for (size_t i = 0; i < m->nk; i++) {
		if (timing && strcmp(m->k[i].k.timing, timing))
			continue;
		if (!m->k[i].have_run && strcmp(metric, "status"))
			continue; /* said once, in the kernels and status tables */
		snprintf(hbuf[nc], sizeof(hbuf[nc]), ">%s", m->k[i].label);
		head[2 + nc] = hbuf[nc];
		cols[nc++] = i;
	}
	if (!nc || md_init(&t, 2 + (int)nc, head))
		return;
	for (size_t v = 0; v < a->nv; v++)
		for (size_t at = 0; at < a->na; at++) {
			if (!any_kernel_has(m, a->variants[v], a->attaches[at]))
				continue;
			md_cell(&t, "%s", a->variants[v]);
			md_cell(&t, "%s", a->attaches[at]);
			for (size_t k = 0; k < nc; k++) {
				const struct kcol *kc = &m->k[cols[k]];
				const struct sizes_row *s = matrix_sizes_total(kc, a->variants[v], a->attaches[at]);

				if (!kc->have_run)
					md_cell(&t, "n/a");
				else if (!s)
					md_cell(&t, "-");
				else if (strcmp(s->status, "ok") || !c)
					md_cell(&t, "%s", s->status);
				else {
					col_fmt(c, s, buf, sizeof(buf));
					md_cell(&t, "%s", buf);
				}
			}
		}
	md_flush(&t, f);
}

static void feature_rows(const struct matrix *m, const struct axes *a, struct mdtable *t)
{
	md_cell(t, "attach modes that load");
	for (size_t i = 0; i < m->nk; i++) {
		char list[256] = "";

		for (size_t at = 0; at < a->na; at++)
			for (size_t v = 0; v < a->nv; v++) {
				const struct sizes_row *s = matrix_sizes_total(&m->k[i], a->variants[v], a->attaches[at]);

				if (s && !strcmp(s->status, "ok")) {
					snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
						 *list ? ", " : "", a->attaches[at]);
					break;
				}
			}
		md_cell(t, "%s", m->k[i].have_run ? (*list ? list : "none") : "n/a");
	}
	/* Every variant is a feature: global functions, tail calls with bpf2bpf
	 * calls, linked objects... loaded in how many of the modes that load. */
	for (size_t v = 0; v < a->nv; v++) {
		const struct variant *var = report_variant(a->variants[v]);

		md_cell(t, "`%s`: %s", a->variants[v], var ? var->desc : "");
		for (size_t i = 0; i < m->nk; i++) {
			int ok = 0, tried = 0;

			for (size_t at = 0; at < a->na; at++) {
				const struct sizes_row *s = matrix_sizes_total(&m->k[i], a->variants[v], a->attaches[at]);

				if (!s || !strcmp(s->status, "skipped"))
					continue;
				tried++;
				ok += !strcmp(s->status, "ok");
			}
			if (!m->k[i].have_run)
				md_cell(t, "n/a");
			else if (!tried)
				md_cell(t, "-");
			else
				md_cell(t, "%s (%d/%d modes)", ok == tried ? "yes" : ok ? "partly" : "no", ok,
					tried);
		}
	}
	md_cell(t, "verified_insns from (`verified_src`)");
	for (size_t i = 0; i < m->nk; i++) {
		size_t n;
		const struct sizes_row *s = matrix_rows(&m->k[i], &sizes_csv, &n);
		int info = 0, log = 0;

		for (size_t r = 0; r < n; r++) {
			info |= !strcmp(s[r].verified_src, "info");
			log |= !strcmp(s[r].verified_src, "log");
		}
		md_cell(t, "%s", info && log ? "info and log" : info ? "bpf_prog_info" : log ? "verifier log" : "-");
	}
	md_cell(t, "JIT enabled / hardened");
	for (size_t i = 0; i < m->nk; i++)
		md_cell(t, "%s / %s", m->k[i].have_run && m->k[i].run.env.jit_enable ? m->k[i].run.env.jit_enable : "-",
			m->k[i].have_run && m->k[i].run.env.jit_harden ? m->k[i].run.env.jit_harden : "-");
}

static void section_acceptance(const struct matrix *m, const struct axes *a, FILE *f)
{
	const char *head[1 + MATRIX_MAX_KERNELS];
	struct mdtable t;

	fprintf(f, "## What each %s accepted\n\n", matrix_axis(m));
	metric_table(m, a, f, "status", NULL);
	head[0] = "feature";
	for (size_t i = 0; i < m->nk; i++)
		head[1 + i] = m->k[i].label;
	if (md_init(&t, 1 + (int)m->nk, head))
		return;
	feature_rows(m, a, &t);
	md_flush(&t, f);
}

/* A refusal's words without the program name libbpf or the harness put in
 * front ("fe_active: ...", "prog 'fe_passive': ..."), so the same refusal in
 * several programs and modes reads as one. */
const char *matrix_refusal_words(const char *reason, char *buf, size_t len)
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
	char words[320], variants[256], attaches[256];
};

static void list_add(char *list, size_t len, const char *item)
{
	size_t n = strlen(list);

	snprintf(list + n, len - n, "%s%s", n ? ", " : "", item);
}

/* One kernel's refusals: per attach mode the variants refused with the same
 * words, then attach modes with the same variants and words merged. */
static size_t kernel_refusals(const struct axes *a, const struct kcol *k, struct refusal *out,
			      size_t cap)
{
	size_t n = 0;

	for (size_t at = 0; at < a->na; at++) {
		size_t first = n;

		for (size_t v = 0; v < a->nv; v++) {
			const struct sizes_row *s = matrix_sizes_total(k, a->variants[v], a->attaches[at]);
			char words[320];
			size_t j;

			if (!s || !strcmp(s->status, "ok"))
				continue;
			matrix_refusal_words(s->reason, words, sizeof(words));
			for (j = first; j < n; j++)
				if (!strcmp(out[j].status, s->status) && !strcmp(out[j].words, words))
					break;
			if (j == n) {
				if (n == cap)
					continue;
				memset(&out[n], 0, sizeof(out[n]));
				out[n].status = s->status;
				snprintf(out[n].words, sizeof(out[n].words), "%s", words);
				snprintf(out[n].attaches, sizeof(out[n].attaches), "%s", a->attaches[at]);
				n++;
			}
			list_add(out[j].variants, sizeof(out[j].variants), a->variants[v]);
		}
	}
	for (size_t i = 0; i < n; i++)
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
	return n;
}

static void section_refusals(const struct matrix *m, const struct axes *a, FILE *f)
{
	const char *const head[] = {matrix_axis(m), "variants", "attach", "status", "in its words"};
	struct refusal *ref = calloc(256, sizeof(*ref));
	char all[256] = "";
	struct mdtable t;

	if (!ref || md_init(&t, 5, head)) {
		free(ref);
		return;
	}
	for (size_t v = 0; v < a->nv; v++)
		list_add(all, sizeof(all), a->variants[v]);
	for (size_t i = 0; i < m->nk; i++) {
		size_t n = m->k[i].have_run ? kernel_refusals(a, &m->k[i], ref, 256) : 0;

		for (size_t j = 0; j < n; j++) {
			md_cell(&t, "%s", m->k[i].label);
			md_cell(&t, "%s", strcmp(ref[j].variants, all) ? ref[j].variants : "all");
			md_cell(&t, "%s", ref[j].attaches);
			md_cell(&t, "%s", ref[j].status);
			md_cell(&t, "%s", *ref[j].words ? ref[j].words : "-");
		}
	}
	fprintf(f, "### Refused, in the kernel's words\n\n"
		   "skipped: the kernel refused the attach mode for every variant, or refused a "
		   "program outright before verifying it; failed: the verifier (or loader) refused "
		   "this variant. The per-program rows and the full verifier logs are in each "
		   "%s's run/sizes.csv and run/verifier/.\n\n", matrix_axis(m));
	if (md_rows(&t))
		md_print(&t, f);
	else
		fprintf(f, "Every %s loaded every variant in every attach mode.\n", matrix_axis(m));
	md_free(&t);
	free(ref);
	fputc('\n', f);
}

/* The JIT function lengths ("a+b+c") must add up to jited_bytes, and there
 * must be jited_funcs of them. */
static void section_checks(const struct matrix *m, FILE *f)
{
	const char *const head[] = {matrix_axis(m), ">rows checked", ">mismatches", "first mismatch"};
	struct mdtable t;

	if (md_init(&t, 4, head))
		return;
	for (size_t i = 0; i < m->nk; i++) {
		size_t n;
		const struct sizes_row *s = matrix_rows(&m->k[i], &sizes_csv, &n);
		long checked = 0, bad = 0;
		char first[200] = "";

		if (!s)
			continue;
		for (size_t r = 0; r < n; r++) {
			const char *p = s[r].jited_func_lens;
			long long sum = 0, cnt = 0;
			char *end;

			if (!*p || strcmp(s[r].status, "ok"))
				continue;
			while (*p) {
				sum += strtoll(p, &end, 10);
				cnt++;
				if (end == p)
					break; /* not a number: counted as a mismatch below */
				p = *end == '+' ? end + 1 : end;
			}
			checked++;
			if (*p || sum != s[r].jited_bytes || cnt != s[r].jited_funcs) {
				if (!bad++)
					snprintf(first, sizeof(first), "%s %s %s: %s vs %lld bytes, %lld funcs",
						 s[r].variant, s[r].attach, s[r].program, s[r].jited_func_lens,
						 (long long)s[r].jited_bytes, (long long)s[r].jited_funcs);
			}
		}
		md_cell(&t, "%s", m->k[i].label);
		md_cell(&t, "%ld", checked);
		md_cell(&t, "%ld", bad);
		md_cell(&t, "%s", first);
	}
	if (md_rows(&t)) {
		fprintf(f, "## Consistency: JIT function lengths add up to jited_bytes\n\n");
		md_print(&t, f);
		fputc('\n', f);
	}
	md_free(&t);
}

void matrix_sizes_status(const struct matrix *m, FILE *f)
{
	struct axes a;

	axes_of(m, &a);
	metric_table(m, &a, f, "status", NULL);
	section_refusals(m, &a, f);
}

void matrix_sizes(const struct matrix *m, FILE *f)
{
	struct axes a;
	char header[96];

	axes_of(m, &a);
	matrix_sizes_findings(m, f);
	section_acceptance(m, &a, f);
	section_refusals(m, &a, f);
	fprintf(f, "## Sizes and verifier work per %s\n\n"
		   "`program=TOTAL` rows of each %s's sizes.csv: the sum over the programs of a "
		   "variant in one attach mode. A cell that is not a number is the row's status "
		   "(skipped: the kernel refused the attach mode or the program; failed: the "
		   "verifier refused the variant; see above for its words); n/a: no results from "
		   "that %s.\n\n", matrix_axis(m), matrix_axis(m), matrix_axis(m));
	for (size_t i = 0; i < sizeof(size_metrics) / sizeof(size_metrics[0]); i++) {
		const struct column *c = rf_col(&sizes_csv, size_metrics[i]);

		col_header(c, header, sizeof(header));
		fprintf(f, "### %s — `%s`\n\n%s.\n\n", header, c->name, c->doc);
		metric_table(m, &a, f, c->name, NULL);
	}
	section_checks(m, f);
	fprintf(f, "### Verification time (`verify_usec`, us) by timing kind\n\n"
		   "Verification time is a time: kernels of one timing kind per table.\n\n");
	static const char *const kinds[] = {"native", "virtualized", "emulated"};
	for (size_t k = 0; k < 3; k++) {
		size_t cols[MATRIX_MAX_KERNELS];

		if (!matrix_columns(m, &sizes_csv, kinds[k], cols))
			continue;
		fprintf(f, "%s:\n\n", kinds[k]);
		metric_table(m, &a, f, "verify_usec", kinds[k]);
	}
}
