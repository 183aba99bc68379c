/* The result-file schema (veristat's stat_defs[] idea, taken one step
 * further): one table per result file lists its columns in order, each with
 * its unit, group, direction, decimals and meaning, *and the field of the
 * file's row struct it is written from and read into*. The same table drives
 * the CSV writer, the typed reader of the report, the report's generic
 * tables, `compare` and the README's column reference, so a new column is one
 * line here plus the field it names. run.env is described the same way (a
 * file of one row of text fields). */
#ifndef BPF2BPF_SCHEMA_H
#define BPF2BPF_SCHEMA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/csv.h"

/* Layout of the run directory and its columns: bump on any change to a
 * column table (report refuses other versions; compare compares what two
 * versions share). */
#define RUN_SCHEMA_VERSION 5
#define RUN_SCHEMA_VERSION_STR "5"

enum col_type {
	COL_TEXT, /* const char *: NULL or "" is an empty cell */
	COL_INT,  /* int64_t: a negative value is an empty cell (not measured) */
	COL_NUM,  /* double: NaN is an empty cell */
};

enum metric_kind {
	MK_KEY,	 /* identifies the row (matched by compare) */
	MK_NUM,	 /* a number: compared, tabulated */
	MK_TEXT, /* text or an identifier that is not a measurement */
};

enum metric_group {
	MG_ID,	     /* keys and bookkeeping */
	MG_ELF,	     /* the object file clang and bpftool produced */
	MG_VERIFIER, /* what the verifier did */
	MG_IMAGE,    /* what the kernel keeps: xlated and JIT images */
	MG_TIME,     /* time per event */
	MG_CALL,     /* time per call (the calls method) */
	MG_STORM,    /* end-to-end connection storm */
	MG_CHECK,    /* external cross-checks (hyperfine, iperf3) */
	MG__COUNT,
};

enum metric_better { MB_NONE, MB_LOWER, MB_HIGHER };

struct column {
	const char *name; /* CSV header, and the row struct's field name */
	enum col_type type;
	size_t offset; /* of the field in the file's row struct */
	enum metric_kind kind;
	enum metric_group group;
	enum metric_better better;
	int decimals;  /* how the report prints it; the CSV keeps two more */
	int in_report; /* a column of the report's generic tables */
	const char *label; /* short table header */
	const char *unit;  /* "" when dimensionless */
	const char *doc;   /* meaning, and where the number comes from */
};

struct result_file {
	const char *name; /* "sizes.csv" */
	const char *written_by;
	int required; /* a run directory without it is not a run */
	int compared; /* `compare` covers its numeric columns */
	const struct column *cols;
	int ncols;
	size_t row_size; /* sizeof the row struct the columns point into */
	const char *doc;
};

