/* bpf2bpf-bench sizes: the static costs of every variant × attach mode — ELF
 * bytes, instructions given to the kernel, verifier work, xlated and JIT image
 * sizes — one CSV row per program and one TOTAL row per variant × mode. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "cli/commands.h"
#include "base/csv.h"
#include "kernel/elf_sizes.h"
#include "kernel/loader.h"
#include "base/metrics.h"
#include "kernel/prog_info.h"
#include "base/util.h"
#include "kernel/verifier_log.h"

/* The columns come from the one schema table (bench/metrics.c); emit_row()
 * writes them in that order. */
#define SIZES_FILE "sizes.csv"

struct sizes_opts {
	unsigned char variants[64];
	const struct attach_mode *only_mode; /* NULL: all modes */
	enum output_mode output;
	const char *out;
	const char *logs_dir;
	const char *dump_dir;
	bool table;
	bool hold;
	bool auto_mode; /* --attach auto: probed after the privilege check */
};

/* One row's numbers; -1 means "not available" and prints as an empty cell. */
struct row {
	const char *program;
	int64_t code, insn_cnt, verified, total_states, peak_states, verify_usec, stack;
	int64_t xlated, jited, jited_funcs, memlock, prog_id;
	const char *status, *reason, *verified_src;
	char func_lens[128];
};

static void row_init(struct row *r, const char *program)
{
	memset(r, 0, sizeof(*r));
	r->program = program;
	r->code = r->insn_cnt = r->verified = r->total_states = r->peak_states = -1;
	r->verify_usec = r->stack = r->xlated = r->jited = r->jited_funcs = -1;
	r->memlock = r->prog_id = -1;
	r->status = "ok";
	r->reason = r->verified_src = "";
}

static void cell(struct csv_writer *w, int64_t v)
{
	if (v < 0)
		csv_empty(w);
	else
		csv_i64(w, v);
}

static void emit_row(struct csv_writer *w, const struct sizes_opts *o, const char *variant,
		     const char *mode, const struct elf_sizes *es, const struct row *r)
{
	csv_str(w, kernel_release());
	csv_str(w, variant);
	csv_str(w, mode);
	csv_str(w, r->program);
	csv_u64(w, es->file_bytes);
	cell(w, r->code);
	csv_u64(w, es->btf_bytes);
	cell(w, r->insn_cnt);
	cell(w, r->verified);
	cell(w, r->total_states);
	cell(w, r->peak_states);
	cell(w, r->verify_usec);
	cell(w, r->stack);
	cell(w, r->xlated);
	cell(w, r->jited);
	cell(w, r->jited_funcs);
	cell(w, r->memlock);
	csv_str(w, r->status);
	csv_str(w, r->reason);
	csv_str(w, output_mode_name(o->output));
	cell(w, r->prog_id);
	csv_str(w, r->verified_src);
	csv_str(w, r->func_lens);
	csv_end_row(w);
}

/* A TOTAL cell is known only if every program reported it. */
static void add(int64_t *a, int64_t b)
{
	if (*a >= 0)
		*a = b < 0 ? -1 : *a + b;
}

static void save_text(const char *dir, const char *variant, const char *mode, const char *prog,
		      const char *ext, const char *text)
{
	char path[4096];

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/%s-%s-%s.%s", dir, variant, mode, prog, ext);
	if (write_file(path, text, strlen(text)))
		fprintf(stderr, "sizes: cannot write %s\n", path);
}

/* The translated program with source lines (bpftool) and a disassembly of the
 * JIT image (objdump), so a reader can see where bytes went. */
