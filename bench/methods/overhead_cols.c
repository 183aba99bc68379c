/* overhead-rounds.csv, overhead.csv and overhead-pairs.csv: their columns, in
 * order (the schema; see base/schema.h). */
#include "methods/overhead.h"

#define KERNEL_DOC "`uname -r` of the machine that ran it"
#define VARIANT_DOC "how the handler is written (variants/variants.def order); none: the storm " \
		    "with no program"
#define ATTACH_DOC "attach mode: kprobe, fentry, tp_btf or tracepoint"
#define OUTPUT_DOC "how events leave the kernel: ringbuf, ringbuf-nowakeup, perfbuf or none " \
		   "(empty for the no-program storm)"
#define TIMING_DOC "native, or emulated (a TCG guest: times are not comparable)"

#define RR struct rounds_row
static const struct column rounds_cols[] = {
	TEXT(RR, kernel, KERNEL_DOC),
	KEY_TEXT(RR, variant, VARIANT_DOC),
	KEY_TEXT(RR, attach, ATTACH_DOC),
	KEY_TEXT(RR, output, OUTPUT_DOC),
	KEY_INT(RR, round, "round number (0: warm-up); each round runs every cell once, in "
			   "rotated order"),
	INT(RR, position, "position", "", MG_ID, MB_NONE, 0, "the cell's place in that round's order"),
	INT(RR, connections, "connections", "conns", MG_STORM, MB_NONE, 0,
	    "TCP connections the storm completed (accepted by its servers)"),
	INT(RR, events, "events", "events", MG_TIME, MB_NONE, 0,
	    "opens the programs counted past their filter, 2 per connection (active and passive)"),
	INT(RR, drops, "drops", "events", MG_TIME, MB_LOWER, 0,
	    "events the output buffer could not take (ringbuf/perfbuf full, perf samples lost)"),
	INT(RR, received, "received", "events", MG_TIME, MB_NONE, 0,
	    "events the user-space consumer received"),
	INT(RR, run_cnt, "run_cnt", "runs", MG_TIME, MB_NONE, 0,
	    "entry program runs (bpf_prog_info.run_cnt with kernel.bpf_stats_enabled), filtered-out "
	    "ones included"),
	INT(RR, run_time_ns, "run time", "ns", MG_TIME, MB_LOWER, 0,
	    "bpf_prog_info.run_time_ns delta over the storm, summed over the programs"),
	INT(RR, tail_run_cnt, "tail runs", "runs", MG_TIME, MB_NONE, 0,
	    "run_cnt of the tail-call targets (0 when the kernel charges their time to the entry "
	    "program)"),
	NUM(RR, ns_per_run, "ns/run", "ns", MG_TIME, MB_LOWER, 1, 0,
	    "run_time_ns / run_cnt: time per program invocation, filtered-out ones included"),
	NUM(RR, ns_per_event, "ns/event", "ns", MG_TIME, MB_LOWER, 1, 0,
	    "run_time_ns / events: all the programs' time per connection open"),
	NUM(RR, conn_per_s, "conn/s", "conn/s", MG_STORM, MB_HIGHER, 0, 0,
	    "storm rate: connections / wall time"),
	NUM(RR, cpu_us_per_conn, "CPU/conn", "us", MG_STORM, MB_LOWER, 2, 0,
	    "user+system CPU of the storm process per connection (getrusage)"),
	NUM(RR, elapsed_s, "elapsed", "s", MG_STORM, MB_NONE, 3, 0, "wall time of the storm"),
	INT(RR, reloads, "reloads", "", MG_ID, MB_NONE, 0,
	    "times the cell was loaded again so far because the kernel refused a re-attach "
	    "(fentry before 5.11)"),
	TEXT(RR, status, "ok, warmup (not summarised), partial-round (interrupted: not "
			 "summarised), flagged (see flags) or left-out (attach refused)"),
	TEXT(RR, flags, "why the round is flagged, ';'-separated: count-mismatch, drops, "
			"lost-events"),
	TEXT(RR, timing, TIMING_DOC),
};

