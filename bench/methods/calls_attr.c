/* calls-attribution.csv from the JIT images the calls method kept in
 * DIR/dumps/calls-jit/ (calls.h): each image disassembled by objdump at its
 * load address, its call and jump targets named from the kallsyms excerpt
 * kept beside it, its instructions counted by kind (kernel/jit_attr.h).
 * Works from the files alone, so a VM guest without objdump keeps the
 * images and a host counts them later (`calls --attribute DIR`). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "kernel/jit_attr.h"
#include "kernel/jit_disasm.h"
#include "kernel/jit_image.h"
#include "kernel/kallsyms.h"
#include "kernel/variants.h"
#include "methods/calls.h"

#define JIT_DIR "dumps/calls-jit"
#define MAX_IMAGES 128

struct image {
	char base[4200], name[256]; /* path without .funcs; the file name */
	char variant[64], attach[64], trigger[64];
	struct jit_image img;
	bool loaded;
	char err[256];
	/* the row's text */
	char targets[512], thunk[64], reason[300];
};

/* variant/attach/trigger lines of a .funcs file. */
static void read_labels(struct image *m)
{
	char path[4300], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s.funcs", m->base);
	if (!(f = fopen(path, "r")))
		return;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "variant %63s", m->variant) != 1 &&
		    sscanf(line, "attach %63s", m->attach) != 1)
			sscanf(line, "trigger %63s", m->trigger);
	fclose(f);
}

static int by_order(const void *a, const void *b)
{
	const struct image *x = a, *y = b;
	int c = strcmp(y->trigger, x->trigger); /* synthetic before storm */

	if (c)
		return c;
	if ((c = strcmp(x->attach, y->attach)))
		return c;
	const struct variant *vx = variant_find(x->variant), *vy = variant_find(y->variant);
	long rx = vx ? vx - variants : 999, ry = vy ? vy - variants : 999;
	if (rx != ry)
		return rx < ry ? -1 : 1;
	return strcmp(x->name, y->name);
}

static size_t list_images(const char *dir, struct image *ims, size_t max)
{
	char path[4200];
	struct dirent *e;
	size_t n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", dir, JIT_DIR);
	if (!(d = opendir(path)))
		return 0;
	while ((e = readdir(d)) && n < max) {
		size_t len = strlen(e->d_name);
		struct image *m = &ims[n];

		if (len < 7 || strcmp(e->d_name + len - 6, ".funcs"))
			continue;
		memset(m, 0, sizeof(*m));
		snprintf(m->name, sizeof(m->name), "%.*s", (int)(len - 6), e->d_name);
		snprintf(m->base, sizeof(m->base), "%.3900s/%.250s", path, m->name);
		read_labels(m);
		n++;
	}
	closedir(d);
	qsort(ims, n, sizeof(*ims), by_order);
	return n;
}

static void targets_text(const struct jit_counts *c, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t t = 0; t < c->ntargets && off < len; t++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s x%u", t ? "; " : "",
					c->targets[t].name, c->targets[t].count);
}

/* Count image i; the other images of its variant x attach x trigger (the
 * tail-call hop and its entry) are where a tail jump may land. */
static void attribute(struct image *ims, size_t n, size_t i, const struct kallsyms *k,
		      struct calls_attr_row *w)
{
	struct image *m = &ims[i];
	struct jit_region others[8];
	struct jit_counts c;
	struct jit_disasm d;
	size_t no = 0;
	char *text = NULL, err[256] = "";

