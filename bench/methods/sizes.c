/* bpf2bpf-bench sizes: the static costs of every variant x attach mode, one
 * CSV row per program and one TOTAL row per variant x mode (sizes.h). Modes
 * the kernel refuses are skipped rows, variants the verifier rejects failed
 * rows, both with the kernel's own words. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "methods/method.h"
#include "kernel/session.h"
#include "methods/sizes.h"

struct sizes_cmd {
	struct sizes_opts o;
	const char *out;
	bool table, hold, auto_mode;
};

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

static int parse_args(int argc, char **argv, struct sizes_cmd *c)
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
	int ch, out;

	memset(c, 0, sizeof(*c));
	c->o.output = OUTPUT_RINGBUF;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'V': vlist = optarg; break;
		case 'a': attach = optarg; break;
		case 'O':
			if ((out = output_mode_parse(optarg)) < 0) {
				fprintf(stderr, "sizes: unknown output mode '%s'; ", optarg);
				outputs_print_valid(stderr);
				return 2;
			}
			c->o.output = (enum output_mode)out;
			break;
		case 'o': c->out = optarg; break;
		case 'f':
			if (strcmp(optarg, "csv") && strcmp(optarg, "table")) {
				fprintf(stderr, "sizes: unknown format '%s'; valid: csv, table\n", optarg);
				return 2;
			}
			c->table = !strcmp(optarg, "table");
			break;
		case 'L': c->o.logs_dir = optarg; break;
		case 'D': c->o.dump_dir = optarg; break;
		case 'H': c->hold = true; break;
		case 'v': loader_set_verbose(true); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "sizes: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (variant_select(vlist, c->o.variants))
		return 2;
	if (strcmp(attach, "all") && strcmp(attach, "auto") &&
	    !(c->o.only_mode = attach_mode_find(attach))) {
		fprintf(stderr, "sizes: unknown attach mode '%s'; ", attach);
		attach_modes_print_valid(stderr);
		return 2;
	}
	c->auto_mode = !strcmp(attach, "auto");
	return -1;
}

/* The human view: the columns a reader scans first. */
static void print_table(const struct sizes_rec *recs, int n)
{
	static const char *const show[] = {"variant", "attach", "program", "object", "status",
					   "elf_code_bytes", "insn_cnt", "verified_insns",
					   "xlated_bytes", "jited_bytes", "jited_funcs", "reason"};
	static const int widths[] = {9, 10, 15, 9, 7, 14, 8, 14, 12, 11, 11, 0};
	const size_t ns = sizeof(show) / sizeof(show[0]);
	char buf[64];

	for (size_t i = 0; i < ns; i++)
		printf("%-*s ", widths[i], show[i]);
	printf("\n");
	for (int r = 0; r < n; r++) {
		for (size_t i = 0; i < ns; i++)
			printf("%-*s ", widths[i],
			       col_cell(rf_col(&sizes_csv, show[i]), &recs[r].row, buf, sizeof(buf)));
		printf("\n");
	}
}

/* Which modes work here, probed once with the baseline. */
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

/* Every selected variant x mode into recs (n returned); objects kept loaded
 * in held[] when hold; *failures counts the failed TOTAL rows. */
static struct sizes_rec *measure_all(const struct sizes_opts *o, bool hold, int *n,
				     struct loaded *held, int *nheld, int *failures)
{
	struct sizes_rec *recs = calloc(nvariants * nattach_modes * (LOADER_MAX_PROGS + 1),
					sizeof(*recs));
	char(*reason)[LOADER_REASON_LEN] = calloc(nattach_modes, LOADER_REASON_LEN);
	bool works[16];
	char why[LOADER_REASON_LEN + 64];

