/* SPDX-License-Identifier: GPL-2.0 */
/* freplace: the hooks call a global stub that does nothing; at load time the
 * loader replaces it with the handler, compiled in an object of its own
 * (variants/freplace_ext.bpf.c, variants.def: ext) and loaded as an
 * extension program (BPF_PROG_TYPE_EXT) targeting the stub. One stub per
 * attach mode, because what a hook may hand over differs by mode
 * (variants/freplace.bpf.h). */
#include "freplace.bpf.h"

/* __weak: the definition is meant to be replaced, so clang may neither
 * assume its body (that it ignores its arguments and returns 0) nor drop the
 * call; it stays a global function (BTF linkage global), the only kind the
 * kernel lets an extension replace. */
#define FREPLACE_STUB(name, params)                                                                \
	__weak __noinline int name(params)                                                         \
	{                                                                                          \
		return 0;                                                                          \
	}
#define PARAMS(...) __VA_ARGS__

FREPLACE_STUB(FREPLACE_STUB_KP, PARAMS(FREPLACE_KP_PARAMS))
FREPLACE_STUB(FREPLACE_STUB_TP, PARAMS(FREPLACE_TP_PARAMS))
FREPLACE_STUB(FREPLACE_STUB_TPB, PARAMS(FREPLACE_TPB_PARAMS))
FREPLACE_STUB(FREPLACE_STUB_FE, PARAMS(FREPLACE_FE_PARAMS))

/* `mode` (hooks.bpf.h) is a constant in each hook, so clang keeps exactly
 * one call. */
#define CALL_HANDLER(ctx, sk, slot)                                                                \
	((mode) == HOOK_KPROBE	   ? FREPLACE_STUB_KP(ctx, (__u64)(sk))                            \
	 : (mode) == HOOK_TRACEPOINT ? FREPLACE_STUB_TP(ctx, (__u64)(sk))                          \
	 : (mode) == HOOK_TP_BTF     ? FREPLACE_STUB_TPB(sk)                                       \
				     : FREPLACE_STUB_FE(sk))
#include "hooks.bpf.h"
