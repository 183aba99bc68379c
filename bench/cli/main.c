/* bpf2bpf-bench: what does it cost to write an eBPF handler as a bpf2bpf call,
 * inline, global, linked or tail call, on this kernel? Dispatches to a command
 * (cli/commands.h) or a measurement method (the method table). */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/methods.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{"bench", cmd_bench, "run every method into a new results/<run>/ with its report"},
	{"list", cmd_list, "list variants, attach modes and output modes"},
	{"trace", cmd_trace, "the reference demo: print one line per new TCP connection"},
	{"report", cmd_report, "write report.md and charts of a run directory"},
	{"compare", cmd_compare, "compare two run directories metric by metric"},
	{"matrix-report", cmd_matrix_report, "cross-kernel report of a scripts/matrix.sh run"},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fprintf(f, "usage: bpf2bpf-bench COMMAND [OPTIONS]   (COMMAND --help for its options)\n\n"
		   "What does it cost to write an eBPF handler as a bpf2bpf call, inline, a\n"
		   "global function, a linked object or a tail call, on this kernel?\n\n"
		   "commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-13s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "measurement methods (run by bench, or one at a time):\n");
	for (size_t i = 0; i < all_methods.n; i++)
		fprintf(f, "  %-13s %s\n", all_methods.m[i].name, all_methods.m[i].summary);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	for (size_t i = 0; i < all_methods.n; i++)
		if (!strcmp(argv[1], all_methods.m[i].name))
			return all_methods.m[i].cmd(argc - 1, argv + 1);
	fprintf(stderr, "bpf2bpf-bench: unknown command '%s'; valid:", argv[1]);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(stderr, " %s", commands[i].name);
	for (size_t i = 0; i < all_methods.n; i++)
		fprintf(stderr, " %s", all_methods.m[i].name);
	fprintf(stderr, "\n");
	return 2;
}
