/* `bpf2bpf-bench report DIR`: DIR/report.md and DIR/charts/ from the run's
 * files alone (no kernel access). The same files give the same report byte
 * for byte: nothing in it comes from the clock or the environment. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "base/mdtable.h"
#include "base/metrics.h"
#include "report/report.h"
#include "base/util.h"

static const char *env_or(const struct report *r, const char *key, const char *dflt)
{
	const char *v = rundir_env(r->rd, key);

	return v && *v ? v : dflt;
}

static void context(const struct report *r, FILE *f)
{
	const char *complete = rundir_env(r->rd, "complete");
	const char *failed = rundir_env(r->rd, "failed_steps");

	fprintf(f, "# bpf2bpf-bench: %s on %s\n\n", env_or(r, "kernel", "unknown kernel"),
		env_or(r, "host", "unknown host"));
	fprintf(f, "Kernel %s, timing %s, %s, -mcpu=%s, libbpf %s, %s; %s CPU(s) %s; run of %s. "
		   "Primary attach mode: %s.\n\n",
		env_or(r, "kernel", "?"), env_or(r, "timing", "?"), env_or(r, "clang", "clang ?"),
		env_or(r, "bpf_cpu", "?"), env_or(r, "libbpf", "?"), env_or(r, "bpftool", "bpftool ?"),
		env_or(r, "cpus", "?"), env_or(r, "cpu_model", ""), env_or(r, "started_utc", "?"),
		r->attach);
	if (complete && !strcmp(complete, "0"))
		fprintf(f, "> This run was interrupted (complete=0): what it did not reach is "
			   "missing.\n\n");
	if (failed && *failed)
		fprintf(f, "> Steps that failed in this run: %s.\n\n", failed);
}

struct file_note {
	const char *name;
	const char *if_missing;
};

/* What a missing file means for the reader. */
static const struct file_note notes[] = {
	{"env.txt", "no kernel configuration or CPU vulnerability detail"},
	{"sizes.csv", ""},
	{"overhead.csv", "no per-event times"},
	{"overhead-rounds.csv", "no per-round data"},
	{"overhead-pairs.csv", "no paired comparisons"},
	{"hammer.csv", "no storm-only figures"},
	{"hyperfine.csv", "no hyperfine cross-check"},
	{"hyperfine.json", "no raw hyperfine timings"},
	{"iperf.csv", "no iperf3 throughput"},
	{"verifier", "no verifier logs"},
	{"dumps", "no xlated/JIT dumps"},
};

static int files(const struct report *r, FILE *f)
{
	static const char *const head[] = {"file", "state"};
	struct mdtable t;

	if (md_init(&t, 2, head))
		return -1;
	for (size_t i = 0; i < sizeof(notes) / sizeof(notes[0]); i++) {
		const struct csv_table *tab = rundir_table(r->rd, notes[i].name);
		int dir = !strchr(notes[i].name, '.');

		md_cell(&t, "%s%s", notes[i].name, dir ? "/" : "");
		if (tab)
			md_cell(&t, "%zu rows", tab->nrows);
		else if (rundir_exists(r->rd, notes[i].name))
			md_cell(&t, "present");
		else
			md_cell(&t, "missing: %s", notes[i].if_missing);
	}
	fprintf(f, "## Files\n\n");
	int rc = md_print(&t, f);
	md_free(&t);
	fprintf(f, "\nRegenerate this report with `bpf2bpf-bench report DIR`; every column is "
		   "described by `bpf2bpf-bench report --columns`.\n\n");
	return rc;
}

static int write_report(const struct report *r, FILE *f)
{
	int rc = 0;

	context(r, f);
	rc |= report_findings(r, f);
	rc |= report_sizes_tables(r, f);
	if (r->chart[CHART_SIZES])
		fprintf(f, "![code size per variant](%s)\n\n", r->chart[CHART_SIZES]);
	else
		fprintf(f, "(code size chart: %s)\n\n", r->chart_note[CHART_SIZES]);
	rc |= report_failures(r, f);
	rc |= report_time_tables(r, f);
	rc |= report_storm_tables(r, f);
	rc |= report_crosscheck_tables(r, f);
	rc |= files(r, f);
	rc |= report_programs(r, f);
	return rc;
}

/* Built in memory, then written to report.md.tmp and renamed: a failure at
 * any point leaves the previous report.md (or none), never half of one. */
static int publish(const struct report *r, const char *dir, char *err, size_t errlen)
{
	char *buf = NULL, *path = NULL, *tmp = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc = -1;

	if (!f) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int bad = write_report(r, f);
	bad |= fclose(f) != 0;
	if (bad) {
		snprintf(err, errlen, "could not format the report");
		goto out;
	}
	if (asprintf(&path, "%s/report.md", dir) < 0 || asprintf(&tmp, "%s.tmp", path) < 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	int werr = write_file(tmp, buf, len);
	if (werr || rename(tmp, path)) {
		snprintf(err, errlen, "%s: %s", werr ? tmp : path, strerror(werr ? -werr : errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(buf);
	free(path);
	free(tmp);
	return rc;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: bpf2bpf-bench report [--no-charts] DIR\n"
		   "       bpf2bpf-bench report --columns\n\n"
		   "Writes DIR/report.md and DIR/charts/ (gnuplot) from the run directory's files\n"
		   "alone; the same files give the same report.\n\n"
		   "  --no-charts  do not run gnuplot (the report says so)\n"
		   "  --columns    print the markdown reference of every result column\n");
}

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{"columns", no_argument, NULL, 'c'},
		{"no-charts", no_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	int c, charts = 1;
	struct rundir rd;
	struct report r;
	char err[1024];

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			metrics_print_columns(stdout);
			return fflush(stdout) ? 1 : 0;
		case 'n':
			charts = 0;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	if (rundir_open(&rd, argv[optind], 1, err, sizeof(err)) ||
	    report_init(&r, &rd, err, sizeof(err))) {
		fprintf(stderr, "bpf2bpf-bench report: %s\n", err);
		if (rd.path)
			rundir_close(&rd);
		return 2;
	}
	int rc = 0;
	if (!charts) {
		for (int i = 0; i < CHART_N; i++)
			snprintf(r.chart_note[i], sizeof(r.chart_note[i]), "charts not drawn (--no-charts)");
	} else if (charts_draw(&r, err, sizeof(err))) {
		rc = 1;
	}
	if (!rc && publish(&r, argv[optind], err, sizeof(err)))
		rc = 1;
	if (rc)
		fprintf(stderr, "bpf2bpf-bench report: %s\n", err);
	rundir_close(&rd);
	return rc;
}
