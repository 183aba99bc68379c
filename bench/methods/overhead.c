/* bpf2bpf-bench overhead: nanoseconds each variant adds per event under a
 * loopback connection storm (overhead.h).
 *
 * Method (bench.c-style: a baseline for every measurement):
 * - the storm runs in a private network namespace and the programs count and
 *   emit only that namespace's connections, so counts are exact
 *   (events == 2 x connections) whatever else the machine does;
 * - every variant x output mode is a session loaded once, attached only around
 *   its own storm; kernel run-time stats are enabled only while measuring;
 * - round 0 is a warm-up (kept, marked, not summarised); the cell order is
 *   rotated every round so drift hits every cell alike; a round counts only
 *   when every cell ran in it, so the paired differences stay paired;
 * - the summary (overhead_summary.c) is computed from the rounds alone. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "base/util.h"
#include "kernel/session.h"
#include "methods/method.h"
#include "methods/overhead.h"
#include "storm/hammer.h"

#define MAX_ROUNDS 200

struct cell {
	const struct variant *v; /* NULL: the storm with no program at all */
	struct session s;
	bool left_out; /* attach refused mid-run: no more rounds */
};

struct overhead_opts {
	bool variants[64];
	bool outputs[OUTPUT__COUNT];
	const struct attach_mode *mode; /* NULL: auto */
	int rounds;
	uint64_t connections;
	const char *dir;
};

/* Every storm of the run, in memory as written (the summary is computed
 * from these, exactly as from overhead-rounds.csv). */
struct rounds_log {
	struct rounds_row *rows;
	size_t n, cap;
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
	hammer_request_stop();
}

static const char *cell_variant(const struct cell *c)
{
	return c->v ? c->v->name : OVERHEAD_NO_PROGRAM;
}

/* The storm thread runs the hammer; the calling thread consumes events. */
struct storm_arg {
	const struct hammer_opts *ho;
	struct hammer_result *res;
	char err[256];
	int rc;
	volatile int done;
};

static void *storm_thread(void *p)
{
	struct storm_arg *a = p;

	a->rc = hammer_run(a->ho, a->res, a->err, sizeof(a->err));
	a->done = 1;
	return NULL;
}

/* One storm of one cell: attach, stats on, storm, detach, counts. 0 ok,
 * 1 attach refused (the cell is left out), -1 the storm failed. */
static int run_storm(struct cell *c, const struct hammer_opts *ho, struct hammer_result *h,
		     struct session_counts *d)
{
	struct storm_arg arg = {.ho = ho, .res = h};
	struct session_counts before = {0}, after = {0};
	char reason[LOADER_REASON_LEN];
	int stats_fd = -1;
	pthread_t th;

	memset(d, 0, sizeof(*d));
	if (c->v) {
		if (session_attach(&c->s, reason, sizeof(reason))) {
			fprintf(stderr, "overhead: %s/%s: attach failed, left out from here on: %s\n",
				cell_variant(c), output_mode_name(c->s.lo.output), reason);
			return 1;
		}
		stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (stats_fd < 0) {
			fprintf(stderr, "overhead: bpf_enable_stats: %s\n", strerror(errno));
			session_detach(&c->s);
			return -1;
		}
		session_read(&c->s, &before);
	}
	if (pthread_create(&th, NULL, storm_thread, &arg)) {
		if (stats_fd >= 0)
			close(stats_fd);
		session_detach(&c->s);
		return -1;
	}
	while (!arg.done)
		if (!c->v || session_poll(&c->s, 10) < 0 || !c->s.consumer)
			usleep(2000);
	pthread_join(th, NULL);
	if (c->v) {
		session_detach(&c->s);
		/* Every open was handled synchronously (loopback runs the
		 * handshake in the connecting thread's softirq) before the storm
		 * returned: what was emitted is buffered now. */
		session_drain(&c->s);
		session_read(&c->s, &after);
		close(stats_fd);
		session_counts_delta(&before, &after, d);
	}
	if (arg.rc) {
		fprintf(stderr, "overhead: storm failed: %s\n", arg.err);
		return -1;
	}
	return 0;
}

/* What the kernel counted and what arrived, against what the storm did. */
static const char *check_round(const struct cell *c, const struct hammer_result *h,
			       const struct session_counts *d)
{
	uint64_t hits = d->active + d->passive;

	if (!c->v)
		return "";
	if (hits != 2 * h->connections)
		return "count-mismatch";
	if (d->drops)
		return "drops";
	/* The baseline emits nothing; every other variant one event per hit. */
	if (c->s.consumer && d->received != (c->v->kind == VK_BASELINE ? 0 : hits))
		return "lost-events";
	return "";
}

