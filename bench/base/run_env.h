/* run.env: the facts of a run as key=value lines, described by a column
 * table like every result file (base/schema.h), written by the `bench`
 * driver (host and VM guests alike) and read into a typed struct by the
 * report. A new key is one line in run_env.c plus its field here. */
#ifndef BPF2BPF_RUN_ENV_H
#define BPF2BPF_RUN_ENV_H

#include <stdio.h>

#include "base/schema.h"

struct run_facts {
	const char *schema_version;
	const char *kernel, *kernel_version, *host, *timing, *grid;
	const char *clang, *bpf_cpu, *libbpf, *libbpf_package, *libbpf_headers, *bpftool;
	const char *cpus, *cpu_model, *cpu_vulnerabilities, *mitigations;
	const char *jit_enable, *jit_harden;
	const char *attach, *methods, *failed_steps;
	const char *started_utc, *finished_utc, *complete;
};

extern const struct result_file run_env_file;

/* key=value lines in table order (empty values included). 0 or -errno. */
int run_env_write(const char *path, const struct run_facts *f);
/* Read path into f; text fields point into *store (free() it). Keys the
 * table does not know are ignored; a line without '=' is an error. Returns 0,
 * or -1 with "<path>:<line>: <what>" in err. */
int run_env_read(const char *path, struct run_facts *f, char **store, char *err, size_t errlen);
/* The markdown reference of the keys (README). */
void run_env_print_keys(FILE *f);

#endif
