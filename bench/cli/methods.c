/* The method table: every measurement method, in the order `make bench`
 * runs them and the report shows them. A new method is a file in methods/
 * (and, if the generic report section does not suit it, one in report/) plus
 * one entry here; see methods/method.h. */
#include <string.h>

#include "methods/calls.h"
#include "methods/crosscheck.h"
#include "cli/methods.h"
#include "methods/overhead.h"
#include "methods/sizes.h"
#include "methods/sweep.h"
#include "report/sections.h"
#include "cli/commands.h"
#include "storm/hammer.h"

static const struct result_file *const sizes_files[] = {&sizes_csv, NULL};
static const struct result_file *const overhead_files[] = {&overhead_csv, &rounds_csv, &pairs_csv,
							   NULL};
static const struct result_file *const calls_files[] = {&calls_csv, &calls_rounds_csv,
							&calls_bpf_stats_csv, &calls_attr_csv, NULL};
static const struct result_file *const hammer_files[] = {&hammer_csv, NULL};
static const struct result_file *const hyperfine_files[] = {&hyperfine_csv, &hf_runs_csv, NULL};
static const struct result_file *const iperf_files[] = {&iperf_csv, NULL};
static const struct result_file *const sweep_files[] = {&sweep_csv, NULL};

static const struct method table[] = {
	{
		.name = "sizes",
		.summary = "ELF, verifier, xlated and JIT sizes of every variant x attach mode",
		.cmd = cmd_sizes,
		.flags = M_BENCH | M_VM | M_ROOT,
		.bench = sizes_bench,
		.files = sizes_files,
		.report = report_sizes,
		.findings = findings_sizes,
		.matrix = matrix_sizes,
	},
	{
		/* The quick grid in make bench, the VM job and the matrix's host
		 * column; make sweep runs the full grid (BPF2BPF_SWEEP_GRID=full). */
		.name = "sweep",
		.summary = "scaling: call sites, loops, programs and handler size until the verifier refuses",
		.cmd = cmd_sweep,
		.flags = M_BENCH | M_VM | M_ROOT,
		.bench = sweep_bench,
		.files = sweep_files,
		.report = report_sweep,
		.findings = findings_sweep,
		.matrix = matrix_sweep,
	},
	{
		.name = "overhead",
		.summary = "time per event of every variant x output under a connection storm",
		.cmd = cmd_overhead,
		.flags = M_BENCH | M_VM | M_ROOT,
		.bench = overhead_bench,
		.files = overhead_files,
		.report = report_overhead,
		.findings = findings_overhead,
		.matrix = matrix_overhead,
	},
	{
		/* after overhead: its time per event, then what one call of it costs */
		.name = "calls",
		.summary = "ns per handler call by mechanism vs inlining (slope over K), and why",
		.cmd = cmd_calls,
		.flags = M_BENCH | M_VM | M_ROOT,
		.bench = calls_bench,
		.files = calls_files,
		.report = report_calls,
		.findings = findings_calls,
		.matrix = matrix_calls,
	},
	{
		.name = "hyperfine",
		.summary = "cross-check: whole storms timed by hyperfine, each variant held attached",
		.cmd = cmd_hyperfine,
		.flags = M_BENCH | M_ROOT,
		.bench = hyperfine_bench,
		.files = hyperfine_files,
		.report = report_hyperfine,
		.findings = findings_hyperfine,
	},
	{
		.name = "iperf",
		.summary = "smoke check: an iperf3 stream beside a storm, each variant held attached",
		.cmd = cmd_iperf,
		.flags = M_BENCH | M_ROOT,
		.bench = iperf_bench,
		.files = iperf_files,
		.report = report_iperf,
	},
	{
		.name = "hammer",
		.summary = "a loopback TCP connection storm (no program, or one variant attached)",
		.cmd = cmd_hammer,
		.files = hammer_files,
	},
};
const struct method_set all_methods = {table, sizeof(table) / sizeof(table[0])};
