/* CSV (RFC 4180) writing and reading: every result file goes through here so
 * quoting, column counts and truncation are checked in one place. */
#ifndef BPF2BPF_CSV_H
#define BPF2BPF_CSV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/atomic_file.h"

struct csv_writer {
	FILE *f;
	struct atomic_file file; /* file.f NULL when writing to a caller's FILE */
	int ncols;
	int col;	/* fields written in the current row */
	int err;
};

/* Open `path` for writing ("-" or NULL: stdout) and write the header row.
 * A file is written to "<path>.tmp" and only renamed to `path` by a
 * successful csv_close(), so an interrupted run never leaves a complete-looking
 * file. Returns 0 or -errno. */
int csv_open(struct csv_writer *w, const char *path, const char *const *cols, int ncols);
/* Same, on an already open stream (not closed by csv_close). */
int csv_open_stream(struct csv_writer *w, FILE *f, const char *const *cols, int ncols);
void csv_str(struct csv_writer *w, const char *s); /* NULL writes an empty field */
void csv_u64(struct csv_writer *w, uint64_t v);
void csv_i64(struct csv_writer *w, int64_t v);
void csv_dbl(struct csv_writer *w, double v, int decimals); /* NaN writes an empty field */
void csv_empty(struct csv_writer *w);
/* Ends the row; -EINVAL if the row does not have exactly ncols fields. */
int csv_end_row(struct csv_writer *w);
/* Flush, close and rename into place. Returns 0 or -errno (then nothing is
 * left at path). */
int csv_close(struct csv_writer *w);
/* Close and delete the temporary file: nothing is left at path. */
void csv_abort(struct csv_writer *w);

struct csv_table {
	char *path;
	int ncols;
	char **cols;
	size_t nrows;
	char ***rows; /* rows[r][c], NUL-terminated, unquoted */
	size_t *lines; /* line number where row r starts, for messages */
};

/* Read a whole CSV file with a header row. A row with a different number of
 * fields than the header, an unterminated quote or a missing final newline
 * (a truncated file) is an error: returns -1 and writes
 * "<path>:<line>: <what>" to err. */
int csv_read(const char *path, struct csv_table *t, char *err, size_t errlen);
int csv_col(const struct csv_table *t, const char *name); /* -1 when absent */
const char *csv_get(const struct csv_table *t, size_t row, int col); /* "" if col < 0 */
/* -1 and "<path>: missing column <name>" in err when any is absent. */
int csv_require(const struct csv_table *t, const char *const *names, int n, char *err,
		size_t errlen);
void csv_free(struct csv_table *t);

#endif
