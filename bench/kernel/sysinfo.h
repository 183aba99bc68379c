/* The facts of this machine a run records: kernel, CPU and its mitigations,
 * JIT settings, the toolchain that built the objects and the libbpf linked
 * into this binary. run.env gets the ones that decide a result; env.txt the
 * rest a person needs to explain one (kernel options, sysctls, every
 * vulnerability file). */
#ifndef BPF2BPF_SYSINFO_H
#define BPF2BPF_SYSINFO_H

#include <stddef.h>

#include "base/run_env.h"

/* Storage the run_facts strings point into. */
struct host_facts {
	char kernel[128], kernel_version[256], host[128], cpus[16], cpu_model[160];
	char vulnerabilities[2048], mitigations[128], jit_enable[16], jit_harden[16];
	char libbpf[32], libbpf_headers[32], started[32], finished[32];
};

/* Fill f (every field this module knows; attach, methods, failed_steps and
 * complete are the driver's) from this machine, pointing into h. */
void sysinfo_collect(struct host_facts *h, struct run_facts *f);
/* "2026-11-25T17:28:26Z" */
void sysinfo_utc(char *buf, size_t len);
/* libbpf_version_string() of the linked libbpf: "v1.1". */
const char *sysinfo_libbpf(void);
/* The vulnerability entries that are not "Not affected", "name: state; ..."
 * (of /sys/devices/system/cpu/vulnerabilities; _in: of another directory
 * laid out the same way). */
void sysinfo_vulnerabilities(char *buf, size_t len);
void sysinfo_vulnerabilities_in(const char *dir, char *buf, size_t len);
/* The value of the mitigations= word the kernel takes from a command line
 * (the last one, a whole word, before " -- ") into out; 1 when present, 0
 * (out "") when not. */
int sysinfo_cmdline_mitigations(const char *cmdline, char *out, size_t len);
/* env.txt: run.env's keys, then kernel options, sysctls, CPU, every
 * vulnerability file and the toolchain. 0 or -errno. */
int sysinfo_write_env_txt(const char *path, const struct run_facts *f);

#endif
