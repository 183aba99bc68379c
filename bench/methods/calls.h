/* The calls method: what one call of the handler costs per mechanism (a
 * bpf2bpf call, a global function, a linked one, a tail-call hop) against
 * inlining it, as the slope of in-program time over K calls per event, with
 * 95% intervals, and the JIT instructions behind it.
 *
 * calls.c measures (the measuring core is methods/calls_core.h) and writes
 * calls-rounds.csv; calls_summary.c computes calls.csv and calls-bpf-stats.csv
 * from those rounds alone; calls_attr.c keeps the JIT images in
 * dumps/calls-jit/ and counts their instructions into calls-attribution.csv
 * (on this machine, or later on a host with objdump: `calls --attribute`). */
#ifndef BPF2BPF_CALLS_H
#define BPF2BPF_CALLS_H

#include <stddef.h>
#include <stdint.h>

#include "base/schema.h"

/* The triggers, as in the files. */
#define CALLS_TRIGGER_SYNTHETIC "synthetic"
#define CALLS_TRIGGER_STORM "storm"

/* calls-rounds.csv: what one run of the core measured, row by row. `cell`:
 *   load       one per variant x attach x trigger: loaded and measured (ok),
 *              or skipped/failed with the kernel's words
 *   k          one variant's programs at one K in one round
 *   stats-off, stats-on   synthetic: the driver with every program unarmed,
 *              kernel run-time statistics off or on (their cost)
 *   foreign    synthetic: bpf_trigger_tp runs not fired by this run */
struct calls_round_row {
	const char *kernel, *variant, *attach, *trigger, *cell;
	int64_t load, round, k;
	double ns_per_trigger, driver_ns;
	int64_t triggers, expected, left_out, chain_fails, programs;
	const char *status, *reason, *notes, *timing;
};

/* calls.csv: one row per variant x attach x trigger. */
struct calls_row {
	const char *kernel, *variant, *attach, *trigger, *k_values;
	int64_t loads, rounds, disturbed_rounds, triggers, left_out, inexact_cells;
	double ns_per_call, ci_low, ci_high, fixed_ns, fixed_ci_low, fixed_ci_high;
	double mech_ns_vs_inline, mech_ci_low, mech_ci_high, p_holm;
	int64_t family;
	const char *verdict;
	double event_ns, event_ci_low, event_ci_high;
	const char *linearity;
	int64_t lin_k;
	double lin_ratio, lin_dev_ns, lin_dev_ci_low, lin_dev_ci_high;
	const char *timing, *status, *reason, *notes;
};

/* calls-bpf-stats.csv: what kernel.bpf_stats_enabled adds per program run. */
struct calls_bpf_stats_row {
	const char *kernel, *attach, *trigger;
	int64_t rounds, programs;
	double off_ns, on_ns, stats_ns, ci_low, ci_high;
	const char *stats_were_on, *timing, *status;
};

/* calls-attribution.csv: one JIT image, its instructions counted by kind. */
struct calls_attr_row {
	const char *kernel, *variant, *attach, *trigger, *program;
	int64_t prog_id, funcs, insns, bytes, bpf_calls, kernel_calls, tail_jumps;
	int64_t ret_plain, ret_thunk;
	const char *return_thunk;
	int64_t call_depth, indirect, retpoline, endbr, push, pop;
	const char *kernel_targets, *image, *status, *reason;
};

extern const struct result_file calls_rounds_csv, calls_csv, calls_bpf_stats_csv,
	calls_attr_csv;

struct calls_summary {
	struct calls_row *rows;
	size_t nrows;
	struct calls_bpf_stats_row *stats;
	size_t nstats;
	char *strings; /* storage the rows' text points into */
};

/* calls.csv and calls-bpf-stats.csv rows from the rounds alone (text fields
 * point into rows or s). run_status is "ok" or what the whole run ended as
 * ("incomplete", "failed"). Returns 0, or -1 (out of memory). */
int calls_summarize(const struct calls_round_row *rows, size_t n, const char *run_status,
		    struct calls_summary *s);
void calls_summary_free(struct calls_summary *s);

/* DIR/calls.csv and DIR/calls-bpf-stats.csv from DIR/calls-rounds.csv alone,
 * so a run's summary and a later `calls --summarize DIR` are one computation
 * on the same (rounded) numbers.
 * status: what the run ended as (the run itself passes it); NULL: learnt
 * from DIR/run.env and DIR/calls.csv (--summarize). 0, 1 (could not write)
 * or 2 (unreadable rounds). */
int calls_summarize_dir(const char *dir, const char *status);

/* Attribution of every image in DIR/dumps/calls-jit/ into
 * DIR/calls-attribution.csv. Without objdump each row says so (status
 * images-only) and keeps what needs no disassembler. 0, or -1 after a line
 * on stderr (the file could not be written). */
int calls_attribute_dir(const char *dir);

int cmd_calls(int argc, char **argv);
struct bench_ctx;
int calls_bench(const struct bench_ctx *ctx);

#endif
