/* The libbpf section of the cross-kernel report: a kernel column may hold
 * the same job run with other builds of the harness, each linked with
 * another libbpf (run-libbpf-<version>/ beside run/). Per kernel and libbpf,
 * what loaded (the sizes method's status table and refusals), and where the
 * libbpf alone changed the outcome, in the kernel's words. */
#include <stdlib.h>
#include <string.h>

#include "base/mdtable.h"
#include "kernel/variants.h"
#include "methods/sizes.h"
#include "report/matrix.h"

/* Every run of every kernel column as a column of its own. */
static size_t libbpf_columns(const struct matrix *m, struct matrix *d, size_t *of)
{
	char up[48];

	d->dir = m->dir;
	d->methods = m->methods;
	for (size_t i = 0; i < m->nk; i++) {
		const struct kcol *c = &m->k[i];

		if (!c->have_run || !c->nalt)
			continue;
		for (size_t a = 0; a <= c->nalt && d->nk < MATRIX_MAX_KERNELS; a++) {
			struct kcol *x = &d->k[d->nk];

			*x = *c;
			if (a)
				x->run = c->alt[a - 1];
			matrix_upstream_version(x->run.env.libbpf_package, up, sizeof(up));
			snprintf(x->label, sizeof(x->label), "%.40s libbpf %.30s", c->label,
				 a ? c->alt_libbpf[a - 1] : *up ? up : "?");
			of[d->nk++] = i;
		}
	}
	return d->nk;
}

/* variant x attach where the runs of one kernel disagree: each run's status
 * and words. */
static void differences(const struct matrix *d, const size_t *of, FILE *f)
{
	static const char *const head[] = {"kernel", "variant", "attach", "libbpf", "status",
					   "in its words"};
	struct mdtable t;

	if (md_init(&t, 6, head))
		return;
	for (size_t first = 0; first < d->nk;) {
		size_t end = first;

		while (end < d->nk && of[end] == of[first])
			end++;
		for (size_t v = 0; v < nvariants; v++)
			for (size_t a = 0; a < nattach_modes; a++) {
				const struct sizes_row *s0 = matrix_sizes_total(&d->k[first], variants[v].name,
										attach_modes[a].name);
				bool differ = false;

				for (size_t k = first + 1; k < end && s0; k++) {
					const struct sizes_row *s = matrix_sizes_total(
						&d->k[k], variants[v].name, attach_modes[a].name);

					differ |= !s || strcmp(s->status, s0->status) ||
						  strcmp(s->reason, s0->reason);
				}
				for (size_t k = first; differ && k < end; k++) {
					const struct sizes_row *s = matrix_sizes_total(
						&d->k[k], variants[v].name, attach_modes[a].name);

					md_cell(&t, "%s", k == first ? d->k[first].k.release ? d->k[first].k.release : "" : "");
					md_cell(&t, "%s", k == first ? variants[v].name : "");
					md_cell(&t, "%s", k == first ? attach_modes[a].name : "");
					md_cell(&t, "%s", strrchr(d->k[k].label, ' ') + 1);
					md_cell(&t, "%s", s ? s->status : "-");
					md_cell(&t, "%s", s && *s->reason ? s->reason : "-");
				}
			}
		first = end;
	}
	fprintf(f, "### Where the libbpf changed the outcome\n\n");
	if (md_rows(&t))
		md_print(&t, f);
	else
		fprintf(f, "Nowhere: every libbpf build loaded and refused the same variants in the "
			   "same words on each kernel.\n");
	md_free(&t);
	fputc('\n', f);
}

void matrix_libbpf(const struct matrix *m, FILE *f)
{
	struct matrix *d;
	size_t of[MATRIX_MAX_KERNELS];

	if (m->toolchains || !(d = calloc(1, sizeof(*d))))
		return;
	if (libbpf_columns(m, d, of)) {
		fprintf(f, "## What each libbpf lets load\n\n"
			   "The same job (`bench --vm --only sizes`) run with a second build of the "
			   "harness, statically linked with another libbpf (run-libbpf-<version>/ of each "
			   "kernel's directory; its run.env names the library and its package). The "
			   "objects are the same: only the loader differs.\n\n");
		matrix_sizes_status(d, f);
		differences(d, of, f);
	}
	free(d); /* the runs belong to m */
}
