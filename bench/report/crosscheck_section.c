/* The cross-checks in the report: hyperfine's added wall time per connection
 * beside the in-process figure, and the iperf3 smoke check. */
#include <stdbool.h>
#include <string.h>

#include "base/mdtable.h"
#include "kernel/variants.h"
#include "methods/calls.h"
#include "methods/crosscheck.h"
#include "methods/overhead.h"
#include "report/report.h"
#include "report/sections.h"

/* The in-process time per connection of a variant at output none: what the
 * programs' run time adds per connection (ns_per_event x events per
 * connection), in us; NaN without overhead.csv. */
static double inproc_us(const struct report *r, const char *variant)
{
	size_t n;
	const struct overhead_row *o = run_rows(r->run, &overhead_csv, &n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(o[i].variant, variant) && !strcmp(o[i].attach, r->attach) &&
		    !strcmp(o[i].output, "none") && o[i].connections > 0 && o[i].events >= 0)
			return o[i].ns_per_event * (double)o[i].events / (double)o[i].connections / 1e3;
	return NAN;
}

/* What kernel.bpf_stats_enabled itself adds to that figure, per connection,
 * in us: its cost per program run (calls-bpf-stats.csv) x the program runs
 * per connection of the storm (overhead.csv). The holder behind hyperfine
 * runs with statistics off, so this is what the two should differ by. NaN
 * when either file lacks it. */
static double bookkeeping_us(const struct report *r, const char *variant)
{
	size_t n, ns;
	const struct overhead_row *o = run_rows(r->run, &overhead_csv, &n);
	const struct calls_bpf_stats_row *st = run_rows(r->run, &calls_bpf_stats_csv, &ns);
	double per_run = NAN;

	for (size_t i = 0; i < ns && isnan(per_run); i++)
		if (!strcmp(st[i].status, "ok"))
			per_run = st[i].stats_ns;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(o[i].variant, variant) && !strcmp(o[i].attach, r->attach) &&
		    !strcmp(o[i].output, "none") && o[i].connections > 0 && o[i].run_cnt >= 0)
			return per_run * (double)o[i].run_cnt / (double)o[i].connections / 1e3;
	return NAN;
}

/* Where hyperfine's figure should fall: the holder pays the hook's dispatch,
 * which run_time_ns does not cover, and not the statistics' bookkeeping,
 * which the in-process figure carries (in part: what lies between its two
 * clock reads). So the programs' own time lies between the in-process figure
 * net of the whole bookkeeping and the in-process figure, and hyperfine,
 * which adds the dispatch, should not fall below the first. "within":
 * between the two; "above": more; "below": less than the programs must cost,
 * a contradiction. */
static const char *placement(const struct hyperfine_row *h, double in, double bk)
{
	if (isnan(h->added_us_per_conn) || isnan(in))
		return "-";
	if (!isnan(bk) && h->added_ci_high < in - bk)
		return "below";
	return h->added_us_per_conn <= in ? "within" : "above";
}

