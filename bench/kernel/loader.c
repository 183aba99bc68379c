/* Loading a variant × attach mode with libbpf; see loader.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "kernel/loader.h"
#include "kernel/verifier_log.h"

/* Big enough for a level-1 log of these small programs; a full buffer makes
 * the kernel fail the load with ENOSPC, which we would report. */
#define LOG_BYTES_STATS (64 * 1024)
#define LOG_BYTES_FULL (4 * 1024 * 1024)

static bool verbose;
static char last_warning[LOADER_REASON_LEN];

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[LOADER_REASON_LEN];
	size_t n;

	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == ' '))
		line[--n] = '\0';
	/* Keep the first warning that names a program: libbpf's later lines
	 * ("failed to load object") say less. */
	if (level == LIBBPF_WARN && (!last_warning[0] || !strstr(last_warning, "prog '")))
		snprintf(last_warning, sizeof(last_warning), "%s",
			 strncmp(line, "libbpf: ", 8) ? line : line + 8);
	if (verbose)
		fprintf(stderr, "%s\n", line);
	return 0;
}

void loader_set_verbose(bool v)
{
	verbose = v;
	libbpf_set_print(libbpf_print);
}

const char *loader_privilege_problem(void)
{
	/* CapEff from /proc: libcap would be a dependency for three bits. */
	FILE *f = fopen("/proc/self/status", "r");
	unsigned long long eff = 0;
	char line[256];

	if (!f)
		return geteuid() ? "not root: run as root (needs CAP_BPF and CAP_PERFMON)" : NULL;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	if (eff & (1ULL << 21)) /* CAP_SYS_ADMIN covers everything we do */
		return NULL;
	if (!(eff & (1ULL << 39)))
		return "missing CAP_BPF (run as root)";
	if (!(eff & (1ULL << 38)))
		return "missing CAP_PERFMON (run as root)";
	return NULL;
}

/* Write a u32 global of .rodata by name, found through the object's BTF:
 * generic over variants, which each have their own skeleton type (and over
 * the sweep's generated objects, which have none). */
int set_rodata_u32(struct bpf_object *obj, const char *var, uint32_t val)
{
	struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map;
	const struct btf_type *sec;
	const struct btf_var_secinfo *vsi;
	size_t size;
	char *data = NULL;
	int id;

	bpf_object__for_each_map(map, obj) {
		const char *name = bpf_map__name(map);
		size_t n = strlen(name);

		if (bpf_map__is_internal(map) && n >= 7 && !strcmp(name + n - 7, ".rodata"))
			/* libbpf 1.1 returns it const, yet it is the writable image
			 * skeletons set .rodata through before load. */
			data = (char *)bpf_map__initial_value(map, &size);
	}
	id = btf ? btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC) : -1;
	if (!data || id < 0)
		return -ENOENT;
	sec = btf__type_by_id(btf, id);
	vsi = btf_var_secinfos(sec);
	for (int i = 0; i < btf_vlen(sec); i++, vsi++) {
		const struct btf_type *t = btf__type_by_id(btf, vsi->type);

		if (strcmp(btf__name_by_offset(btf, t->name_off), var))
			continue;
		if (vsi->size != sizeof(val) || vsi->offset + sizeof(val) > size)
			return -EINVAL;
		memcpy(data + vsi->offset, &val, sizeof(val));
		return 0;
	}
	return -ENOENT;
}

static void fail(struct loaded *l, const char *stage, const char *fmt, ...)
{
	va_list ap;

	l->stage = stage;
	va_start(ap, fmt);
	vsnprintf(l->reason, sizeof(l->reason), fmt, ap);
	va_end(ap);
}

