/* SPDX-License-Identifier: GPL-2.0 */
/* empty: the same hooks, filter and counter with no handler: the baseline
 * every overhead is measured against. */
#define CALL_HANDLER(ctx, sk, slot) ((void)0)
#include "hooks.bpf.h"
