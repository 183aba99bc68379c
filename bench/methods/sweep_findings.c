/* The sweep's findings as sentences; see sweep_findings.h. */
#include "methods/sweep_findings.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define LINE_LEN 2048
#define AXIS(a) (1u << (a))

/* inlined vs static: where copying the handler costs more code than calling
 * it; static vs global: where verifying at every call site costs more than
 * verifying once; static vs tail: a copy per program against one target. */
const struct sweep_pair sweep_pairs[] = {
	{SWEEP_CALL_INLINED, SWEEP_CALL_STATIC, "elf_code_bytes", 1.0,
	 AXIS(SWEEP_AXIS_CALLS) | AXIS(SWEEP_AXIS_PROGS) | AXIS(SWEEP_AXIS_SIZE)},
	{SWEEP_CALL_INLINED, SWEEP_CALL_STATIC, "jited_bytes", 1.0,
	 AXIS(SWEEP_AXIS_CALLS) | AXIS(SWEEP_AXIS_PROGS) | AXIS(SWEEP_AXIS_SIZE)},
	{SWEEP_CALL_STATIC, SWEEP_CALL_GLOBAL, "verified_insns", 2.0,
	 AXIS(SWEEP_AXIS_CALLS) | AXIS(SWEEP_AXIS_LOOP) | AXIS(SWEEP_AXIS_BPF_LOOP) |
		 AXIS(SWEEP_AXIS_SIZE)},
	{SWEEP_CALL_STATIC, SWEEP_CALL_TAIL, "jited_bytes", 1.0, AXIS(SWEEP_AXIS_PROGS)},
};
const size_t nsweep_pairs = sizeof(sweep_pairs) / sizeof(sweep_pairs[0]);

void sweep_series_label(char *buf, size_t len, const struct sweep_series *s)
{
	snprintf(buf, len, "%s axis (%s, %s reads)", s->axis, s->attach,
		 !strcmp(s->style, "btf") ? "direct BTF" : "CO-RE");
}

static const char *unit_of(const struct column *c)
{
	return c->unit && *c->unit ? c->unit : "";
}

void sweep_describe_crossing(char *buf, size_t len, const char *a, const char *b,
			     const struct column *metric, double ratio,
			     const struct sweep_crossing *c)
{
	char how[48] = "";
	const char *m = metric->label, *u = unit_of(metric);

	if (ratio > 1.0)
		snprintf(how, sizeof(how), " (more than %.3gx)", ratio);
	switch (c->kind) {
	case SWEEP_CROSS_AT:
		snprintf(buf, len, "%s %s %s%s in %s at n=%lld: %.0f vs %.0f %s (at n=%lld: %.0f vs %.0f)",
			 a, ratio > 1.0 ? "pulls away from" : "passes", b, how, m, (long long)c->n,
			 c->a, c->b, u, (long long)c->n_before, c->a_before, c->b_before);
		break;
	case SWEEP_CROSS_FROM_START:
		snprintf(buf, len, "%s %s %s%s in %s from the first point, n=%lld: %.0f vs %.0f %s",
			 a, ratio > 1.0 ? "is already away from" : "exceeds", b, how, m,
			 (long long)c->n, c->a, c->b, u);
		break;
	case SWEEP_CROSS_NEVER:
		snprintf(buf, len, "%s never %s %s%s in %s up to n=%lld: %.0f vs %.0f %s there", a,
			 ratio > 1.0 ? "pulls away from" : "passes", b, how, m, (long long)c->n_last,
			 c->a, c->b, u);
		break;
	case SWEEP_CROSS_NO_DATA:
		snprintf(buf, len, "%s and %s never both loaded: no %s to compare", a, b, m);
		break;
	}
}

