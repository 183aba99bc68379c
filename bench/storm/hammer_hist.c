/* The connect-latency histogram; see hammer_hist.h. */
#include "storm/hammer_hist.h"

#include <math.h>

unsigned hist_index(uint64_t ns)
{
	unsigned e;

	if (ns < HIST_SUB)
		return (unsigned)ns;
	e = 63 - (unsigned)__builtin_clzll(ns);
	if (e > HIST_MAX_EXP)
		return HIST_BUCKETS - 1;
	return (e - HIST_SUB_BITS + 1) * HIST_SUB +
	       (unsigned)((ns >> (e - HIST_SUB_BITS)) & (HIST_SUB - 1));
}

/* Middle of bucket i, in ns. */
double hist_value(unsigned i)
{
	unsigned e;
	uint64_t lo;

	if (i < HIST_SUB)
		return i;
	e = i / HIST_SUB - 1 + HIST_SUB_BITS;
	lo = (uint64_t)(HIST_SUB + i % HIST_SUB) << (e - HIST_SUB_BITS);
	return (double)lo + (double)(1ull << (e - HIST_SUB_BITS)) / 2;
}

/* Value at quantile q of a histogram holding n samples, in ns. */
double hist_quantile(const uint64_t *h, uint64_t n, double q)
{
	uint64_t rank = (uint64_t)ceil(q * (double)n), seen = 0;

	if (n == 0)
		return 0;
	if (rank == 0)
		rank = 1;
	for (unsigned i = 0; i < HIST_BUCKETS; i++) {
		seen += h[i];
		if (seen >= rank)
			return hist_value(i);
	}
	return hist_value(HIST_BUCKETS - 1);
}
