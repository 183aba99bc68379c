/* This machine's facts for run.env and env.txt; see sysinfo.h. */
#include "kernel/sysinfo.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include <bpf/libbpf.h>

#include "base/atomic_file.h"
#include "buildinfo.h"

#define VULN_DIR "/sys/devices/system/cpu/vulnerabilities"

/* First line of a file, trailing newline dropped; "" when unreadable. */
static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (f && fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	if (f)
		fclose(f);
}

const char *sysinfo_libbpf(void)
{
	return libbpf_version_string();
}

void sysinfo_utc(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* One "name: state" entry: long enough for spectre_v2's whole state. */
#define VULN_ENTRY 256

/* Sorted entries of a vulnerabilities directory, each "name: state". */
static int vuln_entries(const char *dir, char (*out)[VULN_ENTRY], int max)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)) && n < max) {
		char path[512], state[192];

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		read_line(path, state, sizeof(state));
		snprintf(out[n++], VULN_ENTRY, "%.60s: %.191s", e->d_name, state);
	}
	if (d)
		closedir(d);
	qsort(out, (size_t)n, VULN_ENTRY, (int (*)(const void *, const void *))strcmp);
	return n;
}

void sysinfo_vulnerabilities_in(const char *dir, char *buf, size_t len)
{
	char (*v)[VULN_ENTRY] = calloc(64, VULN_ENTRY);
	int n = v ? vuln_entries(dir, v, 64) : 0;
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; i < n && off < len; i++) {
		const char *state = strstr(v[i], ": ");

		/* the whole state, not a part: spectre_v2's says "PBRSB-eIBRS:
		 * Not affected" after its mitigation */
		if (!state || strcmp(state + 2, "Not affected"))
			off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? "; " : "", v[i]);
	}
	if (!n)
		snprintf(buf, len, "unknown (%s absent)", dir);
	free(v);
}

void sysinfo_vulnerabilities(char *buf, size_t len)
{
	sysinfo_vulnerabilities_in(VULN_DIR, buf, len);
}

int sysinfo_cmdline_mitigations(const char *cmdline, char *out, size_t len)
{
	const char *p = cmdline, *hit = NULL, *dashes = strstr(cmdline, " -- ");

	out[0] = '\0';
	/* a whole word: "nomitigations=" is another knob; the kernel takes the
	 * last one given, and nothing after " -- " (init's arguments) */
	while ((p = strstr(p, "mitigations=")) != NULL) {
		if (dashes && p > dashes)
			break;
		if (p == cmdline || p[-1] == ' ' || p[-1] == '\t')
			hit = p + strlen("mitigations=");
		p += strlen("mitigations=");
	}
	if (!hit)
		return 0;
	snprintf(out, len, "%.*s", (int)strcspn(hit, " \t\n"), hit);
	return 1;
}

/* mitigations=... of /proc/cmdline, "" when not set. */
static void cmdline_mitigations(char *buf, size_t len)
{
	char line[4096];

	read_line("/proc/cmdline", line, sizeof(line));
	sysinfo_cmdline_mitigations(line, buf, len);
}

static void cpu_model(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];

	snprintf(buf, len, "unknown");
	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!colon || (strncmp(line, "model name", 10) && strncmp(line, "Model name", 10) &&
			       strncmp(line, "cpu model", 9)))
			continue;
		colon++;
		colon += strspn(colon, " \t");
		colon[strcspn(colon, "\n")] = '\0';
		snprintf(buf, len, "%s", colon);
		break;
	}
	if (f)
		fclose(f);
}

void sysinfo_collect(struct host_facts *h, struct run_facts *f)
{
	struct utsname u;

	memset(h, 0, sizeof(*h));
	if (!uname(&u)) {
		snprintf(h->kernel, sizeof(h->kernel), "%s", u.release);
		snprintf(h->kernel_version, sizeof(h->kernel_version), "%s", u.version);
		snprintf(h->host, sizeof(h->host), "%s", u.nodename);
	}
	snprintf(h->cpus, sizeof(h->cpus), "%ld", sysconf(_SC_NPROCESSORS_ONLN));
	cpu_model(h->cpu_model, sizeof(h->cpu_model));
	sysinfo_vulnerabilities(h->vulnerabilities, sizeof(h->vulnerabilities));
	cmdline_mitigations(h->mitigations, sizeof(h->mitigations));
	read_line("/proc/sys/net/core/bpf_jit_enable", h->jit_enable, sizeof(h->jit_enable));
	read_line("/proc/sys/net/core/bpf_jit_harden", h->jit_harden, sizeof(h->jit_harden));
	snprintf(h->libbpf, sizeof(h->libbpf), "%s", sysinfo_libbpf());
	snprintf(h->libbpf_headers, sizeof(h->libbpf_headers), "v%d.%d", LIBBPF_MAJOR_VERSION,
		 LIBBPF_MINOR_VERSION);
	sysinfo_utc(h->started, sizeof(h->started));
	f->schema_version = RUN_SCHEMA_VERSION_STR;
	f->kernel = h->kernel;
	f->kernel_version = h->kernel_version;
	f->host = h->host;
	f->clang = BPF2BPF_CLANG;
	f->bpf_cpu = BPF2BPF_BPF_CPU;
	f->bpftool = BPF2BPF_BPFTOOL;
	f->libbpf = h->libbpf;
	f->libbpf_package = BPF2BPF_LIBBPF_PKG;
	f->libbpf_headers = h->libbpf_headers;
	f->cpus = h->cpus;
	f->cpu_model = h->cpu_model;
	f->cpu_vulnerabilities = h->vulnerabilities;
	f->mitigations = h->mitigations;
	f->jit_enable = h->jit_enable;
	f->jit_harden = h->jit_harden;
	f->started_utc = h->started;
}

