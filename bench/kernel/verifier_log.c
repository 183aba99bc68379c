/* Verifier log parsing. The stats lines changed over time (kernel/bpf/
 * verifier.c):
 *   4.14       "processed N insns, stack depth D"
 *   4.16-5.1   "processed N insns (limit L), stack depth D0+D1..."
 *   5.2-6.18   "verification time T usec" and "stack depth D0+D1..." (only
 *              with BPF_LOG_STATS), then "processed N insns (limit L)
 *              max_states_per_insn M total_states T peak_states P mark_read R"
 * so every stats line is scanned for every known "key value" pair, in any
 * order, and a block ends at its "processed" line. */
#include "kernel/verifier_log.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct span {
	const char *s;
	size_t n;
};

/* "key value" pairs: `key` (with its trailing space) is followed by a number. */
static const struct stat_key {
	const char *key;
	unsigned bit;
	size_t off;
	int starts_line; /* a line starting with it is a stats line */
} stat_keys[] = {
	{"processed ", VS_PROCESSED, offsetof(struct verifier_stats, processed_insns), 1},
	{"(limit ", VS_LIMIT, offsetof(struct verifier_stats, insn_limit), 0},
	{"max_states_per_insn ", VS_MAX_STATES,
	 offsetof(struct verifier_stats, max_states_per_insn), 1},
	{"total_states ", VS_TOTAL_STATES, offsetof(struct verifier_stats, total_states), 1},
	{"peak_states ", VS_PEAK_STATES, offsetof(struct verifier_stats, peak_states), 1},
	{"mark_read ", VS_MARK_READ, offsetof(struct verifier_stats, mark_read), 1},
	{"verification time ", VS_VERIFY_USEC, offsetof(struct verifier_stats, verify_usec), 1},
};
#define NKEYS (sizeof(stat_keys) / sizeof(stat_keys[0]))
#define STACK_KEY "stack depth "

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Next line of a NUL-terminated log, without surrounding white space. */
static int next_line(const char **p, struct span *l)
{
	if (!**p)
		return 0;
	const char *e = strchr(*p, '\n');
	if (!e)
		e = *p + strlen(*p);
	l->s = *p;
	l->n = (size_t)(e - *p);
	*p = *e ? e + 1 : e;
	while (l->n && is_space(*l->s)) {
		l->s++;
		l->n--;
	}
	while (l->n && is_space(l->s[l->n - 1]))
		l->n--;
	return 1;
}

static int starts_with(struct span l, const char *prefix)
{
	size_t n = strlen(prefix);

	return l.n >= n && !memcmp(l.s, prefix, n);
}

static int ends_with(struct span l, const char *suffix)
{
	size_t n = strlen(suffix);

	return l.n >= n && !memcmp(l.s + l.n - n, suffix, n);
}

static int contains(struct span l, const char *needle)
{
	return memmem(l.s, l.n, needle, strlen(needle)) != NULL;
}

static int is_stats_line(struct span l)
{
	/* 7.x adds "insns processed N+M" (per subprogram) beside "processed". */
	if (starts_with(l, STACK_KEY) || starts_with(l, "insns processed "))
		return 1;
	for (size_t i = 0; i < NKEYS; i++)
		if (stat_keys[i].starts_line && starts_with(l, stat_keys[i].key))
			return 1;
	return 0;
}

/* `key` in s as a word of its own (at the start or after a space), or NULL. */
static const char *find_key(const char *s, const char *key)
{
	for (const char *p = s; (p = strstr(p, key)); p++)
		if (p == s || p[-1] == ' ')
			return p + strlen(key);
	return NULL;
}

static void parse_key(const char *s, const struct stat_key *k, struct verifier_stats *st)
{
	const char *v = find_key(s, k->key);
	char *end;

	if (!v)
		return;
	long n = strtol(v, &end, 10);
	if (end == v)
		return;
	*(long *)((char *)st + k->off) = n;
	st->have |= k->bit;
}

/* "stack depth 16+40": one depth per frame (subprogram), summed. */
static void parse_stack_depth(const char *s, struct verifier_stats *st)
{
	const char *v = find_key(s, STACK_KEY);
	size_t n = v ? strspn(v, "0123456789+") : 0;

	if (!n || v[0] == '+')
		return;
	if (n >= sizeof(st->stack_depth_str))
		n = sizeof(st->stack_depth_str) - 1;
	memcpy(st->stack_depth_str, v, n);
	st->stack_depth_str[n] = '\0';
	st->stack_depth = 0;
	char *p = st->stack_depth_str;
	do
		st->stack_depth += strtol(p, &p, 10);
	while (*p++ == '+');
	st->have |= VS_STACK_DEPTH;
}

static void parse_stats_line(struct span l, struct verifier_stats *st)
{
	char line[256];
	size_t n = l.n < sizeof(line) - 1 ? l.n : sizeof(line) - 1;

	memcpy(line, l.s, n);
	line[n] = '\0';
	for (size_t i = 0; i < NKEYS; i++)
		parse_key(line, &stat_keys[i], st);
	parse_stack_depth(line, st);
}

int verifier_log_parse(const char *log, struct verifier_stats *st)
{
	struct verifier_stats block = {0};
	struct span l;
	int found = 0;

	memset(st, 0, sizeof(*st));
	if (!log)
		return -1;
	while (next_line(&log, &l)) {
		if (!is_stats_line(l))
			continue;
		parse_stats_line(l, &block);
		/* The "processed" line closes a block: later ones replace it. */
		if (starts_with(l, "processed ") && (block.have & VS_PROCESSED)) {
			*st = block;
			memset(&block, 0, sizeof(block));
			found = 1;
		}
	}
	return found ? 0 : -1;
}

/* libbpf's wrappers around a failed load's log: "-- BEGIN PROG LOAD LOG --"
 * and "-- END PROG LOAD LOG --" (1.x), "-- BEGIN DUMP LOG ---" and
 * "-- END LOG --" (0.x), possibly after a "libbpf: prog 'x': " prefix. */
static int is_marker(struct span l, const char *what)
{
	return contains(l, what) && ends_with(l, "--");
}

static int is_reason_line(struct span l)
{
	return l.n && !is_stats_line(l) && !starts_with(l, "libbpf:");
}

char *verifier_log_reason(const char *log, char *buf, size_t len)
{
	struct span l, last = {NULL, 0};
	int in_block = 0, saw_block = 0;

	if (!log || !len)
		return NULL;
	while (next_line(&log, &l)) {
		if (is_marker(l, "-- BEGIN ")) {
			last.s = NULL; /* only this block's lines count */
			in_block = 1;
		} else if (is_marker(l, "-- END ")) {
			in_block = 0;
			saw_block = 1;
		} else if (is_reason_line(l) && (in_block || !saw_block)) {
			last = l;
		}
	}
	if (!last.s)
		return NULL;
	size_t n = last.n < len - 1 ? last.n : len - 1;
	memcpy(buf, last.s, n);
	buf[n] = '\0';
	return buf;
}
