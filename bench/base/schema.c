/* Rows through the column tables, and the number formatting every table
 * shares; see schema.h. */
#include "base/schema.h"

#include "base/atomic_file.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const struct column *rf_col(const struct result_file *rf, const char *name)
{
	for (int i = 0; i < rf->ncols; i++)
		if (!strcmp(rf->cols[i].name, name))
			return &rf->cols[i];
	return NULL;
}

int rf_keys(const struct result_file *rf, const struct column **keys, int max)
{
	int n = 0;

	for (int i = 0; i < rf->ncols && n < max; i++)
		if (rf->cols[i].kind == MK_KEY)
			keys[n++] = &rf->cols[i];
	return n;
}

const char *metric_group_name(enum metric_group g)
{
	static const char *const names[MG__COUNT] = {
		[MG_ID] = "identity",	      [MG_ELF] = "ELF object",	 [MG_VERIFIER] = "verifier",
		[MG_IMAGE] = "kernel image",  [MG_TIME] = "time per event", [MG_CALL] = "time per call",
		[MG_STORM] = "storm",	      [MG_CHECK] = "cross-check",
	};
	return (unsigned)g < MG__COUNT && names[g] ? names[g] : "?";
}

int col_is_timed(const struct column *c)
{
	static const char *const times[] = {"ns", "us", "ms", "s", "%"};
	size_t n = strlen(c->unit);

	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++)
		if (!strcmp(c->unit, times[i]))
			return 1;
	return n > 2 && !strcmp(c->unit + n - 2, "/s"); /* a rate over time */
}

/* ---- fields ---- */

#define FIELD(c, row, type) ((type *)((char *)(row) + (c)->offset))

double col_num(const struct column *c, const void *row)
{
	int64_t i;

	switch (c->type) {
	case COL_INT:
		i = *FIELD(c, row, const int64_t);
		return i < 0 ? NAN : (double)i;
	case COL_NUM:
		return *FIELD(c, row, const double);
	case COL_TEXT:
		break;
	}
	return NAN;
}

const char *col_text(const struct column *c, const void *row)
{
	const char *s = c->type == COL_TEXT ? *FIELD(c, row, const char *const) : NULL;

	return s ? s : "";
}

const char *col_cell(const struct column *c, const void *row, char *buf, size_t len)
{
	double v;

	buf[0] = '\0';
	switch (c->type) {
	case COL_TEXT:
		return col_text(c, row);
	case COL_INT:
		if (*FIELD(c, row, const int64_t) >= 0)
			snprintf(buf, len, "%" PRId64, *FIELD(c, row, const int64_t));
		break;
	case COL_NUM:
		v = *FIELD(c, row, const double);
		if (!isnan(v))
			snprintf(buf, len, "%.*f", c->decimals + 2, v);
		break;
	}
	return buf;
}

void rf_row_clear(const struct result_file *rf, void *row)
{
	memset(row, 0, rf->row_size);
	for (int i = 0; i < rf->ncols; i++) {
		const struct column *c = &rf->cols[i];

		if (c->type == COL_INT)
			*FIELD(c, row, int64_t) = -1;
		else if (c->type == COL_NUM)
			*FIELD(c, row, double) = NAN;
	}
}

/* ---- CSV ---- */

int rf_open(struct csv_writer *w, const struct result_file *rf, const char *path)
{
	const char *names[128];

	if (rf->ncols > 128)
		return -E2BIG;
	for (int i = 0; i < rf->ncols; i++)
		names[i] = rf->cols[i].name;
	return csv_open(w, path, names, rf->ncols);
}

int rf_write_row(struct csv_writer *w, const struct result_file *rf, const void *row)
{
	char buf[64];

	for (int i = 0; i < rf->ncols; i++)
		csv_str(w, col_cell(&rf->cols[i], row, buf, sizeof(buf)));
	return csv_end_row(w);
}

int rf_write_file(const struct result_file *rf, const char *path, const void *rows, size_t n)
{
	struct csv_writer w;
	int err = rf_open(&w, rf, path);

	for (size_t i = 0; !err && i < n; i++)
		err = rf_write_row(&w, rf, (const char *)rows + i * rf->row_size);
	if (err) {
		csv_abort(&w);
		return err;
	}
	return csv_close(&w);
}

static int parse_int(const char *cell, int64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoll(cell, &end, 10);
	return errno || end == cell || *end || *v < 0 ? -1 : 0;
}