static void dump_program(const char *dir, const char *variant, const char *mode, const char *prog,
			 const struct prog_facts *f)
{
	char path[4096], bin[4096], id[16];
	int rc;

	snprintf(id, sizeof(id), "%u", f->id);
	snprintf(path, sizeof(path), "%s/%s-%s-%s.xlated.txt", dir, variant, mode, prog);
	rc = run_to_file((char *const[]){"bpftool", "prog", "dump", "xlated", "id", id, "linum", NULL},
			 path);
	if (rc)
		fprintf(stderr, "sizes: bpftool prog dump xlated id %s: %s\n", id,
			rc < 0 ? strerror(-rc) : "failed (see the file)");
	if (!f->jited_image)
		return;
	snprintf(bin, sizeof(bin), "%s/%s-%s-%s.jited.bin", dir, variant, mode, prog);
	snprintf(path, sizeof(path), "%s/%s-%s-%s.jited.txt", dir, variant, mode, prog);
	if (write_file(bin, f->jited_image, f->jited_bytes))
		return;
#if defined(__x86_64__)
	rc = run_to_file((char *const[]){"objdump", "-D", "-b", "binary", "-m", "i386:x86-64", bin,
					 NULL},
			 path);
	if (rc)
		fprintf(stderr, "sizes: objdump of %s: %s\n", bin, rc < 0 ? strerror(-rc) : "failed");
	else
		remove(bin);
#endif
}

static void fill_program_row(struct row *r, const struct elf_sizes *es, const struct loaded_prog *p,
			     const struct prog_facts *f)
{
	struct verifier_stats st;

	r->code = (int64_t)elf_sizes_func(es, p->name);
	r->insn_cnt = bpf_program__insn_cnt(p->prog);
	r->prog_id = f->id;
	r->xlated = f->xlated_bytes;
	r->jited = f->jited_bytes;
	r->jited_funcs = f->jited_funcs;
	r->memlock = (int64_t)f->memlock_bytes;
	prog_facts_func_lens(f, r->func_lens, sizeof(r->func_lens));
	memset(&st, 0, sizeof(st));
	verifier_log_parse(p->log, &st);
	if (f->verified_insns) {
		r->verified = (int64_t)f->verified_insns;
		r->verified_src = "info";
	} else if (st.have & VS_PROCESSED) {
		r->verified = st.processed_insns;
		r->verified_src = "log";
	}
	if (st.have & VS_TOTAL_STATES)
		r->total_states = st.total_states;
	if (st.have & VS_PEAK_STATES)
		r->peak_states = st.peak_states;
	if (st.have & VS_VERIFY_USEC)
		r->verify_usec = st.verify_usec;
	if (st.have & VS_STACK_DEPTH)
		r->stack = st.stack_depth;
}

static void total_add(struct row *t, const struct row *r)
{
	int64_t *tf[] = {&t->code,	  &t->insn_cnt,	   &t->verified, &t->total_states,
			 &t->peak_states, &t->verify_usec, &t->xlated,	 &t->jited,
			 &t->jited_funcs, &t->memlock};
	const int64_t rf[] = {r->code,	      r->insn_cnt,    r->verified, r->total_states,
			      r->peak_states, r->verify_usec, r->xlated,   r->jited,
			      r->jited_funcs, r->memlock};

	for (size_t i = 0; i < sizeof(rf) / sizeof(rf[0]); i++)
		add(tf[i], rf[i]);
	if (r->stack > t->stack)
		t->stack = r->stack;
	if (!t->verified_src[0] || strcmp(t->verified_src, r->verified_src))
		t->verified_src = t->verified_src[0] ? "mixed" : r->verified_src;
}

/* The instruction-by-instruction log (level 2 | BPF_LOG_STATS: a successful
 * load keeps no level-1 log) from a load of
 * its own: logging every instruction slows verification, so the measured
 * load keeps level 4 and its verify_usec stays honest. */
static void save_full_logs(const struct sizes_opts *o, const struct variant *v,
			   const struct attach_mode *m)
{
	struct load_opts lo = {.variant = v, .mode = m, .output = o->output, .log_level = 2 | 4};
	struct loaded l;

	loader_load(&lo, &l); /* failing is fine: the log says why */
	for (int i = 0; i < l.nprogs; i++)
		if (l.progs[i].log[0])
			save_text(o->logs_dir, v->name, m->name, l.progs[i].name, "log",
				  l.progs[i].log);
	loader_unload(&l);
}

/* Load one variant in one mode and write its rows; the object stays loaded in
 * *l for --hold. Returns 1 when its TOTAL is ok, 0 otherwise. */
