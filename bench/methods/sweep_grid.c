/* Running the sweep grid; see sweep_grid.h. */
#include "methods/sweep_grid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "methods/sweep_crossover.h"

const struct sweep_grid sweep_grid_quick = {
	.name = "quick",
	.calls_max = 64,
	.progs = {1, 2, 4, 8, 16},
	.nprogs = 5,
	.trips = {1, 16, 256, 4096},
	.ntrips = 4,
	.units = {0, 16},
	.nunits = 2,
	.point_timeout_ms = 10000,
	.budget_ms = 25000,
};

const struct sweep_grid sweep_grid_full = {
	.name = "full",
	.calls_max = 1u << 20,
	.progs = {1, 2, 3, 4, 6, 8, 12, 16},
	.nprogs = 8,
	.loop_max = 1u << 20,
	.bpf_loop_max = 1u << 23, /* BPF_MAX_LOOPS: what bpf_loop accepts at run time */
	.units = {0, 1, 2, 4, 8, 16, 28, 32},
	.nunits = 8,
	.tracepoint = true,
	.calls_bisect = true,
	.point_timeout_ms = 120000,
	.budget_ms = 3600000,
};

bool sweep_cpu_has_long_jumps(const char *cpu)
{
	/* "v4", "v5", ...: the BPF ISA v4 added the 32-bit JA (gotol). */
	return cpu && cpu[0] == 'v' && cpu[1] >= '4' && cpu[1] <= '9';
}

struct run {
	const struct sweep_grid *g;
	struct sweep_rows *out;
	sweep_progress_fn progress;
	void *user;
	struct timespec t0;
	unsigned npoints;
	int oom;
};

struct point {
	const struct sweep_object *o;
	enum sweep_axis axis;
	const char *attach; /* "tp_btf" or "tracepoint" */
	uint32_t n;
	uint32_t trips;
	uint32_t sites; /* sweep_sites knob; 0: all */
	uint32_t built_n;
	char names[SWEEP_MAX_PROGS][SWEEP_NAME_LEN];
	int nnames;
	int tail; /* index of the tail-call target in names, or -1 */
};

static double since_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

static const char *hook_prefix(const char *attach)
{
	return strcmp(attach, "tracepoint") ? "tpb_" : "tp_";
}

static void point_add(struct point *p, const char *prefix, const char *rest)
{
	if (p->nnames < SWEEP_MAX_PROGS)
		snprintf(p->names[p->nnames++], SWEEP_NAME_LEN, "%s%s", prefix, rest);
}

/* A row with every text field a copy of its own: sweep_rows_free() frees
 * them through the column table, whatever realloc does to the array. */
static struct sweep_row *new_row(struct sweep_rows *r)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 64;
		struct sweep_row *rows = realloc(r->rows, cap * sizeof(*rows));
		char **logs = realloc(r->logs, cap * sizeof(*logs));

		if (rows)
			r->rows = rows;
		if (logs)
			r->logs = logs;
		if (!rows || !logs)
			return NULL;
		r->cap = cap;
	}
	rf_row_clear(&sweep_csv, &r->rows[r->n]);
	r->logs[r->n] = NULL;
	return &r->rows[r->n++];
}

static int keep_held(struct sweep_rows *r, struct sweep_result *res)
{
	if (r->nheld == r->capheld) {
		size_t cap = r->capheld ? 2 * r->capheld : 16;
		struct sweep_result *h = realloc(r->held, cap * sizeof(*h));

		if (!h)
			return -1;
		r->held = h;
		r->capheld = cap;
	}
	r->held[r->nheld++] = *res;
	return 0;
}

static const char *dup(const char *s)
{
	return strdup(s ? s : "");
}

static const char *status_text(enum sweep_status s)
{
	switch (s) {
	case SWEEP_OK: return SWEEP_ST_OK;
	case SWEEP_REFUSED: return SWEEP_ST_REFUSED;
	case SWEEP_TIMEOUT: return SWEEP_ST_TIMEOUT;
	case SWEEP_SKIPPED: return SWEEP_ST_SKIPPED;
	default: return SWEEP_ST_FAILED;
	}
}

static const char *cpu_of(const struct run *run, const struct sweep_object *o)
{
	return o->bpf_cpu[0] ? o->bpf_cpu : run->g->bpf_cpu;
}

