/* bpf_prog_info's JIT arrays and objdump; see jit_image.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "base/util.h"
#include "kernel/jit_image.h"

/* A whole file of exactly len bytes (malloc'd), or NULL with errno. */
static char *read_bytes(const char *path, uint32_t len)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(len + 1);
	size_t got = 0;
	int extra;

	if (!f || !buf) {
		if (f)
			fclose(f);
		free(buf);
		return NULL;
	}
	got = fread(buf, 1, len, f);
	extra = fgetc(f);
	fclose(f);
	if (got != len || extra != EOF) {
		free(buf);
		errno = EINVAL;
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

/* A text file NUL-terminated (malloc'd), or NULL with errno. */
static char *read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;

	if (!f)
		return NULL;
	do {
		if (cap - n < 4097) {
			char *nb = realloc(buf, cap = cap ? 2 * cap : 65536);

			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

int jit_image_get(int fd, const char *name, struct jit_image *out)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info), nksyms, nlens;

	memset(out, 0, sizeof(*out));
	snprintf(out->prog, sizeof(out->prog), "%s", name);
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	out->id = info.id;
	nksyms = info.nr_jited_ksyms;
	nlens = info.nr_jited_func_lens;
	if (nksyms > JIT_MAX_FUNCS || nlens > JIT_MAX_FUNCS)
		return -E2BIG;
	out->len = info.jited_prog_len;
	out->image = malloc(out->len ? out->len : 1);
	if (!out->image)
		return -ENOMEM;
	/* Second pass: only the arrays asked for are filled. */
	memset(&info, 0, sizeof(info));
	len = sizeof(info);
	info.jited_prog_len = out->len;
	info.jited_prog_insns = (uintptr_t)out->image;
	info.nr_jited_ksyms = nksyms;
	info.jited_ksyms = (uintptr_t)out->func_addr;
	info.nr_jited_func_lens = nlens;
	info.jited_func_lens = (uintptr_t)out->func_len;
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		int err = -errno;

		jit_image_free(out);
		return err;
	}
	out->nfuncs = nlens;
	if (!nlens) { /* kernels that report no function lengths: one function */
		out->nfuncs = 1;
		out->func_len[0] = out->len;
	}
	return 0;
}

void jit_image_free(struct jit_image *img)
{
	free(img->image);
	img->image = NULL;
}

/* objdump of one function: the code to a temporary file, objdump's output
 * (run_to_file) to another, appended to *buf. */
static int disasm_one(const unsigned char *code, uint32_t len, uint64_t addr, char **buf,
		      size_t *used, char *err, size_t errlen)
{
	char bin[] = "/tmp/bpf2bpf-jit-XXXXXX", out[] = "/tmp/bpf2bpf-jitout-XXXXXX", vma[40];
	char *argv[] = {"objdump", "-D", "-b", "binary", "-m", "i386:x86-64", vma, bin, NULL};
	int fd = mkstemp(bin), ofd = mkstemp(out), rc = -1, st;
	char *text = NULL;

	if (fd < 0 || ofd < 0 || write(fd, code, len) != (ssize_t)len) {
		snprintf(err, errlen, "temporary files for objdump: %s", strerror(errno));
		goto out;
	}
	snprintf(vma, sizeof(vma), "--adjust-vma=0x%llx", (unsigned long long)addr);
	st = run_to_file(argv, out);
	if (st) {
		snprintf(err, errlen, "objdump: %s", st < 0 ? strerror(-st) : "failed");
		goto out;
	}
	if (!(text = read_text(out))) {
		snprintf(err, errlen, "objdump output: %s", strerror(errno));
		goto out;
	}
	size_t n = strlen(text);
	char *nb = realloc(*buf, *used + n + 1);
	if (!nb) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	*buf = nb;
	memcpy(*buf + *used, text, n + 1);
	*used += n;
	rc = 0;
out:
	free(text);
	if (fd >= 0) {
		close(fd);
		unlink(bin);
	}
	if (ofd >= 0) {
		close(ofd);
		unlink(out);
	}
	return rc;
}

