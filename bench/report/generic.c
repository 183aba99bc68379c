/* The section of a method that brings no section of its own: per file, its
 * key columns, its in_report numbers and its status, every row — all chosen
 * by the column table, so a new method's files are in the report without a
 * line of report code. */
#include <string.h>

#include "base/mdtable.h"
#include "report/report.h"

#define MAX_COLS 32

int report_generic(struct report *r, FILE *f, const struct result_file *rf)
{
	const struct column *cols[MAX_COLS];
	const char *head[MAX_COLS];
	char labels[MAX_COLS][72];
	size_t n = 0, nrows;
	const char *rows = run_rows(r->run, rf, &nrows);
	struct mdtable t;
	int rc;

	for (int i = 0; i < rf->ncols && n < MAX_COLS; i++) {
		const struct column *c = &rf->cols[i];
		int show = c->kind == MK_KEY || (c->kind == MK_NUM && c->in_report) ||
			   !strcmp(c->name, "status");

		if (!show)
			continue;
		col_header(c, labels[n] + 1, sizeof(labels[n]) - 1);
		labels[n][0] = '>';
		head[n] = c->type == COL_TEXT ? labels[n] + 1 : labels[n];
		cols[n++] = c;
	}
	if (md_init(&t, (int)n, head))
		return -1;
	for (size_t i = 0; i < nrows; i++)
		for (size_t k = 0; k < n; k++) {
			char buf[128];

			col_fmt(cols[k], rows + i * rf->row_size, buf, sizeof(buf));
			md_cell(&t, "%s", buf);
		}
	fprintf(f, "## %s\n\n%s (written by %s).\n\n", rf->name, rf->doc, rf->written_by);
	rc = md_print(&t, f);
	fprintf(f, "%s", md_rows(&t) ? "\n" : "No rows.\n\n");
	md_free(&t);
	return rc;
}
