/* SPDX-License-Identifier: GPL-2.0 */
/* Part of the `linked` variant (variants.def: link_with): the handler
 * compiled alone. Its maps and knobs are extern here, resolved against
 * variants/linked.bpf.c at link time. */
#define BPF2BPF_EXTERN_STATE 1
#define HANDLER_LINKAGE __hidden __noinline
#include "handler.bpf.h"
