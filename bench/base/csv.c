/* CSV (RFC 4180): a writer that quotes only where needed and publishes a file
 * atomically, and a strict reader that refuses truncated or ragged files. */
#include "base/csv.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- writer ---- */

static void set_err(struct csv_writer *w, int err)
{
	if (!w->err)
		w->err = err;
}

/* Separator before every field but the first of a row. */
static void field_start(struct csv_writer *w)
{
	if (w->col++ > 0 && fputc(',', w->f) == EOF)
		set_err(w, -EIO);
}

static int needs_quotes(const char *s)
{
	return strpbrk(s, ",\"\r\n") != NULL;
}

void csv_str(struct csv_writer *w, const char *s)
{
	field_start(w);
	if (!s || !*s)
		return;
	if (!needs_quotes(s)) {
		if (fputs(s, w->f) == EOF)
			set_err(w, -EIO);
		return;
	}
	int rc = fputc('"', w->f);
	for (; *s && rc != EOF; s++) {
		if (*s == '"')
			rc = fputc('"', w->f); /* "" inside quotes is one quote */
		if (rc != EOF)
			rc = fputc(*s, w->f);
	}
	if (rc == EOF || fputc('"', w->f) == EOF)
		set_err(w, -EIO);
}

/* Numbers never need quoting: printed straight after the separator. */
static void field_printf(struct csv_writer *w, const char *fmt, ...)
{
	va_list ap;

	field_start(w);
	va_start(ap, fmt);
	if (vfprintf(w->f, fmt, ap) < 0)
		set_err(w, -EIO);
	va_end(ap);
}

void csv_u64(struct csv_writer *w, uint64_t v)
{
	field_printf(w, "%" PRIu64, v);
}

void csv_i64(struct csv_writer *w, int64_t v)
{
	field_printf(w, "%" PRId64, v);
}

void csv_dbl(struct csv_writer *w, double v, int decimals)
{
	if (isnan(v)) {
		csv_empty(w);
		return;
	}
	if (decimals < 0)
		decimals = 0;
	if (decimals > 17)
		decimals = 17; /* beyond a double's precision */
	field_printf(w, "%.*f", decimals, v);
}

void csv_empty(struct csv_writer *w)
{
	field_start(w);
}

int csv_end_row(struct csv_writer *w)
{
	int ok = w->col == w->ncols;

	w->col = 0;
	if (fputc('\n', w->f) == EOF)
		set_err(w, -EIO);
	if (!ok) {
		/* The file is now ragged: make csv_close() refuse to publish it. */
		set_err(w, -EINVAL);
		return -EINVAL;
	}
	return 0;
}

static int write_header(struct csv_writer *w, const char *const *cols, int ncols)
{
	for (int i = 0; i < ncols; i++)
		csv_str(w, cols[i]);
	return csv_end_row(w);
}

int csv_open_stream(struct csv_writer *w, FILE *f, const char *const *cols, int ncols)
{
	memset(w, 0, sizeof(*w));
	if (!f || ncols <= 0)
		return -EINVAL;
	w->f = f;
	w->ncols = ncols;
	return write_header(w, cols, ncols);
}

int csv_open(struct csv_writer *w, const char *path, const char *const *cols, int ncols)
{
	int err;

	if (!path || !strcmp(path, "-"))
		return csv_open_stream(w, stdout, cols, ncols);
	memset(w, 0, sizeof(*w));
	if (ncols <= 0)
		return -EINVAL;
	if ((err = af_open(&w->file, path)))
		return err;
	w->f = w->file.f;
	w->ncols = ncols;
	err = write_header(w, cols, ncols);
	if (err)
		csv_abort(w);
	return err;
}

int csv_close(struct csv_writer *w)
{
	int err;

	if (!w->f)
		return -EBADF;
	if (fflush(w->f) == EOF || ferror(w->f))
		set_err(w, -EIO);
	if (!w->file.f) { /* a caller's stream: theirs to close */
		err = w->err;
	} else {
		err = af_commit(&w->file, w->err);
	}
	w->f = NULL;
	return err;
}

void csv_abort(struct csv_writer *w)
{
	if (w->file.f)
		af_abort(&w->file);
	w->f = NULL;
}

/* ---- reader ---- */

struct parser {
	const char *path;
	const char *p, *end;
	size_t line; /* line of *p */
	char *err;
	size_t errlen;
};

/* A growable array of fields of one record. */
struct record {
	char **f;
	int n, cap;
	size_t line; /* where the record starts */
};