static struct rounds_row *log_add(struct rounds_log *log)
{
	if (log->n == log->cap) {
		size_t cap = log->cap ? 2 * log->cap : 256;
		struct rounds_row *r = realloc(log->rows, cap * sizeof(*r));

		if (!r)
			return NULL;
		log->rows = r;
		log->cap = cap;
	}
	return &log->rows[log->n++];
}

static void fill_row(struct rounds_row *r, const struct overhead_opts *o, const struct cell *c,
		     int round, int pos, const struct hammer_result *h,
		     const struct session_counts *d, const char *status, const char *flags)
{
	double events = (double)(d->active + d->passive);

	rf_row_clear(&rounds_csv, r);
	r->kernel = kernel_release();
	r->variant = cell_variant(c);
	r->attach = o->mode->name;
	r->output = c->v ? output_mode_name(c->s.lo.output) : "";
	r->round = round;
	r->position = pos;
	r->connections = (int64_t)h->connections;
	r->conn_per_s = h->conn_per_s;
	r->cpu_us_per_conn = h->cpu_us_per_conn;
	r->elapsed_s = h->elapsed_s;
	r->reloads = c->s.reloads;
	r->status = status;
	r->flags = flags;
	r->timing = timing_kind();
	if (!c->v)
		return;
	r->events = (int64_t)(d->active + d->passive);
	r->drops = (int64_t)d->drops;
	r->received = (int64_t)d->received;
	r->run_cnt = (int64_t)d->run_cnt;
	r->run_time_ns = (int64_t)d->run_ns;
	r->tail_run_cnt = (int64_t)d->tail_run_cnt;
	r->ns_per_run = d->run_cnt ? (double)d->run_ns / (double)d->run_cnt : NAN;
	r->ns_per_event = events > 0 ? (double)d->run_ns / events : NAN;
}

/* Load every selected variant x output once (not attached). A variant that
 * does not load here is left out with its reason; the rest go on. */
static int setup_cells(const struct overhead_opts *o, uint32_t netns, struct cell *cells)
{
	int n = 0;

	cells[n++].v = NULL; /* no program: the storm's own rate */
	for (size_t oi = 0; oi < OUTPUT__COUNT; oi++) {
		if (!o->outputs[oi])
			continue;
		for (size_t vi = 0; vi < nvariants; vi++) {
			struct cell *c = &cells[n];
			struct load_opts lo = {.variant = &variants[vi], .mode = o->mode,
					       .output = outputs[oi].mode, .target_netns = netns,
					       .log_level = 0};

			if (!o->variants[vi])
				continue;
			memset(c, 0, sizeof(*c));
			c->v = &variants[vi];
			if (session_open(&c->s, &lo, NULL, NULL)) {
				fprintf(stderr, "overhead: %s/%s @ %s: left out: %s failed: %s\n",
					c->v->name, outputs[oi].name, o->mode->name, c->s.l.stage,
					c->s.l.reason);
				session_close(&c->s);
				continue;
			}
			n++;
		}
	}
	return n;
}

static void teardown_cells(struct cell *cells, int n)
{
	for (int i = 0; i < n; i++)
		if (cells[i].v)
			session_close(&cells[i].s);
}

/* Rounds: 0 is the warm-up; the cell order rotates by one every round. A
 * round counts only when every cell ran in it: an interrupted round's storms
 * are kept as "partial-round" and not summarised. */
static int run_rounds(const struct overhead_opts *o, struct cell *cells, int ncells,
		      struct rounds_log *log)
{
	struct hammer_result *h = calloc((size_t)ncells, sizeof(*h));
	struct session_counts *d = calloc((size_t)ncells, sizeof(*d));
	int *ran = calloc((size_t)ncells, sizeof(*ran)); /* position + 1, 0: not run */
	bool tty = isatty(STDERR_FILENO);
	uint64_t t0 = now_ns();
	struct hammer_opts ho;
	int rc = 0;

