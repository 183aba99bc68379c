/* bpf2bpf-bench matrix-report: the cross-kernel report of a matrix run (see
 * matrix.h). RUN_DIR/columns lists the column directories in order; a kernel
 * column has kernel.env (what was fetched) and boot.env (how it booted and
 * ran), a toolchain column toolchain.env (what built it), and its results in
 * run/. Writes RUN_DIR/kernels.csv and RUN_DIR/sizes.csv (every kernel's
 * rows), or RUN_DIR/toolchains.csv, and RUN_DIR/report.md. */
#include <dirent.h>
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

static const struct column toolchain_cols[] = {
	KEY_TEXT(KR, dir, "the toolchain's directory in the run (its results are in DIR/run/)"),
	TEXT(KR, clang, "the BPF compiler (make CLANG=)"),
	TEXT(KR, clang_version, "`clang --version` first line"),
	TEXT(KR, bpf_cpu, "clang -mcpu= of the BPF objects"),
	TEXT(KR, libbpf, "system (the installed libbpf-dev) or the suite a libbpf-dev was fetched "
			 "from (backports); linked statically"),
	TEXT(KR, libbpf_package, "that libbpf-dev's package version"),
	TEXT(KR, objects, "sha256 over the build's BPF objects: equal digests, byte-identical "
			  "objects"),
	NUM(KR, build_s, "build", "s", MG_ID, MB_NONE, 1, 0,
	    "seconds make took (little when the build directory was up to date)"),
	TEXT(KR, timing, "native: every toolchain runs on this machine"),
	TEXT(KR, status, "ok, skipped (the compiler refused the -mcpu; no build), build-failed or "
			 "job-failed"),
	TEXT(KR, reason, "what went wrong, in the words of the tool that said so"),
};
const struct result_file toolchains_csv =
	FILE_DEF("toolchains.csv", "bpf2bpf-bench matrix-report (from each toolchain.env)", 1, 0, KR,
		 toolchain_cols,
		 "the toolchains of a make compilers run, one row per column of the report");

const char *matrix_axis(const struct matrix *m)
{
	return m->toolchains ? "toolchain" : "kernel";
}

void matrix_upstream_version(const char *deb, char *buf, size_t len)
{
	const char *colon = deb ? strchr(deb, ':') : NULL, *v = colon ? colon + 1 : deb ? deb : "";
	const char *dash = strrchr(v, '-');

	snprintf(buf, len, "%.*s", (int)(dash ? (size_t)(dash - v) : strlen(v)), v);
}

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

/* "6.1.0-56-cloud-amd64" -> "6.1.0-56"; the host's column says so. A
 * toolchain: "clang-19 v4 1.4.6" (compiler, -mcpu, libbpf). */
static void make_label(struct kcol *c)
{
	const char *rel = c->k.release && *c->k.release ? c->k.release : c->k.series;
	const char *suffix = "-cloud-amd64";
	size_t n = strlen(rel), sl = strlen(suffix);
	char lib[48];

	if (!strcmp(c->k.role, "toolchain")) {
		matrix_upstream_version(c->k.libbpf_package, lib, sizeof(lib));
		snprintf(c->label, sizeof(c->label), "%s %s %s", c->k.clang ? c->k.clang : "?",
			 c->k.bpf_cpu ? c->k.bpf_cpu : "?", *lib ? lib : "?");
		return;
	}

	if (n > sl && !strcmp(rel + n - sl, suffix))
		n -= sl;
	snprintf(c->label, sizeof(c->label), "%s%.*s", strcmp(c->k.role, "host") ? "" : "host ",
		 (int)n, rel);
}

/* DIR/<dir>/run-libbpf-<version>/: the same job with another libbpf. */
static void load_alt_runs(struct matrix *m, struct kcol *c)
{
	char path[4096], err[512];
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", m->dir, c->dir);
	if (!(d = opendir(path)))
		return;
	while ((e = readdir(d)) && c->nalt < MATRIX_MAX_ALT) {
		if (strncmp(e->d_name, "run-libbpf-", 11) || !e->d_name[11])
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", m->dir, c->dir, e->d_name);
		if (run_open(&c->alt[c->nalt], path, m->methods, true, err, sizeof(err))) {
			fprintf(stderr, "matrix-report: %s\n", err);
			m->bad_inputs++;
			continue;
		}
		snprintf(c->alt_libbpf[c->nalt++], sizeof(c->alt_libbpf[0]), "%s", e->d_name + 11);
	}
	closedir(d);
}

/* Its kernel.env and boot.env, or its toolchain.env, into c->k. */
static void read_column_env(struct matrix *m, struct kcol *c)
{
	static const char *const files[3] = {"kernel.env", "boot.env", "toolchain.env"};
	char path[4096], err[512];
	bool toolchain;

	snprintf(path, sizeof(path), "%s/%s/%s", m->dir, c->dir, files[2]);
	toolchain = !access(path, F_OK);
	if (!m->nk)
		m->toolchains = toolchain;
	if (toolchain != m->toolchains) {
		snprintf(c->problem, sizeof(c->problem), "a %s column among %s columns: left out",
			 toolchain ? "toolchain" : "kernel", matrix_axis(m));
		return;
	}
	for (int i = toolchain ? 2 : 0; i < (toolchain ? 3 : 2); i++) {
		snprintf(path, sizeof(path), "%s/%s/%s", m->dir, c->dir, files[i]);
		if (kv_read_row(path, toolchain ? &toolchains_csv : &kernels_csv, &c->k, &c->store[i],
				err, sizeof(err)) &&
		    !c->problem[0])
			snprintf(c->problem, sizeof(c->problem), "%.390s", err);
	}
	if (toolchain)
		c->k.role = "toolchain";
}

