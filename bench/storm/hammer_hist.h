/* The storm's connect-latency histogram.
 * Hand-rolled: a log-linear histogram (HdrHistogram's layout, 32 sub-buckets
 * per power of two, <= 3% error) keeps memory fixed whatever the run length
 * and merges across threads by addition; Debian has no C library for it. */
#ifndef BPF2BPF_HAMMER_HIST_H
#define BPF2BPF_HAMMER_HIST_H

#include <stdint.h>

#define HIST_SUB_BITS 5
#define HIST_SUB (1u << HIST_SUB_BITS)
#define HIST_MAX_EXP 40 /* 2^40 ns, 18 minutes: anything longer is clamped */
#define HIST_BUCKETS ((HIST_MAX_EXP - HIST_SUB_BITS + 2) * HIST_SUB)

/* Bucket of a latency in ns; the middle of bucket i in ns; the value at
 * quantile q of a histogram holding n samples, in ns. */
unsigned hist_index(uint64_t ns);
double hist_value(unsigned i);
double hist_quantile(const uint64_t *h, uint64_t n, double q);

#endif
