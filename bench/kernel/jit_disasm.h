/* objdump's disassembly of a JIT image (jit_image_disasm's text: a line
 * "<jit-func N ADDR LEN>" before each function's objdump output) parsed into
 * instructions. Pure text parsing. */
#ifndef BPF2BPF_JIT_DISASM_H
#define BPF2BPF_JIT_DISASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/jit_image.h"

struct jit_insn {
	uint64_t addr;
	uint8_t len;	  /* bytes, continuation lines included */
	uint8_t func;	  /* the JIT function it is in */
	char mnem[32];	  /* prefixes (cs, notrack, bnd, ...) dropped */
	char ops[96];
	bool direct;	  /* a branch or call with an absolute target */
	bool indirect;	  /* a branch or call through a register or memory (*...) */
	uint64_t target;  /* when direct */
};

struct jit_disasm {
	size_t nfuncs;
	uint64_t func_addr[JIT_MAX_FUNCS];
	uint32_t func_len[JIT_MAX_FUNCS];
	size_t n;
	struct jit_insn *insns;
};

/* Returns 0, or -1 with a message naming the line in err. */
int jit_disasm_parse(const char *text, struct jit_disasm *out, char *err, size_t errlen);
void jit_disasm_free(struct jit_disasm *d);

#endif
