/* The report's charts, drawn by gnuplot: for each chart a .dat (the
 * numbers), a .gp (the script: `cd charts && gnuplot NAME.gp` redraws it) and
 * the .png, all in DIR/charts/. Not drawing a chart is not an error (gnuplot
 * may be absent, or --no-charts): the report says why in its place. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/atomic_file.h"
#include "base/util.h"
#include "report/report.h"

/* pngcairo: antialiased and what gnuplot-nox ships; noenhanced keeps the
 * underscores of tp_btf from turning into subscripts. The section's script
 * follows. */
static const char preamble[] = "# Regenerate: cd charts && gnuplot %s.gp\n"
			       "if (!exists(\"outfile\")) outfile = \"%s.png\"\n"
			       "set terminal pngcairo size 960,540 font \"sans,11\" noenhanced\n"
			       "set output outfile\n"
			       "set grid ytics\n"
			       "set key below\n";

/* Run gnuplot in dir on name.gp, drawing name.png.tmp, then rename: a failed
 * drawing never leaves a stale-looking image. */
static int draw(const char *dir, const char *name, char *note, size_t notelen)
{
	char out[512], gp[256], from[4200], to[4200];
	int status, null;
	pid_t pid;

	snprintf(out, sizeof(out), "outfile='%s.png.tmp'", name);
	snprintf(gp, sizeof(gp), "%s.gp", name);
	snprintf(from, sizeof(from), "%.4000s/%.100s.png.tmp", dir, name);
	snprintf(to, sizeof(to), "%.4000s/%.100s.png", dir, name);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(note, notelen, "chart not drawn: fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		null = open("/dev/null", O_WRONLY);
		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		if (chdir(dir))
			_exit(126);
		execlp("gnuplot", "gnuplot", "-e", out, gp, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;

		snprintf(note, notelen, "chart not drawn: %s; charts/%s.gp has the script",
			 code == 127 ? "gnuplot is not installed" : "gnuplot failed", name);
		unlink(from);
		return -1;
	}
	if (rename(from, to)) {
		snprintf(note, notelen, "chart not drawn: charts/%s.png: %s", name, strerror(errno));
		return -1;
	}
	return 0;
}

void report_chart(struct report *r, FILE *f, const char *name, const char *alt, const char *dat,
		  const char *gp)
{
	char dir[4096], path[4200], note[300], *script = NULL;
	int err;

	if (!r->charts) {
		fprintf(f, "(%s: charts not drawn (--no-charts))\n\n", alt);
		return;
	}
	snprintf(dir, sizeof(dir), "%s/charts", r->run->path);
	if ((err = mkdir_p(dir)) || asprintf(&script, preamble, name, name) < 0) {
		snprintf(r->chart_err, sizeof(r->chart_err), "%.180s: %s", dir,
			 strerror(err ? -err : ENOMEM));
		return;
	}
	snprintf(path, sizeof(path), "%s/%s.dat", dir, name);
	err = af_write(path, dat, strlen(dat));
	if (!err) {
		char *whole = NULL;

		snprintf(path, sizeof(path), "%s/%s.gp", dir, name);
		if (asprintf(&whole, "%s%s", script, gp) < 0)
			err = -ENOMEM;
		else
			err = af_write(path, whole, strlen(whole));
		free(whole);
	}
	free(script);
	if (err) {
		snprintf(r->chart_err, sizeof(r->chart_err), "%.180s: %s", path, strerror(-err));
		return;
	}
	if (draw(dir, name, note, sizeof(note)))
		fprintf(f, "(%s: %s)\n\n", alt, note);
	else
		fprintf(f, "![%s](charts/%s.png)\n\n", alt, name);
}
