/* bpf2bpf-bench matrix-report: the cross-kernel report of a matrix run (see
 * matrix.h). RUN_DIR/columns lists the kernel directories in order; each has
 * kernel.env (what was fetched) and boot.env (how it booted and ran), and its
 * results in run/. Writes RUN_DIR/kernels.csv, RUN_DIR/sizes.csv (every
 * kernel's rows) and RUN_DIR/report.md. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/atomic_file.h"
#include "base/mdtable.h"
#include "methods/method.h"
#include "methods/sizes.h"
#include "report/matrix.h"
#include "report/report.h"

#define KR struct kernel_row
static const struct column kernel_cols[] = {
	KEY_TEXT(KR, dir, "the kernel's directory in the matrix run (its results are in DIR/run/)"),
	TEXT(KR, series, "kernel series asked for (5.10, 6.1, 6.12, newest) or host"),
	TEXT(KR, release, "`uname -r` of the kernel"),
	TEXT(KR, package, "the Debian package it came from"),
	TEXT(KR, version, "the package version"),
	TEXT(KR, role, "vm (a Debian kernel in qemu) or host (this machine)"),
	TEXT(KR, accel, "tcg, kvm, or none (the host)"),
	TEXT(KR, timing, "native, virtualized or emulated: times of different kinds are never "
			 "compared"),
	NUM(KR, boot_s, "init after", "s", MG_ID, MB_NONE, 1, 0,
	    "seconds from qemu start to the guest's init"),
	NUM(KR, wall_s, "wall", "s", MG_ID, MB_NONE, 1, 0, "seconds from qemu start to power-off"),
	TEXT(KR, status, "ok, fetch-failed, no-boot, no-progress, timeout, no-results or job-failed"),
	TEXT(KR, reason, "what went wrong, in the words of the tool that said so"),
};
const struct result_file kernels_csv =
	FILE_DEF("kernels.csv", "bpf2bpf-bench matrix-report (from each kernel.env and boot.env)", 1,
		 0, KR, kernel_cols, "the kernels of a matrix run, one row per column of the report");

const void *matrix_rows(const struct kcol *k, const struct result_file *rf, size_t *n)
{
	*n = 0;
	return k->have_run ? run_rows(&k->run, rf, n) : NULL;
}

size_t matrix_columns(const struct matrix *m, const struct result_file *rf, const char *timing,
		      size_t *cols)
{
	size_t nc = 0, n;

	for (size_t i = 0; i < m->nk; i++) {
		if (timing && strcmp(m->k[i].k.timing, timing))
			continue;
		if (rf && !matrix_rows(&m->k[i], rf, &n))
			continue;
		cols[nc++] = i;
	}
	return nc;
}

/* "6.1.0-56-cloud-amd64" -> "6.1.0-56"; the host's column says so. */
static void make_label(struct kcol *c)
{
	const char *rel = c->k.release && *c->k.release ? c->k.release : c->k.series;
	const char *suffix = "-cloud-amd64";
	size_t n = strlen(rel), sl = strlen(suffix);

	if (n > sl && !strcmp(rel + n - sl, suffix))
		n -= sl;
	snprintf(c->label, sizeof(c->label), "%s%.*s", strcmp(c->k.role, "host") ? "" : "host ",
		 (int)n, rel);
}

