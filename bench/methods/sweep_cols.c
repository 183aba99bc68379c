/* sweep.csv: its columns, in order (the schema; see base/schema.h), and the
 * axes' names. */
#include "methods/sweep.h"

#include <string.h>

#define SW struct sweep_row
static const struct column cols[] = {
	TEXT(SW, kernel, "`uname -r` of the machine that ran it"),
	KEY_TEXT(SW, variant, "how the handler is written (variants/variants.def); the object "
			      "was generated from that variant's file"),
	KEY_TEXT(SW, axis, "calls (call sites in one program), loop (trip count of a bounded "
			   "loop around the call), bpf_loop (bpf_loop iterations), progs (programs "
			   "sharing the handler in one object) or size (handler-size units, 2 call "
			   "sites)"),
	KEY_INT(SW, n, "the axis value: call sites, trip count, programs or handler units"),
	INT(SW, elf_code_bytes, "ELF code", "bytes", MG_ELF, MB_LOWER, 1,
	    "bytes of the measured programs' own functions plus the object's .text (the "
	    "subprograms every program of a sweep object calls), once (libelf); empty where the "
	    "program was built for built_n sites"),
	INT(SW, insn_cnt, "loaded insns", "insns", MG_VERIFIER, MB_LOWER, 1,
	    "instructions libbpf passed to BPF_PROG_LOAD after relocation, summed over the "
	    "programs, appended subprogram copies included (bpf_program__insn_cnt)"),
	INT(SW, verified_insns, "verified insns", "insns", MG_VERIFIER, MB_LOWER, 1,
	    "instructions the verifier processed, summed over the programs "
	    "(bpf_prog_info.verified_insns, or the log's \"processed N insns\"); when refused, "
	    "what it processed before it gave up"),
	INT(SW, total_states, "total states", "states", MG_VERIFIER, MB_LOWER, 1,
	    "verifier states created (log: total_states), summed"),
	INT(SW, peak_states, "peak states", "states", MG_VERIFIER, MB_LOWER, 1,
	    "most verifier states alive at once (log: peak_states), summed over the programs"),
	INT(SW, verify_usec, "verify time", "us", MG_VERIFIER, MB_LOWER, 0,
	    "verification time (log: \"verification time N usec\"), summed; one load, noisy: "
	    "indicative only"),
	INT(SW, stack_depth, "stack", "bytes", MG_VERIFIER, MB_LOWER, 1,
	    "stack of all frames of the deepest program (sum of the log's \"stack depth A+B\")"),
	INT(SW, xlated_bytes, "xlated", "bytes", MG_IMAGE, MB_LOWER, 1,
	    "verifier-rewritten programs (bpf_prog_info.xlated_prog_len), summed"),
	INT(SW, jited_bytes, "JIT", "bytes", MG_IMAGE, MB_LOWER, 1,
	    "native code (bpf_prog_info.jited_prog_len), all functions, summed"),
	INT(SW, jited_funcs, "JIT funcs", "funcs", MG_IMAGE, MB_LOWER, 1,
	    "functions JITed: each program plus each subprogram copy "
	    "(bpf_prog_info.nr_jited_func_lens), summed"),
	INT(SW, memlock_bytes, "memlock", "bytes", MG_IMAGE, MB_LOWER, 0,
	    "memory charged to the programs (memlock: of their fds in /proc/self/fdinfo), "
	    "summed"),
	TEXT(SW, status, "ok; refused (the kernel said no: reason has its words); branch-range "
			 "(the program's own function exceeds 32767 insns with BPF CPU < v4: its "
			 "branches may be wrapped, so what the kernel said is about a broken "
			 "build, not a verifier limit); failed; timeout (stopped after the "
			 "per-load limit); skipped (the grid's time budget)"),
	TEXT(SW, reason, "why not ok, in the verifier's or kernel's words (the log's last "
			 "meaningful line); empty when ok"),
	KEY_TEXT(SW, style, "core (one BPF_CORE_READ, a probe-read helper call, per field) or "
			    "btf (direct loads through the BTF pointer tp_btf hands over)"),
	KEY_TEXT(SW, attach, "the programs' hook: tp_btf or tracepoint (loaded, never attached)"),
	TEXT(SW, call, "how the programs reach the handler, read from the object: inlined, "
		       "static (a subprogram verified at every call site), global (verified once) "
		       "or tail (a tail call)"),
	INT(SW, built_n, "built n", "", MG_ID, MB_NONE, 0,
	    "the call sites compiled into the program; above n, sites n and up were switched off "
	    "at load time (.rodata sweep_sites) and the verifier pruned them"),
	INT(SW, prog_insns, "largest function", "insns", MG_ELF, MB_LOWER, 0,
	    "instructions of the largest function among the programs and .text (ELF size / 8): "
	    "past 32767 with BPF CPU < v4 the row is branch-range"),
	TEXT(SW, refusal, "the refusal's class: instruction limit, too complex, stack, program "
			  "size, jump range, unsupported, arguments or other"),
	TEXT(SW, bpf_cpu, "the -mcpu the objects were built with (the build's BPF_CPU)"),
	TEXT(SW, grid, "quick (make bench, VM kernels) or full (make sweep)"),
	TEXT(SW, object, "the generated object: SHAPE-VARIANT-STYLE-sUNITS[-TAG] "
			 "(scripts/sweep-gen.sh)"),
	TEXT(SW, failed_prog, "the program the kernel refused"),
	TEXT(SW, log, "the refused program's verifier log (level 4: stats and the error), "
		      "relative to the run directory"),
	TEXT(SW, prog_ids, "kernel ids of the programs while loaded, '+'-separated"),
	NUM(SW, load_ms, "load", "ms", MG_VERIFIER, MB_NONE, 1, 0,
	    "wall time of the load (bpf_object__load), all programs; indicative only"),
};

const struct result_file sweep_csv =
	FILE_DEF("sweep.csv", "bpf2bpf-bench sweep", 0, 1, SW, cols,
		 "one row per point of the scaling sweep: a variant's generated object on one axis "
		 "at one value, its programs loaded (never attached) and measured");

static const char *const axis_names[SWEEP_AXIS__N] = {
	[SWEEP_AXIS_CALLS] = "calls",	    [SWEEP_AXIS_LOOP] = "loop",
	[SWEEP_AXIS_BPF_LOOP] = "bpf_loop", [SWEEP_AXIS_PROGS] = "progs",
	[SWEEP_AXIS_SIZE] = "size",
};

static const char *const axis_units[SWEEP_AXIS__N] = {
	[SWEEP_AXIS_CALLS] = "call sites per program",
	[SWEEP_AXIS_LOOP] = "loop trip count",
	[SWEEP_AXIS_BPF_LOOP] = "bpf_loop iterations",
	[SWEEP_AXIS_PROGS] = "programs sharing the handler",
	[SWEEP_AXIS_SIZE] = "handler-size units",
};

const char *sweep_axis_name(enum sweep_axis a)
{
	return (unsigned)a < SWEEP_AXIS__N ? axis_names[a] : "?";
}

const char *sweep_axis_unit(enum sweep_axis a)
{
	return (unsigned)a < SWEEP_AXIS__N ? axis_units[a] : "?";
}

int sweep_axis_parse(const char *s)
{
	for (int i = 0; s && i < SWEEP_AXIS__N; i++)
		if (!strcmp(s, axis_names[i]))
			return i;
	return -1;
}
