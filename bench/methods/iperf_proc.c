/* The processes of the iperf smoke check (see iperf_proc.h): the storm
 * beside the stream, and one iperf3 server/client pair. Every fork() is
 * checked before its pid can reach kill(): kill(-1, sig) signals every
 * process the caller may signal. */
#include "methods/iperf_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "base/util.h"
#include "kernel/netns.h"
#include "storm/hammer.h"

static volatile sig_atomic_t storm_stop;

static void on_stop(int sig)
{
	(void)sig;
	storm_stop = 1;
	hammer_request_stop();
}

/* A storm in a private namespace until SIGINT; writes its connections. */
int iperf_storm_start(struct iperf_storm *s)
{
	int p[2];

	s->pid = -1;
	s->fd = -1;
	if (pipe(p))
		return -1;
	fflush(NULL);
	s->pid = fork();
	if (s->pid < 0) { /* no child: close both ends, keep fork's errno */
		int e = errno;

		close(p[0]);
		close(p[1]);
		errno = e;
		return -1;
	}
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

uint64_t iperf_storm_stop(struct iperf_storm *s)
{
	uint64_t conns = 0;

	if (s->pid <= 0) /* kill(-1 or 0, ...) would signal every process or our group */
		return 0;
	kill(s->pid, SIGINT);
	if (read(s->fd, &conns, sizeof(conns)) != sizeof(conns))
		conns = 0;
	close(s->fd);
	while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
		;
	return conns;
}

/* end.sum_received.bits_per_second of iperf3 -J, in Gbit/s; NaN with
 * iperf3's own "error" (or what is missing) in err. */
static double parse_gbit(const char *path, char *err, size_t errlen)
{
	struct json_object *root = json_object_from_file(path), *end, *sum, *bps, *e;
	double v = NAN;

	if (root && json_object_object_get_ex(root, "end", &end) &&
	    json_object_object_get_ex(end, "sum_received", &sum) &&
	    json_object_object_get_ex(sum, "bits_per_second", &bps))
		v = json_object_get_double(bps) / 1e9;
	else if (root && json_object_object_get_ex(root, "error", &e))
		snprintf(err, errlen, "iperf3: %s", json_object_get_string(e));
	else
		snprintf(err, errlen, "iperf3 -J gave no end.sum_received.bits_per_second");
	json_object_put(root);
	return v;
}

/* Whether an attempt found no server listening (yet, or any more). */
static bool refused(const char *why)
{
	return strstr(why, "Connection refused") != NULL;
}

/* One stream: a one-off server, the client, its throughput. */
double iperf_stream(const char *dir, int port, char *err, size_t errlen)
{
	char p[16], json[4200], log[4200], first[256] = "", last[256] = "";
	pid_t server;
	double v = NAN;
	int rc = -1;

	snprintf(p, sizeof(p), "%d", port);
	snprintf(json, sizeof(json), "%.4000s/.iperf.json", dir);
	snprintf(log, sizeof(log), "%.4000s/.iperf-server.log", dir);
	fflush(NULL);
	server = fork();
	if (server < 0) { /* never reach kill(-1, ...) below: it would signal every process */
		snprintf(err, errlen, "fork of the iperf3 server: %s", strerror(errno));
		return NAN;
	}
	if (server == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execlp("iperf3", "iperf3", "-s", "-1", "-B", "127.0.0.1", "-p", p, (char *)NULL);
		_exit(127);
	}
	/* The client retries while the server is not listening yet (bounded).
	 * iperf3 -J can exit 0 with {"error": "unable to connect to server:
	 * Connection refused"}: a stream counts only once its JSON has a result.
	 * The server is one-off (-1): once an attempt reached it and failed, it
	 * has exited and every later attempt is refused, so the reason is the
	 * first failure that is not a refusal (the last refusal when all were). */
	for (int i = 0; i < 40; i++) {
		char why[256] = "";

		rc = run_to_file((char *const[]){"iperf3", "-c", "127.0.0.1", "-p", p, "-t", IPERF_STREAM_S,
						 "-J", NULL},
				 json);
		/* iperf3 -J writes its own "error" even when it exits non-zero */
		v = parse_gbit(json, why, sizeof(why));
		if (!rc && !isnan(v))
			break;
		v = NAN;
		if (rc && strncmp(why, "iperf3: ", 8)) /* a failed cell always says why */
			snprintf(why, sizeof(why), "iperf3 client failed (exit %d)", rc);
		if (!*first && !refused(why))
			snprintf(first, sizeof(first), "%s", why);
		snprintf(last, sizeof(last), "%s", why);
		usleep(50000);
	}
	if (!isnan(v))
		err[0] = '\0'; /* an earlier attempt's refusal is not this stream's reason */
	else
		snprintf(err, errlen, "%s", *first ? first : last);
	kill(server, SIGTERM);
	while (waitpid(server, NULL, 0) < 0 && errno == EINTR)
		;
	remove(json);
	remove(log);
	return v;
}
