/* bpf2bpf-bench iperf: a smoke check that the programs stay off the data
 * path. One iperf3 bulk stream on loopback runs while a connection storm runs
 * beside it (in a private network namespace) and a holder process keeps a
 * variant attached; with no program for comparison. The handler runs on
 * connection setup only, so a stream well below the no-program one means
 * something else is wrong. One 1-second stream per cell is a smoke check, not
 * a measurement: its spread is about ±20% here, and the report says so. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "kernel/holder.h"
#include "kernel/session.h"
#include "methods/crosscheck.h"
#include "methods/iperf_proc.h"
#include "methods/method.h"

#define MAX_CELLS 16
/* Below this share of the no-program stream, a cell is flagged. */
#define SMOKE_FLOOR 0.5

struct iperf_opts {
	const char *dir;
	const struct attach_mode *mode;
	int rounds;
};

static int run(const struct iperf_opts *o, struct iperf_row *rows, size_t *n, char (*why)[300])
{
	const struct variant *cells[MAX_CELLS];
	int nc = 0, port = 20000 + (int)(getpid() % 20000);

	cells[nc++] = NULL;
	for (size_t i = 0; i < nvariants && nc < MAX_CELLS; i++)
		cells[nc++] = &variants[i];
	for (int round = 0; round < o->rounds; round++)
		for (int pos = 0; pos < nc; pos++) {
			int ci = (pos + round) % nc;
			const struct variant *v = cells[ci];
			struct load_opts lo = {.variant = v, .mode = o->mode, .output = OUTPUT_NONE};
			struct holder h = {.pid = -1, .fd = -1};
			struct iperf_row *r = &rows[(*n)++];
			struct iperf_storm s;

			rf_row_clear(&iperf_csv, r);
			r->kernel = kernel_release();
			r->variant = v ? v->name : CROSSCHECK_NO_PROGRAM;
			r->attach = o->mode->name;
			r->round = round;
			r->status = "ok";
			r->reason = why[*n - 1];
			why[*n - 1][0] = '\0';
			fprintf(stderr, "iperf: round %d/%d  %s\n", round + 1, o->rounds,
				v ? v->name : "(no program)");
			if (v && holder_start(&lo, &h, why[*n - 1], sizeof(why[0]))) {
				r->status = "failed";
				continue;
			}
			if (iperf_storm_start(&s)) {
				snprintf(why[*n - 1], sizeof(why[0]), "storm: %s", strerror(errno));
				r->status = "failed";
			} else {
				r->gbit_per_s = iperf_stream(o->dir, port + (int)*n, why[*n - 1], sizeof(why[0]));
				r->storm_connections = (int64_t)iperf_storm_stop(&s);
				if (isnan(r->gbit_per_s))
					r->status = "failed";
			}
			if (v)
				holder_stop(&h);
		}
	return 0;
}

/* Flag a cell whose stream fell below SMOKE_FLOOR of the no-program one in
 * the same round. */
static void judge(struct iperf_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct iperf_row *none = NULL;

		for (size_t k = 0; k < n && !none; k++)
			if (rows[k].round == rows[i].round && !strcmp(rows[k].variant, CROSSCHECK_NO_PROGRAM))
				none = &rows[k];
		if (none && none != &rows[i] && !strcmp(rows[i].status, "ok") &&
		    !isnan(none->gbit_per_s) && rows[i].gbit_per_s < SMOKE_FLOOR * none->gbit_per_s)
			rows[i].status = "flagged";
	}
}

static bool have_iperf3(void)
{
	return system("command -v iperf3 >/dev/null 2>&1") == 0;
}

static int iperf_run(struct iperf_opts *o)
{
	struct session_env env;
	struct iperf_row *rows = calloc((size_t)o->rounds * MAX_CELLS + 1, sizeof(*rows));
	char(*why)[300] = calloc((size_t)o->rounds * MAX_CELLS + 1, sizeof(*why));
	char path[4200];
	size_t n = 0;
	int lock, rc = 1, err;

	if (!rows || !why || mkdir_p(o->dir))
		goto out;
	snprintf(path, sizeof(path), "%.4000s/iperf.csv", o->dir);
	if (!have_iperf3()) {
		rf_row_clear(&iperf_csv, &rows[0]);
		rows[0] = (struct iperf_row){.kernel = kernel_release(), .variant = CROSSCHECK_NO_PROGRAM,
					     .attach = "", .round = 0, .gbit_per_s = NAN,
					     .storm_connections = -1, .status = "skipped",
					     .reason = "iperf3 is not installed (apt-get install iperf3)"};
		fprintf(stderr, "iperf: %s\n", rows[0].reason);
		rc = rf_write_file(&iperf_csv, path, rows, 1) ? 1 : 0;
		goto out;
	}
	if ((lock = bench_lock("iperf")) < 0)
		goto out;
	if (!session_setup("iperf", o->mode, false, stderr, &env)) {
		o->mode = env.mode;
		run(o, rows, &n, why);
		judge(rows, n);
		if ((err = rf_write_file(&iperf_csv, path, rows, n)))
			fprintf(stderr, "iperf: %s: %s\n", path, strerror(-err));
		rc = err ? 1 : 0;
	}
	close(lock);
out:
	free(rows);
	free(why);
	return rc;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: bpf2bpf-bench iperf -o DIR [--attach MODE] [--rounds N]\n\n"
		   "A smoke check: one iperf3 loopback stream (" IPERF_STREAM_S " s) beside a connection\n"
		   "storm, with each variant held attached and with no program; writes\n"
		   "DIR/iperf.csv and flags a stream below half the no-program one.\n\n"
		   "  -o, --out DIR   output directory (required)\n"
		   "  --attach MODE   auto (default) or one mode\n"
		   "  --rounds N      streams per cell, rotated (default 1)\n"
		   "  -h, --help\n");
}

int cmd_iperf(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"out", required_argument, 0, 'o'},   {"attach", required_argument, 0, 'a'},
		{"rounds", required_argument, 0, 'r'}, {"help", no_argument, 0, 'h'},
		{0, 0, 0, 0},
	};
	struct iperf_opts o = {.rounds = 1};
	long v;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o.dir = optarg; break;
		case 'a':
			if (attach_mode_arg("iperf", optarg, &o.mode))
				return 2;
			break;
		case 'r':
			if (parse_count("iperf", optarg, "--rounds", 20, &v))
				return 2;
			o.rounds = (int)v;
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc || !o.dir) {
		fprintf(stderr, "iperf: %s\n", o.dir ? "unexpected argument" : "-o DIR is required");
		return 2;
	}
	return iperf_run(&o);
}

int iperf_bench(const struct bench_ctx *ctx)
{
	struct iperf_opts o = {.dir = ctx->dir, .mode = ctx->mode, .rounds = 1};

	return iperf_run(&o);
}
