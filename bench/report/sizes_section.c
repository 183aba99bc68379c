/* The sizes method in the report: ELF object, verifier and kernel image
 * tables (TOTAL rows, columns chosen by the column table), the chart, what
 * was skipped or failed, every program, and the findings on code size. */
#include <stdlib.h>
#include <string.h>

#include "base/mdtable.h"
#include "kernel/variants.h"
#include "methods/sizes.h"
#include "report/report.h"
#include "report/sections.h"

#define MAX_AXIS 32

/* The rows of sizes.csv and its axes, in table order. */
struct sizes_view {
	const struct sizes_row *rows;
	size_t n;
	const char *variants[MAX_AXIS], *attaches[MAX_AXIS], *outputs[MAX_AXIS];
	size_t nv, na, no;
	const struct variant *ref; /* the reference variant (inline) */
};

static void add_axis(const char **list, size_t *n, const char *s)
{
	report_add_unique(list, n, MAX_AXIS, s);
}

static void view_of(const struct report *r, struct sizes_view *v)
{
	memset(v, 0, sizeof(*v));
	v->rows = run_rows(r->run, &sizes_csv, &v->n);
	for (size_t i = 0; i < v->n; i++) {
		add_axis(v->variants, &v->nv, v->rows[i].variant);
		add_axis(v->attaches, &v->na, v->rows[i].attach);
		add_axis(v->outputs, &v->no, v->rows[i].output);
	}
	/* variants.def order, whatever order the file has */
	for (size_t i = 1; i < v->nv; i++)
		for (size_t j = i; j > 0 && report_variant_rank(v->variants[j]) <
						report_variant_rank(v->variants[j - 1]); j--) {
			const char *t = v->variants[j];

			v->variants[j] = v->variants[j - 1];
			v->variants[j - 1] = t;
		}
	v->ref = variant_of_kind(VK_REFERENCE);
}

static bool is_total(const struct sizes_row *s)
{
	return !strcmp(s->program, "TOTAL");
}

static const struct sizes_row *total_of(const struct sizes_view *v, const char *variant,
					const char *attach, const char *output)
{
	for (size_t i = 0; i < v->n; i++)
		if (is_total(&v->rows[i]) && !strcmp(v->rows[i].variant, variant) &&
		    !strcmp(v->rows[i].attach, attach) && (!output || !strcmp(v->rows[i].output, output)))
			return &v->rows[i];
	return NULL;
}

static int nprograms(const struct sizes_view *v, const struct sizes_row *t)
{
	int n = 0;

	for (size_t i = 0; i < v->n; i++)
		n += !is_total(&v->rows[i]) && !strcmp(v->rows[i].variant, t->variant) &&
		     !strcmp(v->rows[i].attach, t->attach) && !strcmp(v->rows[i].output, t->output);
	return n;
}

static bool ok(const struct sizes_row *s)
{
	return s && !strcmp(s->status, "ok");
}

static bool skipped(const struct sizes_row *s)
{
	return !strcmp(s->status, "skipped");
}

struct group_table {
	enum metric_group group;
	const char *title;
	const char *headline; /* related to the reference variant */
	const char *intro;
};

static const struct group_table groups[] = {
	{MG_ELF, "ELF object", "elf_code_bytes",
	 "What clang and `bpftool gen object` produced. Per variant and attach mode, the TOTAL "
	 "over its programs."},
	{MG_VERIFIER, "Verifier", "verified_insns",
	 "What the verifier did to load the programs (TOTAL over them; stack is the maximum)."},
	{MG_IMAGE, "Kernel image", "jited_bytes",
	 "What the kernel keeps after loading: the rewritten (xlated) program and its JIT image; "
	 "each subprogram copy is JITed as a function of its own."},
};

/* A status column only when a row the tables show is not ok. */
static bool any_failed(const struct sizes_view *v)
{
	for (size_t i = 0; i < v->n; i++)
		if (!ok(&v->rows[i]) && !skipped(&v->rows[i]))
			return true;
	return false;
}

