/* sweep_objects.c: the name grammar, and the generated quick objects as the
 * binary embeds them (build/sweep/embed.inc): what programs they hold, how
 * they call the handler, the ELF invariant sweep_core.c relies on (every
 * program of an object calls all of its .text), and that they were
 * generated from the one handler: at S = 0 with CO-RE reads an object's
 * handler is its variant's, byte for byte. No root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <gelf.h>
#include <libelf.h>

#include "kernel/elf_sizes.h"
#include "kernel/sweep_embedded.h"
#include "kernel/sweep_objects.h"
#include "kernel/variants.h"

static void test_parse_names(void **state)
{
	(void)state;
	struct sweep_object o;

	assert_int_equal(sweep_object_parse_name("calls-noinline-core-s0", &o), 0);
	assert_string_equal(o.shape, "calls");
	assert_string_equal(o.variant, "noinline");
	assert_string_equal(o.style, "core");
	assert_int_equal(o.units, 0);
	assert_string_equal(o.tag, "");
	assert_int_equal(sweep_object_parse_name("calls-inline-btf-s16-n4096", &o), 0);
	assert_int_equal(o.units, 16);
	assert_string_equal(o.tag, "n4096");

	static const char *const bad[] = {
		"calls-inline-core",	       /* no units */
		"calls-inline-core-16",	       /* units without s */
		"calls-inline-core-s",	       /* no number */
		"calls-inline-core-s1x",       /* trailing junk */
		"calls-inline-plain-s0",       /* unknown style */
		"calls--core-s0",	       /* empty variant */
		"calls-inline-core-s0-a-b",    /* more than one tag */
		"link-linked_handler-core-s0", /* a link part, not a hook object */
		"",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(sweep_object_parse_name(bad[i], &o), -1);
}

static struct sweep_catalog catalog;

static int load_quick(void **state)
{
	(void)state;
	return sweep_catalog_add_embedded(&catalog);
}

static int free_quick(void **state)
{
	(void)state;
	sweep_catalog_free(&catalog);
	return 0;
}

static const struct sweep_object *find(const char *name)
{
	for (size_t i = 0; i < catalog.n; i++)
		if (!strcmp(catalog.objs[i].name, name))
			return &catalog.objs[i];
	fail_msg("no object %s embedded", name);
	return NULL;
}

static void test_catalog_complete(void **state)
{
	(void)state;
	assert_true(catalog.n >= 25);
	/* Every object is a whole ELF file, every shape of the grid is there. */
	for (size_t i = 0; i < catalog.n; i++) {
		assert_true(catalog.objs[i].len > 64);
		assert_memory_equal(catalog.objs[i].bytes, "\177ELF", 4);
	}
	static const char *const shapes[] = {"calls", "loop", "bpfloop", "progs"};
	for (size_t s = 0; s < 4; s++) {
		bool seen = false;

		for (size_t i = 0; i < catalog.n && !seen; i++)
			seen = !strcmp(catalog.objs[i].shape, shapes[s]);
		assert_true(seen);
	}
}

static void test_calls_programs(void **state)
{
	(void)state;
	uint32_t ns[32];
	static const uint32_t want[] = {1, 2, 4, 8, 16, 32, 64};
	int k = sweep_object_numbered(find("calls-noinline-core-s0"), "tpb_calls_", ns, 32);

	assert_int_equal(k, 7);
	assert_memory_equal(ns, want, sizeof(want));
	/* CO-RE objects carry the classic-tracepoint twins, BTF-style ones cannot. */
	assert_int_equal(sweep_object_numbered(find("calls-noinline-core-s0"), "tp_calls_", ns, 32), 7);
	assert_int_equal(sweep_object_numbered(find("calls-noinline-btf-s0"), "tp_calls_", ns, 32), 0);
	/* Size objects: two call sites only. */
	k = sweep_object_numbered(find("calls-global-btf-s16"), "tpb_calls_", ns, 32);
	assert_int_equal(k, 1);
	assert_int_equal(ns[0], 2);
	assert_true(sweep_object_has(find("progs-tailcall-core-s0"), "tpb_sweep_tc"));
	assert_false(sweep_object_has(find("progs-noinline-core-s0"), "tpb_sweep_tc"));
	assert_int_equal(sweep_object_numbered(find("progs-inline-core-s0"), "tpb_progs_", ns, 32), 16);
	/* No variant hook program came along (BPF2BPF_NO_HOOKS). */
	assert_false(sweep_object_has(find("calls-noinline-core-s0"), "tpb_active"));
}