static int measure(struct csv_writer *w, const struct sizes_opts *o, const struct variant *v,
		   const struct attach_mode *m, const struct elf_sizes *es, struct loaded *l)
{
	struct load_opts lo = {.variant = v, .mode = m, .output = o->output, .log_level = 4};
	struct row total, r;
	int ok = 1;

	row_init(&total, "TOTAL");
	total.code = total.insn_cnt = total.verified = total.total_states = 0;
	total.peak_states = total.verify_usec = total.xlated = total.jited = 0;
	total.jited_funcs = total.memlock = total.stack = 0;
	if (loader_load(&lo, l)) {
		for (int i = 0; i < l->nprogs; i++)
			save_text(o->logs_dir, v->name, m->name, l->progs[i].name, "log",
				  l->progs[i].log);
		row_init(&total, "TOTAL");
		total.status = "failed";
		total.reason = l->reason;
		emit_row(w, o, v->name, m->name, es, &total);
		if (o->logs_dir)
			save_full_logs(o, v, m);
		return 0;
	}
	for (int i = 0; i < l->nprogs; i++) {
		const struct loaded_prog *p = &l->progs[i];
		struct prog_facts f;
		int err = prog_facts_get(p->fd, o->dump_dir != NULL, &f);

		row_init(&r, p->name);
		if (err) {
			r.status = "failed";
			r.reason = "bpf_obj_get_info_by_fd failed";
			ok = 0;
		} else {
			fill_program_row(&r, es, p, &f);
		}
		save_text(o->logs_dir, v->name, m->name, p->name, "log", p->log);
		if (!err && o->dump_dir)
			dump_program(o->dump_dir, v->name, m->name, p->name, &f);
		emit_row(w, o, v->name, m->name, es, &r);
		total_add(&total, &r);
		prog_facts_free(&f);
	}
	/* Subprograms in .text serve every program that calls them. */
	add(&total.code, (int64_t)es->text_bytes);
	if (o->logs_dir)
		save_full_logs(o, v, m);
	if (!ok) {
		total.status = "failed";
		total.reason = "program info unavailable";
	}
	emit_row(w, o, v->name, m->name, es, &total);
	return ok;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bpf2bpf-bench sizes [options]\n\n"
		"Load every variant in every attach mode this kernel accepts (without\n"
		"attaching) and write its static costs as CSV: one row per program and one\n"
		"program=TOTAL row per variant x mode. Modes the kernel refuses are rows with\n"
		"status=skipped, variants the verifier rejects status=failed, with the\n"
		"kernel's own words in `reason`.\n\n"
		"  --variant LIST   comma-separated variants, or all (default)\n"
		"  --attach MODE    all (default), auto, or one mode\n"
		"  --output MODE    ringbuf (default), ringbuf-nowakeup, perfbuf, none:\n"
		"                   the output branch the verifier keeps\n"
		"  -o, --out FILE   write the CSV to FILE (atomically) instead of stdout\n"
		"  --format F       csv (default) or table (human-readable)\n"
		"  --logs DIR       keep each program's full verifier log (level 2, from a\n"
		"                   separate load so verify_usec is not inflated) in DIR\n"
		"  --dump DIR       keep each program's xlated code with source lines\n"
		"                   (bpftool) and its JIT disassembly (objdump) in DIR\n"
		"  --hold           keep all programs loaded after writing, until stdin\n"
		"                   closes (to cross-check prog_id rows with bpftool)\n"
		"  -v, --verbose    libbpf's messages on stderr\n"
		"  -h, --help\n\n");
	attach_modes_print_valid(f);
	variants_print_valid(f);
}

