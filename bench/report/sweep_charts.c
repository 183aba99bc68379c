/* The sweep's charts: one image per series (axis x body style x attach),
 * every metric of sweep.csv in its own log-log panel against the axis value,
 * one line per variant (ok points only: a refused point has no image). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "methods/sweep_findings.h"
#include "report/report.h"
#include "report/sweep_section.h"

/* The panels, in reading order: what the ELF holds, what the verifier did,
 * what the kernel keeps. */
static const char *const metrics[] = {
	"elf_code_bytes", "insn_cnt",	  "verified_insns", "total_states",
	"peak_states",	  "verify_usec",  "stack_depth",    "xlated_bytes",
	"jited_bytes",	  "jited_funcs",  "memlock_bytes",
};
#define NMETRICS (sizeof(metrics) / sizeof(metrics[0]))

/* x of a row on a log axis: the size axis starts at 0 units, so 1 + units. */
static double x_of(const struct sweep_row *r, bool shift)
{
	return (double)r->n + (shift ? 1.0 : 0.0);
}

static bool positive(const struct column *c, const struct sweep_row *r)
{
	double v = col_num(c, r);

	return !isnan(v) && v > 0;
}

/* One block per variant (gnuplot's `index`), rows by n, NaN where a metric
 * is unknown or not positive (a log axis has no place for 0). */
static void write_data(FILE *d, const struct sweep_row *rows, size_t n,
		       const struct sweep_series *s, const char *const *vs, size_t nv, bool shift)
{
	fprintf(d, "# sweep.csv, %s axis, style %s, attach %s: x", s->axis, s->style, s->attach);
	for (size_t m = 0; m < NMETRICS; m++)
		fprintf(d, " %s", metrics[m]);
	fprintf(d, "\n");
	for (size_t v = 0; v < nv; v++) {
		fprintf(d, "# variant %s\n", vs[v]);
		for (size_t i = 0; i < n; i++) {
			const struct sweep_row *r = &rows[i];

			if (!sweep_in_series(r, s) || strcmp(r->variant, vs[v]) || !sweep_row_ok(r))
				continue;
			fprintf(d, "%.0f", x_of(r, shift));
			for (size_t m = 0; m < NMETRICS; m++) {
				const struct column *c = rf_col(&sweep_csv, metrics[m]);

				if (positive(c, r))
					fprintf(d, " %.0f", col_num(c, r));
				else
					fprintf(d, " NaN");
			}
			fprintf(d, "\n");
		}
		fprintf(d, "\n\n"); /* next index */
	}
}

static bool panel_has_data(const struct sweep_row *rows, size_t n, const struct sweep_series *s,
			   const struct column *c)
{
	for (size_t i = 0; i < n; i++)
		if (sweep_in_series(&rows[i], s) && sweep_row_ok(&rows[i]) && positive(c, &rows[i]))
			return true;
	return false;
}

static void write_script(FILE *g, const char *name, const struct sweep_row *rows, size_t n,
			 const struct sweep_series *s, const char *const *vs, size_t nv, bool shift)
{
	char label[128], head[96];
	int axis = sweep_axis_parse(s->axis);

	sweep_series_label(label, sizeof(label), s);
	/* Larger than the preamble's image: twelve panels. */
	fprintf(g, "set terminal pngcairo size 1500,1050 font \"sans,9\" noenhanced\n"
		   "set output outfile\n"
		   "set multiplot layout 3,4 title \"%s: each metric against %s%s (log-log), one "
		   "line per variant\"\n"
		   "set key off\nset grid\nset logscale xy\nset format y \"%%.0s%%c\"\n"
		   "set xlabel \"%s%s\"\n",
		   label, shift ? "1 + " : "", sweep_axis_unit(axis), shift ? "1 + " : "",
		   sweep_axis_unit(axis));
	for (size_t m = 0; m < NMETRICS; m++) {
		const struct column *c = rf_col(&sweep_csv, metrics[m]);

		col_header(c, head, sizeof(head));
		fprintf(g, "set title \"%s\"\n", head);
		if (!panel_has_data(rows, n, s, c)) {
			fprintf(g, "unset logscale\nset label 1 \"no data\" at graph 0.5,0.5 center\n"
				   "plot [0:1][0:1] NaN notitle\nunset label 1\nset logscale xy\n");
			continue;
		}
		fprintf(g, "plot ");
		for (size_t v = 0; v < nv; v++)
			fprintf(g, "%s\"%s.dat\" index %zu using 1:%zu with linespoints lt %zu pt %zu "
				   "title \"%s\"",
				v ? ", \\\n     " : "", name, v, m + 2, v + 1, v + 1, vs[v]);
		fprintf(g, "\n");
	}
	/* The twelfth panel: the key. */
	fprintf(g, "unset logscale\nunset border\nunset tics\nunset xlabel\nunset title\n"
		   "set key center center vertical\nset yrange [0:1]\nplot ");
	for (size_t v = 0; v < nv; v++)
		fprintf(g, "%sNaN with linespoints lt %zu pt %zu title \"%s\"", v ? ", " : "", v + 1,
			v + 1, vs[v]);
	fprintf(g, "\nunset multiplot\n");
}

void sweep_chart(struct report *r, FILE *f, const struct sweep_row *rows, size_t n,
		 const struct sweep_series *s, const char *const *vs, size_t nv)
{
	char name[128], alt[192], label[128];
	char *dat = NULL, *gp = NULL;
	size_t dl = 0, gl = 0;
	bool shift = sweep_axis_parse(s->axis) == SWEEP_AXIS_SIZE;
	FILE *d, *g;

	snprintf(name, sizeof(name), "sweep-%s-%s-%s", s->axis, s->style, s->attach);
	sweep_series_label(label, sizeof(label), s);
	snprintf(alt, sizeof(alt), "%s, every metric against n, log-log", label);
	d = open_memstream(&dat, &dl);
	g = open_memstream(&gp, &gl);
	if (d && g) {
		write_data(d, rows, n, s, vs, nv, shift);
		write_script(g, name, rows, n, s, vs, nv, shift);
	}
	if (d)
		fclose(d);
	if (g)
		fclose(g);
	if (dat && gp)
		report_chart(r, f, name, alt, dat, gp);
	free(dat);
	free(gp);
}