static int read_cell(const struct column *c, const char *cell, void *row)
{
	double v;

	switch (c->type) {
	case COL_TEXT:
		*FIELD(c, row, const char *) = cell;
		return 0;
	case COL_INT:
		if (!*cell) {
			*FIELD(c, row, int64_t) = -1;
			return 0;
		}
		return parse_int(cell, FIELD(c, row, int64_t));
	case COL_NUM:
		if (!*cell) {
			*FIELD(c, row, double) = NAN;
			return 0;
		}
		if (metric_parse(cell, &v))
			return -1;
		*FIELD(c, row, double) = v;
		return 0;
	}
	return -1;
}

int rf_read_rows(const struct result_file *rf, const struct csv_table *t, void **rows, size_t *n,
		 char *err, size_t errlen)
{
	int idx[128];
	char *out;

	*rows = NULL;
	*n = 0;
	if (rf->ncols > 128) {
		snprintf(err, errlen, "%s: too many columns", t->path);
		return -1;
	}
	for (int i = 0; i < rf->ncols; i++)
		if ((idx[i] = csv_col(t, rf->cols[i].name)) < 0) {
			snprintf(err, errlen, "%s: missing column %s", t->path, rf->cols[i].name);
			return -1;
		}
	out = calloc(t->nrows ? t->nrows : 1, rf->row_size);
	if (!out) {
		snprintf(err, errlen, "%s: out of memory", t->path);
		return -1;
	}
	for (size_t r = 0; r < t->nrows; r++)
		for (int i = 0; i < rf->ncols; i++) {
			const char *cell = t->rows[r][idx[i]];

			if (read_cell(&rf->cols[i], cell, out + r * rf->row_size)) {
				snprintf(err, errlen, "%s:%zu: column %s: '%s' is not %s", t->path,
					 t->lines[r], rf->cols[i].name, cell,
					 rf->cols[i].type == COL_INT ? "a whole number >= 0"
								     : "a number");
				free(out);
				return -1;
			}
		}
	*rows = out;
	*n = t->nrows;
	return 0;
}

int kv_read_row(const char *path, const struct result_file *rf, void *row, char **store, char *err,
		size_t errlen)
{
	FILE *in = fopen(path, "r");
	char *line = NULL, *buf = NULL;
	size_t cap = 0, lineno = 0, used = 0, bufcap = 0;
	size_t off[128];
	ssize_t n;
	int rc = 0;

	*store = NULL;
	if (!in) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < 128; i++)
		off[i] = (size_t)-1;
	while (!rc && (n = getline(&line, &cap, in)) >= 0) {
		char *eq;

		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (!n || line[0] == '#')
			continue;
		if (!(eq = strchr(line, '=')) || eq == line) {
			snprintf(err, errlen, "%s:%zu: expected key=value", path, lineno);
			rc = -1;
			break;
		}
		*eq = '\0';
		for (int i = 0; i < rf->ncols && i < 128; i++) {
			size_t len = strlen(eq + 1) + 1;

			if (strcmp(rf->cols[i].name, line))
				continue;
			if (used + len > bufcap) {
				char *nb = realloc(buf, bufcap = 2 * (used + len) + 256);

				if (!nb) {
					snprintf(err, errlen, "%s: out of memory", path);
					rc = -1;
					break;
				}
				buf = nb;
			}
			memcpy(buf + used, eq + 1, len);
			off[i] = used; /* the last value of a key wins */
			used += len;
		}
	}
	free(line);
	fclose(in);
	for (int i = 0; !rc && i < rf->ncols && i < 128; i++)
		if (off[i] != (size_t)-1 && read_cell(&rf->cols[i], buf + off[i], row)) {
			snprintf(err, errlen, "%s: %s: '%s' is not a number", path, rf->cols[i].name,
				 buf + off[i]);
			rc = -1;
		}
	if (rc) {
		free(buf);
		return -1;
	}
	*store = buf;
	return 0;
}

int kv_write_row(const char *path, const struct result_file *rf, const void *row)
{
	struct atomic_file a;
	char cell[64];
	int err = af_open(&a, path);

	if (err)
		return err;
	for (int i = 0; i < rf->ncols; i++) {
		/* One line per key: a value must not break the file. */
		const char *v = col_cell(&rf->cols[i], row, cell, sizeof(cell));

		fprintf(a.f, "%s=", rf->cols[i].name);
		for (; *v; v++)
			fputc(*v == '\n' || *v == '\r' ? ' ' : *v, a.f);
		fputc('\n', a.f);
	}
	return af_commit(&a, 0);
}

