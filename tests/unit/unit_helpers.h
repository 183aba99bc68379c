/* Helpers shared by the cmocka unit tests (header-only: the Makefile builds
 * each tests/unit/test_*.c on its own). */
#ifndef BPF2BPF_UNIT_HELPERS_H
#define BPF2BPF_UNIT_HELPERS_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* tests/fixtures/<rel>, found from this file's path so a test runs from
 * any directory when compiled with a path that reaches the source. */
static inline void fixture_path(char *buf, size_t len, const char *rel)
{
	const char *self = __FILE__; /* .../tests/unit/unit_helpers.h */
	const char *slash = strrchr(self, '/');
	int dirlen = slash ? (int)(slash - self) : 1;

	snprintf(buf, len, "%.*s/../fixtures/%s", dirlen, slash ? self : ".", rel);
}

/* The whole file, NUL-terminated; NULL when unreadable. */
static inline char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = 2 * cap + 4096 + 1);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		size_t got = fread(buf + n, 1, 4096, f);
		n += got;
		if (got < 4096)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static inline int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return -1;
	size_t n = strlen(text);
	int ok = fwrite(text, 1, n, f) == n;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* A fresh scratch directory, removed (one level deep) by rm_scratch_dir. */
static inline char *make_scratch_dir(void)
{
	char tmpl[] = "/tmp/bpf2bpf-unit.XXXXXX";
	char *dir = mkdtemp(tmpl);

	return dir ? strdup(dir) : NULL;
}

static inline void rm_scratch_dir(char *dir)
{
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *e;
	char path[4096];

	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	if (dir)
		rmdir(dir);
	free(dir);
}

/* cmocka 1.1.5 (Debian 12) has no assert_double_equal. Use after <cmocka.h>
 * (and <math.h>). */
#ifndef assert_near
#define assert_near(a, b, eps)                                                               \
	do {                                                                                 \
		double a_ = (a), b_ = (b);                                                   \
		if (!(fabs(a_ - b_) <= (eps)))                                               \
			fail_msg("%s = %.17g, want %.17g +- %g", #a, a_, b_, (double)(eps)); \
	} while (0)
#endif

#endif
