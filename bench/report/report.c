/* `bpf2bpf-bench report DIR`: DIR/report.md and DIR/charts/ from the run's
 * files alone (no kernel access), one section per method of the method
 * table. The same files give the same report byte for byte: nothing in it
 * comes from the clock or the environment. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/atomic_file.h"
#include "base/mdtable.h"
#include "base/run_env.h"
#include "kernel/variants.h"
#include "methods/method.h"
#include "report/report.h"

void say(struct findings *fs, const char *fmt, ...)
{
	va_list ap;

	fputs("- ", fs->f);
	va_start(ap, fmt);
	vfprintf(fs->f, fmt, ap);
	va_end(ap);
	fputc('\n', fs->f);
	fs->n++;
}

const struct variant *report_variant(const char *name)
{
	return variant_find(name);
}

const char *report_noun(const char *name)
{
	const struct variant *v = variant_find(name);

	return v ? v->noun : name;
}

int report_variant_rank(const char *name)
{
	const struct variant *v = variant_find(name);

	return v ? (int)(v - variants) : (int)nvariants;
}

void report_add_unique(const char **list, size_t *n, size_t max, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(list[i], s))
			return;
	if (*s && *n < max)
		list[(*n)++] = s;
}

void report_join(const char *const *items, size_t n, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					!i ? "" : i + 1 == n ? " and " : ", ", items[i]);
}

void report_ci(double lo, double hi, int decimals, char *buf, size_t len)
{
	char a[32], b[32];

	if (isnan(lo) || isnan(hi)) {
		snprintf(buf, len, "-");
		return;
	}
	metric_fmt_num(lo, decimals, a, sizeof(a));
	metric_fmt_num(hi, decimals, b, sizeof(b));
	snprintf(buf, len, "[%s, %s]", a, b);
}

static const char *or(const char *v, const char *dflt)
{
	return v && *v ? v : dflt;
}

static void context(const struct report *r, FILE *f)
{
	const struct run_facts *e = &r->run->env;

	fprintf(f, "# bpf2bpf-bench: %s on %s\n\n", or(e->kernel, "unknown kernel"),
		or(e->host, "unknown host"));
	fprintf(f, "Kernel %s, timing %s, %s grid; BPF objects by %s, -mcpu=%s, %s; libbpf %s "
		   "(linked; package %s; headers %s); %s CPU(s) %s; run of %s. Primary attach mode: "
		   "%s.\n\n",
		or(e->kernel, "?"), or(e->timing, "?"), or(e->grid, "?"), or(e->clang, "clang ?"),
		or(e->bpf_cpu, "?"), or(e->bpftool, "bpftool ?"), or(e->libbpf, "?"),
		or(e->libbpf_package, "?"), or(e->libbpf_headers, "?"), or(e->cpus, "?"),
		or(e->cpu_model, ""),
		or(e->started_utc, "?"), or(r->attach, "?"));
	fprintf(f, "CPU vulnerabilities (not \"Not affected\"): %s. Kernel command line "
		   "mitigations=%s. Times from this host hold for this host: another CPU or another "
		   "mitigation state can change them.\n\n",
		or(e->cpu_vulnerabilities, "none"), or(e->mitigations, "(default)"));
	if (e->complete && !strcmp(e->complete, "0"))
		fprintf(f, "> This run was interrupted (complete=0): what it did not reach is "
			   "missing.\n\n");
	if (e->failed_steps && *e->failed_steps)
		fprintf(f, "> Steps that failed in this run: %s.\n\n", e->failed_steps);
}

static int findings(struct report *r, FILE *f)
{
	struct findings fs = {r, f, 0};

	fprintf(f, "## Findings\n\n");
	if (r->run->env.timing && !strcmp(r->run->env.timing, "emulated"))
		say(&fs, "Timing is emulated (a TCG guest): the times below measure the emulator, not "
			 "the CPU; sizes and verifier figures are unaffected.");
	for (size_t i = 0; i < r->methods->n; i++)
		if (r->methods->m[i].findings)
			r->methods->m[i].findings(&fs);
	if (fs.n == (r->run->env.timing && !strcmp(r->run->env.timing, "emulated")))
		fprintf(f, "- Nothing to compare: the rows the findings need are missing (see the "
			   "tables and the file list).\n");
	fputc('\n', f);
	return ferror(f) ? -1 : 0;
}

static bool method_ran(const struct run *run, const struct method *m)
{
	for (size_t f = 0; m->files && m->files[f]; f++)
		if (run_raw(run, m->files[f]))
			return true;
	return false;
}

static int sections(struct report *r, FILE *f)
{
	int rc = 0;

	for (size_t i = 0; i < r->methods->n; i++) {
		const struct method *m = &r->methods->m[i];

		if (!method_ran(r->run, m))
			continue;
		if (m->report) {
			rc |= m->report(r, f);
			continue;
		}
		for (size_t k = 0; m->files[k]; k++)
			if (run_raw(r->run, m->files[k]))
				rc |= report_generic(r, f, m->files[k]);
	}
	return rc;
}

static int files(const struct report *r, FILE *f)
{
	static const char *const head[] = {"file", "state"};
	static const char *const dirs[][2] = {{"env.txt", "kernel options, sysctls, every CPU "
							  "vulnerability, toolchain"},
					      {"verifier", "verifier logs"},
					      {"dumps", "xlated code and JIT disassembly"},
					      {"charts", "the charts' data, scripts and images"}};
	struct mdtable t;
	int rc;

	if (md_init(&t, 2, head))
		return -1;
	for (size_t i = 0; i < r->run->ntables; i++) {
		const struct run_table *tab = &r->run->tables[i];

		md_cell(&t, "%s", tab->def->name);
		if (tab->present)
			md_cell(&t, "%zu rows", tab->raw.nrows);
		else
			md_cell(&t, "absent (written by %s)", tab->def->written_by);
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		md_cell(&t, "%s%s", dirs[i][0], strchr(dirs[i][0], '.') ? "" : "/");
		md_cell(&t, "%s: %s", run_has(r->run, dirs[i][0]) ? "present" : "absent", dirs[i][1]);
	}
	fprintf(f, "## Files\n\n");
	rc = md_print(&t, f);
	md_free(&t);
	fprintf(f, "\nRegenerate this report with `bpf2bpf-bench report DIR`; every column is "
		   "described by `bpf2bpf-bench report --columns`.\n");
	return rc;
}

static int write_report(struct report *r, FILE *f)
{
	int rc = 0;

	context(r, f);
	rc |= findings(r, f);
	rc |= sections(r, f);
	rc |= files(r, f);
	return rc;
}

int report_dir(const char *dir, const struct method_set *ms, bool charts)
{
	struct run run;
	struct report r = {.run = &run, .methods = ms, .charts = charts};
	char err[1024], *buf = NULL, *path = NULL;
	size_t len = 0;
	FILE *f;
	int rc = 1;

	if (run_open(&run, dir, ms, true, err, sizeof(err))) {
		fprintf(stderr, "report: %s\n", err);
		return 2;
	}
	r.attach = run.env.attach ? run.env.attach : "";
	f = open_memstream(&buf, &len);
	if (!f)
		goto out;
	/* Built in memory, then published atomically: a failure at any point
	 * leaves the previous report.md (or none), never half of one. */
	int bad = write_report(&r, f);
	bad |= fclose(f) != 0;
	if (bad || r.chart_err[0]) {
		fprintf(stderr, "report: %s\n", r.chart_err[0] ? r.chart_err : "could not format it");
		goto out;
	}
	if (asprintf(&path, "%s/report.md", dir) < 0)
		goto out;
	int werr = af_write(path, buf, len);
	if (werr) {
		fprintf(stderr, "report: %s: %s\n", path, strerror(-werr));
		goto out;
	}
	rc = 0;
out:
	free(buf);
	free(path);
	run_close(&run);
	return rc;
}

void report_print_columns(const struct method_set *ms, FILE *f)
{
	const struct result_file *rfs[RUN_MAX_FILES];
	size_t n = method_files(ms, rfs, RUN_MAX_FILES);

	run_env_print_keys(f);
	for (size_t i = 0; i < n; i++)
		rf_print_columns(rfs[i], f);
}
