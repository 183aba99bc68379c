/* ELF size accounting with libelf (gelf, so 32- and 64-bit objects alike). */
#include "kernel/elf_sizes.h"

#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *section_name(Elf *elf, size_t shstrndx, size_t idx)
{
	GElf_Shdr sh;
	Elf_Scn *scn = elf_getscn(elf, idx);
	const char *name = scn && gelf_getshdr(scn, &sh) ? elf_strptr(elf, shstrndx, sh.sh_name) : NULL;

	return name ? name : "";
}

static void add_totals(struct elf_sizes *out, const struct elf_section_size *s)
{
	if (s->exec)
		out->code_bytes += s->size;
	if (!strcmp(s->name, ".text"))
		out->text_bytes += s->size;
	else if (!strcmp(s->name, ".BTF"))
		out->btf_bytes += s->size;
	else if (!strcmp(s->name, ".BTF.ext"))
		out->btf_ext_bytes += s->size;
}

static int read_sections(Elf *elf, size_t shstrndx, struct elf_sizes *out, char *err,
			 size_t errlen)
{
	size_t shnum;

	if (elf_getshdrnum(elf, &shnum) < 0)
		return fail(err, errlen, "elf_getshdrnum: %s", elf_errmsg(-1));
	out->sections = calloc(shnum ? shnum : 1, sizeof(*out->sections));
	if (!out->sections)
		return fail(err, errlen, "out of memory");
	/* Section 0 is the reserved null section: not listed. */
	for (Elf_Scn *scn = NULL; (scn = elf_nextscn(elf, scn));) {
		struct elf_section_size *s = &out->sections[out->nsections];
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh))
			return fail(err, errlen, "gelf_getshdr: %s", elf_errmsg(-1));
		const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
		snprintf(s->name, sizeof(s->name), "%s", name ? name : "");
		s->size = sh.sh_size;
		s->exec = !!(sh.sh_flags & SHF_EXECINSTR);
		add_totals(out, s);
		out->nsections++;
	}
	return 0;
}

static Elf_Scn *find_symtab(Elf *elf, GElf_Shdr *sh)
{
	for (Elf_Scn *scn = NULL; (scn = elf_nextscn(elf, scn));)
		if (gelf_getshdr(scn, sh) && sh->sh_type == SHT_SYMTAB)
			return scn;
	return NULL;
}

/* The section index of sym, through SHT_SYMTAB_SHNDX when it overflows. */
static size_t sym_shndx(const GElf_Sym *sym, Elf_Data *xndx, int i)
{
	if (sym->st_shndx != SHN_XINDEX)
		return sym->st_shndx;
	GElf_Sym tmp;
	Elf32_Word x = 0;
	return xndx && gelf_getsymshndx(NULL, xndx, i, &tmp, &x) ? x : SHN_UNDEF;
}

static Elf_Data *find_xndx(Elf *elf)
{
	GElf_Shdr sh;

	for (Elf_Scn *scn = NULL; (scn = elf_nextscn(elf, scn));)
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB_SHNDX)
			return elf_getdata(scn, NULL);
	return NULL;
}

/* Defined functions with code: program entries and subprograms. */
static int is_sized_func(const GElf_Sym *sym, size_t shndx)
{
	return GELF_ST_TYPE(sym->st_info) == STT_FUNC && sym->st_size > 0 && shndx != SHN_UNDEF &&
	       shndx < SHN_LORESERVE;
}

