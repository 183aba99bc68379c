/* The calls method's measuring core: loading, the maps the programs share
 * with us, the result; the rounds themselves are in calls_synth.c and
 * calls_storm.c. See calls_core.h. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "methods/calls_internal.h"
#include "kernel/calls_objects.h"

void calls_opts_defaults(struct calls_opts *o, enum calls_trigger t)
{
	static const uint32_t ks[] = {0, 1, 2, 4, 8, 16, 32};

	memset(o, 0, sizeof(*o));
	o->trigger = t;
	memcpy(o->k_values, ks, sizeof(ks));
	o->nk = sizeof(ks) / sizeof(ks[0]);
	o->rounds = t == CALLS_SYNTHETIC ? 240 : 8;
	o->blocks = t == CALLS_SYNTHETIC ? 48 : 4;
	o->batch = 100;
	o->runs_per_cell = 5;
	o->arm_together = true;
	o->cpu = -1;
	o->stats_cost = true;
	o->connections = 1200;
	o->outlier_factor = 1.5;
	o->outlier_abs_ns = 1000.0;
}

double calls_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void calls_round_order(size_t ncells, unsigned round, size_t *order)
{
	for (size_t i = 0; i < ncells; i++)
		order[i] = (i + round) % ncells;
}

int calls_acc_read(const struct calls_obj *c, uint32_t slot, struct calls_acc *sum)
{
	int ncpu = libbpf_num_possible_cpus();
	struct calls_acc *vals;
	int err;

	memset(sum, 0, sizeof(*sum));
	if (ncpu <= 0)
		return -EINVAL;
	vals = calloc((size_t)ncpu, sizeof(*vals)); /* 24 bytes: already 8-aligned */
	if (!vals)
		return -ENOMEM;
	err = bpf_map_lookup_elem(c->acc_fd, &slot, vals) ? -errno : 0;
	for (int i = 0; !err && i < ncpu; i++) {
		sum->ns += vals[i].ns;
		sum->runs += vals[i].runs;
		sum->fail += vals[i].fail;
		sum->over += vals[i].over;
	}
	free(vals);
	return err;
}

int calls_cfg_write(struct calls_obj *c)
{
	uint32_t zero = 0;

	return bpf_map_update_elem(c->cfg_fd, &zero, &c->cfg, BPF_ANY) ? -errno : 0;
}

struct bpf_program *calls_prog(const struct calls_obj *c, const char *name)
{
	for (int i = 0; i < c->l.nprogs; i++)
		if (!strcmp(c->l.progs[i].name, name))
			return c->l.progs[i].prog;
	return NULL;
}

void calls_delta_sub(struct calls_delta *d, const struct calls_acc *after,
		     const struct calls_acc *before)
{
	d->ns += after->ns - before->ns;
	d->runs += after->runs - before->runs;
	d->fail += after->fail - before->fail;
	d->over += after->over - before->over;
}

void calls_record(struct calls_result *r, int round, size_t vi, size_t ki,
		  const struct calls_delta *d)
{
	double mean = d->runs ? (double)d->ns / (double)d->runs : NAN;
	double *min = &r->min_ns[vi * r->nk + ki];
	size_t at;

	if (!isnan(mean) && (isnan(*min) || mean < *min))
		*min = mean;
	if (round < 0) {
		if (isnan(r->warmup_ns[vi * r->nk + ki]))
			r->warmup_ns[vi * r->nk + ki] = mean;
		return;
	}
	at = CALLS_AT(r, round, vi, ki);
	r->ns[at] = mean;
	r->runs[at] = d->runs;
	r->fails[at] = d->fail;
	r->over[at] = d->over;
}

uint64_t calls_outlier_bound(const struct calls_opts *o, const struct calls_result *r, size_t vi,
			     size_t ki)
{
	double min = r->min_ns[vi * r->nk + ki];

	if (!(o->outlier_factor > 0.0) || isnan(min))
		return 0; /* keep everything (the warm-up sets the first bound) */
	return (uint64_t)(o->outlier_factor * min + o->outlier_abs_ns);
}

