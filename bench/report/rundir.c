/* Reading and validating a run directory. */
#include "report/rundir.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/metrics.h"

static int env_add(struct rundir *rd, const char *key, size_t klen, const char *val)
{
	char **k = realloc(rd->env_key, (rd->nenv + 1) * sizeof(*k));

	if (!k)
		return -1;
	rd->env_key = k;
	char **v = realloc(rd->env_val, (rd->nenv + 1) * sizeof(*v));
	if (!v)
		return -1;
	rd->env_val = v;
	k[rd->nenv] = strndup(key, klen);
	v[rd->nenv] = strdup(val);
	if (!k[rd->nenv] || !v[rd->nenv]) {
		free(k[rd->nenv]);
		free(v[rd->nenv]);
		return -1;
	}
	rd->nenv++;
	return 0;
}

/* key=value lines; blank lines and # comments allowed (written by a shell
 * script, read by people too). */
static int read_env(struct rundir *rd, const char *file, char *err, size_t errlen)
{
	FILE *f = fopen(file, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;
	int rc = 0;

	if (!f) {
		if (errno == ENOENT)
			snprintf(err, errlen, "%s: not a run directory (no run.env)", rd->path);
		else
			snprintf(err, errlen, "%s: %s", file, strerror(errno));
		return -1;
	}
	while (!rc && (n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (!n || line[0] == '#')
			continue;
		char *eq = strchr(line, '=');
		if (!eq || eq == line) {
			snprintf(err, errlen, "%s:%zu: expected key=value", file, lineno);
			rc = -1;
		} else if (env_add(rd, line, eq - line, eq + 1)) {
			snprintf(err, errlen, "%s: out of memory", file);
			rc = -1;
		}
	}
	free(line);
	fclose(f);
	return rc;
}

static int check_schema(struct rundir *rd, const char *file, int strict, char *err, size_t errlen)
{
	const char *v = rundir_env(rd, "schema_version");
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
	rd->schema_version = (int)n;
	if (strict && n != RUN_SCHEMA_VERSION) {
		snprintf(err, errlen,
			 "%s: schema_version %ld is not supported (this build reads %d); "
			 "`compare` can still compare the columns in common",
			 file, n, RUN_SCHEMA_VERSION);
		return -1;
	}
	return 0;
}

/* Every numeric column must hold numbers: a report built on "12x" would
 * quietly show a dash. */
static int check_numbers(const struct csv_table *t, const char *file, char *err, size_t errlen)
{
	for (int c = 0; c < t->ncols; c++) {
		const struct metric_def *m = metric_find(file, t->cols[c]);
		double v;

		if (!m || m->kind != MK_NUM)
			continue;
		for (size_t r = 0; r < t->nrows; r++) {
			const char *cell = t->rows[r][c];

			if (*cell && metric_parse(cell, &v)) {
				snprintf(err, errlen, "%s:%zu: column %s: '%s' is not a number", t->path,
					 t->lines[r], t->cols[c], cell);
				return -1;
			}
		}
	}
	return 0;
}

static int read_table(struct rundir *rd, size_t i, int strict, char *err, size_t errlen)
{
	const struct metric_file *mf = &metric_files[i];
	struct csv_table *t = &rd->tables[i];
	char *file;
	int rc;

	if (asprintf(&file, "%s/%s", rd->path, mf->name) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (access(file, F_OK) && errno == ENOENT) {
		if (mf->required)
			snprintf(err, errlen, "%s: missing (every run has one)", file);
		free(file);
		return mf->required ? -1 : 0;
	}
	rc = csv_read(file, t, err, errlen);
	if (!rc)
		rd->have[i] = 1;
	if (!rc && strict)
		rc = csv_require(t, mf->cols, mf->ncols, err, errlen);
	else if (!rc)
		rc = csv_require(t, mf->keys, mf->nkeys, err, errlen);
	if (!rc)
		rc = check_numbers(t, mf->name, err, errlen);
	free(file);
	return rc;
}

int rundir_open(struct rundir *rd, const char *path, int strict, char *err, size_t errlen)
{
	struct stat st;
	char *file = NULL;
	int rc = -1;

	memset(rd, 0, sizeof(*rd));
	if (nmetric_files > RUNDIR_MAX_FILES) {
		snprintf(err, errlen, "internal: RUNDIR_MAX_FILES < %zu", nmetric_files);
		return -1;
	}
	if (stat(path, &st) || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: %s", path,
			 errno == ENOENT ? "no such directory" : "not a run directory");
		return -1;
	}
	rd->path = strdup(path);
	if (!rd->path || asprintf(&file, "%s/run.env", path) < 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (read_env(rd, file, err, errlen) || check_schema(rd, file, strict, err, errlen))
		goto out;
	for (size_t i = 0; i < nmetric_files; i++)
		if (read_table(rd, i, strict, err, errlen))
			goto out;
	rc = 0;
out:
	free(file);
	if (rc)
		rundir_close(rd);
	return rc;
}

void rundir_close(struct rundir *rd)
{
	for (size_t i = 0; i < rd->nenv; i++) {
		free(rd->env_key[i]);
		free(rd->env_val[i]);
	}
	free(rd->env_key);
	free(rd->env_val);
	for (size_t i = 0; i < RUNDIR_MAX_FILES; i++)
		if (rd->have[i])
			csv_free(&rd->tables[i]);
	free(rd->path);
	memset(rd, 0, sizeof(*rd));
}

const char *rundir_env(const struct rundir *rd, const char *key)
{
	for (size_t i = rd->nenv; i-- > 0;)
		if (!strcmp(rd->env_key[i], key))
			return rd->env_val[i];
	return NULL;
}

const struct csv_table *rundir_table(const struct rundir *rd, const char *file)
{
	for (size_t i = 0; i < nmetric_files; i++)
		if (!strcmp(metric_files[i].name, file))
			return rd->have[i] ? &rd->tables[i] : NULL;
	return NULL;
}

int rundir_exists(const struct rundir *rd, const char *relpath)
{
	char *file;
	int ok;

	if (asprintf(&file, "%s/%s", rd->path, relpath) < 0)
		return 0;
	ok = !access(file, F_OK);
	free(file);
	return ok;
}
