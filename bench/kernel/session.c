/* The load -> attach -> count -> detach sequence; see session.h. */
#include "kernel/session.h"

#include <errno.h>
#include <string.h>

#include "kernel/netns.h"
#include "kernel/prog_info.h"

int session_setup(const char *who, const struct attach_mode *asked, bool private_netns, FILE *why,
		  struct session_env *env)
{
	const char *problem = loader_privilege_problem();

	memset(env, 0, sizeof(*env));
	if (problem) {
		fprintf(stderr, "%s: %s\n", who, problem);
		return -1;
	}
	if (private_netns && !(env->netns = netns_enter_private())) {
		fprintf(stderr, "%s: cannot create a private network namespace: %s\n", who,
			strerror(errno));
		return -1;
	}
	env->mode = asked ? asked : loader_probe_auto(why);
	if (!env->mode) {
		fprintf(stderr, "%s: no attach mode works on this kernel\n", who);
		return -1;
	}
	return 0;
}

static int open_consumer(struct session *s)
{
	if (s->lo.output == OUTPUT_NONE)
		return 0;
	s->consumer = consumer_new(s->l.obj, s->lo.output, s->fn, s->fn_ctx);
	if (!s->consumer) {
		snprintf(s->l.reason, sizeof(s->l.reason), "cannot open the %s consumer: %s",
			 output_mode_name(s->lo.output), strerror(errno));
		s->l.stage = "consumer";
		return -1;
	}
	return 0;
}

int session_open(struct session *s, const struct load_opts *lo, consumer_fn fn, void *fn_ctx)
{
	memset(s, 0, sizeof(*s));
	s->lo = *lo;
	s->fn = fn;
	s->fn_ctx = fn_ctx;
	if (loader_load(&s->lo, &s->l))
		return -1;
	return open_consumer(s);
}

int session_attach(struct session *s, char *reason, size_t len)
{
	if (!loader_attach(&s->l, reason, len))
		return 0;
	/* Older kernels attach a trampoline program once per load. */
	consumer_free(s->consumer);
	s->consumer = NULL;
	loader_unload(&s->l);
	if (loader_load(&s->lo, &s->l) || open_consumer(s)) {
		snprintf(reason, len, "reload after a refused attach: %.400s", s->l.reason);
		return -1;
	}
	s->reloads++;
	return loader_attach(&s->l, reason, len);
}

void session_detach(struct session *s)
{
	loader_detach(&s->l);
}

int session_poll(struct session *s, int ms)
{
	return s->consumer ? consumer_poll(s->consumer, ms) : 0;
}

int session_drain(struct session *s)
{
	return s->consumer ? consumer_drain(s->consumer) : 0;
}

void session_read(const struct session *s, struct session_counts *c)
{
	memset(c, 0, sizeof(*c));
	loader_read_counter(&s->l, CNT_ACTIVE, &c->active);
	loader_read_counter(&s->l, CNT_PASSIVE, &c->passive);
	loader_read_counter(&s->l, CNT_DROPS, &c->drops);
	if (s->consumer) {
		c->received = consumer_received(s->consumer);
		c->drops += consumer_lost(s->consumer);
	}
	/* A tail target's own time, if a kernel ever counts it, is part of the
	 * variant's cost; its runs are kept apart from the entry programs'. An
	 * extension runs inside its hook (a jump over the replaced function),
	 * so the kernel charges its time there; it has no runs of its own. */
	for (int i = 0; i < s->l.nprogs; i++) {
		uint64_t ns = 0, n = 0;

		prog_run_counters(s->l.progs[i].fd, &ns, &n);
		c->run_ns += ns;
		if (s->l.progs[i].tail_target)
			c->tail_run_cnt += n;
		else if (!s->l.progs[i].extension)
			c->run_cnt += n;
	}
}

void session_counts_delta(const struct session_counts *a, const struct session_counts *b,
			  struct session_counts *d)
{
	d->active = b->active - a->active;
	d->passive = b->passive - a->passive;
	d->drops = b->drops - a->drops;
	d->received = b->received - a->received;
	d->run_ns = b->run_ns - a->run_ns;
	d->run_cnt = b->run_cnt - a->run_cnt;
	d->tail_run_cnt = b->tail_run_cnt - a->tail_run_cnt;
}

void session_close(struct session *s)
{
	consumer_free(s->consumer);
	s->consumer = NULL;
	loader_unload(&s->l);
}