	if (!h || !d || !ran) {
		rc = -1;
		goto out;
	}
	hammer_defaults(&ho);
	ho.connections = o->connections;
	ho.quiet = 1;
	for (int round = 0; round <= o->rounds && !interrupted && !rc; round++) {
		bool whole;

		memset(ran, 0, (size_t)ncells * sizeof(*ran));
		for (int pos = 0; pos < ncells && !interrupted; pos++) {
			int ci = (pos + round) % ncells;
			struct cell *c = &cells[ci];
			int r;

			if (c->left_out)
				continue;
			if (tty)
				fprintf(stderr, "\roverhead: round %d/%d%s  %-9s %-16s", round,
					o->rounds, round ? "" : " (warm-up)", cell_variant(c),
					c->v ? output_mode_name(c->s.lo.output) : "(no program)");
			r = run_storm(c, &ho, &h[ci], &d[ci]);
			if (r > 0) { /* attach refused: this cell is out, the rest go on */
				struct rounds_row *row = log_add(log);

				c->left_out = true;
				if (row)
					fill_row(row, o, c, round, pos, &h[ci], &d[ci], "left-out", "");
				continue;
			}
			if (r < 0) {
				rc = -1;
				break;
			}
			if (!interrupted) /* a cut storm is not a sample */
				ran[ci] = pos + 1;
		}
		whole = !interrupted && !rc;
		for (int ci = 0; ci < ncells; ci++) {
			const char *flags = check_round(&cells[ci], &h[ci], &d[ci]);
			struct rounds_row *row;

			if (!ran[ci] || !(row = log_add(log)))
				continue;
			fill_row(row, o, &cells[ci], round, ran[ci] - 1, &h[ci], &d[ci],
				 !round ? "warmup" : !whole ? "partial-round" : *flags ? "flagged" : "ok",
				 flags);
		}
		if (!tty)
			fprintf(stderr, "overhead: round %d/%d%s done (%d storms, %.0f s so far)\n",
				round, o->rounds, round ? "" : " (warm-up)", ncells,
				(double)(now_ns() - t0) / 1e9);
	}
	if (tty)
		fprintf(stderr, "\n");
out:
	free(h);
	free(d);
	free(ran);
	return rc;
}

/* overhead.csv and overhead-pairs.csv from rounds rows. */
static int write_summary(const char *dir, const struct rounds_row *rows, size_t n,
			 const char *status)
{
	struct overhead_summary s;
	char path[4096];
	int err;

	if (overhead_summarize(rows, n, status, &s)) {
		err = -ENOMEM;
		goto fail;
	}
	snprintf(path, sizeof(path), "%s/overhead.csv", dir);
	err = rf_write_file(&overhead_csv, path, s.rows, s.nrows);
	snprintf(path, sizeof(path), "%s/overhead-pairs.csv", dir);
	if (!err)
		err = rf_write_file(&pairs_csv, path, s.pairs, s.npairs);
	overhead_summary_free(&s);
	if (!err)
		return 0;
fail:
	fprintf(stderr, "overhead: writing %s failed: %s\n", path, strerror(-err));
	return -1;
}

/* overhead.csv and overhead-pairs.csv from DIR/overhead-rounds.csv alone, so
 * a summary is the same whether made by the run or later by --summarize.
 * status: what the run ended as; NULL: "incomplete" when the file holds a
 * partial round, else "ok". 0, 1 (write failed) or 2 (unreadable rounds). */
static int summarize_dir(const char *dir, const char *status)
{
	char path[4096], err[512];
	struct csv_table t;
	struct rounds_row *rows;
	size_t n;
	int rc;

	snprintf(path, sizeof(path), "%s/overhead-rounds.csv", dir);
	if (rf_read_file(&rounds_csv, path, &t, (void **)&rows, &n, err, sizeof(err))) {
		fprintf(stderr, "overhead: %s\n", err);
		return 2;
	}
	for (size_t i = 0; !status && i < n; i++)
		if (!strcmp(rows[i].status, "partial-round"))
			status = "incomplete";
	rc = write_summary(dir, rows, n, status ? status : "ok") ? 1 : 0;
	free(rows);
	csv_free(&t);
	return rc;
}

static int write_results(const char *dir, const struct rounds_log *log, const char *status)
{
	char path[4096];
	int err;

	snprintf(path, sizeof(path), "%s/overhead-rounds.csv", dir);
	if ((err = rf_write_file(&rounds_csv, path, log->rows, log->n))) {
		fprintf(stderr, "overhead: writing %s failed: %s\n", path, strerror(-err));
		return -1;
	}
	return summarize_dir(dir, status) ? -1 : 0;
}

/* The whole measurement with options already checked: 0, 1 failed, 130
 * interrupted (results so far written, marked incomplete). */
