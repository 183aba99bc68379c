/* The measuring core of the `calls` method: load every variant's calls
 * object (bpf/calls.bpf.h), then run the interleaved design — every
 * (variant, K) cell once per round, in rotated order, over many short rounds
 * after one warm-up round that is kept apart — and return, per round and
 * cell, the nanoseconds per trigger the programs measured themselves around
 * their K handler calls. Plain structs in and out: no CSV, no argv, no
 * statistics (bench/base/calls_stats.h does those).
 *
 * Two triggers:
 * - synthetic: tp_btf/bpf_trigger_tp fired `batch` times per
 *   BPF_PROG_TEST_RUN of a raw_tp driver; one variant armed per cell; the
 *   handler reads a live socket of the harness. Also measures, every round,
 *   what kernel.bpf_stats_enabled adds per program run.
 * - storm: the real hooks of one attach mode under a loopback connection
 *   storm; every variant attached and armed at once, each with its own K in
 *   a storm (a Latin square: over a round's nK storms every variant sees
 *   every K once, and every storm carries the same total work).
 *
 * The caller must already be in the network namespace whose inode it passes
 * (netns_enter_private(), before any thread exists): the programs count only
 * that namespace's connections, so each cell's event count is exact. */
#ifndef BPF2BPF_CALLS_CORE_H
#define BPF2BPF_CALLS_CORE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/jit_image.h"
#include "kernel/variants.h"

enum calls_trigger {
	CALLS_SYNTHETIC,
	CALLS_STORM,
};

#define CALLS_MAX_KS 16
#define CALLS_REASON_LEN 512

struct calls_opts {
	enum calls_trigger trigger;
	const struct attach_mode *mode;	   /* storm: the hooks; ignored for synthetic */
	const bool *variant_sel;	   /* [nvariants]; NULL: every variant */
	uint32_t k_values[CALLS_MAX_KS];   /* the K sweep, each <= CALLS_MAX_K */
	size_t nk;
	unsigned rounds;		   /* measured rounds, all blocks together */
	unsigned blocks;		   /* loads: the rounds are split into this many
					    * blocks, each on freshly loaded (so freshly
					    * placed) programs after a warm-up round, so
					    * the intervals cover what a reload changes */
	uint32_t target_netns;		   /* the caller's namespace inode */
	/* synthetic */
	unsigned batch;			   /* triggers per driver run, <= CALLS_MAX_BATCH */
	unsigned runs_per_cell;		   /* driver runs per cell */
	int cpu;			   /* pin the driver to this CPU; -1: leave as is */
	bool stats_cost;		   /* two cells per round: stats off / on */
	bool arm_together;		   /* every variant armed in every cell (a cell per K,
					    * paired trigger by trigger, attach order rotated
					    * per round); false: one variant per cell */
	/* A trigger whose timed region took longer than
	 * outlier_factor x (the lowest mean of its cell so far, warm-up
	 * included) + outlier_abs_ns was interrupted or descheduled: the
	 * program counts it apart. outlier_factor 0: keep every trigger. */
	double outlier_factor, outlier_abs_ns;
	/* storm */
	uint64_t connections;		   /* per storm */
	int threads;			   /* hammer threads; 0: one per CPU */
	/* set asynchronously (signal handler) to end after the current cell */
	volatile sig_atomic_t *stop;
};

/* Defaults: K 0,1,2,4,8,16,32; synthetic: 240 rounds in 48 loads, every
 * variant armed in each cell of 5 x 100 triggers, with the stats cells;
 * storm: 8 rounds of 1200 connections per storm in 4 loads (a block's
 * warm-up: storms of an eighth); outliers above 1.5 x the cell's lowest
 * mean + 1 us. */
void calls_opts_defaults(struct calls_opts *o, enum calls_trigger t);

struct calls_variant_status {
	const char *name;
	bool selected;
	bool ok;		/* loaded and attached */
	char stage[16];		/* "load", "attach", ... when !ok */
	char reason[CALLS_REASON_LEN]; /* the kernel's, verifier's or libbpf's words */
	bool fallback;		/* measured with its alternate calls object (calls_objects.h) */
	char note[CALLS_REASON_LEN]; /* then: why the first object was refused */
	int njit;
	struct jit_image jit[2]; /* the timed program, and the tail-call hop */
};

struct calls_result {
	enum calls_trigger trigger;
	const char *mode;	/* "synthetic" or the attach mode's name */
	size_t nvariants;	/* == nvariants, table order */
	size_t nk;
	uint32_t k_values[CALLS_MAX_KS];
	unsigned rounds_planned;
	unsigned rounds;	/* measured rounds completed (warm-ups excluded) */
	unsigned blocks;	/* loads the rounds were spread over */
	unsigned *round_block;	/* [rounds_planned]: the block (load) of each round */
	struct calls_variant_status *variants; /* [nvariants] */
	/* [round][variant][k] flattened, see CALLS_AT: ns per trigger measured
	 * in-program around the K calls (NaN: not run), triggers timed, and
	 * chains cut short (tail calls that did not jump). Round 0 here is the
	 * first measured round; the warm-up is in warmup_ns. */
	double *ns;
	uint64_t *runs;
	uint64_t *fails;
	uint64_t *over;		/* triggers left out as interrupted, same layout */
	double *min_ns;		/* [variant][k]: lowest cell mean so far (the outlier bound's base) */
	double *warmup_ns;	/* [variant][k] */
	/* synthetic only: the driver's own loop, ns per trigger with everything
	 * attached (dispatch included), same layout as ns */
	double *driver_ns;
	/* synthetic, stats_cost: per round, driver ns per trigger with every
	 * program unarmed, with kernel run-time stats off and on; how many
	 * programs ran per trigger; whether "off" really was off */
	double *stats_off_ns, *stats_on_ns; /* [rounds] */
	unsigned progs_per_trigger;
	bool stats_were_on;	/* kernel.bpf_stats_enabled was 1 during an "off" cell */
	uint64_t foreign;	/* synthetic: bpf_trigger_tp fired by others, all rounds */
	uint64_t events_expected_mismatch; /* cells whose event count was not exact */
	double seconds;		/* wall time of the whole run */
};

#define CALLS_AT(r, round, v, k) (((size_t)(round) * (r)->nvariants + (v)) * (r)->nk + (k))

/* Runs the design. Returns 0 (variants that did not load or attach are
 * marked in r->variants with the reason; that is a result, not an error,
 * even when none loads), or -1 with a one-line message in err for a setup
 * failure (no socket, a map the programs share refused, bad options). Always call calls_result_free(). Nothing stays
 * loaded or attached when it returns. */
int calls_run(const struct calls_opts *o, struct calls_result *r, char *err, size_t errlen);
void calls_result_free(struct calls_result *r);

#endif
