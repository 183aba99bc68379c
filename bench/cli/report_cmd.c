/* The report family's commands: report, compare and matrix-report parse
 * their options here and hand the method table to bench/report/. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/methods.h"
#include "report/matrix.h"
#include "report/report.h"

static void report_usage(FILE *f)
{
	fprintf(f, "usage: bpf2bpf-bench report [--no-charts] DIR\n"
		   "       bpf2bpf-bench report --columns\n\n"
		   "Writes DIR/report.md and DIR/charts/ (gnuplot) from the run directory's files\n"
		   "alone; the same files give the same report.\n\n"
		   "  --no-charts  do not run gnuplot (the report says so)\n"
		   "  --columns    print the markdown reference of every result column\n");
}

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{"columns", no_argument, NULL, 'c'},
		{"no-charts", no_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	bool charts = true;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			report_print_columns(&all_methods, stdout);
			return fflush(stdout) ? 1 : 0;
		case 'n':
			charts = false;
			break;
		case 'h':
			report_usage(stdout);
			return 0;
		default:
			report_usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		report_usage(stderr);
		return 2;
	}
	return report_dir(argv[optind], &all_methods, charts);
}

static void compare_usage(FILE *f)
{
	fprintf(f, "usage: bpf2bpf-bench compare DIR_A DIR_B [--format md|csv] [-o FILE] [--changed]\n\n"
		   "Every numeric metric of the compared result files (sizes.csv, overhead.csv,\n"
		   "...) of two run directories side by side: A, B, diff = B - A (pct of A).\n"
		   "Rows match by each file's key columns; N/A where only one side has the row.\n"
		   "Runs timed differently (run.env timing: native, virtualized, emulated): every\n"
		   "time column's diff is N/A, never a difference; sizes still compare.\n\n"
		   "  --format md|csv  markdown tables (default) or one CSV with columns\n"
		   "                   file,key,metric,a,b,diff,pct (key: k=v;k=v)\n"
		   "  -o FILE          write there (atomically) instead of stdout\n"
		   "  --changed        only metrics that differ (or exist on one side only)\n");
}

int cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"changed", no_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	struct compare_opts o = {0};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "md") && strcmp(optarg, "csv")) {
				fprintf(stderr, "bpf2bpf-bench compare: --format: '%s'; valid: md, csv\n",
					optarg);
				return 2;
			}
			o.csv = !strcmp(optarg, "csv");
			break;
		case 'o':
			o.out = optarg;
			break;
		case 'c':
			o.changed_only = true;
			break;
		case 'h':
			compare_usage(stdout);
			return 0;
		default:
			compare_usage(stderr);
			return 2;
		}
	}
	if (argc - optind != 2) {
		compare_usage(stderr);
		return 2;
	}
	return compare_dirs(argv[optind], argv[optind + 1], &all_methods, &o);
}

static void matrix_usage(FILE *f)
{
	fprintf(f, "usage: bpf2bpf-bench matrix-report RUN_DIR\n\n"
		   "The cross-kernel report of a scripts/matrix.sh run: reads RUN_DIR/columns and\n"
		   "each kernel's kernel.env, boot.env, run/ and run-libbpf-*/ directories;\n"
		   "writes RUN_DIR/kernels.csv, RUN_DIR/sizes.csv (all kernels' rows) and\n"
		   "RUN_DIR/report.md. The cross-toolchain report of a scripts/compilers.sh run\n"
		   "(columns with toolchain.env): RUN_DIR/toolchains.csv and RUN_DIR/report.md.\n\n"
		   "  -h, --help\n\n"
		   "Exit status: 0 written; 1 written, but an input file was unreadable, or\n"
		   "could not write; 2 bad usage or not a matrix run directory.\n");
}

int cmd_matrix_report(int argc, char **argv)
{
	static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {0}};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			matrix_usage(stdout);
			return 0;
		}
		matrix_usage(stderr);
		return 2;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "matrix-report: want one RUN_DIR\n");
		matrix_usage(stderr);
		return 2;
	}
	return matrix_report(argv[optind], &all_methods);
}
