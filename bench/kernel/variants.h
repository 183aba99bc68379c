/* The variant table (variants/variants.def) and the attach-mode table: the
 * two axes every command iterates over. */
#ifndef BPF2BPF_VARIANTS_H
#define BPF2BPF_VARIANTS_H

#include <stddef.h>
#include <stdio.h>

struct variant {
	const char *name;
	const char *desc;
	/* The embedded object, byte for byte build/<name>.bpf.o. */
	const void *(*elf_bytes)(size_t *sz);
};

struct attach_mode {
	const char *name;	/* as on the command line and in CSVs */
	const char *prefix;	/* program-name prefix in bpf/hooks.bpf.h */
	const char *hooks;	/* what it attaches to, for --help and reports */
};

extern const struct variant variants[];
extern const size_t nvariants;
/* Most direct first: the order --attach auto tries them in. */
extern const struct attach_mode attach_modes[];
extern const size_t nattach_modes;

const struct variant *variant_find(const char *name);
const struct attach_mode *attach_mode_find(const char *name);
/* The program belongs to mode m (name starts with m->prefix). */
int attach_mode_owns(const struct attach_mode *m, const char *prog_name);
/* Print "valid: a, b, c" for an error message. */
void variants_print_valid(FILE *f);
void attach_modes_print_valid(FILE *f);

/* Parse a comma-separated list of names (or "all") into a selection mask
 * over the table; -1 and a message naming the valid ones on an unknown name. */
int variant_select(const char *list, unsigned char *sel /* [nvariants] */);

#endif
