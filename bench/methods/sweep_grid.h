/* The grid of the scaling sweep: which points to measure on which axis, run
 * against a catalog of generated objects with sweep_measure() (kernel/
 * sweep_core.h), one sweep.csv row per point. Plain structs in and out; the
 * caller writes files and prints.
 *
 * Axes and the objects that serve them (names: kernel/sweep_objects.h):
 *   calls     calls-V-S-s0[-TAG]: program tpb_calls_N per N <= calls_max
 *   size      calls-V-S-sU (no TAG): program tpb_calls_2 (2 call sites), n = U
 *   loop      loop-V-S-s0: tpb_loop with sweep_trips = n
 *   bpf_loop  bpfloop-V-S-s0: tpb_bpfloop with sweep_trips = n
 *   progs     progs-V-S-s0: tpb_progs_0 .. tpb_progs_{M-1} (+ the tail target)
 * With `tracepoint`, each tp_<shape> twin is measured too, where built. */
#ifndef BPF2BPF_SWEEP_GRID_H
#define BPF2BPF_SWEEP_GRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/sweep_core.h"
#include "kernel/sweep_objects.h"
#include "methods/sweep.h"

#define SWEEP_GRID_MAX_VALUES 24

struct sweep_grid {
	const char *name;			/* quick or full: the rows' grid column */
	uint32_t calls_max;			/* calls axis: N <= calls_max */
	uint32_t progs[SWEEP_GRID_MAX_VALUES];	/* programs axis: the M tried */
	size_t nprogs;
	uint32_t trips[SWEEP_GRID_MAX_VALUES];	/* loop axes, when not searching */
	size_t ntrips;
	uint32_t loop_max;     /* >0: search the loop axis (below) up to this count */
	uint32_t bpf_loop_max; /* >0: the same for bpf_loop */
	uint32_t units[SWEEP_GRID_MAX_VALUES];	/* size axis: the U tried */
	size_t nunits;
	bool tracepoint;	   /* also the classic-tracepoint twins */
	bool calls_bisect;	   /* calls: bisect to the exact refused N (below) */
	unsigned point_timeout_ms; /* per load */
	unsigned budget_ms;	   /* whole grid: later points are skipped */
	unsigned hold_every;	   /* keep every k-th ok point loaded (0: none) */
	unsigned axes;		   /* bit (1 << enum sweep_axis) per axis run; 0: all */
	/* The -mcpu the objects were built with (the rows' bpf_cpu), unless an
	 * object says otherwise (its directory's bpf-cpu file). Below v4 (no
	 * 32-bit jumps) a function past SWEEP_BRANCH_RANGE_INSNS makes its
	 * row branch-range. */
	const char *bpf_cpu;
	const char *kernel; /* the rows' kernel column */
};

/* The search on a loop axis: trip counts 1, 2, 4, ... while the verifier
 * accepts, up to the max; after the first refusal, bisection between the
 * last accepted and the first refused count down to adjacent integers, so
 * the refusal point is exact. A timeout or failure ends the search. */

/* The call-site axis has only the N that were compiled. With calls_bisect,
 * between the last N that loaded and the first refused, the refused object's
 * program is loaded with sweep_sites = m: the verifier prunes sites >= m, so
 * its verdict, verified_insns and states are those of m sites (xlated and JIT
 * after dead-code removal), while elf_code_bytes and insn_cnt are not (empty).
 * Only refusals for verifier work (the instruction limit, "too complex") are
 * bisected: a refusal of the program's shape stays whatever m is. */

/* `make bench` and the VM kernels: at most 30 s here; names the call-site and
 * program crossovers. */
extern const struct sweep_grid sweep_grid_quick;
/* `make sweep`: the loop axes searched to refusal, the large call-site objects. */
extern const struct sweep_grid sweep_grid_full;
/* "v4" and up have 32-bit jumps; anything else ("v3", "probe", "") is taken
 * to have 16-bit branch offsets only. */
bool sweep_cpu_has_long_jumps(const char *bpf_cpu);

struct sweep_rows {
	struct sweep_row *rows; /* text fields are malloc'd: sweep_rows_free() */
	char **logs;		/* [n]: a refused program's verifier log, or NULL */
	size_t n, cap;
	struct sweep_result *held; /* hold_every: loaded until sweep_rows_free() */
	size_t nheld, capheld;
	double elapsed_ms;
	size_t skipped; /* points left out when the budget ran out */
};

/* Called after each point, while a held point is still loaded. */
typedef void (*sweep_progress_fn)(void *user, const struct sweep_row *row);

/* Measure every point of g that c has objects for; rows sorted by axis,
 * style, attach, variant (variants.def order), n. Returns 0, or -1 when out
 * of memory. */
int sweep_grid_run(const struct sweep_grid *g, const struct sweep_catalog *c,
		   struct sweep_rows *out, sweep_progress_fn progress, void *user);
void sweep_rows_free(struct sweep_rows *r);

#endif
