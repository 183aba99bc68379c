/* The sweep method: where inlining breaks the verifier and where a real call
 * saves. The handler is generated into many objects along five axes (call
 * sites per program, loop trip count, bpf_loop trip count, programs sharing
 * the handler, handler size), each object is loaded program by program, and
 * every point becomes one sweep.csv row: ELF, verifier and kernel-image
 * figures, or the verifier's words when it refused.
 *
 * The row struct is plain data for the column table (sweep_cols.c), the
 * grid (sweep_grid.c, which writes rows), and the crossovers and findings
 * (sweep_crossover.c, sweep_findings.c, which read rows back from the CSV in
 * the report as well). */
#ifndef BPF2BPF_SWEEP_H
#define BPF2BPF_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/schema.h"
#include "kernel/sweep_objects.h"

/* One row of sweep.csv (columns: sweep_cols.c). Integers < 0: not known. */
struct sweep_row {
	const char *kernel, *variant, *axis;
	int64_t n;
	int64_t elf_code_bytes, insn_cnt, verified_insns, total_states, peak_states, verify_usec;
	int64_t stack_depth, xlated_bytes, jited_bytes, jited_funcs, memlock_bytes;
	const char *status, *reason;
	const char *style, *attach, *call;
	int64_t built_n, prog_insns;
	const char *refusal, *bpf_cpu, *grid, *object, *failed_prog, *log, *prog_ids;
	double load_ms;
};

extern const struct result_file sweep_csv;

/* The axes, in report order: "calls", "loop", "bpf_loop", "progs", "size". */
enum sweep_axis {
	SWEEP_AXIS_CALLS,    /* n = call sites in one program */
	SWEEP_AXIS_LOOP,     /* n = trip count of a bounded loop around the call */
	SWEEP_AXIS_BPF_LOOP, /* n = bpf_loop iterations around the call */
	SWEEP_AXIS_PROGS,    /* n = programs sharing the handler in one object */
	SWEEP_AXIS_SIZE,     /* n = handler-size units (2 call sites in one program) */
	SWEEP_AXIS__N,
};
const char *sweep_axis_name(enum sweep_axis a);
/* -1 when unknown. */
int sweep_axis_parse(const char *s);
/* What n counts on an axis, for tables and charts ("call sites", ...). */
const char *sweep_axis_unit(enum sweep_axis a);

/* status values of a row */
#define SWEEP_ST_OK "ok"
#define SWEEP_ST_REFUSED "refused"	     /* the kernel refused it: the verifier's words */
#define SWEEP_ST_BRANCH_RANGE "branch-range" /* built past the 16-bit branch range: see below */
#define SWEEP_ST_FAILED "failed"	     /* could not be measured (open, log space, ...) */
#define SWEEP_ST_TIMEOUT "timeout"	     /* stopped after the per-load time limit */
#define SWEEP_ST_SKIPPED "skipped"	     /* not tried (the grid's time budget) */

/* Before BPF CPU v4 a branch holds a 16-bit offset: a program whose own
 * function has more instructions than this may have branches clang 14 wrapped
 * silently (clang 19 stops with "Branch target out of insn range"). Such a
 * row is a broken build, whatever the kernel then said (SWEEP_ST_BRANCH_RANGE). */
#define SWEEP_BRANCH_RANGE_INSNS 32767

/* The `call` column's values (SWEEP_CALL_*): kernel/sweep_objects.h. */

struct bench_ctx;
int cmd_sweep(int argc, char **argv);
int sweep_bench(const struct bench_ctx *ctx);

#endif