/* A function past the 16-bit branch range without 32-bit jumps: whatever the
 * kernel said is about a build that may have wrapped branches. */
static bool past_branch_range(const struct run *run, const struct sweep_object *o,
			      const struct sweep_result *res)
{
	return !sweep_cpu_has_long_jumps(cpu_of(run, o)) &&
	       res->m.max_func_insns > SWEEP_BRANCH_RANGE_INSNS && res->status != SWEEP_SKIPPED &&
	       res->status != SWEEP_FAILED;
}

static void fill_row(const struct run *run, struct sweep_row *row, const struct point *p,
		     const struct sweep_result *res)
{
	const struct sweep_metrics *m = &res->m;
	char ids[SWEEP_MAX_PROGS * 11 + 1] = "", reason[SWEEP_REASON_LEN + 160];
	size_t off = 0;

	row->kernel = dup(run->g->kernel);
	row->variant = dup(p->o->variant);
	row->axis = dup(sweep_axis_name(p->axis));
	row->n = p->n;
	row->style = dup(p->o->style);
	row->attach = dup(p->attach);
	row->call = dup(p->o->call);
	row->built_n = p->built_n ? p->built_n : p->n;
	row->object = dup(p->o->name);
	row->grid = dup(run->g->name);
	row->bpf_cpu = dup(cpu_of(run, p->o));
	row->elf_code_bytes = m->elf_code_bytes;
	row->insn_cnt = m->insn_cnt;
	if (row->built_n != row->n) /* the built program's, not n's */
		row->elf_code_bytes = row->insn_cnt = -1;
	row->verified_insns = m->verified_insns;
	row->total_states = m->total_states;
	row->peak_states = m->peak_states;
	row->verify_usec = m->verify_usec;
	row->stack_depth = m->stack_depth;
	row->xlated_bytes = m->xlated_bytes;
	row->jited_bytes = m->jited_bytes;
	row->jited_funcs = m->jited_funcs;
	row->memlock_bytes = m->memlock_bytes;
	row->prog_insns = m->max_func_insns;
	row->load_ms = res->load_ms;
	row->failed_prog = dup(res->failed_prog);
	for (int k = 0; k < res->nprog_ids && off < sizeof(ids); k++)
		off += (size_t)snprintf(ids + off, sizeof(ids) - off, "%s%u", k ? "+" : "",
					res->prog_ids[k]);
	row->prog_ids = dup(ids);
	if (past_branch_range(run, p->o, res)) {
		snprintf(reason, sizeof(reason),
			 "a function of %lld insns built with -mcpu=%s (16-bit branch offsets: "
			 "clang 14 wraps longer branches silently); the kernel: %s",
			 (long long)m->max_func_insns, cpu_of(run, p->o),
			 res->status == SWEEP_OK ? "loaded it" : res->reason);
		row->status = dup(SWEEP_ST_BRANCH_RANGE);
		row->reason = dup(reason);
		row->refusal = dup("");
	} else {
		row->status = dup(status_text(res->status));
		row->reason = dup(res->reason);
		row->refusal = dup(res->status == SWEEP_REFUSED
					   ? sweep_refusal_kind_name(sweep_refusal_classify(res->reason))
					   : "");
	}
	row->log = dup("");
}

static bool is(const struct sweep_row *r, const char *status)
{
	return !strcmp(r->status, status);
}

/* Measure one point; its row (NULL when out of memory). */
static const struct sweep_row *measure(struct run *run, const struct point *p)
{
	struct sweep_job job = {
		.obj_name = p->o->name,
		.obj_bytes = p->o->bytes,
		.obj_len = p->o->len,
		.nprogs = p->nnames,
		.tail_target = p->tail >= 0 ? p->names[p->tail] : NULL,
		.trips = p->trips,
		.sites = p->sites,
		.timeout_ms = run->g->point_timeout_ms,
	};
	struct sweep_result res;
	struct sweep_row *row = new_row(run->out);

	if (!row) {
		run->oom = 1;
		return NULL;
	}
	for (int i = 0; i < p->nnames; i++)
		job.progs[i] = p->names[i];
	if (run->g->budget_ms && since_ms(&run->t0) > run->g->budget_ms) {
		memset(&res, 0, sizeof(res));
		sweep_metrics_unknown(&res.m);
		res.status = SWEEP_SKIPPED;
		snprintf(res.reason, sizeof(res.reason), "the grid's time budget (%u s) was spent",
			 run->g->budget_ms / 1000);
		run->out->skipped++;
		fill_row(run, row, p, &res);
		return row;
	}
	run->npoints++;
	job.hold = run->g->hold_every && run->npoints % run->g->hold_every == 0;
	sweep_measure(&job, &res);
	fill_row(run, row, p, &res);
	if (res.log && is(row, SWEEP_ST_REFUSED)) {
		run->out->logs[row - run->out->rows] = res.log;
		res.log = NULL;
	}
	if (run->progress)
		run->progress(run->user, row);
	if (!res.held || keep_held(run->out, &res))
		sweep_result_free(&res); /* else freed with the rows */
	return row;
}

