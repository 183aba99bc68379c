/* bpf2bpf-bench hammer: run one loopback TCP connection storm and report it. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/schema.h"
#include "storm/hammer.h"
#include "kernel/session.h"
#include "kernel/netns.h"

struct hammer_cmd {
	struct hammer_opts o;
	int netns;
	const char *csv;
	/* --variant: a handler variant attached around the storm (hyperfine's
	 * whole-command cross-check of overhead). */
	const struct variant *variant;
	const struct attach_mode *mode; /* NULL: auto */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bpf2bpf-bench hammer [OPTIONS]\n"
		"A loopback TCP connection storm: one thread per CPU, each the client and\n"
		"the server of its own listener. Only 127.0.0.0/8 is ever targeted.\n\n"
		"  --duration S       stop after S seconds\n"
		"  --connections N    stop after exactly N connections (failed connects\n"
		"                     are retried); with no duration, a wall-clock cap of\n"
		"                     max(%.0f s, N / %.0f conn/s) still ends the run\n"
		"  --threads N        worker threads (default: one per CPU)\n"
		"  --inflight N       concurrent connects per thread (default 32)\n"
		"  --close reset|fin  reset: SO_LINGER {1,0}, no TIME_WAIT (default);\n"
		"                     fin: normal close, sources spread over 127.0.0.0/8\n"
		"  --address A        IPv4 loopback address to listen on (default 127.0.0.1)\n"
		"  --netns            run in a fresh private network namespace (needs root)\n"
		"  --csv FILE         write the result as a one-row CSV (\"-\": stdout)\n"
		"  --quiet            print only the summary line\n"
		"  --variant V        load and attach variant V (output none) around the\n"
		"                     storm, then detach; with --netns it counts only the\n"
		"                     storm's connections (checked: events == 2 x connections)\n"
		"  --attach MODE      attach mode for --variant (default auto)\n"
		"  --output none      the only output mode for --variant (accepted for clarity)\n"
		"  --help             this text\n\n"
		"The last line is always: connections=N conn_per_s=X errors=E\n"
		"Exit status: 0 ok, 1 the storm failed or was cut short, 2 bad usage.\n",
		HAMMER_WALL_CAP_MIN_S, HAMMER_WALL_CAP_MIN_RATE);
}

static int parse_double(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return errno || end == s || *end ? -1 : 0;
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	if (*s == '-')
		return -1;
	*out = strtoull(s, &end, 10);
	return errno || end == s || *end ? -1 : 0;
}

