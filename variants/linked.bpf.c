/* SPDX-License-Identifier: GPL-2.0 */
/* linked: the handler lives in its own object (variants/linked_handler.bpf.c) and is
 * joined to these hooks by `bpftool gen object`. Hidden visibility makes
 * libbpf treat it as a static subprogram (verified in the caller's context). */
#include "common.bpf.h"
extern int handle_new_conn(void *ctx, struct sock *sk) __hidden;
#define CALL_HANDLER(ctx, sk, slot) handle_new_conn(ctx, sk)
#include "hooks.bpf.h"