/* "Skipped here: fentry, kprobe (see ...)." under a table that left rows out. */
static void skipped_note(const struct sizes_view *v, FILE *f)
{
	int any = 0;

	for (size_t a = 0; a < v->na; a++) {
		const char *vars[MAX_AXIS];
		size_t nv = 0, nrows = 0, nskip = 0;

		for (size_t k = 0; k < v->nv; k++) {
			bool hit = false;

			for (size_t o = 0; o < v->no; o++) {
				const struct sizes_row *t =
					total_of(v, v->variants[k], v->attaches[a], v->outputs[o]);

				if (!t)
					continue;
				nrows++;
				if (skipped(t)) {
					nskip++;
					hit = true;
				}
			}
			if (hit)
				vars[nv++] = v->variants[k];
		}
		if (!nskip)
			continue;
		fprintf(f, "%s%s", any++ ? ", " : "Skipped here: ", v->attaches[a]);
		if (nskip < nrows) {
			for (size_t i = 0; i < nv; i++)
				fprintf(f, "%s%s", i ? ", " : " (", vars[i]);
			fputc(')', f);
		}
	}
	if (any)
		fprintf(f, " (see \"Skipped and failed\").\n\n");
}

/* The headline metric of a TOTAL row relative to the reference's. */
static void vs_ref(const struct sizes_view *v, const struct column *c, const struct sizes_row *t,
		   char *buf, size_t len)
{
	const struct sizes_row *base = v->ref ? total_of(v, v->ref->name, t->attach, t->output) : NULL;
	double a = base ? col_num(c, base) : NAN, b = col_num(c, t);

	if (base == t)
		snprintf(buf, len, "=");
	else if (isnan(a) || isnan(b))
		snprintf(buf, len, "-");
	else
		metric_fmt_diff(a, b, c->decimals, buf, len);
}

static int group_table(const struct sizes_view *v, const struct group_table *g, FILE *f)
{
	const char *head[32];
	char labels[32][72];
	const struct column *cols[24], *headline = rf_col(&sizes_csv, g->headline);
	int nh = 0, nc = 0;
	bool show_status = any_failed(v), show_output = v->no > 1;
	struct mdtable t;

	head[nh++] = "variant";
	head[nh++] = "attach";
	if (show_output)
		head[nh++] = "output";
	if (g->group == MG_ELF)
		head[nh++] = ">programs";
	for (int i = 0; i < sizes_csv.ncols && nc < 24; i++) {
		const struct column *c = &sizes_csv.cols[i];

		if (c->group != g->group || !c->in_report)
			continue;
		labels[nc][0] = '>';
		col_header(c, labels[nc] + 1, sizeof(labels[nc]) - 1);
		cols[nc] = c;
		head[nh++] = labels[nc++];
	}
	snprintf(labels[nc], sizeof(labels[nc]), ">%s vs %s", headline->label,
		 v->ref ? v->ref->name : "?");
	head[nh++] = labels[nc];
	if (show_status)
		head[nh++] = "status";
	if (md_init(&t, nh, head))
		return -1;
	for (size_t a = 0; a < v->na; a++)
		for (size_t o = 0; o < v->no; o++)
			for (size_t k = 0; k < v->nv; k++) {
				const struct sizes_row *row =
					total_of(v, v->variants[k], v->attaches[a], v->outputs[o]);
				char buf[96];

				if (!row || skipped(row))
					continue;
				md_cell(&t, "%s", row->variant);
				md_cell(&t, "%s", row->attach);
				if (show_output)
					md_cell(&t, "%s", row->output);
				if (g->group == MG_ELF)
					md_cell(&t, "%d", nprograms(v, row));
				for (int c = 0; c < nc; c++) {
					col_fmt(cols[c], row, buf, sizeof(buf));
					md_cell(&t, "%s", buf);
				}
				vs_ref(v, headline, row, buf, sizeof(buf));
				md_cell(&t, "%s", buf);
				if (show_status)
					md_cell(&t, "%s", row->status);
			}
	fprintf(f, "## %s\n\n%s\n\n", g->title, g->intro);
	int rc = md_print(&t, f);
	if (md_rows(&t))
		fputc('\n', f);
	md_free(&t);
	skipped_note(v, f);
	return rc;
}

/* ELF code vs xlated vs JIT bytes per variant, TOTAL rows at the primary
 * attach mode; failed ones stay, labelled. */
