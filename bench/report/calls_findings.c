/* The calls method's findings: per trigger x attach, what each mechanism
 * adds per call against inlining with its interval — ranked only where Holm
 * over the family rejects at 5% and the interval excludes 0 — joined, for
 * the first family, to the JIT instructions that differ and to the host's
 * mitigations; the linearity checks that failed; what run-time statistics
 * cost; one event's cost with them off. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/variants.h"
#include "methods/calls.h"
#include "report/report.h"
#include "report/sections.h"

struct fam {
	const char *trigger, *attach;
};

static bool ok(const struct calls_row *c)
{
	return c && !strcmp(c->status, "ok") && !isnan(c->ns_per_call);
}

static const struct calls_row *row_of(const struct calls_row *rows, size_t n, const struct fam *f,
				      const char *variant)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(rows[i].trigger, f->trigger) && !strcmp(rows[i].attach, f->attach) &&
		    !strcmp(rows[i].variant, variant))
			return &rows[i];
	return NULL;
}

/* The attribution row of a variant's timed program (hop: its *_tc one). */
static const struct calls_attr_row *attr_of(const struct calls_attr_row *a, size_t n,
					    const struct fam *f, const char *variant, bool hop)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(a[i].trigger, f->trigger) && !strcmp(a[i].attach, f->attach) &&
		    !strcmp(a[i].variant, variant) && !strcmp(a[i].status, "ok") &&
		    (strstr(a[i].program, "_tc") != NULL) == hop)
			return &a[i];
	return NULL;
}

/* "name: state" of one vulnerabilities entry in run.env's list, or "". */
static void vuln(const char *all, const char *name, char *buf, size_t len)
{
	const char *p = all ? strstr(all, name) : NULL;

	buf[0] = '\0';
	if (p)
		snprintf(buf, len, "%.*s", (int)strcspn(p, ";"), p);
}

static void mitigations(const struct report *r, char *buf, size_t len)
{
	static const char *const names[] = {"spec_rstack_overflow", "retbleed", "spectre_v2",
					    "indirect_target_selection"};
	const struct run_facts *e = &r->run->env;
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && off < len; i++) {
		char one[200];

		vuln(e->cpu_vulnerabilities, names[i], one, sizeof(one));
		if (*one)
			off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? "; " : "", one);
	}
	if (off < len)
		snprintf(buf + off, len - off, "%smitigations=%s", off ? "; " : "",
			 e->mitigations && *e->mitigations ? e->mitigations : "(default)");
}

/* What the mechanism's JIT image does that the inlined handler's does not. */
static void jit_clause(const struct calls_attr_row *a, size_t na, const struct fam *f,
		       const struct variant *v, const struct variant *ref, char *buf, size_t len)
{
	const struct calls_attr_row *base = attr_of(a, na, f, ref->name, false);
	const struct calls_attr_row *me = attr_of(a, na, f, v->name, v->kind == VK_TAILCALL);
	const char *thunk;

	buf[0] = '\0';
	if (!me || !base)
		return;
	thunk = me->return_thunk && *me->return_thunk ? me->return_thunk : NULL;
	if (v->kind == VK_TAILCALL)
		snprintf(buf, len, "; in the JIT image each hop is a patched direct jmp (%lld in the "
			 "hop %s) into a program whose prologue saves %lld more registers than "
			 "inline's and whose return %s",
			 (long long)me->tail_jumps, me->program, (long long)(me->push - base->push),
			 thunk ? "jumps to " : "is a plain ret");
	else
		snprintf(buf, len, "; its JIT image has %lld functions and %lld direct bpf2bpf call, "
			 "%lld more register saves than inline's, and %s",
			 (long long)me->funcs, (long long)me->bpf_calls,
			 (long long)(me->push - base->push),
			 thunk ? "every return jumps to " : "its returns are plain ret");
	if (thunk)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s (%lld thunk returns, %lld plain "
			 "ret)", thunk, (long long)me->ret_thunk, (long long)me->ret_plain);
	if (me->call_depth || me->retpoline || me->endbr)
		snprintf(buf + strlen(buf), len - strlen(buf), "; %lld call-depth, %lld retpoline, "
			 "%lld endbr instructions", (long long)me->call_depth,
			 (long long)me->retpoline, (long long)me->endbr);
}

/* A Holm p as the table prints it (4 decimals), "< 1e-4" below that. */
static const char *p_text(double p, char *buf, size_t len)
{
	if (p < 1e-4)
		snprintf(buf, len, "< 1e-4");
	else
		snprintf(buf, len, "= %.4f", p);
	return buf;
}

static void ci_text(double m, double lo, double hi, char *buf, size_t len)
{
	snprintf(buf, len, "%.2f ns [%.2f, %.2f]", m, lo, hi);
}