static void load_kernel(struct matrix *m, const char *dir)
{
	struct kcol *c = &m->k[m->nk++];
	static const char *const files[2] = {"kernel.env", "boot.env"};
	char path[4096], err[512];

	rf_row_clear(&kernels_csv, &c->k);
	c->dir = strdup(dir);
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s/%s", m->dir, dir, files[i]);
		if (kv_read_row(path, &kernels_csv, &c->k, &c->store[i], err, sizeof(err)) &&
		    !c->problem[0])
			snprintf(c->problem, sizeof(c->problem), "%.390s", err);
	}
	c->k.dir = c->dir;
	if (!c->k.series)
		c->k.series = "?";
	if (!c->k.role)
		c->k.role = "vm";
	if (!c->k.status)
		c->k.status = "unknown";
	make_label(c);
	snprintf(path, sizeof(path), "%s/%s/run", m->dir, dir);
	if (access(path, F_OK)) {
		if (!c->problem[0])
			snprintf(c->problem, sizeof(c->problem), "no results (%s%s%s)", c->k.status,
				 c->k.reason && *c->k.reason ? ": " : "", c->k.reason ? c->k.reason : "");
	} else if (run_open(&c->run, path, m->methods, true, err, sizeof(err))) {
		/* there but unreadable: an input error, said out loud */
		snprintf(c->problem, sizeof(c->problem), "unreadable results: %.370s", err);
		fprintf(stderr, "matrix-report: %s\n", err);
		m->bad_inputs++;
	} else {
		c->have_run = true;
	}
	/* The run says how it was timed; without one, how it ran says it. */
	c->k.timing = c->have_run && c->run.env.timing ? c->run.env.timing
		      : !strcmp(c->k.role, "host")	   ? "native"
		      : c->k.accel && !strcmp(c->k.accel, "kvm") ? "virtualized"
							     : "emulated";
}

/* RUN_DIR/columns: one kernel directory per line, in column order. */
static int load(struct matrix *m, const char *dir)
{
	char path[4096], line[512];
	FILE *f;

	m->dir = dir;
	snprintf(path, sizeof(path), "%s/columns", dir);
	if (!(f = fopen(path, "r"))) {
		fprintf(stderr, "matrix-report: %s is not a matrix run directory: %s: %s\n", dir, path,
			strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) && m->nk < MATRIX_MAX_KERNELS) {
		line[strcspn(line, "\n")] = '\0';
		if (!*line || strchr(line, '/') || !strcmp(line, "..") || !strcmp(line, ".")) {
			if (*line)
				fprintf(stderr, "matrix-report: %s: '%s' is not a directory name\n",
					path, line);
			continue;
		}
		load_kernel(m, line);
	}
	fclose(f);
	if (!m->nk) {
		fprintf(stderr, "matrix-report: %s lists no kernels\n", path);
		return -1;
	}
	return 0;
}

static void unload(struct matrix *m)
{
	for (size_t i = 0; i < m->nk; i++) {
		if (m->k[i].have_run)
			run_close(&m->k[i].run);
		free(m->k[i].store[0]);
		free(m->k[i].store[1]);
		free(m->k[i].dir);
	}
}

static void section_kernels(const struct matrix *m, FILE *f)
{
	static const char *const head[] = {"column",	"series",	 "package version",
					   "runs on",	"timing",	 ">init after (s)",
					   ">wall (s)", "libbpf linked", "status",
					   "problem"};
	struct mdtable t;
	char b[32], w[32];

	fprintf(f, "## Kernels\n\n");
	if (md_init(&t, 10, head))
		return;
	for (size_t i = 0; i < m->nk; i++) {
		const struct kcol *c = &m->k[i];

		metric_fmt_num(c->k.boot_s, 1, b, sizeof(b));
		metric_fmt_num(c->k.wall_s, 1, w, sizeof(w));
		md_cell(&t, "%s", c->label);
		md_cell(&t, "%s", c->k.series);
		md_cell(&t, "%s", c->k.version && *c->k.version ? c->k.version : "-");
		md_cell(&t, "%s", !strcmp(c->k.role, "host") ? "this machine"
				  : c->k.accel && *c->k.accel ? c->k.accel : "-");
		md_cell(&t, "%s", c->k.timing);
		md_cell(&t, "%s", b);
		md_cell(&t, "%s", w);
		md_cell(&t, "%s", c->have_run && c->run.env.libbpf ? c->run.env.libbpf : "-");
		md_cell(&t, "%s", c->k.status);
		md_cell(&t, "%s", c->problem[0] ? c->problem : c->k.reason ? c->k.reason : "");
	}
	md_print(&t, f);
	md_free(&t);
	fprintf(f, "\nEach column's files are in its directory: kernel.env, boot.env, console.log, "
		   "job.log, and run/ — a run directory like `make bench` writes (run.env, the "
		   "methods' CSVs, verifier/).\n\n");
}

