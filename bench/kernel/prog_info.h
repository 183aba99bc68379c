/* What the kernel says about a loaded program: bpf_prog_info plus the
 * memlock figure from fdinfo (the same sources bpftool prog show uses). */
#ifndef BPF2BPF_PROG_INFO_H
#define BPF2BPF_PROG_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct prog_facts {
	uint32_t id;
	uint32_t xlated_bytes;
	uint32_t jited_bytes;
	uint32_t jited_funcs;	   /* nr_jited_func_lens: the program + its subprograms */
	uint32_t *jited_func_lens; /* [jited_funcs] */
	uint64_t verified_insns;   /* 0 before 5.16 (not reported) */
	uint64_t run_time_ns;	   /* with BPF_STATS_RUN_TIME enabled */
	uint64_t run_cnt;
	uint64_t memlock_bytes;	   /* fdinfo "memlock:", 0 if absent */
	unsigned char *jited_image; /* [jited_bytes] when asked for, else NULL */
};

/* Returns 0 or -errno. */
int prog_facts_get(int fd, bool want_image, struct prog_facts *f);
void prog_facts_free(struct prog_facts *f);
/* Cheap read of the two run counters only (per round). */
int prog_run_counters(int fd, uint64_t *run_time_ns, uint64_t *run_cnt);
/* "a+b+c" of the JIT function lengths, for the CSV. */
void prog_facts_func_lens(const struct prog_facts *f, char *buf, size_t len);

#endif
