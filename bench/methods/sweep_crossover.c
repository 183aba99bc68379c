/* Crossovers and refusal points of the sweep; see sweep_crossover.h. */
#include "methods/sweep_crossover.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/variants.h"

static bool eq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

bool sweep_in_series(const struct sweep_row *r, const struct sweep_series *s)
{
	return eq(r->axis, s->axis) && eq(r->style, s->style) && eq(r->attach, s->attach);
}

bool sweep_row_ok(const struct sweep_row *r)
{
	return eq(r->status, SWEEP_ST_OK);
}

int sweep_variant_rank(const char *variant)
{
	const struct variant *v = variant ? variant_find(variant) : NULL;

	return v ? (int)(v - variants) : (int)nvariants;
}

/* The row of `variant` at n in s, or NULL. With several (a rerun), the last. */
static const struct sweep_row *find(const struct sweep_row *rows, size_t nrows,
				    const struct sweep_series *s, const char *variant, int64_t n)
{
	const struct sweep_row *hit = NULL;

	for (size_t i = 0; i < nrows; i++)
		if (rows[i].n == n && sweep_in_series(&rows[i], s) && eq(rows[i].variant, variant))
			hit = &rows[i];
	return hit;
}

static int cmp_i64(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;

	return (a > b) - (a < b);
}

/* The distinct n of `variant` in s, ascending; caller frees. */
static int64_t *ns_of(const struct sweep_row *rows, size_t nrows, const struct sweep_series *s,
		      const char *variant, size_t *count)
{
	int64_t *ns = malloc((nrows ? nrows : 1) * sizeof(*ns));
	size_t k = 0, u = 0;

	*count = 0;
	if (!ns)
		return NULL;
	for (size_t i = 0; i < nrows; i++)
		if (sweep_in_series(&rows[i], s) && eq(rows[i].variant, variant))
			ns[k++] = rows[i].n;
	qsort(ns, k, sizeof(*ns), cmp_i64);
	for (size_t i = 0; i < k; i++)
		if (!u || ns[u - 1] != ns[i])
			ns[u++] = ns[i];
	*count = u;
	return ns;
}

static bool usable(const struct sweep_row *r, const struct column *c)
{
	return r && sweep_row_ok(r) && !isnan(col_num(c, r));
}

void sweep_cross(const struct sweep_row *rows, size_t nrows, const struct sweep_series *s,
		 const char *a, const char *b, const struct column *metric, double ratio,
		 struct sweep_crossing *out)
{
	size_t count;
	int64_t *ns = ns_of(rows, nrows, s, a, &count);
	bool have_prev = false;

	memset(out, 0, sizeof(*out));
	out->kind = SWEEP_CROSS_NO_DATA;
	for (size_t i = 0; ns && metric && i < count; i++) {
		const struct sweep_row *ra = find(rows, nrows, s, a, ns[i]);
		const struct sweep_row *rb = find(rows, nrows, s, b, ns[i]);

		if (!usable(ra, metric) || !usable(rb, metric))
			continue;
		double va = col_num(metric, ra), vb = col_num(metric, rb);

		out->compared++;
		out->n_last = ns[i];
		if (va > ratio * vb) {
			out->kind = have_prev ? SWEEP_CROSS_AT : SWEEP_CROSS_FROM_START;
			out->n = ns[i];
			out->a = va;
			out->b = vb;
			break;
		}
		have_prev = true;
		out->kind = SWEEP_CROSS_NEVER;
		out->n_before = ns[i];
		out->a_before = out->a = va;
		out->b_before = out->b = vb;
	}
	free(ns);
}

static const struct {
	const char *needle;
	enum sweep_refusal_kind kind;
} patterns[] = {
	{"BPF program is too large", SWEEP_REFUSAL_INSN_LIMIT},
	{"too complex", SWEEP_REFUSAL_TOO_COMPLEX},
	{"combined stack size", SWEEP_REFUSAL_STACK},
	{"stack of", SWEEP_REFUSAL_STACK}, /* "the call stack of 9 frames is too deep" */
	{"stack depth", SWEEP_REFUSAL_STACK},
	{"jump out of range", SWEEP_REFUSAL_JUMP_RANGE},
	{"program too large", SWEEP_REFUSAL_PROG_SIZE}, /* sweep_core's E2BIG */
	{"E2BIG", SWEEP_REFUSAL_PROG_SIZE},
	{"Argument list too long", SWEEP_REFUSAL_PROG_SIZE},
	/* Before "not supported": 5.10 says "Arg#0 type PTR in f() is not supported yet." */
	{"Caller passes invalid args", SWEEP_REFUSAL_ARGS},
	{"is not a scalar", SWEEP_REFUSAL_ARGS},
	{"arg#", SWEEP_REFUSAL_ARGS},
	{"Arg#", SWEEP_REFUSAL_ARGS},
	{"unknown func", SWEEP_REFUSAL_UNSUPPORTED},
	{"invalid func", SWEEP_REFUSAL_UNSUPPORTED},
	{"not supported", SWEEP_REFUSAL_UNSUPPORTED},
	/* 5.10: a callback (bpf_loop's) is no subprogram before 5.13 */
	{"number of funcs in func_info doesn't match", SWEEP_REFUSAL_UNSUPPORTED},
};

