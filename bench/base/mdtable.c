/* Aligned markdown tables. */
#include "base/mdtable.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int md_init(struct mdtable *t, int ncols, const char *const *head)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->head = calloc(ncols, sizeof(*t->head));
	t->right = calloc(ncols, 1);
	if (!t->head || !t->right) {
		md_free(t);
		return -1;
	}
	for (int c = 0; c < ncols; c++) {
		t->right[c] = head[c][0] == '>';
		t->head[c] = strdup(head[c] + t->right[c]);
		if (!t->head[c]) {
			md_free(t);
			return -1;
		}
	}
	return 0;
}

/* Cells end up inside "| ... |": a bare '|' would split the column. */
static char *escape(const char *s)
{
	char *out = malloc(2 * strlen(s) + 1), *o = out;

	if (!out)
		return NULL;
	for (; *s; s++) {
		if (*s == '|')
			*o++ = '\\';
		*o++ = (*s == '\n' || *s == '\r' || *s == '\t') ? ' ' : *s;
	}
	*o = '\0';
	return out;
}

void md_cell(struct mdtable *t, const char *fmt, ...)
{
	char *raw = NULL, *cell;
	va_list ap;

	if (t->oom)
		return;
	va_start(ap, fmt);
	if (vasprintf(&raw, fmt, ap) < 0)
		raw = NULL;
	va_end(ap);
	cell = raw ? escape(raw) : NULL;
	free(raw);
	if (cell && t->ncells == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		char **cells = realloc(t->cells, cap * sizeof(*cells));

		if (!cells) {
			free(cell);
			cell = NULL;
		} else {
			t->cells = cells;
			t->cap = cap;
		}
	}
	if (!cell) {
		t->oom = 1;
		return;
	}
	t->cells[t->ncells++] = cell;
}

size_t md_rows(const struct mdtable *t)
{
	return t->ncells / t->ncols;
}

/* Display width: UTF-8 continuation bytes take no column. */
static size_t width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void pad(FILE *f, size_t n)
{
	while (n--)
		fputc(' ', f);
}

static void print_row(const struct mdtable *t, FILE *f, char *const *row, const size_t *w)
{
	for (int c = 0; c < t->ncols; c++) {
		size_t gap = w[c] - width(row[c]);

		fputs("| ", f);
		if (t->right[c])
			pad(f, gap);
		fputs(row[c], f);
		if (!t->right[c])
			pad(f, gap);
		fputc(' ', f);
	}
	fputs("|\n", f);
}

int md_print(const struct mdtable *t, FILE *f)
{
	size_t *w, rows = md_rows(t);

	if (t->oom || t->ncells % t->ncols)
		return -1;
	if (!rows)
		return 0;
	w = calloc(t->ncols, sizeof(*w));
	if (!w)
		return -1;
	for (int c = 0; c < t->ncols; c++) {
		w[c] = width(t->head[c]) < 3 ? 3 : width(t->head[c]);
		for (size_t r = 0; r < rows; r++) {
			size_t cw = width(t->cells[r * t->ncols + c]);
			w[c] = cw > w[c] ? cw : w[c];
		}
	}
	print_row(t, f, t->head, w);
	for (int c = 0; c < t->ncols; c++) {
		fputs("| ", f);
		for (size_t i = 0; i < w[c]; i++)
			fputc(i + 1 == w[c] && t->right[c] ? ':' : '-', f);
		fputc(' ', f);
	}
	fputs("|\n", f);
	for (size_t r = 0; r < rows; r++)
		print_row(t, f, t->cells + r * t->ncols, w);
	free(w);
	return 0;
}

void md_free(struct mdtable *t)
{
	for (int c = 0; t->head && c < t->ncols; c++)
		free(t->head[c]);
	for (size_t i = 0; i < t->ncells; i++)
		free(t->cells[i]);
	free(t->head);
	free(t->right);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

int md_flush(struct mdtable *t, FILE *f)
{
	int rc = md_print(t, f);

	md_free(t);
	fputc('\n', f);
	return rc;
}