static int parse_args(int argc, char **argv, struct sizes_opts *o)
{
	static const struct option longopts[] = {
		{"variant", required_argument, 0, 'V'}, {"attach", required_argument, 0, 'a'},
		{"output", required_argument, 0, 'O'},	{"out", required_argument, 0, 'o'},
		{"format", required_argument, 0, 'f'},	{"logs", required_argument, 0, 'L'},
		{"dump", required_argument, 0, 'D'},	{"hold", no_argument, 0, 'H'},
		{"verbose", no_argument, 0, 'v'},	{"help", no_argument, 0, 'h'},
		{0, 0, 0, 0},
	};
	const char *attach = "all", *vlist = "all";
	int c, out;

	memset(o, 0, sizeof(*o));
	o->output = OUTPUT_RINGBUF;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'V': vlist = optarg; break;
		case 'a': attach = optarg; break;
		case 'O':
			if ((out = output_mode_parse(optarg)) < 0) {
				fprintf(stderr, "sizes: unknown output mode '%s'; valid: ringbuf, "
						"ringbuf-nowakeup, perfbuf, none\n", optarg);
				return 2;
			}
			o->output = (enum output_mode)out;
			break;
		case 'o': o->out = optarg; break;
		case 'f':
			if (strcmp(optarg, "csv") && strcmp(optarg, "table")) {
				fprintf(stderr, "sizes: unknown format '%s'; valid: csv, table\n", optarg);
				return 2;
			}
			o->table = !strcmp(optarg, "table");
			break;
		case 'L': o->logs_dir = optarg; break;
		case 'D': o->dump_dir = optarg; break;
		case 'H': o->hold = true; break;
		case 'v': loader_set_verbose(true); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "sizes: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (variant_select(vlist, o->variants))
		return 2;
	if (strcmp(attach, "all") && strcmp(attach, "auto") && !(o->only_mode = attach_mode_find(attach))) {
		fprintf(stderr, "sizes: unknown attach mode '%s'; ", attach);
		attach_modes_print_valid(stderr);
		return 2;
	}
	o->auto_mode = !strcmp(attach, "auto");
	return -1;
}

/* The human view: the columns a reader scans first. */
static int print_table(const char *csv_path)
{
	static const char *const show[] = {"variant", "attach", "program", "status", "elf_code_bytes",
					   "insn_cnt", "verified_insns", "xlated_bytes",
					   "jited_bytes", "jited_funcs", "reason"};
	static const int widths[] = {9, 10, 15, 7, 14, 8, 14, 12, 11, 11, 0};
	const int n = (int)(sizeof(show) / sizeof(show[0]));
	struct csv_table t;
	char err[512];
	int col[16];

	if (csv_read(csv_path, &t, err, sizeof(err))) {
		fprintf(stderr, "sizes: %s\n", err);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		col[i] = csv_col(&t, show[i]);
		printf("%-*s ", widths[i], show[i]);
	}
	printf("\n");
	for (size_t r = 0; r < t.nrows; r++) {
		for (int i = 0; i < n; i++)
			printf("%-*s ", widths[i], csv_get(&t, r, col[i]));
		printf("\n");
	}
	csv_free(&t);
	return 0;
}

/* Which modes work here, probed once with the empty baseline. */
static void probe_modes(const struct sizes_opts *o, bool *works, char (*reason)[LOADER_REASON_LEN])
{
	for (size_t i = 0; i < nattach_modes; i++) {
		works[i] = false;
		if (o->only_mode && o->only_mode != &attach_modes[i])
			continue;
		fprintf(stderr, "sizes: probing %s ...\n", attach_modes[i].name);
		works[i] = loader_mode_works(&attach_modes[i], reason[i], LOADER_REASON_LEN);
	}
}

