/* sizes.csv: its columns, in order (the schema; see base/schema.h). */
#include "methods/sizes.h"

#define SR struct sizes_row
static const struct column cols[] = {
	TEXT(SR, kernel, "`uname -r` of the machine that ran it"),
	KEY_TEXT(SR, variant, "how the handler is written (variants/variants.def order)"),
	KEY_TEXT(SR, attach, "attach mode: kprobe, fentry, tp_btf or tracepoint"),
	KEY_TEXT(SR, program, "BPF program name (e.g. tpb_active), or TOTAL"),
	INT(SR, elf_file_bytes, "ELF file", "bytes", MG_ELF, MB_LOWER, 1,
	    "size of the program's object (build/OBJECT.bpf.o, embedded in the binary); TOTAL: "
	    "of every object of the variant"),
	INT(SR, elf_code_bytes, "ELF code", "bytes", MG_ELF, MB_LOWER, 1,
	    "bytes of the program's own function in the object (libelf, symbol st_size); TOTAL "
	    "adds the .text subprograms once, as the objects hold them"),
	INT(SR, elf_btf_bytes, "BTF", "bytes", MG_ELF, MB_LOWER, 1,
	    ".BTF section of the object (libelf); TOTAL: of every object of the variant"),
	INT(SR, insn_cnt, "loaded insns", "insns", MG_VERIFIER, MB_LOWER, 1,
	    "instructions libbpf passed to BPF_PROG_LOAD after relocation, appended subprogram "
	    "copies included (bpf_program__insn_cnt)"),
	INT(SR, verified_insns, "verified insns", "insns", MG_VERIFIER, MB_LOWER, 1,
	    "instructions the verifier processed (bpf_prog_info.verified_insns, or the log's "
	    "\"processed N insns\")"),
	INT(SR, total_states, "total states", "states", MG_VERIFIER, MB_LOWER, 1,
	    "verifier states created (log: total_states)"),
	INT(SR, peak_states, "peak states", "states", MG_VERIFIER, MB_LOWER, 1,
	    "most verifier states alive at once (log: peak_states)"),
	INT(SR, verify_usec, "verify time", "us", MG_VERIFIER, MB_LOWER, 1,
	    "verification time (log: \"verification time N usec\"); noisy"),
	INT(SR, stack_depth, "stack", "bytes", MG_VERIFIER, MB_LOWER, 1,
	    "stack of all frames (sum of the log's \"stack depth A+B\"); TOTAL: the maximum"),
	INT(SR, xlated_bytes, "xlated", "bytes", MG_IMAGE, MB_LOWER, 1,
	    "verifier-rewritten program (bpf_prog_info.xlated_prog_len)"),
	INT(SR, jited_bytes, "JIT", "bytes", MG_IMAGE, MB_LOWER, 1,
	    "native code (bpf_prog_info.jited_prog_len), all functions of the program"),
	INT(SR, jited_funcs, "JIT funcs", "funcs", MG_IMAGE, MB_LOWER, 1,
	    "functions JITed: the program plus each subprogram copy "
	    "(bpf_prog_info.nr_jited_func_lens)"),
	INT(SR, memlock_bytes, "memlock", "bytes", MG_IMAGE, MB_LOWER, 1,
	    "memory charged to the program (memlock: line of its fd in /proc/self/fdinfo)"),
	TEXT(SR, status, "ok, skipped (the kernel refused the attach mode, or refused a program "
			 "outright before verifying it) or failed (the verifier or loader refused it)"),
	TEXT(SR, reason, "why skipped or failed, in the kernel's or verifier's words (the log's "
			 "last meaningful line); empty when ok"),
	KEY_TEXT(SR, output, "the output branch the verifier kept: ringbuf, ringbuf-nowakeup, "
			     "perfbuf or none"),
	INT(SR, prog_id, "prog id", "", MG_ID, MB_NONE, 0, "kernel program id while it was loaded"),
	TEXT(SR, verified_src, "where the verifier numbers come from: info (bpf_prog_info) or log "
			       "(BPF_LOG_STATS)"),
	TEXT(SR, jited_func_lens, "JIT size of each function of the program, '+'-separated "
				  "(bpf_prog_info.jited_func_lens)"),
	TEXT(SR, object, "the object the program comes from: hooks (build/VARIANT.bpf.o) or ext "
			 "(the variant's extension object, variants.def: ext); TOTAL: hooks, or "
			 "hooks+ext when it sums both"),
};

const struct result_file sizes_csv =
	FILE_DEF("sizes.csv", "bpf2bpf-bench sizes", 0, 1, SR, cols,
		 "one row per loaded program and one `program=TOTAL` row per variant x attach "
		 "mode (sums over its programs, of both objects for a variant with an extension "
		 "object; stack_depth is the maximum)");
