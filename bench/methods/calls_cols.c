/* The calls method's files and their columns, in order (the schema; see
 * base/schema.h). */
#include "base/calls_stats.h"
#include "methods/calls.h"

#define KERNEL_DOC "`uname -r` of the machine that ran it"
#define VARIANT_DOC "how the handler is written (variants/variants.def order)"
#define ATTACH_DOC "the hook's attach mode: kprobe, fentry, tp_btf or tracepoint (the synthetic " \
		   "trigger's program is tp_btf)"
#define TRIGGER_DOC "synthetic: tp_btf/bpf_trigger_tp fired by a raw_tp driver through the kfunc " \
		    "bpf_modify_return_test_tp() (BPF_PROG_TEST_RUN); storm: the real hooks under a " \
		    "loopback connection storm"
#define TIMING_DOC "native, or emulated (a TCG guest: times are not comparable)"
#define STR_(x) #x
#define STR(x) STR_(x)
#define INTERVALS "95% t interval of the " STR(CALLS_STATS_TRIM_PCT) "%-trimmed mean over the loads (each load's rounds " \
		  "averaged first: a load fixes where the JIT image lands), disturbed rounds left out"

#define RR struct calls_round_row
static const struct column round_cols[] = {
	TEXT(RR, kernel, KERNEL_DOC),
	KEY_TEXT(RR, variant, VARIANT_DOC " (empty on stats and foreign rows)"),
	KEY_TEXT(RR, attach, ATTACH_DOC),
	KEY_TEXT(RR, trigger, TRIGGER_DOC),
	KEY_TEXT(RR, cell, "load (a variant's load: status and reason), k (one variant at one K in "
			   "one round), stats-off / stats-on (synthetic: the driver with every program "
			   "unarmed), foreign (synthetic: bpf_trigger_tp runs fired by others)"),
	KEY_INT(RR, load, "the load the round ran on: the programs are loaded afresh for each "
			  "block of rounds, after a warm-up round that is not kept"),
	KEY_INT(RR, round, "round number, over all loads; each round runs every K once, in rotated "
			   "order"),
	KEY_INT(RR, k, "handler calls per trigger (tail calls: hops of the chain)"),
	NUM(RR, ns_per_trigger, "ns/trigger", "ns", MG_CALL, MB_LOWER, 2, 0,
	    "k rows: bpf_ktime_get_ns() around the K calls, summed in the program over the cell's "
	    "triggers / triggers; stats rows: the driver's ns per trigger"),
	NUM(RR, driver_ns, "driver ns", "ns", MG_CALL, MB_LOWER, 2, 0,
	    "synthetic k rows: the driver's own loop per trigger with every program attached "
	    "(dispatch included)"),
	INT(RR, triggers, "triggers", "", MG_CALL, MB_NONE, 0,
	    "triggers timed (k rows); runs (foreign rows)"),
	INT(RR, expected, "expected", "", MG_CALL, MB_NONE, 0,
	    "triggers the cell fired: runs x batch (synthetic), 2 x connections (storm); triggers + "
	    "left_out must equal it"),
	INT(RR, left_out, "left out", "", MG_CALL, MB_LOWER, 0,
	    "triggers whose timed region took over 1.5 x the cell's lowest mean + 1 us (an "
	    "interrupt or a descheduled vCPU inside it), counted apart"),
	INT(RR, chain_fails, "chain fails", "", MG_CALL, MB_LOWER, 0,
	    "tail-call chains cut short (a tail call that did not jump)"),
	INT(RR, programs, "programs", "", MG_CALL, MB_NONE, 0,
	    "stats rows: programs attached to bpf_trigger_tp (each runs once per trigger)"),
	TEXT(RR, status, "load rows: ok, skipped (the attach mode does not work here) or failed "
			 "(the kernel refused the variant); other rows: ok"),
	TEXT(RR, reason, "why not ok, in the kernel's, verifier's or libbpf's words"),
	TEXT(RR, notes, "load rows: the variant was measured with its alternate calls object, and "
			"why the first was refused"),
	TEXT(RR, timing, TIMING_DOC),
};

