/* bpf2bpf-bench hyperfine: an independent, end-to-end cross-check of the
 * per-event times. hyperfine times whole storms (`bpf2bpf-bench hammer
 * --netns`, N connections each) while a holder process keeps one variant
 * attached (output none, every namespace), and with none; loading and
 * attaching happen once per holder, outside the timed runs. Every round times
 * every cell once (one holder, one hyperfine invocation of a few runs), in
 * rotated order, as overhead does. Rounds are the statistical units: a
 * round's runs share a holder and an invocation, so they are averaged, and
 * the added wall time per connection is the median over rounds of the paired
 * difference to the no-program storm, with a bootstrap CI over rounds; the
 * report sets it beside the in-process figure (overhead.csv). */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "base/stats.h"
#include "base/util.h"
#include "kernel/holder.h"
#include "kernel/session.h"
#include "methods/crosscheck.h"
#include "methods/method.h"

#define MAX_CELLS 16
#define DEFAULT_ROUNDS 10
#define DEFAULT_RUNS 2

struct hf_opts {
	const char *dir;
	const struct attach_mode *mode;
	int rounds, runs;
	long connections;
};

struct cell {
	const struct variant *v; /* NULL: no program */
	char reason[LOADER_REASON_LEN + 64];
	bool failed;
};

/* hyperfine's JSON: results[0].times, one per timed run. */
static int parse_times(const char *path, double *t, int max, char *err, size_t errlen)
{
	struct json_object *root = json_object_from_file(path), *res, *first, *times;
	int n = 0;

	if (!root) {
		snprintf(err, errlen, "%.300s: not JSON: %s", path, json_util_get_last_err());
		return -1;
	}
	if (!json_object_object_get_ex(root, "results", &res) || !(first = json_object_array_get_idx(res, 0)) ||
	    !json_object_object_get_ex(first, "times", &times)) {
		snprintf(err, errlen, "%.300s: no results[0].times", path);
		json_object_put(root);
		return -1;
	}
	for (size_t i = 0; i < json_object_array_length(times) && n < max; i++)
		t[n++] = json_object_get_double(json_object_array_get_idx(times, i));
	json_object_put(root);
	return n;
}

/* One hyperfine invocation: `runs` timed storms (after one warm-up). */
static int time_storms(const struct hf_opts *o, const char *name, double *t, int max, char *err,
		       size_t errlen)
{
	char self[4096], cmd[4300], json[4200], runs[16], log[4200];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int rc;

	if (n <= 0) {
		snprintf(err, errlen, "readlink /proc/self/exe: %s", strerror(errno));
		return -1;
	}
	self[n] = '\0';
	snprintf(cmd, sizeof(cmd), "%s hammer --netns --connections %ld --quiet", self,
		 o->connections);
	snprintf(json, sizeof(json), "%.4000s/.hyperfine-%s.json", o->dir, name);
	snprintf(log, sizeof(log), "%.4000s/.hyperfine-%s.log", o->dir, name);
	snprintf(runs, sizeof(runs), "%d", o->runs);
	rc = run_to_file((char *const[]){"hyperfine", "--shell=none", "--warmup", "1", "--runs", runs,
					 "--style", "basic", "--export-json", json, "-n", (char *)name,
					 cmd, NULL},
			 log);
	if (rc) {
		snprintf(err, errlen, "hyperfine %s (see %.300s)",
			 rc < 0 ? strerror(-rc) : "failed", log);
		return -1;
	}
	rc = parse_times(json, t, max, err, errlen);
	remove(json);
	remove(log);
	return rc;
}

static void row_of(const struct hf_opts *o, const struct cell *c, struct hyperfine_row *r)
{
	rf_row_clear(&hyperfine_csv, r);
	r->kernel = kernel_release();
	r->variant = c->v ? c->v->name : CROSSCHECK_NO_PROGRAM;
	r->attach = o->mode ? o->mode->name : "";
	r->connections = o->connections;
	r->status = c->failed ? "failed" : "ok";
	r->reason = c->reason;
}

