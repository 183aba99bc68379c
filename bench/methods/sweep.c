/* bpf2bpf-bench sweep: the scaling sweep (sweep.h) — the grid over the
 * generated objects (sweep_grid.c), one sweep.csv row per point, the refused
 * programs' verifier logs, and the crossovers and refusals on stderr. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "buildinfo.h"
#include "kernel/loader.h"
#include "kernel/sweep_embedded.h"
#include "methods/method.h"
#include "methods/sweep.h"
#include "methods/sweep_findings.h"
#include "methods/sweep_grid.h"

#define MAX_DIRS 8
#define GRID_ENV "BPF2BPF_SWEEP_GRID"
#define EMULATED_SLOWER 6 /* time limits x6 when the timing is not native */

struct sweep_opts {
	struct sweep_grid grid;
	const char *dir;
	const char *objects[MAX_DIRS]; /* object directories besides the embedded ones */
	int nobjects;
	unsigned hold; /* keep every hold-th ok point loaded until stdin closes */
	bool quiet;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bpf2bpf-bench sweep -o DIR [options]\n\n"
		"The scaling sweep: the handler generated into objects along five axes — call\n"
		"sites per program (calls), a bounded loop's trip count (loop), bpf_loop\n"
		"iterations (bpf_loop), programs sharing the handler (progs) and handler size\n"
		"(size) — each point loaded (never attached) and measured: ELF, verifier and\n"
		"kernel-image figures, or the verifier's words when it refuses. Writes\n"
		"DIR/sweep.csv and DIR/verifier/sweep-*.log (refused programs); crossovers and\n"
		"first refusals go to stderr.\n\n"
		"  -o, --out DIR      output directory (required; created)\n"
		"  --quick            the quick grid (the objects built into this binary;\n"
		"                     make bench and the VM kernels run it, under 30 s here)\n"
		"                     instead of the full one (make sweep: loop axes searched\n"
		"                     to the refusal, call sites to 8192)\n"
		"  --axis LIST        only these axes: calls,loop,bpf_loop,progs,size\n"
		"  --objects DIR      read the objects from DIR (repeatable) instead of the\n"
		"                     built-in quick ones and, for the full grid, sweep/full\n"
		"                     beside this binary (where make sweep-objects puts them)\n"
		"  --timeout-ms MS    stop a load after MS (default 10000 quick, 120000 full)\n"
		"  --budget-s S       skip the points left after S seconds (default 25 quick,\n"
		"                     3600 full; 6x both limits when BPF2BPF_TIMING is not native)\n"
		"  --hold K           keep every K-th loaded point loaded until stdin closes\n"
		"                     (its prog_ids, to cross-check with bpftool)\n"
		"  -q, --quiet        no line per point on stderr\n"
		"  -v, --verbose      libbpf's messages on stderr\n"
		"  -h, --help\n\n"
		"The objects are built with the binary's BPF_CPU (-mcpu=%s): below v4 a\n"
		"function past 32767 insns may have wrapped branches, and its row says\n"
		"branch-range, not refused. make bench runs the quick grid; set %s=full\n"
		"for the full one there (make sweep does).\n",
		BPF2BPF_BPF_CPU, GRID_ENV);
}

static int axes_of(const char *list, unsigned *axes)
{
	char *copy = strdup(list), *tok, *save = NULL;
	int rc = 0;

	*axes = 0;
	for (tok = strtok_r(copy, ",", &save); copy && tok; tok = strtok_r(NULL, ",", &save)) {
		int a = sweep_axis_parse(tok);

		if (a < 0) {
			fprintf(stderr, "sweep: unknown axis '%s'; valid: calls, loop, bpf_loop, "
					"progs, size\n", tok);
			rc = -1;
			break;
		}
		*axes |= 1u << a;
	}
	free(copy);
	return copy ? rc : -1;
}

static void grid_defaults(struct sweep_opts *o, bool quick)
{
	o->grid = quick ? sweep_grid_quick : sweep_grid_full;
	o->grid.bpf_cpu = BPF2BPF_BPF_CPU;
	o->grid.kernel = kernel_release();
	/* Under an emulator (a TCG guest: BPF2BPF_TIMING) the verifier runs
	 * 10-20 times slower: the same grid gets that much more time. */
	if (strcmp(timing_kind(), "native")) {
		o->grid.budget_ms *= EMULATED_SLOWER;
		o->grid.point_timeout_ms *= EMULATED_SLOWER;
	}
}

