/* The cross-checks in the report: hyperfine's added wall time per connection
 * beside the in-process figure, and the iperf3 smoke check. */
#include <string.h>

#include "base/mdtable.h"
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

static const char *agreement(const struct hyperfine_row *h, double in)
{
	if (isnan(h->added_ci_low) || isnan(in))
		return "-";
	if (in >= h->added_ci_low && in <= h->added_ci_high)
		return "consistent (in the CI)";
	return in < h->added_ci_low ? "more than in-process" : "less than in-process";
}

int report_hyperfine(struct report *r, FILE *f)
{
	static const char *const head[] = {"variant", ">runs", ">median (s)", ">added per conn (us)",
					   ">95% CI", ">in-process per conn (us)", "agreement",
					   "status"};
	size_t n;
	const struct hyperfine_row *h = run_rows(r->run, &hyperfine_csv, &n);
	struct mdtable m;
	char buf[96];
	int rc;

	if (md_init(&m, 8, head))
		return -1;
	for (size_t i = 0; i < n; i++) {
		double in = inproc_us(r, h[i].variant);

		md_cell(&m, "%s", h[i].variant);
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
		md_cell(&m, "%s", strcmp(h[i].variant, CROSSCHECK_NO_PROGRAM) ? agreement(&h[i], in) : "");
		md_cell(&m, *h[i].reason ? "%s: %s" : "%s%s", h[i].status, h[i].reason);
	}
	fprintf(f, "## Cross-check: hyperfine\n\nWhole storms (`hammer --netns`, %lld connections "
		   "each) timed by hyperfine while a holder process keeps the variant attached "
		   "(output none; loading and attaching are outside the timed runs), against the "
		   "storm with no program. Added per connection = median of the paired differences "
		   "of the wall times (same round, same run: rounds rotate the cells, so drift "
		   "cancels) / connections, with a 95%% bootstrap CI (given from 10 pairs on); in-process = the programs' own run time "
		   "per connection (overhead.csv at %s/none). The storm costs tens of microseconds "
		   "per connection, so this check resolves only costs larger than its CI's width.\n\n",
		n ? (long long)h[0].connections : 0LL, r->attach);
	rc = md_print(&m, f);
	md_free(&m);
	fputc('\n', f);
	return rc;
}

void findings_hyperfine(struct findings *fs)
{
	size_t n, ok = 0, consistent = 0;
	const struct hyperfine_row *h = run_rows(fs->r->run, &hyperfine_csv, &n);
	double width = 0;

	for (size_t i = 0; i < n; i++) {
		double in = inproc_us(fs->r, h[i].variant);

		if (!strcmp(h[i].variant, CROSSCHECK_NO_PROGRAM) || isnan(h[i].added_ci_low) || isnan(in))
			continue;
		ok++;
		consistent += in >= h[i].added_ci_low && in <= h[i].added_ci_high;
		width = h[i].added_ci_high - h[i].added_ci_low > width ? h[i].added_ci_high - h[i].added_ci_low
								      : width;
	}
	if (ok)
		say(fs, "hyperfine, timing whole storms from outside with each variant held attached, "
			"agrees with the in-process time per connection for %zu of %zu variants (its 95%% "
			"CIs are up to %.2f us wide).",
		    consistent, ok, width);
}

int report_iperf(struct report *r, FILE *f)
{
	static const char *const head[] = {"variant", "round", ">Gbit/s", ">vs none", ">storm conns",
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
		   "the variants.\n\n");
	rc = md_print(&m, f);
	md_free(&m);
	fputc('\n', f);
	return rc;
}