void sweep_describe_refusal(char *buf, size_t len, const char *variant,
			    const struct sweep_refusal *r)
{
	char ok[64] = "", extra[128] = "", range[256] = "", built[64] = "";

	if (r->timeouts || r->failures || r->skipped)
		snprintf(extra, sizeof(extra), "; %zu points stopped for time, %zu failed otherwise "
					       "and %zu left out by the grid's time budget: no verdict",
			 r->timeouts, r->failures, r->skipped);
	if (r->branch_range)
		snprintf(range, sizeof(range),
			 "; from n=%lld its program has %lld insns in one function, past the 16-bit "
			 "branch range: a broken build (clang wraps such branches), not a verifier "
			 "verdict",
			 (long long)r->branch_range_n, (long long)r->branch_range_insns);
	if (!r->found) {
		if (r->any_ok)
			snprintf(buf, len, "%s loads at every point tried, up to n=%lld%s%s", variant,
				 (long long)r->max_ok, range, extra);
		else
			snprintf(buf, len, "%s never loaded%s%s", variant, range, extra);
		return;
	}
	if (r->have_last_ok)
		snprintf(ok, sizeof(ok), " (loads at n=%lld)", (long long)r->last_ok);
	if (r->bpf_cpu)
		snprintf(built, sizeof(built), " (that object built with -mcpu=%s)", r->bpf_cpu);
	snprintf(buf, len, "%s is first refused at n=%lld%s%s, %s, after %lld processed insns: \"%s\"%s",
		 variant, (long long)r->n, ok, built, sweep_refusal_kind_name(r->kind),
		 (long long)r->verified_insns, r->reason, extra);
}

bool sweep_pair_cross(const struct sweep_row *rows, size_t nrows, const struct sweep_series *s,
		      const struct sweep_pair *p, const char **a, const char **b,
		      struct sweep_crossing *x)
{
	int axis = sweep_axis_parse(s->axis);
	const struct column *c = rf_col(&sweep_csv, p->metric);

	*a = sweep_variant_by_call(rows, nrows, s, p->call_a);
	*b = sweep_variant_by_call(rows, nrows, s, p->call_b);
	if (axis < 0 || !(p->axes & AXIS(axis)) || !*a || !*b || !c)
		return false;
	sweep_cross(rows, nrows, s, *a, *b, c, p->ratio, x);
	return true;
}

/* The crossing of pair p on series s, described; false when not made. */
static bool pair_line(const struct sweep_row *rows, size_t nrows, const struct sweep_series *s,
		      const struct sweep_pair *p, char *buf, size_t len)
{
	const char *a, *b;
	struct sweep_crossing x;

	if (!sweep_pair_cross(rows, nrows, s, p, &a, &b, &x))
		return false;
	sweep_describe_crossing(buf, len, a, b, rf_col(&sweep_csv, p->metric), p->ratio, &x);
	return true;
}

size_t sweep_findings(const struct sweep_row *rows, size_t nrows, sweep_line_fn emit, void *user)
{
	struct sweep_series series[64];
	size_t ns = sweep_series_of(rows, nrows, series, 64), lines = 0;
	char label[128], part[LINE_LEN], line[LINE_LEN + 160];

	for (size_t i = 0; i < ns; i++) {
		sweep_series_label(label, sizeof(label), &series[i]);
		for (size_t p = 0; p < nsweep_pairs; p++)
			if (pair_line(rows, nrows, &series[i], &sweep_pairs[p], part, sizeof(part))) {
				snprintf(line, sizeof(line), "On the %s, %s.", label, part);
				emit(user, line);
				lines++;
			}
	}
	/* Refusals: one line per series, every variant in it. */
	for (size_t i = 0; i < ns; i++) {
		const char *vs[32];
		size_t nv = sweep_variants_of(rows, nrows, &series[i], vs, 32), off;
		char all[4 * LINE_LEN];

		sweep_series_label(label, sizeof(label), &series[i]);
		off = (size_t)snprintf(all, sizeof(all), "On the %s: ", label);
		for (size_t v = 0; v < nv && off < sizeof(all); v++) {
			struct sweep_refusal r;

			sweep_first_refusal(rows, nrows, &series[i], vs[v], &r);
			sweep_describe_refusal(part, sizeof(part), vs[v], &r);
			off += (size_t)snprintf(all + off, sizeof(all) - off, "%s%s", v ? "; " : "",
						part);
		}
		if (off < sizeof(all))
			snprintf(all + off, sizeof(all) - off, ".");
		emit(user, all);
		lines++;
	}
	return lines;
}

