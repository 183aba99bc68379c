/* A run directory (results/<UTC>-<host>-<kernel>/): run.env and the CSV files
 * of bench/metrics.c, read and validated in one place so report and compare
 * refuse the same broken inputs with the same "<file>:<line>: <what>" lines. */
#ifndef BPF2BPF_RUNDIR_H
#define BPF2BPF_RUNDIR_H

#include <stddef.h>

#include "base/csv.h"

#define RUNDIR_MAX_FILES 8

struct rundir {
	char *path;
	size_t nenv;
	char **env_key, **env_val; /* run.env in file order */
	int schema_version;
	/* Indexed like metric_files[]; a file is present when have[i]. */
	struct csv_table tables[RUNDIR_MAX_FILES];
	unsigned char have[RUNDIR_MAX_FILES];
};

/* Read run.env and every CSV of the schema that exists. strict (report):
 * schema_version must be RUN_SCHEMA_VERSION and each file must have all of its
 * columns. Not strict (compare): any schema version, only the key columns are
 * required, so two versions can be compared on what they share. Numeric cells
 * must be numbers or empty either way. Returns 0, or -1 with one line in err. */
int rundir_open(struct rundir *rd, const char *path, int strict, char *err, size_t errlen);
void rundir_close(struct rundir *rd);
/* The last value of key in run.env, NULL when absent. */
const char *rundir_env(const struct rundir *rd, const char *key);
/* The table of `file` ("sizes.csv"), NULL when the run has none. */
const struct csv_table *rundir_table(const struct rundir *rd, const char *file);
/* 1 when DIR/relpath exists (files the report lists but does not parse). */
int rundir_exists(const struct rundir *rd, const char *relpath);

#endif
