/* What a JIT image does that costs time per call: its instructions counted
 * by kind, with every direct call and jump target named (the program's own
 * functions, other BPF programs, kernel symbols). Pure: works on parsed
 * disassembly and a parsed kallsyms. */
#ifndef BPF2BPF_JIT_ATTR_H
#define BPF2BPF_JIT_ATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/jit_disasm.h"
#include "kernel/kallsyms.h"

/* Another BPF program's image, e.g. the tail-call target. */
struct jit_region {
	uint64_t start;
	uint64_t len;
	const char *name;
};

#define JIT_ATTR_MAX_TARGETS 8

struct jit_counts {
	unsigned funcs;		/* the program and its subprograms */
	unsigned insns, bytes;
	unsigned bpf_calls;	/* call to one of the program's own functions (bpf2bpf) */
	unsigned kernel_calls;	/* direct call to a kernel function (helper, kfunc) */
	unsigned tail_jumps;	/* direct jmp into another BPF program (a patched tail call) */
	unsigned ret_plain;	/* ret */
	unsigned ret_thunk;	/* jmp to a return thunk (retbleed, SRSO, ITS, call depth) */
	char ret_thunk_sym[48];	/* the thunk, e.g. srso_alias_return_thunk */
	unsigned call_depth;	/* call-depth accounting (sarq $5, %gs:...: retbleed=stuff) */
	unsigned indirect;	/* call/jmp through a register or memory */
	unsigned retpoline;	/* call/jmp to __x86_indirect_(call_|jump_)thunk_* */
	unsigned endbr;		/* endbr64 (IBT) */
	unsigned int3;
	unsigned push, pop;	/* register saves and restores (prologues, epilogues) */
	unsigned other;		/* direct call/jmp to nothing known */
	size_t ntargets;	/* distinct kernel call targets, by count */
	struct {
		char name[64];
		unsigned count;
	} targets[JIT_ATTR_MAX_TARGETS];
};

bool jit_is_return_thunk(const char *sym);
bool jit_is_indirect_thunk(const char *sym);

/* Count d's instructions. others: images of other BPF programs (may be
 * NULL); k names kernel addresses (may be NULL: they then count as other). */
void jit_attr_count(const struct jit_disasm *d, const struct jit_region *others, size_t nothers,
		    const struct kallsyms *k, struct jit_counts *out);

#endif
