/* The processes of the iperf smoke check: a connection storm in a private
 * network namespace beside the stream, and one iperf3 loopback stream. */
#ifndef BPF2BPF_IPERF_PROC_H
#define BPF2BPF_IPERF_PROC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define IPERF_STREAM_S "1" /* seconds of one stream */

struct iperf_storm {
	pid_t pid; /* -1: not running */
	int fd;	   /* reads the connection count when it ends */
};

/* Fork a storm that runs until iperf_storm_stop. 0, or -1 with errno set
 * (nothing left running or open). */
int iperf_storm_start(struct iperf_storm *s);
/* Stop the storm, reap it; the connections it made (0 when it never ran). */
uint64_t iperf_storm_stop(struct iperf_storm *s);
/* One 1-second stream on 127.0.0.1:port (a one-off server, the client);
 * Gbit/s received, or NaN with the reason in err. Scratch files go in dir. */
double iperf_stream(const char *dir, int port, char *err, size_t errlen);

#endif
