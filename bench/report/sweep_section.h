/* Shared by the sweep's report section (sweep_section.c), its charts
 * (sweep_charts.c) and its cross-kernel section (sweep_matrix.c). */
#ifndef BPF2BPF_SWEEP_SECTION_H
#define BPF2BPF_SWEEP_SECTION_H

#include <stddef.h>
#include <stdio.h>

#include "methods/sweep_crossover.h"

struct report;

/* The chart of series s (variants vs[nv], in that order): every metric
 * against n, log-log, one line per variant; an image link, or why not. */
void sweep_chart(struct report *r, FILE *f, const struct sweep_row *rows, size_t n,
		 const struct sweep_series *s, const char *const *vs, size_t nv);

#endif
