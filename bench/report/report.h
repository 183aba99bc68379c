/* `report`: report.md and charts of a run directory, from its files alone.
 * Split by job: report.c (command, layout, files), report_data.c (row
 * look-ups and orders), report_sizes.c, report_time.c (tables),
 * report_findings.c (the computed sentences), charts.c (gnuplot). */
#ifndef BPF2BPF_REPORT_H
#define BPF2BPF_REPORT_H

#include <math.h>
#include <stddef.h>
#include <stdio.h>

#include "base/csv.h"
#include "report/rundir.h"

#define REPORT_MAX_AXIS 32

enum report_chart { CHART_SIZES, CHART_OVERHEAD, CHART_N };

struct report {
	const struct rundir *rd;
	const struct csv_table *sizes, *overhead, *rounds, *pairs, *hammer, *hyperfine, *iperf;
	/* Axes in order of first appearance (sizes.csv is written in
	 * variants.def order); attach x output of sizes.csv. */
	const char *variants[REPORT_MAX_AXIS];
	size_t nvariants;
	const char *attaches[REPORT_MAX_AXIS];
	size_t nattaches;
	const char *size_outputs[REPORT_MAX_AXIS];
	size_t nsize_outputs;
	const char *attach;	 /* primary attach mode (the one overhead measured) */
	const char *size_output; /* the output of sizes.csv's first row */
	const char *output;	 /* primary output of overhead.csv, NULL without it */
	const char *baseline;	 /* variant the size tables relate to ("inline") */
	/* Charts drawn (relative paths), or why not. */
	const char *chart[CHART_N];
	char chart_note[CHART_N][160];
};

/* report_data.c */
int report_init(struct report *r, const struct rundir *rd, char *err, size_t errlen);
const char *report_cell(const struct csv_table *t, size_t row, const char *col);
double report_num(const struct csv_table *t, size_t row, const char *col); /* NaN if empty */
/* Formatted with the column's metric definition (decimals, "-" when empty). */
void report_fmt(const struct csv_table *t, const char *file, size_t row, const char *col, char *buf,
		size_t len);
/* The TOTAL row of variant x attach (x sizes output), -1 when absent. */
long report_total(const struct report *r, const char *variant, const char *attach,
		  const char *output);
/* Programs (non-TOTAL rows) of variant x attach x output. */
int report_nprograms(const struct report *r, const char *variant, const char *attach,
		     const char *output);
/* overhead.csv row, -1 when absent; "none" falls back to any output of the
 * same attach mode (the no-program storm does not depend on the output). */
long report_overhead(const struct report *r, const char *variant, const char *attach,
		     const char *output);
/* overhead-pairs.csv row of (a, b) or (b, a); *swapped says which. */
long report_pair(const struct report *r, const char *a, const char *b, int *swapped);
/* hyperfine.csv row by command name, -1 when absent. */
long report_hyperfine(const struct report *r, const char *command);
/* hyperfine's added time per connection vs the in-process time per
 * connection; 0 and all set, -1 when either side is missing. */
int report_hyperfine_ratio(const struct report *r, const char *variant, double *added_ns,
			   double *inproc_ns, double *ratio);
/* The output of the in-process figure used for the hyperfine comparison. */
const char *report_hyperfine_output(const struct report *r);
/* The verb for a variant in a sentence: "the tail call", "inline", ... */
const char *report_noun(const char *variant);

/* report_sizes.c and report_time.c: markdown sections. 0 or -1 (I/O). */
int report_sizes_tables(const struct report *r, FILE *f);
int report_failures(const struct report *r, FILE *f);
int report_programs(const struct report *r, FILE *f);
int report_time_tables(const struct report *r, FILE *f);
int report_storm_tables(const struct report *r, FILE *f);
int report_crosscheck_tables(const struct report *r, FILE *f);

/* report_findings.c */
int report_findings(const struct report *r, FILE *f);

/* charts.c: data, script and image in DIR/charts/; fills r->chart[] and
 * r->chart_note[]. Not drawing a chart is not an error (gnuplot may be
 * absent); returns -1 only when the files cannot be written. */
int charts_draw(struct report *r, char *err, size_t errlen);

#endif
