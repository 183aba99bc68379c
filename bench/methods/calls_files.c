/* The calls method's summary files, written from calls-rounds.csv alone: by
 * the run itself, and by `calls --summarize DIR` later (a changed statistic
 * recomputes committed runs without measuring again). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/csv.h"
#include "base/run_env.h"
#include "methods/calls.h"

/* The summary files from rows read back from calls-rounds.csv (never from a
 * run's in-memory rows, which are not rounded as the file is). */
static int write_summary(const char *dir, const struct calls_round_row *rows, size_t n,
			 const char *status)
{
	struct calls_summary s;
	char path[4200];
	int err;

	if (calls_summarize(rows, n, status, &s)) {
		fprintf(stderr, "calls: summarising %s: %s\n", dir, strerror(ENOMEM));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/calls.csv", dir);
	err = rf_write_file(&calls_csv, path, s.rows, s.nrows);
	if (!err) {
		snprintf(path, sizeof(path), "%s/calls-bpf-stats.csv", dir);
		err = rf_write_file(&calls_bpf_stats_csv, path, s.stats, s.nstats);
	}
	calls_summary_free(&s);
	if (err)
		fprintf(stderr, "calls: writing %s failed: %s\n", path, strerror(-err));
	return err ? -1 : 0;
}

/* What the run that wrote DIR ended as, when it cannot say so itself
 * (`calls --summarize DIR`): "incomplete" when its run.env says complete=0
 * (the bench driver marks an interrupted or unfinished run so, and
 * calls.csv may be missing) or when its calls.csv rows say "incomplete" (a
 * calls run of its own has no run.env); else "ok". A "failed" row is a
 * variant the kernel refused, not the run's end, so it is not carried over. */
static const char *run_status(const char *dir)
{
	char path[4200], err[256], *store = NULL;
	struct run_facts f;
	struct csv_table t;
	const char *st = "ok";
	int col;

	snprintf(path, sizeof(path), "%s/run.env", dir);
	if (!access(path, F_OK) && !run_env_read(path, &f, &store, err, sizeof(err)) &&
	    f.complete && !strcmp(f.complete, "0"))
		st = "incomplete";
	free(store);
	snprintf(path, sizeof(path), "%s/calls.csv", dir);
	if (csv_read(path, &t, err, sizeof(err)))
		return st;
	col = csv_col(&t, "status");
	for (size_t i = 0; col >= 0 && i < t.nrows; i++)
		if (!strcmp(csv_get(&t, i, col), "incomplete"))
			st = "incomplete";
	csv_free(&t);
	return st;
}

int calls_summarize_dir(const char *dir, const char *status)
{
	char path[4200], err[512];
	struct csv_table t;
	struct calls_round_row *rows;
	size_t n;
	int rc;

	snprintf(path, sizeof(path), "%s/calls-rounds.csv", dir);
	if (rf_read_file(&calls_rounds_csv, path, &t, (void **)&rows, &n, err, sizeof(err))) {
		fprintf(stderr, "calls: %s\n", err);
		return 2;
	}
	rc = write_summary(dir, rows, n, status ? status : run_status(dir)) ? 1 : 0;
	free(rows);
	csv_free(&t);
	return rc;
}
