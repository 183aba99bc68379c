/* The report's charts, drawn by gnuplot: for each chart a .dat (the numbers),
 * a .gp (the script; `cd charts && gnuplot sizes.gp` redraws it) and the
 * .png, all in DIR/charts/. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/metrics.h"
#include "report/report.h"
#include "base/util.h"

/* pngcairo: antialiased and what gnuplot-nox ships; noenhanced keeps the
 * underscores of tp_btf from turning into subscripts. */
static const char preamble[] =
	"if (!exists(\"outfile\")) outfile = \"%s.png\"\n"
	"set terminal pngcairo size 960,540 font \"sans,11\" noenhanced\n"
	"set output outfile\n"
	"set style data histograms\n"
	"set style fill solid 0.85 border -1\n"
	"set boxwidth 0.9\n"
	"set grid ytics\n"
	"set key below\n"
	"set offsets 0, 0, graph 0.08, 0\n"
	"set yrange [0:*]\n"
	"set xtics nomirror\n";

/* The script's common head; the caller adds title, style and plot. */
static FILE *script_start(char **gp, size_t *glen, const char *name)
{
	FILE *g = open_memstream(gp, glen);

	if (g) {
		fprintf(g, "# Regenerate: cd charts && gnuplot %s.gp\n", name);
		fprintf(g, preamble, name);
	}
	return g;
}

static int save(const char *dir, const char *name, char *buf, size_t len, char *err, size_t errlen)
{
	char path[4096];
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	rc = write_file(path, buf, len);
	if (rc)
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
	return rc ? -1 : 0;
}

/* Run gnuplot in dir on name.gp, drawing name.png.tmp, then rename: a
 * failed drawing never leaves a stale-looking image. */
