/* The socket hammer (see hammer.h). Each worker thread is pinned to a CPU and
 * is both the client and the server of a listener of its own, so a
 * connection's whole life (SYN, accept, close) stays on one CPU and no lock
 * is shared on the hot path; the rate is then set by the kernel's cost per
 * connection, not by the generator. */
#include "storm/hammer.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "storm/hammer_hist.h"
#include "base/util.h"

#define NS_PER_S 1000000000ull
#define NS_PER_MS 1000000ull
#define POLL_MS 10			/* longest sleep between stop/deadline checks */
#define MAX_EVENTS 64
#define ACCEPT_BATCH 256		/* accepts per wakeup before serving clients again */
#define DRAIN_NS (2 * NS_PER_S)		/* wait for stragglers' accepts once all connected */
#define BACKOFF_MIN_NS NS_PER_MS
#define BACKOFF_MAX_NS (64 * NS_PER_MS)
#define LISTENER_TAG UINT32_MAX		/* epoll data of the listener; slots use their index */

/* ---- shared state of one storm ---- */
struct storm {
	const struct hammer_opts *o;
	uint64_t target;	 /* connections bound, 0: none */
	_Atomic uint64_t issued; /* connects started or done, never above target */
	uint64_t end_ns;	 /* duration bound or wall-clock cap */
	pthread_mutex_t lock;	 /* start gate: every worker begins at t0 */
	pthread_cond_t cond;
	int ready, go, abort;
};

struct slot {
	int fd;
	uint64_t t0_ns;
};

struct worker {
	struct storm *st;
	pthread_t thread;
	int idx, cpu; /* cpu -1: not pinned */
	int ep, lfd;
	struct sockaddr_in dst;
	struct slot *slots;
	int *free_slots, nfree;
	int inflight, cap;	/* cap: in-flight limit, halved on errors (AIMD) */
	uint64_t backoff_ns, retry_at_ns;
	uint32_t src_seq;	/* FIN mode: next source address */
	uint64_t accepted, connected, errors, lat_max_ns;
	uint64_t err_by_errno[HAMMER_MAX_ERRNO];
	uint64_t hist[HIST_BUCKETS];
	int fatal_errno;	/* epoll failure: the storm cannot go on */
};

/* A connect slot from the bound, or false when the target is reached. */
static bool reserve_connect(struct storm *st)
{
	uint64_t cur = atomic_load(&st->issued);

	if (!st->target)
		return true;
	while (cur < st->target)
		if (atomic_compare_exchange_weak(&st->issued, &cur, cur + 1))
			return true;
	return false;
}

/* A failed connect gives its turn back, so the bound counts successes. */
static void release_connect(struct storm *st)
{
	if (st->target)
		atomic_fetch_sub(&st->issued, 1);
}

static bool more_to_issue(struct storm *st)
{
	return !st->target || atomic_load(&st->issued) < st->target;
}

static void count_error(struct worker *w, int err)
{
	w->errors++;
	w->err_by_errno[err > 0 && err < HAMMER_MAX_ERRNO ? err : 0]++;
}

/* Every error slows this worker down (halve the in-flight limit, wait an
 * exponentially growing pause): port exhaustion, EMFILE or a refused connect
 * then cost a bounded number of retries instead of a spin. */
static void backoff(struct worker *w, int err)
{
	count_error(w, err);
	w->cap = w->cap > 1 ? w->cap / 2 : 1;
	w->backoff_ns = w->backoff_ns ? w->backoff_ns * 2 : BACKOFF_MIN_NS;
	if (w->backoff_ns > BACKOFF_MAX_NS)
		w->backoff_ns = BACKOFF_MAX_NS;
	w->retry_at_ns = now_ns() + w->backoff_ns;
}

static void recover(struct worker *w)
{
	if (w->cap < w->st->o->inflight)
		w->cap++;
	w->backoff_ns = 0;
}

