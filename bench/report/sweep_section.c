/* The sweep method in the report: what was swept, every crossover and first
 * refusal in words, the refusals with the verifier's words, and per axis a
 * log-log chart and the table of every point (sweep.csv). */
#include <ctype.h>
#include <string.h>

#include "base/mdtable.h"
#include "methods/sweep_findings.h"
#include "report/report.h"
#include "report/sections.h"
#include "report/sweep_section.h"

#define MAX_SERIES 64
#define MAX_VARIANTS 32

/* The per-point table's numbers, in the order the charts show them. */
static const char *const point_cols[] = {
	"elf_code_bytes", "insn_cnt",	  "verified_insns", "total_states", "peak_states",
	"stack_depth",	  "xlated_bytes", "jited_bytes",    "jited_funcs",  "memlock_bytes",
	"verify_usec",
};
#define NPOINT_COLS (sizeof(point_cols) / sizeof(point_cols[0]))

static void line_to_list(void *user, const char *line)
{
	fprintf(user, "- %s\n", line);
}

static void intro(FILE *f, const struct sweep_row *rows, size_t n)
{
	size_t refused = 0, range = 0, ncpus = 0;
	const char *cpus[8];
	char cpu[64];

	for (size_t i = 0; i < n; i++) {
		refused += !strcmp(rows[i].status, SWEEP_ST_REFUSED);
		range += !strcmp(rows[i].status, SWEEP_ST_BRANCH_RANGE);
		report_add_unique(cpus, &ncpus, 8, rows[i].bpf_cpu);
	}
	report_join(cpus, ncpus, cpu, sizeof(cpu));
	fprintf(f, "## Scaling sweep\n\n"
		   "Where inlining breaks the verifier and where a real call saves: the handler, "
		   "generated from bpf/handler.bpf.h into one object per variant and shape, is "
		   "called at n sites of one program (calls), in a bounded loop of n trips (loop), "
		   "in a bpf_loop callback run n times (bpf_loop), from n programs of one object "
		   "(progs), and with n extra units of work (size, 2 call sites). Each point is "
		   "loaded, never attached (%s grid, %zu points, BPF objects built with -mcpu %s "
		   "(bpf_cpu column); "
		   "%zu refused by the kernel, %zu past the 16-bit branch range). `call` says how "
		   "the programs reach the handler, read from the object: inlined, static "
		   "(verified at every call site), global (verified once) or tail. verify time is "
		   "one load's: indicative only.\n\n",
		n ? rows[0].grid : "?", n, ncpus ? cpu : "?", refused, range);
	if (range)
		fprintf(f, "> Rows marked branch-range come from a program whose own function has "
			   "more than %d instructions, built for a BPF CPU before v4: its branches "
			   "carry 16-bit offsets, and clang 14 wraps longer ones without a word "
			   "(clang 19 refuses to compile them). What the kernel said about such a "
			   "build is about a broken program, not about the verifier's limits.\n\n",
			SWEEP_BRANCH_RANGE_INSNS);
}

static int refusals_table(FILE *f, const struct sweep_row *rows, size_t n,
			  const struct sweep_series *series, size_t ns)
{
	static const char *const head[] = {"axis",	  "style",	   "attach",
					   "variant",	  "call",	   ">loads up to",
					   ">refused at", ">processed insns", "class",
					   "the kernel's words"};
	struct mdtable t;
	int rc;

	if (md_init(&t, 10, head))
		return -1;
	for (size_t i = 0; i < ns; i++) {
		const char *vs[MAX_VARIANTS];
		size_t nv = sweep_variants_of(rows, n, &series[i], vs, MAX_VARIANTS);

		for (size_t v = 0; v < nv; v++) {
			struct sweep_refusal r;
			const char *call = "";

			sweep_first_refusal(rows, n, &series[i], vs[v], &r);
			if (!r.found && !r.branch_range)
				continue;
			for (size_t k = 0; k < n; k++)
				if (sweep_in_series(&rows[k], &series[i]) && !strcmp(rows[k].variant, vs[v]))
					call = rows[k].call;
			md_cell(&t, "%s", series[i].axis);
			md_cell(&t, "%s", series[i].style);
			md_cell(&t, "%s", series[i].attach);
			md_cell(&t, "%s", vs[v]);
			md_cell(&t, "%s", call);
			if (r.have_last_ok || (r.branch_range && r.any_ok))
				md_cell(&t, "%lld", (long long)r.last_ok);
			else
				md_cell(&t, "-");
			if (r.found) {
				md_cell(&t, "%lld", (long long)r.n);
				md_cell(&t, "%lld", (long long)r.verified_insns);
				md_cell(&t, "%s", sweep_refusal_kind_name(r.kind));
				if (*r.log)
					md_cell(&t, "%s ([log](%s))", r.reason, r.log);
				else
					md_cell(&t, "%s", r.reason);
			} else {
				md_cell(&t, "%lld", (long long)r.branch_range_n);
				md_cell(&t, "-");
				md_cell(&t, "branch range");
				md_cell(&t, "not the verifier: %lld insns in one function",
					(long long)r.branch_range_insns);
			}
		}
	}
	fprintf(f, "### First refusals\n\n");
	if (!md_rows(&t))
		fprintf(f, "No variant was refused at any point tried.\n\n");
	rc = md_print(&t, f);
	if (md_rows(&t))
		fputc('\n', f);
	md_free(&t);
	return rc;
}

