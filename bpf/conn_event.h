/* SPDX-License-Identifier: GPL-2.0 */
/* The one contract between the BPF programs and user space: the event the
 * handler emits, and the knobs and counters both sides index by name. */
#ifndef BPF2BPF_CONN_EVENT_H
#define BPF2BPF_CONN_EVENT_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* A new TCP connection, network byte order, exactly as the kernel stores it.
 * saddr/sport are the local end, daddr/dport the peer. */
struct conn_event {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
} __attribute__((packed));

/* How the handler hands an event to user space (rodata knob `output_mode`). */
enum output_mode {
	OUTPUT_RINGBUF = 0,	    /* bpf_ringbuf_output(.., 0): consumer woken per event */
	OUTPUT_RINGBUF_NOWAKEUP = 1, /* BPF_RB_NO_WAKEUP: consumer polls on a timer */
	OUTPUT_PERFBUF = 2,	    /* bpf_perf_event_output, the reference demo's */
	OUTPUT_NONE = 3,	    /* event built, not emitted: the call mechanism alone */
	OUTPUT__COUNT = 4,
};

/* Slots of the per-CPU `counters` array. */
enum counter_slot {
	CNT_ACTIVE = 0,  /* active opens that passed the hook filter */
	CNT_PASSIVE = 1, /* passive opens that passed the hook filter */
	CNT_DROPS = 2,	 /* events the output helper refused (buffer full) */
	CNT__MAX = 3,
};

/* Slots of the tail-call program array. */
enum tail_slot {
	TAIL_ACTIVE = 0,
	TAIL_PASSIVE = 1,
	TAIL__MAX = 2,
};

#define RINGBUF_BYTES (1 << 22)

#endif