#define CR struct calls_row
static const struct column calls_cols[] = {
	TEXT(CR, kernel, KERNEL_DOC),
	KEY_TEXT(CR, variant, VARIANT_DOC),
	KEY_TEXT(CR, attach, ATTACH_DOC),
	KEY_TEXT(CR, trigger, TRIGGER_DOC),
	TEXT(CR, k_values, "the K swept, ';'-separated"),
	INT(CR, loads, "loads", "", MG_ID, MB_NONE, 0, "loads the rounds were spread over"),
	INT(CR, rounds, "rounds", "", MG_ID, MB_NONE, 1, "measured rounds (warm-ups not kept)"),
	INT(CR, disturbed_rounds, "disturbed", "", MG_CALL, MB_LOWER, 1,
	    "rounds left out of every figure of every row of the trigger x attach: in them the "
	    "inlined handler and the call mechanisms ran, by the median over them of slope / "
	    "that variant's quiet level (10th percentile over rounds), more than "
	    STR(CALLS_STATS_QUIET_PCT) "% slower than quiet, i.e. something else had the CPU; "
	    "none are left out when fewer than half the rounds are quiet"),
	INT(CR, triggers, "triggers", "", MG_CALL, MB_NONE, 0, "triggers timed, all cells"),
	INT(CR, left_out, "left out", "", MG_CALL, MB_LOWER, 0,
	    "triggers left out as interrupted (calls-rounds.csv)"),
	INT(CR, inexact_cells, "inexact cells", "", MG_CALL, MB_LOWER, 0,
	    "cells whose triggers + left_out differ from what was fired (0: every count exact)"),
	NUM(CR, ns_per_call, "ns/call", "ns", MG_CALL, MB_LOWER, 2, 1,
	    "slope of a least-squares line of ns per trigger over K, fitted per round: time per "
	    "handler call (tail calls: per hop), " INTERVALS),
	NUM(CR, ci_low, "CI low", "ns", MG_CALL, MB_LOWER, 2, 0, "ns_per_call, interval low"),
	NUM(CR, ci_high, "CI high", "ns", MG_CALL, MB_LOWER, 2, 0, "ns_per_call, interval high"),
	NUM(CR, fixed_ns, "fixed", "ns", MG_CALL, MB_LOWER, 1, 1,
	    "intercept of the same lines: ns per trigger at K = 0 (the timed region's fixed cost)"),
	NUM(CR, fixed_ci_low, "fixed CI low", "ns", MG_CALL, MB_LOWER, 1, 0,
	    "fixed_ns, interval low"),
	NUM(CR, fixed_ci_high, "fixed CI high", "ns", MG_CALL, MB_LOWER, 1, 0,
	    "fixed_ns, interval high"),
	NUM(CR, mech_ns_vs_inline, "vs inline", "ns", MG_CALL, MB_LOWER, 2, 1,
	    "per-round slope minus the inlined handler's slope in the same round (same trigger): "
	    "what the mechanism adds per call, " INTERVALS),
	NUM(CR, mech_ci_low, "vs inline CI low", "ns", MG_CALL, MB_LOWER, 2, 0,
	    "mech_ns_vs_inline, interval low (not adjusted for the family)"),
	NUM(CR, mech_ci_high, "vs inline CI high", "ns", MG_CALL, MB_LOWER, 2, 0,
	    "mech_ns_vs_inline, interval high (not adjusted for the family)"),
	NUM(CR, p_holm, "p (Holm)", "", MG_CALL, MB_NONE, 4, 0,
	    "p-value of mech_ns_vs_inline = 0 (t test over the loads), Holm-adjusted over the "
	    "family: every mechanism compared with inline at this attach and trigger"),
	INT(CR, family, "family", "", MG_ID, MB_NONE, 0, "comparisons in the Holm family"),
	TEXT(CR, verdict, "costlier or cheaper when p_holm < 0.05 (family-wise 5%) and the interval "
			  "excludes 0, else not distinguishable; empty when not compared"),
	NUM(CR, event_ns, "event ns", "ns", MG_CALL, MB_LOWER, 1, 1,
	    "ns per trigger at K = 1: one event's handler call timed in the program, kernel "
	    "run-time statistics off (no bpf_stats bookkeeping), " INTERVALS),
	NUM(CR, event_ci_low, "event CI low", "ns", MG_CALL, MB_LOWER, 1, 0, "event_ns, interval low"),
	NUM(CR, event_ci_high, "event CI high", "ns", MG_CALL, MB_LOWER, 1, 0,
	    "event_ns, interval high"),
	TEXT(CR, linearity, "ok, or fail when some y(2K) - 2 y(K) + y(0) has an interval excluding "
			    "0 and is above 10% of y(2K) - y(0) + 1 ns (2K calls do not cost twice "
			    "K); unchecked without K and 2K"),
	INT(CR, lin_k, "lin K", "", MG_CALL, MB_NONE, 0, "the K of the pair (K, 2K) nearest to failing"),
	NUM(CR, lin_ratio, "lin ratio", "", MG_CALL, MB_NONE, 3, 0,
	    "c(2K) / 2 c(K) there, c(K) = y(K) - y(0); 1 is linear"),
	NUM(CR, lin_dev_ns, "lin dev", "ns", MG_CALL, MB_NONE, 2, 0, "y(2K) - 2 y(K) + y(0) there"),
	NUM(CR, lin_dev_ci_low, "lin dev CI low", "ns", MG_CALL, MB_NONE, 2, 0,
	    "lin_dev_ns, interval low"),
	NUM(CR, lin_dev_ci_high, "lin dev CI high", "ns", MG_CALL, MB_NONE, 2, 0,
	    "lin_dev_ns, interval high"),
	TEXT(CR, timing, TIMING_DOC),
	TEXT(CR, status, "ok, skipped (the attach mode or trigger does not work here), failed (the "
			 "kernel refused the variant), unfitted (measured, but no round gave a line "
			 "over K: no ns per call), incomplete (the run was interrupted)"),
	TEXT(CR, reason, "why not ok, in the kernel's, verifier's or libbpf's words (unfitted: why "
			 "no line over K)"),
	TEXT(CR, notes, "how to read the row (the alternate object, left-out triggers, inexact "
			"counts)"),
};

