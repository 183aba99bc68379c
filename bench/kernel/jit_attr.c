/* Counting a JIT image's instructions by kind; see jit_attr.h. */
#include <stdio.h>
#include <string.h>

#include "kernel/jit_attr.h"

/* A tail call enters a program just past the first bytes of its prologue
 * (X86_TAIL_CALL_OFFSET: 11 + endbr); no loop of JIT code jumps back there,
 * so a jump into them from further down is a program tail-calling itself. */
#define JIT_PROLOGUE_BYTES 24

bool jit_is_return_thunk(const char *s)
{
	/* __x86_return_thunk, srso_return_thunk, srso_alias_return_thunk,
	 * retbleed_return_thunk, its_return_thunk, call_depth_return_thunk */
	return strstr(s, "return_thunk") != NULL;
}

bool jit_is_indirect_thunk(const char *s)
{
	return !strncmp(s, "__x86_indirect_thunk_", 21) ||
	       !strncmp(s, "__x86_indirect_call_thunk_", 26) ||
	       !strncmp(s, "__x86_indirect_jump_thunk_", 26) ||
	       !strncmp(s, "__x86_indirect_its_thunk_", 25);
}

static int own_func_at(const struct jit_disasm *d, uint64_t a)
{
	for (size_t f = 0; f < d->nfuncs; f++)
		if (a == d->func_addr[f])
			return (int)f;
	return -1;
}

static bool in_own_image(const struct jit_disasm *d, uint64_t a)
{
	for (size_t f = 0; f < d->nfuncs; f++)
		if (a >= d->func_addr[f] && a < d->func_addr[f] + d->func_len[f])
			return true;
	return false;
}

static bool in_others(const struct jit_region *o, size_t n, uint64_t a)
{
	for (size_t i = 0; i < n; i++)
		if (a >= o[i].start && a < o[i].start + o[i].len)
			return true;
	return false;
}

static void add_target(struct jit_counts *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->ntargets; i++)
		if (!strcmp(c->targets[i].name, name)) {
			c->targets[i].count++;
			return;
		}
	if (i == JIT_ATTR_MAX_TARGETS)
		return;
	snprintf(c->targets[i].name, sizeof(c->targets[i].name), "%s", name);
	c->targets[i].count = 1;
	c->ntargets++;
}

/* A direct call or unconditional jmp leaving the current function. */
static void classify_exit(const struct jit_disasm *d, const struct jit_insn *in, bool call,
			  const struct jit_region *others, size_t nothers,
			  const struct kallsyms *k, struct jit_counts *c)
{
	const struct ksym *s = NULL;
	uint64_t off = 0;

	if (call && own_func_at(d, in->target) >= 0) {
		c->bpf_calls++;
		return;
	}
	if (!call && in_others(others, nothers, in->target)) {
		c->tail_jumps++;
		return;
	}
	if (k && !in_own_image(d, in->target))
		s = kallsyms_lookup(k, in->target, &off);
	/* a name is trusted at its entry only: a target far past a symbol is
	 * in something kallsyms does not list */
	if (!s || off != 0 || !strcmp(s->module, "bpf")) {
		c->other++;
		return;
	}
	if (jit_is_indirect_thunk(s->name))
		c->retpoline++;
	else if (!call && jit_is_return_thunk(s->name)) {
		c->ret_thunk++;
		snprintf(c->ret_thunk_sym, sizeof(c->ret_thunk_sym), "%s", s->name);
	} else if (call) {
		c->kernel_calls++;
		add_target(c, s->name);
	} else {
		c->other++;
	}
}

void jit_attr_count(const struct jit_disasm *d, const struct jit_region *others, size_t nothers,
		    const struct kallsyms *k, struct jit_counts *c)
{
	memset(c, 0, sizeof(*c));
	c->funcs = (unsigned)d->nfuncs;
	for (size_t i = 0; i < d->n; i++) {
		const struct jit_insn *in = &d->insns[i];
		const char *m = in->mnem;
		bool call = !strncmp(m, "call", 4), jmp = !strcmp(m, "jmp") || !strcmp(m, "jmpq");
		uint64_t fs = d->func_addr[in->func], fe = fs + d->func_len[in->func];

		c->insns++;
		c->bytes += in->len;
		if (!strcmp(m, "endbr64"))
			c->endbr++;
		else if (!strcmp(m, "int3"))
			c->int3++;
		else if (!strncmp(m, "ret", 3))
			c->ret_plain++;
		else if (!strncmp(m, "push", 4))
			c->push++;
		else if (!strncmp(m, "pop", 3))
			c->pop++;
		else if (!strncmp(m, "sar", 3) && strstr(in->ops, "%gs:"))
			c->call_depth++;
		else if ((call || jmp) && in->indirect)
			c->indirect++;
		else if (jmp && in->direct && in->target > d->func_addr[0] &&
			 in->target < d->func_addr[0] + JIT_PROLOGUE_BYTES && in->addr > in->target)
			c->tail_jumps++; /* a tail call into this very program */
		else if ((call || jmp) && in->direct && (call || in->target < fs || in->target >= fe))
			classify_exit(d, in, call, others, nothers, k, c);
	}
	/* most called first */
	for (size_t i = 1; i < c->ntargets; i++)
		for (size_t j = i; j > 0 && c->targets[j].count > c->targets[j - 1].count; j--) {
			char name[64];
			unsigned n = c->targets[j].count;

			memcpy(name, c->targets[j].name, sizeof(name));
			c->targets[j] = c->targets[j - 1];
			memcpy(c->targets[j - 1].name, name, sizeof(name));
			c->targets[j - 1].count = n;
		}
}