static void sizes_chart(struct report *r, const struct sizes_view *v, FILE *f)
{
	char *dat = NULL, *gp = NULL;
	size_t dl = 0, gl = 0;
	FILE *d = open_memstream(&dat, &dl), *g = open_memstream(&gp, &gl);
	int n = 0;

	if (!d || !g) {
		if (d)
			fclose(d);
		if (g)
			fclose(g);
		free(dat);
		free(gp);
		return;
	}
	fprintf(d, "# variant elf_code_bytes xlated_bytes jited_bytes (sizes.csv, TOTAL, attach %s)\n",
		r->attach);
	for (size_t k = 0; k < v->nv; k++) {
		const struct sizes_row *t = total_of(v, v->variants[k], r->attach, NULL);

		if (!t || skipped(t))
			continue;
		if (ok(t))
			fprintf(d, "\"%s\" %lld %lld %lld\n", t->variant, (long long)t->elf_code_bytes,
				(long long)t->xlated_bytes, (long long)t->jited_bytes);
		else
			fprintf(d, "\"%s (failed)\" NaN NaN NaN\n", t->variant);
		n++;
	}
	fprintf(g, "set title \"Code size per variant at %s (all programs)\"\n"
		   "set ylabel \"bytes\"\n"
		   "set style data histograms\n"
		   "set style histogram clustered gap 1\n"
		   "set style fill solid 0.85 border -1\n"
		   "set yrange [0:*]\n"
		   "set offsets 0, 0, graph 0.08, 0\n"
		   "# Three bars per cluster, each 1/(3+gap) wide: labels at -0.25, 0, +0.25.\n"
		   "plot \"sizes.dat\" using 2:xtic(1) title \"ELF code\", \\\n"
		   "     \"\" using 3 title \"xlated\", \\\n"
		   "     \"\" using 4 title \"JIT\", \\\n"
		   "     \"\" using ($0-0.25):2:(sprintf(\"%%.0f\",$2)) with labels offset 0,0.7 "
		   "font \",8\" notitle, \\\n"
		   "     \"\" using ($0):3:(sprintf(\"%%.0f\",$3)) with labels offset 0,0.7 font \",8\" "
		   "notitle, \\\n"
		   "     \"\" using ($0+0.25):4:(sprintf(\"%%.0f\",$4)) with labels offset 0,0.7 font "
		   "\",8\" notitle\n",
		r->attach);
	fclose(d);
	fclose(g);
	if (n)
		report_chart(r, f, "sizes", "code size per variant", dat, gp);
	else
		fprintf(f, "(code size per variant: no rows at %s)\n\n", r->attach);
	free(dat);
	free(gp);
}

/* A TOTAL row repeats its programs' reasons; listed only when no program
 * row explains it (e.g. a mode skipped as a whole). */
static bool explained(const struct sizes_view *v, const struct sizes_row *t)
{
	for (size_t i = 0; i < v->n; i++)
		if (&v->rows[i] != t && !ok(&v->rows[i]) && !is_total(&v->rows[i]) &&
		    !strcmp(v->rows[i].variant, t->variant) && !strcmp(v->rows[i].attach, t->attach))
			return true;
	return false;
}

static int failures_table(const struct report *r, const struct sizes_view *v, FILE *f)
{
	static const char *const head[] = {"variant", "attach", "program", "status", "reason", "log"};
	struct mdtable t;
	int rc;

	if (md_init(&t, 6, head))
		return -1;
	for (size_t i = 0; i < v->n; i++) {
		const struct sizes_row *s = &v->rows[i];
		char log[512];

		if (ok(s) || (is_total(s) && explained(v, s)))
			continue;
		/* A load that failed as a whole names its program first
		 * ("tp_active: Caller passes ..."): link that program's log. */
		const char *prog = s->program;
		char named[64];
		size_t len = strcspn(s->reason, ": ");
		if (is_total(s) && len && len < sizeof(named) && !strncmp(s->reason + len, ": ", 2)) {
			snprintf(named, sizeof(named), "%.*s", (int)len, s->reason);
			prog = named;
		}
		snprintf(log, sizeof(log), "verifier/%s-%s-%s.log", s->variant, s->attach, prog);
		md_cell(&t, "%s", s->variant);
		md_cell(&t, "%s", s->attach);
		md_cell(&t, "%s", s->program);
		md_cell(&t, "%s", s->status);
		md_cell(&t, "%s", *s->reason ? s->reason : "(none given)");
		if (run_has(r->run, log))
			md_cell(&t, "[log](%s)", log);
		else
			md_cell(&t, "-");
	}
	fprintf(f, "## Skipped and failed\n\n");
	if (!md_rows(&t))
		fprintf(f, "Every variant loaded in every attach mode measured.\n");
	rc = md_flush(&t, f);
	return rc;
}