#define SR struct calls_bpf_stats_row
static const struct column stats_cols[] = {
	TEXT(SR, kernel, KERNEL_DOC),
	KEY_TEXT(SR, attach, ATTACH_DOC),
	KEY_TEXT(SR, trigger, TRIGGER_DOC),
	INT(SR, rounds, "rounds", "", MG_ID, MB_NONE, 1, "rounds with both cells"),
	INT(SR, programs, "programs", "", MG_CALL, MB_NONE, 1,
	    "programs attached to the trigger, each run once per trigger, none armed"),
	NUM(SR, off_ns, "stats off", "ns", MG_CALL, MB_LOWER, 1, 1,
	    "the driver's ns per trigger, kernel.bpf_stats_enabled off (mean over rounds)"),
	NUM(SR, on_ns, "stats on", "ns", MG_CALL, MB_LOWER, 1, 1,
	    "the same with it on (BPF_ENABLE_STATS fd held for the cell)"),
	NUM(SR, stats_ns, "per run", "ns", MG_CALL, MB_LOWER, 2, 1,
	    "(on - off) / programs per round: what the statistics add to every program run, mean "
	    "over rounds"),
	NUM(SR, ci_low, "CI low", "ns", MG_CALL, MB_LOWER, 2, 0, "stats_ns, 95% t interval low"),
	NUM(SR, ci_high, "CI high", "ns", MG_CALL, MB_LOWER, 2, 0, "stats_ns, 95% t interval high"),
	TEXT(SR, stats_were_on, "yes when kernel.bpf_stats_enabled was already 1 during an \"off\" "
				"cell (another process holds it on): the difference is then too small"),
	TEXT(SR, timing, TIMING_DOC),
	TEXT(SR, status, "ok, or what the run ended as"),
};

