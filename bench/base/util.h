/* Small process and file helpers shared by the commands. */
#ifndef BPF2BPF_UTIL_H
#define BPF2BPF_UTIL_H

#include <stdint.h>

/* uname -r, cached. */
const char *kernel_release(void);
/* mkdir -p; 0 or -errno. */
int mkdir_p(const char *path);
/* Run argv with stdout (and stderr) to `path`; returns the exit status, or
 * -errno when it could not run (e.g. the tool is not installed). */
int run_to_file(char *const argv[], const char *path);
/* Write len bytes to path; 0 or -errno. */
int write_file(const char *path, const void *buf, uint64_t len);
/* CLOCK_MONOTONIC in ns. */
uint64_t now_ns(void);
/* "native", or what BPF2BPF_TIMING says (the VM matrix sets "emulated"). */
const char *timing_kind(void);

/* A whole number in [1, max] for option `what` of command `who`: 0, or -1
 * after one line on stderr. */
int parse_count(const char *who, const char *s, const char *what, long max, long *out);
/* One timing measurement at a time on this machine: two would disturb each
 * other, and run-time stats are switched on for the whole system. Returns
 * the lock's fd (close it to release), or -1 after one "who: ..." line. */
int bench_lock(const char *who);

#endif
