/* SPDX-License-Identifier: GPL-2.0 */
/* The `calls` method's programs: the same hooks, filter and handler as every
 * variant, but each trigger calls the handler K times (K set at run time) and
 * times those K calls inside the program with bpf_ktime_get_ns(), so neither
 * the kernel's run-time statistics nor the hook dispatch are in the figure.
 *
 * hooks.bpf.h includes this file when BPF2BPF_CALLS is defined: the Makefile
 * compiles every variants/<name>.bpf.c a second time that way into objects
 * of their own (build/calls/<name>.bpf.o), so the variants' objects that
 * `sizes` and `overhead` load stay byte for byte what they were. A variant
 * still differs only in HANDLER_LINKAGE and CALL_HANDLER: the code around the
 * K calls below is one source for all of them.
 *
 * Programs (all SEC("?..."): nothing loads unless asked for):
 * - the hook programs of hooks.bpf.h (kp_, fe_, tpb_, tp_): on_conn() ends in
 *   calls_timed() instead of one handler call;
 * - sy_active: tp_btf/bpf_trigger_tp, the synthetic trigger, fired by
 *   sy_driver (a raw_tp program run with BPF_PROG_TEST_RUN that calls the
 *   kfunc bpf_modify_return_test_tp() `batch` times, as the selftests'
 *   bench_trigger does); its socket is a live one of the harness, caught by
 *   sy_capture at inet_sock_set_state;
 * - tailcall variant: a chain of K tail calls instead of a loop; the *_tc
 *   targets become hops (calls_hop). */
#ifndef BPF2BPF_CALLS_BPF_H
#define BPF2BPF_CALLS_BPF_H

#include "calls_shared.h"

/* Weak: an object that names a kfunc the kernel lacks still loads its other
 * programs; a program that calls it is refused, in the verifier's words. */
extern int bpf_modify_return_test_tp(int nonce) __ksym __weak;
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct calls_cfg);
} calls_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct calls_sock);
} calls_sock SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CALLS_ACC__MAX);
	__type(key, __u32);
	__type(value, struct calls_acc);
} calls_acc SEC(".maps");

static __always_inline struct calls_cfg *calls_cfg_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&calls_cfg, &zero);
}

/* Stop the clock first, then book: nothing below is in the figure. A
 * trigger above max_ns (an interrupt, or the vCPU descheduled, inside the
 * timed region) is counted apart instead of added. */
static __always_inline void calls_account(__u32 slot, __u64 t0, __u32 runs)
{
	__u64 dt = bpf_ktime_get_ns() - t0;
	struct calls_acc *a = bpf_map_lookup_elem(&calls_acc, &slot);
	struct calls_cfg *cfg = calls_cfg_get();

	if (!a || !cfg)
		return;
	if (cfg->max_ns && dt > cfg->max_ns && slot != CALLS_ACC_DRIVER) {
		a->over++;
		return;
	}
	a->ns += dt; /* per-CPU entry: no atomics */
	a->runs += runs;
}

static __always_inline void calls_count_fail(__u32 slot)
{
	struct calls_acc *a = bpf_map_lookup_elem(&calls_acc, &slot);

	if (a)
		a->fail++;
}

#ifdef WITH_TAIL_TARGETS
/* A tail call passes nothing but ctx: the chain's state is per CPU. */
struct calls_chain {
	__u64 t0;
	__u32 left; /* hops still to run, this one included */
	__u32 slot;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct calls_chain);
} calls_chain SEC(".maps");

/* One hop: the handler, then a jump to the same program until K hops ran.
 * Both jumps have a constant slot, so the verifier patches them into
 * direct jumps as it does for the hooks' bpf_tail_call_static(). */
static __always_inline int calls_hop(void *ctx, struct sock *sk)
{
	__u32 zero = 0;
	struct calls_chain *ch;

	handle_new_conn(ctx, sk);
	ch = bpf_map_lookup_elem(&calls_chain, &zero);
	if (!ch)
		return 0;
	if (ch->left > 1) {
		ch->left--;
		if (ch->slot == TAIL_ACTIVE)
			bpf_tail_call_static(ctx, &tail_progs, TAIL_ACTIVE);
		else
			bpf_tail_call_static(ctx, &tail_progs, TAIL_PASSIVE);
		calls_count_fail(ch->slot); /* reached only when the jump failed */
		return 0;
	}
	calls_account(ch->slot, ch->t0, 1);
	return 0;
}
#endif

/* K handler calls on sk, timed; slot is the hook's (TAIL_ACTIVE/PASSIVE,
 * equal to CALLS_ACC_ACTIVE/PASSIVE). `mode` is in scope for CALL_HANDLER:
 * a variant whose call differs by attach mode (a per-mode stub, like the
 * freplace variant's) reads it there; the others ignore it. */