static void point_init(struct point *p, const struct sweep_object *o, enum sweep_axis axis,
		       const char *attach, uint32_t n)
{
	memset(p, 0, sizeof(*p));
	p->o = o;
	p->axis = axis;
	p->attach = attach;
	p->n = n;
	p->tail = -1;
}

static bool axis_on(const struct run *run, enum sweep_axis a)
{
	return !run->g->axes || (run->g->axes & (1u << a));
}

static bool in_list(const uint32_t *v, size_t n, uint32_t x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

static void run_calls(struct run *run, const struct sweep_object *o, const char *attach)
{
	const char *pre = hook_prefix(attach);
	char prefix[32], name[32];
	uint32_t ns[256];
	struct point p;
	int k;

	snprintf(prefix, sizeof(prefix), "%scalls_", pre);
	k = sweep_object_numbered(o, prefix, ns, 256);
	if (o->units == 0 && axis_on(run, SWEEP_AXIS_CALLS))
		for (int i = 0; i < k && !run->oom; i++) {
			if (ns[i] > run->g->calls_max)
				continue;
			point_init(&p, o, SWEEP_AXIS_CALLS, attach, ns[i]);
			snprintf(name, sizeof(name), "calls_%u", ns[i]);
			point_add(&p, pre, name);
			measure(run, &p);
		}
	/* The size axis: 2 call sites, the handler at U units (U = 0 from the
	 * calls object, the others from their own objects). */
	if (o->tag[0] || !axis_on(run, SWEEP_AXIS_SIZE) ||
	    !in_list(run->g->units, run->g->nunits, o->units) ||
	    !in_list(ns, k > 0 ? (size_t)k : 0, 2))
		return;
	point_init(&p, o, SWEEP_AXIS_SIZE, attach, o->units);
	point_add(&p, pre, "calls_2");
	measure(run, &p);
}

/* Between the largest n that loaded (lo) and the first refused (hi): halve
 * until they are adjacent. Stops at a timeout or failure (no verdict). */
typedef const struct sweep_row *(*try_fn)(struct run *run, const void *ctx, uint32_t n);

static void bisect(struct run *run, uint32_t lo, uint32_t hi, try_fn try, const void *ctx)
{
	while (hi - lo > 1 && !run->oom) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct sweep_row *r = try(run, ctx, mid);

		if (r && is(r, SWEEP_ST_OK))
			lo = mid;
		else if (r && is(r, SWEEP_ST_REFUSED))
			hi = mid;
		else
			return;
	}
}

static const struct sweep_row *run_trips(struct run *run, const struct sweep_object *o,
					 enum sweep_axis axis, const char *attach, uint32_t trips)
{
	struct point p;

	point_init(&p, o, axis, attach, trips);
	point_add(&p, hook_prefix(attach), axis == SWEEP_AXIS_LOOP ? "loop" : "bpfloop");
	p.trips = trips;
	return measure(run, &p);
}

struct loop_ctx {
	const struct sweep_object *o;
	enum sweep_axis axis;
	const char *attach;
};

static const struct sweep_row *try_trips(struct run *run, const void *ctx, uint32_t n)
{
	const struct loop_ctx *l = ctx;

	return run_trips(run, l->o, l->axis, l->attach, n);
}

