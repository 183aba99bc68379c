/* The variant, attach-mode and output tables; see variants.h. */
#include "kernel/variants.h"

#include <stdlib.h>
#include <string.h>

#include "skels.h"

/* BPF2BPF_EXT_<name>: from the Makefile (skels.h), like the skeletons. */
#define VARIANT(n, kind, link_with, ext, noun, d)                                                   \
	{#n, VK_##kind, noun, d, bpf2bpf_##n##__elf_bytes, BPF2BPF_EXT_##n},
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

const struct output_def outputs[OUTPUT__COUNT] = {
	{OUTPUT_NONE, "none", "event built, not emitted: the call mechanism alone"},
	{OUTPUT_RINGBUF_NOWAKEUP, "ringbuf-nowakeup", "BPF_RB_NO_WAKEUP: consumer polls on a timer"},
	{OUTPUT_RINGBUF, "ringbuf", "bpf_ringbuf_output: consumer woken per event"},
	{OUTPUT_PERFBUF, "perfbuf", "bpf_perf_event_output, the reference demo's"},
};

const struct variant *variant_find(const char *name)
{
	for (size_t i = 0; i < nvariants; i++)
		if (!strcmp(variants[i].name, name))
			return &variants[i];
	return NULL;
}

const struct variant *variant_of_kind(enum variant_kind kind)
{
	for (size_t i = 0; i < nvariants; i++)
		if (variants[i].kind == kind)
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

int attach_mode_arg(const char *who, const char *arg, const struct attach_mode **out)
{
	*out = NULL;
	if (!strcmp(arg, "auto"))
		return 0;
	if ((*out = attach_mode_find(arg)))
		return 0;
	fprintf(stderr, "%s: unknown attach mode '%s'; ", who, arg);
	attach_modes_print_valid(stderr);
	return -1;
}

bool attach_mode_owns(const struct attach_mode *m, const char *prog_name)
{
	return !strncmp(prog_name, m->prefix, strlen(m->prefix));
}

int output_mode_parse(const char *s)
{
	for (size_t i = 0; i < OUTPUT__COUNT; i++)
		if (!strcmp(s, outputs[i].name))
			return (int)outputs[i].mode;
	return -1;
}

const char *output_mode_name(enum output_mode m)
{
	for (size_t i = 0; i < OUTPUT__COUNT; i++)
		if (outputs[i].mode == m)
			return outputs[i].name;
	return "?";
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

void outputs_print_valid(FILE *f)
{
	fprintf(f, "valid outputs:");
	for (size_t i = 0; i < OUTPUT__COUNT; i++)
		fprintf(f, "%s %s", i ? "," : "", outputs[i].name);
	fprintf(f, "\n");
}

/* Comma-separated names, or "all", into sel[n] through index_of. */
static int select_list(const char *list, bool *sel, size_t n, int (*index_of)(const char *),
		       const char *what, void (*valid)(FILE *))
{
	char *copy, *tok, *save = NULL;
	int rc = 0;

	memset(sel, 0, n * sizeof(*sel));
	if (!list || !strcmp(list, "all")) {
		memset(sel, 1, n * sizeof(*sel));
		return 0;
	}
	copy = strdup(list);
	if (!copy)
		return -1;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int i = index_of(tok);

		if (i < 0) {
			fprintf(stderr, "bpf2bpf-bench: unknown %s '%s'; ", what, tok);
			valid(stderr);
			rc = -1;
			break;
		}
		sel[i] = true;
	}
	free(copy);
	return rc;
}

static int variant_index(const char *name)
{
	const struct variant *v = variant_find(name);

	return v ? (int)(v - variants) : -1;
}

static int output_index(const char *name)
{
	for (size_t i = 0; i < OUTPUT__COUNT; i++)
		if (!strcmp(outputs[i].name, name))
			return (int)i;
	return -1;
}

int variant_select(const char *list, bool *sel)
{
	return select_list(list, sel, nvariants, variant_index, "variant", variants_print_valid);
}

int output_select(const char *list, bool *sel)
{
	return select_list(list, sel, OUTPUT__COUNT, output_index, "output", outputs_print_valid);
}