static int parse_int(const char *s, int *out)
{
	uint64_t v;

	if (parse_u64(s, &v) || v > INT32_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

/* 0, 1 for --help, or -1 after one error line on stderr. */
static int parse_args(int argc, char **argv, struct hammer_cmd *c)
{
	enum { OPT_DURATION = 256, OPT_CONNECTIONS, OPT_THREADS, OPT_INFLIGHT, OPT_CLOSE,
	       OPT_ADDRESS, OPT_NETNS, OPT_CSV, OPT_QUIET, OPT_HELP, OPT_VARIANT, OPT_ATTACH,
	       OPT_OUTPUT };
	static const struct option longopts[] = {
		{"duration", required_argument, NULL, OPT_DURATION},
		{"connections", required_argument, NULL, OPT_CONNECTIONS},
		{"threads", required_argument, NULL, OPT_THREADS},
		{"inflight", required_argument, NULL, OPT_INFLIGHT},
		{"close", required_argument, NULL, OPT_CLOSE},
		{"address", required_argument, NULL, OPT_ADDRESS},
		{"netns", no_argument, NULL, OPT_NETNS},
		{"csv", required_argument, NULL, OPT_CSV},
		{"quiet", no_argument, NULL, OPT_QUIET},
		{"help", no_argument, NULL, OPT_HELP},
		{"variant", required_argument, NULL, OPT_VARIANT},
		{"attach", required_argument, NULL, OPT_ATTACH},
		{"output", required_argument, NULL, OPT_OUTPUT},
		{0},
	};
	const char *bad = NULL;
	int opt;

	optind = 1;
	opterr = 0; /* one error line of our own below */
	while (!bad && (opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_DURATION:
			bad = parse_double(optarg, &c->o.duration_s) ? "--duration" : NULL;
			break;
		case OPT_CONNECTIONS:
			bad = parse_u64(optarg, &c->o.connections) ? "--connections" : NULL;
			break;
		case OPT_THREADS:
			bad = parse_int(optarg, &c->o.threads) ? "--threads" : NULL;
			break;
		case OPT_INFLIGHT:
			bad = parse_int(optarg, &c->o.inflight) ? "--inflight" : NULL;
			break;
		case OPT_CLOSE:
			bad = hammer_close_parse(optarg, &c->o.close_mode) ? "--close" : NULL;
			break;
		case OPT_ADDRESS:
			c->o.address = optarg;
			break;
		case OPT_NETNS:
			c->netns = 1;
			break;
		case OPT_CSV:
			c->csv = optarg;
			break;
		case OPT_QUIET:
			c->o.quiet = 1;
			break;
		case OPT_HELP:
			return 1;
		case OPT_VARIANT:
			if (!(c->variant = variant_find(optarg))) {
				fprintf(stderr, "hammer: unknown variant '%s'; ", optarg);
				variants_print_valid(stderr);
				return -1;
			}
			break;
		case OPT_OUTPUT:
			/* No consumer runs beside a bare storm; output modes are
			 * measured by `overhead`. */
			if (strcmp(optarg, "none")) {
				fprintf(stderr, "hammer: --output: only 'none' here (no event "
						"consumer runs beside a storm); use overhead for '%s'\n",
					optarg);
				return -1;
			}
			break;
		case OPT_ATTACH:
			if (attach_mode_arg("hammer", optarg, &c->mode))
				return -1;
			break;
		default:
			fprintf(stderr, "hammer: unknown or incomplete option '%s' (see --help)\n",
				argv[optind - 1]);
			return -1;
		}
	}
	if (bad) {
		fprintf(stderr, "hammer: bad value '%s' for %s (see --help)\n", optarg, bad);
		return -1;
	}
	if (optind < argc) {
		fprintf(stderr, "hammer: unexpected argument '%s' (see --help)\n", argv[optind]);
		return -1;
	}
	return 0;
}

/* Load and attach the variant (output none) around the storm. */
static int attach_variant(struct hammer_cmd *c, const struct session_env *env, struct session *s)
{
	struct load_opts lo = {.variant = c->variant, .mode = env->mode, .output = OUTPUT_NONE,
			       .target_netns = env->netns, .log_level = 0, .attach = true};

	c->mode = env->mode;
	if (session_open(s, &lo, NULL, NULL)) {
		fprintf(stderr, "hammer: %s @ %s: %s failed: %s\n", c->variant->name, lo.mode->name,
			s->l.stage, s->l.reason);
		session_close(s);
		return -1;
	}
	return 0;
}

/* Detach, then check the programs saw each connection from both ends (exact
 * only in our own namespace). */
static bool detach_and_check(const struct hammer_cmd *c, uint32_t ns, struct session *s,
			     const struct hammer_result *r)
{
	struct session_counts n;
	bool ok = true;

	session_detach(s);
	session_read(s, &n);
	if (ns && n.active + n.passive != 2 * r->connections) {
		fprintf(stderr, "hammer: %s saw %" PRIu64 " opens for %" PRIu64 " connections\n",
			c->variant->name, n.active + n.passive, r->connections);
		ok = false;
	}
	if (!c->o.quiet)
		printf("variant: %s @ %s (output none): %" PRIu64 " active + %" PRIu64
		       " passive opens\n", c->variant->name, c->mode->name, n.active, n.passive);
	session_close(s);
	return ok;
}

static void on_signal(int sig)
{
	(void)sig;
	hammer_request_stop();
}

/* SIGINT/SIGTERM end the storm with a partial result instead of killing us. */
static void catch_signals(struct sigaction *old_int, struct sigaction *old_term)
{
	struct sigaction sa = {.sa_handler = on_signal};

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, old_int);
	sigaction(SIGTERM, &sa, old_term);
}

static int write_csv(const char *path, const struct hammer_result *r, const struct hammer_opts *o)
{
	struct hammer_row row;
	int err;

	hammer_row_of(r, o, &row);
	if ((err = rf_write_file(&hammer_csv, path, &row, 1))) {
		fprintf(stderr, "hammer: writing %s: %s\n", path, strerror(-err));
		return -1;
	}
	return 0;
}

/* Why a completed run still counts as a failure, or NULL. */
static const char *cut_short(const struct hammer_result *r)
{
	if (r->interrupted)
		return "interrupted: partial result";
	if (r->wall_capped)
		return "the connections bound was not reached before the wall-clock cap";
	if (!r->connections)
		return "no connection was accepted";
	return NULL;
}

int cmd_hammer(int argc, char **argv)
{
	struct hammer_cmd c = {0};
	struct hammer_result r;
	struct sigaction old_int, old_term;
	const char *why;
	char err[256];
	struct session_env env = {0};
	struct session sess;
	bool events_ok = true;
	int rc;

	hammer_defaults(&c.o);
	rc = parse_args(argc, argv, &c);
	if (rc) {
		if (rc > 0)
			usage(stdout);
		return rc > 0 ? 0 : 2;
	}
	if (hammer_check(&c.o, err, sizeof(err))) {
		fprintf(stderr, "hammer: %s\n", err);
		return 2;
	}
	/* Before any thread: unshare(CLONE_NEWNET) moves only the caller. */
	if (c.variant) {
		if (session_setup("hammer", c.mode, c.netns, c.o.quiet ? NULL : stderr, &env) ||
		    attach_variant(&c, &env, &sess))
			return 1;
	} else if (c.netns && !(env.netns = netns_enter_private())) {
		fprintf(stderr, "hammer: cannot enter a private network namespace: %s\n",
			strerror(errno));
		return 1;
	}
	catch_signals(&old_int, &old_term);
	rc = hammer_run(&c.o, &r, err, sizeof(err));
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (c.variant)
		events_ok = detach_and_check(&c, env.netns, &sess, &r);
	if (rc) {
		fprintf(stderr, "hammer: %s\n", err);
		return 1;
	}
	if (!c.o.quiet) {
		if (env.netns)
			printf("network namespace: private, inode %" PRIu32 "\n", env.netns);
		hammer_print_details(&r, &c.o, stdout);
	}
	if (c.csv && write_csv(c.csv, &r, &c.o))
		rc = 1;
	why = cut_short(&r);
	if (!events_ok) {
		fprintf(stderr, "hammer: event count mismatch (see above)\n");
		rc = 1;
	}
	if (why) {
		fprintf(stderr, "hammer: %s\n", why);
		rc = 1;
	}
	fflush(stderr);
	hammer_print_summary(&r, stdout);
	return rc;
}
