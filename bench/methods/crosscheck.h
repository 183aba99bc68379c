/* The external cross-checks: hyperfine (whole storms timed from outside,
 * with a holder keeping a variant attached) and iperf3 (a bulk stream beside
 * a storm: the programs sit on connection setup, not on the data path). Their
 * summaries are computed from their per-run files alone. */
#ifndef BPF2BPF_CROSSCHECK_H
#define BPF2BPF_CROSSCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "base/schema.h"
#include "base/stats.h"

#define CROSSCHECK_NO_PROGRAM "none"

/* hyperfine-runs.csv: one timed storm. */
struct hf_run_row {
	const char *kernel, *variant, *attach;
	int64_t round, run, connections;
	double seconds;
};

/* hyperfine.csv: per variant, over its rounds (the statistical units: a
 * round's runs of one cell share one holder and one hyperfine invocation, so
 * they are not independent). */
struct hyperfine_row {
	const char *kernel, *variant, *attach;
	int64_t rounds, runs, connections;
	double mean_s, stddev_s, median_s, min_s, max_s;
	double added_us_per_conn, added_ci_low, added_ci_high;
	const char *status, *reason;
};

/* iperf.csv: one bulk stream beside one storm. */
struct iperf_row {
	const char *kernel, *variant, *attach;
	int64_t round;
	double gbit_per_s;
	int64_t storm_connections;
	const char *status, *reason;
};

extern const struct result_file hf_runs_csv, hyperfine_csv, iperf_csv;

/* Fewer rounds than this: no interval (see stats.h); `hyperfine --rounds`
 * refuses fewer. */
#define HYPERFINE_MIN_ROUNDS STATS_MIN_BOOTSTRAP_UNITS

/* hyperfine.csv rows from the runs (the no-program storm first, variants in
 * order of appearance): per round the mean of a cell's runs; added per
 * connection = median over rounds of (the variant's round mean - the
 * no-program round mean), with a bootstrap CI over those rounds. Room is left
 * for `extra` more rows. 0, or -1. */
int hyperfine_summarize(const struct hf_run_row *runs, size_t n, size_t extra,
			struct hyperfine_row **rows, size_t *nrows);

struct bench_ctx;
int cmd_hyperfine(int argc, char **argv);
int hyperfine_bench(const struct bench_ctx *ctx);
int cmd_iperf(int argc, char **argv);
int iperf_bench(const struct bench_ctx *ctx);

#endif
