/* SPDX-License-Identifier: GPL-2.0 */
/* tailcall: each hook jumps through a BPF_MAP_TYPE_PROG_ARRAY into a program
 * of its own that holds the (inlined) handler. */
#define HANDLER_LINKAGE static __always_inline
#include "handler.bpf.h"
#define CALL_HANDLER(ctx, sk, slot) bpf_tail_call_static(ctx, &tail_progs, slot)
#define WITH_TAIL_TARGETS 1
#include "hooks.bpf.h"
