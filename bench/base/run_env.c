/* run.env through its key table; see run_env.h. */
#include "base/run_env.h"

#include <string.h>


#define RF struct run_facts
#define KEYDOC(f, doc) TEXT(RF, f, doc)
static const struct column keys[] = {
	KEYDOC(schema_version, "layout of the run directory and its CSV columns"),
	KEYDOC(kernel, "`uname -r`"),
	KEYDOC(kernel_version, "`uname -v`"),
	KEYDOC(host, "host name"),
	KEYDOC(timing, "native, or emulated (a TCG guest: times are not comparable)"),
	KEYDOC(grid, "full, or quick (make bench --quick, the VM kernels): fewer rounds and points"),
	KEYDOC(clang, "`clang --version` first line of the compiler that built the BPF objects"),
	KEYDOC(bpf_cpu, "clang -mcpu= of the BPF objects (v1..v4)"),
	KEYDOC(libbpf, "libbpf_version_string() of the libbpf linked into the binary that ran"),
	KEYDOC(libbpf_package, "the libbpf package version that binary was built and linked "
			       "against (the distribution's libbpf-dev, or one fetched for make "
			       "compilers and the matrix's second libbpf)"),
	KEYDOC(libbpf_headers, "the libbpf version of the headers it was compiled against"),
	KEYDOC(bpftool, "`bpftool version` first line, of the bpftool that built the objects"),
	KEYDOC(cpus, "online CPUs"),
	KEYDOC(cpu_model, "CPU model name"),
	KEYDOC(cpu_vulnerabilities, "the /sys/devices/system/cpu/vulnerabilities entries that are "
				    "not \"Not affected\", as name: state; ..."),
	KEYDOC(mitigations, "the mitigations= setting of the kernel command line (empty: the "
			    "kernel's default)"),
	KEYDOC(jit_enable, "net.core.bpf_jit_enable"),
	KEYDOC(jit_harden, "net.core.bpf_jit_harden (constant blinding changes JIT sizes)"),
	KEYDOC(attach, "the primary attach mode: the most direct mode in which the baseline loads "
		       "and attaches, decided once by the bench driver"),
	KEYDOC(methods, "the measurement methods run, in order"),
	KEYDOC(failed_steps, "methods that failed (their files may be absent)"),
	KEYDOC(started_utc, "run start, ISO 8601 UTC"),
	KEYDOC(finished_utc, "run end, ISO 8601 UTC"),
	KEYDOC(complete, "1 once every step ran; 0 in a run that was interrupted or could not finish its files (`*.incomplete`)"),
};

const struct result_file run_env_file =
	FILE_DEF("run.env", "bpf2bpf-bench bench", 1, 0, RF, keys,
		 "`key=value` lines; env.txt repeats them with the kernel configuration, sysctls "
		 "and CPU vulnerabilities in full");

int run_env_write(const char *path, const struct run_facts *f)
{
	return kv_write_row(path, &run_env_file, f);
}

int run_env_read(const char *path, struct run_facts *f, char **store, char *err, size_t errlen)
{
	memset(f, 0, sizeof(*f));
	return kv_read_row(path, &run_env_file, f, store, err, errlen);
}

void run_env_print_keys(FILE *f)
{
	fprintf(f, "### run.env\n\n%s.\n\n| key | meaning |\n| --- | --- |\n", run_env_file.doc);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		fprintf(f, "| `%s` | %s |\n", keys[i].name, keys[i].doc);
}