static int result_alloc(const struct calls_opts *o, struct calls_result *r)
{
	size_t cells = (size_t)o->rounds * nvariants * o->nk;

	memset(r, 0, sizeof(*r));
	r->trigger = o->trigger;
	r->mode = o->trigger == CALLS_SYNTHETIC ? calls_synthetic_mode.name : o->mode->name;
	r->nvariants = nvariants;
	r->nk = o->nk;
	memcpy(r->k_values, o->k_values, sizeof(r->k_values));
	r->rounds_planned = o->rounds;
	r->blocks = o->blocks;
	r->round_block = calloc(o->rounds, sizeof(unsigned));
	r->variants = calloc(nvariants, sizeof(*r->variants));
	r->ns = malloc(cells * sizeof(double));
	r->driver_ns = malloc(cells * sizeof(double));
	r->runs = calloc(cells, sizeof(uint64_t));
	r->fails = calloc(cells, sizeof(uint64_t));
	r->over = calloc(cells, sizeof(uint64_t));
	r->min_ns = malloc(nvariants * o->nk * sizeof(double));
	r->warmup_ns = malloc(nvariants * o->nk * sizeof(double));
	r->stats_off_ns = malloc(o->rounds * sizeof(double));
	r->stats_on_ns = malloc(o->rounds * sizeof(double));
	if (!r->variants || !r->ns || !r->driver_ns || !r->runs || !r->fails || !r->over ||
	    !r->min_ns || !r->warmup_ns || !r->round_block ||
	    !r->stats_off_ns || !r->stats_on_ns)
		return -1;
	for (size_t i = 0; i < cells; i++)
		r->ns[i] = r->driver_ns[i] = NAN;
	for (size_t i = 0; i < nvariants * o->nk; i++)
		r->warmup_ns[i] = r->min_ns[i] = NAN;
	for (unsigned i = 0; i < o->rounds; i++)
		r->stats_off_ns[i] = r->stats_on_ns[i] = NAN;
	for (size_t v = 0; v < nvariants; v++) {
		r->variants[v].name = variants[v].name;
		r->variants[v].selected = !o->variant_sel || o->variant_sel[v];
		if (!r->variants[v].selected) {
			snprintf(r->variants[v].stage, sizeof(r->variants[v].stage), "select");
			snprintf(r->variants[v].reason, sizeof(r->variants[v].reason),
				 "not selected");
		}
	}
	return 0;
}

void calls_result_free(struct calls_result *r)
{
	if (r->variants)
		for (size_t v = 0; v < r->nvariants; v++)
			for (int j = 0; j < r->variants[v].njit; j++)
				jit_image_free(&r->variants[v].jit[j]);
	free(r->variants);
	free(r->ns);
	free(r->driver_ns);
	free(r->runs);
	free(r->fails);
	free(r->round_block);
	free(r->over);
	free(r->min_ns);
	free(r->warmup_ns);
	free(r->stats_off_ns);
	free(r->stats_on_ns);
	memset(r, 0, sizeof(*r));
}

static int check_opts(const struct calls_opts *o, char *err, size_t errlen)
{
	if (ncalls_objects != nvariants) {
		snprintf(err, errlen, "calls objects (%zu) do not match the variant table (%zu): "
			 "rebuild", ncalls_objects, nvariants);
		return -1;
	}
	if (!o->nk || o->nk > CALLS_MAX_KS || !o->rounds || !o->blocks || o->blocks > o->rounds) {
		snprintf(err, errlen, "need 1..%d K values, at least one round and 1..rounds "
			 "blocks", CALLS_MAX_KS);
		return -1;
	}
	for (size_t i = 0; i < o->nk; i++)
		if (o->k_values[i] > CALLS_MAX_K) {
			snprintf(err, errlen, "K = %u is above %d (a tail-call chain stops at 33)",
				 o->k_values[i], CALLS_MAX_K);
			return -1;
		}
	if (o->trigger == CALLS_SYNTHETIC &&
	    (!o->batch || o->batch > CALLS_MAX_BATCH || !o->runs_per_cell)) {
		snprintf(err, errlen, "synthetic: batch must be 1..%d, runs per cell > 0",
			 CALLS_MAX_BATCH);
		return -1;
	}
	if (o->trigger == CALLS_STORM && (!o->mode || !o->connections)) {
		snprintf(err, errlen, "storm: need an attach mode and connections > 0");
		return -1;
	}
	return 0;
}

/* The programs whose JIT images attribution reads: the timed entry and, for
 * the tail-call variant, the hop. */
static void capture_jit(struct calls_obj *c, const char *prefix, struct calls_variant_status *st)
{
	const char *suffix[] = {"active", "active_tc"};

	for (int j = 0; j < 2; j++) {
		char name[64];
		struct bpf_program *p;

		snprintf(name, sizeof(name), "%s%s", prefix, suffix[j]);
		p = calls_prog(c, name);
		if (p && !jit_image_get(bpf_program__fd(p), name, &st->jit[st->njit]))
			st->njit++;
	}
}

static void mark_failed(struct calls_variant_status *st, const char *stage, const char *reason)
{
	st->ok = false;
	snprintf(st->stage, sizeof(st->stage), "%s", stage);
	snprintf(st->reason, sizeof(st->reason), "%s", reason);
}

static int load_one(const struct calls_opts *o, const struct attach_mode *m, struct calls_obj *c,
		    struct calls_variant_status *st, bool first)
{
	const struct calls_object *co = &calls_objects[c->vi];
	struct load_opts lo = {
		.variant = &variants[c->vi],
		.mode = m,
		.output = OUTPUT_NONE,
		.target_netns = o->target_netns,
		.log_level = 4, /* statistics only: the reason line is all we keep */
		.elf_bytes = st->fallback ? co->alt_elf_bytes : co->elf_bytes,
	};
	struct bpf_map *cfg, *acc, *sock;

