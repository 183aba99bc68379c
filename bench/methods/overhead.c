/* bpf2bpf-bench overhead: nanoseconds each variant adds per event under a
 * loopback connection storm, with confidence intervals.
 *
 * Method (bench.c-style: a baseline for every measurement):
 * - the storm runs in a private network namespace and the programs count and
 *   emit only that namespace's connections, so counts are exact
 *   (events == 2 x connections) whatever else the machine does;
 * - every variant x output mode is loaded once, then attached only around its
 *   own storm; kernel run-time stats are enabled only while measuring;
 * - round 0 is a warm-up (kept, marked, not summarised); the cell order is
 *   rotated every round so drift hits every cell alike;
 * - per cell: median over rounds and a 95% bootstrap CI; against `empty` and
 *   between every pair: the CI of the median of paired per-round differences,
 *   "not distinguishable" when it includes zero. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "cli/commands.h"
#include "kernel/consumer.h"
#include "base/csv.h"
#include "storm/hammer.h"
#include "kernel/loader.h"
#include "base/metrics.h"
#include "kernel/netns.h"
#include "kernel/prog_info.h"
#include "base/stats.h"
#include "base/util.h"

#define MAX_ROUNDS 200
#define BOOT_ITERS 4000
#define BOOT_SEED 0x5eedb0f5u
#define LOCK_PATH "/tmp/bpf2bpf-bench.overhead.lock"

/* The columns come from the one schema table (bench/metrics.c); the writers
 * below emit them in that order. */

struct cell {
	const struct variant *v; /* NULL: the storm with no program at all */
	enum output_mode out;
	struct load_opts lo;
	struct loaded l;
	int reloads; /* re-attach refused, object loaded again (fentry before 5.11) */
	bool left_out; /* attach failed mid-run: no more rounds, summary flagged */
	struct consumer *consumer;
	int n;			  /* measured rounds so far */
	double ns_event[MAX_ROUNDS], ns_run[MAX_ROUNDS], rate[MAX_ROUNDS], cpu[MAX_ROUNDS];
	double runs_per_conn[MAX_ROUNDS];
	uint64_t conns, events, drops, run_cnt, tail_run_cnt;
	bool flagged;
	char flags[96];
};

struct overhead_opts {
	unsigned char variants[64];
	const struct attach_mode *mode;
	bool outputs[4];
	int rounds;
	uint64_t connections;
	const char *dir;
	bool quick;
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
	hammer_request_stop();
}

static const char *cell_variant(const struct cell *c)
{
	return c->v ? c->v->name : "none";
}

static void add_flag(struct cell *c, const char *flag)
{
	if (strstr(c->flags, flag))
		return;
	snprintf(c->flags + strlen(c->flags), sizeof(c->flags) - strlen(c->flags), "%s%s",
		 c->flags[0] ? ";" : "", flag);
	c->flagged = true;
}

/* Run time summed over all the cell's programs (a tail target's own time, if
 * a kernel ever counts it, is part of the variant's cost); run counts of
 * entry programs and tail targets apart. */
static void read_run_counters(const struct cell *c, uint64_t *ns, uint64_t *cnt, uint64_t *tail_cnt)
{
	*ns = *cnt = *tail_cnt = 0;
	for (int i = 0; c->v && i < c->l.nprogs; i++) {
		uint64_t t = 0, n = 0;

		prog_run_counters(c->l.progs[i].fd, &t, &n);
		*ns += t;
		if (c->l.progs[i].tail_target)
			*tail_cnt += n;
		else
			*cnt += n;
	}
}

struct round_result {
	struct hammer_result h;
	uint64_t run_ns, run_cnt, tail_cnt, hits, drops, received;
	bool ok;
};

/* Older kernels (fentry/fexit before 5.11) attach a trampoline program only
 * once per load: after a refused re-attach, load the cell again and retry. */
