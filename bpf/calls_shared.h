/* SPDX-License-Identifier: GPL-2.0 */
/* The contract between the `calls` programs (bpf/calls.bpf.h) and the
 * measuring core in user space (bench/methods/calls_core.c): the run-time
 * knobs, the per-CPU accumulators and their slots. */
#ifndef BPF2BPF_CALLS_SHARED_H
#define BPF2BPF_CALLS_SHARED_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Most handler calls (or tail-call hops) per trigger. A chain of tail calls
 * stops after 33 jumps (MAX_TAIL_CALL_CNT), so 32 hops always fit. */
#define CALLS_MAX_K 32
/* Most kfunc triggers one BPF_PROG_TEST_RUN of the driver fires. */
#define CALLS_MAX_BATCH 1024

/* Written by user space before each cell (array map `calls_cfg`, one entry).
 * K is a run-time value, not a load-time constant: every K of a variant runs
 * the very same JIT image, so the slope over K sees only the extra calls,
 * never a different code placement per K. */
struct calls_cfg {
	__u32 k;	/* handler calls (tail: hops) per trigger, <= CALLS_MAX_K */
	__u32 armed;	/* 0: the programs return at once, nothing timed */
	__u32 nonce;	/* synthetic: the bpf_trigger_tp argument our driver passes */
	__u32 batch;	/* synthetic: triggers per driver run, <= CALLS_MAX_BATCH */
	__u64 sk_addr;	/* synthetic: address of a live socket of the harness */
	__u64 max_ns;	/* a trigger timed above this was interrupted or its vCPU
			 * descheduled: counted in `over`, left out of ns/runs;
			 * 0: keep everything */
};

/* Per-CPU sums (map `calls_acc`), one entry per slot below. */
struct calls_acc {
	__u64 ns;	/* bpf_ktime_get_ns() deltas around the K calls */
	__u64 runs;	/* triggers timed */
	__u64 fail;	/* tail chain cut short (a tail call that did not jump) */
	__u64 over;	/* triggers left out: above calls_cfg.max_ns */
};

enum calls_slot {
	CALLS_ACC_ACTIVE = 0,  /* real hook, active open (also: the synthetic trigger) */
	CALLS_ACC_PASSIVE = 1, /* real hook, passive open */
	CALLS_ACC_DRIVER = 2,  /* synthetic: the driver's own loop, per kfunc trigger */
	CALLS_ACC_FOREIGN = 3, /* synthetic: bpf_trigger_tp fired by someone else */
	CALLS_ACC__MAX = 4,
};

/* The socket capture (sy_capture) writes here: array map `calls_sock`. */
struct calls_sock {
	__u64 addr;
	__u64 seen;
};

#endif