	for (size_t j = 0; j < n && no < 8; j++)
		if (j != i && ims[j].loaded && !strcmp(ims[j].variant, m->variant) &&
		    !strcmp(ims[j].attach, m->attach) && !strcmp(ims[j].trigger, m->trigger))
			others[no++] = (struct jit_region){ims[j].img.func_addr[0], ims[j].img.len,
							   ims[j].img.prog};
	if (jit_image_disasm(&m->img, &text, err, sizeof(err))) {
		/* objdump missing: the images stay for a host to count */
		bool absent = strstr(err, strerror(ENOENT)) != NULL;

		w->status = absent ? "images-only" : "failed";
		snprintf(m->reason, sizeof(m->reason), "%s%s", err,
			 absent ? ": the images are in " JIT_DIR "/; `bpf2bpf-bench calls --attribute "
				  "DIR` counts them on a host with binutils"
				: "");
		w->reason = m->reason;
		free(text);
		return;
	}
	if (jit_disasm_parse(text, &d, err, sizeof(err))) {
		free(text);
		w->status = "failed";
		snprintf(m->reason, sizeof(m->reason), "objdump output: %s", err);
		w->reason = m->reason;
		return;
	}
	free(text);
	jit_attr_count(&d, others, no, k, &c);
	jit_disasm_free(&d);
	w->insns = c.insns;
	w->bpf_calls = c.bpf_calls;
	w->kernel_calls = c.kernel_calls;
	w->tail_jumps = c.tail_jumps;
	w->ret_plain = c.ret_plain;
	w->ret_thunk = c.ret_thunk;
	snprintf(m->thunk, sizeof(m->thunk), "%s", c.ret_thunk_sym);
	w->return_thunk = m->thunk;
	w->call_depth = c.call_depth;
	w->indirect = c.indirect;
	w->retpoline = c.retpoline;
	w->endbr = c.endbr;
	w->push = c.push;
	w->pop = c.pop;
	targets_text(&c, m->targets, sizeof(m->targets));
	w->kernel_targets = m->targets;
	if (!k) {
		snprintf(m->reason, sizeof(m->reason), "no kallsyms excerpt: kernel targets unnamed "
			 "(counted as other)");
		w->reason = m->reason;
	}
}

int calls_attribute_dir(const char *dir)
{
	struct image *ims = calloc(MAX_IMAGES, sizeof(*ims));
	struct calls_attr_row *rows = calloc(MAX_IMAGES, sizeof(*rows));
	char path[4200], kernel[128] = "";
	struct kallsyms k;
	bool have_k;
	size_t n;
	int err;

	if (!ims || !rows) {
		free(ims);
		free(rows);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s/kallsyms.txt", dir, JIT_DIR);
	have_k = !kallsyms_read(path, &k);
	n = list_images(dir, ims, MAX_IMAGES);
	for (size_t i = 0; i < n; i++)
		ims[i].loaded = !jit_image_load(ims[i].base, &ims[i].img, ims[i].err,
						sizeof(ims[i].err));
	/* the kernel the images came from: run.env's, else this one */
	snprintf(path, sizeof(path), "%s/run.env", dir);
	FILE *f = fopen(path, "r");
	for (char line[256]; f && fgets(line, sizeof(line), f);)
		if (!strncmp(line, "kernel=", 7))
			snprintf(kernel, sizeof(kernel), "%.*s", (int)strcspn(line + 7, "\n"), line + 7);
	if (f)
		fclose(f);
	for (size_t i = 0; i < n; i++) {
		struct calls_attr_row *w = &rows[i];
		struct image *m = &ims[i];

		rf_row_clear(&calls_attr_csv, w);
		w->kernel = *kernel ? kernel : kernel_release();
		w->variant = m->variant;
		w->attach = m->attach;
		w->trigger = m->trigger;
		w->program = m->img.prog[0] ? m->img.prog : m->name;
		w->image = m->name;
		w->status = "ok";
		if (!m->loaded) {
			w->status = "failed";
			w->reason = m->err;
			continue;
		}
		w->prog_id = m->img.id;
		w->funcs = m->img.nfuncs;
		w->bytes = m->img.len;
		attribute(ims, n, i, have_k ? &k : NULL, w);
	}
	snprintf(path, sizeof(path), "%s/calls-attribution.csv", dir);
	err = rf_write_file(&calls_attr_csv, path, rows, n);
	if (err)
		fprintf(stderr, "calls: writing %s failed: %s\n", path, strerror(-err));
	for (size_t i = 0; i < n; i++)
		jit_image_free(&ims[i].img);
	if (have_k)
		kallsyms_free(&k);
	free(ims);
	free(rows);
	return err ? -1 : 0;
}