	if (loader_load(&lo, &c->l)) {
		mark_failed(st, c->l.stage ? c->l.stage : "load", c->l.reason);
		if (!first || st->fallback || !co->alt_elf_bytes)
			return -1;
		/* the first block may still find the alternate object loads */
		loader_unload(&c->l);
		snprintf(st->note, sizeof(st->note), "%s", st->reason);
		lo.elf_bytes = co->alt_elf_bytes;
		if (loader_load(&lo, &c->l)) {
			char both[CALLS_REASON_LEN];

			snprintf(both, sizeof(both), "%.240s; the alternate calls object: %.240s",
				 st->note, c->l.reason);
			mark_failed(st, c->l.stage ? c->l.stage : "load", both);
			st->note[0] = '\0';
			return -1;
		}
		st->fallback = true;
		st->stage[0] = st->reason[0] = '\0';
	}
	c->loaded = true;
	/* The synthetic design attaches sy_active itself (calls_synth.c), not
	 * through loader_attach(), which is what puts extension programs over
	 * their stubs: measured there, the stub would run, not the handler. */
	for (int i = 0; m == &calls_synthetic_mode && i < c->l.nprogs; i++)
		if (c->l.progs[i].extension) {
			mark_failed(st, "attach", "the synthetic trigger does not attach extension "
				    "programs (calls_synth.c)");
			return -1;
		}
	cfg = bpf_object__find_map_by_name(c->l.obj, "calls_cfg");
	acc = bpf_object__find_map_by_name(c->l.obj, "calls_acc");
	sock = bpf_object__find_map_by_name(c->l.obj, "calls_sock");
	if (!cfg || !acc || !sock) {
		mark_failed(st, "load", "not a calls object (no calls_cfg/calls_acc/calls_sock)");
		return -1;
	}
	c->cfg_fd = bpf_map__fd(cfg);
	c->acc_fd = bpf_map__fd(acc);
	c->sock_fd = bpf_map__fd(sock);
	st->ok = true;
	if (first)
		capture_jit(c, m->prefix, st);
	return 0;
}

/* Load every selected variant's object; the first block decides which
 * variants are in (a refusal is their result), later blocks reload those. */
static size_t load_all(const struct calls_opts *o, const struct attach_mode *m,
		       struct calls_obj *objs, struct calls_result *r, bool first)
{
	size_t nobjs = 0;

	for (size_t v = 0; v < nvariants; v++) {
		struct calls_obj *c = &objs[nobjs];
		struct calls_variant_status *st = &r->variants[v];

		if (!st->selected || (!first && !st->ok))
			continue;
		memset(c, 0, sizeof(*c));
		c->vi = v;
		if (load_one(o, m, c, st, first)) {
			if (!first)
				snprintf(st->stage, sizeof(st->stage), "reload");
			if (c->loaded)
				loader_unload(&c->l);
			continue;
		}
		nobjs++;
	}
	return nobjs;
}

int calls_run(const struct calls_opts *o, struct calls_result *r, char *err, size_t errlen)
{
	const struct attach_mode *m =
		o->trigger == CALLS_SYNTHETIC ? &calls_synthetic_mode : o->mode;
	struct calls_session ses = {.sock = {-1, -1, -1}};
	struct calls_obj *objs;
	unsigned per = 0;
	double t0 = calls_now();
	int rc = 0;

	if (check_opts(o, err, errlen))
		return -1;
	if (result_alloc(o, r) || !(objs = calloc(nvariants, sizeof(*objs)))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	per = (o->rounds + o->blocks - 1) / o->blocks;
	for (unsigned bi = 0; bi < o->blocks && !rc && !(o->stop && *o->stop); bi++) {
		struct calls_block b = {.index = bi, .first = bi * per};
		size_t nobjs;

		if (b.first >= o->rounds)
			break;
		b.n = b.first + per > o->rounds ? o->rounds - b.first : per;
		/* none loading is a result too: every variant says why */
		nobjs = load_all(o, m, objs, r, bi == 0);
		if (nobjs) {
			rc = o->trigger == CALLS_SYNTHETIC
				     ? calls_synth_block(o, &ses, objs, nobjs, &b, r, err, errlen)
				     : calls_storm_block(o, objs, nobjs, &b, r, err, errlen);
		}
		for (size_t i = 0; i < nobjs; i++)
			loader_unload(&objs[i].l); /* detaches whatever is still attached */
	}
	if (o->trigger == CALLS_SYNTHETIC)
		calls_synth_end(o, &ses);
	free(objs);
	r->seconds = calls_now() - t0;
	return rc;
}
