/* The variant table's ext objects (variants.def: ext), opened with libbpf
 * but never loaded: every attach mode has its extension program, each names
 * a global function of the hooks' object that it can replace; and the pure
 * section-name parser the loader uses for it. No kernel needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "kernel/loader.h"
#include "kernel/variants.h"

static void ext_target_from_section(void **state)
{
	(void)state;
	assert_string_equal(loader_ext_target("?freplace/handle_new_conn_kp"), "handle_new_conn_kp");
	assert_string_equal(loader_ext_target("freplace/f"), "f");
	assert_null(loader_ext_target("?freplace/"));
	assert_null(loader_ext_target("freplace"));
	assert_null(loader_ext_target("?kprobe/tcp_connect"));
	assert_null(loader_ext_target("?fentry/freplace/x"));
	assert_null(loader_ext_target(NULL));
}

static struct bpf_object *open_bytes(const void *(*elf_bytes)(size_t *), const char *name)
{
	LIBBPF_OPTS(bpf_object_open_opts, o, .object_name = name);
	size_t size;
	const void *bytes = elf_bytes(&size);
	struct bpf_object *obj = bpf_object__open_mem(bytes, size, &o);

	if (!obj)
		fail_msg("cannot open the %s object", name);
	return obj;
}

/* Linkage of the function `name` in obj's BTF; -1 when it has none. */
static int func_linkage(struct bpf_object *obj, const char *name)
{
	struct btf *btf = bpf_object__btf(obj);
	int id = btf ? btf__find_by_name_kind(btf, name, BTF_KIND_FUNC) : -1;

	return id < 0 ? -1 : (int)btf_vlen(btf__type_by_id(btf, id));
}

static void ext_objects_cover_every_mode(void **state)
{
	int with_ext = 0;

	(void)state;
	for (size_t v = 0; v < nvariants; v++) {
		struct bpf_object *hooks, *ext;

		if (!variants[v].ext_elf_bytes)
			continue;
		with_ext++;
		hooks = open_bytes(variants[v].elf_bytes, variants[v].name);
		ext = open_bytes(variants[v].ext_elf_bytes, "ext");
		for (size_t m = 0; m < nattach_modes; m++) {
			struct bpf_program *p;
			int n = 0, nhooks = 0;

			bpf_object__for_each_program(p, ext) {
				const char *target = loader_ext_target(bpf_program__section_name(p));

				if (!attach_mode_owns(&attach_modes[m], bpf_program__name(p)))
					continue;
				n++;
				assert_int_equal(bpf_program__type(p), BPF_PROG_TYPE_EXT);
				assert_non_null(target);
				/* only a global function can be replaced */
				assert_int_equal(func_linkage(hooks, target), BTF_FUNC_GLOBAL);
			}
			bpf_object__for_each_program(p, hooks)
				nhooks += attach_mode_owns(&attach_modes[m], bpf_program__name(p)) &&
					  bpf_program__type(p) != BPF_PROG_TYPE_EXT;
			if (n != 1 || nhooks < 1)
				fail_msg("%s at %s: %d extension programs (want 1), %d hooks", variants[v].name,
					 attach_modes[m].name, n, nhooks);
		}
		bpf_object__close(ext);
		bpf_object__close(hooks);
	}
	assert_true(with_ext >= 1); /* the table has freplace */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ext_target_from_section),
		cmocka_unit_test(ext_objects_cover_every_mode),
	};

	libbpf_set_print(NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