static int reload_cell(struct cell *c, char *reason, size_t len)
{
	consumer_free(c->consumer);
	c->consumer = NULL;
	loader_unload(&c->l);
	if (loader_load(&c->lo, &c->l)) {
		snprintf(reason, len, "reload: %.400s", c->l.reason);
		return -1;
	}
	c->reloads++;
	if (c->out != OUTPUT_NONE && !(c->consumer = consumer_new(c->l.obj, c->out, NULL, NULL))) {
		snprintf(reason, len, "reload: no consumer: %s", strerror(errno));
		return -1;
	}
	return loader_attach(&c->l, reason, len);
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

static int run_storm(struct cell *c, const struct hammer_opts *ho, struct round_result *rr)
{
	uint64_t ns0, cnt0, tail0, ns1, cnt1, tail1, a = 0, p = 0;
	struct storm_arg arg = {.ho = ho, .res = &rr->h};
	uint64_t received0, lost0;
	pthread_t th;
	int stats_fd = -1;

	memset(rr, 0, sizeof(*rr));
	if (c->v) {
		char reason[LOADER_REASON_LEN];

		if (loader_attach(&c->l, reason, sizeof(reason)) && reload_cell(c, reason, sizeof(reason))) {
			fprintf(stderr, "overhead: %s/%s: attach failed, left out from here on: %s\n",
				cell_variant(c), output_mode_name(c->out), reason);
			return 1;
		}
		loader_reset_counters(&c->l);
		stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (stats_fd < 0) {
			fprintf(stderr, "overhead: bpf_enable_stats: %s\n", strerror(errno));
			loader_detach(&c->l);
			return -1;
		}
	}
	/* After a possible reload: a reloaded cell has a new consumer. */
	received0 = c->consumer ? consumer_received(c->consumer) : 0;
	lost0 = c->consumer ? consumer_lost(c->consumer) : 0;
	read_run_counters(c, &ns0, &cnt0, &tail0);
	if (pthread_create(&th, NULL, storm_thread, &arg)) {
		if (stats_fd >= 0)
			close(stats_fd);
		loader_detach(&c->l);
		return -1;
	}
	while (!arg.done)
		if (c->consumer)
			consumer_poll(c->consumer, 10);
		else
			usleep(2000);
	pthread_join(th, NULL);
	read_run_counters(c, &ns1, &cnt1, &tail1);
	if (stats_fd >= 0)
		close(stats_fd);
	if (c->v)
		loader_detach(&c->l);
	/* Every open was handled synchronously (loopback runs the handshake in
	 * the connecting thread's softirq) before the storm returned: what was
	 * emitted is in the buffer now, so a drain without waiting gets it all
	 * (and check_round() would flag anything missing). */
	if (c->consumer)
		consumer_drain(c->consumer);
	if (arg.rc) {
		fprintf(stderr, "overhead: storm failed: %s\n", arg.err);
		return -1;
	}
	rr->run_ns = ns1 - ns0;
	rr->run_cnt = cnt1 - cnt0;
	rr->tail_cnt = tail1 - tail0;
	if (c->v) {
		loader_read_counter(&c->l, CNT_ACTIVE, &a);
		loader_read_counter(&c->l, CNT_PASSIVE, &p);
		loader_read_counter(&c->l, CNT_DROPS, &rr->drops);
	}
	rr->hits = a + p;
	if (c->consumer) {
		rr->received = consumer_received(c->consumer) - received0;
		rr->drops += consumer_lost(c->consumer) - lost0;
	}
	rr->ok = true;
	return 0;
}

/* Compare what the kernel counted and what arrived with what the storm did. */
static const char *check_round(struct cell *c, const struct round_result *rr)
{
	if (!c->v)
		return "ok";
	if (rr->hits != 2 * rr->h.connections) {
		add_flag(c, "count-mismatch");
		return "flagged";
	}
	if (rr->drops) {
		add_flag(c, "drops");
		return "flagged";
	}
	/* The baseline has no handler and emits nothing; every other variant
	 * emits one event per hit. */
	if (c->consumer && rr->received != (strcmp(c->v->name, "empty") ? rr->hits : 0)) {
		add_flag(c, "lost-events");
		return "flagged";
	}
	return "ok";
}

static void write_round(struct csv_writer *w, const struct overhead_opts *o, const struct cell *c,
			int round, int pos, const struct round_result *rr, const char *status)
{
	double events = (double)rr->hits;

	csv_str(w, kernel_release());
	csv_str(w, cell_variant(c));
	csv_str(w, o->mode->name);
	csv_str(w, c->v ? output_mode_name(c->out) : "");
	csv_i64(w, round);
	csv_i64(w, pos);
	csv_u64(w, rr->h.connections);
	csv_u64(w, rr->hits);
	csv_u64(w, rr->drops);
	csv_u64(w, rr->run_cnt);
	csv_u64(w, rr->run_ns);
	csv_dbl(w, rr->run_cnt ? (double)rr->run_ns / (double)rr->run_cnt : NAN, 2);
	csv_dbl(w, events > 0 ? (double)rr->run_ns / events : NAN, 2);
	csv_dbl(w, rr->h.conn_per_s, 1);
	csv_dbl(w, rr->h.cpu_us_per_conn, 3);
	csv_dbl(w, rr->h.elapsed_s, 4);
	csv_str(w, status);
	csv_u64(w, rr->tail_cnt);
	csv_end_row(w);
}

static void record(struct cell *c, const struct round_result *rr)
{
	int i = c->n++;

	c->ns_event[i] = rr->hits ? (double)rr->run_ns / (double)rr->hits : NAN;
	c->ns_run[i] = rr->run_cnt ? (double)rr->run_ns / (double)rr->run_cnt : NAN;
	c->rate[i] = rr->h.conn_per_s;
	c->runs_per_conn[i] = rr->h.connections ? (double)rr->run_cnt / (double)rr->h.connections : 0;
	c->cpu[i] = rr->h.cpu_us_per_conn;
	c->conns += rr->h.connections;
	c->events += rr->hits;
	c->drops += rr->drops;
	c->run_cnt += rr->run_cnt;
	c->tail_run_cnt += rr->tail_cnt;
}

static struct cell *find_cell(struct cell *cells, int n, const char *variant, enum output_mode out)
{
	for (int i = 0; i < n; i++)
		if (cells[i].v && !strcmp(cells[i].v->name, variant) && cells[i].out == out)
			return &cells[i];
	return NULL;
}

/* The hooks fire for every connection on the machine; the programs filter
 * out other namespaces but their (cheap) runs still add to run_time_ns. The
 * fewest runs per connection seen in any round is what our storm alone
 * causes; anything above it came from other traffic and is reported. */
static double min_runs_per_conn(const struct cell *cells, int ncells)
{
	double m = 0;

	for (int i = 0; i < ncells; i++)
		for (int r = 0; cells[i].v && r < cells[i].n; r++)
			if (cells[i].runs_per_conn[r] > 0 && (m == 0 || cells[i].runs_per_conn[r] < m))
				m = cells[i].runs_per_conn[r];
	return m;
}

static uint64_t foreign_runs(const struct cell *c, double min_rpc)
{
	double expected = min_rpc * (double)c->conns;

	return c->v && (double)c->run_cnt > expected ? (uint64_t)((double)c->run_cnt - expected + 0.5)
						       : 0;
}

static void write_summary(struct csv_writer *w, const struct overhead_opts *o, struct cell *cells,
			  int ncells, const char *status)
{
	double min_rpc = min_runs_per_conn(cells, ncells);

	for (int i = 0; i < ncells; i++) {
		struct cell *c = &cells[i];
		struct cell *base = c->v ? find_cell(cells, ncells, "empty", c->out) : NULL;
		struct stats_ci ev = {NAN, NAN, NAN}, net = {NAN, NAN, NAN};
		char notes[128] = "";
		int n = c->n;

		if (c->v && n)
			stats_median_ci(c->ns_event, (size_t)n, 0.95, BOOT_ITERS, BOOT_SEED, &ev);
		if (base && base != c && base->n == n && n)
			stats_paired_diff_ci(c->ns_event, base->ns_event, (size_t)n, 0.95, BOOT_ITERS,
					     BOOT_SEED, &net);
		else if (base == c)
			net = (struct stats_ci){0, 0, 0};
		if (c->reloads)
			snprintf(notes, sizeof(notes), "re-attach refused: loaded again %d times",
				 c->reloads);
		else if (c->v && strstr(c->v->name, "tailcall"))
			snprintf(notes, sizeof(notes),
				 c->tail_run_cnt ? "tail-call targets counted their own runs (%llu)"
						 : "tail-call targets' run_cnt stayed 0: their time is "
						   "charged to the entry programs",
				 (unsigned long long)c->tail_run_cnt);
		csv_str(w, kernel_release());
		csv_str(w, cell_variant(c));
		csv_str(w, o->mode->name);
		csv_str(w, c->v ? output_mode_name(c->out) : "");
		csv_i64(w, n);
		csv_u64(w, c->conns);
		csv_u64(w, c->events);
		csv_u64(w, c->drops);
		csv_dbl(w, c->v && n ? stats_median(c->ns_run, (size_t)n) : NAN, 2);
		csv_dbl(w, ev.median, 2);
		csv_dbl(w, ev.lo, 2);
		csv_dbl(w, ev.hi, 2);
		csv_dbl(w, net.median, 2);
		csv_dbl(w, n ? stats_median(c->rate, (size_t)n) : NAN, 1);
		csv_dbl(w, n ? stats_median(c->cpu, (size_t)n) : NAN, 3);
		csv_dbl(w, net.lo, 2);
		csv_dbl(w, net.hi, 2);
		csv_u64(w, c->run_cnt);
		csv_str(w, timing_kind());
		csv_str(w, strcmp(status, "ok") ? status : (c->flagged ? "flagged" : "ok"));
		csv_str(w, c->flags);
		csv_str(w, notes);
		csv_u64(w, foreign_runs(c, min_rpc));
		csv_end_row(w);
	}
}

static void write_pairs(struct csv_writer *w, const struct overhead_opts *o, struct cell *cells,
			int ncells)
{
	for (int i = 0; i < ncells; i++)
		for (int j = i + 1; j < ncells; j++) {
			struct cell *a = &cells[i], *b = &cells[j];
			struct stats_ci d;
			const char *verdict;

			if (!a->v || !b->v || a->out != b->out || a->n != b->n || !a->n)
				continue;
			stats_paired_diff_ci(a->ns_event, b->ns_event, (size_t)a->n, 0.95, BOOT_ITERS,
					     BOOT_SEED, &d);
			verdict = !stats_ci_excludes_zero(&d) ? "not distinguishable"
				  : d.median > 0	      ? "a slower"
							      : "b slower";
			csv_str(w, kernel_release());
			csv_str(w, o->mode->name);
			csv_str(w, output_mode_name(a->out));
			csv_str(w, a->v->name);
			csv_str(w, b->v->name);
			csv_dbl(w, d.median, 2);
			csv_dbl(w, d.lo, 2);
			csv_dbl(w, d.hi, 2);
			csv_str(w, verdict);
			csv_end_row(w);
		}
}

static const enum output_mode output_order[] = {OUTPUT_NONE, OUTPUT_RINGBUF_NOWAKEUP,
						OUTPUT_RINGBUF, OUTPUT_PERFBUF};

/* Load every selected variant x output once (not attached). A variant that
 * does not load here is left out with its reason; the rest go on. */
static int setup_cells(const struct overhead_opts *o, uint32_t netns, struct cell *cells)
{
	int n = 0;

	cells[n++].v = NULL; /* no program: the storm's own rate */
	for (size_t oi = 0; oi < 4; oi++) {
		if (!o->outputs[output_order[oi]])
			continue;
		for (size_t vi = 0; vi < nvariants; vi++) {
			struct cell *c = &cells[n];
			struct load_opts lo = {.variant = &variants[vi], .mode = o->mode,
					       .output = output_order[oi], .target_netns = netns,
					       .log_level = 0};

			if (!o->variants[vi])
				continue;
			memset(c, 0, sizeof(*c));
			c->v = &variants[vi];
			c->out = output_order[oi];
			c->lo = lo;
			if (loader_load(&lo, &c->l)) {
				fprintf(stderr, "overhead: %s @ %s: left out: %s failed: %s\n",
					c->v->name, o->mode->name, c->l.stage, c->l.reason);
				loader_unload(&c->l);
				continue;
			}
			c->consumer = c->out == OUTPUT_NONE ? NULL
				      : consumer_new(c->l.obj, c->out, NULL, NULL);
			if (c->out != OUTPUT_NONE && !c->consumer) {
				fprintf(stderr, "overhead: %s/%s: no consumer: %s\n", c->v->name,
					output_mode_name(c->out), strerror(errno));
				loader_unload(&c->l);
				continue;
			}
			n++;
		}
	}
	return n;
}

static void teardown_cells(struct cell *cells, int n)
{
	for (int i = 0; i < n; i++) {
		consumer_free(cells[i].consumer);
		if (cells[i].v)
			loader_unload(&cells[i].l);
	}
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bpf2bpf-bench overhead [options]\n\n"
		"Per-event cost of every variant under a loopback connection storm, run in a\n"
		"private network namespace, against the `empty` baseline at the same hooks.\n"
		"Writes DIR/overhead.csv, DIR/overhead-rounds.csv, DIR/overhead-pairs.csv.\n\n"
		"  -o, --out DIR       output directory (required; created)\n"
		"  --variant LIST      variants (default all; empty is always included)\n"
		"  --attach MODE       auto (default) or one mode\n"
		"  --output LIST       none,ringbuf-nowakeup,ringbuf,perfbuf (default all)\n"
		"  --rounds N          measured rounds after one warm-up (default 30)\n"
		"  --connections N     connections per storm (default 1000)\n"
		"  --quick             3 rounds\n"
		"  -v, --verbose       libbpf's messages on stderr\n"
		"  -h, --help\n\n"
		"Progress goes to stderr. Ctrl-C/SIGTERM: the current storm stops, programs\n"
		"are detached, results so far are written with status=incomplete.\n"
		"Set BPF2BPF_TIMING=emulated under an emulator: timings are then marked.\n");
}