/* RST on close: no TIME_WAIT, so ports never run out during a storm. */
static int set_linger_rst(int fd)
{
	struct linger l = {.l_onoff = 1, .l_linger = 0};

	return setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
}

/* FIN mode: a fresh source address of 127.0.0.0/8 per connection, 65024 per
 * thread, so TIME_WAIT entries (keyed by address and port) never collide. */
static int bind_spread_source(struct worker *w, int fd)
{
	struct sockaddr_in src = {.sin_family = AF_INET};
	uint32_t seq = w->src_seq++ % (254u * 256u);
	uint32_t a = 1 + (uint32_t)w->idx % 254, b = seq / 254, c = 1 + seq % 254;
	int one = 1;

	src.sin_addr.s_addr = htonl(127u << 24 | a << 16 | b << 8 | c);
	/* Port chosen at connect() by the full 4-tuple, not at bind() where it
	 * would be exclusive per address and run out. */
	if (setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one)))
		return -1;
	return bind(fd, (struct sockaddr *)&src, sizeof(src));
}

/* Start one non-blocking connect; 0 or an errno. */
static int start_connect(struct worker *w)
{
	struct epoll_event ev = {.events = EPOLLOUT};
	struct slot *s;
	int fd, idx, err;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	if (w->st->o->close_mode == HAMMER_CLOSE_RESET ? set_linger_rst(fd)
						      : bind_spread_source(w, fd))
		goto fail;
	idx = w->free_slots[--w->nfree];
	s = &w->slots[idx];
	s->fd = fd;
	s->t0_ns = now_ns();
	if (connect(fd, (struct sockaddr *)&w->dst, sizeof(w->dst)) && errno != EINPROGRESS)
		goto fail_slot;
	ev.data.u32 = (uint32_t)idx;
	if (epoll_ctl(w->ep, EPOLL_CTL_ADD, fd, &ev))
		goto fail_slot;
	w->inflight++;
	return 0;
fail_slot:
	w->free_slots[w->nfree++] = idx;
fail:
	err = errno;
	close(fd);
	return err;
}

/* Keep up to cap connects in flight, unless backing off or the bound is met. */
static void fill(struct worker *w)
{
	int err;

	if (w->retry_at_ns && now_ns() < w->retry_at_ns)
		return;
	w->retry_at_ns = 0;
	while (w->inflight < w->cap && !hammer_stop_requested() && reserve_connect(w->st)) {
		err = start_connect(w);
		if (err) {
			release_connect(w->st);
			backoff(w, err);
			return;
		}
	}
}

/* The connect in slot idx finished (writable or failed): record it and close
 * the client side at once (RST in reset mode). */
static void finish_connect(struct worker *w, uint32_t idx)
{
	struct slot *s = &w->slots[idx];
	uint64_t lat = now_ns() - s->t0_ns;
	socklen_t len = sizeof(int);
	int soerr = 0;

	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &soerr, &len))
		soerr = errno;
	/* A reset while connecting reads ECONNREFUSED; ECONNRESET means the
	 * connection was established and our own server, having accepted and
	 * closed it (RST), got there first: a success. */
	if (soerr == ECONNRESET)
		soerr = 0;
	close(s->fd); /* also leaves the epoll set: the fd is not shared */
	s->fd = -1;
	w->free_slots[w->nfree++] = (int)idx;
	w->inflight--;
	if (soerr) {
		release_connect(w->st);
		backoff(w, soerr);
		return;
	}
	w->connected++;
	w->hist[hist_index(lat)]++;
	if (lat > w->lat_max_ns)
		w->lat_max_ns = lat;
	recover(w);
}

static bool fd_exhausted(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM;
}

/* Accept (and close: RST in reset mode, inherited from the listener) what is
 * queued. The listener is level-triggered, so an accept that fails for lack
 * of descriptors would wake us at once again: sleep a little instead. */
