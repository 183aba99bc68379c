/* /proc/kallsyms parsed into an address-sorted table, to name the targets of
 * the calls and jumps in a JIT image. Pure text parsing. */
#ifndef BPF2BPF_KALLSYMS_H
#define BPF2BPF_KALLSYMS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ksym {
	uint64_t addr;
	const char *name;
	const char *module; /* "" for the kernel image; "bpf" for BPF programs */
	char type;
};

struct kallsyms {
	size_t n;
	struct ksym *syms; /* by address; at one address the plainest name first */
	char *buf;	   /* the names point into this copy of the text */
};

/* Returns 0, or -1 (out of memory, or no symbol with a non-zero address:
 * kptr_restrict hides them from non-root). */
int kallsyms_parse(const char *text, struct kallsyms *out);
/* The symbol at or before addr (offset = addr - its address), or NULL below
 * the first one. Without sizes, an address past a symbol's end still maps to
 * it: callers check the offset where that matters. */
const struct ksym *kallsyms_lookup(const struct kallsyms *k, uint64_t addr, uint64_t *offset);
void kallsyms_free(struct kallsyms *k);
/* Read and parse a file (/proc/kallsyms, whose size stat does not tell). */
int kallsyms_read(const char *path, struct kallsyms *out);

/* The lines of the symbols that start exactly at one of addrs[n], in
 * /proc/kallsyms's format, to f: the excerpt attribution needs. Returns how
 * many lines. */
size_t kallsyms_write_excerpt(const struct kallsyms *k, const uint64_t *addrs, size_t n, FILE *f);

#endif
