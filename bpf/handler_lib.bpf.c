/* SPDX-License-Identifier: GPL-2.0 */
/* The handler compiled alone, for the `linked` variant: maps and knobs are
 * extern here and resolved against variants/linked.bpf.c at link time. */
#define BPF2BPF_EXTERN_STATE 1
#define HANDLER_LINKAGE __hidden __noinline
#include "handler.bpf.h"
