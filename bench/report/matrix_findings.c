/* The sizes method's findings across the columns of a matrix (kernels or
 * toolchains): which column gives the smallest JIT image of each variant,
 * where a bpf2bpf call or a tail call was refused while the baseline loaded,
 * and, for toolchains, what the libbpf axis changed. Every number said here
 * is in the table this writes, or in the status and size tables below. */
#include <stdlib.h>
#include <string.h>

#include "base/mdtable.h"
#include "kernel/variants.h"
#include "methods/sizes.h"
#include "report/matrix.h"
#include "report/report.h"

static bool ok(const struct sizes_row *s)
{
	return s && !strcmp(s->status, "ok") && s->jited_bytes >= 0;
}

/* The columns of one compiler x -mcpu (toolchains) or the column itself
 * (kernels): what "the same build but for the libbpf" means. */
static bool same_group(const struct matrix *m, size_t a, size_t b)
{
	const struct kernel_row *x = &m->k[a].k, *y = &m->k[b].k;

	if (!m->toolchains)
		return a == b;
	return x->clang && y->clang && x->bpf_cpu && y->bpf_cpu && !strcmp(x->clang, y->clang) &&
	       !strcmp(x->bpf_cpu, y->bpf_cpu);
}

/* The labels of the columns in sel[], a whole compiler x -mcpu named once
 * ("clang-14 v3 (every libbpf)") when all its columns with results are in. */
static void name_columns(const struct matrix *m, const bool *sel, char *buf, size_t len)
{
	bool done[MATRIX_MAX_KERNELS] = {false};
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < m->nk && off < len; i++) {
		bool whole = m->toolchains;
		int members = 0;

		if (!sel[i] || done[i])
			continue;
		for (size_t j = 0; j < m->nk; j++)
			if (m->k[j].have_run && same_group(m, i, j)) {
				members++;
				whole = whole && sel[j];
			}
		whole = whole && members > 1;
		for (size_t j = 0; j < m->nk; j++)
			if (whole && same_group(m, i, j))
				done[j] = true;
		off += (size_t)snprintf(buf + off, len - off, "%s%s%s%s%s", off ? ", " : "",
					whole ? m->k[i].k.clang : m->k[i].label, whole ? " " : "",
					whole ? m->k[i].k.bpf_cpu : "", whole ? " (every libbpf)" : "");
	}
}

/* Per variant x attach: the smallest and the largest JIT image over the
 * columns, and who gives them; one sentence per attach mode naming the
 * column that gives the smallest image most often. */
static void smallest_jit(const struct matrix *m, FILE *f, struct findings *fs)
{
	static const char *const head[] = {"variant", "attach", ">smallest JIT (bytes)", "with",
					   ">largest JIT (bytes)", "with"};
	struct mdtable t;
	char who[512], lo_s[32], hi_s[32];

	if (md_init(&t, 6, head))
		return;
	for (size_t a = 0; a < nattach_modes; a++) {
		int wins[MATRIX_MAX_KERNELS] = {0}, nvar = 0;

		for (size_t v = 0; v < nvariants; v++) {
			bool lo_sel[MATRIX_MAX_KERNELS] = {false}, hi_sel[MATRIX_MAX_KERNELS] = {false};
			int64_t lo = -1, hi = -1;

			for (size_t k = 0; k < m->nk; k++) {
				const struct sizes_row *s =
					matrix_sizes_total(&m->k[k], variants[v].name, attach_modes[a].name);

				if (!ok(s))
					continue;
				lo = lo < 0 || s->jited_bytes < lo ? s->jited_bytes : lo;
				hi = s->jited_bytes > hi ? s->jited_bytes : hi;
			}
			if (lo < 0)
				continue;
			nvar++;
			for (size_t k = 0; k < m->nk; k++) {
				const struct sizes_row *s =
					matrix_sizes_total(&m->k[k], variants[v].name, attach_modes[a].name);

				lo_sel[k] = ok(s) && s->jited_bytes == lo;
				hi_sel[k] = ok(s) && s->jited_bytes == hi;
				wins[k] += lo_sel[k];
			}
			md_cell(&t, "%s", variants[v].name);
			md_cell(&t, "%s", attach_modes[a].name);
			md_cell(&t, "%lld", (long long)lo);
			name_columns(m, lo_sel, who, sizeof(who));
			md_cell(&t, "%s", who);
			md_cell(&t, "%lld", (long long)hi);
			name_columns(m, hi_sel, who, sizeof(who));
			md_cell(&t, "%s", lo == hi ? "(all the same)" : who);
		}
		if (nvar < 2)
			continue;
		int best = 0;
		bool sel[MATRIX_MAX_KERNELS] = {false};
		for (size_t k = 0; k < m->nk; k++)
			best = wins[k] > best ? wins[k] : best;
		for (size_t k = 0; k < m->nk; k++)
			sel[k] = wins[k] == best;
		name_columns(m, sel, who, sizeof(who));
		snprintf(lo_s, sizeof(lo_s), "%d", best);
		snprintf(hi_s, sizeof(hi_s), "%d", nvar);
		say(fs, "At %s, %s gave the smallest JIT image for %s of the %s variants that loaded "
			"(table \"Smallest and largest JIT image\").",
		    attach_modes[a].name, who, lo_s, hi_s);
	}
	fprintf(f, "\n### Smallest and largest JIT image\n\n`jited_bytes` of each TOTAL row that "
		   "loaded, the smallest and the largest over the %ss.\n\n", matrix_axis(m));
	md_flush(&t, f);
}