static void accept_all(struct worker *w)
{
	for (int i = 0; i < ACCEPT_BATCH; i++) {
		int fd = accept4(w->lfd, NULL, NULL, SOCK_CLOEXEC);

		if (fd >= 0) {
			close(fd);
			w->accepted++;
			continue;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return;
		if (errno == EINTR)
			continue;
		backoff(w, errno);
		if (fd_exhausted(errno))
			nanosleep(&(struct timespec){.tv_nsec = BACKOFF_MIN_NS}, NULL);
		return;
	}
}

/* epoll timeout: up to POLL_MS, less if the deadline or a retry is sooner. */
static int poll_timeout_ms(const struct worker *w, uint64_t now)
{
	uint64_t until = w->st->end_ns, ms;

	if (w->retry_at_ns && w->retry_at_ns < until)
		until = w->retry_at_ns;
	if (until <= now)
		return 0;
	ms = (until - now + NS_PER_MS - 1) / NS_PER_MS;
	return ms < POLL_MS ? (int)ms : POLL_MS;
}

/* Done with a connections bound: nothing left to issue or in flight, and
 * every connect accepted (or the drain time is over). */
static bool bound_done(struct worker *w, uint64_t now, uint64_t *drain_until)
{
	if (more_to_issue(w->st) || w->inflight)
		return false;
	if (w->accepted >= w->connected)
		return true;
	if (!*drain_until)
		*drain_until = now + DRAIN_NS;
	return now >= *drain_until;
}

static void storm_loop(struct worker *w)
{
	struct epoll_event evs[MAX_EVENTS];
	uint64_t now, drain_until = 0;
	bool listener_ready;
	int n;

	for (;;) {
		now = now_ns();
		if (hammer_stop_requested() || now >= w->st->end_ns || bound_done(w, now, &drain_until))
			return;
		fill(w);
		n = epoll_wait(w->ep, evs, MAX_EVENTS, poll_timeout_ms(w, now_ns()));
		if (n < 0 && errno != EINTR) {
			w->fatal_errno = errno;
			return;
		}
		/* Clients first: a connection accepted (and reset) before its
		 * client saw it established makes the client read ECONNRESET. */
		listener_ready = false;
		for (int i = 0; i < n; i++) {
			if (evs[i].data.u32 == LISTENER_TAG)
				listener_ready = true;
			else
				finish_connect(w, evs[i].data.u32);
		}
		if (listener_ready)
			accept_all(w);
	}
}

/* After a stop: drop what is in flight (not an error) and count what the
 * listener already holds. */
static void storm_wind_down(struct worker *w)
{
	for (int i = 0; i < w->st->o->inflight; i++) {
		if (w->slots[i].fd < 0)
			continue;
		close(w->slots[i].fd);
		w->slots[i].fd = -1;
		w->inflight--;
	}
	accept_all(w);
}

static void pin_to_cpu(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	/* Best effort: unpinned only costs cross-CPU wakeups, not correctness. */
	(void)pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct storm *st = w->st;
	int abort;

	pin_to_cpu(w->cpu);
	pthread_mutex_lock(&st->lock);
	st->ready++;
	pthread_cond_broadcast(&st->cond);
	while (!st->go)
		pthread_cond_wait(&st->cond, &st->lock);
	abort = st->abort;
	pthread_mutex_unlock(&st->lock);
	if (!abort) {
		storm_loop(w);
		storm_wind_down(w);
	}
	return NULL;
}

/* ---- setup and teardown, in the calling thread ---- */
static int worker_setup(struct worker *w, struct in_addr addr, char *err, size_t errlen)
{
	const struct hammer_opts *o = w->st->o;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr = addr};
	struct epoll_event ev = {.events = EPOLLIN, .data.u32 = LISTENER_TAG};
	socklen_t len = sizeof(w->dst);
	const char *what;

	w->cap = o->inflight;
	w->slots = calloc((size_t)o->inflight, sizeof(*w->slots));
	w->free_slots = calloc((size_t)o->inflight, sizeof(*w->free_slots));
	if (!w->slots || !w->free_slots) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (int i = 0; i < o->inflight; i++) {
		w->slots[i].fd = -1;
		w->free_slots[w->nfree++] = o->inflight - 1 - i;
	}
	what = "socket";
	w->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (w->lfd < 0)
		goto fail;
	what = "SO_LINGER";
	if (o->close_mode == HAMMER_CLOSE_RESET && set_linger_rst(w->lfd))
		goto fail;
	what = "bind";
	if (bind(w->lfd, (struct sockaddr *)&sa, sizeof(sa)))
		goto fail;
	what = "listen";
	if (listen(w->lfd, SOMAXCONN) || getsockname(w->lfd, (struct sockaddr *)&w->dst, &len))
		goto fail;
	what = "epoll";
	w->ep = epoll_create1(EPOLL_CLOEXEC);
	if (w->ep < 0 || epoll_ctl(w->ep, EPOLL_CTL_ADD, w->lfd, &ev))
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "listener on %s: %s: %s", inet_ntoa(addr), what, strerror(errno));
	return -1;
}

