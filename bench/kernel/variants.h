/* The three axes every measurement iterates over: the variant table
 * (variants/variants.def), the attach modes and the output modes. What a
 * variant is for (the baseline, the reference, a call, a tail call) is a
 * field of its table row, never a name compared in code. */
#ifndef BPF2BPF_VARIANTS_H
#define BPF2BPF_VARIANTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "conn_event.h"

enum variant_kind {
	VK_BASELINE,  /* no handler: what every time is measured against */
	VK_REFERENCE, /* the handler inlined: what sizes and call costs relate to */
	VK_CALL,      /* a real bpf2bpf call into the handler */
	VK_TAILCALL,  /* the handler reached through bpf_tail_call */
};

struct variant {
	const char *name;
	enum variant_kind kind;
	const char *noun; /* "the bpf2bpf call": how a report sentence names it */
	const char *desc;
	/* The embedded object, byte for byte build/<name>.bpf.o. */
	const void *(*elf_bytes)(size_t *sz);
	/* Its ext object (variants.def: ext), loaded beside it: extension
	 * programs that replace a function of its hooks at load time; NULL
	 * when it has none. */
	const void *(*ext_elf_bytes)(size_t *sz);
};

struct attach_mode {
	const char *name;   /* as on the command line and in CSVs */
	const char *prefix; /* program-name prefix in bpf/hooks.bpf.h */
	const char *hooks;  /* what it attaches to, for --help and reports */
};

struct output_def {
	enum output_mode mode;
	const char *name;
	const char *desc;
};

extern const struct variant variants[];
extern const size_t nvariants;
/* Most direct first: the order --attach auto tries them in. */
extern const struct attach_mode attach_modes[];
extern const size_t nattach_modes;
/* Cheapest first: the order overhead measures them in. */
extern const struct output_def outputs[OUTPUT__COUNT];

const struct variant *variant_find(const char *name);
/* The first variant of a kind, NULL when the table has none. */
const struct variant *variant_of_kind(enum variant_kind kind);
const struct attach_mode *attach_mode_find(const char *name);
/* --attach ARG of command `who`: "auto" gives NULL (probe), a mode its entry;
 * anything else -1 after one line naming the valid ones. */
int attach_mode_arg(const char *who, const char *arg, const struct attach_mode **out);
/* The program belongs to mode m (name starts with m->prefix). */
bool attach_mode_owns(const struct attach_mode *m, const char *prog_name);
/* "ringbuf" -> OUTPUT_RINGBUF; -1 when unknown. */
int output_mode_parse(const char *s);
const char *output_mode_name(enum output_mode m);

/* "valid ...: a, b, c" lines for error messages. */
void variants_print_valid(FILE *f);
void attach_modes_print_valid(FILE *f);
void outputs_print_valid(FILE *f);

/* Parse a comma-separated list of names (or "all") into a selection mask
 * over a table; -1 and a message naming the valid ones on an unknown name. */
int variant_select(const char *list, bool *sel /* [nvariants] */);
int output_select(const char *list, bool *sel /* [OUTPUT__COUNT] */);

#endif
