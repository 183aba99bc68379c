/* The column-definition table and the number formatting every table shares. */
#include "base/metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- schema v1: column order of every file ---- */

static const char *const sizes_cols[] = {
	"kernel",	"variant",	 "attach",	  "program",	  "elf_file_bytes",
	"elf_code_bytes", "elf_btf_bytes", "insn_cnt",	  "verified_insns", "total_states",
	"peak_states",	"verify_usec",	 "stack_depth",	  "xlated_bytes",   "jited_bytes",
	"jited_funcs",	"memlock_bytes", "status",	  "reason",	    "output",
	"prog_id",	"verified_src",	 "jited_func_lens",
};
static const char *const sizes_keys[] = {"variant", "attach", "output", "program"};

static const char *const overhead_cols[] = {
	"kernel",	"variant",   "attach",	   "output",	      "rounds",
	"connections",	"events",    "drops",	   "ns_per_run",      "ns_per_event",
	"ci_low",	"ci_high",   "net_ns_vs_empty", "conn_per_s", "cpu_us_per_conn",
	"net_ci_low",	"net_ci_high", "run_cnt",   "timing",	      "status",
	"flags",	"notes",     "foreign_runs",
};
static const char *const overhead_keys[] = {"variant", "attach", "output"};

static const char *const rounds_cols[] = {
	"kernel",     "variant",     "attach",	"output",	"round",	  "position",
	"connections", "events",     "drops",	"run_cnt",	"run_time_ns",	  "ns_per_run",
	"ns_per_event", "conn_per_s", "cpu_us_per_conn", "elapsed_s", "status", "tail_run_cnt",
};
static const char *const rounds_keys[] = {"variant", "attach", "output", "round"};

static const char *const pairs_cols[] = {
	"kernel", "attach", "output", "variant_a", "variant_b", "diff_ns", "ci_low", "ci_high", "verdict",
};
static const char *const pairs_keys[] = {"attach", "output", "variant_a", "variant_b"};

static const char *const hammer_cols[] = {
	"threads",    "inflight",   "close_mode", "connections", "connects",   "errors",	 "elapsed_s",
	"conn_per_s", "cpu_us_per_conn", "lat_p50_us", "lat_p90_us", "lat_p99_us", "lat_max_us",
};
static const char *const hammer_keys[] = {"threads", "inflight", "close_mode"};

static const char *const hyperfine_cols[] = {
	"command", "mean", "stddev", "median", "user", "system", "min", "max",
};
static const char *const hyperfine_keys[] = {"command"};

static const char *const iperf_cols[] = {"variant", "round", "gbit_per_s"};
static const char *const iperf_keys[] = {"variant", "round"};

#define FILE_DEF(n, by, req, cmp, c, k, d) {n, by, req, cmp, c, N(c), k, N(k), d}

const struct metric_file metric_files[] = {
	FILE_DEF("sizes.csv", "bpf2bpf-bench sizes", 1, 1, sizes_cols, sizes_keys,
		 "one row per loaded program and one `program=TOTAL` row per variant x attach "
		 "mode (sums over its programs; stack_depth is the maximum)"),
	FILE_DEF("overhead.csv", "bpf2bpf-bench overhead", 0, 1, overhead_cols, overhead_keys,
		 "per-event cost summary, one row per variant x attach x output; variant `none` "
		 "is the storm with no program (only its storm columns are filled)"),
	FILE_DEF("overhead-rounds.csv", "bpf2bpf-bench overhead", 0, 0, rounds_cols, rounds_keys,
		 "every round of every variant, warm-up rounds included"),
	FILE_DEF("overhead-pairs.csv", "bpf2bpf-bench overhead", 0, 0, pairs_cols, pairs_keys,
		 "paired differences of ns_per_event between two variants at the same attach "
		 "and output"),
	FILE_DEF("hammer.csv", "bpf2bpf-bench hammer", 0, 0, hammer_cols, hammer_keys,
		 "connection storms with no program attached"),
	FILE_DEF("hyperfine.csv", "hyperfine --export-csv (scripts/run-bench.sh)", 0, 0,
		 hyperfine_cols, hyperfine_keys,
		 "whole-process time of `hammer` runs, one command per variant (named with -n)"),
	FILE_DEF("iperf.csv", "scripts/run-bench.sh (iperf3 -J)", 0, 0, iperf_cols, iperf_keys,
		 "loopback bulk TCP throughput beside a connection storm, per variant"),
};
const size_t nmetric_files = sizeof(metric_files) / sizeof(metric_files[0]);