/* A call or tail-call variant refused where the baseline loaded: one
 * sentence per variant, words and set of columns, naming the attach modes. */
struct refusal {
	const struct variant *v;
	const char *status;
	char words[320], who[400], modes[128];
};

static void refused_calls(const struct matrix *m, struct findings *fs)
{
	const struct variant *base = variant_of_kind(VK_BASELINE);
	struct refusal *r = calloc(64, sizeof(*r));
	size_t n = 0;

	for (size_t v = 0; v < nvariants && base && r; v++) {
		if (variants[v].kind != VK_CALL && variants[v].kind != VK_TAILCALL)
			continue;
		for (size_t a = 0; a < nattach_modes; a++) {
			bool done[MATRIX_MAX_KERNELS] = {false};
			const char *mode = attach_modes[a].name;

			for (size_t k = 0; k < m->nk; k++) {
				const struct sizes_row *s = matrix_sizes_total(&m->k[k], variants[v].name, mode);
				const struct sizes_row *b = matrix_sizes_total(&m->k[k], base->name, mode);
				bool sel[MATRIX_MAX_KERNELS] = {false};
				size_t nsel = 0, ntried = 0, i;
				char who[400], words[320];

				if (done[k] || !s || !b || strcmp(b->status, "ok") || !strcmp(s->status, "ok"))
					continue;
				matrix_refusal_words(s->reason, words, sizeof(words));
				for (size_t j = k; j < m->nk; j++) {
					const struct sizes_row *u = matrix_sizes_total(&m->k[j], variants[v].name, mode);

					if (u && !strcmp(u->status, s->status) && !strcmp(u->reason, s->reason))
						sel[j] = done[j] = true, nsel++;
				}
				for (size_t j = 0; j < m->nk; j++)
					ntried += matrix_sizes_total(&m->k[j], base->name, mode) != NULL;
				if (nsel == ntried)
					snprintf(who, sizeof(who), "every %s", matrix_axis(m));
				else
					name_columns(m, sel, who, sizeof(who));
				for (i = 0; i < n; i++)
					if (r[i].v == &variants[v] && !strcmp(r[i].status, s->status) &&
					    !strcmp(r[i].words, words) && !strcmp(r[i].who, who))
						break;
				if (i == n && n < 64) {
					r[n].v = &variants[v];
					r[n].status = s->status;
					snprintf(r[n].words, sizeof(r[n].words), "%s", words);
					snprintf(r[n].who, sizeof(r[n].who), "%s", who);
					n++;
				}
				if (i < n)
					snprintf(r[i].modes + strlen(r[i].modes), sizeof(r[i].modes) - strlen(r[i].modes),
						 "%s%s", r[i].modes[0] ? ", " : "", mode);
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		say(fs, "%s (%s) %s at %s with %s: `%s`.", r[i].v->name, r[i].v->noun,
		    !strcmp(r[i].status, "skipped") ? "was skipped" : "failed", r[i].modes, r[i].who,
		    r[i].words);
	if (!n && r)
		say(fs, "No bpf2bpf-call or tail-call variant was refused where the baseline loaded.");
	free(r);
}

/* Toolchains: the same compiler x -mcpu with another libbpf — the same
 * objects? the same outcome of every variant x attach? */
static void libbpf_axis(const struct matrix *m, struct findings *fs)
{
	int pairs = 0, same_obj = 0, changed = 0;
	char first[400] = "";

	for (size_t i = 0; i < m->nk; i++)
		for (size_t j = i + 1; j < m->nk; j++) {
			const struct kernel_row *x = &m->k[i].k, *y = &m->k[j].k;

			if (!m->k[i].have_run || !m->k[j].have_run || !same_group(m, i, j))
				continue;
			pairs++;
			same_obj += x->objects && y->objects && *x->objects && !strcmp(x->objects, y->objects);
			for (size_t v = 0; v < nvariants; v++)
				for (size_t a = 0; a < nattach_modes; a++) {
					const struct sizes_row *s = matrix_sizes_total(
						&m->k[i], variants[v].name, attach_modes[a].name);
					const struct sizes_row *u = matrix_sizes_total(
						&m->k[j], variants[v].name, attach_modes[a].name);

					if (!s || !u || (!strcmp(s->status, u->status) &&
							 !strcmp(s->reason, u->reason)))
						continue;
					if (!changed++)
						snprintf(first, sizeof(first), "%s at %s: %s `%s` with %s, %s "
							 "`%s` with %s", variants[v].name, attach_modes[a].name,
							 s->status, s->reason, m->k[i].label, u->status,
							 u->reason, m->k[j].label);
				}
		}
	if (!pairs)
		return;
	say(fs, "Of %d pairs of builds that differ only in the libbpf, %d have byte-identical BPF "
		"objects (toolchains.csv: objects); the libbpf %s.",
	    pairs, same_obj, changed ? "changed what loads" : "changed no status or refusal here");
	if (changed)
		say(fs, "The libbpf changed %d outcomes, e.g. %s.", changed, first);
}

/* Toolchains the compiler refused (no build), a compiler x -mcpu once for
 * all its libbpf columns when they all say the same. */
static void skipped_builds(const struct matrix *m, struct findings *fs)
{
	bool done[MATRIX_MAX_KERNELS] = {false};

	for (size_t i = 0; i < m->nk; i++) {
		const struct kernel_row *x = &m->k[i].k;
		int same = 0, group = 0;

		if (done[i] || strcmp(x->status, "skipped"))
			continue;
		for (size_t j = i; j < m->nk; j++) {
			const struct kernel_row *y = &m->k[j].k;

			if (!m->toolchains ? j != i : !same_group(m, i, j))
				continue;
			group++;
			if (!strcmp(y->status, "skipped") && x->reason && y->reason &&
			    !strcmp(x->reason, y->reason))
				same++, done[j] = true;
		}
		if (m->toolchains && same == group && group > 1)
			say(fs, "%s -mcpu=%s (every libbpf): no build: `%s`.", x->clang, x->bpf_cpu,
			    x->reason);
		else
			say(fs, "%s: no build: `%s`.", m->k[i].label, x->reason ? x->reason : "?");
	}
}

void matrix_sizes_findings(const struct matrix *m, FILE *f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	struct findings fs = {.f = f};

	if (!mem)
		return;
	fprintf(f, "## Findings\n\n");
	skipped_builds(m, &fs);
	smallest_jit(m, mem, &fs);
	refused_calls(m, &fs);
	if (m->toolchains)
		libbpf_axis(m, &fs);
	if (!fs.n)
		fprintf(f, "No column has sizes results.\n");
	fclose(mem);
	fwrite(buf, 1, len, f);
	free(buf);
}
