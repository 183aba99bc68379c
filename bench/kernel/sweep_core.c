/* Load one sweep job and measure it; see sweep_core.h. The parsing is the
 * harness's own: verifier_log.c for the stats lines and the refusal, prog_info.c
 * for bpf_prog_info and memlock, elf_sizes.c for the ELF. */
#include "kernel/sweep_core.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kernel/elf_sizes.h"
#include "kernel/loader.h"
#include "kernel/prog_info.h"
#include "kernel/verifier_log.h"

/* A level-4 log is a few stats lines, a refusal adds its error lines. But
 * kernels from 6.4 fail a load (ENOSPC) when everything the verifier *wrote*
 * did not fit, including lines it later discarded: 6.18 writes one line per
 * call of a global function, about 60 bytes a loop trip. So a load that ends
 * in ENOSPC is retried with 16x the buffer, up to LOG_BYTES_MAX. */
#define LOG_BYTES (16 * 1024 * 1024) /* untouched pages cost nothing */
#define LOG_BYTES_MAX (256 * 1024 * 1024)
/* After the deadline the timer keeps firing this often, so each of libbpf's
 * retries on EAGAIN is stopped quickly too. */
#define RETRY_TICK_MS 20
#define TAIL_SLOT 0 /* TAIL_ACTIVE: the slot every sweep entry jumps through */

struct sweep_held {
	struct bpf_object *obj;
};

struct prog_slot {
	struct bpf_program *prog;
	char *log;
};

struct load {
	struct bpf_object *obj;
	struct prog_slot slots[SWEEP_MAX_PROGS];
	int nslots;
};

const char *sweep_status_name(enum sweep_status s)
{
	static const char *const names[] = {
		[SWEEP_OK] = "ok",	   [SWEEP_REFUSED] = "refused", [SWEEP_FAILED] = "failed",
		[SWEEP_TIMEOUT] = "timeout", [SWEEP_SKIPPED] = "skipped",
	};
	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

void sweep_metrics_unknown(struct sweep_metrics *m)
{
	int64_t *f = (int64_t *)m;

	for (size_t i = 0; i < sizeof(*m) / sizeof(int64_t); i++)
		f[i] = -1;
}

static int say(struct sweep_result *r, enum sweep_status st, const char *fmt, ...)
{
	va_list ap;

	r->status = st;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
	return 0;
}

static double elapsed_ms(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) * 1e3 + (double)(b.tv_nsec - a->tv_nsec) / 1e6;
}

/* ---- the deadline: SIGALRM makes the verifier return EAGAIN ---- */

static void on_alarm(int sig)
{
	(void)sig; /* only to interrupt the syscall; nothing to do */
}

struct deadline {
	bool armed;
	struct sigaction old_sa;
	struct itimerval old_it;
};

static void deadline_arm(struct deadline *d, unsigned ms)
{
	struct sigaction sa;
	struct itimerval it = {
		.it_value = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000},
		.it_interval = {.tv_sec = 0, .tv_usec = RETRY_TICK_MS * 1000},
	};

	d->armed = false;
	if (!ms)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm; /* no SA_RESTART: the load must come back */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, &d->old_sa))
		return;
	if (setitimer(ITIMER_REAL, &it, &d->old_it)) {
		sigaction(SIGALRM, &d->old_sa, NULL);
		return;
	}
	d->armed = true;
}

static void deadline_disarm(struct deadline *d)
{
	if (!d->armed)
		return;
	setitimer(ITIMER_REAL, &d->old_it, NULL);
	sigaction(SIGALRM, &d->old_sa, NULL);
	d->armed = false;
}

/* ---- open and select ---- */

static int job_index(const struct sweep_job *job, const char *name)
{
	for (int i = 0; i < job->nprogs; i++)
		if (!strcmp(job->progs[i], name))
			return i;
	return -1;
}

static void load_free(struct load *ld, bool keep_obj)
{
	for (int i = 0; i < ld->nslots; i++)
		free(ld->slots[i].log);
	if (!keep_obj)
		bpf_object__close(ld->obj);
	memset(ld, 0, sizeof(*ld));
}

static int open_and_select(const struct sweep_job *job, struct load *ld, struct sweep_result *r,
			   size_t log_bytes)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .object_name = job->obj_name);
	struct bpf_program *prog;
	int found = 0;

	ld->obj = bpf_object__open_mem(job->obj_bytes, job->obj_len, &oo);
	if (!ld->obj) {
		r->err = errno;
		return say(r, SWEEP_FAILED, "open %s: %s", job->obj_name, strerror(errno)), -1;
	}
	ld->nslots = job->nprogs;
	bpf_object__for_each_program(prog, ld->obj) {
		int i = job_index(job, bpf_program__name(prog));

		bpf_program__set_autoload(prog, i >= 0);
		if (i < 0)
			continue;
		ld->slots[i].prog = prog;
		ld->slots[i].log = calloc(1, log_bytes);
		if (!ld->slots[i].log)
			return say(r, SWEEP_FAILED, "out of memory for verifier logs"), -1;
		bpf_program__set_log_level(prog, 4); /* BPF_LOG_STATS only */
		bpf_program__set_log_buf(prog, ld->slots[i].log, log_bytes);
		found++;
	}
	for (int i = 0; i < job->nprogs; i++)
		if (!ld->slots[i].prog)
			return say(r, SWEEP_FAILED, "%s has no program %s", job->obj_name,
				   job->progs[i]), -1;
	const struct {
		const char *name;
		uint32_t val;
	} knobs[] = {{"sweep_trips", job->trips}, {"sweep_sites", job->sites}};
	for (size_t i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		int err = knobs[i].val ? set_rodata_u32(ld->obj, knobs[i].name, knobs[i].val) : 0;

		if (err)
			return say(r, SWEEP_FAILED, "%s: cannot set %s: %s", job->obj_name,
				   knobs[i].name, strerror(-err)), -1;
	}
	return found ? 0 : -1;
}

