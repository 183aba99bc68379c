/* Subcommands of bpf2bpf-bench: each is int cmd_<name>(argc, argv) in a file
 * of its own, with argv[0] being the subcommand name. Exit codes: 0 ok,
 * 1 a failure while running, 2 bad usage or input. */
#ifndef BPF2BPF_COMMANDS_H
#define BPF2BPF_COMMANDS_H

int cmd_list(int argc, char **argv);     /* variants.c */
int cmd_trace(int argc, char **argv);    /* trace.c */
int cmd_sizes(int argc, char **argv);    /* sizes.c */
int cmd_hammer(int argc, char **argv);   /* hammer_cmd.c */
int cmd_overhead(int argc, char **argv); /* overhead.c */
int cmd_report(int argc, char **argv);   /* report.c */
int cmd_compare(int argc, char **argv);  /* compare.c */
int cmd_matrix_report(int argc, char **argv); /* matrix_report.c */

#endif
