/* A session: one variant in one attach mode with its event consumer, the
 * sequence every command that runs programs shares — check privileges, enter
 * a private network namespace, pick the attach mode, load once, attach only
 * around what is measured, count, detach, release. Nothing stays in the
 * kernel after session_close(), also on the error paths. */
#ifndef BPF2BPF_SESSION_H
#define BPF2BPF_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "kernel/consumer.h"
#include "kernel/loader.h"

/* What a command needs before it loads anything. */
struct session_env {
	uint32_t netns;			/* private namespace inode, 0 when not asked */
	const struct attach_mode *mode; /* the mode asked for, or the first that works */
};

/* Privileges (one line naming what is missing), then a private network
 * namespace when private_netns (call before any thread exists: the whole
 * process moves), then the attach mode: `asked`, or with NULL the most direct
 * mode in which the baseline loads and attaches here, one line to `why` (may
 * be NULL) per mode tried. Returns 0, or -1 after one "who: ..." line on
 * stderr. */
int session_setup(const char *who, const struct attach_mode *asked, bool private_netns, FILE *why,
		  struct session_env *env);

struct session {
	struct load_opts lo;
	struct loaded l;
	struct consumer *consumer; /* NULL with OUTPUT_NONE */
	consumer_fn fn;
	void *fn_ctx;
	int reloads; /* re-attach refused, so loaded again (fentry before 5.11) */
};

/* Everything a session counts, cumulative since it was opened (subtract two
 * readings for an interval). run_* need kernel.bpf_stats_enabled. */
struct session_counts {
	uint64_t active, passive; /* opens that passed the hook filter */
	uint64_t drops;		  /* events the output refused + perf samples lost */
	uint64_t received;	  /* events the consumer got */
	uint64_t run_ns, run_cnt; /* entry programs' bpf_prog_info (run_ns: all programs) */
	uint64_t tail_run_cnt;	  /* tail-call targets' run_cnt */
};

/* Load lo (not attached unless lo->attach) and open the consumer of its
 * output, delivering to fn (may be NULL: counted only). 0, or -1 with the
 * stage and the kernel's words in s->l.stage / s->l.reason. Call
 * session_close() either way. */
int session_open(struct session *s, const struct load_opts *lo, consumer_fn fn, void *fn_ctx);
/* Attach; when the kernel refuses a second attach of the same load (fentry
 * before 5.11), load again and retry once. 0, or -1 with the reason. */
int session_attach(struct session *s, char *reason, size_t len);
void session_detach(struct session *s);
/* Wait up to ms for events and deliver them (see consumer_poll); deliver
 * what is buffered now. Both return events delivered or -errno. */
int session_poll(struct session *s, int ms);
int session_drain(struct session *s);
void session_read(const struct session *s, struct session_counts *c);
/* b - a, field by field. */
void session_counts_delta(const struct session_counts *a, const struct session_counts *b,
			  struct session_counts *d);
void session_close(struct session *s);

#endif