/* ---- measuring ---- */

static void add(int64_t *sum, int64_t v)
{
	if (*sum >= 0)
		*sum = v < 0 ? -1 : *sum + v;
}

/* ELF code of the job's programs (every program of a sweep object calls all
 * of its .text, so .text counts once) and its largest function, in insns. */
static void elf_code_of(const struct elf_sizes *es, const struct sweep_job *job,
			struct sweep_metrics *m)
{
	uint64_t big = 0;

	m->elf_code_bytes = (int64_t)es->text_bytes;
	for (size_t i = 0; i < es->nfuncs; i++)
		if (es->funcs[i].in_text && es->funcs[i].size > big)
			big = es->funcs[i].size;
	for (int i = 0; i < job->nprogs; i++) {
		uint64_t b = elf_sizes_func(es, job->progs[i]);

		if (!b) {
			m->elf_code_bytes = m->max_func_insns = -1;
			return;
		}
		m->elf_code_bytes += (int64_t)b;
		big = b > big ? b : big;
	}
	m->max_func_insns = (int64_t)(big / 8); /* struct bpf_insn: 8 bytes */
}

/* Stats the log gives, whether the load passed or not. */
static void add_log_stats(struct sweep_metrics *m, const char *log, bool use_processed)
{
	struct verifier_stats st;

	verifier_log_parse(log, &st);
	add(&m->total_states, st.have & VS_TOTAL_STATES ? st.total_states : -1);
	add(&m->peak_states, st.have & VS_PEAK_STATES ? st.peak_states : -1);
	add(&m->verify_usec, st.have & VS_VERIFY_USEC ? st.verify_usec : -1);
	if (use_processed)
		add(&m->verified_insns, st.have & VS_PROCESSED ? st.processed_insns : -1);
	if (st.have & VS_STACK_DEPTH && st.stack_depth > m->stack_depth)
		m->stack_depth = st.stack_depth;
}

static void measure_loaded(const struct load *ld, struct sweep_result *r)
{
	struct sweep_metrics *m = &r->m;

	m->insn_cnt = m->verified_insns = m->total_states = m->peak_states = 0;
	m->verify_usec = m->xlated_bytes = m->jited_bytes = m->jited_funcs = 0;
	m->memlock_bytes = 0;
	m->stack_depth = -1;
	for (int i = 0; i < ld->nslots; i++) {
		const struct prog_slot *s = &ld->slots[i];
		struct prog_facts f;
		int err = prog_facts_get(bpf_program__fd(s->prog), false, &f);

		add(&m->insn_cnt, (int64_t)bpf_program__insn_cnt(s->prog));
		/* Before 5.16 bpf_prog_info has no verified_insns: the log has it. */
		add_log_stats(m, s->log, err || !f.verified_insns);
		if (err) {
			m->xlated_bytes = m->jited_bytes = m->jited_funcs = m->memlock_bytes = -1;
			continue;
		}
		if (f.verified_insns)
			add(&m->verified_insns, (int64_t)f.verified_insns);
		add(&m->xlated_bytes, f.xlated_bytes);
		add(&m->jited_bytes, f.jited_bytes);
		add(&m->jited_funcs, f.jited_funcs);
		add(&m->memlock_bytes, (int64_t)f.memlock_bytes);
		r->prog_ids[r->nprog_ids++] = f.id;
		prog_facts_free(&f);
	}
}

/* The program the kernel refused: the one whose log has an error line
 * (a passing program's level-4 log holds only stats lines). */
static const struct prog_slot *refused_slot(const struct load *ld, char *line, size_t len)
{
	for (int i = 0; i < ld->nslots; i++)
		if (ld->slots[i].log[0] && verifier_log_reason(ld->slots[i].log, line, len))
			return &ld->slots[i];
	return NULL;
}

