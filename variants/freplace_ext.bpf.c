/* SPDX-License-Identifier: GPL-2.0 */
/* Part of the `freplace` variant (variants.def: ext): its extension object,
 * loaded at load time, never linked. The one handler (handler.bpf.h,
 * inlined, so each extension program is the handler itself) as one
 * BPF_PROG_TYPE_EXT program per attach mode, each replacing that mode's
 * stub of variants/freplace.bpf.c. Program names carry the mode's prefix,
 * so the loader picks them as it picks the hooks. The loader points the
 * program at a loaded hook (bpf_program__set_attach_target) and makes this
 * object's maps the hooks' own, so events reach the same buffers. */
#define HANDLER_LINKAGE static __always_inline
#include "handler.bpf.h"
#include "freplace.bpf.h"

#define STR(x) #x
#define XSTR(x) STR(x)

SEC("?freplace/" XSTR(FREPLACE_STUB_KP))
int kp_ext(FREPLACE_KP_PARAMS)
{
	return handle_new_conn(ctx, (struct sock *)sk);
}

SEC("?freplace/" XSTR(FREPLACE_STUB_TP))
int tp_ext(FREPLACE_TP_PARAMS)
{
	return handle_new_conn(ctx, (struct sock *)sk);
}

/* No context to hand on: see freplace.bpf.h. */
SEC("?freplace/" XSTR(FREPLACE_STUB_TPB))
int tpb_ext(FREPLACE_TPB_PARAMS)
{
	return handle_new_conn(NULL, sk);
}

SEC("?freplace/" XSTR(FREPLACE_STUB_FE))
int fe_ext(FREPLACE_FE_PARAMS)
{
	return handle_new_conn(NULL, sk);
}

char LICENSE[] SEC("license") = "GPL";