static int programs_table(const struct sizes_view *v, FILE *f)
{
	static const char *const show[] = {"elf_code_bytes", "insn_cnt",    "verified_insns",
					   "stack_depth",    "xlated_bytes", "jited_bytes",
					   "jited_funcs"};
	const size_t ns = sizeof(show) / sizeof(show[0]);
	const char *head[12] = {"variant", "attach", "program"};
	char labels[8][72];
	int nh = 3;
	struct mdtable t;

	for (size_t c = 0; c < ns; c++) {
		labels[c][0] = '>';
		col_header(rf_col(&sizes_csv, show[c]), labels[c] + 1, sizeof(labels[c]) - 1);
		head[nh++] = labels[c];
	}
	head[nh++] = "status";
	if (md_init(&t, nh, head))
		return -1;
	for (size_t i = 0; i < v->n; i++) {
		const struct sizes_row *s = &v->rows[i];
		char buf[64];

		if (is_total(s))
			continue;
		md_cell(&t, "%s", s->variant);
		md_cell(&t, "%s", s->attach);
		md_cell(&t, "%s", s->program);
		for (size_t c = 0; c < ns; c++) {
			col_fmt(rf_col(&sizes_csv, show[c]), s, buf, sizeof(buf));
			md_cell(&t, "%s", buf);
		}
		md_cell(&t, "%s", s->status);
	}
	fprintf(f, "<details><summary>Every program (sizes.csv without the TOTAL rows)</summary>\n\n");
	int rc = md_print(&t, f);
	md_free(&t);
	fprintf(f, "\n</details>\n\n");
	return rc;
}

int report_sizes(struct report *r, FILE *f)
{
	struct sizes_view v;
	int rc = 0;

	view_of(r, &v);
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		rc |= group_table(&v, &groups[i], f);
		if (groups[i].group == MG_ELF)
			sizes_chart(r, &v, f);
	}
	rc |= failures_table(r, &v, f);
	rc |= programs_table(&v, f);
	return rc;
}

/* ---- findings ---- */

/* "608 bytes (29.46%) smaller" from a to b; the table shows "-608 (-29.46%)". */
static void change(const struct column *c, double a, double b, char *buf, size_t len)
{
	char diff[32], pct[32];

	metric_diff_cells(a, b, c->decimals, diff, pct, sizeof(diff));
	if (a == b)
		snprintf(buf, len, "the same size");
	else
		snprintf(buf, len, "%s %s (%s) %s", diff + 1, c->unit, pct[0] ? pct + 1 : "N/A",
			 b < a ? "smaller" : "larger");
}

/* ELF code vs kernel image of the first call variant against the reference:
 * the classic surprise is that they move in opposite directions. */
static void code_vs_image(struct findings *fs, const struct sizes_view *v)
{
	const struct variant *call = variant_of_kind(VK_CALL);
	const struct sizes_row *a, *b;
	const char *img = "jited_bytes";
	char code[96], image[96], why[256] = "";

	if (!v->ref || !call)
		return;
	a = total_of(v, v->ref->name, fs->r->attach, NULL);
	b = total_of(v, call->name, fs->r->attach, NULL);
	if (!ok(a) || !ok(b) || a->elf_code_bytes < 0 || b->elf_code_bytes < 0)
		return;
	if (a->jited_bytes < 0 || b->jited_bytes < 0)
		img = "xlated_bytes"; /* JIT off or not reported */
	const struct column *ci = rf_col(&sizes_csv, img), *cc = rf_col(&sizes_csv, "elf_code_bytes");
	double ia = col_num(ci, a), ib = col_num(ci, b);
	if (isnan(ia) || isnan(ib))
		return;
	change(cc, (double)a->elf_code_bytes, (double)b->elf_code_bytes, code, sizeof(code));
	change(ci, ia, ib, image, sizeof(image));
	bool opposite = (b->elf_code_bytes < a->elf_code_bytes && ib > ia) ||
			(b->elf_code_bytes > a->elf_code_bytes && ib < ia);
	int na = nprograms(v, a), nb = nprograms(v, b);
	/* More JITed functions than programs: each program got its own copy of
	 * the subprogram (libbpf appends one to every caller). */
	if (b->jited_funcs > nb && a->jited_funcs <= na && nb > 0)
		snprintf(why, sizeof(why),
			 ": its %d programs hold %lld JITed functions (%s's: %lld), because libbpf "
			 "appends a copy of the subprogram to each program that calls it",
			 nb, (long long)b->jited_funcs, a->variant, (long long)a->jited_funcs);
	say(fs, "At %s, %s's ELF code is %s than %s's, %s its %s image is %s%s.", fs->r->attach,
	    b->variant, code, a->variant, opposite ? "but" : "and",
	    strcmp(img, "jited_bytes") ? "xlated" : "JIT", image, why);
}

