/* elf_sizes.c on a BPF object compiled here from
 * tests/fixtures/elf/two_progs.bpf.c, cross-checked against readelf (an
 * independent reader) and against what the source says. Skipped when clang
 * or readelf is missing. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "kernel/elf_sizes.h"
#include "unit_helpers.h"

#define MAXROWS 128

struct re_section {
	char name[128];
	uint64_t size;
	int exec;
};

struct re_func {
	char name[128];
	uint64_t size;
	int shndx;
};

struct fx {
	char *dir;
	char obj[512];
	const char *skip; /* why the tests cannot run, or NULL */
	char err[512];
	struct elf_sizes s;
	/* What readelf says; re_sec[i] is section i + 1 (0 is the null one). */
	struct re_section re_sec[MAXROWS];
	int re_nsec;
	struct re_func re_fn[MAXROWS];
	int re_nfn;
};

static int have_tool(const char *tool)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "command -v '%s' >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

static int compile_fixture(struct fx *fx)
{
	const char *clang = getenv("CLANG") ? getenv("CLANG") : "clang";
	char src[1024], cmd[2048];

	if (!have_tool(clang))
		return fx->skip = "clang not found (set CLANG)", 0;
	if (!have_tool("readelf"))
		return fx->skip = "readelf not found", 0;
	fixture_path(src, sizeof(src), "elf/two_progs.bpf.c");
	snprintf(fx->obj, sizeof(fx->obj), "%s/two_progs.bpf.o", fx->dir);
	snprintf(cmd, sizeof(cmd), "'%s' -g -O2 -target bpf -mcpu=v3 -c '%s' -o '%s'", clang, src,
		 fx->obj);
	return system(cmd) == 0 ? 0 : -1;
}

/* "  [ 3] socket  PROGBITS  addr off size es [flags] lk inf al": the flags
 * column may be empty, so it is told apart by the token count. */
static int parse_section_line(const char *line, struct re_section *s)
{
	char tok[10][128];
	const char *p = strchr(line, ']');
	int n = 0, len, idx;

	if (!p || sscanf(line, " [%d]", &idx) != 1)
		return 0; /* not a section row, e.g. the "[Nr] Name" header */
	for (p++; n < 10 && sscanf(p, "%127s%n", tok[n], &len) == 1; p += len)
		n++;
	if (n != 9 && n != 10)
		return 0; /* the null section (no name) or a header line */
	snprintf(s->name, sizeof(s->name), "%s", tok[0]);
	s->size = strtoull(tok[4], NULL, 16);
	s->exec = n == 10 && strchr(tok[6], 'X');
	return 1;
}

/* "    14: 0000000000000000    32 FUNC    GLOBAL DEFAULT    3 prog_a" */
static int parse_symbol_line(const char *line, struct re_func *f)
{
	char type[32], ndx[32], name[128];
	unsigned long long size;

	if (sscanf(line, " %*u: %*x %llu %31s %*s %*s %31s %127s", &size, type, ndx, name) != 4)
		return 0;
	if (strcmp(type, "FUNC") || !size || !strcmp(ndx, "UND") || !strcmp(ndx, "ABS"))
		return 0;
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->size = size;
	f->shndx = atoi(ndx);
	return 1;
}

