/* SPDX-License-Identifier: GPL-2.0 */
/* State shared by every variant: maps, load-time knobs, the event output and
 * the hook filter. Nothing here differs between variants, so every variant pays
 * exactly the same for it and the `empty` baseline subtracts it out. */
#ifndef BPF2BPF_COMMON_BPF_H
#define BPF2BPF_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "conn_event.h"

#ifndef AF_INET
#define AF_INET 2
#endif

/* BTF decl tags the verifier reads on global-function arguments (6.7+/6.8+);
 * older libbpf headers lack the names. */
#ifndef __arg_ctx
#define __arg_ctx __attribute__((btf_decl_tag("arg:ctx")))
#endif
#ifndef __arg_trusted
#define __arg_trusted __attribute__((btf_decl_tag("arg:trusted")))
#endif

/* The `linked` variant compiles the handler into an object of its own; that
 * object refers to the state below and the static linker (`bpftool gen
 * object`) resolves it against the one definition in the hooks' object. */
#ifdef BPF2BPF_EXTERN_STATE
#define STATE_LINKAGE extern
#else
#define STATE_LINKAGE
#endif

/* Load-time knobs, set by the loader through .rodata before load: constant to
 * the verifier, which prunes the output branches that are not taken. */
STATE_LINKAGE const volatile __u32 output_mode;	 /* enum output_mode */
STATE_LINKAGE const volatile __u32 target_netns; /* netns inode; 0 = any */

STATE_LINKAGE struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, RINGBUF_BYTES);
} events_rb SEC(".maps");

STATE_LINKAGE struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events_pb SEC(".maps");

STATE_LINKAGE struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CNT__MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

static __always_inline void count(__u32 slot)
{
	__u64 *c = bpf_map_lookup_elem(&counters, &slot);

	if (c)
		*c += 1; /* per-CPU slot: no atomic needed */
}

/* Hand one event to user space the way `output_mode` says; a refusal (buffer
 * full) is counted, never silent. */
static __always_inline int emit_event(void *ctx, struct conn_event *ev)
{
	long err;

	switch (output_mode) {
	case OUTPUT_RINGBUF:
		err = bpf_ringbuf_output(&events_rb, ev, sizeof(*ev), 0);
		break;
	case OUTPUT_RINGBUF_NOWAKEUP:
		err = bpf_ringbuf_output(&events_rb, ev, sizeof(*ev), BPF_RB_NO_WAKEUP);
		break;
	case OUTPUT_PERFBUF:
		err = bpf_perf_event_output(ctx, &events_pb, BPF_F_CURRENT_CPU, ev, sizeof(*ev));
		break;
	default:
		return 0;
	}
	if (err)
		count(CNT_DROPS);
	return 0;
}

#endif
