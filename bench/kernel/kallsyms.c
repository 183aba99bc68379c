/* /proc/kallsyms lines: "ffffffff8150c300 T bpf_ktime_get_ns" or, in a
 * module, "ffffffffc0025c24 t bpf_prog_6deef7357e7b4530_sy_active\t[bpf]". */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kallsyms.h"

/* At one address several names may stand (aliases such as
 * __pi___x86_indirect_thunk_rax): the plainest wins. */
static int name_rank(const char *n)
{
	if (!strncmp(n, "__pfx_", 6) || !strncmp(n, "__cfi_", 6))
		return 2;
	if (!strncmp(n, "__pi_", 5))
		return 1;
	return 0;
}

static int by_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return name_rank(x->name) - name_rank(y->name);
}

int kallsyms_parse(const char *text, struct kallsyms *out)
{
	size_t cap = 0, len = strlen(text);
	char *p, *save = NULL;

	memset(out, 0, sizeof(*out));
	out->buf = malloc(len + 1);
	if (!out->buf)
		return -1;
	memcpy(out->buf, text, len + 1);
	for (p = strtok_r(out->buf, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
		char *end, *type, *name, *mod;
		uint64_t addr = strtoull(p, &end, 16);

		if (end == p || !addr || *end != ' ')
			continue;
		type = end + 1;
		if (!type[0] || type[1] != ' ')
			continue;
		name = type + 2;
		mod = strchr(name, '\t');
		if (mod) {
			*mod++ = '\0';
			if (*mod == '[')
				mod++;
			mod[strcspn(mod, "]")] = '\0';
		}
		if (out->n == cap) {
			size_t nc = cap ? 2 * cap : 4096;
			struct ksym *ns = realloc(out->syms, nc * sizeof(*ns));

			if (!ns) {
				kallsyms_free(out);
				return -1;
			}
			out->syms = ns;
			cap = nc;
		}
		out->syms[out->n++] = (struct ksym){addr, name, mod ? mod : "", type[0]};
	}
	if (!out->n) {
		kallsyms_free(out);
		return -1;
	}
	qsort(out->syms, out->n, sizeof(*out->syms), by_addr);
	return 0;
}

const struct ksym *kallsyms_lookup(const struct kallsyms *k, uint64_t addr, uint64_t *offset)
{
	size_t lo = 0, hi = k->n;

	if (!k->n || addr < k->syms[0].addr)
		return NULL;
	while (hi - lo > 1) { /* invariant: syms[lo].addr <= addr < syms[hi].addr */
		size_t mid = lo + (hi - lo) / 2;

		if (k->syms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	while (lo && k->syms[lo - 1].addr == k->syms[lo].addr) /* the plainest alias */
		lo--;
	if (offset)
		*offset = addr - k->syms[lo].addr;
	return &k->syms[lo];
}

int kallsyms_read(const char *path, struct kallsyms *out)
{
	FILE *f = fopen(path, "r");
	size_t n = 0, cap = 0;
	char *text = NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (!f)
		return -1;
	for (;;) {
		size_t got;

		if (cap - n < 65536) {
			char *nt = realloc(text, cap = cap ? 2 * cap : 1 << 20);

			if (!nt)
				goto out;
			text = nt;
		}
		got = fread(text + n, 1, cap - n - 1, f);
		n += got;
		if (!got)
			break;
	}
	text[n] = '\0';
	rc = kallsyms_parse(text, out);
out:
	free(text);
	fclose(f);
	return rc;
}

void kallsyms_free(struct kallsyms *k)
{
	free(k->syms);
	free(k->buf);
	memset(k, 0, sizeof(*k));
}

static int by_index(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

size_t kallsyms_write_excerpt(const struct kallsyms *k, const uint64_t *addrs, size_t n, FILE *f)
{
	size_t *hit = malloc((n ? n : 1) * sizeof(*hit)), nh = 0, lines = 0;

	if (!hit)
		return 0;
	for (size_t j = 0; j < n; j++) {
		uint64_t off;
		const struct ksym *s = kallsyms_lookup(k, addrs[j], &off);

		if (s && !off)
			hit[nh++] = (size_t)(s - k->syms);
	}
	qsort(hit, nh, sizeof(*hit), by_index);
	/* every symbol once, in address order, whichever addresses hit it */
	for (size_t i = 0; i < nh; i++) {
		const struct ksym *s = &k->syms[hit[i]];

		if (i && hit[i] == hit[i - 1])
			continue;
		fprintf(f, "%016llx %c %s%s%s%s\n", (unsigned long long)s->addr, s->type, s->name,
			s->module[0] ? "\t[" : "", s->module, s->module[0] ? "]" : "");
		lines++;
	}
	free(hit);
	return lines;
}
