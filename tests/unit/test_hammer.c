/* Unit tests of the socket hammer and the private network namespace. The
 * storms are real but small, on 127.0.0.0/8 only; nothing asserts a speed
 * (timed tests are flaky on a shared machine), only counts, bounds and that
 * every run ends. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/csv.h"
#include "base/schema.h"
#include "storm/hammer.h"
#include "kernel/netns.h"

#define SKIP_STATUS 77

static struct hammer_opts opts_for(uint64_t connections, double duration_s)
{
	struct hammer_opts o;

	hammer_defaults(&o);
	o.connections = connections;
	o.duration_s = duration_s;
	o.quiet = 1;
	return o;
}

static int check(const struct hammer_opts *o, char *err, size_t n)
{
	err[0] = '\0';
	return hammer_check(o, err, n);
}

static void test_check_rejects_non_loopback(void **state)
{
	const char *bad[] = {"10.0.0.1", "192.168.1.1", "8.8.8.8", "garbage", "", "0.0.0.0",
			     "128.0.0.1", "127.0.0.0", "127.255.255.255", "127.1", "::1",
			     " 127.0.0.1", "127.0.0.1x"};
	struct hammer_opts o = opts_for(10, 0);
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o.address = bad[i];
		assert_int_equal(check(&o, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "127.0.0.0/8"));
		assert_null(strchr(err, '\n')); /* one line */
	}
}