static __always_inline int calls_timed(void *ctx, struct sock *sk, __u32 slot, int mode)
{
	struct calls_cfg *cfg = calls_cfg_get();
	__u32 k;
	__u64 t0;

	if (!cfg || !cfg->armed)
		return 0;
	k = cfg->k;
#ifdef WITH_TAIL_TARGETS
	{
		__u32 zero = 0;
		struct calls_chain *ch = bpf_map_lookup_elem(&calls_chain, &zero);

		if (!ch)
			return 0;
		ch->left = k;
		ch->slot = slot;
		t0 = bpf_ktime_get_ns();
		ch->t0 = t0;
		if (k) {
			CALL_HANDLER(ctx, sk, slot); /* no return when it jumps */
			calls_count_fail(slot);
			return 0;
		}
		calls_account(slot, t0, 1);
	}
#else
	t0 = bpf_ktime_get_ns();
	/* The same loop for every variant: not unrolled, and kept even when
	 * CALL_HANDLER is empty (the `empty` variant: the loop's own cost). */
#pragma clang loop unroll(disable)
	for (__u32 i = 0; i < CALLS_MAX_K; i++) {
		if (i >= k)
			break;
		barrier_var(i);
		CALL_HANDLER(ctx, sk, slot);
	}
	calls_account(slot, t0, 1);
#endif
	return 0;
}

/* ---- the synthetic trigger ---- */

/* The harness's socket as the verifier accepts it everywhere: an untrusted
 * BTF pointer (bpf_rdonly_cast, 6.2+; the verifier turns the call into a
 * register move). Read with CO-RE, as the handler does at the real hooks. */
static __always_inline struct sock *calls_synthetic_sock(const struct calls_cfg *cfg)
{
	return bpf_rdonly_cast((void *)cfg->sk_addr, bpf_core_type_id_kernel(struct sock));
}

SEC("?tp_btf/bpf_trigger_tp")
int BPF_PROG(sy_active, int nonce)
{
	struct calls_cfg *cfg = calls_cfg_get();

	if (!cfg || nonce != (int)cfg->nonce) {
		__u64 t0 = bpf_ktime_get_ns();

		calls_account(CALLS_ACC_FOREIGN, t0, 1); /* someone else's trigger */
		return 0;
	}
	/* a tp_btf program: a variant with per-mode calls (freplace) calls its
	 * tp_btf one */
	return calls_timed(ctx, calls_synthetic_sock(cfg), TAIL_ACTIVE, HOOK_TP_BTF);
}

#ifdef WITH_TAIL_TARGETS
SEC("?tp_btf/bpf_trigger_tp")
int BPF_PROG(sy_active_tc, int nonce)
{
	struct calls_cfg *cfg = calls_cfg_get();

	if (!cfg)
		return 0;
	return calls_hop(ctx, calls_synthetic_sock(cfg));
}
#endif

/* Fires bpf_trigger_tp `batch` times and times the whole loop: the cost of a
 * trigger with every attached program, kernel statistics included when they
 * are on (that is how their cost is measured). */
SEC("?raw_tp")
int sy_driver(void *ctx)
{
	struct calls_cfg *cfg = calls_cfg_get();
	__u32 n, nonce;
	__u64 t0;

	if (!cfg)
		return 0;
	n = cfg->batch;
	nonce = cfg->nonce;
	t0 = bpf_ktime_get_ns();
	for (__u32 i = 0; i < CALLS_MAX_BATCH; i++) {
		if (i >= n)
			break;
		bpf_modify_return_test_tp(nonce);
	}
	calls_account(CALLS_ACC_DRIVER, t0, n < CALLS_MAX_BATCH ? n : CALLS_MAX_BATCH);
	return 0;
}

/* Keeps the address of an established IPv4 socket of our network namespace:
 * the harness holds that connection open while the synthetic trigger runs. */
SEC("?tp_btf/inet_sock_set_state")
int BPF_PROG(sy_capture, struct sock *sk, int oldstate, int newstate)
{
	__u32 zero = 0;
	struct calls_sock *cs;

	if (newstate != TCP_ESTABLISHED || BPF_CORE_READ(sk, __sk_common.skc_family) != AF_INET)
		return 0;
	if (target_netns && BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum) != target_netns)
		return 0;
	cs = bpf_map_lookup_elem(&calls_sock, &zero);
	if (!cs)
		return 0;
	cs->addr = (__u64)(unsigned long)sk;
	cs->seen++;
	return 0;
}

#endif
