/* The cross-kernel report of a VM matrix run (scripts/matrix.sh): one
 * column per kernel — the Debian kernels in qemu and this machine's own —
 * each a run directory read with the same run model as `report`, plus what
 * the matrix script recorded about fetching and booting it. Each method
 * brings a section (its matrix hook); times of different kinds (native,
 * emulated) are never set side by side.
 *
 * A column can also be a toolchain (scripts/compilers.sh, `make compilers`):
 * one build of the harness (clang x -mcpu x libbpf) run on this kernel, its
 * toolchain.env in place of kernel.env and boot.env. The same sections then
 * compare toolchains. A kernel column may hold the same job run with other
 * libbpf builds (run-libbpf-<version>/): the libbpf section sets them side by
 * side. */
#ifndef BPF2BPF_MATRIX_H
#define BPF2BPF_MATRIX_H

#include <stdbool.h>
#include <stdio.h>

#include "base/schema.h"
#include "report/model.h"

/* Columns: 3 compilers x 4 CPU versions x 2 libbpf builds fit. */
#define MATRIX_MAX_KERNELS 32
/* Other libbpf builds run in one kernel column. */
#define MATRIX_MAX_ALT 4

/* kernels.csv (kernel columns) and toolchains.csv (toolchain columns): one
 * row per column of the matrix. */
struct kernel_row {
	const char *dir, *series, *release, *package, *version, *role, *accel, *timing;
	double boot_s, wall_s;
	const char *status, *reason;
	/* A toolchain column: what built its harness, and a digest of its BPF
	 * objects (same digest: byte-identical objects). */
	const char *clang, *clang_version, *bpf_cpu, *libbpf, *libbpf_package, *objects;
	double build_s;
};
extern const struct result_file kernels_csv, toolchains_csv;

struct kcol {
	struct kernel_row k;
	char *store[3];	 /* the kernel.env, boot.env or toolchain.env text k points into */
	char *dir;
	bool have_run;	 /* DIR/<dir>/run/ read */
	struct run run;
	char label[80];	 /* the column header */
	char problem[400]; /* why there are no results */
	/* The same job with other libbpf builds (DIR/<dir>/run-libbpf-<ver>/). */
	size_t nalt;
	struct run alt[MATRIX_MAX_ALT];
	char alt_libbpf[MATRIX_MAX_ALT][48];
};

struct matrix {
	const char *dir;
	const struct method_set *methods;
	bool toolchains; /* the columns are toolchains on one kernel, not kernels */
	size_t nk;
	struct kcol k[MATRIX_MAX_KERNELS];
	int bad_inputs; /* result files there but unreadable */
};

/* Each kernel's typed rows of rf (NULL when it has none). */
const void *matrix_rows(const struct kcol *k, const struct result_file *rf, size_t *n);
/* md_init headers for "variant | attach | <one column per kernel of timing
 * `timing` (NULL: all) that has rf>"; fills cols with the kernels' indexes.
 * Returns the number of kernel columns. */
size_t matrix_columns(const struct matrix *m, const struct result_file *rf, const char *timing,
		      size_t *cols);

/* "kernel" or "toolchain": what a column is, for sentences. */
const char *matrix_axis(const struct matrix *m);
/* "1:1.4.6-1~bpo12+1" -> "1.4.6": a Debian version's upstream part. */
void matrix_upstream_version(const char *deb, char *buf, size_t len);

/* The libbpf section: per kernel, what each libbpf build lets load, and
 * where the outcome changes with the libbpf (matrix_libbpf.c). */
void matrix_libbpf(const struct matrix *m, FILE *f);
/* The VM job's trace smoke tests, per kernel (matrix_trace.c). */
void matrix_trace(const struct matrix *m, FILE *f);
/* The status table and the refusals of the sizes method (matrix_sizes.c). */
void matrix_sizes_status(const struct matrix *m, FILE *f);
struct sizes_row;
/* A column's TOTAL row of variant x attach in sizes.csv, NULL when none. */
const struct sizes_row *matrix_sizes_total(const struct kcol *k, const char *variant,
					   const char *attach);
/* A refusal's words without the program name in front ("fe_active: ...",
 * "prog 'fe_passive': ..."), in buf. */
const char *matrix_refusal_words(const char *reason, char *buf, size_t len);
/* The sizes method's findings across the columns (matrix_findings.c):
 * smallest JIT image per variant, calls and tail calls refused, what the
 * libbpf changed. */
void matrix_sizes_findings(const struct matrix *m, FILE *f);

/* The matrix report of RUN_DIR with the sections of the methods ms: 0
 * written; 1 written but an input was unreadable, or not written; 2 not a
 * matrix run directory. */
struct method_set;
int matrix_report(const char *dir, const struct method_set *ms);

#endif
