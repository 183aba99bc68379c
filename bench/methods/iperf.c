/* bpf2bpf-bench iperf: a smoke check that the programs stay off the data
 * path. One iperf3 bulk stream on loopback runs while a connection storm runs
 * beside it (in a private network namespace) and a holder process keeps a
 * variant attached; with no program for comparison. The handler runs on
 * connection setup only, so a stream well below the no-program one means
 * something else is wrong. One 1-second stream per cell is a smoke check, not
 * a measurement: its spread is about ±20% here, and the report says so. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "base/util.h"
#include "kernel/holder.h"
#include "kernel/netns.h"
#include "kernel/session.h"
#include "methods/crosscheck.h"
#include "methods/method.h"
#include "storm/hammer.h"

#define MAX_CELLS 16
#define STREAM_S "1"
/* Below this share of the no-program stream, a cell is flagged. */
#define SMOKE_FLOOR 0.5

struct iperf_opts {
	const char *dir;
	const struct attach_mode *mode;
	int rounds;
};

struct storm {
	pid_t pid;
	int fd; /* reads the connection count when it ends */
};

static volatile sig_atomic_t storm_stop;

static void on_stop(int sig)
{
	(void)sig;
	storm_stop = 1;
	hammer_request_stop();
}

/* A storm in a private namespace until SIGINT; writes its connections. */
static int storm_start(struct storm *s)
{
	int p[2];

	if (pipe(p))
		return -1;
	fflush(NULL);
	s->pid = fork();
	if (s->pid < 0)
		return -1;
	if (s->pid == 0) {
		struct sigaction sa = {.sa_handler = on_stop};
		struct hammer_opts ho;
		struct hammer_result r = {0};
		char err[256];

		close(p[0]);
		sigaction(SIGINT, &sa, NULL);
		hammer_defaults(&ho);
		ho.duration_s = 30; /* a bound: the parent stops it much sooner */
		ho.quiet = 1;
		if (netns_enter_private() && !storm_stop)
			hammer_run(&ho, &r, err, sizeof(err));
		if (write(p[1], &r.connections, sizeof(r.connections)) < 0)
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	s->fd = p[0];
	return 0;
}

static uint64_t storm_stop_wait(struct storm *s)
{
	uint64_t conns = 0;

	kill(s->pid, SIGINT);
	if (read(s->fd, &conns, sizeof(conns)) != sizeof(conns))
		conns = 0;
	close(s->fd);
	while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
		;
	return conns;
}

/* end.sum_received.bits_per_second of iperf3 -J, in Gbit/s. */
static double parse_gbit(const char *path)
{
	struct json_object *root = json_object_from_file(path), *end, *sum, *bps;
	double v = NAN;

	if (root && json_object_object_get_ex(root, "end", &end) &&
	    json_object_object_get_ex(end, "sum_received", &sum) &&
	    json_object_object_get_ex(sum, "bits_per_second", &bps))
		v = json_object_get_double(bps) / 1e9;
	json_object_put(root);
	return v;
}

/* One stream: a one-off server, the client, its throughput. */
static double stream(const struct iperf_opts *o, int port, char *err, size_t errlen)
{
	char p[16], json[4200], log[4200];
	pid_t server;
	double v = NAN;
	int rc = -1;

	snprintf(p, sizeof(p), "%d", port);
	snprintf(json, sizeof(json), "%.4000s/.iperf.json", o->dir);
	snprintf(log, sizeof(log), "%.4000s/.iperf-server.log", o->dir);
	fflush(NULL);
	server = fork();
	if (server == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execlp("iperf3", "iperf3", "-s", "-1", "-B", "127.0.0.1", "-p", p, (char *)NULL);
		_exit(127);
	}
	/* The client retries while the server is not listening yet (bounded). */
	for (int i = 0; i < 40 && rc; i++) {
		rc = run_to_file((char *const[]){"iperf3", "-c", "127.0.0.1", "-p", p, "-t", STREAM_S,
						 "-J", NULL},
				 json);
		if (rc)
			usleep(50000);
	}
	if (!rc)
		v = parse_gbit(json);
	else
		snprintf(err, errlen, "iperf3 client failed (exit %d)", rc);
	kill(server, SIGTERM);
	while (waitpid(server, NULL, 0) < 0 && errno == EINTR)
		;
	remove(json);
	remove(log);
	return v;
}

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
			struct storm s;

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
			if (storm_start(&s)) {
				snprintf(why[*n - 1], sizeof(why[0]), "storm: %s", strerror(errno));
				r->status = "failed";
			} else {
				r->gbit_per_s = stream(o, port + (int)*n, why[*n - 1], sizeof(why[0]));
				r->storm_connections = (int64_t)storm_stop_wait(&s);
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
		   "A smoke check: one iperf3 loopback stream (" STREAM_S " s) beside a connection\n"
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