static void family(struct findings *fs, const struct calls_row *rows, size_t n,
		   const struct calls_attr_row *a, size_t na, const struct fam *f, bool detail)
{
	const struct variant *ref = variant_of_kind(VK_REFERENCE);
	char list[1500], c[96], jit[600], mit[600], pt[32];
	size_t off = 0;
	int ranked = 0, total = 0;
	long long famsize = 0;

	if (!ref || !ok(row_of(rows, n, f, ref->name)))
		return;
	mitigations(fs->r, mit, sizeof(mit));
	list[0] = '\0';
	for (size_t k = 0; k < nvariants; k++) {
		const struct calls_row *w = row_of(rows, n, f, variants[k].name);
		const char *what = variants[k].kind == VK_TAILCALL ? "hop" : "call";

		if (!ok(w) || !w->verdict || !*w->verdict || isnan(w->mech_ci_low))
			continue;
		total++;
		famsize = w->family;
		if (!strcmp(w->verdict, "not distinguishable")) {
			ci_text(w->mech_ns_vs_inline, w->mech_ci_low, w->mech_ci_high, c, sizeof(c));
			say(fs, "At the %s trigger (%s), a %s of the handler as %s (%s) and an inlined "
				"call are not distinguishable: %s (Holm-adjusted p %s over %lld).",
			    f->trigger, f->attach, what, variants[k].name, variants[k].noun, c,
			    p_text(w->p_holm, pt, sizeof(pt)), (long long)w->family);
			continue;
		}
		ranked++;
		bool more = !strcmp(w->verdict, "costlier");
		ci_text(fabs(w->mech_ns_vs_inline), more ? w->mech_ci_low : -w->mech_ci_high,
			more ? w->mech_ci_high : -w->mech_ci_low, c, sizeof(c));
		if (detail) {
			jit_clause(a, na, f, &variants[k], ref, jit, sizeof(jit));
			say(fs, "At the %s trigger (%s), each %s of the handler as %s (%s) costs %s %s "
				"than inlining it (95%% CI; Holm-adjusted p %s over %lld)%s.",
			    f->trigger, f->attach, what, variants[k].name, variants[k].noun, c,
			    more ? "more" : "less", p_text(w->p_holm, pt, sizeof(pt)),
			    (long long)w->family, jit);
		} else {
			off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s %s%s", off ? ", " : "",
						variants[k].name, more ? "+" : "-", c);
		}
	}
	if (!detail && off)
		say(fs, "At the %s trigger (%s), per call against inlining: %s (each distinguishable "
			"after Holm over %lld).", f->trigger, f->attach, list, famsize);
	if (detail && ranked)
		say(fs, "This host's mitigations behind those instructions: %s. Another CPU or "
			"mitigation state changes these costs.", mit);
	(void)total;
}

static void linearity(struct findings *fs, const struct calls_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ok(&rows[i]) && rows[i].linearity && !strcmp(rows[i].linearity, "fail"))
			say(fs, "At the %s trigger (%s), %s's time is not linear in K: at K = %lld, "
				"y(2K) - 2 y(K) + y(0) = %.2f ns [%.2f, %.2f] (c(2K)/2c(K) = %.3f); its "
				"slope averages over that bend.",
			    rows[i].trigger, rows[i].attach, rows[i].variant, (long long)rows[i].lin_k,
			    rows[i].lin_dev_ns, rows[i].lin_dev_ci_low, rows[i].lin_dev_ci_high,
			    rows[i].lin_ratio);
}

static void bookkeeping(struct findings *fs, const struct calls_bpf_stats_row *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isnan(s[i].stats_ns))
			say(fs, "kernel.bpf_stats_enabled adds %.2f ns [%.2f, %.2f] of wall time to every "
				"program run here (the %s driver's trigger with %lld programs attached, "
				"statistics off %.1f ns, on %.1f ns%s); the part of it between the "
				"statistics' two clock reads is inside every `run_time_ns` figure, how "
				"much is not separated here.",
			    s[i].stats_ns, s[i].ci_low, s[i].ci_high, s[i].trigger,
			    (long long)s[i].programs, s[i].off_ns, s[i].on_ns,
			    s[i].stats_were_on && !strcmp(s[i].stats_were_on, "yes")
				    ? "; they were on already during an \"off\" cell: too small"
				    : "");
}

static void event_cost(struct findings *fs, const struct calls_row *rows, size_t n)
{
	const struct variant *ref = variant_of_kind(VK_REFERENCE);

	char c[96];

	for (size_t i = 0; ref && i < n; i++) {
		if (!ok(&rows[i]) || strcmp(rows[i].trigger, CALLS_TRIGGER_STORM) ||
		    strcmp(rows[i].variant, ref->name) || isnan(rows[i].event_ns))
			continue;
		report_ci(rows[i].event_ci_low, rows[i].event_ci_high, 1, c, sizeof(c));
		say(fs, "Under the storm at %s, one event's inlined handler takes %.1f ns (95%% CI %s%s), "
			"timed in the program with run-time statistics off (hook dispatch and filter not "
			"included).",
		    rows[i].attach, rows[i].event_ns, c,
		    isnan(rows[i].event_ci_low) ? ": one load, no interval" : "");
	}
}

void findings_calls(struct findings *fs)
{
	size_t n, na, ns;
	const struct calls_row *rows = run_rows(fs->r->run, &calls_csv, &n);
	const struct calls_attr_row *a = run_rows(fs->r->run, &calls_attr_csv, &na);
	const struct calls_bpf_stats_row *s = run_rows(fs->r->run, &calls_bpf_stats_csv, &ns);
	struct fam fams[16];
	size_t nf = 0;

	if (!n)
		return;
	for (size_t i = 0; i < n && nf < 16; i++) {
		size_t k = 0;

		if (!ok(&rows[i]))
			continue;
		while (k < nf && (strcmp(fams[k].trigger, rows[i].trigger) ||
				  strcmp(fams[k].attach, rows[i].attach)))
			k++;
		if (k == nf)
			fams[nf++] = (struct fam){rows[i].trigger, rows[i].attach};
	}
	for (size_t k = 0; k < nf; k++)
		family(fs, rows, n, a, na, &fams[k], k == 0);
	linearity(fs, rows, n);
	bookkeeping(fs, s, ns);
	event_cost(fs, rows, n);
}
