/* hyperfine-runs.csv, hyperfine.csv and iperf.csv: their columns (the
 * schema; see base/schema.h), and the hyperfine summary from the runs. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/stats.h"
#include "methods/crosscheck.h"

#define KERNEL_DOC "`uname -r` of the machine that ran it"
#define VARIANT_DOC "the variant attached by a holder process, or none"
#define ATTACH_DOC "attach mode of the holder"

#define HR struct hf_run_row
static const struct column run_cols[] = {
	TEXT(HR, kernel, KERNEL_DOC),
	KEY_TEXT(HR, variant, VARIANT_DOC),
	KEY_TEXT(HR, attach, ATTACH_DOC),
	KEY_INT(HR, round, "round; each round times every cell once, in rotated order"),
	KEY_INT(HR, run, "timed run within the round's hyperfine invocation (after its warm-up)"),
	INT(HR, connections, "connections", "conns", MG_CHECK, MB_NONE, 0,
	    "connections of the storm (bpf2bpf-bench hammer --netns --connections N)"),
	NUM(HR, seconds, "wall", "s", MG_CHECK, MB_LOWER, 4, 0,
	    "wall time of the whole storm process (hyperfine's results[0].times)"),
};

#define HS struct hyperfine_row
static const struct column sum_cols[] = {
	TEXT(HS, kernel, KERNEL_DOC),
	KEY_TEXT(HS, variant, VARIANT_DOC),
	KEY_TEXT(HS, attach, ATTACH_DOC),
	INT(HS, rounds, "rounds", "rounds", MG_CHECK, MB_NONE, 1,
	    "rounds with at least one timed storm of this cell: the statistical units (a round's "
	    "runs share one holder and one hyperfine invocation)"),
	INT(HS, runs, "runs", "runs", MG_CHECK, MB_NONE, 0, "timed storms over all rounds"),
	INT(HS, connections, "connections", "conns", MG_CHECK, MB_NONE, 0, "connections per storm"),
	NUM(HS, mean_s, "mean", "s", MG_CHECK, MB_LOWER, 4, 0,
	    "mean over rounds of the round's mean wall time of a storm"),
	NUM(HS, stddev_s, "stddev", "s", MG_CHECK, MB_NONE, 4, 0,
	    "standard deviation of the rounds' mean wall times"),
	NUM(HS, median_s, "median", "s", MG_CHECK, MB_LOWER, 4, 1,
	    "median over rounds of the round's mean wall time of a storm"),
	NUM(HS, min_s, "min", "s", MG_CHECK, MB_LOWER, 4, 0, "fastest round (its mean wall time)"),
	NUM(HS, max_s, "max", "s", MG_CHECK, MB_LOWER, 4, 0, "slowest round (its mean wall time)"),
	NUM(HS, added_us_per_conn, "added per conn", "us", MG_CHECK, MB_LOWER, 2, 1,
	    "median over rounds of the paired difference (the round's mean wall time minus the "
	    "no-program storm's mean in the same round) / connections: what the attached programs "
	    "add to a connection's wall time, seen from outside"),
	NUM(HS, added_ci_low, "added CI low", "us", MG_CHECK, MB_LOWER, 2, 0,
	    "95% percentile-bootstrap CI over rounds of added_us_per_conn, lower bound (empty with "
	    "fewer than 10 paired rounds)"),
	NUM(HS, added_ci_high, "added CI high", "us", MG_CHECK, MB_LOWER, 2, 0,
	    "95% percentile-bootstrap CI over rounds of added_us_per_conn, upper bound"),
	TEXT(HS, status, "ok, failed (the holder could not load or attach it) or skipped"),
	TEXT(HS, reason, "why failed or skipped, in the kernel's or the tool's words"),
};

#define IR struct iperf_row
static const struct column iperf_cols[] = {
	TEXT(IR, kernel, KERNEL_DOC),
	KEY_TEXT(IR, variant, VARIANT_DOC),
	KEY_TEXT(IR, attach, ATTACH_DOC),
	KEY_INT(IR, round, "round; each round runs every cell once, in rotated order"),
	NUM(IR, gbit_per_s, "Gbit/s", "Gbit/s", MG_CHECK, MB_HIGHER, 2, 1,
	    "iperf3 receiver throughput of one loopback stream (end.sum_received.bits_per_second "
	    "/ 1e9) while a storm ran beside it; one stream, no interval: a smoke check, not a "
	    "measurement of the variant"),
	INT(IR, storm_connections, "storm conns", "conns", MG_CHECK, MB_NONE, 0,
	    "connections the storm beside it made meanwhile"),
	TEXT(IR, status, "ok, failed or skipped"),
	TEXT(IR, reason, "why failed or skipped, in the kernel's or the tool's words"),
};

const struct result_file hf_runs_csv =
	FILE_DEF("hyperfine-runs.csv", "bpf2bpf-bench hyperfine", 0, 0, HR, run_cols,
		 "every storm hyperfine timed, with the variant a holder kept attached");
const struct result_file hyperfine_csv =
	FILE_DEF("hyperfine.csv", "bpf2bpf-bench hyperfine", 0, 1, HS, sum_cols,
		 "whole-storm wall time per variant held attached, and what it adds per connection");
const struct result_file iperf_csv =
	FILE_DEF("iperf.csv", "bpf2bpf-bench iperf", 0, 0, IR, iperf_cols,
		 "a smoke check: loopback bulk throughput beside a storm, per variant held attached");

#define BOOT_SEED 0x4bf1e5eedULL
/* The mean wall time of each round of one cell, in order of first
 * appearance; their round numbers in rnd. The number of rounds. */
