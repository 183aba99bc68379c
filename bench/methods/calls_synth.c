/* The synthetic-trigger design of the calls method (see calls_core.h):
 * every variant's sy_active is attached to bpf_trigger_tp; a cell arms the
 * variants at one K (all of them by default, re-attached in a rotated order
 * every round; or one variant per cell), runs the driver, disarms them and
 * reads what each program measured. */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "methods/calls_internal.h"

struct synth {
	const struct calls_opts *o;
	struct calls_session *ses;
	struct calls_obj *objs;
	size_t nobjs;
	const struct calls_block *b;
	struct calls_result *r;
	int driver_fd;
	struct calls_obj *driver; /* the object whose sy_driver fires the triggers */
	struct bpf_link **trig;	  /* [nobjs]: each sy_active's link */
	struct bpf_link **old;	  /* [nobjs]: the previous round's, while re-attaching */
	struct calls_acc *before; /* [nobjs]: a cell's starting sums */
};

/* One loopback connection in the caller's namespace, kept open. */
static int connect_pair(int s[3], char *err, size_t errlen)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);

	s[0] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	s[1] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	s[2] = -1;
	if (s[0] < 0 || s[1] < 0 || bind(s[0], (struct sockaddr *)&a, sizeof(a)) ||
	    listen(s[0], 1) || getsockname(s[0], (struct sockaddr *)&a, &len) ||
	    connect(s[1], (struct sockaddr *)&a, sizeof(a)) ||
	    (s[2] = accept4(s[0], NULL, NULL, SOCK_CLOEXEC)) < 0) {
		snprintf(err, errlen, "loopback connection for the synthetic socket: %s",
			 strerror(errno));
		return -1;
	}
	return 0;
}

/* The objects' sy_capture programs see the connection made while they are
 * attached; the session keeps that socket's address (and the connection
 * open) for every later load's handlers. The capture links go again before
 * any cell runs. */
static int capture_socket(struct synth *s, char *err, size_t errlen)
{
	struct bpf_link **cap = calloc(s->nobjs, sizeof(*cap));
	int rc = -1;

	if (!cap)
		return -1;
	for (size_t i = 0; i < s->nobjs; i++) {
		struct bpf_program *p = calls_prog(&s->objs[i], "sy_capture");

		if (!p || !(cap[i] = bpf_program__attach(p))) {
			snprintf(err, errlen, "attach sy_capture: %s", p ? strerror(errno) : "missing");
			goto out;
		}
	}
	if (connect_pair(s->ses->sock, err, errlen))
		goto out;
	for (size_t i = 0; i < s->nobjs; i++) {
		struct calls_obj *c = &s->objs[i];
		struct calls_sock cs = {0};
		uint32_t zero = 0;

		if (bpf_map_lookup_elem(c->sock_fd, &zero, &cs) || !cs.seen || !cs.addr) {
			snprintf(err, errlen, "%s: sy_capture saw no socket of namespace %u",
				 s->r->variants[c->vi].name, s->o->target_netns);
			goto out;
		}
		s->ses->sk_addr = cs.addr; /* every object saw the same connection */
	}
	rc = 0;
out:
	for (size_t i = 0; i < s->nobjs; i++)
		bpf_link__destroy(cap[i]); /* NULL-safe */
	free(cap);
	return rc;
}

