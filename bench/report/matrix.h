/* The cross-kernel report of a VM matrix run (scripts/matrix.sh): one
 * column per kernel — the Debian kernels in qemu and this machine's own —
 * each a run directory read with the same run model as `report`, plus what
 * the matrix script recorded about fetching and booting it. Each method
 * brings a section (its matrix hook); times of different kinds (native,
 * emulated) are never set side by side. */
#ifndef BPF2BPF_MATRIX_H
#define BPF2BPF_MATRIX_H

#include <stdbool.h>
#include <stdio.h>

#include "base/schema.h"
#include "report/model.h"

#define MATRIX_MAX_KERNELS 16

/* kernels.csv: one row per column of the matrix. */
struct kernel_row {
	const char *dir, *series, *release, *package, *version, *role, *accel, *timing;
	double boot_s, wall_s;
	const char *status, *reason;
};
extern const struct result_file kernels_csv;

struct kcol {
	struct kernel_row k;
	char *store[2];	 /* the kernel.env and boot.env text k points into */
	char *dir;
	bool have_run;	 /* DIR/<dir>/run/ read */
	struct run run;
	char label[80];	 /* the column header */
	char problem[400]; /* why there are no results */
};

struct matrix {
	const char *dir;
	const struct method_set *methods;
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

/* The matrix report of RUN_DIR with the sections of the methods ms: 0
 * written; 1 written but an input was unreadable, or not written; 2 not a
 * matrix run directory. */
struct method_set;
int matrix_report(const char *dir, const struct method_set *ms);

#endif