static size_t round_means(const struct hf_run_row *runs, size_t n, const char *variant, double *mean,
			  int64_t *rnd)
{
	size_t m = 0;

	for (size_t i = 0; i < n; i++) {
		size_t k = 0, cnt = 0;
		double sum = 0;

		if (strcmp(runs[i].variant, variant) || isnan(runs[i].seconds))
			continue;
		while (k < m && rnd[k] != runs[i].round)
			k++;
		if (k < m)
			continue; /* this round is done */
		for (size_t j = i; j < n; j++)
			if (!strcmp(runs[j].variant, variant) && runs[j].round == runs[i].round &&
			    !isnan(runs[j].seconds)) {
				sum += runs[j].seconds;
				cnt++;
			}
		rnd[m] = runs[i].round;
		mean[m++] = sum / (double)cnt;
	}
	return m;
}

/* Per round, the variant's mean minus the no-program storm's mean in the same
 * round (rounds rotate the cells, so drift between rounds cancels); rounds
 * where either has no run are left out. The number of paired rounds. */
static size_t paired(const double *mean, const int64_t *rnd, size_t m, const double *none_mean,
		     const int64_t *none_rnd, size_t nm, double *d)
{
	size_t np = 0;

	for (size_t i = 0; i < m; i++)
		for (size_t k = 0; k < nm; k++)
			if (none_rnd[k] == rnd[i]) {
				d[np++] = mean[i] - none_mean[k];
				break;
			}
	return np;
}

static void describe(struct hyperfine_row *r, const double *x, size_t m)
{
	double mean = 0, var = 0;

	for (size_t i = 0; i < m; i++)
		mean += x[i] / (double)m;
	for (size_t i = 0; i < m; i++)
		var += (x[i] - mean) * (x[i] - mean) / (m > 1 ? (double)(m - 1) : 1.0);
	r->mean_s = mean;
	r->stddev_s = sqrt(var);
	r->median_s = stats_median(x, m);
	r->min_s = stats_quantile(x, m, 0.0);
	r->max_s = stats_quantile(x, m, 1.0);
}

static size_t count_runs(const struct hf_run_row *runs, size_t n, const char *variant)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += !strcmp(runs[i].variant, variant) && !isnan(runs[i].seconds);
	return c;
}

int hyperfine_summarize(const struct hf_run_row *runs, size_t n, size_t extra,
			struct hyperfine_row **rows, size_t *nrows)
{
	const char *names[64];
	size_t nn = 0, sz = n ? n : 1, nm;
	double *mean = malloc(sz * sizeof(*mean)), *none_mean = malloc(sz * sizeof(*none_mean));
	double *d = malloc(sz * sizeof(*d));
	int64_t *rnd = malloc(sz * sizeof(*rnd)), *none_rnd = malloc(sz * sizeof(*none_rnd));
	int rc = -1;

	*rows = calloc(n + extra + 1, sizeof(**rows));
	*nrows = 0;
	if (!mean || !none_mean || !d || !rnd || !none_rnd || !*rows) {
		free(*rows);
		*rows = NULL;
		goto out;
	}
	names[nn++] = CROSSCHECK_NO_PROGRAM;
	for (size_t i = 0; i < n && nn < 64; i++) {
		size_t k = 0;

		while (k < nn && strcmp(names[k], runs[i].variant))
			k++;
		if (k == nn)
			names[nn++] = runs[i].variant;
	}
	nm = round_means(runs, n, CROSSCHECK_NO_PROGRAM, none_mean, none_rnd);
	for (size_t k = 0; k < nn; k++) {
		size_t m = round_means(runs, n, names[k], mean, rnd), first = 0, np;
		struct hyperfine_row *r = &(*rows)[*nrows];
		struct stats_ci ci;
		double per;

		if (!m)
			continue;
		while (strcmp(runs[first].variant, names[k]))
			first++;
		rf_row_clear(&hyperfine_csv, r);
		r->kernel = runs[first].kernel;
		r->variant = names[k];
		r->attach = runs[first].attach;
		r->rounds = (int64_t)m;
		r->runs = (int64_t)count_runs(runs, n, names[k]);
		r->connections = runs[first].connections;
		describe(r, mean, m);
		r->status = "ok";
		r->reason = "";
		per = r->connections > 0 ? 1e6 / (double)r->connections : NAN;
		np = paired(mean, rnd, m, none_mean, none_rnd, nm, d);
		if (np && !stats_median_ci(d, np, 0.95, 4000, BOOT_SEED, &ci)) {
			r->added_us_per_conn = ci.median * per;
			if (np >= HYPERFINE_MIN_ROUNDS) {
				r->added_ci_low = ci.lo * per;
				r->added_ci_high = ci.hi * per;
			}
		}
		(*nrows)++;
	}
	rc = 0;
out:
	free(mean);
	free(none_mean);
	free(d);
	free(rnd);
	free(none_rnd);
	return rc;
}
