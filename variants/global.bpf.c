/* SPDX-License-Identifier: GPL-2.0 */
/* global: a non-static function, verified once on its own from its BTF
 * signature. Its arguments need decl tags for the verifier to accept a
 * context (arg:ctx, 6.7+) and a BTF socket pointer (arg:trusted, 6.8+);
 * kernels without them refuse the call, and that refusal is a result. */
#define HANDLER_LINKAGE __noinline
#define HANDLER_CTX_ARG __arg_ctx
#define HANDLER_SK_ARG __arg_trusted
#include "handler.bpf.h"
#define CALL_HANDLER(ctx, sk, slot) handle_new_conn(ctx, sk)
#include "hooks.bpf.h"