/* Column definitions: the field name is the column name. */
#define COL_(st, f, ty, kd, grp, bet, dec, rep, lab, unit, doc) \
	{#f, ty, offsetof(st, f), kd, grp, bet, dec, rep, lab, unit, doc}
#define KEY_TEXT(st, f, doc) COL_(st, f, COL_TEXT, MK_KEY, MG_ID, MB_NONE, 0, 0, #f, "", doc)
#define KEY_INT(st, f, doc) COL_(st, f, COL_INT, MK_KEY, MG_ID, MB_NONE, 0, 0, #f, "", doc)
#define TEXT(st, f, doc) COL_(st, f, COL_TEXT, MK_TEXT, MG_ID, MB_NONE, 0, 0, #f, "", doc)
#define INT(st, f, lab, unit, grp, bet, rep, doc) \
	COL_(st, f, COL_INT, MK_NUM, grp, bet, 0, rep, lab, unit, doc)
#define NUM(st, f, lab, unit, grp, bet, dec, rep, doc) \
	COL_(st, f, COL_NUM, MK_NUM, grp, bet, dec, rep, lab, unit, doc)
#define FILE_DEF(n, by, req, cmp, st, cols, doc) \
	{n, by, req, cmp, cols, (int)(sizeof(cols) / sizeof(cols[0])), sizeof(st), doc}

/* ---- the table's own look-ups ---- */
const struct column *rf_col(const struct result_file *rf, const char *name);
/* The key columns (kind MK_KEY) in order; returns how many (at most max). */
int rf_keys(const struct result_file *rf, const struct column **keys, int max);
const char *metric_group_name(enum metric_group g);
/* Does the column's value depend on how the run was timed (native, emulated)?
 * Decided by its unit: a time (ns, us, ms, s), a rate over time (conn/s,
 * Gbit/s) or a percentage (every percentage in the tables is a change of a
 * rate). Counts (runs, rounds, events), sizes and verifier work are not. */
int col_is_timed(const struct column *c);

/* ---- one row through the table ---- */
/* A field's value as a number (NaN when empty, or text) and as text. */
double col_num(const struct column *c, const void *row);
const char *col_text(const struct column *c, const void *row);
/* The CSV cell of a field (empty cell -> ""), in buf. */
const char *col_cell(const struct column *c, const void *row, char *buf, size_t len);
/* Set every field of a row to "empty" (NULL, -1, NaN). */
void rf_row_clear(const struct result_file *rf, void *row);

/* ---- CSV through the table ---- */
/* Open path ("-": stdout) for rf with its header row; see csv_open. */
int rf_open(struct csv_writer *w, const struct result_file *rf, const char *path);
/* Write one row struct as a CSV row. 0 or -errno. */
int rf_write_row(struct csv_writer *w, const struct result_file *rf, const void *row);
/* A whole file: rows[n] of rf->row_size bytes, atomically. 0 or -errno. */
int rf_write_file(const struct result_file *rf, const char *path, const void *rows, size_t n);
/* The typed rows of a CSV table read from rf's file: every column of rf
 * must be there (the table's order need not match) and every number parse.
 * Text fields point into t, which must outlive the rows. Returns 0 with
 * *rows (free()) and *n, or -1 with "<file>:<line>: <what>" in err. */
int rf_read_rows(const struct result_file *rf, const struct csv_table *t, void **rows, size_t *n,
		 char *err, size_t errlen);
/* csv_read() of path, then rf_read_rows(): 0 with t, *rows and *n (free
 * both), or -1 with the reason in err and nothing to free. */
int rf_read_file(const struct result_file *rf, const char *path, struct csv_table *t,
		 void **rows, size_t *n, char *err, size_t errlen);
/* Check a table has the key columns of rf and numbers where rf has numbers
 * (for `compare`, which reads other schema versions too). */
int rf_check_loose(const struct result_file *rf, const struct csv_table *t, char *err,
		   size_t errlen);

/* ---- key=value files (run.env, kernel.env, boot.env) through a table ----
 * A file is one row: a line per column, key=value. */
/* Read path into row (fields of keys present are set; others untouched:
 * clear the row first, or read a second file into it). Keys the table lacks
 * are ignored. Text points into *store (free() it). 0, or -1 with err. */
int kv_read_row(const char *path, const struct result_file *rf, void *row, char **store, char *err,
		size_t errlen);
/* key=value lines in table order, atomically. 0 or -errno. */
int kv_write_row(const char *path, const struct result_file *rf, const void *row);

/* ---- numbers as the report and compare print them ---- */
/* A CSV cell as a number: 0 and *v set, -1 when empty or not a number. */
int metric_parse(const char *cell, double *v);
/* "-" for NaN; never "-0.0". */
void metric_fmt_num(double v, int decimals, char *buf, size_t len);
/* A field with its column's decimals, "-" when empty. */
void col_fmt(const struct column *c, const void *row, char *buf, size_t len);
/* veristat style "b - a (pct)": "-627 (-2.91%)"; pct "N/A" when a is 0. */
void metric_fmt_diff(double a, double b, int decimals, char *buf, size_t len);
/* diff and pct as separate cells (pct "" when undefined), for CSV. */
void metric_diff_cells(double a, double b, int decimals, char *diff, char *pct, size_t len);
/* Table header: "ELF code (bytes)", or the bare label of a count. */
void col_header(const struct column *c, char *buf, size_t len);

/* The markdown reference of one file's columns (README, report --columns). */
void rf_print_columns(const struct result_file *rf, FILE *f);

#endif
