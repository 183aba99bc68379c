/* bpf2bpf-bench trace: the reference demo. Attach one variant and print one
 * line per new TCP connection until Ctrl-C or --duration. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "kernel/session.h"
#include "base/util.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

static void print_event(void *ctx, const struct conn_event *ev)
{
	char src[INET_ADDRSTRLEN], dst[INET_ADDRSTRLEN], stamp[32];
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%H:%M:%S", &tm);
	inet_ntop(AF_INET, &ev->saddr, src, sizeof(src));
	inet_ntop(AF_INET, &ev->daddr, dst, sizeof(dst));
	printf("%s.%03ld new tcp connection: %s:%u -> %s:%u\n", stamp, ts.tv_nsec / 1000000L, src,
	       ntohs(ev->sport), dst, ntohs(ev->dport));
	fflush(stdout); /* one line per connection, even into a pipe */
}

static void usage(FILE *f)
{
	fprintf(f, "usage: bpf2bpf-bench trace [options]\n\n"
		   "Attach a variant of the handler and print one line per new TCP connection\n"
		   "(active and passive opens, IPv4), as the reference demo did:\n"
		   "  12:00:01.234 new tcp connection: 127.0.0.1:41234 -> 127.0.0.1:8080\n"
		   "until Ctrl-C, SIGTERM or --duration. Everything is detached on exit.\n\n"
		   "  --variant V      handler variant (default noinline)\n"
		   "  --attach MODE    auto (default) or one mode\n"
		   "  --output MODE    ringbuf (default) or perfbuf\n"
		   "  --duration S     stop after S seconds\n"
		   "  -v, --verbose    libbpf's messages on stderr\n"
		   "  -h, --help\n\n");
	attach_modes_print_valid(f);
	variants_print_valid(f);
}

struct trace_opts {
	const struct variant *variant;
	const struct attach_mode *mode;
	const char *attach;
	enum output_mode output;
	double duration;
};

static int parse_args(int argc, char **argv, struct trace_opts *o)
{
	static const struct option longopts[] = {
		{"variant", required_argument, 0, 'V'},	 {"attach", required_argument, 0, 'a'},
		{"output", required_argument, 0, 'O'},	 {"duration", required_argument, 0, 'd'},
		{"verbose", no_argument, 0, 'v'},	 {"help", no_argument, 0, 'h'},
		{0, 0, 0, 0},
	};
	const char *vname = "noinline";
	char *end;
	int c;

	memset(o, 0, sizeof(*o));
	o->attach = "auto";
	o->output = OUTPUT_RINGBUF;
	optind = 1;
	while ((c = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'V': vname = optarg; break;
		case 'a': o->attach = optarg; break;
		case 'O':
			if (!strcmp(optarg, "ringbuf"))
				o->output = OUTPUT_RINGBUF;
			else if (!strcmp(optarg, "perfbuf"))
				o->output = OUTPUT_PERFBUF;
			else {
				fprintf(stderr, "trace: unknown output '%s'; valid: ringbuf, perfbuf\n",
					optarg);
				return 2;
			}
			break;
		case 'd':
			o->duration = strtod(optarg, &end);
			if (*end || o->duration <= 0) {
				fprintf(stderr, "trace: --duration wants seconds > 0, got '%s'\n", optarg);
				return 2;
			}
			break;
		case 'v': loader_set_verbose(true); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "trace: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (!(o->variant = variant_find(vname))) {
		fprintf(stderr, "trace: unknown variant '%s'; ", vname);
		variants_print_valid(stderr);
		return 2;
	}
	if (attach_mode_arg("trace", o->attach, &o->mode))
		return 2;
	return -1;
}

int cmd_trace(int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_signal}; /* no SA_RESTART: poll returns */
	struct trace_opts o;
	struct session_env env;
	struct load_opts lo;
	struct session s;
	struct session_counts c;
	uint64_t deadline;
	int rc;

	if ((rc = parse_args(argc, argv, &o)) >= 0)
		return rc;
	if (session_setup("trace", o.mode, false, stderr, &env))
		return 1;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	lo = (struct load_opts){.variant = o.variant, .mode = env.mode, .output = o.output,
				.log_level = 4, .attach = true};
	if (session_open(&s, &lo, print_event, NULL)) {
		fprintf(stderr, "trace: %s @ %s: %s failed: %s\n", o.variant->name, env.mode->name,
			s.l.stage, s.l.reason);
		session_close(&s);
		return 1;
	}
	fprintf(stderr, "trace: %s @ %s, output %s; Ctrl-C to stop\n", o.variant->name,
		env.mode->name, output_mode_name(o.output));
	deadline = o.duration > 0 ? now_ns() + (uint64_t)(o.duration * 1e9) : 0;
	rc = 0;
	while (!stop && (!deadline || now_ns() < deadline)) {
		int n = session_poll(&s, 100);

		if (n < 0) {
			fprintf(stderr, "trace: polling failed: %s\n", strerror(-n));
			rc = 1;
			break;
		}
	}
	session_drain(&s);
	session_read(&s, &c);
	/* What the hooks counted against what reached us: where a handler is
	 * not the hooks' own code (tail call, replacement), equal counts show
	 * every open went through it. */
	fprintf(stderr, "trace: %llu events received; the hooks counted %llu active + %llu passive "
			"opens\n",
		(unsigned long long)c.received, (unsigned long long)c.active,
		(unsigned long long)c.passive);
	if (c.drops)
		fprintf(stderr, "trace: %llu events lost\n", (unsigned long long)c.drops);
	session_close(&s);
	return rc;
}