static int overhead_run(struct overhead_opts *o)
{
	struct sigaction sa = {.sa_handler = on_signal};
	struct rounds_log log = {0};
	struct session_env env;
	struct cell *cells;
	int rc, ncells, lock_fd, err;

	if ((err = mkdir_p(o->dir))) {
		fprintf(stderr, "overhead: cannot create %s: %s\n", o->dir, strerror(-err));
		return 1;
	}
	if ((lock_fd = bench_lock("overhead")) < 0)
		return 1;
	/* Before any thread exists: the whole process moves to the new netns. */
	if (session_setup("overhead", o->mode, true, stderr, &env)) {
		close(lock_fd);
		return 1;
	}
	o->mode = env.mode;
	cells = calloc(1 + OUTPUT__COUNT * nvariants, sizeof(*cells));
	if (!cells) {
		close(lock_fd);
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fprintf(stderr, "overhead: %s, %d rounds + warm-up, %llu connections per storm, netns %u\n",
		o->mode->name, o->rounds, (unsigned long long)o->connections, env.netns);
	ncells = setup_cells(o, env.netns, cells);
	rc = run_rounds(o, cells, ncells, &log);
	teardown_cells(cells, ncells); /* detached and unloaded before any file work */
	if (interrupted)
		fprintf(stderr, "overhead: interrupted; results so far are marked incomplete\n");
	if (write_results(o->dir, &log, rc ? "failed" : interrupted ? "incomplete" : "ok"))
		rc = -1;
	free(log.rows);
	free(cells);
	close(lock_fd);
	if (!rc && !interrupted)
		fprintf(stderr, "overhead: wrote %s/overhead.csv\n", o->dir);
	return rc ? 1 : (interrupted ? 130 : 0);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bpf2bpf-bench overhead -o DIR [options]\n\n"
		"Per-event cost of every variant under a loopback connection storm, run in a\n"
		"private network namespace, against the baseline variant at the same hooks.\n"
		"Writes DIR/overhead-rounds.csv, DIR/overhead.csv, DIR/overhead-pairs.csv.\n\n"
		"  -o, --out DIR       output directory (required; created)\n"
		"  --variant LIST      variants (default all; the baseline is always included)\n"
		"  --attach MODE       auto (default) or one mode\n"
		"  --output LIST       none,ringbuf-nowakeup,ringbuf,perfbuf (default all)\n"
		"  --rounds N          measured rounds after one warm-up (default 30)\n"
		"  --connections N     connections per storm (default 1000)\n"
		"  --quick             3 rounds\n"
		"  --summarize DIR     only recompute DIR/overhead.csv and overhead-pairs.csv\n"
		"                      from DIR/overhead-rounds.csv (no kernel access)\n"
		"  -v, --verbose       libbpf's messages on stderr\n"
		"  -h, --help\n\n"
		"Progress goes to stderr. Ctrl-C/SIGTERM: the current storm stops, programs\n"
		"are detached, results so far are written with status=incomplete.\n"
		"Set BPF2BPF_TIMING=emulated under an emulator: timings are then marked.\n");
}

static int parse_args(int argc, char **argv, struct overhead_opts *o)
{
	static const struct option longopts[] = {
		{"out", required_argument, 0, 'o'},	    {"variant", required_argument, 0, 'V'},
		{"attach", required_argument, 0, 'a'},	    {"output", required_argument, 0, 'O'},
		{"rounds", required_argument, 0, 'r'},	    {"connections", required_argument, 0, 'n'},
		{"quick", no_argument, 0, 'q'},		    {"verbose", no_argument, 0, 'v'},
		{"summarize", required_argument, 0, 'S'},
		{"help", no_argument, 0, 'h'},		    {0, 0, 0, 0},
	};
	const char *vlist = "all", *attach = "auto", *olist = "all";
	long rounds = 0, conns = 0;
	bool quick = false;
	int c;

	memset(o, 0, sizeof(*o));
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o->dir = optarg; break;
		case 'V': vlist = optarg; break;
		case 'a': attach = optarg; break;
		case 'O': olist = optarg; break;
		case 'r':
			if (parse_count("overhead", optarg, "--rounds", MAX_ROUNDS - 1, &rounds))
				return 2;
			break;
		case 'n':
			if (parse_count("overhead", optarg, "--connections", 10000000, &conns))
				return 2;
			break;
		case 'q': quick = true; break;
		case 'S': return summarize_dir(optarg, NULL);
		case 'v': loader_set_verbose(true); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "overhead: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (!o->dir) {
		fprintf(stderr, "overhead: -o DIR is required (where the CSVs go)\n");
		return 2;
	}
	if (variant_select(vlist, o->variants) || output_select(olist, o->outputs))
		return 2;
	if (variant_of_kind(VK_BASELINE)) /* the baseline is not optional */
		o->variants[variant_of_kind(VK_BASELINE) - variants] = true;
	if (attach_mode_arg("overhead", attach, &o->mode))
		return 2;
	/* Many short rounds beat few long ones: the noise is drift between
	 * rounds, which more interleaved rounds average out (README). */
	o->rounds = rounds ? (int)rounds : (quick ? 3 : 30);
	o->connections = conns ? (uint64_t)conns : 1000;
	return -1;
}

int cmd_overhead(int argc, char **argv)
{
	struct overhead_opts o;
	int rc = parse_args(argc, argv, &o);

	return rc >= 0 ? rc : overhead_run(&o);
}

int overhead_bench(const struct bench_ctx *ctx)
{
	struct overhead_opts o = {.mode = ctx->mode, .dir = ctx->dir, .connections = 1000};

	memset(o.variants, 1, sizeof(o.variants));
	memset(o.outputs, 1, sizeof(o.outputs));
	o.rounds = ctx->quick ? 3 : 30; /* about 30 s here: make bench stays near a minute and a half */
	return overhead_run(&o);
}
