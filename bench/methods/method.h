/* A measurement method (the kernel selftests' `struct bench` idea): one file
 * in methods/ that measures and writes its result files, plus one entry in
 * the method table (cli/methods.c). `make bench` (the `bench` command), the
 * VM matrix job, the report, compare and the matrix report iterate that
 * table (handed to them as a method_set), so they pick a new method up without edits: its files are read
 * through their column tables, and a method without a report section of its
 * own gets a generic one (its files' in_report columns). */
#ifndef BPF2BPF_METHOD_H
#define BPF2BPF_METHOD_H

#include <stdbool.h>
#include <stdio.h>

struct attach_mode;
struct result_file;
struct report;
struct findings;
struct matrix;

/* What the `bench` driver hands every method it runs. */
struct bench_ctx {
	const char *dir;		/* the run directory being written */
	const struct attach_mode *mode; /* the primary attach mode, decided once */
	bool quick;			/* the quick grid (--quick, the VM kernels) */
	const char *timing;		/* native, or emulated (a TCG guest) */
};

enum method_flag {
	M_BENCH = 1 << 0, /* `make bench` runs it */
	M_VM = 1 << 1,	  /* the VM matrix job (and its host column) runs it */
	M_ROOT = 1 << 2,  /* loads BPF programs: needs root */
};

struct method {
	const char *name;    /* its command: bpf2bpf-bench NAME */
	const char *summary; /* one line, for --help and the progress lines */
	int (*cmd)(int argc, char **argv);
	unsigned flags;
	/* Measure into ctx->dir. 0: done; non-zero: the step failed (the run
	 * goes on and records it). Runs in a child process of its own. */
	int (*bench)(const struct bench_ctx *ctx);
	const struct result_file *const *files; /* what it writes; NULL-terminated */
	/* report/: a section of report.md (NULL: the generic one), sentences
	 * for its Findings, charts, and a section of the cross-kernel report. */
	int (*report)(struct report *r, FILE *f);
	void (*findings)(struct findings *fs);
	void (*matrix)(const struct matrix *m, FILE *f);
};

/* A list of methods: the method table (cli/methods.c) hands it to the report
 * family, which knows no table of its own. */
struct method_set {
	const struct method *m;
	size_t n;
};

const struct method *method_find(const struct method_set *s, const char *name);
/* Every result file of every method of s, in order; returns how many. */
size_t method_files(const struct method_set *s, const struct result_file **out, size_t max);

#endif
