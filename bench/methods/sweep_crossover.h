/* Where the sweep's curves cross, and where each variant is first refused:
 * pure functions over sweep.csv rows (no libbpf, no root), the same for the
 * sweep command, the report and the matrix report, and tested on synthetic
 * rows. A point counts only where both variants loaded. */
#ifndef BPF2BPF_SWEEP_CROSSOVER_H
#define BPF2BPF_SWEEP_CROSSOVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "methods/sweep.h"

/* One curve family: the rows of an axis in one body style and attach mode. */
struct sweep_series {
	const char *axis, *style, *attach;
};

bool sweep_in_series(const struct sweep_row *r, const struct sweep_series *s);
bool sweep_row_ok(const struct sweep_row *r);

enum sweep_cross_kind {
	SWEEP_CROSS_AT,		/* a passes ratio x b at n (not at n_before) */
	SWEEP_CROSS_FROM_START, /* already at the first point compared */
	SWEEP_CROSS_NEVER,	/* not up to n_last */
	SWEEP_CROSS_NO_DATA,	/* no point where both loaded */
};

struct sweep_crossing {
	enum sweep_cross_kind kind;
	int64_t n;	  /* AT, FROM_START: the first n where a > ratio x b */
	int64_t n_before; /* AT: the compared point before n */
	int64_t n_last;	  /* the largest n compared */
	double a, b;	  /* the metric at n (AT, FROM_START) or at n_last (NEVER) */
	double a_before, b_before; /* AT: at n_before */
	size_t compared;
};

/* The first n of series s where metric(a) > ratio * metric(b), metric being
 * a numeric column of sweep_csv. ratio 1: "a passes b"; 2: "a pulls away". */
void sweep_cross(const struct sweep_row *rows, size_t nrows, const struct sweep_series *s,
		 const char *a, const char *b, const struct column *metric, double ratio,
		 struct sweep_crossing *out);

enum sweep_refusal_kind {
	SWEEP_REFUSAL_INSN_LIMIT,  /* "BPF program is too large. Processed 1000001 insn" */
	SWEEP_REFUSAL_TOO_COMPLEX, /* "The sequence of 8193 jumps is too complex." ... */
	SWEEP_REFUSAL_STACK,	   /* "combined stack size of 3 calls is 544. Too large" ... */
	SWEEP_REFUSAL_PROG_SIZE,   /* more instructions than the kernel takes (E2BIG) */
	SWEEP_REFUSAL_JUMP_RANGE,  /* "jump out of range": a branch past +-32767 insns */
	SWEEP_REFUSAL_UNSUPPORTED, /* the kernel lacks a helper or feature ("unknown func") */
	SWEEP_REFUSAL_ARGS,	   /* a global function's arguments ("Caller passes invalid args") */
	SWEEP_REFUSAL_OTHER,
};

enum sweep_refusal_kind sweep_refusal_classify(const char *reason);
/* Refusals that depend on how much the verifier walked (the instruction
 * limit, "too complex"), not on the program's shape: only those move when
 * the verifier prunes call sites (the grid's calls_bisect). */
bool sweep_refusal_is_work(enum sweep_refusal_kind k);
/* "instruction limit", "too complex", "stack", "program size", ... (the
 * refusal column). */
const char *sweep_refusal_kind_name(enum sweep_refusal_kind k);

struct sweep_refusal {
	bool found;
	int64_t n;	    /* the first refused n */
	bool have_last_ok;
	int64_t last_ok;    /* the largest n below it that loaded */
	int64_t max_ok;	    /* not found: the largest n that loaded (any_ok) */
	bool any_ok;
	enum sweep_refusal_kind kind;
	const char *reason; /* the verifier's (or kernel's) words: points into the row */
	int64_t verified_insns; /* processed at the refusal */
	const char *log;    /* the refused program's log, relative path, or "" */
	const char *bpf_cpu; /* the refused object's -mcpu, when the variant's rows
			      * on this series were built with more than one; else NULL */
	size_t timeouts;    /* points stopped for time: not refusals */
	size_t failures;    /* points that failed for other reasons */
	size_t skipped;	    /* points the grid's time budget left out */
	/* The first branch-range point (the build, not the verifier): the scan
	 * stops there, since every larger n is past the range too. */
	bool branch_range;
	int64_t branch_range_n, branch_range_insns;
};

/* The first refused point of `variant` on series s, in n order. */
void sweep_first_refusal(const struct sweep_row *rows, size_t nrows,
			 const struct sweep_series *s, const char *variant,
			 struct sweep_refusal *out);

/* The distinct series of the rows, in row order; returns how many (<= max). */
size_t sweep_series_of(const struct sweep_row *rows, size_t nrows, struct sweep_series *out,
		       size_t max);
/* The first variant (variants.def order) of series s whose rows have this
 * `call` value (SWEEP_CALL_*), or NULL. */
const char *sweep_variant_by_call(const struct sweep_row *rows, size_t nrows,
				  const struct sweep_series *s, const char *call);
/* The variants of series s in variants.def order (at most max); returns how
 * many. */
size_t sweep_variants_of(const struct sweep_row *rows, size_t nrows,
			 const struct sweep_series *s, const char **out, size_t max);
/* Order of a variant name in variants.def (unknown names last). */
int sweep_variant_rank(const char *variant);

#endif
