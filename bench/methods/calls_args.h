/* The calls command's list options, parsed on their own so a bad list is
 * one clear line and a unit test can hold them to it. */
#ifndef BPF2BPF_CALLS_ARGS_H
#define BPF2BPF_CALLS_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* --k: a comma-separated list of K in 0..CALLS_MAX_K, each once, at least
 * two (ns per call is the slope of a line over K: one K fits no line), at
 * most CALLS_MAX_KS, into k[CALLS_MAX_KS] and *nk. 0, or -1 after one
 * "calls: --k ..." line on stderr (k and *nk then unchanged). */
int calls_parse_ks(const char *arg, uint32_t *k, size_t *nk);

/* --trigger: a comma-separated list whose every item is exactly
 * "synthetic" or "storm". 0, or -1 after one "calls: --trigger ..." line on
 * stderr (*synthetic and *storm then unchanged). */
int calls_parse_triggers(const char *arg, bool *synthetic, bool *storm);

#endif