/* ---- column definitions ---- */

#define KEY(f, c, doc) {f, c, c, "", MK_KEY, MG_ID, MB_NONE, 0, 0, doc}
#define TXT(f, c, doc) {f, c, c, "", MK_TEXT, MG_ID, MB_NONE, 0, 0, doc}
#define NUM(f, c, lab, unit, grp, better, dec, rep, doc) \
	{f, c, lab, unit, MK_NUM, grp, better, dec, rep, doc}

static const struct metric_def defs[] = {
	/* Shared keys and bookkeeping. */
	TXT(NULL, "kernel", "`uname -r` of the machine that ran it"),
	KEY(NULL, "variant", "how the handler is written (variants/variants.def order)"),
	KEY(NULL, "attach", "attach mode: kprobe, fentry, tp_btf or tracepoint"),
	KEY(NULL, "output", "how events leave the kernel: ringbuf, ringbuf-nowakeup, perfbuf or "
			   "none (empty for the no-program storm)"),
	KEY("sizes.csv", "program", "BPF program name (e.g. tpb_active), or TOTAL"),
	TXT("sizes.csv", "status", "ok, skipped or failed"),
	TXT("sizes.csv", "reason", "why skipped or failed, in the kernel's or verifier's words "
				   "(the log's last meaningful line); empty when ok"),
	TXT("sizes.csv", "prog_id", "kernel program id while it was loaded"),
	TXT("sizes.csv", "verified_src", "where the verifier numbers come from: info "
					 "(bpf_prog_info) or log (BPF_LOG_STATS)"),
	TXT("sizes.csv", "jited_func_lens", "JIT size of each function of the program, '+'-separated "
					    "(bpf_prog_info.jited_func_lens)"),

	/* sizes.csv: the ELF object. */
	NUM("sizes.csv", "elf_file_bytes", "ELF file", "bytes", MG_ELF, MB_LOWER, 0, 1,
	    "size of the variant's object (build/VARIANT.bpf.o, embedded in the binary)"),
	NUM("sizes.csv", "elf_code_bytes", "ELF code", "bytes", MG_ELF, MB_LOWER, 0, 1,
	    "bytes of the program's own function in the object (libelf, symbol st_size); TOTAL "
	    "adds the .text subprograms once, as the object holds them"),
	NUM("sizes.csv", "elf_btf_bytes", "BTF", "bytes", MG_ELF, MB_LOWER, 0, 1,
	    ".BTF section of the object (libelf)"),

	/* sizes.csv: the verifier. */
	NUM("sizes.csv", "insn_cnt", "loaded insns", "insns", MG_VERIFIER, MB_LOWER, 0, 1,
	    "instructions libbpf passed to BPF_PROG_LOAD after relocation, appended subprogram "
	    "copies included (bpf_program__insn_cnt)"),
	NUM("sizes.csv", "verified_insns", "verified insns", "insns", MG_VERIFIER, MB_LOWER, 0, 1,
	    "instructions the verifier processed (bpf_prog_info.verified_insns, or the log's "
	    "\"processed N insns\")"),
	NUM("sizes.csv", "total_states", "total states", "states", MG_VERIFIER, MB_LOWER, 0, 1,
	    "verifier states created (log: total_states)"),
	NUM("sizes.csv", "peak_states", "peak states", "states", MG_VERIFIER, MB_LOWER, 0, 1,
	    "most verifier states alive at once (log: peak_states)"),
	NUM("sizes.csv", "verify_usec", "verify time", "us", MG_VERIFIER, MB_LOWER, 0, 1,
	    "verification time (log: \"verification time N usec\"); noisy"),
	NUM("sizes.csv", "stack_depth", "stack", "bytes", MG_VERIFIER, MB_LOWER, 0, 1,
	    "stack of all frames (sum of the log's \"stack depth A+B\"); TOTAL: the maximum"),

	/* sizes.csv: what the kernel keeps. */
	NUM("sizes.csv", "xlated_bytes", "xlated", "bytes", MG_IMAGE, MB_LOWER, 0, 1,
	    "verifier-rewritten program (bpf_prog_info.xlated_prog_len)"),
	NUM("sizes.csv", "jited_bytes", "JIT", "bytes", MG_IMAGE, MB_LOWER, 0, 1,
	    "native code (bpf_prog_info.jited_prog_len), all functions of the program"),
	NUM("sizes.csv", "jited_funcs", "JIT funcs", "funcs", MG_IMAGE, MB_LOWER, 0, 1,
	    "functions JITed: the program plus each subprogram copy "
	    "(bpf_prog_info.nr_jited_func_lens)"),
	NUM("sizes.csv", "memlock_bytes", "memlock", "bytes", MG_IMAGE, MB_LOWER, 0, 1,
	    "memory charged to the program (memlock: line of its fd in /proc/self/fdinfo)"),

	/* overhead.csv and overhead-rounds.csv. */
	TXT("overhead.csv", "status", "ok, flagged (see flags) or incomplete"),
	TXT("overhead.csv", "flags", "why flagged, ';'-separated: drops, count-mismatch, ..."),
	TXT("overhead.csv", "notes", "remarks on how to read the row (e.g. where tail-call targets' "
				     "time is charged)"),
	NUM("overhead.csv", "foreign_runs", "foreign runs", "runs", MG_TIME, MB_LOWER, 0, 0,
	    "program runs beyond what the storm's connections explain (other sockets changing "
	    "state meanwhile)"),
	NUM("overhead-rounds.csv", "tail_run_cnt", "tail runs", "runs", MG_TIME, MB_NONE, 0, 0,
	    "run_cnt of the tail-call target programs (0 when the kernel charges their time to "
	    "the entry program)"),
	TXT(NULL, "timing", "native, or emulated (TCG guest: times are not comparable)"),
	NUM("overhead.csv", "rounds", "rounds", "rounds", MG_TIME, MB_NONE, 0, 1,
	    "measured rounds summarised (warm-up excluded)"),
	NUM(NULL, "connections", "connections", "conns", MG_STORM, MB_NONE, 0, 0,
	    "TCP connections the storm completed (accepted by its servers)"),
	NUM(NULL, "events", "events", "events", MG_TIME, MB_NONE, 0, 0,
	    "program events counted, 2 per connection (active and passive open)"),
	NUM(NULL, "drops", "drops", "events", MG_TIME, MB_LOWER, 0, 1,
	    "events the output buffer could not take (ringbuf/perfbuf full)"),
	NUM(NULL, "run_cnt", "run_cnt", "runs", MG_TIME, MB_NONE, 0, 0,
	    "program runs, summed over the programs (bpf_prog_info.run_cnt, "
	    "kernel.bpf_stats_enabled)"),
	NUM(NULL, "ns_per_run", "ns/run", "ns", MG_TIME, MB_LOWER, 1, 0,
	    "run_time_ns / run_cnt: time per program invocation, filtered-out ones included"),
	NUM(NULL, "ns_per_event", "ns/event", "ns", MG_TIME, MB_LOWER, 1, 1,
	    "sum of the programs' run_time_ns / events (overhead.csv: median over rounds)"),
	NUM("overhead.csv", "ci_low", "CI low", "ns", MG_TIME, MB_LOWER, 1, 0,
	    "95% percentile-bootstrap CI of ns_per_event, lower bound"),
	NUM("overhead.csv", "ci_high", "CI high", "ns", MG_TIME, MB_LOWER, 1, 0,
	    "95% percentile-bootstrap CI of ns_per_event, upper bound"),
	NUM("overhead.csv", "net_ns_vs_empty", "net vs empty", "ns", MG_TIME, MB_LOWER, 1, 1,
	    "median of the per-round differences ns_per_event - empty's, same attach and "
	    "output: what the handler adds"),
	NUM("overhead.csv", "net_ci_low", "net CI low", "ns", MG_TIME, MB_LOWER, 1, 0,
	    "95% bootstrap CI of net_ns_vs_empty, lower bound"),
	NUM("overhead.csv", "net_ci_high", "net CI high", "ns", MG_TIME, MB_LOWER, 1, 0,
	    "95% bootstrap CI of net_ns_vs_empty, upper bound"),
	NUM(NULL, "conn_per_s", "conn/s", "conn/s", MG_STORM, MB_HIGHER, 0, 1,
	    "storm rate: connections / wall time"),
	NUM(NULL, "cpu_us_per_conn", "CPU/conn", "us", MG_STORM, MB_LOWER, 2, 1,
	    "user+system CPU of the storm process per connection (getrusage); in-kernel work "
	    "done in softirq on other tasks is not in it"),
	NUM("overhead-rounds.csv", "round", "round", "", MG_ID, MB_NONE, 0, 0,
	    "round number; each round runs every variant once, in shuffled order"),
	NUM("overhead-rounds.csv", "position", "position", "", MG_ID, MB_NONE, 0, 0,
	    "the variant's place in that round's order"),
	NUM("overhead-rounds.csv", "run_time_ns", "run time", "ns", MG_TIME, MB_LOWER, 0, 0,
	    "bpf_prog_info.run_time_ns delta over the round, summed over the programs"),
	NUM(NULL, "elapsed_s", "elapsed", "s", MG_STORM, MB_NONE, 3, 0, "wall time of the storm"),
	TXT("overhead-rounds.csv", "status", "ok, warmup (not summarised) or flagged"),

	/* overhead-pairs.csv. */
	KEY("overhead-pairs.csv", "variant_a", "first variant of the pair"),
	KEY("overhead-pairs.csv", "variant_b", "second variant of the pair"),
	NUM("overhead-pairs.csv", "diff_ns", "a - b", "ns", MG_TIME, MB_NONE, 1, 1,
	    "median of the per-round differences ns_per_event(a) - ns_per_event(b)"),
	NUM("overhead-pairs.csv", "ci_low", "CI low", "ns", MG_TIME, MB_NONE, 1, 0,
	    "95% bootstrap CI of diff_ns, lower bound"),
	NUM("overhead-pairs.csv", "ci_high", "CI high", "ns", MG_TIME, MB_NONE, 1, 0,
	    "95% bootstrap CI of diff_ns, upper bound"),
	TXT("overhead-pairs.csv", "verdict", "a slower, b slower, or not distinguishable (the CI "
					      "includes 0)"),

	/* hammer.csv. */
	KEY("hammer.csv", "threads", "storm threads (client and server each)"),
	KEY("hammer.csv", "inflight", "non-blocking connects in flight per thread"),
	KEY("hammer.csv", "close_mode", "reset (SO_LINGER 0, no TIME_WAIT) or fin"),
	NUM("hammer.csv", "connects", "connects", "conns", MG_STORM, MB_NONE, 0, 0,
	    "client connects that completed"),
	NUM("hammer.csv", "errors", "errors", "errors", MG_STORM, MB_LOWER, 0, 1,
	    "failed connects and accepts, all causes"),
	NUM("hammer.csv", "lat_p50_us", "p50", "us", MG_STORM, MB_LOWER, 1, 1,
	    "connect latency, median"),
	NUM("hammer.csv", "lat_p90_us", "p90", "us", MG_STORM, MB_LOWER, 1, 1,
	    "connect latency, 90th percentile"),
	NUM("hammer.csv", "lat_p99_us", "p99", "us", MG_STORM, MB_LOWER, 1, 1,
	    "connect latency, 99th percentile"),
	NUM("hammer.csv", "lat_max_us", "max", "us", MG_STORM, MB_LOWER, 1, 1,
	    "connect latency, maximum"),

	/* hyperfine.csv (hyperfine's own columns) and iperf.csv. */
	KEY("hyperfine.csv", "command", "the command's -n name: none or a variant"),
	NUM("hyperfine.csv", "mean", "mean", "s", MG_CHECK, MB_LOWER, 4, 0, "mean wall time"),
	NUM("hyperfine.csv", "stddev", "stddev", "s", MG_CHECK, MB_NONE, 4, 0,
	    "standard deviation of the wall time"),
	NUM("hyperfine.csv", "median", "median", "s", MG_CHECK, MB_LOWER, 4, 1,
	    "median wall time"),
	NUM("hyperfine.csv", "user", "user", "s", MG_CHECK, MB_LOWER, 4, 0, "mean user CPU time"),
	NUM("hyperfine.csv", "system", "system", "s", MG_CHECK, MB_LOWER, 4, 0,
	    "mean system CPU time"),
	NUM("hyperfine.csv", "min", "min", "s", MG_CHECK, MB_LOWER, 4, 0, "fastest run"),
	NUM("hyperfine.csv", "max", "max", "s", MG_CHECK, MB_LOWER, 4, 0, "slowest run"),
	NUM("iperf.csv", "round", "round", "", MG_ID, MB_NONE, 0, 0, "repetition number"),
	NUM("iperf.csv", "gbit_per_s", "Gbit/s", "Gbit/s", MG_CHECK, MB_HIGHER, 2, 1,
	    "iperf3 receiver throughput (end.sum_received.bits_per_second / 1e9)"),
};

