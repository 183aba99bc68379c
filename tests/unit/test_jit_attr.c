/* jit_disasm.c, kallsyms.c and jit_attr.c on disassembly captured on the dev
 * machine (tests/fixtures/jit/README.md) and on objdump's rendering of
 * hand-encoded instructions the dev machine's JIT does not emit. The bytes of
 * patterns.txt, at 0xffffffffc0001000 and 0xffffffffc0001040:
 *   f3 0f 1e fa / 65 48 c1 3c 25 f0 d0 02 00 05 / e8 call func 1 /
 *   e8 call __x86_indirect_thunk_rax / ff d0 / 2e e8 call bpf_ktime_get_ns /
 *   ff e0 / e9 jmp __x86_return_thunk / e9 jmp 0xffffffffc0009000 /
 *   e9 jmp 0xffffffff80000000 / e9 jmp own prologue+4 / cc x 10 ;
 *   55 c9 c3 cc */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "unit_helpers.h"
#include "kernel/jit_attr.h"
#include "kernel/jit_image.h"

static char *fixture(const char *name)
{
	char path[1024];
	char *t;

	fixture_path(path, sizeof(path), name);
	t = slurp(path);
	assert_non_null(t);
	return t;
}

static void parse_fixture(const char *name, struct jit_disasm *d)
{
	char err[256], *t = fixture(name);

	assert_int_equal(jit_disasm_parse(t, d, err, sizeof(err)), 0);
	free(t);
}

static void load_kallsyms(struct kallsyms *k)
{
	char *t = fixture("jit/kallsyms-excerpt.txt");

	assert_int_equal(kallsyms_parse(t, k), 0);
	free(t);
}

static void test_disasm_lines_prefixes_continuations(void **state)
{
	struct jit_disasm d;

	(void)state;
	parse_fixture("jit/patterns.txt", &d);
	assert_int_equal(d.nfuncs, 2);
	assert_true(d.func_addr[1] == 0xffffffffc0001040ULL);
	assert_int_equal(d.func_len[0], 64);
	assert_int_equal(d.n, 21 + 4);
	assert_string_equal(d.insns[0].mnem, "endbr64");
	assert_string_equal(d.insns[1].mnem, "sarq");
	assert_int_equal(d.insns[1].len, 10); /* 7 bytes + 3 on the next line */
	assert_true(d.insns[2].direct && d.insns[2].target == 0xffffffffc0001040ULL);
	assert_true(d.insns[4].indirect && !d.insns[4].direct);
	assert_string_equal(d.insns[5].mnem, "call"); /* "cs" dropped */
	assert_true(d.insns[5].direct && d.insns[5].target == 0xffffffff8150c300ULL);
	assert_int_equal(d.insns[21].func, 1);
	assert_string_equal(d.insns[21].mnem, "push");
	jit_disasm_free(&d);
}

static void test_disasm_refuses_other_text(void **state)
{
	struct jit_disasm d;
	char err[256];

	(void)state;
	assert_int_equal(jit_disasm_parse("hello\nworld\n", &d, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "jit-func"));
	assert_int_equal(jit_disasm_parse("ffffffffc0001000:\t55   \tpush   %rbp\n", &d, err,
					  sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "line 1"));
	assert_int_equal(jit_disasm_parse("<jit-func 1 0x10 4>\n", &d, err, sizeof(err)), -1);
}

static void test_kallsyms_sorted_aliases_offsets(void **state)
{
	struct kallsyms k;
	const struct ksym *s;
	uint64_t off;

	(void)state;
	load_kallsyms(&k);
	for (size_t i = 1; i < k.n; i++)
		assert_true(k.syms[i - 1].addr <= k.syms[i].addr);
	s = kallsyms_lookup(&k, 0xffffffff82202180ULL, &off);
	assert_non_null(s);
	assert_string_equal(s->name, "__x86_indirect_thunk_rax"); /* not __pi_... */
	assert_int_equal(off, 0);
	s = kallsyms_lookup(&k, 0xffffffff8150c305ULL, &off);
	assert_string_equal(s->name, "bpf_ktime_get_ns");
	assert_int_equal(off, 5);
	assert_int_equal(s->type, 'T');
	assert_string_equal(s->module, "");
	assert_null(kallsyms_lookup(&k, 0xffffffff80000000ULL, &off));
	kallsyms_free(&k);
}