/* Every selected variant × mode; returns the number of failed TOTAL rows. */
static int measure_all(struct csv_writer *w, const struct sizes_opts *o, const bool *works,
		       char (*reason)[LOADER_REASON_LEN], struct loaded *held, int *nheld)
{
	int failures = 0;

	for (size_t vi = 0; vi < nvariants; vi++) {
		const struct variant *v = &variants[vi];
		struct elf_sizes es;
		const void *bytes;
		size_t size;
		char err[256];

		if (!o->variants[vi])
			continue;
		bytes = v->elf_bytes(&size);
		if (elf_sizes_from_mem(bytes, size, &es, err, sizeof(err))) {
			fprintf(stderr, "sizes: %s: %s\n", v->name, err);
			failures++;
			continue;
		}
		for (size_t mi = 0; mi < nattach_modes; mi++) {
			const struct attach_mode *m = &attach_modes[mi];
			struct loaded l;
			struct row total;
			char why[LOADER_REASON_LEN + 64];

			if (o->only_mode && o->only_mode != m)
				continue;
			if (!works[mi]) {
				row_init(&total, "TOTAL");
				total.status = "skipped";
				snprintf(why, sizeof(why), "kernel refused %s at %s", m->name,
					 reason[mi]);
				total.reason = why;
				emit_row(w, o, v->name, m->name, &es, &total);
				continue;
			}
			fprintf(stderr, "sizes: %s @ %s\n", v->name, m->name);
			if (!measure(w, o, v, m, &es, &l))
				failures++;
			if (o->hold && l.obj)
				held[(*nheld)++] = l;
			else
				loader_unload(&l);
		}
		elf_sizes_free(&es);
	}
	return failures;
}

/* Keep everything loaded until stdin reaches EOF (a test runs bpftool
 * meanwhile). Nothing is pinned: the kernel frees it all when we exit. */
static void hold_until_eof(int nheld)
{
	char buf[256];

	fprintf(stderr, "sizes: holding %d loaded objects until stdin closes\n", nheld);
	while (fread(buf, 1, sizeof(buf), stdin) > 0)
		;
}

int cmd_sizes(int argc, char **argv)
{
	struct sizes_opts o;
	struct csv_writer w;
	struct loaded *held = NULL;
	char (*reason)[LOADER_REASON_LEN] = calloc(nattach_modes, LOADER_REASON_LEN);
	bool works[16];
	char table_tmp[] = "/tmp/bpf2bpf-sizes-XXXXXX.csv";
	const char *problem, *out_path;
	int rc, nheld = 0, failures;

	rc = parse_args(argc, argv, &o);
	if (rc >= 0 || !reason) {
		free(reason);
		return rc >= 0 ? rc : 1;
	}
	if ((problem = loader_privilege_problem())) {
		fprintf(stderr, "sizes: %s\n", problem);
		free(reason);
		return 1;
	}
	if (o.auto_mode && !(o.only_mode = loader_probe_auto(stderr))) {
		fprintf(stderr, "sizes: no attach mode loads on this kernel\n");
		free(reason);
		return 1;
	}
	out_path = o.out;
	if (o.table) {
		int fd = mkstemps(table_tmp, 4);

		if (fd < 0) {
			perror("sizes: mkstemps");
			free(reason);
			return 1;
		}
		close(fd);
		out_path = table_tmp;
	}
	if (o.logs_dir && mkdir_p(o.logs_dir))
		fprintf(stderr, "sizes: cannot create %s\n", o.logs_dir);
	if (o.dump_dir && mkdir_p(o.dump_dir))
		fprintf(stderr, "sizes: cannot create %s\n", o.dump_dir);
	if ((rc = csv_open(&w, out_path, metrics_file(SIZES_FILE)->cols,
			   metrics_file(SIZES_FILE)->ncols))) {
		fprintf(stderr, "sizes: cannot write %s: %s\n", out_path ? out_path : "stdout",
			strerror(-rc));
		free(reason);
		return 1;
	}
	held = calloc(nvariants * nattach_modes, sizeof(*held));
	probe_modes(&o, works, reason);
	failures = measure_all(&w, &o, works, reason, held, &nheld);
	rc = csv_close(&w);
	if (rc)
		fprintf(stderr, "sizes: writing %s failed: %s\n", out_path ? out_path : "stdout",
			strerror(-rc));
	if (!rc && o.table)
		rc = print_table(table_tmp);
	if (o.table)
		remove(table_tmp);
	if (o.hold)
		hold_until_eof(nheld);
	for (int i = 0; i < nheld; i++)
		loader_unload(&held[i]);
	free(held);
	free(reason);
	if (failures)
		fprintf(stderr, "sizes: %d variant x mode combinations failed (see status/reason)\n",
			failures);
	return rc ? 1 : 0;
}
