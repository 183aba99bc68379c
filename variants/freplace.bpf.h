/* SPDX-License-Identifier: GPL-2.0 */
/* The freplace variant's contract: per attach mode, the signature of the
 * global stub the hooks call (variants/freplace.bpf.c) and of the extension
 * program that replaces it at load time (variants/freplace_ext.bpf.c),
 * written once here so the two cannot drift apart.
 *
 * What the kernel demands (tried on Debian 6.1, 6.12 and 7.2 in qemu):
 * - The call into the stub is checked against the stub's BTF like any global
 *   function's: scalars pass as scalars, a context only as a pointer to the
 *   program type's context struct (or with arg:ctx, 6.8+), a BTF pointer
 *   only with arg:trusted (6.8+; 6.1: "Caller passes invalid args").
 * - The extension's prototype must match the stub's: same number of
 *   arguments, integers of the same size, pointers only to structs of the
 *   same name. `void *ctx` fails it on every kernel ("arg0 in kp_ext() is
 *   not a pointer to context"): tracing contexts cannot be handed over.
 * - The extension's arguments are then verified as a global function's.
 * So the socket travels as the hook has it (a scalar from kprobe and
 * tracepoint, a trusted BTF pointer from tp_btf and fentry), and the context
 * only where it is a struct: kprobe (struct pt_regs, every kernel) and
 * tracepoint (its record, arg:ctx). Without a context the handler gets NULL,
 * which the verifier accepts as long as the perf buffer branch is pruned
 * (output perfbuf at tp_btf is refused in the verifier's words). fentry and
 * fexit programs cannot be extended at all ("Cannot extend fentry/fexit"):
 * the stub exists so the kernel can say so. */
#ifndef BPF2BPF_FREPLACE_BPF_H
#define BPF2BPF_FREPLACE_BPF_H

#include "common.bpf.h"

/* kprobe: every kernel tried. */
#define FREPLACE_KP_PARAMS struct pt_regs *ctx, __u64 sk
/* tracepoint: arg:ctx on the tracepoint's record (6.8+). */
#define FREPLACE_TP_PARAMS struct trace_event_raw_inet_sock_set_state *ctx __arg_ctx, __u64 sk
/* tp_btf: arg:trusted (6.8+), no context. */
#define FREPLACE_TPB_PARAMS struct sock *sk __arg_trusted
/* fentry: as tp_btf; the kernel refuses to extend a tracing program. */
#define FREPLACE_FE_PARAMS struct sock *sk __arg_trusted

/* The stubs' names: what SEC("freplace/...") of each extension names. */
#define FREPLACE_STUB_KP handle_new_conn_kp
#define FREPLACE_STUB_TP handle_new_conn_tp
#define FREPLACE_STUB_TPB handle_new_conn_tpb
#define FREPLACE_STUB_FE handle_new_conn_fe

#endif
