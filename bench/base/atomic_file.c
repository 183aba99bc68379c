/* Write-to-temporary-then-rename, in one place; see atomic_file.h. */
#include "base/atomic_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void release(struct atomic_file *a)
{
	free(a->path);
	free(a->tmp);
	memset(a, 0, sizeof(*a));
}

int af_open(struct atomic_file *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->path = strdup(path);
	if (!a->path || asprintf(&a->tmp, "%s.tmp", path) < 0) {
		a->tmp = NULL;
		release(a);
		return -ENOMEM;
	}
	a->f = fopen(a->tmp, "w");
	if (!a->f) {
		int err = -errno;

		release(a);
		return err;
	}
	return 0;
}

int af_commit(struct atomic_file *a, int failed)
{
	int err = failed ? (failed < 0 ? failed : -EIO) : 0;

	if (!a->f)
		return -EBADF;
	if (!err && (fflush(a->f) == EOF || ferror(a->f)))
		err = -EIO;
	/* Durable before visible: a crash never leaves a half file at path. */
	if (!err && fsync(fileno(a->f)) < 0)
		err = -errno;
	if (fclose(a->f) == EOF && !err)
		err = -errno;
	a->f = NULL;
	if (!err && rename(a->tmp, a->path) < 0)
		err = -errno;
	if (err)
		unlink(a->tmp);
	release(a);
	return err;
}

void af_abort(struct atomic_file *a)
{
	if (a->f) {
		fclose(a->f);
		unlink(a->tmp);
	}
	release(a);
}

int af_write(const char *path, const void *buf, size_t len)
{
	struct atomic_file a;
	int err = af_open(&a, path);

	if (err)
		return err;
	if (len && fwrite(buf, 1, len, a.f) != len)
		err = -EIO;
	return af_commit(&a, err);
}