static void run_loop(struct run *run, const struct sweep_object *o, enum sweep_axis axis,
		     const char *attach)
{
	uint32_t max = axis == SWEEP_AXIS_LOOP ? run->g->loop_max : run->g->bpf_loop_max;
	const struct loop_ctx ctx = {o, axis, attach};
	uint32_t lo = 0;

	if (!max) {
		for (size_t i = 0; i < run->g->ntrips && !run->oom; i++)
			run_trips(run, o, axis, attach, run->g->trips[i]);
		return;
	}
	for (uint64_t l = 1; l <= max && !run->oom; l *= 2) {
		const struct sweep_row *r = run_trips(run, o, axis, attach, (uint32_t)l);

		if (r && is(r, SWEEP_ST_OK)) {
			lo = (uint32_t)l;
			continue;
		}
		if (r && is(r, SWEEP_ST_REFUSED))
			bisect(run, lo, (uint32_t)l, try_trips, &ctx);
		break;
	}
}

static void run_progs(struct run *run, const struct sweep_object *o, const char *attach)
{
	const char *pre = hook_prefix(attach);
	char name[24];
	bool tail = !strcmp(o->call, SWEEP_CALL_TAIL);
	struct point p;

	for (size_t i = 0; i < run->g->nprogs && !run->oom; i++) {
		uint32_t m = run->g->progs[i];

		point_init(&p, o, SWEEP_AXIS_PROGS, attach, m);
		for (uint32_t k = 0; k < m && p.nnames < SWEEP_MAX_PROGS - 1; k++) {
			snprintf(name, sizeof(name), "progs_%u", k);
			point_add(&p, pre, name);
		}
		if (tail) {
			p.tail = p.nnames;
			point_add(&p, pre, SWEEP_TAIL_TARGET);
		}
		measure(run, &p);
	}
}

static void run_object(struct run *run, const struct sweep_object *o, const char *attach)
{
	char probe[SWEEP_NAME_LEN];

	if (!strcmp(attach, "tracepoint")) {
		/* Only where the generator built the twins (CO-RE objects). */
		snprintf(probe, sizeof(probe), "tp_%s", !strcmp(o->shape, "calls") ? "calls_2"
						       : !strcmp(o->shape, "progs") ? "progs_0"
						       : o->shape);
		if (!sweep_object_has(o, probe))
			return;
	}
	if (!strcmp(o->shape, "calls"))
		run_calls(run, o, attach);
	else if (!strcmp(o->shape, "loop") && o->units == 0 && axis_on(run, SWEEP_AXIS_LOOP))
		run_loop(run, o, SWEEP_AXIS_LOOP, attach);
	else if (!strcmp(o->shape, "bpfloop") && o->units == 0 &&
		 axis_on(run, SWEEP_AXIS_BPF_LOOP))
		run_loop(run, o, SWEEP_AXIS_BPF_LOOP, attach);
	else if (!strcmp(o->shape, "progs") && o->units == 0 && axis_on(run, SWEEP_AXIS_PROGS))
		run_progs(run, o, attach);
}

/* calls_bisect: the refused program, loaded with sweep_sites = n. */
struct calls_ctx {
	const struct sweep_object *o;
	const char *attach;
	uint32_t built_n;
};

static const struct sweep_row *try_sites(struct run *run, const void *ctx, uint32_t n)
{
	const struct calls_ctx *c = ctx;
	struct point p;
	char name[32];

	point_init(&p, c->o, SWEEP_AXIS_CALLS, c->attach, n);
	snprintf(name, sizeof(name), "calls_%u", c->built_n);
	point_add(&p, hook_prefix(c->attach), name);
	p.sites = n;
	p.built_n = c->built_n;
	return measure(run, &p);
}

/* The object of the row that refused `n` call sites in series s. */
static const struct sweep_object *refused_object(const struct run *run,
						 const struct sweep_catalog *c,
						 const struct sweep_series *s, const char *variant,
						 int64_t n)
{
	for (size_t k = 0; k < run->out->n; k++) {
		const struct sweep_row *r = &run->out->rows[k];

		if (r->n != n || r->built_n != n || strcmp(r->variant, variant) ||
		    !sweep_in_series(r, s))
			continue;
		for (size_t i = 0; i < c->n; i++)
			if (!strcmp(c->objs[i].name, r->object))
				return &c->objs[i];
	}
	return NULL;
}

