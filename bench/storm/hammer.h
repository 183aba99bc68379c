/* The socket hammer: a loopback TCP connection storm. Each thread is client
 * and server on a listener of its own, with many non-blocking connects in
 * flight, so the rate is bounded by the kernel's connection cost, not by the
 * generator. */
#ifndef BPF2BPF_HAMMER_H
#define BPF2BPF_HAMMER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum hammer_close {
	HAMMER_CLOSE_RESET, /* SO_LINGER {1,0}: RST, no TIME_WAIT (default) */
	HAMMER_CLOSE_FIN,   /* normal close; sources spread over 127.0.0.0/8 */
};

struct hammer_opts {
	int threads;		/* 0: one per online CPU */
	double duration_s;	/* 0: no time bound (connections must be set) */
	uint64_t connections;	/* 0: no count bound (duration must be set). Exact:
				 * a failed connect gives its turn back and is
				 * retried, so a run that is not cut short ends
				 * with exactly this many connects, all accepted */
	int inflight;		/* concurrent connects per thread */
	enum hammer_close close_mode;
	const char *address;	/* IPv4 loopback address to listen on; NULL: 127.0.0.1 */
	int quiet;
};

#define HAMMER_MAX_ERRNO 134

struct hammer_result {
	uint64_t connections;	/* connections accepted by the servers */
	uint64_t connects;	/* client connects that completed */
	uint64_t errors;	/* failed connects/accepts, all causes */
	uint64_t errors_by_errno[HAMMER_MAX_ERRNO]; /* [0]: errno 0 or >= the size */
	double elapsed_s;
	double conn_per_s;
	double cpu_us_per_conn;	/* process user+sys CPU (getrusage) per connection */
	double lat_p50_us, lat_p90_us, lat_p99_us, lat_max_us; /* connect latency */
	int threads;		/* threads actually used (opts.threads resolved) */
	int interrupted;	/* ended early by hammer_request_stop() */
	int wall_capped;	/* a connections-only run hit the wall-clock cap */
};

/* Limits enforced by hammer_check. */
#define HAMMER_MAX_THREADS 256
#define HAMMER_MAX_INFLIGHT 4096
#define HAMMER_MAX_DURATION_S 86400.0
/* With only a connections bound, a run still ends after
 * max(HAMMER_WALL_CAP_MIN_S, connections / HAMMER_WALL_CAP_MIN_RATE) seconds
 * (at most HAMMER_MAX_DURATION_S),
 * so a collapsed rate cannot hang it. */
#define HAMMER_WALL_CAP_MIN_S 60.0
#define HAMMER_WALL_CAP_MIN_RATE 1000.0

/* bpf2bpf-bench hammer (hammer_cmd.c). */
int cmd_hammer(int argc, char **argv);

/* Fill opts with the defaults (threads 0, inflight 32, reset close, 127.0.0.1). */
void hammer_defaults(struct hammer_opts *o);
/* Validate: -1 with a one-line message in err for a non-loopback address,
 * no bound, or nonsense values. */
int hammer_check(const struct hammer_opts *o, char *err, size_t errlen);
/* Run one storm in the caller's network namespace. Returns 0, or -1 with a
 * message in err (setup failure; connect errors are counted, not fatal). */
int hammer_run(const struct hammer_opts *o, struct hammer_result *r, char *err, size_t errlen);
/* The parseable summary line: "connections=N conn_per_s=X errors=E". */
void hammer_print_summary(const struct hammer_result *r, FILE *f);
/* The human summary: rate, CPU per connection, latency, errors by errno. */
void hammer_print_details(const struct hammer_result *r, const struct hammer_opts *o, FILE *f);

/* Ask a running (or the next) hammer_run to stop promptly; it returns the
 * partial result with interrupted set. Async-signal-safe: call it from a
 * SIGINT/SIGTERM handler. The request stays until hammer_clear_stop(), so a
 * signal between two storms of a series is not lost. */
void hammer_request_stop(void);
int hammer_stop_requested(void);
void hammer_clear_stop(void);

/* A host of 127.0.0.0/8 (NULL: 127.0.0.1) other than the network and
 * broadcast addresses; -1 for anything else. */
struct in_addr;
int hammer_parse_loopback(const char *s, struct in_addr *out);

/* "reset" / "fin" and back; parse returns -1 for anything else. */
const char *hammer_close_name(enum hammer_close m);
int hammer_close_parse(const char *s, enum hammer_close *out);

/* hammer.csv: one row per storm, through the schema table. */
struct hammer_row {
	int64_t threads, inflight;
	const char *close_mode;
	int64_t connections, connects, errors;
	double elapsed_s, conn_per_s, cpu_us_per_conn;
	double lat_p50_us, lat_p90_us, lat_p99_us, lat_max_us;
};
struct result_file;
extern const struct result_file hammer_csv;
void hammer_row_of(const struct hammer_result *r, const struct hammer_opts *o,
		   struct hammer_row *row);

#endif