/* How the programs reach the handler, read from the ELF alone. */
static void test_call_kinds(void **state)
{
	(void)state;
	assert_string_equal(find("calls-inline-core-s0")->call, SWEEP_CALL_INLINED);
	assert_string_equal(find("calls-noinline-core-s0")->call, SWEEP_CALL_STATIC);
	assert_string_equal(find("calls-global-btf-s16")->call, SWEEP_CALL_GLOBAL);
	/* __hidden: global in the ELF, static to libbpf. */
	assert_string_equal(find("calls-linked-core-s0")->call, SWEEP_CALL_STATIC);
	assert_string_equal(find("progs-tailcall-core-s0")->call, SWEEP_CALL_TAIL);
	assert_null(sweep_object_call("not an ELF object", 17));
}

static void write_obj(const char *dir, const char *file, const struct sweep_object *o)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(o->bytes, 1, o->len, f), o->len);
	fclose(f);
}

/* A directory: only well-named *.bpf.o, sorted by name, bytes intact. */
static void test_catalog_from_dir(void **state)
{
	(void)state;
	char dir[] = "/tmp/sweep-objects-test.XXXXXX", err[256], path[512];
	const struct sweep_object *a = find("progs-inline-core-s0"), *b = find("calls-global-btf-s16");
	struct sweep_catalog c = {0};
	static const char *const files[] = {"progs-inline-core-s0.bpf.o", "calls-global-btf-s16.bpf.o",
					    "link-linked_handler-core-s0.bpf.o",
					    "calls-global-btf-s16.tmp.bpf"};

	assert_non_null(mkdtemp(dir));
	write_obj(dir, files[0], a);
	write_obj(dir, files[1], b);
	write_obj(dir, files[2], a); /* not a hook object */
	write_obj(dir, files[3], b); /* not *.bpf.o */
	assert_int_equal(sweep_catalog_add_dir(&c, dir, err, sizeof(err)), 0);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.objs[0].name, "calls-global-btf-s16");
	assert_string_equal(c.objs[1].name, "progs-inline-core-s0");
	assert_int_equal(c.objs[1].len, a->len);
	assert_memory_equal(c.objs[1].bytes, a->bytes, a->len);
	assert_true(c.objs[0].owned);
	sweep_catalog_free(&c);
	for (size_t i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
	assert_int_equal(sweep_catalog_add_dir(&c, dir, err, sizeof(err)), -1);
	assert_non_null(strstr(err, dir));
	sweep_catalog_free(&c);
}

/* .text of an object: the handler where it is a real function (once, however
 * many programs or call sites), the bpf_loop callback where there is one. */
static void text_funcs(const char *name, const char *const *want, size_t nwant)
{
	const struct sweep_object *o = find(name);
	struct elf_sizes es;
	char err[256];
	size_t in_text = 0;

	assert_int_equal(elf_sizes_from_mem(o->bytes, o->len, &es, err, sizeof(err)), 0);
	for (size_t i = 0; i < es.nfuncs; i++)
		in_text += es.funcs[i].in_text;
	assert_int_equal(in_text, nwant);
	for (size_t i = 0; i < nwant; i++)
		assert_true(elf_sizes_func(&es, want[i]) > 0);
	elf_sizes_free(&es);
}

static void test_text_holds_what_every_program_calls(void **state)
{
	(void)state;
	static const char *const handler[] = {SWEEP_HANDLER_FUNC};
	static const char *const loop_cb[] = {"sweep_loop_cb"};
	static const char *const both[] = {SWEEP_HANDLER_FUNC, "sweep_loop_cb"};

	text_funcs("calls-inline-core-s0", NULL, 0);
	text_funcs("calls-noinline-core-s0", handler, 1);
	text_funcs("calls-global-btf-s16", handler, 1);
	text_funcs("calls-linked-core-s16", handler, 1);
	text_funcs("progs-noinline-core-s0", handler, 1);
	text_funcs("progs-tailcall-core-s0", NULL, 0);
	text_funcs("loop-noinline-core-s0", handler, 1);
	text_funcs("bpfloop-inline-core-s0", loop_cb, 1);
	text_funcs("bpfloop-global-core-s0", both, 2);
}

