/* bpf2bpf-bench list: the variants, attach modes and output modes built in. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "kernel/variants.h"

static const char *const kind_names[] = {
	[VK_BASELINE] = "baseline", [VK_REFERENCE] = "reference", [VK_CALL] = "call",
	[VK_TAILCALL] = "tail call",
};

int cmd_list(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: bpf2bpf-bench list\n\nList the variants, attach modes and output modes "
		       "built in.\n`sizes --format table` shows which of them load on this kernel.\n");
		return 0;
	}
	if (argc > 1) {
		fprintf(stderr, "bpf2bpf-bench list: unexpected argument '%s'\n", argv[1]);
		return 2;
	}
	printf("variants (variants/variants.def):\n");
	for (size_t i = 0; i < nvariants; i++) {
		size_t sz, ext = 0;

		variants[i].elf_bytes(&sz);
		if (variants[i].ext_elf_bytes)
			variants[i].ext_elf_bytes(&ext);
		printf("  %-9s %-9s %6zu B  %s", variants[i].name, kind_names[variants[i].kind], sz,
		       variants[i].desc);
		printf(ext ? " (+ %zu B ext object, loaded beside it)\n" : "\n", ext);
	}
	printf("attach modes (most direct first, as --attach auto tries them):\n");
	for (size_t i = 0; i < nattach_modes; i++)
		printf("  %-10s %s\n", attach_modes[i].name, attach_modes[i].hooks);
	printf("output modes:\n");
	for (size_t i = 0; i < OUTPUT__COUNT; i++)
		printf("  %-16s %s\n", outputs[i].name, outputs[i].desc);
	return 0;
}
