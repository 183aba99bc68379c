/* A loaded program's JIT image as the kernel reports it (bpf_prog_info:
 * jited_prog_insns, jited_ksyms, jited_func_lens), and its disassembly by
 * objdump, one function at a time at its load address (Debian's bpftool has
 * no disassembler; binutils is a run dependency, absent in the VM guests). */
#ifndef BPF2BPF_JIT_IMAGE_H
#define BPF2BPF_JIT_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define JIT_MAX_FUNCS 16

struct jit_image {
	char prog[64];		/* program name */
	uint32_t id;
	uint32_t nfuncs;	/* the program and its subprograms, JIT order */
	uint64_t func_addr[JIT_MAX_FUNCS]; /* load address of each (0: hidden by kptr_restrict) */
	uint32_t func_len[JIT_MAX_FUNCS];
	uint32_t len;		/* all functions, concatenated in image */
	unsigned char *image;
};

/* Returns 0 or -errno (-E2BIG: more than JIT_MAX_FUNCS functions). */
int jit_image_get(int prog_fd, const char *name, struct jit_image *out);
void jit_image_free(struct jit_image *img);

/* Write img as BASE.bin (the bytes) and BASE.funcs (name, id, length and
 * each function's address and length, text, then the caller's `extra`
 * "key value" lines, may be NULL): what attribution needs of a program
 * after it is gone, e.g. on another machine. 0 or -errno. */
int jit_image_save(const struct jit_image *img, const char *base, const char *extra);
/* Read what jit_image_save wrote. 0, or -1 with a message in err. */
int jit_image_load(const char *base, struct jit_image *img, char *err, size_t errlen);

/* Every address a call or jmp rel32 (e8/e9) at any byte of the image would
 * reach: a superset of the image's direct call and jump targets, found
 * without a disassembler (to keep the kallsyms lines attribution will need,
 * on a machine without objdump). Returns how many (at most max). */
size_t jit_image_rel32_targets(const struct jit_image *img, uint64_t *out, size_t max);

/* objdump -D -b binary -m i386:x86-64 --adjust-vma=ADDR of each function;
 * the texts concatenated, each after a line "<jit-func N ADDR LEN>" that
 * jit_disasm_parse() understands. *text is malloc'd. Returns 0, or -1 with a
 * message in err (objdump missing, addresses hidden, ...). */
int jit_image_disasm(const struct jit_image *img, char **text, char *err, size_t errlen);

#endif
