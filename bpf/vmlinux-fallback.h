/* SPDX-License-Identifier: GPL-2.0 */
/* The build's fallback when the build machine has no kernel BTF to generate
 * vmlinux.h from: just the types the handler and hooks touch. Every struct
 * is preserve_access_index, so libbpf relocates each field access against
 * the running kernel's BTF at load time (CO-RE): layouts here need only the
 * right names and types, not the right offsets. UAPI constants are stable ABI.
 * Self-contained on purpose: <linux/bpf.h> pulls <asm/types.h>, which is not
 * on the BPF target's include path. */
#ifndef __VMLINUX_H__
#define __VMLINUX_H__

typedef unsigned char __u8;
typedef signed char __s8;
typedef unsigned short __u16;
typedef short __s16;
typedef unsigned int __u32;
typedef int __s32;
typedef unsigned long long __u64;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef _Bool bool;
#define true 1
#define false 0

enum bpf_map_type {
	BPF_MAP_TYPE_ARRAY = 2, /* the calls method's maps (bpf/calls.bpf.h) */
	BPF_MAP_TYPE_PROG_ARRAY = 3,
	BPF_MAP_TYPE_PERF_EVENT_ARRAY = 4,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_RINGBUF = 27,
};

enum {
	BPF_ANY = 0,
	BPF_RB_NO_WAKEUP = 1,
};
#define BPF_F_CURRENT_CPU 0xffffffffULL

enum {
	TCP_ESTABLISHED = 1,
	TCP_SYN_SENT = 2,
	TCP_SYN_RECV = 3,
};

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

/* x86-64 kernel register names, as bpf_tracing.h expects with __VMLINUX_H__. */
struct pt_regs {
	unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, ax, cx, dx, si, di;
	unsigned long orig_ax, ip, cs, flags, sp, ss;
};

struct ns_common {
	unsigned int inum;
};

struct net {
	struct ns_common ns;
};

typedef struct {
	struct net *net;
} possible_net_t;

struct in6_addr {
	union {
		__u8 u6_addr8[16];
		__be16 u6_addr16[8];
		__be32 u6_addr32[4];
	} in6_u;
};

/* The fields after skc_net, and struct sock's own, are what the scaling
 * sweep's handler-size units read (bpf/sweep_handler.bpf.h). */
struct sock_common {
	__be32 skc_daddr;
	__be32 skc_rcv_saddr;
	__be16 skc_dport;
	__u16 skc_num;
	unsigned short skc_family;
	possible_net_t skc_net;
	unsigned int skc_hash;
	int skc_bound_dev_if;
	struct in6_addr skc_v6_daddr;
	struct in6_addr skc_v6_rcv_saddr;
	unsigned short skc_tx_queue_mapping;
	unsigned short skc_rx_queue_mapping;
	int skc_incoming_cpu;
	__u32 skc_rxhash;
};

struct sock {
	struct sock_common __sk_common;
	int sk_rcvbuf;
	int sk_rcvlowat;
	int sk_err;
	int sk_err_soft;
	int sk_wmem_queued;
	__u32 sk_priority;
	__u32 sk_mark;
	__u16 sk_protocol;
	__u16 sk_type;
	__u32 sk_txhash;
	int sk_sndbuf;
	__u32 sk_ack_backlog;
	__u32 sk_max_ack_backlog;
};

struct request_sock;

struct trace_event_raw_inet_sock_set_state {
	unsigned long long common; /* struct trace_entry: not read */
	const void *skaddr;
	int oldstate;
	int newstate;
};

#pragma clang attribute pop

#endif
