/* SPDX-License-Identifier: GPL-2.0 */
/* THE handler, written once. Every variant includes this file; they differ only
 * in HANDLER_LINKAGE (how the function is linked) and in how the hooks call it
 * (CALL_HANDLER in variants/<name>.bpf.c), never in what it does. It reads the
 * four addresses of a new connection's socket with CO-RE and emits them as one
 * packed struct conn_event. Its line numbers are in every object's line info
 * (.BTF.ext): moving it changes every variant's object, so mind the count. */
#ifndef BPF2BPF_HANDLER_BPF_H
#define BPF2BPF_HANDLER_BPF_H
#include "common.bpf.h"
#ifndef HANDLER_LINKAGE
#error "define HANDLER_LINKAGE (e.g. static __noinline) before including handler.bpf.h"
#endif
/* Decl tags for the arguments; only a global function needs them (see
 * variants/global.bpf.c). */
#ifndef HANDLER_CTX_ARG
#define HANDLER_CTX_ARG
#endif
#ifndef HANDLER_SK_ARG
#define HANDLER_SK_ARG
#endif
#ifndef HANDLER_EXTRA /* work added by the scaling sweep's size axis (bpf/sweep_handler.bpf.h) */
#define HANDLER_EXTRA(sk) /* none: it expands to nothing, so no code and no line info */
#endif
HANDLER_LINKAGE int handle_new_conn(void *ctx HANDLER_CTX_ARG, struct sock *sk HANDLER_SK_ARG)
{
	struct conn_event ev;
	HANDLER_EXTRA(sk);
	ev.saddr = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
	ev.daddr = BPF_CORE_READ(sk, __sk_common.skc_daddr);
	ev.sport = bpf_htons(BPF_CORE_READ(sk, __sk_common.skc_num));
	ev.dport = BPF_CORE_READ(sk, __sk_common.skc_dport);
	return emit_event(ctx, &ev);
}

#endif
