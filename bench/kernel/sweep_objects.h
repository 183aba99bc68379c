/* The generated objects of the scaling sweep, wherever they come from: files
 * in a directory (build/sweep/full) or embedded in the binary (the quick
 * grid's, build/sweep/embed.inc). An object's name says what it holds
 * (scripts/sweep-gen.sh):
 *
 *   SHAPE-VARIANT-STYLE-sUNITS[-TAG]     e.g. calls-noinline-core-s0,
 *                                        calls-inline-core-s0-n4096
 *   SHAPE    calls | loop | bpfloop | progs (not "link": a variant's link
 *            part, link-PART-STYLE-sUNITS, is no object to load)
 *   STYLE    core (BPF_CORE_READ) | btf (direct loads)
 *   UNITS    handler-size units (0: the handler as written)
 *   TAG      free text keeping names apart (which N an object carries) */
#ifndef BPF2BPF_SWEEP_OBJECTS_H
#define BPF2BPF_SWEEP_OBJECTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SWEEP_OBJ_NAME_LEN 96

struct sweep_object {
	char name[SWEEP_OBJ_NAME_LEN];
	char shape[16];
	char variant[16];
	char style[8];
	uint32_t units;
	char tag[24];
	const void *bytes;
	size_t len;
	bool owned; /* bytes were read from a file: freed with the catalog */
	const char *call; /* SWEEP_CALL_*, from the ELF (sweep_object_call) */
	char bpf_cpu[12]; /* the -mcpu it was built with when not the build's: its
			   * directory's bpf-cpu file; "" otherwise */
};

/* How the programs reach the handler, from the object itself (the handler's
 * ELF symbol and the tail-call target), never from the variant's name: the
 * sweep.csv column `call`. */
#define SWEEP_CALL_INLINED "inlined" /* no handler function: copied into each program */
#define SWEEP_CALL_STATIC "static"   /* a static (or hidden) subprogram: verified per call site */
#define SWEEP_CALL_GLOBAL "global"   /* a global function: verified once, on its own */
#define SWEEP_CALL_TAIL "tail"	     /* a tail call into a program holding the handler */

/* The handler's function name (bpf/handler.bpf.h) and the tail-call target
 * program's (bpf/sweep.bpf.h). */
#define SWEEP_HANDLER_FUNC "handle_new_conn"
#define SWEEP_TAIL_TARGET "sweep_tc"

struct sweep_catalog {
	struct sweep_object *objs;
	size_t n, cap;
};

/* Parse an object name (without directory or ".bpf.o") into o's name fields;
 * 0, or -1 when it does not follow the grammar above. */
int sweep_object_parse_name(const char *name, struct sweep_object *o);

/* Add every *.bpf.o of dir whose name parses (others are ignored); 0, or -1
 * with a message when dir cannot be read. A file DIR/bpf-cpu names the -mcpu
 * its objects were built with, when that is not the build's (sweep.mk's
 * SWEEP_LONG_CC objects: v4). */
int sweep_catalog_add_dir(struct sweep_catalog *c, const char *dir, char *err, size_t len);
/* Add an object held in memory (embedded): not copied, not freed. Its name
 * must parse, be new to the catalog, and its bytes be an ELF file; -1
 * otherwise. */
int sweep_catalog_add_mem(struct sweep_catalog *c, const char *name, const void *bytes,
			  size_t len);
void sweep_catalog_free(struct sweep_catalog *c);

/* The numbers N of an object's functions named PREFIX<N> (e.g. "tpb_calls_"),
 * ascending, at most max of them; returns how many, -1 on an ELF error. */
int sweep_object_numbered(const struct sweep_object *o, const char *prefix, uint32_t *ns,
			  size_t max);
/* Whether the object has a function `name`. */
bool sweep_object_has(const struct sweep_object *o, const char *name);
/* How the object's programs reach the handler, read from its ELF: tail with
 * a tail-call target program, inlined without a handler function, global when
 * the handler is a global function of default visibility, else static; NULL
 * when the bytes are no ELF object. */
const char *sweep_object_call(const void *bytes, size_t len);

#endif
