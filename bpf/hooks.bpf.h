/* SPDX-License-Identifier: GPL-2.0 */
/* The hook programs: for every attach mode, one program at the active open
 * (tcp_connect) and one at the passive open (inet_csk_complete_hashdance).
 * Each filters (IPv4, our network namespace), counts, then calls the handler
 * through CALL_HANDLER(ctx, sk, slot), which the including variant defines;
 * it may use `mode`, the hook's attach mode (a constant: freplace calls one
 * stub signature per mode).
 *
 * Program names are <mode prefix><active|passive>[_tc]; user space selects a
 * mode by prefix (bench/attach_modes.c). All are declared SEC("?...") so none
 * loads unless the loader asks for it. */
#ifndef BPF2BPF_HOOKS_BPF_H
#define BPF2BPF_HOOKS_BPF_H

#include "common.bpf.h"

#ifndef CALL_HANDLER
#error "define CALL_HANDLER(ctx, sk, slot) before including hooks.bpf.h"
#endif

/* The attach mode of a hook: a constant at every call of on_conn(), so a
 * per-mode choice costs nothing at run time. Each section below sets
 * HOOK_MODE for the on_conn() calls in it. */
enum hook_mode { HOOK_KPROBE, HOOK_FENTRY, HOOK_TP_BTF, HOOK_TRACEPOINT };

#ifdef WITH_TAIL_TARGETS
/* Filled by the loader with the *_tc programs of the loaded mode. */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, TAIL__MAX);
	__type(key, __u32);
	__type(value, __u32);
} tail_progs SEC(".maps");

#endif

#ifdef BPF2BPF_CALLS
/* The calls method's objects (Makefile: build/calls/): K timed handler calls
 * per event instead of one; see bpf/calls.bpf.h. */
#include "calls.bpf.h"
#endif

/* The filter every variant (and the empty baseline) pays for. */
static __always_inline int on_conn_in(void *ctx, struct sock *sk, __u32 slot, enum hook_mode mode)
{
	if (!sk || BPF_CORE_READ(sk, __sk_common.skc_family) != AF_INET)
		return 0;
	if (target_netns && BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum) != target_netns)
		return 0;
	count(slot); /* CNT_ACTIVE == TAIL_ACTIVE, CNT_PASSIVE == TAIL_PASSIVE */
#ifdef BPF2BPF_CALLS
	return calls_timed(ctx, sk, slot, mode); /* K timed calls (bpf/calls.bpf.h) */
#endif
	CALL_HANDLER(ctx, sk, slot);
	return 0;
}
#define on_conn(ctx, sk, slot) on_conn_in(ctx, sk, slot, HOOK_MODE)

/* inet_sock_set_state transitions that mark the two opens: the client's
 * SYN_SENT -> ESTABLISHED (tcp_connect ran before it, source port assigned)
 * and the new child's SYN_RECV -> ESTABLISHED (after the hashdance). */
#define IS_ACTIVE_OPEN(o, n) ((o) == TCP_SYN_SENT && (n) == TCP_ESTABLISHED)
#define IS_PASSIVE_OPEN(o, n) ((o) == TCP_SYN_RECV && (n) == TCP_ESTABLISHED)
#ifndef BPF2BPF_NO_HOOKS /* the scaling sweep's objects bring their own programs (bpf/sweep.bpf.h) */
/* ---- kprobe: the reference demo's mode ---- */
#define HOOK_MODE HOOK_KPROBE
SEC("?kprobe/tcp_connect")
int BPF_KPROBE(kp_active, struct sock *sk)
{
	return on_conn(ctx, sk, TAIL_ACTIVE);
}

SEC("?kprobe/inet_csk_complete_hashdance")
int BPF_KPROBE(kp_passive, struct sock *parent, struct sock *child)
{
	return on_conn(ctx, child, TAIL_PASSIVE);
}

/* ---- fentry/fexit: BPF trampoline on the same two functions ---- */
#undef HOOK_MODE
#define HOOK_MODE HOOK_FENTRY
SEC("?fentry/tcp_connect")
int BPF_PROG(fe_active, struct sock *sk)
{
	return on_conn(ctx, sk, TAIL_ACTIVE);
}

