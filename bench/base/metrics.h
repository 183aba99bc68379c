/* The column-definition table (veristat's stat_defs idea): every column of
 * every result file with its unit, group, direction and source. It is the
 * schema (column order of each file), and it drives the report tables, the
 * compare output and the README column reference, so the three cannot drift
 * apart. */
#ifndef BPF2BPF_METRICS_H
#define BPF2BPF_METRICS_H

#include <stddef.h>
#include <stdio.h>

#define RUN_SCHEMA_VERSION 1

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
	MG_STORM,    /* end-to-end connection storm */
	MG_CHECK,    /* external cross-checks (hyperfine, iperf3) */
	MG_STATUS,
};

enum metric_better { MB_NONE, MB_LOWER, MB_HIGHER };

struct metric_def {
	const char *file; /* NULL: same meaning in every file with this column */
	const char *column;
	const char *label; /* short table header */
	const char *unit;  /* "" when dimensionless */
	enum metric_kind kind;
	enum metric_group group;
	enum metric_better better;
	int decimals; /* how the report and compare print it */
	int in_report; /* a column of the report's table for its group */
	const char *doc; /* meaning and where the number comes from */
};

struct metric_file {
	const char *name; /* "sizes.csv" */
	const char *written_by;
	int required; /* a run directory without it is not a run */
	int compared; /* `compare` covers its numeric columns */
	const char *const *cols; /* schema v1 column order */
	int ncols;
	const char *const *keys; /* what identifies a row */
	int nkeys;
	const char *doc;
};

struct run_env_key {
	const char *key;
	const char *doc;
};

extern const struct metric_file metric_files[];
extern const size_t nmetric_files;
extern const struct run_env_key run_env_keys[];
extern const size_t nrun_env_keys;

const struct metric_file *metrics_file(const char *name);
/* The definition of `column` in `file` (a file-specific one first). */
const struct metric_def *metric_find(const char *file, const char *column);
const char *metric_group_name(enum metric_group g);

/* A CSV cell as a number: 0 and *v set, -1 when empty or not a number. */
int metric_parse(const char *cell, double *v);
/* The value with the metric's decimals; "-" for an empty cell. */
void metric_fmt(const struct metric_def *m, const char *cell, char *buf, size_t len);
void metric_fmt_num(double v, int decimals, char *buf, size_t len);
/* veristat style "b - a (pct)": "-627 (-2.91%)"; the pct is "N/A" when a is
 * zero and b is not. */
void metric_fmt_diff(double a, double b, int decimals, char *buf, size_t len);
/* diff and pct as separate cells (pct "" when undefined), for CSV. */
void metric_diff_cells(double a, double b, int decimals, char *diff, char *pct, size_t len);

/* Table header: "ELF code (bytes)", or the bare label of a count. */
void metric_header(const struct metric_def *m, char *buf, size_t len);

/* The markdown column reference (README's "Result files" section). */
void metrics_print_columns(FILE *f);

#endif