#define AR struct calls_attr_row
static const struct column attr_cols[] = {
	TEXT(AR, kernel, KERNEL_DOC),
	KEY_TEXT(AR, variant, VARIANT_DOC),
	KEY_TEXT(AR, attach, ATTACH_DOC),
	KEY_TEXT(AR, trigger, TRIGGER_DOC),
	KEY_TEXT(AR, program, "the timed program, or the tail-call hop (*_tc)"),
	INT(AR, prog_id, "prog id", "", MG_ID, MB_NONE, 0, "its id in the first load"),
	INT(AR, funcs, "funcs", "", MG_IMAGE, MB_NONE, 1,
	    "JIT functions: the program and its subprograms (bpf_prog_info.nr_jited_ksyms)"),
	INT(AR, insns, "insns", "", MG_IMAGE, MB_LOWER, 0, "x86 instructions (objdump)"),
	INT(AR, bytes, "bytes", "bytes", MG_IMAGE, MB_LOWER, 1,
	    "JIT image bytes (bpf_prog_info.jited_prog_len)"),
	INT(AR, bpf_calls, "bpf2bpf calls", "", MG_IMAGE, MB_NONE, 1,
	    "direct calls to a function of the program itself (a bpf2bpf call)"),
	INT(AR, kernel_calls, "kernel calls", "", MG_IMAGE, MB_NONE, 1,
	    "direct calls to kernel functions (helpers, kfuncs)"),
	INT(AR, tail_jumps, "tail jumps", "", MG_IMAGE, MB_NONE, 1,
	    "direct jumps into another BPF program or back into this one's prologue (a patched "
	    "tail call)"),
	INT(AR, ret_plain, "ret", "", MG_IMAGE, MB_NONE, 1, "plain ret instructions"),
	INT(AR, ret_thunk, "thunk returns", "", MG_IMAGE, MB_NONE, 1,
	    "jumps to a return thunk instead of ret (retbleed, SRSO, ITS, call depth tracking)"),
	TEXT(AR, return_thunk, "the return thunk, e.g. srso_alias_return_thunk"),
	INT(AR, call_depth, "call depth", "", MG_IMAGE, MB_NONE, 1,
	    "call-depth accounting instructions (sarq ..., %gs:...: retbleed=stuff)"),
	INT(AR, indirect, "indirect", "", MG_IMAGE, MB_NONE, 1,
	    "calls and jumps through a register or memory"),
	INT(AR, retpoline, "retpolines", "", MG_IMAGE, MB_NONE, 1,
	    "calls and jumps to __x86_indirect_*thunk_* (retpolines, ITS thunks)"),
	INT(AR, endbr, "endbr", "", MG_IMAGE, MB_NONE, 1, "endbr64 (IBT landing pads)"),
	INT(AR, push, "push", "", MG_IMAGE, MB_NONE, 0, "register saves"),
	INT(AR, pop, "pop", "", MG_IMAGE, MB_NONE, 0, "register restores"),
	TEXT(AR, kernel_targets, "kernel functions called, most called first: name x count"),
	TEXT(AR, image, "the image's files under dumps/calls-jit/ (.bin, .funcs)"),
	TEXT(AR, status, "ok, images-only (no objdump where it ran: the counts need `bpf2bpf-bench "
			 "calls --attribute DIR` on a host with binutils) or failed"),
	TEXT(AR, reason, "why not ok"),
};

const struct result_file calls_rounds_csv =
	FILE_DEF("calls-rounds.csv", "bpf2bpf-bench calls", 0, 0, RR, round_cols,
		 "everything the calls method measured: per load its status, per round and K each "
		 "variant's in-program ns per trigger; calls.csv is computed from it alone");
const struct result_file calls_csv =
	FILE_DEF("calls.csv", "bpf2bpf-bench calls", 0, 1, CR, calls_cols,
		 "per variant x attach x trigger: ns per handler call (slope over K), the fixed "
		 "cost, the mechanism's cost against inlining with Holm over the family, linearity");
const struct result_file calls_bpf_stats_csv =
	FILE_DEF("calls-bpf-stats.csv", "bpf2bpf-bench calls", 0, 1, SR, stats_cols,
		 "what kernel.bpf_stats_enabled (run-time statistics) adds per program run");
const struct result_file calls_attr_csv =
	FILE_DEF("calls-attribution.csv", "bpf2bpf-bench calls", 0, 1, AR, attr_cols,
		 "the timed programs' JIT images, their instructions counted by kind and their "
		 "call and jump targets named from /proc/kallsyms");
