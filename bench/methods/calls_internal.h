/* Shared between calls_core.c (load, maps, result) and the two designs,
 * calls_synth.c and calls_storm.c. Not for users of the core. */
#ifndef BPF2BPF_CALLS_INTERNAL_H
#define BPF2BPF_CALLS_INTERNAL_H

#include <sched.h>

#include "methods/calls_core.h"
#include "calls_shared.h"
#include "kernel/loader.h"

/* One variant's loaded calls object. */
struct calls_obj {
	size_t vi;		/* index in variants[] */
	bool loaded;
	struct loaded l;
	int cfg_fd, acc_fd, sock_fd;
	struct calls_cfg cfg;	/* what was last written to calls_cfg */
};

/* What outlives one load of the objects: the synthetic trigger's live
 * connection, its socket's address and our trigger nonce; the CPU pinning. */
struct calls_session {
	int sock[3];		/* listener, client, accepted */
	uint64_t sk_addr;	/* 0 until captured */
	uint32_t nonce;
	bool pinned;
	cpu_set_t old_cpus;
};

/* One load's share of the rounds: [first, first + n), after a warm-up. */
struct calls_block {
	unsigned index, first, n;
};

/* Sum over CPUs of one calls_acc slot. */
int calls_acc_read(const struct calls_obj *c, uint32_t slot, struct calls_acc *sum);
/* Write c->cfg to the object's calls_cfg map. */
int calls_cfg_write(struct calls_obj *c);
/* The loaded program named `name`, or NULL. */
struct bpf_program *calls_prog(const struct calls_obj *c, const char *name);

/* A cell's deltas of one slot (or of two slots added). */
struct calls_delta {
	uint64_t ns, runs, fail, over;
};
void calls_delta_sub(struct calls_delta *d, const struct calls_acc *after,
		     const struct calls_acc *before);

/* Store a cell's deltas (round < 0: a warm-up, kept only the first time) and
 * keep the cell's lowest mean. */
void calls_record(struct calls_result *r, int round, size_t vi, size_t ki,
		  const struct calls_delta *d);
/* The outlier bound (calls_cfg.max_ns) for the next run of a cell. */
uint64_t calls_outlier_bound(const struct calls_opts *o, const struct calls_result *r, size_t vi,
			     size_t ki);

/* The designs: one block of rounds on the loaded objects, into r. */
int calls_synth_block(const struct calls_opts *o, struct calls_session *ses,
		      struct calls_obj *objs, size_t nobjs, const struct calls_block *b,
		      struct calls_result *r, char *err, size_t errlen);
void calls_synth_end(const struct calls_opts *o, struct calls_session *ses);
int calls_storm_block(const struct calls_opts *o, struct calls_obj *objs, size_t nobjs,
		      const struct calls_block *b, struct calls_result *r, char *err,
		      size_t errlen);

/* Cell order of round `round`: the cells in K-major order (all variants of
 * one K side by side), rotated by the round number. order[i] = cell index. */
void calls_round_order(size_t ncells, unsigned round, size_t *order);

/* Monotonic seconds. */
double calls_now(void);

#endif
