/* What the processes of the cross-checks do when fork() fails: a clear
 * error, no pipe left open, and never kill() or waitpid() with the -1 fork
 * returned (kill(-1, sig) signals every process we may signal; waitpid(-1)
 * reaps, or waits for, any child of ours). This file defines fork(), kill()
 * and waitpid() itself: the executable's definitions come before libc's, so
 * the harness's calls reach these (no root, no kernel, nothing forked). */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <cmocka.h>

#include "kernel/holder.h"
#include "methods/iperf_proc.h"

static int forks, kills, bad_kills, bad_waits;

pid_t fork(void)
{
	forks++;
	errno = EAGAIN;
	return -1;
}

int kill(pid_t pid, int sig)
{
	(void)sig;
	kills++;
	bad_kills += pid <= 0; /* never signal a group or everything */
	return 0;
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	(void)status;
	(void)options;
	bad_waits += pid <= 0; /* never wait for "any child" */
	errno = ECHILD;
	return -1;
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static int reset(void **state)
{
	(void)state;
	forks = kills = bad_kills = bad_waits = 0;
	return 0;
}

static void test_holder(void **state)
{
	struct load_opts lo = {0};
	struct holder h = {.pid = 123, .fd = 123};
	char err[256] = "";
	int before = open_fds();

	(void)state;
	assert_int_equal(holder_start(&lo, &h, err, sizeof(err)), -1);
	assert_int_equal(forks, 1);
	assert_non_null(strstr(err, "fork"));
	assert_int_equal(h.pid, -1);
	assert_int_equal(h.fd, -1);
	assert_int_equal(open_fds(), before); /* both pipes closed */
	/* harmless on a holder that never ran: it waits for no child (the holder
	 * stops its child by closing the pipe, then reaps it by pid) and closes
	 * no descriptor it does not own */
	holder_stop(&h);
	assert_int_equal(bad_waits, 0);
	assert_int_equal(open_fds(), before);
	assert_int_equal(h.pid, -1);
}

static void test_storm(void **state)
{
	struct iperf_storm s;
	int before = open_fds();

	(void)state;
	errno = 0;
	assert_int_equal(iperf_storm_start(&s), -1);
	assert_int_equal(errno, EAGAIN); /* the caller reports fork's reason */
	assert_int_equal(forks, 1);
	assert_int_equal(s.pid, -1);
	assert_int_equal(open_fds(), before);
	assert_int_equal(iperf_storm_stop(&s), 0);
	assert_int_equal(kills, 0);
	assert_int_equal(bad_waits, 0);
}

static void test_stream(void **state)
{
	char err[256] = "";
	int before = open_fds();

	(void)state;
	assert_true(isnan(iperf_stream("/tmp", 1, err, sizeof(err))));
	assert_non_null(strstr(err, "fork"));
	assert_int_equal(forks, 1); /* gave up at once: no client without its server */
	assert_int_equal(kills, 0);
	assert_int_equal(bad_kills, 0);
	assert_int_equal(bad_waits, 0);
	assert_int_equal(open_fds(), before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_holder, reset),
		cmocka_unit_test_setup(test_storm, reset),
		cmocka_unit_test_setup(test_stream, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