static int parse_outputs(const char *list, bool *outputs)
{
	char *copy = strdup(list), *save = NULL, *tok;
	int rc = 0;

	memset(outputs, 0, 4 * sizeof(bool));
	for (tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
		int m = output_mode_parse(tok);

		if (m < 0) {
			fprintf(stderr, "overhead: unknown output '%s'; valid: none, ringbuf-nowakeup, "
					"ringbuf, perfbuf\n", tok);
			rc = -1;
		} else {
			outputs[m] = true;
		}
	}
	free(copy);
	return rc;
}

static int parse_count(const char *s, const char *what, long max, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*end || v < 1 || v > max) {
		fprintf(stderr, "overhead: %s wants a whole number from 1 to %ld, got '%s'\n", what, max,
			s);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_args(int argc, char **argv, struct overhead_opts *o)
{
	static const struct option longopts[] = {
		{"out", required_argument, 0, 'o'},	    {"variant", required_argument, 0, 'V'},
		{"attach", required_argument, 0, 'a'},	    {"output", required_argument, 0, 'O'},
		{"rounds", required_argument, 0, 'r'},	    {"connections", required_argument, 0, 'n'},
		{"quick", no_argument, 0, 'q'},		    {"verbose", no_argument, 0, 'v'},
		{"help", no_argument, 0, 'h'},		    {0, 0, 0, 0},
	};
	const char *vlist = "all", *attach = "auto";
	long rounds = 0, conns = 0;
	int c;

	memset(o, 0, sizeof(*o));
	for (int i = 0; i < 4; i++)
		o->outputs[i] = true;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o->dir = optarg; break;
		case 'V': vlist = optarg; break;
		case 'a': attach = optarg; break;
		case 'O':
			if (parse_outputs(optarg, o->outputs))
				return 2;
			break;
		case 'r':
			if (parse_count(optarg, "--rounds", MAX_ROUNDS - 1, &rounds))
				return 2;
			break;
		case 'n':
			if (parse_count(optarg, "--connections", 10000000, &conns))
				return 2;
			break;
		case 'q': o->quick = true; break;
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
	if (variant_select(vlist, o->variants))
		return 2;
	o->variants[variant_find("empty") - variants] = 1; /* the baseline is not optional */
	if (strcmp(attach, "auto") && !(o->mode = attach_mode_find(attach))) {
		fprintf(stderr, "overhead: unknown attach mode '%s'; ", attach);
		attach_modes_print_valid(stderr);
		return 2;
	}
	/* Many short rounds beat few long ones: the noise is drift between
	 * rounds, which more interleaved rounds average out (README). */
	o->rounds = rounds ? (int)rounds : (o->quick ? 3 : 30);
	o->connections = conns ? (uint64_t)conns : 1000;
	return -1;
}

/* One benchmark at a time: two would disturb each other's timing, and run-time
 * stats are switched on for the whole system. */
static int take_lock(void)
{
	int fd = open(LOCK_PATH, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		fprintf(stderr, "overhead: another overhead run holds %s; refusing to run beside it "
				"(timings would disturb each other)\n", LOCK_PATH);
		close(fd);
		return -1;
	}
	return fd;
}

static int open_schema(struct csv_writer *w, const char *path, const char *file)
{
	const struct metric_file *mf = metrics_file(file);

	return csv_open(w, path, mf->cols, mf->ncols);
}

struct out_files {
	struct csv_writer rounds, summary, pairs;
};

static int open_outputs(const char *dir, struct out_files *f)
{
	char path[4096];
	int err;

	if ((err = mkdir_p(dir))) {
		fprintf(stderr, "overhead: cannot create %s: %s\n", dir, strerror(-err));
		return -1;
	}
	/* An earlier run's summary must not sit beside this run's rounds. */
	snprintf(path, sizeof(path), "%s/overhead.csv", dir);
	remove(path);
	snprintf(path, sizeof(path), "%s/overhead-pairs.csv", dir);
	remove(path);
	snprintf(path, sizeof(path), "%s/overhead-rounds.csv", dir);
	if ((err = open_schema(&f->rounds, path, "overhead-rounds.csv"))) {
		fprintf(stderr, "overhead: cannot write %s: %s\n", path, strerror(-err));
		return -1;
	}
	return 0;
}

static int close_outputs(const char *dir, struct out_files *f, const struct overhead_opts *o,
			 struct cell *cells, int ncells, const char *status)
{
	char path[4096];
	int err = csv_close(&f->rounds);

	snprintf(path, sizeof(path), "%s/overhead.csv", dir);
	if (!err && !(err = open_schema(&f->summary, path, "overhead.csv"))) {
		write_summary(&f->summary, o, cells, ncells, status);
		err = csv_close(&f->summary);
	}
	snprintf(path, sizeof(path), "%s/overhead-pairs.csv", dir);
	if (!err && !(err = open_schema(&f->pairs, path, "overhead-pairs.csv"))) {
		write_pairs(&f->pairs, o, cells, ncells);
		err = csv_close(&f->pairs);
	}
	if (err)
		fprintf(stderr, "overhead: writing results in %s failed: %s\n", dir, strerror(-err));
	return err ? -1 : 0;
}

/* Rounds: 0 is the warm-up; cell order rotates by one every round. A round
 * counts only when every cell ran in it: an interrupted round's storms are
 * written to the rounds file as "partial-round" and left out of the summary,
 * so every cell keeps the same rounds and the paired differences stay paired. */
static int run_rounds(const struct overhead_opts *o, struct cell *cells, int ncells,
		      struct out_files *f)
{
	struct round_result *rr = calloc((size_t)ncells, sizeof(*rr));
	int *ran = calloc((size_t)ncells, sizeof(*ran)); /* position + 1, 0: not run */
	bool tty = isatty(STDERR_FILENO);
	uint64_t t0 = now_ns();
	struct hammer_opts ho;
	int rc = 0;

	if (!rr || !ran) {
		free(rr);
		free(ran);
		return -1;
	}
	hammer_defaults(&ho);
	ho.connections = o->connections;
	ho.duration_s = 0;
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
					c->v ? output_mode_name(c->out) : "(no program)");
			r = run_storm(c, &ho, &rr[ci]);
			if (r > 0) { /* attach refused: this cell is out, the rest go on */
				c->left_out = true;
				add_flag(c, "left-out");
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
			struct cell *c = &cells[ci];
			const char *status;

			if (!ran[ci])
				continue;
			status = !round ? "warmup" : !whole ? "partial-round" : check_round(c, &rr[ci]);
			write_round(&f->rounds, o, c, round, ran[ci] - 1, &rr[ci], status);
			if (round && whole)
				record(c, &rr[ci]);
		}
		if (!tty)
			fprintf(stderr, "overhead: round %d/%d%s done (%d storms, %.0f s so far)\n",
				round, o->rounds, round ? "" : " (warm-up)", ncells,
				(double)(now_ns() - t0) / 1e9);
	}
	if (tty)
		fprintf(stderr, "\n");
	free(rr);
	free(ran);
	return rc;
}