static int parse_args(int argc, char **argv, struct sweep_opts *o)
{
	static const struct option longopts[] = {
		{"out", required_argument, 0, 'o'},	   {"quick", no_argument, 0, 'Q'},
		{"axis", required_argument, 0, 'a'},	   {"objects", required_argument, 0, 'O'},
		{"timeout-ms", required_argument, 0, 't'}, {"budget-s", required_argument, 0, 'b'},
		{"hold", required_argument, 0, 'H'},	   {"quiet", no_argument, 0, 'q'},
		{"verbose", no_argument, 0, 'v'},	   {"help", no_argument, 0, 'h'},
		{0, 0, 0, 0},
	};
	long timeout = 0, budget = 0, hold = 0;
	const char *axes = NULL;
	bool quick = false;
	int c;

	memset(o, 0, sizeof(*o));
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:qvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o->dir = optarg; break;
		case 'Q': quick = true; break;
		case 'a': axes = optarg; break;
		case 'O':
			if (o->nobjects == MAX_DIRS) {
				fprintf(stderr, "sweep: at most %d --objects\n", MAX_DIRS);
				return 2;
			}
			o->objects[o->nobjects++] = optarg;
			break;
		case 't':
			if (parse_count("sweep", optarg, "--timeout-ms", 3600000, &timeout))
				return 2;
			break;
		case 'b':
			if (parse_count("sweep", optarg, "--budget-s", 86400, &budget))
				return 2;
			break;
		case 'H':
			if (parse_count("sweep", optarg, "--hold", 100000, &hold))
				return 2;
			break;
		case 'q': o->quiet = true; break;
		case 'v': loader_set_verbose(true); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "sweep: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (!o->dir) {
		fprintf(stderr, "sweep: -o DIR is required (where sweep.csv goes)\n");
		return 2;
	}
	grid_defaults(o, quick);
	if (axes && axes_of(axes, &o->grid.axes))
		return 2;
	if (timeout)
		o->grid.point_timeout_ms = (unsigned)timeout;
	if (budget)
		o->grid.budget_ms = (unsigned)budget * 1000;
	o->hold = (unsigned)hold;
	o->grid.hold_every = o->hold;
	return -1;
}

/* sweep/NAME beside this binary: where the Makefile puts the full grid's
 * objects (build/bpf2bpf-bench -> build/sweep/full, build/sweep/full-v4). */
static int default_objects_dir(char *buf, size_t len, const char *name)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return -1;
	exe[n] = '\0';
	if (!(slash = strrchr(exe, '/')))
		return -1;
	*slash = '\0';
	snprintf(buf, len, "%s/sweep/%s", exe, name);
	return 0;
}

/* The objects: the --objects directories alone when given; else the
 * embedded quick objects, and for the full grid its directory beside the
 * binary. */
static int load_catalog(const struct sweep_opts *o, struct sweep_catalog *cat)
{
	char err[512] = "", dflt[PATH_MAX + 16];

	memset(cat, 0, sizeof(*cat));
	if (!o->nobjects && sweep_catalog_add_embedded(cat)) {
		fprintf(stderr, "sweep: the embedded object table is broken (rebuild)\n");
		return -1;
	}
	if (!o->nobjects && !strcmp(o->grid.name, sweep_grid_quick.name))
		return 0;
	if (!o->nobjects) {
		if (default_objects_dir(dflt, sizeof(dflt), "full") ||
		    sweep_catalog_add_dir(cat, dflt, err, sizeof(err))) {
			fprintf(stderr, "sweep: the full grid's objects are not there (%s): build "
					"them with `make sweep-objects`, name their directory with "
					"--objects, or run --quick\n",
				err);
			return -1;
		}
		/* The large call-site objects of another compiler, when built
		 * (sweep.mk's SWEEP_LONG_CC). */
		if (!default_objects_dir(dflt, sizeof(dflt), "full-v4") && !access(dflt, F_OK) &&
		    sweep_catalog_add_dir(cat, dflt, err, sizeof(err))) {
			fprintf(stderr, "sweep: %s\n", err);
			return -1;
		}
		return 0;
	}
	for (int i = 0; i < o->nobjects; i++)
		if (sweep_catalog_add_dir(cat, o->objects[i], err, sizeof(err))) {
			fprintf(stderr, "sweep: %s\n", err);
			return -1;
		}
	return 0;
}

static void progress(void *user, const struct sweep_row *r)
{
	char n[32];

	if (*(const bool *)user)
		return;
	snprintf(n, sizeof(n), r->built_n != r->n ? "%lld/%lld" : "%lld", (long long)r->n,
		 (long long)r->built_n);
	fprintf(stderr, "sweep: %-8s %-4s %-10s %-8s n=%-8s %-12s verified=%-7lld jited=%-6lld%s%s\n",
		r->axis, r->style, r->attach, r->variant, n, r->status, (long long)r->verified_insns,
		(long long)r->jited_bytes, *r->reason ? " " : "", r->reason);
}

/* DIR/verifier/sweep-OBJECT-PROG-nN.log for each refused program; the row
 * names it (relative to DIR). */