int jit_image_disasm(const struct jit_image *img, char **text, char *err, size_t errlen)
{
	size_t used = 0, off = 0;
	char head[96];

	*text = calloc(1, 1);
	if (!*text)
		return -1;
	for (uint32_t i = 0; i < img->nfuncs; i++) {
		size_t n;
		char *nb;

		if (!img->func_addr[i]) {
			snprintf(err, errlen, "JIT addresses hidden (kptr_restrict; run as root)");
			return -1;
		}
		if (off + img->func_len[i] > img->len) {
			snprintf(err, errlen, "function lengths exceed the image (%u bytes)", img->len);
			return -1;
		}
		n = (size_t)snprintf(head, sizeof(head), "<jit-func %u 0x%llx %u>\n", i,
				     (unsigned long long)img->func_addr[i], img->func_len[i]);
		nb = realloc(*text, used + n + 1);
		if (!nb)
			return -1;
		*text = nb;
		memcpy(*text + used, head, n + 1);
		used += n;
		if (disasm_one(img->image + off, img->func_len[i], img->func_addr[i], text, &used,
			       err, errlen))
			return -1;
		off += img->func_len[i];
	}
	return 0;
}

size_t jit_image_rel32_targets(const struct jit_image *img, uint64_t *out, size_t max)
{
	size_t n = 0, off = 0;

	for (uint32_t f = 0; f < img->nfuncs; f++) {
		for (uint32_t i = 0; i + 5 <= img->func_len[f] && off + i + 5 <= img->len; i++) {
			const unsigned char *b = img->image + off + i;
			int32_t rel;

			if (b[0] != 0xe8 && b[0] != 0xe9)
				continue;
			memcpy(&rel, b + 1, sizeof(rel)); /* x86: little endian */
			if (n < max)
				out[n++] = img->func_addr[f] + i + 5 + (int64_t)rel;
		}
		off += img->func_len[f];
	}
	return n;
}

/* ---- an image as two files: PATH.bin (the bytes) and PATH.funcs (text) ---- */

int jit_image_save(const struct jit_image *img, const char *base, const char *extra)
{
	char path[4200];
	FILE *f;
	int err;

	snprintf(path, sizeof(path), "%s.bin", base);
	if ((err = write_file(path, img->image, img->len)))
		return err;
	snprintf(path, sizeof(path), "%s.funcs", base);
	if (!(f = fopen(path, "w")))
		return -errno;
	fprintf(f, "# JIT image of a BPF program: bpf_prog_info of the loaded program\n"
		   "prog %s\nid %u\nlen %u\nfuncs %u\n",
		img->prog, img->id, img->len, img->nfuncs);
	for (uint32_t i = 0; i < img->nfuncs; i++)
		fprintf(f, "func %u 0x%llx %u\n", i, (unsigned long long)img->func_addr[i],
			img->func_len[i]);
	if (extra)
		fputs(extra, f);
	return fclose(f) ? -errno : 0;
}

int jit_image_load(const char *base, struct jit_image *img, char *err, size_t errlen)
{
	char path[4200], line[256], *text;
	unsigned n = 0, i, len;
	unsigned long long addr;
	FILE *f;

	memset(img, 0, sizeof(*img));
	snprintf(path, sizeof(path), "%s.funcs", base);
	if (!(f = fopen(path, "r"))) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "prog %63s", img->prog) == 1 || sscanf(line, "id %u", &img->id) == 1 ||
		    sscanf(line, "len %u", &img->len) == 1 || sscanf(line, "funcs %u", &img->nfuncs) == 1)
			continue;
		if (sscanf(line, "func %u %llx %u", &i, &addr, &len) == 3) {
			if (i != n || i >= JIT_MAX_FUNCS)
				break;
			img->func_addr[i] = addr;
			img->func_len[i] = len;
			n++;
		}
	}
	fclose(f);
	if (!img->nfuncs || n != img->nfuncs) {
		snprintf(err, errlen, "%s: %u of %u functions listed", path, n, img->nfuncs);
		return -1;
	}
	snprintf(path, sizeof(path), "%s.bin", base);
	/* the bytes: read_text reads up to a NUL; read the file by size */
	if (!(text = read_bytes(path, img->len))) {
		snprintf(err, errlen, "%s: not %u bytes: %s", path, img->len, strerror(errno));
		return -1;
	}
	img->image = (unsigned char *)text;
	return 0;
}