const struct run_env_key run_env_keys[] = {
	{"schema_version", "layout of the run directory and its CSV columns (this document: 1)"},
	{"kernel", "`uname -r`"},
	{"kernel_version", "`uname -v`"},
	{"host", "host name"},
	{"timing", "native, or emulated (a TCG guest: times are not comparable)"},
	{"clang", "`clang --version` first line of the compiler that built the BPF objects"},
	{"bpf_cpu", "clang -mcpu= of the BPF objects (v1..v4)"},
	{"libbpf", "libbpf version"},
	{"bpftool", "`bpftool version` first line"},
	{"started_utc", "run start, ISO 8601 UTC"},
	{"finished_utc", "run end, ISO 8601 UTC"},
	{"attach", "attach modes measured"},
	{"outputs", "output modes measured"},
	{"cpus", "online CPUs"},
	{"cpu_model", "CPU model name"},
	{"hyperfine_connections", "connections per hyperfine command run"},
	{"failed_steps", "steps of scripts/run-bench.sh that failed (their files are absent)"},
	{"complete", "1 once every step ran; 0 in an interrupted run (`*.incomplete`)"},
};
const size_t nrun_env_keys = sizeof(run_env_keys) / sizeof(run_env_keys[0]);

const struct metric_file *metrics_file(const char *name)
{
	for (size_t i = 0; i < nmetric_files; i++)
		if (!strcmp(metric_files[i].name, name))
			return &metric_files[i];
	return NULL;
}

