/* The overhead method: nanoseconds each variant adds per event under a
 * loopback connection storm, with confidence intervals. overhead.c measures
 * (writes overhead-rounds.csv); overhead_summary.c computes overhead.csv and
 * overhead-pairs.csv from the rounds alone, so the statistics are testable
 * without root. */
#ifndef BPF2BPF_OVERHEAD_H
#define BPF2BPF_OVERHEAD_H

#include <stddef.h>
#include <stdint.h>

#include "base/schema.h"
#include "base/stats.h"

/* overhead-rounds.csv: one storm of one cell (variant x output) in one round. */
struct rounds_row {
	const char *kernel, *variant, *attach, *output;
	int64_t round, position;
	int64_t connections, events, drops, received, run_cnt, run_time_ns, tail_run_cnt;
	double ns_per_run, ns_per_event, conn_per_s, cpu_us_per_conn, elapsed_s;
	int64_t reloads;
	const char *status, *flags, *timing;
};

/* overhead.csv: per cell, over the measured rounds. */
struct overhead_row {
	const char *kernel, *variant, *attach, *output;
	int64_t rounds, connections, events, drops, run_cnt, foreign_runs;
	double ns_per_run, ns_per_event, ci_low, ci_high;
	double net_ns, net_ci_low, net_ci_high;
	double conn_per_s, rate_vs_none_pct, rate_ci_low, rate_ci_high, cpu_us_per_conn;
	const char *timing, *status, *flags, *notes;
};

/* overhead-pairs.csv: paired differences of two variants at one attach x
 * output, within the family of all pairs there (Holm). */
struct pairs_row {
	const char *kernel, *attach, *output, *variant_a, *variant_b;
	double diff_ns, ci_low, ci_high, p_value, p_holm;
	int64_t family;
	const char *verdict;
};

extern const struct result_file rounds_csv, overhead_csv, pairs_csv;

/* Fewer measured (or paired) rounds than this: no test and no interval (see
 * stats.h); the summary leaves the CI fields empty and the report prints
 * "n=3 (no interval)". */
#define OVERHEAD_MIN_ROUNDS STATS_MIN_BOOTSTRAP_UNITS

/* The no-program storm's variant name in these files. */
#define OVERHEAD_NO_PROGRAM "none"

struct overhead_summary {
	struct overhead_row *rows;
	size_t nrows;
	struct pairs_row *pairs;
	size_t npairs;
	char *strings; /* storage of the notes and flags the rows point to */
};

/* Summaries of rounds rows (warm-up and partial rounds are skipped; a cell's
 * rows need not be contiguous). run_status is "ok", or what the whole run
 * ended as ("incomplete", "failed"), which every summary row then carries.
 * Returns 0, or -1 (out of memory). Text fields point into rows or s. */
int overhead_summarize(const struct rounds_row *rows, size_t n, const char *run_status,
		       struct overhead_summary *s);
void overhead_summary_free(struct overhead_summary *s);

int cmd_overhead(int argc, char **argv);
struct bench_ctx;
int overhead_bench(const struct bench_ctx *ctx);

#endif