enum sweep_refusal_kind sweep_refusal_classify(const char *reason)
{
	for (size_t i = 0; reason && i < sizeof(patterns) / sizeof(patterns[0]); i++)
		if (strstr(reason, patterns[i].needle))
			return patterns[i].kind;
	return SWEEP_REFUSAL_OTHER;
}

bool sweep_refusal_is_work(enum sweep_refusal_kind k)
{
	return k == SWEEP_REFUSAL_INSN_LIMIT || k == SWEEP_REFUSAL_TOO_COMPLEX;
}

const char *sweep_refusal_kind_name(enum sweep_refusal_kind k)
{
	static const char *const names[] = {
		[SWEEP_REFUSAL_INSN_LIMIT] = "instruction limit",
		[SWEEP_REFUSAL_TOO_COMPLEX] = "too complex",
		[SWEEP_REFUSAL_STACK] = "stack",
		[SWEEP_REFUSAL_PROG_SIZE] = "program size",
		[SWEEP_REFUSAL_JUMP_RANGE] = "jump range",
		[SWEEP_REFUSAL_UNSUPPORTED] = "unsupported",
		[SWEEP_REFUSAL_ARGS] = "arguments",
		[SWEEP_REFUSAL_OTHER] = "other",
	};
	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

void sweep_first_refusal(const struct sweep_row *rows, size_t nrows,
			 const struct sweep_series *s, const char *variant,
			 struct sweep_refusal *out)
{
	size_t count;
	int64_t *ns = ns_of(rows, nrows, s, variant, &count);

	const char *cpu = NULL;
	bool mixed = false;

	memset(out, 0, sizeof(*out));
	out->reason = out->log = "";
	for (size_t i = 0; i < nrows; i++)
		if (sweep_in_series(&rows[i], s) && eq(rows[i].variant, variant) && rows[i].bpf_cpu) {
			mixed |= cpu && !eq(cpu, rows[i].bpf_cpu);
			cpu = rows[i].bpf_cpu;
		}
	for (size_t i = 0; ns && i < count; i++) {
		const struct sweep_row *r = find(rows, nrows, s, variant, ns[i]);

		if (eq(r->status, SWEEP_ST_OK)) {
			out->any_ok = out->have_last_ok = true;
			out->max_ok = out->last_ok = ns[i];
		} else if (eq(r->status, SWEEP_ST_TIMEOUT)) {
			out->timeouts++;
		} else if (eq(r->status, SWEEP_ST_BRANCH_RANGE)) {
			out->branch_range = true;
			out->branch_range_n = ns[i];
			out->branch_range_insns = r->prog_insns;
			break;
		} else if (eq(r->status, SWEEP_ST_REFUSED)) {
			out->found = true;
			out->n = ns[i];
			out->kind = sweep_refusal_classify(r->reason);
			out->reason = r->reason ? r->reason : "";
			out->log = r->log ? r->log : "";
			out->verified_insns = r->verified_insns;
			out->bpf_cpu = mixed ? r->bpf_cpu : NULL;
			break;
		} else if (eq(r->status, SWEEP_ST_FAILED)) {
			out->failures++;
		} else if (eq(r->status, SWEEP_ST_SKIPPED)) {
			out->skipped++;
		}
	}
	free(ns);
}

size_t sweep_series_of(const struct sweep_row *rows, size_t nrows, struct sweep_series *out,
		       size_t max)
{
	size_t k = 0;

	for (size_t i = 0; i < nrows; i++) {
		bool seen = false;

		for (size_t j = 0; j < k && !seen; j++)
			seen = sweep_in_series(&rows[i], &out[j]);
		if (!seen && k < max && rows[i].axis && rows[i].style && rows[i].attach)
			out[k++] = (struct sweep_series){rows[i].axis, rows[i].style, rows[i].attach};
	}
	return k;
}

const char *sweep_variant_by_call(const struct sweep_row *rows, size_t nrows,
				  const struct sweep_series *s, const char *call)
{
	const char *best = NULL;

	for (size_t i = 0; i < nrows; i++)
		if (sweep_in_series(&rows[i], s) && eq(rows[i].call, call) && rows[i].variant &&
		    (!best || sweep_variant_rank(rows[i].variant) < sweep_variant_rank(best)))
			best = rows[i].variant;
	return best;
}

size_t sweep_variants_of(const struct sweep_row *rows, size_t nrows,
			 const struct sweep_series *s, const char **out, size_t max)
{
	size_t k = 0;

	for (size_t i = 0; i < nrows; i++) {
		bool seen = false;

		if (!sweep_in_series(&rows[i], s) || !rows[i].variant)
			continue;
		for (size_t j = 0; j < k && !seen; j++)
			seen = !strcmp(out[j], rows[i].variant);
		if (seen || k == max)
			continue;
		out[k++] = rows[i].variant;
		for (size_t j = k - 1;
		     j > 0 && sweep_variant_rank(out[j]) < sweep_variant_rank(out[j - 1]); j--) {
			const char *t = out[j];

			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	}
	return k;
}