static void test_kallsyms_modules_and_hidden(void **state)
{
	struct kallsyms k;
	const struct ksym *s;

	(void)state;
	assert_int_equal(kallsyms_parse("ffffffffc0025c24 t bpf_prog_6deef7357e7b4530_sy_active"
					"\t[bpf]\nffffffff81000000 T _stext\n",
					&k),
			 0);
	s = kallsyms_lookup(&k, 0xffffffffc0025c30ULL, NULL);
	assert_string_equal(s->name, "bpf_prog_6deef7357e7b4530_sy_active");
	assert_string_equal(s->module, "bpf");
	kallsyms_free(&k);
	/* what a non-root reader sees with kptr_restrict: no usable address */
	assert_int_equal(kallsyms_parse("0000000000000000 T _stext\n", &k), -1);
}

static void test_counts_every_kind(void **state)
{
	struct jit_region other = {0xffffffffc0009000ULL, 0x100, "other"};
	struct jit_disasm d;
	struct kallsyms k;
	struct jit_counts c;

	(void)state;
	parse_fixture("jit/patterns.txt", &d);
	load_kallsyms(&k);
	jit_attr_count(&d, &other, 1, &k, &c);
	assert_int_equal(c.funcs, 2);
	assert_int_equal(c.insns, 25);
	assert_int_equal(c.bytes, 68);
	assert_int_equal(c.endbr, 1);
	assert_int_equal(c.call_depth, 1);
	assert_int_equal(c.bpf_calls, 1);
	assert_int_equal(c.retpoline, 1);
	assert_int_equal(c.indirect, 2);
	assert_int_equal(c.kernel_calls, 1);
	assert_string_equal(c.targets[0].name, "bpf_ktime_get_ns");
	assert_int_equal(c.ret_thunk, 1);
	assert_string_equal(c.ret_thunk_sym, "__x86_return_thunk");
	assert_int_equal(c.tail_jumps, 2); /* into `other`, and into its own prologue */
	assert_int_equal(c.other, 1);	   /* 0xffffffff80000000: below every symbol */
	assert_int_equal(c.int3, 11);
	assert_int_equal(c.ret_plain, 1);
	assert_int_equal(c.push, 1);
	/* without kallsyms nothing in the kernel is named */
	jit_attr_count(&d, &other, 1, NULL, &c);
	assert_int_equal(c.kernel_calls, 0);
	assert_int_equal(c.ret_thunk, 0);
	assert_int_equal(c.other, 4);
	jit_disasm_free(&d);
	kallsyms_free(&k);
}

/* The dev machine's noinline program: one bpf2bpf call site, and both its
 * functions return through SRSO's thunk, never with a plain ret. */
static void test_captured_noinline(void **state)
{
	struct jit_disasm d;
	struct kallsyms k;
	struct jit_counts c;

	(void)state;
	parse_fixture("jit/synthetic-noinline-sy_active.txt", &d);
	load_kallsyms(&k);
	jit_attr_count(&d, NULL, 0, &k, &c);
	assert_int_equal(c.funcs, 2);
	assert_int_equal(c.bpf_calls, 1);
	assert_int_equal(c.ret_thunk, 2);
	assert_string_equal(c.ret_thunk_sym, "srso_alias_return_thunk");
	assert_int_equal(c.ret_plain, 0);
	assert_int_equal(c.kernel_calls, 8);
	assert_int_equal(c.ntargets, 2);
	assert_int_equal(c.targets[0].count, 4);
	assert_int_equal(c.targets[1].count, 4);
	assert_int_equal(c.indirect + c.retpoline + c.tail_jumps + c.other, 0);
	assert_int_equal(c.endbr + c.call_depth, 0); /* no IBT, no retbleed=stuff here */
	jit_disasm_free(&d);
	/* inline: no subprogram, no bpf2bpf call, one return */
	parse_fixture("jit/synthetic-inline-sy_active.txt", &d);
	jit_attr_count(&d, NULL, 0, &k, &c);
	assert_int_equal(c.funcs, 1);
	assert_int_equal(c.bpf_calls, 0);
	assert_int_equal(c.ret_thunk, 1);
	jit_disasm_free(&d);
	kallsyms_free(&k);
}

/* The tail-call pair from one load: the entry's patched jump lands in the
 * hop's image, and the hop jumps into its own prologue. */