const struct metric_def *metric_find(const char *file, const char *column)
{
	const struct metric_def *shared = NULL;

	for (size_t i = 0; i < sizeof(defs) / sizeof(defs[0]); i++) {
		if (strcmp(defs[i].column, column))
			continue;
		if (!defs[i].file)
			shared = &defs[i];
		else if (file && !strcmp(defs[i].file, file))
			return &defs[i];
	}
	return shared;
}

const char *metric_group_name(enum metric_group g)
{
	static const char *const names[] = {
		[MG_ID] = "identity",	   [MG_ELF] = "ELF object",   [MG_VERIFIER] = "verifier",
		[MG_IMAGE] = "kernel image", [MG_TIME] = "time per event", [MG_STORM] = "storm",
		[MG_CHECK] = "cross-check",  [MG_STATUS] = "status",
	};
	return (unsigned)g < sizeof(names) / sizeof(names[0]) ? names[g] : "?";
}

int metric_parse(const char *cell, double *v)
{
	char *end;

	if (!cell || !*cell)
		return -1;
	*v = strtod(cell, &end);
	return *end || isnan(*v) ? -1 : 0;
}

void metric_fmt_num(double v, int decimals, char *buf, size_t len)
{
	if (isnan(v)) {
		snprintf(buf, len, "-");
		return;
	}
	snprintf(buf, len, "%.*f", decimals, v);
	/* "-0.0" would show a sign where there is no difference. */
	if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
		memmove(buf, buf + 1, strlen(buf));
}