static void worker_teardown(struct worker *w)
{
	if (w->slots)
		for (int i = 0; i < w->st->o->inflight; i++)
			if (w->slots[i].fd >= 0)
				close(w->slots[i].fd);
	if (w->ep >= 0)
		close(w->ep);
	if (w->lfd >= 0)
		close(w->lfd);
	free(w->slots);
	free(w->free_slots);
}

/* Each thread holds inflight connecting sockets plus what its listener
 * queues; raise the soft descriptor limit to the hard one if that may not
 * fit (EMFILE is still handled, but costs rate). */
static void raise_nofile(uint64_t need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur >= need || rl.rlim_cur == rl.rlim_max)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ? need : rl.rlim_max;
	(void)setrlimit(RLIMIT_NOFILE, &rl);
}

/* The CPUs this process may run on, in order; returns how many. */
static int allowed_cpus(int *cpus, int max)
{
	cpu_set_t set;
	int n = 0;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 0;
	for (int c = 0; c < CPU_SETSIZE && n < max; c++)
		if (CPU_ISSET(c, &set))
			cpus[n++] = c;
	return n;
}

static uint64_t end_time(const struct hammer_opts *o, uint64_t t0)
{
	double s = o->duration_s;

	if (s <= 0) {
		s = (double)o->connections / HAMMER_WALL_CAP_MIN_RATE;
		if (s < HAMMER_WALL_CAP_MIN_S)
			s = HAMMER_WALL_CAP_MIN_S;
		if (s > HAMMER_MAX_DURATION_S) /* and no overflow of the ns count */
			s = HAMMER_MAX_DURATION_S;
	}
	return t0 + (uint64_t)(s * (double)NS_PER_S);
}

static double cpu_us(const struct rusage *ru)
{
	return (double)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1e6 +
	       (double)(ru->ru_utime.tv_usec + ru->ru_stime.tv_usec);
}

/* Sum the workers into r. */
static void collect(const struct worker *ws, int n, struct hammer_result *r)
{
	uint64_t *hist = calloc(HIST_BUCKETS, sizeof(*hist)), lat_max = 0;

	for (int t = 0; t < n; t++) {
		const struct worker *w = &ws[t];

		r->connections += w->accepted;
		r->connects += w->connected;
		r->errors += w->errors;
		for (int e = 0; e < HAMMER_MAX_ERRNO; e++)
			r->errors_by_errno[e] += w->err_by_errno[e];
		for (unsigned i = 0; hist && i < HIST_BUCKETS; i++)
			hist[i] += w->hist[i];
		if (w->lat_max_ns > lat_max)
			lat_max = w->lat_max_ns;
	}
	r->lat_max_us = (double)lat_max / 1e3;
	if (hist) {
		/* A bucket's middle may lie above the true maximum. */
		r->lat_p50_us = fmin(hist_quantile(hist, r->connects, 0.50) / 1e3, r->lat_max_us);
		r->lat_p90_us = fmin(hist_quantile(hist, r->connects, 0.90) / 1e3, r->lat_max_us);
		r->lat_p99_us = fmin(hist_quantile(hist, r->connects, 0.99) / 1e3, r->lat_max_us);
	}
	free(hist);
}