static void bisect_calls(struct run *run, const struct sweep_catalog *c)
{
	struct sweep_series series[16];
	/* The rows grow meanwhile: take the series and variants first (their
	 * strings are the rows' own allocations, which realloc does not move),
	 * and look each refusal up afresh. */
	size_t ns = sweep_series_of(run->out->rows, run->out->n, series, 16);
	char *variants[32];
	size_t nv = 0;

	for (size_t i = 0; i < run->out->n && nv < 32; i++) {
		bool seen = false;

		for (size_t v = 0; v < nv && !seen; v++)
			seen = !strcmp(variants[v], run->out->rows[i].variant);
		if (!seen && !(variants[nv] = strdup(run->out->rows[i].variant)))
			break;
		nv += !seen;
	}
	for (size_t i = 0; i < ns; i++) {
		const struct sweep_series s = series[i];

		if (strcmp(s.axis, sweep_axis_name(SWEEP_AXIS_CALLS)))
			continue;
		for (size_t v = 0; v < nv && !run->oom; v++) {
			struct sweep_refusal ref;
			struct calls_ctx ctx = {.attach = s.attach};

			sweep_first_refusal(run->out->rows, run->out->n, &s, variants[v], &ref);
			if (!ref.found || !ref.have_last_ok || ref.n - ref.last_ok <= 1 ||
			    !sweep_refusal_is_work(ref.kind))
				continue;
			ctx.o = refused_object(run, c, &s, variants[v], ref.n);
			ctx.built_n = (uint32_t)ref.n;
			if (ctx.o)
				bisect(run, (uint32_t)ref.last_ok, (uint32_t)ref.n, try_sites, &ctx);
		}
	}
	for (size_t v = 0; v < nv; v++)
		free(variants[v]);
}

static int row_cmp(const void *pa, const void *pb)
{
	const struct sweep_row *a = pa, *b = pb;
	int d;

	if ((d = sweep_axis_parse(a->axis) - sweep_axis_parse(b->axis)))
		return d;
	if ((d = strcmp(b->style, a->style)) || (d = strcmp(b->attach, a->attach)))
		return d; /* core before btf, tp_btf before tracepoint */
	if ((d = sweep_variant_rank(a->variant) - sweep_variant_rank(b->variant)) ||
	    (d = strcmp(a->variant, b->variant)))
		return d;
	return (a->n > b->n) - (a->n < b->n);
}

/* Sort the rows and their logs together: each row's key is unique, so the
 * order is total and qsort's instability does not show. */
struct row_log {
	struct sweep_row row;
	char *log;
};

static int row_log_cmp(const void *a, const void *b)
{
	return row_cmp(&((const struct row_log *)a)->row, &((const struct row_log *)b)->row);
}

static int sort_rows(struct sweep_rows *r)
{
	struct row_log *p = malloc((r->n ? r->n : 1) * sizeof(*p));

	if (!p)
		return -1;
	for (size_t i = 0; i < r->n; i++)
		p[i] = (struct row_log){r->rows[i], r->logs[i]};
	qsort(p, r->n, sizeof(*p), row_log_cmp);
	for (size_t i = 0; i < r->n; i++) {
		r->rows[i] = p[i].row;
		r->logs[i] = p[i].log;
	}
	free(p);
	return 0;
}

int sweep_grid_run(const struct sweep_grid *g, const struct sweep_catalog *c,
		   struct sweep_rows *out, sweep_progress_fn progress, void *user)
{
	struct run run = {.g = g, .out = out, .progress = progress, .user = user};

	memset(out, 0, sizeof(*out));
	clock_gettime(CLOCK_MONOTONIC, &run.t0);
	for (size_t i = 0; i < c->n && !run.oom; i++) {
		run_object(&run, &c->objs[i], "tp_btf");
		if (g->tracepoint)
			run_object(&run, &c->objs[i], "tracepoint");
	}
	if (g->calls_bisect && !run.oom)
		bisect_calls(&run, c);
	out->elapsed_ms = since_ms(&run.t0);
	if (sort_rows(out))
		run.oom = 1;
	return run.oom ? -1 : 0;
}

void sweep_rows_free(struct sweep_rows *r)
{
	for (size_t i = 0; i < r->nheld; i++)
		sweep_result_free(&r->held[i]);
	for (size_t i = 0; i < r->n; i++) {
		for (int c = 0; c < sweep_csv.ncols; c++)
			if (sweep_csv.cols[c].type == COL_TEXT)
				free(*(char **)((char *)&r->rows[i] + sweep_csv.cols[c].offset));
		free(r->logs[i]);
	}
	free(r->held);
	free(r->rows);
	free(r->logs);
	memset(r, 0, sizeof(*r));
}