static void test_check_rejects_no_bound(void **state)
{
	struct hammer_opts o = opts_for(0, 0);
	char err[256];

	(void)state;
	assert_int_equal(check(&o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bound"));
}

static void test_check_rejects_bad_values(void **state)
{
	struct hammer_opts o;
	char err[256];

	(void)state;
	o = opts_for(10, 0), o.inflight = 0;
	assert_int_equal(check(&o, err, sizeof(err)), -1);
	o = opts_for(10, 0), o.inflight = HAMMER_MAX_INFLIGHT + 1;
	assert_int_equal(check(&o, err, sizeof(err)), -1);
	o = opts_for(10, 0), o.threads = -1;
	assert_int_equal(check(&o, err, sizeof(err)), -1);
	o = opts_for(10, 0), o.threads = HAMMER_MAX_THREADS + 1;
	assert_int_equal(check(&o, err, sizeof(err)), -1);
	o = opts_for(0, -1);
	assert_int_equal(check(&o, err, sizeof(err)), -1);
	o = opts_for(0, NAN);
	assert_int_equal(check(&o, err, sizeof(err)), -1);
	o = opts_for(0, INFINITY);
	assert_int_equal(check(&o, err, sizeof(err)), -1);
	o = opts_for(10, 0), o.close_mode = (enum hammer_close)7;
	assert_int_equal(check(&o, err, sizeof(err)), -1);
	assert_true(strlen(err) > 0);
}

static void test_check_accepts_loopback(void **state)
{
	const char *good[] = {"127.0.0.1", "127.1.2.3", "127.255.255.254", "127.0.0.255", NULL};
	struct hammer_opts o = opts_for(0, 0.5);
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		o.address = good[i];
		assert_int_equal(check(&o, err, sizeof(err)), 0);
	}
	o = opts_for(5, 0.5); /* both bounds */
	assert_int_equal(check(&o, err, sizeof(err)), 0);
}

static void test_close_names(void **state)
{
	enum hammer_close m;

	(void)state;
	assert_int_equal(hammer_close_parse("fin", &m), 0);
	assert_int_equal(m, HAMMER_CLOSE_FIN);
	assert_int_equal(hammer_close_parse("reset", &m), 0);
	assert_int_equal(m, HAMMER_CLOSE_RESET);
	assert_int_equal(hammer_close_parse("rst", &m), -1);
	assert_string_equal(hammer_close_name(HAMMER_CLOSE_FIN), "fin");
	assert_string_equal(hammer_close_name(HAMMER_CLOSE_RESET), "reset");
}

/* A run that is refused must not start: nothing is measured. */
static void test_run_refuses_non_loopback(void **state)
{
	struct hammer_opts o = opts_for(10, 0);
	struct hammer_result r;
	char err[256] = "";

	(void)state;
	o.address = "8.8.8.8";
	assert_int_equal(hammer_run(&o, &r, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "8.8.8.8"));
	assert_int_equal(r.connections, 0);
	assert_int_equal(r.connects, 0);
}

static void assert_latencies_ordered(const struct hammer_result *r)
{
	assert_true(r->lat_p50_us > 0);
	assert_true(r->lat_p50_us <= r->lat_p90_us);
	assert_true(r->lat_p90_us <= r->lat_p99_us);
	assert_true(r->lat_p99_us <= r->lat_max_us);
}

/* The connections bound is exact: every connect issued is accepted, none
 * more, whatever the threads and in-flight window. */
static void run_exact(int threads, int inflight, enum hammer_close mode, uint64_t n)
{
	struct hammer_opts o = opts_for(n, 0);
	struct hammer_result r;
	char err[256];

	o.threads = threads;
	o.inflight = inflight;
	o.close_mode = mode;
	assert_int_equal(hammer_run(&o, &r, err, sizeof(err)), 0);
	assert_int_equal(r.connections, n);
	assert_int_equal(r.connects, n);
	assert_int_equal(r.errors, 0);
	assert_false(r.interrupted);
	assert_false(r.wall_capped);
	assert_int_equal(r.threads, threads ? threads : r.threads);
	assert_true(r.threads >= 1);
	assert_true(r.elapsed_s > 0);
	assert_true(r.conn_per_s > 0);
	assert_true(r.cpu_us_per_conn > 0);
	assert_latencies_ordered(&r);
}

static void test_storm_connections_exact(void **state)
{
	(void)state;
	run_exact(0, 32, HAMMER_CLOSE_RESET, 2000);
}

/* More threads than CPUs and an odd window: the shared bound still holds. */
static void test_storm_exact_uneven(void **state)
{
	(void)state;
	run_exact(3, 7, HAMMER_CLOSE_RESET, 3001);
	run_exact(1, 1, HAMMER_CLOSE_RESET, 50);
}

static void test_storm_fin(void **state)
{
	(void)state;
	run_exact(2, 16, HAMMER_CLOSE_FIN, 2000);
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_storm_duration(void **state)
{
	struct hammer_opts o = opts_for(0, 0.3);
	struct hammer_result r;
	char err[256];
	double t0 = mono_s(), took;

	(void)state;
	assert_int_equal(hammer_run(&o, &r, err, sizeof(err)), 0);
	took = mono_s() - t0;
	assert_true(took < 10.0); /* generous: only that it ends */
	assert_true(r.elapsed_s >= 0.3);
	assert_true(r.connections > 0);
	assert_false(r.interrupted);
	assert_false(r.wall_capped);
	/* Cut at the deadline, a few accepted connections may have no client
	 * completion yet, never the reverse beyond the in-flight window. */
	assert_true(r.connects <= r.connections + (uint64_t)r.threads * (uint64_t)o.inflight);
}

static void *stop_later(void *arg)
{
	(void)arg;
	usleep(200 * 1000);
	hammer_request_stop();
	return NULL;
}

/* A failed assertion must not leave the request set for the next tests. */
static int clear_stop(void **state)
{
	(void)state;
	hammer_clear_stop();
	return 0;
}

static void test_stop_request(void **state)
{
	struct hammer_opts o = opts_for(0, 60);
	struct hammer_result r;
	pthread_t t;
	char err[256];
	double t0 = mono_s();

	(void)state;
	hammer_clear_stop();
	assert_int_equal(pthread_create(&t, NULL, stop_later, NULL), 0);
	assert_int_equal(hammer_run(&o, &r, err, sizeof(err)), 0);
	pthread_join(t, NULL);
	assert_true(mono_s() - t0 < 10.0);
	assert_true(r.interrupted);
	assert_true(r.elapsed_s < 10.0);
	assert_true(hammer_stop_requested());
	/* The request persists: the next storm does not start. */
	assert_int_equal(hammer_run(&o, &r, err, sizeof(err)), 0);
	assert_true(r.interrupted);
	assert_int_equal(r.connections, 0);
	hammer_clear_stop();
	assert_false(hammer_stop_requested());
}

/* Fork so the test process keeps its descriptor limit / namespace; the child
 * reports by exit status (SKIP_STATUS: not permitted here). */
static int in_child(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		alarm(60); /* a hung child dies instead of hanging the suite */
		_exit(fn());
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* Too few descriptors for the window: EMFILE is counted and backed off,
 * and the bound is still met exactly. */
static int child_emfile(void)
{
	struct rlimit rl = {.rlim_cur = 48, .rlim_max = 48};
	struct hammer_opts o = opts_for(3000, 0);
	struct hammer_result r;
	char err[256];

	o.threads = 2;
	o.inflight = 64;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		return 10;
	if (hammer_run(&o, &r, err, sizeof(err)))
		return 11;
	if (r.connections != 3000 || r.connects != 3000)
		return 12;
	if (r.errors_by_errno[EMFILE] == 0 || r.errors != r.errors_by_errno[EMFILE])
		return 13;
	return 0;
}

static void test_storm_emfile_backoff(void **state)
{
	(void)state;
	assert_int_equal(in_child(child_emfile), 0);
}

static int child_netns(void)
{
	uint32_t before = netns_current_inode(), inside;
	struct hammer_opts o = opts_for(500, 0);
	struct hammer_result r;
	char err[256];

	if (!before)
		return 20;
	inside = netns_enter_private();
	if (!inside)
		return errno == EPERM ? SKIP_STATUS : 21;
	if (inside == before || inside != netns_current_inode())
		return 22;
	/* lo is up in there: a storm runs. */
	if (hammer_run(&o, &r, err, sizeof(err)) || r.connections != 500 || r.errors)
		return 23;
	return 0;
}

static void test_netns_private(void **state)
{
	uint32_t mine = netns_current_inode();
	int rc;

	(void)state;
	assert_true(mine != 0);
	rc = in_child(child_netns);
	assert_int_equal(netns_current_inode(), mine); /* we stayed where we were */
	if (rc == SKIP_STATUS)
		skip();
	assert_int_equal(rc, 0);
}

static void test_summary_line(void **state)
{
	struct hammer_result r = {.connections = 1234, .conn_per_s = 4567.25, .errors = 3};
	char buf[128] = "";
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	(void)state;
	assert_non_null(f);
	hammer_print_summary(&r, f);
	fclose(f);
	assert_string_equal(buf, "connections=1234 conn_per_s=4567.2 errors=3\n");
}

static void test_details_name_errnos(void **state)
{
	struct hammer_result r = {.errors = 5, .threads = 2};
	struct hammer_opts o;
	char buf[1024] = "";
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	(void)state;
	hammer_defaults(&o);
	r.errors_by_errno[EADDRNOTAVAIL] = 4;
	r.errors_by_errno[0] = 1;
	assert_non_null(f);
	hammer_print_details(&r, &o, f);
	fclose(f);
	assert_non_null(strstr(buf, "EADDRNOTAVAIL=4"));
	assert_non_null(strstr(buf, "other=1"));
}

static void test_csv_row(void **state)
{
	struct hammer_result r = {.connections = 10, .connects = 10, .threads = 2,
				  .elapsed_s = 0.5, .conn_per_s = 20, .cpu_us_per_conn = 45};
	struct hammer_opts o;
	struct hammer_row row;
	const char *names[32];
	struct csv_writer w;
	char line[512];
	FILE *f = tmpfile();

	(void)state;
	hammer_defaults(&o);
	o.close_mode = HAMMER_CLOSE_FIN;
	assert_non_null(f);
	for (int i = 0; i < hammer_csv.ncols; i++)
		names[i] = hammer_csv.cols[i].name;
	assert_int_equal(csv_open_stream(&w, f, names, hammer_csv.ncols), 0);
	hammer_row_of(&r, &o, &row);
	assert_int_equal(rf_write_row(&w, &hammer_csv, &row), 0); /* exactly 13 fields */
	assert_int_equal(csv_close(&w), 0);
	rewind(f);
	assert_non_null(fgets(line, sizeof(line), f));
	assert_string_equal(line, "threads,inflight,close_mode,connections,connects,errors,"
				  "elapsed_s,conn_per_s,cpu_us_per_conn,lat_p50_us,lat_p90_us,"
				  "lat_p99_us,lat_max_us\n");
	assert_non_null(fgets(line, sizeof(line), f));
	assert_true(strncmp(line, "2,32,fin,10,10,0,", 17) == 0);
	fclose(f);
}

/* Storms in a namespace of our own when allowed (root): other processes'
 * connections cannot reach our listeners, and other tests' tracers do not
 * see our storms. Unprivileged, the tests run in the caller's namespace. */
static int isolate(void **state)
{
	(void)state;
	if (!netns_enter_private())
		fprintf(stderr, "note: no private network namespace (%s): storms run in the "
				"current one\n", strerror(errno));
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_rejects_non_loopback),
		cmocka_unit_test(test_check_rejects_no_bound),
		cmocka_unit_test(test_check_rejects_bad_values),
		cmocka_unit_test(test_check_accepts_loopback),
		cmocka_unit_test(test_close_names),
		cmocka_unit_test(test_run_refuses_non_loopback),
		cmocka_unit_test(test_storm_connections_exact),
		cmocka_unit_test(test_storm_exact_uneven),
		cmocka_unit_test(test_storm_fin),
		cmocka_unit_test(test_storm_duration),
		cmocka_unit_test_teardown(test_stop_request, clear_stop),
		cmocka_unit_test(test_storm_emfile_backoff),
		cmocka_unit_test(test_netns_private),
		cmocka_unit_test(test_summary_line),
		cmocka_unit_test(test_details_name_errnos),
		cmocka_unit_test(test_csv_row),
	};

	return cmocka_run_group_tests(tests, isolate, NULL);
}