int cmd_overhead(int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_signal};
	struct overhead_opts o;
	struct out_files files;
	struct cell *cells;
	const char *problem, *status;
	uint32_t netns;
	int rc, ncells, lock_fd;

	if ((rc = parse_args(argc, argv, &o)) >= 0)
		return rc;
	if ((problem = loader_privilege_problem())) {
		fprintf(stderr, "overhead: %s\n", problem);
		return 1;
	}
	if ((lock_fd = take_lock()) < 0)
		return 1;
	if (!o.mode && !(o.mode = loader_probe_auto(stderr))) {
		fprintf(stderr, "overhead: no attach mode works on this kernel\n");
		return 1;
	}
	/* Before any thread exists: the whole process moves to the new netns. */
	netns = netns_enter_private();
	if (!netns) {
		fprintf(stderr, "overhead: cannot create a private network namespace: %s\n",
			strerror(errno));
		return 1;
	}
	cells = calloc(1 + 4 * nvariants, sizeof(*cells));
	if (!cells || open_outputs(o.dir, &files)) {
		free(cells);
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fprintf(stderr, "overhead: %s, %d rounds + warm-up, %llu connections per storm, netns %u\n",
		o.mode->name, o.rounds, (unsigned long long)o.connections, netns);
	ncells = setup_cells(&o, netns, cells);
	rc = run_rounds(&o, cells, ncells, &files);
	teardown_cells(cells, ncells); /* detached and unloaded before any file work */
	status = rc ? "failed" : interrupted ? "incomplete" : "ok";
	if (interrupted)
		fprintf(stderr, "overhead: interrupted; results so far are marked incomplete\n");
	if (close_outputs(o.dir, &files, &o, cells, ncells, status))
		rc = -1;
	free(cells);
	close(lock_fd);
	if (!rc && !interrupted)
		fprintf(stderr, "overhead: wrote %s/overhead.csv\n", o.dir);
	return rc ? 1 : (interrupted ? 130 : 0);
}