static int fail(struct parser *ps, size_t line, const char *fmt, ...)
{
	va_list ap;
	int off = snprintf(ps->err, ps->errlen, "%s:%zu: ", ps->path, line);

	if (off >= 0 && (size_t)off < ps->errlen) {
		va_start(ap, fmt);
		vsnprintf(ps->err + off, ps->errlen - off, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static void free_fields(char **f, int n)
{
	for (int i = 0; f && i < n; i++)
		free(f[i]);
	free(f);
}

static void record_free(struct record *r)
{
	free_fields(r->f, r->n);
	memset(r, 0, sizeof(*r));
}

static int record_push(struct record *r, const char *s, size_t len)
{
	if (r->n == r->cap) {
		int cap = r->cap ? 2 * r->cap : 8;
		char **f = realloc(r->f, cap * sizeof(*f));

		if (!f)
			return -1;
		r->f = f;
		r->cap = cap;
	}
	r->f[r->n] = strndup(s, len);
	return r->f[r->n] ? (r->n++, 0) : -1;
}

/* "\n" or "\r\n" at p ends a record. Returns its length, 0 if none. */
static size_t eol_len(const struct parser *ps, const char *p)
{
	if (p < ps->end && *p == '\n')
		return 1;
	if (p + 1 < ps->end && p[0] == '\r' && p[1] == '\n')
		return 2;
	return 0;
}

/* A quoted field starting at the opening quote; its unquoted text goes to
 * buf (at least as long as the rest of the input). Returns its length or -1. */
static long parse_quoted(struct parser *ps, char *buf)
{
	size_t start_line = ps->line;
	long n = 0;

	for (ps->p++; ps->p < ps->end; ps->p++) {
		char c = *ps->p;

		if (c == '"') {
			if (ps->p + 1 < ps->end && ps->p[1] == '"') {
				buf[n++] = '"';
				ps->p++;
				continue;
			}
			ps->p++;
			if (ps->p < ps->end && *ps->p != ',' && !eol_len(ps, ps->p))
				return fail(ps, ps->line, "unexpected character after closing quote");
			return n;
		}
		if (c == '\n')
			ps->line++;
		buf[n++] = c;
	}
	return fail(ps, start_line, "unterminated quote");
}

/* One field at ps->p, pushed to r. */
static int parse_field(struct parser *ps, struct record *r, char *buf)
{
	if (ps->p < ps->end && *ps->p == '"') {
		long n = parse_quoted(ps, buf);

		return n < 0 ? -1 : record_push(r, buf, n);
	}
	const char *s = ps->p;
	while (ps->p < ps->end && *ps->p != ',' && !eol_len(ps, ps->p)) {
		if (*ps->p == '"')
			return fail(ps, ps->line, "quote inside an unquoted field");
		ps->p++;
	}
	return record_push(r, s, ps->p - s);
}

/* One record (fields up to and including its end of line). A record that
 * reaches the end of input without one is a truncated file. */
static int parse_record(struct parser *ps, struct record *r, char *buf)
{
	r->line = ps->line;
	for (;;) {
		if (parse_field(ps, r, buf) < 0)
			return -1;
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		size_t eol = eol_len(ps, ps->p);
		if (!eol)
			return fail(ps, ps->line, "missing final newline (truncated file?)");
		ps->p += eol;
		ps->line++;
		return 0;
	}
}

static int read_all(const char *path, char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	char *buf = NULL;

	if (!f)
		return -1;
	for (;;) {
		char *nb = realloc(buf, cap + 1);
		if (!nb)
			break;
		buf = nb;
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		cap *= 2;
	}
	int bad = !buf || ferror(f) || !feof(f);
	int saved = errno;
	fclose(f);
	if (bad) {
		free(buf);
		errno = saved ? saved : EIO;
		return -1;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}

static int table_add_row(struct csv_table *t, struct record *r)
{
	if ((t->nrows & (t->nrows - 1)) == 0) { /* grow at powers of two */
		size_t cap = t->nrows ? 2 * t->nrows : 1;
		char ***rows = realloc(t->rows, cap * sizeof(*rows));
		if (!rows)
			return -1;
		t->rows = rows;
		size_t *lines = realloc(t->lines, cap * sizeof(*lines));
		if (!lines)
			return -1;
		t->lines = lines;
	}
	t->rows[t->nrows] = r->f;
	t->lines[t->nrows++] = r->line;
	memset(r, 0, sizeof(*r));
	return 0;
}

static int parse_table(struct parser *ps, struct csv_table *t, char *buf)
{
	struct record r = {0};

	if (ps->p == ps->end)
		return fail(ps, 1, "empty file (no header)");
	if (parse_record(ps, &r, buf) < 0)
		goto err;
	t->ncols = r.n;
	t->cols = r.f;
	memset(&r, 0, sizeof(r));
	while (ps->p < ps->end) {
		if (parse_record(ps, &r, buf) < 0)
			goto err;
		if (r.n != t->ncols) {
			fail(ps, r.line, "%d field%s, header has %d", r.n, r.n == 1 ? "" : "s",
			     t->ncols);
			goto err;
		}
		if (table_add_row(t, &r) < 0) {
			fail(ps, r.line, "out of memory");
			goto err;
		}
	}
	return 0;
err:
	record_free(&r);
	return -1;
}

int csv_read(const char *path, struct csv_table *t, char *err, size_t errlen)
{
	struct parser ps = {.path = path, .line = 1, .err = err, .errlen = errlen};
	char *data, *buf;
	size_t len;

	memset(t, 0, sizeof(*t));
	if (read_all(path, &data, &len) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	buf = malloc(len + 1); /* a field is never longer than the file */
	t->path = strdup(path);
	if (!buf || !t->path) {
		snprintf(err, errlen, "%s: out of memory", path);
		free(data);
		free(buf);
		csv_free(t);
		return -1;
	}
	ps.p = data;
	ps.end = data + len;
	int rc = parse_table(&ps, t, buf);
	free(buf);
	free(data);
	if (rc < 0)
		csv_free(t);
	return rc;
}

int csv_col(const struct csv_table *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i], name))
			return i;
	return -1;
}

const char *csv_get(const struct csv_table *t, size_t row, int col)
{
	if (col < 0 || col >= t->ncols || row >= t->nrows)
		return "";
	return t->rows[row][col];
}

int csv_require(const struct csv_table *t, const char *const *names, int n, char *err,
		size_t errlen)
{
	for (int i = 0; i < n; i++) {
		if (csv_col(t, names[i]) < 0) {
			snprintf(err, errlen, "%s: missing column %s", t->path, names[i]);
			return -1;
		}
	}
	return 0;
}

void csv_free(struct csv_table *t)
{
	for (size_t r = 0; r < t->nrows; r++)
		free_fields(t->rows[r], t->ncols);
	free_fields(t->cols, t->ncols);
	free(t->rows);
	free(t->lines);
	free(t->path);
	memset(t, 0, sizeof(*t));
}