static int drive(struct synth *s, char *err, size_t errlen)
{
	for (unsigned i = 0; i < s->o->runs_per_cell; i++) {
		LIBBPF_OPTS(bpf_test_run_opts, t);

		if (bpf_prog_test_run_opts(s->driver_fd, &t)) {
			snprintf(err, errlen, "BPF_PROG_TEST_RUN of sy_driver: %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* One cell: arm the listed objects at K index ki, drive, disarm, read what
 * each program measured. */
static int run_cell(struct synth *s, const size_t *which, size_t n, size_t ki, int round,
		    char *err, size_t errlen)
{
	struct calls_acc db, da;
	struct calls_delta dd = {0};
	struct calls_result *r = s->r;
	int rc = -1;

	for (size_t j = 0; j < n; j++) {
		struct calls_obj *c = &s->objs[which[j]];

		c->cfg.k = s->o->k_values[ki];
		c->cfg.armed = 1;
		c->cfg.max_ns = calls_outlier_bound(s->o, r, c->vi, ki);
		if (calls_cfg_write(c) || calls_acc_read(c, CALLS_ACC_ACTIVE, &s->before[j]))
			goto maps;
	}
	if (calls_acc_read(s->driver, CALLS_ACC_DRIVER, &db))
		goto maps;
	rc = drive(s, err, errlen);
	for (size_t j = 0; j < n; j++) {
		s->objs[which[j]].cfg.armed = 0;
		if (calls_cfg_write(&s->objs[which[j]]))
			rc = -1;
	}
	if (rc || calls_acc_read(s->driver, CALLS_ACC_DRIVER, &da))
		goto maps;
	calls_delta_sub(&dd, &da, &db);
	for (size_t j = 0; j < n; j++) {
		struct calls_obj *c = &s->objs[which[j]];
		struct calls_acc a;
		struct calls_delta d = {0};

		if (calls_acc_read(c, CALLS_ACC_ACTIVE, &a))
			goto maps;
		calls_delta_sub(&d, &a, &s->before[j]);
		if (d.runs + d.over != (uint64_t)s->o->runs_per_cell * s->o->batch)
			r->events_expected_mismatch++;
		calls_record(r, round, c->vi, ki, &d);
		if (round >= 0)
			r->driver_ns[CALLS_AT(r, round, c->vi, ki)] =
				dd.runs ? (double)dd.ns / (double)dd.runs : NAN;
	}
	return 0;
maps:
	if (!err[0])
		snprintf(err, errlen, "calls maps: %s", strerror(errno));
	return -1;
}

static int stats_sysctl(void)
{
	FILE *f = fopen("/proc/sys/kernel/bpf_stats_enabled", "r");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* Every program unarmed: the driver's ns per trigger, with the kernel's
 * run-time statistics off or on. */
static int run_stats_cell(struct synth *s, bool on, unsigned round, char *err, size_t errlen)
{
	struct calls_acc b, a;
	struct calls_delta d = {0};
	int fd = -1;

	if (on && (fd = bpf_enable_stats(BPF_STATS_RUN_TIME)) < 0) {
		snprintf(err, errlen, "bpf_enable_stats: %s", strerror(errno));
		return -1;
	}
	if (!on && stats_sysctl() == 1)
		s->r->stats_were_on = true; /* someone else holds them on */
	if (calls_acc_read(s->driver, CALLS_ACC_DRIVER, &b) || drive(s, err, errlen) ||
	    calls_acc_read(s->driver, CALLS_ACC_DRIVER, &a)) {
		if (fd >= 0)
			close(fd);
		if (!err[0])
			snprintf(err, errlen, "calls maps: %s", strerror(errno));
		return -1;
	}
	if (fd >= 0)
		close(fd);
	calls_delta_sub(&d, &a, &b);
	(on ? s->r->stats_on_ns : s->r->stats_off_ns)[round] =
		d.runs ? (double)d.ns / (double)d.runs : NAN;
	return 0;
}

/* (Re)attach every usable sy_active, in an order rotated by the round: the
 * programs at one tracepoint run in attach order, so with all armed together
 * no variant is always first. The new links come before the old ones go, so
 * the tracepoint never drops to no probe (that would patch kernel text). A
 * variant that does not attach is out. */
static void attach_triggers(struct synth *s, unsigned round)
{
	for (size_t n = 0; n < s->nobjs; n++) {
		size_t i = (n + round) % s->nobjs;
		struct calls_variant_status *st = &s->r->variants[s->objs[i].vi];
		struct bpf_program *p = calls_prog(&s->objs[i], "sy_active");
		struct bpf_link *old = s->trig[i];

		if (!st->ok)
			continue;
		if (!p || !(s->trig[i] = bpf_program__attach(p))) {
			st->ok = false;
			snprintf(st->stage, sizeof(st->stage), "attach");
			snprintf(st->reason, sizeof(st->reason), "sy_active: %s",
				 p ? strerror(errno) : "missing");
		}
		s->old[i] = old;
	}
	for (size_t i = 0; i < s->nobjs; i++) {
		bpf_link__destroy(s->old[i]);
		s->old[i] = NULL;
	}
}

static size_t usable(const struct synth *s, size_t *which)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nobjs; i++)
		if (s->r->variants[s->objs[i].vi].ok)
			which[n++] = i;
	return n;
}

static int run_block(struct synth *s, char *err, size_t errlen)
{
	const struct calls_opts *o = s->o;
	bool together = o->arm_together;
	size_t ncells = together ? o->nk : s->nobjs * o->nk;
	size_t *order = malloc(ncells * sizeof(*order)), *which = malloc(s->nobjs * sizeof(*which));
	int rc = 0;

	if (!order || !which) {
		free(order);
		free(which);
		return -1;
	}
	/* local round -1 is the block's warm-up */
	for (int lr = -1; lr < (int)s->b->n && !rc; lr++) {
		int round = lr < 0 ? -1 : (int)s->b->first + lr;
		unsigned rot = s->b->first + (unsigned)(lr + 1) + s->b->index;

		if (together || lr < 0)
			attach_triggers(s, rot);
		s->r->progs_per_trigger = (unsigned)usable(s, which);
		calls_round_order(ncells, rot, order);
		if (round >= 0 && o->stats_cost) {
			bool on_first = round & 1; /* alternate which comes first */

			rc = run_stats_cell(s, on_first, (unsigned)round, err, errlen) ||
			     run_stats_cell(s, !on_first, (unsigned)round, err, errlen);
		}
		for (size_t i = 0; i < ncells && !rc; i++) {
			size_t cell = order[i], n = usable(s, which);

			if (together) /* every variant armed at K: paired trigger by trigger */
				rc = run_cell(s, which, n, cell, round, err, errlen);
			else if (s->r->variants[s->objs[cell % s->nobjs].vi].ok) {
				size_t one = cell % s->nobjs; /* K-major: one K's variants side by side */

				rc = run_cell(s, &one, 1, cell / s->nobjs, round, err, errlen);
			}
			if (o->stop && *o->stop)
				break;
		}
		if (o->stop && *o->stop)
			break;
		if (round >= 0 && !rc) {
			s->r->round_block[round] = s->b->index;
			s->r->rounds = (unsigned)round + 1;
		}
	}
	free(order);
	free(which);
	return rc;
}

void calls_synth_end(const struct calls_opts *o, struct calls_session *ses)
{
	for (int i = 0; i < 3; i++)
		if (ses->sock[i] >= 0)
			close(ses->sock[i]);
	if (ses->pinned)
		sched_setaffinity(0, sizeof(ses->old_cpus), &ses->old_cpus);
	(void)o;
}

/* The first block sets the session up: pin, the nonce, the live socket. */
static int session_start(struct synth *s, char *err, size_t errlen)
{
	struct calls_session *ses = s->ses;
	cpu_set_t set;

	if (s->o->cpu >= 0 && !ses->pinned) {
		CPU_ZERO(&set);
		CPU_SET(s->o->cpu, &set);
		if (sched_getaffinity(0, sizeof(ses->old_cpus), &ses->old_cpus) ||
		    sched_setaffinity(0, sizeof(set), &set)) {
			snprintf(err, errlen, "pin to CPU %d: %s", s->o->cpu, strerror(errno));
			return -1;
		}
		ses->pinned = true;
	}
	if (!ses->nonce)
		ses->nonce = ((uint32_t)getpid() ^ (uint32_t)time(NULL) ^ 0x5a5a0000u) | 1;
	return ses->sk_addr ? 0 : capture_socket(s, err, errlen);
}

int calls_synth_block(const struct calls_opts *o, struct calls_session *ses,
		      struct calls_obj *objs, size_t nobjs, const struct calls_block *b,
		      struct calls_result *r, char *err, size_t errlen)
{
	struct synth s = {.o = o, .ses = ses, .objs = objs, .nobjs = nobjs, .b = b, .r = r};
	struct bpf_program *drv;
	int rc = -1;

	err[0] = '\0';
	if (session_start(&s, err, errlen))
		return -1;
	s.driver = &objs[0];
	drv = calls_prog(s.driver, "sy_driver");
	s.driver_fd = drv ? bpf_program__fd(drv) : -1;
	if (s.driver_fd < 0) {
		snprintf(err, errlen, "no sy_driver program");
		return -1;
	}
	for (size_t i = 0; i < nobjs; i++) {
		objs[i].cfg.nonce = ses->nonce;
		objs[i].cfg.batch = o->batch;
		objs[i].cfg.sk_addr = ses->sk_addr;
		objs[i].cfg.armed = 0;
		if (calls_cfg_write(&objs[i])) {
			snprintf(err, errlen, "calls_cfg: %s", strerror(errno));
			return -1;
		}
	}
	s.trig = calloc(nobjs, sizeof(*s.trig));
	s.old = calloc(nobjs, sizeof(*s.old));
	s.before = calloc(nobjs, sizeof(*s.before));
	if (!s.trig || !s.old || !s.before) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	rc = run_block(&s, err, errlen);
	for (size_t i = 0; i < nobjs; i++) {
		struct calls_acc f;

		if (!calls_acc_read(&objs[i], CALLS_ACC_FOREIGN, &f))
			r->foreign += f.runs;
	}
out:
	for (size_t i = 0; s.trig && i < nobjs; i++)
		bpf_link__destroy(s.trig[i]);
	free(s.trig);
	free(s.old);
	free(s.before);
	return rc;
}
