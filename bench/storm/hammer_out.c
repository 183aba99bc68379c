/* The hammer's summary line, human details and its CSV row; see hammer.h. */
#include "storm/hammer.h"

#include <inttypes.h>
#include <string.h>

#include "base/schema.h"

void hammer_print_summary(const struct hammer_result *r, FILE *f)
{
	fprintf(f, "connections=%" PRIu64 " conn_per_s=%.1f errors=%" PRIu64 "\n", r->connections,
		r->conn_per_s, r->errors);
}

static const char *errno_name(int e)
{
	const char *s = e ? strerrorname_np(e) : NULL;

	return s ? s : "other";
}

void hammer_print_details(const struct hammer_result *r, const struct hammer_opts *o, FILE *f)
{
	fprintf(f, "storm: %d thread(s), %d in flight each, %s close, %s\n", r->threads,
		o->inflight, hammer_close_name(o->close_mode), o->address ? o->address : "127.0.0.1");
	fprintf(f, "  %" PRIu64 " connections accepted (%" PRIu64 " connects) in %.3f s%s%s\n",
		r->connections, r->connects, r->elapsed_s,
		r->interrupted ? " [interrupted]" : "",
		r->wall_capped ? " [wall-clock cap reached]" : "");
	fprintf(f, "  rate:     %.0f conn/s\n", r->conn_per_s);
	fprintf(f, "  CPU:      %.1f us/conn (user+sys of the process)\n", r->cpu_us_per_conn);
	fprintf(f, "  connect latency (us): p50 %.1f  p90 %.1f  p99 %.1f  max %.1f\n",
		r->lat_p50_us, r->lat_p90_us, r->lat_p99_us, r->lat_max_us);
	fprintf(f, "  errors:   %" PRIu64, r->errors);
	for (int e = 0; e < HAMMER_MAX_ERRNO; e++)
		if (r->errors_by_errno[e])
			fprintf(f, " %s=%" PRIu64, errno_name(e), r->errors_by_errno[e]);
	fputc('\n', f);
}

#define HR struct hammer_row
static const struct column cols[] = {
	KEY_INT(HR, threads, "storm threads (client and server each)"),
	KEY_INT(HR, inflight, "non-blocking connects in flight per thread"),
	KEY_TEXT(HR, close_mode, "reset (SO_LINGER 0, no TIME_WAIT) or fin"),
	INT(HR, connections, "connections", "conns", MG_STORM, MB_NONE, 0,
	    "TCP connections the storm completed (accepted by its servers)"),
	INT(HR, connects, "connects", "conns", MG_STORM, MB_NONE, 0, "client connects that completed"),
	INT(HR, errors, "errors", "errors", MG_STORM, MB_LOWER, 1,
	    "failed connects and accepts, all causes"),
	NUM(HR, elapsed_s, "elapsed", "s", MG_STORM, MB_NONE, 3, 0, "wall time of the storm"),
	NUM(HR, conn_per_s, "conn/s", "conn/s", MG_STORM, MB_HIGHER, 0, 1,
	    "storm rate: connections / wall time"),
	NUM(HR, cpu_us_per_conn, "CPU/conn", "us", MG_STORM, MB_LOWER, 2, 1,
	    "user+system CPU of the storm process per connection (getrusage); in-kernel work "
	    "done in softirq on other tasks is not in it"),
	NUM(HR, lat_p50_us, "p50", "us", MG_STORM, MB_LOWER, 1, 1, "connect latency, median"),
	NUM(HR, lat_p90_us, "p90", "us", MG_STORM, MB_LOWER, 1, 1, "connect latency, 90th percentile"),
	NUM(HR, lat_p99_us, "p99", "us", MG_STORM, MB_LOWER, 1, 1, "connect latency, 99th percentile"),
	NUM(HR, lat_max_us, "max", "us", MG_STORM, MB_LOWER, 1, 1, "connect latency, maximum"),
};

const struct result_file hammer_csv = FILE_DEF("hammer.csv", "bpf2bpf-bench hammer --csv", 0, 0, HR,
					       cols, "connection storms with no program attached");

void hammer_row_of(const struct hammer_result *r, const struct hammer_opts *o,
		   struct hammer_row *row)
{
	*row = (struct hammer_row){
		.threads = r->threads,
		.inflight = o->inflight,
		.close_mode = hammer_close_name(o->close_mode),
		.connections = (int64_t)r->connections,
		.connects = (int64_t)r->connects,
		.errors = (int64_t)r->errors,
		.elapsed_s = r->elapsed_s,
		.conn_per_s = r->conn_per_s,
		.cpu_us_per_conn = r->cpu_us_per_conn,
		.lat_p50_us = r->lat_p50_us,
		.lat_p90_us = r->lat_p90_us,
		.lat_p99_us = r->lat_p99_us,
		.lat_max_us = r->lat_max_us,
	};
}
