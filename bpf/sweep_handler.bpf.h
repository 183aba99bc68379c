/* SPDX-License-Identifier: GPL-2.0 */
/* The scaling sweep's body style and handler-size axis, applied to THE handler
 * (bpf/handler.bpf.h) without copying it. A generated source (scripts/
 * sweep-gen.sh) includes this file first, then a variant (or its link part),
 * which includes the handler; the macros below change how that one handler
 * expands in the sweep's objects and nowhere else:
 *
 *   SWEEP_STYLE_BTF        direct loads through the BTF pointer tp_btf hands
 *                          over, instead of one BPF_CORE_READ (a
 *                          bpf_probe_read_kernel call) per field
 *   SWEEP_UNITS(sk, acc)   defined by the generator for S > 0: S units of
 *                          extra work, SWEEP_UNIT(sk, acc, field, k) each,
 *                          run by the handler's HANDLER_EXTRA hook
 *
 * With neither, the handler expands exactly as in the variants. */
#ifndef BPF2BPF_SWEEP_HANDLER_BPF_H
#define BPF2BPF_SWEEP_HANDLER_BPF_H

/* What common.bpf.h includes, in its order, so BPF_CORE_READ is defined
 * here before the handler's own includes (guarded: no-ops then) see it. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#ifdef SWEEP_STYLE_BTF
/* The handler's text says BPF_CORE_READ(sk, field); redefining the macro in
 * the generated sources only keeps bpf/handler.bpf.h (and so every variant's
 * object, line info included) byte for byte as it is. Chains of one or two
 * fields (hooks.bpf.h reads one of two, unused here); a longer one would not
 * compile. */
#define SWEEP_DIRECT_1(s, a) ((s)->a)
#define SWEEP_DIRECT_2(s, a, b) ((s)->a->b)
#define SWEEP_DIRECT_PICK(_1, _2, which, ...) which
#undef BPF_CORE_READ
#define BPF_CORE_READ(src, ...) \
	SWEEP_DIRECT_PICK(__VA_ARGS__, SWEEP_DIRECT_2, SWEEP_DIRECT_1, 0)(src, __VA_ARGS__)
#endif

/* 32 distinct scalar fields of struct sock that exist from 5.10 to 6.18 and
 * are not bitfields (BPF_CORE_READ cannot read those). The last four are the
 * ones the handler reads anyway: with direct loads clang may reuse those, so
 * up to S = 28 every unit reads a field nothing else reads. Beyond 32 the
 * fields repeat (each CO-RE read is still a helper call; direct loads of a
 * repeated field may be merged). */
#define SWEEP_FIELD_0 __sk_common.skc_hash
#define SWEEP_FIELD_1 __sk_common.skc_family
#define SWEEP_FIELD_2 __sk_common.skc_bound_dev_if
#define SWEEP_FIELD_3 __sk_common.skc_tx_queue_mapping
#define SWEEP_FIELD_4 __sk_common.skc_v6_daddr.in6_u.u6_addr32[0]
#define SWEEP_FIELD_5 __sk_common.skc_v6_daddr.in6_u.u6_addr32[1]
#define SWEEP_FIELD_6 __sk_common.skc_v6_daddr.in6_u.u6_addr32[2]
#define SWEEP_FIELD_7 __sk_common.skc_v6_daddr.in6_u.u6_addr32[3]
#define SWEEP_FIELD_8 __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32[0]
#define SWEEP_FIELD_9 __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32[1]
#define SWEEP_FIELD_10 __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32[2]
#define SWEEP_FIELD_11 __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32[3]
#define SWEEP_FIELD_12 __sk_common.skc_rx_queue_mapping
#define SWEEP_FIELD_13 __sk_common.skc_incoming_cpu
#define SWEEP_FIELD_14 __sk_common.skc_rxhash
#define SWEEP_FIELD_15 sk_rcvbuf
#define SWEEP_FIELD_16 sk_sndbuf
#define SWEEP_FIELD_17 sk_err
#define SWEEP_FIELD_18 sk_err_soft
#define SWEEP_FIELD_19 sk_priority
#define SWEEP_FIELD_20 sk_mark
#define SWEEP_FIELD_21 sk_protocol
#define SWEEP_FIELD_22 sk_type
#define SWEEP_FIELD_23 sk_ack_backlog
#define SWEEP_FIELD_24 sk_max_ack_backlog
#define SWEEP_FIELD_25 sk_rcvlowat
#define SWEEP_FIELD_26 sk_txhash
#define SWEEP_FIELD_27 sk_wmem_queued
#define SWEEP_FIELD_28 __sk_common.skc_daddr
#define SWEEP_FIELD_29 __sk_common.skc_rcv_saddr
#define SWEEP_FIELD_30 __sk_common.skc_dport
#define SWEEP_FIELD_31 __sk_common.skc_num
#define SWEEP_NFIELDS 32

/* One unit: read a field, fold it into the accumulator (xor, multiply by an
 * odd constant, xor-shift). */
#define SWEEP_UNIT(sk, acc, field, k)                                  \
	do {                                                           \
		acc ^= (__u32)BPF_CORE_READ(sk, SWEEP_FIELD_##field);  \
		acc = acc * 0x9e3779b1u + (k);                         \
		acc ^= acc >> 15;                                      \
	} while (0);

#ifdef SWEEP_UNITS
/* The units run at the top of the handler (its HANDLER_EXTRA hook).
 * barrier_var (libbpf) hands the result to an empty asm: clang must compute
 * it, yet nothing is stored, so the handler's own code is unchanged around
 * it. The verifier checks every unit's instructions like any others. */
#define HANDLER_EXTRA(sk)                      \
	do {                                   \
		__u32 ___acc = 0;              \
		SWEEP_UNITS(sk, ___acc)        \
		barrier_var(___acc);           \
	} while (0)
#endif

#endif
