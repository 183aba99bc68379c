/* The sweep's object catalog; see sweep_objects.h. */
#include "kernel/sweep_objects.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kernel/elf_sizes.h"

#define SUFFIX ".bpf.o"

static int copy_field(char *dst, size_t cap, const char *s, size_t n)
{
	if (!n || n >= cap)
		return -1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

int sweep_object_parse_name(const char *name, struct sweep_object *o)
{
	const char *part[5];
	size_t plen[5];
	int np = 0;
	const char *p = name;
	char *end;

	if (strlen(name) >= sizeof(o->name))
		return -1;
	while (np < 5) {
		const char *dash = strchr(p, '-');

		part[np] = p;
		plen[np] = dash ? (size_t)(dash - p) : strlen(p);
		np++;
		if (!dash)
			break;
		p = dash + 1;
	}
	if (np < 4 || (np == 5 && strchr(part[4], '-')))
		return -1;
	if (copy_field(o->shape, sizeof(o->shape), part[0], plen[0]) ||
	    copy_field(o->variant, sizeof(o->variant), part[1], plen[1]) ||
	    copy_field(o->style, sizeof(o->style), part[2], plen[2]))
		return -1;
	if ((strcmp(o->style, "core") && strcmp(o->style, "btf")) || !strcmp(o->shape, "link"))
		return -1;
	if (part[3][0] != 's' || plen[3] < 2)
		return -1;
	errno = 0;
	unsigned long u = strtoul(part[3] + 1, &end, 10);
	if (errno || end != part[3] + plen[3] || u > 100000)
		return -1;
	o->units = (uint32_t)u;
	o->tag[0] = '\0';
	if (np == 5 && copy_field(o->tag, sizeof(o->tag), part[4], plen[4]))
		return -1;
	snprintf(o->name, sizeof(o->name), "%s", name);
	return 0;
}

static struct sweep_object *grow(struct sweep_catalog *c)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 32;
		struct sweep_object *objs = realloc(c->objs, cap * sizeof(*objs));

		if (!objs)
			return NULL;
		c->objs = objs;
		c->cap = cap;
	}
	memset(&c->objs[c->n], 0, sizeof(c->objs[0]));
	return &c->objs[c->n];
}

int sweep_catalog_add_mem(struct sweep_catalog *c, const char *name, const void *bytes,
			  size_t len)
{
	struct sweep_object *o = grow(c);

	if (!o || sweep_object_parse_name(name, o) || !(o->call = sweep_object_call(bytes, len)))
		return -1;
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->objs[i].name, name))
			return -1; /* one object per name: rows are keyed by what it holds */
	o->bytes = bytes;
	o->len = len;
	c->n++;
	return 0;
}

static void *read_whole(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	void *buf = NULL;

	if (!f)
		return NULL;
	if (!fstat(fileno(f), &st) && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (buf = malloc((size_t)st.st_size)) && fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = buf ? (size_t)st.st_size : 0;
	return buf;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct sweep_object *)a)->name, ((const struct sweep_object *)b)->name);
}

/* DIR/bpf-cpu's first word ("v4"), or "" without the file. */
static void dir_cpu(const char *dir, char *cpu, size_t len)
{
	char path[4096];
	FILE *f;

	cpu[0] = '\0';
	snprintf(path, sizeof(path), "%s/bpf-cpu", dir);
	if (!(f = fopen(path, "r")))
		return;
	if (fgets(cpu, (int)len, f))
		cpu[strcspn(cpu, " \t\r\n")] = '\0';
	fclose(f);
}

int sweep_catalog_add_dir(struct sweep_catalog *c, const char *dir, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t first = c->n;
	char cpu[sizeof(c->objs[0].bpf_cpu)];

	if (!d) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	dir_cpu(dir, cpu, sizeof(cpu));
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name), sl = strlen(SUFFIX);
		char name[SWEEP_OBJ_NAME_LEN], path[4096];
		struct sweep_object probe;

		if (n <= sl || n - sl >= sizeof(name) || strcmp(e->d_name + n - sl, SUFFIX))
			continue;
		memcpy(name, e->d_name, n - sl);
		name[n - sl] = '\0';
		if (sweep_object_parse_name(name, &probe))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		size_t len;
		void *bytes = read_whole(path, &len);
		if (!bytes || sweep_catalog_add_mem(c, name, bytes, len)) {
			snprintf(err, errlen, "%s: %s", path,
				 bytes ? "not an ELF object, or its name is there already (a quick "
					 "object and a full one of the same name?)"
				       : "cannot read");
			free(bytes);
			closedir(d);
			return -1;
		}
		c->objs[c->n - 1].owned = true;
		snprintf(c->objs[c->n - 1].bpf_cpu, sizeof(cpu), "%s", cpu);
	}
	closedir(d);
	/* readdir order is arbitrary: keep runs reproducible. */
	qsort(c->objs + first, c->n - first, sizeof(c->objs[0]), by_name);
	return 0;
}

void sweep_catalog_free(struct sweep_catalog *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->objs[i].owned)
			free((void *)c->objs[i].bytes);
	free(c->objs);
	memset(c, 0, sizeof(*c));
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

int sweep_object_numbered(const struct sweep_object *o, const char *prefix, uint32_t *ns,
			  size_t max)
{
	struct elf_sizes es;
	char msg[256];
	size_t pl = strlen(prefix), k = 0;

	if (elf_sizes_from_mem(o->bytes, o->len, &es, msg, sizeof(msg)))
		return -1;
	for (size_t i = 0; i < es.nfuncs && k < max; i++) {
		const char *name = es.funcs[i].name, *num = name + pl;
		char *end;

		if (strncmp(name, prefix, pl) || !*num || *num < '0' || *num > '9')
			continue;
		unsigned long v = strtoul(num, &end, 10);
		if (!*end && v <= UINT32_MAX)
			ns[k++] = (uint32_t)v;
	}
	elf_sizes_free(&es);
	qsort(ns, k, sizeof(*ns), cmp_u32);
	return (int)k;
}

const char *sweep_object_call(const void *bytes, size_t len)
{
	struct elf_sizes es;
	char msg[256];
	const char *call = SWEEP_CALL_INLINED;

	if (elf_sizes_from_mem(bytes, len, &es, msg, sizeof(msg)))
		return NULL;
	for (size_t i = 0; i < es.nfuncs; i++) {
		const char *name = es.funcs[i].name;
		size_t n = strlen(name), t = strlen(SWEEP_TAIL_TARGET);

		if (n > t && !strcmp(name + n - t, SWEEP_TAIL_TARGET)) {
			call = SWEEP_CALL_TAIL;
			break;
		}
		if (!strcmp(name, SWEEP_HANDLER_FUNC))
			call = es.funcs[i].global ? SWEEP_CALL_GLOBAL : SWEEP_CALL_STATIC;
	}
	elf_sizes_free(&es);
	return call;
}

bool sweep_object_has(const struct sweep_object *o, const char *name)
{
	struct elf_sizes es;
	char msg[256];
	bool has;

	if (elf_sizes_from_mem(o->bytes, o->len, &es, msg, sizeof(msg)))
		return false;
	has = elf_sizes_func(&es, name) > 0;
	elf_sizes_free(&es);
	return has;
}
