/* Ring buffer / perf buffer consumers over libbpf; see consumer.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/libbpf.h>

#include "kernel/consumer.h"

#define PERF_PAGES 64 /* per CPU; 256 KiB holds ~20k events between polls */

struct consumer {
	enum output_mode mode;
	struct ring_buffer *rb;
	struct perf_buffer *pb;
	consumer_fn fn;
	void *ctx;
	uint64_t received;
	uint64_t lost;
};

static void deliver(struct consumer *c, const void *data, size_t size)
{
	c->received++;
	if (c->fn && size >= sizeof(struct conn_event))
		c->fn(c->ctx, data);
}

static int on_ringbuf(void *ctx, void *data, size_t size)
{
	deliver(ctx, data, size);
	return 0;
}

static void on_perf_sample(void *ctx, int cpu, void *data, __u32 size)
{
	deliver(ctx, data, size);
}

static void on_perf_lost(void *ctx, int cpu, __u64 cnt)
{
	((struct consumer *)ctx)->lost += cnt;
}

struct consumer *consumer_new(struct bpf_object *obj, enum output_mode mode, consumer_fn fn,
			      void *ctx)
{
	struct consumer *c = calloc(1, sizeof(*c));
	struct bpf_map *map;

	if (!c)
		return NULL;
	c->mode = mode;
	c->fn = fn;
	c->ctx = ctx;
	switch (mode) {
	case OUTPUT_RINGBUF:
	case OUTPUT_RINGBUF_NOWAKEUP:
		map = bpf_object__find_map_by_name(obj, "events_rb");
		c->rb = map ? ring_buffer__new(bpf_map__fd(map), on_ringbuf, c, NULL) : NULL;
		if (!c->rb)
			goto fail;
		break;
	case OUTPUT_PERFBUF:
		map = bpf_object__find_map_by_name(obj, "events_pb");
		c->pb = map ? perf_buffer__new(bpf_map__fd(map), PERF_PAGES, on_perf_sample,
					       on_perf_lost, c, NULL)
			    : NULL;
		if (!c->pb)
			goto fail;
		break;
	default: /* OUTPUT_NONE: nothing to consume */
		break;
	}
	return c;
fail:
	if (!errno)
		errno = ENOENT;
	free(c);
	return NULL;
}

int consumer_drain(struct consumer *c)
{
	uint64_t before = c->received;
	int err = 0;

	if (c->rb)
		err = ring_buffer__consume(c->rb);
	else if (c->pb)
		err = perf_buffer__consume(c->pb);
	if (err < 0)
		return err;
	return (int)(c->received - before);
}

int consumer_poll(struct consumer *c, int timeout_ms)
{
	uint64_t before = c->received;
	int err = 0;

	if (c->mode == OUTPUT_RINGBUF_NOWAKEUP || c->mode == OUTPUT_NONE) {
		struct timespec ts = {timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L};

		nanosleep(&ts, NULL);
		err = c->rb ? ring_buffer__consume(c->rb) : 0;
	} else if (c->rb) {
		err = ring_buffer__poll(c->rb, timeout_ms);
	} else if (c->pb) {
		err = perf_buffer__poll(c->pb, timeout_ms);
	}
	if (err < 0 && err != -EINTR)
		return err;
	return (int)(c->received - before);
}

uint64_t consumer_received(const struct consumer *c)
{
	return c->received;
}

uint64_t consumer_lost(const struct consumer *c)
{
	return c->lost;
}

void consumer_free(struct consumer *c)
{
	if (!c)
		return;
	ring_buffer__free(c->rb);
	perf_buffer__free(c->pb);
	free(c);
}