/* The programs of obj in the mode, appended to l->progs with a log each. */
static int select_programs(const struct load_opts *o, struct loaded *l, struct bpf_object *obj)
{
	size_t log_bytes = (o->log_level & 3) ? LOG_BYTES_FULL : LOG_BYTES_STATS;
	struct bpf_program *prog;
	int first = l->nprogs;

	bpf_object__for_each_program(prog, obj) {
		const char *name = bpf_program__name(prog);
		struct loaded_prog *p;

		if (!attach_mode_owns(o->mode, name)) {
			bpf_program__set_autoload(prog, false);
			continue;
		}
		if (l->nprogs == LOADER_MAX_PROGS) {
			fail(l, "open", "more than %d programs in mode %s", LOADER_MAX_PROGS,
			     o->mode->name);
			return -1;
		}
		p = &l->progs[l->nprogs++];
		p->prog = prog;
		p->name = name;
		p->fd = -1;
		p->tail_target = strstr(name, "_tc") != NULL;
		p->extension = bpf_program__type(prog) == BPF_PROG_TYPE_EXT;
		p->log = calloc(1, log_bytes);
		if (!p->log) {
			fail(l, "open", "out of memory for verifier logs");
			return -1;
		}
		bpf_program__set_autoload(prog, true);
		bpf_program__set_log_level(prog, o->log_level);
		bpf_program__set_log_buf(prog, p->log, log_bytes);
	}
	if (l->nprogs == first) {
		fail(l, "open", "%s of variant %s has no programs for mode %s",
		     obj == l->obj ? "the object" : "the ext object", o->variant->name, o->mode->name);
		return -1;
	}
	return 0;
}

/* libbpf names programs as "prog 'NAME'": match the whole token, or
 * kp_active would also match a message about kp_active_tc. */
static bool names_prog(const char *msg, const char *name)
{
	char token[128];

	snprintf(token, sizeof(token), "prog '%s'", name);
	return strstr(msg, token) != NULL;
}

/* The load failed: name the program and say why in the verifier's words,
 * or libbpf's when the kernel gave no log (e.g. EPERM before verification). */
static void explain_load_failure(struct loaded *l, int err)
{
	char line[LOADER_REASON_LEN];

	/* No log at all and "not permitted / not supported": the kernel refused
	 * the program before the verifier saw it. */
	for (int i = 0; i < l->nprogs; i++)
		if (names_prog(last_warning, l->progs[i].name) && !l->progs[i].log[0] &&
		    (err == -EPERM || err == -EOPNOTSUPP || err == -524 /* ENOTSUPP */))
			l->refused = true;

	for (int i = 0; i < l->nprogs; i++) {
		struct loaded_prog *p = &l->progs[i];

		if (!names_prog(last_warning, p->name))
			continue;
		if (p->log[0] && verifier_log_reason(p->log, line, sizeof(line))) {
			fail(l, "load", "%s: %s", p->name, line);
			return;
		}
	}
	/* No error line: the verifier accepted the program and the kernel
	 * refused it afterwards (attach target checks, JIT, prog array
	 * compatibility). Say so; the errno is all the kernel gave. */
	for (int i = 0; i < l->nprogs; i++) {
		struct verifier_stats st;

		if (names_prog(last_warning, l->progs[i].name) &&
		    !verifier_log_parse(l->progs[i].log, &st)) {
			fail(l, "load", "%s (after the verifier accepted it: processed %ld insns)",
			     last_warning, st.processed_insns);
			return;
		}
	}
	fail(l, "load", "%s", last_warning[0] ? last_warning : strerror(-err));
}

static int wire_tail_calls(struct loaded *l)
{
	struct bpf_map *map = bpf_object__find_map_by_name(l->obj, "tail_progs");

	if (!map)
		return 0;
	for (int i = 0; i < l->nprogs; i++) {
		struct loaded_prog *p = &l->progs[i];
		uint32_t slot = strstr(p->name, "_active") ? TAIL_ACTIVE : TAIL_PASSIVE;

		if (!p->tail_target)
			continue;
		if (bpf_map__update_elem(map, &slot, sizeof(slot), &p->fd, sizeof(p->fd), 0)) {
			fail(l, "load", "tail_progs[%u] = %s: %s", slot, p->name, strerror(errno));
			return -1;
		}
	}
	return 0;
}

