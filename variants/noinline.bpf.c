/* SPDX-License-Identifier: GPL-2.0 */
/* noinline: a static function called with a bpf2bpf call; verified in the
 * caller's context; libbpf appends a copy to every program that calls it. */
#define HANDLER_LINKAGE static __noinline
#include "handler.bpf.h"
#define CALL_HANDLER(ctx, sk, slot) handle_new_conn(ctx, sk)
#include "hooks.bpf.h"
