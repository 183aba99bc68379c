/* User-space end of the event output: ring buffer or perf buffer, counting
 * what arrives and what the kernel says was lost. */
#ifndef BPF2BPF_CONSUMER_H
#define BPF2BPF_CONSUMER_H

#include <stdint.h>

#include "conn_event.h"

struct bpf_object;
struct consumer;

typedef void (*consumer_fn)(void *ctx, const struct conn_event *ev);

/* NULL with errno set on failure (no such map, no memory). With
 * OUTPUT_NONE the consumer exists but never receives anything. */
struct consumer *consumer_new(struct bpf_object *obj, enum output_mode mode, consumer_fn fn,
			      void *ctx);
/* Wait up to timeout_ms for events and deliver them. For
 * OUTPUT_RINGBUF_NOWAKEUP the kernel never wakes us, so this sleeps the
 * timeout and then drains (the timer-driven consumer the mode exists for).
 * Returns events delivered, or -errno (-EINTR on a signal is not an error). */
int consumer_poll(struct consumer *c, int timeout_ms);
/* Deliver whatever is buffered now, without waiting. */
int consumer_drain(struct consumer *c);
uint64_t consumer_received(const struct consumer *c);
uint64_t consumer_lost(const struct consumer *c); /* perf buffer's lost samples */
void consumer_free(struct consumer *c);

#endif