static int draw(const char *dir, const char *name, char *note, size_t notelen)
{
	char out[512], gp[256], from[4096], to[4096];
	int status, null;
	pid_t pid;

	snprintf(out, sizeof(out), "outfile='%s.png.tmp'", name);
	snprintf(gp, sizeof(gp), "%s.gp", name);
	pid = fork();
	if (pid < 0) {
		snprintf(note, notelen, "chart not drawn: fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, 1);
		if (chdir(dir))
			_exit(126);
		execlp("gnuplot", "gnuplot", "-e", out, gp, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;

		snprintf(note, notelen, "chart not drawn: %s; charts/%s.gp has the script",
			 code == 127 ? "gnuplot is not installed" : "gnuplot failed", name);
		snprintf(from, sizeof(from), "%s/%s.png.tmp", dir, name);
		unlink(from);
		return -1;
	}
	snprintf(from, sizeof(from), "%s/%s.png.tmp", dir, name);
	snprintf(to, sizeof(to), "%s/%s.png", dir, name);
	if (rename(from, to)) {
		snprintf(note, notelen, "chart not drawn: charts/%s.png: %s", name, strerror(errno));
		return -1;
	}
	return 0;
}

static void dat_num(FILE *f, double v)
{
	char buf[64];

	if (isnan(v))
		fputs(" NaN", f);
	else {
		metric_fmt_num(v, 2, buf, sizeof(buf));
		fprintf(f, " %s", buf);
	}
}

/* (a) ELF code vs xlated vs JIT bytes per variant, TOTAL rows at the
 * primary attach mode. Skipped rows are left out as in the tables (an empty
 * cluster would say nothing); failed ones stay, labelled. */
static int sizes_files(const struct report *r, char **dat, size_t *dlen, char **gp, size_t *glen)
{
	static const char *const cols[] = {"elf_code_bytes", "xlated_bytes", "jited_bytes"};
	FILE *d = open_memstream(dat, dlen), *g;
	int n = 0;

	if (!d)
		return -1;
	fprintf(d, "# variant elf_code_bytes xlated_bytes jited_bytes (sizes.csv, TOTAL, attach %s)\n",
		r->attach);
	for (size_t v = 0; v < r->nvariants; v++) {
		long row = report_total(r, r->variants[v], r->attach, r->size_output);
		int ok = row >= 0 && !strcmp(report_cell(r->sizes, row, "status"), "ok");

		if (row < 0 || !strcmp(report_cell(r->sizes, row, "status"), "skipped"))
			continue;
		fprintf(d, "\"%s%s\"", r->variants[v], ok ? "" : " (failed)");
		for (size_t c = 0; c < 3; c++)
			dat_num(d, ok ? report_num(r->sizes, row, cols[c]) : NAN);
		fputc('\n', d);
		n++;
	}
	fclose(d);
	g = script_start(gp, glen, "sizes");
	if (!g)
		return -1;
	fprintf(g, "set title \"Code size per variant at %s (all programs)\"\n"
		   "set ylabel \"bytes\"\n"
		   "set style histogram clustered gap 1\n"
		   "# Three bars per cluster, each 1/(3+gap) wide: labels sit at -0.25, 0, +0.25.\n"
		   "plot \"sizes.dat\" using 2:xtic(1) title \"ELF code\", \\\n"
		   "     \"\" using 3 title \"xlated\", \\\n"
		   "     \"\" using 4 title \"JIT\", \\\n"
		   "     \"\" using ($0-0.25):2:(sprintf(\"%%.0f\",$2)) with labels offset 0,0.7 font \",8\" notitle, \\\n"
		   "     \"\" using ($0):3:(sprintf(\"%%.0f\",$3)) with labels offset 0,0.7 font \",8\" notitle, \\\n"
		   "     \"\" using ($0+0.25):4:(sprintf(\"%%.0f\",$4)) with labels offset 0,0.7 font \",8\" notitle\n",
		r->attach);
	fclose(g);
	return n;
}

/* (b) ns per event with its 95% CI per variant, one bar per output. */
static int overhead_files(const struct report *r, char **dat, size_t *dlen, char **gp, size_t *glen)
{
	const char *outs[REPORT_MAX_AXIS];
	size_t nouts = 0;
	double ymin = INFINITY, ymax = 0;
	FILE *d, *g;
	int n = 0;

	for (size_t i = 0; i < r->overhead->nrows && nouts < REPORT_MAX_AXIS; i++) {
		const char *o = report_cell(r->overhead, i, "output");
		size_t k = 0;

		if (strcmp(report_cell(r->overhead, i, "attach"), r->attach) ||
		    !strcmp(report_cell(r->overhead, i, "variant"), "none"))
			continue;
		while (k < nouts && strcmp(outs[k], o))
			k++;
		if (k == nouts)
			outs[nouts++] = o;
	}
	d = open_memstream(dat, dlen);
	if (!d)
		return -1;
	fprintf(d, "# variant, then per output: ns_per_event ci_low ci_high (overhead.csv, attach %s)\n#",
		r->attach);
	for (size_t o = 0; o < nouts; o++)
		fprintf(d, " %s", outs[o]);
	fputc('\n', d);
	for (size_t v = 0; v < r->nvariants; v++) {
		int any = 0;

		for (size_t o = 0; o < nouts; o++)
			any |= report_overhead(r, r->variants[v], r->attach, outs[o]) >= 0;
		if (!any)
			continue;
		fprintf(d, "\"%s\"", r->variants[v]);
		for (size_t o = 0; o < nouts; o++) {
			long row = report_overhead(r, r->variants[v], r->attach, outs[o]);

			double y = row < 0 ? NAN : report_num(r->overhead, row, "ns_per_event");
			double lo = row < 0 ? NAN : report_num(r->overhead, row, "ci_low");
			double hi = row < 0 ? NAN : report_num(r->overhead, row, "ci_high");

			dat_num(d, y);
			dat_num(d, lo);
			dat_num(d, hi);
			lo = isnan(lo) ? y : lo;
			hi = isnan(hi) ? y : hi;
			ymin = isnan(lo) || lo >= ymin ? ymin : lo;
			ymax = isnan(hi) || hi <= ymax ? ymax : hi;
		}
		fputc('\n', d);
		n++;
	}
	fclose(d);
	g = script_start(gp, glen, "overhead");
	if (!g)
		return -1;
	/* Outputs differ by orders of magnitude (perfbuf vs none): a linear axis
	 * would flatten the cheap ones to nothing. */
	int logy = ymin > 0 && ymax / ymin > 20;
	if (logy)
		fprintf(g, "set logscale y\nset offsets 0, 0, 0, 0\nset yrange [%g:%g]\n",
			pow(10, floor(log10(ymin))), pow(10, ceil(log10(ymax))));
	fprintf(g, "set title \"Time per event at %s (median, 95%% CI%s)\"\n"
		   "set ylabel \"ns per event\"\n"
		   "set style histogram errorbars gap 1 lw 1\n"
		   "plot",
		r->attach, logy ? "; log scale" : "");
	for (size_t o = 0; o < nouts; o++)
		fprintf(g, "%s \"overhead.dat\" using %zu:%zu:%zu%s title \"%s\"", o ? ", \\\n    " : "",
			2 + 3 * o, 3 + 3 * o, 4 + 3 * o, o ? "" : ":xtic(1)", outs[o]);
	fputc('\n', g);
	fclose(g);
	return nouts ? n : 0;
}

static int chart(struct report *r, enum report_chart c, const char *dir, const char *name,
		 char *err, size_t errlen)
{
	char *dat = NULL, *gp = NULL, file[64];
	size_t dlen = 0, glen = 0;
	int n, rc = 0;

	n = c == CHART_SIZES ? sizes_files(r, &dat, &dlen, &gp, &glen)
			     : overhead_files(r, &dat, &dlen, &gp, &glen);
	if (n < 0) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
	} else if (n == 0) {
		snprintf(r->chart_note[c], sizeof(r->chart_note[c]), "no chart: no rows at %s",
			 r->attach);
	} else {
		snprintf(file, sizeof(file), "%s.dat", name);
		rc = save(dir, file, dat, dlen, err, errlen);
		snprintf(file, sizeof(file), "%s.gp", name);
		if (!rc)
			rc = save(dir, file, gp, glen, err, errlen);
		if (!rc && !draw(dir, name, r->chart_note[c], sizeof(r->chart_note[c])))
			r->chart[c] = c == CHART_SIZES ? "charts/sizes.png" : "charts/overhead.png";
	}
	free(dat);
	free(gp);
	return rc;
}

int charts_draw(struct report *r, char *err, size_t errlen)
{
	char dir[4096];
	int rc;

	snprintf(dir, sizeof(dir), "%s/charts", r->rd->path);
	rc = mkdir_p(dir);
	if (rc) {
		snprintf(err, errlen, "%s: %s", dir, strerror(-rc));
		return -1;
	}
	if (chart(r, CHART_SIZES, dir, "sizes", err, errlen))
		return -1;
	if (!r->overhead) {
		snprintf(r->chart_note[CHART_OVERHEAD], sizeof(r->chart_note[CHART_OVERHEAD]),
			 "no chart: no overhead.csv");
		return 0;
	}
	return chart(r, CHART_OVERHEAD, dir, "overhead", err, errlen);
}