int report_hyperfine(struct report *r, FILE *f)
{
	static const char *const head[] = {"variant", ">rounds", ">runs", ">median (s)",
					   ">added per conn (us)", ">95% CI (over rounds)",
					   ">in-process per conn (us)", ">stats bookkeeping per conn (us)",
					   "hyperfine's place", "status"};
	size_t n;
	const struct hyperfine_row *h = run_rows(r->run, &hyperfine_csv, &n);
	struct mdtable m;
	char buf[96];
	int rc;

	if (md_init(&m, 10, head))
		return -1;
	for (size_t i = 0; i < n; i++) {
		double in = inproc_us(r, h[i].variant), bk = bookkeeping_us(r, h[i].variant);

		md_cell(&m, "%s", h[i].variant);
		col_fmt(rf_col(&hyperfine_csv, "rounds"), &h[i], buf, sizeof(buf));
		md_cell(&m, "%s", buf);
		col_fmt(rf_col(&hyperfine_csv, "runs"), &h[i], buf, sizeof(buf));
		md_cell(&m, "%s", buf);
		col_fmt(rf_col(&hyperfine_csv, "median_s"), &h[i], buf, sizeof(buf));
		md_cell(&m, "%s", buf);
		col_fmt(rf_col(&hyperfine_csv, "added_us_per_conn"), &h[i], buf, sizeof(buf));
		md_cell(&m, "%s", buf);
		report_ci(h[i].added_ci_low, h[i].added_ci_high, 2, buf, sizeof(buf));
		md_cell(&m, "%s", buf);
		metric_fmt_num(in, 2, buf, sizeof(buf));
		md_cell(&m, "%s", buf);
		metric_fmt_num(bk, 2, buf, sizeof(buf));
		md_cell(&m, "%s", buf);
		md_cell(&m, "%s", strcmp(h[i].variant, CROSSCHECK_NO_PROGRAM) ? placement(&h[i], in, bk) : "");
		md_cell(&m, *h[i].reason ? "%s: %s" : "%s%s", h[i].status, h[i].reason);
	}
	fprintf(f, "## Cross-check: hyperfine\n\nWhole storms (`hammer --netns`, %lld connections "
		   "each) timed by hyperfine while a holder process keeps the variant attached "
		   "(output none; loading and attaching are outside the timed runs), against the "
		   "storm with no program. Rounds are the statistical units: each round times every "
		   "cell once (one holder, one hyperfine invocation), in rotated order, so drift "
		   "between rounds cancels in the pairs; a round's runs share their holder and are "
		   "averaged. Added per connection = median over rounds of the paired difference "
		   "(the variant's round mean minus the no-program round mean) / connections, with a "
		   "95%% percentile-bootstrap CI over rounds (given from %d paired rounds on); "
		   "in-process = the programs' own run time per connection (overhead.csv at %s/none). "
		   "The two do not measure the same thing: the in-process figure carries part of "
		   "kernel.bpf_stats_enabled's own cost (the whole of it per connection: its cost "
		   "per run from calls-bpf-stats.csv x the program runs per connection), which the "
		   "holder does not pay, and hyperfine's figure carries the hook's dispatch into "
		   "and out of the program, which run_time_ns does not cover. So hyperfine should "
		   "not fall below the in-process figure net of the whole bookkeeping (\"below\" "
		   "would contradict the in-process measurement); \"within\": between that and the "
		   "in-process figure; \"above\": more. The storm costs tens of microseconds per "
		   "connection, so this check resolves only costs larger than its CI's width.\n\n",
		n ? (long long)h[0].connections : 0LL, HYPERFINE_MIN_ROUNDS, r->attach);
	rc = md_flush(&m, f);
	return rc;
}

/* What hyperfine can tell apart: the empty program (the baseline variant, no
 * handler) against the handlers. When its interval overlaps every handler's,
 * hyperfine sees attached programs against none, and nothing finer. */
static void what_it_tells(struct findings *fs, const struct hyperfine_row *h, size_t n)
{
	const struct hyperfine_row *e = NULL;
	int handlers = 0, overlap = 0;
	char ci[96];

	for (size_t i = 0; i < n && !e; i++) {
		const struct variant *v = report_variant(h[i].variant);

		if (v && v->kind == VK_BASELINE && !isnan(h[i].added_ci_low))
			e = &h[i];
	}
	for (size_t i = 0; e && i < n; i++) {
		const struct variant *v = report_variant(h[i].variant);

		if (!v || v->kind == VK_BASELINE || isnan(h[i].added_ci_low))
			continue;
		handlers++;
		overlap += h[i].added_ci_low <= e->added_ci_high && e->added_ci_low <= h[i].added_ci_high;
	}
	if (!handlers) {
		say(fs, "hyperfine tells attached programs from none at most; it ranks no variant.");
		return;
	}
	report_ci(e->added_ci_low, e->added_ci_high, 2, ci, sizeof(ci));
	if (overlap == handlers)
		say(fs, "Under hyperfine %s, which has no handler, adds %.2f us per connection %s, "
			"within every handler's interval: hyperfine tells attached programs from none, "
			"not a handler from the empty program nor the variants from each other.",
		    report_noun(e->variant), e->added_us_per_conn, ci);
	else
		say(fs, "Under hyperfine %s, which has no handler, adds %.2f us per connection %s, "
			"overlapping the intervals of %d of the %d handlers (each an interval against no "
			"program, not a paired comparison between variants, and not corrected for "
			"several): hyperfine tells attached programs from none and ranks no handler "
			"against the empty program or another handler.",
		    report_noun(e->variant), e->added_us_per_conn, ci, overlap, handlers);
}

