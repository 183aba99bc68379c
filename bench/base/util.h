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

#endif
