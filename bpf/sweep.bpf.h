/* SPDX-License-Identifier: GPL-2.0 */
/* Program shapes of the scaling sweep. A generated source (scripts/
 * sweep-gen.sh writes build/sweep/src/<object>.bpf.c) includes
 * bpf/sweep_handler.bpf.h, then a variant with BPF2BPF_NO_HOOKS — its
 * HANDLER_LINKAGE, decl tags, maps and CALL_HANDLER, none of its programs —
 * then this file, then its programs:
 *
 *   SWEEP_PROG(calls_N) { SWEEP_ENTER(); SWEEP_SITE(0) ... SWEEP_SITE(N-1) SWEEP_LEAVE(); }
 *   SWEEP_LOOP_PROG()     the call in a bounded loop of sweep_trips iterations
 *   SWEEP_BPFLOOP_PROG()  the call in a bpf_loop callback, sweep_trips times
 *   SWEEP_PROG(progs_K)   one of M programs calling the handler once
 *
 * Every shape is a tp_btf program tpb_<shape> and, with CO-RE reads and unless
 * SWEEP_NO_TRACEPOINT, a classic tracepoint program tp_<shape>; all are
 * SEC("?..."): nothing loads unless the loader asks for it. Every program of
 * one object calls the same subprograms, so an object's .text belongs to each
 * of them (bench/kernel/sweep_core.c relies on it for ELF code bytes).
 *
 * The programs are loaded, never attached: they have no filter and no
 * counter (the hooks' filter is a constant prologue that cancels in every
 * comparison between variants), only a check that the socket is there. */
#ifndef BPF2BPF_SWEEP_BPF_H
#define BPF2BPF_SWEEP_BPF_H

#ifndef BPF2BPF_NO_HOOKS
#error "include the variant with BPF2BPF_NO_HOOKS defined before sweep.bpf.h"
#endif

/* Load-time knobs: unknown to clang (volatile), constants to the verifier
 * (.rodata is frozen before load). A call site k runs when sweep_sites > k:
 * a distinct condition per site and a volatile read between sites, so clang
 * can neither merge the calls nor hoist one site's reads into another's. */
const volatile __u32 sweep_sites = 0xffffffff;
const volatile __u32 sweep_trips = 1;

#define SWEEP_ENTER()                \
	do {                         \
		if (!sk)             \
			return 0;    \
	} while (0)
#define SWEEP_SITE(k)                                       \
	if (sweep_sites > (k))                              \
		CALL_HANDLER(ctx, sk, TAIL_ACTIVE);
#define SWEEP_LEAVE() return 0

#if defined(SWEEP_STYLE_BTF) || defined(SWEEP_NO_TRACEPOINT)
/* Direct loads need a BTF pointer, a classic tracepoint hands over a scalar;
 * SWEEP_NO_TRACEPOINT saves the compile time of large objects. */
#define SWEEP_TP_PROG(shape)
#else
#define SWEEP_TP_PROG(shape)                                                            \
	SEC("?tracepoint/sock/inet_sock_set_state")                                     \
	int tp_##shape(struct trace_event_raw_inet_sock_set_state *args)                \
	{                                                                               \
		return shape##_body(args, (struct sock *)args->skaddr);                 \
	}
#endif

/* Both hooks of one shape share one body; the body follows the macro. */
#define SWEEP_PROG(shape)                                                     \
	static __always_inline int shape##_body(void *ctx, struct sock *sk);  \
	SEC("?tp_btf/inet_sock_set_state")                                    \
	int BPF_PROG(tpb_##shape, struct sock *sk)                            \
	{                                                                     \
		return shape##_body(ctx, sk);                                 \
	}                                                                     \
	SWEEP_TP_PROG(shape)                                                  \
	static __always_inline int shape##_body(void *ctx, struct sock *sk)

/* The loop axis: sweep_trips is a constant to the verifier, so it walks the
 * loop once per iteration; clang cannot unroll what it does not know. */
#define SWEEP_LOOP_PROG()                                     \
	SWEEP_PROG(loop)                                      \
	{                                                     \
		SWEEP_ENTER();                                \
		for (__u32 i = 0; i < sweep_trips; i++)       \
			CALL_HANDLER(ctx, sk, TAIL_ACTIVE);   \
		SWEEP_LEAVE();                                \
	}

/* bpf_loop (5.17+): the callback is verified on its own, not once per trip.
 * Defined with the program, so objects without it have no callback in .text. */
struct sweep_loop_ctx {
	void *ctx;
	struct sock *sk;
};

#define SWEEP_BPFLOOP_PROG()                                              \
	static long sweep_loop_cb(__u32 i, void *data)                    \
	{                                                                 \
		struct sweep_loop_ctx *c = data;                          \
		CALL_HANDLER(c->ctx, c->sk, TAIL_ACTIVE);                 \
		return 0;                                                 \
	}                                                                 \
	SWEEP_PROG(bpfloop)                                               \
	{                                                                 \
		struct sweep_loop_ctx c = {.ctx = ctx, .sk = sk};         \
		SWEEP_ENTER();                                            \
		bpf_loop(sweep_trips, sweep_loop_cb, &c, 0);              \
		SWEEP_LEAVE();                                            \
	}

#ifdef WITH_TAIL_TARGETS
/* The tail-call variant on the programs axis: M entry programs jump through
 * tail_progs[TAIL_ACTIVE] into this one program holding the handler. */
SEC("?tp_btf/inet_sock_set_state")
int BPF_PROG(tpb_sweep_tc, struct sock *sk)
{
	return handle_new_conn(ctx, sk);
}

#if !defined(SWEEP_STYLE_BTF) && !defined(SWEEP_NO_TRACEPOINT)
SEC("?tracepoint/sock/inet_sock_set_state")
int tp_sweep_tc(struct trace_event_raw_inet_sock_set_state *args)
{
	return handle_new_conn(args, (struct sock *)args->skaddr);
}
#endif
#endif

#endif