void findings_hyperfine(struct findings *fs)
{
	size_t n, ok = 0, below = 0;
	long long rounds = -1; /* the fewest rounds behind an interval */
	const struct hyperfine_row *h = run_rows(fs->r->run, &hyperfine_csv, &n);
	double width = 0, alo = NAN, ahi = NAN, ilo = NAN, ihi = NAN, bhi = NAN;

	for (size_t i = 0; i < n; i++) {
		double in = inproc_us(fs->r, h[i].variant), bk = bookkeeping_us(fs->r, h[i].variant);
		double w = h[i].added_ci_high - h[i].added_ci_low;

		if (!strcmp(h[i].variant, CROSSCHECK_NO_PROGRAM) || isnan(h[i].added_ci_low) || isnan(in))
			continue;
		ok++;
		rounds = rounds < 0 || h[i].rounds < rounds ? (long long)h[i].rounds : rounds;
		below += !strcmp(placement(&h[i], in, bk), "below");
		width = w > width ? w : width;
		alo = isnan(alo) || h[i].added_us_per_conn < alo ? h[i].added_us_per_conn : alo;
		ahi = isnan(ahi) || h[i].added_us_per_conn > ahi ? h[i].added_us_per_conn : ahi;
		ilo = isnan(ilo) || in < ilo ? in : ilo;
		ihi = isnan(ihi) || in > ihi ? in : ihi;
		bhi = !isnan(bk) && (isnan(bhi) || bk > bhi) ? bk : bhi;
	}
	if (!ok)
		return;
	if (isnan(bhi))
		say(fs, "hyperfine, timing whole storms from outside with each variant held attached, "
			"sees %.2f to %.2f us added per connection (95%% CIs over %lld or more rounds, up "
			"to %.2f us wide); in process the programs ran %.2f to %.2f us per connection.",
		    alo, ahi, rounds, width, ilo, ihi);
	else
		say(fs, "hyperfine, timing whole storms from outside with each variant held attached, sees "
		"%.2f to %.2f us added per connection (95%% CIs over %lld or more rounds, up to %.2f us "
		"wide); in process the programs ran %.2f to %.2f us per connection, part of it the "
		"run-time statistics' own bookkeeping (whose whole cost is up to %.2f us per "
		"connection), which the holder does not pay: %s.",
	    alo, ahi, rounds, width, ilo, ihi, bhi,
	    below ? "for some variants hyperfine sees less than the programs must cost (see the "
		    "table): the two disagree"
		  : "no variant falls below what the programs must cost, as expected");
	what_it_tells(fs, h, n);
}

int report_iperf(struct report *r, FILE *f)
{
	static const char *const head[] = {"variant", "round", ">Gbit/s",
					   ">vs none (smoke check, 1 stream, no CI)", ">storm conns",
					   "status"};
	size_t n;
	const struct iperf_row *rows = run_rows(r->run, &iperf_csv, &n);
	struct mdtable m;
	char buf[96];
	int rc;

	if (md_init(&m, 6, head))
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct iperf_row *none = NULL;

		for (size_t k = 0; k < n && !none; k++)
			if (rows[k].round == rows[i].round && !strcmp(rows[k].variant, CROSSCHECK_NO_PROGRAM))
				none = &rows[k];
		md_cell(&m, "%s", rows[i].variant);
		md_cell(&m, "%lld", (long long)rows[i].round);
		metric_fmt_num(rows[i].gbit_per_s, 2, buf, sizeof(buf));
		md_cell(&m, "%s", buf);
		if (!none || none == &rows[i] || isnan(none->gbit_per_s) || isnan(rows[i].gbit_per_s))
			md_cell(&m, "%s", none == &rows[i] ? "=" : "-");
		else {
			metric_fmt_diff(none->gbit_per_s, rows[i].gbit_per_s, 2, buf, sizeof(buf));
			md_cell(&m, "%s", buf);
		}
		md_cell(&m, "%lld", (long long)rows[i].storm_connections);
		md_cell(&m, *rows[i].reason ? "%s: %s" : "%s%s", rows[i].status, rows[i].reason);
	}
	fprintf(f, "## Smoke check: iperf3\n\nOne 1-second loopback bulk stream per variant while a "
		   "connection storm runs beside it and a holder keeps the variant attached. The "
		   "handler runs on connection setup, not on the data path: this only checks that "
		   "nothing else slows the stream (a stream below half the no-program one is "
		   "flagged). One stream spreads by about ±20%% here: these are not measurements of "
		   "the variants. The \"vs none\" column is a smoke check too: one stream against "
		   "the one no-program stream of the same round, with no interval, so it is not a "
		   "measured difference; no variant is ranked on it and no finding is drawn from "
		   "it.\n\n");
	rc = md_flush(&m, f);
	return rc;
}