static void test_captured_tail_chain(void **state)
{
	struct jit_disasm entry, hop;
	struct jit_region r_entry, r_hop;
	struct jit_counts c;

	(void)state;
	parse_fixture("jit/synthetic-tailcall-sy_active.txt", &entry);
	parse_fixture("jit/synthetic-tailcall-sy_active_tc.txt", &hop);
	r_entry = (struct jit_region){entry.func_addr[0], entry.func_len[0], "sy_active"};
	r_hop = (struct jit_region){hop.func_addr[0], hop.func_len[0], "sy_active_tc"};
	jit_attr_count(&entry, &r_hop, 1, NULL, &c);
	assert_int_equal(c.tail_jumps, 1);
	assert_int_equal(c.bpf_calls, 0);
	jit_attr_count(&entry, NULL, 0, NULL, &c);
	assert_int_equal(c.tail_jumps, 0); /* the hop's image unknown: just "other" */
	jit_attr_count(&hop, &r_entry, 1, NULL, &c);
	assert_int_equal(c.tail_jumps, 1);
	jit_disasm_free(&entry);
	jit_disasm_free(&hop);
}

static void test_thunk_names(void **state)
{
	(void)state;
	assert_true(jit_is_return_thunk("srso_alias_return_thunk"));
	assert_true(jit_is_return_thunk("__x86_return_thunk"));
	assert_true(jit_is_return_thunk("its_return_thunk"));
	assert_true(jit_is_return_thunk("call_depth_return_thunk"));
	assert_false(jit_is_return_thunk("srso_alias_safe_ret"));
	assert_true(jit_is_indirect_thunk("__x86_indirect_thunk_r11"));
	assert_true(jit_is_indirect_thunk("__x86_indirect_call_thunk_rax"));
	assert_true(jit_is_indirect_thunk("__x86_indirect_its_thunk_rax"));
	assert_false(jit_is_indirect_thunk("__x86_return_thunk"));
}

/* An image saved and read back is the same image; the rel32 scan finds the
 * call and the jmp targets (and no more than one per e8/e9 byte); the
 * kallsyms excerpt keeps exactly the symbols at those targets. */
static void test_image_files_targets_and_excerpt(void **state)
{
	/* func 0 at 0x1000: call +0x10 (-> 0x1015), nop, jmp -0x100 (-> 0xf0b) */
	unsigned char code[] = {0xe8, 0x10, 0x00, 0x00, 0x00, 0x90, 0xe9, 0x00, 0xff, 0xff, 0xff};
	struct jit_image img = {.prog = "sy_active", .id = 7, .nfuncs = 1, .len = sizeof(code)};
	struct jit_image back;
	uint64_t t[16];
	char dir[] = "/tmp/bpf2bpf-jit-test-XXXXXX", base[256], err[256], *text = NULL;
	struct kallsyms k;
	size_t n, len = 0;
	FILE *f;

	(void)state;
	img.func_addr[0] = 0x1000;
	img.func_len[0] = sizeof(code);
	img.image = code;
	n = jit_image_rel32_targets(&img, t, 16);
	assert_int_equal(n, 2);
	assert_true(t[0] == 0x1015 && t[1] == 0xf0b);
	assert_non_null(mkdtemp(dir));
	snprintf(base, sizeof(base), "%s/img", dir);
	assert_int_equal(jit_image_save(&img, base, "variant noinline\n"), 0);
	assert_int_equal(jit_image_load(base, &back, err, sizeof(err)), 0);
	assert_string_equal(back.prog, "sy_active");
	assert_int_equal(back.id, 7);
	assert_int_equal(back.len, sizeof(code));
	assert_int_equal(back.func_addr[0], 0x1000);
	assert_memory_equal(back.image, code, sizeof(code));
	jit_image_free(&back);
	assert_int_equal(kallsyms_parse("0000000000000f0b T target_b\n"
					"0000000000001015 T target_a\n"
					"0000000000001016 t not_a_target\n", &k), 0);
	f = open_memstream(&text, &len);
	assert_int_equal(kallsyms_write_excerpt(&k, t, n, f), 2);
	fclose(f);
	assert_non_null(strstr(text, "0000000000001015 T target_a"));
	assert_null(strstr(text, "not_a_target"));
	free(text);
	kallsyms_free(&k);
	snprintf(err, sizeof(err), "rm -rf %s", dir);
	assert_int_equal(system(err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_image_files_targets_and_excerpt),
		cmocka_unit_test(test_disasm_lines_prefixes_continuations),
		cmocka_unit_test(test_disasm_refuses_other_text),
		cmocka_unit_test(test_kallsyms_sorted_aliases_offsets),
		cmocka_unit_test(test_kallsyms_modules_and_hidden),
		cmocka_unit_test(test_counts_every_kind),
		cmocka_unit_test(test_captured_noinline),
		cmocka_unit_test(test_captured_tail_chain),
		cmocka_unit_test(test_thunk_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