/* Start the threads, open the gate at t0, wait for them. Returns the number
 * of threads started; all of them have been joined. */
static int run_threads(struct storm *st, struct worker *ws, int n, struct hammer_result *r)
{
	struct rusage ru0, ru1;
	uint64_t t0, t1;
	int started = 0;

	for (; started < n; started++)
		if (pthread_create(&ws[started].thread, NULL, worker_main, &ws[started]))
			break;
	pthread_mutex_lock(&st->lock);
	while (st->ready < started)
		pthread_cond_wait(&st->cond, &st->lock);
	st->abort = started < n;
	getrusage(RUSAGE_SELF, &ru0);
	t0 = now_ns();
	st->end_ns = end_time(st->o, t0);
	st->go = 1;
	pthread_cond_broadcast(&st->cond);
	pthread_mutex_unlock(&st->lock);
	for (int i = 0; i < started; i++)
		pthread_join(ws[i].thread, NULL);
	t1 = now_ns();
	getrusage(RUSAGE_SELF, &ru1);
	r->elapsed_s = (double)(t1 - t0) / 1e9;
	r->cpu_us_per_conn = cpu_us(&ru1) - cpu_us(&ru0); /* total, divided later */
	return started;
}

static void finish_result(struct hammer_result *r, const struct hammer_opts *o)
{
	double cpu = r->cpu_us_per_conn;

	r->conn_per_s = r->elapsed_s > 0 ? (double)r->connections / r->elapsed_s : 0;
	r->cpu_us_per_conn = r->connections ? cpu / (double)r->connections : NAN;
	r->interrupted = hammer_stop_requested();
	r->wall_capped = !r->interrupted && o->duration_s <= 0 && r->connections < o->connections;
}

int hammer_run(const struct hammer_opts *o, struct hammer_result *r, char *err, size_t errlen)
{
	struct storm st = {.o = o, .target = o->connections};
	int cpus[HAMMER_MAX_THREADS], ncpus, n, started = 0, rc = -1;
	struct worker *ws = NULL;
	struct in_addr addr;

	memset(r, 0, sizeof(*r));
	if (hammer_check(o, err, errlen))
		return -1;
	hammer_parse_loopback(o->address, &addr);
	ncpus = allowed_cpus(cpus, HAMMER_MAX_THREADS);
	n = o->threads ? o->threads : (ncpus ? ncpus : 1);
	r->threads = n;
	if (hammer_stop_requested()) {
		r->interrupted = 1;
		return 0;
	}
	raise_nofile((uint64_t)n * ((uint64_t)o->inflight * 2 + ACCEPT_BATCH) + 64);
	ws = calloc((size_t)n, sizeof(*ws));
	if (!ws) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	pthread_mutex_init(&st.lock, NULL);
	pthread_cond_init(&st.cond, NULL);
	for (int i = 0; i < n; i++) {
		ws[i] = (struct worker){.st = &st, .idx = i, .ep = -1, .lfd = -1};
		ws[i].cpu = ncpus ? cpus[i % ncpus] : -1;
	}
	for (int i = 0; i < n; i++)
		if (worker_setup(&ws[i], addr, err, errlen))
			goto out;
	started = run_threads(&st, ws, n, r);
	if (started < n) {
		snprintf(err, errlen, "could not start thread %d of %d", started + 1, n);
		goto out;
	}
	collect(ws, n, r);
	finish_result(r, o);
	rc = 0;
	for (int i = 0; i < n; i++)
		if (ws[i].fatal_errno) {
			snprintf(err, errlen, "epoll_wait: %s", strerror(ws[i].fatal_errno));
			rc = -1;
		}
out:
	for (int i = 0; i < n; i++)
		worker_teardown(&ws[i]);
	free(ws);
	pthread_cond_destroy(&st.cond);
	pthread_mutex_destroy(&st.lock);
	return rc;
}
