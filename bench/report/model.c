/* Reading and validating a run directory; see model.h. */
#include "report/model.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "methods/method.h"

static int check_schema(struct run *r, const char *file, bool strict, char *err, size_t errlen)
{
	const char *v = r->env.schema_version;
	char *end;
	long n;

	if (!v) {
		snprintf(err, errlen, "%s: no schema_version (not a bpf2bpf-bench run?)", file);
		return -1;
	}
	n = strtol(v, &end, 10);
	if (!*v || *end || n < 1 || n > 1000) {
		snprintf(err, errlen, "%s: schema_version '%s' is not a version number", file, v);
		return -1;
	}
	r->schema_version = (int)n;
	if (strict && n != RUN_SCHEMA_VERSION) {
		snprintf(err, errlen,
			 "%s: schema_version %ld is not supported (this build reads %d); "
			 "`compare` can still compare the columns in common",
			 file, n, RUN_SCHEMA_VERSION);
		return -1;
	}
	return 0;
}

static int read_table(struct run *r, struct run_table *t, bool strict, char *err, size_t errlen)
{
	char *file;
	int rc;

	if (asprintf(&file, "%s/%s", r->path, t->def->name) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (access(file, F_OK) && errno == ENOENT) {
		if (t->def->required)
			snprintf(err, errlen, "%s: missing (every run has one)", file);
		free(file);
		return t->def->required ? -1 : 0;
	}
	rc = csv_read(file, &t->raw, err, errlen);
	free(file);
	if (rc)
		return -1;
	t->present = true;
	if (strict)
		return rf_read_rows(t->def, &t->raw, &t->rows, &t->n, err, errlen);
	return rf_check_loose(t->def, &t->raw, err, errlen);
}

int run_open(struct run *r, const char *dir, const struct method_set *ms, bool strict, char *err,
	     size_t errlen)
{
	const struct result_file *files[RUN_MAX_FILES];
	struct stat st;
	char *env = NULL;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: %s", dir,
			 errno == ENOENT ? "no such directory" : "not a run directory");
		return -1;
	}
	r->path = strdup(dir);
	if (!r->path || asprintf(&env, "%s/run.env", dir) < 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (access(env, F_OK)) {
		snprintf(err, errlen, "%s: not a run directory (no run.env)", dir);
		goto out;
	}
	if (run_env_read(env, &r->env, &r->env_store, err, errlen) ||
	    check_schema(r, env, strict, err, errlen))
		goto out;
	r->ntables = method_files(ms, files, RUN_MAX_FILES);
	for (size_t i = 0; i < r->ntables; i++) {
		r->tables[i].def = files[i];
		if (read_table(r, &r->tables[i], strict, err, errlen))
			goto out;
	}
	rc = 0;
out:
	free(env);
	if (rc)
		run_close(r);
	return rc;
}

void run_close(struct run *r)
{
	for (size_t i = 0; i < r->ntables; i++) {
		free(r->tables[i].rows);
		if (r->tables[i].present)
			csv_free(&r->tables[i].raw);
	}
	free(r->env_store);
	free(r->path);
	memset(r, 0, sizeof(*r));
}

static const struct run_table *table_of(const struct run *r, const struct result_file *rf)
{
	for (size_t i = 0; i < r->ntables; i++)
		if (r->tables[i].def == rf && r->tables[i].present)
			return &r->tables[i];
	return NULL;
}

const void *run_rows(const struct run *r, const struct result_file *rf, size_t *n)
{
	const struct run_table *t = table_of(r, rf);

	*n = t && t->rows ? t->n : 0;
	return t ? t->rows : NULL;
}

const struct csv_table *run_raw(const struct run *r, const struct result_file *rf)
{
	const struct run_table *t = table_of(r, rf);

	return t ? &t->raw : NULL;
}

bool run_has(const struct run *r, const char *relpath)
{
	char *file;
	bool ok;

	if (asprintf(&file, "%s/%s", r->path, relpath) < 0)
		return false;
	ok = !access(file, F_OK);
	free(file);
	return ok;
}