const char *loader_ext_target(const char *section)
{
	static const char pfx[] = "freplace/";

	if (section && *section == '?')
		section++;
	if (!section || strncmp(section, pfx, sizeof(pfx) - 1) || !section[sizeof(pfx) - 1])
		return NULL;
	return section + sizeof(pfx) - 1;
}

/* The first hook: what extension programs are loaded against. */
static const struct loaded_prog *first_hook(const struct loaded *l)
{
	for (int i = 0; i < l->nprogs; i++)
		if (!l->progs[i].tail_target && !l->progs[i].extension)
			return &l->progs[i];
	return NULL;
}

/* The extension's maps are the hooks' (same names): one ring buffer, one perf
 * buffer, one set of counters. Its .rodata stays its own (set by the caller). */
static int share_maps(struct loaded *l)
{
	struct bpf_map *m, *h;
	int err;

	bpf_object__for_each_map(m, l->ext_obj) {
		if (bpf_map__is_internal(m))
			continue;
		if (!(h = bpf_object__find_map_by_name(l->obj, bpf_map__name(m)))) {
			fail(l, "open", "map %s of the ext object is not in the hooks' object",
			     bpf_map__name(m));
			return -1;
		}
		if ((err = bpf_map__reuse_fd(m, bpf_map__fd(h)))) {
			fail(l, "open", "reuse map %s: %s", bpf_map__name(m), strerror(-err));
			return -1;
		}
	}
	return 0;
}

/* The variant's ext object: its programs of the mode, loaded against the
 * first hook's function that each one's section names; the same knobs. */
static int load_extension(const struct load_opts *o, struct loaded *l)
{
	LIBBPF_OPTS(bpf_object_open_opts, open_opts, .object_name = "ext");
	const struct loaded_prog *hook = first_hook(l);
	int first = l->nprogs, err;
	const void *bytes;
	size_t size;

	bytes = o->variant->ext_elf_bytes(&size);
	last_warning[0] = '\0';
	l->ext_obj = bpf_object__open_mem(bytes, size, &open_opts);
	if (!l->ext_obj) {
		fail(l, "open", "ext object: %s", last_warning[0] ? last_warning : strerror(errno));
		return -1;
	}
	if (!hook) {
		fail(l, "open", "the ext object has no hook to extend");
		return -1;
	}
	if (select_programs(o, l, l->ext_obj) || share_maps(l))
		return -1;
	set_rodata_u32(l->ext_obj, "output_mode", o->output); /* absent: not used there */
	set_rodata_u32(l->ext_obj, "target_netns", o->target_netns);
	for (int i = first; i < l->nprogs; i++) {
		struct loaded_prog *p = &l->progs[i];
		const char *target = loader_ext_target(bpf_program__section_name(p->prog));

		if (!p->extension || !target) {
			fail(l, "open", "%s: not an extension (section %s)", p->name,
			     bpf_program__section_name(p->prog));
			return -1;
		}
		if ((err = bpf_program__set_attach_target(p->prog, hook->fd, target))) {
			fail(l, "open", "%s: attach target %s:%s: %s", p->name, hook->name, target,
			     strerror(-err));
			return -1;
		}
	}
	last_warning[0] = '\0';
	if ((err = bpf_object__load(l->ext_obj))) {
		explain_load_failure(l, err);
		return -1;
	}
	for (int i = first; i < l->nprogs; i++)
		l->progs[i].fd = bpf_program__fd(l->progs[i].prog);
	return 0;
}

static int attach_programs(struct loaded *l);

int loader_attach(struct loaded *l, char *reason, size_t len)
{
	int err = attach_programs(l);

	if (err) {
		snprintf(reason, len, "%s", l->reason);
		loader_detach(l);
	}
	return err;
}

