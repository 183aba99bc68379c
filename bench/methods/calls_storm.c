/* The real-hook design of the calls method (see calls_core.h): every
 * variant's hook programs attached and armed at once, a loopback connection
 * storm per step, and in each storm every variant at a different K (a Latin
 * square over the round), so every storm carries the same work. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "methods/calls_internal.h"
#include "storm/hammer.h"

struct storm {
	const struct calls_opts *o;
	struct calls_obj *objs;
	size_t nobjs;
	const struct calls_block *b;
	struct calls_result *r;
	struct calls_acc *before; /* [nobjs][2]: active, passive */
};

static bool obj_ok(const struct storm *s, size_t i)
{
	return s->r->variants[s->objs[i].vi].ok;
}

static int read_both(struct calls_obj *c, struct calls_acc acc[2])
{
	return calls_acc_read(c, CALLS_ACC_ACTIVE, &acc[0]) ||
	       calls_acc_read(c, CALLS_ACC_PASSIVE, &acc[1]);
}

/* K index of object i in storm j of a round: a Latin square, rotated. */
static size_t k_index(size_t i, size_t j, unsigned round, size_t nk)
{
	return (i + j + round) % nk;
}

static int one_storm(struct storm *s, size_t j, int round, unsigned rot, uint64_t connections,
		     char *err, size_t errlen)
{
	const struct calls_opts *o = s->o;
	struct calls_result *r = s->r;
	struct hammer_opts ho;
	struct hammer_result hr;

	for (size_t i = 0; i < s->nobjs; i++) {
		struct calls_obj *c = &s->objs[i];

		if (!obj_ok(s, i))
			continue;
		c->cfg.k = o->k_values[k_index(i, j, rot, o->nk)];
		c->cfg.armed = 1;
		c->cfg.max_ns = calls_outlier_bound(o, r, c->vi,
						    k_index(i, j, rot, o->nk));
		if (calls_cfg_write(c) || read_both(c, &s->before[2 * i])) {
			snprintf(err, errlen, "calls maps: %s", strerror(errno));
			return -1;
		}
	}
	hammer_defaults(&ho);
	ho.connections = connections;
	ho.threads = o->threads;
	ho.quiet = 1;
	if (hammer_run(&ho, &hr, err, errlen))
		return -1;
	if (hr.interrupted) {
		snprintf(err, errlen, "storm interrupted");
		return -1;
	}
	for (size_t i = 0; i < s->nobjs; i++) {
		struct calls_obj *c = &s->objs[i];
		size_t ki = k_index(i, j, rot, o->nk);
		struct calls_acc after[2];
		struct calls_delta d = {0};

		if (!obj_ok(s, i))
			continue;
		if (read_both(c, after)) {
			snprintf(err, errlen, "calls_acc: %s", strerror(errno));
			return -1;
		}
		calls_delta_sub(&d, &after[0], &s->before[2 * i]);
		calls_delta_sub(&d, &after[1], &s->before[2 * i + 1]);
		/* one active and one passive open per accepted connection */
		if (d.runs + d.over != 2 * hr.connections || hr.connections != connections)
			r->events_expected_mismatch++;
		calls_record(r, round, c->vi, ki, &d);
	}
	return 0;
}

int calls_storm_block(const struct calls_opts *o, struct calls_obj *objs, size_t nobjs,
		      const struct calls_block *b, struct calls_result *r, char *err,
		      size_t errlen)
{
	struct storm s = {.o = o, .objs = objs, .nobjs = nobjs, .b = b, .r = r};
	char reason[LOADER_REASON_LEN];
	size_t nok = 0;
	int rc = 0;

	/* The mode itself may be missing here (no kprobe PMU, fentry refused):
	 * the loader's probe says so in the kernel's words, for every variant. */
	if (b->index == 0 && !loader_mode_works(o->mode, reason, sizeof(reason))) {
		for (size_t i = 0; i < nobjs; i++) {
			struct calls_variant_status *st = &r->variants[objs[i].vi];

			st->ok = false;
			snprintf(st->stage, sizeof(st->stage), "mode");
			snprintf(st->reason, sizeof(st->reason), "%s", reason);
		}
		return 0;
	}
	for (size_t i = 0; i < nobjs; i++) {
		struct calls_variant_status *st = &r->variants[objs[i].vi];

		if (st->ok && loader_attach(&objs[i].l, reason, sizeof(reason))) {
			st->ok = false;
			snprintf(st->stage, sizeof(st->stage), "attach");
			snprintf(st->reason, sizeof(st->reason), "%s", reason);
		}
		nok += st->ok;
	}
	if (!nok)
		return 0;
	s.before = calloc(2 * nobjs, sizeof(*s.before));
	if (!s.before)
		return -1;
	/* local round -1 is the block's warm-up, an eighth of a round's storms */
	for (int lr = -1; lr < (int)b->n && !rc; lr++) {
		int round = lr < 0 ? -1 : (int)b->first + lr;
		unsigned rot = b->first + (unsigned)(lr + 1) + b->index;
		uint64_t conns = lr < 0 ? (o->connections + 7) / 8 : o->connections;

		for (size_t j = 0; j < o->nk && !rc; j++) {
			rc = one_storm(&s, j, round, rot, conns, err, errlen);
			if (o->stop && *o->stop)
				break;
		}
		if (o->stop && *o->stop)
			break;
		if (round >= 0 && !rc) {
			r->round_block[round] = b->index;
			r->rounds = (unsigned)round + 1;
		}
	}
	for (size_t i = 0; i < nobjs; i++)
		loader_detach(&objs[i].l);
	free(s.before);
	return rc;
}
