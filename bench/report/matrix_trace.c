/* The trace smoke tests of the VM job in the cross-kernel report: each
 * kernel directory's trace*.txt (the demo's lines) and trace*.err (what
 * trace said: attached, refused in the kernel's words, and at exit what the
 * hooks counted against what it received). trace.* is the demo's default;
 * trace-<variant>-<mode>.* a variant traced in one attach mode. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "base/mdtable.h"
#include "report/matrix.h"

/* Lines of path holding needle; -1 when unreadable. */
static long count_lines(const char *path, const char *needle)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	long n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, needle) != NULL;
	fclose(f);
	return n;
}

/* The line of path after prefix ("trace: "), without its newline. */
static bool find_line(const char *path, const char *needle, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	bool found = false;

	while (f && !found && fgets(line, sizeof(line), f))
		if ((found = strstr(line, needle) != NULL)) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(buf, len, "%.500s", strncmp(line, "trace: ", 7) ? line : line + 7);
		}
	if (f)
		fclose(f);
	return found;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_trace_err(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return !strncmp(e->d_name, "trace", 5) && n > 4 && !strcmp(e->d_name + n - 4, ".err");
}

void matrix_trace(const struct matrix *m, FILE *f)
{
	static const char *const head[] = {"kernel", "trace", ">lines", "what trace said at the end"};
	struct mdtable t;

	if (m->toolchains || md_init(&t, 4, head))
		return;
	for (size_t k = 0; k < m->nk; k++) {
		struct dirent **list = NULL;
		char dir[4096];
		int n;

		snprintf(dir, sizeof(dir), "%s/%s", m->dir, m->k[k].dir);
		n = scandir(dir, &list, is_trace_err, by_name);
		for (int i = 0; i < n; i++) {
			char err[4400], txt[4400], said[512] = "-", *dot;
			long lines;

			snprintf(err, sizeof(err), "%s/%s", dir, list[i]->d_name);
			snprintf(txt, sizeof(txt), "%s", err);
			if ((dot = strrchr(txt, '.')))
				strcpy(dot, ".txt");
			lines = count_lines(txt, "new tcp connection:");
			if (!find_line(err, "events received", said, sizeof(said)))
				find_line(err, "failed", said, sizeof(said));
			*strrchr(list[i]->d_name, '.') = '\0';
			md_cell(&t, "%s", m->k[k].label);
			md_cell(&t, "%s", list[i]->d_name);
			md_cell(&t, lines < 0 ? "-" : "%ld", lines);
			md_cell(&t, "%s", said);
			free(list[i]);
		}
		free(list);
	}
	if (md_rows(&t)) {
		fprintf(f, "## Trace smoke tests\n\n"
			   "In each VM: `trace` attached, then 20 loopback connections (40 opens): `trace` "
			   "is the demo's default variant, `trace-<variant>-<mode>` one variant in one attach "
			   "mode. Lines: the demo's lines printed; at the end trace says what it received "
			   "and what the hooks counted (equal: every open went through the handler), or why "
			   "the kernel refused it. The files are in each kernel's directory.\n\n");
		md_print(&t, f);
		fputc('\n', f);
	}
	md_free(&t);
}
