/* Parsing objdump -D -b binary output; see jit_disasm.h. The lines look like
 *   ffffffffc0025c89:\te8 72 66 4e c1       \tcall   0xffffffff8150c300
 * and a long instruction's remaining bytes follow on a line of their own
 * with no mnemonic. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/jit_disasm.h"

/* Instruction prefixes objdump prints before the mnemonic. */
static bool is_prefix(const char *w)
{
	static const char *const p[] = {"cs",	"ds",	"es",	"fs",	 "gs",	 "ss",	  "notrack",
					"bnd",	"lock", "rep",	"repz",	 "repnz", "repe", "repne",
					"data16", "addr32", NULL};

	if (!strncmp(w, "rex", 3))
		return true;
	for (int i = 0; p[i]; i++)
		if (!strcmp(w, p[i]))
			return true;
	return false;
}

static bool is_branch(const char *m)
{
	return m[0] == 'j' || !strncmp(m, "call", 4) || !strncmp(m, "loop", 4);
}

/* Split "cs call   0xffff..." into mnemonic and operands. */
static void split_insn(const char *s, struct jit_insn *in)
{
	char word[32];
	int n;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (sscanf(s, "%31s%n", word, &n) != 1) {
			in->mnem[0] = '\0';
			break;
		}
		s += n;
		if (!is_prefix(word) || !*s) {
			snprintf(in->mnem, sizeof(in->mnem), "%s", word);
			break;
		}
	}
	while (*s == ' ' || *s == '\t')
		s++;
	snprintf(in->ops, sizeof(in->ops), "%s", s);
	n = (int)strlen(in->ops);
	while (n && (in->ops[n - 1] == ' ' || in->ops[n - 1] == '\n' || in->ops[n - 1] == '\r'))
		in->ops[--n] = '\0';
	if (!is_branch(in->mnem))
		return;
	if (in->ops[0] == '*')
		in->indirect = true;
	else if (!strncmp(in->ops, "0x", 2))
		in->direct = sscanf(in->ops, "%" SCNx64, &in->target) == 1;
}

static int count_bytes(const char *s)
{
	int n = 0;

	while (*s) {
		while (*s == ' ')
			s++;
		if (isxdigit((unsigned char)s[0]) && isxdigit((unsigned char)s[1]) &&
		    (s[2] == ' ' || s[2] == '\0' || s[2] == '\t')) {
			n++;
			s += 2;
		} else {
			break;
		}
	}
	return n;
}

static int push_insn(struct jit_disasm *d, size_t *cap, const struct jit_insn *in)
{
	if (d->n == *cap) {
		size_t nc = *cap ? 2 * *cap : 256;
		struct jit_insn *ni = realloc(d->insns, nc * sizeof(*ni));

		if (!ni)
			return -1;
		d->insns = ni;
		*cap = nc;
	}
	d->insns[d->n++] = *in;
	return 0;
}

int jit_disasm_parse(const char *text, struct jit_disasm *out, char *err, size_t errlen)
{
	const char *line = text;
	size_t cap = 0;
	int lineno = 0, func = -1;

	memset(out, 0, sizeof(*out));
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char buf[512], *tab1, *tab2;
		unsigned fi, flen;
		unsigned long long faddr;
		uint64_t addr;
		struct jit_insn in;

		lineno++;
		snprintf(buf, sizeof(buf), "%.*s", (int)(len < sizeof(buf) ? len : sizeof(buf) - 1),
			 line);
		line = nl ? nl + 1 : NULL;
		if (sscanf(buf, "<jit-func %u %llx %u>", &fi, &faddr, &flen) == 3) {
			if (fi >= JIT_MAX_FUNCS || fi != out->nfuncs) {
				snprintf(err, errlen, "line %d: function %u out of order", lineno, fi);
				goto fail;
			}
			out->func_addr[fi] = faddr;
			out->func_len[fi] = flen;
			out->nfuncs++;
			func = (int)fi;
			continue;
		}
		/* "ADDR:\tBYTES\tINSN"; anything else (headers, "ADDR <.data>:",
		 * blank lines, objdump's "..." for skipped zeros) is not code */
		tab1 = strchr(buf, '\t');
		if (!tab1 || tab1 == buf || tab1[-1] != ':' ||
		    sscanf(buf, "%" SCNx64 ":", &addr) != 1)
			continue;
		if (func < 0) {
			snprintf(err, errlen, "line %d: code before any <jit-func> line", lineno);
			goto fail;
		}
		tab2 = strchr(tab1 + 1, '\t');
		if (!tab2) { /* continuation: the rest of the previous instruction's bytes */
			if (out->n)
				out->insns[out->n - 1].len += (uint8_t)count_bytes(tab1 + 1);
			continue;
		}
		*tab2 = '\0';
		memset(&in, 0, sizeof(in));
		in.addr = addr;
		in.func = (uint8_t)func;
		in.len = (uint8_t)count_bytes(tab1 + 1);
		split_insn(tab2 + 1, &in);
		if (push_insn(out, &cap, &in)) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
	}
	if (!out->nfuncs) {
		snprintf(err, errlen, "no <jit-func> line: not a JIT disassembly");
		goto fail;
	}
	return 0;
fail:
	jit_disasm_free(out);
	return -1;
}

void jit_disasm_free(struct jit_disasm *d)
{
	free(d->insns);
	memset(d, 0, sizeof(*d));
}
