/* The sweep's findings in words: the crossovers and first refusals of
 * sweep_crossover.c as sentences, for the sweep command's summary, the
 * report's Findings and section, and the matrix report. Which variants are
 * compared comes from the rows' `call` column (inlined, static, global,
 * tail), never from a variant's name: the first variant of each kind in
 * variants.def order stands for it. */
#ifndef BPF2BPF_SWEEP_FINDINGS_H
#define BPF2BPF_SWEEP_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "methods/sweep_crossover.h"

typedef void (*sweep_line_fn)(void *user, const char *line);

/* "calls axis (tp_btf, CO-RE reads)" */
void sweep_series_label(char *buf, size_t len, const struct sweep_series *s);

/* One comparison the findings make: a against b on a metric, at a ratio. */
struct sweep_pair {
	const char *call_a, *call_b; /* SWEEP_CALL_* */
	const char *metric;	     /* a sweep.csv column */
	double ratio;		     /* 1: passes; 2: pulls away (more than 2x) */
	unsigned axes;		     /* bit (1 << enum sweep_axis) per axis it is made on */
};
extern const struct sweep_pair sweep_pairs[];
extern const size_t nsweep_pairs;

/* Pair p on series s: the variants standing for its two kinds and their
 * crossing; false when the series lacks either kind or the pair is not made
 * on this axis. */
bool sweep_pair_cross(const struct sweep_row *rows, size_t nrows, const struct sweep_series *s,
		      const struct sweep_pair *p, const char **a, const char **b,
		      struct sweep_crossing *x);

/* "inline passes noinline in ELF code at n=2: 1368 vs 800 bytes (at n=1:
 * 712 vs 736)" — without the series, for the caller to frame. */
void sweep_describe_crossing(char *buf, size_t len, const char *a, const char *b,
			     const struct column *metric, double ratio,
			     const struct sweep_crossing *c);
/* "inline is first refused at n=4096 (loads at n=4095), too complex, after
 * 225314 processed insns: \"The sequence of 8193 jumps is too complex.\"" */
void sweep_describe_refusal(char *buf, size_t len, const char *variant,
			    const struct sweep_refusal *r);

/* Every finding the rows support, in a fixed order: per series, one line per
 * pair's crossing; then per series one line with each variant's first
 * refusal (or how far it loads). Returns the number of lines. */
size_t sweep_findings(const struct sweep_row *rows, size_t nrows, sweep_line_fn emit, void *user);

/* The few lines for a report's Findings: per axis, its crossings in the
 * first series (CO-RE, tp_btf), then one line per axis naming each
 * variant's first refusal (or that none was refused). Returns the number of
 * lines. */
size_t sweep_key_findings(const struct sweep_row *rows, size_t nrows, sweep_line_fn emit,
			  void *user);

#endif
