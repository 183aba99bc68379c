/* The variant and attach-mode tables, plus `bpf2bpf-bench list`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "skels.h"
#include "kernel/variants.h"

#define VARIANT(n, d) {#n, d, bpf2bpf_##n##__elf_bytes},
const struct variant variants[] = {
#include "variants.def"
};
#undef VARIANT
const size_t nvariants = sizeof(variants) / sizeof(variants[0]);

const struct attach_mode attach_modes[] = {
	{"fentry", "fe_", "fentry/tcp_connect + fexit/inet_csk_complete_hashdance"},
	{"kprobe", "kp_", "kprobe/tcp_connect + kprobe/inet_csk_complete_hashdance"},
	{"tp_btf", "tpb_", "tp_btf/inet_sock_set_state, filtered to both opens"},
	{"tracepoint", "tp_", "tracepoint/sock/inet_sock_set_state, filtered to both opens"},
};
const size_t nattach_modes = sizeof(attach_modes) / sizeof(attach_modes[0]);

const struct variant *variant_find(const char *name)
{
	for (size_t i = 0; i < nvariants; i++)
		if (!strcmp(variants[i].name, name))
			return &variants[i];
	return NULL;
}

const struct attach_mode *attach_mode_find(const char *name)
{
	for (size_t i = 0; i < nattach_modes; i++)
		if (!strcmp(attach_modes[i].name, name))
			return &attach_modes[i];
	return NULL;
}

int attach_mode_owns(const struct attach_mode *m, const char *prog_name)
{
	return !strncmp(prog_name, m->prefix, strlen(m->prefix));
}

void variants_print_valid(FILE *f)
{
	fprintf(f, "valid variants:");
	for (size_t i = 0; i < nvariants; i++)
		fprintf(f, "%s %s", i ? "," : "", variants[i].name);
	fprintf(f, "\n");
}

void attach_modes_print_valid(FILE *f)
{
	fprintf(f, "valid attach modes: auto, all,");
	for (size_t i = 0; i < nattach_modes; i++)
		fprintf(f, "%s %s", i ? "," : "", attach_modes[i].name);
	fprintf(f, "\n");
}

int variant_select(const char *list, unsigned char *sel)
{
	char *copy, *tok, *save = NULL;
	int rc = 0;

	memset(sel, 0, nvariants);
	if (!list || !strcmp(list, "all")) {
		memset(sel, 1, nvariants);
		return 0;
	}
	copy = strdup(list);
	if (!copy)
		return -1;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const struct variant *v = variant_find(tok);

		if (!v) {
			fprintf(stderr, "bpf2bpf-bench: unknown variant '%s'; ", tok);
			variants_print_valid(stderr);
			rc = -1;
			break;
		}
		sel[v - variants] = 1;
	}
	free(copy);
	return rc;
}

int cmd_list(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: bpf2bpf-bench list\n\nList the variants and attach modes built in.\n"
		       "`sizes --format table` shows which of them load on this kernel.\n");
		return 0;
	}
	if (argc > 1) {
		fprintf(stderr, "bpf2bpf-bench list: unexpected argument '%s'\n", argv[1]);
		return 2;
	}
	printf("variants:\n");
	for (size_t i = 0; i < nvariants; i++) {
		size_t sz;

		variants[i].elf_bytes(&sz);
		printf("  %-9s %6zu B  %s\n", variants[i].name, sz, variants[i].desc);
	}
	printf("attach modes (most direct first, as --attach auto tries them):\n");
	for (size_t i = 0; i < nattach_modes; i++)
		printf("  %-10s %s\n", attach_modes[i].name, attach_modes[i].hooks);
	return 0;
}