static void explain_failure(const struct sweep_job *job, const struct load *ld, int err,
			    bool timed_out, struct sweep_result *r)
{
	char line[SWEEP_REASON_LEN - 80];
	const struct prog_slot *s = refused_slot(ld, line, sizeof(line));

	r->err = err;
	r->m.insn_cnt = 0;
	for (int i = 0; i < ld->nslots; i++)
		add(&r->m.insn_cnt, (int64_t)bpf_program__insn_cnt(ld->slots[i].prog));
	if (timed_out) {
		say(r, SWEEP_TIMEOUT, "stopped after %u ms (limit %u ms)", (unsigned)r->load_ms,
		    job->timeout_ms);
	} else if (s) {
		say(r, SWEEP_REFUSED, "%s", line);
	} else if (err == E2BIG) {
		/* The kernel checks the size before the verifier runs: no log. */
		say(r, SWEEP_REFUSED, "program too large: %lld insns (E2BIG, no verifier log)",
		    (long long)r->m.insn_cnt);
	} else {
		say(r, SWEEP_FAILED, "load failed: %s", strerror(err));
	}
	/* A stopped load's log counts only as far as it got: not a figure. */
	if (!s || timed_out)
		return;
	snprintf(r->failed_prog, sizeof(r->failed_prog), "%s", bpf_program__name(s->prog));
	r->m.verified_insns = r->m.total_states = r->m.peak_states = 0;
	r->m.verify_usec = 0;
	add_log_stats(&r->m, s->log, true);
	r->log = strdup(s->log);
}

static int wire_tail_call(const struct sweep_job *job, const struct load *ld,
			  struct sweep_result *r)
{
	struct bpf_map *map = bpf_object__find_map_by_name(ld->obj, "tail_progs");
	uint32_t slot = TAIL_SLOT;
	int i = job_index(job, job->tail_target);
	int fd;

	if (!map || i < 0)
		return say(r, SWEEP_FAILED, "%s: no tail_progs map or no program %s",
			   job->obj_name, job->tail_target), -1;
	fd = bpf_program__fd(ld->slots[i].prog);
	/* The kernel checks the target fits the entries (type, JIT) here. */
	if (bpf_map__update_elem(map, &slot, sizeof(slot), &fd, sizeof(fd), 0)) {
		r->err = errno;
		return say(r, SWEEP_REFUSED, "tail_progs[%u] = %s: %s", slot, job->tail_target,
			   strerror(errno)), -1;
	}
	return 0;
}

/* Open, select, load under the deadline; ENOSPC from a too small log buffer
 * is retried with a larger one (the deadline covers every attempt). */
static int load_job(const struct sweep_job *job, struct load *ld, struct sweep_result *r,
		    bool *timed_out)
{
	struct timespec t0;
	struct deadline dl;
	size_t log_bytes = LOG_BYTES;
	int err;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		double spent = elapsed_ms(&t0);
		struct timespec t1;

		if (open_and_select(job, ld, r, log_bytes))
			return -1;
		if (job->timeout_ms && spent >= job->timeout_ms) {
			err = EAGAIN;
			break;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		deadline_arm(&dl, job->timeout_ms ? job->timeout_ms - (unsigned)spent : 0);
		err = -bpf_object__load(ld->obj); /* libbpf 1.x: 0 or -errno */
		deadline_disarm(&dl);
		r->load_ms = elapsed_ms(&t1); /* the attempt that counts */
		if (err != ENOSPC || log_bytes >= LOG_BYTES_MAX)
			break;
		load_free(ld, false);
		log_bytes *= 16;
	}
	*timed_out = job->timeout_ms && (err == EAGAIN || err == EINTR) &&
		     elapsed_ms(&t0) >= job->timeout_ms;
	return err;
}

int sweep_measure(const struct sweep_job *job, struct sweep_result *r)
{
	struct load ld;
	struct elf_sizes es;
	char msg[256];
	bool timed_out;
	int err;

	memset(r, 0, sizeof(*r));
	memset(&ld, 0, sizeof(ld));
	sweep_metrics_unknown(&r->m);
	if (job->nprogs <= 0 || job->nprogs > SWEEP_MAX_PROGS)
		return say(r, SWEEP_FAILED, "%d programs: 1 to %d", job->nprogs, SWEEP_MAX_PROGS),
		       -1;
	if (elf_sizes_from_mem(job->obj_bytes, job->obj_len, &es, msg, sizeof(msg)))
		return say(r, SWEEP_FAILED, "%s: %s", job->obj_name, msg), -1;
	elf_code_of(&es, job, &r->m);
	elf_sizes_free(&es);
	err = load_job(job, &ld, r, &timed_out);
	if (err < 0) {
		load_free(&ld, false);
		return -1;
	}
	if (err == ENOSPC) {
		r->err = err;
		say(r, SWEEP_FAILED, "the verifier's log needs more than %u MB (ENOSPC)",
		    LOG_BYTES_MAX >> 20);
	} else if (err) {
		explain_failure(job, &ld, err, timed_out, r);
	} else if (!job->tail_target || !wire_tail_call(job, &ld, r)) {
		r->status = SWEEP_OK;
		measure_loaded(&ld, r);
	}
	if (job->hold && r->status == SWEEP_OK) {
		r->held = calloc(1, sizeof(*r->held));
		if (r->held)
			r->held->obj = ld.obj;
	}
	load_free(&ld, r->held != NULL);
	return 0;
}

void sweep_result_free(struct sweep_result *r)
{
	free(r->log);
	r->log = NULL;
	if (r->held) {
		bpf_object__close(r->held->obj);
		free(r->held);
		r->held = NULL;
	}
}