int rf_check_loose(const struct result_file *rf, const struct csv_table *t, char *err,
		   size_t errlen)
{
	double v;

	for (int i = 0; i < rf->ncols; i++) {
		const struct column *c = &rf->cols[i];
		int col = csv_col(t, c->name);

		if (col < 0 && c->kind == MK_KEY) {
			snprintf(err, errlen, "%s: missing column %s", t->path, c->name);
			return -1;
		}
		for (size_t r = 0; col >= 0 && c->type != COL_TEXT && r < t->nrows; r++)
			if (*t->rows[r][col] && metric_parse(t->rows[r][col], &v)) {
				snprintf(err, errlen, "%s:%zu: column %s: '%s' is not a number", t->path,
					 t->lines[r], c->name, t->rows[r][col]);
				return -1;
			}
	}
	return 0;
}

/* ---- formatting ---- */

int metric_parse(const char *cell, double *v)
{
	char *end;

	if (!cell || !*cell)
		return -1;
	*v = strtod(cell, &end);
	return *end || isnan(*v) ? -1 : 0;
}

void metric_fmt_num(double v, int decimals, char *buf, size_t len)
{
	if (isnan(v)) {
		snprintf(buf, len, "-");
		return;
	}
	snprintf(buf, len, "%.*f", decimals, v);
	/* "-0.0" would show a sign where there is no difference. */
	if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
		memmove(buf, buf + 1, strlen(buf));
}

void col_fmt(const struct column *c, const void *row, char *buf, size_t len)
{
	if (c->type == COL_TEXT) {
		snprintf(buf, len, "%s", *col_text(c, row) ? col_text(c, row) : "-");
		return;
	}
	metric_fmt_num(col_num(c, row), c->decimals, buf, len);
}

void metric_diff_cells(double a, double b, int decimals, char *diff, char *pct, size_t len)
{
	char num[64];
	double p;

	metric_fmt_num(b - a, decimals, num, sizeof(num));
	snprintf(diff, len, "%s%s", num[0] == '-' ? "" : "+", num);
	if (a == 0 && b == 0) {
		snprintf(pct, len, "+0.00%%");
	} else if (a == 0) {
		pct[0] = '\0'; /* no base to relate to */
	} else {
		p = (b - a) * 100.0 / fabs(a);
		snprintf(pct, len, "%+.2f%%", fabs(p) < 0.005 ? 0.0 : p);
	}
}

void metric_fmt_diff(double a, double b, int decimals, char *buf, size_t len)
{
	char diff[64], pct[64];

	metric_diff_cells(a, b, decimals, diff, pct, sizeof(diff));
	snprintf(buf, len, "%s (%s)", diff, pct[0] ? pct : "N/A");
}

void col_header(const struct column *c, char *buf, size_t len)
{
	/* Counts whose label already says what they count stay bare. */
	static const char *const bare[] = {"", "insns", "states", "funcs", "rounds", "events",
					   "conns", "runs", "errors", "calls"};

	for (size_t i = 0; i < sizeof(bare) / sizeof(bare[0]); i++)
		if (!strcmp(c->unit, bare[i]) || !strcmp(c->unit, c->label)) {
			snprintf(buf, len, "%s", c->label);
			return;
		}
	snprintf(buf, len, "%s (%s)", c->label, c->unit);
}

/* Markdown-safe: the docs quote names with backticks but never contain '|'. */
void rf_print_columns(const struct result_file *rf, FILE *f)
{
	static const char *const better[] = {"", "lower", "higher"};

	fprintf(f, "\n### %s\n\nWritten by %s%s: %s.\n\n", rf->name, rf->written_by,
		rf->required ? " (always present)" : " (may be absent)", rf->doc);
	fprintf(f, "| column | unit | group | better | meaning and source |\n"
		   "| --- | --- | --- | --- | --- |\n");
	for (int i = 0; i < rf->ncols; i++) {
		const struct column *c = &rf->cols[i];

		fprintf(f, "| `%s` | %s | %s | %s | %s |\n", c->name, c->unit,
			metric_group_name(c->group), better[c->better], c->doc);
	}
}

int rf_read_file(const struct result_file *rf, const char *path, struct csv_table *t,
		 void **rows, size_t *n, char *err, size_t errlen)
{
	if (csv_read(path, t, err, errlen))
		return -1;
	if (rf_read_rows(rf, t, rows, n, err, errlen)) {
		csv_free(t);
		return -1;
	}
	return 0;
}