/* "noinline at n=4096 (too complex: \"...\")" or "global loads up to n=64". */
static void refusal_brief(char *buf, size_t len, const char *variant,
			  const struct sweep_refusal *r)
{
	if (r->found)
		snprintf(buf, len, "%s at n=%lld (%s, after %lld processed insns: \"%s\")", variant,
			 (long long)r->n, sweep_refusal_kind_name(r->kind),
			 (long long)r->verified_insns, r->reason);
	else if (r->branch_range)
		snprintf(buf, len, "%s not by the verifier: from n=%lld the build passes the "
				   "16-bit branch range (%lld insns in one function)",
			 variant, (long long)r->branch_range_n, (long long)r->branch_range_insns);
	else if (r->any_ok)
		snprintf(buf, len, "%s loads up to n=%lld%s", variant, (long long)r->max_ok,
			 r->skipped ? " (then the time budget ran out)" : "");
	else
		snprintf(buf, len, "%s %s", variant,
			 r->skipped ? "was not tried (the time budget ran out)" : "never loaded");
}

size_t sweep_key_findings(const struct sweep_row *rows, size_t nrows, sweep_line_fn emit,
			  void *user)
{
	struct sweep_series series[64];
	size_t ns = sweep_series_of(rows, nrows, series, 64), lines = 0;
	char label[128], part[LINE_LEN], line[4 * LINE_LEN];

	for (int axis = 0; axis < SWEEP_AXIS__N; axis++) {
		const struct sweep_series *s = NULL;
		size_t off, said = 0, refused = 0;

		/* The axis's first series: CO-RE at tp_btf where there is one. */
		for (size_t i = 0; i < ns && !s; i++)
			if (!strcmp(series[i].axis, sweep_axis_name(axis)))
				s = &series[i];
		if (!s)
			continue;
		sweep_series_label(label, sizeof(label), s);
		/* Crossings: where the issue asks for them, calls and programs. */
		off = (size_t)snprintf(line, sizeof(line), "On the %s: ", label);
		for (size_t p = 0; (axis == SWEEP_AXIS_CALLS || axis == SWEEP_AXIS_PROGS) &&
				   p < nsweep_pairs && off < sizeof(line);
		     p++)
			if (pair_line(rows, nrows, s, &sweep_pairs[p], part, sizeof(part)))
				off += (size_t)snprintf(line + off, sizeof(line) - off, "%s%s",
							said++ ? "; " : "", part);
		if (said && off < sizeof(line)) {
			snprintf(line + off, sizeof(line) - off, ".");
			emit(user, line);
			lines++;
		}
		/* Refusals: one line naming every variant, when any was refused. */
		const char *vs[32];
		size_t nv = sweep_variants_of(rows, nrows, s, vs, 32);

		off = (size_t)snprintf(line, sizeof(line), "First refusals on the %s: ", label);
		for (size_t v = 0; v < nv && off < sizeof(line); v++) {
			struct sweep_refusal r;

			sweep_first_refusal(rows, nrows, s, vs[v], &r);
			refused += r.found || r.branch_range;
			refusal_brief(part, sizeof(part), vs[v], &r);
			off += (size_t)snprintf(line + off, sizeof(line) - off, "%s%s",
						v ? "; " : "", part);
		}
		if (refused && off < sizeof(line)) {
			snprintf(line + off, sizeof(line) - off, ".");
			emit(user, line);
			lines++;
		}
	}
	return lines;
}
