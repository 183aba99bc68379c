/* The run model: a run directory read once — run.env into a typed struct and
 * every result file of the method table through its column table into typed
 * rows — with the same checks for report, compare and the matrix report, so
 * all three refuse the same broken inputs with the same "<file>:<line>:
 * <what>" lines. */
#ifndef BPF2BPF_MODEL_H
#define BPF2BPF_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/csv.h"
#include "base/run_env.h"
#include "base/schema.h"

#define RUN_MAX_FILES 24

struct run_table {
	const struct result_file *def;
	bool present;
	struct csv_table raw;
	void *rows; /* typed rows (strict runs only); text points into raw */
	size_t n;
};

struct run {
	char *path;
	struct run_facts env;
	char *env_store;
	int schema_version;
	size_t ntables;
	struct run_table tables[RUN_MAX_FILES];
};

/* Open DIR, reading the result files of the methods ms. strict (report, matrix-report): schema_version must be this
 * build's and every file present must have all of its columns, which are read
 * into typed rows. Not strict (compare): any schema version; a file needs its
 * key columns and numbers where numbers belong. Returns 0, or -1 with one
 * line in err. */
struct method_set;
int run_open(struct run *r, const char *dir, const struct method_set *ms, bool strict, char *err,
	     size_t errlen);
void run_close(struct run *r);
/* The typed rows of a file (NULL and *n = 0 when the run has none). */
const void *run_rows(const struct run *r, const struct result_file *rf, size_t *n);
/* The file as read (compare), NULL when absent. */
const struct csv_table *run_raw(const struct run *r, const struct result_file *rf);
/* DIR/relpath exists (files the report links but does not parse). */
bool run_has(const struct run *r, const char *relpath);

#endif