/* The kernel options that decide which attach modes load and what a call
 * costs. */
static const char *const config_opts[] = {
	"BPF_SYSCALL",	 "BPF_JIT",	  "BPF_JIT_ALWAYS_ON",	 "BPF_JIT_DEFAULT_ON", "BPF_EVENTS",
	"KPROBES",	 "KPROBE_EVENTS", "FUNCTION_TRACER",	 "DYNAMIC_FTRACE_WITH_DIRECT_CALLS",
	"DEBUG_INFO_BTF", "MITIGATION_RETPOLINE", "RETPOLINE", "MITIGATION_RETHUNK", "RETHUNK",
	"MITIGATION_SRSO", "CPU_SRSO", "CALL_DEPTH_TRACKING", "MITIGATION_CALL_DEPTH_TRACKING",
	"NET_NS", "PREEMPT", "PREEMPT_DYNAMIC",
};

static void kernel_config(FILE *out, const char *release)
{
	char path[256], line[512];
	gzFile gz;
	int found[sizeof(config_opts) / sizeof(config_opts[0])] = {0};
	const size_t nopts = sizeof(config_opts) / sizeof(config_opts[0]);

	gz = gzopen("/proc/config.gz", "rb"); /* also reads a plain file */
	snprintf(path, sizeof(path), "%s", "/proc/config.gz");
	if (!gz) {
		snprintf(path, sizeof(path), "/boot/config-%s", release);
		gz = gzopen(path, "rb");
	}
	if (!gz) {
		fprintf(out, "source: unknown (no /proc/config.gz, no /boot/config-%s)\n", release);
		return;
	}
	fprintf(out, "source: %s\n", path);
	while (gzgets(gz, line, sizeof(line))) {
		line[strcspn(line, "\n")] = '\0';
		for (size_t i = 0; i < nopts; i++) {
			char set[128], unset[128];

			snprintf(set, sizeof(set), "CONFIG_%s=", config_opts[i]);
			snprintf(unset, sizeof(unset), "# CONFIG_%s is not set", config_opts[i]);
			if (!strncmp(line, set, strlen(set)) || !strcmp(line, unset)) {
				fprintf(out, "%s\n", line);
				found[i] = 1;
			}
		}
	}
	gzclose(gz);
	for (size_t i = 0; i < nopts; i++)
		if (!found[i])
			fprintf(out, "CONFIG_%s: not in config\n", config_opts[i]);
}

static void sysctls(FILE *out)
{
	static const char *const names[] = {"net.core.bpf_jit_enable", "net.core.bpf_jit_harden",
					    "net.core.bpf_jit_kallsyms", "kernel.bpf_stats_enabled",
					    "kernel.unprivileged_bpf_disabled"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[128], v[64];

		snprintf(path, sizeof(path), "/proc/sys/%s", names[i]);
		for (char *p = path + 10; *p; p++)
			if (*p == '.')
				*p = '/';
		read_line(path, v, sizeof(v));
		fprintf(out, "%s = %s\n", names[i], *v ? v : "unknown");
	}
}

int sysinfo_write_env_txt(const char *path, const struct run_facts *f)
{
	char (*v)[VULN_ENTRY] = calloc(64, VULN_ENTRY);
	struct atomic_file a;
	struct utsname u;
	int err = af_open(&a, path), n;

	if (err) {
		free(v);
		return err;
	}
	fprintf(a.f, "# bpf2bpf-bench run environment (run.env has the machine-readable keys)\n");
	for (int i = 0; i < run_env_file.ncols; i++)
		fprintf(a.f, "%s=%s\n", run_env_file.cols[i].name, col_text(&run_env_file.cols[i], f));
	if (!uname(&u))
		fprintf(a.f, "\n## kernel\n%s %s %s %s %s\n", u.sysname, u.nodename, u.release,
			u.version, u.machine);
	fprintf(a.f, "\n## kernel configuration\n");
	kernel_config(a.f, f->kernel ? f->kernel : "");
	fprintf(a.f, "\n## sysctls\n");
	sysctls(a.f);
	fprintf(a.f, "\n## CPU\nmodel: %s\nonline CPUs: %s\n", f->cpu_model, f->cpus);
	fprintf(a.f, "\n## CPU vulnerabilities\n");
	n = v ? vuln_entries(VULN_DIR, v, 64) : 0;
	for (int i = 0; i < n; i++)
		fprintf(a.f, "%s\n", v[i]);
	if (!n)
		fprintf(a.f, "unknown (%s absent)\n", VULN_DIR);
	fprintf(a.f, "\n## toolchain\nBPF objects built with: %s, -mcpu=%s\nbpftool: %s\n"
		     "libbpf linked: %s (package %s, headers %s)\n",
		f->clang, f->bpf_cpu, f->bpftool, f->libbpf,
		f->libbpf_package && *f->libbpf_package ? f->libbpf_package : "unknown",
		f->libbpf_headers);
	free(v);
	return af_commit(&a, 0);
}
