/* The sizes method's measuring core: load one variant in one attach mode and
 * turn what libelf, libbpf, bpf_prog_info and the verifier log say into
 * rows; optionally keep the full verifier logs and the code dumps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "base/util.h"
#include "kernel/elf_sizes.h"
#include "kernel/prog_info.h"
#include "kernel/verifier_log.h"
#include "methods/sizes.h"

/* A variant's objects as libelf sees them: its own and, when it has one,
 * its ext object (variants.def: ext). */
struct variant_elf {
	struct elf_sizes hooks, ext;
	bool have_ext;
};

static int variant_elf_read(const struct variant *v, struct variant_elf *ve, char *err, size_t len)
{
	const void *bytes;
	size_t size;

	memset(ve, 0, sizeof(*ve));
	bytes = v->elf_bytes(&size);
	if (elf_sizes_from_mem(bytes, size, &ve->hooks, err, len))
		return -1;
	if (!v->ext_elf_bytes)
		return 0;
	bytes = v->ext_elf_bytes(&size);
	if (elf_sizes_from_mem(bytes, size, &ve->ext, err, len)) {
		elf_sizes_free(&ve->hooks);
		return -1;
	}
	ve->have_ext = true;
	return 0;
}

static void variant_elf_free(struct variant_elf *ve)
{
	elf_sizes_free(&ve->hooks);
	if (ve->have_ext)
		elf_sizes_free(&ve->ext);
}

/* A row of one object (es), or with es NULL the TOTAL row over ve's objects
 * (ve may be NULL: unknown). */
