/* The sizes method: the static costs of every variant x attach mode — ELF
 * bytes, instructions handed to the kernel, verifier work, xlated and JIT
 * image sizes — one sizes.csv row per program and one TOTAL row per variant x
 * mode. */
#ifndef BPF2BPF_SIZES_H
#define BPF2BPF_SIZES_H

#include <stdbool.h>
#include <stdint.h>

#include "base/schema.h"
#include "kernel/loader.h"

/* One row of sizes.csv (columns: sizes_cols.c). Integers < 0: not known. */
struct sizes_row {
	const char *kernel, *variant, *attach, *program;
	int64_t elf_file_bytes, elf_code_bytes, elf_btf_bytes;
	int64_t insn_cnt, verified_insns, total_states, peak_states, verify_usec, stack_depth;
	int64_t xlated_bytes, jited_bytes, jited_funcs, memlock_bytes;
	const char *status, *reason, *output;
	int64_t prog_id;
	const char *verified_src, *jited_func_lens, *object;
};

extern const struct result_file sizes_csv;

/* A row with the storage its text fields point into. */
struct sizes_rec {
	struct sizes_row row;
	char program[64];
	char reason[LOADER_REASON_LEN + 64];
	char func_lens[128];
};

struct sizes_opts {
	bool variants[64];		     /* selection over the variant table */
	const struct attach_mode *only_mode; /* NULL: every mode */
	enum output_mode output;	     /* the output branch the verifier keeps */
	const char *logs_dir;		     /* full verifier logs, or NULL */
	const char *dump_dir;		     /* xlated + JIT disassembly, or NULL */
};

/* Measure one variant in one mode (which loads here): its program rows then
 * its TOTAL row, appended to recs[*n] (room for LOADER_MAX_PROGS + 1 more).
 * The object stays loaded in *l (loader_unload() it, or keep it for
 * --hold). Returns 1 when the TOTAL row is ok, 0 otherwise. */
int sizes_measure(const struct sizes_opts *o, const struct variant *v, const struct attach_mode *m,
		  struct sizes_rec *recs, int *n, struct loaded *l);
/* The TOTAL row of a variant at a mode the kernel refused as a whole. */
void sizes_skipped_row(const struct sizes_opts *o, const struct variant *v,
		       const struct attach_mode *m, const char *why, struct sizes_rec *rec);

int cmd_sizes(int argc, char **argv);
struct bench_ctx;
int sizes_bench(const struct bench_ctx *ctx);

#endif