void loader_detach(struct loaded *l)
{
	/* Newest first: the hooks leave before their replacements do. */
	for (int i = l->nlinks - 1; i >= 0; i--)
		bpf_link__destroy(l->links[i]);
	l->nlinks = 0;
}

static void ensure_tracefs(void);

/* Each extension over its function in every hook: one loaded extension
 * serves them all (5.11+ attaches it to other targets than its first). */
static int replace_functions(struct loaded *l)
{
	for (int e = 0; e < l->nprogs; e++) {
		const struct loaded_prog *x = &l->progs[e];
		const char *target = loader_ext_target(bpf_program__section_name(x->prog));

		for (int h = 0; x->extension && h < l->nprogs; h++) {
			struct bpf_link *link;

			if (l->progs[h].tail_target || l->progs[h].extension)
				continue;
			if (l->nlinks == LOADER_MAX_PROGS) {
				fail(l, "attach", "more than %d links", LOADER_MAX_PROGS);
				return -1;
			}
			last_warning[0] = '\0';
			link = bpf_program__attach_freplace(x->prog, l->progs[h].fd, target);
			if (!link) {
				int err = errno;

				fail(l, "attach", "%s over %s:%s: %s", x->name, l->progs[h].name, target,
				     last_warning[0] ? last_warning : strerror(err));
				return -1;
			}
			l->links[l->nlinks++] = link;
		}
	}
	return 0;
}

static int attach_programs(struct loaded *l)
{
	for (int i = 0; i < l->nprogs; i++)
		if (bpf_program__type(l->progs[i].prog) == BPF_PROG_TYPE_TRACEPOINT)
			ensure_tracefs();
	/* Replacements first: no event runs a hook with its stub. */
	if (replace_functions(l))
		return -1;
	for (int i = 0; i < l->nprogs; i++) {
		struct loaded_prog *p = &l->progs[i];
		struct bpf_link *link;

		if (p->tail_target || p->extension)
			continue;
		last_warning[0] = '\0';
		link = bpf_program__attach(p->prog);
		if (!link) {
			int err = errno;

			if (last_warning[0])
				fail(l, "attach", "%s", last_warning);
			else
				fail(l, "attach", "%s: %s", p->name, strerror(err));
			return -1;
		}
		l->links[l->nlinks++] = link;
	}
	return 0;
}

/* Classic tracepoints need tracefs for their event ids; like bpftool does
 * for bpffs, mount it when it is missing rather than skip the mode. */
static void ensure_tracefs(void)
{
	static const char dir[] = "/sys/kernel/tracing";
	struct stat st;

	if (!stat("/sys/kernel/tracing/events", &st) || !stat("/sys/kernel/debug/tracing/events", &st))
		return;
	if (mount("tracefs", dir, "tracefs", 0, NULL) == 0)
		fprintf(stderr, "note: mounted tracefs at %s for the tracepoint mode\n", dir);
}

/* A failure without kernel BTF has one likely cause; name it. */
static void note_missing_btf(struct loaded *l)
{
	size_t n = strlen(l->reason);

	if (access("/sys/kernel/btf/vmlinux", R_OK) && n + 80 < sizeof(l->reason))
		snprintf(l->reason + n, sizeof(l->reason) - n, " (no kernel BTF at "
			 "/sys/kernel/btf/vmlinux: CO-RE and the BTF modes need it)");
}