void metric_fmt(const struct metric_def *m, const char *cell, char *buf, size_t len)
{
	double v;

	if (!cell || !*cell) {
		snprintf(buf, len, "-");
		return;
	}
	if (!m || m->kind != MK_NUM || metric_parse(cell, &v)) {
		snprintf(buf, len, "%s", cell);
		return;
	}
	metric_fmt_num(v, m->decimals, buf, len);
}

void metric_diff_cells(double a, double b, int decimals, char *diff, char *pct, size_t len)
{
	char num[64];
	double p;

	metric_fmt_num(b - a, decimals, num, sizeof(num));
	snprintf(diff, len, "%s%s", num[0] == '-' ? "" : "+", num);
	if (a == 0 && b == 0) {
		snprintf(pct, len, "+0.00%%");
	} else if (a == 0) {
		pct[0] = '\0'; /* no base to relate to */
	} else {
		p = (b - a) * 100.0 / fabs(a);
		snprintf(pct, len, "%+.2f%%", fabs(p) < 0.005 ? 0.0 : p);
	}
}

void metric_fmt_diff(double a, double b, int decimals, char *buf, size_t len)
{
	char diff[64], pct[64];

	metric_diff_cells(a, b, decimals, diff, pct, sizeof(diff));
	snprintf(buf, len, "%s (%s)", diff, pct[0] ? pct : "N/A");
}