static void load_kernel(struct matrix *m, const char *dir)
{
	struct kcol *c = &m->k[m->nk];
	char path[4096], err[512];

	rf_row_clear(&kernels_csv, &c->k);
	rf_row_clear(&toolchains_csv, &c->k);
	c->dir = strdup(dir);
	read_column_env(m, c);
	m->nk++;
	c->k.dir = c->dir;
	if (!c->k.series)
		c->k.series = m->toolchains ? "-" : "?";
	if (!c->k.role)
		c->k.role = "vm";
	if (!c->k.status)
		c->k.status = "unknown";
	make_label(c);
	snprintf(path, sizeof(path), "%s/%s/run", m->dir, dir);
	if (c->problem[0] && strstr(c->problem, "left out")) {
		/* another kind of column: not read */
	} else if (access(path, F_OK)) {
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
		      : !strcmp(c->k.role, "host") || m->toolchains ? "native"
		      : c->k.accel && !strcmp(c->k.accel, "kvm") ? "virtualized"
							     : "emulated";
	if (c->have_run)
		load_alt_runs(m, c);
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
		for (size_t a = 0; a < m->k[i].nalt; a++)
			run_close(&m->k[i].alt[a]);
		for (int s = 0; s < 3; s++)
			free(m->k[i].store[s]);
		free(m->k[i].dir);
	}
}

/* "v1.4 (1.4.6)": what a run says it linked and the package it was built with. */
static const char *libbpf_linked(const struct run_facts *e, char *buf, size_t len)
{
	char up[48];

	matrix_upstream_version(e->libbpf_package, up, sizeof(up));
	snprintf(buf, len, "%s%s%s%s", e->libbpf ? e->libbpf : "?", *up ? " (" : "", up,
		 *up ? ")" : "");
	return buf;
}

static void section_toolchains(const struct matrix *m, FILE *f)
{
	static const char *const head[] = {"column",	   "compiler",	     "-mcpu",
					   "libbpf",	   "libbpf linked", ">build (s)",
					   "status",	   "problem"};
	struct mdtable t;
	char b[32], lib[96];

	fprintf(f, "## Toolchains\n\n");
	if (md_init(&t, 8, head))
		return;
	for (size_t i = 0; i < m->nk; i++) {
		const struct kcol *c = &m->k[i];

		metric_fmt_num(c->k.build_s, 1, b, sizeof(b));
		md_cell(&t, "%s", c->label);
		md_cell(&t, "%s", c->k.clang_version && *c->k.clang_version ? c->k.clang_version
						: c->k.clang ? c->k.clang : "-");
		md_cell(&t, "%s", c->k.bpf_cpu ? c->k.bpf_cpu : "-");
		md_cell(&t, "%s %s", c->k.libbpf ? c->k.libbpf : "-",
			c->k.libbpf_package ? c->k.libbpf_package : "");
		md_cell(&t, "%s", c->have_run ? libbpf_linked(&c->run.env, lib, sizeof(lib)) : "-");
		md_cell(&t, "%s", b);
		md_cell(&t, "%s", c->k.status);
		md_cell(&t, "%s", c->problem[0] ? c->problem : c->k.reason ? c->k.reason : "");
	}
	md_print(&t, f);
	md_free(&t);
	fprintf(f, "\nA column is one build of the harness (build/tc/<column>/: the BPF objects by "
		   "that compiler and -mcpu, the harness statically linked with that libbpf), run on "
		   "this machine's kernel. Its files are in its directory: toolchain.env, build.log, "
		   "job.log and run/ — a run directory like `make bench` writes, so `bpf2bpf-bench "
		   "compare A/run B/run` compares two columns.\n\n");
}

static void section_kernels(const struct matrix *m, FILE *f)
{
	char lib[96];

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
		md_cell(&t, "%s", c->have_run ? libbpf_linked(&c->run.env, lib, sizeof(lib)) : "-");
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
	if (m->toolchains) {
		fprintf(f, "# bpf2bpf-bench across toolchains\n\n"
			   "Every variant built by each compiler x -mcpu x libbpf below, each build "
			   "running `bench --quick --only <methods>` on this machine's kernel (%s). "
			   "Every number comes from the files beside this report (toolchains.csv holds "
			   "the columns, each column's run/ its results).\n\n",
			   m->k[0].have_run && m->k[0].run.env.kernel ? m->k[0].run.env.kernel : "?");
		section_toolchains(m, f);
	} else {
		fprintf(f, "# bpf2bpf-bench across kernels\n\n"
			   "The same harness binary and BPF objects, loaded by each kernel below "
			   "(Debian cloud kernels in qemu, and this machine's own kernel), each running "
			   "`bench --vm`. Every number comes from the files beside this report (sizes.csv "
			   "holds all kernels' rows, kernels.csv the columns).\n\n");
		section_kernels(m, f);
		matrix_trace(m, f);
	}
	for (size_t i = 0; i < m->methods->n; i++) {
		const struct method *me = &m->methods->m[i];

		if (!(me->flags & M_VM))
			continue;
		if (me->matrix)
			me->matrix(m, f);
		else
			section_generic(m, me, f);
	}
	matrix_libbpf(m, f);
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
	snprintf(path, sizeof(path), "%s/%s", m->dir,
		 m->toolchains ? toolchains_csv.name : kernels_csv.name);
	if ((err = rf_write_file(m->toolchains ? &toolchains_csv : &kernels_csv, path, rows, m->nk)))
		goto fail;
	/* One kernel's rows per kernel column; toolchain columns share a kernel,
	 * so their rows stay in each column's run/sizes.csv. */
	if (m->toolchains)
		return 0;
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