/* A method without a matrix section of its own: its files' generic tables,
 * one per kernel that has them. */
static void section_generic(const struct matrix *m, const struct method *me, FILE *f)
{
	for (size_t i = 0; me->files && me->files[i]; i++)
		for (size_t k = 0; k < m->nk; k++) {
			struct report r = {.run = &m->k[k].run, .methods = m->methods,
					   .attach = m->k[k].run.env.attach};

			if (!m->k[k].have_run || !run_raw(&m->k[k].run, me->files[i]))
				continue;
			fprintf(f, "### %s: %s\n\n", m->k[k].label, me->files[i]->name);
			report_generic(&r, f, me->files[i]);
		}
}

static int write_report(const struct matrix *m, const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int err;

	if (!f)
		return -1;
	fprintf(f, "# bpf2bpf-bench across kernels\n\n"
		   "The same harness binary and BPF objects, loaded by each kernel below (Debian "
		   "cloud kernels in qemu, and this machine's own kernel), each running `bench "
		   "--vm`. Every number comes from the files beside this report (sizes.csv holds "
		   "all kernels' rows, kernels.csv the columns).\n\n");
	section_kernels(m, f);
	for (size_t i = 0; i < m->methods->n; i++) {
		const struct method *me = &m->methods->m[i];

		if (!(me->flags & M_VM))
			continue;
		if (me->matrix)
			me->matrix(m, f);
		else
			section_generic(m, me, f);
	}
	if (fclose(f)) {
		free(buf);
		return -1;
	}
	err = af_write(path, buf, len);
	free(buf);
	if (err)
		fprintf(stderr, "matrix-report: %s: %s\n", path, strerror(-err));
	return err ? -1 : 0;
}

/* Every kernel's sizes.csv rows in one file (the kernel column tells them
 * apart), and kernels.csv. */
static int write_tables(const struct matrix *m)
{
	struct csv_writer w;
	struct kernel_row rows[MATRIX_MAX_KERNELS];
	char path[4096];
	int err;

	for (size_t i = 0; i < m->nk; i++)
		rows[i] = m->k[i].k;
	snprintf(path, sizeof(path), "%s/kernels.csv", m->dir);
	if ((err = rf_write_file(&kernels_csv, path, rows, m->nk)))
		goto fail;
	snprintf(path, sizeof(path), "%s/sizes.csv", m->dir);
	if ((err = rf_open(&w, &sizes_csv, path)))
		goto fail;
	for (size_t i = 0; i < m->nk && !err; i++) {
		size_t n;
		const struct sizes_row *s = matrix_rows(&m->k[i], &sizes_csv, &n);

		for (size_t r = 0; r < n && !err; r++)
			err = rf_write_row(&w, &sizes_csv, &s[r]);
	}
	if (err)
		csv_abort(&w);
	else if (!(err = csv_close(&w)))
		return 0;
fail:
	fprintf(stderr, "matrix-report: %s: %s\n", path, strerror(-err));
	return -1;
}

int matrix_report(const char *dir, const struct method_set *ms)
{
	struct matrix *m;
	char path[4096];
	int rc = 0;

	if (!(m = calloc(1, sizeof(*m))))
		return 1;
	m->methods = ms;
	if (load(m, dir)) {
		unload(m);
		free(m);
		return 2;
	}
	snprintf(path, sizeof(path), "%s/report.md", m->dir);
	if (write_tables(m) || write_report(m, path) || m->bad_inputs)
		rc = 1;
	unload(m);
	free(m);
	return rc;
}