void metric_header(const struct metric_def *m, char *buf, size_t len)
{
	/* Counts whose label already says what they count stay bare. */
	static const char *const bare[] = {"", "insns", "states", "funcs", "rounds", "events",
					   "conns", "runs", "errors"};

	for (size_t i = 0; i < sizeof(bare) / sizeof(bare[0]); i++)
		if (!strcmp(m->unit, bare[i]) || !strcmp(m->unit, m->label)) {
			snprintf(buf, len, "%s", m->label);
			return;
		}
	snprintf(buf, len, "%s (%s)", m->label, m->unit);
}

/* Markdown-safe: the docs quote names with backticks but never contain '|'. */
void metrics_print_columns(FILE *f)
{
	static const char *const better[] = {"", "lower", "higher"};

	fprintf(f, "### run.env\n\n`key=value` lines; env.txt repeats them with the kernel "
		   "configuration, sysctls and CPU vulnerabilities.\n\n");
	fprintf(f, "| key | meaning |\n| --- | --- |\n");
	for (size_t i = 0; i < nrun_env_keys; i++)
		fprintf(f, "| `%s` | %s |\n", run_env_keys[i].key, run_env_keys[i].doc);
	for (size_t i = 0; i < nmetric_files; i++) {
		const struct metric_file *mf = &metric_files[i];

		fprintf(f, "\n### %s\n\nWritten by %s%s: %s.\n\n", mf->name, mf->written_by,
			mf->required ? " (always present)" : " (may be absent)", mf->doc);
		fprintf(f, "| column | unit | group | better | meaning and source |\n"
			   "| --- | --- | --- | --- | --- |\n");
		for (int c = 0; c < mf->ncols; c++) {
			const struct metric_def *m = metric_find(mf->name, mf->cols[c]);

			fprintf(f, "| `%s` | %s | %s | %s | %s |\n", mf->cols[c], m ? m->unit : "",
				m ? metric_group_name(m->group) : "", m ? better[m->better] : "",
				m ? m->doc : "");
		}
	}
}
