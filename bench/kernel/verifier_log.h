/* Parse what the verifier prints with BPF_LOG_STATS, tolerant of the fields
 * that come and go between kernels. */
#ifndef BPF2BPF_VERIFIER_LOG_H
#define BPF2BPF_VERIFIER_LOG_H

#include <stddef.h>

enum verifier_stat_have {
	VS_PROCESSED = 1 << 0,
	VS_LIMIT = 1 << 1,
	VS_MAX_STATES = 1 << 2,
	VS_TOTAL_STATES = 1 << 3,
	VS_PEAK_STATES = 1 << 4,
	VS_MARK_READ = 1 << 5,
	VS_VERIFY_USEC = 1 << 6,
	VS_STACK_DEPTH = 1 << 7,
};

struct verifier_stats {
	unsigned have; /* enum verifier_stat_have bits of the fields found */
	long processed_insns;
	long insn_limit;
	long max_states_per_insn;
	long total_states;
	long peak_states;
	long mark_read;
	long verify_usec;
	long stack_depth;	 /* sum over frames of "stack depth A+B+..." */
	char stack_depth_str[64]; /* as printed, e.g. "16+0" */
};

/* Parse the last stats block in log (a program log may hold several lines).
 * Returns 0 when a "processed N insns" line was found, -1 otherwise. */
int verifier_log_parse(const char *log, struct verifier_stats *st);
/* The last meaningful line of a failed load's log (skips blank lines, the
 * stats lines and "-- END PROG LOAD LOG --"), copied to buf. Returns buf, or
 * NULL when the log has no such line. */
char *verifier_log_reason(const char *log, char *buf, size_t len);

#endif