	*n = *failures = 0;
	if (!recs || !reason) {
		free(recs);
		free(reason);
		return NULL;
	}
	probe_modes(o, works, reason);
	for (size_t vi = 0; vi < nvariants; vi++) {
		const struct variant *v = &variants[vi];

		if (!o->variants[vi])
			continue;
		for (size_t mi = 0; mi < nattach_modes; mi++) {
			const struct attach_mode *m = &attach_modes[mi];
			struct loaded l;

			if (o->only_mode && o->only_mode != m)
				continue;
			if (!works[mi]) {
				snprintf(why, sizeof(why), "kernel refused %s at %s", m->name, reason[mi]);
				sizes_skipped_row(o, v, m, why, &recs[(*n)++]);
				continue;
			}
			fprintf(stderr, "sizes: %s @ %s\n", v->name, m->name);
			sizes_measure(o, v, m, recs, n, &l);
			*failures += !strcmp(recs[*n - 1].row.status, "failed");
			if (hold && l.obj)
				held[(*nheld)++] = l;
			else
				loader_unload(&l);
		}
	}
	free(reason);
	return recs;
}

static int write_rows(const char *path, const struct sizes_rec *recs, int n)
{
	struct csv_writer w;
	int err = rf_open(&w, &sizes_csv, path);

	for (int i = 0; !err && i < n; i++)
		err = rf_write_row(&w, &sizes_csv, &recs[i].row);
	if (err) {
		csv_abort(&w);
	} else {
		err = csv_close(&w);
	}
	if (err)
		fprintf(stderr, "sizes: writing %s failed: %s\n", path ? path : "stdout", strerror(-err));
	return err ? -1 : 0;
}

/* Make the directories --logs and --dump name. */
static void make_dirs(const struct sizes_opts *o)
{
	if (o->logs_dir && mkdir_p(o->logs_dir))
		fprintf(stderr, "sizes: cannot create %s\n", o->logs_dir);
	if (o->dump_dir && mkdir_p(o->dump_dir))
		fprintf(stderr, "sizes: cannot create %s\n", o->dump_dir);
}

/* Measure and write; held objects stay loaded until the caller unloads. */
static int run(const struct sizes_opts *o, const char *out, bool table, bool hold,
	       struct loaded *held, int *nheld)
{
	int n, failures, rc;
	struct sizes_rec *recs;

	make_dirs(o);
	recs = measure_all(o, hold, &n, held, nheld, &failures);
	if (!recs)
		return 1;
	rc = table ? (print_table(recs, n), 0) : write_rows(out, recs, n);
	if (failures)
		fprintf(stderr, "sizes: %d variant x mode combinations failed (see status/reason)\n",
			failures);
	free(recs);
	return rc ? 1 : 0;
}

int cmd_sizes(int argc, char **argv)
{
	struct sizes_cmd c;
	struct session_env env;
	struct loaded *held;
	int rc, nheld = 0;
	char buf[256];

	if ((rc = parse_args(argc, argv, &c)) >= 0)
		return rc;
	if (session_setup("sizes", c.auto_mode ? NULL : attach_modes, false,
			  c.auto_mode ? stderr : NULL, &env))
		return 1;
	if (c.auto_mode)
		c.o.only_mode = env.mode;
	held = calloc(nvariants * nattach_modes, sizeof(*held));
	if (!held)
		return 1;
	rc = run(&c.o, c.out, c.table, c.hold, held, &nheld);
	if (c.hold) {
		/* Keep everything loaded until stdin reaches EOF (a test runs
		 * bpftool meanwhile). Nothing is pinned: the kernel frees it all
		 * when we exit. */
		fprintf(stderr, "sizes: holding %d loaded objects until stdin closes\n", nheld);
		while (fread(buf, 1, sizeof(buf), stdin) > 0)
			;
	}
	for (int i = 0; i < nheld; i++)
		loader_unload(&held[i]);
	free(held);
	return rc;
}

/* make bench: every variant in every mode, with logs and dumps. */
int sizes_bench(const struct bench_ctx *ctx)
{
	struct sizes_opts o = {.output = OUTPUT_RINGBUF};
	char out[4096], logs[4096], dumps[4096];
	int nheld = 0;

	memset(o.variants, 1, sizeof(o.variants));
	snprintf(out, sizeof(out), "%s/sizes.csv", ctx->dir);
	snprintf(logs, sizeof(logs), "%s/verifier", ctx->dir);
	snprintf(dumps, sizeof(dumps), "%s/dumps", ctx->dir);
	o.logs_dir = logs;
	o.dump_dir = ctx->quick ? NULL : dumps;
	return run(&o, out, false, false, NULL, &nheld);
}