static int read_funcs(Elf *elf, size_t shstrndx, struct elf_sizes *out, char *err, size_t errlen)
{
	GElf_Shdr sh;
	Elf_Scn *symtab = find_symtab(elf, &sh);

	if (!symtab)
		return 0; /* stripped: no functions to list */
	Elf_Data *data = elf_getdata(symtab, NULL);
	if (!data || !sh.sh_entsize)
		return fail(err, errlen, "symbol table: %s", elf_errmsg(-1));
	size_t nsyms = sh.sh_size / sh.sh_entsize;
	Elf_Data *xndx = find_xndx(elf);
	out->funcs = calloc(nsyms ? nsyms : 1, sizeof(*out->funcs));
	if (!out->funcs)
		return fail(err, errlen, "out of memory");
	for (size_t i = 0; i < nsyms; i++) {
		GElf_Sym sym;

		if (!gelf_getsym(data, (int)i, &sym))
			return fail(err, errlen, "gelf_getsym: %s", elf_errmsg(-1));
		size_t shndx = sym_shndx(&sym, xndx, (int)i);
		if (!is_sized_func(&sym, shndx))
			continue;
		struct elf_func_size *f = &out->funcs[out->nfuncs++];
		const char *name = elf_strptr(elf, sh.sh_link, sym.st_name);
		snprintf(f->name, sizeof(f->name), "%s", name ? name : "");
		snprintf(f->section, sizeof(f->section), "%s", section_name(elf, shstrndx, shndx));
		f->size = sym.st_size;
		f->in_text = !strcmp(f->section, ".text");
		f->global = GELF_ST_BIND(sym.st_info) == STB_GLOBAL &&
			    GELF_ST_VISIBILITY(sym.st_other) == STV_DEFAULT;
	}
	return 0;
}

static int read_elf(Elf *elf, struct elf_sizes *out, char *err, size_t errlen)
{
	size_t shstrndx;

	if (elf_kind(elf) != ELF_K_ELF)
		return fail(err, errlen, "not an ELF object");
	if (elf_getshdrstrndx(elf, &shstrndx) < 0)
		return fail(err, errlen, "elf_getshdrstrndx: %s", elf_errmsg(-1));
	if (read_sections(elf, shstrndx, out, err, errlen) < 0)
		return -1;
	return read_funcs(elf, shstrndx, out, err, errlen);
}

int elf_sizes_from_mem(const void *buf, size_t len, struct elf_sizes *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (elf_version(EV_CURRENT) == EV_NONE)
		return fail(err, errlen, "libelf: %s", elf_errmsg(-1));
	/* elf_memory() takes a non-const image that libelf is allowed to modify:
	 * give it a copy, so a skeleton's embedded (read-only) object can be
	 * passed. */
	char *copy = malloc(len ? len : 1);
	if (!copy)
		return fail(err, errlen, "out of memory");
	memcpy(copy, buf, len);
	Elf *elf = elf_memory(copy, len);
	int rc = elf ? read_elf(elf, out, err, errlen)
		     : fail(err, errlen, "elf_memory: %s", elf_errmsg(-1));
	elf_end(elf);
	free(copy);
	if (rc < 0)
		elf_sizes_free(out);
	else
		out->file_bytes = len;
	return rc;
}

static int read_file(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;

	if (!f)
		return -1;
	int e = fstat(fileno(f), &st) < 0 ? errno : S_ISREG(st.st_mode) ? 0 : EINVAL;
	if (e) {
		fclose(f);
		errno = e;
		return -1;
	}
	*len = (size_t)st.st_size;
	*buf = malloc(*len ? *len : 1);
	int ok = *buf && fread(*buf, 1, *len, f) == *len;
	e = errno;
	fclose(f);
	if (!ok) {
		free(*buf);
		errno = e ? e : EIO;
		return -1;
	}
	return 0;
}

int elf_sizes_from_file(const char *path, struct elf_sizes *out, char *err, size_t errlen)
{
	char *buf, msg[256];
	size_t len;

	memset(out, 0, sizeof(*out));
	if (read_file(path, &buf, &len) < 0)
		return fail(err, errlen, "%s: %s", path, strerror(errno));
	int rc = elf_sizes_from_mem(buf, len, out, msg, sizeof(msg));
	free(buf);
	if (rc < 0)
		fail(err, errlen, "%s: %s", path, msg);
	return rc;
}

uint64_t elf_sizes_func(const struct elf_sizes *s, const char *name)
{
	for (size_t i = 0; i < s->nfuncs; i++)
		if (!strcmp(s->funcs[i].name, name))
			return s->funcs[i].size;
	return 0;
}

void elf_sizes_free(struct elf_sizes *s)
{
	free(s->sections);
	free(s->funcs);
	memset(s, 0, sizeof(*s));
}
