/* SPDX-License-Identifier: GPL-2.0 */
/* global: a non-static function, verified once on its own from its BTF
 * signature. Its arguments need decl tags for the verifier to accept a
 * context (arg:ctx, 6.7+) and a BTF socket pointer (arg:trusted, 6.8+);
 * kernels without them refuse the call, and that refusal is a result. */
#define HANDLER_LINKAGE __noinline
#define HANDLER_CTX_ARG __arg_ctx
#if defined(BPF2BPF_CALLS) && !defined(BPF2BPF_CALLS_ALT)
/* The calls objects (bpf/calls.bpf.h) also call it from the synthetic
 * trigger, which has no trusted socket: arg:untrusted takes trusted pointers
 * and bpf_rdonly_cast() ones alike (6.18; the JIT code is the same). Kernels
 * that refuse it get the alternate calls object (the Makefile builds one for
 * every variant that names BPF2BPF_CALLS_ALT), with arg:trusted. */
#define HANDLER_SK_ARG __attribute__((btf_decl_tag("arg:untrusted")))
#else
#define HANDLER_SK_ARG __arg_trusted
#endif
#include "handler.bpf.h"
#define CALL_HANDLER(ctx, sk, slot) handle_new_conn(ctx, sk)
#include "hooks.bpf.h"