/* hyperfine-runs.csv, then hyperfine.csv computed from it, plus a row for
 * each cell that could not run, saying why. */
static int write_results(const struct hf_opts *o, const struct hf_run_row *runs, size_t nruns,
			 const struct cell *cells, int nc)
{
	struct hyperfine_row *rows = NULL;
	size_t n = 0;
	char path[4200];
	int err = -ENOMEM;

	snprintf(path, sizeof(path), "%.4000s/hyperfine-runs.csv", o->dir);
	if ((err = rf_write_file(&hf_runs_csv, path, runs, nruns)))
		goto out;
	err = -ENOMEM;
	if (hyperfine_summarize(runs, nruns, (size_t)nc, &rows, &n))
		goto out;
	for (int i = 0; i < nc; i++)
		if (cells[i].failed)
			row_of(o, &cells[i], &rows[n++]);
	snprintf(path, sizeof(path), "%.4000s/hyperfine.csv", o->dir);
	err = rf_write_file(&hyperfine_csv, path, rows, n);
out:
	if (err)
		fprintf(stderr, "hyperfine: writing %s: %s\n", path, strerror(-err));
	free(rows);
	return err ? -1 : 0;
}

static int run(const struct hf_opts *o)
{
	struct cell cells[MAX_CELLS];
	struct hf_run_row *runs = NULL;
	size_t nruns = 0, cap = 0;
	int nc = 0, rc = 0;
	char err[512];

	cells[nc++] = (struct cell){0};
	for (size_t i = 0; i < nvariants && nc < MAX_CELLS; i++)
		cells[nc++] = (struct cell){.v = &variants[i]};
	for (int round = 0; round < o->rounds && !rc; round++)
		for (int pos = 0; pos < nc && !rc; pos++) {
			struct cell *c = &cells[(pos + round) % nc];
			struct load_opts lo = {.variant = c->v, .mode = o->mode, .output = OUTPUT_NONE};
			struct holder h = {.pid = -1, .fd = -1};
			double t[64];
			int n;

			if (c->failed)
				continue;
			fprintf(stderr, "hyperfine: round %d/%d  %s\n", round + 1, o->rounds,
				c->v ? c->v->name : "(no program)");
			if (c->v && holder_start(&lo, &h, c->reason, sizeof(c->reason))) {
				c->failed = true; /* the report says why, in the kernel's words */
				continue;
			}
			n = time_storms(o, c->v ? c->v->name : CROSSCHECK_NO_PROGRAM, t, 64, err,
					sizeof(err));
			if (c->v && holder_stop(&h))
				fprintf(stderr, "hyperfine: the %s holder did not exit cleanly\n",
					c->v->name);
			if (n < 0) {
				fprintf(stderr, "hyperfine: %s\n", err);
				rc = -1;
				break;
			}
			for (int i = 0; i < n; i++) {
				if (nruns == cap) {
					struct hf_run_row *nr = realloc(runs, (cap = cap * 2 + 64) * sizeof(*nr));

					if (!nr) {
						rc = -1;
						break;
					}
					runs = nr;
				}
				runs[nruns++] = (struct hf_run_row){
					.kernel = kernel_release(), .variant = c->v ? c->v->name : CROSSCHECK_NO_PROGRAM,
					.attach = o->mode->name, .round = round, .run = i,
					.connections = o->connections, .seconds = t[i],
				};
			}
		}
	if (!rc)
		rc = write_results(o, runs, nruns, cells, nc);
	free(runs);
	return rc ? 1 : 0;
}

static bool have_tool(const char *tool)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

/* No hyperfine: one row that says so, instead of a silent gap. */
static int skipped(const struct hf_opts *o)
{
	struct cell c = {0};
	struct hyperfine_row r;

	char path[4200];

	snprintf(c.reason, sizeof(c.reason), "hyperfine is not installed (apt-get install hyperfine)");
	row_of(o, &c, &r);
	r.status = "skipped";
	fprintf(stderr, "hyperfine: %s\n", c.reason);
	snprintf(path, sizeof(path), "%.4000s/hyperfine.csv", o->dir);
	return rf_write_file(&hyperfine_csv, path, &r, 1) ? 1 : 0;
}