#define OR struct overhead_row
static const struct column overhead_cols[] = {
	TEXT(OR, kernel, KERNEL_DOC),
	KEY_TEXT(OR, variant, VARIANT_DOC),
	KEY_TEXT(OR, attach, ATTACH_DOC),
	KEY_TEXT(OR, output, OUTPUT_DOC),
	INT(OR, rounds, "rounds", "rounds", MG_TIME, MB_NONE, 1,
	    "measured rounds summarised (warm-up and partial rounds excluded)"),
	INT(OR, connections, "connections", "conns", MG_STORM, MB_NONE, 0,
	    "TCP connections of the summarised rounds"),
	INT(OR, events, "events", "events", MG_TIME, MB_NONE, 0,
	    "opens counted in the summarised rounds (2 per connection)"),
	INT(OR, drops, "drops", "events", MG_TIME, MB_LOWER, 1,
	    "events lost by the output in the summarised rounds"),
	INT(OR, run_cnt, "run_cnt", "runs", MG_TIME, MB_NONE, 0, "entry program runs, summed"),
	INT(OR, foreign_runs, "foreign runs", "runs", MG_TIME, MB_LOWER, 0,
	    "program runs beyond what the storm's connections explain (other sockets changing "
	    "state meanwhile), estimated from the fewest runs per connection of any round"),
	NUM(OR, ns_per_run, "ns/run", "ns", MG_TIME, MB_LOWER, 1, 0,
	    "median over rounds of run_time_ns / run_cnt"),
	NUM(OR, ns_per_event, "ns/event", "ns", MG_TIME, MB_LOWER, 1, 1,
	    "median over rounds of run_time_ns / events (kernel.bpf_stats_enabled bookkeeping "
	    "included)"),
	NUM(OR, ci_low, "CI low", "ns", MG_TIME, MB_LOWER, 1, 0,
	    "95% percentile-bootstrap CI of ns_per_event, lower bound (empty with fewer than 10 rounds)"),
	NUM(OR, ci_high, "CI high", "ns", MG_TIME, MB_LOWER, 1, 0,
	    "95% percentile-bootstrap CI of ns_per_event, upper bound (empty with fewer than 10 rounds)"),
	NUM(OR, net_ns, "net", "ns", MG_TIME, MB_LOWER, 1, 1,
	    "median of the per-round differences ns_per_event - the baseline variant's, same "
	    "attach and output: what the handler adds"),
	NUM(OR, net_ci_low, "net CI low", "ns", MG_TIME, MB_LOWER, 1, 0,
	    "95% bootstrap CI of net_ns, lower bound (empty with fewer than 10 rounds)"),
	NUM(OR, net_ci_high, "net CI high", "ns", MG_TIME, MB_LOWER, 1, 0,
	    "95% bootstrap CI of net_ns, upper bound (empty with fewer than 10 rounds)"),
	NUM(OR, conn_per_s, "conn/s", "conn/s", MG_STORM, MB_HIGHER, 0, 1,
	    "median storm rate over rounds"),
	NUM(OR, rate_vs_none_pct, "rate vs none", "%", MG_STORM, MB_HIGHER, 1, 1,
	    "median of the per-round relative differences of conn_per_s to the storm with no "
	    "program, in percent"),
	NUM(OR, rate_ci_low, "rate CI low", "%", MG_STORM, MB_HIGHER, 1, 0,
	    "95% bootstrap CI of rate_vs_none_pct, lower bound (empty with fewer than 10 rounds)"),
	NUM(OR, rate_ci_high, "rate CI high", "%", MG_STORM, MB_HIGHER, 1, 0,
	    "95% bootstrap CI of rate_vs_none_pct, upper bound (empty with fewer than 10 rounds)"),
	NUM(OR, cpu_us_per_conn, "CPU/conn", "us", MG_STORM, MB_LOWER, 2, 1,
	    "median user+system CPU of the storm process per connection"),
	TEXT(OR, timing, TIMING_DOC),
	TEXT(OR, status, "ok, flagged (see flags), incomplete (the run was interrupted) or failed"),
	TEXT(OR, flags, "why flagged, ';'-separated: count-mismatch, drops, lost-events, left-out"),
	TEXT(OR, notes, "remarks on how to read the row (where tail-call targets' time is "
			"charged, re-attach reloads)"),
};

#define PR struct pairs_row
static const struct column pairs_cols[] = {
	TEXT(PR, kernel, KERNEL_DOC),
	KEY_TEXT(PR, attach, ATTACH_DOC),
	KEY_TEXT(PR, output, OUTPUT_DOC),
	KEY_TEXT(PR, variant_a, "first variant of the pair"),
	KEY_TEXT(PR, variant_b, "second variant of the pair"),
	NUM(PR, diff_ns, "a - b", "ns", MG_TIME, MB_NONE, 1, 1,
	    "median of the per-round differences ns_per_event(a) - ns_per_event(b)"),
	NUM(PR, ci_low, "CI low", "ns", MG_TIME, MB_NONE, 1, 0,
	    "95% bootstrap CI of diff_ns, lower bound (not adjusted for the family; empty with "
	    "fewer than 10 paired rounds)"),
	NUM(PR, ci_high, "CI high", "ns", MG_TIME, MB_NONE, 1, 0,
	    "95% bootstrap CI of diff_ns, upper bound (not adjusted for the family; empty with "
	    "fewer than 10 paired rounds)"),
	NUM(PR, p_value, "p", "", MG_TIME, MB_NONE, 4, 0,
	    "two-sided bootstrap p-value of a zero median difference (empty with fewer than 10 "
	    "paired rounds)"),
	NUM(PR, p_holm, "p (Holm)", "", MG_TIME, MB_NONE, 4, 0,
	    "p_value adjusted by Holm's method over the family (every pair at this attach and "
	    "output)"),
	INT(PR, family, "family", "", MG_ID, MB_NONE, 0, "number of pairs in the family"),
	TEXT(PR, verdict, "a slower or b slower when p_holm < 0.05 (family-wise 5%), else not "
			  "distinguishable"),
};

const struct result_file rounds_csv =
	FILE_DEF("overhead-rounds.csv", "bpf2bpf-bench overhead", 0, 0, RR, rounds_cols,
		 "every storm of every cell, warm-up rounds included");
const struct result_file overhead_csv =
	FILE_DEF("overhead.csv", "bpf2bpf-bench overhead", 0, 1, OR, overhead_cols,
		 "per-event cost summary, one row per variant x attach x output; variant `none` is "
		 "the storm with no program (only its storm columns are filled)");
const struct result_file pairs_csv =
	FILE_DEF("overhead-pairs.csv", "bpf2bpf-bench overhead", 0, 0, PR, pairs_cols,
		 "paired differences of ns_per_event between two variants at the same attach and "
		 "output, Holm-adjusted over all pairs there");
