/* The report sections, findings and cross-kernel sections of the methods
 * that bring their own (the method table points at them). */
#ifndef BPF2BPF_SECTIONS_H
#define BPF2BPF_SECTIONS_H

#include <stdio.h>

struct report;
struct findings;
struct matrix;

int report_sizes(struct report *r, FILE *f);		/* sizes_section.c */
void findings_sizes(struct findings *fs);
void matrix_sizes(const struct matrix *m, FILE *f);

int report_overhead(struct report *r, FILE *f);		/* overhead_section.c */
void findings_overhead(struct findings *fs);
void matrix_overhead(const struct matrix *m, FILE *f);

int report_calls(struct report *r, FILE *f);		/* calls_section.c */
void findings_calls(struct findings *fs);
void matrix_calls(const struct matrix *m, FILE *f);	/* calls_matrix.c */

int report_hyperfine(struct report *r, FILE *f);	/* crosscheck_section.c */
void findings_hyperfine(struct findings *fs);
int report_iperf(struct report *r, FILE *f);

int report_sweep(struct report *r, FILE *f);		/* sweep_section.c */
void findings_sweep(struct findings *fs);
void matrix_sweep(const struct matrix *m, FILE *f);	/* sweep_matrix.c */

#endif