static int hyperfine_run(struct hf_opts *o)
{
	struct session_env env;
	int lock, rc;

	if (mkdir_p(o->dir)) {
		fprintf(stderr, "hyperfine: cannot create %s\n", o->dir);
		return 1;
	}
	if (!have_tool("hyperfine"))
		return skipped(o);
	if ((lock = bench_lock("hyperfine")) < 0)
		return 1;
	if (session_setup("hyperfine", o->mode, false, stderr, &env)) {
		close(lock);
		return 1;
	}
	o->mode = env.mode;
	rc = run(o);
	close(lock);
	return rc;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: bpf2bpf-bench hyperfine -o DIR [options]\n\n"
		   "Time whole storms (hammer --netns) with hyperfine while a holder process keeps\n"
		   "each variant attached, and with no program; write DIR/hyperfine-runs.csv and\n"
		   "DIR/hyperfine.csv. Rounds are the statistical units: every round times every\n"
		   "cell once (one holder, one hyperfine invocation of --runs storms after a\n"
		   "warm-up), in rotated order; per round a cell's runs are averaged, and the added\n"
		   "wall time per connection is the median over rounds of the paired difference to\n"
		   "the no-program storm in the same round, with a 95%% bootstrap CI over rounds.\n\n"
		   "  -o, --out DIR       output directory (required)\n"
		   "  --attach MODE       auto (default) or one mode\n"
		   "  --rounds N          rounds of every cell, rotated (default %d, at least %d)\n"
		   "  --runs N            timed storms per cell and round, averaged (default %d)\n"
		   "  --connections N     connections per storm (default 5000)\n"
		   "  -h, --help\n",
		DEFAULT_ROUNDS, HYPERFINE_MIN_ROUNDS, DEFAULT_RUNS);
}

int cmd_hyperfine(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"out", required_argument, 0, 'o'},	 {"attach", required_argument, 0, 'a'},
		{"rounds", required_argument, 0, 'r'},	 {"runs", required_argument, 0, 'R'},
		{"connections", required_argument, 0, 'n'}, {"help", no_argument, 0, 'h'},
		{0, 0, 0, 0},
	};
	struct hf_opts o = {.rounds = DEFAULT_ROUNDS, .runs = DEFAULT_RUNS, .connections = 5000};
	long v;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o.dir = optarg; break;
		case 'a':
			if (attach_mode_arg("hyperfine", optarg, &o.mode))
				return 2;
			break;
		case 'r':
			if (parse_count("hyperfine", optarg, "--rounds", 50, &v))
				return 2;
			if (v < HYPERFINE_MIN_ROUNDS) {
				fprintf(stderr,
					"hyperfine: --rounds %ld is too few: rounds are the statistical "
					"units, and an interval needs at least %d\n",
					v, HYPERFINE_MIN_ROUNDS);
				return 2;
			}
			o.rounds = (int)v;
			break;
		case 'R':
			if (parse_count("hyperfine", optarg, "--runs", 60, &v))
				return 2;
			o.runs = (int)v;
			break;
		case 'n':
			if (parse_count("hyperfine", optarg, "--connections", 1000000, &o.connections))
				return 2;
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc || !o.dir) {
		fprintf(stderr, "hyperfine: %s\n", o.dir ? "unexpected argument" : "-o DIR is required");
		return 2;
	}
	return hyperfine_run(&o);
}

int hyperfine_bench(const struct bench_ctx *ctx)
{
	/* Rounds are the units: never fewer than an interval needs, --quick
	 * or not; --quick times one shorter storm per cell and round. */
	struct hf_opts o = {.dir = ctx->dir, .mode = ctx->mode, .rounds = DEFAULT_ROUNDS,
			    .runs = ctx->quick ? 1 : DEFAULT_RUNS,
			    .connections = ctx->quick ? 2000 : 5000};

	return hyperfine_run(&o);
}
