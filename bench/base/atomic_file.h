/* Publish a file atomically: write "<path>.tmp", then fsync and rename it
 * into place, so a reader (or a crash, or an interrupt) never meets half a
 * file at <path>. Every file the harness writes goes through here. */
#ifndef BPF2BPF_ATOMIC_FILE_H
#define BPF2BPF_ATOMIC_FILE_H

#include <stddef.h>
#include <stdio.h>

struct atomic_file {
	FILE *f;    /* write here */
	char *path; /* where it goes */
	char *tmp;  /* where it is written meanwhile */
};

/* Open "<path>.tmp" for writing. 0 or -errno. */
int af_open(struct atomic_file *a, const char *path);
/* Flush, fsync, close and rename into place; `failed` (an earlier write
 * error of the caller's) aborts instead. 0 or -errno; on error nothing is
 * left at path or at the temporary name. */
int af_commit(struct atomic_file *a, int failed);
/* Close and delete the temporary file. */
void af_abort(struct atomic_file *a);
/* The whole of buf at path, atomically. 0 or -errno. */
int af_write(const char *path, const void *buf, size_t len);

#endif
