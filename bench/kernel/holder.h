/* A holder: a child process that loads and attaches one variant and keeps it
 * attached until told to stop, so that other processes (hyperfine's timed
 * storms, an iperf3 beside a storm) run with the programs in place and pay
 * nothing for loading them. The child detaches and exits when the parent
 * closes its end of a pipe, or when the parent dies. */
#ifndef BPF2BPF_HOLDER_H
#define BPF2BPF_HOLDER_H

#include <stddef.h>
#include <sys/types.h>

#include "kernel/loader.h"

struct holder {
	pid_t pid;
	int fd; /* the parent's end: closing it stops the holder */
};

/* Fork a holder of lo (lo->attach is implied). Returns 0 once the programs
 * are attached, or -1 with the child's reason in err (nothing left loaded). */
int holder_start(const struct load_opts *lo, struct holder *h, char *err, size_t errlen);
/* Detach, unload, reap. 0, or -1 when the child did not exit cleanly. */
int holder_stop(struct holder *h);

#endif