/* Every point of series s: variants in table order, n ascending (the file's
 * order within a variant). */
static int points_table(FILE *f, const struct sweep_row *rows, size_t n,
			const struct sweep_series *s, const char *const *vs, size_t nv)
{
	const char *head[8 + NPOINT_COLS];
	char labels[NPOINT_COLS][72];
	int nh = 0, rc;
	bool pruned = false;
	struct mdtable t;

	for (size_t i = 0; i < n; i++)
		pruned |= sweep_in_series(&rows[i], s) && rows[i].built_n != rows[i].n;
	head[nh++] = ">n";
	head[nh++] = "variant";
	head[nh++] = "call";
	head[nh++] = "status";
	if (pruned)
		head[nh++] = ">built n";
	for (size_t c = 0; c < NPOINT_COLS; c++) {
		labels[c][0] = '>';
		col_header(rf_col(&sweep_csv, point_cols[c]), labels[c] + 1, sizeof(labels[c]) - 1);
		head[nh++] = labels[c];
	}
	if (md_init(&t, nh, head))
		return -1;
	for (size_t v = 0; v < nv; v++)
		for (size_t i = 0; i < n; i++) {
			const struct sweep_row *r = &rows[i];
			char buf[64];

			if (!sweep_in_series(r, s) || strcmp(r->variant, vs[v]))
				continue;
			md_cell(&t, "%lld", (long long)r->n);
			md_cell(&t, "%s", r->variant);
			md_cell(&t, "%s", r->call);
			md_cell(&t, "%s", r->status);
			if (pruned)
				md_cell(&t, "%lld", (long long)r->built_n);
			for (size_t c = 0; c < NPOINT_COLS; c++) {
				col_fmt(rf_col(&sweep_csv, point_cols[c]), r, buf, sizeof(buf));
				md_cell(&t, "%s", buf);
			}
		}
	fprintf(f, "<details><summary>Every point (%zu variants)%s</summary>\n\n", nv,
		pruned ? "; built n: the sites compiled in, those from n on switched off at load "
			 "time and pruned by the verifier (no ELF or loaded-insn figure)"
		       : "");
	rc = md_print(&t, f);
	fprintf(f, "\n</details>\n\n");
	md_free(&t);
	return rc;
}

int report_sweep(struct report *r, FILE *f)
{
	size_t n, ns;
	const struct sweep_row *rows = run_rows(r->run, &sweep_csv, &n);
	struct sweep_series series[MAX_SERIES];
	int rc = 0;

	if (!rows)
		return 0;
	ns = sweep_series_of(rows, n, series, MAX_SERIES);
	intro(f, rows, n);
	fprintf(f, "### Crossovers and first refusals\n\n");
	if (!sweep_findings(rows, n, line_to_list, f))
		fprintf(f, "- The rows support no comparison.\n");
	fputc('\n', f);
	rc |= refusals_table(f, rows, n, series, ns);
	for (int axis = 0; axis < SWEEP_AXIS__N; axis++) {
		bool titled = false;

		for (size_t i = 0; i < ns; i++) {
			const char *vs[MAX_VARIANTS];
			char label[128];
			size_t nv;

			if (strcmp(series[i].axis, sweep_axis_name(axis)))
				continue;
			if (!titled)
				fprintf(f, "### %c%s (%s)\n\n", toupper(sweep_axis_unit(axis)[0]),
					sweep_axis_unit(axis) + 1, sweep_axis_name(axis));
			titled = true;
			sweep_series_label(label, sizeof(label), &series[i]);
			fprintf(f, "%c%s.\n\n", toupper(label[0]), label + 1);
			nv = sweep_variants_of(rows, n, &series[i], vs, MAX_VARIANTS);
			sweep_chart(r, f, rows, n, &series[i], vs, nv);
			rc |= points_table(f, rows, n, &series[i], vs, nv);
		}
	}
	return rc;
}

static void line_to_findings(void *user, const char *line)
{
	say(user, "%s", line);
}

void findings_sweep(struct findings *fs)
{
	size_t n;
	const struct sweep_row *rows = run_rows(fs->r->run, &sweep_csv, &n);

	if (rows && n)
		sweep_key_findings(rows, n, line_to_findings, fs);
}