static int write_logs(const char *dir, struct sweep_rows *rows)
{
	char path[4400], rel[512];
	int err;

	for (size_t i = 0; i < rows->n; i++) {
		struct sweep_row *r = &rows->rows[i];
		char *log = rows->logs[i];

		if (!log)
			continue;
		snprintf(rel, sizeof(rel), "verifier/sweep-%s-%s-n%lld.log", r->object,
			 *r->failed_prog ? r->failed_prog : "prog", (long long)r->n);
		snprintf(path, sizeof(path), "%s/verifier", dir);
		if ((err = mkdir_p(path)))
			return err;
		snprintf(path, sizeof(path), "%s/%s", dir, rel);
		if ((err = write_file(path, log, strlen(log))))
			return err;
		free((char *)r->log);
		r->log = strdup(rel);
		if (!r->log)
			return -ENOMEM;
	}
	return 0;
}

static void emit(void *user, const char *line)
{
	fprintf(user, "sweep: - %s\n", line);
}

static void summary(const struct sweep_opts *o, const struct sweep_rows *rows)
{
	static const char *const statuses[] = {SWEEP_ST_OK,	SWEEP_ST_REFUSED, SWEEP_ST_BRANCH_RANGE,
					       SWEEP_ST_TIMEOUT, SWEEP_ST_FAILED,  SWEEP_ST_SKIPPED};
	size_t by[6] = {0};

	for (size_t i = 0; i < rows->n; i++)
		for (size_t s = 0; s < 6; s++)
			by[s] += !strcmp(rows->rows[i].status, statuses[s]);
	fprintf(stderr, "sweep: findings:\n");
	sweep_findings(rows->rows, rows->n, emit, stderr);
	fprintf(stderr, "sweep: %s grid: %zu points in %.1f s on %s: %zu ok, %zu refused, %zu "
			"branch-range, %zu timeout, %zu failed, %zu skipped\n",
		o->grid.name, rows->n, rows->elapsed_ms / 1e3, o->grid.kernel, by[0], by[1], by[2],
		by[3], by[4], by[5]);
}

/* The whole method with options already checked: 0, or 1 when it could not
 * run or write (refusals are results, not failures). */
static int sweep_run(const struct sweep_opts *o)
{
	struct sweep_catalog cat;
	struct sweep_rows rows;
	const char *problem;
	char path[4200], buf[256];
	int lock_fd, err, rc = 1;

	if ((problem = loader_privilege_problem())) {
		fprintf(stderr, "sweep: %s\n", problem);
		return 1;
	}
	if ((err = mkdir_p(o->dir))) {
		fprintf(stderr, "sweep: cannot create %s: %s\n", o->dir, strerror(-err));
		return 1;
	}
	/* Loads back to back keep a CPU busy: not beside a timing run. */
	if ((lock_fd = bench_lock("sweep")) < 0)
		return 1;
	if (load_catalog(o, &cat)) {
		sweep_catalog_free(&cat);
		close(lock_fd);
		return 1;
	}
	fprintf(stderr, "sweep: %s grid, %zu objects, -mcpu=%s, on %s\n", o->grid.name, cat.n,
		o->grid.bpf_cpu, o->grid.kernel);
	if (sweep_grid_run(&o->grid, &cat, &rows, progress, (void *)&o->quiet)) {
		fprintf(stderr, "sweep: out of memory\n");
		goto out;
	}
	snprintf(path, sizeof(path), "%s/sweep.csv", o->dir);
	if ((err = write_logs(o->dir, &rows)) ||
	    (err = rf_write_file(&sweep_csv, path, rows.rows, rows.n))) {
		fprintf(stderr, "sweep: writing into %s failed: %s\n", o->dir, strerror(-err));
		goto out;
	}
	summary(o, &rows);
	fprintf(stderr, "sweep: wrote %s\n", path);
	rc = 0;
	if (o->hold) {
		/* The held programs' ids are in sweep.csv; nothing is pinned, so
		 * the kernel frees them when we exit. */
		fprintf(stderr, "sweep: holding %zu points loaded until stdin closes\n", rows.nheld);
		while (fread(buf, 1, sizeof(buf), stdin) > 0)
			;
	}
out:
	sweep_rows_free(&rows);
	sweep_catalog_free(&cat);
	close(lock_fd);
	return rc;
}

int cmd_sweep(int argc, char **argv)
{
	struct sweep_opts o;
	int rc = parse_args(argc, argv, &o);

	if (rc >= 0)
		return rc;
	loader_set_verbose(false); /* libbpf would print every refused program's log */
	return sweep_run(&o);
}

/* make bench, the VM job and the matrix host column: the quick grid; make
 * sweep sets BPF2BPF_SWEEP_GRID=full for the full one. */
int sweep_bench(const struct bench_ctx *ctx)
{
	const char *g = getenv(GRID_ENV);
	struct sweep_opts o;

	memset(&o, 0, sizeof(o));
	if (g && *g && strcmp(g, "quick") && strcmp(g, "full")) {
		fprintf(stderr, "sweep: %s=%s: quick or full\n", GRID_ENV, g);
		return 1;
	}
	grid_defaults(&o, !g || strcmp(g, "full"));
	o.dir = ctx->dir;
	o.quiet = true;
	loader_set_verbose(false);
	return sweep_run(&o);
}