static void row_init(const struct sizes_opts *o, const struct variant *v,
		     const struct attach_mode *m, const struct variant_elf *ve,
		     const struct elf_sizes *es, const char *program, struct sizes_rec *rec)
{
	struct sizes_row *r = &rec->row;

	rf_row_clear(&sizes_csv, r);
	snprintf(rec->program, sizeof(rec->program), "%s", program);
	rec->reason[0] = rec->func_lens[0] = '\0';
	r->kernel = kernel_release();
	r->variant = v->name;
	r->attach = m->name;
	r->program = rec->program;
	r->object = es ? (ve && es == &ve->ext ? "ext" : "hooks") : v->ext_elf_bytes ? "hooks+ext" : "hooks";
	r->output = output_mode_name(o->output);
	r->status = "ok";
	r->reason = rec->reason;
	r->verified_src = "";
	r->jited_func_lens = rec->func_lens;
	if (es) {
		r->elf_file_bytes = (int64_t)es->file_bytes;
		r->elf_btf_bytes = (int64_t)es->btf_bytes;
	} else if (ve) {
		r->elf_file_bytes = (int64_t)(ve->hooks.file_bytes + ve->ext.file_bytes);
		r->elf_btf_bytes = (int64_t)(ve->hooks.btf_bytes + ve->ext.btf_bytes);
	}
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

static void fill_program_row(struct sizes_rec *rec, const struct elf_sizes *es,
			     const struct loaded_prog *p, const struct prog_facts *f)
{
	struct sizes_row *r = &rec->row;
	struct verifier_stats st;

	r->elf_code_bytes = (int64_t)elf_sizes_func(es, p->name);
	r->insn_cnt = bpf_program__insn_cnt(p->prog);
	r->prog_id = f->id;
	r->xlated_bytes = f->xlated_bytes;
	r->jited_bytes = f->jited_bytes;
	r->jited_funcs = f->jited_funcs;
	r->memlock_bytes = (int64_t)f->memlock_bytes;
	prog_facts_func_lens(f, rec->func_lens, sizeof(rec->func_lens));
	memset(&st, 0, sizeof(st));
	verifier_log_parse(p->log, &st);
	if (f->verified_insns) {
		r->verified_insns = (int64_t)f->verified_insns;
		r->verified_src = "info";
	} else if (st.have & VS_PROCESSED) {
		r->verified_insns = st.processed_insns;
		r->verified_src = "log";
	}
	if (st.have & VS_TOTAL_STATES)
		r->total_states = st.total_states;
	if (st.have & VS_PEAK_STATES)
		r->peak_states = st.peak_states;
	if (st.have & VS_VERIFY_USEC)
		r->verify_usec = st.verify_usec;
	if (st.have & VS_STACK_DEPTH)
		r->stack_depth = st.stack_depth;
}

/* A TOTAL cell is known only if every program reported it. */
static void add(int64_t *a, int64_t b)
{
	if (*a >= 0)
		*a = b < 0 ? -1 : *a + b;
}

static void total_add(struct sizes_row *t, const struct sizes_row *r)
{
	int64_t *tf[] = {&t->elf_code_bytes, &t->insn_cnt,    &t->verified_insns, &t->total_states,
			 &t->peak_states,    &t->verify_usec, &t->xlated_bytes,	  &t->jited_bytes,
			 &t->jited_funcs,    &t->memlock_bytes};
	const int64_t rf[] = {r->elf_code_bytes, r->insn_cnt,	 r->verified_insns, r->total_states,
			      r->peak_states,	 r->verify_usec, r->xlated_bytes,   r->jited_bytes,
			      r->jited_funcs,	 r->memlock_bytes};

	for (size_t i = 0; i < sizeof(rf) / sizeof(rf[0]); i++)
		add(tf[i], rf[i]);
	if (r->stack_depth > t->stack_depth)
		t->stack_depth = r->stack_depth;
	if (!t->verified_src[0] || strcmp(t->verified_src, r->verified_src))
		t->verified_src = t->verified_src[0] ? "mixed" : r->verified_src;
}

/* The instruction-by-instruction log (level 2 | BPF_LOG_STATS: a successful
 * load keeps no level-1 log) from a load of its own: logging every
 * instruction slows verification, so the measured load keeps level 4 and its
 * verify_usec stays honest. */
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

void sizes_skipped_row(const struct sizes_opts *o, const struct variant *v,
		       const struct attach_mode *m, const char *why, struct sizes_rec *rec)
{
	struct variant_elf ve;
	char err[256];
	int have = !variant_elf_read(v, &ve, err, sizeof(err));

	row_init(o, v, m, have ? &ve : NULL, NULL, "TOTAL", rec);
	rec->row.status = "skipped";
	snprintf(rec->reason, sizeof(rec->reason), "%s", why);
	if (have)
		variant_elf_free(&ve);
}

int sizes_measure(const struct sizes_opts *o, const struct variant *v, const struct attach_mode *m,
		  struct sizes_rec *recs, int *n, struct loaded *l)
{
	struct load_opts lo = {.variant = v, .mode = m, .output = o->output, .log_level = 4};
	struct sizes_rec total;
	struct variant_elf ve;
	char err[256];
	int ok = 1;

	memset(l, 0, sizeof(*l));
	if (variant_elf_read(v, &ve, err, sizeof(err))) {
		row_init(o, v, m, NULL, NULL, "TOTAL", &recs[(*n)++]);
		recs[*n - 1].row.status = "failed";
		snprintf(recs[*n - 1].reason, sizeof(recs[*n - 1].reason), "ELF: %s", err);
		return 0;
	}
	row_init(o, v, m, &ve, NULL, "TOTAL", &total);
	total.row.elf_code_bytes = total.row.insn_cnt = total.row.verified_insns = 0;
	total.row.total_states = total.row.peak_states = total.row.verify_usec = 0;
	total.row.xlated_bytes = total.row.jited_bytes = total.row.jited_funcs = 0;
	total.row.memlock_bytes = total.row.stack_depth = 0;
	if (loader_load(&lo, l)) {
		for (int i = 0; i < l->nprogs; i++)
			save_text(o->logs_dir, v->name, m->name, l->progs[i].name, "log",
				  l->progs[i].log);
		row_init(o, v, m, &ve, NULL, "TOTAL", &recs[*n]);
		recs[*n].row.status = l->refused ? "skipped" : "failed";
		snprintf(recs[*n].reason, sizeof(recs[*n].reason), "%s", l->reason);
		(*n)++;
		if (o->logs_dir)
			save_full_logs(o, v, m);
		variant_elf_free(&ve);
		return 0;
	}
	for (int i = 0; i < l->nprogs; i++) {
		const struct loaded_prog *p = &l->progs[i];
		const struct elf_sizes *es = p->extension ? &ve.ext : &ve.hooks;
		struct sizes_rec *rec = &recs[(*n)++];
		struct prog_facts f;
		int err2 = prog_facts_get(p->fd, o->dump_dir != NULL, &f);

		row_init(o, v, m, &ve, es, p->name, rec);
		if (err2) {
			rec->row.status = "failed";
			snprintf(rec->reason, sizeof(rec->reason), "bpf_obj_get_info_by_fd failed");
			ok = 0;
		} else {
			fill_program_row(rec, es, p, &f);
		}
		save_text(o->logs_dir, v->name, m->name, p->name, "log", p->log);
		if (!err2 && o->dump_dir)
			dump_program(o->dump_dir, v->name, m->name, p->name, &f);
		total_add(&total.row, &rec->row);
		prog_facts_free(&f);
	}
	/* Subprograms in .text serve every program that calls them. */
	add(&total.row.elf_code_bytes, (int64_t)(ve.hooks.text_bytes + ve.ext.text_bytes));
	if (o->logs_dir)
		save_full_logs(o, v, m);
	if (!ok) {
		total.row.status = "failed";
		snprintf(total.reason, sizeof(total.reason), "program info unavailable");
	}
	recs[*n] = total;
	/* The copy's text fields must point into the copy, not the local. */
	recs[*n].row.program = recs[*n].program;
	recs[*n].row.reason = recs[*n].reason;
	recs[*n].row.jited_func_lens = recs[*n].func_lens;
	(*n)++;
	variant_elf_free(&ve);
	return ok;
}
