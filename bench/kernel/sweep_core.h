/* The measuring core of the scaling sweep: load a chosen set of programs of one
 * generated BPF object (bpf/sweep.bpf.h, scripts/sweep-gen.sh) with the
 * verifier's statistics on, and report what the ELF, the verifier and the
 * kernel say about them. Plain structs in and out: no CSV, no argv, no report.
 *
 * Every program is loaded with log level 4 (BPF_LOG_STATS) only, so the
 * verification time is not inflated by instruction logging; a refused load
 * keeps its program's log. A load that runs past job->timeout_ms is stopped
 * (the verifier returns EAGAIN on a pending signal) and recorded as a timeout.
 *
 * Process-wide effects: sweep_measure() owns SIGALRM and ITIMER_REAL while it
 * loads; it does not touch libbpf's print callback (install a quiet one, e.g.
 * loader_set_verbose(false), or libbpf prints every refused program's log). */
#ifndef BPF2BPF_SWEEP_CORE_H
#define BPF2BPF_SWEEP_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SWEEP_MAX_PROGS 24
#define SWEEP_REASON_LEN 512
#define SWEEP_NAME_LEN 64

enum sweep_status {
	SWEEP_OK,	/* every program loaded */
	SWEEP_REFUSED,	/* the kernel refused a program: the verifier, or a size limit */
	SWEEP_FAILED,	/* anything else: open, missing program, log space, tail wiring */
	SWEEP_TIMEOUT,	/* stopped after timeout_ms */
	SWEEP_SKIPPED,	/* not tried (set by callers, e.g. a grid out of time) */
};

/* -1 = not available (e.g. jited bytes of a refused program). Sums over the
 * job's programs, except stack_depth: the deepest program's. */
struct sweep_metrics {
	int64_t elf_code_bytes; /* the programs' own code + the object's .text */
	int64_t insn_cnt;	/* instructions handed to the kernel (subprograms appended) */
	int64_t verified_insns; /* bpf_prog_info, or the log's "processed N insns" */
	int64_t total_states;
	int64_t peak_states;
	int64_t verify_usec;
	int64_t stack_depth;
	int64_t xlated_bytes;
	int64_t jited_bytes;
	int64_t jited_funcs;
	int64_t memlock_bytes;
	int64_t max_func_insns; /* the largest function among the programs and .text */
};

struct sweep_job {
	const char *obj_name;	/* for messages; libbpf's object name */
	const void *obj_bytes;	/* the ELF object, embedded or read from a file */
	size_t obj_len;
	const char *progs[SWEEP_MAX_PROGS]; /* programs to load; the others stay off */
	int nprogs;
	const char *tail_target; /* one of progs, put in tail_progs[0] after load */
	uint32_t trips;		 /* .rodata sweep_trips (loop axes); 0: the default */
	uint32_t sites;		 /* .rodata sweep_sites: call sites k < sites run, the
				  * verifier prunes the rest; 0: all */
	unsigned timeout_ms;	 /* 0: no limit but the kernel's */
	bool hold;		 /* keep the programs loaded until sweep_result_free() */
};

struct sweep_held;

struct sweep_result {
	enum sweep_status status;
	struct sweep_metrics m;
	char reason[SWEEP_REASON_LEN];	  /* why not ok: the verifier's words when it spoke */
	char failed_prog[SWEEP_NAME_LEN]; /* the program the kernel refused */
	char *log;			  /* that program's verifier log (malloc'd), or NULL */
	int err;			  /* errno of the failed load, 0 when ok */
	double load_ms;			  /* wall time of bpf_object__load() */
	uint32_t prog_ids[SWEEP_MAX_PROGS]; /* kernel ids, in job->progs order (ok only) */
	int nprog_ids;
	struct sweep_held *held; /* job->hold: the loaded object */
};

/* Load and measure one job. Returns 0 when the job was carried out, whatever
 * the kernel said (see res->status), -1 when it could not be (res->reason).
 * Always call sweep_result_free(res) afterwards. */
int sweep_measure(const struct sweep_job *job, struct sweep_result *res);
/* Free the log and unload what job->hold kept. */
void sweep_result_free(struct sweep_result *res);

const char *sweep_status_name(enum sweep_status s);
/* Every metric -1. */
void sweep_metrics_unknown(struct sweep_metrics *m);

#endif
