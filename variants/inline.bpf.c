/* SPDX-License-Identifier: GPL-2.0 */
/* inline: the handler is copied into each hook by the compiler. */
#define HANDLER_LINKAGE static __always_inline
#include "handler.bpf.h"
#define CALL_HANDLER(ctx, sk, slot) handle_new_conn(ctx, sk)
#include "hooks.bpf.h"
