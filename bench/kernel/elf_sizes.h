/* Size accounting of a BPF ELF object with libelf: per section and per
 * function symbol, so program code and shared subprogram code can be told
 * apart. */
#ifndef BPF2BPF_ELF_SIZES_H
#define BPF2BPF_ELF_SIZES_H

#include <stddef.h>
#include <stdint.h>

struct elf_section_size {
	char name[128];
	uint64_t size;
	int exec; /* SHF_EXECINSTR */
};

struct elf_func_size {
	char name[128];
	char section[128];
	uint64_t size; /* st_size: bytes of this function's code */
	int in_text;   /* in .text: a subprogram, not a program entry */
	int global;    /* STB_GLOBAL, default visibility: libbpf loads it as a global
			* function (a hidden one is static to it) */
};

struct elf_sizes {
	uint64_t file_bytes; /* the whole object */
	uint64_t code_bytes; /* every SHF_EXECINSTR section */
	uint64_t text_bytes; /* .text: subprograms shared by programs */
	uint64_t btf_bytes;  /* .BTF */
	uint64_t btf_ext_bytes; /* .BTF.ext */
	size_t nsections;
	struct elf_section_size *sections;
	size_t nfuncs;
	struct elf_func_size *funcs; /* STT_FUNC symbols with a size */
};

/* Returns 0, or -1 with a one-line message in err. */
int elf_sizes_from_mem(const void *buf, size_t len, struct elf_sizes *out, char *err, size_t errlen);
int elf_sizes_from_file(const char *path, struct elf_sizes *out, char *err, size_t errlen);
/* Size of function `name`, 0 when absent. */
uint64_t elf_sizes_func(const struct elf_sizes *s, const char *name);
void elf_sizes_free(struct elf_sizes *s);

#endif