/* More handler-size units, more code: the axis really scales the body. */
static void test_units_grow_the_handler(void **state)
{
	(void)state;
	const char *names[] = {"calls-noinline-core-s0", "calls-noinline-core-s16"};
	uint64_t size[2];

	for (size_t i = 0; i < 2; i++) {
		const struct sweep_object *o = find(names[i]);
		struct elf_sizes es;
		char err[256];

		assert_int_equal(elf_sizes_from_mem(o->bytes, o->len, &es, err, sizeof(err)), 0);
		size[i] = elf_sizes_func(&es, SWEEP_HANDLER_FUNC);
		elf_sizes_free(&es);
	}
	/* 16 units: a probe read and five ALU instructions each, at least. */
	assert_true(size[1] >= size[0] + 16 * 6 * 8);
}

/* The bytes of section `name` of an ELF image, malloc'd; NULL when absent. */
static void *section_bytes(const void *image, size_t len, const char *name, size_t *out)
{
	char *copy = malloc(len);
	void *bytes = NULL;
	size_t shstrndx;
	Elf *elf;

	assert_non_null(copy);
	memcpy(copy, image, len);
	assert_int_not_equal(elf_version(EV_CURRENT), EV_NONE);
	elf = elf_memory(copy, len);
	assert_non_null(elf);
	assert_int_equal(elf_getshdrstrndx(elf, &shstrndx), 0);
	for (Elf_Scn *scn = NULL; (scn = elf_nextscn(elf, scn));) {
		GElf_Shdr sh;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || strcmp(elf_strptr(elf, shstrndx, sh.sh_name), name))
			continue;
		d = elf_getdata(scn, NULL);
		assert_non_null(d);
		bytes = malloc(d->d_size ? d->d_size : 1);
		assert_non_null(bytes);
		memcpy(bytes, d->d_buf, d->d_size);
		*out = d->d_size;
	}
	elf_end(elf);
	free(copy);
	return bytes;
}

/* Generated, not copied: every variant whose handler is a function of its
 * own (.text) has a calls-VARIANT-core-s0 object whose .text is the
 * variant's object's .text, byte for byte (relocations aside, which are
 * records of their own). Checked for every such variant of the table. */
static void test_handler_is_the_variants(void **state)
{
	(void)state;
	size_t checked = 0;

	for (size_t v = 0; v < nvariants; v++) {
		char name[SWEEP_OBJ_NAME_LEN];
		const struct sweep_object *o = NULL;
		size_t vlen, slen, olen;

		snprintf(name, sizeof(name), "calls-%s-core-s0", variants[v].name);
		for (size_t i = 0; i < catalog.n; i++)
			if (!strcmp(catalog.objs[i].name, name))
				o = &catalog.objs[i];
		if (!o || !strcmp(o->call, SWEEP_CALL_INLINED))
			continue;
		const void *vimg = variants[v].elf_bytes(&vlen);
		void *vt = section_bytes(vimg, vlen, ".text", &slen);
		void *st = section_bytes(o->bytes, o->len, ".text", &olen);

		assert_non_null(vt);
		assert_non_null(st);
		assert_int_equal(slen, olen);
		assert_memory_equal(vt, st, slen);
		free(vt);
		free(st);
		checked++;
	}
	assert_true(checked >= 2);
}

int main(void)
{
	/* One group: tests/run-unit.sh counts one summary per binary. */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_names),
		cmocka_unit_test(test_catalog_complete),
		cmocka_unit_test(test_calls_programs),
		cmocka_unit_test(test_call_kinds),
		cmocka_unit_test(test_catalog_from_dir),
		cmocka_unit_test(test_text_holds_what_every_program_calls),
		cmocka_unit_test(test_units_grow_the_handler),
		cmocka_unit_test(test_handler_is_the_variants),
	};

	return cmocka_run_group_tests(tests, load_quick, free_quick);
}