int loader_load(const struct load_opts *o, struct loaded *l)
{
	LIBBPF_OPTS(bpf_object_open_opts, open_opts, .object_name = o->variant->name);
	const void *bytes;
	size_t size;
	int err;

	memset(l, 0, sizeof(*l));
	if (!verbose)
		loader_set_verbose(false);
	bytes = (o->elf_bytes ? o->elf_bytes : o->variant->elf_bytes)(&size);
	l->obj = bpf_object__open_mem(bytes, size, &open_opts);
	if (!l->obj) {
		fail(l, "open", "%s", last_warning[0] ? last_warning : strerror(errno));
		return -1;
	}
	if (select_programs(o, l, l->obj))
		return -1;
	if ((err = set_rodata_u32(l->obj, "output_mode", o->output)) ||
	    (err = set_rodata_u32(l->obj, "target_netns", o->target_netns))) {
		fail(l, "open", "cannot set load-time knobs: %s", strerror(-err));
		return -1;
	}
	last_warning[0] = '\0';
	err = bpf_object__load(l->obj);
	if (err) {
		explain_load_failure(l, err);
		note_missing_btf(l);
		return -1;
	}
	for (int i = 0; i < l->nprogs; i++)
		l->progs[i].fd = bpf_program__fd(l->progs[i].prog);
	if (wire_tail_calls(l))
		return -1;
	if (o->variant->ext_elf_bytes && load_extension(o, l))
		return -1;
	if (o->attach && attach_programs(l))
		return -1;
	return 0;
}

void loader_unload(struct loaded *l)
{
	loader_detach(l);
	bpf_object__close(l->ext_obj);
	bpf_object__close(l->obj);
	for (int i = 0; i < l->nprogs; i++)
		free(l->progs[i].log);
	memset(l, 0, sizeof(*l));
}

static struct bpf_map *counters_map(const struct loaded *l)
{
	return l->obj ? bpf_object__find_map_by_name(l->obj, "counters") : NULL;
}

int loader_read_counter(const struct loaded *l, uint32_t slot, uint64_t *out)
{
	struct bpf_map *map = counters_map(l);
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *vals;
	int err;

	if (!map || ncpu <= 0)
		return -ENOENT;
	vals = calloc((size_t)ncpu, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	err = bpf_map__lookup_elem(map, &slot, sizeof(slot), vals, sizeof(*vals) * ncpu, 0);
	*out = 0;
	for (int i = 0; !err && i < ncpu; i++)
		*out += vals[i];
	free(vals);
	return err ? -errno : 0;
}

int loader_reset_counters(const struct loaded *l)
{
	struct bpf_map *map = counters_map(l);
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *zero;
	int err = 0;

	if (!map || ncpu <= 0)
		return -ENOENT;
	zero = calloc((size_t)ncpu, sizeof(*zero));
	if (!zero)
		return -ENOMEM;
	for (uint32_t slot = 0; slot < CNT__MAX && !err; slot++)
		err = bpf_map__update_elem(map, &slot, sizeof(slot), zero, sizeof(*zero) * ncpu, 0);
	free(zero);
	return err ? -errno : 0;
}

bool loader_mode_works(const struct attach_mode *m, char *reason, size_t len)
{
	struct load_opts o = {
		.variant = variant_of_kind(VK_BASELINE),
		.mode = m,
		.output = OUTPUT_NONE,
		.log_level = 4,
		.attach = true,
	};
	struct loaded l = {0};
	bool ok;

	struct stat st;

	ok = o.variant && loader_load(&o, &l) == 0;
	if (!ok && reason)
		snprintf(reason, len, "%s: %s%s", l.stage ? l.stage : "load", l.reason,
			 /* the usual cause, stated where the kernel only says ENOENT */
			 !strcmp(m->name, "kprobe") && stat("/sys/bus/event_source/devices/kprobe", &st)
				 ? " (no kprobe PMU: CONFIG_KPROBES is off)"
				 : "");
	loader_unload(&l);
	return ok;
}

const struct attach_mode *loader_probe_auto(FILE *why)
{
	char reason[LOADER_REASON_LEN];

	for (size_t i = 0; i < nattach_modes; i++) {
		if (loader_mode_works(&attach_modes[i], reason, sizeof(reason))) {
			if (why)
				fprintf(why, "attach auto: picked %s (loads and attaches here)\n",
					attach_modes[i].name);
			return &attach_modes[i];
		}
		if (why)
			fprintf(why, "attach auto: skipped %s: %s\n", attach_modes[i].name, reason);
	}
	return NULL;
}