/* fexit: the return value is the child that made it into the accept queue. */
SEC("?fexit/inet_csk_complete_hashdance")
int BPF_PROG(fe_passive, struct sock *parent, struct sock *child, struct request_sock *req,
	     bool own_req, struct sock *ret)
{
	return on_conn(ctx, ret, TAIL_PASSIVE);
}

/* ---- tp_btf: BTF-typed raw tracepoint ---- */
#undef HOOK_MODE
#define HOOK_MODE HOOK_TP_BTF
SEC("?tp_btf/inet_sock_set_state")
int BPF_PROG(tpb_active, struct sock *sk, int oldstate, int newstate)
{
	if (!IS_ACTIVE_OPEN(oldstate, newstate))
		return 0;
	return on_conn(ctx, sk, TAIL_ACTIVE);
}

SEC("?tp_btf/inet_sock_set_state")
int BPF_PROG(tpb_passive, struct sock *sk, int oldstate, int newstate)
{
	if (!IS_PASSIVE_OPEN(oldstate, newstate))
		return 0;
	return on_conn(ctx, sk, TAIL_PASSIVE);
}

/* ---- tracepoint: classic sock/inet_sock_set_state, sk as a scalar ---- */
#undef HOOK_MODE
#define HOOK_MODE HOOK_TRACEPOINT
SEC("?tracepoint/sock/inet_sock_set_state")
int tp_active(struct trace_event_raw_inet_sock_set_state *args)
{
	if (!IS_ACTIVE_OPEN(args->oldstate, args->newstate))
		return 0;
	return on_conn(args, (struct sock *)args->skaddr, TAIL_ACTIVE);
}

SEC("?tracepoint/sock/inet_sock_set_state")
int tp_passive(struct trace_event_raw_inet_sock_set_state *args)
{
	if (!IS_PASSIVE_OPEN(args->oldstate, args->newstate))
		return 0;
	return on_conn(args, (struct sock *)args->skaddr, TAIL_PASSIVE);
}
#undef HOOK_MODE /* on_conn() below here would be a mistake */

#ifdef WITH_TAIL_TARGETS
#ifdef BPF2BPF_CALLS
/* In the calls objects each target is one hop of a chain of K (calls_hop in
 * bpf/calls.bpf.h): the handler, then a jump to itself until K hops ran. */
#define handle_new_conn calls_hop
#endif
/* Tail-call targets: same program type and hook as their entry, loaded but
 * never attached; the loader puts them in tail_progs[slot]. They take the
 * socket from the same ctx the entry program saw. */
SEC("?kprobe/tcp_connect")
int BPF_KPROBE(kp_active_tc, struct sock *sk)
{
	return handle_new_conn(ctx, sk);
}

SEC("?kprobe/inet_csk_complete_hashdance")
int BPF_KPROBE(kp_passive_tc, struct sock *parent, struct sock *child)
{
	return handle_new_conn(ctx, child);
}

SEC("?fentry/tcp_connect")
int BPF_PROG(fe_active_tc, struct sock *sk)
{
	return handle_new_conn(ctx, sk);
}

SEC("?fexit/inet_csk_complete_hashdance")
int BPF_PROG(fe_passive_tc, struct sock *parent, struct sock *child, struct request_sock *req,
	     bool own_req, struct sock *ret)
{
	return handle_new_conn(ctx, ret);
}

SEC("?tp_btf/inet_sock_set_state")
int BPF_PROG(tpb_active_tc, struct sock *sk)
{
	return handle_new_conn(ctx, sk);
}

SEC("?tp_btf/inet_sock_set_state")
int BPF_PROG(tpb_passive_tc, struct sock *sk)
{
	return handle_new_conn(ctx, sk);
}

SEC("?tracepoint/sock/inet_sock_set_state")
int tp_active_tc(struct trace_event_raw_inet_sock_set_state *args)
{
	return handle_new_conn(args, (struct sock *)args->skaddr);
}

SEC("?tracepoint/sock/inet_sock_set_state")
int tp_passive_tc(struct trace_event_raw_inet_sock_set_state *args)
{
	return handle_new_conn(args, (struct sock *)args->skaddr);
}
#endif
#endif /* BPF2BPF_NO_HOOKS */
char LICENSE[] SEC("license") = "GPL";

#endif
