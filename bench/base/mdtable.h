/* Markdown tables padded to aligned columns, so report.md and compare's
 * output read the same on GitHub and in a terminal pager. */
#ifndef BPF2BPF_MDTABLE_H
#define BPF2BPF_MDTABLE_H

#include <stddef.h>
#include <stdio.h>

struct mdtable {
	int ncols;
	char **head;
	unsigned char *right; /* right-aligned (numbers) */
	size_t ncells, cap;
	char **cells; /* row-major; a row is complete after ncols cells */
	int oom;
};

/* Headers: a leading '>' marks a right-aligned column (not printed). */
int md_init(struct mdtable *t, int ncols, const char *const *head);
/* Append one cell (printf-style); '|' is escaped, newlines become spaces. */
void md_cell(struct mdtable *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
size_t md_rows(const struct mdtable *t);
/* Print the table (nothing for a table without rows); -1 on a short row or
 * an earlier allocation failure. */
int md_print(const struct mdtable *t, FILE *f);
void md_free(struct mdtable *t);
/* md_print, md_free, then the blank line that ends a table in a section:
 * what most report tables do last. Returns md_print's result. */
int md_flush(struct mdtable *t, FILE *f);

#endif
