/* The calls method's BPF objects (build/calls/<variant>.bpf.o, embedded):
 * per variant of the variant table, in its order, the bytes of its calls
 * object and of its alternate one; and the synthetic trigger as one more
 * "attach mode" (program prefix sy_). They load through the loader like the
 * variants' own objects (load_opts.elf_bytes), so whatever the loader does
 * for a variant (its tail calls, an ext object loaded beside it) it does for
 * its calls object too. */
#ifndef BPF2BPF_CALLS_OBJECTS_H
#define BPF2BPF_CALLS_OBJECTS_H

#include <stddef.h>

#include "kernel/variants.h"

struct calls_object {
	const void *(*elf_bytes)(size_t *sz);	  /* build/calls/<name>.bpf.o */
	const void *(*alt_elf_bytes)(size_t *sz); /* build/calls/<name>_alt.bpf.o, or NULL:
						   * built with BPF2BPF_CALLS_ALT, tried where
						   * the first is refused */
};

/* calls_objects[i] is variants[i]'s. */
extern const struct calls_object calls_objects[];
extern const size_t ncalls_objects;

/* sy_active (tp_btf/bpf_trigger_tp), sy_active_tc, sy_driver, sy_capture. */
extern const struct attach_mode calls_synthetic_mode;

#endif
