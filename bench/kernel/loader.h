/* Load one variant in one attach mode with libbpf: select the mode's programs,
 * set the knobs, capture each program's verifier log, wire tail calls, load
 * the variant's extension object (variants.def: ext) against its hooks,
 * optionally attach. Everything is released by loader_unload(), also on the
 * error paths, so nothing stays in the kernel. */
#ifndef BPF2BPF_LOADER_H
#define BPF2BPF_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "conn_event.h"
#include "kernel/variants.h"

#define LOADER_MAX_PROGS 8
#define LOADER_REASON_LEN 512

struct load_opts {
	const struct variant *variant;
	const struct attach_mode *mode;
	enum output_mode output;
	uint32_t target_netns; /* 0: every namespace */
	unsigned log_level;    /* verifier log level: 4 = BPF_LOG_STATS (default 4) */
	/* Another build of the variant's object to load instead of its own
	 * (the calls method's, bench/kernel/calls_objects.h); NULL: its own. */
	const void *(*elf_bytes)(size_t *sz);
	bool attach;
};

struct loaded_prog {
	struct bpf_program *prog;
	const char *name;
	int fd;
	bool tail_target; /* *_tc: jumped to, never attached */
	/* From the ext object (BPF_PROG_TYPE_EXT): attached over the function
	 * its section names (freplace/<function>) in every hook. */
	bool extension;
	char *log; /* verifier log (NUL-terminated, may be empty) */
};

struct loaded {
	struct bpf_object *obj;
	struct bpf_object *ext_obj; /* the variant's ext object, or NULL */
	int nprogs;
	struct loaded_prog progs[LOADER_MAX_PROGS];
	int nlinks;
	struct bpf_link *links[LOADER_MAX_PROGS];
	/* On failure: what went wrong, in the kernel's/verifier's/libbpf's own
	 * words, and which stage ("open", "load", "attach"). */
	const char *stage;
	char reason[LOADER_REASON_LEN];
	/* The kernel refused a program outright, before verifying it (no
	 * verifier log; EPERM or not supported): it will not take this program
	 * type or attachment here, whatever the variant's code. */
	bool refused;
};

/* Returns 0 on success; -1 with l->stage and l->reason set. Either way call
 * loader_unload(l) when done (logs stay readable until then). */
int loader_load(const struct load_opts *o, struct loaded *l);
void loader_unload(struct loaded *l);
/* Attach a loaded object's entry programs (tail targets stay unattached);
 * -1 with the reason on failure, nothing left attached. */
int loader_attach(struct loaded *l, char *reason, size_t len);
/* Destroy the links; the object stays loaded. */
void loader_detach(struct loaded *l);

/* The function an extension program replaces, from its section name
 * ("?freplace/handle_new_conn_kp" -> "handle_new_conn_kp"); NULL when the
 * section is not freplace/<function>. */
const char *loader_ext_target(const char *section);

/* Set a u32 `const volatile` global of an opened (not yet loaded) object's
 * .rodata by name: 0, or -ENOENT / -EINVAL. */
int set_rodata_u32(struct bpf_object *obj, const char *var, uint32_t val);

/* Sum a per-CPU counter slot (enum counter_slot) of a loaded object. */
int loader_read_counter(const struct loaded *l, uint32_t slot, uint64_t *out);
/* Zero all counter slots (between rounds). */
int loader_reset_counters(const struct loaded *l);

/* --attach auto: the first mode (most direct first) in which the `empty`
 * baseline loads and attaches here. Writes one line per mode tried to
 * `why` (may be NULL) and returns the chosen mode, or NULL when none works. */
const struct attach_mode *loader_probe_auto(FILE *why);
/* Whether mode m loads and attaches here; reason filled when not. */
bool loader_mode_works(const struct attach_mode *m, char *reason, size_t len);

/* libbpf messages go to stderr only with verbose; the loader keeps the
 * warning that names a program as a failure reason. */
void loader_set_verbose(bool verbose);

/* One line naming what is missing when we can't do BPF (not root, no
 * CAP_BPF/CAP_PERFMON); NULL when fine. */
const char *loader_privilege_problem(void);

#endif