static int run_readelf(struct fx *fx)
{
	char cmd[1024], line[1024];

	snprintf(cmd, sizeof(cmd), "readelf -S -W '%s'", fx->obj);
	FILE *p = popen(cmd, "r");
	while (p && fgets(line, sizeof(line), p) && fx->re_nsec < MAXROWS)
		fx->re_nsec += parse_section_line(line, &fx->re_sec[fx->re_nsec]);
	if (!p || pclose(p) != 0)
		return -1;
	snprintf(cmd, sizeof(cmd), "readelf -s -W '%s'", fx->obj);
	p = popen(cmd, "r");
	while (p && fgets(line, sizeof(line), p) && fx->re_nfn < MAXROWS)
		fx->re_nfn += parse_symbol_line(line, &fx->re_fn[fx->re_nfn]);
	if (!p || pclose(p) != 0)
		return -1;
	return fx->re_nsec > 0 && fx->re_nfn > 0 ? 0 : -1;
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx || !(fx->dir = make_scratch_dir()))
		return -1;
	*state = fx;
	if (compile_fixture(fx) < 0 || (!fx->skip && run_readelf(fx) < 0))
		return -1;
	if (!fx->skip && elf_sizes_from_file(fx->obj, &fx->s, fx->err, sizeof(fx->err)) < 0) {
		fprintf(stderr, "elf_sizes_from_file: %s\n", fx->err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	elf_sizes_free(&fx->s);
	rm_scratch_dir(fx->dir);
	free(fx);
	return 0;
}

static struct fx *fixture(void **state)
{
	struct fx *fx = *state;

	if (fx->skip) {
		print_message("skipped: %s\n", fx->skip);
		skip();
	}
	return fx;
}

static const struct elf_func_size *func(const struct elf_sizes *s, const char *name)
{
	for (size_t i = 0; i < s->nfuncs; i++)
		if (!strcmp(s->funcs[i].name, name))
			return &s->funcs[i];
	fail_msg("function %s not found", name);
	return NULL;
}

static const struct re_section *re_section(const struct fx *fx, const char *name)
{
	for (int i = 0; i < fx->re_nsec; i++)
		if (!strcmp(fx->re_sec[i].name, name))
			return &fx->re_sec[i];
	fail_msg("readelf shows no section %s", name);
	return NULL;
}

static void test_sections_match_readelf(void **state)
{
	struct fx *fx = fixture(state);

	assert_int_equal(fx->s.nsections, fx->re_nsec);
	for (int i = 0; i < fx->re_nsec; i++) {
		assert_string_equal(fx->s.sections[i].name, fx->re_sec[i].name);
		assert_int_equal(fx->s.sections[i].size, fx->re_sec[i].size);
		assert_int_equal(fx->s.sections[i].exec, fx->re_sec[i].exec);
	}
}

static void test_totals_match_readelf_and_stat(void **state)
{
	struct fx *fx = fixture(state);
	uint64_t code = 0;
	struct stat st;

	for (int i = 0; i < fx->re_nsec; i++)
		code += fx->re_sec[i].exec ? fx->re_sec[i].size : 0;
	assert_int_equal(fx->s.code_bytes, code);
	assert_int_equal(fx->s.text_bytes, re_section(fx, ".text")->size);
	assert_int_equal(fx->s.btf_bytes, re_section(fx, ".BTF")->size);
	assert_int_equal(fx->s.btf_ext_bytes, re_section(fx, ".BTF.ext")->size);
	assert_int_equal(stat(fx->obj, &st), 0);
	assert_int_equal(fx->s.file_bytes, (uint64_t)st.st_size);
	/* Code is exactly the subprogram section plus the programs' one. */
	assert_int_equal(code, fx->s.text_bytes + re_section(fx, "socket")->size);
}

static void test_funcs_match_readelf(void **state)
{
	struct fx *fx = fixture(state);

	assert_int_equal(fx->s.nfuncs, fx->re_nfn);
	for (int i = 0; i < fx->re_nfn; i++) {
		const struct re_func *want = &fx->re_fn[i];
		const struct elf_func_size *got = func(&fx->s, want->name);

		assert_true(want->shndx >= 1 && want->shndx <= fx->re_nsec);
		const char *sec = fx->re_sec[want->shndx - 1].name;
		assert_int_equal(got->size, want->size);
		assert_string_equal(got->section, sec);
		assert_int_equal(got->in_text, !strcmp(sec, ".text"));
	}
}

/* What two_progs.bpf.c says: two entries in "socket", one subprogram in .text. */
static void test_funcs_match_source(void **state)
{
	struct fx *fx = fixture(state);
	const struct elf_func_size *a = func(&fx->s, "prog_a"), *b = func(&fx->s, "prog_b");
	const struct elf_func_size *sub = func(&fx->s, "shared_sub");

	assert_int_equal(fx->s.nfuncs, 3);
	assert_string_equal(a->section, "socket");
	assert_string_equal(b->section, "socket");
	assert_false(a->in_text || b->in_text);
	assert_string_equal(sub->section, ".text");
	assert_true(sub->in_text);
	assert_int_equal(fx->s.text_bytes, sub->size);
	assert_int_equal(re_section(fx, "socket")->size, a->size + b->size);
	assert_int_equal(elf_sizes_func(&fx->s, "prog_b"), b->size);
	assert_true(b->size > a->size); /* prog_b calls twice */
	assert_int_equal(elf_sizes_func(&fx->s, "no_such_func"), 0);
}

static void test_from_mem_equals_from_file(void **state)
{
	struct fx *fx = fixture(state);
	struct elf_sizes m;
	struct stat st;

	assert_int_equal(stat(fx->obj, &st), 0);
	char *buf = malloc(st.st_size);
	FILE *f = fopen(fx->obj, "rb");
	assert_non_null(f);
	assert_int_equal(fread(buf, 1, st.st_size, f), (size_t)st.st_size);
	fclose(f);
	assert_int_equal(elf_sizes_from_mem(buf, st.st_size, &m, fx->err, sizeof(fx->err)), 0);
	free(buf);
	assert_int_equal(m.file_bytes, fx->s.file_bytes);
	assert_int_equal(m.code_bytes, fx->s.code_bytes);
	assert_int_equal(m.nsections, fx->s.nsections);
	assert_int_equal(m.nfuncs, fx->s.nfuncs);
	assert_memory_equal(m.sections, fx->s.sections, m.nsections * sizeof(*m.sections));
	assert_memory_equal(m.funcs, fx->s.funcs, m.nfuncs * sizeof(*m.funcs));
	elf_sizes_free(&m);
}

static void test_errors(void **state)
{
	struct fx *fx = *state; /* needs no compiler */
	static const char junk[] = "definitely not an ELF object";
	struct elf_sizes s;
	char path[700], want[800];

	assert_int_equal(elf_sizes_from_mem(junk, sizeof(junk), &s, fx->err, sizeof(fx->err)), -1);
	assert_string_equal(fx->err, "not an ELF object");
	assert_null(s.sections);
	snprintf(path, sizeof(path), "%s/missing.o", fx->dir);
	assert_int_equal(elf_sizes_from_file(path, &s, fx->err, sizeof(fx->err)), -1);
	snprintf(want, sizeof(want), "%s: %s", path, strerror(ENOENT));
	assert_string_equal(fx->err, want);
	assert_int_equal(elf_sizes_from_file(fx->dir, &s, fx->err, sizeof(fx->err)), -1);
	snprintf(want, sizeof(want), "%s: %s", fx->dir, strerror(EINVAL));
	assert_string_equal(fx->err, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sections_match_readelf),
		cmocka_unit_test(test_totals_match_readelf_and_stat),
		cmocka_unit_test(test_funcs_match_readelf),
		cmocka_unit_test(test_funcs_match_source),
		cmocka_unit_test(test_from_mem_equals_from_file),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
