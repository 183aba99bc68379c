/* The report family: report.md of a run directory from its files alone
 * (report.c assembles it from the method table), each method's section and
 * findings (sections.h), charts drawn by gnuplot (charts.c), compare and the
 * cross-kernel matrix report — all on the run model (model.h). */
#ifndef BPF2BPF_REPORT_H
#define BPF2BPF_REPORT_H

#include <math.h>
#include <stdbool.h>
#include <stdio.h>

#include "report/model.h"

struct variant;

struct method_set;

struct report {
	const struct run *run;
	const struct method_set *methods; /* whose sections, in order */
	const char *attach; /* the primary attach mode (run.env, decided by bench) */
	bool charts;	    /* draw charts (gnuplot), else say they were not drawn */
	char chart_err[256]; /* a chart that could not be written (an I/O error) */
};

/* The report of DIR: DIR/report.md (and DIR/charts/ with charts). 0; 2 when
 * DIR is not a run this build reads, 1 when the report could not be written;
 * either after one "report: ..." line on stderr. */
int report_dir(const char *dir, const struct method_set *ms, bool charts);
/* The markdown reference of run.env and every result file of ms. */
void report_print_columns(const struct method_set *ms, FILE *f);

/* compare.c: every compared file of ms in runs A and B side by side. */
struct compare_opts {
	bool csv, changed_only;
	const char *out; /* NULL or "-": stdout */
};
/* 0 written; 2 bad input or nothing in common; 1 an I/O failure. */
int compare_dirs(const char *a, const char *b, const struct method_set *ms,
		 const struct compare_opts *o);

/* ---- Findings: sentences computed from the rows, each method adding its
 * own; every number in one appears in a table below it. ---- */
struct findings {
	const struct report *r;
	FILE *f;
	int n;
};
void say(struct findings *fs, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- helpers the sections share ---- */
/* The variant table entry of a name in a CSV (NULL: not in this build). */
const struct variant *report_variant(const char *name);
/* How a sentence names a variant ("the bpf2bpf call"); the name itself when
 * the table does not know it. */
const char *report_noun(const char *variant);
/* Order of a variant name in the table (names it lacks sort last). */
int report_variant_rank(const char *name);
/* Append s to list[*n] unless empty, present or the list (max) is full. */
void report_add_unique(const char **list, size_t *n, size_t max, const char *s);
/* "a, b and c" */
void report_join(const char *const *items, size_t n, char *buf, size_t len);
/* "[lo, hi]" with decimals, or "-" when either is NaN. */
void report_ci(double lo, double hi, int decimals, char *buf, size_t len);
/* "![alt](charts/name.png)" or "(alt: why not)" after drawing name from its
 * data and gnuplot script (see charts.c). */
void report_chart(struct report *r, FILE *f, const char *name, const char *alt, const char *dat,
		  const char *gp);
/* The generic section of a method: a table of each of its files' in_report
 * columns, every row. */
int report_generic(struct report *r, FILE *f, const struct result_file *rf);

#endif
