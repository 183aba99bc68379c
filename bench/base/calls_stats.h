/* The calls method's statistics, pure: from per-round, per-cell ns per
 * trigger to, per variant, a least-squares line over K each round (slope =
 * ns per call, intercept = fixed cost); the mechanism's cost as the
 * per-round slope difference to the baseline (inline), paired by round;
 * each summarised with a t interval of a (trimmed) mean whose units are the
 * blocks (loads) when rounds come in blocks — rounds of one load share its
 * code placement, so they are not independent — else the rounds; Holm's
 * correction over the family of comparisons; a linearity check (2K costs
 * twice K). */
#ifndef BPF2BPF_CALLS_STATS_H
#define BPF2BPF_CALLS_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/linfit.h"

struct calls_samples {
	size_t nrounds, nvariants, nk;
	const uint32_t *k;	  /* [nk] */
	const double *ns;	  /* [round][variant][k] flattened; NaN: not measured */
	const bool *ok;		  /* [nvariants]: measured at all */
	int reference;		  /* the variant every slope is compared with (the
				   * inlined handler), -1: none */
	const bool *compare;	  /* [nvariants]: compared with the reference (a call
				   * mechanism; not the baseline, which calls nothing) */
	const unsigned *block;	  /* [nrounds]: the load each round ran on, or NULL */
};

/* The trimmed share at each end of the units, in percent, that
 * calls_stats_defaults() sets: a macro so the column docs (string literals)
 * say the same figure the statistics use. */
#define CALLS_STATS_TRIM_PCT 20
/* quiet_tol of calls_stats_defaults(), in percent, for the same reason */
#define CALLS_STATS_QUIET_PCT 2

struct calls_stats_opts {
	double level;		/* of every interval, e.g. 0.95 */
	double alpha;		/* family-wise error of the comparisons, e.g. 0.05 */
	/* linearity: a pair (K, 2K) fails when the deviation y(2K) - 2 y(K) +
	 * y(0) is significant (its interval excludes 0) and larger than
	 * lin_tol x c(2K) + lin_abs_ns, c(2K) = y(2K) - y(0) */
	double lin_tol;		/* e.g. 0.10 */
	double lin_abs_ns;	/* e.g. 1.0 */
	double trim;		/* trimmed share at each end of the units, e.g. 0.1 */
	/* disturbed rounds: the median over the family's arms (the reference
	 * and every compared variant, read alike) of slope / the arm's quiet
	 * level (its 10th percentile over rounds) more than quiet_tol (e.g.
	 * 0.02) above 1 — left out of every summary, unless fewer than
	 * quiet_min_share (e.g. 0.5) of the rounds are quiet; quiet_tol 0
	 * keeps every round */
	double quiet_tol, quiet_min_share;
};

void calls_stats_defaults(struct calls_stats_opts *o);

struct calls_linearity {
	bool checked;		/* some K and 2K were both measured */
	bool ok;
	uint32_t worst_k;	/* the K of the worst pair (K, 2K) */
	double worst_ratio;	/* c(2K) / (2 c(K)) there; 1 is linear */
	struct mean_ci worst_dev; /* y(2K) - 2 y(K) + y(0) there, ns per trigger */
};

struct calls_variant_stats {
	bool fitted;		   /* measured, and a line fitted in >= 2 rounds */
	struct mean_ci slope;	   /* ns per call */
	struct mean_ci intercept;  /* ns per trigger at K = 0 (fixed cost) */
	bool compared;		   /* in the family tested against the baseline */
	struct mean_ci mech;	   /* per-round slope - baseline's slope */
	double p_holm;		   /* Holm-adjusted p of mech (NaN when not compared) */
	int verdict;		   /* +1 costs more per call, -1 less, 0 not distinguishable */
	struct calls_linearity lin;
};

struct calls_stats {
	size_t nvariants;
	struct calls_variant_stats *v; /* [nvariants] */
	int baseline;		       /* the reference's index, -1 when it was not fitted */
	int family;		       /* comparisons in the Holm family */
	size_t units;		       /* blocks (or rounds) the intervals are over */
	bool *kept;		       /* [nrounds]: in the summaries (not disturbed) */
	size_t disturbed;	       /* rounds left out as disturbed */
};

/* Returns 0, or -1 (out of memory, bad shape). Free with calls_stats_free. */
int calls_stats_compute(const struct calls_samples *s, const struct calls_stats_opts *o,
			struct calls_stats *out);
void calls_stats_free(struct calls_stats *st);

/* A per-round value (x[nrounds], NaN: not measured) summarised as the
 * intervals of calls_stats_compute are: per load (block) first, then the
 * trimmed mean's t interval over the loads. Returns 0, or -1 (no value). */
int calls_stats_units_ci(const struct calls_samples *s, const struct calls_stats_opts *o,
			 const double *x, struct mean_ci *out);

/* What kernel.bpf_stats_enabled adds per program run: per round, (driver ns
 * per trigger with stats on - with them off) / programs run per trigger,
 * summarised with a t interval of the mean. Returns 0, or -1 (no rounds, no
 * programs). */
int calls_stats_bookkeeping(const double *off_ns, const double *on_ns, size_t nrounds,
			    unsigned progs_per_trigger, double level, struct mean_ci *out);

#endif
