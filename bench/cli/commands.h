/* The commands that are not measurement methods (those are in the method
 * table, cli/methods.c; the hammer's command is storm/hammer_cmd.c): each is int cmd_<name>(argc, argv), argv[0] being
 * the command name. Exit codes: 0 ok, 1 a failure while running, 2 bad
 * usage or input. */
#ifndef BPF2BPF_COMMANDS_H
#define BPF2BPF_COMMANDS_H

int cmd_list(int argc, char **argv);	      /* cli/list.c */
int cmd_trace(int argc, char **argv);	      /* cli/trace.c */
int cmd_bench(int argc, char **argv);	      /* cli/bench_cmd.c */
int cmd_hammer(int argc, char **argv);	      /* storm/hammer_cmd.c */
int cmd_report(int argc, char **argv);	      /* report/report.c */
int cmd_compare(int argc, char **argv);	      /* report/compare.c */
int cmd_matrix_report(int argc, char **argv); /* report/matrix_report.c */

#endif