/* Load failures, one sentence per reason (at most two), then the modes every
 * variant was skipped at in one sentence, since that is the kernel's
 * configuration, not the variant. The table has the rest. */
static void failures(struct findings *fs, const struct sizes_view *v)
{
	static const char *const status[] = {"failed", "skipped"};
	const char *all_skipped[MAX_AXIS];
	size_t nall = 0;
	int said = 0, left = 0;
	char vs[512], ms[256];
	unsigned char *done = calloc(v->n ? v->n : 1, 1);

	if (!done)
		return;
	for (size_t s = 0; s < 2; s++)
		for (size_t i = 0; i < v->n; i++) {
			const struct sizes_row *t = &v->rows[i];
			const char *vars[MAX_AXIS], *modes[MAX_AXIS];
			size_t nv = 0, nm = 0, pairs = 0;

			if (done[i] || strcmp(t->status, status[s]) || !is_total(t))
				continue;
			for (size_t j = i; j < v->n; j++) {
				const struct sizes_row *u = &v->rows[j];

				if (!is_total(u) || strcmp(u->status, status[s]) ||
				    strcmp(u->reason, t->reason))
					continue;
				done[j] = 1;
				pairs++;
				add_axis(vars, &nv, u->variant);
				add_axis(modes, &nm, u->attach);
			}
			if (s == 1 && nv == v->nv && nv > 1) {
				for (size_t m = 0; m < nm; m++)
					add_axis(all_skipped, &nall, modes[m]);
				continue;
			}
			if (said == 2 || pairs != nv * nm) { /* not a clean cross product */
				left++;
				continue;
			}
			report_join(vars, nv, vs, sizeof(vs));
			report_join(modes, nm, ms, sizeof(ms));
			say(fs, "At %s %s %s%s%s%s.", ms, vs,
			    s == 0 ? "failed to load" : nv > 1 ? "were skipped" : "was skipped",
			    *t->reason ? ": `" : " (no reason recorded)", t->reason, *t->reason ? "`" : "");
			said++;
		}
	free(done);
	if (nall) {
		report_join(all_skipped, nall, ms, sizeof(ms));
		say(fs, "Every variant was skipped at %s (the kernel's reasons are under \"Skipped and "
			"failed\").", ms);
	}
	if (left)
		say(fs, "More variants and modes were skipped or failed: see \"Skipped and failed\".");
}

static void verifier(struct findings *fs, const struct sizes_view *v)
{
	const struct sizes_row *lo = NULL, *hi = NULL;
	int n = 0;

	for (size_t k = 0; k < v->nv; k++) {
		const struct sizes_row *t = total_of(v, v->variants[k], fs->r->attach, NULL);
		const struct variant *var = report_variant(v->variants[k]);

		if (!ok(t) || t->verified_insns < 0 || (var && var->kind == VK_BASELINE))
			continue;
		lo = !lo || t->verified_insns < lo->verified_insns ? t : lo;
		hi = !hi || t->verified_insns > hi->verified_insns ? t : hi;
		n++;
	}
	if (n < 2 || lo->verified_insns == hi->verified_insns)
		return;
	say(fs, "At %s the verifier processed the fewest instructions for %s (%lld) and the most "
		"for %s (%lld).",
	    fs->r->attach, lo->variant, (long long)lo->verified_insns, hi->variant,
	    (long long)hi->verified_insns);
}

void findings_sizes(struct findings *fs)
{
	struct sizes_view v;

	view_of(fs->r, &v);
	if (!v.n)
		return;
	code_vs_image(fs, &v);
	failures(fs, &v);
	verifier(fs, &v);
}
